package store_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// openAt opens and migrates the database at dsn, closed when the test ends.
func openAt(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

func addWorkspace(ctx context.Context, tx *store.Tx, slug string) error {
	return tx.CreateWorkspace(ctx, &attain.Workspace{Name: slug, Slug: slug})
}

// slugsPresent returns which of the slugs have a workspace.
func slugsPresent(t *testing.T, db *store.DB, slugs []string) map[string]bool {
	t.Helper()
	found := map[string]bool{}
	storetest.Read(t, db, func(tx *store.Tx) error {
		for _, s := range slugs {
			_, err := tx.FindWorkspaceBySlug(context.Background(), s)
			if err == nil {
				found[s] = true
			} else if attain.ErrorCode(err) != attain.ENOTFOUND {
				return err
			}
		}
		return nil
	})
	return found
}

// Every concurrent write is acknowledged and is there after the database is
// closed and opened again.
func TestConcurrentWritesAreDurable(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			db := openAt(t, dsn)
			const writers, each = 32, 8
			var slugs []string
			for i := range writers * each {
				slugs = append(slugs, fmt.Sprintf("durable-%d", i))
			}
			var wg sync.WaitGroup
			errs := make(chan error, len(slugs))
			for w := range writers {
				wg.Go(func() {
					for i := range each {
						slug := slugs[w*each+i]
						errs <- db.WriteTx(context.Background(), func(tx *store.Tx) error {
							return addWorkspace(context.Background(), tx, slug)
						})
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatalf("write: %v", err)
				}
			}
			batches, writes := db.WriterStats()
			if engine == store.SQLite && (writes != int64(len(slugs)) || batches >= writes) {
				t.Errorf("writer stats: %d writes in %d batches, want %d writes sharing commits", writes, batches, len(slugs))
			}
			t.Logf("%d writes in %d batches", writes, batches)
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			again := openAt(t, dsn)
			if got := slugsPresent(t, again, slugs); len(got) != len(slugs) {
				t.Fatalf("after reopening, %d of %d acknowledged writes are there", len(got), len(slugs))
			}
		})
	}
}

var errRefused = errors.New("refused")

// A write that fails or panics rolls back its own work only: the writes
// batched with it commit, and it gets its own error or panic back.
func TestFailingWriteLeavesItsBatch(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// Hold the writer so the writes below queue up and share a batch.
		hold, held := make(chan struct{}), make(chan struct{})
		go db.WriteTx(ctx, func(tx *store.Tx) error {
			close(held)
			<-hold
			return nil
		})
		<-held
		const n = 30
		slugs := make([]string, n)
		results := make([]error, n)
		panics := make([]any, n)
		var wg sync.WaitGroup
		for i := range n {
			slugs[i] = fmt.Sprintf("batch-%d", i)
			wg.Go(func() {
				defer func() { panics[i] = recover() }()
				results[i] = db.WriteTx(ctx, func(tx *store.Tx) error {
					if err := addWorkspace(ctx, tx, slugs[i]); err != nil {
						return err
					}
					switch i % 3 {
					case 1:
						return errRefused
					case 2:
						if i%2 == 0 {
							panic("write " + strconv.Itoa(i))
						}
						// A statement that fails in the database.
						return addWorkspace(ctx, tx, slugs[i])
					}
					return nil
				})
			})
		}
		time.Sleep(100 * time.Millisecond) // let them queue
		close(hold)
		wg.Wait()
		found := slugsPresent(t, db, slugs)
		for i := range n {
			switch {
			case i%3 == 0:
				if results[i] != nil || panics[i] != nil || !found[slugs[i]] {
					t.Errorf("write %d: err %v, panic %v, stored %v; want it committed", i, results[i], panics[i], found[slugs[i]])
				}
			case i%3 == 1:
				if !errors.Is(results[i], errRefused) || found[slugs[i]] {
					t.Errorf("write %d: err %v, stored %v; want its own error and nothing stored", i, results[i], found[slugs[i]])
				}
			case i%2 == 0:
				if panics[i] != "write "+strconv.Itoa(i) || found[slugs[i]] {
					t.Errorf("write %d: panic %v, stored %v; want its panic back and nothing stored", i, panics[i], found[slugs[i]])
				}
			default:
				if attain.ErrorCode(results[i]) != attain.EINVALID || found[slugs[i]] {
					t.Errorf("write %d: err %v, stored %v; want the duplicate's error and nothing stored", i, results[i], found[slugs[i]])
				}
			}
		}
		if batches, writes := db.WriterStats(); db.Engine() == store.SQLite {
			t.Logf("%d writes in %d batches", writes, batches)
			if batches >= writes {
				t.Errorf("%d batches for %d committed writes; want the queued writes to share commits", batches, writes)
			}
		}
	})
}

