package attain

import (
	"context"
	"strings"
	"time"
)

// Team is a group of sellers with a manager. Teams form a hierarchy through
// ParentID, and a manager sees the records of every team under theirs.
type Team struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	ManagerID *int64    `json:"manager_id"`
	ParentID  *int64    `json:"parent_id"`
	MemberIDs []int64   `json:"member_ids"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`
}

// TeamInput creates or replaces a team's editable fields.
type TeamInput struct {
	Name      string  `json:"name"`
	ManagerID *int64  `json:"manager_id"`
	ParentID  *int64  `json:"parent_id"`
	MemberIDs []int64 `json:"member_ids"`
}

// Validate checks the input's own rules; references are checked by the service.
func (t *TeamInput) Validate() error {
	var v Validation
	t.Name = strings.TrimSpace(t.Name)
	v.Require("name", t.Name)
	if len(t.Name) > 200 {
		v.Add("name", "must be at most 200 characters")
	}
	return v.Err()
}

// TeamService manages teams and their hierarchy.
type TeamService interface {
	CreateTeam(ctx context.Context, a *Actor, in TeamInput) (*Team, error)
	FindTeams(ctx context.Context, a *Actor) ([]*Team, error)
	FindTeam(ctx context.Context, a *Actor, id int64) (*Team, error)
	UpdateTeam(ctx context.Context, a *Actor, id, version int64, in TeamInput) (*Team, error)
	DeleteTeam(ctx context.Context, a *Actor, id, version int64) error
}
