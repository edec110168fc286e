package charts_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
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
		kept := keepRows(ds, charts.BuiltInReads)
		for _, l := range []charts.Lang{charts.English, charts.Russian, charts.Kazakh} {
			all := charts.BuiltIn(ds, l)
			for _, c := range all {
				if _, err := charts.New(*c); err != nil {
					t.Errorf("%s: built-in chart %s: %v", l, c.ID, err)
				}
			}
			if got := charts.BuiltIn(kept, l); !reflect.DeepEqual(got, all) {
				t.Errorf("%s: the built-in charts of the rows BuiltInReads keeps (%d of %d) are not those of every row", l, len(kept.Obs), len(ds.Obs))
			}
		}
	})
}

// keepRows returns a dataset of the rows of ds that keep reports true of.
func keepRows(ds *stats.Dataset, keep func(*stats.Observation) bool) *stats.Dataset {
	out := &stats.Dataset{Files: ds.Files}
	for i := range ds.Obs {
		if keep(&ds.Obs[i]) {
			out.Obs = append(out.Obs, ds.Obs[i])
		}
	}
	return out
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
