package service_test

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// actEnv is a workspace with an admin, a manager managing rep, and rep2
// outside that team, on a clock the test moves by hand.
type actEnv struct {
	t                         *testing.T
	ctx                       context.Context
	svc                       *service.Service
	db                        *store.DB
	ws                        *attain.Workspace
	admin, manager, rep, rep2 *attain.Actor
	now                       time.Time
}

func newActEnv(t *testing.T, db *store.DB) *actEnv {
	t.Helper()
	e := &actEnv{t: t, ctx: context.Background(), db: db, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return e.now }
	e.svc = service.New(db, slog.New(slog.DiscardHandler), service.FastHasher())
	ws, admin, err := e.svc.Bootstrap(e.ctx, "Activity Co", attain.NewUser{Email: "admin@act.test", Name: "Admin", Password: "a long password"})
	if err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	e.ws = ws
	e.admin = e.actor(admin.ID)
	user := func(email string, role attain.Role) int64 {
		u, err := e.svc.CreateUser(e.ctx, e.admin, attain.NewUser{Email: email, Name: email, Password: "a long password", Role: role})
		if err != nil {
			t.Fatalf("create %s: %v", email, err)
		}
		return u.ID
	}
	mgr, rep, rep2 := user("manager@act.test", attain.RoleManager), user("rep@act.test", attain.RoleRep), user("rep2@act.test", attain.RoleRep)
	if _, err := e.svc.CreateTeam(e.ctx, e.admin, attain.TeamInput{Name: "East", ManagerID: &mgr, MemberIDs: []int64{rep}}); err != nil {
		t.Fatalf("team: %v", err)
	}
	e.manager, e.rep, e.rep2 = e.actor(mgr), e.actor(rep), e.actor(rep2)
	return e
}

func (e *actEnv) actor(userID int64) *attain.Actor {
	e.t.Helper()
	a, err := e.svc.ActorFor(e.ctx, e.ws.ID, userID)
	if err != nil {
		e.t.Fatalf("actor %d: %v", userID, err)
	}
	return a
}

// tick moves the clock forward by d.
func (e *actEnv) tick(d time.Duration) { e.now = e.now.Add(d) }

func (e *actEnv) account(a *attain.Actor, name string) *attain.Account {
	e.t.Helper()
	x, err := e.svc.CreateAccount(e.ctx, a, attain.AccountInput{Name: name})
	if err != nil {
		e.t.Fatalf("account %s: %v", name, err)
	}
	return x
}

func (e *actEnv) contact(a *attain.Actor, accountID *int64, name string) *attain.Contact {
	e.t.Helper()
	x, err := e.svc.CreateContact(e.ctx, a, attain.ContactInput{AccountID: accountID, LastName: name})
	if err != nil {
		e.t.Fatalf("contact %s: %v", name, err)
	}
	return x
}

func (e *actEnv) deal(a *attain.Actor, accountID *int64, name string) *attain.Deal {
	e.t.Helper()
	x, err := e.svc.CreateDeal(e.ctx, a, attain.DealInput{Name: name, AccountID: accountID})
	if err != nil {
		e.t.Fatalf("deal %s: %v", name, err)
	}
	return x
}

func (e *actEnv) log(a *attain.Actor, in attain.NewActivity) *attain.Activity {
	e.t.Helper()
	x, err := e.svc.CreateActivity(e.ctx, a, in)
	if err != nil {
		e.t.Fatalf("log activity %+v: %v", in, err)
	}
	return x
}

// wantCode fails unless err carries the domain code (and, for EINVALID, names field).
func wantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	if got := attain.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
	if field == "" {
		return
	}
	e, _ := err.(*attain.Error)
	if e == nil || !slices.ContainsFunc(e.Fields, func(f attain.FieldError) bool { return f.Field == field }) {
		t.Fatalf("error %v does not name %s", err, field)
	}
}

