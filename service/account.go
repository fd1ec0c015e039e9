package service

import (
	"context"
	"errors"
	"strconv"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// CreateAccount creates an account owned by the actor unless another owner
// is named.
func (s *Service) CreateAccount(ctx context.Context, a *attain.Actor, in attain.AccountInput) (*attain.Account, error) {
	x := in.Account(a.UserID)
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error { return s.createAccount(ctx, tx, a, x) })
	if err != nil {
		return nil, err
	}
	return x, nil
}

// createAccount validates and inserts x with its history and audit entry,
// inside the caller's transaction (conversion creates accounts too).
func (s *Service) createAccount(ctx context.Context, tx *store.Tx, a *attain.Actor, x *attain.Account) error {
	if err := s.checkAccount(ctx, tx, a, x, nil); err != nil {
		return err
	}
	if err := tx.CreateAccount(ctx, a.WorkspaceID, x); err != nil {
		return err
	}
	if err := tx.RecordChanges(ctx, a, "account", x.ID, nil, x); err != nil {
		return err
	}
	return tx.Audit(ctx, a, "create", "account", x.ID, nil, x)
}

// FindAccount returns an account the actor may see, deleted or not.
func (s *Service) FindAccount(ctx context.Context, a *attain.Actor, id int64) (*attain.Account, error) {
	var x *attain.Account
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		x, err = visibleAccount(ctx, tx, a, id)
		return err
	})
	return x, err
}

// FindAccounts lists the accounts the actor may see.
func (s *Service) FindAccounts(ctx context.Context, a *attain.Actor, q attain.ListQuery) ([]*attain.Account, string, error) {
	var out []*attain.Account
	var next string
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, next, err = tx.FindAccounts(ctx, a, q)
		return err
	})
	return out, next, err
}

// UpdateAccount changes an account's fields. version is the version the
// client read (0 to skip the check).
func (s *Service) UpdateAccount(ctx context.Context, a *attain.Actor, id, version int64, upd attain.AccountUpdate) (*attain.Account, error) {
	var x *attain.Account
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := visibleAccount(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := editable(before.DeletedAt != nil, before.Version, version, "account"); err != nil {
			return err
		}
		c := *before
		x = &c
		upd.Apply(x)
		if err := s.checkAccount(ctx, tx, a, x, before); err != nil {
			return err
		}
		if err := tx.UpdateAccount(ctx, a.WorkspaceID, x, before.Version); err != nil {
			return err
		}
		if err := tx.RecordChanges(ctx, a, "account", id, before, x); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "update", "account", id, before, x)
	})
	return x, err
}

// DeleteAccount moves an account to the trash. An account with live child
// accounts is refused, so the hierarchy never hangs from a deleted parent;
// its contacts and deals keep their link and come back with a restore.
// Deleting a deleted account does nothing.
func (s *Service) DeleteAccount(ctx context.Context, a *attain.Actor, id, version int64) error {
	return trash(ctx, s.db, accountTrash, a, id, version, func(tx *store.Tx, _ *attain.Account) error {
		n, err := tx.CountChildAccounts(ctx, a.WorkspaceID, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return attain.Errorf(attain.ECONFLICT, "The account has %d child accounts; move or delete them first.", n)
		}
		return nil
	})
}

// RestoreAccount brings an account back from the trash; its parent, if it
// has one, must be restored first. Restoring a live account returns it.
func (s *Service) RestoreAccount(ctx context.Context, a *attain.Actor, id int64) (*attain.Account, error) {
	return untrash(ctx, s.db, accountTrash, a, id, func(tx *store.Tx, before *attain.Account) error {
		if before.ParentID == nil {
			return nil
		}
		p, err := tx.FindAccount(ctx, a.WorkspaceID, *before.ParentID)
		if err != nil {
			return err
		}
		if p.DeletedAt != nil {
			return attain.Errorf(attain.ECONFLICT, "The parent account %d is deleted; restore it first.", p.ID)
		}
		return nil
	})
}

// FindAccountHistory lists an account's field changes, oldest first.
func (s *Service) FindAccountHistory(ctx context.Context, a *attain.Actor, id int64) ([]*attain.FieldChange, error) {
	var out []*attain.FieldChange
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		if _, err := visibleAccount(ctx, tx, a, id); err != nil {
			return err
		}
		var err error
		out, err = tx.FindChanges(ctx, a.WorkspaceID, "account", id)
		return err
	})
	return out, err
}

// checkAccount validates x and the references that changed since before
// (nil on create): picklist values, parent (visible, live, no cycle), owner
// and team.
func (s *Service) checkAccount(ctx context.Context, tx *store.Tx, a *attain.Actor, x, before *attain.Account) error {
	var v attain.Validation
	if err := addFieldErrors(&v, x.Validate()); err != nil {
		return err
	}
	if before == nil {
		before = &attain.Account{}
	}
	if err := addFieldErrors(&v, s.CheckPicklist(ctx, tx, a.WorkspaceID, attain.ListIndustry, "industry", x.Industry, before.Industry)); err != nil {
		return err
	}
	if err := addFieldErrors(&v, s.CheckPicklist(ctx, tx, a.WorkspaceID, attain.ListCompanySize, "size", x.Size, before.Size)); err != nil {
		return err
	}
	if x.ParentID != nil && !sameID(x.ParentID, before.ParentID) {
		p, err := liveRef(ctx, tx, a, *x.ParentID, tx.FindAccount, func(p *attain.Account) (int64, *int64, bool) {
			return p.OwnerID, p.TeamID, p.DeletedAt != nil
		})
		switch {
		case err != nil:
			return err
		case p == nil:
			v.Add("parent_id", "is not a live account you can see")
		case x.ID != 0:
			cycle, err := tx.AccountInChain(ctx, a.WorkspaceID, p.ID, x.ID)
			if err != nil {
				return err
			}
			if cycle {
				v.Add("parent_id", "would make the account its own ancestor")
			}
		}
	}
	if err := addFieldErrors(&v, s.CheckCustom(ctx, tx, a, "account", customPrev(x.ID, before.Custom), x.Custom)); err != nil {
		return err
	}
	if err := checkOwnership(ctx, tx, a, &v, x.OwnerID, x.TeamID, before.OwnerID, before.TeamID); err != nil {
		return err
	}
	return v.Err()
}

