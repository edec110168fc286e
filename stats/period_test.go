package stats_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tradedesk/report/stats"
)

func mustPeriod(t testing.TB, s string) stats.Period {
	t.Helper()
	p, err := stats.ParsePeriod(s)
	if err != nil {
		t.Fatalf("ParsePeriod(%q): %v", s, err)
	}
	return p
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in       string
		kind     stats.PeriodKind
		len      int
		want     string // String(); "" means in
		wantHint string // part of the hint for invalid input
	}{
		{in: "2023", kind: stats.Year, len: 1},
		{in: "2024-Q3", kind: stats.Quarter, len: 1},
		{in: "2024-07", kind: stats.Month, len: 1},
		{in: "2024-M07", kind: stats.Month, len: 1, want: "2024-07"},
		{in: "2024-10-15", kind: stats.Day, len: 1},
		{in: "2024-02-29", kind: stats.Day, len: 1},
		{in: "2024-01/2024-07", kind: stats.Month, len: 7},
		{in: "2005/2024", kind: stats.Year, len: 20},
		{in: "2023-11/2024-02", kind: stats.Month, len: 4},
		{in: "2023-Q4/2024-Q1", kind: stats.Quarter, len: 2},
		{in: "2024-12-30/2025-01-02", kind: stats.Day, len: 4},
		{in: "2024Q3", wantHint: "2024-Q3"},
		{in: "Q3 2024", wantHint: "2024-Q3"},
		{in: "2024-7", wantHint: "2024-07"},
		{in: "07.2024", wantHint: "2024-07"},
		{in: "202407", wantHint: "2024-07"},
		{in: "2005-2024", wantHint: "2005/2024"},
		{in: "2024-13", wantHint: "01 to 12"},
		{in: "2023-02-29", wantHint: "no such day"},
		{in: "2024/2023", wantHint: "first not after"},
		{in: "2024/2024-07", wantHint: "one kind"},
		{in: " 2024", wantHint: "spaces"},
		{in: "", wantHint: "use 2024"},
		{in: "24", wantHint: "use 2024"},
		{in: "2024-Q5", wantHint: "Q1 to Q4"},
		{in: "2023-H1", wantHint: "half-year as the interval of its months, 2023-01/2023-06, or of its quarters, 2023-Q1/2023-Q2"},
		{in: "2023-H2", wantHint: "2023-07/2023-12, or of its quarters, 2023-Q3/2023-Q4"},
		{in: "2023h1", wantHint: "2023-01/2023-06"},
		{in: "2023 H2", wantHint: "2023-07/2023-12"},
		{in: "H1 2023", wantHint: "2023-01/2023-06"},
		{in: "1H2023", wantHint: "2023-01/2023-06"},
		{in: "2023-S2", wantHint: "2023-07/2023-12"},
		{in: "2023-H3", wantHint: "two halves, written as intervals of months: 2023-01/2023-06 and 2023-07/2023-12"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			p, err := stats.ParsePeriod(tc.in)
			if tc.wantHint != "" {
				if !errors.Is(err, stats.ErrBadPeriod) {
					t.Fatalf("ParsePeriod(%q) = %v, %v; want ErrBadPeriod", tc.in, p, err)
				}
				if !strings.Contains(err.Error(), tc.wantHint) {
					t.Errorf("ParsePeriod(%q) error %q lacks hint %q", tc.in, err, tc.wantHint)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParsePeriod(%q): %v", tc.in, err)
			}
			want := tc.want
			if want == "" {
				want = tc.in
			}
			if p.String() != want || p.Kind() != tc.kind || p.Len() != tc.len {
				t.Errorf("ParsePeriod(%q) = %s (%s, %d units); want %s (%s, %d units)", tc.in, p, p.Kind(), p.Len(), want, tc.kind, tc.len)
			}
		})
	}
}

func TestPeriodContains(t *testing.T) {
	tests := []struct {
		p, q string
		want bool
	}{
		{"2024", "2024-07", true},
		{"2024", "2024-Q3", true},
		{"2024", "2024-10-15", true},
		{"2024", "2024", true},
		{"2024", "2025-01", false},
		{"2024", "2023-12-31", false},
		{"2024-Q3", "2024-07", true},
		{"2024-Q3", "2024-09-30", true},
		{"2024-Q3", "2024-10", false},
		{"2024-Q3", "2024-06-30", false},
		{"2024-01/2024-07", "2024-07", true},
		{"2024-01/2024-07", "2024-08", false},
		{"2024-01/2024-07", "2024-Q2", true},
		{"2024-01/2024-07", "2024-Q3", false},
		{"2024", "2024-01/2024-07", true},
		{"2024-01/2024-07", "2024", false},
		{"2005/2024", "2023", true},
		{"2005/2024", "2004-12", false},
		{"2005/2024", "2010-01/2012-06", true},
		{"2023-11/2024-02", "2024-01", true},
		{"2023-11/2024-02", "2023", false},
		{"2023-Q4/2024-Q1", "2023-12-31", true},
	}
	for _, tc := range tests {
		t.Run(tc.p+"⊇"+tc.q, func(t *testing.T) {
			p, q := mustPeriod(t, tc.p), mustPeriod(t, tc.q)
			if got := p.Contains(q); got != tc.want {
				t.Errorf("%s.Contains(%s) = %v; want %v", p, q, got, tc.want)
			}
		})
	}
}

