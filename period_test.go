package attain_test

import (
	"slices"
	"testing"
	"time"

	"github.com/attain-crm/attain"
)

func TestFiscalCalendarParse(t *testing.T) {
	jan := attain.DefaultCalendar
	feb := attain.FiscalCalendar{StartMonth: time.February}
	oct := attain.FiscalCalendar{StartMonth: time.October}
	for _, c := range []struct {
		cal              attain.FiscalCalendar
		in               string
		key, start, end  string
		kind             attain.PeriodKind
		fiscalYear, numb int
	}{
		{jan, "2026-Q3", "2026-Q3", "2026-07-01", "2026-09-30", attain.PeriodQuarter, 2026, 3},
		{jan, "fy2026", "FY2026", "2026-01-01", "2026-12-31", attain.PeriodYear, 2026, 0},
		{jan, "2026-11", "2026-11", "2026-11-01", "2026-11-30", attain.PeriodMonth, 2026, 11},
		{jan, "2024-02", "2024-02", "2024-02-01", "2024-02-29", attain.PeriodMonth, 2024, 2},
		// February start: FY2026 is named by the year it ends in.
		{feb, "FY2026", "FY2026", "2025-02-01", "2026-01-31", attain.PeriodYear, 2026, 0},
		{feb, "2026-Q1", "2026-Q1", "2025-02-01", "2025-04-30", attain.PeriodQuarter, 2026, 1},
		{feb, "2026-Q4", "2026-Q4", "2025-11-01", "2026-01-31", attain.PeriodQuarter, 2026, 4},
		{feb, "2026-01", "2026-01", "2026-01-01", "2026-01-31", attain.PeriodMonth, 2026, 1},
		{feb, "2026-02", "2026-02", "2026-02-01", "2026-02-28", attain.PeriodMonth, 2027, 2},
		{oct, "2027-Q1", "2027-Q1", "2026-10-01", "2026-12-31", attain.PeriodQuarter, 2027, 1},
		{oct, "2027-Q4", "2027-Q4", "2027-07-01", "2027-09-30", attain.PeriodQuarter, 2027, 4},
	} {
		p, err := c.cal.Parse(c.in)
		if err != nil {
			t.Errorf("%v Parse(%q): %v", c.cal.StartMonth, c.in, err)
			continue
		}
		if p.Key != c.key || p.Start.String() != c.start || p.End.String() != c.end || p.Kind != c.kind ||
			p.FiscalYear != c.fiscalYear || p.Number != c.numb {
			t.Errorf("%v Parse(%q) = %+v", c.cal.StartMonth, c.in, p)
		}
	}
	for _, bad := range []string{"", "2026", "2026-Q5", "2026-Q0", "2026-13", "2026-00", "FY26", "26-Q1", "2026-1", "2026-+1", "FY20261", "Q3-2026"} {
		if _, err := jan.Parse(bad); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
	if err := (attain.FiscalCalendar{StartMonth: 13}).Validate(); attain.ErrorCode(err) != attain.EINVALID {
		t.Errorf("start month 13: %v", err)
	}
}

func TestPeriodOfAndWeeks(t *testing.T) {
	feb := attain.FiscalCalendar{StartMonth: time.February}
	d := func(s string) attain.Date {
		v, err := attain.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		day  string
		kind attain.PeriodKind
		want string
	}{
		{"2026-01-31", attain.PeriodYear, "FY2026"},
		{"2026-02-01", attain.PeriodYear, "FY2027"},
		{"2026-01-31", attain.PeriodQuarter, "2026-Q4"},
		{"2026-02-01", attain.PeriodQuarter, "2027-Q1"},
		{"2026-07-15", attain.PeriodQuarter, "2027-Q2"},
		{"2026-07-15", attain.PeriodMonth, "2026-07"},
	} {
		if got := feb.PeriodOf(c.kind, d(c.day)).Key; got != c.want {
			t.Errorf("PeriodOf(%s, %s) = %s, want %s", c.kind, c.day, got, c.want)
		}
	}
	q, _ := attain.DefaultCalendar.Parse("2026-Q3") // 1 Jul - 30 Sep: 92 days
	for _, c := range []struct {
		day  string
		week int
	}{{"2026-07-01", 1}, {"2026-07-07", 1}, {"2026-07-08", 2}, {"2026-09-29", 13}, {"2026-09-30", 14}, {"2026-10-01", 0}, {"2026-06-30", 0}} {
		if got := q.Week(d(c.day)); got != c.week {
			t.Errorf("week of %s = %d, want %d", c.day, got, c.week)
		}
	}
	if q.Days() != 92 || q.Weeks() != 14 {
		t.Errorf("Q3 has %d days, %d weeks", q.Days(), q.Weeks())
	}
	if w := attain.DefaultCalendar.WeekOfQuarter(d("2026-08-12")); w != 7 {
		t.Errorf("WeekOfQuarter(2026-08-12) = %d, want 7", w)
	}
	if !q.Contains(d("2026-09-30")) || q.Contains(d("2026-10-01")) || q.Contains(attain.Date{}) {
		t.Error("Contains is wrong at the edges")
	}
	if !q.ContainsTime(time.Date(2026, 9, 30, 23, 59, 59, 0, time.UTC)) || q.ContainsTime(q.EndTime()) {
		t.Error("ContainsTime is wrong at the edges")
	}
	cal := attain.DefaultCalendar
	if n := cal.Next(q).Key; n != "2026-Q4" {
		t.Errorf("Next = %s", n)
	}
	if n := cal.Next(cal.Next(q)).Key; n != "2027-Q1" {
		t.Errorf("Next Next = %s", n)
	}
	if p := cal.Prev(q).Key; p != "2026-Q2" {
		t.Errorf("Prev = %s", p)
	}
	var keys []string
	for _, m := range feb.Children(feb.Quarter(2026, 4)) {
		keys = append(keys, m.Key)
	}
	if len(keys) != 3 || keys[0] != "2025-11" || keys[2] != "2026-01" {
		t.Errorf("months of FY2026-Q4 (Feb start) = %v", keys)
	}
	if n := len(cal.Children(cal.Year(2026))); n != 4 {
		t.Errorf("a year has %d quarters", n)
	}
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2026-Q3", "FY2026", "2026-11", "x", ""} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, month int) {
		cal := attain.FiscalCalendar{StartMonth: time.Month(month%12 + 1)}
		if month < 0 {
			cal.StartMonth = time.January
		}
		p, err := cal.Parse(s)
		if err != nil {
			return
		}
		// A parsed period round-trips through its key and contains its own edges.
		q, err := cal.Parse(p.Key)
		if err != nil || q != p {
			t.Fatalf("%q -> %+v -> %+v, %v", s, p, q, err)
		}
		if !p.Contains(p.Start) || !p.Contains(p.End) || p.End.Before(p.Start) {
			t.Fatalf("%+v does not contain its edges", p)
		}
		if p.Kind != attain.PeriodMonth && cal.PeriodOf(p.Kind, p.Start) != p {
			t.Fatalf("PeriodOf(start of %s) = %+v", p.Key, cal.PeriodOf(p.Kind, p.Start))
		}
	})
}

