package api

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/attain-crm/attain/service"
	"github.com/attain-crm/attain/store/storetest"
)

var updateGolden = flag.Bool("update", false, "rewrite golden files under testdata with the current output")

const openAPIGolden = "testdata/openapi.golden.json"

// TestOpenAPI fetches the document the way a client does and checks that it
// covers the route table, that every reference in it resolves, and that it
// matches the committed golden file, so a change to the API shows up as a
// diff in review. Run with -update to accept a change.
func TestOpenAPI(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, "sqlite")
	svc := service.New(db, slog.New(slog.DiscardHandler), service.FastHasher())
	srv, err := NewServer(Config{Service: svc, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)

	res, err := http.Get(ts.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET openapi.json: %d %s\n%s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}

	// `attain openapi` prints the same bytes without a server or database.
	offline, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(offline, body) {
		t.Error("OpenAPI() differs from the document the server serves")
	}

	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("document is not JSON: %v", err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v, want 3.1.0", doc["openapi"])
	}

	t.Run("routes", func(t *testing.T) { checkOpenAPIRoutes(t, doc, srv.routes) })
	t.Run("types", func(t *testing.T) { checkOpenAPITypes(t, srv.routes) })
	t.Run("refs", func(t *testing.T) { checkOpenAPIRefs(t, doc) })
	t.Run("golden", func(t *testing.T) { checkOpenAPIGolden(t, body) })
}

// checkOpenAPIRoutes checks that every route is documented with its method,
// summary, tag, security, body and statuses, and that nothing else is.
func checkOpenAPIRoutes(t *testing.T, doc map[string]any, routes []route) {
	paths := jsonObject(t, doc, "paths")
	documented := 0
	for _, item := range paths {
		for k := range item.(map[string]any) {
			if k != "parameters" {
				documented++
			}
		}
	}
	if documented != len(routes) {
		t.Errorf("document has %d operations, route table %d", documented, len(routes))
	}
	for _, rt := range routes {
		name := rt.Method + " " + rt.Path
		path, _ := openAPIPath(rt.Path)
		item, _ := paths[path].(map[string]any)
		op, _ := item[strings.ToLower(rt.Method)].(map[string]any)
		if op == nil {
			t.Errorf("%s is not in the document", name)
			continue
		}
		if op["summary"] != rt.Summary || op["operationId"] == "" {
			t.Errorf("%s: summary %q, operationId %q", name, op["summary"], op["operationId"])
		}
		if tags, _ := op["tags"].([]any); len(tags) != 1 || tags[0] != rt.Tag {
			t.Errorf("%s: tags %v, want [%s]", name, op["tags"], rt.Tag)
		}
		if _, ok := tagDocs[rt.Tag]; !ok {
			t.Errorf("%s: tag %q has no description; add it to tagDocs in api/openapi.go", name, rt.Tag)
		}
		security, _ := op["security"].([]any)
		if rt.Public != (len(security) == 0) {
			t.Errorf("%s: Public %v but security %v", name, rt.Public, op["security"])
		}
		if (rt.Request != nil) != (op["requestBody"] != nil) {
			t.Errorf("%s: Request %T but requestBody %v", name, rt.Request, op["requestBody"])
		}
		responses, _ := op["responses"].(map[string]any)
		status := rt.Status
		if status == 0 {
			status = http.StatusOK
		}
		success, _ := responses[strconv.Itoa(status)].(map[string]any)
		if success == nil {
			t.Errorf("%s: no %d response", name, status)
		} else if (rt.Response != nil && status != http.StatusNoContent) != (success["content"] != nil) {
			t.Errorf("%s: Response %T but content %v", name, rt.Response, success["content"])
		}
		// Every route that takes credentials or input can fail the
		// caller's way, and says how (the linter's operation-4xx-response
		// is off for the probes; this is the check that replaces it).
		if !rt.Public || rt.Request != nil || len(rt.Query) > 0 || strings.Contains(rt.Path, "{") {
			if !hasProblem4xx(doc, responses) {
				t.Errorf("%s: no 4xx problem+json response", name)
			}
		}
		var params []string
		for _, p := range append(asList(item["parameters"]), asList(op["parameters"])...) {
			p = resolveRef(doc, p)
			params = append(params, p.(map[string]any)["name"].(string))
		}
		for _, q := range rt.Query {
			if !slices.Contains(params, q) {
				t.Errorf("%s: query parameter %s not documented (have %v)", name, q, params)
			}
		}
		if rt.Idempotent && !slices.Contains(params, "Idempotency-Key") {
			t.Errorf("%s: Idempotent but no Idempotency-Key header", name)
		}
		if rt.Versioned && rt.Method != http.MethodGet && !slices.Contains(params, "If-Match") {
			t.Errorf("%s: Versioned but no If-Match header", name)
		}
	}
}

