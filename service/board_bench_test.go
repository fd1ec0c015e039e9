package service_test

import (
	"context"
	"database/sql"
	"log/slog"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/analytics"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
)

// BenchmarkBoardTotals sums the demo workspace's board (its default
// pipeline, every close date and this quarter's) as its admin and a rep:
// through the store's SQL (what every board did before the model answered
// it), through the service with the analytics model loaded, and as one raw
// SELECT beside them. It runs on a database made by `attain demo`, named by
// ATTAIN_BENCH_DB as for the store's at-scale benchmarks; it writes nothing.
//
//	ATTAIN_BENCH_DB=copy.db go test ./service -run '^$' -bench BoardTotals -benchtime 20x
func BenchmarkBoardTotals(b *testing.B) {
	dsn := os.Getenv("ATTAIN_BENCH_DB")
	if dsn == "" {
		b.Skip("ATTAIN_BENCH_DB names no demo database")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	svc := service.New(db, slog.New(slog.DiscardHandler), service.FastHasher())
	var admin, rep *attain.Actor
	var pipeline int64
	err = db.ReadTx(ctx, func(tx *store.Tx) error {
		ws, err := tx.FindWorkspaceBySlug(ctx, "demo")
		if err != nil {
			return err
		}
		members, err := tx.FindMembers(ctx, ws.ID)
		if err != nil {
			return err
		}
		for _, m := range members {
			if m.Role == attain.RoleAdmin && admin == nil {
				admin, err = tx.LoadActor(ctx, ws.ID, m.ID)
			} else if m.Role == attain.RoleRep && rep == nil {
				rep, err = tx.LoadActor(ctx, ws.ID, m.ID)
			}
			if err != nil {
				return err
			}
		}
		ps, err := tx.FindPipelines(ctx, ws.ID)
		for _, p := range ps {
			if p.IsDefault {
				pipeline = p.ID
			}
		}
		return err
	})
	if err != nil || admin == nil || rep == nil || pipeline == 0 {
		b.Fatalf("demo workspace: %v", err)
	}
	start := time.Now()
	if err := svc.Analytics().View(ctx, admin.WorkspaceID, func(*analytics.Model) error { return nil }); err != nil {
		b.Fatal(err)
	}
	b.Logf("model loaded in %v", time.Since(start))
	driver, rawDSN := "pgx", dsn
	if db.Engine() == store.SQLite {
		driver, rawDSN = "sqlite", "file:"+dsn+"?_pragma=cache_size(-32000)"
	}
	raw, err := sql.Open(driver, rawDSN)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { raw.Close() })

	now := attain.DateOf(time.Now().UTC())
	quarter := attain.Date{Year: now.Year, Month: (now.Month-1)/3*3 + 1, Day: 1}
	end := attain.DateOf(quarter.Time().AddDate(0, 3, -1))
	p := attain.Filter{Field: "pipeline_id", Values: []string{strconv.FormatInt(pipeline, 10)}}
	boards := []struct {
		name    string
		filters []attain.Filter
		close   string // the raw query's condition on the close date
	}{
		{"any", []attain.Filter{p}, ""},
		{"quarter", []attain.Filter{p, {Field: "close_date", Op: attain.OpGte, Values: []string{quarter.String()}},
			{Field: "close_date", Op: attain.OpLte, Values: []string{end.String()}}},
			" AND close_date >= '" + quarter.String() + "' AND close_date <= '" + end.String() + "'"},
	}
	for _, who := range []struct {
		name string
		a    *attain.Actor
	}{{"admin", admin}, {"rep", rep}} {
		for _, board := range boards {
			want := 0
			b.Run(who.name+"-"+board.name+"/store", func(b *testing.B) {
				for b.Loop() {
					err := db.ReadTx(ctx, func(tx *store.Tx) error {
						ts, err := tx.FindDealTotals(ctx, who.a, board.filters)
						want = len(ts)
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(who.name+"-"+board.name+"/model", func(b *testing.B) {
				for b.Loop() {
					ts, err := svc.FindDealTotals(ctx, who.a, board.filters)
					if err != nil || len(ts) != want {
						b.Fatalf("%d totals, want %d: %v", len(ts), want, err)
					}
				}
			})
			b.Run(who.name+"-"+board.name+"/raw", func(b *testing.B) {
				// A rep's are the deals they own (they may also see some
				// shared with their team: the count of rows may differ).
				where := board.close
				args := []any{who.a.WorkspaceID, pipeline}
				if !who.a.SeesAll() {
					where, args = where+" AND owner_id = $3", append(args, who.a.UserID)
				}
				for b.Loop() {
					rows, err := raw.QueryContext(ctx, `SELECT stage_id, currency, COUNT(*), CAST(COALESCE(SUM(amount), 0) AS BIGINT)
						FROM deals WHERE workspace_id = $1 AND pipeline_id = $2 AND deleted_at IS NULL`+where+`
						GROUP BY stage_id, currency ORDER BY stage_id, currency`, args...)
					if err != nil {
						b.Fatal(err)
					}
					n := 0
					for rows.Next() {
						n++
					}
					if err := rows.Close(); err != nil || n == 0 {
						b.Fatalf("%d rows, want %d: %v", n, want, err)
					}
				}
			})
		}
	}
}
