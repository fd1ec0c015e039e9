package service

import (
	"context"
	"slices"
	"strings"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// maxMapContacts bounds the unmapped contacts an account map lists.
const maxMapContacts = 500

// AddContactRole gives a contact a buying role on an account and optionally
// on one of its deals. The account defaults to the deal's, then to the
// contact's. The change is kept in the contact's history as "roles".
func (s *Service) AddContactRole(ctx context.Context, a *attain.Actor, contactID int64, in attain.ContactRoleInput) (*attain.ContactRole, error) {
	var r *attain.ContactRole
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		c, err := visibleContact(ctx, tx, a, contactID)
		if err != nil {
			return err
		}
		if err := editable(c.DeletedAt != nil, 0, 0, "contact"); err != nil {
			return err
		}
		var v attain.Validation
		if err := addFieldErrors(&v, in.Validate()); err != nil {
			return err
		}
		if err := addFieldErrors(&v, s.CheckPicklist(ctx, tx, a.WorkspaceID, attain.ListBuyingRole, "role", in.Role, "")); err != nil {
			return err
		}
		accountID := in.AccountID
		if in.DealID != nil {
			d, err := liveRef(ctx, tx, a, *in.DealID, dealAccess(tx), func(d *attain.RecordAccess) (int64, *int64, bool) {
				return d.OwnerID, d.TeamID, d.DeletedAt != nil
			})
			switch {
			case err != nil:
				return err
			case d == nil:
				v.Add("deal_id", "is not a live deal you can see")
			case accountID == nil:
				accountID = d.AccountID
			case d.AccountID != nil && *d.AccountID != *accountID:
				v.Add("account_id", "is not the deal's account (%d)", *d.AccountID)
			}
		}
		if accountID == nil {
			accountID = c.AccountID
		}
		if accountID == nil && in.DealID == nil {
			v.Add("account_id", "is required: the contact has no account")
		}
		if accountID != nil {
			acc, err := liveRef(ctx, tx, a, *accountID, tx.FindAccount, func(p *attain.Account) (int64, *int64, bool) {
				return p.OwnerID, p.TeamID, p.DeletedAt != nil
			})
			if err != nil {
				return err
			}
			if acc == nil {
				v.Add("account_id", "is not a live account you can see")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		before, err := tx.FindContactRoles(ctx, a.WorkspaceID, contactID)
		if err != nil {
			return err
		}
		r = &attain.ContactRole{ContactID: contactID, AccountID: accountID, DealID: in.DealID, Role: in.Role,
			Influence: in.Influence, Attitude: in.Attitude}
		if err := tx.CreateContactRole(ctx, a.WorkspaceID, r); err != nil {
			return err
		}
		if err := recordRoles(ctx, tx, a, contactID, before); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "create", "contact_role", r.ID, nil, r)
	})
	return r, err
}

// FindContactRoles lists a contact's buying roles.
func (s *Service) FindContactRoles(ctx context.Context, a *attain.Actor, contactID int64) ([]*attain.ContactRole, error) {
	var out []*attain.ContactRole
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		if _, err := visibleContact(ctx, tx, a, contactID); err != nil {
			return err
		}
		var err error
		out, err = tx.FindContactRoles(ctx, a.WorkspaceID, contactID)
		return err
	})
	return out, err
}

// RemoveContactRole takes a buying role away from a contact.
func (s *Service) RemoveContactRole(ctx context.Context, a *attain.Actor, contactID, roleID int64) error {
	return s.db.WriteTx(ctx, func(tx *store.Tx) error {
		c, err := visibleContact(ctx, tx, a, contactID)
		if err != nil {
			return err
		}
		if err := editable(c.DeletedAt != nil, 0, 0, "contact"); err != nil {
			return err
		}
		r, err := tx.FindContactRole(ctx, a.WorkspaceID, roleID)
		if err != nil {
			return err
		}
		if r.ContactID != contactID {
			return attain.Errorf(attain.ENOTFOUND, "Role not found.")
		}
		before, err := tx.FindContactRoles(ctx, a.WorkspaceID, contactID)
		if err != nil {
			return err
		}
		if err := tx.DeleteContactRole(ctx, a.WorkspaceID, roleID); err != nil {
			return err
		}
		if err := recordRoles(ctx, tx, a, contactID, before); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "delete", "contact_role", roleID, r, nil)
	})
}

// dealAccess reads who may see a deal and which account it is on.
func dealAccess(tx *store.Tx) func(context.Context, int64, int64) (*attain.RecordAccess, error) {
	return func(ctx context.Context, workspaceID, id int64) (*attain.RecordAccess, error) {
		return tx.FindRecordAccess(ctx, workspaceID, "deal", id)
	}
}

// recordRoles writes the change of a contact's roles to its history.
func recordRoles(ctx context.Context, tx *store.Tx, a *attain.Actor, contactID int64, before []*attain.ContactRole) error {
	after, err := tx.FindContactRoles(ctx, a.WorkspaceID, contactID)
	if err != nil {
		return err
	}
	return tx.RecordChanges(ctx, a, "contact", contactID,
		map[string]any{"roles": before}, map[string]any{"roles": after})
}