func TestActivityTypesSeeded(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newActEnv(t, db)
		types, err := e.svc.FindActivityTypes(e.ctx, e.rep)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, ty := range types {
			keys = append(keys, ty.Key)
		}
		if want := []string{"call", "email", "meeting", "demo", "proposal"}; !slices.Equal(keys, want) {
			t.Fatalf("seeded types %v, want %v", keys, want)
		}
		_, err = e.svc.CreateActivityType(e.ctx, e.rep, attain.NewActivityType{Key: "visit", Name: "Visit"})
		wantCode(t, err, attain.EFORBIDDEN, "")
		visit, err := e.svc.CreateActivityType(e.ctx, e.admin, attain.NewActivityType{Key: "visit", Name: "Site visit"})
		if err != nil || visit.Position != 5 {
			t.Fatalf("add visit: %+v, %v", visit, err)
		}
		_, err = e.svc.CreateActivityType(e.ctx, e.admin, attain.NewActivityType{Key: "visit", Name: "Again"})
		wantCode(t, err, attain.EINVALID, "key")

		// Rename, reorder and retire; the key stays.
		up, err := e.svc.UpdateActivityType(e.ctx, e.admin, visit.ID, attain.ActivityTypeUpdate{Name: actPtr("On-site visit"), Position: actPtr(0), Retired: actPtr(true)})
		if err != nil || up.Name != "On-site visit" || up.Position != 0 || up.RetiredAt == nil || up.Key != "visit" {
			t.Fatalf("update: %+v, %v", up, err)
		}
		acc := e.account(e.rep, "Retired Type Co")
		_, err = e.svc.CreateActivity(e.ctx, e.rep, attain.NewActivity{Type: "visit", AccountID: &acc.ID})
		wantCode(t, err, attain.EINVALID, "type")
		_, err = e.svc.CreateActivity(e.ctx, e.rep, attain.NewActivity{Type: "fax", AccountID: &acc.ID})
		wantCode(t, err, attain.EINVALID, "type")
	})
}

func TestActivityQuickCapture(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newActEnv(t, db)
		acc := e.account(e.rep, "Acme")
		d := e.deal(e.rep, &acc.ID, "Acme renewal")
		e.tick(time.Hour)

		x := e.log(e.rep, attain.NewActivity{Type: "call", DealID: &d.ID, Note: "Talked budget"})
		switch {
		case x.OwnerID != e.rep.UserID:
			t.Errorf("owner %d, want the actor %d", x.OwnerID, e.rep.UserID)
		case x.OccurredAt == nil || !x.OccurredAt.Equal(e.now) || x.DoneAt == nil:
			t.Errorf("occurred_at %v done_at %v, want now", x.OccurredAt, x.DoneAt)
		case x.Subject != "Call" || x.Type != "call" || x.TypeName != "Call":
			t.Errorf("subject %q type %q, want the type's name", x.Subject, x.Type)
		case x.AccountID == nil || *x.AccountID != acc.ID:
			t.Errorf("account %v, want the deal's %d", x.AccountID, acc.ID)
		case x.IsTask():
			t.Error("a logged call is not a task")
		}
		got, err := e.svc.FindDeal(e.ctx, e.rep, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.LastActivityAt == nil || !got.LastActivityAt.Equal(e.now) {
			t.Errorf("deal last_activity_at %v, want %v", got.LastActivityAt, e.now)
		}
		if got.Version != d.Version {
			t.Errorf("logging an activity bumped the deal's version %d → %d", d.Version, got.Version)
		}

		// An activity logged for earlier does not move last_activity_at back.
		earlier := e.now.Add(-48 * time.Hour)
		types, _ := e.svc.FindActivityTypes(e.ctx, e.rep)
		y := e.log(e.rep, attain.NewActivity{TypeID: types[2].ID, DealID: &d.ID, OccurredAt: &earlier, DurationMinutes: 45,
			Outcome: "Agreed to a demo", Sentiment: attain.SentimentPositive})
		if y.Type != "meeting" || !y.OccurredAt.Equal(earlier) || y.DurationMinutes != 45 || y.Sentiment != "positive" {
			t.Errorf("meeting: %+v", y)
		}
		got, _ = e.svc.FindDeal(e.ctx, e.rep, d.ID)
		if !got.LastActivityAt.Equal(e.now) {
			t.Errorf("last_activity_at moved to %v", got.LastActivityAt)
		}

		// A contact's account is filled in too.
		c := e.contact(e.rep, &acc.ID, "Doe")
		z := e.log(e.rep, attain.NewActivity{Type: "email", ContactID: &c.ID})
		if z.AccountID == nil || *z.AccountID != acc.ID {
			t.Errorf("account %v, want the contact's %d", z.AccountID, acc.ID)
		}

		for _, tc := range []struct {
			in    attain.NewActivity
			field string
		}{
			{attain.NewActivity{DealID: &d.ID}, "type"},
			{attain.NewActivity{Type: "call"}, "deal_id"},
			{attain.NewActivity{Type: "call", DealID: &d.ID, Sentiment: "ecstatic"}, "sentiment"},
			{attain.NewActivity{Type: "call", DealID: &d.ID, DurationMinutes: -5}, "duration_minutes"},
			{attain.NewActivity{Type: "call", DealID: actPtr(d.ID + 1000)}, "deal_id"},
			{attain.NewActivity{Type: "call", DealID: &d.ID, OwnerID: actPtr(int64(9999))}, "owner_id"},
			{attain.NewActivity{Type: "call", DealID: &d.ID, OccurredAt: actPtr(e.now.Add(72 * time.Hour))}, "occurred_at"},
		} {
			_, err := e.svc.CreateActivity(e.ctx, e.rep, tc.in)
			wantCode(t, err, attain.EINVALID, tc.field)
		}
		// rep2 cannot log on a deal they cannot see.
		_, err = e.svc.CreateActivity(e.ctx, e.rep2, attain.NewActivity{Type: "call", DealID: &d.ID})
		wantCode(t, err, attain.EINVALID, "deal_id")
	})
}

