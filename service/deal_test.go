package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// dealEnv is a workspace with the default sales process and a small sales
// team: an admin, a manager managing rep, and rep2 outside that team.
type dealEnv struct {
	t                         *testing.T
	ctx                       context.Context
	svc                       *service.Service
	db                        *store.DB
	ws                        *attain.Workspace
	admin, manager, rep, rep2 *attain.Actor
	pipeline                  *attain.Pipeline
	stage                     map[string]*attain.Stage
}

func newDealEnv(t *testing.T, db *store.DB) *dealEnv {
	t.Helper()
	ctx := context.Background()
	svc := service.New(db, slog.New(slog.DiscardHandler), service.FastHasher())
	ws, admin, err := svc.Bootstrap(ctx, "Deal Co", attain.NewUser{Email: "admin@deal.test", Name: "Admin", Password: "a long password"})
	if err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	e := &dealEnv{t: t, ctx: ctx, svc: svc, db: db, ws: ws}
	e.admin = e.actor(admin.ID)
	user := func(email string, role attain.Role) int64 {
		u, err := svc.CreateUser(ctx, e.admin, attain.NewUser{Email: email, Name: email, Password: "a long password", Role: role})
		if err != nil {
			t.Fatalf("create %s: %v", email, err)
		}
		return u.ID
	}
	mgr, rep, rep2 := user("manager@deal.test", attain.RoleManager), user("rep@deal.test", attain.RoleRep), user("rep2@deal.test", attain.RoleRep)
	if _, err := svc.CreateTeam(ctx, e.admin, attain.TeamInput{Name: "East", ManagerID: &mgr, MemberIDs: []int64{rep}}); err != nil {
		t.Fatalf("team: %v", err)
	}
	e.manager, e.rep, e.rep2 = e.actor(mgr), e.actor(rep), e.actor(rep2)
	e.ensureActivityTypes("demo", "proposal", "call")
	e.reloadPipeline()
	return e
}

func (e *dealEnv) actor(userID int64) *attain.Actor {
	e.t.Helper()
	a, err := e.svc.ActorFor(e.ctx, e.ws.ID, userID)
	if err != nil {
		e.t.Fatalf("actor %d: %v", userID, err)
	}
	return a
}

// ensureActivityTypes adds the activity types the default pipeline names,
// unless workspace setup already seeded them.
func (e *dealEnv) ensureActivityTypes(keys ...string) {
	e.t.Helper()
	have, err := e.svc.FindActivityTypes(e.ctx, e.admin)
	if err != nil {
		e.t.Fatalf("activity types: %v", err)
	}
	for _, k := range keys {
		if slices.ContainsFunc(have, func(t *attain.ActivityType) bool { return t.Key == k }) {
			continue
		}
		if _, err := e.svc.CreateActivityType(e.ctx, e.admin, attain.NewActivityType{Key: k, Name: k}); err != nil {
			e.t.Fatalf("activity type %s: %v", k, err)
		}
	}
}

func (e *dealEnv) reloadPipeline() {
	e.t.Helper()
	ps, err := e.svc.FindPipelines(e.ctx, e.admin)
	if err != nil || len(ps) == 0 || !ps[0].IsDefault {
		e.t.Fatalf("default pipeline: %v %v", ps, err)
	}
	e.pipeline = ps[0]
	e.stage = map[string]*attain.Stage{}
	for _, s := range e.pipeline.Stages {
		e.stage[s.Name] = s
	}
}

// deal creates a deal as a, failing the test on error.
func (e *dealEnv) deal(a *attain.Actor, in attain.DealInput) *attain.Deal {
	e.t.Helper()
	if in.Name == "" {
		in.Name = "Acme renewal"
	}
	d, err := e.svc.CreateDeal(e.ctx, a, in)
	if err != nil {
		e.t.Fatalf("create deal: %v", err)
	}
	return d
}

// qualified returns a deal in Qualified with its exit criteria met.
func (e *dealEnv) qualified(a *attain.Actor) *attain.Deal {
	e.t.Helper()
	amount := int64(500000)
	close := attain.DateOf(time.Now()).AddDays(30)
	return e.deal(a, attain.DealInput{Amount: &amount, CloseDate: &close})
}

func (e *dealEnv) move(a *attain.Actor, d *attain.Deal, stage string, in attain.MoveInput) (*attain.Deal, error) {
	e.t.Helper()
	st := e.stage[stage]
	if st == nil {
		e.t.Fatalf("no stage %q", stage)
	}
	in.StageID = st.ID
	return e.svc.MoveDeal(e.ctx, a, d.ID, 0, in)
}

func (e *dealEnv) mustMove(a *attain.Actor, d *attain.Deal, stage string, in attain.MoveInput) *attain.Deal {
	e.t.Helper()
	d, err := e.move(a, d, stage, in)
	if err != nil {
		e.t.Fatalf("move to %s: %v", stage, err)
	}
	return d
}

func (e *dealEnv) logActivity(a *attain.Actor, d *attain.Deal, key string) {
	e.t.Helper()
	at := time.Now().Add(-time.Hour)
	if _, err := e.svc.CreateActivity(e.ctx, a, attain.NewActivity{Type: key, DealID: &d.ID, OccurredAt: &at}); err != nil {
		e.t.Fatalf("log %s: %v", key, err)
	}
}

