package api

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
)

func TestRoles(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Roles")
		admin := e.tokenClient(ws.Admin)
		team := admin.do("POST", "/api/v1/teams", `{"name":"Existing"}`).want(t, http.StatusCreated).id(t)
		other := e.addUser(ws, "rep", "Other Rep")

		// What only admins may do, tried by a rep and a manager.
		adminOnly := []struct{ method, path, body string }{
			{"POST", "/api/v1/users", `{"email":"new@roles.test","name":"New","password":"long enough!"}`},
			{"POST", "/api/v1/teams", `{"name":"Mine"}`},
			{"PUT", fmt.Sprintf("/api/v1/teams/%d", team), `{"name":"Renamed"}`},
			{"DELETE", fmt.Sprintf("/api/v1/teams/%d", team), ""},
			{"GET", "/api/v1/audit", ""},
			{"PATCH", fmt.Sprintf("/api/v1/users/%d", other.ID), `{"name":"Renamed"}`},
			{"PATCH", fmt.Sprintf("/api/v1/users/%d", other.ID), `{"role":"admin"}`},
			{"PUT", fmt.Sprintf("/api/v1/users/%d/password", other.ID), `{"password":"taken over!!"}`},
		}
		for _, who := range []*testUser{ws.Rep, ws.Manager} {
			c := e.tokenClient(who)
			before := e.auditCount(ws.Workspace)
			for _, r := range adminOnly {
				var body any
				if r.body != "" {
					body = r.body
				}
				c.do(r.method, r.path, body).problemType(t, http.StatusForbidden, "forbidden")
			}
			// Nor may they promote themselves.
			c.do("PATCH", fmt.Sprintf("/api/v1/users/%d", who.ID), `{"role":"admin"}`).problemType(t, http.StatusForbidden, "forbidden")
			if after := e.auditCount(ws.Workspace); after != before {
				t.Errorf("%s: refused requests wrote %d audit entries", who.Role, after-before)
			}
			// What every member may do.
			c.do("GET", "/api/v1/users", nil).want(t, http.StatusOK)
			c.do("GET", "/api/v1/teams", nil).want(t, http.StatusOK)
			c.do("GET", fmt.Sprintf("/api/v1/teams/%d", team), nil).want(t, http.StatusOK)
			c.do("PATCH", fmt.Sprintf("/api/v1/users/%d", who.ID), `{"name":"Renamed Self"}`).want(t, http.StatusOK)
			c.do("PUT", fmt.Sprintf("/api/v1/users/%d/password", who.ID), `{"password":"my new password"}`).want(t, http.StatusNoContent)
		}

		// The admin may do all of it.
		for _, r := range adminOnly[:5] {
			var body any
			if r.body != "" {
				body = r.body
			}
			admin.do(r.method, r.path, body).want(t, http.StatusOK, http.StatusCreated, http.StatusNoContent)
		}
		admin.do("PATCH", fmt.Sprintf("/api/v1/users/%d", other.ID), `{"role":"manager"}`).want(t, http.StatusOK)

		// The last admin cannot be demoted, by themselves or anyone.
		p := admin.do("PATCH", fmt.Sprintf("/api/v1/users/%d", ws.Admin.ID), `{"role":"manager"}`).problemType(t, http.StatusUnprocessableEntity, "invalid")
		if !slices.Equal(p.fields(), []string{"role"}) {
			t.Errorf("fields = %v, want [role]", p.fields())
		}
		// With a second admin, one may step down; then the other is the last.
		admin.do("PATCH", fmt.Sprintf("/api/v1/users/%d", other.ID), `{"role":"admin"}`).want(t, http.StatusOK)
		admin.do("PATCH", fmt.Sprintf("/api/v1/users/%d", ws.Admin.ID), `{"role":"rep"}`).want(t, http.StatusOK)
		second := e.tokenClient(other)
		second.do("PATCH", fmt.Sprintf("/api/v1/users/%d", other.ID), `{"role":"rep"}`).problem(t, http.StatusUnprocessableEntity)
		// The demoted admin's own token now acts as a rep.
		admin.do("GET", "/api/v1/audit", nil).problemType(t, http.StatusForbidden, "forbidden")
	})
}
