package store

import (
	"context"
	"fmt"
)

// A bulk load pauses, for one workspace and within one transaction, the
// per-row insert triggers that keep derived data: the search index (FTS5
// triggers on SQLite; on PostgreSQL it is a generated column and needs no
// pause), the analytics change log and the buying-role counter (both
// engines). Per-row triggers cost
// more than the insert itself on big loads; at the end of the load the
// derived data is rebuilt set-wise, for the rows inserted since the load
// began and only those.
//
// Use it around the inserts of one transaction:
//
//	bl, err := tx.BeginBulkLoad(ctx, workspaceID)
//	... insert rows into accounts, contacts, leads, deals, deal_lines,
//	    stage_history, activities (any writer: Loader, plain INSERTs) ...
//	err = bl.End(ctx)
//
// and commit. Call BeginBulkLoad before drawing ids (IDs) or inserting, and
// End before the transaction commits: a transaction that commits without End
// leaves the loaded rows out of search and analytics (on SQLite it also
// leaves the mark, so later inserts into the workspace stay unindexed until
// a load ends). Rolling back undoes everything, the mark included.
//
// What counts as loaded is every row of the workspace whose id is above the
// largest id when the load began (a watermark per table). On SQLite
// the transaction holds the only write lock, so that is exactly the rows the
// transaction inserted; on PostgreSQL it may also take in rows another
// transaction inserted into the same workspace meanwhile, whose change-log
// entries are then written twice, which is harmless. Updates and deletes are
// not paused: their triggers keep working as usual, also on loaded rows.
//
// Only inserts into the workspace being loaded skip their triggers; other
// workspaces, and every transaction without a load, behave exactly as before.
// A transaction has at most one load per workspace open at a time, and on
// PostgreSQL at most one at all.
type BulkLoad struct {
	// ReloadAbove is the number of loaded rows above which End makes every
	// process reload its analytics model instead of logging each row
	// (BulkReloadChanges unless changed before End).
	ReloadAbove int64

	tx    *Tx
	ws    int64
	marks [len(bulkLoadTables)]int64
	ended bool
}

// bulkLoadTables are the tables whose insert triggers a bulk load pauses.
var bulkLoadTables = [...]string{"accounts", "contacts", "leads", "deals", "deal_lines", "stage_history", "activities"}

const (
	blAccounts = iota
	blContacts
	blLeads
	blDeals
	blDealLines
	blStageHistory
	blActivities
)

// bulkSearch are the SQLite search index rows of each indexed table, as the
// insert triggers of migrations 00040 and 00110 write them: the rowid base of
// the kind and the title and detail expressions.
var bulkSearch = []struct {
	table         int
	base          int64
	title, detail string
}{
	{blAccounts, 1 << 40, `name`, `domain || ' ' || website`},
	{blContacts, 2 << 40, `first_name || ' ' || last_name`, `email || ' ' || emails || ' ' || title || ' ' || phone || ' ' || phones`},
	{blLeads, 3 << 40, `first_name || ' ' || last_name || ' ' || company`, `email`},
	{blDeals, 4 << 40, `name`, `next_step`},
}

// BulkReloadChanges is the number of loaded rows above which End does not
// write one analytics change entry per row but tells every process to reload
// its analytics model of the workspace from scratch, which is cheaper past
// this size (the engine reloads from scratch past 200,000 changes anyway).
const BulkReloadChanges = 10_000

// BeginBulkLoad marks workspaceID as bulk-loading in tx: from now until End,
// inserts into the workspace skip the search and analytics triggers.
func (tx *Tx) BeginBulkLoad(ctx context.Context, workspaceID int64) (*BulkLoad, error) {
	b := &BulkLoad{ReloadAbove: BulkReloadChanges, tx: tx, ws: workspaceID}
	// SQLite: the table's largest id, a rowid lookup, which End's search
	// rebuild relies on. PostgreSQL: the workspace's largest, a lookup in
	// the (workspace_id, id) key; ids drawn later from the sequence are
	// above it.
	q, args := `SELECT COALESCE(max(id), 0) FROM %s`, []any{}
	if tx.db.dialect.name() == Postgres {
		q, args = `SELECT COALESCE(max(id), 0) FROM %s WHERE workspace_id = $1`, []any{workspaceID}
	}
	for i, t := range bulkLoadTables {
		if err := tx.queryRow(ctx, fmt.Sprintf(q, t), args...).Scan(&b.marks[i]); err != nil {
			return nil, fmt.Errorf("begin bulk load: %s: %w", t, err)
		}
	}
	var err error
	if tx.db.dialect.name() == SQLite {
		_, err = tx.exec(ctx, `INSERT INTO bulk_loads (workspace_id) VALUES ($1)`, workspaceID)
	} else {
		_, err = tx.exec(ctx, `SELECT set_config('attain.bulk_load', $1, true)`, fmt.Sprint(workspaceID))
	}
	if err != nil {
		return nil, fmt.Errorf("begin bulk load: %w", tx.db.dialect.translate(err))
	}
	return b, nil
}

