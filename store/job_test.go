package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// clock is a settable time source shared by the database handles of a test.
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

// second opens another handle on the same database, as a second process
// would, with the test's clock.
func second(t *testing.T, db *store.DB, c *clock) *store.DB {
	t.Helper()
	db2, err := store.Open(context.Background(), db.DSN())
	if err != nil {
		t.Fatalf("open second handle: %v", err)
	}
	t.Cleanup(func() { db2.Close() })
	db2.Now = c.Now
	return db2
}

func claimE(db *store.DB, worker string, lease time.Duration, n int) ([]*attain.Job, error) {
	var jobs []*attain.Job
	err := db.WriteTx(context.Background(), func(tx *store.Tx) error {
		var err error
		jobs, err = tx.ClaimJobs(context.Background(), []string{"mail"}, worker, lease, n)
		return err
	})
	return jobs, err
}

func claim(t *testing.T, db *store.DB, worker string, lease time.Duration, n int) []*attain.Job {
	t.Helper()
	jobs, err := claimE(db, worker, lease, n)
	if err != nil {
		t.Fatalf("claim: %v", err)
	}
	return jobs
}

func findJob(t *testing.T, db *store.DB, j *attain.Job) *attain.Job {
	t.Helper()
	var got *attain.Job
	err := db.ReadTx(context.Background(), func(tx *store.Tx) error {
		var err error
		got, err = tx.FindJob(context.Background(), j.WorkspaceID, j.ID)
		return err
	})
	if err != nil {
		t.Fatalf("find job %d: %v", j.ID, err)
	}
	return got
}

func enqueue(t *testing.T, db *store.DB, nj attain.NewJob) *attain.Job {
	t.Helper()
	j, err := db.Enqueue(context.Background(), nj)
	if err != nil {
		t.Fatalf("enqueue: %v", err)
	}
	return j
}

func TestJobClaimComplete(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		db.Now = c.Now
		j := enqueue(t, db, attain.NewJob{WorkspaceID: 7, Kind: "mail", Payload: json.RawMessage(`{"to":"a@example.com"}`)})
		if j.Status != attain.JobQueued || j.MaxAttempts != attain.DefaultMaxAttempts || !j.RunAt.Equal(c.Now()) {
			t.Fatalf("enqueued %+v", j)
		}
		enqueue(t, db, attain.NewJob{Kind: "other"})

		got := claim(t, db, "w1", time.Minute, 10)
		if len(got) != 1 || got[0].ID != j.ID {
			t.Fatalf("claimed %+v, want only job %d", got, j.ID)
		}
		cl := got[0]
		if cl.Status != attain.JobRunning || cl.Attempts != 1 || cl.LeasedBy != "w1" ||
			cl.LeaseUntil == nil || !cl.LeaseUntil.Equal(c.Now().Add(time.Minute)) {
			t.Fatalf("claimed job %+v", cl)
		}
		if string(cl.Payload) != `{"to":"a@example.com"}` {
			t.Errorf("payload %s", cl.Payload)
		}
		if again := claim(t, db, "w2", time.Minute, 10); len(again) != 0 {
			t.Fatalf("a leased job was claimed again: %+v", again)
		}
		if err := db.WriteTx(ctx, func(tx *store.Tx) error { return tx.CompleteJob(ctx, cl) }); err != nil {
			t.Fatal(err)
		}
		done := findJob(t, db, j)
		if done.Status != attain.JobDone || done.FinishedAt == nil || done.LeaseUntil != nil {
			t.Fatalf("completed job %+v", done)
		}
		if again := claim(t, db, "w2", time.Minute, 10); len(again) != 0 {
			t.Fatalf("a done job was claimed: %+v", again)
		}
	})
}

func TestJobValidation(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		for _, nj := range []attain.NewJob{{Kind: " "}, {Kind: "mail", Payload: json.RawMessage(`{`)}, {Kind: "mail", MaxAttempts: -1}} {
			if _, err := db.Enqueue(context.Background(), nj); attain.ErrorCode(err) != attain.EINVALID {
				t.Errorf("enqueue %+v: got %v, want invalid", nj, err)
			}
		}
	})
}

