package attain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Deal statuses follow the outcome of the deal's stage.
const (
	DealOpen = "open"
	DealWon  = "won"
	DealLost = "lost"
)

// Deal is an opportunity to sell: what, to whom, for how much, by when, and
// where it stands in its pipeline.
//
// Amount is in minor units of Currency. When the deal has line items its
// amount and margin are computed from them (see DealLine); without lines the
// amount is typed and the margin optional.
//
// ForecastCategory is the effective category: the owner's override when set
// (ForecastOverride, on open deals only), otherwise the stage's.
//
// CloseDateEstimated is true while the close date is the default Attain
// chose rather than one a person entered; an exit criterion on close_date
// needs a confirmed date.
type Deal struct {
	ID                 int64                      `json:"id"`
	Name               string                     `json:"name"`
	AccountID          *int64                     `json:"account_id"`
	PrimaryContactID   *int64                     `json:"primary_contact_id"`
	PipelineID         int64                      `json:"pipeline_id"`
	StageID            int64                      `json:"stage_id"`
	Status             string                     `json:"status"`
	Amount             int64                      `json:"amount"`
	Currency           string                     `json:"currency"`
	Margin             *int64                     `json:"margin"`
	CloseDate          Date                       `json:"close_date"`
	CloseDateEstimated bool                       `json:"close_date_estimated"`
	OwnerID            int64                      `json:"owner_id"`
	TeamID             *int64                     `json:"team_id"`
	ForecastOverride   *string                    `json:"forecast_category_override"`
	NextStep           string                     `json:"next_step"`
	Reason             string                     `json:"reason"`
	ReasonNote         string                     `json:"reason_note"`
	ClosedAt           *time.Time                 `json:"closed_at"`
	StageEnteredAt     time.Time                  `json:"stage_entered_at"`
	LastActivityAt     *time.Time                 `json:"last_activity_at"`
	LeadID             *int64                     `json:"lead_id"`
	Custom             map[string]json.RawMessage `json:"custom"`
	ExternalID         *string                    `json:"external_id"`
	CreatedAt          time.Time                  `json:"created_at"`
	UpdatedAt          time.Time                  `json:"updated_at"`
	DeletedAt          *time.Time                 `json:"deleted_at"`
	Version            int64                      `json:"version"`

	// Derived from the stage; not stored on the deal, not in its history.
	StageName        string `json:"stage_name,omitempty"`
	Probability      *int   `json:"probability,omitempty"`
	ForecastCategory string `json:"forecast_category,omitempty"`
	// Lines are returned when one deal is read, not in lists.
	Lines []*DealLine `json:"lines,omitempty"`
}

// Tracked returns the deal without derived fields, as history records it.
func (d *Deal) Tracked() *Deal {
	c := *d
	c.StageName, c.Probability, c.ForecastCategory, c.Lines = "", nil, "", nil
	return &c
}

// HasLines reports whether the deal's amount comes from line items. Lists
// do not load lines; only use it on a deal read on its own.
func (d *Deal) HasLines() bool { return len(d.Lines) > 0 }

// DealLine is one line item: quantity × unit price, less a discount in basis
// points (1250 = 12.5%). Its amount is rounded once to the minor unit, halves
// away from zero; the deal's amount is the sum of its lines' amounts and its
// margin that sum less Σ quantity × unit cost.
type DealLine struct {
	ID          int64  `json:"id"`
	ProductID   *int64 `json:"product_id"`
	Description string `json:"description"`
	Quantity    int64  `json:"quantity"`
	UnitPrice   int64  `json:"unit_price"`
	DiscountBP  int64  `json:"discount_bp"`
	UnitCost    int64  `json:"unit_cost"`
	Position    int    `json:"position"`
	Amount      int64  `json:"amount"`
}

// DealLineInput is one line when a deal's lines are replaced. With a
// product, the unit price and cost default to the product's; without one, a
// description and a unit price are needed.
type DealLineInput struct {
	ProductID   *int64 `json:"product_id,omitempty"`
	Description string `json:"description,omitempty"`
	Quantity    int64  `json:"quantity"`
	UnitPrice   *int64 `json:"unit_price,omitempty"`
	DiscountBP  int64  `json:"discount_bp,omitempty"`
	UnitCost    *int64 `json:"unit_cost,omitempty"`
}

