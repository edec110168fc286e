package reports_test

import (
	"fmt"
	"io"
	"iter"
	"testing"

	"github.com/tradedesk/report/internal/benchsize"
	"github.com/tradedesk/report/reports"
	"github.com/tradedesk/report/stats"
)

// benchData returns n observations shaped like a customs office's detail:
// exports, imports and turnover by reporter, partner and month, with up to
// 10,000 pairs and as many months as n needs.
func benchData(n int) *stats.Dataset {
	pairs := min(max(1, n/72), 10000)
	ds := &stats.Dataset{Files: []string{"bench.csv"}, Rows: n, Obs: make([]stats.Observation, 0, n)}
	inds := [3]string{"exports", "imports", "turnover"}
	for i := range n {
		p, m := (i/3)%pairs, (i/3)/pairs
		e := float64(10+(i/3)%97) + 0.1*float64(m%10)
		im := float64(5 + (i/3)%53)
		v := [3]float64{e, im, e + im}[i%3]
		ds.Obs = append(ds.Obs, stats.Observation{
			Reporter: fmt.Sprintf("R%02d", p/200), Partner: fmt.Sprintf("P%03d", p%200), Indicator: inds[i%3],
			Period: stats.MonthOf(2000+m/12, m%12+1), Value: stats.NewValue(v, 1), Unit: "USD million",
			Source: "Customs", Pos: stats.Pos{File: "bench.csv", Line: i + 2, Column: 30},
		})
	}
	return ds
}

// benchRows yields the observations of benchData(n) one by one, made as
// they are asked for, as a reader of a file would: none is kept.
func benchRows(n int) iter.Seq2[stats.Observation, error] {
	return func(yield func(stats.Observation, error) bool) {
		pairs := min(max(1, n/72), 10000)
		inds := [3]string{"exports", "imports", "turnover"}
		var reporters, partners []string
		for p := range pairs {
			reporters = append(reporters, fmt.Sprintf("R%02d", p/200))
			partners = append(partners, fmt.Sprintf("P%03d", p%200))
		}
		for i := range n {
			p, m := (i/3)%pairs, (i/3)/pairs
			e := float64(10+(i/3)%97) + 0.1*float64(m%10)
			im := float64(5 + (i/3)%53)
			v := [3]float64{e, im, e + im}[i%3]
			o := stats.Observation{
				Reporter: reporters[p], Partner: partners[p], Indicator: inds[i%3],
				Period: stats.MonthOf(2000+m/12, m%12+1), Value: stats.NewValue(v, 1), Unit: "USD million",
				Source: "Customs", Pos: stats.Pos{File: "bench.csv", Line: i + 2, Column: 30},
			}
			if !yield(o, nil) {
				return
			}
		}
	}
}

// BenchmarkDataWorkbook writes the Data sheets from rows made as they are
// written, none of them kept: the memory that a workbook streamed from a
// file needs.
func BenchmarkDataWorkbook(b *testing.B) {
	benchsize.Run(b, func(b *testing.B, n int) {
		w := &reports.DataWorkbook{Rows: benchRows(n), AsOf: asOf, TmpDir: b.TempDir()}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := w.WriteTo(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkWriteTo writes the whole workbook: the Data sheet with every
// row, and the Summary and Series of every pair.
func BenchmarkWriteTo(b *testing.B) {
	benchsize.Run(b, func(b *testing.B, n int) {
		ds := benchData(n)
		w := &reports.Workbook{Data: ds, Period: stats.MonthOf(2000, 12), AsOf: asOf, TmpDir: b.TempDir()}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := w.WriteTo(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
}
