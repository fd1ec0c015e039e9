package service

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/importer"
	"github.com/attain-crm/attain/store"
)

// Export writes the records of a list the actor may see, page by page (so
// any number of records streams in constant memory), with the list's
// filters and sort. CSV columns are named as the import reads them, with
// references written as names and emails, so an export imports back.
func (s *Service) Export(ctx context.Context, a *attain.Actor, kind, format string, q attain.ListQuery, w io.Writer) (int64, error) {
	if _, err := importKindRole(kind); err != nil {
		return 0, err
	}
	if format != "csv" && format != "json" {
		return 0, attain.Invalid("format", "must be csv or json")
	}
	x := &exporter{s: s, a: a, kind: kind, names: map[string]map[int64]string{}}
	if err := s.db.ReadTx(ctx, func(tx *store.Tx) error { return x.load(ctx, tx) }); err != nil {
		return 0, err
	}
	q.Page = attain.Page{Limit: attain.MaxPageSize}
	// The first page is read before anything is written, so a bad filter or
	// sort is still an error the caller can answer with, not a cut stream.
	items, next, err := x.page(ctx, q)
	if err != nil {
		return 0, err
	}
	var cw *csv.Writer
	if format == "csv" {
		cw = csv.NewWriter(w)
		if err := cw.Write(x.header()); err != nil {
			return 0, err
		}
	} else if _, err := io.WriteString(w, "["); err != nil {
		return 0, err
	}
	var n int64
	for {
		for _, it := range items {
			if cw != nil {
				if err := cw.Write(x.row(it)); err != nil {
					return n, err
				}
			} else {
				b, err := json.Marshal(it)
				if err != nil {
					return n, err
				}
				if n > 0 {
					b = append([]byte(",\n"), b...)
				}
				if _, err := w.Write(b); err != nil {
					return n, err
				}
			}
			n++
		}
		if cw != nil {
			cw.Flush()
			if err := cw.Error(); err != nil {
				return n, err
			}
		}
		if next == "" {
			break
		}
		q.Page.Cursor = next
		if items, next, err = x.page(ctx, q); err != nil {
			return n, err
		}
	}
	if cw == nil {
		if _, err := io.WriteString(w, "]\n"); err != nil {
			return n, err
		}
	}
	return n, nil
}

type exporter struct {
	s        *Service
	a        *attain.Actor
	kind     string
	custom   []attain.CustomField
	members  map[int64]string
	teams    map[int64]string
	stages   map[int64]string
	pipes    map[int64]string
	actTypes map[int64]string
	names    map[string]map[int64]string // table → id → name, for the page
}

func (x *exporter) load(ctx context.Context, tx *store.Tx) error {
	ws := x.a.WorkspaceID
	var err error
	if x.custom, err = importCustomFields(ctx, tx, ws, x.kind); err != nil {
		return err
	}
	ms, err := tx.FindMembers(ctx, ws)
	if err != nil {
		return err
	}
	x.members = map[int64]string{}
	for _, m := range ms {
		x.members[m.ID] = m.Email
	}
	ts, err := tx.FindTeams(ctx, ws)
	if err != nil {
		return err
	}
	x.teams = map[int64]string{}
	for _, t := range ts {
		x.teams[t.ID] = t.Name
	}
	ps, err := tx.FindPipelines(ctx, ws)
	if err != nil {
		return err
	}
	x.pipes, x.stages = map[int64]string{}, map[int64]string{}
	for _, p := range ps {
		x.pipes[p.ID] = p.Name
		for _, st := range p.Stages {
			x.stages[st.ID] = st.Name
		}
	}
	types, err := tx.FindActivityTypes(ctx, ws)
	if err != nil {
		return err
	}
	x.actTypes = map[int64]string{}
	for _, t := range types {
		x.actTypes[t.ID] = t.Key
	}
	return nil
}

