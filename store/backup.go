package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Backup writes a consistent copy of the database to path, while the
// database is in use. SQLite copies itself with VACUUM INTO, which reads one
// snapshot and leaves writers running; PostgreSQL runs pg_dump in its custom
// format. It refuses to overwrite an existing file. When pg_dump is not
// installed it returns a *ToolMissingError holding the command to run.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists", path)
	}
	if db.dialect.name() == Postgres {
		cmd, err := PgDumpCommand(db.dsn, path)
		if err != nil {
			return err
		}
		return cmd.Run(ctx)
	}
	return backupSQLite(ctx, sqlitePath(db.dsn), path)
}

func sqlitePath(dsn string) string { return strings.TrimPrefix(dsn, "sqlite:") }

func backupSQLite(ctx context.Context, src, path string) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	// Write beside the target and rename, so a backup file that exists is
	// always complete.
	tmp := path + ".partial"
	_ = os.Remove(tmp)
	// A connection of its own: the reader pool is query_only, which forbids
	// VACUUM, and the writer must stay free for the server's writes.
	conn, err := sql.Open("sqlite", sqliteDSN(src, false))
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO $1`, tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("backup: vacuum into %s: %w", tmp, err)
	}
	if err := syncFile(tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("backup: %w", err)
	}
	return syncDir(filepath.Dir(path))
}

// RestoreResult says what a restore did.
type RestoreResult struct {
	// Version is the schema version of the restored database; serve
	// migrates it if it is older than the binary.
	Version int64
	// Previous is where the replaced database was kept, if there was one.
	Previous string
}

// ErrInUse means the database to replace is open in another process.
var ErrInUse = errors.New("the database is in use: stop every `attain serve` using it first")

// Restore replaces the database named by dsn with the backup in from.
//
// For SQLite the server must be stopped. The backup is copied beside the
// database and checked (it must pass integrity_check and be an Attain
// database no newer than this binary); then the current database is kept
// as <name>.before-restore and the copy renamed over it, so at every moment
// the database file is either the old one or the new one. Restore refuses
// while another process has the database open, and when a previous
// .before-restore file is in the way.
//
// For PostgreSQL it runs pg_restore --clean into the database, replacing the
// objects in the backup, in one transaction; when pg_restore is not
// installed it returns a *ToolMissingError holding the command to run.
func Restore(ctx context.Context, dsn, from string) (*RestoreResult, error) {
	if _, err := os.Stat(from); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	if IsPostgres(dsn) {
		cmd, err := PgRestoreCommand(dsn, from)
		if err != nil {
			return nil, err
		}
		if err := cmd.Run(ctx); err != nil {
			return nil, err
		}
		db, err := Open(ctx, dsn)
		if err != nil {
			return nil, err
		}
		defer db.Close()
		cur, _, err := db.MigrationStatus(ctx)
		return &RestoreResult{Version: cur}, err
	}
	return restoreSQLite(ctx, sqlitePath(dsn), from)
}

func restoreSQLite(ctx context.Context, target, from string) (*RestoreResult, error) {
	if dir := filepath.Dir(target); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
	}
	before := target + ".before-restore"
	_, statErr := os.Stat(target)
	exists := statErr == nil
	if exists {
		if _, err := os.Stat(before); err == nil {
			return nil, fmt.Errorf("restore: %s is in the way (kept from an earlier restore): move or delete it first", before)
		}
	}
	tmp := target + ".restoring"
	removeDB(tmp)
	if err := copyFile(from, tmp); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			removeDB(tmp)
		}
	}()
	version, err := checkSQLiteBackup(ctx, tmp)
	if err != nil {
		return nil, fmt.Errorf("restore: %s: %w", from, err)
	}
	res := &RestoreResult{Version: version}
	if exists {
		if err := quiesceSQLite(ctx, target); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
		// A hard link keeps the old database under its new name while the
		// rename below atomically puts the new one in its place.
		if err := os.Link(target, before); err != nil {
			if err := copyFile(target, before); err != nil {
				return nil, fmt.Errorf("restore: keep the current database: %w", err)
			}
		}
		res.Previous = before
	}
	if err := os.Rename(tmp, target); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	ok = true
	_ = os.Remove(target + "-shm")
	return res, syncDir(filepath.Dir(target))
}

// checkSQLiteBackup opens a copy of a backup and returns its schema version
// if it is a sound Attain database this binary can run.
func checkSQLiteBackup(ctx context.Context, path string) (int64, error) {
	db, err := Open(ctx, path)
	if err != nil {
		return 0, fmt.Errorf("not a readable SQLite database: %w", err)
	}
	defer func() {
		db.Close()
		removeSidecars(path)
	}()
	var result string
	if err := db.write.QueryRowContext(ctx, `PRAGMA integrity_check(1)`).Scan(&result); err != nil {
		return 0, fmt.Errorf("not a readable SQLite database: %w", err)
	}
	if result != "ok" {
		return 0, fmt.Errorf("the integrity check failed: %s", result)
	}
	var tables int
	err = db.write.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('goose_db_version', 'workspaces')`).Scan(&tables)
	if err != nil {
		return 0, err
	}
	if tables != 2 {
		return 0, errors.New("not an Attain database")
	}
	cur, latest, err := db.MigrationStatus(ctx)
	if err != nil {
		return 0, err
	}
	if cur > latest {
		return 0, fmt.Errorf("the backup's schema (version %d) is newer than this attain knows (%d): restore it with a newer attain", cur, latest)
	}
	return cur, nil
}

