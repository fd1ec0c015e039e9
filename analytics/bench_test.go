package analytics

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// benchSizes are the deal counts benchmarks run at; ATTAIN_BENCH_DEALS
// overrides them ("100000,1000000").
func benchSizes() []int {
	sizes := []int{100_000, 1_000_000}
	if v := os.Getenv("ATTAIN_BENCH_DEALS"); v != "" {
		sizes = nil
		for _, f := range strings.Split(v, ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
				sizes = append(sizes, n)
			}
		}
	}
	return sizes
}

var (
	synthMu    sync.Mutex
	synthCache = map[int]*synth{}
)

// synthOf builds (once per size) a synthetic workspace with 200 reps.
func synthOf(n int) *synth {
	synthMu.Lock()
	defer synthMu.Unlock()
	if s := synthCache[n]; s != nil {
		return s
	}
	s := newSynth(n, 200)
	synthCache[n] = s
	return s
}

func BenchmarkRepDashboard(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("deals=%d", n), func(b *testing.B) {
			s := synthOf(n)
			in := RepInput{UserID: s.reps[7], Period: s.period(), Ranked: s.reps}
			b.ResetTimer()
			for b.Loop() {
				Rep(s.model, s.cfg, in)
			}
		})
	}
}

func BenchmarkTeamDashboard(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("deals=%d", n), func(b *testing.B) {
			s := synthOf(n)
			in := TeamInput{TeamID: s.teams[0].ID, Members: s.teams[0].MemberIDs, Period: s.period()}
			b.ResetTimer()
			for b.Loop() {
				Team(s.model, s.cfg, in)
			}
		})
	}
}

func BenchmarkCompanyDashboard(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("deals=%d", n), func(b *testing.B) {
			s := synthOf(n)
			b.ResetTimer()
			for b.Loop() {
				Company(s.model, s.cfg, s.period(), synthPipeline)
			}
		})
	}
}

// BenchmarkModelMemory reports the heap a model holds per deal, with its
// stage history, slips, products and ten activities per deal counted by
// owner, type and day.
func BenchmarkModelMemory(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("deals=%d", n), func(b *testing.B) {
			var perDeal float64
			for b.Loop() {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				s := newSynth(n, 200)
				runtime.GC()
				runtime.ReadMemStats(&after)
				perDeal = float64(after.HeapAlloc-before.HeapAlloc) / float64(n)
				runtime.KeepAlive(s)
			}
			b.ReportMetric(perDeal, "bytes/deal")
		})
	}
}
