package main

import (
	"context"
	"fmt"

	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
)

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("migrate", "", "Apply every pending database migration and print the schema version.", e)
	db := addDBFlags(fs, e)
	status := fs.Bool("status", false, "only print the current and latest schema versions")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := store.Open(ctx, db.dsn())
	if err != nil {
		return err
	}
	defer st.Close()
	if !*status {
		if err := st.Migrate(ctx); err != nil {
			return err
		}
		log, err := db.logger(e.stderr)
		if err != nil {
			return err
		}
		// Workspaces made before a default was seeded get it now.
		if _, err := service.New(st, log, nil).BackfillWorkspaces(ctx); err != nil {
			return err
		}
	}
	cur, latest, err := st.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s schema at version %d (latest %d)\n", st.Engine(), cur, latest)
	return nil
}
