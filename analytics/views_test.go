package analytics

import (
	"context"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/attain-crm/attain"
)

// changeDeal returns the delta a catch-up would read after deal id was
// changed by fn: the deal's current facts from m, with fn applied to its
// deal row. A nil fn leaves the deal as it is.
func changeDeal(tb testing.TB, m *Model, id int64, fn func(*attain.DealFact)) *delta {
	tb.Helper()
	d := &delta{deals: []int64{id}}
	rec := attain.DealFactSink{
		Deal: func(f *attain.DealFact) {
			c := *f
			if fn != nil {
				fn(&c)
			}
			d.facts = append(d.facts, func(s attain.DealFactSink) { s.Deal(&c) })
		},
		Stay: func(st attain.StageStay) { d.facts = append(d.facts, func(s attain.DealFactSink) { s.Stay(st) }) },
		Product: func(deal, product int64) {
			d.facts = append(d.facts, func(s attain.DealFactSink) { s.Product(deal, product) })
		},
		Change: func(c attain.DealFieldChange) { d.facts = append(d.facts, func(s attain.DealFactSink) { s.Change(c) }) },
	}
	if err := (modelSource{m}).LoadDealFacts(context.Background(), m.workspaceID, []int64{id}, rec); err != nil {
		tb.Fatal(err)
	}
	return d
}

// modelLock returns the lock readers and the writer of m share.
func modelLock(m *Model) *sync.RWMutex { return m.lock }

// viewFixture is a small synthetic workspace whose views the tests ask
// for: 300 deals for each of 10 reps, with two teams made of reps a and c,
// and of b and d.
type viewFixture struct {
	s          *synth
	m          *Model
	cfg        Config
	a, b, c, d int64
}

func newViewFixture(t *testing.T) *viewFixture {
	t.Helper()
	s := newSynth(3000, 10)
	f := &viewFixture{s: s, m: s.model, cfg: *s.cfg, a: s.reps[0], b: s.reps[1], c: s.reps[2], d: s.reps[3]}
	return f
}

func (f *viewFixture) rep(u int64) RepInput {
	return RepInput{UserID: u, Period: f.s.period(), Ranked: f.s.reps}
}

func (f *viewFixture) team(id int64, members ...int64) TeamInput {
	return TeamInput{TeamID: id, Members: members, Period: f.s.period()}
}

// at returns the fixture's configuration with the clock moved on by d.
func (f *viewFixture) at(d time.Duration) *Config {
	c := f.cfg
	c.Now = f.s.now.Add(d)
	return &c
}

// gen returns the change count the view cached under key was computed
// at, -1 when none is cached.
func (f *viewFixture) gen(key string) int64 {
	f.m.cacheMu.Lock()
	defer f.m.cacheMu.Unlock()
	if e := f.m.views[key]; e != nil {
		return e.gen
	}
	return -1
}

// change applies a change to the first open deal of owner, as a catch-up
// would, holding the model's lock.
func (f *viewFixture) change(t *testing.T, owner int64, fn func(*attain.DealFact)) {
	t.Helper()
	o, _ := f.m.lookup(owner)
	var id int64
	for _, i := range f.m.owned[o] {
		if d := &f.m.deals[i]; d.owner == o && d.status == statusOpen {
			id = d.id
			break
		}
	}
	if id == 0 {
		t.Fatalf("rep %d has no open deal", owner)
	}
	d := changeDeal(t, f.m, id, fn)
	f.m.lock.Lock()
	f.m.apply(d)
	f.m.lock.Unlock()
}

