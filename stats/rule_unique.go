package stats

import (
	"fmt"
	"slices"
)

// checkUnique reports a figure given twice by one source. Two rows with the
// same value are a warning-worthy repetition and are reported the same
// way; the rule's severity applies to both.
func checkUnique(c *checker) {
	for id := range c.keys {
		if !c.state[id].unordered {
			continue // each row's period is after the one before's
		}
		obs := c.obs[id]
		for i := 1; i < len(obs); i++ {
			prev, o := obs[i-1], obs[i]
			if prev.Period != o.Period {
				continue
			}
			f := Finding{Rows: []Pos{o.Pos(), prev.Pos()}, Series: label(o)}
			if prev.Value() == o.Value() && prev.Unit() == o.Unit() {
				f.Message = fmt.Sprintf("%s from %q is given twice, both times as %s", label(o), o.Source, o.Value())
			} else {
				f.Message = fmt.Sprintf("%s from %q is given twice: %s %s here and %s %s at %s",
					label(o), o.Source, o.Value(), o.Unit(), prev.Value(), prev.Unit(), prev.Pos())
			}
			c.emit(f)
		}
	}
}

// checkSources reports a figure that two sources (or two releases) give
// with values that disagree beyond rounding, after unit conversion.
func checkSources(c *checker) {
	for i := 0; i < len(c.keys); {
		// Each series once, with all its sources; most have only one.
		from, to := i, c.keyRun(i)
		i = to
		if to-from < 2 {
			continue
		}
		var obs []*fig
		for j := from; j < to; j++ {
			obs = append(obs, c.valid[j]...)
		}
		// Sources sort by name within a period, as c.keys does.
		slices.SortStableFunc(obs, func(a, b *fig) int { return Compare(a.Period, b.Period) })
		for start := 0; start < len(obs); {
			end := start + 1
			for end < len(obs) && obs[end].Period == obs[start].Period {
				end++
			}
			c.disagree(obs[start:end])
			start = end
		}
	}
}

// disagree reports each pair of sources whose figures for one period do not
// meet within the rule's tolerance, after unit conversion.
func (c *checker) disagree(obs []*fig) {
	for i := 1; i < len(obs); i++ {
		for j := 0; j < i; j++ {
			a, b := obs[j], obs[i]
			bv, ok := convert(b, a.Unit())
			if !ok {
				continue // the units rule speaks of currencies
			}
			diff, tol, ok := c.curCfg.Tolerance.Equal(a.Value().Interval(), bv)
			if ok || c.beyond(b.Pos()) {
				continue
			}
			c.emit(Finding{
				Rows: []Pos{b.Pos(), a.Pos()}, Series: label(b), Numbers: true,
				Expected: a.Value().Num, Actual: bv.Mid(), Difference: diff, Tolerance: tol,
				Decimals: max(a.Value().Decimals, decimalsIn(b, a.Unit())),
				Message: fmt.Sprintf("sources disagree on %s: %s %s from %q here, %s %s from %q at %s",
					label(b), b.Value(), b.Unit(), b.Source, a.Value(), a.Unit(), a.Source, a.Pos()),
			})
		}
	}
}
