package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// CreateDeal creates a deal from the essentials, defaulting the rest (see
// attain.DealInput), and opens its first stage history row.
func (s *Service) CreateDeal(ctx context.Context, a *attain.Actor, in attain.DealInput) (*attain.Deal, error) {
	var d *attain.Deal
	err := s.db.WriteTx(ctx, func(tx *store.Tx) (err error) {
		d, err = s.CreateDealTx(ctx, tx, a, in)
		return err
	})
	return d, err
}

// CreateDealTx creates a deal inside the caller's transaction, for features
// that make deals as part of a larger write (lead conversion, imports).
//
// A deal may start in any open stage: where it starts is recorded in its
// stage history, and exit criteria apply from there on. It cannot be created
// won or lost; create it and move it, which asks for the reason.
func (s *Service) CreateDealTx(ctx context.Context, tx *store.Tx, a *attain.Actor, in attain.DealInput) (*attain.Deal, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var v attain.Validation
	p, err := dealPipeline(ctx, tx, a, in.PipelineID)
	if err != nil {
		return nil, err
	}
	stage := p.FirstOpen()
	if in.StageID != nil {
		stage = p.Stage(*in.StageID)
		switch {
		case stage == nil:
			v.Add("stage_id", "is not a stage of the %s pipeline", p.Name)
		case stage.Outcome != attain.OutcomeOpen:
			v.Add("stage_id", "a deal starts open; create it, then move it to %s with a reason", stage.Name)
			stage = nil
		}
	}
	if stage == nil && in.StageID == nil {
		return nil, attain.Errorf(attain.ECONFLICT, "The %s pipeline has no open stage.", p.Name)
	}
	d := &attain.Deal{
		Name: in.Name, AccountID: in.AccountID, PrimaryContactID: in.PrimaryContactID, PipelineID: p.ID,
		Status: attain.DealOpen, Currency: in.Currency, Margin: in.Margin, OwnerID: a.UserID, TeamID: in.TeamID,
		ForecastOverride: in.ForecastCategory, NextStep: in.NextStep, LeadID: in.LeadID, Custom: in.Custom,
		ExternalID: in.ExternalID,
	}
	if stage != nil {
		d.StageID = stage.ID
	}
	if in.OwnerID != nil {
		d.OwnerID = *in.OwnerID
	} else if a.System {
		return nil, attain.Invalid("owner_id", "is required when Attain creates a deal on its own")
	}
	if in.Amount != nil {
		d.Amount = *in.Amount
	}
	if d.Currency == "" {
		if d.Currency, err = tx.WorkspaceCurrency(ctx, a.WorkspaceID); err != nil {
			return nil, err
		}
	}
	if in.CloseDate != nil && !in.CloseDate.IsZero() {
		d.CloseDate = *in.CloseDate
	} else {
		// The end of next month: far enough to be plausible for a new deal,
		// near enough to be noticed in next month's forecast review.
		d.CloseDate, d.CloseDateEstimated = attain.DateOf(tx.Now).EndOfMonth(1), true
	}
	if err := checkDealRefs(ctx, tx, a, &v, d, &attain.Deal{}); err != nil {
		return nil, err
	}
	if err := addFieldErrors(&v, s.CheckCustom(ctx, tx, a, "deal", nil, d.Custom)); err != nil {
		return nil, err
	}
	var lines []*attain.DealLine
	if len(in.Lines) > 0 {
		if lines, err = buildLines(ctx, tx, a.WorkspaceID, d, in.Lines, nil); err != nil {
			if err := addFieldErrors(&v, err); err != nil {
				return nil, err
			}
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if len(lines) > 0 {
		amount, margin, err := attain.Totals(lines)
		if err != nil {
			return nil, err
		}
		d.Amount, d.Margin = amount, &margin
	}
	if err := tx.CreateDeal(ctx, a.WorkspaceID, d); err != nil {
		return nil, err
	}
	if len(lines) > 0 {
		if err := tx.ReplaceDealLines(ctx, a.WorkspaceID, d.ID, lines); err != nil {
			return nil, err
		}
	}
	err = tx.EnterStage(ctx, a.WorkspaceID, &attain.StageHistoryEntry{
		DealID: d.ID, PipelineID: p.ID, PipelineVersion: p.CurrentVersion, StageID: d.StageID,
		EnteredAt: tx.Now, MovedBy: actorID(a),
	})
	if err != nil {
		return nil, err
	}
	if d, err = tx.FindDeal(ctx, a.WorkspaceID, d.ID); err != nil {
		return nil, err
	}
	if err := tx.RecordChanges(ctx, a, "deal", d.ID, nil, d.Tracked()); err != nil {
		return nil, err
	}
	return d, tx.Audit(ctx, a, "create", "deal", d.ID, nil, d)
}

// dealPipeline returns the named live pipeline, or the default one.
func dealPipeline(ctx context.Context, tx *store.Tx, a *attain.Actor, id *int64) (*attain.Pipeline, error) {
	if id == nil {
		return tx.FindDefaultPipeline(ctx, a.WorkspaceID)
	}
	p, err := tx.FindPipeline(ctx, a.WorkspaceID, *id)
	if attain.ErrorCode(err) == attain.ENOTFOUND || (err == nil && p.ArchivedAt != nil) {
		return nil, attain.Invalid("pipeline_id", "is not a live pipeline of this workspace")
	}
	return p, err
}

// checkDealRefs checks the references of d that changed since before: the
// account and primary contact must be live records the actor can see; the
// owner and team follow the ownership rule of every record. The forecast
// override is for open deals only.
func checkDealRefs(ctx context.Context, tx *store.Tx, a *attain.Actor, v *attain.Validation, d, before *attain.Deal) error {
	for _, ref := range []struct {
		field, kind string
		id, prev    *int64
	}{
		{"account_id", "account", d.AccountID, before.AccountID},
		{"primary_contact_id", "contact", d.PrimaryContactID, before.PrimaryContactID},
	} {
		if ref.id == nil || sameID(ref.id, ref.prev) {
			continue
		}
		r, err := tx.FindRecordAccess(ctx, a.WorkspaceID, ref.kind, *ref.id)
		if err != nil && attain.ErrorCode(err) != attain.ENOTFOUND {
			return err
		}
		if err != nil || r.DeletedAt != nil || !r.VisibleTo(a) {
			v.Add(ref.field, "is not a live %s you can see", ref.kind)
		}
	}
	if d.ForecastOverride != nil && d.Status != attain.DealOpen {
		v.Add("forecast_category", "of a %s deal follows its stage; reopen the deal to change it", d.Status)
	}
	prevOwner := before.OwnerID
	if before.ID == 0 {
		prevOwner = -1 // a new deal: always check the owner
	}
	return checkOwnership(ctx, tx, a, v, d.OwnerID, d.TeamID, prevOwner, before.TeamID)
}

// buildLines turns line inputs into lines priced in the deal's currency:
// a product's price, cost and name are the defaults, and its currency must be
// the deal's. Inactive products are refused unless the deal already has them
// (prev), so re-sending a deal's lines never fails on an old product.
func buildLines(ctx context.Context, tx *store.Tx, workspaceID int64, d *attain.Deal, in []attain.DealLineInput, prev []*attain.DealLine) ([]*attain.DealLine, error) {
	var v attain.Validation
	had := map[int64]bool{}
	for _, l := range prev {
		if l.ProductID != nil {
			had[*l.ProductID] = true
		}
	}
	out := make([]*attain.DealLine, 0, len(in))
	for i, li := range in {
		f := fmt.Sprintf("lines[%d]", i)
		l := &attain.DealLine{ProductID: li.ProductID, Description: li.Description, Quantity: li.Quantity, DiscountBP: li.DiscountBP}
		if li.ProductID != nil {
			p, err := tx.FindProduct(ctx, workspaceID, *li.ProductID)
			if attain.ErrorCode(err) == attain.ENOTFOUND {
				v.Add(f+".product_id", "is not a product of this workspace")
				continue
			}
			if err != nil {
				return nil, err
			}
			if !p.Active && !had[p.ID] {
				v.Add(f+".product_id", "%q is no longer sold (inactive)", p.Name)
			}
			if p.Currency != d.Currency {
				v.Add(f+".product_id", "%q is priced in %s but the deal is in %s; give unit_price and unit_cost in %s", p.Name, p.Currency, d.Currency, d.Currency)
			}
			l.UnitPrice, l.UnitCost = p.ListPrice, p.UnitCost
			if l.Description == "" {
				l.Description = p.Name
			}
		}
		if li.UnitPrice != nil {
			l.UnitPrice = *li.UnitPrice
		}
		if li.UnitCost != nil {
			l.UnitCost = *li.UnitCost
		}
		out = append(out, l)
	}
	return out, v.Err()
}

// visibleDeal reads a deal and answers not found unless the actor may see it.
func visibleDeal(ctx context.Context, tx *store.Tx, a *attain.Actor, id int64) (*attain.Deal, error) {
	d, err := tx.FindDeal(ctx, a.WorkspaceID, id)
	if err != nil {
		return nil, err
	}
	if !a.CanSee(d.OwnerID, teamOf(d.TeamID)) {
		return nil, attain.Errorf(attain.ENOTFOUND, "Deal not found.")
	}
	return d, nil
}

// FindDeal returns a deal the actor can see, with its line items.
func (s *Service) FindDeal(ctx context.Context, a *attain.Actor, id int64) (*attain.Deal, error) {
	var d *attain.Deal
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		d, err = visibleDeal(ctx, tx, a, id)
		return err
	})
	return d, err
}

