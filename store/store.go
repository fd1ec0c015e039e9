// Package store is the only package that talks to the database. SQL is
// written once, with $N placeholders that both SQLite (modernc.org/sqlite) and
// PostgreSQL (pgx) accept; the few real differences live in dialect.go.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pressly/goose/v3"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/attain-crm/attain"
)

//go:embed migrations
var migrations embed.FS

// DB is an open Attain database. For SQLite it holds one writer connection,
// owned by a group-committing writer (writer.go) so writes queue in Go
// instead of failing with "database is locked" and share their fsyncs, and a
// pool of readers that WAL lets run beside the writer, handed out first come
// first served. For PostgreSQL both are the same pool.
type DB struct {
	write   *sql.DB
	read    *sql.DB
	dialect dialect
	dsn     string

	writer    *writer       // SQLite only
	readSlots chan struct{} // SQLite only: one per reader connection, taken in arrival order
	readStmts *stmtCache    // SQLite only: prepared reader statements

	// Now is the clock; every transaction reads it once, so a write has one
	// timestamp throughout. Tests replace it.
	Now func() time.Time
}

// Engine names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Open opens the database named by dsn: a postgres:// or postgresql:// URL
// for PostgreSQL, anything else a SQLite file path (an optional "sqlite:"
// prefix is dropped). It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db := &DB{dsn: dsn, Now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
	if IsPostgres(dsn) {
		pool, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		pool.SetMaxOpenConns(32)
		pool.SetMaxIdleConns(32)
		pool.SetConnMaxIdleTime(5 * time.Minute)
		db.write, db.read, db.dialect = pool, pool, postgresDialect{}
	} else {
		path := strings.TrimPrefix(dsn, "sqlite:")
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create data directory: %w", err)
			}
		}
		w, err := sql.Open("sqlite", sqliteDSN(path, false))
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		w.SetMaxOpenConns(1)
		w.SetMaxIdleConns(1)
		w.SetConnMaxLifetime(0)
		w.SetConnMaxIdleTime(0)
		r, err := sql.Open("sqlite", sqliteDSN(path, true))
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		// One connection more than the slots: statements for the cache
		// are prepared on it while every slot holds a transaction.
		r.SetMaxOpenConns(sqliteReaders + 1)
		r.SetMaxIdleConns(sqliteReaders + 1)
		db.write, db.read, db.dialect = w, r, sqliteDialect{}
		db.writer = newWriter(w)
		db.readSlots = make(chan struct{}, sqliteReaders)
		db.readStmts = newStmtCache(r, stmtCacheSize)
	}
	if err := db.write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s: %w", db.dialect.name(), err)
	}
	return db, nil
}

// sqliteReaders is the size of SQLite's reader pool. Readers are CPU-bound
// (the driver is pure Go), so more than a few per core only adds queueing
// inside the pool.
const sqliteReaders = 8

// Page cache per connection, in KiB. Each connection's cache is its own,
// allocated outside the Go heap (so GOMEMLIMIT does not see it) and full
// after a while on a large database: the resident memory SQLite adds is
// about (sqliteReaders+1)·readerCacheKiB + writerCacheKiB. Readers share
// the operating system's page cache below theirs, so a miss in a small
// cache mostly costs a copy from it, not a disk read. They do not map the file
// (mmap_size): every connection maps it apart, and the pages each touches
// count in the process's resident memory once per connection, up to the
// map's size each (256 MiB maps gave 452 MiB of file pages under load at a
// million deals) for no gain we could measure in read latency. The writer
// keeps a larger cache: an insert walks every index of its table.
const (
	readerCacheKiB = 8 << 10
	writerCacheKiB = 32 << 10
)

