package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/attain-crm/attain"
)

// AnalyticsSeq returns a workspace's change counter (it moves on every
// write to deals, their stages and lines, and activities; every change up
// to it can be read, and none will commit below it later) and the counter
// up to which the change log has been pruned.
func (db *DB) AnalyticsSeq(ctx context.Context, workspaceID int64) (seq, pruned int64, err error) {
	err = db.read.QueryRowContext(ctx, `SELECT `+db.dialect.changeSeq("$1")+`,
		coalesce((SELECT pruned_seq FROM analytics_state WHERE workspace_id = $1), 0)`, workspaceID).Scan(&seq, &pruned)
	return seq, pruned, err
}

// Counters are a workspace's change counters: Seq (deals, their stages and
// lines, activities; AnalyticsSeq), Roles (contact_roles), Targets (targets) and Config
// (members, teams, products, pipelines, activity types, planning and KPI
// settings: migration 00240). Facts read after them in a transaction are
// never older than they say.
type Counters struct {
	Seq, Roles, Targets, Config int64
}

// Counters returns the workspace's change counters (zero before any write).
func (tx *Tx) Counters(ctx context.Context, workspaceID int64) (Counters, error) {
	var c Counters
	err := tx.queryRow(ctx, `SELECT `+tx.db.dialect.changeSeq("$1")+`,
		coalesce((SELECT roles_seq FROM analytics_state WHERE workspace_id = $1), 0),
		coalesce((SELECT targets_seq FROM analytics_state WHERE workspace_id = $1), 0),
		coalesce((SELECT config_seq FROM analytics_state WHERE workspace_id = $1), 0)`,
		workspaceID).Scan(&c.Seq, &c.Roles, &c.Targets, &c.Config)
	return c, err
}

// AnalyticsChanges returns what changed in a workspace after counter value
// after and up to upto: the deals to reload and the activity days to count
// again, each once.
func (db *DB) AnalyticsChanges(ctx context.Context, workspaceID, after, upto int64) (deals []int64, buckets []attain.ActivityBucket, err error) {
	rows, err := db.read.QueryContext(ctx, `SELECT deal_id, owner_id, at FROM analytics_changes
		WHERE workspace_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq`, workspaceID, after, upto)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	seenDeal := map[int64]bool{}
	seenBucket := map[attain.ActivityBucket]bool{}
	for rows.Next() {
		var deal, owner sql.NullInt64
		var at sql.NullTime
		if err := rows.Scan(&deal, &owner, &at); err != nil {
			return nil, nil, err
		}
		if deal.Valid && !seenDeal[deal.Int64] {
			seenDeal[deal.Int64] = true
			deals = append(deals, deal.Int64)
		}
		if owner.Valid && at.Valid {
			b := attain.ActivityBucket{OwnerID: owner.Int64, Day: attain.DateOf(at.Time.UTC())}
			if !seenBucket[b] {
				seenBucket[b] = true
				buckets = append(buckets, b)
			}
		}
	}
	return deals, buckets, rows.Err()
}

