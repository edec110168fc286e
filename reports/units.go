package reports

import (
	"math"
	"slices"

	"github.com/tradedesk/report/stats"
)

// unitGroups are the indicators whose rows of a pair are shown in one
// unit: a native chart draws exports and imports, or turnover and
// balance, on one axis, and turnover and balance are formulas over the
// cells of exports and imports. Any other indicator is a group alone.
var unitGroups = [][]string{
	{"exports", "imports", "turnover", "balance"},
	{"fdi_in_gross", "fdi_out_gross"},
}

// unitGroup returns the group of ind among unitGroups, or ind itself.
func unitGroup(ind string) string {
	for _, g := range unitGroups {
		if slices.Contains(g, ind) {
			return g[0]
		}
	}
	return ind
}

// rowUnits returns the unit each row of a pair is shown in, for the
// indicators inds and the figures of each row (figs[i], in the order of
// their periods, missing ones included): the rows of a Series block, whose
// units the Summary's rows take too. A row's currency (or other base, see
// [stats.SplitUnit]) is that of its latest figure. The rows of one group
// (see unitGroups) with one base share the unit of the largest scale
// among their figures and the parts those were derived from, so that a
// figure converted into it gains decimals and never loses one: 5000 USD
// thousand is 5.000 USD million, where 4.0 USD million as 4,000 USD
// thousand would claim thousands it does not know. A row without a figure
// has the unit "".
func rowUnits(inds []string, figs [][]stats.Figure) []string {
	units := make([]string, len(inds))
	type groupBase struct{ group, base string }
	best := map[groupBase]string{}
	for i, row := range figs {
		for j := len(row) - 1; j >= 0; j-- {
			if row[j].Value.Valid {
				units[i] = row[j].Unit
				break
			}
		}
		if units[i] == "" {
			continue
		}
		base, _ := stats.SplitUnit(units[i])
		k := groupBase{unitGroup(inds[i]), base}
		for _, fg := range row {
			if fg.Value.Valid {
				best[k] = largestUnit(fg, base, best[k])
			}
		}
	}
	for i, u := range units {
		if u != "" {
			base, _ := stats.SplitUnit(u)
			units[i] = best[groupBase{unitGroup(inds[i]), base}]
		}
	}
	return units
}

// largestUnit returns the unit of the largest scale of base among unit
// (which may be "") and the units of fg and of the parts it was derived
// from; the first met of equal scales.
func largestUnit(fg stats.Figure, base, unit string) string {
	if b, s := stats.SplitUnit(fg.Unit); b == base {
		if _, cur := stats.SplitUnit(unit); unit == "" || s > cur {
			unit = fg.Unit
		}
	}
	for _, p := range fg.Parts {
		unit = largestUnit(p, base, unit)
	}
	return unit
}

// inUnit returns fg in unit, which is fg's own or one of its base of a
// scale at least as large (see rowUnits): its number divided by the power
// of ten between the scales, and its decimals that many more. A derived
// figure is written with the fewest decimals of its parts, each counted
// in unit, as [stats.Index.Figure] writes them in one unit: 4.0 USD
// million + 2500 USD thousand is 6.5 USD million. It returns false when
// fg is in another currency (or base) than unit, which no factor turns
// into it; a missing figure is returned as it is. A derived figure
// already in unit gets its decimals so counted too.
func inUnit(fg stats.Figure, unit string) (stats.Figure, bool) {
	if !fg.Value.Valid {
		return fg, true
	}
	num, ok := stats.Rescale(fg.Value.Num, fg.Unit, unit)
	if !ok {
		return fg, false
	}
	fg.Value.Num = num
	fg.Value.Decimals = decimalsIn(fg, unit)
	fg.Unit = unit
	return fg, true
}

// decimalsIn returns the decimals of fg written in unit, which has its
// base: those of a published figure moved by the power of ten between the
// scales, and the fewest of its parts' for a derived one.
func decimalsIn(fg stats.Figure, unit string) int {
	if fg.Derived() && len(fg.Parts) > 0 {
		d := math.MaxInt
		for _, p := range fg.Parts {
			d = min(d, decimalsIn(p, unit))
		}
		return d
	}
	return stats.UnitDecimals(fg.Value.Decimals, fg.Unit, unit)
}