// stmtCacheSize bounds the prepared reader statements kept: lists with
// different filters are different texts.
const stmtCacheSize = 256

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// sqliteDSN builds the connection string: WAL so readers never block the
// writer, synchronous=FULL so an acknowledged write survives a crash, foreign
// keys on, a busy timeout as a second line of defence behind the single
// writer, and BEGIN IMMEDIATE so a write transaction takes its lock up front;
// the writer keeps its temporary files in memory. Each connection has its
// own page cache (see readerCacheKiB).
func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_time_format", "sqlite")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
		q.Add("_pragma", "cache_size(-"+strconv.Itoa(readerCacheKiB)+")")
	} else {
		q.Add("_pragma", "cache_size(-"+strconv.Itoa(writerCacheKiB)+")")
		// Statement journals and the group commit's savepoints in memory:
		// a created deal changes more pages than the 64 KiB SQLite keeps
		// in memory before it spills them to a temporary file, and writing
		// that file was a seventh of a create's CPU. They hold the pages
		// one batch of writes (or one bulk-load statement) changed.
		q.Add("_pragma", "temp_store(MEMORY)")
		q.Add("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// Engine returns "sqlite" or "postgres".
func (db *DB) Engine() string { return db.dialect.name() }

// DSN returns the string the database was opened with.
func (db *DB) DSN() string { return db.dsn }

// Close stops the writer and closes every connection.
func (db *DB) Close() error {
	if db.writer != nil {
		db.writer.close()
	}
	if db.readStmts != nil {
		db.readStmts.close()
	}
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// Migrate applies every pending migration.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.migrator()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return db.RestoreIndexes(ctx)
}

// MigrationStatus reports the schema version in the database and the newest
// one this binary knows.
func (db *DB) MigrationStatus(ctx context.Context) (current, latest int64, err error) {
	p, err := db.migrator()
	if err != nil {
		return 0, 0, err
	}
	current, err = p.GetDBVersion(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("read schema version: %w", err)
	}
	srcs := p.ListSources()
	if len(srcs) > 0 {
		latest = srcs[len(srcs)-1].Version
	}
	return current, latest, nil
}

// CheckSchema refuses to run on a database whose schema is older or newer
// than this binary expects.
func (db *DB) CheckSchema(ctx context.Context) error {
	cur, latest, err := db.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	if cur != latest {
		return fmt.Errorf("database schema is at version %d but this attain expects %d: run `attain migrate`", cur, latest)
	}
	return nil
}

func (db *DB) migrator() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+db.dialect.name())
	if err != nil {
		return nil, err
	}
	d := goose.DialectSQLite3
	if db.dialect.name() == Postgres {
		d = goose.DialectPostgres
	}
	p, err := goose.NewProvider(d, db.write, sub)
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return p, nil
}

// Tx is one transaction with its fixed timestamp.
type Tx struct {
	tx  *sql.Tx
	db  *DB
	Now time.Time

	// batched marks a write sharing its SQLite transaction with others
	// (writer.go): see stmtCtx.
	batched bool
	// stmts, on a SQLite read, runs queries as cached prepared statements.
	stmts *stmtCache
	// batch, on a batched write, holds the statements prepared in the
	// shared transaction: the writes of a batch mostly repeat them.
	batch *shared
}

// WriteTx runs fn in a read-write transaction, committing if fn returns nil.
// On SQLite fn runs inside a savepoint of a transaction shared with other
// concurrent writes (writer.go); WriteTx returns once that transaction has
// committed, or with fn's error after rolling back only fn's work. A panic in
// fn rolls fn's work back and goes on. Calling WriteTx or BulkTx from inside
// fn returns ErrNestedWrite: pass the *Tx down instead.
func (db *DB) WriteTx(ctx context.Context, fn func(*Tx) error) error {
	if inWriteTx() {
		return ErrNestedWrite
	}
	if db.writer != nil {
		return db.writer.do(ctx, db, fn)
	}
	return db.inTx(ctx, db.write, nil, fn)
}

// ReadTx runs fn in a read-only transaction with a consistent snapshot. On
// SQLite, callers take reader connections in the order they asked.
func (db *DB) ReadTx(ctx context.Context, fn func(*Tx) error) error {
	if db.readSlots != nil {
		select {
		case db.readSlots <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-db.readSlots }()
	}
	return db.inTx(ctx, db.read, &sql.TxOptions{ReadOnly: db.dialect.name() == Postgres}, fn)
}

