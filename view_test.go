package attain

import (
	"slices"
	"testing"
)

func TestSavedViewInputValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     SavedViewInput
		fields []string
		query  string
	}{
		{"paging dropped, order stable", SavedViewInput{Entity: "deals", Name: " Mine ", Query: "?sort=-amount&cursor=x&limit=3&amount[gte]=5"}, nil, "amount%5Bgte%5D=5&sort=-amount"},
		{"empty query", SavedViewInput{Entity: "leads", Name: "All"}, nil, ""},
		{"unknown list", SavedViewInput{Entity: "invoices", Name: "x"}, []string{"entity"}, ""},
		{"no name", SavedViewInput{Entity: "deals", Name: "  "}, []string{"name"}, ""},
		{"bad query", SavedViewInput{Entity: "deals", Name: "x", Query: "a=%zz"}, []string{"query"}, ""},
		{"bad columns", SavedViewInput{Entity: "deals", Name: "x", Columns: []string{"name", "Name", "custom.region", "name"}}, []string{"columns", "columns"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.Validate()
			var got []string
			if e, ok := err.(*Error); ok {
				for _, f := range e.Fields {
					got = append(got, f.Field)
				}
			}
			if !slices.Equal(got, tc.fields) {
				t.Fatalf("fields %v, want %v (%v)", got, tc.fields, err)
			}
			if err == nil && tc.in.Query != tc.query {
				t.Errorf("query %q, want %q", tc.in.Query, tc.query)
			}
		})
	}
}

func TestBulkUpdateValidate(t *testing.T) {
	one := int64(1)
	for _, tc := range []struct {
		name   string
		in     BulkUpdate
		stages bool
		fields []string
		ids    []int64
	}{
		{"owner, repeated ids dropped", BulkUpdate{IDs: []int64{3, 1, 3}, OwnerID: &one}, false, nil, []int64{3, 1}},
		{"stage on deals", BulkUpdate{IDs: []int64{1}, StageID: &one}, true, nil, []int64{1}},
		{"stage elsewhere", BulkUpdate{IDs: []int64{1}, StageID: &one}, false, []string{"stage_id"}, nil},
		{"nothing to change", BulkUpdate{IDs: []int64{1}}, true, []string{"owner_id"}, nil},
		{"no ids", BulkUpdate{OwnerID: &one}, true, []string{"ids"}, nil},
		{"bad id", BulkUpdate{IDs: []int64{0}, OwnerID: &one}, true, []string{"ids"}, nil},
		{"too many", BulkUpdate{IDs: make501(), OwnerID: &one}, true, []string{"ids"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.Validate(tc.stages)
			var got []string
			if e, ok := err.(*Error); ok {
				for _, f := range e.Fields {
					got = append(got, f.Field)
				}
			}
			if !slices.Equal(got, tc.fields) {
				t.Fatalf("fields %v, want %v (%v)", got, tc.fields, err)
			}
			if err == nil && !slices.Equal(tc.in.IDs, tc.ids) {
				t.Errorf("ids %v, want %v", tc.in.IDs, tc.ids)
			}
		})
	}
}

func make501() []int64 {
	ids := make([]int64, MaxBulkIDs+1)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	return ids
}

func TestParseListQuery(t *testing.T) {
	q, err := ParseListQuery(map[string][]string{"sort": {"-amount"}, "stage_id[in]": {"1,2"}, "name": {"x"}, "cursor": {"c"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Filter{{Field: "name", Values: []string{"x"}}, {Field: "stage_id", Op: "in", Values: []string{"1,2"}}}
	if !slices.EqualFunc(q.Filters, want, func(a, b Filter) bool {
		return a.Field == b.Field && a.Op == b.Op && slices.Equal(a.Values, b.Values)
	}) || q.Sort != (Sort{Field: "amount", Desc: true}) {
		t.Errorf("parsed %+v", q)
	}
	if _, err := ParseListQuery(map[string][]string{"amount[about]": {"1"}}); ErrorCode(err) != EINVALID {
		t.Errorf("unknown operator: %v", err)
	}
}
