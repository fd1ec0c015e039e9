package service

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/importer"
	"github.com/attain-crm/attain/store"
)

// importBatchRows is how many rows are read, looked up and written together.
const importBatchRows = 2000

// errRollback undoes an all-or-nothing import that rejected a row.
var errRollback = errors.New("import rejected rows: rolled back")

// importRun is one run of an import: the file's columns, the lookups
// loaded once (members, teams, picklists, pipelines, activity types, custom
// fields), the references met so far, and the counts.
type importRun struct {
	s        *Service
	a        *attain.Actor
	imp      *attain.Import
	opts     attain.ImportOptions
	prog     *importProgress
	write    bool // false in a dry run, and once an all-or-nothing run rejects a row
	header   []string
	col      map[string]int // field → column index
	colName  map[string]string
	decimal  string
	dateFmt  string
	currency string

	members   map[string]int64 // lowercase email or name key → user id (-1: ambiguous)
	teams     map[string]int64
	picklists map[string]*attain.Picklist
	pipelines []*attain.Pipeline
	defPipe   *attain.Pipeline
	actTypes  map[string]*attain.ActivityType
	custom    []attain.CustomField
	customBy  map[string]*attain.CustomField

	refs     map[string]map[string][]store.ImportRef // kind → key → matches (empty: none)
	existing map[string][]int64                      // match key → ids of records to update
	taken    map[string]map[string]bool              // unique column → values already in the database
	seen     map[string]int64                        // unique key → line of the row that first used it

	rejections []*attain.ImportRejection
	stored     int // rejections already written (skip mode)
	rejected   int64
	created    int64
	updated    int64
	dealIDs    map[int64]bool // deals that got activities
	importRef  string         // the history value of created records
}

// importRow is one data row of the file.
type importRow struct {
	line int64
	rec  []string
}

// rowCtx reads one row's values and collects what is wrong with it.
type rowCtx struct {
	run  *importRun
	row  importRow
	errs []*attain.ImportRejection
}

func (rc *rowCtx) has(field string) bool {
	i, ok := rc.run.col[field]
	return ok && i < len(rc.row.rec) && strings.TrimSpace(rc.row.rec[i]) != ""
}

func (rc *rowCtx) get(field string) string {
	i, ok := rc.run.col[field]
	if !ok || i >= len(rc.row.rec) {
		return ""
	}
	return strings.TrimSpace(rc.row.rec[i])
}

// bad rejects the row for a field, naming the column that fills it.
func (rc *rowCtx) bad(field, format string, args ...any) {
	rc.errs = append(rc.errs, &attain.ImportRejection{Line: rc.row.line, Column: rc.run.colName[field], Field: field,
		Value: truncate(rc.get(field), 200), Reason: fmt.Sprintf(format, args...)})
}

// addErr rejects the row for a domain error, field by field.
func (rc *rowCtx) addErr(err error) error {
	var e *attain.Error
	if !errors.As(err, &e) || e.Code != attain.EINVALID {
		return err
	}
	if len(e.Fields) == 0 {
		rc.bad("", "%s", e.Message)
	}
	for _, f := range e.Fields {
		rc.bad(importFieldOf(f.Field), "%s", f.Message)
	}
	return nil
}