// PruneAnalyticsChanges deletes a workspace's change log up to counter value
// upto. A process that has not caught up that far reloads from scratch.
func (db *DB) PruneAnalyticsChanges(ctx context.Context, workspaceID, upto int64) error {
	return db.WriteTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM analytics_changes WHERE workspace_id = $1 AND seq <= $2`, workspaceID, upto); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `UPDATE analytics_state SET pruned_seq = $1 WHERE workspace_id = $2 AND pruned_seq < $1`, upto, workspaceID)
		return err
	})
}

// factChunk bounds the ids in one IN list.
const factChunk = 500

// LoadDealFacts streams the facts of a workspace's live (not deleted) deals
// to sink: all of them when ids is nil, else those among ids.
func (db *DB) LoadDealFacts(ctx context.Context, workspaceID int64, ids []int64, sink attain.DealFactSink) error {
	if ids == nil {
		return db.ReadTx(ctx, func(tx *Tx) error { return tx.loadDealFacts(ctx, workspaceID, nil, sink) })
	}
	for len(ids) > 0 {
		n := min(len(ids), factChunk)
		chunk := ids[:n]
		ids = ids[n:]
		if err := db.ReadTx(ctx, func(tx *Tx) error { return tx.loadDealFacts(ctx, workspaceID, chunk, sink) }); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) loadDealFacts(ctx context.Context, workspaceID int64, ids []int64, sink attain.DealFactSink) error {
	ar := args{workspaceID}
	only := func(col string) string {
		if ids == nil {
			return ""
		}
		return " AND " + col + " IN " + ar.in(ids)
	}
	// Times come as Unix seconds and the yes/no fields as one bit set:
	// every column costs a conversion per row, and loads stream millions.
	ep := tx.epoch
	rows, err := tx.query(ctx, `SELECT id, owner_id, COALESCE(team_id, 0), pipeline_id, stage_id, status, amount, currency, margin,
		close_date, COALESCE(forecast_category, ''), reason, `+ep("created_at")+`, `+ep("closed_at")+`, `+ep("stage_entered_at")+`,
		`+ep("last_activity_at")+`, (CASE WHEN close_date_estimated THEN 1 ELSE 0 END) + (CASE WHEN account_id IS NULL THEN 0 ELSE 2 END)
			+ (CASE WHEN primary_contact_id IS NULL THEN 0 ELSE 4 END) + (CASE WHEN next_step = '' THEN 0 ELSE 8 END)
		FROM deals WHERE workspace_id = $1 AND deleted_at IS NULL`+only("id")+` ORDER BY id`, ar...)
	if err != nil {
		return err
	}
	var live []int64
	for rows.Next() {
		var f attain.DealFact
		var margin, closed, activity sql.NullInt64
		var created, entered, bits int64
		if err := rows.Scan(&f.ID, &f.OwnerID, &f.TeamID, &f.PipelineID, &f.StageID, &f.Status, &f.Amount, &f.Currency, &margin,
			&f.CloseDate, &f.ForecastOverride, &f.Reason, &created, &closed, &entered, &activity, &bits); err != nil {
			rows.Close()
			return fmt.Errorf("scan deal fact: %w", err)
		}
		f.Margin, f.HasMargin = margin.Int64, margin.Valid
		f.CreatedAt, f.StageEnteredAt = unixTime(created, true), unixTime(entered, true)
		f.ClosedAt, f.LastActivityAt = unixTime(closed.Int64, closed.Valid), unixTime(activity.Int64, activity.Valid)
		f.CloseDateEstimated, f.HasAccount, f.HasContact, f.HasNextStep = bits&1 != 0, bits&2 != 0, bits&4 != 0, bits&8 != 0
		if ids != nil {
			live = append(live, f.ID)
		}
		sink.Deal(&f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if ids != nil {
		if len(live) == 0 {
			return nil
		}
		ids = live
	}

	ar = args{workspaceID}
	rows, err = tx.query(ctx, `SELECT deal_id, stage_id, `+ep("entered_at")+`, `+ep("exited_at")+` FROM stage_history
		WHERE workspace_id = $1`+only("deal_id")+` ORDER BY deal_id, entered_at, id`, ar...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var s attain.StageStay
		var entered int64
		var exited sql.NullInt64
		if err := rows.Scan(&s.DealID, &s.StageID, &entered, &exited); err != nil {
			rows.Close()
			return fmt.Errorf("scan stage stay: %w", err)
		}
		s.Entered, s.Exited = unixTime(entered, true), unixTime(exited.Int64, exited.Valid)
		sink.Stay(s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	ar = args{workspaceID}
	rows, err = tx.query(ctx, `SELECT DISTINCT deal_id, product_id FROM deal_lines
		WHERE workspace_id = $1 AND product_id IS NOT NULL`+only("deal_id")+` ORDER BY deal_id, product_id`, ar...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var deal, product int64
		if err := rows.Scan(&deal, &product); err != nil {
			rows.Close()
			return err
		}
		sink.Product(deal, product)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	ar = args{workspaceID}
	rows, err = tx.query(ctx, `SELECT entity_id, field, COALESCE(old_value, 'null'), COALESCE(new_value, 'null'), at FROM field_changes
		WHERE workspace_id = $1 AND entity_type = 'deal' AND field IN ('close_date', 'owner_id')`+only("entity_id")+
		` ORDER BY entity_id, id`, ar...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c attain.DealFieldChange
		var oldJSON, newJSON string
		if err := rows.Scan(&c.DealID, &c.Field, &oldJSON, &newJSON, &c.At); err != nil {
			return err
		}
		c.Old, c.New = jsonScalar(oldJSON), jsonScalar(newJSON)
		sink.Change(c)
	}
	return rows.Err()
}

// epoch returns SQL giving a timestamp column as whole Unix seconds.
func (tx *Tx) epoch(col string) string {
	if tx.Engine() == Postgres {
		return "floor(extract(epoch from " + col + "))::bigint"
	}
	return "unixepoch(" + col + ")"
}

// unixTime turns Unix seconds into a UTC time (zero when not valid).
func unixTime(sec int64, valid bool) time.Time {
	if !valid {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

// jsonScalar turns a JSON string or number into its text ("" for null).
func jsonScalar(s string) string {
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatInt(int64(x), 10)
	}
	return ""
}

// LoadActivityCounts streams how many done activities each owner logged per
// type and UTC day: for the whole workspace when buckets is nil, else for
// those owner-days only (a day with none left is not reported).
func (db *DB) LoadActivityCounts(ctx context.Context, workspaceID int64, buckets []attain.ActivityBucket, fn func(attain.ActivityCount)) error {
	day := `substr(occurred_at, 1, 10)`
	if db.Engine() == Postgres {
		day = `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
	}
	scan := func(rows *sql.Rows) error {
		defer rows.Close()
		for rows.Next() {
			var c attain.ActivityCount
			var d string
			if err := rows.Scan(&c.OwnerID, &c.TypeID, &d, &c.Count); err != nil {
				return err
			}
			var err error
			if c.Day, err = attain.ParseDate(d); err != nil {
				return fmt.Errorf("activity day %q: %w", d, err)
			}
			fn(c)
		}
		return rows.Err()
	}
	const base = `SELECT owner_id, type_id, %s, count(*) FROM activities
		WHERE workspace_id = $1 AND occurred_at IS NOT NULL AND deleted_at IS NULL%s GROUP BY owner_id, type_id, %s`
	if buckets == nil {
		return db.ReadTx(ctx, func(tx *Tx) error {
			rows, err := tx.query(ctx, fmt.Sprintf(base, day, "", day), workspaceID)
			if err != nil {
				return err
			}
			return scan(rows)
		})
	}
	return db.ReadTx(ctx, func(tx *Tx) error {
		for _, b := range buckets {
			from := b.Day.Time()
			rows, err := tx.query(ctx, fmt.Sprintf(base, day, " AND owner_id = $2 AND occurred_at >= $3 AND occurred_at < $4", day),
				workspaceID, b.OwnerID, from, from.Add(24*time.Hour))
			if err != nil {
				return err
			}
			if err := scan(rows); err != nil {
				return err
			}
		}
		return nil
	})
}

