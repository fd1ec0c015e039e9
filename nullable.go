package attain

import (
	"bytes"
	"encoding/json"
)

// Nullable is a PATCH field that may be absent (leave unchanged), null (clear
// it) or a value. A pointer cannot tell absent from null, and clearing a
// reference (an account's parent, the team a record is shared with) must be
// possible. Tag it `json:",omitzero"` so an unset field is not written.
type Nullable[T any] struct {
	Set   bool // the field was in the request
	Value *T   // nil when the request set it to null
}

// Null returns a Nullable set to v, for callers building updates in code.
func Null[T any](v *T) Nullable[T] { return Nullable[T]{Set: true, Value: v} }

// UnmarshalJSON records that the field was present, and its value or null.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	n.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		n.Value = nil
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	n.Value = &v
	return nil
}

// MarshalJSON writes the value, or null.
func (n Nullable[T]) MarshalJSON() ([]byte, error) { return json.Marshal(n.Value) }

// JSONSchemaAlias tells the API's OpenAPI document that a Nullable is
// written as a *T: the value or null.
func (Nullable[T]) JSONSchemaAlias() any { return (*T)(nil) }

// IsZero reports whether the field was absent, for omitzero.
func (n Nullable[T]) IsZero() bool { return !n.Set }

// apply replaces *dst when the field was present.
func (n Nullable[T]) apply(dst **T) {
	if n.Set {
		*dst = n.Value
	}
}

// set copies *src into *dst when src is not nil: the PATCH rule for
// pointer fields.
func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}
