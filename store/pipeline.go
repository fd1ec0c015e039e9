package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/attain-crm/attain"
)

const pipelineCols = `id, name, is_default, current_version, allow_override, archived_at, created_at, updated_at, version`

func scanPipeline(s interface{ Scan(...any) error }) (*attain.Pipeline, error) {
	var p attain.Pipeline
	err := s.Scan(&p.ID, &p.Name, &p.IsDefault, &p.CurrentVersion, &p.AllowOverride, &p.ArchivedAt, &p.CreatedAt, &p.UpdatedAt, &p.Version)
	return &p, err
}

const stageCols = `id, pipeline_id, name, position, probability, forecast_category, outcome, buyer_step, description, exit_criteria, archived_at`

func scanStage(s interface{ Scan(...any) error }) (*attain.Stage, error) {
	var st attain.Stage
	var crit string
	err := s.Scan(&st.ID, &st.PipelineID, &st.Name, &st.Position, &st.Probability, &st.ForecastCategory, &st.Outcome,
		&st.BuyerStep, &st.Description, &crit, &st.ArchivedAt)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(crit), &st.ExitCriteria); err != nil {
		return nil, fmt.Errorf("stage %d exit criteria: %w", st.ID, err)
	}
	if st.ExitCriteria.Fields == nil {
		st.ExitCriteria.Fields = []string{}
	}
	if st.ExitCriteria.Activities == nil {
		st.ExitCriteria.Activities = []attain.ActivityRequirement{}
	}
	return &st, nil
}

