package stats

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// checkAdditivity checks flows over time within each series of each source.
//
// For every figure P that spans more than one finer period (a year, a
// quarter, an interval), and every finer kind whose periods exactly cover
// P, when all of them are in the data their sum must equal P (months to a
// quarter or a year, quarters to a year, years to 2005/2024, months to
// 2024-01/2024-07), and so must the coarser periods that cover an
// interval exactly (the quarters of 2024-01/2024-09). A figure of the same
// days written another way (2024-01/2024-03 and 2024-Q1, or
// 2024-Q1/2024-Q3 and 2024-01/2024-09) must equal it, and so must the
// fewest other figures that follow one another from its first day to
// its last (the half-years 2024-01/2024-06 and 2024-07/2024-12 of 2024;
// 2024-01/2024-06 and 2024-07 of 2024-01/2024-07; 2005/2022, 2023 and
// 2024 of 2005/2024), checked before the figures they lie in. Unless one
// of these fails, the figures inside P that do not overlap must add up
// to no more than P; that bound is only drawn for indicators that cannot be
// negative. Among the many disjoint sets of figures inside P, the one
// with the largest lower bound is tested, found by weighted interval
// scheduling, so that January–July against the year and the years against
// 2005/2024 are both caught, also when the year's quarters add up to it.
//
// A figure found wrong is not held against another after that, so that
// one wrong figure is told once, at its row: a year-to-date interval that
// is not the sum of its months is not bounded by its year as well, and
// the interval 2024-01/2024-12 is not told beside a year 2024 that is not
// the sum of its months.
func checkAdditivity(c *checker) {
	for id, fs := range c.flowSeries(0, len(c.keys)) {
		// A month cannot be covered by days the series lacks, and nothing
		// lies strictly inside it when the series is all months.
		info, obs, singles, intervals := fs.info, fs.obs, fs.singles, fs.intervals
		if fs.oneKind() {
			continue // all single periods of one kind: none inside another
		}
		failed := map[*fig]bool{}
		finer := make([]bool, len(obs)) // whether a figure may have others inside it
		// The sums of finer periods first, then those of coarser ones and
		// the same days, whose figures may be the wrong ones.
		for _, coarser := range []bool{false, true} {
			for i, p := range obs {
				if failed[p] {
					continue
				}
				for k := Year; k <= Day; k++ {
					if (k < p.Period.Kind()) != coarser || (k == p.Period.Kind() && !p.Period.IsInterval()) || !singles[k] {
						continue
					}
					finer[i] = true
					parts, ok := c.coverOf(int32(id), p.Period, k, len(obs))
					if ok && !slices.ContainsFunc(parts, func(o *fig) bool { return failed[o] }) && !c.sumEquals(p, parts) {
						failed[p] = true
					}
				}
				if coarser && !failed[p] {
					for j := i - 1; j >= 0 && obs[j].Period.Days() == p.Period.Days(); j-- {
						if o := obs[j]; !failed[o] && o.Period.Kind() < p.Period.Kind() && !c.sumEquals(p, []*fig{o}) {
							failed[p] = true
						}
					}
				}
			}
		}
		if intervals || kindsIn(singles) >= 3 {
			// Figures that follow one another from P's first day to its
			// last without being the single periods of one kind: only
			// intervals, or singles of two kinds finer than a third, can.
			// The parts go before the wholes they lie in (obs from the end:
			// by first day, the longer first), so that a wrong half-year
			// is told at its row and not held against its year.
			for i := len(obs) - 1; i >= 0; i-- {
				if p := obs[i]; !failed[p] {
					if parts, ok := tilingOf(p.Period, obs, failed); ok && !c.sumEquals(p, parts) {
						failed[p] = true
					}
				}
			}
		}
		if info.Negative {
			continue
		}
		for i, p := range obs {
			if !failed[p] && (finer[i] || intervals) {
				c.partialAtMost(p, obs, failed)
			}
		}
	}
}

// kindsIn returns how many kinds of single period singles marks.
func kindsIn(singles [Day + 1]bool) int {
	n := 0
	for _, has := range singles {
		if has {
			n++
		}
	}
	return n
}

