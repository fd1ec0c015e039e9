package analytics

import (
	"sync"
	"time"
)

// StaleBound is how late a large view may be served, CalibrationLag how
// late any other. A view reads some owners' deals and activities (its
// scope; the company's: everyone's), the clock (ages, stalled deals) and,
// beside its scope, the forecast calibration, a measure of the whole
// workspace's history that one change moves by a hair. The rule, by the
// clock of the request (Config.Now):
//
//   - A view over many deals (the company's, a large team's: more than
//     lagDeals deals) is served as it was computed for StaleBound, whatever
//     changed; from refreshAfter on it is computed again in the background
//     while the old one is served. All its figures are then at most
//     StaleBound late, and under steady writes it costs one computation
//     per refreshAfter however many ask for it.
//   - Any other view (a rep's, a small team's) is computed again on the
//     first request after a change to a deal or activity day of its scope,
//     so a rep sees their own change at once. Changes outside its scope
//     only move the calibration: it is then served for CalibrationLag,
//     recomputed in the background from half that on.
//   - A view older than its bound is computed before it is served;
//     requests asking for the same view meanwhile wait for that one
//     computation.
//
// A view served late may be served without catching up at all
// (Engine.Cached, CachedCompany): it was computed on a model current
// then, and a background computation catches up before it starts.
//
// A rep's leaderboard is not taken from the cached view: its ranking,
// shared by every rep, is computed again (once) after every change, from
// wins kept current deal by deal, so it never lags the rep's own row.
const (
	StaleBound     = 2 * time.Second
	CalibrationLag = 30 * time.Second
)

// refreshAfter is the age from which a large view served late is
// recomputed in the background.
const refreshAfter = StaleBound / 2

// lagDeals is the number of deals in scope from which a view is computed
// in the background rather than on the request after a change in scope: a
// scope that large costs more to compute than a dashboard's budget.
const lagDeals = 50_000

// deps says what a view reads: the deals and activities of owners (nil:
// everyone's), and whether changes to them may be served late.
type deps struct {
	owners []int64
	lag    bool
}

// scoped returns the deps of a view over owners (nil: everyone), which
// lags when it covers more than lagDeals deals.
func (m *Model) scoped(owners []int64) deps {
	if owners == nil {
		return deps{lag: true}
	}
	n := 0
	for _, o := range owners {
		if i, ok := m.lookup(o); ok {
			n += len(m.owned[i])
		}
	}
	return deps{owners: owners, lag: n > lagDeals}
}

// cachedView is a computed view with the gen and clock it was computed at.
type cachedView struct {
	val        any
	gen        int64
	at         time.Time
	refreshing bool // a background computation was started
}

// flight is a view being computed; done is closed once val is set. A long
// flight computes a view over many deals (dp.lag), which a catch-up lets
// finish before it takes the model's lock (see Model.commit).
type flight struct {
	done chan struct{}
	gen  int64
	val  any
	long bool
}

// gate is what lets a catch-up apply a delta without making readers wait
// for the longest view being computed. Go's RWMutex blocks new readers
// once a writer waits, so a catch-up waiting for the lock behind a view of
// 70 ms (the company's, at 1M deals) would queue every request behind that
// view. Instead a catch-up first waits, without taking the lock, for the
// long views being computed to end (applying set: no background
// computation starts meanwhile), and only then takes the lock, behind
// short readers alone. All fields are guarded by Model.cacheMu.
type gate struct {
	long     int  // long flights running
	applying bool // a catch-up waits for long to reach 0, then applies
	cond     *sync.Cond
}

// gateCond returns the condition signalled when long drops to 0 or a
// catch-up ends. The caller holds cacheMu.
func (m *Model) gateCond() *sync.Cond {
	if m.gate.cond == nil {
		m.gate.cond = sync.NewCond(&m.cacheMu)
	}
	return m.gate.cond
}

// computingLong reports whether a view over many deals is being computed.
func (m *Model) computingLong() bool {
	m.cacheMu.Lock()
	defer m.cacheMu.Unlock()
	return m.gate.long > 0
}

// commit applies the deltas ds and moves the model to counter seq (when
// above its own): it waits for the long views being computed to end, then
// applies holding the model's lock exclusively.
func (m *Model) commit(seq int64, ds ...*delta) {
	m.cacheMu.Lock()
	m.gate.applying = true
	for m.gate.long > 0 {
		m.gateCond().Wait()
	}
	m.cacheMu.Unlock()
	m.lock.Lock()
	for _, d := range ds {
		m.apply(d)
	}
	m.seq = max(m.seq, seq)
	m.lock.Unlock()
	m.cacheMu.Lock()
	m.gate.applying = false
	m.gateCond().Broadcast()
	m.cacheMu.Unlock()
}

// Freshness of a cached view for a request.
const (
	expired = iota // compute it before serving
	late           // serve it; recompute in the background once refreshAfter old
	current        // nothing it reads changed
)

// freshness says whether e may be served for a request at now. The caller
// holds cacheMu and reads the model (its lock), so gen does not move.
func (m *Model) freshness(e *cachedView, now time.Time, dp deps) int {
	if e.gen == m.gen && e.at.Truncate(time.Minute).Equal(now.Truncate(time.Minute)) {
		return current
	}
	if age := now.Sub(e.at); dp.lag && age < StaleBound || !dp.lag && age < CalibrationLag && !m.touchedSince(dp.owners, e.gen) {
		return late
	}
	return expired
}

