package demo

import (
	"context"
	"encoding/json"
	"math"
	mrand "math/rand/v2"
	"strconv"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/store"
)

// activityCols are the columns the generator writes of an activity.
var activityCols = []string{"workspace_id", "type_id", "subject", "note", "deal_id", "contact_id", "account_id", "lead_id",
	"owner_id", "team_id", "occurred_at", "due_at", "done_at", "duration_minutes", "outcome", "sentiment", "created_at", "updated_at"}

// stageDays is the typical number of days a deal spends in each open stage
// of the default pipeline (others get the last value).
var stageDays = []float64{8, 7, 9, 20, 14}

const day = 24 * time.Hour

// dealTables are the tables one batch of deals writes, parents first.
type dealTables struct {
	deals, lines, history, changes, roles, leads, acts, notes *store.BulkTable
	dealIDs, leadIDs                                          *store.IDs
}

// dealSim is the scratch state of one deal while it is simulated; its
// slices are reused from deal to deal.
type dealSim struct {
	stints  []stint
	changes []change
	acts    []act
}

type stint struct {
	stage   *attain.Stage
	from    *attain.Stage
	entered time.Time
}

type change struct {
	field, old, new string // JSON; "" is none
	at              time.Time
}

type act struct {
	typ     string
	at      time.Time // when done; zero for an open task
	due     time.Time // tasks only
	contact int64
}

