package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/attain-crm/attain"
)

// What the cross-workspace test needs to reach the saved view routes.
var (
	_ = registerSeed("saved-views", func(t *testing.T, s *seedCtx) string {
		return strconv.FormatInt(s.Admin.do("POST", "/api/v1/saved-views", map[string]any{
			"entity": "deals", "name": s.Marker + " view", "query": "sort=-amount", "shared": true,
		}).want(t, http.StatusCreated).id(t), 10)
	})
	_ = registerWriteBody("PATCH /api/v1/saved-views/{id}", `{"name":"Renamed by A"}`)
)

func TestSavedViewAPI(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Viewers")
		rep, admin := e.tokenClient(ws.Rep), e.tokenClient(ws.Admin)
		other := e.tokenClient(e.addUser(ws, attain.RoleRep, "Other Rep"))

		// Saved with paging dropped: a view is filters, sort and columns.
		var v attain.SavedView
		res := rep.do("POST", "/api/v1/saved-views", map[string]any{
			"entity": "deals", "name": "  Big deals ", "query": "?amount[gte]=100000&sort=-amount&cursor=abc&limit=5",
			"columns": []string{"name", "amount", "custom.region"},
		}).want(t, http.StatusCreated)
		res.decode(t, &v)
		if v.Name != "Big deals" || v.Query != "amount%5Bgte%5D=100000&sort=-amount" || v.OwnerID != ws.Rep.ID || v.Shared ||
			!slices.Equal(v.Columns, []string{"name", "amount", "custom.region"}) || res.Header.Get("ETag") != `"1"` {
			t.Errorf("created: %s", res.Body)
		}
		path := fmt.Sprintf("/api/v1/saved-views/%d", v.ID)

		// The list's own whitelist judges the query; errors name the field in it.
		for _, tc := range []struct {
			body   map[string]any
			fields []string
		}{
			{map[string]any{"entity": "deals", "name": "x", "query": "bogus=1"}, []string{"query.bogus"}},
			{map[string]any{"entity": "deals", "name": "x", "query": "sort=-next_step"}, []string{"query.sort"}},
			{map[string]any{"entity": "deals", "name": "x", "query": "amount[gte]=lots"}, []string{"query.amount"}},
			{map[string]any{"entity": "invoices", "name": ""}, []string{"entity", "name"}},
			{map[string]any{"entity": "leads", "name": "x", "columns": []string{"Name; drop", "name", "name"}}, []string{"columns", "columns"}},
		} {
			p := rep.do("POST", "/api/v1/saved-views", tc.body).problemType(t, http.StatusUnprocessableEntity, "invalid")
			if !slices.Equal(p.fields(), tc.fields) {
				t.Errorf("%v: fields %v, want %v", tc.body, p.fields(), tc.fields)
			}
		}

		// Private: another member cannot see, list or change it.
		other.do("GET", path, nil).problemType(t, http.StatusNotFound, "not_found")
		other.do("PATCH", path, `{"name":"Mine now"}`).problemType(t, http.StatusNotFound, "not_found")
		var l List[attain.SavedView]
		other.do("GET", "/api/v1/saved-views?entity=deals", nil).want(t, http.StatusOK).decode(t, &l)
		if len(l.Items) != 0 {
			t.Errorf("other sees %d views", len(l.Items))
		}

		// Shared: everyone lists and opens it; only its owner or an admin changes it.
		rep.do("PATCH", path, `{"shared":true}`, "If-Match", `"1"`).want(t, http.StatusOK)
		rep.do("PATCH", path, `{"name":"Stale"}`, "If-Match", `"1"`).problemType(t, http.StatusPreconditionFailed, "stale")
		other.do("GET", "/api/v1/saved-views?entity=deals", nil).want(t, http.StatusOK).decode(t, &l)
		if len(l.Items) != 1 || l.Items[0].ID != v.ID {
			t.Errorf("other lists %+v", l.Items)
		}
		other.do("GET", "/api/v1/saved-views?entity=leads", nil).want(t, http.StatusOK).decode(t, &l)
		if len(l.Items) != 0 {
			t.Errorf("entity filter ignored: %+v", l.Items)
		}
		other.do("GET", path, nil).want(t, http.StatusOK)
		other.do("PATCH", path, `{"name":"Mine now"}`).problemType(t, http.StatusForbidden, "forbidden")
		other.do("DELETE", path, nil).problemType(t, http.StatusForbidden, "forbidden")
		admin.do("PATCH", path, `{"query":"stage_id=1&sort=close_date","columns":["name"]}`).want(t, http.StatusOK).decode(t, &v)
		if v.Query != "sort=close_date&stage_id=1" || v.Name != "Big deals" || !v.Shared || v.Version != 3 {
			t.Errorf("after admin edit: %+v", v)
		}
		rep.do("DELETE", path, nil, "If-Match", `"3"`).want(t, http.StatusNoContent)
		rep.do("GET", path, nil).problemType(t, http.StatusNotFound, "not_found")
	})
}

