package service

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/importer"
	"github.com/attain-crm/attain/store"
)

// importWriter turns good rows into records: new ones go through the bulk
// loader with their history row ("created by import N"), matched ones
// through the same update path as the API, with a field-by-field history.
type importWriter struct {
	run     *importRun
	tx      *store.Tx
	l       *store.Loader
	main    *store.BulkTable
	stages  *store.BulkTable
	ids     *store.IDs
	entity  string  // the kind of history entity of created records
	created []int64 // records created since the last history write
}

func (w *importWriter) row(ctx context.Context, rc *rowCtx) error {
	switch w.run.imp.Kind {
	case attain.KindAccounts:
		return w.account(ctx, rc)
	case attain.KindContacts:
		return w.contact(ctx, rc)
	case attain.KindLeads:
		return w.lead(ctx, rc)
	case attain.KindDeals:
		return w.deal(ctx, rc)
	case attain.KindProducts:
		return w.product(ctx, rc)
	case attain.KindActivities:
		return w.activity(ctx, rc)
	}
	return nil
}

// insert adds a new record's row (its id first after the workspace) and
// its history row.
func (w *importWriter) insert(ctx context.Context, table, entity string, cols []string, vals func(id int64) []any) (int64, error) {
	if w.main == nil {
		w.main = w.l.Table(table, append([]string{"workspace_id", "id"}, cols...)...)
		if table == "deals" {
			w.stages = w.l.Table("stage_history", "workspace_id", "deal_id", "pipeline_id", "pipeline_version", "stage_id", "entered_at", "moved_by")
		}
		w.ids = w.tx.NewIDs(table)
		w.entity = entity
	}
	id, err := w.ids.Next(ctx)
	if err != nil {
		return 0, err
	}
	a := w.run.a
	if err := w.main.Add(ctx, append([]any{a.WorkspaceID, id}, vals(id)...)...); err != nil {
		return 0, err
	}
	if entity != "" {
		w.created = append(w.created, id)
	}
	w.run.created++
	w.run.prog.created.Add(1)
	return id, nil
}

// history writes the history rows of the records created since the last
// call ("created by import N"), set-wise: after the records themselves
// (flush the loader first), before any later change to them.
func (w *importWriter) history(ctx context.Context) error {
	a := w.run.a
	err := w.tx.RecordCreatedBy(ctx, a.WorkspaceID, w.entity, w.created, "import", w.run.importRef, actorID(a), a.RequestID)
	w.created = w.created[:0]
	return err
}

// update finishes a row that updated an existing record: saveErr is the
// store's answer to the update; on success the change is counted, kept in
// the record's history and audited.
func (w *importWriter) update(ctx context.Context, rc *rowCtx, entity string, id int64, before, after any, saveErr error) error {
	if saveErr != nil {
		return rc.addErr(saveErr)
	}
	w.updated()
	a := w.run.a
	if err := w.tx.RecordChanges(ctx, a, entity, id, before, after); err != nil {
		return err
	}
	return w.tx.Audit(ctx, a, "update", entity, id, before, after)
}

func (w *importWriter) updated() {
	w.run.updated++
	w.run.prog.updated.Add(1)
}

// match returns the id of the record a row updates (match_by), or 0.
func (w *importWriter) match(rc *rowCtx) int64 {
	key := w.run.opts.MatchBy
	if key == "" || !rc.has(key) {
		return 0
	}
	ids := w.run.existing[matchKey(key, rc.get(key))]
	switch len(ids) {
	case 0:
		return 0
	case 1:
		return ids[0]
	}
	rc.bad(key, "matches %d existing records; use a key that is unique", len(ids))
	return -1
}

// ready reports whether a good row should be written now.
func (w *importWriter) ready(rc *rowCtx) bool { return len(rc.errs) == 0 && w.run.write }

// count counts a good row a dry run (or a run that will roll back) would write.
func (w *importWriter) count(rc *rowCtx, update bool) {
	if len(rc.errs) > 0 {
		return
	}
	if update {
		w.updated()
		return
	}
	w.run.created++
	w.run.prog.created.Add(1)
}

