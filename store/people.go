package store

// Paginated lists of a workspace's members, teams and a member's API
// tokens, with the same filter, sort and cursor syntax as every other list.

import (
	"context"

	"github.com/attain-crm/attain"
)

var memberList = &listSpec{
	idExpr: "u.id",
	cols: map[string]listCol{
		"id":         {expr: "u.id", kind: kindInt, sortable: true},
		"name":       {expr: "u.name", kind: kindString, sortable: true},
		"email":      {expr: "u.email", kind: kindString, sortable: true},
		"role":       {expr: "m.role", kind: kindString},
		"created_at": {expr: "u.created_at", kind: kindTime, sortable: true},
	},
	defaultSort: attain.Sort{Field: "name"},
}

// ListMembers lists a page of the workspace's members, by name unless the
// query sorts otherwise.
func (tx *Tx) ListMembers(ctx context.Context, workspaceID int64, q attain.ListQuery) ([]*attain.User, string, error) {
	var ar args
	where := "m.workspace_id = " + ar.add(workspaceID)
	return listRows(ctx, tx, memberList, lowerFilterValues(q, "email"), &ar,
		`SELECT `+userCols+` FROM users u JOIN memberships m ON m.user_id = u.id`, where, scanUser,
		func(u *attain.User) int64 { return u.ID })
}

var teamList = &listSpec{
	idExpr: "id",
	cols: map[string]listCol{
		"id":         {expr: "id", kind: kindInt, sortable: true},
		"name":       {expr: "name", kind: kindString, sortable: true},
		"manager_id": {expr: "manager_id", kind: kindInt},
		"parent_id":  {expr: "parent_id", kind: kindInt},
		"created_at": {expr: "created_at", kind: kindTime, sortable: true},
	},
	defaultSort: attain.Sort{Field: "name"},
}

// ListTeams lists a page of the workspace's teams with their members, by
// name unless the query sorts otherwise.
func (tx *Tx) ListTeams(ctx context.Context, workspaceID int64, q attain.ListQuery) ([]*attain.Team, string, error) {
	var ar args
	where := "workspace_id = " + ar.add(workspaceID)
	ts, next, err := listRows(ctx, tx, teamList, q, &ar, `SELECT `+teamCols+` FROM teams`, where, scanTeam,
		func(t *attain.Team) int64 { return t.ID })
	if err != nil || len(ts) == 0 {
		return ts, next, err
	}
	members, err := tx.teamMembers(ctx, workspaceID)
	for _, t := range ts {
		t.MemberIDs = teamMemberIDs(members, t.ID)
	}
	return ts, next, err
}

// teamMemberIDs returns a team's members, an empty list (never null in
// JSON) when it has none.
func teamMemberIDs(members map[int64][]int64, teamID int64) []int64 {
	if ids := members[teamID]; ids != nil {
		return ids
	}
	return []int64{}
}

var tokenList = &listSpec{
	idExpr: "id",
	cols: map[string]listCol{
		"id":         {expr: "id", kind: kindInt, sortable: true},
		"name":       {expr: "name", kind: kindString},
		"created_at": {expr: "created_at", kind: kindTime, sortable: true},
		"expires_at": {expr: "expires_at", kind: kindTime},
		"revoked_at": {expr: "revoked_at", kind: kindTime},
	},
	defaultSort: attain.Sort{Field: "id", Desc: true},
}

// ListTokens lists a page of a member's API tokens, newest first unless the
// query sorts otherwise.
func (tx *Tx) ListTokens(ctx context.Context, workspaceID, userID int64, q attain.ListQuery) ([]*attain.APIToken, string, error) {
	var ar args
	where := "workspace_id = " + ar.add(workspaceID) + " AND user_id = " + ar.add(userID)
	return listRows(ctx, tx, tokenList, q, &ar, `SELECT `+tokenCols+` FROM api_tokens`, where, scanToken,
		func(t *attain.APIToken) int64 { return t.ID })
}
