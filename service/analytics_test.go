package service_test

import (
	"context"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/analytics"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// kpiEnv is a deal environment with a clock the test moves and a simple
// pipeline without exit criteria: Qualify (20%), Propose (60%, commit),
// Won, Lost.
type kpiEnv struct {
	*dealEnv
	now   time.Time
	stage map[string]int64
}

func newKPIEnv(t *testing.T, db *store.DB) *kpiEnv {
	t.Helper()
	e := &kpiEnv{dealEnv: newDealEnv(t, db), now: day("2026-07-01")}
	db.Now = func() time.Time { return e.now }
	p20, p60 := 20, 60
	p, err := e.svc.CreatePipeline(e.ctx, e.admin, attain.PipelineInput{Name: "Simple", IsDefault: true, Stages: []attain.StageInput{
		{Name: "Qualify", Probability: &p20},
		{Name: "Propose", Probability: &p60, ForecastCategory: attain.ForecastCommit},
		{Name: "Won", Outcome: attain.OutcomeWon},
		{Name: "Lost", Outcome: attain.OutcomeLost},
	}})
	if err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	e.stage = map[string]int64{}
	for _, s := range p.Stages {
		e.stage[s.Name] = s.ID
	}
	return e
}

func day(s string) time.Time {
	d, err := attain.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d.Time().Add(12 * time.Hour)
}

func (e *kpiEnv) at(s string) { e.now = day(s) }

func (e *kpiEnv) newDeal(a *attain.Actor, on string, amount int64, closeDate string) *attain.Deal {
	e.t.Helper()
	e.at(on)
	cd, _ := attain.ParseDate(closeDate)
	return e.deal(a, attain.DealInput{Amount: &amount, CloseDate: &cd})
}

func (e *kpiEnv) moveTo(a *attain.Actor, d *attain.Deal, on, stage, reason string) {
	e.t.Helper()
	e.at(on)
	if _, err := e.svc.MoveDeal(e.ctx, a, d.ID, 0, attain.MoveInput{StageID: e.stage[stage], Reason: reason}); err != nil {
		e.t.Fatalf("move %d to %s: %v", d.ID, stage, err)
	}
}

// TestKPIsKnownData checks every KPI against values computed by hand from a
// small fixture, on both engines.
func TestKPIsKnownData(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newKPIEnv(t, db)
		rep, rep2 := e.rep, e.rep2
		d1 := e.newDeal(rep, "2026-07-01", 1000, "2026-09-30")
		e.moveTo(rep, d1, "2026-07-05", "Propose", "")
		e.moveTo(rep, d1, "2026-07-11", "Won", "price")
		d2 := e.newDeal(rep, "2026-07-02", 3000, "2026-09-30")
		e.moveTo(rep, d2, "2026-07-22", "Lost", "price")
		d3 := e.newDeal(rep, "2026-07-02", 2000, "2026-09-10")
		e.moveTo(rep, d3, "2026-08-10", "Propose", "")
		e.newDeal(rep, "2026-07-03", 500, "2026-09-20")
		d5 := e.newDeal(rep2, "2026-07-05", 4000, "2026-09-30")
		e.moveTo(rep2, d5, "2026-07-25", "Won", "product_fit")
		d6 := e.newDeal(rep, "2026-07-10", 700, "2026-09-15")
		e.at("2026-08-01")
		e.patch(rep, d6, `{"close_date": "2026-10-15"}`)
		for _, when := range []string{"2026-07-15", "2026-08-02"} {
			at := day(when)
			e.at(when)
			if _, err := e.svc.CreateActivity(e.ctx, rep, attain.NewActivity{Type: "call", DealID: &d3.ID, OccurredAt: &at}); err != nil {
				t.Fatalf("activity: %v", err)
			}
		}
		e.at("2026-08-05")
		if _, err := e.svc.SetTarget(e.ctx, e.admin, attain.TargetInput{TargetKey: attain.TargetKey{Period: "2026-Q3",
			Kind: attain.TargetRevenue, Scope: attain.ScopeRep, UserID: &rep.UserID}, Amount: 10000}); err != nil {
			t.Fatalf("target: %v", err)
		}
		e.at("2026-08-15")

		r, err := e.svc.FindKPIs(e.ctx, rep, attain.KPIQuery{Period: "2026-Q3", UserID: rep.UserID})
		if err != nil {
			t.Fatalf("kpis: %v", err)
		}
		got := map[string]attain.KPI{}
		for _, k := range r.KPIs {
			got[k.Key] = k
		}
		amount := func(key string, want int64) {
			t.Helper()
			if k := got[key]; k.Amount == nil || *k.Amount != want {
				t.Errorf("%s amount = %v, want %d", key, k.Amount, want)
			}
		}
		value := func(key string, want float64) {
			t.Helper()
			if k := got[key]; k.Value == nil || math.Abs(*k.Value-want) > 1e-9 {
				t.Errorf("%s = %v, want %v", key, k.Value, want)
			}
		}
		amount("attainment", 1000)
		if got["attainment"].TargetAmount == nil || *got["attainment"].TargetAmount != 10000 || got["attainment"].Status != "below" {
			t.Errorf("attainment target = %+v", got["attainment"])
		}
		value("win_rate", 0.5)
		value("win_rate_value", 0.25)
		amount("avg_deal_size", 1000)
		value("cycle_time_mean", 10)
		value("cycle_time_median", 10)
		amount("open_pipeline", 2500)
		value("pipeline_coverage", 2500.0/9000)
		if got["pipeline_coverage"].Status != "below" {
			t.Errorf("coverage status = %q", got["pipeline_coverage"].Status)
		}
		amount("new_pipeline", 7200)
		value("new_deals", 5)
		value("stalled_deals", 2) // the 500 (43 days idle) and the 700 (36 days)
		amount("stalled_deals", 1200)
		value("slipped_deals", 1)
		amount("slipped_deals", 700)
		value("activities", 2)
		// velocity = open now (3) × 0.5 × 1000 / 10 days
		value("sales_velocity", 150)

		if len(r.Funnel) != 3 || r.Funnel[0].Reached != 5 || r.Funnel[1].Reached != 2 || r.Funnel[2].Reached != 1 {
			t.Errorf("funnel = %+v", r.Funnel)
		}
		if c := r.Funnel[0].Conversion; c == nil || *c != 0.4 {
			t.Errorf("qualify→propose conversion = %v, want 0.4", c)
		}
		wantReasons := []attain.ReasonTotal{{Outcome: "lost", Reason: "price", Deals: 1, Amount: 3000}, {Outcome: "won", Reason: "price", Deals: 1, Amount: 1000}}
		if diff := cmp.Diff(wantReasons, r.Reasons); diff != "" {
			t.Errorf("reasons (-want +got):\n%s", diff)
		}

		// The company: both reps.
		c, err := e.svc.CompanyDashboard(e.ctx, e.admin, "2026-Q3", "")
		if err != nil {
			t.Fatalf("company: %v", err)
		}
		if c.Attainment.Won != 5000 || c.Attainment.WonDeals != 2 {
			t.Errorf("company attainment = %+v", c.Attainment)
		}
		// Weighted: won 5000 + 2000×60% + 500×20%.
		if c.Forecast.Won != 5000 || c.Forecast.Weighted != 6300 || c.Forecast.Commit != 2000 || c.Forecast.Pipeline != 500 {
			t.Errorf("company forecast = %+v", c.Forecast)
		}
		if !(c.Forecast.P10 <= c.Forecast.P50 && c.Forecast.P50 <= c.Forecast.P90 && c.Forecast.P10 >= 5000 && c.Forecast.P90 <= 7500) {
			t.Errorf("forecast range = %d/%d/%d", c.Forecast.P10, c.Forecast.P50, c.Forecast.P90)
		}

		// The rep's home.
		h, err := e.svc.RepDashboard(e.ctx, rep, 0, "2026-Q3", "")
		if err != nil {
			t.Fatalf("rep home: %v", err)
		}
		if h.Attainment.Won != 1000 || h.Attainment.Ratio == nil || *h.Attainment.Ratio != 0.1 {
			t.Errorf("rep attainment = %+v", h.Attainment)
		}
		if len(h.Pipeline) != 2 || h.Pipeline[0].Amount != 500 || h.Pipeline[1].Amount != 2000 || h.Pipeline[1].Weighted != 1200 {
			t.Errorf("rep pipeline = %+v", h.Pipeline)
		}
		reasons := map[int64][]string{}
		for _, a := range h.Attention {
			reasons[a.DealID] = a.Reasons
			if a.Name == "" {
				t.Errorf("attention deal %d has no name", a.DealID)
			}
		}
		if !slices.Contains(reasons[d6.ID], analytics.AttentionSlipped) || !slices.Contains(reasons[d6.ID], analytics.AttentionStalled) {
			t.Errorf("d6 attention = %v", reasons[d6.ID])
		}
		if !slices.Contains(reasons[d3.ID], analytics.AttentionNoDecisionMaker) {
			t.Errorf("d3 attention = %v", reasons[d3.ID])
		}
		if h.Leaderboard.Of != 2 || h.Leaderboard.Position != 1 || !h.Leaderboard.Anonymous {
			t.Errorf("leaderboard = %+v", h.Leaderboard)
		}
		for _, le := range h.Leaderboard.Entries {
			if !le.You && (le.UserID != nil || le.Name != "") {
				t.Errorf("a rep sees another rep on the leaderboard: %+v", le)
			}
		}

		// Visibility: a rep cannot read another rep's or the company's figures.
		if _, err := e.svc.RepDashboard(e.ctx, rep, rep2.UserID, "2026-Q3", ""); attain.ErrorCode(err) != attain.ENOTFOUND {
			t.Errorf("rep reads rep2: %v", err)
		}
		if _, err := e.svc.CompanyDashboard(e.ctx, rep, "2026-Q3", ""); attain.ErrorCode(err) != attain.EFORBIDDEN {
			t.Errorf("rep reads company: %v", err)
		}
		if _, err := e.svc.FindKPIs(e.ctx, rep, attain.KPIQuery{Period: "2026-Q9"}); attain.ErrorCode(err) != attain.EINVALID {
			t.Errorf("bad period: %v", err)
		}
	})
}

