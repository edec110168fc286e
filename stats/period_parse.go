package stats

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// ParsePeriod parses a period written as DESIGN.md says: a year 2024, a
// quarter 2024-Q3, a month 2024-07 (the SDMX form 2024-M07 is accepted too),
// a day 2024-10-15, or an interval of two of the same kind separated by a
// slash, 2024-01/2024-07 or 2005/2024.
//
// The error wraps [ErrBadPeriod] and, where the text looks like a common
// other spelling (2024Q3, Q3 2024, 2024-7, 07.2024, 2024-H1), says how to
// write it.
func ParsePeriod(s string) (Period, error) {
	p, ok := parsePeriodBytes([]byte(s))
	if ok {
		return p, nil
	}
	return Period{}, &textError{kind: ErrBadPeriod, text: s, hint: periodHint(s)}
}

// parsePeriodBytes is the allocation-free parser behind ParsePeriod.
func parsePeriodBytes(b []byte) (Period, bool) {
	if i := indexByte(b, '/'); i >= 0 {
		a, ok1 := parseUnit(b[:i])
		c, ok2 := parseUnit(b[i+1:])
		if !ok1 || !ok2 || a.kind != c.kind || c.start < a.start {
			return Period{}, false
		}
		return Period{a.kind, a.start, c.end}, true
	}
	return parseUnit(b)
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

func digits(b []byte) (int, bool) {
	if len(b) == 0 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func parseUnit(b []byte) (Period, bool) {
	if len(b) < 4 {
		return Period{}, false
	}
	y, ok := digits(b[:4])
	if !ok {
		return Period{}, false
	}
	rest := b[4:]
	switch {
	case len(rest) == 0:
		return YearOf(y), true
	case len(rest) == 3 && rest[0] == '-' && rest[1] == 'Q' && rest[2] >= '1' && rest[2] <= '4':
		return QuarterOf(y, int(rest[2]-'0')), true
	case len(rest) == 3 && rest[0] == '-':
		m, ok := digits(rest[1:])
		if !ok || m < 1 || m > 12 {
			return Period{}, false
		}
		return MonthOf(y, m), true
	case len(rest) == 4 && rest[0] == '-' && rest[1] == 'M':
		m, ok := digits(rest[2:])
		if !ok || m < 1 || m > 12 {
			return Period{}, false
		}
		return MonthOf(y, m), true
	case len(rest) == 6 && rest[0] == '-' && rest[3] == '-':
		m, ok1 := digits(rest[1:3])
		d, ok2 := digits(rest[4:6])
		if !ok1 || !ok2 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
			return Period{}, false
		}
		return DayOf(y, m, d), true
	}
	return Period{}, false
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// spellings are the other spellings of quarters and months seen in
// published tables, and the span of years of a total, compiled when a
// period is first not written as the format has it: compiled as the
// package is initialised, they took 0.4–0.9 ms of every run's start.
var spellings = sync.OnceValue(func() (s struct {
	quarter, month, half []*regexp.Regexp
	yearSpan             *regexp.Regexp
}) {
	s.quarter = []*regexp.Regexp{
		regexp.MustCompile(`^(?P<y>\d{4})\s*-?\s*Q(?P<n>[1-4])$`),
		regexp.MustCompile(`^Q(?P<n>[1-4])\s*[-/ ]?\s*(?P<y>\d{4})$`),
		regexp.MustCompile(`^(?P<y>\d{4})\s*-?\s*(?P<n>[1-4])\s*Q$`),
		regexp.MustCompile(`^(?P<n>[1-4])\s*Q\s*(?P<y>\d{4})$`),
	}
	s.month = []*regexp.Regexp{
		regexp.MustCompile(`^(?P<y>\d{4})-(?P<n>\d)$`),
		regexp.MustCompile(`^(?P<y>\d{4})\s*M(?P<n>\d{1,2})$`),
		regexp.MustCompile(`^(?P<y>\d{4})(?P<n>\d{2})$`),
		regexp.MustCompile(`^(?P<n>\d{1,2})[./](?P<y>\d{4})$`),
		regexp.MustCompile(`^(?P<y>\d{4})[./](?P<n>\d{1,2})$`),
	}
	// Half-years, H1 or S1 (the SDMX semester), have no form of their
	// own: they are intervals of months.
	s.half = []*regexp.Regexp{
		regexp.MustCompile(`^(?P<y>\d{4})\s*[-/ ]?\s*[HS](?P<n>\d)$`),
		regexp.MustCompile(`^[HS](?P<n>\d)\s*[-/ ]?\s*(?P<y>\d{4})$`),
		regexp.MustCompile(`^(?P<y>\d{4})\s*-?\s*(?P<n>\d)\s*H$`),
		regexp.MustCompile(`^(?P<n>\d)\s*H\s*(?P<y>\d{4})$`),
	}
	s.yearSpan = regexp.MustCompile(`^(\d{4})\s*[-–—]\s*(\d{4})$`)
	return s
})

func spelled(res []*regexp.Regexp, s string) (y, n int, ok bool) {
	for _, re := range res {
		m := re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		y, _ = strconv.Atoi(m[re.SubexpIndex("y")])
		n, _ = strconv.Atoi(m[re.SubexpIndex("n")])
		return y, n, true
	}
	return 0, 0, false
}

// periodHint suggests the right spelling of a period written another way.
func periodHint(s string) string {
	t := strings.TrimSpace(s)
	if t != s {
		if _, err := ParsePeriod(t); err == nil {
			return "remove the surrounding spaces"
		}
	}
	u := strings.ToUpper(t)
	if y, n, ok := spelled(spellings().quarter, u); ok {
		return fmt.Sprintf("write quarters as %04d-Q%d", y, n)
	}
	if y, n, ok := spelled(spellings().month, u); ok && n >= 1 && n <= 12 {
		return fmt.Sprintf("write months as %04d-%02d", y, n)
	}
	if y, n, ok := spelled(spellings().half, u); ok {
		if n == 1 || n == 2 {
			m := 6*n - 5
			return fmt.Sprintf("write a half-year as the interval of its months, %04d-%02d/%04d-%02d, or of its quarters, %04d-Q%d/%04d-Q%d",
				y, m, y, m+5, y, 2*n-1, y, 2*n)
		}
		return fmt.Sprintf("a year has two halves, written as intervals of months: %04d-01/%04d-06 and %04d-07/%04d-12", y, y, y, y)
	}
	if m := spellings().yearSpan.FindStringSubmatch(t); m != nil {
		return fmt.Sprintf("write a span of years as %s/%s", m[1], m[2])
	}
	if strings.Contains(t, "/") {
		return "an interval joins two periods of one kind, the first not after the second: 2024-01/2024-07, 2005/2024"
	}
	if len(t) == 7 && t[4] == '-' && (t[5] == 'Q' || t[5] == 'q') {
		return "quarters run from Q1 to Q4, as in 2024-Q3"
	}
	if len(t) == 7 && t[4] == '-' {
		return "months run from 01 to 12, as in 2024-07"
	}
	if len(t) == 10 && t[4] == '-' && t[7] == '-' {
		return "no such day: write an existing date as 2024-10-15"
	}
	return "use 2024, 2024-Q3, 2024-07, 2024-10-15 or an interval such as 2024-01/2024-07"
}
