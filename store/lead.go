package store

import (
	"context"
	"fmt"
	"time"

	"github.com/attain-crm/attain"
)

const leadCols = `l.id, l.first_name, l.last_name, l.email, l.phone, l.title, l.company, l.website, l.industry, l.country,
	l.source, l.status, l.owner_id, l.team_id, l.converted_at, l.converted_account_id, l.converted_contact_id,
	l.converted_deal_id, l.custom, l.external_id, l.created_at, l.updated_at, l.deleted_at, l.version`

func scanLead(s interface{ Scan(...any) error }) (*attain.Lead, error) {
	var x attain.Lead
	var custom string
	if err := s.Scan(&x.ID, &x.FirstName, &x.LastName, &x.Email, &x.Phone, &x.Title, &x.Company, &x.Website, &x.Industry,
		&x.Country, &x.Source, &x.Status, &x.OwnerID, &x.TeamID, &x.ConvertedAt, &x.ConvertedAccountID,
		&x.ConvertedContactID, &x.ConvertedDealID, &custom, &x.ExternalID, &x.CreatedAt, &x.UpdatedAt, &x.DeletedAt, &x.Version); err != nil {
		return nil, err
	}
	if err := fromJSONText(custom, &x.Custom); err != nil {
		return nil, fmt.Errorf("lead %d custom: %w", x.ID, err)
	}
	return &x, nil
}

// leadList is the whitelist of the leads list.
var leadList = &listSpec{
	idExpr: "l.id",
	cols: map[string]listCol{
		"id":           {expr: "l.id", kind: kindInt, sortable: true},
		"name":         {expr: "lower(trim(l.first_name || ' ' || l.last_name))", kind: kindString, sortable: true},
		"last_name":    {expr: "lower(l.last_name)", kind: kindString, sortable: true},
		"company":      {expr: "lower(l.company)", kind: kindString, sortable: true},
		"email":        {expr: "lower(l.email)", kind: kindString},
		"status":       {expr: "l.status", kind: kindString},
		"source":       {expr: "l.source", kind: kindString},
		"industry":     {expr: "l.industry", kind: kindString},
		"country":      {expr: "l.country", kind: kindString},
		"owner_id":     {expr: "l.owner_id", kind: kindInt},
		"team_id":      {expr: "l.team_id", kind: kindInt},
		"external_id":  {expr: "l.external_id", kind: kindString},
		"converted_at": {expr: "l.converted_at", kind: kindTime},
		"created_at":   {expr: "l.created_at", kind: kindTime, sortable: true},
		"updated_at":   {expr: "l.updated_at", kind: kindTime, sortable: true},
		"deleted_at":   {expr: "l.deleted_at", kind: kindTime},
	},
	defaultSort: attain.Sort{Field: "created_at", Desc: true},
}

// CreateLead inserts a lead and fills in its id, times and version.
func (tx *Tx) CreateLead(ctx context.Context, workspaceID int64, x *attain.Lead) error {
	custom, err := toJSONText(x.Custom, "{}")
	if err != nil {
		return err
	}
	x.CreatedAt, x.UpdatedAt, x.Version, x.DeletedAt = tx.Now, tx.Now, 1, nil
	x.ID, err = tx.insert(ctx, `INSERT INTO leads (workspace_id, first_name, last_name, email, phone, title, company, website,
		industry, country, source, status, owner_id, team_id, custom, external_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)`,
		workspaceID, x.FirstName, x.LastName, x.Email, x.Phone, x.Title, x.Company, x.Website,
		x.Industry, x.Country, x.Source, x.Status, x.OwnerID, x.TeamID, custom, x.ExternalID, tx.Now)
	return externalIDTaken(err, "lead")
}

// UpdateLead stores every field of x, conversion lineage included, if its
// version is still version, and moves x to the new version.
func (tx *Tx) UpdateLead(ctx context.Context, workspaceID int64, x *attain.Lead, version int64) error {
	custom, err := toJSONText(x.Custom, "{}")
	if err != nil {
		return err
	}
	err = tx.checkVersion(ctx, "leads", "Lead",
		`UPDATE leads SET first_name = $1, last_name = $2, email = $3, phone = $4, title = $5, company = $6, website = $7,
			industry = $8, country = $9, source = $10, status = $11, owner_id = $12, team_id = $13, custom = $14,
			external_id = $15, converted_at = $16, converted_account_id = $17, converted_contact_id = $18,
			converted_deal_id = $19, updated_at = $20, version = version + 1
		 WHERE workspace_id = $21 AND id = $22 AND version = $23`,
		`SELECT 1 FROM leads WHERE workspace_id = $1 AND id = $2`, []any{workspaceID, x.ID},
		x.FirstName, x.LastName, x.Email, x.Phone, x.Title, x.Company, x.Website, x.Industry, x.Country, x.Source,
		x.Status, x.OwnerID, x.TeamID, custom, x.ExternalID, x.ConvertedAt, x.ConvertedAccountID, x.ConvertedContactID,
		x.ConvertedDealID, tx.Now, workspaceID, x.ID, version)
	if err != nil {
		return externalIDTaken(err, "lead")
	}
	x.UpdatedAt, x.Version = tx.Now, version+1
	return nil
}

// SetLeadDeleted soft-deletes (at set) or restores (at nil) a lead if its
// version is still version, and moves x to the new version.
func (tx *Tx) SetLeadDeleted(ctx context.Context, workspaceID int64, x *attain.Lead, version int64, at *time.Time) error {
	return tx.setDeleted(ctx, "leads", "Lead", workspaceID, x.ID, version, at, func() {
		x.DeletedAt, x.UpdatedAt, x.Version = at, tx.Now, version+1
	})
}

// FindLead returns a lead, deleted or not; the caller checks that the actor
// may see it.
func (tx *Tx) FindLead(ctx context.Context, workspaceID, id int64) (*attain.Lead, error) {
	x, err := scanLead(tx.queryRow(ctx, `SELECT `+leadCols+` FROM leads l WHERE l.workspace_id = $1 AND l.id = $2`, workspaceID, id))
	return x, notFound(err, "Lead")
}

// FindLeads lists the leads the actor may see, hiding deleted ones unless
// the query filters on deleted_at.
func (tx *Tx) FindLeads(ctx context.Context, a *attain.Actor, q attain.ListQuery) ([]*attain.Lead, string, error) {
	var ar args
	where := "l.workspace_id = " + ar.add(a.WorkspaceID) + " AND " + Visible(a, "l.owner_id", "l.team_id", &ar) +
		liveUnlessAsked(q, "l.deleted_at")
	q = lowerFilterValues(q, "name", "last_name", "company", "email")
	return listRows(ctx, tx, leadList, q, &ar, `SELECT `+leadCols+` FROM leads l`, where, scanLead,
		func(x *attain.Lead) int64 { return x.ID })
}