var exportCols = map[string][]string{
	attain.KindAccounts: {"name", "domain", "website", "industry", "size", "country", "region", "city", "parent", "tags"},
	attain.KindContacts: {"first_name", "last_name", "email", "emails", "phone", "phones", "title", "account"},
	attain.KindLeads:    {"first_name", "last_name", "email", "phone", "title", "company", "website", "industry", "country", "source", "status"},
	attain.KindDeals: {"name", "account", "contact", "pipeline", "stage", "status", "amount", "currency", "margin", "close_date",
		"next_step", "reason", "reason_note"},
	attain.KindProducts: {"name", "sku", "currency", "list_price", "unit_cost", "active"},
	attain.KindActivities: {"type", "subject", "note", "deal", "contact", "account", "occurred_at", "due_at", "duration_minutes",
		"outcome", "sentiment"},
}

func (x *exporter) header() []string {
	h := append([]string{}, exportCols[x.kind]...)
	if x.kind != attain.KindProducts {
		h = append(h, "owner", "team")
	}
	if x.kind != attain.KindActivities {
		h = append(h, "external_id")
	}
	for _, f := range x.custom {
		h = append(h, "custom."+f.Key)
	}
	return append(h, "attain_id", "created_at", "updated_at")
}

// page reads one page of the list and the names its references need.
func (x *exporter) page(ctx context.Context, q attain.ListQuery) ([]any, string, error) {
	var items []any
	var next string
	refs := map[string][]int64{}
	ref := func(table string, id *int64) {
		if id != nil {
			refs[table] = append(refs[table], *id)
		}
	}
	s, a := x.s, x.a
	switch x.kind {
	case attain.KindAccounts:
		rs, n, err := s.FindAccounts(ctx, a, q)
		if err != nil {
			return nil, "", err
		}
		for _, r := range rs {
			ref("accounts", r.ParentID)
			items = append(items, r)
		}
		next = n
	case attain.KindContacts:
		rs, n, err := s.FindContacts(ctx, a, q)
		if err != nil {
			return nil, "", err
		}
		for _, r := range rs {
			ref("accounts", r.AccountID)
			items = append(items, r)
		}
		next = n
	case attain.KindLeads:
		rs, n, err := s.FindLeads(ctx, a, q)
		if err != nil {
			return nil, "", err
		}
		for _, r := range rs {
			items = append(items, r)
		}
		next = n
	case attain.KindDeals:
		rs, n, err := s.FindDeals(ctx, a, q)
		if err != nil {
			return nil, "", err
		}
		for _, r := range rs {
			ref("accounts", r.AccountID)
			ref("contacts", r.PrimaryContactID)
			items = append(items, r)
		}
		next = n
	case attain.KindProducts:
		rs, n, err := s.FindProducts(ctx, a, q)
		if err != nil {
			return nil, "", err
		}
		for _, r := range rs {
			items = append(items, r)
		}
		next = n
	case attain.KindActivities:
		rs, n, err := s.FindActivities(ctx, a, q)
		if err != nil {
			return nil, "", err
		}
		for _, r := range rs {
			ref("accounts", r.AccountID)
			ref("contacts", r.ContactID)
			ref("deals", r.DealID)
			items = append(items, r)
		}
		next = n
	}
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		for table, ids := range refs {
			m, err := tx.NamesByID(ctx, a.WorkspaceID, table, ids)
			if err != nil {
				return err
			}
			x.names[table] = m
		}
		return nil
	})
	return items, next, err
}

func (x *exporter) name(table string, id *int64) string {
	if id == nil {
		return ""
	}
	return x.names[table][*id]
}

