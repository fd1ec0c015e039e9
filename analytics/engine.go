package analytics

import (
	"context"
	"fmt"
	"strconv"
	"sync"

	"github.com/attain-crm/attain"
)

// Source is where models come from: the database's deals, activity counts
// and the workspace change log. store.DB implements it.
type Source interface {
	// AnalyticsSeq returns the workspace's change counter and the counter
	// up to which its change log was pruned.
	AnalyticsSeq(ctx context.Context, workspaceID int64) (seq, pruned int64, err error)
	// AnalyticsChanges returns the deals and activity days changed after
	// counter value after, up to upto.
	AnalyticsChanges(ctx context.Context, workspaceID, after, upto int64) ([]int64, []attain.ActivityBucket, error)
	// LoadDealFacts streams live deals (all when ids is nil).
	LoadDealFacts(ctx context.Context, workspaceID int64, ids []int64, sink attain.DealFactSink) error
	// LoadActivityCounts streams activity counts (all when buckets is nil).
	LoadActivityCounts(ctx context.Context, workspaceID int64, buckets []attain.ActivityBucket, fn func(attain.ActivityCount)) error
	// PruneAnalyticsChanges drops the change log up to upto.
	PruneAnalyticsChanges(ctx context.Context, workspaceID, upto int64) error
}

// Engine holds one model per workspace, loaded on first use and brought up
// to date before every use: it reads the workspace's change counter (one
// primary-key lookup), and when the counter moved it reloads only the deals
// and activity days that changed since the model's counter. Writes from any
// process, through any path, bump the counter (database triggers), so every
// process sharing the database answers from current data.
type Engine struct {
	src Source

	// MaxDelta is the number of changes above which a model is reloaded
	// from scratch rather than caught up.
	MaxDelta int64
	// KeepChanges is how much of the change log to keep for processes that
	// are behind; older entries are pruned after a catch-up.
	KeepChanges int64

	mu     sync.Mutex
	models map[int64]*entry
}

// entry is one workspace's model and its catch-ups. A catch-up has two
// steps: one request at a time reads what changed from the database
// (reading) and queues it, with the owners it touches; one goroutine at a
// time applies the queue (applier), holding mu exclusively for the
// microseconds that takes, after the long views being computed have ended
// (Model.commit). Readers keep answering from the model as it was
// meanwhile, and a request whose owners no queued change touches does not
// wait for the queue to be applied. mu is also the model's lock
// (Model.lock).
type entry struct {
	mu sync.RWMutex
	m  *Model // set holding mu and smu

	smu     sync.Mutex
	cond    *sync.Cond // on smu: signalled when a read or an apply ends
	applied int64      // counter the model reflects
	readTo  int64      // counter up to which changes are read (applied or queued)
	queue   []pending
	reading bool
	applier bool
}

// pending is a delta read and not yet applied.
type pending struct {
	d      *delta
	to     int64
	owners map[int64]bool // owners it touches, before and after
}

// NewEngine returns an engine over src.
func NewEngine(src Source) *Engine {
	return &Engine{src: src, MaxDelta: 200_000, KeepChanges: 100_000, models: map[int64]*entry{}}
}

// View runs fn with the current model of a workspace, read-only. fn must
// not keep the model after it returns, and should not read the database:
// a catch-up waits for every fn running to return before it applies.
func (e *Engine) View(ctx context.Context, workspaceID int64, fn func(*Model) error) error {
	return e.view(ctx, workspaceID, nil, fn)
}

// ViewOf is View for fn reading the deals and activities of owners only,
// beside what is kept current deal by deal (the calibration, leaderboard
// wins): changes read from the database but not yet applied are not waited
// for when they touch none of owners. A rep thus sees their own changes at
// once without waiting for others'.
func (e *Engine) ViewOf(ctx context.Context, workspaceID int64, owners []int64, fn func(*Model) error) error {
	if owners == nil {
		owners = []int64{}
	}
	return e.view(ctx, workspaceID, owners, fn)
}

