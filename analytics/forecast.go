package analytics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/attain-crm/attain"
)

// The calibration of the system forecast. Win rates are measured on closed
// deals' stays in open stages, per stage and by how long the deal had been
// in the stage (age buckets), and per rep and stage; slip rates are the
// share of stays in a stage during which the close date was pushed later.
// Rates are shrunk toward a prior so thin data does not swing them: a
// stage's rate toward its configured probability (weight priorStage), a
// rep's toward the stage's (weight priorRep), and a rep's rate is used only
// from minRepStays closed stays on.
const (
	priorStage  = 5
	priorRep    = 10
	minRepStays = 10
	minSlipN    = 5
	// SimIterations is the default number of Monte Carlo runs; with many
	// deals it is lowered so a run stays near simBudget draws, down to
	// minIterations. Past that (more than simBudget/minIterations deals) the
	// simulation is replaced by its limit, the normal distribution with the
	// same mean and variance (by the central limit theorem, closer to the
	// truth than a few hundred runs would be).
	SimIterations = 1000
	minIterations = 200
	simBudget     = 2_000_000
	// z10 is the standard normal's 90th percentile.
	z10 = 1.2815515655446004
	// SimSeed seeds the simulation, so the same data gives the same range.
	SimSeed uint64 = 0x5EED
)

// ageBounds are the lower bounds, in days, of the time-in-stage buckets.
var ageBounds = [...]int64{0, 30, 90}

type rate struct{ n, wins float64 }

// calibration holds the measured rates, by interned stage and owner. It
// is a sum over deals, so a catch-up updates it by the changed deals alone.
type calibration struct {
	stage map[int32]*[len(ageBounds)]rate
	rep   map[[2]int32]rate
	slip  map[int32]rate
	// openIDs are the configured open stages (by id) the rates are
	// measured in; open caches the answer by interned id.
	openIDs map[int64]bool
	open    []bool
}

func ageBucket(ageDays int64) int {
	b := 0
	for i, lo := range ageBounds {
		if ageDays >= lo {
			b = i
		}
	}
	return b
}

// calibrate measures the workspace's history (all deals, whatever the scope).
func (v *view) calibrate() *calibration {
	c := &calibration{stage: map[int32]*[len(ageBounds)]rate{}, rep: map[[2]int32]rate{}, slip: map[int32]rate{},
		openIDs: map[int64]bool{}, open: make([]bool, len(v.m.ids))}
	for _, st := range v.cfg.Stages {
		if st.Outcome == attain.OutcomeOpen {
			c.openIDs[st.ID] = true
		}
	}
	for i, id := range v.m.ids {
		c.open[i] = c.openIDs[id]
	}
	for i := range v.m.deals {
		c.add(v.m, &v.m.deals[i], 1)
	}
	return c
}

func (c *calibration) isOpen(m *Model, stage int32) bool {
	if int(stage) < len(c.open) {
		return c.open[stage]
	}
	return c.openIDs[m.ids[stage]]
}

// add counts a deal's stays in open stages (sign 1) or takes them out
// (sign -1): every stay toward the stage's slip rate (slipped when the
// close date was pushed later during it), and stays of closed deals that
// ended toward the win rates.
func (c *calibration) add(m *Model, d *deal, sign int64) {
	n := float64(sign)
	closed := d.status != statusOpen
	won := 0.0
	if d.status == statusWon {
		won = n
	}
	slips := m.slips(d)
	for _, h := range m.hist(d) {
		if !c.isOpen(m, h.stage) {
			continue
		}
		end := h.exited
		if end == 0 {
			end = math.MaxInt64 // still there: every slip since it entered
		}
		sr := c.slip[h.stage]
		sr.n += n
		for _, sl := range slips {
			if sl.at >= h.entered && sl.at < end && sl.new > sl.old {
				sr.wins += n
				break
			}
		}
		c.slip[h.stage] = sr
		if !closed || h.exited == 0 {
			continue
		}
		buckets := c.stage[h.stage]
		if buckets == nil {
			buckets = new([len(ageBounds)]rate)
			c.stage[h.stage] = buckets
		}
		dur := (h.exited - h.entered) / daySeconds
		for b, lo := range ageBounds {
			if dur >= lo {
				buckets[b].n += n
				buckets[b].wins += won
			}
		}
		k := [2]int32{d.creditOwner, h.stage}
		r := c.rep[k]
		r.n += n
		r.wins += won
		c.rep[k] = r
	}
}

