package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// IdempotentResponse is a stored answer to a create request, replayed when the
// same Idempotency-Key comes again. Status 0 marks a key claimed by a request
// that is still running.
type IdempotentResponse struct {
	RequestHash string
	Status      int
	Body        []byte
	CreatedAt   time.Time
}

// FindIdempotent returns the stored response for a key, or nil.
func (tx *Tx) FindIdempotent(ctx context.Context, workspaceID, userID int64, key string) (*IdempotentResponse, error) {
	var r IdempotentResponse
	var body string
	err := tx.queryRow(ctx, `SELECT request_hash, status, body, created_at FROM idempotency_keys WHERE workspace_id = $1 AND user_id = $2 AND key = $3`,
		workspaceID, userID, key).Scan(&r.RequestHash, &r.Status, &body, &r.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	r.Body = []byte(body)
	return &r, err
}

// SaveIdempotent stores the response to a create request under its key.
func (tx *Tx) SaveIdempotent(ctx context.Context, workspaceID, userID int64, key string, r IdempotentResponse) error {
	_, err := tx.exec(ctx, `INSERT INTO idempotency_keys (workspace_id, user_id, key, request_hash, status, body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, workspaceID, userID, key, r.RequestHash, r.Status, string(r.Body), tx.Now)
	return err
}

// CompleteIdempotent stores the response of the request that claimed a key.
func (tx *Tx) CompleteIdempotent(ctx context.Context, workspaceID, userID int64, key string, status int, body []byte) error {
	_, err := tx.exec(ctx, `UPDATE idempotency_keys SET status = $1, body = $2 WHERE workspace_id = $3 AND user_id = $4 AND key = $5`,
		status, string(body), workspaceID, userID, key)
	return err
}

// DeleteIdempotent forgets a key, so that a request that failed can be retried with it.
func (tx *Tx) DeleteIdempotent(ctx context.Context, workspaceID, userID int64, key string) error {
	_, err := tx.exec(ctx, `DELETE FROM idempotency_keys WHERE workspace_id = $1 AND user_id = $2 AND key = $3`, workspaceID, userID, key)
	return err
}

// DeleteIdempotentBefore forgets keys older than a time.
func (tx *Tx) DeleteIdempotentBefore(ctx context.Context, t time.Time) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`, t)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