func money(n int64, currency string) string {
	d := importer.CurrencyDigits(currency)
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	if d > 0 {
		for len(s) <= d {
			s = "0" + s
		}
		s = s[:len(s)-d] + "." + s[len(s)-d:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

func optMoney(n *int64, currency string) string {
	if n == nil {
		return ""
	}
	return money(*n, currency)
}

func optTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func (x *exporter) row(it any) []string {
	var vals []string
	var owner int64
	var team, ext *string
	var custom map[string]json.RawMessage
	var id int64
	var created, updated time.Time
	teamName := func(t *int64) *string {
		if t == nil {
			return nil
		}
		n := x.teams[*t]
		return &n
	}
	switch r := it.(type) {
	case *attain.Account:
		vals = []string{r.Name, r.Domain, r.Website, r.Industry, r.Size, r.Country, r.Region, r.City, x.name("accounts", r.ParentID), strings.Join(r.Tags, "; ")}
		owner, team, ext, custom, id, created, updated = r.OwnerID, teamName(r.TeamID), r.ExternalID, r.Custom, r.ID, r.CreatedAt, r.UpdatedAt
	case *attain.Contact:
		vals = []string{r.FirstName, r.LastName, r.Email, strings.Join(r.Emails, "; "), r.Phone, strings.Join(r.Phones, "; "), r.Title, x.name("accounts", r.AccountID)}
		owner, team, ext, custom, id, created, updated = r.OwnerID, teamName(r.TeamID), r.ExternalID, r.Custom, r.ID, r.CreatedAt, r.UpdatedAt
	case *attain.Lead:
		vals = []string{r.FirstName, r.LastName, r.Email, r.Phone, r.Title, r.Company, r.Website, r.Industry, r.Country, r.Source, string(r.Status)}
		owner, team, ext, custom, id, created, updated = r.OwnerID, teamName(r.TeamID), r.ExternalID, r.Custom, r.ID, r.CreatedAt, r.UpdatedAt
	case *attain.Deal:
		vals = []string{r.Name, x.name("accounts", r.AccountID), x.name("contacts", r.PrimaryContactID), x.pipes[r.PipelineID], x.stages[r.StageID],
			r.Status, money(r.Amount, r.Currency), r.Currency, optMoney(r.Margin, r.Currency), r.CloseDate.String(), r.NextStep, r.Reason, r.ReasonNote}
		owner, team, ext, custom, id, created, updated = r.OwnerID, teamName(r.TeamID), r.ExternalID, r.Custom, r.ID, r.CreatedAt, r.UpdatedAt
	case *attain.Product:
		vals = []string{r.Name, r.SKU, r.Currency, money(r.ListPrice, r.Currency), money(r.UnitCost, r.Currency), strconv.FormatBool(r.Active)}
		ext, id, created, updated = r.ExternalID, r.ID, r.CreatedAt, r.UpdatedAt
	case *attain.Activity:
		vals = []string{r.Type, r.Subject, r.Note, x.name("deals", r.DealID), x.name("contacts", r.ContactID), x.name("accounts", r.AccountID),
			optTime(r.OccurredAt), optTime(r.DueAt), strconv.Itoa(r.DurationMinutes), r.Outcome, r.Sentiment}
		owner, team, id, created, updated = r.OwnerID, teamName(r.TeamID), r.ID, r.CreatedAt, r.UpdatedAt
	}
	if x.kind != attain.KindProducts {
		t := ""
		if team != nil {
			t = *team
		}
		vals = append(vals, x.members[owner], t)
	}
	if x.kind != attain.KindActivities {
		e := ""
		if ext != nil {
			e = *ext
		}
		vals = append(vals, e)
	}
	for _, f := range x.custom {
		vals = append(vals, customText(f, custom[f.Key], x.members))
	}
	return append(vals, strconv.FormatInt(id, 10), created.UTC().Format(time.RFC3339), updated.UTC().Format(time.RFC3339))
}

// customText writes a custom value the way the import reads it back.
func customText(f attain.CustomField, raw json.RawMessage, members map[int64]string) string {
	if attain.CustomEmpty(raw) {
		return ""
	}
	switch f.Type {
	case attain.FieldMoney:
		var m attain.CustomMoney
		if json.Unmarshal(raw, &m) == nil {
			return money(m.Amount, m.Currency) + " " + m.Currency
		}
	case attain.FieldMultiPicklist:
		var vs []string
		if json.Unmarshal(raw, &vs) == nil {
			return strings.Join(vs, "; ")
		}
	case attain.FieldUser:
		var id int64
		if json.Unmarshal(raw, &id) == nil {
			return members[id]
		}
	case attain.FieldReference:
		var r attain.CustomRef
		if json.Unmarshal(raw, &r) == nil {
			return fmt.Sprintf("%s:%d", r.Type, r.ID)
		}
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}
