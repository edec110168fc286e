package stats

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// randomOpts says what randomCSV puts in.
type randomOpts struct {
	late, problems, multiline, crlf, bom bool
	// inOrder keeps the rows of a year in the order of the series, as
	// files written period by period have them, so that series come in
	// the same order year after year.
	inOrder bool
}

// randomCSV returns a small year-ordered tidy CSV drawn from rng: a pool of
// series that recur across years with months, quarters, years, intervals
// and days in any order within a year, missing values, duplicates, other
// units, notes with commas, quotes and (o.multiline) line breaks, and
// (o.problems) rows that do not parse; with o.late, some rows, or a whole
// year, come after rows of later years; without o.inOrder, the rows of a
// year are shuffled.
func randomCSV(rng *rand.Rand, o randomOpts) []byte {
	type row struct {
		year int
		text string
	}
	var rows, lateRows []row
	reps := []string{"KAZ", "ARM", "RUS", "CHN", "BLR", "WLD"}
	parts := []string{"ARM", "KAZ", "WLD", "RUS", "EAEU", "CHN", "BLR", "TUR"}
	inds := []string{"exports", "imports", "turnover", "balance", "exports", "imports"}
	srcs := []string{"BNS", "IMF", "BNS"}
	units := []string{"USD million", "EUR million", "USD thousand"}
	pick := func(ss []string) string { return ss[rng.IntN(len(ss))] }
	note := func() string {
		switch rng.IntN(10) {
		case 0:
			if o.multiline {
				return "\"a\nmulti, \"\"line\"\"\n\nnote\""
			}
		case 1:
			return "\"x,y\""
		case 2:
			return strings.Repeat("n", rng.IntN(200))
		}
		return ""
	}
	// a fixed pool of series, so that series recur across years
	type ser struct{ r, p, ind, src, unit string }
	var pool []ser
	for range 2 + rng.IntN(7) {
		r, p := pick(reps), pick(parts)
		if r == p {
			continue
		}
		pool = append(pool, ser{r, p, pick(inds), pick(srcs), "USD million"})
	}
	y0 := 2015 + rng.IntN(3)
	ny := 1 + rng.IntN(5)
	for y := y0; y < y0+ny; y++ {
		var yr []row
		for _, s := range pool {
			if rng.IntN(4) == 0 {
				continue
			}
			var pers []string
			mode := rng.IntN(6)
			if mode <= 2 {
				lo, hi := 1, 12
				if rng.IntN(3) == 0 {
					lo = 1 + rng.IntN(12)
				}
				if rng.IntN(3) == 0 {
					hi = lo + rng.IntN(13-lo)
				}
				for m := lo; m <= hi; m++ {
					if rng.IntN(6) > 0 {
						pers = append(pers, fmt.Sprintf("%d-%02d", y, m))
					}
				}
			}
			if mode >= 2 && mode != 5 {
				for q := 1; q <= 4; q++ {
					if rng.IntN(3) > 0 {
						pers = append(pers, fmt.Sprintf("%d-Q%d", y, q))
					}
				}
			}
			if rng.IntN(3) == 0 || mode == 5 {
				pers = append(pers, fmt.Sprint(y))
			}
			if rng.IntN(8) == 0 {
				pers = append(pers, fmt.Sprintf("%d-01/%d-06", y, y))
			}
			if rng.IntN(10) == 0 {
				pers = append(pers, fmt.Sprintf("%d-03-%02d", y, 1+rng.IntN(28)))
			}
			rng.Shuffle(len(pers), func(i, j int) { pers[i], pers[j] = pers[j], pers[i] })
			unit := s.unit
			if rng.IntN(8) == 0 {
				unit = pick(units)
			}
			for _, per := range pers {
				v := fmt.Sprintf("%d.%d", rng.IntN(100)-5, rng.IntN(10))
				if rng.IntN(12) == 0 {
					v = ""
				}
				t := fmt.Sprintf("%s,%s,%s,%s,%s,%s,%s,%s", s.r, s.p, s.ind, per, v, unit, s.src, note())
				yr = append(yr, row{y, t})
				if rng.IntN(20) == 0 {
					yr = append(yr, row{y, t})
				}
				if o.problems && rng.IntN(25) == 0 {
					bad := []string{
						fmt.Sprintf("%s,XXX,%s,%s,1,USD million,BNS,", s.r, s.ind, per),
						fmt.Sprintf("%s,%s,%s,%d-13,1,USD million,BNS,", s.r, s.p, s.ind, y),
						fmt.Sprintf("%s,%s,%s,%s,1x,USD million,BNS,", s.r, s.p, s.ind, per),
						fmt.Sprintf("%s,%s,%s,%s,1,USD million,BNS", s.r, s.p, s.ind, per),
						fmt.Sprintf("%s,%s,%s,%s,1,USD million,BNS,a\"b", s.r, s.p, s.ind, per),
						fmt.Sprintf("%s,%s,exprots,%s,1,USD million,BNS,", s.r, s.p, per),
						"",
					}
					yr = append(yr, row{y, pick(bad)})
				}
			}
		}
		rng.Shuffle(len(yr), func(i, j int) {
			if !o.inOrder && rng.IntN(4) == 0 {
				yr[i], yr[j] = yr[j], yr[i]
			}
		})
		if o.late {
			whole := rng.IntN(6) == 0 // the whole year comes late
			var keep []row
			for _, r := range yr {
				if whole || rng.IntN(15) == 0 {
					lateRows = append(lateRows, r)
				} else {
					keep = append(keep, r)
				}
			}
			yr = keep
			// some earlier late rows now
			var still []row
			for _, lr := range lateRows {
				if lr.year < y && rng.IntN(3) == 0 {
					yr = append(yr, lr)
				} else {
					still = append(still, lr)
				}
			}
			lateRows = still
		}
		rows = append(rows, yr...)
	}
	rng.Shuffle(len(lateRows), func(i, j int) {
		if rng.IntN(2) == 0 {
			lateRows[i], lateRows[j] = lateRows[j], lateRows[i]
		}
	})
	rows = append(rows, lateRows...)
	nl := "\n"
	if o.crlf {
		nl = "\r\n"
	}
	var b strings.Builder
	if o.bom {
		b.WriteString("\xef\xbb\xbf")
	}
	b.WriteString("reporter,partner,indicator,period,value,unit,source,note" + nl)
	for _, r := range rows {
		b.WriteString(strings.ReplaceAll(r.text, "\n", nl) + nl)
	}
	return []byte(b.String())
}

