package service

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/analytics"
	"github.com/attain-crm/attain/store"
)

var _ attain.AnalyticsService = (*Service)(nil)

// Analytics returns the in-memory analytics engine, for benchmarks and
// tools that read models directly.
func (s *Service) Analytics() *analytics.Engine { return s.analytics }

// analyticsReq is what one analytics request reads from the database: the
// organisation, the period asked for and the computation's configuration.
type analyticsReq struct {
	org    *org
	period attain.Period
	cfg    *analytics.Config
	// pipeline is the pipeline funnels are drawn for (the default one).
	pipeline int64
	// counters were read before everything else.
	counters store.Counters
}

// loadAnalytics reads the configuration of a request in one transaction:
// the period (the current fiscal quarter when empty), the currency (the
// planning currency when empty), stages, activity types, teams, people,
// products, KPI settings and the period's approved targets. All but the
// period and currency are kept from earlier requests while the
// workspace's counters say they did not change.
func (s *Service) loadAnalytics(ctx context.Context, a *attain.Actor, period, currency string) (*analyticsReq, error) {
	r := &analyticsReq{}
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		if r.counters, err = tx.Counters(ctx, a.WorkspaceID); err != nil {
			return err
		}
		b, err := s.analyticsBase(ctx, tx, a.WorkspaceID, r.counters.Config)
		if err != nil {
			return err
		}
		o := b.org.forActor(a)
		r.org, r.pipeline = o, b.pipeline
		if strings.TrimSpace(period) == "" {
			r.period = o.cal.QuarterOf(attain.DateOf(tx.Now))
		} else if r.period, err = o.cal.ParsePeriod("period", period); err != nil {
			return err
		}
		currency = strings.ToUpper(strings.TrimSpace(currency))
		if currency == "" {
			currency = o.plan.Currency
		} else if !attain.ValidCurrency(currency) {
			return attain.Invalid("currency", "must be a three-letter ISO 4217 code such as USD")
		}
		cfg := b.cfg
		cfg.Now, cfg.Currency = tx.Now, currency
		targets, err := s.approvedTargets(ctx, tx, a.WorkspaceID, r.counters, r.period.Key)
		if err != nil {
			return err
		}
		for _, t := range targets {
			if t.Amount == nil || (t.Kind.IsMoney() && t.Currency != currency) {
				continue
			}
			at := analytics.Target{Kind: string(t.Kind), ActivityType: t.ActivityType, Amount: *t.Amount}
			if t.UserID != nil {
				at.UserID = *t.UserID
			}
			if t.TeamID != nil {
				at.TeamID = *t.TeamID
			}
			cfg.Targets = append(cfg.Targets, at)
		}
		r.cfg = &cfg
		return nil
	})
	if err == nil {
		s.warmReps(a.WorkspaceID, r.org)
	}
	return r, err
}

func findKPISettings(ctx context.Context, tx *store.Tx, workspaceID int64) (attain.KPISettings, error) {
	set := attain.DefaultKPISettings()
	raw, version, err := tx.FindAnalyticsSettings(ctx, workspaceID)
	if err != nil {
		return set, err
	}
	if err := json.Unmarshal([]byte(raw), &set); err != nil {
		return set, fmt.Errorf("kpi settings: %w", err)
	}
	set.Version = version
	if set.StageStalledDays == nil {
		set.StageStalledDays = map[string]int{}
	}
	if set.Goals == nil {
		set.Goals = map[string]float64{}
	}
	return set, nil
}

// FindKPISettings returns the workspace's KPI settings; everyone may read them.
func (s *Service) FindKPISettings(ctx context.Context, a *attain.Actor) (*attain.KPISettings, error) {
	var set attain.KPISettings
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		set, err = findKPISettings(ctx, tx, a.WorkspaceID)
		return err
	})
	return &set, err
}

// KPIDefinitions lists every KPI with its unit and where its target comes
// from, so a settings page offers a goal only for the KPIs that take one.
func (s *Service) KPIDefinitions(ctx context.Context, a *attain.Actor) ([]*attain.KPIDefinition, error) {
	out := make([]*attain.KPIDefinition, len(analytics.Definitions))
	for i, d := range analytics.Definitions {
		out[i] = &attain.KPIDefinition{Key: d.Key, Name: d.Name, Unit: d.Unit, LowerBetter: d.LowerBetter,
			TargetSource: d.Target, TakesGoal: d.Target == attain.KPITargetGoal, Doc: d.Doc}
	}
	return out, nil
}

