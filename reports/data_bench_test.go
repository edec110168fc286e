package reports

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/tradedesk/report/internal/benchsize"
	"github.com/tradedesk/report/stats"
	"github.com/xuri/excelize/v2"
)

// BenchmarkDataSheet streams n observations into the Data sheets and
// writes the archive, without the other sheets: the part of the workbook
// that grows with the rows.
func BenchmarkDataSheet(b *testing.B) {
	benchsize.Run(b, func(b *testing.B, n int) {
		ds := &stats.Dataset{Files: []string{"bench.csv"}, Rows: n}
		for i := range n {
			ds.Obs = append(ds.Obs, stats.Observation{
				Reporter: "KAZ", Partner: fmt.Sprintf("P%03d", i%200), Indicator: "exports",
				Period: stats.MonthOf(2000+i/2400, i/200%12+1), Value: stats.NewValue(float64(i%1000)/10, 1),
				Unit: "USD million", Source: "Customs", Note: "", Pos: stats.Pos{File: "bench.csv", Line: i + 2},
			})
		}
		w := &Workbook{Data: ds, Period: stats.MonthOf(2000, 1), AsOf: time.Unix(0, 0), TmpDir: b.TempDir()}
		b.ReportAllocs()
		for b.Loop() {
			bl, err := newBuilder(w)
			if err != nil {
				b.Fatal(err)
			}
			if err := bl.st.init(bl.f); err != nil {
				b.Fatal(err)
			}
			for _, name := range bl.data.sheets {
				if _, err := bl.f.NewSheet(name); err != nil {
					b.Fatal(err)
				}
			}
			if err := bl.writeData(); err != nil {
				b.Fatal(err)
			}
			z := &detZip{dst: io.Discard, tmpDir: w.TmpDir, root: sheetHead(bl.partDims()), splice: bl.partSegments()}
			bl.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return z })
			if _, err := bl.f.WriteTo(io.Discard); err != nil {
				b.Fatal(err)
			}
			bl.close()
		}
	})
}
