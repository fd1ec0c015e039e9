package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/attain-crm/attain"
)

func cmdKPI(ctx context.Context, e *env, args []string) error {
	return runSubcommands(ctx, e, "kpi", "KPIs, the system forecast, the funnel planner and dashboards on a running Attain server (see attain login). "+
		"Periods are 2026-11, 2026-Q3 or FY2026; the default is this quarter. Definitions: docs/KPIS.md.", []subcommand{
		{"show", "", "Every KPI for me, a rep (--user), a team (--team, managers) or the company (--company, admins)", kpiShow},
		{"forecast", "", "The system forecast: weighted, and the P10/P50/P90 range", kpiForecast},
		{"plan", "", "How many leads and deals at each stage a target needs, and by when", kpiPlan},
		{"home", "", "My home dashboard: attainment, deals needing attention, leaderboard place", kpiHome},
	}, args)
}

// kpiScope adds the scope flags and returns a function filling a query.
func kpiScope(fs *flag.FlagSet) func(ctx context.Context, c *apiClient) (url.Values, error) {
	period := fs.String("period", "", "the period (default: this quarter)")
	user := fs.String("user", "", "a rep, by email or id (default: me)")
	team := fs.Int64("team", 0, "a team id")
	company := fs.Bool("company", false, "the whole company (admins)")
	currency := fs.String("currency", "", "the currency (default: the planning currency)")
	return func(ctx context.Context, c *apiClient) (url.Values, error) {
		q := periodQuery(*period)
		if *currency != "" {
			q.Set("currency", *currency)
		}
		switch {
		case *team != 0:
			q.Set("team_id", strconv.FormatInt(*team, 10))
		case *company:
		case *user != "":
			id, err := userRef(ctx, c, *user)
			if err != nil {
				return nil, err
			}
			q.Set("user_id", strconv.FormatInt(id, 10))
		default:
			var me struct {
				User attain.User `json:"user"`
			}
			if _, err := c.get(ctx, "/api/v1/session", nil, &me); err != nil {
				return nil, err
			}
			q.Set("user_id", strconv.FormatInt(me.User.ID, 10))
		}
		return q, nil
	}
}

