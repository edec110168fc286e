package stats

import (
	"math"
	"strings"
	"sync"
)

// unitScales are the scale words a unit may carry, before or after the
// currency: "USD million", "thousand USD".
var unitScales = map[string]float64{
	"thousand": 1e3, "thousands": 1e3, "th": 1e3, "k": 1e3,
	"million": 1e6, "millions": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6,
	"billion": 1e9, "billions": 1e9, "bn": 1e9,
}

// SplitUnit splits a unit into its base (a currency, "count") and its scale:
// "USD million" is USD × 10⁶, "thousand USD" USD × 10³, "count" is count × 1.
func SplitUnit(u string) (base string, scale float64) {
	// A file has a handful of distinct units and millions of rows.
	if v, ok := unitCache.Load(u); ok {
		su := v.(splitUnit)
		return su.base, su.scale
	}
	base, scale = splitUnitSlow(u)
	unitCache.Store(u, splitUnit{base, scale})
	return base, scale
}

// ScaledUnit returns the unit of base at scale, the word of the scale
// after it as the data write it ("USD million" for USD and 10⁶; base
// itself for 1), and false for a scale with no word (10², 10¹²).
func ScaledUnit(base string, scale float64) (string, bool) {
	if scale == 1 {
		return base, true
	}
	word, ok := scaleWords[scale]
	if !ok {
		return "", false
	}
	return base + " " + word, true
}

// scaleWords are the words ScaledUnit writes for a scale.
var scaleWords = map[float64]string{1e3: "thousand", 1e6: "million", 1e9: "billion"}

type splitUnit struct {
	base  string
	scale float64
}

var unitCache sync.Map // unit string → splitUnit

func splitUnitSlow(u string) (base string, scale float64) {
	scale = 1
	var rest []string
	for _, w := range strings.Fields(u) {
		if s, ok := unitScales[strings.ToLower(w)]; ok {
			scale *= s
			continue
		}
		rest = append(rest, w)
	}
	return strings.Join(rest, " "), scale
}

// convert returns the interval of o in unit to, and false when the units
// have different bases (two currencies never add).
func convert(o *fig, to string) (Interval, bool) {
	return convertValue(o.Value(), o.Unit(), to)
}

// decimalsIn returns the decimals of o's value written in unit to, which
// has o's unit's base: 313100 USD thousand is 313.100 USD million, three
// decimals more. A finding that shows a figure in another unit prints it
// so, rather than rounded to the decimals it had in its own.
func decimalsIn(o *fig, to string) int {
	return UnitDecimals(o.Value().Decimals, o.Unit(), to)
}

// UnitDecimals returns the decimals that d decimals in unit from are in
// unit to of the same base: three more from thousands to millions, three
// fewer (which may be below 0) the other way; d when a scale is unknown.
func UnitDecimals(d int, from, to string) int {
	if from == to {
		return d
	}
	_, fs := SplitUnit(from)
	_, ts := SplitUnit(to)
	if fs <= 0 || ts <= 0 {
		return d
	}
	return d + int(math.Round(math.Log10(ts/fs)))
}

// convertValue returns the interval of v, in unit from, in unit to, and
// false when the units have different bases.
func convertValue(v Value, from, to string) (Interval, bool) {
	iv := v.Interval()
	if from == to {
		return iv, true
	}
	fb, fs := SplitUnit(from)
	tb, ts := SplitUnit(to)
	if fb != tb {
		return Interval{}, false
	}
	f := fs / ts
	return Interval{iv.Lo * f, iv.Hi * f}, true
}

// valueUnlike returns o's value as a message writes it beside a figure of
// other's unit: with its unit when the two differ (1450 USD thousand
// beside figures in USD million), so that no figure reads as in the unit
// of another.
func valueUnlike(o, other *fig) string {
	if o.Unit() == other.Unit() {
		return o.Value().String()
	}
	return o.Value().String() + " " + o.Unit()
}

// Rescale returns x, a number in unit from, in unit to of the same base
// (USD thousand into USD million): moved by the power of ten between their
// scales and rounded to the digits x has, so that 6200.4 USD thousand is
// 6.2004 USD million, where dividing alone gives 6.200399999999999. It
// returns false when the bases differ or a scale is unknown.
func Rescale(x float64, from, to string) (float64, bool) {
	fb, fs := SplitUnit(from)
	tb, ts := SplitUnit(to)
	if fb != tb || fs <= 0 || ts <= 0 {
		return x, false
	}
	// By an exact power of ten: dividing by it rounds once, where
	// multiplying by its inverse (0.001) would round twice.
	y := x
	switch {
	case ts > fs:
		y /= ts / fs
	case ts < fs:
		y *= fs / ts
	}
	return roundTo(y, UnitDecimals(exactDecimals(x), from, to)), true
}