// DealLinesInput replaces all of a deal's line items; an empty list removes
// them, and the deal keeps the last computed amount as a typed one.
type DealLinesInput struct {
	Lines []DealLineInput `json:"lines"`
}

// Validate checks the lines' shape; products are checked by the service.
func (in *DealLinesInput) Validate() error {
	var v Validation
	if len(in.Lines) > MaxDealLines {
		v.Add("lines", "must be at most %d", MaxDealLines)
	}
	for i := range in.Lines {
		l := &in.Lines[i]
		f := fmt.Sprintf("lines[%d]", i)
		l.Description = strings.TrimSpace(l.Description)
		if l.ProductID == nil {
			if l.Description == "" {
				v.Add(f+".description", "is required for a line without a product")
			}
			if l.UnitPrice == nil {
				v.Add(f+".unit_price", "is required for a line without a product")
			}
		}
		if len(l.Description) > 500 {
			v.Add(f+".description", "must be at most 500 characters")
		}
		if l.Quantity < 1 || l.Quantity > 1_000_000_000 {
			v.Add(f+".quantity", "must be a whole number from 1 to 1000000000")
		}
		if l.UnitPrice != nil && (*l.UnitPrice < 0 || *l.UnitPrice > MaxAmount) {
			v.Add(f+".unit_price", "must be from 0 to %d minor units", MaxAmount)
		}
		if l.UnitCost != nil && (*l.UnitCost < 0 || *l.UnitCost > MaxAmount) {
			v.Add(f+".unit_cost", "must be from 0 to %d minor units", MaxAmount)
		}
		if l.DiscountBP < 0 || l.DiscountBP > BasisPoints {
			v.Add(f+".discount_bp", "must be from 0 to %d basis points (0-100%%)", BasisPoints)
		}
	}
	return v.Err()
}

// Totals returns the deal amount and margin that lines come to, or an error
// naming the line whose total is too large.
func Totals(lines []*DealLine) (amount, margin int64, err error) {
	var cost int64
	for i, l := range lines {
		a, ok := LineAmount(l.Quantity, l.UnitPrice, l.DiscountBP)
		c, ok2 := LineCost(l.Quantity, l.UnitCost)
		if !ok || !ok2 {
			return 0, 0, Invalid(fmt.Sprintf("lines[%d]", i), "comes to more than %d minor units", MaxAmount)
		}
		l.Amount = a
		amount += a
		cost += c
	}
	if amount > MaxAmount {
		return 0, 0, Invalid("lines", "come to more than %d minor units", MaxAmount)
	}
	return amount, amount - cost, nil
}

// DealInput is a new deal. Only the name is required; the rest default:
// owner to whoever creates it, pipeline to the default one, stage to its
// first open stage, currency to the workspace's, close date to the end of
// next month (marked estimated until someone sets it).
type DealInput struct {
	Name             string                     `json:"name"`
	AccountID        *int64                     `json:"account_id,omitempty"`
	PrimaryContactID *int64                     `json:"primary_contact_id,omitempty"`
	PipelineID       *int64                     `json:"pipeline_id,omitempty"`
	StageID          *int64                     `json:"stage_id,omitempty"`
	Amount           *int64                     `json:"amount,omitempty"`
	Currency         string                     `json:"currency,omitempty"`
	Margin           *int64                     `json:"margin,omitempty"`
	CloseDate        *Date                      `json:"close_date,omitempty"`
	OwnerID          *int64                     `json:"owner_id,omitempty"`
	TeamID           *int64                     `json:"team_id,omitempty"`
	ForecastCategory *string                    `json:"forecast_category,omitempty"`
	NextStep         string                     `json:"next_step,omitempty"`
	LeadID           *int64                     `json:"lead_id,omitempty"`
	Custom           map[string]json.RawMessage `json:"custom,omitempty"`
	ExternalID       *string                    `json:"external_id,omitempty"`
	Lines            []DealLineInput            `json:"lines,omitempty"`
}

