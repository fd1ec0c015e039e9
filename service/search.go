package service

import (
	"context"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// Search finds the accounts, contacts, leads and deals of the actor's
// workspace that match q and that the actor may see, best first.
func (s *Service) Search(ctx context.Context, a *attain.Actor, q attain.SearchQuery) ([]*attain.SearchResult, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	var out []*attain.SearchResult
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.Search(ctx, a, q)
		return err
	})
	return out, err
}
