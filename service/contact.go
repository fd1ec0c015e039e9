package service

import (
	"context"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// CreateContact creates a contact owned by the actor unless another owner
// is named.
func (s *Service) CreateContact(ctx context.Context, a *attain.Actor, in attain.ContactInput) (*attain.Contact, error) {
	x := in.Contact(a.UserID)
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error { return s.createContact(ctx, tx, a, x) })
	if err != nil {
		return nil, err
	}
	return x, nil
}

// createContact validates and inserts x with its history and audit entry,
// inside the caller's transaction.
func (s *Service) createContact(ctx context.Context, tx *store.Tx, a *attain.Actor, x *attain.Contact) error {
	if err := checkContact(ctx, tx, a, x, nil); err != nil {
		return err
	}
	if err := s.CheckCustom(ctx, tx, a, "contact", nil, x.Custom); err != nil {
		return err
	}
	if err := tx.CreateContact(ctx, a.WorkspaceID, x); err != nil {
		return err
	}
	if err := tx.RecordChanges(ctx, a, "contact", x.ID, nil, x); err != nil {
		return err
	}
	return tx.Audit(ctx, a, "create", "contact", x.ID, nil, x)
}

// FindContact returns a contact the actor may see, deleted or not.
func (s *Service) FindContact(ctx context.Context, a *attain.Actor, id int64) (*attain.Contact, error) {
	var x *attain.Contact
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		x, err = visibleContact(ctx, tx, a, id)
		return err
	})
	return x, err
}

// FindContacts lists the contacts the actor may see.
func (s *Service) FindContacts(ctx context.Context, a *attain.Actor, q attain.ListQuery) ([]*attain.Contact, string, error) {
	var out []*attain.Contact
	var next string
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, next, err = tx.FindContacts(ctx, a, q)
		return err
	})
	return out, next, err
}

// UpdateContact changes a contact's fields. version is the version the
// client read (0 to skip the check).
func (s *Service) UpdateContact(ctx context.Context, a *attain.Actor, id, version int64, upd attain.ContactUpdate) (*attain.Contact, error) {
	var x *attain.Contact
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := visibleContact(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := editable(before.DeletedAt != nil, before.Version, version, "contact"); err != nil {
			return err
		}
		c := *before
		x = &c
		upd.Apply(x)
		return s.saveContact(ctx, tx, a, before, x)
	})
	return x, err
}

// saveContact checks and stores a changed contact with history and audit.
func (s *Service) saveContact(ctx context.Context, tx *store.Tx, a *attain.Actor, before, x *attain.Contact) error {
	if err := checkContact(ctx, tx, a, x, before); err != nil {
		return err
	}
	if err := s.CheckCustom(ctx, tx, a, "contact", customPrev(before.ID, before.Custom), x.Custom); err != nil {
		return err
	}
	if err := tx.UpdateContact(ctx, a.WorkspaceID, x, before.Version); err != nil {
		return err
	}
	if err := tx.RecordChanges(ctx, a, "contact", x.ID, before, x); err != nil {
		return err
	}
	return tx.Audit(ctx, a, "update", "contact", x.ID, before, x)
}

// DeleteContact moves a contact to the trash; its buying roles are hidden
// until it is restored. Deleting a deleted contact does nothing.
func (s *Service) DeleteContact(ctx context.Context, a *attain.Actor, id, version int64) error {
	return trash(ctx, s.db, contactTrash, a, id, version, nil)
}

// RestoreContact brings a contact back from the trash. Restoring a live
// contact returns it.
func (s *Service) RestoreContact(ctx context.Context, a *attain.Actor, id int64) (*attain.Contact, error) {
	return untrash(ctx, s.db, contactTrash, a, id, nil)
}

// FindContactHistory lists a contact's field changes (buying roles
// included), oldest first.
func (s *Service) FindContactHistory(ctx context.Context, a *attain.Actor, id int64) ([]*attain.FieldChange, error) {
	var out []*attain.FieldChange
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		if _, err := visibleContact(ctx, tx, a, id); err != nil {
			return err
		}
		var err error
		out, err = tx.FindChanges(ctx, a.WorkspaceID, "contact", id)
		return err
	})
	return out, err
}

// checkContact validates x and the references that changed since before
// (nil on create): the account (visible and live), owner and team.
func checkContact(ctx context.Context, tx *store.Tx, a *attain.Actor, x, before *attain.Contact) error {
	var v attain.Validation
	if err := addFieldErrors(&v, x.Validate()); err != nil {
		return err
	}
	if before == nil {
		before = &attain.Contact{}
	}
	if x.AccountID != nil && !sameID(x.AccountID, before.AccountID) {
		acc, err := liveRef(ctx, tx, a, *x.AccountID, tx.FindAccount, func(p *attain.Account) (int64, *int64, bool) {
			return p.OwnerID, p.TeamID, p.DeletedAt != nil
		})
		if err != nil {
			return err
		}
		if acc == nil {
			v.Add("account_id", "is not a live account you can see")
		}
	}
	if err := checkOwnership(ctx, tx, a, &v, x.OwnerID, x.TeamID, before.OwnerID, before.TeamID); err != nil {
		return err
	}
	return v.Err()
}

// visibleContact reads a contact and answers not found unless the actor may
// see it.
func visibleContact(ctx context.Context, tx *store.Tx, a *attain.Actor, id int64) (*attain.Contact, error) {
	x, err := tx.FindContact(ctx, a.WorkspaceID, id)
	if err != nil {
		return nil, err
	}
	if !a.CanSee(x.OwnerID, teamOf(x.TeamID)) {
		return nil, attain.Errorf(attain.ENOTFOUND, "Contact not found.")
	}
	return x, nil
}
