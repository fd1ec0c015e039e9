package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/attain-crm/attain"
	"github.com/attain-crm/attain/service"
)

func cmdImport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("import", "[flags] FILE.csv|-", `Import a CSV file of accounts, contacts, leads, deals, products or activities.
Columns are mapped from the header (the export names of the common CRMs are
known); override with --map "Column=field" (field "" ignores a column). Every
rejected row is reported with its line, column and reason. By default one bad
row imports nothing (--mode all_or_nothing); --mode skip_bad_rows imports the
good rows. --dry-run checks everything and writes nothing.`, e)
	db := addDBFlags(fs, e)
	wsSlug := stringFlag(fs, e, "workspace", "ATTAIN_WORKSPACE", "", "workspace slug; default: the first workspace")
	as := fs.String("as", "", "email of the member importing (records are theirs, as their role allows); default: the first admin")
	kind := fs.String("kind", "", "what the file holds: "+strings.Join(attain.ImportKinds, ", "))
	var maps multiFlag
	fs.Var(&maps, "map", `map a column to a field, "Column=field" (repeatable)`)
	mode := fs.String("mode", attain.ImportAllOrNothing, "all_or_nothing or skip_bad_rows")
	dry := fs.Bool("dry-run", false, "report what would happen without writing")
	matchBy := fs.String("match-by", "", "update existing records with the same key: external_id, email, domain, name, sku")
	dateFmt := fs.String("date-format", "", "date format: "+strings.Join(attain.DateFormats, ", ")+" (default: ISO or guessed)")
	decimal := fs.String("decimal", "", `decimal separator "." or "," (default: guessed per value)`)
	currency := fs.String("currency", "", "currency of amounts that name none (default: the workspace's)")
	delim := fs.String("delimiter", "", `column separator (default: detected); "tab" for tabs`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *kind == "" {
		fs.Usage()
		return usageError{"import: give --kind and one file (- for standard input)"}
	}
	opts := attain.ImportOptions{Mode: *mode, MatchBy: *matchBy, DateFormat: *dateFmt, Decimal: *decimal, Currency: *currency, Delimiter: *delim}
	if opts.Delimiter == "tab" {
		opts.Delimiter = "\t"
	}
	if len(maps) > 0 {
		opts.Mapping = map[string]string{}
		for _, m := range maps {
			col, field, ok := strings.Cut(m, "=")
			if !ok {
				return usageError{fmt.Sprintf("import: --map %q: want Column=field", m)}
			}
			opts.Mapping[strings.TrimSpace(col)] = strings.TrimSpace(field)
		}
	}
	var in io.Reader = e.stdin
	name := fs.Arg(0)
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
		name = filepath.Base(name)
	}
	svc, st, _, err := db.open(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	a, err := cliMember(ctx, svc, *wsSlug, *as)
	if err != nil {
		return err
	}
	p, err := svc.CreateImport(ctx, a, *kind, name, in, opts)
	if err != nil {
		return err
	}
	for _, col := range p.Import.Header {
		if f := p.Mapping[col]; f != "" {
			fmt.Fprintf(e.stderr, "  %-30s → %s\n", col, f)
		} else {
			fmt.Fprintf(e.stderr, "  %-30s (not imported)\n", col)
		}
	}
	done := make(chan struct{})
	go func() { // progress for long files
		t := time.NewTicker(2 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if x, err := svc.FindImport(ctx, a, p.Import.ID); err == nil && x.SizeBytes > 0 {
					fmt.Fprintf(e.stderr, "  %d rows, %d%%\n", x.RowsDone, 100*x.BytesDone/x.SizeBytes)
				}
			}
		}
	}()
	imp, err := svc.RunImportNow(ctx, a, p.Import.ID, *dry)
	close(done)
	if err != nil {
		return err
	}
	return reportImport(ctx, e, svc, a, imp)
}

func reportImport(ctx context.Context, e *env, svc *service.Service, a *attain.Actor, imp *attain.Import) error {
	verb := "Imported"
	if imp.DryRun {
		verb = "Dry run (nothing written): would import"
	}
	if imp.Status == attain.ImportFailed {
		return fmt.Errorf("import %d failed: %s", imp.ID, imp.Error)
	}
	if !imp.DryRun && imp.Rejected > 0 && imp.Options.Mode != attain.ImportSkipBadRows {
		fmt.Fprintf(e.stdout, "Nothing imported: %d of %d rows were rejected (all or nothing).\n", imp.Rejected, imp.RowsDone)
	} else {
		fmt.Fprintf(e.stdout, "%s %d rows: %d created, %d updated, %d rejected (import %d).\n",
			verb, imp.RowsDone, imp.Created, imp.Updated, imp.Rejected, imp.ID)
	}
	p := attain.Page{Limit: attain.MaxPageSize}
	for {
		rs, next, err := svc.FindImportRejections(ctx, a, imp.ID, p)
		if err != nil {
			return err
		}
		for _, r := range rs {
			col := ""
			if r.Column != "" {
				col = fmt.Sprintf(" column %q", r.Column)
			}
			fmt.Fprintf(e.stdout, "  line %d%s: %s\n", r.Line, col, r.Reason)
		}
		if next == "" {
			break
		}
		p.Cursor = next
	}
	if imp.Rejected > 0 && !imp.DryRun && imp.Options.Mode != attain.ImportSkipBadRows {
		return fmt.Errorf("import %d: nothing imported; fix the rows above or use --mode skip_bad_rows", imp.ID)
	}
	return nil
}

// cliMember is the member a command acts as: the one named by email, or
// the workspace's first admin.
func cliMember(ctx context.Context, svc *service.Service, slug, email string) (*attain.Actor, error) {
	sys, err := cliActor(ctx, svc, slug)
	if err != nil {
		return nil, err
	}
	var u *attain.User
	if email != "" {
		if u, err = userByEmail(ctx, svc, sys, email); err != nil {
			return nil, err
		}
	} else {
		us, err := svc.FindUsers(ctx, sys)
		if err != nil {
			return nil, err
		}
		for _, x := range us {
			if x.Role == attain.RoleAdmin {
				u = x
				break
			}
		}
		if u == nil {
			return nil, fmt.Errorf("the workspace has no admin; name a member with --as")
		}
	}
	return svc.ActorFor(ctx, sys.WorkspaceID, u.ID)
}
