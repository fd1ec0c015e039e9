package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/attain-crm/attain"
)

const accountCols = `a.id, a.name, a.domain, a.website, a.industry, a.size, a.country, a.region, a.city,
	a.parent_id, a.owner_id, a.team_id, a.tags, a.custom, a.external_id, a.created_at, a.updated_at, a.deleted_at, a.version`

func scanAccount(s interface{ Scan(...any) error }) (*attain.Account, error) {
	var x attain.Account
	var tags, custom string
	if err := s.Scan(&x.ID, &x.Name, &x.Domain, &x.Website, &x.Industry, &x.Size, &x.Country, &x.Region, &x.City,
		&x.ParentID, &x.OwnerID, &x.TeamID, &tags, &custom, &x.ExternalID, &x.CreatedAt, &x.UpdatedAt, &x.DeletedAt, &x.Version); err != nil {
		return nil, err
	}
	if err := fromJSONText(tags, &x.Tags); err != nil {
		return nil, fmt.Errorf("account %d tags: %w", x.ID, err)
	}
	if err := fromJSONText(custom, &x.Custom); err != nil {
		return nil, fmt.Errorf("account %d custom: %w", x.ID, err)
	}
	return &x, nil
}

// accountList is the whitelist of the accounts list. Names sort and compare
// lowercased, so the order is the same on both engines and uses the index.
var accountList = &listSpec{
	idExpr: "a.id",
	cols: map[string]listCol{
		"id":          {expr: "a.id", kind: kindInt, sortable: true},
		"name":        {expr: "lower(a.name)", kind: kindString, sortable: true},
		"domain":      {expr: "a.domain", kind: kindString},
		"industry":    {expr: "a.industry", kind: kindString},
		"size":        {expr: "a.size", kind: kindString},
		"country":     {expr: "a.country", kind: kindString},
		"region":      {expr: "a.region", kind: kindString},
		"city":        {expr: "a.city", kind: kindString},
		"owner_id":    {expr: "a.owner_id", kind: kindInt},
		"team_id":     {expr: "a.team_id", kind: kindInt},
		"parent_id":   {expr: "a.parent_id", kind: kindInt},
		"external_id": {expr: "a.external_id", kind: kindString},
		"created_at":  {expr: "a.created_at", kind: kindTime, sortable: true},
		"updated_at":  {expr: "a.updated_at", kind: kindTime, sortable: true},
		"deleted_at":  {expr: "a.deleted_at", kind: kindTime},
	},
	defaultSort: attain.Sort{Field: "name"},
}

// CreateAccount inserts an account and fills in its id, times and version.
func (tx *Tx) CreateAccount(ctx context.Context, workspaceID int64, x *attain.Account) error {
	tags, custom, err := accountJSON(x)
	if err != nil {
		return err
	}
	x.CreatedAt, x.UpdatedAt, x.Version, x.DeletedAt = tx.Now, tx.Now, 1, nil
	x.ID, err = tx.insert(ctx, `INSERT INTO accounts (workspace_id, name, name_key, domain, website, industry, size, country, region, city,
		parent_id, owner_id, team_id, tags, custom, external_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)`,
		workspaceID, x.Name, attain.NameKey(x.Name), x.Domain, x.Website, x.Industry, x.Size, x.Country, x.Region, x.City,
		x.ParentID, x.OwnerID, x.TeamID, tags, custom, x.ExternalID, tx.Now)
	return externalIDTaken(err, "account")
}

// UpdateAccount stores every editable field of x if its version is still
// version, and moves x to the new version.
func (tx *Tx) UpdateAccount(ctx context.Context, workspaceID int64, x *attain.Account, version int64) error {
	tags, custom, err := accountJSON(x)
	if err != nil {
		return err
	}
	err = tx.checkVersion(ctx, "accounts", "Account",
		`UPDATE accounts SET name = $1, name_key = $2, domain = $3, website = $4, industry = $5, size = $6, country = $7,
			region = $8, city = $9, parent_id = $10, owner_id = $11, team_id = $12, tags = $13, custom = $14,
			external_id = $15, updated_at = $16, version = version + 1
		 WHERE workspace_id = $17 AND id = $18 AND version = $19`,
		`SELECT 1 FROM accounts WHERE workspace_id = $1 AND id = $2`, []any{workspaceID, x.ID},
		x.Name, attain.NameKey(x.Name), x.Domain, x.Website, x.Industry, x.Size, x.Country, x.Region, x.City,
		x.ParentID, x.OwnerID, x.TeamID, tags, custom, x.ExternalID, tx.Now, workspaceID, x.ID, version)
	if err != nil {
		return externalIDTaken(err, "account")
	}
	x.UpdatedAt, x.Version = tx.Now, version+1
	return nil
}

