package attain

import (
	"context"
	"math"
	"math/big"
	"strings"
	"time"
)

// ForecastSubmission is one forecast call for one period: a rep's own
// (scope rep), a manager's adjusted call for their team (scope team) or an
// admin's for the company. Submissions are never changed; a new one
// supersedes the last, and all are kept.
//
// PrefillCommit and PrefillBestCase are what the deals said when it was
// submitted (see ForecastPrefill), so an adjustment stays visible.
type ForecastSubmission struct {
	ID              int64       `json:"id"`
	Period          string      `json:"period"`
	PeriodStart     Date        `json:"period_start"`
	PeriodEnd       Date        `json:"period_end"`
	Scope           TargetScope `json:"scope"`
	UserID          int64       `json:"user_id"`
	TeamID          *int64      `json:"team_id"`
	Currency        string      `json:"currency"`
	Commit          int64       `json:"commit"`
	BestCase        int64       `json:"best_case"`
	PrefillCommit   int64       `json:"prefill_commit"`
	PrefillBestCase int64       `json:"prefill_best_case"`
	Comment         string      `json:"comment"`
	SubmittedAt     time.Time   `json:"submitted_at"`
}

// ForecastInput submits a forecast. Scope rep (the default) is the actor's
// own; scope team with TeamID is a manager's call for a team they manage;
// scope company an admin's. Commit and BestCase default to the pre-fill;
// a team or company call needs a comment giving the reason.
type ForecastInput struct {
	Period   string      `json:"period"`
	Scope    TargetScope `json:"scope,omitempty"`
	TeamID   *int64      `json:"team_id,omitempty"`
	Commit   *int64      `json:"commit,omitempty"`
	BestCase *int64      `json:"best_case,omitempty"`
	Comment  string      `json:"comment,omitempty"`
}

// Validate checks the input's own rules.
func (in *ForecastInput) Validate() error {
	var v Validation
	v.Require("period", in.Period)
	if in.Scope == "" {
		in.Scope = ScopeRep
	}
	switch in.Scope {
	case ScopeRep, ScopeCompany:
		if in.TeamID != nil {
			v.Add("team_id", "is only for a team call")
		}
	case ScopeTeam:
		if in.TeamID == nil {
			v.Add("team_id", "is required for a team call")
		}
	default:
		v.Add("scope", "must be rep, team or company")
	}
	if in.Commit != nil {
		validAmount(&v, "commit", *in.Commit)
	}
	if in.BestCase != nil {
		validAmount(&v, "best_case", *in.BestCase)
	}
	if in.Commit != nil && in.BestCase != nil && *in.BestCase < *in.Commit {
		v.Add("best_case", "must be at least the commit")
	}
	in.Comment = strings.TrimSpace(in.Comment)
	if len(in.Comment) > 4000 {
		v.Add("comment", "must be at most 4000 characters")
	}
	if in.Scope != ScopeRep && in.Comment == "" {
		v.Add("comment", "is required for a team or company call: give the reason")
	}
	return v.Err()
}

// ForecastDeal is one deal behind a pre-fill.
type ForecastDeal struct {
	ID               int64  `json:"id"`
	Name             string `json:"name"`
	Status           string `json:"status"`
	ForecastCategory string `json:"forecast_category"`
	Amount           int64  `json:"amount"`
	CloseDate        Date   `json:"close_date"`
}

// ForecastPrefill is what a rep's deals say for a period, in the planning
// currency: Commit is the amount won in the period (close date in it) plus
// open deals in the commit category; BestCase adds open deals in best_case.
// Deals in other currencies are counted in OtherCurrencyDeals, not summed.
type ForecastPrefill struct {
	Period             string          `json:"period"`
	UserID             int64           `json:"user_id"`
	Currency           string          `json:"currency"`
	Won                int64           `json:"won"`
	Commit             int64           `json:"commit"`
	BestCase           int64           `json:"best_case"`
	Pipeline           int64           `json:"pipeline"`
	OtherCurrencyDeals int             `json:"other_currency_deals"`
	Deals              []*ForecastDeal `json:"deals"`
}

// ForecastRow is one line of a roll-up: a rep with their latest submission,
// or a sub-team with its manager's latest call (or, without one, the sum of
// its own roll-up). Commit and BestCase are what the row counts for.
type ForecastRow struct {
	Kind       TargetScope         `json:"kind"`
	UserID     *int64              `json:"user_id"`
	TeamID     *int64              `json:"team_id"`
	Name       string              `json:"name"`
	Submission *ForecastSubmission `json:"submission"`
	Commit     int64               `json:"commit"`
	BestCase   int64               `json:"best_case"`
}

// ForecastRollup is a team's (or, without TeamID, the company's) forecast for
// a period: a row per member rep and sub-team, their sum, and the manager's
// (or admin's) own latest adjusted call beside it.
type ForecastRollup struct {
	Period      string              `json:"period"`
	TeamID      *int64              `json:"team_id"`
	Currency    string              `json:"currency"`
	Rows        []*ForecastRow      `json:"rows"`
	SumCommit   int64               `json:"sum_commit"`
	SumBestCase int64               `json:"sum_best_case"`
	Call        *ForecastSubmission `json:"call"`
}

