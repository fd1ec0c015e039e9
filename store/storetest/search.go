package storetest

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/attain-crm/attain/store"
)

// Records writes sales records with plain SQL on a connection of its own,
// as any writer might (an import, a script, another feature's code). Search
// is kept by the database itself, so its tests insert this way: they must
// pass whatever path a row took.
type Records struct {
	t   testing.TB
	Raw *sql.DB
	// WorkspaceID is where rows go unless values name another workspace_id.
	WorkspaceID int64

	pipeline, stage map[int64][2]int64 // per workspace: a pipeline and its first stage
	now             time.Time
}

// NewRecords returns a writer of records into workspaceID of db.
func NewRecords(t testing.TB, db *store.DB, workspaceID int64) *Records {
	t.Helper()
	return &Records{t: t, Raw: Raw(t, db), WorkspaceID: workspaceID, pipeline: map[int64][2]int64{},
		now: time.Now().UTC().Truncate(time.Microsecond)}
}

// Insert inserts a row into table with the given values, filling in the
// workspace and the creation and update times, and returns its id.
func (r *Records) Insert(table string, values map[string]any) int64 {
	r.t.Helper()
	v := map[string]any{"workspace_id": r.WorkspaceID, "created_at": r.now}
	if table != "stages" {
		v["updated_at"] = r.now
	}
	for k, x := range values {
		v[k] = x
	}
	cols := make([]string, 0, len(v))
	for k := range v {
		cols = append(cols, k)
	}
	slices.Sort(cols)
	ph := make([]string, len(cols))
	vals := make([]any, len(cols))
	for i, c := range cols {
		ph[i] = "$" + strconv.Itoa(i+1)
		vals[i] = v[c]
	}
	q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(ph, ", ") + ") RETURNING id"
	var id int64
	if err := r.Raw.QueryRowContext(context.Background(), q, vals...).Scan(&id); err != nil {
		r.t.Fatalf("insert into %s: %v", table, err)
	}
	return id
}

// Exec runs a statement, failing the test on error.
func (r *Records) Exec(q string, args ...any) {
	r.t.Helper()
	if _, err := r.Raw.ExecContext(context.Background(), q, args...); err != nil {
		r.t.Fatalf("%s: %v", q, err)
	}
}

// Account inserts an account.
func (r *Records) Account(ownerID int64, name, domain string) int64 {
	r.t.Helper()
	return r.Insert("accounts", map[string]any{"name": name, "domain": domain, "owner_id": ownerID})
}

// Contact inserts a contact.
func (r *Records) Contact(ownerID int64, first, last, email string) int64 {
	r.t.Helper()
	return r.Insert("contacts", map[string]any{"first_name": first, "last_name": last, "email": email, "owner_id": ownerID})
}

// Lead inserts a lead.
func (r *Records) Lead(ownerID int64, first, last, company, email string) int64 {
	r.t.Helper()
	return r.Insert("leads", map[string]any{"first_name": first, "last_name": last, "company": company, "email": email, "owner_id": ownerID})
}

// Deal inserts an open deal in a pipeline of the workspace (made on first
// use), closing at the end of 2030.
func (r *Records) Deal(ownerID int64, name string) int64 {
	r.t.Helper()
	return r.Insert("deals", r.DealValues(ownerID, name))
}

// DealValues returns the values of a minimal deal, for Insert.
func (r *Records) DealValues(ownerID int64, name string) map[string]any {
	r.t.Helper()
	ps, ok := r.pipeline[r.WorkspaceID]
	if !ok {
		p := r.Insert("pipelines", map[string]any{"name": "Search " + strconv.FormatInt(r.now.UnixNano(), 36)})
		s := r.Insert("stages", map[string]any{"pipeline_id": p, "name": "Qualified", "position": 1,
			"probability": 10, "forecast_category": "pipeline"})
		ps = [2]int64{p, s}
		r.pipeline[r.WorkspaceID] = ps
	}
	return map[string]any{"name": name, "owner_id": ownerID, "pipeline_id": ps[0], "stage_id": ps[1],
		"currency": "EUR", "close_date": "2030-12-31", "stage_entered_at": r.now}
}
