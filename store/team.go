package store

import (
	"context"

	"github.com/attain-crm/attain"
)

const teamCols = `id, name, manager_id, parent_id, created_at, updated_at, version`

func scanTeam(s interface{ Scan(...any) error }) (*attain.Team, error) {
	var t attain.Team
	err := s.Scan(&t.ID, &t.Name, &t.ManagerID, &t.ParentID, &t.CreatedAt, &t.UpdatedAt, &t.Version)
	return &t, err
}

// CreateTeam inserts a team and its members.
func (tx *Tx) CreateTeam(ctx context.Context, workspaceID int64, in attain.TeamInput) (*attain.Team, error) {
	id, err := tx.insert(ctx, `INSERT INTO teams (workspace_id, name, manager_id, parent_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5)`, workspaceID, in.Name, in.ManagerID, in.ParentID, tx.Now)
	if attain.ErrorCode(err) == attain.ECONFLICT {
		return nil, attain.Invalid("name", "is taken by another team")
	}
	if err != nil {
		return nil, err
	}
	if err := tx.setTeamMembers(ctx, workspaceID, id, in.MemberIDs); err != nil {
		return nil, err
	}
	return tx.FindTeam(ctx, workspaceID, id)
}

// UpdateTeam replaces a team's fields and members if version still matches.
func (tx *Tx) UpdateTeam(ctx context.Context, workspaceID, id, version int64, in attain.TeamInput) (*attain.Team, error) {
	err := tx.checkVersion(ctx, "teams", "Team",
		`UPDATE teams SET name = $1, manager_id = $2, parent_id = $3, updated_at = $4, version = version + 1
		 WHERE workspace_id = $5 AND id = $6 AND ($7 = 0 OR version = $7)`,
		`SELECT 1 FROM teams WHERE workspace_id = $1 AND id = $2`, []any{workspaceID, id},
		in.Name, in.ManagerID, in.ParentID, tx.Now, workspaceID, id, version)
	if attain.ErrorCode(err) == attain.ECONFLICT {
		return nil, attain.Invalid("name", "is taken by another team")
	}
	if err != nil {
		return nil, err
	}
	if _, err := tx.exec(ctx, `DELETE FROM team_members WHERE workspace_id = $1 AND team_id = $2`, workspaceID, id); err != nil {
		return nil, err
	}
	if err := tx.setTeamMembers(ctx, workspaceID, id, in.MemberIDs); err != nil {
		return nil, err
	}
	return tx.FindTeam(ctx, workspaceID, id)
}

func (tx *Tx) setTeamMembers(ctx context.Context, workspaceID, teamID int64, userIDs []int64) error {
	seen := map[int64]bool{}
	for _, u := range userIDs {
		if seen[u] {
			continue
		}
		seen[u] = true
		_, err := tx.exec(ctx, `INSERT INTO team_members (workspace_id, team_id, user_id) VALUES ($1, $2, $3)`, workspaceID, teamID, u)
		if attain.ErrorCode(err) == attain.EINVALID {
			return attain.Invalid("member_ids", "user %d is not a member of this workspace", u)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// DeleteTeam removes a team if version still matches and no team hangs under it.
func (tx *Tx) DeleteTeam(ctx context.Context, workspaceID, id, version int64) error {
	var children int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM teams WHERE workspace_id = $1 AND parent_id = $2`, workspaceID, id).Scan(&children); err != nil {
		return err
	}
	if children > 0 {
		return attain.Errorf(attain.ECONFLICT, "The team has sub-teams; move or delete them first.")
	}
	return tx.checkVersion(ctx, "teams", "Team",
		`DELETE FROM teams WHERE workspace_id = $1 AND id = $2 AND ($3 = 0 OR version = $3)`,
		`SELECT 1 FROM teams WHERE workspace_id = $1 AND id = $2`, []any{workspaceID, id},
		workspaceID, id, version)
}

// FindTeam returns one team with its members.
func (tx *Tx) FindTeam(ctx context.Context, workspaceID, id int64) (*attain.Team, error) {
	t, err := scanTeam(tx.queryRow(ctx, `SELECT `+teamCols+` FROM teams WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
	if err != nil {
		return nil, notFound(err, "Team")
	}
	members, err := tx.teamMembers(ctx, workspaceID)
	t.MemberIDs = teamMemberIDs(members, t.ID)
	return t, err
}

// FindTeams lists every team of the workspace with its members.
func (tx *Tx) FindTeams(ctx context.Context, workspaceID int64) ([]*attain.Team, error) {
	rows, err := tx.query(ctx, `SELECT `+teamCols+` FROM teams WHERE workspace_id = $1 ORDER BY name, id`, workspaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.Team
	for rows.Next() {
		t, err := scanTeam(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	members, err := tx.teamMembers(ctx, workspaceID)
	for _, t := range out {
		t.MemberIDs = teamMemberIDs(members, t.ID)
	}
	return out, err
}

func (tx *Tx) teamMembers(ctx context.Context, workspaceID int64) (map[int64][]int64, error) {
	rows, err := tx.query(ctx, `SELECT team_id, user_id FROM team_members WHERE workspace_id = $1 ORDER BY team_id, user_id`, workspaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var t, u int64
		if err := rows.Scan(&t, &u); err != nil {
			return nil, err
		}
		out[t] = append(out[t], u)
	}
	return out, rows.Err()
}
