package attain

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// Workspace is one tenant: a company's sales organisation. Every record of a
// tenant carries its workspace id and no query crosses workspaces.
type Workspace struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Slug      string    `json:"slug"`
	CreatedAt time.Time `json:"created_at"`
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// Validate checks a workspace before it is stored.
func (w *Workspace) Validate() error {
	var v Validation
	w.Name = strings.TrimSpace(w.Name)
	v.Require("name", w.Name)
	if !slugRE.MatchString(w.Slug) {
		v.Add("slug", "must be 2-63 lowercase letters, digits or dashes")
	}
	return v.Err()
}

// Slugify turns a display name into a workspace slug.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) < 2 {
		s = "ws-" + s
	}
	if len(s) > 63 {
		s = s[:63]
	}
	return s
}

// WorkspaceService manages workspaces.
type WorkspaceService interface {
	CreateWorkspace(ctx context.Context, name string, owner *User) (*Workspace, error)
	FindWorkspaces(ctx context.Context, userID int64) ([]*Workspace, error)
}