// FindDeals lists the deals the actor can see (see attain.ListQuery).
func (s *Service) FindDeals(ctx context.Context, a *attain.Actor, q attain.ListQuery) ([]*attain.Deal, string, error) {
	var out []*attain.Deal
	var next string
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, next, err = tx.FindDeals(ctx, a, q)
		return err
	})
	return out, next, err
}

// UpdateDeal changes some of a deal's fields. version is the ETag the
// client read (0: no check).
func (s *Service) UpdateDeal(ctx context.Context, a *attain.Actor, id, version int64, in attain.DealUpdate) (*attain.Deal, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var d *attain.Deal
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := visibleDeal(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := editable(before.DeletedAt != nil, before.Version, version, "deal"); err != nil {
			return err
		}
		after := *before
		if err := in.Apply(&after); err != nil {
			return err
		}
		var v attain.Validation
		if err := checkDealRefs(ctx, tx, a, &v, &after, before); err != nil {
			return err
		}
		if err := addFieldErrors(&v, s.CheckCustom(ctx, tx, a, "deal", customPrev(before.ID, before.Custom), after.Custom)); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		d, err = s.saveDeal(ctx, tx, a, "update", before, &after)
		return err
	})
	return d, err
}

// saveDeal writes after over before, records the field changes and the
// audit entry, and returns the deal as stored. The write is conditional on
// the version that was read, whatever the client sent: every column is
// written from before, so a change committed in between (PostgreSQL runs
// writers concurrently) must fail as stale, not be silently undone.
func (s *Service) saveDeal(ctx context.Context, tx *store.Tx, a *attain.Actor, action string, before, after *attain.Deal) (*attain.Deal, error) {
	if err := tx.UpdateDeal(ctx, a.WorkspaceID, before.Version, after); err != nil {
		return nil, err
	}
	d, err := tx.FindDeal(ctx, a.WorkspaceID, after.ID)
	if err != nil {
		return nil, err
	}
	if err := tx.RecordChanges(ctx, a, "deal", d.ID, before.Tracked(), d.Tracked()); err != nil {
		return nil, err
	}
	return d, tx.Audit(ctx, a, action, "deal", d.ID, before, d)
}