// tilingOf returns the fewest figures of obs, sorted by first day, that
// follow one another from the first day of per to its last, each inside
// per and none of failed or of per's days, when there are two or more
// and they are not all single periods of one kind (those are coverOf's):
// the half-years 2024-01/2024-06 and 2024-07/2024-12 of 2024, or
// 2005/2022, 2023 and 2024 of 2005/2024. failed may be nil.
func tilingOf(per Period, obs []*fig, failed map[*fig]bool) ([]*fig, bool) {
	pf, pl := per.days()
	from := firstFrom(obs, pf)
	inside := func(o *fig) (f, l int64, ok bool) {
		f, l = o.Period.days()
		return f, l, l <= pl && !(f == pf && l == pl) && !failed[o]
	}
	// Most figures have none inside them, or only singles of one kind:
	// no map is made for them.
	mixed, first := false, (*fig)(nil)
	for _, o := range obs[from:] {
		if f, _ := o.Period.days(); f > pl {
			break
		}
		if _, _, ok := inside(o); !ok {
			continue
		}
		if first == nil {
			first = o
		}
		mixed = mixed || o.Period.IsInterval() || o.Period.Kind() != first.Period.Kind()
	}
	if !mixed {
		return nil, false
	}
	// chain[j]: the fewest figures from pf to the end of figure cand[j];
	// ends: the chain of fewest figures that ends on a day.
	type link struct {
		o    *fig
		prev int // index of the figure before, -1 for the first
		n    int
	}
	var chain []link
	ends := map[int64]int{}
	best := -1
	for _, o := range obs[from:] {
		f, l, ok := inside(o)
		if f > pl {
			break
		}
		if !ok {
			continue
		}
		x := link{o, -1, 1}
		if f != pf {
			j, ok := ends[f-1]
			if !ok {
				continue
			}
			x.prev, x.n = j, chain[j].n+1
		}
		if j, ok := ends[l]; ok && chain[j].n <= x.n {
			continue
		}
		ends[l] = len(chain)
		chain = append(chain, x)
		if l == pl {
			best = len(chain) - 1
		}
	}
	if best < 0 {
		return nil, false
	}
	parts := make([]*fig, chain[best].n)
	oneKind := true
	for j, k := best, len(parts)-1; j >= 0; j, k = chain[j].prev, k-1 {
		parts[k] = chain[j].o
		oneKind = oneKind && !parts[k].Period.IsInterval() && parts[k].Period.Kind() == chain[best].o.Period.Kind()
	}
	return parts, !oneKind
}

// coverOf returns the figures of series id, of n figures, that cover per
// exactly by periods of kind k, in order, when there are two or more and
// the series has them all.
func (c *checker) coverOf(id int32, per Period, k PeriodKind, n int) ([]*fig, bool) {
	// A cover longer than the series cannot be complete; checking that
	// first keeps 0001/9999 from listing millions of days.
	first, last, ok := per.coverBounds(k)
	if m := int(last-first) + 1; !ok || m < 2 || m > n {
		return nil, false
	}
	parts := make([]*fig, 0, last-first+1)
	for i := first; i <= last; i++ {
		o := c.cellOf(id, Period{k, i, i})
		if o == nil {
			return nil, false
		}
		parts = append(parts, o)
	}
	return parts, true
}

// firstFrom returns the index of the first of obs, sorted by first day,
// whose period begins on day or later.
func firstFrom(obs []*fig, day int64) int {
	i, _ := slices.BinarySearchFunc(obs, day, func(o *fig, d int64) int {
		f, _ := o.Period.days()
		return cmp.Compare(f, d)
	})
	return i
}

// appendValid appends to out the first valid observation of each period of
// obs, which are sorted by period.
func appendValid(out, obs []*fig) []*fig {
	from := len(out)
	for _, o := range obs {
		if !o.Value().Valid {
			continue
		}
		if n := len(out); n > from && out[n-1].Period == o.Period {
			continue
		}
		out = append(out, o)
	}
	return out
}

