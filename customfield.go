package attain

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Custom field types: what a custom field's value is and how it is checked.
const (
	FieldText          = "text"           // one line of text
	FieldLongText      = "long_text"      // free text of any length up to a limit
	FieldNumber        = "number"         // a JSON number
	FieldMoney         = "money"          // {"amount": minor units, "currency": "EUR"}
	FieldDate          = "date"           // "YYYY-MM-DD"
	FieldBoolean       = "boolean"        // true or false
	FieldPicklist      = "picklist"       // one value of a picklist
	FieldMultiPicklist = "multi_picklist" // several distinct values of a picklist
	FieldUser          = "user"           // a member's user id
	FieldReference     = "reference"      // {"type": "account", "id": 12}
)

// CustomFieldTypes lists every custom field type, in the order forms show them.
var CustomFieldTypes = []string{FieldText, FieldLongText, FieldNumber, FieldMoney, FieldDate,
	FieldBoolean, FieldPicklist, FieldMultiPicklist, FieldUser, FieldReference}

// SalesRecordTypes are the kinds of sales record that carry custom fields,
// notes and a timeline, by their entity type name.
var SalesRecordTypes = []string{"account", "contact", "lead", "deal"}

// IsSalesRecordType reports whether t names a kind of sales record.
func IsSalesRecordType(t string) bool { return slices.Contains(SalesRecordTypes, t) }

// Limits on custom field values, so a field cannot become a file store.
const (
	MaxCustomText     = 255
	MaxCustomLongText = 10000
	MaxCustomPurpose  = 500
)

