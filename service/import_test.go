package service_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// importCSV uploads and runs a file, failing the test on an error.
func (e *dealEnv) importCSV(a *attain.Actor, kind, csv string, opts attain.ImportOptions, dryRun bool) *attain.Import {
	e.t.Helper()
	p, err := e.svc.CreateImport(e.ctx, a, kind, "test.csv", strings.NewReader(csv), opts)
	if err != nil {
		e.t.Fatalf("create import: %v", err)
	}
	imp, err := e.svc.RunImport(e.ctx, a, p.Import.ID, dryRun)
	if err != nil {
		e.t.Fatalf("run import: %v", err)
	}
	return imp
}

func (e *dealEnv) rejections(a *attain.Actor, id int64) []*attain.ImportRejection {
	e.t.Helper()
	rs, _, err := e.svc.FindImportRejections(e.ctx, a, id, attain.Page{Limit: 500})
	if err != nil {
		e.t.Fatalf("rejections: %v", err)
	}
	return rs
}

func (e *dealEnv) count(kind string, a *attain.Actor) int {
	e.t.Helper()
	var buf bytes.Buffer
	n, err := e.svc.Export(e.ctx, a, kind, "csv", attain.ListQuery{}, &buf)
	if err != nil {
		e.t.Fatalf("export: %v", err)
	}
	return int(n)
}

func TestImportMappingGuess(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		// A Salesforce-style opportunity export.
		csv := "Opportunity Name,Account Name,Stage,Amount,Close Date,Opportunity Owner,Unknown Col\n" +
			"Big deal,,Qualified,\"$1,234.50\",2026-03-31,rep@deal.test,x\n"
		p, err := e.svc.CreateImport(e.ctx, e.admin, attain.KindDeals, "sf.csv", strings.NewReader(csv), attain.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"Opportunity Name": "name", "Account Name": "account", "Stage": "stage", "Amount": "amount",
			"Close Date": "close_date", "Opportunity Owner": "owner", "Unknown Col": ""}
		for col, f := range want {
			if p.Mapping[col] != f {
				t.Errorf("mapping[%q] = %q, want %q", col, p.Mapping[col], f)
			}
		}
		if len(p.Sample) != 1 || p.Sample[0][0] != "Big deal" || len(p.Unmapped) != 1 {
			t.Errorf("sample %v unmapped %v", p.Sample, p.Unmapped)
		}
		imp, err := e.svc.RunImport(e.ctx, e.admin, p.Import.ID, false)
		if err != nil || imp.Created != 1 || imp.Rejected != 0 {
			t.Fatalf("run: %+v %v %v", imp, err, e.rejections(e.admin, p.Import.ID))
		}
		ds, _, _ := e.svc.FindDeals(e.ctx, e.admin, attain.ListQuery{})
		if len(ds) != 1 || ds[0].Amount != 123450 || ds[0].CloseDate.String() != "2026-03-31" || ds[0].OwnerID != e.rep.UserID {
			t.Fatalf("deal %+v", ds[0])
		}
		h, err := e.svc.FindDealHistory(e.ctx, e.admin, ds[0].ID)
		if err != nil || len(h.Stages) != 1 {
			t.Fatalf("stage history %+v %v", h, err)
		}
	})
}

func TestImportAllOrNothingAndSkip(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		csv := "Company,Website,Country,Industry\nAcme,acme.com,FR,\nBad,not a site,ZZ,\nGlobex,globex.io,US,Nonsense\nInitech,initech.com,DE,\n"
		imp := e.importCSV(e.admin, attain.KindAccounts, csv, attain.ImportOptions{}, false)
		if imp.Rejected != 2 || imp.Created != 0 || e.count(attain.KindAccounts, e.admin) != 0 {
			t.Fatalf("all or nothing: %+v, %d accounts", imp, e.count(attain.KindAccounts, e.admin))
		}
		rs := e.rejections(e.admin, imp.ID)
		if len(rs) < 3 || rs[0].Line != 3 || rs[0].Column == "" {
			t.Fatalf("rejections %+v", rs)
		}
		dry := e.importCSV(e.admin, attain.KindAccounts, csv, attain.ImportOptions{Mode: attain.ImportSkipBadRows}, true)
		if dry.Created != 2 || dry.Rejected != 2 || !dry.DryRun || e.count(attain.KindAccounts, e.admin) != 0 {
			t.Fatalf("dry run: %+v", dry)
		}
		skip := e.importCSV(e.admin, attain.KindAccounts, csv, attain.ImportOptions{Mode: attain.ImportSkipBadRows}, false)
		if skip.Created != 2 || skip.Rejected != 2 || e.count(attain.KindAccounts, e.admin) != 2 {
			t.Fatalf("skip: %+v", skip)
		}
		as, _, _ := e.svc.FindAccounts(e.ctx, e.admin, attain.ListQuery{})
		ch, err := e.svc.FindAccountHistory(e.ctx, e.admin, as[0].ID)
		if err != nil || len(ch) != 1 || ch[0].Field != "import" || !strings.Contains(string(ch[0].New), "import_id") {
			t.Fatalf("history %+v %v", ch, err)
		}
	})
}

var _ = context.Background
