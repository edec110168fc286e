package stats

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// yearOrdered writes the rows of the files as one CSV sorted by year
// (stable, so the rows of a year keep their order), leaving out periods
// that span the turn of a year, which CheckStream does not take.
func yearOrdered(t *testing.T, obs []Observation) []byte {
	t.Helper()
	var keep []Observation
	for _, o := range obs {
		if o.Period.Year() == o.Period.Last().Year() {
			keep = append(keep, o)
		}
	}
	slices.SortStableFunc(keep, func(a, b Observation) int { return cmp.Compare(a.Period.Year(), b.Period.Year()) })
	var b bytes.Buffer
	if err := WriteCSV(&b, keep); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// messy returns year-ordered data with something for every rule to find:
// months missing inside and at the ends of series, series that start and
// stop mid-year or go quiet for a year, a currency that changes in a later
// year, quarters and years that do or do not add up, duplicates, a second
// source, partner groups, shares, negative flows and rows that do not
// parse.
func messy(seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,status,source,note\n")
	codes := []string{"KAZ", "ARM", "RUS", "CHN"}
	row := func(r, p, ind, per string, v float64, unit, src string) {
		fmt.Fprintf(&b, "%s,%s,%s,%s,%.1f,%s,,%s,\n", r, p, ind, per, v, unit, src)
	}
	for y := 2018; y <= 2023; y++ {
		for _, r := range codes {
			var worldX, worldM [13]float64
			for _, p := range codes {
				if r == p {
					continue
				}
				unit := "USD million"
				if r == "RUS" && p == "CHN" && y >= 2022 {
					unit = "EUR million"
				}
				var sumX, sumM float64
				var qx [5]float64
				quiet := r == "ARM" && p == "CHN" && y == 2020
				for m := 1; m <= 12; m++ {
					if quiet || (r == "KAZ" && p == "RUS" && y == 2018 && m < 4) || (r == "CHN" && y == 2023 && m > 9) {
						continue
					}
					x := float64(rng.IntN(1000)) / 10
					im := float64(rng.IntN(1000)) / 10
					sumX += x
					sumM += im
					qx[(m+2)/3] += x
					worldX[m] += x
					worldM[m] += im
					if rng.IntN(40) == 0 {
						continue // a gap
					}
					per := fmt.Sprintf("%d-%02d", y, m)
					row(r, p, "exports", per, x, unit, "BNS")
					row(r, p, "imports", per, im, unit, "BNS")
					to := x + im
					if rng.IntN(30) == 0 {
						to += 5
					}
					row(r, p, "turnover", per, to, unit, "BNS")
					if rng.IntN(25) == 0 {
						row(r, p, "exports", per, x+float64(rng.IntN(3)), unit, "BNS") // duplicate
					}
					if rng.IntN(20) == 0 {
						row(r, p, "exports", per, x*1.2, unit, "IMF DOTS")
					}
					if rng.IntN(50) == 0 {
						row(r, p, "imports", per, -im, unit, "Customs")
					}
				}
				if y%2 == 0 {
					for q := 1; q <= 4; q++ {
						row(r, p, "exports", fmt.Sprintf("%d-Q%d", y, q), qx[q]+float64(rng.IntN(2)), unit, "BNS")
					}
				}
				if rng.IntN(3) > 0 {
					row(r, p, "exports", fmt.Sprint(y), sumX+float64(rng.IntN(3))*0.5, unit, "BNS")
					row(r, p, "exports", fmt.Sprintf("%d-01/%d-07", y, y), sumX*0.6, unit, "BNS")
				}
				if rng.IntN(4) == 0 {
					row(r, p, "imports", fmt.Sprint(y), sumM*0.9, unit, "BNS")
				}
			}
			for m := 1; m <= 12; m += 5 {
				per := fmt.Sprintf("%d-%02d", y, m)
				row(r, "WLD", "exports", per, worldX[m]*(0.8+float64(rng.IntN(3))/10), "USD million", "BNS")
				row(r, "WLD", "imports", per, worldM[m], "USD million", "BNS")
			}
		}
		fmt.Fprintf(&b, "KAZ,ARM,exports,%d-13,1,USD million,,BNS,\n", y)
		fmt.Fprintf(&b, "KAZ,XXQ,exports,%d-01,1,USD million,,BNS,\n", y)
	}
	return []byte(b.String())
}

// TestCheckStreamEqualsCheck checks year-ordered data with CheckStream and
// with Load and Check, cut into chunks of several sizes: the findings must
// be the same, finding for finding.
func TestCheckStreamEqualsCheck(t *testing.T) {
	inputs := map[string][]byte{}
	for seed := range uint64(4) {
		inputs[fmt.Sprintf("messy%d", seed)] = messy(seed)
	}
	// Series appended at the end, of years long checked: a new partner of
	// KAZ (in the sum of its world exports), a new indicator, a negative
	// figure, a month gap and a currency that changes.
	var late strings.Builder
	for y := 2023; y >= 2018; y-- {
		for m := 1; m <= 12; m++ {
			if m == 6 && y == 2020 {
				continue
			}
			unit := "USD million"
			if y == 2023 {
				unit = "EUR million"
			}
			fmt.Fprintf(&late, "KAZ,GEO,exports,%d-%02d,%d.5,%s,,BNS,\n", y, m, y-2000+m, unit)
		}
		fmt.Fprintf(&late, "KAZ,GEO,exports,%d,%d,USD million,,BNS,\n", y, 100+y-2000)
		fmt.Fprintf(&late, "KAZ,ARM,fdi_in_gross,%d,%d.0,USD million,,National Bank,\n", y, y-2019)
	}
	inputs["messy-late"] = append(messy(9), late.String()...)
	// A year with a quarter and no month of its own, in a series with a
	// month in another year, before it or after it.
	head := "reporter,partner,indicator,period,value,unit,source\n"
	inputs["quarter-month-before"] = []byte(head + "KAZ,CHN,exports,2015-01,1,USD million,BNS\nKAZ,CHN,exports,2016-Q4,1,USD million,BNS\nKAZ,CHN,exports,2016,19,USD million,BNS\n")
	inputs["quarter-month-after"] = []byte(head + "KAZ,CHN,exports,2016-Q4,1,USD million,BNS\nKAZ,CHN,exports,2016,19,USD million,BNS\nKAZ,CHN,exports,2017-01,1,USD million,BNS\n")
	// A last year that ends before December, as the current year does:
	// months without a gap, months with one inside, a gap of the year
	// before that the series closes, a series that begins in it, and one
	// whose January is missing.
	var last strings.Builder
	last.WriteString(head)
	months := func(y int, rp string, ms ...int) {
		for _, m := range ms {
			fmt.Fprintf(&last, "%s,exports,%d-%02d,%d.5,USD million,BNS\n", rp, y, m, m)
		}
	}
	all := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	months(2022, "KAZ,ARM", all...)
	months(2022, "KAZ,RUS", all...)
	months(2022, "KAZ,CHN", all[:10]...)
	months(2022, "KAZ,BLR", all...)
	months(2023, "KAZ,ARM", all[:9]...)
	months(2023, "KAZ,RUS", 1, 2, 4)
	months(2023, "KAZ,CHN", all[:6]...)
	months(2023, "KAZ,TUR", 5, 6, 7, 8)
	months(2023, "KAZ,BLR", all[1:7]...)
	inputs["last-year-partial"] = []byte(last.String())
	// A gap carried over two years its series misses (see
	// carry.ownGaps), closed when the series comes again, and one never
	// closed.
	last.Reset()
	last.WriteString(head)
	months(2021, "KAZ,ARM", all...)
	months(2021, "KAZ,GEO", all[:8]...)
	months(2021, "KAZ,UZB", all[:5]...)
	months(2022, "KAZ,ARM", all...)
	months(2023, "KAZ,ARM", all...)
	months(2024, "KAZ,ARM", all...)
	months(2024, "KAZ,GEO", all...)
	inputs["gap-over-a-year"] = []byte(last.String())
	// Rows of existing series moved to the end, and others repeated there
	// with another value.
	lines := strings.SplitAfter(string(messy(5)), "\n")
	var kept, moved []string
	for i, line := range lines {
		switch {
		case i > 0 && i%37 == 0 && !strings.Contains(line, ",2023"):
			moved = append(moved, line)
		case i > 0 && i%53 == 0:
			moved = append(moved, strings.Replace(line, ".", "9.", 1))
			kept = append(kept, line)
		default:
			kept = append(kept, line)
		}
	}
	inputs["messy-moved"] = []byte(strings.Join(append(kept, moved...), ""))
	files, _ := filepath.Glob(filepath.Join("..", "examples", "*", "*.csv"))
	files = append(files, filepath.Join("..", "data", "trade.csv"))
	for _, name := range files {
		ds, err := LoadFile(name, LoadOptions{Codes: []string{"EAEU", "CIS", "EU27"}})
		if err != nil {
			t.Fatal(err)
		}
		inputs[name] = yearOrdered(t, ds.Obs)
	}
	for name, in := range inputs {
		t.Run(filepath.Base(filepath.Dir(name))+"/"+filepath.Base(name), func(t *testing.T) {
			ds, err := Load(bytes.NewReader(in), "in.csv", LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want := Check(ds, nil)
			if name == "last-year-partial" {
				n := 0
				for _, f := range want {
					if f.Rule == "completeness" {
						n++
					}
				}
				if n != 3 {
					t.Errorf("%d completeness findings, want 3 (KAZ–RUS 2023, KAZ–CHN 2022, KAZ–BLR 2023)", n)
				}
			}
			if name == "gap-over-a-year" {
				var gaps []Finding
				for _, f := range want {
					if f.Rule == "completeness" {
						gaps = append(gaps, f)
					}
				}
				if len(gaps) != 1 || len(gaps[0].Rows) != 8 {
					t.Errorf("completeness findings %v, want one, KAZ–GEO 2021, with its 8 months", gaps)
				}
			}
			if name == "messy0" {
				// The data must give every rule something to find, or the
				// comparison proves little.
				rules := map[string]bool{}
				for _, f := range want {
					rules[f.Rule] = true
				}
				for _, r := range []string{"input", "unique", "sources", "units", "sign", "turnover", "additivity", "mirror", "groups", "completeness"} {
					if !rules[r] {
						t.Errorf("no %s finding in the data", r)
					}
				}
			}
			for _, n := range []int{1 << 10, 64 << 10, 4 << 20} {
				withChunkSize(t, n, func() {
					got, err := CheckStream(bytes.NewReader(in), "in.csv", LoadOptions{}, nil)
					if err != nil {
						t.Fatal(err)
					}
					if got.Observations != len(ds.Obs) || got.Rows != ds.Rows {
						t.Errorf("%d observations of %d rows, want %d of %d", got.Observations, got.Rows, len(ds.Obs), ds.Rows)
					}
					if late := strings.HasPrefix(name, "messy-"); late != (got.Late > 0 && got.Reread > 0) {
						t.Errorf("%d late rows, %d years read again", got.Late, got.Reread)
					}
					diffFindings(t, got.Findings, want)
				})
			}
			// With few findings listed of each rule, the same ones are
			// listed and the others counted. When late rows take back a
			// listed finding whose place a counted one should take,
			// CheckStream gives up and CheckInputs goes through the files
			// of the years.
			limited := &Config{MaxFindings: 3}
			wantLimited := limitTo(t, ds, want, limited)
			got, err := CheckStream(bytes.NewReader(in), "in.csv", LoadOptions{}, limited)
			switch {
			case errors.Is(err, ErrNotYearOrder) && strings.HasPrefix(name, "messy-"):
			case err != nil:
				t.Fatal(err)
			default:
				diffFindings(t, got.Findings, wantLimited)
			}
			got, err = CheckInputs([]Input{{"in.csv", bytes.NewReader(in)}}, LoadOptions{}, limited)
			if err != nil {
				t.Fatal(err)
			}
			diffFindings(t, got.Findings, wantLimited)
			// An input that cannot seek goes through the files of the
			// years.
			got, err = CheckInputs([]Input{{"in.csv", struct{ io.Reader }{bytes.NewReader(in)}}}, LoadOptions{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			diffFindings(t, got.Findings, want)
		})
	}
}

// diffFindings reports the findings that are in one list and not in the
// other.
func diffFindings(t *testing.T, got, want []Finding) {
	t.Helper()
	text := func(fs []Finding) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Text())
		}
		return out
	}
	g, w := text(got), text(want)
	if slices.Equal(g, w) {
		return
	}
	var extra, missing []string
	for _, s := range g {
		if !slices.Contains(w, s) {
			extra = append(extra, s)
		}
	}
	for _, s := range w {
		if !slices.Contains(g, s) {
			missing = append(missing, s)
		}
	}
	t.Errorf("%d findings, want %d\nnot wanted:\n%s\nmissing:\n%s", len(g), len(w), strings.Join(extra, "\n"), strings.Join(missing, "\n"))
}

// TestCheckStreamOrder checks that data not in year order, or with a period
// across the turn of a year, are refused with ErrNotYearOrder and a
// position: a late row that cannot be read again, and too many late rows.
func TestCheckStreamOrder(t *testing.T) {
	head := "reporter,partner,indicator,period,value,unit,source\n"
	twoYears := head + "KAZ,ARM,exports,2023,1,USD million,BNS\nKAZ,RUS,exports,2022-12,1,USD million,BNS\n"
	many := head + "KAZ,ARM,exports,2023,1,USD million,BNS\n" + strings.Repeat("KAZ,RUS,exports,2022,1,USD million,BNS\n", maxLate+1)
	for _, tc := range []struct {
		name string
		in   io.Reader
		want string
	}{
		{"across years", strings.NewReader(head + "KAZ,ARM,exports,2005/2024,1,USD million,BNS\n"), "x.csv:2:27"},
		{"across years after its first", strings.NewReader(head + "KAZ,ARM,exports,2023,1,USD million,BNS\nKAZ,RUS,exports,2023,1,USD million,BNS\nKAZ,ARM,exports,2023/2024,1,USD million,BNS\n"), "x.csv:4:27"},
		{"cannot seek", io.MultiReader(strings.NewReader(twoYears)), "x.csv:3:25"},
		{"too many", strings.NewReader(many), fmt.Sprintf("x.csv:%d:22", maxLate+3)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CheckStream(tc.in, "x.csv", LoadOptions{}, nil)
			if !errors.Is(err, ErrNotYearOrder) || !strings.HasPrefix(err.Error(), tc.want+": ") {
				t.Fatalf("error %v, want %s: … wrapping ErrNotYearOrder", err, tc.want)
			}
		})
	}
	got, err := CheckStream(strings.NewReader(twoYears), "x.csv", LoadOptions{}, nil)
	if err != nil || got.Observations != 2 {
		t.Fatalf("a late row of a new series: %+v, %v", got, err)
	}
	if _, err := CheckStream(strings.NewReader("reporter\n"), "x.csv", LoadOptions{}, nil); !errors.Is(err, ErrMissingColumn) {
		t.Fatalf("error %v, want ErrMissingColumn", err)
	}
}

