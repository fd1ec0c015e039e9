package loadtest

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Benchmark is one result line of `go test -bench` output.
type Benchmark struct {
	Package string
	Name    string // without the Benchmark prefix and the -GOMAXPROCS suffix
	N       int64
	NsPerOp float64
	// Other holds the other metrics of the line (B/op, allocs/op, rows/s
	// and whatever a benchmark reports), in order.
	Other []string
}

// ParseBenchmarks reads `go test -bench` output, keeping the result lines
// and the package each belongs to.
func ParseBenchmarks(r io.Reader) ([]Benchmark, error) {
	var out []Benchmark
	pkg := ""
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimSpace(p)
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || f[3] != "ns/op" {
			continue
		}
		n, err1 := strconv.ParseInt(f[1], 10, 64)
		ns, err2 := strconv.ParseFloat(f[2], 64)
		if err1 != nil || err2 != nil {
			continue
		}
		name := strings.TrimPrefix(f[0], "Benchmark")
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		b := Benchmark{Package: pkg, Name: name, N: n, NsPerOp: ns}
		for i := 4; i+1 < len(f); i += 2 {
			b.Other = append(b.Other, f[i]+" "+f[i+1])
		}
		out = append(out, b)
	}
	return out, sc.Err()
}

// baselineName is the name of b's baseline: the top-level benchmark's name
// with Raw appended, the same sub-benchmarks.
func baselineName(name string) string {
	top, rest, _ := strings.Cut(name, "/")
	if rest == "" {
		return top + "Raw"
	}
	return top + "Raw/" + rest
}

// WriteBenchmarkTable writes the benchmarks as a Markdown table, each with
// its baseline (the XRaw benchmark of the same package) and the ratio. The
// baselines themselves appear only beside what they measure.
func WriteBenchmarkTable(w io.Writer, bs []Benchmark) error {
	type key struct{ pkg, name string }
	byName := map[key]Benchmark{}
	isBaseline := map[key]bool{}
	for _, b := range bs {
		byName[key{b.Package, b.Name}] = b
	}
	for _, b := range bs {
		if _, ok := byName[key{b.Package, baselineName(b.Name)}]; ok {
			isBaseline[key{b.Package, baselineName(b.Name)}] = true
		}
	}
	var sb strings.Builder
	sb.WriteString("| package | benchmark | time/op | ops/s | raw baseline | ratio | other |\n")
	sb.WriteString("| --- | --- | ---: | ---: | ---: | ---: | --- |\n")
	for _, b := range bs {
		if isBaseline[key{b.Package, b.Name}] {
			continue
		}
		base, ratio := "–", "–"
		if r, ok := byName[key{b.Package, baselineName(b.Name)}]; ok && r.NsPerOp > 0 {
			base = duration(r.NsPerOp)
			ratio = fmt.Sprintf("%.1f×", b.NsPerOp/r.NsPerOp)
		}
		ops := "–"
		if b.NsPerOp > 0 {
			ops = rate(1e9 / b.NsPerOp)
		}
		pkg := b.Package[strings.LastIndexByte(b.Package, '/')+1:]
		fmt.Fprintf(&sb, "| %s | %s | %s | %s | %s | %s | %s |\n", pkg, b.Name, duration(b.NsPerOp), ops, base, ratio, strings.Join(b.Other, ", "))
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// duration formats nanoseconds per operation readably.
func duration(ns float64) string {
	d := time.Duration(ns)
	switch {
	case d < time.Microsecond:
		return fmt.Sprintf("%.0f ns", ns)
	case d < 100*time.Microsecond:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", ns/1e3)
	case d < time.Second:
		return ms(d)
	}
	return fmt.Sprintf("%.2f s", ns/1e9)
}
