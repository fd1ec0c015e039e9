package analytics

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/attain-crm/attain"
)

// gapsFixture is the fixture with rep 7 and rep 8 in team 51, rep 7 also in
// team 52, deals in USD (the workspace's), EUR and GBP, and stage B asking
// for two calls and a next step. Every figure below is worked out by hand.
func gapsFixture() (*Model, *Config) {
	m, cfg := fixture()
	cfg.Stages[1].ExitCriteria = attain.ExitCriteria{Fields: []string{"next_step"}, Activities: []attain.ActivityRequirement{{Type: "call", Count: 2}}}
	cfg.Teams = []*attain.Team{{ID: 52, Name: "Two", MemberIDs: []int64{7}}, {ID: 51, Name: "One", MemberIDs: []int64{7, 8}}}
	cfg.Targets = []Target{{Kind: TargetRevenue, UserID: 7, Amount: 4000}, {Kind: TargetBookings, UserID: 7, Amount: 2000}}
	won := func(id, owner, amount int64, currency, closed string) {
		add(m, attain.DealFact{ID: id, OwnerID: owner, Status: attain.DealWon, StageID: 13, Amount: amount, Currency: currency,
			CreatedAt: d("2026-07-01"), ClosedAt: d(closed), CloseDate: date(closed)}, int64(11), "2026-07-01", int64(13), closed)
	}
	open := func(id, owner, stage, amount int64, currency, closeDate string, next bool) {
		add(m, attain.DealFact{ID: id, OwnerID: owner, Status: attain.DealOpen, StageID: stage, Amount: amount, Currency: currency,
			CreatedAt: d("2026-08-10"), StageEnteredAt: d("2026-08-10"), LastActivityAt: d("2026-08-12"), CloseDate: date(closeDate),
			HasNextStep: next}, stage, "2026-08-10")
	}
	won(1, 7, 1000, "USD", "2026-07-20")
	won(2, 8, 3000, "USD", "2026-08-01")
	won(3, 7, 500, "EUR", "2026-07-25")
	open(4, 7, 11, 700, "EUR", "2026-09-10", true)
	open(5, 8, 12, 200, "GBP", "2026-09-01", true)
	open(6, 7, 12, 400, "USD", "2026-09-20", false)
	open(9, 7, 12, 900, "USD", "2026-09-20", true)
	return m, cfg
}

func kpiOf(ks []attain.KPI, key string) attain.KPI {
	i := slices.IndexFunc(ks, func(k attain.KPI) bool { return k.Key == key })
	return ks[i]
}

// TestBookings checks the bookings KPI and attainment against the bookings
// target: rep 7 won 1000 USD against a bookings target of 2000.
func TestBookings(t *testing.T) {
	m, cfg := gapsFixture()
	p := cfg.Calendar.Quarter(2026, 3)
	r := Report(m, cfg, ReportScope{Scope: Scope{Owners: []int64{7}}, UserID: 7}, p, 1)
	b := kpiOf(r.KPIs, "bookings")
	if b.Amount == nil || *b.Amount != 1000 || b.Deals != 1 || b.TargetAmount == nil || *b.TargetAmount != 2000 || b.Status != "below" {
		t.Errorf("bookings = %+v", b)
	}
	if a := kpiOf(r.KPIs, "attainment"); *a.TargetAmount != 4000 {
		t.Errorf("attainment target = %v", *a.TargetAmount)
	}
	h := Rep(m, cfg, RepInput{UserID: 7, Period: p, Logged: map[int64]map[string]int{}})
	if h.Attainment.BookingsTarget == nil || *h.Attainment.BookingsTarget != 2000 || *h.Attainment.BookingsRatio != 0.5 || *h.Attainment.Ratio != 0.25 {
		t.Errorf("rep attainment = %+v", h.Attainment)
	}
	// The team view: rep 7 at 1000 of 2000; rep 8 has no bookings target,
	// nor has the team, whose target is then its members' sum.
	tv := Team(m, cfg, TeamInput{TeamID: 51, Members: []int64{7, 8}, Period: p})
	byRep := map[int64]attain.RepRow{}
	for _, r := range tv.Rows {
		byRep[r.UserID] = r
	}
	if r := byRep[7]; r.BookingsTarget == nil || *r.BookingsTarget != 2000 || r.BookingsAttainment == nil || *r.BookingsAttainment != 0.5 {
		t.Errorf("rep 7's team row: bookings target %v, attainment %v", r.BookingsTarget, r.BookingsAttainment)
	}
	if r := byRep[8]; r.BookingsTarget != nil || r.BookingsAttainment != nil {
		t.Errorf("rep 8's team row: bookings target %v, attainment %v, want none", r.BookingsTarget, r.BookingsAttainment)
	}
	if tt := tv.Total; tt.BookingsTarget == nil || *tt.BookingsTarget != 2000 || *tt.BookingsAttainment != 2 {
		t.Errorf("team total: bookings target %v, attainment %v; want 2000 and 4000/2000", tt.BookingsTarget, tt.BookingsAttainment)
	}
	// The company has no bookings target of its own: the sum of its reps'.
	c := Company(m, cfg, p, 1)
	if c.Attainment.BookingsTarget == nil || *c.Attainment.BookingsTarget != 2000 || *c.Attainment.BookingsRatio != 2 {
		t.Errorf("company attainment = %+v", c.Attainment)
	}
}