// TestCheckStreamRandom compares CheckStream with Load and Check on
// random year-ordered data, with chunks of several sizes and a small limit
// on the findings listed: the same findings, observations and rows.
func TestCheckStreamRandom(t *testing.T) {
	seeds := uint64(300)
	if testing.Short() {
		seeds = 40
	}
	late, gaveUp := 0, 0
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(seed, 5))
		o := randomOpts{late: rng.IntN(2) == 0, problems: rng.IntN(2) == 0, multiline: rng.IntN(2) == 0, crlf: rng.IntN(3) == 0, bom: rng.IntN(4) == 0}
		o.inOrder = seed%3 == 0
		in := randomCSV(rng, o)
		ds, err := Load(bytes.NewReader(in), "in.csv", LoadOptions{})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		want := Check(ds, nil)
		limited := &Config{MaxFindings: 3}
		wantLimited := limitTo(t, ds, want, limited)
		for _, n := range []int{64, 4 << 20} {
			withChunkSize(t, n, func() {
				got, err := CheckStream(bytes.NewReader(in), "in.csv", LoadOptions{}, nil)
				if err != nil {
					t.Fatalf("seed %d, chunks of %d: %v", seed, n, err)
				}
				if got.Late > 0 {
					late++
				}
				if got.Observations != len(ds.Obs) || got.Rows != ds.Rows {
					t.Errorf("seed %d, chunks of %d: %d observations of %d rows, want %d of %d", seed, n, got.Observations, got.Rows, len(ds.Obs), ds.Rows)
				}
				diffFindings(t, got.Findings, want)
				// With a bounded list, late rows that take back a listed
				// finding make CheckStream give up, and CheckInputs go
				// through the files of the years.
				got, err = CheckStream(bytes.NewReader(in), "in.csv", LoadOptions{}, limited)
				if errors.Is(err, ErrNotYearOrder) {
					gaveUp++
				} else if err != nil {
					t.Fatal(err)
				} else {
					diffFindings(t, got.Findings, wantLimited)
				}
				got, err = CheckInputs([]Input{{"in.csv", bytes.NewReader(in)}}, LoadOptions{}, limited)
				if err != nil {
					t.Fatal(err)
				}
				diffFindings(t, got.Findings, wantLimited)
			})
		}
		if t.Failed() {
			t.Fatalf("seed %d (options %+v)", seed, o)
		}
	}
	if late == 0 {
		t.Error("no input had late rows: the test proves less than it says")
	}
	t.Logf("%d checks with late rows; CheckStream gave up on %d with a bounded list", late, gaveUp)
}

// TestCheckParallel checks that the rows sorted into their series on every
// core, and the rules that check their series in parts on every core (see
// inParts), give the findings of one core, in the same order, on random
// data whose rows come out of order, repeat periods and miss values:
// checked whole and a year at a time, with every finding listed and with
// a few of each rule.
func TestCheckParallel(t *testing.T) {
	defer func(n int) { parallelRows = n }(parallelRows)
	texts := func(fs []Finding) []string {
		out := make([]string, len(fs))
		for i := range fs {
			out[i] = fs[i].Text()
		}
		return out
	}
	for seed := range uint64(100) {
		rng := rand.New(rand.NewPCG(seed, 11))
		in := randomCSV(rng, randomOpts{late: rng.IntN(2) == 0, problems: rng.IntN(2) == 0})
		ds, err := Load(bytes.NewReader(in), "in.csv", LoadOptions{})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		for _, cfg := range []*Config{nil, {MaxFindings: 3}} {
			for name, check := range wholeAndByYear(t, ds, in, cfg) {
				parallelRows = math.MaxInt
				want := check()
				parallelRows = 1
				got := check()
				if !slices.Equal(texts(got), texts(want)) {
					diffFindings(t, got, want)
					t.Fatalf("seed %d, %s, %+v: the findings of every core are not those of one, in order", seed, name, cfg)
				}
			}
		}
	}
}

// wholeAndByYear returns the checks of in, loaded as ds, with cfg: whole
// (Check) and a year at a time (CheckInputs), by name.
func wholeAndByYear(t *testing.T, ds *Dataset, in []byte, cfg *Config) map[string]func() []Finding {
	t.Helper()
	return map[string]func() []Finding{
		"whole": func() []Finding { return Check(ds, cfg) },
		"a year at a time": func() []Finding {
			got, err := CheckInputs([]Input{{"in.csv", bytes.NewReader(in)}}, LoadOptions{}, cfg)
			if err != nil {
				t.Fatal(err)
			}
			return got.Findings
		},
	}
}