// ViewLoaded is View for a workspace whose model is loaded already: it
// reports false, loading nothing, when there is none. It is for answers the
// database also gives in a fraction of a second, which should not wait the
// seconds a large workspace's load takes (20-70 s at a million deals).
func (e *Engine) ViewLoaded(ctx context.Context, workspaceID int64, fn func(*Model) error) (bool, error) {
	ent := e.entry(workspaceID)
	ent.smu.Lock()
	loaded := ent.m != nil
	ent.smu.Unlock()
	if !loaded {
		return false, nil
	}
	return true, e.View(ctx, workspaceID, fn)
}

// ViewOfAt is ViewOf for a caller that read the workspace's change counter
// itself (store.Counters, in the transaction that read what goes with the
// model): the model reflects at least seq for owners. It saves reading
// the counter again.
func (e *Engine) ViewOfAt(ctx context.Context, workspaceID, seq int64, owners []int64, fn func(*Model) error) error {
	if owners == nil {
		owners = []int64{}
	}
	ent := e.entry(workspaceID)
	if err := e.await(ctx, ent, workspaceID, seq, owners); err != nil {
		return err
	}
	ent.mu.RLock()
	defer ent.mu.RUnlock()
	return fn(ent.m)
}

// Cached runs fn with a workspace's model as it is, without reading the
// change counter or waiting for a catch-up, and reports what fn reports
// (false when there is no model yet). It is for views that may be served
// late (see StaleBound); fn says whether it found one it may serve.
func (e *Engine) Cached(workspaceID int64, fn func(*Model) bool) bool {
	ent := e.entry(workspaceID)
	ent.mu.RLock()
	defer ent.mu.RUnlock()
	return ent.m != nil && fn(ent.m)
}

// view runs fn once the model is current for owners (nil: everyone).
func (e *Engine) view(ctx context.Context, workspaceID int64, owners []int64, fn func(*Model) error) error {
	ent := e.entry(workspaceID)
	if err := e.current(ctx, ent, workspaceID, owners); err != nil {
		return err
	}
	// Others may catch up further meanwhile; the model only moves forward.
	ent.mu.RLock()
	defer ent.mu.RUnlock()
	return fn(ent.m)
}

// Forget drops a workspace's model (it is loaded again on next use).
func (e *Engine) Forget(workspaceID int64) {
	e.mu.Lock()
	delete(e.models, workspaceID)
	e.mu.Unlock()
}

func (e *Engine) entry(workspaceID int64) *entry {
	e.mu.Lock()
	defer e.mu.Unlock()
	ent := e.models[workspaceID]
	if ent == nil {
		ent = &entry{}
		ent.cond = sync.NewCond(&ent.smu)
		e.models[workspaceID] = ent
	}
	return ent
}

// current reads the change counter and waits for the model to reflect it
// for owners (nil: everyone), see await.
func (e *Engine) current(ctx context.Context, ent *entry, workspaceID int64, owners []int64) error {
	seq, _, err := e.src.AnalyticsSeq(ctx, workspaceID)
	if err != nil {
		return fmt.Errorf("analytics counter: %w", err)
	}
	return e.await(ctx, ent, workspaceID, seq, owners)
}

