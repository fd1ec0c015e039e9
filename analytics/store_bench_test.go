package analytics_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/analytics"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// sqlSizes are the deal counts of the database benchmarks: 100k by
// default (filling SQLite with a million deals takes minutes);
// ATTAIN_BENCH_SQL_DEALS overrides it.
func sqlSizes() []int {
	if v := os.Getenv("ATTAIN_BENCH_SQL_DEALS"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			return []int{n}
		}
	}
	return []int{100_000}
}

// filledDB returns a SQLite database with one workspace of n deals owned by
// 200 reps, each with two or three stage history rows, written with plain
// inserts (the triggers still run).
func filledDB(b *testing.B, n int) (*store.DB, int64) {
	b.Helper()
	ctx := context.Background()
	db := storetest.Open(b, store.SQLite)
	svc := service.New(db, slog.New(slog.DiscardHandler), service.FastHasher())
	ws, admin, err := svc.Bootstrap(ctx, "Bench", attain.NewUser{Email: "admin@bench.test", Name: "Admin", Password: "a long password"})
	if err != nil {
		b.Fatal(err)
	}
	a, err := svc.ActorFor(ctx, ws.ID, admin.ID)
	if err != nil {
		b.Fatal(err)
	}
	var reps []int64
	for i := 0; i < 200; i++ {
		u, err := svc.CreateUser(ctx, a, attain.NewUser{Email: fmt.Sprintf("rep%d@bench.test", i), Name: "Rep", Password: "a long password", Role: attain.RoleRep})
		if err != nil {
			b.Fatal(err)
		}
		reps = append(reps, u.ID)
	}
	ps, err := svc.FindPipelines(ctx, a)
	if err != nil {
		b.Fatal(err)
	}
	p := ps[0]
	won, lost := p.Stages[len(p.Stages)-2], p.Stages[len(p.Stages)-1]
	raw, err := sql.Open("sqlite", db.DSN())
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	tx, err := raw.Begin()
	if err != nil {
		b.Fatal(err)
	}
	insDeal, _ := tx.Prepare(`INSERT INTO deals (workspace_id, id, name, pipeline_id, stage_id, status, amount, currency, close_date, owner_id,
		closed_at, stage_entered_at, created_at, updated_at) VALUES ($1, $2, 'd', $3, $4, $5, $6, 'USD', $7, $8, $9, $10, $11, $11)`)
	insStay, _ := tx.Prepare(`INSERT INTO stage_history (workspace_id, deal_id, pipeline_id, pipeline_version, stage_id, entered_at, exited_at)
		VALUES ($1, $2, $3, 1, $4, $5, $6)`)
	rng := rand.New(rand.NewPCG(1, 1))
	now := time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		id := int64(i + 1)
		created := now.Add(-time.Duration(rng.IntN(3*365*24)) * time.Hour)
		closed := created.Add(time.Duration(24*(5+rng.IntN(60))) * time.Hour)
		stage, status := p.Stages[0], "open"
		var closedAt any
		switch r := rng.IntN(10); {
		case r < 3 || closed.After(now):
		case r < 6:
			stage, status, closedAt = won, "won", closed.Format("2006-01-02 15:04:05-07:00")
		default:
			stage, status, closedAt = lost, "lost", closed.Format("2006-01-02 15:04:05-07:00")
		}
		ts := created.Format("2006-01-02 15:04:05-07:00")
		if _, err := insDeal.Exec(ws.ID, id, p.ID, stage.ID, status, int64(1000+rng.IntN(99000))*100, closed.Format("2006-01-02"),
			reps[rng.IntN(len(reps))], closedAt, ts, ts); err != nil {
			b.Fatal(err)
		}
		if _, err := insStay.Exec(ws.ID, id, p.ID, p.Stages[0].ID, ts, closedAt); err != nil {
			b.Fatal(err)
		}
		if status != "open" {
			if _, err := insStay.Exec(ws.ID, id, p.ID, stage.ID, closedAt, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return db, ws.ID
}

// BenchmarkSQLGroupBy is the baseline the in-memory model replaces: won
// amount and count per owner for a quarter, straight from SQLite.
func BenchmarkSQLGroupBy(b *testing.B) {
	for _, n := range sqlSizes() {
		b.Run(fmt.Sprintf("deals=%d", n), func(b *testing.B) {
			db, ws := filledDB(b, n)
			raw, err := sql.Open("sqlite", db.DSN())
			if err != nil {
				b.Fatal(err)
			}
			defer raw.Close()
			b.ResetTimer()
			for b.Loop() {
				rows, err := raw.Query(`SELECT owner_id, status, sum(amount), count(*) FROM deals
					WHERE workspace_id = $1 AND deleted_at IS NULL AND status <> 'open' AND closed_at >= '2026-10-01' AND closed_at < '2027-01-01'
					GROUP BY owner_id, status`, ws)
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
				}
				rows.Close()
				rows, err = raw.Query(`SELECT stage_id, sum(amount), count(*) FROM deals
					WHERE workspace_id = $1 AND deleted_at IS NULL AND status = 'open' GROUP BY stage_id`, ws)
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
				}
				rows.Close()
			}
		})
	}
}

// BenchmarkModelLoad measures loading a workspace's model from SQLite.
func BenchmarkModelLoad(b *testing.B) {
	for _, n := range sqlSizes() {
		b.Run(fmt.Sprintf("deals=%d", n), func(b *testing.B) {
			db, ws := filledDB(b, n)
			b.ResetTimer()
			for b.Loop() {
				m, err := analytics.Load(context.Background(), db, ws, 0)
				if err != nil {
					b.Fatal(err)
				}
				if m.Len() != n {
					b.Fatalf("loaded %d deals, want %d", m.Len(), n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/deal")
		})
	}
}

// BenchmarkCatchUp measures the check and catch-up before an answer after
// one deal changed elsewhere.
func BenchmarkCatchUp(b *testing.B) {
	db, ws := filledDB(b, 10_000)
	ctx := context.Background()
	e := analytics.NewEngine(db)
	if err := e.View(ctx, ws, func(*analytics.Model) error { return nil }); err != nil {
		b.Fatal(err)
	}
	raw, err := sql.Open("sqlite", db.DSN())
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	b.Run("unchanged", func(b *testing.B) {
		for b.Loop() {
			if err := e.View(ctx, ws, func(*analytics.Model) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("one-deal-changed", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			if _, err := raw.Exec(`UPDATE deals SET amount = amount + 1 WHERE workspace_id = $1 AND id = $2`, ws, i%10_000+1); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if err := e.View(ctx, ws, func(*analytics.Model) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
	})
}
