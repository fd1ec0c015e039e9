package service_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// planEnv is a workspace with a simple default pipeline (no exit criteria)
// and a small sales organisation on a clock the test moves by hand:
//
//	East (manager: mgr)       members rep1, rep2
//	  North (manager: mgr2)   members rep3
//	West (no manager)         members rep4
//	rep5 belongs to no team.
type planEnv struct {
	t                            *testing.T
	ctx                          context.Context
	svc                          *service.Service
	db                           *store.DB
	ws                           *attain.Workspace
	admin, mgr, mgr2             *attain.Actor
	rep1, rep2, rep3, rep4, rep5 *attain.Actor
	east, north, west            int64
	stage                        map[string]int64
	now                          time.Time
}

func newPlanEnv(t *testing.T, db *store.DB) *planEnv {
	t.Helper()
	e := &planEnv{t: t, ctx: context.Background(), db: db, now: time.Date(2026, 7, 6, 9, 0, 0, 0, time.UTC)} // Monday, week 1 of Q3
	db.Now = func() time.Time { return e.now }
	e.svc = service.New(db, slog.New(slog.DiscardHandler), service.FastHasher())
	ws, admin, err := e.svc.Bootstrap(e.ctx, "Plan Co", attain.NewUser{Email: "admin@plan.test", Name: "Admin", Password: "a long password"})
	if err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	e.ws = ws
	e.admin = e.actor(admin.ID)
	user := func(name string, role attain.Role) int64 {
		u, err := e.svc.CreateUser(e.ctx, e.admin, attain.NewUser{Email: name + "@plan.test", Name: name, Password: "a long password", Role: role})
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return u.ID
	}
	mgr, mgr2 := user("mgr", attain.RoleManager), user("mgr2", attain.RoleManager)
	r1, r2, r3, r4, r5 := user("rep1", attain.RoleRep), user("rep2", attain.RoleRep), user("rep3", attain.RoleRep), user("rep4", attain.RoleRep), user("rep5", attain.RoleRep)
	team := func(name string, manager *int64, parent *int64, members ...int64) int64 {
		x, err := e.svc.CreateTeam(e.ctx, e.admin, attain.TeamInput{Name: name, ManagerID: manager, ParentID: parent, MemberIDs: members})
		if err != nil {
			t.Fatalf("team %s: %v", name, err)
		}
		return x.ID
	}
	e.east = team("East", &mgr, nil, r1, r2)
	e.north = team("North", &mgr2, &e.east, r3)
	e.west = team("West", nil, nil, r4)
	e.mgr, e.mgr2 = e.actor(mgr), e.actor(mgr2)
	e.rep1, e.rep2, e.rep3, e.rep4, e.rep5 = e.actor(r1), e.actor(r2), e.actor(r3), e.actor(r4), e.actor(r5)

	p, err := e.svc.CreatePipeline(e.ctx, e.admin, attain.PipelineInput{Name: "Simple", IsDefault: true, Stages: []attain.StageInput{
		{Name: "Open", Probability: ptr(10), ForecastCategory: "pipeline"},
		{Name: "Likely", Probability: ptr(50), ForecastCategory: "best_case"},
		{Name: "Commit", Probability: ptr(90), ForecastCategory: "commit"},
		{Name: "Won", Outcome: attain.OutcomeWon},
		{Name: "Lost", Outcome: attain.OutcomeLost},
	}})
	if err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	e.stage = map[string]int64{}
	for _, s := range p.Stages {
		e.stage[s.Name] = s.ID
	}
	return e
}

func (e *planEnv) actor(userID int64) *attain.Actor {
	e.t.Helper()
	a, err := e.svc.ActorFor(e.ctx, e.ws.ID, userID)
	if err != nil {
		e.t.Fatalf("actor %d: %v", userID, err)
	}
	return a
}

