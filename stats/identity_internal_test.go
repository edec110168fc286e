package stats

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// identityCSV returns a tidy CSV drawn from rng whose turnover and balance
// mostly hold: exports, imports, turnover and balance of a few pairs and
// sources by month, at various decimals, the targets off by nothing, by
// their rounding exactly, by a hair more or by much, in the order of
// periods with a pair's rows side by side (as extracts have them), with
// some rows far from the others of their pair, shuffled, missing, doubled,
// without a value or in another unit.
func identityCSV(rng *rand.Rand) []byte {
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	type pair struct{ r, p, src string }
	var pairs []pair
	for _, r := range []string{"KAZ", "ARM", "RUS"}[:1+rng.IntN(3)] {
		for _, p := range []string{"CHN", "TUR", "WLD"}[:1+rng.IntN(3)] {
			for _, src := range []string{"BNS", "IMF"}[:1+rng.IntN(2)] {
				pairs = append(pairs, pair{r, p, src})
			}
		}
	}
	text := func(v float64, dec int) string { return strconv.FormatFloat(v, 'f', dec, 64) }
	var far []string // rows written at the end of their year
	shuffle := rng.IntN(6) == 0
	for y := 2021; y < 2021+1+rng.IntN(2); y++ {
		var year []string
		for m := 1; m <= 12; m++ {
			if rng.IntN(8) == 0 {
				continue // a month no pair has
			}
			per := fmt.Sprintf("%d-%02d", y, m)
			for _, p := range pairs {
				dx, dm := rng.IntN(3), rng.IntN(3)
				x := math.Round(rng.Float64()*1e4*math.Pow10(dx)) / math.Pow10(dx)
				im := math.Round(rng.Float64()*1e4*math.Pow10(dm)) / math.Pow10(dm)
				dt := rng.IntN(3)
				// The targets' half-width and their terms', which
				// rounding allows together.
				slack := 0.5 * (math.Pow10(-dt) + math.Pow10(-dx) + math.Pow10(-dm))
				off := func() float64 {
					switch rng.IntN(10) {
					case 0:
						return slack
					case 1:
						return -slack
					case 2:
						return slack * (1 + 1e-6)
					case 3:
						return 10 * slack
					}
					return 0
				}
				rows := []struct {
					ind string
					v   float64
					dec int
				}{
					{"exports", x, dx},
					{"imports", im, dm},
					{"turnover", x + im + off(), dt},
					{"balance", x - im + off(), dt},
				}
				rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
				for _, r := range rows {
					if rng.IntN(30) == 0 {
						continue
					}
					value, unit := text(r.v, r.dec), "USD million"
					switch rng.IntN(40) {
					case 0:
						value = ""
					case 1:
						value, unit = text(r.v*1000, r.dec), "USD thousand"
					}
					row := fmt.Sprintf("%s,%s,%s,%s,%s,%s,%s\n", p.r, p.p, r.ind, per, value, unit, p.src)
					switch rng.IntN(40) {
					case 0:
						far = append(far, row)
						continue
					case 1:
						year = append(year, row)
					}
					year = append(year, row)
				}
			}
		}
		if shuffle {
			rng.Shuffle(len(year), func(i, j int) { year[i], year[j] = year[j], year[i] })
		}
		for _, row := range append(year, far...) {
			b.WriteString(row)
		}
		far = far[:0]
	}
	return []byte(b.String())
}

// TestIdentityShortcuts checks the turnover and balance rules' findings,
// with the series checked in file order and the identities that surely
// hold passed at once (see identities), against those of every series
// checked a series at a time with every identity's intervals: the same
// findings in the same order, whole and a year at a time, on one core and
// in parts, listed all or bounded, with the tolerance of rounding and an
// absolute one.
func TestIdentityShortcuts(t *testing.T) {
	defer func(n int) { parallelRows, identityShortcuts = n, true }(parallelRows)
	found := 0
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 23))
		in := identityCSV(rng)
		ds, err := Load(bytes.NewReader(in), "in.csv", LoadOptions{})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		parallelRows = []int{1, math.MaxInt}[seed%2]
		only := map[string]RuleConfig{}
		for _, r := range builtinRules {
			if r.ID != "turnover" && r.ID != "balance" {
				only[r.ID] = RuleConfig{Disabled: true}
			}
		}
		absolute := map[string]RuleConfig{"balance": {Tolerance: Tolerance{Kind: Absolute, Amount: 0.05}}}
		for k, v := range only {
			absolute[k] = v
		}
		for _, cfg := range []*Config{{Rules: only}, {Rules: only, MaxFindings: 3}, {Rules: absolute}} {
			for name, check := range wholeAndByYear(t, ds, in, cfg) {
				found += len(bothWays(t, check, fmt.Sprintf("seed %d, %s, %+v, of\n%s", seed, name, cfg, in)))
			}
		}
	}
	if found == 0 {
		t.Fatal("no identity failed: the test checks nothing")
	}
}

