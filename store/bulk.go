package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Bulk loading: many rows into several tables of one transaction, written as
// multi-row INSERT statements (one round trip and one statement per few
// hundred rows instead of per row). Imports and the demo generator use it.
// Triggers and generated columns run as for any other write, unless the
// load pauses the derived-data triggers of its workspace (BeginBulkLoad in
// bulkload.go), which then rebuilds that data set-wise at its end.
//
// A bulk load bypasses the services: its caller validates what it loads and
// writes the history (field_changes, stage_history) itself.

// maxBulkParams bounds the placeholders of one statement, under SQLite's
// limit (32766) and PostgreSQL's (65535).
const maxBulkParams = 32000

// maxBulkRows bounds the rows of one statement: beyond a few hundred rows,
// longer statements save nothing measurable and cost memory.
const maxBulkRows = 500

var bulkIdent = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// bulkCacheKiB is SQLite's page cache during a bulk load: index pages of
// big tables stay in memory instead of being spilled and read back.
const bulkCacheKiB = 512 * 1024

// BulkTx runs fn in a write transaction tuned for loading many rows (see
// BulkConn). A series of bulk transactions is faster on one BulkConn: the
// page cache stays warm between them.
func (db *DB) BulkTx(ctx context.Context, fn func(*Tx) error) error {
	if inWriteTx() {
		return ErrNestedWrite
	}
	return db.bulkTx(ctx, bulkCacheKiB, fn)
}

// BulkTxFor is BulkTx for a load read from about inputBytes of input (a CSV
// file): its page cache is sized to what such a load writes rather than to
// the largest load. Every page the cache took is freed, one by one, when
// the connection's cache shrinks back after the transaction; a 100,000-row
// import spent a tenth of its time there with the full-size cache, and ran
// no slower with a cache a tenth as large.
func (db *DB) BulkTxFor(ctx context.Context, inputBytes int64, fn func(*Tx) error) error {
	if inWriteTx() {
		return ErrNestedWrite
	}
	return db.bulkTx(ctx, bulkCacheFor(inputBytes), fn)
}

// bulkCacheFor is the page cache (KiB) of a load of inputBytes of input:
// what its rows, their index entries, history and search entries take,
// about 16 bytes written per byte read, between the writer's usual cache
// and the full bulk cache.
func bulkCacheFor(inputBytes int64) int {
	return int(min(max(inputBytes*16/1024, writerCacheKiB), bulkCacheKiB))
}

// bulkTx is BulkTx with a page cache of cacheKiB; its callers check for
// nesting (inWriteTx skips the frame of the checking function only).
func (db *DB) bulkTx(ctx context.Context, cacheKiB int, fn func(*Tx) error) error {
	c, err := db.bulkConn(ctx, cacheKiB)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Tx(ctx, fn)
}

// BulkConn is the write connection held for a series of bulk-load
// transactions. On SQLite it keeps statement journals in memory as every
// write does (sqliteDSN), uses a larger page cache, and checks foreign
// keys at commit rather than per statement (which spares most statement
// journals); the page cache is kept from one transaction to the next (a
// profile of the demo showed a fifth of its time in freeing the cache after
// each transaction and reading it back in the next), and the settings are
// put back by Close. Holding it keeps other writers of this DB waiting, as
// one transaction does: a loader commits in batches and closes it when done.
// On PostgreSQL its transactions are WriteTx that commit without waiting for
// the WAL to reach the disk (synchronous_commit off): a bulk load is one big
// job that is either finished or redone from scratch, so losing its last
// commits to a crash loses nothing a rerun does not make again, and the
// database stays consistent either way. On SQLite it takes the write
// connection between two of the group-commit writer's batches and commits
// alone; called from inside a write it fails with ErrNestedWrite.
type BulkConn struct {
	db      *DB
	conn    *sql.Conn // SQLite only
	cache   int64
	trusted bool // foreign key checks are off
}

// bulkPGSettings are the settings of each bulk transaction on PostgreSQL (see
// BulkConn) and, for a trusted one, those that skip foreign key checks (see
// TrustReferences).
const (
	bulkPGSettings   = `SET LOCAL synchronous_commit = off`
	bulkPGTrustedSet = `SET LOCAL session_replication_role = replica`
)

// BulkConn takes the write connection for a series of bulk transactions.
// Close it when done.
func (db *DB) BulkConn(ctx context.Context) (*BulkConn, error) {
	if inWriteTx() {
		return nil, ErrNestedWrite
	}
	return db.bulkConn(ctx, bulkCacheKiB)
}

