package store

import (
	"context"

	"github.com/attain-crm/attain"
)

const noteCols = `n.id, n.entity_type, n.entity_id, n.body, n.author_id, n.created_at, n.updated_at, n.deleted_at, n.version`

func scanNote(s interface{ Scan(...any) error }) (*attain.Note, error) {
	var n attain.Note
	err := s.Scan(&n.ID, &n.EntityType, &n.EntityID, &n.Body, &n.AuthorID, &n.CreatedAt, &n.UpdatedAt, &n.DeletedAt, &n.Version)
	return &n, err
}

// noteList is the whitelist of a record's notes.
var noteList = &listSpec{
	idExpr: "n.id",
	cols: map[string]listCol{
		"id":         {expr: "n.id", kind: kindInt, sortable: true},
		"author_id":  {expr: "n.author_id", kind: kindInt},
		"created_at": {expr: "n.created_at", kind: kindTime, sortable: true},
		"updated_at": {expr: "n.updated_at", kind: kindTime, sortable: true},
	},
	defaultSort: attain.Sort{Field: "created_at", Desc: true},
}

// CreateNote inserts a note and sets its id and timestamps.
func (tx *Tx) CreateNote(ctx context.Context, workspaceID int64, n *attain.Note) error {
	n.CreatedAt, n.UpdatedAt, n.Version = tx.Now, tx.Now, 1
	id, err := tx.insert(ctx, `INSERT INTO notes (workspace_id, entity_type, entity_id, body, author_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6)`, workspaceID, n.EntityType, n.EntityID, n.Body, n.AuthorID, tx.Now)
	n.ID = id
	return err
}

// FindNote returns one note, deleted or not.
func (tx *Tx) FindNote(ctx context.Context, workspaceID, id int64) (*attain.Note, error) {
	n, err := scanNote(tx.queryRow(ctx, `SELECT `+noteCols+` FROM notes n WHERE n.workspace_id = $1 AND n.id = $2`, workspaceID, id))
	return n, notFound(err, "Note")
}

// FindNotes lists the live notes of one record; the caller checks that the
// actor may see the record.
func (tx *Tx) FindNotes(ctx context.Context, workspaceID int64, entityType string, entityID int64, q attain.ListQuery) ([]*attain.Note, string, error) {
	var ar args
	where := "n.workspace_id = " + ar.add(workspaceID) + " AND n.entity_type = " + ar.add(entityType) +
		" AND n.entity_id = " + ar.add(entityID) + " AND n.deleted_at IS NULL"
	return listRows(ctx, tx, noteList, q, &ar, `SELECT `+noteCols+` FROM notes n`, where, scanNote,
		func(n *attain.Note) int64 { return n.ID })
}

// UpdateNote stores a note's body and deletion if version still matches (0
// skips the check) and bumps its version.
func (tx *Tx) UpdateNote(ctx context.Context, workspaceID int64, n *attain.Note, version int64) error {
	err := tx.checkVersion(ctx, "notes", "Note",
		`UPDATE notes SET body = $1, deleted_at = $2, updated_at = $3, version = version + 1
		 WHERE workspace_id = $4 AND id = $5 AND ($6 = 0 OR version = $6)`,
		`SELECT 1 FROM notes WHERE workspace_id = $1 AND id = $2`, []any{workspaceID, n.ID},
		n.Body, n.DeletedAt, tx.Now, workspaceID, n.ID, version)
	if err != nil {
		return err
	}
	n.UpdatedAt = tx.Now
	n.Version++
	return nil
}