// deals makes the deals, oldest first, spread over the two years: each is
// simulated through the pipeline by its owner's skill (how often deals
// advance, how fast, how big, how much is done on them), with its line
// items, stage history, field changes (creation, moves, close-date slips,
// the close), key activities with outcomes and sentiment, tasks, notes,
// buying roles, and for some the lead it was converted from.
func (g *gen) deals(ctx context.Context) error {
	n := g.opts.Deals
	r := g.rng(5)
	g.pipe = newPipelineHistory(g.snapshotWeeks())
	span := g.now.Sub(g.from)
	started := time.Now()
	var sim dealSim
	for b, bounds := range batches(n, g.txSize(dealsPerTx)) {
		lo, hi := bounds[0], bounds[1]
		err := g.load(ctx, func(tx *store.Tx) error {
			l := tx.NewLoader()
			l.StopOnError() // an error rolls the batch back
			defer l.Close()
			tb := dealTables{
				deals: l.Table("deals", "workspace_id", "id", "name", "account_id", "primary_contact_id", "pipeline_id", "stage_id",
					"status", "amount", "currency", "margin", "close_date", "owner_id", "team_id", "next_step", "reason", "reason_note",
					"closed_at", "stage_entered_at", "last_activity_at", "lead_id", "created_at", "updated_at", "version"),
				lines: l.Table("deal_lines", "workspace_id", "deal_id", "product_id", "description", "quantity", "unit_price",
					"discount_bp", "unit_cost", "position"),
				history: l.Table("stage_history", "workspace_id", "deal_id", "pipeline_id", "pipeline_version", "stage_id",
					"from_stage_id", "entered_at", "exited_at", "moved_by"),
				changes: l.Table("field_changes", "workspace_id", "entity_type", "entity_id", "field", "old_value", "new_value",
					"actor_id", "at"),
				roles: l.Table("contact_roles", "workspace_id", "contact_id", "account_id", "deal_id", "role", "influence",
					"attitude", "created_at"),
				leads: l.Table("leads", "workspace_id", "id", "first_name", "last_name", "email", "phone", "title", "company",
					"website", "industry", "country", "source", "status", "owner_id", "converted_at", "converted_account_id",
					"converted_contact_id", "converted_deal_id", "created_at", "updated_at"),
				acts:    l.Table("activities", activityCols...),
				notes:   l.Table("notes", "workspace_id", "entity_type", "entity_id", "body", "author_id", "created_at", "updated_at"),
				dealIDs: tx.NewIDs("deals"),
				leadIDs: tx.NewIDs("leads"),
			}
			for i := lo; i < hi; i++ {
				created := g.from.Add(time.Duration(float64(span) * (float64(i) + r.Float64()) / float64(n)))
				if err := g.deal(ctx, r, &tb, &sim, created); err != nil {
					return err
				}
			}
			if err := l.Flush(ctx); err != nil {
				return err
			}
			g.count(tb.deals, tb.lines, tb.history, tb.changes, tb.roles, tb.leads, tb.acts, tb.notes)
			return nil
		})
		if err != nil {
			return err
		}
		g.progress("deals", hi, n, started)
		if b == 0 {
			err := g.db.Analyze(ctx, "deals", "deal_lines", "stage_history", "field_changes", "contact_roles", "leads", "activities", "notes")
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// deal simulates and writes one deal created at created.
func (g *gen) deal(ctx context.Context, r *mrand.Rand, tb *dealTables, sim *dealSim, created time.Time) error {
	owner := g.repAt(r, created)
	j := int(owner.accounts[r.IntN(len(owner.accounts))])
	a := g.accountAt(j, owner)
	accountID := g.accountIDs[j]
	contacts := g.contactIDs[g.contactStart[j] : int(g.contactStart[j])+a.Contacts]
	pk := r.IntN(min(2, len(contacts))) // the decision maker or the champion
	primary := contacts[pk]
	id, err := tb.dealIDs.Next(ctx)
	if err != nil {
		return err
	}

	// What is sold: seats of one tier, sometimes services and add-ons.
	scale := a.Scale * owner.size * (0.6 + 0.8*r.Float64())
	tier := 1
	switch {
	case scale < 0.5:
		tier = 0
	case scale > 1.8 && r.IntN(3) > 0:
		tier = 2
	}
	seats := max(3, int64(math.Round(scale*(8+r.Float64()*30))))
	type line struct {
		p        int
		qty, bp  int64
		amt, cst int64
	}
	lines := []line{{p: tier, qty: seats}}
	for p := 3; p < len(catalogue); p++ {
		if r.Float64() < catalogue[p].Attach*(0.6+0.4*scale) {
			lines = append(lines, line{p: p, qty: 1 + r.Int64N(catalogue[p].MaxQuantity)})
		}
	}
	if r.IntN(10) < 3 {
		lines[0].bp = int64(500 * (1 + r.IntN(3)))
	}
	var amount, cost int64
	for i := range lines {
		l := &lines[i]
		l.amt, _ = attain.LineAmount(l.qty, catalogue[l.p].Price, l.bp)
		l.cst, _ = attain.LineCost(l.qty, catalogue[l.p].Cost)
		amount += l.amt
		cost += l.cst
	}
	name := a.Name + " – " + catalogue[tier].Tier + ", " + strconv.FormatInt(seats, 10) + " seats"

	// The deal's path through the pipeline.
	sim.stints, sim.changes, sim.acts = sim.stints[:0], sim.changes[:0], sim.acts[:0]
	slow := (0.8 + 0.2*math.Min(scale, 3)) / owner.speed
	expected := 0.0
	for k := range g.open {
		expected += stageDays[min(k, len(stageDays)-1)]
	}
	closeDate := attain.DateOf(created.Add(time.Duration(expected * slow * (0.8 + 0.4*r.Float64()) * float64(day))))
	// Each move forward happens with this chance, so that a deal is won
	// with about the owner's win rate.
	advance := math.Pow(owner.winRate, 1/float64(len(g.open)))
	stalled := r.IntN(100) < 12
	fate := attain.DealOpen
	var closedAt *time.Time
	var reason, reasonNote string
	contact := func() int64 { return contacts[r.IntN(len(contacts))] }
	sim.changes = append(sim.changes,
		change{"account_id", "", i64(accountID), created}, change{"amount", "", i64(amount), created},
		change{"close_date", "", jsonString(closeDate.String()), created}, change{"name", "", jsonString(name), created},
		change{"owner_id", "", i64(owner.ID), created}, change{"primary_contact_id", "", i64(primary), created},
		change{"stage_id", "", i64(g.open[0].ID), created}, change{"status", "", `"open"`, created})
	// The lead it came from, for about a third of deals, and whether the
	// owner shares it with their team.
	var leadID, teamID *int64
	if r.IntN(100) < 35 {
		lid, err := tb.leadIDs.Next(ctx)
		if err != nil {
			return err
		}
		leadID = &lid
		sim.changes = append(sim.changes, change{"lead_id", "", i64(lid), created})
	}
	if r.IntN(100) < 15 {
		teamID = &owner.teamID
		sim.changes = append(sim.changes, change{"team_id", "", i64(owner.teamID), created})
	}
	sim.stints = append(sim.stints, stint{stage: g.open[0], entered: created})
	discovery := minTime(g.now, created.Add(time.Duration(r.IntN(48))*time.Hour))
	sim.acts = append(sim.acts, act{typ: "call", at: discovery, contact: primary})
	var closeAt time.Time
	t, k := created, 0
	for {
		dwell := stageDays[min(k, len(stageDays)-1)] * math.Exp(r.NormFloat64()*0.5) * slow
		if stalled && r.IntN(2) == 0 {
			dwell *= 4
		}
		exit := t.Add(time.Duration(dwell * float64(day)))
		// Calls, emails and meetings while in the stage.
		until := minTime(exit, g.now)
		if stalled && exit.After(g.now) {
			until = t.Add(until.Sub(t) / 5) // nothing has happened for a while
		}
		fill := int(until.Sub(t).Hours()/(24*7)*owner.activity + r.Float64())
		for range min(fill, 15) {
			typ := "email"
			switch x := r.IntN(10); {
			case x < 4:
				typ = "call"
			case x < 6 && k > 0:
				typ = "meeting"
			}
			sim.acts = append(sim.acts, act{typ: typ, at: t.Add(time.Duration(r.Int64N(int64(until.Sub(t)) + 1))), contact: contact()})
		}
		if !exit.Before(g.now) {
			break // still in this stage today
		}
		// What the stage's exit criteria ask for happens before the move.
		for _, req := range g.open[k].ExitCriteria.Activities {
			if g.types[req.Type] == 0 {
				continue
			}
			for range max(req.Count, 1) {
				at := exit.Add(-time.Duration(r.Int64N(int64(exit.Sub(t))/2 + 1)))
				sim.acts = append(sim.acts, act{typ: req.Type, at: at, contact: primary})
			}
		}
		if r.Float64() >= advance {
			closeAt = exit
			fate, reason = attain.DealLost, pick(r, lostReasons)
			reasonNote = oneOf(r, lostNotes[reason])
			break
		}
		if exit.After(closeDate.Time()) { // the close date slips
			left := time.Duration((expected - float64(k)*expected/float64(len(g.open))) * slow * float64(day))
			next := attain.DateOf(exit.Add(left))
			sim.changes = append(sim.changes, change{"close_date", jsonString(closeDate.String()), jsonString(next.String()), exit})
			closeDate = next
		}
		if k == len(g.open)-1 {
			closeAt = exit
			fate, reason = attain.DealWon, pick(r, wonReasons)
			break
		}
		from := g.open[k]
		if k >= 2 && r.IntN(100) < 4 {
			k-- // back a stage: the buyer wants another look
		} else {
			k++
		}
		sim.changes = append(sim.changes, change{"stage_id", i64(from.ID), i64(g.open[k].ID), exit})
		sim.stints = append(sim.stints, stint{stage: g.open[k], from: from, entered: exit})
		t = exit
	}
	last := sim.stints[len(sim.stints)-1]
	stageID, enteredAt := last.stage.ID, last.entered
	if fate != attain.DealOpen {
		// The close, when the last stage's time ended (before now).
		closed := closeAt
		closedAt = &closed
		target := g.wonStage
		if fate == attain.DealLost {
			target = g.lostStage
		}
		stageID, enteredAt = target.ID, closed
		if fate == attain.DealWon {
			g.wonByQuarter[g.cal.QuarterOf(attain.DateOf(closed)).Key] += amount
		}
		sim.changes = append(sim.changes,
			change{"closed_at", "", jsonString(closed.Format(time.RFC3339Nano)), closed},
			change{"reason", "", jsonString(reason), closed},
			change{"stage_id", i64(last.stage.ID), i64(target.ID), closed},
			change{"status", `"open"`, jsonString(fate), closed})
		if fate == attain.DealLost && reasonNote != "" {
			sim.changes = append(sim.changes, change{"reason_note", "", jsonString(reasonNote), closed})
		}
		if d := attain.DateOf(closed); d != closeDate {
			sim.changes = append(sim.changes, change{"close_date", jsonString(closeDate.String()), jsonString(d.String()), closed})
			closeDate = d
		}
		sim.stints = append(sim.stints, stint{stage: target, from: last.stage, entered: closed})
	} else {
		today := attain.DateOf(g.now)
		if closeDate.Before(today) && !stalled && r.IntN(10) < 7 {
			at := maxTime(last.entered, g.now.Add(-time.Duration(r.IntN(10*24))*time.Hour))
			next := today.AddDays(15 + r.IntN(60))
			sim.changes = append(sim.changes, change{"close_date", jsonString(closeDate.String()), jsonString(next.String()), at})
			closeDate = next
		}
		// The next thing to do, due soon (or overdue on a stalled deal).
		due := g.now.Add(time.Duration(r.IntN(14*24)-2*24) * time.Hour)
		if stalled {
			due = g.now.Add(-time.Duration(3+r.IntN(20)) * day)
		}
		sim.acts = append(sim.acts, act{typ: oneOf(r, []string{"call", "email", "meeting"}), due: due, contact: primary})
	}

	g.pipe.addDeal(owner.ID, amount, sim.stints)

	var lastActivity *time.Time
	for _, x := range sim.acts {
		if !x.at.IsZero() && (lastActivity == nil || x.at.After(*lastActivity)) {
			at := x.at
			lastActivity = &at
		}
	}
	// Each later change time is one update of the deal.
	updated, version := created, int64(1)
	for _, c := range sim.changes {
		if c.at.After(updated) {
			updated = c.at
			version++
		}
	}
	nextStep := oneOf(r, nextSteps)
	margin := amount - cost
	err = tb.deals.Add(ctx, g.ws.ID, id, name, accountID, primary, g.pipeline.ID, stageID, fate, amount, g.currency, margin,
		closeDate, owner.ID, teamID, nextStep, reason, reasonNote, closedAt, enteredAt, lastActivity, leadID, created, updated, version)
	if err != nil {
		return err
	}
	for i, l := range lines {
		p := g.products[l.p]
		if err := tb.lines.Add(ctx, g.ws.ID, id, p.ID, "", l.qty, p.ListPrice, l.bp, p.UnitCost, i); err != nil {
			return err
		}
	}
	for i, s := range sim.stints {
		var exited *time.Time
		if i+1 < len(sim.stints) {
			exited = &sim.stints[i+1].entered
		}
		var from *int64
		if s.from != nil {
			from = &s.from.ID
		}
		err := tb.history.Add(ctx, g.ws.ID, id, g.pipeline.ID, g.pipeline.CurrentVersion, s.stage.ID, from, s.entered, exited, owner.ID)
		if err != nil {
			return err
		}
	}
	for _, c := range sim.changes {
		if err := tb.changes.Add(ctx, g.ws.ID, "deal", id, c.field, nullJSON(c.old), nullJSON(c.new), owner.ID, c.at); err != nil {
			return err
		}
	}
	if r.IntN(100) < 30 {
		if err := tb.roles.Add(ctx, g.ws.ID, primary, accountID, id, "champion", "high", "supporter", created); err != nil {
			return err
		}
	}
	if leadID != nil {
		first, last, email, title, phone := g.contactAt(j, pk, a)
		leadCreated := created.Add(-time.Duration(2+r.IntN(20)) * day)
		err := tb.leads.Add(ctx, g.ws.ID, *leadID, first, last, email, phone, title, a.Name, "https://www."+a.Domain,
			a.Industry, a.Country, pick(r, leadSources), string(attain.LeadConverted), owner.ID, created, accountID, primary, id,
			leadCreated, created)
		if err != nil {
			return err
		}
		at := leadCreated.Add(time.Duration(1+r.IntN(24)) * time.Hour)
		o := oneOf(r, outcomes["call"])
		err = tb.acts.Add(ctx, g.ws.ID, g.types["call"], "Qualification call", "", nil, nil, nil, *leadID, owner.ID, nil,
			at, nil, at, durationOf(r, "call"), o.Text, o.Sentiment, at, at)
		if err != nil {
			return err
		}
	}
	for _, x := range sim.acts {
		if err := g.activity(ctx, r, tb.acts, x, id, accountID, owner, fate); err != nil {
			return err
		}
	}
	if r.IntN(100) < 25 {
		at := created.Add(time.Duration(r.Int64N(int64(updated.Sub(created)) + 1)))
		if err := tb.notes.Add(ctx, g.ws.ID, "deal", id, oneOf(r, noteBodies), owner.ID, at, at); err != nil {
			return err
		}
	}
	return nil
}

// activity writes one activity of a deal. Its outcome leans the way the deal
// went: more positive on deals that were won, more negative on lost ones.
func (g *gen) activity(ctx context.Context, r *mrand.Rand, t *store.BulkTable, x act, dealID, accountID int64, owner *rep, fate string) error {
	subject := oneOf(r, subjects[x.typ])
	if x.at.IsZero() { // an open task
		created := minTime(g.now, x.due.Add(-3*day))
		return t.Add(ctx, g.ws.ID, g.types[x.typ], "Follow up: "+subject, "", dealID, x.contact, accountID, nil, owner.ID, nil,
			nil, x.due, nil, 0, "", "", created, created)
	}
	o := oneOf(r, outcomes[x.typ])
	switch {
	case fate == attain.DealWon && o.Sentiment == attain.SentimentNegative && r.IntN(10) < 6,
		fate == attain.DealLost && o.Sentiment == attain.SentimentPositive && r.IntN(10) < 5:
		o = oneOf(r, outcomes[x.typ])
	}
	var due *time.Time
	if r.IntN(100) < 15 { // planned as a task, then done
		d := x.at.Add(time.Duration(r.IntN(36)) * time.Hour)
		due = &d
	}
	return t.Add(ctx, g.ws.ID, g.types[x.typ], subject, "", dealID, x.contact, accountID, nil, owner.ID, nil,
		x.at, due, x.at, durationOf(r, x.typ), o.Text, o.Sentiment, x.at, x.at)
}

func i64(v int64) string { return strconv.FormatInt(v, 10) }

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func nullJSON(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