func TestTaskCompletion(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newActEnv(t, db)
		d := e.deal(e.rep, nil, "Task deal")
		due := e.now.Add(24 * time.Hour)
		task := e.log(e.rep, attain.NewActivity{Type: "demo", DealID: &d.ID, Subject: "Demo for the CFO", DueAt: &due})
		if task.OccurredAt != nil || task.DoneAt != nil || !task.IsTask() || !task.DueAt.Equal(due) {
			t.Fatalf("task: %+v", task)
		}
		got, _ := e.svc.FindDeal(e.ctx, e.rep, d.ID)
		if got.LastActivityAt != nil {
			t.Errorf("a planned task set last_activity_at %v", got.LastActivityAt)
		}
		q := attain.ListQuery{Filters: []attain.Filter{{Field: "done_at", Op: attain.OpNull, Values: []string{"true"}}}}
		open, _, err := e.svc.FindActivities(e.ctx, e.rep, q)
		if err != nil || len(open) != 1 || open[0].ID != task.ID {
			t.Fatalf("open tasks: %v, %v", open, err)
		}

		e.tick(2 * time.Hour)
		_, err = e.svc.CompleteActivity(e.ctx, e.rep, task.ID, task.Version+1, attain.ActivityCompletion{})
		wantCode(t, err, attain.ESTALE, "")
		done, err := e.svc.CompleteActivity(e.ctx, e.rep, task.ID, task.Version, attain.ActivityCompletion{Outcome: actPtr("Loved it"), Sentiment: actPtr("positive")})
		if err != nil {
			t.Fatal(err)
		}
		if done.DoneAt == nil || !done.DoneAt.Equal(e.now) || done.OccurredAt == nil || !done.OccurredAt.Equal(e.now) ||
			done.Outcome != "Loved it" || done.Version != task.Version+1 {
			t.Errorf("completed: %+v", done)
		}
		_, err = e.svc.CompleteActivity(e.ctx, e.rep, task.ID, 0, attain.ActivityCompletion{})
		wantCode(t, err, attain.ECONFLICT, "")
		got, _ = e.svc.FindDeal(e.ctx, e.rep, d.ID)
		if got.LastActivityAt == nil || !got.LastActivityAt.Equal(e.now) {
			t.Errorf("last_activity_at %v after completion, want %v", got.LastActivityAt, e.now)
		}
		open, _, _ = e.svc.FindActivities(e.ctx, e.rep, q)
		if len(open) != 0 {
			t.Errorf("completed task still open: %v", open)
		}

		// Soft delete takes it off the deal's last activity; restore puts it back.
		if err := e.svc.DeleteActivity(e.ctx, e.rep, done.ID, done.Version); err != nil {
			t.Fatal(err)
		}
		got, _ = e.svc.FindDeal(e.ctx, e.rep, d.ID)
		if got.LastActivityAt != nil {
			t.Errorf("last_activity_at %v after the only activity was deleted", got.LastActivityAt)
		}
		all, _, _ := e.svc.FindActivities(e.ctx, e.rep, attain.ListQuery{})
		if len(all) != 0 {
			t.Errorf("deleted activity listed: %v", all)
		}
		deleted := attain.ListQuery{Filters: []attain.Filter{{Field: "deleted_at", Op: attain.OpNull, Values: []string{"false"}}}}
		if all, _, _ = e.svc.FindActivities(e.ctx, e.rep, deleted); len(all) != 1 {
			t.Errorf("deleted_at[null]=false lists %d", len(all))
		}
		_, err = e.svc.UpdateActivity(e.ctx, e.rep, done.ID, 0, attain.ActivityUpdate{Subject: actPtr("x")})
		wantCode(t, err, attain.ECONFLICT, "")
		back, err := e.svc.RestoreActivity(e.ctx, e.rep, done.ID)
		if err != nil || back.DeletedAt != nil {
			t.Fatalf("restore: %+v, %v", back, err)
		}
		got, _ = e.svc.FindDeal(e.ctx, e.rep, d.ID)
		if got.LastActivityAt == nil {
			t.Error("restore did not bring last_activity_at back")
		}
		hist, err := e.svc.ActivityHistory(e.ctx, e.rep, done.ID)
		if err != nil {
			t.Fatal(err)
		}
		fields := map[string]bool{}
		for _, c := range hist {
			fields[c.Field] = true
		}
		for _, f := range []string{"subject", "due_at", "done_at", "occurred_at", "outcome", "deleted_at"} {
			if !fields[f] {
				t.Errorf("history lacks %s: %v", f, fields)
			}
		}
	})
}

