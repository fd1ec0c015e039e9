package api

import (
	"net/http"
	"slices"
	"strconv"
	"testing"
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