func (db *DB) bulkConn(ctx context.Context, cacheKiB int) (*BulkConn, error) {
	c := &BulkConn{db: db}
	if db.dialect.name() != SQLite {
		return c, nil
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("bulk: %w", err)
	}
	if err := conn.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&c.cache); err != nil {
		conn.Close()
		return nil, fmt.Errorf("bulk: %w", err)
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = %d; PRAGMA threads = %d`, -cacheKiB, runtime.NumCPU())); err != nil {
		conn.Close()
		return nil, fmt.Errorf("bulk: %w", err)
	}
	c.conn = conn
	return c, nil
}

// TrustReferences turns off foreign key checks on the connection until
// Close. Each check is an index lookup per reference, several per row, a
// large share of a big load (on PostgreSQL also a lock on the referenced
// row, written to its page and the WAL). On PostgreSQL the bulk transactions
// run with session_replication_role = replica, which only a superuser may
// set (for any other role the checks stay on); it also skips every ordinary
// trigger, which is why it is only for inserts under a BulkLoad, whose
// insert triggers are paused and whose End writes what they would have. Only
// a writer whose references are right by construction may use it, never
// one loading input (an import): the rows it writes are not checked at all.
// The demo generator uses it; its tests check the references it made.
func (c *BulkConn) TrustReferences(ctx context.Context) error {
	if c.conn == nil {
		var super bool
		if err := c.db.write.QueryRowContext(ctx, `SELECT current_setting('is_superuser') = 'on'`).Scan(&super); err != nil {
			return fmt.Errorf("bulk: %w", err)
		}
		c.trusted = super
		return nil
	}
	if _, err := c.conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return fmt.Errorf("bulk: %w", err)
	}
	c.trusted = true
	return nil
}

// Tx runs fn in a write transaction on the connection, committing if fn
// returns nil.
func (c *BulkConn) Tx(ctx context.Context, fn func(*Tx) error) error {
	if c.conn == nil {
		// PostgreSQL: a transaction of the pool, as WriteTx without its
		// nesting check (this frame is one the check looks for).
		return c.db.inTx(ctx, c.db.write, nil, func(tx *Tx) error {
			set := bulkPGSettings
			if c.trusted {
				set += "; " + bulkPGTrustedSet
			}
			if _, err := tx.exec(ctx, set); err != nil {
				return fmt.Errorf("bulk: %w", err)
			}
			return fn(tx)
		})
	}
	sqlTx, err := c.conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{tx: sqlTx, db: c.db, Now: c.db.Now()}
	// Reset to off by every commit and rollback.
	if _, err := sqlTx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
		_ = sqlTx.Rollback()
		return fmt.Errorf("bulk: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", c.db.dialect.translate(err))
	}
	return nil
}

// Close puts the connection's settings back and returns it to the pool.
func (c *BulkConn) Close() error {
	if c.conn == nil {
		return nil
	}
	reset := fmt.Sprintf(`PRAGMA cache_size = %d; PRAGMA threads = 0`, c.cache)
	if c.trusted {
		reset += `; PRAGMA foreign_keys = ON`
	}
	_, err := c.conn.ExecContext(context.Background(), reset)
	if cerr := c.conn.Close(); err == nil {
		err = cerr
	}
	c.conn = nil
	return err
}

// DeferIndexes drops the secondary indexes of tables that enforce nothing
// (not unique), so that a very large load into them only appends to the
// tables and their keys, and the indexes are built once at its end by
// RestoreIndexes, from sorted keys, instead of growing by random inserts
// that miss the page cache once an index outgrows it. Queries on the tables
// are slow meanwhile, for every workspace: use it only to load a workspace
// made from scratch, on a database nobody else is using. What it drops is
// recorded in the database; a load that is killed leaves them recorded and
// the next Migrate builds them. On PostgreSQL the indexes that back a
// constraint stay too.
func (c *BulkConn) DeferIndexes(ctx context.Context, tables ...string) error {
	q := `SELECT name, sql FROM sqlite_master
		WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name`
	if c.db.dialect.name() == Postgres {
		q = `SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
			WHERE i.indrelid = to_regclass($1) AND NOT i.indisunique
				AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
			ORDER BY c.relname`
	}
	return c.Tx(ctx, func(tx *Tx) error {
		for _, t := range tables {
			idx, err := indexDefs(ctx, tx, q, t)
			if err != nil {
				return fmt.Errorf("defer indexes of %s: %w", t, err)
			}
			for _, x := range idx {
				if !bulkIdent.MatchString(x[0]) {
					return fmt.Errorf("defer indexes: bad index name %q", x[0])
				}
				if _, err := tx.exec(ctx, `INSERT INTO bulk_deferred_indexes (name, sql) VALUES ($1, $2)`, x[0], x[1]); err != nil {
					return fmt.Errorf("defer index %s: %w", x[0], err)
				}
				if _, err := tx.exec(ctx, `DROP INDEX `+x[0]); err != nil {
					return fmt.Errorf("defer index %s: %w", x[0], err)
				}
			}
		}
		return nil
	})
}

// RestoreIndexes builds the indexes DeferIndexes dropped, in one
// transaction, with the bulk connection's large page cache (SQLite) or a
// large sort memory and parallel workers (PostgreSQL).
func (c *BulkConn) RestoreIndexes(ctx context.Context) error {
	return c.Tx(ctx, func(tx *Tx) error { return restoreIndexes(ctx, tx) })
}

// MergeSearch merges the search index's segments into one (SQLite's FTS5
// 'optimize'). A bulk load leaves many; until they are merged, the first
// small writes after it pay for merging them as they go: 24% of a create's
// CPU on a 100k-deal demo, in a profile. On PostgreSQL the GIN index has no
// such segments (its pending list is flushed by VACUUM); it does nothing.
func (c *BulkConn) MergeSearch(ctx context.Context) error {
	if c.conn == nil {
		return nil
	}
	return c.Tx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO search_index (search_index) VALUES ('optimize')`); err != nil {
			return fmt.Errorf("merge search index: %w", err)
		}
		return nil
	})
}