// TestCheckFile checks a file on disk, and a missing one.
func TestCheckFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.csv")
	if err := os.WriteFile(path, []byte("reporter,partner,indicator,period,value,unit,source\nKAZ,ARM,exports,2023,-1,USD million,BNS\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := CheckFile(path, LoadOptions{}, nil)
	if err != nil || len(got.Findings) != 1 || got.Findings[0].Rule != "sign" || got.Years != 1 {
		t.Fatalf("CheckFile = %+v, %v; want one sign finding", got, err)
	}
	if _, err := CheckFile(path+".missing", LoadOptions{}, nil); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}

// TestSortSeriesKeys checks that sorting by ranks, of strings or of their
// numbers in series codes, orders keys as comparing their strings does.
func TestSortSeriesKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pick := func(ss ...string) string { return ss[rng.IntN(len(ss))] }
	// Dense keys fill the space of their strings' ranks; sparse ones, each
	// of its own reporter and partner, do not.
	var dense, sparse []seriesKey
	for range 2000 {
		dense = append(dense, seriesKey{Key{pick("KAZ", "ARM", "RUS", "A", "KAZA", ""), pick("WLD", "KAZ", "EU27"), pick("exports", "imports", "turnover")}, pick("BNS", "IMF DOTS", "")})
	}
	for range 300 {
		sparse = append(sparse, seriesKey{Key{strconv.Itoa(rng.IntN(1000)), strconv.Itoa(rng.IntN(1000)), pick("exports", "imports")}, pick("BNS", "")})
	}
	// codes numbers the strings as a table of strings does, in the order
	// they come: one number a string, or (twice) a second for some, as
	// two tables would give.
	codes := func(keys []seriesKey, twice bool) []uint64 {
		nums := map[string]uint32{}
		next := uint32(0)
		num := func(s string) uint32 {
			n, ok := nums[s]
			if !ok || twice && rng.IntN(2) == 0 {
				next++
				n = next
				if !ok {
					nums[s] = n
				}
			}
			return n
		}
		cs := make([]uint64, len(keys))
		for i, k := range keys {
			cs[i] = seriesCode(num(k.Reporter), num(k.Partner), num(k.Indicator), num(k.Source))
		}
		return cs
	}
	noCode := codes(dense, false)
	noCode[len(noCode)/2] = 0
	for _, tc := range []struct {
		name   string
		keys   []seriesKey
		codes  []uint64
		byCode bool // whether the codes rank the keys
	}{
		{"strings", dense, nil, false},
		{"codes", dense, codes(dense, false), true},
		{"two numbers for a string", dense, codes(dense, true), true},
		{"a key without a code", dense, noCode, false},
		{"sparse strings", sparse, nil, false},
		{"sparse codes", sparse, codes(sparse, false), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := ranksByCode(tc.keys, tc.codes); ok != tc.byCode {
				t.Errorf("ranksByCode ranks: %v, want %v", ok, tc.byCode)
			}
			want := slices.Clone(tc.keys)
			slices.SortStableFunc(want, compareSeriesKeys)
			var got []seriesKey
			for _, i := range sortSeriesKeys(tc.keys, tc.codes) {
				got = append(got, tc.keys[i])
			}
			if !slices.Equal(got, want) {
				t.Fatal("sortSeriesKeys orders keys otherwise than compareSeriesKeys")
			}
		})
	}
}

