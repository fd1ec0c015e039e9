package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

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
	// One statement for all the fields (a created deal records about 20):
	// each statement costs more than its row. The rows keep the fields'
	// order, so ids still follow it.
	for len(changes) > 0 {
		n := min(len(changes), changeChunk)
		var ar args
		var q strings.Builder
		q.WriteString(`INSERT INTO field_changes (workspace_id, entity_type, entity_id, field, old_value, new_value, actor_id, at, request_id) VALUES `)
		for i, c := range changes[:n] {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(" + ar.add(a.WorkspaceID) + ", " + ar.add(entityType) + ", " + ar.add(entityID) + ", " + ar.add(c.Field) + ", " +
				ar.add(rawOrNil(c.Old)) + ", " + ar.add(rawOrNil(c.New)) + ", " + ar.add(actorID) + ", " + ar.add(tx.Now) + ", " +
				ar.add(a.RequestID) + ")")
		}
		if _, err := tx.exec(ctx, q.String(), ar...); err != nil {
			return fmt.Errorf("record changes of %s %d: %w", entityType, entityID, err)
		}
		changes = changes[n:]
	}
	return nil
}

// changeChunk bounds the field changes in one INSERT (9 parameters each).
const changeChunk = 200

// RecordCreatedBy stores one history row per record of ids, all created in
// this transaction by the same writer (an import): field, whose new value is
// what created them (the import), with the actor (nil: the system) and
// request. It is the history a bulk writer would write row by row, in one
// statement: the ids travel as one JSON array, so no argument is bound per
// record. The rows are written in the order of ids.
func (tx *Tx) RecordCreatedBy(ctx context.Context, workspaceID int64, entityType string, ids []int64, field, value string, actorID *int64, requestID string) error {
	if len(ids) == 0 {
		return nil
	}
	list := make([]byte, 0, len(ids)*8+2)
	list = append(list, '[')
	for i, id := range ids {
		if i > 0 {
			list = append(list, ',')
		}
		list = strconv.AppendInt(list, id, 10)
	}
	list = append(list, ']')
	q := `INSERT INTO field_changes (workspace_id, entity_type, entity_id, field, new_value, actor_id, at, request_id)
		SELECT $1, $2, value, $3, $4, $5, $6, $7 FROM json_each($8) ORDER BY key`
	if tx.db.dialect.name() == Postgres {
		q = `INSERT INTO field_changes (workspace_id, entity_type, entity_id, field, new_value, actor_id, at, request_id)
			SELECT $1, $2, e.id::bigint, $3, $4, $5, $6, $7 FROM jsonb_array_elements_text($8::jsonb) WITH ORDINALITY AS e(id, n) ORDER BY e.n`
	}
	if _, err := tx.exec(ctx, q, workspaceID, entityType, field, value, actorID, tx.Now, requestID, string(list)); err != nil {
		return fmt.Errorf("record creation of %d %ss: %w", len(ids), entityType, err)
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
