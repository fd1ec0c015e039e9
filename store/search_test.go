package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// searchWorld is a workspace with a manager over two reps and an admin, and
// a second workspace, for the search tests.
type searchWorld struct {
	db                        *store.DB
	ws, other                 *attain.Workspace
	admin, manager, rep, rep2 *attain.User
	otherAdmin                *attain.User
	rec, otherRec             *storetest.Records
}

func newSearchWorld(t testing.TB, db *store.DB) *searchWorld {
	t.Helper()
	w := &searchWorld{db: db}
	w.ws = storetest.NewWorkspace(t, db, "Search")
	w.other = storetest.NewWorkspace(t, db, "Elsewhere")
	w.admin = storetest.NewMember(t, db, w.ws, "Ada Admin", attain.RoleAdmin)
	w.manager = storetest.NewMember(t, db, w.ws, "Max Manager", attain.RoleManager)
	w.rep = storetest.NewMember(t, db, w.ws, "Rita Rep", attain.RoleRep)
	w.rep2 = storetest.NewMember(t, db, w.ws, "Rob Rep", attain.RoleRep)
	w.otherAdmin = storetest.NewMember(t, db, w.other, "Olga Admin", attain.RoleAdmin)
	storetest.Write(t, db, func(tx *store.Tx) error {
		_, err := tx.CreateTeam(context.Background(), w.ws.ID, attain.TeamInput{
			Name: "Field", ManagerID: &w.manager.ID, MemberIDs: []int64{w.rep.ID, w.rep2.ID}})
		return err
	})
	w.rec = storetest.NewRecords(t, db, w.ws.ID)
	w.otherRec = storetest.NewRecords(t, db, w.other.ID)
	return w
}

// search runs a search as u in their workspace.
func (w *searchWorld) search(t testing.TB, u *attain.User, q attain.SearchQuery) []*attain.SearchResult {
	t.Helper()
	res, err := w.try(u, q)
	if err != nil {
		t.Fatalf("search %q as %s: %v", q.Q, u.Name, err)
	}
	return res
}

