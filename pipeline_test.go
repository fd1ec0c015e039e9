package attain_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/attain-crm/attain"
)

// invalidFields returns the fields of an EINVALID error, in order.
func invalidFields(err error) []string {
	var e *attain.Error
	if !errors.As(err, &e) {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestValidateStages(t *testing.T) {
	p := func(n int) *int { return &n }
	open := func(name string, prob int) attain.StageInput {
		return attain.StageInput{Name: name, Probability: p(prob)}
	}
	won := attain.StageInput{Name: "Won", Outcome: "won"}
	lost := attain.StageInput{Name: "Lost", Outcome: "lost"}
	cases := []struct {
		name   string
		stages []attain.StageInput
		want   []string
	}{
		{"minimal", []attain.StageInput{open("Qualified", 10), won, lost}, nil},
		{"none", nil, []string{"stages"}},
		{"no open stage", []attain.StageInput{won, lost}, []string{"stages"}},
		{"no won stage", []attain.StageInput{open("A", 10), lost}, []string{"stages"}},
		{"two lost stages", []attain.StageInput{open("A", 10), won, lost, {Name: "Lost 2", Outcome: "lost"}}, []string{"stages"}},
		{"duplicate names ignore case", []attain.StageInput{open("Demo", 10), open("demo ", 20), won, lost}, []string{"stages[1].name"}},
		{"blank name", []attain.StageInput{open(" ", 10), won, lost}, []string{"stages[0].name"}},
		{"open stage without probability", []attain.StageInput{{Name: "A"}, won, lost}, []string{"stages[0].probability"}},
		{"open stage at 100", []attain.StageInput{open("A", 100), won, lost}, []string{"stages[0].probability"}},
		{"falling probability", []attain.StageInput{open("A", 50), open("B", 20), won, lost}, []string{"stages[1].probability"}},
		{"won below 100", []attain.StageInput{open("A", 10), {Name: "Won", Outcome: "won", Probability: p(90)}, lost}, []string{"stages[1].probability"}},
		{"lost above 0", []attain.StageInput{open("A", 10), won, {Name: "Lost", Outcome: "lost", Probability: p(5)}}, []string{"stages[2].probability"}},
		{"open after closed", []attain.StageInput{open("A", 10), won, open("B", 20), lost}, []string{"stages[2].outcome"}},
		{"open stage closed_won", []attain.StageInput{{Name: "A", Probability: p(10), ForecastCategory: "closed_won"}, won, lost}, []string{"stages[0].forecast_category"}},
		{"won stage in commit", []attain.StageInput{open("A", 10), {Name: "Won", Outcome: "won", ForecastCategory: "commit"}, lost}, []string{"stages[1].forecast_category"}},
		{"unknown category", []attain.StageInput{{Name: "A", Probability: p(10), ForecastCategory: "maybe"}, won, lost}, []string{"stages[0].forecast_category"}},
		{"unknown outcome", []attain.StageInput{open("A", 10), {Name: "X", Outcome: "stalled"}, won, lost}, []string{"stages[1].outcome"}},
		{"closed stage with criteria", []attain.StageInput{open("A", 10), {Name: "Won", Outcome: "won", ExitCriteria: attain.ExitCriteria{Fields: []string{"amount"}}}, lost},
			[]string{"stages[1].exit_criteria"}},
		{"unknown exit field", []attain.StageInput{{Name: "A", Probability: p(10), ExitCriteria: attain.ExitCriteria{Fields: []string{"amount", "budget", "custom.budget_ok", "custom.Bad Key"}}}, won, lost},
			[]string{"stages[0].exit_criteria.fields[1]", "stages[0].exit_criteria.fields[3]"}},
		{"bad activity requirement", []attain.StageInput{{Name: "A", Probability: p(10), ExitCriteria: attain.ExitCriteria{Activities: []attain.ActivityRequirement{{Type: ""}, {Type: "demo", Count: 101}}}}, won, lost},
			[]string{"stages[0].exit_criteria.activities[0].type", "stages[0].exit_criteria.activities[1].count"}},
		{"repeated stage id", []attain.StageInput{{ID: p64(4), Name: "A", Probability: p(10)}, {ID: p64(4), Name: "B", Probability: p(10)}, won, lost}, []string{"stages[1].id"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := attain.StagesInput{Stages: c.stages}
			if got := invalidFields(in.Validate()); !slices.Equal(got, c.want) {
				t.Errorf("fields %v, want %v", got, c.want)
			}
		})
	}
}

func p64(n int64) *int64 { return &n }

func TestValidateStagesDefaults(t *testing.T) {
	in := attain.StagesInput{Stages: []attain.StageInput{{Name: "A", Probability: new(int)}, {Name: "Won", Outcome: "won"}, {Name: "Lost", Outcome: "lost"}}}
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	s := in.Stages
	if s[0].Outcome != "open" || s[0].ForecastCategory != "pipeline" || *s[1].Probability != 100 || s[1].ForecastCategory != "closed_won" ||
		*s[2].Probability != 0 || s[2].ForecastCategory != "closed_lost" || s[0].ExitCriteria.Fields == nil {
		t.Errorf("defaults: %+v %+v %+v", s[0], s[1], s[2])
	}
}

func TestDefaultPipeline(t *testing.T) {
	in := attain.DefaultPipeline()
	if err := in.Validate(); err != nil {
		t.Fatalf("the default pipeline is invalid: %v", err)
	}
	var names []string
	for _, s := range in.Stages {
		names = append(names, s.Name)
		if s.BuyerStep == "" && s.Outcome != "lost" {
			t.Errorf("stage %s has no buyer step", s.Name)
		}
	}
	if !slices.Equal(names, []string{"Qualified", "Demo scheduled", "Demo completed", "Trial", "Contract sent", "Won", "Lost"}) {
		t.Errorf("stages %v", names)
	}
}

func TestUnmetExitCriteria(t *testing.T) {
	stage := func(name string, c attain.ExitCriteria) *attain.Stage {
		return &attain.Stage{Name: name, ExitCriteria: c}
	}
	a := stage("A", attain.ExitCriteria{Fields: []string{"amount", "custom.budget_ok"}, Activities: []attain.ActivityRequirement{{Type: "call", Count: 1}}})
	b := stage("B", attain.ExitCriteria{Fields: []string{"amount", "lines"}, Activities: []attain.ActivityRequirement{{Type: "call", Count: 3}, {Type: "meeting", Count: 1}}})
	d := &attain.Deal{Custom: map[string]json.RawMessage{"budget_ok": json.RawMessage(`""`)}}
	got := attain.UnmetExitCriteria(d, []*attain.Stage{a, b}, map[string]int{"call": 2, "meeting": 1})
	want := []attain.FieldError{
		{Field: "amount", Message: "required to leave A"},
		{Field: "custom.budget_ok", Message: "required to leave A"},
		{Field: "lines", Message: "required to leave B"},
		{Field: "activities.call", Message: "3 calls needed, 2 logged"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	d.Amount = 1
	d.Custom["budget_ok"] = json.RawMessage(`true`)
	d.Lines = []*attain.DealLine{{Quantity: 1}}
	if got := attain.UnmetExitCriteria(d, []*attain.Stage{a, b}, map[string]int{"call": 3, "meeting": 1}); len(got) != 0 {
		t.Errorf("all met: %v", got)
	}
}

func TestDealUpdateRefusesMoves(t *testing.T) {
	var u attain.DealUpdate
	if err := json.Unmarshal([]byte(`{"stage_id":3,"status":"won","pipeline_id":2,"reason":"price","close_date":null}`), &u); err != nil {
		t.Fatal(err)
	}
	if got := invalidFields(u.Validate()); !slices.Equal(got, []string{"stage_id", "pipeline_id", "status", "reason", "close_date"}) {
		t.Errorf("fields %v", got)
	}
}
