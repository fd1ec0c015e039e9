package service_test

import (
	"bytes"
	"fmt"
	"slices"
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

func TestImportPermissionsAndReferences(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		// rep2's account is invisible to rep; another workspace's account
		// with the same name is never found.
		if _, err := e.svc.CreateAccount(e.ctx, e.rep2, attain.AccountInput{Name: "Hidden Co", Website: "hidden.example"}); err != nil {
			t.Fatal(err)
		}
		other, oadmin, err := e.svc.Bootstrap(e.ctx, "Other Co", attain.NewUser{Email: "admin@other.test", Name: "Other", Password: "a long password"})
		if err != nil {
			t.Fatal(err)
		}
		oa, _ := e.svc.ActorFor(e.ctx, other.ID, oadmin.ID)
		if _, err := e.svc.CreateAccount(e.ctx, oa, attain.AccountInput{Name: "Elsewhere Inc", Website: "elsewhere.example"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.CreateAccount(e.ctx, e.rep, attain.AccountInput{Name: "Mine  LTD", Website: "mine.example"}); err != nil {
			t.Fatal(err)
		}
		csv := "First Name,Last Name,Email,Company,Contact Owner\n" +
			"Ann,Lee,ann@mine.example,mine ltd,\n" + // name matched ignoring case and spacing
			"Bob,Ray,bob@x.example,Hidden Co,\n" + // not visible to rep
			"Cy,Do,cy@x.example,Elsewhere Inc,\n" + // another workspace
			"Di,Fa,di@x.example,mine.example,rep2@deal.test\n" // owner that would hide the record
		imp := e.importCSV(e.rep, attain.KindContacts, csv, attain.ImportOptions{Mode: attain.ImportSkipBadRows}, false)
		rs := e.rejections(e.rep, imp.ID)
		if imp.Created != 1 || imp.Rejected != 3 || len(rs) != 3 || rs[0].Column != "Company" || rs[2].Column != "Contact Owner" {
			t.Fatalf("import %+v rejections %+v", imp, rs)
		}
		cs, _, _ := e.svc.FindContacts(e.ctx, e.rep, attain.ListQuery{})
		if len(cs) != 1 || cs[0].AccountID == nil || cs[0].OwnerID != e.rep.UserID {
			t.Fatalf("contacts %+v", cs)
		}
		// A manager may give records to the reps they manage.
		imp = e.importCSV(e.manager, attain.KindContacts, "Name,Email,Owner\nEve Moss,eve@x.example,rep@deal.test\n", attain.ImportOptions{}, false)
		if imp.Created != 1 {
			t.Fatalf("manager import %+v %+v", imp, e.rejections(e.manager, imp.ID))
		}
		// Products are the workspace's: reps may not import them.
		if _, err := e.svc.CreateImport(e.ctx, e.rep, attain.KindProducts, "p.csv", strings.NewReader("Name,Price\nX,1\n"), attain.ImportOptions{}); attain.ErrorCode(err) != attain.EFORBIDDEN {
			t.Fatalf("rep product import: %v", err)
		}
		// Someone else's import is not found.
		if _, err := e.svc.FindImport(e.ctx, e.rep2, imp.ID); attain.ErrorCode(err) != attain.ENOTFOUND {
			t.Fatalf("rep2 sees manager's import: %v", err)
		}
	})
}

func TestImportUpdateAndFormats(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		if _, err := e.svc.CreateCustomField(e.ctx, e.admin, attain.NewCustomField{EntityType: "account", Key: "arr", Label: "ARR",
			Type: attain.FieldMoney, Purpose: "Sizing"}); err != nil {
			t.Fatal(err)
		}
		csv := "Nom;Site;Secteur;ARR;Date\nAcme;acme.com;Software;1.234,50 €;31/12/2026\n"
		imp := e.importCSV(e.admin, attain.KindAccounts, csv, attain.ImportOptions{Mapping: map[string]string{"Nom": "name", "Site": "website",
			"Secteur": "industry", "ARR": "custom.arr", "Date": ""}, Decimal: ","}, false)
		if imp.Created != 1 {
			t.Fatalf("import %+v %+v", imp, e.rejections(e.admin, imp.ID))
		}
		as, _, _ := e.svc.FindAccounts(e.ctx, e.admin, attain.ListQuery{})
		if as[0].Industry != "software" || string(as[0].Custom["arr"]) != `{"amount":123450,"currency":"EUR"}` {
			t.Fatalf("account %+v %s", as[0], as[0].Custom["arr"])
		}
		// Matching by domain updates the account, with field history.
		imp = e.importCSV(e.admin, attain.KindAccounts, "Website,City\nwww.acme.com,Lyon\nnew.example,Paris\n",
			attain.ImportOptions{MatchBy: "domain", Mode: attain.ImportSkipBadRows}, false)
		if imp.Updated != 1 || imp.Created != 0 || imp.Rejected != 1 {
			t.Fatalf("update %+v %+v", imp, e.rejections(e.admin, imp.ID)) // new.example has no name: rejected
		}
		x, _ := e.svc.FindAccount(e.ctx, e.admin, as[0].ID)
		h, _ := e.svc.FindAccountHistory(e.ctx, e.admin, x.ID)
		if x.City != "Lyon" || x.Name != "Acme" || !slices.ContainsFunc(h, func(c *attain.FieldChange) bool { return c.Field == "city" }) {
			t.Fatalf("updated %+v history %+v", x, h)
		}
		// Deals with picklist labels, closed stages, money and dates.
		csv = "Deal Name,Account,Deal Stage,Amount,Currency,Close Date,Lost Reason\n" +
			"Lost one,Acme,Lost,\"12.000,00\",EUR,15.01.2026,Price\n" +
			"Open one,Acme,Demo scheduled,5000,USD,2026-06-30,\n"
		imp = e.importCSV(e.admin, attain.KindDeals, csv, attain.ImportOptions{DateFormat: "DD.MM.YYYY"}, false)
		if imp.Rejected != 1 {
			t.Fatalf("deals %+v %+v", imp, e.rejections(e.admin, imp.ID)) // 2026-06-30 is not DD.MM.YYYY
		}
		imp = e.importCSV(e.admin, attain.KindDeals, csv, attain.ImportOptions{}, false)
		if imp.Created != 2 {
			t.Fatalf("deals %+v %+v", imp, e.rejections(e.admin, imp.ID))
		}
		ds, _, _ := e.svc.FindDeals(e.ctx, e.admin, attain.ListQuery{Sort: attain.Sort{Field: "amount"}})
		if ds[0].Amount != 500000 || ds[1].Status != attain.DealLost || ds[1].Amount != 1200000 || ds[1].Currency != "EUR" || ds[1].ClosedAt == nil {
			t.Fatalf("deals %+v %+v", ds[0], ds[1])
		}
		// Activities on those deals.
		imp = e.importCSV(e.admin, attain.KindActivities, "Type,Deal,Date,Duration\nDemo,Open one,2026-05-01 10:00,45\ncall,Nope,,\n",
			attain.ImportOptions{Mode: attain.ImportSkipBadRows}, false)
		if imp.Created != 1 || imp.Rejected != 1 {
			t.Fatalf("activities %+v %+v", imp, e.rejections(e.admin, imp.ID))
		}
		d, _ := e.svc.FindDeal(e.ctx, e.admin, ds[0].ID)
		if d.LastActivityAt == nil {
			t.Fatalf("deal last activity not set")
		}
		// Products, with a duplicate name in the file.
		imp = e.importCSV(e.admin, attain.KindProducts, "Product Name,List Price,Cost\nWidget,€10,€4\nwidget,€11,€4\n", attain.ImportOptions{}, false)
		if imp.Rejected != 1 || imp.Created != 0 {
			t.Fatalf("products %+v", imp)
		}
	})
}

