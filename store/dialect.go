package store

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/attain-crm/attain"
)

// dialect holds what really differs between the engines. Keep it small: SQL
// that both accept belongs in the shared code.
type dialect interface {
	name() string
	// translate turns engine errors that mean a user's mistake (a duplicate,
	// a dangling reference) into domain errors, and leaves others alone.
	translate(err error) error
	// skipLocked ends the SELECT that picks jobs to claim: PostgreSQL locks
	// the rows and skips those another worker holds; SQLite needs nothing,
	// its single writer already serialises claims.
	skipLocked() string
	// textQuery and textNewest are full-text search (FTS5 / tsvector), in
	// search.go: the terms in the engine's query syntax (the last a prefix
	// if prefix; only in the record's title if title), and for one
	// searchable table a subquery giving the ids of at most n of its
	// records in workspace ws matching the query held in placeholder q,
	// newest first.
	textQuery(terms []string, prefix, title bool) string
	textNewest(t searchTable, q, ws, n string) string
	// textOptions go first among the text search's arguments.
	textOptions() []any
	// jsonText extracts the top-level key of a JSON object stored as TEXT in
	// col, as SQL text (NULL when absent or null). key must be a validated
	// custom field key; it is quoted as a string literal all the same.
	jsonText(col, key string) string
	// bytewise makes the text expression expr compare byte by byte (in
	// code point order for UTF-8), whatever the database's collation, so
	// a range can stand for a prefix (list.go's prefixCond). SQLite always
	// compares so; PostgreSQL needs the "C" collation, and an index built
	// with it to read the range from.
	bytewise(expr string) string
	// changeSeq is SQL giving workspace ws's analytics change counter (ws
	// a placeholder): the largest number in its change log below which no
	// change can still commit (migrations 00230). takeChangeSeqs is the
	// query and its arguments that take n numbers for changes of workspace
	// ws to log now and give the last.
	changeSeq(ws string) string
	takeChangeSeqs(ws, n int64) (string, []any)
}

// sqlString quotes s as a standard SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

type sqliteDialect struct{}

func (sqliteDialect) name() string { return SQLite }

func (sqliteDialect) skipLocked() string { return "" }

func (sqliteDialect) jsonText(col, key string) string {
	return "json_extract(" + col + ", " + sqlString("$."+key) + ")"
}

func (sqliteDialect) bytewise(expr string) string { return expr }

// SQLite's one writer commits change numbers in order: the largest is the
// counter, and the next ones follow it.
func (sqliteDialect) changeSeq(ws string) string {
	return "coalesce((SELECT max(seq) FROM analytics_changes WHERE workspace_id = " + ws + "), 0)"
}

func (d sqliteDialect) takeChangeSeqs(ws, n int64) (string, []any) {
	return "SELECT " + d.changeSeq("$1") + " + $2", []any{ws, n}
}

func (sqliteDialect) translate(err error) error {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return &attain.Error{Code: attain.ECONFLICT, Message: "That already exists."}
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return &attain.Error{Code: attain.EINVALID, Message: "A referenced record does not exist."}
	}
	return err
}

type postgresDialect struct{}

func (postgresDialect) name() string { return Postgres }

func (postgresDialect) skipLocked() string { return " FOR UPDATE SKIP LOCKED" }

// PostgreSQL's change numbers come from a sequence and commit out of order;
// analytics_settled_seq must run in READ COMMITTED (see its migration).
func (postgresDialect) changeSeq(ws string) string { return "analytics_settled_seq(" + ws + ")" }

func (postgresDialect) takeChangeSeqs(_, n int64) (string, []any) {
	return "SELECT max(analytics_next_seq()) FROM generate_series(1, $1::bigint)", []any{n}
}

func (postgresDialect) jsonText(col, key string) string {
	return "(" + col + "::jsonb ->> " + sqlString(key) + ")"
}

func (postgresDialect) bytewise(expr string) string { return "(" + expr + ` COLLATE "C")` }

func (postgresDialect) translate(err error) error {
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code {
	case "23505":
		return &attain.Error{Code: attain.ECONFLICT, Message: "That already exists."}
	case "23503":
		return &attain.Error{Code: attain.EINVALID, Message: "A referenced record does not exist."}
	}
	return err
}