// visibleAccount reads an account and answers not found unless the actor
// may see it.
func visibleAccount(ctx context.Context, tx *store.Tx, a *attain.Actor, id int64) (*attain.Account, error) {
	x, err := tx.FindAccount(ctx, a.WorkspaceID, id)
	if err != nil {
		return nil, err
	}
	if !a.CanSee(x.OwnerID, teamOf(x.TeamID)) {
		return nil, attain.Errorf(attain.ENOTFOUND, "Account not found.")
	}
	return x, nil
}

// liveRef reads a record another record points to and returns it only if
// the actor may see it and it is not deleted; nil otherwise, so the caller
// can name the field without saying whether the record exists.
func liveRef[T any](ctx context.Context, tx *store.Tx, a *attain.Actor, id int64,
	find func(context.Context, int64, int64) (T, error), access func(T) (owner int64, team *int64, deleted bool)) (T, error) {
	var zero T
	x, err := find(ctx, a.WorkspaceID, id)
	if attain.ErrorCode(err) == attain.ENOTFOUND {
		return zero, nil
	}
	if err != nil {
		return zero, err
	}
	owner, team, deleted := access(x)
	if deleted || !a.CanSee(owner, teamOf(team)) {
		return zero, nil
	}
	return x, nil
}

// checkOwnership checks a record's owner and team when they change: the
// owner must be a member and the team a team of the workspace, and the actor
// must still see the record afterwards, so nobody hands a record out of
// their own sight by mistake (a manager or admin can reassign anything they
// see within their teams).
func checkOwnership(ctx context.Context, tx *store.Tx, a *attain.Actor, v *attain.Validation, owner int64, team *int64, prevOwner int64, prevTeam *int64) error {
	if owner == prevOwner && sameID(team, prevTeam) {
		return nil
	}
	bad := false
	if _, err := tx.FindMember(ctx, a.WorkspaceID, owner); err != nil {
		if attain.ErrorCode(err) != attain.ENOTFOUND {
			return err
		}
		v.Add("owner_id", "is not a member of this workspace")
		bad = true
	}
	if team != nil && !sameID(team, prevTeam) {
		if _, err := tx.FindTeam(ctx, a.WorkspaceID, *team); err != nil {
			if attain.ErrorCode(err) != attain.ENOTFOUND {
				return err
			}
			v.Add("team_id", "is not a team of this workspace")
			bad = true
		}
	}
	if !bad && !a.CanSee(owner, teamOf(team)) {
		v.Add("owner_id", "would hide the record from you; share it with one of your teams or ask a manager")
	}
	return nil
}

// editable refuses changes to deleted records and to versions other than
// the one the client read (0: no check).
func editable(deleted bool, current, want int64, what string) error {
	if deleted {
		return attain.Errorf(attain.ECONFLICT, "The %s is deleted; restore it first.", what)
	}
	if want != 0 && want != current {
		return attain.Errorf(attain.ESTALE, "The %s was changed by someone else; reload it and try again.", what)
	}
	return nil
}

// addFieldErrors adds the field errors of an EINVALID err to v and returns
// any other error, so one response lists every field at fault.
func addFieldErrors(v *attain.Validation, err error) error {
	var e *attain.Error
	if errors.As(err, &e) && e.Code == attain.EINVALID {
		for _, f := range e.Fields {
			v.Add(f.Field, "%s", f.Message)
		}
		return nil
	}
	return err
}

// prefixFields renames the fields of an EINVALID error, so errors about a
// record created on the side (a conversion's account) say which record.
func prefixFields(err error, prefix string) error {
	var e *attain.Error
	if !errors.As(err, &e) || e.Code != attain.EINVALID {
		return err
	}
	out := &attain.Error{Code: e.Code, Message: e.Message}
	for _, f := range e.Fields {
		out.Fields = append(out.Fields, attain.FieldError{Field: prefix + f.Field, Message: f.Message})
	}
	return out
}

func teamOf(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}

func sameID(x, y *int64) bool {
	if x == nil || y == nil {
		return x == y
	}
	return *x == *y
}

// FindAccountChildren lists the accounts directly under an account the
// actor may see.
func (s *Service) FindAccountChildren(ctx context.Context, a *attain.Actor, id int64, q attain.ListQuery) ([]*attain.Account, string, error) {
	var out []*attain.Account
	var next string
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		if _, err := visibleAccount(ctx, tx, a, id); err != nil {
			return err
		}
		var err error
		out, next, err = tx.FindAccounts(ctx, a, q.Where("parent_id", strconv.FormatInt(id, 10)))
		return err
	})
	return out, next, err
}
