package attain

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PeriodKind is the length of a Period.
type PeriodKind string

// The kinds of period a workspace plans and forecasts in.
const (
	PeriodMonth   PeriodKind = "month"
	PeriodQuarter PeriodKind = "quarter"
	PeriodYear    PeriodKind = "year"
)

// FiscalCalendar is a workspace's fiscal calendar: the month its fiscal year
// starts in. A fiscal year is named by the calendar year it ends in, so with a
// February start FY2026 runs from 1 February 2025 to 31 January 2026; with a
// January start (the default) fiscal and calendar years are the same.
// Quarters are three months from the start of the fiscal year; months are
// calendar months.
type FiscalCalendar struct {
	StartMonth time.Month `json:"start_month"`
}

// DefaultCalendar is the calendar of a workspace that set none: the fiscal
// year is the calendar year.
var DefaultCalendar = FiscalCalendar{StartMonth: time.January}

// Validate checks the calendar's start month.
func (c FiscalCalendar) Validate() error {
	if c.StartMonth < time.January || c.StartMonth > time.December {
		return Invalid("start_month", "must be a month number from 1 to 12")
	}
	return nil
}

// Period is a fiscal month, quarter or year of one FiscalCalendar, with the
// dates it covers. Its key (String) is "2026-11" for a month (the calendar
// month), "2026-Q3" for the third quarter of FY2026 and "FY2026" for the
// fiscal year.
type Period struct {
	Key        string     `json:"key"`
	Kind       PeriodKind `json:"kind"`
	FiscalYear int        `json:"fiscal_year"`
	// Number is the quarter (1-4) or the calendar month (1-12); 0 for a year.
	Number int `json:"number"`
	// Start and End are the first and the last day of the period (inclusive).
	Start Date `json:"start"`
	End   Date `json:"end"`
}

// String returns the period's key.
func (p Period) String() string { return p.Key }

// IsZero reports whether p is the zero Period ("no period").
func (p Period) IsZero() bool { return p.Kind == "" }

// Contains reports whether day d falls in the period.
func (p Period) Contains(d Date) bool {
	return !d.IsZero() && !d.Before(p.Start) && !p.End.Before(d)
}

// ContainsTime reports whether instant t (taken in UTC) falls in the period.
func (p Period) ContainsTime(t time.Time) bool { return p.Contains(DateOf(t.UTC())) }

// StartTime and EndTime bound the period as instants in UTC: [StartTime, EndTime).
func (p Period) StartTime() time.Time { return p.Start.Time() }

// EndTime is the instant just after the period: midnight UTC after its last day.
func (p Period) EndTime() time.Time { return p.End.AddDays(1).Time() }

// Days returns the number of days in the period.
func (p Period) Days() int { return int(p.EndTime().Sub(p.StartTime()).Hours()/24 + 0.5) }

// Week returns the week of the period day d falls in, counted in whole weeks
// from the period's first day: days 1-7 are week 1, days 8-14 week 2, and so
// on (a 92-day quarter has a short week 14). It returns 0 when d is outside.
func (p Period) Week(d Date) int {
	if !p.Contains(d) {
		return 0
	}
	days := int(d.Time().Sub(p.StartTime()).Hours()/24 + 0.5)
	return days/7 + 1
}

// Weeks returns the number of (possibly partial) weeks in the period.
func (p Period) Weeks() int { return p.Week(p.End) }

// fiscalYearStart returns the first day of fiscal year fy.
func (c FiscalCalendar) fiscalYearStart(fy int) Date {
	m := c.startMonth()
	y := fy
	if m > time.January {
		y-- // named by the year it ends in
	}
	return Date{Year: y, Month: m, Day: 1}
}

func (c FiscalCalendar) startMonth() time.Month {
	if c.StartMonth < time.January || c.StartMonth > time.December {
		return time.January
	}
	return c.StartMonth
}

// FiscalYear returns the fiscal year day d falls in.
func (c FiscalCalendar) FiscalYear(d Date) int {
	m := c.startMonth()
	if m > time.January && d.Month >= m {
		return d.Year + 1
	}
	return d.Year
}

// Year returns fiscal year fy.
func (c FiscalCalendar) Year(fy int) Period {
	s := c.fiscalYearStart(fy)
	return Period{Key: fmt.Sprintf("FY%04d", fy), Kind: PeriodYear, FiscalYear: fy,
		Start: s, End: s.EndOfMonth(11)}
}

