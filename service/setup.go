package service

import (
	"context"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// setupWorkspace gives a new workspace what it needs to be used at once: the
// default picklists, a default pipeline with well-defined stages, the key
// activity types. It runs in the transaction that creates the workspace.
// Each feature adds its own seeding call here.
func (s *Service) setupWorkspace(ctx context.Context, tx *store.Tx, a *attain.Actor) error {
	_ = ctx
	_ = tx
	_ = a
	// Activity types first: the default pipeline's exit criteria name them.
	if err := s.seedActivityTypes(ctx, tx, a); err != nil {
		return err
	}
	if err := s.seedSalesProcess(ctx, tx, a); err != nil {
		return err
	}
	return nil
}
