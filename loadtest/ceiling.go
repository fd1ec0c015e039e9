package loadtest

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"net"
	"net/http"
	"time"
)

// opCeiling is the one operation of the ceiling run.
const opCeiling = "ceiling"

// ceilingDeal is what the bare handler answers: about the size of a deal.
var ceilingDeal = map[string]any{
	"id": 123456, "name": "Acme Corp — 250 seats", "pipeline_id": 1, "stage_id": 3, "status": "open",
	"amount": 4_250_000, "currency": "USD", "close_date": "2027-03-31", "owner_id": 7, "team_id": 2,
	"forecast_category": "best_case", "next_step": "Send the proposal", "version": 4,
	"created_at": "2026-01-05T09:30:00Z", "updated_at": "2026-02-11T16:02:11Z",
}

// Ceiling measures the machine's ceiling for an HTTP JSON API: a bare
// net/http handler encoding a deal-sized JSON object, with no database and
// no middleware, driven by the same clients for the same duration. It runs
// in this process on a loopback port of its own.
func Ceiling(ctx context.Context, clients int, d time.Duration) (*Result, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(ceilingDeal)
	}), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	t := &target{base: "http://" + ln.Addr().String(), token: "ceiling", http: newHTTPClient(clients)}
	r := runClients(ctx, clients, d, func(i int) *client {
		return &client{t: t, n: i, rng: rand.New(rand.NewPCG(1, uint64(i))), ops: []string{opCeiling}, stats: map[string]*OpStats{}}
	})
	r.Target = t.base
	return r, ctx.Err()
}