// bothWays returns the findings of check without the shortcuts of
// identities, and fails the test, naming what, unless they are those with
// them.
func bothWays(t *testing.T, check func() []Finding, what string) []Finding {
	t.Helper()
	identityShortcuts = false
	want := check()
	identityShortcuts = true
	if got := check(); !reflect.DeepEqual(got, want) {
		diffFindings(t, got, want)
		t.Fatalf("%s: the shortcuts change the findings", what)
	}
	return want
}

// TestHoldsSurely checks that an identity holdsSurely passes holds by
// identity's intervals (Tolerance.Equal with rounding), on figures of every
// magnitude and number of decimals whose target is off by the rounding
// allowed, a little less or a little more, and where the terms cancel;
// and that it passes those well inside the rounding.
func TestHoldsSurely(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	passed, inside := 0, 0
	for range 200_000 {
		n := 1 + rng.IntN(3)
		terms := make([]term, n)
		figs := make([]fig, n+1)
		scale := math.Pow10(rng.IntN(15) - 3)
		sum, width := 0.0, 0.0
		for i := range terms {
			dec := rng.IntN(10) - 3
			v := math.Round(rng.Float64()*scale*math.Pow10(dec)) / math.Pow10(dec)
			if i > 0 && rng.IntN(4) == 0 {
				v = figs[0].num // terms that cancel
			}
			figs[i] = fig{num: v, dec: decOf(Value{Num: v, Decimals: dec, Valid: true})}
			terms[i] = term{&figs[i], []float64{1, -1}[rng.IntN(2)]}
			sum += terms[i].sign * v
			width += figs[i].Value().HalfWidth()
		}
		dec := rng.IntN(10) - 3
		width += Value{Decimals: dec}.HalfWidth()
		r := []float64{-1, -1e-3, -1e-9, -1e-12, 0, 1e-12, 1e-9, 1e-6, 1e-3}[rng.IntN(9)]
		off := width * (1 + r) * []float64{1, -1}[rng.IntN(2)]
		if r == -1 {
			off = (rng.Float64() - 0.5) * width // well inside
		}
		target := &figs[n]
		*target = fig{num: sum + off, dec: decOf(Value{Num: sum + off, Decimals: dec, Valid: true})}
		ok := holdsSurely(target, terms)
		exp := Exact(0)
		for _, tm := range terms {
			if tm.sign < 0 {
				exp = exp.Sub(tm.obs.Value().Interval())
			} else {
				exp = exp.Add(tm.obs.Value().Interval())
			}
		}
		if _, _, holds := (Tolerance{}).Equal(exp, target.Value().Interval()); ok && !holds {
			t.Fatalf("%v = Σ %v: holdsSurely passes what identity does not", target.Value(), terms)
		}
		if ok {
			passed++
		}
		if r == -1 && math.Abs(off) < width/4 && scale < 1e6 {
			inside++
			if !ok {
				t.Fatalf("%v = Σ %v, off by %g of %g: holdsSurely leaves to identity what holds well inside", target.Value(), terms, off, width)
			}
		}
	}
	if passed == 0 || inside == 0 {
		t.Fatalf("passed %d, %d well inside: the test checks nothing", passed, inside)
	}
}

// TestIdentityShortcutsTies checks the findings of two inputs of one name
// whose turnovers of two sources fail at the same line and column, alike
// but for the rows of their terms: the same, in the same order, with the
// shortcuts and without, whichever input comes first, listed all or one.
// The turnover rule finds them in the order of the file with the
// shortcuts and in the order of the sources without; SortFindings orders
// them by their rows (see compareRows).
func TestIdentityShortcutsTies(t *testing.T) {
	defer func() { identityShortcuts = true }()
	const head = "reporter,partner,indicator,period,value,unit,source\n"
	b := head + "KAZ,CHN,turnover,2023-01,10,USD million,B\nKAZ,CHN,exports,2023-01,1,USD million,B\nKAZ,CHN,imports,2023-01,1,USD million,B\n"
	a := head + "KAZ,CHN,turnover,2023-01,10,USD million,A\nKAZ,CHN,imports,2023-01,1,USD million,A\nKAZ,CHN,exports,2023-01,1,USD million,A\n"
	for _, files := range [][2]string{{b, a}, {a, b}} {
		for _, cfg := range []*Config{{}, {MaxFindings: 1}} {
			check := func() []Finding {
				got, err := CheckInputs([]Input{{"in.csv", strings.NewReader(files[0])}, {"in.csv", strings.NewReader(files[1])}}, LoadOptions{}, cfg)
				if err != nil {
					t.Fatal(err)
				}
				return got.Findings
			}
			want := bothWays(t, check, fmt.Sprintf("%+v", cfg))
			// The one listed, whatever the input's order: the rows
			// decide.
			i := slices.IndexFunc(want, func(f Finding) bool { return f.Numbers })
			if i < 0 || len(want[i].Rows) < 2 || want[i].Rows[1] != (Pos{File: "in.csv", Line: 3, Column: 25}) {
				t.Fatalf("%+v: the first finding listed is of %v, want the turnover whose exports are at in.csv:3:25", cfg, want)
			}
		}
	}
}
