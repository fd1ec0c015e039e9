package service

import (
	"context"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// ListUsers returns a page of the workspace's members; every member reads
// them, as FindUsers.
func (s *Service) ListUsers(ctx context.Context, a *attain.Actor, q attain.ListQuery) ([]*attain.User, string, error) {
	var out []*attain.User
	var next string
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, next, err = tx.ListMembers(ctx, a.WorkspaceID, q)
		return err
	})
	return out, next, err
}

// ListTeams returns a page of the workspace's teams with their members.
func (s *Service) ListTeams(ctx context.Context, a *attain.Actor, q attain.ListQuery) ([]*attain.Team, string, error) {
	var out []*attain.Team
	var next string
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, next, err = tx.ListTeams(ctx, a.WorkspaceID, q)
		return err
	})
	return out, next, err
}

// ListTokens returns a page of the actor's own API tokens, newest first.
func (s *Service) ListTokens(ctx context.Context, a *attain.Actor, q attain.ListQuery) ([]*attain.APIToken, string, error) {
	var out []*attain.APIToken
	var next string
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, next, err = tx.ListTokens(ctx, a.WorkspaceID, a.UserID, q)
		return err
	})
	return out, next, err
}
