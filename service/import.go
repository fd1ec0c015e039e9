package service

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/importer"
	"github.com/attain-crm/attain/store"
)

var _ attain.ImportService = (*Service)(nil)

// Import limits and thresholds.
const (
	// ImportChunkBytes is the size of the pieces an uploaded file is kept in.
	ImportChunkBytes = 1 << 20
	// MaxImportBytes bounds one uploaded file.
	MaxImportBytes = 1 << 30
	// SyncImportBytes is the largest file run within the request; larger
	// ones run as a background job.
	SyncImportBytes = 2 << 20
	// MaxStoredRejections bounds the rejections kept per run; further rows
	// are still counted.
	MaxStoredRejections = 100_000
	// ImportJobKind is the background job that runs large imports.
	ImportJobKind = "import"
	previewRows   = 20
)

// importRuns tracks the imports running in this process, so a client
// polling an import sees its progress while its transaction is open.
type importRuns struct{ m sync.Map }

type importProgress struct {
	rows, bytes, created, updated, rejected atomic.Int64
}

func (r *importRuns) start(id int64) *importProgress {
	p := &importProgress{}
	r.m.Store(id, p)
	return p
}

func (r *importRuns) done(id int64) { r.m.Delete(id) }

// snapshot returns the progress of the runs going on now. Take it before
// reading imports: a run that ends between the read and the overlay is then
// still overlaid, instead of showing a running import without its progress.
func (r *importRuns) snapshot() map[int64]*importProgress {
	out := map[int64]*importProgress{}
	r.m.Range(func(k, v any) bool {
		out[k.(int64)] = v.(*importProgress)
		return true
	})
	return out
}

// overlay puts the progress of x's run, from a snapshot, on x.
func overlay(x *attain.Import, runs map[int64]*importProgress) {
	p, ok := runs[x.ID]
	if !ok || x.Status != attain.ImportRunning {
		if x.Status == attain.ImportDone {
			x.BytesDone = x.SizeBytes // a finished run read the whole file; the count is not stored
		}
		return
	}
	x.RowsDone, x.BytesDone = p.rows.Load(), p.bytes.Load()
	x.Created, x.Updated, x.Rejected = p.created.Load(), p.updated.Load(), p.rejected.Load()
}

// importKindRole is the role each kind needs: products belong to the whole
// workspace, so only admins import them.
func importKindRole(kind string) (attain.Role, error) {
	if !slices.Contains(attain.ImportKinds, kind) {
		return "", attain.Invalid("kind", "must be one of %s", strings.Join(attain.ImportKinds, ", "))
	}
	if kind == attain.KindProducts {
		return attain.RoleAdmin, nil
	}
	return attain.RoleRep, nil
}

// CreateImport stores the file streamed from r, piece by piece, and returns
// its preview. Any member may import the records they may create; the file
// is only run by RunImport.
func (s *Service) CreateImport(ctx context.Context, a *attain.Actor, kind, fileName string, r io.Reader, opts attain.ImportOptions) (*attain.ImportPreview, error) {
	role, err := importKindRole(kind)
	if err != nil {
		return nil, err
	}
	if err := a.Require(role); err != nil {
		return nil, err
	}
	if a.System {
		return nil, attain.Invalid("actor", "an import is made by a member; name one")
	}
	if err := opts.Validate(kind); err != nil {
		return nil, err
	}
	if len(fileName) > 200 {
		fileName = fileName[:200]
	}
	imp := &attain.Import{Kind: kind, Status: attain.ImportUploaded, FileName: fileName, Options: opts, CreatedBy: a.UserID, Header: []string{}}
	if err := s.db.WriteTx(ctx, func(tx *store.Tx) error { return tx.CreateImport(ctx, a.WorkspaceID, imp) }); err != nil {
		return nil, err
	}
	// Each piece is its own short transaction, so a slow upload never
	// holds the database's write lock.
	buf := make([]byte, ImportChunkBytes)
	var size int64
	fail := func(err error) (*attain.ImportPreview, error) {
		_ = s.db.WriteTx(context.WithoutCancel(ctx), func(tx *store.Tx) error { return tx.DeleteImport(ctx, a.WorkspaceID, imp.ID) })
		return nil, err
	}
	for seq := int64(0); ; seq++ {
		n, rerr := io.ReadFull(r, buf)
		if n > 0 {
			size += int64(n)
			if size > MaxImportBytes {
				return fail(attain.Invalid("file", "is larger than %d bytes", MaxImportBytes))
			}
			data := buf[:n]
			if err := s.db.WriteTx(ctx, func(tx *store.Tx) error { return tx.AddImportChunk(ctx, a.WorkspaceID, imp.ID, seq, data) }); err != nil {
				return fail(err)
			}
		}
		if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
			break
		}
		if rerr != nil {
			return fail(rerr)
		}
	}
	if size == 0 {
		return fail(attain.Invalid("file", "is empty; send a CSV file with a header line"))
	}
	imp.SizeBytes = size
	header, _, err := s.readSample(ctx, a.WorkspaceID, imp)
	if err != nil {
		return fail(err)
	}
	imp.Header = header
	if err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := tx.UpdateImport(ctx, a.WorkspaceID, imp); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "create", "import", imp.ID, nil, imp)
	}); err != nil {
		return fail(err)
	}
	return s.PreviewImport(ctx, a, imp.ID)
}

