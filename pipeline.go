package attain

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Forecast categories: where a deal counts in a forecast. Every stage has
// one; a deal's owner may override it on an open deal.
const (
	ForecastPipeline   = "pipeline"
	ForecastBestCase   = "best_case"
	ForecastCommit     = "commit"
	ForecastClosedWon  = "closed_won"
	ForecastOmitted    = "omitted"
	ForecastClosedLost = "closed_lost"
)

// ForecastCategories lists the categories in forecast order.
var ForecastCategories = []string{ForecastPipeline, ForecastBestCase, ForecastCommit, ForecastClosedWon, ForecastOmitted, ForecastClosedLost}

// Stage outcomes: an open stage is part of the working pipeline; a deal that
// enters the won or lost stage is closed.
const (
	OutcomeOpen = "open"
	OutcomeWon  = "won"
	OutcomeLost = "lost"
)

// ExitCriteria say what a deal must have before it may move past a stage:
// deal fields that must be filled and key activities that must have been
// logged on it. They are what makes a stage mean the same thing for
// everyone, and what makes the forecast trustworthy.
//
// Fields are deal fields (see ExitFields) or custom fields as "custom.<key>".
type ExitCriteria struct {
	Fields     []string              `json:"fields"`
	Activities []ActivityRequirement `json:"activities"`
}

// ActivityRequirement asks for Count done activities of a type (by key:
// call, email, meeting, demo, proposal, ...).
type ActivityRequirement struct {
	Type  string `json:"type"`
	Count int    `json:"count"`
}

// ExitFields are the deal fields an exit criterion may require, and what
// "filled" means for each.
var ExitFields = map[string]string{
	"amount":             "an amount above zero",
	"close_date":         "a close date someone has confirmed (not the default guess)",
	"account_id":         "an account",
	"primary_contact_id": "a primary contact",
	"next_step":          "a next step",
	"lines":              "at least one line item",
}

// IsZero reports whether there are no criteria.
func (c ExitCriteria) IsZero() bool { return len(c.Fields) == 0 && len(c.Activities) == 0 }

// Stage is one step of a pipeline. Position orders stages; moving a deal to
// a later position is moving it forward, which the exit criteria of the
// stages it leaves must allow.
type Stage struct {
	ID               int64        `json:"id"`
	PipelineID       int64        `json:"pipeline_id"`
	Name             string       `json:"name"`
	Position         int          `json:"position"`
	Probability      int          `json:"probability"`
	ForecastCategory string       `json:"forecast_category"`
	Outcome          string       `json:"outcome"`
	BuyerStep        string       `json:"buyer_step"`
	Description      string       `json:"description"`
	ExitCriteria     ExitCriteria `json:"exit_criteria"`
	ArchivedAt       *time.Time   `json:"archived_at,omitempty"`
}