// SetAccountDeleted soft-deletes (at set) or restores (at nil) an account if
// its version is still version, and moves x to the new version.
func (tx *Tx) SetAccountDeleted(ctx context.Context, workspaceID int64, x *attain.Account, version int64, at *time.Time) error {
	return tx.setDeleted(ctx, "accounts", "Account", workspaceID, x.ID, version, at, func() {
		x.DeletedAt, x.UpdatedAt, x.Version = at, tx.Now, version+1
	})
}

// FindAccount returns an account, deleted or not; the caller checks that
// the actor may see it.
func (tx *Tx) FindAccount(ctx context.Context, workspaceID, id int64) (*attain.Account, error) {
	x, err := scanAccount(tx.queryRow(ctx, `SELECT `+accountCols+` FROM accounts a WHERE a.workspace_id = $1 AND a.id = $2`, workspaceID, id))
	return x, notFound(err, "Account")
}

// FindAccounts lists the accounts the actor may see. Besides the whitelist
// it filters on tag (eq or in: accounts carrying any of the tags), and it
// hides deleted accounts unless the query filters on deleted_at.
func (tx *Tx) FindAccounts(ctx context.Context, a *attain.Actor, q attain.ListQuery) ([]*attain.Account, string, error) {
	var ar args
	where := "a.workspace_id = " + ar.add(a.WorkspaceID) + " AND " + Visible(a, "a.owner_id", "a.team_id", &ar)
	q, cond, err := tagFilter(q, "a.tags", &ar)
	if err != nil {
		return nil, "", err
	}
	where += cond + liveUnlessAsked(q, "a.deleted_at")
	q = lowerFilterValues(q, "name", "domain")
	return listRows(ctx, tx, accountList, q, &ar, `SELECT `+accountCols+` FROM accounts a`, where, scanAccount,
		func(x *attain.Account) int64 { return x.ID })
}