func (w *searchWorld) try(u *attain.User, q attain.SearchQuery) ([]*attain.SearchResult, error) {
	ws := w.ws.ID
	if u == w.otherAdmin {
		ws = w.other.ID
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	var res []*attain.SearchResult
	err := w.db.ReadTx(context.Background(), func(tx *store.Tx) error {
		a, err := tx.LoadActor(context.Background(), ws, u.ID)
		if err != nil {
			return err
		}
		res, err = tx.Search(context.Background(), a, q)
		return err
	})
	return res, err
}

// keys names results as "type:title" for comparisons.
func keys(res []*attain.SearchResult) []string {
	out := make([]string, len(res))
	for i, r := range res {
		out[i] = r.Type + ":" + r.Title
	}
	return out
}

func wantFound(t *testing.T, res []*attain.SearchResult, want ...string) {
	t.Helper()
	got := keys(res)
	for _, k := range want {
		if !slices.Contains(got, k) {
			t.Errorf("missing %s in %v", k, got)
		}
	}
}

func wantNotFound(t *testing.T, res []*attain.SearchResult, unwanted ...string) {
	t.Helper()
	got := keys(res)
	for _, k := range unwanted {
		if slices.Contains(got, k) {
			t.Errorf("found %s in %v", k, got)
		}
	}
}

func TestSearch(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		w := newSearchWorld(t, db)
		r := w.rec
		acme := r.Account(w.rep.ID, "Acme Corporation", "acme.com")
		r.Account(w.rep.ID, "Zürich Versicherung", "zurich.ch")
		r.Account(w.rep.ID, "Dynamics Ltd", "dynamics.example")
		jane := r.Contact(w.rep.ID, "Jane", "Doe", "Jane.Doe@acme.com")
		r.Exec(`UPDATE contacts SET title = 'CTO', phone = '+41 44 555 12 34' WHERE id = $1`, jane)
		r.Contact(w.rep.ID, "Jean-Loup", "Müller", "jl@mueller.example")
		r.Lead(w.rep.ID, "Pierre", "Dupont", "Société Générale", "pierre@socgen.example")
		r.Deal(w.rep.ID, "Acme renewal")
		globex := r.Deal(w.rep2.ID, "Globex expansion")
		deleted := r.Account(w.rep.ID, "Vanished Holdings", "vanished.example")
		r.Exec(`UPDATE accounts SET deleted_at = $1 WHERE id = $2`, time.Now().UTC(), deleted)
		w.otherRec.Account(w.otherAdmin.ID, "Acme Elsewhere", "acme-elsewhere.example")

		t.Run("prefix", func(t *testing.T) {
			res := w.search(t, w.admin, attain.SearchQuery{Q: "acm"})
			wantFound(t, res, "account:Acme Corporation", "deal:Acme renewal", "contact:Jane Doe")
			// Names weigh more than emails: the contact found by its
			// address comes after the records named Acme.
			if k := keys(res); k[len(k)-1] != "contact:Jane Doe" {
				t.Errorf("ranking %v: want the contact last", k)
			}
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "glo"}), "deal:Globex expansion")
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "jean lo"}), "contact:Jean-Loup Müller")
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "acme ren"}), "deal:Acme renewal")
			wantNotFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "acme ren"}), "account:Acme Corporation")
		})

		t.Run("one or two letters", func(t *testing.T) {
			// Looked up as the start of a name: an account's or deal's, a
			// contact's or lead's full or last name, a lead's company.
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "a"}), "account:Acme Corporation", "deal:Acme renewal")
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "Do"}), "contact:Jane Doe")
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "pi"}), "lead:Pierre Dupont")
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "so"}), "lead:Pierre Dupont")
			wantNotFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "v"}), "account:Vanished Holdings")
			wantNotFound(t, w.search(t, w.rep2, attain.SearchQuery{Q: "a"}), "account:Acme Corporation", "deal:Acme renewal")
			wantFound(t, w.search(t, w.rep2, attain.SearchQuery{Q: "g"}), "deal:Globex expansion")
			if got := keys(w.search(t, w.otherAdmin, attain.SearchQuery{Q: "a"})); !slices.Equal(got, []string{"account:Acme Elsewhere"}) {
				t.Errorf("other workspace: %v", got)
			}
		})

		t.Run("title first", func(t *testing.T) {
			// A name starting with the query, then the words in a name,
			// then the words elsewhere; the shorter name first.
			id := r.Deal(w.rep.ID, "Renewal for Acme")
			defer r.Exec(`DELETE FROM deals WHERE id = $1`, id)
			got := keys(w.search(t, w.admin, attain.SearchQuery{Q: "acme"}))
			want := []string{"deal:Acme renewal", "account:Acme Corporation", "deal:Renewal for Acme", "contact:Jane Doe"}
			if !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
			// A last letter being typed ranks, the words before it match.
			if got := keys(w.search(t, w.admin, attain.SearchQuery{Q: "acme r"})); len(got) < 2 || got[0] != "deal:Acme renewal" {
				t.Errorf("acme r: %v, want the renewal first", got)
			}
		})

		t.Run("email", func(t *testing.T) {
			for _, q := range []string{"jane.doe@acme.com", " JANE.DOE@ACME.COM "} {
				res := w.search(t, w.admin, attain.SearchQuery{Q: q})
				if len(res) == 0 || res[0].Type != "contact" || res[0].ID != jane || res[0].Score != 1 {
					t.Errorf("%q: %v, want the contact first with score 1", q, keys(res))
				}
				if res[0].Subtitle != "CTO · Jane.Doe@acme.com" {
					t.Errorf("subtitle %q", res[0].Subtitle)
				}
			}
			// Typing the start of an address finds it too.
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "jane.doe@ac"}), "contact:Jane Doe")
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "pierre@socgen.example"}), "lead:Pierre Dupont")
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "555 12"}), "contact:Jane Doe")
		})

		t.Run("domain", func(t *testing.T) {
			for _, q := range []string{"acme.com", "https://www.ACME.com/pricing"} {
				res := w.search(t, w.admin, attain.SearchQuery{Q: q})
				if len(res) == 0 || res[0].Type != "account" || res[0].ID != acme || res[0].Score != 1 {
					t.Errorf("%q: %v, want the account first with score 1", q, keys(res))
				}
			}
			for _, res := range w.search(t, w.admin, attain.SearchQuery{Q: "acme"}) {
				if res.Score <= 0 || res.Score >= 1 {
					t.Errorf("full-text score %v of %s:%s outside (0, 1)", res.Score, res.Type, res.Title)
				}
			}
		})

		t.Run("diacritics", func(t *testing.T) {
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "zurich"}), "account:Zürich Versicherung")
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "ZÜRICH"}), "account:Zürich Versicherung")
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "societe gen"}), "lead:Pierre Dupont")
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "dupónt"}), "lead:Pierre Dupont")
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "muller"}), "contact:Jean-Loup Müller")
		})

		t.Run("types and limit", func(t *testing.T) {
			res := w.search(t, w.admin, attain.SearchQuery{Q: "acme", Types: []string{"deal"}})
			if got := keys(res); !slices.Equal(got, []string{"deal:Acme renewal"}) {
				t.Errorf("deals only: %v", got)
			}
			if res := w.search(t, w.admin, attain.SearchQuery{Q: "acme", Limit: 1}); len(res) != 1 {
				t.Errorf("limit 1: %v", keys(res))
			}
		})

		t.Run("soft-deleted excluded", func(t *testing.T) {
			wantNotFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "vanished"}), "account:Vanished Holdings")
			wantNotFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "vanished.example"}), "account:Vanished Holdings")
			r.Exec(`UPDATE accounts SET deleted_at = NULL WHERE id = $1`, deleted)
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "vanished"}), "account:Vanished Holdings")
			r.Exec(`UPDATE accounts SET deleted_at = $1 WHERE id = $2`, time.Now().UTC(), deleted)
			wantNotFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "vanished"}), "account:Vanished Holdings")
		})

		t.Run("visibility", func(t *testing.T) {
			wantNotFound(t, w.search(t, w.rep, attain.SearchQuery{Q: "globex"}), "deal:Globex expansion")
			wantFound(t, w.search(t, w.rep2, attain.SearchQuery{Q: "globex"}), "deal:Globex expansion")
			wantFound(t, w.search(t, w.manager, attain.SearchQuery{Q: "globex"}), "deal:Globex expansion")
			wantNotFound(t, w.search(t, w.rep2, attain.SearchQuery{Q: "acme"}), "deal:Acme renewal", "account:Acme Corporation")
			wantNotFound(t, w.search(t, w.rep2, attain.SearchQuery{Q: "acme.com"}), "account:Acme Corporation")
			wantNotFound(t, w.search(t, w.rep2, attain.SearchQuery{Q: "jane.doe@acme.com"}), "contact:Jane Doe")

			// A deal shows its account's name only to those who see the account.
			v := r.DealValues(w.rep2.ID, "Acme subcontract")
			v["account_id"] = acme
			r.Insert("deals", v)
			for u, want := range map[*attain.User]string{w.rep2: "open · 2030-12-31", w.manager: "Acme Corporation · open · 2030-12-31"} {
				res := w.search(t, u, attain.SearchQuery{Q: "subcontract"})
				if len(res) != 1 || res[0].Subtitle != want {
					t.Errorf("%s: %+v, want subtitle %q", u.Name, res, want)
				}
			}
		})

		t.Run("workspace isolation", func(t *testing.T) {
			wantNotFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "acme"}), "account:Acme Elsewhere")
			wantNotFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "acme-elsewhere.example"}), "account:Acme Elsewhere")
			res := w.search(t, w.otherAdmin, attain.SearchQuery{Q: "acme"})
			if got := keys(res); !slices.Equal(got, []string{"account:Acme Elsewhere"}) {
				t.Errorf("other workspace: %v", got)
			}
		})

		t.Run("updates re-index", func(t *testing.T) {
			r.Exec(`UPDATE deals SET name = 'Initech rollout' WHERE id = $1`, globex)
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "initech"}), "deal:Initech rollout")
			res := w.search(t, w.admin, attain.SearchQuery{Q: "globex"})
			if len(res) != 0 {
				t.Errorf("old name still found: %v", keys(res))
			}
			// A change to a column search does not cover leaves it alone.
			r.Exec(`UPDATE deals SET amount = 5000 WHERE id = $1`, globex)
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "initech"}), "deal:Initech rollout")
			r.Exec(`UPDATE contacts SET email = 'jane@initech.example' WHERE id = $1`, jane)
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "jane@initech.example"}), "contact:Jane Doe")
			if res := w.search(t, w.admin, attain.SearchQuery{Q: "jane.doe@acme.com"}); len(res) != 0 {
				t.Errorf("old email still found: %v", keys(res))
			}
		})

		t.Run("hard delete", func(t *testing.T) {
			id := r.Lead(w.rep.ID, "Temporary", "Person", "", "")
			wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: "temporary"}), "lead:Temporary Person")
			r.Exec(`DELETE FROM leads WHERE id = $1`, id)
			if res := w.search(t, w.admin, attain.SearchQuery{Q: "temporary"}); len(res) != 0 {
				t.Errorf("deleted lead found: %v", keys(res))
			}
		})

		t.Run("hostile input", func(t *testing.T) {
			for _, q := range hostileQueries {
				if _, err := w.try(w.rep, attain.SearchQuery{Q: q}); err != nil && attain.ErrorCode(err) != attain.EINVALID {
					t.Errorf("%q: %v", q, err)
				}
			}
			// Syntax around a word is ignored; the word is still found.
			for _, q := range []string{`"acme"`, `acme*`, `-acme`, `(acme)`, `acme:*`, `'acme'`, `acme!`} {
				wantFound(t, w.search(t, w.admin, attain.SearchQuery{Q: q}), "account:Acme Corporation")
			}
		})
	})
}

