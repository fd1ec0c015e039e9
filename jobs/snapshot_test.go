package jobs_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/jobs"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// The snapshot job runs hourly but takes each workspace's snapshot once a
// week: a second run in the same week adds nothing; the next week's adds one.
func TestForecastSnapshotJob(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := newClock()
		db.Now = clk.Now
		svc := service.New(db, slog.New(slog.DiscardHandler), service.FastHasher())
		ws, admin, err := svc.Bootstrap(ctx, "Snap Co", attain.NewUser{Email: "admin@snap.test", Name: "Admin", Password: "a long password"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := svc.ActorFor(ctx, ws.ID, admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SubmitForecast(ctx, a, attain.ForecastInput{Period: "2025-Q1", Commit: new(int64)}); err != nil {
			t.Fatal(err)
		}
		r := newRunner(t, db, jobs.Config{Logger: slog.New(slog.DiscardHandler), Workers: 1})
		h := jobs.ForecastSnapshot(r, svc)
		weeks := func() int {
			acc, err := svc.ForecastAccuracy(ctx, a, attain.AccuracyFilter{Period: "2025-Q1"})
			if err != nil {
				t.Fatal(err)
			}
			return len(acc.Points)
		}
		for i, want := range []int{2, 2, 2, 4} { // rep + company points per week
			if i == 3 {
				clk.Add(7 * 24 * time.Hour)
			} else if i > 0 {
				clk.Add(time.Hour)
			}
			if err := h(ctx, &attain.Job{Kind: jobs.KindForecastSnapshot}); err != nil {
				t.Fatal(err)
			}
			if got := weeks(); got != want {
				t.Errorf("run %d: %d snapshot points, want %d", i, got, want)
			}
		}
	})
}
