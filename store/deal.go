package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/attain-crm/attain"
)

// dealSelect reads deals with the stage fields derived from them; the
// effective forecast category is the owner's override or the stage's.
const dealSelect = `SELECT d.id, d.name, d.account_id, d.primary_contact_id, d.pipeline_id, d.stage_id, d.status,
	d.amount, d.currency, d.margin, d.close_date, d.close_date_estimated, d.owner_id, d.team_id, d.forecast_category,
	d.next_step, d.reason, d.reason_note, d.closed_at, d.stage_entered_at, d.last_activity_at, d.lead_id, d.custom,
	d.external_id, d.created_at, d.updated_at, d.deleted_at, d.version,
	s.name, s.probability, COALESCE(d.forecast_category, s.forecast_category) FROM deals d JOIN stages s ON s.workspace_id = d.workspace_id AND s.id = d.stage_id`

func scanDeal(s interface{ Scan(...any) error }) (*attain.Deal, error) {
	var d attain.Deal
	var custom string
	var prob int
	err := s.Scan(&d.ID, &d.Name, &d.AccountID, &d.PrimaryContactID, &d.PipelineID, &d.StageID, &d.Status,
		&d.Amount, &d.Currency, &d.Margin, &d.CloseDate, &d.CloseDateEstimated, &d.OwnerID, &d.TeamID, &d.ForecastOverride,
		&d.NextStep, &d.Reason, &d.ReasonNote, &d.ClosedAt, &d.StageEnteredAt, &d.LastActivityAt, &d.LeadID, &custom,
		&d.ExternalID, &d.CreatedAt, &d.UpdatedAt, &d.DeletedAt, &d.Version,
		&d.StageName, &prob, &d.ForecastCategory)
	if err != nil {
		return nil, err
	}
	d.Probability = &prob
	if err := json.Unmarshal([]byte(custom), &d.Custom); err != nil {
		return nil, fmt.Errorf("deal %d custom fields: %w", d.ID, err)
	}
	return &d, nil
}

func customJSON(m map[string]json.RawMessage) (string, error) {
	if len(m) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(m)
	return string(b), err
}

// CreateDeal inserts a deal and fills in its id, timestamps and version.
// The caller opens its first stage history row.
func (tx *Tx) CreateDeal(ctx context.Context, workspaceID int64, d *attain.Deal) error {
	custom, err := customJSON(d.Custom)
	if err != nil {
		return err
	}
	d.CreatedAt, d.UpdatedAt, d.StageEnteredAt, d.Version = tx.Now, tx.Now, tx.Now, 1
	d.ID, err = tx.insert(ctx, `INSERT INTO deals (workspace_id, name, account_id, primary_contact_id, pipeline_id, stage_id, status,
		amount, currency, margin, close_date, close_date_estimated, owner_id, team_id, forecast_category, next_step, reason, reason_note,
		closed_at, stage_entered_at, lead_id, custom, external_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $20, $20)`,
		workspaceID, d.Name, d.AccountID, d.PrimaryContactID, d.PipelineID, d.StageID, d.Status,
		d.Amount, d.Currency, d.Margin, d.CloseDate, d.CloseDateEstimated, d.OwnerID, d.TeamID, d.ForecastOverride, d.NextStep, d.Reason, d.ReasonNote,
		d.ClosedAt, tx.Now, d.LeadID, custom, d.ExternalID)
	if attain.ErrorCode(err) == attain.ECONFLICT {
		return attain.Invalid("external_id", "is already used by another deal")
	}
	return err
}

