package ingest_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tradedesk/report/stats"
	"github.com/tradedesk/report/stats/ingest"
)

func TestParseNumber(t *testing.T) {
	unctad := ingest.Numbers{Thousands: " ", Negatives: "mangled"}
	europe := ingest.Numbers{Thousands: ". ", Decimal: ",", Zero: []string{"-"}}
	r := ingest.Numbers{Exponent: true, Significant: 15}
	tests := []struct {
		name    string
		n       ingest.Numbers
		in      string
		want    stats.Value
		wantErr error
	}{
		{"plain", ingest.Numbers{}, "33.3", stats.NewValue(33.3, 1), nil},
		{"empty is missing", ingest.Numbers{}, "", stats.Value{}, nil},
		{"dots are missing", ingest.Numbers{}, "..", stats.Value{}, nil},
		{"empty as zero", ingest.Numbers{Empty: "0.00000"}, " ", stats.NewValue(0, 5), nil},
		{"space thousands", unctad, "4 557", stats.NewValue(4557, 0), nil},
		{"no-break space thousands", unctad, "1\u00a0118", stats.NewValue(1118, 0), nil},
		{"narrow no-break space", unctad, "12\u202f066", stats.NewValue(12066, 0), nil},
		{"mangled negative", unctad, "- -5", stats.NewValue(-5, 0), nil},
		{"doubled minus", unctad, "-- 156", stats.NewValue(-156, 0), nil},
		{"mangled zero", unctad, "- -0", stats.NewValue(0, 0), nil},
		{"negative with thousands", unctad, "-- 1 156", stats.NewValue(-1156, 0), nil},
		{"bad grouping", unctad, "1 23", stats.Value{}, stats.ErrBadNumber},
		{"leading separator", unctad, " 123", stats.NewValue(123, 0), nil},
		{"decimal comma", europe, "1.234,5", stats.NewValue(1234.5, 1), nil},
		{"dash is zero", europe, "-", stats.NewValue(0, 0), nil},
		{"negative decimal comma", europe, "-0,25", stats.NewValue(-0.25, 2), nil},
		{"point is no decimal here", europe, "1,2,3", stats.Value{}, stats.ErrBadNumber},
		{"exponent", r, "9e-4", stats.NewValue(0.0009, 4), nil},
		{"exponent with fraction", r, "1.1e-4", stats.NewValue(0.00011, 5), nil},
		{"positive exponent", r, "2.5E+3", stats.NewValue(2500, 0), nil},
		{"binary noise", r, "958.69914000000006", stats.NewValue(958.69914, 5), nil},
		{"no exponent unless asked", ingest.Numbers{}, "9e-4", stats.Value{}, stats.ErrBadNumber},
		{"footnote mark", ingest.Numbers{}, "53.1*", stats.Value{}, stats.ErrBadNumber},
		{"text", ingest.Numbers{}, "n.a.", stats.Value{}, stats.ErrBadNumber},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.n.ParseNumber(tc.in)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("ParseNumber(%q): error %v, want %v", tc.in, err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseNumber(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestPeriodPattern(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		label   string
		want    string
		wantOK  bool
	}{
		{"comext month", "{month}. {year}", "Aug. 2024", "2024-08", true},
		{"comext month any case", "{month}. {year}", "AUG.  2024", "2024-08", true},
		{"comext year", "{month}.-{month2}. {year}", "Jan.-Dec. 2019", "2019", true},
		{"comext partial year", "{month}.-{month2}. {year}", "Jan.-Aug. 2024", "2024-01/2024-08", true},
		{"comext coded year", "{*}-{month}.-{month2}. {year}", "201952-Jan.-Dec. 2019", "2019", true},
		{"armstat date", "{year}-{month}-01", "2024-02-01", "2024-02", true},
		{"russian month", "{month} {year}", "Август 2024", "2024-08", true},
		{"russian span", "{month}-{month2} {year}", "январь-июль 2024", "2024-01/2024-07", true},
		{"quarter", "Q{quarter} {year}", "Q3 2024", "2024-Q3", true},
		{"year span", "{year}-{year2}", "2005-2024", "2005/2024", true},
		{"day", "{day}.{month}.{year}", "15.10.2024", "2024-10-15", true},
		{"no such month", "{month}. {year}", "Foo. 2024", "", false},
		{"month 13", "{year}-{month}-01", "2024-13-01", "", false},
		{"span backwards", "{month}.-{month2}. {year}", "Dec.-Jan. 2019", "", false},
		{"other shape", "{month}. {year}", "2024", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pp, err := ingest.ParsePeriodPattern(tc.pattern)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := pp.Parse(tc.label)
			if ok != tc.wantOK {
				t.Fatalf("Parse(%q) ok = %v, want %v", tc.label, ok, tc.wantOK)
			}
			if ok && got.String() != tc.want {
				t.Errorf("Parse(%q) = %s, want %s", tc.label, got, tc.want)
			}
		})
	}
}

func TestParsePeriodPatternErrors(t *testing.T) {
	for _, p := range []string{"{month}", "{yr}", "{year}{year}", "{year} {quarter} {month}", "{year}-{month2}"} {
		if _, err := ingest.ParsePeriodPattern(p); err == nil {
			t.Errorf("ParsePeriodPattern(%q): no error", p)
		}
	}
}

func TestNamesCode(t *testing.T) {
	n := ingest.NewNames(map[string]string{"European Union": "EU28", "Europe": ingest.Drop, "Saoma": "WSM"})
	tests := []struct {
		name, in, want string
		wantOK         bool
	}{
		{"code", "KAZ", "KAZ", true},
		{"group code", "EAEU", "EAEU", true},
		{"english", "Kazakhstan", "KAZ", true},
		{"official", "Russian Federation", "RUS", true},
		{"inverted", "Korea, Republic of", "KOR", true},
		{"historical", "FYR of Macedonia", "MKD", true},
		{"renamed", "North Macedonia", "MKD", true},
		{"short", "USA", "USA", true},
		{"long", "United States", "USA", true},
		{"trailing space", "Netherlands Antilles ", "ANT", true},
		{"saint", "Saint Kitts and Nevis", "KNA", true},
		{"accents", "Sao Tome and Principe", "STP", true},
		{"comext remark", "Spain (incl. Canary Islands 'XB' from 1997)", "ESP", true},
		{"russian", "Армения", "ARM", true},
		{"russian official", "Молдова, Республика", "MDA", true},
		{"russian case", "Тринидад И Тобаго", "TTO", true},
		{"russian islands", "Фарерские Острова", "FRO", true},
		{"russian remark", "Гуам (США)", "GUM", true},
		{"not dahomey", "Бенин", "BEN", true},
		{"not metropolitan france", "Франция", "FRA", true},
		{"world", "Всего", "WLD", true},
		{"override", "European Union", "EU28", true},
		{"drop", "Europe", ingest.Drop, true},
		{"misspelt", "Saoma", "WSM", true},
		{"unknown", "Narnia", "", false},
		{"no code", "Nagorno-Karabakh", "", false},
		{"ambiguous islands", "Virgin", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := n.Code(tc.in)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("Code(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestNormalizeUnit(t *testing.T) {
	tests := []struct{ in, want string }{
		{"thousand USD", "USD thousand"},
		{"USD thousand", "USD thousand"},
		{"Millions of US dollars", "USD million"},
		{"(Millions of US dollars)", "USD million"},
		{"тыс. долларов США", "USD thousand"},
		{"EUR", "EUR"},
		{"euro", "EUR"},
		{"count", "count"},
		{"percent", "percent"},
		{"tonnes", "tonnes"},
		{"USD EUR", "USD EUR"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := ingest.NormalizeUnit(tc.in); got != tc.want {
				t.Errorf("NormalizeUnit(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestYearTotals(t *testing.T) {
	var obs []stats.Observation
	for m := 1; m <= 12; m++ {
		v := stats.NewValue(0.1, 1)
		if m == 3 {
			v = stats.NewValue(958.69914, 5)
		}
		obs = append(obs, stats.Observation{Reporter: "ARM", Partner: "KAZ", Indicator: "exports",
			Period: stats.MonthOf(2023, m), Value: v, Unit: "USD thousand", Source: "Armstat"})
		if m <= 8 {
			obs = append(obs, stats.Observation{Reporter: "ARM", Partner: "KAZ", Indicator: "exports",
				Period: stats.MonthOf(2024, m), Value: v, Unit: "USD thousand", Source: "Armstat"})
		}
	}
	before := append([]stats.Observation(nil), obs...)
	got := ingest.YearTotals(obs)
	if diff := cmp.Diff(before, obs, cmp.Comparer(func(a, b stats.Period) bool { return a == b })); diff != "" {
		t.Errorf("YearTotals modified its input (-before +after):\n%s", diff)
	}
	if len(got) != 1 {
		t.Fatalf("YearTotals: %d totals, want 1 (2024 has 8 months only)", len(got))
	}
	if got[0].Period != stats.YearOf(2023) || got[0].Value != stats.NewValue(959.79914, 5) || got[0].Note != ingest.YearTotalNote || got[0].Status != stats.Normal {
		t.Errorf("YearTotals = %v %v %q %q, want 2023 959.79914 with the note, of normal status", got[0].Period, got[0].Value, got[0].Note, got[0].Status)
	}
	// A provisional month makes the year provisional, an estimated one
	// estimated, whichever month it is.
	for _, mark := range []struct {
		months map[int]stats.Status
		want   stats.Status
	}{
		{map[int]stats.Status{12: stats.Provisional}, stats.Provisional},
		{map[int]stats.Status{1: stats.Estimated, 7: stats.Provisional}, stats.Estimated},
	} {
		marked := slices.Clone(obs)
		for i := range marked {
			if marked[i].Period.Year() == 2023 {
				marked[i].Status = mark.months[int(marked[i].Period.Index()%12)+1]
			}
		}
		if got := ingest.YearTotals(marked); len(got) != 1 || got[0].Status != mark.want {
			t.Errorf("YearTotals of months marked %v: %v, want one total of status %q", mark.months, got, mark.want)
		}
	}
}

func TestFillAbsent(t *testing.T) {
	obs := []stats.Observation{
		{Reporter: "ARM", Partner: "KAZ", Indicator: "exports", Period: stats.MonthOf(2023, 11), Value: stats.NewValue(1, 0), Unit: "USD thousand", Source: "A"},
		{Reporter: "ARM", Partner: "RUS", Indicator: "exports", Period: stats.MonthOf(2024, 2), Value: stats.NewValue(2, 0), Unit: "USD thousand", Source: "A"},
		{Reporter: "ARM", Partner: "KAZ", Indicator: "exports", Period: stats.YearOf(2023), Value: stats.NewValue(1, 0), Unit: "USD thousand", Source: "A"},
	}
	before := append([]stats.Observation(nil), obs...)
	var got []string
	for _, o := range ingest.FillAbsent(obs, stats.NewValue(0, 6)) {
		got = append(got, o.Partner+" "+o.Period.String()+" "+o.Value.String()+" "+o.Note)
	}
	want := []string{
		"KAZ 2023-12 0.000000 " + ingest.AbsentNote,
		"KAZ 2024-01 0.000000 " + ingest.AbsentNote,
		"KAZ 2024-02 0.000000 " + ingest.AbsentNote,
		"RUS 2023-11 0.000000 " + ingest.AbsentNote,
		"RUS 2023-12 0.000000 " + ingest.AbsentNote,
		"RUS 2024-01 0.000000 " + ingest.AbsentNote,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FillAbsent mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, obs, cmp.Comparer(func(a, b stats.Period) bool { return a == b })); diff != "" {
		t.Errorf("FillAbsent modified its input (-before +after):\n%s", diff)
	}
}
