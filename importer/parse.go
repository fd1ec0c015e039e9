// Package importer reads the values of CSV files exported by people and by
// other CRMs: dates in several orders, numbers with decimal commas and
// thousands separators, amounts with currency symbols, and headers named
// the way Salesforce, HubSpot, Pipedrive or Zoho name them. It is pure
// computation; the service applies the results.
package importer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/attain-crm/attain"
)

// dateLayouts maps attain.DateFormats to Go layouts (day and month may
// have one or two digits).
var dateLayouts = map[string]string{
	"YYYY-MM-DD": "2006-1-2",
	"DD/MM/YYYY": "2/1/2006",
	"MM/DD/YYYY": "1/2/2006",
	"DD.MM.YYYY": "2.1.2006",
	"DD-MM-YYYY": "2-1-2006",
	"MM-DD-YYYY": "1-2-2006",
	"YYYY/MM/DD": "2006/1/2",
}

// ParseDate reads a date written in format (one of attain.DateFormats), or,
// when format is "", an ISO date (2026-03-31, optionally with a time, which
// is dropped) or a day/month/year whose order is plain from the numbers
// (31/03/2026). An ambiguous date (03/04/2026) asks for a format.
func ParseDate(s, format string) (attain.Date, error) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "T "); i >= 8 {
		s = s[:i] // a date with a time: keep the date
	}
	if format != "" {
		t, err := time.Parse(dateLayouts[format], s)
		if err != nil {
			return attain.Date{}, fmt.Errorf("%q is not a date written %s", s, format)
		}
		return attain.DateOf(t), nil
	}
	if t, err := time.Parse("2006-1-2", s); err == nil {
		return attain.DateOf(t), nil
	}
	if t, err := time.Parse("2006/1/2", s); err == nil {
		return attain.DateOf(t), nil
	}
	for _, sep := range []string{"/", ".", "-"} {
		parts := strings.Split(s, sep)
		if len(parts) != 3 || len(parts[2]) != 4 {
			continue
		}
		a, err1 := strconv.Atoi(parts[0])
		b, err2 := strconv.Atoi(parts[1])
		if err1 != nil || err2 != nil {
			break
		}
		var layout string
		switch {
		case a > 12 && b <= 12:
			layout = "2" + sep + "1" + sep + "2006"
		case b > 12 && a <= 12:
			layout = "1" + sep + "2" + sep + "2006"
		case a == b && a <= 12:
			layout = "1" + sep + "2" + sep + "2006"
		default:
			return attain.Date{}, fmt.Errorf("%q could be day/month or month/day; set date_format", s)
		}
		if t, err := time.Parse(layout, s); err == nil {
			return attain.DateOf(t), nil
		}
		break
	}
	return attain.Date{}, fmt.Errorf("%q is not a date (such as 2026-03-31)", s)
}

// ParseTime reads a timestamp: RFC 3339, "YYYY-MM-DD HH:MM[:SS]" (UTC), or
// a date as ParseDate reads it (midnight UTC).
func ParseTime(s, format string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	for _, l := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	d, err := ParseDate(s, format)
	if err != nil {
		return time.Time{}, err
	}
	return d.Time(), nil
}

// GuessDateFormat looks at the values of date columns and returns the
// format they share when some value settles the day/month order
// (13/04/2026 is day first), or "" when ISO dates or nothing settle it.
func GuessDateFormat(values []string) string {
	dayFirst, monthFirst := 0, 0
	sep := ""
	for _, s := range values {
		s = strings.TrimSpace(s)
		for _, c := range []string{"/", ".", "-"} {
			parts := strings.Split(s, c)
			if len(parts) != 3 || len(parts[2]) != 4 {
				continue
			}
			a, err1 := strconv.Atoi(parts[0])
			b, err2 := strconv.Atoi(parts[1])
			if err1 != nil || err2 != nil {
				continue
			}
			sep = c
			if a > 12 {
				dayFirst++
			}
			if b > 12 {
				monthFirst++
			}
		}
	}
	switch {
	case sep == "" || (dayFirst > 0 && monthFirst > 0):
		return ""
	case monthFirst > 0 && sep == "/":
		return "MM/DD/YYYY"
	case monthFirst > 0 && sep == "-":
		return "MM-DD-YYYY"
	case monthFirst > 0:
		return ""
	case sep == ".":
		return "DD.MM.YYYY" // dots are day first wherever they are used
	case dayFirst > 0 && sep == "/":
		return "DD/MM/YYYY"
	case dayFirst > 0 && sep == "-":
		return "DD-MM-YYYY"
	}
	return ""
}

