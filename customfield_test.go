package attain_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/attain-crm/attain"
)

// customDefs is one field of every type, plus a required one and a retired one.
func customDefs() []attain.CustomField {
	retired := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	return []attain.CustomField{
		{Key: "po_ref", Type: attain.FieldText, Purpose: "finance matches invoices"},
		{Key: "brief", Type: attain.FieldLongText, Purpose: "context for the next rep"},
		{Key: "seats", Type: attain.FieldNumber, Purpose: "sizes the deal"},
		{Key: "budget", Type: attain.FieldMoney, Purpose: "qualification"},
		{Key: "renewal", Type: attain.FieldDate, Purpose: "renewal planning"},
		{Key: "signed_nda", Type: attain.FieldBoolean, Purpose: "legal"},
		{Key: "tier", Type: attain.FieldPicklist, Picklist: "tier", Options: []string{"gold", "silver"}, Purpose: "support routing"},
		{Key: "channels", Type: attain.FieldMultiPicklist, Picklist: "channel", Options: []string{"web", "phone", "partner"}, Purpose: "channel strategy"},
		{Key: "sponsor", Type: attain.FieldUser, Purpose: "exec sponsor"},
		{Key: "partner", Type: attain.FieldReference, Purpose: "partner account"},
		{Key: "region_code", Type: attain.FieldText, Required: true, Purpose: "needed by finance for tax"},
		{Key: "old_score", Type: attain.FieldNumber, RetiredAt: &retired, Purpose: "replaced by the forecast"},
	}
}

// raw builds a custom object from key, JSON pairs.
func raw(kv ...string) map[string]json.RawMessage {
	m := map[string]json.RawMessage{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = json.RawMessage(kv[i+1])
	}
	return m
}

