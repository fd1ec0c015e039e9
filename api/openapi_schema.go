package api

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"path"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// This file derives JSON Schemas (2020-12, as OpenAPI 3.1 uses) from Go types
// by reflection, following encoding/json's rules, so any plain Go type named
// in the route table is documented as the API actually encodes it. Named
// structs, enums and self-describing types become components/schemas; other
// types are inlined where they are used.

// enumer is implemented by named string types with a fixed set of values,
// such as attain.Role; their schema lists the values.
type enumer interface{ Enum() []string }

// schemaDescriber is implemented by types whose JSON encoding reflection
// cannot see (a custom MarshalJSON); JSONSchema returns their schema, such
// as {"type": "string", "format": "date"}.
type schemaDescriber interface{ JSONSchema() map[string]any }

// schemaAliaser is implemented by wrappers whose JSON is that of another
// type: JSONSchemaAlias returns a zero value of it, as
// Nullable[T] returns (*T)(nil). The name follows invopop/jsonschema.
type schemaAliaser interface{ JSONSchemaAlias() any }

var (
	timeType          = reflect.TypeFor[time.Time]()
	rawMessageType    = reflect.TypeFor[json.RawMessage]()
	enumerType        = reflect.TypeFor[enumer]()
	describerType     = reflect.TypeFor[schemaDescriber]()
	aliaserType       = reflect.TypeFor[schemaAliaser]()
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// schemaGen collects the component schemas reached from the route table.
type schemaGen struct {
	names map[reflect.Type]string
	comps map[string]*component
	// opaque lists the types with a custom MarshalJSON and no doc hook,
	// documented as any value; TestOpenAPI refuses them.
	opaque map[reflect.Type]bool
}

// component is one entry of components/schemas.
type component struct {
	typ    reflect.Type
	schema *obj
	deps   map[string]bool // components its schema refers to
}

func newSchemaGen() *schemaGen {
	return &schemaGen{names: map[reflect.Type]string{}, comps: map[string]*component{}, opaque: map[reflect.Type]bool{}}
}

// schemaOf returns the schema of t as encoding/json writes it: a $ref for
// component types, an inline schema for the rest. It adds the names of the
// components it refers to to deps.
func (g *schemaGen) schemaOf(t reflect.Type, deps map[string]bool) *obj {
	if t.Kind() == reflect.Pointer {
		return g.nullable(g.schemaOf(t.Elem(), deps))
	}
	switch {
	case t == timeType:
		return newObj("type", "string", "format", "date-time")
	case t == rawMessageType:
		return newObj("description", "Any JSON value.")
	case implements(t, aliaserType):
		if alias := reflect.TypeOf(hook[schemaAliaser](t).JSONSchemaAlias()); alias != nil && alias != t {
			return g.schemaOf(alias, deps)
		}
		return newObj("description", "Any JSON value.")
	case t.Name() != "" && (implements(t, describerType) || isEnum(t)):
		return g.ref(t, deps)
	case implements(t, jsonMarshalerType):
		g.opaque[t] = true
		return newObj("description", "Any JSON value.")
	case implements(t, textMarshalerType):
		return newObj("type", "string")
	case t.Name() != "" && t.Kind() == reflect.Struct:
		return g.ref(t, deps)
	}
	return g.inline(t, deps)
}

// ref returns a $ref to t's component and records it in deps.
func (g *schemaGen) ref(t reflect.Type, deps map[string]bool) *obj {
	name := g.component(t)
	deps[name] = true
	return newObj("$ref", "#/components/schemas/"+name)
}

// component returns the name of t's component, building it on first use.
// The name is registered before the schema is built, so recursive types end
// in a $ref instead of looping.
func (g *schemaGen) component(t reflect.Type) string {
	if name, ok := g.names[t]; ok {
		return name
	}
	name := typeName(t.Name())
	if c, taken := g.comps[name]; taken && c.typ != t {
		// Two packages use the same name; qualify the newcomer.
		name = exported(path.Base(t.PkgPath())) + name
		for i := 2; g.comps[name] != nil; i++ {
			name = fmt.Sprintf("%s%d", strings.TrimRight(name, "0123456789"), i)
		}
	}
	c := &component{typ: t, deps: map[string]bool{}}
	g.names[t] = name
	g.comps[name] = c
	switch {
	case implements(t, describerType):
		c.schema = toObj(hook[schemaDescriber](t).JSONSchema())
	case isEnum(t):
		c.schema = g.inline(t, c.deps)
		var values []any
		for _, v := range hook[enumer](t).Enum() {
			values = append(values, v)
		}
		c.schema.set("enum", values)
	default:
		c.schema = g.inline(t, c.deps)
	}
	return name
}

// inline returns the schema of t by its kind. Pointers inside lists and maps
// are documented as their values: a nil there would be a bug, and declaring
// every element nullable would burden every client.
func (g *schemaGen) inline(t reflect.Type, deps map[string]bool) *obj {
	switch t.Kind() {
	case reflect.Bool:
		return newObj("type", "boolean")
	case reflect.Int, reflect.Int64:
		return newObj("type", "integer", "format", "int64")
	case reflect.Int8, reflect.Int16, reflect.Int32:
		return newObj("type", "integer", "format", "int32")
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return newObj("type", "integer", "minimum", 0)
	case reflect.Float32:
		return newObj("type", "number", "format", "float")
	case reflect.Float64:
		return newObj("type", "number", "format", "double")
	case reflect.String:
		return newObj("type", "string")
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !implements(t.Elem(), jsonMarshalerType) && !implements(t.Elem(), textMarshalerType) {
			return newObj("type", "string", "contentEncoding", "base64")
		}
		return newObj("type", "array", "items", g.schemaOf(deref(t.Elem()), deps))
	case reflect.Array:
		return newObj("type", "array", "items", g.schemaOf(deref(t.Elem()), deps), "minItems", t.Len(), "maxItems", t.Len())
	case reflect.Map:
		return newObj("type", "object", "additionalProperties", g.schemaOf(deref(t.Elem()), deps))
	case reflect.Struct:
		return g.object(t, deps)
	}
	// Interfaces hold anything; channels and functions cannot be encoded.
	return newObj("description", "Any JSON value.")
}

// object returns the schema of a struct: its JSON fields in declaration
// order, required unless encoding/json may leave them out.
func (g *schemaGen) object(t reflect.Type, deps map[string]bool) *obj {
	props := newObj()
	var required []any
	for _, f := range jsonFields(t) {
		s := g.schemaOf(f.typ, deps)
		if f.quoted {
			s = newObj("type", "string")
			if f.typ.Kind() == reflect.Pointer {
				s = g.nullable(s)
			}
		}
		props.set(f.name, s)
		if !f.optional {
			required = append(required, f.name)
		}
	}
	o := newObj("type", "object", "properties", props)
	if len(required) > 0 {
		o.set("required", required)
	}
	return o
}

// components returns components/schemas sorted by name.
func (g *schemaGen) components() *obj {
	names := make([]string, 0, len(g.comps))
	for n := range g.comps {
		names = append(names, n)
	}
	sort.Strings(names)
	out := newObj()
	for _, n := range names {
		out.set(n, g.comps[n].schema)
	}
	return out
}

// closeRequest marks s and every object schema reachable from it (deps and
// their deps) additionalProperties: false, because decode refuses unknown
// fields. A type used in both requests and responses is closed in both.
func (g *schemaGen) closeRequest(s *obj, deps map[string]bool) {
	closeObjects(s)
	seen := map[string]bool{}
	queue := slices.Sorted(mapKeys(deps))
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if seen[name] {
			continue
		}
		seen[name] = true
		c := g.comps[name]
		closeObjects(c.schema)
		queue = append(queue, slices.Sorted(mapKeys(c.deps))...)
	}
}

