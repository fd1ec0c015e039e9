package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
)

// newFlagSet makes a flag set whose help names the command, its arguments
// and what it does, and lists every flag with its environment variable.
func newFlagSet(name, argsUsage, about string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Usage: attain %s [flags] %s\n\n%s\n\nFlags:\n", name, argsUsage, about)
		fs.PrintDefaults()
	}
	return fs
}

// stringFlag defines a flag whose default comes from an environment variable.
func stringFlag(fs *flag.FlagSet, e *env, name, envName, def, usage string) *string {
	if v := e.getenv(envName); v != "" {
		def = v
	}
	return fs.String(name, def, usage+" (env "+envName+")")
}

// dbFlags are the flags every command that opens the database shares.
type dbFlags struct {
	url      *string
	dataDir  *string
	logLevel *string
}

func addDBFlags(fs *flag.FlagSet, e *env) *dbFlags {
	return &dbFlags{
		url: stringFlag(fs, e, "database-url", "ATTAIN_DATABASE_URL", "",
			"database: a postgres:// URL, or a SQLite file path; default: attain.db in the data directory"),
		dataDir:  stringFlag(fs, e, "data-dir", "ATTAIN_DATA_DIR", defaultDataDir(), "directory for the SQLite database and backups"),
		logLevel: stringFlag(fs, e, "log-level", "ATTAIN_LOG_LEVEL", "info", "log level: debug, info, warn or error"),
	}
}

// defaultDataDir is a "data" directory next to the binary.
func defaultDataDir() string {
	exe, err := os.Executable()
	if err != nil {
		return "data"
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	return filepath.Join(filepath.Dir(exe), "data")
}

func (f *dbFlags) dsn() string {
	if *f.url != "" {
		return *f.url
	}
	return filepath.Join(*f.dataDir, "attain.db")
}

func (f *dbFlags) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(strings.ToUpper(*f.logLevel))); err != nil {
		return nil, usageError{fmt.Sprintf("--log-level: %v", err)}
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})), nil
}

// open opens and migrates the database and builds the services.
func (f *dbFlags) open(ctx context.Context, e *env) (*service.Service, *store.DB, *slog.Logger, error) {
	log, err := f.logger(e.stderr)
	if err != nil {
		return nil, nil, nil, err
	}
	db, err := store.Open(ctx, f.dsn())
	if err != nil {
		return nil, nil, nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	return service.New(db, log, nil), db, log, nil
}
