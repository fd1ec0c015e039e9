package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/attain-crm/attain"
)

// The OpenAPI document is built from the route table and the Go types named
// in it, never written by hand, so it cannot drift from the handlers. The
// schemas come from reflection (schema.go); this file turns routes into
// operations and adds the conventions every route shares.

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	doc, err := openAPI(s.routes)
	if err != nil {
		return fmt.Errorf("openapi: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(doc)
	return err
}

// OpenAPI returns the API's OpenAPI 3.1 document as indented JSON. It is a
// function of the route table alone and touches no database, so the CLI can
// print it offline.
func OpenAPI() ([]byte, error) {
	return openAPI((&Server{}).routeTable())
}

// license is the licence the document declares: the repository's LICENSE,
// by its SPDX identifier.
var license = newObj("name", "Apache 2.0", "identifier", "Apache-2.0")

// tagDocs describes each tag of the route table. A route with a tag missing
// here fails TestOpenAPI, so every group in the docs says what it is for.
var tagDocs = map[string]string{
	"operations":    "Health checks and this document, for load balancers, monitoring and client generators.",
	"auth":          "Signing in and out, and the personal API tokens that scripts and integrations use instead of a session.",
	"people":        "The members of a workspace, their roles, and the teams that decide what each manager sees.",
	"audit":         "The append-only record of every write: who changed what, from which request, with the record before and after.",
	"sales-process": "The sales process as configuration: picklists (the known values of a field), pipelines and their stages with probabilities, forecast categories and exit criteria, and every version of them.",
	"products":      "The products deals are made of, with list price and unit cost, from which deal amounts and margins are computed.",
	"deals":         "Deals: creating them with sensible defaults, moving them through the stages of their pipeline under the stages' exit criteria, their line items and their history.",
	"accounts":      "Accounts: the companies you sell to, their hierarchy, history, and the account map of who decides.",
	"contacts":      "Contacts: the people at accounts, and their buying role on each account and deal (decision maker, champion, blocker, ...).",
	"leads":         "Leads: people and companies not yet qualified, and their conversion into an account, a contact and a deal.",
	"activities":    "Key activities (calls, meetings, demos, ...) logged on deals, contacts, accounts and leads, tasks planned with a due date, notes on any record, and each record's timeline.",
	"custom-fields": "Custom fields on accounts, contacts, leads and deals: each with a purpose saying why it exists and who uses it, values checked by type on every write, and how often each is filled.",
	"search":        "Finding things: one search box across accounts, contacts, leads and deals, by name, email or domain, as you type, showing only what you may see.",
	"lists":         "Working with the record lists: saved views (filters, sort and columns, per member or shared with the workspace) and bulk edits that change many records at once, each under the rules of a single edit.",
	"import-export": "Getting data in and out: CSV imports that understand other CRMs' exports (upload, review the guessed mapping, dry run, run, read the rejected rows) and exports of any list as CSV or JSON with the list's filters.",
	"planning":      "Planning the number and owning the forecast: the fiscal calendar, targets per period (top-down splits, bottom-up proposals and approvals, ramps), forecast submissions and roll-ups up the team hierarchy, weekly snapshots and forecast accuracy.",
	"analytics":     "Measuring: KPIs for a rep, a team or the company (defined in docs/KPIS.md), the system forecast with its P10/P50/P90 range, the funnel planner, and the rep, team and company dashboards, computed from an in-memory model kept current across processes.",
}

// Security requirement names, used in components.securitySchemes.
const (
	secBearer = "bearerToken"
	secCookie = "sessionCookie"
)

func apiDescription() string {
	return fmt.Sprintf(`Attain is an open-source CRM and sales performance system. This API is the one the web app and the CLI use; everything they can do, a script can do.

## Conventions

- **Authentication.** Send a personal API token as `+"`Authorization: Bearer atn_...`"+` (create one with `+"`POST /api/v1/tokens`"+` or `+"`attain tokens create`"+`), or use the `+"`%s`"+` cookie that `+"`POST /api/v1/session`"+` sets. Writes authenticated by the cookie must come from Attain's own pages; cross-site requests get 403.
- **Errors** are RFC 9457 `+"`application/problem+json`"+` bodies (the `+"`Problem`"+` schema): `+"`type`"+` is a stable URI naming the kind of error, `+"`title`"+` a message safe to show to the user, `+"`errors`"+` names each invalid field, and `+"`request_id`"+` matches the `+"`X-Request-Id`"+` response header and the server's logs.
- **Pagination.** Lists answer `+"`{\"items\": [...], \"next_cursor\": \"...\"}`"+`. Pass `+"`next_cursor`"+` back as `+"`cursor`"+` to get the next page; no `+"`next_cursor`"+` means this was the last page. Cursors are opaque. `+"`limit`"+` sets the page size, 1 to %d (default %d). Lists filter with `+"`field=value`"+` or `+"`field[op]=value`"+` (op one of eq, ne, lt, lte, gt, gte, in, prefix, null) on the fields each list names, and sort with `+"`sort=field`"+` or `+"`sort=-field`"+`.
- **Concurrency.** Versioned records come with an `+"`ETag`"+`. Send it back as `+"`If-Match`"+` when you update or delete; if someone changed the record since you read it, the answer is 412 and nothing is written. Without `+"`If-Match`"+` the write applies to whatever version is current.
- **Retries.** Creates accept an `+"`Idempotency-Key`"+` header (at most 255 characters): repeating a request with the same key and body returns the first response again, marked `+"`Idempotent-Replayed: true`"+`, instead of creating twice. Reusing a key with another body is refused with 422.
- **Bodies** are JSON objects of at most %d MiB with snake_case fields. Unknown fields are refused, so a typo is an error rather than silently ignored. Timestamps are RFC 3339; ids are positive integers.

docs/API.md in the repository explains these conventions with examples.`,
		SessionCookie, attain.MaxPageSize, attain.DefaultPageSize, MaxBodyBytes>>20)
}

// openAPI builds the document for routes.
func openAPI(routes []route) ([]byte, error) {
	b := &docBuilder{schemas: newSchemaGen(), used: map[string]bool{}, opIDs: map[string]string{}}
	// Every error shares one schema, reflected from the type writeError sends.
	b.schemas.schemaOf(reflect.TypeFor[problem](), map[string]bool{})

	paths := newObj()
	var tags []any
	seenTag := map[string]bool{}
	for _, rt := range routes {
		if rt.Tag != "" && !seenTag[rt.Tag] {
			seenTag[rt.Tag] = true
			desc, ok := tagDocs[rt.Tag]
			if !ok {
				desc = "Endpoints about " + rt.Tag + "."
			}
			tags = append(tags, newObj("name", rt.Tag, "description", desc))
		}
		path, params := openAPIPath(rt.Path)
		item, _ := paths.get(path).(*obj)
		if item == nil {
			item = newObj()
			if len(params) > 0 {
				item.set("parameters", params)
			}
			paths.set(path, item)
		}
		method := strings.ToLower(rt.Method)
		if item.get(method) != nil {
			return nil, fmt.Errorf("route %s %s is listed twice", rt.Method, rt.Path)
		}
		op, err := b.operation(rt, len(params) > 0)
		if err != nil {
			return nil, err
		}
		item.set(method, op)
	}
	b.schemas.annotate("Problem", "An RFC 9457 problem details body: what went wrong, safe to show to the user.", problemDocs)

	doc := newObj(
		"openapi", "3.1.0",
		"info", newObj(
			"title", "Attain API",
			"version", "1.0",
			"summary", "The REST API of Attain, an open-source CRM and sales performance system.",
			"description", apiDescription(),
			"license", license,
		),
		"servers", []any{newObj("url", "/", "description", "The Attain server this document was fetched from.")},
		"tags", tags,
		"paths", paths,
		"components", b.components(),
	)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode openapi: %w", err)
	}
	return buf.Bytes(), nil
}