// DeleteDeal soft-deletes a deal: it leaves lists and forecasts but keeps
// its history, and RestoreDeal brings it back.
func (s *Service) DeleteDeal(ctx context.Context, a *attain.Actor, id, version int64) error {
	return s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := visibleDeal(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := editable(before.DeletedAt != nil, before.Version, version, "deal"); err != nil {
			return err
		}
		after := *before
		now := tx.Now
		after.DeletedAt = &now
		_, err = s.saveDeal(ctx, tx, a, "delete", before, &after)
		return err
	})
}

// RestoreDeal undoes DeleteDeal.
func (s *Service) RestoreDeal(ctx context.Context, a *attain.Actor, id int64) (*attain.Deal, error) {
	var d *attain.Deal
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := visibleDeal(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if before.DeletedAt == nil {
			d = before
			return nil
		}
		after := *before
		after.DeletedAt = nil
		d, err = s.saveDeal(ctx, tx, a, "restore", before, &after)
		return err
	})
	return d, err
}

// ReplaceDealLines replaces a deal's line items; the amount and margin are
// then computed from them. With no lines the deal keeps its last amount and
// margin, typed from then on.
func (s *Service) ReplaceDealLines(ctx context.Context, a *attain.Actor, id, version int64, in attain.DealLinesInput) (*attain.Deal, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var d *attain.Deal
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := visibleDeal(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := editable(before.DeletedAt != nil, before.Version, version, "deal"); err != nil {
			return err
		}
		lines, err := buildLines(ctx, tx, a.WorkspaceID, before, in.Lines, before.Lines)
		if err != nil {
			return err
		}
		after := *before
		after.Lines = lines
		if len(lines) > 0 {
			amount, margin, err := attain.Totals(lines)
			if err != nil {
				return err
			}
			after.Amount, after.Margin = amount, &margin
		}
		if err := tx.ReplaceDealLines(ctx, a.WorkspaceID, id, lines); err != nil {
			return err
		}
		d, err = s.saveDeal(ctx, tx, a, "update_lines", before, &after)
		return err
	})
	return d, err
}

