// Package storetest opens real, isolated databases for tests on every
// engine Attain supports, and holds the acceptance suite that each engine
// must pass. SQLite always runs; PostgreSQL runs when ATTAIN_TEST_POSTGRES_URL
// is set, and then a failure to connect fails the test rather than skipping.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/attain-crm/attain/store"
)

// PostgresEnv names the variable holding the test server's URL.
const PostgresEnv = "ATTAIN_TEST_POSTGRES_URL"

// Engines returns the engines to test: always SQLite, PostgreSQL when configured.
func Engines() []string {
	if os.Getenv(PostgresEnv) != "" {
		return []string{store.SQLite, store.Postgres}
	}
	return []string{store.SQLite}
}

// ForEachEngine runs fn as a subtest on a fresh, migrated database of each engine.
func ForEachEngine(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			fn(t, Open(t, engine))
		})
	}
}

// Open returns a fresh, migrated database of the engine, removed when the
// test ends: a SQLite file in a temporary directory, or a PostgreSQL schema
// of its own.
func Open(t testing.TB, engine string) *store.DB {
	t.Helper()
	return openMigrated(t, DSN(t, engine), engine)
}

// openMigrated opens dsn, closed when the test ends, and migrates it; what
// names the database in failures.
func openMigrated(t testing.TB, dsn, what string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", what, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", what, err)
	}
	return db
}

// DSN returns a connection string for a new, empty, isolated database of the
// engine, cleaned up when the test ends.
func DSN(t testing.TB, engine string) string {
	t.Helper()
	if engine == store.SQLite {
		return filepath.Join(t.TempDir(), "attain.db")
	}
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Fatalf("%s is not set", PostgresEnv)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("postgres at %s: create schema: %v", base, err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// OpenPostgresCollated returns a fresh, migrated PostgreSQL database whose
// collation is the ICU locale's (such as "en-US"), dropped when the test
// ends, for what must not depend on the C collation the test server may
// have. The test is skipped without a PostgreSQL server, or when it cannot
// make such a database (a server built without ICU).
func OpenPostgresCollated(t testing.TB, icuLocale string) *store.DB {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skipf("%s is not set", PostgresEnv)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "test_" + hex.EncodeToString(b)
	// A database, not a schema: the collation is the database's default.
	_, err = admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE '` + icuLocale + `' LOCALE 'C.UTF-8'`)
	if err != nil {
		t.Skipf("postgres at %s: create a database collated %s: %v", base, icuLocale, err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	u.Path = "/" + name
	return openMigrated(t, u.String(), name)
}