func (db *DB) inTx(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(*Tx) error) error {
	sqlTx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{tx: sqlTx, db: db, Now: db.Now()}
	if pool == db.read && pool != db.write {
		tx.stmts = db.readStmts
	}
	defer sqlTx.Rollback() // after a panic in fn; a no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// stmtCtx is the context a statement runs with. A batched write's statements
// run to completion once started: cancelling one caller must not interrupt a
// statement, which in SQLite rolls back the whole shared transaction. A
// cancelled caller still stops at its next statement.
func (tx *Tx) stmtCtx(ctx context.Context) context.Context {
	if tx.batched && ctx.Err() == nil {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// Engine returns the engine name, for the few callers that must know.
func (tx *Tx) Engine() string { return tx.db.dialect.name() }

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if s := tx.batchStmt(ctx, q); s != nil {
		res, err := s.ExecContext(tx.stmtCtx(ctx), utcArgs(args)...)
		return res, tx.db.dialect.translate(err)
	}
	res, err := tx.tx.ExecContext(tx.stmtCtx(ctx), q, utcArgs(args)...)
	return res, tx.db.dialect.translate(err)
}

// batchStmt returns q prepared in a batched write's shared transaction, or
// nil outside a batch (or if preparing fails: running q reports why).
func (tx *Tx) batchStmt(ctx context.Context, q string) *sql.Stmt {
	if tx.batch == nil {
		return nil
	}
	s, err := tx.batch.stmt(tx.stmtCtx(ctx), q)
	if err != nil {
		return nil
	}
	return s
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if tx.stmts != nil {
		s, err := tx.stmts.stmt(ctx, tx.tx, q)
		if err != nil {
			return nil, tx.db.dialect.translate(err)
		}
		rows, err := s.QueryContext(ctx, utcArgs(args)...)
		return rows, tx.db.dialect.translate(err)
	}
	if s := tx.batchStmt(ctx, q); s != nil {
		rows, err := s.QueryContext(tx.stmtCtx(ctx), utcArgs(args)...)
		return rows, tx.db.dialect.translate(err)
	}
	rows, err := tx.tx.QueryContext(tx.stmtCtx(ctx), q, utcArgs(args)...)
	return rows, tx.db.dialect.translate(err)
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if tx.stmts != nil {
		if s, err := tx.stmts.stmt(ctx, tx.tx, q); err == nil {
			return s.QueryRowContext(ctx, utcArgs(args)...)
		}
		// Unprepared, the query reports the same error through the Row.
	}
	if s := tx.batchStmt(ctx, q); s != nil {
		return s.QueryRowContext(tx.stmtCtx(ctx), utcArgs(args)...)
	}
	return tx.tx.QueryRowContext(tx.stmtCtx(ctx), q, utcArgs(args)...)
}

// insert runs an INSERT ... RETURNING id and returns the new id.
func (tx *Tx) insert(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, tx.db.dialect.translate(err)
}

// utcArgs returns args with every time in UTC. SQLite stores timestamps as
// text with their offset and compares them as text, so one instant written
// with two offsets would compare wrongly; PostgreSQL does not care.
func utcArgs(args []any) []any {
	var out []any
	for i, a := range args {
		var u any
		switch v := a.(type) {
		case time.Time:
			if v.Location() == time.UTC {
				continue
			}
			u = v.UTC()
		case *time.Time:
			if v == nil || v.Location() == time.UTC {
				continue
			}
			t := v.UTC()
			u = &t
		default:
			continue
		}
		if out == nil {
			out = slices.Clone(args)
		}
		out[i] = u
	}
	if out == nil {
		return args
	}
	return out
}

// args builds a positional argument list alongside the SQL that uses it.
type args []any

// add appends v and returns its placeholder.
func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// in appends every value and returns a parenthesised placeholder list.
func (a *args) in(vs []int64) string {
	if len(vs) == 0 {
		return "(NULL)"
	}
	var b strings.Builder
	b.WriteByte('(')
	for i, v := range vs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(a.add(v))
	}
	b.WriteByte(')')
	return b.String()
}

// Visible returns a SQL condition limiting rows to those the actor may see,
// given the columns holding the owner and the team a row is shared with. This
// is the one place the visibility rule becomes SQL.
func Visible(a *attain.Actor, ownerCol, teamCol string, ar *args) string {
	if a.SeesAll() {
		return "1=1"
	}
	owners := a.OwnerIDs
	if len(owners) == 0 {
		owners = []int64{a.UserID}
	}
	cond := ownerCol + " IN " + ar.in(owners)
	if teamCol != "" && len(a.TeamIDs) > 0 {
		cond = "(" + cond + " OR " + teamCol + " IN " + ar.in(a.TeamIDs) + ")"
	}
	return cond
}

// notFound turns sql.ErrNoRows into the domain's not-found error.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return attain.Errorf(attain.ENOTFOUND, "%s not found.", what)
	}
	return err
}
