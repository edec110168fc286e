package stats

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Value is a number together with the number of decimals it was written
// with. The zero Value is missing.
type Value struct {
	Num      float64 // the number as written
	Decimals int     // digits after the decimal point as written: 1 for 33.3
	Valid    bool    // false when the value is missing
}

// NewValue returns the valid value x written with the given decimals.
func NewValue(x float64, decimals int) Value {
	return Value{Num: x, Decimals: decimals, Valid: true}
}

// ParseValue parses a decimal written with a point, an optional leading
// minus and no exponent (33.3, -5, 1435). The empty string is a missing
// value. The error wraps [ErrBadNumber] and carries a hint for the ways real
// statistics files write numbers (33,3 with a decimal comma, 1,435 or 1 435
// with a thousands separator, 53.1* with a footnote mark, .. or x for
// missing). A number of more than 15 significant digits is refused unless
// its float64 is written so again (see roundTrips): it would be checked as
// another number than the one written.
func ParseValue(s string) (Value, error) {
	v, ok := parseValueBytes([]byte(s))
	if ok {
		return v, nil
	}
	return Value{}, &textError{kind: ErrBadNumber, text: s, hint: numberHint(s)}
}

// parseValueBytes parses without allocating; it accepts exactly the syntax
// that ParseValue documents.
func parseValueBytes(b []byte) (Value, bool) {
	if len(b) == 0 {
		return Value{}, true
	}
	i := 0
	neg := false
	if b[0] == '-' {
		neg = true
		i++
	}
	var mant uint64
	nd, dec := 0, -1
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= '0' && c <= '9':
			if nd < 19 {
				mant = mant*10 + uint64(c-'0')
			}
			nd++
			if dec >= 0 {
				dec++
			}
		case c == '.' && dec < 0:
			dec = 0
		default:
			return Value{}, false
		}
	}
	if nd == 0 || dec == 0 || (dec > 0 && nd-dec == 0) {
		return Value{}, false
	}
	if dec < 0 {
		dec = 0
	}
	var x float64
	if nd <= 15 && dec <= 22 {
		// Exact: an integer below 2^53 divided by an exact power of ten
		// rounds once, as strconv would.
		x = float64(mant) / pow10[dec]
	} else {
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil || !heldExactly(b, f) {
			return Value{}, false
		}
		return Value{Num: f, Decimals: dec, Valid: true}, true
	}
	if neg {
		x = -x
	}
	return Value{Num: x, Decimals: dec, Valid: true}, true
}

// heldExactly reports whether f, the float64 nearest the number written
// as b, tells it from every other number: a number of at most 15
// significant digits (leading and trailing zeros aside: 33.3000 has three)
// always is, and one of 16 or 17 when it is f as a program printed it to
// that many digits (pandas writes 33.300000000000004, printf's %.17g
// 33.299999999999997); a longer one, or one between two float64s
// (18014398509481986, 1234567890123456.7), is not, and would be checked as
// another number than the one written.
func heldExactly(b []byte, f float64) bool {
	digits, exp := significantDigits(b)
	switch {
	case len(digits) <= 15:
		return true
	case len(digits) > 17:
		return false
	}
	var buf [32]byte
	s := strconv.AppendFloat(buf[:0], math.Abs(f), 'e', len(digits)-1, 64) // d.ddde±x
	fd, fe := significantDigits(s[:bytes.IndexByte(s, 'e')])
	x, _ := strconv.Atoi(string(s[bytes.IndexByte(s, 'e')+1:]))
	return string(fd) == string(digits) && fe+x == exp
}

// significantDigits returns the digits of the number written as b
// (digits, a point, a leading minus), without the zeros before the first
// other digit and after the last, and the power of ten of the first: 1.5
// and 0.0150 are "15" with 0 and −2.
func significantDigits(b []byte) (digits []byte, exp int) {
	point := len(b)
	if i := bytes.IndexByte(b, '.'); i >= 0 {
		point = i
	}
	first := -1
	for i, c := range b {
		if c >= '1' && c <= '9' {
			first = i
			break
		}
	}
	if first < 0 {
		return nil, 0
	}
	exp = point - first - 1
	if first > point {
		exp = point - first
	}
	for _, c := range b[first:] {
		if c >= '0' && c <= '9' {
			digits = append(digits, c)
		}
	}
	return bytes.TrimRight(digits, "0"), exp
}

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// missingMarkers are what statistics offices print for a missing figure.
var missingMarkers = map[string]bool{
	"..": true, "...": true, "x": true, "X": true, "-": true, "–": true, "—": true,
	"n/a": true, "N/A": true, "na": true, "NA": true, "NaN": true, "nan": true,
	":": true, "c": true, "*": true,
}