func TestJobUniqueKey(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := enqueue(t, db, attain.NewJob{Kind: "mail", UniqueKey: "digest-2025-09"})
		b := enqueue(t, db, attain.NewJob{Kind: "mail", UniqueKey: "digest-2025-09"})
		if a.ID != b.ID {
			t.Fatalf("same key gave jobs %d and %d", a.ID, b.ID)
		}
		if other := enqueue(t, db, attain.NewJob{Kind: "mail", WorkspaceID: 2, UniqueKey: "digest-2025-09"}); other.ID == a.ID {
			t.Error("the key was shared across workspaces")
		}
		// Still deduplicated while running; a new copy once it is done.
		cl := claim(t, db, "w1", time.Minute, 1)
		if c := enqueue(t, db, attain.NewJob{Kind: "mail", UniqueKey: "digest-2025-09"}); c.ID != a.ID {
			t.Fatalf("running job was duplicated: %d", c.ID)
		}
		if err := db.WriteTx(ctx, func(tx *store.Tx) error { return tx.CompleteJob(ctx, cl[0]) }); err != nil {
			t.Fatal(err)
		}
		if c := enqueue(t, db, attain.NewJob{Kind: "mail", UniqueKey: "digest-2025-09"}); c.ID == a.ID || c.Status != attain.JobQueued {
			t.Fatalf("after completion got %+v, want a new queued job", c)
		}
	})
}

func TestJobNotClaimedBeforeRunAt(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		c := newClock()
		db.Now = c.Now
		j := enqueue(t, db, attain.NewJob{Kind: "mail", RunAt: c.Now().Add(time.Hour)})
		c.Add(time.Hour - time.Second)
		if got := claim(t, db, "w1", time.Minute, 1); len(got) != 0 {
			t.Fatalf("claimed a job due later: %+v", got)
		}
		c.Add(time.Second)
		if got := claim(t, db, "w1", time.Minute, 1); len(got) != 1 || got[0].ID != j.ID {
			t.Fatalf("job not claimed when due: %+v", got)
		}
	})
}

func TestJobExpiredLeaseIsReclaimed(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		db.Now = c.Now
		j := enqueue(t, db, attain.NewJob{Kind: "mail", MaxAttempts: 2})
		first := claim(t, db, "crashed", time.Minute, 1)[0]

		c.Add(time.Minute)
		if got := claim(t, db, "w2", time.Minute, 1); len(got) != 0 {
			t.Fatalf("claimed while the lease holds: %+v", got)
		}
		c.Add(time.Second)
		got := claim(t, db, "w2", time.Minute, 1)
		if len(got) != 1 || got[0].ID != j.ID || got[0].Attempts != 2 || got[0].LeasedBy != "w2" {
			t.Fatalf("reclaimed %+v", got)
		}
		// The first worker comes back to life: its claim is gone.
		err := db.WriteTx(ctx, func(tx *store.Tx) error { return tx.CompleteJob(ctx, first) })
		if !errors.Is(err, store.ErrLeaseLost) {
			t.Fatalf("stale worker completed the job: %v", err)
		}
		// Out of attempts and abandoned again: failed, not run a third time.
		c.Add(2 * time.Minute)
		if again := claim(t, db, "w3", time.Minute, 1); len(again) != 0 {
			t.Fatalf("claimed a job with no attempts left: %+v", again)
		}
		f := findJob(t, db, j)
		if f.Status != attain.JobFailed || f.LastError == "" || f.FinishedAt == nil {
			t.Fatalf("abandoned job %+v, want failed with an error", f)
		}
	})
}

