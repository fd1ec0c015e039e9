package attain

import (
	"context"
	"strings"
	"time"
)

// Product is something the team sells, with its list price and unit cost in
// one currency. Deal lines copy the price and cost when they are written, so
// changing a product never rewrites deals already priced.
type Product struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	SKU        string    `json:"sku"`
	Currency   string    `json:"currency"`
	ListPrice  int64     `json:"list_price"`
	UnitCost   int64     `json:"unit_cost"`
	Active     bool      `json:"active"`
	ExternalID *string   `json:"external_id"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Version    int64     `json:"version"`
}

// ProductInput is a new product; the currency defaults to the workspace's.
type ProductInput struct {
	Name       string  `json:"name"`
	SKU        string  `json:"sku,omitempty"`
	Currency   string  `json:"currency,omitempty"`
	ListPrice  int64   `json:"list_price"`
	UnitCost   int64   `json:"unit_cost,omitempty"`
	ExternalID *string `json:"external_id,omitempty"`
}

// Validate checks and normalises a new product.
func (in *ProductInput) Validate() error {
	var v Validation
	in.Name = strings.TrimSpace(in.Name)
	in.SKU = strings.TrimSpace(in.SKU)
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	validateProduct(&v, in.Name, in.SKU, in.Currency, in.ListPrice, in.UnitCost)
	return v.Err()
}

// ProductUpdate changes some of a product's fields.
type ProductUpdate struct {
	Name       *string          `json:"name,omitempty"`
	SKU        *string          `json:"sku,omitempty"`
	Currency   *string          `json:"currency,omitempty"`
	ListPrice  *int64           `json:"list_price,omitempty"`
	UnitCost   *int64           `json:"unit_cost,omitempty"`
	Active     *bool            `json:"active,omitempty"`
	ExternalID Nullable[string] `json:"external_id,omitzero"`
}

// Apply changes p as the update says and validates the result.
func (u *ProductUpdate) Apply(p *Product) error {
	set(&p.Name, u.Name)
	set(&p.SKU, u.SKU)
	set(&p.Currency, u.Currency)
	set(&p.ListPrice, u.ListPrice)
	set(&p.UnitCost, u.UnitCost)
	set(&p.Active, u.Active)
	u.ExternalID.apply(&p.ExternalID)
	p.Name = strings.TrimSpace(p.Name)
	p.SKU = strings.TrimSpace(p.SKU)
	p.Currency = strings.ToUpper(strings.TrimSpace(p.Currency))
	var v Validation
	validateProduct(&v, p.Name, p.SKU, p.Currency, p.ListPrice, p.UnitCost)
	return v.Err()
}

func validateProduct(v *Validation, name, sku, currency string, price, cost int64) {
	v.Require("name", name)
	if len(name) > 200 {
		v.Add("name", "must be at most 200 characters")
	}
	if len(sku) > 100 {
		v.Add("sku", "must be at most 100 characters")
	}
	if currency != "" && !ValidCurrency(currency) {
		v.Add("currency", "must be a three-letter ISO 4217 code such as USD")
	}
	validateAmount(v, "list_price", &price)
	validateAmount(v, "unit_cost", &cost)
}

// ProductService manages products: everyone reads them; admins change them.
type ProductService interface {
	CreateProduct(ctx context.Context, a *Actor, in ProductInput) (*Product, error)
	FindProduct(ctx context.Context, a *Actor, id int64) (*Product, error)
	FindProducts(ctx context.Context, a *Actor, q ListQuery) ([]*Product, string, error)
	UpdateProduct(ctx context.Context, a *Actor, id, version int64, in ProductUpdate) (*Product, error)
	DeleteProduct(ctx context.Context, a *Actor, id, version int64) error
}
