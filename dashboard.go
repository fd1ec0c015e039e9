package attain

import (
	"context"
	"slices"
	"strings"
)

// KPI units.
const (
	UnitMoney       = "money"         // minor units of the report's currency, in Amount
	UnitMoneyPerDay = "money_per_day" // minor units per day, in Value
	UnitRatio       = "ratio"         // 0..1 (coverage may exceed 1), in Value
	UnitCount       = "count"         // in Value
	UnitDays        = "days"          // in Value
)

// KPI is one measure for a scope (rep, team, company) and period, with its
// target or threshold when one is set. Definitions live in docs/KPIS.md.
type KPI struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	Unit string `json:"unit"`
	// Value is the measure for non-money units; null when there is nothing
	// to measure (a win rate with no closed deal).
	Value *float64 `json:"value"`
	// Amount is the measure for money units.
	Amount *int64 `json:"amount,omitempty"`
	// Deals is how many deals the measure is computed from.
	Deals        int      `json:"deals"`
	Target       *float64 `json:"target,omitempty"`
	TargetAmount *int64   `json:"target_amount,omitempty"`
	// Status compares the measure with its target: "met", "below" or ""
	// when there is no target (for measures where lower is better, such
	// as cycle time, "met" means at or under the target).
	Status string `json:"status,omitempty"`
}

// Attainment is won revenue against target for a period: deals won in the
// period, credited to whoever owned them when they were won. The same won
// amount is the period's bookings (see docs/KPIS.md), measured against the
// bookings target when one is set.
type Attainment struct {
	Won            int64    `json:"won"`
	WonDeals       int      `json:"won_deals"`
	Margin         int64    `json:"margin"`
	Target         *int64   `json:"target"`
	Ratio          *float64 `json:"ratio"`
	BookingsTarget *int64   `json:"bookings_target"`
	BookingsRatio  *float64 `json:"bookings_ratio"`
}

// CurrencyTotal is what a scope won and has open in one currency other
// than the report's: such deals are never converted (Attain keeps no
// exchange rates) nor left out silently, but listed apart.
type CurrencyTotal struct {
	Currency     string `json:"currency"`
	Won          int64  `json:"won"`
	WonDeals     int    `json:"won_deals"`
	OpenPipeline int64  `json:"open_pipeline"`
	OpenDeals    int    `json:"open_deals"`
}

// SystemForecast is Attain's own forecast of a period's won revenue:
// already won plus open deals closing in the period, weighted by their
// stages' probabilities, and a range from a Monte Carlo simulation
// calibrated on the workspace's history (win and slip rates per stage, per
// rep where there is enough data, and by time in stage). Amounts include
// what is already won.
type SystemForecast struct {
	Period    string `json:"period"`
	Won       int64  `json:"won"`
	Weighted  int64  `json:"weighted"`
	P10       int64  `json:"p10"`
	P50       int64  `json:"p50"`
	P90       int64  `json:"p90"`
	Commit    int64  `json:"commit"`
	BestCase  int64  `json:"best_case"`
	Pipeline  int64  `json:"pipeline"`
	OpenDeals int    `json:"open_deals"`
	// Method is how the range was computed: "simulation" (Iterations runs
	// from Seed) or, for very many deals, "normal" (the simulation's limit).
	Method     string `json:"method"`
	Iterations int    `json:"iterations"`
	Seed       uint64 `json:"seed"`
}

// How a SystemForecast's range was computed.
const (
	ForecastSimulation = "simulation"
	ForecastNormal     = "normal"
)

// StageTotal is the open deals of one stage: how many, their amount, and
// their amount weighted by the stage probability.
type StageTotal struct {
	StageID  int64  `json:"stage_id"`
	Name     string `json:"name"`
	Deals    int    `json:"deals"`
	Amount   int64  `json:"amount"`
	Weighted int64  `json:"weighted"`
}

