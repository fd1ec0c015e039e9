package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// CreateWorkspace creates a workspace with an existing user as its first admin.
func (s *Service) CreateWorkspace(ctx context.Context, name string, owner *attain.User) (*attain.Workspace, error) {
	w := &attain.Workspace{Name: name, Slug: attain.Slugify(name)}
	if err := w.Validate(); err != nil {
		return nil, err
	}
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateWorkspace(ctx, w); err != nil {
			return err
		}
		if err := tx.AddMember(ctx, w.ID, owner.ID, attain.RoleAdmin); err != nil {
			return err
		}
		a := attain.SystemActor(w.ID)
		if err := s.setupWorkspace(ctx, tx, a); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "create", "workspace", w.ID, nil, w)
	})
	return w, err
}

// FindWorkspaces lists the workspaces a user belongs to.
func (s *Service) FindWorkspaces(ctx context.Context, userID int64) ([]*attain.Workspace, error) {
	var out []*attain.Workspace
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindWorkspacesOfUser(ctx, userID)
		return err
	})
	return out, err
}

// Bootstrap creates a workspace and its first admin in one transaction; it is
// how a new installation (CLI, first start, demo) gets its first user.
func (s *Service) Bootstrap(ctx context.Context, workspaceName string, admin attain.NewUser) (*attain.Workspace, *attain.User, error) {
	admin.Role = attain.RoleAdmin
	if err := admin.Validate(); err != nil {
		return nil, nil, err
	}
	w := &attain.Workspace{Name: strings.TrimSpace(workspaceName), Slug: attain.Slugify(workspaceName)}
	if err := w.Validate(); err != nil {
		return nil, nil, err
	}
	hash, err := s.hasher.Hash(admin.Password)
	if err != nil {
		return nil, nil, err
	}
	u := &attain.User{Email: admin.Email, Name: admin.Name, Role: attain.RoleAdmin}
	err = s.db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateWorkspace(ctx, w); err != nil {
			return err
		}
		if _, err := tx.CreateUser(ctx, u, hash); err != nil {
			return err
		}
		if err := tx.AddMember(ctx, w.ID, u.ID, attain.RoleAdmin); err != nil {
			return err
		}
		a := attain.SystemActor(w.ID)
		if err := s.setupWorkspace(ctx, tx, a); err != nil {
			return err
		}
		if err := tx.Audit(ctx, a, "create", "workspace", w.ID, nil, w); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "create", "user", u.ID, nil, u)
	})
	if err != nil {
		return nil, nil, err
	}
	return w, u, nil
}

// WorkspaceBySlug finds a workspace for the CLI.
func (s *Service) WorkspaceBySlug(ctx context.Context, slug string) (*attain.Workspace, error) {
	var w *attain.Workspace
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		w, err = tx.FindWorkspaceBySlug(ctx, slug)
		return err
	})
	return w, err
}

// CreateUser adds a person to the actor's workspace; admins only. If the
// email already belongs to a user of another workspace, that user joins this
// one and keeps their password.
func (s *Service) CreateUser(ctx context.Context, a *attain.Actor, in attain.NewUser) (*attain.User, error) {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	hash, err := s.hasher.Hash(in.Password)
	if err != nil {
		return nil, err
	}
	u := &attain.User{Email: in.Email, Name: in.Name, Role: in.Role}
	err = s.db.WriteTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.CreateUser(ctx, u, hash); err != nil {
			return err
		}
		if err := tx.AddMember(ctx, a.WorkspaceID, u.ID, in.Role); err != nil {
			return err
		}
		u.Role = in.Role
		return tx.Audit(ctx, a, "create", "user", u.ID, nil, u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// FindUsers lists the workspace's members; every member may see who is in it.
func (s *Service) FindUsers(ctx context.Context, a *attain.Actor) ([]*attain.User, error) {
	var out []*attain.User
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindMembers(ctx, a.WorkspaceID)
		return err
	})
	return out, err
}

// FindUser returns one member.
func (s *Service) FindUser(ctx context.Context, a *attain.Actor, id int64) (*attain.User, error) {
	var u *attain.User
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		u, err = tx.FindMember(ctx, a.WorkspaceID, id)
		return err
	})
	return u, err
}

