package store_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// TestPrefixFilter checks name[prefix] on each engine: case-insensitive,
// wildcards literal, and exactly the names starting with the prefix, at the
// edges of the range the filter becomes (store/list.go's prefixCond).
func TestPrefixFilter(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := storetest.NewWorkspace(t, db, "Prefixes")
		rep := storetest.NewMember(t, db, ws, "Pat Prefix", attain.RoleRep)
		r := storetest.NewRecords(t, db, ws.ID)
		names := []string{"Acme", "acme Corp", "ACMF", "Acm", "Ac", "a%b", "a_b", "axb", "zed", "Zürich", "zürich ag", "züs", "über", "a\U0010FFFF", "a\U0010FFFFb", "b"}
		for _, n := range names {
			r.Deal(rep.ID, n)
			r.Account(rep.ID, n, "")
		}
		var actor *attain.Actor
		storetest.Read(t, db, func(tx *store.Tx) (err error) {
			actor, err = tx.LoadActor(ctx, ws.ID, rep.ID)
			return err
		})
		for _, c := range []struct {
			prefix string
			want   []string
		}{
			{"acm", []string{"Acm", "Acme", "acme Corp", "ACMF"}},
			{"ACME", []string{"Acme", "acme Corp"}},
			{"acme ", []string{"acme Corp"}},
			{"a%", []string{"a%b"}},
			{"a_", []string{"a_b"}},
			{"zü", []string{"Zürich", "zürich ag", "züs"}},
			{"zür", []string{"Zürich", "zürich ag"}},
			{"ü", []string{"über"}},
			{"a\U0010FFFF", []string{"a\U0010FFFF", "a\U0010FFFFb"}},
			{"b", []string{"b"}},
			{"nothing", nil},
			{"", names},
		} {
			q := attain.ListQuery{Filters: []attain.Filter{{Field: "name", Op: attain.OpPrefix, Values: []string{c.prefix}}}, Page: attain.Page{Limit: 100}}
			storetest.Read(t, db, func(tx *store.Tx) error {
				deals, _, err := tx.FindDeals(ctx, actor, q)
				if err != nil {
					return err
				}
				var got []string
				for _, d := range deals {
					got = append(got, d.Name)
				}
				if !sameNames(got, c.want) {
					t.Errorf("deals name[prefix]=%q: %q, want %q", c.prefix, got, c.want)
				}
				accounts, _, err := tx.FindAccounts(ctx, actor, q)
				if err != nil {
					return err
				}
				got = nil
				for _, a := range accounts {
					got = append(got, a.Name)
				}
				if !sameNames(got, c.want) {
					t.Errorf("accounts name[prefix]=%q: %q, want %q", c.prefix, got, c.want)
				}
				return nil
			})
		}
	})
}

func sameNames(got, want []string) bool {
	got, want = slices.Clone(got), slices.Clone(want)
	slices.Sort(got)
	slices.Sort(want)
	return slices.Equal(got, want)
}

// TestDealTotals checks the board's totals on each engine: live deals only,
// by stage and currency, within the actor's visibility and the filters.
func TestDealTotals(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := storetest.NewWorkspace(t, db, "Totals")
		rep := storetest.NewMember(t, db, ws, "Tara Totals", attain.RoleRep)
		other := storetest.NewMember(t, db, ws, "Otto Other", attain.RoleRep)
		r := storetest.NewRecords(t, db, ws.ID)
		deal := func(owner int64, amount int64, currency, status string, deleted bool) {
			v := r.DealValues(owner, "Deal "+strconv.FormatInt(amount, 10))
			v["amount"], v["currency"], v["status"] = amount, currency, status
			if deleted {
				v["deleted_at"] = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
			}
			r.Insert("deals", v)
		}
		deal(rep.ID, 100, "EUR", "open", false)
		deal(rep.ID, 250, "EUR", "open", false)
		deal(rep.ID, 1000, "USD", "won", false)
		deal(rep.ID, 7, "EUR", "open", true)
		deal(other.ID, 40, "EUR", "open", false)
		var repActor, admin *attain.Actor
		storetest.Read(t, db, func(tx *store.Tx) (err error) {
			if repActor, err = tx.LoadActor(ctx, ws.ID, rep.ID); err != nil {
				return err
			}
			admin = &attain.Actor{WorkspaceID: ws.ID, System: true}
			return nil
		})
		pipeline := strconv.FormatInt(r.DealValues(rep.ID, "")["pipeline_id"].(int64), 10)
		for _, c := range []struct {
			name    string
			a       *attain.Actor
			filters []attain.Filter
			want    map[string][2]int64 // currency: count, sum
		}{
			{"rep", repActor, nil, map[string][2]int64{"EUR": {2, 350}, "USD": {1, 1000}}},
			{"admin", admin, []attain.Filter{{Field: "pipeline_id", Values: []string{pipeline}}}, map[string][2]int64{"EUR": {3, 390}, "USD": {1, 1000}}},
			{"open", admin, []attain.Filter{{Field: "pipeline_id", Values: []string{pipeline}}, {Field: "status", Values: []string{"open"}}}, map[string][2]int64{"EUR": {3, 390}}},
			{"probability", repActor, []attain.Filter{{Field: "probability", Op: attain.OpGte, Values: []string{"10"}}}, map[string][2]int64{"EUR": {2, 350}, "USD": {1, 1000}}},
			{"deleted", admin, []attain.Filter{{Field: "deleted_at", Op: attain.OpNull, Values: []string{"false"}}}, map[string][2]int64{"EUR": {1, 7}}},
		} {
			storetest.Read(t, db, func(tx *store.Tx) error {
				ts, err := tx.FindDealTotals(ctx, c.a, c.filters)
				if err != nil {
					return err
				}
				got := map[string][2]int64{}
				for _, x := range ts {
					got[x.Currency] = [2]int64{x.Count, x.Amount}
				}
				if len(got) != len(c.want) {
					t.Errorf("%s: %v, want %v", c.name, got, c.want)
				}
				for k, v := range c.want {
					if got[k] != v {
						t.Errorf("%s: %v, want %v", c.name, got, c.want)
					}
				}
				return nil
			})
		}
	})
}
