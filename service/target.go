package service

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

var (
	_ attain.TargetService   = (*Service)(nil)
	_ attain.ForecastService = (*Service)(nil)
)

// org is what planning reads about a workspace's people in one transaction:
// its settings, teams and members, and which of them the actor manages.
type org struct {
	plan    attain.PlanningSettings
	cal     attain.FiscalCalendar
	teams   map[int64]*attain.Team
	order   []*attain.Team // by name
	members map[int64]*attain.User
	// managed are the teams the actor manages, with every team under them;
	// all teams for admins.
	managed map[int64]bool
}

func loadOrg(ctx context.Context, tx *store.Tx, a *attain.Actor) (*org, error) {
	o, err := readOrg(ctx, tx, a.WorkspaceID)
	if err != nil {
		return nil, err
	}
	return o.forActor(a), nil
}

// readOrg reads a workspace's organisation, with no team managed.
func readOrg(ctx context.Context, tx *store.Tx, workspaceID int64) (*org, error) {
	plan, err := tx.FindPlanning(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	teams, err := tx.FindTeams(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	users, err := tx.FindMembers(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	o := &org{plan: plan, cal: plan.Calendar(), teams: map[int64]*attain.Team{}, order: teams,
		members: map[int64]*attain.User{}, managed: map[int64]bool{}}
	for _, t := range teams {
		o.teams[t.ID] = t
	}
	for _, u := range users {
		o.members[u.ID] = u
	}
	return o, nil
}

// forActor returns the organisation as the actor sees it: a copy sharing
// o's teams and members, with the teams the actor manages.
func (o *org) forActor(a *attain.Actor) *org {
	c := *o
	c.managed = map[int64]bool{}
	for _, t := range o.order {
		if a.SeesAll() || (a.Role.AtLeast(attain.RoleManager) && t.ManagerID != nil && *t.ManagerID == a.UserID) {
			for _, id := range o.subtree(t.ID) {
				c.managed[id] = true
			}
		}
	}
	return &c
}

// children returns the teams directly under team id (0: the top-level teams).
func (o *org) children(id int64) []*attain.Team {
	var out []*attain.Team
	for _, t := range o.order {
		if (id == 0 && t.ParentID == nil) || (t.ParentID != nil && *t.ParentID == id) {
			out = append(out, t)
		}
	}
	return out
}

// subtree returns team id and every team under it.
func (o *org) subtree(id int64) []int64 {
	out := []int64{id}
	for i := 0; i < len(out); i++ {
		for _, c := range o.children(out[i]) {
			if !slices.Contains(out, c.ID) {
				out = append(out, c.ID)
			}
		}
	}
	return out
}

// people returns the members of team id and of every team under it; with id
// 0, every member of the workspace.
func (o *org) people(id int64) []int64 {
	var out []int64
	if id == 0 {
		for uid := range o.members {
			out = append(out, uid)
		}
	} else {
		for _, tid := range o.subtree(id) {
			for _, m := range o.teams[tid].MemberIDs {
				if !slices.Contains(out, m) {
					out = append(out, m)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// access is what the actor may read: everything for admins; their own and
// their teams' people's rep rows and the teams they manage for managers;
// their own for reps.
func (o *org) access(a *attain.Actor) store.TargetAccess {
	if a.SeesAll() {
		return store.TargetAccess{All: true}
	}
	acc := store.TargetAccess{UserIDs: []int64{a.UserID}}
	if a.Role.AtLeast(attain.RoleManager) {
		acc.UserIDs = a.OwnerIDs
		for id := range o.managed {
			acc.TeamIDs = append(acc.TeamIDs, id)
		}
		slices.Sort(acc.TeamIDs)
	}
	return acc
}

// canSeeUser reports whether the actor may read a rep's targets and forecasts.
func (o *org) canSeeUser(a *attain.Actor, userID int64) bool {
	return a.SeesAll() || userID == a.UserID || (a.Role.AtLeast(attain.RoleManager) && slices.Contains(a.OwnerIDs, userID))
}

// canManageUser reports whether the actor may set or approve a rep's
// targets: admins anyone's, managers those of the people of the teams they
// manage, but never their own.
func (o *org) canManageUser(a *attain.Actor, userID int64) bool {
	if a.SeesAll() {
		return true
	}
	if !a.Role.AtLeast(attain.RoleManager) || userID == a.UserID {
		return false
	}
	for id := range o.managed {
		if slices.Contains(o.teams[id].MemberIDs, userID) {
			return true
		}
		if m := o.teams[id].ManagerID; m != nil && *m == userID && o.teams[id].ParentID != nil && o.managed[*o.teams[id].ParentID] {
			return true // the manager of a team under one the actor manages
		}
	}
	return false
}

// checkKey checks that the key names people and teams of the workspace and
// that the actor may set its target; it fills the period and currency.
func (o *org) checkKey(a *attain.Actor, k *attain.TargetKey, field string) (attain.Period, error) {
	p, err := o.cal.ParsePeriod("period", k.Period)
	if err != nil {
		return p, err
	}
	k.Period = p.Key
	if !k.Kind.IsMoney() {
		k.Currency = ""
	} else if k.Currency == "" {
		k.Currency = o.plan.Currency
	}
	switch k.Scope {
	case attain.ScopeCompany:
		if !a.SeesAll() {
			return p, attain.Errorf(attain.EFORBIDDEN, "Only admins set the company's targets.")
		}
	case attain.ScopeTeam:
		if o.teams[*k.TeamID] == nil {
			return p, attain.Invalid(field+"team_id", "is not a team of this workspace")
		}
		if !o.managed[*k.TeamID] {
			return p, attain.Errorf(attain.EFORBIDDEN, "You can only set targets of teams you manage.")
		}
	case attain.ScopeRep:
		if o.members[*k.UserID] == nil {
			return p, attain.Invalid(field+"user_id", "is not a member of this workspace")
		}
		if !o.canManageUser(a, *k.UserID) {
			return p, attain.Errorf(attain.EFORBIDDEN, "You can only set targets of the people in the teams you manage.")
		}
	}
	return p, nil
}

// Planning returns the workspace's fiscal calendar and planning currency.
func (s *Service) Planning(ctx context.Context, a *attain.Actor) (attain.PlanningSettings, error) {
	var p attain.PlanningSettings
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		p, err = tx.FindPlanning(ctx, a.WorkspaceID)
		return err
	})
	return p, err
}

// PlanningView returns the planning settings with the periods around today
// (the transaction's clock) in the workspace's fiscal calendar.
func (s *Service) PlanningView(ctx context.Context, a *attain.Actor) (attain.PlanningView, error) {
	var v attain.PlanningView
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		p, err := tx.FindPlanning(ctx, a.WorkspaceID)
		v = attain.NewPlanningView(p, attain.DateOf(tx.Now.UTC()))
		return err
	})
	return v, err
}

// Calendar returns the workspace's fiscal calendar, for every area that
// reports by period.
func (s *Service) Calendar(ctx context.Context, a *attain.Actor) (attain.FiscalCalendar, error) {
	p, err := s.Planning(ctx, a)
	return p.Calendar(), err
}

// SetPlanning changes the fiscal calendar and planning currency; admins only.
// Targets and submissions keep the dates they were made for.
func (s *Service) SetPlanning(ctx context.Context, a *attain.Actor, in attain.PlanningSettings) (attain.PlanningSettings, error) {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return in, err
	}
	if err := in.Validate(); err != nil {
		return in, err
	}
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := tx.FindPlanning(ctx, a.WorkspaceID)
		if err != nil {
			return err
		}
		if err := tx.SetPlanning(ctx, a.WorkspaceID, in); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "update", "planning", a.WorkspaceID, before, in)
	})
	return in, err
}

