package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// TestKPICommands: a rep reads their KPIs, forecast, plan and home from the
// command line, as a table and as JSON.
func TestKPICommands(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		r := newRemoteEnv(t, db)
		env := r.env
		mustAttain(t, env, "deals", "create", "Acme renewal", "--amount", "12,000", "--close", "2026-12-31")
		out := mustAttain(t, env, "kpi", "show", "--period", "2026-Q4")
		for _, want := range []string{"Attainment", "Win rate (count)", "Open pipeline", "Stalled deals"} {
			if !strings.Contains(out, want) {
				t.Errorf("kpi show lacks %q:\n%s", want, out)
			}
		}
		var rep attain.KPIReport
		if err := json.Unmarshal([]byte(mustAttain(t, env, "kpi", "show", "--period", "2026-Q4", "--json")), &rep); err != nil {
			t.Fatalf("kpi show --json: %v", err)
		}
		if rep.Scope != "rep" || rep.Period.Key != "2026-Q4" || len(rep.KPIs) == 0 {
			t.Errorf("kpi show --json = %+v", rep)
		}
		if out := mustAttain(t, env, "kpi", "forecast", "--period", "2026-Q4"); !strings.Contains(out, "P50") {
			t.Errorf("kpi forecast printed:\n%s", out)
		}
		if out := mustAttain(t, env, "kpi", "plan", "--period", "2026-Q4", "--target", "1000000"); !strings.Contains(out, "Target") {
			t.Errorf("kpi plan printed:\n%s", out)
		}
		if out := mustAttain(t, env, "kpi", "home", "--period", "2026-Q4"); !strings.Contains(out, "NEEDS ATTENTION") {
			t.Errorf("kpi home printed:\n%s", out)
		}
		_, _, err := runAttain(t, env, "kpi", "show", "--company")
		problemOf(t, err) // a rep cannot read the company's figures
		_, _, err = runAttain(t, env, "kpi", "show", "--period", "2026-Q7")
		if p := problemOf(t, err); !strings.Contains(p.Error(), "period") {
			t.Errorf("bad period: %v", p)
		}
	})
}
