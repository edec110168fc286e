package charts

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/tradedesk/report/stats"
)

// Kind is the kind of drawing of a chart.
type Kind string

// The chart kinds.
const (
	// Bars draws vertical bars, one per category and series, with the
	// series of a category side by side (grouped) when there are several.
	Bars Kind = "bar"
	// HorizontalBars draws horizontal bars, categories from top to bottom,
	// and the series of a category from top to bottom in their order.
	HorizontalBars Kind = "hbar"
	// Grouped is Bars for several series, such as exports beside imports;
	// it is a separate kind so that a spec can say what it means.
	Grouped Kind = "grouped"
	// Stacked draws the series of a category on top of each other;
	// positive values stack upwards and negative values downwards. A
	// stack with a missing part is marked – above it, and a note after
	// the chart's Notes names the parts missing, as it does the missing
	// bars of the other kinds of bars.
	Stacked Kind = "stacked"
	// Lines draws one line per series across the categories.
	Lines Kind = "line"
	// BarLine draws the last series as a line over bars of the others.
	BarLine Kind = "barline"
)

// Kinds returns every chart kind in a fixed order.
func Kinds() []Kind { return []Kind{Bars, HorizontalBars, Grouped, Stacked, Lines, BarLine} }

// ParseKind returns the kind named s. It returns an error wrapping
// [ErrUnknownKind] for names other than those of [Kinds].
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Kinds(), k) {
		return k, nil
	}
	names := make([]string, 0, len(Kinds()))
	for _, k := range Kinds() {
		names = append(names, string(k))
	}
	return "", fmt.Errorf("%w %q (want one of %s)", ErrUnknownKind, s, strings.Join(names, ", "))
}

// String returns the name of the kind.
func (k Kind) String() string { return string(k) }

// Series is one named sequence of values, one per category of its chart.
type Series struct {
	// Name is shown in the legend; usually a translated indicator name.
	Name string
	// Indicator is the stats indicator the values are of, if any (exports,
	// imports, …); it picks the series' colour, so that exports have the
	// same colour in every chart.
	Indicator string
	// Values holds one value per category. A missing value is marked in
	// Missing; its entry in Values is ignored.
	Values []float64
	// Decimals holds the number of decimals each value was published
	// with; labels show exactly that many, at most MaxDecimals (and at
	// most the chart's LabelDecimals when it rounds its labels). Nil means
	// zero for all.
	Decimals []int
	// Missing marks the values that are missing; missing is never zero.
	// Nil means that no value is missing.
	Missing []bool
	// Unconverted holds, for each category, the unit of the figure
	// published for it that is not drawn because it cannot be converted
	// into the chart's unit (it is in another currency), and "" for the
	// others; nil means none. A value drawn there was computed from other
	// figures. The chart's notes name those figures (see [BuiltIn]): the
	// note on the missing values of a chart of bars leaves them out, where
	// it would say that there is no figure.
	Unconverted []string
}