// FindAnalyticsSettings returns a workspace's KPI settings as stored JSON
// ("{}" when never set) and their version (1 when never set: the defaults
// are version 1, the first saved settings version 2).
func (tx *Tx) FindAnalyticsSettings(ctx context.Context, workspaceID int64) (settings string, version int64, err error) {
	err = tx.queryRow(ctx, `SELECT settings, version FROM analytics_settings WHERE workspace_id = $1`, workspaceID).Scan(&settings, &version)
	if err == sql.ErrNoRows {
		return "{}", 1, nil
	}
	return settings, version, err
}

// SaveAnalyticsSettings stores a workspace's KPI settings if version still
// matches (1: never set before) and returns the new version.
func (tx *Tx) SaveAnalyticsSettings(ctx context.Context, workspaceID, version int64, settings string) (int64, error) {
	if version == 1 {
		_, err := tx.exec(ctx, `INSERT INTO analytics_settings (workspace_id, settings, updated_at, version) VALUES ($1, $2, $3, 2)`,
			workspaceID, settings, tx.Now)
		if attain.ErrorCode(err) == attain.ECONFLICT {
			return 0, attain.Errorf(attain.ESTALE, "The KPI settings were changed by someone else; reload them.")
		}
		return 2, err
	}
	res, err := tx.exec(ctx, `UPDATE analytics_settings SET settings = $1, updated_at = $2, version = version + 1
		WHERE workspace_id = $3 AND version = $4`, settings, tx.Now, workspaceID, version)
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, attain.Errorf(attain.ESTALE, "The KPI settings were changed by someone else; reload them.")
	}
	return version + 1, nil
}

