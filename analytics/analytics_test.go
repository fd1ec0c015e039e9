package analytics

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/attain-crm/attain"
)

func d(s string) time.Time {
	x, err := attain.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return x.Time().Add(9 * time.Hour)
}

func date(s string) attain.Date {
	x, _ := attain.ParseDate(s)
	return x
}

// fixture is a workspace of one pipeline, A (50%) → B (80%, commit) →
// Won / Lost, and one rep 7, on 2026-08-15.
func fixture() (*Model, *Config) {
	cfg := &Config{Now: d("2026-08-15"), Calendar: attain.DefaultCalendar, Currency: "USD", Settings: attain.DefaultKPISettings(),
		Stages: []*attain.Stage{
			{ID: 11, PipelineID: 1, Name: "A", Position: 0, Probability: 50, ForecastCategory: attain.ForecastPipeline, Outcome: attain.OutcomeOpen},
			{ID: 12, PipelineID: 1, Name: "B", Position: 1, Probability: 80, ForecastCategory: attain.ForecastCommit, Outcome: attain.OutcomeOpen},
			{ID: 13, PipelineID: 1, Name: "Won", Position: 2, Probability: 100, ForecastCategory: attain.ForecastClosedWon, Outcome: attain.OutcomeWon},
			{ID: 14, PipelineID: 1, Name: "Lost", Position: 3, Probability: 0, ForecastCategory: attain.ForecastClosedLost, Outcome: attain.OutcomeLost},
		}}
	return NewModel(1), cfg
}

// add puts a deal with its stays (stage, entered) into m; the last stay is
// current.
func add(m *Model, f attain.DealFact, stays ...any) {
	sink := m.sink()
	if f.Currency == "" {
		f.Currency = "USD"
	}
	if f.OwnerID == 0 {
		f.OwnerID = 7
	}
	f.PipelineID = 1
	sink.Deal(&f)
	for i := 0; i < len(stays); i += 2 {
		s := attain.StageStay{DealID: f.ID, StageID: stays[i].(int64), Entered: d(stays[i+1].(string))}
		if i+2 < len(stays) {
			s.Exited = d(stays[i+3].(string))
		}
		sink.Stay(s)
	}
}

func TestQuantile(t *testing.T) {
	xs := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for q, want := range map[float64]int64{0.1: 1, 0.5: 5, 0.9: 9, 1: 10} {
		if got := quantile(xs, q); got != want {
			t.Errorf("quantile(%v) = %d, want %d", q, got, want)
		}
	}
	if quantile(nil, 0.5) != 0 {
		t.Error("quantile of nothing")
	}
}

func TestMedianMean(t *testing.T) {
	if m := median([]float64{4, 1, 3, 2}); *m != 2.5 {
		t.Errorf("median = %v", *m)
	}
	if m := median([]float64{5, 1, 3}); *m != 3 {
		t.Errorf("median = %v", *m)
	}
	if mean(nil) != nil || median(nil) != nil {
		t.Error("mean or median of nothing is not null")
	}
}

// TestCalibration checks the shrunk stage rate: stage A has 10 closed stays,
// 6 won, so a deal in A has p = (6 + 5×0.5) ÷ (10 + 5).
func TestCalibration(t *testing.T) {
	m, cfg := fixture()
	for i := int64(1); i <= 10; i++ {
		st, status := int64(13), attain.DealWon
		if i > 6 {
			st, status = 14, attain.DealLost
		}
		add(m, attain.DealFact{ID: i, Status: status, StageID: st, Amount: 100, CreatedAt: d("2026-01-01"), ClosedAt: d("2026-01-05"),
			OwnerID: 100 + i}, int64(11), "2026-01-01", st, "2026-01-05")
	}
	add(m, attain.DealFact{ID: 99, Status: attain.DealOpen, StageID: 11, Amount: 1000, CloseDate: date("2026-09-01"),
		CreatedAt: d("2026-08-10"), StageEnteredAt: d("2026-08-10")}, int64(11), "2026-08-10")
	v := newView(m, cfg, Scope{})
	c := v.calibrate()
	i := m.pos[99]
	got := c.winProbability(v, &m.deals[i])
	if want := (6 + 5*0.5) / 15; math.Abs(got-want) > 1e-12 {
		t.Errorf("p = %v, want %v", got, want)
	}
	// A rep with 10 closed stays in A, all won, pulls their own deal up.
	for i := int64(20); i < 30; i++ {
		add(m, attain.DealFact{ID: i, Status: attain.DealWon, StageID: 13, Amount: 100, CreatedAt: d("2026-02-01"), ClosedAt: d("2026-02-05")},
			int64(11), "2026-02-01", int64(13), "2026-02-05")
	}
	v = newView(m, cfg, Scope{})
	c = v.calibrate()
	base := (16 + 5*0.5) / 25
	if got, want := c.winProbability(v, &m.deals[m.pos[99]]), (10+10*base)/20; math.Abs(got-want) > 1e-12 {
		t.Errorf("rep p = %v, want %v", got, want)
	}
}

