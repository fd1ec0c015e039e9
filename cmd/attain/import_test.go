package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/attain-crm/attain/store/storetest"
)

// TestImportExportRoundTrip imports a dirty file, exports it, and imports
// the export into a second workspace-fresh database: the records come back.
func TestImportExportRoundTrip(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := engineEnv(t, engine)
			bootstrap(t, env)
			dir := t.TempDir()
			in := filepath.Join(dir, "in.csv")
			csv := "Account Name,Website,Billing Country,Industry\nAcme,acme.com,FR,Software\nGlobex,globex.io,XX,\nInitech,initech.com,US,\n"
			if err := os.WriteFile(in, []byte(csv), 0o600); err != nil {
				t.Fatal(err)
			}
			out, _, err := runAttain(t, env, "import", "--kind", "accounts", in)
			if err == nil || !strings.Contains(out, "Nothing imported") || !strings.Contains(out, `line 3 column "Billing Country"`) {
				t.Fatalf("all or nothing: %v\n%s", err, out)
			}
			out = mustAttain(t, env, "import", "--kind", "accounts", "--dry-run", "--mode", "skip_bad_rows", in)
			if !strings.Contains(out, "2 created") {
				t.Fatalf("dry run: %s", out)
			}
			mustAttain(t, env, "import", "--kind", "accounts", "--mode", "skip_bad_rows", in)
			exported := filepath.Join(dir, "out.csv")
			mustAttain(t, env, "export", "--kind", "accounts", "--sort", "name", "-o", exported)
			b, err := os.ReadFile(exported)
			if err != nil || !strings.Contains(string(b), "Acme,acme.com,https://acme.com,software,,FR") || strings.Count(string(b), "\n") != 3 {
				t.Fatalf("export: %v\n%s", err, b)
			}
			env2 := engineEnv(t, engine)
			bootstrap(t, env2)
			out = mustAttain(t, env2, "import", "--kind", "accounts", exported)
			if !strings.Contains(out, "2 created") {
				t.Fatalf("re-import: %s", out)
			}
			again := filepath.Join(dir, "again.csv")
			mustAttain(t, env2, "export", "--kind", "accounts", "--sort", "name", "-o", again)
			b2, _ := os.ReadFile(again)
			first := func(s string) string { // drop ids and times, which differ
				var rows []string
				for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
					f := strings.Split(l, ",")
					rows = append(rows, strings.Join(f[:len(f)-3], ","))
				}
				return strings.Join(rows, "\n")
			}
			if first(string(b)) != first(string(b2)) {
				t.Fatalf("round trip differs:\n%s\n---\n%s", b, b2)
			}
		})
	}
}