func numberHint(s string) string {
	t := strings.TrimSpace(s)
	switch {
	case missingMarkers[t]:
		return fmt.Sprintf("%q marks a missing figure: leave the value empty and set status M", t)
	case t != s && parseOK(t):
		return "remove the surrounding spaces"
	case strings.TrimRight(t, "*†‡abcdefghijklmnopqrstuvwxyz") != t && parseOK(strings.TrimRight(t, "*†‡abcdefghijklmnopqrstuvwxyz")):
		return fmt.Sprintf("footnote mark? write %s and put the footnote in the note column", strings.TrimRight(t, "*†‡abcdefghijklmnopqrstuvwxyz"))
	case strings.Count(t, ",") == 1 && !strings.Contains(t, ".") && parseOK(strings.Replace(t, ",", ".", 1)):
		after := t[strings.IndexByte(t, ',')+1:]
		if len(after) == 3 {
			return fmt.Sprintf("thousands separator or decimal comma? write %s or %s", strings.Replace(t, ",", "", 1), strings.Replace(t, ",", ".", 1))
		}
		return fmt.Sprintf("decimal comma? write %s", strings.Replace(t, ",", ".", 1))
	case strings.Count(t, ",") == 1 && strings.Contains(t, ".") && strings.LastIndexByte(t, '.') < strings.IndexByte(t, ',') &&
		parseOK(strings.Replace(strings.ReplaceAll(t, ".", ""), ",", ".", 1)):
		// 1.234,5: points between thousands, a decimal comma.
		return fmt.Sprintf("thousands separated by points, and a decimal comma? write %s", strings.Replace(strings.ReplaceAll(t, ".", ""), ",", ".", 1))
	case strings.Contains(t, ",") && parseOK(strings.ReplaceAll(t, ",", "")):
		return fmt.Sprintf("thousands separator? write %s", strings.ReplaceAll(t, ",", ""))
	case strings.ContainsAny(t, " \u00a0\u202f") && parseOK(stripSpaces(t)):
		return fmt.Sprintf("thousands separator? write %s", stripSpaces(t))
	case strings.ContainsAny(t, " \u00a0\u202f") && strings.Count(t, ",") == 1 && parseOK(strings.Replace(stripSpaces(t), ",", ".", 1)):
		return fmt.Sprintf("thousands separator and decimal comma? write %s", strings.Replace(stripSpaces(t), ",", ".", 1))
	case strings.HasPrefix(t, "+") && parseOK(t[1:]):
		return fmt.Sprintf("write %s without the plus sign", t[1:])
	case strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")") && parseOK(t[1:len(t)-1]):
		return fmt.Sprintf("negative in brackets? write -%s", t[1:len(t)-1])
	case strings.ContainsAny(t, "eE") && func() bool { _, err := strconv.ParseFloat(t, 64); return err == nil }():
		return "write the number without an exponent, with the decimals it was published with"
	case strings.HasPrefix(t, ".") && parseOK("0"+t):
		return fmt.Sprintf("write 0%s", t)
	case significant(t) > 15:
		f, _ := strconv.ParseFloat(t, 64)
		return fmt.Sprintf("%d significant digits, more than a number holds exactly (15): it would be read as %s; write it with fewer, in a larger unit say", significant(t), strconv.FormatFloat(f, 'f', -1, 64))
	}
	return "write a decimal number with a point, such as 33.3"
}

// significant returns the significant digits of s, a number of digits
// and at most a point and a leading minus (see significantDigits), or 0
// for anything else.
func significant(s string) int {
	if strings.Trim(s, "-.0123456789") != "" {
		return 0
	}
	d, _ := significantDigits([]byte(s))
	return len(d)
}