func (rc *rowCtx) setText(field string, dst *string) {
	if rc.has(field) {
		*dst = rc.get(field)
	}
}

func (rc *rowCtx) externalID(dst **string, what string) {
	if rc.has("external_id") {
		s := rc.get("external_id")
		*dst = &s
		rc.unique("external_id", what)
	}
}

func (w *importWriter) account(ctx context.Context, rc *rowCtx) error {
	a, tx := w.run.a, w.tx
	x := &attain.Account{OwnerID: a.UserID}
	var before *attain.Account
	if id := w.match(rc); id > 0 {
		b, err := visibleAccount(ctx, tx, a, id)
		if attain.ErrorCode(err) == attain.ENOTFOUND {
			rc.bad(w.run.opts.MatchBy, "matches an account you cannot see")
			return nil
		}
		if err != nil {
			return err
		}
		before = b
		c := *b
		x = &c
	} else if id < 0 {
		return nil
	}
	rc.setText("name", &x.Name)
	rc.setText("domain", &x.Domain)
	rc.setText("website", &x.Website)
	rc.setText("country", &x.Country)
	rc.setText("region", &x.Region)
	rc.setText("city", &x.City)
	if rc.has("industry") {
		x.Industry = rc.pick("industry", attain.ListIndustry)
	}
	if rc.has("size") {
		x.Size = rc.pick("size", attain.ListCompanySize)
	}
	if rc.has("parent") {
		x.ParentID = rc.ref("parent", "account")
	}
	if rc.has("tags") {
		x.Tags = importer.SplitList(rc.get("tags"))
	}
	x.OwnerID, x.TeamID = rc.ownership(x.OwnerID, x.TeamID)
	rc.externalID(&x.ExternalID, "account")
	if k := w.run.opts.MatchBy; k == "domain" || k == "name" {
		rc.unique(k, "account")
	}
	x.Custom = rc.customValues(customPrevOf(before, func(b *attain.Account) map[string]jsonRaw { return b.Custom }))
	if err := rc.addErr(x.Validate()); err != nil {
		return err
	}
	if !w.ready(rc) {
		w.count(rc, before != nil)
		return nil
	}
	if before != nil {
		return w.update(ctx, rc, "account", x.ID, before, x, tx.UpdateAccount(ctx, a.WorkspaceID, x, before.Version))
	}
	_, err := w.insert(ctx, "accounts", "account", []string{"name", "name_key", "domain", "website", "industry", "size", "country", "region", "city",
		"parent_id", "owner_id", "team_id", "tags", "custom", "external_id", "created_at", "updated_at"}, func(int64) []any {
		return []any{x.Name, attain.NameKey(x.Name), x.Domain, x.Website, x.Industry, x.Size, x.Country, x.Region, x.City,
			x.ParentID, x.OwnerID, x.TeamID, jsonText(x.Tags, "[]"), jsonText(x.Custom, "{}"), x.ExternalID, tx.Now, tx.Now}
	})
	return err
}

// splitName splits a full name at its last space: "Anne Marie Dupont" is
// first name "Anne Marie", last name "Dupont".
func splitName(s string) (first, last string) {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.LastIndexByte(s, ' '); i > 0 {
		return s[:i], s[i+1:]
	}
	return "", s
}

