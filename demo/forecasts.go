package demo

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	mrand "math/rand/v2"
	"slices"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// historyQuarters is how many past quarters get forecast submissions and
// weekly snapshots, so accuracy has a trend to show.
const historyQuarters = 4

// forecastHistory writes the forecast calls of the last historyQuarters
// full quarters as a team would have made them week by week: every other
// week each rep submits, each manager records a team call and the admin a
// company call; each Friday the forecasts are snapshotted, with the system
// forecast and the open pipeline beside them. The current quarter's
// finished weeks get the same, so trends run up to this week. Calls start
// off by each person's own bias and close in on what was actually won (in
// the current quarter, on what the pipeline promises today) as the quarter
// goes on. It runs before this week's calls (g.forecasts), which are the
// newest.
//
// The forecast service stamps a submission with the time it is made, so
// these are written through the store with the transaction's clock set to
// the moment each was made, as the weekly snapshot job would have.
func (g *gen) forecastHistory(ctx context.Context) error {
	r := g.rng(9)
	// Each person's habit: optimists call above what they win, the careful
	// below.
	bias := map[int64]float64{}
	for _, rp := range g.reps {
		bias[rp.ID] = 0.75 + 0.5*r.Float64()
	}
	for _, m := range g.managers {
		bias[m.ID] = 0.93 + 0.1*r.Float64()
	}
	for _, q := range g.historyQuarters() {
		err := g.db.WriteTx(ctx, func(tx *store.Tx) error {
			won, err := tx.WonByOwner(ctx, g.ws.ID, g.currency, q.Start, q.End)
			if err != nil {
				return err
			}
			return g.quarterCalls(ctx, tx, r, q, snapshotFridays(q), bias, won)
		})
		if err != nil {
			return fmt.Errorf("%s: %w", q.Key, err)
		}
	}
	q := g.cal.QuarterOf(attain.DateOf(g.now))
	likely, err := g.likelyWon(ctx, q)
	if err != nil {
		return fmt.Errorf("%s: %w", q.Key, err)
	}
	if err := g.db.WriteTx(ctx, func(tx *store.Tx) error {
		return g.quarterCalls(ctx, tx, r, q, g.finishedFridays(q), bias, likely)
	}); err != nil {
		return fmt.Errorf("%s: %w", q.Key, err)
	}
	return nil
}

// likelyWon is, per rep, what the current quarter looks set to bring in as
// of now: won so far and the deals in commit, as the forecast prefill adds
// them up. The current quarter's past calls close in on it.
func (g *gen) likelyWon(ctx context.Context, q attain.Period) (map[int64]int64, error) {
	out := map[int64]int64{}
	for _, rp := range g.reps {
		a, err := g.svc.ActorFor(ctx, g.ws.ID, rp.ID)
		if err != nil {
			return nil, err
		}
		pf, err := g.svc.ForecastPrefill(ctx, a, q.Key, rp.ID)
		if err != nil {
			return nil, err
		}
		out[rp.ID] = pf.Won + pf.Commit
	}
	return out, nil
}

// snapshotWeeks are the Fridays whose weekly snapshot the demo writes: every
// week of the history quarters and the finished weeks of the current one.
func (g *gen) snapshotWeeks() []attain.Date {
	var out []attain.Date
	for _, q := range g.historyQuarters() {
		out = append(out, snapshotFridays(q)...)
	}
	return append(out, g.finishedFridays(g.cal.QuarterOf(attain.DateOf(g.now)))...)
}

// finishedFridays are the Fridays of a quarter whose snapshot was taken
// before now.
func (g *gen) finishedFridays(q attain.Period) []attain.Date {
	var out []attain.Date
	for _, f := range snapshotFridays(q) {
		if snapshotAt(f).Before(g.now) {
			out = append(out, f)
		}
	}
	return out
}

// historyQuarters are the last historyQuarters full quarters within the
// history, oldest first: those with forecast calls and weekly snapshots.
func (g *gen) historyQuarters() []attain.Period {
	q := g.cal.QuarterOf(attain.DateOf(g.now))
	var quarters []attain.Period
	for range historyQuarters {
		q = g.cal.Prev(q)
		if q.Start.Before(attain.DateOf(g.from)) {
			break
		}
		quarters = append([]attain.Period{q}, quarters...)
	}
	return quarters
}

