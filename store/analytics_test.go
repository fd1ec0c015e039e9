package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/attain-crm/attain/analytics"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// TestAnalyticsChangesCommittedOutOfOrder is the case the change counter
// exists for on PostgreSQL, where change numbers come from a sequence: the
// transaction holding the smaller number commits last. The counter must
// not pass the open transaction's change (a reader would skip it for
// ever), and once both commit the engine must see both deals.
func TestAnalyticsChangesCommittedOutOfOrder(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		if db.Engine() != store.Postgres {
			t.Skip("SQLite has one writer: changes commit in the order they are numbered")
		}
		ctx := context.Background()
		f := newBulkLoadFixture(t, db)
		eng := analytics.NewEngine(db)
		modelLen := func() int { return modelLen(t, eng, f.ws) }
		counter := func() int64 {
			t.Helper()
			seq, _, err := db.AnalyticsSeq(ctx, f.ws)
			if err != nil {
				t.Fatal(err)
			}
			return seq
		}
		if n := modelLen(); n != 1 {
			t.Fatalf("model before the writes has %d deals, want 1", n)
		}
		// insert opens a transaction that inserts a deal and returns it with
		// the number its change took.
		insert := func(name string) (*sql.Tx, int64) {
			t.Helper()
			tx, err := f.recs.Raw.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { tx.Rollback() })
			now := time.Now().UTC()
			var seq int64
			_, err = tx.ExecContext(ctx, `INSERT INTO deals (workspace_id, name, pipeline_id, stage_id, status, amount, currency,
				close_date, owner_id, stage_entered_at, created_at, updated_at) VALUES ($1, $2, $3, $4, 'open', 1000, 'EUR', '2030-12-31', $5, $6, $6, $6)`,
				f.ws, name, f.pipeline, f.stage, f.owner, now)
			if err == nil {
				err = tx.QueryRowContext(ctx, `SELECT max(seq) FROM analytics_changes WHERE workspace_id = $1`, f.ws).Scan(&seq)
			}
			if err != nil {
				t.Fatal(err)
			}
			return tx, seq
		}

		first, firstSeq := insert("Numbered first, committed last")
		second, secondSeq := insert("Numbered second, committed first")
		if firstSeq >= secondSeq {
			t.Fatalf("changes numbered %d then %d, want increasing", firstSeq, secondSeq)
		}
		if err := second.Commit(); err != nil {
			t.Fatal(err)
		}
		if seq := counter(); seq >= firstSeq {
			t.Fatalf("counter %d passed change %d of a transaction still open", seq, firstSeq)
		}
		if n := modelLen(); n != 1 {
			t.Errorf("model while the first transaction is open has %d deals, want 1 (the second's change is not settled)", n)
		}
		if err := first.Commit(); err != nil {
			t.Fatal(err)
		}
		if seq := counter(); seq < secondSeq {
			t.Errorf("counter %d after both commits, want at least %d", seq, secondSeq)
		}
		if n := modelLen(); n != 3 {
			t.Errorf("model after both commits has %d deals, want 3", n)
		}

		// A transaction rolled back leaves a gap, which holds nothing up.
		rolled, _ := insert("Rolled back")
		if err := rolled.Rollback(); err != nil {
			t.Fatal(err)
		}
		after, afterSeq := insert("After the rollback")
		if err := after.Commit(); err != nil {
			t.Fatal(err)
		}
		if seq := counter(); seq != afterSeq {
			t.Errorf("counter %d after a rollback and a commit, want %d", seq, afterSeq)
		}
		if n := modelLen(); n != 4 {
			t.Errorf("model after a rollback and a commit has %d deals, want 4", n)
		}
	})
}