// A write transaction cannot be started inside another: it fails at once
// instead of waiting forever for the writer its caller holds.
func TestNestedWriteFails(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var inner, bulk, sized error
		err := db.WriteTx(ctx, func(tx *store.Tx) error {
			inner = db.WriteTx(ctx, func(tx *store.Tx) error { return addWorkspace(ctx, tx, "nested-inner") })
			bulk = db.BulkTx(ctx, func(tx *store.Tx) error { return nil })
			sized = db.BulkTxFor(ctx, 1<<20, func(tx *store.Tx) error { return nil })
			return addWorkspace(ctx, tx, "nested-outer")
		})
		if err != nil {
			t.Fatalf("outer write: %v", err)
		}
		if !errors.Is(inner, store.ErrNestedWrite) || !errors.Is(bulk, store.ErrNestedWrite) || !errors.Is(sized, store.ErrNestedWrite) {
			t.Errorf("nested WriteTx: %v, nested BulkTx: %v, nested BulkTxFor: %v; want ErrNestedWrite", inner, bulk, sized)
		}
		// Not nested: a sized bulk transaction of its own writes.
		if err := db.BulkTxFor(ctx, 1<<20, func(tx *store.Tx) error { return addWorkspace(ctx, tx, "bulk-sized") }); err != nil {
			t.Errorf("BulkTxFor: %v", err)
		}
		err = db.BulkTx(ctx, func(tx *store.Tx) error {
			return db.WriteTx(ctx, func(tx *store.Tx) error { return nil })
		})
		if !errors.Is(err, store.ErrNestedWrite) {
			t.Errorf("WriteTx inside BulkTx: %v; want ErrNestedWrite", err)
		}
		found := slugsPresent(t, db, []string{"nested-inner", "nested-outer"})
		if found["nested-inner"] || !found["nested-outer"] {
			t.Errorf("stored %v; want only the outer write", found)
		}
		// A read inside a write is fine.
		err = db.WriteTx(ctx, func(tx *store.Tx) error {
			return db.ReadTx(ctx, func(tx *store.Tx) error { return nil })
		})
		if err != nil {
			t.Errorf("ReadTx inside WriteTx: %v", err)
		}
	})
}

// A caller that gives up while queued gets its context's error, and its
// write never happens.
func TestCancelledWriteIsNotApplied(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		hold, held := make(chan struct{}), make(chan struct{})
		done := make(chan error)
		go func() {
			done <- db.WriteTx(ctx, func(tx *store.Tx) error {
				close(held)
				<-hold
				return addWorkspace(ctx, tx, "cancel-first")
			})
		}()
		<-held
		cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		err := db.WriteTx(cctx, func(tx *store.Tx) error { return addWorkspace(ctx, tx, "cancel-late") })
		if db.Engine() == store.SQLite && !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("queued write past its deadline: %v", err)
		}
		close(hold)
		if err := <-done; err != nil {
			t.Fatalf("first write: %v", err)
		}
		found := slugsPresent(t, db, []string{"cancel-first", "cancel-late"})
		if !found["cancel-first"] || (db.Engine() == store.SQLite && found["cancel-late"]) {
			t.Errorf("stored %v", found)
		}
	})
}

// crashEnv names the database a crashing child process writes to.
const crashEnv = "ATTAIN_TEST_CRASH_DB"

// A process killed in the middle of writing keeps every write it
// acknowledged. The test runs itself as a child that writes and reports each
// acknowledged write, kills it, and reopens the database.
func TestAcknowledgedWritesSurviveKill(t *testing.T) {
	if path := os.Getenv(crashEnv); path != "" {
		crashChild(path)
		return
	}
	dsn := storetest.DSN(t, store.SQLite)
	openAt(t, dsn).Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestAcknowledgedWritesSurviveKill$")
	cmd.Env = append(os.Environ(), crashEnv+"="+dsn)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	sc := bufio.NewScanner(out)
	for sc.Scan() && len(acked) < 300 {
		if slug, ok := strings.CutPrefix(sc.Text(), "acked "); ok {
			acked = append(acked, slug)
		}
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if len(acked) < 300 {
		t.Fatalf("child acknowledged %d writes before ending", len(acked))
	}
	db := openAt(t, dsn)
	if got := slugsPresent(t, db, acked); len(got) != len(acked) {
		t.Fatalf("after the kill, %d of %d acknowledged writes are there", len(got), len(acked))
	}
}

// crashChild writes from 16 goroutines until it is killed, printing each
// write once acknowledged.
func crashChild(dsn string) {
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Go(func() {
			for i := 0; ; i++ {
				slug := fmt.Sprintf("crash-%d-%d", w, i)
				err := db.WriteTx(context.Background(), func(tx *store.Tx) error {
					return addWorkspace(context.Background(), tx, slug)
				})
				mu.Lock()
				if err != nil {
					fmt.Println("error", err)
				} else {
					fmt.Println("acked", slug)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}
