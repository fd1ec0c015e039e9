package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/api"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/web"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("serve", "", `Serve the web app and the API. Migrates the database first. On an empty
database it creates a workspace and an admin and prints how to sign in.`, e)
	db := addDBFlags(fs, e)
	addr := stringFlag(fs, e, "addr", "ATTAIN_ADDR", ":8080", "address to listen on")
	origins := stringFlag(fs, e, "trusted-origins", "ATTAIN_TRUSTED_ORIGINS", "",
		"comma-separated origins (scheme://host[:port]) allowed to make cookie-authenticated writes besides the server's own")
	shutdown := fs.Duration("shutdown-timeout", 30*time.Second, "how long to let in-flight requests finish on stop")
	workers := stringFlag(fs, e, "workers", "ATTAIN_WORKERS", "2", "background jobs this process runs at once; 0 runs none here")
	debugAddr := stringFlag(fs, e, "debug-addr", "ATTAIN_DEBUG_ADDR", "",
		"loopback address (e.g. 127.0.0.1:6060) to serve Go's profiler on, under /debug/pprof/; off when empty")
	demoFirst := fs.Bool("demo", false, "on an empty database, create the demo workspace (see `attain demo`) instead of an empty one")
	memLimit := stringFlag(fs, e, "memory-limit", "ATTAIN_MEMORY_LIMIT", defaultMemoryLimit,
		"soft limit on the Go runtime's memory (GOMEMLIMIT syntax: 640MiB, 2GiB; off for none); GOMEMLIMIT, when set, replaces the default")
	if err := fs.Parse(args); err != nil {
		return err
	}
	given := e.getenv("ATTAIN_MEMORY_LIMIT") != ""
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "memory-limit" })
	limit, err := memoryLimit(*memLimit, given, e.getenv("GOMEMLIMIT"))
	if err != nil {
		return err
	}
	start := time.Now()
	if *debugAddr != "" {
		a, err := startDebug(ctx, *debugAddr)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Profiler on http://%s/debug/pprof/\n", a)
	}
	svc, store, log, err := db.open(ctx, e)
	if err != nil {
		return err
	}
	defer store.Close()
	// A workspace's first analytics request starts computing every rep's
	// dashboard in the background, so that none waits for its first.
	svc.WarmRepDashboards()
	// Workspaces made before a default was seeded get it now.
	if _, err := svc.BackfillWorkspaces(ctx); err != nil {
		return err
	}
	first := firstRun
	if *demoFirst {
		first = firstRunDemo
	}
	if err := first(ctx, e, svc); err != nil {
		return err
	}
	// Jobs stop claiming work when ctx ends; stopJobs then lets running
	// ones finish, after the HTTP server has drained.
	stopJobs, err := startJobs(ctx, store, svc, log, *workers, *shutdown)
	if err != nil {
		return err
	}
	defer stopJobs()
	var trusted []string
	for _, o := range strings.Split(*origins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			trusted = append(trusted, o)
		}
	}
	srv, err := api.NewServer(api.Config{Service: svc, Logger: log, Web: web.Dist(), TrustedOrigins: trusted})
	if err != nil {
		return err
	}
	// SQLite's group commit: writes ÷ batches is the fsyncs it saves.
	srv.Registry().MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "attain_sqlite_write_batches_total",
			Help: "Transactions SQLite's writer committed, each holding one or more writes."},
			func() float64 { b, _ := store.WriterStats(); return float64(b) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "attain_sqlite_writes_total",
			Help: "Writes SQLite's writer committed."},
			func() float64 { _, w := store.WriterStats(); return float64(w) }))
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) }}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("attain serving", "addr", ln.Addr().String(), "engine", store.Engine(), "startup", time.Since(start).String(),
		"memory_limit_mib", limit>>20)
	fmt.Fprintf(e.stdout, "Attain is listening on http://%s\n", displayAddr(ln.Addr()))

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down; finishing in-flight requests", "timeout", shutdown.String())
	sctx, cancel := context.WithTimeout(context.Background(), *shutdown)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func displayAddr(a net.Addr) string {
	s := a.String()
	if strings.HasPrefix(s, "[::]:") {
		return "localhost" + strings.TrimPrefix(s, "[::]")
	}
	if strings.HasPrefix(s, "0.0.0.0:") {
		return "localhost" + strings.TrimPrefix(s, "0.0.0.0")
	}
	return s
}

// firstRun gives an empty database a workspace and an admin, so a newcomer
// can sign in at once.
func firstRun(ctx context.Context, e *env, svc *service.Service) error {
	n, err := svc.CountWorkspaces(ctx)
	if err != nil || n > 0 {
		return err
	}
	pw := randomPassword()
	ws, u, err := svc.Bootstrap(ctx, "My Company", attain.NewUser{Email: "admin@example.com", Name: "Admin", Password: pw})
	if err != nil {
		return fmt.Errorf("create first workspace: %w", err)
	}
	fmt.Fprintf(e.stdout, "Created workspace %q with an admin.\n  Sign in as: %s\n  Password:   %s\n", ws.Slug, u.Email, pw)
	return nil
}

func randomPassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
