package api

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"
)

type oaEnum string

func (oaEnum) Enum() []string { return []string{"a", "b"} }

// oaDate encodes itself, so it describes itself.
type oaDate struct{ y, m, d int }

func (oaDate) MarshalJSON() ([]byte, error) { return []byte(`"2026-01-02"`), nil }
func (oaDate) JSONSchema() map[string]any {
	return map[string]any{"type": "string", "format": "date"}
}

// oaNullDate is written as a date or null, like attain.Date.
type oaNullDate struct{}

func (oaNullDate) MarshalJSON() ([]byte, error) { return []byte(`null`), nil }
func (oaNullDate) JSONSchema() map[string]any {
	return map[string]any{"type": []string{"string", "null"}, "format": "date"}
}

type oaText struct{ v string }

func (oaText) MarshalText() ([]byte, error) { return []byte("x"), nil }

// oaNullable is a wrapper that encodes as its value.
type oaNullable[T any] struct{ v *T }

func (n oaNullable[T]) MarshalJSON() ([]byte, error) { return json.Marshal(n.v) }
func (oaNullable[T]) JSONSchemaAlias() any           { return (*T)(nil) }

// oaOpaque encodes itself and does not say how.
type oaOpaque struct{}

func (*oaOpaque) MarshalJSON() ([]byte, error) { return []byte(`1`), nil }

type oaInner struct {
	X int `json:"x"`
}

type oaBase struct {
	ID     int64  `json:"id"`
	Shadow string `json:"shadow"`
}

type oaOptional struct {
	Extra string `json:"extra"`
}

type oaWrap[T any] struct {
	Items []T `json:"items"`
}

type oaAll struct {
	oaBase
	*oaOptional
	Shadow   string              `json:"shadow"` // hides oaBase.Shadow
	Name     string              `json:"name"`
	Note     string              `json:"note,omitempty"`
	Ptr      *int64              `json:"ptr"`
	When     time.Time           `json:"when,omitempty"` // omitempty never omits a struct
	WhenPtr  *time.Time          `json:"when_ptr,omitzero"`
	Raw      json.RawMessage     `json:"raw"`
	Tags     []string            `json:"tags"`
	Bytes    []byte              `json:"bytes"`
	Counts   map[string]int      `json:"counts"`
	Inner    oaInner             `json:"inner"`
	InnerPtr *oaInner            `json:"inner_ptr"`
	Anon     struct{ A bool }    `json:"anon"`
	Enum     oaEnum              `json:"enum"`
	EnumPtr  *oaEnum             `json:"enum_ptr"`
	Quoted   int64               `json:"quoted,string"`
	Any      any                 `json:"any"`
	Date     oaDate              `json:"date"`
	Text     oaText              `json:"text"`
	Ratio    float64             `json:"ratio"`
	Small    int32               `json:"small"`
	Count    uint                `json:"count"`
	Wrapped  oaWrap[oaInner]     `json:"wrapped"`
	Nested   map[string][]bool   `json:"nested"`
	Maybe    oaNullable[oaInner] `json:"maybe,omitzero"`
	Opaque   oaOpaque            `json:"opaque"`
	DatePtr  *oaDate             `json:"date_ptr"`
	NullDate *oaNullDate         `json:"null_date"`
	Untagged string
	Skip     string `json:"-"`
	Self     *oaAll `json:"self"`
	private  int
}

