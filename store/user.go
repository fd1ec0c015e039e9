package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/attain-crm/attain"
)

// CreateUser inserts a person, or finds the existing one with that email so
// one person can belong to several workspaces. It reports whether the user
// was created.
func (tx *Tx) CreateUser(ctx context.Context, u *attain.User, passwordHash string) (created bool, err error) {
	err = tx.queryRow(ctx, `SELECT id, name, created_at, updated_at, version FROM users WHERE email = $1`, u.Email).
		Scan(&u.ID, &u.Name, &u.CreatedAt, &u.UpdatedAt, &u.Version)
	if err == nil {
		return false, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	u.CreatedAt, u.UpdatedAt, u.Version = tx.Now, tx.Now, 1
	u.ID, err = tx.insert(ctx, `INSERT INTO users (email, name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
		u.Email, u.Name, passwordHash, tx.Now)
	return true, err
}

// AddMember makes a user a member of the workspace with a role.
func (tx *Tx) AddMember(ctx context.Context, workspaceID, userID int64, role attain.Role) error {
	_, err := tx.exec(ctx, `INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)`,
		workspaceID, userID, role, tx.Now)
	if attain.ErrorCode(err) == attain.ECONFLICT {
		return attain.Invalid("email", "already belongs to a member of this workspace")
	}
	return err
}

const userCols = `u.id, u.email, u.name, m.role, u.created_at, u.updated_at, u.version`

func scanUser(s interface{ Scan(...any) error }) (*attain.User, error) {
	var u attain.User
	err := s.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.CreatedAt, &u.UpdatedAt, &u.Version)
	return &u, err
}

// FindMember returns a member of the workspace with their role there.
func (tx *Tx) FindMember(ctx context.Context, workspaceID, userID int64) (*attain.User, error) {
	u, err := scanUser(tx.queryRow(ctx, `SELECT `+userCols+`
		FROM users u JOIN memberships m ON m.user_id = u.id
		WHERE m.workspace_id = $1 AND u.id = $2`, workspaceID, userID))
	return u, notFound(err, "User")
}

// FindMembers lists the workspace's members by name.
func (tx *Tx) FindMembers(ctx context.Context, workspaceID int64) ([]*attain.User, error) {
	rows, err := tx.query(ctx, `SELECT `+userCols+`
		FROM users u JOIN memberships m ON m.user_id = u.id
		WHERE m.workspace_id = $1 ORDER BY u.name, u.id`, workspaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// FindUserByEmail returns a user and their password hash, for sign-in.
func (tx *Tx) FindUserByEmail(ctx context.Context, email string) (*attain.User, string, error) {
	var u attain.User
	var hash string
	err := tx.queryRow(ctx, `SELECT id, email, name, password_hash, created_at, updated_at, version FROM users WHERE email = $1`, email).
		Scan(&u.ID, &u.Email, &u.Name, &hash, &u.CreatedAt, &u.UpdatedAt, &u.Version)
	return &u, hash, notFound(err, "User")
}

// UpdateUserName renames a user if version still matches.
func (tx *Tx) UpdateUserName(ctx context.Context, userID, version int64, name string) error {
	return tx.checkVersion(ctx, "users", "User", `UPDATE users SET name = $1, updated_at = $2, version = version + 1
		WHERE id = $3 AND ($4 = 0 OR version = $4)`, `SELECT 1 FROM users WHERE id = $1`, []any{userID},
		name, tx.Now, userID, version)
}

// SetRole changes a member's role in the workspace.
func (tx *Tx) SetRole(ctx context.Context, workspaceID, userID int64, role attain.Role) error {
	res, err := tx.exec(ctx, `UPDATE memberships SET role = $1 WHERE workspace_id = $2 AND user_id = $3`, role, workspaceID, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return attain.Errorf(attain.ENOTFOUND, "User not found.")
	}
	return nil
}

// TouchUser bumps a user's version after a change stored elsewhere (a role).
func (tx *Tx) TouchUser(ctx context.Context, userID int64) error {
	_, err := tx.exec(ctx, `UPDATE users SET updated_at = $1, version = version + 1 WHERE id = $2`, tx.Now, userID)
	return err
}

// SetPassword replaces a user's password hash.
func (tx *Tx) SetPassword(ctx context.Context, userID int64, hash string) error {
	_, err := tx.exec(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, hash, tx.Now, userID)
	return err
}

// CountMemberships counts the workspaces a user belongs to. A user in more
// than one is no single workspace's to rename or give a password to.
func (tx *Tx) CountMemberships(ctx context.Context, userID int64) (int, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT count(*) FROM memberships WHERE user_id = $1`, userID).Scan(&n)
	return n, err
}

// CountAdmins counts the workspace's admins, so the last one is never demoted.
func (tx *Tx) CountAdmins(ctx context.Context, workspaceID int64) (int, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT count(*) FROM memberships WHERE workspace_id = $1 AND role = 'admin'`, workspaceID).Scan(&n)
	return n, err
}

// checkVersion runs an optimistic-concurrency UPDATE. When it changes no row
// it tells "not found" from "stale" with the exists query.
func (tx *Tx) checkVersion(ctx context.Context, _, what, update, exists string, existsArgs []any, updateArgs ...any) error {
	res, err := tx.exec(ctx, update, updateArgs...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	var one int
	if err := tx.queryRow(ctx, exists, existsArgs...).Scan(&one); err != nil {
		return notFound(err, what)
	}
	return attain.Errorf(attain.ESTALE, "%s was changed by someone else; reload it and try again.", what)
}
