package stats

import "fmt"

// checkSign reports negative values of indicators that cannot be negative:
// gross trade flows and counts.
func checkSign(c *checker) {
	for id, sk := range c.keys {
		info, ok := c.voc.Lookup(sk.Indicator)
		if !ok || info.Negative || !c.state[id].negative {
			continue
		}
		for _, o := range c.obs[id] {
			if o.Value().Valid && o.Value().Num < 0 {
				c.emit(Finding{Rows: []Pos{o.Pos()}, Series: label(o), Numbers: true,
					Expected: 0, Actual: o.Value().Num, Difference: o.Value().Num, Decimals: o.Value().Decimals,
					Message: fmt.Sprintf("%s is %s, but %s cannot be negative", label(o), o.Value(), o.Indicator)})
			}
		}
	}
}
