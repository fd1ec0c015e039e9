package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/attain-crm/attain"
)

// FindPlanning returns the workspace's planning settings, or the defaults
// when it set none.
func (tx *Tx) FindPlanning(ctx context.Context, workspaceID int64) (attain.PlanningSettings, error) {
	var p attain.PlanningSettings
	var m int
	err := tx.queryRow(ctx, `SELECT fiscal_start_month, currency FROM planning_settings WHERE workspace_id = $1`, workspaceID).Scan(&m, &p.Currency)
	if errors.Is(err, sql.ErrNoRows) {
		return attain.DefaultPlanning, nil
	}
	p.FiscalStartMonth = time.Month(m)
	return p, err
}

// SetPlanning stores the workspace's planning settings.
func (tx *Tx) SetPlanning(ctx context.Context, workspaceID int64, p attain.PlanningSettings) error {
	_, err := tx.exec(ctx, `INSERT INTO planning_settings (workspace_id, fiscal_start_month, currency, updated_at)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (workspace_id) DO UPDATE SET fiscal_start_month = excluded.fiscal_start_month,
			currency = excluded.currency, updated_at = excluded.updated_at, version = planning_settings.version + 1`,
		workspaceID, int(p.FiscalStartMonth), p.Currency, tx.Now)
	return err
}

const targetCols = `id, period, period_start, period_end, kind, activity_type, scope, team_id, user_id, currency,
	amount, proposed_amount, full_amount, ramp_bp, status, source, reason, proposal_comment, approved_by,
	created_at, updated_at, version`

func scanTarget(s interface{ Scan(...any) error }) (*attain.Target, error) {
	var t attain.Target
	err := s.Scan(&t.ID, &t.Period, &t.PeriodStart, &t.PeriodEnd, &t.Kind, &t.ActivityType, &t.Scope, &t.TeamID, &t.UserID,
		&t.Currency, &t.Amount, &t.ProposedAmount, &t.FullAmount, &t.RampBP, &t.Status, &t.Source, &t.Reason,
		&t.ProposalComment, &t.ApprovedBy, &t.CreatedAt, &t.UpdatedAt, &t.Version)
	if err == nil && t.Amount != nil && t.ProposedAmount != nil {
		d := *t.Amount - *t.ProposedAmount
		t.Difference = &d
	}
	return &t, err
}

// TargetAccess limits the targets a query returns: all of them, or the rep
// targets of UserIDs and the team targets of TeamIDs.
type TargetAccess struct {
	All     bool
	UserIDs []int64
	TeamIDs []int64
}

