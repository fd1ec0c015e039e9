package api

// The API test harness: a real server over a real database of each engine,
// workspaces with one member of each role, and clients that sign in the ways
// real clients do. Reuse it for every endpoint:
//
//	forEachEnv(t, func(t *testing.T, e *testEnv) {
//		ws := e.newWorkspace("Acme")        // an admin, a manager and a rep
//		c := e.tokenClient(ws.Rep)          // Authorization: Bearer atn_...
//		res := c.do("POST", "/api/v1/teams", `{"name":"East"}`)
//		res.problem(t, http.StatusForbidden) // or res.want(t, 201).decode(t, &team)
//	})
//
// Routes that take a path parameter must also tell the cross-workspace test
// how to make a record of their kind (registerSeed) and, for writes, what a
// valid body is (registerWriteBody); see isolation_test.go.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// testPassword is every test user's password.
const testPassword = "correct horse battery"

// testEnv is one running API server over a fresh database.
type testEnv struct {
	t    *testing.T
	DB   *store.DB
	Svc  *service.Service
	Srv  *Server
	HTTP *httptest.Server
	Logs *syncBuffer // the server's JSON log lines

	offset atomic.Int64 // added to the real time by the database clock
	seq    atomic.Int64
}

// envOptions change how newTestEnv builds the server.
type envOptions struct {
	TLS bool // serve over HTTPS (httptest.NewTLSServer)
}

// forEachEnv runs fn on a fresh server over each engine.
func forEachEnv(t *testing.T, fn func(t *testing.T, e *testEnv)) {
	t.Helper()
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		fn(t, newTestEnv(t, db, envOptions{}))
	})
}