func parseOK(s string) bool {
	v, ok := parseValueBytes([]byte(s))
	return ok && v.Valid
}

func stripSpaces(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, s)
}

// MaxSignificant is the most significant digits a number worked out from
// figures (a finding's expected value, difference and tolerance, a
// chart's label) is shown with (see [FixedDecimals]): a float64 holds
// every decimal number of 15 digits, and the digits past them would be
// those of its binary fraction. The sum of a figure written 462597.8934999…
// to 45 decimals and 1.5 is held as 462599.393500000005587935…, and shown
// as 462599.393500000. A figure itself is shown as written ([Value.String]).
const MaxSignificant = 15

// FixedDecimals returns the decimals to show x with when it was written
// with decimals: decimals, or fewer where x would show more than
// [MaxSignificant] significant digits, never fewer than 0.
func FixedDecimals(x float64, decimals int) int {
	if decimals <= 0 || x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return decimals
	}
	// The place of x's first significant digit: 10^e ≤ |x| < 10^(e+1),
	// or a digit more at an exact power of ten, where Log10 may fall
	// short of it.
	e := int(math.Floor(math.Log10(math.Abs(x))))
	return min(decimals, max(MaxSignificant-1-e, 0))
}

// AppendFixed appends x to b with [FixedDecimals] of decimals digits after
// the point, as strconv.AppendFloat with format 'f' does.
func AppendFixed(b []byte, x float64, decimals int) []byte {
	return appendDecimal(b, x, FixedDecimals(x, decimals))
}

// appendDecimal appends x with decimals digits after the point, as
// strconv.AppendFloat with format 'f' does, but for a number whose digits
// so written are more than a float64 tells apart (see heldExactly), such
// as 1e23, which 'f' writes 99999999999999991611392: it is written with
// the digits of the shortest decimal that is x, and zeros after them
// (100000000000000000000000), as it was read.
func appendDecimal(b []byte, x float64, decimals int) []byte {
	n := len(b)
	b = strconv.AppendFloat(b, x, 'f', decimals, 64)
	if len(b)-n <= 16 || heldExactly(b[n:], x) || math.IsInf(x, 0) || math.IsNaN(x) {
		return b
	}
	var buf [32]byte
	s := strconv.AppendFloat(buf[:0], math.Abs(x), 'e', -1, 64) // d.ddde±x
	e := bytes.IndexByte(s, 'e')
	digits, first := significantDigits(s[:e])
	x10, _ := strconv.Atoi(string(s[e+1:]))
	first += x10 // the power of ten of the first digit
	digit := func(p int) byte {
		if i := first - p; i >= 0 && i < len(digits) {
			return digits[i]
		}
		return '0'
	}
	b = b[:n]
	if math.Signbit(x) {
		b = append(b, '-')
	}
	for p := max(first, 0); p >= 0; p-- {
		b = append(b, digit(p))
	}
	if decimals > 0 {
		b = append(b, '.')
		for p := -1; p >= -decimals; p-- {
			b = append(b, digit(p))
		}
	}
	return b
}

// FormatFixed returns x with [FixedDecimals] of decimals digits after the
// point.
func FormatFixed(x float64, decimals int) string {
	return string(AppendFixed(make([]byte, 0, 24), x, decimals))
}

// String formats v with the decimals it was written with, as the tidy
// format writes it; a missing value formats as "".
func (v Value) String() string {
	return string(v.appendText(make([]byte, 0, 24)))
}

// appendText appends what String returns to b.
func (v Value) appendText(b []byte) []byte {
	if !v.Valid {
		return b
	}
	return appendDecimal(b, v.Num, v.Decimals)
}

// HalfWidth returns half the width of the interval that v stands for:
// 0.05 for a value written with one decimal.
func (v Value) HalfWidth() float64 {
	if i := v.Decimals - minTabled; i >= 0 && i < len(halfWidths) {
		return halfWidths[i]
	}
	return halfWidth(v.Decimals)
}

func halfWidth(decimals int) float64 { return 0.5 * math.Pow(10, -float64(decimals)) }

// halfWidths holds halfWidth of the decimals from minTabled on, worked
// out once: math.Pow is a tenth of the time of the mirror and groups rules
// on a customs office's detail.
var halfWidths = func() (t [40]float64) {
	for i := range t {
		t[i] = halfWidth(i + minTabled)
	}
	return t
}()

