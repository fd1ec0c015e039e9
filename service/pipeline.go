package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// FindPipelines lists the workspace's pipelines; every member reads the
// process they work in.
func (s *Service) FindPipelines(ctx context.Context, a *attain.Actor) ([]*attain.Pipeline, error) {
	var out []*attain.Pipeline
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindPipelines(ctx, a.WorkspaceID)
		return err
	})
	return out, err
}

// FindPipeline returns one pipeline with its active stages.
func (s *Service) FindPipeline(ctx context.Context, a *attain.Actor, id int64) (*attain.Pipeline, error) {
	var p *attain.Pipeline
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		p, err = tx.FindPipeline(ctx, a.WorkspaceID, id)
		return err
	})
	return p, err
}

// CreatePipeline creates a pipeline with its stages as version 1; admins
// only.
func (s *Service) CreatePipeline(ctx context.Context, a *attain.Actor, in attain.PipelineInput) (*attain.Pipeline, error) {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var p *attain.Pipeline
	err := s.db.WriteTx(ctx, func(tx *store.Tx) (err error) {
		if err := checkProcessKeys(ctx, tx, a.WorkspaceID, in.Stages); err != nil {
			return err
		}
		if p, err = tx.CreatePipeline(ctx, a.WorkspaceID, in, actorID(a)); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "create", "pipeline", p.ID, nil, p)
	})
	return p, err
}

// UpdatePipeline renames a pipeline, makes it the default, allows or forbids
// overrides, or archives or restores it; admins only. The default pipeline
// cannot be archived: new deals need somewhere to go.
func (s *Service) UpdatePipeline(ctx context.Context, a *attain.Actor, id, version int64, in attain.PipelineUpdate) (*attain.Pipeline, error) {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var p *attain.Pipeline
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := tx.FindPipeline(ctx, a.WorkspaceID, id)
		if err != nil {
			return err
		}
		after := *before
		if in.Name != nil {
			after.Name = *in.Name
		}
		if in.AllowOverride != nil {
			after.AllowOverride = *in.AllowOverride
		}
		if in.IsDefault != nil {
			after.IsDefault = true
		}
		if in.Archived != nil {
			switch {
			case *in.Archived && after.ArchivedAt == nil:
				now := tx.Now
				after.ArchivedAt = &now
			case !*in.Archived:
				after.ArchivedAt = nil
			}
		}
		if after.IsDefault && after.ArchivedAt != nil {
			return attain.Invalid("archived", "the default pipeline cannot be archived; make another pipeline the default first")
		}
		if err := editable(false, before.Version, version, "pipeline"); err != nil {
			return err
		}
		// Conditional on the version read, so a concurrent change is not undone.
		if err := tx.UpdatePipeline(ctx, a.WorkspaceID, before.Version, &after); err != nil {
			return err
		}
		if p, err = tx.FindPipeline(ctx, a.WorkspaceID, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "update", "pipeline", id, before, p)
	})
	return p, err
}

// ArchivePipeline archives a pipeline that is not the default; admins only.
// Its deals keep their stages and history.
func (s *Service) ArchivePipeline(ctx context.Context, a *attain.Actor, id, version int64) error {
	yes := true
	_, err := s.UpdatePipeline(ctx, a, id, version, attain.PipelineUpdate{Archived: &yes})
	return err
}

// ReplaceStages writes a pipeline's ordered stages as its next version;
// admins only. version is the pipeline's ETag (0: no check).
func (s *Service) ReplaceStages(ctx context.Context, a *attain.Actor, id, version int64, in attain.StagesInput) (*attain.Pipeline, error) {
	if err := a.Require(attain.RoleAdmin); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var p *attain.Pipeline
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := tx.FindPipeline(ctx, a.WorkspaceID, id)
		if err != nil {
			return err
		}
		if err := checkProcessKeys(ctx, tx, a.WorkspaceID, in.Stages); err != nil {
			return err
		}
		if p, err = tx.ReplaceStages(ctx, a.WorkspaceID, id, version, in.Stages, actorID(a)); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "update_stages", "pipeline", id, before, p)
	})
	return p, err
}

// FindPipelineVersions lists every version of a pipeline's stages, newest
// first.
func (s *Service) FindPipelineVersions(ctx context.Context, a *attain.Actor, id int64) ([]*attain.PipelineVersion, error) {
	var out []*attain.PipelineVersion
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.FindPipeline(ctx, a.WorkspaceID, id); err != nil {
			return err
		}
		var err error
		out, err = tx.FindPipelineVersions(ctx, a.WorkspaceID, id)
		return err
	})
	return out, err
}

// checkProcessKeys checks that exit criteria name activity types and custom
// deal fields that exist, so a typo cannot make a stage impossible to leave.
func checkProcessKeys(ctx context.Context, tx *store.Tx, workspaceID int64, stages []attain.StageInput) error {
	types, custom, err := tx.ProcessKeys(ctx, workspaceID)
	if err != nil {
		return err
	}
	var v attain.Validation
	for i, s := range stages {
		f := fmt.Sprintf("stages[%d].exit_criteria", i)
		for j, name := range s.ExitCriteria.Fields {
			if key, ok := strings.CutPrefix(name, "custom."); ok && !custom[key] {
				v.Add(fmt.Sprintf("%s.fields[%d]", f, j), "%q is not a custom deal field; known: %s", key, keyList(custom))
			}
		}
		for j, r := range s.ExitCriteria.Activities {
			if !types[r.Type] {
				v.Add(fmt.Sprintf("%s.activities[%d].type", f, j), "%q is not an activity type; known: %s", r.Type, keyList(types))
			}
		}
	}
	return v.Err()
}

func keyList(m map[string]bool) string {
	if len(m) == 0 {
		return "none yet"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return strings.Join(keys, ", ")
}

// actorID is the user behind a write, or nil for Attain itself.
func actorID(a *attain.Actor) *int64 {
	if a.System {
		return nil
	}
	id := a.UserID
	return &id
}

// seedPipeline gives a new workspace the default pipeline. Its exit criteria
// name the default activity types, seeded beside it.
func seedPipeline(ctx context.Context, tx *store.Tx, a *attain.Actor) error {
	in := attain.DefaultPipeline()
	if err := in.Validate(); err != nil {
		return fmt.Errorf("default pipeline: %w", err)
	}
	p, err := tx.CreatePipeline(ctx, a.WorkspaceID, in, nil)
	if err != nil {
		return fmt.Errorf("seed default pipeline: %w", err)
	}
	return tx.Audit(ctx, a, "create", "pipeline", p.ID, nil, p)
}
