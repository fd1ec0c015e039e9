package service

import (
	"context"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// CreateLead creates a lead owned by the actor unless another owner is named.
func (s *Service) CreateLead(ctx context.Context, a *attain.Actor, in attain.LeadInput) (*attain.Lead, error) {
	x := in.Lead(a.UserID)
	if x.Status == attain.LeadConverted {
		return nil, attain.Invalid("status", "is set by converting the lead")
	}
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := s.checkLead(ctx, tx, a, x, nil); err != nil {
			return err
		}
		if err := tx.CreateLead(ctx, a.WorkspaceID, x); err != nil {
			return err
		}
		if err := tx.RecordChanges(ctx, a, "lead", x.ID, nil, x); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "create", "lead", x.ID, nil, x)
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// FindLead returns a lead the actor may see, deleted or not.
func (s *Service) FindLead(ctx context.Context, a *attain.Actor, id int64) (*attain.Lead, error) {
	var x *attain.Lead
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		x, err = visibleLead(ctx, tx, a, id)
		return err
	})
	return x, err
}

// FindLeads lists the leads the actor may see.
func (s *Service) FindLeads(ctx context.Context, a *attain.Actor, q attain.ListQuery) ([]*attain.Lead, string, error) {
	var out []*attain.Lead
	var next string
	err := s.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		out, next, err = tx.FindLeads(ctx, a, q)
		return err
	})
	return out, next, err
}

// UpdateLead changes a lead's fields. A converted lead is read-only: it is
// the record of what the lead became.
func (s *Service) UpdateLead(ctx context.Context, a *attain.Actor, id, version int64, upd attain.LeadUpdate) (*attain.Lead, error) {
	var x *attain.Lead
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := visibleLead(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := editable(before.DeletedAt != nil, before.Version, version, "lead"); err != nil {
			return err
		}
		if before.Status == attain.LeadConverted {
			return attain.Errorf(attain.ECONFLICT, "The lead is converted; edit the account, contact or deal it became.")
		}
		if upd.Status != nil && *upd.Status == attain.LeadConverted {
			return attain.Invalid("status", "is set by converting the lead (POST /api/v1/leads/%d/convert)", id)
		}
		c := *before
		x = &c
		upd.Apply(x)
		if err := s.checkLead(ctx, tx, a, x, before); err != nil {
			return err
		}
		if err := tx.UpdateLead(ctx, a.WorkspaceID, x, before.Version); err != nil {
			return err
		}
		if err := tx.RecordChanges(ctx, a, "lead", id, before, x); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "update", "lead", id, before, x)
	})
	return x, err
}

// DeleteLead moves a lead to the trash. Deleting a deleted lead does nothing.
func (s *Service) DeleteLead(ctx context.Context, a *attain.Actor, id, version int64) error {
	return trash(ctx, s.db, leadTrash, a, id, version, nil)
}

// RestoreLead brings a lead back from the trash. Restoring a live lead
// returns it.
func (s *Service) RestoreLead(ctx context.Context, a *attain.Actor, id int64) (*attain.Lead, error) {
	return untrash(ctx, s.db, leadTrash, a, id, nil)
}

// FindLeadHistory lists a lead's field changes, oldest first.
func (s *Service) FindLeadHistory(ctx context.Context, a *attain.Actor, id int64) ([]*attain.FieldChange, error) {
	var out []*attain.FieldChange
	err := s.db.ReadTx(ctx, func(tx *store.Tx) error {
		if _, err := visibleLead(ctx, tx, a, id); err != nil {
			return err
		}
		var err error
		out, err = tx.FindChanges(ctx, a.WorkspaceID, "lead", id)
		return err
	})
	return out, err
}