// problemDocs describes the Problem schema's fields.
var problemDocs = map[string]*obj{
	"type":       newObj("description", "A URI naming the kind of error, stable across releases; branch on this, not on title.", "format", "uri"),
	"title":      newObj("description", "What went wrong, in words safe to show to the user."),
	"status":     newObj("description", "The HTTP status code, repeated for convenience."),
	"detail":     newObj("description", "More about this occurrence, when there is more to say."),
	"instance":   newObj("description", "The path of the request that failed.", "format", "uri-reference"),
	"request_id": newObj("description", "The request's id, also in the X-Request-Id header and the server's logs; quote it when reporting a problem."),
	"errors":     newObj("description", "For invalid input: each field at fault and why. Header fields are named as headers (If-Match, Idempotency-Key)."),
}

// docBuilder accumulates what operations share: the schemas, the components
// they refer to, and the operationIds handed out so far.
type docBuilder struct {
	schemas *schemaGen
	used    map[string]bool   // "responses/NotFound", "parameters/Limit", ...
	opIDs   map[string]string // operationId → the route that has it
}

func (b *docBuilder) ref(kind, name string) *obj {
	b.used[kind+"/"+name] = true
	return newObj("$ref", "#/components/"+kind+"/"+name)
}

// operation describes one route.
func (b *docBuilder) operation(rt route, hasPathParams bool) (*obj, error) {
	var resp reflect.Type
	if rt.Response != nil {
		resp = deref(reflect.TypeOf(rt.Response))
	}
	paginated := resp != nil && isPage(resp)
	write := rt.Method != http.MethodGet && rt.Method != http.MethodHead

	id := rt.OperationID
	if id == "" {
		id = operationID(rt, paginated)
	}
	if prev, ok := b.opIDs[id]; ok {
		return nil, fmt.Errorf("routes %s and %s %s both get operationId %q; rename a path segment", prev, rt.Method, rt.Path, id)
	}
	b.opIDs[id] = rt.Method + " " + rt.Path

	op := newObj("tags", []any{rt.Tag}, "summary", rt.Summary, "operationId", id)
	if rt.Public {
		op.set("security", []any{})
	} else {
		op.set("security", []any{newObj(secBearer, []any{}), newObj(secCookie, []any{})})
	}

	var params []any
	query := slices.Clone(rt.Query)
	if paginated {
		for _, q := range []string{"limit", "cursor"} {
			if !slices.Contains(query, q) {
				query = append(query, q)
			}
		}
	}
	for _, q := range query {
		params = append(params, b.queryParam(q))
	}
	if rt.Versioned && write {
		params = append(params, b.ref("parameters", "IfMatch"))
	}
	if rt.Idempotent {
		params = append(params, b.ref("parameters", "IdempotencyKey"))
	}
	if len(params) > 0 {
		op.set("parameters", params)
	}

	if rt.Request != nil {
		deps := map[string]bool{}
		s := b.schemas.schemaOf(deref(reflect.TypeOf(rt.Request)), deps)
		// The API decodes strictly, so request bodies are closed objects.
		b.schemas.closeRequest(s, deps)
		op.set("requestBody", newObj(
			"required", true,
			"content", newObj("application/json", newObj("schema", s)),
		))
	}

	status := rt.Status
	if status == 0 {
		status = http.StatusOK
	}
	success := newObj("description", http.StatusText(status)+".")
	headers := newObj()
	if rt.Versioned && status != http.StatusNoContent {
		headers.set("ETag", b.ref("headers", "ETag"))
	}
	if rt.Idempotent {
		headers.set("Idempotent-Replayed", b.ref("headers", "IdempotentReplayed"))
	}
	if len(headers.keys) > 0 {
		success.set("headers", headers)
	}
	if resp != nil && status != http.StatusNoContent {
		s := b.schemas.schemaOf(resp, map[string]bool{})
		success.set("content", newObj("application/json", newObj("schema", s)))
	}
	responses := newObj(fmt.Sprint(status), success)

	// Each error a route can answer with, in status order.
	if rt.Request != nil {
		responses.set("400", b.ref("responses", "BadRequest"))
	}
	if !rt.Public {
		responses.set("401", b.ref("responses", "Unauthorized"))
	}
	if !rt.Public || write {
		// Role and visibility rules, and the cross-site check on cookie writes.
		responses.set("403", b.ref("responses", "Forbidden"))
	}
	if hasPathParams {
		responses.set("404", b.ref("responses", "NotFound"))
	}
	if rt.Versioned && write {
		responses.set("412", b.ref("responses", "PreconditionFailed"))
	}
	if rt.Request != nil || len(query) > 0 || (rt.Versioned && write) || rt.Idempotent {
		responses.set("422", b.ref("responses", "UnprocessableEntity"))
	}
	if rt.RateLimited {
		responses.set("429", b.ref("responses", "TooManyRequests"))
	}
	responses.set("default", b.ref("responses", "Error"))
	op.set("responses", responses)
	return op, nil
}

