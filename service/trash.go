package service

import (
	"context"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// trashKind is how one kind of sales record (E is attain.Account, Contact
// or Lead) is soft-deleted and restored, so the rules live in trash and
// untrash once: visibility, the version check, the field history and the
// audit entry, in the transaction that writes the change.
type trashKind[E any] struct {
	name    string // "account", as in history and the audit log
	visible func(ctx context.Context, tx *store.Tx, a *attain.Actor, id int64) (*E, error)
	state   func(x *E) (deletedAt *time.Time, version int64)
	// setDeleted is the store's Set<Kind>Deleted, as a method expression.
	setDeleted func(tx *store.Tx, ctx context.Context, workspaceID int64, x *E, version int64, at *time.Time) error
}

// trash soft-deletes the record: check may refuse (a conflict, say).
// Deleting a deleted record does nothing.
func trash[E any](ctx context.Context, db *store.DB, k trashKind[E], a *attain.Actor, id, version int64, check func(tx *store.Tx, before *E) error) error {
	return db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := k.visible(ctx, tx, a, id)
		if err != nil {
			return err
		}
		deletedAt, current := k.state(before)
		if deletedAt != nil {
			return nil
		}
		if err := editable(false, current, version, k.name); err != nil {
			return err
		}
		if check != nil {
			if err := check(tx, before); err != nil {
				return err
			}
		}
		x := *before
		now := tx.Now
		return k.write(ctx, tx, a, "delete", id, before, &x, current, &now)
	})
}

// untrash restores the record and returns it: check may refuse. Restoring
// a live record returns it unchanged.
func untrash[E any](ctx context.Context, db *store.DB, k trashKind[E], a *attain.Actor, id int64, check func(tx *store.Tx, before *E) error) (*E, error) {
	var out *E
	err := db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := k.visible(ctx, tx, a, id)
		if err != nil {
			return err
		}
		out = before
		deletedAt, current := k.state(before)
		if deletedAt == nil {
			return nil
		}
		if check != nil {
			if err := check(tx, before); err != nil {
				return err
			}
		}
		x := *before
		out = &x
		return k.write(ctx, tx, a, "restore", id, before, &x, current, nil)
	})
	return out, err
}

func (k trashKind[E]) write(ctx context.Context, tx *store.Tx, a *attain.Actor, action string, id int64, before, x *E, version int64, at *time.Time) error {
	if err := k.setDeleted(tx, ctx, a.WorkspaceID, x, version, at); err != nil {
		return err
	}
	if err := tx.RecordChanges(ctx, a, k.name, id, before, x); err != nil {
		return err
	}
	return tx.Audit(ctx, a, action, k.name, id, before, x)
}

var (
	accountTrash = trashKind[attain.Account]{name: "account", visible: visibleAccount,
		state:      func(x *attain.Account) (*time.Time, int64) { return x.DeletedAt, x.Version },
		setDeleted: (*store.Tx).SetAccountDeleted}
	contactTrash = trashKind[attain.Contact]{name: "contact", visible: visibleContact,
		state:      func(x *attain.Contact) (*time.Time, int64) { return x.DeletedAt, x.Version },
		setDeleted: (*store.Tx).SetContactDeleted}
	leadTrash = trashKind[attain.Lead]{name: "lead", visible: visibleLead,
		state:      func(x *attain.Lead) (*time.Time, int64) { return x.DeletedAt, x.Version },
		setDeleted: (*store.Tx).SetLeadDeleted}
)
