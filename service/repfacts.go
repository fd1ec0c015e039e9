package service

import (
	"slices"
	"sync"
)

// repFacts are the database facts a rep dashboard adds to the model: which
// of the rep's open deals lack a decision maker, and the key activities
// logged on the deals whose stage asks for some. They are kept per rep
// until the workspace's change counter (deals, activities) or its
// buying-role counter (contact_roles) moves, or the rep's open deals
// differ: one small read instead of two scans of the rep's deals.
type repFacts struct {
	seq, roles   int64
	open, asking []int64
	noDM         map[int64]bool
	logged       map[int64]map[string]int
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
