package loadtest

import (
	"strings"
	"testing"
)

func TestBenchmarkTable(t *testing.T) {
	out := `goos: linux
pkg: github.com/attain-crm/attain/store
cpu: Some CPU
BenchmarkDealCreate/sqlite-2         	    2000	    412000 ns/op	   12000 B/op	     150 allocs/op
BenchmarkDealCreate/postgres-2       	    2000	   1600000 ns/op
--- FAIL: BenchmarkSomething
BenchmarkDealCreateRaw/sqlite-2      	    2000	    206000 ns/op
BenchmarkDealCreateRaw/postgres-2    	    2000	   1000000 ns/op
BenchmarkDealList/sqlite/name-prefix-2	    2000	     85000 ns/op
PASS
pkg: github.com/attain-crm/attain/importer
BenchmarkImport-2	1	2500000000 ns/op	  120000 rows/s
`
	bs, err := ParseBenchmarks(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 6 || bs[0].Name != "DealCreate/sqlite" || bs[0].N != 2000 || bs[5].Package != "github.com/attain-crm/attain/importer" {
		t.Fatalf("parsed %+v", bs)
	}
	var b strings.Builder
	if err := WriteBenchmarkTable(&b, bs); err != nil {
		t.Fatal(err)
	}
	want := `| package | benchmark | time/op | ops/s | raw baseline | ratio | other |
| --- | --- | ---: | ---: | ---: | ---: | --- |
| store | DealCreate/sqlite | 412 µs | 2,427 | 206 µs | 2.0× | 12000 B/op, 150 allocs/op |
| store | DealCreate/postgres | 1.60 ms | 625 | 1.00 ms | 1.6× |  |
| store | DealList/sqlite/name-prefix | 85.0 µs | 11,765 | – | – |  |
| importer | Import | 2.50 s | 0.4 | – | – | 120000 rows/s |
`
	if got := b.String(); got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
}
