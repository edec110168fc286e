package stats

import (
	"fmt"
	"strconv"
	"time"
)

// PeriodKind is the unit a [Period] is counted in.
type PeriodKind uint8

// The kinds of period, from the coarsest to the finest.
const (
	Year PeriodKind = iota + 1
	Quarter
	Month
	Day
)

// String returns the lower-case name of the kind: year, quarter, month, day.
func (k PeriodKind) String() string {
	switch k {
	case Year:
		return "year"
	case Quarter:
		return "quarter"
	case Month:
		return "month"
	case Day:
		return "day"
	}
	return "invalid"
}

// Period is a year, quarter, month or day, or an interval of consecutive
// periods of one kind. The zero Period is invalid; [Period.IsZero] reports
// it.
//
// Internally a period is a kind and the indexes of its first and last unit:
// a year counts from year 0, a quarter is year×4+q−1, a month year×12+m−1,
// and a day counts days since 1970-01-01.
type Period struct {
	kind       PeriodKind
	start, end int32
}

// NewPeriod returns the single period of kind k with unit index i (see
// [Period] for how indexes count).
func NewPeriod(k PeriodKind, i int) Period {
	return Period{kind: k, start: int32(i), end: int32(i)}
}

// YearOf returns the year y as a Period.
func YearOf(y int) Period { return NewPeriod(Year, y) }

// QuarterOf returns quarter q (1–4) of year y.
func QuarterOf(y, q int) Period { return NewPeriod(Quarter, y*4+q-1) }

// MonthOf returns month m (1–12) of year y.
func MonthOf(y, m int) Period { return NewPeriod(Month, y*12+m-1) }

// DayOf returns day d of month m of year y.
func DayOf(y, m, d int) Period {
	return NewPeriod(Day, int(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix()/86400))
}

// Span returns the interval from a to b, both included. It returns an error
// when a and b are of different kinds, are themselves intervals, or b comes
// before a.
func Span(a, b Period) (Period, error) {
	if a.kind != b.kind || a.kind == 0 {
		return Period{}, fmt.Errorf("interval of a %s and a %s: both ends must be of one kind", a.kind, b.kind)
	}
	if a.IsInterval() || b.IsInterval() {
		return Period{}, fmt.Errorf("interval of intervals")
	}
	if b.start < a.start {
		return Period{}, fmt.Errorf("interval ends (%s) before it starts (%s)", b, a)
	}
	return Period{kind: a.kind, start: a.start, end: b.end}, nil
}

// Kind returns the unit the period is counted in.
func (p Period) Kind() PeriodKind { return p.kind }

// IsZero reports whether p is the zero Period.
func (p Period) IsZero() bool { return p.kind == 0 }

// IsInterval reports whether p spans more than one unit written as a/b.
func (p Period) IsInterval() bool { return p.end != p.start }

// Len returns the number of units in p: 1 for a single period.
func (p Period) Len() int { return int(p.end-p.start) + 1 }

// First returns the first unit of p.
func (p Period) First() Period { return Period{p.kind, p.start, p.start} }

// Last returns the last unit of p.
func (p Period) Last() Period { return Period{p.kind, p.end, p.end} }

// Index returns the index of the first unit of p (see [Period] for how
// indexes count): NewPeriod(p.Kind(), p.Index()) is p.First().
func (p Period) Index() int { return int(p.start) }

// Units returns the single periods that p consists of, in order.
func (p Period) Units() []Period {
	out := make([]Period, 0, p.Len())
	for i := p.start; i <= p.end; i++ {
		out = append(out, Period{p.kind, i, i})
	}
	return out
}

// Year returns the calendar year in which p starts.
func (p Period) Year() int {
	// A month of a year after 0 at once, inlined: the rows of most files
	// are months, and a year is asked of every row as it is read.
	if p.kind == Month && p.start >= 0 {
		return int(p.start) / 12
	}
	return p.civilYear()
}

