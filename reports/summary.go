package reports

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tradedesk/report/stats"
	"github.com/xuri/excelize/v2"
)

// The columns of the Summary, 1-based.
const (
	scReporter = iota + 1
	scPartner
	scIndicator
	scUnit
	scPeriod
	scYearBefore
	scChange
	scGrowth
	scYTD
	scYTDBefore
	scYTDGrowth
	scLastYear
	scFlags
	scCount = scFlags
)

// summaryHeaderRow is the row of the Summary's column headers.
const summaryHeaderRow = 5

func (b *builder) writeSummary() error {
	if err := b.errNoFiguresOf(); err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(sheetSummary)
	if err != nil {
		return err
	}
	sp := b.summaryPeriods()
	p, prev, ytd, ytdPrev, lastYear := sp[0].p, sp[1].p, sp[2].p, sp[3].p, sp[4].p

	widths := map[int]float64{scReporter: 10, scPartner: 10, scIndicator: 20, scUnit: 14, scFlags: 60}
	spans := make([]colSpan, scCount)
	for c := 1; c <= scCount; c++ {
		w, ok := widths[c]
		if !ok {
			w = 17
		}
		spans[c-1] = colSpan{c, c, w}
	}
	if err := setColWidths(sw, spans); err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: summaryHeaderRow, TopLeftCell: cell(1, summaryHeaderRow+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: b.st.title, Value: "Trade and FDI, " + p.String()}}); err != nil {
		return err
	}
	banner, style := b.bannerText()
	if err := sw.SetRow("A2", []any{excelize.Cell{StyleID: style, Value: banner}}); err != nil {
		return err
	}
	if err := sw.MergeCell("A2", cell(scCount, 2)); err != nil {
		return err
	}
	note := "As of " + b.w.AsOf.UTC().Format("2006-01-02 15:04:05 UTC") + ". Derived figures (italics on blue) are computed from published ones and marked in the flags; " +
		"provisional and estimated figures are in orange. Change % = (period − year before) / year before; it is left empty when the year before is not above zero."
	if err := sw.SetRow("A3", []any{excelize.Cell{StyleID: b.st.note, Value: note}}); err != nil {
		return err
	}
	header := make([]any, scCount)
	set := func(c int, s string) { header[c-1] = excelize.Cell{StyleID: b.st.header, Value: s} }
	set(scReporter, "reporter")
	set(scPartner, "partner")
	set(scIndicator, "indicator")
	set(scUnit, "unit")
	set(scPeriod, p.String())
	set(scYearBefore, prev.String())
	set(scChange, "change")
	set(scGrowth, "change %")
	set(scYTD, periodLabel("year to date", ytd))
	// Headers are unique, as a table's must be (pandas renames a second
	// "year to date" "year to date.1") when the columns stay empty.
	ytdBefore := "year to date a year before"
	if !ytdPrev.IsZero() {
		ytdBefore = periodLabel("year to date", ytdPrev)
	}
	set(scYTDBefore, ytdBefore)
	set(scYTDGrowth, "year to date change %")
	set(scLastYear, periodLabel("year", lastYear))
	set(scFlags, "flags")
	if err := sw.SetRow(cell(1, summaryHeaderRow), header); err != nil {
		return err
	}

	row := summaryHeaderRow + 1
	full := false
	rows := b.newRows(sheetSummary)
	for _, pf := range b.summary {
		if full {
			break
		}
		if row >= excelize.TotalRows-8 {
			// A sheet's rows are spent; say so rather than fail.
			if err := rows.setRow(row, []any{excelize.Cell{StyleID: b.st.note, Value: "… more pairs than a sheet holds: see the Series and Data sheets."}}); err != nil {
				return err
			}
			row++
			full = true
			break
		}
		for j, ind := range pf.inds {
			var figs [5]stats.Figure
			for n := range figs {
				figs[n] = pf.figs[j][n].figure()
			}
			cur, before, ycur, ybefore, last := figs[0], figs[1], figs[2], figs[3], figs[4]
			if !cur.Value.Valid && !before.Value.Valid && !ycur.Value.Valid && !ybefore.Value.Valid && !last.Value.Valid {
				continue
			}
			cells := make([]any, scCount)
			cells[scReporter-1] = b.st.textCell(pf.pair.Reporter)
			cells[scPartner-1] = b.st.textCell(pf.pair.Partner)
			cells[scIndicator-1] = b.st.textCell(ind)
			unit := ""
			for _, fg := range []stats.Figure{cur, before, ycur, ybefore, last} {
				if fg.Value.Valid {
					unit = fg.Unit
					break
				}
			}
			cells[scUnit-1] = b.st.textCell(unit)
			for n, col := range []int{scPeriod, scYearBefore, scYTD, scYTDBefore, scLastYear} {
				if fg := figs[n]; fg.Value.Valid {
					c, err := b.summaryNumber(fg)
					if err != nil {
						return err
					}
					cells[col-1] = c
				}
			}
			if c, ok := b.changeCell(cur, before, scPeriod, scYearBefore, row); ok {
				cells[scChange-1] = c
			}
			if c, ok := b.growthCell(cur, before, scPeriod, scYearBefore, row); ok {
				cells[scGrowth-1] = c
			}
			if c, ok := b.growthCell(ycur, ybefore, scYTD, scYTDBefore, row); ok {
				cells[scYTDGrowth-1] = c
			}
			cells[scFlags-1] = b.st.textCell(pf.flags[j])
			if err := rows.setRow(row, cells); err != nil {
				return err
			}
			row++
		}
	}
	b.summary = nil
	if _, err := rows.finish(); err != nil {
		return err
	}
	b.setDim(sheetSummary, scCount, row-1)
	return sw.Flush()
}

