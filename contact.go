package attain

import (
	"context"
	"encoding/json"
	"net/mail"
	"strings"
	"time"
)

// Contact is a person at an account (or not yet tied to one). Their buying
// role on the account and on each deal lives in ContactRole.
type Contact struct {
	ID         int64                      `json:"id"`
	AccountID  *int64                     `json:"account_id"`
	FirstName  string                     `json:"first_name"`
	LastName   string                     `json:"last_name"`
	Email      string                     `json:"email"`
	Emails     []string                   `json:"emails"` // further addresses
	Phone      string                     `json:"phone"`
	Phones     []string                   `json:"phones"` // further numbers
	Title      string                     `json:"title"`
	OwnerID    int64                      `json:"owner_id"`
	TeamID     *int64                     `json:"team_id"`
	Custom     map[string]json.RawMessage `json:"custom"`
	ExternalID *string                    `json:"external_id"`
	CreatedAt  time.Time                  `json:"created_at"`
	UpdatedAt  time.Time                  `json:"updated_at"`
	DeletedAt  *time.Time                 `json:"deleted_at"`
	Version    int64                      `json:"version"`
}

// Name is the contact's full name for display.
func (c *Contact) Name() string { return strings.TrimSpace(c.FirstName + " " + c.LastName) }

// ContactInput is a new contact; the owner defaults to whoever creates it.
type ContactInput struct {
	AccountID  *int64                     `json:"account_id,omitempty"`
	FirstName  string                     `json:"first_name,omitempty"`
	LastName   string                     `json:"last_name,omitempty"`
	Email      string                     `json:"email,omitempty"`
	Emails     []string                   `json:"emails,omitempty"`
	Phone      string                     `json:"phone,omitempty"`
	Phones     []string                   `json:"phones,omitempty"`
	Title      string                     `json:"title,omitempty"`
	OwnerID    *int64                     `json:"owner_id,omitempty"`
	TeamID     *int64                     `json:"team_id,omitempty"`
	Custom     map[string]json.RawMessage `json:"custom,omitempty"`
	ExternalID *string                    `json:"external_id,omitempty"`
}

// Contact builds the contact the input describes, owned by ownerID unless
// the input names an owner.
func (in ContactInput) Contact(ownerID int64) *Contact {
	c := &Contact{AccountID: in.AccountID, FirstName: in.FirstName, LastName: in.LastName, Email: in.Email,
		Emails: in.Emails, Phone: in.Phone, Phones: in.Phones, Title: in.Title, OwnerID: ownerID,
		TeamID: in.TeamID, ExternalID: in.ExternalID}
	set(&c.OwnerID, in.OwnerID)
	c.Custom = mergeCustom(nil, in.Custom)
	return c
}

// ContactUpdate changes some of a contact's fields: absent fields stay as
// they are, null clears a reference, custom values merge by key.
type ContactUpdate struct {
	AccountID  Nullable[int64]            `json:"account_id,omitzero"`
	FirstName  *string                    `json:"first_name,omitempty"`
	LastName   *string                    `json:"last_name,omitempty"`
	Email      *string                    `json:"email,omitempty"`
	Emails     *[]string                  `json:"emails,omitempty"`
	Phone      *string                    `json:"phone,omitempty"`
	Phones     *[]string                  `json:"phones,omitempty"`
	Title      *string                    `json:"title,omitempty"`
	OwnerID    *int64                     `json:"owner_id,omitempty"`
	TeamID     Nullable[int64]            `json:"team_id,omitzero"`
	Custom     map[string]json.RawMessage `json:"custom,omitempty"`
	ExternalID Nullable[string]           `json:"external_id,omitzero"`
}

// Apply changes c to the update; call Validate afterwards.
func (u ContactUpdate) Apply(c *Contact) {
	u.AccountID.apply(&c.AccountID)
	set(&c.FirstName, u.FirstName)
	set(&c.LastName, u.LastName)
	set(&c.Email, u.Email)
	set(&c.Emails, u.Emails)
	set(&c.Phone, u.Phone)
	set(&c.Phones, u.Phones)
	set(&c.Title, u.Title)
	set(&c.OwnerID, u.OwnerID)
	u.TeamID.apply(&c.TeamID)
	c.Custom = mergeCustom(c.Custom, u.Custom)
	u.ExternalID.apply(&c.ExternalID)
}

// Validate normalises the contact and checks its own rules: a first or last
// name, well-formed lowercase emails, plausible phone numbers.
func (c *Contact) Validate() error {
	var v Validation
	c.FirstName = strings.TrimSpace(c.FirstName)
	c.LastName = strings.TrimSpace(c.LastName)
	if c.FirstName == "" && c.LastName == "" {
		v.Add("first_name", "or last_name is required")
		v.Add("last_name", "or first_name is required")
	}
	maxLen(&v, "first_name", c.FirstName, 100)
	maxLen(&v, "last_name", c.LastName, 100)
	c.Email = normalizeEmail(&v, "email", c.Email)
	c.Emails = normalizeList(&v, "emails", c.Emails, c.Email, func(s string) string { return normalizeEmail(&v, "emails", s) })
	c.Phone = normalizePhone(&v, "phone", c.Phone)
	c.Phones = normalizeList(&v, "phones", c.Phones, c.Phone, func(s string) string { return normalizePhone(&v, "phones", s) })
	c.Title = strings.TrimSpace(c.Title)
	maxLen(&v, "title", c.Title, 200)
	c.ExternalID = normalizeExternalID(&v, c.ExternalID)
	validateCustomKeys(&v, c.Custom)
	return v.Err()
}

// normalizeEmail lowercases an address and records it as invalid unless it
// is a bare address (no display name).
func normalizeEmail(v *Validation, field, s string) string {
	s = NormalizeEmail(s)
	if s == "" {
		return ""
	}
	if a, err := mail.ParseAddress(s); err != nil || a.Address != s || len(s) > 254 {
		v.Add(field, "%q is not a valid email address", s)
	}
	return s
}

// normalizePhone trims a number and checks it looks like one: digits with
// the usual separators, a leading + and an optional extension.
func normalizePhone(v *Validation, field, s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return ""
	}
	digits := 0
	ok := len(s) <= 40
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, strings.ContainsRune(" -.()/", r), strings.ContainsRune("xXet", r):
		default:
			ok = false
		}
	}
	if !ok || digits < 3 {
		v.Add(field, "%q is not a phone number", s)
	}
	return s
}

// normalizeList normalises each item, dropping empties, repeats and the
// primary value, so extra emails and phones never duplicate the main one.
func normalizeList(v *Validation, field string, items []string, primary string, norm func(string) string) []string {
	out := []string{}
	seen := map[string]bool{primary: true}
	for _, s := range items {
		s = norm(s)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	if len(out) > 20 {
		v.Add(field, "at most 20")
	}
	return out
}

// ContactService manages contacts.
type ContactService interface {
	CreateContact(ctx context.Context, a *Actor, in ContactInput) (*Contact, error)
	FindContact(ctx context.Context, a *Actor, id int64) (*Contact, error)
	FindContacts(ctx context.Context, a *Actor, q ListQuery) ([]*Contact, string, error)
	UpdateContact(ctx context.Context, a *Actor, id, version int64, upd ContactUpdate) (*Contact, error)
	DeleteContact(ctx context.Context, a *Actor, id, version int64) error
	RestoreContact(ctx context.Context, a *Actor, id int64) (*Contact, error)
	FindContactHistory(ctx context.Context, a *Actor, id int64) ([]*FieldChange, error)
}