// Pipeline is an ordered list of stages a deal moves through. Stage edits
// bump CurrentVersion and keep a snapshot of every version, so deals keep
// their history against the process they actually went through. Version is
// the row's own optimistic-concurrency version (the ETag).
type Pipeline struct {
	ID             int64      `json:"id"`
	Name           string     `json:"name"`
	IsDefault      bool       `json:"is_default"`
	CurrentVersion int64      `json:"current_version"`
	AllowOverride  bool       `json:"allow_override"`
	ArchivedAt     *time.Time `json:"archived_at"`
	Stages         []*Stage   `json:"stages"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	Version        int64      `json:"version"`
}

// Stage returns the pipeline's active stage with that id, or nil.
func (p *Pipeline) Stage(id int64) *Stage {
	for _, s := range p.Stages {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// FirstOpen returns the first open stage, where new deals start.
func (p *Pipeline) FirstOpen() *Stage {
	for _, s := range p.Stages {
		if s.Outcome == OutcomeOpen {
			return s
		}
	}
	return nil
}

// PipelineVersion is an immutable snapshot of a pipeline's stages.
type PipelineVersion struct {
	PipelineID int64     `json:"pipeline_id"`
	Version    int64     `json:"version"`
	Stages     []*Stage  `json:"stages"`
	CreatedAt  time.Time `json:"created_at"`
	CreatedBy  *int64    `json:"created_by"`
}

// StageInput describes one stage when a pipeline's stages are written. An
// id keeps an existing stage (and the deals in it); no id adds a stage.
type StageInput struct {
	ID               *int64       `json:"id,omitempty"`
	Name             string       `json:"name"`
	Probability      *int         `json:"probability,omitempty"`
	ForecastCategory string       `json:"forecast_category,omitempty"`
	Outcome          string       `json:"outcome,omitempty"`
	BuyerStep        string       `json:"buyer_step,omitempty"`
	Description      string       `json:"description,omitempty"`
	ExitCriteria     ExitCriteria `json:"exit_criteria,omitzero"`
}

// PipelineInput is a new pipeline with its stages, in order.
type PipelineInput struct {
	Name          string       `json:"name"`
	IsDefault     bool         `json:"is_default,omitempty"`
	AllowOverride bool         `json:"allow_override,omitempty"`
	Stages        []StageInput `json:"stages"`
}

// Validate checks the pipeline and its stages.
func (in *PipelineInput) Validate() error {
	var v Validation
	in.Name = strings.TrimSpace(in.Name)
	validatePipelineName(&v, in.Name)
	validateStages(&v, in.Stages)
	return v.Err()
}

// PipelineUpdate changes a pipeline's settings; absent fields stay. Stages
// are replaced through their own endpoint, which versions them.
type PipelineUpdate struct {
	Name *string `json:"name,omitempty"`
	// IsDefault true makes this the default pipeline for new deals (the
	// previous default stops being it); false is refused: pick another
	// default instead.
	IsDefault *bool `json:"is_default,omitempty"`
	// AllowOverride lets managers move deals past unmet exit criteria, with
	// a recorded reason.
	AllowOverride *bool `json:"allow_override,omitempty"`
	Archived      *bool `json:"archived,omitempty"`
}

// Validate checks an update.
func (u *PipelineUpdate) Validate() error {
	var v Validation
	if u.Name != nil {
		*u.Name = strings.TrimSpace(*u.Name)
		validatePipelineName(&v, *u.Name)
	}
	if u.IsDefault != nil && !*u.IsDefault {
		v.Add("is_default", "cannot be unset; make another pipeline the default instead")
	}
	return v.Err()
}

// StagesInput replaces a pipeline's stages, in order.
type StagesInput struct {
	Stages []StageInput `json:"stages"`
}

// Validate checks the stages.
func (in *StagesInput) Validate() error {
	var v Validation
	validateStages(&v, in.Stages)
	return v.Err()
}

func validatePipelineName(v *Validation, name string) {
	v.Require("name", name)
	if len(name) > 100 {
		v.Add("name", "must be at most 100 characters")
	}
}

var customKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// validateStages checks a stage list and fills in defaults: outcome open;
// the forecast category closed_won/closed_lost for won/lost stages and
// pipeline for open ones; probability 100 for won and 0 for lost. The rules
// keep the process meaningful: distinct names, at least one open stage,
// exactly one won and one lost stage after the open ones, probabilities that
// do not fall as a deal moves forward.
func validateStages(v *Validation, stages []StageInput) {
	if len(stages) == 0 {
		v.Add("stages", "needs at least one open stage, one won stage and one lost stage")
		return
	}
	if len(stages) > 50 {
		v.Add("stages", "must be at most 50")
	}
	names := map[string]int{}
	ids := map[int64]bool{}
	var open, won, lost int
	lastOpenProb := -1
	closedSeen := false
	for i := range stages {
		s := &stages[i]
		f := fmt.Sprintf("stages[%d]", i)
		s.Name = strings.TrimSpace(s.Name)
		s.BuyerStep = strings.TrimSpace(s.BuyerStep)
		s.Description = strings.TrimSpace(s.Description)
		if s.Name == "" {
			v.Add(f+".name", "is required")
		} else if len(s.Name) > 100 {
			v.Add(f+".name", "must be at most 100 characters")
		} else if j, dup := names[strings.ToLower(s.Name)]; dup {
			v.Add(f+".name", "%q is also the name of stage %d; stage names must be distinct", s.Name, j)
		} else {
			names[strings.ToLower(s.Name)] = i
		}
		if s.ID != nil {
			if ids[*s.ID] {
				v.Add(f+".id", "stage %d is listed twice", *s.ID)
			}
			ids[*s.ID] = true
		}
		if s.Outcome == "" {
			s.Outcome = OutcomeOpen
		}
		switch s.Outcome {
		case OutcomeOpen:
			open++
			if closedSeen {
				v.Add(f+".outcome", "open stages must come before the won and lost stages")
			}
			if s.ForecastCategory == "" {
				s.ForecastCategory = ForecastPipeline
			}
			if s.ForecastCategory == ForecastClosedWon || s.ForecastCategory == ForecastClosedLost {
				v.Add(f+".forecast_category", "an open stage cannot be %s", s.ForecastCategory)
			}
			if s.Probability == nil {
				v.Add(f+".probability", "is required for an open stage (0 to 99)")
			} else if *s.Probability < 0 || *s.Probability > 99 {
				v.Add(f+".probability", "must be from 0 to 99 for an open stage; 100 means won")
			} else {
				if *s.Probability < lastOpenProb {
					v.Add(f+".probability", "is lower than the stage before it (%d); a deal moving forward should not become less likely", lastOpenProb)
				}
				lastOpenProb = *s.Probability
			}
		case OutcomeWon, OutcomeLost:
			closedSeen = true
			want, cat := 100, ForecastClosedWon
			if s.Outcome == OutcomeWon {
				won++
			} else {
				lost++
				want, cat = 0, ForecastClosedLost
			}
			if s.Probability == nil {
				s.Probability = &want
			} else if *s.Probability != want {
				v.Add(f+".probability", "must be %d for the %s stage", want, s.Outcome)
			}
			if s.ForecastCategory == "" {
				s.ForecastCategory = cat
			} else if s.ForecastCategory != cat {
				v.Add(f+".forecast_category", "must be %s for the %s stage", cat, s.Outcome)
			}
			if !s.ExitCriteria.IsZero() {
				v.Add(f+".exit_criteria", "a closed stage has no exit criteria; deals are reopened by moving them back")
			}
		default:
			v.Add(f+".outcome", "must be open, won or lost")
		}
		if s.ForecastCategory != "" && !slices.Contains(ForecastCategories, s.ForecastCategory) {
			v.Add(f+".forecast_category", "must be one of %s", strings.Join(ForecastCategories, ", "))
		}
		if len(s.BuyerStep) > 100 {
			v.Add(f+".buyer_step", "must be at most 100 characters")
		}
		if len(s.Description) > 2000 {
			v.Add(f+".description", "must be at most 2000 characters")
		}
		validateExitCriteria(v, f+".exit_criteria", &s.ExitCriteria)
	}
	if open == 0 {
		v.Add("stages", "needs at least one open stage")
	}
	if won != 1 {
		v.Add("stages", "needs exactly one won stage, not %d", won)
	}
	if lost != 1 {
		v.Add("stages", "needs exactly one lost stage, not %d", lost)
	}
}

func validateExitCriteria(v *Validation, f string, c *ExitCriteria) {
	seen := map[string]bool{}
	for i, name := range c.Fields {
		name = strings.TrimSpace(name)
		c.Fields[i] = name
		if seen[name] {
			v.Add(fmt.Sprintf("%s.fields[%d]", f, i), "%q is listed twice", name)
		}
		seen[name] = true
		if key, ok := strings.CutPrefix(name, "custom."); ok {
			if !customKeyRE.MatchString(key) {
				v.Add(fmt.Sprintf("%s.fields[%d]", f, i), "%q is not a custom field key", key)
			}
			continue
		}
		if _, ok := ExitFields[name]; !ok {
			known := make([]string, 0, len(ExitFields))
			for k := range ExitFields {
				known = append(known, k)
			}
			slices.Sort(known)
			v.Add(fmt.Sprintf("%s.fields[%d]", f, i), "%q cannot be required; use one of %s or custom.<key>", name, strings.Join(known, ", "))
		}
	}
	types := map[string]bool{}
	for i := range c.Activities {
		r := &c.Activities[i]
		r.Type = strings.TrimSpace(r.Type)
		af := fmt.Sprintf("%s.activities[%d]", f, i)
		if r.Type == "" {
			v.Add(af+".type", "is required")
		} else if types[r.Type] {
			v.Add(af+".type", "%q is listed twice", r.Type)
		}
		types[r.Type] = true
		if r.Count == 0 {
			r.Count = 1
		}
		if r.Count < 1 || r.Count > 100 {
			v.Add(af+".count", "must be from 1 to 100")
		}
	}
	if c.Fields == nil {
		c.Fields = []string{}
	}
	if c.Activities == nil {
		c.Activities = []ActivityRequirement{}
	}
}

// DefaultPipeline is the process a new workspace starts with: stages named
// for what has happened with the buyer, not for how hopeful the seller is,
// each mapped to the buyer's step and with exit criteria that keep the
// forecast honest.
func DefaultPipeline() PipelineInput {
	p := func(n int) *int { return &n }
	fields := func(f ...string) ExitCriteria { return ExitCriteria{Fields: f} }
	return PipelineInput{
		Name:      "Sales",
		IsDefault: true,
		Stages: []StageInput{
			{Name: "Qualified", Probability: p(10), ForecastCategory: ForecastPipeline, BuyerStep: "Awareness",
				Description:  "The buyer has a need we solve, and budget and timing are plausible. To move on, estimate the amount and agree a close date.",
				ExitCriteria: fields("amount", "close_date")},
			{Name: "Demo scheduled", Probability: p(20), ForecastCategory: ForecastPipeline, BuyerStep: "Consideration",
				Description:  "A demo is booked with the people who feel the problem. To move on, log the demo.",
				ExitCriteria: ExitCriteria{Activities: []ActivityRequirement{{Type: "demo", Count: 1}}}},
			{Name: "Demo completed", Probability: p(40), ForecastCategory: ForecastBestCase, BuyerStep: "Consideration",
				Description:  "The buyer has seen the product working on their problem. To move on, agree the next step (usually a trial plan).",
				ExitCriteria: fields("next_step")},
			{Name: "Trial", Probability: p(60), ForecastCategory: ForecastBestCase, BuyerStep: "Evaluation",
				Description:  "The buyer is trying the product against agreed success criteria. To move on, name the primary contact and send a proposal.",
				ExitCriteria: ExitCriteria{Fields: []string{"primary_contact_id"}, Activities: []ActivityRequirement{{Type: "proposal", Count: 1}}}},
			{Name: "Contract sent", Probability: p(80), ForecastCategory: ForecastCommit, BuyerStep: "Decision",
				Description:  "The buyer has the contract. To win, the deal needs its account, which finance invoices.",
				ExitCriteria: fields("account_id")},
			{Name: "Won", Outcome: OutcomeWon, BuyerStep: "Purchase", Description: "The contract is signed."},
			{Name: "Lost", Outcome: OutcomeLost, Description: "The buyer chose something else, or nothing. Record why."},
		},
	}
}

// PipelineService manages pipelines: everyone reads them; admins change them.
type PipelineService interface {
	FindPipelines(ctx context.Context, a *Actor) ([]*Pipeline, error)
	FindPipeline(ctx context.Context, a *Actor, id int64) (*Pipeline, error)
	CreatePipeline(ctx context.Context, a *Actor, in PipelineInput) (*Pipeline, error)
	UpdatePipeline(ctx context.Context, a *Actor, id, version int64, in PipelineUpdate) (*Pipeline, error)
	ReplaceStages(ctx context.Context, a *Actor, id, version int64, in StagesInput) (*Pipeline, error)
	FindPipelineVersions(ctx context.Context, a *Actor, id int64) ([]*PipelineVersion, error)
}