// goalKeys are the keys of the KPIs a goal may be set for.
func goalKeys() []string {
	var keys []string
	for _, d := range analytics.Definitions {
		if d.Target == attain.KPITargetGoal {
			keys = append(keys, d.Key)
		}
	}
	return keys
}

// SetKPISettings replaces the workspace's KPI settings (admins only).
func (s *Service) SetKPISettings(ctx context.Context, a *attain.Actor, version int64, in attain.KPISettings) (*attain.KPISettings, error) {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return nil, err
	}
	if err := in.Validate(goalKeys()); err != nil {
		return nil, err
	}
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := findKPISettings(ctx, tx, a.WorkspaceID)
		if err != nil {
			return err
		}
		if version != 0 && version != before.Version {
			return attain.Errorf(attain.ESTALE, "The KPI settings were changed by someone else; reload them.")
		}
		if err := checkStageKeys(ctx, tx, a.WorkspaceID, in.StageStalledDays, before.StageStalledDays); err != nil {
			return err
		}
		in.Version = 0
		raw, err := json.Marshal(in)
		if err != nil {
			return err
		}
		if in.Version, err = tx.SaveAnalyticsSettings(ctx, a.WorkspaceID, before.Version, string(raw)); err != nil {
			return err
		}
		before.Version = 0
		return tx.Audit(ctx, a, "kpi_settings.update", "kpi_settings", a.WorkspaceID, before, in)
	})
	if err != nil {
		return nil, err
	}
	return &in, nil
}

// checkStageKeys checks that per-stage stalled days name stages deals can
// stall in: the active open stages of the workspace's pipelines. A key
// already saved may stay, so that reading the settings and writing them
// back still works after its stage is archived.
func checkStageKeys(ctx context.Context, tx *store.Tx, workspaceID int64, days, saved map[string]int) error {
	if len(days) == 0 {
		return nil
	}
	pipelines, err := tx.FindPipelines(ctx, workspaceID)
	if err != nil {
		return err
	}
	open := map[string]bool{}
	for _, p := range pipelines {
		for _, st := range p.Stages {
			if st.Outcome == attain.OutcomeOpen {
				open[strconv.FormatInt(st.ID, 10)] = true
			}
		}
	}
	var v attain.Validation
	for _, k := range slices.Sorted(maps.Keys(days)) {
		if _, kept := saved[k]; !open[k] && !kept {
			v.Add("stage_stalled_days."+k, "is not an open stage of this workspace")
		}
	}
	return v.Err()
}

// scope resolves a KPI query's scope and checks the actor may see it: a
// rep's figures are theirs, their managers' and admins'; a team's are its
// managers' (and those of teams above) and admins'; the company's are
// admins'. What the actor may not see does not exist for them.
func (r *analyticsReq) scope(a *attain.Actor, userID, teamID int64) (analytics.ReportScope, error) {
	var rs analytics.ReportScope
	switch {
	case userID != 0 && teamID != 0:
		return rs, attain.Invalid("team_id", "give a user_id or a team_id, not both")
	case userID != 0:
		if r.org.members[userID] == nil || !r.org.canSeeUser(a, userID) {
			return rs, attain.Errorf(attain.ENOTFOUND, "User not found.")
		}
		rs.UserID, rs.Owners = userID, []int64{userID}
	case teamID != 0:
		if r.org.teams[teamID] == nil || !r.org.managed[teamID] {
			return rs, attain.Errorf(attain.ENOTFOUND, "Team not found.")
		}
		rs.TeamID, rs.Owners = teamID, r.org.people(teamID)
	default:
		if !a.SeesAll() {
			return rs, attain.Errorf(attain.EFORBIDDEN, "Company figures are for admins; ask for your own (user_id) or your team's (team_id).")
		}
	}
	return rs, nil
}

