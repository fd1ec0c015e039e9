package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Group commit on SQLite. With synchronous=FULL every COMMIT waits for an
// fsync, and SQLite has one writer: committing each write alone makes
// concurrent writers queue behind one fsync each. Instead one goroutine, the
// writer, runs the queued writes one after another, each inside a SAVEPOINT
// of one shared transaction, and COMMITs them together: one fsync for the
// batch. A write is acknowledged to its caller only once its batch has
// committed, so a crash never loses an acknowledged write; a write that fails
// rolls back its own savepoint and nothing else.
//
// The write's function runs on its caller's goroutine, which holds the
// writer's turn meanwhile: a panic unwinds with its own stack, after the
// savepoint is rolled back.

// Batch bounds: a batch commits when it holds maxBatchWrites writes or has
// been open maxBatchTime, whichever comes first, and at once when no write is
// waiting (the writer never waits for more work: writes that arrive during a
// commit form the next batch).
const (
	maxBatchWrites = 128
	maxBatchTime   = 20 * time.Millisecond
)

// ErrNestedWrite is returned by WriteTx and BulkTx when called from inside a
// write transaction's function: SQLite has one writer, so the inner
// transaction could never start. Pass the *Tx down instead.
var ErrNestedWrite = errors.New("store: write transaction started inside another write transaction; pass the *Tx down instead")

// errClosed is returned to writes queued when the database closes.
var errClosed = errors.New("store: database is closed")

// A writeReq is one write waiting for, holding, or finished with its turn.
type writeReq struct {
	state atomic.Int32 // reqWaiting, then reqGranted or reqAbandoned
	turn  chan *shared // the shared transaction, when the turn is granted
	done  chan error   // the write's outcome, sent when its function returns
	acked chan error   // the batch's COMMIT result, for a write that succeeded
}

// shared is a batch's transaction and the statements prepared in it.
type shared struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt // closed with tx
	kept  map[string]*sql.Stmt // the writer's, read-only during the batch
	fresh []string             // prepared in this batch and not kept yet
}

// stmt returns q prepared in the batch's transaction: from the writer's
// kept statements (already prepared on its one connection), or prepared now
// and noted, for the writer to keep after the batch.
func (sh *shared) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if s, ok := sh.stmts[q]; ok {
		return s, nil
	}
	var s *sql.Stmt
	if k := sh.kept[q]; k != nil {
		s = sh.tx.StmtContext(ctx, k)
	} else {
		var err error
		if s, err = sh.tx.PrepareContext(ctx, q); err != nil {
			return nil, err
		}
		sh.fresh = append(sh.fresh, q)
	}
	sh.stmts[q] = s
	return s, nil
}

// keptStmts bounds the statements the writer keeps prepared from batch to
// batch. Preparing a statement compiles its triggers too: preparing each
// statement again in every batch was a sixth of a create's CPU when each
// batch held one write.
const keptStmts = 256

const (
	reqWaiting int32 = iota
	reqGranted
	reqAbandoned
)

// writer owns SQLite's write connection for ordinary writes (bulk loads,
// migrations and ANALYZE take the same single connection between batches).
type writer struct {
	db    *sql.DB
	queue chan *writeReq
	stop  chan struct{}
	once  sync.Once
	wg    sync.WaitGroup

	batches, writes atomic.Int64 // committed, for WriterStats

	kept map[string]*sql.Stmt // prepared on the write connection; see keptStmts
}

func newWriter(db *sql.DB) *writer {
	w := &writer{db: db, queue: make(chan *writeReq), stop: make(chan struct{}), kept: map[string]*sql.Stmt{}}
	w.wg.Add(1)
	go w.run()
	return w
}

// close stops the writer after the batch in progress; writes still waiting
// get errClosed.
func (w *writer) close() {
	w.once.Do(func() { close(w.stop) })
	w.wg.Wait()
}

func (w *writer) run() {
	defer w.wg.Done()
	for {
		select {
		case <-w.stop:
			for _, s := range w.kept {
				s.Close()
			}
			return
		case r := <-w.queue:
			w.batch(r)
		}
	}
}

// batch runs first and every write that arrives meanwhile, within the
// bounds, in one transaction, then commits and acknowledges them.
func (w *writer) batch(first *writeReq) {
	// The batch's context is the writer's: a caller's cancellation must not
	// roll back the transaction holding other callers' writes.
	ctx := context.Background()
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		if first.grant() {
			first.turn <- nil
			first.acked <- fmt.Errorf("begin: %w", err)
		}
		return
	}
	var ok []*writeReq
	sh := &shared{tx: tx, stmts: map[string]*sql.Stmt{}, kept: w.kept}
	start := time.Now()
	r := first
	for {
		err := w.step(ctx, sh, r)
		if r.state.Load() == reqGranted {
			ok = append(ok, r)
		}
		if err != nil {
			// The transaction is gone (SQLite rolls it all back on I/O
			// errors, a full disk or an interrupt): fail every write of
			// the batch; none was acknowledged.
			_ = tx.Rollback()
			for _, o := range ok {
				o.acked <- err
			}
			return
		}
		if len(ok) >= maxBatchWrites || time.Since(start) >= maxBatchTime {
			break
		}
		select {
		case r = <-w.queue:
			continue
		default:
		}
		break
	}
	err = tx.Commit()
	if err != nil {
		err = fmt.Errorf("commit: %w", err)
	} else {
		w.batches.Add(1)
		w.writes.Add(int64(len(ok)))
	}
	for _, o := range ok {
		o.acked <- err
	}
	w.keep(ctx, sh.fresh)
}

