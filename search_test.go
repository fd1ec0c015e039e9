package attain_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/attain-crm/attain"
)

func TestSearchTerms(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"acme", []string{"acme"}},
		{"  Acme   Corp ", []string{"Acme", "Corp"}},
		{"jane.doe@acme.com", []string{"jane", "doe", "acme", "com"}},
		{`"acme" OR NEAR(globex*) -initech`, []string{"acme", "OR", "NEAR", "globex", "initech"}},
		{"o'brien", []string{"o", "brien"}},
		{"Zürich", []string{"Zürich"}},
		{"Zu\u0308rich", []string{"Zu\u0308rich"}}, // a combining accent stays on its letter
		{"Москва 北京", []string{"Москва", "北京"}},
		{"+41 (44) 555-12", []string{"41", "44", "555", "12"}},
		{`* " ' - ( ) ^ : {}`, nil},
		{"bad\xffutf8", []string{"bad", "utf8"}},
		{"", nil},
		{"a b c d e f g h i j", []string{"a", "b", "c", "d", "e", "f", "g", "h"}},
		{strings.Repeat("x", 70), []string{strings.Repeat("x", attain.MaxSearchTermLength)}},
	} {
		if got := attain.SearchTerms(c.in); !slices.Equal(got, c.want) {
			t.Errorf("SearchTerms(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSearchQueryValidate(t *testing.T) {
	q := attain.SearchQuery{Q: "  acme ", Types: []string{"deal", " account", "deal", ""}}
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	if q.Q != "acme" || !slices.Equal(q.Types, []string{"deal", "account"}) || q.Limit != attain.DefaultSearchLimit {
		t.Errorf("normalised to %+v", q)
	}
	if !q.Searches("deal") || q.Searches("lead") {
		t.Errorf("Searches wrong for %v", q.Types)
	}
	for _, c := range []struct {
		q     attain.SearchQuery
		field string
	}{
		{attain.SearchQuery{Q: " \t"}, "q"},
		{attain.SearchQuery{Q: strings.Repeat("é", attain.MaxSearchLength+1)}, "q"},
		{attain.SearchQuery{Q: "acme", Types: []string{"planet"}}, "types"},
		{attain.SearchQuery{Q: "acme", Limit: -1}, "limit"},
		{attain.SearchQuery{Q: "acme", Limit: attain.MaxSearchLimit + 1}, "limit"},
	} {
		err := c.q.Validate()
		e, ok := err.(*attain.Error)
		if !ok || len(e.Fields) != 1 || e.Fields[0].Field != c.field {
			t.Errorf("%+v: %v, want an error naming %s", c.q, err, c.field)
		}
	}
}