func (e *dealEnv) patch(a *attain.Actor, d *attain.Deal, js string) *attain.Deal {
	e.t.Helper()
	var u attain.DealUpdate
	if err := json.Unmarshal([]byte(js), &u); err != nil {
		e.t.Fatalf("update %s: %v", js, err)
	}
	d, err := e.svc.UpdateDeal(e.ctx, a, d.ID, 0, u)
	if err != nil {
		e.t.Fatalf("update %s: %v", js, err)
	}
	return d
}

// fieldErrors returns the fields of an EINVALID error, failing otherwise.
func fieldErrors(t *testing.T, err error) []attain.FieldError {
	t.Helper()
	var e *attain.Error
	if !errors.As(err, &e) || e.Code != attain.EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
	return e.Fields
}

func fieldNames(fs []attain.FieldError) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Field
	}
	return out
}

func TestDealDefaults(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		d := e.deal(e.rep, attain.DealInput{Name: "  Quick one "})
		today := attain.DateOf(e.db.Now())
		switch {
		case d.Name != "Quick one":
			t.Errorf("name %q", d.Name)
		case d.OwnerID != e.rep.UserID:
			t.Errorf("owner %d, want the creator %d", d.OwnerID, e.rep.UserID)
		case d.PipelineID != e.pipeline.ID || d.StageID != e.stage["Qualified"].ID || d.StageName != "Qualified":
			t.Errorf("pipeline %d stage %d %q, want the default pipeline's first stage", d.PipelineID, d.StageID, d.StageName)
		case d.Currency != "USD" || d.Amount != 0 || d.Status != attain.DealOpen:
			t.Errorf("currency %q amount %d status %q", d.Currency, d.Amount, d.Status)
		case d.CloseDate != today.EndOfMonth(1) || !d.CloseDateEstimated:
			t.Errorf("close date %v estimated %v, want %v estimated", d.CloseDate, d.CloseDateEstimated, today.EndOfMonth(1))
		case d.ForecastCategory != attain.ForecastPipeline || *d.Probability != 10 || d.ForecastOverride != nil:
			t.Errorf("forecast %q probability %d override %v", d.ForecastCategory, *d.Probability, d.ForecastOverride)
		case d.Version != 1:
			t.Errorf("version %d", d.Version)
		}
		// Setting the close date confirms it.
		d = e.patch(e.rep, d, `{"close_date":"2030-01-31"}`)
		if d.CloseDate.String() != "2030-01-31" || d.CloseDateEstimated {
			t.Errorf("after PATCH: %v estimated %v", d.CloseDate, d.CloseDateEstimated)
		}
		// Only the name is required; bad input names each field.
		_, err := e.svc.CreateDeal(e.ctx, e.rep, attain.DealInput{Currency: "dollars", ForecastCategory: ptr("closed_won")})
		if got := fieldNames(fieldErrors(t, err)); !slices.Equal(got, []string{"name", "currency", "forecast_category"}) {
			t.Errorf("fields %v", got)
		}
		// A deal starts open.
		_, err = e.svc.CreateDeal(e.ctx, e.rep, attain.DealInput{Name: "x", StageID: &e.stage["Won"].ID})
		if got := fieldNames(fieldErrors(t, err)); !slices.Equal(got, []string{"stage_id"}) {
			t.Errorf("create won: fields %v", got)
		}
		// A rep cannot hand a deal to someone outside their sight.
		_, err = e.svc.CreateDeal(e.ctx, e.rep, attain.DealInput{Name: "x", OwnerID: &e.rep2.UserID})
		if got := fieldNames(fieldErrors(t, err)); !slices.Equal(got, []string{"owner_id"}) {
			t.Errorf("create for rep2: fields %v", got)
		}
		// A manager can create one for their rep.
		if d := e.deal(e.manager, attain.DealInput{OwnerID: &e.rep.UserID}); d.OwnerID != e.rep.UserID {
			t.Errorf("manager-created owner %d", d.OwnerID)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestMoveExitCriteria(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		enableOverride := func(on bool) {
			if _, err := e.svc.UpdatePipeline(e.ctx, e.admin, e.pipeline.ID, 0, attain.PipelineUpdate{AllowOverride: &on}); err != nil {
				t.Fatalf("allow override: %v", err)
			}
		}
		atContractSent := func(a *attain.Actor) *attain.Deal {
			d := e.qualified(e.rep)
			e.logActivity(e.rep, d, "demo")
			e.logActivity(e.rep, d, "proposal")
			d = e.patch(e.rep, d, `{"next_step":"Trial plan"}`)
			contact := e.contact()
			d = e.patch(e.rep, d, `{"primary_contact_id":`+itoa(contact)+`}`)
			return e.mustMove(a, d, "Contract sent", attain.MoveInput{})
		}
		cases := []struct {
			name     string
			setup    func() *attain.Deal
			by       func() *attain.Actor
			to       string
			in       attain.MoveInput
			override bool // the pipeline allows overrides
			want     []attain.FieldError
			wantCode string // another error code
		}{
			{name: "missing fields", setup: func() *attain.Deal { return e.deal(e.rep, attain.DealInput{}) }, to: "Demo scheduled",
				want: []attain.FieldError{{Field: "amount", Message: "required to leave Qualified"}, {Field: "close_date", Message: "required to leave Qualified"}}},
			{name: "fields met", setup: func() *attain.Deal { return e.qualified(e.rep) }, to: "Demo scheduled"},
			{name: "missing activity", setup: func() *attain.Deal {
				return e.mustMove(e.rep, e.qualified(e.rep), "Demo scheduled", attain.MoveInput{})
			}, to: "Demo completed",
				want: []attain.FieldError{{Field: "activities.demo", Message: "1 demo needed, 0 logged"}}},
			{name: "activity logged", setup: func() *attain.Deal {
				d := e.mustMove(e.rep, e.qualified(e.rep), "Demo scheduled", attain.MoveInput{})
				e.logActivity(e.rep, d, "demo")
				return d
			}, to: "Demo completed"},
			{name: "a planned activity does not count", setup: func() *attain.Deal {
				d := e.mustMove(e.rep, e.qualified(e.rep), "Demo scheduled", attain.MoveInput{})
				due := time.Now().Add(24 * time.Hour)
				if _, err := e.svc.CreateActivity(e.ctx, e.rep, attain.NewActivity{Type: "demo", DealID: &d.ID, DueAt: &due}); err != nil {
					t.Fatalf("plan demo: %v", err)
				}
				return d
			}, to: "Demo completed",
				want: []attain.FieldError{{Field: "activities.demo", Message: "1 demo needed, 0 logged"}}},
			{name: "skipping stages checks every stage skipped", setup: func() *attain.Deal { return e.qualified(e.rep) }, to: "Trial",
				want: []attain.FieldError{{Field: "next_step", Message: "required to leave Demo completed"}, {Field: "activities.demo", Message: "1 demo needed, 0 logged"}}},
			{name: "skipping to won", setup: func() *attain.Deal { return e.deal(e.rep, attain.DealInput{}) }, to: "Won", in: attain.MoveInput{Reason: "price"},
				want: []attain.FieldError{
					{Field: "amount", Message: "required to leave Qualified"}, {Field: "close_date", Message: "required to leave Qualified"},
					{Field: "next_step", Message: "required to leave Demo completed"},
					{Field: "primary_contact_id", Message: "required to leave Trial"}, {Field: "account_id", Message: "required to leave Contract sent"},
					{Field: "activities.demo", Message: "1 demo needed, 0 logged"}, {Field: "activities.proposal", Message: "1 proposal needed, 0 logged"}}},
			{name: "backwards is always allowed", setup: func() *attain.Deal {
				d := e.mustMove(e.rep, e.qualified(e.rep), "Demo scheduled", attain.MoveInput{})
				return e.patch(e.rep, d, `{"amount":0}`)
			}, to: "Qualified"},
			{name: "lost is always allowed", setup: func() *attain.Deal { return e.deal(e.rep, attain.DealInput{}) }, to: "Lost",
				in: attain.MoveInput{Reason: "no_budget", ReasonNote: "Frozen until Q3"}},
			{name: "lost needs a reason", setup: func() *attain.Deal { return e.deal(e.rep, attain.DealInput{}) }, to: "Lost",
				want: []attain.FieldError{{Field: "reason", Message: "is required to move a deal to Lost; one of the lost_reason picklist"}}},
			{name: "lost needs a known reason", setup: func() *attain.Deal { return e.deal(e.rep, attain.DealInput{}) }, to: "Lost",
				in:   attain.MoveInput{Reason: "product_fit"},
				want: []attain.FieldError{{Field: "reason", Message: "unknown value \"product_fit\"; known: price, competitor, no_decision, no_budget, timing, product_gap, other"}}},
			{name: "won with criteria met", setup: func() *attain.Deal {
				d := atContractSent(e.rep)
				return e.patch(e.rep, d, `{"account_id":`+itoa(e.account())+`}`)
			}, to: "Won", in: attain.MoveInput{Reason: "product_fit"}},
			{name: "won with criteria unmet", setup: func() *attain.Deal { return atContractSent(e.rep) }, to: "Won", in: attain.MoveInput{Reason: "product_fit"},
				want: []attain.FieldError{{Field: "account_id", Message: "required to leave Contract sent"}}},
			{name: "override not allowed by the pipeline", setup: func() *attain.Deal { return e.deal(e.rep, attain.DealInput{}) }, by: func() *attain.Actor { return e.manager },
				to: "Demo scheduled", in: attain.MoveInput{OverrideReason: "Verbal commitment from the CFO"},
				want: []attain.FieldError{{Field: "amount", Message: "required to leave Qualified"}, {Field: "close_date", Message: "required to leave Qualified"},
					{Field: "override_reason", Message: "the Sales pipeline does not allow overriding exit criteria"}}},
			{name: "manager overrides", setup: func() *attain.Deal { return e.deal(e.rep, attain.DealInput{}) }, by: func() *attain.Actor { return e.manager },
				to: "Demo scheduled", in: attain.MoveInput{OverrideReason: "Verbal commitment from the CFO"}, override: true},
			{name: "rep cannot override", setup: func() *attain.Deal { return e.deal(e.rep, attain.DealInput{}) },
				to: "Demo scheduled", in: attain.MoveInput{OverrideReason: "Trust me"}, override: true, wantCode: attain.EFORBIDDEN},
			{name: "override without a reason is refused", setup: func() *attain.Deal { return e.deal(e.rep, attain.DealInput{}) }, by: func() *attain.Actor { return e.manager },
				to: "Demo scheduled", override: true,
				want: []attain.FieldError{{Field: "amount", Message: "required to leave Qualified"}, {Field: "close_date", Message: "required to leave Qualified"}}},
			{name: "another rep's deal does not exist", setup: func() *attain.Deal { return e.qualified(e.rep) }, by: func() *attain.Actor { return e.rep2 },
				to: "Demo scheduled", wantCode: attain.ENOTFOUND},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				enableOverride(false)
				d := c.setup()
				enableOverride(c.override)
				by := e.rep
				if c.by != nil {
					by = c.by()
				}
				before, _ := e.svc.FindDealHistory(e.ctx, e.admin, d.ID)
				got, err := e.move(by, d, c.to, c.in)
				after, _ := e.svc.FindDealHistory(e.ctx, e.admin, d.ID)
				switch {
				case c.wantCode != "":
					if attain.ErrorCode(err) != c.wantCode {
						t.Fatalf("err = %v, want %s", err, c.wantCode)
					}
				case c.want != nil:
					if fs := fieldErrors(t, err); !slices.Equal(fs, c.want) {
						t.Fatalf("errors\n got %v\nwant %v", fs, c.want)
					}
				case err != nil:
					t.Fatalf("move: %v", err)
				default:
					if got.StageID != e.stage[c.to].ID || got.Version != d.Version+1 {
						t.Errorf("stage %d version %d, want %d version %d", got.StageID, got.Version, e.stage[c.to].ID, d.Version+1)
					}
					if len(after.Stages) != len(before.Stages)+1 {
						t.Fatalf("stage history %d rows, was %d", len(after.Stages), len(before.Stages))
					}
					last, prev := after.Stages[len(after.Stages)-1], after.Stages[len(after.Stages)-2]
					if last.StageID != got.StageID || last.ExitedAt != nil || prev.ExitedAt == nil || !prev.ExitedAt.Equal(last.EnteredAt) ||
						*last.FromStageID != prev.StageID || *last.MovedBy != by.UserID || last.PipelineVersion != e.pipeline.CurrentVersion {
						t.Errorf("history rows: prev %+v last %+v", prev, last)
					}
					if (last.OverrideReason != nil) != (c.in.OverrideReason != "") {
						t.Errorf("override recorded %v, asked %q", last.OverrideReason, c.in.OverrideReason)
					}
					if c.in.OverrideReason != "" {
						es, _, _ := e.svc.FindAudit(e.ctx, e.admin, attain.AuditFilter{EntityType: "deal", EntityID: d.ID, Page: attain.Page{Limit: 1}})
						if len(es) != 1 || es[0].Action != "override_exit_criteria" || *es[0].ActorID != by.UserID {
							t.Errorf("audit: %+v", es)
						}
					}
					switch e.stage[c.to].Outcome {
					case attain.OutcomeLost, attain.OutcomeWon:
						if got.Status != e.stage[c.to].Outcome || got.ClosedAt == nil || got.Reason != c.in.Reason || got.ReasonNote != c.in.ReasonNote {
							t.Errorf("closed deal: status %q closed %v reason %q %q", got.Status, got.ClosedAt, got.Reason, got.ReasonNote)
						}
					}
					return
				}
				// A refused move changes nothing.
				now, err := e.svc.FindDeal(e.ctx, e.admin, d.ID)
				if err != nil || now.Version != d.Version || now.StageID != d.StageID || len(after.Stages) != len(before.Stages) {
					t.Errorf("refused move changed the deal: version %d→%d, stage %d→%d, history %d→%d (%v)",
						d.Version, now.Version, d.StageID, now.StageID, len(before.Stages), len(after.Stages), err)
				}
			})
		}
	})
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// account creates an account owned by the admin, shared with nobody; the
// rep's deals may only refer to accounts the rep sees, so it is the rep's.
func (e *dealEnv) account() int64 {
	e.t.Helper()
	x, err := e.svc.CreateAccount(e.ctx, e.rep, attain.AccountInput{Name: "Acme " + time.Now().Format("150405.000000")})
	if err != nil {
		e.t.Fatalf("account: %v", err)
	}
	return x.ID
}

