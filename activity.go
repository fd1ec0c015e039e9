package attain

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ActivityType is one kind of key activity (call, meeting, demo, ...). The
// list is short and configurable; types are retired, never deleted, so old
// activities keep their type. Exit criteria count activities by type key.
type ActivityType struct {
	ID        int64      `json:"id"`
	Key       string     `json:"key"`
	Name      string     `json:"name"`
	Position  int        `json:"position"`
	RetiredAt *time.Time `json:"retired_at"`
	CreatedAt time.Time  `json:"created_at"`
}

// NewActivityType is the input to add an activity type.
type NewActivityType struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	// Position places the type in menus; nil puts it last.
	Position *int `json:"position,omitempty"`
}

// DefaultActivityTypes are the key activities every workspace starts with.
var DefaultActivityTypes = []NewActivityType{
	{Key: "call", Name: "Call"},
	{Key: "email", Name: "Email"},
	{Key: "meeting", Name: "Meeting"},
	{Key: "demo", Name: "Demo"},
	{Key: "proposal", Name: "Proposal"},
}

var activityKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// Validate checks and normalises the input.
func (n *NewActivityType) Validate() error {
	var v Validation
	n.Key = strings.TrimSpace(n.Key)
	n.Name = strings.TrimSpace(n.Name)
	if !activityKeyRE.MatchString(n.Key) {
		v.Add("key", "must be 1-32 lowercase letters, digits or underscores, starting with a letter")
	}
	validateActivityTypeName(&v, n.Name)
	if n.Position != nil && *n.Position < 0 {
		v.Add("position", "must not be negative")
	}
	return v.Err()
}

func validateActivityTypeName(v *Validation, name string) {
	v.Require("name", name)
	if utf8.RuneCountInString(name) > 60 {
		v.Add("name", "must be at most 60 characters")
	}
}

// ActivityTypeUpdate renames, reorders, retires or reinstates a type; nil
// fields are unchanged. The key never changes: exit criteria name it.
type ActivityTypeUpdate struct {
	Name     *string `json:"name,omitempty"`
	Position *int    `json:"position,omitempty"`
	Retired  *bool   `json:"retired,omitempty"`
}

// Apply validates the update and applies it to t at time now.
func (u *ActivityTypeUpdate) Apply(t *ActivityType, now time.Time) error {
	var v Validation
	if u.Name != nil {
		t.Name = strings.TrimSpace(*u.Name)
		validateActivityTypeName(&v, t.Name)
	}
	if u.Position != nil {
		if *u.Position < 0 {
			v.Add("position", "must not be negative")
		}
		t.Position = *u.Position
	}
	if u.Retired != nil {
		switch {
		case *u.Retired && t.RetiredAt == nil:
			t.RetiredAt = &now
		case !*u.Retired:
			t.RetiredAt = nil
		}
	}
	return v.Err()
}

// Buyer sentiments an activity may record.
const (
	SentimentPositive = "positive"
	SentimentNeutral  = "neutral"
	SentimentNegative = "negative"
)

