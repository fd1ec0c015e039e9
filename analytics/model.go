// Package analytics keeps an in-memory model of each workspace's deals,
// their stage history and activity counts, and computes KPIs, attainment,
// the system forecast, the funnel planner and the dashboards from it.
//
// A plain SQL GROUP BY over a million deals takes about a second; the same
// aggregation over compact values in memory takes milliseconds. The model
// is loaded lazily per workspace, streamed from the database, and kept
// current from the workspace's change log (see Engine), so several
// processes sharing one PostgreSQL database all answer from fresh data.
package analytics

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/attain-crm/attain"
)

// Deal statuses and flags, kept in a byte each.
const (
	statusOpen uint8 = iota
	statusWon
	statusLost
)

const (
	flagHasMargin uint8 = 1 << iota
	flagCloseEstimated
	flagHasAccount
	flagHasContact
	flagHasNextStep
)

// stay is one stay of a deal in a stage, times in Unix seconds (exited 0
// while the deal is still there).
type stay struct {
	stage   int32
	entered int64
	exited  int64
}

// slip is a change of a deal's close date: when, from which day to which
// (days since 1970-01-01).
type slip struct {
	at       int64
	old, new int32
}

// deal is one deal, compact and free of pointers: ids of owners, teams,
// stages and products are interned to int32, dates are days since 1970,
// times Unix seconds, and the stage history and close-date slips are runs
// in the model's stays and slips arrays. A million deals are then one flat
// array the garbage collector never scans, and a pass over them reads
// about 110 bytes a deal.
type deal struct {
	id           int64
	amount       int64
	margin       int64
	created      int64
	closedAt     int64
	stageEntered int64
	lastActivity int64
	closeDate    int32
	owner        int32 // current owner
	creditOwner  int32 // owner when the deal was won or lost
	team         int32
	pipeline     int32
	stage        int32
	products     int32 // index into Model.productSets; 0 none
	reason       int32 // index into Model.strs
	currency     int32 // index into Model.strs
	histAt       int32 // first stay in Model.stays
	histN        int32
	slipAt       int32 // first slip in Model.slipLog
	slipN        int32
	// changed is the gen of the delta that last changed the deal (0: as
	// loaded); see ChangedSince, which tells nothing past 4 billion deltas.
	changed  uint32
	status   uint8
	override uint8 // forecast category override, index into categories; 0 none
	flags    uint8
}

// actCount is the number of activities of one type on one day.
type actCount struct {
	day int32
	typ int32
	n   int32
}

// Model is one workspace's analytics model. It is not safe for concurrent
// use; Engine guards it.
type Model struct {
	workspaceID int64
	seq         int64 // change counter the model reflects

	deals []deal
	pos   map[int64]int32 // deal id → index in deals

	// stays and slipLog hold every deal's stage history and close-date
	// slips, each deal's a contiguous run; runs left behind by a deal that
	// grew or went away are garbage, packed away when it dominates.
	stays     []stay
	slipLog   []slip
	liveStays int
	liveSlips int

	ids   []int64 // interned ids; index 0 is id 0 ("none")
	idIdx map[int64]int32
	strs  []string
	strIx map[string]int32

	productSets [][]int32
	setIdx      map[string]int32

	// owned lists the positions of each owner's deals (by interned owner;
	// a deal credited to someone else is listed under both).
	owned map[int32][]int32

	// acts holds each owner's activity counts sorted by day then type.
	acts map[int64][]actCount

	// lock is held by readers of the model (Engine.View) and exclusively by
	// a catch-up applying a delta; a view refreshed in the background takes
	// it to read.
	lock *sync.RWMutex
	// gen counts the deltas applied; touched holds, by owner id, the gen of
	// the last delta that changed one of their deals (owned or credited,
	// before or after the change) or activity days. A view scoped to some
	// owners is still valid when none of them was touched since it was
	// computed, but for what it reads of the whole workspace (see view).
	gen     int64
	touched map[int64]int64
	// serial tells models apart (see Stamp): every model gets its own.
	serial int64

	cacheMu sync.Mutex
	// derived are values summed over every deal (the forecast calibration,
	// wins per rep for leaderboards), computed on first use and then kept
	// current by catch-ups: each changed deal's old contribution is taken
	// out and its new one added, instead of a pass over every deal.
	derived map[string]deriver
	// views are computed dashboards and reports by key, each with the gen
	// and clock it was computed at; flights are the views being computed,
	// so that requests asking for one at once compute it once.
	views   map[string]*cachedView
	flights map[string]*flight
	gate    gate
	// sync brings the model up to date; set by the Engine that keeps it,
	// called by views computed in the background.
	sync func() error
}