// TestForecastDeterministic checks that the same data gives the same range,
// whatever order the model holds its deals in.
func TestForecastDeterministic(t *testing.T) {
	s := newSynth(3000, 10)
	p := s.period()
	a := Forecast(s.model, s.cfg, Scope{}, p)
	if !(a.Won <= a.P10 && a.P10 <= a.P50 && a.P50 <= a.P90) || a.OpenDeals == 0 || a.Iterations != SimIterations {
		t.Fatalf("forecast = %+v", a)
	}
	// Reorder: remove and re-add half the deals.
	dump := s.model.Dump()
	var moved []deal
	for i := 0; i < len(s.model.deals); i += 2 {
		moved = append(moved, s.model.deals[i])
	}
	for _, x := range moved {
		s.model.remove(x.id)
	}
	for _, x := range moved {
		s.model.pos[x.id] = int32(len(s.model.deals))
		s.model.deals = append(s.model.deals, x)
	}
	s.model.resetCache()
	if diff := cmp.Diff(dump, s.model.Dump()); diff != "" {
		t.Fatalf("reordering changed the data:\n%s", diff)
	}
	if b := Forecast(s.model, s.cfg, Scope{}, p); a != b {
		t.Errorf("forecast changed with deal order:\n%+v\n%+v", a, b)
	}
}

// TestFunnelAndSlips checks the funnel counts and slipped deals on a
// hand-made quarter.
func TestFunnelAndSlips(t *testing.T) {
	m, cfg := fixture()
	// Created in Q3: one stays in A, one reaches B and is lost, one skips B and is won.
	add(m, attain.DealFact{ID: 1, Status: attain.DealOpen, StageID: 11, Amount: 100, CloseDate: date("2026-09-10"), CreatedAt: d("2026-07-01"),
		StageEnteredAt: d("2026-07-01")}, int64(11), "2026-07-01")
	add(m, attain.DealFact{ID: 2, Status: attain.DealLost, StageID: 14, Amount: 200, CloseDate: date("2026-08-01"), CreatedAt: d("2026-07-02"),
		ClosedAt: d("2026-08-01")}, int64(11), "2026-07-02", int64(12), "2026-07-10", int64(14), "2026-08-01")
	add(m, attain.DealFact{ID: 3, Status: attain.DealWon, StageID: 13, Amount: 300, CloseDate: date("2026-08-02"), CreatedAt: d("2026-07-03"),
		ClosedAt: d("2026-08-02")}, int64(11), "2026-07-03", int64(13), "2026-08-02")
	// Pushed from September to October on 1 August: slipped out of Q3.
	m.sink().Change(attain.DealFieldChange{DealID: 1, Field: "close_date", Old: "2026-09-10", New: "2026-10-05", At: d("2026-08-01")})
	p := cfg.Calendar.Quarter(2026, 3)
	r := Report(m, cfg, ReportScope{}, p, 1)
	want := []attain.FunnelStep{
		{StageID: 11, Name: "A", Reached: 3, Conversion: ptr(2.0 / 3)},
		{StageID: 12, Name: "B", Reached: 2, Conversion: ptr(0.5)},
		{StageID: 13, Name: "Won", Reached: 1},
	}
	if diff := cmp.Diff(want, r.Funnel); diff != "" {
		t.Errorf("funnel (-want +got):\n%s", diff)
	}
	kp := map[string]attain.KPI{}
	for _, k := range r.KPIs {
		kp[k.Key] = k
	}
	if v := kp["slipped_deals"].Value; v == nil || *v != 1 {
		t.Errorf("slipped = %v", v)
	}
	// Time in A: deal 2 stayed 8 days, deal 3 30 days; both left in Q3.
	for _, st := range r.StageTimes {
		if st.StageID == 11 && (st.Stays != 2 || *st.MeanDays != 19 || *st.MedianDays != 19) {
			t.Errorf("time in A = %+v", st)
		}
	}
	// The same deal in Q4 did not slip out of Q4.
	r4 := Report(m, cfg, ReportScope{}, cfg.Calendar.Quarter(2026, 4), 1)
	for _, k := range r4.KPIs {
		if k.Key == "slipped_deals" && *k.Value != 0 {
			t.Errorf("Q4 slipped = %v", *k.Value)
		}
	}
}

// TestCreditOwner checks a win stays with whoever owned the deal when it
// was won, even after the deal is handed over.
func TestCreditOwner(t *testing.T) {
	m, cfg := fixture()
	add(m, attain.DealFact{ID: 1, OwnerID: 8, Status: attain.DealWon, StageID: 13, Amount: 500, CreatedAt: d("2026-07-01"), ClosedAt: d("2026-07-20")},
		int64(11), "2026-07-01", int64(13), "2026-07-20")
	m.sink().Change(attain.DealFieldChange{DealID: 1, Field: "owner_id", Old: "7", New: "8", At: d("2026-08-01")})
	p := cfg.Calendar.Quarter(2026, 3)
	won := func(owner int64) int64 {
		r := Report(m, cfg, ReportScope{Scope: Scope{Owners: []int64{owner}}, UserID: owner}, p, 1)
		return *r.KPIs[0].Amount
	}
	if won(7) != 500 || won(8) != 0 {
		t.Errorf("credited to 7: %d, to 8: %d; want 500 and 0", won(7), won(8))
	}
}

