package service

import (
	"context"
	"slices"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/analytics"
	"github.com/attain-crm/attain/store"
)

// SnapshotForecasts takes this week's snapshot of a workspace: the latest
// forecast of every rep, team and the company for the current fiscal
// quarter, and the open pipeline by owner, stage and forecast category. It
// is idempotent per week: once a week's snapshot is taken, later calls that
// week change nothing and report AlreadyTaken.
func (s *Service) SnapshotForecasts(ctx context.Context, workspaceID int64) (*attain.SnapshotResult, error) {
	a := attain.SystemActor(workspaceID)
	var res attain.SnapshotResult
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		o, err := loadOrg(ctx, tx, a)
		if err != nil {
			return err
		}
		today := attain.DateOf(tx.Now.UTC())
		q := o.cal.QuarterOf(today)
		res.WeekStart, res.Period = attain.WeekStart(today), q.Key
		claimed, err := tx.ClaimSnapshotWeek(ctx, workspaceID, res.WeekStart, q.Key)
		if err != nil || !claimed {
			res.AlreadyTaken = !claimed
			return err
		}
		subs, err := tx.LatestSubmissions(ctx, workspaceID, q.Key)
		if err != nil {
			return err
		}
		if len(subs) > 0 {
			if res.Forecasts, err = snapshotForecasts(ctx, tx, o, workspaceID, q, today, res.WeekStart, latestSubmissions(subs)); err != nil {
				return err
			}
		}
		res.Pipeline, err = tx.SnapshotPipeline(ctx, workspaceID, res.WeekStart)
		return err
	})
	return &res, err
}

func snapshotForecasts(ctx context.Context, tx *store.Tx, o *org, workspaceID int64, q attain.Period, today, weekStart attain.Date, l latest) (int, error) {
	base := store.ForecastSnapshot{WeekStart: weekStart, Period: q.Key, Week: q.Week(today), Currency: o.plan.Currency}
	var n int
	put := func(s store.ForecastSnapshot, sub *attain.ForecastSubmission, r *attain.ForecastRollup) error {
		if sub != nil {
			s.SubmissionID, s.Commit, s.BestCase, s.Currency = &sub.ID, sub.Commit, sub.BestCase, sub.Currency
		} else {
			s.Commit, s.BestCase = r.SumCommit, r.SumBestCase
		}
		n++
		return tx.InsertForecastSnapshot(ctx, workspaceID, s)
	}
	users := make([]int64, 0, len(l.rep))
	for u := range l.rep {
		users = append(users, u)
	}
	slices.Sort(users)
	for _, u := range users {
		s := base
		s.Scope, s.UserID = attain.ScopeRep, &u
		if err := put(s, l.rep[u], nil); err != nil {
			return n, err
		}
	}
	for _, t := range o.order {
		s := base
		id := t.ID
		s.Scope, s.TeamID = attain.ScopeTeam, &id
		if err := put(s, l.team[id], o.rollup(q.Key, id, l, 0)); err != nil {
			return n, err
		}
	}
	s := base
	s.Scope = attain.ScopeCompany
	return n, put(s, l.company, o.rollup(q.Key, 0, l, 0))
}

// SnapshotAll takes this week's snapshot of every workspace (see
// SnapshotForecasts); the weekly job calls it. It returns how many
// workspaces got a new snapshot.
func (s *Service) SnapshotAll(ctx context.Context) (int, error) {
	var ids []int64
	if err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		ids, err = tx.SnapshotWorkspaceIDs(ctx)
		return err
	}); err != nil {
		return 0, err
	}
	var taken int
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return taken, err
		}
		res, err := s.SnapshotForecasts(ctx, id)
		if err != nil {
			return taken, err
		}
		// The system forecast is snapshotted beside people's (analytics).
		if err := s.SnapshotSystemForecast(ctx, id); err != nil {
			return taken, err
		}
		if !res.AlreadyTaken {
			taken++
		}
	}
	return taken, nil
}

// PipelineSnapshot returns the pipeline snapshot rows of the week of day
// week (this week when zero) that the actor may see (by owner).
func (s *Service) PipelineSnapshot(ctx context.Context, a *attain.Actor, week attain.Date) ([]*attain.PipelineSnapshotRow, error) {
	var out []*attain.PipelineSnapshotRow
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		o, err := loadOrg(ctx, tx, a)
		if err != nil {
			return err
		}
		if week.IsZero() {
			week = attain.DateOf(tx.Now.UTC())
		}
		rows, err := tx.FindPipelineSnapshots(ctx, a.WorkspaceID, attain.WeekStart(week))
		if err != nil {
			return err
		}
		out = []*attain.PipelineSnapshotRow{}
		for _, r := range rows {
			if o.canSeeUser(a, r.OwnerID) {
				out = append(out, r)
			}
		}
		return nil
	})
	return out, err
}

