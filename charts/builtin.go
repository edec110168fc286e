package charts

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/tradedesk/report/internal/regions"
	"github.com/tradedesk/report/stats"
)

// maxBuiltInPeriods is the most periods a built-in chart of trade by period
// shows; older periods are left out.
const maxBuiltInPeriods = 8

// BuiltIn returns the built-in chart set for every reporter–partner pair
// of ds, labelled in language l, where the data allow each chart:
//
//   - REPORTER-PARTNER-trade: exports and imports side by side for each
//     year and, for a year without a whole-year figure, its year-to-date
//     interval (January to some month) that ends last, in the order of
//     time, with the turnover labelled above them (reported, or else
//     exports plus imports) where the labels fit (see [Chart.Total]);
//   - REPORTER-PARTNER-balance: the trade balance for the same periods
//     (reported, or else exports minus imports);
//   - REPORTER-PARTNER-ytd: the year-to-date interval that ends last
//     against the same months a year before, for exports, imports and turnover;
//   - REPORTER-PARTNER-fdi: gross FDI inflows by year, one series per
//     direction reported by year, each named in words ("from Armenia into
//     Kazakhstan"; in the subtitle when there is one, in the legend when
//     there are two), with the multi-year totals in the notes;
//   - REPORTER-PARTNER-fdi-total: the multi-year totals of both directions
//     side by side, when both are reported for the same years.
//
// Values keep the decimals they were published with; derived ones (a
// turnover or balance computed from exports and imports) get the fewest
// decimals of their terms, and the worse status of their terms, and a note
// says that they were computed (for which periods, when only some were).
// Notes name the periods whose figures are provisional or estimated. A
// chart draws its figures in one unit (see unitOf): those in another scale
// of its currency converted into it (41200 USD thousand is 41.200 USD
// million), those in another currency left out, with a note that names
// them. The source line names every source of the
// values drawn. Charts come in pair
// order, then in the order above. BuiltIn does not modify ds.
func BuiltIn(ds *stats.Dataset, l Lang) []*Chart {
	if l == "" {
		l = English
	}
	var out []*Chart
	// One index for every pair: looking each figure up in the rows would
	// make the set quadratic in the size of the data.
	idx := stats.NewIndex(ds, nil)
	for _, pair := range ds.Pairs() {
		b := &builder{idx: idx, l: l, pair: pair}
		for _, mk := range []func() *Chart{b.trade, b.balance, b.ytd, b.fdi, b.fdiTotal} {
			if c := mk(); c != nil {
				out = append(out, c)
			}
		}
	}
	return out
}

// BuiltInReads reports whether [BuiltIn] can read o. The built-in charts
// draw the figures of single years, spans of years and year-to-date
// intervals, each published for exactly the days of its period, and every
// one of those periods begins on the first of January: so does o's. The
// built-in charts of the rows it keeps are those of every row, and a file
// of monthly figures need not be held whole to draw them: a twelfth of its
// rows is.
func BuiltInReads(o *stats.Observation) bool {
	first := o.Period.First()
	return first.Contains(stats.DayOf(first.Year(), 1, 1))
}

// builder builds the built-in charts of one reporter–partner pair.
type builder struct {
	idx  *stats.Index
	l    Lang
	pair stats.Pair
	// rescaled tells that the unit unitOf returned last, that of the
	// chart being built, is larger than the one published (see
	// readableUnit), and so its labels are rounded (see readableLabels).
	// Another chart of the pair in that unit, its figures published in
	// it, keeps its labels as published.
	rescaled bool
}

func (b *builder) key(ind string) stats.Key {
	return stats.Key{Reporter: b.pair.Reporter, Partner: b.pair.Partner, Indicator: ind}
}

func (b *builder) id(suffix string) string {
	return strings.ToLower(b.pair.Reporter + "-" + b.pair.Partner + "-" + suffix)
}

func (b *builder) lookup(ind string, p stats.Period) (*stats.Observation, bool) {
	return b.idx.Published(b.key(ind), p)
}

// periods returns the periods with a valid value of any of inds, sorted
// and without duplicates, that keep wants.
func (b *builder) periods(keep func(stats.Period) bool, inds ...string) []stats.Period {
	var ps []stats.Period
	seen := map[stats.Period]bool{}
	for _, ind := range inds {
		for _, o := range b.idx.Observations(b.key(ind)) {
			if keep(o.Period) && !seen[o.Period] {
				seen[o.Period] = true
				ps = append(ps, o.Period)
			}
		}
	}
	slices.SortStableFunc(ps, stats.Compare)
	return ps
}

// isYTD reports whether p is an interval of months or quarters from the
// start of a year to a later point in the same year.
func isYTD(p stats.Period) bool {
	if !p.IsInterval() || (p.Kind() != stats.Month && p.Kind() != stats.Quarter) {
		return false
	}
	first, last := p.First(), p.Last()
	if first.Year() != last.Year() {
		return false
	}
	s := first.String()
	return strings.HasSuffix(s, "-01") || strings.HasSuffix(s, "-Q1")
}

func isSingleYear(p stats.Period) bool { return p.Kind() == stats.Year && !p.IsInterval() }