// TestSearchShortPrefixCollation checks that a query of one or two letters
// finds the names starting with it, and only those, whatever the database's
// collation: in one such as ICU's en-US, "ábel" sorts between "ab" and
// "ab"+U+10FFFF although it does not start with "ab", so the name ranges
// must compare bytewise.
func TestSearchShortPrefixCollation(t *testing.T) {
	check := func(t *testing.T, db *store.DB) {
		w := newSearchWorld(t, db)
		r := w.rec
		r.Account(w.rep.ID, "Abacus Systems", "abacus.example")
		r.Account(w.rep.ID, "Äbte Holding", "aebte.example")
		r.Contact(w.rep.ID, "Zoe", "Abbott", "zoe@example.com")
		r.Contact(w.rep.ID, "Ábel", "Zed", "abel@example.com")
		r.Lead(w.rep.ID, "Lena", "Smith", "ABB Ltd", "lena@abb.example")
		r.Lead(w.rep.ID, "Åbo", "Lind", "Turku Oy", "abo@turku.example")
		r.Deal(w.rep.ID, "Abraxas rollout")
		r.Deal(w.rep.ID, "Aardvark pilot")
		for _, q := range []string{"Ab", "ab"} {
			res := w.search(t, w.admin, attain.SearchQuery{Q: q})
			got := keys(res)
			slices.Sort(got)
			want := []string{"account:Abacus Systems", "contact:Zoe Abbott", "deal:Abraxas rollout", "lead:Lena Smith"}
			if !slices.Equal(got, want) {
				t.Errorf("search %q: got %v, want %v", q, got, want)
			}
		}
	}
	storetest.ForEachEngine(t, check)
	t.Run("postgres-icu-en-US", func(t *testing.T) { check(t, storetest.OpenPostgresCollated(t, "en-US")) })
}