// FindTargets lists targets matching f that access allows, by period, kind,
// scope and id.
func (tx *Tx) FindTargets(ctx context.Context, workspaceID int64, f attain.TargetFilter, access TargetAccess) ([]*attain.Target, error) {
	var ar args
	q := `SELECT ` + targetCols + ` FROM targets WHERE workspace_id = ` + ar.add(workspaceID)
	if f.Period != "" {
		q += ` AND period = ` + ar.add(f.Period)
	}
	if f.Kind != "" {
		q += ` AND kind = ` + ar.add(string(f.Kind))
	}
	if f.Scope != "" {
		q += ` AND scope = ` + ar.add(string(f.Scope))
	}
	if f.TeamID != nil {
		q += ` AND team_id = ` + ar.add(*f.TeamID)
	}
	if f.UserID != nil {
		q += ` AND user_id = ` + ar.add(*f.UserID)
	}
	if f.Status != "" {
		q += ` AND status = ` + ar.add(f.Status)
	}
	if !access.All {
		q += ` AND (user_id IN ` + ar.in(access.UserIDs) + ` OR team_id IN ` + ar.in(access.TeamIDs) + `)`
	}
	q += ` ORDER BY period_start, period, kind, activity_type, scope, team_id, user_id, id LIMIT 10000`
	rows, err := tx.query(ctx, q, ar...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.Target
	for rows.Next() {
		t, err := scanTarget(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// FindTarget returns one target.
func (tx *Tx) FindTarget(ctx context.Context, workspaceID, id int64) (*attain.Target, error) {
	t, err := scanTarget(tx.queryRow(ctx, `SELECT `+targetCols+` FROM targets WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
	if err != nil {
		return nil, notFound(err, "Target")
	}
	return t, nil
}

// FindTargetByKey returns the target in slot k, or nil when there is none.
func (tx *Tx) FindTargetByKey(ctx context.Context, workspaceID int64, k attain.TargetKey) (*attain.Target, error) {
	var team, user int64
	if k.TeamID != nil {
		team = *k.TeamID
	}
	if k.UserID != nil {
		user = *k.UserID
	}
	t, err := scanTarget(tx.queryRow(ctx, `SELECT `+targetCols+` FROM targets
		WHERE workspace_id = $1 AND period = $2 AND kind = $3 AND activity_type = $4 AND scope = $5
		AND COALESCE(team_id, 0) = $6 AND COALESCE(user_id, 0) = $7`,
		workspaceID, k.Period, string(k.Kind), k.ActivityType, string(k.Scope), team, user))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return t, err
}

// CreateTarget inserts t and returns it as stored.
func (tx *Tx) CreateTarget(ctx context.Context, workspaceID int64, t *attain.Target) (*attain.Target, error) {
	id, err := tx.insert(ctx, `INSERT INTO targets (workspace_id, period, period_start, period_end, kind, activity_type,
		scope, team_id, user_id, currency, amount, proposed_amount, full_amount, ramp_bp, status, source, reason,
		proposal_comment, approved_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20)`,
		workspaceID, t.Period, t.PeriodStart, t.PeriodEnd, string(t.Kind), t.ActivityType, string(t.Scope), t.TeamID, t.UserID,
		t.Currency, t.Amount, t.ProposedAmount, t.FullAmount, t.RampBP, t.Status, t.Source, t.Reason, t.ProposalComment,
		t.ApprovedBy, tx.Now)
	if attain.ErrorCode(err) == attain.ECONFLICT {
		return nil, attain.Errorf(attain.ECONFLICT, "This target was just set by someone else; reload and try again.")
	}
	if err != nil {
		return nil, fmt.Errorf("create target: %w", err)
	}
	return tx.FindTarget(ctx, workspaceID, id)
}

// UpdateTarget writes t's amounts, status and reasons if version (0: any)
// still matches.
func (tx *Tx) UpdateTarget(ctx context.Context, workspaceID int64, t *attain.Target, version int64) (*attain.Target, error) {
	err := tx.checkVersion(ctx, "targets", "Target",
		`UPDATE targets SET currency = $1, amount = $2, proposed_amount = $3, full_amount = $4, ramp_bp = $5, status = $6,
			source = $7, reason = $8, proposal_comment = $9, approved_by = $10, updated_at = $11, version = version + 1
		 WHERE workspace_id = $12 AND id = $13 AND ($14 = 0 OR version = $14)`,
		`SELECT 1 FROM targets WHERE workspace_id = $1 AND id = $2`, []any{workspaceID, t.ID},
		t.Currency, t.Amount, t.ProposedAmount, t.FullAmount, t.RampBP, t.Status, t.Source, t.Reason, t.ProposalComment,
		t.ApprovedBy, tx.Now, workspaceID, t.ID, version)
	if err != nil {
		return nil, err
	}
	return tx.FindTarget(ctx, workspaceID, t.ID)
}

// FindRamp returns a rep's ramp, or nil when they have none.
func (tx *Tx) FindRamp(ctx context.Context, workspaceID, userID int64) (*attain.Ramp, error) {
	r := attain.Ramp{UserID: userID}
	var percents string
	err := tx.queryRow(ctx, `SELECT start_date, percents, updated_at, version FROM rep_ramps WHERE workspace_id = $1 AND user_id = $2`,
		workspaceID, userID).Scan(&r.Start, &percents, &r.UpdatedAt, &r.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(percents), &r.Percents); err != nil {
		return nil, fmt.Errorf("ramp of user %d: %w", userID, err)
	}
	return &r, nil
}

// SetRamp stores a rep's ramp, replacing any earlier one.
func (tx *Tx) SetRamp(ctx context.Context, workspaceID, userID int64, in attain.RampInput) (*attain.Ramp, error) {
	b, err := json.Marshal(in.Percents)
	if err != nil {
		return nil, err
	}
	_, err = tx.exec(ctx, `INSERT INTO rep_ramps (workspace_id, user_id, start_date, percents, updated_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (workspace_id, user_id) DO UPDATE SET start_date = excluded.start_date, percents = excluded.percents,
			updated_at = excluded.updated_at, version = rep_ramps.version + 1`,
		workspaceID, userID, in.Start, string(b), tx.Now)
	if attain.ErrorCode(err) == attain.EINVALID {
		return nil, attain.Errorf(attain.ENOTFOUND, "Member not found.")
	}
	if err != nil {
		return nil, err
	}
	return tx.FindRamp(ctx, workspaceID, userID)
}
