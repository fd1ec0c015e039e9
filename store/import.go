package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/attain-crm/attain"
)

const importCols = `id, kind, status, file_name, size_bytes, header, options, dry_run, rows_done, created_count, updated_count,
	rejected_count, error, job_id, created_by, created_at, updated_at, started_at, finished_at, version`

func scanImport(s interface{ Scan(...any) error }) (*attain.Import, error) {
	var x attain.Import
	var header, opts string
	if err := s.Scan(&x.ID, &x.Kind, &x.Status, &x.FileName, &x.SizeBytes, &header, &opts, &x.DryRun, &x.RowsDone,
		&x.Created, &x.Updated, &x.Rejected, &x.Error, &x.JobID, &x.CreatedBy, &x.CreatedAt, &x.UpdatedAt,
		&x.StartedAt, &x.FinishedAt, &x.Version); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(header), &x.Header); err != nil {
		return nil, fmt.Errorf("import %d header: %w", x.ID, err)
	}
	if err := json.Unmarshal([]byte(opts), &x.Options); err != nil {
		return nil, fmt.Errorf("import %d options: %w", x.ID, err)
	}
	return &x, nil
}

// CreateImport inserts an import and fills in its id and times.
func (tx *Tx) CreateImport(ctx context.Context, workspaceID int64, x *attain.Import) error {
	header, opts, err := importJSON(x)
	if err != nil {
		return err
	}
	x.CreatedAt, x.UpdatedAt, x.Version = tx.Now, tx.Now, 1
	x.ID, err = tx.insert(ctx, `INSERT INTO imports (workspace_id, kind, status, file_name, size_bytes, header, options, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
		workspaceID, x.Kind, x.Status, x.FileName, x.SizeBytes, header, opts, x.CreatedBy, tx.Now)
	return err
}

// UpdateImport stores every mutable field of an import and bumps its version.
func (tx *Tx) UpdateImport(ctx context.Context, workspaceID int64, x *attain.Import) error {
	header, opts, err := importJSON(x)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE imports SET status = $1, size_bytes = $2, header = $3, options = $4, dry_run = $5, rows_done = $6,
		created_count = $7, updated_count = $8, rejected_count = $9, error = $10, job_id = $11, started_at = $12, finished_at = $13,
		updated_at = $14, version = version + 1 WHERE workspace_id = $15 AND id = $16`,
		x.Status, x.SizeBytes, header, opts, x.DryRun, x.RowsDone, x.Created, x.Updated, x.Rejected, x.Error, x.JobID,
		x.StartedAt, x.FinishedAt, tx.Now, workspaceID, x.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return attain.Errorf(attain.ENOTFOUND, "Import not found.")
	}
	x.UpdatedAt = tx.Now
	x.Version++
	return nil
}

// SetImportProgress records how far a running import is.
func (tx *Tx) SetImportProgress(ctx context.Context, workspaceID, id, rows, created, updated, rejected int64) error {
	_, err := tx.exec(ctx, `UPDATE imports SET rows_done = $1, created_count = $2, updated_count = $3, rejected_count = $4, updated_at = $5
		WHERE workspace_id = $6 AND id = $7`, rows, created, updated, rejected, tx.Now, workspaceID, id)
	return err
}

func importJSON(x *attain.Import) (header, opts string, err error) {
	if header, err = toJSONText(x.Header, "[]"); err != nil {
		return "", "", err
	}
	opts, err = toJSONText(x.Options, "{}")
	return header, opts, err
}