// Quarter returns quarter q (1-4) of fiscal year fy.
func (c FiscalCalendar) Quarter(fy, q int) Period {
	s := c.fiscalYearStart(fy)
	s = DateOf(time.Date(s.Year, s.Month+time.Month(3*(q-1)), 1, 0, 0, 0, 0, time.UTC))
	return Period{Key: fmt.Sprintf("%04d-Q%d", fy, q), Kind: PeriodQuarter, FiscalYear: fy, Number: q,
		Start: s, End: s.EndOfMonth(2)}
}

// Month returns calendar month m of calendar year y, placed in its fiscal year.
func (c FiscalCalendar) Month(y int, m time.Month) Period {
	s := Date{Year: y, Month: m, Day: 1}
	return Period{Key: fmt.Sprintf("%04d-%02d", y, int(m)), Kind: PeriodMonth, FiscalYear: c.FiscalYear(s),
		Number: int(m), Start: s, End: s.EndOfMonth(0)}
}

// QuarterOf returns the fiscal quarter (1-4) day d falls in.
func (c FiscalCalendar) QuarterOf(d Date) Period {
	fy := c.FiscalYear(d)
	s := c.fiscalYearStart(fy)
	months := (d.Year-s.Year)*12 + int(d.Month) - int(s.Month)
	return c.Quarter(fy, months/3+1)
}

// PeriodOf returns the period of the given kind that day d falls in.
func (c FiscalCalendar) PeriodOf(kind PeriodKind, d Date) Period {
	switch kind {
	case PeriodMonth:
		return c.Month(d.Year, d.Month)
	case PeriodYear:
		return c.Year(c.FiscalYear(d))
	default:
		return c.QuarterOf(d)
	}
}

// WeekOfQuarter returns the week of its fiscal quarter day d falls in (1-14).
func (c FiscalCalendar) WeekOfQuarter(d Date) int { return c.QuarterOf(d).Week(d) }

// Next returns the period of the same kind right after p.
func (c FiscalCalendar) Next(p Period) Period { return c.PeriodOf(p.Kind, p.End.AddDays(1)) }

// Prev returns the period of the same kind right before p.
func (c FiscalCalendar) Prev(p Period) Period { return c.PeriodOf(p.Kind, p.Start.AddDays(-1)) }

// Children returns the periods one level down that make up p: the quarters of
// a year, the months of a quarter, nothing for a month.
func (c FiscalCalendar) Children(p Period) []Period {
	var out []Period
	switch p.Kind {
	case PeriodYear:
		for q := 1; q <= 4; q++ {
			out = append(out, c.Quarter(p.FiscalYear, q))
		}
	case PeriodQuarter:
		for i := 0; i < 3; i++ {
			s := p.Start
			m := time.Date(s.Year, s.Month+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
			out = append(out, c.Month(m.Year(), m.Month()))
		}
	}
	return out
}

// Parse reads a period key: "2026-11" (a calendar month), "2026-Q3" (a fiscal
// quarter) or "FY2026" (a fiscal year). Lower case is accepted.
func (c FiscalCalendar) Parse(s string) (Period, error) {
	k := strings.ToUpper(strings.TrimSpace(s))
	bad := fmt.Errorf("%q is not a period (2026-11, 2026-Q3 or FY2026)", s)
	year := func(v string) (int, bool) {
		if len(v) != 4 {
			return 0, false
		}
		n, err := strconv.Atoi(v)
		return n, err == nil && n >= 1900 && n <= 9999
	}
	switch {
	case strings.HasPrefix(k, "FY"):
		y, ok := year(k[2:])
		if !ok {
			return Period{}, bad
		}
		return c.Year(y), nil
	case len(k) == 7 && k[4] == '-' && k[5] == 'Q':
		y, ok := year(k[:4])
		q := int(k[6] - '0')
		if !ok || q < 1 || q > 4 {
			return Period{}, bad
		}
		return c.Quarter(y, q), nil
	case len(k) == 7 && k[4] == '-':
		y, ok := year(k[:4])
		m, err := strconv.Atoi(k[5:])
		if !ok || err != nil || m < 1 || m > 12 || k[5] == '+' || k[5] == '-' {
			return Period{}, bad
		}
		return c.Month(y, time.Month(m)), nil
	}
	return Period{}, bad
}

// ParsePeriod reads a period key for the API: like FiscalCalendar.Parse, but
// an error is EINVALID naming field.
func (c FiscalCalendar) ParsePeriod(field, s string) (Period, error) {
	p, err := c.Parse(s)
	if err != nil {
		return Period{}, Invalid(field, "%s", err.Error())
	}
	return p, nil
}

// CalendarService reads and sets a workspace's fiscal calendar.
type CalendarService interface {
	FindCalendar(ctx context.Context, a *Actor) (FiscalCalendar, error)
	SetCalendar(ctx context.Context, a *Actor, c FiscalCalendar) (FiscalCalendar, error)
}