// TestSearchThroughStore checks that records written by the store's own
// functions are found, renamed and soft-deleted like any others.
func TestSearchThroughStore(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		w := newSearchWorld(t, db)
		ctx := context.Background()
		x := &attain.Account{Name: "Hooli", Domain: "hooli.example", OwnerID: w.rep.ID}
		storetest.Write(t, db, func(tx *store.Tx) error { return tx.CreateAccount(ctx, w.ws.ID, x) })
		wantFound(t, w.search(t, w.rep, attain.SearchQuery{Q: "hoo"}), "account:Hooli")
		x.Name = "Pied Piper"
		storetest.Write(t, db, func(tx *store.Tx) error { return tx.UpdateAccount(ctx, w.ws.ID, x, x.Version) })
		wantFound(t, w.search(t, w.rep, attain.SearchQuery{Q: "pied"}), "account:Pied Piper")
		wantNotFound(t, w.search(t, w.rep, attain.SearchQuery{Q: "hooli"}), "account:Hooli")
		now := time.Now().UTC()
		storetest.Write(t, db, func(tx *store.Tx) error { return tx.SetAccountDeleted(ctx, w.ws.ID, x, x.Version, &now) })
		wantNotFound(t, w.search(t, w.rep, attain.SearchQuery{Q: "pied"}), "account:Pied Piper")
	})
}

