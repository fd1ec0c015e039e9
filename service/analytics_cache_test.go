package service_test

import (
	"slices"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// TestDashboardActivityByOthers checks that the key activities a rep's
// home counts on their deals follow activities someone else logs, backdates
// or deletes on them, though the facts are kept per rep and the change log
// names an activity's owner, not its deal; and that others' writes to their
// own deals meanwhile change nothing.
func TestDashboardActivityByOthers(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newKPIEnv(t, db)
		p30 := 30
		p, err := e.svc.CreatePipeline(e.ctx, e.admin, attain.PipelineInput{Name: "Calls first", Stages: []attain.StageInput{
			{Name: "Talk", Probability: &p30, ExitCriteria: attain.ExitCriteria{Activities: []attain.ActivityRequirement{{Type: "call", Count: 2}}}},
			{Name: "Won", Outcome: attain.OutcomeWon},
			{Name: "Lost", Outcome: attain.OutcomeLost},
		}})
		if err != nil {
			t.Fatalf("pipeline: %v", err)
		}
		amount := int64(1000)
		cd, _ := attain.ParseDate("2026-09-30")
		in := attain.DealInput{Amount: &amount, CloseDate: &cd, PipelineID: &p.ID, StageID: &p.Stages[0].ID}
		d := e.deal(e.rep, in)
		theirs := e.deal(e.rep2, in)
		call := func(a *attain.Actor, dealID int64, at time.Time) *attain.Activity {
			t.Helper()
			x, err := e.svc.CreateActivity(e.ctx, a, attain.NewActivity{Type: "call", DealID: &dealID, OccurredAt: &at})
			if err != nil {
				t.Fatalf("activity: %v", err)
			}
			return x
		}
		missing := func(step string, want bool) {
			t.Helper()
			h, err := e.svc.RepDashboard(e.ctx, e.rep, 0, "2026-Q3", "")
			if err != nil {
				t.Fatalf("%s: rep home: %v", step, err)
			}
			got := false
			for _, a := range h.Attention {
				if a.DealID == d.ID && slices.Contains(a.Missing, "activities.call") {
					got = true
				}
			}
			if got != want {
				t.Errorf("%s: calls missing = %v, want %v", step, got, want)
			}
		}
		call(e.rep, d.ID, e.now)
		missing("one call", true)
		call(e.rep2, theirs.ID, e.now)
		call(e.rep2, theirs.ID, e.now)
		missing("others' calls on their own deal", true)
		// Backdated: the deal's last activity stays as it was.
		x := call(e.admin, d.ID, e.now.Add(-48*time.Hour))
		missing("a backdated call by the admin", false)
		if err := e.svc.DeleteActivity(e.ctx, e.admin, x.ID, x.Version); err != nil {
			t.Fatalf("delete activity: %v", err)
		}
		missing("the admin's call deleted", true)
	})
}

// TestDashboardConfigChanges checks that the rep's home follows the
// workspace's configuration, kept per workspace between requests: a
// renamed rep, a rep made manager (off the leaderboard), the planning
// currency and the KPI settings show on the next request.
func TestDashboardConfigChanges(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newKPIEnv(t, db)
		home := func(step string) *attain.RepDashboard {
			t.Helper()
			h, err := e.svc.RepDashboard(e.ctx, e.rep, 0, "2026-Q3", "")
			if err != nil {
				t.Fatalf("%s: rep home: %v", step, err)
			}
			return h
		}
		h := home("before")
		if h.Leaderboard.Of != 2 || h.Currency != "USD" || !h.Leaderboard.Anonymous {
			t.Fatalf("before: %d ranked, currency %s, anonymous %v; want 2, USD, true",
				h.Leaderboard.Of, h.Currency, h.Leaderboard.Anonymous)
		}

		name := "Renamed Rep"
		if _, err := e.svc.UpdateUser(e.ctx, e.admin, e.rep.UserID, 0, attain.UserUpdate{Name: &name}); err != nil {
			t.Fatalf("rename: %v", err)
		}
		if got := home("renamed").Name; got != name {
			t.Errorf("after a rename, name = %q, want %q", got, name)
		}

		role := attain.RoleManager
		if _, err := e.svc.UpdateUser(e.ctx, e.admin, e.rep2.UserID, 0, attain.UserUpdate{Role: &role}); err != nil {
			t.Fatalf("role: %v", err)
		}
		if got := home("rep2 made manager").Leaderboard.Of; got != 1 {
			t.Errorf("after rep2 became a manager, %d ranked, want 1", got)
		}

		if _, err := e.svc.SetPlanning(e.ctx, e.admin, attain.PlanningSettings{FiscalStartMonth: time.January, Currency: "EUR"}); err != nil {
			t.Fatalf("planning: %v", err)
		}
		if got := home("planning currency").Currency; got != "EUR" {
			t.Errorf("after the planning currency became EUR, currency = %s", got)
		}

		set, err := e.svc.FindKPISettings(e.ctx, e.admin)
		if err != nil {
			t.Fatal(err)
		}
		set.LeaderboardNames = true
		if _, err := e.svc.SetKPISettings(e.ctx, e.admin, set.Version, *set); err != nil {
			t.Fatalf("kpi settings: %v", err)
		}
		if home("leaderboard names").Leaderboard.Anonymous {
			t.Error("after leaderboard names were turned on, the leaderboard is still anonymous")
		}
	})
}
