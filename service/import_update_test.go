package service_test

import (
	"slices"
	"testing"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// dealByExternalID finds the deal an import created with an external id.
func (e *dealEnv) dealByExternalID(ext string) *attain.Deal {
	e.t.Helper()
	ds, _, err := e.svc.FindDeals(e.ctx, e.admin, attain.ListQuery{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, d := range ds {
		if d.ExternalID != nil && *d.ExternalID == ext {
			return d
		}
	}
	e.t.Fatalf("no deal %s", ext)
	return nil
}

func TestImportUpdatesDealsByExternalID(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		byExt := attain.ImportOptions{MatchBy: "external_id", Mode: attain.ImportSkipBadRows}
		imp := e.importCSV(e.admin, attain.KindDeals, "External ID,Deal Name,Stage,Close Date\nD-1,Alpha,Qualified,2026-06-30\nD-2,Beta,Qualified,2026-06-30\n",
			attain.ImportOptions{}, false)
		if imp.Created != 2 {
			t.Fatalf("create %+v %+v", imp, e.rejections(e.admin, imp.ID))
		}
		alpha, beta := e.dealByExternalID("D-1"), e.dealByExternalID("D-2")

		// A dry run counts the update and writes nothing.
		csv := "External ID,Stage,Amount,Next Step\n" +
			"D-1,Demo scheduled,,\n" + // leaving Qualified needs an amount: rejected
			"D-2,Demo scheduled,5000,Send the agenda\n" + // fills it and moves on
			"D-3,Qualified,100,\n" // matches nothing: created, but has no name
		dry := e.importCSV(e.admin, attain.KindDeals, csv, byExt, true)
		if dry.Updated != 1 || dry.Rejected != 2 || e.dealByExternalID("D-2").StageID != beta.StageID {
			t.Fatalf("dry run %+v %+v", dry, e.rejections(e.admin, dry.ID))
		}
		imp = e.importCSV(e.admin, attain.KindDeals, csv, byExt, false)
		rs := e.rejections(e.admin, imp.ID)
		if imp.Updated != 1 || imp.Created != 0 || imp.Rejected != 2 || len(rs) < 2 || rs[0].Line != 2 || rs[0].Field != "amount" {
			t.Fatalf("update %+v %+v", imp, rs)
		}
		demo := e.pipeline.Stages[1]
		d := e.dealByExternalID("D-2")
		if d.StageID != demo.ID || d.Amount != 500000 || d.NextStep != "Send the agenda" || d.Version == beta.Version {
			t.Fatalf("moved deal %+v", d)
		}
		if a := e.dealByExternalID("D-1"); a.StageID != alpha.StageID || a.Version != alpha.Version {
			t.Fatalf("rejected row changed the deal: %+v", a)
		}
		// The move is in the stage history and the field history, as a
		// move through the API would be.
		h, err := e.svc.FindDealHistory(e.ctx, e.admin, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Stages) != 2 || h.Stages[1].StageID != demo.ID || h.Stages[1].FromStageID == nil || *h.Stages[1].FromStageID != beta.StageID ||
			h.Stages[0].ExitedAt == nil {
			t.Fatalf("stage history %+v", h.Stages)
		}
		changed := func(field string) bool {
			return slices.ContainsFunc(h.Changes, func(c *attain.FieldChange) bool { return c.Field == field })
		}
		if !changed("stage_id") || !changed("amount") || !changed("next_step") {
			t.Fatalf("field history %+v", h.Changes)
		}

		// Losing by import needs a reason from the picklist, as a move does.
		imp = e.importCSV(e.admin, attain.KindDeals, "External ID,Stage,Lost Reason\nD-2,Lost,\nD-1,Lost,Price\n", byExt, false)
		if imp.Updated != 1 || imp.Rejected != 1 {
			t.Fatalf("lose %+v %+v", imp, e.rejections(e.admin, imp.ID))
		}
		lost := e.dealByExternalID("D-1")
		if lost.Status != attain.DealLost || lost.ClosedAt == nil || lost.Reason != "price" {
			t.Fatalf("lost deal %+v", lost)
		}
		// The same stage again changes nothing and adds no history.
		imp = e.importCSV(e.admin, attain.KindDeals, "External ID,Stage\nD-2,Demo scheduled\n", byExt, false)
		h2, _ := e.svc.FindDealHistory(e.ctx, e.admin, d.ID)
		if imp.Updated != 1 || len(h2.Stages) != 2 {
			t.Fatalf("same stage %+v, %d stage rows", imp, len(h2.Stages))
		}
	})
}

func TestImportUpdatesActivitiesByExternalID(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		if imp := e.importCSV(e.admin, attain.KindDeals, "Deal Name\nBeta\n", attain.ImportOptions{}, false); imp.Created != 1 {
			t.Fatalf("deal %+v", imp)
		}
		imp := e.importCSV(e.admin, attain.KindActivities, "External ID,Type,Deal,Date\nA-1,call,Beta,2026-05-01 10:00\n", attain.ImportOptions{}, false)
		if imp.Created != 1 {
			t.Fatalf("create %+v %+v", imp, e.rejections(e.admin, imp.ID))
		}
		as, _, _ := e.svc.FindActivities(e.ctx, e.admin, attain.ListQuery{})
		if len(as) != 1 {
			t.Fatalf("activities %+v", as)
		}
		before := as[0]
		imp = e.importCSV(e.admin, attain.KindActivities, "External ID,Outcome,Duration,Sentiment\nA-1,agreed to a demo,30,positive\nA-1,twice,,\n",
			attain.ImportOptions{MatchBy: "external_id", Mode: attain.ImportSkipBadRows}, false)
		if imp.Updated != 1 || imp.Created != 0 || imp.Rejected != 1 {
			t.Fatalf("update %+v %+v", imp, e.rejections(e.admin, imp.ID)) // the second A-1 repeats the key
		}
		x, err := e.svc.FindActivity(e.ctx, e.admin, before.ID)
		if err != nil {
			t.Fatal(err)
		}
		if x.Outcome != "agreed to a demo" || x.DurationMinutes != 30 || x.Sentiment != "positive" || x.Type != "call" ||
			x.DealID == nil || !x.OccurredAt.Equal(*before.OccurredAt) {
			t.Fatalf("updated %+v", x)
		}
		h, err := e.svc.ActivityHistory(e.ctx, e.admin, x.ID)
		if err != nil || !slices.ContainsFunc(h, func(c *attain.FieldChange) bool { return c.Field == "outcome" }) {
			t.Fatalf("history %+v %v", h, err)
		}
		// A rep cannot update an activity they cannot see.
		imp = e.importCSV(e.rep, attain.KindActivities, "External ID,Outcome\nA-1,mine now\n",
			attain.ImportOptions{MatchBy: "external_id", Mode: attain.ImportSkipBadRows}, false)
		if imp.Updated != 0 || imp.Rejected != 1 {
			t.Fatalf("rep update %+v %+v", imp, e.rejections(e.rep, imp.ID))
		}
	})
}

