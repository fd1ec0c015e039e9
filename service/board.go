package service

import (
	"context"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

var _ attain.BoardService = (*Service)(nil)

// FindDealTotals counts and sums the deals the actor can see by stage and
// currency; every member may ask, over what they can see.
func (s *Service) FindDealTotals(ctx context.Context, a *attain.Actor, filters []attain.Filter) ([]*attain.DealTotal, error) {
	var out []*attain.DealTotal
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindDealTotals(ctx, a, filters)
		return err
	})
	return out, err
}
