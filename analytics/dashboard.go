package analytics

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"

	"github.com/attain-crm/attain"
)

// Attention reasons.
const (
	AttentionStalled         = "stalled"
	AttentionSlipped         = "slipped"
	AttentionOverdue         = "overdue"
	AttentionExitCriteria    = "missing_exit_criteria"
	AttentionNoDecisionMaker = "no_decision_maker"
)

// WonByOwner returns the amount won in a period in one currency by owner,
// credited as attainment credits it: to the owner at the time of the win.
func WonByOwner(m *Model, currency string, p attain.Period) map[int64]int64 {
	out := map[int64]int64{}
	c, ok := m.strIx[currency]
	if !ok {
		return out
	}
	s := spanOf(p)
	for i := range m.deals {
		if d := &m.deals[i]; d.status == statusWon && d.currency == c && s.has(d.closedAt) {
			out[m.ids[d.creditOwner]] += d.amount
		}
	}
	return out
}

// OpenDeals returns the ids of a user's open deals (in the config's
// currency or not), for checks the model does not hold.
func OpenDeals(m *Model, userID int64) []int64 {
	o, ok := m.lookup(userID)
	if !ok {
		return nil
	}
	var out []int64
	// The owner's deals only, not a pass over the workspace's.
	for _, i := range m.owned[o] {
		if d := &m.deals[i]; d.owner == o && d.status == statusOpen {
			out = append(out, d.id)
		}
	}
	slices.Sort(out)
	return out
}

func attainment(st *stats, tg scopeTargets) attain.Attainment {
	a := attain.Attainment{Won: st.wonAmt, WonDeals: st.won, Margin: st.margin, Target: tg.revenue, BookingsTarget: tg.bookings}
	if tg.revenue != nil {
		a.Ratio = ratio(float64(st.wonAmt), float64(*tg.revenue))
	}
	if tg.bookings != nil {
		a.BookingsRatio = ratio(float64(st.wonAmt), float64(*tg.bookings))
	}
	return a
}

// ActivityCriteriaDeals returns the ids of a user's open deals whose stage
// asks for key activities to leave it: the deals whose logged activities
// the rep dashboard needs (RepInput.Logged).
func ActivityCriteriaDeals(m *Model, cfg *Config, userID int64) []int64 {
	o, ok := m.lookup(userID)
	if !ok {
		return nil
	}
	asks := map[int32]bool{}
	for _, st := range cfg.Stages {
		if i, ok := m.lookup(st.ID); ok && len(st.ExitCriteria.Activities) > 0 {
			asks[i] = true
		}
	}
	if len(asks) == 0 {
		return nil
	}
	var out []int64
	for _, i := range m.owned[o] {
		if d := &m.deals[i]; d.owner == o && d.status == statusOpen && asks[d.stage] {
			out = append(out, d.id)
		}
	}
	slices.Sort(out)
	return out
}

// missingActivities lists the key activities the deal's stage asks for
// that are not logged on it enough times, as "activities.<type>" (the
// names a refused move gives).
func missingActivities(si *stageInfo, logged map[string]int) []string {
	var out []string
	for _, r := range si.exit.Activities {
		if logged[r.Type] < r.Count {
			out = append(out, "activities."+r.Type)
		}
	}
	return out
}

// missingFields lists the exit criteria fields of the deal's stage the deal
// lacks (fields the model knows: amount, close_date, account_id,
// primary_contact_id, next_step).
func missingFields(d *deal, si *stageInfo) []string {
	var out []string
	for _, f := range si.exit.Fields {
		var has, known = false, true
		switch f {
		case "amount":
			has = d.amount > 0
		case "close_date":
			has = d.closeDate != 0 && d.flags&flagCloseEstimated == 0
		case "account_id":
			has = d.flags&flagHasAccount != 0
		case "primary_contact_id":
			has = d.flags&flagHasContact != 0
		case "next_step":
			has = d.flags&flagHasNextStep != 0
		default:
			known = false
		}
		if known && !has {
			out = append(out, f)
		}
	}
	return out
}