// TestTeamIsSumOfMembers checks that a team's row totals equal the sums of
// its reps' rows, on random data.
func TestTeamIsSumOfMembers(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newKPIEnv(t, db)
		teams, err := e.svc.FindTeams(e.ctx, e.admin)
		if err != nil || len(teams) != 1 {
			t.Fatalf("teams: %v %v", teams, err)
		}
		rep3, err := e.svc.CreateUser(e.ctx, e.admin, attain.NewUser{Email: "rep3@deal.test", Name: "Rep 3", Password: "a long password", Role: attain.RoleRep})
		if err != nil {
			t.Fatal(err)
		}
		team := teams[0]
		if _, err := e.svc.UpdateTeam(e.ctx, e.admin, team.ID, team.Version, attain.TeamInput{Name: team.Name, ManagerID: team.ManagerID,
			MemberIDs: []int64{e.rep.UserID, rep3.ID}}); err != nil {
			t.Fatalf("team: %v", err)
		}
		e.manager = e.actor(e.manager.UserID)
		reps := []*attain.Actor{e.rep, e.actor(rep3.ID)}
		rng := rand.New(rand.NewPCG(7, 7))
		for i := 0; i < 30; i++ {
			a := reps[rng.IntN(2)]
			d := e.newDeal(a, "2026-07-0"+string(rune('1'+rng.IntN(9))), int64(100+rng.IntN(5000)), "2026-09-2"+string(rune('0'+rng.IntN(9))))
			switch rng.IntN(3) {
			case 0:
				e.moveTo(a, d, "2026-08-1"+string(rune('0'+rng.IntN(9))), "Won", "price")
			case 1:
				e.moveTo(a, d, "2026-08-1"+string(rune('0'+rng.IntN(9))), "Lost", "price")
			}
		}
		e.at("2026-08-20")
		v, err := e.svc.TeamDashboard(e.ctx, e.manager, team.ID, "2026-Q3", "")
		if err != nil {
			t.Fatalf("team view: %v", err)
		}
		var sum attain.RepRow
		for _, r := range v.Rows {
			sum.Won += r.Won
			sum.Weighted += r.Weighted
			sum.Commit += r.Commit
			sum.OpenPipeline += r.OpenPipeline
			sum.Forecast += r.Forecast
		}
		if sum.Won != v.Total.Won || sum.Weighted != v.Total.Weighted || sum.Commit != v.Total.Commit ||
			sum.OpenPipeline != v.Total.OpenPipeline || sum.Forecast != v.Total.Forecast {
			t.Errorf("total %+v != sum of rows %+v", v.Total, sum)
		}
		tk, err := e.svc.FindKPIs(e.ctx, e.manager, attain.KPIQuery{Period: "2026-Q3", TeamID: team.ID})
		if err != nil {
			t.Fatal(err)
		}
		var repWon int64
		for _, a := range reps {
			r, err := e.svc.FindKPIs(e.ctx, e.manager, attain.KPIQuery{Period: "2026-Q3", UserID: a.UserID})
			if err != nil {
				t.Fatal(err)
			}
			repWon += *r.KPIs[0].Amount
		}
		if *tk.KPIs[0].Amount != repWon || repWon != v.Total.Won {
			t.Errorf("team attainment %d, reps' sum %d, team view %d", *tk.KPIs[0].Amount, repWon, v.Total.Won)
		}
		// A rep may not see the team view.
		if _, err := e.svc.TeamDashboard(e.ctx, e.rep, team.ID, "2026-Q3", ""); attain.ErrorCode(err) != attain.ENOTFOUND {
			t.Errorf("rep reads team view: %v", err)
		}
	})
}

