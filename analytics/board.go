package analytics

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/attain-crm/attain"
)

// BoardQuery is what a pipeline board's totals (GET /deals/totals) may ask
// of the model: the deal list's filters on the pipeline, stage, owner, team,
// status and close date. Other filters are read by the store.
type BoardQuery struct {
	pipeline, stage, owner, team int64 // 0: any
	status                       int   // -1: any, else statusOpen, statusWon or statusLost
	from, to                     int32 // close date range, days since 1970, inclusive
}

// BoardQueryOf translates the deal list's filters into a BoardQuery, with
// the meaning store.FindDealTotals gives them (dealList's whitelist). ok is
// false for anything else: another field or operator, several values, a
// value that is not one (the store then answers, or says what is wrong),
// or a filter on deleted_at (the model holds live deals only).
func BoardQueryOf(filters []attain.Filter) (q BoardQuery, ok bool) {
	q = BoardQuery{status: -1, from: math.MinInt32, to: math.MaxInt32}
	for _, f := range filters {
		if len(f.Values) != 1 {
			return q, false
		}
		v := f.Values[0]
		op := cmp.Or(f.Op, attain.OpEq)
		var id *int64
		switch f.Field {
		case "pipeline_id":
			id = &q.pipeline
		case "stage_id":
			id = &q.stage
		case "owner_id":
			id = &q.owner
		case "team_id":
			id = &q.team
		case "status":
			i := map[string]int{attain.DealOpen: int(statusOpen), attain.DealWon: int(statusWon), attain.DealLost: int(statusLost)}
			s, known := i[v]
			if op != attain.OpEq || !known || (q.status >= 0 && q.status != s) {
				return q, false
			}
			q.status = s
			continue
		case "close_date":
			d, err := attain.ParseDate(v)
			if err != nil {
				return q, false
			}
			day := dayNum(d)
			switch op {
			case attain.OpEq:
				q.from, q.to = max(q.from, day), min(q.to, day)
			case attain.OpGte:
				q.from = max(q.from, day)
			case attain.OpGt:
				q.from = max(q.from, day+1)
			case attain.OpLte:
				q.to = min(q.to, day)
			case attain.OpLt:
				q.to = min(q.to, day-1)
			default:
				return q, false
			}
			continue
		default:
			return q, false
		}
		n, err := strconv.ParseInt(v, 10, 64)
		// A second value for the same id, or 0 (which the model uses for
		// "none": team_id = 0 matches no deal in SQL), is left to the store.
		if op != attain.OpEq || err != nil || n <= 0 || (*id != 0 && *id != n) {
			return q, false
		}
		*id = n
	}
	return q, true
}

// boardCell is a group of deals a board's totals are summed from: the same
// pipeline, stage, currency, owner and team (interned).
type boardCell struct {
	pipeline, stage, currency, owner, team int32
}

type boardSum struct{ count, amount int64 }

// boardSums are the count and amount of every cell's deals whose status and
// close date match; kept current deal by deal as the model changes. Every
// board of the same status and close dates, whoever asks and whatever the
// pipeline, owner or team, is summed from the same cells: a few thousand
// in a workspace, against a pass over every deal.
type boardSums struct {
	status   int
	from, to int32
	cells    map[boardCell]boardSum
}

func (b *boardSums) add(m *Model, d *deal, sign int64) {
	if (b.status >= 0 && int(d.status) != b.status) || d.closeDate < b.from || d.closeDate > b.to {
		return
	}
	k := boardCell{d.pipeline, d.stage, d.currency, d.owner, d.team}
	s := b.cells[k]
	s.count += sign
	s.amount += sign * d.amount
	if s.count == 0 {
		delete(b.cells, k)
		return
	}
	b.cells[k] = s
}

// DealTotals counts and sums the live deals a may see that match q, by
// stage and currency, ordered as the store orders them (stage id, then
// currency): the same totals as store.FindDealTotals, from sums kept in
// the model instead of a pass over the deals' rows.
func (m *Model) DealTotals(a *attain.Actor, q BoardQuery) []*attain.DealTotal {
	key := fmt.Sprintf("board:%d:%d:%d", q.status, q.from, q.to)
	sums := m.derive(key, func() deriver {
		b := &boardSums{status: q.status, from: q.from, to: q.to, cells: map[boardCell]boardSum{}}
		for i := range m.deals {
			b.add(m, &m.deals[i], 1)
		}
		return b
	}).(*boardSums)
	// An id the model has never seen has no deals.
	want := func(id int64) (int32, bool) {
		if id == 0 {
			return -1, true
		}
		return m.lookup(id)
	}
	pipeline, ok1 := want(q.pipeline)
	stage, ok2 := want(q.stage)
	owner, ok3 := want(q.owner)
	team, ok4 := want(q.team)
	out := []*attain.DealTotal{}
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return out
	}
	match := func(want, got int32) bool { return want < 0 || want == got }
	type group struct{ stage, currency int32 }
	totals := map[group]*attain.DealTotal{}
	for c, s := range sums.cells {
		if !match(pipeline, c.pipeline) || !match(stage, c.stage) || !match(owner, c.owner) || !match(team, c.team) ||
			!a.CanSee(m.ids[c.owner], m.ids[c.team]) {
			continue
		}
		g := group{c.stage, c.currency}
		t := totals[g]
		if t == nil {
			t = &attain.DealTotal{StageID: m.ids[c.stage], Currency: m.strs[c.currency]}
			totals[g] = t
			out = append(out, t)
		}
		t.Count += s.count
		t.Amount += s.amount
	}
	slices.SortFunc(out, func(x, y *attain.DealTotal) int {
		return cmp.Or(cmp.Compare(x.StageID, y.StageID), cmp.Compare(x.Currency, y.Currency))
	})
	return out
}
