package service_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// benchOrg is a workspace of 20 teams of 10 reps, each rep with 10
// resubmitted forecasts for the quarter (2,000 submissions) and 5 weeks of
// snapshots.
func benchOrg(b *testing.B) (*service.Service, *attain.Actor, *attain.Actor, int64) {
	b.Helper()
	ctx := context.Background()
	db := storetest.Open(b, store.SQLite)
	now := time.Date(2026, 7, 6, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	svc := service.New(db, slog.New(slog.DiscardHandler), service.FastHasher())
	ws, admin, err := svc.Bootstrap(ctx, "Bench Co", attain.NewUser{Email: "admin@bench.test", Name: "Admin", Password: "a long password"})
	if err != nil {
		b.Fatal(err)
	}
	aa, _ := svc.ActorFor(ctx, ws.ID, admin.ID)
	var firstTeam, firstMgr int64
	for t := 0; t < 20; t++ {
		mgr, err := svc.CreateUser(ctx, aa, attain.NewUser{Email: fmt.Sprintf("m%d@bench.test", t), Name: fmt.Sprintf("M%d", t), Password: "a long password", Role: attain.RoleManager})
		if err != nil {
			b.Fatal(err)
		}
		var reps []int64
		for r := 0; r < 10; r++ {
			u, err := svc.CreateUser(ctx, aa, attain.NewUser{Email: fmt.Sprintf("r%d-%d@bench.test", t, r), Name: "R", Password: "a long password", Role: attain.RoleRep})
			if err != nil {
				b.Fatal(err)
			}
			reps = append(reps, u.ID)
		}
		team, err := svc.CreateTeam(ctx, aa, attain.TeamInput{Name: fmt.Sprintf("T%d", t), ManagerID: &mgr.ID, MemberIDs: reps})
		if err != nil {
			b.Fatal(err)
		}
		if t == 0 {
			firstTeam, firstMgr = team.ID, mgr.ID
		}
		for _, r := range reps {
			ra, _ := svc.ActorFor(ctx, ws.ID, r)
			for i := int64(0); i < 10; i++ {
				c := 1000 * (i + r)
				if _, err := svc.SubmitForecast(ctx, ra, attain.ForecastInput{Period: "2026-Q3", Commit: &c, BestCase: &c}); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	for w := 0; w < 5; w++ {
		if _, err := svc.SnapshotForecasts(ctx, ws.ID); err != nil {
			b.Fatal(err)
		}
		now = now.Add(7 * 24 * time.Hour)
	}
	ma, _ := svc.ActorFor(ctx, ws.ID, firstMgr)
	return svc, aa, ma, firstTeam
}

func BenchmarkForecastPlanning(b *testing.B) {
	svc, admin, mgr, team := benchOrg(b)
	ctx := context.Background()
	b.Run("CompanyRollup", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.ForecastRollup(ctx, admin, "2026-Q3", nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("TeamRollup", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.ForecastRollup(ctx, mgr, "2026-Q3", &team); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("CompanyAccuracy", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.ForecastAccuracy(ctx, admin, attain.AccuracyFilter{Period: "2026-Q3"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