// MoveDeal moves a deal to another stage of its pipeline.
//
// Moving forward (to a later open stage, or to won) needs the exit criteria
// of the stage it leaves and of every stage it skips; unmet criteria refuse
// the move with EINVALID naming each missing field or activity, unless the
// pipeline allows overrides, the actor is a manager or admin, and an
// override reason is given, which is recorded. Moving backwards, reopening
// a closed deal and moving to lost are always allowed. Won and lost need a
// reason from the won_reason or lost_reason picklist. Every move closes the
// deal's open stage history row and opens a new one.
//
// With a pipeline id the deal moves to another pipeline (see moveTarget and
// checkMove); its history stays, and the new stage history row names the
// new pipeline and the version of it the deal entered.
func (s *Service) MoveDeal(ctx context.Context, a *attain.Actor, id, version int64, in attain.MoveInput) (*attain.Deal, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var d *attain.Deal
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := visibleDeal(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := editable(before.DeletedAt != nil, before.Version, version, "deal"); err != nil {
			return err
		}
		p, target, err := moveTarget(ctx, tx, a, before, in)
		if err != nil {
			return err
		}
		if target.ID == before.StageID {
			d = before // already there: a retried move changes nothing
			return nil
		}
		cur, err := tx.FindStage(ctx, a.WorkspaceID, before.StageID)
		if err != nil {
			return err
		}
		override, err := s.checkMove(ctx, tx, a, p, before, cur, target, in)
		if err != nil {
			return err
		}
		after := *before
		moveTo(&after, p, target, in, tx.Now)
		if d, err = s.saveMove(ctx, tx, a, before, &after, p, cur, override != nil, in); err != nil {
			return err
		}
		if override == nil {
			return nil
		}
		return tx.Audit(ctx, a, "override_exit_criteria", "deal", id,
			map[string]any{"stage_id": cur.ID, "unmet": override},
			map[string]any{"stage_id": target.ID, "override_reason": in.OverrideReason})
	})
	return d, err
}

