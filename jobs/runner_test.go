package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/jobs"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// clock is a settable time source shared by the database handles of a test.
// Runners poll on real time but read "now" from here, so a test moves time
// forward instead of waiting for it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// eventually polls cond until it holds, failing the test after a deadline
// generous enough for a loaded CI machine.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func newRunner(t *testing.T, db *store.DB, cfg jobs.Config) *jobs.Runner {
	t.Helper()
	cfg.DB = db
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 10 * time.Millisecond
	}
	return jobs.New(cfg)
}

func start(t *testing.T, r *jobs.Runner) {
	t.Helper()
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Stop(context.Background()) })
}

func find(t *testing.T, db *store.DB, j *attain.Job) *attain.Job {
	t.Helper()
	var got *attain.Job
	err := db.ReadTx(context.Background(), func(tx *store.Tx) error {
		var err error
		got, err = tx.FindJob(context.Background(), j.WorkspaceID, j.ID)
		return err
	})
	if err != nil {
		t.Fatalf("find job: %v", err)
	}
	return got
}

func status(t *testing.T, db *store.DB, j *attain.Job) attain.JobStatus {
	t.Helper()
	return find(t, db, j).Status
}

func countJobs(t *testing.T, db *store.DB, f attain.JobFilter) int {
	t.Helper()
	var n int
	err := db.ReadTx(context.Background(), func(tx *store.Tx) error {
		js, err := tx.FindJobs(context.Background(), f)
		n = len(js)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// counter counts handler calls per job.
type counter struct {
	mu sync.Mutex
	n  map[int64]int
}

func (c *counter) inc(id int64) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[int64]int{}
	}
	c.n[id]++
	return c.n[id]
}

func (c *counter) get(id int64) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[id]
}

func TestRunnerRunsJobs(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		r := newRunner(t, db, jobs.Config{})
		var mu sync.Mutex
		var got []string
		r.Handle("greet", func(_ context.Context, j *attain.Job) error {
			var p struct{ Name string }
			if err := json.Unmarshal(j.Payload, &p); err != nil {
				return jobs.Permanent(err)
			}
			mu.Lock()
			got = append(got, p.Name)
			mu.Unlock()
			return nil
		})
		start(t, r)
		var js []*attain.Job
		for _, name := range []string{"Ada", "Grace", "Linus"} {
			j, err := r.Enqueue(context.Background(), attain.NewJob{Kind: "greet", Payload: json.RawMessage(`{"name":"` + name + `"}`)})
			if err != nil {
				t.Fatal(err)
			}
			js = append(js, j)
		}
		for _, j := range js {
			eventually(t, "job done", func() bool { return status(t, db, j) == attain.JobDone })
		}
		mu.Lock()
		defer mu.Unlock()
		if len(got) != 3 {
			t.Errorf("handled %v", got)
		}
	})
}

func TestRunnerRetriesWithBackoffThenFails(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		c := newClock()
		db.Now = c.Now
		r := newRunner(t, db, jobs.Config{BackoffBase: time.Minute, BackoffMax: time.Minute})
		var calls counter
		r.Handle("flaky", func(_ context.Context, j *attain.Job) error {
			return fmt.Errorf("attempt %d failed", calls.inc(j.ID))
		})
		j, err := db.Enqueue(context.Background(), attain.NewJob{Kind: "flaky", MaxAttempts: 3})
		if err != nil {
			t.Fatal(err)
		}
		start(t, r)
		for attempt := 1; attempt <= 2; attempt++ {
			eventually(t, "retry queued", func() bool {
				got := find(t, db, j)
				return got.Status == attain.JobQueued && got.Attempts == attempt
			})
			got := find(t, db, j)
			wait := got.RunAt.Sub(c.Now())
			if wait < 30*time.Second || wait > time.Minute {
				t.Fatalf("attempt %d: retry in %v, want between 30s and 1m", attempt, wait)
			}
			if got.LastError != fmt.Sprintf("attempt %d failed", attempt) {
				t.Fatalf("last error %q", got.LastError)
			}
			if n := calls.get(j.ID); n != attempt {
				t.Fatalf("handler called %d times before the backoff ended, want %d", n, attempt)
			}
			c.Add(time.Minute)
		}
		eventually(t, "job failed", func() bool { return status(t, db, j) == attain.JobFailed })
		got := find(t, db, j)
		if got.Attempts != 3 || got.LastError != "attempt 3 failed" || calls.get(j.ID) != 3 {
			t.Fatalf("failed job %+v after %d calls", got, calls.get(j.ID))
		}
	})
}