// Targets lists the targets the actor may see: admins all, managers those of
// the teams they manage and their people, reps their own.
func (s *Service) Targets(ctx context.Context, a *attain.Actor, f attain.TargetFilter) ([]*attain.Target, error) {
	var out []*attain.Target
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		o, err := loadOrg(ctx, tx, a)
		if err != nil {
			return err
		}
		if f.Period, err = o.periodFilter(f.Period); err != nil {
			return err
		}
		out, err = tx.FindTargets(ctx, a.WorkspaceID, f, o.access(a))
		return err
	})
	return out, err
}

// FindTarget returns one target the actor may see.
func (s *Service) FindTarget(ctx context.Context, a *attain.Actor, id int64) (*attain.Target, error) {
	var t *attain.Target
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		o, err := loadOrg(ctx, tx, a)
		if err != nil {
			return err
		}
		t, err = findVisibleTarget(ctx, tx, o, a, id)
		return err
	})
	return t, err
}

func findVisibleTarget(ctx context.Context, tx *store.Tx, o *org, a *attain.Actor, id int64) (*attain.Target, error) {
	t, err := tx.FindTarget(ctx, a.WorkspaceID, id)
	if err != nil {
		return nil, err
	}
	acc := o.access(a)
	if acc.All || (t.UserID != nil && slices.Contains(acc.UserIDs, *t.UserID)) || (t.TeamID != nil && slices.Contains(acc.TeamIDs, *t.TeamID)) {
		return t, nil
	}
	return nil, attain.Errorf(attain.ENOTFOUND, "Target not found.")
}

