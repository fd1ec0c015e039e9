package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/attain-crm/attain"
)

const contactCols = `c.id, c.account_id, c.first_name, c.last_name, c.email, c.emails, c.phone, c.phones, c.title,
	c.owner_id, c.team_id, c.custom, c.external_id, c.created_at, c.updated_at, c.deleted_at, c.version`

func scanContact(s interface{ Scan(...any) error }) (*attain.Contact, error) {
	var x attain.Contact
	var emails, phones, custom string
	if err := s.Scan(&x.ID, &x.AccountID, &x.FirstName, &x.LastName, &x.Email, &emails, &x.Phone, &phones, &x.Title,
		&x.OwnerID, &x.TeamID, &custom, &x.ExternalID, &x.CreatedAt, &x.UpdatedAt, &x.DeletedAt, &x.Version); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		text string
		v    any
	}{{emails, &x.Emails}, {phones, &x.Phones}, {custom, &x.Custom}} {
		if err := fromJSONText(f.text, f.v); err != nil {
			return nil, fmt.Errorf("contact %d: %w", x.ID, err)
		}
	}
	return &x, nil
}

// contactList is the whitelist of the contacts list. name is the full name
// ("first last"), lowercased like the other name columns.
var contactList = &listSpec{
	idExpr: "c.id",
	cols: map[string]listCol{
		"id":          {expr: "c.id", kind: kindInt, sortable: true},
		"name":        {expr: "lower(trim(c.first_name || ' ' || c.last_name))", kind: kindString, sortable: true},
		"first_name":  {expr: "lower(c.first_name)", kind: kindString, sortable: true},
		"last_name":   {expr: "lower(c.last_name)", kind: kindString, sortable: true},
		"email":       {expr: "lower(c.email)", kind: kindString},
		"title":       {expr: "c.title", kind: kindString},
		"account_id":  {expr: "c.account_id", kind: kindInt},
		"owner_id":    {expr: "c.owner_id", kind: kindInt},
		"team_id":     {expr: "c.team_id", kind: kindInt},
		"external_id": {expr: "c.external_id", kind: kindString},
		"created_at":  {expr: "c.created_at", kind: kindTime, sortable: true},
		"updated_at":  {expr: "c.updated_at", kind: kindTime, sortable: true},
		"deleted_at":  {expr: "c.deleted_at", kind: kindTime},
	},
	defaultSort: attain.Sort{Field: "name"},
}

func contactJSON(x *attain.Contact) (emails, phones, custom string, err error) {
	if emails, err = toJSONText(x.Emails, "[]"); err != nil {
		return
	}
	if phones, err = toJSONText(x.Phones, "[]"); err != nil {
		return
	}
	custom, err = toJSONText(x.Custom, "{}")
	return
}

// CreateContact inserts a contact and fills in its id, times and version.
func (tx *Tx) CreateContact(ctx context.Context, workspaceID int64, x *attain.Contact) error {
	emails, phones, custom, err := contactJSON(x)
	if err != nil {
		return err
	}
	x.CreatedAt, x.UpdatedAt, x.Version, x.DeletedAt = tx.Now, tx.Now, 1, nil
	x.ID, err = tx.insert(ctx, `INSERT INTO contacts (workspace_id, account_id, first_name, last_name, email, emails, phone, phones,
		title, owner_id, team_id, custom, external_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)`,
		workspaceID, x.AccountID, x.FirstName, x.LastName, x.Email, emails, x.Phone, phones,
		x.Title, x.OwnerID, x.TeamID, custom, x.ExternalID, tx.Now)
	return externalIDTaken(err, "contact")
}

// UpdateContact stores every editable field of x if its version is still
// version, and moves x to the new version.
func (tx *Tx) UpdateContact(ctx context.Context, workspaceID int64, x *attain.Contact, version int64) error {
	emails, phones, custom, err := contactJSON(x)
	if err != nil {
		return err
	}
	err = tx.checkVersion(ctx, "contacts", "Contact",
		`UPDATE contacts SET account_id = $1, first_name = $2, last_name = $3, email = $4, emails = $5, phone = $6,
			phones = $7, title = $8, owner_id = $9, team_id = $10, custom = $11, external_id = $12,
			updated_at = $13, version = version + 1
		 WHERE workspace_id = $14 AND id = $15 AND version = $16`,
		`SELECT 1 FROM contacts WHERE workspace_id = $1 AND id = $2`, []any{workspaceID, x.ID},
		x.AccountID, x.FirstName, x.LastName, x.Email, emails, x.Phone, phones, x.Title, x.OwnerID, x.TeamID,
		custom, x.ExternalID, tx.Now, workspaceID, x.ID, version)
	if err != nil {
		return externalIDTaken(err, "contact")
	}
	x.UpdatedAt, x.Version = tx.Now, version+1
	return nil
}

// SetContactDeleted soft-deletes (at set) or restores (at nil) a contact if
// its version is still version, and moves x to the new version.
func (tx *Tx) SetContactDeleted(ctx context.Context, workspaceID int64, x *attain.Contact, version int64, at *time.Time) error {
	return tx.setDeleted(ctx, "contacts", "Contact", workspaceID, x.ID, version, at, func() {
		x.DeletedAt, x.UpdatedAt, x.Version = at, tx.Now, version+1
	})
}

// FindContact returns a contact, deleted or not; the caller checks that the
// actor may see it.
func (tx *Tx) FindContact(ctx context.Context, workspaceID, id int64) (*attain.Contact, error) {
	x, err := scanContact(tx.queryRow(ctx, `SELECT `+contactCols+` FROM contacts c WHERE c.workspace_id = $1 AND c.id = $2`, workspaceID, id))
	return x, notFound(err, "Contact")
}

// FindContacts lists the contacts the actor may see, hiding deleted ones
// unless the query filters on deleted_at.
func (tx *Tx) FindContacts(ctx context.Context, a *attain.Actor, q attain.ListQuery) ([]*attain.Contact, string, error) {
	var ar args
	where := "c.workspace_id = " + ar.add(a.WorkspaceID) + " AND " + Visible(a, "c.owner_id", "c.team_id", &ar) +
		liveUnlessAsked(q, "c.deleted_at")
	q = lowerFilterValues(q, "name", "first_name", "last_name", "email")
	return listRows(ctx, tx, contactList, q, &ar, `SELECT `+contactCols+` FROM contacts c`, where, scanContact,
		func(x *attain.Contact) int64 { return x.ID })
}

// MatchContact finds the oldest live contact the actor may see whose main
// email is email (lowercase), or failing that one of whose extra emails is,
// or nil.
func (tx *Tx) MatchContact(ctx context.Context, a *attain.Actor, email string) (*attain.Contact, error) {
	if email == "" {
		return nil, nil
	}
	// The main email is indexed; extra emails are a scan, so they come second.
	for _, extra := range []bool{false, true} {
		var ar args
		q := `SELECT ` + contactCols + ` FROM contacts c WHERE c.workspace_id = ` + ar.add(a.WorkspaceID) + ` AND c.deleted_at IS NULL AND `
		if extra {
			q += `c.emails LIKE ` + ar.add("%"+likeEscape(`"`+email+`"`)+"%") + ` ESCAPE '\'`
		} else {
			q += `lower(c.email) = ` + ar.add(email)
		}
		q += ` AND ` + Visible(a, "c.owner_id", "c.team_id", &ar) + ` ORDER BY c.id LIMIT 1`
		x, err := scanContact(tx.queryRow(ctx, q, ar...))
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		return x, err
	}
	return nil, nil
}