// Chart describes one chart: what it shows and the words around it. Build
// one with [New], which validates it and copies the caller's slices.
type Chart struct {
	// ID names the chart and its files (see [FileName]).
	ID string
	// Kind is the kind of drawing.
	Kind Kind
	// Lang is the language of the labels and the number format; empty
	// means English.
	Lang Lang
	// Title is the headline, shown bold and left-aligned at the top.
	Title string
	// Subtitle is shown under the title; it carries the unit.
	Subtitle string
	// Unit is the unit of every value (USD million, count). Values are
	// only drawn on one axis when they share a unit.
	Unit string
	// Notes are printed above the source line at the bottom.
	Notes []string
	// Source names who published the figures; the layout prefixes it with
	// "Source: " in the chart's language.
	Source string
	// Categories label the positions along the category axis, in order.
	// Where the labels are wider than their categories, every k-th is
	// shown, from the first, for the least k that keeps them apart.
	Categories []string
	// Series holds at least one series, each with one value per category.
	Series []Series
	// Total, if set, is labelled above each category of a chart of bars
	// (beyond each bar's end when they are horizontal) without being drawn
	// as a bar, such as the turnover above exports and imports; a line
	// chart has none. Its Name prefixes each label. A chart of
	// vertical bars whose categories are too narrow for a label of it
	// leaves them all out.
	Total *Series
	// TotalSubtitle, if set, is shown instead of Subtitle when the labels
	// of Total are drawn: a subtitle that names the total must not stand
	// over a chart that leaves it out.
	TotalSubtitle string
	// TotalNotes are printed after Notes when the labels of Total are
	// drawn, such as how the total was computed.
	TotalNotes []string
	// RoundLabels rounds the labels of values published with more than
	// LabelDecimals decimals to that many, and so the numbers of the alt
	// text: Armstat's 94366.77489 USD thousand, drawn in USD million with
	// LabelDecimals 1, is labelled 94.4. A value published with fewer
	// keeps them (6 is not labelled 6.0), one that rounds to zero is
	// labelled <0.1 (>−0.1 when negative), and the values drawn and those
	// of the chart's CSV keep their published precision.
	RoundLabels bool
	// LabelDecimals is the most decimals a label shows when RoundLabels
	// is set, from 0 to MaxDecimals.
	LabelDecimals int
}

// New validates c and returns a copy of it that shares no slices with c;
// the caller may change c afterwards. It returns an error wrapping
// [ErrInvalidChart], [ErrUnknownKind] or [ErrUnknownLang] when the chart
// is inconsistent: an empty ID or title, no categories, no series, a series
// whose values, decimals, missing flags or units not converted do not
// match the categories in number, a value that is NaN or infinite without
// being marked missing, a number of decimals below zero or above
// [MaxDecimals] (for LabelDecimals too, when RoundLabels is set), a
// bar-and-line chart with fewer than two series, or a line chart with a
// Total. An empty Lang becomes [English].
func New(c Chart) (*Chart, error) {
	if c.ID == "" {
		return nil, fmt.Errorf("%w: empty id", ErrInvalidChart)
	}
	if _, err := ParseKind(string(c.Kind)); err != nil {
		return nil, fmt.Errorf("chart %s: %w", c.ID, err)
	}
	if c.Lang == "" {
		c.Lang = English
	}
	if _, err := ParseLang(string(c.Lang)); err != nil {
		return nil, fmt.Errorf("chart %s: %w", c.ID, err)
	}
	if strings.TrimSpace(c.Title) == "" {
		return nil, fmt.Errorf("%w: chart %s: empty title", ErrInvalidChart, c.ID)
	}
	if len(c.Categories) == 0 {
		return nil, fmt.Errorf("%w: chart %s: no categories", ErrInvalidChart, c.ID)
	}
	if len(c.Series) == 0 {
		return nil, fmt.Errorf("%w: chart %s: no series", ErrInvalidChart, c.ID)
	}
	if c.Kind == BarLine && len(c.Series) < 2 {
		return nil, fmt.Errorf("%w: chart %s: a bar-and-line chart needs at least two series", ErrInvalidChart, c.ID)
	}
	if c.Kind == Lines && c.Total != nil {
		return nil, fmt.Errorf("%w: chart %s: a line chart labels no total; draw it as a series", ErrInvalidChart, c.ID)
	}
	if c.RoundLabels && (c.LabelDecimals < 0 || c.LabelDecimals > MaxDecimals) {
		return nil, fmt.Errorf("%w: chart %s: labels rounded to %d decimals, want 0 to %d", ErrInvalidChart, c.ID, c.LabelDecimals, MaxDecimals)
	}
	out := c
	out.Notes = slices.Clone(c.Notes)
	out.TotalNotes = slices.Clone(c.TotalNotes)
	out.Categories = slices.Clone(c.Categories)
	out.Series = make([]Series, len(c.Series))
	for i, s := range c.Series {
		cs, err := copySeries(s, len(c.Categories))
		if err != nil {
			return nil, fmt.Errorf("%w: chart %s: series %d (%s): %v", ErrInvalidChart, c.ID, i+1, s.Name, err)
		}
		out.Series[i] = cs
	}
	if c.Total != nil {
		ts, err := copySeries(*c.Total, len(c.Categories))
		if err != nil {
			return nil, fmt.Errorf("%w: chart %s: total: %v", ErrInvalidChart, c.ID, err)
		}
		out.Total = &ts
	}
	return &out, nil
}