// FindImport returns an import; the caller checks who may see it.
func (tx *Tx) FindImport(ctx context.Context, workspaceID, id int64) (*attain.Import, error) {
	x, err := scanImport(tx.queryRow(ctx, `SELECT `+importCols+` FROM imports WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
	return x, notFound(err, "Import")
}

// FindImports lists imports newest first, only those createdBy made unless
// it is 0, from the cursor (an id) on.
func (tx *Tx) FindImports(ctx context.Context, workspaceID, createdBy int64, p attain.Page) ([]*attain.Import, string, error) {
	var ar args
	q := `SELECT ` + importCols + ` FROM imports WHERE workspace_id = ` + ar.add(workspaceID)
	if createdBy != 0 {
		q += ` AND created_by = ` + ar.add(createdBy)
	}
	if p.Cursor != "" {
		c, err := strconv.ParseInt(p.Cursor, 10, 64)
		if err != nil {
			return nil, "", attain.Invalid("cursor", "is not a cursor this list returned")
		}
		q += ` AND id < ` + ar.add(c)
	}
	limit := p.Size()
	q += ` ORDER BY id DESC LIMIT ` + ar.add(limit+1)
	rows, err := tx.query(ctx, q, ar...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []*attain.Import
	for rows.Next() {
		x, err := scanImport(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if len(out) > limit {
		out = out[:limit]
		return out, strconv.FormatInt(out[limit-1].ID, 10), nil
	}
	return out, "", nil
}

// DeleteImport removes an import with its file and rejections.
func (tx *Tx) DeleteImport(ctx context.Context, workspaceID, id int64) error {
	for _, q := range []string{
		`DELETE FROM import_rejections WHERE workspace_id = $1 AND import_id = $2`,
		`DELETE FROM import_chunks WHERE workspace_id = $1 AND import_id = $2`,
		`DELETE FROM imports WHERE workspace_id = $1 AND id = $2`,
	} {
		if _, err := tx.exec(ctx, q, workspaceID, id); err != nil {
			return err
		}
	}
	return nil
}

// AddImportChunk stores the next piece of an import's file.
func (tx *Tx) AddImportChunk(ctx context.Context, workspaceID, importID, seq int64, data []byte) error {
	_, err := tx.exec(ctx, `INSERT INTO import_chunks (workspace_id, import_id, seq, data) VALUES ($1, $2, $3, $4)`,
		workspaceID, importID, seq, data)
	return err
}

// ImportChunk reads one piece of an import's file outside any transaction
// (a long import reads its file while it writes), or nil past the end.
func (db *DB) ImportChunk(ctx context.Context, workspaceID, importID, seq int64) ([]byte, error) {
	var data []byte
	err := db.read.QueryRowContext(ctx, `SELECT data FROM import_chunks WHERE workspace_id = $1 AND import_id = $2 AND seq = $3`,
		workspaceID, importID, seq).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return data, err
}

// ClearImportRejections deletes an import's rejections, before a new run.
func (tx *Tx) ClearImportRejections(ctx context.Context, workspaceID, importID int64) error {
	_, err := tx.exec(ctx, `DELETE FROM import_rejections WHERE workspace_id = $1 AND import_id = $2`, workspaceID, importID)
	return err
}

// AddImportRejections stores rejections of an import.
func (tx *Tx) AddImportRejections(ctx context.Context, workspaceID, importID int64, rs []*attain.ImportRejection) error {
	if len(rs) == 0 {
		return nil
	}
	l := tx.NewLoader()
	defer l.Close()
	t := l.Table("import_rejections", "workspace_id", "import_id", "line", "col", "field", "value", "reason")
	for _, r := range rs {
		if err := t.Add(ctx, workspaceID, importID, r.Line, r.Column, r.Field, r.Value, r.Reason); err != nil {
			return err
		}
	}
	return l.Flush(ctx)
}

// FindImportRejections lists an import's rejections in file order.
func (tx *Tx) FindImportRejections(ctx context.Context, workspaceID, importID int64, p attain.Page) ([]*attain.ImportRejection, string, error) {
	var ar args
	q := `SELECT id, line, col, field, value, reason FROM import_rejections WHERE workspace_id = ` + ar.add(workspaceID) +
		` AND import_id = ` + ar.add(importID)
	if p.Cursor != "" {
		c, err := strconv.ParseInt(p.Cursor, 10, 64)
		if err != nil {
			return nil, "", attain.Invalid("cursor", "is not a cursor this list returned")
		}
		q += ` AND id > ` + ar.add(c)
	}
	limit := p.Size()
	q += ` ORDER BY id LIMIT ` + ar.add(limit+1)
	rows, err := tx.query(ctx, q, ar...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []*attain.ImportRejection
	var ids []int64
	for rows.Next() {
		var r attain.ImportRejection
		var id int64
		if err := rows.Scan(&id, &r.Line, &r.Column, &r.Field, &r.Value, &r.Reason); err != nil {
			return nil, "", err
		}
		out = append(out, &r)
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if len(out) > limit {
		return out[:limit], strconv.FormatInt(ids[limit-1], 10), nil
	}
	return out, "", nil
}

// ImportRef is a record an import row may point to, with what it is known by.
type ImportRef struct {
	ID      int64
	OwnerID int64
	TeamID  *int64
	// Keys are the values it matches: external id, and per kind the name
	// key, domain or email.
	Keys []string
}

// importRefQueries are, per kind of referenced record, the query of its
// live rows whose keys are among a list, and how many keys it returns.
var importRefQueries = map[string]struct {
	table, keys string
	where       []string
}{
	// Accounts are found by external id, domain or name (case and spacing ignored).
	"account": {"accounts", "COALESCE(external_id, ''), domain, name_key", []string{"external_id", "domain", "name_key"}},
	// Contacts by external id or email.
	"contact": {"contacts", "COALESCE(external_id, ''), lower(email)", []string{"external_id", "lower(email)"}},
	// Deals by external id or exact lowercased name.
	"deal": {"deals", "COALESCE(external_id, ''), lower(name)", []string{"external_id", "lower(name)"}},
	"lead": {"leads", "COALESCE(external_id, ''), lower(email)", []string{"external_id", "lower(email)"}},
}

// FindImportRefs returns the live records of a kind ("account", "contact",
// "deal", "lead") in the workspace that match any of keys (already
// normalised: lowercase emails, attain.NameKey names, domains). Visibility is
// the caller's to check on each.
func (tx *Tx) FindImportRefs(ctx context.Context, workspaceID int64, kind string, keys []string) ([]ImportRef, error) {
	spec, ok := importRefQueries[kind]
	if !ok {
		return nil, fmt.Errorf("import refs: unknown kind %q", kind)
	}
	if len(keys) == 0 {
		return nil, nil
	}
	var ar args
	list := ar.inStrings(keys)
	var conds []string
	for _, c := range spec.where {
		conds = append(conds, c+" IN "+list)
	}
	q := `SELECT id, owner_id, team_id, ` + spec.keys + ` FROM ` + spec.table + ` WHERE workspace_id = ` + ar.add(workspaceID) +
		` AND deleted_at IS NULL AND (` + strings.Join(conds, " OR ") + `) ORDER BY id`
	rows, err := tx.query(ctx, q, ar...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ImportRef
	for rows.Next() {
		var r ImportRef
		k := make([]string, len(spec.where))
		dest := []any{&r.ID, &r.OwnerID, &r.TeamID}
		for i := range k {
			dest = append(dest, &k[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		for _, s := range k {
			if s != "" {
				r.Keys = append(r.Keys, s)
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindProductsByKeys returns products whose external id, sku or lowercased
// name is among keys, for imports that update products.
func (tx *Tx) FindProductsByKeys(ctx context.Context, workspaceID int64, keys []string) ([]*attain.Product, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	var ar args
	list := ar.inStrings(keys)
	rows, err := tx.query(ctx, `SELECT `+productCols+` FROM products WHERE workspace_id = `+ar.add(workspaceID)+
		` AND (external_id IN `+list+` OR sku IN `+list+` OR lower(name) IN `+list+`) ORDER BY id`, ar...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.Product
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// RefreshDealsActivity sets the last activity time of deals from their
// activities, after an import logged activities on them.
func (tx *Tx) RefreshDealsActivity(ctx context.Context, workspaceID int64, dealIDs []int64) error {
	for len(dealIDs) > 0 {
		n := min(len(dealIDs), 500)
		var ar args
		q := `UPDATE deals SET last_activity_at = (SELECT max(occurred_at) FROM activities a WHERE a.workspace_id = deals.workspace_id
			AND a.deal_id = deals.id AND a.deleted_at IS NULL) WHERE workspace_id = ` + ar.add(workspaceID) + ` AND id IN ` + ar.in(dealIDs[:n])
		if _, err := tx.exec(ctx, q, ar...); err != nil {
			return err
		}
		dealIDs = dealIDs[n:]
	}
	return nil
}

// importKeyCols are the columns a record may be matched by when an import
// updates existing records, per table and key name.
var importKeyCols = map[string]map[string]string{
	"accounts":   {"external_id": "external_id", "domain": "domain", "name": "name_key"},
	"contacts":   {"external_id": "external_id", "email": "lower(email)"},
	"leads":      {"external_id": "external_id", "email": "lower(email)"},
	"deals":      {"external_id": "external_id"},
	"products":   {"external_id": "external_id", "sku": "sku", "name": "lower(name)"},
	"activities": {"external_id": "external_id"},
}

// FindIDsByKey maps each of keys to the ids of the records of table whose
// key (see importKeyCols) equals it, oldest first; deleted records are left
// out.
func (tx *Tx) FindIDsByKey(ctx context.Context, workspaceID int64, table, key string, keys []string) (map[string][]int64, error) {
	col, ok := importKeyCols[table][key]
	if !ok {
		return nil, fmt.Errorf("import: %s cannot be matched by %q", table, key)
	}
	out := map[string][]int64{}
	if len(keys) == 0 {
		return out, nil
	}
	var ar args
	q := `SELECT id, ` + col + ` FROM ` + table + ` WHERE workspace_id = ` + ar.add(workspaceID) + ` AND ` + col + ` IN ` + ar.inStrings(keys)
	if table != "products" {
		q += ` AND deleted_at IS NULL`
	}
	rows, err := tx.query(ctx, q+` ORDER BY id`, ar...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var k string
		if err := rows.Scan(&id, &k); err != nil {
			return nil, err
		}
		out[k] = append(out[k], id)
	}
	return out, rows.Err()
}

// namesByIDCols are what an export shows for a reference, per table.
var namesByIDCols = map[string]string{"accounts": "name", "contacts": "COALESCE(NULLIF(email, ''), trim(first_name || ' ' || last_name))", "deals": "name"}

// NamesByID returns the display value of each record of table among ids
// (an account's or deal's name, a contact's email), so an export can write
// references the way an import reads them.
func (tx *Tx) NamesByID(ctx context.Context, workspaceID int64, table string, ids []int64) (map[int64]string, error) {
	col, ok := namesByIDCols[table]
	if !ok {
		return nil, fmt.Errorf("names of %q: unknown table", table)
	}
	out := map[int64]string{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		var ar args
		rows, err := tx.query(ctx, `SELECT id, `+col+` FROM `+table+` WHERE workspace_id = `+ar.add(workspaceID)+` AND id IN `+ar.in(ids[:n]), ar...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var s string
			if err := rows.Scan(&id, &s); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = s
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}
