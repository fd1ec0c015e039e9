package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/service"
)

func cmdUsers(ctx context.Context, e *env, args []string) error {
	sub := ""
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	about := `Manage the people of a workspace. Subcommands:
  create --email E --name N --role admin|manager|rep [--password P]
  list
  set-role --email E --role admin|manager|rep
  set-password --email E [--password P]
Without --password a random one is generated and printed.`
	fs := newFlagSet("users "+sub, "", about, e)
	db := addDBFlags(fs, e)
	wsSlug := stringFlag(fs, e, "workspace", "ATTAIN_WORKSPACE", "", "workspace slug; default: the first workspace")
	email := fs.String("email", "", "the user's email")
	name := fs.String("name", "", "the user's name")
	role := fs.String("role", "rep", "role: admin, manager or rep")
	password := fs.String("password", "", "password (at least 10 characters)")
	if sub == "" || sub == "-h" || sub == "--help" {
		fs.Usage()
		if sub == "" {
			return usageError{"users: give a subcommand"}
		}
		return nil
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	svc, st, _, err := db.open(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	a, err := cliActor(ctx, svc, *wsSlug)
	if err != nil {
		return err
	}
	switch sub {
	case "create":
		pw, generated := *password, false
		if pw == "" {
			pw, generated = randomPassword(), true
		}
		u, err := svc.CreateUser(ctx, a, attain.NewUser{Email: *email, Name: *name, Password: pw, Role: attain.Role(*role)})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Created user %d %s (%s)\n", u.ID, u.Email, u.Role)
		if generated {
			fmt.Fprintf(e.stdout, "Password: %s\n", pw)
		}
	case "list":
		us, err := svc.FindUsers(ctx, a)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE")
		for _, u := range us {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role)
		}
		return tw.Flush()
	case "set-role":
		u, err := userByEmail(ctx, svc, a, *email)
		if err != nil {
			return err
		}
		r := attain.Role(*role)
		if u, err = svc.UpdateUser(ctx, a, u.ID, 0, attain.UserUpdate{Role: &r}); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s is now %s\n", u.Email, u.Role)
	case "set-password":
		u, err := userByEmail(ctx, svc, a, *email)
		if err != nil {
			return err
		}
		pw := *password
		if pw == "" {
			pw = randomPassword()
			fmt.Fprintf(e.stdout, "Password: %s\n", pw)
		}
		if err := svc.SetPassword(ctx, a, u.ID, pw); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Password of %s changed\n", u.Email)
	default:
		return usageError{fmt.Sprintf("users: unknown subcommand %q", sub)}
	}
	return nil
}

// cliActor is the CLI acting as Attain itself in a workspace: whoever can run
// the binary against the database already has the data.
func cliActor(ctx context.Context, svc *service.Service, slug string) (*attain.Actor, error) {
	if slug == "" {
		n, err := svc.CountWorkspaces(ctx)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, fmt.Errorf("the database has no workspace yet: run `attain serve` or `attain demo` first")
		}
		ws, err := svc.FirstWorkspace(ctx)
		if err != nil {
			return nil, err
		}
		return attain.SystemActor(ws.ID), nil
	}
	ws, err := svc.WorkspaceBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	return attain.SystemActor(ws.ID), nil
}

func userByEmail(ctx context.Context, svc *service.Service, a *attain.Actor, email string) (*attain.User, error) {
	if id, err := strconv.ParseInt(email, 10, 64); err == nil {
		return svc.FindUser(ctx, a, id)
	}
	us, err := svc.FindUsers(ctx, a)
	if err != nil {
		return nil, err
	}
	for _, u := range us {
		if u.Email == attain.NormalizeEmail(email) {
			return u, nil
		}
	}
	return nil, attain.Errorf(attain.ENOTFOUND, "No member with email %q in this workspace.", email)
}
