package ingest

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/tradedesk/report/internal/lazyre"
	"github.com/tradedesk/report/stats"
)

// PeriodPattern reads period labels of one shape, such as "Jan.-Dec. 2019"
// or "Aug. 2024". Build one with [ParsePeriodPattern].
type PeriodPattern struct {
	text  string
	re    *regexp.Regexp
	slots []string
}

// placeholders are the slots a pattern may hold, with what they match.
var placeholders = map[string]string{
	"year":    `(\d{4})`,
	"year2":   `(\d{4})`,
	"quarter": `([1-4])`,
	"month":   `(\d{1,2}|[\p{L}]+)`,
	"month2":  `(\d{1,2}|[\p{L}]+)`,
	"day":     `(\d{1,2})`,
	"*":       `(.*?)`,
}

var slotRE = lazyre.New(`\{([a-z0-9*]+)\}`)

// ParsePeriodPattern compiles a pattern: literal text with the slots
// {year}, {year2} (the end of a span of years), {quarter} (1–4), {month}
// and {month2} (the end of a span of months; a number or an English or
// Russian month name or abbreviation), {day}, and {*} (any text, ignored).
// Letters match in any case and a space matches any run of spaces.
//
// The period is a span when the pattern has {month2} or {year2}; a span of
// months from January to December of one year is that year. Examples:
//
//	"{month}. {year}"           Aug. 2024       → 2024-08
//	"{month}.-{month2}. {year}" Jan.-Dec. 2019  → 2019
//	"{*}-{month}.-{month2}. {year}" 201952-Jan.-Dec. 2019 → 2019
//	"{year}-{month}-01"         2024-02-01      → 2024-02
func ParsePeriodPattern(p string) (*PeriodPattern, error) {
	return compilePattern(p)
}

func compilePattern(p string) (*PeriodPattern, error) {
	var b strings.Builder
	b.WriteString(`(?i)^\s*`)
	pp := &PeriodPattern{text: p}
	last := 0
	seen := map[string]bool{}
	for _, m := range slotRE().FindAllStringSubmatchIndex(p, -1) {
		writeLiteral(&b, p[last:m[0]])
		name := p[m[2]:m[3]]
		re, ok := placeholders[name]
		if !ok {
			return nil, fmt.Errorf("unknown slot {%s}: use {year}, {year2}, {quarter}, {month}, {month2}, {day} or {*}", name)
		}
		if seen[name] && name != "*" {
			return nil, fmt.Errorf("slot {%s} twice", name)
		}
		seen[name] = true
		b.WriteString(re)
		pp.slots = append(pp.slots, name)
		last = m[1]
	}
	writeLiteral(&b, p[last:])
	b.WriteString(`\s*$`)
	if !seen["year"] {
		return nil, errors.New("a pattern needs {year}")
	}
	if seen["month2"] && !seen["month"] || seen["year2"] && seen["month"] || seen["quarter"] && seen["month"] || seen["day"] && !seen["month"] {
		return nil, errors.New("the slots do not make a period: use {year}, {year}+{year2}, {year}+{quarter}, {year}+{month}[+{month2}] or {year}+{month}+{day}")
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, err
	}
	pp.re = re
	return pp, nil
}

func writeLiteral(b *strings.Builder, lit string) {
	space := false
	for _, r := range lit {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteString(`\s+`)
			}
			space = true
			continue
		}
		space = false
		b.WriteString(regexp.QuoteMeta(string(r)))
	}
}

// String returns the pattern as written.
func (pp *PeriodPattern) String() string { return pp.text }

// Parse reads label; ok is false when the label does not have the
// pattern's shape or names no real period.
func (pp *PeriodPattern) Parse(label string) (p stats.Period, ok bool) {
	m := pp.re.FindStringSubmatch(label)
	if m == nil {
		return stats.Period{}, false
	}
	got := map[string]int{}
	for i, name := range pp.slots {
		s := m[i+1]
		if name == "*" {
			continue
		}
		var n int
		if name == "month" || name == "month2" {
			n, ok = monthNumber(s)
		} else {
			var err error
			n, err = strconv.Atoi(s)
			ok = err == nil
		}
		if !ok {
			return stats.Period{}, false
		}
		got[name] = n
	}
	y := got["year"]
	if y < 1 || y > 9999 {
		return stats.Period{}, false
	}
	switch {
	case got["day"] != 0:
		q, err := stats.ParsePeriod(fmt.Sprintf("%04d-%02d-%02d", y, got["month"], got["day"]))
		return q, err == nil
	case got["month2"] != 0:
		a, b := got["month"], got["month2"]
		if a < 1 || b > 12 || b < a {
			return stats.Period{}, false
		}
		if a == 1 && b == 12 {
			return stats.YearOf(y), true
		}
		if a == b {
			return stats.MonthOf(y, a), true
		}
		q, err := stats.Span(stats.MonthOf(y, a), stats.MonthOf(y, b))
		return q, err == nil
	case got["month"] != 0:
		if got["month"] > 12 {
			return stats.Period{}, false
		}
		return stats.MonthOf(y, got["month"]), true
	case got["quarter"] != 0:
		return stats.QuarterOf(y, got["quarter"]), true
	case got["year2"] != 0:
		q, err := stats.Span(stats.YearOf(y), stats.YearOf(got["year2"]))
		return q, err == nil
	}
	return stats.YearOf(y), true
}

// monthNumber reads a month as a number (1–12) or by the first three
// letters of its English or Russian name.
func monthNumber(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, n >= 1 && n <= 12
	}
	r := []rune(strings.ToLower(s))
	if len(r) < 3 {
		return 0, false
	}
	n, ok := monthPrefixes[string(r[:3])]
	return n, ok
}

var monthPrefixes = map[string]int{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
	"jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
	"янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "мая": 5, "июн": 6,
	"июл": 7, "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
}

// period reads a period label with the field's patterns, else with
// [stats.ParsePeriod].
func (f *Field) period(label string) (stats.Period, error) {
	t := strings.TrimSpace(label)
	if len(f.Patterns) == 0 {
		return stats.ParsePeriod(t)
	}
	for _, p := range f.Patterns {
		pp, err := compilePattern(p)
		if err != nil {
			return stats.Period{}, err
		}
		if q, ok := pp.Parse(t); ok {
			return q, nil
		}
	}
	if q, err := stats.ParsePeriod(t); err == nil {
		return q, nil
	}
	return stats.Period{}, fmt.Errorf("%w: %q matches none of the patterns %s", stats.ErrBadPeriod, label, strings.Join(f.Patterns, ", "))
}