// acrossYears reports whether p ends in a later calendar year than it
// starts in (2023-12/2024-02, 2005/2024), which the checks and comparisons
// a year at a time refuse (see spanError). A single unit never does.
func (p Period) acrossYears() bool {
	// Inlined, as every row is asked: most are single units.
	return p.start != p.end && p.endsLater()
}

// endsLater reports whether p's last unit is in a later year than its first.
func (p Period) endsLater() bool { return p.Year() != p.Last().Year() }

// civilYear is [Period.Year] of any period.
func (p Period) civilYear() int {
	y, _, _ := civil(p.kind, p.start)
	return y
}

// Shift returns p moved by n years: the same quarter, months or days n
// years later (n < 0: earlier). A day that does not exist in the target
// year (29 February) moves to 28 February.
func (p Period) Shift(years int) Period {
	switch p.kind {
	case Year:
		return Period{p.kind, p.start + int32(years), p.end + int32(years)}
	case Quarter:
		return Period{p.kind, p.start + int32(4*years), p.end + int32(4*years)}
	case Month:
		return Period{p.kind, p.start + int32(12*years), p.end + int32(12*years)}
	case Day:
		return Period{p.kind, shiftDay(p.start, years), shiftDay(p.end, years)}
	}
	return p
}

func shiftDay(d int32, years int) int32 {
	y, m, dd := civil(Day, d)
	if m == 2 && dd == 29 {
		dd = 28
	}
	return int32(time.Date(y+years, time.Month(m), dd, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// civil returns the year, month and day on which unit i of kind k starts.
func civil(k PeriodKind, i int32) (y, m, d int) {
	switch k {
	case Year:
		return int(i), 1, 1
	case Quarter:
		return floorDiv(int(i), 4), mod(int(i), 4)*3 + 1, 1
	case Month:
		return floorDiv(int(i), 12), mod(int(i), 12) + 1, 1
	case Day:
		t := time.Unix(int64(i)*86400, 0).UTC()
		return t.Year(), int(t.Month()), t.Day()
	}
	return 0, 0, 0
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func mod(a, b int) int { return a - floorDiv(a, b)*b }

// days returns the first and last day (days since 1970-01-01) that p covers.
func (p Period) days() (first, last int64) {
	return unitFirstDay(p.kind, p.start), unitFirstDay(p.kind, p.end+1) - 1
}

func unitFirstDay(k PeriodKind, i int32) int64 {
	if k == Day {
		return int64(i)
	}
	y, m, _ := civil(k, i)
	return daysFromCivil(y, m, 1)
}

// daysFromCivil is Howard Hinnant's algorithm: days since 1970-01-01 of a
// proleptic Gregorian date, without going through time.Time.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// Days returns p as the interval of the days it covers: 2024 is
// 2024-01-01/2024-12-31, as are 2024-Q1/2024-Q4 and 2024-01/2024-12. Two
// periods cover the same days when their Days are equal.
func (p Period) Days() Period {
	if p.kind == 0 {
		return p
	}
	f, l := p.days()
	return Period{Day, int32(f), int32(l)}
}

// Contains reports whether every day of q lies within p. A period contains
// itself.
func (p Period) Contains(q Period) bool {
	pf, pl := p.days()
	qf, ql := q.days()
	return pf <= qf && ql <= pl
}

// Overlaps reports whether p and q share at least one day.
func (p Period) Overlaps(q Period) bool {
	pf, pl := p.days()
	qf, ql := q.days()
	return pf <= ql && qf <= pl
}

// Cover returns the periods of kind k that exactly cover p, in order, and
// true; or nil and false when p does not start and end on boundaries of k
// (a month cannot be covered by quarters).
//
// The months of 2024-Q3 are 2024-07, 2024-08 and 2024-09; the years of
// 2005/2024 are 2005 to 2024; the quarters of 2024-01/2024-09 are 2024-Q1
// to 2024-Q3.
func (p Period) Cover(k PeriodKind) ([]Period, bool) {
	first, last, ok := p.coverBounds(k)
	if !ok {
		return nil, false
	}
	out := make([]Period, 0, last-first+1)
	for i := first; i <= last; i++ {
		out = append(out, Period{k, i, i})
	}
	return out, true
}

// coverBounds returns the indexes of the first and last period of kind k
// in the exact cover of p, without building it.
func (p Period) coverBounds(k PeriodKind) (first, last int32, ok bool) {
	if p.kind == 0 || k < Year || k > Day {
		return 0, 0, false
	}
	// Quarters and months count from year 0 in fixed steps.
	per := [...]int32{Year: 1, Quarter: 4, Month: 12}
	switch {
	case k == p.kind:
		return p.start, p.end, true
	case k == Day:
		f, l := p.days()
		return int32(f), int32(l), true
	case k > p.kind:
		step := per[k] / per[p.kind]
		return p.start * step, (p.end+1)*step - 1, true
	case p.kind == Day:
		// Coarser periods cover days that begin one and end the day
		// before another.
		first, ok := unitOfDay(k, p.start)
		end, ok2 := unitOfDay(k, p.end+1)
		return first, end - 1, ok && ok2
	}
	// Coarser quarters or years cover months or quarters that start and
	// end on their boundaries.
	step := per[p.kind] / per[k]
	if mod(int(p.start), int(step)) != 0 || mod(int(p.end+1), int(step)) != 0 {
		return 0, 0, false
	}
	return int32(floorDiv(int(p.start), int(step))), int32(floorDiv(int(p.end+1), int(step))) - 1, true
}

// unitOfDay returns the index of the period of kind k (year, quarter or
// month) that begins on day d, and whether one does.
func unitOfDay(k PeriodKind, d int32) (int32, bool) {
	y, m, day := civil(Day, d)
	switch {
	case day != 1:
		return 0, false
	case k == Month:
		return int32(y*12 + m - 1), true
	case k == Quarter && (m-1)%3 == 0:
		return int32(y*4 + (m-1)/3), true
	case k == Year && m == 1:
		return int32(y), true
	}
	return 0, false
}

// Compare orders periods by their first day, then longer periods first, then
// by kind (coarser first). It returns -1, 0 or +1, like [cmp.Compare].
func Compare(a, b Period) int {
	if a.kind == b.kind {
		// Within one kind the first days are in the order of the indexes.
		switch {
		case a.start != b.start:
			return sign64(int64(a.start) - int64(b.start))
		case a.end != b.end:
			return sign64(int64(b.end) - int64(a.end))
		}
		return 0
	}
	af, al := a.days()
	bf, bl := b.days()
	switch {
	case af != bf:
		return sign64(af - bf)
	case al != bl:
		return sign64(bl - al)
	case a.kind != b.kind:
		return sign64(int64(a.kind) - int64(b.kind))
	}
	return 0
}

func sign64(x int64) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// String formats p as [ParsePeriod] reads it: 2024, 2024-Q3, 2024-07,
// 2024-10-15, 2024-01/2024-07. The zero Period formats as "".
func (p Period) String() string {
	if p.kind == 0 {
		return ""
	}
	return string(p.appendText(nil))
}

// appendText appends what String returns to b.
func (p Period) appendText(b []byte) []byte {
	if p.kind == 0 {
		return b
	}
	b = appendUnit(b, p.kind, p.start)
	if p.IsInterval() {
		b = append(b, '/')
		b = appendUnit(b, p.kind, p.end)
	}
	return b
}

func appendUnit(b []byte, k PeriodKind, i int32) []byte {
	y, m, d := civil(k, i)
	b = appendYear(b, y)
	switch k {
	case Quarter:
		b = append(b, '-', 'Q', byte('0'+(m-1)/3+1))
	case Month:
		b = append(b, '-', byte('0'+m/10), byte('0'+m%10))
	case Day:
		b = append(b, '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
	}
	return b
}

func appendYear(b []byte, y int) []byte {
	s := strconv.Itoa(y)
	for n := len(s); n < 4; n++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// MarshalText implements encoding.TextMarshaler with [Period.String].
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with [ParsePeriod].
func (p *Period) UnmarshalText(b []byte) error {
	q, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}
