package stats_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tradedesk/report/stats"
)

func TestParseValue(t *testing.T) {
	tests := []struct {
		in       string
		want     stats.Value
		wantHint string
	}{
		{in: "33.3", want: stats.NewValue(33.3, 1)},
		{in: "6", want: stats.NewValue(6, 0)},
		{in: "-5", want: stats.NewValue(-5, 0)},
		{in: "0.00761", want: stats.NewValue(0.00761, 5)},
		{in: "97774894.6", want: stats.NewValue(97774894.6, 1)},
		{in: "123456789012345.6", want: stats.NewValue(123456789012345.6, 1)},
		{in: "0.000000000000000012345678901234", want: stats.NewValue(0.000000000000000012345678901234, 30)},
		// 16 or 17 significant digits as a program prints a float64.
		{in: "33.300000000000004", want: stats.NewValue(33.300000000000004, 15)},
		{in: "-0.30000000000000004", want: stats.NewValue(-0.30000000000000004, 17)},
		{in: "33.300000000000000000000000000000000000000000000", want: stats.NewValue(33.3, 45)},
		{in: "0.300000000000000040000", want: stats.NewValue(0.30000000000000004, 21)},
		{in: "100000000000000000000000", want: stats.NewValue(1e23, 0)},
		{in: "33.299999999999997", want: stats.NewValue(33.3, 15)}, // %.17g
		{in: "9007199254740993", wantHint: "read as 9007199254740992"},
		{in: "33.300000000000000000000000000000000000000000001", wantHint: "47 significant digits"},
		{in: "12345678901234567.5", wantHint: "18 significant digits"},
		{in: "99999999999999999999999", wantHint: "23 significant digits"},
		{in: "0.12345678901234567891", wantHint: "20 significant digits"},
		{in: "1.234,5", wantHint: "write 1234.5"},
		{in: "1.234.567,89", wantHint: "write 1234567.89"},
		{in: "", want: stats.Value{}},
		{in: "33,3", wantHint: "decimal comma"},
		{in: "1,435", wantHint: "1435 or 1.435"},
		{in: "1,435,000", wantHint: "write 1435000"},
		{in: "1 435", wantHint: "write 1435"},
		{in: "1\u00a0435,5", wantHint: "write 1435.5"},
		{in: "53.1*", wantHint: "footnote"},
		{in: "..", wantHint: "status M"},
		{in: "x", wantHint: "status M"},
		{in: "-", wantHint: "status M"},
		{in: "n/a", wantHint: "status M"},
		{in: "+5", wantHint: "plus"},
		{in: "(5)", wantHint: "-5"},
		{in: "1e3", wantHint: "exponent"},
		{in: ".5", wantHint: "0.5"},
		{in: "5.", wantHint: "decimal number"},
		{in: "abc", wantHint: "decimal number"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := stats.ParseValue(tc.in)
			if tc.wantHint != "" {
				if !errors.Is(err, stats.ErrBadNumber) || !strings.Contains(err.Error(), tc.wantHint) {
					t.Fatalf("ParseValue(%q) = %v, %v; want ErrBadNumber with %q", tc.in, got, err, tc.wantHint)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseValue(%q): %v", tc.in, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseValue(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
			if len(tc.in) <= 16 && tc.in != "" && got.String() != tc.in {
				t.Errorf("ParseValue(%q).String() = %q", tc.in, got.String())
			}
		})
	}
}

func iv(t *testing.T, s string) stats.Interval {
	t.Helper()
	v, err := stats.ParseValue(s)
	if err != nil {
		t.Fatal(err)
	}
	return v.Interval()
}

func TestIntervalArithmetic(t *testing.T) {
	tests := []struct {
		name string
		a, b stats.Interval
		want bool
	}{
		{"33.3+19.8=53.1", iv(t, "33.3").Add(iv(t, "19.8")), iv(t, "53.1"), true},
		{"33.3+19.8=53.2", iv(t, "33.3").Add(iv(t, "19.8")), iv(t, "53.2"), true},
		{"33.3+19.8≠53.4", iv(t, "33.3").Add(iv(t, "19.8")), iv(t, "53.4"), false},
		{"6=2×3", iv(t, "6"), stats.Exact(2).Mul(iv(t, "3")), true},
		{"7=2×3", iv(t, "7"), stats.Exact(2).Mul(iv(t, "3")), true},
		{"8≠2×3", iv(t, "8"), stats.Exact(2).Mul(iv(t, "3")), false},
		{"35.0−68.7=−33.7", iv(t, "35.0").Sub(iv(t, "68.7")), iv(t, "-33.7"), true},
		{"−33.9≠35.0−68.7", iv(t, "35.0").Sub(iv(t, "68.7")), iv(t, "-33.9"), false},
		// Figures of a trillion, in USD: their intervals allow 1.5, and
		// the rounding of float64 is a ten-thousandth.
		{"6e11+4e11=1e12+1", iv(t, "600000000000").Add(iv(t, "400000000000")), iv(t, "1000000000001"), true},
		{"6e11+4e11≠1e12+2", iv(t, "600000000000").Add(iv(t, "400000000000")), iv(t, "1000000000002"), false},
		{"6e11+4e11≠1e12+500", iv(t, "600000000000").Add(iv(t, "400000000000")), iv(t, "1000000000500"), false},
		{"0.000003+0.000002=0.000006", iv(t, "0.000003").Add(iv(t, "0.000002")), iv(t, "0.000006"), true},
		{"0.000003+0.000002≠0.000007", iv(t, "0.000003").Add(iv(t, "0.000002")), iv(t, "0.000007"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.a.Meets(tc.b); got != tc.want {
				t.Errorf("%v.Meets(%v) = %v; want %v", tc.a, tc.b, got, tc.want)
			}
		})
	}
	q, ok := iv(t, "6").Div(iv(t, "3"))
	if !ok || q.Lo > 2 || q.Hi < 2 || q.Lo < 5.5/3.5-1e-12 || q.Hi > 6.5/2.5+1e-12 {
		t.Errorf("6 ÷ 3 = %v, %v; want [5.5/3.5, 6.5/2.5]", q, ok)
	}
	if _, ok := iv(t, "6").Div(iv(t, "0")); ok {
		t.Errorf("6 ÷ 0 succeeded; want false")
	}
}

func TestTolerance(t *testing.T) {
	tests := []struct {
		tol      string
		expected stats.Interval
		actual   stats.Interval
		want     bool
	}{
		{"rounding", iv(t, "53.1"), iv(t, "53.2"), true},
		{"0.5", stats.Exact(53.1), stats.Exact(53.5), true},
		{"0.5", stats.Exact(53.1), stats.Exact(53.7), false},
		{"1%", stats.Exact(100), stats.Exact(101), true},
		{"1%", stats.Exact(100), stats.Exact(101.5), false},
	}
	for _, tc := range tests {
		tol, err := stats.ParseTolerance(tc.tol)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, got := tol.Equal(tc.expected, tc.actual); got != tc.want {
			t.Errorf("Tolerance(%s).Equal(%v, %v) = %v; want %v", tc.tol, tc.expected, tc.actual, got, tc.want)
		}
		if tol.String() != tc.tol {
			t.Errorf("ParseTolerance(%q).String() = %q", tc.tol, tol)
		}
	}
	for _, bad := range []string{"abc", "-1", "x%"} {
		if _, err := stats.ParseTolerance(bad); err == nil {
			t.Errorf("ParseTolerance(%q) succeeded; want an error", bad)
		}
	}
}

// TestHalfWidthTable gives the same half widths from the table of common
// decimals as math.Pow does, to the bit, at its ends and beyond.
func TestHalfWidthTable(t *testing.T) {
	for d := -40; d <= 60; d++ {
		got := stats.Value{Num: 1, Decimals: d, Valid: true}.HalfWidth()
		if want := 0.5 * math.Pow(10, -float64(d)); math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("decimals %d: half width %g, want %g", d, got, want)
		}
	}
}