// winProbability is the calibrated chance an open deal is won in the
// period it is forecast in: win rate × (1 − slip rate).
func (c *calibration) winProbability(v *view, d *deal) float64 {
	si := v.stage(d)
	prior := float64(si.prob) / 100
	age := (v.now - d.stageEntered) / daySeconds
	p := prior
	if buckets := c.stage[d.stage]; buckets != nil {
		r := buckets[ageBucket(age)]
		p = (r.wins + priorStage*prior) / (r.n + priorStage)
	}
	if r := c.rep[[2]int32{d.owner, d.stage}]; r.n >= minRepStays {
		p = (r.wins + priorRep*p) / (r.n + priorRep)
	}
	if s := c.slip[d.stage]; s.n >= minSlipN {
		p *= 1 - s.wins/s.n
	}
	return min(max(p, 0), 1)
}

// probCache remembers win probabilities for one forecast: a deal's depends
// only on its owner, stage and age bucket, so a forecast of a million deals
// computes a few thousand and looks the rest up.
type probCache struct {
	v     *view
	c     *calibration
	stage []int32 // interned stage → 1 + dense index; 0 for none
	n     int
	by    [][]float64 // by interned owner: dense stage × age bucket; -1 not yet
}

func newProbCache(v *view, c *calibration) *probCache {
	pc := &probCache{v: v, c: c, stage: make([]int32, len(v.m.ids)), by: make([][]float64, len(v.m.ids))}
	for i := range v.stages {
		if v.stages[i].ok {
			pc.n++
			pc.stage[i] = int32(pc.n)
		}
	}
	return pc
}

func (pc *probCache) get(d *deal) float64 {
	s := pc.stage[d.stage]
	if s == 0 {
		return pc.c.winProbability(pc.v, d)
	}
	row := pc.by[d.owner]
	if row == nil {
		row = make([]float64, pc.n*len(ageBounds))
		for i := range row {
			row[i] = -1
		}
		pc.by[d.owner] = row
	}
	k := int(s-1)*len(ageBounds) + ageBucket((pc.v.now-d.stageEntered)/daySeconds)
	if row[k] < 0 {
		row[k] = pc.c.winProbability(pc.v, d)
	}
	return row[k]
}

// simDeal is an open deal in a simulation.
type simDeal struct {
	id     int64
	amount int64
	p      uint32 // probability scaled to 2^32
	owner  int32
}

// groups maps interned owners to the groups they count in (teams, or reps
// in a team view): a rep in several teams counts in each.
type groups struct {
	of [][]int32 // by interned owner
	n  int
}

// newGroups makes groups of the given member lists, group g holding lists[g].
func newGroups(m *Model, lists [][]int64) groups {
	gr := groups{of: make([][]int32, len(m.ids)), n: len(lists)}
	for g, list := range lists {
		for _, u := range list {
			if i, ok := m.lookup(u); ok && !slices.Contains(gr.of[i], int32(g)) {
				gr.of[i] = append(gr.of[i], int32(g))
			}
		}
	}
	return gr
}

// get returns the groups of an interned owner.
func (gr groups) get(owner int32) []int32 {
	if int(owner) >= len(gr.of) {
		return nil
	}
	return gr.of[owner]
}

