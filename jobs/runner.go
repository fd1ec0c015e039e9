// Package jobs runs background jobs kept in the database: workers claim due
// jobs under a lease, run the handler registered for their kind, retry
// failures with exponential backoff, and enqueue recurring jobs from
// schedules. Any number of processes may share one database; each job runs
// once at a time, and a job whose worker died is claimed again when its lease
// runs out.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// Handler runs one job. Returning nil marks the job done; an error queues a
// retry after a backoff until the job's attempts run out, then fails it;
// an error wrapped by Permanent fails it at once. The context is cancelled
// when the runner is stopped and its grace period ends, or when the job's
// lease is lost to another worker.
type Handler func(ctx context.Context, j *attain.Job) error

// permanentError marks a failure that retrying will not fix.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent wraps err so the job fails without further attempts.
func Permanent(err error) error { return permanentError{err} }

// Config tunes a Runner. Zero values take the defaults noted.
type Config struct {
	DB     *store.DB
	Logger *slog.Logger
	// Workers is how many jobs this process runs at once (2).
	Workers int
	// PollInterval is how often idle workers look for due jobs and
	// schedules (1s, with ±10% jitter so processes drift apart).
	PollInterval time.Duration
	// Lease is how long a claimed job stays with its worker without word from
	// it (5m). A running job's lease is renewed every third of this, so only
	// a dead process's jobs outlive it.
	Lease time.Duration
	// BackoffBase and BackoffMax bound the wait before a retry: about
	// BackoffBase after the first failure, doubling each time, at most
	// BackoffMax (10s, 1h).
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// WorkerID names this process in leased_by (host-pid-random).
	WorkerID string
}

// Runner runs registered handlers over the job table. Register handlers and
// schedules, then Start; Stop lets running jobs finish.
type Runner struct {
	cfg       Config
	db        *store.DB
	log       *slog.Logger
	handlers  map[string]Handler
	schedules []*attain.JobSchedule
	wake      chan struct{}

	mu      sync.Mutex
	started bool
	halt    context.CancelFunc // stops claiming and polling
	abort   context.CancelFunc // cancels running handlers
	wg      sync.WaitGroup
}

var _ attain.JobQueue = (*Runner)(nil)

// New returns a runner over cfg.DB.
func New(cfg Config) *Runner {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 2
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 5 * time.Minute
	}
	if cfg.BackoffBase <= 0 {
		cfg.BackoffBase = 10 * time.Second
	}
	if cfg.BackoffMax <= 0 {
		cfg.BackoffMax = time.Hour
	}
	if cfg.WorkerID == "" {
		cfg.WorkerID = workerID()
	}
	return &Runner{cfg: cfg, db: cfg.DB, log: cfg.Logger, handlers: map[string]Handler{}, wake: make(chan struct{}, 1)}
}

func workerID() string {
	host, _ := os.Hostname()
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Handle registers the handler for a kind of job. It panics if called after
// Start or twice for a kind, as those are programming mistakes.
func (r *Runner) Handle(kind string, h Handler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started {
		panic("jobs: Handle after Start")
	}
	if _, dup := r.handlers[kind]; dup {
		panic("jobs: two handlers for " + kind)
	}
	r.handlers[kind] = h
}

// Every registers a recurring job: one job of kind, with payload, enqueued
// every interval across all processes sharing the database. Start saves the
// schedule under name; the first run is due at once when it is new.
func (r *Runner) Every(name, kind string, interval time.Duration, payload json.RawMessage) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started {
		panic("jobs: Every after Start")
	}
	r.schedules = append(r.schedules, &attain.JobSchedule{Name: name, WorkspaceID: attain.SystemWorkspace,
		Kind: kind, Payload: payload, Interval: interval})
}

// Enqueue adds a job and, when this runner handles its kind, wakes an idle
// worker so it starts without waiting for the next poll.
func (r *Runner) Enqueue(ctx context.Context, nj attain.NewJob) (*attain.Job, error) {
	j, err := r.db.Enqueue(ctx, nj)
	if err != nil {
		return nil, err
	}
	if _, ok := r.handlers[j.Kind]; ok {
		r.nudge()
	}
	return j, nil
}

