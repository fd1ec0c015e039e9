package attain

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Buying roles that decide a deal: a deal without one of them on it (or on
// its account) has no known decision maker. The full list is the workspace's
// "buying_role" picklist.
const (
	BuyingRoleDecisionMaker = "decision_maker"
	BuyingRoleEconomicBuyer = "economic_buyer"
)

// DefaultBuyingRoles is the order roles are shown in when the picklist gives
// none: deciders first, blockers last.
var DefaultBuyingRoles = []string{"decision_maker", "economic_buyer", "champion", "influencer", "user", "blocker", "other"}

// Influence and attitude values of a buying role.
var (
	Influences = []string{"high", "medium", "low"}
	Attitudes  = []string{"supporter", "neutral", "skeptic", "opponent"}
)

// IsDecider reports whether a buying role decides the purchase.
func IsDecider(role string) bool {
	return role == BuyingRoleDecisionMaker || role == BuyingRoleEconomicBuyer
}

// ContactRole is a contact's buying role on an account and, when DealID is
// set, on one deal of it: what they do in the purchase, how much weight they
// carry and how they feel about us ("account mapping").
type ContactRole struct {
	ID        int64     `json:"id"`
	ContactID int64     `json:"contact_id"`
	AccountID *int64    `json:"account_id"`
	DealID    *int64    `json:"deal_id"`
	Role      string    `json:"role"`
	Influence string    `json:"influence"` // high, medium, low or ""
	Attitude  string    `json:"attitude"`  // supporter, neutral, skeptic, opponent or ""
	CreatedAt time.Time `json:"created_at"`
	// Contact is filled in by reads that list roles of several contacts.
	Contact *ContactSummary `json:"contact,omitempty"`
}

// ContactSummary is the part of a contact shown beside a role.
type ContactSummary struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Title     string `json:"title"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
	AccountID *int64 `json:"account_id"`
}

// ContactRoleInput gives a contact a role. The account defaults to the
// deal's account, then to the contact's.
type ContactRoleInput struct {
	AccountID *int64 `json:"account_id,omitempty"`
	DealID    *int64 `json:"deal_id,omitempty"`
	Role      string `json:"role"`
	Influence string `json:"influence,omitempty"`
	Attitude  string `json:"attitude,omitempty"`
}

// Validate normalises the input and checks the fixed lists; the role itself
// is checked against the workspace's picklist by the service.
func (in *ContactRoleInput) Validate() error {
	var v Validation
	in.Role = strings.TrimSpace(in.Role)
	v.Require("role", in.Role)
	in.Influence = strings.ToLower(strings.TrimSpace(in.Influence))
	if in.Influence != "" && !slices.Contains(Influences, in.Influence) {
		v.Add("influence", "must be one of %s", strings.Join(Influences, ", "))
	}
	in.Attitude = strings.ToLower(strings.TrimSpace(in.Attitude))
	if in.Attitude != "" && !slices.Contains(Attitudes, in.Attitude) {
		v.Add("attitude", "must be one of %s", strings.Join(Attitudes, ", "))
	}
	return v.Err()
}

// AccountMap is the people on an account grouped by buying role, and the
// account's open deals with the people on each, flagging those where nobody
// who decides is known.
type AccountMap struct {
	Account *Account `json:"account"`
	// Roles are the account-level roles, one group per role in picklist order.
	Roles []*RoleGroup `json:"roles"`
	// Unmapped are the account's contacts without any role on it.
	Unmapped []*ContactSummary `json:"unmapped"`
	// MissingDecisionMaker is true when no decision maker or economic buyer
	// is known on the account.
	MissingDecisionMaker bool       `json:"missing_decision_maker"`
	Deals                []*MapDeal `json:"deals"`
}

// RoleGroup is the people holding one buying role.
type RoleGroup struct {
	Role   string         `json:"role"`
	People []*ContactRole `json:"people"`
}

// MapDeal is an open deal on the account map with the people on it.
type MapDeal struct {
	ID        int64          `json:"id"`
	Name      string         `json:"name"`
	Amount    int64          `json:"amount"`
	Currency  string         `json:"currency"`
	CloseDate Date           `json:"close_date"`
	StageID   int64          `json:"stage_id"`
	OwnerID   int64          `json:"owner_id"`
	People    []*ContactRole `json:"people"`
	// MissingDecisionMaker is true when no decision maker or economic buyer
	// is known on the deal nor, failing that, on the account.
	MissingDecisionMaker bool `json:"missing_decision_maker"`
}

// ContactRoleService manages buying roles.
type ContactRoleService interface {
	AddContactRole(ctx context.Context, a *Actor, contactID int64, in ContactRoleInput) (*ContactRole, error)
	FindContactRoles(ctx context.Context, a *Actor, contactID int64) ([]*ContactRole, error)
	RemoveContactRole(ctx context.Context, a *Actor, contactID, roleID int64) error
	FindDealContacts(ctx context.Context, a *Actor, dealID int64) ([]*ContactRole, error)
}
