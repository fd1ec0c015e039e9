package attain

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
)

func TestDomainOf(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.Acme.com/about?x=1": "acme.com",
		"www.acme.com":                   "acme.com",
		"acme.co.uk":                     "acme.co.uk",
		"http://shop.acme.com:8080/":     "shop.acme.com",
		"ACME.COM.":                      "acme.com",
		"https://wwwacme.com":            "wwwacme.com",
		"https://münchen.example":        "münchen.example",
		"":                               "",
		"localhost":                      "",
		"not a domain":                   "",
		"https://-bad-.com":              "",
		"mailto:x@acme.com":              "",
	} {
		if got := DomainOf(in); got != want {
			t.Errorf("DomainOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNameKey(t *testing.T) {
	if a, b := NameKey("  ACME   Corp "), NameKey("acme corp"); a != b || a != "acme corp" {
		t.Errorf("keys %q and %q", a, b)
	}
	if NameKey("Acme Corp") == NameKey("AcmeCorp") {
		t.Error("spaces inside a name are not ignored, only collapsed")
	}
}

func TestAccountValidate(t *testing.T) {
	a := &Account{Name: " Acme ", Website: "www.acme.com", Country: " fr", Tags: []string{"Key  Account", "key account", " ", "EMEA"},
		ExternalID: new(string)}
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	if a.Name != "Acme" || a.Website != "https://www.acme.com" || a.Domain != "acme.com" || a.Country != "FR" ||
		!slices.Equal(a.Tags, []string{"key account", "emea"}) || a.ExternalID != nil {
		t.Errorf("normalised to %+v", a)
	}

	bad := &Account{ID: 7, ParentID: ptr(int64(7)), Country: "UK", Website: "ftp://acme.com",
		Tags: []string{"ok", `quo"te`, "x234567890123456789012345678901234567890123456789012"}}
	var e *Error
	if err := bad.Validate(); !errors.As(err, &e) {
		t.Fatalf("Validate = %v", err)
	}
	var fields []string
	for _, f := range e.Fields {
		fields = append(fields, f.Field)
	}
	for _, f := range []string{"name", "parent_id", "country", "website", "tags"} {
		if !slices.Contains(fields, f) {
			t.Errorf("fields %v lack %s", fields, f)
		}
	}
}

func TestAccountUpdateApply(t *testing.T) {
	var u AccountUpdate
	if err := json.Unmarshal([]byte(`{"website":"https://globex.example","parent_id":null,"custom":{"a":null,"b":2}}`), &u); err != nil {
		t.Fatal(err)
	}
	a := &Account{Name: "Acme", Website: "https://acme.example", Domain: "acme.example", ParentID: ptr(int64(3)),
		TeamID: ptr(int64(4)), Custom: map[string]json.RawMessage{"a": json.RawMessage(`1`)}}
	u.Apply(a)
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	if a.Domain != "globex.example" || a.ParentID != nil || a.TeamID == nil || string(a.Custom["b"]) != "2" || a.Custom["a"] != nil {
		t.Errorf("after apply %+v", a)
	}
	// A domain typed apart from the website survives a new website.
	a.Domain = "acme.com"
	AccountUpdate{Website: ptr("https://acme.fr")}.Apply(a)
	if err := a.Validate(); err != nil || a.Domain != "acme.com" {
		t.Errorf("domain %q, err %v", a.Domain, err)
	}
}

func TestNullable(t *testing.T) {
	var v struct {
		A Nullable[int64] `json:"a,omitzero"`
		B Nullable[int64] `json:"b,omitzero"`
		C Nullable[int64] `json:"c,omitzero"`
	}
	if err := json.Unmarshal([]byte(`{"a":null,"b":5}`), &v); err != nil {
		t.Fatal(err)
	}
	if !v.A.Set || v.A.Value != nil || !v.B.Set || *v.B.Value != 5 || v.C.Set {
		t.Errorf("decoded %+v", v)
	}
	out, _ := json.Marshal(v)
	if string(out) != `{"a":null,"b":5}` {
		t.Errorf("encoded %s", out)
	}
	if err := json.Unmarshal([]byte(`{"a":"x"}`), &v); err == nil {
		t.Error("a string decoded into a Nullable[int64]")
	}
}

func TestCountries(t *testing.T) {
	if len(countries) != 249 {
		t.Errorf("%d countries, want the 249 assigned ISO 3166-1 codes", len(countries))
	}
	for _, c := range []string{"FR", "US", "GB", "SS", "CW", "AQ"} {
		if !ValidCountry(c) {
			t.Errorf("%s refused", c)
		}
	}
	for _, c := range []string{"UK", "EU", "XK", "SU", "fr", "FRA", ""} {
		if ValidCountry(c) {
			t.Errorf("%s accepted", c)
		}
	}
}

func TestContactValidate(t *testing.T) {
	c := &Contact{LastName: " Doe ", Email: " John@Example.COM ", Emails: []string{"john@example.com", "J@Home.example", "j@home.example"},
		Phone: " +1 (555)  010-0000 ", Phones: []string{"+1 (555) 010-0000", "555 0101 ext 12"}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Email != "john@example.com" || !slices.Equal(c.Emails, []string{"j@home.example"}) || c.Phone != "+1 (555) 010-0000" ||
		!slices.Equal(c.Phones, []string{"555 0101 ext 12"}) || c.Name() != "Doe" {
		t.Errorf("normalised to %+v", c)
	}
	for _, bad := range []Contact{
		{LastName: "x", Email: "John <john@example.com>"},
		{LastName: "x", Phone: "12"},
		{LastName: "x", Phone: "call me"},
		{LastName: "x", Phone: "1+234567"},
		{Email: "a@b.example"},
	} {
		if err := bad.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestContactRoleInputValidate(t *testing.T) {
	in := ContactRoleInput{Role: " champion ", Influence: "HIGH", Attitude: " Skeptic"}
	if err := in.Validate(); err != nil || in.Role != "champion" || in.Influence != "high" || in.Attitude != "skeptic" {
		t.Errorf("%+v, %v", in, err)
	}
	bad := ContactRoleInput{Influence: "huge", Attitude: "meh"}
	var e *Error
	if err := bad.Validate(); !errors.As(err, &e) || len(e.Fields) != 3 {
		t.Errorf("Validate = %v", err)
	}
}

func ptr[T any](v T) *T { return &v }
