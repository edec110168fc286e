package ingest

import (
	"math"
	"strconv"
	"strings"

	"github.com/tradedesk/report/stats"
)

// cellKind says what a number cell turned out to be.
type cellKind uint8

const (
	cellValue   cellKind = iota // a number, or a zero marker
	cellMissing                 // a missing marker or an empty cell read as missing
	cellSkip                    // an empty cell that the mapping skips
)

var defaultMissing = []string{"..", "...", "x", "X", "NA", "n/a", "N/A", ":"}

// parse reads one cell under the conventions n, with empty the rule for an
// empty cell (the column's own, else the table's).
func (n *Numbers) parse(s, empty string) (stats.Value, cellKind, error) {
	t := strings.TrimFunc(s, isSpace)
	if t == "" {
		if empty == "" {
			empty = n.Empty
		}
		switch empty {
		case "", "missing":
			return stats.Value{}, cellMissing, nil
		case "skip":
			return stats.Value{}, cellSkip, nil
		}
		v, _ := parsePlain(empty)
		return v, cellValue, nil
	}
	missing := n.Missing
	if missing == nil {
		missing = defaultMissing
	}
	for _, m := range missing {
		if t == m {
			return stats.Value{}, cellMissing, nil
		}
	}
	for _, z := range n.Zero {
		if t == z {
			return stats.NewValue(0, 0), cellValue, nil
		}
	}
	neg := false
	if n.Negatives == "mangled" {
		// "- -5", "-- 156", "- -0": any run of minus signs and spaces
		// before the digits is one minus sign.
		rest := strings.TrimLeftFunc(t, func(r rune) bool { return r == '-' || isSpace(r) })
		if rest != t && strings.Contains(t[:len(t)-len(rest)], "-") {
			neg, t = true, rest
		}
	} else if strings.HasPrefix(t, "-") {
		neg, t = true, t[1:]
	}
	if n.Exponent {
		if plain, ok := expandExponent(t); ok {
			t = plain
		}
	}
	num, ok := n.normalize(t)
	if !ok {
		_, err := stats.ParseValue(s)
		return stats.Value{}, cellValue, err
	}
	v, ok := parsePlain(num)
	if !ok && n.Significant > 0 {
		// Binary noise of more digits than a float64 tells apart
		// (958.69914000000006), which stats.ParseValue refuses: rounded
		// to Significant digits below.
		v, ok = parseNoisy(num)
	}
	if !ok {
		_, err := stats.ParseValue(s)
		return stats.Value{}, cellValue, err
	}
	if n.Significant > 0 {
		v = roundSignificant(num, v, n.Significant)
	}
	if neg && v.Num != 0 {
		// "- -0" is a zero: the interval of a written 0 holds the small
		// negative it may stand for.
		v.Num = -v.Num
	}
	return v, cellValue, nil
}

// normalize removes thousands separators (checking that they group three
// digits) and turns the decimal mark into a point. t has no sign.
func (n *Numbers) normalize(t string) (string, bool) {
	dec := n.Decimal
	if dec == "" {
		dec = "."
	}
	intPart, frac, hasFrac := strings.Cut(t, dec)
	if hasFrac && (frac == "" || !allDigits(frac)) {
		return "", false
	}
	if n.Thousands != "" && strings.IndexFunc(intPart, func(r rune) bool { return n.isSep(r) }) >= 0 {
		groups := strings.FieldsFunc(intPart, n.isSep)
		// The separators must split the digits, not sit at the ends or
		// twice in a row.
		if strings.Join(groups, "") == "" || len(strings.Join(groups, "")) != len(intPart)-countSeps(intPart, n.isSep) ||
			n.isSep(firstRune(intPart)) || n.isSep(lastRune(intPart)) {
			return "", false
		}
		for i, g := range groups {
			if !allDigits(g) || (i == 0 && len(g) > 3) || (i > 0 && len(g) != 3) {
				return "", false
			}
		}
		intPart = strings.Join(groups, "")
	}
	if !allDigits(intPart) {
		return "", false
	}
	if hasFrac {
		return intPart + "." + frac, true
	}
	return intPart, true
}

func (n *Numbers) isSep(r rune) bool {
	if strings.ContainsRune(n.Thousands, r) {
		return true
	}
	return strings.ContainsRune(n.Thousands, ' ') && (r == '\u00a0' || r == '\u202f')
}

func countSeps(s string, sep func(rune) bool) int {
	n := 0
	for _, r := range s {
		if sep(r) {
			n += len(string(r))
		}
	}
	return n
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

func lastRune(s string) rune {
	var last rune
	for _, r := range s {
		last = r
	}
	return last
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\u00a0' || r == '\u202f' || r == '\r' || r == '\n'
}

// parsePlain reads a number in the tidy syntax of [stats.ParseValue].
func parsePlain(s string) (stats.Value, bool) {
	v, err := stats.ParseValue(s)
	return v, err == nil && v.Valid
}

// parseNoisy reads a number in the tidy syntax of [stats.ParseValue] with
// more significant digits than it accepts, as the nearest float64, for
// roundSignificant to round.
func parseNoisy(s string) (stats.Value, bool) {
	if s == "" || strings.Trim(s, "0123456789.") != "" {
		return stats.Value{}, false
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return stats.Value{}, false
	}
	dec := 0
	if _, frac, ok := strings.Cut(s, "."); ok {
		dec = len(frac)
	}
	return stats.NewValue(x, dec), true
}

// ParseNumber reads s under the conventions n, as a value column would: a
// missing marker or an empty cell gives the zero (missing) Value. The error
// wraps [stats.ErrBadNumber].
func (n *Numbers) ParseNumber(s string) (stats.Value, error) {
	v, kind, err := n.parse(s, "")
	if err != nil {
		return stats.Value{}, err
	}
	if kind != cellValue {
		return stats.Value{}, nil
	}
	return v, nil
}

// expandExponent writes a number in scientific notation (1.1e-4, 2E+3) as a
// plain decimal with exactly the digits it has (0.00011, 2000), so that no
// binary rounding creeps in.
func expandExponent(t string) (string, bool) {
	i := strings.IndexAny(t, "eE")
	if i <= 0 {
		return "", false
	}
	mant, exp := t[:i], t[i+1:]
	e, err := strconv.Atoi(exp)
	if err != nil || e < -30 || e > 30 {
		return "", false
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if !allDigits(intPart) || (frac != "" && !allDigits(frac)) {
		return "", false
	}
	digits := intPart + frac
	point := len(intPart) + e // position of the decimal point in digits
	switch {
	case point <= 0:
		digits = strings.Repeat("0", 1-point) + digits
		point = 1
	case point > len(digits):
		digits += strings.Repeat("0", point-len(digits))
	}
	out := digits[:point]
	if point < len(digits) {
		out += "." + digits[point:]
	}
	out = strings.TrimLeft(out, "0")
	if out == "" || out[0] == '.' {
		out = "0" + out
	}
	return out, true
}

// roundSignificant rounds v, written as num, to sig significant digits when
// it has more, and drops the trailing zeros that leaves.
func roundSignificant(num string, v stats.Value, sig int) stats.Value {
	digits := strings.TrimLeft(strings.Replace(num, ".", "", 1), "0")
	if len(digits) <= sig || v.Num == 0 {
		return v
	}
	intDigits := int(math.Floor(math.Log10(math.Abs(v.Num)))) + 1
	dec := max(sig-intDigits, 0)
	s := strconv.FormatFloat(v.Num, 'f', dec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	r, ok := parsePlain(s)
	if !ok {
		return v
	}
	return r
}
