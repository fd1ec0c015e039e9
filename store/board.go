package store

import (
	"context"
	"regexp"
	"slices"

	"github.com/attain-crm/attain"
)

// stageColumn matches a list expression reading a column of the deal's
// stage (alias s).
var stageColumn = regexp.MustCompile(`(^|[^\w.])s\.`)

// FindDealTotals counts and sums the deals the actor may see by stage and
// currency, with the deal list's filters (dealList is the whitelist).
// Deleted deals are left out unless a filter names deleted_at, as in
// FindDeals. The sum is cast back to a 64-bit integer: PostgreSQL sums
// bigints as numeric.
func (tx *Tx) FindDealTotals(ctx context.Context, a *attain.Actor, filters []attain.Filter) ([]*attain.DealTotal, error) {
	var ar args
	where := `d.workspace_id = ` + ar.add(a.WorkspaceID) + ` AND ` + Visible(a, "d.owner_id", "d.team_id", &ar)
	if !slices.ContainsFunc(filters, func(f attain.Filter) bool { return f.Field == "deleted_at" }) {
		where += ` AND d.deleted_at IS NULL`
	}
	conds, err := dealList.filters(tx.db.dialect, filters, &ar)
	if err != nil {
		return nil, err
	}
	for _, c := range conds {
		where += ` AND ` + c
	}
	// The stage is joined only for a filter on one of its columns: its
	// foreign key already guarantees every deal's stage, and without the
	// join the sums read nothing but the deals_board index.
	from := `deals d`
	if slices.ContainsFunc(filters, func(f attain.Filter) bool { return stageColumn.MatchString(dealList.cols[f.Field].expr) }) {
		from += ` JOIN stages s ON s.workspace_id = d.workspace_id AND s.id = d.stage_id`
	}
	rows, err := tx.query(ctx, `SELECT d.stage_id, d.currency, COUNT(*), CAST(COALESCE(SUM(d.amount), 0) AS BIGINT)
		FROM `+from+` WHERE `+where+` GROUP BY d.stage_id, d.currency ORDER BY d.stage_id, d.currency`, ar...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.DealTotal
	for rows.Next() {
		var t attain.DealTotal
		if err := rows.Scan(&t.StageID, &t.Currency, &t.Count, &t.Amount); err != nil {
			return nil, err
		}
		out = append(out, &t)
	}
	return out, rows.Err()
}
