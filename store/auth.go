package store

import (
	"context"
	"time"

	"github.com/attain-crm/attain"
)

// CreateSession stores a session by the hash of its secret.
func (tx *Tx) CreateSession(ctx context.Context, tokenHash string, s *attain.Session) error {
	_, err := tx.exec(ctx, `INSERT INTO sessions (token_hash, workspace_id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		tokenHash, s.WorkspaceID, s.UserID, s.CreatedAt, s.ExpiresAt)
	return err
}

// FindSession returns the unexpired session with that hash.
func (tx *Tx) FindSession(ctx context.Context, tokenHash string) (*attain.Session, error) {
	var s attain.Session
	err := tx.queryRow(ctx, `SELECT workspace_id, user_id, created_at, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2`,
		tokenHash, tx.Now).Scan(&s.WorkspaceID, &s.UserID, &s.CreatedAt, &s.ExpiresAt)
	if err != nil {
		return nil, notFound(err, "Session")
	}
	return &s, nil
}

// DeleteSession ends a session.
func (tx *Tx) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := tx.exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	return err
}

// DeleteExpiredSessions removes sessions past their expiry.
func (tx *Tx) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, tx.Now)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// RecordFailedLogin notes a failed sign-in for rate limiting.
func (tx *Tx) RecordFailedLogin(ctx context.Context, email, addr string) error {
	_, err := tx.exec(ctx, `INSERT INTO login_attempts (email, addr, at) VALUES ($1, $2, $3)`, email, addr, tx.Now)
	return err
}

// CountFailedLogins counts failures since a time for an account and for an address.
func (tx *Tx) CountFailedLogins(ctx context.Context, email, addr string, since time.Time) (byEmail, byAddr int, err error) {
	err = tx.queryRow(ctx, `SELECT
		(SELECT count(*) FROM login_attempts WHERE email = $1 AND at > $3),
		(SELECT count(*) FROM login_attempts WHERE addr = $2 AND at > $3)`, email, addr, since).Scan(&byEmail, &byAddr)
	return byEmail, byAddr, err
}

// ClearFailedLogins forgets an account's failures after it signs in.
func (tx *Tx) ClearFailedLogins(ctx context.Context, email string) error {
	_, err := tx.exec(ctx, `DELETE FROM login_attempts WHERE email = $1`, email)
	return err
}

// DeleteLoginAttemptsBefore forgets failed sign-ins older than a time; rate
// limiting only looks at recent ones.
func (tx *Tx) DeleteLoginAttemptsBefore(ctx context.Context, t time.Time) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM login_attempts WHERE at < $1`, t)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// CreateToken stores an API token by the hash of its secret.
func (tx *Tx) CreateToken(ctx context.Context, workspaceID int64, t *attain.APIToken, tokenHash string) error {
	t.CreatedAt = tx.Now
	id, err := tx.insert(ctx, `INSERT INTO api_tokens (workspace_id, user_id, name, prefix, token_hash, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, workspaceID, t.UserID, t.Name, t.Prefix, tokenHash, t.CreatedAt, t.ExpiresAt)
	t.ID = id
	return err
}

const tokenCols = `id, user_id, name, prefix, created_at, last_used_at, expires_at, revoked_at`

func scanToken(s interface{ Scan(...any) error }) (*attain.APIToken, error) {
	var t attain.APIToken
	err := s.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.CreatedAt, &t.LastUsedAt, &t.ExpiresAt, &t.RevokedAt)
	return &t, err
}

// FindTokens lists a user's tokens in a workspace, newest first.
func (tx *Tx) FindTokens(ctx context.Context, workspaceID, userID int64) ([]*attain.APIToken, error) {
	rows, err := tx.query(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE workspace_id = $1 AND user_id = $2 ORDER BY id DESC`, workspaceID, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// FindTokenByHash returns the usable (unrevoked, unexpired) token with that
// hash and its workspace.
func (tx *Tx) FindTokenByHash(ctx context.Context, tokenHash string) (*attain.APIToken, int64, error) {
	var ws int64
	var t attain.APIToken
	err := tx.queryRow(ctx, `SELECT workspace_id, `+tokenCols+` FROM api_tokens
		WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`, tokenHash, tx.Now).
		Scan(&ws, &t.ID, &t.UserID, &t.Name, &t.Prefix, &t.CreatedAt, &t.LastUsedAt, &t.ExpiresAt, &t.RevokedAt)
	if err != nil {
		return nil, 0, notFound(err, "Token")
	}
	return &t, ws, nil
}

// TouchToken records that a token was used, at most once a minute, so reads
// authenticated by tokens do not each cost a write.
func (tx *Tx) TouchToken(ctx context.Context, workspaceID, id int64) error {
	_, err := tx.exec(ctx, `UPDATE api_tokens SET last_used_at = $1
		WHERE workspace_id = $2 AND id = $3 AND (last_used_at IS NULL OR last_used_at < $4)`,
		tx.Now, workspaceID, id, tx.Now.Add(-time.Minute))
	return err
}

// RevokeToken revokes one of a user's tokens.
func (tx *Tx) RevokeToken(ctx context.Context, workspaceID, userID, id int64) error {
	res, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE workspace_id = $2 AND user_id = $3 AND id = $4 AND revoked_at IS NULL`,
		tx.Now, workspaceID, userID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return attain.Errorf(attain.ENOTFOUND, "Token not found.")
	}
	return nil
}