// queryParam describes a query parameter by its name: the paging pair are
// shared components, *_id filters are ids, the rest are strings.
func (b *docBuilder) queryParam(name string) *obj {
	switch name {
	case "limit":
		return b.ref("parameters", "Limit")
	case "cursor":
		return b.ref("parameters", "Cursor")
	}
	schema := newObj("type", "string")
	if name == "id" || strings.HasSuffix(name, "_id") {
		schema = newObj("type", "integer", "format", "int64", "minimum", 1)
	}
	return newObj(
		"name", name,
		"in", "query",
		"description", "Only what has this "+strings.ReplaceAll(name, "_", " ")+".",
		"schema", schema,
	)
}

// components returns the components section: the schemas, and of the shared
// parameters, headers and responses only those some operation uses, so the
// linter finds nothing unused.
func (b *docBuilder) components() *obj {
	problem := newObj("application/problem+json", newObj("schema", newObj("$ref", "#/components/schemas/Problem")))
	errorResponse := func(desc string) *obj { return newObj("description", desc, "content", problem) }
	all := []struct {
		kind, name string
		v          *obj
	}{
		{"parameters", "Limit", newObj("name", "limit", "in", "query",
			"description", "The most items to return.",
			"schema", newObj("type", "integer", "minimum", 1, "maximum", attain.MaxPageSize, "default", attain.DefaultPageSize))},
		{"parameters", "Cursor", newObj("name", "cursor", "in", "query",
			"description", "Where to continue: the next_cursor of the previous page. Omit it for the first page.",
			"schema", newObj("type", "string"))},
		{"parameters", "IfMatch", newObj("name", "If-Match", "in", "header",
			"description", "The ETag of the version you read. If the record has changed since, nothing is written and the answer is 412.",
			"schema", newObj("type", "string"))},
		{"parameters", "IdempotencyKey", newObj("name", "Idempotency-Key", "in", "header",
			"description", "A key unique to this create, such as a UUID. Sending the same request with the same key again returns the first response instead of creating twice.",
			"schema", newObj("type", "string", "maxLength", 255))},
		{"headers", "ETag", newObj("description", "The record's version; send it back as If-Match to update or delete it.",
			"schema", newObj("type", "string"))},
		{"headers", "IdempotentReplayed", newObj("description", "true when this is the stored response to an earlier request with the same Idempotency-Key.",
			"schema", newObj("type", "string", "enum", []any{"true"}))},
		{"responses", "BadRequest", errorResponse("The body is not JSON, or not a JSON object of the expected shape.")},
		{"responses", "Unauthorized", newObj(
			"description", "No valid credentials: sign in, or send Authorization: Bearer <token>.",
			"headers", newObj("WWW-Authenticate", newObj("description", "The scheme to authenticate with.", "schema", newObj("type", "string"))),
			"content", problem)},
		{"responses", "Forbidden", errorResponse("Signed in, but your role or team may not do this; or a cookie-authenticated write came from another site.")},
		{"responses", "NotFound", errorResponse("There is no such record, or you may not see it.")},
		{"responses", "PreconditionFailed", errorResponse("If-Match names an older version: someone changed the record since you read it. Read it again and retry.")},
		{"responses", "UnprocessableEntity", errorResponse("The input breaks a rule; errors names each field at fault.")},
		{"responses", "TooManyRequests", errorResponse("Too many failed attempts; wait before trying again.")},
		{"responses", "Error", errorResponse("Any other error: 409 when the request clashes with existing state (a duplicate, a record in use), 413 when the body is too large, 415 when it is not JSON, 500 when the server failed (quote request_id when reporting it).")},
	}
	sections := map[string]*obj{}
	for _, c := range all {
		if !b.used[c.kind+"/"+c.name] {
			continue
		}
		if sections[c.kind] == nil {
			sections[c.kind] = newObj()
		}
		sections[c.kind].set(c.name, c.v)
	}
	comp := newObj("schemas", b.schemas.components())
	for _, kind := range []string{"parameters", "headers", "responses"} {
		if s := sections[kind]; s != nil {
			comp.set(kind, s)
		}
	}
	comp.set("securitySchemes", newObj(
		secBearer, newObj(
			"type", "http",
			"scheme", "bearer",
			"bearerFormat", "atn_...",
			"description", "A personal API token, sent as Authorization: Bearer atn_.... Create one with POST /api/v1/tokens or `attain tokens create`; it acts as you, with your role.",
		),
		secCookie, newObj(
			"type", "apiKey",
			"in", "cookie",
			"name", SessionCookie,
			"description", "The session cookie that POST /api/v1/session sets, for the web app. Writes must come from Attain's own pages.",
		),
	))
	return comp
}

