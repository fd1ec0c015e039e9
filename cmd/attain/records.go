package main

// The record commands: deals, accounts, contacts and leads on a running
// server, and search across them.

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/importer"
)

// subcommand is one verb of a record command.
type subcommand struct {
	name, args, about string
	// flags defines the verb's own flags; run runs it with the parsed
	// flag set's positional arguments.
	flags func(fs *flag.FlagSet) func(ctx context.Context, c *apiClient, rf *remoteFlags, args []string) error
}

// runSubcommands dispatches "attain <name> <verb> [flags] [args]".
func runSubcommands(ctx context.Context, e *env, name, about string, subs []subcommand, args []string) error {
	verb := ""
	if len(args) > 0 {
		verb, args = args[0], args[1:]
	}
	if verb == "" || verb == "-h" || verb == "--help" || verb == "help" {
		fs := newFlagSet(name, "<verb> [flags]", about+"\n\nVerbs:\n"+verbList(subs), e)
		addRemoteFlags(fs, e)
		fs.Usage()
		if verb == "" {
			return usageError{name + ": give one of: " + verbNames(subs)}
		}
		return nil
	}
	for _, sc := range subs {
		if sc.name != verb {
			continue
		}
		fs := newFlagSet(name+" "+verb, sc.args, sc.about, e)
		rf := addRemoteFlags(fs, e)
		run := sc.flags(fs)
		if err := parseInterspersed(fs, args); err != nil {
			return err
		}
		c, err := rf.client(e)
		if err != nil {
			return err
		}
		return run(ctx, c, rf, fs.Args())
	}
	return usageError{fmt.Sprintf("%s: unknown verb %q; use one of: %s", name, verb, verbNames(subs))}
}

// parseInterspersed parses flags that may come after positional arguments
// (attain deals show "Acme renewal" --json), which the flag package alone
// stops at.
func parseInterspersed(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	return fs.Parse(append([]string{"--"}, pos...))
}

func verbList(subs []subcommand) string {
	var b strings.Builder
	for _, sc := range subs {
		fmt.Fprintf(&b, "  %-7s %s\n", sc.name, firstLine(sc.about))
	}
	return strings.TrimRight(b.String(), "\n")
}