// visibleImport reads an import its creator or an admin may see.
func (s *Service) visibleImport(ctx context.Context, tx *store.Tx, a *attain.Actor, id int64) (*attain.Import, error) {
	runs := s.imports.snapshot()
	x, err := tx.FindImport(ctx, a.WorkspaceID, id)
	if err != nil {
		return nil, err
	}
	if x.CreatedBy != a.UserID && !a.SeesAll() {
		return nil, attain.Errorf(attain.ENOTFOUND, "Import not found.")
	}
	overlay(x, runs)
	return x, nil
}

// FindImport returns an import with its progress.
func (s *Service) FindImport(ctx context.Context, a *attain.Actor, id int64) (*attain.Import, error) {
	var x *attain.Import
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		x, err = s.visibleImport(ctx, tx, a, id)
		return err
	})
	return x, err
}

// FindImports lists the actor's imports (every import, for admins), newest first.
func (s *Service) FindImports(ctx context.Context, a *attain.Actor, p attain.Page) ([]*attain.Import, string, error) {
	var out []*attain.Import
	var next string
	by := a.UserID
	if a.SeesAll() {
		by = 0
	}
	runs := s.imports.snapshot()
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, next, err = tx.FindImports(ctx, a.WorkspaceID, by, p)
		return err
	})
	for _, x := range out {
		overlay(x, runs)
	}
	return out, next, err
}

// DeleteImport removes an import that is not running, its file and its
// rejections; the records it created stay.
func (s *Service) DeleteImport(ctx context.Context, a *attain.Actor, id int64) error {
	return s.db.WriteTx(ctx, func(tx *store.Tx) error {
		x, err := s.visibleImport(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if x.Status == attain.ImportRunning || x.Status == attain.ImportQueued {
			return attain.Errorf(attain.ECONFLICT, "The import is %s; wait for it to finish.", x.Status)
		}
		if err := tx.DeleteImport(ctx, a.WorkspaceID, id); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "delete", "import", id, x, nil)
	})
}