// fresh returns a model loaded afresh from f's: what a process starting
// now would compute from.
func (f *viewFixture) fresh(t *testing.T) *Model {
	t.Helper()
	m, err := Load(context.Background(), modelSource{f.m}, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestViewsInvalidatedByOwner checks that a change to a rep's deal drops
// that rep's view and the views of teams holding them, and of the rep the
// deal was handed to, but not the views of other reps and teams.
func TestViewsInvalidatedByOwner(t *testing.T) {
	f := newViewFixture(t)
	cfg := f.at(0)
	keys := map[string]string{}
	for name, in := range map[string]RepInput{"a": f.rep(f.a), "b": f.rep(f.b), "c": f.rep(f.c), "d": f.rep(f.d)} {
		Rep(f.m, cfg, in)
		keys[name] = viewKey("rep", cfg, in)
	}
	for name, in := range map[string]TeamInput{"ac": f.team(1, f.a, f.c), "bd": f.team(2, f.b, f.d)} {
		Team(f.m, cfg, in)
		keys[name] = viewKey("team", cfg, in)
	}
	for name, key := range keys {
		if f.gen(key) != 0 {
			t.Fatalf("view %s not cached", name)
		}
	}

	f.change(t, f.a, func(d *attain.DealFact) { d.Amount += 1_000_00 })
	Rep(f.m, cfg, f.rep(f.a))
	Rep(f.m, cfg, f.rep(f.b))
	Team(f.m, cfg, f.team(1, f.a, f.c))
	Team(f.m, cfg, f.team(2, f.b, f.d))
	for name, want := range map[string]int64{"a": 1, "ac": 1, "b": 0, "bd": 0} {
		if got := f.gen(keys[name]); got != want {
			t.Errorf("after a change to a's deal, view %s computed at change %d, want %d", name, got, want)
		}
	}
	fm := f.fresh(t)
	if diff := cmp.Diff(repView(fm, cfg, f.rep(f.a)), Rep(f.m, cfg, f.rep(f.a))); diff != "" {
		t.Errorf("a's view after a's change differs from a fresh one (-fresh +served):\n%s", diff)
	}

	// A deal handed from a to c touches both: the owner before and after.
	f.change(t, f.a, func(d *attain.DealFact) { d.OwnerID = f.c })
	for _, u := range []int64{f.a, f.b, f.c, f.d} {
		Rep(f.m, cfg, f.rep(u))
	}
	for name, want := range map[string]int64{"a": 2, "c": 2, "b": 0, "d": 0} {
		if got := f.gen(keys[name]); got != want {
			t.Errorf("after a's deal went to c, view %s computed at change %d, want %d", name, got, want)
		}
	}
	fm = f.fresh(t)
	if diff := cmp.Diff(repView(fm, cfg, f.rep(f.c)), Rep(f.m, cfg, f.rep(f.c))); diff != "" {
		t.Errorf("c's view after the handover differs from a fresh one (-fresh +served):\n%s", diff)
	}

	// Past CalibrationLag, b's view reflects the others' changes too.
	later := f.at(CalibrationLag)
	if diff := cmp.Diff(repView(fm, later, f.rep(f.b)), Rep(f.m, later, f.rep(f.b))); diff != "" {
		t.Errorf("b's view past CalibrationLag differs from a fresh one (-fresh +served):\n%s", diff)
	}
}

// TestLeaderboardCurrent checks that a win shows on every rep's
// leaderboard at once, though their cached views are kept.
func TestLeaderboardCurrent(t *testing.T) {
	f := newViewFixture(t)
	cfg := f.at(0)
	Rep(f.m, cfg, f.rep(f.b))
	f.change(t, f.a, func(d *attain.DealFact) {
		d.Status, d.StageID, d.ClosedAt, d.Amount = attain.DealWon, synthWon, f.s.now.Add(-time.Hour), 1_000_000_00
	})
	got := Rep(f.m, cfg, f.rep(f.b))
	if g := f.gen(viewKey("rep", cfg, f.rep(f.b))); g != 0 {
		t.Errorf("b's view computed at change %d, want kept from 0", g)
	}
	want := repView(f.fresh(t), cfg, f.rep(f.b))
	if diff := cmp.Diff(want.Leaderboard, got.Leaderboard); diff != "" {
		t.Errorf("b's leaderboard after a's win differs from a fresh one (-fresh +served):\n%s", diff)
	}
}

// TestCompanyViewRefreshed checks the company view's bound: after a
// change it is served as it was, computed again in the background from
// refreshAfter on, and computed before it is served from StaleBound on;
// refreshed, it equals one computed afresh.
func TestCompanyViewRefreshed(t *testing.T) {
	f := newViewFixture(t)
	p := f.s.period()
	first := Company(f.m, f.at(0), p, synthPipeline)
	key := viewKey("company", f.at(0), p, int64(synthPipeline))

	f.change(t, f.b, func(d *attain.DealFact) { d.Amount += 5_000_00 })
	if got := Company(f.m, f.at(refreshAfter/2), p, synthPipeline); got != first {
		t.Error("within refreshAfter of a change, the company view was computed again")
	}
	if got := Company(f.m, f.at(refreshAfter), p, synthPipeline); got != first {
		t.Error("from refreshAfter, the company view was not served while it was refreshed")
	}
	deadline := time.Now().Add(10 * time.Second)
	for f.gen(key) != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the company view was not refreshed in the background")
		}
		time.Sleep(time.Millisecond)
	}
	fm := f.fresh(t)
	got := Company(f.m, f.at(refreshAfter), p, synthPipeline)
	if diff := cmp.Diff(companyView(fm, f.at(refreshAfter), p, synthPipeline), got); diff != "" {
		t.Errorf("refreshed company view differs from a fresh one (-fresh +served):\n%s", diff)
	}

	f.change(t, f.c, func(d *attain.DealFact) { d.Amount += 5_000_00 })
	got = Company(f.m, f.at(refreshAfter+StaleBound), p, synthPipeline)
	if g := f.gen(key); g != 2 {
		t.Errorf("StaleBound after it was computed, the company view served was computed at change %d, want 2", g)
	}
	fm = f.fresh(t)
	if diff := cmp.Diff(companyView(fm, f.at(refreshAfter+StaleBound), p, synthPipeline), got); diff != "" {
		t.Errorf("company view past StaleBound differs from a fresh one (-fresh +served):\n%s", diff)
	}
}

