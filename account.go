package attain

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Account is a company the team sells to. Accounts form a hierarchy through
// ParentID (a subsidiary under its group) and are owned by one member and
// optionally shared with a team.
type Account struct {
	ID       int64    `json:"id"`
	Name     string   `json:"name"`
	Domain   string   `json:"domain"`
	Website  string   `json:"website"`
	Industry string   `json:"industry"` // picklist "industry"
	Size     string   `json:"size"`     // picklist "company_size"
	Country  string   `json:"country"`  // ISO 3166-1 alpha-2
	Region   string   `json:"region"`
	City     string   `json:"city"`
	ParentID *int64   `json:"parent_id"`
	OwnerID  int64    `json:"owner_id"`
	TeamID   *int64   `json:"team_id"`
	Tags     []string `json:"tags"`
	// Custom holds the values of the workspace's custom fields by key.
	Custom     map[string]json.RawMessage `json:"custom"`
	ExternalID *string                    `json:"external_id"`
	CreatedAt  time.Time                  `json:"created_at"`
	UpdatedAt  time.Time                  `json:"updated_at"`
	DeletedAt  *time.Time                 `json:"deleted_at"`
	Version    int64                      `json:"version"`
}

// AccountInput is a new account. The owner defaults to whoever creates it,
// and the domain to the website's host.
type AccountInput struct {
	Name       string                     `json:"name"`
	Domain     string                     `json:"domain,omitempty"`
	Website    string                     `json:"website,omitempty"`
	Industry   string                     `json:"industry,omitempty"`
	Size       string                     `json:"size,omitempty"`
	Country    string                     `json:"country,omitempty"`
	Region     string                     `json:"region,omitempty"`
	City       string                     `json:"city,omitempty"`
	ParentID   *int64                     `json:"parent_id,omitempty"`
	OwnerID    *int64                     `json:"owner_id,omitempty"`
	TeamID     *int64                     `json:"team_id,omitempty"`
	Tags       []string                   `json:"tags,omitempty"`
	Custom     map[string]json.RawMessage `json:"custom,omitempty"`
	ExternalID *string                    `json:"external_id,omitempty"`
}

// Account builds the account the input describes, owned by ownerID unless
// the input names an owner.
func (in AccountInput) Account(ownerID int64) *Account {
	a := &Account{Name: in.Name, Domain: in.Domain, Website: in.Website, Industry: in.Industry, Size: in.Size,
		Country: in.Country, Region: in.Region, City: in.City, ParentID: in.ParentID, OwnerID: ownerID,
		TeamID: in.TeamID, Tags: in.Tags, ExternalID: in.ExternalID}
	set(&a.OwnerID, in.OwnerID)
	a.Custom = mergeCustom(nil, in.Custom)
	return a
}

// AccountUpdate changes some of an account's fields: absent fields stay as
// they are, null clears a reference. Custom is merged key by key, a null
// value removing the key.
type AccountUpdate struct {
	Name       *string                    `json:"name,omitempty"`
	Domain     *string                    `json:"domain,omitempty"`
	Website    *string                    `json:"website,omitempty"`
	Industry   *string                    `json:"industry,omitempty"`
	Size       *string                    `json:"size,omitempty"`
	Country    *string                    `json:"country,omitempty"`
	Region     *string                    `json:"region,omitempty"`
	City       *string                    `json:"city,omitempty"`
	ParentID   Nullable[int64]            `json:"parent_id,omitzero"`
	OwnerID    *int64                     `json:"owner_id,omitempty"`
	TeamID     Nullable[int64]            `json:"team_id,omitzero"`
	Tags       *[]string                  `json:"tags,omitempty"`
	Custom     map[string]json.RawMessage `json:"custom,omitempty"`
	ExternalID Nullable[string]           `json:"external_id,omitzero"`
}

// Apply changes a to the update; call Validate afterwards. A new website
// re-derives the domain unless the update sets one or the domain was typed
// independently of the old website.
func (u AccountUpdate) Apply(a *Account) {
	if u.Website != nil && u.Domain == nil && a.Domain == DomainOf(a.Website) {
		a.Domain = ""
	}
	set(&a.Name, u.Name)
	set(&a.Domain, u.Domain)
	set(&a.Website, u.Website)
	set(&a.Industry, u.Industry)
	set(&a.Size, u.Size)
	set(&a.Country, u.Country)
	set(&a.Region, u.Region)
	set(&a.City, u.City)
	u.ParentID.apply(&a.ParentID)
	set(&a.OwnerID, u.OwnerID)
	u.TeamID.apply(&a.TeamID)
	set(&a.Tags, u.Tags)
	a.Custom = mergeCustom(a.Custom, u.Custom)
	u.ExternalID.apply(&a.ExternalID)
}

