package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// KindHousekeeping is the built-in job that deletes what has outlived its use.
const KindHousekeeping = "housekeeping"

// How long housekeeping keeps things.
const (
	idempotencyKeyTTL = 24 * time.Hour // a client retries within minutes, not days
	loginAttemptTTL   = 24 * time.Hour // rate limiting looks back 15 minutes
	doneJobTTL        = 7 * 24 * time.Hour
	failedJobTTL      = 30 * 24 * time.Hour // long enough to notice and diagnose
)

// RegisterHousekeeping adds the housekeeping handler and runs it hourly.
func RegisterHousekeeping(r *Runner) {
	r.Handle(KindHousekeeping, Housekeeping(r.db, r.log))
	r.Every(KindHousekeeping, KindHousekeeping, time.Hour, nil)
}

// Housekeeping returns the handler that deletes expired sessions, old
// idempotency keys, old failed sign-ins and long-finished jobs.
func Housekeeping(db *store.DB, log *slog.Logger) Handler {
	return func(ctx context.Context, _ *attain.Job) error {
		return db.WriteTx(ctx, func(tx *store.Tx) error {
			sessions, err := tx.DeleteExpiredSessions(ctx)
			if err != nil {
				return fmt.Errorf("delete expired sessions: %w", err)
			}
			keys, err := tx.DeleteIdempotentBefore(ctx, tx.Now.Add(-idempotencyKeyTTL))
			if err != nil {
				return fmt.Errorf("delete old idempotency keys: %w", err)
			}
			logins, err := tx.DeleteLoginAttemptsBefore(ctx, tx.Now.Add(-loginAttemptTTL))
			if err != nil {
				return fmt.Errorf("delete old login attempts: %w", err)
			}
			jobs, err := tx.DeleteFinishedJobs(ctx, tx.Now.Add(-doneJobTTL), tx.Now.Add(-failedJobTTL))
			if err != nil {
				return fmt.Errorf("delete finished jobs: %w", err)
			}
			log.Info("housekeeping", "sessions", sessions, "idempotency_keys", keys, "login_attempts", logins, "jobs", jobs)
			return nil
		})
	}
}