// annotate adds a description to a component and extra keywords to its
// properties; properties it does not have are skipped.
func (g *schemaGen) annotate(name, desc string, props map[string]*obj) {
	c := g.comps[name]
	if c == nil {
		return
	}
	c.schema.set("description", desc)
	p, _ := c.schema.get("properties").(*obj)
	if p == nil {
		return
	}
	for _, k := range p.keys {
		s, _ := p.get(k).(*obj)
		if extra := props[k]; s != nil && extra != nil {
			for _, ek := range extra.keys {
				s.set(ek, extra.get(ek))
			}
		}
	}
}

func mapKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// closeObjects sets additionalProperties: false on every object schema with
// properties inside s, without following $refs.
func closeObjects(s *obj) {
	if s == nil {
		return
	}
	if p, ok := s.get("properties").(*obj); ok {
		if s.get("additionalProperties") == nil {
			s.set("additionalProperties", false)
		}
		for _, k := range p.keys {
			child, _ := p.get(k).(*obj)
			closeObjects(child)
		}
	}
	for _, k := range []string{"items", "additionalProperties"} {
		if child, ok := s.get(k).(*obj); ok {
			closeObjects(child)
		}
	}
	for _, k := range []string{"oneOf", "anyOf", "allOf"} {
		list, _ := s.get(k).([]any)
		for _, v := range list {
			child, _ := v.(*obj)
			closeObjects(child)
		}
	}
}

