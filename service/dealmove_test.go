package service_test

import (
	"slices"
	"testing"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// TestMoveToAnotherPipeline moves deals between pipelines: to the first
// open stage by default or to a stage given, with the history kept and the
// new pipeline's version recorded, and never as a way around exit criteria.
func TestMoveToAnotherPipeline(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		p := func(n int) *int { return &n }
		renewals, err := e.svc.CreatePipeline(e.ctx, e.admin, attain.PipelineInput{Name: "Renewals", Stages: []attain.StageInput{
			{Name: "Review", Probability: p(50), ForecastCategory: attain.ForecastPipeline, ExitCriteria: attain.ExitCriteria{Fields: []string{"next_step"}}},
			{Name: "Negotiation", Probability: p(80), ForecastCategory: attain.ForecastCommit},
			{Name: "Renewed", Outcome: attain.OutcomeWon},
			{Name: "Churned", Outcome: attain.OutcomeLost},
		}})
		if err != nil {
			t.Fatalf("create pipeline: %v", err)
		}
		// A second version, so the recorded version is not just 1.
		stages := make([]attain.StageInput, len(renewals.Stages))
		for i, s := range renewals.Stages {
			stages[i] = attain.StageInput{ID: &s.ID, Name: s.Name, Probability: &s.Probability, ForecastCategory: s.ForecastCategory,
				Outcome: s.Outcome, ExitCriteria: s.ExitCriteria}
		}
		stages[1].Name = "Negotiating"
		if renewals, err = e.svc.ReplaceStages(e.ctx, e.admin, renewals.ID, 0, attain.StagesInput{Stages: stages}); err != nil {
			t.Fatalf("replace stages: %v", err)
		}
		review, negotiating, renewed := renewals.Stages[0], renewals.Stages[1], renewals.Stages[2]

		d := e.qualified(e.rep)
		moved, err := e.svc.MoveDeal(e.ctx, e.rep, d.ID, d.Version, attain.MoveInput{PipelineID: &renewals.ID})
		if err != nil {
			t.Fatalf("move to Renewals: %v", err)
		}
		if moved.PipelineID != renewals.ID || moved.StageID != review.ID || moved.Status != attain.DealOpen || moved.StageName != "Review" {
			t.Errorf("moved deal in pipeline %d stage %d (%s) %s, want Renewals/Review open", moved.PipelineID, moved.StageID, moved.StageName, moved.Status)
		}
		h, err := e.svc.FindDealHistory(e.ctx, e.rep, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Stages) != 2 {
			t.Fatalf("stage history has %d rows, want 2", len(h.Stages))
		}
		first, second := h.Stages[0], h.Stages[1]
		if first.PipelineID != e.pipeline.ID || first.StageID != e.stage["Qualified"].ID || first.ExitedAt == nil {
			t.Errorf("first stay = %+v, want Qualified in Sales, exited", first)
		}
		if second.PipelineID != renewals.ID || second.PipelineVersion != renewals.CurrentVersion || renewals.CurrentVersion < 2 ||
			second.StageID != review.ID || second.FromStageID == nil || *second.FromStageID != e.stage["Qualified"].ID || second.ExitedAt != nil {
			t.Errorf("second stay = %+v, want Review in Renewals v%d from Qualified", second, renewals.CurrentVersion)
		}
		var changed []string
		for _, c := range h.Changes {
			changed = append(changed, c.Field)
		}
		if !slices.Contains(changed, "pipeline_id") || !slices.Contains(changed, "stage_id") {
			t.Errorf("field changes %v lack pipeline_id and stage_id", changed)
		}

		// Within the new pipeline its own exit criteria apply.
		if _, err := e.svc.MoveDeal(e.ctx, e.rep, d.ID, 0, attain.MoveInput{StageID: negotiating.ID}); err == nil {
			t.Error("left Review without its next step")
		} else if got := fieldNames(fieldErrors(t, err)); !slices.Equal(got, []string{"next_step"}) {
			t.Errorf("refusal names %v, want next_step", got)
		}

		// Entering another pipeline at a later stage needs the criteria of
		// the stages before it there.
		d2 := e.qualified(e.rep)
		_, err = e.svc.MoveDeal(e.ctx, e.rep, d2.ID, 0, attain.MoveInput{PipelineID: &renewals.ID, StageID: renewed.ID, Reason: "price"})
		if got := fieldNames(fieldErrors(t, err)); !slices.Equal(got, []string{"next_step"}) {
			t.Errorf("straight to Renewed: refusal names %v, want next_step", got)
		}
		d2 = e.patch(e.rep, d2, `{"next_step":"Sign"}`)
		d2, err = e.svc.MoveDeal(e.ctx, e.rep, d2.ID, 0, attain.MoveInput{PipelineID: &renewals.ID, StageID: negotiating.ID})
		if err != nil || d2.StageID != negotiating.ID {
			t.Fatalf("to Negotiating with its criteria met: %v", err)
		}
		// And back into the first pipeline's later stages likewise.
		_, err = e.svc.MoveDeal(e.ctx, e.rep, d2.ID, 0, attain.MoveInput{PipelineID: &e.pipeline.ID, StageID: e.stage["Trial"].ID})
		if got := fieldNames(fieldErrors(t, err)); !slices.Equal(got, []string{"activities.demo"}) {
			t.Errorf("back to Sales/Trial: refusal names %v, want activities.demo", got)
		}
		// Losing is always allowed, with a reason.
		d2, err = e.svc.MoveDeal(e.ctx, e.rep, d2.ID, 0, attain.MoveInput{PipelineID: &e.pipeline.ID, StageID: e.stage["Lost"].ID, Reason: "price"})
		if err != nil || d2.Status != attain.DealLost || d2.PipelineID != e.pipeline.ID {
			t.Fatalf("lost into Sales: %v %+v", err, d2)
		}

		// Mistakes name the field and change nothing.
		archived, err := e.svc.CreatePipeline(e.ctx, e.admin, attain.PipelineInput{Name: "Old", Stages: []attain.StageInput{
			{Name: "Open", Probability: p(10), ForecastCategory: attain.ForecastPipeline}, {Name: "Won", Outcome: attain.OutcomeWon}, {Name: "Lost", Outcome: attain.OutcomeLost}}})
		if err != nil {
			t.Fatal(err)
		}
		yes := true
		if _, err := e.svc.UpdatePipeline(e.ctx, e.admin, archived.ID, 0, attain.PipelineUpdate{Archived: &yes}); err != nil {
			t.Fatalf("archive: %v", err)
		}
		d3 := e.qualified(e.rep)
		missing := int64(1 << 40)
		for _, c := range []struct {
			name  string
			in    attain.MoveInput
			field string
		}{
			{"unknown pipeline", attain.MoveInput{PipelineID: &missing}, "pipeline_id"},
			{"archived pipeline", attain.MoveInput{PipelineID: &archived.ID}, "pipeline_id"},
			{"stage of another pipeline", attain.MoveInput{PipelineID: &renewals.ID, StageID: e.stage["Trial"].ID}, "stage_id"},
			{"other pipeline's stage without its id", attain.MoveInput{StageID: review.ID}, "stage_id"},
			{"nothing", attain.MoveInput{}, "stage_id"},
		} {
			_, err := e.svc.MoveDeal(e.ctx, e.rep, d3.ID, 0, c.in)
			if got := fieldNames(fieldErrors(t, err)); !slices.Contains(got, c.field) {
				t.Errorf("%s: refusal names %v, want %s", c.name, got, c.field)
			}
		}
		after, err := e.svc.FindDeal(e.ctx, e.rep, d3.ID)
		if err != nil || after.Version != d3.Version || after.PipelineID != e.pipeline.ID {
			t.Errorf("refused moves changed the deal: %v %+v", err, after)
		}
	})
}
