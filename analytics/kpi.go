package analytics

import (
	"cmp"
	"slices"

	"github.com/attain-crm/attain"
)

// Definition is one KPI: its key, name, unit, whether more is better, and
// what exactly it measures. Definitions is the one list; docs/KPIS.md is
// generated from it (go test ./analytics -run TestKPIDocs -update).
type Definition struct {
	Key         string
	Name        string
	Unit        string
	LowerBetter bool
	// Target names where the target comes from: a target kind set per
	// period, "threshold" (KPI settings), or "goal" (settings.goals).
	Target string
	Doc    string
}

// Definitions are the KPIs Attain computes, in report order.
var Definitions = []Definition{
	{Key: "attainment", Name: "Attainment", Unit: attain.UnitMoney, Target: TargetRevenue,
		Doc: "Sum of the amounts of deals won in the period (closed_at in the period, status won), credited to the owner at the time of winning; a team's is the sum of its members', the company's the sum of everyone's. Measured against the revenue target."},
	{Key: "bookings", Name: "Bookings", Unit: attain.UnitMoney, Target: TargetBookings,
		Doc: "The value of the deals booked in the period: sum of the amounts of deals won (signed) in the period, on the day they were won (closed_at), credited to the owner at the time of winning. Attain keeps no invoicing or revenue schedule, so bookings are the same won amount as attainment; they differ in their target: bookings are measured against the bookings target, attainment against the revenue target."},
	{Key: "won_margin", Name: "Won margin", Unit: attain.UnitMoney, Target: TargetMargin,
		Doc: "Sum of the margins of the deals counted in attainment (deals without a margin count 0). Measured against the margin target."},
	{Key: "open_pipeline", Name: "Open pipeline", Unit: attain.UnitMoney,
		Doc: "Sum of the amounts of open deals whose close date is in the period (for the current period, also open deals whose close date has passed), excluding the omitted forecast category."},
	{Key: "pipeline_coverage", Name: "Pipeline coverage", Unit: attain.UnitRatio, Target: "threshold",
		Doc: "Open pipeline divided by the remaining target (revenue target minus attainment). Null when there is no target or it is already met. Reported against the coverage threshold (3× by default, KPI settings)."},
	{Key: "win_rate", Name: "Win rate (count)", Unit: attain.UnitRatio, Target: "goal",
		Doc: "Deals won in the period divided by deals won or lost in the period (by closed_at, credited to the owner at closing)."},
	{Key: "win_rate_value", Name: "Win rate (value)", Unit: attain.UnitRatio, Target: "goal",
		Doc: "Amount won in the period divided by the amount won or lost in the period."},
	{Key: "avg_deal_size", Name: "Average won deal", Unit: attain.UnitMoney,
		Doc: "Attainment divided by the number of deals won in the period."},
	{Key: "cycle_time_mean", Name: "Cycle time (mean)", Unit: attain.UnitDays, LowerBetter: true, Target: "goal",
		Doc: "Mean of (closed_at − created_at) in days over the deals won in the period."},
	{Key: "cycle_time_median", Name: "Cycle time (median)", Unit: attain.UnitDays, LowerBetter: true, Target: "goal",
		Doc: "Median of the same durations (the mean of the two middle values for an even count)."},
	{Key: "sales_velocity", Name: "Sales velocity", Unit: attain.UnitMoneyPerDay, Target: "goal",
		Doc: "Open deals now × win rate (count) × average won deal ÷ mean cycle time: money per day the pipeline turns into wins. Null when any factor is undefined."},
	{Key: "new_pipeline", Name: "New pipeline created", Unit: attain.UnitMoney, Target: TargetNewPipeline,
		Doc: "Sum of the amounts of deals created in the period (whatever their status now), by their current owner. Measured against the new-pipeline target."},
	{Key: "new_deals", Name: "New deals", Unit: attain.UnitCount, Target: "goal",
		Doc: "Number of deals created in the period."},
	{Key: "stalled_deals", Name: "Stalled deals", Unit: attain.UnitCount, LowerBetter: true, Target: "goal",
		Doc: "Open deals (any close date) with no activity and no stage change for more than N days, N per stage (KPI settings: stage_stalled_days, else stalled_days, 21 by default). Counted now, not for the period."},
	{Key: "slipped_deals", Name: "Slipped deals", Unit: attain.UnitCount, LowerBetter: true, Target: "goal",
		Doc: "Deals whose close date was moved, before the period ended, from a day inside the period to a day after it (from field history), and that were not won in the period."},
	{Key: "activities", Name: "Activities", Unit: attain.UnitCount, Target: TargetActivities,
		Doc: "Key activities done (occurred_at in the period, not deleted) by the owners in scope, all types; per type in the report's activities list. Measured against the sum of activity targets."},
}

