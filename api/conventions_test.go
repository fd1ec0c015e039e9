package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestETagAndIfMatch(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Versions")
		c := e.tokenClient(ws.Admin)
		userPath := fmt.Sprintf("/api/v1/users/%d", ws.Rep.ID)

		res := c.do("GET", userPath, nil).want(t, http.StatusOK)
		etag := res.Header.Get("ETag")
		var u struct{ Version int64 }
		res.decode(t, &u)
		if etag != `"`+strconv.FormatInt(u.Version, 10)+`"` {
			t.Fatalf("ETag %q for version %d", etag, u.Version)
		}
		res = c.do("PATCH", userPath, `{"name":"First"}`, "If-Match", etag).want(t, http.StatusOK)
		newTag := res.Header.Get("ETag")
		if newTag == "" || newTag == etag {
			t.Errorf("ETag after update = %q, was %q", newTag, etag)
		}
		// A second writer still holding the old ETag is refused, and nothing changes.
		c.do("PATCH", userPath, `{"name":"Second"}`, "If-Match", etag).problemType(t, http.StatusPreconditionFailed, "stale")
		c.do("PATCH", userPath, `{"role":"manager"}`, "If-Match", etag).problemType(t, http.StatusPreconditionFailed, "stale")
		var now struct{ Name, Role string }
		c.do("GET", userPath, nil).want(t, http.StatusOK).decode(t, &now)
		if now.Name != "First" || now.Role != "rep" {
			t.Errorf("after stale writes: %+v", now)
		}
		c.do("PATCH", userPath, `{"name":"Third"}`, "If-Match", `W/`+newTag).want(t, http.StatusOK)
		c.do("PATCH", userPath, `{"name":"Fourth"}`, "If-Match", "*").want(t, http.StatusOK)

		// Teams: update and delete honour If-Match the same way.
		res = c.do("POST", "/api/v1/teams", `{"name":"East"}`).want(t, http.StatusCreated)
		teamPath := fmt.Sprintf("/api/v1/teams/%d", res.id(t))
		tag := c.do("GET", teamPath, nil).want(t, http.StatusOK).Header.Get("ETag")
		if tag != res.Header.Get("ETag") || tag == "" {
			t.Errorf("GET ETag %q, create ETag %q", tag, res.Header.Get("ETag"))
		}
		c.do("PUT", teamPath, `{"name":"East 2"}`, "If-Match", tag).want(t, http.StatusOK)
		c.do("PUT", teamPath, `{"name":"East 3"}`, "If-Match", tag).problemType(t, http.StatusPreconditionFailed, "stale")
		c.do("DELETE", teamPath, nil, "If-Match", tag).problemType(t, http.StatusPreconditionFailed, "stale")
		tag = c.do("GET", teamPath, nil).want(t, http.StatusOK).Header.Get("ETag")
		c.do("DELETE", teamPath, nil, "If-Match", tag).want(t, http.StatusNoContent)
		c.do("GET", teamPath, nil).problemType(t, http.StatusNotFound, "not_found")
	})
}

