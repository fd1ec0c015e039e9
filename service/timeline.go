package service

import (
	"context"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

var _ attain.TimelineService = (*Service)(nil)

// Timeline lists what happened on a record the actor may see, newest first.
// Activities appear under the activity visibility rule (see
// attain.Activity); on an account's timeline, notes of its contacts and
// deals appear when the actor may see those records.
func (s *Service) Timeline(ctx context.Context, a *attain.Actor, entityType string, id int64, p attain.Page) ([]*attain.TimelineItem, string, error) {
	var out []*attain.TimelineItem
	var next string
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		if _, err := visibleSalesRecord(ctx, tx, a, entityType, id); err != nil {
			return err
		}
		var err error
		out, next, err = tx.Timeline(ctx, a, entityType, id, p)
		return err
	})
	return out, next, err
}
