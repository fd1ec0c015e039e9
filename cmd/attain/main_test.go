package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// syncBuffer collects a command's output while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// engineEnv returns the environment a command runs with on a fresh database
// of the engine: nothing of the real process environment leaks in.
func engineEnv(t *testing.T, engine string) map[string]string {
	t.Helper()
	env := map[string]string{"ATTAIN_DATA_DIR": t.TempDir(), "ATTAIN_LOG_LEVEL": "warn"}
	if engine == store.Postgres {
		env["ATTAIN_DATABASE_URL"] = storetest.DSN(t, engine)
	}
	return env
}

// runAttain runs the program as main would, returning its output.
func runAttain(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

// mustAttain runs the program and fails the test if it fails.
func mustAttain(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	out, errOut, err := runAttain(t, env, args...)
	if err != nil {
		t.Fatalf("attain %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

var (
	listeningRE = regexp.MustCompile(`Attain is listening on http://(\S+)`)
	signInRE    = regexp.MustCompile(`Sign in as: (\S+)\s+Password:\s+(\S+)`)
)

// TestServe runs the server as `attain serve` does, on an empty database:
// it comes up, prints how to sign in, serves, and on cancel lets an
// in-flight request finish before returning nil.
func TestServe(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := engineEnv(t, engine)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stdout, stderr := &syncBuffer{}, &syncBuffer{}
			start := time.Now()
			errc := make(chan error, 1)
			go func() {
				errc <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--shutdown-timeout", "20s"},
					func(k string) string { return env[k] }, strings.NewReader(""), stdout, stderr)
			}()

			// The address is printed once the server listens.
			var addr string
			for deadline := time.Now().Add(60 * time.Second); addr == ""; {
				if m := listeningRE.FindStringSubmatch(stdout.String()); m != nil {
					addr = m[1]
					break
				}
				select {
				case err := <-errc:
					t.Fatalf("serve returned early: %v\nstdout: %s\nstderr: %s", err, stdout, stderr)
				case <-time.After(5 * time.Millisecond):
				}
				if time.Now().After(deadline) {
					t.Fatalf("serve did not print its address\nstdout: %s\nstderr: %s", stdout, stderr)
				}
			}
			base := "http://" + addr
			for {
				res, err := http.Get(base + "/healthz")
				if err == nil {
					res.Body.Close()
					if res.StatusCode == http.StatusOK {
						break
					}
				}
				if time.Since(start) > 60*time.Second {
					t.Fatalf("/healthz not ready: %v", err)
				}
				time.Sleep(5 * time.Millisecond)
			}
			t.Logf("startup on an empty %s database: run() to /healthz ready in %v", engine, time.Since(start).Round(time.Millisecond))

			res, err := http.Get(base + "/readyz")
			if err != nil || res.StatusCode != http.StatusOK {
				t.Fatalf("/readyz: %v %v", res, err)
			}
			res.Body.Close()

			// Sign in with the printed first-run credentials.
			m := signInRE.FindStringSubmatch(stdout.String())
			if m == nil {
				t.Fatalf("no first-run credentials in: %s", stdout)
			}
			jar, _ := cookiejar.New(nil)
			hc := &http.Client{Jar: jar, Timeout: 30 * time.Second}
			body, _ := json.Marshal(map[string]string{"email": m[1], "password": m[2]})
			res, err = hc.Post(base+"/api/v1/session", "application/json", bytes.NewReader(body))
			if err != nil || res.StatusCode != http.StatusOK {
				t.Fatalf("sign in with the printed credentials: %v %v", res, err)
			}
			res.Body.Close()

			// A request whose body is still arriving when the stop comes
			// finishes; only then does serve return.
			pr, pw := io.Pipe()
			req, _ := http.NewRequest("POST", base+"/api/v1/teams", pr)
			req.Header.Set("Content-Type", "application/json")
			type result struct {
				status int
				err    error
			}
			done := make(chan result, 1)
			go func() {
				res, err := hc.Do(req)
				if err != nil {
					done <- result{err: err}
					return
				}
				res.Body.Close()
				done <- result{status: res.StatusCode}
			}()
			if _, err := pw.Write([]byte(`{"name":`)); err != nil {
				t.Fatal(err)
			}
			time.Sleep(200 * time.Millisecond) // the server is now reading the body
			cancel()
			time.Sleep(300 * time.Millisecond)
			select {
			case err := <-errc:
				t.Fatalf("serve returned with a request in flight: %v", err)
			default:
			}
			// New connections are refused while it drains.
			if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
				c.Close()
				t.Error("a new connection was accepted after the stop")
			}
			if _, err := pw.Write([]byte(`"Late Team"}`)); err != nil {
				t.Fatal(err)
			}
			pw.Close()
			select {
			case r := <-done:
				if r.err != nil || r.status != http.StatusCreated {
					t.Errorf("in-flight request: status %d, %v; want 201", r.status, r.err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("in-flight request did not finish")
			}
			select {
			case err := <-errc:
				if err != nil {
					t.Errorf("serve returned %v, want nil after a graceful stop", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("serve did not return after the stop")
			}
			if strings.Contains(stderr.String(), `"level":"ERROR"`) {
				t.Errorf("errors logged:\n%s", stderr)
			}

			// A second start on the same database creates no second workspace.
			ctx2, cancel2 := context.WithCancel(context.Background())
			out2 := &syncBuffer{}
			go func() {
				errc <- run(ctx2, []string{"serve", "--addr", "127.0.0.1:0"}, func(k string) string { return env[k] }, strings.NewReader(""), out2, io.Discard)
			}()
			for deadline := time.Now().Add(30 * time.Second); !strings.Contains(out2.String(), "listening"); time.Sleep(5 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("second start did not listen")
				}
			}
			cancel2()
			if err := <-errc; err != nil {
				t.Errorf("second serve: %v", err)
			}
			if strings.Contains(out2.String(), "Created workspace") {
				t.Errorf("second start created a workspace again: %s", out2)
			}
		})
	}
}

// TestServeAddressInUse checks that a failure to listen is an error, not a hang.
func TestServeAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	env := engineEnv(t, store.SQLite)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err = run(ctx, []string{"serve", "--addr", ln.Addr().String()}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || ctx.Err() != nil {
		t.Fatalf("serve on a used address = %v", err)
	}
}

// bootstrap gives the database of env a workspace and its admin, as the
// first `attain serve` would.
func bootstrap(t *testing.T, env map[string]string) *attain.Workspace {
	t.Helper()
	ctx := context.Background()
	dsn := env["ATTAIN_DATABASE_URL"]
	if dsn == "" {
		dsn = env["ATTAIN_DATA_DIR"] + "/attain.db"
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ws, _, err := service.New(db, slog.New(slog.DiscardHandler), service.FastHasher()).Bootstrap(ctx, "CLI Co", attain.NewUser{Email: "admin@cli.test", Name: "Admin", Password: "admin password"})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// tokenWorks reports whether an API token secret signs in, checked through
// the service on the database of env.
func tokenWorks(t *testing.T, env map[string]string, secret string) bool {
	t.Helper()
	ctx := context.Background()
	dsn := env["ATTAIN_DATABASE_URL"]
	if dsn == "" {
		dsn = env["ATTAIN_DATA_DIR"] + "/attain.db"
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = service.New(db, slog.New(slog.DiscardHandler), service.FastHasher()).ActorForToken(ctx, secret)
	return err == nil
}

func TestUsersAndTokensCommands(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := engineEnv(t, engine)
			// Before any workspace exists, the commands say what to do.
			_, _, err := runAttain(t, env, "users", "list")
			if err == nil || !strings.Contains(err.Error(), "attain serve") {
				t.Errorf("users list on an empty database = %v", err)
			}
			ws := bootstrap(t, env)

			out := mustAttain(t, env, "users", "create", "--email", "Rep@CLI.test", "--name", "Rita Rep")
			if !strings.Contains(out, "rep@cli.test (rep)") || !regexp.MustCompile(`Password: \S{10,}`).MatchString(out) {
				t.Errorf("users create printed %q, want the user and a generated password", out)
			}
			mustAttain(t, env, "users", "create", "--email", "mia@cli.test", "--name", "Mia", "--role", "manager", "--password", "chosen password", "--workspace", ws.Slug)
			out = mustAttain(t, env, "users", "list")
			for _, want := range []string{"admin@cli.test", "rep@cli.test", "Rita Rep", "mia@cli.test", "manager"} {
				if !strings.Contains(out, want) {
					t.Errorf("users list lacks %q:\n%s", want, out)
				}
			}
			out = mustAttain(t, env, "users", "set-role", "--email", "rep@cli.test", "--role", "manager")
			if !strings.Contains(out, "rep@cli.test is now manager") {
				t.Errorf("set-role printed %q", out)
			}
			// Refusals are errors with the domain's message.
			if _, _, err := runAttain(t, env, "users", "set-role", "--email", "admin@cli.test", "--role", "rep"); err == nil || !strings.Contains(err.Error(), "last admin") {
				t.Errorf("demoting the last admin = %v", err)
			}
			if _, _, err := runAttain(t, env, "users", "create", "--email", "not-an-email", "--name", "X"); attain.ErrorCode(err) != attain.EINVALID || exitCode(err) != 1 {
				t.Errorf("bad email = %v", err)
			}
			if _, _, err := runAttain(t, env, "users", "set-role", "--email", "nobody@cli.test", "--role", "rep"); attain.ErrorCode(err) != attain.ENOTFOUND {
				t.Errorf("unknown user = %v", err)
			}
			if _, _, err := runAttain(t, env, "users", "list", "--workspace", "no-such-workspace"); attain.ErrorCode(err) != attain.ENOTFOUND {
				t.Errorf("unknown workspace = %v", err)
			}

			// Tokens: the secret is printed once, works, and stops on revoke.
			out = mustAttain(t, env, "tokens", "create", "--email", "rep@cli.test", "--name", "ci", "--expires", "1h")
			m := regexp.MustCompile(`Token (\d+) created for rep@cli.test.*\n(atn_\S+)`).FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("tokens create printed %q", out)
			}
			id, secret := m[1], m[2]
			if !tokenWorks(t, env, secret) {
				t.Error("the printed token does not sign in")
			}
			out = mustAttain(t, env, "tokens", "list", "--email", "rep@cli.test")
			if !regexp.MustCompile(`(?m)^`+id+`\s+ci\s+atn_\S+….*\sactive$`).MatchString(out) || strings.Contains(out, secret) {
				t.Errorf("tokens list:\n%s", out)
			}
			if _, _, err := runAttain(t, env, "tokens", "revoke", "--email", "mia@cli.test", "--id", id); attain.ErrorCode(err) != attain.ENOTFOUND {
				t.Errorf("revoking someone else's token = %v", err)
			}
			out = mustAttain(t, env, "tokens", "revoke", "--email", "rep@cli.test", "--id", id)
			if !strings.Contains(out, "Token "+id+" revoked") {
				t.Errorf("tokens revoke printed %q", out)
			}
			if tokenWorks(t, env, secret) {
				t.Error("a revoked token still signs in")
			}
			if out = mustAttain(t, env, "tokens", "list", "--email", "rep@cli.test"); !strings.Contains(out, "revoked") {
				t.Errorf("tokens list after revoke:\n%s", out)
			}

			// Mistakes in how a command is called are usage errors.
			for _, args := range [][]string{{"users"}, {"users", "promote"}, {"tokens"}, {"tokens", "rotate", "--email", "rep@cli.test"}} {
				_, _, err := runAttain(t, env, args...)
				var ue usageError
				if !errors.As(err, &ue) || exitCode(err) != 2 {
					t.Errorf("attain %v = %v, want a usage error", args, err)
				}
			}
		})
	}
}

func TestHelp(t *testing.T) {
	env := map[string]string{"ATTAIN_DATA_DIR": t.TempDir()}
	// Every command explains itself and exits cleanly.
	for _, c := range commands() {
		for _, args := range [][]string{{c.name, "--help"}, {c.name, "-h"}, {"help", c.name}} {
			out, errOut, err := runAttain(t, env, args...)
			if err != nil {
				t.Errorf("attain %v = %v", args, err)
			}
			help := out + errOut
			if !strings.Contains(help, "Usage: attain "+c.name) {
				t.Errorf("attain %v does not show its usage:\n%s", args, help)
			}
			// A flag that has an environment variable says which.
			if strings.Contains(help, "-database-url") && !strings.Contains(help, "env ATTAIN_DATABASE_URL") {
				t.Errorf("attain %v lists --database-url without its variable:\n%s", args, help)
			}
		}
	}
	for _, c := range []string{"serve", "migrate", "users", "tokens"} {
		_, help, _ := runAttain(t, env, c, "--help")
		for _, want := range []string{"-database-url", "(env ATTAIN_DATABASE_URL)", "-data-dir", "(env ATTAIN_DATA_DIR)", "(env ATTAIN_LOG_LEVEL)"} {
			if !strings.Contains(help, want) {
				t.Errorf("attain %s --help lacks %q:\n%s", c, want, help)
			}
		}
	}
	_, help, _ := runAttain(t, env, "serve", "--help")
	for _, want := range []string{"(env ATTAIN_ADDR)", "(env ATTAIN_TRUSTED_ORIGINS)", "-shutdown-timeout"} {
		if !strings.Contains(help, want) {
			t.Errorf("serve --help lacks %q", want)
		}
	}
	// Subcommand help.
	for _, args := range [][]string{{"users", "create", "--help"}, {"tokens", "revoke", "-h"}} {
		if _, errOut, err := runAttain(t, env, args...); err != nil || !strings.Contains(errOut, "--email") && !strings.Contains(errOut, "-email") {
			t.Errorf("attain %v = %v:\n%s", args, err, errOut)
		}
	}
	// The overview.
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		out, _, err := runAttain(t, env, args...)
		if err != nil || !strings.Contains(out, "Commands:") {
			t.Errorf("attain %v = %v:\n%s", args, err, out)
		}
		for _, c := range commands() {
			if !strings.Contains(out, "  "+c.name+" ") {
				t.Errorf("attain %v does not list %s", args, c.name)
			}
		}
	}
}