// RepInput is what a rep dashboard needs besides model and config.
type RepInput struct {
	UserID int64
	Name   string
	Period attain.Period
	// NoDecisionMaker holds the rep's open deals without a decision maker.
	NoDecisionMaker map[int64]bool
	// Logged holds the done key activities by type of the deals
	// ActivityCriteriaDeals returns.
	Logged map[int64]map[string]int
	// FactsKey, when set, names NoDecisionMaker and Logged: inputs with the
	// same FactsKey hold the same of both. A caller that keeps the facts
	// sets it, so that naming the view does not encode them.
	FactsKey string
	// Ranked are the reps on the leaderboard; ShowNames shows their names.
	Ranked    []int64
	ShowNames bool
}

// Rep computes a rep's home dashboard, or returns the one computed for the
// same configuration and input while none of the rep's deals changed (by
// the rule of StaleBound), with its leaderboard ranked afresh. Attention
// deals carry no names; the caller fills them in on a copy.
func Rep(m *Model, cfg *Config, in RepInput) *attain.RepDashboard {
	dp := deps{owners: []int64{in.UserID}}
	cached := m.view(viewKey("rep", cfg, in), cfg, dp, func() any { return repView(m, cfg, in) }).(*attain.RepDashboard)
	// The leaderboard reads everyone's wins, kept current deal by deal: its
	// ranking, shared by every rep, is computed again after every change,
	// so that it never lags the rep's own row.
	board := m.view(viewKey("ranking", cfg, in.Period, in.Ranked), cfg, deps{}, func() any {
		return ranking(newView(m, cfg, Scope{Owners: []int64{}}), spanOf(in.Period), in.Ranked)
	}).([]attain.LeaderboardEntry)
	out := *cached
	out.Leaderboard = leaderboard(board, in)
	return &out
}

func repView(m *Model, cfg *Config, in RepInput) *attain.RepDashboard {
	sc := Scope{Owners: []int64{in.UserID}}
	v := newView(m, cfg, sc)
	s := spanOf(in.Period)
	st := v.collect(s, true)
	acts := v.activityTotals(s)
	tg := resolveTargets(cfg, in.UserID, 0, sc.Owners)
	kpis := v.kpis(st, acts, tg)
	out := &attain.RepDashboard{UserID: in.UserID, Name: in.Name, Period: in.Period, Currency: cfg.Currency,
		Attainment: attainment(st, tg), KPIs: kpis, Activities: v.activityVolumes(acts, tg), OtherCurrencies: otherList(st.other)}
	for _, k := range kpis {
		if k.Key == "pipeline_coverage" {
			out.Coverage = k
		}
	}
	out.Forecast, _ = v.forecastGroups(s, v.calibration(), groups{})
	out.Forecast.Period = in.Period.Key

	// Pipeline by stage, in process order.
	out.Pipeline = []attain.StageTotal{}
	for _, stg := range cfg.Stages {
		if i, ok := m.lookup(stg.ID); ok {
			if t := st.byStage[i]; t != nil {
				out.Pipeline = append(out.Pipeline, *t)
			}
		}
	}

	// Deals needing attention: every open deal of the rep with a reason.
	out.Attention = []attain.AttentionDeal{}
	today := dayOf(v.now)
	v.each(func(d *deal) {
		if d.status != statusOpen || !v.ownedBy(d.owner) {
			return
		}
		si := v.stage(d)
		var reasons []string
		stalled, idle := v.stalled(d)
		if stalled {
			reasons = append(reasons, AttentionStalled)
		}
		if slippedIn(v.m, d, s) {
			reasons = append(reasons, AttentionSlipped)
		}
		if d.closeDate < today {
			reasons = append(reasons, AttentionOverdue)
		}
		missing := append(missingFields(d, si), missingActivities(si, in.Logged[d.id])...)
		if len(missing) > 0 {
			reasons = append(reasons, AttentionExitCriteria)
		}
		if in.NoDecisionMaker[d.id] {
			reasons = append(reasons, AttentionNoDecisionMaker)
		}
		if len(reasons) == 0 {
			return
		}
		out.Attention = append(out.Attention, attain.AttentionDeal{DealID: d.id, StageName: si.name, Amount: d.amount,
			Currency: v.m.strs[d.currency], CloseDate: dateOf(d.closeDate), IdleDays: idle, Reasons: reasons, Missing: missing})
	})
	slices.SortFunc(out.Attention, func(a, b attain.AttentionDeal) int {
		return cmp.Or(cmp.Compare(len(b.Reasons), len(a.Reasons)), cmp.Compare(b.Amount, a.Amount), cmp.Compare(a.DealID, b.DealID))
	})
	out.Leaderboard = leaderboard(ranking(v, s, in.Ranked), in)
	return out
}

