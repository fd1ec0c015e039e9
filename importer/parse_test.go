package importer

import (
	"testing"

	"github.com/attain-crm/attain"
)

func TestParseMoney(t *testing.T) {
	for _, c := range []struct {
		in, decimal, def string
		want             int64
		cur              string
		bad              bool
	}{
		{"$1,234.50", "", "EUR", 123450, "USD", false},
		{"1.234,50 €", "", "USD", 123450, "EUR", false},
		{"EUR 99", "", "USD", 9900, "EUR", false},
		{"1000 usd", "", "EUR", 100000, "USD", false},
		{"(12.00)", "", "USD", -1200, "USD", false},
		{"-3 500,75", "", "EUR", -350075, "EUR", false},
		{"1'250.5", "", "CHF", 125050, "CHF", false},
		{"CHF 1'250.50", "", "EUR", 125050, "CHF", false},
		{"£0.99", "", "USD", 99, "GBP", false},
		{"¥1,000", "", "USD", 1000, "JPY", false},
		{"1,000", "", "USD", 100000, "USD", false},  // a lone comma before three digits groups thousands
		{"1,5", "", "EUR", 150, "EUR", false},       // otherwise it is the decimal mark
		{"1.000", ",", "EUR", 100000, "EUR", false}, // told: decimal comma
		{"12.345", ".", "USD", 0, "", true},         // too many decimals for USD
		{"1,2,3", "", "USD", 0, "", true},
		{"abc", "", "USD", 0, "", true},
		{"", "", "USD", 0, "", true},
		{"1.234.567,89", "", "EUR", 123456789, "EUR", false},
		{"1,234,567.89", "", "USD", 123456789, "USD", false},
	} {
		n, cur, err := ParseMoney(c.in, c.decimal, c.def)
		if (err != nil) != c.bad || (!c.bad && (n != c.want || cur != c.cur)) {
			t.Errorf("ParseMoney(%q, %q) = %d %s %v; want %d %s bad=%v", c.in, c.decimal, n, cur, err, c.want, c.cur, c.bad)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, c := range []struct {
		in, format, want string
		bad              bool
	}{
		{"2026-03-31", "", "2026-03-31", false},
		{"2026-03-31T10:00:00Z", "", "2026-03-31", false},
		{"2026-03-31 10:00", "", "2026-03-31", false},
		{"31/03/2026", "", "2026-03-31", false},
		{"03/31/2026", "", "2026-03-31", false},
		{"03/04/2026", "", "", true}, // ambiguous
		{"03/04/2026", "DD/MM/YYYY", "2026-04-03", false},
		{"03/04/2026", "MM/DD/YYYY", "2026-03-04", false},
		{"3.4.2026", "DD.MM.YYYY", "2026-04-03", false},
		{"2026/3/4", "", "2026-03-04", false},
		{"31/02/2026", "DD/MM/YYYY", "", true},
		{"soon", "", "", true},
	} {
		d, err := ParseDate(c.in, c.format)
		if (err != nil) != c.bad || (!c.bad && d.String() != c.want) {
			t.Errorf("ParseDate(%q, %q) = %s %v; want %s bad=%v", c.in, c.format, d, err, c.want, c.bad)
		}
	}
	if f := GuessDateFormat([]string{"03/04/2026", "25/12/2026"}); f != "DD/MM/YYYY" {
		t.Errorf("guess day first: %q", f)
	}
	if f := GuessDateFormat([]string{"03/04/2026", "12/25/2026"}); f != "MM/DD/YYYY" {
		t.Errorf("guess month first: %q", f)
	}
	if f := GuessDateFormat([]string{"2026-03-04"}); f != "" {
		t.Errorf("guess iso: %q", f)
	}
}

func TestGuess(t *testing.T) {
	custom := []attain.CustomField{{Key: "tier", Label: "Customer Tier"}}
	for kind, cases := range map[string]map[string]string{
		attain.KindAccounts: {"Account Name": "name", "Company Domain Name": "domain", "Billing Country": "country",
			"Account Owner": "owner", "Customer Tier": "custom.tier", "Number of Employees": "size", "Whatever": ""},
		attain.KindContacts: {"First Name": "first_name", "Last Name": "last_name", "E-mail Address": "email", "Company Name": "account",
			"Job Title": "title", "Mobile Phone": "phone", "Contact owner": "owner"},
		attain.KindDeals: {"Deal Name": "name", "Deal Stage": "stage", "Amount": "amount", "Close Date": "close_date",
			"Deal owner": "owner", "Pipeline": "pipeline", "Associated Company": "account"},
		attain.KindLeads: {"Lead Source": "source", "Lead Status": "status", "Company": "company", "Email": "email"},
	} {
		var header []string
		for h := range cases {
			header = append(header, h)
		}
		got := Guess(kind, header, custom)
		for h, want := range cases {
			if got[h] != want {
				t.Errorf("%s: %q mapped to %q, want %q", kind, h, got[h], want)
			}
		}
	}
	// A field takes the first column naming it.
	got := Guess(attain.KindAccounts, []string{"Name", "Account Name"}, nil)
	if got["Name"] != "name" || got["Account Name"] != "" {
		t.Errorf("duplicates: %v", got)
	}
}

func TestGuessDelimiter(t *testing.T) {
	for in, want := range map[string]rune{"a,b,c": ',', "a;b;c": ';', "a\tb": '\t', `"x;y",b,c`: ',', "a|b": '|'} {
		if got := GuessDelimiter(in); got != want {
			t.Errorf("GuessDelimiter(%q) = %q", in, got)
		}
	}
}

// FuzzParseMoney checks that no input panics and that whatever parses
// is within the allowed range.
func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"$1,234.50", "1.234,50 €", "(12)", "EUR 1", "-", "1'000", "¥"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, _, err := ParseMoney(s, "", "USD")
		if err == nil && (n > attain.MaxAmount || n < -attain.MaxAmount) {
			t.Fatalf("%q parsed to %d", s, n)
		}
		_, _ = ParseDate(s, "")
		_, _ = ParseInt(s, ",")
	})
}