// importFieldOf names the import field behind a record field's error.
func importFieldOf(field string) string {
	switch field {
	case "owner_id":
		return "owner"
	case "team_id":
		return "team"
	case "account_id":
		return "account"
	case "parent_id":
		return "parent"
	case "primary_contact_id":
		return "contact"
	case "deal_id":
		return "deal"
	case "stage_id":
		return "stage"
	case "pipeline_id":
		return "pipeline"
	}
	return field
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// runImport runs imp as a, recording the outcome on the import.
func (s *Service) runImport(ctx context.Context, a *attain.Actor, imp *attain.Import, dryRun bool) (*attain.Import, error) {
	prog := s.imports.start(imp.ID)
	defer s.imports.done(imp.ID)
	now := s.db.Now()
	imp.Status, imp.StartedAt, imp.FinishedAt, imp.DryRun, imp.Error = attain.ImportRunning, &now, nil, dryRun, ""
	imp.RowsDone, imp.BytesDone, imp.Created, imp.Updated, imp.Rejected = 0, 0, 0, 0, 0
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := tx.ClearImportRejections(ctx, a.WorkspaceID, imp.ID); err != nil {
			return err
		}
		return tx.UpdateImport(ctx, a.WorkspaceID, imp)
	})
	if err != nil {
		return nil, err
	}
	run := &importRun{s: s, a: a, imp: imp, opts: imp.Options, prog: prog, write: !dryRun,
		importRef: fmt.Sprintf(`{"import_id":%d}`, imp.ID), dealIDs: map[int64]bool{}}
	runErr := run.run(ctx)
	// The outcome is recorded even when the request was cancelled.
	fctx := context.WithoutCancel(ctx)
	end := s.db.Now()
	imp.FinishedAt = &end
	imp.RowsDone, imp.BytesDone = prog.rows.Load(), imp.SizeBytes
	imp.Created, imp.Updated, imp.Rejected = run.created, run.updated, run.rejected
	imp.Status = attain.ImportDone
	switch {
	case errors.Is(runErr, errRollback):
		runErr = nil
	case runErr != nil && attain.ErrorCode(runErr) == attain.EINVALID:
		imp.Status, imp.Error = attain.ImportFailed, attain.ErrorMessage(runErr)
		if e := (*attain.Error)(nil); errors.As(runErr, &e) {
			for _, f := range e.Fields {
				imp.Error += " " + f.Field + ": " + f.Message + "."
			}
		}
		runErr = nil
	case runErr != nil:
		imp.Status, imp.Error = attain.ImportFailed, "The import stopped: "+attain.ErrorMessage(runErr)
		s.log.Error("import failed", "import", imp.ID, "err", runErr)
	}
	err = s.db.WriteTx(fctx, func(tx *store.Tx) error {
		if err := tx.AddImportRejections(fctx, a.WorkspaceID, imp.ID, run.rejections[run.stored:]); err != nil {
			return err
		}
		if err := tx.UpdateImport(fctx, a.WorkspaceID, imp); err != nil {
			return err
		}
		action := "run"
		if dryRun {
			action = "dry_run"
		}
		return tx.Audit(fctx, a, action, "import", imp.ID, nil, imp)
	})
	if err != nil {
		return nil, err
	}
	if runErr != nil && attain.ErrorCode(runErr) == attain.EINTERNAL {
		return imp, runErr
	}
	return imp, nil
}

// run reads the file and imports it as the options say.
func (run *importRun) run(ctx context.Context) error {
	s, a := run.s, run.a
	r, cr := s.openCSV(ctx, a.WorkspaceID, run.imp)
	header, err := readHeader(r)
	if err != nil {
		return err
	}
	run.header = header
	if err := s.db.ReadTx(ctx, func(tx *store.Tx) error { return run.load(ctx, tx) }); err != nil {
		return err
	}
	// The file is read and parsed a batch ahead, beside the batch being
	// written, so that both cores work.
	ahead := run.readAhead(ctx, r, cr)
	defer ahead.stop()
	read := func() ([]importRow, int64, bool, error) {
		b, ok := <-ahead.batches
		if !ok {
			return nil, 0, true, ctx.Err()
		}
		for _, e := range b.bad {
			run.reject([]*attain.ImportRejection{e})
		}
		return b.rows, b.bytes, b.done, b.err
	}
	batch := func(tx *store.Tx, rows []importRow, bytes int64) error {
		err := run.batch(ctx, tx, rows)
		run.prog.rows.Add(int64(len(rows)))
		run.prog.bytes.Store(bytes)
		return err
	}
	if run.opts.Mode == attain.ImportSkipBadRows && run.write {
		// Each batch commits on its own, in a bulk-load transaction of its
		// own: good rows stay written, the import's progress is visible to
		// any process, and other writers get their turn between batches.
		var last int64
		for {
			rows, bytes, done, err := read()
			if err != nil {
				return err
			}
			err = s.db.BulkTxFor(ctx, bytes-last, func(tx *store.Tx) error {
				return bulkLoad(ctx, tx, a.WorkspaceID, func() error {
					if err := batch(tx, rows, bytes); err != nil {
						return err
					}
					if err := run.flushRejections(ctx, tx); err != nil {
						return err
					}
					return tx.SetImportProgress(ctx, a.WorkspaceID, run.imp.ID, run.prog.rows.Load(), run.created, run.updated, run.rejected)
				})
			})
			if err != nil || done {
				return err
			}
			last = bytes
		}
	}
	all := func(tx *store.Tx) error {
		for {
			rows, bytes, done, err := read()
			if err != nil {
				return err
			}
			if err := batch(tx, rows, bytes); err != nil {
				return err
			}
			if done {
				return nil
			}
		}
	}
	if !run.write { // a dry run reads only
		return s.db.ReadTx(ctx, all)
	}
	// All or nothing: one bulk-load transaction, rolled back at the end if
	// any row was rejected.
	return s.db.BulkTxFor(ctx, run.imp.SizeBytes, func(tx *store.Tx) error {
		return bulkLoad(ctx, tx, a.WorkspaceID, func() error {
			if err := all(tx); err != nil {
				return err
			}
			if run.rejected > 0 {
				run.created, run.updated = 0, 0
				return errRollback
			}
			return nil
		})
	})
}