// nullable allows null besides what s allows, as a nil pointer encodes.
func (g *schemaGen) nullable(s *obj) *obj {
	if ref, ok := s.get("$ref").(string); ok {
		// A component that already allows null (such as Date) needs no
		// wrapper; oneOf with two branches accepting null would be wrong.
		c := g.comps[strings.TrimPrefix(ref, "#/components/schemas/")]
		if c != nil && c.schema != nil && allowsNull(c.schema) {
			return s
		}
	}
	switch typ := s.get("type").(type) {
	case string:
		if s.get("enum") == nil {
			s.set("type", []any{typ, "null"})
			return s
		}
	case []any:
		if !slices.Contains(typ, any("null")) {
			s.set("type", append(typ, "null"))
		}
		return s
	case nil:
		if s.get("$ref") == nil && s.get("oneOf") == nil {
			return s // already any value
		}
		if list, ok := s.get("oneOf").([]any); ok && len(s.keys) == 1 {
			for _, v := range list {
				if o, ok := v.(*obj); ok && o.get("type") == "null" && len(o.keys) == 1 {
					return s
				}
			}
		}
	}
	return newObj("oneOf", []any{s, newObj("type", "null")})
}

// allowsNull reports whether schema s accepts null by its type.
func allowsNull(s *obj) bool {
	switch typ := s.get("type").(type) {
	case string:
		return typ == "null"
	case []any:
		return slices.Contains(typ, any("null"))
	}
	return false
}

// field is one JSON member of a struct.
type field struct {
	name     string
	typ      reflect.Type
	index    []int
	tagged   bool
	optional bool // encoding/json may omit it
	quoted   bool // the ",string" option
}

// jsonFields lists the members encoding/json writes for struct type t,
// with embedded structs' fields promoted by the same rules (the shallowest
// field wins; a tie between untagged fields hides both).
func jsonFields(t reflect.Type) []field {
	type embedded struct {
		typ      reflect.Type
		index    []int
		optional bool
	}
	var fields []field
	next := []embedded{{typ: t}}
	visited := map[reflect.Type]bool{}
	for len(next) > 0 {
		current := next
		next = nil
		for _, e := range current {
			if visited[e.typ] {
				continue
			}
			visited[e.typ] = true
			for i := range e.typ.NumField() {
				sf := e.typ.Field(i)
				ft := sf.Type
				if sf.Anonymous {
					if ft.Kind() == reflect.Pointer {
						ft = ft.Elem()
					}
					if !sf.IsExported() && ft.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				index := append(slices.Clone(e.index), i)
				if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
					next = append(next, embedded{typ: ft, index: index, optional: e.optional || sf.Type.Kind() == reflect.Pointer})
					continue
				}
				f := field{name: name, typ: sf.Type, index: index, tagged: name != "", optional: e.optional}
				if f.name == "" {
					f.name = sf.Name
				}
				options := strings.Split(opts, ",")
				omit := slices.Contains(options, "omitzero")
				if slices.Contains(options, "omitempty") {
					// omitempty never omits a struct or a non-empty array.
					k := sf.Type.Kind()
					omit = omit || !(k == reflect.Struct || k == reflect.Array && sf.Type.Len() > 0)
				}
				f.optional = f.optional || omit
				if slices.Contains(options, "string") {
					switch deref(sf.Type).Kind() {
					case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
						reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
						reflect.Float32, reflect.Float64, reflect.String:
						f.quoted = true
					}
				}
				fields = append(fields, f)
			}
		}
	}
	// Keep, for each name, the dominant field: the shallowest, and among
	// those the only tagged one; otherwise the name is ambiguous and dropped.
	byName := map[string][]field{}
	for _, f := range fields {
		byName[f.name] = append(byName[f.name], f)
	}
	var out []field
	for _, f := range fields {
		group := byName[f.name]
		if len(group) == 0 {
			continue
		}
		delete(byName, f.name)
		if d, ok := dominant(group); ok {
			out = append(out, d)
		}
	}
	slices.SortStableFunc(out, func(a, b field) int { return slices.Compare(a.index, b.index) })
	return out
}

