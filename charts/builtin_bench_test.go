package charts_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/tradedesk/report/charts"
	"github.com/tradedesk/report/stats"
)

// BenchmarkBuiltIn builds the built-in set of a file with many pairs, so
// that a lookup that scans every row for every figure shows as quadratic
// growth from 1k to 100k rows.
func BenchmarkBuiltIn(b *testing.B) {
	for _, n := range []struct {
		name string
		rows int
	}{{"1k", 1000}, {"100k", 100_000}} {
		var in bytes.Buffer
		in.WriteString("reporter,partner,indicator,period,value,unit,source\n")
		codes := []string{"KAZ", "ARM", "RUS", "CHN", "USA", "DEU", "FRA", "GBR", "ITA", "JPN", "KOR", "IND", "BRA", "CAN", "AUS", "ESP", "MEX", "IDN", "NLD", "TUR"}
		rows := 0
		for year := 1990; rows < n.rows; year++ {
			for _, r := range codes {
				for _, p := range codes {
					if r == p || rows >= n.rows {
						continue
					}
					fmt.Fprintf(&in, "%s,%s,exports,%d,%d.%d,USD million,BNS\n", r, p, year, rows%97, rows%10)
					fmt.Fprintf(&in, "%s,%s,imports,%d,%d.%d,USD million,BNS\n", r, p, year, rows%89, rows%10)
					rows += 2
				}
			}
		}
		ds, err := stats.Load(&in, "bench.csv", stats.LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(n.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if len(charts.BuiltIn(ds, charts.English)) == 0 {
					b.Fatal("no charts")
				}
			}
		})
	}
}
