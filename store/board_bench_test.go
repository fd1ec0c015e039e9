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
