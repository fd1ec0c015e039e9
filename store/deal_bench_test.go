package store_test

// Benchmarks of the deal writes and the filtered list, each next to the
// cheapest thing the database can do: a bare statement through database/sql
// with no Attain code around it (the XRaw benchmarks in
// hotpath_bench_test.go). Run them on both engines with
//
//	ATTAIN_TEST_POSTGRES_URL=postgres://... go test ./store -run '^$' -bench Deal -benchtime 2000x
//
// A store write here is what the service really does per request: the row,
// the stage history, the field changes and the audit entry, in one
// transaction.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// dealBench is a migrated database with a workspace, its default pipeline
// and a few owners.
type dealBench struct {
	db       *store.DB
	ws       int64
	owners   []int64
	actor    *attain.Actor
	pipeline *attain.Pipeline
}

func newDealBench(b *testing.B, engine string) *dealBench {
	b.Helper()
	if scaleDSN() != "" {
		return newScaleDealBench(b)
	}
	ctx := context.Background()
	db := storetest.Open(b, engine)
	x := &dealBench{db: db}
	err := db.WriteTx(ctx, func(tx *store.Tx) error {
		w := &attain.Workspace{Name: "Bench", Slug: "bench"}
		if err := tx.CreateWorkspace(ctx, w); err != nil {
			return err
		}
		x.ws = w.ID
		for i := range 5 {
			u := &attain.User{Email: fmt.Sprintf("rep%d@bench.test", i), Name: fmt.Sprintf("Rep %d", i)}
			if _, err := tx.CreateUser(ctx, u, "x"); err != nil {
				return err
			}
			if err := tx.AddMember(ctx, w.ID, u.ID, attain.RoleRep); err != nil {
				return err
			}
			x.owners = append(x.owners, u.ID)
		}
		if err := tx.SeedPicklists(ctx, w.ID, attain.DefaultPicklists()); err != nil {
			return err
		}
		in := attain.DefaultPipeline()
		if err := in.Validate(); err != nil {
			return err
		}
		var err error
		x.pipeline, err = tx.CreatePipeline(ctx, w.ID, in, nil)
		return err
	})
	if err != nil {
		b.Fatalf("setup: %v", err)
	}
	x.actor = &attain.Actor{UserID: x.owners[0], WorkspaceID: x.ws, Role: attain.RoleRep, OwnerIDs: []int64{x.owners[0]}}
	return x
}

// create writes one deal as the service does.
func (x *dealBench) create(ctx context.Context, tx *store.Tx, i int) (*attain.Deal, error) {
	amount := int64(1000 + (i*7919)%100000)
	d := &attain.Deal{
		Name: fmt.Sprintf("Deal %06d", i), PipelineID: x.pipeline.ID, StageID: x.pipeline.Stages[i%5].ID, Status: attain.DealOpen,
		Amount: amount, Currency: "USD", CloseDate: attain.DateOf(time.Date(2030, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)),
		OwnerID: x.owners[i%len(x.owners)],
	}
	if err := tx.CreateDeal(ctx, x.ws, d); err != nil {
		return nil, err
	}
	err := tx.EnterStage(ctx, x.ws, &attain.StageHistoryEntry{DealID: d.ID, PipelineID: d.PipelineID, PipelineVersion: 1,
		StageID: d.StageID, EnteredAt: tx.Now, MovedBy: &d.OwnerID})
	if err != nil {
		return nil, err
	}
	if err := tx.RecordChanges(ctx, x.actor, "deal", d.ID, nil, d.Tracked()); err != nil {
		return nil, err
	}
	return d, tx.Audit(ctx, x.actor, "create", "deal", d.ID, nil, d)
}

// seed creates n deals in transactions of 500.
func (x *dealBench) seed(b *testing.B, n int) []int64 {
	b.Helper()
	ctx := context.Background()
	var ids []int64
	for start := 0; start < n; start += 500 {
		err := x.db.WriteTx(ctx, func(tx *store.Tx) error {
			for i := start; i < min(start+500, n); i++ {
				d, err := x.create(ctx, tx, i)
				if err != nil {
					return err
				}
				ids = append(ids, d.ID)
			}
			return nil
		})
		if err != nil {
			b.Fatalf("seed: %v", err)
		}
	}
	return ids
}

