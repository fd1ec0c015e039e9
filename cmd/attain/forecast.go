package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"strconv"
	"text/tabwriter"

	"github.com/attain-crm/attain"
)

func cmdForecast(ctx context.Context, e *env, args []string) error {
	return runSubcommands(ctx, e, "forecast", "Forecasts and targets on a running Attain server (see attain login). Periods are 2026-11, 2026-Q3 or FY2026; the default is this quarter.", []subcommand{
		{"show", "", "What my deals say for the period (won, commit, best case) and my latest submission", forecastShow},
		{"submit", "", "Submit my forecast: --commit and --best-case default to what my deals say", forecastSubmit},
		{"rollup", "", "A team's roll-up (--team, managers) or the company's (admins): each rep's latest call and the sum", forecastRollup},
		{"accuracy", "", "How far each weekly snapshot of the forecast was from what was won, by week of quarter", forecastAccuracy},
		{"targets", "", "The targets I can see for the period", forecastTargets},
	}, args)
}

func periodQuery(period string) url.Values {
	q := url.Values{}
	if period != "" {
		q.Set("period", period)
	}
	return q
}

func forecastShow(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
	period := fs.String("period", "", "the period (default: this quarter)")
	return func(ctx context.Context, c *apiClient, rf *remoteFlags, _ []string) error {
		var pf attain.ForecastPrefill
		if _, err := c.get(ctx, "/api/v1/forecasts/prefill", periodQuery(*period), &pf); err != nil {
			return err
		}
		var subs struct {
			Items []*attain.ForecastSubmission `json:"items"`
		}
		q := url.Values{"period": {pf.Period}, "scope": {"rep"}, "user_id": {strconv.FormatInt(pf.UserID, 10)}}
		if _, err := c.get(ctx, "/api/v1/forecasts", q, &subs); err != nil {
			return err
		}
		var last *attain.ForecastSubmission
		if n := len(subs.Items); n > 0 {
			last = subs.Items[n-1]
		}
		return rf.output(map[string]any{"prefill": pf, "latest": last}, func(tw *tabwriter.Writer) {
			fmt.Fprintf(tw, "PERIOD\tWON\tCOMMIT\tBEST CASE\tPIPELINE\n")
			fmt.Fprintf(tw, "%s (deals)\t%s\t%s\t%s\t%s\n", pf.Period, money(pf.Won, pf.Currency), money(pf.Commit, pf.Currency),
				money(pf.BestCase, pf.Currency), money(pf.Pipeline, pf.Currency))
			if last != nil {
				fmt.Fprintf(tw, "%s (submitted %s)\t\t%s\t%s\t%s\n", pf.Period, last.SubmittedAt.Format("2006-01-02"),
					money(last.Commit, last.Currency), money(last.BestCase, last.Currency), last.Comment)
			}
		})
	}
}

func forecastSubmit(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
	period := fs.String("period", "", "the period (default: this quarter)")
	commit := fs.String("commit", "", "my commit (default: what my deals say)")
	best := fs.String("best-case", "", "my best case (default: what my deals say)")
	comment := fs.String("comment", "", "why, for my manager")
	team := fs.String("team", "", "call this team's forecast (its manager), by id; needs --comment")
	return func(ctx context.Context, c *apiClient, rf *remoteFlags, _ []string) error {
		var plan attain.PlanningSettings
		if _, err := c.get(ctx, "/api/v1/planning", nil, &plan); err != nil {
			return err
		}
		in := map[string]any{"period": *period, "comment": *comment}
		if *period == "" {
			var pf attain.ForecastPrefill
			if _, err := c.get(ctx, "/api/v1/forecasts/prefill", nil, &pf); err != nil {
				return err
			}
			in["period"] = pf.Period
		}
		for flagName, v := range map[string]string{"commit": *commit, "best-case": *best} {
			if v == "" {
				continue
			}
			n, _, err := parseAmount(flagName, v, plan.Currency)
			if err != nil {
				return err
			}
			key := flagName
			if key == "best-case" {
				key = "best_case"
			}
			in[key] = n
		}
		if *team != "" {
			id, err := strconv.ParseInt(*team, 10, 64)
			if err != nil {
				return usageError{"--team: want a team id"}
			}
			in["scope"], in["team_id"] = "team", id
		}
		var sub attain.ForecastSubmission
		if _, err := c.do(ctx, "POST", "/api/v1/forecasts", nil, in, nil, &sub); err != nil {
			return err
		}
		if *rf.json {
			return rf.output(sub, nil)
		}
		fmt.Fprintf(rf.env.stdout, "Submitted %s: commit %s, best case %s.\n", sub.Period, money(sub.Commit, sub.Currency), money(sub.BestCase, sub.Currency))
		return nil
	}
}