// PreviewImport returns the mapping in force, the fields, the first rows
// and the formats guessed.
func (s *Service) PreviewImport(ctx context.Context, a *attain.Actor, id int64) (*attain.ImportPreview, error) {
	imp, err := s.FindImport(ctx, a, id)
	if err != nil {
		return nil, err
	}
	var custom []attain.CustomField
	err = s.db.ReadTx(ctx, func(tx *store.Tx) error {
		custom, err = importCustomFields(ctx, tx, a.WorkspaceID, imp.Kind)
		return err
	})
	if err != nil {
		return nil, err
	}
	header, sample, err := s.readSample(ctx, a.WorkspaceID, imp)
	if err != nil {
		return nil, err
	}
	mapping := effectiveMapping(imp.Kind, header, custom, imp.Options.Mapping)
	p := &attain.ImportPreview{Import: imp, Fields: importFields(imp.Kind, custom), Mapping: mapping, Unmapped: []string{},
		Sample: sample, DateFormat: imp.Options.DateFormat, Decimal: imp.Options.Decimal, Delimiter: imp.Options.Delimiter}
	for _, h := range header {
		if mapping[h] == "" {
			p.Unmapped = append(p.Unmapped, h)
		}
	}
	if p.DateFormat == "" {
		var vals []string
		fields := fieldTypes(imp.Kind, custom)
		for i, h := range header {
			if t := fields[mapping[h]]; t == importer.TypeDate || t == importer.TypeDateTime {
				for _, row := range sample {
					if i < len(row) {
						vals = append(vals, row[i])
					}
				}
			}
		}
		p.DateFormat = importer.GuessDateFormat(vals)
	}
	if p.Delimiter == "" {
		p.Delimiter = string(s.delimiter(ctx, a.WorkspaceID, imp))
	}
	return p, nil
}

// UpdateImport replaces an import's options; the mapping is checked against
// the file's columns and the kind's fields.
func (s *Service) UpdateImport(ctx context.Context, a *attain.Actor, id int64, opts attain.ImportOptions) (*attain.ImportPreview, error) {
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		x, err := s.visibleImport(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if x.Status == attain.ImportRunning || x.Status == attain.ImportQueued {
			return attain.Errorf(attain.ECONFLICT, "The import is %s; wait for it to finish.", x.Status)
		}
		if err := opts.Validate(x.Kind); err != nil {
			return err
		}
		custom, err := importCustomFields(ctx, tx, a.WorkspaceID, x.Kind)
		if err != nil {
			return err
		}
		if err := checkMapping(x, custom, opts.Mapping); err != nil {
			return err
		}
		before := *x
		x.Options = opts
		if err := tx.UpdateImport(ctx, a.WorkspaceID, x); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "update", "import", id, &before, x)
	})
	if err != nil {
		return nil, err
	}
	return s.PreviewImport(ctx, a, id)
}

// checkMapping refuses mappings that name unknown columns or fields, or
// one field twice.
func checkMapping(x *attain.Import, custom []attain.CustomField, m map[string]string) error {
	var v attain.Validation
	fields := fieldTypes(x.Kind, custom)
	used := map[string]string{}
	for col, f := range m {
		if !slices.Contains(x.Header, col) {
			v.Add("mapping."+col, "is not a column of the file; columns: %s", strings.Join(x.Header, ", "))
			continue
		}
		if f == "" {
			continue
		}
		if _, ok := fields[f]; !ok {
			v.Add("mapping."+col, "%q is not a field of %s", f, x.Kind)
			continue
		}
		if other, ok := used[f]; ok {
			v.Add("mapping."+col, "%q is already filled by column %q", f, other)
		}
		used[f] = col
	}
	return v.Err()
}

// effectiveMapping is the guessed mapping with the given one laid over it;
// a field given explicitly is taken from any column it was guessed for.
func effectiveMapping(kind string, header []string, custom []attain.CustomField, given map[string]string) map[string]string {
	m := importer.Guess(kind, header, custom)
	explicit := map[string]bool{}
	for col, f := range given {
		if _, ok := m[col]; ok && f != "" {
			explicit[f] = true
		}
	}
	for col, f := range m {
		if _, ok := given[col]; !ok && explicit[f] {
			m[col] = ""
		}
	}
	for col, f := range given {
		if _, ok := m[col]; ok {
			m[col] = f
		}
	}
	return m
}

// importCustomFields returns the custom fields of the kind's records, with
// their picklist options; products and activities have none.
func importCustomFields(ctx context.Context, tx *store.Tx, workspaceID int64, kind string) ([]attain.CustomField, error) {
	entity := entityOfKind(kind)
	if entity == "" {
		return nil, nil
	}
	fs, err := tx.FindCustomFields(ctx, workspaceID, entity)
	if err != nil {
		return nil, err
	}
	if err := withPicklistOptions(ctx, tx, workspaceID, fs); err != nil {
		return nil, err
	}
	out := make([]attain.CustomField, len(fs))
	for i, f := range fs {
		out[i] = *f
	}
	return out, nil
}