// UpdateDeal writes every field a person or a move may change, if version
// still matches (0 skips the check), and bumps the version. The activity
// fields (last_activity_at) and the lead lineage are written elsewhere.
func (tx *Tx) UpdateDeal(ctx context.Context, workspaceID, version int64, d *attain.Deal) error {
	custom, err := customJSON(d.Custom)
	if err != nil {
		return err
	}
	err = tx.checkVersion(ctx, "deals", "Deal",
		`UPDATE deals SET name = $1, account_id = $2, primary_contact_id = $3, pipeline_id = $4, stage_id = $5, status = $6,
			amount = $7, currency = $8, margin = $9, close_date = $10, close_date_estimated = $11, owner_id = $12, team_id = $13,
			forecast_category = $14, next_step = $15, reason = $16, reason_note = $17, closed_at = $18, stage_entered_at = $19,
			custom = $20, external_id = $21, deleted_at = $22, updated_at = $23, version = version + 1
		 WHERE workspace_id = $24 AND id = $25 AND ($26 = 0 OR version = $26)`,
		`SELECT 1 FROM deals WHERE workspace_id = $1 AND id = $2`, []any{workspaceID, d.ID},
		d.Name, d.AccountID, d.PrimaryContactID, d.PipelineID, d.StageID, d.Status,
		d.Amount, d.Currency, d.Margin, d.CloseDate, d.CloseDateEstimated, d.OwnerID, d.TeamID,
		d.ForecastOverride, d.NextStep, d.Reason, d.ReasonNote, d.ClosedAt, d.StageEnteredAt,
		custom, d.ExternalID, d.DeletedAt, tx.Now, workspaceID, d.ID, version)
	if attain.ErrorCode(err) == attain.ECONFLICT {
		return attain.Invalid("external_id", "is already used by another deal")
	}
	return err
}

// FindDeal returns a deal, deleted or not, with its line items. Callers
// check visibility.
func (tx *Tx) FindDeal(ctx context.Context, workspaceID, id int64) (*attain.Deal, error) {
	d, err := scanDeal(tx.queryRow(ctx, dealSelect+` WHERE d.workspace_id = $1 AND d.id = $2`, workspaceID, id))
	if err != nil {
		return nil, notFound(err, "Deal")
	}
	d.Lines, err = tx.FindDealLines(ctx, workspaceID, id)
	return d, err
}

// dealList is the whitelist of the deal list.
var dealList = &listSpec{
	idExpr: "d.id",
	cols: map[string]listCol{
		"id":                 {expr: "d.id", kind: kindInt, sortable: true},
		"name":               {expr: "d.name", kind: kindString, sortable: true},
		"owner_id":           {expr: "d.owner_id", kind: kindInt},
		"team_id":            {expr: "d.team_id", kind: kindInt},
		"pipeline_id":        {expr: "d.pipeline_id", kind: kindInt},
		"stage_id":           {expr: "d.stage_id", kind: kindInt},
		"status":             {expr: "d.status", kind: kindString},
		"account_id":         {expr: "d.account_id", kind: kindInt},
		"primary_contact_id": {expr: "d.primary_contact_id", kind: kindInt},
		"lead_id":            {expr: "d.lead_id", kind: kindInt},
		"amount":             {expr: "d.amount", kind: kindInt, sortable: true},
		"currency":           {expr: "d.currency", kind: kindString},
		"close_date":         {expr: "d.close_date", kind: kindDate, sortable: true},
		"forecast_category":  {expr: "COALESCE(d.forecast_category, s.forecast_category)", kind: kindString},
		"probability":        {expr: "s.probability", kind: kindInt, sortable: true},
		"external_id":        {expr: "d.external_id", kind: kindString},
		"stage_entered_at":   {expr: "d.stage_entered_at", kind: kindTime, sortable: true},
		"closed_at":          {expr: "d.closed_at", kind: kindTime},
		"created_at":         {expr: "d.created_at", kind: kindTime, sortable: true},
		"updated_at":         {expr: "d.updated_at", kind: kindTime, sortable: true},
		"deleted_at":         {expr: "d.deleted_at", kind: kindTime},
	},
	defaultSort: attain.Sort{Field: "updated_at", Desc: true},
}

// FindDeals lists the deals the actor may see, filtered and sorted through
// dealList. Deleted deals are left out unless the query filters on
// deleted_at (deleted_at[null]=false lists only the deleted ones).
func (tx *Tx) FindDeals(ctx context.Context, a *attain.Actor, q attain.ListQuery) ([]*attain.Deal, string, error) {
	var ar args
	where := `d.workspace_id = ` + ar.add(a.WorkspaceID) + ` AND ` + Visible(a, "d.owner_id", "d.team_id", &ar)
	if !slices.ContainsFunc(q.Filters, func(f attain.Filter) bool { return f.Field == "deleted_at" }) {
		where += ` AND d.deleted_at IS NULL`
	}
	return listRows(ctx, tx, dealList, q, &ar, dealSelect, where, scanDeal, func(d *attain.Deal) int64 { return d.ID })
}

