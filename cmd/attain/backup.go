package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/attain-crm/attain/store"
)

func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("backup", "", `Write a consistent copy of the database; the server may keep running.
SQLite: a copy made with VACUUM INTO. PostgreSQL: pg_dump --format=custom,
or, where pg_dump is not installed, the pg_dump command to run.`, e)
	db := addDBFlags(fs, e)
	out := fs.String("out", "", `file to write; default: backups/attain-<UTC time>.db (.dump for PostgreSQL) in the data directory`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{"backup: unexpected arguments; use --out FILE"}
	}
	st, err := store.Open(ctx, db.dsn())
	if err != nil {
		return err
	}
	defer st.Close()
	path := *out
	if path == "" {
		ext := ".db"
		if st.Engine() == store.Postgres {
			ext = ".dump"
		}
		path = filepath.Join(*db.dataDir, "backups", "attain-"+time.Now().UTC().Format("20060102-150405")+ext)
	}
	if err := st.Backup(ctx, path); err != nil {
		var missing *store.ToolMissingError
		if errors.As(err, &missing) {
			fmt.Fprintln(e.stdout, missing.Command)
			return errors.New("pg_dump is not installed here: run the command above where it is")
		}
		return err
	}
	size := ""
	if fi, err := os.Stat(path); err == nil {
		size = fmt.Sprintf(" (%d bytes)", fi.Size())
	}
	fmt.Fprintf(e.stdout, "Backed up the %s database to %s%s\n", st.Engine(), path, size)
	return nil
}

func cmdRestore(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("restore", "--from FILE", `Replace the database with a backup made by "attain backup". Stop the server first.
SQLite: the backup is checked (integrity, an Attain schema no newer than this
binary), the current database is kept as <name>.before-restore, and the backup
put in its place atomically; refused while any process has the database open.
PostgreSQL: runs pg_restore --clean --single-transaction into the database,
or, where pg_restore is not installed, prints the command to run.`, e)
	db := addDBFlags(fs, e)
	from := fs.String("from", "", "the backup file to restore (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || fs.NArg() > 0 {
		fs.Usage()
		return usageError{"restore: give the backup file with --from FILE"}
	}
	dsn := db.dsn()
	res, err := store.Restore(ctx, dsn, *from)
	if err != nil {
		var missing *store.ToolMissingError
		if errors.As(err, &missing) {
			fmt.Fprintln(e.stdout, missing.Command)
			return errors.New("pg_restore is not installed here: run the command above where it is")
		}
		return err
	}
	target := dsn
	if store.IsPostgres(dsn) {
		target = "the PostgreSQL database"
	}
	fmt.Fprintf(e.stdout, "Restored %s into %s (schema version %d; attain serve migrates it if it is older).\n", *from, target, res.Version)
	if res.Previous != "" {
		fmt.Fprintf(e.stdout, "The database it replaced is kept at %s.\n", res.Previous)
	}
	return nil
}
