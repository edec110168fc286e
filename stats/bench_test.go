package stats_test

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/tradedesk/report/internal/benchsize"
	"github.com/tradedesk/report/stats"
)

// synthetic returns a tidy CSV of n rows: exports, imports and turnover of
// reporter–partner pairs by month, at one decimal, in year order as agency
// extracts are. A's imports from B are B's exports to A at the CIF/FOB
// factor, within 2%, except for one pair in a hundred, so that the mirror
// rule finds what it would in real data rather than a gap in every row.
func synthetic(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	codes := []string{"KAZ", "ARM", "RUS", "CHN", "USA", "DEU", "FRA", "GBR", "ITA", "JPN", "KOR", "IND", "BRA", "CAN", "AUS", "ESP", "MEX", "IDN", "NLD", "TUR"}
	var b bytes.Buffer
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	rows := 0
	exports := make([][]float64, len(codes))
	for i := range exports {
		exports[i] = make([]float64, len(codes))
	}
	for m := 0; rows < n; m++ {
		year, month := 1995+m/12, m%12+1
		for r := range codes {
			for p := range codes {
				exports[r][p] = float64(rng.IntN(10000)) / 10
			}
		}
		for r, rc := range codes {
			for p, pc := range codes {
				if r == p || rows >= n {
					continue
				}
				x := exports[r][p]
				im := math.Round(exports[p][r]*1.06*(0.98+0.04*rng.Float64())*10) / 10
				if rng.IntN(100) == 0 {
					im *= 2
				}
				for _, row := range [3]struct {
					ind string
					v   float64
				}{{"exports", x}, {"imports", im}, {"turnover", x + im}} {
					fmt.Fprintf(&b, "%s,%s,%s,%04d-%02d,%s,USD million,BNS\n", rc, pc, row.ind, year, month, strconv.FormatFloat(row.v, 'f', 1, 64))
					rows++
				}
			}
		}
	}
	return b.Bytes()
}

// wide returns a tidy CSV of n rows shaped as a customs office's detail:
// each of 119 economies against every other and WLD, exports, imports and
// turnover by month, each reporter's figures from its own national office.
// Each reporter has a source of its own, and each WLD total is the sum of
// 118 partners.
func wide(n int) []byte {
	rng := rand.New(rand.NewPCG(3, 4))
	var codes []string
	for a := 'A'; a <= 'Z' && len(codes) < 119; a++ {
		for b := 'A'; b <= 'Z' && len(codes) < 119; b++ {
			for c := 'A'; c <= 'Z' && len(codes) < 119; c++ {
				code := string([]rune{a, b, c})
				if _, agg := stats.Aggregates[code]; !agg && stats.ValidCode(code) {
					codes = append(codes, code)
				}
			}
		}
	}
	k := len(codes)
	var b bytes.Buffer
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	exports := make([][]float64, k)
	for i := range exports {
		exports[i] = make([]float64, k)
	}
	row := func(r, p, ind, period, source string, v float64) {
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,USD million,\"%s\"\n", r, p, ind, period, strconv.FormatFloat(v, 'f', 1, 64), source)
	}
	for m, rows := 0, 0; rows < n; m++ {
		period := fmt.Sprintf("%04d-%02d", 1995+m/12, m%12+1)
		for r := range codes {
			for p := range codes {
				exports[r][p] = float64(rng.IntN(10000)) / 10
			}
		}
		for r, rc := range codes {
			source := "National Statistical Office, " + rc
			var wx, wm float64 // in tenths, so that the sums are exact
			for p, pc := range codes {
				if r == p {
					continue
				}
				x := exports[r][p]
				im := math.Round(exports[p][r]*1.06*(0.98+0.04*rng.Float64())*10) / 10
				row(rc, pc, "exports", period, source, x)
				row(rc, pc, "imports", period, source, im)
				row(rc, pc, "turnover", period, source, x+im)
				wx, wm = wx+math.Round(x*10), wm+math.Round(im*10)
			}
			row(rc, "WLD", "exports", period, source, wx/10)
			row(rc, "WLD", "imports", period, source, wm/10)
			row(rc, "WLD", "turnover", period, source, (wx+wm)/10)
			if rows += 3 * k; rows >= n {
				break
			}
		}
	}
	return b.Bytes()
}

