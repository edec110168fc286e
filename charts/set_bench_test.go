package charts_test

import (
	"os"
	"testing"

	"github.com/tradedesk/report/charts"
	"github.com/tradedesk/report/stats"
)

// BenchmarkWriteSet writes the 50 article charts of testdata/bench as PNG,
// the set that is timed against chart_matplotlib.py: grouped exports and
// imports for ten years with title, subtitle, legend, value labels and
// source, at 2400×1350 pixels.
func BenchmarkWriteSet(b *testing.B) {
	data, err := os.Open("testdata/bench/trade50.csv")
	if err != nil {
		b.Fatal(err)
	}
	defer data.Close()
	ds, err := stats.Load(data, "trade50.csv", stats.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	file, err := os.Open("testdata/bench/spec50.yaml")
	if err != nil {
		b.Fatal(err)
	}
	defer file.Close()
	spec, err := charts.ParseSpec(file, "spec50.yaml", nil)
	if err != nil {
		b.Fatal(err)
	}
	outs, err := spec.Outputs(ds)
	if err != nil {
		b.Fatal(err)
	}
	if len(outs) != 50 {
		b.Fatalf("spec50.yaml has %d charts, want 50", len(outs))
	}
	dir := b.TempDir()
	b.Run("50-png", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := charts.WriteSet(dir, outs, charts.Options{AsOf: asOf}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