// hostileQueries are inputs that would be syntax if passed to the engines.
var hostileQueries = []string{
	`"`, `""`, `"acme`, `*`, `acme*`, `**`, `NEAR(`, `NEAR(acme globex)`, `OR`, `acme OR`, `AND NOT`,
	`-`, `-acme`, `'`, `o'brien`, `\`, `\'`, `acme:*`, `a & b | !c`, `(`, `)`, `{title}: acme`,
	`title:acme`, `^acme`, `+`, `acme + globex`, `<->`, `😀`, `Москва`, `北京`, "\u0308", "a\u0308",
	"\x00", "\xff\xfe", `%_`, `; DROP TABLE accounts; --`, strings.Repeat("a", 500), strings.Repeat("ab ", 60),
}

// FuzzSearchQuery checks that no typed text, once sanitised, is anything
// but words to the engines: every term is letters, digits and marks, and
// the search itself never fails.
func FuzzSearchQuery(f *testing.F) {
	for _, q := range hostileQueries {
		f.Add(q)
	}
	var worlds []*searchWorld
	for _, engine := range storetest.Engines() {
		w := newSearchWorld(f, storetest.Open(f, engine))
		w.rec.Account(w.rep.ID, "Acme Corporation", "acme.com")
		w.rec.Contact(w.rep.ID, "Jane", "Doe", "jane@acme.com")
		worlds = append(worlds, w)
	}
	f.Fuzz(func(t *testing.T, q string) {
		terms := attain.SearchTerms(q)
		if len(terms) > attain.MaxSearchTerms {
			t.Fatalf("%d terms", len(terms))
		}
		for _, term := range terms {
			if term == "" || len([]rune(term)) > attain.MaxSearchTermLength {
				t.Fatalf("term %q", term)
			}
			for _, r := range term {
				if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.M, r) {
					t.Fatalf("term %q holds %q", term, r)
				}
			}
		}
		for _, w := range worlds {
			if _, err := w.try(w.rep, attain.SearchQuery{Q: q}); err != nil && attain.ErrorCode(err) != attain.EINVALID {
				t.Fatalf("%s: search %q: %v", w.db.Engine(), q, err)
			}
		}
	})
}

// BenchmarkSearch searches 50,000 mixed records (an eighth of them the
// benchmark rep's, the rest another rep's) as a rep and as an admin.
func BenchmarkSearch(b *testing.B) {
	forEachBenchEngine(b, func(b *testing.B, engine string) {
		w, cases := searchBench(b, engine, false)
		for _, c := range cases {
			b.Run(c.name, func(b *testing.B) {
				q := attain.SearchQuery{Q: c.q}
				if len(w.search(b, c.u, q)) == 0 {
					b.Fatalf("%q finds nothing", c.q)
				}
				for b.Loop() {
					w.search(b, c.u, q)
				}
			})
		}
	})
}

// searchCase is one benchmarked search: who asks what.
type searchCase struct {
	name string
	u    *attain.User
	q    string
}