// benchFiles runs read on the file that file makes of each size, in bytes a
// second.
func benchFiles(b *testing.B, file func(rows int) []byte, read func(in []byte) error) {
	benchsize.Run(b, func(b *testing.B, rows int) {
		in := file(rows)
		b.ReportAllocs()
		b.SetBytes(int64(len(in)))
		for b.Loop() {
			if err := read(in); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkLoad(b *testing.B) {
	benchFiles(b, synthetic, func(in []byte) error {
		_, err := stats.Load(bytes.NewReader(in), "bench.csv", stats.LoadOptions{})
		return err
	})
}

func BenchmarkCheck(b *testing.B) {
	benchsize.Run(b, func(b *testing.B, rows int) {
		ds, err := stats.Load(bytes.NewReader(synthetic(rows)), "bench.csv", stats.LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			stats.Check(ds, nil)
		}
	})
}

// BenchmarkRule runs each built-in rule alone, so that a regression in one
// rule family shows by name.
func BenchmarkRule(b *testing.B) {
	for _, sz := range benchsize.Sizes {
		ds, err := stats.Load(bytes.NewReader(synthetic(sz.Rows)), "bench.csv", stats.LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range stats.Rules() {
			cfg := &stats.Config{Rules: map[string]stats.RuleConfig{}}
			for _, other := range stats.Rules() {
				if other.ID != r.ID {
					cfg.Rules[other.ID] = stats.RuleConfig{Disabled: true}
				}
			}
			b.Run(r.ID+"/"+sz.Name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					stats.Check(ds, cfg)
				}
			})
		}
	}
}

// BenchmarkRuleAlone runs each built-in rule over rows read and laid out
// by series once (see stats.RuleAlone), on one core: the rule's own time,
// which BenchmarkRule adds to the time of laying out the rows.
func BenchmarkRuleAlone(b *testing.B) {
	for _, sz := range benchsize.Sizes {
		ds, err := stats.Load(bytes.NewReader(synthetic(sz.Rows)), "bench.csv", stats.LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range stats.Rules() {
			run := stats.RuleAlone(ds, r.ID, &stats.Config{MaxFindings: 10000})
			b.Run(r.ID+"/"+sz.Name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					run()
				}
			})
		}
	}
}

// BenchmarkCheckStream reads and checks the synthetic files a year at a
// time, as report check does with a file in year order.
func BenchmarkCheckStream(b *testing.B) {
	benchFiles(b, synthetic, checkStream)
}

// BenchmarkCheckStreamWide reads and checks files of many series, many
// sources and world totals, as a customs office's detail is.
func BenchmarkCheckStreamWide(b *testing.B) {
	benchFiles(b, wide, checkStream)
}

func checkStream(in []byte) error {
	_, err := stats.CheckStream(bytes.NewReader(in), "bench.csv", stats.LoadOptions{}, nil)
	return err
}

// BenchmarkCheckInputsFiles checks the synthetic files cut in two at a
// line, each half with the header, as report check does with several
// files (one a year, say): in turn, the halves being in year order one
// after the other. The halves are made before the clock starts.
func BenchmarkCheckInputsFiles(b *testing.B) {
	benchsize.Run(b, func(b *testing.B, rows int) {
		in := synthetic(rows)
		head, rest, _ := bytes.Cut(in, []byte("\n"))
		cut := bytes.IndexByte(rest[len(rest)/2:], '\n') + len(rest)/2 + 1
		first := in[:len(head)+1+cut]
		second := append(append(bytes.Clone(head), '\n'), rest[cut:]...)
		b.ReportAllocs()
		b.SetBytes(int64(len(in)))
		for b.Loop() {
			_, err := stats.CheckInputs([]stats.Input{{Name: "first.csv", R: bytes.NewReader(first)},
				{Name: "second.csv", R: bytes.NewReader(second)}}, stats.LoadOptions{}, nil)
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCheckInputsUnordered checks the synthetic files with their rows
// in reverse, as report check does with rows that are not in year order:
// through temporary files of the years.
func BenchmarkCheckInputsUnordered(b *testing.B) {
	reverse := func(file []byte) []byte {
		lines := bytes.SplitAfter(file, []byte("\n"))
		head, rows := lines[0], lines[1:]
		in := append([]byte{}, head...)
		for i := len(rows) - 1; i >= 0; i-- {
			in = append(in, rows[i]...)
		}
		return in
	}
	benchFiles(b, func(rows int) []byte { return reverse(synthetic(rows)) }, checkInputs)
}

// BenchmarkCheckInputsBySeries checks the synthetic files with their rows
// sorted by series, each series' rows in period order, as many agencies
// publish them (one economy after another): through temporary files of
// the years, as report check reads them.
func BenchmarkCheckInputsBySeries(b *testing.B) {
	bySeries := func(file []byte) []byte {
		lines := bytes.SplitAfter(file, []byte("\n"))
		head, rows := lines[0], lines[1:]
		series := func(line []byte) []byte {
			// Reporter, partner and indicator: the first three fields.
			end := 0
			for range 3 {
				end += bytes.IndexByte(line[end:], ',') + 1
			}
			return line[:end]
		}
		slices.SortStableFunc(rows, func(x, y []byte) int { return bytes.Compare(series(x), series(y)) })
		return slices.Concat(append([][]byte{head}, rows...)...)
	}
	benchFiles(b, func(rows int) []byte { return bySeries(synthetic(rows)) }, checkInputs)
}

// checkInputs checks in through a reader that cannot seek, which goes
// through the files of the years at once.
func checkInputs(in []byte) error {
	r := struct{ io.Reader }{bytes.NewReader(in)}
	_, err := stats.CheckInputs([]stats.Input{{Name: "bench.csv", R: r}}, stats.LoadOptions{}, nil)
	return err
}

// BenchmarkDiffInputs compares a release with one whose every 97th figure
// is revised, a year at a time through the files of the years.
func BenchmarkDiffInputs(b *testing.B) {
	revise := func(file []byte) []byte {
		lines := bytes.SplitAfter(file, []byte("\n"))
		for i := 1; i < len(lines); i += 97 {
			// A 9 before the value, after the fourth comma.
			at := 0
			for range 4 {
				at += bytes.IndexByte(lines[i][at:], ',') + 1
			}
			lines[i] = slices.Concat(lines[i][:at], []byte("9"), lines[i][at:])
		}
		return bytes.Join(lines, nil)
	}
	benchsize.Run(b, func(b *testing.B, rows int) {
		old := synthetic(rows)
		cur := revise(old)
		want := (rows + 96) / 97
		b.ReportAllocs()
		b.SetBytes(int64(len(old) + len(cur)))
		for b.Loop() {
			res, err := stats.DiffInputs([]stats.Input{{Name: "old.csv", R: bytes.NewReader(old)}},
				[]stats.Input{{Name: "new.csv", R: bytes.NewReader(cur)}}, stats.LoadOptions{}, stats.Tolerance{})
			if err != nil {
				b.Fatal(err)
			}
			if n := len(res.Revisions); n != want || n > 0 && res.Revisions[0].Kind != stats.Revised {
				b.Fatalf("%d revisions of %d rows, want %d revised", n, rows, want)
			}
		}
	})
}

// TestWideFile checks that the file of BenchmarkCheckStreamWide is what it
// claims: its turnovers and WLD totals hold, so that the benchmark times
// the check of sound data and not the writing of findings.
func TestWideFile(t *testing.T) {
	ds, err := stats.Load(bytes.NewReader(wide(50_000)), "wide.csv", stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ds.Pairs()); n < 119*3 {
		t.Fatalf("%d pairs", n)
	}
	byRule := map[string]int{}
	for _, f := range stats.Check(ds, nil) {
		byRule[f.Rule]++
	}
	for _, rule := range []string{"input", "turnover", "groups", "units"} {
		if byRule[rule] > 0 {
			t.Errorf("%d %s findings", byRule[rule], rule)
		}
	}
}
