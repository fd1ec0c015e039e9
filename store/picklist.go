package store

import (
	"context"

	"github.com/attain-crm/attain"
)

const picklistCols = `id, list, value, label, position, retired_at, created_at`

func scanPicklistValue(s interface{ Scan(...any) error }) (*attain.PicklistValue, error) {
	var v attain.PicklistValue
	err := s.Scan(&v.ID, &v.List, &v.Value, &v.Label, &v.Position, &v.RetiredAt, &v.CreatedAt)
	return &v, err
}

// FindPicklists returns the workspace's picklists with every value, retired
// ones included, ordered by list then position. An empty list name returns
// them all; a named list that has no values comes back empty, not missing.
func (tx *Tx) FindPicklists(ctx context.Context, workspaceID int64, list string) ([]*attain.Picklist, error) {
	var ar args
	q := `SELECT ` + picklistCols + ` FROM picklist_values WHERE workspace_id = ` + ar.add(workspaceID)
	if list != "" {
		q += ` AND list = ` + ar.add(list)
	}
	rows, err := tx.query(ctx, q+` ORDER BY list, position, value`, ar...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.Picklist
	for rows.Next() {
		v, err := scanPicklistValue(rows)
		if err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].List != v.List {
			out = append(out, &attain.Picklist{List: v.List})
		}
		p := out[len(out)-1]
		p.Values = append(p.Values, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if list != "" && len(out) == 0 {
		out = append(out, &attain.Picklist{List: list, Values: []*attain.PicklistValue{}})
	}
	return out, nil
}

// FindPicklist returns one list (possibly without values).
func (tx *Tx) FindPicklist(ctx context.Context, workspaceID int64, list string) (*attain.Picklist, error) {
	ps, err := tx.FindPicklists(ctx, workspaceID, list)
	if err != nil {
		return nil, err
	}
	return ps[0], nil
}

// FindPicklistValue returns one value of a list.
func (tx *Tx) FindPicklistValue(ctx context.Context, workspaceID int64, list, value string) (*attain.PicklistValue, error) {
	v, err := scanPicklistValue(tx.queryRow(ctx, `SELECT `+picklistCols+` FROM picklist_values
		WHERE workspace_id = $1 AND list = $2 AND value = $3`, workspaceID, list, value))
	return v, notFound(err, "Picklist value")
}

// CreatePicklistValue adds a value to a list; a nil position puts it last.
func (tx *Tx) CreatePicklistValue(ctx context.Context, workspaceID int64, list string, in attain.NewPicklistValue) (*attain.PicklistValue, error) {
	pos := 0
	if in.Position != nil {
		pos = *in.Position
	} else if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(position) + 1, 0) FROM picklist_values WHERE workspace_id = $1 AND list = $2`,
		workspaceID, list).Scan(&pos); err != nil {
		return nil, err
	}
	id, err := tx.insert(ctx, `INSERT INTO picklist_values (workspace_id, list, value, label, position, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, workspaceID, list, in.Value, in.Label, pos, tx.Now)
	if attain.ErrorCode(err) == attain.ECONFLICT {
		return nil, attain.Invalid("value", "%q is already in the %s list", in.Value, list)
	}
	if err != nil {
		return nil, err
	}
	return &attain.PicklistValue{ID: id, List: list, Value: in.Value, Label: in.Label, Position: pos, CreatedAt: tx.Now}, nil
}

// UpdatePicklistValue changes a value's label, position or retirement.
func (tx *Tx) UpdatePicklistValue(ctx context.Context, workspaceID int64, list, value string, in attain.PicklistValueUpdate) (*attain.PicklistValue, error) {
	v, err := tx.FindPicklistValue(ctx, workspaceID, list, value)
	if err != nil {
		return nil, err
	}
	if in.Label != nil {
		v.Label = *in.Label
	}
	if in.Position != nil {
		v.Position = *in.Position
	}
	if in.Retired != nil {
		switch {
		case *in.Retired && v.RetiredAt == nil:
			now := tx.Now
			v.RetiredAt = &now
		case !*in.Retired:
			v.RetiredAt = nil
		}
	}
	_, err = tx.exec(ctx, `UPDATE picklist_values SET label = $1, position = $2, retired_at = $3 WHERE workspace_id = $4 AND id = $5`,
		v.Label, v.Position, v.RetiredAt, workspaceID, v.ID)
	return v, err
}

// SeedPicklists inserts the values of lists, skipping values that exist.
func (tx *Tx) SeedPicklists(ctx context.Context, workspaceID int64, lists []attain.Picklist) error {
	for _, p := range lists {
		for _, v := range p.Values {
			_, err := tx.exec(ctx, `INSERT INTO picklist_values (workspace_id, list, value, label, position, created_at)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (workspace_id, list, value) DO NOTHING`,
				workspaceID, p.List, v.Value, v.Label, v.Position, tx.Now)
			if err != nil {
				return err
			}
		}
	}
	return nil
}
