package analytics

import (
	"context"
	"fmt"
	"slices"
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

// entry is one workspace's model. Catch-ups are serialised by up and do
// their database reads holding it alone, so readers keep answering from the
// model as it was; mu is taken exclusively only to apply a delta already in
// memory (or swap in a fresh model), which takes microseconds. mu is also
// the model's lock (Model.lock), taken by views refreshed in the background.
type entry struct {
	up sync.Mutex
	mu sync.RWMutex
	m  *Model
}

// NewEngine returns an engine over src.
func NewEngine(src Source) *Engine {
	return &Engine{src: src, MaxDelta: 200_000, KeepChanges: 100_000, models: map[int64]*entry{}}
}

// View runs fn with the current model of a workspace, read-only. fn must
// not keep the model after it returns, and should not read the database:
// a catch-up waits for every fn running to return before it applies.
func (e *Engine) View(ctx context.Context, workspaceID int64, fn func(*Model) error) error {
	ent := e.entry(workspaceID)
	seq, _, err := e.src.AnalyticsSeq(ctx, workspaceID)
	if err != nil {
		return fmt.Errorf("analytics counter: %w", err)
	}
	ent.mu.RLock()
	fresh := ent.m != nil && ent.m.seq >= seq
	ent.mu.RUnlock()
	if !fresh {
		if err := e.catchUp(ctx, ent, workspaceID, seq); err != nil {
			return err
		}
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
		e.models[workspaceID] = ent
	}
	return ent
}

// catchUp brings ent's model to counter seq at least: to the newest
// counter, so that requests queued behind this catch-up find the model
// current. The database is read before mu is taken; readers meanwhile use
// the model as it was.
func (e *Engine) catchUp(ctx context.Context, ent *entry, workspaceID, seq int64) error {
	ent.up.Lock()
	defer ent.up.Unlock()
	// Only a catch-up (holding up) changes ent.m and its counter.
	m := ent.m
	if m != nil && m.seq >= seq {
		return nil
	}
	seq, pruned, err := e.src.AnalyticsSeq(ctx, workspaceID)
	if err != nil {
		return fmt.Errorf("analytics counter: %w", err)
	}
	if m == nil || m.seq < pruned || seq-m.seq > e.MaxDelta {
		fresh, err := Load(ctx, e.src, workspaceID, seq)
		if err != nil {
			return err
		}
		fresh.lock = &ent.mu
		ent.mu.Lock()
		ent.m = fresh
		ent.mu.Unlock()
	} else if m.seq < seq {
		deals, buckets, err := e.src.AnalyticsChanges(ctx, workspaceID, m.seq, seq)
		if err != nil {
			return fmt.Errorf("analytics changes: %w", err)
		}
		d, err := readDelta(ctx, e.src, workspaceID, deals, buckets)
		if err != nil {
			return err
		}
		ent.mu.Lock()
		m.apply(d)
		m.seq = seq
		ent.mu.Unlock()
	}
	if seq-pruned > 2*e.KeepChanges {
		if err := e.src.PruneAnalyticsChanges(ctx, workspaceID, seq-e.KeepChanges); err != nil {
			return fmt.Errorf("prune analytics changes: %w", err)
		}
	}
	return nil
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
	m.deals = slices.Clone(m.deals) // exactly sized: loading left up to as much room again
	m.seq = seq
	return m, nil
}

// delta is what changed, read from the database and not yet applied: the
// changed deals, their facts in the order the store streamed them, and the
// recounted activity days.
type delta struct {
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
				d.facts = append(d.facts, func(s attain.DealFactSink) { s.Deal(&c) })
			},
			Stay: func(st attain.StageStay) { d.facts = append(d.facts, func(s attain.DealFactSink) { s.Stay(st) }) },
			Product: func(deal, product int64) {
				d.facts = append(d.facts, func(s attain.DealFactSink) { s.Product(deal, product) })
			},
			Change: func(c attain.DealFieldChange) { d.facts = append(d.facts, func(s attain.DealFactSink) { s.Change(c) }) },
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
	return d, nil
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
