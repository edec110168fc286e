package stats

import (
	"fmt"
	"math/bits"
	"strings"
)

// checkCompleteness warns about periods whose parts are partly missing, in
// every flow series of every source:
//
//   - a year (or quarter) figure for which some but not all of its months
//     (or quarters, for a year) are in the series: the parts cannot be
//     checked against it, and when the parts present add up to the figure
//     within the rule's tolerance, the figure is likely the sum of only
//     those parts, a partial period labelled as the whole one;
//   - a year without a figure of its own whose months have a gap between
//     two months that are present (a month missing at the start or the end
//     of the data is not reported: a series may begin or end in any month).
func checkCompleteness(c *checker) {
	c.inParts(len(c.keys), completenessOf)
	switch {
	case c.carry == nil:
	case c.carry.final:
		for _, cs := range c.carry.series {
			if g := cs.gap; g != nil && len(g.inside) > 0 {
				c.emitGap(cs.entry.Key, g.year, g.positions(), g.inside)
			}
		}
	default:
		c.carry.ownGaps()
	}
}

// completenessOf checks the series of c from from to to (see
// checkCompleteness): each reads its own rows and writes its own record
// in the carry, so that parts of them run side by side.
func completenessOf(c *checker, _, from, to int) {
	for id, fs := range c.flowSeries(from, to) {
		obs, kinds := fs.obs, fs.singles
		// Only a year or a quarter has parts to miss.
		if kinds[Year] || kinds[Quarter] {
			c.warmed += warm(obs)
			for _, o := range obs {
				if o.Period.IsInterval() {
					continue
				}
				// A year is held against its months when any of that year are
				// in the data, else against its quarters: what other years have
				// does not decide, so that a year is judged the same whether
				// the data are checked whole or a year at a time.
				switch o.Period.Kind() {
				case Year:
					if !kinds[Month] || !c.anyWithin(id, o.Period, Month) || !c.partialWhole(id, o, Month) {
						if kinds[Quarter] {
							c.partialWhole(id, o, Quarter)
						}
					}
				case Quarter:
					if kinds[Month] {
						c.partialWhole(id, o, Month)
					}
				}
			}
		}
		switch {
		case c.carry != nil:
			c.monthGapsCarried(id, obs)
		case kinds[Month]:
			c.monthGaps(id, obs, kinds[Year])
		}
	}
}

// anyWithin reports whether series id has a valid figure for a single
// period of kind k inside p.
func (c *checker) anyWithin(id int, p Period, k PeriodKind) bool {
	obs := c.valid[id]
	pf, pl := p.days()
	i := firstFrom(obs, pf)
	for ; i < len(obs); i++ {
		x := obs[i].Period
		if f, _ := x.days(); f > pl {
			return false
		}
		if x.Kind() == k && !x.IsInterval() && p.Contains(x) {
			return true
		}
	}
	return false
}

// partialWhole reports a figure o whose parts of kind k are only partly in
// series id. A figure with other figures inside it (a quarter, January to
// July) is left to the additivity rule, which bounds it by them. It
// returns whether any part of kind k is in the data, or other figures
// inside o are.
func (c *checker) partialWhole(id int, o *fig, k PeriodKind) bool {
	cover, ok := o.Period.Cover(k)
	if !ok {
		return false
	}
	for _, x := range c.valid[id] {
		if x == o {
			continue
		}
		partOverlap := x.Period.IsInterval() && x.Period.Overlaps(o.Period) && !x.Period.Contains(o.Period)
		between := !x.Period.IsInterval() && o.Period.Contains(x.Period) && x.Period.Kind() > o.Period.Kind() && x.Period.Kind() < k
		if partOverlap || between {
			return true
		}
	}
	var present []*fig
	var missing []string
	for _, q := range cover {
		if x := c.cellOf(int32(id), q); x != nil {
			present = append(present, x)
		} else {
			missing = append(missing, q.String())
		}
	}
	if len(present) == 0 {
		return false
	}
	if len(missing) == 0 {
		return true
	}
	sum := Exact(0)
	dec := o.Value().Decimals
	rows := []Pos{o.Pos()}
	for _, x := range present {
		iv, ok := convert(x, o.Unit())
		if !ok {
			return true
		}
		sum = sum.Add(iv)
		dec = max(dec, decimalsIn(x, o.Unit()))
		rows = append(rows, x.Pos())
	}
	f := Finding{Rows: rows, Series: label(o), Numbers: true, Expected: sum.Mid(), Actual: o.Value().Num, Decimals: dec}
	diff, tol, equal := c.curCfg.Tolerance.Equal(sum, o.Value().Interval())
	f.Difference, f.Tolerance = diff, tol
	if equal {
		f.Message = fmt.Sprintf("%s is %s, the sum of only %d of its %d %ss (%s %s missing): a partial %s labelled as the whole %s?",
			label(o), o.Value(), len(present), len(cover), k, listMissing(missing), isAre(len(missing)), o.Period.Kind(), o.Period.Kind())
	} else {
		f = Finding{Rows: rows, Series: label(o)}
		f.Message = fmt.Sprintf("%s has only %d of its %d %ss in the data (%s %s missing), so they cannot be checked against it",
			label(o), len(present), len(cover), k, listMissing(missing), isAre(len(missing)))
	}
	c.emit(f)
	return true
}

