package store_test

// The storage hot paths of a sales team's day, each next to its raw-driver
// baseline: the same row written or read by one statement through
// database/sql and the same driver, with no Attain code around it. A
// benchmark named XRaw is the baseline of X (same sub-benchmark names), and
// `make bench` reports the ratio X / XRaw. Run them with
//
//	ATTAIN_TEST_POSTGRES_URL=postgres://... go test ./store -run '^$' -bench 'Deal|Search|Activity' -benchtime 2000x

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
	"github.com/jackc/pgx/v5"
)

// rawDB opens the benchmark's database directly through database/sql.
func (x *dealBench) rawDB(b *testing.B, engine string) *sql.DB { return rawOpen(b, x.db) }

// rawOpen opens db's database directly through database/sql and the same
// driver, with the pragmas store.Open sets on SQLite (WAL,
// synchronous=FULL, a 32 MB page cache), so the baseline pays the same
// durability and has the same cache; one connection, as the store's writer.
func rawOpen(b *testing.B, db *store.DB) *sql.DB {
	b.Helper()
	dsn, driver := db.DSN(), "pgx"
	if db.Engine() == store.SQLite {
		driver, dsn = "sqlite", "file:"+strings.TrimPrefix(dsn, "sqlite:")+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)"+
			"&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=cache_size(-32000)&_txlock=immediate"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { raw.Close() })
	raw.SetMaxOpenConns(1)
	return raw
}