// TestViewComputedOnce checks that requests asking at once for a view
// that must be computed wait for one computation.
func TestViewComputedOnce(t *testing.T) {
	m := NewModel(1)
	cfg := &Config{Now: time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)}
	var calls atomic.Int32
	release := make(chan struct{})
	fn := func() any {
		calls.Add(1)
		<-release
		return 42
	}
	var wg sync.WaitGroup
	var started sync.WaitGroup
	for range 16 {
		started.Add(1)
		wg.Go(func() {
			m.lock.RLock()
			defer m.lock.RUnlock()
			started.Done()
			if got := m.view("k", cfg, deps{}, fn); got != 42 {
				t.Errorf("view = %v, want 42", got)
			}
		})
	}
	started.Wait()
	for calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("16 requests computed the view %d times, want 1", n)
	}
}

// TestViewsFollowChanges is a property test: through random changes to
// deals (amounts, close dates, owners, wins) and activity days, each view
// served equals one computed from a model loaded afresh: at once for the
// reps and small teams the change touched, past the bounds for all.
func TestViewsFollowChanges(t *testing.T) {
	f := newViewFixture(t)
	rng := rand.New(rand.NewPCG(3, 3))
	p := f.s.period()
	teams := []TeamInput{f.team(1, f.a, f.c), f.team(2, f.b, f.d), f.team(3, f.s.reps[4:]...)}
	elapsed := time.Duration(0)
	for step := range 40 {
		elapsed += time.Duration(rng.IntN(int(StaleBound)))
		cfg := f.at(elapsed)
		// Ask for some views first, so that later ones may be kept.
		for _, u := range f.s.reps {
			Rep(f.m, cfg, f.rep(u))
		}
		for _, tm := range teams {
			Team(f.m, cfg, tm)
		}
		Company(f.m, cfg, p, synthPipeline)

		owner := f.s.reps[rng.IntN(len(f.s.reps))]
		other := f.s.reps[rng.IntN(len(f.s.reps))]
		kind := rng.IntN(5)
		if kind == 4 {
			// An activity day of owner recounted.
			day := attain.DateOf(f.s.now.AddDate(0, 0, -rng.IntN(60)))
			b := attain.ActivityBucket{OwnerID: owner, Day: day}
			d := &delta{buckets: []attain.ActivityBucket{b},
				counts: []attain.ActivityCount{{OwnerID: owner, TypeID: 201, Day: day, Count: 1 + rng.IntN(9)}}}
			f.m.lock.Lock()
			f.m.apply(d)
			f.m.lock.Unlock()
		} else {
			f.change(t, owner, func(d *attain.DealFact) {
				switch kind {
				case 0:
					d.Amount += int64(rng.IntN(10_000_00))
				case 1:
					d.CloseDate = d.CloseDate.AddDays(rng.IntN(40) - 20)
				case 2:
					d.OwnerID = other
				case 3:
					d.Status, d.StageID, d.ClosedAt = attain.DealWon, synthWon, cfg.Now.Add(-time.Hour)
				}
			})
		}
		fm := f.fresh(t)
		touched := []int64{owner}
		if kind == 2 {
			touched = append(touched, other)
		}
		for _, u := range touched {
			if diff := cmp.Diff(repView(fm, cfg, f.rep(u)), Rep(f.m, cfg, f.rep(u))); diff != "" {
				t.Fatalf("step %d: rep %d's view after a change of theirs differs from a fresh one (-fresh +served):\n%s", step, u, diff)
			}
		}
		for _, tm := range teams {
			if !slices.ContainsFunc(touched, func(u int64) bool { return slices.Contains(tm.Members, u) }) {
				continue
			}
			if diff := cmp.Diff(teamView(fm, cfg, tm), Team(f.m, cfg, tm)); diff != "" {
				t.Fatalf("step %d: team %d's view after a change of a member differs from a fresh one (-fresh +served):\n%s", step, tm.TeamID, diff)
			}
		}
		if step%10 == 9 {
			elapsed += CalibrationLag
			later := f.at(elapsed)
			for _, u := range f.s.reps {
				if diff := cmp.Diff(repView(fm, later, f.rep(u)), Rep(f.m, later, f.rep(u))); diff != "" {
					t.Fatalf("step %d: rep %d's view past the bound differs from a fresh one (-fresh +served):\n%s", step, u, diff)
				}
			}
			for _, tm := range teams {
				if diff := cmp.Diff(teamView(fm, later, tm), Team(f.m, later, tm)); diff != "" {
					t.Fatalf("step %d: team %d's view past the bound differs from a fresh one (-fresh +served):\n%s", step, tm.TeamID, diff)
				}
			}
			if diff := cmp.Diff(companyView(fm, later, p, synthPipeline), Company(f.m, later, p, synthPipeline)); diff != "" {
				t.Fatalf("step %d: company view past the bound differs from a fresh one (-fresh +served):\n%s", step, diff)
			}
		}
	}
}

