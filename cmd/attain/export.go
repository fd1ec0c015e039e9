package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/attain-crm/attain"
)

func cmdExport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("export", "[flags]", `Export a list as CSV (columns named as "attain import" reads them) or JSON, with
the API's list syntax: --where "amount[gte]=100000" --where "owner_id=7" --sort -amount.
Only the records the member (--as) may see are written.`, e)
	db := addDBFlags(fs, e)
	wsSlug := stringFlag(fs, e, "workspace", "ATTAIN_WORKSPACE", "", "workspace slug; default: the first workspace")
	as := fs.String("as", "", "email of the member whose view to export; default: the first admin")
	kind := fs.String("kind", "", "what to export: "+strings.Join(attain.ImportKinds, ", "))
	format := fs.String("format", "csv", "csv or json")
	sort := fs.String("sort", "", "sort field, - for descending")
	out := fs.String("o", "-", "output file (- for standard output)")
	var where multiFlag
	fs.Var(&where, "where", `a filter as in the API, "field[op]=value" (repeatable)`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *kind == "" || fs.NArg() != 0 {
		fs.Usage()
		return usageError{"export: give --kind"}
	}
	vals, err := url.ParseQuery(strings.Join(where, "&"))
	if err != nil {
		return usageError{fmt.Sprintf("export: --where: %v", err)}
	}
	if *sort != "" {
		vals.Set("sort", *sort)
	}
	q, err := attain.ParseListQuery(vals)
	if err != nil {
		return err
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
	var w io.Writer = e.stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	n, err := svc.Export(ctx, a, *kind, *format, q, bw)
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "Exported %d %s.\n", n, *kind)
	return nil
}
