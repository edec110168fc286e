package stats

import (
	"slices"
	"testing"
)

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

// TestOwnGaps checks that the gaps carried past two checks after their
// year's get memory of their own, the same rows, and so hold none of
// carryGap's arrays; those of the year checked, or carried past one check
// only, stay where they are.
func TestOwnGaps(t *testing.T) {
	c := &checker{}
	cr := &carry{year: 2023, series: make([]carried, 3)}
	old1, old2, now := c.carryGap(2), c.carryGap(3), c.carryGap(1)
	for i, g := range []*carriedGap{old1, old2, now} {
		g.year, g.after, g.inside = 2022, 11, []string{"2022-05"}
		for k := range g.rows {
			g.rows[k] = place{line: int32(10*i + k)}
		}
		cr.series[i].gap = g
	}
	now.year = 2023
	cr.ownGaps() // the check of 2023: the gaps of 2022 carried past one
	for i, g := range []*carriedGap{old1, old2, now} {
		if cr.series[i].gap != g {
			t.Fatalf("gap %d was moved in the check of 2023", i)
		}
	}
	want := []carriedGap{*old1, *old2}
	cr.year = 2024
	cr.ownGaps() // the check of 2024: the gaps of 2022 carried past two
	for i, old := range []*carriedGap{old1, old2} {
		g := cr.series[i].gap
		if g == old || !g.own {
			t.Fatalf("gap %d of 2022 is still in carryGap's arrays", i)
		}
		if &g.rows[0] == &old.rows[0] {
			t.Errorf("gap %d of 2022 shares its rows with the array", i)
		}
		if w := want[i]; g.year != w.year || g.after != w.after || !slices.Equal(g.inside, w.inside) || !slices.Equal(g.rows, w.rows) {
			t.Errorf("gap %d of 2022 became %+v, want %+v", i, *g, w)
		}
	}
	if cr.series[2].gap != now {
		t.Errorf("the gap of 2023, carried past one check, was moved")
	}
	// Once their own, they are not copied again.
	own := cr.series[0].gap
	cr.year = 2025
	cr.ownGaps()
	if cr.series[0].gap != own {
		t.Errorf("a gap of its own was copied again")
	}
	if g := cr.series[2].gap; g == now || !g.own {
		t.Errorf("the gap of 2023 is still in the arrays in 2025")
	}
}
