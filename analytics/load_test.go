package analytics

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/attain-crm/attain"
)

// modelSource is a Source that streams a model's deals and activity
// counts back, one deal's facts together, as the store does: it lets the
// load path be measured and checked without a database.
type modelSource struct{ m *Model }

func (s modelSource) AnalyticsSeq(context.Context, int64) (int64, int64, error) {
	return s.m.seq, 0, nil
}

func (s modelSource) AnalyticsChanges(context.Context, int64, int64, int64) ([]int64, []attain.ActivityBucket, error) {
	return nil, nil, nil
}

func (s modelSource) PruneAnalyticsChanges(context.Context, int64, int64) error { return nil }

func timeOf(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

func (s modelSource) LoadDealFacts(_ context.Context, _ int64, ids []int64, sink attain.DealFactSink) error {
	m := s.m
	if ids != nil {
		// Only the deals asked for: a model of just those, streamed whole.
		part := NewModel(m.workspaceID)
		part.ids, part.idIdx, part.strs, part.strIx, part.productSets = m.ids, m.idIdx, m.strs, m.strIx, m.productSets
		part.stays, part.slipLog = m.stays, m.slipLog
		for _, id := range ids {
			if i, ok := m.pos[id]; ok {
				part.deals = append(part.deals, m.deals[i])
			}
		}
		return modelSource{part}.LoadDealFacts(context.Background(), 0, nil, sink)
	}
	statuses := []string{attain.DealOpen, attain.DealWon, attain.DealLost}
	for i := range m.deals {
		d := &m.deals[i]
		f := &attain.DealFact{ID: d.id, OwnerID: m.ids[d.owner], TeamID: m.ids[d.team], PipelineID: m.ids[d.pipeline],
			StageID: m.ids[d.stage], Status: statuses[d.status], Amount: d.amount, Currency: m.strs[d.currency], Margin: d.margin,
			HasMargin: d.flags&flagHasMargin != 0, CloseDateEstimated: d.flags&flagCloseEstimated != 0,
			ForecastOverride: categories[d.override], Reason: m.strs[d.reason], CreatedAt: timeOf(d.created),
			ClosedAt: timeOf(d.closedAt), StageEnteredAt: timeOf(d.stageEntered), LastActivityAt: timeOf(d.lastActivity),
			HasAccount: d.flags&flagHasAccount != 0, HasContact: d.flags&flagHasContact != 0, HasNextStep: d.flags&flagHasNextStep != 0}
		if d.closeDate != 0 {
			f.CloseDate = dateOf(d.closeDate)
		}
		if d.creditOwner != d.owner {
			f.OwnerID = m.ids[d.owner]
		}
		sink.Deal(f)
		for _, h := range m.hist(d) {
			sink.Stay(attain.StageStay{DealID: d.id, StageID: m.ids[h.stage], Entered: timeOf(h.entered), Exited: timeOf(h.exited)})
		}
		for _, p := range m.productSets[d.products] {
			sink.Product(d.id, m.ids[p])
		}
		for _, sl := range m.slips(d) {
			sink.Change(attain.DealFieldChange{DealID: d.id, Field: "close_date", Old: dateOf(sl.old).String(), New: dateOf(sl.new).String(), At: timeOf(sl.at)})
		}
		if d.creditOwner != d.owner {
			sink.Change(attain.DealFieldChange{DealID: d.id, Field: "owner_id", Old: strconv.FormatInt(m.ids[d.creditOwner], 10),
				New: strconv.FormatInt(m.ids[d.owner], 10), At: timeOf(d.closedAt + 1)})
		}
	}
	return nil
}

func (s modelSource) LoadActivityCounts(_ context.Context, _ int64, _ []attain.ActivityBucket, fn func(attain.ActivityCount)) error {
	for owner, list := range s.m.acts {
		for _, a := range list {
			fn(attain.ActivityCount{OwnerID: owner, TypeID: s.m.ids[a.typ], Day: dateOf(a.day), Count: int(a.n)})
		}
	}
	return nil
}

// TestLoadEqualsModel checks that loading what a model streams gives the
// same model.
func TestLoadEqualsModel(t *testing.T) {
	s := newSynth(2000, 10)
	m, err := Load(context.Background(), modelSource{s.model}, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s.model.Dump(), m.Dump()); diff != "" {
		t.Errorf("loaded model differs (-synth +loaded):\n%s", diff)
	}
}

// BenchmarkColdLoad measures a cold load of a whole workspace from a
// source streaming it from memory (the database's share is left out), and
// reports the heap the loaded model holds.
func BenchmarkColdLoad(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("deals=%d", n), func(b *testing.B) {
			src := modelSource{synthOf(n).model}
			var heap uint64
			var cpu time.Duration
			b.ResetTimer()
			for b.Loop() {
				var before, after runtime.MemStats
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&before)
				b.StartTimer()
				start := cpuTime()
				m, err := Load(context.Background(), src, 1, 0)
				if err != nil {
					b.Fatal(err)
				}
				cpu += cpuTime() - start
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&after)
				heap = after.HeapAlloc - before.HeapAlloc
				runtime.KeepAlive(m)
				b.StartTimer()
			}
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
			b.ReportMetric(float64(heap)/float64(n), "bytes/deal")
		})
	}
}