// TestImportReadAheadRejections imports a file longer than one batch (the
// file is read a batch ahead of the writes) with a bad row in the first
// batch and a row that is not valid CSV in the second: each is rejected
// once, in file order, and the rest is imported.
func TestImportReadAheadRejections(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		var b strings.Builder
		b.WriteString("Company,Website,Country\n")
		for line := 2; line <= 2501; line++ {
			switch line {
			case 10:
				b.WriteString("Bad Country,bad.example,ZZ\n")
			case 2300:
				b.WriteString("Broken \"quote,broken.example,FR\n")
			default:
				fmt.Fprintf(&b, "Company %d,company%d.example,FR\n", line, line)
			}
		}
		all := e.importCSV(e.admin, attain.KindAccounts, b.String(), attain.ImportOptions{}, false)
		if all.Created != 0 || all.Rejected != 2 || e.count(attain.KindAccounts, e.admin) != 0 {
			t.Fatalf("all or nothing: %+v", all)
		}
		skip := e.importCSV(e.admin, attain.KindAccounts, b.String(), attain.ImportOptions{Mode: attain.ImportSkipBadRows}, false)
		if skip.Created != 2498 || skip.Rejected != 2 || skip.RowsDone != 2499 || e.count(attain.KindAccounts, e.admin) != 2498 {
			t.Fatalf("skip bad rows: %+v, %d accounts", skip, e.count(attain.KindAccounts, e.admin))
		}
		for _, imp := range []*attain.Import{all, skip} {
			rs := e.rejections(e.admin, imp.ID)
			if len(rs) != 2 || rs[0].Line != 10 || rs[0].Field != "country" || rs[1].Line != 2300 || !strings.HasPrefix(rs[1].Reason, "not valid CSV") {
				t.Fatalf("import %d rejections: %+v", imp.ID, rs)
			}
		}
	})
}
