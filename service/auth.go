package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// Sign-in limits.
const (
	SessionLifetime     = 30 * 24 * time.Hour
	loginWindow         = 15 * time.Minute
	maxFailuresPerEmail = 5
	maxFailuresPerAddr  = 30
	tokenPrefix         = "atn_"
)

// dummyHash is verified against when the email is unknown, so a miss costs
// the same time as a wrong password and does not reveal who has an account.
var dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0000000000000000000000000000000000000000000"

// Login checks an email and password and opens a session in the named
// workspace, or the user's first one. Repeated failures for one account or
// from one address are refused for a while.
func (s *Service) Login(ctx context.Context, email, password, workspaceSlug, addr string) (*attain.Session, error) {
	email = attain.NormalizeEmail(email)
	var v attain.Validation
	v.Require("email", email)
	v.Require("password", password)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var user *attain.User
	var hash string
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		byEmail, byAddr, err := tx.CountFailedLogins(ctx, email, addr, tx.Now.Add(-loginWindow))
		if err != nil {
			return err
		}
		if byEmail >= maxFailuresPerEmail || byAddr >= maxFailuresPerAddr {
			return attain.Errorf(attain.ETOOMANY, "Too many failed sign-ins; wait 15 minutes and try again.")
		}
		user, hash, err = tx.FindUserByEmail(ctx, email)
		if attain.ErrorCode(err) == attain.ENOTFOUND {
			user, hash = nil, dummyHash
			return nil
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	ok := s.hasher.Verify(password, hash) && user != nil
	if !ok {
		if err := s.db.WriteTx(ctx, func(tx *store.Tx) error { return tx.RecordFailedLogin(ctx, email, addr) }); err != nil {
			return nil, err
		}
		return nil, attain.Errorf(attain.EUNAUTHENTICATED, "The email or password is wrong.")
	}
	secret, err := randomSecret("")
	if err != nil {
		return nil, err
	}
	var sess *attain.Session
	err = s.db.WriteTx(ctx, func(tx *store.Tx) error {
		wss, err := tx.FindWorkspacesOfUser(ctx, user.ID)
		if err != nil {
			return err
		}
		var ws *attain.Workspace
		for _, w := range wss {
			if workspaceSlug == "" || w.Slug == workspaceSlug {
				ws = w
				break
			}
		}
		if ws == nil {
			return attain.Errorf(attain.EUNAUTHENTICATED, "You are not a member of that workspace.")
		}
		sess = &attain.Session{UserID: user.ID, WorkspaceID: ws.ID, CreatedAt: tx.Now, ExpiresAt: tx.Now.Add(SessionLifetime), Secret: secret}
		if err := tx.CreateSession(ctx, hashSecret(secret), sess); err != nil {
			return err
		}
		if err := tx.ClearFailedLogins(ctx, email); err != nil {
			return err
		}
		a := &attain.Actor{UserID: user.ID, WorkspaceID: ws.ID, RequestID: requestID(ctx)}
		return tx.Audit(ctx, a, "login", "user", user.ID, nil, map[string]string{"addr": addr})
	})
	return sess, err
}

// Logout ends a session; an unknown session is already ended.
func (s *Service) Logout(ctx context.Context, secret string) error {
	return s.db.WriteTx(ctx, func(tx *store.Tx) error { return tx.DeleteSession(ctx, hashSecret(secret)) })
}

// ActorForSession resolves a session cookie to the signed-in member.
func (s *Service) ActorForSession(ctx context.Context, secret string) (*attain.Actor, error) {
	var a *attain.Actor
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		sess, err := tx.FindSession(ctx, hashSecret(secret))
		if err != nil {
			return unauthenticated(err, "Your session has ended; sign in again.")
		}
		a, err = tx.LoadActor(ctx, sess.WorkspaceID, sess.UserID)
		return unauthenticated(err, "Your session has ended; sign in again.")
	})
	return a, err
}

// ActorForToken resolves a bearer token to the member who owns it.
func (s *Service) ActorForToken(ctx context.Context, secret string) (*attain.Actor, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return nil, attain.Errorf(attain.EUNAUTHENTICATED, "The API token is not valid.")
	}
	var a *attain.Actor
	var tok *attain.APIToken
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		var ws int64
		var err error
		tok, ws, err = tx.FindTokenByHash(ctx, hashSecret(secret))
		if err != nil {
			return unauthenticated(err, "The API token is not valid, expired or revoked.")
		}
		a, err = tx.LoadActor(ctx, ws, tok.UserID)
		return unauthenticated(err, "The API token is not valid, expired or revoked.")
	})
	if err != nil {
		return nil, err
	}
	if tok.LastUsedAt == nil || time.Since(*tok.LastUsedAt) > time.Minute {
		if err := s.db.WriteTx(ctx, func(tx *store.Tx) error { return tx.TouchToken(ctx, a.WorkspaceID, tok.ID) }); err != nil {
			s.log.WarnContext(ctx, "record token use", "err", err)
		}
	}
	return a, nil
}

// CreateToken makes a personal API token for the actor. The secret is in the
// returned value only; it cannot be read again.
func (s *Service) CreateToken(ctx context.Context, a *attain.Actor, in attain.NewToken) (*attain.APIToken, error) {
	if a.System {
		return nil, attain.Errorf(attain.EFORBIDDEN, "Tokens belong to people.")
	}
	var t *attain.APIToken
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := in.Validate(tx.Now); err != nil {
			return err
		}
		secret, err := randomSecret(tokenPrefix)
		if err != nil {
			return err
		}
		t = &attain.APIToken{UserID: a.UserID, Name: in.Name, Prefix: secret[:len(tokenPrefix)+6], ExpiresAt: in.ExpiresAt}
		if err := tx.CreateToken(ctx, a.WorkspaceID, t, hashSecret(secret)); err != nil {
			return err
		}
		if err := tx.Audit(ctx, a, "create", "api_token", t.ID, nil, t); err != nil {
			return err
		}
		t.Secret = secret
		return nil
	})
	return t, err
}

// FindTokens lists the actor's own tokens (never their secrets).
func (s *Service) FindTokens(ctx context.Context, a *attain.Actor) ([]*attain.APIToken, error) {
	var out []*attain.APIToken
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindTokens(ctx, a.WorkspaceID, a.UserID)
		return err
	})
	return out, err
}

// RevokeToken revokes one of the actor's tokens.
func (s *Service) RevokeToken(ctx context.Context, a *attain.Actor, id int64) error {
	return s.db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := tx.RevokeToken(ctx, a.WorkspaceID, a.UserID, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "revoke", "api_token", id, nil, nil)
	})
}

// FindAudit reads the audit log; admins only.
func (s *Service) FindAudit(ctx context.Context, a *attain.Actor, f attain.AuditFilter) ([]*attain.AuditEntry, string, error) {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return nil, "", err
	}
	var out []*attain.AuditEntry
	var next string
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, next, err = tx.FindAudit(ctx, a.WorkspaceID, f)
		return err
	})
	return out, next, err
}

func randomSecret(prefix string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// hashSecret hashes a high-entropy secret for storage. SHA-256 suffices:
// unlike passwords, these secrets cannot be guessed.
func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func unauthenticated(err error, msg string) error {
	if attain.ErrorCode(err) == attain.ENOTFOUND {
		return attain.Errorf(attain.EUNAUTHENTICATED, "%s", msg)
	}
	return err
}

type requestIDKey struct{}

// WithRequestID returns a context carrying the request id for audit entries
// written outside an actor (sign-in).
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

func requestID(ctx context.Context) string {
	s, _ := ctx.Value(requestIDKey{}).(string)
	return s
}
