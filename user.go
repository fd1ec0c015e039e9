package attain

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// Role is what a member may do in a workspace.
type Role string

// The roles, from least to most powerful.
const (
	RoleRep     Role = "rep"
	RoleManager Role = "manager"
	RoleAdmin   Role = "admin"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return r == RoleRep || r == RoleManager || r == RoleAdmin }

// Enum lists the roles, so the API's schema can offer them as choices.
func (Role) Enum() []string { return []string{string(RoleRep), string(RoleManager), string(RoleAdmin)} }

// AtLeast reports whether r has at least the powers of min.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() }

func (r Role) rank() int {
	switch r {
	case RoleAdmin:
		return 3
	case RoleManager:
		return 2
	case RoleRep:
		return 1
	}
	return 0
}

// User is a person who signs in. A user may belong to several workspaces,
// each with its own role.
type User struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      Role      `json:"role,omitempty"` // role in the workspace it was read from
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`
}

// NormalizeEmail lowercases and trims an address so one person is one user.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// NewUser is the input to create a user in a workspace.
type NewUser struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
	Role     Role   `json:"role"`
}

// Validate checks and normalises the input.
func (u *NewUser) Validate() error {
	var v Validation
	u.Email = NormalizeEmail(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		v.Add("email", "is not a valid email address")
	}
	v.Require("name", u.Name)
	if len(u.Password) < MinPasswordLength {
		v.Add("password", "must be at least %d characters", MinPasswordLength)
	}
	if u.Role == "" {
		u.Role = RoleRep
	}
	if !u.Role.Valid() {
		v.Add("role", "must be one of admin, manager, rep")
	}
	return v.Err()
}

// UserUpdate changes a user's profile or role; nil fields stay as they are.
type UserUpdate struct {
	Name *string `json:"name,omitempty"`
	Role *Role   `json:"role,omitempty"`
}

// UserService manages the people of a workspace.
type UserService interface {
	CreateUser(ctx context.Context, a *Actor, in NewUser) (*User, error)
	FindUsers(ctx context.Context, a *Actor) ([]*User, error)
	FindUser(ctx context.Context, a *Actor, id int64) (*User, error)
	UpdateUser(ctx context.Context, a *Actor, id int64, version int64, upd UserUpdate) (*User, error)
}