// newTestEnv starts a server over db, stopped when the test ends. The
// database clock is the real time plus an offset that advance moves, set up
// before the server starts so that moving it races with nothing.
func newTestEnv(t *testing.T, db *store.DB, opt envOptions) *testEnv {
	t.Helper()
	e := &testEnv{t: t, DB: db, Logs: &syncBuffer{}}
	db.Now = func() time.Time {
		return time.Now().Add(time.Duration(e.offset.Load())).UTC().Truncate(time.Microsecond)
	}
	log := slog.New(slog.NewJSONHandler(e.Logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.Svc = service.New(db, log, service.FastHasher())
	srv, err := NewServer(Config{Service: e.Svc, Logger: log})
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	e.Srv = srv
	if opt.TLS {
		e.HTTP = httptest.NewTLSServer(srv)
	} else {
		e.HTTP = httptest.NewServer(srv)
	}
	t.Cleanup(e.HTTP.Close)
	t.Cleanup(func() {
		// A failing test shows what the server complained about.
		if !t.Failed() {
			return
		}
		for _, l := range e.logLines() {
			if l["level"] == "ERROR" || l["level"] == "WARN" {
				t.Logf("server log: %v", l)
			}
		}
	})
	return e
}

// advance moves the database clock forward, as if d had passed.
func (e *testEnv) advance(d time.Duration) { e.offset.Add(int64(d)) }

// testWorkspace is a workspace with one member of each role.
type testWorkspace struct {
	*attain.Workspace
	Admin, Manager, Rep *testUser
}

// testUser is a member and the password they sign in with.
type testUser struct {
	*attain.User
	Password string
	WS       *attain.Workspace
}

// newWorkspace bootstraps a workspace named name with its admin, then adds
// a manager and a rep. Names and emails derive from the workspace's slug.
func (e *testEnv) newWorkspace(name string) *testWorkspace {
	e.t.Helper()
	ctx := context.Background()
	slug := attain.Slugify(name)
	w, admin, err := e.Svc.Bootstrap(ctx, name, attain.NewUser{Email: "admin@" + slug + ".test", Name: name + " Admin", Password: testPassword})
	if err != nil {
		e.t.Fatalf("bootstrap %s: %v", name, err)
	}
	ws := &testWorkspace{Workspace: w, Admin: &testUser{User: admin, Password: testPassword, WS: w}}
	ws.Manager = e.addUser(ws, attain.RoleManager, name+" Manager")
	ws.Rep = e.addUser(ws, attain.RoleRep, name+" Rep")
	return ws
}

// addUser adds a member with a role, as the workspace's admin would.
func (e *testEnv) addUser(ws *testWorkspace, role attain.Role, name string) *testUser {
	e.t.Helper()
	email := fmt.Sprintf("%s%d@%s.test", role, e.seq.Add(1), ws.Slug)
	u, err := e.Svc.CreateUser(context.Background(), e.actor(ws.Admin), attain.NewUser{Email: email, Name: name, Password: testPassword, Role: role})
	if err != nil {
		e.t.Fatalf("add %s: %v", name, err)
	}
	return &testUser{User: u, Password: testPassword, WS: ws.Workspace}
}

// actor resolves u as the services see them, for setting up data directly.
func (e *testEnv) actor(u *testUser) *attain.Actor {
	e.t.Helper()
	a, err := e.Svc.ActorFor(context.Background(), u.WS.ID, u.ID)
	if err != nil {
		e.t.Fatalf("actor for %s: %v", u.Email, err)
	}
	return a
}

// newToken creates an API token for u and returns its secret.
func (e *testEnv) newToken(u *testUser, expires *time.Time) (*attain.APIToken, string) {
	e.t.Helper()
	tok, err := e.Svc.CreateToken(context.Background(), e.actor(u), attain.NewToken{Name: "test", ExpiresAt: expires})
	if err != nil {
		e.t.Fatalf("token for %s: %v", u.Email, err)
	}
	return tok, tok.Secret
}

// anon returns a client with no credentials (but a cookie jar).
func (e *testEnv) anon() *client {
	jar, _ := cookiejar.New(nil)
	hc := e.HTTP.Client()
	return &client{t: e.t, base: e.HTTP.URL, hc: &http.Client{Transport: hc.Transport, Jar: jar}, header: http.Header{}}
}

// tokenClient returns a client sending a fresh API token of u.
func (e *testEnv) tokenClient(u *testUser) *client {
	e.t.Helper()
	_, secret := e.newToken(u, nil)
	c := e.anon()
	c.header.Set("Authorization", "Bearer "+secret)
	return c
}

// cookieClient returns a client signed in as u through POST /api/v1/session,
// holding the session cookie as a browser would. It sends no Origin or
// Sec-Fetch-Site header unless the test sets one.
func (e *testEnv) cookieClient(u *testUser) *client {
	e.t.Helper()
	c := e.anon()
	c.login(u.Email, u.Password).want(e.t, http.StatusOK)
	return c
}

// auditCount counts the entries in a workspace's audit log.
func (e *testEnv) auditCount(ws *attain.Workspace) int {
	e.t.Helper()
	n, cursor := 0, ""
	for {
		es, next, err := e.Svc.FindAudit(context.Background(), attain.SystemActor(ws.ID), attain.AuditFilter{Page: attain.Page{Limit: attain.MaxPageSize, Cursor: cursor}})
		if err != nil {
			e.t.Fatalf("read audit: %v", err)
		}
		n += len(es)
		if next == "" {
			return n
		}
		cursor = next
	}
}

// lastAudit returns the newest audit entry of a workspace.
func (e *testEnv) lastAudit(ws *attain.Workspace) *attain.AuditEntry {
	e.t.Helper()
	es, _, err := e.Svc.FindAudit(context.Background(), attain.SystemActor(ws.ID), attain.AuditFilter{Page: attain.Page{Limit: 1}})
	if err != nil || len(es) == 0 {
		e.t.Fatalf("read audit: %v (%d entries)", err, len(es))
	}
	return es[0]
}

// client talks to the test server with fixed extra headers.
type client struct {
	t      *testing.T
	base   string
	hc     *http.Client
	header http.Header
}

// with returns a copy of c that also sends the header key: value.
func (c *client) with(key, value string) *client {
	cc := *c
	cc.header = c.header.Clone()
	cc.header.Set(key, value)
	return &cc
}

// do sends a request. body may be nil, a string or []byte sent as is, or
// any other value sent as JSON; a body gets Content-Type application/json
// unless headers (pairs of key, value) say otherwise.
func (c *client) do(method, path string, body any, headers ...string) *response {
	c.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatalf("marshal body: %v", err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		c.t.Fatalf("new request: %v", err)
	}
	for k, vs := range c.header {
		req.Header[k] = vs
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return &response{t: c.t, req: method + " " + path, Status: res.StatusCode, Header: res.Header, Body: b, Cookies: res.Cookies()}
}

// login signs in through the API, keeping the cookie in c's jar.
func (c *client) login(email, password string) *response {
	c.t.Helper()
	return c.do("POST", "/api/v1/session", map[string]string{"email": email, "password": password})
}

// response is a finished response with its body read.
type response struct {
	t       *testing.T
	req     string
	Status  int
	Header  http.Header
	Body    []byte
	Cookies []*http.Cookie
}

// want fails the test unless the status is one of codes.
func (r *response) want(t *testing.T, codes ...int) *response {
	t.Helper()
	for _, c := range codes {
		if r.Status == c {
			return r
		}
	}
	t.Fatalf("%s: status %d, want %v; body: %s", r.req, r.Status, codes, r.Body)
	return r
}

// decode unmarshals the body into v.
func (r *response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("%s: decode %s: %v", r.req, r.Body, err)
	}
}

// id returns the "id" of a JSON object body.
func (r *response) id(t *testing.T) int64 {
	t.Helper()
	var v struct{ ID int64 }
	r.decode(t, &v)
	if v.ID == 0 {
		t.Fatalf("%s: no id in %s", r.req, r.Body)
	}
	return v.ID
}

// problem checks that the response is an RFC 9457 problem with the status
// and returns it.
func (r *response) problem(t *testing.T, status int) problem {
	t.Helper()
	r.want(t, status)
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("%s: Content-Type %q, want application/problem+json; body: %s", r.req, ct, r.Body)
	}
	var p problem
	r.decode(t, &p)
	if !strings.HasPrefix(p.Type, problemBase) || len(p.Type) == len(problemBase) || p.Title == "" || p.Status != status {
		t.Fatalf("%s: problem %+v lacks a type, title or status", r.req, p)
	}
	if p.RequestID == "" || p.RequestID != r.Header.Get("X-Request-Id") {
		t.Fatalf("%s: problem request_id %q, header %q", r.req, p.RequestID, r.Header.Get("X-Request-Id"))
	}
	return p
}

// problemType checks the problem's status and its type (the part after the
// base URL, e.g. "malformed_json" or "forbidden").
func (r *response) problemType(t *testing.T, status int, typ string) problem {
	t.Helper()
	p := r.problem(t, status)
	if p.Type != problemBase+typ {
		t.Fatalf("%s: problem type %q, want %q; body: %s", r.req, p.Type, problemBase+typ, r.Body)
	}
	return p
}

// fields returns the field names a problem's errors list.
func (p problem) fields() []string {
	var out []string
	for _, f := range p.Errors {
		out = append(out, f.Field)
	}
	return out
}

// syncBuffer is a bytes.Buffer safe for a writer and readers in other goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// logLines returns the server's log lines as JSON objects.
func (e *testEnv) logLines() []map[string]any {
	var out []map[string]any
	for _, line := range strings.Split(e.Logs.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}