// ForecastAccuracy measures each weekly snapshot of the forecasts the actor
// may see against the amount actually won in its quarter: reps their own,
// managers their people and teams, admins all. Over several quarters the
// points are a trend; ByWeek averages them by week of the quarter.
func (s *Service) ForecastAccuracy(ctx context.Context, a *attain.Actor, f attain.AccuracyFilter) (*attain.ForecastAccuracy, error) {
	if f.Quarters == 0 {
		f.Quarters = 1
	}
	if f.Quarters < 1 || f.Quarters > 12 {
		return nil, attain.Invalid("quarters", "must be from 1 to 12")
	}
	var (
		o        *org
		quarters []attain.Period
		snaps    []*store.ForecastSnapshot
		today    attain.Date
	)
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		var err error
		if o, err = loadOrg(ctx, tx, a); err != nil {
			return err
		}
		p, err := o.period(tx, f.Period)
		if err != nil {
			return err
		}
		if p.Kind != attain.PeriodQuarter {
			return attain.Invalid("period", "must be a quarter (2026-Q3): forecasts are snapshotted by week of quarter")
		}
		quarters = []attain.Period{p}
		for len(quarters) < f.Quarters {
			quarters = append([]attain.Period{o.cal.Prev(quarters[0])}, quarters...)
		}
		keys := make([]string, len(quarters))
		for i, q := range quarters {
			keys[i] = q.Key
		}
		today = attain.DateOf(tx.Now.UTC())
		snaps, err = tx.FindForecastSnapshots(ctx, a.WorkspaceID, keys)
		return err
	})
	if err != nil {
		return nil, err
	}
	// What was won is credited as attainment credits it, to the owner at
	// the time of the win, from the analytics model (read after the
	// transaction: a catch-up may read the database).
	won := map[string]map[int64]int64{}
	final := map[string]bool{}
	if err := s.analytics.View(ctx, a.WorkspaceID, func(m *analytics.Model) error {
		for _, q := range quarters {
			final[q.Key] = q.End.Before(today)
			won[q.Key] = analytics.WonByOwner(m, o.plan.Currency, q)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	out := &attain.ForecastAccuracy{Currency: o.plan.Currency, Points: []*attain.AccuracyPoint{}, ByWeek: []*attain.AccuracyWeek{},
		ByQuarter: []*attain.AccuracyQuarter{}}
	weeks := map[int]*attain.AccuracyWeek{}
	byQuarter := map[string]*attain.AccuracyQuarter{}
	qSums := map[string]int64{}
	for _, q := range quarters {
		aq := &attain.AccuracyQuarter{Period: q.Key, Final: final[q.Key]}
		byQuarter[q.Key] = aq
		out.ByQuarter = append(out.ByQuarter, aq)
	}
	for _, sn := range snaps {
		if sn.Currency != o.plan.Currency || !o.pointVisible(a, sn, f) {
			continue
		}
		pt := &attain.AccuracyPoint{Period: sn.Period, Week: sn.Week, WeekStart: sn.WeekStart, Scope: sn.Scope,
			UserID: sn.UserID, TeamID: sn.TeamID, Commit: sn.Commit, BestCase: sn.BestCase, Final: final[sn.Period]}
		w := won[sn.Period]
		switch sn.Scope {
		case attain.ScopeRep:
			pt.Actual = w[*sn.UserID]
		case attain.ScopeTeam:
			for _, u := range o.people(*sn.TeamID) {
				pt.Actual += w[u]
			}
		case attain.ScopeCompany:
			for _, v := range w {
				pt.Actual += v
			}
		}
		pt.Error = pt.Commit - pt.Actual
		if pt.Actual != 0 {
			bp := attain.ErrorBP(pt.Error, pt.Actual)
			pt.ErrorBP = &bp
			aw := weeks[pt.Week]
			if aw == nil {
				aw = &attain.AccuracyWeek{Week: pt.Week}
				weeks[pt.Week] = aw
			}
			aw.MeanErrorBP += bp // a sum until divided below
			aw.Points++
			if aq := byQuarter[pt.Period]; aq != nil {
				aq.Points++
				qSums[pt.Period] += bp
			}
		}
		out.Points = append(out.Points, pt)
	}
	for _, aw := range weeks {
		aw.MeanErrorBP = (aw.MeanErrorBP + int64(aw.Points)/2) / int64(aw.Points)
		out.ByWeek = append(out.ByWeek, aw)
	}
	slices.SortFunc(out.ByWeek, func(x, y *attain.AccuracyWeek) int { return x.Week - y.Week })
	for _, aq := range out.ByQuarter {
		if aq.Points > 0 {
			mean := (qSums[aq.Period] + int64(aq.Points)/2) / int64(aq.Points)
			aq.MeanErrorBP = &mean
		}
	}
	return out, nil
}

// pointVisible reports whether the filter asks for a snapshot and the actor
// may see it; a filter naming someone the actor may not see matches nothing.
func (o *org) pointVisible(a *attain.Actor, sn *store.ForecastSnapshot, f attain.AccuracyFilter) bool {
	switch {
	case f.UserID != nil && (sn.Scope != attain.ScopeRep || *sn.UserID != *f.UserID):
		return false
	case f.TeamID != nil && (sn.Scope != attain.ScopeTeam || *sn.TeamID != *f.TeamID):
		return false
	}
	switch sn.Scope {
	case attain.ScopeRep:
		return o.canSeeUser(a, *sn.UserID)
	case attain.ScopeTeam:
		return o.managed[*sn.TeamID]
	}
	return a.SeesAll()
}

// TakeSnapshot takes this week's snapshot of the actor's workspace now,
// rather than waiting for the job; admins only. It is idempotent per week.
func (s *Service) TakeSnapshot(ctx context.Context, a *attain.Actor) (*attain.SnapshotResult, error) {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return nil, err
	}
	return s.SnapshotForecasts(ctx, a.WorkspaceID)
}
