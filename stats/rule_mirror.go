package stats

import (
	"fmt"
	"math"
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
					Message: fmt.Sprintf("mirror gap of %+.0f%%: %s imports from %s %s %s (%q), but %s reports exports to %s %s %s (%q), × %.2f CIF/FOB",
						gap*100, m.Reporter, m.Partner, m.Value(), m.Unit(), m.Source, x.Reporter, x.Partner, x.Value(), x.Unit(), x.Source, factor)})
			}
		}
	}
}