// snapshotFridays are the Fridays of a quarter whose weekly snapshot
// belongs to it (the week's Friday falls in the quarter).
func snapshotFridays(q attain.Period) []attain.Date {
	var out []attain.Date
	for monday := attain.WeekStart(q.Start); ; monday = monday.AddDays(7) {
		friday := monday.AddDays(4)
		if q.End.Before(friday) {
			return out // the week's snapshot belongs to the next quarter
		}
		if !friday.Before(q.Start) { // else to the last
			out = append(out, friday)
		}
	}
}

// snapshotAt is when the weekly job takes a Friday's snapshot.
func snapshotAt(friday attain.Date) time.Time { return friday.Time().Add(18 * time.Hour) }

// pipelineHistory is the open pipeline as each past weekly snapshot found
// it, summed by owner and stage, built while the deals are simulated (each
// deal's stints say which stage it was in at each snapshot) so that no
// query has to replay the stage history afterwards.
type pipelineHistory struct {
	at    []time.Time              // the snapshot times, in order
	week  map[attain.Date]int      // index in at by week start (Monday)
	cells []map[pipeCell]*[2]int64 // per snapshot: amount and deals
}

type pipeCell struct {
	owner int64
	stage *attain.Stage
}

// newPipelineHistory makes the history of the snapshots taken on fridays,
// in order.
func newPipelineHistory(fridays []attain.Date) *pipelineHistory {
	h := &pipelineHistory{week: map[attain.Date]int{}}
	for _, f := range fridays {
		h.week[attain.WeekStart(f)] = len(h.at)
		h.at = append(h.at, snapshotAt(f))
		h.cells = append(h.cells, map[pipeCell]*[2]int64{})
	}
	return h
}

// add counts a deal of an owner in stage from entered until exited (zero:
// still there today) at every snapshot taken in between.
func (h *pipelineHistory) add(owner int64, stage *attain.Stage, amount int64, entered, exited time.Time) {
	i, _ := slices.BinarySearchFunc(h.at, entered, func(t, e time.Time) int { return t.Compare(e) })
	for ; i < len(h.at) && (exited.IsZero() || h.at[i].Before(exited)); i++ {
		c := h.cells[i][pipeCell{owner, stage}]
		if c == nil {
			c = new([2]int64)
			h.cells[i][pipeCell{owner, stage}] = c
		}
		c[0] += amount
		c[1]++
	}
}

// addDeal counts a simulated deal's open stints.
func (h *pipelineHistory) addDeal(owner int64, amount int64, stints []stint) {
	for i, s := range stints {
		if s.stage.Outcome != attain.OutcomeOpen {
			continue
		}
		var exited time.Time
		if i+1 < len(stints) {
			exited = stints[i+1].entered
		}
		h.add(owner, s.stage, amount, s.entered, exited)
	}
}

// slotCall is the latest call of one forecast slot while a quarter's weeks
// are replayed.
type slotCall struct {
	id             int64
	commit, best   int64
	prefill, prebc int64
}

