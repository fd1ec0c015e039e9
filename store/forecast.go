package store

import (
	"context"
	"fmt"

	"github.com/attain-crm/attain"
)

const submissionCols = `id, period, period_start, period_end, scope, user_id, team_id, currency, commit_amount,
	best_case_amount, prefill_commit, prefill_best_case, comment, submitted_at`

func scanSubmission(s interface{ Scan(...any) error }) (*attain.ForecastSubmission, error) {
	var f attain.ForecastSubmission
	err := s.Scan(&f.ID, &f.Period, &f.PeriodStart, &f.PeriodEnd, &f.Scope, &f.UserID, &f.TeamID, &f.Currency, &f.Commit,
		&f.BestCase, &f.PrefillCommit, &f.PrefillBestCase, &f.Comment, &f.SubmittedAt)
	return &f, err
}

// CreateSubmission stores a forecast submission (never changed afterwards).
func (tx *Tx) CreateSubmission(ctx context.Context, workspaceID int64, f *attain.ForecastSubmission) (*attain.ForecastSubmission, error) {
	id, err := tx.insert(ctx, `INSERT INTO forecast_submissions (workspace_id, period, period_start, period_end, scope, user_id,
		team_id, currency, commit_amount, best_case_amount, prefill_commit, prefill_best_case, comment, submitted_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		workspaceID, f.Period, f.PeriodStart, f.PeriodEnd, string(f.Scope), f.UserID, f.TeamID, f.Currency, f.Commit,
		f.BestCase, f.PrefillCommit, f.PrefillBestCase, f.Comment, tx.Now)
	if err != nil {
		return nil, fmt.Errorf("create forecast submission: %w", err)
	}
	return scanSubmission(tx.queryRow(ctx, `SELECT `+submissionCols+` FROM forecast_submissions WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
}

// SubmissionAccess limits the submissions a query returns: all of them, or
// those by UserIDs (rep submissions) and the calls for TeamIDs.
type SubmissionAccess = TargetAccess

// FindSubmissions lists submissions matching f that access allows, oldest
// first.
func (tx *Tx) FindSubmissions(ctx context.Context, workspaceID int64, f attain.ForecastFilter, access SubmissionAccess) ([]*attain.ForecastSubmission, error) {
	var ar args
	q := `SELECT ` + submissionCols + ` FROM forecast_submissions WHERE workspace_id = ` + ar.add(workspaceID)
	if f.Period != "" {
		q += ` AND period = ` + ar.add(f.Period)
	}
	if f.Scope != "" {
		q += ` AND scope = ` + ar.add(string(f.Scope))
	}
	if f.UserID != nil {
		q += ` AND user_id = ` + ar.add(*f.UserID)
	}
	if f.TeamID != nil {
		q += ` AND team_id = ` + ar.add(*f.TeamID)
	}
	if !access.All {
		q += ` AND ((scope = 'rep' AND user_id IN ` + ar.in(access.UserIDs) + `) OR team_id IN ` + ar.in(access.TeamIDs) + `)`
	}
	q += ` ORDER BY id LIMIT 10000`
	rows, err := tx.query(ctx, q, ar...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.ForecastSubmission
	for rows.Next() {
		s, err := scanSubmission(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// LatestSubmissions returns the newest submission of each forecast slot of
// a period (each rep's own, each team's call, the company's call), by id.
func (tx *Tx) LatestSubmissions(ctx context.Context, workspaceID int64, period string) ([]*attain.ForecastSubmission, error) {
	rows, err := tx.query(ctx, `SELECT `+submissionCols+` FROM forecast_submissions
		WHERE workspace_id = $1 AND id IN (
			SELECT MAX(id) FROM forecast_submissions WHERE workspace_id = $1 AND period = $2
			GROUP BY scope, CASE scope WHEN 'rep' THEN user_id WHEN 'team' THEN team_id ELSE 0 END)
		ORDER BY id`, workspaceID, period)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.ForecastSubmission
	for rows.Next() {
		s, err := scanSubmission(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ForecastDeals returns an owner's deals closing in [start, end] that are
// open or won, each with its effective forecast category (the owner's
// override, else its stage's), largest first.
func (tx *Tx) ForecastDeals(ctx context.Context, workspaceID, ownerID int64, start, end attain.Date) ([]*attain.ForecastDeal, []string, error) {
	rows, err := tx.query(ctx, `SELECT d.id, d.name, d.status, COALESCE(d.forecast_category, s.forecast_category), d.amount, d.close_date, d.currency
		FROM deals d JOIN stages s ON s.workspace_id = d.workspace_id AND s.id = d.stage_id
		WHERE d.workspace_id = $1 AND d.owner_id = $2 AND d.deleted_at IS NULL AND d.status <> 'lost'
		AND d.close_date >= $3 AND d.close_date <= $4
		ORDER BY d.amount DESC, d.id LIMIT 5000`, workspaceID, ownerID, start, end)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out []*attain.ForecastDeal
	var currencies []string
	for rows.Next() {
		var d attain.ForecastDeal
		var cur string
		if err := rows.Scan(&d.ID, &d.Name, &d.Status, &d.ForecastCategory, &d.Amount, &d.CloseDate, &cur); err != nil {
			return nil, nil, err
		}
		out = append(out, &d)
		currencies = append(currencies, cur)
	}
	return out, currencies, rows.Err()
}

// WonByOwner returns the amount of deals won with a close date in
// [start, end], in currency, per current owner. The demo's forecast history
// uses it as each quarter's actual (its won deals close on the day they are
// won and never change owner afterwards); forecast accuracy itself comes from
// the analytics model, by the time of the win and the owner at that time.
func (tx *Tx) WonByOwner(ctx context.Context, workspaceID int64, currency string, start, end attain.Date) (map[int64]int64, error) {
	rows, err := tx.query(ctx, `SELECT owner_id, SUM(amount) FROM deals
		WHERE workspace_id = $1 AND status = 'won' AND close_date >= $2 AND close_date <= $3
		AND currency = $4 AND deleted_at IS NULL
		GROUP BY owner_id`, workspaceID, start, end, currency)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var o, n int64
		if err := rows.Scan(&o, &n); err != nil {
			return nil, err
		}
		out[o] = n
	}
	return out, rows.Err()
}

// ClaimSnapshotWeek records that the snapshot of the week starting on
// weekStart is being taken. It reports false, changing nothing, when that
// week's snapshot was already taken: the snapshot is idempotent per week.
func (tx *Tx) ClaimSnapshotWeek(ctx context.Context, workspaceID int64, weekStart attain.Date, period string) (bool, error) {
	res, err := tx.exec(ctx, `INSERT INTO snapshot_weeks (workspace_id, week_start, period, taken_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (workspace_id, week_start) DO NOTHING`, workspaceID, weekStart, period, tx.Now)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ForecastSnapshot is one forecast as it stood in one week's snapshot.
type ForecastSnapshot struct {
	WeekStart    attain.Date
	Period       string
	Week         int
	Scope        attain.TargetScope
	UserID       *int64
	TeamID       *int64
	SubmissionID *int64
	Currency     string
	Commit       int64
	BestCase     int64
}

// InsertForecastSnapshot stores one forecast of a week's snapshot.
func (tx *Tx) InsertForecastSnapshot(ctx context.Context, workspaceID int64, s ForecastSnapshot) error {
	_, err := tx.exec(ctx, `INSERT INTO forecast_snapshots (workspace_id, week_start, period, week, scope, user_id, team_id,
		submission_id, currency, commit_amount, best_case_amount, taken_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		workspaceID, s.WeekStart, s.Period, s.Week, string(s.Scope), s.UserID, s.TeamID, s.SubmissionID, s.Currency,
		s.Commit, s.BestCase, tx.Now)
	return err
}

// SnapshotPipeline stores the open pipeline of the workspace as it is now,
// summed by owner, stage, forecast category and currency, under weekStart,
// and returns the number of rows stored.
func (tx *Tx) SnapshotPipeline(ctx context.Context, workspaceID int64, weekStart attain.Date) (int, error) {
	res, err := tx.exec(ctx, `INSERT INTO pipeline_snapshots (workspace_id, week_start, owner_id, stage_id, forecast_category, currency, amount, deals)
		SELECT d.workspace_id, $2, d.owner_id, d.stage_id, COALESCE(d.forecast_category, s.forecast_category), d.currency,
			SUM(d.amount), COUNT(*)
		FROM deals d JOIN stages s ON s.workspace_id = d.workspace_id AND s.id = d.stage_id
		WHERE d.workspace_id = $1 AND d.status = 'open' AND d.deleted_at IS NULL
		GROUP BY d.workspace_id, d.owner_id, d.stage_id, COALESCE(d.forecast_category, s.forecast_category), d.currency`,
		workspaceID, weekStart)
	if err != nil {
		return 0, fmt.Errorf("snapshot pipeline: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// FindForecastSnapshots lists the forecast snapshots of the given periods,
// by period, week and id.
func (tx *Tx) FindForecastSnapshots(ctx context.Context, workspaceID int64, periods []string) ([]*ForecastSnapshot, error) {
	var ar args
	q := `SELECT week_start, period, week, scope, user_id, team_id, submission_id, currency, commit_amount, best_case_amount
		FROM forecast_snapshots WHERE workspace_id = ` + ar.add(workspaceID) + ` AND period IN (`
	for i, p := range periods {
		if i > 0 {
			q += ", "
		}
		q += ar.add(p)
	}
	if len(periods) == 0 {
		q += "NULL"
	}
	q += `) ORDER BY period, week, id`
	rows, err := tx.query(ctx, q, ar...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ForecastSnapshot
	for rows.Next() {
		var s ForecastSnapshot
		if err := rows.Scan(&s.WeekStart, &s.Period, &s.Week, &s.Scope, &s.UserID, &s.TeamID, &s.SubmissionID, &s.Currency,
			&s.Commit, &s.BestCase); err != nil {
			return nil, err
		}
		out = append(out, &s)
	}
	return out, rows.Err()
}

// FindPipelineSnapshots lists one week's pipeline snapshot.
func (tx *Tx) FindPipelineSnapshots(ctx context.Context, workspaceID int64, weekStart attain.Date) ([]*attain.PipelineSnapshotRow, error) {
	rows, err := tx.query(ctx, `SELECT week_start, owner_id, stage_id, forecast_category, currency, amount, deals
		FROM pipeline_snapshots WHERE workspace_id = $1 AND week_start = $2 ORDER BY owner_id, stage_id, forecast_category, currency`,
		workspaceID, weekStart)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.PipelineSnapshotRow
	for rows.Next() {
		var r attain.PipelineSnapshotRow
		if err := rows.Scan(&r.WeekStart, &r.OwnerID, &r.StageID, &r.ForecastCategory, &r.Currency, &r.Amount, &r.Deals); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// SnapshotWorkspaceIDs lists every workspace, for the snapshot job to visit each.
func (tx *Tx) SnapshotWorkspaceIDs(ctx context.Context) ([]int64, error) {
	rows, err := tx.query(ctx, `SELECT id FROM workspaces ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