// currencySymbols maps the symbols amounts are written with to currencies.
// "$" alone is the US dollar; other dollars write their prefix (CA$, A$).
var currencySymbols = []struct{ sym, code string }{
	{"US$", "USD"}, {"CA$", "CAD"}, {"C$", "CAD"}, {"A$", "AUD"}, {"AU$", "AUD"}, {"NZ$", "NZD"}, {"HK$", "HKD"}, {"S$", "SGD"},
	{"R$", "BRL"}, {"MX$", "MXN"}, {"$", "USD"}, {"€", "EUR"}, {"£", "GBP"}, {"¥", "JPY"}, {"₹", "INR"}, {"₩", "KRW"},
	{"₽", "RUB"}, {"₺", "TRY"}, {"zł", "PLN"}, {"kr", ""}, {"lei", "RON"}, {"Fr.", "CHF"}, {"CHF", "CHF"},
}

// CurrencyDigits returns how many minor-unit digits a currency has (ISO
// 4217): 0 for yen-like currencies, 3 for the dinars, else 2.
func CurrencyDigits(code string) int {
	switch code {
	case "JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG", "RWF", "KMF", "GNF", "VUV", "XPF", "DJF", "BIF":
		return 0
	case "BHD", "KWD", "OMR", "JOD", "TND", "LYD", "IQD":
		return 3
	}
	return 2
}

// ErrNoNumber is returned for text that holds no number at all.
var ErrNoNumber = errors.New("no number")

// ParseMoney reads an amount such as "$1,234.50", "1.234,50 €", "EUR 99",
// "(12.00)" or "-3 500,75" into minor units of its currency, without
// floating point. The currency is the one the text names (symbol or ISO
// code), else def. decimal is "." or ","; "" guesses per value: with both
// separators the last one is the decimal mark; a lone separator followed
// by exactly three digits groups thousands (1,000 and 1.000 are a
// thousand); otherwise it is the decimal mark.
func ParseMoney(s, decimal, def string) (amount int64, currency string, err error) {
	num, cur, err := splitCurrency(s)
	if err != nil {
		return 0, "", err
	}
	if cur == "" {
		cur = def
	}
	digits := CurrencyDigits(cur)
	n, err := parseDecimal(num, decimal, digits)
	if err != nil {
		return 0, "", fmt.Errorf("%q: %w", strings.TrimSpace(s), err)
	}
	return n, cur, nil
}

// ParseInt reads a whole number written with thousands separators.
func ParseInt(s, decimal string) (int64, error) {
	n, err := parseDecimal(strings.TrimSpace(s), decimal, 0)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number", strings.TrimSpace(s))
	}
	return n, nil
}

// ParseNumber reads a number with up to scale decimals as an integer
// scaled by 10^scale (ParseNumber("12,5", ",", 2) is 1250).
func ParseNumber(s, decimal string, scale int) (int64, error) {
	return parseDecimal(strings.TrimSpace(s), decimal, scale)
}

// splitCurrency takes the currency symbol or code off an amount.
func splitCurrency(s string) (num, cur string, err error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " "))
	// An ISO code before or after the number: "EUR 1.000", "1000 usd".
	if f := strings.Fields(s); len(f) >= 2 {
		for _, i := range []int{0, len(f) - 1} {
			c := strings.ToUpper(f[i])
			if len(c) == 3 && attain.ValidCurrency(c) && !strings.ContainsAny(c, "0123456789") {
				rest := append(append([]string{}, f[:i]...), f[i+1:]...)
				return strings.Join(rest, ""), c, nil
			}
		}
	}
	if len(s) > 3 {
		if c := strings.ToUpper(s[:3]); attain.ValidCurrency(c) && !strings.HasSuffix(s[:3], "$") && unicode.IsLetter(rune(s[2])) {
			if r := rune(s[3]); unicode.IsDigit(r) || r == '-' || r == '(' {
				return s[3:], c, nil
			}
		}
	}
	for _, cs := range currencySymbols {
		if i := strings.Index(s, cs.sym); i >= 0 {
			return s[:i] + s[i+len(cs.sym):], cs.code, nil
		}
	}
	return s, "", nil
}