// Validate normalises the account and checks its own rules. References
// (parent, owner, team) and picklist values are checked by the service.
func (a *Account) Validate() error {
	var v Validation
	a.Name = strings.TrimSpace(a.Name)
	v.Require("name", a.Name)
	maxLen(&v, "name", a.Name, 200)
	a.Website = strings.TrimSpace(a.Website)
	if a.Website != "" {
		w, ok := NormalizeWebsite(a.Website)
		if !ok {
			v.Add("website", "is not a web address")
		}
		a.Website = w
	}
	a.Domain = strings.TrimSpace(a.Domain)
	if a.Domain == "" {
		a.Domain = DomainOf(a.Website)
	} else if d := DomainOf(a.Domain); d != "" {
		a.Domain = d
	} else {
		v.Add("domain", "is not a domain name like example.com")
	}
	a.Industry = strings.TrimSpace(a.Industry)
	a.Size = strings.TrimSpace(a.Size)
	a.Country = NormalizeCountry(a.Country)
	if a.Country != "" && !ValidCountry(a.Country) {
		v.Add("country", "must be an ISO 3166-1 alpha-2 code such as FR, or a country's English name such as France")
	}
	a.Region = strings.TrimSpace(a.Region)
	maxLen(&v, "region", a.Region, 100)
	a.City = strings.TrimSpace(a.City)
	maxLen(&v, "city", a.City, 100)
	if a.ParentID != nil && a.ID != 0 && *a.ParentID == a.ID {
		v.Add("parent_id", "cannot be the account itself")
	}
	a.Tags = normalizeTags(&v, a.Tags)
	a.ExternalID = normalizeExternalID(&v, a.ExternalID)
	validateCustomKeys(&v, a.Custom)
	return v.Err()
}

// MaxTags and MaxTagLength bound an account's tags.
const (
	MaxTags      = 50
	MaxTagLength = 50
)

// normalizeTags lowercases tags, collapses their spaces and drops empty and
// repeated ones, keeping the order given, so "Key  Account" and "key account"
// are one tag and a filter finds both.
func normalizeTags(v *Validation, tags []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.Join(strings.Fields(strings.ToLower(t)), " ")
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		switch {
		case utf8.RuneCountInString(t) > MaxTagLength:
			v.Add("tags", "%q is longer than %d characters", t, MaxTagLength)
		case strings.ContainsFunc(t, badTagRune):
			v.Add("tags", "%q may use letters, digits, spaces and - _ . / : + # only", t)
		}
		out = append(out, t)
	}
	if len(out) > MaxTags {
		v.Add("tags", "at most %d tags", MaxTags)
	}
	return out
}

// badTagRune keeps tags to characters that read the same in JSON and in a
// LIKE pattern once escaped, so the store can match a tag inside the array.
func badTagRune(r rune) bool {
	if unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' {
		return false
	}
	return !strings.ContainsRune("-_./:+#", r)
}

// NormalizeWebsite adds https:// when no scheme is given and checks the
// result is an http(s) address with a host name.
func NormalizeWebsite(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || !strings.Contains(u.Hostname(), ".") || len(s) > 500 {
		return s, false
	}
	return s, true
}

var domainRE = regexp.MustCompile(`^([\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?$`)

// DomainOf returns the lowercase host of a website or domain without "www.",
// or "" when s has none: "https://www.Acme.com/about" gives "acme.com".
func DomainOf(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.User != nil {
		return "" // an email or credentials, not a site
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	h = strings.TrimPrefix(h, "www.")
	if len(h) > 253 || !domainRE.MatchString(h) {
		return ""
	}
	return h
}

// NameKey is the form of a name used to match records despite case and
// spacing: "  ACME   Corp " and "Acme Corp" share the key "acme corp".
func NameKey(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

func maxLen(v *Validation, field, s string, n int) {
	if utf8.RuneCountInString(s) > n {
		v.Add(field, "must be at most %d characters", n)
	}
}

func normalizeExternalID(v *Validation, id *string) *string {
	if id == nil {
		return nil
	}
	s := strings.TrimSpace(*id)
	if s == "" {
		return nil
	}
	maxLen(v, "external_id", s, 200)
	return &s
}

// mergeCustom applies a patch of custom values key by key; a null value
// removes the key. The result is a new map, never nil.
func mergeCustom(cur, patch map[string]json.RawMessage) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(cur)+len(patch))
	for k, val := range cur {
		out[k] = val
	}
	for k, val := range patch {
		if len(val) == 0 || string(val) == "null" {
			delete(out, k)
			continue
		}
		out[k] = val
	}
	return out
}

// validateCustomKeys checks only the shape of custom values; their types are
// checked against the workspace's custom field definitions elsewhere.
func validateCustomKeys(v *Validation, custom map[string]json.RawMessage) {
	for k, val := range custom {
		if strings.TrimSpace(k) == "" || len(k) > 64 {
			v.Add("custom", "keys must be 1 to 64 characters")
		}
		if !json.Valid(val) {
			v.Add("custom."+k, "is not valid JSON")
		}
	}
}

// AccountService manages accounts.
type AccountService interface {
	CreateAccount(ctx context.Context, a *Actor, in AccountInput) (*Account, error)
	FindAccount(ctx context.Context, a *Actor, id int64) (*Account, error)
	FindAccounts(ctx context.Context, a *Actor, q ListQuery) ([]*Account, string, error)
	UpdateAccount(ctx context.Context, a *Actor, id, version int64, upd AccountUpdate) (*Account, error)
	DeleteAccount(ctx context.Context, a *Actor, id, version int64) error
	RestoreAccount(ctx context.Context, a *Actor, id int64) (*Account, error)
	FindAccountChildren(ctx context.Context, a *Actor, id int64, q ListQuery) ([]*Account, string, error)
	FindAccountHistory(ctx context.Context, a *Actor, id int64) ([]*FieldChange, error)
	FindAccountMap(ctx context.Context, a *Actor, id int64) (*AccountMap, error)
}