func (e *dealEnv) contact() int64 {
	e.t.Helper()
	x, err := e.svc.CreateContact(e.ctx, e.rep, attain.ContactInput{FirstName: "Ada", LastName: "Buyer"})
	if err != nil {
		e.t.Fatalf("contact: %v", err)
	}
	return x.ID
}

func TestMoveClosedDeals(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		d := e.deal(e.rep, attain.DealInput{ForecastCategory: ptr(attain.ForecastCommit)})
		if d.ForecastCategory != attain.ForecastCommit {
			t.Fatalf("override: effective %q", d.ForecastCategory)
		}
		d = e.mustMove(e.rep, d, "Lost", attain.MoveInput{Reason: "timing"})
		if d.ForecastCategory != attain.ForecastClosedLost || d.ForecastOverride != nil || *d.Probability != 0 {
			t.Errorf("lost deal: forecast %q override %v probability %d", d.ForecastCategory, d.ForecastOverride, *d.Probability)
		}
		// A lost deal is reopened by moving it back, never straight to won.
		if _, err := e.move(e.rep, d, "Won", attain.MoveInput{Reason: "price"}); attain.ErrorCode(err) != attain.EINVALID {
			t.Errorf("lost → won: %v", err)
		}
		d = e.mustMove(e.rep, d, "Demo scheduled", attain.MoveInput{})
		if d.Status != attain.DealOpen || d.ClosedAt != nil || d.Reason != "" {
			t.Errorf("reopened: status %q closed %v reason %q", d.Status, d.ClosedAt, d.Reason)
		}
		// Moving to the stage it is in changes nothing (a retried request).
		again := e.mustMove(e.rep, d, "Demo scheduled", attain.MoveInput{})
		if again.Version != d.Version {
			t.Errorf("same-stage move bumped the version %d → %d", d.Version, again.Version)
		}
		// A reason belongs to won and lost only.
		if _, err := e.move(e.rep, d, "Qualified", attain.MoveInput{Reason: "price"}); attain.ErrorCode(err) != attain.EINVALID {
			t.Errorf("reason on an open move: %v", err)
		}
		h, err := e.svc.FindDealHistory(e.ctx, e.rep, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, s := range h.Stages {
			names = append(names, s.StageName)
		}
		if !slices.Equal(names, []string{"Qualified", "Lost", "Demo scheduled"}) || h.Stages[0].FromStageID != nil {
			t.Errorf("stage history %v (first from %v)", names, h.Stages[0].FromStageID)
		}
		fields := map[string]bool{}
		for _, c := range h.Changes {
			fields[c.Field] = true
		}
		for _, f := range []string{"name", "stage_id", "status", "reason", "closed_at", "forecast_category_override"} {
			if !fields[f] {
				t.Errorf("field history lacks %s: %v", f, fields)
			}
		}
		if fields["stage_name"] || fields["probability"] {
			t.Errorf("field history records derived fields: %v", fields)
		}
	})
}

