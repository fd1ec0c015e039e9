package store

import (
	"context"

	"github.com/attain-crm/attain"
)

const roleCols = `r.id, r.contact_id, r.account_id, r.deal_id, r.role, r.influence, r.attitude, r.created_at`

func scanRole(s interface{ Scan(...any) error }) (*attain.ContactRole, error) {
	var r attain.ContactRole
	err := s.Scan(&r.ID, &r.ContactID, &r.AccountID, &r.DealID, &r.Role, &r.Influence, &r.Attitude, &r.CreatedAt)
	return &r, err
}

// CreateContactRole inserts a buying role; the same role twice on the same
// account and deal is a conflict.
func (tx *Tx) CreateContactRole(ctx context.Context, workspaceID int64, r *attain.ContactRole) error {
	r.CreatedAt = tx.Now
	var err error
	r.ID, err = tx.insert(ctx, `INSERT INTO contact_roles (workspace_id, contact_id, account_id, deal_id, role, influence, attitude, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		workspaceID, r.ContactID, r.AccountID, r.DealID, r.Role, r.Influence, r.Attitude, tx.Now)
	if attain.ErrorCode(err) == attain.ECONFLICT {
		return attain.Errorf(attain.ECONFLICT, "The contact already has the role %q there.", r.Role)
	}
	return err
}

// FindContactRole returns one buying role.
func (tx *Tx) FindContactRole(ctx context.Context, workspaceID, id int64) (*attain.ContactRole, error) {
	r, err := scanRole(tx.queryRow(ctx, `SELECT `+roleCols+` FROM contact_roles r WHERE r.workspace_id = $1 AND r.id = $2`, workspaceID, id))
	return r, notFound(err, "Role")
}

// FindContactRoles lists a contact's buying roles, oldest first.
func (tx *Tx) FindContactRoles(ctx context.Context, workspaceID, contactID int64) ([]*attain.ContactRole, error) {
	rows, err := tx.query(ctx, `SELECT `+roleCols+` FROM contact_roles r WHERE r.workspace_id = $1 AND r.contact_id = $2 ORDER BY r.id`,
		workspaceID, contactID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*attain.ContactRole{}
	for rows.Next() {
		r, err := scanRole(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// DeleteContactRole removes a buying role.
func (tx *Tx) DeleteContactRole(ctx context.Context, workspaceID, id int64) error {
	res, err := tx.exec(ctx, `DELETE FROM contact_roles WHERE workspace_id = $1 AND id = $2`, workspaceID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return attain.Errorf(attain.ENOTFOUND, "Role not found.")
	}
	return nil
}

// MappedRole is a buying role with its contact's summary and the contact's
// owner and team, so the caller can show only the people the actor may see.
type MappedRole struct {
	*attain.ContactRole
	OwnerID int64
	TeamID  *int64
}

// FindMappedRoles lists the buying roles of live contacts on an account
// (accountID set: its roles on the account itself, not on a deal) or on
// deals (dealIDs), with contact summaries, ordered by contact name.
func (tx *Tx) FindMappedRoles(ctx context.Context, workspaceID int64, accountID int64, dealIDs []int64) ([]MappedRole, error) {
	var ar args
	q := `SELECT ` + roleCols + `, c.first_name, c.last_name, c.title, c.email, c.phone, c.account_id, c.owner_id, c.team_id
		FROM contact_roles r JOIN contacts c ON c.workspace_id = r.workspace_id AND c.id = r.contact_id
		WHERE r.workspace_id = ` + ar.add(workspaceID) + ` AND c.deleted_at IS NULL AND `
	if accountID != 0 {
		q += `r.account_id = ` + ar.add(accountID) + ` AND r.deal_id IS NULL`
	} else {
		q += `r.deal_id IN ` + ar.in(dealIDs)
	}
	q += ` ORDER BY lower(c.last_name), lower(c.first_name), r.id`
	rows, err := tx.query(ctx, q, ar...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MappedRole
	for rows.Next() {
		var m MappedRole
		var c attain.ContactSummary
		var first, last string
		r := &attain.ContactRole{}
		if err := rows.Scan(&r.ID, &r.ContactID, &r.AccountID, &r.DealID, &r.Role, &r.Influence, &r.Attitude, &r.CreatedAt,
			&first, &last, &c.Title, &c.Email, &c.Phone, &c.AccountID, &m.OwnerID, &m.TeamID); err != nil {
			return nil, err
		}
		c.ID = r.ContactID
		c.Name = (&attain.Contact{FirstName: first, LastName: last}).Name()
		r.Contact = &c
		m.ContactRole = r
		out = append(out, m)
	}
	return out, rows.Err()
}

// FindAccountContacts lists the live contacts of an account that the actor
// may see, by name; at most limit.
func (tx *Tx) FindAccountContacts(ctx context.Context, a *attain.Actor, accountID int64, limit int) ([]*attain.Contact, error) {
	var ar args
	q := `SELECT ` + contactCols + ` FROM contacts c WHERE c.workspace_id = ` + ar.add(a.WorkspaceID) +
		` AND c.account_id = ` + ar.add(accountID) + ` AND c.deleted_at IS NULL AND ` + Visible(a, "c.owner_id", "c.team_id", &ar) +
		` ORDER BY lower(c.last_name), lower(c.first_name), c.id LIMIT ` + ar.add(limit)
	rows, err := tx.query(ctx, q, ar...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*attain.Contact
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FindOpenDealsOfAccount lists the account's open, live deals that the
// actor may see, by close date.
func (tx *Tx) FindOpenDealsOfAccount(ctx context.Context, a *attain.Actor, accountID int64) ([]*attain.MapDeal, error) {
	var ar args
	q := `SELECT d.id, d.name, d.amount, d.currency, d.close_date, d.stage_id, d.owner_id FROM deals d
		WHERE d.workspace_id = ` + ar.add(a.WorkspaceID) + ` AND d.account_id = ` + ar.add(accountID) +
		` AND d.status = 'open' AND d.deleted_at IS NULL AND ` + Visible(a, "d.owner_id", "d.team_id", &ar) +
		` ORDER BY d.close_date, d.id`
	rows, err := tx.query(ctx, q, ar...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*attain.MapDeal{}
	for rows.Next() {
		d := &attain.MapDeal{People: []*attain.ContactRole{}}
		if err := rows.Scan(&d.ID, &d.Name, &d.Amount, &d.Currency, &d.CloseDate, &d.StageID, &d.OwnerID); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
