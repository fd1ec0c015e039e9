package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/analytics"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// bulkLoadFixture is a workspace with a pipeline, an activity type and one
// deal written the ordinary way, and a second workspace.
type bulkLoadFixture struct {
	db                       *store.DB
	ws, other, owner, other0 int64
	pipeline, stage, typ     int64
	recs                     *storetest.Records
}

func newBulkLoadFixture(t *testing.T, db *store.DB) *bulkLoadFixture {
	t.Helper()
	f := &bulkLoadFixture{db: db}
	f.ws, f.owner = bulkWorkspace(t, db, "Loaded Co")
	f.other, f.other0 = bulkWorkspace(t, db, "Bystander Co")
	f.recs = storetest.NewRecords(t, db, f.ws)
	vals := f.recs.DealValues(f.owner, "")
	f.pipeline, f.stage = vals["pipeline_id"].(int64), vals["stage_id"].(int64)
	f.deal(t, "Before the load")
	err := f.recs.Raw.QueryRowContext(context.Background(), `INSERT INTO activity_types (workspace_id, key, name, created_at)
		VALUES ($1, 'call', 'Call', $2) RETURNING id`, f.ws, time.Now().UTC()).Scan(&f.typ)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// deal inserts a deal the ordinary way, its triggers firing. (Records
// writes times in a form analytics does not read on SQLite; the loader
// writes them as the store does.)
func (f *bulkLoadFixture) deal(t *testing.T, name string) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	err := f.db.BulkTx(ctx, func(tx *store.Tx) error {
		l := tx.NewLoader()
		defer l.Close()
		deals := l.Table("deals", "workspace_id", "name", "owner_id", "pipeline_id", "stage_id", "currency", "close_date",
			"stage_entered_at", "created_at", "updated_at")
		if err := deals.Add(ctx, f.ws, name, f.owner, f.pipeline, f.stage, "EUR", "2030-12-31", at, at, at); err != nil {
			return err
		}
		return l.Flush(ctx)
	})
	if err != nil {
		t.Fatalf("insert deal: %v", err)
	}
}

// load bulk-loads n deals (each with a stage history row, two done
// activities and an open task), an account, a contact and a lead into the
// workspace, and an account into the other workspace in the same
// transaction. It returns the deal ids and the activity days.
func (f *bulkLoadFixture) load(t *testing.T, n int, prefix string, reloadAbove int64) ([]int64, []attain.ActivityBucket) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	var ids []int64
	var days []attain.ActivityBucket
	err := f.db.BulkTx(ctx, func(tx *store.Tx) error {
		bl, err := tx.BeginBulkLoad(ctx, f.ws)
		if err != nil {
			return err
		}
		if reloadAbove > 0 {
			bl.ReloadAbove = reloadAbove
		}
		l := tx.NewLoader()
		defer l.Close()
		accounts := l.Table("accounts", "workspace_id", "name", "name_key", "domain", "owner_id", "created_at", "updated_at")
		contacts := l.Table("contacts", "workspace_id", "first_name", "last_name", "email", "owner_id", "created_at", "updated_at")
		leads := l.Table("leads", "workspace_id", "first_name", "last_name", "company", "email", "owner_id", "created_at", "updated_at")
		deals := l.Table("deals", "workspace_id", "id", "name", "owner_id", "pipeline_id", "stage_id", "currency", "close_date",
			"stage_entered_at", "created_at", "updated_at")
		history := l.Table("stage_history", "workspace_id", "deal_id", "pipeline_id", "pipeline_version", "stage_id", "entered_at")
		acts := l.Table("activities", "workspace_id", "type_id", "deal_id", "owner_id", "occurred_at", "due_at", "created_at", "updated_at")
		dealIDs := tx.NewIDs("deals")
		name := prefix + " Quetzal Analytics"
		if err := accounts.Add(ctx, f.ws, name, attain.NameKey(name), prefix+".example", f.owner, at, at); err != nil {
			return err
		}
		if err := accounts.Add(ctx, f.other, prefix+" Bystander", attain.NameKey(prefix+" Bystander"), "", f.other0, at, at); err != nil {
			return err
		}
		if err := contacts.Add(ctx, f.ws, "Ximena", prefix+"son", "ximena@"+prefix+".example", f.owner, at, at); err != nil {
			return err
		}
		if err := leads.Add(ctx, f.ws, "Yusuf", prefix+"lead", "Zephyr Works", "yusuf@"+prefix+".example", f.owner, at, at); err != nil {
			return err
		}
		for i := range n {
			id, err := dealIDs.Next(ctx)
			if err != nil {
				return err
			}
			ids = append(ids, id)
			if err := deals.Add(ctx, f.ws, id, fmt.Sprintf("%s Walrus deal %d", prefix, i), f.owner, f.pipeline, f.stage, "EUR",
				"2030-12-31", at, at, at); err != nil {
				return err
			}
			if err := history.Add(ctx, f.ws, id, f.pipeline, 1, f.stage, at); err != nil {
				return err
			}
			for k := range 2 {
				done := at.AddDate(0, 0, i+k)
				days = append(days, attain.ActivityBucket{OwnerID: f.owner, Day: attain.DateOf(done)})
				if err := acts.Add(ctx, f.ws, f.typ, id, f.owner, done, nil, at, at); err != nil {
					return err
				}
			}
			if err := acts.Add(ctx, f.ws, f.typ, id, f.owner, nil, at.AddDate(0, 1, 0), at, at); err != nil {
				return err
			}
		}
		if err := l.Flush(ctx); err != nil {
			return err
		}
		return bl.End(ctx)
	})
	if err != nil {
		t.Fatalf("bulk load: %v", err)
	}
	return ids, days
}

