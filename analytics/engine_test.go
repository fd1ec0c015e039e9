package analytics

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/attain-crm/attain"
)

// stubSource is a Source with one deal whose counter the test moves; it
// reports each catch-up read of deals on reads.
type stubSource struct {
	seq   atomic.Int64
	reads chan []int64
}

func (s *stubSource) AnalyticsSeq(context.Context, int64) (int64, int64, error) {
	return s.seq.Load(), 0, nil
}

func (s *stubSource) AnalyticsChanges(_ context.Context, _, after, upto int64) ([]int64, []attain.ActivityBucket, error) {
	return []int64{7}, nil, nil
}

func (s *stubSource) LoadDealFacts(_ context.Context, _ int64, ids []int64, sink attain.DealFactSink) error {
	if ids != nil {
		s.reads <- ids
	}
	sink.Deal(&attain.DealFact{ID: 7, OwnerID: 1, Status: attain.DealOpen, Amount: s.seq.Load(), Currency: "EUR"})
	return nil
}

func (s *stubSource) LoadActivityCounts(context.Context, int64, []attain.ActivityBucket, func(attain.ActivityCount)) error {
	return nil
}

func (s *stubSource) PruneAnalyticsChanges(context.Context, int64, int64) error { return nil }

// TestCatchUpReadsBesideReaders checks that a catch-up reads the database
// while another request is still answering from the model (it does not wait
// for readers until it applies what it read), and that the answer after it
// reflects the change.
func TestCatchUpReadsBesideReaders(t *testing.T) {
	ctx := context.Background()
	src := &stubSource{reads: make(chan []int64, 4)}
	src.seq.Store(1)
	e := NewEngine(src)

	inView, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = e.View(ctx, 1, func(*Model) error {
			close(inView)
			<-release
			return nil
		})
	}()
	<-inView

	src.seq.Store(2)
	done := make(chan int64)
	go func() {
		var amount int64
		_ = e.View(ctx, 1, func(m *Model) error {
			amount = m.deals[m.pos[7]].amount
			return nil
		})
		done <- amount
	}()
	select {
	case <-src.reads:
	case <-time.After(10 * time.Second):
		t.Fatal("the catch-up did not read while a reader held the model")
	}
	close(release)
	wg.Wait()
	if got := <-done; got != 2 {
		t.Errorf("amount after catch-up = %d, want 2", got)
	}
}