// TestFixedDecimals checks the decimals a number worked out from figures
// is shown with: those asked for, but no more than leave 15 significant
// digits, counted from the first that is not zero.
func TestFixedDecimals(t *testing.T) {
	for _, tc := range []struct {
		x        float64
		decimals int
		want     int
		text     string
	}{
		{33.3, 1, 1, "33.3"},
		{803703.14925, 5, 5, "803703.14925"},
		{462599.3935, 45, 9, "462599.393500000"},
		{9, 45, 14, "9.00000000000000"},
		{0.000123, 30, 18, "0.000123000000000000"},
		{-462599.3935, 45, 9, "-462599.393500000"},
		{1e15, 2, 0, "1000000000000000"},
		{1e20, 3, 0, "100000000000000000000"},
		{0, 45, 45, "0.000000000000000000000000000000000000000000000"},
		{2.5, 0, 0, "2"},
		{math.Inf(1), 3, 3, "+Inf"},
	} {
		if got := stats.FixedDecimals(tc.x, tc.decimals); got != tc.want {
			t.Errorf("FixedDecimals(%g, %d) = %d, want %d", tc.x, tc.decimals, got, tc.want)
		}
		if got := stats.FormatFixed(tc.x, tc.decimals); got != tc.text {
			t.Errorf("FormatFixed(%g, %d) = %q, want %q", tc.x, tc.decimals, got, tc.text)
		}
	}
}

