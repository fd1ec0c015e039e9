package store

import (
	"errors"

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
}

type sqliteDialect struct{}

func (sqliteDialect) name() string { return SQLite }

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
