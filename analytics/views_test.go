package analytics

import (
	"context"
	"sync"
	"testing"

	"github.com/attain-crm/attain"
)

// changeDeal returns the delta a catch-up would read after deal id was
// changed by fn: the deal's current facts from m, with fn applied to its
// deal row. A nil fn leaves the deal as it is.
func changeDeal(tb testing.TB, m *Model, id int64, fn func(*attain.DealFact)) *delta {
	tb.Helper()
	d := &delta{deals: []int64{id}}
	rec := attain.DealFactSink{
		Deal: func(f *attain.DealFact) {
			c := *f
			if fn != nil {
				fn(&c)
			}
			d.facts = append(d.facts, func(s attain.DealFactSink) { s.Deal(&c) })
		},
		Stay: func(st attain.StageStay) { d.facts = append(d.facts, func(s attain.DealFactSink) { s.Stay(st) }) },
		Product: func(deal, product int64) {
			d.facts = append(d.facts, func(s attain.DealFactSink) { s.Product(deal, product) })
		},
		Change: func(c attain.DealFieldChange) { d.facts = append(d.facts, func(s attain.DealFactSink) { s.Change(c) }) },
	}
	if err := (modelSource{m}).LoadDealFacts(context.Background(), m.workspaceID, []int64{id}, rec); err != nil {
		tb.Fatal(err)
	}
	return d
}

// modelLock returns the lock readers and the writer of m share.
func modelLock(m *Model) *sync.RWMutex { return m.lock }