func TestJobRetryThenFail(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		db.Now = c.Now
		j := enqueue(t, db, attain.NewJob{Kind: "mail", MaxAttempts: 2})
		retry := func(cl *attain.Job, msg string) attain.JobStatus {
			var st attain.JobStatus
			err := db.WriteTx(ctx, func(tx *store.Tx) error {
				var err error
				st, err = tx.RetryJob(ctx, cl, msg, 10*time.Second)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		if st := retry(claim(t, db, "w1", time.Minute, 1)[0], "smtp down"); st != attain.JobQueued {
			t.Fatalf("after the first failure: %s", st)
		}
		q := findJob(t, db, j)
		if q.Status != attain.JobQueued || q.LastError != "smtp down" || !q.RunAt.Equal(c.Now().Add(10*time.Second)) || q.LeaseUntil != nil {
			t.Fatalf("queued for retry: %+v", q)
		}
		if got := claim(t, db, "w1", time.Minute, 1); len(got) != 0 {
			t.Fatal("retried before its backoff ended")
		}
		c.Add(10 * time.Second)
		cl := claim(t, db, "w1", time.Minute, 1)
		if len(cl) != 1 || cl[0].Attempts != 2 {
			t.Fatalf("second attempt %+v", cl)
		}
		if st := retry(cl[0], "smtp still down"); st != attain.JobFailed {
			t.Fatalf("after the last attempt: %s", st)
		}
		f := findJob(t, db, j)
		if f.Status != attain.JobFailed || f.LastError != "smtp still down" || f.Attempts != 2 {
			t.Fatalf("failed job %+v", f)
		}
		c.Add(time.Hour)
		if got := claim(t, db, "w1", time.Minute, 1); len(got) != 0 {
			t.Fatal("a failed job was claimed")
		}
	})
}

// TestJobClaimsAcrossHandles claims from two database handles at once, as
// two processes would, and checks that no job is handed out twice.
func TestJobClaimsAcrossHandles(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		c := newClock()
		db.Now = c.Now
		dbs := []*store.DB{db, second(t, db, c)}
		const n = 60
		for range n {
			enqueue(t, db, attain.NewJob{Kind: "mail"})
		}
		var mu sync.Mutex
		seen := map[int64]int{}
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Go(func() {
				for {
					got, err := claimE(dbs[i%2], "w", time.Minute, 2)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, j := range got {
						seen[j.ID]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(seen) != n {
			t.Errorf("claimed %d distinct jobs, want %d", len(seen), n)
		}
		for id, k := range seen {
			if k != 1 {
				t.Errorf("job %d claimed %d times", id, k)
			}
		}
	})
}

func fireE(db *store.DB) ([]*attain.Job, error) {
	var jobs []*attain.Job
	err := db.WriteTx(context.Background(), func(tx *store.Tx) error {
		var err error
		jobs, err = tx.FireDueSchedules(context.Background())
		return err
	})
	return jobs, err
}

func fire(t *testing.T, db *store.DB) []*attain.Job {
	t.Helper()
	jobs, err := fireE(db)
	if err != nil {
		t.Fatalf("fire schedules: %v", err)
	}
	return jobs
}

func saveSchedule(t *testing.T, db *store.DB, s *attain.JobSchedule) {
	t.Helper()
	if err := db.WriteTx(context.Background(), func(tx *store.Tx) error { return tx.SaveJobSchedule(context.Background(), s) }); err != nil {
		t.Fatalf("save schedule: %v", err)
	}
}

func TestJobSchedule(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		c := newClock()
		db.Now = c.Now
		t0 := c.Now()
		s := &attain.JobSchedule{Name: "digest", Kind: "mail", Interval: time.Hour, Payload: json.RawMessage(`{"x":1}`)}
		saveSchedule(t, db, s)
		if !s.NextRunAt.Equal(t0) || s.Runs != 0 {
			t.Fatalf("new schedule %+v, want first run now", s)
		}
		got := fire(t, db)
		if len(got) != 1 || got[0].Kind != "mail" || string(got[0].Payload) != `{"x":1}` {
			t.Fatalf("fired %+v", got)
		}
		if again := fire(t, db); len(again) != 0 {
			t.Fatalf("fired twice in one period: %+v", again)
		}
		c.Add(59 * time.Minute)
		if again := fire(t, db); len(again) != 0 {
			t.Fatal("fired early")
		}
		c.Add(time.Minute)
		if got := fire(t, db); len(got) != 1 {
			t.Fatalf("second period fired %d", len(got))
		}
		// Down for hours: one catch-up run, and the next stays on the grid.
		c.Add(4*time.Hour + 30*time.Minute)
		if got := fire(t, db); len(got) != 1 {
			t.Fatalf("catch-up fired %d", len(got))
		}
		var sc *attain.JobSchedule
		_ = db.ReadTx(context.Background(), func(tx *store.Tx) error {
			var err error
			sc, err = tx.FindJobSchedule(context.Background(), "digest")
			return err
		})
		if sc.Runs != 3 || !sc.NextRunAt.Equal(t0.Add(6*time.Hour)) || sc.LastRunAt == nil {
			t.Fatalf("schedule after catch-up %+v", sc)
		}
		// Saving it again (a restart) keeps its place; a shorter interval
		// brings the next run forward.
		s = &attain.JobSchedule{Name: "digest", Kind: "mail", Interval: time.Hour}
		saveSchedule(t, db, s)
		if s.Runs != 3 || !s.NextRunAt.Equal(t0.Add(6*time.Hour)) {
			t.Fatalf("resaved schedule %+v", s)
		}
		s = &attain.JobSchedule{Name: "digest", Kind: "mail", Interval: 10 * time.Minute}
		saveSchedule(t, db, s)
		if !s.NextRunAt.Equal(c.Now().Add(10 * time.Minute)) {
			t.Fatalf("shortened schedule next run %v, want %v", s.NextRunAt, c.Now().Add(10*time.Minute))
		}
	})
}

// TestJobScheduleFiresOnceAcrossHandles fires one schedule from many
// goroutines over two database handles at once: each period enqueues one job.
func TestJobScheduleFiresOnceAcrossHandles(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		c := newClock()
		db.Now = c.Now
		dbs := []*store.DB{db, second(t, db, c)}
		saveSchedule(t, db, &attain.JobSchedule{Name: "tick", Kind: "mail", Interval: time.Minute})
		for period := range 3 {
			var mu sync.Mutex
			fired := 0
			var wg sync.WaitGroup
			for i := range 8 {
				wg.Go(func() {
					got, err := fireE(dbs[i%2])
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					fired += len(got)
					mu.Unlock()
				})
			}
			wg.Wait()
			if fired != 1 {
				t.Fatalf("period %d: %d runs enqueued, want 1", period, fired)
			}
			c.Add(time.Minute)
		}
	})
}

