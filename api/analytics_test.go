package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/attain-crm/attain"
)

var (
	// The funnel planner needs a target when the rep has none set.
	_ = registerListQuery("GET /api/v1/funnel-plan", "target=100000")
	// user_id and team_id choose whose figures these compute.
	_ = registerScopeQuery("GET /api/v1/kpis")
	_ = registerScopeQuery("GET /api/v1/forecasts/system")
	_ = registerScopeQuery("GET /api/v1/funnel-plan")
)

// TestKPIDefinitions checks everyone can read which KPIs take a goal, and
// that the settings accept a goal exactly for those.
func TestKPIDefinitions(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("KPI Defs")
		admin, rep := e.tokenClient(ws.Admin), e.tokenClient(ws.Rep)
		var defs struct {
			Items []struct {
				Key          string
				Unit         string
				LowerBetter  bool   `json:"lower_better"`
				TargetSource string `json:"target_source"`
				TakesGoal    bool   `json:"takes_goal"`
			}
		}
		rep.do("GET", "/api/v1/kpi-definitions", nil).want(t, http.StatusOK).decode(t, &defs)
		source := map[string]string{}
		goals := map[string]any{}
		for _, d := range defs.Items {
			source[d.Key] = d.TargetSource
			if d.TakesGoal != (d.TargetSource == "goal") {
				t.Errorf("%s: takes_goal %v with target source %q", d.Key, d.TakesGoal, d.TargetSource)
			}
			if d.TakesGoal {
				goals[d.Key] = 1
			}
		}
		want := map[string]string{"win_rate": "goal", "pipeline_coverage": "threshold", "attainment": "revenue", "cycle_time_mean": "goal", "avg_deal_size": ""}
		for k, v := range want {
			if source[k] != v {
				t.Errorf("%s target source = %q, want %q", k, source[k], v)
			}
		}
		admin.do("PUT", "/api/v1/kpi-settings", map[string]any{"coverage_threshold": 3, "stalled_days": 21, "goals": goals}).want(t, http.StatusOK)
	})
}

// TestDashboards checks the analytics endpoints answer the roles that may
// read them, refuse the others, and name the field of a bad query.
func TestDashboards(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Dash Co")
		admin, rep := e.tokenClient(ws.Admin), e.tokenClient(ws.Rep)
		for _, path := range []string{"/api/v1/kpis", "/api/v1/dashboards/me", "/api/v1/dashboards/company", "/api/v1/forecasts/system",
			"/api/v1/funnel-plan?target=5000", "/api/v1/kpi-settings", "/api/v1/kpis?period=2026-Q1&currency=eur",
			"/api/v1/users/" + strconv.FormatInt(ws.Rep.ID, 10) + "/dashboard"} {
			admin.do("GET", path, nil).want(t, http.StatusOK)
		}
		rep.do("GET", "/api/v1/dashboards/me", nil).want(t, http.StatusOK)
		rep.do("GET", "/api/v1/kpis?user_id="+strconv.FormatInt(ws.Rep.ID, 10), nil).want(t, http.StatusOK)
		rep.do("GET", "/api/v1/dashboards/company", nil).want(t, http.StatusForbidden)
		rep.do("GET", "/api/v1/users/"+strconv.FormatInt(ws.Admin.ID, 10)+"/dashboard", nil).want(t, http.StatusNotFound)

		bad := func(c *client, method, path string, body any, field string) {
			t.Helper()
			if f := c.do(method, path, body).problem(t, http.StatusUnprocessableEntity).fields(); !slices.Contains(f, field) {
				t.Errorf("%s %s: fields %v, want %s", method, path, f, field)
			}
		}
		bad(admin, "GET", "/api/v1/kpis?period=2026-Q5", nil, "period")
		bad(admin, "GET", "/api/v1/kpis?currency=dollars", nil, "currency")
		bad(admin, "GET", "/api/v1/kpis?user_id=x", nil, "user_id")
		bad(admin, "GET", "/api/v1/funnel-plan", nil, "target")
		bad(admin, "PUT", "/api/v1/kpi-settings", map[string]any{"coverage_threshold": 0, "stalled_days": 14}, "coverage_threshold")
		bad(admin, "PUT", "/api/v1/kpi-settings", map[string]any{"coverage_threshold": 3, "stalled_days": 14, "goals": map[string]any{"nope": 1}}, "goals.nope")
		// Attainment is measured against the period's revenue target, not a goal.
		bad(admin, "PUT", "/api/v1/kpi-settings", map[string]any{"coverage_threshold": 3, "stalled_days": 14, "goals": map[string]any{"attainment": 1}}, "goals.attainment")

		admin.do("PUT", "/api/v1/kpi-settings", map[string]any{"coverage_threshold": 4, "stalled_days": 14, "goals": map[string]any{"win_rate": 0.6}},
			"If-Match", `"1"`).want(t, http.StatusOK)
		admin.do("PUT", "/api/v1/kpi-settings", map[string]any{"coverage_threshold": 4, "stalled_days": 14}, "If-Match", `"1"`).
			want(t, http.StatusPreconditionFailed)
		rep.do("PUT", "/api/v1/kpi-settings", map[string]any{"coverage_threshold": 4, "stalled_days": 14}).want(t, http.StatusForbidden)
		var kpis struct {
			KPIs []struct {
				Key    string
				Target *float64
			}
		}
		admin.do("GET", "/api/v1/kpis", nil).want(t, http.StatusOK).decode(t, &kpis)
		for _, k := range kpis.KPIs {
			if k.Key == "pipeline_coverage" && (k.Target == nil || *k.Target != 4) {
				t.Errorf("coverage threshold = %v, want 4", k.Target)
			}
			if k.Key == "win_rate" && (k.Target == nil || *k.Target != 0.6) {
				t.Errorf("win rate goal = %v, want 0.6", k.Target)
			}
		}
	})
}

