package service_test

import (
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

func (e *planEnv) submit(a *attain.Actor, in attain.ForecastInput) *attain.ForecastSubmission {
	e.t.Helper()
	s, err := e.svc.SubmitForecast(e.ctx, a, in)
	if err != nil {
		e.t.Fatalf("submit %+v: %v", in, err)
	}
	return s
}

func TestForecastSubmissions(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newPlanEnv(t, db)
		e.deal(e.rep1, "Won", 10_000, "2026-07-03", "")
		e.deal(e.rep1, "Commit", 50_000, "2026-08-15", "")
		e.deal(e.rep1, "Likely", 30_000, "2026-09-30", "")
		e.deal(e.rep1, "Open", 20_000, "2026-09-01", "")
		e.deal(e.rep1, "Commit", 70_000, "2026-10-01", "")    // next quarter
		e.deal(e.rep1, "Commit", 99_000, "2026-08-01", "EUR") // another currency
		e.deal(e.rep2, "Commit", 40_000, "2026-08-01", "")    // someone else's

		pf, err := e.svc.ForecastPrefill(e.ctx, e.rep1, "2026-Q3", e.rep1.UserID)
		if err != nil {
			t.Fatal(err)
		}
		if pf.Won != 10_000 || pf.Commit != 60_000 || pf.BestCase != 90_000 || pf.Pipeline != 20_000 || pf.OtherCurrencyDeals != 1 || len(pf.Deals) != 4 {
			t.Errorf("prefill: %s", mustJSON(pf))
		}
		// A submission without figures takes the pre-fill; a second one adjusts it.
		s1 := e.submit(e.rep1, attain.ForecastInput{Period: "2026-Q3"})
		if s1.Commit != 60_000 || s1.BestCase != 90_000 || s1.PrefillCommit != 60_000 || s1.Scope != attain.ScopeRep {
			t.Errorf("first submission: %s", mustJSON(s1))
		}
		e.now = e.now.Add(time.Hour)
		s2 := e.submit(e.rep1, attain.ForecastInput{Period: "2026-Q3", Commit: ptr(int64(55_000)), Comment: "Acme may slip"})
		if s2.ID == s1.ID || s2.Commit != 55_000 || s2.BestCase != 90_000 || s2.PrefillCommit != 60_000 {
			t.Errorf("second submission: %s", mustJSON(s2))
		}
		e.submit(e.rep3, attain.ForecastInput{Period: "2026-Q3", Commit: ptr(int64(7_000)), BestCase: ptr(int64(8_000))})
		e.submit(e.rep4, attain.ForecastInput{Period: "2026-Q3", Commit: ptr(int64(1_000)), BestCase: ptr(int64(1_000))})

		// Every submission is kept; reps see their own only.
		all, err := e.svc.ForecastSubmissions(e.ctx, e.rep1, attain.ForecastFilter{Period: "2026-q3"})
		if err != nil || len(all) != 2 || all[0].Commit != 60_000 || all[1].Commit != 55_000 {
			t.Errorf("rep1's submissions: %v %s", err, mustJSON(all))
		}
		if mine, _ := e.svc.ForecastSubmissions(e.ctx, e.mgr, attain.ForecastFilter{}); len(mine) != 3 {
			t.Errorf("manager sees %d submissions, want rep1's 2 and rep3's", len(mine))
		}
		// Bad input changes nothing.
		_, err = e.svc.SubmitForecast(e.ctx, e.rep1, attain.ForecastInput{Period: "2026-Q3", Commit: ptr(int64(5)), BestCase: ptr(int64(4))})
		storetest.WantField(t, err, "best_case")
		_, err = e.svc.SubmitForecast(e.ctx, e.rep1, attain.ForecastInput{Period: "Q3"})
		storetest.WantField(t, err, "period")

		// The manager's roll-up: North (no call: its own sum), rep1's latest, rep2 (none).
		r, err := e.svc.ForecastRollup(e.ctx, e.mgr, "2026-Q3", &e.east)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Rows) != 3 || r.Rows[0].Kind != attain.ScopeTeam || r.Rows[0].Commit != 7_000 || r.Rows[1].Submission.ID != s2.ID ||
			r.Rows[2].Submission != nil || r.SumCommit != 62_000 || r.SumBestCase != 98_000 || r.Call != nil {
			t.Errorf("east rollup: %s", mustJSON(r))
		}
		// Manager calls need a reason; reps cannot call for a team; managers not for others'.
		_, err = e.svc.SubmitForecast(e.ctx, e.mgr, attain.ForecastInput{Period: "2026-Q3", Scope: attain.ScopeTeam, TeamID: &e.east})
		storetest.WantField(t, err, "comment")
		_, err = e.svc.SubmitForecast(e.ctx, e.rep1, attain.ForecastInput{Period: "2026-Q3", Scope: attain.ScopeTeam, TeamID: &e.east, Comment: "x"})
		storetest.WantCode(t, err, attain.EFORBIDDEN)
		_, err = e.svc.SubmitForecast(e.ctx, e.mgr2, attain.ForecastInput{Period: "2026-Q3", Scope: attain.ScopeTeam, TeamID: &e.east, Comment: "x"})
		storetest.WantCode(t, err, attain.EFORBIDDEN)
		_, err = e.svc.SubmitForecast(e.ctx, e.mgr, attain.ForecastInput{Period: "2026-Q3", Scope: attain.ScopeCompany, Comment: "x"})
		storetest.WantCode(t, err, attain.EFORBIDDEN)
		nc := e.submit(e.mgr2, attain.ForecastInput{Period: "2026-Q3", Scope: attain.ScopeTeam, TeamID: &e.north, Commit: ptr(int64(5_000)), Comment: "rep3 is optimistic"})
		if nc.PrefillCommit != 7_000 || nc.BestCase != 8_000 {
			t.Errorf("north call: %s", mustJSON(nc))
		}
		ec := e.submit(e.mgr, attain.ForecastInput{Period: "2026-Q3", Scope: attain.ScopeTeam, TeamID: &e.east, Commit: ptr(int64(50_000)), Comment: "Haircut"})
		if ec.PrefillCommit != 60_000 { // North now counts with its manager's call
			t.Errorf("east call prefill: %s", mustJSON(ec))
		}
		r, _ = e.svc.ForecastRollup(e.ctx, e.mgr, "2026-Q3", &e.east)
		if r.Call == nil || r.Call.ID != ec.ID || r.Rows[0].Submission.ID != nc.ID || r.SumCommit != 60_000 {
			t.Errorf("east rollup with calls: %s", mustJSON(r))
		}
		// And so on up: the company's rows are East (its call), West (its sum), rep5 and the others in no team.
		c, err := e.svc.ForecastRollup(e.ctx, e.admin, "2026-Q3", nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.SumCommit != 51_000 || c.Rows[0].Commit != 50_000 || c.Rows[1].Commit != 1_000 {
			t.Errorf("company rollup: %s", mustJSON(c))
		}
		// Roles on roll-ups.
		if _, err := e.svc.ForecastRollup(e.ctx, e.mgr, "2026-Q3", nil); attain.ErrorCode(err) != attain.EFORBIDDEN {
			t.Errorf("manager reads company rollup: %v", err)
		}
		if _, err := e.svc.ForecastRollup(e.ctx, e.mgr2, "2026-Q3", &e.east); attain.ErrorCode(err) != attain.ENOTFOUND {
			t.Errorf("sub-team manager reads parent's rollup: %v", err)
		}
		if _, err := e.svc.ForecastRollup(e.ctx, e.rep1, "2026-Q3", &e.east); attain.ErrorCode(err) != attain.ENOTFOUND {
			t.Errorf("rep reads rollup: %v", err)
		}
		if _, err := e.svc.ForecastPrefill(e.ctx, e.rep1, "2026-Q3", e.rep2.UserID); attain.ErrorCode(err) != attain.ENOTFOUND {
			t.Errorf("rep reads another's prefill: %v", err)
		}
		if _, err := e.svc.ForecastPrefill(e.ctx, e.mgr, "2026-Q3", e.rep3.UserID); err != nil {
			t.Errorf("manager reads sub-team rep's prefill: %v", err)
		}
	})
}

