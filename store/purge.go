package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// PurgeWorkspace deletes a workspace and every row that belongs to it, in
// every table with a workspace_id column, except the audit log, which is
// append-only and keeps the record of what was there and of its deletion.
// Users stay (they may belong to other workspaces); their memberships go.
//
// The tables are found in the schema rather than listed here, so a feature's
// new table is purged without anyone remembering to add it; they are
// deleted children first, in the order their foreign keys require.
func (tx *Tx) PurgeWorkspace(ctx context.Context, workspaceID int64) error {
	tables, parents, err := tx.tenantTables(ctx)
	if err != nil {
		return err
	}
	order, err := childrenFirst(tables, parents)
	if err != nil {
		return err
	}
	for _, t := range order {
		if _, err := tx.exec(ctx, `DELETE FROM `+t+` WHERE workspace_id = $1`, workspaceID); err != nil {
			return fmt.Errorf("purge %s: %w", t, err)
		}
	}
	if _, err := tx.exec(ctx, `DELETE FROM workspaces WHERE id = $1`, workspaceID); err != nil {
		return fmt.Errorf("purge workspace: %w", err)
	}
	return nil
}

// tenantTables lists the tables with a workspace_id column (the audit log
// left out) and, for each, the tables its foreign keys reference.
func (tx *Tx) tenantTables(ctx context.Context) ([]string, map[string][]string, error) {
	var listQ, fkQ string
	if tx.db.dialect.name() == SQLite {
		listQ = `SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c
			WHERE m.type = 'table' AND c.name = 'workspace_id' ORDER BY m.name`
		fkQ = `SELECT m.name, f."table" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
			WHERE m.type = 'table'`
	} else {
		listQ = `SELECT table_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND column_name = 'workspace_id' ORDER BY table_name`
		fkQ = `SELECT cl.relname, pl.relname FROM pg_constraint c
			JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_class pl ON pl.oid = c.confrelid
			WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`
	}
	names, err := tx.strings(ctx, listQ)
	if err != nil {
		return nil, nil, fmt.Errorf("list tenant tables: %w", err)
	}
	var tables []string
	for _, n := range names {
		if n != "audit_log" && !slices.Contains(tables, n) {
			tables = append(tables, n)
		}
	}
	rows, err := tx.query(ctx, fkQ)
	if err != nil {
		return nil, nil, fmt.Errorf("list foreign keys: %w", err)
	}
	defer rows.Close()
	parents := map[string][]string{}
	for rows.Next() {
		var child, parent string
		if err := rows.Scan(&child, &parent); err != nil {
			return nil, nil, err
		}
		parents[child] = append(parents[child], parent)
	}
	return tables, parents, rows.Err()
}

func (tx *Tx) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// childrenFirst orders tables so each comes before every table it
// references. A table referencing itself (a hierarchy) is fine: one DELETE
// removes the whole workspace's rows and the key is checked at its end.
func childrenFirst(tables []string, parents map[string][]string) ([]string, error) {
	// referencedBy counts, for each table, the tables still to delete that
	// reference it; a table can go once nothing left references it.
	referencedBy := map[string]int{}
	for _, c := range tables {
		for _, p := range parents[c] {
			if p != c && slices.Contains(tables, p) {
				referencedBy[p]++
			}
		}
	}
	var order []string
	left := slices.Clone(tables)
	for len(left) > 0 {
		i := slices.IndexFunc(left, func(t string) bool { return referencedBy[t] == 0 })
		if i < 0 {
			return nil, fmt.Errorf("purge: the foreign keys between %s form a cycle", strings.Join(left, ", "))
		}
		t := left[i]
		left = slices.Delete(left, i, i+1)
		order = append(order, t)
		for _, p := range parents[t] {
			if p != t && slices.Contains(tables, p) {
				referencedBy[p]--
			}
		}
	}
	return order, nil
}