// KPIKeys returns the keys of all KPIs.
func KPIKeys() []string {
	keys := make([]string, len(Definitions))
	for i, d := range Definitions {
		keys[i] = d.Key
	}
	return keys
}

// stats are the sums one pass over the deals yields for a scope and period.
type stats struct {
	won, lost               int
	wonAmt, lostAmt, margin int64
	cycle                   []float64

	open                       int
	openAmt, weighted          int64
	commit, bestCase, pipeline int64
	openNow                    int
	newDeals                   int
	newAmt                     int64
	stalled, slipped           int
	stalledAmt, slippedAmt     int64
	reasons                    map[[2]int32]*attain.ReasonTotal
	byStage                    map[int32]*attain.StageTotal
	// other sums deals in other currencies, by interned currency.
	other map[int32]*attain.CurrencyTotal
}

// addOther counts a deal in a currency other than the view's: won in the
// period (credited at winning) or open in the period, as the sums count.
func (v *view) addOther(other map[int32]*attain.CurrencyTotal, d *deal, s span) {
	var won, open bool
	switch d.status {
	case statusWon:
		won = v.ownedBy(d.creditOwner) && s.has(d.closedAt)
	case statusOpen:
		open = v.ownedBy(d.owner) && v.inPeriodOpen(d, s) && categories[v.category(d)] != attain.ForecastOmitted
	}
	if !won && !open {
		return
	}
	t := other[d.currency]
	if t == nil {
		t = &attain.CurrencyTotal{Currency: v.m.strs[d.currency]}
		other[d.currency] = t
	}
	if won {
		t.Won += d.amount
		t.WonDeals++
	} else {
		t.OpenPipeline += d.amount
		t.OpenDeals++
	}
}

// otherList lists other currencies' totals by currency code.
func otherList(other map[int32]*attain.CurrencyTotal) []attain.CurrencyTotal {
	out := make([]attain.CurrencyTotal, 0, len(other))
	for _, t := range other {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b attain.CurrencyTotal) int { return cmp.Compare(a.Currency, b.Currency) })
	return out
}

// inPeriodOpen reports whether an open deal's close date puts it in the
// period: its close date is in it, or the period is current and the close
// date has passed.
func (v *view) inPeriodOpen(d *deal, s span) bool {
	if s.hasDay(d.closeDate) {
		return true
	}
	return d.closeDate < s.fromDay && s.has(v.now)
}

// stalled reports whether an open deal has had no activity or stage change
// for longer than its stage allows, and for how many days.
func (v *view) stalled(d *deal) (bool, int) {
	last := max(d.lastActivity, d.stageEntered)
	idle := v.now - last
	return idle > v.stage(d).stalled, int(idle / daySeconds)
}

// slippedIn reports whether a deal's close date was pushed out of the period
// before it ended (and it was not won in the period).
func slippedIn(m *Model, d *deal, s span) bool {
	if d.status == statusWon && s.has(d.closedAt) {
		return false
	}
	for _, sl := range m.slips(d) {
		if sl.at < s.to && s.hasDay(sl.old) && sl.new >= s.toDay {
			return true
		}
	}
	return false
}

// collect makes one pass over the deals in scope.
func (v *view) collect(s span, withDetail bool) *stats {
	st := &stats{other: map[int32]*attain.CurrencyTotal{}}
	if withDetail {
		st.reasons = map[[2]int32]*attain.ReasonTotal{}
		st.byStage = map[int32]*attain.StageTotal{}
	}
	v.each(func(d *deal) {
		if !v.inScopeAnyCurrency(d) {
			return
		}
		if d.currency != v.currency {
			v.addOther(st.other, d, s)
			return
		}
		if d.status != statusOpen && v.ownedBy(d.creditOwner) && s.has(d.closedAt) {
			if d.status == statusWon {
				st.won++
				st.wonAmt += d.amount
				st.margin += d.margin
				st.cycle = append(grow(st.cycle), float64(d.closedAt-d.created)/daySeconds)
			} else {
				st.lost++
				st.lostAmt += d.amount
			}
			if withDetail {
				k := [2]int32{int32(d.status), d.reason}
				r := st.reasons[k]
				if r == nil {
					r = &attain.ReasonTotal{Outcome: attain.DealWon, Reason: v.m.strs[d.reason]}
					if d.status == statusLost {
						r.Outcome = attain.DealLost
					}
					st.reasons[k] = r
				}
				r.Deals++
				r.Amount += d.amount
			}
		}
		if !v.ownedBy(d.owner) {
			return
		}
		if s.has(d.created) {
			st.newDeals++
			st.newAmt += d.amount
		}
		if slippedIn(v.m, d, s) {
			st.slipped++
			st.slippedAmt += d.amount
		}
		if d.status != statusOpen {
			return
		}
		st.openNow++
		if ok, _ := v.stalled(d); ok {
			st.stalled++
			st.stalledAmt += d.amount
		}
		if !v.inPeriodOpen(d, s) {
			return
		}
		si := v.stage(d)
		cat := v.category(d)
		switch categories[cat] {
		case attain.ForecastOmitted:
			return
		case attain.ForecastCommit:
			st.commit += d.amount
		case attain.ForecastBestCase:
			st.bestCase += d.amount
		default:
			st.pipeline += d.amount
		}
		st.open++
		st.openAmt += d.amount
		w := d.amount * int64(si.prob) / 100
		st.weighted += w
		if withDetail {
			t := st.byStage[d.stage]
			if t == nil {
				t = &attain.StageTotal{StageID: si.id, Name: si.name}
				st.byStage[d.stage] = t
			}
			t.Deals++
			t.Amount += d.amount
			t.Weighted += w
		}
	})
	return st
}