// monthGaps reports years without a figure of their own whose months in
// series id have a gap: a month missing while the series has months before
// and after it.
func (c *checker) monthGaps(id int, obs []*fig, hasYears bool) {
	months := c.scratch[:0]
	defer func() { c.scratch = months[:0] }()
	for _, o := range obs {
		if o.Period.Kind() == Month && !o.Period.IsInterval() {
			months = append(months, o)
		}
	}
	if len(months) < 2 {
		return
	}
	first, last := months[0].Period, months[len(months)-1].Period
	// The months of a year are a run of months, in order, one figure
	// each: a year whose run is as long as its months from the first to
	// the last of the series has no gap, and nothing to make. A year
	// without months has none present, and nothing to say either.
	for i := 0; i < len(months); {
		y := months[i].Period.Year()
		j := i + 1
		for j < len(months) && months[j].Period.Year() == y {
			j++
		}
		run := months[i:j]
		i = j
		from, to := 1, 12
		if y == first.Year() {
			from = monthNumber(first)
		}
		if y == last.Year() {
			to = monthNumber(last)
		}
		if len(run) == to-from+1 {
			continue
		}
		if hasYears && c.cellOf(int32(id), YearOf(y)) != nil {
			continue // partialWhole speaks of it
		}
		var missing []string
		rows := make([]Pos, 0, len(run))
		for m := from; m <= to; m++ {
			if len(run) > 0 && monthNumber(run[0].Period) == m {
				rows = append(rows, run[0].Pos())
				run = run[1:]
			} else {
				missing = append(missing, MonthOf(y, m).String())
			}
		}
		c.emitGap(months[0].Key, y, rows, missing)
	}
}

// monthNumber returns the month (1–12) of a single month.
func monthNumber(p Period) int { return mod(int(p.start), 12) + 1 }

// emitGap reports the months missing inside a series in year y, where the
// months at rows are present.
func (c *checker) emitGap(k Key, y int, rows []Pos, missing []string) {
	if len(missing) == 0 || len(rows) == 0 {
		return
	}
	c.emit(Finding{Rows: rows, Series: k.String() + " " + YearOf(y).String(),
		Message: fmt.Sprintf("%s %d has %d months in the data, and %s missing inside the series: no figure, or no trade?",
			k, y, len(rows), listMissing(missing))})
}

