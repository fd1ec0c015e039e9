package main

import (
	"context"

	"github.com/attain-crm/attain/api"
)

// cmdOpenAPI prints the API's OpenAPI document. It is built from the route
// table alone, so it needs no database and works offline (make lint-openapi).
func cmdOpenAPI(_ context.Context, e *env, args []string) error {
	fs := newFlagSet("openapi", "", "Print the API's OpenAPI 3.1 document (JSON) to stdout.", e)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{"openapi takes no arguments"}
	}
	doc, err := api.OpenAPI()
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(doc)
	return err
}
