package service_test

import (
	"slices"
	"testing"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/analytics"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// TestDashboardDecisionMaker checks which open deals the rep's home flags
// as having no decision maker: a decision maker or economic buyer on the
// deal, or on its account (a role not tied to a deal), clears the flag; a
// role tied to another deal of the account, or another role, does not.
func TestDashboardDecisionMaker(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newKPIEnv(t, db)
		rep := e.rep
		acct := func(name string) *int64 {
			a, err := e.svc.CreateAccount(e.ctx, rep, attain.AccountInput{Name: name})
			if err != nil {
				t.Fatalf("account: %v", err)
			}
			return &a.ID
		}
		onDeal, onAccount := acct("Deal Roles"), acct("Account Roles")
		deal := func(account *int64) *attain.Deal {
			amount := int64(1000)
			cd, _ := attain.ParseDate("2026-09-30")
			return e.deal(rep, attain.DealInput{Amount: &amount, CloseDate: &cd, AccountID: account})
		}
		role := func(account *int64, dealID *int64, r string) {
			c, err := e.svc.CreateContact(e.ctx, rep, attain.ContactInput{AccountID: account, FirstName: "Dee", LastName: r})
			if err != nil {
				t.Fatalf("contact: %v", err)
			}
			in := attain.ContactRoleInput{Role: r, DealID: dealID}
			if dealID == nil {
				in.AccountID = account
			}
			if _, err := e.svc.AddContactRole(e.ctx, rep, c.ID, in); err != nil {
				t.Fatalf("role %s: %v", r, err)
			}
		}
		bare := deal(nil)
		withDM := deal(onDeal)
		role(onDeal, &withDM.ID, "decision_maker")
		sibling := deal(onDeal) // the account's only role is tied to withDM
		byAccount := deal(onAccount)
		role(onAccount, nil, "economic_buyer")

		h, err := e.svc.RepDashboard(e.ctx, rep, 0, "2026-Q3", "")
		if err != nil {
			t.Fatalf("rep home: %v", err)
		}
		flagged := map[int64]bool{}
		for _, a := range h.Attention {
			if slices.Contains(a.Reasons, analytics.AttentionNoDecisionMaker) {
				flagged[a.DealID] = true
			}
		}
		want := map[int64]bool{bare.ID: true, sibling.ID: true}
		for _, d := range []*attain.Deal{bare, withDM, sibling, byAccount} {
			if flagged[d.ID] != want[d.ID] {
				t.Errorf("deal %d flagged = %v, want %v", d.ID, flagged[d.ID], want[d.ID])
			}
		}
	})
}

// TestDashboardExitActivities checks the rep's home flags open deals whose
// stage asks for key activities not yet logged on them (counted for all
// the rep's deals in one batched query), and that a bookings target reaches
// the bookings KPI.
func TestDashboardExitActivities(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newKPIEnv(t, db)
		rep := e.rep
		p30 := 30
		p, err := e.svc.CreatePipeline(e.ctx, e.admin, attain.PipelineInput{Name: "Calls first", Stages: []attain.StageInput{
			{Name: "Talk", Probability: &p30, ExitCriteria: attain.ExitCriteria{Activities: []attain.ActivityRequirement{{Type: "call", Count: 2}}}},
			{Name: "Won", Outcome: attain.OutcomeWon},
			{Name: "Lost", Outcome: attain.OutcomeLost},
		}})
		if err != nil {
			t.Fatalf("pipeline: %v", err)
		}
		talk := p.Stages[0].ID
		deal := func(calls int) *attain.Deal {
			amount := int64(1000)
			cd, _ := attain.ParseDate("2026-09-30")
			d := e.deal(rep, attain.DealInput{Amount: &amount, CloseDate: &cd, PipelineID: &p.ID, StageID: &talk})
			for i := 0; i < calls; i++ {
				at := e.now
				if _, err := e.svc.CreateActivity(e.ctx, rep, attain.NewActivity{Type: "call", DealID: &d.ID, OccurredAt: &at}); err != nil {
					t.Fatalf("activity: %v", err)
				}
			}
			return d
		}
		one, two := deal(1), deal(2)
		h, err := e.svc.RepDashboard(e.ctx, rep, 0, "2026-Q3", "")
		if err != nil {
			t.Fatalf("rep home: %v", err)
		}
		missing := map[int64][]string{}
		for _, a := range h.Attention {
			missing[a.DealID] = a.Missing
		}
		if !slices.Equal(missing[one.ID], []string{"activities.call"}) || len(missing[two.ID]) != 0 {
			t.Errorf("missing: one call %v, two calls %v", missing[one.ID], missing[two.ID])
		}

		if _, err := e.svc.SetTarget(e.ctx, e.admin, attain.TargetInput{TargetKey: attain.TargetKey{Period: "2026-Q3",
			Kind: attain.TargetBookings, Scope: attain.ScopeRep, UserID: &rep.UserID}, Amount: 5000}); err != nil {
			t.Fatalf("target: %v", err)
		}
		r, err := e.svc.FindKPIs(e.ctx, rep, attain.KPIQuery{Period: "2026-Q3", UserID: rep.UserID})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range r.KPIs {
			if k.Key == "bookings" && (k.TargetAmount == nil || *k.TargetAmount != 5000 || *k.Amount != 0 || k.Status != "below") {
				t.Errorf("bookings = %+v", k)
			}
		}
	})
}