// activityTotals sums the activities of the owners in scope in the period,
// by interned activity type id.
func (v *view) activityTotals(s span) map[int32]int64 {
	out := map[int32]int64{}
	add := func(list []actCount) {
		i, _ := slices.BinarySearchFunc(list, s.fromDay, func(a actCount, d int32) int { return cmp.Compare(a.day, d) })
		for ; i < len(list) && list[i].day < s.toDay; i++ {
			out[list[i].typ] += int64(list[i].n)
		}
	}
	for owner, list := range v.m.acts {
		if v.owners != nil {
			i, ok := v.m.lookup(owner)
			if !ok || !v.owners[i] {
				continue
			}
		}
		add(list)
	}
	return out
}

// targets resolved for one scope.
type scopeTargets struct {
	revenue, bookings, margin, newPipeline *int64
	activities                             map[string]int64
}

// resolveTargets finds the targets of a scope: the rep's own; a team's
// explicit target, else the sum of its members'; the company's explicit
// target, else the sum of every rep's.
func resolveTargets(cfg *Config, userID, teamID int64, members []int64) scopeTargets {
	var out scopeTargets
	out.activities = map[string]int64{}
	explicit := func(t Target) bool {
		switch {
		case userID != 0:
			return t.UserID == userID
		case teamID != 0:
			return t.TeamID == teamID && t.UserID == 0
		default:
			return t.UserID == 0 && t.TeamID == 0
		}
	}
	member := func(t Target) bool {
		if t.UserID == 0 {
			return false
		}
		return members == nil || slices.Contains(members, t.UserID)
	}
	sum := func(kind, actType string, pick func(Target) bool) (int64, bool) {
		var total int64
		found := false
		for _, t := range cfg.Targets {
			if t.Kind == kind && t.ActivityType == actType && pick(t) {
				total += t.Amount
				found = true
			}
		}
		return total, found
	}
	resolve := func(kind, actType string) (int64, bool) {
		if n, ok := sum(kind, actType, explicit); ok {
			return n, true
		}
		if userID != 0 {
			return 0, false
		}
		return sum(kind, actType, member)
	}
	if n, ok := resolve(TargetRevenue, ""); ok {
		out.revenue = &n
	}
	if n, ok := resolve(TargetBookings, ""); ok {
		out.bookings = &n
	}
	if n, ok := resolve(TargetMargin, ""); ok {
		out.margin = &n
	}
	if n, ok := resolve(TargetNewPipeline, ""); ok {
		out.newPipeline = &n
	}
	types := map[string]bool{}
	for _, t := range cfg.Targets {
		if t.Kind == TargetActivities {
			types[t.ActivityType] = true
		}
	}
	for typ := range types {
		if n, ok := resolve(TargetActivities, typ); ok {
			out.activities[typ] = n
		}
	}
	return out
}

