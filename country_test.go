package attain

import "testing"

func TestNormalizeCountry(t *testing.T) {
	for in, want := range map[string]string{
		"fr":                        "FR",
		" FR ":                      "FR",
		"France":                    "FR",
		"united states":             "US",
		"United  States of America": "US",
		"USA":                       "US",
		"Côte d'Ivoire":             "CI",
		"Korea, Republic of":        "KR",
		"Atlantis":                  "ATLANTIS",
		"ZZ":                        "ZZ",
	} {
		if got := NormalizeCountry(in); got != want {
			t.Errorf("NormalizeCountry(%q) = %q, want %q", in, got, want)
		}
	}
	// Every name maps to an assigned code.
	for name, code := range countryNames {
		if !ValidCountry(code) {
			t.Errorf("%q maps to %q, not an assigned code", name, code)
		}
	}
	// Every assigned code has a name.
	named := map[string]bool{}
	for _, code := range countryNames {
		named[code] = true
	}
	for code := range countries {
		if !named[code] {
			t.Errorf("%s has no English name", code)
		}
	}
}
