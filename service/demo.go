package service

import (
	"context"
	"strings"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// SeedWorkspace creates a workspace with all its members in one transaction,
// set up like any new workspace (picklists, default pipeline, activity
// types). Members with the same password share one hash computation, so a
// demo of dozens of people is created in milliseconds. A member whose email
// already belongs to a user joins with that user, whose password becomes the
// one given here. The first member must be an admin.
func (s *Service) SeedWorkspace(ctx context.Context, name string, members []attain.NewUser) (*attain.Workspace, []*attain.User, error) {
	var v attain.Validation
	if len(members) == 0 || members[0].Role != attain.RoleAdmin {
		v.Add("members", "the first member must be an admin")
	}
	for i := range members {
		if err := members[i].Validate(); err != nil {
			v.Add("members", "member %d (%s): %v", i, members[i].Email, err)
		}
	}
	w := &attain.Workspace{Name: strings.TrimSpace(name), Slug: attain.Slugify(name)}
	if err := w.Validate(); err != nil {
		return nil, nil, err
	}
	if err := v.Err(); err != nil {
		return nil, nil, err
	}
	hashes := map[string]string{}
	for _, m := range members {
		if _, ok := hashes[m.Password]; ok {
			continue
		}
		h, err := s.hasher.Hash(m.Password)
		if err != nil {
			return nil, nil, err
		}
		hashes[m.Password] = h
	}
	users := make([]*attain.User, len(members))
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateWorkspace(ctx, w); err != nil {
			return err
		}
		a := attain.SystemActor(w.ID)
		for i, m := range members {
			u := &attain.User{Email: m.Email, Name: m.Name}
			created, err := tx.CreateUser(ctx, u, hashes[m.Password])
			if err != nil {
				return err
			}
			if !created {
				if err := tx.SetPassword(ctx, u.ID, hashes[m.Password]); err != nil {
					return err
				}
			}
			if err := tx.AddMember(ctx, w.ID, u.ID, m.Role); err != nil {
				return err
			}
			u.Role = m.Role
			users[i] = u
		}
		if err := s.setupWorkspace(ctx, tx, a); err != nil {
			return err
		}
		if err := tx.Audit(ctx, a, "create", "workspace", w.ID, nil, w); err != nil {
			return err
		}
		for _, u := range users {
			if err := tx.Audit(ctx, a, "create", "user", u.ID, nil, u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return w, users, nil
}

// PurgeWorkspace deletes a workspace and all its data for good; the audit
// log keeps what it recorded, and records the deletion. It is for the CLI
// (`attain demo --reset`), which only the operator can run.
func (s *Service) PurgeWorkspace(ctx context.Context, slug string) error {
	return s.db.WriteTx(ctx, func(tx *store.Tx) error {
		w, err := tx.FindWorkspaceBySlug(ctx, slug)
		if err != nil {
			return err
		}
		if err := tx.PurgeWorkspace(ctx, w.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, attain.SystemActor(w.ID), "delete", "workspace", w.ID, w, nil)
	})
}
