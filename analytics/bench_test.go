package analytics

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
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

// cpuTime returns the CPU time the process has used: on a shared machine
// it says what a view costs better than the wall clock does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchView runs fn b.N times, reporting the CPU time per run beside the
// wall time. fn computes a view afresh (no view cache).
func benchView(b *testing.B, fn func()) {
	fn()         // the calibration and leaderboard wins, kept across changes
	runtime.GC() // the synthetic workspace's garbage is not the view's
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		fn()
	}
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

func BenchmarkRepDashboard(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("deals=%d", n), func(b *testing.B) {
			s := synthOf(n)
			in := RepInput{UserID: s.reps[7], Period: s.period(), Ranked: s.reps}
			benchView(b, func() { repView(s.model, s.cfg, in) })
		})
	}
}

func BenchmarkTeamDashboard(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("deals=%d", n), func(b *testing.B) {
			s := synthOf(n)
			in := TeamInput{TeamID: s.teams[0].ID, Members: s.teams[0].MemberIDs, Period: s.period()}
			benchView(b, func() { teamView(s.model, s.cfg, in) })
		})
	}
}

func BenchmarkCompanyDashboard(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("deals=%d", n), func(b *testing.B) {
			s := synthOf(n)
			benchView(b, func() { companyView(s.model, s.cfg, s.period(), synthPipeline) })
		})
	}
}

// BenchmarkDashboardCached measures a company view asked for again with
// nothing changed: the view cached for the change counter.
func BenchmarkDashboardCached(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("deals=%d", n), func(b *testing.B) {
			s := synthOf(n)
			benchView(b, func() { Company(s.model, s.cfg, s.period(), synthPipeline) })
		})
	}
}

// BenchmarkDashboardCatchUp measures what a dashboard costs right after a
// write: one deal changes (a catch-up updates the calibration and the
// leaderboard's wins by that deal and drops the cached views), then the
// company view and a rep's view are computed again.
func BenchmarkDashboardCatchUp(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("deals=%d", n), func(b *testing.B) {
			s := synthOf(n)
			in := RepInput{UserID: s.reps[7], Period: s.period(), Ranked: s.reps}
			src := modelSource{s.model}
			id := s.model.deals[len(s.model.deals)/2].id
			Company(s.model, s.cfg, s.period(), synthPipeline)
			Rep(s.model, s.cfg, in)
			benchView(b, func() {
				d, err := readDelta(context.Background(), src, 1, []int64{id}, nil)
				if err != nil {
					b.Fatal(err)
				}
				s.model.apply(d)
				Company(s.model, s.cfg, s.period(), synthPipeline)
				Rep(s.model, s.cfg, in)
			})
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

// BenchmarkCompanyHalves measures the CPU time of each of the company
// view's two halves run alone: the larger is the view's wall time on two
// free cores, which a loaded machine's wall clock cannot show.
func BenchmarkCompanyHalves(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("deals=%d", n), func(b *testing.B) {
			s := synthOf(n)
			v := newView(s.model, s.cfg, Scope{})
			sp, p := spanOf(s.period()), s.period()
			calib := v.calibration()
			lists := make([][]int64, len(s.cfg.Teams))
			for g, t := range s.cfg.Teams {
				lists[g] = t.MemberIDs
			}
			gr := newGroups(s.model, lists)
			runtime.GC()
			b.ResetTimer()
			var forecast, kpis time.Duration
			for b.Loop() {
				start := cpuTime()
				v.forecastGroups(sp, calib, gr)
				v.closedPass(sp, gr, s.cfg, p)
				mid := cpuTime()
				v.collect(sp, false)
				v.activityTotals(sp)
				v.funnel(sp, synthPipeline)
				forecast += mid - start
				kpis += cpuTime() - mid
			}
			b.ReportMetric(float64(forecast.Microseconds())/1000/float64(b.N), "forecast-cpu-ms/op")
			b.ReportMetric(float64(kpis.Microseconds())/1000/float64(b.N), "kpis-cpu-ms/op")
		})
	}
}
