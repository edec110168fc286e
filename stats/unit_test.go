package stats_test

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/tradedesk/report/stats"
)

// TestFindingsAcrossUnits checks that a finding that compares figures in
// different units prints each number to the decimals it has in the unit
// shown: 313100 USD thousand is 313.100 USD million, not 313.
func TestFindingsAcrossUnits(t *testing.T) {
	tests := []struct {
		name, csv, rule, want string
	}{
		{
			"mirror, imports in thousands",
			"RUS,USA,exports,2024-01,33,USD million,A\nUSA,RUS,imports,2024-01,313100,USD thousand,B\n",
			"mirror", "(expected 34.980, actual 313.100, difference 278.120, tolerance 8.7450)",
		},
		{
			"mirror, exports in thousands",
			"RUS,USA,exports,2024-01,33000,USD thousand,A\nUSA,RUS,imports,2024-01,313.1,USD million,B\n",
			"mirror", "(expected 34980, actual 313100, difference 278120, tolerance 8745.0)",
		},
		{
			"mirror, one unit",
			"RUS,USA,exports,2024-01,33,USD million,A\nUSA,RUS,imports,2024-01,313.1,USD million,B\n",
			"mirror", "(expected 35.0, actual 313.1, difference 278.1, tolerance 8.75)",
		},
		{
			"turnover, a term in thousands",
			"KAZ,ARM,exports,2023,33.3,USD million,S\nKAZ,ARM,imports,2023,19850,USD thousand,S\nKAZ,ARM,turnover,2023,60.2,USD million,S\n",
			"turnover", "but exports 33.3 + imports 19850 USD thousand = 53.150 (expected 53.150, actual 60.200, difference 7.050, tolerance 0.1005)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := stats.Load(strings.NewReader("reporter,partner,indicator,period,value,unit,source\n"+tc.csv), "t.csv", stats.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range stats.Check(ds, &stats.Config{}) {
				if f.Rule == tc.rule {
					got = append(got, f.Text())
				}
			}
			if len(got) != 1 || !strings.Contains(got[0], tc.want) {
				t.Errorf("%s findings %q, want one with %q", tc.rule, got, tc.want)
			}
		})
	}
}

// TestRescale checks that a number moved between scales of one base is
// the number its digits, moved, write: exact where dividing alone is not.
func TestRescale(t *testing.T) {
	tests := []struct {
		x        float64
		from, to string
		want     float64
		ok       bool
	}{
		{6200.4, "USD thousand", "USD million", 6.2004, true},
		{2345.6, "USD thousand", "USD billion", 0.0023456, true},
		{1.5, "USD million", "USD thousand", 1500, true},
		{0.1, "USD billion", "USD million", 100, true},
		{33.3, "USD million", "USD million", 33.3, true},
		{33.3, "EUR million", "USD million", 33.3, false},
	}
	for _, tc := range tests {
		if got, ok := stats.Rescale(tc.x, tc.from, tc.to); got != tc.want || ok != tc.ok {
			t.Errorf("Rescale(%v, %q, %q) = %v, %v; want %v, %v", tc.x, tc.from, tc.to, got, ok, tc.want, tc.ok)
		}
	}
	// Numbers of up to twelve digits, written with up to four decimals.
	rng := rand.New(rand.NewPCG(4, 4))
	for range 20000 {
		dec := rng.IntN(5)
		s := strconv.FormatFloat(float64(rng.Int64N(1e12))/math.Pow(10, float64(dec)), 'f', dec, 64)
		x, _ := strconv.ParseFloat(s, 64)
		// The same digits, the point three places to the left.
		r, _ := new(big.Rat).SetString(s)
		want, _ := r.Quo(r, big.NewRat(1000, 1)).Float64()
		if got, _ := stats.Rescale(x, "USD thousand", "USD million"); got != want {
			t.Fatalf("Rescale(%s thousand) = %v, want %v", s, got, want)
		}
	}
}

// TestUnitDecimals checks the decimals a figure's digits have in another
// scale of its base.
func TestUnitDecimals(t *testing.T) {
	tests := []struct {
		d        int
		from, to string
		want     int
	}{
		{0, "USD thousand", "USD million", 3},
		{1, "USD million", "USD thousand", -2},
		{2, "USD million", "USD million", 2},
		{1, "USD", "USD million", 7},
		{1, "USD million", "USD billion", 4},
	}
	for _, tc := range tests {
		if got := stats.UnitDecimals(tc.d, tc.from, tc.to); got != tc.want {
			t.Errorf("UnitDecimals(%d, %q, %q) = %d, want %d", tc.d, tc.from, tc.to, got, tc.want)
		}
	}
}

func TestScaledUnit(t *testing.T) {
	tests := []struct {
		base  string
		scale float64
		want  string
		ok    bool
	}{
		{"USD", 1, "USD", true},
		{"USD", 1e3, "USD thousand", true},
		{"KZT", 1e6, "KZT million", true},
		{"EUR", 1e9, "EUR billion", true},
		{"USD", 1e2, "", false},
		{"USD", 1e12, "", false},
	}
	for _, tc := range tests {
		got, ok := stats.ScaledUnit(tc.base, tc.scale)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ScaledUnit(%q, %g) = %q, %v, want %q, %v", tc.base, tc.scale, got, ok, tc.want, tc.ok)
		}
		if ok {
			if b, s := stats.SplitUnit(got); b != tc.base || s != tc.scale {
				t.Errorf("SplitUnit(%q) = %q, %g, want %q, %g", got, b, s, tc.base, tc.scale)
			}
		}
	}
}