// modelDump returns the service's caught-up model of the workspace and a
// from-scratch load of it.
func modelDump(t *testing.T, svc *service.Service, db *store.DB, ws int64) (live, fresh []string) {
	t.Helper()
	ctx := context.Background()
	if err := svc.Analytics().View(ctx, ws, func(m *analytics.Model) error { live = m.Dump(); return nil }); err != nil {
		t.Fatalf("view: %v", err)
	}
	m, err := analytics.Load(ctx, db, ws, 0)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return live, m.Dump()
}

// TestModelFollowsWrites makes random writes through the services and
// checks after each batch that the incrementally maintained model equals a
// fresh load from the database.
func TestModelFollowsWrites(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newKPIEnv(t, db)
		rng := rand.New(rand.NewPCG(1, 2))
		actors := []*attain.Actor{e.rep, e.rep2, e.manager}
		var deals []*attain.Deal
		var acts []*attain.Activity
		stages := []string{"Qualify", "Propose", "Won", "Lost"}
		e.svc.Analytics().View(e.ctx, e.ws.ID, func(*analytics.Model) error { return nil })
		for batch := 0; batch < 8; batch++ {
			for i := 0; i < 12; i++ {
				e.now = e.now.Add(time.Duration(rng.IntN(72)) * time.Hour)
				a := actors[rng.IntN(len(actors))]
				switch op := rng.IntN(8); {
				case op < 2 || len(deals) == 0:
					amount := int64(rng.IntN(100000))
					cd := attain.DateOf(e.now).AddDays(rng.IntN(120))
					d, err := e.svc.CreateDeal(e.ctx, a, attain.DealInput{Name: "d", Amount: &amount, CloseDate: &cd})
					if err != nil {
						t.Fatalf("create: %v", err)
					}
					deals = append(deals, d)
				case op == 2:
					d := deals[rng.IntN(len(deals))]
					st := stages[rng.IntN(len(stages))]
					_, _ = e.svc.MoveDeal(e.ctx, e.admin, d.ID, 0, attain.MoveInput{StageID: e.stage[st], Reason: "price"})
				case op == 3:
					d := deals[rng.IntN(len(deals))]
					cd := attain.DateOf(e.now).AddDays(rng.IntN(200))
					amount := int64(rng.IntN(100000))
					_, _ = e.svc.UpdateDeal(e.ctx, e.admin, d.ID, 0, attain.DealUpdate{CloseDate: attain.Nullable[attain.Date]{Set: true, Value: &cd}, Amount: &amount})
				case op == 4:
					d := deals[rng.IntN(len(deals))]
					owner := actors[rng.IntN(2)].UserID
					_, _ = e.svc.UpdateDeal(e.ctx, e.admin, d.ID, 0, attain.DealUpdate{OwnerID: &owner})
				case op == 5:
					d := deals[rng.IntN(len(deals))]
					if rng.IntN(2) == 0 {
						_ = e.svc.DeleteDeal(e.ctx, e.admin, d.ID, 0)
					} else {
						_, _ = e.svc.RestoreDeal(e.ctx, e.admin, d.ID)
					}
				case op == 6:
					d := deals[rng.IntN(len(deals))]
					at := e.now.Add(-time.Duration(rng.IntN(48)) * time.Hour)
					x, err := e.svc.CreateActivity(e.ctx, e.admin, attain.NewActivity{Type: "call", DealID: &d.ID, OccurredAt: &at})
					if err == nil {
						acts = append(acts, x)
					}
				case op == 7 && len(acts) > 0:
					x := acts[rng.IntN(len(acts))]
					_ = e.svc.DeleteActivity(e.ctx, e.admin, x.ID, 0)
				}
			}
			live, fresh := modelDump(t, e.svc, db, e.ws.ID)
			if diff := cmp.Diff(fresh, live); diff != "" {
				t.Fatalf("batch %d: model differs from a fresh load (-fresh +live):\n%s", batch, diff)
			}
		}
	})
}

