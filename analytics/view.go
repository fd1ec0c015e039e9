package analytics

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/attain-crm/attain"
)

// Target kinds a Config may carry; they follow the targets the planning
// side sets per period for a rep, a team or the company.
const (
	TargetRevenue     = "revenue"
	TargetBookings    = "bookings"
	TargetMargin      = "margin"
	TargetNewPipeline = "new_pipeline"
	TargetActivities  = "activities"
)

// Target is one target for the period being computed. UserID and TeamID
// both zero mean the company.
type Target struct {
	Kind         string
	ActivityType string // for TargetActivities
	UserID       int64
	TeamID       int64
	Amount       int64
}

// Config is what a computation needs besides the model: the workspace's
// process and targets.
type Config struct {
	// Key, when set, names every field below but Now, Currency and
	// Targets: two configs with the same Key hold the same of those. A
	// caller that keeps configs sets it, so that naming a view for the
	// cache (viewKey) does not encode them on every request.
	Key           string
	Now           time.Time
	Calendar      attain.FiscalCalendar
	Currency      string
	Stages        []*attain.Stage
	ActivityTypes []*attain.ActivityType
	Teams         []*attain.Team
	Settings      attain.KPISettings
	Targets       []Target
	// Names of users and products, for labels.
	UserNames    map[int64]string
	ProductNames map[int64]string
}

// Scope limits a computation to some owners (nil: everyone), one pipeline
// and one product (0: all).
type Scope struct {
	Owners     []int64
	PipelineID int64
	ProductID  int64
}

type stageInfo struct {
	ok       bool
	id       int64
	name     string
	pos      int
	prob     int
	outcome  uint8
	cat      uint8
	pipeline int32
	stalled  int64 // seconds without activity or move before a deal is stalled
	exit     attain.ExitCriteria
}

// view is a model seen through a Config and Scope: lookups by interned id
// built once per request.
type view struct {
	m         *Model
	cfg       *Config
	stages    []stageInfo
	owners    []bool // by interned id; nil means everyone
	ownerList []int32
	pipeline  int32 // -1: all
	product   int32 // -1: all
	currency  int32 // -1: no deal matches
	now       int64
}

// viewKey names a view for the model's cache: what it is, the
// configuration it was computed with but for the clock (a view computed in
// another minute may still be served, see StaleBound) and its input; ""
// (not cached) when it cannot be made. A config with a Key and the inputs
// dashboards pass are written field by field; anything else is encoded as
// JSON, which costs a rep dashboard's key ten times as much.
func viewKey(kind string, cfg *Config, in ...any) string {
	b, ok := appendKey(make([]byte, 0, 512), kind, cfg, in)
	if !ok {
		c := *cfg
		c.Now = time.Time{}
		var err error
		if b, err = json.Marshal(struct {
			Kind   string
			Config *Config
			In     []any
		}{kind, &c, in}); err != nil {
			return ""
		}
	}
	sum := sha256.Sum256(b)
	return kind + ":" + string(sum[:])
}

// appendKey writes what names a view to b, each field told apart from the
// next (strings by their length), and reports whether it could.
func appendKey(b []byte, kind string, cfg *Config, in []any) ([]byte, bool) {
	if cfg.Key == "" {
		return b, false
	}
	str := func(s string) { b = binary.AppendUvarint(b, uint64(len(s))); b = append(b, s...) }
	num := func(n int64) { b = binary.AppendVarint(b, n) }
	ids := func(s []int64) {
		num(int64(len(s)))
		for _, n := range s {
			num(n)
		}
	}
	period := func(p attain.Period) {
		str(p.Key)
		str(string(p.Kind))
		num(int64(p.FiscalYear))
		num(int64(p.Number))
		str(p.Start.String())
		str(p.End.String())
	}
	str(kind)
	str(cfg.Key)
	str(cfg.Currency)
	num(int64(len(cfg.Targets)))
	for _, t := range cfg.Targets {
		str(t.Kind)
		str(t.ActivityType)
		num(t.UserID)
		num(t.TeamID)
		num(t.Amount)
	}
	for _, x := range in {
		switch x := x.(type) {
		case RepInput:
			if x.FactsKey == "" {
				return b, false
			}
			num(x.UserID)
			str(x.Name)
			period(x.Period)
			str(x.FactsKey)
			ids(x.Ranked)
			if x.ShowNames {
				num(1)
			} else {
				num(0)
			}
		case attain.Period:
			period(x)
		case []int64:
			ids(x)
		case int64:
			num(x)
		default:
			return b, false
		}
	}
	return b, true
}