// FindPipelines lists the workspace's pipelines, the default first, each
// with its active stages in order.
func (tx *Tx) FindPipelines(ctx context.Context, workspaceID int64) ([]*attain.Pipeline, error) {
	rows, err := tx.query(ctx, `SELECT `+pipelineCols+` FROM pipelines WHERE workspace_id = $1
		ORDER BY is_default DESC, archived_at IS NOT NULL, name, id`, workspaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.Pipeline
	byID := map[int64]*attain.Pipeline{}
	for rows.Next() {
		p, err := scanPipeline(rows)
		if err != nil {
			return nil, err
		}
		p.Stages = []*attain.Stage{}
		out = append(out, p)
		byID[p.ID] = p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	stages, err := tx.findStages(ctx, workspaceID, 0, false)
	if err != nil {
		return nil, err
	}
	for _, s := range stages {
		if p := byID[s.PipelineID]; p != nil {
			p.Stages = append(p.Stages, s)
		}
	}
	return out, nil
}

// FindPipeline returns one pipeline with its active stages in order.
func (tx *Tx) FindPipeline(ctx context.Context, workspaceID, id int64) (*attain.Pipeline, error) {
	p, err := scanPipeline(tx.queryRow(ctx, `SELECT `+pipelineCols+` FROM pipelines WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
	if err != nil {
		return nil, notFound(err, "Pipeline")
	}
	p.Stages, err = tx.findStages(ctx, workspaceID, id, false)
	return p, err
}

// FindDefaultPipeline returns the pipeline new deals go to.
func (tx *Tx) FindDefaultPipeline(ctx context.Context, workspaceID int64) (*attain.Pipeline, error) {
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM pipelines WHERE workspace_id = $1 AND is_default AND archived_at IS NULL`, workspaceID).Scan(&id)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, attain.Errorf(attain.ENOTFOUND, "This workspace has no default pipeline; an admin can create one (POST /api/v1/pipelines).")
		}
		return nil, err
	}
	return tx.FindPipeline(ctx, workspaceID, id)
}

// FindStage returns a stage, archived or not.
func (tx *Tx) FindStage(ctx context.Context, workspaceID, id int64) (*attain.Stage, error) {
	s, err := scanStage(tx.queryRow(ctx, `SELECT `+stageCols+` FROM stages WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
	return s, notFound(err, "Stage")
}

// findStages lists stages by pipeline and position: of one pipeline, or of
// all when pipelineID is 0; archived ones only when asked.
func (tx *Tx) findStages(ctx context.Context, workspaceID, pipelineID int64, archived bool) ([]*attain.Stage, error) {
	var ar args
	q := `SELECT ` + stageCols + ` FROM stages WHERE workspace_id = ` + ar.add(workspaceID)
	if pipelineID != 0 {
		q += ` AND pipeline_id = ` + ar.add(pipelineID)
	}
	if !archived {
		q += ` AND archived_at IS NULL`
	}
	rows, err := tx.query(ctx, q+` ORDER BY pipeline_id, position, id`, ar...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.Stage
	for rows.Next() {
		s, err := scanStage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// CreatePipeline inserts a pipeline with its stages as version 1, and makes
// it the default if asked (the previous default stops being it).
func (tx *Tx) CreatePipeline(ctx context.Context, workspaceID int64, in attain.PipelineInput, createdBy *int64) (*attain.Pipeline, error) {
	if in.IsDefault {
		if err := tx.clearDefaultPipeline(ctx, workspaceID); err != nil {
			return nil, err
		}
	}
	id, err := tx.insert(ctx, `INSERT INTO pipelines (workspace_id, name, is_default, current_version, allow_override, created_at, updated_at)
		VALUES ($1, $2, $3, 1, $4, $5, $5)`, workspaceID, in.Name, in.IsDefault, in.AllowOverride, tx.Now)
	if attain.ErrorCode(err) == attain.ECONFLICT {
		return nil, attain.Invalid("name", "is taken by another pipeline")
	}
	if err != nil {
		return nil, err
	}
	for i, s := range in.Stages {
		if s.ID != nil {
			return nil, attain.Invalid(fmt.Sprintf("stages[%d].id", i), "a new pipeline has no stages yet; leave id out")
		}
		if _, err := tx.insertStage(ctx, workspaceID, id, i, s); err != nil {
			return nil, err
		}
	}
	p, err := tx.FindPipeline(ctx, workspaceID, id)
	if err != nil {
		return nil, err
	}
	return p, tx.snapshotPipeline(ctx, workspaceID, p, createdBy)
}

func (tx *Tx) clearDefaultPipeline(ctx context.Context, workspaceID int64) error {
	_, err := tx.exec(ctx, `UPDATE pipelines SET is_default = FALSE, updated_at = $1, version = version + 1
		WHERE workspace_id = $2 AND is_default`, tx.Now, workspaceID)
	return err
}

func (tx *Tx) insertStage(ctx context.Context, workspaceID, pipelineID int64, position int, s attain.StageInput) (int64, error) {
	crit, err := json.Marshal(s.ExitCriteria)
	if err != nil {
		return 0, err
	}
	return tx.insert(ctx, `INSERT INTO stages (workspace_id, pipeline_id, name, position, probability, forecast_category, outcome,
		buyer_step, description, exit_criteria, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		workspaceID, pipelineID, s.Name, position, *s.Probability, s.ForecastCategory, s.Outcome, s.BuyerStep, s.Description, string(crit), tx.Now)
}

// snapshotPipeline stores the pipeline's current stages as its current
// version, immutable from then on.
func (tx *Tx) snapshotPipeline(ctx context.Context, workspaceID int64, p *attain.Pipeline, createdBy *int64) error {
	b, err := json.Marshal(p.Stages)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO pipeline_versions (workspace_id, pipeline_id, version, stages, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6)`, workspaceID, p.ID, p.CurrentVersion, string(b), tx.Now, createdBy)
	return err
}

// UpdatePipeline writes a pipeline's settings if version still matches.
func (tx *Tx) UpdatePipeline(ctx context.Context, workspaceID, version int64, p *attain.Pipeline) error {
	if p.IsDefault {
		if err := tx.clearDefaultPipelineExcept(ctx, workspaceID, p.ID); err != nil {
			return err
		}
	}
	err := tx.checkVersion(ctx, "pipelines", "Pipeline",
		`UPDATE pipelines SET name = $1, is_default = $2, allow_override = $3, archived_at = $4, updated_at = $5, version = version + 1
		 WHERE workspace_id = $6 AND id = $7 AND ($8 = 0 OR version = $8)`,
		`SELECT 1 FROM pipelines WHERE workspace_id = $1 AND id = $2`, []any{workspaceID, p.ID},
		p.Name, p.IsDefault, p.AllowOverride, p.ArchivedAt, tx.Now, workspaceID, p.ID, version)
	if attain.ErrorCode(err) == attain.ECONFLICT {
		return attain.Invalid("name", "is taken by another pipeline")
	}
	return err
}

func (tx *Tx) clearDefaultPipelineExcept(ctx context.Context, workspaceID, id int64) error {
	_, err := tx.exec(ctx, `UPDATE pipelines SET is_default = FALSE, updated_at = $1, version = version + 1
		WHERE workspace_id = $2 AND is_default AND id <> $3`, tx.Now, workspaceID, id)
	return err
}

// ReplaceStages writes a pipeline's new ordered stage list as its next
// version, if version (the pipeline's ETag) still matches. Listed stages with
// an id keep their identity (and deals); stages left out are archived, never
// deleted, and refused while open deals are in them. A stage's outcome
// cannot change, since deals that closed in it would change meaning.
func (tx *Tx) ReplaceStages(ctx context.Context, workspaceID, id, version int64, stages []attain.StageInput, createdBy *int64) (*attain.Pipeline, error) {
	err := tx.checkVersion(ctx, "pipelines", "Pipeline",
		`UPDATE pipelines SET current_version = current_version + 1, updated_at = $1, version = version + 1
		 WHERE workspace_id = $2 AND id = $3 AND ($4 = 0 OR version = $4)`,
		`SELECT 1 FROM pipelines WHERE workspace_id = $1 AND id = $2`, []any{workspaceID, id},
		tx.Now, workspaceID, id, version)
	if err != nil {
		return nil, err
	}
	existing, err := tx.findStages(ctx, workspaceID, id, true)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*attain.Stage{}
	for _, s := range existing {
		byID[s.ID] = s
	}
	var v attain.Validation
	kept := map[int64]bool{}
	for i, s := range stages {
		if s.ID == nil {
			continue
		}
		f := fmt.Sprintf("stages[%d]", i)
		old := byID[*s.ID]
		if old == nil {
			v.Add(f+".id", "stage %d is not a stage of this pipeline", *s.ID)
			continue
		}
		if old.Outcome != s.Outcome {
			v.Add(f+".outcome", "stage %q is %s and stays so; add a new stage instead", old.Name, old.Outcome)
		}
		kept[*s.ID] = true
	}
	for _, s := range existing {
		if s.ArchivedAt != nil || kept[s.ID] {
			continue
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT count(*) FROM deals WHERE workspace_id = $1 AND stage_id = $2 AND status = 'open' AND deleted_at IS NULL`,
			workspaceID, s.ID).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			v.Add("stages", "stage %q (id %d) still has %d open deals; keep it, or move them first", s.Name, s.ID, n)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	for _, s := range existing {
		if s.ArchivedAt == nil && !kept[s.ID] {
			if _, err := tx.exec(ctx, `UPDATE stages SET archived_at = $1 WHERE workspace_id = $2 AND id = $3`, tx.Now, workspaceID, s.ID); err != nil {
				return nil, err
			}
		}
	}
	for i, s := range stages {
		if s.ID == nil {
			if _, err := tx.insertStage(ctx, workspaceID, id, i, s); err != nil {
				return nil, err
			}
			continue
		}
		crit, err := json.Marshal(s.ExitCriteria)
		if err != nil {
			return nil, err
		}
		_, err = tx.exec(ctx, `UPDATE stages SET name = $1, position = $2, probability = $3, forecast_category = $4,
			buyer_step = $5, description = $6, exit_criteria = $7, archived_at = NULL WHERE workspace_id = $8 AND id = $9`,
			s.Name, i, *s.Probability, s.ForecastCategory, s.BuyerStep, s.Description, string(crit), workspaceID, *s.ID)
		if err != nil {
			return nil, err
		}
	}
	p, err := tx.FindPipeline(ctx, workspaceID, id)
	if err != nil {
		return nil, err
	}
	return p, tx.snapshotPipeline(ctx, workspaceID, p, createdBy)
}

// FindPipelineVersions lists every version of a pipeline's stages, newest
// first.
func (tx *Tx) FindPipelineVersions(ctx context.Context, workspaceID, id int64) ([]*attain.PipelineVersion, error) {
	rows, err := tx.query(ctx, `SELECT pipeline_id, version, stages, created_at, created_by FROM pipeline_versions
		WHERE workspace_id = $1 AND pipeline_id = $2 ORDER BY version DESC`, workspaceID, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.PipelineVersion
	for rows.Next() {
		var pv attain.PipelineVersion
		var stages string
		if err := rows.Scan(&pv.PipelineID, &pv.Version, &stages, &pv.CreatedAt, &pv.CreatedBy); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(stages), &pv.Stages); err != nil {
			return nil, fmt.Errorf("pipeline %d version %d: %w", id, pv.Version, err)
		}
		out = append(out, &pv)
	}
	return out, rows.Err()
}

// ProcessKeys returns what exit criteria may name besides deal fields: the
// workspace's activity type keys and the keys of its custom deal fields.
func (tx *Tx) ProcessKeys(ctx context.Context, workspaceID int64) (activityTypes, customFields map[string]bool, err error) {
	activityTypes, customFields = map[string]bool{}, map[string]bool{}
	for _, q := range []struct {
		sql string
		m   map[string]bool
	}{
		{`SELECT key FROM activity_types WHERE workspace_id = $1`, activityTypes},
		{`SELECT key FROM custom_fields WHERE workspace_id = $1 AND entity_type = 'deal'`, customFields},
	} {
		rows, err := tx.query(ctx, q.sql, workspaceID)
		if err != nil {
			return nil, nil, err
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, nil, err
			}
			q.m[k] = true
		}
		if err := rows.Close(); err != nil {
			return nil, nil, err
		}
	}
	return activityTypes, customFields, nil
}