func actID(n int64) string { return strconv.FormatInt(n, 10) }

func actPtr[T any](v T) *T { return &v }

func TestActivityVisibility(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newActEnv(t, db)
		d := e.deal(e.rep, nil, "Rep deal")
		own := e.log(e.rep, attain.NewActivity{Type: "call", DealID: &d.ID})
		// The admin logs a call on the rep's deal: the rep reads it through
		// the deal but may not change it.
		byAdmin := e.log(e.admin, attain.NewActivity{Type: "meeting", DealID: &d.ID})
		// rep2's own activity on their own account.
		acc2 := e.account(e.rep2, "Rep2 Co")
		other := e.log(e.rep2, attain.NewActivity{Type: "email", AccountID: &acc2.ID})

		ids := func(a *attain.Actor) []int64 {
			xs, _, err := e.svc.FindActivities(e.ctx, a, attain.ListQuery{Sort: attain.Sort{Field: "id"}})
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, x := range xs {
				out = append(out, x.ID)
			}
			return out
		}
		for _, tc := range []struct {
			who  string
			a    *attain.Actor
			want []int64
		}{
			{"rep", e.rep, []int64{own.ID, byAdmin.ID}},
			{"manager", e.manager, []int64{own.ID, byAdmin.ID}},
			{"rep2", e.rep2, []int64{other.ID}},
			{"admin", e.admin, []int64{own.ID, byAdmin.ID, other.ID}},
		} {
			if got := ids(tc.a); !slices.Equal(got, tc.want) {
				t.Errorf("%s sees %v, want %v", tc.who, got, tc.want)
			}
		}
		if _, err := e.svc.FindActivity(e.ctx, e.rep, byAdmin.ID); err != nil {
			t.Errorf("rep reads the admin's call on their deal: %v", err)
		}
		_, err := e.svc.UpdateActivity(e.ctx, e.rep, byAdmin.ID, 0, attain.ActivityUpdate{Note: actPtr("mine now")})
		wantCode(t, err, attain.EFORBIDDEN, "")
		_, err = e.svc.FindActivity(e.ctx, e.rep2, own.ID)
		wantCode(t, err, attain.ENOTFOUND, "")
		err = e.svc.DeleteActivity(e.ctx, e.rep2, own.ID, 0)
		wantCode(t, err, attain.ENOTFOUND, "")
		_, err = e.svc.ActivityHistory(e.ctx, e.rep2, own.ID)
		wantCode(t, err, attain.ENOTFOUND, "")
		// The manager edits the rep's activity (their team's record).
		if _, err := e.svc.UpdateActivity(e.ctx, e.manager, own.ID, own.Version, attain.ActivityUpdate{Outcome: actPtr("Coached")}); err != nil {
			t.Errorf("manager edit: %v", err)
		}
		// Moving an activity to a deal rep2 cannot see is refused.
		_, err = e.svc.UpdateActivity(e.ctx, e.rep2, other.ID, 0, attain.ActivityUpdate{DealID: &d.ID})
		wantCode(t, err, attain.EINVALID, "deal_id")
	})
}

