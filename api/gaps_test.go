package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/attain-crm/attain"
)

// TestMethodNotAllowed: a known path with a wrong method answers 405
// problem+json with an Allow header; an unknown path still answers 404.
func TestMethodNotAllowed(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Methods")
		c := e.tokenClient(ws.Rep)
		for _, tc := range []struct{ method, path, allow string }{
			{"PUT", "/api/v1/deals", "GET, HEAD, POST"},
			{"POST", "/api/v1/deals/1", "GET, HEAD, PATCH, DELETE"},
			{"GET", "/api/v1/deals/1/move", "POST"},
			{"DELETE", "/api/v1/search", "GET, HEAD"},
			{"PATCH", "/api/v1/session", "GET, HEAD, POST, DELETE"},
			{"POST", "/healthz", "GET, HEAD"},
			{"DELETE", "/readyz", "GET, HEAD"},
			{"PUT", "/metrics", "GET, HEAD"},
		} {
			res := c.do(tc.method, tc.path, nil)
			p := res.problemType(t, http.StatusMethodNotAllowed, "method_not_allowed")
			if got := res.Header.Get("Allow"); got != tc.allow {
				t.Errorf("%s %s: Allow %q, want %q", tc.method, tc.path, got, tc.allow)
			}
			if !strings.Contains(p.Title, tc.method) {
				t.Errorf("%s %s: title %q does not name the method", tc.method, tc.path, p.Title)
			}
		}
		// Without credentials too: the method is wrong whoever asks.
		e.anon().do("PUT", "/api/v1/deals", nil).problemType(t, http.StatusMethodNotAllowed, "method_not_allowed")
		c.do("GET", "/api/v1/no-such-thing", nil).problemType(t, http.StatusNotFound, "not_found")
		c.do("POST", "/api/v1/deals/1/nope", nil).problemType(t, http.StatusNotFound, "not_found")
	})
}

// TestPeopleListsPage: users, teams and tokens lists honour limit, cursor,
// filters and sort like the other lists; a team's member_ids is never null.
func TestPeopleListsPage(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Pages")
		for i := range 4 {
			e.addUser(ws, attain.RoleRep, fmt.Sprintf("Zed %d", i))
		}
		admin := e.tokenClient(ws.Admin)
		for i := range 3 {
			admin.do("POST", "/api/v1/teams", fmt.Sprintf(`{"name":"Team %d"}`, i)).want(t, http.StatusCreated)
		}
		for range 3 {
			e.newToken(ws.Admin, nil)
		}
		type page struct {
			Items      []map[string]any `json:"items"`
			NextCursor string           `json:"next_cursor"`
		}
		walk := func(path string) (names []string, pages int) {
			t.Helper()
			cursor := ""
			for {
				var p page
				sep := "?"
				if strings.Contains(path, "?") {
					sep = "&"
				}
				admin.do("GET", path+sep+"limit=2&cursor="+cursor, nil).want(t, http.StatusOK).decode(t, &p)
				pages++
				if len(p.Items) > 2 {
					t.Fatalf("%s: %d items on a page of 2", path, len(p.Items))
				}
				for _, it := range p.Items {
					names = append(names, fmt.Sprint(it["name"]))
					if strings.HasPrefix(path, "/api/v1/teams") {
						if ids, ok := it["member_ids"].([]any); !ok || ids == nil {
							t.Errorf("team %v: member_ids = %#v, want a list", it["name"], it["member_ids"])
						}
					}
				}
				if p.NextCursor == "" {
					return names, pages
				}
				cursor = p.NextCursor
			}
		}
		// 3 members from newWorkspace + 4 reps, by name.
		users, pages := walk("/api/v1/users")
		if len(users) != 7 || pages != 4 || !slices.IsSorted(users) {
			t.Errorf("users in %d pages: %v", pages, users)
		}
		if reps, _ := walk("/api/v1/users?role=rep&name[prefix]=zed&sort=-name"); !slices.Equal(reps, []string{"Zed 3", "Zed 2", "Zed 1", "Zed 0"}) {
			t.Errorf("filtered users = %v", reps)
		}
		teams, _ := walk("/api/v1/teams")
		if !slices.Equal(teams, []string{"Team 0", "Team 1", "Team 2"}) {
			t.Errorf("teams = %v", teams)
		}
		// The admin's tokens: the client's own and three more, newest first.
		tokens, pages := walk("/api/v1/tokens")
		if len(tokens) != 4 || pages != 2 {
			t.Errorf("tokens in %d pages: %v", pages, tokens)
		}
		admin.do("GET", "/api/v1/users?sort=password", nil).problem(t, http.StatusUnprocessableEntity)
		admin.do("GET", "/api/v1/teams?cursor=garbage", nil).problem(t, http.StatusUnprocessableEntity)
		admin.do("GET", "/api/v1/tokens?limit=0", nil).problem(t, http.StatusUnprocessableEntity)
		// One team read on its own has member_ids too.
		var one map[string]any
		admin.do("POST", "/api/v1/teams", `{"name":"Solo"}`).want(t, http.StatusCreated).decode(t, &one)
		if ids, ok := one["member_ids"].([]any); !ok || ids == nil {
			t.Errorf("created team member_ids = %#v", one["member_ids"])
		}
	})
}