func (w *importWriter) contact(ctx context.Context, rc *rowCtx) error {
	a, tx := w.run.a, w.tx
	x := &attain.Contact{OwnerID: a.UserID}
	var before *attain.Contact
	if id := w.match(rc); id > 0 {
		b, err := visibleContact(ctx, tx, a, id)
		if attain.ErrorCode(err) == attain.ENOTFOUND {
			rc.bad(w.run.opts.MatchBy, "matches a contact you cannot see")
			return nil
		}
		if err != nil {
			return err
		}
		before = b
		c := *b
		x = &c
	} else if id < 0 {
		return nil
	}
	if rc.has("name") && !rc.has("first_name") && !rc.has("last_name") {
		x.FirstName, x.LastName = splitName(rc.get("name"))
	}
	rc.setText("first_name", &x.FirstName)
	rc.setText("last_name", &x.LastName)
	rc.setText("email", &x.Email)
	rc.setText("phone", &x.Phone)
	rc.setText("title", &x.Title)
	if rc.has("emails") {
		x.Emails = importer.SplitList(rc.get("emails"))
	}
	if rc.has("phones") {
		x.Phones = importer.SplitList(rc.get("phones"))
	}
	if rc.has("account") {
		x.AccountID = rc.ref("account", "account")
	}
	x.OwnerID, x.TeamID = rc.ownership(x.OwnerID, x.TeamID)
	rc.externalID(&x.ExternalID, "contact")
	if w.run.opts.MatchBy == "email" {
		rc.unique("email", "contact")
	}
	x.Custom = rc.customValues(customPrevOf(before, func(b *attain.Contact) map[string]jsonRaw { return b.Custom }))
	if err := rc.addErr(x.Validate()); err != nil {
		return err
	}
	if !w.ready(rc) {
		w.count(rc, before != nil)
		return nil
	}
	if before != nil {
		return w.update(ctx, rc, "contact", x.ID, before, x, tx.UpdateContact(ctx, a.WorkspaceID, x, before.Version))
	}
	_, err := w.insert(ctx, "contacts", "contact", []string{"account_id", "first_name", "last_name", "email", "emails", "phone", "phones",
		"title", "owner_id", "team_id", "custom", "external_id", "created_at", "updated_at"}, func(int64) []any {
		return []any{x.AccountID, x.FirstName, x.LastName, x.Email, jsonText(x.Emails, "[]"), x.Phone, jsonText(x.Phones, "[]"),
			x.Title, x.OwnerID, x.TeamID, jsonText(x.Custom, "{}"), x.ExternalID, tx.Now, tx.Now}
	})
	return err
}

func (w *importWriter) lead(ctx context.Context, rc *rowCtx) error {
	a, tx := w.run.a, w.tx
	x := &attain.Lead{OwnerID: a.UserID, Status: attain.LeadNew}
	var before *attain.Lead
	if id := w.match(rc); id > 0 {
		b, err := visibleLead(ctx, tx, a, id)
		if attain.ErrorCode(err) == attain.ENOTFOUND {
			rc.bad(w.run.opts.MatchBy, "matches a lead you cannot see")
			return nil
		}
		if err != nil {
			return err
		}
		before = b
		c := *b
		x = &c
	} else if id < 0 {
		return nil
	}
	if rc.has("name") && !rc.has("first_name") && !rc.has("last_name") {
		x.FirstName, x.LastName = splitName(rc.get("name"))
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"first_name", &x.FirstName}, {"last_name", &x.LastName}, {"email", &x.Email}, {"phone", &x.Phone}, {"title", &x.Title},
		{"company", &x.Company}, {"website", &x.Website}, {"country", &x.Country}} {
		rc.setText(f.name, f.dst)
	}
	if rc.has("industry") {
		x.Industry = rc.pick("industry", attain.ListIndustry)
	}
	if rc.has("source") {
		x.Source = rc.pick("source", attain.ListLeadSource)
	}
	if rc.has("status") {
		st := attain.LeadStatus(strings.ReplaceAll(attain.NameKey(rc.get("status")), " ", "_"))
		switch {
		case st == attain.LeadConverted:
			rc.bad("status", "leads are converted by converting them, not by import")
		case !st.Valid():
			rc.bad("status", "must be new, working, qualified or disqualified")
		default:
			x.Status = st
		}
	}
	x.OwnerID, x.TeamID = rc.ownership(x.OwnerID, x.TeamID)
	rc.externalID(&x.ExternalID, "lead")
	if w.run.opts.MatchBy == "email" {
		rc.unique("email", "lead")
	}
	x.Custom = rc.customValues(customPrevOf(before, func(b *attain.Lead) map[string]jsonRaw { return b.Custom }))
	if err := rc.addErr(x.Validate()); err != nil {
		return err
	}
	if !w.ready(rc) {
		w.count(rc, before != nil)
		return nil
	}
	if before != nil {
		return w.update(ctx, rc, "lead", x.ID, before, x, tx.UpdateLead(ctx, a.WorkspaceID, x, before.Version))
	}
	_, err := w.insert(ctx, "leads", "lead", []string{"first_name", "last_name", "email", "phone", "title", "company", "website",
		"industry", "country", "source", "status", "owner_id", "team_id", "custom", "external_id", "created_at", "updated_at"}, func(int64) []any {
		return []any{x.FirstName, x.LastName, x.Email, x.Phone, x.Title, x.Company, x.Website,
			x.Industry, x.Country, x.Source, string(x.Status), x.OwnerID, x.TeamID, jsonText(x.Custom, "{}"), x.ExternalID, tx.Now, tx.Now}
	})
	return err
}

