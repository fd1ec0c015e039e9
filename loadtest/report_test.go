package loadtest

import (
	"strings"
	"testing"
	"time"
)

func opWith(name string, failed int, ms ...int) *OpStats {
	s := newOpStats(name)
	for _, m := range ms {
		s.Latency.Add(time.Duration(m) * time.Millisecond)
	}
	s.OK = len(ms) - failed
	s.Failed = failed
	return s
}

func TestWriteMarkdown(t *testing.T) {
	create := opWith("create deal", 1, 2, 4, 6, 8)
	create.Failures["422 POST /api/v1/deals: Some fields are invalid. name"] = 1
	rep := &Report{
		Server: &Result{Target: "http://127.0.0.1:18090", Clients: 2, Elapsed: 2 * time.Second, Ops: []*OpStats{
			opWith("list deals (filtered)", 0, 1, 1, 2, 3, 150),
			create,
		}},
		Ceiling: &Result{Target: "http://127.0.0.1:1", Clients: 2, Elapsed: 2 * time.Second, Ops: []*OpStats{
			opWith("ceiling", 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2),
		}},
		Deals:     12345,
		ServerRSS: 150 << 20,
		Notes:     []string{"the server has no dashboard endpoints yet."},
	}
	var b strings.Builder
	if err := rep.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	want := `2 clients for 2s against http://127.0.0.1:18090 (12,345 deals in the workspace).

| operation | requests | errors | req/s | p50 | p95 | p99 | max | p99 ÷ ceiling p99 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| list deals (filtered) | 5 | 0 | 2.5 | 2.00 ms | 150 ms | 150 ms | 150 ms | 75.0× |
| create deal | 4 | 1 | 2.0 | 4.00 ms | 8.00 ms | 8.00 ms | 8.00 ms | 4.0× |
| all operations | 9 | 1 | 4.5 | 3.00 ms | 150 ms | 150 ms | 150 ms | 75.0× |
| ceiling: bare net/http JSON handler | 20 | 0 | 10.0 | 1.00 ms | 2.00 ms | 2.00 ms | 2.00 ms | – |

Throughput: 4.5 req/s, 45.0% of the ceiling's 10.0 req/s (same clients, same duration, same run).
Server resident memory after the run: 150.0 MiB.

Errors:
- create deal: 1 × 422 POST /api/v1/deals: Some fields are invalid. name

Note: the server has no dashboard endpoints yet.
`
	if got := b.String(); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}
}

func TestFormatting(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{ms(420 * time.Microsecond), "0.42 ms"},
		{ms(12340 * time.Microsecond), "12.3 ms"},
		{ms(1234 * time.Millisecond), "1234 ms"},
		{rate(12.345), "12.3"},
		{rate(41234.6), "41,235"},
		{thousands(0), "0"},
		{thousands(999), "999"},
		{thousands(1000), "1,000"},
		{thousands(-1234567), "-1,234,567"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
