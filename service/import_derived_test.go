package service_test

import (
	"context"
	"testing"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/analytics"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
	"github.com/google/go-cmp/cmp"
)

// searchIDs returns the ids of the records of a type a search finds.
func (e *dealEnv) searchIDs(q, typ string) []int64 {
	e.t.Helper()
	rs, err := e.svc.Search(e.ctx, e.admin, attain.SearchQuery{Q: q, Types: []string{typ}})
	if err != nil {
		e.t.Fatalf("search %q: %v", q, err)
	}
	var ids []int64
	for _, r := range rs {
		ids = append(ids, r.ID)
	}
	return ids
}

// TestImportKeepsSearchAndAnalytics checks that imports, which load rows
// with the per-row search and analytics triggers paused, leave search and
// the dashboards' model exactly as row-by-row writes would: in every mode,
// for created and updated records, and that a rolled-back import leaves
// nothing paused behind it.
func TestImportKeepsSearchAndAnalytics(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		ws := e.ws.ID
		// The live model is loaded first, so it must follow the imports
		// through the change log, as a running server's does.
		if err := e.svc.Analytics().View(e.ctx, ws, func(*analytics.Model) error { return nil }); err != nil {
			t.Fatal(err)
		}
		sameModel := func(step string) {
			t.Helper()
			live, fresh := modelDump(t, e.svc, db, ws)
			if diff := cmp.Diff(fresh, live); diff != "" {
				t.Fatalf("%s: the live model differs from a fresh load (-fresh +live):\n%s", step, diff)
			}
		}

		imp := e.importCSV(e.admin, attain.KindAccounts, "Company,Website\nZanzibar Trading,zanzibar-trading.example\nQuokka Labs,quokka.example\n",
			attain.ImportOptions{}, false)
		if imp.Created != 2 {
			t.Fatalf("accounts %+v", imp)
		}
		if len(e.searchIDs("zanzibar", "account")) != 1 || len(e.searchIDs("quokka.example", "account")) != 1 {
			t.Fatalf("imported accounts not found by name or domain")
		}

		csv := "External ID,Deal Name,Account,Stage,Amount,Close Date,Won Reason\n" +
			"D-1,Zanzibar expansion,Zanzibar Trading,Qualified,1000,2026-06-30,\n" +
			"D-2,Quokka pilot,quokka.example,Won,2500,2026-01-31,Price\n" +
			"D-3,Quokka renewal,Quokka Labs,Demo scheduled,400,2026-09-30,\n"
		if imp = e.importCSV(e.admin, attain.KindDeals, csv, attain.ImportOptions{}, false); imp.Created != 3 {
			t.Fatalf("deals %+v %+v", imp, e.rejections(e.admin, imp.ID))
		}
		if len(e.searchIDs("expansion", "deal")) != 1 {
			t.Fatalf("imported deal not found")
		}
		sameModel("deals created")

		imp = e.importCSV(e.admin, attain.KindActivities, "Type,Deal,Date\ncall,Zanzibar expansion,2026-05-01 10:00\ndemo,Quokka renewal,2026-05-02 11:00\n",
			attain.ImportOptions{}, false)
		if imp.Created != 2 {
			t.Fatalf("activities %+v %+v", imp, e.rejections(e.admin, imp.ID))
		}
		sameModel("activities created")

		// Updates and moves by key, in skip mode (one bulk load per batch).
		imp = e.importCSV(e.admin, attain.KindDeals, "External ID,Stage,Amount,Deal Name\nD-3,Qualified,900,Quokka renewal 2027\nD-9,Nowhere,,\n",
			attain.ImportOptions{MatchBy: "external_id", Mode: attain.ImportSkipBadRows}, false)
		if imp.Updated != 1 || imp.Rejected != 1 {
			t.Fatalf("update %+v %+v", imp, e.rejections(e.admin, imp.ID))
		}
		if len(e.searchIDs("2027", "deal")) != 1 {
			t.Fatalf("renamed deal not found by its new name")
		}
		sameModel("deals updated")

		// A rolled-back import leaves nothing behind, and nothing paused:
		// a record created afterwards is indexed and counted as usual.
		imp = e.importCSV(e.admin, attain.KindDeals, "Deal Name,Amount\nRolled back,100\n,200\n", attain.ImportOptions{}, false)
		if imp.Rejected != 1 || imp.Created != 0 || len(e.searchIDs("rolled", "deal")) != 0 {
			t.Fatalf("rolled back %+v", imp)
		}
		amount := int64(300)
		if _, err := e.svc.CreateDeal(e.ctx, e.admin, attain.DealInput{Name: "Afterwards", Amount: &amount}); err != nil {
			t.Fatal(err)
		}
		if len(e.searchIDs("afterwards", "deal")) != 1 {
			t.Fatalf("a deal created after a rolled-back import is not indexed")
		}
		sameModel("after a rollback")

		// Other workspaces are never paused by an import.
		other, oadmin, err := e.svc.Bootstrap(context.Background(), "Other", attain.NewUser{Email: "o@other.test", Name: "O", Password: "a long password"})
		if err != nil {
			t.Fatal(err)
		}
		oa, _ := e.svc.ActorFor(e.ctx, other.ID, oadmin.ID)
		if _, err := e.svc.CreateAccount(e.ctx, oa, attain.AccountInput{Name: "Elsewhere Zanzibar"}); err != nil {
			t.Fatal(err)
		}
		rs, err := e.svc.Search(e.ctx, oa, attain.SearchQuery{Q: "zanzibar"})
		if err != nil || len(rs) != 1 {
			t.Fatalf("other workspace search %+v %v", rs, err)
		}
	})
}
