package loadtest

import (
	"testing"
	"time"
)

func TestQuantile(t *testing.T) {
	var l Latencies
	if got := l.Quantile(0.99); got != 0 {
		t.Fatalf("empty p99 = %v, want 0", got)
	}
	// 1..100 ms, added out of order.
	for i := 100; i >= 1; i-- {
		l.Add(time.Duration(i) * time.Millisecond)
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{
		{0.01, 1 * time.Millisecond},
		{0.5, 50 * time.Millisecond},
		{0.95, 95 * time.Millisecond},
		{0.99, 99 * time.Millisecond}, // not 100: 0.99·100 is exactly 99
		{0.999, 100 * time.Millisecond},
		{1, 100 * time.Millisecond},
	} {
		if got := l.Quantile(tc.q); got != tc.want {
			t.Errorf("Quantile(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
	if got, want := l.Mean(), 50500*time.Microsecond; got != want {
		t.Errorf("Mean = %v, want %v", got, want)
	}
	if got := l.Max(); got != 100*time.Millisecond {
		t.Errorf("Max = %v", got)
	}
}

func TestQuantileNearestRank(t *testing.T) {
	// With 7 samples the p50 is the 4th and the p95 and p99 the 7th: a
	// percentile is always a latency some request really had.
	var l Latencies
	for _, ms := range []int{5, 1, 7, 3, 2, 6, 4} {
		l.Add(time.Duration(ms) * time.Millisecond)
	}
	if got := l.Quantile(0.5); got != 4*time.Millisecond {
		t.Errorf("p50 = %v, want 4ms", got)
	}
	if got := l.Quantile(0.95); got != 7*time.Millisecond {
		t.Errorf("p95 = %v, want 7ms", got)
	}
	// Adding after a quantile was read sorts again.
	l.Add(0)
	if got := l.Quantile(0.01); got != 0 {
		t.Errorf("p1 after adding 0 = %v, want 0", got)
	}
}

func TestMerge(t *testing.T) {
	var a, b Latencies
	for i := range 10 {
		a.Add(time.Duration(i) * time.Millisecond)
		b.Add(time.Duration(10+i) * time.Millisecond)
	}
	_ = a.Quantile(0.5) // sorted before merging
	a.Merge(&b)
	if a.Count() != 20 || a.Quantile(0.5) != 9*time.Millisecond || a.Max() != 19*time.Millisecond {
		t.Fatalf("merged: count %d p50 %v max %v", a.Count(), a.Quantile(0.5), a.Max())
	}
}

func TestParseMix(t *testing.T) {
	m, err := ParseMix("list=3, create=1,move=0")
	if err != nil {
		t.Fatal(err)
	}
	if got := m.String(); got != "list=3,create=1" {
		t.Errorf("mix = %q", got)
	}
	if got := opsOf(m); len(got) != 4 || got[0] != OpList || got[3] != OpCreate {
		t.Errorf("ops = %v", got)
	}
	for _, bad := range []string{"", "list", "list=x", "list=-1", "frobnicate=1", "list=0"} {
		if _, err := ParseMix(bad); err == nil {
			t.Errorf("ParseMix(%q) accepted", bad)
		}
	}
	if got := DefaultMix().String(); got != "list=20,search=15,record=25,dashboard=10,create=10,update=8,move=7,activity=5" {
		t.Errorf("default mix = %q", got)
	}
}
