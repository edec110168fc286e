package stats

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// ErrUnitMismatch is wrapped by the errors of derived figures whose terms
// are in units that cannot be converted into one another (two currencies,
// a currency and a count).
var ErrUnitMismatch = errors.New("units differ")

// Derivation says how a [Figure] came about.
type Derivation uint8

// The ways a figure comes about. The zero Derivation is Published.
const (
	// Published is a figure read from a row of the data.
	Published Derivation = iota
	// SumOfPeriods is the sum of the figures of the same series for the
	// periods that exactly cover the figure's period (the months of a
	// quarter, the quarters of a year, the months of January–July).
	SumOfPeriods
	// ExportsPlusImports is turnover = exports + imports.
	ExportsPlusImports
	// ExportsMinusImports is balance = exports − imports.
	ExportsMinusImports
)

// String names the derivation as a reader of a table would: "published",
// "sum of periods", "exports + imports", "exports − imports".
func (d Derivation) String() string {
	switch d {
	case Published:
		return "published"
	case SumOfPeriods:
		return "sum of periods"
	case ExportsPlusImports:
		return "exports + imports"
	case ExportsMinusImports:
		return "exports − imports"
	}
	return "invalid"
}

// Figure is the value of one series in one period: published in the data,
// derived from published figures, or missing. A missing figure has
// Value.Valid false; missing is never zero.
type Figure struct {
	Key    Key
	Period Period
	Value  Value
	Unit   string
	// Status is the published status, or for a derived figure that of its
	// least final part, in the order Normal, Provisional, Estimated.
	Status Status
	// How tells whether the figure is published or how it was derived.
	How Derivation
	// Obs is the published row, nil for a derived or missing figure.
	Obs *Observation
	// Parts are the figures a derived figure was computed from, in the
	// order of its formula: the periods in order for SumOfPeriods,
	// exports then imports for the trade identities.
	Parts []Figure
}

// Derived reports whether f was computed rather than published.
func (f Figure) Derived() bool { return f.How != Published && f.Value.Valid }

// Index finds the figures of a [Dataset] by series and period and derives
// the ones that are not published. Build it with [NewIndex]; it is safe for
// concurrent use and does not modify the dataset, which must not change
// while the index is in use.
type Index struct {
	voc *Vocabulary
	// series holds, for each series, the first valid observation of each
	// span of days in file order, sorted by first and then last day.
	series map[Key][]spanObs
}

type spanObs struct {
	first, last int64
	o           *Observation
}

// NewIndex indexes the valid observations of d. voc tells which indicators
// are flows, which add up over time; nil means the built-in vocabulary.
// When one series has two valid rows for the same days (two sources, or a
// year written both as 2023 and as 2023-01/2023-12) the first in file order
// is used.
func NewIndex(d *Dataset, voc *Vocabulary) *Index { return NewIndexOf(d, voc, nil) }

// NewIndexOf is [NewIndex] of the observations of d that keep reports true
// of (all of them when keep is nil): the figures derived from them, and
// only from them, are those of an index of a dataset of them alone, which
// need not be copied out of d.
func NewIndexOf(d *Dataset, voc *Vocabulary, keep func(*Observation) bool) *Index {
	if voc == nil {
		voc = NewVocabulary()
	}
	x := &Index{voc: voc, series: map[Key][]spanObs{}}
	for i := range d.Obs {
		o := &d.Obs[i]
		if !o.Value.Valid || keep != nil && !keep(o) {
			continue
		}
		f, l := o.Period.days()
		k := o.Key()
		x.series[k] = append(x.series[k], spanObs{f, l, o})
	}
	for k, s := range x.series {
		// Stable, so that among rows for the same days the first in file
		// order comes first; the exact kind is preferred at lookup.
		slices.SortStableFunc(s, func(a, b spanObs) int {
			return cmp.Or(cmp.Compare(a.first, b.first), cmp.Compare(a.last, b.last))
		})
		x.series[k] = s
	}
	return x
}