// TargetHistory lists every recorded change of a target the actor may see.
func (s *Service) TargetHistory(ctx context.Context, a *attain.Actor, id int64) ([]*attain.FieldChange, error) {
	var out []*attain.FieldChange
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		o, err := loadOrg(ctx, tx, a)
		if err != nil {
			return err
		}
		if _, err := findVisibleTarget(ctx, tx, o, a, id); err != nil {
			return err
		}
		out, err = tx.FindChanges(ctx, a.WorkspaceID, "target", id)
		return err
	})
	return out, err
}

// SetTarget sets one target top-down; admins any, managers their teams' and
// their people's. A rep's ramp, if any, is applied to the amount.
func (s *Service) SetTarget(ctx context.Context, a *attain.Actor, in attain.TargetInput) (*attain.Target, error) {
	if err := a.Require(attain.RoleManager); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var t *attain.Target
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		o, err := loadOrg(ctx, tx, a)
		if err != nil {
			return err
		}
		p, err := o.checkKey(a, &in.TargetKey, "")
		if err != nil {
			return err
		}
		t, err = setTarget(ctx, tx, a, p, in.TargetKey, in.Amount, attain.TargetSourceSet, in.Reason)
		return err
	})
	return t, err
}

// setTarget writes one approved target into slot k, applying the rep's ramp,
// and records the change.
func setTarget(ctx context.Context, tx *store.Tx, a *attain.Actor, p attain.Period, k attain.TargetKey, amount int64, source, reason string) (*attain.Target, error) {
	before, err := tx.FindTargetByKey(ctx, a.WorkspaceID, k)
	if err != nil {
		return nil, err
	}
	t := &attain.Target{Period: p.Key, PeriodStart: p.Start, PeriodEnd: p.End, Kind: k.Kind, ActivityType: k.ActivityType,
		Scope: k.Scope, TeamID: k.TeamID, UserID: k.UserID}
	if before != nil {
		c := *before
		t = &c
	}
	t.Currency, t.Status, t.Source, t.Reason = k.Currency, attain.TargetApproved, source, reason
	t.Amount, t.FullAmount, t.RampBP = &amount, nil, nil
	if !a.System {
		t.ApprovedBy = &a.UserID
	}
	if k.Scope == attain.ScopeRep {
		ramp, err := tx.FindRamp(ctx, a.WorkspaceID, *k.UserID)
		if err != nil {
			return nil, err
		}
		if ramp != nil {
			if bp := ramp.ShareBP(p); bp != attain.BasisPoints {
				full, ramped := amount, attain.ApplyBP(amount, bp)
				t.FullAmount, t.RampBP, t.Amount = &full, &bp, &ramped
			}
		}
	}
	return saveTarget(ctx, tx, a, before, t)
}