// openAPIPath turns a ServeMux pattern path into an OpenAPI path and its
// path parameters. Parameters named id or *_id are positive integers, as
// pathID parses them; others are strings.
func openAPIPath(pattern string) (string, []any) {
	pattern = strings.TrimSuffix(pattern, "{$}")
	var params []any
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		if !isParam(s) {
			continue
		}
		name := strings.TrimSuffix(strings.Trim(s, "{}"), "...")
		segs[i] = "{" + name + "}"
		schema := newObj("type", "string")
		desc := "The " + strings.ReplaceAll(name, "_", " ") + "."
		if name == "id" || strings.HasSuffix(name, "_id") {
			schema = newObj("type", "integer", "format", "int64", "minimum", 1)
			desc = "The record's id."
			if name != "id" {
				desc = "The id of the " + strings.ReplaceAll(strings.TrimSuffix(name, "_id"), "_", " ") + "."
			}
		}
		params = append(params, newObj("name", name, "in", "path", "required", true, "description", desc, "schema", schema))
	}
	return strings.Join(segs, "/"), params
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

// isPage reports whether t is a paginated list: a struct with next_cursor.
func isPage(t reflect.Type) bool {
	if t.Kind() != reflect.Struct {
		return false
	}
	for _, f := range jsonFields(t) {
		if f.name == "next_cursor" {
			return true
		}
	}
	return false
}