// Published returns the first valid published row of series k whose period
// covers exactly the days of p, preferring a row written as p itself (2023
// before 2023-01/2023-12), and whether there is one.
func (x *Index) Published(k Key, p Period) (*Observation, bool) {
	return published(x.series[k], p)
}

// published is [Index.Published] in the rows of one series.
func published(s []spanObs, p Period) (*Observation, bool) {
	f, l := p.days()
	i, _ := slices.BinarySearchFunc(s, [2]int64{f, l}, func(e spanObs, t [2]int64) int {
		return cmp.Or(cmp.Compare(e.first, t[0]), cmp.Compare(e.last, t[1]))
	})
	var found *Observation
	for ; i < len(s) && s[i].first == f && s[i].last == l; i++ {
		if s[i].o.Period == p {
			return s[i].o, true
		}
		if found == nil {
			found = s[i].o
		}
	}
	return found, found != nil
}

// Observations returns the valid observations of series k, sorted by their
// first and then last day, rows for the same days in file order. The
// result is shared: do not modify it.
func (x *Index) Observations(k Key) []*Observation {
	s := x.series[k]
	out := make([]*Observation, len(s))
	for i, e := range s {
		out[i] = e.o
	}
	return out
}

// Figure returns the figure of series k for period p:
//
//  1. the published row for exactly the days of p ([Index.Published]);
//  2. else, for a flow, the sum of the published figures of one finer kind
//     of period that exactly cover p, trying the kinds from the coarsest
//     (a year from its quarters before its months; 2005/2024 from its
//     years): Σᵢ xᵢ, when every one of them is present;
//  3. else, for turnover, exports + imports, and for balance,
//     exports − imports, each term found by steps 1 and 2;
//  4. else a missing figure (Value.Valid false, err nil).
//
// A derived value is computed in the unit of its first term, converting
// the others when their base agrees ([SplitUnit]: USD thousand into USD
// million); it is written with the fewest decimals of its terms in that
// unit, and its number is rounded to the most decimals their values have,
// which removes the binary noise of the sum (33.3 + 19.8 is 53.1, not
// 53.099999999999994) and keeps every digit its terms carry (within the
// 15 that a float64 holds). When the terms have units that cannot be
// converted, Figure returns a missing figure and an error wrapping
// [ErrUnitMismatch].
func (x *Index) Figure(k Key, p Period) (Figure, error) {
	f, err := x.term(k, p)
	if err != nil || f.Value.Valid {
		return f, err
	}
	var how Derivation
	switch k.Indicator {
	case "turnover":
		how = ExportsPlusImports
	case "balance":
		how = ExportsMinusImports
	default:
		return Figure{Key: k, Period: p}, nil
	}
	ex, err := x.term(Key{k.Reporter, k.Partner, "exports"}, p)
	if err != nil || !ex.Value.Valid {
		return Figure{Key: k, Period: p}, err
	}
	im, err := x.term(Key{k.Reporter, k.Partner, "imports"}, p)
	if err != nil || !im.Value.Valid {
		return Figure{Key: k, Period: p}, err
	}
	signs := []float64{1, 1}
	if how == ExportsMinusImports {
		signs[1] = -1
	}
	return combine(k, p, how, []Figure{ex, im}, signs)
}

// term finds a figure by steps 1 and 2 of [Index.Figure].
func (x *Index) term(k Key, p Period) (Figure, error) {
	s := x.series[k]
	if o, ok := published(s, p); ok {
		return publishedFigure(o, p), nil
	}
	return x.sumOfPeriods(k, s, p)
}