// searchFinds reports whether a search of the workspace for q finds a
// record of type typ titled title.
func searchFinds(t *testing.T, db *store.DB, ws int64, q, typ, title string) bool {
	t.Helper()
	var found bool
	storetest.Read(t, db, func(tx *store.Tx) error {
		hits, err := tx.Search(context.Background(), attain.SystemActor(ws), attain.SearchQuery{Q: q, Types: []string{typ}, Limit: 50})
		found = slices.ContainsFunc(hits, func(h *attain.SearchResult) bool { return h.Title == title })
		return err
	})
	return found
}

// TestBulkLoadDerivedData loads rows with the triggers paused, on every
// engine: afterwards search finds every loaded record once, the analytics
// change log names exactly the loaded deals and activity days (a small
// load) or makes every engine reload its model (a large one), an analytics
// engine that had the workspace's model sees the loaded deals either way,
// the other workspace written in the same transaction was indexed by its
// triggers, and writes after the load fire the triggers again.
func TestBulkLoadDerivedData(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newBulkLoadFixture(t, db)
		eng := analytics.NewEngine(db)
		modelLen := func() int { return modelLen(t, eng, f.ws) }
		if n := modelLen(); n != 1 {
			t.Fatalf("model before the load has %d deals, want 1", n)
		}
		seq0, _, err := db.AnalyticsSeq(ctx, f.ws)
		if err != nil {
			t.Fatal(err)
		}

		// A small load: one change entry per loaded row.
		ids, days := f.load(t, 4, "small", 0)
		seq1, pruned1, err := db.AnalyticsSeq(ctx, f.ws)
		if err != nil {
			t.Fatal(err)
		}
		if want := seq0 + 4 + 4 + 8; seq1 != want || pruned1 != 0 {
			t.Errorf("counter after a small load: seq %d pruned %d, want seq %d pruned 0", seq1, pruned1, want)
		}
		gotDeals, gotDays, err := db.AnalyticsChanges(ctx, f.ws, seq0, seq1)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(gotDeals)
		if !slices.Equal(gotDeals, ids) {
			t.Errorf("changed deals %v, want %v", gotDeals, ids)
		}
		for _, d := range days {
			if !slices.Contains(gotDays, d) {
				t.Errorf("changed activity days %v lack %v", gotDays, d)
			}
		}
		if n := modelLen(); n != 5 {
			t.Errorf("model after a small load has %d deals, want 5", n)
		}

		// A large load: every process reloads the workspace's model.
		f.load(t, 6, "large", 5)
		seq2, pruned2, err := db.AnalyticsSeq(ctx, f.ws)
		if err != nil {
			t.Fatal(err)
		}
		if seq2 != seq1+1 || pruned2 != seq2 {
			t.Errorf("counter after a large load: seq %d pruned %d, want both %d", seq2, pruned2, seq1+1)
		}
		if n := modelLen(); n != 11 {
			t.Errorf("model after a large load has %d deals, want 11", n)
		}

		for _, prefix := range []string{"small", "large"} {
			for _, c := range []struct{ q, typ, title string }{
				{prefix + " quetzal", "account", prefix + " Quetzal Analytics"},
				{"ximena " + prefix + "son", "contact", "Ximena " + prefix + "son"},
				{"yusuf zephyr", "lead", "Yusuf " + prefix + "lead"},
				{prefix + " walrus 3", "deal", prefix + " Walrus deal 3"},
			} {
				if !searchFinds(t, db, f.ws, c.q, c.typ, c.title) {
					t.Errorf("search for %q finds no %s %q", c.q, c.typ, c.title)
				}
			}
			if !searchFinds(t, db, f.other, prefix+" bystander", "account", prefix+" Bystander") {
				t.Errorf("the other workspace's account loaded alongside is not indexed")
			}
		}
		storetest.Read(t, db, func(tx *store.Tx) error {
			hits, err := tx.Search(ctx, attain.SystemActor(f.ws), attain.SearchQuery{Q: "walrus", Types: []string{"deal"}, Limit: 50})
			if len(hits) != 10 {
				t.Errorf("search for walrus finds %d deals, want each of the 10 loaded once", len(hits))
			}
			return err
		})

		// After the load the triggers fire again.
		f.deal(t, "After the load Narwhal")
		seq3, _, err := db.AnalyticsSeq(ctx, f.ws)
		if err != nil {
			t.Fatal(err)
		}
		if seq3 != seq2+1 {
			t.Errorf("an insert after the load moved the counter from %d to %d", seq2, seq3)
		}
		if !searchFinds(t, db, f.ws, "narwhal", "deal", "After the load Narwhal") {
			t.Error("a deal inserted after the load is not indexed")
		}
		if n := modelLen(); n != 12 {
			t.Errorf("model after an ordinary insert has %d deals, want 12", n)
		}
	})
}