func TestValidateCustom(t *testing.T) {
	t.Parallel()
	base := []string{"region_code", `"FR"`} // satisfies the required field
	tests := []struct {
		name   string
		values []string
		prev   []string // nil: a create
		update bool
		want   []string // invalid fields
		msg    string   // part of the first message
	}{
		{name: "empty create misses required", want: []string{"custom.region_code"}, msg: "needed by finance for tax"},
		{name: "required only", values: base},
		{name: "text", values: []string{"po_ref", `"PO-1"`}},
		{name: "text not a string", values: []string{"po_ref", `12`}, want: []string{"custom.po_ref"}, msg: "string"},
		{name: "text too long", values: []string{"po_ref", `"` + strings.Repeat("x", attain.MaxCustomText+1) + `"`}, want: []string{"custom.po_ref"}, msg: "at most"},
		{name: "long text", values: []string{"brief", `"` + strings.Repeat("x", 5000) + `"`}},
		{name: "long text too long", values: []string{"brief", `"` + strings.Repeat("x", attain.MaxCustomLongText+1) + `"`}, want: []string{"custom.brief"}},
		{name: "long text not a string", values: []string{"brief", `["a"]`}, want: []string{"custom.brief"}},
		{name: "number int", values: []string{"seats", `12`}},
		{name: "number decimal", values: []string{"seats", `-12.5e3`}},
		{name: "number as string", values: []string{"seats", `"12"`}, want: []string{"custom.seats"}, msg: "number"},
		{name: "number bool", values: []string{"seats", `true`}, want: []string{"custom.seats"}},
		{name: "number overflow", values: []string{"seats", `1e999`}, want: []string{"custom.seats"}},
		{name: "money", values: []string{"budget", `{"amount": 1250000, "currency": "EUR"}`}},
		{name: "money negative", values: []string{"budget", `{"amount": -5, "currency": "USD"}`}},
		{name: "money decimal amount", values: []string{"budget", `{"amount": 12.50, "currency": "EUR"}`}, want: []string{"custom.budget"}, msg: "minor units"},
		{name: "money amount string", values: []string{"budget", `{"amount": "12", "currency": "EUR"}`}, want: []string{"custom.budget"}},
		{name: "money bad currency", values: []string{"budget", `{"amount": 12, "currency": "eur"}`}, want: []string{"custom.budget"}, msg: "ISO 4217"},
		{name: "money missing currency", values: []string{"budget", `{"amount": 12}`}, want: []string{"custom.budget"}},
		{name: "money extra key", values: []string{"budget", `{"amount": 12, "currency": "EUR", "cents": true}`}, want: []string{"custom.budget"}, msg: "unknown key"},
		{name: "money bare number", values: []string{"budget", `1200`}, want: []string{"custom.budget"}},
		{name: "money too large", values: []string{"budget", `{"amount": 9000000000000000000, "currency": "EUR"}`}, want: []string{"custom.budget"}},
		{name: "date", values: []string{"renewal", `"2026-02-28"`}},
		{name: "date impossible", values: []string{"renewal", `"2026-02-30"`}, want: []string{"custom.renewal"}, msg: "not a date"},
		{name: "date with time", values: []string{"renewal", `"2026-02-28T10:00:00Z"`}, want: []string{"custom.renewal"}},
		{name: "date number", values: []string{"renewal", `20260228`}, want: []string{"custom.renewal"}},
		{name: "boolean", values: []string{"signed_nda", `false`}},
		{name: "boolean string", values: []string{"signed_nda", `"true"`}, want: []string{"custom.signed_nda"}, msg: "true or false"},
		{name: "picklist", values: []string{"tier", `"gold"`}},
		{name: "picklist unknown value", values: []string{"tier", `"bronze"`}, want: []string{"custom.tier"}, msg: "gold, silver"},
		{name: "picklist not a string", values: []string{"tier", `1`}, want: []string{"custom.tier"}},
		{name: "multi picklist", values: []string{"channels", `["web", "partner"]`}},
		{name: "multi picklist unknown", values: []string{"channels", `["web", "fax"]`}, want: []string{"custom.channels"}, msg: "fax"},
		{name: "multi picklist duplicate", values: []string{"channels", `["web", "web"]`}, want: []string{"custom.channels"}, msg: "twice"},
		{name: "multi picklist scalar", values: []string{"channels", `"web"`}, want: []string{"custom.channels"}},
		{name: "multi picklist non-strings", values: []string{"channels", `[1]`}, want: []string{"custom.channels"}},
		{name: "user", values: []string{"sponsor", `7`}},
		{name: "user zero", values: []string{"sponsor", `0`}, want: []string{"custom.sponsor"}},
		{name: "user string", values: []string{"sponsor", `"7"`}, want: []string{"custom.sponsor"}},
		{name: "user decimal", values: []string{"sponsor", `7.5`}, want: []string{"custom.sponsor"}},
		{name: "reference", values: []string{"partner", `{"type": "account", "id": 3}`}},
		{name: "reference bad type", values: []string{"partner", `{"type": "product", "id": 3}`}, want: []string{"custom.partner"}, msg: "account, contact, lead, deal"},
		{name: "reference bad id", values: []string{"partner", `{"type": "deal", "id": -1}`}, want: []string{"custom.partner"}},
		{name: "reference missing id", values: []string{"partner", `{"type": "deal"}`}, want: []string{"custom.partner"}},
		{name: "reference extra key", values: []string{"partner", `{"type": "deal", "id": 1, "name": "x"}`}, want: []string{"custom.partner"}},
		{name: "reference bare id", values: []string{"partner", `3`}, want: []string{"custom.partner"}},
		{name: "unknown key", values: []string{"colour", `"red"`}, want: []string{"custom.colour"}, msg: "not a custom field"},
		{name: "null clears", values: []string{"po_ref", `null`, "seats", `null`}},
		{name: "empty string clears a number", values: []string{"seats", `""`}},
		{name: "retired field cannot be set", values: []string{"old_score", `3`}, want: []string{"custom.old_score"}, msg: "retired"},
		{name: "retired field keeps its value", values: []string{"old_score", `3`}, prev: []string{"old_score", `3`}, update: true},
		{name: "retired field cannot change", values: []string{"old_score", `4`}, prev: []string{"old_score", `3`}, update: true, want: []string{"custom.old_score"}},
		{name: "retired field may be cleared", values: []string{"old_score", `null`}, prev: []string{"old_score", `3`}, update: true},
		{name: "retired picklist value is kept", values: []string{"tier", `"platinum"`}, prev: []string{"tier", `"platinum"`}, update: true},
		{name: "retired multi value is kept beside a new one", values: []string{"channels", `["fax", "web"]`}, prev: []string{"channels", `["fax"]`}, update: true},
		{name: "update without the required value", values: []string{"po_ref", `"x"`}, prev: []string{}, update: true},
		{name: "required cannot be cleared", values: []string{"region_code", `""`}, prev: []string{"region_code", `"FR"`}, update: true, want: []string{"custom.region_code"}, msg: "is required"},
		{name: "every error at once", values: []string{"seats", `"x"`, "tier", `"x"`, "zzz", `1`}, want: []string{"custom.seats", "custom.tier", "custom.zzz", "custom.region_code"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			values := raw(tt.values...)
			if !tt.update && tt.name != "empty create misses required" && tt.name != "every error at once" {
				values["region_code"] = json.RawMessage(`"FR"`)
			}
			var prev map[string]json.RawMessage
			if tt.update {
				prev = raw(tt.prev...)
			}
			err := attain.ValidateCustom(customDefs(), values, prev)
			if diff := cmp.Diff(tt.want, fields(t, err)); diff != "" {
				t.Fatalf("invalid fields (-want +got):\n%s\nerr: %v", diff, err)
			}
			if tt.msg != "" {
				var e *attain.Error
				errors.As(err, &e)
				if !strings.Contains(e.Fields[0].Message, tt.msg) {
					t.Errorf("message %q does not mention %q", e.Fields[0].Message, tt.msg)
				}
			}
		})
	}
}

func TestNewCustomFieldValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   attain.NewCustomField
		want []string
	}{
		{"ok", attain.NewCustomField{EntityType: "deal", Key: "po_number", Label: "PO number", Type: "text", Purpose: "Finance needs it to invoice"}, nil},
		{"picklist", attain.NewCustomField{EntityType: "account", Key: "tier", Label: "Tier", Type: "picklist", Picklist: "tier", Purpose: "Support routing"}, nil},
		{"no purpose", attain.NewCustomField{EntityType: "deal", Key: "po", Label: "PO", Type: "text", Purpose: "  "}, []string{"purpose"}},
		{"bad key", attain.NewCustomField{EntityType: "deal", Key: "PO Number", Label: "PO", Type: "text", Purpose: "x"}, []string{"key"}},
		{"double underscore", attain.NewCustomField{EntityType: "deal", Key: "po__n", Label: "PO", Type: "text", Purpose: "x"}, []string{"key"}},
		{"bad entity", attain.NewCustomField{EntityType: "product", Key: "po", Label: "PO", Type: "text", Purpose: "x"}, []string{"entity_type"}},
		{"bad type", attain.NewCustomField{EntityType: "deal", Key: "po", Label: "PO", Type: "float", Purpose: "x"}, []string{"type"}},
		{"picklist without list", attain.NewCustomField{EntityType: "deal", Key: "po", Label: "PO", Type: "multi_picklist", Purpose: "x"}, []string{"picklist"}},
		{"list on text", attain.NewCustomField{EntityType: "deal", Key: "po", Label: "PO", Type: "text", Picklist: "x", Purpose: "x"}, []string{"picklist"}},
		{"no label", attain.NewCustomField{EntityType: "deal", Key: "po", Type: "text", Purpose: "x"}, []string{"label"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.in.Validate()
			if diff := cmp.Diff(tt.want, fields(t, err)); diff != "" {
				t.Errorf("invalid fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTimelineItemJSON(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	actor := int64(4)
	it := attain.TimelineItem{Kind: attain.TimelineNote, At: at, ActorID: &actor, ID: 9,
		Payload: &attain.Note{ID: 9, EntityType: "deal", EntityID: 2, Body: "hello", AuthorID: 4}}
	b, err := json.Marshal(it)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{"kind": "note", "at": "2026-03-01T09:30:00Z", "actor_id": 4.0, "id": 9.0, "body": "hello", "entity_type": "deal"} {
		if got[k] != want {
			t.Errorf("%s = %v, want %v (in %s)", k, got[k], want, b)
		}
	}
}

func TestTimelineOrder(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	a := &attain.TimelineItem{Kind: "note", At: t0.Add(time.Hour), ID: 1}
	b := &attain.TimelineItem{Kind: "note", At: t0, ID: 2}
	c := &attain.TimelineItem{Kind: "change", At: t0, ID: 3}
	d := &attain.TimelineItem{Kind: "change", At: t0, ID: 1}
	for _, p := range [][2]*attain.TimelineItem{{a, b}, {b, c}, {c, d}} {
		if !p[0].Less(p[1]) || p[1].Less(p[0]) {
			t.Errorf("%+v should come before %+v", p[0], p[1])
		}
	}
}