// deal creates a deal of a's in stage, closing on close; "Won" wins it.
func (e *planEnv) deal(a *attain.Actor, stage string, amount int64, close, currency string) *attain.Deal {
	e.t.Helper()
	cd, err := attain.ParseDate(close)
	if err != nil {
		e.t.Fatal(err)
	}
	in := attain.DealInput{Name: stage + " deal", Amount: &amount, CloseDate: &cd, Currency: currency}
	open := stage
	if stage == "Won" {
		open = "Commit"
	}
	id := e.stage[open]
	in.StageID = &id
	d, err := e.svc.CreateDeal(e.ctx, a, in)
	if err != nil {
		e.t.Fatalf("deal: %v", err)
	}
	if stage == "Won" {
		if d, err = e.svc.MoveDeal(e.ctx, a, d.ID, 0, attain.MoveInput{StageID: e.stage["Won"], Reason: "product_fit"}); err != nil {
			e.t.Fatalf("win: %v", err)
		}
	}
	return d
}

func (e *planEnv) set(a *attain.Actor, in attain.TargetInput) *attain.Target {
	e.t.Helper()
	t, err := e.svc.SetTarget(e.ctx, a, in)
	if err != nil {
		e.t.Fatalf("set target %+v: %v", in.TargetKey, err)
	}
	return t
}

func revenue(period string, scope attain.TargetScope, id int64) attain.TargetKey {
	k := attain.TargetKey{Period: period, Kind: attain.TargetRevenue, Scope: scope}
	switch scope {
	case attain.ScopeTeam:
		k.TeamID = &id
	case attain.ScopeRep:
		k.UserID = &id
	}
	return k
}

func amountOf(t *attain.Target) int64 {
	if t == nil || t.Amount == nil {
		return -1
	}
	return *t.Amount
}