// Activity is a key activity done (OccurredAt set) or planned (a task: DueAt
// set, OccurredAt nil until it is completed) on a deal, contact, account or
// lead. DoneAt is set when the activity was recorded as done, so open tasks
// are exactly those without DoneAt.
//
// Visibility: an activity is visible to whoever may see its owner (or the
// team it is shared with), and also, read-only, to whoever may see the deal
// it is logged on, so a deal's timeline shows everything done on it.
type Activity struct {
	ID int64 `json:"id"`
	// Type is the activity type's key; TypeName its display name.
	TypeID          int64      `json:"type_id"`
	Type            string     `json:"type"`
	TypeName        string     `json:"type_name"`
	Subject         string     `json:"subject"`
	Note            string     `json:"note"`
	DealID          *int64     `json:"deal_id"`
	ContactID       *int64     `json:"contact_id"`
	AccountID       *int64     `json:"account_id"`
	LeadID          *int64     `json:"lead_id"`
	OwnerID         int64      `json:"owner_id"`
	TeamID          *int64     `json:"team_id"`
	OccurredAt      *time.Time `json:"occurred_at"`
	DueAt           *time.Time `json:"due_at"`
	DoneAt          *time.Time `json:"done_at"`
	DurationMinutes int        `json:"duration_minutes"`
	Outcome         string     `json:"outcome"`
	Sentiment       string     `json:"sentiment"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	DeletedAt       *time.Time `json:"deleted_at"`
	Version         int64      `json:"version"`
}

// IsTask reports whether the activity was planned with a due date.
func (act *Activity) IsTask() bool { return act.DueAt != nil }

// Limits on activity text.
const (
	MaxActivitySubject  = 200
	MaxActivityNote     = 20000
	MaxActivityOutcome  = 200
	MaxActivityDuration = 7 * 24 * 60 // minutes
)

// NewActivity is the input to log an activity or plan a task. Only the type
// and one record are needed: the owner defaults to the actor, occurred_at to
// now (unless due_at makes it a task), the subject to the type's name, and
// the account to the deal's (or the contact's) account.
type NewActivity struct {
	// Type is the activity type's key; TypeID may name it by id instead.
	Type            string     `json:"type,omitempty"`
	TypeID          int64      `json:"type_id,omitempty"`
	Subject         string     `json:"subject,omitempty"`
	Note            string     `json:"note,omitempty"`
	DealID          *int64     `json:"deal_id,omitempty"`
	ContactID       *int64     `json:"contact_id,omitempty"`
	AccountID       *int64     `json:"account_id,omitempty"`
	LeadID          *int64     `json:"lead_id,omitempty"`
	OwnerID         *int64     `json:"owner_id,omitempty"`
	TeamID          *int64     `json:"team_id,omitempty"`
	OccurredAt      *time.Time `json:"occurred_at,omitempty"`
	DueAt           *time.Time `json:"due_at,omitempty"`
	DurationMinutes int        `json:"duration_minutes,omitempty"`
	Outcome         string     `json:"outcome,omitempty"`
	Sentiment       string     `json:"sentiment,omitempty"`
}

// Validate checks and normalises the input.
func (n *NewActivity) Validate() error {
	var v Validation
	n.Type = strings.TrimSpace(n.Type)
	n.Subject = strings.TrimSpace(n.Subject)
	n.Outcome = strings.TrimSpace(n.Outcome)
	if n.Type == "" && n.TypeID == 0 {
		v.Add("type", "is required: the key of an activity type, such as call")
	}
	if n.DealID == nil && n.ContactID == nil && n.AccountID == nil && n.LeadID == nil {
		v.Add("deal_id", "an activity is logged on a deal, contact, account or lead: give at least one of deal_id, contact_id, account_id, lead_id")
	}
	for _, ref := range []struct {
		name string
		id   *int64
	}{{"deal_id", n.DealID}, {"contact_id", n.ContactID}, {"account_id", n.AccountID}, {"lead_id", n.LeadID}, {"owner_id", n.OwnerID}, {"team_id", n.TeamID}} {
		if ref.id != nil && *ref.id <= 0 {
			v.Add(ref.name, "must be a positive id")
		}
	}
	n.OccurredAt, n.DueAt = activityUTC(n.OccurredAt), activityUTC(n.DueAt)
	validateActivityText(&v, n.Subject, n.Note, n.Outcome, n.Sentiment, n.DurationMinutes)
	return v.Err()
}

func validateActivityText(v *Validation, subject, note, outcome, sentiment string, duration int) {
	if utf8.RuneCountInString(subject) > MaxActivitySubject {
		v.Add("subject", "must be at most %d characters", MaxActivitySubject)
	}
	if utf8.RuneCountInString(note) > MaxActivityNote {
		v.Add("note", "must be at most %d characters", MaxActivityNote)
	}
	if utf8.RuneCountInString(outcome) > MaxActivityOutcome {
		v.Add("outcome", "must be at most %d characters: a short result, such as \"agreed to a demo\"", MaxActivityOutcome)
	}
	if !ValidSentiment(sentiment) {
		v.Add("sentiment", "must be positive, neutral or negative (or empty)")
	}
	if duration < 0 || duration > MaxActivityDuration {
		v.Add("duration_minutes", "must be from 0 to %d", MaxActivityDuration)
	}
}

// ValidSentiment reports whether s is a buyer sentiment or empty.
func ValidSentiment(s string) bool {
	return s == "" || slices.Contains([]string{SentimentPositive, SentimentNeutral, SentimentNegative}, s)
}

func activityUTC(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	// Stored as UTC: SQLite compares timestamps as text.
	u := t.UTC().Truncate(time.Microsecond)
	return &u
}

// ActivityUpdate changes an activity; nil fields are unchanged. For the
// record links and the team, 0 clears the link.
type ActivityUpdate struct {
	Type            *string    `json:"type,omitempty"`
	TypeID          *int64     `json:"type_id,omitempty"`
	Subject         *string    `json:"subject,omitempty"`
	Note            *string    `json:"note,omitempty"`
	DealID          *int64     `json:"deal_id,omitempty"`
	ContactID       *int64     `json:"contact_id,omitempty"`
	AccountID       *int64     `json:"account_id,omitempty"`
	LeadID          *int64     `json:"lead_id,omitempty"`
	OwnerID         *int64     `json:"owner_id,omitempty"`
	TeamID          *int64     `json:"team_id,omitempty"`
	OccurredAt      *time.Time `json:"occurred_at,omitempty"`
	DueAt           *time.Time `json:"due_at,omitempty"`
	DurationMinutes *int       `json:"duration_minutes,omitempty"`
	Outcome         *string    `json:"outcome,omitempty"`
	Sentiment       *string    `json:"sentiment,omitempty"`
}

// Apply validates the update and applies it to act, except the type, which
// the service resolves. A task given occurred_at becomes done at now.
func (u *ActivityUpdate) Apply(act *Activity, now time.Time) error {
	var v Validation
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&act.Subject, u.Subject)
	if u.Note != nil {
		act.Note = *u.Note
	}
	set(&act.Outcome, u.Outcome)
	set(&act.Sentiment, u.Sentiment)
	if u.DurationMinutes != nil {
		act.DurationMinutes = *u.DurationMinutes
	}
	link := func(name string, dst **int64, src *int64) {
		switch {
		case src == nil:
		case *src < 0:
			v.Add(name, "must be a positive id, or 0 to clear")
		case *src == 0:
			*dst = nil
		default:
			id := *src
			*dst = &id
		}
	}
	link("deal_id", &act.DealID, u.DealID)
	link("contact_id", &act.ContactID, u.ContactID)
	link("account_id", &act.AccountID, u.AccountID)
	link("lead_id", &act.LeadID, u.LeadID)
	link("team_id", &act.TeamID, u.TeamID)
	if u.OwnerID != nil {
		if *u.OwnerID <= 0 {
			v.Add("owner_id", "must be a positive id")
		}
		act.OwnerID = *u.OwnerID
	}
	if act.DealID == nil && act.ContactID == nil && act.AccountID == nil && act.LeadID == nil {
		v.Add("deal_id", "an activity stays logged on at least one deal, contact, account or lead")
	}
	if u.DueAt != nil {
		act.DueAt = activityUTC(u.DueAt)
	}
	if u.OccurredAt != nil {
		act.OccurredAt = activityUTC(u.OccurredAt)
		if act.DoneAt == nil {
			act.DoneAt = &now
		}
	}
	validateActivityText(&v, act.Subject, act.Note, act.Outcome, act.Sentiment, act.DurationMinutes)
	return v.Err()
}

// ActivityCompletion completes a task, optionally saying when it happened
// (default now) and how it went.
type ActivityCompletion struct {
	OccurredAt      *time.Time `json:"occurred_at,omitempty"`
	Outcome         *string    `json:"outcome,omitempty"`
	Sentiment       *string    `json:"sentiment,omitempty"`
	Note            *string    `json:"note,omitempty"`
	DurationMinutes *int       `json:"duration_minutes,omitempty"`
}

// Apply marks act done at now, validating the completion details.
func (c *ActivityCompletion) Apply(act *Activity, now time.Time) error {
	if act.DoneAt != nil {
		return Errorf(ECONFLICT, "The activity is already done.")
	}
	at := now
	if c.OccurredAt != nil {
		at = *activityUTC(c.OccurredAt)
	}
	act.OccurredAt, act.DoneAt = &at, &now
	if c.Outcome != nil {
		act.Outcome = strings.TrimSpace(*c.Outcome)
	}
	if c.Sentiment != nil {
		act.Sentiment = strings.TrimSpace(*c.Sentiment)
	}
	if c.Note != nil {
		act.Note = *c.Note
	}
	if c.DurationMinutes != nil {
		act.DurationMinutes = *c.DurationMinutes
	}
	var v Validation
	validateActivityText(&v, act.Subject, act.Note, act.Outcome, act.Sentiment, act.DurationMinutes)
	return v.Err()
}

// ActivityService logs key activities and plans tasks.
type ActivityService interface {
	FindActivityTypes(ctx context.Context, a *Actor) ([]*ActivityType, error)
	CreateActivityType(ctx context.Context, a *Actor, in NewActivityType) (*ActivityType, error)
	UpdateActivityType(ctx context.Context, a *Actor, id int64, u ActivityTypeUpdate) (*ActivityType, error)

	CreateActivity(ctx context.Context, a *Actor, in NewActivity) (*Activity, error)
	FindActivity(ctx context.Context, a *Actor, id int64) (*Activity, error)
	FindActivities(ctx context.Context, a *Actor, q ListQuery) ([]*Activity, string, error)
	UpdateActivity(ctx context.Context, a *Actor, id, version int64, u ActivityUpdate) (*Activity, error)
	CompleteActivity(ctx context.Context, a *Actor, id, version int64, c ActivityCompletion) (*Activity, error)
	DeleteActivity(ctx context.Context, a *Actor, id, version int64) error
	RestoreActivity(ctx context.Context, a *Actor, id int64) (*Activity, error)
	ActivityHistory(ctx context.Context, a *Actor, id int64) ([]*FieldChange, error)
}
