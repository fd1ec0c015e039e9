package analytics

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/KPIS.md from the KPI definitions")

const kpiDocsHead = `# KPI definitions

Generated from ` + "`analytics.Definitions`" + ` by ` + "`go test ./analytics -run TestKPIDocs -update`" + `; edit
the definitions, not this file. Every KPI is computed by the same code for a
rep, a team (its members and the members of the teams under it) and the
company, for a fiscal period (month, quarter or year; the current quarter by
default), optionally for one pipeline or one product (deals with a line of
it). Money is in minor units of one currency (the planning currency by
default). Deals in other currencies are never converted (Attain keeps no
exchange rates) and never dropped silently: they are outside every sum, and
each report and dashboard lists them apart, per currency, in
` + "`other_currencies`" + ` (won in the period and open pipeline in the period, counted
as the sums count them). A rep in several teams counts in each of them, so
each team's figures are the sum of its members'.

Rates are null when there is nothing to measure (no closed deal). A KPI with
a target carries ` + "`target`/`target_amount`" + ` and ` + "`status`" + `: ` + "`met`" + ` or ` + "`below`" + ` (for KPIs
where lower is better, ` + "`met`" + ` means at or under the goal).

| key | name | unit | target from | definition |
| --- | --- | --- | --- | --- |
`

const kpiDocsTail = `
Targets: a rep's own; a team's explicit target, else the sum of its
members'; the company's explicit target, else the sum of every rep's. Only
approved targets count. Goals for rate KPIs are KPI settings
(` + "`PUT /api/v1/kpi-settings`" + `, ` + "`{\"goals\": {\"win_rate\": 0.6}}`" + `).

## Report lists

- **Funnel**: of the deals created in the period in the pipeline (the default
  one unless given), how many reached each open stage or a later one (a
  skipped stage counts as passed; a won deal passed them all) and were won;
  each step's conversion is the share that reached the next step.
- **Time in stage**: over stays in a stage that ended in the period, the mean
  and median days.
- **Activities**: done activities by type in the period, against each type's
  activity target.
- **Won/lost reasons**: deals closed in the period by outcome and reason.

## Deals needing attention (rep home)

An open deal of the rep is listed with each reason that applies: ` + "`stalled`" + `
(as in stalled_deals), ` + "`slipped`" + ` (as in slipped_deals, for the period shown),
` + "`overdue`" + ` (close date passed), ` + "`missing_exit_criteria`" + ` (fields its stage asks for
to move on are empty: amount, a confirmed close date, account, primary
contact, next step; and key activities it asks for, as ` + "`activities.<type>`" + ` when
fewer are logged on the deal than asked),
` + "`no_decision_maker`" + ` (no contact with the decision maker or economic buyer role
on the deal or its account).

## Leaderboard

Reps ranked by attainment ratio (won ÷ revenue target), then won amount.
Reps see only their own name and place unless the workspace turns on
` + "`leaderboard_names`" + `; managers and admins see names.

## System forecast

For the open deals of the scope closing in the period (for the current
period, also those whose close date has passed), not in the omitted category:

- **Weighted** = won in the period + Σ amount × stage probability.
- **Commit / best case / pipeline**: open amounts by forecast category.
- **P10 / P50 / P90**: won in the period + the 10th, 50th and 90th percentile
  (nearest rank) of %d (fewer for very many deals, at least %d) simulated
  outcomes, each deal won with its calibrated probability, seed 0x5EED and
  deals in id order, so the same data always gives the same range. Past %d
  deals (` + "`method: normal`" + `) the range is the simulation's limit instead: the
  normal distribution with mean Σ p·amount and variance Σ p(1−p)·amount²
  (P10/P90 = mean ∓ 1.2816 σ, P50 = mean).

The calibrated probability of a deal in stage S, in S for a days, owned by R:

1. p = (wins + %d × prob(S)) ÷ (n + %d) over closed deals' stays in S that
   lasted at least the age bucket of a (0, 30, 90 days), prob(S) the stage's
   configured probability;
2. if R has at least %d closed stays in S: p = (R's wins + %d × p) ÷ (R's stays + %d);
3. p × (1 − slip rate of S), the share of stays in S during which the close
   date was pushed later (when S has at least %d stays).

## Forecast accuracy

Each weekly snapshot of a submitted forecast is measured against the amount
won in its quarter, counted as attainment counts it: deals won in the
quarter (closed_at), credited to the owner at the time of the win, in the
planning currency. error = commit − actual; error_bp = |error| ÷ actual in
basis points. ` + "`by_week`" + ` averages error_bp by week of quarter, ` + "`by_quarter`" + ` by
quarter (oldest first, the trend).

## Funnel planner

From the year before the period (the rep's deals, or the company's when the
rep closed fewer than 5 deals in it): wins needed = ⌈(target − won so far) ÷
average won deal⌉; for each open stage, deals needed = ⌈wins ÷ (won ÷
reached)⌉ over deals closed in the window, by the period's end less the mean
days from entering that stage to winning; leads needed = ⌈deals at the first
stage ÷ lead conversion rate⌉, by that date less the mean days to convert a
lead.

A team's plan (` + "`GET /api/v1/teams/{id}/funnel-plan`" + `) is the same plan for
each person of the team and the teams under it, from their own revenue
target; a member without one for the period has no plan and says so.
`

func kpiDocs() string {
	var b strings.Builder
	b.WriteString(kpiDocsHead)
	for _, d := range Definitions {
		target := d.Target
		switch target {
		case "":
			target = "—"
		case "threshold":
			target = "coverage threshold (3×)"
		case "goal":
			target = "goals." + d.Key
		default:
			target = target + " target"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", d.Key, d.Name, d.Unit, target, d.Doc)
	}
	fmt.Fprintf(&b, kpiDocsTail, SimIterations, minIterations, simBudget/minIterations, priorStage, priorStage, minRepStays, priorRep, priorRep, minSlipN)
	return b.String()
}

// TestKPIDocs keeps docs/KPIS.md equal to the definitions in code.
func TestKPIDocs(t *testing.T) {
	const path = "../docs/KPIS.md"
	want := kpiDocs()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./analytics -run TestKPIDocs -update)", err)
	}
	if string(got) != want {
		t.Errorf("docs/KPIS.md is out of date: run go test ./analytics -run TestKPIDocs -update")
	}
}
