package loadtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// populateNames make deal names people would search for.
var populateNames = [...]string{"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay",
	"Tyrell", "Cyberdyne", "Soylent", "Wonka", "Massive", "Duff", "Zürich", "Société"}
var populateKinds = [...]string{"renewal", "expansion", "pilot", "platform", "seats", "upgrade", "services", "migration"}

// Populate creates n deals through the API, with cfg.Clients requests at a
// time, and logs a call on every fourth: a workspace to measure when no
// demo generator is at hand. Deals are spread over the default pipeline's
// first two stages, close dates over three years and amounts (integer minor
// units) from 1,000.00 to 100,000.00.
func Populate(ctx context.Context, cfg Config, n int) error {
	hc := cfg.httpClient()
	t, err := discover(ctx, &cfg, hc)
	if err != nil {
		return err
	}
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	for w := range max(1, cfg.Clients) {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(cfg.Seed, uint64(w)))
			for ctx.Err() == nil {
				i := int(next.Add(1))
				if i > n {
					return
				}
				close := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(3*365))
				body := dealBody{
					Name:       fmt.Sprintf("%s %s %d", populateNames[rng.IntN(len(populateNames))], populateKinds[rng.IntN(len(populateKinds))], i),
					PipelineID: t.pipelineID, StageID: t.stages[rng.IntN(2)],
					Amount:    int64(100_000 + rng.IntN(9_900_000)),
					CloseDate: close.Format(time.DateOnly),
				}
				var d idItem
				err := t.call(ctx, "POST", "/api/v1/deals", "/api/v1/deals", body, &d)
				if err == nil && i%4 == 0 {
					act := struct {
						Type   string `json:"type"`
						DealID int64  `json:"deal_id"`
					}{t.activityType, d.ID}
					err = t.call(ctx, "POST", "/api/v1/activities", "/api/v1/activities", act, nil)
				}
				if err != nil {
					once.Do(func() { firstErr = fmt.Errorf("populate deal %d: %w", i, err) })
					return
				}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}
