package attain

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Kinds of timeline item.
const (
	TimelineActivity = "activity" // an activity that happened, at occurred_at
	TimelineTask     = "task"     // a planned activity not yet done, at due_at
	TimelineNote     = "note"     // a note, at created_at
	TimelineChange   = "change"   // a change to one field, at when it was made
	TimelineStage    = "stage"    // a deal entering a stage, at entered_at
)

// TimelineItem is one entry of a record's timeline: what happened (Kind),
// when, who did it, and the thing itself (an *Activity, *Note, *FieldChange
// or *StageChange). Its JSON is the payload's fields with kind, at and
// actor_id added, so clients switch on kind and read the rest as usual.
type TimelineItem struct {
	Kind    string
	At      time.Time
	ActorID *int64
	// ID is the payload's id; with At and Kind it orders the timeline.
	ID      int64
	Payload any
}

// MarshalJSON flattens the payload beside kind, at and actor_id.
func (it TimelineItem) MarshalJSON() ([]byte, error) {
	m := map[string]json.RawMessage{}
	if it.Payload != nil {
		raw, err := json.Marshal(it.Payload)
		if err != nil {
			return nil, fmt.Errorf("timeline %s %d: %w", it.Kind, it.ID, err)
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("timeline %s %d: payload is not an object: %w", it.Kind, it.ID, err)
		}
	}
	var err error
	put := func(k string, v any) {
		if err == nil {
			m[k], err = json.Marshal(v)
		}
	}
	put("kind", it.Kind)
	put("at", it.At)
	put("actor_id", it.ActorID)
	if _, ok := m["id"]; !ok {
		put("id", it.ID)
	}
	if err != nil {
		return nil, err
	}
	return json.Marshal(m)
}

// JSONSchema describes the flattened encoding for the API's documentation.
func (TimelineItem) JSONSchema() map[string]any {
	return map[string]any{
		"type": "object",
		"description": "One entry of a record's timeline: kind, at and actor_id, beside the fields of what happened " +
			"(an Activity for activity and task, a Note for note, a FieldChange for change, a StageChange for stage).",
		"required": []any{"kind", "at", "actor_id", "id"},
		"properties": map[string]any{
			"kind":     map[string]any{"type": "string", "enum": []any{TimelineActivity, TimelineTask, TimelineNote, TimelineChange, TimelineStage}},
			"at":       map[string]any{"type": "string", "format": "date-time", "description": "When it happened (a task: when it is due)."},
			"actor_id": map[string]any{"type": []any{"integer", "null"}, "description": "Who did it: the activity's owner, the note's author, who made the change or moved the deal."},
			"id":       map[string]any{"type": "integer", "description": "The id of the activity, note, change or stage history entry."},
		},
		"additionalProperties": true,
	}
}

// Less reports whether it comes after o on a timeline, which lists the
// newest first, ordered by (at, kind, id) descending.
func (it *TimelineItem) Less(o *TimelineItem) bool {
	if !it.At.Equal(o.At) {
		return it.At.After(o.At)
	}
	if it.Kind != o.Kind {
		return it.Kind > o.Kind
	}
	return it.ID > o.ID
}

// StageChange is a deal entering a stage, from stage_history.
type StageChange struct {
	ID              int64      `json:"id"`
	DealID          int64      `json:"deal_id"`
	PipelineID      int64      `json:"pipeline_id"`
	PipelineVersion int64      `json:"pipeline_version"`
	StageID         int64      `json:"stage_id"`
	StageName       string     `json:"stage_name"`
	FromStageID     *int64     `json:"from_stage_id"`
	FromStageName   *string    `json:"from_stage_name"`
	EnteredAt       time.Time  `json:"entered_at"`
	ExitedAt        *time.Time `json:"exited_at"`
	MovedBy         *int64     `json:"moved_by"`
	OverrideReason  *string    `json:"override_reason"`
}

// RecordAccess is what visibility checks need to know about a sales record:
// who owns it, the team it is shared with, and its account.
type RecordAccess struct {
	Type      string
	ID        int64
	OwnerID   int64
	TeamID    *int64
	AccountID *int64
	DeletedAt *time.Time
}

// VisibleTo reports whether the actor may see the record.
func (r *RecordAccess) VisibleTo(a *Actor) bool {
	var team int64
	if r.TeamID != nil {
		team = *r.TeamID
	}
	return a.CanSee(r.OwnerID, team)
}

// TimelineService reads the merged history of a record.
type TimelineService interface {
	// Timeline lists what happened on a record, newest first: activities,
	// tasks, notes, field changes and (for deals) stage changes. An
	// account's timeline includes the activities and notes of its contacts
	// and deals.
	Timeline(ctx context.Context, a *Actor, entityType string, id int64, p Page) ([]*TimelineItem, string, error)
}
