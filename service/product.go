package service

import (
	"context"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// CreateProduct adds a product; admins only. The currency defaults to the
// workspace's.
func (s *Service) CreateProduct(ctx context.Context, a *attain.Actor, in attain.ProductInput) (*attain.Product, error) {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p := &attain.Product{Name: in.Name, SKU: in.SKU, Currency: in.Currency, ListPrice: in.ListPrice, UnitCost: in.UnitCost, ExternalID: in.ExternalID}
	err := s.db.WriteTx(ctx, func(tx *store.Tx) (err error) {
		if p.Currency == "" {
			if p.Currency, err = tx.WorkspaceCurrency(ctx, a.WorkspaceID); err != nil {
				return err
			}
		}
		if err := tx.CreateProduct(ctx, a.WorkspaceID, p); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "create", "product", p.ID, nil, p)
	})
	return p, err
}

// FindProduct returns one product; everyone may read the catalogue.
func (s *Service) FindProduct(ctx context.Context, a *attain.Actor, id int64) (*attain.Product, error) {
	var p *attain.Product
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		p, err = tx.FindProduct(ctx, a.WorkspaceID, id)
		return err
	})
	return p, err
}

// FindProducts lists products (see attain.ListQuery).
func (s *Service) FindProducts(ctx context.Context, a *attain.Actor, q attain.ListQuery) ([]*attain.Product, string, error) {
	var out []*attain.Product
	var next string
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, next, err = tx.FindProducts(ctx, a.WorkspaceID, q)
		return err
	})
	return out, next, err
}

// UpdateProduct changes a product; admins only. Deals already priced keep
// the price and cost their lines were written with.
func (s *Service) UpdateProduct(ctx context.Context, a *attain.Actor, id, version int64, in attain.ProductUpdate) (*attain.Product, error) {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return nil, err
	}
	var p *attain.Product
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := tx.FindProduct(ctx, a.WorkspaceID, id)
		if err != nil {
			return err
		}
		after := *before
		if err := in.Apply(&after); err != nil {
			return err
		}
		if err := editable(false, before.Version, version, "product"); err != nil {
			return err
		}
		// Conditional on the version read, so a concurrent change is not undone.
		if err := tx.UpdateProduct(ctx, a.WorkspaceID, before.Version, &after); err != nil {
			return err
		}
		if p, err = tx.FindProduct(ctx, a.WorkspaceID, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "update", "product", id, before, p)
	})
	return p, err
}

// DeleteProduct deletes a product no deal uses; admins only.
func (s *Service) DeleteProduct(ctx context.Context, a *attain.Actor, id, version int64) error {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return err
	}
	return s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := tx.FindProduct(ctx, a.WorkspaceID, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteProduct(ctx, a.WorkspaceID, id, version); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "delete", "product", id, before, nil)
	})
}