// TestDashboardDecisionMakerChanges checks the rep's home follows buying
// roles from one request to the next: the facts it keeps per rep are read
// again when a contact becomes a deal's decision maker, when that role is
// removed, and when the deal moves to an account that has one.
func TestDashboardDecisionMakerChanges(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newKPIEnv(t, db)
		rep := e.rep
		acct, err := e.svc.CreateAccount(e.ctx, rep, attain.AccountInput{Name: "Roles Later"})
		if err != nil {
			t.Fatalf("account: %v", err)
		}
		other, err := e.svc.CreateAccount(e.ctx, rep, attain.AccountInput{Name: "Buyer Known"})
		if err != nil {
			t.Fatalf("account: %v", err)
		}
		amount := int64(1000)
		cd, _ := attain.ParseDate("2026-09-30")
		d := e.deal(rep, attain.DealInput{Amount: &amount, CloseDate: &cd, AccountID: &acct.ID})
		flagged := func(step string, want bool) {
			t.Helper()
			h, err := e.svc.RepDashboard(e.ctx, rep, 0, "2026-Q3", "")
			if err != nil {
				t.Fatalf("%s: rep home: %v", step, err)
			}
			got := false
			for _, a := range h.Attention {
				if a.DealID == d.ID && slices.Contains(a.Reasons, analytics.AttentionNoDecisionMaker) {
					got = true
				}
			}
			if got != want {
				t.Errorf("%s: no decision maker = %v, want %v", step, got, want)
			}
		}
		flagged("no roles", true)
		flagged("no roles, again", true)

		c, err := e.svc.CreateContact(e.ctx, rep, attain.ContactInput{AccountID: &acct.ID, FirstName: "Dee", LastName: "Maker"})
		if err != nil {
			t.Fatalf("contact: %v", err)
		}
		flagged("contact without a role", true)
		r, err := e.svc.AddContactRole(e.ctx, rep, c.ID, attain.ContactRoleInput{Role: "decision_maker", DealID: &d.ID})
		if err != nil {
			t.Fatalf("role: %v", err)
		}
		flagged("decision maker on the deal", false)
		if err := e.svc.RemoveContactRole(e.ctx, rep, c.ID, r.ID); err != nil {
			t.Fatalf("remove role: %v", err)
		}
		flagged("role removed", true)

		b, err := e.svc.CreateContact(e.ctx, rep, attain.ContactInput{AccountID: &other.ID, FirstName: "Eco", LastName: "Buyer"})
		if err != nil {
			t.Fatalf("contact: %v", err)
		}
		if _, err := e.svc.AddContactRole(e.ctx, rep, b.ID, attain.ContactRoleInput{Role: "economic_buyer", AccountID: &other.ID}); err != nil {
			t.Fatalf("role: %v", err)
		}
		flagged("buyer on another account", true)
		if _, err := e.svc.UpdateDeal(e.ctx, rep, d.ID, d.Version, attain.DealUpdate{AccountID: attain.Null(&other.ID)}); err != nil {
			t.Fatalf("move deal: %v", err)
		}
		flagged("deal moved to the buyer's account", false)
	})
}

// TestDashboardTargetChanges checks the rep's home shows a target set, or
// changed, since the last request: the approved targets dashboards keep
// are read again when any target is written.
func TestDashboardTargetChanges(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newKPIEnv(t, db)
		target := func(step string) *int64 {
			t.Helper()
			h, err := e.svc.RepDashboard(e.ctx, e.rep, 0, "2026-Q3", "")
			if err != nil {
				t.Fatalf("%s: rep home: %v", step, err)
			}
			return h.Attainment.Target
		}
		if got := target("before"); got != nil {
			t.Fatalf("target before = %d, want none", *got)
		}
		key := attain.TargetKey{Period: "2026-Q3", Kind: attain.TargetRevenue, Scope: attain.ScopeRep, UserID: &e.rep.UserID}
		for _, amount := range []int64{7000, 9000} {
			if _, err := e.svc.SetTarget(e.ctx, e.admin, attain.TargetInput{TargetKey: key, Amount: amount}); err != nil {
				t.Fatalf("target: %v", err)
			}
			if got := target("after"); got == nil || *got != amount {
				t.Errorf("target after setting %d = %v", amount, got)
			}
		}
	})
}