// deal creates a deal. Unlike the API, an import may create deals already
// won or lost, so a history of closed deals can be brought over; their
// close date is when they closed.
func (w *importWriter) deal(ctx context.Context, rc *rowCtx) error {
	a, tx, run := w.run.a, w.tx, w.run
	if id := w.match(rc); id > 0 {
		before, err := visibleDeal(ctx, tx, a, id)
		if attain.ErrorCode(err) == attain.ENOTFOUND {
			rc.bad(run.opts.MatchBy, "matches a deal you cannot see")
			return nil
		}
		if err != nil {
			return err
		}
		return w.updateDeal(ctx, rc, before)
	} else if id < 0 {
		return nil
	}
	p := run.defPipe
	if rc.has("pipeline") {
		p = rc.pipeline()
	}
	var stage *attain.Stage
	if p != nil {
		stage = p.FirstOpen()
		if rc.has("stage") {
			stage = rc.stage(p)
		}
	}
	cur := rc.currency()
	amount, amtCur := rc.money("amount", cur)
	margin, marCur := rc.money("margin", cur)
	if rc.has("currency") && (amtCur != cur || marCur != cur) {
		rc.bad("amount", "is in %s but the currency column says %s", amtCur, cur)
	} else {
		cur = amtCur
	}
	in := attain.DealInput{Name: rc.get("name"), Currency: cur, Amount: amount, Margin: margin, NextStep: rc.get("next_step")}
	if err := rc.addErr(in.Validate()); err != nil {
		return err
	}
	d := &attain.Deal{Name: in.Name, Status: attain.DealOpen, Currency: in.Currency, Margin: in.Margin, OwnerID: a.UserID,
		NextStep: in.NextStep, ReasonNote: rc.get("reason_note")}
	if amount != nil {
		d.Amount = *amount
	}
	if cd := rc.date("close_date"); cd != nil {
		d.CloseDate = *cd
	} else {
		d.CloseDate, d.CloseDateEstimated = attain.DateOf(tx.Now).EndOfMonth(1), true
	}
	if stage != nil {
		d.PipelineID, d.StageID = p.ID, stage.ID
		switch stage.Outcome {
		case attain.OutcomeWon, attain.OutcomeLost:
			d.Status = stage.Outcome
			closed := d.CloseDate.Time()
			if closed.After(tx.Now) {
				closed = tx.Now
			}
			d.ClosedAt = &closed
			list := attain.ListWonReason
			if stage.Outcome == attain.OutcomeLost {
				list = attain.ListLostReason
			}
			d.Reason = rc.pick("reason", list)
		default:
			if rc.has("reason") {
				rc.bad("reason", "only won or lost deals have a reason; the stage %s is open", stage.Name)
			}
		}
	}
	d.AccountID = rc.ref("account", "account")
	d.PrimaryContactID = rc.ref("contact", "contact")
	d.OwnerID, d.TeamID = rc.ownership(d.OwnerID, d.TeamID)
	rc.externalID(&d.ExternalID, "deal")
	d.Custom = rc.customValues(nil)
	if !w.ready(rc) {
		w.count(rc, false)
		return nil
	}
	id, err := w.insert(ctx, "deals", "deal", []string{"name", "account_id", "primary_contact_id", "pipeline_id", "stage_id", "status",
		"amount", "currency", "margin", "close_date", "close_date_estimated", "owner_id", "team_id", "next_step", "reason", "reason_note",
		"closed_at", "stage_entered_at", "custom", "external_id", "created_at", "updated_at"}, func(int64) []any {
		return []any{d.Name, d.AccountID, d.PrimaryContactID, d.PipelineID, d.StageID, d.Status,
			d.Amount, d.Currency, d.Margin, d.CloseDate, d.CloseDateEstimated, d.OwnerID, d.TeamID, d.NextStep, d.Reason, d.ReasonNote,
			d.ClosedAt, tx.Now, jsonText(d.Custom, "{}"), d.ExternalID, tx.Now, tx.Now}
	})
	if err != nil {
		return err
	}
	return w.stages.Add(ctx, a.WorkspaceID, id, p.ID, p.CurrentVersion, stage.ID, tx.Now, actorID(a))
}

