package api

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store/storetest"
)

func TestSearchAPI(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Searchers")
		other := e.newWorkspace("Others")
		rec := storetest.NewRecords(t, e.DB, ws.ID)
		acme := rec.Account(ws.Rep.ID, "Acme Corporation", "acme.com")
		rec.Deal(ws.Rep.ID, "Acme renewal")
		rec.Deal(ws.Manager.ID, "Acme expansion")
		rec.Contact(ws.Rep.ID, "Jane", "Doe", "jane@acme.com")
		storetest.NewRecords(t, e.DB, other.ID).Account(other.Rep.ID, "Acme Elsewhere", "acme.example")

		search := func(c *client, query string) []*attain.SearchResult {
			t.Helper()
			var body searchResults
			c.do("GET", "/api/v1/search?"+query, nil).want(t, http.StatusOK).decode(t, &body)
			return body.Items
		}
		titles := func(rs []*attain.SearchResult) []string {
			var out []string
			for _, r := range rs {
				out = append(out, r.Type+":"+r.Title)
			}
			return out
		}

		rep := e.tokenClient(ws.Rep)
		res := search(rep, "q=acme.com")
		if len(res) == 0 || res[0].Type != "account" || res[0].ID != acme || res[0].Score != 1 ||
			res[0].OwnerID != ws.Rep.ID || res[0].Subtitle != "acme.com" {
			t.Fatalf("domain search: %+v", res)
		}

		// The rep sees their own deal, not the manager's; the admin sees both.
		got := titles(search(rep, "q=acm&types=deal,account&limit=20"))
		if !slices.Equal(got, []string{"account:Acme Corporation", "deal:Acme renewal"}) &&
			!slices.Equal(got, []string{"deal:Acme renewal", "account:Acme Corporation"}) {
			t.Errorf("rep, deals and accounts: %v", got)
		}
		got = titles(search(e.tokenClient(ws.Admin), "q=acm&types=deal"))
		if len(got) != 2 || !slices.Contains(got, "deal:Acme expansion") {
			t.Errorf("admin, deals: %v", got)
		}
		if got := titles(search(rep, "q=acm&types=contact&types=lead")); !slices.Equal(got, []string{"contact:Jane Doe"}) {
			t.Errorf("repeated types: %v", got)
		}
		if got := search(rep, "q=acme&limit=1"); len(got) != 1 {
			t.Errorf("limit 1: %v", titles(got))
		}
		// Syntax typed into the box is only text, and finds nothing extra.
		for _, q := range []string{`"`, `*`, `NEAR(`, `OR`, `-`, `'`, `acme OR globex`, `ü`} {
			search(rep, "q="+url.QueryEscape(q))
		}

		for _, c := range []struct {
			query, field string
		}{
			{"", "q"},
			{"q=", "q"},
			{"q=%20%20", "q"},
			{"q=acme&types=deal,planet", "types"},
			{"q=acme&limit=0", "limit"},
			{"q=acme&limit=501", "limit"},
			{"q=acme&limit=x", "limit"},
		} {
			p := rep.do("GET", "/api/v1/search?"+c.query, nil).problem(t, http.StatusUnprocessableEntity)
			if !slices.Equal(p.fields(), []string{c.field}) {
				t.Errorf("%q: fields %v, want [%s]", c.query, p.fields(), c.field)
			}
		}
	})
}

// As workspace A, searching for workspace B's marker finds nothing.
var _ = registerListQuery("GET /api/v1/search", "q="+isolationMarker)
