package api

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Seeds and write bodies for the cross-workspace test.
var (
	_ = registerSeed("accounts", func(t *testing.T, s *seedCtx) string {
		id := s.Admin.do("POST", "/api/v1/accounts", map[string]any{"name": s.Marker + " Account", "website": s.Marker + ".example"}).
			want(t, http.StatusCreated).id(t)
		return strconv.FormatInt(id, 10)
	})
	_ = registerWriteBody("PATCH /api/v1/accounts/{id}", `{"name":"Renamed by A"}`)
	_ = registerWriteBody("POST /api/v1/accounts/{id}/restore", `{}`)
)

// recAccount is an account as the API returns it.
type recAccount struct {
	ID        int64
	Name      string
	Domain    string
	Website   string
	Industry  string
	Size      string
	Country   string
	ParentID  *int64 `json:"parent_id"`
	OwnerID   int64  `json:"owner_id"`
	TeamID    *int64 `json:"team_id"`
	Tags      []string
	DeletedAt *string `json:"deleted_at"`
	Version   int64
}

// recPage is one page of a list.
type recPage struct {
	Items []struct {
		ID   int64
		Name string
	}
	NextCursor string `json:"next_cursor"`
}

// recCreate posts body to path, wants 201 and returns the new id.
func recCreate(t *testing.T, c *client, path string, body any) int64 {
	t.Helper()
	return c.do("POST", path, body).want(t, http.StatusCreated).id(t)
}

// recIDs lists path (following every cursor) and returns the ids in order.
func recIDs(t *testing.T, c *client, path string) []int64 {
	t.Helper()
	var ids []int64
	cursor := ""
	for pages := 0; ; pages++ {
		p := path
		if cursor != "" {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			p += sep + "cursor=" + url.QueryEscape(cursor)
		}
		var page recPage
		c.do("GET", p, nil).want(t, http.StatusOK).decode(t, &page)
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
		if page.NextCursor == "" {
			return ids
		}
		if pages > 1000 {
			t.Fatalf("%s: endless cursors", path)
		}
		cursor = page.NextCursor
	}
}

// wantFields fails unless the problem names every field.
func wantFields(t *testing.T, p problem, fields ...string) {
	t.Helper()
	got := p.fields()
	for _, f := range fields {
		if !slices.Contains(got, f) {
			t.Errorf("problem names %v, want %s among them; %+v", got, f, p.Errors)
		}
	}
}

func TestAccountCRUD(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Accounts")
		rep := e.tokenClient(ws.Rep)
		// Custom values are checked against the workspace's field definitions.
		for _, key := range []string{"segment", "tier"} {
			e.tokenClient(ws.Admin).do("POST", "/api/v1/custom-fields", map[string]any{"entity_type": "account", "key": key,
				"label": key, "type": "text", "purpose": "Territory planning"}).want(t, http.StatusCreated)
		}

		res := rep.do("POST", "/api/v1/accounts", map[string]any{
			"name": "  Acme  ", "website": "https://www.Acme.com/about", "country": "fr", "industry": "software",
			"size": "51-200", "tags": []string{"Key  Account", "key account", "EMEA"}, "custom": map[string]any{"segment": "mid"},
		}).want(t, http.StatusCreated)
		var acc recAccount
		res.decode(t, &acc)
		if acc.Name != "Acme" || acc.Domain != "acme.com" || acc.Country != "FR" || acc.OwnerID != ws.Rep.ID ||
			!slices.Equal(acc.Tags, []string{"key account", "emea"}) || res.Header.Get("ETag") != `"1"` {
			t.Fatalf("created %+v, ETag %q", acc, res.Header.Get("ETag"))
		}
		path := fmt.Sprintf("/api/v1/accounts/%d", acc.ID)
		etag := rep.do("GET", path, nil).want(t, http.StatusOK).Header.Get("ETag")

		// PATCH with the current ETag; a new website re-derives the domain.
		rep.do("PATCH", path, `{"name":"Acme Group","website":"globex.example"}`, "If-Match", etag).want(t, http.StatusOK).decode(t, &acc)
		if acc.Name != "Acme Group" || acc.Domain != "globex.example" || acc.Website != "https://globex.example" || acc.Version != 2 {
			t.Errorf("after patch %+v", acc)
		}
		// A typed domain is kept when the website changes later.
		rep.do("PATCH", path, `{"domain":"WWW.Acme.COM"}`).want(t, http.StatusOK).decode(t, &acc)
		rep.do("PATCH", path, `{"website":"https://acme.fr"}`).want(t, http.StatusOK).decode(t, &acc)
		if acc.Domain != "acme.com" {
			t.Errorf("typed domain = %q, want acme.com kept", acc.Domain)
		}
		// The old ETag is stale now, and nothing changes.
		rep.do("PATCH", path, `{"name":"Lost update"}`, "If-Match", etag).problemType(t, http.StatusPreconditionFailed, "stale")
		// Custom values merge by key; null removes one.
		var withCustom struct{ Custom map[string]any }
		rep.do("PATCH", path, `{"custom":{"tier":"gold","segment":null}}`).want(t, http.StatusOK).decode(t, &withCustom)
		if len(withCustom.Custom) != 1 || withCustom.Custom["tier"] != "gold" {
			t.Errorf("custom = %v", withCustom.Custom)
		}
		// Clearing a tag list and an external id.
		rep.do("PATCH", path, `{"tags":[],"external_id":"crm-1"}`).want(t, http.StatusOK)
		rep.do("PATCH", path, `{"external_id":null}`).want(t, http.StatusOK).decode(t, &acc)
		if len(acc.Tags) != 0 {
			t.Errorf("tags = %v", acc.Tags)
		}

		// History has every field change with who made it.
		var hist struct {
			Items []struct {
				Field   string
				Old     any
				New     any
				ActorID *int64 `json:"actor_id"`
			}
		}
		rep.do("GET", path+"/history", nil).want(t, http.StatusOK).decode(t, &hist)
		var renamed bool
		for _, h := range hist.Items {
			if h.ActorID == nil || *h.ActorID != ws.Rep.ID {
				t.Errorf("history entry %+v lacks the actor", h)
			}
			if h.Field == "name" && h.Old == "Acme" && h.New == "Acme Group" {
				renamed = true
			}
		}
		if !renamed {
			t.Errorf("history %+v lacks the rename", hist.Items)
		}
		if a := e.lastAudit(ws.Workspace); a.EntityType != "account" || a.Action != "update" {
			t.Errorf("last audit %+v", a)
		}
	})
}

