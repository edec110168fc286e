package stats

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// term is one operand of an identity, with its sign.
type term struct {
	obs  *fig
	sign float64 // +1 or −1
}

// identity checks target = Σ sign × term, on intervals in the target's unit,
// with the rule's tolerance. Terms whose unit cannot be converted are left
// to the units rule.
func (c *checker) identity(target *fig, terms []term) {
	sum, dec, ok := sumOfTerms(target, terms)
	if !ok {
		return
	}
	diff, tol, ok := c.curCfg.Tolerance.Equal(sum, target.Value().Interval())
	if ok {
		return
	}
	// The message is built only for the rare identity that fails, and
	// listed.
	if c.beyond(target.Pos()) {
		return
	}
	rows := []Pos{target.Pos()}
	var parts strings.Builder
	for _, t := range terms {
		rows = append(rows, t.obs.Pos())
		// A term in another unit is converted for the sum, in the
		// target's, and named with its own.
		appendTerm(&parts, t.sign, t.obs.Indicator+" "+valueUnlike(t.obs, target))
	}
	f := Finding{Rows: rows, Series: label(target), Numbers: true,
		Expected: sum.Mid(), Actual: target.Value().Num, Difference: diff, Tolerance: tol, Decimals: dec}
	f.Message = fmt.Sprintf("%s is %s, but %s = %s", label(target), target.Value(), parts.String(), f.Format(sum.Mid()))
	c.emit(f)
}

// partialIdentity checks target = Σ sign × term where some terms have no
// figure of target's period: ts are those that do, of the terms named
// terms, whose series are ids (−1 for none). A missing term whose
// sub-periods cover the period exactly (the months of a quarter, the
// quarters of January–September) is their sum, as a workbook derives it,
// and the identity is checked with it: turnover 99.5 of a quarter whose
// exports are published by month fails against them. When some terms are
// still missing and bound, the terms are added and none can be negative,
// the target is not less than those there are: turnover 53.1 against
// exports of 60.0 without imports cannot be.
func (c *checker) partialIdentity(target *fig, ts []term, ids []int32, signs []float64, terms []string, bound bool) {
	sum, dec, ok := sumOfTerms(target, ts)
	if !ok {
		return
	}
	rows := []Pos{target.Pos()}
	var text strings.Builder // the terms there are, as the message gives them
	var missing []string
	for j, name := range terms {
		i := slices.IndexFunc(ts, func(t term) bool { return t.obs.Indicator == name })
		if i >= 0 {
			rows = append(rows, ts[i].obs.Pos())
			appendTerm(&text, signs[j], name+" "+valueUnlike(ts[i].obs, target))
			continue
		}
		cover, iv, ok := c.coverTerm(ids[j], target.Period, target.Unit())
		if !ok {
			missing = append(missing, name)
			continue
		}
		if signs[j] < 0 {
			sum = sum.Sub(iv)
		} else {
			sum = sum.Add(iv)
		}
		for _, o := range cover {
			dec = max(dec, decimalsIn(o, target.Unit()))
			rows = append(rows, o.Pos())
		}
		switch {
		case len(cover) == 1:
			// The same days written another way.
			appendTerm(&text, signs[j], fmt.Sprintf("%s %s (%s)", name, valueUnlike(cover[0], target), cover[0].Period))
		case slices.ContainsFunc(cover, func(o *fig) bool {
			return o.Period.IsInterval() || o.Period.Kind() != cover[0].Period.Kind()
		}):
			periods := make([]string, len(cover))
			for i, o := range cover {
				periods[i] = o.Period.String()
			}
			appendTerm(&text, signs[j], fmt.Sprintf("%s %s (%s)", name, FormatFixed(iv.Mid(), coverDecimals(cover, target.Unit())), strings.Join(periods, " + ")))
		default:
			appendTerm(&text, signs[j], fmt.Sprintf("%s %s (the sum of its %d %ss %s)", name, FormatFixed(iv.Mid(), coverDecimals(cover, target.Unit())), len(cover), cover[0].Period.Kind(), spanOf(cover)))
		}
	}
	switch {
	case len(missing) == 0:
		diff, tol, ok := c.curCfg.Tolerance.Equal(sum, target.Value().Interval())
		if ok || c.beyond(target.Pos()) {
			return
		}
		f := Finding{Rows: rows, Series: label(target), Numbers: true,
			Expected: sum.Mid(), Actual: target.Value().Num, Difference: diff, Tolerance: tol, Decimals: dec}
		f.Message = fmt.Sprintf("%s is %s, but %s = %s", label(target), target.Value(), text.String(), f.Format(sum.Mid()))
		c.emit(f)
	case bound && len(missing) < len(terms):
		diff, tol, ok := c.curCfg.Tolerance.AtMost(sum, target.Value().Interval())
		if ok || c.beyond(target.Pos()) {
			return
		}
		f := Finding{Rows: rows, Series: label(target), Numbers: true,
			Expected: sum.Mid(), Actual: target.Value().Num, Difference: -diff, Tolerance: tol, Decimals: dec}
		f.Message = fmt.Sprintf("%s is %s, less than %s alone (%s not in the data, and cannot be negative)",
			label(target), target.Value(), text.String(), strings.Join(missing, " and "))
		c.emit(f)
	}
}