// latestOfYear returns, of ps, single years and year-to-date intervals
// sorted by [stats.Compare], one period a year: the year itself where it
// is there, else the year-to-date interval that ends last. The intervals
// of a year that has more are redundant: January–June beside
// January–September reads as a fall. It does not modify ps.
func latestOfYear(ps []stats.Period) []stats.Period {
	var out []stats.Period
	for _, p := range ps {
		// The periods of a year all begin on its first of January, and
		// stats.Compare puts the longest of them first: the year, or the
		// interval that ends last.
		if len(out) > 0 && out[len(out)-1].Year() == p.Year() {
			continue
		}
		out = append(out, p)
	}
	return out
}

// column collects the values of one series and the sources and unit
// behind them.
type column struct {
	s       Series
	unit    string
	sources []string
	// status holds the SDMX status of each value, so that provisional and
	// estimated figures can be noted.
	status []stats.Status
	// computed marks the values derived from others rather than
	// reported, so that a note can say so; derived, when not nil, says
	// how each was (see Spec.fill).
	computed []bool
	derived  []derivation
	// uncomputed holds, for each category, the term whose unit kept the
	// value from being derived (see builder.derived); zero for the others.
	uncomputed []uncomputed
}

// uncomputed is a term that kept a value from being derived: its
// indicator and its unit, which does not convert into the other term's.
type uncomputed struct{ ind, unit string }

func newColumn(name, ind string, n int) *column {
	return &column{
		s: Series{Name: name, Indicator: ind, Values: make([]float64, n), Decimals: make([]int, n), Missing: make([]bool, n),
			Unconverted: make([]string, n)},
		status:   make([]stats.Status, n),
		computed: make([]bool, n),
	}
}

// inUnit returns v, a figure in unit from, in unit to (see
// [stats.Rescale]) with the decimals it has there, at least 0: 41200 USD
// thousand is 41.200 USD million. It reports false when the two units
// have different bases (currencies), or a scale is unknown.
func inUnit(v stats.Value, from, to string) (stats.Value, bool) {
	if from == to {
		return v, true
	}
	x, ok := stats.Rescale(v.Num, from, to)
	if !ok {
		return v, false
	}
	return stats.NewValue(x, max(stats.UnitDecimals(v.Decimals, from, to), 0)), true
}

// unitOf returns the unit a chart of the indicators inds over the periods
// ps (in the order of time) draws its figures in: the base (the currency,
// see [stats.SplitUnit]) of the latest figure of the first of inds that
// has one, at the largest scale among the figures of that base, into which
// the others of that base are converted (see inUnit) and gain decimals
// rather than lose one, as the workbook's rows are. A pair whose figures
// came in USD thousand for one year and USD million for the next is drawn
// whole, in USD million; one whose figures reach ten thousand of the
// unit, in a larger one (see readableUnit), which b.rescaled then tells
// the chart's mustNew. It returns "" when there is no figure.
func (b *builder) unitOf(ps []stats.Period, inds ...string) string {
	var figs []*stats.Observation
	var units []string
	base := ""
	for _, ind := range inds {
		for _, p := range ps {
			if o, ok := b.lookup(ind, p); ok {
				figs = append(figs, o)
				units = append(units, o.Unit)
			}
		}
		if base == "" && len(units) > 0 {
			base, _ = stats.SplitUnit(units[len(units)-1])
		}
	}
	unit := largestUnit(units, base)
	largest := 0.0
	for _, o := range figs {
		if !o.Value.Valid {
			continue
		}
		// Most figures are in the unit already, and need no rounding
		// of a conversion.
		x, ok := o.Value.Num, true
		if o.Unit != unit {
			x, ok = stats.Rescale(x, o.Unit, unit)
		}
		if ok {
			largest = max(largest, math.Abs(x))
		}
	}
	shown := readableUnit(unit, largest)
	b.rescaled = shown != unit
	return shown
}

// readableUnit returns unit, a currency at a scale, at the scale that
// takes largest, the largest figure in unit, below ten thousand of it (at
// most billions), as a newspaper writes money: Armstat's 5254941.5161 USD
// thousand is drawn as 5254.9415161 USD million, on an axis of 6,000
// where it read 6,000,000, and 12105183547 EUR as 12.105183547 EUR
// billion. A unit that is not of a currency (a count) or of an unknown
// scale is returned as it is.
func readableUnit(unit string, largest float64) string {
	base, scale := stats.SplitUnit(unit)
	if !isCurrency(base) {
		return unit
	}
	to := scale
	for largest >= 1e4 && to < 1e9 {
		to *= 1e3
		largest /= 1e3
	}
	if to == scale {
		return unit
	}
	if shown, ok := stats.ScaledUnit(base, to); ok {
		return shown
	}
	return unit
}

