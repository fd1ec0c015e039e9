package service

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/analytics"
	"github.com/attain-crm/attain/store"
)

// repFacts are the database facts a rep dashboard adds to the model: which
// of the rep's open deals lack a decision maker, the key activities logged
// on the deals whose stage asks for some, and the names of the deals it
// listed. They are kept per rep, with the model's stamp of the rep
// (analytics.Model.Stamp) they were read at; the next request reads again
// only the rep's deals changed since (analytics.ChangedSince), so others'
// writes cost nothing and the rep's own one small read. All are read again
// when the workspace's buying-role counter (contact_roles) or
// configuration moves, or the model was loaded again.
//
// An activity names its deal nowhere the model sees (the change log holds
// its owner and day), but logging, editing or deleting one on a deal
// updates the deal's last activity time (refreshLastActivity), which puts
// the deal in the change log: an activity someone else logs on the rep's
// deal changes the deal in the model.
type repFacts struct {
	stamp        analytics.Stamp
	roles        int64
	config       string // the analytics base's Key
	key          string // names noDM and logged for the model's view cache
	open, asking []int64
	noDM         map[int64]bool
	logged       map[int64]map[string]int
	// names holds the names of the deals shown so far (guarded by the
	// cache's mutex).
	names map[int64]string
}

// repFactsMax bounds the caches: past it, they start again empty.
const repFactsMax = 4096

type repFactsCache struct {
	mu sync.Mutex
	m  map[[2]int64]*repFacts
}

// get returns the rep's facts last kept. They are shared: callers only
// read them.
func (c *repFactsCache) get(workspaceID, userID int64) *repFacts {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[[2]int64{workspaceID, userID}]
}

func (c *repFactsCache) put(workspaceID, userID int64, f *repFacts) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= repFactsMax {
		c.m = map[[2]int64]*repFacts{}
	}
	c.m[[2]int64{workspaceID, userID}] = f
}

// nameDeals names the deals of attention from the names kept with f and
// returns the ids of those it has no name for.
func (c *repFactsCache) nameDeals(f *repFacts, attention []attain.AttentionDeal) []int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var missing []int64
	for i, d := range attention {
		if name, ok := f.names[d.DealID]; ok {
			attention[i].Name = name
		} else {
			missing = append(missing, d.DealID)
		}
	}
	return missing
}

// addNames keeps deals' names with f.
func (c *repFactsCache) addNames(f *repFacts, names map[int64]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	maps.Copy(f.names, names)
}

// next returns the facts for want (stamp, counters and deals set) from the
// facts kept, prev (nil: none), and the deals changed since prev's stamp
// (known: false when that tells nothing): prev itself when nothing it
// holds changed, else want with what is still good of prev copied in, and
// the deals to read again for noDM and logged. The caller reads those
// into want's maps.
func (c *repFactsCache) next(prev, want *repFacts, changed []int64, known bool) (f *repFacts, readOpen, readAsking []int64) {
	want.noDM, want.logged, want.names = map[int64]bool{}, map[int64]map[string]int{}, map[int64]string{}
	want.key = nextKey()
	if prev == nil || !known || prev.roles != want.roles || prev.config != want.config {
		return want, want.open, want.asking
	}
	stale := func(prevIDs []int64) func(int64) bool {
		return func(id int64) bool {
			_, found := slices.BinarySearch(changed, id)
			_, had := slices.BinarySearch(prevIDs, id)
			return found || !had
		}
	}
	openStale, askingStale := stale(prev.open), stale(prev.asking)
	for _, id := range want.open {
		if openStale(id) {
			readOpen = append(readOpen, id)
		}
	}
	for _, id := range want.asking {
		if askingStale(id) {
			readAsking = append(readAsking, id)
		}
	}
	if len(readOpen) == 0 && len(readAsking) == 0 && len(changed) == 0 &&
		slices.Equal(prev.open, want.open) && slices.Equal(prev.asking, want.asking) {
		kept := *prev
		kept.stamp = want.stamp
		return &kept, nil, nil
	}
	for _, id := range want.open {
		if prev.noDM[id] && !openStale(id) {
			want.noDM[id] = true
		}
	}
	for _, id := range want.asking {
		if n := prev.logged[id]; n != nil && !askingStale(id) {
			want.logged[id] = n
		}
	}
	c.mu.Lock()
	for id, name := range prev.names {
		if _, found := slices.BinarySearch(changed, id); !found {
			want.names[id] = name
		}
	}
	c.mu.Unlock()
	return want, readOpen, readAsking
}

// serial numbers what the caches keep, so that view keys can name it.
var serial atomic.Int64