func TestAccountValidation(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Account Rules")
		c := e.tokenClient(ws.Admin)
		before := e.auditCount(ws.Workspace)
		p := c.do("POST", "/api/v1/accounts", map[string]any{
			"name": " ", "country": "XX", "industry": "alchemy", "size": "huge", "website": "not a site",
			"owner_id": 999999, "team_id": 999999, "tags": []string{`bad"tag`}, "parent_id": 999999,
		}).problemType(t, http.StatusUnprocessableEntity, "invalid")
		wantFields(t, p, "name", "country", "industry", "size", "website", "owner_id", "team_id", "tags", "parent_id")
		c.do("POST", "/api/v1/accounts", `{"name":"X","domain":"not a domain"}`).problemType(t, http.StatusUnprocessableEntity, "invalid")
		c.do("POST", "/api/v1/accounts", `{"name":"X","nope":1}`).problemType(t, http.StatusUnprocessableEntity, "invalid")
		if n := e.auditCount(ws.Workspace); n != before {
			t.Errorf("refused creates wrote %d audit entries", n-before)
		}
		// External ids are unique per workspace.
		recCreate(t, c, "/api/v1/accounts", `{"name":"One","external_id":"ext-1"}`)
		p = c.do("POST", "/api/v1/accounts", `{"name":"Two","external_id":"ext-1"}`).problem(t, http.StatusUnprocessableEntity)
		wantFields(t, p, "external_id")
		// A retired industry cannot be newly chosen.
		c.do("PATCH", "/api/v1/picklists/industry/values/retail", `{"retired":true}`).want(t, http.StatusOK)
		wantFields(t, c.do("POST", "/api/v1/accounts", `{"name":"Shop","industry":"retail"}`).problem(t, http.StatusUnprocessableEntity), "industry")
	})
}

func TestAccountHierarchy(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Hierarchy")
		c := e.tokenClient(ws.Manager)
		group := recCreate(t, c, "/api/v1/accounts", `{"name":"Group"}`)
		sub := recCreate(t, c, "/api/v1/accounts", map[string]any{"name": "Subsidiary", "parent_id": group})
		leaf := recCreate(t, c, "/api/v1/accounts", map[string]any{"name": "Branch", "parent_id": sub})
		at := func(id int64) string { return fmt.Sprintf("/api/v1/accounts/%d", id) }

		// No account may become its own ancestor.
		for _, parent := range []int64{leaf, sub, group} {
			p := c.do("PATCH", at(group), map[string]any{"parent_id": parent}).problem(t, http.StatusUnprocessableEntity)
			wantFields(t, p, "parent_id")
		}
		if got := recIDs(t, c, at(group)+"/children"); !slices.Equal(got, []int64{sub}) {
			t.Errorf("children of group = %v, want [%d]", got, sub)
		}
		// A parent with live children cannot be deleted; a leaf can.
		c.do("DELETE", at(sub), nil).problemType(t, http.StatusConflict, "conflict")
		c.do("DELETE", at(leaf), nil).want(t, http.StatusNoContent)
		c.do("DELETE", at(sub), nil).want(t, http.StatusNoContent)
		// A child comes back only under a live parent.
		c.do("POST", at(leaf)+"/restore", nil).problemType(t, http.StatusConflict, "conflict")
		c.do("POST", at(sub)+"/restore", nil).want(t, http.StatusOK)
		c.do("POST", at(leaf)+"/restore", nil).want(t, http.StatusOK)
		// Moving under a deleted account is refused; null detaches.
		gone := recCreate(t, c, "/api/v1/accounts", `{"name":"Gone"}`)
		c.do("DELETE", at(gone), nil).want(t, http.StatusNoContent)
		wantFields(t, c.do("PATCH", at(leaf), map[string]any{"parent_id": gone}).problem(t, http.StatusUnprocessableEntity), "parent_id")
		var acc recAccount
		c.do("PATCH", at(leaf), `{"parent_id":null}`).want(t, http.StatusOK).decode(t, &acc)
		if acc.ParentID != nil {
			t.Errorf("parent after null = %v", *acc.ParentID)
		}
	})
}