// MaxDecimals is the most decimals a value of a chart is labelled with
// (see Series.Decimals). The charts drawn from data (BuiltIn, Spec) label
// a value published with more at this many: a figure written to 45
// decimals is still a figure, and its label would not fit.
const MaxDecimals = 12

func copySeries(s Series, n int) (Series, error) {
	if len(s.Values) != n {
		return s, fmt.Errorf("%d values for %d categories", len(s.Values), n)
	}
	if s.Decimals != nil && len(s.Decimals) != n {
		return s, fmt.Errorf("%d decimals for %d categories", len(s.Decimals), n)
	}
	if s.Missing != nil && len(s.Missing) != n {
		return s, fmt.Errorf("%d missing flags for %d categories", len(s.Missing), n)
	}
	if s.Unconverted != nil && len(s.Unconverted) != n {
		return s, fmt.Errorf("%d units not converted for %d categories", len(s.Unconverted), n)
	}
	out := Series{
		Name:        s.Name,
		Indicator:   s.Indicator,
		Values:      slices.Clone(s.Values),
		Decimals:    make([]int, n),
		Missing:     make([]bool, n),
		Unconverted: slices.Clone(s.Unconverted),
	}
	copy(out.Decimals, s.Decimals)
	copy(out.Missing, s.Missing)
	for i, v := range out.Values {
		if out.Decimals[i] < 0 || out.Decimals[i] > MaxDecimals {
			return s, fmt.Errorf("value %d: %d decimals", i+1, out.Decimals[i])
		}
		if out.Missing[i] {
			out.Values[i] = 0
			continue
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return s, fmt.Errorf("value %d is %v and not marked missing", i+1, v)
		}
	}
	return out, nil
}

// ok reports whether value i of s is present.
func (s *Series) ok(i int) bool { return !s.Missing[i] }

// unconverted reports whether value i of s is missing because its figure
// is in a unit that cannot be converted into the chart's (see
// Series.Unconverted).
func (s *Series) unconverted(i int) bool {
	return s.Missing[i] && i < len(s.Unconverted) && s.Unconverted[i] != ""
}

// label formats value i of s, a series of c, at its published precision
// in c's language, or rounded to fewer decimals when c rounds its labels
// (see Chart.RoundLabels). A figure that the rounding leaves at zero is
// not labelled as none: it reads as less than the last digit kept, <0.1,
// or a negative one as more than its negative, >−0.1.
func (c *Chart) label(s *Series, i int) string {
	if s.Missing[i] {
		return "–"
	}
	v, d := s.Values[i], s.Decimals[i]
	if !c.RoundLabels || d <= c.LabelDecimals {
		return FormatNumber(v, d, c.Lang)
	}
	d = c.LabelDecimals
	if v == 0 || strings.Trim(stats.FormatFixed(math.Abs(v), d), "0.") != "" {
		return FormatNumber(v, d, c.Lang)
	}
	least := FormatNumber(math.Pow10(-d), d, c.Lang)
	if v < 0 {
		return ">" + minus + least
	}
	return "<" + least
}

// bars returns the series drawn as bars, and the line series (nil unless
// the kind is [BarLine]).
func (c *Chart) bars() (bars []Series, line *Series) {
	switch c.Kind {
	case Lines:
		return nil, nil
	case BarLine:
		return c.Series[:len(c.Series)-1], &c.Series[len(c.Series)-1]
	}
	return c.Series, nil
}

// legendShown reports whether the chart needs a legend: only when it draws
// more than one series.
func (c *Chart) legendShown() bool { return len(c.Series) > 1 }