func TestNextRun(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		now, want time.Time
	}{
		{t0, t0.Add(time.Hour)},
		{t0.Add(time.Minute), t0.Add(time.Hour)},
		{t0.Add(time.Hour), t0.Add(2 * time.Hour)},
		{t0.Add(5*time.Hour + time.Second), t0.Add(6 * time.Hour)},
		{t0.Add(-time.Minute), t0},
	} {
		if got := store.NextRun(t0, time.Hour, tc.now); !got.Equal(tc.want) {
			t.Errorf("NextRun(t0, 1h, %v) = %v, want %v", tc.now, got, tc.want)
		}
	}
}

func TestDeleteFinishedJobs(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		db.Now = c.Now
		old := enqueue(t, db, attain.NewJob{Kind: "mail"})
		cl := claim(t, db, "w", time.Minute, 1)[0]
		if err := db.WriteTx(ctx, func(tx *store.Tx) error { return tx.CompleteJob(ctx, cl) }); err != nil {
			t.Fatal(err)
		}
		c.Add(48 * time.Hour)
		queued := enqueue(t, db, attain.NewJob{Kind: "mail", RunAt: c.Now().Add(time.Hour)})
		var n int64
		err := db.WriteTx(ctx, func(tx *store.Tx) error {
			var err error
			n, err = tx.DeleteFinishedJobs(ctx, tx.Now.Add(-24*time.Hour), tx.Now.Add(-24*time.Hour))
			return err
		})
		if err != nil || n != 1 {
			t.Fatalf("deleted %d, %v; want 1", n, err)
		}
		_ = db.ReadTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.FindJob(ctx, old.WorkspaceID, old.ID); attain.ErrorCode(err) != attain.ENOTFOUND {
				t.Errorf("old done job still there: %v", err)
			}
			if _, err := tx.FindJob(ctx, queued.WorkspaceID, queued.ID); err != nil {
				t.Errorf("queued job deleted: %v", err)
			}
			return nil
		})
	})
}
