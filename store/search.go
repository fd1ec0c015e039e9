package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/attain-crm/attain"
)

// searchTable is one kind of record search covers. The index behind it is
// kept by the database itself (migration 00040): an FTS5 table fed by
// triggers on SQLite, a generated tsvector column on PostgreSQL.
type searchTable struct {
	kind  string // the result's type
	table string
	// rowBase is added to a record's id to make its rowid in SQLite's
	// search_index; each kind has its own range, so one kind is one range.
	rowBase int64
	// cols are four text columns of x (and of join) a result is shown from.
	cols string
	join func(a *attain.Actor, ar *args) string
	// exact is the lowercased column an email or a domain typed in full is
	// looked up in, through its index; "" when the kind has none.
	exact     string
	exactWhat string // "email" or "domain"
	show      func(c [4]string) (title, subtitle string)
}

func (t searchTable) joins(a *attain.Actor, ar *args) string {
	if t.join == nil {
		return ""
	}
	return t.join(a, ar)
}

// searchTables are the kinds search covers.
var searchTables = []searchTable{
	{
		kind: "account", table: "accounts", rowBase: 1 << 40,
		cols:  "x.name, x.domain, x.website, x.city",
		exact: "x.domain", exactWhat: "domain", // stored lowercase (migration 00120)
		show: func(c [4]string) (string, string) { return c[0], searchJoin(" · ", searchFirst(c[1], c[2]), c[3]) },
	},
	{
		kind: "contact", table: "contacts", rowBase: 2 << 40,
		cols:  "x.first_name, x.last_name, x.title, x.email",
		exact: "lower(x.email)", exactWhat: "email",
		show: func(c [4]string) (string, string) {
			return searchFirst(searchJoin(" ", c[0], c[1]), c[3]), searchJoin(" · ", c[2], c[3])
		},
	},
	{
		kind: "lead", table: "leads", rowBase: 3 << 40,
		cols:  "x.first_name, x.last_name, x.company, x.email",
		exact: "lower(x.email)", exactWhat: "email",
		show: func(c [4]string) (string, string) {
			if name := searchJoin(" ", c[0], c[1]); name != "" {
				return name, searchJoin(" · ", c[2], c[3])
			}
			if c[2] != "" {
				return c[2], c[3]
			}
			return c[3], ""
		},
	},
	{
		kind: "deal", table: "deals", rowBase: 4 << 40,
		cols: "x.name, COALESCE(acc.name, ''), x.status, CAST(x.close_date AS TEXT)",
		// The account's name shows only to those who may see the account.
		join: func(a *attain.Actor, ar *args) string {
			return "LEFT JOIN accounts acc ON acc.workspace_id = x.workspace_id AND acc.id = x.account_id AND " +
				Visible(a, "acc.owner_id", "acc.team_id", ar)
		},
		show: func(c [4]string) (string, string) { return c[0], searchJoin(" · ", c[1], c[2], c[3]) },
	},
}

// Search finds the records of the actor's workspace that they may see and
// that match q (validated): first exact email or domain matches, through the
// ordinary indexes, then full-text matches by relevance, each record once.
func (tx *Tx) Search(ctx context.Context, a *attain.Actor, q attain.SearchQuery) ([]*attain.SearchResult, error) {
	terms := attain.SearchTerms(q.Q)
	if len(terms) == 0 {
		return nil, nil // only punctuation: nothing to look for
	}
	limit := q.Limit
	if limit <= 0 {
		limit = attain.DefaultSearchLimit
	}
	var tables []searchTable
	for _, t := range searchTables {
		if q.Searches(t.kind) {
			tables = append(tables, t)
		}
	}
	out, err := tx.searchExact(ctx, a, q.Q, tables, limit)
	if err != nil {
		return nil, err
	}
	text, err := tx.searchText(ctx, a, terms, tables, limit)
	if err != nil {
		return nil, err
	}
	type key struct {
		kind string
		id   int64
	}
	seen := map[key]bool{}
	for _, r := range out {
		seen[key{r.Type, r.ID}] = true
	}
	for _, r := range text {
		if len(out) == limit {
			break
		}
		if !seen[key{r.Type, r.ID}] {
			out = append(out, r)
		}
	}
	return out, nil
}

// searchExact looks up q as a whole email address (contacts, leads) or
// domain (accounts). Such a match is what the user meant, so it ranks first.
func (tx *Tx) searchExact(ctx context.Context, a *attain.Actor, q string, tables []searchTable, limit int) ([]*attain.SearchResult, error) {
	what, value := exactKey(q)
	if what == "" {
		return nil, nil
	}
	var ar args
	ws, v := ar.add(a.WorkspaceID), ar.add(value)
	var parts []string
	for _, t := range tables {
		if t.exactWhat != what {
			continue
		}
		parts = append(parts, fmt.Sprintf(`SELECT '%s' AS type, x.id AS id, x.owner_id, %s, 1.0 AS score
			FROM %s x %s
			WHERE x.workspace_id = %s AND %s = %s AND x.deleted_at IS NULL AND %s`,
			t.kind, t.cols, t.table, t.joins(a, &ar), ws, t.exact, v, Visible(a, "x.owner_id", "x.team_id", &ar)))
	}
	if len(parts) == 0 {
		return nil, nil
	}
	return tx.searchRows(ctx, strings.Join(parts, " UNION ALL ")+" ORDER BY type, id LIMIT "+ar.add(limit), ar)
}

