package store

import (
	"context"

	"github.com/attain-crm/attain"
)

// LoadActor resolves a member of a workspace into an actor with the owners
// and teams they may see.
func (tx *Tx) LoadActor(ctx context.Context, workspaceID, userID int64) (*attain.Actor, error) {
	u, err := tx.FindMember(ctx, workspaceID, userID)
	if err != nil {
		return nil, err
	}
	teams, err := tx.FindTeams(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	return attain.NewActor(u, workspaceID, teams), nil
}
