package attain

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// LeadStatus is where a lead is in qualification.
type LeadStatus string

// Lead statuses. Converted is set only by converting the lead.
const (
	LeadNew          LeadStatus = "new"
	LeadWorking      LeadStatus = "working"
	LeadQualified    LeadStatus = "qualified"
	LeadDisqualified LeadStatus = "disqualified"
	LeadConverted    LeadStatus = "converted"
)

// Valid reports whether s is a known status.
func (s LeadStatus) Valid() bool {
	switch s {
	case LeadNew, LeadWorking, LeadQualified, LeadDisqualified, LeadConverted:
		return true
	}
	return false
}

// Lead is a person and company not yet qualified into an account, contact
// and deal. Once converted, it keeps the ids of what it became (lineage).
type Lead struct {
	ID                 int64                      `json:"id"`
	FirstName          string                     `json:"first_name"`
	LastName           string                     `json:"last_name"`
	Email              string                     `json:"email"`
	Phone              string                     `json:"phone"`
	Title              string                     `json:"title"`
	Company            string                     `json:"company"`
	Website            string                     `json:"website"`
	Industry           string                     `json:"industry"` // picklist "industry"
	Country            string                     `json:"country"`
	Source             string                     `json:"source"` // picklist "lead_source"
	Status             LeadStatus                 `json:"status"`
	OwnerID            int64                      `json:"owner_id"`
	TeamID             *int64                     `json:"team_id"`
	ConvertedAt        *time.Time                 `json:"converted_at"`
	ConvertedAccountID *int64                     `json:"converted_account_id"`
	ConvertedContactID *int64                     `json:"converted_contact_id"`
	ConvertedDealID    *int64                     `json:"converted_deal_id"`
	Custom             map[string]json.RawMessage `json:"custom"`
	ExternalID         *string                    `json:"external_id"`
	CreatedAt          time.Time                  `json:"created_at"`
	UpdatedAt          time.Time                  `json:"updated_at"`
	DeletedAt          *time.Time                 `json:"deleted_at"`
	Version            int64                      `json:"version"`
}

// LeadInput is a new lead; the owner defaults to whoever creates it and the
// status to new.
type LeadInput struct {
	FirstName  string                     `json:"first_name,omitempty"`
	LastName   string                     `json:"last_name,omitempty"`
	Email      string                     `json:"email,omitempty"`
	Phone      string                     `json:"phone,omitempty"`
	Title      string                     `json:"title,omitempty"`
	Company    string                     `json:"company,omitempty"`
	Website    string                     `json:"website,omitempty"`
	Industry   string                     `json:"industry,omitempty"`
	Country    string                     `json:"country,omitempty"`
	Source     string                     `json:"source,omitempty"`
	Status     LeadStatus                 `json:"status,omitempty"`
	OwnerID    *int64                     `json:"owner_id,omitempty"`
	TeamID     *int64                     `json:"team_id,omitempty"`
	Custom     map[string]json.RawMessage `json:"custom,omitempty"`
	ExternalID *string                    `json:"external_id,omitempty"`
}

// Lead builds the lead the input describes.
func (in LeadInput) Lead(ownerID int64) *Lead {
	l := &Lead{FirstName: in.FirstName, LastName: in.LastName, Email: in.Email, Phone: in.Phone, Title: in.Title,
		Company: in.Company, Website: in.Website, Industry: in.Industry, Country: in.Country, Source: in.Source,
		Status: in.Status, OwnerID: ownerID, TeamID: in.TeamID, ExternalID: in.ExternalID}
	if l.Status == "" {
		l.Status = LeadNew
	}
	set(&l.OwnerID, in.OwnerID)
	l.Custom = mergeCustom(nil, in.Custom)
	return l
}

// LeadUpdate changes some of a lead's fields.
type LeadUpdate struct {
	FirstName  *string                    `json:"first_name,omitempty"`
	LastName   *string                    `json:"last_name,omitempty"`
	Email      *string                    `json:"email,omitempty"`
	Phone      *string                    `json:"phone,omitempty"`
	Title      *string                    `json:"title,omitempty"`
	Company    *string                    `json:"company,omitempty"`
	Website    *string                    `json:"website,omitempty"`
	Industry   *string                    `json:"industry,omitempty"`
	Country    *string                    `json:"country,omitempty"`
	Source     *string                    `json:"source,omitempty"`
	Status     *LeadStatus                `json:"status,omitempty"`
	OwnerID    *int64                     `json:"owner_id,omitempty"`
	TeamID     Nullable[int64]            `json:"team_id,omitzero"`
	Custom     map[string]json.RawMessage `json:"custom,omitempty"`
	ExternalID Nullable[string]           `json:"external_id,omitzero"`
}