// moveTo sets on d what moving it to target of p changes.
func moveTo(d *attain.Deal, p *attain.Pipeline, target *attain.Stage, in attain.MoveInput, now time.Time) {
	d.PipelineID, d.StageID, d.StageEnteredAt = p.ID, target.ID, now
	switch target.Outcome {
	case attain.OutcomeOpen:
		d.Status, d.ClosedAt, d.Reason, d.ReasonNote = attain.DealOpen, nil, "", ""
	case attain.OutcomeWon, attain.OutcomeLost:
		d.Status, d.ClosedAt, d.Reason, d.ReasonNote = target.Outcome, &now, in.Reason, in.ReasonNote
		d.ForecastOverride = nil // a closed deal's category is its stage's
	}
}

// saveMove stores a deal moved from the stage cur (see moveTo) with its
// field changes, audit entry and stage history row, and returns the deal as
// stored. overridden says exit criteria were overridden with
// in.OverrideReason.
func (s *Service) saveMove(ctx context.Context, tx *store.Tx, a *attain.Actor, before, after *attain.Deal, p *attain.Pipeline,
	cur *attain.Stage, overridden bool, in attain.MoveInput) (*attain.Deal, error) {
	d, err := s.saveDeal(ctx, tx, a, "move", before, after)
	if err != nil {
		return nil, err
	}
	var overrideReason *string
	if overridden {
		overrideReason = &in.OverrideReason
	}
	return d, tx.EnterStage(ctx, a.WorkspaceID, &attain.StageHistoryEntry{
		DealID: d.ID, PipelineID: p.ID, PipelineVersion: p.CurrentVersion, StageID: after.StageID, FromStageID: &cur.ID,
		EnteredAt: tx.Now, MovedBy: actorID(a), OverrideReason: overrideReason,
	})
}

// moveTarget returns the pipeline and stage a move goes to: a stage of the
// deal's pipeline, or, when the input names another pipeline, the stage
// given there or that pipeline's first open stage.
func moveTarget(ctx context.Context, tx *store.Tx, a *attain.Actor, d *attain.Deal, in attain.MoveInput) (*attain.Pipeline, *attain.Stage, error) {
	if in.PipelineID == nil || *in.PipelineID == d.PipelineID {
		p, err := tx.FindPipeline(ctx, a.WorkspaceID, d.PipelineID)
		if err != nil {
			return nil, nil, err
		}
		target := p.Stage(in.StageID)
		if target == nil {
			return nil, nil, attain.Invalid("stage_id", "is not an active stage of the deal's pipeline (%s)", p.Name)
		}
		return p, target, nil
	}
	p, err := tx.FindPipeline(ctx, a.WorkspaceID, *in.PipelineID)
	if attain.ErrorCode(err) == attain.ENOTFOUND {
		return nil, nil, attain.Invalid("pipeline_id", "is not a pipeline of this workspace")
	}
	if err != nil {
		return nil, nil, err
	}
	if p.ArchivedAt != nil {
		return nil, nil, attain.Invalid("pipeline_id", "the %s pipeline is archived; restore it first", p.Name)
	}
	target := p.FirstOpen()
	if in.StageID != 0 {
		if target = p.Stage(in.StageID); target == nil {
			return nil, nil, attain.Invalid("stage_id", "is not an active stage of the %s pipeline", p.Name)
		}
	}
	if target == nil {
		return nil, nil, attain.Invalid("pipeline_id", "the %s pipeline has no open stage", p.Name)
	}
	return p, target, nil
}

