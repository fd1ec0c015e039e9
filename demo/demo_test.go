package demo_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/demo"
	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store"
	"github.com/attain-crm/attain/store/storetest"
)

// end is when the test demos' history ends, fixed so the data is too.
var end = time.Date(2026, 11, 20, 15, 4, 5, 0, time.UTC)

func newService(db *store.DB) *service.Service {
	return service.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), service.FastHasher())
}

func generate(t *testing.T, db *store.DB, opts demo.Options) (*service.Service, *demo.Result) {
	t.Helper()
	svc := newService(db)
	if opts.Now.IsZero() {
		opts.Now = end
	}
	if opts.Password == "" {
		opts.Password = "demo-password-1"
	}
	res, err := demo.Generate(context.Background(), svc, opts)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	return svc, res
}

// allDeals reads every deal of the workspace with its lines, stage history
// and field changes.
type dealRecord struct {
	deal    *attain.Deal
	history []*attain.StageHistoryEntry
	changes []*attain.FieldChange
}

func allDeals(t *testing.T, db *store.DB, a *attain.Actor) []dealRecord {
	t.Helper()
	ctx := context.Background()
	var out []dealRecord
	storetest.Read(t, db, func(tx *store.Tx) error {
		q := attain.ListQuery{Page: attain.Page{Limit: attain.MaxPageSize}}
		for {
			ds, next, err := tx.FindDeals(ctx, a, q)
			if err != nil {
				return err
			}
			for _, d := range ds {
				full, err := tx.FindDeal(ctx, a.WorkspaceID, d.ID)
				if err != nil {
					return err
				}
				h, err := tx.FindStageHistory(ctx, a.WorkspaceID, d.ID)
				if err != nil {
					return err
				}
				c, err := tx.FindChanges(ctx, a.WorkspaceID, "deal", d.ID)
				if err != nil {
					return err
				}
				out = append(out, dealRecord{full, h, c})
			}
			if next == "" {
				return nil
			}
			q.Page.Cursor = next
		}
	})
	return out
}

