package attain_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/attain-crm/attain"
)

// fields returns the names of the invalid fields in err, in order.
func fields(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *attain.Error
	if !errors.As(err, &e) || e.Code != attain.EINVALID {
		t.Fatalf("error %v is not an EINVALID *attain.Error", err)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestValidation(t *testing.T) {
	t.Parallel()
	var v attain.Validation
	if err := v.Err(); err != nil {
		t.Fatalf("empty validation: %v", err)
	}
	v.Require("name", "  \t")
	v.Require("email", "a@b.c")
	v.Add("role", "must be one of %s", "admin, rep")
	err := v.Err()
	if diff := cmp.Diff([]string{"name", "role"}, fields(t, err)); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if got := err.Error(); !strings.Contains(got, "name: is required") || !strings.Contains(got, "role: must be one of admin, rep") {
		t.Errorf("Error() = %q, want every field named", got)
	}
	if attain.ErrorCode(fmt.Errorf("create user: %w", err)) != attain.EINVALID {
		t.Error("wrapped validation error lost its code")
	}
}

func TestErrorCodeAndMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err     error
		code    string
		message string
	}{
		{nil, "", "Internal error."},
		{attain.Errorf(attain.ENOTFOUND, "Deal %d not found.", 7), attain.ENOTFOUND, "Deal 7 not found."},
		{fmt.Errorf("load: %w", attain.Errorf(attain.ECONFLICT, "Taken.")), attain.ECONFLICT, "Taken."},
		{errors.New("pq: connection refused to 10.0.0.1"), attain.EINTERNAL, "Internal error."},
		{attain.Invalid("email", "is bad"), attain.EINVALID, "Some fields are invalid."},
	}
	for _, tt := range tests {
		if got := attain.ErrorCode(tt.err); got != tt.code {
			t.Errorf("ErrorCode(%v) = %q, want %q", tt.err, got, tt.code)
		}
		if tt.err == nil {
			continue
		}
		if got := attain.ErrorMessage(tt.err); got != tt.message {
			t.Errorf("ErrorMessage(%v) = %q, want %q (internal details must not leak)", tt.err, got, tt.message)
		}
	}
}

func TestSlugify(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"My Company", "my-company"},
		{"  Acme, Inc.  ", "acme-inc"},
		{"ACME---Sales__Team", "acme-sales-team"},
		{"Société Générale", "soci-t-g-n-rale"},
		{"42", "42"},
		{"A", "ws-a"},
		{"", "ws-"},
		{"!!!", "ws-"},
		{strings.Repeat("x", 100), strings.Repeat("x", 63)},
		{"Ünïcode Only ĀĒĪ", "n-code-only"},
	}
	for _, tt := range tests {
		got := attain.Slugify(tt.in)
		if got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Every name a person might type must give a slug the workspace accepts, or
// creating a workspace from a name fails for reasons the user cannot see.
func TestSlugifyAlwaysValid(t *testing.T) {
	t.Parallel()
	names := []string{"My Company", "", "!!!", "A", "Z!", "x", "42", "---a---", strings.Repeat("ab-", 40), "a" + strings.Repeat("-", 70) + "b",
		"Ünïcode Only ĀĒĪ", strings.Repeat("x", 62) + " y"}
	for _, n := range names {
		w := attain.Workspace{Name: "n", Slug: attain.Slugify(n)}
		if err := w.Validate(); err != nil {
			t.Errorf("Slugify(%q) = %q, which Validate refuses: %v", n, w.Slug, err)
		}
	}
}

func TestWorkspaceValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		w    attain.Workspace
		want []string
	}{
		{attain.Workspace{Name: "Acme", Slug: "acme"}, nil},
		{attain.Workspace{Name: " ", Slug: "acme"}, []string{"name"}},
		{attain.Workspace{Name: "Acme", Slug: "Acme"}, []string{"slug"}},
		{attain.Workspace{Name: "Acme", Slug: "-acme"}, []string{"slug"}},
		{attain.Workspace{Name: "Acme", Slug: "a"}, []string{"slug"}},
		{attain.Workspace{Name: "", Slug: ""}, []string{"name", "slug"}},
	}
	for _, tt := range tests {
		err := tt.w.Validate()
		if diff := cmp.Diff(tt.want, fields(t, err)); diff != "" {
			t.Errorf("%+v: invalid fields (-want +got):\n%s", tt.w, diff)
		}
	}
}

