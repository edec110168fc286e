package stats_test

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

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

var sizes = []struct {
	name string
	rows int
}{{"1k", 1000}, {"100k", 100_000}, {"1M", 1_000_000}}

// benchFiles runs read on the synthetic file of each size, made into
// another one by shape when it is not nil, in bytes a second.
func benchFiles(b *testing.B, shape func([]byte) []byte, read func(in []byte) error) {
	for _, sz := range sizes {
		in := synthetic(sz.rows)
		if shape != nil {
			in = shape(in)
		}
		b.Run(sz.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				if err := read(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkLoad(b *testing.B) {
	benchFiles(b, nil, func(in []byte) error {
		_, err := stats.Load(bytes.NewReader(in), "bench.csv", stats.LoadOptions{})
		return err
	})
}

func BenchmarkCheck(b *testing.B) {
	for _, sz := range sizes {
		ds, err := stats.Load(bytes.NewReader(synthetic(sz.rows)), "bench.csv", stats.LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(sz.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				stats.Check(ds, nil)
			}
		})
	}
}

// BenchmarkRule runs each built-in rule alone, so that a regression in one
// rule family shows by name.
func BenchmarkRule(b *testing.B) {
	for _, sz := range sizes {
		ds, err := stats.Load(bytes.NewReader(synthetic(sz.rows)), "bench.csv", stats.LoadOptions{})
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
			b.Run(r.ID+"/"+sz.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					stats.Check(ds, cfg)
				}
			})
		}
	}
}

// BenchmarkCheckStream reads and checks the synthetic files a year at a
// time, as report check does with a file in year order.
func BenchmarkCheckStream(b *testing.B) {
	benchFiles(b, nil, func(in []byte) error {
		_, err := stats.CheckStream(bytes.NewReader(in), "bench.csv", stats.LoadOptions{}, nil)
		return err
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
	benchFiles(b, reverse, func(in []byte) error {
		// A reader that cannot seek goes through the files of the years
		// at once.
		r := struct{ io.Reader }{bytes.NewReader(in)}
		_, err := stats.CheckInputs([]stats.Input{{Name: "bench.csv", R: r}}, stats.LoadOptions{}, nil)
		return err
	})
}
