package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The cross-workspace test walks the route table, so a route added later is
// covered without anyone writing a test for it. It needs to know two things
// about each route with a path parameter, registered beside the route's own
// tests with package-level vars:
//
//	var _ = registerSeed("deals", func(t *testing.T, s *seedCtx) string {
//		return strconv.FormatInt(s.Admin.do("POST", "/api/v1/deals",
//			map[string]any{"name": s.Marker + " deal", ...}).want(t, 201).id(t), 10)
//	})
//	var _ = registerWriteBody("PATCH /api/v1/deals/{id}", `{"name":"changed"}`)
//
// A seed makes one record of its kind in workspace B through the API and
// returns the value for the path parameter; put s.Marker in one of its text
// fields, so that a leak of it into workspace A's responses is caught. A
// write body must be valid, so that a 404 proves the workspace check and not
// the validation.
//
// Some path parameters are names every workspace has its own record under
// (a picklist called "industry"). Declare such a kind shared, with a name to
// use; A then reaches its own record, so a route whose parameters are all
// shared is not expected to answer 404 (B must still be unchanged):
//
//	var _ = registerSharedKind("picklists", "industry")

// seedCtx is what a seed gets: workspace B's admin as an API client, the
// marker, and the values of kinds already seeded (to refer to them).
type seedCtx struct {
	Env    *testEnv
	WS     *testWorkspace
	Admin  *client
	Marker string
	seeds  map[string]string
	t      *testing.T
}

// Seed returns the value of another kind, seeding it first if need be.
func (s *seedCtx) Seed(kind string) string {
	s.t.Helper()
	if v, ok := s.seeds[kind]; ok {
		return v
	}
	fn, ok := seeders[kind]
	if !ok {
		s.t.Fatalf("no seed registered for kind %q", kind)
	}
	v := fn(s.t, s)
	s.seeds[kind] = v
	return v
}

var (
	seeders      = map[string]func(t *testing.T, s *seedCtx) string{}
	sharedKinds  = map[string]string{}
	writeBodies  = map[string]string{}
	listQueries  = map[string]string{}
	scopeQueries = map[string]bool{}
)

// registerSharedKind declares that a kind's keys name a record of the
// caller's own workspace (the same name exists in every workspace), and gives
// the key to use.
func registerSharedKind(kind, value string) bool {
	sharedKinds[kind] = value
	return true
}

// registerSeed says how to make a record of a kind (the path segment before
// a parameter, e.g. "teams" for /api/v1/teams/{id}) in workspace B.
func registerSeed(kind string, fn func(t *testing.T, s *seedCtx) string) bool {
	if _, dup := seeders[kind]; dup {
		panic("two seeds for kind " + kind)
	}
	seeders[kind] = fn
	return true
}

// registerWriteBody gives a valid body for a write route ("METHOD /path").
func registerWriteBody(route, body string) bool {
	writeBodies[route] = body
	return true
}

// registerScopeQuery says a GET route's *_id parameters choose whose
// figures to compute (a rep, a team) rather than filter a list: naming B's
// record answers 404 (nothing of A's by that id) or 200, never B's data.
func registerScopeQuery(route string) bool {
	scopeQueries[route] = true
	return true
}

// registerListQuery gives the query string a GET route needs to answer 200
// (a search needs q), e.g. "q="+isolationMarker so the search is checked too.
func registerListQuery(route, query string) bool {
	listQueries[route] = query
	return true
}