func (r *Runner) nudge() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Start saves the schedules and starts the workers and the scheduler. They
// stop claiming work when ctx ends or Stop is called; running jobs are not
// cancelled by ctx, only by Stop's deadline.
func (r *Runner) Start(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started {
		return errors.New("jobs: runner already started")
	}
	err := r.db.WriteTx(ctx, func(tx *store.Tx) error {
		for _, s := range r.schedules {
			if err := tx.SaveJobSchedule(ctx, s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}
	kinds := make([]string, 0, len(r.handlers))
	for k := range r.handlers {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	pollCtx, halt := context.WithCancel(ctx)
	jobCtx, abort := context.WithCancel(context.WithoutCancel(ctx))
	r.halt, r.abort, r.started = halt, abort, true
	if len(kinds) > 0 {
		for range r.cfg.Workers {
			r.wg.Go(func() { r.work(pollCtx, jobCtx, kinds) })
		}
	}
	r.wg.Go(func() { r.schedule(pollCtx) })
	r.log.Info("jobs started", "worker", r.cfg.WorkerID, "workers", r.cfg.Workers, "kinds", kinds)
	return nil
}

// Stop stops claiming new jobs and waits for running ones to finish. When
// ctx ends first it cancels them, waits briefly for them to record how far
// they got, and returns ctx's error; jobs that still have not returned are
// claimed again, by any process, once their lease runs out.
func (r *Runner) Stop(ctx context.Context) error {
	r.mu.Lock()
	started := r.started
	r.mu.Unlock()
	if !started {
		return nil
	}
	r.halt()
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
		r.abort()
		return nil
	case <-ctx.Done():
	}
	r.abort()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	return fmt.Errorf("stop jobs: %w", ctx.Err())
}

// work is one worker: claim a due job, run it, repeat; sleep when idle.
func (r *Runner) work(pollCtx, jobCtx context.Context, kinds []string) {
	for pollCtx.Err() == nil {
		j, err := r.claim(pollCtx, kinds)
		if err != nil && pollCtx.Err() == nil {
			r.log.Error("claim job", "err", err)
		}
		if j == nil {
			r.sleep(pollCtx)
			continue
		}
		r.run(jobCtx, j)
	}
}

func (r *Runner) claim(ctx context.Context, kinds []string) (*attain.Job, error) {
	var due bool
	err := r.db.ReadTx(ctx, func(tx *store.Tx) error {
		var err error
		due, err = tx.HasDueJobs(ctx, kinds)
		return err
	})
	if err != nil || !due {
		return nil, err
	}
	var claimed []*attain.Job
	err = r.db.WriteTx(ctx, func(tx *store.Tx) error {
		var err error
		claimed, err = tx.ClaimJobs(ctx, kinds, r.cfg.WorkerID, r.cfg.Lease, 1)
		return err
	})
	if err != nil || len(claimed) == 0 {
		return nil, err
	}
	return claimed[0], nil
}

// sleep waits one poll interval, less if woken or stopped.
func (r *Runner) sleep(ctx context.Context) {
	d := r.cfg.PollInterval
	d += time.Duration(mrand.Int64N(int64(d)/5+1)) - d/10
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	case <-r.wake:
	}
}

// run runs one claimed job, renewing its lease meanwhile, and records the
// outcome.
func (r *Runner) run(jobCtx context.Context, j *attain.Job) {
	log := r.log.With("job", j.ID, "workspace", j.WorkspaceID, "kind", j.Kind, "attempt", j.Attempts)
	ctx, cancel := context.WithCancel(jobCtx)
	beat := make(chan struct{})
	go func() {
		defer close(beat)
		r.heartbeat(ctx, cancel, j, log)
	}()
	start := time.Now()
	err := r.call(ctx, j)
	cancel()
	<-beat

	// Record the outcome even when the runner is being stopped.
	rctx, rcancel := context.WithTimeout(context.WithoutCancel(jobCtx), 30*time.Second)
	defer rcancel()
	elapsed := time.Since(start).Round(time.Millisecond).String()
	var status attain.JobStatus
	werr := r.db.WriteTx(rctx, func(tx *store.Tx) error {
		switch {
		case err == nil:
			status = attain.JobDone
			return tx.CompleteJob(rctx, j)
		case errors.As(err, new(permanentError)):
			status = attain.JobFailed
			return tx.FailJob(rctx, j, err.Error())
		default:
			delay := Backoff(j.Attempts, r.cfg.BackoffBase, r.cfg.BackoffMax)
			if jobCtx.Err() != nil {
				delay = 0 // interrupted by shutdown, not the job's fault: run again soon
			}
			var err2 error
			status, err2 = tx.RetryJob(rctx, j, err.Error(), delay)
			return err2
		}
	})
	switch {
	case errors.Is(werr, store.ErrLeaseLost):
		log.Warn("job outlived its lease; another worker has it", "took", elapsed, "err", err)
	case werr != nil:
		log.Error("record job outcome", "err", werr, "job_err", err)
	case status == attain.JobDone:
		log.Debug("job done", "took", elapsed)
	case status == attain.JobFailed:
		log.Error("job failed", "took", elapsed, "err", err)
	default:
		log.Warn("job will be retried", "took", elapsed, "err", err, "run_at", j.RunAt)
	}
}

// call runs the handler, turning a panic into an error.
func (r *Runner) call(ctx context.Context, j *attain.Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.log.Error("job panicked", "job", j.ID, "kind", j.Kind, "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	h, ok := r.handlers[j.Kind]
	if !ok {
		return Permanent(fmt.Errorf("no handler for kind %q", j.Kind))
	}
	return h(ctx, j)
}

// heartbeat renews the job's lease every third of the lease until ctx ends,
// and cancels the job if the lease was lost.
func (r *Runner) heartbeat(ctx context.Context, cancel context.CancelFunc, j *attain.Job, log *slog.Logger) {
	t := time.NewTicker(r.cfg.Lease / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := r.db.WriteTx(ctx, func(tx *store.Tx) error { return tx.ExtendJobLease(ctx, j, r.cfg.Lease) })
		if errors.Is(err, store.ErrLeaseLost) {
			log.Warn("job lease lost; cancelling it")
			cancel()
			return
		}
		if err != nil && ctx.Err() == nil {
			log.Error("renew job lease", "err", err)
		}
	}
}

// schedule enqueues the runs of due schedules, polling like the workers.
func (r *Runner) schedule(ctx context.Context) {
	for ctx.Err() == nil {
		fired, err := r.fire(ctx)
		if err != nil && ctx.Err() == nil {
			r.log.Error("fire schedules", "err", err)
		}
		if fired {
			r.nudge()
		}
		t := time.NewTimer(r.cfg.PollInterval)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
	}
}

func (r *Runner) fire(ctx context.Context) (bool, error) {
	var due bool
	err := r.db.ReadTx(ctx, func(tx *store.Tx) error {
		var err error
		due, err = tx.HasDueSchedules(ctx)
		return err
	})
	if err != nil || !due {
		return false, err
	}
	var jobs []*attain.Job
	err = r.db.WriteTx(ctx, func(tx *store.Tx) error {
		var err error
		jobs, err = tx.FireDueSchedules(ctx)
		return err
	})
	for _, j := range jobs {
		r.log.Debug("schedule fired", "job", j.ID, "kind", j.Kind)
	}
	return len(jobs) > 0, err
}

// Backoff returns the wait before retrying after the given attempt failed:
// base doubled for each earlier attempt, at most max, with "equal jitter"
// (a random point in the upper half) so jobs that failed together do not
// retry together.
func Backoff(attempt int, base, maxDelay time.Duration) time.Duration {
	d := base
	for i := 1; i < attempt && d < maxDelay; i++ {
		d *= 2
	}
	d = min(d, maxDelay)
	return d/2 + time.Duration(mrand.Int64N(int64(d/2)+1))
}
