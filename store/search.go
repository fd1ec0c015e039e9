package store

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

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
	// cols are four text columns of x (and of join) a result is shown
	// from, named c0 to c3.
	cols string
	// names are the record's names lowercased, each the expression of an
	// index on (workspace_id, name), on PostgreSQL one in the "C" collation
	// (migrations 00190, 00270): a short query is looked up in them as a
	// range, and a record whose name starts with the query ranks first.
	// The first is its title.
	names []string
	join  func(a *attain.Actor, ar *args) string
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
		cols:  "x.name AS c0, x.domain AS c1, x.website AS c2, x.city AS c3",
		names: []string{"lower(x.name)"},       // accounts_name
		exact: "x.domain", exactWhat: "domain", // stored lowercase (migration 00120)
		show: func(c [4]string) (string, string) { return c[0], searchJoin(" · ", searchFirst(c[1], c[2]), c[3]) },
	},
	{
		kind: "contact", table: "contacts", rowBase: 2 << 40,
		cols: "x.first_name AS c0, x.last_name AS c1, x.title AS c2, x.email AS c3",
		// contacts_full_name, contacts_name
		names: []string{"lower(trim(x.first_name || ' ' || x.last_name))", "lower(x.last_name)"},
		exact: "lower(x.email)", exactWhat: "email",
		show: func(c [4]string) (string, string) {
			return searchFirst(searchJoin(" ", c[0], c[1]), c[3]), searchJoin(" · ", c[2], c[3])
		},
	},
	{
		kind: "lead", table: "leads", rowBase: 3 << 40,
		cols: "x.first_name AS c0, x.last_name AS c1, x.company AS c2, x.email AS c3",
		// leads_full_name (migration 00170), leads_company
		names: []string{"lower(trim(x.first_name || ' ' || x.last_name))", "lower(x.company)"},
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
		cols:  "x.name AS c0, COALESCE(acc.name, '') AS c1, x.status AS c2, CAST(x.close_date AS TEXT) AS c3",
		names: []string{"lower(x.name)"}, // deals_name
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
	if len(out) > 0 && strings.Contains(q.Q, "@") {
		// An address typed in full names one person: its words in the
		// full-text index would find them again, the slow way (a word as
		// common as the domain's "com", all of them required).
		return out, nil
	}
	// The last word is a prefix, unless a domain was typed in full (its
	// words then find the people at it). A prefix longer than the full-text
	// index's prefix indexes makes FTS5 gather every posting of every word
	// it starts, in the whole index (0.1-0.3 s per kind at a million deals);
	// so such a word is first looked up whole, and as a prefix only if that
	// finds nothing.
	prefix := len(out) == 0
	long := utf8.RuneCountInString(terms[len(terms)-1]) > searchPrefixMax
	text, err := tx.searchText(ctx, a, terms, tables, limit, prefix && !long)
	if err == nil && prefix && long && len(text) == 0 {
		text, err = tx.searchText(ctx, a, terms, tables, limit, true)
	}
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

// How much work one text search may do, whatever the number of matches:
// for each kind and each way of matching, it reads at most searchScan index
// entries and keeps at most searchKeep (or the limit, if larger) of those
// the actor may see. Ranking bm25 or ts_rank over every match was the cost
// at a million deals (a common word matches hundreds of thousands of
// records; FTS5's bm25 also counts every match for its weights), so the
// ranking is ours and only over what was kept.
const (
	searchScan = 200
	searchKeep = 50
	// searchWindow is how many of a kind's newest records PostgreSQL's
	// text search reads at most when the index has more than searchScan
	// matches (textNewest): 200 matches among them when one record in 20
	// matches.
	searchWindow = 4000
	// searchPrefixMax is the longest prefix SQLite's search_index keeps an
	// index of (prefix = '2 3 4 5 6 7 8', migration 00171).
	searchPrefixMax = 8
)

// Text match tiers, best first; a result's score is (tier+1)/4.
const (
	tierDetail     = 0 // the words are found in the record's details only
	tierTitle      = 1 // they are all in its title (name)
	tierTitleStart = 2 // its title, or another name of it, starts with the query
)

// searchText runs the text search. A query of one word of one or two
// letters is looked up as a name prefix, through the name indexes. Any
// other goes through the full-text index twice per kind: the words in the
// title, and the words anywhere. Each way yields its newest matches first
// (the index's order, read no further than needed), and those kept are
// ranked: names starting with the query, then the words in the title, then
// elsewhere; shorter titles, then newer records, first within a tier.
//
// So the result is exact while a kind has fewer than searchScan matches in
// the index; past that it is the best of the newest, and typing more words
// or letters narrows it. On SQLite the index holds every workspace's
// records, so in a database of many workspaces the others' newer records
// count against searchScan too.
func (tx *Tx) searchText(ctx context.Context, a *attain.Actor, terms []string, tables []searchTable, limit int, prefix bool) ([]*attain.SearchResult, error) {
	d := tx.db.dialect
	var ar args
	typed := strings.Join(terms, " ")
	ws := ar.add(a.WorkspaceID)
	scan, keep := ar.add(searchScan), ar.add(max(limit, searchKeep))
	// A name starts with typed when it is in typed's range, compared
	// bytewise whatever the database's collation (prefixCond).
	starts := func(t searchTable) string {
		var or []string
		for _, n := range t.names {
			or = append(or, prefixCond(d, n, typed, &ar))
		}
		return strings.Join(or, " OR ")
	}
	// part is one kind's candidates, read from ids (a subquery giving id,
	// best candidates first) and kept while visible. CROSS JOIN keeps ids
	// the outer loop on SQLite, which would otherwise start from a rep's
	// records by their owner index and read ids again for each.
	part := func(t searchTable, ids string, tier int) string {
		return fmt.Sprintf(`SELECT * FROM (SELECT '%s' AS type, x.id AS id, x.owner_id AS owner_id, %s,
				CASE WHEN %s THEN %d ELSE %d END AS tier, length(%s) AS len
			FROM %s c CROSS JOIN %s x %s
			WHERE x.id = c.id AND x.workspace_id = %s AND x.deleted_at IS NULL AND %s LIMIT %s) k%d`,
			t.kind, t.cols, starts(t), tierTitleStart, tier, t.names[0],
			ids, t.table, t.joins(a, &ar), ws, Visible(a, "x.owner_id", "x.team_id", &ar), keep, tier)
	}
	var parts []string
	if prefix && len(terms) == 1 && utf8.RuneCountInString(terms[0]) <= 2 {
		// A prefix this short is in too many words to expand in the
		// full-text index; names starting with it are a range of an index
		// (on PostgreSQL one in the "C" collation, migrations 00190, 00270),
		// read in its order.
		for _, t := range tables {
			for _, n := range t.names {
				ids := fmt.Sprintf(`(SELECT x.id FROM %s x WHERE x.workspace_id = %s AND %s AND x.deleted_at IS NULL ORDER BY %s LIMIT %s)`,
					t.table, ws, prefixCond(d, n, typed, &ar), d.bytewise(n), scan)
				parts = append(parts, part(t, ids, tierTitleStart))
			}
		}
	} else {
		if prefix && len(terms) > 1 && utf8.RuneCountInString(terms[len(terms)-1]) == 1 {
			// A last word of one letter is the start of a word still being
			// typed: too common a prefix to look up, it only ranks (typed).
			// The word before it is whole.
			terms, prefix = terms[:len(terms)-1], false
		}
		all, title := ar.add(d.textQuery(terms, prefix, false)), ar.add(d.textQuery(terms, prefix, true))
		for _, t := range tables {
			parts = append(parts,
				part(t, d.textNewest(t, title, ws, scan), tierTitle),
				part(t, d.textNewest(t, all, ws, scan), tierDetail))
		}
	}
	// A record can come twice (from two names, or in the title and
	// anywhere); its first row is its best, and limit distinct records are
	// among the first 2*limit rows.
	q := `SELECT type, id, owner_id, c0, c1, c2, c3, tier FROM (` + strings.Join(parts, " UNION ALL ") +
		`) u ORDER BY tier DESC, len, type, id DESC LIMIT ` + ar.add(2*limit)
	rows, err := tx.searchRows(ctx, q, append(d.textOptions(), ar...))
	if err != nil {
		return nil, err
	}
	type key struct {
		kind string
		id   int64
	}
	seen := map[key]bool{}
	var out []*attain.SearchResult
	for _, r := range rows {
		if k := (key{r.Type, r.ID}); !seen[k] && len(out) < limit {
			seen[k] = true
			r.Score = (r.Score + 1) / 4 // from the tier
			out = append(out, r)
		}
	}
	return out, nil
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
// word is ever an operator (OR, NEAR, -), all required, the last a prefix
// if prefix;
// in the title column only if title. Terms hold no quotes
// (attain.SearchTerms), but doubling them keeps the quoting sound whatever
// a caller passes.
func (sqliteDialect) textQuery(terms []string, prefix, title bool) string {
	var b strings.Builder
	if title {
		b.WriteString("title : (")
	}
	for i, t := range terms {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(`"` + strings.ReplaceAll(t, `"`, `""`) + `"`)
	}
	if prefix {
		b.WriteByte('*')
	}
	if title {
		b.WriteByte(')')
	}
	return b.String()
}

// textNewest reads a kind's matches from the one FTS5 index, newest first:
// its rowid range backwards, which FTS5 walks without reading the rest.
// The index has no workspace; the caller filters on the record.
func (sqliteDialect) textNewest(t searchTable, q, ws, n string) string {
	return fmt.Sprintf(`(SELECT rowid - %d AS id FROM search_index
		WHERE search_index MATCH %s AND rowid BETWEEN %d AND %d ORDER BY rowid DESC LIMIT %s)`,
		t.rowBase, q, t.rowBase, t.rowBase+1<<40-1, n)
}

// textQuery writes the terms as a tsquery: each a quoted lexeme, all
// required (&), the last a prefix (:*) if prefix; weighted A, the title's,
// if title.
func (postgresDialect) textQuery(terms []string, prefix, title bool) string {
	weight := ""
	if title {
		weight = "A"
	}
	var b strings.Builder
	for i, t := range terms {
		if i > 0 {
			b.WriteString(" & ")
		}
		t = strings.ReplaceAll(strings.ReplaceAll(t, `\`, `\\`), `'`, `''`)
		b.WriteString("'" + t + "'")
		switch {
		case prefix && i == len(terms)-1:
			b.WriteString(":*" + weight)
		case title:
			b.WriteString(":" + weight)
		}
	}
	return b.String()
}

// textNewest reads a kind's matches in the workspace, newest first;
// search_fold treats the query's letters as the column's were. Which way is
// fast depends on how many records match: the GIN index for a rare word, the
// primary key backwards for a common one (the GIN index hands over every
// match, each on a page of its own, to be sorted). The planner cannot tell
// them apart for a prefix: "nex" starts hundreds of words, each too rare
// for the column's statistics, and it reads 4,000 matches through the GIN
// index where the newest 200 are on 200 pages.
//
// So both ways are taken, each bounded: up to n+1 matches in any order
// (through the GIN index, when the planner sees a rare word); when there
// are no more than n, they are all of them, sorted. Only when there are
// more does the primary key walk back over the newest searchWindow records,
// stopping at n matches. Either way the result is the newest matches, all n
// of them unless there are more than n in the index but fewer among the
// newest searchWindow records: then those found, still the newest.
func (postgresDialect) textNewest(t searchTable, q, ws, n string) string {
	match := "x.search_vector @@ to_tsquery('simple', search_fold(" + q + "))"
	return fmt.Sprintf(`(WITH hits AS MATERIALIZED (SELECT x.id FROM %[1]s x
			WHERE %[2]s AND x.workspace_id = %[3]s AND x.deleted_at IS NULL LIMIT %[4]s + 1)
		SELECT * FROM (SELECT id FROM hits WHERE (SELECT count(*) FROM hits) <= %[4]s ORDER BY id DESC) few
		UNION ALL
		SELECT * FROM (SELECT x.id FROM (SELECT x.id, x.search_vector FROM %[1]s x
				WHERE x.workspace_id = %[3]s AND x.deleted_at IS NULL ORDER BY x.id DESC LIMIT %[5]d) x
			WHERE %[2]s AND (SELECT count(*) FROM hits) > %[4]s LIMIT %[4]s) many)`, t.table, match, ws, n, searchWindow)
}

// textOptions plans each text search for its own arguments: an unnamed
// statement, never a generic plan cached for any word.
func (postgresDialect) textOptions() []any { return []any{pgx.QueryExecModeExec} }

// textOptions is nothing on SQLite: FTS5 has one way to read a query.
func (sqliteDialect) textOptions() []any { return nil }

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
