package service

import (
	"context"
	"slices"
	"sync"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// repFacts are the database facts a rep dashboard adds to the model: which
// of the rep's open deals lack a decision maker, the key activities logged
// on the deals whose stage asks for some, and the names of the deals it
// listed. They are kept per rep until the workspace's change counter
// (deals, activities) or its buying-role counter (contact_roles) moves, or
// the rep's open deals differ: one small read instead of two scans of the
// rep's deals.
type repFacts struct {
	seq, roles   int64
	open, asking []int64
	noDM         map[int64]bool
	logged       map[int64]map[string]int
	// names holds the names of the deals shown so far (guarded by the
	// cache's mutex).
	names map[int64]string
}

// repFactsMax bounds the cache: past it, it starts again empty.
const repFactsMax = 4096

type repFactsCache struct {
	mu sync.Mutex
	m  map[[2]int64]*repFacts
}

// get returns the rep's facts if they were read at the same counters for
// the same deals. The maps returned are shared: callers only read them.
func (c *repFactsCache) get(workspaceID, userID, seq, roles int64, open, asking []int64) *repFacts {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.m[[2]int64{workspaceID, userID}]
	if f == nil || f.seq != seq || f.roles != roles || !slices.Equal(f.open, open) || !slices.Equal(f.asking, asking) {
		return nil
	}
	return f
}

func (c *repFactsCache) put(workspaceID, userID int64, f *repFacts) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= repFactsMax {
		c.m = map[[2]int64]*repFacts{}
	}
	c.m[[2]int64{workspaceID, userID}] = f
}

// targetsCache keeps each workspace's approved targets of a period until
// the workspace's targets counter moves: every dashboard reads them.
type targetsCache struct {
	mu sync.Mutex
	m  map[targetsKey]keptTargets
}

type targetsKey struct {
	workspaceID int64
	period      string
}

type keptTargets struct {
	seq     int64
	targets []*attain.Target
}

// approvedTargets returns the approved targets of the period, in
// FindTargets' order. The slice and targets are shared: callers only read
// them.
func (s *Service) approvedTargets(ctx context.Context, tx *store.Tx, workspaceID int64, period string) ([]*attain.Target, error) {
	c, err := tx.Counters(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	k := targetsKey{workspaceID, period}
	s.targets.mu.Lock()
	kept, ok := s.targets.m[k]
	s.targets.mu.Unlock()
	if ok && kept.seq == c.Targets {
		return kept.targets, nil
	}
	ts, err := tx.FindTargets(ctx, workspaceID, attain.TargetFilter{Period: period, Status: attain.TargetApproved},
		store.TargetAccess{All: true})
	if err != nil {
		return nil, err
	}
	s.targets.mu.Lock()
	defer s.targets.mu.Unlock()
	if s.targets.m == nil || len(s.targets.m) >= repFactsMax {
		s.targets.m = map[targetsKey]keptTargets{}
	}
	s.targets.m[k] = keptTargets{c.Targets, ts}
	return ts, nil
}