func TestDealUpdateRules(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		d := e.deal(e.rep, attain.DealInput{})

		// The stage changes only by moving, and the error says so.
		var u attain.DealUpdate
		_ = json.Unmarshal([]byte(`{"stage_id": 5}`), &u)
		_, err := e.svc.UpdateDeal(e.ctx, e.rep, d.ID, 0, u)
		if fs := fieldErrors(t, err); len(fs) != 1 || fs[0].Field != "stage_id" || !strings.Contains(fs[0].Message, "POST /api/v1/deals/{id}/move") {
			t.Errorf("stage_id PATCH: %v", fs)
		}
		// A stale version is refused and nothing is written.
		d2 := e.patch(e.rep, d, `{"next_step":"Call back"}`)
		name := "Stale"
		if _, err := e.svc.UpdateDeal(e.ctx, e.rep, d.ID, d.Version, attain.DealUpdate{Name: &name}); attain.ErrorCode(err) != attain.ESTALE {
			t.Errorf("stale update: %v", err)
		}
		if _, err := e.svc.MoveDeal(e.ctx, e.rep, d.ID, d.Version, attain.MoveInput{StageID: e.stage["Lost"].ID, Reason: "price"}); attain.ErrorCode(err) != attain.ESTALE {
			t.Errorf("stale move: %v", err)
		}
		if now, _ := e.svc.FindDeal(e.ctx, e.rep, d.ID); now.Version != d2.Version || now.Name != d.Name {
			t.Errorf("stale writes changed the deal: %+v", now)
		}
		// The forecast override: set, then null to follow the stage again.
		d = e.patch(e.rep, d2, `{"forecast_category":"best_case"}`)
		if d.ForecastCategory != "best_case" || *d.ForecastOverride != "best_case" {
			t.Errorf("override: %q %v", d.ForecastCategory, d.ForecastOverride)
		}
		d = e.patch(e.rep, d, `{"forecast_category":null}`)
		if d.ForecastCategory != "pipeline" || d.ForecastOverride != nil {
			t.Errorf("cleared override: %q %v", d.ForecastCategory, d.ForecastOverride)
		}
		// Visibility: rep2 cannot see, change, delete or read the history.
		if _, err := e.svc.FindDeal(e.ctx, e.rep2, d.ID); attain.ErrorCode(err) != attain.ENOTFOUND {
			t.Errorf("rep2 reads: %v", err)
		}
		if _, err := e.svc.UpdateDeal(e.ctx, e.rep2, d.ID, 0, attain.DealUpdate{Name: &name}); attain.ErrorCode(err) != attain.ENOTFOUND {
			t.Errorf("rep2 updates: %v", err)
		}
		if err := e.svc.DeleteDeal(e.ctx, e.rep2, d.ID, 0); attain.ErrorCode(err) != attain.ENOTFOUND {
			t.Errorf("rep2 deletes: %v", err)
		}
		if _, err := e.svc.FindDealHistory(e.ctx, e.rep2, d.ID); attain.ErrorCode(err) != attain.ENOTFOUND {
			t.Errorf("rep2 history: %v", err)
		}
		// The rep's manager sees it.
		if _, err := e.svc.FindDeal(e.ctx, e.manager, d.ID); err != nil {
			t.Errorf("manager reads: %v", err)
		}
		// Delete and restore.
		if err := e.svc.DeleteDeal(e.ctx, e.rep, d.ID, d.Version); err != nil {
			t.Fatal(err)
		}
		list := func(q attain.ListQuery) []int64 {
			ds, _, err := e.svc.FindDeals(e.ctx, e.rep, q)
			if err != nil {
				t.Fatalf("list: %v", err)
			}
			var ids []int64
			for _, d := range ds {
				ids = append(ids, d.ID)
			}
			return ids
		}
		if ids := list(attain.ListQuery{}); slices.Contains(ids, d.ID) {
			t.Errorf("deleted deal listed: %v", ids)
		}
		if ids := list(attain.ListQuery{Filters: []attain.Filter{{Field: "deleted_at", Op: "null", Values: []string{"false"}}}}); !slices.Equal(ids, []int64{d.ID}) {
			t.Errorf("deleted list: %v", ids)
		}
		if _, err := e.svc.UpdateDeal(e.ctx, e.rep, d.ID, 0, attain.DealUpdate{Name: &name}); attain.ErrorCode(err) != attain.ECONFLICT {
			t.Errorf("update deleted: %v", err)
		}
		if d, err = e.svc.RestoreDeal(e.ctx, e.rep, d.ID); err != nil || d.DeletedAt != nil {
			t.Fatalf("restore: %v %v", err, d)
		}
		if ids := list(attain.ListQuery{}); !slices.Contains(ids, d.ID) {
			t.Errorf("restored deal not listed: %v", ids)
		}
	})
}