func TestAccountVisibility(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Visibility")
		admin := e.tokenClient(ws.Admin)
		repB := e.addUser(ws, "rep", "Rep B")
		repC := e.addUser(ws, "rep", "Rep C")
		// The manager manages a team with rep A; rep B and C share a team.
		admin.do("POST", "/api/v1/teams", map[string]any{"name": "Field", "manager_id": ws.Manager.ID, "member_ids": []int64{ws.Rep.ID}}).want(t, http.StatusCreated)
		shared := recCreate(t, admin, "/api/v1/teams", map[string]any{"name": "Shared", "member_ids": []int64{repB.ID, repC.ID}})

		a, b, c, m := e.tokenClient(ws.Rep), e.tokenClient(repB), e.tokenClient(repC), e.tokenClient(ws.Manager)
		mine := recCreate(t, a, "/api/v1/accounts", `{"name":"A's account"}`)
		path := fmt.Sprintf("/api/v1/accounts/%d", mine)

		// Rep B sees nothing of it: not found, not forbidden, everywhere.
		b.do("GET", path, nil).problemType(t, http.StatusNotFound, "not_found")
		b.do("PATCH", path, `{"name":"Mine now"}`).problemType(t, http.StatusNotFound, "not_found")
		b.do("DELETE", path, nil).problemType(t, http.StatusNotFound, "not_found")
		b.do("GET", path+"/history", nil).problemType(t, http.StatusNotFound, "not_found")
		b.do("GET", path+"/map", nil).problemType(t, http.StatusNotFound, "not_found")
		b.do("GET", path+"/children", nil).problemType(t, http.StatusNotFound, "not_found")
		if ids := recIDs(t, b, "/api/v1/accounts"); len(ids) != 0 {
			t.Errorf("rep B lists %v", ids)
		}
		// Nor can B hang an account under it.
		wantFields(t, b.do("POST", "/api/v1/accounts", map[string]any{"name": "Sub", "parent_id": mine}).problem(t, http.StatusUnprocessableEntity), "parent_id")
		// A's manager sees and edits it; the admin too.
		m.do("GET", path, nil).want(t, http.StatusOK)
		m.do("PATCH", path, `{"city":"Lyon"}`).want(t, http.StatusOK)
		if ids := recIDs(t, m, "/api/v1/accounts"); !slices.Contains(ids, mine) {
			t.Errorf("manager lists %v", ids)
		}
		// Shared with B's team, B and C see it.
		a.do("PATCH", path, map[string]any{"team_id": shared}).want(t, http.StatusOK)
		b.do("GET", path, nil).want(t, http.StatusOK)
		if ids := recIDs(t, c, "/api/v1/accounts?team_id="+strconv.FormatInt(shared, 10)); !slices.Equal(ids, []int64{mine}) {
			t.Errorf("rep C lists %v", ids)
		}
		// A rep may not hand a record out of their own sight.
		wantFields(t, c.do("POST", "/api/v1/accounts", map[string]any{"name": "Gift", "owner_id": ws.Rep.ID}).problem(t, http.StatusUnprocessableEntity), "owner_id")
	})
}