// TestOpenDeals checks that a rep's open deals are those of a pass over
// every deal, after their deals changed hands.
func TestOpenDeals(t *testing.T) {
	f := newViewFixture(t)
	f.change(t, f.a, func(d *attain.DealFact) { d.OwnerID = f.b })
	for _, u := range f.s.reps {
		o, _ := f.m.lookup(u)
		var want []int64
		for i := range f.m.deals {
			if d := &f.m.deals[i]; d.owner == o && d.status == statusOpen {
				want = append(want, d.id)
			}
		}
		slices.Sort(want)
		if diff := cmp.Diff(want, OpenDeals(f.m, u)); diff != "" {
			t.Errorf("open deals of %d (-every deal +owned):\n%s", u, diff)
		}
	}
}

// TestCatchUpBesideLongView checks that a catch-up waiting to apply while
// a view over many deals is being computed does not hold up other readers
// (they would queue behind a waiting writer of the model's lock), and that
// it applies once that view is done.
func TestCatchUpBesideLongView(t *testing.T) {
	f := newViewFixture(t)
	lock := modelLock(f.m)
	Rep(f.m, f.at(0), f.rep(f.a))

	inView, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		lock.RLock()
		defer lock.RUnlock()
		f.m.view("long", f.at(0), deps{lag: true}, func() any {
			close(inView)
			<-release
			return 1
		})
	})
	<-inView

	o, _ := f.m.lookup(f.b)
	id := f.m.deals[f.m.owned[o][0]].id
	d := changeDeal(t, f.m, id, func(d *attain.DealFact) { d.Amount += 1_000_00 })
	committed := make(chan struct{})
	go func() {
		f.m.commit(0, d)
		close(committed)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		f.m.cacheMu.Lock()
		applying := f.m.gate.applying
		f.m.cacheMu.Unlock()
		if applying {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the catch-up did not start")
		}
		time.Sleep(time.Millisecond)
	}

	served := make(chan struct{})
	go func() {
		lock.RLock()
		Rep(f.m, f.at(0), f.rep(f.a))
		lock.RUnlock()
		close(served)
	}()
	select {
	case <-served:
	case <-time.After(10 * time.Second):
		t.Fatal("a rep's view waited for a catch-up waiting for a long view")
	}
	select {
	case <-committed:
		t.Fatal("the catch-up applied while a long view read the model")
	default:
	}
	close(release)
	wg.Wait()
	<-committed
	if got := f.m.deals[f.m.pos[id]].amount; got != d.amount(t, id) {
		t.Errorf("amount after the catch-up = %d, want %d", got, d.amount(t, id))
	}
}

