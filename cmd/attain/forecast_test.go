package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// TestForecastCommands: a rep submits a forecast from the command line and
// reads it back; errors come back field by field.
func TestForecastCommands(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		r := newRemoteEnv(t, db)
		env := r.env
		mustAttain(t, env, "deals", "create", "Acme renewal", "--amount", "12,000", "--close", "2026-12-31")
		out := mustAttain(t, env, "forecast", "submit", "--period", "2026-Q4", "--commit", "10,000.50", "--comment", "Acme")
		if out != "Submitted 2026-Q4: commit 10,000.50 USD, best case 10,000.50 USD.\n" {
			t.Errorf("submit printed %q", out)
		}
		out = mustAttain(t, env, "forecast", "show", "--period", "2026-Q4")
		if !regexp.MustCompile(`2026-Q4 \(submitted \d{4}-\d\d-\d\d\)\s+10,000\.50 USD`).MatchString(out) {
			t.Errorf("show printed:\n%s", out)
		}
		_, _, err := runAttain(t, env, "forecast", "submit", "--period", "2026-Q4", "--commit", "5", "--best-case", "1")
		if p := problemOf(t, err); !strings.Contains(p.Error(), "best_case") {
			t.Errorf("bad best case: %v", p)
		}
		_, _, err = runAttain(t, env, "forecast", "rollup")
		problemOf(t, err) // a rep cannot read the company's roll-up
		if out := mustAttain(t, env, "forecast", "targets", "--json"); strings.TrimSpace(out) != "[]" {
			t.Errorf("targets --json printed %q", out)
		}
	})
}
