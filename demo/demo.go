// Package demo generates a demo workspace that looks like a real sales
// team's: teams with managers, reps of different skill, accounts, contacts
// with buying roles, leads, products, and two years of deals that moved
// through the stages, with their history, activities, tasks and notes.
//
// The same seed and end time give the same data. Each kind of data is made
// by one function; records are streamed into the database through the
// store's bulk loader in large transactions, so a million deals take minutes
// and constant memory (the generator keeps only ids of accounts and
// contacts, 8 bytes each).
package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"strings"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
)

// Defaults of the demo workspace.
const (
	DefaultName  = "Demo"
	DefaultReps  = 25
	DefaultSeed  = 1
	DealsPerRep  = 120 // over the two years, at the default size
	EmailDomain  = "demo.example.com"
	historyDays  = 730
	dealsPerTx   = 10000 // per transaction, on SQLite; see txSize
	accountsPerT = 20000
)

// Options choose the demo's size, randomness and end.
type Options struct {
	// Name of the workspace; its slug is derived from it.
	Name string
	// Seed makes the data: the same seed, size and Now give the same data.
	Seed uint64
	// Reps is the number of sales reps; Deals the number of deals over two
	// years (0: DealsPerRep per rep).
	Reps, Deals int
	// Now is when the history ends (default: the current time).
	Now time.Time
	// Password every demo member signs in with (default: random).
	Password string
	// Progress, when set, receives a line per committed batch.
	Progress io.Writer
}

// Member is one person of the demo workspace.
type Member struct {
	ID    int64
	Name  string
	Email string
	Role  attain.Role
	Team  string
}

// Result says what was made and how to sign in.
type Result struct {
	Workspace *attain.Workspace
	// Admin, Manager and Rep are one member of each role; the rep is in
	// the manager's team.
	Admin, Manager, Rep Member
	Members             []Member
	Password            string
	// Rows counts the rows written per table.
	Rows    map[string]int64
	Elapsed time.Duration
}

// ErrExists is returned when the demo workspace is already there.
var ErrExists = errors.New("the demo workspace already exists")

// Generate creates the demo workspace. It fails with ErrExists if a
// workspace with the demo's slug exists.
func Generate(ctx context.Context, svc *service.Service, opts Options) (*Result, error) {
	start := time.Now()
	g, err := newGen(svc, opts)
	if err != nil {
		return nil, err
	}
	if _, err := svc.WorkspaceBySlug(ctx, attain.Slugify(g.opts.Name)); err == nil {
		return nil, ErrExists
	} else if attain.ErrorCode(err) != attain.ENOTFOUND {
		return nil, err
	}
	// Each step is one kind of data; later steps use what earlier ones made.
	// The bulk steps write through the store's loader on one connection
	// held from the first to the last of them (g.load).
	steps := []struct {
		name string
		fn   func(context.Context) error
		bulk bool
	}{
		{"people", g.people, false},
		{"teams", g.teams, false},
		{"products", g.catalogue, false},
		{"accounts", g.accounts, true},
		{"deals", g.deals, true},
		{"leads", g.leads, true},
		{"targets", g.targets, false},
		{"forecast history", g.forecastHistory, false},
		{"forecasts", g.forecasts, false},
	}
	defer g.endBulk(ctx)
	for _, s := range steps {
		var err error
		switch {
		case s.bulk && g.bulk == nil:
			err = g.beginBulk(ctx)
		case !s.bulk && g.bulk != nil:
			err = g.endBulk(ctx)
		}
		if err == nil {
			err = s.fn(ctx)
		}
		if err != nil {
			return nil, fmt.Errorf("demo %s: %w", s.name, err)
		}
	}
	res := g.result()
	res.Elapsed = time.Since(start)
	return res, nil
}

// deferIndexesAt is the number of deals from which the bulk steps drop the
// secondary indexes of the tables they fill and build them at the end
// (store.BulkConn.DeferIndexes): a benchmark-sized demo, where growing
// those indexes row by row becomes most of the time once they outgrow the
// page cache (SQLite's, PostgreSQL's shared buffers). The demo workspace is always made from scratch.
var deferIndexesAt = 50_000

// bulkTables are the tables the bulk steps fill.
var bulkTables = []string{"accounts", "contacts", "contact_roles", "deals", "deal_lines", "stage_history", "field_changes",
	"leads", "activities", "notes"}

// beginBulk takes the connection the bulk steps write on.
func (g *gen) beginBulk(ctx context.Context) error {
	c, err := g.db.BulkConn(ctx)
	if err != nil {
		return err
	}
	g.bulk = c
	if err := c.TrustReferences(ctx); err != nil {
		return err
	}
	if g.opts.Deals >= deferIndexesAt {
		return c.DeferIndexes(ctx, bulkTables...)
	}
	return nil
}