func TestDealLines(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		if _, err := e.svc.CreateProduct(e.ctx, e.rep, attain.ProductInput{Name: "Seat", ListPrice: 333}); attain.ErrorCode(err) != attain.EFORBIDDEN {
			t.Errorf("rep creates product: %v", err)
		}
		seat, err := e.svc.CreateProduct(e.ctx, e.admin, attain.ProductInput{Name: "Seat", ListPrice: 333, UnitCost: 100})
		if err != nil || seat.Currency != "USD" {
			t.Fatalf("product: %v %+v", err, seat)
		}
		euro, err := e.svc.CreateProduct(e.ctx, e.admin, attain.ProductInput{Name: "Seat EU", Currency: "eur", ListPrice: 300})
		if err != nil || euro.Currency != "EUR" {
			t.Fatalf("product: %v %+v", err, euro)
		}
		d := e.deal(e.rep, attain.DealInput{Amount: ptr(int64(1000))})
		lines := attain.DealLinesInput{Lines: []attain.DealLineInput{
			// 3 × 3.33 less 10% = 8.991 → 8.99; cost 3 × 1.00.
			{ProductID: &seat.ID, Quantity: 3, DiscountBP: 1000},
			// 2 × 10.00, no product, no cost.
			{Description: "Onboarding", Quantity: 2, UnitPrice: ptr(int64(1000))},
			// 1 × 0.05 at 50% off = 0.025 → 0.03 (halves away from zero).
			{Description: "Sticker", Quantity: 1, UnitPrice: ptr(int64(5)), DiscountBP: 5000, UnitCost: ptr(int64(1))},
		}}
		d, err = e.svc.ReplaceDealLines(e.ctx, e.rep, d.ID, d.Version, lines)
		if err != nil {
			t.Fatal(err)
		}
		if d.Amount != 899+2000+3 || d.Margin == nil || *d.Margin != 2902-300-1 {
			t.Errorf("amount %d margin %v, want 2902 and 2601", d.Amount, d.Margin)
		}
		if len(d.Lines) != 3 || d.Lines[0].Description != "Seat" || d.Lines[0].UnitPrice != 333 || d.Lines[0].UnitCost != 100 || d.Lines[0].Amount != 899 {
			t.Errorf("lines %+v", d.Lines[0])
		}
		// With lines the amount is computed, not typed.
		var u attain.DealUpdate
		_ = json.Unmarshal([]byte(`{"amount": 5}`), &u)
		if _, err := e.svc.UpdateDeal(e.ctx, e.rep, d.ID, 0, u); attain.ErrorCode(err) != attain.EINVALID {
			t.Errorf("typed amount with lines: %v", err)
		}
		// A product in another currency is refused, naming the line.
		_, err = e.svc.ReplaceDealLines(e.ctx, e.rep, d.ID, 0, attain.DealLinesInput{Lines: []attain.DealLineInput{{ProductID: &euro.ID, Quantity: 1}}})
		if fs := fieldErrors(t, err); len(fs) != 1 || fs[0].Field != "lines[0].product_id" {
			t.Errorf("euro product: %v", fs)
		}
		// A price change does not rewrite priced deals; history shows the amount change.
		if _, err := e.svc.UpdateProduct(e.ctx, e.admin, seat.ID, 0, attain.ProductUpdate{ListPrice: ptr(int64(999))}); err != nil {
			t.Fatal(err)
		}
		if now, _ := e.svc.FindDeal(e.ctx, e.rep, d.ID); now.Amount != 2902 {
			t.Errorf("amount after product price change: %d", now.Amount)
		}
		if err := e.svc.DeleteProduct(e.ctx, e.admin, seat.ID, 0); attain.ErrorCode(err) != attain.ECONFLICT {
			t.Errorf("delete product in use: %v", err)
		}
		// Removing the lines keeps the amount, typed from then on.
		d, err = e.svc.ReplaceDealLines(e.ctx, e.rep, d.ID, 0, attain.DealLinesInput{})
		if err != nil || d.Amount != 2902 || len(d.Lines) != 0 {
			t.Fatalf("no lines: %v amount %d lines %d", err, d.Amount, len(d.Lines))
		}
		d = e.patch(e.rep, d, `{"amount": 5000, "margin": null}`)
		if d.Amount != 5000 || d.Margin != nil {
			t.Errorf("typed: %d %v", d.Amount, d.Margin)
		}
		h, _ := e.svc.FindDealHistory(e.ctx, e.rep, d.ID)
		var amounts []string
		for _, c := range h.Changes {
			if c.Field == "amount" {
				amounts = append(amounts, string(c.New))
			}
		}
		if !slices.Equal(amounts, []string{"1000", "2902", "5000"}) {
			t.Errorf("amount history %v", amounts)
		}
	})
}