func TestImportCountryNames(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		csv := "Company,Website,Country\nAcme,acme.com,France\nGlobex,globex.io,united states\nInitech,initech.com,DE\nBad,bad.example,Atlantis\n"
		imp := e.importCSV(e.admin, attain.KindAccounts, csv, attain.ImportOptions{Mode: attain.ImportSkipBadRows}, false)
		rs := e.rejections(e.admin, imp.ID)
		if imp.Created != 3 || imp.Rejected != 1 || len(rs) != 1 || rs[0].Field != "country" {
			t.Fatalf("import %+v %+v", imp, rs)
		}
		as, _, _ := e.svc.FindAccounts(e.ctx, e.admin, attain.ListQuery{Sort: attain.Sort{Field: "name"}})
		var got []string
		for _, a := range as {
			got = append(got, a.Country)
		}
		if !slices.Equal(got, []string{"FR", "US", "DE"}) {
			t.Fatalf("countries %v", got)
		}
		imp = e.importCSV(e.admin, attain.KindLeads, "Name,Email,Country\nAnn Lee,ann@x.example,Germany\n", attain.ImportOptions{}, false)
		ls, _, _ := e.svc.FindLeads(e.ctx, e.admin, attain.ListQuery{})
		if imp.Created != 1 || len(ls) != 1 || ls[0].Country != "DE" {
			t.Fatalf("lead %+v %+v", imp, ls)
		}
	})
}
