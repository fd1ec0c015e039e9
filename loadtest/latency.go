// Package loadtest drives a running Attain server over HTTP with a mixed
// workload of reads and writes from N concurrent clients for a fixed time,
// and measures a bare net/http JSON handler the same way in the same run, so
// every figure has the machine's own ceiling beside it.
package loadtest

import (
	"slices"
	"time"
)

// Latencies keeps every sample exactly: a run of a few minutes at the rates
// one machine reaches is a few million durations at most, and exact samples
// make the percentiles exact rather than bucketed.
type Latencies struct {
	samples []time.Duration
	sorted  bool
}

// Add records one sample.
func (l *Latencies) Add(d time.Duration) {
	l.samples = append(l.samples, d)
	l.sorted = false
}

// Merge adds every sample of o.
func (l *Latencies) Merge(o *Latencies) {
	l.samples = append(l.samples, o.samples...)
	l.sorted = false
}

// Count is the number of samples.
func (l *Latencies) Count() int { return len(l.samples) }

// Quantile returns the nearest-rank q-quantile (0 < q ≤ 1): the smallest
// sample that at least q of all samples are less than or equal to. It is
// zero when there are no samples.
func (l *Latencies) Quantile(q float64) time.Duration {
	n := len(l.samples)
	if n == 0 {
		return 0
	}
	if !l.sorted {
		slices.Sort(l.samples)
		l.sorted = true
	}
	// rank = ceil(q·n), computed in integers of parts per million so that
	// 0.99·100 is 99, not 99.00000000000001 rounded up to 100.
	ppm := int64(q*1e6 + 0.5)
	rank := int((ppm*int64(n) + 1e6 - 1) / 1e6)
	rank = max(1, min(rank, n))
	return l.samples[rank-1]
}

// Max is the largest sample.
func (l *Latencies) Max() time.Duration { return l.Quantile(1) }

// Mean is the average sample.
func (l *Latencies) Mean() time.Duration {
	if len(l.samples) == 0 {
		return 0
	}
	var sum time.Duration
	for _, d := range l.samples {
		sum += d
	}
	return sum / time.Duration(len(l.samples))
}