// endBulk builds the deferred indexes, merges the search index the bulk
// steps wrote in many segments (its "indexes" progress line counts both)
// and gives the connection back. If the process dies first, the indexes
// stay recorded and the next migrate builds them.
func (g *gen) endBulk(ctx context.Context) error {
	if g.bulk == nil {
		return nil
	}
	c := g.bulk
	g.bulk = nil
	started := time.Now()
	err := c.RestoreIndexes(ctx)
	if err == nil {
		err = c.MergeSearch(ctx)
	}
	if err == nil && g.opts.Deals >= deferIndexesAt {
		// Fresh statistics for the planner (PostgreSQL): the last were
		// taken after the first small batch; and the vacuum the server
		// would otherwise do while serving (see store.DB.VacuumAnalyze).
		err = g.db.VacuumAnalyze(ctx, bulkTables...)
		g.progress("indexes", 1, 1, started)
	}
	if cerr := c.Close(); err == nil {
		err = cerr
	}
	return err
}

// gen is one run of the generator.
type gen struct {
	svc  *service.Service
	db   *store.DB
	bulk *store.BulkConn // during a bulk step
	opts Options
	now  time.Time
	from time.Time // the start of the history

	ws       *attain.Workspace
	sys      *attain.Actor
	admin    Member
	managers []Member
	reps     []*rep
	teamIDs  []int64
	currency string

	pipeline            *attain.Pipeline
	open                []*attain.Stage // open stages in order
	wonStage, lostStage *attain.Stage
	types               map[string]int64 // activity type ids by key
	products            []*attain.Product
	cal                 attain.FiscalCalendar
	wonByQuarter        map[string]int64 // won revenue per fiscal quarter, for targets
	pipe                *pipelineHistory // the open pipeline at each past weekly snapshot

	// accounts and contacts are the ids the deals and leads refer to; the
	// rest of each record is derived again from its index when needed.
	accountIDs   []int64
	contactIDs   []int64
	contactStart []int32 // per account, the index of its first contact in contactIDs
	rows         map[string]int64
}

// rep is a sales rep and the skill the generator gives them.
type rep struct {
	Member
	team     int
	teamID   int64
	winRate  float64 // chance a new deal is won in the end
	activity float64 // how much they do per deal, and how many deals they work
	size     float64 // how large their deals are
	speed    float64 // how fast their deals move (higher is faster)
	hired    time.Time
	accounts []int32 // indices into accountIDs
}