// saveTarget creates or updates t and records the change in the history and
// the audit log.
func saveTarget(ctx context.Context, tx *store.Tx, a *attain.Actor, before, t *attain.Target) (after *attain.Target, err error) {
	action := "create"
	if before == nil {
		after, err = tx.CreateTarget(ctx, a.WorkspaceID, t)
	} else {
		action = "update"
		after, err = tx.UpdateTarget(ctx, a.WorkspaceID, t, before.Version)
	}
	if err != nil {
		return nil, err
	}
	var old *attain.Target
	if before != nil {
		old = before.Tracked()
	}
	if err := tx.RecordChanges(ctx, a, "target", after.ID, old, after.Tracked()); err != nil {
		return nil, err
	}
	var auditBefore any
	if before != nil {
		auditBefore = before
	}
	return after, tx.Audit(ctx, a, action, "target", after.ID, auditBefore, after)
}

// SplitTarget sets a company or team target and splits it among its
// children, evenly or by weight, in one transaction. It returns the parent
// target first, then each child's.
func (s *Service) SplitTarget(ctx context.Context, a *attain.Actor, in attain.TargetSplitInput) ([]*attain.Target, error) {
	if err := a.Require(attain.RoleManager); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out []*attain.Target
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		o, err := loadOrg(ctx, tx, a)
		if err != nil {
			return err
		}
		p, err := o.checkKey(a, &in.TargetKey, "")
		if err != nil {
			return err
		}
		var parentTeam int64
		if in.TeamID != nil {
			parentTeam = *in.TeamID
		}
		children := in.Children
		if len(children) == 0 {
			children = o.defaultShares(parentTeam)
		}
		if len(children) == 0 {
			return attain.Invalid("children", "there is no team or member to split the target among")
		}
		within := o.subtree(parentTeam)
		people := o.people(parentTeam)
		var v attain.Validation
		weights := make([]int64, len(children))
		for i, c := range children {
			f := "children[" + strconv.Itoa(i) + "]"
			weights[i] = 1
			if in.Method == attain.SplitWeighted {
				weights[i] = c.Weight
			}
			switch c.Scope {
			case attain.ScopeTeam:
				if o.teams[*c.TeamID] == nil || (parentTeam != 0 && (*c.TeamID == parentTeam || !slices.Contains(within, *c.TeamID))) {
					v.Add(f+".team_id", "is not a team under the one being split")
				}
			case attain.ScopeRep:
				if o.members[*c.UserID] == nil || (parentTeam != 0 && !slices.Contains(people, *c.UserID)) {
					v.Add(f+".user_id", "is not a member of the team being split")
				}
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		parent, err := setTarget(ctx, tx, a, p, in.TargetKey, in.Amount, attain.TargetSourceSet, in.Reason)
		if err != nil {
			return err
		}
		out = append(out, parent)
		reason := in.Reason
		if reason == "" {
			reason = "Split of the " + string(in.Scope) + " target."
		}
		for i, share := range attain.SplitAmount(in.Amount, weights) {
			c := children[i]
			k := in.TargetKey
			k.Scope, k.TeamID, k.UserID = c.Scope, c.TeamID, c.UserID
			if _, err := o.checkKey(a, &k, "children["+strconv.Itoa(i)+"]."); err != nil {
				return err
			}
			t, err := setTarget(ctx, tx, a, p, k, share, attain.TargetSourceSplit, reason)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return nil
	})
	return out, err
}

// defaultShares are who a target is split among when the request names no
// one: the top-level teams for the company (every member when there are no
// teams); a team's sub-teams, or its members when it has none.
func (o *org) defaultShares(teamID int64) []attain.TargetShare {
	var out []attain.TargetShare
	for _, t := range o.children(teamID) {
		id := t.ID
		out = append(out, attain.TargetShare{Scope: attain.ScopeTeam, TeamID: &id, Weight: 1})
	}
	if len(out) > 0 {
		return out
	}
	var users []int64
	if teamID == 0 {
		for id, u := range o.members {
			if u.Role == attain.RoleRep {
				users = append(users, id)
			}
		}
		slices.Sort(users)
	} else {
		users = o.teams[teamID].MemberIDs
	}
	for _, id := range users {
		out = append(out, attain.TargetShare{Scope: attain.ScopeRep, UserID: &id, Weight: 1})
	}
	return out
}

// ProposeTarget records a rep's bottom-up proposal for their own target. It
// waits for a manager's approval; an approved amount already there stays in
// force until then.
func (s *Service) ProposeTarget(ctx context.Context, a *attain.Actor, in attain.TargetProposal) (*attain.Target, error) {
	if a.System {
		return nil, attain.Errorf(attain.EFORBIDDEN, "Only a member proposes their own target.")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var t *attain.Target
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		o, err := loadOrg(ctx, tx, a)
		if err != nil {
			return err
		}
		k := in.Key(a.UserID)
		p, err := o.cal.ParsePeriod("period", k.Period)
		if err != nil {
			return err
		}
		k.Period = p.Key
		if !k.Kind.IsMoney() {
			k.Currency = ""
		} else if k.Currency == "" {
			k.Currency = o.plan.Currency
		}
		before, err := tx.FindTargetByKey(ctx, a.WorkspaceID, k)
		if err != nil {
			return err
		}
		n := &attain.Target{Period: p.Key, PeriodStart: p.Start, PeriodEnd: p.End, Kind: k.Kind, ActivityType: k.ActivityType,
			Scope: attain.ScopeRep, UserID: &a.UserID, Currency: k.Currency}
		if before != nil {
			c := *before
			n = &c
		}
		amount := in.Amount
		n.ProposedAmount, n.ProposalComment, n.Status, n.Source = &amount, in.Comment, attain.TargetProposed, attain.TargetSourceProposal
		t, err = saveTarget(ctx, tx, a, before, n)
		return err
	})
	return t, err
}

