package attain

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar day without a time or a zone, such as a deal's close
// date: "2025-06-30" in JSON and in the database, never shifted by a time
// zone. The zero Date means "no date" and is null in JSON.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
	}
	return DateOf(t), nil
}

// DateOf returns the day t falls on in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// String returns "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// JSONSchema describes Date's JSON for the API's OpenAPI document.
func (Date) JSONSchema() map[string]any {
	return map[string]any{"type": []any{"string", "null"}, "format": "date"}
}

// Time returns midnight UTC at the start of d.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return d.Time().Compare(e.Time()) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// AddDays returns the date n days after d (before, if n is negative).
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// EndOfMonth returns the last day of d's month, n months later: EndOfMonth(0)
// is the last day of d's own month, EndOfMonth(1) of the next.
func (d Date) EndOfMonth(n int) Date {
	return DateOf(time.Date(d.Year, d.Month+time.Month(n)+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1))
}

// MarshalJSON writes "YYYY-MM-DD", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a date must be a string YYYY-MM-DD")
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value stores the date as "YYYY-MM-DD" text, which SQLite keeps as is and
// PostgreSQL reads into a DATE column; the zero Date is NULL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date stored as text (SQLite) or as a DATE (PostgreSQL, which
// the driver returns as a time.Time at midnight UTC).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = DateOf(v)
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	}
	return fmt.Errorf("cannot scan %T into a date", src)
}

func (d *Date) scanText(s string) error {
	if len(s) > 10 {
		s = s[:10] // a timestamp written by another tool: keep its day
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