func TestRunnerPermanentErrorFailsAtOnce(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		r := newRunner(t, db, jobs.Config{})
		r.Handle("bad", func(context.Context, *attain.Job) error { return jobs.Permanent(errors.New("no such account")) })
		r.Handle("panics", func(context.Context, *attain.Job) error { panic("boom") })
		start(t, r)
		bad, _ := r.Enqueue(context.Background(), attain.NewJob{Kind: "bad"})
		pan, _ := r.Enqueue(context.Background(), attain.NewJob{Kind: "panics", MaxAttempts: 1})
		eventually(t, "permanent failure", func() bool { return status(t, db, bad) == attain.JobFailed })
		if got := find(t, db, bad); got.Attempts != 1 || got.LastError != "no such account" {
			t.Errorf("permanently failed job %+v", got)
		}
		eventually(t, "panicking job failed", func() bool { return status(t, db, pan) == attain.JobFailed })
		if got := find(t, db, pan); got.LastError != "panic: boom" {
			t.Errorf("panicking job %+v", got)
		}
	})
}

func TestRunnerWaitsForRunAt(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		c := newClock()
		db.Now = c.Now
		r := newRunner(t, db, jobs.Config{})
		r.Handle("remind", func(context.Context, *attain.Job) error { return nil })
		later, _ := db.Enqueue(context.Background(), attain.NewJob{Kind: "remind", RunAt: c.Now().Add(time.Hour)})
		start(t, r)
		// A job enqueued after it but due now runs first; the later one waits.
		now, _ := r.Enqueue(context.Background(), attain.NewJob{Kind: "remind"})
		eventually(t, "due job done", func() bool { return status(t, db, now) == attain.JobDone })
		if got := find(t, db, later); got.Status != attain.JobQueued || got.Attempts != 0 {
			t.Fatalf("job due in an hour ran early: %+v", got)
		}
		c.Add(time.Hour)
		eventually(t, "later job done", func() bool { return status(t, db, later) == attain.JobDone })
	})
}

func TestRunnerReclaimsJobOfDeadWorker(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		c := newClock()
		db.Now = c.Now
		j, _ := db.Enqueue(context.Background(), attain.NewJob{Kind: "export"})
		// A process claims the job and dies without a word.
		err := db.WriteTx(context.Background(), func(tx *store.Tx) error {
			_, err := tx.ClaimJobs(context.Background(), []string{"export"}, "dead", time.Minute, 1)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		r := newRunner(t, db, jobs.Config{WorkerID: "alive"})
		r.Handle("export", func(context.Context, *attain.Job) error { return nil })
		start(t, r)
		c.Add(2 * time.Minute)
		eventually(t, "reclaimed job done", func() bool { return status(t, db, j) == attain.JobDone })
		if got := find(t, db, j); got.Attempts != 2 || got.LeasedBy != "alive" {
			t.Errorf("reclaimed job %+v", got)
		}
	})
}

// TestRunnersShareQueue runs two runners, each on its own database handle as
// two processes would, over many jobs: each job runs exactly once.
func TestRunnersShareQueue(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		db2, err := store.Open(context.Background(), db.DSN())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db2.Close() })
		var calls counter
		var runners []*jobs.Runner
		for i, d := range []*store.DB{db, db2} {
			r := newRunner(t, d, jobs.Config{Workers: 3, WorkerID: fmt.Sprint("runner", i)})
			r.Handle("count", func(_ context.Context, j *attain.Job) error {
				calls.inc(j.ID)
				return nil
			})
			runners = append(runners, r)
		}
		const n = 80
		var js []*attain.Job
		for i := range n {
			if i == n/2 {
				for _, r := range runners {
					start(t, r)
				}
			}
			j, err := runners[i%2].Enqueue(context.Background(), attain.NewJob{Kind: "count"})
			if err != nil {
				t.Fatal(err)
			}
			js = append(js, j)
		}
		eventually(t, "all jobs done", func() bool { return countJobs(t, db, attain.JobFilter{Status: attain.JobDone}) == n })
		for _, r := range runners {
			if err := r.Stop(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		for _, j := range js {
			if k := calls.get(j.ID); k != 1 {
				t.Errorf("job %d ran %d times", j.ID, k)
			}
		}
	})
}

// TestScheduleFiresOncePerPeriodAcrossRunners shares a recurring schedule
// between two runners on two handles: one run per period, not one per runner.
func TestScheduleFiresOncePerPeriodAcrossRunners(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		c := newClock()
		db.Now = c.Now
		db2, err := store.Open(context.Background(), db.DSN())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db2.Close() })
		db2.Now = c.Now
		var mu sync.Mutex
		runs := 0
		var runners []*jobs.Runner
		for _, d := range []*store.DB{db, db2} {
			r := newRunner(t, d, jobs.Config{})
			r.Handle("tick", func(context.Context, *attain.Job) error {
				mu.Lock()
				runs++
				mu.Unlock()
				return nil
			})
			r.Every("tick", "tick", time.Hour, nil)
			runners = append(runners, r)
		}
		for _, r := range runners {
			start(t, r)
		}
		const periods = 3
		for p := 1; p <= periods; p++ {
			eventually(t, fmt.Sprintf("run %d done", p), func() bool {
				return countJobs(t, db, attain.JobFilter{Kind: "tick", Status: attain.JobDone}) >= p
			})
			if p < periods {
				c.Add(time.Hour)
			}
		}
		for _, r := range runners {
			if err := r.Stop(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		if n := countJobs(t, db, attain.JobFilter{Kind: "tick"}); n != periods {
			t.Errorf("%d runs enqueued over %d periods", n, periods)
		}
		mu.Lock()
		defer mu.Unlock()
		if runs != periods {
			t.Errorf("handler ran %d times over %d periods", runs, periods)
		}
	})
}