// TestKPISettingsStageStalledDays checks an admin sets stalled days per
// open stage, that a bad entry is named by its stage's field, and that the
// settings read back can be written back unchanged.
func TestKPISettingsStageStalledDays(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Stall Co")
		admin := e.tokenClient(ws.Admin)
		var pipelines struct {
			Items []struct {
				Stages []struct {
					ID      int64
					Outcome string
				}
			}
		}
		admin.do("GET", "/api/v1/pipelines", nil).want(t, http.StatusOK).decode(t, &pipelines)
		var open, won string
		for _, s := range pipelines.Items[0].Stages {
			switch {
			case s.Outcome == "open" && open == "":
				open = strconv.FormatInt(s.ID, 10)
			case s.Outcome == "won":
				won = strconv.FormatInt(s.ID, 10)
			}
		}
		if open == "" || won == "" {
			t.Fatalf("the default pipeline lacks an open or a won stage: %+v", pipelines)
		}
		put := func(days map[string]any) *response {
			return admin.do("PUT", "/api/v1/kpi-settings", map[string]any{"coverage_threshold": 3, "stalled_days": 21, "stage_stalled_days": days})
		}
		for _, c := range []struct {
			days  map[string]any
			field string
		}{
			{map[string]any{open: 0}, "stage_stalled_days." + open},
			{map[string]any{open: 3651}, "stage_stalled_days." + open},
			{map[string]any{won: 10}, "stage_stalled_days." + won},
			{map[string]any{"999999": 10}, "stage_stalled_days.999999"},
			{map[string]any{"stage": 10}, "stage_stalled_days.stage"},
		} {
			if f := put(c.days).problem(t, http.StatusUnprocessableEntity).fields(); !slices.Equal(f, []string{c.field}) {
				t.Errorf("%v: fields %v, want [%s]", c.days, f, c.field)
			}
		}
		put(map[string]any{open: 45}).want(t, http.StatusOK)
		var got map[string]any
		admin.do("GET", "/api/v1/kpi-settings", nil).want(t, http.StatusOK).decode(t, &got)
		if days, _ := got["stage_stalled_days"].(map[string]any); days[open] != float64(45) {
			t.Fatalf("stage_stalled_days = %v, want %s: 45", got["stage_stalled_days"], open)
		}
		admin.do("PUT", "/api/v1/kpi-settings", got).want(t, http.StatusOK)
	})
}

// TestTeamFunnelPlan checks one request plans every member of a team: the
// members with a revenue target get the plan the single-rep endpoint gives,
// the others the reason they have none; only its managers and admins see it.
func TestTeamFunnelPlan(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *testEnv) {
		ws := e.newWorkspace("Team Plan")
		admin, mgr, rep := e.tokenClient(ws.Admin), e.tokenClient(ws.Manager), e.tokenClient(ws.Rep)
		other := e.addUser(ws, attain.RoleRep, "Aaron Other")
		team := admin.do("POST", "/api/v1/teams", map[string]any{"name": "East", "manager_id": ws.Manager.ID, "member_ids": []int64{ws.Rep.ID, other.ID}}).
			want(t, http.StatusCreated).id(t)
		mgr.do("PUT", "/api/v1/targets", map[string]any{"period": "2026-Q3", "kind": "revenue", "scope": "rep", "user_id": ws.Rep.ID,
			"currency": "USD", "amount": 5_000_000}).want(t, http.StatusOK)

		path := fmt.Sprintf("/api/v1/teams/%d/funnel-plan?period=2026-Q3", team)
		var got struct {
			TeamID  int64  `json:"team_id"`
			Name    string `json:"name"`
			Period  struct{ Key string }
			Members []struct {
				UserID  int64           `json:"user_id"`
				Name    string          `json:"name"`
				Plan    json.RawMessage `json:"plan"`
				Missing string          `json:"missing"`
			}
		}
		mgr.do("GET", path, nil).want(t, http.StatusOK).decode(t, &got)
		if got.TeamID != team || got.Name != "East" || got.Period.Key != "2026-Q3" || len(got.Members) != 2 {
			t.Fatalf("team plan = %+v", got)
		}
		// By name: Aaron first.
		if m := got.Members[0]; m.UserID != other.ID || string(m.Plan) != "null" || !strings.Contains(m.Missing, "no revenue target for Aaron Other in 2026-Q3") {
			t.Errorf("member without a target = %+v", m)
		}
		m := got.Members[1]
		if m.UserID != ws.Rep.ID || m.Missing != "" {
			t.Fatalf("member with a target = %+v", m)
		}
		var single json.RawMessage
		mgr.do("GET", fmt.Sprintf("/api/v1/funnel-plan?period=2026-Q3&user_id=%d", ws.Rep.ID), nil).want(t, http.StatusOK).decode(t, &single)
		var a, b any
		if err := json.Unmarshal(m.Plan, &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(single, &b); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(b, a); diff != "" {
			t.Errorf("team plan's member differs from the rep's plan (-single +team):\n%s", diff)
		}

		admin.do("GET", path, nil).want(t, http.StatusOK)
		rep.do("GET", path, nil).problem(t, http.StatusNotFound)
		mgr.do("GET", "/api/v1/teams/999999/funnel-plan", nil).problem(t, http.StatusNotFound)
		if f := mgr.do("GET", fmt.Sprintf("/api/v1/teams/%d/funnel-plan?period=2026-Q9", team), nil).problem(t, http.StatusUnprocessableEntity).fields(); !slices.Equal(f, []string{"period"}) {
			t.Errorf("bad period: fields %v", f)
		}
	})
}
