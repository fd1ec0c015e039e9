package service_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

func (e *actEnv) note(a *attain.Actor, typ string, id int64, body string) *attain.Note {
	e.t.Helper()
	n, err := e.svc.CreateNote(e.ctx, a, attain.NewNote{EntityType: typ, EntityID: id, Body: body})
	if err != nil {
		e.t.Fatalf("note on %s %d: %v", typ, id, err)
	}
	return n
}

// timeline reads a whole timeline page by page of limit items.
func (e *actEnv) timeline(a *attain.Actor, typ string, id int64, limit int) []*attain.TimelineItem {
	e.t.Helper()
	var out []*attain.TimelineItem
	p := attain.Page{Limit: limit}
	for range 100 {
		items, next, err := e.svc.Timeline(e.ctx, a, typ, id, p)
		if err != nil {
			e.t.Fatalf("timeline of %s %d: %v", typ, id, err)
		}
		if len(items) > limit {
			e.t.Fatalf("page of %d items, limit %d", len(items), limit)
		}
		out = append(out, items...)
		if next == "" {
			return out
		}
		p.Cursor = next
	}
	e.t.Fatal("timeline pagination does not end")
	return nil
}

// describe renders items as "kind:what" strings for readable comparisons.
func describe(items []*attain.TimelineItem) []string {
	var out []string
	for _, it := range items {
		what := ""
		switch p := it.Payload.(type) {
		case *attain.Activity:
			what = p.Subject
		case *attain.Note:
			what = p.Body
		case *attain.FieldChange:
			what = p.EntityType + "." + p.Field
		case *attain.StageChange:
			what = p.StageName
		}
		out = append(out, it.Kind+":"+what)
	}
	return out
}

