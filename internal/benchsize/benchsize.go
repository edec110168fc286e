// Package benchsize gives the benchmarks of rows of every package the same
// sizes, so that their figures line up: 1k, 100k and 1M rows. Only tests
// import it.
package benchsize

import "testing"

// Size is a number of rows and its name in a benchmark's name.
type Size struct {
	Name string // "1k", "100k", "1M"
	Rows int
}

// Sizes are the sizes benchmarks of rows run at, smallest first.
var Sizes = []Size{{"1k", 1000}, {"100k", 100_000}, {"1M", 1_000_000}}

// Run runs bench as a sub-benchmark of b, named by the size, for each of
// Sizes; in -short mode it skips those of more than 100k rows.
func Run(b *testing.B, bench func(b *testing.B, rows int)) {
	for _, s := range Sizes {
		b.Run(s.Name, func(b *testing.B) {
			if s.Rows > 100_000 && testing.Short() {
				b.Skipf("%s rows in -short mode", s.Name)
			}
			bench(b, s.Rows)
		})
	}
}
