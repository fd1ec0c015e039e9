package service

import (
	"context"
	"fmt"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// FindPicklists returns every picklist of the workspace, or only the named
// one; every member may read them, since every form needs them.
func (s *Service) FindPicklists(ctx context.Context, a *attain.Actor, list string) ([]*attain.Picklist, error) {
	if list != "" {
		if err := attain.ValidateList(list); err != nil {
			return nil, err
		}
	}
	var out []*attain.Picklist
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindPicklists(ctx, a.WorkspaceID, list)
		return err
	})
	return out, err
}

// AddPicklistValue adds a value to a list (creating the list); admins only.
func (s *Service) AddPicklistValue(ctx context.Context, a *attain.Actor, list string, in attain.NewPicklistValue) (*attain.PicklistValue, error) {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return nil, err
	}
	if err := attain.ValidateList(list); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var v *attain.PicklistValue
	err := s.db.WriteTx(ctx, func(tx *store.Tx) (err error) {
		if v, err = tx.CreatePicklistValue(ctx, a.WorkspaceID, list, in); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "create", "picklist_value", v.ID, nil, v)
	})
	return v, err
}

// UpdatePicklistValue relabels, reorders, retires or restores a value;
// admins only.
func (s *Service) UpdatePicklistValue(ctx context.Context, a *attain.Actor, list, value string, in attain.PicklistValueUpdate) (*attain.PicklistValue, error) {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var v *attain.PicklistValue
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := tx.FindPicklistValue(ctx, a.WorkspaceID, list, value)
		if err != nil {
			return err
		}
		if v, err = tx.UpdatePicklistValue(ctx, a.WorkspaceID, list, value, in); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "update", "picklist_value", v.ID, before, v)
	})
	return v, err
}

// CheckPicklist validates a value a record is about to store in field, which
// takes its values from list, inside the caller's transaction. previous is
// the value the record held before ("" on create): an unchanged value passes
// even if it has since been retired, so retiring a value never blocks edits
// of old records; a new value must be known and active. Empty values pass;
// whether the field is required is the caller's rule. The error is
// attain.Invalid(field, "unknown value ...; known: ...").
//
//	err := s.CheckPicklist(ctx, tx, a.WorkspaceID, attain.ListCompanySize, "size", in.Size, before.Size)
func (s *Service) CheckPicklist(ctx context.Context, tx *store.Tx, workspaceID int64, list, field, value, previous string) error {
	if value == "" || value == previous {
		return nil
	}
	p, err := tx.FindPicklist(ctx, workspaceID, list)
	if err != nil {
		return err
	}
	return p.Check(field, value, previous)
}

// seedSalesProcess gives a new workspace its default picklists and its
// default pipeline.
func (s *Service) seedSalesProcess(ctx context.Context, tx *store.Tx, a *attain.Actor) error {
	if err := tx.SeedPicklists(ctx, a.WorkspaceID, attain.DefaultPicklists()); err != nil {
		return fmt.Errorf("seed picklists: %w", err)
	}
	return seedPipeline(ctx, tx, a)
}
