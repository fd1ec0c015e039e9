package service

import (
	"context"
	"slices"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/analytics"
	"github.com/attain-crm/attain/store"
)

// SnapshotSystemForecast stores this week's system forecast of the current
// fiscal quarter for the company, each team and each member, beside the
// weekly snapshots of people's forecasts; a week already taken is kept.
func (s *Service) SnapshotSystemForecast(ctx context.Context, workspaceID int64) error {
	a := attain.SystemActor(workspaceID)
	r, err := s.loadAnalytics(ctx, a, "", "")
	if err != nil {
		return err
	}
	today := attain.DateOf(r.cfg.Now)
	base := store.SystemSnapshot{WeekStart: attain.WeekStart(today), Period: r.period.Key, Week: r.period.Week(today), Currency: r.cfg.Currency}
	var snaps []store.SystemSnapshot
	put := func(scope string, user, team int64, f attain.SystemForecast) {
		sn := base
		sn.Scope, sn.UserID, sn.TeamID = scope, user, team
		sn.Won, sn.Weighted, sn.P10, sn.P50, sn.P90 = f.Won, f.Weighted, f.P10, f.P50, f.P90
		snaps = append(snaps, sn)
	}
	reps := r.org.people(0)
	err = s.analytics.View(ctx, workspaceID, func(m *analytics.Model) error {
		put(string(attain.ScopeCompany), 0, 0, analytics.Forecast(m, r.cfg, analytics.Scope{}, r.period))
		for _, t := range r.org.order {
			put(string(attain.ScopeTeam), 0, t.ID, analytics.Forecast(m, r.cfg, analytics.Scope{Owners: r.org.people(t.ID)}, r.period))
		}
		for i, f := range analytics.ForecastByRep(m, r.cfg, reps, r.period) {
			put(string(attain.ScopeRep), reps[i], 0, f)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.db.WriteTx(ctx, func(tx *store.Tx) error {
		for _, sn := range snaps {
			if err := tx.InsertSystemSnapshot(ctx, workspaceID, sn); err != nil {
				return err
			}
		}
		return nil
	})
}

// SystemForecastAccuracy measures each weekly snapshot of the system forecast
// of a quarter (this one by default) the actor may see against what was won.
func (s *Service) SystemForecastAccuracy(ctx context.Context, a *attain.Actor, period string) (*attain.SystemAccuracy, error) {
	r, err := s.loadAnalytics(ctx, a, period, "")
	if err != nil {
		return nil, err
	}
	var snaps []store.SystemSnapshot
	if err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		snaps, err = tx.FindSystemSnapshots(ctx, a.WorkspaceID, r.period.Key)
		return err
	}); err != nil {
		return nil, err
	}
	out := &attain.SystemAccuracy{Period: r.period.Key, Currency: r.cfg.Currency, Points: []*attain.SystemAccuracyPoint{}, ByWeek: []*attain.AccuracyWeek{}}
	final := !r.period.EndTime().After(r.cfg.Now)
	err = s.analytics.View(ctx, a.WorkspaceID, func(m *analytics.Model) error {
		actual := map[[2]int64]int64{}
		for _, sn := range snaps {
			var owners []int64
			switch sn.Scope {
			case string(attain.ScopeCompany):
				if !a.SeesAll() {
					continue
				}
			case string(attain.ScopeTeam):
				if r.org.teams[sn.TeamID] == nil || !r.org.managed[sn.TeamID] {
					continue
				}
				owners = r.org.people(sn.TeamID)
			default:
				if !r.org.canSeeUser(a, sn.UserID) {
					continue
				}
				owners = []int64{sn.UserID}
			}
			if sn.Currency != r.cfg.Currency {
				continue
			}
			k := [2]int64{sn.UserID, sn.TeamID}
			if _, ok := actual[k]; !ok {
				actual[k] = analytics.Won(m, r.cfg, owners, r.period)
			}
			p := &attain.SystemAccuracyPoint{Period: sn.Period, Week: sn.Week, WeekStart: sn.WeekStart, Scope: sn.Scope,
				P50: sn.P50, Weighted: sn.Weighted, Actual: actual[k], Final: final}
			if sn.UserID != 0 {
				p.UserID = &sn.UserID
			}
			if sn.TeamID != 0 {
				p.TeamID = &sn.TeamID
			}
			if p.Actual != 0 {
				e, w := attain.ErrorBP(p.P50-p.Actual, p.Actual), attain.ErrorBP(p.Weighted-p.Actual, p.Actual)
				p.ErrorBP, p.WeightedErrorBP = &e, &w
			}
			out.Points = append(out.Points, p)
		}
		return nil
	})
	weeks := map[int]*attain.AccuracyWeek{}
	sums := map[int]int64{}
	for _, p := range out.Points {
		if p.ErrorBP == nil {
			continue
		}
		w := weeks[p.Week]
		if w == nil {
			w = &attain.AccuracyWeek{Week: p.Week}
			weeks[p.Week] = w
			out.ByWeek = append(out.ByWeek, w)
		}
		w.Points++
		sums[p.Week] += *p.ErrorBP
	}
	for _, w := range out.ByWeek {
		w.MeanErrorBP = (sums[w.Week] + int64(w.Points)/2) / int64(w.Points)
	}
	slices.SortFunc(out.ByWeek, func(x, y *attain.AccuracyWeek) int { return x.Week - y.Week })
	return out, err
}