func TestStopLetsRunningJobFinish(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		r := newRunner(t, db, jobs.Config{})
		started, release := make(chan struct{}), make(chan struct{})
		var finished bool
		r.Handle("slow", func(ctx context.Context, _ *attain.Job) error {
			close(started)
			<-release
			finished = true
			return ctx.Err()
		})
		start(t, r)
		j, _ := r.Enqueue(context.Background(), attain.NewJob{Kind: "slow"})
		<-started
		stopped := make(chan error, 1)
		go func() { stopped <- r.Stop(context.Background()) }()
		close(release)
		if err := <-stopped; err != nil {
			t.Fatalf("stop: %v", err)
		}
		if !finished {
			t.Fatal("Stop returned before the job finished")
		}
		if got := status(t, db, j); got != attain.JobDone {
			t.Fatalf("job %s after a graceful stop, want done", got)
		}
	})
}

func TestStopDeadlineCancelsJob(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		r := newRunner(t, db, jobs.Config{})
		started := make(chan struct{})
		r.Handle("stuck", func(ctx context.Context, _ *attain.Job) error {
			close(started)
			<-ctx.Done()
			return ctx.Err()
		})
		start(t, r)
		j, _ := r.Enqueue(context.Background(), attain.NewJob{Kind: "stuck"})
		<-started
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := r.Stop(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("stop past its deadline: %v", err)
		}
		// Interrupted, not failed: queued to run again at once.
		got := find(t, db, j)
		if got.Status != attain.JobQueued || got.LastError == "" || got.RunAt.After(db.Now()) {
			t.Fatalf("interrupted job %+v", got)
		}
	})
}

func TestHousekeeping(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		db.Now = c.Now
		err := db.WriteTx(ctx, func(tx *store.Tx) error {
			if err := tx.RecordFailedLogin(ctx, "old@example.com", "10.0.0.1"); err != nil {
				return err
			}
			return tx.SaveIdempotent(ctx, 1, 1, "old", store.IdempotentResponse{RequestHash: "h", Status: 201, Body: []byte("{}")})
		})
		if err != nil {
			t.Fatal(err)
		}
		c.Add(25 * time.Hour)
		err = db.WriteTx(ctx, func(tx *store.Tx) error {
			if err := tx.RecordFailedLogin(ctx, "new@example.com", "10.0.0.1"); err != nil {
				return err
			}
			return tx.SaveIdempotent(ctx, 1, 1, "new", store.IdempotentResponse{RequestHash: "h", Status: 201, Body: []byte("{}")})
		})
		if err != nil {
			t.Fatal(err)
		}
		r := newRunner(t, db, jobs.Config{})
		jobs.RegisterHousekeeping(r)
		start(t, r)
		eventually(t, "housekeeping done", func() bool {
			return countJobs(t, db, attain.JobFilter{Kind: jobs.KindHousekeeping, Status: attain.JobDone}) == 1
		})
		_ = db.ReadTx(ctx, func(tx *store.Tx) error {
			byOld, _, err := tx.CountFailedLogins(ctx, "old@example.com", "", time.Time{})
			if err != nil || byOld != 0 {
				t.Errorf("old login attempts left: %d, %v", byOld, err)
			}
			byNew, _, err := tx.CountFailedLogins(ctx, "new@example.com", "", time.Time{})
			if err != nil || byNew != 1 {
				t.Errorf("recent login attempts: %d, %v; want 1", byNew, err)
			}
			if old, err := tx.FindIdempotent(ctx, 1, 1, "old"); err != nil || old != nil {
				t.Errorf("old idempotency key left: %v, %v", old, err)
			}
			if recent, err := tx.FindIdempotent(ctx, 1, 1, "new"); err != nil || recent == nil {
				t.Errorf("recent idempotency key gone: %v", err)
			}
			return nil
		})
	})
}

func TestBackoff(t *testing.T) {
	base, maxDelay := 10*time.Second, time.Hour
	for attempt, want := range map[int]time.Duration{1: 10 * time.Second, 2: 20 * time.Second, 4: 80 * time.Second, 30: time.Hour} {
		for range 50 {
			got := jobs.Backoff(attempt, base, maxDelay)
			if got < want/2 || got > want {
				t.Fatalf("Backoff(%d) = %v, want within [%v, %v]", attempt, got, want/2, want)
			}
		}
	}
}
