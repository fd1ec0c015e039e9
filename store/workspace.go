package store

import (
	"context"

	"github.com/attain-crm/attain"
)

// CreateWorkspace inserts a workspace and fills in its id.
func (tx *Tx) CreateWorkspace(ctx context.Context, w *attain.Workspace) error {
	w.CreatedAt = tx.Now
	id, err := tx.insert(ctx, `INSERT INTO workspaces (name, slug, created_at) VALUES ($1, $2, $3)`,
		w.Name, w.Slug, w.CreatedAt)
	if attain.ErrorCode(err) == attain.ECONFLICT {
		return attain.Invalid("slug", "is taken by another workspace")
	}
	w.ID = id
	return err
}

// FindWorkspaceBySlug returns the workspace with that slug.
func (tx *Tx) FindWorkspaceBySlug(ctx context.Context, slug string) (*attain.Workspace, error) {
	var w attain.Workspace
	err := tx.queryRow(ctx, `SELECT id, name, slug, created_at FROM workspaces WHERE slug = $1`, slug).
		Scan(&w.ID, &w.Name, &w.Slug, &w.CreatedAt)
	return &w, notFound(err, "Workspace")
}

// FindWorkspace returns the workspace with that id.
func (tx *Tx) FindWorkspace(ctx context.Context, id int64) (*attain.Workspace, error) {
	var w attain.Workspace
	err := tx.queryRow(ctx, `SELECT id, name, slug, created_at FROM workspaces WHERE id = $1`, id).
		Scan(&w.ID, &w.Name, &w.Slug, &w.CreatedAt)
	return &w, notFound(err, "Workspace")
}

// FindWorkspacesOfUser lists the workspaces a user belongs to, oldest first.
func (tx *Tx) FindWorkspacesOfUser(ctx context.Context, userID int64) ([]*attain.Workspace, error) {
	rows, err := tx.query(ctx, `
		SELECT w.id, w.name, w.slug, w.created_at
		FROM workspaces w JOIN memberships m ON m.workspace_id = w.id
		WHERE m.user_id = $1 ORDER BY w.id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.Workspace
	for rows.Next() {
		var w attain.Workspace
		if err := rows.Scan(&w.ID, &w.Name, &w.Slug, &w.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, &w)
	}
	return out, rows.Err()
}

// CountWorkspaces counts every workspace in the database.
func (tx *Tx) CountWorkspaces(ctx context.Context) (int, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT count(*) FROM workspaces`).Scan(&n)
	return n, err
}

// FirstWorkspace returns the oldest workspace.
func (tx *Tx) FirstWorkspace(ctx context.Context) (*attain.Workspace, error) {
	var w attain.Workspace
	err := tx.queryRow(ctx, `SELECT id, name, slug, created_at FROM workspaces ORDER BY id LIMIT 1`).
		Scan(&w.ID, &w.Name, &w.Slug, &w.CreatedAt)
	return &w, notFound(err, "Workspace")
}
