package service

import (
	"context"
	"fmt"
	"slices"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// BackfillWorkspaces gives the workspaces created before a default was
// seeded what they lack of it: the key activity types, the default picklists
// and the default pipeline. It is idempotent and cheap when nothing is
// missing (one query), so serve and migrate run it at start. It adds only what is wholly absent (a type list, a pipeline, a
// picklist with no value), never touching what a workspace has configured.
// It returns how many workspaces it changed.
func (s *Service) BackfillWorkspaces(ctx context.Context) (int, error) {
	var lists []string
	for _, p := range attain.DefaultPicklists() {
		lists = append(lists, p.List)
	}
	var gaps []*store.SetupGaps
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		gaps, err = tx.FindSetupGaps(ctx, 0, lists)
		return err
	})
	if err != nil {
		return 0, err
	}
	for _, g := range gaps {
		err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
			// Read again inside the write: another process may have filled it.
			again, err := tx.FindSetupGaps(ctx, g.WorkspaceID, lists)
			if err != nil || len(again) == 0 {
				return err
			}
			return s.backfill(ctx, tx, again[0])
		})
		if err != nil {
			return 0, fmt.Errorf("backfill workspace %d: %w", g.WorkspaceID, err)
		}
	}
	if len(gaps) > 0 {
		s.log.InfoContext(ctx, "backfilled workspace defaults", "workspaces", len(gaps))
	}
	return len(gaps), nil
}

func (s *Service) backfill(ctx context.Context, tx *store.Tx, g *store.SetupGaps) error {
	a := attain.SystemActor(g.WorkspaceID)
	added := map[string]any{}
	// Activity types first: the default pipeline's exit criteria name them.
	if g.NoActivityTypes {
		if err := s.seedActivityTypes(ctx, tx, a); err != nil {
			return err
		}
		added["activity_types"] = attain.DefaultActivityTypes
	}
	if len(g.MissingPicklists) > 0 {
		var seed []attain.Picklist
		for _, p := range attain.DefaultPicklists() {
			if slices.Contains(g.MissingPicklists, p.List) {
				seed = append(seed, p)
			}
		}
		if err := tx.SeedPicklists(ctx, g.WorkspaceID, seed); err != nil {
			return err
		}
		added["picklists"] = g.MissingPicklists
	}
	if g.NoPipeline {
		if err := seedPipeline(ctx, tx, a); err != nil {
			return err
		}
		added["pipeline"] = attain.DefaultPipeline().Name
	}
	return tx.Audit(ctx, a, "backfill_defaults", "workspace", g.WorkspaceID, nil, added)
}