// FindKPIs computes every KPI for a rep, a team or the company.
func (s *Service) FindKPIs(ctx context.Context, a *attain.Actor, q attain.KPIQuery) (*attain.KPIReport, error) {
	r, err := s.loadAnalytics(ctx, a, q.Period, q.Currency)
	if err != nil {
		return nil, err
	}
	rs, err := r.scope(a, q.UserID, q.TeamID)
	if err != nil {
		return nil, err
	}
	rs.PipelineID, rs.ProductID = q.PipelineID, q.ProductID
	funnel := r.pipeline
	if q.PipelineID != 0 {
		funnel = q.PipelineID
	}
	var out *attain.KPIReport
	err = s.analytics.View(ctx, a.WorkspaceID, func(m *analytics.Model) error {
		out = analytics.Report(m, r.cfg, rs, r.period, funnel)
		return nil
	})
	return out, err
}

// FindSystemForecast computes the system forecast for a rep, team or the company.
func (s *Service) FindSystemForecast(ctx context.Context, a *attain.Actor, q attain.KPIQuery) (*attain.SystemForecast, error) {
	r, err := s.loadAnalytics(ctx, a, q.Period, q.Currency)
	if err != nil {
		return nil, err
	}
	rs, err := r.scope(a, q.UserID, q.TeamID)
	if err != nil {
		return nil, err
	}
	rs.PipelineID, rs.ProductID = q.PipelineID, q.ProductID
	var out attain.SystemForecast
	err = s.analytics.View(ctx, a.WorkspaceID, func(m *analytics.Model) error {
		out = analytics.Forecast(m, r.cfg, rs.Scope, r.period)
		return nil
	})
	return &out, err
}

