package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/api"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// remoteEnv is a running API server over a fresh database, a workspace
// with an admin and a rep, and the environment that points the API-client
// commands at the server with the rep's token.
type remoteEnv struct {
	svc   *service.Service
	admin *attain.Actor
	url   string
	env   map[string]string
}

func newRemoteEnv(t *testing.T, db *store.DB) *remoteEnv {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	svc := service.New(db, log, service.FastHasher())
	ws, admin, err := svc.Bootstrap(ctx, "Remote Co", attain.NewUser{Email: "admin@remote.test", Name: "Ada Admin", Password: "admin password"})
	if err != nil {
		t.Fatal(err)
	}
	aa, err := svc.ActorFor(ctx, ws.ID, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := svc.CreateUser(ctx, aa, attain.NewUser{Email: "rita@remote.test", Name: "Rita Rep", Password: "rep password long", Role: attain.RoleRep})
	if err != nil {
		t.Fatal(err)
	}
	ra, err := svc.ActorFor(ctx, ws.ID, rep.ID)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := svc.CreateToken(ctx, ra, attain.NewToken{Name: "cli test"})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := api.NewServer(api.Config{Service: svc, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &remoteEnv{svc: svc, admin: aa, url: hs.URL, env: map[string]string{
		"ATTAIN_SERVER": hs.URL, "ATTAIN_TOKEN": tok.Secret,
		"ATTAIN_CONFIG": filepath.Join(t.TempDir(), "config.json"),
	}}
}

// problemOf returns the server's problem behind a command's error.
func problemOf(t *testing.T, err error) *problemError {
	t.Helper()
	var p *problemError
	if !errors.As(err, &p) {
		t.Fatalf("err = %v, want a problem from the server", err)
	}
	if exitCode(err) != 1 {
		t.Errorf("exit code %d for %v, want 1", exitCode(err), err)
	}
	return p
}

// TestRecordCommands drives the API-client commands against a real server:
// create, list, show, update and move deals; accounts, contacts and leads;
// quick capture; search; errors shown field by field.
func TestRecordCommands(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		r := newRemoteEnv(t, db)
		env := r.env

		out := mustAttain(t, env, "accounts", "create", "Acme Corp", "--website", "https://acme.example", "--country", "FR")
		if !regexp.MustCompile(`^Created account \d+ .*Acme Corp.*acme\.example`).MatchString(out) {
			t.Errorf("accounts create printed %q", out)
		}
		out = mustAttain(t, env, "contacts", "create", "Ada Lovelace", "--email", "ada@acme.example", "--account", "Acme Corp", "--title", "CFO")
		if !strings.HasPrefix(out, "Created contact") || !strings.Contains(out, "Ada Lovelace") {
			t.Errorf("contacts create printed %q", out)
		}
		out = mustAttain(t, env, "deals", "create", "Acme renewal", "--amount", "12,000.50", "--currency", "EUR",
			"--account", "Acme", "--contact", "ada@acme.example", "--close", "2026-12-31")
		if !strings.Contains(out, `"Acme renewal" in Qualified: 12,000.50 EUR, closing 2026-12-31.`) {
			t.Errorf("deals create printed %q", out)
		}
		mustAttain(t, env, "deals", "create", "--name", "Globex pilot")

		// Lists: a table for people, JSON for scripts.
		out = mustAttain(t, env, "deals", "list", "--owner", "me", "--sort", "-amount")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 || !regexp.MustCompile(`^ID\s+NAME\s+STAGE\s+AMOUNT`).MatchString(lines[0]) ||
			!regexp.MustCompile(`^\d+\s+Acme renewal\s+Qualified\s+12,000\.50 EUR\s+2026-12-31\s+Rita Rep\s+open$`).MatchString(lines[1]) ||
			!strings.Contains(lines[2], "Globex pilot") || !strings.Contains(lines[2], "(est.)") {
			t.Errorf("deals list:\n%s", out)
		}
		var deals []attain.Deal
		if err := json.Unmarshal([]byte(mustAttain(t, env, "deals", "list", "--json", "--filter", "amount[gte]=100000")), &deals); err != nil {
			t.Fatal(err)
		}
		if len(deals) != 1 || deals[0].Amount != 1200050 || deals[0].Currency != "EUR" || deals[0].AccountID == nil || deals[0].PrimaryContactID == nil {
			t.Errorf("deals list --json = %+v", deals)
		}
		// --limit pages through the cursor; --all follows every page.
		if out := mustAttain(t, env, "deals", "list", "--limit", "1"); strings.Count(out, "\n") != 2 {
			t.Errorf("deals list --limit 1:\n%s", out)
		}
		if out := mustAttain(t, env, "deals", "list", "--all"); strings.Count(out, "\n") != 3 {
			t.Errorf("deals list --all:\n%s", out)
		}
		out = mustAttain(t, env, "deals", "show", "Acme renewal")
		for _, want := range []string{"Stage:", "Qualified (10%) in Sales, open", "12,000.50 EUR", "Rita Rep"} {
			if !strings.Contains(out, want) {
				t.Errorf("deals show lacks %q:\n%s", want, out)
			}
		}

		// The exit criteria refusal names what is missing, field by field.
		mustAttain(t, env, "deals", "move", "Acme renewal", "--stage", "demo scheduled")
		_, _, err := runAttain(t, env, "deals", "move", "Acme renewal", "--stage", "Demo completed")
		p := problemOf(t, err)
		if p.Status != 422 || !strings.Contains(err.Error(), "\n  activities.demo: 1 demo needed, 0 logged") {
			t.Errorf("move past unmet criteria = %q", err)
		}

		// Quick capture: one command, only the essentials.
		out = mustAttain(t, env, "log", "demo", "--deal", "Acme renewal", "--outcome", "Loved it", "--sentiment", "positive", "--duration", "45m")
		if !regexp.MustCompile(`^Logged demo \d+ at .* on deal \d+, account \d+\.`).MatchString(out) {
			t.Errorf("log demo printed %q", out)
		}
		out = mustAttain(t, env, "deals", "move", "Acme renewal", "--stage", "Demo completed")
		if !strings.Contains(out, `to Demo completed (Sales), open.`) {
			t.Errorf("deals move printed %q", out)
		}
		out = mustAttain(t, env, "deals", "update", "Acme renewal", "--next-step", "Trial plan", "--amount", "15000")
		if !strings.Contains(out, "15,000.00 EUR") {
			t.Errorf("deals update printed %q", out)
		}
		// Any configured type, by key or name; mistakes name the field.
		mustAttain(t, env, "log", "Meeting", "--contact", "Ada Lovelace", "--at", "yesterday")
		_, _, err = runAttain(t, env, "log", "call", "--deal", "Acme renewal", "--sentiment", "ecstatic")
		if p := problemOf(t, err); p.Status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "sentiment" || !strings.Contains(err.Error(), "sentiment: ") {
			t.Errorf("bad sentiment = %v", err)
		}
		var ue usageError
		if _, _, err := runAttain(t, env, "log", "telepathy", "--deal", "Acme renewal"); !errors.As(err, &ue) || !strings.Contains(err.Error(), "call, email, meeting, demo, proposal") {
			t.Errorf("unknown type = %v", err)
		}
		mustAttain(t, env, "deals", "create", "Acme expansion")
		if _, _, err := runAttain(t, env, "log", "call", "--deal", "Acme"); !errors.As(err, &ue) ||
			!strings.Contains(err.Error(), "Acme renewal") || !strings.Contains(err.Error(), "Acme expansion") {
			t.Errorf("ambiguous deal = %v", err)
		}
		if _, _, err := runAttain(t, env, "log", "call", "--deal", "Nobody's deal"); attain.ErrorCode(err) != attain.ENOTFOUND {
			t.Errorf("unknown deal = %v", err)
		}

		// Tasks.
		out = mustAttain(t, env, "task", "add", "Send the proposal", "--deal", "Acme renewal", "--due", "2d")
		m := regexp.MustCompile(`^Task (\d+) "Send the proposal" due \S+ 09:00 on deal \d+`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("task add printed %q", out)
		}
		mustAttain(t, env, "task", "add", "Call back", "--contact", "Ada Lovelace", "--due", "tomorrow", "--type", "call")
		out = mustAttain(t, env, "task", "list")
		if i, j := strings.Index(out, "Call back"), strings.Index(out, "Send the proposal"); i < 0 || j < i {
			t.Errorf("task list, soonest first:\n%s", out)
		}
		if out := mustAttain(t, env, "task", "done", m[1], "--outcome", "Sent"); !strings.Contains(out, "done") {
			t.Errorf("task done printed %q", out)
		}
		if out := mustAttain(t, env, "task", "list"); strings.Contains(out, "Send the proposal") {
			t.Errorf("a done task is still listed:\n%s", out)
		}

		// Leads, search.
		mustAttain(t, env, "leads", "create", "Grace Hopper", "--company", "Navy Labs", "--email", "grace@navy.example")
		if out := mustAttain(t, env, "leads", "list"); !regexp.MustCompile(`Grace Hopper\s+Navy Labs\s+grace@navy.example`).MatchString(out) {
			t.Errorf("leads list:\n%s", out)
		}
		if out := mustAttain(t, env, "accounts", "show", "acme corp"); !strings.Contains(out, "domain:") || !strings.Contains(out, "acme.example") {
			t.Errorf("accounts show:\n%s", out)
		}
		if out := mustAttain(t, env, "contacts", "list", "--json"); !strings.Contains(out, `"ada@acme.example"`) {
			t.Errorf("contacts list --json:\n%s", out)
		}
		out = mustAttain(t, env, "search", "acme")
		for _, want := range []string{"account", "Acme Corp", "deal", "Acme renewal"} {
			if !strings.Contains(out, want) {
				t.Errorf("search lacks %q:\n%s", want, out)
			}
		}
		if out := mustAttain(t, env, "search", "zzzz"); out != "Nothing found.\n" {
			t.Errorf("empty search printed %q", out)
		}

		// Moving to another pipeline keeps the deal and its history.
		if _, err := r.svc.CreatePipeline(context.Background(), r.admin, attain.PipelineInput{Name: "Renewals", Stages: []attain.StageInput{
			{Name: "Review", Probability: new(int), ForecastCategory: attain.ForecastPipeline},
			{Name: "Renewed", Outcome: attain.OutcomeWon}, {Name: "Churned", Outcome: attain.OutcomeLost}}}); err != nil {
			t.Fatal(err)
		}
		out = mustAttain(t, env, "deals", "move", "Acme renewal", "--pipeline", "renewals")
		if !strings.Contains(out, "to Review (Renewals), open.") {
			t.Errorf("move to another pipeline printed %q", out)
		}
		_, _, err = runAttain(t, env, "deals", "move", "Acme renewal", "--stage", "Churned")
		if p := problemOf(t, err); len(p.Errors) != 1 || p.Errors[0].Field != "reason" {
			t.Errorf("lost without a reason = %v", err)
		}
	})
}

// TestLoginAndClientErrors checks login (token, or password read from
// stdin), the saved config, and how the client reports what is wrong.
func TestLoginAndClientErrors(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		r := newRemoteEnv(t, db)
		cfgPath := r.env["ATTAIN_CONFIG"]
		bare := map[string]string{"ATTAIN_CONFIG": cfgPath}

		var ue usageError
		if _, _, err := runAttain(t, bare, "deals", "list"); !errors.As(err, &ue) || exitCode(err) != 2 || !strings.Contains(err.Error(), "--server") {
			t.Errorf("no server = %v", err)
		}
		if _, _, err := runAttain(t, map[string]string{"ATTAIN_CONFIG": cfgPath, "ATTAIN_SERVER": r.url}, "deals", "list"); !errors.As(err, &ue) || !strings.Contains(err.Error(), "--token") {
			t.Errorf("no token = %v", err)
		}
		_, _, err := runAttain(t, map[string]string{"ATTAIN_CONFIG": cfgPath, "ATTAIN_SERVER": r.url, "ATTAIN_TOKEN": "atn_wrong"}, "deals", "list")
		if p := problemOf(t, err); p.Status != 401 || !strings.Contains(err.Error(), "attain login") {
			t.Errorf("bad token = %v", err)
		}
		if _, _, err := runAttain(t, r.env, "deals", "frobnicate"); !errors.As(err, &ue) || !strings.Contains(err.Error(), "list, show, create, update, move") {
			t.Errorf("unknown verb = %v", err)
		}
		if _, _, err := runAttain(t, r.env, "deals", "show"); !errors.As(err, &ue) {
			t.Errorf("show without a deal = %v", err)
		}
		if _, _, err := runAttain(t, r.env, "deals", "show", "999999"); problemOf(t, err).Status != 404 {
			t.Errorf("show a missing deal = %v", err)
		}

		// Login with a token saves it; later commands need no flags.
		out := mustAttain(t, bare, "login", "--server", r.url, "--token", r.env["ATTAIN_TOKEN"])
		if !strings.Contains(out, "as rita@remote.test (rep) in workspace remote-co") {
			t.Errorf("login printed %q", out)
		}
		if st, err := os.Stat(cfgPath); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("config file: %v %v, want mode 0600", st, err)
		}
		mustAttain(t, bare, "deals", "create", "Saved config deal")
		if out := mustAttain(t, bare, "deals", "list"); !strings.Contains(out, "Saved config deal") {
			t.Errorf("deals list with the saved config:\n%s", out)
		}

		// Login with a password makes a new token.
		var stdout, stderr bytes.Buffer
		err = run(context.Background(), []string{"login", "--server", r.url, "--email", "admin@remote.test"},
			func(k string) string { return bare[k] }, strings.NewReader("admin password\n"), &stdout, &stderr)
		if err != nil || !strings.Contains(stdout.String(), "as admin@remote.test (admin)") {
			t.Fatalf("login with a password = %v\n%s%s", err, stdout.String(), stderr.String())
		}
		var cfg clientConfig
		b, _ := os.ReadFile(cfgPath)
		if err := json.Unmarshal(b, &cfg); err != nil || !strings.HasPrefix(cfg.Token, "atn_") || cfg.Token == r.env["ATTAIN_TOKEN"] || cfg.TokenID == 0 {
			t.Errorf("saved config %s: %v", b, err)
		}
		err = run(context.Background(), []string{"login", "--server", r.url, "--email", "admin@remote.test"},
			func(k string) string { return bare[k] }, strings.NewReader("wrong password\n"), &stdout, &stderr)
		if p := problemOf(t, err); p.Status != 401 {
			t.Errorf("login with a wrong password = %v", err)
		}
	})
}