// FunnelStep is one stage of the funnel: of the deals created in the
// period, how many reached this stage (or a later one), and the share of
// those that went on to the next step.
type FunnelStep struct {
	StageID    int64    `json:"stage_id"`
	Name       string   `json:"name"`
	Reached    int      `json:"reached"`
	Conversion *float64 `json:"conversion"`
}

// StageTime is how long deals stayed in a stage, over the stays that
// ended in the period.
type StageTime struct {
	StageID    int64    `json:"stage_id"`
	Name       string   `json:"name"`
	Stays      int      `json:"stays"`
	MeanDays   *float64 `json:"mean_days"`
	MedianDays *float64 `json:"median_days"`
}

// ActivityVolume is how many activities of a type were done in the period,
// against the activity target when one is set.
type ActivityVolume struct {
	Type   string `json:"type"`
	Name   string `json:"name"`
	Count  int64  `json:"count"`
	Target *int64 `json:"target"`
}

// ReasonTotal is how many deals were won or lost for one reason.
type ReasonTotal struct {
	Outcome string `json:"outcome"`
	Reason  string `json:"reason"`
	Deals   int    `json:"deals"`
	Amount  int64  `json:"amount"`
}

// KPIReport is every KPI of one scope and period.
type KPIReport struct {
	Scope      string           `json:"scope"`
	Period     Period           `json:"period"`
	Currency   string           `json:"currency"`
	KPIs       []KPI            `json:"kpis"`
	Funnel     []FunnelStep     `json:"funnel"`
	StageTimes []StageTime      `json:"stage_times"`
	Activities []ActivityVolume `json:"activities"`
	Reasons    []ReasonTotal    `json:"reasons"`
	// OtherCurrencies are the scope's deals in other currencies, by
	// currency, outside every sum above.
	OtherCurrencies []CurrencyTotal `json:"other_currencies"`
}

// KPIQuery chooses a KPI report's scope: a rep (UserID), a team (TeamID)
// or the company (neither), optionally one pipeline and one product.
type KPIQuery struct {
	Period     string
	UserID     int64
	TeamID     int64
	PipelineID int64
	ProductID  int64
	Currency   string
}

// AttentionDeal is an open deal that needs its owner's attention, and why:
// "stalled", "slipped", "missing_exit_criteria", "no_decision_maker",
// "overdue".
type AttentionDeal struct {
	DealID    int64    `json:"deal_id"`
	Name      string   `json:"name"`
	StageName string   `json:"stage_name"`
	Amount    int64    `json:"amount"`
	Currency  string   `json:"currency"`
	CloseDate Date     `json:"close_date"`
	IdleDays  int      `json:"idle_days"`
	Reasons   []string `json:"reasons"`
	Missing   []string `json:"missing,omitempty"`
}

// LeaderboardEntry is one rep's place by attainment. Reps see other reps'
// names only when the workspace allows it.
type LeaderboardEntry struct {
	Position int      `json:"position"`
	UserID   *int64   `json:"user_id"`
	Name     string   `json:"name"`
	Won      int64    `json:"won"`
	Ratio    *float64 `json:"ratio"`
	You      bool     `json:"you"`
}

// Leaderboard ranks reps by attainment ratio (by won amount when they have
// no target).
type Leaderboard struct {
	Position  int                `json:"position"`
	Of        int                `json:"of"`
	Anonymous bool               `json:"anonymous"`
	Entries   []LeaderboardEntry `json:"entries"`
}

// RepDashboard is a rep's home page.
type RepDashboard struct {
	UserID      int64            `json:"user_id"`
	Name        string           `json:"name"`
	Period      Period           `json:"period"`
	Currency    string           `json:"currency"`
	Attainment  Attainment       `json:"attainment"`
	Forecast    SystemForecast   `json:"forecast"`
	Pipeline    []StageTotal     `json:"pipeline"`
	Coverage    KPI              `json:"coverage"`
	Attention   []AttentionDeal  `json:"attention"`
	Activities  []ActivityVolume `json:"activities"`
	Leaderboard Leaderboard      `json:"leaderboard"`
	KPIs        []KPI            `json:"kpis"`
	// OtherCurrencies are the rep's deals in other currencies, outside
	// every sum above.
	OtherCurrencies []CurrencyTotal `json:"other_currencies"`
}

