package rules

import (
	"fmt"
	"math"
	"strings"

	"github.com/tradedesk/report/stats"
)

// quantity is what an expression computes with: the interval of every number
// the written figures allow, the unit it is in, and the rows it came from.
// Constants written in a rule are exact; figures from the data stand for
// the interval their written decimals allow ([stats.Value.Interval]).
type quantity struct {
	iv stats.Interval
	// unit is the unit of the figures, or "" for a pure number (a constant,
	// a ratio). A pure number takes the unit of what it meets.
	unit string
	// decimals is the precision to print the quantity with: the most of
	// its figures; -1 for a quantity made of constants only.
	decimals int
	// rows are the data rows the quantity was computed from, in the order
	// the expression reads them.
	rows []stats.Pos
}

// exact returns the constant x.
func exact(x float64) quantity { return quantity{iv: stats.Exact(x), decimals: -1} }

// String formats the midpoint at the quantity's precision.
func (q quantity) String() string { return formatNum(q.iv.Mid(), q.printDecimals()) }

// printDecimals is the precision to print with: a ratio gets three decimals
// so that 0.12 and 2.00 read as what they are.
func (q quantity) printDecimals() int {
	switch {
	case q.unit == "" && q.decimals < 3:
		return 3
	case q.decimals < 0:
		return 0
	}
	return q.decimals
}

func formatNum(x float64, decimals int) string {
	if x == 0 {
		x = 0 // no "-0"
	}
	return stats.FormatFixed(x, decimals)
}

// rangeText shows the interval when it is not a point: "6 (5 to 7)".
func (q quantity) rangeText() string {
	d := q.printDecimals()
	if q.iv.Lo == q.iv.Hi {
		if q.decimals < 0 {
			return trimNum(q.iv.Lo, 6)
		}
		return formatNum(q.iv.Lo, d)
	}
	return fmt.Sprintf("%s (%s to %s)", formatNum(q.iv.Mid(), d), trimNum(q.iv.Lo, d+2), trimNum(q.iv.Hi, d+2))
}

// trimNum formats x with at most decimals digits after the point and no
// trailing zeros.
func trimNum(x float64, decimals int) string {
	s := formatNum(x, decimals)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// evalError is why an expression cannot be evaluated on the data: a figure
// is missing, units do not agree, a divisor may be zero.
type evalError struct{ msg string }

func (e *evalError) Error() string { return e.msg }

func evalErrorf(format string, args ...any) error {
	return &evalError{msg: fmt.Sprintf(format, args...)}
}

// toQuantity converts an operand of an expression: a quantity or a number
// written in the rule.
func toQuantity(v any) (quantity, error) {
	switch x := v.(type) {
	case quantity:
		return x, nil
	case int:
		return exact(float64(x)), nil
	case int64:
		return exact(float64(x)), nil
	case float64:
		return exact(x), nil
	}
	return quantity{}, evalErrorf("%v (%T) is not a number", v, v)
}

// unify brings b into a's unit (or a into b's when a is a pure number) and
// returns the common unit. Units with different bases never meet.
func unify(a, b quantity) (quantity, quantity, string, error) {
	switch {
	case a.unit == b.unit:
		return a, b, a.unit, nil
	case b.unit == "":
		return a, b, a.unit, nil
	case a.unit == "":
		return a, b, b.unit, nil
	}
	ab, as := stats.SplitUnit(a.unit)
	bb, bs := stats.SplitUnit(b.unit)
	if ab != bb {
		return a, b, "", evalErrorf("units do not agree: %s and %s", a.unit, b.unit)
	}
	f := bs / as
	b.iv = stats.Interval{Lo: b.iv.Lo * f, Hi: b.iv.Hi * f}
	return a, b, a.unit, nil
}

func joinRows(a, b quantity) []stats.Pos {
	out := make([]stats.Pos, 0, len(a.rows)+len(b.rows))
	out = append(out, a.rows...)
	return append(out, b.rows...)
}

func add(a, b quantity) (quantity, error) {
	a, b, u, err := unify(a, b)
	if err != nil {
		return quantity{}, err
	}
	return quantity{iv: a.iv.Add(b.iv), unit: u, decimals: max(a.decimals, b.decimals), rows: joinRows(a, b)}, nil
}

func sub(a, b quantity) (quantity, error) {
	a, b, u, err := unify(a, b)
	if err != nil {
		return quantity{}, err
	}
	return quantity{iv: a.iv.Sub(b.iv), unit: u, decimals: max(a.decimals, b.decimals), rows: joinRows(a, b)}, nil
}

func mul(a, b quantity) (quantity, error) {
	if a.unit != "" && b.unit != "" {
		return quantity{}, evalErrorf("cannot multiply %s by %s", a.unit, b.unit)
	}
	return quantity{iv: a.iv.Mul(b.iv), unit: a.unit + b.unit, decimals: max(a.decimals, b.decimals), rows: joinRows(a, b)}, nil
}

func div(a, b quantity) (quantity, error) {
	unit := a.unit
	switch {
	case b.unit == "":
	case a.unit == "":
		return quantity{}, evalErrorf("cannot divide a number by %s", b.unit)
	default:
		var err error
		if a, b, _, err = unify(a, b); err != nil {
			return quantity{}, err
		}
		unit = ""
	}
	iv, ok := a.iv.Div(b.iv)
	if !ok {
		return quantity{}, evalErrorf("division by %s, which may be zero", b.rangeText())
	}
	dec := max(a.decimals, b.decimals)
	if unit == "" {
		dec = max(dec, 3)
	}
	return quantity{iv: iv, unit: unit, decimals: dec, rows: joinRows(a, b)}, nil
}

func neg(a quantity) quantity {
	a.iv = stats.Interval{Lo: -a.iv.Hi, Hi: -a.iv.Lo}
	return a
}

// comparison is the outcome of comparing two quantities under a tolerance.
type comparison struct {
	ok              bool
	diff, tolerance float64 // lhs − rhs at the midpoints, and the allowance
}

// compare tests lhs op rhs. Under the rounding tolerance a comparison holds
// when some numbers that round to the written figures make it true; under
// an absolute or relative one, when the midpoints satisfy it within the
// amount (relative to the right-hand side).
func compare(op string, lhs, rhs quantity, tol stats.Tolerance) (comparison, error) {
	lhs, rhs, _, err := unify(lhs, rhs)
	if err != nil {
		return comparison{}, err
	}
	if math.IsNaN(lhs.iv.Mid()) || math.IsNaN(rhs.iv.Mid()) {
		return comparison{}, evalErrorf("the result is not a number")
	}
	var c comparison
	c.diff = lhs.iv.Mid() - rhs.iv.Mid()
	switch op {
	case "==", "!=":
		_, c.tolerance, c.ok = tol.Equal(rhs.iv, lhs.iv)
		if op == "!=" {
			c.ok = !c.ok
		}
	case "<=":
		_, c.tolerance, c.ok = tol.AtMost(lhs.iv, rhs.iv)
	case ">=":
		_, c.tolerance, c.ok = tol.AtMost(rhs.iv, lhs.iv)
	case "<":
		_, c.tolerance, _ = tol.AtMost(lhs.iv, rhs.iv)
		c.ok = c.diff < c.tolerance
	case ">":
		_, c.tolerance, _ = tol.AtMost(rhs.iv, lhs.iv)
		c.ok = -c.diff < c.tolerance
	default:
		panic("stats/rules: unknown comparison " + op)
	}
	return c, nil
}
