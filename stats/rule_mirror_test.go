package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestMirrorMessage checks appendMirrorMessage against the fmt.Sprintf it
// stands for, on gaps of both signs and around zero, values of any
// precision and sources that need quoting.
func TestMirrorMessage(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	sources := []string{"BNS", "IMF DOTS", `Bureau "National", KAZ`, "Росстат", "tab\there", "", `back\slash`, "del\x7f", "~ tilde", "bad \xff byte"}
	units := []string{"USD million", "USD thousand", "EUR"}
	gaps := []float64{0.26, -0.26, 0.004, -0.004, -0.0051, 0.005, 1e6, -1e6, math.Copysign(0, -1), 12.3456, -0.2547, 0.2549, 0.2504, 0.100004, math.Inf(1)}
	figure := func(rep, par string) *fig {
		v := Value{Num: float64(rng.IntN(2000000)-1000000) / 100, Decimals: rng.IntN(6) - 2, Valid: true}
		unit := units[rng.IntN(len(units))]
		return &fig{seriesEntry: &seriesEntry{seriesKey: seriesKey{Key: Key{Reporter: rep, Partner: par, Indicator: "imports"}, Source: sources[rng.IntN(len(sources))]}, unit: &unit},
			num: v.Num, dec: decOf(v)}
	}
	for i := range 2000 {
		gap := gaps[i%len(gaps)]
		if i >= len(gaps) {
			gap = rng.NormFloat64()
		}
		m, x := figure("ARM", "KAZ"), figure("KAZ", "ARM")
		factor := []float64{1.06, 1, 1.1, 0.995}[rng.IntN(4)]
		threshold := []float64{0.25, 0.1}[rng.IntN(2)]
		// A whole percent that would read as within the threshold has a
		// decimal; no exports against imports is no percent.
		dec := 0
		for dec < 4 {
			if v, _ := strconv.ParseFloat(fmt.Sprintf("%.*f", dec, gap*100), 64); math.Abs(v) > threshold*100 {
				break
			}
			dec++
		}
		what := fmt.Sprintf("mirror gap of %+.*f%%", dec, gap*100)
		if math.IsInf(gap, 0) {
			what = "mirror gap (no exports against imports)"
		}
		want := fmt.Sprintf("%s: %s imports from %s %s %s (%q), but %s reports exports to %s %s %s (%q), × %.2f CIF/FOB",
			what, m.Reporter, m.Partner, m.Value(), m.Unit(), m.Source, x.Reporter, x.Partner, x.Value(), x.Unit(), x.Source, factor)
		if got := string(appendMirrorMessage(nil, gap, threshold, m, x, factor)); got != want {
			t.Fatalf("appendMirrorMessage:\n%s\nwant\n%s", got, want)
		}
	}
}

// TestAppendQuoted checks appendQuoted against strconv.Quote on every
// byte, alone and among plain text.
func TestAppendQuoted(t *testing.T) {
	for c := range 256 {
		for _, s := range []string{string(rune(c)), string([]byte{byte(c)}), "Bureau " + string([]byte{byte(c)}) + " KAZ"} {
			if got, want := string(appendQuoted([]byte("x"), s)), "x"+strconv.Quote(s); got != want {
				t.Errorf("appendQuoted(%q) = %s, want %s", s, got, want)
			}
		}
	}
}

// TestMirrorBounded checks that a bounded list of mirror findings, which
// checkMirror gathers and makes in the order of their rows, is the first
// of all of them in the order of SortFindings, whole (rows, numbers,
// messages), and that the rest are counted: on three files, the exports
// in one and the imports in two, whose lines do not follow the order of
// the files, and on a file of exports from three sources, so that an
// imports row has three findings whose messages decide their order.
func TestMirrorBounded(t *testing.T) {
	head := "reporter,partner,indicator,period,value,unit,source\n"
	var exports, importsA, importsB, three strings.Builder
	for _, b := range []*strings.Builder{&exports, &importsA, &importsB, &three} {
		b.WriteString(head)
	}
	// Rows that no mirror reads, so that the lines of the first file of
	// imports come after those of the second.
	for m := 1; m <= 12; m++ {
		fmt.Fprintf(&importsA, "DEU,FRA,exports,2023-%02d,1.0,USD million,NSO\n", m)
	}
	for m := 1; m <= 12; m++ {
		for i, p := range []string{"ARM", "RUS", "CHN", "TUR"} {
			// Gaps above the threshold everywhere, of sizes that differ.
			fmt.Fprintf(&exports, "KAZ,%s,exports,2023-%02d,%d.0,USD million,BNS\n", p, m, 10+m+i)
			imports := &importsA
			if i >= 2 {
				imports = &importsB
			}
			fmt.Fprintf(imports, "%s,KAZ,imports,2023-%02d,%d.0,USD million,NSO\n", p, m, 30+2*m+i)
			// Exports from three sources, which all compare with one
			// imports row: the messages, not the order they are found
			// in, decide between them.
			fmt.Fprintf(&three, "KAZ,%s,exports,2023-%02d,%d.0,USD million,BNS\n", p, m, 100+m+i)
			fmt.Fprintf(&three, "%s,KAZ,imports,2023-%02d,%d.0,USD million,NSO\n", p, m, 30+2*m+i)
			fmt.Fprintf(&three, "KAZ,%s,exports,2023-%02d,%d.0,USD million,IMF\n", p, m, 10+m+i)
			fmt.Fprintf(&three, "KAZ,%s,exports,2023-%02d,%d.0,USD million,WTO\n", p, m, 3+i)
		}
	}
	only := &Config{Rules: map[string]RuleConfig{}}
	for _, r := range builtinRules {
		if r.ID != "mirror" {
			only.Rules[r.ID] = RuleConfig{Disabled: true}
		}
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
	}{
		{"three files", map[string]string{"c_exports.csv": exports.String(), "a_imports.csv": importsA.String(), "b_imports.csv": importsB.String()}},
		{"three sources", map[string]string{"three.csv": three.String()}},
	} {
		ds := &Dataset{}
		var names []string
		for name, text := range tc.files {
			names = append(names, name)
			d, err := Load(strings.NewReader(text), name, LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			ds.Merge(d)
		}
		slices.Sort(names)
		all := Check(ds, only)
		if len(all) < 40 {
			t.Fatalf("%s: %d mirror findings, want at least 40", tc.name, len(all))
		}
		for _, max := range []int{1, 2, 3, 7, len(all) - 1, len(all), len(all) + 5} {
			cfg := *only
			cfg.MaxFindings = max
			want := limitTo(t, ds, all, &cfg)
			var in []Input
			for _, name := range names {
				in = append(in, Input{name, strings.NewReader(tc.files[name])})
			}
			got, err := CheckInputs(in, LoadOptions{}, &cfg)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Findings, want) {
				t.Errorf("%s, at most %d: got\n%v\nwant\n%v", tc.name, max, got.Findings, want)
			}
		}
	}
}