// DealsWithoutDecisionMaker returns those of the given deals with no contact
// in the decision_maker or economic_buyer role, neither on the deal nor on
// its account. Two NOT EXISTS rather than one with an OR, so each uses an
// index (deal, account) instead of scanning the workspace's roles per deal.
func (tx *Tx) DealsWithoutDecisionMaker(ctx context.Context, workspaceID int64, ids []int64) ([]int64, error) {
	var out []int64
	for len(ids) > 0 {
		n := min(len(ids), factChunk)
		ar := args{workspaceID}
		in := ar.in(ids[:n])
		ids = ids[n:]
		// On SQLite "+d.workspace_id" keeps it from scanning the
		// workspace's deals through an index holding account_id (16 ms at
		// 100k deals, on every rep dashboard) instead of looking the ids
		// up. Not on PostgreSQL: its deals' key is (workspace_id, id), which
		// the expression would hide, leaving a scan of every deal (0.46 s
		// per chunk of ids at 1M).
		ws := "d.workspace_id"
		if tx.db.dialect.name() == SQLite {
			ws = "+d.workspace_id"
		}
		rows, err := tx.query(ctx, `SELECT d.id FROM deals d WHERE `+ws+` = $1 AND d.id IN `+in+`
			AND NOT EXISTS (SELECT 1 FROM contact_roles r WHERE r.workspace_id = d.workspace_id
				AND r.deal_id = d.id AND r.role IN ('decision_maker', 'economic_buyer'))
			AND NOT EXISTS (SELECT 1 FROM contact_roles r WHERE r.workspace_id = d.workspace_id
				AND r.account_id = d.account_id AND r.deal_id IS NULL AND r.role IN ('decision_maker', 'economic_buyer'))
			ORDER BY d.id`, ar...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DealActivityCounts counts the done activities (occurred, not deleted) of
// each of the given deals by activity type key, in one query per chunk of
// ids: the exit criteria check of a dashboard's open deals. Deals without
// any are absent.
func (tx *Tx) DealActivityCounts(ctx context.Context, workspaceID int64, ids []int64) (map[int64]map[string]int, error) {
	out := map[int64]map[string]int{}
	for len(ids) > 0 {
		n := min(len(ids), factChunk)
		ar := args{workspaceID}
		in := ar.in(ids[:n])
		ids = ids[n:]
		rows, err := tx.query(ctx, `SELECT act.deal_id, t.key, count(*)`+activityFrom+`
			WHERE act.workspace_id = $1 AND act.deal_id IN `+in+` AND act.deleted_at IS NULL AND act.occurred_at IS NOT NULL
			GROUP BY act.deal_id, t.key`, ar...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var key string
			var c int
			if err := rows.Scan(&id, &key, &c); err != nil {
				rows.Close()
				return nil, err
			}
			if out[id] == nil {
				out[id] = map[string]int{}
			}
			out[id][key] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LeadStats is how a set of owners' leads converted: leads created since a
// time, how many of those were converted, and the mean days to convert.
type LeadStats struct {
	Created   int
	Converted int
	MeanDays  float64
}

// FindLeadStatsByOwner is FindLeadStats for each of the owners on its own,
// in one query; an owner without leads has zero stats.
func (tx *Tx) FindLeadStatsByOwner(ctx context.Context, workspaceID int64, owners []int64, since time.Time) (map[int64]LeadStats, error) {
	out := make(map[int64]LeadStats, len(owners))
	if len(owners) == 0 {
		return out, nil
	}
	ar := args{workspaceID, since}
	rows, err := tx.query(ctx, `SELECT owner_id, created_at, converted_at FROM leads
		WHERE workspace_id = $1 AND created_at >= $2 AND deleted_at IS NULL AND owner_id IN `+ar.in(owners), ar...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	tallies := map[int64]*leadTally{}
	for rows.Next() {
		var owner int64
		var c time.Time
		var conv sql.NullTime
		if err := rows.Scan(&owner, &c, &conv); err != nil {
			return nil, err
		}
		t := tallies[owner]
		if t == nil {
			t = &leadTally{}
			tallies[owner] = t
		}
		t.add(c, conv)
	}
	for owner, t := range tallies {
		out[owner] = t.stats()
	}
	return out, rows.Err()
}

// FindLeadStats counts the leads the owners (nil: everyone) created since
// since, and their conversions.
func (tx *Tx) FindLeadStats(ctx context.Context, workspaceID int64, owners []int64, since time.Time) (LeadStats, error) {
	ar := args{workspaceID, since}
	where := ""
	if owners != nil {
		where = " AND owner_id IN " + ar.in(owners)
	}
	rows, err := tx.query(ctx, `SELECT created_at, converted_at FROM leads
		WHERE workspace_id = $1 AND created_at >= $2 AND deleted_at IS NULL`+where, ar...)
	if err != nil {
		return LeadStats{}, err
	}
	defer rows.Close()
	var t leadTally
	for rows.Next() {
		var c time.Time
		var conv sql.NullTime
		if err := rows.Scan(&c, &conv); err != nil {
			return LeadStats{}, err
		}
		t.add(c, conv)
	}
	return t.stats(), rows.Err()
}

// leadTally adds up leads as FindLeadStats counts them.
type leadTally struct {
	st   LeadStats
	days float64 // from creation to conversion, summed over converted leads
}

func (t *leadTally) add(created time.Time, converted sql.NullTime) {
	t.st.Created++
	if converted.Valid {
		t.st.Converted++
		t.days += converted.Time.Sub(created).Hours() / 24
	}
}

func (t *leadTally) stats() LeadStats {
	st := t.st
	if st.Converted > 0 {
		st.MeanDays = t.days / float64(st.Converted)
	}
	return st
}

// ProductNames returns the names of a workspace's products by id.
func (tx *Tx) ProductNames(ctx context.Context, workspaceID int64) (map[int64]string, error) {
	rows, err := tx.query(ctx, `SELECT id, name FROM products WHERE workspace_id = $1`, workspaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

// DealNames returns the names of the given deals by id.
func (tx *Tx) DealNames(ctx context.Context, workspaceID int64, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	for len(ids) > 0 {
		n := min(len(ids), factChunk)
		ar := args{workspaceID}
		in := ar.in(ids[:n])
		ids = ids[n:]
		rows, err := tx.query(ctx, `SELECT id, name FROM deals WHERE workspace_id = $1 AND id IN `+in, ar...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = name
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SystemSnapshot is one stored weekly snapshot of the system forecast; user
// and team ids are 0 when not of that scope.
type SystemSnapshot struct {
	WeekStart attain.Date
	Period    string
	Week      int
	Scope     string
	UserID    int64
	TeamID    int64
	Currency  string
	Won       int64
	Weighted  int64
	P10       int64
	P50       int64
	P90       int64
}

// InsertSystemSnapshot stores a snapshot unless the week already has one
// for that scope.
func (tx *Tx) InsertSystemSnapshot(ctx context.Context, workspaceID int64, s SystemSnapshot) error {
	_, err := tx.exec(ctx, `INSERT INTO system_forecast_snapshots (workspace_id, week_start, period, week, scope, user_id, team_id,
		currency, won, weighted, p10, p50, p90, taken_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT DO NOTHING`,
		workspaceID, s.WeekStart, s.Period, s.Week, s.Scope, s.UserID, s.TeamID, s.Currency, s.Won, s.Weighted, s.P10, s.P50, s.P90, tx.Now)
	return err
}

// FindSystemSnapshots lists a period's system forecast snapshots by week.
func (tx *Tx) FindSystemSnapshots(ctx context.Context, workspaceID int64, period string) ([]SystemSnapshot, error) {
	rows, err := tx.query(ctx, `SELECT week_start, period, week, scope, user_id, team_id, currency, won, weighted, p10, p50, p90
		FROM system_forecast_snapshots WHERE workspace_id = $1 AND period = $2 ORDER BY week, scope, user_id, team_id`, workspaceID, period)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SystemSnapshot
	for rows.Next() {
		var s SystemSnapshot
		if err := rows.Scan(&s.WeekStart, &s.Period, &s.Week, &s.Scope, &s.UserID, &s.TeamID, &s.Currency, &s.Won, &s.Weighted,
			&s.P10, &s.P50, &s.P90); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