// TestRadixSort checks that ranks are sorted, those of equal ranks in the
// order they came, whatever space their fields' ranks fill.
func TestRadixSort(t *testing.T) {
	rank := func(r, p, i, s uint64) uint64 { return r<<48 | p<<32 | i<<16 | s }
	rng := rand.New(rand.NewPCG(7, 8))
	random := make([]uint64, 3000)
	for i := range random {
		random[i] = rank(uint64(rng.IntN(50)), uint64(rng.IntN(200)), uint64(rng.IntN(3)), uint64(rng.IntN(50)))
	}
	for _, tc := range []struct {
		name  string
		ranks []uint64
	}{
		{"none", nil},
		{"one", []uint64{rank(3, 2, 1, 0)}},
		{"dense", []uint64{rank(1, 0, 2, 0), rank(0, 1, 0, 0), rank(1, 1, 1, 0), rank(0, 0, 0, 0), rank(1, 0, 2, 0)}},
		{"sparse", []uint64{rank(60000, 0, 0, 0), rank(0, 60000, 0, 0), rank(0, 0, 0, 65535), rank(0, 0, 0, 1)}},
		{"a source a reporter", random},
	} {
		t.Run(tc.name, func(t *testing.T) {
			perm := make([]int32, len(tc.ranks))
			radixSort(tc.ranks, perm)
			want := make([]int32, len(tc.ranks))
			for i := range want {
				want[i] = int32(i)
			}
			slices.SortStableFunc(want, func(a, b int32) int { return cmp.Compare(tc.ranks[a], tc.ranks[b]) })
			if !slices.Equal(perm, want) {
				t.Errorf("perm %v, want %v", perm, want)
			}
		})
	}
}

// BenchmarkSortSeriesKeys sorts the keys of 30,000 series (50 reporters,
// each its own source, by 200 partners by 3 indicators, shuffled), as the
// check of a year whose series are new does: by the strings, and by their
// numbers in the series codes.
func BenchmarkSortSeriesKeys(b *testing.B) {
	var keys []seriesKey
	var codes []uint64
	nums := map[string]uint32{}
	num := func(s string) uint32 {
		if _, ok := nums[s]; !ok {
			nums[s] = uint32(len(nums) + 1)
		}
		return nums[s]
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for r := range 50 {
		for p := range 200 {
			for _, ind := range []string{"exports", "imports", "turnover"} {
				rep := fmt.Sprintf("R%02d", (r*37)%50)
				k := seriesKey{Key{rep, fmt.Sprintf("P%03d", (p*53)%200), ind}, "Bureau of National Statistics, " + rep}
				keys = append(keys, k)
				codes = append(codes, seriesCode(num(k.Reporter), num(k.Partner), num(k.Indicator), num(k.Source)))
			}
		}
	}
	rng.Shuffle(len(keys), func(i, j int) {
		keys[i], keys[j] = keys[j], keys[i]
		codes[i], codes[j] = codes[j], codes[i]
	})
	for _, bc := range []struct {
		name  string
		codes []uint64
	}{{"strings", nil}, {"codes", codes}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sortSeriesKeys(keys, bc.codes)
			}
		})
	}
}

