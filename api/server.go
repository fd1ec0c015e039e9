// Package api serves Attain's HTTP API under /api/v1, the health and metrics
// endpoints, and the embedded web app. Handlers decode, call a service and
// encode; rules live in the services.
package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/service"
)

// Server is the HTTP side of Attain.
type Server struct {
	svc     *service.Service
	log     *slog.Logger
	web     fs.FS
	handler http.Handler
	routes  []route
	csrf    *http.CrossOriginProtection

	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// Config holds a Server's dependencies.
type Config struct {
	Service *service.Service
	Logger  *slog.Logger
	// Web is the built web app (index.html at its root); nil serves none.
	Web fs.FS
	// TrustedOrigins may make cookie-authenticated writes from another origin.
	TrustedOrigins []string
}

// NewServer builds the handler with every route registered.
func NewServer(cfg Config) (*Server, error) {
	s := &Server{svc: cfg.Service, log: cfg.Logger, web: cfg.Web, csrf: http.NewCrossOriginProtection()}
	for _, o := range cfg.TrustedOrigins {
		if err := s.csrf.AddTrustedOrigin(o); err != nil {
			return nil, err
		}
	}
	s.registry = prometheus.NewRegistry()
	s.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "attain_http_requests_total", Help: "HTTP requests by route and status.",
	}, []string{"route", "status"})
	s.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "attain_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"route"})
	s.registry.MustRegister(s.requests, s.duration)

	mux := http.NewServeMux()
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		mux.Handle(rt.Method+" "+rt.Path, s.wrap(rt))
	}
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))
	mux.Handle("/api/", s.notFoundOrMethod(mux))
	// Without these, another method on an operations path would fall through
	// to the web app's catch-all and get a plain-text 405.
	for _, p := range []string{"/healthz", "/readyz", "/metrics"} {
		mux.Handle(p, s.notFoundOrMethod(mux))
	}
	mux.Handle("/", s.webHandler())
	s.handler = s.withRequestID(s.recoverer(mux))
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Registry returns the Prometheus registry, so other parts can add metrics.
func (s *Server) Registry() *prometheus.Registry { return s.registry }

// handlerFunc is what every API handler is: it returns an error instead of
// writing one, and writeError turns it into problem+json.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

type ctxKey int

const (
	ctxRequestID ctxKey = iota
	ctxActor
)

func requestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(ctxRequestID).(string)
	return id
}

// actorBox holds the request's actor. wrap puts an empty one in the context
// before authenticating, so that its logging sees the actor that serve
// resolves further in, on a request it never gets back.
type actorBox struct{ a *attain.Actor }

// actor returns the authenticated member; routes that are not public always
// have one.
func actor(r *http.Request) *attain.Actor {
	if b, _ := r.Context().Value(ctxActor).(*actorBox); b != nil {
		return b.a
	}
	return nil
}

// withRequestID gives every request an id (the caller's X-Request-Id when it
// is sane), puts it on the response and in every log line.
func (s *Server) withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if len(id) == 0 || len(id) > 64 || strings.ContainsFunc(id, func(c rune) bool { return c < 0x21 || c > 0x7e }) {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		ctx := context.WithValue(r.Context(), ctxRequestID, id)
		ctx = service.WithRequestID(ctx, id)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic", "value", v, "stack", string(debug.Stack()), "request_id", requestIDFrom(r.Context()))
				s.writeError(w, r, attain.Errorf(attain.EINTERNAL, "internal error"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// wrap turns a route into a handler: authentication, CSRF protection for
// cookie sessions, idempotency for creates, then logging and metrics.
func (s *Server) wrap(rt route) http.Handler {
	name := rt.Method + " " + rt.Path
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		r = r.WithContext(context.WithValue(r.Context(), ctxActor, &actorBox{}))
		err := s.serve(sw, r, rt)
		if err != nil {
			s.writeError(sw, r, err)
		}
		elapsed := time.Since(start)
		s.requests.WithLabelValues(name, strconv.Itoa(sw.status)).Inc()
		s.duration.WithLabelValues(name).Observe(elapsed.Seconds())
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		attrs := []slog.Attr{
			slog.String("request_id", requestIDFrom(r.Context())), slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.Int("status", sw.status), slog.Duration("duration", elapsed),
		}
		if a := actor(r); a != nil {
			attrs = append(attrs, slog.Int64("user_id", a.UserID), slog.Int64("workspace_id", a.WorkspaceID))
		}
		s.log.LogAttrs(r.Context(), level, "request", attrs...)
	})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, rt route) error {
	if rt.Public {
		return rt.Handle(w, r)
	}
	a, viaCookie, err := s.authenticate(r)
	if err != nil {
		return err
	}
	if viaCookie {
		// A session cookie is sent by the browser on its own, so writes must
		// prove they come from our own pages (Sec-Fetch-Site / Origin).
		if err := s.csrf.Check(r); err != nil {
			return attain.Errorf(attain.EFORBIDDEN, "Cross-site request refused.")
		}
	}
	a.RequestID = requestIDFrom(r.Context())
	r.Context().Value(ctxActor).(*actorBox).a = a
	if rt.Idempotent && r.Header.Get("Idempotency-Key") != "" {
		return s.idempotent(w, r, rt)
	}
	return rt.Handle(w, r)
}

// SessionCookie is the name of the session cookie.
const SessionCookie = "attain_session"

// authenticate resolves the bearer token or session cookie.
func (s *Server) authenticate(r *http.Request) (a *attain.Actor, viaCookie bool, err error) {
	if h := r.Header.Get("Authorization"); h != "" {
		// The scheme is case-insensitive (RFC 9110 §11.1).
		scheme, tok, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
			return nil, false, attain.Errorf(attain.EUNAUTHENTICATED, "Use Authorization: Bearer <token>.")
		}
		a, err = s.svc.ActorForToken(r.Context(), strings.TrimSpace(tok))
		return a, false, err
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, false, attain.Errorf(attain.EUNAUTHENTICATED, "Sign in, or send an API token as Authorization: Bearer <token>.")
	}
	a, err = s.svc.ActorForSession(r.Context(), c.Value)
	return a, true, err
}
