package attain

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// The lists a saved view can belong to, named as in the API's paths.
var ViewEntities = []string{"deals", "accounts", "contacts", "leads", "activities"}

// SavedView is a list as someone arranged it: the filters and sort (Query,
// in the API's list syntax, e.g. "stage_id=3&sort=-amount") and the columns
// shown. It belongs to the member who saved it; a shared view is offered to
// everyone in the workspace, but only its owner (or an admin) changes it.
// Opening a view never widens what anyone sees: the list it runs still
// applies the reader's own visibility.
type SavedView struct {
	ID        int64     `json:"id"`
	OwnerID   int64     `json:"owner_id"`
	Entity    string    `json:"entity"`
	Name      string    `json:"name"`
	Query     string    `json:"query"`
	Columns   []string  `json:"columns"`
	Shared    bool      `json:"shared"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`
}

// SavedViewInput is a new view.
type SavedViewInput struct {
	Entity  string   `json:"entity"`
	Name    string   `json:"name"`
	Query   string   `json:"query"`
	Columns []string `json:"columns"`
	Shared  bool     `json:"shared"`
}

// SavedViewUpdate changes some of a view's fields; absent ones stay.
type SavedViewUpdate struct {
	Name    *string   `json:"name,omitempty"`
	Query   *string   `json:"query,omitempty"`
	Columns *[]string `json:"columns,omitempty"`
	Shared  *bool     `json:"shared,omitempty"`
}

// Limits of a saved view.
const (
	maxViewQuery   = 4000
	maxViewColumns = 60
)

// A column is a field name, or custom.<key> for a custom field.
var viewColumn = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}(\.[a-z][a-z0-9_]{0,62})?$`)

// Validate checks the input's shape and normalises it. The query's fields
// are checked against the list's whitelist by the service.
func (in *SavedViewInput) Validate() error {
	var v Validation
	if !slices.Contains(ViewEntities, in.Entity) {
		v.Add("entity", "must be one of %s", strings.Join(ViewEntities, ", "))
	}
	in.Name = strings.TrimSpace(in.Name)
	validateViewName(&v, in.Name)
	in.Query = normalizeViewQuery(&v, in.Query)
	if in.Columns == nil {
		in.Columns = []string{}
	}
	validateViewColumns(&v, in.Columns)
	return v.Err()
}

// Validate checks the update's shape and normalises it.
func (u *SavedViewUpdate) Validate() error {
	var v Validation
	if u.Name != nil {
		*u.Name = strings.TrimSpace(*u.Name)
		validateViewName(&v, *u.Name)
	}
	if u.Query != nil {
		*u.Query = normalizeViewQuery(&v, *u.Query)
	}
	if u.Columns != nil {
		if *u.Columns == nil {
			*u.Columns = []string{}
		}
		validateViewColumns(&v, *u.Columns)
	}
	return v.Err()
}

// Apply changes view as the update says.
func (u *SavedViewUpdate) Apply(view *SavedView) {
	set(&view.Name, u.Name)
	set(&view.Query, u.Query)
	set(&view.Columns, u.Columns)
	set(&view.Shared, u.Shared)
}

func validateViewName(v *Validation, name string) {
	v.Require("name", name)
	if len(name) > 100 {
		v.Add("name", "must be at most 100 characters")
	}
}

// normalizeViewQuery drops a leading "?" and the paging parameters, which
// belong to one reading of a list, not to the view.
func normalizeViewQuery(v *Validation, q string) string {
	q = strings.TrimPrefix(strings.TrimSpace(q), "?")
	if len(q) > maxViewQuery {
		v.Add("query", "must be at most %d characters", maxViewQuery)
		return q
	}
	vals, err := url.ParseQuery(q)
	if err != nil {
		v.Add("query", "is not a URL query string (field[op]=value&sort=-field)")
		return q
	}
	vals.Del("cursor")
	vals.Del("limit")
	return vals.Encode()
}

func validateViewColumns(v *Validation, cols []string) {
	if len(cols) > maxViewColumns {
		v.Add("columns", "must be at most %d", maxViewColumns)
		return
	}
	seen := map[string]bool{}
	for _, c := range cols {
		switch {
		case !viewColumn.MatchString(c):
			v.Add("columns", "%q is not a field name (name, or custom.key for a custom field)", c)
		case seen[c]:
			v.Add("columns", "%q is listed twice", c)
		}
		seen[c] = true
	}
}

// SavedViewService keeps each member's saved list views.
type SavedViewService interface {
	// FindSavedViews lists the actor's own views and the shared ones, of one
	// entity ("" for all), by name.
	FindSavedViews(ctx context.Context, a *Actor, entity string) ([]*SavedView, error)
	FindSavedView(ctx context.Context, a *Actor, id int64) (*SavedView, error)
	CreateSavedView(ctx context.Context, a *Actor, in SavedViewInput) (*SavedView, error)
	UpdateSavedView(ctx context.Context, a *Actor, id, version int64, u SavedViewUpdate) (*SavedView, error)
	DeleteSavedView(ctx context.Context, a *Actor, id, version int64) error
}