// TestActivitiesSortByTime sorts activities by occurred_at and tasks by
// due_at; activities without the time sort last either way, and pages
// through the cursor skip and repeat nothing.
func TestActivitiesSortByTime(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Sorting")
		ctx := context.Background()
		rep := e.actor(ws.Rep)
		acct, err := e.Svc.CreateAccount(ctx, rep, attain.AccountInput{Name: "Sorted"})
		if err != nil {
			t.Fatal(err)
		}
		base := time.Now().UTC().Truncate(time.Second)
		for _, off := range []int{3, 1, 4, 2} {
			at := base.Add(-time.Duration(off) * time.Hour)
			subj := fmt.Sprintf("done %d", off)
			if _, err := e.Svc.CreateActivity(ctx, rep, attain.NewActivity{Type: "call", AccountID: &acct.ID, OccurredAt: &at, Subject: subj}); err != nil {
				t.Fatal(err)
			}
			due := base.Add(time.Duration(off) * 24 * time.Hour)
			if _, err := e.Svc.CreateActivity(ctx, rep, attain.NewActivity{Type: "call", AccountID: &acct.ID, DueAt: &due, Subject: fmt.Sprintf("task %d", off)}); err != nil {
				t.Fatal(err)
			}
		}
		c := e.tokenClient(ws.Rep)
		subjects := func(query string, limit int) []string {
			t.Helper()
			var out []string
			cursor := ""
			for {
				var p struct {
					Items      []attain.Activity `json:"items"`
					NextCursor string            `json:"next_cursor"`
				}
				c.do("GET", fmt.Sprintf("/api/v1/activities?%s&limit=%d&cursor=%s", query, limit, cursor), nil).want(t, http.StatusOK).decode(t, &p)
				for _, a := range p.Items {
					out = append(out, a.Subject)
				}
				if p.NextCursor == "" {
					return out
				}
				cursor = p.NextCursor
			}
		}
		for _, tc := range []struct {
			query string
			want  []string
		}{
			{"sort=-occurred_at", []string{"done 1", "done 2", "done 3", "done 4", "task 1", "task 2", "task 3", "task 4"}},
			{"sort=occurred_at&done_at[null]=false", []string{"done 4", "done 3", "done 2", "done 1"}},
			{"sort=due_at&done_at[null]=true", []string{"task 1", "task 2", "task 3", "task 4"}},
			{"sort=-due_at&type=call", []string{"task 4", "task 3", "task 2", "task 1", "done 1", "done 2", "done 3", "done 4"}},
		} {
			for _, limit := range []int{1, 3, 50} {
				got := subjects(tc.query, limit)
				// Rows without the sort time come last, in id order of the
				// direction; only their set is the contract.
				if len(got) != len(tc.want) || !slices.Equal(got[:4], tc.want[:4]) || !sameSet(got[4:], tc.want[4:]) {
					t.Errorf("%s limit %d = %v, want %v", tc.query, limit, got, tc.want)
				}
			}
		}
	})
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
