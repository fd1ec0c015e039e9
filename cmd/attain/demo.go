package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/demo"
	"github.com/attain-crm/attain/service"
)

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("demo", "", `Create a demo workspace that looks like a real sales team's: three teams with
managers, reps of different skill, accounts, contacts, leads, products, and two
years of deals that moved through the stages, with activities, tasks and notes.
The same --seed gives the same data. It prints how to sign in as an admin, a
manager and a rep; every demo member has the same password.

--deals makes large workspaces (e.g. --deals 1000000 --reps 100 for the
performance budget: about ten activities per deal).`, e)
	db := addDBFlags(fs, e)
	name := fs.String("name", demo.DefaultName, "name of the demo workspace (its slug is derived from it)")
	seed := fs.Uint64("seed", demo.DefaultSeed, "random seed: the same seed gives the same data")
	deals := fs.Int("deals", 0, fmt.Sprintf("deals over the two years (default %d per rep)", demo.DealsPerRep))
	reps := fs.Int("reps", demo.DefaultReps, "sales reps")
	reset := fs.Bool("reset", false, "delete the demo workspace first if it exists, with all its data")
	password := fs.String("password", "", "password of every demo member (default: random, printed)")
	quiet := fs.Bool("quiet", false, "print only the sign-in details, not progress")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("demo: unexpected argument %q", fs.Arg(0))}
	}
	if *password != "" && len(*password) < 10 {
		return usageError{"demo: --password must be at least 10 characters"}
	}
	svc, st, _, err := db.open(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	opts := demo.Options{Name: *name, Seed: *seed, Deals: *deals, Reps: *reps, Password: *password}
	if !*quiet {
		opts.Progress = e.stderr
	}
	if *reset {
		slug := attain.Slugify(*name)
		err := svc.PurgeWorkspace(ctx, slug)
		switch {
		case err == nil:
			fmt.Fprintf(e.stderr, "Deleted the workspace %q.\n", slug)
		case attain.ErrorCode(err) != attain.ENOTFOUND:
			return err
		}
	}
	res, err := demo.Generate(ctx, svc, opts)
	if errors.Is(err, demo.ErrExists) {
		return fmt.Errorf("the workspace %q exists already: run `attain demo --reset` to recreate it", attain.Slugify(*name))
	}
	if err != nil {
		return err
	}
	printDemo(e.stdout, res)
	return nil
}

// firstRunDemo gives an empty database the demo workspace (serve --demo).
func firstRunDemo(ctx context.Context, e *env, svc *service.Service) error {
	n, err := svc.CountWorkspaces(ctx)
	if err != nil || n > 0 {
		return err
	}
	res, err := demo.Generate(ctx, svc, demo.Options{})
	if err != nil {
		return err
	}
	printDemo(e.stdout, res)
	return nil
}

// printDemo prints what was made and how to sign in. The admin's lines come
// first and keep the first-run format ("Sign in as:", "Password:") that
// scripts and tests read.
func printDemo(w io.Writer, res *demo.Result) {
	fmt.Fprintf(w, "Created the demo workspace %q in %s: %d members, %d deals, %d activities.\n",
		res.Workspace.Slug, res.Elapsed.Round(10*time.Millisecond), len(res.Members), res.Rows["deals"], res.Rows["activities"])
	fmt.Fprintf(w, "  Sign in as: %s\n  Password:   %s\n", res.Admin.Email, res.Password)
	fmt.Fprintf(w, "  Manager:    %s (manages %s)\n", res.Manager.Email, res.Manager.Team)
	fmt.Fprintf(w, "  Rep:        %s (in %s)\n", res.Rep.Email, res.Rep.Team)
	fmt.Fprintln(w, "Every demo member signs in with that password.")
}
