package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/attain-crm/attain/api"
)

// TestOpenAPICommand checks that `attain openapi` prints the document
// without any database configured, as make lint-openapi relies on.
func TestOpenAPICommand(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string {
		if k == "ATTAIN_DATA_DIR" {
			return dir // a database would be created here
		}
		return ""
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"openapi"}, getenv, strings.NewReader(""), &stdout, &stderr); err != nil {
		t.Fatalf("attain openapi: %v\n%s", err, stderr.String())
	}
	want, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stdout.Bytes(), want) {
		t.Error("attain openapi printed something other than api.OpenAPI()")
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("attain openapi wrote to the data directory: %v", entries)
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil || doc.OpenAPI != "3.1.0" {
		t.Errorf("not an OpenAPI 3.1 document: %v %q", err, doc.OpenAPI)
	}
	if err := run(context.Background(), []string{"openapi", "extra"}, getenv, strings.NewReader(""), &stdout, &stderr); exitCode(err) != 2 {
		t.Errorf("openapi extra: err %v, want a usage error", err)
	}
}