// TestOtherCurrencies checks deals in EUR and GBP stay out of the USD sums
// and are listed apart.
func TestOtherCurrencies(t *testing.T) {
	m, cfg := gapsFixture()
	p := cfg.Calendar.Quarter(2026, 3)
	eur := attain.CurrencyTotal{Currency: "EUR", Won: 500, WonDeals: 1, OpenPipeline: 700, OpenDeals: 1}
	gbp := attain.CurrencyTotal{Currency: "GBP", OpenPipeline: 200, OpenDeals: 1}
	h := Rep(m, cfg, RepInput{UserID: 7, Period: p})
	if diff := cmp.Diff([]attain.CurrencyTotal{eur}, h.OtherCurrencies); diff != "" || h.Attainment.Won != 1000 {
		t.Errorf("rep 7: won %d, other currencies (-want +got):\n%s", h.Attainment.Won, diff)
	}
	c := Company(m, cfg, p, 1)
	if diff := cmp.Diff([]attain.CurrencyTotal{eur, gbp}, c.OtherCurrencies); diff != "" || c.Attainment.Won != 4000 {
		t.Errorf("company: won %d, other currencies (-want +got):\n%s", c.Attainment.Won, diff)
	}
	if op := kpiOf(c.KPIs, "open_pipeline"); *op.Amount != 1300 {
		t.Errorf("company open pipeline = %d, want 400 + 900", *op.Amount)
	}
	tv := Team(m, cfg, TeamInput{TeamID: 51, Members: []int64{7, 8}, Period: p})
	if diff := cmp.Diff([]attain.CurrencyTotal{eur, gbp}, tv.OtherCurrencies); diff != "" {
		t.Errorf("team: other currencies (-want +got):\n%s", diff)
	}
	r := Report(m, cfg, ReportScope{Scope: Scope{Owners: []int64{8}}, UserID: 8}, p, 1)
	if diff := cmp.Diff([]attain.CurrencyTotal{gbp}, r.OtherCurrencies); diff != "" {
		t.Errorf("rep 8's report: other currencies (-want +got):\n%s", diff)
	}
	// Asked in EUR, the USD deals are the other ones.
	eurCfg := *cfg
	eurCfg.Currency = "EUR"
	c = Company(m, &eurCfg, p, 1)
	usd := attain.CurrencyTotal{Currency: "USD", Won: 4000, WonDeals: 2, OpenPipeline: 1300, OpenDeals: 2}
	if diff := cmp.Diff([]attain.CurrencyTotal{gbp, usd}, c.OtherCurrencies); diff != "" || c.Attainment.Won != 500 {
		t.Errorf("company in EUR: won %d, other currencies (-want +got):\n%s", c.Attainment.Won, diff)
	}
}

// TestRepInSeveralTeams checks rep 7 counts in both teams of the company
// view: One = 1000 + 3000, Two = 1000; each team the sum of its members.
func TestRepInSeveralTeams(t *testing.T) {
	m, cfg := gapsFixture()
	p := cfg.Calendar.Quarter(2026, 3)
	c := Company(m, cfg, p, 1)
	got := map[int64]attain.TeamTotal{}
	for _, tt := range c.Teams {
		got[tt.TeamID] = tt
	}
	if got[51].Won != 4000 || got[52].Won != 1000 {
		t.Errorf("teams won: One %d, Two %d; want 4000 and 1000", got[51].Won, got[52].Won)
	}
	// Weighted: won + open USD in the period at B's 80%: One 4000 + 1040, Two 1000 + 1040.
	if got[51].Weighted != 5040 || got[52].Weighted != 2040 {
		t.Errorf("teams weighted: One %d, Two %d", got[51].Weighted, got[52].Weighted)
	}
	rates := map[int64]attain.RateRow{}
	for _, r := range c.WinRateByTeam {
		rates[r.ID] = r
	}
	if rates[51].Won != 2 || rates[52].Won != 1 {
		t.Errorf("wins by team = %+v", c.WinRateByTeam)
	}
	for _, team := range cfg.Teams {
		tv := Team(m, cfg, TeamInput{TeamID: team.ID, Members: team.MemberIDs, Period: p})
		var won, weighted int64
		for _, r := range tv.Rows {
			won += r.Won
			weighted += r.Weighted
		}
		if won != tv.Total.Won || weighted != tv.Total.Weighted || tv.Total.Won != got[team.ID].Won || tv.Total.Weighted != got[team.ID].Weighted {
			t.Errorf("team %d: rows %d/%d, total %d/%d, company row %d/%d", team.ID, won, weighted, tv.Total.Won, tv.Total.Weighted,
				got[team.ID].Won, got[team.ID].Weighted)
		}
	}
}

// TestAttentionActivities checks missing exit criteria include the key
// activities the stage asks for: deal 6 has one call of two and no next
// step; deal 9 has its two calls and a next step.
func TestAttentionActivities(t *testing.T) {
	m, cfg := gapsFixture()
	if got := ActivityCriteriaDeals(m, cfg, 7); !slices.Equal(got, []int64{6, 9}) {
		t.Errorf("deals whose stage asks for activities = %v, want [6 9]", got)
	}
	h := Rep(m, cfg, RepInput{UserID: 7, Period: cfg.Calendar.Quarter(2026, 3),
		Logged: map[int64]map[string]int{6: {"call": 1, "email": 3}, 9: {"call": 2}}})
	var six *attain.AttentionDeal
	for i := range h.Attention {
		switch h.Attention[i].DealID {
		case 6:
			six = &h.Attention[i]
		case 9:
			t.Errorf("deal 9 needs attention: %+v", h.Attention[i])
		}
	}
	if six == nil || !slices.Equal(six.Reasons, []string{AttentionExitCriteria}) || !slices.Equal(six.Missing, []string{"next_step", "activities.call"}) || six.Currency != "USD" {
		t.Errorf("deal 6 = %+v", six)
	}
}
