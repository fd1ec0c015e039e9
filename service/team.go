package service

import (
	"context"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// CreateTeam creates a team; admins only.
func (s *Service) CreateTeam(ctx context.Context, a *attain.Actor, in attain.TeamInput) (*attain.Team, error) {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var t *attain.Team
	err := s.db.WriteTx(ctx, func(tx *store.Tx) (err error) {
		if err := checkTeamRefs(ctx, tx, a.WorkspaceID, 0, in); err != nil {
			return err
		}
		if t, err = tx.CreateTeam(ctx, a.WorkspaceID, in); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "create", "team", t.ID, nil, t)
	})
	return t, err
}

// FindTeams lists the workspace's teams; every member may see the structure.
func (s *Service) FindTeams(ctx context.Context, a *attain.Actor) ([]*attain.Team, error) {
	var out []*attain.Team
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindTeams(ctx, a.WorkspaceID)
		return err
	})
	return out, err
}

// FindTeam returns one team.
func (s *Service) FindTeam(ctx context.Context, a *attain.Actor, id int64) (*attain.Team, error) {
	var t *attain.Team
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		t, err = tx.FindTeam(ctx, a.WorkspaceID, id)
		return err
	})
	return t, err
}

// UpdateTeam replaces a team's name, manager, parent and members; admins only.
func (s *Service) UpdateTeam(ctx context.Context, a *attain.Actor, id, version int64, in attain.TeamInput) (*attain.Team, error) {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var t *attain.Team
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := tx.FindTeam(ctx, a.WorkspaceID, id)
		if err != nil {
			return err
		}
		if err := checkTeamRefs(ctx, tx, a.WorkspaceID, id, in); err != nil {
			return err
		}
		if t, err = tx.UpdateTeam(ctx, a.WorkspaceID, id, version, in); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "update", "team", id, before, t)
	})
	return t, err
}

// DeleteTeam deletes a team without sub-teams; admins only.
func (s *Service) DeleteTeam(ctx context.Context, a *attain.Actor, id, version int64) error {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return err
	}
	return s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := tx.FindTeam(ctx, a.WorkspaceID, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteTeam(ctx, a.WorkspaceID, id, version); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "delete", "team", id, before, nil)
	})
}

// checkTeamRefs checks that the manager and members belong to the workspace
// and that the parent exists and does not make the hierarchy a cycle.
func checkTeamRefs(ctx context.Context, tx *store.Tx, workspaceID, id int64, in attain.TeamInput) error {
	var v attain.Validation
	if in.ManagerID != nil {
		if _, err := tx.FindMember(ctx, workspaceID, *in.ManagerID); err != nil {
			if attain.ErrorCode(err) != attain.ENOTFOUND {
				return err
			}
			v.Add("manager_id", "is not a member of this workspace")
		}
	}
	for _, m := range in.MemberIDs {
		if _, err := tx.FindMember(ctx, workspaceID, m); err != nil {
			if attain.ErrorCode(err) != attain.ENOTFOUND {
				return err
			}
			v.Add("member_ids", "user %d is not a member of this workspace", m)
		}
	}
	if in.ParentID != nil {
		teams, err := tx.FindTeams(ctx, workspaceID)
		if err != nil {
			return err
		}
		parent := map[int64]*int64{}
		for _, t := range teams {
			parent[t.ID] = t.ParentID
		}
		if _, ok := parent[*in.ParentID]; !ok {
			v.Add("parent_id", "is not a team of this workspace")
		} else {
			for p := in.ParentID; p != nil; p = parent[*p] {
				if *p == id {
					v.Add("parent_id", "would make the team its own ancestor")
					break
				}
			}
		}
	}
	return v.Err()
}
