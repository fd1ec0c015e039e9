package store_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// BenchmarkDealTotals sums a board's 5,000 deals by stage and currency, as
// the pipeline board does on every load and after every move:
//
//	go test ./store -run '^$' -bench DealTotals -benchtime 200x
func BenchmarkDealTotals(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, engine string) {
		x := newDealBench(b, engine)
		x.seed(b, 5000)
		ctx := context.Background()
		filters := []attain.Filter{{Field: "pipeline_id", Values: []string{strconv.FormatInt(x.pipeline.ID, 10)}}}
		for b.Loop() {
			err := x.db.ReadTx(ctx, func(tx *store.Tx) error {
				ts, err := tx.FindDealTotals(ctx, x.actor, filters)
				if err == nil && len(ts) == 0 {
					b.Fatal("no totals")
				}
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDealTotalsRaw is the baseline of BenchmarkDealTotals: the same
// sums, of the rep's deals, as one SELECT.
func BenchmarkDealTotalsRaw(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, engine string) {
		x := newDealBench(b, engine)
		x.seed(b, 5000)
		raw := x.rawDB(b, engine)
		ctx := context.Background()
		for b.Loop() {
			rows, err := raw.QueryContext(ctx, `SELECT stage_id, currency, COUNT(*), CAST(COALESCE(SUM(amount), 0) AS BIGINT)
				FROM deals WHERE workspace_id = $1 AND owner_id = $2 AND deleted_at IS NULL AND pipeline_id = $3
				GROUP BY stage_id, currency ORDER BY stage_id, currency`, x.ws, x.actor.UserID, x.pipeline.ID)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				var stage, count, amount int64
				var currency string
				if err := rows.Scan(&stage, &currency, &count, &amount); err != nil {
					b.Fatal(err)
				}
				n++
			}
			if err := rows.Close(); err != nil || n == 0 {
				b.Fatalf("%d rows, %v", n, err)
			}
		}
	})
}