// ranking ranks the reps of a leaderboard by attainment ratio, then won
// amount, then id, with their names: the same for every rep's dashboard.
func ranking(v *view, s span, ranked []int64) []attain.LeaderboardEntry {
	// Everyone's wins in the period, kept until the model changes.
	won := v.m.derive(fmt.Sprintf("won:%d:%d:%d", s.from, s.to, v.currency), func() deriver {
		w := &wins{s: s, currency: v.currency, by: map[int32]int64{}}
		for i := range v.m.deals {
			w.add(v.m, &v.m.deals[i], 1)
		}
		return w
	}).(*wins).by
	revenue := map[int64]int64{}
	for _, t := range v.cfg.Targets {
		if t.Kind == TargetRevenue && t.UserID != 0 && t.ActivityType == "" {
			revenue[t.UserID] += t.Amount
		}
	}
	entries := []attain.LeaderboardEntry{}
	for _, u := range ranked {
		e := attain.LeaderboardEntry{UserID: ptr(u), Name: v.cfg.UserNames[u]}
		if i, ok := v.m.lookup(u); ok {
			e.Won = won[i]
		}
		// A rep's revenue target, as resolveTargets finds it.
		if t, ok := revenue[u]; ok {
			e.Ratio = ratio(float64(e.Won), float64(t))
		}
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(a, b attain.LeaderboardEntry) int {
		ra, rb := -1.0, -1.0
		if a.Ratio != nil {
			ra = *a.Ratio
		}
		if b.Ratio != nil {
			rb = *b.Ratio
		}
		return cmp.Or(cmp.Compare(rb, ra), cmp.Compare(b.Won, a.Won), cmp.Compare(*a.UserID, *b.UserID))
	})
	return entries
}

// leaderboard is a rep's view of a ranking: their position marked, others'
// names hidden unless in.ShowNames.
func leaderboard(ranked []attain.LeaderboardEntry, in RepInput) attain.Leaderboard {
	lb := attain.Leaderboard{Anonymous: !in.ShowNames, Entries: slices.Clone(ranked), Of: len(ranked)}
	for i := range lb.Entries {
		e := &lb.Entries[i]
		e.Position = i + 1
		e.You = *e.UserID == in.UserID
		if e.You {
			lb.Position = e.Position
		}
		if !in.ShowNames && !e.You {
			e.UserID, e.Name = nil, ""
		}
	}
	return lb
}

// wins is the amount won in a period in one currency per credited owner.
type wins struct {
	s        span
	currency int32
	by       map[int32]int64
}

func (w *wins) add(_ *Model, d *deal, sign int64) {
	if d.status == statusWon && w.s.has(d.closedAt) && d.currency == w.currency {
		w.by[d.creditOwner] += sign * d.amount
	}
}

// closedCounts counts deals won and lost in the period per group.
func (v *view) closedCounts(s span, gr groups) (won, lost []int) {
	won, lost = make([]int, gr.n), make([]int, gr.n)
	v.each(func(d *deal) {
		if d.status == statusOpen || !s.has(d.closedAt) || !v.inScope(d) {
			return
		}
		for _, g := range gr.get(d.creditOwner) {
			if d.status == statusWon {
				won[g]++
			} else {
				lost[g]++
			}
		}
	})
	return won, lost
}

