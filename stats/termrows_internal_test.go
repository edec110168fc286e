package stats

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestTermRows checks that termRows lists a finding's terms in the order
// of their places, line then column, whether they are few enough to sort
// as numbers with their places in terms or not, and of one input or of
// several.
func TestTermRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	one, other := &fileName{name: "a.csv"}, &fileName{name: "b.csv"}
	for _, n := range []int{0, 1, 2, 245, 1 << termBits, 1<<termBits + 1, 3000} {
		for _, files := range [][]*fileName{{one}, {one, other}} {
			terms := make([]*fig, n)
			for i := range terms {
				e := &seriesEntry{file: files[rng.IntN(len(files))]}
				// Lines repeat, so that columns decide too.
				terms[i] = &fig{seriesEntry: e, line: int32(2 + rng.IntN(n+1)), col: int32(1 + rng.IntN(maxLineBytes))}
			}
			o := &fig{seriesEntry: &seriesEntry{file: one}, line: 1, col: 1}
			c := &checker{cfg: &Config{}}
			rows := c.termRows(o, slices.Clone(terms), nil)
			if len(rows) != n+1 || rows[0] != o.Pos() {
				t.Fatalf("%d terms of %d files: %d rows, the first %v; want %d, the first %v", n, len(files), len(rows), rows[0], n+1, o.Pos())
			}
			want := make([]Pos, n)
			for i, f := range terms {
				want[i] = f.Pos()
			}
			slices.SortFunc(want, func(a, b Pos) int { return comparePos(a, b) })
			if !slices.Equal(rows[1:], want) {
				t.Errorf("%d terms of %d files: rows not in the order of their places", n, len(files))
			}
			if !slices.IsSortedFunc(rows[1:], func(a, b Pos) int { return cmp.Compare(a.Line, b.Line) }) && len(files) == 1 {
				t.Errorf("%d terms of one file: rows not by line", n)
			}
		}
	}
}