// appendTerm appends a term of an identity, of sign, to b: "exports
// 33.3", then " + imports 19.8" or " − imports 19.8".
func appendTerm(b *strings.Builder, sign float64, t string) {
	switch {
	case b.Len() == 0 && sign < 0:
		b.WriteString("−")
	case b.Len() > 0 && sign < 0:
		b.WriteString(" − ")
	case b.Len() > 0:
		b.WriteString(" + ")
	}
	b.WriteString(t)
}

// coverTerm returns the figure of series id of per's days written another
// way (2024-01/2024-12 for 2024), or else the figures that cover per
// exactly, of the coarsest kind the series has them all of (see
// Period.Cover), or else the fewest others that do (2024-01/2024-06 and
// 2024-07/2024-12; see tilingOf); and their sum on intervals in unit. It returns false when
// there are none, or a unit cannot be converted.
func (c *checker) coverTerm(id int32, per Period, unit string) ([]*fig, Interval, bool) {
	if id < 0 {
		return nil, Interval{}, false
	}
	cover := c.sameDaysOf(id, per)
	for k := Year; k <= Day && cover == nil; k++ {
		cover, _ = c.coverOf(id, per, k, len(c.valid[id]))
	}
	if cover == nil {
		// Figures of other kinds, or intervals, that follow one another:
		// the half-years of a year.
		cover, _ = tilingOf(per, c.valid[id], nil)
	}
	if cover == nil {
		return nil, Interval{}, false
	}
	sum := Exact(0)
	for _, o := range cover {
		iv, ok := convert(o, unit)
		if !ok {
			return nil, Interval{}, false
		}
		sum = sum.Add(iv)
	}
	return cover, sum, true
}

// sameDaysOf returns, as a cover of one, the figure of series id whose
// period covers per's days and is written another way; nil when there is
// none.
func (c *checker) sameDaysOf(id int32, per Period) []*fig {
	obs := c.valid[id]
	pf, _ := per.days()
	i := firstFrom(obs, pf)
	for ; i < len(obs); i++ {
		o := obs[i]
		if f, _ := o.Period.days(); f != pf {
			break
		}
		if o.Period != per && o.Period.Days() == per.Days() {
			return []*fig{o}
		}
	}
	return nil
}

// sumOfTerms returns Σ sign × term on intervals in the target's unit, and
// the decimals to give it (the most of target's and the terms' in that
// unit); false when a term's unit cannot be converted, which the units
// rule speaks of.
func sumOfTerms(target *fig, terms []term) (Interval, int, bool) {
	sum := Exact(0)
	dec := target.Value().Decimals
	for _, t := range terms {
		iv, ok := convert(t.obs, target.Unit())
		if !ok {
			return sum, 0, false
		}
		if t.sign < 0 {
			sum = sum.Sub(iv)
		} else {
			sum = sum.Add(iv)
		}
		dec = max(dec, decimalsIn(t.obs, target.Unit()))
	}
	return sum, dec, true
}

