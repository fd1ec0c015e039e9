package attain

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// PicklistValue is one known value of a picklist: the stored value (stable,
// machine-friendly), the label people read, its position in menus, and when
// it was retired. Retired values are never deleted: records that already
// hold one keep it and their history still reads, but no record may newly
// take it.
type PicklistValue struct {
	ID        int64      `json:"id"`
	List      string     `json:"list"`
	Value     string     `json:"value"`
	Label     string     `json:"label"`
	Position  int        `json:"position"`
	RetiredAt *time.Time `json:"retired_at"`
	CreatedAt time.Time  `json:"created_at"`
}

// Picklist is a named list of known values, ordered by position, retired
// values included so old records can show their labels.
type Picklist struct {
	List   string           `json:"list"`
	Values []*PicklistValue `json:"values"`
}

// Well-known picklists seeded in every workspace. Custom fields of type
// picklist name their own lists.
const (
	ListIndustry    = "industry"
	ListCompanySize = "company_size"
	ListLeadSource  = "lead_source"
	ListBuyingRole  = "buying_role"
	ListWonReason   = "won_reason"
	ListLostReason  = "lost_reason"
)

// Check reports whether value may be stored in a field using this list,
// given the value the record held before (previous, "" on create). An empty
// value is always allowed (whether a field is required is decided
// elsewhere); a retired value is allowed only if the record already held it,
// so retiring a value never makes old records unsaveable. The error names
// the field and the values that are allowed.
func (p *Picklist) Check(field, value, previous string) error {
	if value == "" || value == previous {
		return nil
	}
	var known []string
	for _, v := range p.Values {
		if v.RetiredAt != nil {
			if v.Value == value {
				return Invalid(field, "%q is retired; known: %s", value, strings.Join(p.active(), ", "))
			}
			continue
		}
		if v.Value == value {
			return nil
		}
		known = append(known, v.Value)
	}
	if len(known) == 0 {
		return Invalid(field, "unknown value %q; the %s list has no values yet", value, p.List)
	}
	return Invalid(field, "unknown value %q; known: %s", value, strings.Join(known, ", "))
}

func (p *Picklist) active() []string {
	var out []string
	for _, v := range p.Values {
		if v.RetiredAt == nil {
			out = append(out, v.Value)
		}
	}
	return out
}

// Label returns the label of value, or value itself when it is unknown.
func (p *Picklist) Label(value string) string {
	for _, v := range p.Values {
		if v.Value == value {
			return v.Label
		}
	}
	return value
}

// NewPicklistValue adds a value to a list.
type NewPicklistValue struct {
	Value string `json:"value"`
	Label string `json:"label"`
	// Position places the value in menus; nil puts it last.
	Position *int `json:"position,omitempty"`
}

var (
	listNameRE  = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)
	listValueRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_.+-]{0,62}$`)
)

// ValidateList checks a picklist's name.
func ValidateList(list string) error {
	if !listNameRE.MatchString(list) {
		return Invalid("list", "must be 1-63 lowercase letters, digits or underscores, starting with a letter")
	}
	return nil
}

// Validate checks a new value; the label defaults to the value.
func (n *NewPicklistValue) Validate() error {
	var v Validation
	n.Value = strings.TrimSpace(n.Value)
	n.Label = strings.TrimSpace(n.Label)
	if !listValueRE.MatchString(n.Value) {
		v.Add("value", "must be 1-63 lowercase letters, digits or _ . + -, starting with a letter or digit")
	}
	if n.Label == "" {
		n.Label = n.Value
	}
	if len(n.Label) > 200 {
		v.Add("label", "must be at most 200 characters")
	}
	if n.Position != nil && *n.Position < 0 {
		v.Add("position", "must not be negative")
	}
	return v.Err()
}

// PicklistValueUpdate changes a value's label or position, or retires or
// restores it. The value itself never changes: records store it.
type PicklistValueUpdate struct {
	Label    *string `json:"label,omitempty"`
	Position *int    `json:"position,omitempty"`
	Retired  *bool   `json:"retired,omitempty"`
}

// Validate checks an update.
func (u *PicklistValueUpdate) Validate() error {
	var v Validation
	if u.Label != nil {
		*u.Label = strings.TrimSpace(*u.Label)
		v.Require("label", *u.Label)
		if len(*u.Label) > 200 {
			v.Add("label", "must be at most 200 characters")
		}
	}
	if u.Position != nil && *u.Position < 0 {
		v.Add("position", "must not be negative")
	}
	return v.Err()
}

// DefaultPicklists are the lists every new workspace starts with: values a
// team recognises at once, which an admin can relabel, extend or retire.
func DefaultPicklists() []Picklist {
	mk := func(list string, pairs ...string) Picklist {
		p := Picklist{List: list}
		for i := 0; i+1 < len(pairs); i += 2 {
			p.Values = append(p.Values, &PicklistValue{List: list, Value: pairs[i], Label: pairs[i+1], Position: len(p.Values)})
		}
		return p
	}
	return []Picklist{
		mk(ListIndustry,
			"software", "Software", "financial_services", "Financial services", "healthcare", "Healthcare",
			"manufacturing", "Manufacturing", "retail", "Retail", "education", "Education",
			"government", "Government", "media", "Media", "professional_services", "Professional services",
			"energy", "Energy", "logistics", "Logistics", "other", "Other"),
		mk(ListCompanySize,
			"1-10", "1-10 employees", "11-50", "11-50 employees", "51-200", "51-200 employees",
			"201-1000", "201-1,000 employees", "1001-5000", "1,001-5,000 employees", "5000+", "More than 5,000 employees"),
		mk(ListLeadSource,
			"website", "Website", "referral", "Referral", "event", "Event", "outbound", "Outbound prospecting",
			"partner", "Partner", "advertising", "Advertising", "other", "Other"),
		mk(ListBuyingRole,
			"decision_maker", "Decision maker", "economic_buyer", "Economic buyer", "influencer", "Influencer",
			"champion", "Champion", "user", "User", "blocker", "Blocker", "other", "Other"),
		mk(ListWonReason,
			"product_fit", "Product fit", "price", "Price", "relationship", "Relationship",
			"time_to_value", "Time to value", "support", "Service and support", "other", "Other"),
		mk(ListLostReason,
			"price", "Price", "competitor", "Chose a competitor", "no_decision", "No decision / status quo",
			"no_budget", "No budget", "timing", "Timing", "product_gap", "Missing capability", "other", "Other"),
	}
}

// PicklistService manages picklists. Everyone reads them; admins change them.
type PicklistService interface {
	FindPicklists(ctx context.Context, a *Actor, list string) ([]*Picklist, error)
	AddPicklistValue(ctx context.Context, a *Actor, list string, in NewPicklistValue) (*PicklistValue, error)
	UpdatePicklistValue(ctx context.Context, a *Actor, list, value string, in PicklistValueUpdate) (*PicklistValue, error)
}
