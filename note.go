package attain

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Note is free text on a sales record (account, contact, lead or deal). It
// is visible to whoever may see the record; only its author or an admin may
// change or delete it.
type Note struct {
	ID         int64      `json:"id"`
	EntityType string     `json:"entity_type"`
	EntityID   int64      `json:"entity_id"`
	Body       string     `json:"body"`
	AuthorID   int64      `json:"author_id"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	DeletedAt  *time.Time `json:"deleted_at,omitempty"`
	Version    int64      `json:"version"`
}

// MaxNoteBody bounds a note.
const MaxNoteBody = 50000

// NewNote is the input to write a note on a record.
type NewNote struct {
	EntityType string `json:"entity_type"`
	EntityID   int64  `json:"entity_id"`
	Body       string `json:"body"`
}

// Validate checks the input.
func (n *NewNote) Validate() error {
	var v Validation
	if !IsSalesRecordType(n.EntityType) {
		v.Add("entity_type", "must be one of %s", strings.Join(SalesRecordTypes, ", "))
	}
	if n.EntityID <= 0 {
		v.Add("entity_id", "must be a positive id")
	}
	validateNoteBody(&v, n.Body)
	return v.Err()
}

func validateNoteBody(v *Validation, body string) {
	v.Require("body", body)
	if utf8.RuneCountInString(body) > MaxNoteBody {
		v.Add("body", "must be at most %d characters", MaxNoteBody)
	}
}

// NoteUpdate replaces a note's body.
type NoteUpdate struct {
	Body string `json:"body"`
}

// Validate checks the update.
func (u *NoteUpdate) Validate() error {
	var v Validation
	validateNoteBody(&v, u.Body)
	return v.Err()
}

// NoteService writes and reads notes on sales records.
type NoteService interface {
	CreateNote(ctx context.Context, a *Actor, in NewNote) (*Note, error)
	FindNote(ctx context.Context, a *Actor, id int64) (*Note, error)
	FindNotes(ctx context.Context, a *Actor, entityType string, entityID int64, q ListQuery) ([]*Note, string, error)
	UpdateNote(ctx context.Context, a *Actor, id, version int64, u NoteUpdate) (*Note, error)
	DeleteNote(ctx context.Context, a *Actor, id, version int64) error
}
