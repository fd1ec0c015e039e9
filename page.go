package attain

// Page asks for one page of a list: at most Limit items after Cursor, the
// opaque position returned with the previous page.
type Page struct {
	Limit  int
	Cursor string
}

// Page size limits.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// Size returns the effective limit.
func (p Page) Size() int {
	switch {
	case p.Limit <= 0:
		return DefaultPageSize
	case p.Limit > MaxPageSize:
		return MaxPageSize
	}
	return p.Limit
}