// sumOfPeriods derives a flow of period p from the published figures of one
// finer kind that exactly cover it, or returns a missing figure; s holds
// the rows of series k.
func (x *Index) sumOfPeriods(k Key, s []spanObs, p Period) (Figure, error) {
	if p.IsZero() {
		return Figure{Key: k, Period: p}, nil
	}
	info, ok := x.voc.Lookup(k.Indicator)
	if !ok || !info.Flow || len(s) == 0 {
		return Figure{Key: k, Period: p}, nil
	}
	// The rows of a cover are found before any figure is made of them:
	// a year of monthly data is tried from its quarters first, and most
	// covers tried are not complete. Coarser periods cover an interval
	// that begins and ends on their boundaries (2024-01/2024-09 the
	// quarters 2024-Q1 to 2024-Q3; 2024-01/2024-03 is 2024-Q1).
	var buf [12]*Observation
	for kind := Year; kind <= Month; kind++ {
		first, last, ok := p.coverBounds(kind)
		n := int(last-first) + 1
		// A cover longer than the series cannot be complete, and one of a
		// single period of p's kind, or finer, is p itself.
		if !ok || n > len(s) || (n < 2 && kind >= p.Kind()) {
			continue
		}
		rows := buf[:0]
		for i := first; i <= last; i++ {
			o, ok := published(s, Period{kind, i, i})
			if !ok {
				break
			}
			rows = append(rows, o)
		}
		if len(rows) < n {
			continue
		}
		parts := make([]Figure, n)
		for i, o := range rows {
			parts[i] = publishedFigure(o, Period{kind, first + int32(i), first + int32(i)})
		}
		return combine(k, p, SumOfPeriods, parts, nil)
	}
	return Figure{Key: k, Period: p}, nil
}

func publishedFigure(o *Observation, p Period) Figure {
	return Figure{Key: o.Key(), Period: p, Value: o.Value, Unit: o.Unit, Status: o.Status, Obs: o}
}

// combine forms Σ signᵢ × partᵢ in the unit of the largest scale among
// the parts of the first part's base (the first of equal scales); every
// sign is +1 when signs is nil. The sum is written with the fewest
// decimals of the parts in that unit (5000 USD thousand has three in USD
// million), and its value is exact, as a spreadsheet's formula computes
// it: to the most decimals the parts' values have (a derived part may have
// more than it is written with). In the largest scale no part's decimals
// fall below 0, where they could not be written: 41200 USD thousand + 15.1
// USD million is 56.3 USD million, known to a tenth of a million, not
// 56300 USD thousand, which would claim thousands.
func combine(k Key, p Period, how Derivation, parts []Figure, signs []float64) (Figure, error) {
	unit := parts[0].Unit
	base, scale := SplitUnit(unit)
	for _, t := range parts[1:] {
		if b, s := SplitUnit(t.Unit); b == base && s > scale {
			unit, scale = t.Unit, s
		}
	}
	sum := 0.0
	minDec, maxDec := math.MaxInt, 0
	status := Normal
	for i, t := range parts {
		factor, err := unitFactor(t.Unit, unit)
		if err != nil {
			return Figure{Key: k, Period: p}, fmt.Errorf("%s %s: %w", k, p, err)
		}
		sign := 1.0
		if signs != nil {
			sign = signs[i]
		}
		sum += sign * t.Value.Num * factor
		minDec = min(minDec, max(UnitDecimals(t.Value.Decimals, t.Unit, unit), 0))
		maxDec = max(maxDec, UnitDecimals(exactDecimals(t.Value.Num), t.Unit, unit))
		status = LessFinal(status, t.Status)
	}
	return Figure{Key: k, Period: p, Value: NewValue(roundTo(sum, maxDec), minDec), Unit: unit,
		Status: status, How: how, Parts: parts}, nil
}