// TestDeferIndexes drops the non-unique indexes of a table for a load and
// builds them again, by RestoreIndexes or, after a load that was killed, by
// the next Migrate; on both engines, with the same definitions as before.
func TestDeferIndexes(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		raw := storetest.Raw(t, db)
		indexes := func() []string {
			t.Helper()
			q := `SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'activities' AND sql IS NOT NULL ORDER BY name`
			if db.Engine() == store.Postgres {
				q = `SELECT indexdef FROM pg_indexes WHERE tablename = 'activities' AND schemaname = current_schema() ORDER BY indexname`
			}
			rows, err := raw.QueryContext(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var defs []string
			for rows.Next() {
				var d string
				if err := rows.Scan(&d); err != nil {
					t.Fatal(err)
				}
				defs = append(defs, d)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			return defs
		}
		all := indexes()
		for _, end := range []string{"restore", "migrate"} {
			c, err := db.BulkConn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.DeferIndexes(ctx, "activities"); err != nil {
				t.Fatal(err)
			}
			during := indexes()
			if end == "restore" {
				err = c.RestoreIndexes(ctx)
			}
			if cerr := c.Close(); err == nil {
				err = cerr
			}
			if err == nil && end == "migrate" {
				err = db.Migrate(ctx)
			}
			if err != nil {
				t.Fatal(err)
			}
			// The unique partial index on external_id stays, and on
			// PostgreSQL the primary key's index (SQLite's has no sql).
			wantDuring := 1
			if db.Engine() == store.Postgres {
				wantDuring = 2
			}
			if after := indexes(); len(during) != wantDuring || !slices.Equal(after, all) {
				t.Errorf("%s: %d indexes during the load, want %d; after it:\n%s\nwant:\n%s", end, len(during), wantDuring,
					strings.Join(after, "\n"), strings.Join(all, "\n"))
			}
		}
	})
}

// modelLen is how many deals the engine's model of workspace ws holds.
func modelLen(t *testing.T, eng *analytics.Engine, ws int64) int {
	t.Helper()
	var n int
	if err := eng.View(context.Background(), ws, func(m *analytics.Model) error { n = m.Len(); return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}