func entityOfKind(kind string) string {
	switch kind {
	case attain.KindAccounts:
		return "account"
	case attain.KindContacts:
		return "contact"
	case attain.KindLeads:
		return "lead"
	case attain.KindDeals:
		return "deal"
	}
	return ""
}

func importFields(kind string, custom []attain.CustomField) []attain.ImportField {
	out := importer.Fields(kind)
	for _, f := range custom {
		if f.RetiredAt != nil {
			continue
		}
		t := f.Type
		hint := f.Purpose
		if len(f.Options) > 0 {
			hint += " Values: " + strings.Join(f.Options, ", ")
		}
		out = append(out, attain.ImportField{Name: "custom." + f.Key, Label: f.Label, Type: t, Required: f.Required, Hint: hint})
	}
	return out
}

func fieldTypes(kind string, custom []attain.CustomField) map[string]string {
	m := map[string]string{}
	for _, f := range importFields(kind, custom) {
		m[f.Name] = f.Type
	}
	return m
}

// chunkReader streams an import's file from the database, a piece at a time.
type chunkReader struct {
	ctx   context.Context
	db    *store.DB
	ws    int64
	id    int64
	seq   int64
	buf   []byte
	read  int64
	ended bool
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.ended {
			return 0, io.EOF
		}
		data, err := r.db.ImportChunk(r.ctx, r.ws, r.id, r.seq)
		if err != nil {
			return 0, err
		}
		if data == nil {
			r.ended = true
			return 0, io.EOF
		}
		r.seq++
		r.buf = data
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	r.read += int64(n)
	return n, nil
}

func (s *Service) fileReader(ctx context.Context, workspaceID int64, imp *attain.Import) *chunkReader {
	return &chunkReader{ctx: ctx, db: s.db, ws: workspaceID, id: imp.ID}
}

// delimiter is the import's column separator: given, or guessed from the
// file's first line.
func (s *Service) delimiter(ctx context.Context, workspaceID int64, imp *attain.Import) rune {
	if imp.Options.Delimiter != "" {
		return []rune(imp.Options.Delimiter)[0]
	}
	first, err := s.db.ImportChunk(ctx, workspaceID, imp.ID, 0)
	if err != nil || first == nil {
		return ','
	}
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	return importer.GuessDelimiter(string(first))
}

// openCSV returns a CSV reader over the import's file and the reader that
// counts the bytes consumed.
func (s *Service) openCSV(ctx context.Context, workspaceID int64, imp *attain.Import) (*csv.Reader, *chunkReader) {
	cr := s.fileReader(ctx, workspaceID, imp)
	br := bufio.NewReaderSize(cr, 64<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3) // the byte order mark Excel writes
	}
	r := csv.NewReader(br)
	r.Comma = s.delimiter(ctx, workspaceID, imp)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	return r, cr
}

// readSample reads the header (duplicates made distinct) and the first rows.
func (s *Service) readSample(ctx context.Context, workspaceID int64, imp *attain.Import) ([]string, [][]string, error) {
	r, _ := s.openCSV(ctx, workspaceID, imp)
	header, err := readHeader(r)
	if err != nil {
		return nil, nil, err
	}
	var sample [][]string
	for len(sample) < previewRows {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				break // the run reports the line; the preview shows what it can
			}
			return nil, nil, err
		}
		sample = append(sample, slices.Clone(rec))
	}
	return header, sample, nil
}

func readHeader(r *csv.Reader) ([]string, error) {
	rec, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, attain.Invalid("file", "is empty; send a CSV file with a header line")
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, attain.Invalid("file", "line %d is not valid CSV: %v", pe.Line, pe.Err)
		}
		return nil, err
	}
	header := make([]string, len(rec))
	seen := map[string]int{}
	for i, h := range rec {
		h = strings.TrimSpace(h)
		if h == "" {
			h = fmt.Sprintf("column %d", i+1)
		}
		if seen[h]++; seen[h] > 1 {
			h = fmt.Sprintf("%s (%d)", h, seen[h])
		}
		header[i] = h
	}
	return header, nil
}