// The foundation's kinds.
var (
	_ = registerSeed("users", func(t *testing.T, s *seedCtx) string {
		id := s.Admin.do("POST", "/api/v1/users", map[string]string{
			"email": "seeded@" + s.Marker + ".test", "name": s.Marker + " Seeded", "password": testPassword, "role": "rep",
		}).want(t, http.StatusCreated).id(t)
		return strconv.FormatInt(id, 10)
	})
	_ = registerSeed("teams", func(t *testing.T, s *seedCtx) string {
		id := s.Admin.do("POST", "/api/v1/teams", map[string]any{
			"name": s.Marker + " Team", "manager_id": s.WS.Manager.ID, "member_ids": []int64{s.WS.Rep.ID},
		}).want(t, http.StatusCreated).id(t)
		return strconv.FormatInt(id, 10)
	})
	_ = registerSeed("tokens", func(t *testing.T, s *seedCtx) string {
		id := s.Admin.do("POST", "/api/v1/tokens", map[string]string{"name": s.Marker + " token"}).want(t, http.StatusCreated).id(t)
		return strconv.FormatInt(id, 10)
	})

	_ = registerWriteBody("PATCH /api/v1/users/{id}", `{"name":"Renamed by A"}`)
	_ = registerWriteBody("PUT /api/v1/users/{id}/password", `{"password":"taken over by A"}`)
	_ = registerWriteBody("PUT /api/v1/teams/{id}", `{"name":"Renamed by A"}`)
)

// isolationMarker is in every name workspace B's records have; workspace A
// must never see it.
const isolationMarker = "bravosecret"

