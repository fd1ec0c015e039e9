package api

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
)

var (
	// A target of B's: its admin's own proposal, so approving it is a valid write.
	_ = registerSeed("targets", func(t *testing.T, s *seedCtx) string {
		id := s.Admin.do("POST", "/api/v1/targets/proposals", map[string]any{
			"period": "2026-Q3", "kind": "revenue", "amount": 1000, "comment": s.Marker + " proposal",
		}).want(t, http.StatusOK).id(t)
		return strconv.FormatInt(id, 10)
	})
	_ = registerWriteBody("POST /api/v1/targets/{id}/approve", `{}`)
	_ = registerWriteBody("PUT /api/v1/users/{id}/ramp", `{"start":"2026-01-01","percents":[50]}`)
	// Period keys name the same period in every workspace.
	_ = registerSharedKind("periods", "2026-Q3")
)

type apiTarget struct {
	ID             int64
	Period         string
	Amount         *int64
	ProposedAmount *int64 `json:"proposed_amount"`
	Difference     *int64
	Status         string
	Version        int64
}

func TestPlanningAPI(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Plan API")
		admin, mgr, rep := e.tokenClient(ws.Admin), e.tokenClient(ws.Manager), e.tokenClient(ws.Rep)
		team := admin.do("POST", "/api/v1/teams", map[string]any{"name": "East", "manager_id": ws.Manager.ID, "member_ids": []int64{ws.Rep.ID}}).
			want(t, http.StatusCreated).id(t)

		// The fiscal calendar: admins set it; periods resolve in it.
		rep.do("PUT", "/api/v1/planning", `{"fiscal_start_month":2,"currency":"USD"}`).problem(t, http.StatusForbidden)
		p := admin.do("PUT", "/api/v1/planning", `{"fiscal_start_month":0,"currency":"US"}`).problem(t, http.StatusUnprocessableEntity)
		if f := p.fields(); len(f) != 2 {
			t.Errorf("fields %v", f)
		}
		admin.do("PUT", "/api/v1/planning", `{"fiscal_start_month":2,"currency":"USD"}`).want(t, http.StatusOK)
		var per struct{ Key, Start, End string }
		rep.do("GET", "/api/v1/periods/fy2027", nil).want(t, http.StatusOK).decode(t, &per)
		if per.Key != "FY2027" || per.Start != "2026-02-01" || per.End != "2027-01-31" {
			t.Errorf("FY2027: %+v", per)
		}
		rep.do("GET", "/api/v1/periods/2026-Q9", nil).problem(t, http.StatusUnprocessableEntity)

		// The planning view names the periods pages offer, in the fiscal calendar.
		var view struct {
			FiscalStartMonth int `json:"fiscal_start_month"`
			Today            string
			CurrentQuarter   struct{ Key, Start string } `json:"current_quarter"`
			Quarters         []struct{ Key string }
			Months           []struct{ Key string }
		}
		rep.do("GET", "/api/v1/planning", nil).want(t, http.StatusOK).decode(t, &view)
		if view.FiscalStartMonth != 2 || view.Today == "" || len(view.Quarters) != 10 || len(view.Months) != 3 ||
			view.Quarters[2].Key != view.CurrentQuarter.Key || view.Months[0].Key != view.Today[:7] {
			t.Errorf("planning view %+v", view)
		}
		rep.do("GET", "/api/v1/periods/"+view.CurrentQuarter.Key, nil).want(t, http.StatusOK).decode(t, &per)
		if per.Start != view.CurrentQuarter.Start {
			t.Errorf("current quarter %s starts %s, the period resolves to %s", view.CurrentQuarter.Key, view.CurrentQuarter.Start, per.Start)
		}

		// Bottom-up: the rep proposes, the manager adjusts with a reason.
		var prop apiTarget
		rep.do("POST", "/api/v1/targets/proposals", `{"period":"2027-Q3","kind":"revenue","amount":120000,"comment":"Two renewals"}`).
			want(t, http.StatusOK).decode(t, &prop)
		if prop.Status != "proposed" || prop.Amount != nil || prop.Period != "2027-Q3" {
			t.Errorf("proposal %+v", prop)
		}
		path := fmt.Sprintf("/api/v1/targets/%d/approve", prop.ID)
		rep.do("POST", path, `{}`).problem(t, http.StatusForbidden)
		mgr.do("POST", path, `{"amount":150000}`).problem(t, http.StatusUnprocessableEntity)
		mgr.do("POST", path, `{"amount":150000,"reason":"Bigger patch"}`, "If-Match", `"99"`).problem(t, http.StatusPreconditionFailed)
		var ok apiTarget
		mgr.do("POST", path, `{"amount":150000,"reason":"Bigger patch"}`, "If-Match", fmt.Sprintf(`"%d"`, prop.Version)).want(t, http.StatusOK).decode(t, &ok)
		if ok.Status != "approved" || *ok.Amount != 150000 || *ok.ProposedAmount != 120000 || *ok.Difference != 30000 {
			t.Errorf("approved %+v", ok)
		}
		var hist struct{ Items []struct{ Field string } }
		rep.do("GET", fmt.Sprintf("/api/v1/targets/%d/history", prop.ID), nil).want(t, http.StatusOK).decode(t, &hist)
		if len(hist.Items) == 0 {
			t.Error("no history")
		}

		// Top-down: the manager sets the team's target; the roll-up shows both.
		mgr.do("PUT", "/api/v1/targets", map[string]any{"period": "2027-Q3", "kind": "revenue", "scope": "team", "team_id": team, "amount": 200000}).want(t, http.StatusOK)
		mgr.do("PUT", "/api/v1/targets", `{"period":"2027-Q3","kind":"revenue","scope":"company","amount":1}`).problem(t, http.StatusForbidden)
		rep.do("PUT", "/api/v1/targets", map[string]any{"period": "2027-Q3", "kind": "revenue", "scope": "rep", "user_id": ws.Rep.ID, "amount": 1}).problem(t, http.StatusForbidden)
		var roll struct {
			MembersSum int64 `json:"members_sum"`
			Effective  int64
		}
		mgr.do("GET", fmt.Sprintf("/api/v1/teams/%d/targets/rollup?period=2027-Q3", team), nil).want(t, http.StatusOK).decode(t, &roll)
		if roll.MembersSum != 150000 || roll.Effective != 200000 {
			t.Errorf("team rollup %+v", roll)
		}
		rep.do("GET", fmt.Sprintf("/api/v1/teams/%d/targets/rollup?period=2027-Q3", team), nil).problem(t, http.StatusNotFound)
		var split struct{ Items []apiTarget }
		admin.do("POST", "/api/v1/targets/split", `{"period":"2027-Q3","kind":"bookings","scope":"company","amount":101}`).want(t, http.StatusOK).decode(t, &split)
		if len(split.Items) != 2 || *split.Items[1].Amount != 101 {
			t.Errorf("company split among its one team: %+v", split.Items)
		}
		admin.do("POST", "/api/v1/targets/split", `{"period":"2027-Q3","kind":"bookings","scope":"company","amount":1,"method":"weights"}`).
			problem(t, http.StatusUnprocessableEntity)

		// Forecasts: the rep submits, the manager sees the roll-up and calls.
		var sub struct {
			ID     int64
			Commit int64
		}
		rep.do("POST", "/api/v1/forecasts", `{"period":"2027-Q3","commit":5000,"best_case":9000,"comment":"Early"}`).want(t, http.StatusCreated).decode(t, &sub)
		rep.do("POST", "/api/v1/forecasts", `{"period":"2027-Q3","commit":5000,"best_case":1}`).problem(t, http.StatusUnprocessableEntity)
		rep.do("GET", "/api/v1/forecasts/prefill?period=2027-Q3", nil).want(t, http.StatusOK)
		rep.do("GET", fmt.Sprintf("/api/v1/users/%d/forecast-prefill", ws.Manager.ID), nil).problem(t, http.StatusNotFound)
		var fr struct {
			SumCommit int64 `json:"sum_commit"`
			Rows      []struct{ Commit int64 }
		}
		mgr.do("GET", fmt.Sprintf("/api/v1/teams/%d/forecast?period=2027-Q3", team), nil).want(t, http.StatusOK).decode(t, &fr)
		if fr.SumCommit != 5000 || len(fr.Rows) != 1 {
			t.Errorf("team forecast %+v", fr)
		}
		mgr.do("POST", "/api/v1/forecasts", map[string]any{"period": "2027-Q3", "scope": "team", "team_id": team, "commit": 4000}).problem(t, http.StatusUnprocessableEntity)
		mgr.do("POST", "/api/v1/forecasts", map[string]any{"period": "2027-Q3", "scope": "team", "team_id": team, "commit": 4000, "comment": "Haircut"}).want(t, http.StatusCreated)
		mgr.do("GET", "/api/v1/forecasts/rollup?period=2027-Q3", nil).problem(t, http.StatusForbidden)
		var comp struct {
			SumCommit int64 `json:"sum_commit"`
		}
		admin.do("GET", "/api/v1/forecasts/rollup?period=2027-Q3", nil).want(t, http.StatusOK).decode(t, &comp)
		if comp.SumCommit != 4000 {
			t.Errorf("company forecast %+v", comp)
		}
		var list struct{ Items []struct{ ID int64 } }
		rep.do("GET", "/api/v1/forecasts", nil).want(t, http.StatusOK).decode(t, &list)
		if len(list.Items) != 1 {
			t.Errorf("rep sees %d submissions", len(list.Items))
		}

		// Snapshots: admins take this week's once; accuracy reads them.
		rep.do("POST", "/api/v1/forecasts/snapshots", nil).problem(t, http.StatusForbidden)
		var snap struct {
			AlreadyTaken bool `json:"already_taken"`
		}
		admin.do("POST", "/api/v1/forecasts/snapshots", nil).want(t, http.StatusOK).decode(t, &snap)
		admin.do("POST", "/api/v1/forecasts/snapshots", nil).want(t, http.StatusOK).decode(t, &snap)
		if !snap.AlreadyTaken {
			t.Error("second snapshot of the week was taken again")
		}
		admin.do("GET", "/api/v1/forecasts/accuracy?quarters=4", nil).want(t, http.StatusOK)
		admin.do("GET", "/api/v1/forecasts/accuracy?quarters=40", nil).problem(t, http.StatusUnprocessableEntity)
		admin.do("GET", "/api/v1/forecasts/accuracy?period=2027-01", nil).problem(t, http.StatusUnprocessableEntity)
		admin.do("GET", "/api/v1/forecasts/pipeline-snapshots?week=nope", nil).problem(t, http.StatusUnprocessableEntity)

		// Ramps: a member without one reads as an empty schedule.
		var ramp struct{ Percents []int64 }
		mgr.do("GET", fmt.Sprintf("/api/v1/users/%d/ramp", ws.Rep.ID), nil).want(t, http.StatusOK).decode(t, &ramp)
		mgr.do("PUT", fmt.Sprintf("/api/v1/users/%d/ramp", ws.Rep.ID), `{"start":"2026-05-01","percents":[25,50]}`).want(t, http.StatusOK).decode(t, &ramp)
		if len(ramp.Percents) != 2 {
			t.Errorf("ramp %+v", ramp)
		}
		rep.do("PUT", fmt.Sprintf("/api/v1/users/%d/ramp", ws.Rep.ID), `{"start":"2026-05-01","percents":[100]}`).problem(t, http.StatusForbidden)
	})
}