// TestDemo checks the invariants of a small demo on every engine: the
// people and teams, every deal's history against its current state, the
// money, the search index, and what the printed rep may see.
func TestDemo(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, res := generate(t, db, demo.Options{Reps: 6, Deals: 400})
		ws := res.Workspace.ID
		sys := attain.SystemActor(ws)

		// The generator loads without foreign key checks on SQLite
		// (store.BulkConn.TrustReferences): every reference it made holds.
		if db.Engine() == store.SQLite {
			rows, err := storetest.Raw(t, db).QueryContext(ctx, `PRAGMA foreign_key_check`)
			if err != nil {
				t.Fatal(err)
			}
			if rows.Next() {
				var table string
				var rowid, parent, fk any
				_ = rows.Scan(&table, &rowid, &parent, &fk)
				t.Errorf("a row of %s references a missing row of %v", table, parent)
			}
			rows.Close()
		}

		// People: the printed admin, manager and rep have their roles, and
		// the rep is in the manager's team.
		users, err := svc.FindUsers(ctx, sys)
		if err != nil {
			t.Fatal(err)
		}
		roles := map[string]attain.Role{}
		for _, u := range users {
			roles[u.Email] = u.Role
		}
		if len(users) != 1+3+6 {
			t.Errorf("%d members, want 10 (admin, 3 managers, 6 reps)", len(users))
		}
		for _, m := range []demo.Member{res.Admin, res.Manager, res.Rep} {
			if roles[m.Email] != m.Role {
				t.Errorf("%s has role %q, printed as %q", m.Email, roles[m.Email], m.Role)
			}
		}
		if res.Admin.Role != attain.RoleAdmin || res.Manager.Role != attain.RoleManager || res.Rep.Role != attain.RoleRep {
			t.Errorf("printed roles %s, %s, %s", res.Admin.Role, res.Manager.Role, res.Rep.Role)
		}
		teams, err := svc.FindTeams(ctx, sys)
		if err != nil {
			t.Fatal(err)
		}
		if len(teams) != 3 {
			t.Fatalf("%d teams, want 3", len(teams))
		}
		var repTeam *attain.Team
		for _, tm := range teams {
			if tm.ManagerID == nil {
				t.Errorf("team %s has no manager", tm.Name)
			}
			if slices.Contains(tm.MemberIDs, res.Rep.ID) {
				repTeam = tm
			}
		}
		if repTeam == nil || *repTeam.ManagerID != res.Manager.ID {
			t.Fatalf("the printed rep is not in the printed manager's team: %+v", repTeam)
		}

		// Every deal's history is contiguous and ends where the deal is.
		p, err := svc.FindPipelines(ctx, sys)
		if err != nil {
			t.Fatal(err)
		}
		stages := map[int64]*attain.Stage{}
		for _, pl := range p {
			for _, s := range pl.Stages {
				stages[s.ID] = s
			}
		}
		deals := allDeals(t, db, sys)
		if len(deals) != 400 {
			t.Fatalf("%d deals, want 400", len(deals))
		}
		status := map[string]int{}
		slipped, lostWithReason := 0, 0
		for _, r := range deals {
			d, h := r.deal, r.history
			status[d.Status]++
			if len(h) == 0 {
				t.Fatalf("deal %d has no stage history", d.ID)
			}
			if !h[0].EnteredAt.Equal(d.CreatedAt) || h[0].FromStageID != nil {
				t.Errorf("deal %d: history starts at %v from %v, created %v", d.ID, h[0].EnteredAt, h[0].FromStageID, d.CreatedAt)
			}
			for i, e := range h {
				if i+1 < len(h) {
					if e.ExitedAt == nil || !e.ExitedAt.Equal(h[i+1].EnteredAt) {
						t.Errorf("deal %d: stage %d exited %v, next entered %v", d.ID, i, e.ExitedAt, h[i+1].EnteredAt)
					}
					if h[i+1].FromStageID == nil || *h[i+1].FromStageID != e.StageID {
						t.Errorf("deal %d: entry %d comes from %v, want %d", d.ID, i+1, h[i+1].FromStageID, e.StageID)
					}
				} else if e.ExitedAt != nil {
					t.Errorf("deal %d: its current stage has an exit time", d.ID)
				}
				if e.EnteredAt.After(end) {
					t.Errorf("deal %d: entered a stage in the future", d.ID)
				}
			}
			last := h[len(h)-1]
			if last.StageID != d.StageID || !last.EnteredAt.Equal(d.StageEnteredAt) {
				t.Errorf("deal %d: in stage %d since %v, history ends in %d since %v", d.ID, d.StageID, d.StageEnteredAt, last.StageID, last.EnteredAt)
			}
			if st := stages[d.StageID]; st.Outcome != d.Status {
				t.Errorf("deal %d: status %s in a stage whose outcome is %s", d.ID, d.Status, st.Outcome)
			}
			switch d.Status {
			case attain.DealWon, attain.DealLost:
				if d.ClosedAt == nil || !d.ClosedAt.Equal(last.EnteredAt) || d.Reason == "" {
					t.Errorf("deal %d is %s with closed_at %v and reason %q", d.ID, d.Status, d.ClosedAt, d.Reason)
				}
				if d.CloseDate != attain.DateOf(*d.ClosedAt) {
					t.Errorf("deal %d closed on %v but its close date is %v", d.ID, d.ClosedAt, d.CloseDate)
				}
				if d.Status == attain.DealLost {
					lostWithReason++
				}
			default:
				if d.ClosedAt != nil || d.Reason != "" {
					t.Errorf("open deal %d has closed_at %v, reason %q", d.ID, d.ClosedAt, d.Reason)
				}
			}
			// Money: the amount and margin come from the lines.
			if len(d.Lines) == 0 {
				t.Fatalf("deal %d has no lines", d.ID)
			}
			amount, margin, err := attain.Totals(d.Lines)
			if err != nil || amount != d.Amount || d.Margin == nil || margin != *d.Margin {
				t.Errorf("deal %d: amount %d margin %v, lines give %d and %d (%v)", d.ID, d.Amount, d.Margin, amount, margin, err)
			}
			// Field changes: the creation, then every move, as history.
			moves := 0
			for _, c := range r.changes {
				if c.Field == "stage_id" && c.Old != nil {
					moves++
				}
				if c.Field == "close_date" && c.Old != nil && d.Status == attain.DealOpen {
					slipped++
				}
			}
			if moves != len(h)-1 {
				t.Errorf("deal %d: %d stage_id changes for %d moves", d.ID, moves, len(h)-1)
			}
			if d.LeadID != nil && d.Version < 1 {
				t.Errorf("deal %d: version %d", d.ID, d.Version)
			}
		}
		for _, s := range []string{attain.DealOpen, attain.DealWon, attain.DealLost} {
			if status[s] < 20 {
				t.Errorf("only %d %s deals of 400: %v", status[s], s, status)
			}
		}
		if slipped == 0 || lostWithReason == 0 {
			t.Errorf("no slipped open deals (%d) or lost deals (%d)", slipped, lostWithReason)
		}

		// The search index holds generated records.
		d := deals[len(deals)/2].deal
		hits, err := svc.Search(ctx, sys, attain.SearchQuery{Q: d.Name[:6], Types: []string{"deal"}, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(hits, func(h *attain.SearchResult) bool { return h.ID == d.ID }) {
			t.Errorf("searching %q does not find deal %d %q", d.Name[:6], d.ID, d.Name)
		}

		// The printed rep sees their own deals and those shared with their
		// team, and nothing else; the manager sees the team's.
		rep, err := svc.ActorFor(ctx, ws, res.Rep.ID)
		if err != nil {
			t.Fatal(err)
		}
		seen := allDeals(t, db, rep)
		if len(seen) == 0 {
			t.Fatal("the printed rep sees no deals")
		}
		want := 0
		for _, r := range deals {
			if r.deal.OwnerID == res.Rep.ID || (r.deal.TeamID != nil && *r.deal.TeamID == repTeam.ID) {
				want++
			}
		}
		if len(seen) != want {
			t.Errorf("the rep sees %d deals, want %d", len(seen), want)
		}
		mgr, err := svc.ActorFor(ctx, ws, res.Manager.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(allDeals(t, db, mgr)); n <= len(seen) || n >= len(deals) {
			t.Errorf("the manager sees %d deals; the rep %d, everyone %d", n, len(seen), len(deals))
		}
		for _, table := range []string{"accounts", "contacts", "contact_roles", "leads", "deal_lines", "stage_history",
			"field_changes", "activities", "notes"} {
			if res.Rows[table] == 0 {
				t.Errorf("no %s generated", table)
			}
		}
		// Revenue and bookings targets for every quarter (company, 3 teams,
		// 6 reps each) and this quarter's forecast from every rep and
		// manager.
		ts, err := svc.Targets(ctx, sys, attain.TargetFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(ts) == 0 || len(ts)%20 != 0 || int64(len(ts)) != res.Rows["targets"] {
			t.Errorf("%d targets (counted %d), want 20 per quarter", len(ts), res.Rows["targets"])
		}
		cal, err := svc.Calendar(ctx, sys)
		if err != nil {
			t.Fatal(err)
		}
		current := cal.QuarterOf(attain.DateOf(end))
		checkBookingsTargets(t, cal, ts, deals, current)
		// This quarter: calls every other finished week, then this week's
		// from every rep and manager, the newest of their slots.
		subs, err := svc.ForecastSubmissions(ctx, sys, attain.ForecastFilter{Period: current.Key})
		if err != nil {
			t.Fatal(err)
		}
		newest := map[string]*attain.ForecastSubmission{}
		for _, s := range subs {
			var team int64
			if s.TeamID != nil {
				team = *s.TeamID
			}
			slot := fmt.Sprint(s.Scope, "/", s.UserID, "/", team)
			if p := newest[slot]; p != nil && s.SubmittedAt.Before(p.SubmittedAt) {
				t.Errorf("submission %d (%v) is older than %d (%v) of the same slot", s.ID, s.SubmittedAt, p.ID, p.SubmittedAt)
			}
			newest[slot] = s
		}
		if len(newest) != 6+3+1 || len(subs) <= len(newest) {
			t.Errorf("%d forecast submissions this quarter in %d slots, want earlier weeks' calls and 10 slots", len(subs), len(newest))
		}
		// Past quarters have weekly calls, stamped when they were made, and
		// snapshots whose accuracy improves as the quarter goes on.
		last := cal.Prev(current)
		past, err := svc.ForecastSubmissions(ctx, sys, attain.ForecastFilter{Period: last.Key})
		if err != nil {
			t.Fatal(err)
		}
		if len(past) < 6*6 {
			t.Errorf("%d forecast submissions in %s, want a rep's call every other week", len(past), last.Key)
		}
		for _, s := range past {
			if !last.Contains(attain.DateOf(s.SubmittedAt)) {
				t.Errorf("a %s submission is stamped %v, outside the quarter", last.Key, s.SubmittedAt)
				break
			}
		}
		admin, err := svc.ActorFor(ctx, ws, res.Admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		acc, err := svc.ForecastAccuracy(ctx, admin, attain.AccuracyFilter{Period: last.Key, Quarters: 4})
		if err != nil {
			t.Fatal(err)
		}
		if len(acc.ByWeek) < 12 || len(acc.Points) < 4*12*(6+3+1) {
			t.Fatalf("accuracy: %d weeks, %d points; want four quarters of weekly snapshots", len(acc.ByWeek), len(acc.Points))
		}
		if first, end := acc.ByWeek[0], acc.ByWeek[len(acc.ByWeek)-1]; first.MeanErrorBP <= end.MeanErrorBP {
			t.Errorf("mean error %d bp in week %d, %d bp in week %d: want calls to close in on the actual", first.MeanErrorBP, first.Week, end.MeanErrorBP, end.Week)
		}
		// Each past week has a pipeline snapshot, as the weekly job would
		// have taken it on the Friday evening: the deals then open by owner
		// and stage, which the stored stage history must say too. So has
		// each week of this quarter whose Friday has passed, and no later
		// one.
		friday := attain.WeekStart(last.End).AddDays(4)
		if last.End.Before(friday) {
			friday = friday.AddDays(-7)
		}
		cells := checkPipelineSnapshot(t, svc, db, admin, acc.Currency, friday)
		thisWeek := attain.WeekStart(attain.DateOf(end)).AddDays(4) // end is a Friday afternoon
		if !current.Contains(thisWeek.AddDays(-7)) {
			t.Fatalf("%s has no finished week before %s", current.Key, thisWeek)
		}
		checkPipelineSnapshot(t, svc, db, admin, acc.Currency, thisWeek.AddDays(-7))
		if snap, err := svc.PipelineSnapshot(ctx, admin, thisWeek); err != nil || len(snap) != 0 {
			t.Errorf("this week, whose snapshot is not due yet: %d rows, %v", len(snap), err)
		}
		weeks := 0
		for f := thisWeek.AddDays(-7); current.Contains(f); f = f.AddDays(-7) {
			snap, err := svc.PipelineSnapshot(ctx, admin, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(snap) == 0 {
				t.Errorf("no pipeline snapshot for the week of %s", attain.WeekStart(f))
			}
			weeks++
		}
		if weeks == 0 {
			t.Errorf("no finished week in %s", current.Key)
		}
		if n := res.Rows["pipeline_snapshots"]; n < 4*12*int64(cells)/2 {
			t.Errorf("%d pipeline snapshot rows, want about %d a week for four quarters", n, cells)
		}
		if per := float64(res.Rows["activities"]) / 400; per < 6 || per > 16 {
			t.Errorf("%.1f activities per deal, want about ten", per)
		}
		t.Logf("rows: %v", res.Rows)
	})
}

// checkPipelineSnapshot compares the pipeline snapshot of a Friday with the
// deals open then by the stored stage history, and returns how many
// owner and stage cells were open.
func checkPipelineSnapshot(t *testing.T, svc *service.Service, db *store.DB, admin *attain.Actor, currency string, friday attain.Date) int {
	t.Helper()
	sys := attain.SystemActor(admin.WorkspaceID)
	at := friday.Time().Add(18 * time.Hour)
	snap, err := svc.PipelineSnapshot(context.Background(), admin, friday)
	if err != nil {
		t.Fatal(err)
	}
	pipelines, err := svc.FindPipelines(context.Background(), sys)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]*attain.Stage{}
	for _, p := range pipelines {
		for _, st := range p.Stages {
			byID[st.ID] = st
		}
	}
	type cell struct{ owner, stage int64 }
	open := map[cell][2]int64{}
	for _, r := range allDeals(t, db, sys) {
		for _, h := range r.history {
			if st := byID[h.StageID]; st != nil && st.Outcome == attain.OutcomeOpen && !h.EnteredAt.After(at) && (h.ExitedAt == nil || h.ExitedAt.After(at)) {
				c := open[cell{r.deal.OwnerID, h.StageID}]
				open[cell{r.deal.OwnerID, h.StageID}] = [2]int64{c[0] + r.deal.Amount, c[1] + 1}
			}
		}
	}
	got := map[cell][2]int64{}
	for _, row := range snap {
		if row.WeekStart != attain.WeekStart(friday) || row.ForecastCategory != byID[row.StageID].ForecastCategory || row.Currency != currency {
			t.Errorf("pipeline snapshot row %+v", row)
		}
		got[cell{row.OwnerID, row.StageID}] = [2]int64{row.Amount, row.Deals}
	}
	if len(open) == 0 {
		t.Fatalf("no deal was open on %s", friday)
	}
	if diff := cmp.Diff(open, got); diff != "" {
		t.Errorf("pipeline snapshot of %s (-stage history +snapshot):\n%s", friday, diff)
	}
	return len(open)
}

// checkBookingsTargets checks that every quarter's company bookings target
// is split to the teams and reps, and that the full quarters' are of a
// sensible size beside what was won then, as the revenue targets are.
func checkBookingsTargets(t *testing.T, cal attain.FiscalCalendar, ts []*attain.Target, deals []dealRecord, current attain.Period) {
	t.Helper()
	type sums struct{ company, teams, reps int64 }
	byQuarter := map[string]*sums{}
	currency := ""
	for _, tg := range ts {
		if tg.Kind != attain.TargetBookings {
			continue
		}
		if byQuarter[tg.Period] == nil {
			byQuarter[tg.Period] = &sums{}
		}
		q := byQuarter[tg.Period]
		switch tg.Scope {
		case attain.ScopeCompany:
			q.company += *tg.Amount
			currency = tg.Currency
		case attain.ScopeTeam:
			q.teams += *tg.Amount
		case attain.ScopeRep:
			q.reps += *tg.Amount
		}
	}
	won := map[string]int64{}
	for _, r := range deals {
		if d := r.deal; d.Status == "won" && d.ClosedAt != nil && d.Currency == currency {
			won[cal.QuarterOf(attain.DateOf(*d.ClosedAt)).Key] += d.Amount
		}
	}
	first := slices.Min(slices.Collect(maps.Keys(byQuarter))) // only partly in the history
	full := 0
	for key, q := range byQuarter {
		if q.company == 0 || q.teams != q.company || q.reps != q.company {
			t.Errorf("%s bookings targets: company %d, teams %d, reps %d; want the company's split to all", key, q.company, q.teams, q.reps)
		}
		if key == first || key >= current.Key || won[key] == 0 {
			continue
		}
		if r := float64(q.company) / float64(won[key]); r < 0.8 || r > 1.5 {
			t.Errorf("%s bookings target %d for %d won (%.2f)", key, q.company, won[key], r)
		}
		full++
	}
	if byQuarter[current.Key] == nil || full < 4 {
		t.Errorf("bookings targets for %d full quarters and the current one %v, want all", full, byQuarter[current.Key] != nil)
	}
}

// digest hashes what a demo generated: every deal with its lines, stage
// history and field changes, the past forecast calls, the targets and the
// row counts.
func digest(t *testing.T, db *store.DB, res *demo.Result) string {
	t.Helper()
	h := sha256.New()
	for _, r := range allDeals(t, db, attain.SystemActor(res.Workspace.ID)) {
		b, err := json.Marshal(r.deal) // with its lines
		if err != nil {
			t.Fatal(err)
		}
		h.Write(b)
		for _, e := range r.history {
			fmt.Fprintf(h, "%d %d %v %v %v\n", e.StageID, deref(e.FromStageID), e.EnteredAt.UTC(), timeOrNil(e.ExitedAt), deref(e.MovedBy))
		}
		for _, c := range r.changes {
			fmt.Fprintf(h, "%s %s %s %v\n", c.Field, c.Old, c.New, c.At.UTC())
		}
	}
	sys := attain.SystemActor(res.Workspace.ID)
	subs, err := newService(db).ForecastSubmissions(context.Background(), sys, attain.ForecastFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range subs {
		if s.SubmittedAt.After(end) {
			continue // this quarter's, stamped by the service with the real time
		}
		s.ID = 0
		b, _ := json.Marshal(s)
		h.Write(b)
	}
	ts, err := newService(db).Targets(context.Background(), sys, attain.TargetFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range ts {
		fmt.Fprintf(h, "%s %s %s %d %d %d\n", tg.Period, tg.Kind, tg.Scope, deref(tg.TeamID), deref(tg.UserID), deref(tg.Amount))
	}
	tables := make([]string, 0, len(res.Rows))
	for k := range res.Rows {
		tables = append(tables, k)
	}
	slices.Sort(tables)
	for _, k := range tables {
		fmt.Fprintf(h, "%s=%d\n", k, res.Rows[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func timeOrNil(p *time.Time) any {
	if p == nil {
		return nil
	}
	return p.UTC()
}

// TestDemoDeterministic generates the same seed twice into fresh databases
// and gets the same data, and another seed gets other data.
func TestDemoDeterministic(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		opts := demo.Options{Reps: 4, Deals: 150, Seed: 7}
		_, a := generate(t, db, opts)
		// The second run defers the secondary indexes, as a large demo
		// does, and gets the same data.
		db2 := storetest.Open(t, db.Engine())
		defer func(n int) { *demo.DeferIndexesAt = n }(*demo.DeferIndexesAt)
		*demo.DeferIndexesAt = 100
		_, b := generate(t, db2, opts)
		*demo.DeferIndexesAt = 1 << 30
		da, db2d := digest(t, db, a), digest(t, db2, b)
		if da != db2d {
			t.Errorf("the same seed gave different data: %s and %s", da, db2d)
		}
		db3 := storetest.Open(t, db.Engine())
		opts.Seed = 8
		_, c := generate(t, db3, opts)
		if digest(t, db3, c) == da {
			t.Error("another seed gave the same data")
		}
	})
}

// TestDemoExistsAndReset refuses to generate over an existing demo, and
// recreates it after a purge, which leaves other workspaces alone.
func TestDemoExistsAndReset(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, first := generate(t, db, demo.Options{Reps: 3, Deals: 60})
		other, _, err := svc.Bootstrap(ctx, "Other Co", attain.NewUser{Email: "boss@other.example", Name: "Boss", Password: "other-password-1"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Generate(ctx, svc, demo.Options{Reps: 3, Deals: 60, Now: end, Password: "demo-password-1"}); err != demo.ErrExists {
			t.Fatalf("second generate: %v, want ErrExists", err)
		}
		if err := svc.PurgeWorkspace(ctx, first.Workspace.Slug); err != nil {
			t.Fatalf("purge: %v", err)
		}
		if _, err := svc.WorkspaceBySlug(ctx, first.Workspace.Slug); attain.ErrorCode(err) != attain.ENOTFOUND {
			t.Fatalf("after purge: %v", err)
		}
		_, again := generate(t, db, demo.Options{Reps: 3, Deals: 60, Password: "new-password-22"})
		if again.Rows["deals"] != 60 {
			t.Errorf("recreated demo has %d deals", again.Rows["deals"])
		}
		// The demo members sign in with the new password.
		if _, err := svc.Login(ctx, again.Rep.Email, "new-password-22", again.Workspace.Slug, "127.0.0.1"); err != nil {
			t.Errorf("rep sign-in after reset: %v", err)
		}
		if _, err := svc.FindUsers(ctx, attain.SystemActor(other.ID)); err != nil {
			t.Errorf("the other workspace: %v", err)
		}
		if _, err := svc.Login(ctx, "boss@other.example", "other-password-1", other.Slug, "127.0.0.1"); err != nil {
			t.Errorf("the other workspace's admin cannot sign in after the purge: %v", err)
		}
	})
}
