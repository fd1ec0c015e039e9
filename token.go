package attain

import (
	"context"
	"strings"
	"time"
)

// APIToken is a personal access token. Only a hash of the secret is stored;
// the secret itself is shown once, when the token is created.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"` // first characters, to recognise it in a list
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	// Secret is set only in the response that creates the token.
	Secret string `json:"secret,omitempty"`
}

// NewToken is the input to create a token.
type NewToken struct {
	Name      string     `json:"name"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// Validate checks the input.
func (t *NewToken) Validate(now time.Time) error {
	var v Validation
	t.Name = strings.TrimSpace(t.Name)
	v.Require("name", t.Name)
	if t.ExpiresAt != nil {
		// Stored as UTC: SQLite compares timestamps as text, so an instant
		// written with another offset would be compared wrongly.
		utc := t.ExpiresAt.UTC()
		t.ExpiresAt = &utc
		if !utc.After(now) {
			v.Add("expires_at", "must be in the future")
		}
	}
	return v.Err()
}

// TokenService manages the caller's own API tokens.
type TokenService interface {
	CreateToken(ctx context.Context, a *Actor, in NewToken) (*APIToken, error)
	FindTokens(ctx context.Context, a *Actor) ([]*APIToken, error)
	RevokeToken(ctx context.Context, a *Actor, id int64) error
}

// Session is a signed-in browser. Its secret lives only in the cookie; the
// database keeps a hash.
type Session struct {
	UserID      int64
	WorkspaceID int64
	CreatedAt   time.Time
	ExpiresAt   time.Time
	Secret      string // set only when created
}

// AuthService signs people in and resolves credentials to actors.
type AuthService interface {
	Login(ctx context.Context, email, password, workspaceSlug, addr string) (*Session, error)
	Logout(ctx context.Context, sessionSecret string) error
	ActorForSession(ctx context.Context, sessionSecret string) (*Actor, error)
	ActorForToken(ctx context.Context, tokenSecret string) (*Actor, error)
}
