package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/attain-crm/attain"
	"github.com/google/go-cmp/cmp"
)

func TestDealTotalsAPI(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Board")
		rep, admin := e.tokenClient(ws.Rep), e.tokenClient(ws.Admin)
		pipelineID, stage := dealStages(t, rep)
		for _, d := range []map[string]any{
			{"name": "A", "amount": 100_00},
			{"name": "B", "amount": 250_50},
			{"name": "C", "amount": 999_00, "currency": "EUR"},
			{"name": "D", "amount": 40_00, "stage_id": stage["Trial"], "close_date": "2026-03-31"},
		} {
			rep.do("POST", "/api/v1/deals", d).want(t, http.StatusCreated)
		}
		// The admin's own deal, which the rep cannot see, and a deleted one.
		admin.do("POST", "/api/v1/deals", map[string]any{"name": "Admin's", "amount": 1_000_00}).want(t, http.StatusCreated)
		gone := rep.do("POST", "/api/v1/deals", map[string]any{"name": "Gone", "amount": 5_00}).want(t, http.StatusCreated)
		rep.do("DELETE", fmt.Sprintf("/api/v1/deals/%d", gone.id(t)), nil, "If-Match", `"1"`).want(t, http.StatusNoContent)

		totals := func(c *client, query string) []attain.DealTotal {
			t.Helper()
			var out struct{ Items []attain.DealTotal }
			c.do("GET", "/api/v1/deals/totals"+query, nil).want(t, http.StatusOK).decode(t, &out)
			return out.Items
		}
		q, tr := stage["Qualified"], stage["Trial"]
		want := []attain.DealTotal{
			{StageID: q, Currency: "EUR", Count: 1, Amount: 999_00},
			{StageID: q, Currency: "USD", Count: 2, Amount: 350_50},
			{StageID: tr, Currency: "USD", Count: 1, Amount: 40_00},
		}
		if diff := cmp.Diff(want, totals(rep, fmt.Sprintf("?pipeline_id=%d", pipelineID))); diff != "" {
			t.Errorf("rep's totals (-want +got):\n%s", diff)
		}
		if got := totals(rep, "?close_date[lte]=2026-04-01"); !cmp.Equal(got, want[2:]) {
			t.Errorf("close period filter: %+v", got)
		}
		if got := totals(rep, fmt.Sprintf("?owner_id=%d", ws.Admin.ID)); len(got) != 0 {
			t.Errorf("the rep sees the admin's deal in totals: %+v", got)
		}
		adminQ := totals(admin, fmt.Sprintf("?stage_id=%d&currency=USD", q))
		if len(adminQ) != 1 || adminQ[0].Count != 3 || adminQ[0].Amount != 1_350_50 {
			t.Errorf("admin's Qualified USD total: %+v", adminQ)
		}
		wantFields(t, rep.do("GET", "/api/v1/deals/totals?colour=red", nil).problem(t, http.StatusUnprocessableEntity), "colour")
		if got := totals(e.tokenClient(e.newWorkspace("Other").Admin), ""); len(got) != 0 {
			t.Errorf("another workspace sees totals: %+v", got)
		}
	})
}