// TestDerivedFollowChanges checks that the calibration and leaderboard
// wins a catch-up updates deal by deal equal ones measured afresh.
func TestDerivedFollowChanges(t *testing.T) {
	db := newSynth(3000, 10) // the "database"
	m, err := Load(context.Background(), modelSource{db.model}, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	cfg, p := db.cfg, db.period()
	v := newView(m, cfg, Scope{})
	before := v.calibration()
	in := RepInput{UserID: db.reps[1], Period: p, Ranked: db.reps}
	Rep(m, cfg, in)
	// Change deals in the database: one won now, one lost, one handed over
	// after its win, one moved on a stage, one deleted.
	var changed []int64
	pick := func(status uint8, k int) *deal {
		for i := range db.model.deals {
			if d := &db.model.deals[i]; d.status == status {
				if k--; k < 0 {
					changed = append(changed, d.id)
					return d
				}
			}
		}
		t.Fatal("no deal to change")
		return nil
	}
	now := db.now.Unix()
	won := pick(statusOpen, 0)
	won.status, won.closedAt, won.amount = statusWon, now-3600, won.amount+12345
	lost := pick(statusOpen, 1)
	lost.status, lost.closedAt = statusLost, now-7200
	handed := pick(statusWon, 2)
	handed.owner = db.model.intern(db.reps[3])
	moved := pick(statusOpen, 3)
	db.model.addStay(moved, stay{stage: moved.stage, entered: now - 100})
	gone := pick(statusLost, 4)
	db.model.remove(gone.id)
	d, err := readDelta(context.Background(), modelSource{db.model}, 1, changed, nil)
	if err != nil {
		t.Fatal(err)
	}
	m.apply(d)
	v = newView(m, cfg, Scope{})
	after := v.calibration()
	if after != before {
		t.Fatal("the calibration was measured again rather than updated")
	}
	fresh := v.calibrate()
	if diff := cmp.Diff(fresh, after, cmp.AllowUnexported(calibration{}, rate{}), cmpopts.IgnoreFields(calibration{}, "open"), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("updated calibration differs from a fresh one (-fresh +updated):\n%s", diff)
	}
	// Past CalibrationLag, the rep's view is computed again whether or not
	// the changes touched the rep.
	later := *cfg
	later.Now = later.Now.Add(CalibrationLag)
	if diff := cmp.Diff(repView(m, &later, in), Rep(m, &later, in)); diff != "" {
		t.Errorf("rep view after the change differs from a fresh one:\n%s", diff)
	}
}
