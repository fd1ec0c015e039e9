package attain

import (
	"context"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// PlanningSettings are a workspace's settings for targets and forecasts: its
// fiscal calendar and the currency targets and forecasts are kept in. Deals
// in other currencies are left out of forecast pre-fills and actuals.
type PlanningSettings struct {
	FiscalStartMonth time.Month `json:"fiscal_start_month"`
	Currency         string     `json:"currency"`
}

// PlanningView is the planning settings as the web app reads them, with the
// periods a planning page offers, resolved by the server's clock and the
// workspace's fiscal calendar: pages never compute a period key themselves.
type PlanningView struct {
	PlanningSettings
	// Today is the server's date (UTC) the periods were resolved on.
	Today Date `json:"today"`
	// CurrentMonth, CurrentQuarter and CurrentYear are the periods today
	// falls in.
	CurrentMonth   Period `json:"current_month"`
	CurrentQuarter Period `json:"current_quarter"`
	CurrentYear    Period `json:"current_year"`
	// Months are the current month and the next two; Quarters the next two
	// quarters, the current one and the seven before it, latest first.
	Months   []Period `json:"months"`
	Quarters []Period `json:"quarters"`
}

// NewPlanningView resolves the periods of p's calendar around today.
func NewPlanningView(p PlanningSettings, today Date) PlanningView {
	c := p.Calendar()
	v := PlanningView{PlanningSettings: p, Today: today, CurrentMonth: c.PeriodOf(PeriodMonth, today),
		CurrentQuarter: c.QuarterOf(today), CurrentYear: c.PeriodOf(PeriodYear, today)}
	for m, i := v.CurrentMonth, 0; i < 3; m, i = c.Next(m), i+1 {
		v.Months = append(v.Months, m)
	}
	q := c.Next(c.Next(v.CurrentQuarter))
	for i := 0; i < 10; i++ {
		v.Quarters = append(v.Quarters, q)
		q = c.Prev(q)
	}
	return v
}

// DefaultPlanning is the planning of a workspace that set none.
var DefaultPlanning = PlanningSettings{FiscalStartMonth: time.January, Currency: "USD"}

// Calendar returns the fiscal calendar of the settings.
func (p PlanningSettings) Calendar() FiscalCalendar {
	return FiscalCalendar{StartMonth: p.FiscalStartMonth}
}

// Validate checks the settings.
func (p *PlanningSettings) Validate() error {
	var v Validation
	if p.FiscalStartMonth < time.January || p.FiscalStartMonth > time.December {
		v.Add("fiscal_start_month", "must be a month number from 1 to 12")
	}
	p.Currency = strings.ToUpper(strings.TrimSpace(p.Currency))
	if !ValidCurrency(p.Currency) {
		v.Add("currency", "must be a 3-letter ISO 4217 code")
	}
	return v.Err()
}

// TargetKind is what a target measures.
type TargetKind string

// Target kinds. Revenue is the amount of deals won in the period, bookings
// the same counted when booked, margin their margin, new pipeline the amount
// of deals created in the period, activities the number of activities of one
// type done in it. Attainment against them is the analytics engine's.
const (
	TargetRevenue     TargetKind = "revenue"
	TargetBookings    TargetKind = "bookings"
	TargetMargin      TargetKind = "margin"
	TargetNewPipeline TargetKind = "new_pipeline"
	TargetActivities  TargetKind = "activities"
)

// TargetKinds lists every target kind.
var TargetKinds = []TargetKind{TargetRevenue, TargetBookings, TargetMargin, TargetNewPipeline, TargetActivities}

// Valid reports whether k is a known kind.
func (k TargetKind) Valid() bool {
	for _, x := range TargetKinds {
		if k == x {
			return true
		}
	}
	return false
}

// IsMoney reports whether the kind's amounts are money (minor units of the
// target's currency) rather than counts.
func (k TargetKind) IsMoney() bool { return k != TargetActivities }

// TargetScope says whose target it is.
type TargetScope string

// Target scopes.
const (
	ScopeCompany TargetScope = "company"
	ScopeTeam    TargetScope = "team"
	ScopeRep     TargetScope = "rep"
)

// Target statuses: a proposal waits for a manager; an approved target counts.
const (
	TargetProposed = "proposed"
	TargetApproved = "approved"
)

// Where a target's amount came from.
const (
	TargetSourceSet      = "set"      // set directly by a manager or admin
	TargetSourceSplit    = "split"    // a share of a parent target split top-down
	TargetSourceProposal = "proposal" // proposed bottom-up by the rep
)

// Target is one goal for one period: the company's, a team's or a rep's, of
// one kind (and, for activities, one activity type).
//
// Amount is the approved target, in minor units of Currency for money kinds
// and a count for activities; it is nil while a rep's first proposal waits
// for approval. ProposedAmount is what the rep proposed (bottom-up), and
// Difference is Amount − ProposedAmount, kept visible after approval. For a
// rep on a ramp, FullAmount is the target before the ramp and RampBP the
// share of it applied (basis points; 10000 is the full target).
type Target struct {
	ID              int64       `json:"id"`
	Period          string      `json:"period"`
	PeriodStart     Date        `json:"period_start"`
	PeriodEnd       Date        `json:"period_end"`
	Kind            TargetKind  `json:"kind"`
	ActivityType    string      `json:"activity_type"`
	Scope           TargetScope `json:"scope"`
	TeamID          *int64      `json:"team_id"`
	UserID          *int64      `json:"user_id"`
	Currency        string      `json:"currency"`
	Amount          *int64      `json:"amount"`
	ProposedAmount  *int64      `json:"proposed_amount"`
	Difference      *int64      `json:"difference"`
	FullAmount      *int64      `json:"full_amount"`
	RampBP          *int64      `json:"ramp_bp"`
	Status          string      `json:"status"`
	Source          string      `json:"source"`
	Reason          string      `json:"reason"`
	ProposalComment string      `json:"proposal_comment"`
	ApprovedBy      *int64      `json:"approved_by"`
	CreatedAt       time.Time   `json:"created_at"`
	UpdatedAt       time.Time   `json:"updated_at"`
	Version         int64       `json:"version"`
}

// Tracked returns the target without derived fields, as history records it.
func (t *Target) Tracked() *Target {
	c := *t
	c.Difference = nil
	return &c
}

// TargetKey names one target slot: a period, a kind (and activity type) and
// whose it is. Exactly one of TeamID (scope team) or UserID (scope rep) is set,
// neither for the company.
type TargetKey struct {
	Period       string      `json:"period"`
	Kind         TargetKind  `json:"kind"`
	ActivityType string      `json:"activity_type,omitempty"`
	Scope        TargetScope `json:"scope"`
	TeamID       *int64      `json:"team_id,omitempty"`
	UserID       *int64      `json:"user_id,omitempty"`
	Currency     string      `json:"currency,omitempty"`
}

// validate checks the key's shape; prefix names the fields in errors.
func (k *TargetKey) validate(v *Validation, prefix string) {
	v.Require(prefix+"period", k.Period)
	if !k.Kind.Valid() {
		v.Add(prefix+"kind", "must be one of revenue, bookings, margin, new_pipeline, activities")
	}
	k.ActivityType = strings.TrimSpace(k.ActivityType)
	if k.Kind == TargetActivities && k.ActivityType == "" {
		v.Add(prefix+"activity_type", "is required for an activities target")
	}
	if k.Kind != TargetActivities && k.ActivityType != "" {
		v.Add(prefix+"activity_type", "is only for an activities target")
	}
	switch k.Scope {
	case ScopeCompany:
		if k.TeamID != nil || k.UserID != nil {
			v.Add(prefix+"scope", "a company target has no team_id or user_id")
		}
	case ScopeTeam:
		if k.TeamID == nil || k.UserID != nil {
			v.Add(prefix+"team_id", "is required (and user_id not allowed) for a team target")
		}
	case ScopeRep:
		if k.UserID == nil || k.TeamID != nil {
			v.Add(prefix+"user_id", "is required (and team_id not allowed) for a rep target")
		}
	default:
		v.Add(prefix+"scope", "must be company, team or rep")
	}
	k.Currency = strings.ToUpper(strings.TrimSpace(k.Currency))
	if k.Currency != "" && !ValidCurrency(k.Currency) {
		v.Add(prefix+"currency", "must be a 3-letter ISO 4217 code")
	}
}

func validAmount(v *Validation, field string, n int64) {
	if n < 0 || n > MaxAmount {
		v.Add(field, "must be from 0 to %d", MaxAmount)
	}
}

// TargetInput sets one target top-down. For a rep on a ramp, Amount is the
// full target and the ramp is applied to it. Reason is kept in the history.
type TargetInput struct {
	TargetKey
	Amount int64  `json:"amount"`
	Reason string `json:"reason,omitempty"`
}

// Validate checks the input's own rules.
func (in *TargetInput) Validate() error {
	var v Validation
	in.TargetKey.validate(&v, "")
	validAmount(&v, "amount", in.Amount)
	in.Reason = strings.TrimSpace(in.Reason)
	if len(in.Reason) > 2000 {
		v.Add("reason", "must be at most 2000 characters")
	}
	return v.Err()
}

// TargetShare is one child of a split: a team or a rep, with its weight when
// the split is weighted.
type TargetShare struct {
	Scope  TargetScope `json:"scope"`
	TeamID *int64      `json:"team_id,omitempty"`
	UserID *int64      `json:"user_id,omitempty"`
	Weight int64       `json:"weight,omitempty"`
}

// Split methods.
const (
	SplitEven     = "even"
	SplitWeighted = "weights"
)

// TargetSplitInput sets a company or team target and splits it top-down
// among Children, evenly or by weight. Without children a company target is
// split among the top-level teams and a team's among its sub-teams, or its
// members when it has none.
type TargetSplitInput struct {
	TargetInput
	Method   string        `json:"method,omitempty"`
	Children []TargetShare `json:"children,omitempty"`
}

// Validate checks the input's own rules.
func (in *TargetSplitInput) Validate() error {
	var v Validation
	if err := in.TargetInput.Validate(); err != nil {
		v.fields = append(v.fields, err.(*Error).Fields...)
	}
	if in.Scope == ScopeRep {
		v.Add("scope", "only a company or team target can be split")
	}
	switch in.Method {
	case "":
		in.Method = SplitEven
	case SplitEven, SplitWeighted:
	default:
		v.Add("method", "must be even or weights")
	}
	if len(in.Children) > 10000 {
		v.Add("children", "must be at most 10000")
	}
	for i, c := range in.Children {
		f := "children[" + strconv.Itoa(i) + "]"
		switch {
		case c.Scope == ScopeTeam && c.TeamID != nil && c.UserID == nil:
		case c.Scope == ScopeRep && c.UserID != nil && c.TeamID == nil:
		default:
			v.Add(f+".scope", "must be team (with team_id) or rep (with user_id)")
		}
		if in.Method == SplitWeighted && (c.Weight < 1 || c.Weight > 1_000_000) {
			v.Add(f+".weight", "must be from 1 to 1000000 for a weighted split")
		}
	}
	if in.Method == SplitWeighted && len(in.Children) == 0 {
		v.Add("children", "are required for a weighted split")
	}
	return v.Err()
}

// SplitAmount divides total among weights (all 1 for an even split) by the
// largest-remainder method: every share is total × w / Σw rounded down, and
// the units left over go one each to the shares with the largest remainders
// (the first ones on ties), so the shares always add up to total exactly.
func SplitAmount(total int64, weights []int64) []int64 {
	out := make([]int64, len(weights))
	var sum int64
	for _, w := range weights {
		sum += w
	}
	if sum <= 0 {
		return out
	}
	rem := make([]int64, len(weights))
	var given int64
	for i, w := range weights {
		// total ≤ 10^15 and w ≤ 10^6 could overflow int64; divide in two steps.
		q, r := total/sum, total%sum
		out[i] = q*w + (r*w)/sum
		rem[i] = (r * w) % sum
		given += out[i]
	}
	for left := total - given; left > 0; left-- {
		best := -1
		for i := range rem {
			if rem[i] >= 0 && (best < 0 || rem[i] > rem[best]) {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
	}
	return out
}

// TargetProposal is a rep's bottom-up proposal for their own target.
type TargetProposal struct {
	Period       string     `json:"period"`
	Kind         TargetKind `json:"kind"`
	ActivityType string     `json:"activity_type,omitempty"`
	Currency     string     `json:"currency,omitempty"`
	Amount       int64      `json:"amount"`
	Comment      string     `json:"comment,omitempty"`
}

// Key returns the rep target the proposal is for.
func (p *TargetProposal) Key(userID int64) TargetKey {
	return TargetKey{Period: p.Period, Kind: p.Kind, ActivityType: p.ActivityType, Scope: ScopeRep, UserID: &userID, Currency: p.Currency}
}

// Validate checks the proposal's own rules.
func (p *TargetProposal) Validate() error {
	var v Validation
	k := p.Key(0)
	k.validate(&v, "")
	p.ActivityType, p.Currency = k.ActivityType, k.Currency
	validAmount(&v, "amount", p.Amount)
	p.Comment = strings.TrimSpace(p.Comment)
	if len(p.Comment) > 2000 {
		v.Add("comment", "must be at most 2000 characters")
	}
	return v.Err()
}

// TargetApproval approves a proposed target as proposed (no Amount) or
// adjusted, which needs a reason.
type TargetApproval struct {
	Amount *int64 `json:"amount,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// Validate checks the approval's own rules.
func (a *TargetApproval) Validate() error {
	var v Validation
	if a.Amount != nil {
		validAmount(&v, "amount", *a.Amount)
	}
	a.Reason = strings.TrimSpace(a.Reason)
	if len(a.Reason) > 2000 {
		v.Add("reason", "must be at most 2000 characters")
	}
	return v.Err()
}

// TargetFilter narrows a list of targets; zero fields match all.
type TargetFilter struct {
	Period string
	Kind   TargetKind
	Scope  TargetScope
	TeamID *int64
	UserID *int64
	Status string
}

// TargetRollup is a team's (or, without TeamID, the company's) target of one
// kind for one period: the target set for it explicitly, if any, next to the
// sum of its members' rep targets. Effective is the explicit one when set,
// the members' sum otherwise.
type TargetRollup struct {
	Period       string     `json:"period"`
	Kind         TargetKind `json:"kind"`
	ActivityType string     `json:"activity_type"`
	TeamID       *int64     `json:"team_id"`
	Currency     string     `json:"currency"`
	Explicit     *Target    `json:"explicit"`
	MembersSum   int64      `json:"members_sum"`
	Effective    int64      `json:"effective"`
	Members      []*Target  `json:"members"`
}

// Ramp is a new rep's ramp: from the month of Start, the share of the full
// target they carry in each of their first months, in percent. Months after
// the schedule carry 100%, months before Start 0%.
type Ramp struct {
	UserID    int64     `json:"user_id"`
	Start     Date      `json:"start"`
	Percents  []int64   `json:"percents"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`
}

// RampInput sets a rep's ramp.
type RampInput struct {
	Start    Date    `json:"start"`
	Percents []int64 `json:"percents"`
}

// Validate checks the input's own rules.
func (in *RampInput) Validate() error {
	var v Validation
	if in.Start.IsZero() {
		v.Add("start", "is required")
	}
	if len(in.Percents) == 0 || len(in.Percents) > 36 {
		v.Add("percents", "must list 1 to 36 monthly percentages")
	}
	for i, p := range in.Percents {
		if p < 0 || p > 100 {
			v.Add("percents["+strconv.Itoa(i)+"]", "must be from 0 to 100")
		}
	}
	return v.Err()
}

// MonthPercent returns the percentage of the full target the rep carries in
// calendar month (y, m).
func (r *Ramp) MonthPercent(y int, m time.Month) int64 {
	i := (y-r.Start.Year)*12 + int(m) - int(r.Start.Month)
	switch {
	case i < 0:
		return 0
	case i >= len(r.Percents):
		return 100
	}
	return r.Percents[i]
}

// ShareBP returns the share of a full target the rep carries over period p,
// in basis points: the mean of the monthly percentages of its months,
// rounded to the nearest basis point.
func (r *Ramp) ShareBP(p Period) int64 {
	var sum, n int64
	for d := p.Start; !p.End.Before(d); d = d.EndOfMonth(0).AddDays(1) {
		sum += r.MonthPercent(d.Year, d.Month)
		n++
	}
	if n == 0 {
		return BasisPoints
	}
	return (sum*100 + n/2) / n
}

// ApplyBP returns amount × bp / 10000, rounded half away from zero.
func ApplyBP(amount, bp int64) int64 {
	v, _ := divRound(new(big.Int).Mul(big.NewInt(amount), big.NewInt(bp)), BasisPoints)
	return v
}

// TargetService manages periods' targets. Targets is the read other areas
// (dashboards, attainment) use.
type TargetService interface {
	Planning(ctx context.Context, a *Actor) (PlanningSettings, error)
	PlanningView(ctx context.Context, a *Actor) (PlanningView, error)
	SetPlanning(ctx context.Context, a *Actor, in PlanningSettings) (PlanningSettings, error)
	Calendar(ctx context.Context, a *Actor) (FiscalCalendar, error)
	Targets(ctx context.Context, a *Actor, f TargetFilter) ([]*Target, error)
	FindTarget(ctx context.Context, a *Actor, id int64) (*Target, error)
	SetTarget(ctx context.Context, a *Actor, in TargetInput) (*Target, error)
	SplitTarget(ctx context.Context, a *Actor, in TargetSplitInput) ([]*Target, error)
	ProposeTarget(ctx context.Context, a *Actor, in TargetProposal) (*Target, error)
	ApproveTarget(ctx context.Context, a *Actor, id, version int64, in TargetApproval) (*Target, error)
	TargetRollup(ctx context.Context, a *Actor, period string, kind TargetKind, activityType string, teamID *int64) (*TargetRollup, error)
	FindRamp(ctx context.Context, a *Actor, userID int64) (*Ramp, error)
	SetRamp(ctx context.Context, a *Actor, userID int64, in RampInput) (*Ramp, error)
}
