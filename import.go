package attain

import (
	"context"
	"io"
	"slices"
	"strings"
	"time"
)

// Kinds of record a CSV file can import and export, by their list names.
const (
	KindAccounts   = "accounts"
	KindContacts   = "contacts"
	KindLeads      = "leads"
	KindDeals      = "deals"
	KindProducts   = "products"
	KindActivities = "activities"
)

// ImportKinds lists every importable kind.
var ImportKinds = []string{KindAccounts, KindContacts, KindLeads, KindDeals, KindProducts, KindActivities}

// Import modes: what a bad row does to the rest of the file.
const (
	// ImportAllOrNothing writes nothing if any row is rejected.
	ImportAllOrNothing = "all_or_nothing"
	// ImportSkipBadRows writes the good rows and reports the rejected ones.
	ImportSkipBadRows = "skip_bad_rows"
)

// Import statuses.
const (
	ImportUploaded = "uploaded" // stored, mapping guessed, not run yet
	ImportQueued   = "queued"   // waiting for a background worker
	ImportRunning  = "running"
	ImportDone     = "done"   // ran (see the counts: rejected rows, dry run)
	ImportFailed   = "failed" // could not run at all (see Error)
)

// ImportOptions say how to read a file: which column fills which field, how
// dates and numbers are written, what a bad row does, and whether rows that
// match an existing record update it.
type ImportOptions struct {
	// Mapping maps a column (its header as in the file) to a field name
	// (ImportField.Name; custom fields as "custom.<key>"). Columns left
	// out are guessed from their header; "" ignores a column.
	Mapping map[string]string `json:"mapping,omitempty"`
	// DateFormat is one of DateFormats; "" recognises ISO dates and guesses
	// day/month order from the file.
	DateFormat string `json:"date_format,omitempty"`
	// Decimal is the decimal separator of numbers, "." or ","; "" guesses
	// from each value (1.234,56 and 1,234.56 both read as 1234.56).
	Decimal string `json:"decimal,omitempty"`
	// Currency is the currency of amounts that name none (default: the
	// workspace's).
	Currency string `json:"currency,omitempty"`
	// Delimiter is the column separator: ",", ";", "\t" or "|"; "" detects it
	// from the header line.
	Delimiter string `json:"delimiter,omitempty"`
	// Mode is ImportAllOrNothing (default) or ImportSkipBadRows.
	Mode string `json:"mode,omitempty"`
	// MatchBy, when set, updates the existing record whose key equals the
	// row's instead of creating one: external_id for every kind, email for
	// contacts and leads, domain or name for accounts, name or sku for
	// products. A deal whose stage changes moves as through MoveDeal, with
	// its stage history. Rows matching nothing are created.
	MatchBy string `json:"match_by,omitempty"`
}

// DateFormats are the date layouts an import may be told to use.
var DateFormats = []string{"YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY", "DD-MM-YYYY", "MM-DD-YYYY", "YYYY/MM/DD"}

// ImportMatchKeys lists the keys each kind may be matched by.
var ImportMatchKeys = map[string][]string{
	KindAccounts:   {"external_id", "domain", "name"},
	KindContacts:   {"external_id", "email"},
	KindLeads:      {"external_id", "email"},
	KindProducts:   {"external_id", "sku", "name"},
	KindDeals:      {"external_id"},
	KindActivities: {"external_id"},
}

// Validate checks and normalises the options.
func (o *ImportOptions) Validate(kind string) error {
	var v Validation
	if o.DateFormat != "" && !slices.Contains(DateFormats, o.DateFormat) {
		v.Add("date_format", "must be one of %s", strings.Join(DateFormats, ", "))
	}
	if o.Decimal != "" && o.Decimal != "." && o.Decimal != "," {
		v.Add("decimal", `must be "." or ","`)
	}
	o.Currency = strings.ToUpper(strings.TrimSpace(o.Currency))
	if o.Currency != "" && !ValidCurrency(o.Currency) {
		v.Add("currency", "must be a three-letter ISO 4217 code such as EUR")
	}
	if o.Delimiter != "" && !slices.Contains([]string{",", ";", "\t", "|"}, o.Delimiter) {
		v.Add("delimiter", `must be ",", ";", "\t" or "|"`)
	}
	switch o.Mode {
	case "":
		o.Mode = ImportAllOrNothing
	case ImportAllOrNothing, ImportSkipBadRows:
	default:
		v.Add("mode", "must be %s or %s", ImportAllOrNothing, ImportSkipBadRows)
	}
	if o.MatchBy != "" && !slices.Contains(ImportMatchKeys[kind], o.MatchBy) {
		v.Add("match_by", "%s can be matched by %s", kind, strings.Join(ImportMatchKeys[kind], ", "))
	}
	if len(o.Mapping) > 500 {
		v.Add("mapping", "at most 500 columns")
	}
	return v.Err()
}