// RepRow is one rep's line in a manager's team view.
type RepRow struct {
	UserID     int64    `json:"user_id"`
	Name       string   `json:"name"`
	Won        int64    `json:"won"`
	Target     *int64   `json:"target"`
	Attainment *float64 `json:"attainment"`
	// BookingsTarget is the bookings target for the period, and
	// BookingsAttainment the bookings won (the won amount, see
	// docs/KPIS.md) against it; null when no bookings target is set.
	BookingsTarget     *int64   `json:"bookings_target"`
	BookingsAttainment *float64 `json:"bookings_attainment"`
	Forecast           int64    `json:"forecast"`
	Weighted           int64    `json:"weighted"`
	Commit             int64    `json:"commit"`
	OpenPipeline       int64    `json:"open_pipeline"`
	Coverage           *float64 `json:"coverage"`
	WinRate            *float64 `json:"win_rate"`
	Activities         int64    `json:"activities"`
	ActivityTarget     *int64   `json:"activity_target"`
	// Accuracy is the rep's forecast accuracy when forecast submissions
	// have been measured, else null.
	Accuracy *float64 `json:"accuracy"`
}

// TeamDashboard is a manager's view of a team: a row per rep and the total.
type TeamDashboard struct {
	TeamID   int64    `json:"team_id"`
	Name     string   `json:"name"`
	Period   Period   `json:"period"`
	Currency string   `json:"currency"`
	Rows     []RepRow `json:"rows"`
	Total    RepRow   `json:"total"`
	// OtherCurrencies are the team's deals in other currencies, outside
	// every sum above.
	OtherCurrencies []CurrencyTotal `json:"other_currencies"`
}

// TeamTotal is one team's line in the company view.
type TeamTotal struct {
	TeamID   int64    `json:"team_id"`
	Name     string   `json:"name"`
	Won      int64    `json:"won"`
	Target   *int64   `json:"target"`
	Ratio    *float64 `json:"ratio"`
	Forecast int64    `json:"forecast"`
	Weighted int64    `json:"weighted"`
	WinRate  *float64 `json:"win_rate"`
}

// RateRow is a win rate for one product or team.
type RateRow struct {
	ID      int64    `json:"id"`
	Name    string   `json:"name"`
	Won     int      `json:"won"`
	Lost    int      `json:"lost"`
	WinRate *float64 `json:"win_rate"`
}

// QuarterTrend is one quarter's totals, for trends.
type QuarterTrend struct {
	Period      string   `json:"period"`
	Won         int64    `json:"won"`
	WonDeals    int      `json:"won_deals"`
	NewPipeline int64    `json:"new_pipeline"`
	WinRate     *float64 `json:"win_rate"`
}

// CompanyDashboard is the company view.
type CompanyDashboard struct {
	Period           Period         `json:"period"`
	Currency         string         `json:"currency"`
	Attainment       Attainment     `json:"attainment"`
	Forecast         SystemForecast `json:"forecast"`
	Teams            []TeamTotal    `json:"teams"`
	Funnel           []FunnelStep   `json:"funnel"`
	Trends           []QuarterTrend `json:"trends"`
	WinRateByProduct []RateRow      `json:"win_rate_by_product"`
	WinRateByTeam    []RateRow      `json:"win_rate_by_team"`
	KPIs             []KPI          `json:"kpis"`
	// OtherCurrencies are deals in other currencies, outside every sum
	// above.
	OtherCurrencies []CurrencyTotal `json:"other_currencies"`
}