func verbNames(subs []subcommand) string {
	names := make([]string, len(subs))
	for i, sc := range subs {
		names[i] = sc.name
	}
	return strings.Join(names, ", ")
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// oneArg returns the single positional argument a verb takes.
func oneArg(args []string, what string) (string, error) {
	if len(args) != 1 {
		return "", usageError{fmt.Sprintf("give one %s (an id or a name; quote names with spaces)", what)}
	}
	return args[0], nil
}

// money formats minor units of a currency for people: 1234550 USD is
// "12,345.50 USD".
func money(amount int64, currency string) string {
	digits := importer.CurrencyDigits(currency)
	neg := amount < 0
	if neg {
		amount = -amount
	}
	s := strconv.FormatInt(amount, 10)
	for len(s) <= digits {
		s = "0" + s
	}
	whole, frac := s[:len(s)-digits], s[len(s)-digits:]
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out + " " + currency
}

// parseAmount reads an amount typed in major units ("12000", "12,000.50",
// "€12k" is not accepted) into minor units of currency.
func parseAmount(flagName, s, currency string) (int64, string, error) {
	n, cur, err := importer.ParseMoney(s, "", currency)
	if err != nil {
		return 0, "", usageError{fmt.Sprintf("--%s: %v", flagName, err)}
	}
	return n, cur, nil
}

// stageIndex resolves pipelines and stages by id or name.
type stageIndex struct{ pipelines []*attain.Pipeline }

func loadStages(ctx context.Context, c *apiClient) (*stageIndex, error) {
	var res struct {
		Items []*attain.Pipeline `json:"items"`
	}
	if _, err := c.get(ctx, "/api/v1/pipelines", nil, &res); err != nil {
		return nil, err
	}
	return &stageIndex{pipelines: res.Items}, nil
}

func (x *stageIndex) pipeline(ref string) (*attain.Pipeline, error) {
	for _, p := range x.pipelines {
		if strconv.FormatInt(p.ID, 10) == ref || strings.EqualFold(p.Name, strings.TrimSpace(ref)) {
			return p, nil
		}
	}
	return nil, &attain.Error{Code: attain.ENOTFOUND, Message: fmt.Sprintf("No pipeline %q; pipelines: %s", ref, x.names())}
}

func (x *stageIndex) names() string {
	var n []string
	for _, p := range x.pipelines {
		if p.ArchivedAt == nil {
			n = append(n, p.Name)
		}
	}
	return strings.Join(n, ", ")
}

// stage finds a stage of pipeline p by id or name.
func (x *stageIndex) stage(p *attain.Pipeline, ref string) (*attain.Stage, error) {
	var names []string
	for _, s := range p.Stages {
		if strconv.FormatInt(s.ID, 10) == ref || strings.EqualFold(s.Name, strings.TrimSpace(ref)) {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return nil, &attain.Error{Code: attain.ENOTFOUND, Message: fmt.Sprintf("The %s pipeline has no stage %q; its stages: %s", p.Name, ref, strings.Join(names, ", "))}
}

func (x *stageIndex) pipelineName(id int64) string {
	for _, p := range x.pipelines {
		if p.ID == id {
			return p.Name
		}
	}
	return strconv.FormatInt(id, 10)
}

func cmdDeals(ctx context.Context, e *env, args []string) error {
	return runSubcommands(ctx, e, "deals", "Work with deals on a running Attain server (see attain login).", []subcommand{
		{"list", "", "List the deals you can see, with filters such as --status open --owner me", dealsList},
		{"show", "<deal>", "Show a deal (by id or name) with its line items", dealsShow},
		{"create", "[name]", "Create a deal; only the name is needed, the rest defaults", dealsCreate},
		{"update", "<deal>", "Change some of a deal's fields", dealsUpdate},
		{"move", "<deal>", "Move a deal to another stage, or with --pipeline to another pipeline", dealsMove},
	}, args)
}

func dealsList(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
	lf := addListFlags(fs)
	owner := fs.String("owner", "", "only deals of this member: me, an email, a name or an id")
	status := fs.String("status", "", "only open, won or lost deals")
	stage := fs.String("stage", "", "only deals in this stage (name or id; in --pipeline, else the default pipeline)")
	pipeline := fs.String("pipeline", "", "only deals in this pipeline (name or id)")
	return func(ctx context.Context, c *apiClient, rf *remoteFlags, args []string) error {
		if len(args) > 0 {
			return usageError{"deals list takes no arguments; filter with flags"}
		}
		q, err := lf.query()
		if err != nil {
			return err
		}
		if *owner != "" {
			id, err := userRef(ctx, c, *owner)
			if err != nil {
				return err
			}
			q.Set("owner_id", strconv.FormatInt(id, 10))
		}
		if *status != "" {
			q.Set("status", *status)
		}
		if *pipeline != "" || *stage != "" {
			stages, err := loadStages(ctx, c)
			if err != nil {
				return err
			}
			p := stages.pipelines[0]
			if *pipeline != "" {
				if p, err = stages.pipeline(*pipeline); err != nil {
					return err
				}
				q.Set("pipeline_id", strconv.FormatInt(p.ID, 10))
			}
			if *stage != "" {
				s, err := stages.stage(p, *stage)
				if err != nil {
					return err
				}
				q.Set("stage_id", strconv.FormatInt(s.ID, 10))
			}
		}
		ds, err := listAll[*attain.Deal](ctx, c, "/api/v1/deals", q, lf)
		if err != nil {
			return err
		}
		names := map[int64]string{}
		if !*rf.json {
			names = ownerNames(ctx, c)
		}
		return rf.output(ds, func(tw *tabwriter.Writer) {
			fmt.Fprintln(tw, "ID\tNAME\tSTAGE\tAMOUNT\tCLOSE\tOWNER\tSTATUS")
			for _, d := range ds {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.Name, d.StageName, money(d.Amount, d.Currency),
					closeDate(d), nameOr(names, d.OwnerID), d.Status)
			}
		})
	}
}

func closeDate(d *attain.Deal) string {
	s := d.CloseDate.String()
	if d.CloseDateEstimated {
		s += " (est.)"
	}
	return s
}

func dealsShow(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
	return func(ctx context.Context, c *apiClient, rf *remoteFlags, args []string) error {
		ref, err := oneArg(args, "deal")
		if err != nil {
			return err
		}
		id, err := recordRef(ctx, c, "deal", ref)
		if err != nil {
			return err
		}
		var d attain.Deal
		if _, err := c.get(ctx, "/api/v1/deals/"+strconv.FormatInt(id, 10), nil, &d); err != nil {
			return err
		}
		return printDeal(ctx, c, rf, &d)
	}
}

// printDeal shows one deal as label: value lines, or as JSON.
func printDeal(ctx context.Context, c *apiClient, rf *remoteFlags, d *attain.Deal) error {
	if *rf.json {
		return rf.output(d, nil)
	}
	names := ownerNames(ctx, c)
	stages, err := loadStages(ctx, c)
	if err != nil {
		return err
	}
	return rf.output(d, func(tw *tabwriter.Writer) {
		row := func(k, v string) { fmt.Fprintf(tw, "%s:\t%s\n", k, v) }
		row("Deal", fmt.Sprintf("%d  %s", d.ID, d.Name))
		stage := d.StageName
		if d.Probability != nil {
			stage += fmt.Sprintf(" (%d%%)", *d.Probability)
		}
		row("Stage", stage+" in "+stages.pipelineName(d.PipelineID)+", "+d.Status)
		row("Amount", money(d.Amount, d.Currency))
		if d.Margin != nil {
			row("Margin", money(*d.Margin, d.Currency))
		}
		row("Close date", closeDate(d))
		row("Forecast", d.ForecastCategory)
		row("Owner", nameOr(names, d.OwnerID))
		if d.AccountID != nil {
			row("Account", strconv.FormatInt(*d.AccountID, 10))
		}
		if d.PrimaryContactID != nil {
			row("Contact", strconv.FormatInt(*d.PrimaryContactID, 10))
		}
		if d.NextStep != "" {
			row("Next step", d.NextStep)
		}
		if d.Reason != "" {
			row("Reason", strings.TrimSpace(d.Reason+" "+d.ReasonNote))
		}
		row("In stage since", d.StageEnteredAt.Local().Format(time.DateTime))
		if d.LastActivityAt != nil {
			row("Last activity", d.LastActivityAt.Local().Format(time.DateTime))
		}
		for _, l := range d.Lines {
			row("Line", fmt.Sprintf("%d × %s at %s = %s", l.Quantity, l.Description, money(l.UnitPrice, d.Currency), money(l.Amount, d.Currency)))
		}
	})
}

// dealFields are the flags deals create and update share.
type dealFields struct {
	name, account, contact, amount, currency, closeDate, owner, nextStep, forecast *string
}

func addDealFields(fs *flag.FlagSet) *dealFields {
	return &dealFields{
		name:      fs.String("name", "", "the deal's name"),
		account:   fs.String("account", "", "its account (id or name)"),
		contact:   fs.String("contact", "", "its primary contact (id or name)"),
		amount:    fs.String("amount", "", "its amount in major units, e.g. 12000 or 12,000.50"),
		currency:  fs.String("currency", "", "the amount's currency (ISO code); default: the workspace's"),
		closeDate: fs.String("close", "", "the expected close date, YYYY-MM-DD"),
		owner:     fs.String("owner", "", "its owner: me, an email, a name or an id"),
		nextStep:  fs.String("next-step", "", "the next step"),
		forecast:  fs.String("forecast", "", "override the forecast category: pipeline, best_case, commit or omitted"),
	}
}

// body returns the JSON fields the flags set, resolving names to ids.
func (f *dealFields) body(ctx context.Context, c *apiClient, fs *flag.FlagSet, currency string) (map[string]any, error) {
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	b := map[string]any{}
	if set["name"] {
		b["name"] = *f.name
	}
	if set["currency"] {
		b["currency"] = strings.ToUpper(*f.currency)
		currency = strings.ToUpper(*f.currency)
	}
	if set["amount"] {
		n, cur, err := parseAmount("amount", *f.amount, currency)
		if err != nil {
			return nil, err
		}
		b["amount"] = n
		if cur != "" && cur != currency {
			b["currency"] = cur
		}
	}
	refs := []struct{ flag, kind, field string }{{"account", "account", "account_id"}, {"contact", "contact", "primary_contact_id"}}
	for _, r := range refs {
		if !set[r.flag] {
			continue
		}
		v := *f.account
		if r.flag == "contact" {
			v = *f.contact
		}
		if v == "" || v == "none" {
			b[r.field] = nil
			continue
		}
		id, err := recordRef(ctx, c, r.kind, v)
		if err != nil {
			return nil, err
		}
		b[r.field] = id
	}
	if set["close"] {
		b["close_date"] = *f.closeDate
	}
	if set["owner"] {
		id, err := userRef(ctx, c, *f.owner)
		if err != nil {
			return nil, err
		}
		b["owner_id"] = id
	}
	if set["next-step"] {
		b["next_step"] = *f.nextStep
	}
	if set["forecast"] {
		if *f.forecast == "" || *f.forecast == "stage" {
			b["forecast_category"] = nil
		} else {
			b["forecast_category"] = *f.forecast
		}
	}
	return b, nil
}

func dealsCreate(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
	f := addDealFields(fs)
	pipeline := fs.String("pipeline", "", "its pipeline (name or id); default: the default pipeline")
	stage := fs.String("stage", "", "its first stage (name or id); default: the pipeline's first")
	key := fs.String("idempotency-key", "", "a unique key, so that retrying the command creates the deal only once")
	return func(ctx context.Context, c *apiClient, rf *remoteFlags, args []string) error {
		if len(args) > 1 {
			return usageError{"deals create: give the name once (quote names with spaces)"}
		}
		if len(args) == 1 {
			if *f.name != "" {
				return usageError{"deals create: give the name as an argument or with --name, not both"}
			}
			_ = fs.Set("name", args[0])
		}
		b, err := f.body(ctx, c, fs, "")
		if err != nil {
			return err
		}
		if *pipeline != "" || *stage != "" {
			stages, err := loadStages(ctx, c)
			if err != nil {
				return err
			}
			p := stages.pipelines[0]
			if *pipeline != "" {
				if p, err = stages.pipeline(*pipeline); err != nil {
					return err
				}
				b["pipeline_id"] = p.ID
			}
			if *stage != "" {
				s, err := stages.stage(p, *stage)
				if err != nil {
					return err
				}
				b["stage_id"] = s.ID
			}
		}
		var h = map[string][]string{}
		if *key != "" {
			h["Idempotency-Key"] = []string{*key}
		}
		var d attain.Deal
		if _, err := c.do(ctx, "POST", "/api/v1/deals", nil, b, h, &d); err != nil {
			return err
		}
		if *rf.json {
			return rf.output(&d, nil)
		}
		fmt.Fprintf(rf.env.stdout, "Created deal %d %q in %s: %s, closing %s.\n", d.ID, d.Name, d.StageName, money(d.Amount, d.Currency), closeDate(&d))
		return nil
	}
}

func dealsUpdate(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
	f := addDealFields(fs)
	return func(ctx context.Context, c *apiClient, rf *remoteFlags, args []string) error {
		ref, err := oneArg(args, "deal")
		if err != nil {
			return err
		}
		if fs.NFlag() == 0 {
			return usageError{"deals update: say what to change, e.g. --amount 12000 or --close 2026-12-31"}
		}
		id, err := recordRef(ctx, c, "deal", ref)
		if err != nil {
			return err
		}
		path := "/api/v1/deals/" + strconv.FormatInt(id, 10)
		var cur attain.Deal
		if _, err := c.get(ctx, path, nil, &cur); err != nil {
			return err
		}
		b, err := f.body(ctx, c, fs, cur.Currency)
		if err != nil {
			return err
		}
		if len(b) == 0 {
			return usageError{"deals update: say what to change, e.g. --amount 12000 or --close 2026-12-31"}
		}
		var d attain.Deal
		if err := c.patch(ctx, path, b, &d); err != nil {
			return err
		}
		if *rf.json {
			return rf.output(&d, nil)
		}
		fmt.Fprintf(rf.env.stdout, "Updated deal %d %q: %s in %s, closing %s.\n", d.ID, d.Name, money(d.Amount, d.Currency), d.StageName, closeDate(&d))
		return nil
	}
}

func dealsMove(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
	stage := fs.String("stage", "", "the stage to move to (name or id)")
	pipeline := fs.String("pipeline", "", "move to another pipeline (name or id): to --stage there, or its first stage")
	reason := fs.String("reason", "", "why it was won or lost (a value of the won_reason or lost_reason picklist)")
	note := fs.String("note", "", "a note on the won or lost reason")
	override := fs.String("override", "", "managers: move past unmet exit criteria, for this reason (if the pipeline allows)")
	return func(ctx context.Context, c *apiClient, rf *remoteFlags, args []string) error {
		ref, err := oneArg(args, "deal")
		if err != nil {
			return err
		}
		if *stage == "" && *pipeline == "" {
			return usageError{"deals move: give --stage, or --pipeline"}
		}
		id, err := recordRef(ctx, c, "deal", ref)
		if err != nil {
			return err
		}
		path := "/api/v1/deals/" + strconv.FormatInt(id, 10)
		var cur attain.Deal
		h, err := c.get(ctx, path, nil, &cur)
		if err != nil {
			return err
		}
		stages, err := loadStages(ctx, c)
		if err != nil {
			return err
		}
		in := attain.MoveInput{Reason: *reason, ReasonNote: *note, OverrideReason: *override}
		p, err := stages.pipeline(strconv.FormatInt(cur.PipelineID, 10))
		if err != nil {
			return err
		}
		if *pipeline != "" {
			if p, err = stages.pipeline(*pipeline); err != nil {
				return err
			}
			in.PipelineID = &p.ID
		}
		if *stage != "" {
			s, err := stages.stage(p, *stage)
			if err != nil {
				return err
			}
			in.StageID = s.ID
		}
		var d attain.Deal
		if _, err := c.do(ctx, "POST", path+"/move", nil, in, map[string][]string{"If-Match": {h.Get("ETag")}}, &d); err != nil {
			return err
		}
		if *rf.json {
			return rf.output(&d, nil)
		}
		fmt.Fprintf(rf.env.stdout, "Moved deal %d %q to %s (%s), %s.\n", d.ID, d.Name, d.StageName, stages.pipelineName(d.PipelineID), d.Status)
		return nil
	}
}

// recordKind describes one of the simple record commands (accounts,
// contacts, leads): where it lives and how to show it.
type recordKind struct {
	name, plural, path string
	header             string
	row                func(v map[string]any, owners map[int64]string) string
	fields             []fieldFlag
}

// fieldFlag is a create flag that maps to one JSON field.
type fieldFlag struct {
	flag, field, usage string
	ref                string // resolve the value as a record of this kind to its id
}

func str(v map[string]any, k string) string {
	switch x := v[k].(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		return x.String()
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

func ownerOf(v map[string]any, owners map[int64]string) string {
	f, _ := v["owner_id"].(float64)
	return nameOr(owners, int64(f))
}

var accountKind = recordKind{name: "account", plural: "accounts", path: "/api/v1/accounts",
	header: "ID\tNAME\tDOMAIN\tINDUSTRY\tCOUNTRY\tOWNER",
	row: func(v map[string]any, o map[int64]string) string {
		return strings.Join([]string{str(v, "id"), str(v, "name"), str(v, "domain"), str(v, "industry"), str(v, "country"), ownerOf(v, o)}, "\t")
	},
	fields: []fieldFlag{
		{flag: "name", field: "name", usage: "the account's name (or give it as the argument)"},
		{flag: "website", field: "website", usage: "its website; the domain defaults to the website's"},
		{flag: "domain", field: "domain", usage: "its domain"},
		{flag: "industry", field: "industry", usage: "its industry (a value of the industry picklist)"},
		{flag: "size", field: "size", usage: "its size (a value of the company size picklist)"},
		{flag: "country", field: "country", usage: "its country (ISO 3166 code, e.g. FR)"},
		{flag: "region", field: "region", usage: "its region"},
		{flag: "city", field: "city", usage: "its city"},
		{flag: "parent", field: "parent_id", usage: "its parent account (id or name)", ref: "account"},
		{flag: "owner", field: "owner_id", usage: "its owner: me, an email, a name or an id", ref: "user"},
	},
}

var contactKind = recordKind{name: "contact", plural: "contacts", path: "/api/v1/contacts",
	header: "ID\tNAME\tEMAIL\tTITLE\tACCOUNT\tOWNER",
	row: func(v map[string]any, o map[int64]string) string {
		name := strings.TrimSpace(str(v, "first_name") + " " + str(v, "last_name"))
		return strings.Join([]string{str(v, "id"), name, str(v, "email"), str(v, "title"), str(v, "account_id"), ownerOf(v, o)}, "\t")
	},
	fields: []fieldFlag{
		{flag: "first-name", field: "first_name", usage: "first name"},
		{flag: "last-name", field: "last_name", usage: "last name"},
		{flag: "email", field: "email", usage: "email address"},
		{flag: "phone", field: "phone", usage: "phone number"},
		{flag: "title", field: "title", usage: "job title"},
		{flag: "account", field: "account_id", usage: "their account (id or name)", ref: "account"},
		{flag: "owner", field: "owner_id", usage: "the owner: me, an email, a name or an id", ref: "user"},
	},
}

var leadKind = recordKind{name: "lead", plural: "leads", path: "/api/v1/leads",
	header: "ID\tNAME\tCOMPANY\tEMAIL\tSOURCE\tSTATUS\tOWNER",
	row: func(v map[string]any, o map[int64]string) string {
		name := strings.TrimSpace(str(v, "first_name") + " " + str(v, "last_name"))
		return strings.Join([]string{str(v, "id"), name, str(v, "company"), str(v, "email"), str(v, "source"), str(v, "status"), ownerOf(v, o)}, "\t")
	},
	fields: []fieldFlag{
		{flag: "first-name", field: "first_name", usage: "first name"},
		{flag: "last-name", field: "last_name", usage: "last name"},
		{flag: "company", field: "company", usage: "company name"},
		{flag: "email", field: "email", usage: "email address"},
		{flag: "phone", field: "phone", usage: "phone number"},
		{flag: "title", field: "title", usage: "job title"},
		{flag: "website", field: "website", usage: "company website"},
		{flag: "source", field: "source", usage: "where the lead came from (a value of the lead source picklist)"},
		{flag: "owner", field: "owner_id", usage: "the owner: me, an email, a name or an id", ref: "user"},
	},
}

func cmdAccounts(ctx context.Context, e *env, args []string) error {
	return recordCommand(ctx, e, accountKind, args)
}

func cmdContacts(ctx context.Context, e *env, args []string) error {
	return recordCommand(ctx, e, contactKind, args)
}

func cmdLeads(ctx context.Context, e *env, args []string) error {
	return recordCommand(ctx, e, leadKind, args)
}

// recordCommand runs list, show and create for a simple record kind.
func recordCommand(ctx context.Context, e *env, k recordKind, args []string) error {
	list := func(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
		lf := addListFlags(fs)
		owner := fs.String("owner", "", "only those of this member: me, an email, a name or an id")
		return func(ctx context.Context, c *apiClient, rf *remoteFlags, args []string) error {
			if len(args) > 0 {
				return usageError{k.plural + " list takes no arguments; filter with flags"}
			}
			q, err := lf.query()
			if err != nil {
				return err
			}
			if *owner != "" {
				id, err := userRef(ctx, c, *owner)
				if err != nil {
					return err
				}
				q.Set("owner_id", strconv.FormatInt(id, 10))
			}
			items, err := listAll[map[string]any](ctx, c, k.path, q, lf)
			if err != nil {
				return err
			}
			owners := map[int64]string{}
			if !*rf.json {
				owners = ownerNames(ctx, c)
			}
			return rf.output(items, func(tw *tabwriter.Writer) {
				fmt.Fprintln(tw, k.header)
				for _, v := range items {
					fmt.Fprintln(tw, k.row(v, owners))
				}
			})
		}
	}
	show := func(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
		return func(ctx context.Context, c *apiClient, rf *remoteFlags, args []string) error {
			ref, err := oneArg(args, k.name)
			if err != nil {
				return err
			}
			id, err := recordRef(ctx, c, k.name, ref)
			if err != nil {
				return err
			}
			var v map[string]any
			if _, err := c.get(ctx, k.path+"/"+strconv.FormatInt(id, 10), nil, &v); err != nil {
				return err
			}
			return printRecord(ctx, c, rf, v)
		}
	}
	create := func(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
		vals := make([]*string, len(k.fields))
		for i, f := range k.fields {
			vals[i] = fs.String(f.flag, "", f.usage)
		}
		key := fs.String("idempotency-key", "", "a unique key, so that retrying the command creates the record only once")
		return func(ctx context.Context, c *apiClient, rf *remoteFlags, args []string) error {
			set := map[string]bool{}
			fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
			b := map[string]any{}
			if len(args) > 1 {
				return usageError{k.plural + " create: give at most one argument (quote names with spaces)"}
			}
			if len(args) == 1 {
				switch k.name {
				case "account":
					b["name"] = args[0]
				default:
					// A person's name: the last word is the last name.
					first, last := splitName(args[0])
					b["first_name"], b["last_name"] = first, last
				}
			}
			for i, f := range k.fields {
				if !set[f.flag] {
					continue
				}
				v := *vals[i]
				switch f.ref {
				case "":
					b[f.field] = v
				case "user":
					id, err := userRef(ctx, c, v)
					if err != nil {
						return err
					}
					b[f.field] = id
				default:
					id, err := recordRef(ctx, c, f.ref, v)
					if err != nil {
						return err
					}
					b[f.field] = id
				}
			}
			h := map[string][]string{}
			if *key != "" {
				h["Idempotency-Key"] = []string{*key}
			}
			var v map[string]any
			if _, err := c.do(ctx, "POST", k.path, nil, b, h, &v); err != nil {
				return err
			}
			if *rf.json {
				return rf.output(v, nil)
			}
			fmt.Fprintf(rf.env.stdout, "Created %s %s %s.\n", k.name, str(v, "id"), strings.TrimSpace(strings.Join(strings.Fields(k.row(v, nil)), " ")))
			return nil
		}
	}
	return runSubcommands(ctx, e, k.plural, "Work with "+k.plural+" on a running Attain server (see attain login).", []subcommand{
		{"list", "", "List the " + k.plural + " you can see", list},
		{"show", "<" + k.name + ">", "Show one " + k.name + " (by id or name)", show},
		{"create", "[name]", "Create " + article(k.name) + " " + k.name, create},
	}, args)
}

func article(s string) string {
	if strings.ContainsRune("aeiou", rune(s[0])) {
		return "an"
	}
	return "a"
}

func splitName(s string) (first, last string) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return "", ""
	}
	if len(f) == 1 {
		return f[0], ""
	}
	return strings.Join(f[:len(f)-1], " "), f[len(f)-1]
}

// printRecord shows a record's non-empty fields, one per line, or JSON.
func printRecord(ctx context.Context, c *apiClient, rf *remoteFlags, v map[string]any) error {
	if *rf.json {
		return rf.output(v, nil)
	}
	owners := ownerNames(ctx, c)
	return rf.output(v, func(tw *tabwriter.Writer) {
		for _, k := range sortedKeys(v) {
			s := str(v, k)
			if s == "" || s == "null" || s == "{}" || s == "[]" || k == "version" {
				continue
			}
			if k == "owner_id" {
				s = ownerOf(v, owners)
				k = "owner"
			}
			fmt.Fprintf(tw, "%s:\t%s\n", k, s)
		}
	})
}

func sortedKeys(v map[string]any) []string {
	// id and the names first, then the rest alphabetically.
	first := []string{"id", "name", "first_name", "last_name", "company", "email"}
	var keys []string
	for _, k := range first {
		if _, ok := v[k]; ok {
			keys = append(keys, k)
		}
	}
	var rest []string
	for k := range v {
		isFirst := false
		for _, f := range first {
			isFirst = isFirst || f == k
		}
		if !isFirst {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(keys, rest...)
}

func cmdSearch(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("search", "<words>", `Search the accounts, contacts, leads and deals you can see by name, email
or domain, on a running Attain server (see attain login).`, e)
	rf := addRemoteFlags(fs, e)
	types := fs.String("types", "", "only these kinds, comma-separated: account, contact, lead, deal")
	limit := fs.Int("limit", 20, "how many results at most")
	if err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{"search: give the words to look for"}
	}
	c, err := rf.client(e)
	if err != nil {
		return err
	}
	q := url.Values{"q": {strings.Join(fs.Args(), " ")}, "limit": {strconv.Itoa(*limit)}}
	if *types != "" {
		q.Set("types", *types)
	}
	var res struct {
		Items []*attain.SearchResult `json:"items"`
	}
	if _, err := c.get(ctx, "/api/v1/search", q, &res); err != nil {
		return err
	}
	if res.Items == nil {
		res.Items = []*attain.SearchResult{}
	}
	if !*rf.json && len(res.Items) == 0 {
		fmt.Fprintln(e.stdout, "Nothing found.")
		return nil
	}
	return rf.output(res.Items, func(tw *tabwriter.Writer) {
		fmt.Fprintln(tw, "TYPE\tID\tNAME\tDETAIL")
		for _, r := range res.Items {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", r.Type, r.ID, r.Title, r.Subtitle)
		}
	})
}
