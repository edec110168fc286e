package stats

import (
	"fmt"
	"strings"
)

// ShareSuffix ends the name of a share indicator: exports_share is the
// partner's share of the reporter's exports to the world, in percent.
const ShareSuffix = "_share"

// checkShares checks every share figure, an indicator X_share in percent,
// against X of the same reporter, partner, period and source divided by X
// with the world (WLD):
//
//	X_share = 100 × X(partner) ÷ X(WLD)
//
// evaluated on the intervals the written figures stand for, so that a
// share rounded to five decimals (0.01176) holds for any value and total
// that round to the published ones. Shares whose value or total is missing,
// or whose total may be zero, are not checked.
func checkShares(c *checker) {
	for id, sk := range c.keys {
		base, ok := strings.CutSuffix(sk.Indicator, ShareSuffix)
		if !ok || base == "" || sk.Partner == "WLD" {
			continue
		}
		parts := c.seriesID(Key{sk.Reporter, sk.Partner, base}, sk.Source)
		totals := c.seriesID(Key{sk.Reporter, "WLD", base}, sk.Source)
		if parts < 0 || totals < 0 {
			continue
		}
		for _, s := range c.valid[id] {
			if ub, _ := SplitUnit(s.Unit()); ub != "percent" && ub != "%" {
				continue // a share in another unit is the units rule's to judge
			}
			x, w := c.cellOf(parts, s.Period), c.cellOf(totals, s.Period)
			if x == nil || w == nil {
				continue
			}
			xv, ok := convert(x, w.Unit())
			if !ok {
				continue
			}
			q, ok := xv.Div(w.Value().Interval())
			if !ok {
				continue
			}
			want := q.Mul(Exact(100))
			got := s.Value().Interval()
			diff, tol, ok := c.curCfg.Tolerance.Equal(want, got)
			if ok {
				continue
			}
			dec := s.Value().Decimals
			f := Finding{Rows: []Pos{s.Pos(), x.Pos(), w.Pos()}, Series: label(s), Numbers: true,
				Expected: want.Mid(), Actual: s.Value().Num, Difference: diff, Tolerance: tol, Decimals: dec}
			f.Message = fmt.Sprintf("%s is %s%%, but 100 × %s %s ÷ %s %s = %s%%",
				label(s), s.Value(), base, valueUnlike(x, w), w.Partner, valueUnlike(w, x), f.Format(want.Mid()))
			c.emit(f)
		}
	}
}