func TestPipelineVersions(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		p := e.pipeline
		if p.CurrentVersion != 1 || len(p.Stages) != 7 {
			t.Fatalf("default pipeline: version %d, %d stages", p.CurrentVersion, len(p.Stages))
		}
		early := e.mustMove(e.rep, e.qualified(e.rep), "Demo scheduled", attain.MoveInput{})
		parked := e.mustMove(e.rep, e.qualified(e.rep), "Demo scheduled", attain.MoveInput{})
		e.logActivity(e.rep, parked, "demo")
		parked = e.mustMove(e.rep, parked, "Demo completed", attain.MoveInput{})

		// The new version: Demo completed removed, Negotiation added,
		// Trial renamed; stages keep their ids.
		var in attain.StagesInput
		for _, s := range p.Stages {
			if s.Name == "Demo completed" {
				continue
			}
			si := attain.StageInput{ID: &s.ID, Name: s.Name, Probability: &s.Probability, ForecastCategory: s.ForecastCategory,
				Outcome: s.Outcome, BuyerStep: s.BuyerStep, Description: s.Description, ExitCriteria: s.ExitCriteria}
			if s.Name == "Trial" {
				si.Name = "Pilot"
			}
			in.Stages = append(in.Stages, si)
			if s.Name == "Trial" {
				in.Stages = append(in.Stages, attain.StageInput{Name: "Negotiation", Probability: ptr(70), ForecastCategory: "commit",
					ExitCriteria: attain.ExitCriteria{Activities: []attain.ActivityRequirement{{Type: "call", Count: 2}}}})
			}
		}
		// Only admins edit the process.
		if _, err := e.svc.ReplaceStages(e.ctx, e.manager, p.ID, 0, in); attain.ErrorCode(err) != attain.EFORBIDDEN {
			t.Errorf("manager edits stages: %v", err)
		}
		// A stage with open deals cannot be dropped.
		_, err := e.svc.ReplaceStages(e.ctx, e.admin, p.ID, p.Version, in)
		if fs := fieldErrors(t, err); len(fs) != 1 || fs[0].Field != "stages" || !strings.Contains(fs[0].Message, "Demo completed") {
			t.Fatalf("dropping an occupied stage: %v", fs)
		}
		parked = e.mustMove(e.rep, parked, "Demo scheduled", attain.MoveInput{})
		// Unknown activity types are refused.
		bad := in
		bad.Stages = slices.Clone(in.Stages)
		bad.Stages[0].ExitCriteria = attain.ExitCriteria{Activities: []attain.ActivityRequirement{{Type: "dmeo"}}}
		if _, err := e.svc.ReplaceStages(e.ctx, e.admin, p.ID, 0, bad); err == nil || fieldNames(fieldErrors(t, err))[0] != "stages[0].exit_criteria.activities[0].type" {
			t.Errorf("unknown activity type: %v", err)
		}
		// A stale ETag is refused.
		p2, err := e.svc.ReplaceStages(e.ctx, e.admin, p.ID, p.Version, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ReplaceStages(e.ctx, e.admin, p.ID, p.Version, in); attain.ErrorCode(err) != attain.ESTALE {
			t.Errorf("stale stages: %v", err)
		}
		if p2.CurrentVersion != 2 || len(p2.Stages) != 7 || p2.Stages[3].Name != "Negotiation" || p2.Stages[2].Name != "Pilot" ||
			p2.Stages[2].ID != e.stage["Trial"].ID || p2.Stages[3].Position != 3 {
			t.Errorf("version 2: %d, stages %+v", p2.CurrentVersion, p2.Stages)
		}
		vs, err := e.svc.FindPipelineVersions(e.ctx, e.rep, p.ID)
		if err != nil || len(vs) != 2 || vs[0].Version != 2 || vs[1].Version != 1 || len(vs[1].Stages) != 7 || vs[1].Stages[2].Name != "Demo completed" ||
			vs[0].CreatedBy == nil || *vs[0].CreatedBy != e.admin.UserID || vs[1].CreatedBy != nil {
			t.Fatalf("versions: %v %+v", err, vs)
		}
		var dropped *attain.Stage
		err = e.db.ReadTx(e.ctx, func(tx *store.Tx) (err error) {
			dropped, err = tx.FindStage(e.ctx, e.ws.ID, e.stage["Demo completed"].ID)
			return err
		})
		if err != nil || dropped.ArchivedAt == nil {
			t.Errorf("dropped stage: %v %+v", err, dropped)
		}
		// Deals moving now go through version 2; history keeps version 1.
		e.reloadPipeline()
		e.logActivity(e.rep, early, "demo")
		early = e.mustMove(e.rep, early, "Pilot", attain.MoveInput{})
		h, _ := e.svc.FindDealHistory(e.ctx, e.rep, early.ID)
		var versions []int64
		for _, s := range h.Stages {
			versions = append(versions, s.PipelineVersion)
		}
		if !slices.Equal(versions, []int64{1, 1, 2}) {
			t.Errorf("history versions %v", versions)
		}
		// The new stage's criteria apply.
		_, err = e.move(e.rep, early, "Contract sent", attain.MoveInput{})
		if fs := fieldErrors(t, err); !slices.Equal(fieldNames(fs), []string{"primary_contact_id", "activities.proposal", "activities.call"}) ||
			fs[2].Message != "2 calls needed, 0 logged" {
			t.Errorf("criteria of version 2: %v", fs)
		}
	})
}