func TestParseWhen(t *testing.T) {
	now := mustTime(t, "2026-11-23T14:00:00Z")
	for _, c := range []struct{ in, want string }{
		{"now", "2026-11-23T14:00:00Z"},
		{"tomorrow", "2026-11-24T09:00:00Z"},
		{"3d", "2026-11-26T09:00:00Z"},
		{"1w", "2026-11-30T09:00:00Z"},
		{"-2h", "2026-11-23T12:00:00Z"},
		{"2026-12-01", "2026-12-01T09:00:00Z"},
		{"2026-12-01 15:30", "2026-12-01T15:30:00Z"},
		{"2026-12-01T15:30:00+01:00", "2026-12-01T14:30:00Z"},
	} {
		got, err := parseWhen(c.in, now)
		if err != nil || !got.Equal(mustTime(t, c.want)) {
			t.Errorf("parseWhen(%q) = %v, %v; want %s", c.in, got, err, c.want)
		}
	}
	if _, err := parseWhen("next blue moon", now); err == nil {
		t.Error("nonsense parsed")
	}
	for _, c := range []struct {
		amount   int64
		currency string
		want     string
	}{{1200050, "EUR", "12,000.50 EUR"}, {5, "USD", "0.05 USD"}, {1234567, "JPY", "1,234,567 JPY"}, {-100, "USD", "-1.00 USD"}, {0, "KWD", "0.000 KWD"}} {
		if got := money(c.amount, c.currency); got != c.want {
			t.Errorf("money(%d, %s) = %q, want %q", c.amount, c.currency, got, c.want)
		}
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm.UTC()
}
