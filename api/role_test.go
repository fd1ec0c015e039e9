package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var (
	// "roles" is the {role_id} of /contacts/{id}/roles/{role_id}: a role of
	// the seeded contact.
	_ = registerSeed("roles", func(t *testing.T, s *seedCtx) string {
		id := s.Admin.do("POST", "/api/v1/contacts/"+s.Seed("contacts")+"/roles", `{"role":"champion"}`).
			want(t, http.StatusCreated).id(t)
		return strconv.FormatInt(id, 10)
	})
	_ = registerWriteBody("POST /api/v1/contacts/{id}/roles", `{"role":"influencer"}`)
)

// recMap is the account map as the API returns it.
type recMap struct {
	Account struct{ ID int64 }
	Roles   []struct {
		Role   string
		People []recRole
	}
	Unmapped []struct{ ID int64 }
	Missing  bool `json:"missing_decision_maker"`
	Deals    []struct {
		ID      int64
		People  []recRole
		Missing bool `json:"missing_decision_maker"`
	}
}

type recRole struct {
	ID        int64
	ContactID int64  `json:"contact_id"`
	AccountID *int64 `json:"account_id"`
	DealID    *int64 `json:"deal_id"`
	Role      string
	Influence string
	Attitude  string
	Contact   *struct {
		ID   int64
		Name string
	}
}

func TestContactRoles(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Roles Map")
		c := e.tokenClient(ws.Rep)
		acc := recCreate(t, c, "/api/v1/accounts", `{"name":"Acme"}`)
		other := recCreate(t, c, "/api/v1/accounts", `{"name":"Other"}`)
		ada := recCreate(t, c, "/api/v1/contacts", map[string]any{"first_name": "Ada", "last_name": "Lovelace", "account_id": acc})
		loner := recCreate(t, c, "/api/v1/contacts", `{"last_name":"Loner"}`)
		deal := recCreate(t, c, "/api/v1/deals", map[string]any{"name": "Acme deal", "account_id": acc})
		roles := fmt.Sprintf("/api/v1/contacts/%d/roles", ada)

		// The account defaults to the contact's; influence and attitude are checked.
		var r recRole
		c.do("POST", roles, `{"role":"champion","influence":"High","attitude":"supporter"}`).want(t, http.StatusCreated).decode(t, &r)
		if r.AccountID == nil || *r.AccountID != acc || r.DealID != nil || r.Influence != "high" {
			t.Errorf("role %+v", r)
		}
		c.do("POST", roles, `{"role":"champion"}`).problemType(t, http.StatusConflict, "conflict")
		p := c.do("POST", roles, `{"role":"wizard","influence":"huge","attitude":"grumpy"}`).problem(t, http.StatusUnprocessableEntity)
		wantFields(t, p, "role", "influence", "attitude")
		if !strings.Contains(string(c.do("POST", roles, `{"role":"wizard"}`).Body), "decision_maker") {
			t.Error("an unknown role's error does not list the known ones")
		}
		// On a deal the account defaults to the deal's, and must match it.
		var onDeal recRole
		c.do("POST", roles, map[string]any{"role": "economic_buyer", "deal_id": deal}).want(t, http.StatusCreated).decode(t, &onDeal)
		if onDeal.AccountID == nil || *onDeal.AccountID != acc || *onDeal.DealID != deal {
			t.Errorf("deal role %+v", onDeal)
		}
		wantFields(t, c.do("POST", roles, map[string]any{"role": "user", "deal_id": deal, "account_id": other}).problem(t, http.StatusUnprocessableEntity), "account_id")
		wantFields(t, c.do("POST", roles, map[string]any{"role": "user", "deal_id": 999999}).problem(t, http.StatusUnprocessableEntity), "deal_id")
		// A contact without an account needs one named.
		wantFields(t, c.do("POST", fmt.Sprintf("/api/v1/contacts/%d/roles", loner), `{"role":"user"}`).problem(t, http.StatusUnprocessableEntity), "account_id")

		var list struct{ Items []recRole }
		c.do("GET", roles, nil).want(t, http.StatusOK).decode(t, &list)
		if len(list.Items) != 2 {
			t.Errorf("roles %+v", list.Items)
		}
		var dc struct{ Items []recRole }
		c.do("GET", fmt.Sprintf("/api/v1/deals/%d/contacts", deal), nil).want(t, http.StatusOK).decode(t, &dc)
		if len(dc.Items) != 1 || dc.Items[0].Contact == nil || dc.Items[0].Contact.Name != "Ada Lovelace" || dc.Items[0].Role != "economic_buyer" {
			t.Errorf("deal contacts %+v", dc.Items)
		}

		// Removing a role; both changes are in the contact's history.
		c.do("DELETE", fmt.Sprintf("%s/%d", roles, r.ID), nil).want(t, http.StatusNoContent)
		c.do("DELETE", fmt.Sprintf("%s/%d", roles, r.ID), nil).problemType(t, http.StatusNotFound, "not_found")
		c.do("DELETE", fmt.Sprintf("/api/v1/contacts/%d/roles/%d", loner, onDeal.ID), nil).problemType(t, http.StatusNotFound, "not_found")
		var hist struct{ Items []struct{ Field string } }
		c.do("GET", fmt.Sprintf("/api/v1/contacts/%d/history", ada), nil).want(t, http.StatusOK).decode(t, &hist)
		n := 0
		for _, h := range hist.Items {
			if h.Field == "roles" {
				n++
			}
		}
		if n != 3 {
			t.Errorf("history has %d roles changes, want 3", n)
		}

		// Others see nothing of them.
		b := e.tokenClient(e.addUser(ws, "rep", "Rep B"))
		b.do("GET", roles, nil).problemType(t, http.StatusNotFound, "not_found")
		b.do("POST", roles, `{"role":"user"}`).problemType(t, http.StatusNotFound, "not_found")
		b.do("GET", fmt.Sprintf("/api/v1/deals/%d/contacts", deal), nil).problemType(t, http.StatusNotFound, "not_found")
	})
}

