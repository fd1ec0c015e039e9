package service

import (
	"context"
	"slices"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// ForecastPrefill returns what a rep's deals say for a period: won so far,
// commit and best case. Reps read their own, managers their people's.
func (s *Service) ForecastPrefill(ctx context.Context, a *attain.Actor, period string, userID int64) (*attain.ForecastPrefill, error) {
	var out *attain.ForecastPrefill
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		o, err := loadOrg(ctx, tx, a)
		if err != nil {
			return err
		}
		p, err := o.period(tx, period)
		if err != nil {
			return err
		}
		if o.members[userID] == nil || !o.canSeeUser(a, userID) {
			return attain.Errorf(attain.ENOTFOUND, "User not found.")
		}
		out, err = prefill(ctx, tx, o, a.WorkspaceID, p, userID)
		return err
	})
	return out, err
}

func prefill(ctx context.Context, tx *store.Tx, o *org, workspaceID int64, p attain.Period, userID int64) (*attain.ForecastPrefill, error) {
	deals, currencies, err := tx.ForecastDeals(ctx, workspaceID, userID, p.Start, p.End)
	if err != nil {
		return nil, err
	}
	out := &attain.ForecastPrefill{Period: p.Key, UserID: userID, Currency: o.plan.Currency, Deals: []*attain.ForecastDeal{}}
	var commit, best int64
	for i, d := range deals {
		if currencies[i] != out.Currency {
			out.OtherCurrencyDeals++
			continue
		}
		out.Deals = append(out.Deals, d)
		switch {
		case d.Status == attain.DealWon:
			out.Won += d.Amount
		case d.ForecastCategory == "commit":
			commit += d.Amount
		case d.ForecastCategory == "best_case":
			best += d.Amount
		case d.ForecastCategory == "pipeline":
			out.Pipeline += d.Amount
		}
	}
	out.Commit = out.Won + commit
	out.BestCase = out.Commit + best
	return out, nil
}

// SubmitForecast records a forecast: a rep's own, pre-filled from their
// deals where they give no figure; a manager's adjusted call for a team they
// manage, or an admin's for the company, pre-filled from the roll-up and
// always with a reason. Every submission is kept.
func (s *Service) SubmitForecast(ctx context.Context, a *attain.Actor, in attain.ForecastInput) (*attain.ForecastSubmission, error) {
	if a.System {
		return nil, attain.Errorf(attain.EFORBIDDEN, "Only a member submits a forecast.")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out *attain.ForecastSubmission
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		o, err := loadOrg(ctx, tx, a)
		if err != nil {
			return err
		}
		p, err := o.cal.ParsePeriod("period", in.Period)
		if err != nil {
			return err
		}
		sub := &attain.ForecastSubmission{Period: p.Key, PeriodStart: p.Start, PeriodEnd: p.End, Scope: in.Scope,
			UserID: a.UserID, TeamID: in.TeamID, Currency: o.plan.Currency, Comment: in.Comment}
		switch in.Scope {
		case attain.ScopeRep:
			pf, err := prefill(ctx, tx, o, a.WorkspaceID, p, a.UserID)
			if err != nil {
				return err
			}
			sub.PrefillCommit, sub.PrefillBestCase = pf.Commit, pf.BestCase
		case attain.ScopeTeam:
			if o.teams[*in.TeamID] == nil {
				return attain.Invalid("team_id", "is not a team of this workspace")
			}
			if !o.managed[*in.TeamID] {
				return attain.Errorf(attain.EFORBIDDEN, "You can only call the forecast of teams you manage.")
			}
			fallthrough
		case attain.ScopeCompany:
			if in.Scope == attain.ScopeCompany && !a.SeesAll() {
				return attain.Errorf(attain.EFORBIDDEN, "Only admins call the company's forecast.")
			}
			subs, err := tx.LatestSubmissions(ctx, a.WorkspaceID, p.Key)
			if err != nil {
				return err
			}
			var team int64
			if in.TeamID != nil {
				team = *in.TeamID
			}
			r := o.rollup(p.Key, team, latestSubmissions(subs), 0)
			sub.PrefillCommit, sub.PrefillBestCase = r.SumCommit, r.SumBestCase
		}
		sub.Commit, sub.BestCase = sub.PrefillCommit, sub.PrefillBestCase
		if in.Commit != nil {
			sub.Commit = *in.Commit
		}
		if in.BestCase != nil {
			sub.BestCase = *in.BestCase
		}
		if sub.BestCase < sub.Commit {
			if in.BestCase != nil {
				return attain.Invalid("best_case", "must be at least the commit")
			}
			sub.BestCase = sub.Commit // a commit raised above the pre-filled best case
		}
		if out, err = tx.CreateSubmission(ctx, a.WorkspaceID, sub); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "create", "forecast_submission", out.ID, nil, out)
	})
	return out, err
}

