package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

func createWorkspace(t *testing.T, db *store.DB, slug string) *attain.Workspace {
	t.Helper()
	w := &attain.Workspace{Name: "Acme " + slug, Slug: slug}
	if err := db.WriteTx(context.Background(), func(tx *store.Tx) error { return tx.CreateWorkspace(context.Background(), w) }); err != nil {
		t.Fatalf("create workspace: %v", err)
	}
	return w
}

func workspaceExists(t *testing.T, db *store.DB, slug string) bool {
	t.Helper()
	err := db.ReadTx(context.Background(), func(tx *store.Tx) error {
		_, err := tx.FindWorkspaceBySlug(context.Background(), slug)
		return err
	})
	if attain.ErrorCode(err) == attain.ENOTFOUND {
		return false
	}
	if err != nil {
		t.Fatalf("find workspace: %v", err)
	}
	return true
}

func countLogins(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	err := db.ReadTx(context.Background(), func(tx *store.Tx) error {
		var err error
		n, _, err = tx.CountFailedLogins(context.Background(), "writer@example.com", "", time.Time{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSQLiteBackupRestore backs up a database while another goroutine keeps
// writing to it, restores the backup elsewhere and over a database, and
// finds the data there.
func TestSQLiteBackupRestore(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite)
	createWorkspace(t, db, "acme")

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			err := db.WriteTx(ctx, func(tx *store.Tx) error { return tx.RecordFailedLogin(ctx, "writer@example.com", "10.0.0.1") })
			if err != nil {
				t.Error(err)
				return
			}
		}
	})
	// Let the writer get going, so the backup really runs beside it.
	for countLogins(t, db) < 20 {
		time.Sleep(time.Millisecond)
	}
	dir := t.TempDir()
	backup := filepath.Join(dir, "backups", "attain-1.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatalf("backup: %v", err)
	}
	close(stop)
	wg.Wait()
	if err := db.Backup(ctx, backup); err == nil {
		t.Error("backup overwrote an existing file")
	}

	// Restore into a new place.
	fresh := filepath.Join(dir, "fresh", "attain.db")
	res, err := store.Restore(ctx, fresh, backup)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if res.Previous != "" || res.Version == 0 {
		t.Errorf("restore result %+v", res)
	}
	restored, err := store.Open(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if err := restored.CheckSchema(ctx); err != nil {
		t.Errorf("restored schema: %v", err)
	}
	if !workspaceExists(t, restored, "acme") {
		t.Error("the workspace is not in the restored database")
	}
	if n, total := countLogins(t, restored), countLogins(t, db); n < 20 || n > total {
		t.Errorf("restored %d rows written during the backup, want between 20 and %d", n, total)
	}

	// Restore over a database that exists: refused while it is open, then
	// done with the old one kept.
	target := filepath.Join(dir, "live", "attain.db")
	live, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	if err := live.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	createWorkspace(t, live, "before")
	if _, err := store.Restore(ctx, target, backup); !errors.Is(err, store.ErrInUse) {
		t.Fatalf("restore over an open database: %v, want ErrInUse", err)
	}
	live.Close()
	res, err = store.Restore(ctx, target, backup)
	if err != nil {
		t.Fatalf("restore over a database: %v", err)
	}
	if res.Previous != target+".before-restore" {
		t.Errorf("previous kept at %q", res.Previous)
	}
	after, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	if !workspaceExists(t, after, "acme") || workspaceExists(t, after, "before") {
		t.Error("the restored database is not the backup")
	}
	after.Close()
	old, err := store.Open(ctx, res.Previous)
	if err != nil {
		t.Fatal(err)
	}
	if !workspaceExists(t, old, "before") {
		t.Error("the replaced database was not kept")
	}
	old.Close()
	// A second restore would overwrite the kept copy: refused.
	if _, err := store.Restore(ctx, target, backup); err == nil || !strings.Contains(err.Error(), "before-restore") {
		t.Errorf("second restore: %v, want refusal naming the kept copy", err)
	}
}

func TestSQLiteRestoreRefusesWrongFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	target := filepath.Join(dir, "attain.db")

	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("not a database at all, just some words to fill a page"), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db")
	odb, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := odb.Exec(`CREATE TABLE things (x)`); err != nil {
		t.Fatal(err)
	}
	odb.Close()

	db := storetest.Open(t, store.SQLite)
	newer := filepath.Join(dir, "newer.db")
	if err := db.Backup(ctx, newer); err != nil {
		t.Fatal(err)
	}
	ndb, err := sql.Open("sqlite", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ndb.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, 1)`); err != nil {
		t.Fatal(err)
	}
	ndb.Close()

	for name, from := range map[string]string{"text file": text, "other SQLite database": other, "newer schema": newer, "missing": filepath.Join(dir, "nope.db")} {
		if _, err := store.Restore(ctx, target, from); err == nil {
			t.Errorf("%s: restored", name)
		}
		if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: a refused restore left %s behind", name, target)
		}
		if left, _ := filepath.Glob(target + ".*"); len(left) > 0 {
			t.Errorf("%s: left %v", name, left)
		}
	}
}

// TestPostgresBackupRestore dumps a test schema with pg_dump and restores it
// into a new database with pg_restore, when both are installed.
func TestPostgresBackupRestore(t *testing.T) {
	base := os.Getenv(storetest.PostgresEnv)
	if base == "" {
		t.Skip(storetest.PostgresEnv + " is not set")
	}
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip(tool + " is not installed")
		}
	}
	ctx := context.Background()
	db := storetest.Open(t, store.Postgres)
	createWorkspace(t, db, "acme")
	file := filepath.Join(t.TempDir(), "attain.dump")
	if err := db.Backup(ctx, file); err != nil {
		t.Fatalf("backup: %v", err)
	}

	// A new database to restore into, reached with the same search_path.
	// Unique per run: test runs of other checkouts may share the server.
	name := fmt.Sprintf("attain_restore_%s_%d_%d", strings.ToLower(strings.ReplaceAll(t.Name(), "/", "_")), os.Getpid(), time.Now().UnixNano()%1_000_000)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	_, _ = admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`) })
	src, err := url.Parse(db.DSN())
	if err != nil {
		t.Fatal(err)
	}
	src.Path = "/" + name
	dsn := src.String()

	res, err := store.Restore(ctx, dsn, file)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if res.Version == 0 {
		t.Errorf("restore result %+v", res)
	}
	restored, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if err := restored.CheckSchema(ctx); err != nil {
		t.Errorf("restored schema: %v", err)
	}
	if !workspaceExists(t, restored, "acme") {
		t.Error("the workspace is not in the restored database")
	}
	// Restoring again over it replaces rather than duplicates.
	if _, err := store.Restore(ctx, dsn, file); err != nil {
		t.Fatalf("second restore: %v", err)
	}
}

func TestPgCommands(t *testing.T) {
	dump, err := store.PgDumpCommand("postgres://attain:s3cret@db.example.com:5432/crm?sslmode=require&search_path=tenant1&pool_max_conns=10", "/backups/a.dump")
	if err != nil {
		t.Fatal(err)
	}
	want := "PGPASSWORD=... pg_dump --format=custom --file=/backups/a.dump --schema=tenant1 '--dbname=postgres://attain@db.example.com:5432/crm?sslmode=require'"
	if got := dump.String(); got != want {
		t.Errorf("dump command\n got %s\nwant %s", got, want)
	}
	if dump.Password != "s3cret" {
		t.Errorf("password %q", dump.Password)
	}
	restore, err := store.PgRestoreCommand("postgres://postgres@127.0.0.1/test", "a b.dump")
	if err != nil {
		t.Fatal(err)
	}
	want = "pg_restore --clean --if-exists --no-owner --single-transaction --dbname=postgres://postgres@127.0.0.1/test 'a b.dump'"
	if got := restore.String(); got != want {
		t.Errorf("restore command\n got %s\nwant %s", got, want)
	}
}