func newGen(svc *service.Service, opts Options) (*gen, error) {
	if opts.Name == "" {
		opts.Name = DefaultName
	}
	if opts.Seed == 0 {
		opts.Seed = DefaultSeed
	}
	if opts.Reps == 0 {
		opts.Reps = DefaultReps
	}
	if opts.Reps < 3 || opts.Reps > 1000 {
		return nil, attain.Invalid("reps", "must be between 3 and 1000")
	}
	if opts.Deals == 0 {
		opts.Deals = opts.Reps * DealsPerRep
	}
	if opts.Deals < 0 || opts.Deals > 100_000_000 {
		return nil, attain.Invalid("deals", "must be between 1 and 100,000,000")
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Password == "" {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		opts.Password = base64.RawURLEncoding.EncodeToString(b)
	}
	now := opts.Now.UTC().Truncate(time.Second)
	return &gen{svc: svc, db: svc.DB(), opts: opts, now: now, from: now.AddDate(0, 0, -historyDays),
		rows: map[string]int64{}}, nil
}

// rng returns the random stream of one step, so a change in one step does
// not reshuffle the others.
func (g *gen) rng(step uint64) *mrand.Rand {
	return mrand.New(mrand.NewPCG(g.opts.Seed, step*0x9E3779B97F4A7C15))
}

func (g *gen) result() *Result {
	res := &Result{Workspace: g.ws, Admin: g.admin, Password: g.opts.Password, Rows: g.rows}
	res.Members = append(res.Members, g.admin)
	res.Members = append(res.Members, g.managers...)
	for _, r := range g.reps {
		res.Members = append(res.Members, r.Member)
	}
	res.Manager = g.managers[0]
	for _, r := range g.reps {
		if r.team == 0 && r.hired.Before(g.from) {
			res.Rep = r.Member
			break
		}
	}
	return res
}

// people makes the admin, one manager per team and the reps, each rep with
// a skill profile: a few stars, a few strugglers, big-deal hunters, fast
// closers and recent hires still ramping.
func (g *gen) people(ctx context.Context) error {
	r := g.rng(1)
	nTeams := 3
	if g.opts.Reps > 36 {
		nTeams = (g.opts.Reps + 11) / 12
	}
	used := map[string]bool{}
	person := func(i int) (string, string) {
		for k := 0; ; k++ {
			first := firstNames[(i*7+k)%len(firstNames)]
			last := lastNames[(i*11+k*3)%len(lastNames)]
			email := ascii(first) + "." + ascii(last)
			if k >= len(firstNames) {
				email += fmt.Sprint(k)
			}
			if !used[email] {
				used[email] = true
				return first + " " + last, email + "@" + EmailDomain
			}
		}
	}
	pw := g.opts.Password
	members := []attain.NewUser{{Name: "Morgan Reyes", Email: "admin@" + EmailDomain, Role: attain.RoleAdmin, Password: pw}}
	used["morgan.reyes"] = true
	for t := range nTeams {
		name, email := person(1000 + t)
		members = append(members, attain.NewUser{Name: name, Email: email, Role: attain.RoleManager, Password: pw})
	}
	type profile struct {
		win, act, size, speed float64
	}
	profiles := []profile{
		{0.42, 1.4, 1.1, 1.2}, // star
		{0.30, 1.0, 1.0, 1.0}, // steady
		{0.22, 1.5, 0.7, 1.1}, // busy, small deals
		{0.27, 0.8, 1.9, 0.7}, // big-deal hunter
		{0.33, 1.1, 0.9, 1.4}, // fast closer
		{0.15, 0.7, 0.9, 0.8}, // struggling
		{0.28, 1.2, 1.0, 0.9}, // steady, busy
	}
	for i := range g.opts.Reps {
		name, email := person(i)
		members = append(members, attain.NewUser{Name: name, Email: email, Role: attain.RoleRep, Password: pw})
		p := profiles[r.IntN(len(profiles))]
		jit := func(x float64) float64 { return x * (0.85 + 0.3*r.Float64()) }
		rp := &rep{team: i % nTeams, winRate: jit(p.win), activity: jit(p.act), size: jit(p.size), speed: jit(p.speed),
			hired: g.from.AddDate(0, -r.IntN(36)-1, 0)}
		if i%8 == 7 { // recent hires: 2 to 9 months in
			rp.hired = g.now.AddDate(0, -2-r.IntN(8), -r.IntN(28))
			rp.winRate *= 0.8
		}
		g.reps = append(g.reps, rp)
	}
	ws, users, err := g.svc.SeedWorkspace(ctx, g.opts.Name, members)
	if err != nil {
		return err
	}
	g.ws, g.sys = ws, attain.SystemActor(ws.ID)
	mem := func(u *attain.User) Member { return Member{ID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role} }
	g.admin = mem(users[0])
	for t := range nTeams {
		m := mem(users[1+t])
		m.Team = teamName(t)
		g.managers = append(g.managers, m)
	}
	for i, rp := range g.reps {
		rp.Member = mem(users[1+nTeams+i])
		rp.Member.Team = teamName(rp.team)
	}
	return g.loadSetup(ctx)
}

func teamName(t int) string {
	name := regions[t%len(regions)].Team
	if t >= len(regions) {
		name += fmt.Sprintf(" %d", t/len(regions)+1)
	}
	return name
}

// loadSetup reads what workspace setup made: the pipeline, the activity
// types, the currency.
func (g *gen) loadSetup(ctx context.Context) error {
	ps, err := g.svc.FindPipelines(ctx, g.sys)
	if err != nil {
		return err
	}
	for _, p := range ps {
		if p.IsDefault {
			g.pipeline = p
		}
	}
	if g.pipeline == nil {
		return errors.New("the workspace has no default pipeline")
	}
	for _, s := range g.pipeline.Stages {
		switch s.Outcome {
		case attain.OutcomeOpen:
			g.open = append(g.open, s)
		case attain.OutcomeWon:
			g.wonStage = s
		case attain.OutcomeLost:
			g.lostStage = s
		}
	}
	if len(g.open) == 0 || g.wonStage == nil || g.lostStage == nil {
		return errors.New("the default pipeline needs open, won and lost stages")
	}
	ts, err := g.svc.FindActivityTypes(ctx, g.sys)
	if err != nil {
		return err
	}
	g.types = map[string]int64{}
	for _, t := range ts {
		g.types[t.Key] = t.ID
	}
	for _, k := range []string{"call", "email", "meeting", "demo", "proposal"} {
		if g.types[k] == 0 {
			return fmt.Errorf("the workspace has no %q activity type", k)
		}
	}
	if g.cal, err = g.svc.Calendar(ctx, g.sys); err != nil {
		return err
	}
	g.wonByQuarter = map[string]int64{}
	return g.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		g.currency, err = tx.WorkspaceCurrency(ctx, g.ws.ID)
		return err
	})
}