// ApproveTarget approves a rep's proposal as proposed or adjusted (with a
// reason); the proposed amount stays beside the approved one.
func (s *Service) ApproveTarget(ctx context.Context, a *attain.Actor, id, version int64, in attain.TargetApproval) (*attain.Target, error) {
	if err := a.Require(attain.RoleManager); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var t *attain.Target
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		o, err := loadOrg(ctx, tx, a)
		if err != nil {
			return err
		}
		before, err := findVisibleTarget(ctx, tx, o, a, id)
		if err != nil {
			return err
		}
		if before.Scope != attain.ScopeRep || before.ProposedAmount == nil {
			return attain.Errorf(attain.ECONFLICT, "Only a rep's proposed target can be approved.")
		}
		if !o.canManageUser(a, *before.UserID) {
			return attain.Errorf(attain.EFORBIDDEN, "Only their manager or an admin approves a rep's target.")
		}
		amount := *before.ProposedAmount
		if in.Amount != nil {
			amount = *in.Amount
		}
		if amount != *before.ProposedAmount && in.Reason == "" {
			return attain.Invalid("reason", "is required when the approved amount differs from the proposal")
		}
		n := *before
		n.Amount, n.FullAmount, n.RampBP = &amount, nil, nil
		n.Status, n.Reason = attain.TargetApproved, in.Reason
		if !a.System {
			n.ApprovedBy = &a.UserID
		}
		if version != 0 && version != before.Version {
			return attain.Errorf(attain.ESTALE, "Target was changed by someone else; reload it and try again.")
		}
		t, err = saveTarget(ctx, tx, a, before, &n)
		return err
	})
	return t, err
}

