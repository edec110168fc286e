package findings_test

import (
	"fmt"
	"io"
	"testing"

	"github.com/tradedesk/report/stats"
	"github.com/tradedesk/report/stats/findings"
)

// BenchmarkWrite writes, in each format, a report like that of a customs
// office's detail: 4,000 world totals that do not add up, each naming the
// rows of its 245 partners, and 10,000 mirror gaps. The formats write as
// they go: B/op stays near the output's own size (the JSON formats were
// held whole, twice, before).
func BenchmarkWrite(b *testing.B) {
	var fs []stats.Finding
	for i := range 4000 {
		rows := make([]stats.Pos, 246)
		for j := range rows {
			rows[j] = stats.Pos{File: "customs.csv", Line: 2 + i*246 + j, Column: 26}
		}
		fs = append(fs, stats.Finding{Rule: "groups", Severity: stats.Error, Rows: rows, Series: fmt.Sprintf("R%03d–WLD turnover 1995-06", i),
			Numbers: true, Expected: 229, Actual: 12182.7, Difference: 11953.7, Tolerance: 12.3, Decimals: 1,
			Message: fmt.Sprintf("R%03d–WLD turnover 1995-06 is 229.0, less than the 245 economies in the data add up to: 12182.7", i)})
	}
	for i := range 10000 {
		fs = append(fs, stats.Finding{Rule: "mirror", Severity: stats.Warning,
			Rows:   []stats.Pos{{File: "customs.csv", Line: 1000000 + i, Column: 24}, {File: "customs.csv", Line: 2000000 + i, Column: 24}},
			Series: fmt.Sprintf("A%04d–B imports 1995-03", i), Numbers: true, Expected: 37.1, Actual: 20, Difference: -17.1, Tolerance: 9.3, Decimals: 1,
			Message: "mirror gap of -46%: imports 20.0, but the partner reports exports 35.0"})
	}
	stats.SortFindings(fs)
	rep := &findings.Report{Findings: fs, Inputs: []string{"customs.csv"}, Observations: 1000000, ToolVersion: "v1.2.3"}
	for _, format := range findings.Formats() {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := findings.Write(io.Discard, format, rep); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
