package charts_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/tradedesk/report/charts"
	"github.com/tradedesk/report/stats"
)

// FuzzBuiltIn checks that the built-in charts of any data the tidy format
// loads are charts New accepts, in every language: a figure written to 45
// decimals once made one New refused, and report charts stopped with an
// internal error.
func FuzzBuiltIn(f *testing.F) {
	addSeeds(f, filepath.Join("testdata", "*.csv"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := stats.Load(bytes.NewReader(data), "fuzz.csv", stats.LoadOptions{})
		if err != nil {
			return
		}
		for _, l := range []charts.Lang{charts.English, charts.Russian, charts.Kazakh} {
			for _, c := range charts.BuiltIn(ds, l) {
				if _, err := charts.New(*c); err != nil {
					t.Errorf("%s: built-in chart %s: %v", l, c.ID, err)
				}
			}
		}
	})
}

// addSeeds adds the files that pattern matches to f's seed corpus.
func addSeeds(f *testing.F, pattern string) {
	paths, _ := filepath.Glob(pattern)
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}