// TeamInput is what a team view needs: the team, its reps and their
// forecast accuracy when measured.
type TeamInput struct {
	TeamID   int64
	Name     string
	Members  []int64
	Period   attain.Period
	Accuracy map[int64]float64
}

// Team computes a manager's team view: a row per member and the total,
// which is the sum of the rows (a rate is recomputed from the sums). A view
// computed for the same configuration and input is returned as it was
// while no member's deals changed, or (a team of many deals) for a while
// after, by the rule of StaleBound.
func Team(m *Model, cfg *Config, in TeamInput) *attain.TeamDashboard {
	return m.view(viewKey("team", cfg, in), cfg, m.scoped(in.Members), func() any { return teamView(m, cfg, in) }).(*attain.TeamDashboard)
}

// CachedTeam is CachedCompany for a team of many deals (a view served
// late, see StaleBound); for another team it returns false.
func CachedTeam(m *Model, cfg *Config, in TeamInput) (*attain.TeamDashboard, bool) {
	v, ok := m.peek(viewKey("team", cfg, in), cfg, m.scoped(in.Members), func() any { return teamView(m, cfg, in) })
	if !ok {
		return nil, false
	}
	return v.(*attain.TeamDashboard), true
}

func teamView(m *Model, cfg *Config, in TeamInput) *attain.TeamDashboard {
	v := newView(m, cfg, Scope{Owners: in.Members})
	s := spanOf(in.Period)
	lists := make([][]int64, len(in.Members))
	for g, u := range in.Members {
		lists[g] = []int64{u}
	}
	gr := newGroups(m, lists)
	_, fs := v.forecastGroups(s, v.calibration(), gr)
	won, lost := v.closedCounts(s, gr)
	acts := make([]int64, len(in.Members))
	for g, u := range in.Members {
		for _, a := range m.acts[u] {
			if s.hasDay(a.day) {
				acts[g] += int64(a.n)
			}
		}
	}
	other := map[int32]*attain.CurrencyTotal{}
	v.each(func(d *deal) {
		if d.currency != v.currency && v.inScopeAnyCurrency(d) {
			v.addOther(other, d, s)
		}
	})
	out := &attain.TeamDashboard{TeamID: in.TeamID, Name: in.Name, Period: in.Period, Currency: cfg.Currency, Rows: []attain.RepRow{},
		OtherCurrencies: otherList(other)}
	tot := attain.RepRow{Name: "Total"}
	var totWon, totLost int
	var accSum float64
	var accN int
	for g, u := range in.Members {
		f := fs[g]
		tg := resolveTargets(cfg, u, 0, []int64{u})
		r := attain.RepRow{UserID: u, Name: cfg.UserNames[u], Won: f.Won, Target: tg.revenue, Forecast: f.P50, Weighted: f.Weighted,
			Commit: f.Commit, OpenPipeline: f.Commit + f.BestCase + f.Pipeline, WinRate: ratio(float64(won[g]), float64(won[g]+lost[g])),
			Activities: acts[g]}
		fillRow(&r, tg)
		if a, ok := in.Accuracy[u]; ok {
			r.Accuracy = ptr(a)
			accSum += a
			accN++
		}
		out.Rows = append(out.Rows, r)
		tot.Won += r.Won
		tot.Forecast += r.Forecast
		tot.Weighted += r.Weighted
		tot.Commit += r.Commit
		tot.OpenPipeline += r.OpenPipeline
		tot.Activities += r.Activities
		totWon += won[g]
		totLost += lost[g]
	}
	tg := resolveTargets(cfg, 0, in.TeamID, in.Members)
	fillRow(&tot, tg)
	tot.WinRate = ratio(float64(totWon), float64(totWon+totLost))
	if accN > 0 {
		tot.Accuracy = ptr(accSum / float64(accN))
	}
	out.Total = tot
	return out
}