// kpis turns stats into the KPI list, each against its target.
func (v *view) kpis(st *stats, acts map[int32]int64, tg scopeTargets) []attain.KPI {
	goals := v.cfg.Settings.Goals
	threshold := v.cfg.Settings.CoverageThreshold
	if threshold <= 0 {
		threshold = 3
	}
	var actTotal int64
	for _, n := range acts {
		actTotal += n
	}
	var actTarget *int64
	for _, n := range tg.activities {
		if actTarget == nil {
			actTarget = new(int64)
		}
		*actTarget += n
	}
	winRate := ratio(float64(st.won), float64(st.won+st.lost))
	var avgSize *int64
	if st.won > 0 {
		avgSize = ptr(st.wonAmt / int64(st.won))
	}
	cycleMean := mean(st.cycle)
	cycleMedian := median(slices.Clone(st.cycle))
	var velocity *float64
	if winRate != nil && avgSize != nil && cycleMean != nil && *cycleMean > 0 {
		velocity = ptr(float64(st.openNow) * *winRate * float64(*avgSize) / *cycleMean)
	}
	var coverage *float64
	if tg.revenue != nil && *tg.revenue-st.wonAmt > 0 {
		coverage = ratio(float64(st.openAmt), float64(*tg.revenue-st.wonAmt))
	}
	out := make([]attain.KPI, 0, len(Definitions))
	for _, def := range Definitions {
		k := attain.KPI{Key: def.Key, Name: def.Name, Unit: def.Unit}
		money := func(a int64, deals int, target *int64) {
			k.Amount, k.Deals, k.TargetAmount = ptr(a), deals, target
			if target != nil {
				k.Status = status(float64(a) >= float64(*target))
			}
		}
		value := func(x *float64, deals int) {
			k.Value, k.Deals = x, deals
			if g, ok := goals[def.Key]; ok {
				k.Target = ptr(g)
				if x != nil {
					if def.LowerBetter {
						k.Status = status(*x <= g)
					} else {
						k.Status = status(*x >= g)
					}
				}
			}
		}
		switch def.Key {
		case "attainment":
			money(st.wonAmt, st.won, tg.revenue)
		case "bookings":
			money(st.wonAmt, st.won, tg.bookings)
		case "won_margin":
			money(st.margin, st.won, tg.margin)
		case "open_pipeline":
			money(st.openAmt, st.open, nil)
		case "pipeline_coverage":
			k.Value, k.Deals, k.Target = coverage, st.open, ptr(threshold)
			if coverage != nil {
				k.Status = status(*coverage >= threshold)
			}
		case "win_rate":
			value(winRate, st.won+st.lost)
		case "win_rate_value":
			value(ratio(float64(st.wonAmt), float64(st.wonAmt+st.lostAmt)), st.won+st.lost)
		case "avg_deal_size":
			k.Amount, k.Deals = avgSize, st.won
		case "cycle_time_mean":
			value(cycleMean, st.won)
		case "cycle_time_median":
			value(cycleMedian, st.won)
		case "sales_velocity":
			value(velocity, st.openNow)
		case "new_pipeline":
			money(st.newAmt, st.newDeals, tg.newPipeline)
		case "new_deals":
			value(ptr(float64(st.newDeals)), st.newDeals)
		case "stalled_deals":
			value(ptr(float64(st.stalled)), st.stalled)
			k.Amount = ptr(st.stalledAmt)
		case "slipped_deals":
			value(ptr(float64(st.slipped)), st.slipped)
			k.Amount = ptr(st.slippedAmt)
		case "activities":
			k.Value = ptr(float64(actTotal))
			if actTarget != nil {
				k.Target = ptr(float64(*actTarget))
				k.Status = status(actTotal >= *actTarget)
			}
		}
		out = append(out, k)
	}
	return out
}

func status(met bool) string {
	if met {
		return "met"
	}
	return "below"
}

// funnel counts, among deals created in the period in one pipeline, how
// many reached each open stage (skipping a stage counts as passing it; a won
// deal passed them all) and won.
func (v *view) funnel(s span, pipelineID int64) []attain.FunnelStep {
	pi, ok := v.m.lookup(pipelineID)
	if !ok {
		return []attain.FunnelStep{}
	}
	var open []*attain.Stage
	var wonStage *attain.Stage
	for _, st := range v.cfg.Stages {
		if st.PipelineID != pipelineID || st.ArchivedAt != nil {
			continue
		}
		switch st.Outcome {
		case attain.OutcomeOpen:
			open = append(open, st)
		case attain.OutcomeWon:
			wonStage = st
		}
	}
	slices.SortFunc(open, func(a, b *attain.Stage) int { return a.Position - b.Position })
	rank := map[int32]int{} // interned stage → 1-based rank among open stages
	for i, st := range open {
		if j, ok := v.m.lookup(st.ID); ok {
			rank[j] = i + 1
		}
	}
	reached := make([]int, len(open)+2) // reached[r]: deals whose furthest rank is r; len(open)+1 = won
	v.each(func(d *deal) {
		if d.pipeline != pi || !v.inScope(d) || !v.ownedBy(d.owner) || !s.has(d.created) {
			return
		}
		far := rank[d.stage]
		if d.status == statusWon {
			far = len(open) + 1
		} else {
			for _, h := range v.m.hist(d) {
				far = max(far, rank[h.stage])
			}
		}
		reached[far]++
	})
	// Cumulate from the end: reaching rank r means reaching every rank below.
	for r := len(reached) - 2; r >= 0; r-- {
		reached[r] += reached[r+1]
	}
	out := make([]attain.FunnelStep, 0, len(open)+1)
	for i, st := range open {
		out = append(out, attain.FunnelStep{StageID: st.ID, Name: st.Name, Reached: reached[i+1],
			Conversion: ratio(float64(reached[i+2]), float64(reached[i+1]))})
	}
	if wonStage != nil {
		out = append(out, attain.FunnelStep{StageID: wonStage.ID, Name: wonStage.Name, Reached: reached[len(open)+1]})
	}
	return out
}