// CountChildAccounts counts the live accounts directly under an account.
func (tx *Tx) CountChildAccounts(ctx context.Context, workspaceID, id int64) (int, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT count(*) FROM accounts WHERE workspace_id = $1 AND parent_id = $2 AND deleted_at IS NULL`,
		workspaceID, id).Scan(&n)
	return n, err
}

// AccountInChain reports whether target is start or one of start's
// ancestors, so the service can refuse a parent that would make a cycle.
func (tx *Tx) AccountInChain(ctx context.Context, workspaceID, start, target int64) (bool, error) {
	var n int
	err := tx.queryRow(ctx, `WITH RECURSIVE up (id, parent_id, depth) AS (
			SELECT id, parent_id, 0 FROM accounts WHERE workspace_id = $1 AND id = $2
			UNION ALL
			SELECT a.id, a.parent_id, up.depth + 1 FROM accounts a JOIN up ON a.id = up.parent_id
			WHERE a.workspace_id = $1 AND up.depth < 1000
		) SELECT count(*) FROM up WHERE id = $3`, workspaceID, start, target).Scan(&n)
	return n > 0, err
}

// MatchAccount finds the oldest live account the actor may see with the
// given domain, or else whose name has the given match key (attain.NameKey).
// It returns the account and attain.MatchDomain or attain.MatchName, or nil.
func (tx *Tx) MatchAccount(ctx context.Context, a *attain.Actor, domain, nameKey string) (*attain.Account, string, error) {
	try := func(col, val string) (*attain.Account, error) {
		var ar args
		q := `SELECT ` + accountCols + ` FROM accounts a WHERE a.workspace_id = ` + ar.add(a.WorkspaceID) +
			` AND a.deleted_at IS NULL AND ` + col + ` = ` + ar.add(val) + ` AND ` + Visible(a, "a.owner_id", "a.team_id", &ar) +
			` ORDER BY a.id LIMIT 1`
		x, err := scanAccount(tx.queryRow(ctx, q, ar...))
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		return x, err
	}
	if domain != "" {
		x, err := try("a.domain", domain)
		if x != nil || err != nil {
			return x, attain.MatchDomain, err
		}
	}
	if nameKey != "" {
		x, err := try("a.name_key", nameKey)
		if x != nil || err != nil {
			return x, attain.MatchName, err
		}
	}
	return nil, "", nil
}

func accountJSON(x *attain.Account) (tags, custom string, err error) {
	if tags, err = toJSONText(x.Tags, "[]"); err != nil {
		return "", "", err
	}
	custom, err = toJSONText(x.Custom, "{}")
	return tags, custom, err
}

// toJSONText marshals v for a TEXT column holding JSON, without HTML
// escaping so text stays searchable as typed; empty gives the default.
func toJSONText(v any, empty string) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("encode json: %w", err)
	}
	s := strings.TrimSpace(b.String())
	if s == "null" {
		return empty, nil
	}
	return s, nil
}

// fromJSONText unmarshals a JSON TEXT column; an empty column leaves v empty.
func fromJSONText(s string, v any) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), v)
}

// externalIDTaken names the field when an insert or update collides with
// another record's external id (the only unique column of these records).
func externalIDTaken(err error, what string) error {
	if attain.ErrorCode(err) == attain.ECONFLICT {
		return attain.Invalid("external_id", "is already used by another %s", what)
	}
	return err
}

// setDeleted sets or clears deleted_at of a record with a version check and
// calls done when it changed.
func (tx *Tx) setDeleted(ctx context.Context, table, what string, workspaceID, id, version int64, at *time.Time, done func()) error {
	err := tx.checkVersion(ctx, table, what,
		`UPDATE `+table+` SET deleted_at = $1, updated_at = $2, version = version + 1
		 WHERE workspace_id = $3 AND id = $4 AND version = $5`,
		`SELECT 1 FROM `+table+` WHERE workspace_id = $1 AND id = $2`, []any{workspaceID, id},
		at, tx.Now, workspaceID, id, version)
	if err != nil {
		return err
	}
	done()
	return nil
}

// liveUnlessAsked hides soft-deleted rows unless the query filters on
// deleted_at itself (deleted_at[null]=false lists the deleted ones).
func liveUnlessAsked(q attain.ListQuery, col string) string {
	for _, f := range q.Filters {
		if f.Field == "deleted_at" {
			return ""
		}
	}
	return " AND " + col + " IS NULL"
}

// lowerFilterValues lowercases the values of filters on fields whose list
// expression is lowercased or whose values are stored lowercase, so that
// name=Acme finds "acme".
func lowerFilterValues(q attain.ListQuery, fields ...string) attain.ListQuery {
	out := q
	out.Filters = make([]attain.Filter, len(q.Filters))
	for i, f := range q.Filters {
		for _, name := range fields {
			if f.Field == name {
				vals := make([]string, len(f.Values))
				for j, v := range f.Values {
					vals[j] = strings.ToLower(v)
				}
				f.Values = vals
			}
		}
		out.Filters[i] = f
	}
	return out
}

// tagFilter takes the "tag" filters out of q and returns a condition that a
// JSON array column holds the tag (any of them for [in]). Tags are stored
// normalised and limited to characters that need no escaping in JSON, so
// the quoted tag appears literally in the column.
func tagFilter(q attain.ListQuery, col string, ar *args) (attain.ListQuery, string, error) {
	rest := q
	rest.Filters = nil
	cond := ""
	for _, f := range q.Filters {
		if f.Field != "tag" {
			rest.Filters = append(rest.Filters, f)
			continue
		}
		var tags []string
		switch f.Op {
		case "", attain.OpEq:
			tags = f.Values
		case attain.OpIn:
			for _, v := range f.Values {
				tags = append(tags, strings.Split(v, ",")...)
			}
		default:
			return q, "", attain.Invalid("tag", "supports eq and in only")
		}
		var ors []string
		for _, t := range tags {
			t = attain.NameKey(t)
			if t == "" {
				continue
			}
			ors = append(ors, col+` LIKE `+ar.add("%"+likeEscape(`"`+t+`"`)+"%")+` ESCAPE '\'`)
		}
		if len(ors) == 0 {
			return q, "", attain.Invalid("tag", "needs a value")
		}
		cond += " AND (" + strings.Join(ors, " OR ") + ")"
	}
	return rest, cond, nil
}

// likeEscape escapes LIKE's wildcards for ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