// Apply changes l to the update; call Validate afterwards.
func (u LeadUpdate) Apply(l *Lead) {
	set(&l.FirstName, u.FirstName)
	set(&l.LastName, u.LastName)
	set(&l.Email, u.Email)
	set(&l.Phone, u.Phone)
	set(&l.Title, u.Title)
	set(&l.Company, u.Company)
	set(&l.Website, u.Website)
	set(&l.Industry, u.Industry)
	set(&l.Country, u.Country)
	set(&l.Source, u.Source)
	set(&l.Status, u.Status)
	set(&l.OwnerID, u.OwnerID)
	u.TeamID.apply(&l.TeamID)
	l.Custom = mergeCustom(l.Custom, u.Custom)
	u.ExternalID.apply(&l.ExternalID)
}

// Name is the lead's person name for display.
func (l *Lead) Name() string { return strings.TrimSpace(l.FirstName + " " + l.LastName) }

// Validate normalises the lead and checks its own rules: something to call
// it by (a name, a company or an email), well-formed email, website and
// country, a known status.
func (l *Lead) Validate() error {
	var v Validation
	l.FirstName = strings.TrimSpace(l.FirstName)
	l.LastName = strings.TrimSpace(l.LastName)
	l.Company = strings.TrimSpace(l.Company)
	maxLen(&v, "first_name", l.FirstName, 100)
	maxLen(&v, "last_name", l.LastName, 100)
	maxLen(&v, "company", l.Company, 200)
	l.Email = normalizeEmail(&v, "email", l.Email)
	if l.FirstName == "" && l.LastName == "" && l.Company == "" && l.Email == "" {
		v.Add("last_name", "or first_name, company or email is required")
	}
	l.Phone = normalizePhone(&v, "phone", l.Phone)
	l.Title = strings.TrimSpace(l.Title)
	maxLen(&v, "title", l.Title, 200)
	l.Website = strings.TrimSpace(l.Website)
	if l.Website != "" {
		w, ok := NormalizeWebsite(l.Website)
		if !ok {
			v.Add("website", "is not a web address")
		}
		l.Website = w
	}
	l.Industry = strings.TrimSpace(l.Industry)
	l.Source = strings.TrimSpace(l.Source)
	l.Country = NormalizeCountry(l.Country)
	if l.Country != "" && !ValidCountry(l.Country) {
		v.Add("country", "must be an ISO 3166-1 alpha-2 code such as FR, or a country's English name such as France")
	}
	if !l.Status.Valid() {
		v.Add("status", "must be one of new, working, qualified, disqualified, converted")
	}
	l.ExternalID = normalizeExternalID(&v, l.ExternalID)
	validateCustomKeys(&v, l.Custom)
	return v.Err()
}

// How a converted lead found its account or contact.
const (
	MatchGiven   = "given"   // the request named it
	MatchDomain  = "domain"  // an account with the lead's website domain
	MatchName    = "name"    // an account whose name equals the company, ignoring case and spacing
	MatchEmail   = "email"   // a contact with the lead's email
	MatchCreated = "created" // none matched, so one was created from the lead
)

// LeadConversion asks to convert a lead: into the named account and contact
// or ones matched or created from the lead, and optionally a new deal.
type LeadConversion struct {
	AccountID  *int64       `json:"account_id,omitempty"`
	ContactID  *int64       `json:"contact_id,omitempty"`
	CreateDeal *ConvertDeal `json:"create_deal,omitempty"`
}

// ConvertDeal is the deal created by a conversion, on the conversion's
// account with its contact as primary contact, owned like the lead. The name
// defaults to the lead's company (or name), the pipeline to the workspace's
// default, and the rest as for any new deal (attain.DealInput).
type ConvertDeal struct {
	Name       string `json:"name,omitempty"`
	Amount     *int64 `json:"amount,omitempty"`
	Currency   string `json:"currency,omitempty"`
	CloseDate  *Date  `json:"close_date,omitempty"`
	PipelineID *int64 `json:"pipeline_id,omitempty"`
}

// LeadConversionResult is what a conversion did: the converted lead, the
// account and contact with how each was found (MatchX), and the new deal.
type LeadConversionResult struct {
	Lead         *Lead    `json:"lead"`
	Account      *Account `json:"account"`
	AccountMatch string   `json:"account_match,omitempty"`
	Contact      *Contact `json:"contact"`
	ContactMatch string   `json:"contact_match,omitempty"`
	Deal         *Deal    `json:"deal"`
}

// LeadService manages leads and their conversion.
type LeadService interface {
	CreateLead(ctx context.Context, a *Actor, in LeadInput) (*Lead, error)
	FindLead(ctx context.Context, a *Actor, id int64) (*Lead, error)
	FindLeads(ctx context.Context, a *Actor, q ListQuery) ([]*Lead, string, error)
	UpdateLead(ctx context.Context, a *Actor, id, version int64, upd LeadUpdate) (*Lead, error)
	DeleteLead(ctx context.Context, a *Actor, id, version int64) error
	RestoreLead(ctx context.Context, a *Actor, id int64) (*Lead, error)
	FindLeadHistory(ctx context.Context, a *Actor, id int64) ([]*FieldChange, error)
	ConvertLead(ctx context.Context, a *Actor, id int64, in LeadConversion) (*LeadConversionResult, error)
}