// checkMove applies the rules of a move from cur to target and returns the
// unmet criteria an allowed override skips (nil when nothing was skipped).
//
// A move into another pipeline (p is not the deal's) is treated as entering
// p at its first open stage and moving on from there: going to a later
// stage needs the exit criteria of every open stage of p before it, so
// changing pipeline is never a way around them.
func (s *Service) checkMove(ctx context.Context, tx *store.Tx, a *attain.Actor, p *attain.Pipeline, d *attain.Deal,
	cur, target *attain.Stage, in attain.MoveInput) ([]attain.FieldError, error) {
	var v attain.Validation
	switch target.Outcome {
	case attain.OutcomeWon, attain.OutcomeLost:
		list := attain.ListWonReason
		if target.Outcome == attain.OutcomeLost {
			list = attain.ListLostReason
		}
		if in.Reason == "" {
			v.Add("reason", "is required to move a deal to %s; one of the %s picklist", target.Name, list)
		} else if err := addFieldErrors(&v, s.CheckPicklist(ctx, tx, a.WorkspaceID, list, "reason", in.Reason, "")); err != nil {
			return nil, err
		}
	default:
		if in.Reason != "" || in.ReasonNote != "" {
			v.Add("reason", "is given only when moving a deal to the won or lost stage")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if target.Outcome == attain.OutcomeLost {
		return nil, nil // losing a deal is always allowed
	}
	if cur.Outcome != attain.OutcomeOpen {
		if target.Outcome == attain.OutcomeWon {
			return nil, attain.Invalid("stage_id", "the deal is %s; reopen it by moving it to an open stage first", d.Status)
		}
		return nil, nil // reopening is moving backwards
	}
	var leaving []*attain.Stage
	if p.ID != d.PipelineID {
		for _, st := range p.Stages {
			if st.Outcome == attain.OutcomeOpen && (target.Outcome == attain.OutcomeWon || st.Position < target.Position) {
				leaving = append(leaving, st)
			}
		}
		if len(leaving) == 0 {
			return nil, nil // entering at the first stage
		}
	} else {
		if target.Position < cur.Position {
			return nil, nil // backwards
		}
		leaving = []*attain.Stage{cur}
		for _, st := range p.Stages {
			if st.Outcome == attain.OutcomeOpen && st.Position > cur.Position && st.Position < target.Position {
				leaving = append(leaving, st)
			}
		}
	}
	logged, err := tx.CountDealActivities(ctx, a.WorkspaceID, d.ID)
	if err != nil {
		return nil, err
	}
	unmet := attain.UnmetExitCriteria(d, leaving, logged)
	if len(unmet) == 0 {
		return nil, nil
	}
	names := make([]string, len(leaving))
	for i, st := range leaving {
		names[i] = st.Name
	}
	refusal := &attain.Error{Code: attain.EINVALID, Fields: unmet,
		Message: fmt.Sprintf("The deal cannot move to %s yet: the exit criteria of %s are not met.", target.Name, strings.Join(names, ", "))}
	if in.OverrideReason == "" {
		return nil, refusal
	}
	if !p.AllowOverride {
		refusal.Fields = append(refusal.Fields, attain.FieldError{Field: "override_reason",
			Message: fmt.Sprintf("the %s pipeline does not allow overriding exit criteria", p.Name)})
		return nil, refusal
	}
	if !a.System && !a.Role.AtLeast(attain.RoleManager) {
		return nil, attain.Errorf(attain.EFORBIDDEN, "Only a manager or an admin may override exit criteria.")
	}
	return unmet, nil
}

// FindDealHistory returns a deal's field changes and stage history.
func (s *Service) FindDealHistory(ctx context.Context, a *attain.Actor, id int64) (*attain.DealHistory, error) {
	h := &attain.DealHistory{}
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		if _, err := visibleDeal(ctx, tx, a, id); err != nil {
			return err
		}
		var err error
		if h.Changes, err = tx.FindChanges(ctx, a.WorkspaceID, "deal", id); err != nil {
			return err
		}
		h.Stages, err = tx.FindStageHistory(ctx, a.WorkspaceID, id)
		return err
	})
	if h.Changes == nil {
		h.Changes = []*attain.FieldChange{}
	}
	if h.Stages == nil {
		h.Stages = []*attain.StageHistoryEntry{}
	}
	return h, err
}