// PlanStep is one step of the funnel plan: how many deals must reach it
// (or leads be created), and by when.
type PlanStep struct {
	Step       string   `json:"step"`
	StageID    *int64   `json:"stage_id"`
	Needed     int      `json:"needed"`
	By         Date     `json:"by"`
	Conversion *float64 `json:"conversion"`
}

// FunnelPlan says how much activity a target needs, from historical
// conversion, deal size and cycle time.
type FunnelPlan struct {
	UserID      *int64     `json:"user_id"`
	Period      Period     `json:"period"`
	Currency    string     `json:"currency"`
	Target      int64      `json:"target"`
	Won         int64      `json:"won"`
	Remaining   int64      `json:"remaining"`
	AvgDealSize int64      `json:"avg_deal_size"`
	WinRate     *float64   `json:"win_rate"`
	CycleDays   *float64   `json:"cycle_days"`
	WinsNeeded  int        `json:"wins_needed"`
	Steps       []PlanStep `json:"steps"`
	// Basis says which history the rates come from.
	Basis string `json:"basis"`
}

// TeamFunnelPlan is the funnel plan of every member of a team (and of the
// teams under it) for one period, side by side, each from the member's own
// revenue target and history.
type TeamFunnelPlan struct {
	TeamID   int64            `json:"team_id"`
	Name     string           `json:"name"`
	Period   Period           `json:"period"`
	Currency string           `json:"currency"`
	Members  []TeamPlanMember `json:"members"`
}

// TeamPlanMember is one member's line of a team's funnel plan: the plan, or
// when there is none (no revenue target for the period) the reason.
type TeamPlanMember struct {
	UserID int64       `json:"user_id"`
	Name   string      `json:"name"`
	Plan   *FunnelPlan `json:"plan"`
	// Missing says why there is no plan; empty when there is one.
	Missing string `json:"missing,omitempty"`
}

// FunnelPlanInput asks for a plan: the target (defaults to the rep's
// revenue target for the period) for a rep (defaults to the actor).
type FunnelPlanInput struct {
	Period string `json:"period"`
	UserID *int64 `json:"user_id,omitempty"`
	Target *int64 `json:"target,omitempty"`
}

// Where a KPI's target comes from (KPIDefinition.TargetSource), besides a
// target kind set per period (revenue, margin, new_pipeline, activities).
const (
	KPITargetGoal      = "goal"      // KPISettings.Goals
	KPITargetThreshold = "threshold" // KPISettings.CoverageThreshold
)

// KPIDefinition describes one KPI for the people who set its goal: what it
// measures, its unit, and where its target comes from. TakesGoal says
// whether KPISettings.Goals may hold a goal for it; the other KPIs are
// measured against a period target or the coverage threshold.
type KPIDefinition struct {
	Key          string `json:"key"`
	Name         string `json:"name"`
	Unit         string `json:"unit"`
	LowerBetter  bool   `json:"lower_better"`
	TargetSource string `json:"target_source"`
	TakesGoal    bool   `json:"takes_goal"`
	Doc          string `json:"doc"`
}

// KPISettings configure the KPIs of a workspace.
type KPISettings struct {
	// CoverageThreshold is the pipeline coverage a scope should have of its
	// remaining target (3 by default: pipeline ≥ 3× what is left to win).
	CoverageThreshold float64 `json:"coverage_threshold"`
	// StalledDays is how many days without activity or stage change make
	// an open deal stalled; StageStalledDays overrides it per stage id.
	StalledDays      int            `json:"stalled_days"`
	StageStalledDays map[string]int `json:"stage_stalled_days"`
	// LeaderboardNames lets reps see each other's names on the
	// leaderboard; otherwise they see only their own.
	LeaderboardNames bool `json:"leaderboard_names"`
	// Goals are targets for rate KPIs by KPI key, e.g. {"win_rate": 0.6}.
	Goals map[string]float64 `json:"goals"`
	// Version is returned as the ETag; send it back as If-Match.
	Version int64 `json:"version"`
}