func dominant(group []field) (field, bool) {
	depth := len(group[0].index)
	for _, f := range group {
		depth = min(depth, len(f.index))
	}
	var best []field
	for _, f := range group {
		if len(f.index) == depth {
			best = append(best, f)
		}
	}
	if len(best) == 1 {
		return best[0], true
	}
	var tagged []field
	for _, f := range best {
		if f.tagged {
			tagged = append(tagged, f)
		}
	}
	if len(tagged) == 1 {
		return tagged[0], true
	}
	return field{}, false
}

// typeName turns a Go type name into a component name: exported, without
// package paths, with type arguments in front of a generic's name, so
// List[github.com/attain-crm/attain.User] becomes UserList.
func typeName(s string) string {
	base, args, generic := strings.Cut(s, "[")
	if !generic {
		return exported(sanitize(base))
	}
	var b strings.Builder
	for _, a := range splitTop(strings.TrimSuffix(args, "]")) {
		b.WriteString(argName(a))
	}
	b.WriteString(exported(sanitize(base)))
	return b.String()
}

// argName names one type argument as it appears in a generic's name.
func argName(a string) string {
	a = strings.TrimSpace(a)
	switch {
	case strings.HasPrefix(a, "*"):
		return argName(a[1:])
	case strings.HasPrefix(a, "[]"):
		return argName(a[2:]) + "Array"
	case strings.HasPrefix(a, "map["):
		key, val := splitBracket(a[len("map["):])
		return argName(key) + argName(val) + "Map"
	case strings.HasPrefix(a, "["): // [N]T
		_, elem := splitBracket(a[1:])
		return argName(elem) + "Array"
	}
	// A possibly qualified, possibly generic name: drop the package path.
	head, rest, generic := strings.Cut(a, "[")
	if i := strings.LastIndex(head, "."); i >= 0 {
		head = head[i+1:]
	}
	if generic {
		return typeName(head + "[" + rest)
	}
	return exported(sanitize(head))
}

// splitBracket splits "K]V" at the bracket that closes an opening one
// already consumed.
func splitBracket(s string) (inner, rest string) {
	depth := 1
	for i, r := range s {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				return s[:i], s[i+1:]
			}
		}
	}
	return s, ""
}

// splitTop splits a type argument list at its top-level commas.
func splitTop(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

// sanitize keeps the letters and digits of s, capitalising each word, so
// the name suits components (^[a-zA-Z0-9._-]+$) and reads as one word.
func sanitize(s string) string {
	var b strings.Builder
	up := false
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) || r > unicode.MaxASCII {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func exported(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// implements reports whether t or *t has the method set of iface: the doc
// hooks may have either receiver, and encoding/json uses a pointer
// receiver's MarshalJSON on the addressable values handlers encode.
func implements(t, iface reflect.Type) bool {
	return t.Implements(iface) || reflect.PointerTo(t).Implements(iface)
}

func isEnum(t reflect.Type) bool { return t.Kind() == reflect.String && implements(t, enumerType) }

// hook returns a zero t (or a new *t, when only the pointer has the
// method) as the doc hook interface H.
func hook[H any](t reflect.Type) H {
	if t.Implements(reflect.TypeFor[H]()) {
		return reflect.Zero(t).Interface().(H)
	}
	return reflect.New(t).Interface().(H)
}

// toObj converts a schema given as nested maps into an obj with sorted keys.
func toObj(m map[string]any) *obj {
	o := newObj()
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	})
	for _, k := range keys {
		o.set(k, toValue(m[k]))
	}
	return o
}

func toValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return toObj(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = toValue(e)
		}
		return out
	case []string:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = e
		}
		return out
	}
	return v
}

// obj is a JSON object that keeps its keys in insertion order, so the
// document reads top-down (openapi, info, paths, components), properties
// appear in the order of the struct's fields, and diffs stay small.
type obj struct {
	keys []string
	vals map[string]any
}

// newObj returns an object of the given key, value pairs.
func newObj(kv ...any) *obj {
	o := &obj{vals: map[string]any{}}
	for i := 0; i+1 < len(kv); i += 2 {
		o.set(kv[i].(string), kv[i+1])
	}
	return o
}

func (o *obj) set(k string, v any) *obj {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
	return o
}

func (o *obj) get(k string) any { return o.vals[k] }

// MarshalJSON writes the members in insertion order, without escaping
// HTML characters (descriptions contain <token> and &).
func (o *obj) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(k); err != nil {
			return nil, err
		}
		buf.WriteByte(':')
		if err := enc.Encode(o.vals[k]); err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