func TestCrossWorkspaceIsolation(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		wa := e.newWorkspace("Alpha")
		wb := e.newWorkspace(isolationMarker + " Corp")
		a := e.tokenClient(wa.Admin)
		bAdmin := e.cookieClient(wb.Admin)
		sc := &seedCtx{Env: e, WS: wb, Admin: e.tokenClient(wb.Admin), Marker: isolationMarker, seeds: map[string]string{}, t: t}
		// A has data of every kind too, so its lists are not trivially empty.
		e.tokenClient(wa.Admin).do("POST", "/api/v1/teams", `{"name":"Alpha Team"}`).want(t, http.StatusCreated)

		// Fill every path parameter from B's seeds; a kind nobody registered
		// fails here, naming the route.
		type call struct {
			rt   route
			path string
			body any
			ofB  bool // a path parameter names one of B's records
		}
		var calls []call
		missingSeeds := map[string][]string{} // kind → routes
		var missingBodies []string
		for _, rt := range e.Srv.routes {
			if rt.Public {
				continue
			}
			name := rt.Method + " " + rt.Path
			missing, ofB := false, false
			path := fillPath(rt.Path, func(param, kind string) string {
				if v, ok := sharedKinds[kind]; ok {
					return v
				}
				ofB = true
				if _, ok := seeders[kind]; !ok {
					missingSeeds[kind] = append(missingSeeds[kind], name)
					missing = true
					return ""
				}
				return sc.Seed(kind)
			})
			if missing {
				continue
			}
			if q, ok := listQueries[name]; ok {
				path += "?" + q
			}
			c := call{rt: rt, path: path, ofB: ofB}
			if ofB && rt.Method != "GET" && rt.Method != "DELETE" {
				b, ok := writeBodies[name]
				if !ok {
					missingBodies = append(missingBodies, name)
					continue
				}
				c.body = b
			}
			calls = append(calls, c)
		}
		// Routes this test cannot fill fail loudly, once per kind, saying
		// what their author must add; the others are still checked.
		for _, kind := range slices.Sorted(maps.Keys(missingSeeds)) {
			routes := missingSeeds[kind]
			t.Errorf("no isolation seed for path parameters of kind %q, used by %s: add `var _ = registerSeed(%q, ...)` (or registerSharedKind) next to their tests; see api/isolation_test.go",
				kind, strings.Join(routes, ", "), kind)
		}
		for _, name := range missingBodies {
			t.Errorf("no valid body for %s: add `var _ = registerWriteBody(%q, body)` next to its tests; see api/isolation_test.go", name, name)
		}

		// B's view of its own data before and after: every GET it can make.
		snapshot := func() map[string]string {
			out := map[string]string{}
			for _, c := range calls {
				if c.rt.Method == "GET" {
					out[c.path] = string(bAdmin.do("GET", c.path, nil).want(t, http.StatusOK).Body)
				}
			}
			return out
		}
		beforeB := snapshot()
		auditB := e.auditCount(wb.Workspace)

		for _, c := range calls {
			name := c.rt.Method + " " + c.rt.Path
			if c.ofB {
				// A route on one of B's records: it does not exist for A.
				res := a.do(c.rt.Method, c.path, c.body)
				res.problem(t, http.StatusNotFound)
				if bytes.Contains(bytes.ToLower(res.Body), []byte(isolationMarker)) {
					t.Errorf("%s on B's record leaks B's data: %s", name, res.Body)
				}
				continue
			}
			if c.rt.Method != "GET" {
				continue // creates are checked by the tests of their references
			}
			// A list: nothing of B's, with or without a filter naming B's ids.
			paths := []string{c.path}
			for _, q := range c.rt.Query {
				if strings.HasSuffix(q, "_id") {
					for _, v := range sc.seeds {
						sep := "?"
						if strings.Contains(c.path, "?") {
							sep = "&"
						}
						paths = append(paths, c.path+sep+q+"="+v)
					}
				}
			}
			for i, p := range paths {
				codes := []int{http.StatusOK}
				if i > 0 && scopeQueries[name] {
					codes = append(codes, http.StatusNotFound)
				}
				res := a.do("GET", p, nil).want(t, codes...)
				if bytes.Contains(bytes.ToLower(res.Body), []byte(isolationMarker)) {
					t.Errorf("GET %s as A shows B's data: %s", p, res.Body)
				}
				kind := c.path[strings.LastIndex(c.path, "/")+1:]
				if seed, ok := sc.seeds[kind]; ok && strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
					var l struct{ Items []struct{ ID json.Number } }
					res.decode(t, &l)
					for _, it := range l.Items {
						if it.ID.String() == seed {
							t.Errorf("GET %s as A lists B's %s %s", p, kind, seed)
						}
					}
				}
			}
		}

		// References across workspaces are refused too.
		teamB := sc.Seed("teams")
		for _, body := range []string{
			fmt.Sprintf(`{"name":"x","manager_id":%d}`, wb.Manager.ID),
			fmt.Sprintf(`{"name":"x","member_ids":[%d]}`, wb.Rep.ID),
			fmt.Sprintf(`{"name":"x","parent_id":%s}`, teamB),
		} {
			a.do("POST", "/api/v1/teams", body).problem(t, http.StatusUnprocessableEntity)
		}
		// A's admin adding B's user by email gets a new membership in A, not
		// control of B's: B still sees the same user, name and role.
		joined := a.do("POST", "/api/v1/users", map[string]string{"email": wb.Rep.Email, "name": "Taken Over", "password": "another password", "role": "admin"}).
			want(t, http.StatusCreated).id(t)
		if joined != wb.Rep.ID {
			t.Errorf("joining by email made user %d, want B's rep %d", joined, wb.Rep.ID)
		}
		// Their name and password are theirs, not A's admin's to change.
		a.do("PUT", fmt.Sprintf("/api/v1/users/%d/password", joined), `{"password":"taken over by A"}`).problem(t, http.StatusForbidden)
		a.do("PATCH", fmt.Sprintf("/api/v1/users/%d", joined), `{"name":"Taken Over"}`).problem(t, http.StatusForbidden)

		if after := snapshot(); !maps.Equal(beforeB, after) {
			for k, v := range beforeB {
				if after[k] != v {
					t.Errorf("B's GET %s changed:\nbefore %s\nafter  %s", k, v, after[k])
				}
			}
		}
		if n := e.auditCount(wb.Workspace); n != auditB {
			t.Errorf("B's audit log grew by %d entries during A's requests", n-auditB)
		}
		// And B's rep still signs in with their own password.
		e.anon().login(wb.Rep.Email, testPassword).want(t, http.StatusOK)
	})
}