func forecastRollup(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
	period := fs.String("period", "", "the period (default: this quarter)")
	team := fs.String("team", "", "a team id (default: the company, admins)")
	return func(ctx context.Context, c *apiClient, rf *remoteFlags, _ []string) error {
		path := "/api/v1/forecasts/rollup"
		if *team != "" {
			if _, err := strconv.ParseInt(*team, 10, 64); err != nil {
				return usageError{"--team: want a team id"}
			}
			path = "/api/v1/teams/" + *team + "/forecast"
		}
		var r attain.ForecastRollup
		if _, err := c.get(ctx, path, periodQuery(*period), &r); err != nil {
			return err
		}
		return rf.output(r, func(tw *tabwriter.Writer) {
			fmt.Fprintln(tw, "KIND\tNAME\tCOMMIT\tBEST CASE\tSUBMITTED")
			for _, row := range r.Rows {
				when := "-"
				if row.Submission != nil {
					when = row.Submission.SubmittedAt.Format("2006-01-02")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", row.Kind, row.Name, money(row.Commit, r.Currency), money(row.BestCase, r.Currency), when)
			}
			fmt.Fprintf(tw, "\tSum\t%s\t%s\t\n", money(r.SumCommit, r.Currency), money(r.SumBestCase, r.Currency))
			if r.Call != nil {
				fmt.Fprintf(tw, "\tCall\t%s\t%s\t%s: %s\n", money(r.Call.Commit, r.Currency), money(r.Call.BestCase, r.Currency),
					r.Call.SubmittedAt.Format("2006-01-02"), r.Call.Comment)
			}
		})
	}
}

func forecastAccuracy(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
	period := fs.String("period", "", "the last quarter (default: this quarter)")
	quarters := fs.Int("quarters", 1, "how many quarters, ending with --period")
	return func(ctx context.Context, c *apiClient, rf *remoteFlags, _ []string) error {
		q := periodQuery(*period)
		q.Set("quarters", strconv.Itoa(*quarters))
		var acc attain.ForecastAccuracy
		if _, err := c.get(ctx, "/api/v1/forecasts/accuracy", q, &acc); err != nil {
			return err
		}
		return rf.output(acc, func(tw *tabwriter.Writer) {
			fmt.Fprintln(tw, "WEEK OF QUARTER\tFORECASTS\tMEAN ERROR")
			for _, w := range acc.ByWeek {
				fmt.Fprintf(tw, "%d\t%d\t%.1f%%\n", w.Week, w.Points, float64(w.MeanErrorBP)/100)
			}
		})
	}
}

func forecastTargets(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
	period := fs.String("period", "", "only this period")
	return func(ctx context.Context, c *apiClient, rf *remoteFlags, _ []string) error {
		var ts struct {
			Items []*attain.Target `json:"items"`
		}
		if _, err := c.get(ctx, "/api/v1/targets", periodQuery(*period), &ts); err != nil {
			return err
		}
		names := ownerNames(ctx, c)
		return rf.output(ts.Items, func(tw *tabwriter.Writer) {
			fmt.Fprintln(tw, "ID\tPERIOD\tKIND\tWHOSE\tTARGET\tPROPOSED\tSTATUS")
			for _, t := range ts.Items {
				whose := string(t.Scope)
				switch {
				case t.UserID != nil:
					whose = nameOr(names, *t.UserID)
				case t.TeamID != nil:
					whose = "team " + strconv.FormatInt(*t.TeamID, 10)
				}
				show := func(v *int64) string {
					switch {
					case v == nil:
						return "-"
					case t.Kind.IsMoney():
						return money(*v, t.Currency)
					}
					return strconv.FormatInt(*v, 10)
				}
				kind := string(t.Kind)
				if t.ActivityType != "" {
					kind += " (" + t.ActivityType + ")"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Period, kind, whose, show(t.Amount), show(t.ProposedAmount), t.Status)
			}
		})
	}
}