// BenchmarkMirrorFinding makes the finding of a mirror gap: a check of
// the synthetic 1M rows makes 10,000 of them in its first year, the first
// Config.MaxFindings, before any other is known.
func BenchmarkMirrorFinding(b *testing.B) {
	unit, file := "USD million", &fileName{name: "trade.csv"}
	entry := func(rep, par, ind string) *seriesEntry {
		return &seriesEntry{seriesKey: seriesKey{Key: Key{Reporter: rep, Partner: par, Indicator: ind}, Source: "Bureau of National Statistics, KAZ"}, unit: &unit, file: file}
	}
	p, _ := ParsePeriod("1995-03")
	m := &fig{seriesEntry: entry("ARM", "KAZ", "imports"), num: 20, dec: 1, Period: p, line: 1042, col: 24}
	x := &fig{seriesEntry: entry("KAZ", "ARM", "exports"), num: 35, dec: 1, Period: p, line: 17, col: 24}
	b.ReportAllocs()
	for b.Loop() {
		want, got, gap, _ := mirrorGap(m, x, 1.06)
		if f := mirrorFinding(m, x, want, got, gap, 0.25, 1.06); f.Message == "" {
			b.Fatal("no message")
		}
	}
}

// TestMirrorAtThreshold checks that a gap of exactly the threshold in the
// figures' decimals is not reported, whichever way floating point rounds
// it, and that one a last digit beyond it is: exports from 0.1 to 200.0,
// against imports of exactly 1.06 × 0.75 or 1.06 × 1.25 of them where
// the decimals hold it, and a tenth beyond.
func TestMirrorAtThreshold(t *testing.T) {
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	var codes []string        // made-up partners, one a pair
	want := map[string]bool{} // the partners whose gap is beyond
	add := func(x, m int, beyond bool) {
		// x and m in hundredths and tenths of a USD million.
		n := len(codes)
		p := fmt.Sprintf("Q%c%c", 'A'+n/26%26, 'A'+n%26)
		codes = append(codes, p)
		fmt.Fprintf(&b, "KAZ,%s,exports,2023,%d.%02d,USD million,BNS\n", p, x/100, x%100)
		fmt.Fprintf(&b, "%s,KAZ,imports,2023,%d.%d,USD million,NSO\n", p, m/10, m%10)
		if beyond {
			want[p] = true
		}
	}
	for x := 10; x <= 20000; x += 10 { // 0.10 to 200.00
		// 1.06 × x hundredths × 3/4 or 5/4, in tenths: whole when x·1.06·k
		// is.
		for _, k := range [][2]int{{3, 4}, {5, 4}} {
			num := x * 106 * k[0] // in 1/(100·100·k[1]) of a million
			den := 100 * 100 * k[1] / 10
			if num%den != 0 {
				continue
			}
			m := num / den
			add(x, m, false)
			if k[0] < k[1] {
				add(x, m-1, true)
			} else {
				add(x, m+1, true)
			}
		}
	}
	if len(codes) < 100 || len(codes) > 676 {
		t.Fatalf("%d pairs at the threshold: want from 100 to 676", len(codes))
	}
	ds, err := Load(strings.NewReader(b.String()), "edge.csv", LoadOptions{Codes: codes})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range Check(ds, &Config{}) {
		if f.Rule == "mirror" {
			p, _, _ := strings.Cut(f.Series, "–")
			got[p] = true
		}
	}
	for p := range want {
		if !got[p] {
			t.Errorf("%s: a gap a tenth beyond the threshold is not reported", p)
		}
	}
	for p := range got {
		if !want[p] {
			t.Errorf("%s: a gap of exactly the threshold is reported", p)
		}
	}
}