func nextKey() string { return strconv.FormatInt(serial.Add(1), 10) }

// analyticsBase is the part of an analytics request's configuration that
// is the same for everyone in a workspace until its configuration counter
// (migration 00240) moves: the organisation, stages, activity types,
// product names and KPI settings. It is kept per workspace instead of
// being read on every dashboard; everything in it is shared, read only.
type analyticsBase struct {
	seq int64
	org *org // no team managed: see org.forActor
	// pipeline is the default pipeline.
	pipeline int64
	cfg      analytics.Config // but for Now, Currency and Targets
}

type baseCache struct {
	mu sync.Mutex
	m  map[int64]*analyticsBase
}

// analyticsBase returns the workspace's base at configuration counter seq,
// read after it in tx, or kept from an earlier request at the same seq.
func (s *Service) analyticsBase(ctx context.Context, tx *store.Tx, workspaceID, seq int64) (*analyticsBase, error) {
	s.bases.mu.Lock()
	b := s.bases.m[workspaceID]
	s.bases.mu.Unlock()
	if b != nil && b.seq == seq {
		return b, nil
	}
	o, err := readOrg(ctx, tx, workspaceID)
	if err != nil {
		return nil, err
	}
	b = &analyticsBase{seq: seq, org: o}
	// The key names this base, not its counter: two requests reading at
	// the same counter may see different snapshots on PostgreSQL.
	cfg := analytics.Config{Key: nextKey(), Calendar: o.cal, Teams: o.order, UserNames: map[int64]string{}}
	for id, u := range o.members {
		cfg.UserNames[id] = u.Name
	}
	pipelines, err := tx.FindPipelines(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	for _, p := range pipelines {
		if p.IsDefault {
			b.pipeline = p.ID
		}
		cfg.Stages = append(cfg.Stages, p.Stages...)
	}
	if cfg.ActivityTypes, err = tx.FindActivityTypes(ctx, workspaceID); err != nil {
		return nil, err
	}
	if cfg.ProductNames, err = tx.ProductNames(ctx, workspaceID); err != nil {
		return nil, err
	}
	if cfg.Settings, err = findKPISettings(ctx, tx, workspaceID); err != nil {
		return nil, err
	}
	b.cfg = cfg
	s.bases.mu.Lock()
	defer s.bases.mu.Unlock()
	if s.bases.m == nil || len(s.bases.m) >= repFactsMax {
		s.bases.m = map[int64]*analyticsBase{}
	}
	s.bases.m[workspaceID] = b
	return b, nil
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
// FindTargets' order, read after counters c in tx or kept from an earlier
// request at the same targets counter. The slice and targets are shared: callers only read
// them.
func (s *Service) approvedTargets(ctx context.Context, tx *store.Tx, workspaceID int64, c store.Counters, period string) ([]*attain.Target, error) {
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

// warmer computes every member's rep dashboard in the background, once per
// workspace and process, from the workspace's first analytics request on:
// a rep's first dashboard reads all their facts and the names of their
// deals needing attention (40–100 ms at 1M deals), every later one only
// what changed. Off unless WarmRepDashboards turned it on.
type warmer struct {
	mu      sync.Mutex
	on      bool
	started map[int64]bool
}

// WarmRepDashboards turns warming on (the server does; tests and one-shot
// commands need not pay for it).
func (s *Service) WarmRepDashboards() {
	s.warm.mu.Lock()
	defer s.warm.mu.Unlock()
	s.warm.on = true
}

// warmReps starts warming the workspace's rep dashboards for the current
// period in the planning currency, unless it was started before.
func (s *Service) warmReps(workspaceID int64, o *org) {
	s.warm.mu.Lock()
	if !s.warm.on || s.warm.started[workspaceID] {
		s.warm.mu.Unlock()
		return
	}
	if s.warm.started == nil {
		s.warm.started = map[int64]bool{}
	}
	s.warm.started[workspaceID] = true
	s.warm.mu.Unlock()
	ids := slices.Sorted(maps.Keys(o.members))
	go func() {
		start := time.Now()
		ctx, a := context.Background(), attain.SystemActor(workspaceID)
		for _, id := range ids {
			if _, err := s.RepDashboard(ctx, a, id, "", ""); err != nil {
				s.log.Warn("warming rep dashboards", "workspace_id", workspaceID, "user_id", id, "err", err)
				return
			}
		}
		s.log.Info("rep dashboards warmed", "workspace_id", workspaceID, "dashboards", len(ids),
			"duration", time.Since(start).Round(time.Millisecond).String())
	}()
}