// forEachBenchEngine runs fn on each engine, or at scale on the engine of
// the demo database (scale_bench_test.go).
func forEachBenchEngine(b *testing.B, fn func(b *testing.B, engine string)) {
	if dsn := scaleDSN(); dsn != "" {
		engine := scaleEngine(dsn)
		b.Run(engine, func(b *testing.B) { fn(b, engine) })
		return
	}
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) { fn(b, engine) })
	}
}

func BenchmarkDealCreate(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, engine string) {
		x := newDealBench(b, engine)
		ctx := context.Background()
		i := 0
		for b.Loop() {
			err := x.db.WriteTx(ctx, func(tx *store.Tx) error {
				_, err := x.create(ctx, tx, i)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

func BenchmarkDealUpdate(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, engine string) {
		x := newDealBench(b, engine)
		ids := x.seed(b, 1000)
		ctx := context.Background()
		i := 0
		for b.Loop() {
			err := x.db.WriteTx(ctx, func(tx *store.Tx) error {
				before, err := tx.FindDeal(ctx, x.ws, ids[i%len(ids)])
				if err != nil {
					return err
				}
				after := *before
				after.Amount += 100
				after.NextStep = fmt.Sprintf("Call %d", i)
				if err := tx.UpdateDeal(ctx, x.ws, before.Version, &after); err != nil {
					return err
				}
				if err := tx.RecordChanges(ctx, x.actor, "deal", after.ID, before.Tracked(), after.Tracked()); err != nil {
					return err
				}
				return tx.Audit(ctx, x.actor, "update", "deal", after.ID, before, &after)
			})
			if err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

func BenchmarkDealMove(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, engine string) {
		x := newDealBench(b, engine)
		ids := x.seed(b, 1000)
		ctx := context.Background()
		i := 0
		for b.Loop() {
			err := x.db.WriteTx(ctx, func(tx *store.Tx) error {
				before, err := tx.FindDeal(ctx, x.ws, ids[i%len(ids)])
				if err != nil {
					return err
				}
				p, err := tx.FindPipeline(ctx, x.ws, before.PipelineID)
				if err != nil {
					return err
				}
				if _, err := tx.CountDealActivities(ctx, x.ws, before.ID); err != nil {
					return err
				}
				after := *before
				after.StageID = p.Stages[(i+1)%5].ID
				after.StageEnteredAt = tx.Now
				if err := tx.UpdateDeal(ctx, x.ws, before.Version, &after); err != nil {
					return err
				}
				err = tx.EnterStage(ctx, x.ws, &attain.StageHistoryEntry{DealID: after.ID, PipelineID: p.ID, PipelineVersion: p.CurrentVersion,
					StageID: after.StageID, FromStageID: &before.StageID, EnteredAt: tx.Now, MovedBy: &x.actor.UserID})
				if err != nil {
					return err
				}
				if err := tx.RecordChanges(ctx, x.actor, "deal", after.ID, before.Tracked(), after.Tracked()); err != nil {
					return err
				}
				return tx.Audit(ctx, x.actor, "move", "deal", after.ID, before, &after)
			})
			if err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkDealList pages through a rep's filtered list of 5,000 deals.
func BenchmarkDealList(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, engine string) {
		x := newDealBench(b, engine)
		x.seed(b, 5000)
		ctx := context.Background()
		queries := map[string]attain.ListQuery{
			"mine-by-amount": {
				Filters: []attain.Filter{{Field: "amount", Op: "gte", Values: []string{"20000"}}, {Field: "status", Values: []string{"open"}}},
				Sort:    attain.Sort{Field: "amount", Desc: true}, Page: attain.Page{Limit: 50},
			},
			"closing-in-march": {
				Filters: []attain.Filter{{Field: "close_date", Op: "gte", Values: []string{"2030-03-01"}}, {Field: "close_date", Op: "lt", Values: []string{"2030-04-01"}}},
				Sort:    attain.Sort{Field: "close_date"}, Page: attain.Page{Limit: 50},
			},
			"name-prefix": {
				Filters: []attain.Filter{{Field: "name", Op: "prefix", Values: []string{"deal 001"}}},
				Sort:    attain.Sort{Field: "name"}, Page: attain.Page{Limit: 50},
			},
		}
		for name, q := range queries {
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					err := x.db.ReadTx(ctx, func(tx *store.Tx) error {
						ds, _, err := tx.FindDeals(ctx, x.actor, q)
						if err == nil && len(ds) == 0 {
							err = fmt.Errorf("no deals for %s", strings.ToLower(name))
						}
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
}