// readBatch is a batch of the file's rows, read ahead of its import.
type readBatch struct {
	rows  []importRow
	bad   []*attain.ImportRejection // rows that are not valid CSV, one each
	bytes int64                     // of the file read up to the batch's end
	done  bool                      // the batch ends the file
	err   error
}

// aheadReader reads the file's batches in a goroutine of its own, one batch
// ahead of their import.
type aheadReader struct {
	batches chan readBatch // closed after the last batch, or when stopped
	quit    chan struct{}
}

// stop ends the reading goroutine if it is still running.
func (ar *aheadReader) stop() { close(ar.quit) }

// readAhead starts reading r (which reads from cr) in batches of
// importBatchRows rows. Only the goroutine touches r and cr; rejections of
// rows that are not valid CSV travel with their batch, so the run records
// them in file order as before.
func (run *importRun) readAhead(ctx context.Context, r *csv.Reader, cr *chunkReader) *aheadReader {
	ar := &aheadReader{batches: make(chan readBatch, 1), quit: make(chan struct{})}
	read := func() readBatch {
		b := readBatch{rows: make([]importRow, 0, importBatchRows)}
		for len(b.rows) < importBatchRows {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				b.done = true
				break
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				b.bad = append(b.bad, &attain.ImportRejection{Line: int64(pe.StartLine), Reason: "not valid CSV: " + pe.Err.Error()})
				continue
			}
			if err != nil {
				b.err = err
				break
			}
			// Only a record read whole has field positions (FieldPos panics
			// after a parse error).
			line, _ := r.FieldPos(0)
			if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
				continue // a blank line
			}
			b.rows = append(b.rows, importRow{line: int64(line), rec: append([]string(nil), rec...)})
		}
		b.bytes = cr.read
		return b
	}
	go func() {
		defer close(ar.batches)
		for {
			b := read()
			select {
			case ar.batches <- b:
			case <-ar.quit:
				return
			case <-ctx.Done():
				return
			}
			if b.done || b.err != nil {
				return
			}
		}
	}()
	return ar
}

// bulkLoad runs fn, which writes an import's rows in tx, as a bulk load of
// the workspace: the per-row search and analytics triggers are skipped and
// that derived data is rebuilt set-wise for the rows fn inserted, in the
// same transaction, so search and dashboards see the rows as they commit.
// When fn fails the transaction rolls back, the load with it.
func bulkLoad(ctx context.Context, tx *store.Tx, workspaceID int64, fn func() error) error {
	bl, err := tx.BeginBulkLoad(ctx, workspaceID)
	if err != nil {
		return err
	}
	if err := fn(); err != nil {
		return err
	}
	return bl.End(ctx)
}

// flushRejections stores the rejections collected since the last flush.
func (run *importRun) flushRejections(ctx context.Context, tx *store.Tx) error {
	if err := tx.AddImportRejections(ctx, run.a.WorkspaceID, run.imp.ID, run.rejections[run.stored:]); err != nil {
		return err
	}
	run.stored = len(run.rejections)
	return nil
}

func (run *importRun) reject(errs []*attain.ImportRejection) {
	run.rejected++
	run.prog.rejected.Add(1)
	for _, e := range errs {
		if len(run.rejections) < MaxStoredRejections {
			run.rejections = append(run.rejections, e)
		}
	}
	if run.opts.Mode != attain.ImportSkipBadRows {
		run.write = false // all or nothing: validate the rest, write no more
	}
}