func TestPeriodCover(t *testing.T) {
	tests := []struct {
		p    string
		kind stats.PeriodKind
		want []string // nil: no exact cover
	}{
		{"2024", stats.Quarter, []string{"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"}},
		{"2024", stats.Month, []string{"2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12"}},
		{"2024-Q3", stats.Month, []string{"2024-07", "2024-08", "2024-09"}},
		{"2024-01/2024-07", stats.Month, []string{"2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07"}},
		{"2023-11/2024-02", stats.Month, []string{"2023-11", "2023-12", "2024-01", "2024-02"}},
		{"2023-Q4/2024-Q1", stats.Month, []string{"2023-10", "2023-11", "2023-12", "2024-01", "2024-02", "2024-03"}},
		{"2022/2024", stats.Year, []string{"2022", "2023", "2024"}},
		{"2022/2023", stats.Quarter, []string{"2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4", "2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"}},
		{"2024-02", stats.Day, nil}, // checked by length below
		{"2024-07", stats.Quarter, nil},
		{"2024-Q3", stats.Year, nil},
		{"2024-01/2024-07", stats.Quarter, nil},
		// Coarser periods, when the interval begins and ends on their
		// boundaries.
		{"2024-01/2024-09", stats.Quarter, []string{"2024-Q1", "2024-Q2", "2024-Q3"}},
		{"2024-01/2024-03", stats.Quarter, []string{"2024-Q1"}},
		{"2024-01/2024-12", stats.Year, []string{"2024"}},
		{"2024-02/2024-12", stats.Year, nil},
		{"2024-Q1/2025-Q4", stats.Year, []string{"2024", "2025"}},
		{"2024-Q2/2025-Q4", stats.Year, nil},
		{"2024-01-01/2024-03-31", stats.Month, []string{"2024-01", "2024-02", "2024-03"}},
		{"2024-01-01/2024-03-31", stats.Quarter, []string{"2024-Q1"}},
		{"2023-12-01/2024-02-29", stats.Month, []string{"2023-12", "2024-01", "2024-02"}},
		{"2024-01-02/2024-03-31", stats.Month, nil},
		{"2024-01-01/2024-03-30", stats.Month, nil},
		{"2024-01-01/2024-12-31", stats.Year, []string{"2024"}},
		{"2024-01-01/2024-12-31", stats.Quarter, []string{"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"}},
	}
	for _, tc := range tests {
		t.Run(tc.p+"/"+tc.kind.String(), func(t *testing.T) {
			p := mustPeriod(t, tc.p)
			got, ok := p.Cover(tc.kind)
			if tc.p == "2024-02" {
				if !ok || len(got) != 29 || got[28].String() != "2024-02-29" {
					t.Fatalf("%s.Cover(day) = %v, %v; want the 29 days of February 2024", p, got, ok)
				}
				return
			}
			var gs []string
			for _, q := range got {
				gs = append(gs, q.String())
			}
			if ok != (tc.want != nil) {
				t.Fatalf("%s.Cover(%s) ok = %v; want %v", p, tc.kind, ok, tc.want != nil)
			}
			if diff := cmp.Diff(tc.want, gs); diff != "" {
				t.Errorf("%s.Cover(%s) mismatch (-want +got):\n%s", p, tc.kind, diff)
			}
		})
	}
}

func TestPeriodCompareAndShift(t *testing.T) {
	ordered := []string{"2023", "2023-Q1", "2023-01", "2023-01-01", "2023-12", "2024", "2024-01/2024-07", "2024-01", "2024-Q3", "2024-10-15"}
	for i := range ordered {
		for j := range ordered {
			a, b := mustPeriod(t, ordered[i]), mustPeriod(t, ordered[j])
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := stats.Compare(a, b); got != want {
				t.Errorf("Compare(%s, %s) = %d; want %d", a, b, got, want)
			}
		}
	}
	shifts := []struct{ in, want string }{
		{"2024-Q3", "2023-Q3"},
		{"2024-01/2024-07", "2023-01/2023-07"},
		{"2024-02-29", "2023-02-28"},
		{"2024", "2023"},
		{"2024-01", "2023-01"},
	}
	for _, tc := range shifts {
		if got := mustPeriod(t, tc.in).Shift(-1).String(); got != tc.want {
			t.Errorf("%s.Shift(-1) = %s; want %s", tc.in, got, tc.want)
		}
	}
}