// RestoreIndexes builds the indexes a bulk load deferred and did not build
// (it was killed). Migrate calls it.
func (db *DB) RestoreIndexes(ctx context.Context) error {
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM bulk_deferred_indexes`).Scan(&n); err != nil || n == 0 {
		return err
	}
	return db.WriteTx(ctx, func(tx *Tx) error { return restoreIndexes(ctx, tx) })
}

// restoreIndexMemory is PostgreSQL's sort memory for building an index
// (maintenance_work_mem, 64MB by default): the sort of a large table's keys
// then stays in memory instead of merging runs from temporary files.
const restoreIndexMemory = "1GB"

func restoreIndexes(ctx context.Context, tx *Tx) error {
	idx, err := indexDefs(ctx, tx, `SELECT name, sql FROM bulk_deferred_indexes ORDER BY name`)
	if err != nil {
		return fmt.Errorf("restore indexes: %w", err)
	}
	if len(idx) > 0 && tx.db.dialect.name() == Postgres {
		if _, err := tx.exec(ctx, fmt.Sprintf(`SET LOCAL maintenance_work_mem = '%s'; SET LOCAL max_parallel_maintenance_workers = %d`,
			restoreIndexMemory, runtime.NumCPU())); err != nil {
			return fmt.Errorf("restore indexes: %w", err)
		}
	}
	for _, x := range idx {
		if _, err := tx.exec(ctx, x[1]); err != nil {
			return fmt.Errorf("restore index %s: %w", x[0], err)
		}
	}
	_, err = tx.exec(ctx, `DELETE FROM bulk_deferred_indexes`)
	return err
}

// Loader buffers rows for several tables of one transaction and writes them
// with multi-row INSERTs. Tables are registered parents first: before a
// table's rows are written, the rows buffered for every table registered
// before it are written, so a row never reaches the database before the rows
// it references (foreign keys are checked at once on both engines).
//
// A Loader belongs to its transaction; call Flush before the transaction
// commits and Close when done.
type Loader struct {
	tx     *Tx
	tables []*BulkTable
	orFail bool
}

// StopOnError makes each INSERT stop at a failing row without undoing the
// rows the same statement wrote before it (INSERT OR FAIL on SQLite; the
// same statement on PostgreSQL, which has no statement journal to spare).
// SQLite then keeps no statement journal for INSERTs into tables whose
// triggers write no virtual table, which was a fifth of the demo's time.
// Use it only when an error ends the whole transaction, as it does for the
// demo; a loader that goes on after a failed row must not. Call it before
// the first Add.
func (l *Loader) StopOnError() { l.orFail = true }

// BulkTable is one table of a Loader.
type BulkTable struct {
	l       *Loader
	pos     int
	name    string
	cols    []string
	batch   int       // rows per full statement
	full    *sql.Stmt // the prepared INSERT of a full batch
	buf     []any
	n       int // rows in buf
	written int64
}

// NewLoader returns a loader writing in tx.
func (tx *Tx) NewLoader() *Loader { return &Loader{tx: tx} }

// Table registers a table and the columns every row gives, in order. Register
// a table after the tables it references. Names are fixed by the caller's
// code, never by input; a bad one panics.
func (l *Loader) Table(name string, cols ...string) *BulkTable {
	if !bulkIdent.MatchString(name) || len(cols) == 0 {
		panic("store: bad bulk table " + strconv.Quote(name))
	}
	for _, c := range cols {
		if !bulkIdent.MatchString(c) {
			panic("store: bad bulk column " + strconv.Quote(c))
		}
	}
	batch := min(maxBulkRows, maxBulkParams/len(cols))
	t := &BulkTable{l: l, pos: len(l.tables), name: name, cols: cols, batch: batch,
		buf: make([]any, 0, batch*len(cols))}
	l.tables = append(l.tables, t)
	return t
}

// Add buffers one row, its values in the order of the table's columns, and
// writes the buffer (with its parents' first) when it is full. Times are
// stored in UTC, truncated to microseconds like every other write.
func (t *BulkTable) Add(ctx context.Context, vals ...any) error {
	if len(vals) != len(t.cols) {
		return fmt.Errorf("bulk %s: %d values for %d columns", t.name, len(vals), len(t.cols))
	}
	for _, v := range vals {
		switch x := v.(type) {
		case time.Time:
			v = x.UTC().Truncate(time.Microsecond)
		case *time.Time:
			if x != nil {
				u := x.UTC().Truncate(time.Microsecond)
				v = &u
			}
		}
		t.buf = append(t.buf, v)
	}
	t.n++
	if t.n < t.batch {
		return nil
	}
	for _, p := range t.l.tables[:t.pos] {
		if err := p.flush(ctx); err != nil {
			return err
		}
	}
	return t.flush(ctx)
}

// Rows returns how many rows of the table were written so far.
func (t *BulkTable) Rows() int64 { return t.written }

// Name returns the table's name.
func (t *BulkTable) Name() string { return t.name }

// Flush writes every buffered row, parents first.
func (l *Loader) Flush(ctx context.Context) error {
	for _, t := range l.tables {
		if err := t.flush(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Close releases the prepared statements. Rows still buffered are dropped:
// call Flush first.
func (l *Loader) Close() error {
	var first error
	for _, t := range l.tables {
		if t.full != nil {
			if err := t.full.Close(); err != nil && first == nil {
				first = err
			}
			t.full = nil
		}
	}
	return first
}

func (t *BulkTable) flush(ctx context.Context) error {
	if t.n == 0 {
		return nil
	}
	var err error
	if t.n == t.batch {
		if t.full == nil {
			if t.full, err = t.l.tx.tx.PrepareContext(ctx, t.insertSQL(t.batch)); err != nil {
				return fmt.Errorf("bulk %s: prepare: %w", t.name, err)
			}
		}
		_, err = t.full.ExecContext(ctx, t.buf...)
	} else {
		_, err = t.l.tx.tx.ExecContext(ctx, t.insertSQL(t.n), t.buf...)
	}
	if err != nil {
		return fmt.Errorf("bulk insert into %s: %w", t.name, t.l.tx.db.dialect.translate(err))
	}
	t.written += int64(t.n)
	clear(t.buf)
	t.buf, t.n = t.buf[:0], 0
	return nil
}

// insertSQL is INSERT INTO t (cols) VALUES ($1, ...), (...) for rows rows.
// On SQLite the placeholders are anonymous (?): the driver looks each
// numbered one up by name in a list, which costs time quadratic in their
// number and made a 9,000-placeholder statement spend most of its time there.
func (t *BulkTable) insertSQL(rows int) string {
	anon := t.l.tx.db.dialect.name() == SQLite
	var b strings.Builder
	b.Grow(40 + rows*len(t.cols)*7)
	b.WriteString("INSERT ")
	if anon && t.l.orFail {
		b.WriteString("OR FAIL ")
	}
	b.WriteString("INTO ")
	b.WriteString(t.name)
	b.WriteString(" (")
	b.WriteString(strings.Join(t.cols, ", "))
	b.WriteString(") VALUES ")
	p := 1
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range t.cols {
			if c > 0 {
				b.WriteString(", ")
			}
			if anon {
				b.WriteByte('?')
			} else {
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(p))
				p++
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

// IDs hands out ids for rows a bulk load inserts with explicit ids, so that
// rows referencing them can be built before the row itself is written.
//
// Every id it hands out must be inserted in the same transaction. On SQLite
// the transaction holds the database's only write lock, so ids follow the
// table's largest; on PostgreSQL they are drawn from the table's identity
// sequence, a block at a time, so concurrent writers never collide with them.
type IDs struct {
	tx    *Tx
	table string
	next  int64   // SQLite: the next id; 0 until read
	block []int64 // PostgreSQL: ids drawn and not handed out yet
	size  int
}

// NewIDs returns the id source of a table whose key is an integer column id.
func (tx *Tx) NewIDs(table string) *IDs {
	if !bulkIdent.MatchString(table) {
		panic("store: bad table " + strconv.Quote(table))
	}
	return &IDs{tx: tx, table: table, size: 64}
}

// Next returns an unused id.
func (s *IDs) Next(ctx context.Context) (int64, error) {
	if s.tx.db.dialect.name() == SQLite {
		if s.next == 0 {
			var max int64
			if err := s.tx.queryRow(ctx, `SELECT COALESCE(max(id), 0) FROM `+s.table).Scan(&max); err != nil {
				return 0, fmt.Errorf("ids of %s: %w", s.table, err)
			}
			s.next = max + 1
		}
		s.next++
		return s.next - 1, nil
	}
	if len(s.block) == 0 {
		// Blocks grow so a small load draws few ids it does not use and a
		// large one makes few round trips.
		rows, err := s.tx.query(ctx, `SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2) ORDER BY 1`,
			s.table, s.size)
		if err != nil {
			return 0, fmt.Errorf("ids of %s: %w", s.table, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return 0, err
			}
			s.block = append(s.block, id)
		}
		if err := rows.Err(); err != nil {
			return 0, fmt.Errorf("ids of %s: %w", s.table, err)
		}
		s.size = min(s.size*2, 8192)
	}
	id := s.block[0]
	s.block = s.block[1:]
	return id, nil
}

// Analyze refreshes the planner's statistics of the tables after a bulk
// load. It matters on PostgreSQL: a foreign-key check's plan is made when a
// session first checks that key, and on a table that was empty then it may
// pick any index starting with workspace_id and scan the whole workspace per
// checked row (seen: a 10,000-deal load 10 times slower than a 3,000-deal
// one). New statistics invalidate such plans. SQLite checks foreign keys
// through the parent's key index and needs nothing.
func (db *DB) Analyze(ctx context.Context, tables ...string) error {
	return db.maintain(ctx, "ANALYZE", tables)
}

// VacuumAnalyze is Analyze that also vacuums the tables (PostgreSQL): after
// a load of millions of rows, the first read of each page would otherwise
// write it back to set its rows' hint bits, and index-only scans would visit
// the table for want of a visibility map. Seen at 1M deals: 14 creates/s
// before a 41 s vacuum, 92 after. Call it outside any transaction.
func (db *DB) VacuumAnalyze(ctx context.Context, tables ...string) error {
	return db.maintain(ctx, "VACUUM (ANALYZE)", tables)
}

// maintain runs a PostgreSQL maintenance command on tables; SQLite needs none.
func (db *DB) maintain(ctx context.Context, cmd string, tables []string) error {
	if db.dialect.name() != Postgres || len(tables) == 0 {
		return nil
	}
	for _, t := range tables {
		if !bulkIdent.MatchString(t) {
			return fmt.Errorf("%s: bad table %q", strings.ToLower(cmd), t)
		}
	}
	if _, err := db.write.ExecContext(ctx, cmd+` `+strings.Join(tables, ", ")); err != nil {
		return fmt.Errorf("%s: %w", strings.ToLower(cmd), err)
	}
	return nil
}

// indexDefs reads the (name, CREATE INDEX statement) pairs a query returns.
func indexDefs(ctx context.Context, tx *Tx, q string, args ...any) ([][2]string, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var idx [][2]string
	for rows.Next() {
		var name, sql string
		if err := rows.Scan(&name, &sql); err != nil {
			return nil, err
		}
		idx = append(idx, [2]string{name, sql})
	}
	return idx, rows.Err()
}