// TestTargets checks a team's target is its own when set, else the sum
// of its members'.
func TestTargets(t *testing.T) {
	cfg := &Config{Targets: []Target{
		{Kind: TargetRevenue, UserID: 1, Amount: 100},
		{Kind: TargetRevenue, UserID: 2, Amount: 200},
		{Kind: TargetRevenue, TeamID: 9, Amount: 250},
		{Kind: TargetActivities, ActivityType: "call", UserID: 1, Amount: 10},
	}}
	if got := *resolveTargets(cfg, 0, 8, []int64{1, 2}).revenue; got != 300 {
		t.Errorf("team without its own = %d, want 300", got)
	}
	if got := *resolveTargets(cfg, 0, 9, []int64{1, 2}).revenue; got != 250 {
		t.Errorf("team with its own = %d, want 250", got)
	}
	if got := *resolveTargets(cfg, 0, 0, nil).revenue; got != 300 {
		t.Errorf("company = %d, want 300", got)
	}
	if got := resolveTargets(cfg, 2, 0, []int64{2}).activities; len(got) != 0 {
		t.Errorf("rep 2 activity targets = %v", got)
	}
	if resolveTargets(cfg, 3, 0, []int64{3}).revenue != nil {
		t.Error("rep without a target has one")
	}
}

// TestPlan checks the planner's arithmetic: 4 wins of 1000 out of 8 deals
// through A in the year before; a target of 5000 with 1000 won needs 4
// wins, so 8 deals in A.
func TestPlan(t *testing.T) {
	m, cfg := fixture()
	for i := int64(1); i <= 8; i++ {
		st, status := int64(13), attain.DealWon
		if i > 4 {
			st, status = 14, attain.DealLost
		}
		add(m, attain.DealFact{ID: i, Status: status, StageID: st, Amount: 1000, CreatedAt: d("2026-03-01"), ClosedAt: d("2026-03-21")},
			int64(11), "2026-03-01", st, "2026-03-21")
	}
	add(m, attain.DealFact{ID: 20, Status: attain.DealWon, StageID: 13, Amount: 1000, CreatedAt: d("2026-07-01"), ClosedAt: d("2026-07-10")},
		int64(11), "2026-07-01", int64(13), "2026-07-10")
	p := cfg.Calendar.Quarter(2026, 3)
	plan := Plan(m, cfg, PlanInput{UserID: 7, Period: p, Target: 5000, LeadsCreated: 10, LeadsConverted: 4, LeadDays: 5})
	if plan.Won != 1000 || plan.Remaining != 4000 || plan.AvgDealSize != 1000 || plan.WinsNeeded != 4 || plan.Basis != "rep" {
		t.Fatalf("plan = %+v", plan)
	}
	if len(plan.Steps) != 2 || plan.Steps[0].Step != "Leads" || plan.Steps[0].Needed != 20 || plan.Steps[1].Needed != 8 {
		t.Fatalf("steps = %+v", plan.Steps)
	}
	// A: 20 days from entering to winning, so by 30 Sep − 20 = 10 Sep; leads 5 days before.
	if plan.Steps[1].By != date("2026-09-10") || plan.Steps[0].By != date("2026-09-05") {
		t.Errorf("by = %v, %v", plan.Steps[1].By, plan.Steps[0].By)
	}
}

// TestActivityBuckets checks that recounting an owner's day replaces its
// counts and leaves other days alone.
func TestActivityBuckets(t *testing.T) {
	m := NewModel(1)
	c := func(owner, typ int64, day string, n int) attain.ActivityCount {
		return attain.ActivityCount{OwnerID: owner, TypeID: typ, Day: date(day), Count: n}
	}
	for _, x := range []attain.ActivityCount{c(7, 1, "2026-07-02", 3), c(7, 2, "2026-07-01", 1), c(7, 1, "2026-07-01", 2), c(8, 1, "2026-07-01", 5)} {
		m.loadActivityCount(x)
	}
	m.sortActivities()
	m.setActivityCounts([]attain.ActivityBucket{{OwnerID: 7, Day: date("2026-07-01")}}, []attain.ActivityCount{c(7, 3, "2026-07-01", 4)})
	want := []string{
		"acts owner=7 day=20635 type=3 n=4",
		"acts owner=7 day=20636 type=1 n=3",
		"acts owner=8 day=20635 type=1 n=5",
	}
	got := slices.DeleteFunc(m.Dump(), func(s string) bool { return s[:4] != "acts" })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}