func TestIdempotencyKey(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Idem")
		c := e.tokenClient(ws.Admin)
		first := c.do("POST", "/api/v1/teams", `{"name":"East"}`, "Idempotency-Key", "key-1").want(t, http.StatusCreated)
		if first.Header.Get("Idempotent-Replayed") != "" {
			t.Error("first response marked as replayed")
		}
		audit := e.auditCount(ws.Workspace)
		again := c.do("POST", "/api/v1/teams", `{"name":"East"}`, "Idempotency-Key", "key-1").want(t, http.StatusCreated)
		if again.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("replay lacks Idempotent-Replayed: %v", again.Header)
		}
		if again.id(t) != first.id(t) || string(again.Body) != string(first.Body) {
			t.Errorf("replay = %s, first = %s", again.Body, first.Body)
		}
		if again.Header.Get("ETag") != first.Header.Get("ETag") || again.Header.Get("Content-Type") != first.Header.Get("Content-Type") {
			t.Errorf("replay headers ETag %q Content-Type %q, first %q %q", again.Header.Get("ETag"), again.Header.Get("Content-Type"),
				first.Header.Get("ETag"), first.Header.Get("Content-Type"))
		}
		if n := e.auditCount(ws.Workspace); n != audit {
			t.Errorf("replay wrote %d audit entries", n-audit)
		}
		// The same key with another body is the client's mistake.
		p := c.do("POST", "/api/v1/teams", `{"name":"West"}`, "Idempotency-Key", "key-1").problemType(t, http.StatusUnprocessableEntity, "invalid")
		if len(p.Errors) == 0 || p.Errors[0].Field != "Idempotency-Key" {
			t.Errorf("errors = %+v, want Idempotency-Key", p.Errors)
		}
		// A failed request does not burn its key.
		c.do("POST", "/api/v1/teams", `{"name":""}`, "Idempotency-Key", "key-2").problem(t, http.StatusUnprocessableEntity)
		c.do("POST", "/api/v1/teams", `{"name":"North"}`, "Idempotency-Key", "key-2").want(t, http.StatusCreated)
		// Keys belong to one user: another admin's key-1 is their own.
		other := e.tokenClient(e.addUser(ws, "admin", "Second Admin"))
		res := other.do("POST", "/api/v1/teams", `{"name":"South"}`, "Idempotency-Key", "key-1").want(t, http.StatusCreated)
		if res.Header.Get("Idempotent-Replayed") != "" || res.id(t) == first.id(t) {
			t.Errorf("another user's request replayed the first: %s", res.Body)
		}
		var teams struct{ Items []struct{ Name string } }
		c.do("GET", "/api/v1/teams", nil).want(t, http.StatusOK).decode(t, &teams)
		if len(teams.Items) != 3 {
			t.Errorf("teams = %+v, want East, North and South once each", teams.Items)
		}
	})
}

func TestRequestID(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Request Ids")
		c := e.tokenClient(ws.Admin)
		// Every response carries one, errors and non-API paths included.
		for _, r := range []struct {
			c      *client
			method string
			path   string
			body   any
		}{
			{c, "GET", "/api/v1/users", nil},
			{c, "POST", "/api/v1/teams", `{"name":`},
			{c, "GET", "/api/v1/nothing-here", nil},
			{e.anon(), "GET", "/api/v1/users", nil},
			{e.anon(), "GET", "/healthz", nil},
			{e.anon(), "GET", "/metrics", nil},
			{e.anon(), "GET", "/some/page", nil},
		} {
			res := r.c.do(r.method, r.path, r.body)
			if id := res.Header.Get("X-Request-Id"); len(id) < 8 {
				t.Errorf("%s %s: X-Request-Id %q", r.method, r.path, id)
			}
		}
		// A sane id from the caller is kept, and is the one in the audit log.
		res := c.do("POST", "/api/v1/teams", `{"name":"Traced"}`, "X-Request-Id", "trace-abc-123").want(t, http.StatusCreated)
		if got := res.Header.Get("X-Request-Id"); got != "trace-abc-123" {
			t.Errorf("X-Request-Id = %q, want the caller's", got)
		}
		if got := e.lastAudit(ws.Workspace); got.RequestID != "trace-abc-123" || got.EntityType != "team" {
			t.Errorf("audit entry %+v, want request id trace-abc-123", got)
		}
		// An error's problem names it too.
		p := c.do("POST", "/api/v1/teams", `{"name":""}`, "X-Request-Id", "trace-err-1").problem(t, http.StatusUnprocessableEntity)
		if p.RequestID != "trace-err-1" {
			t.Errorf("problem request_id = %q", p.RequestID)
		}
		// An id that could forge log lines is replaced.
		for _, bad := range []string{"has space", strings.Repeat("x", 65), "tab\there"} {
			res := c.do("GET", "/api/v1/users", nil, "X-Request-Id", bad)
			if got := res.Header.Get("X-Request-Id"); got == bad || got == "" {
				t.Errorf("X-Request-Id %q kept as %q", bad, got)
			}
		}
		// The sign-in's audit entry has its request id.
		e.anon().do("POST", "/api/v1/session", map[string]string{"email": ws.Rep.Email, "password": testPassword}, "X-Request-Id", "login-1").want(t, http.StatusOK)
		if got := e.lastAudit(ws.Workspace); got.RequestID != "login-1" || got.Action != "login" {
			t.Errorf("login audit = %+v", got)
		}
	})
}