// stageTimes measures stays that ended in the period, per stage.
func (v *view) stageTimes(s span) []attain.StageTime {
	days := map[int32][]float64{}
	v.each(func(d *deal) {
		if !v.inScope(d) || !v.ownedBy(d.owner) {
			return
		}
		for _, h := range v.m.hist(d) {
			if h.exited != 0 && s.has(h.exited) {
				days[h.stage] = append(days[h.stage], float64(h.exited-h.entered)/daySeconds)
			}
		}
	})
	var out []attain.StageTime
	for _, st := range v.cfg.Stages {
		if st.Outcome != attain.OutcomeOpen {
			continue
		}
		if v.pipeline != -1 {
			if pi, _ := v.m.lookup(st.PipelineID); pi != v.pipeline {
				continue
			}
		}
		i, _ := v.m.lookup(st.ID)
		xs := days[i]
		out = append(out, attain.StageTime{StageID: st.ID, Name: st.Name, Stays: len(xs), MeanDays: mean(xs), MedianDays: median(xs)})
	}
	if out == nil {
		out = []attain.StageTime{}
	}
	return out
}

// activityVolumes lists activity counts by type against targets.
func (v *view) activityVolumes(acts map[int32]int64, tg scopeTargets) []attain.ActivityVolume {
	out := []attain.ActivityVolume{}
	for _, t := range v.cfg.ActivityTypes {
		var n int64
		if i, ok := v.m.lookup(t.ID); ok {
			n = acts[i]
		}
		target, has := tg.activities[t.Key]
		if t.RetiredAt != nil && n == 0 && !has {
			continue
		}
		av := attain.ActivityVolume{Type: t.Key, Name: t.Name, Count: n}
		if has {
			av.Target = ptr(target)
		}
		out = append(out, av)
	}
	return out
}

func reasonList(st *stats) []attain.ReasonTotal {
	out := make([]attain.ReasonTotal, 0, len(st.reasons))
	for _, r := range st.reasons {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b attain.ReasonTotal) int {
		return cmp.Or(cmp.Compare(a.Outcome, b.Outcome), cmp.Compare(b.Deals, a.Deals), cmp.Compare(a.Reason, b.Reason))
	})
	return out
}

// ReportScope names a KPI report's scope for targets: a rep, a team (with
// its members) or the company (both zero).
type ReportScope struct {
	Scope
	UserID int64
	TeamID int64
}

// Report computes every KPI of a scope for a period, or returns the report
// computed for the same configuration and input by the rule of StaleBound.
func Report(m *Model, cfg *Config, rs ReportScope, p attain.Period, pipelineID int64) *attain.KPIReport {
	return m.view(viewKey("report", cfg, rs, p, pipelineID), cfg, m.scoped(rs.Owners), func() any { return report(m, cfg, rs, p, pipelineID) }).(*attain.KPIReport)
}

func report(m *Model, cfg *Config, rs ReportScope, p attain.Period, pipelineID int64) *attain.KPIReport {
	v := newView(m, cfg, rs.Scope)
	s := spanOf(p)
	st := v.collect(s, true)
	acts := v.activityTotals(s)
	tg := resolveTargets(cfg, rs.UserID, rs.TeamID, rs.Owners)
	r := &attain.KPIReport{Period: p, Currency: cfg.Currency, KPIs: v.kpis(st, acts, tg),
		StageTimes: v.stageTimes(s), Activities: v.activityVolumes(acts, tg), Reasons: reasonList(st), OtherCurrencies: otherList(st.other)}
	r.Funnel = v.funnel(s, pipelineID)
	switch {
	case rs.UserID != 0:
		r.Scope = "rep"
	case rs.TeamID != 0:
		r.Scope = "team"
	default:
		r.Scope = "company"
	}
	return r
}