// identities runs target = Σ terms for every reporter, partner, source and
// period that has all of them: the target's first valid figure of each
// period against the terms' first valid figures of the same period.
//
// A series whose rows came in order of period, all valid (see
// seriesState), has one figure a period, each its first valid one. When
// the target's series and its terms' are such, the target's rows are
// checked in the order of the file, each against the terms' figures of
// its period found among the rows beside it, where extracts put the
// exports, imports and turnover of a pair and month (see beside): the
// rows are read once, in the order they lie in memory, where walking a
// series at a time reads rows a month of the file apart, each a cache
// miss (the turnover rule took a fifth of the 1M-row check's CPU time
// walking series). Other series are checked a series at a time.
//
// When bound, the terms are added (turnover = exports + imports) and none
// can be negative, a target whose terms are only partly in the data is
// not less than those that are (see partialIdentity): turnover 53.1 against
// exports 60.0 cannot be, whatever the imports.
func (c *checker) identities(target string, terms []string, signs []float64, plan *identityPlan, bound bool) {
	nt := len(terms)
	how := reuse(&plan.how, len(c.keys))
	clear(how)
	sure := reuse(&plan.sure, len(c.keys))
	quick := c.curCfg.Tolerance.Kind == Rounding
	sibs := reuse(&plan.sibs, len(c.keys)*nt)
	var bySeries []int32
	inFile := 0 // the target series checked in file order
	for i := range c.keys {
		if c.keys[i].Indicator != target {
			continue
		}
		h := uint8(inRows)
		if !identityShortcuts || !c.state[i].oneAPeriod() {
			h = inSeries
		}
		for j, ind := range terms {
			id := c.sibling(i, ind)
			sibs[i*nt+j] = id
			switch {
			case id < 0 && bound:
				h = someTerms
			case id < 0:
				h = noTerms
			case h != someTerms && !c.state[id].oneAPeriod():
				h = inSeries
			}
			if h == noTerms {
				break
			}
		}
		how[i] = h
		sure[i] = identityShortcuts && quick && (h == inRows || h == inSeries) && c.oneUnit(i, sibs[i*nt:(i+1)*nt])
		switch h {
		case inSeries, someTerms:
			bySeries = append(bySeries, int32(i))
		case inRows:
			inFile++
		}
	}
	if len(bySeries) > 0 {
		c.inParts(len(bySeries), func(c *checker, _, from, to int) {
			ts := make([]term, 0, nt)
			for _, i := range bySeries[from:to] {
				ids := sibs[int(i)*nt : int(i+1)*nt]
				// The figures are read at once (see warm), then one by one.
				w := warm(c.valid[i])
				for _, id := range ids {
					if id >= 0 {
						w += warm(c.valid[id])
					}
				}
				c.warmed += w
				for k, o := range c.valid[i] {
					ts = ts[:0]
					for j, id := range ids {
						if t := c.cellNear(id, o.Period, k); t != nil {
							ts = append(ts, term{t, signs[j]})
						}
					}
					switch {
					case len(ts) == nt:
						if !(sure[i] && holdsSurely(o, ts)) {
							c.identity(o, ts)
						}
					default:
						c.partialIdentity(o, ts, ids, signs, terms, bound)
					}
				}
			}
		})
	}
	if inFile == 0 {
		return
	}
	starts := segmentStarts(c.in.figs)
	c.inParts(c.nrows, func(c *checker, _, from, to int) {
		ts := make([]term, 0, nt)
		k, _ := slices.BinarySearch(starts, from+1)
		for k--; from < to; k++ {
			seg, base := c.in.figs[k], starts[k]
			last := min(to-base, len(seg))
			for i := from - base; i < last; i++ {
				s := c.rank[c.rowIDs[base+i]]
				if how[s] != inRows {
					continue
				}
				o := &seg[i]
				ts = ts[:0]
				ids := sibs[int(s)*nt : int(s+1)*nt]
				for j, id := range ids {
					if t := c.beside(seg, base, i, id, o.Period); t != nil {
						ts = append(ts, term{t, signs[j]})
					}
				}
				// As a series at a time, above, written out: a method
				// that did it, not inlined, took the rule 10–25% longer
				// (BenchmarkRuleAlone/turnover/1M, four rounds in turn).
				switch {
				case len(ts) == nt:
					if !(sure[s] && holdsSurely(o, ts)) {
						c.identity(o, ts)
					}
				default:
					c.partialIdentity(o, ts, ids, signs, terms, bound)
				}
			}
			from = base + last
		}
	})
}

