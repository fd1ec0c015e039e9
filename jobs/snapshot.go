package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/attain-crm/attain"
)

// KindForecastSnapshot is the job that takes each workspace's weekly
// snapshot of forecasts and pipeline, from which forecast accuracy is
// measured.
const KindForecastSnapshot = "forecast_snapshot"

// Snapshotter takes this week's snapshot of every workspace, once per week
// however often it is called, and says how many workspaces got one.
type Snapshotter interface {
	SnapshotAll(ctx context.Context) (int, error)
}

// RegisterForecastSnapshots adds the snapshot handler and runs it hourly:
// the snapshot itself is taken once per week (the first run of each week
// takes it), so a process that was down on Monday still takes it when it
// comes back, and several processes never take it twice.
func RegisterForecastSnapshots(r *Runner, s Snapshotter) {
	r.Handle(KindForecastSnapshot, ForecastSnapshot(r, s))
	r.Every(KindForecastSnapshot, KindForecastSnapshot, time.Hour, nil)
}

// ForecastSnapshot returns the handler of the snapshot job.
func ForecastSnapshot(r *Runner, s Snapshotter) Handler {
	return func(ctx context.Context, _ *attain.Job) error {
		n, err := s.SnapshotAll(ctx)
		if err != nil {
			return fmt.Errorf("forecast snapshots: %w", err)
		}
		if n > 0 {
			r.log.Info("forecast snapshots taken", "workspaces", n)
		}
		return nil
	}
}
