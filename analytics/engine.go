package analytics

import (
	"context"
	"fmt"
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

type entry struct {
	mu sync.RWMutex
	m  *Model
}

// NewEngine returns an engine over src.
func NewEngine(src Source) *Engine {
	return &Engine{src: src, MaxDelta: 200_000, KeepChanges: 100_000, models: map[int64]*entry{}}
}

// View runs fn with the current model of a workspace, read-only. fn must
// not keep the model after it returns.
func (e *Engine) View(ctx context.Context, workspaceID int64, fn func(*Model) error) error {
	ent := e.entry(workspaceID)
	seq, pruned, err := e.src.AnalyticsSeq(ctx, workspaceID)
	if err != nil {
		return fmt.Errorf("analytics counter: %w", err)
	}
	ent.mu.RLock()
	if ent.m != nil && ent.m.seq >= seq {
		defer ent.mu.RUnlock()
		return fn(ent.m)
	}
	ent.mu.RUnlock()

	ent.mu.Lock()
	if err := e.catchUp(ctx, ent, workspaceID, seq, pruned); err != nil {
		ent.mu.Unlock()
		return err
	}
	ent.mu.Unlock()
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

// catchUp brings ent's model to counter seq at least. Caller holds ent.mu.
func (e *Engine) catchUp(ctx context.Context, ent *entry, workspaceID, seq, pruned int64) error {
	m := ent.m
	if m != nil && m.seq >= seq {
		return nil
	}
	if m == nil || m.seq < pruned || seq-m.seq > e.MaxDelta {
		fresh, err := Load(ctx, e.src, workspaceID, seq)
		if err != nil {
			return err
		}
		ent.m = fresh
	} else {
		deals, buckets, err := e.src.AnalyticsChanges(ctx, workspaceID, m.seq, seq)
		if err != nil {
			return fmt.Errorf("analytics changes: %w", err)
		}
		if err := m.apply(ctx, e.src, deals, buckets); err != nil {
			// A half-applied delta leaves the model unknown: drop it.
			ent.m = nil
			return err
		}
		m.seq = seq
		m.resetCache()
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
	m.seq = seq
	return m, nil
}

// apply reloads the given deals and activity days.
func (m *Model) apply(ctx context.Context, src Source, deals []int64, buckets []attain.ActivityBucket) error {
	if len(deals) > 0 {
		for _, id := range deals {
			m.remove(id)
		}
		if err := src.LoadDealFacts(ctx, m.workspaceID, deals, m.sink()); err != nil {
			return fmt.Errorf("reload deals: %w", err)
		}
	}
	if len(buckets) > 0 {
		var counts []attain.ActivityCount
		if err := src.LoadActivityCounts(ctx, m.workspaceID, buckets, func(c attain.ActivityCount) { counts = append(counts, c) }); err != nil {
			return fmt.Errorf("recount activities: %w", err)
		}
		m.setActivityCounts(buckets, counts)
	}
	return nil
}