// searchBench returns the searched world and its cases: 50,000 records in
// a fresh database, or the demo workspace at scale (scale_bench_test.go).
// baseline keeps the cases BenchmarkSearchRaw has a query for.
func searchBench(b *testing.B, engine string, baseline bool) (*searchWorld, []searchCase) {
	b.Helper()
	if scaleDSN() != "" {
		w := newScaleSearchWorld(b)
		var cases []searchCase
		for _, c := range scaleSearchCases(b, w) {
			cases = append(cases, searchCase{c.name + "-rep", w.rep, c.q}, searchCase{c.name + "-admin", w.admin, c.q})
		}
		return w, cases
	}
	w := newSearchWorld(b, storetest.Open(b, engine))
	seedSearchBench(b, w, 50_000)
	cases := []searchCase{
		{"prefix-rep", w.rep, "acm"},
		{"prefix-admin", w.admin, "acm"},
		{"two-words-admin", w.admin, "jane mul"},
		{"rare-admin", w.admin, "zurich"},
	}
	if !baseline {
		cases = append(cases,
			searchCase{"email-admin", w.admin, "jane.muller17@acme17.example"},
			searchCase{"domain-admin", w.admin, "globex3.example"},
			searchCase{"single-letter-admin", w.admin, "s"})
	}
	return w, cases
}

// seedSearchBench writes n records, a quarter of each kind, in one
// transaction with plain SQL.
func seedSearchBench(b *testing.B, w *searchWorld, n int) {
	b.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	companies := []string{"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Zürich", "Société", "Tyrell", "Cyberdyne", "Soylent", "Wonka", "Massive", "Duff"}
	suffixes := []string{"Corporation", "Holdings", "Systems", "Labs", "Group", "GmbH", "Industries", "Partners"}
	firsts := []string{"Jane", "John", "Marie", "Pierre", "Ana", "Ion", "Giulia", "Marco", "Olga", "Ivan", "Chloé", "Björn"}
	lasts := []string{"Doe", "Müller", "Dupont", "Popescu", "Rossi", "Ivanova", "Smith", "García", "Nowak", "Jensen"}
	owner := func() int64 {
		if rng.IntN(8) == 0 {
			return w.rep.ID
		}
		return w.rep2.ID
	}
	deal := w.rec.DealValues(w.rep.ID, "x") // makes the pipeline
	tx, err := w.rec.Raw.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	stmt := func(q string) func(args ...any) {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			b.Fatalf("%s: %v", q, err)
		}
		return func(args ...any) {
			if _, err := st.ExecContext(ctx, args...); err != nil {
				b.Fatalf("%s: %v", q, err)
			}
		}
	}
	account := stmt(`INSERT INTO accounts (workspace_id, name, domain, owner_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`)
	contact := stmt(`INSERT INTO contacts (workspace_id, first_name, last_name, email, title, owner_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`)
	lead := stmt(`INSERT INTO leads (workspace_id, first_name, last_name, company, email, owner_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`)
	deals := stmt(`INSERT INTO deals (workspace_id, name, pipeline_id, stage_id, currency, close_date, owner_id, stage_entered_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, 'EUR', '2030-12-31', $5, $6, $6, $6)`)
	for i := range n / 4 {
		co := companies[rng.IntN(len(companies))]
		name := fmt.Sprintf("%s %s %d", co, suffixes[rng.IntN(len(suffixes))], i)
		domain := fmt.Sprintf("%s%d.example", strings.ToLower(co), i)
		first, last := firsts[rng.IntN(len(firsts))], lasts[rng.IntN(len(lasts))]
		email := fmt.Sprintf("%s.%s%d@%s%d.example", strings.ToLower(first), strings.ToLower(last), i, strings.ToLower(co), i)
		account(w.ws.ID, name, domain, owner(), now)
		contact(w.ws.ID, first, last, email, "Buyer", owner(), now)
		lead(w.ws.ID, first, last, name, email, owner(), now)
		deals(w.ws.ID, co+" renewal "+fmt.Sprint(i), deal["pipeline_id"], deal["stage_id"], owner(), now)
	}
	// Known targets for the exact-match cases.
	account(w.ws.ID, "Globex Three", "globex3.example", w.admin.ID, now)
	contact(w.ws.ID, "Jane", "Müller", "jane.muller17@acme17.example", "CTO", w.admin.ID, now)
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if w.db.Engine() == store.Postgres {
		w.rec.Exec(`ANALYZE`)
	}
}
