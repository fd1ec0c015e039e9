package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/attain-crm/attain"
)

// ErrLeaseLost means a worker tried to finish or extend a job it no longer
// holds: its lease ran out and another worker claimed the job.
var ErrLeaseLost = errors.New("job lease lost")

// maxErrorLen bounds the error text kept on a job.
const maxErrorLen = 2000

var _ attain.JobQueue = (*DB)(nil)

const jobCols = `workspace_id, id, kind, payload, status, run_at, attempts, max_attempts,
	lease_until, leased_by, last_error, unique_key, created_at, updated_at, finished_at`

func scanJob(s interface{ Scan(...any) error }) (*attain.Job, error) {
	var j attain.Job
	var payload string
	var key sql.NullString
	err := s.Scan(&j.WorkspaceID, &j.ID, &j.Kind, &payload, &j.Status, &j.RunAt, &j.Attempts, &j.MaxAttempts,
		&j.LeaseUntil, &j.LeasedBy, &j.LastError, &key, &j.CreatedAt, &j.UpdatedAt, &j.FinishedAt)
	j.Payload = []byte(payload)
	j.UniqueKey = key.String
	return &j, err
}

func scanJobs(rows *sql.Rows, err error) ([]*attain.Job, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// dbTime is how a time is stored: UTC, to the microsecond PostgreSQL keeps,
// so SQLite's text timestamps compare in time order.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// inStrings appends every value and returns a parenthesised placeholder list.
func (a *args) inStrings(vs []string) string {
	if len(vs) == 0 {
		return "(NULL)"
	}
	ph := make([]string, len(vs))
	for i, v := range vs {
		ph[i] = a.add(v)
	}
	return "(" + strings.Join(ph, ",") + ")"
}

// Enqueue adds a job in a transaction of its own.
func (db *DB) Enqueue(ctx context.Context, nj attain.NewJob) (*attain.Job, error) {
	var j *attain.Job
	err := db.WriteTx(ctx, func(tx *Tx) error {
		var err error
		j, err = tx.EnqueueJob(ctx, nj)
		return err
	})
	return j, err
}

// EnqueueJob adds a job, so it commits or rolls back with the caller's other
// writes. When the job has a unique key and a copy with that key is already
// queued or running, it returns that copy instead of adding another.
func (tx *Tx) EnqueueJob(ctx context.Context, nj attain.NewJob) (*attain.Job, error) {
	if err := nj.Validate(); err != nil {
		return nil, err
	}
	runAt := tx.Now
	if !nj.RunAt.IsZero() {
		runAt = dbTime(nj.RunAt)
	}
	var key sql.NullString
	if nj.UniqueKey != "" {
		key = sql.NullString{String: nj.UniqueKey, Valid: true}
	}
	// The existing copy can finish between the insert that clashes with it
	// and the select that looks for it; then inserting again succeeds.
	for range 3 {
		j, err := scanJob(tx.queryRow(ctx, `INSERT INTO jobs (workspace_id, kind, payload, run_at, max_attempts, unique_key, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
			ON CONFLICT DO NOTHING
			RETURNING `+jobCols,
			nj.WorkspaceID, nj.Kind, string(nj.Payload), runAt, nj.MaxAttempts, key, tx.Now))
		if err == nil {
			return j, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("enqueue %s: %w", nj.Kind, tx.db.dialect.translate(err))
		}
		j, err = scanJob(tx.queryRow(ctx, `SELECT `+jobCols+` FROM jobs
			WHERE workspace_id = $1 AND kind = $2 AND unique_key = $3 AND status IN ('queued', 'running')`,
			nj.WorkspaceID, nj.Kind, nj.UniqueKey))
		if err == nil {
			return j, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("enqueue %s: find duplicate: %w", nj.Kind, err)
		}
	}
	return nil, fmt.Errorf("enqueue %s: unique key %q keeps clashing", nj.Kind, nj.UniqueKey)
}

// FindJob returns one job.
func (tx *Tx) FindJob(ctx context.Context, workspaceID, id int64) (*attain.Job, error) {
	j, err := scanJob(tx.queryRow(ctx, `SELECT `+jobCols+` FROM jobs WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
	if err != nil {
		return nil, notFound(err, "Job")
	}
	return j, nil
}

// FindJobs lists jobs, oldest first, across workspaces: it is for operators
// and tests, not for users.
func (tx *Tx) FindJobs(ctx context.Context, f attain.JobFilter) ([]*attain.Job, error) {
	var ar args
	q := `SELECT ` + jobCols + ` FROM jobs WHERE 1=1`
	if f.Kind != "" {
		q += ` AND kind = ` + ar.add(f.Kind)
	}
	if f.Status != "" {
		q += ` AND status = ` + ar.add(string(f.Status))
	}
	q += ` ORDER BY created_at, id`
	if f.Limit > 0 {
		q += ` LIMIT ` + ar.add(f.Limit)
	}
	return scanJobs(tx.query(ctx, q, ar...))
}

// claimable is the condition for a job a worker may take: queued and due,
// or running under a lease that has run out.
const claimable = `((status = 'queued' AND run_at <= $1) OR (status = 'running' AND lease_until < $1))`

// HasDueJobs reports whether a job of one of the kinds is ready to claim. It
// reads only, so idle workers poll without taking SQLite's write lock.
func (tx *Tx) HasDueJobs(ctx context.Context, kinds []string) (bool, error) {
	ar := args{tx.Now}
	var one int
	err := tx.queryRow(ctx, `SELECT 1 FROM jobs WHERE kind IN `+ar.inStrings(kinds)+` AND `+claimable+` LIMIT 1`, ar...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// ClaimJobs leases up to n due jobs of the given kinds to worker until now +
// lease, counting an attempt for each. Running jobs whose lease ran out with
// no attempts left are failed first, so a job that kills its worker every
// time does not loop for ever.
func (tx *Tx) ClaimJobs(ctx context.Context, kinds []string, worker string, lease time.Duration, n int) ([]*attain.Job, error) {
	ar := args{tx.Now}
	kindsIn := ar.inStrings(kinds)
	_, err := tx.exec(ctx, `UPDATE jobs SET status = 'failed', lease_until = NULL, finished_at = $1, updated_at = $1,
			last_error = 'The worker stopped or crashed while running the job, and it has no attempts left.'
		WHERE status = 'running' AND lease_until < $1 AND attempts >= max_attempts AND kind IN `+kindsIn, ar...)
	if err != nil {
		return nil, fmt.Errorf("fail abandoned jobs: %w", err)
	}
	q := `UPDATE jobs SET status = 'running', attempts = attempts + 1,
			lease_until = ` + ar.add(dbTime(tx.Now.Add(lease))) + `, leased_by = ` + ar.add(worker) + `, updated_at = $1
		WHERE (workspace_id, id) IN (
			SELECT workspace_id, id FROM jobs
			WHERE kind IN ` + kindsIn + ` AND ` + claimable + `
			ORDER BY run_at, id LIMIT ` + ar.add(n) + tx.db.dialect.skipLocked() + `)
		RETURNING ` + jobCols
	jobs, err := scanJobs(tx.query(ctx, q, ar...))
	if err != nil {
		return nil, fmt.Errorf("claim jobs: %w", err)
	}
	return jobs, nil
}

// leaseHeld is the condition that the row is still the claim j describes.
const leaseHeld = `workspace_id = $1 AND id = $2 AND status = 'running' AND leased_by = $3 AND attempts = $4`

func (tx *Tx) updateLeased(ctx context.Context, j *attain.Job, set string, vals ...any) error {
	ar := args{j.WorkspaceID, j.ID, j.LeasedBy, j.Attempts}
	ar = append(ar, vals...)
	res, err := tx.exec(ctx, `UPDATE jobs SET `+set+` WHERE `+leaseHeld, ar...)
	if err != nil {
		return fmt.Errorf("job %d: %w", j.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("job %d: %w", j.ID, ErrLeaseLost)
	}
	return nil
}

// ExtendJobLease keeps a long job leased to its worker until now + lease.
func (tx *Tx) ExtendJobLease(ctx context.Context, j *attain.Job, lease time.Duration) error {
	until := dbTime(tx.Now.Add(lease))
	if err := tx.updateLeased(ctx, j, `lease_until = $5, updated_at = $6`, until, tx.Now); err != nil {
		return err
	}
	j.LeaseUntil = &until
	return nil
}

// CompleteJob marks a claimed job done.
func (tx *Tx) CompleteJob(ctx context.Context, j *attain.Job) error {
	if err := tx.updateLeased(ctx, j, `status = 'done', lease_until = NULL, finished_at = $5, updated_at = $5`, tx.Now); err != nil {
		return err
	}
	j.Status, j.LeaseUntil, j.FinishedAt = attain.JobDone, nil, &tx.Now
	return nil
}

// RetryJob records a failed attempt of a claimed job. The job is queued
// again to run after delay, or failed for good when it has no attempts left;
// the returned status says which.
func (tx *Tx) RetryJob(ctx context.Context, j *attain.Job, errMsg string, delay time.Duration) (attain.JobStatus, error) {
	if j.Attempts >= j.MaxAttempts {
		return attain.JobFailed, tx.FailJob(ctx, j, errMsg)
	}
	runAt := dbTime(tx.Now.Add(delay))
	err := tx.updateLeased(ctx, j, `status = 'queued', run_at = $5, last_error = $6, lease_until = NULL, updated_at = $7`,
		runAt, truncateError(errMsg), tx.Now)
	if err != nil {
		return "", err
	}
	j.Status, j.RunAt, j.LastError, j.LeaseUntil = attain.JobQueued, runAt, truncateError(errMsg), nil
	return attain.JobQueued, nil
}

// FailJob marks a claimed job failed for good, keeping the error.
func (tx *Tx) FailJob(ctx context.Context, j *attain.Job, errMsg string) error {
	err := tx.updateLeased(ctx, j, `status = 'failed', last_error = $5, lease_until = NULL, finished_at = $6, updated_at = $6`,
		truncateError(errMsg), tx.Now)
	if err != nil {
		return err
	}
	j.Status, j.LastError, j.LeaseUntil, j.FinishedAt = attain.JobFailed, truncateError(errMsg), nil, &tx.Now
	return nil
}

func truncateError(s string) string {
	if len(s) <= maxErrorLen {
		return s
	}
	return strings.ToValidUTF8(s[:maxErrorLen], "") + "…"
}

// DeleteFinishedJobs forgets jobs that ended: done ones finished before
// doneBefore, failed ones (kept longer, for diagnosis) before failedBefore.
func (tx *Tx) DeleteFinishedJobs(ctx context.Context, doneBefore, failedBefore time.Time) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM jobs WHERE (status = 'done' AND finished_at < $1) OR (status = 'failed' AND finished_at < $2)`,
		dbTime(doneBefore), dbTime(failedBefore))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

const scheduleCols = `name, workspace_id, kind, payload, interval_seconds, next_run_at, last_run_at, runs`

func scanSchedule(s interface{ Scan(...any) error }) (*attain.JobSchedule, error) {
	var sc attain.JobSchedule
	var payload string
	var secs int64
	err := s.Scan(&sc.Name, &sc.WorkspaceID, &sc.Kind, &payload, &secs, &sc.NextRunAt, &sc.LastRunAt, &sc.Runs)
	sc.Payload = []byte(payload)
	sc.Interval = time.Duration(secs) * time.Second
	return &sc, err
}

// SaveJobSchedule creates or updates a recurring schedule by name. A new
// schedule first fires now. An existing one keeps its next run and count,
// except that a shortened interval brings the next run forward to at most
// one interval away.
func (tx *Tx) SaveJobSchedule(ctx context.Context, s *attain.JobSchedule) error {
	if err := s.Validate(); err != nil {
		return err
	}
	secs := int64(s.Interval / time.Second)
	soonest := dbTime(tx.Now.Add(time.Duration(secs) * time.Second))
	sc, err := scanSchedule(tx.queryRow(ctx, `INSERT INTO job_schedules
			(name, workspace_id, kind, payload, interval_seconds, next_run_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6, $6)
		ON CONFLICT (name) DO UPDATE SET workspace_id = excluded.workspace_id, kind = excluded.kind,
			payload = excluded.payload, interval_seconds = excluded.interval_seconds, updated_at = excluded.updated_at,
			next_run_at = CASE WHEN job_schedules.next_run_at > $7 THEN $7 ELSE job_schedules.next_run_at END
		RETURNING `+scheduleCols,
		s.Name, s.WorkspaceID, s.Kind, string(s.Payload), secs, tx.Now, soonest))
	if err != nil {
		return fmt.Errorf("save schedule %s: %w", s.Name, tx.db.dialect.translate(err))
	}
	*s = *sc
	return nil
}

// FindJobSchedule returns the schedule with that name.
func (tx *Tx) FindJobSchedule(ctx context.Context, name string) (*attain.JobSchedule, error) {
	sc, err := scanSchedule(tx.queryRow(ctx, `SELECT `+scheduleCols+` FROM job_schedules WHERE name = $1`, name))
	if err != nil {
		return nil, notFound(err, "Schedule")
	}
	return sc, nil
}

// HasDueSchedules reports whether a schedule is due. It reads only, so idle
// processes poll without taking SQLite's write lock.
func (tx *Tx) HasDueSchedules(ctx context.Context) (bool, error) {
	var one int
	err := tx.queryRow(ctx, `SELECT 1 FROM job_schedules WHERE next_run_at <= $1 LIMIT 1`, tx.Now).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// FireDueSchedules enqueues one job for every schedule that is due and moves
// each to its next run after now; runs missed while nothing was running
// collapse into this one. Each schedule row is advanced only if its run count
// is still the one read, in the transaction that enqueues the job, so when
// several processes fire at once exactly one enqueues the run.
func (tx *Tx) FireDueSchedules(ctx context.Context) ([]*attain.Job, error) {
	rows, err := tx.query(ctx, `SELECT `+scheduleCols+` FROM job_schedules WHERE next_run_at <= $1 ORDER BY name`, tx.Now)
	if err != nil {
		return nil, fmt.Errorf("find due schedules: %w", err)
	}
	var due []*attain.JobSchedule
	for rows.Next() {
		sc, err := scanSchedule(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("find due schedules: %w", err)
		}
		due = append(due, sc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find due schedules: %w", err)
	}
	var jobs []*attain.Job
	for _, sc := range due {
		next := NextRun(sc.NextRunAt, sc.Interval, tx.Now)
		res, err := tx.exec(ctx, `UPDATE job_schedules SET next_run_at = $1, last_run_at = $2, runs = runs + 1, updated_at = $2
			WHERE name = $3 AND runs = $4`, dbTime(next), tx.Now, sc.Name, sc.Runs)
		if err != nil {
			return nil, fmt.Errorf("advance schedule %s: %w", sc.Name, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			continue // another process fired it
		}
		j, err := tx.EnqueueJob(ctx, attain.NewJob{WorkspaceID: sc.WorkspaceID, Kind: sc.Kind, Payload: sc.Payload})
		if err != nil {
			return nil, fmt.Errorf("schedule %s: %w", sc.Name, err)
		}
		jobs = append(jobs, j)
	}
	return jobs, nil
}

// NextRun returns the first time after now that is a whole number of
// intervals after last.
func NextRun(last time.Time, interval time.Duration, now time.Time) time.Time {
	if interval <= 0 {
		return now
	}
	if last.After(now) {
		return last
	}
	k := now.Sub(last)/interval + 1
	return last.Add(k * interval)
}