// quarterCalls writes a quarter's submissions and snapshots for the weeks
// of the given Fridays, with calls that close in on won (per rep) as the
// quarter goes on.
func (g *gen) quarterCalls(ctx context.Context, tx *store.Tx, r *mrand.Rand, q attain.Period, fridays []attain.Date,
	bias map[int64]float64, won map[int64]int64) error {
	reps := make([][]*rep, len(g.teamIDs)) // active reps by team
	for _, rp := range g.reps {
		if rp.hired.Before(q.Start.Time()) {
			reps[rp.team] = append(reps[rp.team], rp)
		}
	}
	weeks := q.Weeks()
	repCall := map[int64]*slotCall{}
	teamCall := map[int64]*slotCall{}
	var companyCall *slotCall
	submit := func(at time.Time, scope attain.TargetScope, userID int64, teamID *int64, c *slotCall, comment string) error {
		tx.Now = at
		s, err := tx.CreateSubmission(ctx, g.ws.ID, &attain.ForecastSubmission{Period: q.Key, PeriodStart: q.Start, PeriodEnd: q.End,
			Scope: scope, UserID: userID, TeamID: teamID, Currency: g.currency, Commit: c.commit, BestCase: c.best,
			PrefillCommit: c.prefill, PrefillBestCase: c.prebc, Comment: comment})
		if err != nil {
			return err
		}
		c.id = s.ID
		g.rows["forecast_submissions"]++
		return nil
	}
	// call is what someone with bias b says in week w of a quarter that
	// ends with actual won: the bias fades and noise narrows as the
	// quarter goes on.
	call := func(actual int64, b float64, w int) *slotCall {
		left := 1 - float64(w)/float64(weeks+1)
		f := 1 + (b-1)*left + (r.Float64()-0.5)*0.16*left
		c := &slotCall{commit: int64(float64(actual) * f)}
		c.best = c.commit + int64(float64(actual)*(0.08+0.35*left))
		c.prefill = int64(float64(actual) * (0.55 + 0.45*(1-left)))
		c.prebc = c.prefill + int64(float64(actual)*0.3*left)
		return c
	}
	l := tx.NewLoader()
	defer l.Close()
	pipe := pipelineTable(l)
	for _, friday := range fridays {
		monday := attain.WeekStart(friday)
		w := q.Week(friday)
		at := func(day attain.Date, hour int) time.Time {
			if day.Before(q.Start) {
				day = q.Start // the quarter's first week starts mid-week
			}
			return day.Time().Add(time.Duration(hour)*time.Hour + time.Duration(r.IntN(3600))*time.Second)
		}
		if w%2 == 1 || q.End.Before(friday.AddDays(7)) { // every other week, and the last
			for t, team := range reps {
				var sumC, sumB int64
				for _, rp := range team {
					c := call(won[rp.ID], bias[rp.ID], w)
					if err := submit(at(monday.AddDays(1), 14), attain.ScopeRep, rp.ID, nil, c, "Weekly forecast call"); err != nil {
						return err
					}
					repCall[rp.ID] = c
					sumC, sumB = sumC+c.commit, sumB+c.best
				}
				m := g.managers[t]
				shade := 1 + (bias[m.ID]-1)*(1-float64(w)/float64(weeks+1))
				tc := &slotCall{commit: int64(float64(sumC) * shade), best: sumB, prefill: sumC, prebc: sumB}
				if err := submit(at(monday.AddDays(2), 10), attain.ScopeTeam, m.ID, &g.teamIDs[t], tc, "Team call, adjusted for slippage"); err != nil {
					return err
				}
				teamCall[g.teamIDs[t]] = tc
			}
			var sumC, sumB int64
			for _, c := range teamCall {
				sumC, sumB = sumC+c.commit, sumB+c.best
			}
			companyCall = &slotCall{commit: sumC * 98 / 100, best: sumB, prefill: sumC, prebc: sumB}
			if err := submit(at(monday.AddDays(2), 16), attain.ScopeCompany, g.admin.ID, nil, companyCall, "Company call for the board"); err != nil {
				return err
			}
		}
		if err := g.snapshotWeek(ctx, tx, r, q, w, friday, pipe, reps, won, repCall, teamCall, companyCall); err != nil {
			return err
		}
	}
	return l.Flush(ctx)
}

