package demo

import (
	"context"
	"math"
	mrand "math/rand/v2"

	"github.com/attain-crm/attain"
)

// targets sets revenue and bookings targets for every quarter of the
// history and the next one: the company's, split among the teams, and each
// team's split among its reps by their expected output, so attainment varies
// as it does in a real team. The company target is what was won in the
// quarter plus a stretch (or, for quarters still open, the last full
// quarter's plus growth), so the company lands between about 80% and 110%.
// Bookings are the same won amount (analytics.Definitions), so their target
// is drawn the same way from its own stream, a little higher: sales plans
// set the bookings bar above the revenue one.
func (g *gen) targets(ctx context.Context) error {
	r, rb := g.rng(7), g.rng(10)
	first := g.cal.QuarterOf(attain.DateOf(g.from))
	current := g.cal.QuarterOf(attain.DateOf(g.now))
	next := g.cal.QuarterOf(current.End.AddDays(1))
	var last int64 // the last full quarter's won revenue
	for p := first; ; p = g.cal.QuarterOf(p.End.AddDays(1)) {
		won := g.wonByQuarter[p.Key]
		open := p.Key == current.Key || p.Key == next.Key || p.Key == first.Key
		stretch := func(r *mrand.Rand, lo float64) int64 {
			amount := int64(float64(won) * (lo + 0.25*r.Float64()))
			if open {
				amount = int64(float64(last) * (lo + 0.1 + 0.1*r.Float64()))
			}
			return max(amount, 1_000_000) / 100_000 * 100_000 // round thousands
		}
		revenue, bookings := stretch(r, 0.95), stretch(rb, 1.0)
		if p.Key != current.Key && p.Key != first.Key {
			last = max(last, won)
		}
		if err := g.splitTarget(ctx, p.Key, attain.TargetRevenue, revenue); err != nil {
			return err
		}
		if err := g.splitTarget(ctx, p.Key, attain.TargetBookings, bookings); err != nil {
			return err
		}
		if p.Key == next.Key {
			return nil
		}
	}
}

// splitTarget sets one quarter's company target of a kind and splits it to
// teams and reps by weight.
func (g *gen) splitTarget(ctx context.Context, period string, kind attain.TargetKind, amount int64) error {
	weight := func(rp *rep) int64 {
		if rp.hired.After(g.now) {
			return 0
		}
		return int64(math.Round(1000 * rp.activity * rp.winRate * rp.size))
	}
	teamWeights := make([]int64, len(g.teamIDs))
	for _, rp := range g.reps {
		teamWeights[rp.team] += weight(rp)
	}
	in := attain.TargetSplitInput{Method: attain.SplitWeighted, TargetInput: attain.TargetInput{
		TargetKey: attain.TargetKey{Period: period, Kind: kind, Scope: attain.ScopeCompany, Currency: g.currency},
		Amount:    amount, Reason: "Annual plan"}}
	for t, id := range g.teamIDs {
		in.Children = append(in.Children, attain.TargetShare{Scope: attain.ScopeTeam, TeamID: &id, Weight: max(1, teamWeights[t])})
	}
	ts, err := g.svc.SplitTarget(ctx, g.sys, in)
	if err != nil {
		return err
	}
	g.rows["targets"] += int64(len(ts))
	for t, id := range g.teamIDs {
		in := attain.TargetSplitInput{Method: attain.SplitWeighted, TargetInput: attain.TargetInput{
			TargetKey: attain.TargetKey{Period: period, Kind: kind, Scope: attain.ScopeTeam, TeamID: &id, Currency: g.currency},
			Amount:    *ts[1+t].Amount, Reason: "Split by expected output"}}
		for _, rp := range g.reps {
			if rp.team == t {
				in.Children = append(in.Children, attain.TargetShare{Scope: attain.ScopeRep, UserID: &rp.ID, Weight: max(1, weight(rp))})
			}
		}
		rts, err := g.svc.SplitTarget(ctx, g.sys, in)
		if err != nil {
			return err
		}
		g.rows["targets"] += int64(len(rts)) - 1
	}
	return nil
}

// forecasts has every rep submit their forecast for the current quarter,
// from the pre-fill Attain proposes, the optimists above it and the careful
// below, and every manager a team call. Submissions are stamped with the
// time they are made: past quarters' submissions would need back-dating,
// which the forecast service does not offer, so the demo has none.
func (g *gen) forecasts(ctx context.Context) error {
	r := g.rng(8)
	period := g.cal.QuarterOf(attain.DateOf(g.now)).Key
	for _, rp := range g.reps {
		a, err := g.svc.ActorFor(ctx, g.ws.ID, rp.ID)
		if err != nil {
			return err
		}
		pf, err := g.svc.ForecastPrefill(ctx, a, period, rp.ID)
		if err != nil {
			return err
		}
		bias := 0.85 + 0.3*r.Float64()
		commit := pf.Won + int64(float64(pf.Commit)*bias)
		best := commit + int64(float64(pf.BestCase)*bias)
		_, err = g.svc.SubmitForecast(ctx, a, attain.ForecastInput{Period: period, Commit: &commit, BestCase: &best,
			Comment: "Weekly forecast call"})
		if err != nil {
			return err
		}
		g.rows["forecast_submissions"]++
	}
	for t, m := range g.managers {
		a, err := g.svc.ActorFor(ctx, g.ws.ID, m.ID)
		if err != nil {
			return err
		}
		roll, err := g.svc.ForecastRollup(ctx, a, period, &g.teamIDs[t])
		if err != nil {
			return err
		}
		commit, best := roll.SumCommit, roll.SumBestCase
		commit = commit * 95 / 100 // managers shade their team's commit
		_, err = g.svc.SubmitForecast(ctx, a, attain.ForecastInput{Period: period, Scope: attain.ScopeTeam, TeamID: &g.teamIDs[t],
			Commit: &commit, BestCase: &best, Comment: "Team call, adjusted for slippage"})
		if err != nil {
			return err
		}
		g.rows["forecast_submissions"]++
	}
	return nil
}