// LessFinal returns the less final of two statuses, Normal < Provisional
// < Estimated: the status of a figure made of figures of both, such as a
// sum (Missing, which has no figure, counts as Normal).
func LessFinal(a, b Status) Status {
	rank := func(s Status) int {
		switch s {
		case Provisional:
			return 1
		case Estimated:
			return 2
		}
		return 0
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// unitFactor returns what a value in unit from is multiplied by to be in
// unit to, or an error wrapping ErrUnitMismatch when their bases differ.
func unitFactor(from, to string) (float64, error) {
	if from == to {
		return 1, nil
	}
	fb, fs := SplitUnit(from)
	tb, ts := SplitUnit(to)
	if fb != tb {
		return 0, fmt.Errorf("%w: %q and %q", ErrUnitMismatch, from, to)
	}
	return fs / ts, nil
}

// exactDecimals returns the decimals of the shortest decimal that reads as
// x: 1 for 53.1, 0 for 2e6.
func exactDecimals(x float64) int {
	var buf [32]byte
	b := strconv.AppendFloat(buf[:0], x, 'f', -1, 64)
	if i := bytes.IndexByte(b, '.'); i >= 0 {
		return len(b) - i - 1
	}
	return 0
}

// roundTo rounds x, a sum or difference of decimal figures of at most
// dec decimals, to dec decimals: binary arithmetic leaves noise in its
// last digits (33.3 + 19.8 is 53.099999999999994), which a formula in a
// spreadsheet would not show. Rounded to a number of significant digits
// instead, a large figure would lose digits it has (20674808.20044 at
// twelve is 20674808.2004).
func roundTo(x float64, dec int) float64 {
	y, err := strconv.ParseFloat(strconv.FormatFloat(x, 'f', max(dec, 0), 64), 64)
	if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
		return x
	}
	return y
}

// Change returns the absolute change from prev to cur, cur − prev, in the
// unit of cur, written with the fewer decimals of the two in that unit and
// exact to the more, like the derived figures of [Index.Figure]. It is
// missing when either is missing, and an error wrapping [ErrUnitMismatch]
// comes back when the units cannot be converted.
func Change(cur, prev Figure) (Value, error) {
	if !cur.Value.Valid || !prev.Value.Valid {
		return Value{}, nil
	}
	factor, err := unitFactor(prev.Unit, cur.Unit)
	if err != nil {
		return Value{}, err
	}
	d := cur.Value.Num - prev.Value.Num*factor
	exact := max(exactDecimals(cur.Value.Num), UnitDecimals(exactDecimals(prev.Value.Num), prev.Unit, cur.Unit))
	return NewValue(roundTo(d, exact), min(cur.Value.Decimals, max(UnitDecimals(prev.Value.Decimals, prev.Unit, cur.Unit), 0))), nil
}

// GrowthDecimals is the number of decimals [Growth] writes a percentage
// with.
const GrowthDecimals = 1

// Growth returns the percentage change from prev to cur,
//
//	g = (cur − prev) / prev × 100,
//
// written with [GrowthDecimals] decimals. It is missing when either figure
// is missing and when prev ≤ 0, where a growth rate means nothing (a
// balance turning from deficit to surplus). An error wrapping
// [ErrUnitMismatch] comes back when the units cannot be converted.
func Growth(cur, prev Figure) (Value, error) {
	if !cur.Value.Valid || !prev.Value.Valid {
		return Value{}, nil
	}
	factor, err := unitFactor(prev.Unit, cur.Unit)
	if err != nil {
		return Value{}, err
	}
	base := prev.Value.Num * factor
	if base <= 0 {
		return Value{}, nil
	}
	return NewValue((cur.Value.Num-base)/base*100, GrowthDecimals), nil
}

// YearToDate returns the months from January of the year in which p ends
// through the last month of p, as an interval of months (2024-Q3 gives
// 2024-01/2024-09, 2024-07 gives 2024-01/2024-07, 2023 gives
// 2023-01/2023-12), and true. It returns false for days and for periods
// that start in an earlier year than they end in and are longer than a
// year's months would allow (2005/2024), where a year to date means
// nothing.
func YearToDate(p Period) (Period, bool) {
	if p.IsZero() || p.Kind() == Day {
		return Period{}, false
	}
	months, ok := p.Cover(Month)
	if !ok {
		return Period{}, false
	}
	last := months[len(months)-1]
	y := last.Year()
	if months[0].Year() < y && p.Kind() == Year {
		return Period{}, false
	}
	ytd, err := Span(MonthOf(y, 1), last)
	if err != nil {
		return Period{}, false
	}
	return ytd, true
}