func TestForecastSnapshotsAndAccuracy(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newPlanEnv(t, db)
		big := e.deal(e.rep1, "Commit", 80_000, "2026-08-15", "")
		e.deal(e.rep3, "Commit", 20_000, "2026-08-20", "")
		e.submit(e.rep1, attain.ForecastInput{Period: "2026-Q3"}) // 80,000
		e.submit(e.rep3, attain.ForecastInput{Period: "2026-Q3"}) // 20,000

		// Week 1 (Monday 6 July): taken once, however often the job runs.
		res, err := e.svc.SnapshotForecasts(e.ctx, e.ws.ID)
		if err != nil {
			t.Fatal(err)
		}
		// rep1, rep3; teams East, North, West; the company.
		if res.AlreadyTaken || res.WeekStart.String() != "2026-07-06" || res.Period != "2026-Q3" || res.Forecasts != 6 || res.Pipeline != 2 {
			t.Errorf("week 1: %+v", res)
		}
		e.now = e.now.Add(50 * time.Hour) // Wednesday, same week
		res, err = e.svc.SnapshotForecasts(e.ctx, e.ws.ID)
		if err != nil || !res.AlreadyTaken || res.Forecasts != 0 {
			t.Errorf("second run in week 1: %+v %v", res, err)
		}
		// Week 2: rep1 lowers their call.
		e.now = time.Date(2026, 7, 13, 6, 0, 0, 0, time.UTC)
		e.submit(e.rep1, attain.ForecastInput{Period: "2026-Q3", Commit: ptr(int64(40_000)), Comment: "Half of it"})
		if n, err := e.svc.SnapshotAll(e.ctx); err != nil || n != 1 {
			t.Errorf("SnapshotAll week 2: %d %v", n, err)
		}
		if n, _ := e.svc.SnapshotAll(e.ctx); n != 0 {
			t.Errorf("SnapshotAll again took %d", n)
		}
		pipe, err := e.svc.PipelineSnapshot(e.ctx, e.rep1, attain.DateOf(e.now))
		if err != nil || len(pipe) != 1 || pipe[0].Amount != 80_000 || pipe[0].ForecastCategory != "commit" {
			t.Errorf("rep1's pipeline snapshot: %v %s", err, mustJSON(pipe))
		}
		// rep1 wins 50,000 of it; rep3 wins theirs; the quarter ends.
		amt := int64(50_000)
		big, err = e.svc.UpdateDeal(e.ctx, e.rep1, big.ID, 0, attain.DealUpdate{Amount: &amt})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.MoveDeal(e.ctx, e.rep1, big.ID, 0, attain.MoveInput{StageID: e.stage["Won"], Reason: "product_fit"}); err != nil {
			t.Fatal(err)
		}
		e.deal(e.rep3, "Won", 20_000, "2026-09-10", "")
		e.now = time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)

		acc, err := e.svc.ForecastAccuracy(e.ctx, e.rep1, attain.AccuracyFilter{Period: "2026-Q3"})
		if err != nil {
			t.Fatal(err)
		}
		// Week 1: 80,000 vs 50,000 = +30,000 (60%); week 2: 40,000 = -10,000 (20%).
		if len(acc.Points) != 2 || acc.Points[0].Week != 1 || acc.Points[0].Error != 30_000 || *acc.Points[0].ErrorBP != 6000 ||
			acc.Points[1].Week != 2 || acc.Points[1].Error != -10_000 || *acc.Points[1].ErrorBP != 2000 || !acc.Points[0].Final {
			t.Errorf("rep1's accuracy: %s", mustJSON(acc))
		}
		// East's snapshots (no call: rep1 + North's 20,000) against rep1 + rep2 + rep3 won.
		acc, err = e.svc.ForecastAccuracy(e.ctx, e.mgr, attain.AccuracyFilter{Period: "2026-Q3", TeamID: &e.east})
		if err != nil {
			t.Fatal(err)
		}
		if len(acc.Points) != 2 || acc.Points[0].Commit != 100_000 || acc.Points[0].Actual != 70_000 || acc.Points[1].Commit != 60_000 ||
			*acc.Points[1].ErrorBP != 1429 {
			t.Errorf("east accuracy: %s", mustJSON(acc))
		}
		// Visibility: manager sees rep1, rep3, East and North; admin everything.
		for _, c := range []struct {
			who  *attain.Actor
			want int
		}{{e.rep1, 2}, {e.rep3, 2}, {e.mgr2, 4}, {e.mgr, 8}, {e.admin, 12}} {
			acc, err := e.svc.ForecastAccuracy(e.ctx, c.who, attain.AccuracyFilter{Period: "2026-Q3", Quarters: 2})
			if err != nil || len(acc.Points) != c.want {
				t.Errorf("%s sees %d accuracy points (%v), want %d", c.who.Name, len(acc.Points), err, c.want)
			}
		}
		acc, _ = e.svc.ForecastAccuracy(e.ctx, e.admin, attain.AccuracyFilter{Period: "2026-Q3"})
		if len(acc.ByWeek) != 2 || acc.ByWeek[0].Week != 1 || acc.ByWeek[0].Points != 5 {
			t.Errorf("by week: %s", mustJSON(acc.ByWeek))
		}
		// By quarter, oldest first: Q2 has no snapshot; Q3's two rep1 points
		// average (6000 + 2000) / 2.
		acc, _ = e.svc.ForecastAccuracy(e.ctx, e.rep1, attain.AccuracyFilter{Period: "2026-Q3", Quarters: 2})
		if len(acc.ByQuarter) != 2 || acc.ByQuarter[0].Period != "2026-Q2" || acc.ByQuarter[0].Points != 0 || acc.ByQuarter[0].MeanErrorBP != nil ||
			acc.ByQuarter[1].Period != "2026-Q3" || acc.ByQuarter[1].Points != 2 || *acc.ByQuarter[1].MeanErrorBP != 4000 || !acc.ByQuarter[1].Final {
			t.Errorf("by quarter: %s", mustJSON(acc.ByQuarter))
		}
		// Handing the won deal to rep3 after the quarter leaves the win with
		// rep1, who owned it when it was won (as attainment credits it).
		if _, err := e.svc.UpdateDeal(e.ctx, e.admin, big.ID, 0, attain.DealUpdate{OwnerID: &e.rep3.UserID}); err != nil {
			t.Fatal(err)
		}
		acc, _ = e.svc.ForecastAccuracy(e.ctx, e.rep1, attain.AccuracyFilter{Period: "2026-Q3"})
		if len(acc.Points) != 2 || acc.Points[0].Actual != 50_000 {
			t.Errorf("rep1's accuracy after the hand-over: %s", mustJSON(acc.Points))
		}
		acc, _ = e.svc.ForecastAccuracy(e.ctx, e.rep3, attain.AccuracyFilter{Period: "2026-Q3"})
		if len(acc.Points) != 2 || acc.Points[0].Actual != 20_000 {
			t.Errorf("rep3's accuracy after the hand-over: %s", mustJSON(acc.Points))
		}
		if acc, err := e.svc.ForecastAccuracy(e.ctx, e.rep1, attain.AccuracyFilter{Period: "2026-Q3", UserID: &e.rep3.UserID}); err != nil || len(acc.Points) != 0 {
			t.Errorf("rep reads another's accuracy: %v %s", err, mustJSON(acc))
		}
		if acc, err := e.svc.ForecastAccuracy(e.ctx, e.mgr2, attain.AccuracyFilter{TeamID: &e.east}); err != nil || len(acc.Points) != 0 {
			t.Errorf("sub-team manager reads parent team's accuracy (current quarter): %v %s", err, mustJSON(acc))
		}
		if _, err := e.svc.ForecastAccuracy(e.ctx, e.rep1, attain.AccuracyFilter{Period: "2026-09"}); attain.ErrorCode(err) != attain.EINVALID {
			t.Errorf("a month: %v", err)
		}
	})
}
