package store

import (
	"context"
	"fmt"

	"github.com/attain-crm/attain"
)

// RecordChanges stores the field changes between two versions of a record,
// in the transaction that made them. Call it on every create and update of a
// sales record (before is nil on create).
func (tx *Tx) RecordChanges(ctx context.Context, a *attain.Actor, entityType string, entityID int64, before, after any) error {
	changes, err := attain.Diff(before, after)
	if err != nil {
		return fmt.Errorf("diff %s %d: %w", entityType, entityID, err)
	}
	var actorID *int64
	if !a.System {
		actorID = &a.UserID
	}
	for _, c := range changes {
		_, err := tx.exec(ctx, `INSERT INTO field_changes (workspace_id, entity_type, entity_id, field, old_value, new_value, actor_id, at, request_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			a.WorkspaceID, entityType, entityID, c.Field, rawOrNil(c.Old), rawOrNil(c.New), actorID, tx.Now, a.RequestID)
		if err != nil {
			return fmt.Errorf("record change of %s.%s: %w", entityType, c.Field, err)
		}
	}
	return nil
}

func rawOrNil(r []byte) *string {
	if len(r) == 0 {
		return nil
	}
	s := string(r)
	return &s
}

// FindChanges lists a record's field changes, oldest first.
func (tx *Tx) FindChanges(ctx context.Context, workspaceID int64, entityType string, entityID int64) ([]*attain.FieldChange, error) {
	rows, err := tx.query(ctx, `SELECT id, entity_type, entity_id, field, old_value, new_value, actor_id, at, request_id
		FROM field_changes WHERE workspace_id = $1 AND entity_type = $2 AND entity_id = $3 ORDER BY id`,
		workspaceID, entityType, entityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.FieldChange
	for rows.Next() {
		var c attain.FieldChange
		var ov, nv *string
		if err := rows.Scan(&c.ID, &c.EntityType, &c.EntityID, &c.Field, &ov, &nv, &c.ActorID, &c.At, &c.RequestID); err != nil {
			return nil, err
		}
		if ov != nil {
			c.Old = []byte(*ov)
		}
		if nv != nil {
			c.New = []byte(*nv)
		}
		out = append(out, &c)
	}
	return out, rows.Err()
}
