package attain_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/attain-crm/attain"
)

func TestDate(t *testing.T) {
	d, err := attain.ParseDate("2024-01-31")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		got  attain.Date
		want string
	}{
		{d.EndOfMonth(0), "2024-01-31"},
		{d.EndOfMonth(1), "2024-02-29"}, // leap year
		{d.EndOfMonth(11), "2024-12-31"},
		{d.EndOfMonth(12), "2025-01-31"},
		{d.AddDays(1), "2024-02-01"},
		{attain.DateOf(time.Date(2024, 3, 1, 23, 30, 0, 0, time.UTC)), "2024-03-01"},
	} {
		if c.got.String() != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
	for _, bad := range []string{"2024-02-30", "24-01-01", "2024-1-1", ""} {
		if _, err := attain.ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) succeeded", bad)
		}
	}

	// JSON: "YYYY-MM-DD", the zero Date is null.
	var v struct {
		A attain.Date  `json:"a"`
		B attain.Date  `json:"b"`
		C *attain.Date `json:"c"`
	}
	if err := json.Unmarshal([]byte(`{"a":"2024-06-30","b":null}`), &v); err != nil || v.A.String() != "2024-06-30" || !v.B.IsZero() {
		t.Fatalf("unmarshal: %v %+v", err, v)
	}
	if b, _ := json.Marshal(v); string(b) != `{"a":"2024-06-30","b":null,"c":null}` {
		t.Errorf("marshal: %s", b)
	}
	if err := json.Unmarshal([]byte(`{"a":"30/06/2024"}`), &v); err == nil {
		t.Error("unmarshal of 30/06/2024 succeeded")
	}

	// Scan: text from SQLite, time.Time from PostgreSQL's DATE.
	for _, src := range []any{"2024-06-30", []byte("2024-06-30"), time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC), "2024-06-30 00:00:00+00:00"} {
		var s attain.Date
		if err := s.Scan(src); err != nil || s.String() != "2024-06-30" {
			t.Errorf("Scan(%#v) = %v, %v", src, s, err)
		}
	}
	if val, _ := (attain.Date{}).Value(); val != nil {
		t.Errorf("zero Value = %v", val)
	}
}