const minTabled = -9

// Interval returns the range of numbers that round to v at its written
// decimals: [v − h, v + h] with h = [Value.HalfWidth].
func (v Value) Interval() Interval {
	h := v.HalfWidth()
	return Interval{Lo: v.Num - h, Hi: v.Num + h}
}

// Exact returns the interval [v, v], for a value taken as exact.
func Exact(x float64) Interval { return Interval{Lo: x, Hi: x} }

// Interval is a closed range of real numbers [Lo, Hi]; the arithmetic on
// intervals gives the range of every result the operands allow.
type Interval struct {
	Lo, Hi float64
}

// Mid returns the midpoint (Lo + Hi) / 2.
func (a Interval) Mid() float64 { return (a.Lo + a.Hi) / 2 }

// Radius returns (Hi − Lo) / 2.
func (a Interval) Radius() float64 { return (a.Hi - a.Lo) / 2 }

// Add returns a + b = [a.Lo + b.Lo, a.Hi + b.Hi].
func (a Interval) Add(b Interval) Interval { return Interval{a.Lo + b.Lo, a.Hi + b.Hi} }

// Sub returns a − b = [a.Lo − b.Hi, a.Hi − b.Lo].
func (a Interval) Sub(b Interval) Interval { return Interval{a.Lo - b.Hi, a.Hi - b.Lo} }

// Mul returns a × b: the smallest and largest of the four end products.
func (a Interval) Mul(b Interval) Interval {
	p := [4]float64{a.Lo * b.Lo, a.Lo * b.Hi, a.Hi * b.Lo, a.Hi * b.Hi}
	lo, hi := p[0], p[0]
	for _, x := range p[1:] {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return Interval{lo, hi}
}

// Div returns a ÷ b, and false when b contains zero (the quotient is then
// unbounded).
func (a Interval) Div(b Interval) (Interval, bool) {
	if b.Lo <= 0 && b.Hi >= 0 {
		return Interval{}, false
	}
	return a.Mul(Interval{1 / b.Hi, 1 / b.Lo}), true
}

// eps absorbs the binary rounding of decimal fractions, so that 33.3 + 19.8
// meets 53.1 exactly at the edge of its interval: 10⁻¹³ of the largest of
// xs (or of 1), some 450 times the rounding of one operation, which covers
// the sum of hundreds of terms. It was 10⁻⁹, which let figures of a
// trillion (a year's trade in USD) be off by a thousand, where their
// intervals allow 1.5.
func eps(xs ...float64) float64 {
	m := 1.0
	for _, x := range xs {
		// The built-in max, which a NaN makes NaN as math.Max does, is
		// inlined; eps is called for every identity checked.
		m = max(m, math.Abs(x))
	}
	return m * 1e-13
}

// noise is eps of xs, but at most a sixteenth of res, the finest
// difference the figures can tell (see resolution), and at least a
// hundredth of eps (some ten roundings of one operation): figures of
// eleven digits and more (12618436500.278 tenge) tell differences below
// 10⁻¹³ of themselves, which eps alone would swamp, letting a turnover
// 0.001 beyond what its terms allow pass, or 62000000000006 against
// 62000000000000 with 1.5 allowed.
func noise(res float64, xs ...float64) float64 {
	e := eps(xs...)
	return min(e, max(res/16, e/100))
}

// resolution returns the finest difference that figures of the intervals
// ivs can tell: the narrowest of their widths and tol (a tolerance, or
// the widths of the intervals compared), leaving out widths of 0 (exact
// numbers).
func resolution(tol float64, ivs ...Interval) float64 {
	r := tol
	for _, iv := range ivs {
		if w := iv.Hi - iv.Lo; w > 0 && w < r {
			r = w
		}
	}
	return r
}

// Meets reports whether a and b share a point: whether the equation a = b
// can hold for some values that round to the written figures.
func (a Interval) Meets(b Interval) bool {
	e := noise(resolution(math.Inf(1), a, b), a.Lo, a.Hi, b.Lo, b.Hi)
	return a.Lo <= b.Hi+e && b.Lo <= a.Hi+e
}
