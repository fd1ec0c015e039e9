package store

import (
	"context"

	"github.com/attain-crm/attain"
)

const productCols = `id, name, sku, currency, list_price, unit_cost, active, external_id, created_at, updated_at, version`

func scanProduct(s interface{ Scan(...any) error }) (*attain.Product, error) {
	var p attain.Product
	err := s.Scan(&p.ID, &p.Name, &p.SKU, &p.Currency, &p.ListPrice, &p.UnitCost, &p.Active, &p.ExternalID, &p.CreatedAt, &p.UpdatedAt, &p.Version)
	return &p, err
}

// productConflict names the field behind a unique-index clash: the name
// (unique regardless of case) or the external id.
func (tx *Tx) productConflict(ctx context.Context, err error, workspaceID int64, p *attain.Product) error {
	if attain.ErrorCode(err) != attain.ECONFLICT {
		return err
	}
	if p.ExternalID != nil {
		var one int
		if tx.queryRow(ctx, `SELECT 1 FROM products WHERE workspace_id = $1 AND external_id = $2 AND id <> $3`,
			workspaceID, *p.ExternalID, p.ID).Scan(&one) == nil {
			return attain.Invalid("external_id", "is already used by another product")
		}
	}
	return attain.Invalid("name", "is taken by another product")
}

// CreateProduct inserts a product and fills in its id.
func (tx *Tx) CreateProduct(ctx context.Context, workspaceID int64, p *attain.Product) error {
	p.CreatedAt, p.UpdatedAt, p.Version, p.Active = tx.Now, tx.Now, 1, true
	id, err := tx.insert(ctx, `INSERT INTO products (workspace_id, name, sku, currency, list_price, unit_cost, active, external_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7, $8, $8)`,
		workspaceID, p.Name, p.SKU, p.Currency, p.ListPrice, p.UnitCost, p.ExternalID, tx.Now)
	if err != nil {
		return tx.productConflict(ctx, err, workspaceID, p)
	}
	p.ID = id
	return nil
}

// UpdateProduct writes a product if version still matches.
func (tx *Tx) UpdateProduct(ctx context.Context, workspaceID, version int64, p *attain.Product) error {
	err := tx.checkVersion(ctx, "products", "Product",
		`UPDATE products SET name = $1, sku = $2, currency = $3, list_price = $4, unit_cost = $5, active = $6, external_id = $7,
			updated_at = $8, version = version + 1
		 WHERE workspace_id = $9 AND id = $10 AND ($11 = 0 OR version = $11)`,
		`SELECT 1 FROM products WHERE workspace_id = $1 AND id = $2`, []any{workspaceID, p.ID},
		p.Name, p.SKU, p.Currency, p.ListPrice, p.UnitCost, p.Active, p.ExternalID, tx.Now, workspaceID, p.ID, version)
	return tx.productConflict(ctx, err, workspaceID, p)
}

// DeleteProduct deletes a product no deal line uses; one in use is refused,
// since lines keep their product for reporting; deactivate it instead.
func (tx *Tx) DeleteProduct(ctx context.Context, workspaceID, id, version int64) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM deal_lines WHERE workspace_id = $1 AND product_id = $2`, workspaceID, id).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return attain.Errorf(attain.ECONFLICT, "The product is on %d deal lines; deactivate it (active: false) instead of deleting it.", n)
	}
	return tx.checkVersion(ctx, "products", "Product",
		`DELETE FROM products WHERE workspace_id = $1 AND id = $2 AND ($3 = 0 OR version = $3)`,
		`SELECT 1 FROM products WHERE workspace_id = $1 AND id = $2`, []any{workspaceID, id},
		workspaceID, id, version)
}

// FindProduct returns one product.
func (tx *Tx) FindProduct(ctx context.Context, workspaceID, id int64) (*attain.Product, error) {
	p, err := scanProduct(tx.queryRow(ctx, `SELECT `+productCols+` FROM products WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
	return p, notFound(err, "Product")
}

var productList = &listSpec{
	idExpr: "id",
	cols: map[string]listCol{
		"id":          {expr: "id", kind: kindInt, sortable: true},
		"name":        {expr: "name", kind: kindString, sortable: true},
		"sku":         {expr: "sku", kind: kindString, sortable: true},
		"currency":    {expr: "currency", kind: kindString},
		"list_price":  {expr: "list_price", kind: kindInt, sortable: true},
		"active":      {expr: "active", kind: kindBool},
		"external_id": {expr: "external_id", kind: kindString},
		"updated_at":  {expr: "updated_at", kind: kindTime, sortable: true},
	},
	defaultSort: attain.Sort{Field: "name"},
}

// FindProducts lists products through productList.
func (tx *Tx) FindProducts(ctx context.Context, workspaceID int64, q attain.ListQuery) ([]*attain.Product, string, error) {
	var ar args
	where := `workspace_id = ` + ar.add(workspaceID)
	return listRows(ctx, tx, productList, q, &ar, `SELECT `+productCols+` FROM products`, where, scanProduct,
		func(p *attain.Product) int64 { return p.ID })
}
