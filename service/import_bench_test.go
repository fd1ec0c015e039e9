package service_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// importBenchRows is the size of the file each benchmark iteration imports.
const importBenchRows = 50_000

// importBenchCSV is a plain accounts file: name, website, country, industry.
func importBenchCSV(iter int) string {
	var b strings.Builder
	b.WriteString("Account Name,Website,Billing Country,Industry\n")
	for i := range importBenchRows {
		fmt.Fprintf(&b, "Company %d-%d,company%d-%d.example,FR,software\n", iter, i, iter, i)
	}
	return b.String()
}

// BenchmarkImport measures a plain CSV import of accounts (all or nothing,
// one transaction) against the same rows inserted with database/sql and a
// prepared statement, in the same run. Reported as rows/s.
//
//	ATTAIN_TEST_POSTGRES_URL=... go test ./service -run '^$' -bench BenchmarkImport -benchtime 3x
func BenchmarkImport(b *testing.B) {
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			dsn := storetest.DSN(b, engine)
			db, err := store.Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			if err := db.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			svc := service.New(db, slog.New(slog.DiscardHandler), service.FastHasher())
			ws, admin, err := svc.Bootstrap(ctx, "Bench", attain.NewUser{Email: "admin@bench.test", Name: "Admin", Password: "a long password"})
			if err != nil {
				b.Fatal(err)
			}
			a, err := svc.ActorFor(ctx, ws.ID, admin.ID)
			if err != nil {
				b.Fatal(err)
			}
			b.Run("import", func(b *testing.B) {
				iter := 0
				var rows int64
				var spent time.Duration
				for b.Loop() {
					csv := importBenchCSV(iter)
					iter++
					p, err := svc.CreateImport(ctx, a, attain.KindAccounts, "bench.csv", strings.NewReader(csv), attain.ImportOptions{})
					if err != nil {
						b.Fatal(err)
					}
					start := time.Now()
					imp, err := svc.RunImportNow(ctx, a, p.Import.ID, false)
					spent += time.Since(start)
					if err != nil || imp.Created != importBenchRows {
						b.Fatalf("import: %+v %v", imp, err)
					}
					rows += imp.Created
				}
				b.ReportMetric(float64(rows)/spent.Seconds(), "rows/s")
			})
			b.Run("raw", func(b *testing.B) {
				raw := rawDB(b, engine, dsn)
				iter := 0
				var rows int64
				var spent time.Duration
				for b.Loop() {
					start := time.Now()
					tx, err := raw.BeginTx(ctx, nil)
					if err != nil {
						b.Fatal(err)
					}
					st, err := tx.PrepareContext(ctx, `INSERT INTO accounts (workspace_id, name, name_key, domain, website, industry, country,
						owner_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`)
					if err != nil {
						b.Fatal(err)
					}
					now := time.Now().UTC()
					for i := range importBenchRows {
						name := fmt.Sprintf("Raw %d-%d", iter, i)
						domain := fmt.Sprintf("raw%d-%d.example", iter, i)
						if _, err := st.ExecContext(ctx, ws.ID, name, strings.ToLower(name), domain, "https://"+domain, "software", "FR", admin.ID, now); err != nil {
							b.Fatal(err)
						}
					}
					st.Close()
					if err := tx.Commit(); err != nil {
						b.Fatal(err)
					}
					spent += time.Since(start)
					rows += importBenchRows
					iter++
				}
				b.ReportMetric(float64(rows)/spent.Seconds(), "rows/s")
			})
		})
	}
}

// rawDB opens the benchmark's database with the driver alone, with the
// settings the store uses for writes.
func rawDB(b *testing.B, engine, dsn string) *sql.DB {
	b.Helper()
	driver, src := "pgx", dsn
	if engine == store.SQLite {
		driver = "sqlite"
		src = "file:" + dsn + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_time_format=sqlite&_txlock=immediate"
	}
	db, err := sql.Open(driver, src)
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	b.Cleanup(func() { db.Close() })
	return db
}