func TestTimeline(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newActEnv(t, db)
		acc := e.account(e.rep, "Timeline Co") // T0
		e.tick(time.Minute)
		d := e.deal(e.rep, &acc.ID, "Big deal") // T1
		e.tick(time.Minute)
		c := e.contact(e.rep, &acc.ID, "Buyer") // T2
		e.tick(time.Minute)
		e.log(e.rep, attain.NewActivity{Type: "call", DealID: &d.ID, Subject: "discovery call"}) // T3
		e.tick(time.Minute)
		e.note(e.rep, "deal", d.ID, "deal note") // T4
		e.tick(time.Minute)
		e.log(e.rep, attain.NewActivity{Type: "email", ContactID: &c.ID, Subject: "follow-up email"}) // T5
		e.tick(time.Minute)
		e.note(e.rep, "contact", c.ID, "contact note") // T6
		e.tick(time.Minute)
		e.log(e.rep, attain.NewActivity{Type: "demo", DealID: &d.ID, Subject: "planned demo", DueAt: actPtr(e.now.Add(72 * time.Hour))})
		e.tick(time.Minute)
		if _, err := e.svc.UpdateDeal(e.ctx, e.rep, d.ID, 0, attain.DealUpdate{NextStep: actPtr("Send the proposal")}); err != nil {
			t.Fatal(err)
		}
		// Someone else's contact on the account, with a note the rep must not see.
		hidden, err := e.svc.CreateContact(e.ctx, e.admin, attain.ContactInput{AccountID: &acc.ID, LastName: "Hidden", OwnerID: &e.rep2.UserID})
		if err != nil {
			t.Fatal(err)
		}
		e.note(e.admin, "contact", hidden.ID, "secret note")
		// An activity owned by rep2 on the rep's contact stays rep2's.
		e.log(e.admin, attain.NewActivity{Type: "call", AccountID: &acc.ID, OwnerID: &e.rep2.UserID, Subject: "rep2 call"})

		full := e.timeline(e.rep, "deal", d.ID, 500)
		for i := 1; i < len(full); i++ {
			if !full[i-1].Less(full[i]) {
				t.Errorf("item %d (%s %s %d) is not after item %d (%s %s %d)", i, full[i].Kind, full[i].At, full[i].ID,
					i-1, full[i-1].Kind, full[i-1].At, full[i-1].ID)
			}
		}
		got := describe(full)
		// Newest first; a task sits at its due date.
		wantPrefix := []string{"task:planned demo", "change:deal.next_step", "note:deal note", "activity:discovery call"}
		if len(got) < len(wantPrefix) || !slices.Equal(got[:len(wantPrefix)], wantPrefix) {
			t.Errorf("deal timeline starts %v, want %v", got, wantPrefix)
		}
		kinds := map[string]bool{}
		for _, it := range full {
			kinds[it.Kind] = true
			if it.ActorID == nil && it.Kind != attain.TimelineStage {
				t.Errorf("%s item %d has no actor", it.Kind, it.ID)
			}
		}
		for _, k := range []string{"task", "change", "note", "activity", "stage"} {
			if !kinds[k] {
				t.Errorf("deal timeline has no %s item: %v", k, got)
			}
		}
		for _, it := range full {
			if it.Kind == attain.TimelineStage && !it.At.Equal(d.CreatedAt) {
				t.Errorf("stage entered at %v, want the deal's creation %v", it.At, d.CreatedAt)
			}
		}

		// Every page size gives the same timeline.
		for _, limit := range []int{1, 2, 3, 7} {
			if paged := describe(e.timeline(e.rep, "deal", d.ID, limit)); !slices.Equal(paged, got) {
				t.Errorf("pages of %d:\n%v\nwant\n%v", limit, paged, got)
			}
		}

		// The account's timeline has its contacts' and deals' activities and notes.
		accLine := describe(e.timeline(e.rep, "account", acc.ID, 3))
		for _, want := range []string{"task:planned demo", "activity:discovery call", "activity:follow-up email", "note:deal note", "note:contact note", "change:account.name"} {
			if !slices.Contains(accLine, want) {
				t.Errorf("account timeline lacks %s: %v", want, accLine)
			}
		}
		for _, hiddenItem := range []string{"note:secret note", "activity:rep2 call", "change:deal.next_step"} {
			if slices.Contains(accLine, hiddenItem) {
				t.Errorf("rep's account timeline shows %s: %v", hiddenItem, accLine)
			}
		}
		adminLine := describe(e.timeline(e.admin, "account", acc.ID, 50))
		for _, want := range []string{"note:secret note", "activity:rep2 call"} {
			if !slices.Contains(adminLine, want) {
				t.Errorf("admin's account timeline lacks %s", want)
			}
		}

		contactLine := describe(e.timeline(e.rep, "contact", c.ID, 50))
		if !slices.Contains(contactLine, "activity:follow-up email") || !slices.Contains(contactLine, "note:contact note") ||
			slices.Contains(contactLine, "note:deal note") {
			t.Errorf("contact timeline: %v", contactLine)
		}

		l, err := e.svc.CreateLead(e.ctx, e.rep, attain.LeadInput{Company: "Lead Co"})
		if err != nil {
			t.Fatal(err)
		}
		e.tick(time.Minute)
		e.log(e.rep, attain.NewActivity{Type: "call", LeadID: &l.ID, Subject: "cold call"})
		e.note(e.rep, "lead", l.ID, "lead note")
		leadLine := describe(e.timeline(e.rep, "lead", l.ID, 50))
		if len(leadLine) < 3 || leadLine[0] != "note:lead note" || leadLine[1] != "activity:cold call" {
			t.Errorf("lead timeline: %v", leadLine)
		}

		// Records the actor may not see have no timeline.
		_, _, err = e.svc.Timeline(e.ctx, e.rep2, "deal", d.ID, attain.Page{})
		wantCode(t, err, attain.ENOTFOUND, "")
		_, _, err = e.svc.Timeline(e.ctx, e.rep, "deal", d.ID+1000, attain.Page{})
		wantCode(t, err, attain.ENOTFOUND, "")
		_, _, err = e.svc.Timeline(e.ctx, e.rep, "deal", d.ID, attain.Page{Cursor: "garbage"})
		wantCode(t, err, attain.EINVALID, "cursor")
	})
}

// Items at the same instant page by kind and id without loss: everything
// below happens in one clock tick.
func TestTimelineSameInstant(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newActEnv(t, db)
		d := e.deal(e.rep, nil, "Busy deal")
		for i := range 4 {
			e.log(e.rep, attain.NewActivity{Type: "call", DealID: &d.ID, Subject: fmt.Sprint("call ", i)})
			e.note(e.rep, "deal", d.ID, fmt.Sprint("note ", i))
		}
		full := describe(e.timeline(e.rep, "deal", d.ID, 500))
		// stage > note > change > activity, each newest id first.
		if len(full) < 6 || !strings.HasPrefix(full[0], "stage:") ||
			!strings.HasPrefix(strings.Join(full[1:], ","), "note:note 3,note:note 2,note:note 1,note:note 0,change:") ||
			!strings.HasSuffix(strings.Join(full, ","), "activity:call 3,activity:call 2,activity:call 1,activity:call 0") {
			t.Errorf("same-instant order (kind, then id, descending): %v", full)
		}
		for limit := 1; limit <= 5; limit++ {
			if paged := describe(e.timeline(e.rep, "deal", d.ID, limit)); !slices.Equal(paged, full) {
				t.Errorf("pages of %d:\n%v\nwant\n%v", limit, paged, full)
			}
		}
	})
}