// RunImport runs an import, or a dry run that writes nothing but reports
// the same. Files up to SyncImportBytes run at once; larger ones are queued
// as a background job, and the import answers queued.
func (s *Service) RunImport(ctx context.Context, a *attain.Actor, id int64, dryRun bool) (*attain.Import, error) {
	var imp *attain.Import
	queue := false
	err := s.db.WriteTx(ctx, func(tx *store.Tx) (err error) {
		if imp, err = s.visibleImport(ctx, tx, a, id); err != nil {
			return err
		}
		if imp.Status == attain.ImportRunning || imp.Status == attain.ImportQueued {
			return attain.Errorf(attain.ECONFLICT, "The import is %s already.", imp.Status)
		}
		role, err := importKindRole(imp.Kind)
		if err != nil {
			return err
		}
		if err := a.Require(role); err != nil {
			return err
		}
		if imp.SizeBytes <= SyncImportBytes {
			return nil
		}
		queue = true
		payload, _ := json.Marshal(importJob{ImportID: id, UserID: a.UserID, DryRun: dryRun})
		j, err := tx.EnqueueJob(ctx, attain.NewJob{WorkspaceID: a.WorkspaceID, Kind: ImportJobKind, Payload: payload, MaxAttempts: 3,
			UniqueKey: fmt.Sprint(id)})
		if err != nil {
			return err
		}
		imp.Status, imp.JobID, imp.DryRun = attain.ImportQueued, &j.ID, dryRun
		return tx.UpdateImport(ctx, a.WorkspaceID, imp)
	})
	if err != nil || queue {
		return imp, err
	}
	return s.runImport(ctx, a, imp, dryRun)
}

// importJob is the payload of an import job.
type importJob struct {
	ImportID int64 `json:"import_id"`
	UserID   int64 `json:"user_id"`
	DryRun   bool  `json:"dry_run"`
}

// ImportJob runs a queued import as the member who started it; register it
// with the job runner under ImportJobKind.
func (s *Service) ImportJob(ctx context.Context, j *attain.Job) error {
	var p importJob
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return fmt.Errorf("import job payload: %w", err)
	}
	var a *attain.Actor
	var imp *attain.Import
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		if a, err = tx.LoadActor(ctx, j.WorkspaceID, p.UserID); err != nil {
			return err
		}
		imp, err = tx.FindImport(ctx, j.WorkspaceID, p.ImportID)
		return err
	})
	if attain.ErrorCode(err) == attain.ENOTFOUND {
		return nil // the import or its member is gone: nothing to do
	}
	if err != nil {
		return err
	}
	_, err = s.runImport(ctx, a, imp, p.DryRun)
	return err
}

// FindImportRejections lists the rows the last run of an import refused,
// in file order.
func (s *Service) FindImportRejections(ctx context.Context, a *attain.Actor, id int64, p attain.Page) ([]*attain.ImportRejection, string, error) {
	var out []*attain.ImportRejection
	var next string
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		if _, err := s.visibleImport(ctx, tx, a, id); err != nil {
			return err
		}
		var err error
		out, next, err = tx.FindImportRejections(ctx, a.WorkspaceID, id, p)
		return err
	})
	return out, next, err
}

// RunImportNow runs an import within the call whatever its size, for the
// CLI, which shows progress itself (poll FindImport from another goroutine).
func (s *Service) RunImportNow(ctx context.Context, a *attain.Actor, id int64, dryRun bool) (*attain.Import, error) {
	var imp *attain.Import
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		imp, err = s.visibleImport(ctx, tx, a, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	if imp.Status == attain.ImportRunning || imp.Status == attain.ImportQueued {
		return nil, attain.Errorf(attain.ECONFLICT, "The import is %s already.", imp.Status)
	}
	return s.runImport(ctx, a, imp, dryRun)
}