// TestObservations yields the observations Load keeps, in the same order,
// across chunks, stops when the consumer does, and yields the error that
// makes the input unreadable last.
func TestObservations(t *testing.T) {
	in := messy(3)
	ds, err := Load(bytes.NewReader(in), "in.csv", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	withChunkSize(t, 4<<10, func() {
		var got []Observation
		for o, err := range Observations(bytes.NewReader(in), "in.csv", LoadOptions{}) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, o)
		}
		if !slices.Equal(got, ds.Obs) {
			t.Fatalf("%d observations, want the %d Load keeps", len(got), len(ds.Obs))
		}
		n := 0
		for range Observations(bytes.NewReader(in), "in.csv", LoadOptions{}) {
			if n++; n == 10 {
				break
			}
		}
	})
	var last error
	for _, err := range Observations(strings.NewReader("reporter,partner,indicator,period,value,unit,source\nKAZ,ARM,exports,2023,1,USD million,\"BNS\n"), "q.csv", LoadOptions{}) {
		last = err
	}
	if !errors.Is(last, ErrQuote) {
		t.Fatalf("last error %v, want ErrQuote", last)
	}
	for _, err := range Observations(strings.NewReader(""), "e.csv", LoadOptions{}) {
		last = err
	}
	if !errors.Is(last, ErrEmpty) {
		t.Fatalf("empty input: %v, want ErrEmpty", last)
	}
}