func TestBulkUpdateAPI(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Bulkers")
		rep, mgr, admin := e.tokenClient(ws.Rep), e.tokenClient(ws.Manager), e.tokenClient(ws.Admin)
		other := e.tokenClient(e.addUser(ws, attain.RoleRep, "Other Rep"))
		admin.do("POST", "/api/v1/teams", map[string]any{"name": "East", "manager_id": ws.Manager.ID, "member_ids": []int64{ws.Rep.ID}}).want(t, http.StatusCreated)
		_, stage := dealStages(t, rep)

		ready := rep.do("POST", "/api/v1/deals", `{"name":"Ready","amount":5000,"close_date":"2031-01-31"}`).want(t, http.StatusCreated).id(t)
		bare := rep.do("POST", "/api/v1/deals", `{"name":"Bare"}`).want(t, http.StatusCreated).id(t)
		hidden := other.do("POST", "/api/v1/deals", `{"name":"Not yours"}`).want(t, http.StatusCreated).id(t)

		// Each deal moves under the exit criteria; failures say what is missing.
		var r attain.BulkResult
		rep.do("POST", "/api/v1/deals/bulk-update", map[string]any{
			"ids": []int64{ready, bare, hidden, ready}, "stage_id": stage["Demo scheduled"],
		}).want(t, http.StatusOK).decode(t, &r)
		if r.Updated != 1 || r.Failed != 2 || len(r.Items) != 3 {
			t.Fatalf("move: %+v", r)
		}
		if it := r.Items[0]; it.ID != ready || !it.OK || it.Version != 2 {
			t.Errorf("ready: %+v", it)
		}
		if it := r.Items[1]; it.ID != bare || it.OK || it.Code != attain.EINVALID ||
			!slices.Equal(fieldNames(it.Errors), []string{"amount", "close_date"}) {
			t.Errorf("bare: %+v", it)
		}
		if it := r.Items[2]; it.ID != hidden || it.OK || it.Code != attain.ENOTFOUND {
			t.Errorf("hidden: %+v", it)
		}
		var h attain.DealHistory
		rep.do("GET", fmt.Sprintf("/api/v1/deals/%d/history", ready), nil).want(t, http.StatusOK).decode(t, &h)
		if len(h.Stages) != 2 || h.Stages[1].StageID != stage["Demo scheduled"] {
			t.Errorf("stage history: %+v", h.Stages)
		}

		// Another workspace's deal does not exist here.
		elsewhere := e.newWorkspace("Elsewhere")
		theirs := e.tokenClient(elsewhere.Admin).do("POST", "/api/v1/deals", `{"name":"Theirs"}`).want(t, http.StatusCreated).id(t)
		admin.do("POST", "/api/v1/deals/bulk-update", map[string]any{"ids": []int64{theirs}, "owner_id": ws.Admin.ID}).
			want(t, http.StatusOK).decode(t, &r)
		if r.Failed != 1 || r.Items[0].Code != attain.ENOTFOUND {
			t.Errorf("other workspace's deal: %+v", r)
		}

		// The manager hands the team's deals to themself: history records each.
		mgr.do("POST", "/api/v1/deals/bulk-update", map[string]any{"ids": []int64{ready, bare}, "owner_id": ws.Manager.ID}).
			want(t, http.StatusOK).decode(t, &r)
		if r.Updated != 2 || r.Failed != 0 {
			t.Errorf("owner: %+v", r)
		}
		mgr.do("GET", fmt.Sprintf("/api/v1/deals/%d/history", bare), nil).want(t, http.StatusOK).decode(t, &h)
		if !slices.ContainsFunc(h.Changes, func(c *attain.FieldChange) bool { return c.Field == "owner_id" }) {
			t.Errorf("no owner change in history: %+v", h.Changes)
		}

		// Accounts, contacts and leads change owner the same way.
		acct := rep.do("POST", "/api/v1/accounts", `{"name":"Acme"}`).want(t, http.StatusCreated).id(t)
		admin.do("POST", "/api/v1/accounts/bulk-update", map[string]any{"ids": []int64{acct}, "owner_id": ws.Manager.ID}).
			want(t, http.StatusOK).decode(t, &r)
		if r.Updated != 1 {
			t.Errorf("accounts: %+v", r)
		}
		lead := rep.do("POST", "/api/v1/leads", `{"company":"Lead Co"}`).want(t, http.StatusCreated).id(t)
		rep.do("POST", "/api/v1/leads/bulk-update", map[string]any{"ids": []int64{lead}, "owner_id": 999999}).
			want(t, http.StatusOK).decode(t, &r)
		if r.Failed != 1 || r.Items[0].Code != attain.EINVALID {
			t.Errorf("leads to nobody: %+v", r)
		}

		// A malformed request changes nothing and names the field.
		for _, tc := range []struct {
			path, body string
			fields     []string
		}{
			{"/api/v1/deals/bulk-update", `{"ids":[],"owner_id":1}`, []string{"ids"}},
			{"/api/v1/deals/bulk-update", fmt.Sprintf(`{"ids":[%d]}`, ready), []string{"owner_id"}},
			{"/api/v1/contacts/bulk-update", `{"ids":[1],"stage_id":3}`, []string{"stage_id"}},
		} {
			p := rep.do("POST", tc.path, tc.body).problemType(t, http.StatusUnprocessableEntity, "invalid")
			if !slices.Equal(p.fields(), tc.fields) {
				t.Errorf("%s %s: fields %v", tc.path, tc.body, p.fields())
			}
		}
	})
}

func fieldNames(fs []attain.FieldError) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Field)
	}
	return out
}