// TestSchemaOf checks the schema reflected from each kind of field against
// what encoding/json writes for it.
func TestSchemaOf(t *testing.T) {
	t.Parallel()
	g := newSchemaGen()
	root := g.schemaOf(reflect.TypeFor[oaAll](), map[string]bool{})
	if got := jsonString(t, root); got != `{"$ref":"#/components/schemas/OaAll"}` {
		t.Fatalf("root = %s", got)
	}
	var comps map[string]map[string]any
	if err := json.Unmarshal([]byte(jsonString(t, g.components())), &comps); err != nil {
		t.Fatal(err)
	}
	all := comps["OaAll"]
	props := all["properties"].(map[string]any)

	tests := []struct{ field, want string }{
		{"id", `{"type":"integer","format":"int64"}`},
		{"shadow", `{"type":"string"}`},
		{"extra", `{"type":"string"}`},
		{"name", `{"type":"string"}`},
		{"note", `{"type":"string"}`},
		{"ptr", `{"type":["integer","null"],"format":"int64"}`},
		{"when", `{"type":"string","format":"date-time"}`},
		{"when_ptr", `{"type":["string","null"],"format":"date-time"}`},
		{"raw", `{"description":"Any JSON value."}`},
		{"tags", `{"type":"array","items":{"type":"string"}}`},
		{"bytes", `{"type":"string","contentEncoding":"base64"}`},
		{"counts", `{"type":"object","additionalProperties":{"type":"integer","format":"int64"}}`},
		{"inner", `{"$ref":"#/components/schemas/OaInner"}`},
		{"inner_ptr", `{"oneOf":[{"$ref":"#/components/schemas/OaInner"},{"type":"null"}]}`},
		{"anon", `{"type":"object","properties":{"A":{"type":"boolean"}},"required":["A"]}`},
		{"enum", `{"$ref":"#/components/schemas/OaEnum"}`},
		{"enum_ptr", `{"oneOf":[{"$ref":"#/components/schemas/OaEnum"},{"type":"null"}]}`},
		{"quoted", `{"type":"string"}`},
		{"any", `{"description":"Any JSON value."}`},
		{"date", `{"$ref":"#/components/schemas/OaDate"}`},
		{"text", `{"type":"string"}`},
		{"ratio", `{"type":"number","format":"double"}`},
		{"small", `{"type":"integer","format":"int32"}`},
		{"count", `{"type":"integer","minimum":0}`},
		{"wrapped", `{"$ref":"#/components/schemas/OaInnerOaWrap"}`},
		{"nested", `{"type":"object","additionalProperties":{"type":"array","items":{"type":"boolean"}}}`},
		{"Untagged", `{"type":"string"}`},
		{"maybe", `{"oneOf":[{"$ref":"#/components/schemas/OaInner"},{"type":"null"}]}`},
		{"opaque", `{"description":"Any JSON value."}`},
		{"date_ptr", `{"oneOf":[{"$ref":"#/components/schemas/OaDate"},{"type":"null"}]}`},
		{"null_date", `{"$ref":"#/components/schemas/OaNullDate"}`},
		{"self", `{"oneOf":[{"$ref":"#/components/schemas/OaAll"},{"type":"null"}]}`},
	}
	for _, tt := range tests {
		got, ok := props[tt.field]
		if !ok {
			t.Errorf("%s: missing", tt.field)
			continue
		}
		if !sameJSON(t, got, tt.want) {
			t.Errorf("%s:\n got %s\nwant %s", tt.field, jsonString(t, got), tt.want)
		}
	}
	if len(props) != len(tests) {
		t.Errorf("%d properties, want %d: %v", len(props), len(tests), keysOf(props))
	}
	wantRequired := `["id","shadow","name","ptr","when","raw","tags","bytes","counts","inner","inner_ptr","anon","enum","enum_ptr","quoted","any","date","text","ratio","small","count","wrapped","nested","opaque","date_ptr","null_date","Untagged","self"]`
	if got := jsonString(t, all["required"]); got != wantRequired {
		t.Errorf("required:\n got %s\nwant %s", got, wantRequired)
	}
	if !g.opaque[reflect.TypeFor[oaOpaque]()] || len(g.opaque) != 1 {
		t.Errorf("opaque types = %v, want only oaOpaque", g.opaque)
	}
	for name, want := range map[string]string{
		"OaEnum":  `{"type":"string","enum":["a","b"]}`,
		"OaDate":  `{"format":"date","type":"string"}`,
		"OaInner": `{"type":"object","properties":{"x":{"type":"integer","format":"int64"}},"required":["x"]}`,
	} {
		if !sameJSON(t, comps[name], want) {
			t.Errorf("component %s:\n got %s\nwant %s", name, jsonString(t, comps[name]), want)
		}
	}
}

