package stats

import (
	"fmt"
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
	sum := Exact(0)
	dec := target.Value().Decimals
	for _, t := range terms {
		iv, ok := convert(t.obs, target.Unit())
		if !ok {
			return
		}
		if t.sign < 0 {
			sum = sum.Sub(iv)
		} else {
			sum = sum.Add(iv)
		}
		dec = max(dec, t.obs.Value().Decimals)
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
	for i, t := range terms {
		rows = append(rows, t.obs.Pos())
		switch {
		case i == 0 && t.sign < 0:
			parts.WriteString("−")
		case i > 0 && t.sign < 0:
			parts.WriteString(" − ")
		case i > 0:
			parts.WriteString(" + ")
		}
		parts.WriteString(t.obs.Indicator + " " + t.obs.Value().String())
	}
	f := Finding{Rows: rows, Series: label(target), Numbers: true,
		Expected: sum.Mid(), Actual: target.Value().Num, Difference: diff, Tolerance: tol, Decimals: dec}
	f.Message = fmt.Sprintf("%s is %s, but %s = %s", label(target), target.Value(), parts.String(), f.Format(sum.Mid()))
	c.emit(f)
}

// identities runs target = Σ terms for every reporter, partner, source and
// period that has all of them.
func (c *checker) identities(target string, terms []string, signs []float64) {
	c.inParts(len(c.keys), func(c *checker, _, from, to int) {
		ids := make([]int32, len(terms))
		ts := make([]term, 0, len(terms))
		for i := from; i < to; i++ {
			if c.keys[i].Indicator != target {
				continue
			}
			// The figures are read at once (see warm), then one by one.
			w := warm(c.valid[i])
			for j, ind := range terms {
				ids[j] = c.sibling(i, ind)
				if ids[j] >= 0 {
					w += warm(c.valid[ids[j]])
				}
			}
			c.warmed += w
			// The first valid figure of each period: the one cellOf finds.
			for k, o := range c.valid[i] {
				ts = ts[:0]
				for j, id := range ids {
					t := c.cellNear(id, o.Period, k)
					if t == nil {
						break
					}
					ts = append(ts, term{t, signs[j]})
				}
				if len(ts) == len(terms) {
					c.identity(o, ts)
				}
			}
		}
	})
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
