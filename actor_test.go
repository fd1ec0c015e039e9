package attain_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/attain-crm/attain"
)

func ptr[T any](v T) *T { return &v }

// org is a small sales organisation:
//
//	Sales (managed by 2)
//	├── East (managed by 6; members 3, 4)
//	│   └── East Enterprise (managed by 9; member 10)
//	└── West (managed by 7; member 5)
//	Support (managed by 8; member 11) — a sibling of Sales
func org() []*attain.Team {
	return []*attain.Team{
		{ID: 100, Name: "Sales", ManagerID: ptr[int64](2)},
		{ID: 101, Name: "East", ManagerID: ptr[int64](6), ParentID: ptr[int64](100), MemberIDs: []int64{3, 4}},
		{ID: 102, Name: "West", ManagerID: ptr[int64](7), ParentID: ptr[int64](100), MemberIDs: []int64{5}},
		{ID: 103, Name: "East Enterprise", ManagerID: ptr[int64](9), ParentID: ptr[int64](101), MemberIDs: []int64{10}},
		{ID: 200, Name: "Support", ManagerID: ptr[int64](8), MemberIDs: []int64{11}},
	}
}

func TestNewActorVisibility(t *testing.T) {
	t.Parallel()
	type sees struct {
		owner, team int64
		want        bool
	}
	tests := []struct {
		name       string
		user       attain.User
		teams      []*attain.Team
		wantOwners []int64 // besides the user, who is always first
		wantTeams  []int64
		checks     []sees
	}{
		{
			name:       "rep sees own records and those shared with their team",
			user:       attain.User{ID: 3, Role: attain.RoleRep},
			teams:      org(),
			wantOwners: nil,
			wantTeams:  []int64{101},
			checks: []sees{
				{owner: 3, want: true},
				{owner: 4, want: false},            // a teammate's private record
				{owner: 4, team: 101, want: true},  // shared with East
				{owner: 5, team: 102, want: false}, // shared with West
				{owner: 2, want: false},            // the manager's own
			},
		},
		{
			name:       "rep named as a team's manager gets no manager visibility",
			user:       attain.User{ID: 3, Role: attain.RoleRep},
			teams:      append(org(), &attain.Team{ID: 300, Name: "Odd", ManagerID: ptr[int64](3), MemberIDs: []int64{12}}),
			wantOwners: nil,
			wantTeams:  []int64{101},
			checks:     []sees{{owner: 12, want: false}},
		},
		{
			name:       "manager sees members of the managed team and every sub-team",
			user:       attain.User{ID: 6, Role: attain.RoleManager},
			teams:      org(),
			wantOwners: []int64{3, 4, 9, 10},
			wantTeams:  []int64{101, 103},
			checks: []sees{
				{owner: 3, want: true},
				{owner: 10, want: true},            // in a sub-team
				{owner: 9, want: true},             // a sub-team's manager
				{owner: 5, want: false},            // sibling team West
				{owner: 5, team: 102, want: false}, // shared with the sibling team
				{owner: 2, want: false},            // their own manager
				{owner: 11, want: false},           // another branch
				{owner: 99, team: 103, want: true}, // shared with a sub-team
			},
		},
		{
			name:       "top manager sees the whole branch but not a sibling branch",
			user:       attain.User{ID: 2, Role: attain.RoleManager},
			teams:      org(),
			wantOwners: []int64{3, 4, 5, 6, 7, 9, 10},
			wantTeams:  []int64{100, 101, 102, 103},
			checks: []sees{
				{owner: 5, want: true},
				{owner: 10, want: true},
				{owner: 8, want: false},
				{owner: 11, want: false},
				{owner: 11, team: 200, want: false},
			},
		},
		{
			name:       "manager who manages nothing sees like a rep",
			user:       attain.User{ID: 5, Role: attain.RoleManager},
			teams:      org(),
			wantOwners: nil,
			wantTeams:  []int64{102},
			checks:     []sees{{owner: 7, want: false}, {owner: 7, team: 102, want: true}},
		},
		{
			name:       "admin sees everything",
			user:       attain.User{ID: 1, Role: attain.RoleAdmin},
			teams:      org(),
			wantOwners: nil,
			wantTeams:  nil,
			checks:     []sees{{owner: 11, want: true}, {owner: 5, team: 102, want: true}, {owner: 999, want: true}},
		},
		{
			name: "a cycle in the hierarchy does not hang",
			user: attain.User{ID: 2, Role: attain.RoleManager},
			teams: []*attain.Team{
				{ID: 1, ManagerID: ptr[int64](2), ParentID: ptr[int64](3), MemberIDs: []int64{20}},
				{ID: 2, ParentID: ptr[int64](1), MemberIDs: []int64{21}},
				{ID: 3, ParentID: ptr[int64](2), MemberIDs: []int64{22}},
				{ID: 4, ParentID: ptr[int64](4), ManagerID: ptr[int64](2), MemberIDs: []int64{23}}, // its own parent
			},
			wantOwners: []int64{20, 21, 22, 23},
			wantTeams:  []int64{1, 2, 3, 4},
		},
		{
			name:       "no teams at all",
			user:       attain.User{ID: 7, Role: attain.RoleManager},
			wantOwners: nil,
			wantTeams:  nil,
			checks:     []sees{{owner: 7, want: true}, {owner: 8, want: false}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			done := make(chan *attain.Actor, 1)
			go func() { done <- attain.NewActor(&tt.user, 42, tt.teams) }()
			var a *attain.Actor
			select {
			case a = <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("NewActor did not return")
			}
			if a.UserID != tt.user.ID || a.WorkspaceID != 42 || a.Role != tt.user.Role {
				t.Errorf("actor = user %d, workspace %d, role %s", a.UserID, a.WorkspaceID, a.Role)
			}
			if len(a.OwnerIDs) == 0 || a.OwnerIDs[0] != tt.user.ID {
				t.Fatalf("OwnerIDs = %v, want the user first", a.OwnerIDs)
			}
			if tt.user.Role != attain.RoleAdmin {
				if diff := cmp.Diff(tt.wantOwners, a.OwnerIDs[1:], cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("OwnerIDs besides the user (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.wantTeams, a.TeamIDs, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("TeamIDs (-want +got):\n%s", diff)
				}
			}
			if slices.Contains(a.OwnerIDs[1:], tt.user.ID) {
				t.Errorf("OwnerIDs = %v lists the user twice", a.OwnerIDs)
			}
			for _, c := range tt.checks {
				if got := a.CanSee(c.owner, c.team); got != c.want {
					t.Errorf("CanSee(owner %d, team %d) = %v, want %v", c.owner, c.team, got, c.want)
				}
				if got := a.CanEdit(c.owner, c.team); got != c.want {
					t.Errorf("CanEdit(owner %d, team %d) = %v, want %v", c.owner, c.team, got, c.want)
				}
			}
		})
	}
}

func TestActorRequire(t *testing.T) {
	t.Parallel()
	tests := []struct {
		role attain.Role
		min  attain.Role
		ok   bool
	}{
		{attain.RoleRep, attain.RoleRep, true},
		{attain.RoleRep, attain.RoleManager, false},
		{attain.RoleRep, attain.RoleAdmin, false},
		{attain.RoleManager, attain.RoleManager, true},
		{attain.RoleManager, attain.RoleAdmin, false},
		{attain.RoleAdmin, attain.RoleAdmin, true},
		{attain.RoleAdmin, attain.RoleRep, true},
		{"", attain.RoleRep, false},
		{"owner", attain.RoleRep, false},
	}
	for _, tt := range tests {
		a := &attain.Actor{UserID: 1, Role: tt.role}
		err := a.Require(tt.min)
		if (err == nil) != tt.ok {
			t.Errorf("%q.Require(%s) = %v, want ok=%v", tt.role, tt.min, err, tt.ok)
		}
		if err != nil && attain.ErrorCode(err) != attain.EFORBIDDEN {
			t.Errorf("%q.Require(%s) code = %s, want forbidden", tt.role, tt.min, attain.ErrorCode(err))
		}
	}
	if err := attain.SystemActor(1).Require(attain.RoleAdmin); err != nil {
		t.Errorf("system actor: %v", err)
	}
	if !attain.SystemActor(1).CanSee(5, 0) {
		t.Error("system actor cannot see a record")
	}
}