func TestPicklistCheck(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		ps, err := e.svc.FindPicklists(e.ctx, e.rep, "")
		if err != nil || len(ps) < 6 {
			t.Fatalf("picklists: %v %d", err, len(ps))
		}
		if _, err := e.svc.AddPicklistValue(e.ctx, e.manager, attain.ListLostReason, attain.NewPicklistValue{Value: "legal"}); attain.ErrorCode(err) != attain.EFORBIDDEN {
			t.Errorf("manager adds: %v", err)
		}
		v, err := e.svc.AddPicklistValue(e.ctx, e.admin, attain.ListLostReason, attain.NewPicklistValue{Value: "legal", Label: "Legal blocked it"})
		if err != nil || v.Position != 7 {
			t.Fatalf("add: %v %+v", err, v)
		}
		if _, err := e.svc.AddPicklistValue(e.ctx, e.admin, attain.ListLostReason, attain.NewPicklistValue{Value: "legal"}); attain.ErrorCode(err) != attain.EINVALID {
			t.Errorf("duplicate: %v", err)
		}
		d := e.mustMove(e.rep, e.deal(e.rep, attain.DealInput{}), "Lost", attain.MoveInput{Reason: "legal"})
		yes := true
		if _, err := e.svc.UpdatePicklistValue(e.ctx, e.admin, attain.ListLostReason, "legal", attain.PicklistValueUpdate{Retired: &yes}); err != nil {
			t.Fatal(err)
		}
		// The retired value stays on the deal and in the list, but no new deal takes it.
		if now, _ := e.svc.FindDeal(e.ctx, e.rep, d.ID); now.Reason != "legal" {
			t.Errorf("reason after retiring: %q", now.Reason)
		}
		_, err = e.move(e.rep, e.deal(e.rep, attain.DealInput{}), "Lost", attain.MoveInput{Reason: "legal"})
		if fs := fieldErrors(t, err); len(fs) != 1 || !strings.Contains(fs[0].Message, "retired") {
			t.Errorf("retired reason: %v", fs)
		}
		err = db.ReadTx(e.ctx, func(tx *store.Tx) error {
			if err := e.svc.CheckPicklist(e.ctx, tx, e.ws.ID, attain.ListLostReason, "reason", "legal", "legal"); err != nil {
				t.Errorf("unchanged retired value: %v", err)
			}
			if err := e.svc.CheckPicklist(e.ctx, tx, e.ws.ID, attain.ListIndustry, "industry", "", ""); err != nil {
				t.Errorf("empty value: %v", err)
			}
			err := e.svc.CheckPicklist(e.ctx, tx, e.ws.ID, attain.ListCompanySize, "size", "huge", "")
			if fs := fieldErrors(t, err); fs[0].Field != "size" || fs[0].Message != `unknown value "huge"; known: 1-10, 11-50, 51-200, 201-1000, 1001-5000, 5000+` {
				t.Errorf("unknown: %v", fs)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestDealConcurrentUpdates checks that concurrent writers without If-Match
// never undo each other's changes: each write either lands on the latest
// version or is refused as stale (PostgreSQL runs writers concurrently).
func TestDealConcurrentUpdates(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		d := e.deal(e.rep, attain.DealInput{})
		const n = 10
		errs := make(chan error, 2)
		write := func(u func(i int) attain.DealUpdate) {
			for i := 1; i <= n; i++ {
				for {
					_, err := e.svc.UpdateDeal(e.ctx, e.rep, d.ID, 0, u(i))
					if attain.ErrorCode(err) == attain.ESTALE {
						continue // someone else wrote in between: retry on the new version
					}
					if err != nil {
						errs <- err
						return
					}
					break
				}
			}
			errs <- nil
		}
		go write(func(i int) attain.DealUpdate { return attain.DealUpdate{Name: ptr("Name " + itoa(int64(i)))} })
		go write(func(i int) attain.DealUpdate { return attain.DealUpdate{NextStep: ptr("Step " + itoa(int64(i)))} })
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		got, err := e.svc.FindDeal(e.ctx, e.rep, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Name 10" || got.NextStep != "Step 10" || got.Version != 1+2*n {
			t.Errorf("after concurrent updates: name %q next step %q version %d", got.Name, got.NextStep, got.Version)
		}
	})
}