// Import is one CSV file being imported, with how it is read and what the
// last run (or dry run) did. Rows are counted as the run goes, so a client
// can show progress by polling.
type Import struct {
	ID        int64         `json:"id"`
	Kind      string        `json:"kind"`
	Status    string        `json:"status"`
	FileName  string        `json:"file_name"`
	SizeBytes int64         `json:"size_bytes"`
	Header    []string      `json:"header"`
	Options   ImportOptions `json:"options"`
	// DryRun says the counts are from a dry run: nothing was written.
	DryRun bool `json:"dry_run"`
	// RowsDone counts the data rows read so far; BytesDone how far into the
	// file the run is, for a progress bar (BytesDone / SizeBytes).
	RowsDone  int64 `json:"rows_done"`
	BytesDone int64 `json:"bytes_done"`
	// Created and Updated count the records written (or that a dry run
	// would write); Rejected the rows refused (see the rejections).
	Created   int64      `json:"created"`
	Updated   int64      `json:"updated"`
	Rejected  int64      `json:"rejected"`
	Error     string     `json:"error,omitempty"`
	JobID     *int64     `json:"job_id"`
	CreatedBy int64      `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	StartedAt *time.Time `json:"started_at"`
	// FinishedAt is when the last run ended.
	FinishedAt *time.Time `json:"finished_at"`
	Version    int64      `json:"version"`
}

// ImportRejection is one reason a row was refused: its line in the file
// (the header is line 1), the column and the field it fills, the value and
// why. A row may have several.
type ImportRejection struct {
	Line   int64  `json:"line"`
	Column string `json:"column,omitempty"`
	Field  string `json:"field,omitempty"`
	Value  string `json:"value,omitempty"`
	Reason string `json:"reason"`
}

// ImportField is a field a column can fill.
type ImportField struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	// Type says how values are read: text, email, date, datetime, money,
	// number, integer, boolean, list (separated by ; or ,), picklist, or a
	// reference (account, contact, deal, user, team, pipeline, stage,
	// activity_type) matched by name, email, domain or external id.
	Type     string `json:"type"`
	Required bool   `json:"required,omitempty"`
	// Hint says what the field takes, e.g. the picklist's values.
	Hint string `json:"hint,omitempty"`
}

// ImportPreview is what a client needs to review an import before running
// it: the fields of the kind, the mapping in force (guessed from the header
// where not given), the columns that fill nothing, the first rows, and the
// formats guessed.
type ImportPreview struct {
	Import  *Import           `json:"import"`
	Fields  []ImportField     `json:"fields"`
	Mapping map[string]string `json:"mapping"`
	// Unmapped lists the columns no field takes; their data is not imported.
	Unmapped []string `json:"unmapped"`
	// Sample holds the first rows of the file, as read.
	Sample [][]string `json:"sample"`
	// DateFormat, Decimal and Delimiter are those in force: given, or
	// guessed from the sample.
	DateFormat string `json:"date_format"`
	Decimal    string `json:"decimal"`
	Delimiter  string `json:"delimiter"`
}

// ImportService imports CSV files and exports lists as CSV.
type ImportService interface {
	// CreateImport stores a CSV file streamed from r and returns its
	// preview; nothing is imported until RunImport.
	CreateImport(ctx context.Context, a *Actor, kind, fileName string, r io.Reader, opts ImportOptions) (*ImportPreview, error)
	FindImport(ctx context.Context, a *Actor, id int64) (*Import, error)
	FindImports(ctx context.Context, a *Actor, p Page) ([]*Import, string, error)
	PreviewImport(ctx context.Context, a *Actor, id int64) (*ImportPreview, error)
	// UpdateImport replaces the options (mapping, formats, mode).
	UpdateImport(ctx context.Context, a *Actor, id int64, opts ImportOptions) (*ImportPreview, error)
	// RunImport runs the import (or a dry run that writes nothing). Small
	// files run at once; large ones are queued as a background job and the
	// returned import is queued.
	RunImport(ctx context.Context, a *Actor, id int64, dryRun bool) (*Import, error)
	FindImportRejections(ctx context.Context, a *Actor, id int64, p Page) ([]*ImportRejection, string, error)
	DeleteImport(ctx context.Context, a *Actor, id int64) error
	// Export writes the records of a list the actor may see, with the
	// list's filters and sort, as CSV (custom fields as columns) or as a
	// JSON array, and returns how many it wrote.
	Export(ctx context.Context, a *Actor, kind, format string, q ListQuery, w io.Writer) (int64, error)
}
