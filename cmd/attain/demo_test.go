package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/attain-crm/attain/store/storetest"
)

// TestDemoCommand makes a small demo, refuses to make it twice, and makes
// it again with --reset; the admin's sign-in lines keep the first-run format.
func TestDemoCommand(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := engineEnv(t, engine)
			out := mustAttain(t, env, "demo", "--deals", "120", "--reps", "3", "--password", "demo-password-1", "--quiet")
			m := signInRE.FindStringSubmatch(out)
			if m == nil || m[1] != "admin@demo.example.com" || m[2] != "demo-password-1" {
				t.Fatalf("no admin sign-in in:\n%s", out)
			}
			for _, want := range []string{"120 deals", "Manager:    ", "Rep:        "} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			_, _, err := runAttain(t, env, "demo", "--deals", "120", "--reps", "3", "--quiet")
			if err == nil || !strings.Contains(err.Error(), "--reset") {
				t.Fatalf("second demo: %v, want a refusal naming --reset", err)
			}
			out = mustAttain(t, env, "demo", "--reset", "--deals", "150", "--reps", "3", "--quiet")
			if !strings.Contains(out, "150 deals") || signInRE.FindStringSubmatch(out) == nil {
				t.Errorf("after --reset:\n%s", out)
			}
			if _, _, err := runAttain(t, env, "demo", "--password", "short"); err == nil {
				t.Error("a short --password was accepted")
			}
		})
	}
}

// TestServeDemo starts `serve --demo` on an empty database: it prints the
// demo's admin sign-in in the first-run format and then listens.
func TestServeDemo(t *testing.T) {
	env := engineEnv(t, "sqlite")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0"},
			func(k string) string { return env[k] }, strings.NewReader(""), stdout, stderr)
	}()
	for deadline := time.Now().Add(2 * time.Minute); listeningRE.FindString(stdout.String()) == ""; {
		select {
		case err := <-errc:
			t.Fatalf("serve returned early: %v\nstdout: %s\nstderr: %s", err, stdout, stderr)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve --demo did not listen\nstdout: %s\nstderr: %s", stdout, stderr)
		}
	}
	if m := signInRE.FindStringSubmatch(stdout.String()); m == nil || m[1] != "admin@demo.example.com" {
		t.Errorf("no demo admin sign-in in:\n%s", stdout)
	}
	if !strings.Contains(stdout.String(), "Created the demo workspace") {
		t.Errorf("no demo summary in:\n%s", stdout)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Errorf("serve: %v", err)
	}
}