// kpiValue formats a KPI's measure or target in its unit.
func kpiValue(unit string, v *float64, amount *int64, currency string) string {
	switch {
	case amount != nil && (unit == attain.UnitMoney || v == nil):
		return money(*amount, currency)
	case v == nil:
		return "-"
	case unit == attain.UnitRatio:
		return fmt.Sprintf("%.1f%%", *v*100)
	case unit == attain.UnitDays:
		return fmt.Sprintf("%.1f days", *v)
	case unit == attain.UnitMoneyPerDay:
		return money(int64(*v), currency) + "/day"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

func kpiShow(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
	scope := kpiScope(fs)
	return func(ctx context.Context, c *apiClient, rf *remoteFlags, _ []string) error {
		q, err := scope(ctx, c)
		if err != nil {
			return err
		}
		var r attain.KPIReport
		if _, err := c.get(ctx, "/api/v1/kpis", q, &r); err != nil {
			return err
		}
		return rf.output(r, func(tw *tabwriter.Writer) {
			fmt.Fprintf(tw, "KPI (%s, %s)\tVALUE\tTARGET\tSTATUS\tDEALS\n", r.Scope, r.Period.Key)
			for _, k := range r.KPIs {
				target := ""
				if k.Target != nil || k.TargetAmount != nil {
					target = kpiValue(k.Unit, k.Target, k.TargetAmount, r.Currency)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", k.Name, kpiValue(k.Unit, k.Value, k.Amount, r.Currency), target, k.Status, k.Deals)
			}
			for _, a := range r.Activities {
				target := ""
				if a.Target != nil {
					target = strconv.FormatInt(*a.Target, 10)
				}
				fmt.Fprintf(tw, "Activities: %s\t%d\t%s\t\t\n", a.Name, a.Count, target)
			}
			for _, f := range r.Funnel {
				conv := ""
				if f.Conversion != nil {
					conv = fmt.Sprintf("→ %.1f%%", *f.Conversion*100)
				}
				fmt.Fprintf(tw, "Funnel: %s\t%d\t%s\t\t\n", f.Name, f.Reached, conv)
			}
		})
	}
}

func kpiForecast(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
	scope := kpiScope(fs)
	return func(ctx context.Context, c *apiClient, rf *remoteFlags, _ []string) error {
		q, err := scope(ctx, c)
		if err != nil {
			return err
		}
		var f attain.SystemForecast
		if _, err := c.get(ctx, "/api/v1/forecasts/system", q, &f); err != nil {
			return err
		}
		cur := q.Get("currency")
		return rf.output(f, func(tw *tabwriter.Writer) {
			fmt.Fprintln(tw, "PERIOD\tWON\tWEIGHTED\tP10\tP50\tP90\tOPEN DEALS")
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\n", f.Period, money(f.Won, cur), money(f.Weighted, cur), money(f.P10, cur),
				money(f.P50, cur), money(f.P90, cur), f.OpenDeals)
		})
	}
}

func kpiPlan(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
	period := fs.String("period", "", "the period (default: this quarter)")
	user := fs.String("user", "", "a rep, by email or id (default: me)")
	target := fs.Int64("target", 0, "the target in minor units (default: the rep's revenue target)")
	return func(ctx context.Context, c *apiClient, rf *remoteFlags, _ []string) error {
		q := periodQuery(*period)
		if *user != "" {
			id, err := userRef(ctx, c, *user)
			if err != nil {
				return err
			}
			q.Set("user_id", strconv.FormatInt(id, 10))
		}
		if *target > 0 {
			q.Set("target", strconv.FormatInt(*target, 10))
		}
		var p attain.FunnelPlan
		if _, err := c.get(ctx, "/api/v1/funnel-plan", q, &p); err != nil {
			return err
		}
		return rf.output(p, func(tw *tabwriter.Writer) {
			fmt.Fprintf(tw, "Target %s, won %s, to go %s: %d wins of %s (rates from %s history)\n\n", money(p.Target, p.Currency),
				money(p.Won, p.Currency), money(p.Remaining, p.Currency), p.WinsNeeded, money(p.AvgDealSize, p.Currency), p.Basis)
			fmt.Fprintln(tw, "STEP\tNEEDED\tBY\tCONVERSION")
			for _, s := range p.Steps {
				conv := ""
				if s.Conversion != nil {
					conv = fmt.Sprintf("%.1f%%", *s.Conversion*100)
				}
				fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", s.Step, s.Needed, s.By, conv)
			}
		})
	}
}

func kpiHome(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
	period := fs.String("period", "", "the period (default: this quarter)")
	return func(ctx context.Context, c *apiClient, rf *remoteFlags, _ []string) error {
		var h attain.RepDashboard
		if _, err := c.get(ctx, "/api/v1/dashboards/me", periodQuery(*period), &h); err != nil {
			return err
		}
		return rf.output(h, func(tw *tabwriter.Writer) {
			target := "no target"
			if h.Attainment.Target != nil {
				target = "of " + money(*h.Attainment.Target, h.Currency)
			}
			fmt.Fprintf(tw, "%s, %s: won %s %s; forecast P50 %s; place %d of %d\n\n", h.Name, h.Period.Key,
				money(h.Attainment.Won, h.Currency), target, money(h.Forecast.P50, h.Currency), h.Leaderboard.Position, h.Leaderboard.Of)
			fmt.Fprintln(tw, "NEEDS ATTENTION\tSTAGE\tAMOUNT\tWHY")
			for _, d := range h.Attention {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d.Name, d.StageName, money(d.Amount, h.Currency), strings.Join(d.Reasons, ", "))
			}
		})
	}
}