// summaryPeriod is a period of the Summary's columns, and whether the
// workbook's period has it.
type summaryPeriod struct {
	p  stats.Period
	ok bool
}

// summaryPeriods returns the periods of the Summary's figures: the
// period, a year before, the year to date, a year before that, and the
// last full year. The year to date of a period that is its own (a year,
// January to July), the last full year of a year and a last full year
// shown in another column already are left out: their columns stay,
// empty, so that the Summary's columns are the same in every workbook.
func (b *builder) summaryPeriods() [5]summaryPeriod {
	p := b.period
	ytd, hasYTD := yearToDate(p)
	var ytdPrev stats.Period
	if hasYTD {
		ytdPrev = ytd.Shift(-1)
	}
	lastYear, hasLastYear := b.lastFullYear()
	if hasLastYear && (lastYear.Days() == p.Shift(-1).Days() || hasYTD && lastYear.Days() == ytdPrev.Days()) {
		// Shown already, as the period a year before (of
		// 2024-01/2024-12) or the year to date a year before (of 2024-Q4
		// or 2024-12).
		lastYear, hasLastYear = stats.Period{}, false
	}
	return [5]summaryPeriod{{p, true}, {p.Shift(-1), true}, {ytd, hasYTD}, {ytdPrev, hasYTD}, {lastYear, hasLastYear}}
}

// pairFigures are the figures of a pair's rows on the Summary, by
// indicator: the period, a year before, the year to date, a year before
// that, and the last full year, and the flags of each row.
type pairFigures struct {
	pair  stats.Pair
	inds  []string
	figs  [][5]summaryFigure
	flags []string
}

// summaryFigure is what a Summary row shows of a figure, kept for every
// pair until the Series is written: a stats.Figure holds its series'
// strings, its parts and its row, which would hold the rows of its group.
type summaryFigure struct {
	value  stats.Value
	unit   string
	status stats.Status
	how    stats.Derivation
}

// figure returns the figure f keeps, without its series, period, parts
// and row.
func (f summaryFigure) figure() stats.Figure {
	return stats.Figure{Value: f.value, Unit: f.unit, Status: f.status, How: f.how}
}

// findSummary finds the figures of the Summary's rows of pairs, whose
// contents are those of the index b.x, on every core, and keeps them in
// order, to be written once the Series is: the styles are made in the
// order of the sheets, whatever the groups of pairs. Each row is in the
// unit of its row on the Series, units[i] those of the rows of pairs[i]
// (see seriesFigures), whose scale the figures of every period of the
// pair's block decide: 5000 USD thousand of the period is 5.000 USD
// million on both sheets when the row has a figure in USD million of
// another year.
func (b *builder) findSummary(pairs []stats.Pair, contents map[stats.Pair]*pairContent, units [][]string) error {
	sp := b.summaryPeriods()
	for _, pc := range contents {
		for q := range pc.periods {
			if b.period.Contains(q) {
				if b.within == nil {
					b.within = map[stats.Period]bool{}
				}
				b.within[q] = true
			}
		}
	}
	find := func(i int) pairFigures {
		pair := pairs[i]
		pf := pairFigures{pair: pair, inds: indicatorOrder(contents[pair])}
		pf.figs = make([][5]summaryFigure, len(pf.inds))
		pf.flags = make([]string, len(pf.inds))
		figs := make([][]stats.Figure, len(pf.inds))
		for j, ind := range pf.inds {
			k := stats.Key{Reporter: pair.Reporter, Partner: pair.Partner, Indicator: ind}
			figs[j] = make([]stats.Figure, len(sp))
			for n, q := range sp {
				if !q.ok {
					continue
				}
				if fg, err := b.x.Figure(k, q.p); err == nil {
					figs[j][n] = fg
				}
			}
		}
		// The Series block of a pair has the same indicators, in the
		// same order (indicatorOrder).
		units := units[i]
		missing := contents[pair].missing
		for j, ind := range pf.inds {
			var flags []string
			var left []stats.Figure
			for n, fg := range figs[j] {
				if q := sp[n]; q.ok && !fg.Value.Valid && missing[missingRow{ind, q.p.Days()}] {
					// Published without a value: an empty cell alone
					// would read as a figure not in the data.
					flags = append(flags, q.p.String()+" "+statusWord(stats.Missing))
					continue
				}
				conv, ok := inUnit(fg, units[j])
				if !ok {
					left = append(left, fg)
					continue
				}
				if conv.Value.Valid {
					flags = append(flags, figureFlags(conv)...)
				}
				pf.figs[j][n] = summaryFigure{value: conv.Value, unit: conv.Unit, status: conv.Status, how: conv.How}
			}
			flags = append(flags, notShown(left, units[j]))
			pf.flags[j] = strings.Join(dedupe(flags), "; ")
		}
		return pf
	}
	return ordered(len(pairs), 256, find, func(_ int, pf pairFigures) error {
		b.summary = append(b.summary, pf)
		return nil
	})
}