// rawTx runs fn in one transaction of raw.
func rawTx(b *testing.B, raw *sql.DB, fn func(tx *sql.Tx) error) {
	tx, err := raw.BeginTx(context.Background(), nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// mine returns the seeded deals the benchmark's actor owns (every fifth).
func mine(ids []int64) []int64 {
	var out []int64
	for i, id := range ids {
		if i%5 == 0 {
			out = append(out, id)
		}
	}
	return out
}

// seedActivities logs n calls on each of the deals, as the actor.
func (x *dealBench) seedActivities(b *testing.B, deals []int64, n int) int64 {
	b.Helper()
	ctx := context.Background()
	var typeID int64
	err := x.db.WriteTx(ctx, func(tx *store.Tx) error {
		// A demo workspace (at scale) has the type already.
		t, err := tx.FindActivityTypeByKey(ctx, x.ws, "call")
		if attain.ErrorCode(err) == attain.ENOTFOUND {
			t, err = tx.CreateActivityType(ctx, x.ws, attain.NewActivityType{Key: "call", Name: "Call"})
		}
		if err != nil {
			return err
		}
		typeID = t.ID
		for i, id := range deals {
			for j := range n {
				at := tx.Now.Add(-time.Duration(i*n+j) * time.Minute)
				act := &attain.Activity{TypeID: typeID, Subject: "Call", DealID: &id, OwnerID: x.actor.UserID,
					OccurredAt: &at, DoneAt: &at, DurationMinutes: 15}
				if err := tx.CreateActivity(ctx, x.ws, act); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatalf("seed activities: %v", err)
	}
	return typeID
}

// BenchmarkDealCreateRaw is the baseline of BenchmarkDealCreate: one
// INSERT of the same row in its own transaction.
func BenchmarkDealCreateRaw(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, engine string) {
		x := newDealBench(b, engine)
		raw := x.rawDB(b, engine)
		ctx := context.Background()
		stage := x.pipeline.Stages[0].ID
		now := time.Now().UTC()
		i := 0
		for b.Loop() {
			rawTx(b, raw, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO deals (workspace_id, name, pipeline_id, stage_id, status, amount, currency, close_date,
					owner_id, stage_entered_at, created_at, updated_at) VALUES ($1, $2, $3, $4, 'open', $5, 'USD', $6, $7, $8, $8, $8)`,
					x.ws, fmt.Sprintf("Deal %06d", i), x.pipeline.ID, stage, int64(1000+i), "2030-06-30", x.owners[0], now)
				return err
			})
			i++
		}
	})
}

// BenchmarkDealCreateRawParallel is BenchmarkDealCreateRaw from 32
// goroutines, as the load test's 32 clients write: the raw ceiling of
// insert-per-transaction throughput. On SQLite writes queue on one
// connection as in store.Open; on PostgreSQL each goroutine has its own,
// so commits can share WAL flushes.
func BenchmarkDealCreateRawParallel(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, engine string) {
		x := newDealBench(b, engine)
		raw := x.rawDB(b, engine)
		if engine != store.SQLite {
			raw.SetMaxOpenConns(32)
		}
		ctx := context.Background()
		stage := x.pipeline.Stages[0].ID
		now := time.Now().UTC()
		b.SetParallelism(max(1, 32/runtime.GOMAXPROCS(0)))
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				// b.Fatal may not be called from RunParallel's goroutines.
				tx, err := raw.BeginTx(ctx, nil)
				if err != nil {
					b.Error(err)
					return
				}
				_, err = tx.ExecContext(ctx, `INSERT INTO deals (workspace_id, name, pipeline_id, stage_id, status, amount, currency, close_date,
					owner_id, stage_entered_at, created_at, updated_at) VALUES ($1, $2, $3, $4, 'open', $5, 'USD', $6, $7, $8, $8, $8)`,
					x.ws, fmt.Sprintf("Deal %06d", i), x.pipeline.ID, stage, int64(1000+i), "2030-06-30", x.owners[0], now)
				if err == nil {
					err = tx.Commit()
				} else {
					tx.Rollback()
				}
				if err != nil {
					b.Error(err)
					return
				}
				i++
			}
		})
	})
}

// BenchmarkDealUpdateRaw is the baseline of BenchmarkDealUpdate: one
// UPDATE of the row by its key in its own transaction.
func BenchmarkDealUpdateRaw(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, engine string) {
		x := newDealBench(b, engine)
		ids := x.seed(b, 1000)
		raw := x.rawDB(b, engine)
		ctx := context.Background()
		i := 0
		for b.Loop() {
			rawTx(b, raw, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `UPDATE deals SET amount = amount + 100, next_step = $3, version = version + 1, updated_at = $4
					WHERE workspace_id = $1 AND id = $2`, x.ws, ids[i%len(ids)], fmt.Sprintf("Call %d", i), time.Now().UTC())
				return err
			})
			i++
		}
	})
}

// BenchmarkDealMoveRaw is the baseline of BenchmarkDealMove: the stage
// change alone, one UPDATE in its own transaction.
func BenchmarkDealMoveRaw(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, engine string) {
		x := newDealBench(b, engine)
		ids := x.seed(b, 1000)
		raw := x.rawDB(b, engine)
		ctx := context.Background()
		i := 0
		for b.Loop() {
			rawTx(b, raw, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `UPDATE deals SET stage_id = $3, stage_entered_at = $4, version = version + 1, updated_at = $4
					WHERE workspace_id = $1 AND id = $2`, x.ws, ids[i%len(ids)], x.pipeline.Stages[(i+1)%5].ID, time.Now().UTC())
				return err
			})
			i++
		}
	})
}

// BenchmarkDealListRaw is the baseline of BenchmarkDealList: the same
// filters, sort and page as one SELECT of the columns shown.
func BenchmarkDealListRaw(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, engine string) {
		x := newDealBench(b, engine)
		x.seed(b, 5000)
		raw := x.rawDB(b, engine)
		ctx := context.Background()
		const cols = `SELECT id, name, stage_id, status, amount, currency, close_date, owner_id, updated_at FROM deals
			WHERE workspace_id = $1 AND deleted_at IS NULL AND owner_id = $2`
		// A prefix as an index range on lower(name), compared bytewise.
		nameRange := `lower(name) >= $3 AND lower(name) < $4`
		if engine == store.Postgres {
			nameRange = `lower(name) COLLATE "C" >= $3 AND lower(name) COLLATE "C" < $4`
		}
		queries := map[string]struct {
			q    string
			args []any
		}{
			"mine-by-amount":   {cols + ` AND amount >= $3 AND status = 'open' ORDER BY amount DESC, id DESC LIMIT 51`, []any{int64(20000)}},
			"closing-in-march": {cols + ` AND close_date >= $3 AND close_date < $4 ORDER BY close_date, id LIMIT 51`, []any{"2030-03-01", "2030-04-01"}},
			"name-prefix":      {cols + ` AND ` + nameRange + ` ORDER BY name, id LIMIT 51`, []any{"deal 001", "deal 002"}},
		}
		for name, q := range queries {
			b.Run(name, func(b *testing.B) {
				args := append([]any{x.ws, x.actor.UserID}, q.args...)
				for b.Loop() {
					rows, err := raw.QueryContext(ctx, q.q, args...)
					if err != nil {
						b.Fatal(err)
					}
					n := 0
					for rows.Next() {
						var id, stage, amount, owner int64
						var dealName, status, currency string
						var closeDate, updated any
						if err := rows.Scan(&id, &dealName, &stage, &status, &amount, &currency, &closeDate, &owner, &updated); err != nil {
							b.Fatal(err)
						}
						n++
					}
					if err := rows.Close(); err != nil || n == 0 {
						b.Fatalf("%s: %d rows, %v", name, n, err)
					}
				}
			})
		}
	})
}

// BenchmarkDealRecord reads what a deal's page shows: the deal and its line
// items, then the first page of its timeline (20 activities, the stage
// history and field changes of its creation).
func BenchmarkDealRecord(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, engine string) {
		x := newDealBench(b, engine)
		ids := mine(x.seed(b, 2000))[:100]
		x.seedActivities(b, ids, 20)
		ctx := context.Background()
		i := 0
		for b.Loop() {
			id := ids[i%len(ids)]
			err := x.db.ReadTx(ctx, func(tx *store.Tx) error {
				if _, err := tx.FindDeal(ctx, x.ws, id); err != nil {
					return err
				}
				_, err := tx.FindDealLines(ctx, x.ws, id)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			err = x.db.ReadTx(ctx, func(tx *store.Tx) error {
				items, _, err := tx.Timeline(ctx, x.actor, "deal", id, attain.Page{})
				if err == nil && len(items) < 20 {
					err = fmt.Errorf("timeline of deal %d has %d items", id, len(items))
				}
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkDealRecordRaw is the baseline of BenchmarkDealRecord: the deal
// row by its key, then its newest 50 activities, two SELECTs.
func BenchmarkDealRecordRaw(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, engine string) {
		x := newDealBench(b, engine)
		ids := mine(x.seed(b, 2000))[:100]
		x.seedActivities(b, ids, 20)
		raw := x.rawDB(b, engine)
		ctx := context.Background()
		i := 0
		for b.Loop() {
			id := ids[i%len(ids)]
			var name string
			var amount int64
			err := raw.QueryRowContext(ctx, `SELECT name, amount FROM deals WHERE workspace_id = $1 AND id = $2`, x.ws, id).Scan(&name, &amount)
			if err != nil {
				b.Fatal(err)
			}
			rows, err := raw.QueryContext(ctx, `SELECT id, subject, occurred_at FROM activities
				WHERE workspace_id = $1 AND deal_id = $2 AND deleted_at IS NULL ORDER BY occurred_at DESC, id DESC LIMIT 51`, x.ws, id)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				var aid int64
				var subject string
				var at any
				if err := rows.Scan(&aid, &subject, &at); err != nil {
					b.Fatal(err)
				}
				n++
			}
			if err := rows.Close(); err != nil || n < 20 {
				b.Fatalf("deal %d: %d activities, %v", id, n, err)
			}
			i++
		}
	})
}

// BenchmarkSearchRaw is the baseline of BenchmarkSearch (search_test.go),
// over the same records: the same bounded reads through the same indexes,
// UNION ALL, without the exact-match lookup, the second (title) reading,
// the visibility rules, the ranking or the joins for the results'
// subtitles. Per kind: the newest 200 full-text matches (or for one or two
// letters the first 200 names in a range), the first 50 of them in the
// workspace (and the rep's, for a rep), and of all those the newest 20.
func BenchmarkSearchRaw(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, engine string) {
		w, cases := searchBench(b, engine, true)
		raw := rawOpen(b, w.db)
		// query returns the UNION ALL over the four kinds and its arguments,
		// for everyone's records (owner 0, as an admin sees) or one owner's.
		query := func(q string, owner int64) (string, []any) {
			terms := attain.SearchTerms(q)
			short := len(terms) == 1 && len([]rune(terms[0])) <= 2
			var text string
			for i, t := range terms {
				if engine == store.SQLite {
					text += `"` + t + `" `
				} else {
					if i > 0 {
						text += " & "
					}
					text += "'" + t + "'"
				}
			}
			// The last word is a prefix only when Attain reads it as one
			// first: not in an address, not longer than FTS5's prefix indexes.
			prefix := !strings.Contains(q, "@") && len([]rune(terms[len(terms)-1])) <= 8
			switch {
			case engine == store.SQLite && prefix:
				text = strings.TrimSpace(text) + "*"
			case engine == store.SQLite:
				text = strings.TrimSpace(text)
			case prefix:
				text += ":*"
			}
			args := []any{w.ws.ID, text}
			if short {
				lo := strings.ToLower(terms[0])
				args = []any{w.ws.ID, lo, lo + "\U0010FFFF"}
			}
			mine := ""
			if owner != 0 {
				args = append(args, owner)
				mine = fmt.Sprintf(" AND x.owner_id = $%d", len(args))
			}
			var parts []string
			for i, t := range []struct{ table, title, name string }{
				{"accounts", "name", "lower(x.name)"},
				{"contacts", "first_name", "lower(trim(x.first_name || ' ' || x.last_name))"},
				{"leads", "first_name", "lower(trim(x.first_name || ' ' || x.last_name))"},
				{"deals", "name", "lower(x.name)"},
			} {
				base := int64(i+1) << 40 // the kind's rowid range in SQLite's search_index
				var ids string
				switch {
				case short:
					ids = fmt.Sprintf(`SELECT x.id FROM %s x WHERE x.workspace_id = $1 AND %s >= $2 AND %s < $3 AND x.deleted_at IS NULL ORDER BY %s LIMIT 200`,
						t.table, t.name, t.name, t.name)
				case engine == store.SQLite:
					ids = fmt.Sprintf(`SELECT rowid - %d AS id FROM search_index WHERE search_index MATCH $2 AND rowid BETWEEN %d AND %d ORDER BY rowid DESC LIMIT 200`,
						base, base, base+1<<40-1)
				default:
					ids = fmt.Sprintf(`SELECT x.id FROM %s x WHERE x.search_vector @@ to_tsquery('simple', $2) AND x.workspace_id = $1 AND x.deleted_at IS NULL ORDER BY x.id DESC LIMIT 200`,
						t.table)
				}
				parts = append(parts, fmt.Sprintf(`SELECT * FROM (SELECT x.id AS id, x.%s AS title FROM (%s) c CROSS JOIN %s x
					WHERE x.id = c.id AND x.workspace_id = $1 AND x.deleted_at IS NULL%s LIMIT 50) k%d`, t.title, ids, t.table, mine, i))
			}
			if engine == store.Postgres {
				// Planned for its arguments each time, as Attain's is.
				args = append([]any{pgx.QueryExecModeExec}, args...)
			}
			return strings.Join(parts, " UNION ALL ") + " ORDER BY id DESC LIMIT 20", args
		}
		for _, c := range cases {
			var owner int64 // 0: everyone's, as an admin sees
			if c.u == w.rep {
				owner = w.rep.ID
			}
			b.Run(c.name, func(b *testing.B) {
				q, args := query(c.q, owner)
				for b.Loop() {
					rows, err := raw.QueryContext(context.Background(), q, args...)
					if err != nil {
						b.Fatal(err)
					}
					n := 0
					for rows.Next() {
						var id int64
						var title string
						if err := rows.Scan(&id, &title); err != nil {
							b.Fatal(err)
						}
						n++
					}
					// A rep may own none of the records read.
					if err := rows.Close(); err != nil || n == 0 && owner == 0 {
						b.Fatalf("%q: %d rows, %v", c.q, n, err)
					}
				}
			})
		}
	})
}

// BenchmarkActivityCreate logs a call on a deal as the service does: the
// type and the deal checked, the row, the deal's last activity refreshed,
// the field changes and the audit entry, in one transaction.
func BenchmarkActivityCreate(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, engine string) {
		x := newDealBench(b, engine)
		ids := mine(x.seed(b, 1000))
		x.seedActivities(b, ids[:1], 1)
		ctx := context.Background()
		i := 0
		for b.Loop() {
			id := ids[i%len(ids)]
			err := x.db.WriteTx(ctx, func(tx *store.Tx) error {
				t, err := tx.FindActivityTypeByKey(ctx, x.ws, "call")
				if err != nil {
					return err
				}
				if _, err := tx.FindRecordAccess(ctx, x.ws, "deal", id); err != nil {
					return err
				}
				now := tx.Now
				act := &attain.Activity{TypeID: t.ID, Type: t.Key, TypeName: t.Name, Subject: "Call", DealID: &id,
					OwnerID: x.actor.UserID, OccurredAt: &now, DoneAt: &now, DurationMinutes: 15}
				if err := tx.CreateActivity(ctx, x.ws, act); err != nil {
					return err
				}
				if err := tx.RefreshDealActivity(ctx, x.ws, id); err != nil {
					return err
				}
				if err := tx.RecordChanges(ctx, x.actor, "activity", act.ID, nil, act); err != nil {
					return err
				}
				return tx.Audit(ctx, x.actor, "create", "activity", act.ID, nil, act)
			})
			if err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkActivityCreateRaw is the baseline of BenchmarkActivityCreate:
// one INSERT of the same row in its own transaction.
func BenchmarkActivityCreateRaw(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, engine string) {
		x := newDealBench(b, engine)
		ids := mine(x.seed(b, 1000))
		typeID := x.seedActivities(b, ids[:1], 1)
		raw := x.rawDB(b, engine)
		ctx := context.Background()
		i := 0
		for b.Loop() {
			now := time.Now().UTC()
			rawTx(b, raw, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO activities (workspace_id, type_id, subject, note, deal_id, owner_id,
					occurred_at, done_at, duration_minutes, outcome, sentiment, created_at, updated_at)
					VALUES ($1, $2, 'Call', '', $3, $4, $5, $5, 15, '', '', $5, $5)`, x.ws, typeID, ids[i%len(ids)], x.actor.UserID, now)
				return err
			})
			i++
		}
	})
}