// TestValueStringLong checks that a value of more digits than a float64
// tells apart is written as it was read, not with the digits of its
// binary fraction: 1e23 is 99999999999999991611392 to strconv's 'f'.
func TestValueStringLong(t *testing.T) {
	for _, s := range []string{
		"100000000000000000000000", "-100000000000000000000000.00",
		"33.300000000000000000000000000000000000000000000",
		"0.30000000000000004", "-0.30000000000000004", "18014398509481984", "33.299999999999997",
		"0.000000000000000012345678901234", "123456789012345.6", "33.3", "0", "-0",
	} {
		v, err := stats.ParseValue(s)
		if err != nil {
			t.Errorf("ParseValue(%q): %v", s, err)
			continue
		}
		if got := v.String(); got != s {
			t.Errorf("ParseValue(%q).String() = %q", s, got)
		}
	}
	if got := stats.FormatFixed(1e23, 0); got != "100000000000000000000000" {
		t.Errorf("FormatFixed(1e23, 0) = %q", got)
	}
}

// TestTurnoverOfManyDigits checks that the allowance for binary rounding
// stays below the differences that figures of eleven digits and more can
// tell (a year's trade in tenge), where 10⁻¹³ of them let a turnover of
// 62000000000006 against 62000000000000 pass, its tolerance 1.5, or one
// 0.001 beyond what its terms allow; and that intervals that touch still
// meet.
func TestTurnoverOfManyDigits(t *testing.T) {
	tests := []struct {
		exports, imports, turnover string
		holds                      bool
	}{
		{"35000000000000", "27000000000000", "62000000000006", false},
		{"35000000000000", "27000000000000", "62000000000002", false},
		{"35000000000000", "27000000000000", "62000000000001", true},
		// Intervals that touch, at the edge: [61999999999999.45,
		// 62000000000000.55] and [62000000000000.55, …].
		{"35000000000000", "27000000000000.0", "62000000000000.6", true},
		{"35000000000000", "27000000000000.0", "62000000000000.7", false},
		{"350000000000", "270000000000.0", "620000000000.6", true},
		{"350000000000", "270000000000.0", "620000000000.7", false},
		// 0.001 beyond: 3482883256 + 9135553243.776 allows at most
		// 12618436500.2765, and 12618436500.278 at least 12618436500.2775.
		{"3482883256", "9135553243.776", "12618436500.278", false},
		{"3482883256", "9135553243.776", "12618436500.277", true},
		{"1", "1.0", "2.6", true},
		{"1", "1.0", "2.7", false},
		{"33.3", "19.8", "53.2", true},
		{"33.3", "19.8", "53.25", false},
	}
	for _, tc := range tests {
		csv := "reporter,partner,indicator,period,value,unit,source\n" +
			"KAZ,ARM,exports,2023," + tc.exports + ",KZT,S\n" +
			"KAZ,ARM,imports,2023," + tc.imports + ",KZT,S\n" +
			"KAZ,ARM,turnover,2023," + tc.turnover + ",KZT,S\n"
		ds, err := stats.Load(strings.NewReader(csv), "t.csv", stats.LoadOptions{})
		if err != nil || len(ds.Problems) > 0 {
			t.Fatalf("%s: %v %v", tc.turnover, err, ds.Problems)
		}
		found := false
		for _, f := range stats.Check(ds, nil) {
			found = found || f.Rule == "turnover"
		}
		if found == tc.holds {
			t.Errorf("%s + %s = %s: a finding %v, want %v", tc.exports, tc.imports, tc.turnover, found, !tc.holds)
		}
	}
}
