package store

import (
	"context"
	"fmt"

	"github.com/attain-crm/attain"
)

const viewSelect = `SELECT id, owner_id, entity, name, query, columns, shared, created_at, updated_at, version FROM saved_views`

func scanView(s interface{ Scan(...any) error }) (*attain.SavedView, error) {
	var v attain.SavedView
	var cols string
	if err := s.Scan(&v.ID, &v.OwnerID, &v.Entity, &v.Name, &v.Query, &cols, &v.Shared, &v.CreatedAt, &v.UpdatedAt, &v.Version); err != nil {
		return nil, err
	}
	v.Columns = []string{}
	if err := fromJSONText(cols, &v.Columns); err != nil {
		return nil, fmt.Errorf("saved view %d columns: %w", v.ID, err)
	}
	return &v, nil
}

// CreateSavedView inserts a view and fills in its id, times and version.
func (tx *Tx) CreateSavedView(ctx context.Context, workspaceID int64, v *attain.SavedView) error {
	cols, err := toJSONText(v.Columns, "[]")
	if err != nil {
		return err
	}
	id, err := tx.insert(ctx, `INSERT INTO saved_views (workspace_id, owner_id, entity, name, query, columns, shared, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
		workspaceID, v.OwnerID, v.Entity, v.Name, v.Query, cols, v.Shared, tx.Now)
	if err != nil {
		return err
	}
	v.ID, v.CreatedAt, v.UpdatedAt, v.Version = id, tx.Now, tx.Now, 1
	return nil
}

// FindSavedView returns one view of the workspace, whoever owns it.
func (tx *Tx) FindSavedView(ctx context.Context, workspaceID, id int64) (*attain.SavedView, error) {
	v, err := scanView(tx.queryRow(ctx, viewSelect+` WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
	return v, notFound(err, "Saved view")
}

// FindSavedViews lists the views of one entity ("" for all) that the member
// owns or that are shared, by name.
func (tx *Tx) FindSavedViews(ctx context.Context, workspaceID, userID int64, entity string) ([]*attain.SavedView, error) {
	rows, err := tx.query(ctx, viewSelect+` WHERE workspace_id = $1 AND (owner_id = $2 OR shared) AND ($3 = '' OR entity = $3)
		ORDER BY lower(name), id`, workspaceID, userID, entity)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*attain.SavedView{}
	for rows.Next() {
		v, err := scanView(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// UpdateSavedView writes a view's name, query, columns and sharing if it is
// still at version.
func (tx *Tx) UpdateSavedView(ctx context.Context, workspaceID, version int64, v *attain.SavedView) error {
	cols, err := toJSONText(v.Columns, "[]")
	if err != nil {
		return err
	}
	return tx.checkVersion(ctx, "saved_views", "Saved view",
		`UPDATE saved_views SET name = $1, query = $2, columns = $3, shared = $4, updated_at = $5, version = version + 1
		 WHERE workspace_id = $6 AND id = $7 AND version = $8`,
		`SELECT 1 FROM saved_views WHERE workspace_id = $1 AND id = $2`, []any{workspaceID, v.ID},
		v.Name, v.Query, cols, v.Shared, tx.Now, workspaceID, v.ID, version)
}

// DeleteSavedView removes a view if it is still at version.
func (tx *Tx) DeleteSavedView(ctx context.Context, workspaceID, id, version int64) error {
	return tx.checkVersion(ctx, "saved_views", "Saved view",
		`DELETE FROM saved_views WHERE workspace_id = $1 AND id = $2 AND version = $3`,
		`SELECT 1 FROM saved_views WHERE workspace_id = $1 AND id = $2`, []any{workspaceID, id},
		workspaceID, id, version)
}