// refreshable reports whether a view served late is old enough to be
// computed again in the background.
func refreshable(e *cachedView, now time.Time, dp deps) bool {
	if dp.lag {
		return now.Sub(e.at) >= refreshAfter
	}
	return now.Sub(e.at) >= CalibrationLag/2
}

// touchedSince reports whether a delta after gen changed deals or
// activities of owners (nil: anyone).
func (m *Model) touchedSince(owners []int64, gen int64) bool {
	if owners == nil {
		return m.gen > gen
	}
	for _, o := range owners {
		if m.touched[o] > gen {
			return true
		}
	}
	return false
}

// view returns the view kept under key if it may be served by the rule of
// StaleBound, else computes it with fn, once however many ask at the same
// time. Callers hold the model's lock to read and must not change what it
// returns: concurrent requests share it. fn must depend only on the model,
// cfg and key, and must not keep the model after it returns.
func (m *Model) view(key string, cfg *Config, dp deps, fn func() any) any {
	if key == "" {
		return fn()
	}
	now := cfg.Now
	m.cacheMu.Lock()
	if e := m.views[key]; e != nil {
		switch m.freshness(e, now, dp) {
		case current:
			m.cacheMu.Unlock()
			return e.val
		case late:
			if refreshable(e, now, dp) && !e.refreshing && m.flights[key] == nil {
				e.refreshing = true
				go m.refresh(key, cfg, dp, fn)
			}
			m.cacheMu.Unlock()
			return e.val
		}
	}
	// Whoever computes a view holds the model's lock to read, as this
	// request does, so a flight found here reads the same model.
	if f := m.flights[key]; f != nil && f.gen == m.gen {
		m.cacheMu.Unlock()
		<-f.done
		return f.val
	}
	f := m.fly(key, dp.lag)
	m.cacheMu.Unlock()
	return m.land(key, f, now, fn)
}

// peek returns the view kept under key if it is over many deals (dp.lag)
// and may be served by the rule of StaleBound, starting its computation in
// the background when it is old enough; it never computes it. The caller
// holds the model's lock to read.
func (m *Model) peek(key string, cfg *Config, dp deps, fn func() any) (any, bool) {
	if key == "" || !dp.lag {
		return nil, false
	}
	m.cacheMu.Lock()
	defer m.cacheMu.Unlock()
	e := m.views[key]
	if e == nil || m.freshness(e, cfg.Now, dp) == expired {
		return nil, false
	}
	if refreshable(e, cfg.Now, dp) && !e.refreshing && m.flights[key] == nil {
		e.refreshing = true
		go m.refresh(key, cfg, dp, fn)
	}
	return e.val, true
}

// fly registers the computation of the view under key, long when it is
// over many deals. The caller holds cacheMu.
func (m *Model) fly(key string, long bool) *flight {
	f := &flight{done: make(chan struct{}), gen: m.gen, long: long}
	if long {
		m.gate.long++
	}
	if m.flights == nil {
		m.flights = map[string]*flight{}
	}
	m.flights[key] = f
	return f
}

// land computes f's view with fn, keeps it as computed at now and hands it
// to whoever waits for it.
func (m *Model) land(key string, f *flight, now time.Time, fn func() any) any {
	defer close(f.done)
	defer func() {
		m.cacheMu.Lock()
		if m.flights[key] == f {
			delete(m.flights, key)
		}
		if f.long {
			if m.gate.long--; m.gate.long == 0 {
				m.gateCond().Broadcast()
			}
		}
		m.cacheMu.Unlock()
	}()
	f.val = fn()
	m.cacheMu.Lock()
	if m.views == nil || len(m.views) >= maxViews {
		m.views = map[string]*cachedView{}
	}
	m.views[key] = &cachedView{val: f.val, gen: f.gen, at: now}
	m.cacheMu.Unlock()
	return f.val
}

// refresh computes the view under key again in the background. It first
// brings the model up to date (when an Engine keeps it: a view served from
// the cache may not have caught up), does not start while a catch-up waits
// to apply, and reads the model as it is once the lock is had.
func (m *Model) refresh(key string, cfg *Config, dp deps, fn func() any) {
	if m.sync != nil {
		if err := m.sync(); err != nil {
			m.cacheMu.Lock()
			if e := m.views[key]; e != nil {
				e.refreshing = false
			}
			m.cacheMu.Unlock()
			return
		}
	}
	for {
		m.lock.RLock()
		m.cacheMu.Lock()
		if !m.gate.applying {
			break
		}
		m.lock.RUnlock()
		for m.gate.applying {
			m.gateCond().Wait()
		}
		m.cacheMu.Unlock()
	}
	defer m.lock.RUnlock()
	e := m.views[key]
	if m.flights[key] != nil || (e != nil && m.freshness(e, cfg.Now, dp) == current) {
		if e != nil {
			e.refreshing = false
		}
		m.cacheMu.Unlock()
		return
	}
	f := m.fly(key, dp.lag)
	m.cacheMu.Unlock()
	m.land(key, f, cfg.Now, fn)
}