// End resumes the triggers and rebuilds the derived data of the rows loaded
// since BeginBulkLoad: their search index entries, and either their analytics
// change entries or, past BulkReloadChanges rows, a bump of the workspace's
// change counter that makes every process (every `attain serve` sharing the
// database) reload its analytics model of the workspace. It runs in the
// load's transaction, so readers see the rows and their derived data at once.
func (b *BulkLoad) End(ctx context.Context) error {
	if b.ended {
		return nil
	}
	b.ended = true
	tx := b.tx
	var err error
	if tx.db.dialect.name() == SQLite {
		_, err = tx.exec(ctx, `DELETE FROM bulk_loads WHERE workspace_id = $1`, b.ws)
	} else {
		_, err = tx.exec(ctx, `SELECT set_config('attain.bulk_load', '', true)`)
	}
	if err != nil {
		return fmt.Errorf("end bulk load: %w", err)
	}
	// The buying-role counter, which contact_roles' insert trigger leaves
	// alone during a load (migration 00250): one bump stands for every
	// role the load inserted.
	if _, err := tx.exec(ctx, `INSERT INTO analytics_state (workspace_id) VALUES ($1) ON CONFLICT (workspace_id) DO NOTHING`, b.ws); err != nil {
		return fmt.Errorf("end bulk load: %w", err)
	}
	if _, err := tx.exec(ctx, `UPDATE analytics_state SET roles_seq = roles_seq + 1 WHERE workspace_id = $1`, b.ws); err != nil {
		return fmt.Errorf("end bulk load: %w", err)
	}
	if tx.db.dialect.name() == SQLite {
		if err := b.rebuildSearch(ctx); err != nil {
			return fmt.Errorf("end bulk load: search: %w", err)
		}
	}
	if err := b.logAnalytics(ctx); err != nil {
		return fmt.Errorf("end bulk load: analytics: %w", err)
	}
	return nil
}

// rebuildSearch indexes the rows inserted since the load began (SQLite
// only). The transaction holds SQLite's only write lock, so every row above
// a table's watermark was inserted by it, whatever its workspace; the index
// entries above the watermark are deleted and rewritten from those rows.
// That covers the other workspaces' rows (indexed by their triggers) and
// loaded rows updated or deleted during the load (their triggers kept the
// index too) without indexing any row twice.
func (b *BulkLoad) rebuildSearch(ctx context.Context) error {
	for _, s := range bulkSearch {
		t, mark := bulkLoadTables[s.table], b.marks[s.table]
		if _, err := b.tx.exec(ctx, `DELETE FROM search_index WHERE rowid > $1 AND rowid < $2`,
			s.base+mark, s.base+1<<40); err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
		q := fmt.Sprintf(`INSERT INTO search_index (rowid, title, detail)
			SELECT %d + id, %s, %s FROM %s WHERE id > $1 AND deleted_at IS NULL ORDER BY id`,
			s.base, s.title, s.detail, t)
		if _, err := b.tx.exec(ctx, q, mark); err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
	}
	return nil
}

// logAnalytics writes what the paused analytics triggers would have: a
// change entry per loaded deal (for itself, its lines and stage history) and
// per loaded activity day, all under one counter value and the counter moved
// by their number; or, for a large load, a reload of the model.
func (b *BulkLoad) logAnalytics(ctx context.Context) error {
	tx, ws, m := b.tx, b.ws, b.marks
	// The loaded rows that feed analytics, counted up to the threshold.
	var n int64
	err := tx.queryRow(ctx, `SELECT count(*) FROM (
			SELECT 1 FROM deals WHERE workspace_id = $1 AND id > $2
			UNION ALL SELECT 1 FROM deal_lines WHERE workspace_id = $1 AND id > $3
			UNION ALL SELECT 1 FROM stage_history WHERE workspace_id = $1 AND id > $4
			UNION ALL SELECT 1 FROM activities WHERE workspace_id = $1 AND id > $5 AND occurred_at IS NOT NULL
			LIMIT $6) loaded`,
		ws, m[blDeals], m[blDealLines], m[blStageHistory], m[blActivities], b.ReloadAbove+1).Scan(&n)
	if err != nil || n == 0 {
		return err
	}
	// The entries share the last of n numbers: the counter moves by n, as
	// it would have had the triggers logged the rows one by one. A reload
	// takes one.
	reload := n > b.ReloadAbove
	if reload {
		n = 1
	}
	var seq int64
	take, args := tx.db.dialect.takeChangeSeqs(ws, n)
	if err := tx.queryRow(ctx, take, args...).Scan(&seq); err != nil {
		return err
	}
	if reload {
		// pruned_seq above what any process has seen makes each reload
		// the workspace's model from scratch on its next read.
		if _, err := tx.exec(ctx, `INSERT INTO analytics_changes (workspace_id, seq) VALUES ($1, $2)`, ws, seq); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO analytics_state (workspace_id, pruned_seq) VALUES ($1, $2)
			ON CONFLICT (workspace_id) DO UPDATE SET pruned_seq = excluded.pruned_seq`, ws, seq)
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO analytics_changes (workspace_id, seq, deal_id)
		SELECT $1, $2, deal_id FROM (
			SELECT id AS deal_id FROM deals WHERE workspace_id = $1 AND id > $3
			UNION SELECT deal_id FROM deal_lines WHERE workspace_id = $1 AND id > $4
			UNION SELECT deal_id FROM stage_history WHERE workspace_id = $1 AND id > $5) loaded`,
		ws, seq, m[blDeals], m[blDealLines], m[blStageHistory]); err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO analytics_changes (workspace_id, seq, owner_id, at)
		SELECT $1, $2, owner_id, occurred_at FROM activities
		WHERE workspace_id = $1 AND id > $3 AND occurred_at IS NOT NULL`, ws, seq, m[blActivities])
	return err
}
