package analytics

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/attain-crm/attain"
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
// write it must show: one deal of a rep changes (a catch-up updates the
// calibration and the leaderboard's wins by that deal and marks the rep
// touched), the clock moves past StaleBound, then the company view and the
// rep's view are computed again.
func BenchmarkDashboardCatchUp(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("deals=%d", n), func(b *testing.B) {
			s := synthOf(n)
			in := RepInput{UserID: s.reps[7], Period: s.period(), Ranked: s.reps}
			src := modelSource{s.model}
			rep, _ := s.model.lookup(s.reps[7])
			id := s.model.deals[s.model.owned[rep][0]].id
			cfg := *s.cfg
			Company(s.model, &cfg, s.period(), synthPipeline)
			Rep(s.model, &cfg, in)
			benchView(b, func() {
				d, err := readDelta(context.Background(), src, 1, []int64{id}, nil)
				if err != nil {
					b.Fatal(err)
				}
				s.model.apply(d)
				cfg.Now = cfg.Now.Add(StaleBound)
				Company(s.model, &cfg, s.period(), synthPipeline)
				Rep(s.model, &cfg, in)
			})
		})
	}
}

// writesPerSecond is the rate at which BenchmarkDashboardUnderWrites
// changes deals: about what 32 clients of the load generator's mix write.
const writesPerSecond = 100

// BenchmarkDashboardUnderWrites measures dashboards asked for by 32
// concurrent readers (each a random rep's, team's or the company's) while
// a writer changes a random deal writesPerSecond times a second, applied
// as catch-ups apply (Model.commit): the amount of most, the owner of one
// in ten, and one in ten is won. The clock moves with the wall clock. It reports the latency
// percentiles a reader sees and the CPU time per view.
func BenchmarkDashboardUnderWrites(b *testing.B) {
	for _, n := range benchSizes() {
		for _, kind := range []string{"rep", "team", "company"} {
			b.Run(fmt.Sprintf("deals=%d/%s", n, kind), func(b *testing.B) {
				s := synthOf(n)
				m := s.model
				mu := modelLock(m)
				var seed atomic.Uint64
				stop := make(chan struct{})
				var wg sync.WaitGroup
				wg.Go(func() {
					rng := rand.New(rand.NewPCG(7, 7))
					tick := time.NewTicker(time.Second / writesPerSecond)
					defer tick.Stop()
					for {
						select {
						case <-stop:
							return
						case <-tick.C:
						}
						mu.RLock()
						id := m.deals[rng.IntN(len(m.deals))].id
						r := rng.IntN(10)
						owner := s.reps[rng.IntN(len(s.reps))]
						d := changeDeal(b, m, id, func(f *attain.DealFact) {
							switch {
							case r == 0:
								f.OwnerID = owner
							case r == 1 && f.Status == attain.DealOpen:
								f.Status, f.StageID, f.ClosedAt = attain.DealWon, synthWon, s.now
							default:
								f.Amount += 100
							}
						})
						mu.RUnlock()
						m.commit(0, d)
					}
				})
				base := s.cfg
				start := time.Now()
				// Every view asked for once: the steady state, not the first
				// requests after a start, is measured.
				warm := *base
				warm.Now = s.now
				mu.RLock()
				for _, u := range s.reps {
					Rep(m, &warm, RepInput{UserID: u, Period: s.period(), Ranked: s.reps})
				}
				for _, t := range s.teams {
					Team(m, &warm, TeamInput{TeamID: t.ID, Members: t.MemberIDs, Period: s.period()})
				}
				Company(m, &warm, s.period(), synthPipeline)
				mu.RUnlock()
				var latMu sync.Mutex
				var lats []time.Duration
				runtime.GC()
				b.SetParallelism(16) // 32 readers on 2 cores
				b.ResetTimer()
				cpu := cpuTime()
				b.RunParallel(func(pb *testing.PB) {
					rng := rand.New(rand.NewPCG(seed.Add(1), 1))
					var mine []time.Duration
					for pb.Next() {
						cfg := *base
						cfg.Now = s.now.Add(time.Since(start))
						t0 := time.Now()
						mu.RLock()
						switch kind {
						case "rep":
							Rep(m, &cfg, RepInput{UserID: s.reps[rng.IntN(len(s.reps))], Period: s.period(), Ranked: s.reps})
						case "team":
							t := s.teams[rng.IntN(len(s.teams))]
							Team(m, &cfg, TeamInput{TeamID: t.ID, Members: t.MemberIDs, Period: s.period()})
						default:
							Company(m, &cfg, s.period(), synthPipeline)
						}
						mu.RUnlock()
						mine = append(mine, time.Since(t0))
					}
					latMu.Lock()
					lats = append(lats, mine...)
					latMu.Unlock()
				})
				b.StopTimer()
				used := cpuTime() - cpu
				close(stop)
				wg.Wait()
				slices.Sort(lats)
				pct := func(q float64) float64 {
					return float64(lats[min(len(lats)-1, int(q*float64(len(lats))))].Microseconds()) / 1000
				}
				b.ReportMetric(pct(0.5), "p50-ms")
				b.ReportMetric(pct(0.9), "p90-ms")
				b.ReportMetric(pct(0.99), "p99-ms")
				b.ReportMetric(float64(used.Microseconds())/1000/float64(b.N), "cpu-ms/op")
			})
		}
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