func TestTargetSplitAndRollup(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newPlanEnv(t, db)
		// Admin splits the company's Q3 revenue target evenly among the
		// top-level teams: East and West; the odd cent goes to the first.
		out, err := e.svc.SplitTarget(e.ctx, e.admin, attain.TargetSplitInput{
			TargetInput: attain.TargetInput{TargetKey: revenue("2026-q3", attain.ScopeCompany, 0), Amount: 1_000_001, Reason: "Board plan"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != 3 || amountOf(out[0]) != 1_000_001 || *out[1].TeamID != e.east || amountOf(out[1]) != 500_001 || amountOf(out[2]) != 500_000 {
			t.Fatalf("company split: %+v", out)
		}
		if out[0].Period != "2026-Q3" || out[0].PeriodStart.String() != "2026-07-01" || out[0].Currency != "USD" || out[1].Source != attain.TargetSourceSplit {
			t.Errorf("parent: %+v child: %+v", out[0], out[1])
		}
		// The manager splits East's by weight among rep1, rep2 and rep3 (in North, under East).
		out, err = e.svc.SplitTarget(e.ctx, e.mgr, attain.TargetSplitInput{
			TargetInput: attain.TargetInput{TargetKey: revenue("2026-Q3", attain.ScopeTeam, e.east), Amount: 600_000},
			Method:      attain.SplitWeighted,
			Children: []attain.TargetShare{
				{Scope: attain.ScopeRep, UserID: &e.rep1.UserID, Weight: 3},
				{Scope: attain.ScopeRep, UserID: &e.rep2.UserID, Weight: 2},
				{Scope: attain.ScopeRep, UserID: &e.rep3.UserID, Weight: 1},
			}})
		if err != nil {
			t.Fatal(err)
		}
		if got := []int64{amountOf(out[0]), amountOf(out[1]), amountOf(out[2]), amountOf(out[3])}; got[0] != 600_000 || got[1] != 300_000 || got[2] != 200_000 || got[3] != 100_000 {
			t.Fatalf("weighted split: %v", got)
		}
		// A rep of another team cannot be a child of East's split.
		_, err = e.svc.SplitTarget(e.ctx, e.mgr, attain.TargetSplitInput{
			TargetInput: attain.TargetInput{TargetKey: revenue("2026-Q3", attain.ScopeTeam, e.east), Amount: 1},
			Children:    []attain.TargetShare{{Scope: attain.ScopeRep, UserID: &e.rep4.UserID}}})
		storetest.WantField(t, err, "children[0].user_id")

		// East: explicit 600,000 (was 500,001, now replaced) and members' sum.
		r, err := e.svc.TargetRollup(e.ctx, e.mgr, "2026-Q3", attain.TargetRevenue, "", &e.east)
		if err != nil {
			t.Fatal(err)
		}
		if amountOf(r.Explicit) != 600_000 || r.MembersSum != 600_000 || r.Effective != 600_000 || len(r.Members) != 3 {
			t.Errorf("east rollup: explicit %d sum %d effective %d members %d", amountOf(r.Explicit), r.MembersSum, r.Effective, len(r.Members))
		}
		// West has no explicit... it does (from the company split); North has
		// none, so its effective target is its members' sum.
		r, err = e.svc.TargetRollup(e.ctx, e.admin, "2026-Q3", attain.TargetRevenue, "", &e.north)
		if err != nil {
			t.Fatal(err)
		}
		if r.Explicit != nil || r.MembersSum != 100_000 || r.Effective != 100_000 {
			t.Errorf("north rollup: %+v", r)
		}
		// Changing a target keeps the old value in its history.
		e.now = e.now.Add(time.Hour)
		k := revenue("2026-Q3", attain.ScopeRep, e.rep1.UserID)
		t1 := e.set(e.mgr, attain.TargetInput{TargetKey: k, Amount: 350_000, Reason: "Bigger territory"})
		h, err := e.svc.TargetHistory(e.ctx, e.mgr, t1.ID)
		if err != nil {
			t.Fatal(err)
		}
		var sawAmount bool
		for _, c := range h {
			if c.Field == "amount" && string(c.Old) == "300000" && string(c.New) == "350000" {
				sawAmount = true
			}
		}
		if !sawAmount {
			t.Errorf("history has no amount change 300000 → 350000: %s", mustJSON(h))
		}
		r, _ = e.svc.TargetRollup(e.ctx, e.mgr, "2026-Q3", attain.TargetRevenue, "", &e.east)
		if r.MembersSum != 650_000 || r.Effective != 600_000 {
			t.Errorf("after change: sum %d effective %d; both must stay visible", r.MembersSum, r.Effective)
		}
		// An activities target is a count, by activity type.
		at := e.set(e.mgr, attain.TargetInput{TargetKey: attain.TargetKey{Period: "2026-07", Kind: attain.TargetActivities, ActivityType: "call", Scope: attain.ScopeRep, UserID: &e.rep2.UserID}, Amount: 120})
		if at.Currency != "" || amountOf(at) != 120 || at.Period != "2026-07" {
			t.Errorf("activities target: %+v", at)
		}
		_, err = e.svc.SetTarget(e.ctx, e.mgr, attain.TargetInput{TargetKey: attain.TargetKey{Period: "2026-07", Kind: attain.TargetActivities, Scope: attain.ScopeRep, UserID: &e.rep2.UserID}, Amount: 1})
		storetest.WantField(t, err, "activity_type")
		_, err = e.svc.SetTarget(e.ctx, e.mgr, attain.TargetInput{TargetKey: revenue("2026-Q5", attain.ScopeRep, e.rep2.UserID), Amount: 1})
		storetest.WantField(t, err, "period")
	})
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestSplitAmount(t *testing.T) {
	for _, c := range []struct {
		total   int64
		weights []int64
		want    []int64
	}{
		{100, []int64{1, 1, 1}, []int64{34, 33, 33}},
		{1_000_001, []int64{1, 1}, []int64{500_001, 500_000}},
		{10, []int64{1, 2}, []int64{3, 7}}, // 3.33 / 6.67: the larger remainder gets the unit
		{attain.MaxAmount, []int64{1_000_000, 1}, []int64{999_999_000_001_000, 999_999_000}},
		{0, []int64{1, 5}, []int64{0, 0}},
	} {
		got := attain.SplitAmount(c.total, c.weights)
		var sum int64
		for _, g := range got {
			sum += g
		}
		if mustJSON(got) != mustJSON(c.want) || sum != c.total {
			t.Errorf("SplitAmount(%d, %v) = %v, want %v", c.total, c.weights, got, c.want)
		}
	}
}

func TestTargetRamp(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newPlanEnv(t, db)
		// rep1 starts in August: 25%, 50%, 75%, then full.
		start, _ := attain.ParseDate("2026-08-17")
		r, err := e.svc.SetRamp(e.ctx, e.mgr, e.rep1.UserID, attain.RampInput{Start: start, Percents: []int64{25, 50, 75}})
		if err != nil {
			t.Fatal(err)
		}
		if r.Start.String() != "2026-08-01" {
			t.Errorf("ramp starts %s, want the first of its month", r.Start)
		}
		// Q3: July 0% (before start), August 25%, September 50% → 25%.
		q3 := e.set(e.mgr, attain.TargetInput{TargetKey: revenue("2026-Q3", attain.ScopeRep, e.rep1.UserID), Amount: 300_000})
		if amountOf(q3) != 75_000 || q3.FullAmount == nil || *q3.FullAmount != 300_000 || *q3.RampBP != 2500 {
			t.Errorf("Q3 ramped: %s", mustJSON(q3))
		}
		// Q4: 75%, 100%, 100% → 91.67%.
		q4 := e.set(e.mgr, attain.TargetInput{TargetKey: revenue("2026-Q4", attain.ScopeRep, e.rep1.UserID), Amount: 300_000})
		if amountOf(q4) != 275_010 || *q4.RampBP != 9167 {
			t.Errorf("Q4 ramped: %s", mustJSON(q4))
		}
		// Fully ramped: no ramp recorded.
		q1 := e.set(e.mgr, attain.TargetInput{TargetKey: revenue("2027-Q1", attain.ScopeRep, e.rep1.UserID), Amount: 300_000})
		if amountOf(q1) != 300_000 || q1.RampBP != nil {
			t.Errorf("2027-Q1: %s", mustJSON(q1))
		}
		// Splits apply the ramp to rep shares too.
		out, err := e.svc.SplitTarget(e.ctx, e.mgr, attain.TargetSplitInput{TargetInput: attain.TargetInput{TargetKey: revenue("2026-09", attain.ScopeTeam, e.east), Amount: 200_000},
			Children: []attain.TargetShare{{Scope: attain.ScopeRep, UserID: &e.rep1.UserID}, {Scope: attain.ScopeRep, UserID: &e.rep2.UserID}}})
		if err != nil {
			t.Fatal(err)
		}
		if amountOf(out[1]) != 50_000 || amountOf(out[2]) != 100_000 {
			t.Errorf("September split with ramp: %d, %d", amountOf(out[1]), amountOf(out[2]))
		}
		// Reps cannot set ramps; managers not of other teams'.
		_, err = e.svc.SetRamp(e.ctx, e.rep1, e.rep1.UserID, attain.RampInput{Start: start, Percents: []int64{100}})
		storetest.WantCode(t, err, attain.EFORBIDDEN)
		_, err = e.svc.SetRamp(e.ctx, e.mgr, e.rep4.UserID, attain.RampInput{Start: start, Percents: []int64{100}})
		storetest.WantCode(t, err, attain.ENOTFOUND)
		_, err = e.svc.SetRamp(e.ctx, e.mgr, e.rep2.UserID, attain.RampInput{Start: start, Percents: []int64{101}})
		storetest.WantField(t, err, "percents[0]")
	})
}