// operationID derives a stable, readable id from the method and path, the
// way a client library would name the call: GET /api/v1/users → listUsers,
// GET /api/v1/users/{id} → getUser, PUT /api/v1/users/{id}/password →
// replaceUserPassword, and a POST to a singular word after an id is an
// action: POST /api/v1/deals/{id}/move → moveDeal.
func operationID(rt route, paginated bool) string {
	segs := strings.Split(strings.Trim(strings.TrimPrefix(rt.Path, "/api/v1"), "/"), "/")
	n := len(segs)
	action := ""
	if rt.Method == http.MethodPost && n >= 2 && !isParam(segs[n-1]) && isParam(segs[n-2]) &&
		(!strings.HasSuffix(segs[n-1], "s") || strings.HasSuffix(segs[n-1], "ss")) {
		action = camel(segs[n-1])
		action = strings.ToLower(action[:1]) + action[1:]
		segs = segs[:n-1]
	}
	var words []string
	for i, s := range segs {
		if isParam(s) || s == "" {
			continue
		}
		w := camel(s)
		last := i == len(segs)-1
		if (i+1 < len(segs) && isParam(segs[i+1])) || (last && rt.Method == http.MethodPost) {
			w = singular(w)
		}
		words = append(words, w)
	}
	verb := strings.ToLower(rt.Method)
	switch rt.Method {
	case http.MethodGet:
		if paginated {
			verb = "list"
		}
	case http.MethodPost:
		verb = "create"
		if action != "" {
			verb = action
		}
	case http.MethodPut:
		verb = "replace"
	case http.MethodPatch:
		verb = "update"
	}
	return verb + strings.Join(words, "")
}

// camel turns a path segment such as "line-items" or "openapi.json" into
// "LineItems" or "OpenapiJson".
func camel(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			if up {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			up = false
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
			up = false
		default:
			up = true
		}
	}
	return b.String()
}

// singular is good enough for English resource names; operationIds are
// checked for uniqueness, so a poor guess fails the tests, not clients.
func singular(w string) string {
	switch {
	case strings.HasSuffix(w, "ies"):
		return strings.TrimSuffix(w, "ies") + "y"
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "uses"):
		return strings.TrimSuffix(w, "es")
	case strings.HasSuffix(w, "s"):
		return strings.TrimSuffix(w, "s")
	}
	return w
}