// forecastGroups computes the system forecast of the scope for the period,
// in total and for each group (a deal counts in every group of its owner).
func (v *view) forecastGroups(s span, c *calibration, gr groups) (attain.SystemForecast, []attain.SystemForecast) {
	total := attain.SystemForecast{Seed: SimSeed}
	fs := make([]attain.SystemForecast, gr.n)
	var sims []simDeal
	probs := newProbCache(v, c)
	v.each(func(d *deal) {
		if !v.inScope(d) {
			return
		}
		if d.status == statusWon && v.ownedBy(d.creditOwner) && s.has(d.closedAt) {
			total.Won += d.amount
			for _, g := range gr.get(d.creditOwner) {
				fs[g].Won += d.amount
			}
			return
		}
		if d.status != statusOpen || !v.ownedBy(d.owner) || !v.inPeriodOpen(d, s) {
			return
		}
		cat := categories[v.category(d)]
		if cat == attain.ForecastOmitted {
			return
		}
		w := d.amount * int64(v.stage(d).prob) / 100
		add := func(f *attain.SystemForecast) {
			f.Weighted += w
			f.OpenDeals++
			switch cat {
			case attain.ForecastCommit:
				f.Commit += d.amount
			case attain.ForecastBestCase:
				f.BestCase += d.amount
			default:
				f.Pipeline += d.amount
			}
		}
		add(&total)
		for _, g := range gr.get(d.owner) {
			add(&fs[g])
		}
		p := probs.get(d)
		sims = append(grow(sims), simDeal{id: d.id, amount: d.amount, p: uint32(min(p*(1<<32), (1<<32)-1)), owner: d.owner})
	})
	// The order of deals in the model depends on its history of updates;
	// simulate in id order so the same data always gives the same range.
	slices.SortFunc(sims, func(a, b simDeal) int { return int(a.id - b.id) })
	if len(sims) > simBudget/minIterations {
		// One pass sums each group's mean and variance.
		mu, variance := make([]float64, gr.n+1), make([]float64, gr.n+1)
		for _, sd := range sims {
			p := float64(sd.p) / (1 << 32)
			a := float64(sd.amount)
			m, v := p*a, p*(1-p)*a*a
			mu[gr.n] += m
			variance[gr.n] += v
			for _, g := range gr.get(sd.owner) {
				mu[g] += m
				variance[g] += v
			}
		}
		normal := func(f *attain.SystemForecast, mu, variance float64) {
			sigma := math.Sqrt(variance)
			f.Period, f.Seed, f.Iterations, f.Method = "", 0, 0, attain.ForecastNormal
			f.Weighted += f.Won
			f.P10 = f.Won + int64(math.Max(0, math.Round(mu-z10*sigma)))
			f.P50 = f.Won + int64(math.Round(mu))
			f.P90 = f.Won + int64(math.Round(mu+z10*sigma))
		}
		normal(&total, mu[gr.n], variance[gr.n])
		for g := range fs {
			normal(&fs[g], mu[g], variance[g])
		}
		return total, fs
	}
	iters := SimIterations
	if n := len(sims); n > 0 && n*iters > simBudget {
		iters = max(minIterations, simBudget/n)
	}
	totals := make([]int64, iters)
	groupSums := make([][]int64, gr.n)
	for g := range groupSums {
		groupSums[g] = make([]int64, iters)
	}
	won := func(sd *simDeal, it int) int64 {
		for _, g := range gr.get(sd.owner) {
			groupSums[g][it] += sd.amount
		}
		return sd.amount
	}
	rng := rand.New(rand.NewPCG(SimSeed, uint64(len(sims))))
	for it := 0; it < iters; it++ {
		var sum int64
		for j := 0; j < len(sims); j += 2 {
			r := rng.Uint64()
			if uint32(r) < sims[j].p {
				sum += won(&sims[j], it)
			}
			if k := j + 1; k < len(sims) && uint32(r>>32) < sims[k].p {
				sum += won(&sims[k], it)
			}
		}
		totals[it] = sum
	}
	finish := func(f *attain.SystemForecast, sums []int64) {
		f.Period, f.Seed, f.Iterations, f.Method = "", SimSeed, iters, attain.ForecastSimulation
		f.Weighted += f.Won
		slices.Sort(sums)
		f.P10 = f.Won + quantile(sums, 0.10)
		f.P50 = f.Won + quantile(sums, 0.50)
		f.P90 = f.Won + quantile(sums, 0.90)
	}
	finish(&total, totals)
	for g := range fs {
		finish(&fs[g], groupSums[g])
	}
	return total, fs
}

// quantile returns the q-quantile of sorted xs by the nearest-rank rule
// (the value at rank ceil(q·n)).
func quantile(xs []int64, q float64) int64 {
	if len(xs) == 0 {
		return 0
	}
	r := int(q*float64(len(xs))+0.999999) - 1
	return xs[min(max(r, 0), len(xs)-1)]
}

// calibration returns the model's calibration for the configured stages,
// measuring it on first use.
func (v *view) calibration() *calibration {
	var b strings.Builder
	b.WriteString("calibration:")
	for _, s := range v.cfg.Stages {
		fmt.Fprintf(&b, "%d:%s;", s.ID, s.Outcome)
	}
	return v.m.derive(b.String(), func() deriver { return v.calibrate() }).(*calibration)
}

// Forecast computes the system forecast of a scope for a period.
func Forecast(m *Model, cfg *Config, sc Scope, p attain.Period) attain.SystemForecast {
	v := newView(m, cfg, sc)
	f, _ := v.forecastGroups(spanOf(p), v.calibration(), groups{})
	f.Period = p.Key
	return f
}

// ForecastByRep computes the system forecast of each rep in one pass and
// one simulation (the same draws as the company's, split by owner).
func ForecastByRep(m *Model, cfg *Config, reps []int64, p attain.Period) []attain.SystemForecast {
	v := newView(m, cfg, Scope{Owners: reps})
	lists := make([][]int64, len(reps))
	for g, u := range reps {
		lists[g] = []int64{u}
	}
	_, fs := v.forecastGroups(spanOf(p), v.calibration(), newGroups(m, lists))
	for i := range fs {
		fs[i].Period = p.Key
	}
	return fs
}

// Won returns the amount won in the period by deals credited to the owners
// (nil: everyone).
func Won(m *Model, cfg *Config, owners []int64, p attain.Period) int64 {
	v := newView(m, cfg, Scope{Owners: owners})
	s := spanOf(p)
	var won int64
	v.each(func(d *deal) {
		if d.status == statusWon && v.inScope(d) && v.ownedBy(d.creditOwner) && s.has(d.closedAt) {
			won += d.amount
		}
	})
	return won
}