// UpdateUser renames a member (themselves, or anyone for an admin) or changes
// a role (admins only; the last admin keeps the role).
func (s *Service) UpdateUser(ctx context.Context, a *attain.Actor, id, version int64, upd attain.UserUpdate) (*attain.User, error) {
	if id != a.UserID || upd.Role != nil {
		if err := a.Require(attain.RoleAdmin); err != nil {
			return nil, err
		}
	}
	var v attain.Validation
	if upd.Name != nil {
		*upd.Name = strings.TrimSpace(*upd.Name)
		v.Require("name", *upd.Name)
	}
	if upd.Role != nil && !upd.Role.Valid() {
		v.Add("role", "must be one of admin, manager, rep")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var after *attain.User
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := tx.FindMember(ctx, a.WorkspaceID, id)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return attain.Errorf(attain.ESTALE, "User was changed by someone else; reload it and try again.")
		}
		if upd.Name != nil && *upd.Name != before.Name {
			if err := ownAccount(ctx, tx, a, id); err != nil {
				return err
			}
		}
		if upd.Name != nil {
			if err := tx.UpdateUserName(ctx, id, before.Version, *upd.Name); err != nil {
				return err
			}
		}
		if upd.Role != nil && *upd.Role != before.Role {
			if before.Role == attain.RoleAdmin {
				n, err := tx.CountAdmins(ctx, a.WorkspaceID)
				if err != nil {
					return err
				}
				if n <= 1 {
					return attain.Invalid("role", "the workspace's last admin cannot lose the admin role")
				}
			}
			if err := tx.SetRole(ctx, a.WorkspaceID, id, *upd.Role); err != nil {
				return err
			}
			if upd.Name == nil {
				if err := tx.TouchUser(ctx, id); err != nil {
					return err
				}
			}
		}
		if after, err = tx.FindMember(ctx, a.WorkspaceID, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "update", "user", id, before, after)
	})
	return after, err
}

// SetPassword replaces a member's password: their own, or anyone's for an admin.
func (s *Service) SetPassword(ctx context.Context, a *attain.Actor, id int64, password string) error {
	if id != a.UserID {
		if err := a.Require(attain.RoleAdmin); err != nil {
			return err
		}
	}
	if len(password) < attain.MinPasswordLength {
		return attain.Invalid("password", "must be at least %d characters", attain.MinPasswordLength)
	}
	hash, err := s.hasher.Hash(password)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	return s.db.WriteTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.FindMember(ctx, a.WorkspaceID, id); err != nil {
			return err
		}
		if err := ownAccount(ctx, tx, a, id); err != nil {
			return err
		}
		if err := tx.SetPassword(ctx, id, hash); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "set_password", "user", id, nil, nil)
	})
}

// ownAccount refuses a change to a person's account (name, password) by an
// admin of one workspace when the person also belongs to another: the
// account is theirs in every workspace, and one workspace's admin must not
// take over their place in the others.
func ownAccount(ctx context.Context, tx *store.Tx, a *attain.Actor, userID int64) error {
	if a.System || a.UserID == userID {
		return nil
	}
	n, err := tx.CountMemberships(ctx, userID)
	if err != nil {
		return err
	}
	if n > 1 {
		return attain.Errorf(attain.EFORBIDDEN, "This person also belongs to another workspace; only they can change their name or password.")
	}
	return nil
}

// CountWorkspaces counts the workspaces in the database, to spot a first run.
func (s *Service) CountWorkspaces(ctx context.Context) (int, error) {
	var n int
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		n, err = tx.CountWorkspaces(ctx)
		return err
	})
	return n, err
}

// FirstWorkspace returns the oldest workspace, the CLI's default.
func (s *Service) FirstWorkspace(ctx context.Context) (*attain.Workspace, error) {
	var w *attain.Workspace
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		w, err = tx.FirstWorkspace(ctx)
		return err
	})
	return w, err
}

// ActorFor resolves a member into an actor, for the CLI and jobs acting on
// someone's behalf.
func (s *Service) ActorFor(ctx context.Context, workspaceID, userID int64) (*attain.Actor, error) {
	var a *attain.Actor
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		a, err = tx.LoadActor(ctx, workspaceID, userID)
		return err
	})
	return a, err
}
