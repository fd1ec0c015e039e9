package service

import (
	"context"

	"github.com/attain-crm/attain"
)

// BulkUpdateDeals changes the owner and/or moves each deal listed, each one
// through UpdateDeal and MoveDeal in its own transaction, so every rule and
// every history row of a single edit applies, and a deal that cannot change
// (not visible, exit criteria unmet, ...) is reported without stopping the
// rest. An error is returned only for a malformed request.
func (s *Service) BulkUpdateDeals(ctx context.Context, a *attain.Actor, in attain.BulkUpdate) (*attain.BulkResult, error) {
	if err := in.Validate(true); err != nil {
		return nil, err
	}
	res := &attain.BulkResult{Items: []attain.BulkOutcome{}}
	for _, id := range in.IDs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var d *attain.Deal
		var err error
		if in.OwnerID != nil {
			d, err = s.UpdateDeal(ctx, a, id, 0, attain.DealUpdate{OwnerID: in.OwnerID})
		}
		if err == nil && in.StageID != nil && (d == nil || d.StageID != *in.StageID) {
			d, err = s.MoveDeal(ctx, a, id, 0, attain.MoveInput{StageID: *in.StageID, OverrideReason: in.OverrideReason, Reason: in.Reason})
		}
		if err == nil && d == nil {
			// Already in the stage and no owner asked: nothing to change.
			d, err = s.FindDeal(ctx, a, id)
		}
		s.addBulk(res, "deal", id, d, err)
	}
	return res, nil
}

// BulkUpdateOwners gives each listed account, contact or lead (kind) a new
// owner, each through its single-record update.
func (s *Service) BulkUpdateOwners(ctx context.Context, a *attain.Actor, kind string, in attain.BulkUpdate) (*attain.BulkResult, error) {
	if err := in.Validate(false); err != nil {
		return nil, err
	}
	res := &attain.BulkResult{Items: []attain.BulkOutcome{}}
	for _, id := range in.IDs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var version int64
		var err error
		switch kind {
		case "account":
			var x *attain.Account
			if x, err = s.UpdateAccount(ctx, a, id, 0, attain.AccountUpdate{OwnerID: in.OwnerID}); err == nil {
				version = x.Version
			}
		case "contact":
			var x *attain.Contact
			if x, err = s.UpdateContact(ctx, a, id, 0, attain.ContactUpdate{OwnerID: in.OwnerID}); err == nil {
				version = x.Version
			}
		case "lead":
			var x *attain.Lead
			if x, err = s.UpdateLead(ctx, a, id, 0, attain.LeadUpdate{OwnerID: in.OwnerID}); err == nil {
				version = x.Version
			}
		default:
			return nil, attain.Errorf(attain.EINTERNAL, "bulk update of %s", kind)
		}
		s.addVersion(res, kind, id, version, err)
	}
	return res, nil
}

func (s *Service) addBulk(res *attain.BulkResult, kind string, id int64, d *attain.Deal, err error) {
	var version int64
	if d != nil {
		version = d.Version
	}
	s.addVersion(res, kind, id, version, err)
}

// addVersion records one outcome; an internal error is logged here, once,
// and reported to the client only as such.
func (s *Service) addVersion(res *attain.BulkResult, kind string, id, version int64, err error) {
	if attain.ErrorCode(err) == attain.EINTERNAL {
		s.log.Error("bulk update", "kind", kind, "id", id, "err", err)
	}
	res.Add(id, version, err)
}