// deriver is a value derived from the deals that a deal's contribution can
// be added to (sign 1) or taken out of (sign -1).
type deriver interface {
	add(m *Model, d *deal, sign int64)
}

// maxCached bounds the derived values a model keeps, maxViews its views;
// past that they are dropped and computed again as they are asked for.
const (
	maxCached = 256
	maxViews  = 2048
)

// resetCache drops every derived value and view.
func (m *Model) resetCache() {
	m.cacheMu.Lock()
	m.derived, m.views = nil, nil
	m.cacheMu.Unlock()
}

// derive returns the derived value kept under key, computing it with fn
// (over every deal) the first time. fn must depend only on the model and
// key.
func (m *Model) derive(key string, fn func() deriver) deriver {
	m.cacheMu.Lock()
	defer m.cacheMu.Unlock()
	if v, ok := m.derived[key]; ok {
		return v
	}
	if m.derived == nil || len(m.derived) >= maxCached {
		m.derived = map[string]deriver{}
	}
	v := fn()
	m.derived[key] = v
	return v
}

// contribute adds (sign 1) or takes out (sign -1) a deal's contribution to
// every derived value. The caller holds the model exclusively.
func (m *Model) contribute(d *deal, sign int64) {
	for _, v := range m.derived {
		v.add(m, d, sign)
	}
}

// touch records that a delta (gen) changed deals or activities of owner
// (an interned id).
func (m *Model) touch(owner int32) { m.touched[m.ids[owner]] = m.gen }

// Forecast categories in the order of their codes; 0 is "none".
var categories = []string{"", attain.ForecastPipeline, attain.ForecastBestCase, attain.ForecastCommit, attain.ForecastOmitted,
	attain.ForecastClosedWon, attain.ForecastClosedLost}

func categoryCode(c string) uint8 {
	if i := slices.Index(categories, c); i > 0 {
		return uint8(i)
	}
	return 0
}

// NewModel returns an empty model of a workspace.
func NewModel(workspaceID int64) *Model {
	return &Model{
		workspaceID: workspaceID,
		pos:         map[int64]int32{},
		ids:         []int64{0},
		idIdx:       map[int64]int32{0: 0},
		strs:        []string{""},
		strIx:       map[string]int32{"": 0},
		productSets: [][]int32{nil},
		setIdx:      map[string]int32{"": 0},
		acts:        map[int64][]actCount{},
		owned:       map[int32][]int32{},
		touched:     map[int64]int64{},
		serial:      modelSerial.Add(1),
		lock:        new(sync.RWMutex),
	}
}

var modelSerial atomic.Int64

// Stamp marks how far a model has seen an owner's deals and activities.
// Two equal stamps mean that none of them changed in between: what a
// caller read from the database about them at the first may still be
// used at the second.
type Stamp struct{ model, gen int64 }

// Stamp returns the owner's stamp. It moves with every change applied to
// one of the owner's deals (owned or credited, before or after the
// change) or activity days, and when the model is loaded again. The
// caller holds the model's lock to read (in Engine.ViewOf, with the owner
// among those asked for, so that the changes to them are applied).
func (m *Model) Stamp(owner int64) Stamp { return Stamp{m.serial, m.touched[owner]} }

// ChangedSince returns, sorted, the deals the owner holds that changed
// after stamp s was taken from this model, and whether s was: a stamp of
// another model (the model was loaded again) tells nothing, and any deal
// may have changed. With the stamps, a caller keeping facts of an owner's
// deals reads again only the deals that changed. The caller holds the
// model's lock to read.
func ChangedSince(m *Model, owner int64, s Stamp) ([]int64, bool) {
	if s.model != m.serial || m.gen > math.MaxUint32 {
		return nil, false
	}
	o, ok := m.lookup(owner)
	if !ok || m.touched[owner] == s.gen {
		return nil, true
	}
	var out []int64
	for _, i := range m.owned[o] {
		if d := &m.deals[i]; d.owner == o && int64(d.changed) > s.gen {
			out = append(out, d.id)
		}
	}
	slices.Sort(out)
	return out, true
}

// Seq returns the change counter the model reflects.
func (m *Model) Seq() int64 { return m.seq }

// Len returns the number of live deals in the model.
func (m *Model) Len() int { return len(m.deals) }