func TestNotes(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newActEnv(t, db)
		d := e.deal(e.rep, nil, "Noted deal")
		n := e.note(e.rep, "deal", d.ID, "First impressions")
		if n.AuthorID != e.rep.UserID || n.Version != 1 {
			t.Fatalf("note: %+v", n)
		}

		_, err := e.svc.CreateNote(e.ctx, e.rep2, attain.NewNote{EntityType: "deal", EntityID: d.ID, Body: "x"})
		wantCode(t, err, attain.ENOTFOUND, "")
		_, err = e.svc.CreateNote(e.ctx, e.rep, attain.NewNote{EntityType: "deal", EntityID: d.ID + 1000, Body: "x"})
		wantCode(t, err, attain.ENOTFOUND, "")
		_, err = e.svc.CreateNote(e.ctx, e.rep, attain.NewNote{EntityType: "deal", EntityID: d.ID, Body: "  "})
		wantCode(t, err, attain.EINVALID, "body")
		_, err = e.svc.CreateNote(e.ctx, e.rep, attain.NewNote{EntityType: "product", EntityID: 1, Body: "x"})
		wantCode(t, err, attain.EINVALID, "entity_type")
		_, err = e.svc.FindNote(e.ctx, e.rep2, n.ID)
		wantCode(t, err, attain.ENOTFOUND, "")
		_, _, err = e.svc.FindNotes(e.ctx, e.rep2, "deal", d.ID, attain.ListQuery{})
		wantCode(t, err, attain.ENOTFOUND, "")

		// The manager reads the rep's note but only its author or an admin edits it.
		if _, err := e.svc.FindNote(e.ctx, e.manager, n.ID); err != nil {
			t.Errorf("manager reads: %v", err)
		}
		_, err = e.svc.UpdateNote(e.ctx, e.manager, n.ID, 0, attain.NoteUpdate{Body: "edited by manager"})
		wantCode(t, err, attain.EFORBIDDEN, "")
		err = e.svc.DeleteNote(e.ctx, e.manager, n.ID, 0)
		wantCode(t, err, attain.EFORBIDDEN, "")
		_, err = e.svc.UpdateNote(e.ctx, e.rep, n.ID, n.Version+1, attain.NoteUpdate{Body: "stale"})
		wantCode(t, err, attain.ESTALE, "")
		up, err := e.svc.UpdateNote(e.ctx, e.rep, n.ID, n.Version, attain.NoteUpdate{Body: "Second thoughts"})
		if err != nil || up.Body != "Second thoughts" || up.Version != 2 {
			t.Fatalf("author edit: %+v, %v", up, err)
		}
		if _, err := e.svc.UpdateNote(e.ctx, e.admin, n.ID, 0, attain.NoteUpdate{Body: "Tidied by admin"}); err != nil {
			t.Errorf("admin edit: %v", err)
		}

		e.tick(time.Minute)
		n2 := e.note(e.manager, "deal", d.ID, "Coaching: ask about budget")
		ns, _, err := e.svc.FindNotes(e.ctx, e.rep, "deal", d.ID, attain.ListQuery{})
		if err != nil || len(ns) != 2 || ns[0].ID != n2.ID {
			t.Fatalf("notes newest first: %v, %v", ns, err)
		}
		if err := e.svc.DeleteNote(e.ctx, e.rep, n.ID, 0); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.FindNote(e.ctx, e.rep, n.ID)
		wantCode(t, err, attain.ENOTFOUND, "")
		ns, _, _ = e.svc.FindNotes(e.ctx, e.rep, "deal", d.ID, attain.ListQuery{})
		if len(ns) != 1 {
			t.Errorf("deleted note still listed: %v", ns)
		}

		// No notes on a deleted record.
		if err := e.svc.DeleteDeal(e.ctx, e.rep, d.ID, 0); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.CreateNote(e.ctx, e.rep, attain.NewNote{EntityType: "deal", EntityID: d.ID, Body: "too late"})
		wantCode(t, err, attain.ECONFLICT, "")
	})
}