// FindDealContacts lists the people with a buying role on a deal, those the
// actor may see.
func (s *Service) FindDealContacts(ctx context.Context, a *attain.Actor, dealID int64) ([]*attain.ContactRole, error) {
	out := []*attain.ContactRole{}
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		d, err := tx.FindRecordAccess(ctx, a.WorkspaceID, "deal", dealID)
		if err != nil {
			return err
		}
		if !d.VisibleTo(a) {
			return attain.Errorf(attain.ENOTFOUND, "Deal not found.")
		}
		roles, err := tx.FindMappedRoles(ctx, a.WorkspaceID, 0, []int64{dealID})
		if err != nil {
			return err
		}
		out = seen(a, roles)
		return nil
	})
	return out, err
}

// FindAccountMap returns the people on an account grouped by buying role,
// the contacts with no role yet, and the account's open deals with the
// people on each. People the actor may not see are left out, but the
// missing-decision-maker flags count everyone: they describe the deal, not
// the viewer.
func (s *Service) FindAccountMap(ctx context.Context, a *attain.Actor, id int64) (*attain.AccountMap, error) {
	m := &attain.AccountMap{Roles: []*attain.RoleGroup{}, Unmapped: []*attain.ContactSummary{}}
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		acc, err := visibleAccount(ctx, tx, a, id)
		if err != nil {
			return err
		}
		m.Account = acc
		order, err := s.roleOrder(ctx, tx, a.WorkspaceID)
		if err != nil {
			return err
		}
		accRoles, err := tx.FindMappedRoles(ctx, a.WorkspaceID, id, nil)
		if err != nil {
			return err
		}
		accountDecider := hasDecider(accRoles)
		m.MissingDecisionMaker = !accountDecider
		m.Roles = groupRoles(seen(a, accRoles), order)

		mapped := map[int64]bool{}
		for _, r := range accRoles {
			mapped[r.ContactID] = true
		}
		contacts, err := tx.FindAccountContacts(ctx, a, id, maxMapContacts)
		if err != nil {
			return err
		}
		for _, c := range contacts {
			if !mapped[c.ID] {
				m.Unmapped = append(m.Unmapped, &attain.ContactSummary{ID: c.ID, Name: c.Name(), Title: c.Title,
					Email: c.Email, Phone: c.Phone, AccountID: c.AccountID})
			}
		}

		if m.Deals, err = tx.FindOpenDealsOfAccount(ctx, a, id); err != nil {
			return err
		}
		ids := make([]int64, len(m.Deals))
		for i, d := range m.Deals {
			ids[i] = d.ID
		}
		dealRoles, err := tx.FindMappedRoles(ctx, a.WorkspaceID, 0, ids)
		if err != nil {
			return err
		}
		byDeal := map[int64][]store.MappedRole{}
		for _, r := range dealRoles {
			byDeal[*r.DealID] = append(byDeal[*r.DealID], r)
		}
		for _, d := range m.Deals {
			d.People = seen(a, byDeal[d.ID])
			slices.SortStableFunc(d.People, func(x, y *attain.ContactRole) int { return rank(order, x.Role) - rank(order, y.Role) })
			d.MissingDecisionMaker = !hasDecider(byDeal[d.ID]) && !accountDecider
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// roleOrder returns the workspace's buying roles in picklist order.
func (s *Service) roleOrder(ctx context.Context, tx *store.Tx, workspaceID int64) ([]string, error) {
	p, err := tx.FindPicklist(ctx, workspaceID, attain.ListBuyingRole)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, v := range p.Values {
		out = append(out, v.Value)
	}
	if len(out) == 0 {
		out = attain.DefaultBuyingRoles
	}
	return out, nil
}

// rank is a role's place in order; unknown roles (retired and removed
// values) come last.
func rank(order []string, role string) int {
	if i := slices.Index(order, role); i >= 0 {
		return i
	}
	return len(order)
}

func groupRoles(roles []*attain.ContactRole, order []string) []*attain.RoleGroup {
	groups := []*attain.RoleGroup{}
	byRole := map[string]*attain.RoleGroup{}
	for _, r := range roles {
		g := byRole[r.Role]
		if g == nil {
			g = &attain.RoleGroup{Role: r.Role}
			byRole[r.Role] = g
			groups = append(groups, g)
		}
		g.People = append(g.People, r)
	}
	slices.SortStableFunc(groups, func(x, y *attain.RoleGroup) int {
		if d := rank(order, x.Role) - rank(order, y.Role); d != 0 {
			return d
		}
		return strings.Compare(x.Role, y.Role)
	})
	return groups
}

func hasDecider(roles []store.MappedRole) bool {
	return slices.ContainsFunc(roles, func(r store.MappedRole) bool { return attain.IsDecider(r.Role) })
}

// seen keeps the roles whose contact the actor may see.
func seen(a *attain.Actor, roles []store.MappedRole) []*attain.ContactRole {
	out := []*attain.ContactRole{}
	for _, r := range roles {
		if a.CanSee(r.OwnerID, teamOf(r.TeamID)) {
			out = append(out, r.ContactRole)
		}
	}
	return out
}
