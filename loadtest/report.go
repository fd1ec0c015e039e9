package loadtest

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// OpStats is what one operation of the workload did in a run.
type OpStats struct {
	Name   string
	OK     int
	Failed int
	// Latency holds every completed request, failed ones too: a fast
	// error is still a response the client waited for.
	Latency Latencies
	// Failures counts failed requests by a short description ("422 POST
	// /api/v1/deals/{id}/move: ..."), so a report says what went wrong.
	Failures map[string]int
}

func newOpStats(name string) *OpStats { return &OpStats{Name: name, Failures: map[string]int{}} }

func (s *OpStats) merge(o *OpStats) {
	s.OK += o.OK
	s.Failed += o.Failed
	s.Latency.Merge(&o.Latency)
	for k, n := range o.Failures {
		s.Failures[k] += n
	}
}

// Result is one measured run of N clients against one target.
type Result struct {
	Target  string
	Clients int
	Elapsed time.Duration
	Ops     []*OpStats // in the order the workload names them
}

// Op returns the stats of the named operation, or nil.
func (r *Result) Op(name string) *OpStats {
	for _, o := range r.Ops {
		if o.Name == name {
			return o
		}
	}
	return nil
}

// Total merges every operation of the run.
func (r *Result) Total() *OpStats {
	t := newOpStats("all operations")
	for _, o := range r.Ops {
		t.merge(o)
	}
	return t
}

// Rate is completed requests per second of s over the run.
func (r *Result) Rate(s *OpStats) float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(s.OK+s.Failed) / r.Elapsed.Seconds()
}

// Report is a load test's result: the server's run, the bare handler's run
// (the ceiling) and what is known about the server.
type Report struct {
	Server  *Result
	Ceiling *Result // nil when the ceiling was not measured
	// Deals is the size of the workspace, as the caller knows it (0: unknown).
	Deals int
	// ServerRSS is the server's resident memory in bytes after the run,
	// from its /metrics; 0 when unknown.
	ServerRSS int64
	// Notes are remarks for the reader (skipped operations and why).
	Notes []string
}

// WriteMarkdown writes the report as a Markdown table with the ceiling
// beside the server's figures.
func (rep *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	s := rep.Server
	fmt.Fprintf(&b, "%d clients for %s against %s", s.Clients, s.Elapsed.Round(time.Millisecond), s.Target)
	if rep.Deals > 0 {
		fmt.Fprintf(&b, " (%s deals in the workspace)", thousands(int64(rep.Deals)))
	}
	b.WriteString(".\n\n")
	var ceilP99 time.Duration
	var ceil *OpStats
	if rep.Ceiling != nil {
		ceil = rep.Ceiling.Total()
		ceilP99 = ceil.Latency.Quantile(0.99)
	}
	b.WriteString("| operation | requests | errors | req/s | p50 | p95 | p99 | max | p99 ÷ ceiling p99 |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	row := func(r *Result, o *OpStats, ratio bool) {
		l := &o.Latency
		p99 := l.Quantile(0.99)
		cmp := "–"
		if ratio && ceilP99 > 0 && l.Count() > 0 {
			cmp = fmt.Sprintf("%.1f×", float64(p99)/float64(ceilP99))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", o.Name, thousands(int64(o.OK+o.Failed)),
			thousands(int64(o.Failed)), rate(r.Rate(o)), ms(l.Quantile(0.50)), ms(l.Quantile(0.95)), ms(p99), ms(l.Max()), cmp)
	}
	for _, o := range s.Ops {
		row(s, o, true)
	}
	total := s.Total()
	row(s, total, true)
	if ceil != nil {
		ceil.Name = "ceiling: bare net/http JSON handler"
		row(rep.Ceiling, ceil, false)
	}
	b.WriteString("\n")
	if ceil != nil && rep.Ceiling.Rate(ceil) > 0 {
		fmt.Fprintf(&b, "Throughput: %s req/s, %.1f%% of the ceiling's %s req/s (same clients, same duration, same run).\n",
			rate(s.Rate(total)), 100*s.Rate(total)/rep.Ceiling.Rate(ceil), rate(rep.Ceiling.Rate(ceil)))
	} else {
		fmt.Fprintf(&b, "Throughput: %s req/s.\n", rate(s.Rate(total)))
	}
	if rep.ServerRSS > 0 {
		fmt.Fprintf(&b, "Server resident memory after the run: %.1f MiB.\n", float64(rep.ServerRSS)/(1<<20))
	}
	var fails []string
	for _, o := range s.Ops {
		for k, n := range o.Failures {
			fails = append(fails, fmt.Sprintf("- %s: %s × %s", o.Name, thousands(int64(n)), k))
		}
	}
	if len(fails) > 0 {
		slices.Sort(fails)
		b.WriteString("\nErrors:\n" + strings.Join(fails, "\n") + "\n")
	}
	for _, n := range rep.Notes {
		b.WriteString("\nNote: " + n + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ms formats a latency in milliseconds with three significant digits.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f ms", v)
	case v < 100:
		return fmt.Sprintf("%.1f ms", v)
	}
	return fmt.Sprintf("%.0f ms", v)
}

// rate formats requests per second: one decimal below 100, whole above.
func rate(v float64) string {
	if v < 100 {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return thousands(int64(v + 0.5))
}

// thousands writes n with comma thousands separators.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