func TestNewPlanningView(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                    string
		start                   time.Month
		today                   attain.Date
		month, quarter, year    string
		firstQuarter, lastQuart string
		months                  []string
	}{
		{"calendar year", time.January, attain.Date{Year: 2026, Month: time.December, Day: 6}, "2026-12", "2026-Q4", "FY2026", "2027-Q2", "2025-Q1",
			[]string{"2026-12", "2027-01", "2027-02"}},
		{"April start", time.April, attain.Date{Year: 2026, Month: time.May, Day: 10}, "2026-05", "2027-Q1", "FY2027", "2027-Q3", "2025-Q2",
			[]string{"2026-05", "2026-06", "2026-07"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := attain.NewPlanningView(attain.PlanningSettings{FiscalStartMonth: tt.start, Currency: "EUR"}, tt.today)
			if v.CurrentMonth.Key != tt.month || v.CurrentQuarter.Key != tt.quarter || v.CurrentYear.Key != tt.year {
				t.Errorf("current = %s %s %s, want %s %s %s", v.CurrentMonth.Key, v.CurrentQuarter.Key, v.CurrentYear.Key, tt.month, tt.quarter, tt.year)
			}
			if len(v.Quarters) != 10 || v.Quarters[0].Key != tt.firstQuarter || v.Quarters[2].Key != tt.quarter || v.Quarters[9].Key != tt.lastQuart {
				t.Errorf("quarters = %v", keysOf(v.Quarters))
			}
			if got := keysOf(v.Months); !slices.Equal(got, tt.months) {
				t.Errorf("months = %v, want %v", got, tt.months)
			}
			if v.Currency != "EUR" || v.Today != tt.today {
				t.Errorf("settings or today lost: %+v", v)
			}
		})
	}
}

func keysOf(ps []attain.Period) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Key
	}
	return out
}