func fillRow(r *attain.RepRow, tg scopeTargets) {
	r.Target = tg.revenue
	r.BookingsTarget = tg.bookings
	if tg.bookings != nil {
		r.BookingsAttainment = ratio(float64(r.Won), float64(*tg.bookings))
	}
	if tg.revenue != nil {
		r.Attainment = ratio(float64(r.Won), float64(*tg.revenue))
		if left := *tg.revenue - r.Won; left > 0 {
			r.Coverage = ratio(float64(r.OpenPipeline), float64(left))
		}
	}
	var at *int64
	for _, n := range tg.activities {
		if at == nil {
			at = new(int64)
		}
		*at += n
	}
	r.ActivityTarget = at
}

// Company computes the company view, or returns the one computed for the
// same configuration and input up to StaleBound before, while it is
// computed again in the background.
func Company(m *Model, cfg *Config, p attain.Period, pipelineID int64) *attain.CompanyDashboard {
	return m.view(viewKey("company", cfg, p, pipelineID), cfg, m.scoped(nil), func() any { return companyView(m, cfg, p, pipelineID) }).(*attain.CompanyDashboard)
}

// CachedCompany returns the company view Company would serve from its
// cache (computed up to StaleBound before), starting its computation in
// the background when it is old enough, or false: it never computes it
// while the caller waits. It may be used on a model that is not caught up
// (Engine.Cached): what it serves was computed on a current one.
func CachedCompany(m *Model, cfg *Config, p attain.Period, pipelineID int64) (*attain.CompanyDashboard, bool) {
	v, ok := m.peek(viewKey("company", cfg, p, pipelineID), cfg, m.scoped(nil), func() any { return companyView(m, cfg, p, pipelineID) })
	if !ok {
		return nil, false
	}
	return v.(*attain.CompanyDashboard), true
}

// companyView computes the company view. Its passes over the deals run on
// two cores: the KPIs and funnel on one, the forecast and the closed-deal
// breakdowns on the other.
func companyView(m *Model, cfg *Config, p attain.Period, pipelineID int64) *attain.CompanyDashboard {
	v := newView(m, cfg, Scope{})
	s := spanOf(p)
	calib := v.calibration()
	// Teams: a rep counts in every team listing them as a member.
	teams := slices.Clone(cfg.Teams)
	slices.SortFunc(teams, func(a, b *attain.Team) int { return cmp.Compare(a.ID, b.ID) })
	lists := make([][]int64, len(teams))
	for g, t := range teams {
		lists[g] = t.MemberIDs
	}
	gr := newGroups(m, lists)

	out := &attain.CompanyDashboard{Period: p, Currency: cfg.Currency}
	var fs []attain.SystemForecast
	var won, lost []int
	var wg sync.WaitGroup
	wg.Go(func() {
		out.Forecast, fs = v.forecastGroups(s, calib, gr)
		won, lost, out.Trends, out.WinRateByProduct = v.closedPass(s, gr, cfg, p)
	})
	st := v.collect(s, false)
	acts := v.activityTotals(s)
	tg := resolveTargets(cfg, 0, 0, nil)
	out.Attainment, out.KPIs = attainment(st, tg), v.kpis(st, acts, tg)
	out.OtherCurrencies = otherList(st.other)
	out.Funnel = v.funnel(s, pipelineID)
	wg.Wait()
	out.Forecast.Period = p.Key
	out.Teams = []attain.TeamTotal{}
	out.WinRateByTeam = []attain.RateRow{}
	for g, t := range teams {
		ttg := resolveTargets(cfg, 0, t.ID, t.MemberIDs)
		row := attain.TeamTotal{TeamID: t.ID, Name: t.Name, Won: fs[g].Won, Target: ttg.revenue, Forecast: fs[g].P50,
			Weighted: fs[g].Weighted, WinRate: ratio(float64(won[g]), float64(won[g]+lost[g]))}
		if ttg.revenue != nil {
			row.Ratio = ratio(float64(row.Won), float64(*ttg.revenue))
		}
		out.Teams = append(out.Teams, row)
		out.WinRateByTeam = append(out.WinRateByTeam, attain.RateRow{ID: t.ID, Name: t.Name, Won: won[g], Lost: lost[g], WinRate: row.WinRate})
	}
	return out
}