// TestCheckStreamLateEncoded reads late rows' years again from a UTF-16
// file, whose offsets after decoding are not those of the file.
func TestCheckStreamLateEncoded(t *testing.T) {
	// A new partner of KAZ whose exports exceed KAZ's to the world, in a
	// month that has a world figure in the year read again.
	in := append(messy(4), "KAZ,GEO,exports,2018-01,99999.5,USD million,,BNS,Бюро\nKAZ,GEO,exports,2018-06,1.5,EUR million,,BNS,\n"...)
	enc, err := Encoding("utf-16")
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := enc.NewEncoder().Bytes(append([]byte("\ufeff"), in...))
	if err != nil {
		t.Fatal(err)
	}
	opts := LoadOptions{Encoding: "utf-16"}
	ds, err := Load(bytes.NewReader(utf16), "in.csv", opts)
	if err != nil {
		t.Fatal(err)
	}
	got, err := CheckStream(bytes.NewReader(utf16), "in.csv", opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Late != 2 || got.Reread != 1 {
		t.Fatalf("%d late rows, %d years read again; want 2, 1", got.Late, got.Reread)
	}
	want := Check(ds, nil)
	if !slices.ContainsFunc(want, func(f Finding) bool { return f.Rule == "groups" && strings.Contains(f.Message, "KAZ") }) {
		t.Fatal("the late row makes no groups finding: the test proves nothing")
	}
	diffFindings(t, got.Findings, want)
}

// TestFigMaker gives a series one key whether its rows come with a series
// code, without one (strings not shared), or both, from two makers (two
// parsing goroutines) on one table; series of other sources stay apart. A
// series in another unit or file keeps its number, in an entry of its own
// that its rows in that unit and file share.
func TestFigMaker(t *testing.T) {
	mk := func(r, p, src, unit, file string) Observation {
		return Observation{Reporter: r, Partner: p, Indicator: "exports", Source: src, Unit: unit,
			Pos: Pos{File: file, Line: 2, Column: 5}, Value: Value{Num: 1.5, Decimals: 1, Valid: true}}
	}
	const usd, kusd = "USD million", "USD thousand"
	obs := []Observation{mk("KAZ", "ARM", "BNS", usd, "a.csv"), mk("KAZ", "RUS", "BNS", usd, "a.csv"), mk("KAZ", "ARM", "BNS", usd, "a.csv"),
		mk(strings.Clone("KAZ"), "ARM", "BNS", usd, "a.csv"), mk("KAZ", "ARM", "BNS", kusd, "a.csv"), mk("KAZ", "ARM", "BNS", usd, "b.csv"),
		mk("KAZ", "ARM", "BNS", strings.Clone(kusd), "a.csv"),
		mk("KAZ", "RUS", "BNS", usd, "a.csv"), mk("KAZ", "ARM", strings.Clone("BNS ")[:3], usd, "a.csv"), mk("KAZ", "ARM", "NBK", usd, "a.csv"),
		mk("KAZ", "ARM", "BNS", kusd, "a.csv"), mk("KAZ", "ARM", "BNS", usd, "b.csv"), mk("KAZ", "ARM", "BNS", usd, "a.csv")}
	obs[2].Value = Value{Num: 7, Decimals: 3} // not valid, with decimals
	obs[3].Value = Value{}                    // missing
	obs[5].Value = Value{Num: -2, Decimals: 0, Valid: true}
	obs[6].Value = Value{Num: 1000, Decimals: -1, Valid: true} // as a caller of Check may give
	arm, rus, nbk := seriesCode(1, 2, 3, 4), seriesCode(1, 5, 3, 4), seriesCode(1, 2, 3, 6)
	codes := []uint64{arm, rus, arm, 0, arm, arm, arm, 0, arm, nbk, 0, 0, 0}
	table := newSeriesTable()
	a, b := newFigMaker(table), newFigMaker(table)
	figs := a.figs(nil, obs[:7], codes[:7])
	figs = b.figs(figs, obs[7:], codes[7:])
	wantIdx := []int{0, 1, 0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0}
	wantForm := []int{0, 1, 0, 0, 2, 3, 2, 1, 0, 4, 2, 3, 0}
	for i := range figs {
		for j := range figs {
			if same := figs[i].seriesEntry == figs[j].seriesEntry; same != (wantForm[i] == wantForm[j]) {
				t.Errorf("rows %d and %d share an entry: %v, want %v", i, j, same, wantForm[i] == wantForm[j])
			}
		}
		f, o := &figs[i], &obs[i]
		if f.seriesKey != (seriesKey{o.Key(), o.Source}) || f.idx != int32(wantIdx[i]) {
			t.Errorf("row %d has the key %v, number %d", i, f.seriesKey, f.idx)
		}
		if f.Unit() != o.Unit || f.Pos() != o.Pos || f.Value() != o.Value || f.Period != o.Period {
			t.Errorf("row %d reads %q %v %v %v, want %q %v %v %v", i, f.Unit(), f.Pos(), f.Value(), f.Period, o.Unit, o.Pos, o.Value, o.Period)
		}
	}
	if len(table.entries) != 3 {
		t.Errorf("%d series in the table, want 3", len(table.entries))
	}
}

// TestFigMakerFollows gives two makers of one table rows that come in the
// same order of series period after period, as extracts do, except where
// a row is skipped, moved, in another unit or file, or without a series
// code: the makers, which find a row by the series that came after the row
// before last time, must still give each row the entry of its series, unit
// and file, one entry for each.
func TestFigMakerFollows(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	partners := []string{"ARM", "RUS", "CHN", "USA", "DEU", "FRA", "GBR"}
	units := []string{"USD million", "USD thousand"}
	files := []string{"a.csv", "b.csv"}
	table := newSeriesTable()
	makers := []*figMaker{newFigMaker(table), newFigMaker(table)}
	type form struct {
		partner, unit, file string
	}
	entries := map[form]*seriesEntry{}
	idx := map[string]int32{}
	for period := range 200 {
		order := slices.Clone(partners)
		if rng.IntN(4) == 0 {
			i, j := rng.IntN(len(order)), rng.IntN(len(order))
			order[i], order[j] = order[j], order[i]
		}
		var obs []Observation
		var codes []uint64
		for i, p := range order {
			if rng.IntN(10) == 0 {
				continue
			}
			o := Observation{Reporter: "KAZ", Partner: p, Indicator: "exports", Source: "BNS",
				Unit: units[0], Pos: Pos{File: files[0], Line: period*10 + i + 2}}
			if rng.IntN(8) == 0 {
				o.Unit = units[1]
			}
			if rng.IntN(8) == 0 {
				o.Pos.File = files[1]
			}
			code := seriesCode(1, uint32(slices.Index(partners, p)+2), 100, 101)
			if rng.IntN(10) == 0 {
				code = 0
			}
			obs, codes = append(obs, o), append(codes, code)
		}
		// The makers take turns by period and by half a period, as the
		// parsing goroutines take chunks.
		half := rng.IntN(len(obs) + 1)
		m := makers[period%2]
		figs := m.figs(nil, obs[:half], codes[:half])
		figs = makers[(period+rng.IntN(2))%2].figs(figs, obs[half:], codes[half:])
		for i := range figs {
			f, o := &figs[i], &obs[i]
			if f.seriesKey != (seriesKey{o.Key(), o.Source}) || f.Unit() != o.Unit || f.Pos() != o.Pos {
				t.Fatalf("period %d row %d: %v %q %v, want %v %q %v", period, i, f.seriesKey, f.Unit(), f.Pos(), o.Key(), o.Unit, o.Pos)
			}
			k := form{o.Partner, o.Unit, o.Pos.File}
			if e, ok := entries[k]; ok && e != f.seriesEntry {
				t.Fatalf("period %d row %d: a second entry for %v", period, i, k)
			}
			entries[k] = f.seriesEntry
			if n, ok := idx[o.Partner]; ok && n != f.idx {
				t.Fatalf("period %d row %d: %s numbered %d, before %d", period, i, o.Partner, f.idx, n)
			}
			idx[o.Partner] = f.idx
		}
	}
	if len(table.entries) != len(partners) {
		t.Errorf("%d series in the table, want %d", len(table.entries), len(partners))
	}
}

// TestFigSize pins the bytes of a fig, of which a check holds a year: 2.2
// million of them for the wide benchmark file of 10M rows.
func TestFigSize(t *testing.T) {
	if n := unsafe.Sizeof(fig{}); n > 40 {
		t.Errorf("a fig takes %d bytes, want at most 40", n)
	}
}

// TestCheckStreamReaderPosition reads late rows' years again from where the
// reader stood when CheckStream began, and refuses a pipe, which cannot be
// read again, with ErrNotYearOrder.
func TestCheckStreamReaderPosition(t *testing.T) {
	csv := "reporter,partner,indicator,period,value,unit,source\n" +
		"KAZ,ARM,exports,2020,5,USD million,BNS\nKAZ,WLD,exports,2020,10,USD million,BNS\n" +
		"KAZ,ARM,exports,2021,1,USD million,BNS\nKAZ,RUS,exports,2020,8,USD million,BNS\n"
	ds, err := Load(strings.NewReader(csv), "in.csv", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := Check(ds, nil)
	if !slices.ContainsFunc(want, func(f Finding) bool { return f.Rule == "groups" }) {
		t.Fatal("the late row makes no groups finding: the test proves nothing")
	}
	prefix := "# exported from the customs database\n"
	r := strings.NewReader(prefix + csv)
	if _, err := r.Seek(int64(len(prefix)), io.SeekStart); err != nil {
		t.Fatal(err)
	}
	got, err := CheckStream(r, "in.csv", LoadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	diffFindings(t, got.Findings, want)

	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() { pw.WriteString(csv); pw.Close() }()
	defer pr.Close()
	if _, err := CheckStream(pr, "in.csv", LoadOptions{}, nil); !errors.Is(err, ErrNotYearOrder) {
		t.Fatalf("a pipe: %v, want ErrNotYearOrder", err)
	}
}

// FuzzCheckStream checks any input that loads both whole and a year at a
// time, cut into small chunks: CheckStream gives the findings of Check,
// or refuses the input as not in year order.
func FuzzCheckStream(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "load", "*.csv"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add(messy(1)[:3000])
	f.Add([]byte("reporter,partner,indicator,period,value,unit,source\nKAZ,ARM,exports,2023,1,USD million,BNS\nKAZ,RUS,exports,2022-12,1,USD million,BNS\n"))
	// Months of the same series in the same order, which the loader reads
	// by the shape of their lines (loader.lineOfNext).
	var months strings.Builder
	months.WriteString("reporter,partner,indicator,period,value,unit,source,note\n")
	for m := 1; m <= 3; m++ {
		for i, ind := range []string{"exports", "imports", "turnover"} {
			fmt.Fprintf(&months, "KAZ,ARM,%s,2023-%02d,%d.5,USD million,\"BNS, KAZ\",p\n", ind, m, []int{1, 2, 4}[i])
		}
	}
	f.Add([]byte(months.String()))
	// One of them with a control character in its note, which the shape
	// leaves to row to report.
	f.Add([]byte(strings.Replace(months.String(), "2023-03,4.5,USD million,\"BNS, KAZ\",p", "2023-03,4.5,USD million,\"BNS, KAZ\",p\x01", 1)))
	f.Fuzz(func(t *testing.T, in []byte) {
		ds, err := Load(bytes.NewReader(in), "in.csv", LoadOptions{})
		if err != nil {
			return
		}
		withChunkSize(t, 64, func() {
			want := Check(ds, nil)
			// Through the files of the years, as an input that cannot
			// seek (standard input) or is not in year order is checked.
			spilled, err := CheckInputs([]Input{{"in.csv", struct{ io.Reader }{bytes.NewReader(in)}}}, LoadOptions{}, nil)
			switch {
			case errors.Is(err, ErrNotYearOrder):
			case err != nil:
				t.Fatalf("CheckInputs of a reader that cannot seek: %v, but Load reads the input", err)
			default:
				diffFindings(t, spilled.Findings, want)
			}
			got, err := CheckStream(bytes.NewReader(in), "in.csv", LoadOptions{}, nil)
			if errors.Is(err, ErrNotYearOrder) {
				return
			}
			if err != nil {
				t.Fatalf("CheckStream: %v, but Load reads the input", err)
			}
			diffFindings(t, got.Findings, want)
			// Bounded lists, as the rules bound them while they run,
			// are those of all the findings bounded afterwards.
			limited := &Config{MaxFindings: 2}
			wantLimited := limitTo(t, ds, want, limited)
			got, err = CheckInputs([]Input{{"in.csv", bytes.NewReader(in)}}, LoadOptions{}, limited)
			if err != nil {
				t.Fatalf("CheckInputs: %v", err)
			}
			diffFindings(t, got.Findings, wantLimited)
		})
	})
}

// FuzzCheckInputsTwo cuts a file in two at a line, each part with the
// header, and checks that CheckInputs of the two, in turn or through the
// files of the years, finds what Load of each, Dataset.Merge and Check
// find.
func FuzzCheckInputsTwo(f *testing.F) {
	f.Add(messy(3)[:4000], uint16(900))
	f.Add([]byte("reporter,partner,indicator,period,value,unit,source\nKAZ,ARM,exports,2023,10.0,USD million,X\nKAZ,ARM,imports,2023,4.0,USD million,X\nKAZ,ARM,exports,2024,1.0,USD million,X\nKAZ,ARM,turnover,2023,15.0,USD million,X\n"), uint16(120))
	f.Fuzz(func(t *testing.T, in []byte, at uint16) {
		head, rest, ok := bytes.Cut(in, []byte("\n"))
		if !ok {
			return
		}
		cut := min(int(at), len(rest))
		if i := bytes.IndexByte(rest[cut:], '\n'); i >= 0 {
			cut += i + 1
		} else {
			cut = len(rest)
		}
		nl := []byte("\n")
		a := slices.Concat(head, nl, rest[:cut])
		b := slices.Concat(head, nl, rest[cut:])
		all := &Dataset{}
		for _, part := range []struct {
			name string
			data []byte
		}{{"a.csv", a}, {"b.csv", b}} {
			ds, err := Load(bytes.NewReader(part.data), part.name, LoadOptions{})
			if err != nil {
				return
			}
			all.Merge(ds)
		}
		want := Check(all, nil)
		withChunkSize(t, 64, func() {
			// In turn when they are in year order one after the other,
			// else through the files of the years; and through them
			// whatever their order, from inputs that cannot seek.
			for _, pipes := range []bool{false, true} {
				in := []Input{{"a.csv", bytes.NewReader(a)}, {"b.csv", bytes.NewReader(b)}}
				if pipes {
					for i := range in {
						in[i].R = struct{ io.Reader }{in[i].R}
					}
				}
				got, err := CheckInputs(in, LoadOptions{}, nil)
				if errors.Is(err, ErrNotYearOrder) {
					return // a period that spans years
				}
				if err != nil {
					t.Fatalf("CheckInputs: %v, but Load reads both parts", err)
				}
				diffFindings(t, got.Findings, want)
			}
		})
	})
}

// FuzzSpillDecode reads arbitrary bytes as a year's rows written out: an
// error, never a panic.
func FuzzSpillDecode(f *testing.F) {
	sp := newSpill()
	sp.dir, sp.names = f.TempDir(), []string{"x.csv"}
	ds, err := Load(bytes.NewReader(messy(2)[:2000]), "x.csv", LoadOptions{})
	if err != nil {
		f.Fatal(err)
	}
	for i := range ds.Obs {
		sp.write(&ds.Obs[i], 0)
	}
	sp.flush()
	for _, sy := range sp.years {
		b, _ := os.ReadFile(sy.f.Name())
		f.Add(b)
	}
	sp.close()
	f.Fuzz(func(t *testing.T, in []byte) {
		for range 1000 {
			if len(in) == 0 {
				return
			}
			_, n, err := sp.decode(in)
			if err != nil {
				return
			}
			if n <= 0 || n > len(in) {
				t.Fatalf("decoded %d bytes of %d", n, len(in))
			}
			in = in[n:]
		}
	})
}

// TestCheckStreamLateNeighbours checks late rows whose findings need rows
// of the same year that share only their partner (a group as reporter),
// only their reporter (a group as partner, a share and its total), or
// both the other way round (mirror figures), among rows of other
// economies that play no part.
func TestCheckStreamLateNeighbours(t *testing.T) {
	const header = "reporter,partner,indicator,period,value,unit,source\n"
	others := "CHN,TUR,exports,2023,5.0,USD million,X\nTUR,CHN,imports,2023,5.0,USD million,X\n"
	shares := LoadOptions{Vocabulary: NewVocabulary(IndicatorInfo{Name: "exports_share", Description: "share of exports"})}
	tests := []struct {
		name       string
		year, late string
		opts       LoadOptions
	}{
		{"group as reporter",
			"EUU,KAZ,exports,2023,10.0,USD million,X\nFRA,KAZ,exports,2023,4.0,USD million,X\n",
			"DEU,KAZ,exports,2023,9.0,USD million,X\n", LoadOptions{}},
		{"group as partner",
			"KAZ,EAEU,exports,2023,10.0,USD million,X\nKAZ,BLR,exports,2023,4.0,USD million,X\n",
			"KAZ,RUS,exports,2023,9.0,USD million,X\n", LoadOptions{}},
		{"mirror",
			"KAZ,ARM,imports,2023,10.0,USD million,X\n",
			"ARM,KAZ,exports,2023,90.0,USD million,X\n", LoadOptions{}},
		{"turnover",
			"KAZ,ARM,exports,2023,10.0,USD million,X\nKAZ,ARM,imports,2023,4.0,USD million,X\n",
			"KAZ,ARM,turnover,2023,19.0,USD million,X\n", LoadOptions{}},
		{"share",
			"KAZ,WLD,exports,2023,100.0,USD million,X\nKAZ,ARM,exports,2023,10.0,USD million,X\n",
			"KAZ,ARM,exports_share,2023,20.0,percent,X\n", shares},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []byte(header + others + tt.year + "CHN,TUR,exports,2024,5.0,USD million,X\n" + tt.late)
			ds, err := Load(bytes.NewReader(in), "in.csv", tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds.Problems) > 0 {
				t.Fatal(ds.Problems)
			}
			want := Check(ds, nil)
			if len(want) == 0 {
				t.Fatal("the late row gives no finding: the case proves nothing")
			}
			got, err := CheckStream(bytes.NewReader(in), "in.csv", tt.opts, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got.Late != 1 {
				t.Fatalf("%d late rows, want 1", got.Late)
			}
			diffFindings(t, got.Findings, want)
		})
	}
}

// shrinking reads a shorter copy of its data from its second seek on: a
// file cut short between two readings (the first seek only asks where
// the reader is).
type shrinking struct {
	*bytes.Reader
	short []byte
	seeks int
}

func (s *shrinking) Seek(off int64, whence int) (int64, error) {
	if s.seeks++; s.seeks == 2 {
		s.Reader = bytes.NewReader(s.short)
	}
	return s.Reader.Seek(off, whence)
}

// TestCheckStreamLateShrunk checks that a file cut short before its late
// rows' year is read again gives an error, not findings of fewer rows.
func TestCheckStreamLateShrunk(t *testing.T) {
	in := []byte("reporter,partner,indicator,period,value,unit,source\n" +
		"KAZ,ARM,exports,2023,10.0,USD million,X\nKAZ,ARM,imports,2023,4.0,USD million,X\n" +
		"KAZ,ARM,exports,2024,1.0,USD million,X\nKAZ,ARM,turnover,2023,14.0,USD million,X\n")
	r := &shrinking{Reader: bytes.NewReader(in), short: in[:100]}
	_, err := CheckStream(r, "in.csv", LoadOptions{}, nil)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("error %v, want io.ErrUnexpectedEOF", err)
	}
}

// TestCheckStreamLateShrunkInQuotes checks that a file cut short inside a
// quoted field before its late rows' year is read again says so, rather
// than that a quote is not closed.
func TestCheckStreamLateShrunkInQuotes(t *testing.T) {
	in := []byte("note,reporter,partner,indicator,period,value,unit,source\n" +
		",KAZ,ARM,exports,2023,10.0,USD million,X\n\"a\nb\",KAZ,ARM,imports,2023,4.0,USD million,X\n" +
		",KAZ,ARM,exports,2024,1.0,USD million,X\n,KAZ,ARM,turnover,2023,14.0,USD million,X\n")
	cut := bytes.Index(in, []byte("\"a\n")) + 3
	_, err := CheckStream(&shrinking{Reader: bytes.NewReader(in), short: in[:cut]}, "in.csv", LoadOptions{}, nil)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("error %v, want io.ErrUnexpectedEOF", err)
	}
}

