package main

// Quick capture: log a key activity or plan a task in one command, with only
// the essentials typed (attain log call --deal "Acme renewal" --note "...").

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/attain-crm/attain"
)

// activityTypes lists the workspace's activity types that are in use.
func activityTypes(ctx context.Context, c *apiClient) ([]*attain.ActivityType, error) {
	var res struct {
		Items []*attain.ActivityType `json:"items"`
	}
	if _, err := c.get(ctx, "/api/v1/activity-types", nil, &res); err != nil {
		return nil, err
	}
	var out []*attain.ActivityType
	for _, t := range res.Items {
		if t.RetiredAt == nil {
			out = append(out, t)
		}
	}
	return out, nil
}

// activityType resolves a type typed by key or name ("call", "Demo").
func activityType(types []*attain.ActivityType, ref string) (string, error) {
	var keys []string
	for _, t := range types {
		if strings.EqualFold(t.Key, ref) || strings.EqualFold(t.Name, ref) {
			return t.Key, nil
		}
		keys = append(keys, t.Key)
	}
	return "", usageError{fmt.Sprintf("unknown activity type %q; this workspace's types: %s", ref, strings.Join(keys, ", "))}
}

// recordFlags name the record an activity is on.
type recordFlags struct{ deal, contact, account, lead *string }

func addRecordFlags(fs *flag.FlagSet) *recordFlags {
	return &recordFlags{
		deal:    fs.String("deal", "", "the deal it is on (id or name)"),
		contact: fs.String("contact", "", "the contact it is with (id or name)"),
		account: fs.String("account", "", "the account it is on (id or name)"),
		lead:    fs.String("lead", "", "the lead it is with (id or name)"),
	}
}

// apply resolves the named records into the activity.
func (f *recordFlags) apply(ctx context.Context, c *apiClient, in *attain.NewActivity) error {
	for _, r := range []struct {
		kind string
		ref  *string
		dst  **int64
	}{{"deal", f.deal, &in.DealID}, {"contact", f.contact, &in.ContactID}, {"account", f.account, &in.AccountID}, {"lead", f.lead, &in.LeadID}} {
		if *r.ref == "" {
			continue
		}
		id, err := recordRef(ctx, c, r.kind, *r.ref)
		if err != nil {
			return err
		}
		*r.dst = &id
	}
	if in.DealID == nil && in.ContactID == nil && in.AccountID == nil && in.LeadID == nil {
		return usageError{"say what it is on: --deal, --contact, --account or --lead"}
	}
	return nil
}

func cmdLog(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("log", "<type> --deal <deal> [flags]", `Log a key activity that happened: a call, email, meeting, demo, proposal or
any activity type the workspace has, on a deal, contact, account or lead.
It happened now unless --at says when; you own it.

  attain log call --deal "Acme renewal" --outcome "Agreed next steps" --sentiment positive
  attain log demo --deal 42 --duration 45m --note "Loved the forecast view"`, e)
	rf := addRemoteFlags(fs, e)
	recs := addRecordFlags(fs)
	subject := fs.String("subject", "", "a short subject; default: the type's name")
	note := fs.String("note", "", "what happened")
	outcome := fs.String("outcome", "", "the outcome, in a few words")
	sentiment := fs.String("sentiment", "", "the buyer's sentiment: positive, neutral or negative")
	duration := fs.Duration("duration", 0, "how long it took, e.g. 30m")
	at := fs.String("at", "", "when it happened: 2026-12-01 15:30, yesterday, -2h ...; default: now")
	if err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"log: give the activity type, e.g. attain log call --deal 42"}
	}
	c, err := rf.client(e)
	if err != nil {
		return err
	}
	types, err := activityTypes(ctx, c)
	if err != nil {
		return err
	}
	key, err := activityType(types, fs.Arg(0))
	if err != nil {
		return err
	}
	in := attain.NewActivity{Type: key, Subject: *subject, Note: *note, Outcome: *outcome, Sentiment: *sentiment,
		DurationMinutes: int(duration.Round(time.Minute) / time.Minute)}
	if *at != "" {
		t, err := parseWhen(*at, time.Now())
		if err != nil {
			return usageError{"--at: " + err.Error()}
		}
		in.OccurredAt = &t
	}
	if err := recs.apply(ctx, c, &in); err != nil {
		return err
	}
	var act attain.Activity
	if _, err := c.do(ctx, "POST", "/api/v1/activities", nil, in, nil, &act); err != nil {
		return err
	}
	if *rf.json {
		return rf.output(&act, nil)
	}
	when := ""
	if act.OccurredAt != nil {
		when = " at " + act.OccurredAt.Local().Format("2006-01-02 15:04")
	}
	fmt.Fprintf(e.stdout, "Logged %s %d%s on %s.\n", strings.ToLower(act.TypeName), act.ID, when, onWhat(&act))
	return nil
}

func onWhat(act *attain.Activity) string {
	var on []string
	for _, r := range []struct {
		kind string
		id   *int64
	}{{"deal", act.DealID}, {"contact", act.ContactID}, {"account", act.AccountID}, {"lead", act.LeadID}} {
		if r.id != nil {
			on = append(on, fmt.Sprintf("%s %d", r.kind, *r.id))
		}
	}
	return strings.Join(on, ", ")
}