// pipeline reads the pipeline column: an active pipeline's name.
func (rc *rowCtx) pipeline() *attain.Pipeline {
	key := attain.NameKey(rc.get("pipeline"))
	var names []string
	for _, x := range rc.run.pipelines {
		if x.ArchivedAt == nil {
			if attain.NameKey(x.Name) == key {
				return x
			}
			names = append(names, x.Name)
		}
	}
	rc.bad("pipeline", "unknown pipeline %q; known: %s", rc.get("pipeline"), strings.Join(names, ", "))
	return nil
}

// stage reads the stage column: the name of an active stage of p.
func (rc *rowCtx) stage(p *attain.Pipeline) *attain.Stage {
	key := attain.NameKey(rc.get("stage"))
	var names []string
	for _, s := range p.Stages {
		if s.ArchivedAt != nil {
			continue
		}
		if attain.NameKey(s.Name) == key {
			return s
		}
		names = append(names, s.Name)
	}
	rc.bad("stage", "unknown stage %q of the %s pipeline; known: %s", rc.get("stage"), p.Name, strings.Join(names, ", "))
	return nil
}

// updateDeal applies a row to the deal it matched: the columns given
// replace the deal's values, and a stage (or pipeline) that differs moves
// the deal as MoveDeal does: the same rules (exit criteria of the stages it
// leaves, a reason to win or lose), the same field history, audit entry and
// stage history row. An import gives no override reason, so unmet exit
// criteria reject the row.
func (w *importWriter) updateDeal(ctx context.Context, rc *rowCtx, before *attain.Deal) error {
	a, tx, run := w.run.a, w.tx, w.run
	after := *before
	var p *attain.Pipeline
	for _, x := range run.pipelines {
		if x.ID == before.PipelineID {
			p = x
		}
	}
	if rc.has("pipeline") {
		p = rc.pipeline()
	}
	var target *attain.Stage
	switch {
	case p == nil:
	case rc.has("stage"):
		target = rc.stage(p)
	case p.ID != before.PipelineID:
		if target = p.FirstOpen(); target == nil {
			rc.bad("pipeline", "the %s pipeline has no open stage", p.Name)
		}
	}
	rc.setText("name", &after.Name)
	rc.setText("next_step", &after.NextStep)
	if rc.has("currency") {
		after.Currency = rc.currency()
	}
	if len(before.Lines) > 0 && (rc.has("amount") || rc.has("margin")) {
		rc.bad("amount", "is computed from the deal's line items; change the lines instead")
	}
	if rc.has("amount") {
		amount, cur := rc.money("amount", after.Currency)
		if amount != nil {
			after.Amount = *amount
		}
		if cur != after.Currency && rc.has("currency") {
			rc.bad("amount", "is in %s but the currency column says %s", cur, after.Currency)
		}
		after.Currency = cur
	}
	if rc.has("margin") {
		margin, cur := rc.money("margin", after.Currency)
		if cur != after.Currency {
			rc.bad("margin", "is in %s but the deal is in %s", cur, after.Currency)
		}
		after.Margin = margin
	}
	if cd := rc.date("close_date"); cd != nil {
		after.CloseDate, after.CloseDateEstimated = *cd, false
	}
	if rc.has("account") {
		after.AccountID = rc.ref("account", "account")
	}
	if rc.has("contact") {
		after.PrimaryContactID = rc.ref("contact", "contact")
	}
	after.OwnerID, after.TeamID = rc.ownership(after.OwnerID, after.TeamID)
	rc.externalID(&after.ExternalID, "deal")
	after.Custom = rc.customValues(customPrevOf(before, func(b *attain.Deal) map[string]jsonRaw { return b.Custom }))
	in := attain.DealInput{Name: after.Name, Currency: after.Currency, Amount: &after.Amount, Margin: after.Margin, NextStep: after.NextStep}
	if err := rc.addErr(in.Validate()); err != nil {
		return err
	}
	move := attain.MoveInput{Reason: rc.get("reason"), ReasonNote: rc.get("reason_note")}
	moving := target != nil && (target.ID != before.StageID || p.ID != before.PipelineID)
	var cur *attain.Stage
	switch {
	case moving:
		move.StageID, move.PipelineID = target.ID, &p.ID
		if target.Outcome != attain.OutcomeOpen && move.Reason != "" {
			list := attain.ListWonReason
			if target.Outcome == attain.OutcomeLost {
				list = attain.ListLostReason
			}
			if move.Reason = rc.pick("reason", list); move.Reason == "" {
				return nil
			}
		}
		if len(rc.errs) > 0 {
			break
		}
		var err error
		if cur, err = tx.FindStage(ctx, a.WorkspaceID, before.StageID); err != nil {
			return err
		}
		// The exit criteria are checked against the deal as the row leaves
		// it, so a row may fill a required field and move on at once.
		if _, err := run.s.checkMove(ctx, tx, a, p, &after, cur, target, move); err != nil {
			return rc.addErr(err)
		}
	case rc.has("reason") || rc.has("reason_note"):
		if after.Status == attain.DealOpen {
			rc.bad("reason", "only won or lost deals have a reason; the deal is open")
			break
		}
		list := attain.ListWonReason
		if after.Status == attain.DealLost {
			list = attain.ListLostReason
		}
		if rc.has("reason") {
			after.Reason = rc.pick("reason", list)
		}
		rc.setText("reason_note", &after.ReasonNote)
	}
	if !w.ready(rc) {
		w.count(rc, true)
		return nil
	}
	var err error
	if moving {
		moveTo(&after, p, target, move, tx.Now)
		_, err = run.s.saveMove(ctx, tx, a, before, &after, p, cur, false, move)
	} else {
		_, err = run.s.saveDeal(ctx, tx, a, "update", before, &after)
	}
	if err != nil {
		return rc.addErr(err)
	}
	w.updated()
	return nil
}

