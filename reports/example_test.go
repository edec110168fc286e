package reports_test

import (
	"log"
	"os"
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