// TestTwoProcesses runs two services over one database, as two `attain
// serve` processes would, and checks each sees the other's writes: a rep
// their own at once, the company view within analytics.StaleBound.
func TestTwoProcesses(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newKPIEnv(t, db)
		ctx := context.Background()
		db2, err := store.Open(ctx, db.DSN())
		if err != nil {
			t.Fatalf("open second: %v", err)
		}
		t.Cleanup(func() { db2.Close() })
		db2.Now = db.Now
		svc2 := service.New(db2, slog.New(slog.DiscardHandler), service.FastHasher())
		won := func(svc *service.Service) int64 {
			t.Helper()
			c, err := svc.CompanyDashboard(ctx, e.admin, "2026-Q3", "")
			if err != nil {
				t.Fatalf("company: %v", err)
			}
			return c.Attainment.Won
		}
		if won(e.svc) != 0 || won(svc2) != 0 {
			t.Fatal("won before any deal")
		}
		d := e.newDeal(e.rep, "2026-07-02", 1500, "2026-09-01")
		e.at("2026-07-20")
		if _, err := svc2.MoveDeal(ctx, e.rep, d.ID, 0, attain.MoveInput{StageID: e.stage["Won"], Reason: "price"}); err != nil {
			t.Fatalf("move in process 2: %v", err)
		}
		if a, b := won(e.svc), won(svc2); a != 1500 || b != 1500 {
			t.Errorf("after a win in process 2: process 1 sees %d, process 2 %d", a, b)
		}
		repWon := func(svc *service.Service) int64 {
			t.Helper()
			r, err := svc.RepDashboard(ctx, e.rep, 0, "2026-Q3", "")
			if err != nil {
				t.Fatalf("rep dashboard: %v", err)
			}
			return r.Attainment.Won
		}
		if a, b := repWon(e.svc), repWon(svc2); a != 1500 || b != 1500 {
			t.Errorf("rep's own dashboard after their win in process 2: process 1 shows %d, process 2 %d", a, b)
		}
		amount := int64(2500)
		if _, err := e.svc.UpdateDeal(ctx, e.admin, d.ID, 0, attain.DealUpdate{Amount: &amount}); err != nil {
			t.Fatal(err)
		}
		// The rep's dashboard shows a change to their deal at once, in
		// either process; the company's within analytics.StaleBound.
		if a, b := repWon(e.svc), repWon(svc2); a != 2500 || b != 2500 {
			t.Errorf("rep's own dashboard after an update in process 1: process 1 shows %d, process 2 %d", a, b)
		}
		e.now = e.now.Add(analytics.StaleBound)
		if a, b := won(e.svc), won(svc2); a != 2500 || b != 2500 {
			t.Errorf("StaleBound after an update in process 1: process 1 sees %d, process 2 %d", a, b)
		}
		// Writes from both at once: each ends equal to a fresh load.
		done := make(chan error, 2)
		for i, svc := range []*service.Service{e.svc, svc2} {
			go func() {
				for j := 0; j < 10; j++ {
					amount := int64(100 * (j + 1))
					cd := attain.DateOf(e.now)
					if _, err := svc.CreateDeal(ctx, e.rep, attain.DealInput{Name: "both", Amount: &amount, CloseDate: &cd}); err != nil {
						done <- err
						return
					}
					if _, err := svc.FindKPIs(ctx, e.rep, attain.KPIQuery{UserID: e.rep.UserID, Period: "2026-Q3"}); err != nil {
						done <- err
						return
					}
				}
				_ = i
				done <- nil
			}()
		}
		for range 2 {
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
		for _, svc := range []*service.Service{e.svc, svc2} {
			live, fresh := modelDump(t, svc, db, e.ws.ID)
			if diff := cmp.Diff(fresh, live); diff != "" {
				t.Errorf("model differs from a fresh load (-fresh +live):\n%s", diff)
			}
		}
	})
}

