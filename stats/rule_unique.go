package stats

import (
	"cmp"
	"fmt"
	"slices"
)

// checkUnique reports a figure given twice by one source. Two rows with the
// same value are a warning-worthy repetition and are reported the same
// way; the rule's severity applies to both.
func checkUnique(c *checker) {
	for _, sk := range c.keys {
		obs := c.series[sk]
		for i := 1; i < len(obs); i++ {
			prev, o := obs[i-1], obs[i]
			if prev.Period != o.Period {
				continue
			}
			f := Finding{Rows: []Pos{o.Pos, prev.Pos}, Series: label(o)}
			if prev.Value == o.Value && prev.Unit == o.Unit {
				f.Message = fmt.Sprintf("%s from %q is given twice, both times as %s", label(o), o.Source, o.Value)
			} else {
				f.Message = fmt.Sprintf("%s from %q is given twice: %s %s here and %s %s at %s",
					label(o), o.Source, o.Value, o.Unit, prev.Value, prev.Unit, prev.Pos)
			}
			c.emit(f)
		}
	}
}

// checkSources reports a figure that two sources (or two releases) give
// with values that disagree beyond rounding, after unit conversion.
func checkSources(c *checker) {
	type figure struct {
		Key
		Period Period
	}
	bySource := map[figure][]*Observation{}
	var figs []figure
	for _, sk := range c.keys {
		for _, o := range c.series[sk] {
			if !o.Value.Valid {
				continue
			}
			f := figure{o.Key(), o.Period}
			if len(bySource[f]) == 0 {
				figs = append(figs, f)
			}
			// Keep only the first row of each source; unique reports the rest.
			if n := len(bySource[f]); n > 0 && bySource[f][n-1].Source == o.Source {
				continue
			}
			bySource[f] = append(bySource[f], o)
		}
	}
	slices.SortFunc(figs, func(a, b figure) int {
		return cmp.Or(cmp.Compare(a.Reporter, b.Reporter), cmp.Compare(a.Partner, b.Partner),
			cmp.Compare(a.Indicator, b.Indicator), Compare(a.Period, b.Period))
	})
	for _, f := range figs {
		obs := bySource[f]
		for i := 1; i < len(obs); i++ {
			for j := 0; j < i; j++ {
				a, b := obs[j], obs[i]
				bv, ok := convert(b, a.Unit)
				if !ok {
					continue // the units rule speaks of currencies
				}
				diff, tol, ok := c.curCfg.Tolerance.Equal(a.Value.Interval(), bv)
				if ok {
					continue
				}
				c.emit(Finding{
					Rows: []Pos{b.Pos, a.Pos}, Series: label(b), Numbers: true,
					Expected: a.Value.Num, Actual: bv.Mid(), Difference: diff, Tolerance: tol,
					Decimals: max(a.Value.Decimals, b.Value.Decimals),
					Message: fmt.Sprintf("sources disagree on %s: %s %s from %q here, %s %s from %q at %s",
						label(b), b.Value, b.Unit, b.Source, a.Value, a.Unit, a.Source, a.Pos),
				})
			}
		}
	}
}