// isCurrency reports whether base is a currency code: three capital
// letters (USD, KZT), as ISO 4217 has them.
func isCurrency(base string) bool {
	if len(base) != 3 {
		return false
	}
	for _, r := range base {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// largestUnit returns the unit of the largest scale among the units of
// base; the first of equal scales, and "" when none is of base.
func largestUnit(units []string, base string) string {
	unit, scale := "", 0.0
	for _, u := range units {
		if ub, s := stats.SplitUnit(u); ub == base && (unit == "" || s > scale) {
			unit, scale = u, s
		}
	}
	return unit
}

// inUnitColumn returns a column of ind for n categories whose figures are drawn
// in unit (see set); any unit, the first figure's, when unit is "".
func inUnitColumn(name, ind string, n int, unit string) *column {
	c := newColumn(name, ind, n)
	c.unit = unit
	return c
}

// set stores v, a figure in unit, at i in the column's unit (the first
// figure's when the column has none), converted into it when its scale
// differs (see inUnit), and reports whether it did: not when v is not
// valid, or its unit has another base.
func (c *column) set(i int, v stats.Value, unit, source string, st stats.Status) bool {
	if c.unit == "" {
		c.unit = unit
	}
	if !v.Valid {
		c.s.Missing[i] = true
		return false
	}
	v, ok := inUnit(v, unit, c.unit)
	if !ok {
		c.s.Missing[i], c.s.Unconverted[i] = true, unit
		return false
	}
	c.s.Values[i], c.s.Decimals[i], c.s.Missing[i], c.status[i] = v.Num, min(v.Decimals, MaxDecimals), false, st
	if source != "" && !slices.Contains(c.sources, source) {
		c.sources = append(c.sources, source)
	}
	return true
}

func (c *column) any() bool { return slices.Contains(c.s.Missing, false) }

// anyUnconverted reports whether a figure of c is left out for its unit
// (see set).
func (c *column) anyUnconverted() bool {
	return slices.ContainsFunc(c.s.Unconverted, func(u string) bool { return u != "" })
}

// obs stores the observation of ind for p at i, or marks it missing.
func (b *builder) obs(c *column, i int, ind string, p stats.Period) bool {
	o, ok := b.lookup(ind, p)
	if !ok {
		c.s.Missing[i] = true
		return false
	}
	return c.set(i, o.Value, o.Unit, o.Source, o.Status)
}

// derived stores x op y for p at i when both observations exist and can
// be written in the column's unit (x's when it has none), with the fewest
// decimals of the two there.
func (b *builder) derived(c *column, i int, x, y string, sign float64, p stats.Period) {
	ox, ok1 := b.lookup(x, p)
	oy, ok2 := b.lookup(y, p)
	if !ok1 || !ok2 {
		c.s.Missing[i] = true
		return
	}
	unit := cmp.Or(c.unit, ox.Unit)
	vx, okx := inUnit(ox.Value, ox.Unit, unit)
	vy, oky := inUnit(oy.Value, oy.Unit, unit)
	if !okx || !oky {
		// Missing, with a note on why (see unlikeNote): there are
		// figures, in units that do not add.
		term := uncomputed{x, ox.Unit}
		if okx {
			term = uncomputed{y, oy.Unit}
		}
		c.s.Missing[i] = true
		if c.uncomputed == nil {
			c.uncomputed = make([]uncomputed, len(c.s.Missing))
		}
		c.uncomputed[i] = term
		return
	}
	d := min(vx.Decimals, vy.Decimals)
	v := roundTo(vx.Num+sign*vy.Num, d)
	c.computed[i] = c.set(i, stats.NewValue(v, d), unit, ox.Source, worse(ox.Status, oy.Status))
	if oy.Source != "" && !slices.Contains(c.sources, oy.Source) {
		c.sources = append(c.sources, oy.Source)
	}
}

// worse returns the status a figure derived from two others has: estimated
// if either is, else provisional if either is.
func worse(a, b stats.Status) stats.Status {
	for _, st := range []stats.Status{stats.Estimated, stats.Provisional} {
		if a == st || b == st {
			return st
		}
	}
	return stats.Normal
}

// statusNames introduces the notes on provisional and estimated figures.
var statusNames = map[stats.Status][3]string{
	stats.Provisional: {"Provisional figures: %s.", "Предварительные данные: %s.", "Алдын ала деректер: %s."},
	stats.Estimated:   {"Estimated figures: %s.", "Оценочные данные: %s.", "Бағаланған деректер: %s."},
}

// statusNotes returns a note naming the categories with a provisional
// value, and one naming those with an estimated value, in that order.
func statusNotes(l Lang, cats []string, cols ...*column) []string {
	var notes []string
	for _, st := range []stats.Status{stats.Provisional, stats.Estimated} {
		var which []string
		for i, cat := range cats {
			for _, c := range cols {
				if i < len(c.status) && !c.s.Missing[i] && c.status[i] == st {
					which = append(which, cat)
					break
				}
			}
		}
		if len(which) > 0 {
			notes = append(notes, fmt.Sprintf(statusNames[st][l.index()], strings.Join(which, ", ")))
		}
	}
	return notes
}

// unlikeNotes name the figures a chart leaves out because they are in a
// unit that cannot be converted into its own, by language. Each says
// that the published figure is what is not drawn: a turnover computed
// from exports and imports may be drawn in its place.
var unlikeNotes = [3]string{
	"Figures published in another unit, not drawn: %s.",
	"Опубликованные в другой единице данные не показаны: %s.",
	"Басқа бірлікте жарияланған деректер көрсетілмеген: %s.",
}

// unlikeNote returns the note naming the figures of cols at the categories
// cats left out because their unit has another base than the chart's (see
// column.set), each as its series, category and unit; nothing when none
// is. The mark of a missing value alone would say that there is no
// figure, where there is one in another currency.
func unlikeNote(l Lang, cats []string, cols ...*column) []string {
	var parts, terms []string
	for i, cat := range cats {
		for _, c := range cols {
			if u := c.s.Unconverted; i < len(u) && u[i] != "" {
				parts = append(parts, c.s.Name+", "+cat+" ("+l.UnitName(u[i])+")")
			}
			if i < len(c.uncomputed) && c.uncomputed[i].ind != "" {
				t := c.uncomputed[i]
				terms = append(terms, c.s.Name+", "+cat+" ("+wordInSentence(l.IndicatorName(t.ind))+", "+l.UnitName(t.unit)+")")
			}
		}
	}
	var notes []string
	if len(parts) > 0 {
		notes = append(notes, fmt.Sprintf(unlikeNotes[l.index()], strings.Join(parts, "; ")))
	}
	if len(terms) > 0 {
		notes = append(notes, fmt.Sprintf(uncomputedNotes[l.index()], strings.Join(terms, "; ")))
	}
	return notes
}

// uncomputedNotes name the values a chart could not derive because a
// term of theirs is in a unit that cannot be converted into the chart's,
// by language.
var uncomputedNotes = [3]string{
	"Not computed, a term published in another unit: %s.",
	"Не рассчитано, составляющая опубликована в другой единице: %s.",
	"Есептелмеген, құрамдас бөлігі басқа бірлікте жарияланған: %s.",
}

// Notes on figures computed from others, by language: the whole note when
// every value drawn is computed, and the note naming the categories when
// only some are.
var (
	balanceComputed  = [3]string{"Computed as exports minus imports.", "Рассчитано как экспорт минус импорт.", "Экспорттан импортты шегеру арқылы есептелген."}
	balanceComputedN = [3]string{"Computed as exports minus imports for %s.", "За %s рассчитано как экспорт минус импорт.", "%s үшін экспорттан импортты шегеру арқылы есептелген."}
	turnoverComputed = [3]string{
		"Turnover computed as exports plus imports.",
		"Товарооборот рассчитан как сумма экспорта и импорта.",
		"Тауар айналымы экспорт пен импорттың қосындысы ретінде есептелген.",
	}
	turnoverComputedN = [3]string{
		"Turnover for %s computed as exports plus imports.",
		"Товарооборот за %s рассчитан как сумма экспорта и импорта.",
		"%s тауар айналымы экспорт пен импорттың қосындысы ретінде есептелген.",
	}
)

// computedNote returns the note saying that the present values of c at
// the categories cats were computed (all, or the ones named, in the
// language l), or nothing when none was.
func computedNote(l Lang, all, some [3]string, cats []string, c *column) []string {
	var which []string
	present := 0
	for i, cat := range cats {
		if c.s.Missing[i] {
			continue
		}
		present++
		if c.computed[i] {
			which = append(which, lowerFirst(cat, l))
		}
	}
	switch {
	case len(which) == 0:
		return nil
	case len(which) == present:
		return []string{all[l.index()]}
	}
	// A sentence may begin with the categories (in Kazakh).
	return []string{upperFirst(fmt.Sprintf(some[l.index()], strings.Join(which, ", ")))}
}

func roundTo(x float64, d int) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', d, 64), 64)
	return v
}

// tradePeriods are the years and year-to-date intervals with exports or
// imports, one a year (see latestOfYear), the latest maxBuiltInPeriods of
// them.
func (b *builder) tradePeriods() []stats.Period {
	ps := latestOfYear(b.periods(func(p stats.Period) bool { return isSingleYear(p) || isYTD(p) }, "exports", "imports"))
	if len(ps) > maxBuiltInPeriods {
		ps = ps[len(ps)-maxBuiltInPeriods:]
	}
	return ps
}

func (b *builder) trade() *Chart {
	ps := b.tradePeriods()
	if len(ps) == 0 {
		return nil
	}
	l := b.l
	unit := b.unitOf(ps, "exports", "imports", "turnover")
	ex := inUnitColumn(l.IndicatorName("exports"), "exports", len(ps), unit)
	im := inUnitColumn(l.IndicatorName("imports"), "imports", len(ps), unit)
	to := inUnitColumn(l.IndicatorName("turnover"), "turnover", len(ps), unit)
	for i, p := range ps {
		b.obs(ex, i, "exports", p)
		b.obs(im, i, "imports", p)
		if !b.obs(to, i, "turnover", p) {
			b.derived(to, i, "exports", "imports", +1, p)
		}
	}
	// A flow of which the pair has no figure at all (a table of exports
	// alone) is left out, where the chart named it, marked every period
	// "–" and noted each as having no data.
	cols := slices.DeleteFunc([]*column{ex, im}, func(c *column) bool {
		return !c.any() && !c.anyUnconverted()
	})
	c := Chart{
		ID:         b.id("trade"),
		Kind:       Grouped,
		Lang:       l,
		Title:      b.pairTitle(tradeWord),
		Subtitle:   subtitle(l, exportsImports, firstUnit(cols...)),
		Unit:       firstUnit(cols...),
		Source:     sources(cols, to),
		Categories: PeriodLabels(ps, l),
	}
	for _, col := range cols {
		c.Series = append(c.Series, col.s)
	}
	if len(cols) == 1 {
		// A chart of one series has no legend: the subtitle names it.
		c.Kind = Bars
		c.Subtitle = cols[0].s.Name
		if c.Unit != "" {
			c.Subtitle += ", " + l.UnitName(c.Unit)
		}
	}
	c.Notes = append(statusNotes(l, c.Categories, ex, im, to), unlikeNote(l, c.Categories, cols...)...)
	if to.any() && to.unit == c.Unit {
		// A chart too crowded for the turnover's labels leaves them out,
		// and with them the words about the turnover.
		c.Total = &to.s
		c.TotalSubtitle = subtitle(l, exportsImportsTurnover, c.Unit)
		if len(cols) == 1 {
			// The labels name the turnover; the subtitle, the one flow.
			c.TotalSubtitle = c.Subtitle
		}
		c.TotalNotes = append(computedNote(l, turnoverComputed, turnoverComputedN, c.Categories, to), unlikeNote(l, c.Categories, to)...)
	} else if to.anyUnconverted() {
		// No turnover is drawn, and one is published, in another
		// currency: said, as a figure left out is. Why none could be
		// computed is the flows' to say.
		published := *to
		published.uncomputed = nil
		c.Notes = append(c.Notes, unlikeNote(l, c.Categories, &published)...)
	}
	return b.mustNew(c)
}

func (b *builder) balance() *Chart {
	ps := b.tradePeriods()
	if len(ps) == 0 {
		return nil
	}
	l := b.l
	// The chart's currency is that of the exports and imports, as on the
	// trade chart: a balance published in another currency is replaced
	// by exports minus imports, and named in a note, where the currency of
	// a published balance left out every balance computed in theirs.
	bal := inUnitColumn(l.IndicatorName("balance"), "balance", len(ps), b.unitOf(ps, "exports", "imports", "balance"))
	for i, p := range ps {
		if !b.obs(bal, i, "balance", p) {
			b.derived(bal, i, "exports", "imports", -1, p)
		}
	}
	if !bal.any() {
		return nil
	}
	return b.mustNew(Chart{
		ID:         b.id("balance"),
		Kind:       Bars,
		Lang:       l,
		Title:      b.pairTitle(balanceWord),
		Subtitle:   subtitle(l, exportsMinusImports, bal.unit),
		Unit:       bal.unit,
		Source:     sources([]*column{bal}),
		Notes:      slices.Concat(statusNotes(l, PeriodLabels(ps, l), bal), computedNote(l, balanceComputed, balanceComputedN, PeriodLabels(ps, l), bal), unlikeNote(l, PeriodLabels(ps, l), bal)),
		Categories: PeriodLabels(ps, l),
		Series:     []Series{bal.s},
	})
}

func (b *builder) ytd() *Chart {
	// The interval that ends last, against the same months a year before;
	// else, when the year before lacks them, the latest that it has.
	ps := b.periods(isYTD, "exports", "imports", "turnover")
	slices.SortStableFunc(ps, func(x, y stats.Period) int { return cmp.Compare(y.Year(), x.Year()) })
	inds := []string{"exports", "imports", "turnover"}
	l := b.l
	for _, cur := range ps {
		prev := cur.Shift(-1)
		unit := b.unitOf([]stats.Period{prev, cur}, inds...)
		a := inUnitColumn(PeriodLabel(prev, l), "", len(inds), unit)
		c := inUnitColumn(PeriodLabel(cur, l), "", len(inds), unit)
		var cats []string
		for i, ind := range inds {
			cats = append(cats, l.IndicatorName(ind))
			if !b.obs(a, i, ind, prev) && ind == "turnover" {
				b.derived(a, i, "exports", "imports", +1, prev)
			}
			if !b.obs(c, i, ind, cur) && ind == "turnover" {
				b.derived(c, i, "exports", "imports", +1, cur)
			}
		}
		if a.any() && c.any() && a.unit == c.unit {
			return b.ytdChart(cur, cats, a, c)
		}
	}
	return nil
}

// ytdChart is the year-to-date chart of cur, whose categories are cats,
// a the columns of the year before and c of cur.
func (b *builder) ytdChart(cur stats.Period, cats []string, a, c *column) *Chart {
	l := b.l
	return b.mustNew(Chart{
		ID:         b.id("ytd"),
		Kind:       Grouped,
		Lang:       l,
		Title:      b.pairTitle(tradeWord) + ", " + lowerFirst(PeriodLabel(cur, l), l),
		Subtitle:   subtitle(l, againstYearBefore, a.unit),
		Unit:       a.unit,
		Source:     sources([]*column{a, c}),
		Notes:      slices.Concat(ytdNotes(l, a, c), ytdComputedNote(l, a, c), unlikeNote(l, cats, a, c)),
		Categories: cats,
		Series:     []Series{a.s, c.s},
	})
}

// ytdNotes notes the provisional and estimated values of a year-to-date
// chart, whose series are periods: the notes name the periods.
func ytdNotes(l Lang, cols ...*column) []string {
	var notes []string
	for _, st := range []stats.Status{stats.Provisional, stats.Estimated} {
		var which []string
		for _, c := range cols {
			for i := range c.status {
				if !c.s.Missing[i] && c.status[i] == st {
					which = append(which, c.s.Name)
					break
				}
			}
		}
		if len(which) > 0 {
			notes = append(notes, fmt.Sprintf(statusNames[st][l.index()], strings.Join(which, ", ")))
		}
	}
	return notes
}

// ytdComputedNote says which periods of a year-to-date chart have a
// turnover computed from exports and imports; the turnover is its last
// category.
func ytdComputedNote(l Lang, cols ...*column) []string {
	var which []string
	present := 0
	for _, c := range cols {
		i := len(c.computed) - 1
		if c.s.Missing[i] {
			continue
		}
		present++
		if c.computed[i] {
			which = append(which, lowerFirst(c.s.Name, l))
		}
	}
	switch {
	case len(which) == 0:
		return nil
	case len(which) == present:
		return []string{turnoverComputed[l.index()]}
	}
	return []string{upperFirst(fmt.Sprintf(turnoverComputedN[l.index()], strings.Join(which, ", ")))}
}

func (b *builder) fdi() *Chart {
	ps := b.periods(isSingleYear, "fdi_in_gross", "fdi_out_gross")
	if len(ps) == 0 {
		return nil
	}
	if len(ps) > 2*maxBuiltInPeriods {
		ps = ps[len(ps)-2*maxBuiltInPeriods:]
	}
	unit := b.unitOf(ps, "fdi_in_gross", "fdi_out_gross")
	in := inUnitColumn(b.direction(false), "fdi_in_gross", len(ps), unit)
	outc := inUnitColumn(b.direction(true), "fdi_out_gross", len(ps), unit)
	for i, p := range ps {
		b.obs(in, i, "fdi_in_gross", p)
		b.obs(outc, i, "fdi_out_gross", p)
	}
	var cols []*column
	for _, c := range []*column{in, outc} {
		if c.any() {
			cols = append(cols, c)
		}
	}
	l := b.l
	cats := PeriodLabels(ps, l)
	notes := append(statusNotes(l, cats, cols...), unlikeNote(l, cats, in, outc)...)
	var noteCols []*column
	for _, t := range b.totals(unit, true) {
		notes = append(notes, t.note)
		noteCols = append(noteCols, t.col)
	}
	kind := Bars
	var series []Series
	for _, c := range cols {
		series = append(series, c.s)
	}
	if len(series) > 1 {
		kind = Grouped
	}
	return b.mustNew(Chart{
		ID:         b.id("fdi"),
		Kind:       kind,
		Lang:       l,
		Title:      b.pairTitle(fdiWord),
		Subtitle:   b.fdiSubtitle(cols, unit),
		Unit:       unit,
		Notes:      notes,
		Source:     sources(append(cols, noteCols...)),
		Categories: cats,
		Series:     series,
	})
}

// fdiSubtitle names the direction in the subtitle when the chart draws
// only one, since a chart of one series has no legend; with both, the
// legend names them.
func (b *builder) fdiSubtitle(cols []*column, unit string) string {
	if len(cols) != 1 {
		return subtitle(b.l, grossInflowBoth, unit)
	}
	words := b.directionWords(cols[0].s.Indicator == "fdi_out_gross")
	if strings.Contains(words, "→") {
		// The names could not be put into the cases a phrase needs.
		words = "(" + words + ")"
	}
	what := [3]string{"Gross inflow " + words, "Валовый приток " + words, words + " жалпы кіріс ағыны"}
	if b.l == Kazakh && strings.HasPrefix(words, "(") {
		what[2] = "Жалпы кіріс ағыны " + words
	}
	return subtitle(b.l, what, unit)
}

// total is the multi-year total of one FDI direction.
type total struct {
	p    stats.Period
	col  *column
	note string
}

// totals returns the latest multi-year total of each FDI direction in unit
// (any unit when unit is empty), with a note that states it; with
// ownUnit, a total in a unit of another currency, which a note can state
// but a bar beside the others cannot show, in its own.
func (b *builder) totals(unit string, ownUnit bool) []total {
	var out []total
	for _, dir := range []struct {
		ind string
		out bool
	}{{"fdi_in_gross", false}, {"fdi_out_gross", true}} {
		ps := b.periods(func(p stats.Period) bool { return p.Kind() == stats.Year && p.IsInterval() }, dir.ind)
		if len(ps) == 0 {
			continue
		}
		p := ps[len(ps)-1]
		c := inUnitColumn(b.direction(dir.out), dir.ind, 1, unit)
		if !b.obs(c, 0, dir.ind, p) {
			if !c.s.unconverted(0) || !ownUnit {
				continue
			}
			// A note can state a total in its own currency.
			c = newColumn(b.direction(dir.out), dir.ind, 1)
			b.obs(c, 0, dir.ind, p)
		}
		note := fmt.Sprintf(totalNote[b.l.index()], PeriodLabel(p, b.l), b.directionWords(dir.out), FormatNumber(c.s.Values[0], c.s.Decimals[0], b.l), b.l.UnitName(c.unit))
		out = append(out, total{p: p, col: c, note: note})
	}
	return out
}

func (b *builder) fdiTotal() *Chart {
	ts := b.totals("", false)
	if len(ts) != 2 || ts[0].p != ts[1].p {
		return nil
	}
	if ts = b.totals(b.unitOf([]stats.Period{ts[0].p}, "fdi_in_gross", "fdi_out_gross"), false); len(ts) != 2 {
		return nil
	}
	l := b.l
	s := Series{Name: grossInflowWord[l.index()], Values: make([]float64, 2), Decimals: make([]int, 2)}
	var cats []string
	for i, t := range ts {
		cats = append(cats, t.col.s.Name)
		s.Values[i], s.Decimals[i] = t.col.s.Values[0], t.col.s.Decimals[0]
	}
	return b.mustNew(Chart{
		ID:         b.id("fdi-total"),
		Kind:       HorizontalBars,
		Lang:       l,
		Title:      b.pairTitle(fdiWord) + ", " + PeriodLabel(ts[0].p, l),
		Subtitle:   subtitle(l, grossInflowTotal, ts[0].col.unit),
		Unit:       ts[0].col.unit,
		Source:     sources([]*column{ts[0].col, ts[1].col}),
		Categories: cats,
		Series:     []Series{s},
	})
}

// direction names an FDI direction as a series or category: from the
// partner into the reporter, or (out) from the reporter into the partner.
func (b *builder) direction(out bool) string {
	return upperFirst(b.directionWords(out))
}

// directionWords names an FDI direction as it stands inside a sentence.
func (b *builder) directionWords(out bool) string {
	if out {
		return directionWords(b.pair.Reporter, b.pair.Partner, b.l)
	}
	return directionWords(b.pair.Partner, b.pair.Reporter, b.l)
}

// Words of the built-in titles and subtitles, by language.
var (
	tradeWord              = [3]string{"trade", "торговля", "сауда"}
	balanceWord            = [3]string{"trade balance", "сальдо торговли", "сауда сальдосы"}
	fdiWord                = [3]string{"direct investment", "прямые инвестиции", "тікелей инвестициялар"}
	exportsImports         = [3]string{"Exports and imports", "Экспорт и импорт", "Экспорт және импорт"}
	exportsImportsTurnover = [3]string{"Exports and imports, with turnover", "Экспорт и импорт, товарооборот", "Экспорт және импорт, тауар айналымы"}
	exportsMinusImports    = [3]string{"Exports minus imports", "Экспорт минус импорт", "Экспорт минус импорт"}
	againstYearBefore      = [3]string{"Against the same months a year before", "В сравнении с теми же месяцами годом ранее", "Өткен жылдың сол айларымен салыстырғанда"}
	grossInflowBoth        = [3]string{"Gross inflow in each direction", "Валовый приток в каждом направлении", "Әр бағыттағы жалпы кіріс ағыны"}
	grossInflowWord        = [3]string{"Gross inflow", "Валовый приток", "Жалпы кіріс ағыны"}
	grossInflowTotal       = [3]string{"Gross inflow in total", "Валовый приток, всего", "Жалпы кіріс ағыны, барлығы"}
	totalNote              = [3]string{"%s in total, %s: %s %s.", "Всего за %s, %s: %s %s.", "%s барлығы, %s: %s %s."}
)

func (b *builder) pairTitle(what [3]string) string {
	r, p := CountryName(b.pair.Reporter, b.l), CountryName(b.pair.Partner, b.l)
	i := b.l.index()
	if i == 0 {
		return r + "–" + p + " " + what[0]
	}
	return r + " — " + p + ": " + what[i]
}

func subtitle(l Lang, what [3]string, unit string) string {
	if unit == "" {
		return what[l.index()]
	}
	return what[l.index()] + ", " + l.UnitName(unit)
}

func firstUnit(cols ...*column) string {
	for _, c := range cols {
		if c.unit != "" && c.any() {
			return c.unit
		}
	}
	return ""
}

// sources joins the sources of the columns, in the order met.
func sources(cols []*column, more ...*column) string {
	var all []string
	for _, c := range append(cols, more...) {
		for _, s := range c.sources {
			if !slices.Contains(all, s) {
				all = append(all, s)
			}
		}
	}
	return strings.Join(all, "; ")
}

// mustNew returns the chart c, with its labels rounded where they would
// not read (see readableLabels).
func (b *builder) mustNew(c Chart) *Chart {
	readableLabels(&c, b.rescaled)
	out, err := New(c)
	if err != nil {
		// The builder only makes consistent charts.
		panic("charts: built-in chart: " + err.Error())
	}
	return out
}

// maxLabelDigits is the most digits a built-in chart's label writes at
// the precision published before its labels are rounded (see
// readableLabels): 123,456 and 12,345.6 are labelled as published.
const maxLabelDigits = 6

// readableLabels rounds the labels of c (see Chart.RoundLabels) to the
// decimals that leave its largest value four significant digits, and
// notes it, when that leaves out a digit of a label and a label at the
// precision published would write more than maxLabelDigits digits, or the
// chart is drawn in a unit larger than the one published (rescaled; see
// readableUnit), whose decimals are those of the published unit: Armstat's
// 94366.77489 USD thousand is labelled 94.37 in USD million, where a label
// of 94,366.77489 did not fit its bar, and BNS's 313100 USD thousand 313.1,
// not 313.100. The chart's CSV keeps the figures as published.
func readableLabels(c *Chart, rescaled bool) {
	largest, digits := 0.0, 0
	cols := c.Series
	if c.Total != nil {
		cols = append(cols[:len(cols):len(cols)], *c.Total)
	}
	present := func(s Series, i int) bool { return s.Missing == nil || !s.Missing[i] }
	decimals := func(s Series, i int) int {
		if s.Decimals == nil {
			return 0
		}
		return min(s.Decimals[i], MaxDecimals)
	}
	for _, s := range cols {
		for i, v := range s.Values {
			if present(s, i) {
				largest = max(largest, math.Abs(v))
				digits = max(digits, intDigits(v)+decimals(s, i))
			}
		}
	}
	if digits <= maxLabelDigits && !rescaled {
		return
	}
	want := fourDigitDecimals(largest)
	for _, s := range cols {
		for i := range s.Values {
			if present(s, i) && decimals(s, i) > want {
				c.RoundLabels, c.LabelDecimals = true, want
				c.Notes = append(c.Notes, labelsRounded[c.Lang.index()])
				return
			}
		}
	}
}

// fourDigitDecimals returns the decimals that write x with four
// significant digits, from 0 to MaxDecimals: 2 for 94.366, 5 for 0.012346
// (0.01235), whose zeros after the point are not significant, and 0 for
// 999.96, which rounds up to 1,000 (1,000.0 would have five).
func fourDigitDecimals(x float64) int {
	x = math.Abs(x)
	if x == 0 {
		return 0
	}
	d := min(max(3-int(math.Floor(math.Log10(x))), 0), MaxDecimals)
	// Log10 may also fall short of a power of ten that x is.
	for d > 0 && significantDigits(stats.FormatFixed(x, d)) > 4 {
		d--
	}
	return d
}

// significantDigits returns the digits of s, a number written with
// stats.FormatFixed, after its leading zeros.
func significantDigits(s string) int {
	s = strings.TrimLeft(strings.ReplaceAll(s, ".", ""), "0")
	return len(s)
}

// intDigits returns the digits of the integer part of x, none below 1.
func intDigits(x float64) int {
	x = math.Abs(x)
	if x < 1 {
		return 0
	}
	return int(math.Floor(math.Log10(x))) + 1
}

var labelsRounded = [3]string{
	"Labels rounded; the chart's data file gives the figures as published.",
	"Подписи округлены; в файле данных диаграммы цифры даны как опубликованы.",
	"Белгілер дөңгелектенген; диаграмманың деректер файлында сандар жарияланғандай берілген.",
}

var worldNames = [3]string{"World", "Мир", "Әлем"}

// groupNames are the names of the partner groups of stats.Aggregates other
// than the world, by language, as a headline writes them: the codes are
// no words in Russian or Kazakh ("Казахстан — CIS").
var groupNames = map[string][3]string{
	"EUU":  {"EU", "ЕС", "ЕО"},
	"EU27": {"EU-27", "ЕС-27", "ЕО-27"},
	"EU28": {"EU-28", "ЕС-28", "ЕО-28"},
	"EAEU": {"EAEU", "ЕАЭС", "ЕАЭО"},
	"CIS":  {"CIS", "СНГ", "ТМД"},
	"EA20": {"Euro area", "Еврозона", "Еуроаймақ"},
	"XKX":  {"Kosovo", "Косово", "Косово"},
}

// CountryName returns the name of the economy with ISO 3166-1 alpha-3 (or
// alpha-2) code code in language l, "World" for WLD, the name of a partner
// group (CIS: СНГ, ТМД), and the code itself when it is unknown.
func CountryName(code string, l Lang) string {
	if strings.EqualFold(code, "WLD") {
		return worldNames[l.index()]
	}
	if names, ok := groupNames[strings.ToUpper(code)]; ok {
		return names[l.index()]
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	name := regions.Name(r, l.index())
	if name == "" {
		return code
	}
	return name
}

// PeriodLabels returns the label of each period in language l.
func PeriodLabels(ps []stats.Period, l Lang) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = PeriodLabel(p, l)
	}
	return out
}