func (w *importWriter) product(ctx context.Context, rc *rowCtx) error {
	a, tx := w.run.a, w.tx
	var before *attain.Product
	if id := w.match(rc); id > 0 {
		b, err := tx.FindProduct(ctx, a.WorkspaceID, id)
		if err != nil {
			return err
		}
		before = b
	} else if id < 0 {
		return nil
	}
	in := attain.ProductInput{Name: rc.get("name"), SKU: rc.get("sku")}
	if before != nil {
		in = attain.ProductInput{Name: before.Name, SKU: before.SKU, Currency: before.Currency, ListPrice: before.ListPrice,
			UnitCost: before.UnitCost, ExternalID: before.ExternalID}
		rc.setText("name", &in.Name)
		rc.setText("sku", &in.SKU)
	}
	cur := rc.currency()
	if before != nil && !rc.has("currency") {
		cur = before.Currency
	}
	price, priceCur := rc.money("list_price", cur)
	cost, costCur := rc.money("unit_cost", priceCur)
	if costCur != priceCur {
		rc.bad("unit_cost", "is in %s but the list price is in %s", costCur, priceCur)
	}
	in.Currency = priceCur
	if price != nil {
		in.ListPrice = *price
	}
	if cost != nil {
		in.UnitCost = *cost
	}
	active := true
	if before != nil {
		active = before.Active
	}
	if rc.has("active") {
		b, err := importer.ParseBool(rc.get("active"))
		if err != nil {
			rc.bad("active", "%v", err)
		}
		active = b
	}
	rc.externalID(&in.ExternalID, "product")
	if before == nil || attain.NameKey(in.Name) != attain.NameKey(before.Name) {
		rc.unique("name", "product")
	}
	if err := rc.addErr(in.Validate()); err != nil {
		return err
	}
	if !w.ready(rc) {
		w.count(rc, before != nil)
		return nil
	}
	if before != nil {
		p := *before
		p.Name, p.SKU, p.Currency, p.ListPrice, p.UnitCost, p.Active, p.ExternalID = in.Name, in.SKU, in.Currency, in.ListPrice, in.UnitCost, active, in.ExternalID
		if err := tx.UpdateProduct(ctx, a.WorkspaceID, before.Version, &p); err != nil {
			return rc.addErr(err)
		}
		w.updated()
		return tx.Audit(ctx, a, "update", "product", p.ID, before, &p)
	}
	_, err := w.insert(ctx, "products", "", []string{"name", "sku", "currency", "list_price", "unit_cost", "active", "external_id",
		"created_at", "updated_at"}, func(int64) []any {
		return []any{in.Name, in.SKU, in.Currency, in.ListPrice, in.UnitCost, active, in.ExternalID, tx.Now, tx.Now}
	})
	return err
}