// FindDealLines returns a deal's line items in order.
func (tx *Tx) FindDealLines(ctx context.Context, workspaceID, dealID int64) ([]*attain.DealLine, error) {
	rows, err := tx.query(ctx, `SELECT id, product_id, description, quantity, unit_price, discount_bp, unit_cost, position
		FROM deal_lines WHERE workspace_id = $1 AND deal_id = $2 ORDER BY position, id`, workspaceID, dealID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.DealLine
	for rows.Next() {
		var l attain.DealLine
		if err := rows.Scan(&l.ID, &l.ProductID, &l.Description, &l.Quantity, &l.UnitPrice, &l.DiscountBP, &l.UnitCost, &l.Position); err != nil {
			return nil, err
		}
		l.Amount, _ = attain.LineAmount(l.Quantity, l.UnitPrice, l.DiscountBP)
		out = append(out, &l)
	}
	return out, rows.Err()
}

// ReplaceDealLines replaces a deal's line items and fills in their ids.
func (tx *Tx) ReplaceDealLines(ctx context.Context, workspaceID, dealID int64, lines []*attain.DealLine) error {
	if _, err := tx.exec(ctx, `DELETE FROM deal_lines WHERE workspace_id = $1 AND deal_id = $2`, workspaceID, dealID); err != nil {
		return err
	}
	for i, l := range lines {
		l.Position = i
		id, err := tx.insert(ctx, `INSERT INTO deal_lines (workspace_id, deal_id, product_id, description, quantity, unit_price, discount_bp, unit_cost, position)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			workspaceID, dealID, l.ProductID, l.Description, l.Quantity, l.UnitPrice, l.DiscountBP, l.UnitCost, i)
		if err != nil {
			return fmt.Errorf("insert line %d: %w", i, err)
		}
		l.ID = id
	}
	return nil
}

// EnterStage closes the deal's open stage history row, if any, and opens one
// for the stage it is now in, with the pipeline version it moved through.
func (tx *Tx) EnterStage(ctx context.Context, workspaceID int64, e *attain.StageHistoryEntry) error {
	if _, err := tx.exec(ctx, `UPDATE stage_history SET exited_at = $1 WHERE workspace_id = $2 AND deal_id = $3 AND exited_at IS NULL`,
		e.EnteredAt, workspaceID, e.DealID); err != nil {
		return err
	}
	id, err := tx.insert(ctx, `INSERT INTO stage_history (workspace_id, deal_id, pipeline_id, pipeline_version, stage_id, from_stage_id,
		entered_at, moved_by, override_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		workspaceID, e.DealID, e.PipelineID, e.PipelineVersion, e.StageID, e.FromStageID, e.EnteredAt, e.MovedBy, e.OverrideReason)
	e.ID = id
	return err
}

// FindStageHistory lists the stages a deal went through, oldest first.
func (tx *Tx) FindStageHistory(ctx context.Context, workspaceID, dealID int64) ([]*attain.StageHistoryEntry, error) {
	rows, err := tx.query(ctx, `SELECT h.id, h.deal_id, h.pipeline_id, h.pipeline_version, h.stage_id, s.name, h.from_stage_id,
		h.entered_at, h.exited_at, h.moved_by, h.override_reason
		FROM stage_history h JOIN stages s ON s.workspace_id = h.workspace_id AND s.id = h.stage_id
		WHERE h.workspace_id = $1 AND h.deal_id = $2 ORDER BY h.entered_at, h.id`, workspaceID, dealID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.StageHistoryEntry
	for rows.Next() {
		var e attain.StageHistoryEntry
		if err := rows.Scan(&e.ID, &e.DealID, &e.PipelineID, &e.PipelineVersion, &e.StageID, &e.StageName, &e.FromStageID,
			&e.EnteredAt, &e.ExitedAt, &e.MovedBy, &e.OverrideReason); err != nil {
			return nil, err
		}
		out = append(out, &e)
	}
	return out, rows.Err()
}

// WorkspaceCurrency returns the currency new deals and products default to.
func (tx *Tx) WorkspaceCurrency(ctx context.Context, workspaceID int64) (string, error) {
	var c string
	err := tx.queryRow(ctx, `SELECT currency FROM workspaces WHERE id = $1`, workspaceID).Scan(&c)
	return c, notFound(err, "Workspace")
}