// errNoFiguresOf returns an error wrapping [ErrNoFigures] when no row of
// the Summary has a figure of the workbook's period, published or made up
// of its parts: rows within the period that do not make it up (two months
// of a quarter, a quarter of a year, a stock on a day of it) would give a
// Summary without a row under "All checks hold.". The error names those
// rows' periods.
func (b *builder) errNoFiguresOf() error {
	for _, pf := range b.summary {
		for _, figs := range pf.figs {
			if figs[0].value.Valid {
				return nil
			}
		}
	}
	within := ""
	if len(b.within) > 0 {
		var ps []string
		for _, q := range slices.SortedFunc(maps.Keys(b.within), stats.Compare) {
			ps = append(ps, q.String())
		}
		verb := "have"
		if len(ps) == 1 {
			verb = "has"
		}
		within = fmt.Sprintf("; within it, only %s %s figures", joinList(ps), verb)
	}
	return fmt.Errorf("%w of %s in the data, published or made up of its parts%s", ErrNoFigures, b.period, within)
}

// bannerText is the line under the Summary's title: whether the checks
// hold.
func (b *builder) bannerText() (string, int) {
	if b.errors > 0 {
		return fmt.Sprintf("CHECKS FAILED: %s and %s. Figures in this workbook may be wrong: see the Checks sheet before using them.",
			plural(b.errors, "error"), plural(b.warns, "warning")), b.st.banner
	}
	if b.warns > 0 {
		return fmt.Sprintf("All checks hold, with %s: see the Checks sheet.", plural(b.warns, "warning")), b.st.ok
	}
	return "All checks hold.", b.st.ok
}

func plural(n int, word string) string {
	switch n {
	case 0:
		return "no " + word + "s"
	case 1:
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func dedupe(s []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range s {
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// figureFlags describes what a reader must know of a figure: that it is
// provisional or estimated, or derived and how.
func figureFlags(fg stats.Figure) []string {
	var out []string
	if w := statusWord(fg.Status); w != "" {
		out = append(out, fg.Period.String()+" "+w)
	}
	if fg.Derived() {
		out = append(out, fg.Period.String()+" derived: "+howText(fg))
	}
	return out
}

func (b *builder) summaryNumber(fg stats.Figure) (excelize.Cell, error) {
	flagged := fg.Status == stats.Provisional || fg.Status == stats.Estimated
	id, err := b.st.num(numStyle{decimals: fg.Value.Decimals, derived: fg.Derived(), flagged: flagged})
	return excelize.Cell{StyleID: id, Value: fg.Value.Num}, err
}

// changeCell is the formula cur − before with its value, when both are
// present in one unit.
func (b *builder) changeCell(cur, before stats.Figure, cc, bc, row int) (excelize.Cell, bool) {
	if !cur.Value.Valid || !before.Value.Valid || cur.Unit != before.Unit {
		return excelize.Cell{}, false
	}
	v, err := stats.Change(cur, before)
	if err != nil || !v.Valid {
		return excelize.Cell{}, false
	}
	id, err := b.st.num(numStyle{decimals: v.Decimals, derived: true})
	if err != nil {
		return excelize.Cell{}, false
	}
	return excelize.Cell{StyleID: id, Formula: cell(cc, row) + "-" + cell(bc, row), Value: v.Num}, true
}

// growthCell is the formula (cur − before) / before with its value, as a
// fraction shown as a percentage, when [stats.Growth] has one.
func (b *builder) growthCell(cur, before stats.Figure, cc, bc, row int) (excelize.Cell, bool) {
	if !cur.Value.Valid || !before.Value.Valid || cur.Unit != before.Unit {
		return excelize.Cell{}, false
	}
	g, err := stats.Growth(cur, before)
	if err != nil || !g.Valid {
		return excelize.Cell{}, false
	}
	c, p := cell(cc, row), cell(bc, row)
	return excelize.Cell{StyleID: b.st.pctDer, Formula: "(" + c + "-" + p + ")/" + p, Value: g.Num / 100}, true
}
