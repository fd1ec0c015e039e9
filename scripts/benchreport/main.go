// Command benchreport turns `go test -bench` output (stdin) into a Markdown
// table with each benchmark's raw-driver baseline (the XRaw benchmark) and
// the ratio beside it. `make bench` uses it for the results file.
package main

import (
	"fmt"
	"os"

	"github.com/attain-crm/attain/loadtest"
)

func main() {
	bs, err := loadtest.ParseBenchmarks(os.Stdin)
	if err == nil {
		err = loadtest.WriteBenchmarkTable(os.Stdout, bs)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}