// Validate checks the input's shape and normalises it.
func (in *DealInput) Validate() error {
	var v Validation
	in.Name = strings.TrimSpace(in.Name)
	in.NextStep = strings.TrimSpace(in.NextStep)
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	validateDealName(&v, in.Name)
	if in.Currency != "" && !ValidCurrency(in.Currency) {
		v.Add("currency", "must be a three-letter ISO 4217 code such as USD")
	}
	validateAmount(&v, "amount", in.Amount)
	validateAmount(&v, "margin", in.Margin)
	if in.Amount != nil && len(in.Lines) > 0 {
		v.Add("amount", "is computed from the line items; send either lines or an amount")
	}
	if in.Margin != nil && len(in.Lines) > 0 {
		v.Add("margin", "is computed from the line items; send either lines or a margin")
	}
	if in.ForecastCategory != nil {
		validateForecastOverride(&v, *in.ForecastCategory)
	}
	if len(in.NextStep) > 500 {
		v.Add("next_step", "must be at most 500 characters")
	}
	validateCustomKeys(&v, in.Custom)
	lines := DealLinesInput{Lines: in.Lines}
	if err := lines.Validate(); err != nil {
		var e *Error
		if errors.As(err, &e) {
			for _, f := range e.Fields {
				v.Add(f.Field, "%s", f.Message)
			}
		}
	}
	return v.Err()
}

// DealUpdate changes some of a deal's fields: absent fields stay as they
// are, null clears a reference or the forecast override. The stage, pipeline
// and status change only by moving the deal, which checks exit criteria;
// they are listed here only to say so.
type DealUpdate struct {
	Name             *string                    `json:"name,omitempty"`
	AccountID        Nullable[int64]            `json:"account_id,omitzero"`
	PrimaryContactID Nullable[int64]            `json:"primary_contact_id,omitzero"`
	Amount           *int64                     `json:"amount,omitempty"`
	Currency         *string                    `json:"currency,omitempty"`
	Margin           Nullable[int64]            `json:"margin,omitzero"`
	CloseDate        Nullable[Date]             `json:"close_date,omitzero"`
	OwnerID          *int64                     `json:"owner_id,omitempty"`
	TeamID           Nullable[int64]            `json:"team_id,omitzero"`
	ForecastCategory Nullable[string]           `json:"forecast_category,omitzero"`
	NextStep         *string                    `json:"next_step,omitempty"`
	Custom           map[string]json.RawMessage `json:"custom,omitempty"`
	ExternalID       Nullable[string]           `json:"external_id,omitzero"`

	// Refused with a pointer to POST /api/v1/deals/{id}/move.
	StageID    json.RawMessage `json:"stage_id,omitempty"`
	PipelineID json.RawMessage `json:"pipeline_id,omitempty"`
	Status     json.RawMessage `json:"status,omitempty"`
	Reason     json.RawMessage `json:"reason,omitempty"`
}

// Validate checks the update's shape and normalises it.
func (u *DealUpdate) Validate() error {
	var v Validation
	const move = "changes only by moving the deal: POST /api/v1/deals/{id}/move"
	if u.StageID != nil {
		v.Add("stage_id", "%s with {\"stage_id\": ...}", move)
	}
	if u.PipelineID != nil {
		v.Add("pipeline_id", "%s", move)
	}
	if u.Status != nil {
		v.Add("status", "%s to the won or lost stage", move)
	}
	if u.Reason != nil {
		v.Add("reason", "is given when moving the deal to the won or lost stage: POST /api/v1/deals/{id}/move")
	}
	if u.Name != nil {
		*u.Name = strings.TrimSpace(*u.Name)
		validateDealName(&v, *u.Name)
	}
	if u.Currency != nil {
		*u.Currency = strings.ToUpper(strings.TrimSpace(*u.Currency))
		if !ValidCurrency(*u.Currency) {
			v.Add("currency", "must be a three-letter ISO 4217 code such as USD")
		}
	}
	validateAmount(&v, "amount", u.Amount)
	validateAmount(&v, "margin", u.Margin.Value)
	if u.CloseDate.Set && (u.CloseDate.Value == nil || u.CloseDate.Value.IsZero()) {
		v.Add("close_date", "cannot be cleared; every deal has an expected close date")
	}
	if u.ForecastCategory.Value != nil {
		validateForecastOverride(&v, *u.ForecastCategory.Value)
	}
	if u.NextStep != nil {
		*u.NextStep = strings.TrimSpace(*u.NextStep)
		if len(*u.NextStep) > 500 {
			v.Add("next_step", "must be at most 500 characters")
		}
	}
	validateCustomKeys(&v, u.Custom)
	return v.Err()
}