// DefaultKPISettings are the settings of a workspace that set none.
func DefaultKPISettings() KPISettings {
	return KPISettings{CoverageThreshold: 3, StalledDays: 21, StageStalledDays: map[string]int{}, Goals: map[string]float64{}}
}

// Validate checks settings; goals must name KPIs that take a goal (keys).
func (s *KPISettings) Validate(goalKeys []string) error {
	var v Validation
	if s.CoverageThreshold <= 0 || s.CoverageThreshold > 100 {
		v.Add("coverage_threshold", "must be more than 0 and at most 100")
	}
	if s.StalledDays < 1 || s.StalledDays > 3650 {
		v.Add("stalled_days", "must be from 1 to 3650")
	}
	for k, n := range s.StageStalledDays {
		if n < 1 || n > 3650 {
			v.Add("stage_stalled_days."+k, "must be from 1 to 3650")
		}
	}
	for k, g := range s.Goals {
		if !slices.Contains(goalKeys, k) {
			v.Add("goals."+k, "is not a KPI that takes a goal; use one of %s", strings.Join(goalKeys, ", "))
		} else if g < 0 {
			v.Add("goals."+k, "must not be negative")
		}
	}
	if s.StageStalledDays == nil {
		s.StageStalledDays = map[string]int{}
	}
	if s.Goals == nil {
		s.Goals = map[string]float64{}
	}
	return v.Err()
}

// AnalyticsService computes KPIs, forecasts and dashboards. Everyone sees
// their own figures; managers their teams'; admins everyone's.
type AnalyticsService interface {
	FindKPIs(ctx context.Context, a *Actor, q KPIQuery) (*KPIReport, error)
	RepDashboard(ctx context.Context, a *Actor, userID int64, period, currency string) (*RepDashboard, error)
	TeamDashboard(ctx context.Context, a *Actor, teamID int64, period, currency string) (*TeamDashboard, error)
	CompanyDashboard(ctx context.Context, a *Actor, period, currency string) (*CompanyDashboard, error)
	FindSystemForecast(ctx context.Context, a *Actor, q KPIQuery) (*SystemForecast, error)
	PlanFunnel(ctx context.Context, a *Actor, in FunnelPlanInput) (*FunnelPlan, error)
	PlanTeamFunnel(ctx context.Context, a *Actor, teamID int64, period string) (*TeamFunnelPlan, error)
	FindKPISettings(ctx context.Context, a *Actor) (*KPISettings, error)
	KPIDefinitions(ctx context.Context, a *Actor) ([]*KPIDefinition, error)
	SetKPISettings(ctx context.Context, a *Actor, version int64, in KPISettings) (*KPISettings, error)
}

// SystemAccuracyPoint is one weekly snapshot of the system forecast against
// what was won in its period (so far, while the period runs: Final false).
// ErrorBP is |P50 − actual| and WeightedErrorBP |weighted − actual|, in
// basis points of the actual; null when nothing was won.
type SystemAccuracyPoint struct {
	Period          string `json:"period"`
	Week            int    `json:"week"`
	WeekStart       Date   `json:"week_start"`
	Scope           string `json:"scope"`
	UserID          *int64 `json:"user_id"`
	TeamID          *int64 `json:"team_id"`
	P50             int64  `json:"p50"`
	Weighted        int64  `json:"weighted"`
	Actual          int64  `json:"actual"`
	ErrorBP         *int64 `json:"error_bp"`
	WeightedErrorBP *int64 `json:"weighted_error_bp"`
	Final           bool   `json:"final"`
}

// SystemAccuracy is the system forecast's accuracy over a quarter, each
// snapshot the actor may see, and the mean error by week of quarter: the
// same measure as people's forecasts, to compare which to trust.
type SystemAccuracy struct {
	Period   string                 `json:"period"`
	Currency string                 `json:"currency"`
	Points   []*SystemAccuracyPoint `json:"points"`
	ByWeek   []*AccuracyWeek        `json:"by_week"`
}