// TargetRollup returns a team's target (or, without teamID, the company's)
// of one kind for a period: the explicit target beside the sum of its
// members' rep targets. Managers read the teams they manage, admins all.
func (s *Service) TargetRollup(ctx context.Context, a *attain.Actor, period string, kind attain.TargetKind, activityType string, teamID *int64) (*attain.TargetRollup, error) {
	k := attain.TargetKey{Period: period, Kind: kind, ActivityType: activityType, Scope: attain.ScopeCompany}
	if teamID != nil {
		k.Scope, k.TeamID = attain.ScopeTeam, teamID
	}
	var v attain.Validation
	if kind == "" {
		k.Kind = attain.TargetRevenue
	}
	if !k.Kind.Valid() {
		v.Add("kind", "must be one of revenue, bookings, margin, new_pipeline, activities")
	}
	if k.Kind == attain.TargetActivities && activityType == "" {
		v.Add("activity_type", "is required for activities")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var r *attain.TargetRollup
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		o, err := loadOrg(ctx, tx, a)
		if err != nil {
			return err
		}
		p, err := o.period(tx, period)
		if err != nil {
			return err
		}
		k.Period = p.Key
		var people []int64
		if teamID == nil {
			if !a.SeesAll() {
				return attain.Errorf(attain.EFORBIDDEN, "Only admins read the company's targets.")
			}
			people = o.people(0)
		} else {
			if !o.managed[*teamID] {
				return attain.Errorf(attain.ENOTFOUND, "Team not found.")
			}
			people = o.people(*teamID)
		}
		if k.Kind.IsMoney() {
			k.Currency = o.plan.Currency
		}
		r = &attain.TargetRollup{Period: p.Key, Kind: k.Kind, ActivityType: k.ActivityType, TeamID: teamID, Currency: k.Currency,
			Members: []*attain.Target{}}
		if r.Explicit, err = tx.FindTargetByKey(ctx, a.WorkspaceID, k); err != nil {
			return err
		}
		reps, err := tx.FindTargets(ctx, a.WorkspaceID, attain.TargetFilter{Period: p.Key, Kind: k.Kind, Scope: attain.ScopeRep},
			store.TargetAccess{UserIDs: people})
		if err != nil {
			return err
		}
		for _, t := range reps {
			if t.ActivityType != k.ActivityType {
				continue
			}
			r.Members = append(r.Members, t)
			if t.Amount != nil {
				r.MembersSum += *t.Amount
			}
		}
		r.Effective = r.MembersSum
		if r.Explicit != nil && r.Explicit.Amount != nil {
			r.Effective = *r.Explicit.Amount
		}
		return nil
	})
	return r, err
}

// FindRamp returns a rep's ramp (nil when they have none) to those who may
// see their targets.
func (s *Service) FindRamp(ctx context.Context, a *attain.Actor, userID int64) (*attain.Ramp, error) {
	var r *attain.Ramp
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		o, err := loadOrg(ctx, tx, a)
		if err != nil {
			return err
		}
		if o.members[userID] == nil || !o.canSeeUser(a, userID) {
			return attain.Errorf(attain.ENOTFOUND, "User not found.")
		}
		r, err = tx.FindRamp(ctx, a.WorkspaceID, userID)
		return err
	})
	return r, err
}

// SetRamp sets a new rep's ramp; their manager or an admin. It applies to
// targets set from then on.
func (s *Service) SetRamp(ctx context.Context, a *attain.Actor, userID int64, in attain.RampInput) (*attain.Ramp, error) {
	if err := a.Require(attain.RoleManager); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	in.Start = attain.Date{Year: in.Start.Year, Month: in.Start.Month, Day: 1}
	var r *attain.Ramp
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		o, err := loadOrg(ctx, tx, a)
		if err != nil {
			return err
		}
		if o.members[userID] == nil || !o.canSeeUser(a, userID) {
			return attain.Errorf(attain.ENOTFOUND, "User not found.")
		}
		if !o.canManageUser(a, userID) {
			return attain.Errorf(attain.EFORBIDDEN, "Only their manager or an admin sets a rep's ramp.")
		}
		before, err := tx.FindRamp(ctx, a.WorkspaceID, userID)
		if err != nil {
			return err
		}
		if r, err = tx.SetRamp(ctx, a.WorkspaceID, userID, in); err != nil {
			return err
		}
		var old any
		if before != nil {
			old = before
		}
		return tx.Audit(ctx, a, "update", "ramp", userID, old, r)
	})
	return r, err
}

// periodFilter normalises an optional period filter to its key; an empty
// one stays empty (every period).
func (o *org) periodFilter(key string) (string, error) {
	if key == "" {
		return "", nil
	}
	p, err := o.cal.ParsePeriod("period", key)
	return p.Key, err
}

// period parses a period key; an empty one is the current fiscal quarter.
func (o *org) period(tx *store.Tx, key string) (attain.Period, error) {
	if strings.TrimSpace(key) == "" {
		return o.cal.QuarterOf(attain.DateOf(tx.Now.UTC())), nil
	}
	return o.cal.ParsePeriod("period", key)
}
