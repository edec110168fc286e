package charts

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/tradedesk/report/stats"
)

// Outputs builds the declared charts from ds, each with the size and
// formats its spec asks for. The categories of a chart are the periods of
// its series in the order first given; each indicator of each series is
// one series of the chart, named in the chart's language (an indicator a
// rules file declares by its description; with the partner
// when the chart compares several pairs), and a value the data lack is
// drawn as missing. The subtitle defaults to the unit, after the series'
// name when there is one series, and the source line
// to the sources of the values drawn; notes naming the periods with
// provisional or estimated figures follow the declared notes. A series or
// total with no value at all, values in more than one unit, or a chart the
// kind cannot draw is reported as a *[SpecError] at the place in the spec;
// all problems are joined with errors.Join. Outputs indexes only the rows of the spec's pairs (see
// [Spec.Pairs]), so that ds may hold a whole file; it does not modify ds.
func (s *Spec) Outputs(ds *stats.Dataset) ([]Output, error) {
	var outs []Output
	var errs []error
	idx := stats.NewIndexOf(ds, s.vocab, s.drawn())
	for i := range s.Charts {
		c, err := s.build(&s.Charts[i], idx)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		outs = append(outs, Output{Chart: c, Size: s.Charts[i].Size, Formats: slices.Clone(s.Charts[i].Formats)})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return outs, nil
}

// Pairs returns the reporter–partner pairs whose figures the charts of s
// draw, sorted by reporter and partner, each once. A chart reads no
// figure of any other pair, so that the rows of these pairs alone draw
// the same charts as the whole data: a command can check a file of
// millions of rows a year at a time and keep only these rows.
func (s *Spec) Pairs() []stats.Pair {
	var out []stats.Pair
	for _, cs := range s.Charts {
		// The total is of the first series' pair, which is among them.
		for _, ss := range cs.Series {
			out = append(out, stats.Pair{Reporter: ss.Reporter, Partner: ss.Partner})
		}
	}
	slices.SortFunc(out, stats.ComparePairs)
	return slices.Compact(out)
}

// drawn returns whether a row is of one of the pairs of s (see Pairs):
// the charts are built from an index of those rows alone, and indexing a
// file of a million rows for the dozens a chart draws took 0.1 s and 80 MB
// (BenchmarkSpecChart/1M).
func (s *Spec) drawn() func(o *stats.Observation) bool {
	pairs := s.Pairs()
	if len(pairs) <= 4 {
		// A few pairs are compared one by one, faster than hashed: one
		// chart of one pair from 1M rows in 28–36 ms against 35–43 ms
		// (BenchmarkSpecChart/1M, -count 4 each).
		return func(o *stats.Observation) bool {
			for _, p := range pairs {
				if o.Reporter == p.Reporter && o.Partner == p.Partner {
					return true
				}
			}
			return false
		}
	}
	set := make(map[stats.Pair]bool, len(pairs))
	for _, p := range pairs {
		set[p] = true
	}
	return func(o *stats.Observation) bool { return set[stats.Pair{Reporter: o.Reporter, Partner: o.Partner}] }
}

// indicatorName names indicator ind in language l; an indicator that
// charts has no name for, such as one a rules file declares, is named by
// the description it was declared with, untranslated, or else by its id.
func (s *Spec) indicatorName(ind string, l Lang) string {
	if name := l.IndicatorName(ind); name != ind || s.vocab == nil {
		return name
	}
	if info, ok := s.vocab.Lookup(ind); ok && strings.TrimSpace(info.Description) != "" {
		return upperFirst(strings.TrimSpace(info.Description))
	}
	return ind
}

func (s *Spec) errAt(pos Pos, field string, err error) error {
	return &SpecError{File: s.File, Line: pos.Line, Column: pos.Column, Field: field, Err: err}
}

// fill stores in col the value of key in each of periods that asked
// keeps, and marks the others missing: the value published, else the one
// derived from published figures (a quarter from its months, a turnover
// from exports and imports; see [stats.Index.Figure]), marked in
// col.derived for a note to say how. The values must all be in *unit,
// which the first value sets when it is empty, or in a unit of its base,
// which they are converted from (see inUnit). A value in a unit of another
// base, or no value at all, is an error at pos under field; declared tells
// that *unit is the chart's unit as the spec gives it.
func (s *Spec) fill(col *column, idx *stats.Index, key stats.Key, periods []stats.Period, asked func(stats.Period) bool, unit *string, declared bool, pos Pos, field string) error {
	for i, p := range periods {
		col.s.Missing[i] = true
		if !asked(p) {
			continue
		}
		fg, ok := specFigure(idx, key, p)
		if !ok {
			continue
		}
		if *unit == "" {
			*unit = fg.Unit
		}
		if _, ok := inUnit(fg.Value, fg.Unit, *unit); !ok {
			if declared {
				return s.errAt(pos, field, fmt.Errorf("%w: %s for %s is in %s, which cannot be drawn in the chart's unit, %s", ErrInvalidChart, key, p, fg.Unit, *unit))
			}
			return s.errAt(pos, field, fmt.Errorf("%w: %s for %s is in %s, the chart's other values in %s", ErrInvalidChart, key, p, fg.Unit, *unit))
		}
		col.unit = *unit
		sources := figureSources(fg)
		col.set(i, fg.Value, fg.Unit, sources[0], fg.Status)
		for _, src := range sources[1:] {
			if !slices.Contains(col.sources, src) {
				col.sources = append(col.sources, src)
			}
		}
		if fg.Derived() {
			col.computed[i] = true
			if col.derived == nil {
				col.derived = make([]derivation, len(periods))
			}
			col.derived[i] = derivationOf(fg)
		}
	}
	if !col.any() {
		return s.errAt(pos, field, fmt.Errorf("%w for %s in the periods asked", ErrNoData, key))
	}
	return nil
}

// specFigure returns the figure of k for p a spec chart draws: the one
// published, else one derived from published figures (see
// [stats.Index.Figure], which tries them in that order), and whether
// there is either.
func specFigure(idx *stats.Index, k stats.Key, p stats.Period) (stats.Figure, bool) {
	fg, err := idx.Figure(k, p)
	return fg, err == nil && fg.Value.Valid
}

// figureSources returns the sources of fg's published rows, in the order
// of its parts, each once; at least one, "" when none is known.
func figureSources(fg stats.Figure) []string {
	var out []string
	var walk func(f stats.Figure)
	walk = func(f stats.Figure) {
		if f.Obs != nil && f.Obs.Source != "" && !slices.Contains(out, f.Obs.Source) {
			out = append(out, f.Obs.Source)
		}
		for _, p := range f.Parts {
			walk(p)
		}
	}
	walk(fg)
	if len(out) == 0 {
		return []string{""}
	}
	return out
}

// derivation is how a value drawn was derived, for its note: 0 for a
// value published.
type derivation uint8

const (
	notDerived derivation = iota
	derivedMonths
	derivedQuarters
	derivedParts
	derivedPlus
	derivedMinus
)

// derivedNotes say how the values of a chart were derived, by derivation
// and language, before the values they name.
var derivedNotes = map[derivation][3]string{
	derivedMonths:   {"Computed as the sum of months: %s.", "Рассчитано как сумма месяцев: %s.", "Айлардың қосындысы ретінде есептелген: %s."},
	derivedQuarters: {"Computed as the sum of quarters: %s.", "Рассчитано как сумма кварталов: %s.", "Тоқсандардың қосындысы ретінде есептелген: %s."},
	derivedParts:    {"Computed as the sum of its parts: %s.", "Рассчитано как сумма частей: %s.", "Бөліктерінің қосындысы ретінде есептелген: %s."},
	derivedPlus:     {"Computed as exports plus imports: %s.", "Рассчитано как сумма экспорта и импорта: %s.", "Экспорт пен импорттың қосындысы ретінде есептелген: %s."},
	derivedMinus:    {"Computed as exports minus imports: %s.", "Рассчитано как экспорт минус импорт: %s.", "Экспорттан импортты шегеру арқылы есептелген: %s."},
}

// derivationOf tells how fg, a derived figure, was derived.
func derivationOf(fg stats.Figure) derivation {
	switch fg.How {
	case stats.ExportsPlusImports:
		return derivedPlus
	case stats.ExportsMinusImports:
		return derivedMinus
	}
	kind := stats.PeriodKind(0)
	for i, p := range fg.Parts {
		if i > 0 && p.Period.Kind() != kind {
			return derivedParts
		}
		kind = p.Period.Kind()
	}
	switch kind {
	case stats.Month:
		return derivedMonths
	case stats.Quarter:
		return derivedQuarters
	}
	return derivedParts
}

// derivedNote returns a note for each way the values of cols at the
// categories cats were derived, naming them by series and category, in
// the order of derivedNotes' kinds, or naming none when every value drawn
// was derived that way; nothing when all were published.
func derivedNote(l Lang, cats []string, cols ...*column) []string {
	var notes []string
	present := 0
	for _, c := range cols {
		for i := range cats {
			if !c.s.Missing[i] {
				present++
			}
		}
	}
	for d := derivedMonths; d <= derivedMinus; d++ {
		var which []string
		for _, c := range cols {
			for i, cat := range cats {
				if i < len(c.derived) && c.derived[i] == d && !c.s.Missing[i] {
					which = append(which, c.s.Name+", "+lowerFirst(cat, l))
				}
			}
		}
		switch {
		case len(which) == 0:
		case len(which) == present:
			notes = append(notes, strings.Replace(derivedNotes[d][l.index()], ": %s.", ".", 1))
		default:
			notes = append(notes, fmt.Sprintf(derivedNotes[d][l.index()], strings.Join(which, "; ")))
		}
	}
	return notes
}

// specUnit returns the unit the chart cs draws its figures in when its
// spec names none: that of the latest figure asked of its first series'
// first indicator that has one, at the largest scale of its base among
// the figures asked, so that the figures in thousands and those in
// millions of one currency are drawn together, in millions (see inUnit),
// and at a larger one where they reach ten thousand of it, as the
// built-in charts' are (see readableUnit), which rescaled tells; "" when
// no figure is published.
func specUnit(cs *ChartSpec, idx *stats.Index) (unit string, rescaled bool) {
	var units []string
	var figs []stats.Figure
	base := ""
	look := func(r, p, ind string, periods []stats.Period) {
		for _, per := range periods {
			if fg, ok := specFigure(idx, stats.Key{Reporter: r, Partner: p, Indicator: ind}, per); ok {
				units = append(units, fg.Unit)
				figs = append(figs, fg)
			}
		}
		if base == "" && len(units) > 0 {
			base, _ = stats.SplitUnit(units[len(units)-1])
		}
	}
	for _, ss := range cs.Series {
		for _, ind := range ss.Indicators {
			look(ss.Reporter, ss.Partner, ind, ss.Periods)
		}
	}
	if cs.Total != "" && len(cs.Series) > 0 {
		var all []stats.Period
		for _, ss := range cs.Series {
			all = append(all, ss.Periods...)
		}
		look(cs.Series[0].Reporter, cs.Series[0].Partner, cs.Total, all)
	}
	unit = largestUnit(units, base)
	largest := 0.0
	for _, fg := range figs {
		if x, ok := stats.Rescale(fg.Value.Num, fg.Unit, unit); ok {
			largest = max(largest, math.Abs(x))
		}
	}
	shown := readableUnit(unit, largest)
	return shown, shown != unit
}

func (s *Spec) build(cs *ChartSpec, idx *stats.Index) (*Chart, error) {
	l := cs.Lang
	var periods []stats.Period
	pairs := map[stats.Pair]bool{}
	for _, ss := range cs.Series {
		pairs[stats.Pair{Reporter: ss.Reporter, Partner: ss.Partner}] = true
		for _, p := range ss.Periods {
			if !slices.Contains(periods, p) {
				periods = append(periods, p)
			}
		}
	}
	var series []Series
	var cols []*column
	unit, declared, rescaled := cs.Unit, cs.Unit != "", false
	if !declared {
		unit, rescaled = specUnit(cs, idx)
	}
	for _, ss := range cs.Series {
		for k, ind := range ss.Indicators {
			name := s.indicatorName(ind, l)
			if len(pairs) > 1 {
				name += ", " + CountryName(ss.Reporter, l) + " → " + CountryName(ss.Partner, l)
			}
			col := newColumn(name, ind, len(periods))
			key := stats.Key{Reporter: ss.Reporter, Partner: ss.Partner, Indicator: ind}
			asked := func(p stats.Period) bool { return slices.Contains(ss.Periods, p) }
			if err := s.fill(col, idx, key, periods, asked, &unit, declared, ss.IndicatorPos[k], "indicators"); err != nil {
				return nil, err
			}
			series = append(series, col.s)
			cols = append(cols, col)
		}
	}
	c := Chart{
		ID:         cs.ID,
		Kind:       cs.Kind,
		Lang:       l,
		Title:      cs.Title,
		Subtitle:   cs.Subtitle,
		Unit:       unit,
		Notes:      cs.Notes,
		Source:     cs.Source,
		Categories: PeriodLabels(periods, l),
		Series:     series,

		RoundLabels:   cs.RoundLabels,
		LabelDecimals: cs.LabelDecimals,
	}
	if c.Subtitle == "" {
		// A chart of one series has no legend: the subtitle names it.
		c.Subtitle = upperFirst(l.UnitName(unit))
		if len(series) == 1 {
			c.Subtitle = series[0].Name + ", " + l.UnitName(unit)
		}
	}
	if cs.Total != "" && len(cs.Series) > 0 {
		first := cs.Series[0]
		tc := newColumn(s.indicatorName(cs.Total, l), cs.Total, len(periods))
		key := stats.Key{Reporter: first.Reporter, Partner: first.Partner, Indicator: cs.Total}
		// A total asked for and not drawn would leave the reader to
		// think the data lack it: it is a problem as a series is.
		if err := s.fill(tc, idx, key, periods, func(stats.Period) bool { return true }, &unit, declared, cs.TotalPos, "total"); err != nil {
			return nil, err
		}
		c.Total = &tc.s
		// Said where the total's labels are drawn.
		c.TotalNotes = derivedNote(l, c.Categories, tc)
		cols = append(cols, tc)
	}
	if c.Source == "" {
		c.Source = sources(cols)
	}
	drawn := cols
	if c.Total != nil {
		drawn = cols[:len(cols)-1]
	}
	c.Notes = slices.Concat(c.Notes, statusNotes(l, c.Categories, cols...), derivedNote(l, c.Categories, drawn...))
	if !cs.RoundLabels {
		// Rounded as the built-in charts' are, unless the spec says how.
		readableLabels(&c, rescaled)
	}
	out, err := New(c)
	if err != nil {
		return nil, s.errAt(cs.Pos, "", err)
	}
	return out, nil
}
