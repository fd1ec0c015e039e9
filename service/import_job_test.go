package service_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/jobs"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// TestImportBackgroundJob runs a file over SyncImportBytes the way the
// server does: the run request queues a job and answers at once, a job
// worker imports the file, and a client polling the import sees it queued,
// then running with rows and bytes counted, then done.
func TestImportBackgroundJob(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newDealEnv(t, db)
		// Wide rows (a long column nothing imports) keep the file over
		// the threshold with few rows, so the test stays quick under -race.
		var b strings.Builder
		b.WriteString("Company,Website,Country,Notes\n")
		notes := strings.Repeat("n", 400)
		rows := 0
		for b.Len() <= service.SyncImportBytes {
			fmt.Fprintf(&b, "Company number %06d,company-%06d.example,France,%s\n", rows, rows, notes)
			rows++
		}
		fmt.Fprintf(&b, "Bad row,bad.example,Atlantis,\n")
		p, err := e.svc.CreateImport(e.ctx, e.admin, attain.KindAccounts, "big.csv", strings.NewReader(b.String()),
			attain.ImportOptions{Mode: attain.ImportSkipBadRows})
		if err != nil {
			t.Fatal(err)
		}
		imp, err := e.svc.RunImport(e.ctx, e.admin, p.Import.ID, false)
		if err != nil || imp.Status != attain.ImportQueued || imp.JobID == nil {
			t.Fatalf("run: %+v %v", imp, err)
		}
		if _, err := e.svc.RunImport(e.ctx, e.admin, p.Import.ID, false); attain.ErrorCode(err) != attain.ECONFLICT {
			t.Fatalf("second run of a queued import: %v", err)
		}

		r := jobs.New(jobs.Config{DB: db, PollInterval: 10 * time.Millisecond, Workers: 1})
		r.Handle(service.ImportJobKind, e.svc.ImportJob)
		if err := r.Start(e.ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = r.Stop(e.ctx) })

		var last *attain.Import
		sawProgress := false
		deadline := time.Now().Add(5 * time.Minute)
		for {
			x, err := e.svc.FindImport(e.ctx, e.admin, p.Import.ID)
			if err != nil {
				t.Fatal(err)
			}
			if last != nil && (x.RowsDone < last.RowsDone || x.BytesDone < last.BytesDone) {
				t.Fatalf("progress went back: %+v after %+v", x, last)
			}
			if x.Status == attain.ImportRunning && x.RowsDone > 0 && x.RowsDone < int64(rows) && x.BytesDone < x.SizeBytes {
				sawProgress = true
			}
			last = x
			if x.Status == attain.ImportDone || x.Status == attain.ImportFailed || time.Now().After(deadline) {
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
		if last.Status != attain.ImportDone || last.Created != int64(rows) || last.Rejected != 1 ||
			last.RowsDone != int64(rows+1) || last.BytesDone != last.SizeBytes || last.FinishedAt == nil {
			t.Fatalf("finished: %+v (want %d created)", last, rows)
		}
		if !sawProgress {
			t.Errorf("never saw the import running part way through")
		}
		if rs := e.rejections(e.admin, last.ID); len(rs) != 1 || rs[0].Line != int64(rows+2) || rs[0].Field != "country" {
			t.Errorf("rejections %+v", rs)
		}
		if n := e.count(attain.KindAccounts, e.admin); n != rows {
			t.Errorf("%d accounts, want %d", n, rows)
		}
	})
}