// identityPlan is how identities checks each series of a year, by series
// in the order of keys: how, whether and how a target series is checked;
// sure, that it and its terms' series are in one unit, and the tolerance
// is rounding's, so that an identity that holds beyond doubt is passed
// without the intervals of identity (see holdsSurely); sibs, its terms'
// series, len(terms) a series.
type identityPlan struct {
	how  []uint8
	sure []bool
	sibs []int32
}

// How a series is checked (see identityPlan).
const (
	notTarget = iota
	noTerms   // a term's series is not in the data
	inRows    // in file order
	inSeries  // a series at a time
	someTerms // a series at a time, a term's series not in the data (see partialIdentity)
)

// The rules' plans among the carry's.
const (
	turnoverPlan = iota
	balancePlan
)

// identityPlan returns the carry's plan i (turnoverPlan, balancePlan), or
// a new one when the data are checked whole.
func (c *checker) identityPlan(i int) *identityPlan {
	if c.carry == nil {
		return &identityPlan{}
	}
	return &c.carry.plans[i]
}

// identityShortcuts lets identities check series in file order and pass
// identities that hold surely (see holdsSurely); tests turn it off to
// check both ways against each other.
var identityShortcuts = true

// holdsSurely reports whether target = Σ sign × term holds within the
// rounding of the figures (see identity), all valid and in one unit,
// beyond the error of floating point: false when it may not hold, for
// identity to decide. It adds the numbers and their half-widths where
// identity adds intervals, which differ by a few units in the last place
// of the figures' magnitude, and asks for a margin of a million times
// that.
func holdsSurely(target *fig, terms []term) bool {
	sum, width, scale := 0.0, halfWidthOf(target.dec), math.Abs(target.num)
	for _, t := range terms {
		sum += t.sign * t.obs.num
		width += halfWidthOf(t.obs.dec)
		scale += math.Abs(t.obs.num)
	}
	return math.Abs(target.num-sum) <= width-1e-12*(scale+width+1)
}

// halfWidthOf is Value.HalfWidth of a valid figure's dec.
func halfWidthOf(dec int32) float64 {
	if i := int(dec) - minTabled; i >= 0 && i < len(halfWidths) {
		return halfWidths[i]
	}
	return halfWidth(int(dec))
}

// besideRows is how many rows before and after a row beside looks at.
const besideRows = 8

// beside returns the figure of series id in period per, a series of one
// figure a period: one of the rows up to besideRows before or after row i
// of seg, whose rows are those from row base of the check, or else the
// one the series' rows have.
func (c *checker) beside(seg []fig, base, i int, id int32, per Period) *fig {
	for j := i - 1; j >= max(i-besideRows, 0); j-- {
		if seg[j].Period == per && c.rank[c.rowIDs[base+j]] == id {
			return &seg[j]
		}
	}
	for j := i + 1; j < min(i+besideRows+1, len(seg)); j++ {
		if seg[j].Period == per && c.rank[c.rowIDs[base+j]] == id {
			return &seg[j]
		}
	}
	return c.cellNear(id, per, -1)
}

// segmentStarts returns the number of the first row of each of segs in
// the rows of them all, and their number of rows last.
func segmentStarts(segs [][]fig) []int {
	starts := make([]int, len(segs)+1)
	for k, seg := range segs {
		starts[k+1] = starts[k] + len(seg)
	}
	return starts
}

// warm reads the period of each of obs and returns a sum of them that
// means nothing. A rule that does much for each figure, and looks up
// figures of other series beside it, calls it on a series before it
// starts: a year's figures are megabytes in the order of the file, each a
// cache miss away from the next of its series, and a loop that only reads
// them has the processor wait for many at once rather than one at a time
// (the turnover rule takes a fifth less time, the mirror rule a quarter).
func warm(obs []*fig) (s int32) {
	for _, o := range obs {
		s += o.Period.start
	}
	return s
}

// coverDecimals returns the most decimals of cover's figures in unit.
func coverDecimals(cover []*fig, unit string) int {
	dec := 0
	for _, o := range cover {
		dec = max(dec, decimalsIn(o, unit))
	}
	return dec
}
