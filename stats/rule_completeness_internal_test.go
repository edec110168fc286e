package stats

import "testing"

// TestCarryGap checks that the gaps carryGap hands out, and their rows,
// share no memory, across the arrays it makes.
func TestCarryGap(t *testing.T) {
	c := &checker{}
	var gaps []*carriedGap
	for i := range 3*gapsAtOnce + 7 {
		n := i%13 + 1
		if i == 2000 {
			n = 13 * gapsAtOnce // more rows than an array holds
		}
		g := c.carryGap(n)
		if len(g.rows) != n || cap(g.rows) != n {
			t.Fatalf("gap %d: %d rows, room for %d, want %d", i, len(g.rows), cap(g.rows), n)
		}
		g.year = i
		for k := range g.rows {
			g.rows[k].line = int32(i)
		}
		gaps = append(gaps, g)
	}
	for i, g := range gaps {
		if g.year != i {
			t.Fatalf("gap %d was overwritten by gap %d", i, g.year)
		}
		for _, r := range g.rows {
			if r.line != int32(i) {
				t.Fatalf("a row of gap %d was overwritten by gap %d", i, r.line)
			}
		}
	}
}
