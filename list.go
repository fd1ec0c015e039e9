package attain

import (
	"net/url"
	"slices"
	"strings"
)

// ListQuery asks for one page of a filtered, sorted list. It is the one
// filter and sort syntax of the API, the CLI and exports:
//
//	?field=value                 equals
//	?field[op]=value             op is eq, ne, lt, lte, gt, gte, in (comma-separated),
//	                             prefix (case-insensitive starts-with) or null (true/false)
//	?sort=field  ?sort=-field    ascending / descending, ties broken by id
//	?limit=50&cursor=...         keyset pagination: pass back next_cursor
//
// Each list declares which fields it filters and sorts on; anything else is
// refused with the field named.
type ListQuery struct {
	Filters []Filter
	Sort    Sort
	Page    Page
}

// Filter is one condition of a list query.
type Filter struct {
	Field  string
	Op     string
	Values []string
}

// Sort orders a list by one field, ties broken by id in the same direction,
// so the order is total and pagination stable.
type Sort struct {
	Field string
	Desc  bool
}

// Filter operators.
const (
	OpEq     = "eq"
	OpNe     = "ne"
	OpLt     = "lt"
	OpLte    = "lte"
	OpGt     = "gt"
	OpGte    = "gte"
	OpIn     = "in"
	OpPrefix = "prefix"
	OpNull   = "null"
)

// ValidOp reports whether op is a known filter operator.
func ValidOp(op string) bool {
	switch op {
	case OpEq, OpNe, OpLt, OpLte, OpGt, OpGte, OpIn, OpPrefix, OpNull:
		return true
	}
	return false
}

// Where returns the query with one more equality filter, for callers that
// scope a list (say, the deals of one account).
func (q ListQuery) Where(field, value string) ListQuery {
	q.Filters = append(append([]Filter(nil), q.Filters...), Filter{Field: field, Op: OpEq, Values: []string{value}})
	return q
}

// reservedQuery are the query parameters of a list that are not filters.
var reservedQuery = map[string]bool{"sort": true, "limit": true, "cursor": true, "q": true, "format": true}

// ParseListQuery reads the filters and sort of the list syntax from query
// parameters (paging is the caller's). Operators are checked here; fields
// are checked against each list's whitelist by the store.
func ParseListQuery(values url.Values) (ListQuery, error) {
	var q ListQuery
	if s := values.Get("sort"); s != "" {
		q.Sort = Sort{Field: strings.TrimPrefix(s, "-"), Desc: strings.HasPrefix(s, "-")}
	}
	var v Validation
	for key, vals := range values {
		field, op := key, ""
		if i := strings.IndexByte(key, '['); i > 0 && strings.HasSuffix(key, "]") {
			field, op = key[:i], key[i+1:len(key)-1]
		}
		if reservedQuery[field] {
			continue
		}
		if op != "" && !ValidOp(op) {
			v.Add(field, "unknown operator %q; use eq, ne, lt, lte, gt, gte, in, prefix or null", op)
			continue
		}
		q.Filters = append(q.Filters, Filter{Field: field, Op: op, Values: vals})
	}
	// Map iteration order is random; sort so the SQL (and its plan cache) is stable.
	slices.SortFunc(q.Filters, func(a, b Filter) int { return strings.Compare(a.Field+a.Op, b.Field+b.Op) })
	return q, v.Err()
}