// load reads what every row is checked against and sets up the mapping.
func (run *importRun) load(ctx context.Context, tx *store.Tx) error {
	a, kind := run.a, run.imp.Kind
	var err error
	if run.custom, err = importCustomFields(ctx, tx, a.WorkspaceID, kind); err != nil {
		return err
	}
	run.customBy = map[string]*attain.CustomField{}
	for i := range run.custom {
		run.customBy[run.custom[i].Key] = &run.custom[i]
	}
	mapping := effectiveMapping(kind, run.header, run.custom, run.opts.Mapping)
	run.col, run.colName = map[string]int{}, map[string]string{}
	for i, h := range run.header {
		if f := mapping[h]; f != "" {
			run.col[f], run.colName[f] = i, h
		}
	}
	if _, ok := run.col["domain"]; !ok && run.opts.MatchBy == "domain" {
		if i, ok := run.col["website"]; ok { // a website names the domain too
			run.col["domain"], run.colName["domain"] = i, run.colName["website"]
		}
	}
	var v attain.Validation
	for _, f := range importFields(kind, run.custom) {
		// A file that updates records by a key may leave required fields
		// out; rows that create a record are still checked.
		if f.Required && !strings.HasPrefix(f.Name, "custom.") && run.opts.MatchBy == "" {
			if _, ok := run.col[f.Name]; !ok {
				v.Add("mapping", "no column fills %s (%s); map one", f.Name, f.Label)
			}
		}
	}
	if (kind == attain.KindContacts || kind == attain.KindLeads) && run.opts.MatchBy == "" {
		_, first := run.col["first_name"]
		_, last := run.col["last_name"]
		_, name := run.col["name"]
		_, email := run.col["email"]
		_, company := run.col["company"]
		if !first && !last && !name && !(kind == attain.KindLeads && (email || company)) {
			v.Add("mapping", "no column fills a name (first_name, last_name or name); map one")
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	if run.opts.MatchBy != "" {
		if _, ok := run.col[run.opts.MatchBy]; !ok {
			return attain.Invalid("match_by", "no column fills %s, so rows cannot be matched by it", run.opts.MatchBy)
		}
	}
	run.decimal, run.dateFmt = run.opts.Decimal, run.opts.DateFormat
	if run.currency = run.opts.Currency; run.currency == "" {
		if run.currency, err = tx.WorkspaceCurrency(ctx, a.WorkspaceID); err != nil {
			return err
		}
	}
	members, err := tx.FindMembers(ctx, a.WorkspaceID)
	if err != nil {
		return err
	}
	run.members = map[string]int64{}
	addKey := func(m map[string]int64, k string, id int64) {
		if k == "" {
			return
		}
		if old, ok := m[k]; ok && old != id {
			m[k] = -1
			return
		}
		m[k] = id
	}
	for _, u := range members {
		addKey(run.members, attain.NormalizeEmail(u.Email), u.ID)
		addKey(run.members, attain.NameKey(u.Name), u.ID)
	}
	teams, err := tx.FindTeams(ctx, a.WorkspaceID)
	if err != nil {
		return err
	}
	run.teams = map[string]int64{}
	for _, t := range teams {
		addKey(run.teams, attain.NameKey(t.Name), t.ID)
	}
	lists, err := tx.FindPicklists(ctx, a.WorkspaceID, "")
	if err != nil {
		return err
	}
	run.picklists = map[string]*attain.Picklist{}
	for _, p := range lists {
		run.picklists[p.List] = p
	}
	if kind == attain.KindDeals {
		if run.pipelines, err = tx.FindPipelines(ctx, a.WorkspaceID); err != nil {
			return err
		}
		for _, p := range run.pipelines {
			if p.IsDefault {
				run.defPipe = p
			}
		}
	}
	if kind == attain.KindActivities {
		types, err := tx.FindActivityTypes(ctx, a.WorkspaceID)
		if err != nil {
			return err
		}
		run.actTypes = map[string]*attain.ActivityType{}
		for _, t := range types {
			run.actTypes[strings.ToLower(t.Key)] = t
			run.actTypes[attain.NameKey(t.Name)] = t
		}
	}
	run.refs = map[string]map[string][]store.ImportRef{"account": {}, "contact": {}, "deal": {}}
	run.seen = map[string]int64{}
	return nil
}

// refFields are the fields of each kind that point to other records, and
// the kind of record they point to.
var refFields = map[string]map[string]string{
	attain.KindAccounts:   {"parent": "account"},
	attain.KindContacts:   {"account": "account"},
	attain.KindDeals:      {"account": "account", "contact": "contact"},
	attain.KindActivities: {"account": "account", "contact": "contact", "deal": "deal"},
}

// refKey is the form in which a reference's text is looked up.
func refKey(kind, s string) string {
	switch kind {
	case "contact", "deal":
		return strings.ToLower(strings.TrimSpace(s))
	}
	if d := attain.DomainOf(s); d != "" && strings.Contains(s, ".") && !strings.Contains(s, " ") {
		return d
	}
	return attain.NameKey(s)
}

// prefetch looks up, in one query per kind, the references of a batch not
// met before, and the records the batch's rows may update or collide with.
func (run *importRun) prefetch(ctx context.Context, tx *store.Tx, rows []importRow) error {
	ws := run.a.WorkspaceID
	for field, kind := range refFields[run.imp.Kind] {
		i, ok := run.col[field]
		if !ok {
			continue
		}
		cache := run.refs[kind]
		var keys []string
		want := map[string]bool{}
		for _, r := range rows {
			if i >= len(r.rec) {
				continue
			}
			raw := strings.TrimSpace(r.rec[i])
			if raw == "" {
				continue
			}
			for _, k := range []string{refKey(kind, raw), strings.TrimSpace(raw)} {
				if _, ok := cache[k]; !ok && !want[k] {
					want[k] = true
					keys = append(keys, k)
				}
			}
		}
		for len(keys) > 0 {
			n := min(len(keys), 1000)
			found, err := tx.FindImportRefs(ctx, ws, kind, keys[:n])
			if err != nil {
				return err
			}
			for _, k := range keys[:n] {
				cache[k] = []store.ImportRef{}
			}
			for _, f := range found {
				for _, k := range f.Keys {
					if want[k] {
						cache[k] = append(cache[k], f)
					}
				}
			}
			keys = keys[n:]
		}
	}
	// Records the rows would collide with (external ids, product names) or
	// update (match_by).
	table := run.imp.Kind
	run.existing, run.taken = map[string][]int64{}, map[string]map[string]bool{}
	uniques := []string{"external_id"}
	if table == attain.KindProducts {
		uniques = append(uniques, "name")
	}
	if run.opts.MatchBy != "" && run.opts.MatchBy != "external_id" && !(table == attain.KindProducts && run.opts.MatchBy == "name") {
		uniques = append(uniques, run.opts.MatchBy)
	}
	for _, key := range uniques {
		i, ok := run.col[key]
		if !ok {
			continue
		}
		var keys []string
		for _, r := range rows {
			if i < len(r.rec) {
				if k := matchKey(key, r.rec[i]); k != "" {
					keys = append(keys, k)
				}
			}
		}
		found := map[string][]int64{}
		for len(keys) > 0 {
			n := min(len(keys), 1000)
			m, err := tx.FindIDsByKey(ctx, ws, table, key, keys[:n])
			if err != nil {
				return err
			}
			for k, ids := range m {
				found[k] = ids
			}
			keys = keys[n:]
		}
		if key == run.opts.MatchBy {
			run.existing = found
		}
		run.taken[key] = map[string]bool{}
		for k := range found {
			run.taken[key][k] = true
		}
	}
	return nil
}

// matchKey is the stored form of a key value.
func matchKey(key, s string) string {
	s = strings.TrimSpace(s)
	switch key {
	case "email":
		return attain.NormalizeEmail(s)
	case "domain":
		return attain.DomainOf(s)
	case "name":
		return attain.NameKey(s)
	}
	return s
}

// batch imports a batch of rows in tx.
func (run *importRun) batch(ctx context.Context, tx *store.Tx, rows []importRow) error {
	if len(rows) == 0 {
		return nil
	}
	if err := run.prefetch(ctx, tx, rows); err != nil {
		return err
	}
	l := tx.NewLoader()
	defer l.Close()
	// An insert that fails ends the run and rolls its transaction back, so
	// a failing statement need not undo its own earlier rows (on SQLite
	// that spares a statement journal per INSERT).
	l.StopOnError()
	w := &importWriter{run: run, tx: tx, l: l}
	for _, row := range rows {
		rc := &rowCtx{run: run, row: row}
		if err := w.row(ctx, rc); err != nil {
			return fmt.Errorf("line %d: %w", row.line, err)
		}
		if len(rc.errs) > 0 {
			run.reject(rc.errs)
		}
	}
	if !run.write && run.opts.Mode != attain.ImportSkipBadRows && run.rejected > 0 {
		return nil // nothing more is written; the loader's rows are dropped
	}
	if err := l.Flush(ctx); err != nil {
		return err
	}
	if err := w.history(ctx); err != nil {
		return err
	}
	if len(run.dealIDs) > 0 && run.write {
		ids := make([]int64, 0, len(run.dealIDs))
		for id := range run.dealIDs {
			ids = append(ids, id)
		}
		run.dealIDs = map[int64]bool{}
		return tx.RefreshDealsActivity(ctx, run.a.WorkspaceID, ids)
	}
	return nil
}

// unique checks that a row's value of a unique key is not already taken by
// a record or an earlier row, and claims it.
func (rc *rowCtx) unique(field, what string) {
	if !rc.has(field) {
		return
	}
	k := matchKey(field, rc.get(field))
	if k == "" {
		return
	}
	if field != rc.run.opts.MatchBy && rc.run.taken[field][k] {
		rc.bad(field, "is already used by another %s", what)
		return
	}
	sk := field + "\x00" + k
	if line, ok := rc.run.seen[sk]; ok {
		rc.bad(field, "%q appears again: line %d has it too", rc.get(field), line)
		return
	}
	rc.run.seen[sk] = rc.row.line
}

// member resolves a user by email or name.
func (rc *rowCtx) member(field string) (int64, bool) {
	v := rc.get(field)
	id, ok := rc.run.members[attain.NormalizeEmail(v)]
	if !ok {
		id, ok = rc.run.members[attain.NameKey(v)]
	}
	switch {
	case !ok:
		rc.bad(field, "%q is not a member of this workspace (give an email or a name)", v)
		return 0, false
	case id < 0:
		rc.bad(field, "%q names several members; give an email", v)
		return 0, false
	}
	return id, true
}

// ownership reads the owner and team columns: defaults are the current
// ones (the actor's on create). An owner or team that would hide the record
// from the actor is refused, as for any write.
func (rc *rowCtx) ownership(owner int64, team *int64) (int64, *int64) {
	changed := false
	if rc.has("owner") {
		if id, ok := rc.member("owner"); ok {
			changed = changed || id != owner
			owner = id
		}
	}
	if rc.has("team") {
		id, ok := rc.run.teams[attain.NameKey(rc.get("team"))]
		switch {
		case !ok:
			rc.bad("team", "%q is not a team of this workspace", rc.get("team"))
		case id < 0:
			rc.bad("team", "%q names several teams", rc.get("team"))
		default:
			changed = changed || team == nil || *team != id
			team = &id
		}
	}
	if changed && !rc.run.a.CanSee(owner, teamOf(team)) {
		rc.bad("owner", "would hide the record from you; share it with one of your teams or ask a manager")
	}
	return owner, team
}

// ref resolves a reference field to a live record the actor may see.
func (rc *rowCtx) ref(field, kind string) *int64 {
	if !rc.has(field) {
		return nil
	}
	raw := rc.get(field)
	cache := rc.run.refs[kind]
	matches := cache[refKey(kind, raw)]
	if len(matches) == 0 {
		matches = cache[raw]
	}
	var visible []store.ImportRef
	for _, m := range matches {
		if rc.run.a.CanSee(m.OwnerID, teamOf(m.TeamID)) {
			visible = append(visible, m)
		}
	}
	switch len(visible) {
	case 0:
		rc.bad(field, "no %s you can see matches %q", kind, raw)
		return nil
	case 1:
		id := visible[0].ID
		return &id
	}
	rc.bad(field, "%q matches %d %ss; use the external id", raw, len(visible), kind)
	return nil
}

// pick reads a picklist value, accepting the value or its label whatever
// the case and spacing.
func (rc *rowCtx) pick(field, list string) string {
	v := rc.get(field)
	if v == "" {
		return ""
	}
	p := rc.run.picklists[list]
	if p == nil {
		rc.bad(field, "unknown value %q; the %s list has no values yet", v, list)
		return ""
	}
	key := attain.NameKey(v)
	for _, pv := range p.Values {
		if pv.Value == v || attain.NameKey(pv.Value) == key || attain.NameKey(pv.Label) == key {
			if pv.RetiredAt != nil {
				rc.bad(field, "%q is retired", v)
				return ""
			}
			return pv.Value
		}
	}
	var known []string
	for _, pv := range p.Values {
		if pv.RetiredAt == nil {
			known = append(known, pv.Label)
		}
	}
	rc.bad(field, "unknown value %q; known: %s", v, strings.Join(known, ", "))
	return ""
}

func (rc *rowCtx) date(field string) *attain.Date {
	if !rc.has(field) {
		return nil
	}
	d, err := importer.ParseDate(rc.get(field), rc.run.dateFmt)
	if err != nil {
		rc.bad(field, "%v", err)
		return nil
	}
	return &d
}

func (rc *rowCtx) time(field string) *time.Time {
	if !rc.has(field) {
		return nil
	}
	t, err := importer.ParseTime(rc.get(field), rc.run.dateFmt)
	if err != nil {
		rc.bad(field, "%v", err)
		return nil
	}
	return &t
}

// money reads an amount in the currency the row gives (a currency column
// or a symbol in the value), else the default.
func (rc *rowCtx) money(field, currency string) (*int64, string) {
	if !rc.has(field) {
		return nil, currency
	}
	n, cur, err := importer.ParseMoney(rc.get(field), rc.run.decimal, currency)
	if err != nil {
		rc.bad(field, "is not an amount: %v", err)
		return nil, currency
	}
	return &n, cur
}

func (rc *rowCtx) currency() string {
	if c := strings.ToUpper(rc.get("currency")); c != "" {
		if !attain.ValidCurrency(c) {
			rc.bad("currency", "must be a three-letter ISO 4217 code such as EUR")
			return rc.run.currency
		}
		return c
	}
	return rc.run.currency
}

// customValues reads the custom field columns into JSON values, checked
// against the definitions (prev is the record's values on update, nil on
// create).
func (rc *rowCtx) customValues(prev map[string]json.RawMessage) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for k, v := range prev {
		out[k] = v
	}
	for _, f := range rc.run.custom {
		field := "custom." + f.Key
		if !rc.has(field) {
			continue
		}
		v := rc.get(field)
		var val any
		var err error
		switch f.Type {
		case attain.FieldText, attain.FieldLongText:
			val = v
		case attain.FieldNumber:
			var n int64
			if n, err = importer.ParseNumber(v, rc.run.decimal, 6); err == nil {
				val = json.Number(strconv.FormatFloat(float64(n)/1e6, 'f', -1, 64))
			}
		case attain.FieldMoney:
			var n int64
			var cur string
			if n, cur, err = importer.ParseMoney(v, rc.run.decimal, rc.run.currency); err == nil {
				val = attain.CustomMoney{Amount: n, Currency: cur}
			}
		case attain.FieldDate:
			var d attain.Date
			if d, err = importer.ParseDate(v, rc.run.dateFmt); err == nil {
				val = d.String()
			}
		case attain.FieldBoolean:
			val, err = importer.ParseBool(v)
		case attain.FieldPicklist:
			if x := rc.pick(field, f.Picklist); x != "" {
				val = x
			} else {
				continue
			}
		case attain.FieldMultiPicklist:
			var vals []string
			for _, item := range importer.SplitList(v) {
				if x := pickFrom(rc.run.picklists[f.Picklist], item); x != "" {
					vals = append(vals, x)
				} else {
					rc.bad(field, "unknown value %q in %s", item, f.Picklist)
				}
			}
			val = vals
		case attain.FieldUser:
			if id, ok := rc.member(field); ok {
				val = id
			} else {
				continue
			}
		default:
			rc.bad(field, "%s fields cannot be imported from CSV", f.Type)
			continue
		}
		if err != nil {
			rc.bad(field, "%v", err)
			continue
		}
		b, _ := json.Marshal(val)
		out[f.Key] = b
	}
	if err := attain.ValidateCustom(rc.run.customDefs(), out, prev); err != nil {
		_ = rc.addErr(err)
	}
	return out
}

func pickFrom(p *attain.Picklist, v string) string {
	if p == nil {
		return ""
	}
	key := attain.NameKey(v)
	for _, pv := range p.Values {
		if pv.RetiredAt == nil && (pv.Value == v || attain.NameKey(pv.Value) == key || attain.NameKey(pv.Label) == key) {
			return pv.Value
		}
	}
	return ""
}

func (run *importRun) customDefs() []attain.CustomField { return run.custom }

// jsonText encodes v for a JSON TEXT column as the store does: no HTML
// escaping, so text stays searchable as typed.
func jsonText(v any, empty string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return empty
	}
	s := strings.TrimSpace(b.String())
	if s == "null" {
		return empty
	}
	return s
}
