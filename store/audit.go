package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/attain-crm/attain"
)

// Audit appends an entry to the audit log in the same transaction as the
// write it describes, so the two commit or fail together. before and after
// are marshalled to JSON; nil stays NULL.
func (tx *Tx) Audit(ctx context.Context, a *attain.Actor, action, entityType string, entityID int64, before, after any) error {
	b, err := auditJSON(before)
	if err != nil {
		return err
	}
	af, err := auditJSON(after)
	if err != nil {
		return err
	}
	var actorID *int64
	if !a.System {
		actorID = &a.UserID
	}
	_, err = tx.exec(ctx, `INSERT INTO audit_log (workspace_id, at, actor_id, action, entity_type, entity_id, before, after, request_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		a.WorkspaceID, tx.Now, actorID, action, entityType, entityID, b, af, a.RequestID)
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", action, entityType, err)
	}
	return nil
}

func auditJSON(v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit marshal: %w", err)
	}
	s := string(b)
	return &s, nil
}

// FindAudit lists audit entries newest first, with the cursor for the next page.
func (tx *Tx) FindAudit(ctx context.Context, workspaceID int64, f attain.AuditFilter) ([]*attain.AuditEntry, string, error) {
	var ar args
	q := `SELECT id, at, actor_id, action, entity_type, entity_id, before, after, request_id
		FROM audit_log WHERE workspace_id = ` + ar.add(workspaceID)
	if f.EntityType != "" {
		q += ` AND entity_type = ` + ar.add(f.EntityType)
	}
	if f.EntityID != 0 {
		q += ` AND entity_id = ` + ar.add(f.EntityID)
	}
	if f.ActorID != 0 {
		q += ` AND actor_id = ` + ar.add(f.ActorID)
	}
	if f.Page.Cursor != "" {
		before, err := strconv.ParseInt(f.Page.Cursor, 10, 64)
		if err != nil {
			return nil, "", attain.Invalid("cursor", "is not a cursor this list returned")
		}
		q += ` AND id < ` + ar.add(before)
	}
	limit := f.Page.Size()
	q += ` ORDER BY id DESC LIMIT ` + ar.add(limit+1)
	rows, err := tx.query(ctx, q, ar...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []*attain.AuditEntry
	for rows.Next() {
		var e attain.AuditEntry
		var before, after *string
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.Action, &e.EntityType, &e.EntityID, &before, &after, &e.RequestID); err != nil {
			return nil, "", err
		}
		if before != nil {
			e.Before = json.RawMessage(*before)
		}
		if after != nil {
			e.After = json.RawMessage(*after)
		}
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = strconv.FormatInt(out[limit-1].ID, 10)
	}
	return out, next, nil
}