func cmdTask(ctx context.Context, e *env, args []string) error {
	return runSubcommands(ctx, e, "task", "Plan, list and complete tasks (planned activities) on a running Attain server.", []subcommand{
		{"add", "<subject> --deal <deal> --due <when>", "Plan a task: what to do, on which record, by when", taskAdd},
		{"list", "", "List your open tasks, soonest due first", taskList},
		{"done", "<task id>", "Complete a task: done now", taskDone},
	}, args)
}

func taskAdd(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
	recs := addRecordFlags(fs)
	due := fs.String("due", "tomorrow", "when it is due: 2026-12-01, tomorrow, 3d, \"2026-12-01 15:30\" ...")
	typ := fs.String("type", "", "the activity type it is (key or name); default: call, else the first type")
	note := fs.String("note", "", "details")
	owner := fs.String("owner", "", "who is to do it: me, an email, a name or an id; default: me")
	return func(ctx context.Context, c *apiClient, rf *remoteFlags, args []string) error {
		if len(args) != 1 {
			return usageError{`task add: give what to do, quoted: attain task add "Send the proposal" --deal 42`}
		}
		when, err := parseWhen(*due, time.Now())
		if err != nil {
			return usageError{"--due: " + err.Error()}
		}
		types, err := activityTypes(ctx, c)
		if err != nil {
			return err
		}
		if len(types) == 0 {
			return usageError{"this workspace has no activity types; an admin can add one"}
		}
		key := types[0].Key
		if *typ != "" {
			if key, err = activityType(types, *typ); err != nil {
				return err
			}
		} else if k, err := activityType(types, "call"); err == nil {
			key = k
		}
		in := attain.NewActivity{Type: key, Subject: args[0], Note: *note, DueAt: &when}
		if *owner != "" {
			id, err := userRef(ctx, c, *owner)
			if err != nil {
				return err
			}
			in.OwnerID = &id
		}
		if err := recs.apply(ctx, c, &in); err != nil {
			return err
		}
		var act attain.Activity
		if _, err := c.do(ctx, "POST", "/api/v1/activities", nil, in, nil, &act); err != nil {
			return err
		}
		if *rf.json {
			return rf.output(&act, nil)
		}
		fmt.Fprintf(rf.env.stdout, "Task %d %q due %s on %s.\n", act.ID, act.Subject, act.DueAt.Local().Format("2006-01-02 15:04"), onWhat(&act))
		return nil
	}
}

func taskList(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
	lf := addListFlags(fs)
	owner := fs.String("owner", "me", "whose tasks: me, an email, a name or an id; all for everyone's you can see")
	return func(ctx context.Context, c *apiClient, rf *remoteFlags, args []string) error {
		q, err := lf.query()
		if err != nil {
			return err
		}
		q.Set("done_at[null]", "true")
		q.Set("due_at[null]", "false")
		if q.Get("sort") == "" {
			q.Set("sort", "due_at")
		}
		if *owner != "all" {
			id, err := userRef(ctx, c, *owner)
			if err != nil {
				return err
			}
			q.Set("owner_id", strconv.FormatInt(id, 10))
		}
		tasks, err := listAll[*attain.Activity](ctx, c, "/api/v1/activities", q, lf)
		if err != nil {
			return err
		}
		now := time.Now()
		return rf.output(tasks, func(tw *tabwriter.Writer) {
			fmt.Fprintln(tw, "ID\tDUE\tTYPE\tSUBJECT\tON")
			for _, t := range tasks {
				due := t.DueAt.Local().Format("2006-01-02 15:04")
				if t.DueAt.Before(now) {
					due += " (overdue)"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, due, t.Type, t.Subject, onWhat(t))
			}
		})
	}
}

func taskDone(fs *flag.FlagSet) func(context.Context, *apiClient, *remoteFlags, []string) error {
	outcome := fs.String("outcome", "", "the outcome, in a few words")
	note := fs.String("note", "", "what happened")
	sentiment := fs.String("sentiment", "", "the buyer's sentiment: positive, neutral or negative")
	return func(ctx context.Context, c *apiClient, rf *remoteFlags, args []string) error {
		if len(args) != 1 {
			return usageError{"task done: give the task's id"}
		}
		id, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil || id <= 0 {
			return usageError{fmt.Sprintf("task done: %q is not a task id", args[0])}
		}
		var in attain.ActivityCompletion
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if set["outcome"] {
			in.Outcome = outcome
		}
		if set["note"] {
			in.Note = note
		}
		if set["sentiment"] {
			in.Sentiment = sentiment
		}
		path := "/api/v1/activities/" + strconv.FormatInt(id, 10)
		h, err := c.get(ctx, path, nil, nil)
		if err != nil {
			return err
		}
		var act attain.Activity
		if _, err := c.do(ctx, "POST", path+"/complete", url.Values{}, in, map[string][]string{"If-Match": {h.Get("ETag")}}, &act); err != nil {
			return err
		}
		if *rf.json {
			return rf.output(&act, nil)
		}
		fmt.Fprintf(rf.env.stdout, "Task %d %q done.\n", act.ID, act.Subject)
		return nil
	}
}
