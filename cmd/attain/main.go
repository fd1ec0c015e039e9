// Command attain is the Attain CRM: the server, and the commands that set it
// up, feed it and look after it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// ATTAIN_CPUPROFILE=file profiles a whole command (attain import of a
	// large file, say) for go tool pprof.
	if path := os.Getenv("ATTAIN_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			defer f.Close()
			defer pprof.StopCPUProfile()
		}
	}
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "attain:", err)
		}
		pprof.StopCPUProfile()
		os.Exit(exitCode(err))
	}
}

// usageError is a mistake in how a command was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func exitCode(err error) int {
	var ue usageError
	if errors.As(err, &ue) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what every command receives: the process's environment and streams.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func commands() []command {
	return []command{
		{"serve", "Run the web app and API server", cmdServe},
		{"migrate", "Apply database migrations (serve does this on start too)", cmdMigrate},
		{"demo", "Create (or --reset) a demo workspace with two years of sales history", cmdDemo},
		{"users", "Manage users: create, list, set-role, set-password", cmdUsers},
		{"tokens", "Manage personal API tokens: create, list, revoke", cmdTokens},
		{"import", "Import a CSV file of accounts, contacts, leads, deals, products or activities", cmdImport},
		{"export", "Export a list as CSV or JSON, with the API's filters and sort", cmdExport},
		{"backup", "Write a consistent copy of the database (safe while serving)", cmdBackup},
		{"restore", "Replace the database with a backup (stop the server first)", cmdRestore},
		{"openapi", "Print the API's OpenAPI 3.1 document (no database needed)", cmdOpenAPI},
		{"login", "Save a server and an API token for the commands below", cmdLogin},
		{"deals", "Deals on a server: list, show, create, update, move", cmdDeals},
		{"accounts", "Accounts on a server: list, show, create", cmdAccounts},
		{"contacts", "Contacts on a server: list, show, create", cmdContacts},
		{"leads", "Leads on a server: list, show, create", cmdLeads},
		{"search", "Search accounts, contacts, leads and deals on a server", cmdSearch},
		{"log", "Log a call, email, meeting, demo, proposal ... on a record", cmdLog},
		{"task", "Tasks on a server: add, list, done", cmdTask},
		{"forecast", "Forecasts and targets on a server: show, submit, rollup, accuracy, targets", cmdForecast},
		{"kpi", "KPIs, system forecast, funnel plan and my dashboard on a server: show, forecast, plan, home", cmdKPI},
		{"loadtest", "Drive a running server with a mixed workload and report latency beside the machine's ceiling", cmdLoadtest},
		{"version", "Print the version", cmdVersion},
	}
}

// run is the whole program, with its dependencies passed in so tests can
// call it like main does.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 && args[0] == "help" {
			return run(ctx, []string{args[1], "--help"}, getenv, stdin, stdout, stderr)
		}
		printUsage(stdout)
		if len(args) == 0 {
			return usageError{"no command given"}
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, e, args[1:])
			if errors.Is(err, flag.ErrHelp) {
				return nil // help was asked for, and printed
			}
			return err
		}
	}
	printUsage(stderr)
	return usageError{fmt.Sprintf("unknown command %q", args[0])}
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `Attain is a CRM and sales performance system in one binary.

Usage:
  attain <command> [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
The commands that run on the server take --database-url and --data-dir (or
ATTAIN_DATABASE_URL and ATTAIN_DATA_DIR). With neither, Attain uses a SQLite
file in a "data" directory next to the binary. The commands from login on talk
to a running server with a personal API token: --server and --token (or
ATTAIN_SERVER and ATTAIN_TOKEN, or what attain login saved). Run
"attain <command> --help" for a command's flags.
`)
}

var version = "dev"

func cmdVersion(_ context.Context, e *env, args []string) error {
	fs := newFlagSet("version", "", "Print the version of this binary.", e)
	if err := fs.Parse(args); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "attain", version)
	return nil
}