func TestAccountMap(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Account Map")
		c := e.tokenClient(ws.Rep)
		acc := recCreate(t, c, "/api/v1/accounts", `{"name":"Acme"}`)
		contact := func(first string) int64 {
			return recCreate(t, c, "/api/v1/contacts", map[string]any{"first_name": first, "last_name": "Acme", "account_id": acc})
		}
		ann, bob, cyd, dee := contact("Ann"), contact("Bob"), contact("Cyd"), contact("Dee")
		role := func(contact int64, body string) {
			c.do("POST", fmt.Sprintf("/api/v1/contacts/%d/roles", contact), body).want(t, http.StatusCreated)
		}
		open := recCreate(t, c, "/api/v1/deals", map[string]any{"name": "Open one", "account_id": acc, "close_date": "2030-01-31"})
		decided := recCreate(t, c, "/api/v1/deals", map[string]any{"name": "Decided", "account_id": acc, "close_date": "2030-02-28"})
		recCreate(t, c, "/api/v1/deals", map[string]any{"name": "Elsewhere"})

		role(ann, `{"role":"champion","influence":"high"}`)
		role(bob, `{"role":"blocker","attitude":"opponent"}`)
		role(cyd, fmt.Sprintf(`{"role":"influencer","deal_id":%d}`, open))
		role(bob, fmt.Sprintf(`{"role":"economic_buyer","deal_id":%d}`, decided))

		var m recMap
		c.do("GET", fmt.Sprintf("/api/v1/accounts/%d/map", acc), nil).want(t, http.StatusOK).decode(t, &m)
		var groups []string
		for _, g := range m.Roles {
			groups = append(groups, g.Role)
		}
		// Groups follow the picklist's order: champion before blocker.
		if !slices.Equal(groups, []string{"champion", "blocker"}) || m.Roles[0].People[0].ContactID != ann {
			t.Errorf("groups %v: %+v", groups, m.Roles)
		}
		var unmapped []int64
		for _, u := range m.Unmapped {
			unmapped = append(unmapped, u.ID)
		}
		if !slices.Equal(unmapped, []int64{cyd, dee}) {
			t.Errorf("unmapped %v, want [%d %d] (a deal role is not an account role)", unmapped, cyd, dee)
		}
		if !m.Missing || len(m.Deals) != 2 || m.Deals[0].ID != open || m.Deals[1].ID != decided {
			t.Fatalf("map %+v", m)
		}
		if !m.Deals[0].Missing || m.Deals[1].Missing {
			t.Errorf("flags: open %v (want true), decided %v (want false)", m.Deals[0].Missing, m.Deals[1].Missing)
		}
		if len(m.Deals[0].People) != 1 || m.Deals[0].People[0].ContactID != cyd {
			t.Errorf("open deal people %+v", m.Deals[0].People)
		}

		// A decision maker on the account covers every deal without its own.
		role(dee, `{"role":"decision_maker"}`)
		c.do("GET", fmt.Sprintf("/api/v1/accounts/%d/map", acc), nil).want(t, http.StatusOK).decode(t, &m)
		if m.Missing || m.Deals[0].Missing || m.Deals[1].Missing || m.Roles[0].Role != "decision_maker" {
			t.Errorf("after an account decision maker: %+v", m)
		}
		// A deleted contact no longer counts.
		c.do("DELETE", fmt.Sprintf("/api/v1/contacts/%d", dee), nil).want(t, http.StatusNoContent)
		c.do("GET", fmt.Sprintf("/api/v1/accounts/%d/map", acc), nil).want(t, http.StatusOK).decode(t, &m)
		if !m.Missing || !m.Deals[0].Missing {
			t.Errorf("after deleting the decision maker: %+v", m)
		}

		// The manager sees the same map; people the viewer cannot see are
		// left out, but the flags still count them.
		admin := e.tokenClient(ws.Admin)
		hidden := recCreate(t, admin, "/api/v1/contacts", map[string]any{"last_name": "Hidden", "account_id": acc})
		admin.do("POST", fmt.Sprintf("/api/v1/contacts/%d/roles", hidden), fmt.Sprintf(`{"role":"decision_maker","deal_id":%d}`, open)).want(t, http.StatusCreated)
		c.do("GET", fmt.Sprintf("/api/v1/accounts/%d/map", acc), nil).want(t, http.StatusOK).decode(t, &m)
		if m.Deals[0].Missing || len(m.Deals[0].People) != 1 {
			t.Errorf("rep's view of the open deal: %+v", m.Deals[0])
		}
	})
}
