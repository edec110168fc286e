package stats

import "fmt"

// checkUnits reports a series whose rows change currency (or base unit):
// such values can never be added or compared. Identities whose terms do not
// share a base unit are reported by the identity rules' callers through
// identityUnits.
func checkUnits(c *checker) {
	for id := range c.keys {
		obs := c.obs[id]
		if len(obs) == 0 {
			continue
		}
		var unit string
		var at place
		var rest []*fig
		if c.carry != nil {
			// Checked a year at a time: the series' first figure may be
			// in a year checked before, and then its first row of this
			// year is not read here, where most series end.
			cs := &c.carry.series[c.slots[id]]
			if !cs.hasFirst {
				cs.firstUnit, cs.firstPlace, cs.hasFirst = obs[0].Unit(), placeOf(obs[0]), true
			}
			unit, at, rest = cs.firstUnit, cs.firstPlace, obs
		} else {
			unit, at, rest = obs[0].Unit(), placeOf(obs[0]), obs[1:]
		}
		if st := &c.state[id]; !st.units && st.unit == unit {
			continue // every row has the unit of the first
		}
		pos := at.pos()
		fb, _ := SplitUnit(unit)
		for _, o := range rest {
			if o.Unit() == unit {
				continue // most rows: the same string, compared at its pointer
			}
			if b, _ := SplitUnit(o.Unit()); b != fb {
				c.emit(Finding{Rows: []Pos{o.Pos(), pos}, Series: label(o),
					Message: fmt.Sprintf("%s is in %q, but the same series is in %q at %s: values in different units are never added or compared",
						label(o), o.Unit(), unit, pos)})
			}
		}
	}
	// Identities across indicators: exports, imports, turnover and balance of
	// one reporter, partner, source and period must share a base unit.
	for sid, sk := range c.keys {
		if sk.Indicator != "turnover" && sk.Indicator != "balance" {
			continue
		}
		terms := []int32{
			c.sibling(sid, "exports"),
			c.sibling(sid, "imports"),
		}
		if c.oneUnit(sid, terms) {
			continue // the terms' rows all have the unit of its rows
		}
		for k, o := range c.obs[sid] {
			for _, id := range terms {
				if !o.Value().Valid {
					continue
				}
				t := c.cellNear(id, o.Period, k)
				if t == nil || t.Unit() == o.Unit() {
					continue
				}
				if _, ok := convert(t, o.Unit()); !ok {
					c.emit(Finding{Rows: []Pos{o.Pos(), t.Pos()}, Series: label(o),
						Message: fmt.Sprintf("%s is in %q but %s at %s is in %q: the terms of %s must share a unit",
							label(o), o.Unit(), label(t), t.Pos(), t.Unit(), o.Indicator)})
				}
			}
		}
	}
}

// oneUnit reports whether the rows of series id and of those of terms
// that are in the data (0 or more) all have one unit, as most have.
func (c *checker) oneUnit(id int, terms []int32) bool {
	st := &c.state[id]
	if st.units {
		return false
	}
	for _, t := range terms {
		if t >= 0 && (c.state[t].units || c.state[t].unit != st.unit) {
			return false
		}
	}
	return true
}
