package api

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// publicRoutes are the only routes anyone may call without credentials. A
// new public route must be added here on purpose.
var publicRoutes = []string{
	"GET /healthz",
	"GET /readyz",
	"GET /api/v1/openapi.json",
	"POST /api/v1/session",
	"DELETE /api/v1/session",
}

var pathParam = regexp.MustCompile(`\{([a-zA-Z_]+)\.*\}`)

// fillPath replaces every {param} in path with value(param, kind), where
// kind is the path segment before the parameter (/teams/{id} → "teams").
func fillPath(path string, value func(param, kind string) string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if m := pathParam.FindStringSubmatch(s); m != nil {
			kind := ""
			if i > 0 {
				kind = segs[i-1]
			}
			segs[i] = value(m[1], kind)
		}
	}
	return strings.Join(segs, "/")
}

func TestRouteWalkNeedsCredentials(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Walk")
		before := e.auditCount(ws.Workspace)
		var public []string
		for _, rt := range e.Srv.routes {
			name := rt.Method + " " + rt.Path
			if rt.Public {
				public = append(public, name)
				continue
			}
			path := fillPath(rt.Path, func(string, string) string { return "1" })
			var body any
			if rt.Method != "GET" && rt.Method != "DELETE" {
				body = "{}"
			}
			t.Run(name, func(t *testing.T) {
				for _, c := range []struct {
					what string
					c    *client
				}{
					{"no credentials", e.anon()},
					{"garbage token", e.anon().with("Authorization", "Bearer atn_garbage")},
					{"garbage cookie", e.anon().with("Cookie", SessionCookie+"=garbage")},
				} {
					res := c.c.do(rt.Method, path, body)
					res.problemType(t, http.StatusUnauthorized, "unauthenticated")
					if res.Header.Get("WWW-Authenticate") == "" {
						t.Errorf("%s: 401 without WWW-Authenticate", c.what)
					}
				}
			})
		}
		slices.Sort(public)
		want := slices.Clone(publicRoutes)
		slices.Sort(want)
		if !slices.Equal(public, want) {
			t.Errorf("public routes = %v\nwant exactly %v (add a new public route to publicRoutes on purpose)", public, want)
		}
		if after := e.auditCount(ws.Workspace); after != before {
			t.Errorf("unauthenticated requests wrote %d audit entries", after-before)
		}
	})
}

// Paths and methods that no route serves answer problem+json too.
func TestUnknownEndpoint(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		c := e.tokenClient(e.newWorkspace("Unknown").Admin)
		c.do("GET", "/api/v1/no-such-thing", nil).problemType(t, http.StatusNotFound, "not_found")
		c.do("GET", "/api/v1/users/abc", nil).problemType(t, http.StatusNotFound, "not_found")
		c.do("GET", "/api/v1/users/-1", nil).problemType(t, http.StatusNotFound, "not_found")
		c.do("GET", "/api/v1/users/999999999", nil).problemType(t, http.StatusNotFound, "not_found")
	})
}