func asList(v any) []any { l, _ := v.([]any); return l }

func hasProblem4xx(doc map[string]any, responses map[string]any) bool {
	for code, r := range responses {
		if !strings.HasPrefix(code, "4") {
			continue
		}
		content, _ := resolveRef(doc, r).(map[string]any)["content"].(map[string]any)
		if content["application/problem+json"] != nil {
			return true
		}
	}
	return false
}

// resolveRef follows v's $ref, if it has one, within doc.
func resolveRef(doc map[string]any, v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	ref, ok := m["$ref"].(string)
	if !ok {
		return v
	}
	target, _ := jsonPointer(doc, ref)
	return target
}

// jsonPointer resolves a local reference such as #/components/schemas/User.
func jsonPointer(doc map[string]any, ref string) (any, bool) {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, false
	}
	var cur any = doc
	for _, tok := range strings.Split(rest, "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[tok]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// checkOpenAPITypes checks that reflection could describe every body type:
// a type with its own MarshalJSON must say what it writes, or it would be
// documented as "any value".
func checkOpenAPITypes(t *testing.T, routes []route) {
	g := newSchemaGen()
	for _, rt := range routes {
		for _, v := range []any{rt.Request, rt.Response} {
			if v != nil {
				g.schemaOf(reflect.TypeOf(v), map[string]bool{})
			}
		}
	}
	for typ := range g.opaque {
		t.Errorf("%s has its own MarshalJSON, so the API docs cannot see its shape: "+
			"give it a method JSONSchema() map[string]any, or JSONSchemaAlias() any for a wrapper (see api/openapi_schema.go)", typ)
	}
}

// checkOpenAPIRefs checks that every $ref in the document points at
// something in it.
func checkOpenAPIRefs(t *testing.T, doc map[string]any) {
	n := 0
	var walk func(where string, v any)
	walk = func(where string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				n++
				if _, ok := jsonPointer(doc, ref); !ok {
					t.Errorf("%s: $ref %s does not resolve", where, ref)
				}
			}
			for k, child := range v {
				walk(where+"/"+k, child)
			}
		case []any:
			for _, child := range v {
				walk(where+"[]", child)
			}
		}
	}
	walk("#", doc)
	if n == 0 {
		t.Error("no $ref in the document")
	}
}

func checkOpenAPIGolden(t *testing.T, got []byte) {
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(openAPIGolden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(openAPIGolden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(openAPIGolden)
	if err != nil {
		t.Fatalf("%v; run go test ./api -run TestOpenAPI -update to create it", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	line := 0
	for line < len(gl) && line < len(wl) && gl[line] == wl[line] {
		line++
	}
	t.Errorf("the API document changed (first difference at line %d of %s).\n"+
		"If the change is intended, run: go test ./api -run TestOpenAPI -update\n"+
		"and commit the golden file with it, so review shows the API change.\n got: %s\nwant: %s",
		line+1, openAPIGolden, lineAt(gl, line), lineAt(wl, line))
}

func lineAt(lines []string, i int) string {
	if i < len(lines) {
		l := strings.TrimSpace(lines[i])
		if len(l) > 200 {
			l = l[:200] + "..."
		}
		return l
	}
	return "(end of file)"
}

func jsonObject(t *testing.T, m map[string]any, key string) map[string]any {
	t.Helper()
	v, ok := m[key].(map[string]any)
	if !ok {
		t.Fatalf("%s is not an object", key)
	}
	return v
}