// amount returns the amount d gives deal id.
func (d *delta) amount(t *testing.T, id int64) int64 {
	t.Helper()
	var got int64 = -1
	sink := attain.DealFactSink{
		Deal: func(f *attain.DealFact) {
			if f.ID == id {
				got = f.Amount
			}
		},
		Stay: func(attain.StageStay) {}, Product: func(int64, int64) {}, Change: func(attain.DealFieldChange) {},
	}
	for _, fn := range d.facts {
		fn(sink)
	}
	return got
}

// twoRepSource is a Source with deal 7 of rep 1 and deal 8 of rep 2; every
// change is to deal 7, whose amount is the counter.
type twoRepSource struct{ seq atomic.Int64 }

func (s *twoRepSource) AnalyticsSeq(context.Context, int64) (int64, int64, error) {
	return s.seq.Load(), 0, nil
}

func (s *twoRepSource) AnalyticsChanges(context.Context, int64, int64, int64) ([]int64, []attain.ActivityBucket, error) {
	return []int64{7}, nil, nil
}

func (s *twoRepSource) LoadDealFacts(_ context.Context, _ int64, ids []int64, sink attain.DealFactSink) error {
	if ids == nil || slices.Contains(ids, 7) {
		sink.Deal(&attain.DealFact{ID: 7, OwnerID: 1, Status: attain.DealOpen, Amount: s.seq.Load(), Currency: "EUR"})
	}
	if ids == nil || slices.Contains(ids, 8) {
		sink.Deal(&attain.DealFact{ID: 8, OwnerID: 2, Status: attain.DealOpen, Amount: 1, Currency: "EUR"})
	}
	return nil
}

func (s *twoRepSource) LoadActivityCounts(context.Context, int64, []attain.ActivityBucket, func(attain.ActivityCount)) error {
	return nil
}

func (s *twoRepSource) PruneAnalyticsChanges(context.Context, int64, int64) error { return nil }

