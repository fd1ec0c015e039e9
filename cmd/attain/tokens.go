package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/attain-crm/attain"
)

func cmdTokens(ctx context.Context, e *env, args []string) error {
	sub := ""
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	about := `Manage a member's personal API tokens. Subcommands:
  create --email E --name N [--expires 720h]   prints the secret once
  list --email E
  revoke --email E --id ID`
	fs := newFlagSet("tokens "+sub, "", about, e)
	db := addDBFlags(fs, e)
	wsSlug := stringFlag(fs, e, "workspace", "ATTAIN_WORKSPACE", "", "workspace slug; default: the first workspace")
	email := fs.String("email", "", "the member who owns the token")
	name := fs.String("name", "", "a name to recognise the token by")
	expires := fs.Duration("expires", 0, "lifetime of the token; 0 never expires")
	id := fs.Int64("id", 0, "token id, for revoke")
	if sub == "" || sub == "-h" || sub == "--help" {
		fs.Usage()
		if sub == "" {
			return usageError{"tokens: give a subcommand"}
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
	sys, err := cliActor(ctx, svc, *wsSlug)
	if err != nil {
		return err
	}
	u, err := userByEmail(ctx, svc, sys, *email)
	if err != nil {
		return err
	}
	a, err := svc.ActorFor(ctx, sys.WorkspaceID, u.ID)
	if err != nil {
		return err
	}
	switch sub {
	case "create":
		in := attain.NewToken{Name: *name}
		if *expires > 0 {
			t := time.Now().Add(*expires).UTC()
			in.ExpiresAt = &t
		}
		t, err := svc.CreateToken(ctx, a, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Token %d created for %s. Its secret, shown only now:\n%s\n", t.ID, u.Email, t.Secret)
	case "list":
		ts, err := svc.FindTokens(ctx, a)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tPREFIX\tCREATED\tLAST USED\tSTATUS")
		for _, t := range ts {
			status, used := "active", "never"
			if t.RevokedAt != nil {
				status = "revoked"
			} else if t.ExpiresAt != nil && t.ExpiresAt.Before(time.Now()) {
				status = "expired"
			}
			if t.LastUsedAt != nil {
				used = t.LastUsedAt.Format(time.DateTime)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s…\t%s\t%s\t%s\n", t.ID, t.Name, t.Prefix, t.CreatedAt.Format(time.DateTime), used, status)
		}
		return tw.Flush()
	case "revoke":
		if err := svc.RevokeToken(ctx, a, *id); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Token %d revoked\n", *id)
	default:
		return usageError{fmt.Sprintf("tokens: unknown subcommand %q", sub)}
	}
	return nil
}