// await returns once ent's model reflects counter seq, or once every
// change up to seq is read and none not yet applied touches owners (when
// not nil). It reads the changes itself when no other request is reading.
func (e *Engine) await(ctx context.Context, ent *entry, workspaceID, seq int64, owners []int64) error {
	ent.smu.Lock()
	defer ent.smu.Unlock()
	for {
		if ent.m != nil && ent.applied >= seq {
			return nil
		}
		if ent.m != nil && ent.readTo >= seq && owners != nil && !ent.touches(owners) {
			return nil
		}
		if (ent.m == nil || ent.readTo < seq) && !ent.reading {
			ent.reading = true
			ent.smu.Unlock()
			err := e.read(ctx, ent, workspaceID)
			ent.smu.Lock()
			ent.reading = false
			ent.cond.Broadcast()
			if err != nil {
				return err
			}
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		ent.cond.Wait()
	}
}

// touches reports whether a queued change touches one of owners. The
// caller holds smu.
func (ent *entry) touches(owners []int64) bool {
	for _, p := range ent.queue {
		for _, o := range owners {
			if p.owners[o] {
				return true
			}
		}
	}
	return false
}

// read reads the changes after those already read up to the newest
// counter and queues them for the applier, or loads the model afresh when
// there is none or it is too far behind. The caller set ent.reading.
func (e *Engine) read(ctx context.Context, ent *entry, workspaceID int64) error {
	seq, pruned, err := e.src.AnalyticsSeq(ctx, workspaceID)
	if err != nil {
		return fmt.Errorf("analytics counter: %w", err)
	}
	ent.smu.Lock()
	m, from := ent.m, ent.readTo
	ent.smu.Unlock()
	if m == nil || from < pruned || seq-from > e.MaxDelta {
		fresh, err := Load(ctx, e.src, workspaceID, seq)
		if err != nil {
			return err
		}
		fresh.lock = &ent.mu
		fresh.sync = func() error { return e.current(context.Background(), ent, workspaceID, nil) }
		ent.smu.Lock()
		for ent.applier {
			ent.cond.Wait()
		}
		ent.mu.Lock()
		ent.m, ent.queue = fresh, nil
		ent.mu.Unlock()
		ent.applied, ent.readTo = seq, seq
		ent.smu.Unlock()
	} else if from < seq {
		deals, buckets, err := e.src.AnalyticsChanges(ctx, workspaceID, from, seq)
		if err != nil {
			return fmt.Errorf("analytics changes: %w", err)
		}
		d, err := readDelta(ctx, e.src, workspaceID, deals, buckets)
		if err != nil {
			return err
		}
		ent.mu.RLock()
		owners := m.ownersOf(d)
		ent.mu.RUnlock()
		ent.smu.Lock()
		ent.queue = append(ent.queue, pending{d: d, to: seq, owners: owners})
		ent.readTo = seq
		start := !ent.applier
		ent.applier = true
		ent.smu.Unlock()
		// The reader applies itself unless a long view is being computed:
		// then a goroutine waits for it, and this request only if its
		// owners are touched.
		if start && m.computingLong() {
			go ent.applyQueue()
		} else if start {
			ent.applyQueue()
		}
	}
	if seq-pruned > 2*e.KeepChanges {
		if err := e.src.PruneAnalyticsChanges(ctx, workspaceID, seq-e.KeepChanges); err != nil {
			return fmt.Errorf("prune analytics changes: %w", err)
		}
	}
	return nil
}

// applyQueue applies the queued changes until there are none left. The
// caller set ent.applier.
func (ent *entry) applyQueue() {
	ent.smu.Lock()
	defer ent.smu.Unlock()
	for len(ent.queue) > 0 {
		m, q := ent.m, ent.queue
		ds := make([]*delta, len(q))
		for i, p := range q {
			ds[i] = p.d
		}
		ent.smu.Unlock()
		m.commit(q[len(q)-1].to, ds...)
		ent.smu.Lock()
		// Changes are queued after these only; a reload (which empties
		// the queue) waits for the applier.
		ent.queue = ent.queue[len(q):]
		ent.applied = q[len(q)-1].to
		ent.cond.Broadcast()
	}
	ent.applier = false
	ent.cond.Broadcast()
}

// Load reads a workspace's model from scratch. seq is the change counter
// read before loading: every change after it will be applied again later,
// so reading newer data than seq is harmless.
func Load(ctx context.Context, src Source, workspaceID, seq int64) (*Model, error) {
	m := NewModel(workspaceID)
	if err := src.LoadDealFacts(ctx, workspaceID, nil, m.sink()); err != nil {
		return nil, fmt.Errorf("load deals: %w", err)
	}
	if err := src.LoadActivityCounts(ctx, workspaceID, nil, m.loadActivityCount); err != nil {
		return nil, fmt.Errorf("load activity counts: %w", err)
	}
	m.sortActivities()
	m.compactHist()
	m.deals = roomy(m.deals) // loading left up to as much room again
	m.seq = seq
	return m, nil
}

// delta is what changed, read from the database and not yet applied: the
// changed deals, their facts in the order the store streamed them, and the
// recounted activity days.
type delta struct {
	owners  []int64 // owners the facts name (deals' and activity days')
	deals   []int64
	facts   []func(attain.DealFactSink)
	buckets []attain.ActivityBucket
	counts  []attain.ActivityCount
}

// readDelta reads the current facts of the given deals and activity days.
func readDelta(ctx context.Context, src Source, workspaceID int64, deals []int64, buckets []attain.ActivityBucket) (*delta, error) {
	d := &delta{deals: deals, buckets: buckets}
	if len(deals) > 0 {
		rec := attain.DealFactSink{
			Deal: func(f *attain.DealFact) {
				c := *f
				d.owners = append(d.owners, c.OwnerID)
				d.facts = append(d.facts, func(s attain.DealFactSink) { s.Deal(&c) })
			},
			Stay: func(st attain.StageStay) { d.facts = append(d.facts, func(s attain.DealFactSink) { s.Stay(st) }) },
			Product: func(deal, product int64) {
				d.facts = append(d.facts, func(s attain.DealFactSink) { s.Product(deal, product) })
			},
			Change: func(c attain.DealFieldChange) {
				if c.Field == "owner_id" {
					for _, v := range []string{c.Old, c.New} {
						if id, err := strconv.ParseInt(v, 10, 64); err == nil {
							d.owners = append(d.owners, id)
						}
					}
				}
				d.facts = append(d.facts, func(s attain.DealFactSink) { s.Change(c) })
			},
		}
		if err := src.LoadDealFacts(ctx, workspaceID, deals, rec); err != nil {
			return nil, fmt.Errorf("reload deals: %w", err)
		}
	}
	if len(buckets) > 0 {
		if err := src.LoadActivityCounts(ctx, workspaceID, buckets, func(c attain.ActivityCount) { d.counts = append(d.counts, c) }); err != nil {
			return nil, fmt.Errorf("recount activities: %w", err)
		}
	}
	for _, b := range buckets {
		d.owners = append(d.owners, b.OwnerID)
	}
	return d, nil
}

// ownersOf returns the owners d touches: those its facts name and the
// current owners of its deals (owned or credited). The caller holds the
// model's lock to read.
func (m *Model) ownersOf(d *delta) map[int64]bool {
	out := map[int64]bool{}
	for _, o := range d.owners {
		out[o] = true
	}
	for _, id := range d.deals {
		if i, ok := m.pos[id]; ok {
			out[m.ids[m.deals[i].owner]] = true
			out[m.ids[m.deals[i].creditOwner]] = true
		}
	}
	return out
}

// apply replaces the changed deals and activity days with d's. Derived
// values are updated by the changed deals' contributions; the owners of
// the changed deals and days are marked touched, which is how cached views
// learn what they may still serve (see Model.view). The caller holds the
// model's lock exclusively.
func (m *Model) apply(d *delta) {
	m.gen++
	changed := map[int64]bool{}
	for _, id := range d.deals {
		if i, ok := m.pos[id]; ok && !changed[id] {
			m.contribute(&m.deals[i], -1)
			m.touch(m.deals[i].owner)
			m.touch(m.deals[i].creditOwner)
		}
		changed[id] = true
		m.remove(id)
	}
	if len(d.facts) > 0 {
		sink := m.sink()
		for _, f := range d.facts {
			f(sink)
		}
	}
	for id := range changed {
		if i, ok := m.pos[id]; ok {
			m.deals[i].changed = uint32(m.gen)
			m.contribute(&m.deals[i], 1)
			m.touch(m.deals[i].owner)
			m.touch(m.deals[i].creditOwner)
		}
	}
	for _, b := range d.buckets {
		m.touched[b.OwnerID] = m.gen
	}
	if len(d.buckets) > 0 {
		m.setActivityCounts(d.buckets, d.counts)
	}
	if len(m.stays) > 2*m.liveStays+4096 || len(m.slipLog) > 2*m.liveSlips+4096 {
		m.compactHist()
	}
}