// monthGapsCarried is monthGaps for data checked a year at a time (see
// [CheckStream]): the months of this year that follow the last one
// present are missing inside the series only when the series goes on in a
// later year, so they wait in the carry until it is known.
func (c *checker) monthGapsCarried(id int, obs []*fig) {
	if st := &c.state[id]; len(obs) == 12 && st.kinds == 1<<Month && !st.intervals {
		// Twelve valid months, one a period (see appendValid), in order,
		// and no other figure: the whole year, nothing to say of it, and
		// nothing to read when the series began in a year before and left
		// no gap open.
		cs := &c.carry.series[c.slots[id]]
		if cs.gap == nil {
			if !cs.hasFirstMonth {
				cs.firstMonth, cs.hasFirstMonth = obs[0].Period, true
			}
			return
		}
	}
	// The months of the year present, as bits and by number, without a
	// slice per series: most series have all twelve, and nothing to say.
	// Of a series of months alone, in order, one a period, newChecker saw
	// which (see seriesState), and its valid figures are its months: they
	// are read only for the places of a gap.
	st := &c.state[id]
	inOrder := st.kinds == 1<<Month && !st.intervals && !st.unordered
	var present uint16
	var months [13]*fig
	var first, last Period // the first and last months present
	if inOrder {
		// A year's rows, newChecker's last among them.
		y := st.last.Year()
		present = st.months
		first, last = MonthOf(y, bits.TrailingZeros16(present)), MonthOf(y, bits.Len16(present)-1)
	} else {
		for _, o := range obs {
			if o.Period.Kind() == Month && !o.Period.IsInterval() {
				if present == 0 {
					first = o.Period
				}
				last = o.Period
				m := monthNumber(o.Period)
				months[m] = o
				present |= 1 << m
			}
		}
	}
	if present == 0 {
		return
	}
	cs := &c.carry.series[c.slots[id]]
	if g := cs.gap; g != nil {
		// The series goes on: every month after the last one of that year
		// was missing inside it.
		c.emitGap(cs.entry.Key, g.year, g.positions(), g.all())
		cs.gap = nil
	}
	if !cs.hasFirstMonth {
		cs.firstMonth, cs.hasFirstMonth = first, true
	}
	y := last.Year()
	if st.kinds&(1<<Year) != 0 && c.cellOf(int32(id), YearOf(y)) != nil {
		return // partialWhole speaks of it
	}
	from := 1
	if cs.firstMonth.Year() == y {
		from = monthNumber(cs.firstMonth)
	}
	to := monthNumber(last)
	want := uint16(1)<<(to+1) - uint16(1)<<from // the months from..to
	if present&want == want && (to == 12 || c.carry.last) {
		// None missing inside, and none after the last month: the year
		// ends with December, or no year follows to close a gap.
		return
	}
	var inside []string
	for m := from; m <= to; m++ {
		if present&(1<<m) == 0 {
			inside = append(inside, MonthOf(y, m).String())
		}
	}
	// The months present from the first, in order: a series in order has
	// no other valid figure, and none before its first month.
	var rows []*fig
	if inOrder {
		rows = obs
	} else {
		rows = make([]*fig, 0, bits.OnesCount16(present&want))
		for _, o := range months[from : to+1] {
			if o != nil {
				rows = append(rows, o)
			}
		}
	}
	if to == 12 {
		pos := make([]Pos, len(rows))
		for i, o := range rows {
			pos[i] = o.Pos()
		}
		c.emitGap(cs.entry.Key, y, pos, inside)
		return
	}
	// Whether the months after the last one are missing depends on
	// whether the series goes on: their names are made when it does.
	g := c.carryGap(len(rows))
	for i, o := range rows {
		g.rows[i] = placeOf(o)
	}
	g.year, g.inside, g.after = y, inside, to+1
	cs.gap = g
}

// gapsAtOnce is how many carried gaps, and rows of them, carryGap makes an
// array of at a time.
const gapsAtOnce = 1024

// carryGap returns a new carriedGap with n rows. The gaps and their rows
// are handed out of arrays, each a thousand made at once, rather than
// made one by one: a year that ends before December, as the last of an
// extract does, carries a gap for every series (30,000 of them, two
// allocations each, in the synthetic 1M rows). An array stays as long as
// one of its gaps is carried: the next year's check closes the gaps of
// the series that come again and gives the others memory of their own
// (see carry.ownGaps).
func (c *checker) carryGap(n int) *carriedGap {
	if len(c.gaps) == cap(c.gaps) {
		c.gaps = make([]carriedGap, 0, gapsAtOnce)
	}
	if len(c.places)+n > cap(c.places) {
		c.places = make([]place, 0, max(n, 12*gapsAtOnce))
	}
	c.gaps = c.gaps[:len(c.gaps)+1]
	g := &c.gaps[len(c.gaps)-1]
	at := len(c.places)
	c.places = c.places[:at+n]
	g.rows = c.places[at : at+n : at+n]
	return g
}

// listMissing lists missing periods: "2024-09, 2024-10 and 2024-11", or the
// first three and a count.
// isAre returns the verb of n things missing.
func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func listMissing(ps []string) string {
	switch {
	case len(ps) == 1:
		return ps[0]
	case len(ps) <= 4:
		return strings.Join(ps[:len(ps)-1], ", ") + " and " + ps[len(ps)-1]
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ps[:3], ", "), len(ps)-3)
}