// ForecastFilter narrows a list of submissions; zero fields match all.
type ForecastFilter struct {
	Period string
	Scope  TargetScope
	UserID *int64
	TeamID *int64
}

// AccuracyPoint is one weekly snapshot of a forecast measured against what
// was actually won in its period: Error is Commit − Actual (positive means
// over-called), ErrorBP |Error| / Actual in basis points (nil when nothing
// was won).
type AccuracyPoint struct {
	Period    string      `json:"period"`
	Week      int         `json:"week"`
	WeekStart Date        `json:"week_start"`
	Scope     TargetScope `json:"scope"`
	UserID    *int64      `json:"user_id"`
	TeamID    *int64      `json:"team_id"`
	Commit    int64       `json:"commit"`
	BestCase  int64       `json:"best_case"`
	Actual    int64       `json:"actual"`
	Error     int64       `json:"error"`
	ErrorBP   *int64      `json:"error_bp"`
	Final     bool        `json:"final"`
}

// ForecastAccuracy is forecast accuracy over one or more quarters: a point per
// weekly snapshot of the forecasts the actor may see. Periods still running
// are measured against what is won so far (Final false).
type ForecastAccuracy struct {
	Currency string           `json:"currency"`
	Points   []*AccuracyPoint `json:"points"`
	// ByWeek is the mean absolute error of the points of each week of the
	// quarter (those with an actual), how accuracy improves as quarters go on.
	ByWeek []*AccuracyWeek `json:"by_week"`
	// ByQuarter is the mean absolute error of each quarter's points (those
	// with an actual), oldest first: the trend across quarters.
	ByQuarter []*AccuracyQuarter `json:"by_quarter"`
}

// AccuracyQuarter is the mean absolute error, in basis points of the
// actual, of the forecasts snapshotted in one quarter; Final once the
// quarter has ended.
type AccuracyQuarter struct {
	Period      string `json:"period"`
	Points      int    `json:"points"`
	MeanErrorBP *int64 `json:"mean_error_bp"`
	Final       bool   `json:"final"`
}

// AccuracyWeek is the mean absolute error, in basis points of the actual, of
// the forecasts snapshotted in one week of their quarter.
type AccuracyWeek struct {
	Week        int   `json:"week"`
	Points      int   `json:"points"`
	MeanErrorBP int64 `json:"mean_error_bp"`
}

// AccuracyFilter chooses the forecasts measured: the quarters ending with
// Period (Quarters of them, 1 by default), and one rep or team, or all.
type AccuracyFilter struct {
	Period   string
	Quarters int
	UserID   *int64
	TeamID   *int64
}

// SnapshotResult says what a weekly snapshot stored.
type SnapshotResult struct {
	WeekStart    Date   `json:"week_start"`
	Period       string `json:"period"`
	Forecasts    int    `json:"forecasts"`
	Pipeline     int    `json:"pipeline"`
	AlreadyTaken bool   `json:"already_taken"`
}

// WeekStart returns the Monday on or before d: snapshots are keyed by it.
func WeekStart(d Date) Date {
	wd := int(d.Time().Weekday()+6) % 7 // Monday 0 ... Sunday 6
	return d.AddDays(-wd)
}

// PipelineSnapshotRow is one owner's open pipeline in one stage and forecast
// category, as one week's snapshot found it.
type PipelineSnapshotRow struct {
	WeekStart        Date   `json:"week_start"`
	OwnerID          int64  `json:"owner_id"`
	StageID          int64  `json:"stage_id"`
	ForecastCategory string `json:"forecast_category"`
	Currency         string `json:"currency"`
	Amount           int64  `json:"amount"`
	Deals            int64  `json:"deals"`
}

// ForecastService takes forecast submissions and measures their accuracy.
type ForecastService interface {
	ForecastPrefill(ctx context.Context, a *Actor, period string, userID int64) (*ForecastPrefill, error)
	SubmitForecast(ctx context.Context, a *Actor, in ForecastInput) (*ForecastSubmission, error)
	ForecastSubmissions(ctx context.Context, a *Actor, f ForecastFilter) ([]*ForecastSubmission, error)
	ForecastRollup(ctx context.Context, a *Actor, period string, teamID *int64) (*ForecastRollup, error)
	SnapshotForecasts(ctx context.Context, workspaceID int64) (*SnapshotResult, error)
	ForecastAccuracy(ctx context.Context, a *Actor, f AccuracyFilter) (*ForecastAccuracy, error)
}

// ErrorBP returns |err| / actual in basis points, rounded half up: how far a
// forecast missed, relative to what happened. actual must not be zero.
func ErrorBP(err, actual int64) int64 {
	if err < 0 {
		err = -err
	}
	if actual < 0 {
		actual = -actual
	}
	x := new(big.Int).Mul(big.NewInt(err), big.NewInt(BasisPoints))
	x.Mul(x, big.NewInt(2)).Add(x, big.NewInt(actual))
	x.Quo(x, big.NewInt(2*actual))
	if !x.IsInt64() {
		return math.MaxInt64
	}
	return x.Int64()
}