// CustomField defines one custom field of a kind of record. Its purpose says
// why it exists and who uses it; it is shown wherever the field is asked
// for, so nobody fills a field without knowing why, and fields nobody uses
// can be found (see CustomFieldUsage) and removed.
type CustomField struct {
	ID         int64  `json:"id"`
	EntityType string `json:"entity_type"`
	// Key names the value in the record's custom object.
	Key   string `json:"key"`
	Label string `json:"label"`
	Type  string `json:"type"`
	// Purpose is why the field exists and who uses it.
	Purpose string `json:"purpose"`
	// Picklist names the picklist whose values a (multi) picklist field takes.
	Picklist string `json:"picklist,omitempty"`
	Required bool   `json:"required"`
	Position int    `json:"position"`
	// Options are the picklist's active values, for forms and validation.
	Options []string `json:"options,omitempty"`
	// RetiredAt is set when the field may no longer be set; records keep
	// the values they have.
	RetiredAt *time.Time `json:"retired_at"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	Version   int64      `json:"version"`
}

var customFieldKeyRE = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// IsCustomFieldKey reports whether k is a valid custom field key: snake_case,
// starting with a letter, at most 63 characters. Such keys are safe to name
// in SQL.
func IsCustomFieldKey(k string) bool { return len(k) <= 63 && customFieldKeyRE.MatchString(k) }

// NewCustomField is the input to define a custom field.
type NewCustomField struct {
	EntityType string `json:"entity_type"`
	Key        string `json:"key"`
	Label      string `json:"label"`
	Type       string `json:"type"`
	Purpose    string `json:"purpose"`
	Picklist   string `json:"picklist,omitempty"`
	Required   bool   `json:"required,omitempty"`
	Position   int    `json:"position,omitempty"`
}

// Validate checks and normalises the definition.
func (f *NewCustomField) Validate() error {
	var v Validation
	f.Key = strings.TrimSpace(f.Key)
	f.Label = strings.TrimSpace(f.Label)
	f.Purpose = strings.TrimSpace(f.Purpose)
	f.Picklist = strings.TrimSpace(f.Picklist)
	if !IsSalesRecordType(f.EntityType) {
		v.Add("entity_type", "must be one of %s", strings.Join(SalesRecordTypes, ", "))
	}
	if !IsCustomFieldKey(f.Key) {
		v.Add("key", "must be snake_case: lowercase letters and digits separated by single underscores, starting with a letter, at most 63 characters")
	}
	validateCustomLabel(&v, f.Label)
	if !slices.Contains(CustomFieldTypes, f.Type) {
		v.Add("type", "must be one of %s", strings.Join(CustomFieldTypes, ", "))
	}
	validateCustomPurpose(&v, f.Purpose)
	validateCustomPicklist(&v, f.Type, f.Picklist)
	return v.Err()
}

func validateCustomLabel(v *Validation, label string) {
	v.Require("label", label)
	if utf8.RuneCountInString(label) > 100 {
		v.Add("label", "must be at most 100 characters")
	}
}

func validateCustomPurpose(v *Validation, purpose string) {
	if purpose == "" {
		v.Add("purpose", "is required: say why the field exists and who uses it, so sellers know why they fill it")
	}
	if utf8.RuneCountInString(purpose) > MaxCustomPurpose {
		v.Add("purpose", "must be at most %d characters", MaxCustomPurpose)
	}
}

func validateCustomPicklist(v *Validation, typ, picklist string) {
	isList := typ == FieldPicklist || typ == FieldMultiPicklist
	switch {
	case isList && picklist == "":
		v.Add("picklist", "is required for %s fields: name the picklist whose values the field takes", typ)
	case !isList && picklist != "":
		v.Add("picklist", "only picklist and multi_picklist fields take a picklist")
	case len(picklist) > 63:
		v.Add("picklist", "must be at most 63 characters")
	}
}

// CustomFieldUpdate changes a custom field; nil fields are unchanged. The
// entity type, key and type never change, so stored values stay valid.
type CustomFieldUpdate struct {
	Label    *string `json:"label,omitempty"`
	Purpose  *string `json:"purpose,omitempty"`
	Picklist *string `json:"picklist,omitempty"`
	Required *bool   `json:"required,omitempty"`
	Position *int    `json:"position,omitempty"`
	// Retired retires (true) or reinstates (false) the field.
	Retired *bool `json:"retired,omitempty"`
}

// Apply validates the update and applies it to f at time now.
func (u *CustomFieldUpdate) Apply(f *CustomField, now time.Time) error {
	var v Validation
	if u.Label != nil {
		f.Label = strings.TrimSpace(*u.Label)
		validateCustomLabel(&v, f.Label)
	}
	if u.Purpose != nil {
		f.Purpose = strings.TrimSpace(*u.Purpose)
		validateCustomPurpose(&v, f.Purpose)
	}
	if u.Picklist != nil {
		f.Picklist = strings.TrimSpace(*u.Picklist)
		validateCustomPicklist(&v, f.Type, f.Picklist)
	}
	if u.Required != nil {
		f.Required = *u.Required
	}
	if u.Position != nil {
		f.Position = *u.Position
	}
	if u.Retired != nil {
		switch {
		case *u.Retired && f.RetiredAt == nil:
			f.RetiredAt = &now
		case !*u.Retired:
			f.RetiredAt = nil
		}
	}
	return v.Err()
}

// CustomFieldUsage says how much a custom field is used: how many live
// records of its kind have a value in it, out of how many.
type CustomFieldUsage struct {
	Field   *CustomField `json:"field"`
	Filled  int64        `json:"filled"`
	Records int64        `json:"records"`
	// FillRate is Filled / Records, 0 when there are no records.
	FillRate float64 `json:"fill_rate"`
}

// CustomRef is the value of a reference field: another sales record.
type CustomRef struct {
	Type string `json:"type"`
	ID   int64  `json:"id"`
}

// CustomMoney is the value of a money field: minor units and a currency.
type CustomMoney struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// ValidateCustom checks the custom values of a record against its kind's
// field definitions, on every write. values is the record's whole custom
// object after the write; prev is the object before it (nil on create).
//
// Keys that name no field are refused. A value equal to the one the record
// already had is always accepted, so records keep values of retired fields
// and retired picklist values; anything else must match the field's type,
// and retired fields cannot be newly set. A null, "" or [] value clears the field.
// Required fields must be set when a record is created and may not be
// cleared later; records that predate the requirement are not blocked.
//
// Picklist values are checked against each field's Options (the active
// values, loaded by the caller). User and reference values are checked for
// shape here; that the member or record exists is the service's job.
// Errors name each field as custom.<key>.
func ValidateCustom(defs []CustomField, values map[string]json.RawMessage, prev map[string]json.RawMessage) error {
	var v Validation
	byKey := make(map[string]*CustomField, len(defs))
	for i := range defs {
		byKey[defs[i].Key] = &defs[i]
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		raw := values[k]
		name := "custom." + k
		def, ok := byKey[k]
		if !ok {
			v.Add(name, "is not a custom field of this kind of record")
			continue
		}
		if CustomEmpty(raw) {
			continue // null, "" and [] clear the field, which is always allowed
		}
		var old json.RawMessage
		if prev != nil {
			old = prev[k]
		}
		if old != nil && jsonEqual(old, raw) {
			continue
		}
		if def.RetiredAt != nil {
			v.Add(name, "is retired: records keep their old values but it cannot be set")
			continue
		}
		if msg := checkCustomValue(def, raw, old); msg != "" {
			v.Add(name, "%s", msg)
		}
	}
	for i := range defs {
		def := &defs[i]
		if !def.Required || def.RetiredAt != nil || !CustomEmpty(values[def.Key]) {
			continue
		}
		if prev == nil || !CustomEmpty(prev[def.Key]) {
			v.Add("custom."+def.Key, "is required (%s)", def.Purpose)
		}
	}
	return v.Err()
}

// checkCustomValue checks one value against its field's type and returns
// why it is refused, or "".
func checkCustomValue(def *CustomField, raw, old json.RawMessage) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return "is not valid JSON"
	}
	switch def.Type {
	case FieldText, FieldLongText:
		s, ok := x.(string)
		if !ok {
			return "must be a string"
		}
		limit := MaxCustomText
		if def.Type == FieldLongText {
			limit = MaxCustomLongText
		}
		if utf8.RuneCountInString(s) > limit {
			return fmt.Sprintf("must be at most %d characters", limit)
		}
	case FieldNumber:
		n, ok := x.(json.Number)
		if !ok {
			return "must be a number"
		}
		if f, err := n.Float64(); err != nil || math.IsInf(f, 0) {
			return "must be a finite number"
		}
	case FieldMoney:
		m, ok := x.(map[string]any)
		if !ok {
			return `must be an object {"amount": minor units, "currency": "XXX"}`
		}
		for k := range m {
			if k != "amount" && k != "currency" {
				return fmt.Sprintf("has an unknown key %q; money is {\"amount\", \"currency\"}", k)
			}
		}
		if n, ok := customWholeNumber(m["amount"]); !ok || n > MaxAmount || n < -MaxAmount {
			return "amount must be a whole number of minor units (cents), not a decimal"
		}
		if c, ok := m["currency"].(string); !ok || !ValidCurrency(c) {
			return "currency must be a three-letter ISO 4217 code such as EUR"
		}
	case FieldDate:
		s, ok := x.(string)
		if !ok {
			return "must be a date string YYYY-MM-DD"
		}
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return fmt.Sprintf("%q is not a date (YYYY-MM-DD)", s)
		}
	case FieldBoolean:
		if _, ok := x.(bool); !ok {
			return "must be true or false"
		}
	case FieldPicklist:
		s, ok := x.(string)
		if !ok {
			return "must be a string, one of the picklist's values"
		}
		if !slices.Contains(def.Options, s) {
			return fmt.Sprintf("%q is not a value of picklist %s; choose one of: %s", s, def.Picklist, strings.Join(def.Options, ", "))
		}
	case FieldMultiPicklist:
		arr, ok := x.([]any)
		if !ok {
			return "must be an array of the picklist's values"
		}
		// Values the record already had stay valid even once retired.
		var had []string
		_ = json.Unmarshal(old, &had)
		seen := map[string]bool{}
		for _, e := range arr {
			s, ok := e.(string)
			if !ok {
				return "must be an array of strings"
			}
			if seen[s] {
				return fmt.Sprintf("lists %q twice", s)
			}
			seen[s] = true
			if !slices.Contains(def.Options, s) && !slices.Contains(had, s) {
				return fmt.Sprintf("%q is not a value of picklist %s; choose from: %s", s, def.Picklist, strings.Join(def.Options, ", "))
			}
		}
	case FieldUser:
		if id, ok := customWholeNumber(x); !ok || id <= 0 {
			return "must be a member's user id"
		}
	case FieldReference:
		m, ok := x.(map[string]any)
		if !ok {
			return `must be an object {"type": "account", "id": 12}`
		}
		for k := range m {
			if k != "type" && k != "id" {
				return fmt.Sprintf("has an unknown key %q; a reference is {\"type\", \"id\"}", k)
			}
		}
		if t, ok := m["type"].(string); !ok || !IsSalesRecordType(t) {
			return "type must be one of " + strings.Join(SalesRecordTypes, ", ")
		}
		if id, ok := customWholeNumber(m["id"]); !ok || id <= 0 {
			return "id must be a positive whole number"
		}
	default:
		return fmt.Sprintf("has unknown type %q", def.Type)
	}
	return ""
}

// customWholeNumber returns x as an int64 when it is a JSON integer.
func customWholeNumber(x any) (int64, bool) {
	n, ok := x.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := strconv.ParseInt(n.String(), 10, 64)
	return i, err == nil
}

// SameCustomValue reports whether two custom values are the same, ignoring
// formatting and treating every empty value alike.
func SameCustomValue(x, y json.RawMessage) bool { return jsonEqual(x, y) }

// CustomEmpty reports whether a custom value counts as not filled in: absent,
// null, "", [] or {}. Such values clear the field.
func CustomEmpty(r json.RawMessage) bool { return canonical(r) == nil }

// CustomFieldService manages custom field definitions. Every member reads
// them (forms need them); only admins change them.
type CustomFieldService interface {
	FindCustomFields(ctx context.Context, a *Actor, entityType string) ([]*CustomField, error)
	FindCustomField(ctx context.Context, a *Actor, id int64) (*CustomField, error)
	CreateCustomField(ctx context.Context, a *Actor, in NewCustomField) (*CustomField, error)
	UpdateCustomField(ctx context.Context, a *Actor, id, version int64, u CustomFieldUpdate) (*CustomField, error)
	DeleteCustomField(ctx context.Context, a *Actor, id, version int64) error
	CustomFieldUsage(ctx context.Context, a *Actor, entityType string) ([]*CustomFieldUsage, error)
}
