package store

import "context"

// SetupGaps is what a workspace lacks of the defaults new workspaces are
// given: no activity type at all, no pipeline at all, or default picklists
// without a single value.
type SetupGaps struct {
	WorkspaceID      int64
	NoActivityTypes  bool
	NoPipeline       bool
	MissingPicklists []string
}

// FindSetupGaps lists the workspaces that lack some default, in one query:
// those created before the default was seeded. lists are the default
// picklists' names. A workspaceID other than 0 checks that workspace only.
func (tx *Tx) FindSetupGaps(ctx context.Context, workspaceID int64, lists []string) ([]*SetupGaps, error) {
	var ar args
	sel := `SELECT w.id,
		NOT EXISTS (SELECT 1 FROM activity_types t WHERE t.workspace_id = w.id),
		NOT EXISTS (SELECT 1 FROM pipelines p WHERE p.workspace_id = w.id)`
	where := ""
	for i, l := range lists {
		cond := `NOT EXISTS (SELECT 1 FROM picklist_values v WHERE v.workspace_id = w.id AND v.list = ` + ar.add(l) + `)`
		sel += ", " + cond
		if i > 0 {
			where += " OR "
		}
		where += cond
	}
	q := sel + ` FROM workspaces w WHERE (NOT EXISTS (SELECT 1 FROM activity_types t WHERE t.workspace_id = w.id)
		OR NOT EXISTS (SELECT 1 FROM pipelines p WHERE p.workspace_id = w.id)`
	if where != "" {
		// The conditions repeat their placeholders, which both engines allow.
		q += " OR " + where
	}
	q += ")"
	if workspaceID != 0 {
		q += " AND w.id = " + ar.add(workspaceID)
	}
	rows, err := tx.query(ctx, q+" ORDER BY w.id", ar...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*SetupGaps
	for rows.Next() {
		g := &SetupGaps{}
		missing := make([]bool, len(lists))
		dest := []any{&g.WorkspaceID, &g.NoActivityTypes, &g.NoPipeline}
		for i := range missing {
			dest = append(dest, &missing[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		for i, m := range missing {
			if m {
				g.MissingPicklists = append(g.MissingPicklists, lists[i])
			}
		}
		out = append(out, g)
	}
	return out, rows.Err()
}
