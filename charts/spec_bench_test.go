package charts_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/tradedesk/report/charts"
	"github.com/tradedesk/report/internal/benchsize"
	"github.com/tradedesk/report/stats"
)

// oneChartSpec draws Kazakhstan's exports and imports with Armenia by
// month over 2000, with turnover labelled above each month: one article
// chart, as a desk declares it.
const oneChartSpec = `charts:
  - id: kaz-arm-2000
    kind: grouped
    title: Kazakhstan - Armenia trade in 2000
    total: turnover
    series:
      reporter: KAZ
      partner: ARM
      indicators: [exports, imports]
      periods: [2000-01, 2000-02, 2000-03, 2000-04, 2000-05, 2000-06, 2000-07, 2000-08, 2000-09, 2000-10, 2000-11, 2000-12]
`

// benchEconomies returns n valid economy codes, KAZ and ARM first, then
// the others in alphabetical order.
func benchEconomies(n int) []string {
	codes := []string{"KAZ", "ARM"}
	for a := 'A'; a <= 'Z' && len(codes) < n; a++ {
		for b := 'A'; b <= 'Z' && len(codes) < n; b++ {
			for c := 'A'; c <= 'Z' && len(codes) < n; c++ {
				code := string([]rune{a, b, c})
				if code != "KAZ" && code != "ARM" && stats.ValidCode(code) {
					codes = append(codes, code)
				}
			}
		}
	}
	return codes[:n]
}

// economiesFor returns how many economies make ten years of months of n
// rows of monthlyTrade: three rows a month of every pair.
func economiesFor(n int) int {
	e := 2
	for e*(e-1)*3*120 < n {
		e++
	}
	return e
}

// monthlyTrade returns a file of about n rows: the exports, imports and
// turnover of every pair of as many economies as make ten years of months
// of n rows, month after month from January 2000, as an agency's extract
// comes.
func monthlyTrade(n int) []byte {
	codes := benchEconomies(economiesFor(n))
	var in bytes.Buffer
	in.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	rows := 0
	for m := 0; rows < n; m++ {
		period := stats.MonthOf(2000+m/12, m%12+1)
		for i, r := range codes {
			for j, p := range codes {
				if r == p {
					continue
				}
				x, y := (i*31+j*17+m*7)%900+10, (i*13+j*29+m*11)%700+10
				fmt.Fprintf(&in, "%s,%s,exports,%s,%d.%d,USD million,Customs\n", r, p, period, x/10, x%10)
				fmt.Fprintf(&in, "%s,%s,imports,%s,%d.%d,USD million,Customs\n", r, p, period, y/10, y%10)
				fmt.Fprintf(&in, "%s,%s,turnover,%s,%d.%d,USD million,Customs\n", r, p, period, (x+y)/10, (x+y)%10)
				rows += 3
			}
		}
	}
	return in.Bytes()
}

// BenchmarkSpecChart builds one chart of a spec from data of 1k, 100k
// and 1M rows loaded whole (Spec.Outputs, which indexes the rows) and
// draws it in PNG at the article size: the chart's part of report charts
// --spec, which grows with the rows only through the index.
func BenchmarkSpecChart(b *testing.B) {
	spec, err := charts.ParseSpec(strings.NewReader(oneChartSpec), "bench.yaml", nil)
	if err != nil {
		b.Fatal(err)
	}
	benchsize.Run(b, func(b *testing.B, rows int) {
		ds, err := stats.Load(bytes.NewReader(monthlyTrade(rows)), "bench.csv", stats.LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		var png bytes.Buffer
		for b.Loop() {
			outs, err := spec.Outputs(ds)
			if err != nil {
				b.Fatal(err)
			}
			png.Reset()
			if err := charts.Render(&png, outs[0].Chart, charts.PNG, charts.Options{Size: charts.Article, AsOf: asOf}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(ds.Obs)), "rows")
	})
}

// TestMonthlyTrade checks the benchmark's data: as many rows as asked for,
// and fewer than a month's more, every one valid, and the chart's twelve
// months of KAZ–ARM exports and imports drawn from them.
func TestMonthlyTrade(t *testing.T) {
	t.Parallel()
	spec, err := charts.ParseSpec(strings.NewReader(oneChartSpec), "bench.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1000, 20_000} {
		ds, err := stats.Load(bytes.NewReader(monthlyTrade(n)), "bench.csv", stats.LoadOptions{})
		if err != nil {
			t.Fatalf("%d rows: %v", n, err)
		}
		e := economiesFor(n)
		if month := e * (e - 1) * 3; len(ds.Obs) < n || len(ds.Obs) >= n+month {
			t.Errorf("asked for %d rows, got %d", n, len(ds.Obs))
		}
		outs, err := spec.Outputs(ds)
		if err != nil {
			t.Fatalf("%d rows: %v", n, err)
		}
		c := outs[0].Chart
		if len(c.Categories) != 12 || len(c.Series) != 2 {
			t.Fatalf("%d rows: %d categories and %d series, want 12 and 2", n, len(c.Categories), len(c.Series))
		}
		for _, s := range c.Series {
			for i, missing := range s.Missing {
				if missing {
					t.Errorf("%d rows: %s of %s is missing", n, s.Name, c.Categories[i])
				}
			}
		}
		if c.Total == nil || len(c.Total.Values) != 12 {
			t.Errorf("%d rows: no turnover above the months", n)
		}
	}
}
