package service

import (
	"context"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

var _ attain.NoteService = (*Service)(nil)

// visibleSalesRecord returns a sales record's access facts when the actor
// may see it, and ENOTFOUND otherwise, so a record of another team or
// workspace is indistinguishable from one that does not exist.
func visibleSalesRecord(ctx context.Context, tx *store.Tx, a *attain.Actor, recordType string, id int64) (*attain.RecordAccess, error) {
	r, err := tx.FindRecordAccess(ctx, a.WorkspaceID, recordType, id)
	if err != nil {
		return nil, err
	}
	if !r.VisibleTo(a) {
		return nil, recordNotFound(recordType)
	}
	return r, nil
}

// recordNotFound is the error for a sales record that does not exist or is
// hidden from the actor.
func recordNotFound(recordType string) error {
	name := map[string]string{"account": "Account", "contact": "Contact", "lead": "Lead", "deal": "Deal"}[recordType]
	return attain.Errorf(attain.ENOTFOUND, "%s not found.", name)
}

// CreateNote writes a note on a live record the actor may see.
func (s *Service) CreateNote(ctx context.Context, a *attain.Actor, in attain.NewNote) (*attain.Note, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	n := &attain.Note{EntityType: in.EntityType, EntityID: in.EntityID, Body: in.Body, AuthorID: a.UserID}
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		r, err := visibleSalesRecord(ctx, tx, a, in.EntityType, in.EntityID)
		if err != nil {
			return err
		}
		if r.DeletedAt != nil {
			return attain.Errorf(attain.ECONFLICT, "The %s is deleted; restore it first.", in.EntityType)
		}
		if a.System {
			return attain.Errorf(attain.EFORBIDDEN, "A note needs a person as its author.")
		}
		if err := tx.CreateNote(ctx, a.WorkspaceID, n); err != nil {
			return err
		}
		if err := tx.RecordChanges(ctx, a, "note", n.ID, nil, n); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "create", "note", n.ID, nil, n)
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// visibleNote returns a live note on a record the actor may see.
func visibleNote(ctx context.Context, tx *store.Tx, a *attain.Actor, id int64) (*attain.Note, error) {
	n, err := tx.FindNote(ctx, a.WorkspaceID, id)
	if err != nil {
		return nil, err
	}
	if n.DeletedAt != nil {
		return nil, attain.Errorf(attain.ENOTFOUND, "Note not found.")
	}
	if _, err := visibleSalesRecord(ctx, tx, a, n.EntityType, n.EntityID); err != nil {
		if attain.ErrorCode(err) == attain.ENOTFOUND {
			return nil, attain.Errorf(attain.ENOTFOUND, "Note not found.")
		}
		return nil, err
	}
	return n, nil
}

// editableNote returns a note the actor may change: their own, or any for
// an admin.
func editableNote(ctx context.Context, tx *store.Tx, a *attain.Actor, id, version int64) (*attain.Note, error) {
	n, err := visibleNote(ctx, tx, a, id)
	switch {
	case err != nil:
		return nil, err
	case n.AuthorID != a.UserID && a.Require(attain.RoleAdmin) != nil:
		return nil, attain.Errorf(attain.EFORBIDDEN, "Only the note's author or an admin may change it.")
	case version != 0 && version != n.Version:
		return nil, attain.Errorf(attain.ESTALE, "Note was changed by someone else; reload it and try again.")
	}
	return n, nil
}

// FindNote returns a note on a record the actor may see.
func (s *Service) FindNote(ctx context.Context, a *attain.Actor, id int64) (*attain.Note, error) {
	var n *attain.Note
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		n, err = visibleNote(ctx, tx, a, id)
		return err
	})
	return n, err
}

// FindNotes lists the notes of a record the actor may see, newest first.
func (s *Service) FindNotes(ctx context.Context, a *attain.Actor, entityType string, entityID int64, q attain.ListQuery) ([]*attain.Note, string, error) {
	var out []*attain.Note
	var next string
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		if _, err := visibleSalesRecord(ctx, tx, a, entityType, entityID); err != nil {
			return err
		}
		var err error
		out, next, err = tx.FindNotes(ctx, a.WorkspaceID, entityType, entityID, q)
		return err
	})
	return out, next, err
}

// UpdateNote replaces a note's body; its author or an admin only.
func (s *Service) UpdateNote(ctx context.Context, a *attain.Actor, id, version int64, u attain.NoteUpdate) (*attain.Note, error) {
	if err := u.Validate(); err != nil {
		return nil, err
	}
	var n *attain.Note
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := editableNote(ctx, tx, a, id, version)
		if err != nil {
			return err
		}
		c := *before
		n = &c
		n.Body = u.Body
		if err := tx.UpdateNote(ctx, a.WorkspaceID, n, before.Version); err != nil {
			return err
		}
		if err := tx.RecordChanges(ctx, a, "note", id, before, n); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "update", "note", id, before, n)
	})
	return n, err
}

// DeleteNote deletes a note; its author or an admin only. The row stays,
// marked deleted, so the history and audit log still read.
func (s *Service) DeleteNote(ctx context.Context, a *attain.Actor, id, version int64) error {
	return s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := editableNote(ctx, tx, a, id, version)
		if err != nil {
			return err
		}
		n := *before
		now := tx.Now
		n.DeletedAt = &now
		if err := tx.UpdateNote(ctx, a.WorkspaceID, &n, before.Version); err != nil {
			return err
		}
		if err := tx.RecordChanges(ctx, a, "note", id, before, &n); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "delete", "note", id, before, &n)
	})
}
