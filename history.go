package attain

import (
	"bytes"
	"encoding/json"
	"slices"
	"time"
)

// FieldChange is one change to one field of a sales record: who changed it,
// when, and the old and new values as JSON. History is never lost: every
// write to a record stores its changes beside it.
type FieldChange struct {
	ID         int64           `json:"id"`
	EntityType string          `json:"entity_type"`
	EntityID   int64           `json:"entity_id"`
	Field      string          `json:"field"`
	Old        json.RawMessage `json:"old"`
	New        json.RawMessage `json:"new"`
	ActorID    *int64          `json:"actor_id"`
	At         time.Time       `json:"at"`
	RequestID  string          `json:"request_id"`
}

// untracked fields change on every write and say nothing about the record.
var untracked = []string{"updated_at", "version", "created_at", "id"}

// Diff compares two versions of a record by their JSON form and returns a
// change for every top-level field whose value differs, sorted by field.
// A nil before (a create) records every non-empty field.
func Diff(before, after any) ([]FieldChange, error) {
	b, err := fieldsOf(before)
	if err != nil {
		return nil, err
	}
	a, err := fieldsOf(after)
	if err != nil {
		return nil, err
	}
	var out []FieldChange
	seen := map[string]bool{}
	for _, m := range []map[string]json.RawMessage{a, b} {
		for k := range m {
			if seen[k] || slices.Contains(untracked, k) {
				continue
			}
			seen[k] = true
			ov, nv := b[k], a[k]
			if jsonEqual(ov, nv) {
				continue
			}
			out = append(out, FieldChange{Field: k, Old: ov, New: nv})
		}
	}
	slices.SortFunc(out, func(x, y FieldChange) int {
		switch {
		case x.Field < y.Field:
			return -1
		case x.Field > y.Field:
			return 1
		}
		return 0
	})
	return out, nil
}

func fieldsOf(v any) (map[string]json.RawMessage, error) {
	m := map[string]json.RawMessage{}
	if v == nil {
		return m, nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(raw, []byte("null")) {
		return m, nil
	}
	return m, json.Unmarshal(raw, &m)
}

// jsonEqual treats a missing value, null, "", [] and {} alike, so creating a
// record does not log empty fields as changes.
func jsonEqual(a, b json.RawMessage) bool {
	return bytes.Equal(canonical(a), canonical(b))
}

func canonical(r json.RawMessage) []byte {
	r = bytes.TrimSpace(r)
	switch string(r) {
	case "", "null", `""`, "[]", "{}":
		return nil
	}
	var v any
	if err := json.Unmarshal(r, &v); err != nil {
		return r
	}
	out, _ := json.Marshal(v) // map keys come out sorted
	return out
}