func TestUsageErrors(t *testing.T) {
	env := map[string]string{"ATTAIN_DATA_DIR": t.TempDir()}
	out, _, err := runAttain(t, env)
	var ue usageError
	if !errors.As(err, &ue) || exitCode(err) != 2 || !strings.Contains(out, "Commands:") {
		t.Errorf("no command = %v, exit %d:\n%s", err, exitCode(err), out)
	}
	_, errOut, err := runAttain(t, env, "frobnicate")
	if !errors.As(err, &ue) || exitCode(err) != 2 || !strings.Contains(err.Error(), `"frobnicate"`) || !strings.Contains(errOut, "Commands:") {
		t.Errorf("unknown command = %v, exit %d:\n%s", err, exitCode(err), errOut)
	}
	if _, _, err := runAttain(t, env, "serve", "--no-such-flag"); err == nil {
		t.Error("an unknown flag was accepted")
	}
	if _, _, err := runAttain(t, env, "users", "list", "--log-level", "loud"); !errors.As(err, &ue) {
		t.Errorf("bad log level = %v, want a usage error", err)
	}
	if got := exitCode(fmt.Errorf("wrapped: %w", usageError{"x"})); got != 2 {
		t.Errorf("exit code of a wrapped usage error = %d", got)
	}
}

func TestVersionAndMigrate(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := engineEnv(t, engine)
			if out := mustAttain(t, env, "version"); !strings.HasPrefix(out, "attain ") {
				t.Errorf("version = %q", out)
			}
			out := mustAttain(t, env, "migrate", "--status")
			if !strings.Contains(out, engine+" schema at version 0") {
				t.Errorf("migrate --status on an empty database = %q", out)
			}
			out = mustAttain(t, env, "migrate")
			again := mustAttain(t, env, "migrate")
			if out != again || strings.Contains(out, "version 0 ") {
				t.Errorf("migrate = %q, then %q", out, again)
			}
		})
	}
}
