package service_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store/storetest"
)

// BenchmarkBulkUpdateDeals measures a bulk owner change of 100 deals, each
// through the single-edit path (its own transaction, history and audit).
func BenchmarkBulkUpdateDeals(b *testing.B) {
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			svc := service.New(storetest.Open(b, engine), slog.New(slog.DiscardHandler), service.FastHasher())
			ws, admin, err := svc.Bootstrap(ctx, "Bulk Co", attain.NewUser{Email: "admin@bulk.test", Name: "Admin", Password: "a long password"})
			if err != nil {
				b.Fatal(err)
			}
			a, err := svc.ActorFor(ctx, ws.ID, admin.ID)
			if err != nil {
				b.Fatal(err)
			}
			other, err := svc.CreateUser(ctx, a, attain.NewUser{Email: "rep@bulk.test", Name: "Rep", Password: "a long password", Role: attain.RoleRep})
			if err != nil {
				b.Fatal(err)
			}
			ids := make([]int64, 100)
			for i := range ids {
				d, err := svc.CreateDeal(ctx, a, attain.DealInput{Name: fmt.Sprintf("Deal %d", i)})
				if err != nil {
					b.Fatal(err)
				}
				ids[i] = d.ID
			}
			owners := []int64{other.ID, admin.ID}
			i := 0
			for b.Loop() {
				res, err := svc.BulkUpdateDeals(ctx, a, attain.BulkUpdate{IDs: ids, OwnerID: &owners[i%2]})
				if err != nil || res.Failed != 0 {
					b.Fatalf("bulk: %v %+v", err, res)
				}
				i++
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(ids)), "µs/deal")
		})
	}
}
