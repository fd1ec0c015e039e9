package attain

import "slices"

// Actor is who is acting: a member of one workspace with a role, and the
// owners and teams whose records that member may see. It is resolved once per
// request (or CLI command, or job) and passed to every service call, so the
// visibility rule lives here and nowhere else.
//
// The rule: a rep sees and edits their own records and whatever is shared with
// one of their teams; a manager sees everything owned by members of the teams
// they manage, including sub-teams; an admin sees everything in the workspace.
type Actor struct {
	UserID      int64
	WorkspaceID int64
	Role        Role
	Name        string
	RequestID   string

	// TeamIDs are the teams the actor belongs to or manages (with sub-teams).
	TeamIDs []int64
	// OwnerIDs are the users whose records the actor sees (always includes
	// the actor). Unused for admins, who see everything.
	OwnerIDs []int64
	// System marks work done by Attain itself (jobs, CLI bootstrap).
	System bool
}

// SeesAll reports whether no visibility filter applies.
func (a *Actor) SeesAll() bool { return a.System || a.Role == RoleAdmin }

// CanSee reports whether the actor may read a record with the given owner and
// the team it is shared with (0 for none).
func (a *Actor) CanSee(ownerID, teamID int64) bool {
	if a.SeesAll() || ownerID == a.UserID {
		return true
	}
	if slices.Contains(a.OwnerIDs, ownerID) {
		return true
	}
	return teamID != 0 && slices.Contains(a.TeamIDs, teamID)
}

// CanEdit reports whether the actor may change such a record. Everyone edits
// what they can see: reps their own and their team's shared records, managers
// their teams' records, admins everything.
func (a *Actor) CanEdit(ownerID, teamID int64) bool { return a.CanSee(ownerID, teamID) }

// Require returns EFORBIDDEN unless the actor has at least the given role.
func (a *Actor) Require(min Role) error {
	if a.System || a.Role.AtLeast(min) {
		return nil
	}
	return Errorf(EFORBIDDEN, "This needs the %s role.", min)
}

// SystemActor is Attain acting on its own in a workspace.
func SystemActor(workspaceID int64) *Actor {
	return &Actor{WorkspaceID: workspaceID, Role: RoleAdmin, Name: "system", System: true}
}

// NewActor builds the actor for a member from the workspace's teams, applying
// the visibility rule: a member sees the teams they belong to (records shared
// with them); a manager also sees every team under the ones they manage, and
// every record owned by those teams' members and managers.
func NewActor(u *User, workspaceID int64, teams []*Team) *Actor {
	a := &Actor{UserID: u.ID, WorkspaceID: workspaceID, Role: u.Role, Name: u.Name, OwnerIDs: []int64{u.ID}}
	children := map[int64][]*Team{}
	for _, t := range teams {
		if t.ParentID != nil {
			children[*t.ParentID] = append(children[*t.ParentID], t)
		}
	}
	teamSet := map[int64]bool{}
	ownerSet := map[int64]bool{u.ID: true}
	var manage func(t *Team)
	manage = func(t *Team) {
		if teamSet[t.ID] && ownerSet[-t.ID] {
			return // already walked (guards against a cycle)
		}
		teamSet[t.ID] = true
		ownerSet[-t.ID] = true // marks the team walked; negative ids are never users
		for _, m := range t.MemberIDs {
			ownerSet[m] = true
		}
		if t.ManagerID != nil {
			ownerSet[*t.ManagerID] = true
		}
		for _, c := range children[t.ID] {
			manage(c)
		}
	}
	for _, t := range teams {
		if slices.Contains(t.MemberIDs, u.ID) {
			teamSet[t.ID] = true
		}
		if u.Role.AtLeast(RoleManager) && t.ManagerID != nil && *t.ManagerID == u.ID {
			manage(t)
		}
	}
	for id := range teamSet {
		a.TeamIDs = append(a.TeamIDs, id)
	}
	for id := range ownerSet {
		if id > 0 && id != u.ID {
			a.OwnerIDs = append(a.OwnerIDs, id)
		}
	}
	slices.Sort(a.TeamIDs)
	slices.Sort(a.OwnerIDs[1:])
	return a
}