func TestActivityListFilters(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newActEnv(t, db)
		acc := e.account(e.rep, "Filter Co")
		d := e.deal(e.rep, &acc.ID, "Filter deal")
		c := e.contact(e.rep, &acc.ID, "Filter")
		l, err := e.svc.CreateLead(e.ctx, e.rep, attain.LeadInput{Company: "Lead Co"})
		if err != nil {
			t.Fatal(err)
		}
		t0 := e.now
		call := e.log(e.rep, attain.NewActivity{Type: "call", DealID: &d.ID, Sentiment: "negative", OccurredAt: actPtr(t0.Add(-3 * time.Hour))})
		demo := e.log(e.rep, attain.NewActivity{Type: "demo", ContactID: &c.ID, OccurredAt: actPtr(t0.Add(-1 * time.Hour))})
		task := e.log(e.rep, attain.NewActivity{Type: "email", LeadID: &l.ID, DueAt: actPtr(t0.Add(5 * time.Hour))})
		mgrs := e.log(e.manager, attain.NewActivity{Type: "call", AccountID: &acc.ID})

		f := func(field, op string, v ...string) attain.Filter {
			return attain.Filter{Field: field, Op: op, Values: v}
		}
		for _, tc := range []struct {
			name string
			fs   []attain.Filter
			want []int64
		}{
			{"type", []attain.Filter{f("type", "", "call")}, []int64{call.ID, mgrs.ID}},
			{"type in", []attain.Filter{f("type", "in", "demo,email")}, []int64{demo.ID, task.ID}},
			{"owner", []attain.Filter{f("owner_id", "", actID(e.manager.UserID))}, []int64{mgrs.ID}},
			{"deal", []attain.Filter{f("deal_id", "", actID(d.ID))}, []int64{call.ID}},
			{"contact", []attain.Filter{f("contact_id", "", actID(c.ID))}, []int64{demo.ID}},
			{"account (filled from deal and contact)", []attain.Filter{f("account_id", "", actID(acc.ID))}, []int64{call.ID, demo.ID, mgrs.ID}},
			{"lead", []attain.Filter{f("lead_id", "", actID(l.ID))}, []int64{task.ID}},
			{"sentiment", []attain.Filter{f("sentiment", "", "negative")}, []int64{call.ID}},
			{"occurred range", []attain.Filter{f("occurred_at", "gte", t0.Add(-2*time.Hour).Format(time.RFC3339)), f("occurred_at", "lt", t0.Format(time.RFC3339))}, []int64{demo.ID}},
			{"due range", []attain.Filter{f("due_at", "gt", t0.Format(time.RFC3339))}, []int64{task.ID}},
			{"open tasks", []attain.Filter{f("done_at", "null", "true")}, []int64{task.ID}},
			{"done", []attain.Filter{f("done_at", "null", "false")}, []int64{call.ID, demo.ID, mgrs.ID}},
		} {
			xs, _, err := e.svc.FindActivities(e.ctx, e.admin, attain.ListQuery{Filters: tc.fs, Sort: attain.Sort{Field: "id"}})
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
				continue
			}
			var got []int64
			for _, x := range xs {
				got = append(got, x.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			}
		}
		_, _, err = e.svc.FindActivities(e.ctx, e.admin, attain.ListQuery{Filters: []attain.Filter{f("note", "", "x")}})
		wantCode(t, err, attain.EINVALID, "note")
		_, _, err = e.svc.FindActivities(e.ctx, e.admin, attain.ListQuery{Sort: attain.Sort{Field: "outcome"}})
		wantCode(t, err, attain.EINVALID, "sort")

		// Pages of one follow the sort without gaps or repeats.
		var seen []int64
		q := attain.ListQuery{Page: attain.Page{Limit: 1}}
		for {
			xs, next, err := e.svc.FindActivities(e.ctx, e.admin, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range xs {
				seen = append(seen, x.ID)
			}
			if next == "" {
				break
			}
			q.Page.Cursor = next
		}
		if want := []int64{mgrs.ID, task.ID, demo.ID, call.ID}; !slices.Equal(seen, want) {
			t.Errorf("paged -created_at: %v, want %v", seen, want)
		}
	})
}