// ConvertLead turns a lead into an account, a contact and optionally a deal
// in one transaction: if any part fails, nothing is written. The account is
// the one named, else the oldest visible account with the lead's website
// domain or (ignoring case and spacing) its company name, else a new one
// from the company (none when the lead has no company). The contact is the
// one named, else the oldest visible contact with the lead's email, else a
// new one from the person (a matched contact without an account is put on
// the account). The lead keeps the ids of what it became; converting it
// again is a conflict.
func (s *Service) ConvertLead(ctx context.Context, a *attain.Actor, id int64, in attain.LeadConversion) (*attain.LeadConversionResult, error) {
	res := &attain.LeadConversionResult{}
	err := s.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := visibleLead(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := editable(before.DeletedAt != nil, 0, 0, "lead"); err != nil {
			return err
		}
		if before.Status == attain.LeadConverted {
			return attain.Errorf(attain.ECONFLICT, "The lead was already converted on %s.", before.ConvertedAt.Format("2006-01-02"))
		}
		if err := s.convertAccount(ctx, tx, a, before, in, res); err != nil {
			return err
		}
		if err := s.convertContact(ctx, tx, a, before, in, res); err != nil {
			return err
		}
		if in.CreateDeal != nil {
			if err := s.convertDeal(ctx, tx, a, before, in.CreateDeal, res); err != nil {
				return err
			}
		}
		c := *before
		x := &c
		now := tx.Now
		x.Status, x.ConvertedAt = attain.LeadConverted, &now
		if res.Deal != nil {
			x.ConvertedDealID = &res.Deal.ID
		}
		if res.Account != nil {
			x.ConvertedAccountID = &res.Account.ID
		}
		if res.Contact != nil {
			x.ConvertedContactID = &res.Contact.ID
		}
		if err := tx.UpdateLead(ctx, a.WorkspaceID, x, before.Version); err != nil {
			return err
		}
		if err := tx.RecordChanges(ctx, a, "lead", id, before, x); err != nil {
			return err
		}
		res.Lead = x
		return tx.Audit(ctx, a, "convert", "lead", id, before, x)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// convertAccount finds or creates the conversion's account.
func (s *Service) convertAccount(ctx context.Context, tx *store.Tx, a *attain.Actor, l *attain.Lead, in attain.LeadConversion, res *attain.LeadConversionResult) error {
	if in.AccountID != nil {
		acc, err := liveRef(ctx, tx, a, *in.AccountID, tx.FindAccount, func(p *attain.Account) (int64, *int64, bool) {
			return p.OwnerID, p.TeamID, p.DeletedAt != nil
		})
		if err != nil {
			return err
		}
		if acc == nil {
			return attain.Invalid("account_id", "is not a live account you can see")
		}
		res.Account, res.AccountMatch = acc, attain.MatchGiven
		return nil
	}
	acc, how, err := tx.MatchAccount(ctx, a, attain.DomainOf(l.Website), attain.NameKey(l.Company))
	if err != nil {
		return err
	}
	if acc != nil {
		res.Account, res.AccountMatch = acc, how
		return nil
	}
	if l.Company == "" {
		return nil
	}
	acc = &attain.Account{Name: l.Company, Website: l.Website, Industry: l.Industry, Country: l.Country,
		OwnerID: l.OwnerID, TeamID: l.TeamID}
	if err := s.createAccount(ctx, tx, a, acc); err != nil {
		return prefixFields(err, "account.")
	}
	res.Account, res.AccountMatch = acc, attain.MatchCreated
	return nil
}

// convertContact finds or creates the conversion's contact.
func (s *Service) convertContact(ctx context.Context, tx *store.Tx, a *attain.Actor, l *attain.Lead, in attain.LeadConversion, res *attain.LeadConversionResult) error {
	var c *attain.Contact
	if in.ContactID != nil {
		var err error
		c, err = liveRef(ctx, tx, a, *in.ContactID, tx.FindContact, func(c *attain.Contact) (int64, *int64, bool) {
			return c.OwnerID, c.TeamID, c.DeletedAt != nil
		})
		if err != nil {
			return err
		}
		if c == nil {
			return attain.Invalid("contact_id", "is not a live contact you can see")
		}
		res.ContactMatch = attain.MatchGiven
	} else {
		var err error
		if c, err = tx.MatchContact(ctx, a, l.Email); err != nil {
			return err
		}
		res.ContactMatch = attain.MatchEmail
	}
	if c == nil {
		if l.FirstName == "" && l.LastName == "" && l.Email == "" {
			res.ContactMatch = ""
			return nil // a company-only lead: no person to create
		}
		c = &attain.Contact{FirstName: l.FirstName, LastName: l.LastName, Email: l.Email, Phone: l.Phone,
			Title: l.Title, OwnerID: l.OwnerID, TeamID: l.TeamID}
		if res.Account != nil {
			c.AccountID = &res.Account.ID
		}
		if err := s.createContact(ctx, tx, a, c); err != nil {
			return prefixFields(err, "contact.")
		}
		res.Contact, res.ContactMatch = c, attain.MatchCreated
		return nil
	}
	if c.AccountID == nil && res.Account != nil {
		cc := *c
		cc.AccountID = &res.Account.ID
		if err := s.saveContact(ctx, tx, a, c, &cc); err != nil {
			return prefixFields(err, "contact.")
		}
		c = &cc
	}
	res.Contact = c
	return nil
}

// checkLead validates x and what changed since before (nil on create):
// picklist values, owner and team.
func (s *Service) checkLead(ctx context.Context, tx *store.Tx, a *attain.Actor, x, before *attain.Lead) error {
	var v attain.Validation
	if err := addFieldErrors(&v, x.Validate()); err != nil {
		return err
	}
	if before == nil {
		before = &attain.Lead{}
	}
	if err := addFieldErrors(&v, s.CheckPicklist(ctx, tx, a.WorkspaceID, attain.ListIndustry, "industry", x.Industry, before.Industry)); err != nil {
		return err
	}
	if err := addFieldErrors(&v, s.CheckPicklist(ctx, tx, a.WorkspaceID, attain.ListLeadSource, "source", x.Source, before.Source)); err != nil {
		return err
	}
	if err := addFieldErrors(&v, s.CheckCustom(ctx, tx, a, "lead", customPrev(x.ID, before.Custom), x.Custom)); err != nil {
		return err
	}
	if err := checkOwnership(ctx, tx, a, &v, x.OwnerID, x.TeamID, before.OwnerID, before.TeamID); err != nil {
		return err
	}
	return v.Err()
}

// visibleLead reads a lead and answers not found unless the actor may see it.
func visibleLead(ctx context.Context, tx *store.Tx, a *attain.Actor, id int64) (*attain.Lead, error) {
	x, err := tx.FindLead(ctx, a.WorkspaceID, id)
	if err != nil {
		return nil, err
	}
	if !a.CanSee(x.OwnerID, teamOf(x.TeamID)) {
		return nil, attain.Errorf(attain.ENOTFOUND, "Lead not found.")
	}
	return x, nil
}

// convertDeal creates the conversion's deal through the deals service, in
// the conversion's transaction, recording the lead it came from.
func (s *Service) convertDeal(ctx context.Context, tx *store.Tx, a *attain.Actor, l *attain.Lead, in *attain.ConvertDeal, res *attain.LeadConversionResult) error {
	name := in.Name
	if name == "" {
		name = l.Company
	}
	if name == "" {
		name = l.Name()
	}
	di := attain.DealInput{Name: name, Amount: in.Amount, Currency: in.Currency, CloseDate: in.CloseDate,
		PipelineID: in.PipelineID, OwnerID: &l.OwnerID, TeamID: l.TeamID, LeadID: &l.ID}
	if res.Account != nil {
		di.AccountID = &res.Account.ID
	}
	if res.Contact != nil {
		di.PrimaryContactID = &res.Contact.ID
	}
	d, err := s.CreateDealTx(ctx, tx, a, di)
	if err != nil {
		return prefixFields(err, "create_deal.")
	}
	res.Deal = d
	return nil
}