// exactKey says whether q is a whole email address or domain, and gives it
// lowercased (a domain without scheme, "www." or path).
func exactKey(q string) (what, value string) {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" || strings.ContainsAny(q, " \t\n") {
		return "", ""
	}
	if at := strings.IndexByte(q, '@'); at > 0 && at < len(q)-1 {
		return "email", q
	}
	if strings.Contains(q, "@") {
		return "", ""
	}
	q = strings.TrimPrefix(strings.TrimPrefix(q, "https://"), "http://")
	q = strings.TrimPrefix(q, "www.")
	if i := strings.IndexByte(q, '/'); i >= 0 {
		q = q[:i]
	}
	if dot := strings.IndexByte(q, '.'); dot > 0 && dot < len(q)-1 {
		return "domain", q
	}
	return "", ""
}

// searchText runs the full-text search: one SELECT per kind, each matched
// through the engine's index, ranked together.
func (tx *Tx) searchText(ctx context.Context, a *attain.Actor, terms []string, tables []searchTable, limit int) ([]*attain.SearchResult, error) {
	d := tx.db.dialect
	var ar args
	ws, tq := ar.add(a.WorkspaceID), ar.add(d.textQuery(terms))
	parts := make([]string, len(tables))
	for i, t := range tables {
		from, match, score := d.textMatch(t, tq)
		parts[i] = fmt.Sprintf(`SELECT '%s' AS type, x.id AS id, x.owner_id, %s, %s AS score
			FROM %s %s
			WHERE %s AND x.workspace_id = %s AND x.deleted_at IS NULL AND %s`,
			t.kind, t.cols, score, from, t.joins(a, &ar), match, ws, Visible(a, "x.owner_id", "x.team_id", &ar))
	}
	rows, err := tx.searchRows(ctx, strings.Join(parts, " UNION ALL ")+" ORDER BY score DESC, type, id LIMIT "+ar.add(limit), ar)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		// bm25 is unbounded and ts_rank is not on the same scale; map both
		// into [0, 1) so a text match never reaches an exact match's 1.
		r.Score = r.Score / (1 + r.Score)
	}
	return rows, nil
}

func (tx *Tx) searchRows(ctx context.Context, q string, ar args) ([]*attain.SearchResult, error) {
	rows, err := tx.query(ctx, q, ar...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	show := map[string]func([4]string) (string, string){}
	for _, t := range searchTables {
		show[t.kind] = t.show
	}
	var out []*attain.SearchResult
	for rows.Next() {
		var r attain.SearchResult
		var c [4]string
		if err := rows.Scan(&r.Type, &r.ID, &r.OwnerID, &c[0], &c[1], &c[2], &c[3], &r.Score); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		r.Title, r.Subtitle = show[r.Type](c)
		out = append(out, &r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return out, nil
}

// textQuery writes the terms as an FTS5 query: each a quoted string, so no
// word is ever an operator (OR, NEAR, -), all required, the last a prefix.
// Terms hold no quotes (attain.SearchTerms), but doubling them keeps the
// quoting sound whatever a caller passes.
func (sqliteDialect) textQuery(terms []string) string {
	var b strings.Builder
	for i, t := range terms {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(`"` + strings.ReplaceAll(t, `"`, `""`) + `"`)
	}
	b.WriteByte('*')
	return b.String()
}

// textMatch finds a kind's rows through the one FTS5 index: its rowid
// range, joined back to the table. bm25 weighs the title ten times the
// detail; it is negative, better matches lower.
func (sqliteDialect) textMatch(t searchTable, q string) (from, where, score string) {
	from = fmt.Sprintf("search_index s JOIN %s x ON x.id = s.rowid - %d", t.table, t.rowBase)
	where = fmt.Sprintf("search_index MATCH %s AND s.rowid BETWEEN %d AND %d", q, t.rowBase, t.rowBase+1<<40-1)
	return from, where, "-bm25(search_index, 10.0, 1.0)"
}

// textQuery writes the terms as a tsquery: each a quoted lexeme, all
// required (&), the last a prefix (:*).
func (postgresDialect) textQuery(terms []string) string {
	var b strings.Builder
	for i, t := range terms {
		if i > 0 {
			b.WriteString(" & ")
		}
		t = strings.ReplaceAll(strings.ReplaceAll(t, `\`, `\\`), `'`, `''`)
		b.WriteString("'" + t + "'")
	}
	b.WriteString(":*")
	return b.String()
}

// textMatch finds a kind's rows through its search_vector column and GIN
// index; search_fold treats the query's letters as the column's were. The
// tsquery is a subquery so it is built once, not per row, even in a generic
// plan of a cached statement.
func (postgresDialect) textMatch(t searchTable, q string) (from, where, score string) {
	tsq := "(SELECT to_tsquery('simple', search_fold(" + q + ")))"
	return t.table + " x", "x.search_vector @@ " + tsq, "ts_rank(x.search_vector, " + tsq + ")"
}

func searchFirst(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

func searchJoin(sep string, vs ...string) string {
	var keep []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			keep = append(keep, v)
		}
	}
	return strings.Join(keep, sep)
}
