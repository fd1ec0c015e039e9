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

// calibration holds the measured rates, by interned stage and owner.
type calibration struct {
	stage map[int32]*[len(ageBounds)]rate
	rep   map[[2]int32]rate
	slip  map[int32]rate
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
	c := &calibration{stage: map[int32]*[len(ageBounds)]rate{}, rep: map[[2]int32]rate{}, slip: map[int32]rate{}}
	for i := range v.m.deals {
		d := &v.m.deals[i]
		closed := d.status != statusOpen
		won := 0.0
		if d.status == statusWon {
			won = 1
		}
		for _, h := range d.hist {
			si := &v.stages[h.stage]
			if !si.ok || si.outcome != statusOpen {
				continue
			}
			end := h.exited
			if end == 0 {
				end = v.now
			}
			sr := c.slip[h.stage]
			sr.n++
			for _, sl := range d.slips {
				if sl.at >= h.entered && sl.at < end && sl.new > sl.old {
					sr.wins++
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
					buckets[b].n++
					buckets[b].wins += won
				}
			}
			k := [2]int32{d.creditOwner, h.stage}
			r := c.rep[k]
			r.n++
			r.wins += won
			c.rep[k] = r
		}
	}
	return c
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

// simDeal is an open deal in a simulation.
type simDeal struct {
	id     int64
	amount int64
	p      uint32 // probability scaled to 2^32
	group  int32
}

// forecastGroups computes the system forecast of the scope for the period,
// in total and for each group (groupOf returns the group of a deal's
// owner, or -1 for none).
func (v *view) forecastGroups(s span, c *calibration, groupOf func(owner int32) int32, nGroups int) (attain.SystemForecast, []attain.SystemForecast) {
	total := attain.SystemForecast{Seed: SimSeed}
	groups := make([]attain.SystemForecast, nGroups)
	var sims []simDeal
	v.each(func(d *deal) {
		if !v.inScope(d) {
			return
		}
		if d.status == statusWon && v.ownedBy(d.creditOwner) && s.has(d.closedAt) {
			total.Won += d.amount
			if g := groupOf(d.creditOwner); g >= 0 {
				groups[g].Won += d.amount
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
		g := groupOf(d.owner)
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
		if g >= 0 {
			add(&groups[g])
		}
		p := c.winProbability(v, d)
		sims = append(sims, simDeal{id: d.id, amount: d.amount, p: uint32(min(p*(1<<32), (1<<32)-1)), group: g})
	})
	// The order of deals in the model depends on its history of updates;
	// simulate in id order so the same data always gives the same range.
	slices.SortFunc(sims, func(a, b simDeal) int { return int(a.id - b.id) })
	if len(sims) > simBudget/minIterations {
		normal := func(f *attain.SystemForecast, pick func(simDeal) bool) {
			var mu, variance float64
			for _, sd := range sims {
				if pick(sd) {
					p := float64(sd.p) / (1 << 32)
					a := float64(sd.amount)
					mu += p * a
					variance += p * (1 - p) * a * a
				}
			}
			sigma := math.Sqrt(variance)
			f.Period, f.Seed, f.Iterations, f.Method = "", 0, 0, attain.ForecastNormal
			f.Weighted += f.Won
			f.P10 = f.Won + int64(math.Max(0, math.Round(mu-z10*sigma)))
			f.P50 = f.Won + int64(math.Round(mu))
			f.P90 = f.Won + int64(math.Round(mu+z10*sigma))
		}
		normal(&total, func(simDeal) bool { return true })
		for g := range groups {
			normal(&groups[g], func(sd simDeal) bool { return sd.group == int32(g) })
		}
		return total, groups
	}
	iters := SimIterations
	if n := len(sims); n > 0 && n*iters > simBudget {
		iters = max(minIterations, simBudget/n)
	}
	totals := make([]int64, iters)
	groupSums := make([][]int64, nGroups)
	for g := range groupSums {
		groupSums[g] = make([]int64, iters)
	}
	rng := rand.New(rand.NewPCG(SimSeed, uint64(len(sims))))
	for it := 0; it < iters; it++ {
		var sum int64
		for j := 0; j < len(sims); j += 2 {
			r := rng.Uint64()
			if uint32(r) < sims[j].p {
				sum += sims[j].amount
				if g := sims[j].group; g >= 0 {
					groupSums[g][it] += sims[j].amount
				}
			}
			if k := j + 1; k < len(sims) && uint32(r>>32) < sims[k].p {
				sum += sims[k].amount
				if g := sims[k].group; g >= 0 {
					groupSums[g][it] += sims[k].amount
				}
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
	for g := range groups {
		finish(&groups[g], groupSums[g])
	}
	return total, groups
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
// measuring it on first use after a change.
func (v *view) calibration() *calibration {
	var b strings.Builder
	for _, s := range v.cfg.Stages {
		fmt.Fprintf(&b, "%d:%d:%s;", s.ID, s.Probability, s.Outcome)
	}
	key := b.String()
	v.m.cacheMu.Lock()
	defer v.m.cacheMu.Unlock()
	if v.m.calib == nil || v.m.calibKey != key {
		v.m.calib, v.m.calibKey = v.calibrate(), key
	}
	return v.m.calib
}

// Forecast computes the system forecast of a scope for a period.
func Forecast(m *Model, cfg *Config, sc Scope, p attain.Period) attain.SystemForecast {
	v := newView(m, cfg, sc)
	f, _ := v.forecastGroups(spanOf(p), v.calibration(), func(int32) int32 { return -1 }, 0)
	f.Period = p.Key
	return f
}

// ForecastByRep computes the system forecast of each rep in one pass and
// one simulation (the same draws as the company's, split by owner).
func ForecastByRep(m *Model, cfg *Config, reps []int64, p attain.Period) []attain.SystemForecast {
	v := newView(m, cfg, Scope{Owners: reps})
	group := map[int32]int32{}
	for g, u := range reps {
		if i, ok := m.lookup(u); ok {
			group[i] = int32(g)
		}
	}
	_, fs := v.forecastGroups(spanOf(p), v.calibration(), func(o int32) int32 {
		if g, ok := group[o]; ok {
			return g
		}
		return -1
	}, len(reps))
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
