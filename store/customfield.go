package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/attain-crm/attain"
)

const customFieldCols = `id, entity_type, key, label, type, purpose, picklist, required, position, retired_at, created_at, updated_at, version`

func scanCustomField(s interface{ Scan(...any) error }) (*attain.CustomField, error) {
	var f attain.CustomField
	var picklist *string
	err := s.Scan(&f.ID, &f.EntityType, &f.Key, &f.Label, &f.Type, &f.Purpose, &picklist, &f.Required, &f.Position,
		&f.RetiredAt, &f.CreatedAt, &f.UpdatedAt, &f.Version)
	if picklist != nil {
		f.Picklist = *picklist
	}
	return &f, err
}

func picklistOrNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// FindCustomFields lists the custom fields of one kind of record (all kinds
// when entityType is ""), retired ones included, by position.
func (tx *Tx) FindCustomFields(ctx context.Context, workspaceID int64, entityType string) ([]*attain.CustomField, error) {
	var ar args
	q := `SELECT ` + customFieldCols + ` FROM custom_fields WHERE workspace_id = ` + ar.add(workspaceID)
	if entityType != "" {
		q += ` AND entity_type = ` + ar.add(entityType)
	}
	rows, err := tx.query(ctx, q+` ORDER BY entity_type, position, id`, ar...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.CustomField
	for rows.Next() {
		f, err := scanCustomField(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// FindCustomField returns one custom field.
func (tx *Tx) FindCustomField(ctx context.Context, workspaceID, id int64) (*attain.CustomField, error) {
	f, err := scanCustomField(tx.queryRow(ctx, `SELECT `+customFieldCols+` FROM custom_fields
		WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
	return f, notFound(err, "Custom field")
}

// CreateCustomField inserts a definition and sets its id and timestamps.
func (tx *Tx) CreateCustomField(ctx context.Context, workspaceID int64, f *attain.CustomField) error {
	f.CreatedAt, f.UpdatedAt, f.Version = tx.Now, tx.Now, 1
	id, err := tx.insert(ctx, `INSERT INTO custom_fields (workspace_id, entity_type, key, label, type, purpose, picklist,
		required, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
		workspaceID, f.EntityType, f.Key, f.Label, f.Type, f.Purpose, picklistOrNull(f.Picklist), f.Required, f.Position, tx.Now)
	if attain.ErrorCode(err) == attain.ECONFLICT {
		return attain.Invalid("key", "is taken by another %s field", f.EntityType)
	}
	f.ID = id
	return err
}

// UpdateCustomField stores a definition's changeable parts if version still
// matches (0 skips the check) and bumps its version.
func (tx *Tx) UpdateCustomField(ctx context.Context, workspaceID int64, f *attain.CustomField, version int64) error {
	err := tx.checkVersion(ctx, "custom_fields", "Custom field",
		`UPDATE custom_fields SET label = $1, purpose = $2, picklist = $3, required = $4, position = $5, retired_at = $6,
			updated_at = $7, version = version + 1
		 WHERE workspace_id = $8 AND id = $9 AND ($10 = 0 OR version = $10)`,
		`SELECT 1 FROM custom_fields WHERE workspace_id = $1 AND id = $2`, []any{workspaceID, f.ID},
		f.Label, f.Purpose, picklistOrNull(f.Picklist), f.Required, f.Position, f.RetiredAt, tx.Now, workspaceID, f.ID, version)
	if err != nil {
		return err
	}
	f.UpdatedAt = tx.Now
	f.Version++
	return nil
}

// DeleteCustomField removes a definition if version still matches.
func (tx *Tx) DeleteCustomField(ctx context.Context, workspaceID, id, version int64) error {
	return tx.checkVersion(ctx, "custom_fields", "Custom field",
		`DELETE FROM custom_fields WHERE workspace_id = $1 AND id = $2 AND ($3 = 0 OR version = $3)`,
		`SELECT 1 FROM custom_fields WHERE workspace_id = $1 AND id = $2`, []any{workspaceID, id},
		workspaceID, id, version)
}

// CustomFieldFill counts the records of a kind (live ones only, or deleted
// ones too) and, for each key, how many have a value under it (null, "", []
// and {} count as empty). One scan of the table answers every key.
func (tx *Tx) CustomFieldFill(ctx context.Context, workspaceID int64, entityType string, keys []string, liveOnly bool) (records int64, filled []int64, err error) {
	t, ok := recordTables[entityType]
	if !ok {
		return 0, nil, attain.Invalid("entity_type", "must be one of account, contact, lead, deal")
	}
	var cols strings.Builder
	for _, k := range keys {
		if !attain.IsCustomFieldKey(k) {
			return 0, nil, fmt.Errorf("custom field usage: unsafe key %q", k)
		}
		v := tx.db.dialect.jsonText("custom", k)
		fmt.Fprintf(&cols, ", count(CASE WHEN %s IS NOT NULL AND %s NOT IN ('', '[]', '{}') THEN 1 END)", v, v)
	}
	filled = make([]int64, len(keys))
	dest := []any{&records}
	for i := range filled {
		dest = append(dest, &filled[i])
	}
	q := `SELECT count(*)` + cols.String() + ` FROM ` + t.table + ` WHERE workspace_id = $1`
	if liveOnly {
		q += ` AND deleted_at IS NULL`
	}
	err = tx.queryRow(ctx, q, workspaceID).Scan(dest...)
	if err != nil {
		return 0, nil, fmt.Errorf("custom field usage of %s: %w", entityType, err)
	}
	return records, filled, nil
}