// closedPass makes the company view's one pass over closed and new deals:
// wins and losses in the period per team, the four quarters' trends up to
// the one holding the period's end, and win rates per product.
func (v *view) closedPass(s span, gr groups, cfg *Config, p attain.Period) (won, lost []int, trends []attain.QuarterTrend, products []attain.RateRow) {
	won, lost = make([]int, gr.n), make([]int, gr.n)
	q := cfg.Calendar.QuarterOf(p.End)
	qs := []attain.Period{q}
	for len(qs) < 4 {
		qs = append([]attain.Period{cfg.Calendar.Prev(qs[0])}, qs...)
	}
	spans := make([]span, len(qs))
	for i, q := range qs {
		spans[i] = spanOf(q)
	}
	from, to := spans[0].from, spans[len(spans)-1].to
	trends = make([]attain.QuarterTrend, len(qs))
	qLost := make([]int, len(qs))
	which := func(t int64) int {
		for i, s := range spans {
			if s.has(t) {
				return i
			}
		}
		return -1
	}
	pWon, pLost := map[int32]int{}, map[int32]int{}
	for i := range v.m.deals {
		d := &v.m.deals[i]
		if !v.inScope(d) {
			continue
		}
		if d.created >= from && d.created < to {
			if j := which(d.created); j >= 0 {
				trends[j].NewPipeline += d.amount
			}
		}
		if d.status == statusOpen || d.closedAt < from || d.closedAt >= to {
			continue
		}
		isWon := d.status == statusWon
		if j := which(d.closedAt); j >= 0 {
			if isWon {
				trends[j].Won += d.amount
				trends[j].WonDeals++
			} else {
				qLost[j]++
			}
		}
		if !s.has(d.closedAt) {
			continue
		}
		for _, g := range gr.get(d.creditOwner) {
			if isWon {
				won[g]++
			} else {
				lost[g]++
			}
		}
		if d.products != 0 {
			for _, pr := range v.m.productSets[d.products] {
				if isWon {
					pWon[pr]++
				} else {
					pLost[pr]++
				}
			}
		}
	}
	for i, q := range qs {
		trends[i].Period = q.Key
		trends[i].WinRate = ratio(float64(trends[i].WonDeals), float64(trends[i].WonDeals+qLost[i]))
	}
	for pr := range pWon {
		if _, ok := pLost[pr]; !ok {
			pLost[pr] = 0
		}
	}
	products = []attain.RateRow{}
	for pr := range pLost {
		id := v.m.ids[pr]
		products = append(products, attain.RateRow{ID: id, Name: cfg.ProductNames[id], Won: pWon[pr], Lost: pLost[pr],
			WinRate: ratio(float64(pWon[pr]), float64(pWon[pr]+pLost[pr]))})
	}
	slices.SortFunc(products, func(a, b attain.RateRow) int { return cmp.Compare(a.ID, b.ID) })
	return won, lost, trends, products
}

// PlanInput is what the funnel planner needs besides model and config.
type PlanInput struct {
	UserID     int64 // 0: the whole company
	Period     attain.Period
	Target     int64
	PipelineID int64
	// Leads are the owner's lead conversion figures over the history window.
	LeadsCreated, LeadsConverted int
	LeadDays                     float64
}

// HistoryDays is the window the planner learns rates from: the year before
// the period starts.
const HistoryDays = 365

