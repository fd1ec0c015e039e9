package attain

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