// activity creates an activity, or updates the one it matched: on update
// the columns given replace the activity's values, checked and recorded as
// UpdateActivity does.
func (w *importWriter) activity(ctx context.Context, rc *rowCtx) error {
	a, tx, run := w.run.a, w.tx, w.run
	x := &attain.Activity{OwnerID: a.UserID}
	var before *attain.Activity
	if id := w.match(rc); id > 0 {
		b, canEdit, err := visibleActivity(ctx, tx, a, id)
		switch {
		case attain.ErrorCode(err) == attain.ENOTFOUND:
			rc.bad(run.opts.MatchBy, "matches an activity you cannot see")
			return nil
		case err != nil:
			return err
		case !canEdit:
			rc.bad(run.opts.MatchBy, "matches an activity you see through its deal but may not change")
			return nil
		}
		before = b
		c := *b
		x = &c
	} else if id < 0 {
		return nil
	}
	if v := rc.get("type"); v != "" {
		t := run.actTypes[strings.ToLower(v)]
		if t == nil {
			t = run.actTypes[attain.NameKey(v)]
		}
		switch {
		case t == nil:
			var names []string
			for k, t := range run.actTypes {
				if k == t.Key && t.RetiredAt == nil {
					names = append(names, t.Key)
				}
			}
			rc.bad("type", "unknown activity type %q; known: %s", v, strings.Join(names, ", "))
		case t.RetiredAt != nil && (before == nil || t.ID != before.TypeID):
			rc.bad("type", "%q is retired", v)
		default:
			if before == nil || x.Subject == x.TypeName {
				x.Subject = t.Name // the type's name, unless a subject was written
			}
			x.TypeID, x.Type, x.TypeName = t.ID, t.Key, t.Name
		}
	} else if before == nil {
		rc.bad("type", "is required: an activity type such as call")
	}
	rc.setText("subject", &x.Subject)
	rc.setText("note", &x.Note)
	rc.setText("outcome", &x.Outcome)
	if rc.has("sentiment") || before == nil {
		x.Sentiment = strings.ToLower(rc.get("sentiment"))
	}
	if rc.has("deal") || before == nil {
		x.DealID = rc.ref("deal", "deal")
	}
	if rc.has("contact") || before == nil {
		x.ContactID = rc.ref("contact", "contact")
	}
	if rc.has("account") || before == nil {
		x.AccountID = rc.ref("account", "account")
	}
	if t := rc.time("occurred_at"); t != nil {
		x.OccurredAt = t
		if x.DoneAt == nil || before == nil {
			x.DoneAt = t
		}
	}
	if t := rc.time("due_at"); t != nil {
		x.DueAt = t
	}
	if before == nil && x.OccurredAt == nil && x.DueAt == nil {
		now := tx.Now
		x.OccurredAt, x.DoneAt = &now, &now
	}
	if rc.has("duration_minutes") {
		n, err := importer.ParseInt(rc.get("duration_minutes"), run.decimal)
		if err != nil {
			rc.bad("duration_minutes", "%v", err)
		}
		x.DurationMinutes = int(n)
	}
	x.OwnerID, x.TeamID = rc.ownership(x.OwnerID, x.TeamID)
	var ext *string // activities keep an external id for imports only
	rc.externalID(&ext, "activity")
	if x.DealID == nil && x.ContactID == nil && x.AccountID == nil && x.LeadID == nil && len(rc.errs) == 0 {
		rc.bad("deal", "an activity is logged on a deal, contact or account: fill one of those columns")
	}
	n := attain.NewActivity{Type: x.Type, TypeID: x.TypeID, Subject: x.Subject, Note: x.Note, OccurredAt: x.OccurredAt, DueAt: x.DueAt,
		DurationMinutes: x.DurationMinutes, Outcome: x.Outcome, Sentiment: x.Sentiment, DealID: x.DealID, ContactID: x.ContactID,
		AccountID: x.AccountID, LeadID: x.LeadID}
	if x.TypeID != 0 && (x.DealID != nil || x.ContactID != nil || x.AccountID != nil || x.LeadID != nil) {
		if err := rc.addErr(n.Validate()); err != nil {
			return err
		}
		x.Subject, x.Outcome, x.OccurredAt, x.DueAt = n.Subject, n.Outcome, n.OccurredAt, n.DueAt
	}
	if !w.ready(rc) {
		w.count(rc, before != nil)
		return nil
	}
	if before != nil {
		if err := run.s.checkActivity(ctx, tx, a, x, before); err != nil {
			return rc.addErr(err)
		}
		if err := run.s.saveActivity(ctx, tx, a, "update", before, x); err != nil {
			return rc.addErr(err)
		}
		w.updated()
		return nil
	}
	if x.DealID != nil {
		run.dealIDs[*x.DealID] = true
	}
	_, err := w.insert(ctx, "activities", "", []string{"type_id", "subject", "note", "deal_id", "contact_id", "account_id",
		"owner_id", "team_id", "occurred_at", "due_at", "done_at", "duration_minutes", "outcome", "sentiment", "external_id",
		"created_at", "updated_at"}, func(int64) []any {
		return []any{x.TypeID, x.Subject, x.Note, x.DealID, x.ContactID, x.AccountID, x.OwnerID, x.TeamID, x.OccurredAt, x.DueAt, x.DoneAt,
			x.DurationMinutes, x.Outcome, x.Sentiment, ext, tx.Now, tx.Now}
	})
	return err
}

type jsonRaw = json.RawMessage

// customPrevOf is the custom values a matched record had (nil on create),
// for checking the row's values against.
func customPrevOf[T any](before *T, custom func(*T) map[string]jsonRaw) map[string]jsonRaw {
	if before == nil {
		return nil
	}
	if m := custom(before); m != nil {
		return m
	}
	return map[string]jsonRaw{}
}