func TestSpan(t *testing.T) {
	a, b := mustPeriod(t, "2024-01"), mustPeriod(t, "2024-07")
	p, err := stats.Span(a, b)
	if err != nil || p.String() != "2024-01/2024-07" {
		t.Errorf("Span(%s, %s) = %s, %v", a, b, p, err)
	}
	if _, err := stats.Span(b, a); err == nil {
		t.Errorf("Span(%s, %s) succeeded; want an error", b, a)
	}
	if _, err := stats.Span(a, mustPeriod(t, "2024")); err == nil {
		t.Errorf("Span of a month and a year succeeded; want an error")
	}
}

func TestPeriodIndex(t *testing.T) {
	tests := []struct {
		in   string
		kind stats.PeriodKind
		want int
	}{
		{"2024", stats.Year, 2024},
		{"2024-Q3", stats.Quarter, 2024*4 + 2},
		{"2024-01", stats.Month, 2024 * 12},
		{"2024-01/2024-07", stats.Month, 2024 * 12},
		{"1970-01-02", stats.Day, 1},
	}
	for _, tc := range tests {
		p := mustPeriod(t, tc.in)
		if got := p.Index(); got != tc.want {
			t.Errorf("%s.Index() = %d; want %d", tc.in, got, tc.want)
		}
		if back := stats.NewPeriod(tc.kind, p.Index()); back != p.First() {
			t.Errorf("NewPeriod(%v, %d) = %s; want %s", tc.kind, p.Index(), back, p.First())
		}
	}
}

// TestPeriodYear checks the year a period starts in, for every kind, for
// intervals across a year's turn, and for years before 1 and 0, whose
// months count down from 0.
func TestPeriodYear(t *testing.T) {
	tests := []struct {
		p    stats.Period
		want int
	}{
		{stats.MonthOf(2024, 1), 2024},
		{stats.MonthOf(2024, 12), 2024},
		{stats.MonthOf(0, 1), 0},
		{stats.MonthOf(-1, 12), -1},
		{stats.MonthOf(-1, 1), -1},
		{stats.MonthOf(-13, 7), -13},
		{mustPeriod(t, "2023-12/2024-02"), 2023},
		{mustPeriod(t, "2024-Q4"), 2024},
		{stats.NewPeriod(stats.Quarter, -1), -1},
		{mustPeriod(t, "2005/2024"), 2005},
		{mustPeriod(t, "2024-12-31"), 2024},
		{stats.DayOf(1969, 12, 31), 1969},
	}
	for _, tc := range tests {
		if got := tc.p.Year(); got != tc.want {
			t.Errorf("%v (%v %d).Year() = %d; want %d", tc.p, tc.p.Kind(), tc.p.Index(), got, tc.want)
		}
	}
}

// TestPeriodDays checks that periods of the same days, however written,
// have equal Days, and others do not.
func TestPeriodDays(t *testing.T) {
	same := [][]string{
		{"2024", "2024-Q1/2024-Q4", "2024-01/2024-12", "2024-01-01/2024-12-31"},
		{"2024-Q1", "2024-01/2024-03", "2024-01-01/2024-03-31"},
		{"2024-02", "2024-02-01/2024-02-29"},
		{"2023-02", "2023-02-01/2023-02-28"},
		{"2005/2024", "2005-Q1/2024-Q4", "2005-01/2024-12"},
	}
	for i, group := range same {
		want := mustPeriod(t, group[0]).Days()
		if want.Kind() != stats.Day {
			t.Errorf("%s.Days() is of kind %s, want day", group[0], want.Kind())
		}
		for _, s := range group[1:] {
			if got := mustPeriod(t, s).Days(); got != want {
				t.Errorf("%s.Days() = %s, want %s", s, got, want)
			}
		}
		for _, other := range same[i+1:] {
			if mustPeriod(t, other[0]).Days() == want {
				t.Errorf("%s and %s have the same days", group[0], other[0])
			}
		}
	}
	if got := mustPeriod(t, "2024-Q1").Days().String(); got != "2024-01-01/2024-03-31" {
		t.Errorf("2024-Q1.Days() = %s", got)
	}
}
