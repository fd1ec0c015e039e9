package service_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// importBenchRows is the size of the file each benchmark iteration imports.
const importBenchRows = 100_000

// importBenchCSV is a plain accounts file: name, website, country, industry.
func importBenchCSV(iter int) string {
	var b strings.Builder
	b.WriteString("Account Name,Website,Billing Country,Industry\n")
	for i := range importBenchRows {
		fmt.Fprintf(&b, "Company %d-%d,company%d-%d.example,FR,software\n", iter, i, iter, i)
	}
	return b.String()
}

// importBenchContactsCSV is a plain contacts file: first and last name,
// email, title.
func importBenchContactsCSV(iter int) string {
	var b strings.Builder
	b.WriteString("First Name,Last Name,Email,Title\n")
	for i := range importBenchRows {
		fmt.Fprintf(&b, "Anne %d,Dupont %d,anne.%d-%d@example.com,Buyer\n", i, iter, iter, i)
	}
	return b.String()
}

// importBenchDealsCSV is a plain deals file: name, stage, amount, close date.
func importBenchDealsCSV(iter int) string {
	var b strings.Builder
	b.WriteString("Deal Name,Stage,Amount,Close Date\n")
	for i := range importBenchRows {
		fmt.Fprintf(&b, "Deal %d-%d,Qualified,%d,2026-%02d-28\n", iter, i, 1000+i%5000, 1+i%12)
	}
	return b.String()
}

// cpuTime is the user and system CPU time the process has used: on a
// machine shared with other work, rows per CPU second say more about the
// code than rows per wall-clock second.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchRate reports rows per second of wall-clock and of CPU time.
func benchRate(b *testing.B, rows int64, wall, cpu time.Duration) {
	b.ReportMetric(float64(rows)/wall.Seconds(), "rows/s")
	if cpu > 0 {
		b.ReportMetric(float64(rows)/cpu.Seconds(), "rows/cpu-s")
	}
}

// BenchmarkImport measures a plain CSV import of accounts and of deals (all
// or nothing, one transaction) against the same accounts inserted with
// database/sql alone, in the same run: one prepared INSERT per row (raw),
// and prepared multi-row INSERTs of 500 rows (raw-multi), the fastest the
// driver goes. The raw inserts fire the schema's triggers as any writer
// does. Reported as rows/s and rows per CPU second (user and system time of
// the process, which a loaded machine disturbs less).
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
			importKind := func(kind string, file func(int) string) func(b *testing.B) {
				return func(b *testing.B) {
					iter := 0
					var rows int64
					var spent, cpu time.Duration
					for b.Loop() {
						csv := file(iter)
						iter++
						p, err := svc.CreateImport(ctx, a, kind, "bench.csv", strings.NewReader(csv), attain.ImportOptions{})
						if err != nil {
							b.Fatal(err)
						}
						start, c0 := time.Now(), cpuTime()
						imp, err := svc.RunImportNow(ctx, a, p.Import.ID, false)
						spent, cpu = spent+time.Since(start), cpu+cpuTime()-c0
						if err != nil || imp.Created != importBenchRows {
							b.Fatalf("import: %+v %v", imp, err)
						}
						rows += imp.Created
					}
					benchRate(b, rows, spent, cpu)
				}
			}
			b.Run("import", importKind(attain.KindAccounts, importBenchCSV))
			b.Run("import-contacts", importKind(attain.KindContacts, importBenchContactsCSV))
			b.Run("import-deals", importKind(attain.KindDeals, importBenchDealsCSV))
			b.Run("raw", func(b *testing.B) {
				raw := rawDB(b, engine, dsn)
				iter := 0
				var rows int64
				var spent, cpu time.Duration
				for b.Loop() {
					start, c0 := time.Now(), cpuTime()
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
					spent, cpu = spent+time.Since(start), cpu+cpuTime()-c0
					rows += importBenchRows
					iter++
				}
				benchRate(b, rows, spent, cpu)
			})
			b.Run("raw-multi", func(b *testing.B) {
				raw := rawDB(b, engine, dsn)
				const per = 500
				var q strings.Builder
				q.WriteString(`INSERT INTO accounts (workspace_id, name, name_key, domain, website, industry, country, owner_id, created_at, updated_at) VALUES `)
				for r := range per {
					if r > 0 {
						q.WriteString(", ")
					}
					if engine == store.SQLite {
						q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
					} else {
						n := r * 10
						fmt.Fprintf(&q, "($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8, n+9, n+10)
					}
				}
				iter := 0
				var rows int64
				var spent, cpu time.Duration
				for b.Loop() {
					start, c0 := time.Now(), cpuTime()
					tx, err := raw.BeginTx(ctx, nil)
					if err != nil {
						b.Fatal(err)
					}
					st, err := tx.PrepareContext(ctx, q.String())
					if err != nil {
						b.Fatal(err)
					}
					now := time.Now().UTC()
					vals := make([]any, 0, per*10)
					for i := range importBenchRows {
						name := fmt.Sprintf("Multi %d-%d", iter, i)
						domain := fmt.Sprintf("multi%d-%d.example", iter, i)
						vals = append(vals, ws.ID, name, strings.ToLower(name), domain, "https://"+domain, "software", "FR", admin.ID, now, now)
						if len(vals) == cap(vals) {
							if _, err := st.ExecContext(ctx, vals...); err != nil {
								b.Fatal(err)
							}
							vals = vals[:0]
						}
					}
					st.Close()
					if err := tx.Commit(); err != nil {
						b.Fatal(err)
					}
					spent, cpu = spent+time.Since(start), cpu+cpuTime()-c0
					rows += importBenchRows
					iter++
				}
				benchRate(b, rows, spent, cpu)
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