func TestTargetProposal(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newPlanEnv(t, db)
		p, err := e.svc.ProposeTarget(e.ctx, e.rep1, attain.TargetProposal{Period: "2026-Q3", Kind: attain.TargetRevenue, Amount: 120_000, Comment: "Two renewals"})
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != attain.TargetProposed || p.Amount != nil || *p.ProposedAmount != 120_000 || *p.UserID != e.rep1.UserID {
			t.Fatalf("proposal: %s", mustJSON(p))
		}
		// Only their manager (or an admin) approves: not the rep, not another manager.
		_, err = e.svc.ApproveTarget(e.ctx, e.rep1, p.ID, 0, attain.TargetApproval{})
		storetest.WantCode(t, err, attain.EFORBIDDEN)
		_, err = e.svc.ApproveTarget(e.ctx, e.mgr2, p.ID, 0, attain.TargetApproval{})
		storetest.WantCode(t, err, attain.ENOTFOUND)
		// Adjusting needs a reason.
		_, err = e.svc.ApproveTarget(e.ctx, e.mgr, p.ID, 0, attain.TargetApproval{Amount: ptr(int64(150_000))})
		storetest.WantField(t, err, "reason")
		_, err = e.svc.ApproveTarget(e.ctx, e.mgr, p.ID, p.Version+5, attain.TargetApproval{})
		storetest.WantCode(t, err, attain.ESTALE)
		a, err := e.svc.ApproveTarget(e.ctx, e.mgr, p.ID, p.Version, attain.TargetApproval{Amount: ptr(int64(150_000)), Reason: "Territory grew"})
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != attain.TargetApproved || amountOf(a) != 150_000 || *a.ProposedAmount != 120_000 || *a.Difference != 30_000 || *a.ApprovedBy != e.mgr.UserID {
			t.Errorf("approved: %s", mustJSON(a))
		}
		// A new proposal leaves the approved amount in force until approved.
		p2, err := e.svc.ProposeTarget(e.ctx, e.rep1, attain.TargetProposal{Period: "2026-Q3", Kind: attain.TargetRevenue, Amount: 130_000})
		if err != nil {
			t.Fatal(err)
		}
		if p2.ID != a.ID || p2.Status != attain.TargetProposed || amountOf(p2) != 150_000 || *p2.ProposedAmount != 130_000 {
			t.Errorf("second proposal: %s", mustJSON(p2))
		}
		a2, err := e.svc.ApproveTarget(e.ctx, e.admin, p2.ID, 0, attain.TargetApproval{})
		if err != nil || amountOf(a2) != 130_000 || *a2.Difference != 0 {
			t.Fatalf("admin approves as proposed: %v %s", err, mustJSON(a2))
		}
		h, err := e.svc.TargetHistory(e.ctx, e.rep1, a2.ID)
		if err != nil {
			t.Fatal(err)
		}
		var amounts []string
		for _, c := range h {
			if c.Field == "amount" {
				amounts = append(amounts, string(c.New))
			}
		}
		if mustJSON(amounts) != `["150000","130000"]` {
			t.Errorf("amount history %v", amounts)
		}
		// A set target cannot be "approved".
		st := e.set(e.mgr, attain.TargetInput{TargetKey: revenue("2026-Q3", attain.ScopeRep, e.rep2.UserID), Amount: 1})
		_, err = e.svc.ApproveTarget(e.ctx, e.mgr, st.ID, 0, attain.TargetApproval{})
		storetest.WantCode(t, err, attain.ECONFLICT)
	})
}