// quiesceSQLite makes sure no other process has the database open, then
// folds its write-ahead log into the main file so the file alone is the
// whole database.
func quiesceSQLite(ctx context.Context, path string) error {
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		return err
	}
	conn.SetMaxOpenConns(1)
	defer conn.Close()
	// In exclusive locking mode the connection keeps its lock until closed;
	// taking it fails while any other connection has the file open.
	if _, err := conn.ExecContext(ctx, `PRAGMA locking_mode = EXCLUSIVE`); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `BEGIN EXCLUSIVE`); err != nil {
		if strings.Contains(err.Error(), "locked") || strings.Contains(err.Error(), "busy") {
			return ErrInUse
		}
		return fmt.Errorf("lock %s: %w", path, err)
	}
	if _, err := conn.ExecContext(ctx, `COMMIT`); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	if err := conn.Close(); err != nil {
		return err
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		return ErrInUse
	}
	return nil
}

// removeDB removes a SQLite file and its sidecars.
func removeDB(path string) {
	_ = os.Remove(path)
	removeSidecars(path)
}

func removeSidecars(path string) {
	_ = os.Remove(path + "-wal")
	_ = os.Remove(path + "-shm")
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	_ = d.Sync() // not every filesystem supports it; the rename itself is done
	return nil
}

// PgCommand is a PostgreSQL client tool to run. The password, if the URL had
// one, is passed in the environment rather than on the command line.
type PgCommand struct {
	Args     []string
	Password string
}

// ToolMissingError means a PostgreSQL client tool is not installed; Command
// is what to run where it is.
type ToolMissingError struct {
	Command PgCommand
}

func (e *ToolMissingError) Error() string {
	return fmt.Sprintf("%s is not installed here; run this where it is:\n  %s", e.Command.Args[0], e.Command)
}

// String returns the command as a shell line, without the password.
func (c PgCommand) String() string {
	parts := make([]string, len(c.Args))
	for i, a := range c.Args {
		parts[i] = shellQuote(a)
	}
	s := strings.Join(parts, " ")
	if c.Password != "" {
		s = "PGPASSWORD=... " + s
	}
	return s
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:@,+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Run runs the command, or returns a *ToolMissingError when the tool is not
// on PATH.
func (c PgCommand) Run(ctx context.Context) error {
	bin, err := exec.LookPath(c.Args[0])
	if err != nil {
		return &ToolMissingError{Command: c}
	}
	cmd := exec.CommandContext(ctx, bin, c.Args[1:]...)
	cmd.Env = os.Environ()
	if c.Password != "" {
		cmd.Env = append(cmd.Env, "PGPASSWORD="+c.Password)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", c.Args[0], err, strings.TrimSpace(string(out)))
	}
	return nil
}

// libpqParams are the URL parameters the PostgreSQL tools understand; pgx
// accepts more (pool settings, runtime parameters), which libpq rejects.
var libpqParams = map[string]bool{
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true, "passfile": true,
	"channel_binding": true, "connect_timeout": true, "client_encoding": true, "options": true,
	"application_name": true, "keepalives": true, "keepalives_idle": true, "keepalives_interval": true,
	"keepalives_count": true, "tcp_user_timeout": true, "gssencmode": true, "sslmode": true,
	"sslcompression": true, "sslcert": true, "sslkey": true, "sslpassword": true, "sslcertmode": true,
	"sslrootcert": true, "sslcrl": true, "sslcrldir": true, "sslsni": true, "requirepeer": true,
	"ssl_min_protocol_version": true, "ssl_max_protocol_version": true, "krbsrvname": true,
	"gsslib": true, "service": true, "target_session_attrs": true, "load_balance_hosts": true,
}

// pgToolURL turns Attain's database URL into one the PostgreSQL tools
// accept: the password moves out, pgx-only parameters go, and a search_path
// naming one schema is returned so a dump can be limited to it.
func pgToolURL(dsn string) (u *url.URL, password, schema string, err error) {
	u, err = url.Parse(dsn)
	if err != nil {
		return nil, "", "", fmt.Errorf("parse database URL: %w", err)
	}
	if u.User != nil {
		password, _ = u.User.Password()
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if sp := q.Get("search_path"); sp != "" && !strings.Contains(sp, ",") {
		schema = strings.TrimSpace(sp)
	}
	if pw := q.Get("password"); pw != "" {
		password = pw
	}
	for k := range q {
		if !libpqParams[k] {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u, password, schema, nil
}

// PgDumpCommand returns the pg_dump command that backs up the database at
// dsn to the file out, in the custom format pg_restore reads.
func PgDumpCommand(dsn, out string) (PgCommand, error) {
	u, pw, schema, err := pgToolURL(dsn)
	if err != nil {
		return PgCommand{}, err
	}
	args := []string{"pg_dump", "--format=custom", "--file=" + out}
	if schema != "" && schema != "public" {
		args = append(args, "--schema="+schema)
	}
	return PgCommand{Args: append(args, "--dbname="+u.String()), Password: pw}, nil
}

// PgRestoreCommand returns the pg_restore command that restores the backup
// in file into the database at dsn, dropping the objects it replaces, in one
// transaction so a failure changes nothing.
func PgRestoreCommand(dsn, file string) (PgCommand, error) {
	u, pw, _, err := pgToolURL(dsn)
	if err != nil {
		return PgCommand{}, err
	}
	return PgCommand{Args: []string{"pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
		"--dbname=" + u.String(), file}, Password: pw}, nil
}
