package reports_test

import (
	"fmt"
	"iter"
	"log"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/tradedesk/report/reports"
	"github.com/tradedesk/report/stats"
)

// The workbook of a quarter, written to a file through a temporary file
// that is renamed into place.
func ExampleWriteFile() {
	ds, err := stats.LoadFile("trade.csv", stats.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	f, err := os.Open("trade.csv")
	if err != nil {
		log.Fatal(err)
	}
	in, err := reports.HashInput("trade.csv", f)
	f.Close()
	if err != nil {
		log.Fatal(err)
	}
	q3, _ := stats.ParsePeriod("2024-Q3")
	w := &reports.Workbook{
		Data:     ds,
		Findings: stats.Check(ds, nil),
		Period:   q3,
		Inputs:   []reports.Input{in},
		Version:  "v1.2.0",
		AsOf:     time.Date(2024, 10, 15, 0, 0, 0, 0, time.UTC),
	}
	if err := reports.WriteFile("out/"+reports.FileName(q3), w); err != nil {
		log.Fatal(err)
	}
}

// The workbook of the latest period in the data, written to any
// io.Writer.
func ExampleWorkbook_WriteTo() {
	ds, err := stats.LoadFile("trade.csv", stats.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	w := &reports.Workbook{Data: ds, Findings: stats.Check(ds, nil), AsOf: time.Unix(1728950400, 0)}
	if _, err := w.WriteTo(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// The period a workbook defaults to, found in rows read one at a time:
// the latest quarter, here made of the three months of one series.
func ExampleDefaultPeriodOf() {
	data := `reporter,partner,indicator,period,value,unit,source
KAZ,ARM,exports,2024,100.0,USD million,BNS
KAZ,ARM,exports,2025-01,1.1,USD million,BNS
KAZ,ARM,exports,2025-02,1.2,USD million,BNS
KAZ,ARM,exports,2025-03,1.3,USD million,BNS
KAZ,ARM,exports,2025-04,1.4,USD million,BNS
`
	p, ok, err := reports.DefaultPeriodOf(stats.Observations(strings.NewReader(data), "trade.csv", stats.LoadOptions{}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p, ok)
	// Output: 2025-Q1 true
}

// The workbook of a file too large to hold at once: its rows are read
// once for the Data sheets and what the other sheets count, and again for
// each group of reporter–partner pairs.
func ExampleWorkbook_Rows() {
	const name = "customs.csv"
	read := func() iter.Seq2[stats.Observation, error] {
		return func(yield func(stats.Observation, error) bool) {
			f, err := os.Open(name)
			if err != nil {
				yield(stats.Observation{}, err)
				return
			}
			defer f.Close()
			for o, err := range stats.Observations(f, name, stats.LoadOptions{}) {
				if !yield(o, err) || err != nil {
					return
				}
			}
		}
	}
	q3, _ := stats.ParsePeriod("2024-Q3")
	w := &reports.Workbook{
		Data:   &stats.Dataset{Files: []string{name}},
		Period: q3,
		AsOf:   time.Date(2024, 10, 15, 0, 0, 0, 0, time.UTC),
		Rows:   read(),
		Group: func(pairs []stats.Pair) (*stats.Dataset, error) {
			ds := &stats.Dataset{Files: []string{name}}
			for o, err := range read() {
				if err != nil {
					return nil, err
				}
				if slices.Contains(pairs, stats.Pair{Reporter: o.Reporter, Partner: o.Partner}) {
					ds.Obs = append(ds.Obs, o)
				}
			}
			return ds, nil
		},
		GroupRows: 200_000,
	}
	if err := reports.WriteFile("out/"+reports.FileName(q3), w); err != nil {
		log.Fatal(err)
	}
}