// ForecastSubmissions lists submissions the actor may see, oldest first:
// reps their own, managers their people's and their teams' calls, admins all.
func (s *Service) ForecastSubmissions(ctx context.Context, a *attain.Actor, f attain.ForecastFilter) ([]*attain.ForecastSubmission, error) {
	var out []*attain.ForecastSubmission
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		o, err := loadOrg(ctx, tx, a)
		if err != nil {
			return err
		}
		if f.Period, err = o.periodFilter(f.Period); err != nil {
			return err
		}
		out, err = tx.FindSubmissions(ctx, a.WorkspaceID, f, o.access(a))
		return err
	})
	return out, err
}

// latest maps each forecast slot to its newest submission.
type latest struct {
	rep     map[int64]*attain.ForecastSubmission // by user
	team    map[int64]*attain.ForecastSubmission // by team
	company *attain.ForecastSubmission
}

// latestSubmissions keeps the newest submission of each slot; subs come
// oldest first.
func latestSubmissions(subs []*attain.ForecastSubmission) latest {
	l := latest{rep: map[int64]*attain.ForecastSubmission{}, team: map[int64]*attain.ForecastSubmission{}}
	for _, s := range subs {
		switch s.Scope {
		case attain.ScopeRep:
			l.rep[s.UserID] = s
		case attain.ScopeTeam:
			l.team[*s.TeamID] = s
		case attain.ScopeCompany:
			l.company = s
		}
	}
	return l
}

// rollup builds a team's roll-up (team 0: the company's): a row per direct
// member with their latest submission, a row per sub-team with its latest
// call or else its own roll-up's sum, and their sums. For the company the
// rows are the top-level teams and the members of no team.
func (o *org) rollup(period string, team int64, l latest, depth int) *attain.ForecastRollup {
	r := &attain.ForecastRollup{Period: period, Currency: o.plan.Currency, Rows: []*attain.ForecastRow{}}
	var users []int64
	if team != 0 {
		id := team
		r.TeamID = &id
		r.Call = l.team[team]
		users = o.teams[team].MemberIDs
	} else {
		r.Call = l.company
		inTeam := map[int64]bool{}
		for _, t := range o.order {
			for _, m := range t.MemberIDs {
				inTeam[m] = true
			}
		}
		for id := range o.members {
			if !inTeam[id] {
				users = append(users, id)
			}
		}
		slices.Sort(users)
	}
	for _, c := range o.children(team) {
		id := c.ID
		row := &attain.ForecastRow{Kind: attain.ScopeTeam, TeamID: &id, Name: c.Name, Submission: l.team[id]}
		if row.Submission != nil {
			row.Commit, row.BestCase = row.Submission.Commit, row.Submission.BestCase
		} else if depth < 32 { // guards against a corrupt hierarchy
			sub := o.rollup(period, id, l, depth+1)
			row.Commit, row.BestCase = sub.SumCommit, sub.SumBestCase
		}
		r.Rows = append(r.Rows, row)
	}
	for _, u := range users {
		id := u
		row := &attain.ForecastRow{Kind: attain.ScopeRep, UserID: &id, Submission: l.rep[id]}
		if m := o.members[id]; m != nil {
			row.Name = m.Name
		}
		if row.Submission != nil {
			row.Commit, row.BestCase = row.Submission.Commit, row.Submission.BestCase
		}
		r.Rows = append(r.Rows, row)
	}
	for _, row := range r.Rows {
		r.SumCommit += row.Commit
		r.SumBestCase += row.BestCase
	}
	return r
}

// ForecastRollup returns a team's forecast roll-up for a period (or, without
// teamID, the company's): each member's and sub-team's latest forecast, the
// sum, and the manager's own call. Managers read the teams they manage,
// admins all.
func (s *Service) ForecastRollup(ctx context.Context, a *attain.Actor, period string, teamID *int64) (*attain.ForecastRollup, error) {
	var out *attain.ForecastRollup
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		o, err := loadOrg(ctx, tx, a)
		if err != nil {
			return err
		}
		p, err := o.period(tx, period)
		if err != nil {
			return err
		}
		var team int64
		if teamID == nil {
			if !a.SeesAll() {
				return attain.Errorf(attain.EFORBIDDEN, "Only admins read the company's forecast.")
			}
		} else {
			if o.teams[*teamID] == nil || !o.managed[*teamID] {
				return attain.Errorf(attain.ENOTFOUND, "Team not found.")
			}
			team = *teamID
		}
		subs, err := tx.LatestSubmissions(ctx, a.WorkspaceID, p.Key)
		if err != nil {
			return err
		}
		out = o.rollup(p.Key, team, latestSubmissions(subs), 0)
		return nil
	})
	return out, err
}