// TestSystemForecastSnapshot snapshots the system forecast in a week and
// measures it against what was then won.
func TestSystemForecastSnapshot(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newKPIEnv(t, db)
		d := e.newDeal(e.rep, "2026-08-01", 1000, "2026-09-10")
		e.moveTo(e.rep, d, "2026-08-02", "Propose", "")
		e.at("2026-08-15")
		for range 2 { // the second snapshot of the week changes nothing
			if err := e.svc.SnapshotSystemForecast(e.ctx, e.ws.ID); err != nil {
				t.Fatalf("snapshot: %v", err)
			}
		}
		e.moveTo(e.rep, d, "2026-08-20", "Won", "price")
		acc, err := e.svc.SystemForecastAccuracy(e.ctx, e.admin, "2026-Q3")
		if err != nil {
			t.Fatalf("accuracy: %v", err)
		}
		var company, rep *attain.SystemAccuracyPoint
		for _, p := range acc.Points {
			switch {
			case p.Scope == "company":
				company = p
			case p.Scope == "rep" && *p.UserID == e.rep.UserID:
				rep = p
			}
		}
		if company == nil || rep == nil || len(acc.Points) != 1+1+4 { // company, team East, 4 members
			t.Fatalf("points = %d: %+v", len(acc.Points), acc.Points)
		}
		// Weighted at the snapshot: 1000 × 60%; the actual is 1000.
		if company.Weighted != 600 || company.Actual != 1000 || *company.WeightedErrorBP != 4000 || company.Week != 7 || company.Final {
			t.Errorf("company point = %+v", company)
		}
		if len(acc.ByWeek) != 1 || acc.ByWeek[0].Week != 7 {
			t.Errorf("by week = %+v", acc.ByWeek)
		}
		mine, err := e.svc.SystemForecastAccuracy(e.ctx, e.rep, "2026-Q3")
		if err != nil {
			t.Fatal(err)
		}
		if len(mine.Points) != 1 || *mine.Points[0].UserID != e.rep.UserID {
			t.Errorf("a rep sees %+v", mine.Points)
		}
	})
}
