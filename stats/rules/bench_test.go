package rules_test

import (
	"fmt"
	"testing"

	"github.com/tradedesk/report/stats"
	"github.com/tradedesk/report/stats/rules"
)

// benchData returns about n observations: exports, imports and turnover of
// 20 years for as many reporter–partner pairs as it takes.
func benchData(n int) *stats.Dataset {
	ds := &stats.Dataset{Files: []string{"bench.csv"}}
	line := 2
	for pair := 0; len(ds.Obs) < n; pair++ {
		partner := fmt.Sprintf("P%02d", pair)
		for y := 2005; y < 2025; y++ {
			x, m := float64(pair%50+y%7)+0.3, float64(y%11)+0.8
			for _, f := range []struct {
				ind string
				v   float64
			}{{"exports", x}, {"imports", m}, {"turnover", x + m}} {
				ds.Obs = append(ds.Obs, stats.Observation{Reporter: "KAZ", Partner: partner, Indicator: f.ind,
					Period: stats.YearOf(y), Value: stats.NewValue(f.v, 1), Unit: "USD million", Source: "BNS",
					Pos: stats.Pos{File: "bench.csv", Line: line, Column: 20}})
				line++
			}
		}
	}
	return ds
}

func BenchmarkEvaluate(b *testing.B) {
	f, err := rules.Parse([]byte(`rules:
  - id: turnover-2023
    assert: turnover["2023"] == exports["2023"] + imports["2023"]
  - id: growth
    severity: warning
    assert: growth(turnover["2024"], turnover["2023"]) > -0.5
  - id: missing
    assert: exports["2030"] > 0
`), "bench.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for _, size := range []struct {
		name string
		n    int
	}{{"1k", 1000}, {"100k", 100000}} {
		b.Run(size.name, func(b *testing.B) {
			ds := benchData(size.n)
			b.ReportAllocs()
			for b.Loop() {
				f.Evaluate(ds)
			}
		})
	}
}