// Apply changes d as the update says. Amount and margin on a deal with lines
// are refused: they are computed.
func (u *DealUpdate) Apply(d *Deal) error {
	var v Validation
	if d.HasLines() {
		if u.Amount != nil {
			v.Add("amount", "is computed from the line items; change the lines, or remove them to type an amount")
		}
		if u.Margin.Set {
			v.Add("margin", "is computed from the line items; change the lines, or remove them to type a margin")
		}
		if u.Currency != nil && *u.Currency != d.Currency {
			v.Add("currency", "cannot change while the deal has line items priced in %s", d.Currency)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	set(&d.Name, u.Name)
	u.AccountID.apply(&d.AccountID)
	u.PrimaryContactID.apply(&d.PrimaryContactID)
	set(&d.Amount, u.Amount)
	set(&d.Currency, u.Currency)
	u.Margin.apply(&d.Margin)
	if u.CloseDate.Value != nil {
		d.CloseDate, d.CloseDateEstimated = *u.CloseDate.Value, false
	}
	set(&d.OwnerID, u.OwnerID)
	u.TeamID.apply(&d.TeamID)
	u.ForecastCategory.apply(&d.ForecastOverride)
	set(&d.NextStep, u.NextStep)
	if u.Custom != nil {
		d.Custom = mergeCustom(d.Custom, u.Custom)
	}
	u.ExternalID.apply(&d.ExternalID)
	return nil
}

func validateDealName(v *Validation, name string) {
	v.Require("name", name)
	if len(name) > 200 {
		v.Add("name", "must be at most 200 characters")
	}
}

func validateAmount(v *Validation, field string, a *int64) {
	if a != nil && (*a < 0 || *a > MaxAmount) {
		v.Add(field, "must be from 0 to %d minor units", MaxAmount)
	}
}

// ForecastOverrides are the categories an owner may put an open deal in.
var ForecastOverrides = []string{ForecastPipeline, ForecastBestCase, ForecastCommit, ForecastOmitted}

func validateForecastOverride(v *Validation, c string) {
	if !slices.Contains(ForecastOverrides, c) {
		v.Add("forecast_category", "must be one of %s, or null to follow the stage", strings.Join(ForecastOverrides, ", "))
	}
}

// MoveInput moves a deal to another stage of its pipeline, or, with
// PipelineID, to another pipeline: to the stage given there, or to its first
// open stage when StageID is 0.
type MoveInput struct {
	StageID    int64  `json:"stage_id,omitempty"`
	PipelineID *int64 `json:"pipeline_id,omitempty"`
	// OverrideReason moves a deal past unmet exit criteria, when the
	// pipeline allows overrides and the mover is a manager or admin. It is
	// recorded in the stage history and the audit log.
	OverrideReason string `json:"override_reason,omitempty"`
	// Reason is required when moving to the won or lost stage: a value of
	// the won_reason or lost_reason picklist.
	Reason     string `json:"reason,omitempty"`
	ReasonNote string `json:"reason_note,omitempty"`
}

// Validate checks the move's shape.
func (in *MoveInput) Validate() error {
	var v Validation
	in.OverrideReason = strings.TrimSpace(in.OverrideReason)
	in.Reason = strings.TrimSpace(in.Reason)
	in.ReasonNote = strings.TrimSpace(in.ReasonNote)
	switch {
	case in.PipelineID != nil && *in.PipelineID <= 0:
		v.Add("pipeline_id", "must be a positive id")
	case in.StageID < 0 || in.StageID == 0 && in.PipelineID == nil:
		v.Add("stage_id", "is required, unless pipeline_id moves the deal to another pipeline's first stage")
	}
	if len(in.OverrideReason) > 1000 {
		v.Add("override_reason", "must be at most 1000 characters")
	}
	if len(in.ReasonNote) > 2000 {
		v.Add("reason_note", "must be at most 2000 characters")
	}
	return v.Err()
}

// UnmetExitCriteria returns what the deal lacks to leave the stages in
// leaving (its current stage and any it skips), one error per missing field
// or activity type, named so a client can ask for exactly that:
//
//	{"field": "amount", "message": "required to leave Qualified"}
//	{"field": "activities.demo", "message": "1 demo needed, 0 logged"}
//
// logged counts the deal's done activities by type key. A field or activity
// asked for by several stages is reported once, for the first of them, with
// the largest count asked for.
func UnmetExitCriteria(d *Deal, leaving []*Stage, logged map[string]int) []FieldError {
	var out []FieldError
	seen := map[string]bool{}
	need := map[string]int{}
	var order []string
	for _, s := range leaving {
		for _, f := range s.ExitCriteria.Fields {
			if seen[f] || d.Has(f) {
				continue
			}
			seen[f] = true
			out = append(out, FieldError{Field: f, Message: "required to leave " + s.Name})
		}
		for _, r := range s.ExitCriteria.Activities {
			if _, ok := need[r.Type]; !ok {
				order = append(order, r.Type)
			}
			need[r.Type] = max(need[r.Type], r.Count)
		}
	}
	for _, t := range order {
		if n := logged[t]; n < need[t] {
			out = append(out, FieldError{Field: "activities." + t, Message: fmt.Sprintf("%d %s needed, %d logged", need[t], plural(t, need[t]), n)})
		}
	}
	return out
}

func plural(word string, n int) string {
	if n == 1 || strings.HasSuffix(word, "s") {
		return word
	}
	return word + "s"
}

// Has reports whether the deal has field filled, in the sense of ExitFields
// (custom fields as "custom.<key>": present and not empty).
func (d *Deal) Has(field string) bool {
	switch field {
	case "amount":
		return d.Amount > 0
	case "close_date":
		return !d.CloseDate.IsZero() && !d.CloseDateEstimated
	case "account_id":
		return d.AccountID != nil
	case "primary_contact_id":
		return d.PrimaryContactID != nil
	case "next_step":
		return strings.TrimSpace(d.NextStep) != ""
	case "lines":
		return len(d.Lines) > 0
	}
	if key, ok := strings.CutPrefix(field, "custom."); ok {
		return canonical(d.Custom[key]) != nil
	}
	return false
}

// StageHistoryEntry is one stay of a deal in a stage: when it entered and
// left (ExitedAt nil while it is still there), in which version of the
// pipeline, who moved it there, and the reason if exit criteria were
// overridden to get there.
type StageHistoryEntry struct {
	ID              int64      `json:"id"`
	DealID          int64      `json:"deal_id"`
	PipelineID      int64      `json:"pipeline_id"`
	PipelineVersion int64      `json:"pipeline_version"`
	StageID         int64      `json:"stage_id"`
	StageName       string     `json:"stage_name"`
	FromStageID     *int64     `json:"from_stage_id"`
	EnteredAt       time.Time  `json:"entered_at"`
	ExitedAt        *time.Time `json:"exited_at"`
	MovedBy         *int64     `json:"moved_by"`
	OverrideReason  *string    `json:"override_reason"`
}

// DealHistory is everything that happened to a deal: each field change and
// each stage it went through, oldest first.
type DealHistory struct {
	Changes []*FieldChange       `json:"changes"`
	Stages  []*StageHistoryEntry `json:"stages"`
}

// DealService manages deals. Everyone works on the deals they can see (see
// Actor); deals they cannot see do not exist for them.
type DealService interface {
	CreateDeal(ctx context.Context, a *Actor, in DealInput) (*Deal, error)
	FindDeal(ctx context.Context, a *Actor, id int64) (*Deal, error)
	FindDeals(ctx context.Context, a *Actor, q ListQuery) ([]*Deal, string, error)
	UpdateDeal(ctx context.Context, a *Actor, id, version int64, in DealUpdate) (*Deal, error)
	DeleteDeal(ctx context.Context, a *Actor, id, version int64) error
	RestoreDeal(ctx context.Context, a *Actor, id int64) (*Deal, error)
	MoveDeal(ctx context.Context, a *Actor, id, version int64, in MoveInput) (*Deal, error)
	ReplaceDealLines(ctx context.Context, a *Actor, id, version int64, in DealLinesInput) (*Deal, error)
	FindDealHistory(ctx context.Context, a *Actor, id int64) (*DealHistory, error)
}
