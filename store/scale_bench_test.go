package store_test

// At-scale mode of the storage benchmarks. With ATTAIN_BENCH_DB naming a
// database made by `attain demo` (a SQLite file, or a postgres:// URL), the
// deal, activity and search benchmarks and their raw baselines run inside
// that database's demo workspace, among all its deals and activities,
// instead of in a fresh database. The benchmarks write to it, so point it at
// a copy:
//
//	attain demo --deals 1000000 --reps 100          # once, into data/attain.db
//	cp data/attain.db /tmp/scale.db
//	ATTAIN_BENCH_DB=/tmp/scale.db go test ./store -run '^$' -bench 'Deal|Search|Activity' -benchtime 2000x
//
// scripts/bench-scale.sh does exactly this and prints the ratio table.

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// scaleEnv names the demo database the benchmarks run in at scale.
const scaleEnv = "ATTAIN_BENCH_DB"

// scaleWorkspace is the slug of the workspace `attain demo` creates.
const scaleWorkspace = "demo"

// scale is the demo database and what the benchmarks need of it, opened
// once per test binary: a million-deal model is too big to reopen per
// benchmark.
var scale struct {
	once sync.Once
	db   *store.DB
	err  error
}

// scaleDSN returns the at-scale database, or "" in the normal mode.
func scaleDSN() string { return os.Getenv(scaleEnv) }

// scaleEngine is the engine of the at-scale database.
func scaleEngine(dsn string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return store.Postgres
	}
	return store.SQLite
}

// openScale opens the at-scale database (once).
func openScale(b *testing.B) *store.DB {
	b.Helper()
	scale.once.Do(func() {
		ctx := context.Background()
		scale.db, scale.err = store.Open(ctx, scaleDSN())
		if scale.err == nil {
			scale.err = scale.db.Migrate(ctx)
		}
	})
	if scale.err != nil {
		b.Fatalf("open %s: %v", scaleEnv, scale.err)
	}
	return scale.db
}

// scaleMembers returns the demo workspace, its admin and its first five reps.
func scaleMembers(b *testing.B, db *store.DB) (ws *attain.Workspace, admin *attain.User, reps []*attain.User) {
	b.Helper()
	ctx := context.Background()
	err := db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		if ws, err = tx.FindWorkspaceBySlug(ctx, scaleWorkspace); err != nil {
			return err
		}
		members, err := tx.FindMembers(ctx, ws.ID)
		if err != nil {
			return err
		}
		for _, u := range members {
			switch {
			case u.Role == attain.RoleAdmin && admin == nil:
				admin = u
			case u.Role == attain.RoleRep && len(reps) < 5:
				reps = append(reps, u)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatalf("%s: the demo workspace: %v", scaleEnv, err)
	}
	if admin == nil || len(reps) < 5 {
		b.Fatalf("%s: the demo workspace needs an admin and five reps", scaleEnv)
	}
	return ws, admin, reps
}

// newScaleDealBench is newDealBench in the demo workspace: its default
// pipeline and five of its reps, the first being the actor.
func newScaleDealBench(b *testing.B) *dealBench {
	b.Helper()
	db := openScale(b)
	ws, _, reps := scaleMembers(b, db)
	x := &dealBench{db: db, ws: ws.ID}
	for _, u := range reps {
		x.owners = append(x.owners, u.ID)
	}
	ctx := context.Background()
	err := db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		x.pipeline, err = tx.FindDefaultPipeline(ctx, ws.ID)
		return err
	})
	if err != nil {
		b.Fatalf("%s: the default pipeline: %v", scaleEnv, err)
	}
	x.actor = &attain.Actor{UserID: x.owners[0], WorkspaceID: x.ws, Role: attain.RoleRep, OwnerIDs: []int64{x.owners[0]}}
	return x
}

// newScaleSearchWorld is a searchWorld over the demo workspace: its admin,
// and a rep as the one whose visibility is limited.
func newScaleSearchWorld(b *testing.B) *searchWorld {
	b.Helper()
	db := openScale(b)
	ws, admin, reps := scaleMembers(b, db)
	return &searchWorld{db: db, ws: ws, admin: admin, rep: reps[0]}
}

// scaleSearchCases are the searches run at scale, one of each kind a user
// types, in the demo's vocabulary (demo/data.go): a whole common word, a
// company-name prefix, a longer word half typed, one letter, an email
// address (of one of the rep's contacts, looked up), two words, and a rare
// given name.
func scaleSearchCases(b *testing.B, w *searchWorld) []struct{ name, q string } {
	b.Helper()
	var email string
	err := rawOpen(b, w.db).QueryRow(`SELECT email FROM contacts WHERE workspace_id = $1 AND owner_id = $2 AND email <> '' AND deleted_at IS NULL
		ORDER BY id LIMIT 1`, w.ws.ID, w.rep.ID).Scan(&email)
	if err != nil {
		b.Fatalf("%s: a contact of %s: %v", scaleEnv, w.rep.Name, err)
	}
	return []struct{ name, q string }{
		{"word", "professional"},
		{"prefix", "nex"},
		{"partial-word", "profess"},
		{"single-letter", "s"},
		{"email", email},
		{"two-words", "professional seat"},
		{"rare", "zeynep"},
	}
}