func TestTargetRoles(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newPlanEnv(t, db)
		q := "2026-Q3"
		e.set(e.admin, attain.TargetInput{TargetKey: revenue(q, attain.ScopeCompany, 0), Amount: 9})
		for _, k := range []attain.TargetKey{revenue(q, attain.ScopeTeam, e.east), revenue(q, attain.ScopeTeam, e.west), revenue(q, attain.ScopeTeam, e.north)} {
			e.set(e.admin, attain.TargetInput{TargetKey: k, Amount: 5})
		}
		for _, u := range []*attain.Actor{e.rep1, e.rep2, e.rep3, e.rep4, e.rep5, e.mgr, e.mgr2} {
			e.set(e.admin, attain.TargetInput{TargetKey: revenue(q, attain.ScopeRep, u.UserID), Amount: 1})
		}
		for _, c := range []struct {
			name string
			who  *attain.Actor
			key  attain.TargetKey
			code string
		}{
			{"rep sets own", e.rep1, revenue(q, attain.ScopeRep, e.rep1.UserID), attain.EFORBIDDEN},
			{"manager sets company", e.mgr, revenue(q, attain.ScopeCompany, 0), attain.EFORBIDDEN},
			{"manager sets own", e.mgr, revenue(q, attain.ScopeRep, e.mgr.UserID), attain.EFORBIDDEN},
			{"manager sets rep of another team", e.mgr, revenue(q, attain.ScopeRep, e.rep4.UserID), attain.EFORBIDDEN},
			{"manager sets another team", e.mgr, revenue(q, attain.ScopeTeam, e.west), attain.EFORBIDDEN},
			{"sub-team manager sets parent team", e.mgr2, revenue(q, attain.ScopeTeam, e.east), attain.EFORBIDDEN},
			{"manager sets sub-team", e.mgr, revenue(q, attain.ScopeTeam, e.north), ""},
			{"manager sets sub-team's rep", e.mgr, revenue(q, attain.ScopeRep, e.rep3.UserID), ""},
			{"manager sets sub-team's manager", e.mgr, revenue(q, attain.ScopeRep, e.mgr2.UserID), ""},
			{"admin sets anyone", e.admin, revenue(q, attain.ScopeRep, e.rep5.UserID), ""},
			{"unknown user", e.admin, revenue(q, attain.ScopeRep, 99999), attain.EINVALID},
		} {
			_, err := e.svc.SetTarget(e.ctx, c.who, attain.TargetInput{TargetKey: c.key, Amount: 2})
			if got := attain.ErrorCode(err); got != c.code {
				t.Errorf("%s: code %q (%v), want %q", c.name, got, err, c.code)
			}
		}
		// Reads: reps their own; managers their teams (with sub-teams) and people; admins all.
		for _, c := range []struct {
			who  *attain.Actor
			want int
		}{{e.rep1, 1}, {e.rep5, 1}, {e.mgr2, 3}, {e.mgr, 7}, {e.admin, 11}} {
			ts, err := e.svc.Targets(e.ctx, c.who, attain.TargetFilter{Period: q})
			if err != nil || len(ts) != c.want {
				t.Errorf("%s sees %d targets (%v), want %d", c.who.Name, len(ts), err, c.want)
			}
		}
		ts, _ := e.svc.Targets(e.ctx, e.admin, attain.TargetFilter{Period: q, Scope: attain.ScopeTeam})
		if len(ts) != 3 {
			t.Errorf("admin sees %d team targets", len(ts))
		}
		rep4t, _ := e.svc.Targets(e.ctx, e.rep4, attain.TargetFilter{})
		if _, err := e.svc.FindTarget(e.ctx, e.rep1, rep4t[0].ID); attain.ErrorCode(err) != attain.ENOTFOUND {
			t.Errorf("rep1 reads rep4's target: %v", err)
		}
		if _, err := e.svc.TargetRollup(e.ctx, e.rep1, q, "", "", &e.east); attain.ErrorCode(err) != attain.ENOTFOUND {
			t.Errorf("rep reads team rollup: %v", err)
		}
		if _, err := e.svc.TargetRollup(e.ctx, e.mgr, q, "", "", nil); attain.ErrorCode(err) != attain.EFORBIDDEN {
			t.Errorf("manager reads company rollup: %v", err)
		}
		if _, err := e.svc.TargetRollup(e.ctx, e.mgr, q, "", "", &e.west); attain.ErrorCode(err) != attain.ENOTFOUND {
			t.Errorf("manager reads another team's rollup: %v", err)
		}
		r, err := e.svc.TargetRollup(e.ctx, e.admin, q, "", "", nil)
		if err != nil || amountOf(r.Explicit) != 9 || r.MembersSum != 10 {
			t.Errorf("company rollup: %v %s", err, mustJSON(r))
		}
		// Planning settings: admins only; the fiscal calendar changes how periods parse.
		if _, err := e.svc.SetPlanning(e.ctx, e.mgr, attain.PlanningSettings{FiscalStartMonth: 2, Currency: "EUR"}); attain.ErrorCode(err) != attain.EFORBIDDEN {
			t.Errorf("manager sets planning: %v", err)
		}
		if _, err := e.svc.SetPlanning(e.ctx, e.admin, attain.PlanningSettings{FiscalStartMonth: 13, Currency: "EUR"}); attain.ErrorCode(err) != attain.EINVALID {
			t.Errorf("month 13: %v", err)
		}
		if _, err := e.svc.SetPlanning(e.ctx, e.admin, attain.PlanningSettings{FiscalStartMonth: 2, Currency: "eur"}); err != nil {
			t.Fatal(err)
		}
		cal, _ := e.svc.Calendar(e.ctx, e.rep1)
		if p, _ := cal.Parse("FY2027"); p.Start.String() != "2026-02-01" {
			t.Errorf("FY2027 with a February start begins %s", p.Start)
		}
		nt := e.set(e.admin, attain.TargetInput{TargetKey: revenue("2027-Q1", attain.ScopeCompany, 0), Amount: 1})
		if nt.Currency != "EUR" || nt.PeriodStart.String() != "2026-02-01" {
			t.Errorf("new target after the calendar change: %s", mustJSON(nt))
		}
	})
}
