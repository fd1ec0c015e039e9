package service

import (
	"context"
	"errors"
	"net/url"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

var _ attain.SavedViewService = (*Service)(nil)

// FindSavedViews lists the actor's own views and the shared ones.
func (s *Service) FindSavedViews(ctx context.Context, a *attain.Actor, entity string) ([]*attain.SavedView, error) {
	var out []*attain.SavedView
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindSavedViews(ctx, a.WorkspaceID, a.UserID, entity)
		return err
	})
	return out, err
}

// FindSavedView returns a view the actor owns or that is shared; another
// member's private view answers not found.
func (s *Service) FindSavedView(ctx context.Context, a *attain.Actor, id int64) (*attain.SavedView, error) {
	var v *attain.SavedView
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		v, err = visibleView(ctx, tx, a, id)
		return err
	})
	return v, err
}

// CreateSavedView saves a view for the actor. Its query must be one the
// list accepts, so a view never stores a filter that fails when opened.
func (s *Service) CreateSavedView(ctx context.Context, a *attain.Actor, in attain.SavedViewInput) (*attain.SavedView, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	v := &attain.SavedView{OwnerID: a.UserID, Entity: in.Entity, Name: in.Name, Query: in.Query, Columns: in.Columns, Shared: in.Shared}
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := checkViewQuery(ctx, tx, a, v.Entity, v.Query); err != nil {
			return err
		}
		if err := tx.CreateSavedView(ctx, a.WorkspaceID, v); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "create", "saved_view", v.ID, nil, v)
	})
	return v, err
}

// UpdateSavedView changes a view; only its owner or an admin may.
func (s *Service) UpdateSavedView(ctx context.Context, a *attain.Actor, id, version int64, u attain.SavedViewUpdate) (*attain.SavedView, error) {
	if err := u.Validate(); err != nil {
		return nil, err
	}
	var v *attain.SavedView
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := editableView(ctx, tx, a, id, version)
		if err != nil {
			return err
		}
		after := *before
		u.Apply(&after)
		if u.Query != nil {
			if err := checkViewQuery(ctx, tx, a, after.Entity, after.Query); err != nil {
				return err
			}
		}
		if err := tx.UpdateSavedView(ctx, a.WorkspaceID, before.Version, &after); err != nil {
			return err
		}
		if v, err = tx.FindSavedView(ctx, a.WorkspaceID, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "update", "saved_view", id, before, v)
	})
	return v, err
}

// DeleteSavedView removes a view; only its owner or an admin may.
func (s *Service) DeleteSavedView(ctx context.Context, a *attain.Actor, id, version int64) error {
	return s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := editableView(ctx, tx, a, id, version)
		if err != nil {
			return err
		}
		if err := tx.DeleteSavedView(ctx, a.WorkspaceID, id, before.Version); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "delete", "saved_view", id, before, nil)
	})
}

func visibleView(ctx context.Context, tx *store.Tx, a *attain.Actor, id int64) (*attain.SavedView, error) {
	v, err := tx.FindSavedView(ctx, a.WorkspaceID, id)
	if err != nil {
		return nil, err
	}
	if v.OwnerID != a.UserID && !v.Shared {
		return nil, attain.Errorf(attain.ENOTFOUND, "Saved view not found.")
	}
	return v, nil
}

func editableView(ctx context.Context, tx *store.Tx, a *attain.Actor, id, version int64) (*attain.SavedView, error) {
	v, err := visibleView(ctx, tx, a, id)
	switch {
	case err != nil:
		return nil, err
	case v.OwnerID != a.UserID && a.Require(attain.RoleAdmin) != nil:
		return nil, attain.Errorf(attain.EFORBIDDEN, "Only the view's owner or an admin may change it; save a copy of your own instead.")
	case version != 0 && version != v.Version:
		return nil, attain.Errorf(attain.ESTALE, "Saved view was changed by someone else; reload it and try again.")
	}
	return v, nil
}

// checkViewQuery runs the view's list for one row, so the list's own
// whitelist judges its filters and sort; a refusal names the field inside
// the query ("query.amount").
func checkViewQuery(ctx context.Context, tx *store.Tx, a *attain.Actor, entity, query string) error {
	vals, err := url.ParseQuery(query)
	if err != nil {
		return attain.Invalid("query", "is not a URL query string")
	}
	q, err := attain.ParseListQuery(vals)
	if err == nil {
		q.Page.Limit = 1
		switch entity {
		case "deals":
			_, _, err = tx.FindDeals(ctx, a, q)
		case "accounts":
			_, _, err = tx.FindAccounts(ctx, a, q)
		case "contacts":
			_, _, err = tx.FindContacts(ctx, a, q)
		case "leads":
			_, _, err = tx.FindLeads(ctx, a, q)
		case "activities":
			_, _, err = tx.FindActivities(ctx, a, q)
		}
	}
	var v attain.Validation
	if e := (*attain.Error)(nil); errors.As(err, &e) && e.Code == attain.EINVALID {
		for _, f := range e.Fields {
			v.Add("query."+f.Field, "%s", f.Message)
		}
		return v.Err()
	}
	return err
}