// TestUntouchedRepsServedDuringCatchUp checks that while a catch-up waits
// to apply (here for a long view), a request for a rep whose deals it does
// not touch is answered, a request for the rep whose deal changed waits
// and then sees the change, and a view served late is served from the
// cache without waiting.
func TestUntouchedRepsServedDuringCatchUp(t *testing.T) {
	ctx := context.Background()
	src := &twoRepSource{}
	src.seq.Store(1)
	e := NewEngine(src)
	cfg := &Config{Now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	if err := e.View(ctx, 1, func(m *Model) error {
		m.view("late", cfg, deps{lag: true}, func() any { return "cached" })
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	inView, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		_ = e.View(ctx, 1, func(m *Model) error {
			m.view("long", cfg, deps{lag: true}, func() any {
				close(inView)
				<-release
				return 1
			})
			return nil
		})
	})
	<-inView

	src.seq.Store(2)
	amountOf := func(m *Model, id int64) int64 { return m.deals[m.pos[id]].amount }
	var other int64
	if err := e.ViewOf(ctx, 1, []int64{2}, func(m *Model) error {
		other = amountOf(m, 8)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if other != 1 {
		t.Errorf("rep 2's deal amount = %d, want 1", other)
	}
	if !e.Cached(1, func(m *Model) bool {
		v, ok := m.peek("late", cfg, deps{lag: true}, func() any { return "computed" })
		return ok && v == "cached"
	}) {
		t.Error("a view served late was not served from the cache during a catch-up")
	}

	mine := make(chan int64)
	go func() {
		var amount int64
		_ = e.ViewOf(ctx, 1, []int64{1}, func(m *Model) error {
			amount = amountOf(m, 7)
			return nil
		})
		mine <- amount
	}()
	time.Sleep(20 * time.Millisecond)
	select {
	case got := <-mine:
		t.Fatalf("rep 1 was answered (amount %d) before the catch-up of their change applied", got)
	default:
	}
	close(release)
	wg.Wait()
	if got := <-mine; got != 2 {
		t.Errorf("rep 1's deal amount after the catch-up = %d, want 2", got)
	}
}

// TestChangedSince checks what a caller keeping facts of a rep's deals
// learns from the rep's stamp: the deals changed since, the rep's alone,
// nothing when another rep's deal changed, and that a stamp of another
// model tells nothing.
func TestChangedSince(t *testing.T) {
	f := newViewFixture(t)
	sa, sb := f.m.Stamp(f.a), f.m.Stamp(f.b)
	var changed int64
	f.change(t, f.a, func(d *attain.DealFact) { changed = d.ID; d.Amount += 1_00 })
	if f.m.Stamp(f.a) == sa || f.m.Stamp(f.b) != sb {
		t.Errorf("after a change to a's deal: a's stamp moved %v, b's kept %v; want true, true",
			f.m.Stamp(f.a) != sa, f.m.Stamp(f.b) == sb)
	}
	if got, ok := ChangedSince(f.m, f.a, sa); !ok || !slices.Equal(got, []int64{changed}) {
		t.Errorf("a's deals changed = %v, %v; want [%d], true", got, ok, changed)
	}
	if got, ok := ChangedSince(f.m, f.b, sb); !ok || len(got) != 0 {
		t.Errorf("b's deals changed = %v, %v; want none, true", got, ok)
	}
	if got, ok := ChangedSince(f.m, f.a, f.m.Stamp(f.a)); !ok || len(got) != 0 {
		t.Errorf("a's deals changed since now = %v, %v; want none, true", got, ok)
	}
	if _, ok := ChangedSince(f.fresh(t), f.a, sa); ok {
		t.Error("a stamp of another model told which deals changed")
	}
}

// TestViewKeyFields checks that a view's key, written field by field for a
// config with a Key, tells apart inputs differing in any one field, and
// fails when a field is added to what it writes without being written.
func TestViewKeyFields(t *testing.T) {
	for typ, n := range map[reflect.Type]int{reflect.TypeFor[RepInput](): 8, reflect.TypeFor[Target](): 5,
		reflect.TypeFor[attain.Period](): 6} {
		if typ.NumField() != n {
			t.Errorf("%s has %d fields, appendKey writes %d: write the new ones", typ, typ.NumField(), n)
		}
	}
	f := newViewFixture(t)
	cfg := f.at(0)
	cfg.Key = "k"
	base := f.rep(f.a)
	base.FactsKey = "facts"
	keys := map[string]string{}
	add := func(name string, c *Config, in RepInput) {
		k := viewKey("rep", c, in)
		for other, ok := range keys {
			if ok == k {
				t.Errorf("%s has the key of %s", name, other)
			}
		}
		keys[name] = k
	}
	add("base", cfg, base)
	for name, change := range map[string]func(*RepInput){
		"user":       func(in *RepInput) { in.UserID++ },
		"name":       func(in *RepInput) { in.Name = "x" },
		"period":     func(in *RepInput) { in.Period.Key = "x" },
		"facts":      func(in *RepInput) { in.FactsKey = "other" },
		"ranked":     func(in *RepInput) { in.Ranked = in.Ranked[1:] },
		"show names": func(in *RepInput) { in.ShowNames = !in.ShowNames },
	} {
		in := base
		change(&in)
		add(name, cfg, in)
	}
	for name, change := range map[string]func(*Config){
		"config key": func(c *Config) { c.Key = "other" },
		"currency":   func(c *Config) { c.Currency = "XTS" },
		"targets":    func(c *Config) { c.Targets = append(slices.Clone(c.Targets), Target{Kind: TargetRevenue, Amount: 1}) },
	} {
		c := *cfg
		change(&c)
		add(name, &c, base)
	}
	later := *cfg
	later.Now = later.Now.Add(time.Hour)
	if viewKey("rep", &later, base) != keys["base"] {
		t.Error("the clock changed the key")
	}
}