// snapshotWeek stores one Friday's snapshot of the open pipeline, of the
// latest calls and of the system forecast, as the weekly job would have
// taken it.
func (g *gen) snapshotWeek(ctx context.Context, tx *store.Tx, r *mrand.Rand, q attain.Period, w int, friday attain.Date, pipe *store.BulkTable,
	reps [][]*rep, won map[int64]int64, repCall, teamCall map[int64]*slotCall, companyCall *slotCall) error {
	monday := attain.WeekStart(friday)
	claimed, err := g.claimWeek(ctx, tx, q, friday, pipe)
	if err != nil || !claimed {
		return err
	}
	if companyCall == nil {
		return nil // nobody has called yet
	}
	put := func(scope attain.TargetScope, userID, teamID *int64, c *slotCall) error {
		g.rows["forecast_snapshots"]++
		return tx.InsertForecastSnapshot(ctx, g.ws.ID, store.ForecastSnapshot{WeekStart: monday, Period: q.Key, Week: w,
			Scope: scope, UserID: userID, TeamID: teamID, SubmissionID: &c.id, Currency: g.currency, Commit: c.commit, BestCase: c.best})
	}
	// The system forecast: calibrated, so unbiased, and narrower late in
	// the quarter.
	system := func(scope string, userID, teamID, actual int64) error {
		left := 1 - float64(w)/float64(q.Weeks()+1)
		p50 := int64(float64(actual) * (1 + (r.Float64()-0.5)*0.3*left))
		spread := int64(float64(actual) * 0.25 * left)
		soFar := int64(float64(actual) * (1 - left))
		g.rows["system_forecast_snapshots"]++
		return tx.InsertSystemSnapshot(ctx, g.ws.ID, store.SystemSnapshot{WeekStart: monday, Period: q.Key, Week: w,
			Scope: scope, UserID: userID, TeamID: teamID, Currency: g.currency, Won: soFar,
			Weighted: int64(float64(p50) * 0.97), P10: p50 - spread, P50: p50, P90: p50 + spread})
	}
	var total int64
	for t, team := range reps {
		var teamWon int64
		for _, rp := range team {
			if err := put(attain.ScopeRep, &rp.ID, nil, repCall[rp.ID]); err != nil {
				return err
			}
			if err := system(string(attain.ScopeRep), rp.ID, 0, won[rp.ID]); err != nil {
				return err
			}
			teamWon += won[rp.ID]
		}
		id := g.teamIDs[t]
		if err := put(attain.ScopeTeam, nil, &id, teamCall[id]); err != nil {
			return err
		}
		if err := system(string(attain.ScopeTeam), 0, id, teamWon); err != nil {
			return err
		}
		total += teamWon
	}
	if err := put(attain.ScopeCompany, nil, nil, companyCall); err != nil {
		return err
	}
	return system(string(attain.ScopeCompany), 0, 0, total)
}

// claimWeek claims a Friday's weekly snapshot, as the job does, and writes
// its open pipeline; it reports false when the week was already taken.
func (g *gen) claimWeek(ctx context.Context, tx *store.Tx, q attain.Period, friday attain.Date, pipe *store.BulkTable) (bool, error) {
	monday := attain.WeekStart(friday)
	tx.Now = snapshotAt(friday)
	claimed, err := tx.ClaimSnapshotWeek(ctx, g.ws.ID, monday, q.Key)
	if err != nil || !claimed {
		return false, err
	}
	return true, g.pipelineSnapshot(ctx, pipe, monday)
}

// pipelineTable loads pipeline snapshot rows in bulk.
func pipelineTable(l *store.Loader) *store.BulkTable {
	return l.Table("pipeline_snapshots", "workspace_id", "week_start", "owner_id", "stage_id", "forecast_category", "currency",
		"amount", "deals")
}

// pipelineSnapshot writes the week's open pipeline by owner and stage, in
// the order the job's query would group it.
func (g *gen) pipelineSnapshot(ctx context.Context, t *store.BulkTable, monday attain.Date) error {
	i, ok := g.pipe.week[monday]
	if !ok {
		return nil
	}
	cells := slices.SortedFunc(maps.Keys(g.pipe.cells[i]), func(a, b pipeCell) int {
		return cmp.Or(cmp.Compare(a.owner, b.owner), cmp.Compare(a.stage.ID, b.stage.ID))
	})
	for _, c := range cells {
		v := g.pipe.cells[i][c]
		if err := t.Add(ctx, g.ws.ID, monday, c.owner, c.stage.ID, c.stage.ForecastCategory, g.currency, v[0], v[1]); err != nil {
			return err
		}
		g.rows["pipeline_snapshots"]++
	}
	return nil
}