// sumEquals tests that parts, the periods that cover p exactly, add up
// to it, and reports whether they do (or cannot be compared).
func (c *checker) sumEquals(p *fig, parts []*fig) bool {
	sum := Exact(0)
	dec := p.Value().Decimals
	rows := []Pos{p.Pos()}
	for _, o := range parts {
		iv, ok := convert(o, p.Unit())
		if !ok {
			return true
		}
		sum = sum.Add(iv)
		dec = max(dec, decimalsIn(o, p.Unit()))
		rows = append(rows, o.Pos())
	}
	diff, tol, ok := c.curCfg.Tolerance.Equal(sum, p.Value().Interval())
	if ok {
		return true
	}
	f := Finding{Rows: rows, Series: label(p), Numbers: true,
		Expected: sum.Mid(), Actual: p.Value().Num, Difference: diff, Tolerance: tol, Decimals: dec}
	switch {
	case len(parts) == 1:
		f.Message = fmt.Sprintf("%s is %s, but %s, the same days, is %s",
			label(p), p.Value(), parts[0].Period, f.Format(sum.Mid()))
	case slices.ContainsFunc(parts, func(o *fig) bool {
		return o.Period.IsInterval() || o.Period.Kind() != parts[0].Period.Kind()
	}):
		names := make([]string, len(parts))
		for i, o := range parts {
			names[i] = o.Period.String() + " " + valueUnlike(o, p)
		}
		f.Message = fmt.Sprintf("%s is %s, but the periods that cover it add up to %s: %s",
			label(p), p.Value(), f.Format(sum.Mid()), strings.Join(names, " + "))
	default:
		f.Message = fmt.Sprintf("%s is %s, but its %d %ss %s add up to %s",
			label(p), p.Value(), len(parts), parts[0].Period.Kind(), spanOf(parts), f.Format(sum.Mid()))
	}
	c.emit(f)
	return false
}

func spanOf(parts []*fig) string {
	return parts[0].Period.String() + "…" + parts[len(parts)-1].Period.String()
}

// partialAtMost tests that the heaviest set of disjoint figures strictly
// inside p adds up to no more than p. obs is sorted by first day.
// Figures of failed, found wrong, are left out.
func (c *checker) partialAtMost(p *fig, obs []*fig, failed map[*fig]bool) {
	pf, pl := p.Period.days()
	type cand struct {
		o      *fig
		iv     Interval
		f, l   int64
		weight float64
	}
	var cs []cand
	i := firstFrom(obs, pf)
	for ; i < len(obs); i++ {
		o := obs[i]
		f, l := o.Period.days()
		if f > pl {
			break
		}
		if l > pl || o == p || o.Period == p.Period || failed[o] {
			continue
		}
		if f == pf && l == pl {
			// The same days written another way (2024-01/2024-03 and
			// 2024-Q1): checkAdditivity has them equal.
			continue
		}
		iv, ok := convert(o, p.Unit())
		if !ok {
			continue
		}
		cs = append(cs, cand{o, iv, f, l, iv.Lo})
	}
	if len(cs) == 0 {
		return
	}
	// Weighted interval scheduling: best[j] is the heaviest disjoint set
	// among the first j candidates by last day.
	slices.SortStableFunc(cs, func(a, b cand) int { return cmp.Or(cmp.Compare(a.l, b.l), cmp.Compare(a.f, b.f)) })
	best := make([]float64, len(cs)+1)
	take := make([]bool, len(cs))
	prev := make([]int, len(cs))
	for j, x := range cs {
		// prev[j]: candidates ending before x starts.
		prev[j], _ = slices.BinarySearchFunc(cs[:j], x.f, func(y cand, d int64) int {
			if y.l < d {
				return -1
			}
			return 1
		})
		with := best[prev[j]] + x.weight
		if with > best[j] {
			best[j+1], take[j] = with, true
		} else {
			best[j+1] = best[j]
		}
	}
	var chosen []cand
	for j := len(cs) - 1; j >= 0; {
		if take[j] {
			chosen = append(chosen, cs[j])
			j = prev[j] - 1
		} else {
			j--
		}
	}
	slices.Reverse(chosen)
	sum := Exact(0)
	dec := p.Value().Decimals
	rows := []Pos{p.Pos()}
	var names []string
	for _, x := range chosen {
		sum = sum.Add(x.iv)
		dec = max(dec, decimalsIn(x.o, p.Unit()))
		rows = append(rows, x.o.Pos())
		names = append(names, x.o.Period.String()+" "+valueUnlike(x.o, p))
	}
	diff, tol, ok := c.curCfg.Tolerance.AtMost(sum, p.Value().Interval())
	if ok {
		return
	}
	f := Finding{Rows: rows, Series: label(p), Numbers: true,
		Expected: p.Value().Num, Actual: sum.Mid(), Difference: diff, Tolerance: tol, Decimals: dec}
	what := "a part of it"
	if len(chosen) > 1 {
		what = "parts of it"
	}
	f.Message = fmt.Sprintf("%s is %s, less than %s inside it: %s = %s",
		label(p), p.Value(), what, strings.Join(names, " + "), f.Format(sum.Mid()))
	if len(chosen) == 1 {
		f.Message = fmt.Sprintf("%s is %s, less than %s %s inside it",
			label(p), p.Value(), chosen[0].o.Period, valueUnlike(chosen[0].o, p))
	}
	c.emit(f)
}