// teams makes one team per region, each with its manager and reps.
func (g *gen) teams(ctx context.Context) error {
	for t, m := range g.managers {
		in := attain.TeamInput{Name: m.Team, ManagerID: &m.ID}
		for _, r := range g.reps {
			if r.team == t {
				in.MemberIDs = append(in.MemberIDs, r.ID)
			}
		}
		team, err := g.svc.CreateTeam(ctx, g.sys, in)
		if err != nil {
			return err
		}
		g.teamIDs = append(g.teamIDs, team.ID)
	}
	for _, r := range g.reps {
		r.teamID = g.teamIDs[r.team]
	}
	return nil
}

// catalogue makes the products: per-seat subscriptions and services.
func (g *gen) catalogue(ctx context.Context) error {
	for _, p := range catalogue {
		pr, err := g.svc.CreateProduct(ctx, g.sys, attain.ProductInput{Name: p.Name, SKU: p.SKU, ListPrice: p.Price, UnitCost: p.Cost})
		if err != nil {
			return err
		}
		g.products = append(g.products, pr)
	}
	return nil
}

// progress reports a committed batch.
func (g *gen) progress(what string, done, total int, since time.Time) {
	if g.opts.Progress != nil {
		fmt.Fprintf(g.opts.Progress, "  %s: %d/%d (%s)\n", what, done, total, time.Since(since).Round(time.Millisecond))
	}
}

// count adds the rows a loader wrote to the totals.
func (g *gen) count(tables ...*store.BulkTable) {
	for _, t := range tables {
		g.rows[t.Name()] += t.Rows()
	}
}

// load runs fn in a transaction tuned for loading many rows, with the
// per-row search and analytics triggers of the demo workspace paused: the
// search index entries of what fn inserted are written set-wise at the end,
// and every process reloads its analytics model of the workspace
// (store.BulkLoad).
func (g *gen) load(ctx context.Context, fn func(*store.Tx) error) error {
	return g.bulk.Tx(ctx, func(tx *store.Tx) error {
		bl, err := tx.BeginBulkLoad(ctx, g.ws.ID)
		if err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			return err
		}
		return bl.End(ctx)
	})
}

// txSize is how many records of which n per transaction go in one
// transaction. SQLite gains from large ones (one fsync, one checkpoint);
// PostgreSQL gains little past a few thousand rows, so its are halved. (They
// were 5 times smaller while the analytics triggers, which update one
// counter row per insert, ran per row: their cost grew quadratically with
// the rows of a transaction. Bulk loads pause them now.)
func (g *gen) txSize(n int) int {
	if g.db.Engine() == store.Postgres {
		return max(1, n/2)
	}
	return n
}

// batches splits n records into transactions of size, after a small first
// one: once it is committed, the step refreshes the statistics of what it
// writes (store.DB.Analyze) so later batches are checked with good plans.
func batches(n, size int) [][2]int {
	var out [][2]int
	first := min(n, 200, size)
	out = append(out, [2]int{0, first})
	for lo := first; lo < n; lo += size {
		out = append(out, [2]int{lo, min(n, lo+size)})
	}
	return out
}

// weighted is a value and how often it is picked.
type weighted struct {
	Value  string
	Weight int
}

func pick(r *mrand.Rand, ws []weighted) string {
	total := 0
	for _, w := range ws {
		total += w.Weight
	}
	n := r.IntN(total)
	for _, w := range ws {
		if n < w.Weight {
			return w.Value
		}
		n -= w.Weight
	}
	return ws[len(ws)-1].Value
}

func oneOf[T any](r *mrand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// ascii lowercases a name and drops its accents, for email addresses.
func ascii(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z':
			b.WriteRune(c)
		case strings.ContainsRune("àáâãäå", c):
			b.WriteByte('a')
		case strings.ContainsRune("çć", c):
			b.WriteByte('c')
		case strings.ContainsRune("èéêë", c):
			b.WriteByte('e')
		case strings.ContainsRune("ìíîï", c):
			b.WriteByte('i')
		case strings.ContainsRune("ñń", c):
			b.WriteByte('n')
		case strings.ContainsRune("òóôõöø", c):
			b.WriteByte('o')
		case strings.ContainsRune("ùúûü", c):
			b.WriteByte('u')
		case c == 'ş' || c == 'ș':
			b.WriteByte('s')
		}
	}
	return b.String()
}
