package stats

import (
	"math"
	"strconv"
)

// checkMirror compares A's exports to B with B's imports from A for the same
// period, when both reporters are in the data. Imports are valued CIF and
// exports FOB, so imports are expected to be MirrorFactor × exports; a
// relative gap above MirrorThreshold is reported.
func checkMirror(c *checker) {
	factor, threshold := 1.06, 0.25
	if c.cfg.MirrorFactor > 0 {
		factor = c.cfg.MirrorFactor
	}
	if c.cfg.MirrorThreshold > 0 {
		threshold = c.cfg.MirrorThreshold
	}
	for id, sk := range c.keys {
		if sk.Indicator != "exports" {
			continue
		}
		from, to := c.sourcesOf(Key{sk.Partner, sk.Reporter, "imports"})
		if from == to {
			continue
		}
		w := warm(c.valid[id])
		for mid := from; mid < to; mid++ {
			w += warm(c.valid[mid])
		}
		c.warmed += w
		for k, x := range c.valid[id] {
			for mid := from; mid < to; mid++ {
				m := c.cellNear(mid, x.Period, k)
				if m == nil {
					continue
				}
				miv, ok := convert(m, x.Unit())
				if !ok {
					continue
				}
				want := x.Value().Num * factor
				got := miv.Mid()
				if want == 0 {
					continue
				}
				gap := (got - want) / want
				if math.Abs(gap) <= threshold {
					continue
				}
				if c.beyond(m.Pos()) {
					continue
				}
				dec := max(x.Value().Decimals, m.Value().Decimals)
				c.emit(Finding{Rows: []Pos{m.Pos(), x.Pos()}, Series: label(m), Numbers: true,
					Expected: want, Actual: got, Difference: got - want, Tolerance: threshold * want, Decimals: dec,
					Message: mirrorMessage(gap, m, x, factor)})
			}
		}
	}
}

// mirrorMessage says that B's imports m from A are off A's exports x to B
// by gap, a share of x × factor. It is what
//
//	fmt.Sprintf("mirror gap of %+.0f%%: %s imports from %s %s %s (%q), but %s reports exports to %s %s %s (%q), × %.2f CIF/FOB",
//		gap*100, m.Reporter, m.Partner, m.Value(), m.Unit(), m.Source, x.Reporter, x.Partner, x.Value(), x.Unit(), x.Source, factor)
//
// writes, without fmt's conversions to interfaces: random figures have a
// mirror gap in one row in fourteen, and every message of a year is made
// until the first --max-findings of them are known.
func mirrorMessage(gap float64, m, x *fig, factor float64) string {
	b := make([]byte, 0, 160+len(m.Source)+len(x.Source))
	b = append(b, "mirror gap of "...)
	var num [24]byte
	pct := strconv.AppendFloat(num[:0], gap*100, 'f', 0, 64)
	if pct[0] != '-' {
		b = append(b, '+') // as fmt's flag + does
	}
	b = append(b, pct...)
	b = append(b, "%: "...)
	b = append(b, m.Reporter...)
	b = append(b, " imports from "...)
	b = append(b, m.Partner...)
	b = appendFigure(b, m)
	b = append(b, ", but "...)
	b = append(b, x.Reporter...)
	b = append(b, " reports exports to "...)
	b = append(b, x.Partner...)
	b = appendFigure(b, x)
	b = append(b, ", × "...)
	b = strconv.AppendFloat(b, factor, 'f', 2, 64)
	b = append(b, " CIF/FOB"...)
	return string(b)
}

// appendFigure appends " VALUE UNIT (SOURCE)" of o to b, the source
// quoted as %q quotes it.
func appendFigure(b []byte, o *fig) []byte {
	b = append(b, ' ')
	b = o.Value().appendText(b)
	b = append(b, ' ')
	b = append(b, o.Unit()...)
	b = append(b, " ("...)
	b = strconv.AppendQuote(b, o.Source)
	return append(b, ')')
}
