package store_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/attain-crm/attain/store/storetest"
)

func BenchmarkSearchDebugPlan(b *testing.B) {
	engine := os.Getenv("ENGINE")
	db := storetest.Open(b, engine)
	w := newSearchWorld(b, db)
	seedSearchBench(b, w, 50_000)
	raw := storetest.Raw(b, db)
	q := os.Getenv("PLANQ")
	rows, err := raw.QueryContext(context.Background(), q, w.ws.ID)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		rows.Scan(ptrs...)
		fmt.Println(vals...)
	}
}
