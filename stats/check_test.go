package stats

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestNewCheckerReusesArrays checks that a year indexed into the arrays
// of the year before (see checkerArrays) gets the index a checker of its
// own gets: the year before has rows out of order, an invalid value, a
// negative one, two units, quarters and an interval in its series, and a
// series the year after lacks, which leave states, numbers and rows
// behind.
func TestNewCheckerReusesArrays(t *testing.T) {
	text := `reporter,partner,indicator,period,value,unit,source
KAZ,ARM,exports,2022-02,1.0,USD million,BNS
KAZ,ARM,exports,2022-01,-1.0,USD million,BNS
KAZ,ARM,imports,2022-Q1,x,USD million,BNS
KAZ,ARM,imports,2022-01,2.0,EUR million,BNS
KAZ,ARM,imports,2022-01/2022-03,2.0,USD million,BNS
KAZ,RUS,exports,2022-01,3.0,USD million,BNS
KAZ,GEO,exports,2022-01,3.0,USD million,BNS
KAZ,ARM,exports,2023-01,1.0,USD million,BNS
KAZ,ARM,exports,2023-02,1.5,USD million,BNS
KAZ,ARM,imports,2023-01,2.0,USD million,BNS
KAZ,RUS,exports,2023-01,3.0,USD million,BNS
`
	ds, err := Load(strings.NewReader(text), "t.csv", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	figs := figsOf(ds.Obs)
	split := 0
	for split < len(figs) && figs[split].Period.Year() == 2022 {
		split++
	}
	y2022, y2023 := figs[:split], figs[split:]
	cr := newCarry()
	cr.year = 2022
	newChecker(input{figs: [][]fig{y2022}}, &Config{}, cr)
	cr.year = 2023
	got := newChecker(input{figs: [][]fig{y2023}}, &Config{}, cr)
	want := newChecker(input{figs: [][]fig{y2023}}, &Config{}, nil)
	if !reflect.DeepEqual(got.keys, want.keys) {
		t.Fatalf("keys %v, want %v", got.keys, want.keys)
	}
	if !reflect.DeepEqual(got.state, want.state) {
		t.Errorf("states\n%+v\nwant\n%+v", got.state, want.state)
	}
	if !reflect.DeepEqual(got.obs, want.obs) || !reflect.DeepEqual(got.valid, want.valid) {
		t.Errorf("rows %v (valid %v), want %v (%v)", got.obs, got.valid, want.obs, want.valid)
	}
}

// TestSeriesStates checks what newChecker learns of each series' rows as
// they are numbered (see seriesState), the rows coming in two pieces: the
// rules take shortcuts by it, which give the same findings whether it is
// right or not, only more slowly when it says too much.
func TestSeriesStates(t *testing.T) {
	// The series come in an order other than their keys'.
	text := `reporter,partner,indicator,period,value,unit,status,source
KAZ,RUS,exports,2023-01,,USD million,M,BNS
KAZ,ARM,turnover,2023-01/2023-02,3.0,USD million,,BNS
KAZ,ARM,exports,2023-02,1.0,USD million,,BNS
KAZ,ARM,imports,2023-01,2.0,USD million,,BNS
KAZ,ARM,exports,2023-01,-1.0,USD million,,BNS
KAZ,ARM,imports,2023-03,2.0,EUR million,,BNS
KAZ,RUS,exports,2023-02,4.0,USD million,,BNS
`
	ds, err := Load(strings.NewReader(text), "t.csv", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	figs := figsOf(ds.Obs)
	period := func(s string) Period {
		p, err := ParsePeriod(s)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	month := uint16(1 << Month)
	want := map[Key]seriesState{
		{"KAZ", "ARM", "exports"}:  {last: period("2023-01"), unit: "USD million", kinds: month, months: 1<<1 | 1<<2, unordered: true, negative: true},
		{"KAZ", "ARM", "imports"}:  {last: period("2023-03"), unit: "USD million", kinds: month, months: 1<<1 | 1<<3, units: true},
		{"KAZ", "ARM", "turnover"}: {last: period("2023-01/2023-02"), unit: "USD million", intervals: true},
		{"KAZ", "RUS", "exports"}:  {last: period("2023-02"), unit: "USD million", kinds: month, months: 1 << 2, invalid: true},
	}
	for _, cut := range []int{0, 1, 3, 6, len(figs)} {
		c := newChecker(input{figs: [][]fig{figs[:cut], figs[cut:]}}, &Config{}, nil)
		if len(c.keys) != len(want) {
			t.Fatalf("cut at %d: %d series, want %d", cut, len(c.keys), len(want))
		}
		for k, w := range want {
			id := c.seriesID(k, "BNS")
			if id < 0 {
				t.Fatalf("cut at %d: no series %v", cut, k)
			}
			if got := c.state[id]; got != w {
				t.Errorf("cut at %d, %v: state\n%+v\nwant\n%+v", cut, k, got, w)
			}
		}
	}
}

// TestSortByPeriod checks that sortByPeriod orders a series' rows as a
// stable sort by period does: rows newest first, which it reverses, and
// rows that are not, among them rows of one period twice, which must keep
// the order they came in.
func TestSortByPeriod(t *testing.T) {
	m := func(i int) Period { return MonthOf(2024, i) }
	q := NewPeriod(Quarter, 2024*4)
	tests := []struct {
		name    string
		periods []Period
	}{
		{"empty", nil},
		{"one", []Period{m(3)}},
		{"newest first", []Period{m(12), m(11), m(5), m(1)}},
		{"newest first, a quarter among the months", []Period{m(4), q, m(3)}},
		{"one period twice", []Period{m(3), m(3), m(2), m(1)}},
		{"one period twice, last", []Period{m(3), m(2), m(1), m(1)}},
		{"in order", []Period{m(1), m(2), m(3)}},
		{"shuffled", []Period{m(2), m(7), m(1), m(7), m(3)}},
	}
	for _, tc := range tests {
		rows := make([]*fig, len(tc.periods))
		for i, p := range tc.periods {
			rows[i] = &fig{Period: p, line: int32(i + 2)}
		}
		want := slices.Clone(rows)
		slices.SortStableFunc(want, func(a, b *fig) int { return Compare(a.Period, b.Period) })
		sortByPeriod(rows)
		if !slices.Equal(rows, want) {
			line := func(rows []*fig) []int32 {
				var out []int32
				for _, r := range rows {
					out = append(out, r.line)
				}
				return out
			}
			t.Errorf("%s: lines %v, want %v", tc.name, line(rows), line(want))
		}
	}
}