// TestCloseRequest checks that request bodies, and the types nested in
// them, refuse unknown fields, while response-only types stay open.
func TestCloseRequest(t *testing.T) {
	t.Parallel()
	type req struct {
		Inner oaInner           `json:"inner"`
		Anon  struct{ A int }   `json:"anon"`
		List  []oaBase          `json:"list"`
		Map   map[string]string `json:"map"`
	}
	g := newSchemaGen()
	g.schemaOf(reflect.TypeFor[oaOptional](), map[string]bool{}) // response only
	deps := map[string]bool{}
	s := g.schemaOf(reflect.TypeFor[req](), deps)
	g.closeRequest(s, deps)
	got := jsonString(t, g.components())
	want := `{"OaBase":{"type":"object","properties":{"id":{"type":"integer","format":"int64"},"shadow":{"type":"string"}},"required":["id","shadow"],"additionalProperties":false},` +
		`"OaInner":{"type":"object","properties":{"x":{"type":"integer","format":"int64"}},"required":["x"],"additionalProperties":false},` +
		`"OaOptional":{"type":"object","properties":{"extra":{"type":"string"}},"required":["extra"]},` +
		`"Req":{"type":"object","properties":{"inner":{"$ref":"#/components/schemas/OaInner"},"anon":{"type":"object","properties":{"A":{"type":"integer","format":"int64"}},"required":["A"],"additionalProperties":false},"list":{"type":"array","items":{"$ref":"#/components/schemas/OaBase"}},"map":{"type":"object","additionalProperties":{"type":"string"}}},"required":["inner","anon","list","map"],"additionalProperties":false}}`
	if got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

func TestTypeName(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"User", "User"},
		{"loginRequest", "LoginRequest"},
		{"List[github.com/attain-crm/attain.User]", "UserList"},
		{"List[*github.com/attain-crm/attain.APIToken]", "APITokenList"},
		{"List[[]github.com/attain-crm/attain.User]", "UserArrayList"},
		{"Page[map[string]github.com/x/y.Deal]", "StringDealMapPage"},
		{"Pair[a.B,github.com/c.D]", "BDPair"},
		{"List[github.com/x/api.Wrap[github.com/y.Z]]", "ZWrapList"},
		{"List[int64]", "Int64List"},
	}
	for _, tt := range tests {
		if got := typeName(tt.in); got != tt.want {
			t.Errorf("typeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSchemaNameClash checks that two types with one name get two schemas,
// the second qualified by its package.
func TestSchemaNameClash(t *testing.T) {
	t.Parallel()
	first := func() reflect.Type {
		type Thing struct {
			A int `json:"a"`
		}
		return reflect.TypeFor[Thing]()
	}()
	second := func() reflect.Type {
		type Thing struct {
			B int `json:"b"`
		}
		return reflect.TypeFor[Thing]()
	}()
	g := newSchemaGen()
	a := jsonString(t, g.schemaOf(first, map[string]bool{}))
	b := jsonString(t, g.schemaOf(second, map[string]bool{}))
	again := jsonString(t, g.schemaOf(first, map[string]bool{}))
	if a != `{"$ref":"#/components/schemas/Thing"}` || b != `{"$ref":"#/components/schemas/ApiThing"}` || again != a {
		t.Errorf("got %s, %s, %s", a, b, again)
	}
}

func TestOperationID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, path string
		paginated    bool
		want         string
	}{
		{"GET", "/healthz", false, "getHealthz"},
		{"GET", "/api/v1/openapi.json", false, "getOpenapiJson"},
		{"POST", "/api/v1/session", false, "createSession"},
		{"GET", "/api/v1/users", true, "listUsers"},
		{"POST", "/api/v1/users", false, "createUser"},
		{"GET", "/api/v1/users/{id}", false, "getUser"},
		{"PATCH", "/api/v1/users/{id}", false, "updateUser"},
		{"PUT", "/api/v1/users/{id}/password", false, "replaceUserPassword"},
		{"DELETE", "/api/v1/teams/{id}", false, "deleteTeam"},
		{"GET", "/api/v1/opportunities/{id}/line-items", true, "listOpportunityLineItems"},
		{"GET", "/api/v1/audit", true, "listAudit"},
		{"POST", "/api/v1/deals/{id}/move", false, "moveDeal"},
		{"POST", "/api/v1/leads/{id}/convert", false, "convertLead"},
		{"POST", "/api/v1/deals/{id}/notes", false, "createDealNote"},
		{"POST", "/api/v1/deals/{id}/line-items", false, "createDealLineItem"},
	}
	for _, tt := range tests {
		rt := route{Method: tt.method, Path: tt.path}
		if got := operationID(rt, tt.paginated); got != tt.want {
			t.Errorf("%s %s: %q, want %q", tt.method, tt.path, got, tt.want)
		}
	}
}

// TestOpenAPIDuplicateOperationID checks that a clash is an error, not a
// document a client generator would choke on.
func TestOpenAPIDuplicateOperationID(t *testing.T) {
	t.Parallel()
	h := func(http.ResponseWriter, *http.Request) error { return nil }
	_, err := openAPI([]route{
		{Method: "GET", Path: "/api/v1/user/{id}", Handle: h, Tag: "people", Summary: "a"},
		{Method: "GET", Path: "/api/v1/users/{id}", Handle: h, Tag: "people", Summary: "b"},
	})
	if err == nil {
		t.Fatal("no error for two routes named getUser")
	}
}

func jsonString(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sameJSON reports whether v encodes to the same JSON value as want,
// ignoring key order.
func sameJSON(t *testing.T, v any, want string) bool {
	t.Helper()
	var a, b any
	if err := json.Unmarshal([]byte(jsonString(t, v)), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &b); err != nil {
		t.Fatalf("want %s: %v", want, err)
	}
	return reflect.DeepEqual(a, b)
}

func keysOf[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
