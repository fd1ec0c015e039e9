package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/attain-crm/attain"
)

// A timeline merges several sources (activities, tasks, notes, field changes,
// stage changes), each ordered by its own time column. Each source is read
// with the same keyset condition on (at, kind, id) and a limit of one more
// than the page, then the rows are merged in Go: the newest page of the
// merge can never need more rows from one source than the page holds.

// timelineCursor is what a timeline's next_cursor encodes: the last item.
type timelineCursor struct {
	At   time.Time `json:"at"`
	Kind string    `json:"k"`
	ID   int64     `json:"id"`
}

func encodeTimelineCursor(it *attain.TimelineItem) (string, error) {
	b, err := json.Marshal(timelineCursor{At: it.At.UTC(), Kind: it.Kind, ID: it.ID})
	if err != nil {
		return "", fmt.Errorf("encode timeline cursor: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func decodeTimelineCursor(s string) (*timelineCursor, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c timelineCursor
	if err != nil || json.Unmarshal(b, &c) != nil || c.Kind == "" || c.ID <= 0 {
		return nil, attain.Invalid("cursor", "is not a cursor this timeline returned")
	}
	c.At = c.At.UTC()
	return &c, nil
}

// after returns the condition that keeps the rows of a source of the given
// kind that come after the cursor in newest-first order.
func (c *timelineCursor) after(ar *args, kind, atCol, idCol string) string {
	if c == nil {
		return ""
	}
	at := ar.add(c.At)
	switch {
	case kind < c.Kind:
		return " AND " + atCol + " <= " + at
	case kind > c.Kind:
		return " AND " + atCol + " < " + at
	}
	return " AND (" + atCol + " < " + at + " OR (" + atCol + " = " + at + " AND " + idCol + " < " + ar.add(c.ID) + "))"
}

// Timeline reads one page of a record's timeline, newest first, applying the
// actor's visibility to activities and to the notes of an account's
// contacts and deals. The caller has checked that the actor may see the
// record itself.
func (tx *Tx) Timeline(ctx context.Context, a *attain.Actor, recordType string, id int64, p attain.Page) ([]*attain.TimelineItem, string, error) {
	if _, ok := recordTables[recordType]; !ok {
		return nil, "", attain.Invalid("entity_type", "must be one of account, contact, lead, deal")
	}
	cur, err := decodeTimelineCursor(p.Cursor)
	if err != nil {
		return nil, "", err
	}
	limit := p.Size()
	var items []*attain.TimelineItem
	for _, src := range []func(context.Context, *attain.Actor, string, int64, *timelineCursor, int) ([]*attain.TimelineItem, error){
		tx.timelineActivities(attain.TimelineActivity), tx.timelineActivities(attain.TimelineTask),
		tx.timelineNotes, tx.timelineChanges, tx.timelineStages,
	} {
		got, err := src(ctx, a, recordType, id, cur, limit+1)
		if err != nil {
			return nil, "", err
		}
		items = append(items, got...)
	}
	slices.SortFunc(items, func(x, y *attain.TimelineItem) int {
		switch {
		case x.Less(y):
			return -1
		case y.Less(x):
			return 1
		}
		return 0
	})
	if len(items) <= limit {
		return items, "", nil
	}
	items = items[:limit]
	next, err := encodeTimelineCursor(items[limit-1])
	return items, next, err
}

// timelineActivities reads done activities (kind activity, at occurred_at)
// or open and planned tasks (kind task, at due_at).
func (tx *Tx) timelineActivities(kind string) func(context.Context, *attain.Actor, string, int64, *timelineCursor, int) ([]*attain.TimelineItem, error) {
	return func(ctx context.Context, a *attain.Actor, recordType string, id int64, cur *timelineCursor, n int) ([]*attain.TimelineItem, error) {
		var ar args
		ws, rid := ar.add(a.WorkspaceID), ar.add(id)
		atCol := "act.occurred_at"
		q := `SELECT ` + activityCols + activityFrom + ` WHERE act.workspace_id = ` + ws + ` AND act.deleted_at IS NULL`
		if kind == attain.TimelineTask {
			atCol = "act.due_at"
			q += ` AND act.occurred_at IS NULL AND act.due_at IS NOT NULL`
		} else {
			q += ` AND act.occurred_at IS NOT NULL`
		}
		switch recordType {
		case "deal":
			q += ` AND act.deal_id = ` + rid
		case "contact":
			q += ` AND act.contact_id = ` + rid
		case "lead":
			q += ` AND act.lead_id = ` + rid
		case "account":
			q += ` AND (act.account_id = ` + rid +
				` OR act.contact_id IN (SELECT c.id FROM contacts c WHERE c.workspace_id = ` + ws + ` AND c.account_id = ` + rid + `)` +
				` OR act.deal_id IN (SELECT d.id FROM deals d WHERE d.workspace_id = ` + ws + ` AND d.account_id = ` + rid + `))`
		}
		q += ` AND ` + activityVisible(a, &ar) + cur.after(&ar, kind, atCol, "act.id") +
			` ORDER BY ` + atCol + ` DESC, act.id DESC LIMIT ` + ar.add(n)
		rows, err := tx.query(ctx, q, ar...)
		if err != nil {
			return nil, fmt.Errorf("timeline %ss: %w", kind, err)
		}
		defer rows.Close()
		var out []*attain.TimelineItem
		for rows.Next() {
			x, err := scanActivity(rows)
			if err != nil {
				return nil, err
			}
			at := x.OccurredAt
			if kind == attain.TimelineTask {
				at = x.DueAt
			}
			owner := x.OwnerID
			out = append(out, &attain.TimelineItem{Kind: kind, At: at.UTC(), ActorID: &owner, ID: x.ID, Payload: x})
		}
		return out, rows.Err()
	}
}

// timelineNotes reads the record's notes; an account's timeline also has
// the notes of its live contacts and deals that the actor may see.
func (tx *Tx) timelineNotes(ctx context.Context, a *attain.Actor, recordType string, id int64, cur *timelineCursor, n int) ([]*attain.TimelineItem, error) {
	var ar args
	ws, rid, typ := ar.add(a.WorkspaceID), ar.add(id), ar.add(recordType)
	q := `SELECT ` + noteCols + ` FROM notes n WHERE n.workspace_id = ` + ws + ` AND n.deleted_at IS NULL AND ((n.entity_type = ` + typ + ` AND n.entity_id = ` + rid + `)`
	if recordType == "account" {
		q += ` OR (n.entity_type = 'contact' AND n.entity_id IN (SELECT c.id FROM contacts c WHERE c.workspace_id = ` + ws +
			` AND c.account_id = ` + rid + ` AND c.deleted_at IS NULL AND ` + Visible(a, "c.owner_id", "c.team_id", &ar) + `))` +
			` OR (n.entity_type = 'deal' AND n.entity_id IN (SELECT d.id FROM deals d WHERE d.workspace_id = ` + ws +
			` AND d.account_id = ` + rid + ` AND d.deleted_at IS NULL AND ` + Visible(a, "d.owner_id", "d.team_id", &ar) + `))`
	}
	q += `)` + cur.after(&ar, attain.TimelineNote, "n.created_at", "n.id") +
		` ORDER BY n.created_at DESC, n.id DESC LIMIT ` + ar.add(n)
	rows, err := tx.query(ctx, q, ar...)
	if err != nil {
		return nil, fmt.Errorf("timeline notes: %w", err)
	}
	defer rows.Close()
	var out []*attain.TimelineItem
	for rows.Next() {
		x, err := scanNote(rows)
		if err != nil {
			return nil, err
		}
		author := x.AuthorID
		out = append(out, &attain.TimelineItem{Kind: attain.TimelineNote, At: x.CreatedAt.UTC(), ActorID: &author, ID: x.ID, Payload: x})
	}
	return out, rows.Err()
}

// timelineChanges reads the record's field changes. It pages through
// field_changes itself rather than loading them all with FindChanges, so a
// record edited a thousand times still answers one page at a time.
func (tx *Tx) timelineChanges(ctx context.Context, a *attain.Actor, recordType string, id int64, cur *timelineCursor, n int) ([]*attain.TimelineItem, error) {
	var ar args
	q := `SELECT id, entity_type, entity_id, field, old_value, new_value, actor_id, at, request_id
		FROM field_changes WHERE workspace_id = ` + ar.add(a.WorkspaceID) + ` AND entity_type = ` + ar.add(recordType) +
		` AND entity_id = ` + ar.add(id) + cur.after(&ar, attain.TimelineChange, "at", "id") +
		` ORDER BY at DESC, id DESC LIMIT ` + ar.add(n)
	rows, err := tx.query(ctx, q, ar...)
	if err != nil {
		return nil, fmt.Errorf("timeline changes: %w", err)
	}
	defer rows.Close()
	var out []*attain.TimelineItem
	for rows.Next() {
		var c attain.FieldChange
		var ov, nv *string
		if err := rows.Scan(&c.ID, &c.EntityType, &c.EntityID, &c.Field, &ov, &nv, &c.ActorID, &c.At, &c.RequestID); err != nil {
			return nil, err
		}
		if ov != nil {
			c.Old = json.RawMessage(*ov)
		}
		if nv != nil {
			c.New = json.RawMessage(*nv)
		}
		c.At = c.At.UTC()
		out = append(out, &attain.TimelineItem{Kind: attain.TimelineChange, At: c.At, ActorID: c.ActorID, ID: c.ID, Payload: &c})
	}
	return out, rows.Err()
}

// timelineStages reads a deal's stage changes with the stages' names.
func (tx *Tx) timelineStages(ctx context.Context, a *attain.Actor, recordType string, id int64, cur *timelineCursor, n int) ([]*attain.TimelineItem, error) {
	if recordType != "deal" {
		return nil, nil
	}
	var ar args
	q := `SELECT sh.id, sh.deal_id, sh.pipeline_id, sh.pipeline_version, sh.stage_id, s.name, sh.from_stage_id, f.name,
			sh.entered_at, sh.exited_at, sh.moved_by, sh.override_reason
		FROM stage_history sh
		JOIN stages s ON s.workspace_id = sh.workspace_id AND s.id = sh.stage_id
		LEFT JOIN stages f ON f.workspace_id = sh.workspace_id AND f.id = sh.from_stage_id
		WHERE sh.workspace_id = ` + ar.add(a.WorkspaceID) + ` AND sh.deal_id = ` + ar.add(id) +
		cur.after(&ar, attain.TimelineStage, "sh.entered_at", "sh.id") +
		` ORDER BY sh.entered_at DESC, sh.id DESC LIMIT ` + ar.add(n)
	rows, err := tx.query(ctx, q, ar...)
	if err != nil {
		return nil, fmt.Errorf("timeline stages: %w", err)
	}
	defer rows.Close()
	var out []*attain.TimelineItem
	for rows.Next() {
		var s attain.StageChange
		if err := rows.Scan(&s.ID, &s.DealID, &s.PipelineID, &s.PipelineVersion, &s.StageID, &s.StageName, &s.FromStageID,
			&s.FromStageName, &s.EnteredAt, &s.ExitedAt, &s.MovedBy, &s.OverrideReason); err != nil {
			return nil, err
		}
		s.EnteredAt = s.EnteredAt.UTC()
		out = append(out, &attain.TimelineItem{Kind: attain.TimelineStage, At: s.EnteredAt, ActorID: s.MovedBy, ID: s.ID, Payload: &s})
	}
	return out, rows.Err()
}