func newView(m *Model, cfg *Config, sc Scope) *view {
	v := &view{m: m, cfg: cfg, stages: make([]stageInfo, len(m.ids)), pipeline: -1, product: -1, now: cfg.Now.Unix()}
	def := int64(cfg.Settings.StalledDays)
	if def <= 0 {
		def = 21
	}
	for _, s := range cfg.Stages {
		i, ok := m.lookup(s.ID)
		if !ok {
			continue
		}
		si := stageInfo{ok: true, id: s.ID, name: s.Name, pos: s.Position, prob: s.Probability, cat: categoryCode(s.ForecastCategory), exit: s.ExitCriteria}
		switch s.Outcome {
		case attain.OutcomeWon:
			si.outcome = statusWon
		case attain.OutcomeLost:
			si.outcome = statusLost
		}
		si.pipeline, _ = m.lookup(s.PipelineID)
		days := def
		if n, ok := cfg.Settings.StageStalledDays[strconv.FormatInt(s.ID, 10)]; ok && n > 0 {
			days = int64(n)
		}
		si.stalled = days * daySeconds
		v.stages[i] = si
	}
	if sc.Owners != nil {
		v.owners = make([]bool, len(m.ids))
		for _, o := range sc.Owners {
			if i, ok := m.lookup(o); ok && !v.owners[i] {
				v.owners[i] = true
				v.ownerList = append(v.ownerList, i)
			}
		}
	}
	if sc.PipelineID != 0 {
		v.pipeline = notFound(m.lookup(sc.PipelineID))
	}
	if sc.ProductID != 0 {
		v.product = notFound(m.lookup(sc.ProductID))
	}
	v.currency = -1
	if i, ok := m.strIx[cfg.Currency]; ok {
		v.currency = i
	}
	return v
}

// notFound maps a missing id to an index no deal has.
func notFound(i int32, ok bool) int32 {
	if !ok {
		return -2
	}
	return i
}

// inScope reports whether a deal is in the scope's pipeline, product and
// currency (not looking at the owner).
func (v *view) inScope(d *deal) bool {
	return d.currency == v.currency && v.inScopeAnyCurrency(d)
}

// inScopeAnyCurrency reports whether a deal is in the scope's pipeline and
// product, whatever its currency.
func (v *view) inScopeAnyCurrency(d *deal) bool {
	if v.pipeline != -1 && d.pipeline != v.pipeline {
		return false
	}
	if v.product != -1 && (d.products == 0 || !slices.Contains(v.m.productSets[d.products], v.product)) {
		return false
	}
	return true
}

// each calls fn for every deal that may concern the scope's owners (all
// deals when the scope is everyone): each deal once, whether it is in scope
// through its owner or through the owner it is credited to. fn still checks
// what it counts.
func (v *view) each(fn func(d *deal)) {
	if v.owners == nil || len(v.ownerList) > 64 {
		for i := range v.m.deals {
			fn(&v.m.deals[i])
		}
		return
	}
	for _, o := range v.ownerList {
		for _, i := range v.m.owned[o] {
			d := &v.m.deals[i]
			// A deal listed under two owners in scope is visited for its owner.
			if d.owner != o && v.owners[d.owner] {
				continue
			}
			fn(d)
		}
	}
}

// ownedBy reports whether owner (interned) is in scope.
func (v *view) ownedBy(owner int32) bool { return v.owners == nil || v.owners[owner] }

// span is a period as Unix seconds [from, to) and day numbers [fromDay, toDay).
type span struct {
	from, to       int64
	fromDay, toDay int32
}

func spanOf(p attain.Period) span {
	s := span{from: p.StartTime().Unix(), to: p.EndTime().Unix()}
	s.fromDay, s.toDay = dayOf(s.from), dayOf(s.to)
	return s
}

func (s span) has(t int64) bool          { return t >= s.from && t < s.to }
func (s span) hasDay(d int32) bool       { return d >= s.fromDay && d < s.toDay }
func (v *view) stage(d *deal) *stageInfo { return &v.stages[d.stage] }

// category is the deal's effective forecast category.
func (v *view) category(d *deal) uint8 {
	if d.override != 0 && d.status == statusOpen {
		return d.override
	}
	return v.stages[d.stage].cat
}

func median(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	slices.Sort(xs)
	n := len(xs)
	m := xs[n/2]
	if n%2 == 0 {
		m = (xs[n/2-1] + xs[n/2]) / 2
	}
	return &m
}

func mean(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	s /= float64(len(xs))
	return &s
}

func ratio(a, b float64) *float64 {
	if b == 0 {
		return nil
	}
	r := a / b
	return &r
}

func ptr[T any](x T) *T { return &x }