// keep prepares the statements first run in the last batch on the write
// connection, free between batches, for the next batches to reuse.
func (w *writer) keep(ctx context.Context, qs []string) {
	for _, q := range qs {
		if len(w.kept) >= keptStmts {
			return
		}
		if _, ok := w.kept[q]; ok {
			continue
		}
		if s, err := w.db.PrepareContext(ctx, q); err == nil {
			w.kept[q] = s
		}
	}
}

// step gives r its turn inside a savepoint and ends the savepoint with r's
// outcome. A write that failed or panicked is rolled back and marked
// abandoned: its caller has its own error and waits for no acknowledgement.
// step returns an error only when the shared transaction itself failed.
func (w *writer) step(ctx context.Context, sh *shared, r *writeReq) error {
	tx := sh.tx
	if !r.grant() {
		return nil // its caller gave up before its turn
	}
	if _, err := tx.ExecContext(ctx, `SAVEPOINT write`); err != nil {
		r.turn <- nil // its caller waits for the batch's error
		return fmt.Errorf("savepoint: %w", err)
	}
	r.turn <- sh
	if err := <-r.done; err != nil {
		r.state.Store(reqAbandoned)
		if _, err := tx.ExecContext(ctx, `ROLLBACK TO write`); err != nil {
			return fmt.Errorf("roll back a failed write: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `RELEASE write`); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}

// grant moves r from waiting to holding its turn; false if its caller left.
func (r *writeReq) grant() bool { return r.state.CompareAndSwap(reqWaiting, reqGranted) }

// errPanicked stands for a write whose function panicked.
var errPanicked = errors.New("store: write panicked")

// do runs fn as one write of a batch and returns once the batch committed.
func (w *writer) do(ctx context.Context, db *DB, fn func(*Tx) error) error {
	r := &writeReq{turn: make(chan *shared, 1), done: make(chan error, 1), acked: make(chan error, 1)}
	select {
	case w.queue <- r:
	case <-ctx.Done():
		return ctx.Err()
	case <-w.stop:
		return errClosed
	}
	var sh *shared
	select {
	case sh = <-r.turn:
	case <-ctx.Done():
		if r.state.CompareAndSwap(reqWaiting, reqAbandoned) {
			return ctx.Err()
		}
		// Granted meanwhile: hand the turn straight back.
		if sh = <-r.turn; sh == nil {
			return <-r.acked
		}
		r.done <- ctx.Err()
		return ctx.Err()
	}
	if sh == nil {
		return <-r.acked // the writer could not open the savepoint
	}
	if err := runWrite(r, &Tx{tx: sh.tx, db: db, Now: db.Now(), batched: true, batch: sh}, fn); err != nil {
		return err
	}
	return <-r.acked
}

// runWrite runs fn and hands its outcome to the writer, also when fn panics:
// the writer then rolls the savepoint back while the panic goes on up. A
// write that failed need not wait for the batch: none of it can commit.
func runWrite(r *writeReq, tx *Tx, fn func(*Tx) error) (err error) {
	finished := false
	defer func() {
		if !finished {
			r.done <- errPanicked
		}
	}()
	err = fn(tx)
	finished = true
	r.done <- err
	return err
}

// writeFrames are the functions that hold the write connection while the
// caller's function runs; finding one on the stack means nesting.
var writeFrames = []string{
	"github.com/attain-crm/attain/store.(*DB).WriteTx",
	"github.com/attain-crm/attain/store.(*DB).BulkTx",
	"github.com/attain-crm/attain/store.(*BulkConn).Tx",
}

// inWriteTx reports whether the calling goroutine is inside a write
// transaction's function. It walks the goroutine's own stack, so concurrent
// writers sharing a context are never mistaken for nesting; it costs about a
// microsecond, nothing beside a write.
func inWriteTx() bool {
	pcs := make([]uintptr, 64)
	for {
		n := runtime.Callers(3, pcs) // skip Callers, inWriteTx and the checking WriteTx or BulkTx
		frames := runtime.CallersFrames(pcs[:n])
		for {
			f, more := frames.Next()
			for _, name := range writeFrames {
				if f.Function == name || strings.HasPrefix(f.Function, name+".") {
					return true
				}
			}
			if !more {
				break
			}
		}
		if n < len(pcs) {
			return false
		}
		pcs = make([]uintptr, 2*len(pcs))
	}
}

// WriterStats returns how many batches SQLite's writer has committed and how
// many writes they held; writes per batch is what group commit saves in
// fsyncs. Both are zero on PostgreSQL.
func (db *DB) WriterStats() (batches, writes int64) {
	if db.writer == nil {
		return 0, 0
	}
	return db.writer.batches.Load(), db.writer.writes.Load()
}