// Request log lines say who made the request.
func TestRequestLog(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Logs")
		e.tokenClient(ws.Rep).do("GET", "/api/v1/users", nil, "X-Request-Id", "log-line-1").want(t, http.StatusOK)
		e.anon().do("GET", "/api/v1/users", nil, "X-Request-Id", "log-line-2")
		var found1, found2 bool
		for _, l := range e.logLines() {
			switch l["request_id"] {
			case "log-line-1":
				found1 = true
				if l["user_id"] != float64(ws.Rep.ID) || l["workspace_id"] != float64(ws.ID) || l["status"] != float64(200) {
					t.Errorf("log line = %v, want user %d in workspace %d", l, ws.Rep.ID, ws.ID)
				}
			case "log-line-2":
				found2 = true
				if _, ok := l["user_id"]; ok || l["status"] != float64(401) {
					t.Errorf("anonymous log line = %v", l)
				}
			}
		}
		if !found1 || !found2 {
			t.Errorf("request lines missing from logs:\n%s", e.Logs.String())
		}
	})
}

func TestHealthAndMetrics(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.anon()
		var h health
		c.do("GET", "/healthz", nil).want(t, http.StatusOK).decode(t, &h)
		if h.Status != "ok" {
			t.Errorf("healthz = %+v", h)
		}
		c.do("GET", "/readyz", nil).want(t, http.StatusOK).decode(t, &h)
		if h.Status != "ok" || h.Engine != e.DB.Engine() {
			t.Errorf("readyz = %+v", h)
		}
		c.do("GET", "/api/v1/users", nil) // a 401, counted too
		res := c.do("GET", "/metrics", nil).want(t, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("metrics Content-Type %q", ct)
		}
		body := string(res.Body)
		for _, want := range []string{
			`attain_http_requests_total{route="GET /healthz",status="200"} 1`,
			`attain_http_requests_total{route="GET /api/v1/users",status="401"} 1`,
			`attain_http_request_duration_seconds_bucket{route="GET /readyz"`,
			"go_goroutines",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
	})
}

// A closed database makes the server not ready, while it stays alive.
func TestReadyzDatabaseDown(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		e.DB.Close()
		c := e.anon()
		c.do("GET", "/healthz", nil).want(t, http.StatusOK)
		var h health
		c.do("GET", "/readyz", nil).want(t, http.StatusServiceUnavailable).decode(t, &h)
		if h.Status == "ok" {
			t.Errorf("readyz = %+v", h)
		}
	})
}

// A retry sent while the first request is still running must not create a
// second record: it waits its turn and is refused or replayed.
func TestIdempotencyKeyConcurrent(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Idem Race")
		c := e.tokenClient(ws.Admin)
		const n = 6
		results := make(chan *response, n)
		start := make(chan struct{})
		for i := range n {
			go func() {
				<-start
				results <- c.do("POST", "/api/v1/users", map[string]string{"email": "race@idem.test", "name": "Race", "password": testPassword},
					"Idempotency-Key", "race-key", "X-Request-Id", fmt.Sprintf("race-%d", i))
			}()
		}
		close(start)
		ids := map[int64]bool{}
		for range n {
			res := <-results
			switch res.Status {
			case http.StatusCreated:
				ids[res.id(t)] = true
			case http.StatusConflict:
				res.problemType(t, http.StatusConflict, "conflict")
			default:
				t.Errorf("concurrent retry: status %d, body %s; want 201 (first or replayed) or 409 (still running)", res.Status, res.Body)
			}
		}
		if len(ids) != 1 {
			t.Errorf("concurrent retries answered with users %v, want one", ids)
		}
		// Once the first finished, a retry is a replay.
		res := c.do("POST", "/api/v1/users", map[string]string{"email": "race@idem.test", "name": "Race", "password": testPassword}, "Idempotency-Key", "race-key").
			want(t, http.StatusCreated)
		if res.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("retry after the race was not a replay: %s", res.Body)
		}
	})
}
