package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/attain-crm/attain"
)

// Kinds of list column, which decide how a filter value is parsed.
const (
	kindInt = iota
	kindString
	kindTime
	kindDate
	kindBool
)

// listCol is one filterable or sortable field of a list: the SQL expression
// behind it and its kind. A sortable expression that may be NULL must say
// so (nullable): its NULLs then sort last in both directions on both
// engines, and the keyset condition accounts for them, so no row is skipped.
type listCol struct {
	expr     string
	kind     int
	sortable bool
	nullable bool
}

// listSpec is the whitelist of a list: the only fields users may filter and
// sort on. Nothing from the request reaches SQL except through it.
type listSpec struct {
	idExpr      string // the id column, the tiebreaker of every sort
	cols        map[string]listCol
	defaultSort attain.Sort
}

// cursor is what next_cursor encodes: the last row's sort value and id.
type cursor struct {
	V  any   `json:"v"`
	ID int64 `json:"id"`
}

// rowScanner scans a row whose last column is the sort key, so the scan
// functions of each record type work unchanged.
type rowScanner struct {
	rows  *sql.Rows
	extra []any
}

func (r rowScanner) Scan(dest ...any) error { return r.rows.Scan(append(dest, r.extra...)...) }

// listRows runs a list query: selectSQL is "SELECT cols FROM ..." and where
// the conditions that always apply (workspace, visibility), using ar for
// arguments. It adds the user's filters, keyset condition, order and limit,
// and returns the items and the cursor of the next page ("" at the end).
func listRows[T any](ctx context.Context, tx *Tx, spec *listSpec, q attain.ListQuery, ar *args,
	selectSQL, where string, scan func(s interface{ Scan(...any) error }) (T, error), idOf func(T) int64) ([]T, string, error) {
	conds, err := spec.filters(tx.db.dialect, q.Filters, ar)
	if err != nil {
		return nil, "", err
	}
	sort := q.Sort
	if sort.Field == "" {
		sort = spec.defaultSort
	}
	col, ok := spec.cols[sort.Field]
	if !ok || !col.sortable {
		return nil, "", attain.Invalid("sort", "cannot sort by %q; sortable fields: %s", sort.Field, spec.sortable())
	}
	cmp, dir := ">", "ASC"
	if sort.Desc {
		cmp, dir = "<", "DESC"
	}
	if q.Page.Cursor != "" {
		c, err := decodeCursor(q.Page.Cursor, col.kind, col.nullable)
		if err != nil {
			return nil, "", err
		}
		switch {
		case c.V == nil: // among the NULLs, which come last
			conds = append(conds, fmt.Sprintf("(%s IS NULL AND %s %s %s)", col.expr, spec.idExpr, cmp, ar.add(c.ID)))
		case col.nullable:
			v := ar.add(c.V)
			conds = append(conds, fmt.Sprintf("(%s IS NULL OR %s %s %s OR (%s = %s AND %s %s %s))",
				col.expr, col.expr, cmp, v, col.expr, v, spec.idExpr, cmp, ar.add(c.ID)))
		default:
			v := ar.add(c.V)
			conds = append(conds, fmt.Sprintf("(%s %s %s OR (%s = %s AND %s %s %s))",
				col.expr, cmp, v, col.expr, v, spec.idExpr, cmp, ar.add(c.ID)))
		}
	}
	limit := q.Page.Size()
	query := strings.Replace(selectSQL, " FROM ", ", "+col.expr+" FROM ", 1)
	query += " WHERE " + where
	for _, c := range conds {
		query += " AND " + c
	}
	order := ""
	if col.nullable {
		// SQLite sorts NULLs first and PostgreSQL last; say which.
		order = "(" + col.expr + " IS NULL), "
	}
	query += fmt.Sprintf(" ORDER BY %s%s %s, %s %s LIMIT %s", order, col.expr, dir, spec.idExpr, dir, ar.add(limit+1))
	rows, err := tx.query(ctx, query, *ar...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []T
	var keys []any
	for rows.Next() {
		var key any
		item, err := scan(rowScanner{rows: rows, extra: []any{&key}})
		if err != nil {
			return nil, "", err
		}
		out = append(out, item)
		keys = append(keys, key)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if len(out) <= limit {
		return out, "", nil
	}
	out = out[:limit]
	next, err := encodeCursor(cursor{V: keys[limit-1], ID: idOf(out[limit-1])}, col.kind)
	return out, next, err
}

func (spec *listSpec) sortable() string {
	var names []string
	for n, c := range spec.cols {
		if c.sortable {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

func (spec *listSpec) filterable() string {
	var names []string
	for n := range spec.cols {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// filters turns the user's filters into SQL conditions through the whitelist.
func (spec *listSpec) filters(d dialect, fs []attain.Filter, ar *args) ([]string, error) {
	var v attain.Validation
	var conds []string
	for _, f := range fs {
		col, ok := spec.cols[f.Field]
		if !ok {
			v.Add(f.Field, "is not a filterable field; filterable fields: %s", spec.filterable())
			continue
		}
		op := f.Op
		if op == "" {
			op = attain.OpEq
		}
		if !attain.ValidOp(op) {
			v.Add(f.Field, "unknown operator %q; use eq, ne, lt, lte, gt, gte, in, prefix or null", op)
			continue
		}
		if len(f.Values) == 0 {
			v.Add(f.Field, "needs a value")
			continue
		}
		if op == attain.OpNull {
			switch f.Values[0] {
			case "true":
				conds = append(conds, col.expr+" IS NULL")
			case "false":
				conds = append(conds, col.expr+" IS NOT NULL")
			default:
				v.Add(f.Field, "[null] must be true or false")
			}
			continue
		}
		if op == attain.OpPrefix {
			if col.kind != kindString {
				v.Add(f.Field, "[prefix] works on text fields only")
				continue
			}
			conds = append(conds, prefixCond(d, col.expr, f.Values[0], ar))
			continue
		}
		var vals []any
		raw := f.Values
		if op == attain.OpIn {
			raw = nil
			for _, s := range f.Values {
				raw = append(raw, strings.Split(s, ",")...)
			}
		}
		bad := false
		for _, s := range raw {
			x, err := parseValue(strings.TrimSpace(s), col.kind)
			if err != nil {
				v.Add(f.Field, "%v", err)
				bad = true
				break
			}
			vals = append(vals, x)
		}
		if bad {
			continue
		}
		sqlOp := map[string]string{attain.OpEq: "=", attain.OpNe: "<>", attain.OpLt: "<", attain.OpLte: "<=", attain.OpGt: ">", attain.OpGte: ">="}[op]
		if op == attain.OpIn {
			ph := make([]string, len(vals))
			for i, x := range vals {
				ph[i] = ar.add(x)
			}
			conds = append(conds, col.expr+" IN ("+strings.Join(ph, ",")+")")
			continue
		}
		conds = append(conds, col.expr+" "+sqlOp+" "+ar.add(vals[0]))
	}
	return conds, v.Err()
}

// prefixCond matches the rows whose expr starts with p, ignoring case, as
// a range: lower(expr) >= p AND lower(expr) < p with its last character
// incremented. Unlike LIKE, a range reads an index on lower(expr) (such as
// deals_name) instead of testing every row the other conditions leave.
// Both bounds compare bytewise, which for UTF-8 is code point order, so
// the range holds exactly the strings starting with p (see
// dialect.bytewise). Expressions already lowercased are not wrapped again.
func prefixCond(d dialect, expr, p string, ar *args) string {
	if !strings.HasPrefix(expr, "lower(") {
		expr = "lower(" + expr + ")"
	}
	p = strings.ToLower(p)
	expr = d.bytewise(expr)
	cond := expr + " >= " + ar.add(p)
	if hi, ok := prefixEnd(p); ok {
		cond += " AND " + expr + " < " + ar.add(hi)
	}
	return "(" + cond + ")"
}

// prefixEnd returns the least string greater than every string starting
// with p: p with its last character incremented, dropping trailing
// characters that cannot be. ok is false when there is none (p is empty or
// all U+10FFFF): then every string from p on starts with it.
func prefixEnd(p string) (end string, ok bool) {
	rs := []rune(p)
	for i := len(rs) - 1; i >= 0; i-- {
		r := rs[i] + 1
		if r == 0xD800 { // surrogates are not characters
			r = 0xE000
		}
		if r <= utf8.MaxRune {
			rs[i] = r
			return string(rs[:i+1]), true
		}
	}
	return "", false
}

func parseValue(s string, kind int) (any, error) {
	switch kind {
	case kindInt:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", s)
		}
		return n, nil
	case kindBool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return nil, fmt.Errorf("%q is not true or false", s)
		}
		return b, nil
	case kindDate:
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return nil, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
		}
		return s, nil
	case kindTime:
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.UTC(), nil
		}
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return t, nil
		}
		return nil, fmt.Errorf("%q is not a time (RFC 3339) or date (YYYY-MM-DD)", s)
	}
	return s, nil
}

func encodeCursor(c cursor, kind int) (string, error) {
	switch v := c.V.(type) {
	case time.Time:
		c.V = v.UTC().Format(time.RFC3339Nano)
	case []byte:
		c.V = string(v)
	}
	if kind == kindDate {
		if t, ok := c.V.(string); ok && len(t) > 10 {
			c.V = t[:10] // PostgreSQL dates arrive as timestamps
		}
	}
	b, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("encode cursor: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func decodeCursor(s string, kind int, nullable bool) (cursor, error) {
	bad := attain.Invalid("cursor", "is not a cursor this list returned")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, bad
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil {
		return cursor{}, bad
	}
	if c.V == nil {
		if !nullable {
			return cursor{}, bad
		}
		return c, nil
	}
	switch kind {
	case kindInt:
		f, ok := c.V.(float64)
		if !ok {
			return cursor{}, bad
		}
		c.V = int64(f)
	case kindTime:
		str, ok := c.V.(string)
		t, err := time.Parse(time.RFC3339Nano, str)
		if !ok || err != nil {
			return cursor{}, bad
		}
		c.V = t
	case kindBool:
		if _, ok := c.V.(bool); !ok {
			return cursor{}, bad
		}
	default:
		if _, ok := c.V.(string); !ok {
			return cursor{}, bad
		}
	}
	return c, nil
}