// RepDashboard computes a rep's home page. Reps see their own; managers
// and admins any rep they can see. The leaderboard shows other reps' names
// to managers and admins, and to reps when the workspace allows it.
func (s *Service) RepDashboard(ctx context.Context, a *attain.Actor, userID int64, period, currency string) (*attain.RepDashboard, error) {
	if userID == 0 {
		userID = a.UserID
	}
	r, err := s.loadAnalytics(ctx, a, period, currency)
	if err != nil {
		return nil, err
	}
	if _, err := r.scope(a, userID, 0); err != nil {
		return nil, err
	}
	in := analytics.RepInput{UserID: userID, Name: r.org.members[userID].Name, Period: r.period,
		ShowNames: r.cfg.Settings.LeaderboardNames || a.Role.AtLeast(attain.RoleManager) || a.System}
	for id, u := range r.org.members {
		if u.Role == attain.RoleRep || id == userID {
			in.Ranked = append(in.Ranked, id)
		}
	}
	slices.Sort(in.Ranked)
	// The database is read outside the model's View: a catch-up waits for
	// every View running, and every dashboard waits for the catch-up.
	// Both reads wait only for changes to this rep's deals and activities.
	prev := s.repFacts.get(a.WorkspaceID, userID)
	want := &repFacts{roles: r.counters.Roles, config: r.cfg.Key}
	var changed []int64
	known := false
	if err := s.analytics.ViewOfAt(ctx, a.WorkspaceID, r.counters.Seq, []int64{userID}, func(m *analytics.Model) error {
		want.open = analytics.OpenDeals(m, userID)
		want.asking = analytics.ActivityCriteriaDeals(m, r.cfg, userID)
		want.stamp = m.Stamp(userID)
		if prev != nil {
			changed, known = analytics.ChangedSince(m, userID, prev.stamp)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	// The model reflects the counters loadAnalytics read (not newer ones:
	// no second read of the counter); facts read now are as new as the
	// stamp and counters, or newer.
	facts, readOpen, readAsking := s.repFacts.next(prev, want, changed, known)
	if len(readOpen) > 0 || len(readAsking) > 0 {
		err = s.db.ReadTx(ctx, func(tx *store.Tx) error {
			ids, err := tx.DealsWithoutDecisionMaker(ctx, a.WorkspaceID, readOpen)
			if err != nil {
				return err
			}
			for _, id := range ids {
				facts.noDM[id] = true
			}
			logged, err := tx.DealActivityCounts(ctx, a.WorkspaceID, readAsking)
			maps.Copy(facts.logged, logged)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	if facts != prev {
		s.repFacts.put(a.WorkspaceID, userID, facts)
	}
	in.NoDecisionMaker, in.Logged, in.FactsKey = facts.noDM, facts.logged, facts.key
	var out *attain.RepDashboard
	err = s.analytics.ViewOfAt(ctx, a.WorkspaceID, r.counters.Seq, []int64{userID}, func(m *analytics.Model) error {
		// The model's view is shared: names go on a copy.
		v := *analytics.Rep(m, r.cfg, in)
		v.Attention = slices.Clone(v.Attention)
		out = &v
		return nil
	})
	if err != nil {
		return nil, err
	}
	// A deal's name is kept with the facts: renaming it moves the rep's
	// stamp they were read at.
	ids := s.repFacts.nameDeals(facts, out.Attention)
	if len(ids) == 0 {
		return out, nil
	}
	err = s.db.ReadTx(ctx, func(tx *store.Tx) error {
		names, err := tx.DealNames(ctx, a.WorkspaceID, ids)
		if err != nil {
			return err
		}
		s.repFacts.addNames(facts, names)
		s.repFacts.nameDeals(facts, out.Attention)
		return nil
	})
	return out, err
}

// TeamDashboard computes a manager's team view: a row per person of the
// team (and the teams under it). Only the team's managers and admins see it.
func (s *Service) TeamDashboard(ctx context.Context, a *attain.Actor, teamID int64, period, currency string) (*attain.TeamDashboard, error) {
	r, err := s.loadAnalytics(ctx, a, period, currency)
	if err != nil {
		return nil, err
	}
	rs, err := r.scope(a, 0, teamID)
	if err != nil {
		return nil, err
	}
	in := analytics.TeamInput{TeamID: teamID, Name: r.org.teams[teamID].Name, Members: rs.Owners, Period: r.period}
	in.Accuracy, err = s.repAccuracy(ctx, a, r)
	if err != nil {
		return nil, err
	}
	var out *attain.TeamDashboard
	// A team of many deals is served from the cache, up to StaleBound
	// late, without waiting for a catch-up.
	if s.analytics.Cached(a.WorkspaceID, func(m *analytics.Model) bool {
		var ok bool
		out, ok = analytics.CachedTeam(m, r.cfg, in)
		return ok
	}) {
		return out, nil
	}
	err = s.analytics.ViewOf(ctx, a.WorkspaceID, in.Members, func(m *analytics.Model) error {
		out = analytics.Team(m, r.cfg, in)
		return nil
	})
	return out, err
}

// repAccuracy is each rep's forecast accuracy over the quarter before the
// period: 1 − the mean absolute error (of the actual) of their weekly
// snapshotted forecasts, floored at 0.
func (s *Service) repAccuracy(ctx context.Context, a *attain.Actor, r *analyticsReq) (map[int64]float64, error) {
	prev := r.org.cal.Prev(r.org.cal.QuarterOf(r.period.Start))
	acc, err := s.ForecastAccuracy(ctx, a, attain.AccuracyFilter{Period: prev.Key, Quarters: 1})
	if err != nil {
		return nil, err
	}
	sum, n := map[int64]int64{}, map[int64]int64{}
	for _, p := range acc.Points {
		if p.Scope != attain.ScopeRep || p.UserID == nil || p.ErrorBP == nil {
			continue
		}
		sum[*p.UserID] += *p.ErrorBP
		n[*p.UserID]++
	}
	out := map[int64]float64{}
	for u, total := range sum {
		out[u] = max(0, 1-float64(total)/float64(n[u])/attain.BasisPoints)
	}
	return out, nil
}

// CompanyDashboard computes the company view (admins only).
func (s *Service) CompanyDashboard(ctx context.Context, a *attain.Actor, period, currency string) (*attain.CompanyDashboard, error) {
	r, err := s.loadAnalytics(ctx, a, period, currency)
	if err != nil {
		return nil, err
	}
	if _, err := r.scope(a, 0, 0); err != nil {
		return nil, err
	}
	var out *attain.CompanyDashboard
	// Served from the cache, up to StaleBound late, without waiting for a
	// catch-up.
	if s.analytics.Cached(a.WorkspaceID, func(m *analytics.Model) bool {
		var ok bool
		out, ok = analytics.CachedCompany(m, r.cfg, r.period, r.pipeline)
		return ok
	}) {
		return out, nil
	}
	err = s.analytics.View(ctx, a.WorkspaceID, func(m *analytics.Model) error {
		out = analytics.Company(m, r.cfg, r.period, r.pipeline)
		return nil
	})
	return out, err
}

// PlanFunnel works out how many leads and deals at each stage a rep (the
// actor by default) needs to reach a target (their revenue target for the
// period by default), from their history.
func (s *Service) PlanFunnel(ctx context.Context, a *attain.Actor, in attain.FunnelPlanInput) (*attain.FunnelPlan, error) {
	r, err := s.loadAnalytics(ctx, a, in.Period, "")
	if err != nil {
		return nil, err
	}
	userID := a.UserID
	if in.UserID != nil {
		userID = *in.UserID
	}
	rs, err := r.scope(a, userID, 0)
	if err != nil {
		return nil, err
	}
	pi := analytics.PlanInput{UserID: userID, Period: r.period, PipelineID: r.pipeline}
	switch {
	case in.Target != nil:
		if *in.Target < 0 || *in.Target > attain.MaxAmount {
			return nil, attain.Invalid("target", "must be from 0 to %d minor units", attain.MaxAmount)
		}
		pi.Target = *in.Target
	default:
		var found bool
		if pi.Target, found = r.revenueTarget(userID); !found {
			return nil, attain.Invalid("target", "%s; give one", r.noTarget(userID))
		}
	}
	since := r.period.StartTime().AddDate(0, 0, -analytics.HistoryDays)
	err = s.db.ReadTx(ctx, func(tx *store.Tx) error {
		st, err := tx.FindLeadStats(ctx, a.WorkspaceID, rs.Owners, since)
		pi.LeadsCreated, pi.LeadsConverted, pi.LeadDays = st.Created, st.Converted, st.MeanDays
		return err
	})
	if err != nil {
		return nil, err
	}
	var out *attain.FunnelPlan
	err = s.analytics.View(ctx, a.WorkspaceID, func(m *analytics.Model) error {
		out = analytics.Plan(m, r.cfg, pi)
		return nil
	})
	return out, err
}

// revenueTarget is a rep's approved revenue target for the request's period.
func (r *analyticsReq) revenueTarget(userID int64) (int64, bool) {
	var amount int64
	found := false
	for _, t := range r.cfg.Targets {
		if t.Kind == analytics.TargetRevenue && t.UserID == userID {
			amount, found = t.Amount, true
		}
	}
	return amount, found
}

func (r *analyticsReq) noTarget(userID int64) string {
	return fmt.Sprintf("there is no revenue target for %s in %s", r.org.members[userID].Name, r.period.Key)
}

// PlanTeamFunnel works out the funnel plan of every member of a team (and
// of the teams under it) for a period, each from their own revenue target
// and history, in one request; members without a target get none and the
// reason. Only the team's managers and admins see it.
func (s *Service) PlanTeamFunnel(ctx context.Context, a *attain.Actor, teamID int64, period string) (*attain.TeamFunnelPlan, error) {
	r, err := s.loadAnalytics(ctx, a, period, "")
	if err != nil {
		return nil, err
	}
	rs, err := r.scope(a, 0, teamID)
	if err != nil {
		return nil, err
	}
	out := &attain.TeamFunnelPlan{TeamID: teamID, Name: r.org.teams[teamID].Name, Period: r.period, Currency: r.cfg.Currency,
		Members: make([]attain.TeamPlanMember, len(rs.Owners))}
	inputs := make([]*analytics.PlanInput, len(rs.Owners))
	var planned []int64
	for i, u := range rs.Owners {
		out.Members[i] = attain.TeamPlanMember{UserID: u, Name: r.org.members[u].Name}
		if target, ok := r.revenueTarget(u); ok {
			inputs[i] = &analytics.PlanInput{UserID: u, Period: r.period, PipelineID: r.pipeline, Target: target}
			planned = append(planned, u)
		} else {
			out.Members[i].Missing = r.noTarget(u)
		}
	}
	since := r.period.StartTime().AddDate(0, 0, -analytics.HistoryDays)
	var leads map[int64]store.LeadStats
	if err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		leads, err = tx.FindLeadStatsByOwner(ctx, a.WorkspaceID, planned, since)
		return err
	}); err != nil {
		return nil, err
	}
	err = s.analytics.View(ctx, a.WorkspaceID, func(m *analytics.Model) error {
		for i, pi := range inputs {
			if pi == nil {
				continue
			}
			st := leads[pi.UserID]
			pi.LeadsCreated, pi.LeadsConverted, pi.LeadDays = st.Created, st.Converted, st.MeanDays
			out.Members[i].Plan = analytics.Plan(m, r.cfg, *pi)
		}
		return nil
	})
	slices.SortStableFunc(out.Members, func(x, y attain.TeamPlanMember) int { return strings.Compare(x.Name, y.Name) })
	return out, err
}