// Plan works back from a target: wins needed at the average won deal size,
// deals that must reach each stage at the historical stage-to-won rates, and
// leads at the lead conversion rate; each by the period's end less the
// typical time from there to a win. A rep with fewer than 5 deals closed in
// the window is planned on the company's rates.
func Plan(m *Model, cfg *Config, in PlanInput) *attain.FunnelPlan {
	out := &attain.FunnelPlan{Period: in.Period, Currency: cfg.Currency, Target: in.Target, Steps: []attain.PlanStep{}}
	if in.UserID != 0 {
		out.UserID = ptr(in.UserID)
	}
	sc := Scope{PipelineID: in.PipelineID}
	if in.UserID != 0 {
		sc.Owners = []int64{in.UserID}
	}
	v := newView(m, cfg, sc)
	cur := v.collect(spanOf(in.Period), false)
	out.Won = cur.wonAmt
	out.Remaining = max(in.Target-cur.wonAmt, 0)

	hist := span{from: in.Period.StartTime().Unix() - HistoryDays*daySeconds, to: in.Period.StartTime().Unix()}
	hist.fromDay, hist.toDay = dayOf(hist.from), dayOf(hist.to)
	out.Basis = "rep"
	if in.UserID == 0 {
		out.Basis = "company"
	}
	hs := v.collect(hist, false)
	if in.UserID != 0 && hs.won+hs.lost < 5 {
		v = newView(m, cfg, Scope{PipelineID: in.PipelineID})
		hs = v.collect(hist, false)
		out.Basis = "company (too little rep history)"
	}
	out.WinRate = ratio(float64(hs.won), float64(hs.won+hs.lost))
	out.CycleDays = mean(hs.cycle)
	if hs.won == 0 {
		return out
	}
	out.AvgDealSize = hs.wonAmt / int64(hs.won)
	if out.AvgDealSize > 0 {
		out.WinsNeeded = int((out.Remaining + out.AvgDealSize - 1) / out.AvgDealSize)
	}

	// Stage-to-won rates and time to win per open stage, over deals that
	// closed in the window.
	type acc struct {
		reached, won int
		days         []float64
	}
	byStage := map[int32]*acc{}
	for i := range m.deals {
		d := &m.deals[i]
		if d.status == statusOpen || !hist.has(d.closedAt) || !v.inScope(d) || !v.ownedBy(d.creditOwner) {
			continue
		}
		seen := map[int32]bool{}
		for _, h := range m.hist(d) {
			if seen[h.stage] || v.stages[h.stage].outcome != statusOpen {
				continue
			}
			seen[h.stage] = true
			a := byStage[h.stage]
			if a == nil {
				a = &acc{}
				byStage[h.stage] = a
			}
			a.reached++
			if d.status == statusWon {
				a.won++
				a.days = append(a.days, float64(d.closedAt-h.entered)/daySeconds)
			}
		}
	}
	end := in.Period.End
	var first *attain.PlanStep
	for _, stg := range cfg.Stages {
		if stg.Outcome != attain.OutcomeOpen || (in.PipelineID != 0 && stg.PipelineID != in.PipelineID) {
			continue
		}
		i, _ := m.lookup(stg.ID)
		a := byStage[i]
		if a == nil || a.won == 0 {
			continue
		}
		conv := float64(a.won) / float64(a.reached)
		step := attain.PlanStep{Step: stg.Name, StageID: ptr(stg.ID), Needed: int(math.Ceil(float64(out.WinsNeeded) / conv)),
			Conversion: ptr(conv), By: end.AddDays(-int(math.Round(*mean(a.days))))}
		out.Steps = append(out.Steps, step)
		if first == nil {
			first = &out.Steps[len(out.Steps)-1]
		}
	}
	if first != nil && in.LeadsCreated > 0 && in.LeadsConverted > 0 {
		conv := float64(in.LeadsConverted) / float64(in.LeadsCreated)
		lead := attain.PlanStep{Step: "Leads", Needed: int(math.Ceil(float64(first.Needed) / conv)), Conversion: ptr(conv),
			By: first.By.AddDays(-int(math.Round(in.LeadDays)))}
		out.Steps = append([]attain.PlanStep{lead}, out.Steps...)
	}
	return out
}

// Key formats an id for settings maps keyed by id.
func Key(id int64) string { return strconv.FormatInt(id, 10) }
