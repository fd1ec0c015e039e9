package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/attain-crm/attain/loadtest"
)

func cmdLoadtest(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("loadtest", "", `Drive a running Attain server over HTTP with a mixed workload of reads (filtered
lists, search, record pages, dashboards) and writes (create, update and move
deals, log activities) from concurrent clients for a fixed time, then measure
a bare net/http JSON handler the same way as the machine's ceiling. Prints
throughput and p50/p95/p99 latency per operation as a Markdown table.

The token's workspace is read first (deal ids, search words, the default
pipeline), so it runs against any workspace; writes go to deals the run
creates itself. Use a workspace you can spare: the run adds deals and
activities to it.`, e)
	url := stringFlag(fs, e, "url", "ATTAIN_URL", "http://localhost:8080", "the server's base URL")
	token := stringFlag(fs, e, "token", "ATTAIN_TOKEN", "", "a personal API token (atn_...) of a member of the workspace")
	clients := fs.Int("clients", 32, "concurrent clients")
	duration := fs.Duration("duration", 30*time.Second, "how long to drive the server (and then the ceiling)")
	mixFlag := fs.String("mix", loadtest.DefaultMix().String(), "operations and their weights")
	dashboards := fs.String("dashboards", "", "comma-separated dashboard GET paths; default: those in the server's OpenAPI document")
	seed := fs.Uint64("seed", 1, "random seed of the clients' choices")
	deals := fs.Int("deals", 0, "the workspace's size in deals, for the report only")
	populate := fs.Int("populate", 0, "first create this many deals through the API (a call on every fourth), when no demo workspace is at hand")
	out := fs.String("out", "", "also write the report to this file")
	ceiling := fs.Bool("ceiling", true, "measure the bare net/http ceiling after the server")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *token == "" {
		return usageError{"loadtest: give --token (or ATTAIN_TOKEN); create one with: attain tokens create --email E --name loadtest"}
	}
	if *clients < 1 || *duration <= 0 {
		return usageError{"loadtest: --clients must be at least 1 and --duration above 0"}
	}
	mix, err := loadtest.ParseMix(*mixFlag)
	if err != nil {
		return usageError{"loadtest: " + err.Error()}
	}
	cfg := loadtest.Config{URL: *url, Token: *token, Clients: *clients, Duration: *duration, Mix: mix, Seed: *seed, NoCeiling: !*ceiling}
	if *dashboards != "" {
		cfg.Dashboards = []string{}
		for p := range strings.SplitSeq(*dashboards, ",") {
			if p = strings.TrimSpace(p); p != "" {
				cfg.Dashboards = append(cfg.Dashboards, p)
			}
		}
	}
	if *populate > 0 {
		start := time.Now()
		if err := loadtest.Populate(ctx, cfg, *populate); err != nil {
			return fmt.Errorf("loadtest: %w", err)
		}
		d := time.Since(start)
		fmt.Fprintf(e.stderr, "loadtest: created %d deals in %s (%.0f deals/s)\n", *populate, d.Round(time.Millisecond), float64(*populate)/d.Seconds())
	}
	fmt.Fprintf(e.stderr, "loadtest: %d clients for %s against %s, mix %s; ceiling %t\n", *clients, *duration, *url, mix, *ceiling)
	rep, err := loadtest.Run(ctx, cfg)
	if err != nil {
		return fmt.Errorf("loadtest: %w", err)
	}
	rep.Deals = *deals
	if err := rep.WriteMarkdown(e.stdout); err != nil {
		return err
	}
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		if err := rep.WriteMarkdown(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	return nil
}