// TestCheckStreamLateBadRows checks that rows with fewer or more fields
// than the header, in a year read again for its late rows, are passed
// over as the first reading reported them, and the findings are those of
// loading the file whole.
func TestCheckStreamLateBadRows(t *testing.T) {
	const header = "reporter,partner,indicator,period,value,unit,source\n"
	for _, c := range []struct{ name, bad string }{
		{"one field", "BNS\n"},
		{"no reporter field", "\n\n,\n"},
		{"fields past the header", "KAZ,ARM,imports,2023,4.0,USD million,X,extra\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := []byte(header + "KAZ,ARM,exports,2023,10.0,USD million,X\n" + c.bad +
				"KAZ,ARM,imports,2023,4.0,USD million,X\nKAZ,ARM,exports,2024,1.0,USD million,X\n" +
				"KAZ,ARM,turnover,2023,15.0,USD million,X\n")
			ds, err := Load(bytes.NewReader(in), "in.csv", LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want := Check(ds, nil)
			if len(want) == 0 {
				t.Fatal("no finding to compare: the turnover should be wrong")
			}
			got, err := CheckStream(bytes.NewReader(in), "in.csv", LoadOptions{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			diffFindings(t, got.Findings, want)
		})
	}
}

// rewritten is a file that is rewritten, as long as before, when it is
// sought the second time: between the reading and the reading again of a
// late row's year.
type rewritten struct {
	*os.File
	data  []byte
	seeks int
}

func (r *rewritten) Seek(off int64, whence int) (int64, error) {
	if r.seeks++; r.seeks == 2 {
		if err := os.WriteFile(r.Name(), r.data, 0o644); err != nil {
			return 0, err
		}
		later := time.Now().Add(time.Hour)
		if err := os.Chtimes(r.Name(), later, later); err != nil {
			return 0, err
		}
	}
	return r.File.Seek(off, whence)
}

// TestCheckStreamLateRewritten checks that a file changed while it is
// checked gives an error when its late rows' year is read again, even
// when it is as long as before.
func TestCheckStreamLateRewritten(t *testing.T) {
	in := "reporter,partner,indicator,period,value,unit,source\n" +
		"KAZ,ARM,exports,2023,10.0,USD million,X\nKAZ,ARM,imports,2023,4.0,USD million,X\n" +
		"KAZ,ARM,exports,2024,1.0,USD million,X\nKAZ,ARM,turnover,2023,14.0,USD million,X\n"
	path := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = CheckStream(&rewritten{File: f, data: []byte(strings.Replace(in, "4.0", "9.0", 1))}, "in.csv", LoadOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "changed while it was checked") {
		t.Fatalf("error %v, want one that says the file changed", err)
	}
}

// TestLateRowsTooNear gives up checking rows that came late again when
// they relate to more rows than minReread and an eighth of the file: the
// stream stops with ErrNotYearOrder, and CheckInputs checks the file
// through temporary files, with the findings of the whole.
func TestLateRowsTooNear(t *testing.T) {
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	var late strings.Builder
	for i, p := range []string{"ARM", "RUS", "CHN", "DEU", "WLD"} {
		for m := 1; m <= 12; m++ {
			row := fmt.Sprintf("KAZ,%s,exports,2020-%02d,%d.5,USD million,BNS\n", p, m, 10+i+m)
			if m == 7 {
				late.WriteString(row) // every partner has a month that comes late
				continue
			}
			b.WriteString(row)
		}
	}
	b.WriteString("KAZ,ARM,exports,2021-01,3,USD million,BNS\n")
	b.WriteString(late.String())
	csv := b.String()
	ds, err := Load(strings.NewReader(csv), "in.csv", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &Config{MaxFindings: 100}
	want := Check(ds, cfg)
	if len(want) == 0 {
		t.Fatal("no findings: the test proves nothing")
	}
	got, err := CheckStream(strings.NewReader(csv), "in.csv", LoadOptions{}, cfg)
	if err != nil || got.Late != 5 {
		t.Fatalf("with minReread %d: %v, %+v", minReread, err, got)
	}
	diffFindings(t, got.Findings, want)

	defer func(n int) { minReread = n }(minReread)
	minReread = 20
	if _, err := CheckStream(strings.NewReader(csv), "in.csv", LoadOptions{}, cfg); !errors.Is(err, ErrNotYearOrder) {
		t.Fatalf("55 rows near 5 late ones, minReread 20: %v, want ErrNotYearOrder", err)
	}
	got, err = CheckInputs([]Input{{"in.csv", strings.NewReader(csv)}}, LoadOptions{}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	diffFindings(t, got.Findings, want)

	// Where no temporary file can be made, the late rows are checked
	// again all the same, rather than the file loaded whole.
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	got, err = CheckInputs([]Input{{"in.csv", strings.NewReader(csv)}}, LoadOptions{}, cfg)
	if err != nil || got.Late != 5 {
		t.Fatalf("without temporary files: %v, %+v", err, got)
	}
	diffFindings(t, got.Findings, want)
}

// TestCarryOrder checks that a year whose series come in the order of the
// year before takes its order by key from the carry, and that the series
// of any other year are sorted again: the series are those that
// sortSeriesKeys orders, year after year.
func TestCarryOrder(t *testing.T) {
	table := newSeriesTable()
	fm := newFigMaker(table)
	year := func(y int, series ...string) []fig {
		var obs []Observation
		for i, s := range series {
			k := strings.Fields(s) // reporter, partner, indicator
			obs = append(obs, Observation{Pos: Pos{File: "in.csv", Line: i + 2}, Reporter: k[0], Partner: k[1], Indicator: k[2],
				Period: MonthOf(y, 1), Value: Value{Num: 1, Valid: true}, Unit: "USD million", Source: "BNS"})
		}
		return fm.figs(nil, obs, nil)
	}
	cfg := &Config{}
	cr := newCarry()
	sorted := func(c *checker) {
		t.Helper()
		if !slices.IsSortedFunc(c.keys, compareSeriesKeys) {
			t.Fatalf("keys out of order: %v", c.keys)
		}
	}
	c := newChecker(input{figs: [][]fig{year(2021, "KAZ RUS exports", "ARM KAZ imports", "KAZ ARM exports")}}, cfg, cr)
	sorted(c)
	perm := cr.perm
	c = newChecker(input{figs: [][]fig{year(2022, "KAZ RUS exports", "ARM KAZ imports", "KAZ ARM exports")}}, cfg, cr)
	sorted(c)
	if &cr.perm[0] != &perm[0] {
		t.Error("a year whose series came as the year before's was sorted again")
	}
	for i, k := range c.keys {
		if from, _ := c.sourcesOf(k.Key); int(from) > i || c.keys[from].Key != k.Key {
			t.Errorf("series %d (%v): its first source is %d", i, k, from)
		}
	}
	for _, y := range [][]string{
		{"KAZ ARM exports", "KAZ RUS exports", "ARM KAZ imports"},
		{"KAZ ARM exports", "KAZ RUS exports"},
		{"KAZ ARM exports", "KAZ RUS exports", "ARM KAZ imports", "RUS KAZ turnover"},
	} {
		c = newChecker(input{figs: [][]fig{year(2023, y...)}}, cfg, cr)
		sorted(c)
		if len(c.keys) != len(y) || len(c.first) != len(y) {
			t.Fatalf("%d series and %d keys of %v", len(c.keys), len(c.first), y)
		}
	}
}

// TestLongestFirst checks the order rules are run in: those not timed
// first, in their order, then the others by the time they took, longest
// first.
func TestLongestFirst(t *testing.T) {
	ids := []string{"input", "unique", "turnover", "mirror", "completeness"}
	ms := time.Millisecond
	for _, tc := range []struct {
		took map[string]time.Duration
		want []int
	}{
		{nil, []int{0, 1, 2, 3, 4}},
		{map[string]time.Duration{"input": 0, "unique": 8 * ms, "turnover": 18 * ms, "mirror": 10 * ms, "completeness": 14 * ms}, []int{2, 4, 3, 1, 0}},
		{map[string]time.Duration{"turnover": 18 * ms, "mirror": 10 * ms}, []int{0, 1, 4, 2, 3}},
		{map[string]time.Duration{"unique": ms, "turnover": ms, "mirror": ms}, []int{0, 4, 1, 2, 3}},
	} {
		if got := longestFirst(ids, tc.took); !slices.Equal(got, tc.want) {
			t.Errorf("took %v: order %v, want %v", tc.took, got, tc.want)
		}
	}
}

// TestRowOfNext checks rows that come in the order of series of the
// period before, which the loader takes without looking their strings up
// (loader.rowOfNext) and, from the month after, by the shape of their
// line (loader.lineOfNext), against the same rows loaded whole and
// checked: each case changes one such row so that it must not be taken
// so, and a second file with the same series must name its own rows.
func TestRowOfNext(t *testing.T) {
	const head = "reporter,partner,indicator,period,value,unit,status,source\n"
	year := 2023
	base := func(change func(m int, ind string, row []string) []string) string {
		var b strings.Builder
		b.WriteString(head)
		for m := 1; m <= 6; m++ {
			for i, ind := range []string{"exports", "imports", "turnover"} {
				v := []float64{10, 20, 30}[i] + float64(m)
				if ind == "turnover" {
					v = 30 + 2*float64(m)
				}
				row := []string{"KAZ", "ARM", ind, fmt.Sprintf("%d-%02d", year, m), strconv.FormatFloat(v, 'f', 1, 64), "USD million", "", "BNS"}
				if change != nil {
					row = change(m, ind, row)
				}
				b.WriteString(strings.Join(row, ",") + "\n")
			}
		}
		return b.String()
	}
	at := func(month int, ind string, col int, s string) func(int, string, []string) []string {
		return func(m int, i string, row []string) []string {
			if m == month && i == ind {
				row[col] = s
			}
			return row
		}
	}
	cases := map[string]string{
		"plain":                 base(nil),
		"status M with a value": base(at(4, "imports", 6, "M")),
		"status unknown":        base(at(4, "imports", 6, "X")),
		"status M, no value":    base(at(4, "imports", 4, "")),
		"no value": base(func(m int, i string, row []string) []string {
			return at(4, "imports", 6, "M")(m, i, at(4, "imports", 4, "")(m, i, row))
		}),
		"another unit":      base(at(4, "imports", 5, "EUR million")),
		"another source":    base(at(4, "imports", 7, "Customs")),
		"another partner":   base(at(4, "imports", 1, "GEO")),
		"no reporter":       base(at(4, "imports", 0, "")),
		"another indicator": base(at(4, "imports", 2, "exports")),
		"bad value":         base(at(4, "imports", 4, "2O.5")),
		"bad period":        base(at(4, "imports", 3, "2023-13")),
		"turnover off":      base(at(5, "turnover", 4, "99.0")),
		"quoted value":      base(at(4, "imports", 4, `"24.0"`)),
		"too many fields":   base(at(4, "imports", 7, "BNS,x")),
		// Lines that are not the shape of their series' rows before
		// (loader.lineOfNext) but are its rows, or are not rows.
		"quoted partner":     base(at(4, "imports", 1, `"ARM"`)),
		"quoted source":      base(at(1, "imports", 7, `"BNS"`)),
		"source with delim":  base(func(m int, i string, row []string) []string { row[7] = `"BNS, Astana"`; return row }),
		"quote in a value":   base(at(4, "imports", 4, `2"4.0`)),
		"quote in a status":  base(at(4, "imports", 6, `E"`)),
		"status past ASCII":  base(at(4, "imports", 6, "Е")),
		"period past ASCII":  base(at(4, "imports", 3, "2023-О4")),
		"status of spaces":   base(at(4, "imports", 6, " ")),
		"line ending CR LF":  base(at(4, "imports", 7, "BNS\r")),
		"a blank line":       base(at(4, "imports", 7, "BNS\n")),
		"value on two lines": base(at(4, "imports", 4, "\"24\n.0\"")),
		"one field short":    base(func(m int, i string, row []string) []string { return row[:len(row)-1] }),
		"empty source":       base(at(4, "imports", 7, "")),
		"delim at the end":   base(at(4, "imports", 7, "BNS,")),
	}
	// A note before the value, which the checker does not read: a line
	// whose note is not plain ASCII is not taken by its shape, or the
	// column of its value would be counted in bytes.
	noted := func(note string) string {
		var b strings.Builder
		for i, line := range strings.Split(base(at(5, "turnover", 4, "99.0")), "\n") {
			if f := strings.Split(line, ","); len(f) == 8 {
				n := "provisional"
				if i == 0 {
					n = "note"
				} else if i >= 13 && i <= 15 { // the rows of May
					n = note
				}
				line = strings.Join(append(f[:4:4], append([]string{n}, f[4:]...)...), ",")
			}
			b.WriteString(line + "\n")
		}
		return b.String()
	}
	cases["note past ASCII"] = noted("предварительно")
	cases["note with a quote"] = noted(`a"b`)
	cases["note quoted"] = noted(`"a, b"`)
	cases["note empty"] = noted("")
	for name, in := range cases {
		ds, err := Load(strings.NewReader(in), "a.csv", LoadOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := CheckStream(strings.NewReader(in), "a.csv", LoadOptions{}, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.Observations != len(ds.Obs) || got.Rows != ds.Rows {
			t.Errorf("%s: %d observations of %d rows, want %d of %d", name, got.Observations, got.Rows, len(ds.Obs), ds.Rows)
		}
		t.Run(name, func(t *testing.T) { diffFindings(t, got.Findings, Check(ds, nil)) })
	}
	// The same series in two files, the second a year later and with a
	// turnover that does not add up: its finding names the second file.
	a := base(nil)
	year = 2024
	b := base(at(5, "turnover", 4, "99.0"))
	all := &Dataset{}
	for _, f := range []struct{ name, text string }{{"a.csv", a}, {"b.csv", b}} {
		ds, err := Load(strings.NewReader(f.text), f.name, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		all.Merge(ds)
	}
	got, err := CheckInputs([]Input{{"a.csv", strings.NewReader(a)}, {"b.csv", strings.NewReader(b)}}, LoadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Check(all, nil)
	diffFindings(t, got.Findings, want)
	named := false
	for _, f := range got.Findings {
		named = named || f.Rule == "turnover" && f.Pos() == Pos{File: "b.csv", Line: 16, Column: 26}
	}
	if !named {
		t.Errorf("no turnover finding names b.csv: %v", got.Findings)
	}
}
