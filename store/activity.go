package store

import (
	"context"

	"github.com/attain-crm/attain"
)

const activityTypeCols = `id, key, name, position, retired_at, created_at`

func scanActivityType(s interface{ Scan(...any) error }) (*attain.ActivityType, error) {
	var t attain.ActivityType
	err := s.Scan(&t.ID, &t.Key, &t.Name, &t.Position, &t.RetiredAt, &t.CreatedAt)
	return &t, err
}

// FindActivityTypes lists the workspace's activity types by position,
// retired ones included so old activities still read.
func (tx *Tx) FindActivityTypes(ctx context.Context, workspaceID int64) ([]*attain.ActivityType, error) {
	rows, err := tx.query(ctx, `SELECT `+activityTypeCols+` FROM activity_types
		WHERE workspace_id = $1 ORDER BY position, id`, workspaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.ActivityType
	for rows.Next() {
		t, err := scanActivityType(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// FindActivityType returns one type by id.
func (tx *Tx) FindActivityType(ctx context.Context, workspaceID, id int64) (*attain.ActivityType, error) {
	t, err := scanActivityType(tx.queryRow(ctx, `SELECT `+activityTypeCols+` FROM activity_types
		WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
	return t, notFound(err, "Activity type")
}

// FindActivityTypeByKey returns one type by key.
func (tx *Tx) FindActivityTypeByKey(ctx context.Context, workspaceID int64, key string) (*attain.ActivityType, error) {
	t, err := scanActivityType(tx.queryRow(ctx, `SELECT `+activityTypeCols+` FROM activity_types
		WHERE workspace_id = $1 AND key = $2`, workspaceID, key))
	return t, notFound(err, "Activity type")
}

// CreateActivityType adds a type; a nil position puts it last.
func (tx *Tx) CreateActivityType(ctx context.Context, workspaceID int64, in attain.NewActivityType) (*attain.ActivityType, error) {
	pos := 0
	if in.Position != nil {
		pos = *in.Position
	} else if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(position), -1) + 1 FROM activity_types WHERE workspace_id = $1`,
		workspaceID).Scan(&pos); err != nil {
		return nil, err
	}
	id, err := tx.insert(ctx, `INSERT INTO activity_types (workspace_id, key, name, position, created_at)
		VALUES ($1, $2, $3, $4, $5)`, workspaceID, in.Key, in.Name, pos, tx.Now)
	if attain.ErrorCode(err) == attain.ECONFLICT {
		return nil, attain.Invalid("key", "is taken by another activity type")
	}
	if err != nil {
		return nil, err
	}
	return tx.FindActivityType(ctx, workspaceID, id)
}

// UpdateActivityType stores a type's name, position and retirement.
func (tx *Tx) UpdateActivityType(ctx context.Context, workspaceID int64, t *attain.ActivityType) error {
	res, err := tx.exec(ctx, `UPDATE activity_types SET name = $1, position = $2, retired_at = $3
		WHERE workspace_id = $4 AND id = $5`, t.Name, t.Position, t.RetiredAt, workspaceID, t.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return attain.Errorf(attain.ENOTFOUND, "Activity type not found.")
	}
	return nil
}

const activityCols = `act.id, act.type_id, t.key, t.name, act.subject, act.note, act.deal_id, act.contact_id,
	act.account_id, act.lead_id, act.owner_id, act.team_id, act.occurred_at, act.due_at, act.done_at,
	act.duration_minutes, act.outcome, act.sentiment, act.created_at, act.updated_at, act.deleted_at, act.version`

const activityFrom = ` FROM activities act
	JOIN activity_types t ON t.workspace_id = act.workspace_id AND t.id = act.type_id`

func scanActivity(s interface{ Scan(...any) error }) (*attain.Activity, error) {
	var x attain.Activity
	err := s.Scan(&x.ID, &x.TypeID, &x.Type, &x.TypeName, &x.Subject, &x.Note, &x.DealID, &x.ContactID,
		&x.AccountID, &x.LeadID, &x.OwnerID, &x.TeamID, &x.OccurredAt, &x.DueAt, &x.DoneAt,
		&x.DurationMinutes, &x.Outcome, &x.Sentiment, &x.CreatedAt, &x.UpdatedAt, &x.DeletedAt, &x.Version)
	return &x, err
}

// activityVisible is the visibility rule of activities as SQL over the alias
// act: the actor sees the activity's owner or team, or may see its deal.
func activityVisible(a *attain.Actor, ar *args) string {
	if a.SeesAll() {
		return "1=1"
	}
	return "(" + Visible(a, "act.owner_id", "act.team_id", ar) +
		" OR EXISTS (SELECT 1 FROM deals vd WHERE vd.workspace_id = act.workspace_id AND vd.id = act.deal_id AND " +
		Visible(a, "vd.owner_id", "vd.team_id", ar) + "))"
}

// activityList is the whitelist of the activity list. occurred_at and due_at
// filter but do not sort: they are NULL for tasks and logged activities
// respectively, and keyset pagination needs a sort key that is never NULL.
var activityList = &listSpec{
	idExpr: "act.id",
	cols: map[string]listCol{
		"id":          {expr: "act.id", kind: kindInt, sortable: true},
		"type":        {expr: "t.key", kind: kindString},
		"type_id":     {expr: "act.type_id", kind: kindInt},
		"owner_id":    {expr: "act.owner_id", kind: kindInt},
		"team_id":     {expr: "act.team_id", kind: kindInt},
		"deal_id":     {expr: "act.deal_id", kind: kindInt},
		"contact_id":  {expr: "act.contact_id", kind: kindInt},
		"account_id":  {expr: "act.account_id", kind: kindInt},
		"lead_id":     {expr: "act.lead_id", kind: kindInt},
		"occurred_at": {expr: "act.occurred_at", kind: kindTime, sortable: true, nullable: true},
		"due_at":      {expr: "act.due_at", kind: kindTime, sortable: true, nullable: true},
		"done_at":     {expr: "act.done_at", kind: kindTime},
		"sentiment":   {expr: "act.sentiment", kind: kindString},
		"subject":     {expr: "act.subject", kind: kindString},
		"created_at":  {expr: "act.created_at", kind: kindTime, sortable: true},
		"updated_at":  {expr: "act.updated_at", kind: kindTime, sortable: true},
		"deleted_at":  {expr: "act.deleted_at", kind: kindTime},
	},
	defaultSort: attain.Sort{Field: "created_at", Desc: true},
}

// CreateActivity inserts an activity and sets its id and timestamps.
func (tx *Tx) CreateActivity(ctx context.Context, workspaceID int64, x *attain.Activity) error {
	x.CreatedAt, x.UpdatedAt, x.Version = tx.Now, tx.Now, 1
	id, err := tx.insert(ctx, `INSERT INTO activities (workspace_id, type_id, subject, note, deal_id, contact_id, account_id,
		lead_id, owner_id, team_id, occurred_at, due_at, done_at, duration_minutes, outcome, sentiment, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)`,
		workspaceID, x.TypeID, x.Subject, x.Note, x.DealID, x.ContactID, x.AccountID,
		x.LeadID, x.OwnerID, x.TeamID, x.OccurredAt, x.DueAt, x.DoneAt, x.DurationMinutes, x.Outcome, x.Sentiment, tx.Now)
	x.ID = id
	return err
}

// UpdateActivity stores every field of x if version still matches (0 skips
// the check) and bumps its version.
func (tx *Tx) UpdateActivity(ctx context.Context, workspaceID int64, x *attain.Activity, version int64) error {
	err := tx.checkVersion(ctx, "activities", "Activity",
		`UPDATE activities SET type_id = $1, subject = $2, note = $3, deal_id = $4, contact_id = $5, account_id = $6,
			lead_id = $7, owner_id = $8, team_id = $9, occurred_at = $10, due_at = $11, done_at = $12,
			duration_minutes = $13, outcome = $14, sentiment = $15, deleted_at = $16, updated_at = $17, version = version + 1
		 WHERE workspace_id = $18 AND id = $19 AND ($20 = 0 OR version = $20)`,
		`SELECT 1 FROM activities WHERE workspace_id = $1 AND id = $2`, []any{workspaceID, x.ID},
		x.TypeID, x.Subject, x.Note, x.DealID, x.ContactID, x.AccountID,
		x.LeadID, x.OwnerID, x.TeamID, x.OccurredAt, x.DueAt, x.DoneAt,
		x.DurationMinutes, x.Outcome, x.Sentiment, x.DeletedAt, tx.Now, workspaceID, x.ID, version)
	if err != nil {
		return err
	}
	x.UpdatedAt = tx.Now
	x.Version++
	return nil
}

// FindActivity returns one activity, deleted or not; the caller checks
// visibility.
func (tx *Tx) FindActivity(ctx context.Context, workspaceID, id int64) (*attain.Activity, error) {
	x, err := scanActivity(tx.queryRow(ctx, `SELECT `+activityCols+activityFrom+`
		WHERE act.workspace_id = $1 AND act.id = $2`, workspaceID, id))
	return x, notFound(err, "Activity")
}

// FindActivities lists the activities the actor may see. Deleted ones are
// hidden unless the query filters on deleted_at.
func (tx *Tx) FindActivities(ctx context.Context, a *attain.Actor, q attain.ListQuery) ([]*attain.Activity, string, error) {
	var ar args
	where := "act.workspace_id = " + ar.add(a.WorkspaceID) + " AND " + activityVisible(a, &ar)
	if !filtersOnField(q, "deleted_at") {
		where += " AND act.deleted_at IS NULL"
	}
	return listRows(ctx, tx, activityList, q, &ar, `SELECT `+activityCols+activityFrom, where, scanActivity,
		func(x *attain.Activity) int64 { return x.ID })
}

// filtersOnField reports whether the query filters on field.
func filtersOnField(q attain.ListQuery, field string) bool {
	for _, f := range q.Filters {
		if f.Field == field {
			return true
		}
	}
	return false
}

// RefreshDealActivity sets a deal's last_activity_at to the time of its
// latest live, done activity. It is a derived value, so the deal's version
// and updated_at stay as they are and nobody editing the deal gets a
// conflict for it.
func (tx *Tx) RefreshDealActivity(ctx context.Context, workspaceID, dealID int64) error {
	_, err := tx.exec(ctx, `UPDATE deals SET last_activity_at = (SELECT max(act.occurred_at) FROM activities act
			WHERE act.workspace_id = $1 AND act.deal_id = $2 AND act.deleted_at IS NULL)
		WHERE workspace_id = $1 AND id = $2`, workspaceID, dealID)
	return err
}

// CountDealActivities counts the done, live activities of a deal by type
// key, for exit criteria ("a demo must have happened").
func (tx *Tx) CountDealActivities(ctx context.Context, workspaceID, dealID int64) (map[string]int, error) {
	rows, err := tx.query(ctx, `SELECT t.key, count(*)`+activityFrom+`
		WHERE act.workspace_id = $1 AND act.deal_id = $2 AND act.deleted_at IS NULL AND act.occurred_at IS NOT NULL
		GROUP BY t.key`, workspaceID, dealID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// recordTables maps each sales record type to its table and the expression
// of its account. The map is the whitelist: no other table name reaches SQL.
var recordTables = map[string]struct{ table, account, name string }{
	"account": {"accounts", "id", "Account"},
	"contact": {"contacts", "account_id", "Contact"},
	"deal":    {"deals", "account_id", "Deal"},
	"lead":    {"leads", "NULL", "Lead"},
}

// FindRecordAccess returns the owner, team, account and deletion of a sales
// record, for visibility checks on things attached to it (notes,
// activities, timelines).
func (tx *Tx) FindRecordAccess(ctx context.Context, workspaceID int64, recordType string, id int64) (*attain.RecordAccess, error) {
	t, ok := recordTables[recordType]
	if !ok {
		return nil, attain.Invalid("entity_type", "must be one of account, contact, lead, deal")
	}
	r := &attain.RecordAccess{Type: recordType, ID: id}
	var account *int64
	err := tx.queryRow(ctx, `SELECT owner_id, team_id, deleted_at, `+t.account+` FROM `+t.table+`
		WHERE workspace_id = $1 AND id = $2`, workspaceID, id).Scan(&r.OwnerID, &r.TeamID, &r.DeletedAt, &account)
	r.AccountID = account
	return r, notFound(err, t.name)
}