func (m *Model) intern(id int64) int32 {
	if i, ok := m.idIdx[id]; ok {
		return i
	}
	i := int32(len(m.ids))
	m.ids = append(m.ids, id)
	m.idIdx[id] = i
	return i
}

func (m *Model) lookup(id int64) (int32, bool) {
	i, ok := m.idIdx[id]
	return i, ok
}

func (m *Model) str(s string) int32 {
	if i, ok := m.strIx[s]; ok {
		return i
	}
	i := int32(len(m.strs))
	m.strs = append(m.strs, s)
	m.strIx[s] = i
	return i
}

const daySeconds = 86400

// dayNum returns the days since 1970-01-01 of a date.
func dayNum(d attain.Date) int32 {
	if d.IsZero() {
		return 0
	}
	return int32(d.Time().Unix() / daySeconds)
}

// dayOf returns the day number of a Unix time.
func dayOf(sec int64) int32 {
	if sec < 0 {
		return int32((sec - daySeconds + 1) / daySeconds)
	}
	return int32(sec / daySeconds)
}

func dateOf(day int32) attain.Date {
	return attain.DateOf(time.Unix(int64(day)*daySeconds, 0).UTC())
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// remove drops a deal from the model, if present.
func (m *Model) remove(id int64) {
	i, ok := m.pos[id]
	if !ok {
		return
	}
	m.unindex(i)
	m.liveStays -= int(m.deals[i].histN)
	m.liveSlips -= int(m.deals[i].slipN)
	last := int32(len(m.deals) - 1)
	if i != last {
		m.reindex(last, i)
		m.deals[i] = m.deals[last]
		m.pos[m.deals[i].id] = i
	}
	m.deals[last] = deal{}
	m.deals = m.deals[:last]
	delete(m.pos, id)
}

// owners returns the owners a deal is indexed under: its owner, and the
// owner it is credited to when that is someone else.
func (d *deal) owners() (int32, int32) {
	if d.creditOwner != d.owner {
		return d.owner, d.creditOwner
	}
	return d.owner, -1
}

func (m *Model) index(i int32) {
	a, b := m.deals[i].owners()
	m.owned[a] = append(m.owned[a], i)
	if b >= 0 {
		m.owned[b] = append(m.owned[b], i)
	}
}

func (m *Model) unindex(i int32) {
	a, b := m.deals[i].owners()
	for _, o := range []int32{a, b} {
		if o < 0 {
			continue
		}
		list := m.owned[o]
		if j := slices.Index(list, i); j >= 0 {
			list[j] = list[len(list)-1]
			m.owned[o] = list[:len(list)-1]
		}
	}
}

// reindex records that the deal at position from moves to position to.
func (m *Model) reindex(from, to int32) {
	a, b := m.deals[from].owners()
	for _, o := range []int32{a, b} {
		if o < 0 {
			continue
		}
		if j := slices.Index(m.owned[o], from); j >= 0 {
			m.owned[o][j] = to
		}
	}
}

// sink returns the DealFactSink that adds streamed facts to the model.
// Facts of a deal already in the model replace it.
func (m *Model) sink() attain.DealFactSink {
	var cur *deal // the deal the last stay, product or change was for
	find := func(id int64) *deal {
		if cur != nil && cur.id == id {
			return cur
		}
		i, ok := m.pos[id]
		if !ok {
			cur = nil
			return nil
		}
		cur = &m.deals[i]
		return cur
	}
	var products []int32
	var productDeal int64
	return attain.DealFactSink{
		Deal: func(f *attain.DealFact) {
			cur = nil
			m.remove(f.ID)
			i := int32(len(m.deals))
			m.pos[f.ID] = i
			m.deals = append(grow(m.deals), m.compact(f))
			m.index(i)
		},
		Stay: func(s attain.StageStay) {
			if d := find(s.DealID); d != nil {
				m.addStay(d, stay{stage: m.intern(s.StageID), entered: unix(s.Entered), exited: unix(s.Exited)})
			}
		},
		Product: func(dealID, productID int64) {
			if dealID != productDeal {
				products, productDeal = products[:0], dealID
			}
			products = append(products, m.intern(productID))
			if d := find(dealID); d != nil {
				d.products = m.productSet(products)
			}
		},
		Change: func(c attain.DealFieldChange) {
			d := find(c.DealID)
			if d == nil {
				return
			}
			switch c.Field {
			case "close_date":
				o, _ := attain.ParseDate(c.Old)
				n, _ := attain.ParseDate(c.New)
				m.addSlip(d, slip{at: unix(c.At), old: dayNum(o), new: dayNum(n)})
			case "owner_id":
				// A change of owner after the deal closed: the credit stays
				// with the owner at closing, the first such change's old one.
				if d.status != statusOpen && d.closedAt != 0 && unix(c.At) > d.closedAt && d.creditOwner == d.owner {
					if old, err := strconv.ParseInt(c.Old, 10, 64); err == nil {
						m.unindex(m.pos[d.id])
						d.creditOwner = m.intern(old)
						m.index(m.pos[d.id])
					}
				}
			}
		},
	}
}

func (m *Model) productSet(ps []int32) int32 {
	if len(ps) == 0 {
		return 0
	}
	key := make([]byte, 0, 4*len(ps))
	for _, p := range ps {
		key = append(key, byte(p), byte(p>>8), byte(p>>16), byte(p>>24))
	}
	if i, ok := m.setIdx[string(key)]; ok {
		return i
	}
	i := int32(len(m.productSets))
	m.productSets = append(m.productSets, slices.Clone(ps))
	m.setIdx[string(key)] = i
	return i
}

func (m *Model) compact(f *attain.DealFact) deal {
	d := deal{
		id:           f.ID,
		amount:       f.Amount,
		margin:       f.Margin,
		created:      unix(f.CreatedAt),
		closedAt:     unix(f.ClosedAt),
		stageEntered: unix(f.StageEnteredAt),
		lastActivity: unix(f.LastActivityAt),
		closeDate:    dayNum(f.CloseDate),
		owner:        m.intern(f.OwnerID),
		team:         m.intern(f.TeamID),
		pipeline:     m.intern(f.PipelineID),
		stage:        m.intern(f.StageID),
		reason:       m.str(f.Reason),
		currency:     m.str(f.Currency),
		override:     categoryCode(f.ForecastOverride),
	}
	d.creditOwner = d.owner
	switch f.Status {
	case attain.DealWon:
		d.status = statusWon
	case attain.DealLost:
		d.status = statusLost
	}
	set := func(b bool, flag uint8) {
		if b {
			d.flags |= flag
		}
	}
	set(f.HasMargin, flagHasMargin)
	set(f.CloseDateEstimated, flagCloseEstimated)
	set(f.HasAccount, flagHasAccount)
	set(f.HasContact, flagHasContact)
	set(f.HasNextStep, flagHasNextStep)
	return d
}

// setActivityCounts replaces the counts of the given owner-days with cs.
func (m *Model) setActivityCounts(buckets []attain.ActivityBucket, cs []attain.ActivityCount) {
	for _, b := range buckets {
		day := dayNum(b.Day)
		list := m.acts[b.OwnerID]
		lo, _ := slices.BinarySearchFunc(list, day, func(a actCount, d int32) int { return int(a.day - d) })
		hi := lo
		for hi < len(list) && list[hi].day == day {
			hi++
		}
		m.acts[b.OwnerID] = slices.Delete(list, lo, hi)
	}
	for _, c := range cs {
		m.addActivityCount(c)
	}
}

// loadActivityCount adds a count during a full load, in any order;
// sortActivities puts each owner's counts in order afterwards.
func (m *Model) loadActivityCount(c attain.ActivityCount) {
	m.acts[c.OwnerID] = append(m.acts[c.OwnerID], actCount{day: dayNum(c.Day), typ: m.intern(c.TypeID), n: int32(c.Count)})
}

// hist returns a deal's stage history, oldest first.
func (m *Model) hist(d *deal) []stay { return m.stays[d.histAt : d.histAt+d.histN] }

// slips returns a deal's close-date changes.
func (m *Model) slips(d *deal) []slip { return m.slipLog[d.slipAt : d.slipAt+d.slipN] }

// addStay appends a stay to a deal's history: in place when its run ends
// the array (as in a load, which streams a deal's stays together), else by
// moving the run to the end.
func (m *Model) addStay(d *deal, st stay) {
	if d.histN == 0 || int(d.histAt+d.histN) != len(m.stays) {
		at := int32(len(m.stays))
		m.stays = append(m.stays, m.hist(d)...)
		d.histAt = at
	}
	m.stays = append(grow(m.stays), st)
	d.histN++
	m.liveStays++
}

func (m *Model) addSlip(d *deal, sl slip) {
	if d.slipN == 0 || int(d.slipAt+d.slipN) != len(m.slipLog) {
		at := int32(len(m.slipLog))
		m.slipLog = append(m.slipLog, m.slips(d)...)
		d.slipAt = at
	}
	m.slipLog = append(grow(m.slipLog), sl)
	d.slipN++
	m.liveSlips++
}

// grow doubles a full slice's room: append alone grows large slices by a
// quarter at a time, so a load of a million deals would copy the arrays
// several times over.
func grow[T any](s []T) []T {
	if len(s) < cap(s) || len(s) < 1024 {
		return s
	}
	return slices.Grow(s, len(s))
}

// roomy returns a copy of s with a sixteenth of its length to spare. An
// array sized exactly after a load or a compaction would be doubled by the
// first catch-up adding to it: at a million deals 240 MB allocated at once
// (and copied under the model's lock), which pushes the heap past the
// server's soft memory limit and makes the collector run flat out. A
// sixteenth is room for tens of thousands of changes.
func roomy[T any](s []T) []T {
	out := make([]T, len(s), len(s)+len(s)/16)
	copy(out, s)
	return out
}

// compactHist packs the stays and slips arrays, dropping runs no deal
// uses, into arrays with a sixteenth to spare (see roomy): after a full
// load, and after a catch-up when garbage outweighs what is live.
func (m *Model) compactHist() {
	stays := make([]stay, 0, m.liveStays+m.liveStays/16)
	slips := make([]slip, 0, m.liveSlips+m.liveSlips/16)
	for i := range m.deals {
		d := &m.deals[i]
		at := int32(len(stays))
		stays = append(stays, m.hist(d)...)
		d.histAt = at
		at = int32(len(slips))
		slips = append(slips, m.slips(d)...)
		d.slipAt = at
	}
	m.stays, m.slipLog = stays, slips
}

func (m *Model) sortActivities() {
	for owner, list := range m.acts {
		slices.SortFunc(list, func(a, b actCount) int {
			if a.day != b.day {
				return int(a.day - b.day)
			}
			return int(a.typ - b.typ)
		})
		m.acts[owner] = slices.Clip(list)
	}
}

func (m *Model) addActivityCount(c attain.ActivityCount) {
	e := actCount{day: dayNum(c.Day), typ: m.intern(c.TypeID), n: int32(c.Count)}
	list := m.acts[c.OwnerID]
	// Loads arrive mostly in order; append when they do.
	if n := len(list); n == 0 || less(list[n-1], e) {
		m.acts[c.OwnerID] = append(list, e)
		return
	}
	i, found := slices.BinarySearchFunc(list, e, func(a, b actCount) int {
		if a.day != b.day {
			return int(a.day - b.day)
		}
		return int(a.typ - b.typ)
	})
	if found {
		list[i].n += e.n
		return
	}
	m.acts[c.OwnerID] = slices.Insert(list, i, e)
}

func less(a, b actCount) bool { return a.day < b.day || (a.day == b.day && a.typ < b.typ) }

// Dump describes every deal and activity count of the model, one sorted line
// each, with ids resolved: two models holding the same data dump the same
// lines whatever order they were built in. Tests compare models with it.
func (m *Model) Dump() []string {
	var out []string
	for i := range m.deals {
		d := &m.deals[i]
		s := fmt.Sprintf("deal %d owner=%d credit=%d team=%d pipeline=%d stage=%d status=%d amount=%d %s margin=%d close=%d created=%d closed=%d entered=%d activity=%d reason=%q override=%d flags=%b products=%v",
			d.id, m.ids[d.owner], m.ids[d.creditOwner], m.ids[d.team], m.ids[d.pipeline], m.ids[d.stage], d.status, d.amount,
			m.strs[d.currency], d.margin, d.closeDate, d.created, d.closedAt, d.stageEntered, d.lastActivity, m.strs[d.reason],
			d.override, d.flags, m.idList(m.productSets[d.products]))
		for _, h := range m.hist(d) {
			s += fmt.Sprintf(" [%d %d-%d]", m.ids[h.stage], h.entered, h.exited)
		}
		for _, sl := range m.slips(d) {
			s += fmt.Sprintf(" {%d %d>%d}", sl.at, sl.old, sl.new)
		}
		out = append(out, s)
	}
	for owner, list := range m.acts {
		for _, a := range list {
			out = append(out, fmt.Sprintf("acts owner=%d day=%d type=%d n=%d", owner, a.day, m.ids[a.typ], a.n))
		}
	}
	slices.Sort(out)
	return out
}

func (m *Model) idList(xs []int32) []int64 {
	out := make([]int64, len(xs))
	for i, x := range xs {
		out[i] = m.ids[x]
	}
	return out
}