var quarterNames = [3]string{"Q%d %d", "%s кв. %d", "%d ж. %s тоқсан"}

// PeriodLabel returns p as a reader would write it in language l: 2023,
// 2005–2024, Q3 2024, July 2024, January–July 2024, 15 October 2024 in
// English; 2023, III кв. 2024, январь–июль 2024, 15.10.2024 in Russian.
func PeriodLabel(p stats.Period, l Lang) string {
	first, last := p.First(), p.Last()
	one := func(q stats.Period) string { return unitLabel(q, l, true) }
	if !p.IsInterval() {
		return upperFirst(one(first))
	}
	switch p.Kind() {
	case stats.Year:
		return one(first) + "–" + one(last)
	case stats.Month, stats.Quarter:
		if first.Year() == last.Year() {
			return upperFirst(unitLabel(first, l, false) + "–" + one(last))
		}
	}
	return upperFirst(one(first) + " – " + one(last))
}

// unitLabel labels a single period; withYear adds the year to a month or
// quarter.
func unitLabel(p stats.Period, l Lang, withYear bool) string {
	s := p.String()
	y := p.Year()
	switch p.Kind() {
	case stats.Year:
		return strconv.Itoa(y)
	case stats.Quarter:
		q, _ := strconv.Atoi(s[len(s)-1:])
		roman := []string{"I", "II", "III", "IV"}[q-1]
		var out string
		switch l {
		case Russian:
			out = roman + " кв."
			if withYear {
				out = fmt.Sprintf(quarterNames[1], roman, y)
			}
		case Kazakh:
			out = roman + " тоқсан"
			if withYear {
				out = fmt.Sprintf(quarterNames[2], y, roman)
			}
		default:
			out = "Q" + strconv.Itoa(q)
			if withYear {
				out = fmt.Sprintf(quarterNames[0], q, y)
			}
		}
		return out
	case stats.Month:
		m, _ := strconv.Atoi(s[len(s)-2:])
		out := l.MonthName(m)
		if withYear {
			out += " " + strconv.Itoa(y)
		}
		return out
	case stats.Day:
		d, _ := strconv.Atoi(s[len(s)-2:])
		m, _ := strconv.Atoi(s[len(s)-5 : len(s)-3])
		if l == English {
			return fmt.Sprintf("%d %s %d", d, l.MonthName(m), y)
		}
		return fmt.Sprintf("%02d.%02d.%d", d, m, y)
	}
	return s
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// wordInSentence lower-cases the first letter of a name that stands inside
// a sentence in any language (Imports, Импорт), unless it is a numeral or
// an abbreviation (III кв. 2024, ЕС).
func wordInSentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if next, _ := utf8.DecodeRuneInString(s[n:]); r == utf8.RuneError || !unicode.IsLower(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// lowerFirst lower-cases the first letter of a label used inside a
// sentence (see wordInSentence: III кв. 2024 keeps its numeral), except in
// English, where month names keep their capital.
func lowerFirst(s string, l Lang) string {
	if l == English {
		return s
	}
	return wordInSentence(s)
}