func TestNewUserValidate(t *testing.T) {
	t.Parallel()
	good := "long enough"
	tests := []struct {
		name string
		in   attain.NewUser
		want []string
		// after validation
		wantEmail string
		wantName  string
		wantRole  attain.Role
	}{
		{"normalises", attain.NewUser{Email: "  Ana@Example.COM ", Name: "  Ana  ", Password: good}, nil, "ana@example.com", "Ana", attain.RoleRep},
		{"keeps role", attain.NewUser{Email: "a@b.co", Name: "A", Password: good, Role: attain.RoleManager}, nil, "a@b.co", "A", attain.RoleManager},
		{"bad email", attain.NewUser{Email: "not an email", Name: "A", Password: good}, []string{"email"}, "", "", ""},
		{"display name form refused", attain.NewUser{Email: "Ana <ana@example.com>", Name: "A", Password: good}, []string{"email"}, "", "", ""},
		{"missing name", attain.NewUser{Email: "a@b.co", Name: " ", Password: good}, []string{"name"}, "", "", ""},
		{"short password", attain.NewUser{Email: "a@b.co", Name: "A", Password: "123456789"}, []string{"password"}, "", "", ""},
		{"unknown role", attain.NewUser{Email: "a@b.co", Name: "A", Password: good, Role: "owner"}, []string{"role"}, "", "", ""},
		{"everything wrong", attain.NewUser{Email: "", Name: "", Password: "", Role: "x"}, []string{"email", "name", "password", "role"}, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			err := in.Validate()
			if diff := cmp.Diff(tt.want, fields(t, err)); diff != "" {
				t.Fatalf("invalid fields (-want +got):\n%s", diff)
			}
			if err == nil && (in.Email != tt.wantEmail || in.Name != tt.wantName || in.Role != tt.wantRole) {
				t.Errorf("after Validate = %q %q %q, want %q %q %q", in.Email, in.Name, in.Role, tt.wantEmail, tt.wantName, tt.wantRole)
			}
		})
	}
}

func TestNewTokenValidate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Second), now.Add(time.Hour)
	tests := []struct {
		in   attain.NewToken
		want []string
	}{
		{attain.NewToken{Name: "ci"}, nil},
		{attain.NewToken{Name: "ci", ExpiresAt: &future}, nil},
		{attain.NewToken{Name: " "}, []string{"name"}},
		{attain.NewToken{Name: "ci", ExpiresAt: &past}, []string{"expires_at"}},
		{attain.NewToken{Name: "ci", ExpiresAt: &now}, []string{"expires_at"}},
	}
	for _, tt := range tests {
		in := tt.in
		if diff := cmp.Diff(tt.want, fields(t, in.Validate(now))); diff != "" {
			t.Errorf("%+v: invalid fields (-want +got):\n%s", tt.in, diff)
		}
	}
	// An expiry given in another zone is kept as the same instant in UTC, so
	// every engine compares it correctly with the transaction's clock.
	zoned := future.In(time.FixedZone("", -12*3600))
	in := attain.NewToken{Name: "ci", ExpiresAt: &zoned}
	if err := in.Validate(now); err != nil {
		t.Fatal(err)
	}
	if in.ExpiresAt.Location() != time.UTC || !in.ExpiresAt.Equal(future) {
		t.Errorf("ExpiresAt = %v, want %v in UTC", in.ExpiresAt, future)
	}
}

func TestTeamInputValidate(t *testing.T) {
	t.Parallel()
	in := attain.TeamInput{Name: "  East  "}
	if err := in.Validate(); err != nil || in.Name != "East" {
		t.Errorf("Validate = %v, name %q", err, in.Name)
	}
	for _, name := range []string{"", "   ", strings.Repeat("x", 201)} {
		in := attain.TeamInput{Name: name}
		if diff := cmp.Diff([]string{"name"}, fields(t, in.Validate())); diff != "" {
			t.Errorf("name %q (-want +got):\n%s", name, diff)
		}
	}
}

func TestRole(t *testing.T) {
	t.Parallel()
	if !attain.RoleAdmin.AtLeast(attain.RoleManager) || attain.RoleRep.AtLeast(attain.RoleManager) || attain.Role("x").AtLeast(attain.RoleRep) {
		t.Error("role order is wrong")
	}
	for _, r := range []attain.Role{"", "Admin", "owner"} {
		if r.Valid() {
			t.Errorf("%q is valid", r)
		}
	}
}

func TestPageSize(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ limit, want int }{{0, attain.DefaultPageSize}, {-1, attain.DefaultPageSize}, {10, 10}, {attain.MaxPageSize + 1, attain.MaxPageSize}} {
		if got := (attain.Page{Limit: tt.limit}).Size(); got != tt.want {
			t.Errorf("Page{Limit: %d}.Size() = %d, want %d", tt.limit, got, tt.want)
		}
	}
}
