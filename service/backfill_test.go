package service_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// TestBackfillWorkspaces gives workspaces made before the defaults were
// seeded their activity types, picklists and pipeline, once, without
// touching what another workspace has configured.
func TestBackfillWorkspaces(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := service.New(db, slog.New(slog.DiscardHandler), service.FastHasher())
		// A workspace set up as today, whose admin then added a type: the
		// backfill leaves it alone.
		current, admin, err := svc.Bootstrap(ctx, "Current Co", attain.NewUser{Email: "admin@current.test", Name: "Admin", Password: "a long password"})
		if err != nil {
			t.Fatal(err)
		}
		ca, err := svc.ActorFor(ctx, current.ID, admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateActivityType(ctx, ca, attain.NewActivityType{Key: "visit", Name: "Site visit"}); err != nil {
			t.Fatal(err)
		}
		// Two old workspaces: bare, and one that has a pipeline of its own.
		bare := storetest.NewWorkspace(t, db, "Old Co")
		partial := storetest.NewWorkspace(t, db, "Older Co")
		storetest.Write(t, db, func(tx *store.Tx) error {
			if err := tx.SeedPicklists(ctx, partial.ID, attain.DefaultPicklists()[:1]); err != nil {
				return err
			}
			p := attain.PipelineInput{Name: "Own", Stages: []attain.StageInput{
				{Name: "Talking", Probability: new(int), ForecastCategory: attain.ForecastPipeline},
				{Name: "Won", Outcome: attain.OutcomeWon}, {Name: "Lost", Outcome: attain.OutcomeLost}}}
			p.IsDefault = true
			if err := p.Validate(); err != nil {
				return err
			}
			_, err := tx.CreatePipeline(ctx, partial.ID, p, nil)
			return err
		})
		before := snapshot(t, svc, attain.SystemActor(current.ID))

		n, err := svc.BackfillWorkspaces(ctx)
		if err != nil || n != 2 {
			t.Fatalf("backfill = %d, %v; want 2 workspaces", n, err)
		}
		if after := snapshot(t, svc, attain.SystemActor(current.ID)); after != before {
			t.Errorf("a set-up workspace changed:\n%s\nbecame\n%s", before, after)
		}
		for _, c := range []struct {
			ws       *attain.Workspace
			pipeline string
		}{{bare, attain.DefaultPipeline().Name}, {partial, "Own"}} {
			a := attain.SystemActor(c.ws.ID)
			types, err := svc.FindActivityTypes(ctx, a)
			if err != nil || len(types) != len(attain.DefaultActivityTypes) {
				t.Errorf("%s: %d activity types, %v; want the %d defaults", c.ws.Name, len(types), err, len(attain.DefaultActivityTypes))
			}
			ps, err := svc.FindPipelines(ctx, a)
			if err != nil || len(ps) != 1 || ps[0].Name != c.pipeline || !ps[0].IsDefault {
				t.Errorf("%s: pipelines %v, %v; want only %s", c.ws.Name, ps, err, c.pipeline)
			}
			lists, err := svc.FindPicklists(ctx, a, "")
			if err != nil {
				t.Fatal(err)
			}
			have := map[string]int{}
			for _, l := range lists {
				have[l.List] = len(l.Values)
			}
			for _, l := range attain.DefaultPicklists() {
				if have[l.List] != len(l.Values) {
					t.Errorf("%s: picklist %s has %d values, want %d", c.ws.Name, l.List, have[l.List], len(l.Values))
				}
			}
		}
		// A deal can now be made in the bare workspace with the defaults.
		u := storetest.NewMember(t, db, bare, "Rep", attain.RoleRep)
		ra, err := svc.ActorFor(ctx, bare.ID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d, err := svc.CreateDeal(ctx, ra, attain.DealInput{Name: "First"}); err != nil || d.StageName != "Qualified" {
			t.Errorf("deal in a backfilled workspace: %v %v", d, err)
		}
		// Once is enough.
		if n, err := svc.BackfillWorkspaces(ctx); err != nil || n != 0 {
			t.Errorf("second backfill = %d, %v; want 0", n, err)
		}
	})
}

// snapshot describes a workspace's sales process configuration.
func snapshot(t *testing.T, svc *service.Service, a *attain.Actor) string {
	t.Helper()
	ctx := context.Background()
	types, err := svc.FindActivityTypes(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := svc.FindPipelines(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	lists, err := svc.FindPicklists(ctx, a, "")
	if err != nil {
		t.Fatal(err)
	}
	s := ""
	for _, x := range types {
		s += x.Key + " "
	}
	for _, p := range ps {
		s += "|" + p.Name
		for _, st := range p.Stages {
			s += "," + st.Name
		}
	}
	for _, l := range lists {
		s += "|" + l.List
		for _, v := range l.Values {
			s += "," + v.Value
		}
	}
	return s
}