func TestAccountDeleteRestore(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Trash")
		c := e.tokenClient(ws.Rep)
		id := recCreate(t, c, "/api/v1/accounts", `{"name":"Trashed"}`)
		keep := recCreate(t, c, "/api/v1/accounts", `{"name":"Kept"}`)
		path := fmt.Sprintf("/api/v1/accounts/%d", id)
		etag := c.do("GET", path, nil).want(t, http.StatusOK).Header.Get("ETag")
		c.do("PATCH", path, `{"city":"Paris"}`).want(t, http.StatusOK)
		c.do("DELETE", path, nil, "If-Match", etag).problemType(t, http.StatusPreconditionFailed, "stale")
		c.do("DELETE", path, nil).want(t, http.StatusNoContent)
		c.do("DELETE", path, nil).want(t, http.StatusNoContent) // already in the trash

		var acc recAccount
		c.do("GET", path, nil).want(t, http.StatusOK).decode(t, &acc)
		if acc.DeletedAt == nil {
			t.Fatalf("deleted account reads %+v", acc)
		}
		if ids := recIDs(t, c, "/api/v1/accounts"); !slices.Equal(ids, []int64{keep}) {
			t.Errorf("live list = %v, want [%d]", ids, keep)
		}
		if ids := recIDs(t, c, "/api/v1/accounts?deleted_at[null]=false"); !slices.Equal(ids, []int64{id}) {
			t.Errorf("trash = %v, want [%d]", ids, id)
		}
		c.do("PATCH", path, `{"name":"Edited in the trash"}`).problemType(t, http.StatusConflict, "conflict")
		c.do("POST", path+"/restore", nil).want(t, http.StatusOK).decode(t, &acc)
		if acc.DeletedAt != nil || acc.Name != "Trashed" {
			t.Errorf("restored %+v", acc)
		}
		if ids := recIDs(t, c, "/api/v1/accounts"); len(ids) != 2 {
			t.Errorf("after restore list = %v", ids)
		}
		var hist struct{ Items []struct{ Field string } }
		c.do("GET", path+"/history", nil).want(t, http.StatusOK).decode(t, &hist)
		n := 0
		for _, h := range hist.Items {
			if h.Field == "deleted_at" {
				n++
			}
		}
		if n != 2 {
			t.Errorf("history has %d deleted_at changes, want 2 (delete, restore)", n)
		}
	})
}

func TestAccountListFiltersAndPages(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Lists")
		c := e.tokenClient(ws.Manager)
		other := e.tokenClient(ws.Admin)
		const n = 23
		var all []int64
		for i := range n {
			name := fmt.Sprintf("Co %02d", i)
			if i%2 == 1 {
				name = strings.ToUpper(name) // mixed case must not split the order
			}
			body := map[string]any{"name": name, "country": []string{"FR", "DE", "US"}[i%3]}
			if i%4 == 0 {
				body["tags"] = []string{"VIP", "renewal_2025"}
			}
			if i%5 == 0 {
				body["website"] = fmt.Sprintf("https://www.co%d.example", i)
			}
			all = append(all, recCreate(t, c, "/api/v1/accounts", body))
			e.advance(time.Millisecond)
		}
		admins := recCreate(t, other, "/api/v1/accounts", `{"name":"Admin's own"}`)

		// Every row once, in name order, over pages smaller than the list.
		got := recIDs(t, c, "/api/v1/accounts?limit=4&owner_id="+strconv.FormatInt(ws.Manager.ID, 10))
		if !slices.Equal(got, all) {
			t.Errorf("pages by name = %v, want %v", got, all)
		}
		// Descending by creation, the reverse, across pages too.
		got = recIDs(t, c, "/api/v1/accounts?limit=5&sort=-created_at&owner_id="+strconv.FormatInt(ws.Manager.ID, 10))
		want := slices.Clone(all)
		slices.Reverse(want)
		if !slices.Equal(got, want) {
			t.Errorf("pages by -created_at = %v, want %v", got, want)
		}
		// Filters.
		for _, f := range []struct {
			query string
			want  int
		}{
			{"name[prefix]=co%201", 10},
			{"name=CO%2003", 1},
			{"country=FR", 8},
			{"country[in]=DE,US", 15},
			{"tag=vip", 6},
			{"tag=Renewal_2025", 6},
			{"tag[in]=nope,vip", 6},
			{"domain=co5.example", 1},
			{"parent_id[null]=true", 24},
			{"owner_id=" + strconv.FormatInt(ws.Admin.ID, 10), 1},
		} {
			if got := recIDs(t, other, "/api/v1/accounts?limit=7&"+f.query); len(got) != f.want {
				t.Errorf("%s: %d accounts, want %d", f.query, len(got), f.want)
			}
		}
		_ = admins
		// Unknown fields and operators are refused with the field named.
		wantFields(t, c.do("GET", "/api/v1/accounts?color=red", nil).problem(t, http.StatusUnprocessableEntity), "color")
		wantFields(t, c.do("GET", "/api/v1/accounts?sort=country", nil).problem(t, http.StatusUnprocessableEntity), "sort")
		wantFields(t, c.do("GET", "/api/v1/accounts?tag[prefix]=v", nil).problem(t, http.StatusUnprocessableEntity), "tag")
		wantFields(t, c.do("GET", "/api/v1/accounts?cursor=garbage", nil).problem(t, http.StatusUnprocessableEntity), "cursor")
	})
}
