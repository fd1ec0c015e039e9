package service_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/analytics"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// TestDealTotalsFromModel checks that board totals answered from the
// analytics model are the store's, for every member (each sees only what
// they may) and the filters a board sends, before and after deals change.
func TestDealTotalsFromModel(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		today := attain.DateOf(time.Now().UTC())
		ptr := func(n int64) *int64 { return &n }
		team := e.manager.TeamIDs[0]
		var deals []*attain.Deal
		for i, a := range []*attain.Actor{e.rep, e.rep2, e.manager, e.admin, e.rep, e.rep2, e.rep, e.admin} {
			in := attain.DealInput{Name: fmt.Sprintf("Deal %d", i), Amount: ptr(int64(1000 * (i + 1)))}
			close := today.AddDays(10 * i)
			in.CloseDate = &close
			if i%3 == 1 {
				in.Currency = "EUR"
			}
			if i%2 == 0 {
				in.StageID = &e.pipeline.Stages[1].ID
			}
			if a == e.rep2 && i > 4 {
				in.TeamID = &team // shared with the manager's team
			}
			deals = append(deals, e.deal(a, in))
		}
		if err := e.svc.DeleteDeal(e.ctx, e.rep, deals[4].ID, 0); err != nil {
			t.Fatal(err)
		}
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		f := func(field, op, v string) attain.Filter {
			return attain.Filter{Field: field, Op: op, Values: []string{v}}
		}
		pipeline := f("pipeline_id", "", id(e.pipeline.ID))
		filterSets := [][]attain.Filter{
			nil,
			{pipeline},
			{pipeline, f("status", "", "open")},
			{pipeline, f("owner_id", "", id(e.rep.UserID))},
			{pipeline, f("team_id", "", id(team))},
			{pipeline, f("stage_id", "", id(e.pipeline.Stages[1].ID))},
			{pipeline, f("close_date", "gte", today.AddDays(15).String()), f("close_date", "lte", today.AddDays(50).String())},
			{f("close_date", "gt", today.AddDays(10).String()), f("close_date", "lt", today.AddDays(60).String())},
			{f("close_date", "eq", today.AddDays(20).String())},
			{f("pipeline_id", "", "999999")},
		}
		for _, fs := range filterSets {
			if _, ok := analytics.BoardQueryOf(fs); !ok {
				t.Fatalf("%v is not answered from the model", fs)
			}
		}
		check := func(when string) {
			t.Helper()
			for _, a := range []*attain.Actor{e.admin, e.manager, e.rep, e.rep2} {
				for _, fs := range filterSets {
					var want []*attain.DealTotal
					err := db.ReadTx(e.ctx, func(tx *store.Tx) (err error) {
						want, err = tx.FindDealTotals(e.ctx, a, fs)
						return err
					})
					if err != nil {
						t.Fatal(err)
					}
					got, err := e.svc.FindDealTotals(e.ctx, a, fs)
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(want, got, cmp.Comparer(func(x, y []*attain.DealTotal) bool {
						return cmp.Equal(nonNilTotals(x), nonNilTotals(y))
					})); diff != "" {
						t.Errorf("%s, user %d, %v (-store +model):\n%s", when, a.UserID, fs, diff)
					}
				}
			}
		}
		// Loaded, as a dashboard would.
		if err := e.svc.Analytics().View(e.ctx, e.ws.ID, func(*analytics.Model) error { return nil }); err != nil {
			t.Fatal(err)
		}
		check("loaded")
		if _, err := e.svc.UpdateDeal(e.ctx, e.admin, deals[0].ID, 0, attain.DealUpdate{Amount: ptr(77_00), OwnerID: &e.rep2.UserID}); err != nil {
			t.Fatal(err)
		}
		e.mustMove(e.rep2, deals[1], e.pipeline.Stages[1].Name, attain.MoveInput{})
		if err := e.svc.DeleteDeal(e.ctx, e.admin, deals[3].ID, 0); err != nil {
			t.Fatal(err)
		}
		e.deal(e.rep, attain.DealInput{Name: "Late", Amount: ptr(5), Currency: "GBP"})
		check("after changes")
	})
}

func nonNilTotals(ts []*attain.DealTotal) []*attain.DealTotal {
	if ts == nil {
		return []*attain.DealTotal{}
	}
	return ts
}

// TestDealTotalsFilters checks which filters the model answers: anything
// it cannot answer exactly is left to the store.
func TestDealTotalsFilters(t *testing.T) {
	f := func(field, op string, vs ...string) attain.Filter {
		return attain.Filter{Field: field, Op: op, Values: vs}
	}
	for _, c := range []struct {
		fs []attain.Filter
		ok bool
	}{
		{[]attain.Filter{f("pipeline_id", "", "3"), f("close_date", "gte", "2026-01-01")}, true},
		{[]attain.Filter{f("pipeline_id", "eq", "3"), f("status", "", "won")}, true},
		{[]attain.Filter{f("pipeline_id", "in", "3,4")}, false},
		{[]attain.Filter{f("pipeline_id", "", "3", "4")}, false},
		{[]attain.Filter{f("pipeline_id", "", "3"), f("pipeline_id", "", "4")}, false},
		{[]attain.Filter{f("team_id", "", "0")}, false},
		{[]attain.Filter{f("owner_id", "", "x")}, false},
		{[]attain.Filter{f("status", "", "Open")}, false},
		{[]attain.Filter{f("close_date", "ne", "2026-01-01")}, false},
		{[]attain.Filter{f("close_date", "gte", "2026-02-30")}, false},
		{[]attain.Filter{f("currency", "", "USD")}, false},
		{[]attain.Filter{f("deleted_at", "null", "false")}, false},
	} {
		if _, ok := analytics.BoardQueryOf(c.fs); ok != c.ok {
			t.Errorf("BoardQueryOf(%v) ok = %v, want %v", c.fs, ok, c.ok)
		}
	}
}