// parseDecimal reads a decimal number into an integer scaled by 10^scale,
// refusing more decimals than scale unless they are zeros.
func parseDecimal(s, decimal string, scale int) (int64, error) {
	s = strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, strings.TrimSpace(s[1:len(s)-1])
	}
	if strings.HasPrefix(s, "-") {
		neg, s = !neg, strings.TrimSpace(s[1:])
	} else if strings.HasSuffix(s, "-") {
		neg, s = !neg, strings.TrimSpace(s[:len(s)-1])
	} else if strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	// Spaces and apostrophes only ever group digits (1 000, 1'000).
	s = strings.NewReplacer(" ", "", "'", "", "’", "", "\u202f", "").Replace(s)
	if s == "" {
		return 0, ErrNoNumber
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9') && r != '.' && r != ',' {
			return 0, fmt.Errorf("is not a number")
		}
	}
	dec := decimal
	if dec == "" {
		dec = guessDecimal(s)
	}
	group := ","
	if dec == "," {
		group = "."
	}
	intPart, frac, _ := strings.Cut(s, dec)
	if strings.Contains(frac, dec) || strings.Contains(frac, group) {
		return 0, fmt.Errorf("is not a number")
	}
	if strings.Contains(intPart, group) {
		groups := strings.Split(intPart, group)
		for i, g := range groups {
			if (i == 0 && (len(g) == 0 || len(g) > 3)) || (i > 0 && len(g) != 3) {
				return 0, fmt.Errorf("has misplaced %q separators", group)
			}
		}
		intPart = strings.Join(groups, "")
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > scale {
		if scale == 0 {
			return 0, fmt.Errorf("must be a whole number")
		}
		return 0, fmt.Errorf("has more than %d decimals", scale)
	}
	frac += strings.Repeat("0", scale-len(frac))
	if intPart == "" {
		intPart = "0"
	}
	n, err := strconv.ParseInt(intPart+frac, 10, 64)
	if err != nil || n > attain.MaxAmount {
		return 0, fmt.Errorf("is too large")
	}
	if neg {
		n = -n
	}
	return n, nil
}

// guessDecimal decides the decimal mark of one number written without a
// stated format.
func guessDecimal(s string) string {
	lastDot, lastComma := strings.LastIndex(s, "."), strings.LastIndex(s, ",")
	switch {
	case lastDot >= 0 && lastComma >= 0:
		if lastComma > lastDot {
			return ","
		}
		return "."
	case lastComma >= 0:
		if strings.Count(s, ",") > 1 || len(s)-lastComma-1 == 3 {
			return "." // 1,000 or 1,000,000: grouping
		}
		return ","
	case lastDot >= 0:
		if strings.Count(s, ".") > 1 || len(s)-lastDot-1 == 3 {
			return "," // 1.000 or 1.000.000: grouping
		}
		return "."
	}
	return "."
}

// ParseBool reads yes/no in the forms exports use.
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "t", "yes", "y", "1", "x", "on", "oui", "ja", "si", "sí", "da", "checked":
		return true, nil
	case "false", "f", "no", "n", "0", "off", "non", "nein", "nu", "нет", "unchecked":
		return false, nil
	}
	return false, fmt.Errorf("%q is not yes or no", strings.TrimSpace(s))
}

// SplitList splits a cell holding several values (tags, multi-picklists):
// by ";" when it has one, else by ",".
func SplitList(s string) []string {
	sep := ","
	if strings.Contains(s, ";") {
		sep = ";"
	}
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// GuessDelimiter picks the separator of a CSV file from its header line:
// whichever of , ; tab | occurs most outside quotes.
func GuessDelimiter(line string) rune {
	counts := map[rune]int{}
	inQuote := false
	for _, r := range line {
		switch {
		case r == '"':
			inQuote = !inQuote
		case !inQuote && (r == ',' || r == ';' || r == '\t' || r == '|'):
			counts[r]++
		}
	}
	best, n := ',', 0
	for _, r := range []rune{',', ';', '\t', '|'} {
		if counts[r] > n {
			best, n = r, counts[r]
		}
	}
	return best
}
