package reports

import (
	"cmp"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/tradedesk/report/stats"
	"github.com/xuri/excelize/v2"
)

// seriesLayout remembers where the Series sheet put the figures of the
// pairs that get charts.
type seriesLayout struct {
	blocks []*seriesBlock
}

// seriesBlock is the table of one pair on the Series sheet: a header row
// of periods and a row per indicator.
type seriesBlock struct {
	pair       stats.Pair
	headerRow  int
	periods    []stats.Period
	indicators []string
	rows       map[string]int
	units      map[string]string
	// values are the figures by indicator and column index, kept for the
	// charts' caches.
	values map[string][]stats.Value
	// truncated tells that the block shows only the latest periods.
	truncated bool
	// byDays holds, when the data write the days of a column in more
	// than one way, the place in periods of each column by its days
	// (see layoutBlocks); nil otherwise.
	byDays map[stats.Period]int
	// size ranks the pair for the charts (see sizeOf), and order is its
	// place on the sheet.
	size  pairSize
	order int
}

// pairSize is how large a pair's figures are: its largest flow of the
// workbook's period, in the units of its currency, or, when it has none
// of that period, of its latest.
type pairSize struct {
	ofPeriod bool
	largest  float64
}

// less reports whether s is smaller than t.
func (s pairSize) less(t pairSize) bool {
	if s.ofPeriod != t.ofPeriod {
		return !s.ofPeriod
	}
	return s.largest < t.largest
}

// sizeOf returns the size of the pair of blk, whose figures are figs,
// for the workbook's period p: the charts go to the largest pairs, where
// Armstat's charts went to its first partners in alphabetical order,
// Aruba and Afghanistan.
func sizeOf(blk *seriesBlock, figs blockFigures, p stats.Period) pairSize {
	at := -1
	if c, ok := blk.col(p); ok {
		at = c - firstCol
	}
	var s pairSize
	for i, ind := range blk.indicators {
		if ind == "balance" || i >= len(figs.figs) {
			continue
		}
		_, scale := stats.SplitUnit(figs.units[i])
		for j := len(figs.figs[i]) - 1; j >= 0; j-- {
			fg := figs.figs[i][j]
			if !fg.Value.Valid || fg.Value.Num < 0 {
				continue
			}
			x := pairSize{ofPeriod: j == at, largest: fg.Value.Num * scale}
			if s.less(x) {
				s = x
			}
			if j == at || at < 0 {
				break // the period's, or the latest of the row
			}
		}
	}
	return s
}

// firstCol is the column of a block's first period.
const firstCol = 3

// col returns the column of period q in the block, and whether the block
// shows it: its periods are sorted, one a column from firstCol, and q may
// be the days of one written another way.
func (blk *seriesBlock) col(q stats.Period) (int, bool) {
	i, ok := slices.BinarySearchFunc(blk.periods, q, stats.Compare)
	if !ok && blk.byDays != nil {
		i, ok = blk.byDays[q.Days()]
	}
	return firstCol + i, ok
}

// pairContent is what a pair has in the data: its periods and indicators.
type pairContent struct {
	periods    map[stats.Period]bool
	indicators map[string]bool
	// missing holds the days of the rows without a value, by indicator:
	// figures published as missing (status M), which the Summary flags.
	missing map[missingRow]bool
}

// missingRow is an indicator and the days of a row of it without a value.
type missingRow struct {
	indicator string
	days      stats.Period
}

// pairContents returns what each pair of ds has.
func pairContents(ds *stats.Dataset) map[stats.Pair]*pairContent {
	m := map[stats.Pair]*pairContent{}
	for i := range ds.Obs {
		o := &ds.Obs[i]
		p := stats.Pair{Reporter: o.Reporter, Partner: o.Partner}
		pc := m[p]
		if pc == nil {
			pc = &pairContent{periods: map[stats.Period]bool{}, indicators: map[string]bool{}}
			m[p] = pc
		}
		pc.indicators[o.Indicator] = true
		if o.Value.Valid {
			pc.periods[o.Period] = true
		} else {
			if pc.missing == nil {
				pc.missing = map[missingRow]bool{}
			}
			pc.missing[missingRow{o.Indicator, o.Period.Days()}] = true
		}
	}
	return m
}

// indicatorOrder lists a pair's indicators: the trade identities first
// (exports, imports, turnover, balance; the last two also when only
// exports and imports are published), then the rest by name.
func indicatorOrder(pc *pairContent) []string {
	trade := pc.indicators["exports"] && pc.indicators["imports"]
	var out []string
	for _, ind := range []string{"exports", "imports", "turnover", "balance"} {
		if pc.indicators[ind] || (trade && (ind == "turnover" || ind == "balance")) {
			out = append(out, ind)
		}
	}
	var rest []string
	for ind := range pc.indicators {
		switch ind {
		case "exports", "imports", "turnover", "balance":
			continue
		}
		rest = append(rest, ind)
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// reportPeriods are the periods the Summary compares: the period, a year
// before, the last full year, and the year to date and a year before that.
// The year to date of a year is the same days as the year (2022-01/2022-12
// and 2022): the Series shows the year alone (see layoutBlocks), which
// comes first.
func (b *builder) reportPeriods() []stats.Period {
	p := b.period
	out := []stats.Period{p, p.Shift(-1)}
	if y, ok := b.lastFullYear(); ok {
		out = append(out, y)
	}
	if ytd, ok := yearToDate(p); ok {
		out = append(out, ytd, ytd.Shift(-1))
	}
	return out
}

// yearToDate returns the year to date of p (see [stats.YearToDate]) when
// it is not the same days as p: that of a year, or of January to July, is
// p itself, which the Series and the Summary show once.
func yearToDate(p stats.Period) (stats.Period, bool) {
	ytd, ok := stats.YearToDate(p)
	if !ok || ytd.Days() == p.Days() {
		return stats.Period{}, false
	}
	return ytd, true
}

// lastFullYear is the year before the one in which the period ends, shown
// beside a period shorter than a year.
func (b *builder) lastFullYear() (stats.Period, bool) {
	if b.period.Kind() == stats.Year {
		return stats.Period{}, false
	}
	return stats.YearOf(b.period.Last().Year() - 1), true
}

// writeSeries writes the Series sheet, a block a pair, a group of pairs
// at a time (see eachGroup), and finds the figures of the Summary's rows
// of each group as it goes, in the units of their rows on the Series (see
// findSummary).
func (b *builder) writeSeries() error {
	extra := b.reportPeriods()
	maxCharts := cmp.Or(b.w.MaxCharts, 10)
	// The rows of the blocks go into a segment of their own, spliced in
	// after the title rows, which are written last, with the column
	// widths of the widest block.
	rows := b.newRows(sheetSeries)
	row, maxCols, left, written := 4, 0, 0, 0
	err := b.eachGroup(func(ds *stats.Dataset, pairs []stats.Pair) error {
		b.x = stats.NewIndex(ds, b.voc)
		contents := pairContents(ds)
		blocks, cols, err := b.layoutBlocks(pairs, contents, extra)
		if err != nil {
			return err
		}
		maxCols = max(maxCols, cols)
		// Once a block is past the rows a sheet has, so are the rest.
		fit := len(blocks)
		if left > 0 {
			fit = 0
		}
		for i, blk := range blocks[:fit] {
			if row+len(blk.indicators) >= excelize.TotalRows {
				fit = i
				break
			}
			blk.headerRow = row
			for j, ind := range blk.indicators {
				blk.rows[ind] = row + 1 + j
			}
			row += len(blk.indicators) + 2
		}
		left += len(blocks) - fit
		written += fit
		// The units of each pair's rows, which its Summary rows share.
		units := make([][]string, len(blocks))
		// A block holds a figure for each of its periods and indicators,
		// up to hundreds of kilobytes: a few blocks a core are found
		// ahead, and written in order.
		err = ordered(fit, 2*runtime.GOMAXPROCS(0), func(i int) blockFigures { return b.blockFigures(blocks[i]) }, func(i int, figs blockFigures) error {
			blk := blocks[i]
			blk.size, blk.order = sizeOf(blk, figs, b.period), written-fit+i
			// The largest pairs are charted: a smaller one charted
			// before gives its place.
			charted, evict := len(b.series.blocks) < maxCharts, -1
			if !charted {
				evict = smallest(b.series.blocks)
				charted = b.series.blocks[evict].size.less(blk.size)
			}
			if charted {
				blk.values = map[string][]stats.Value{}
				if evict >= 0 {
					*b.series.blocks[evict] = seriesBlock{}
					b.series.blocks = slices.Delete(b.series.blocks, evict, evict+1)
				}
				b.series.blocks = append(b.series.blocks, blk)
			}
			if err := b.writeSeriesBlock(rows, blk, figs); err != nil {
				return err
			}
			units[i] = figs.units
			if slices.ContainsFunc(figs.notShown, func(n string) bool { return n != "" }) {
				maxCols = max(maxCols, len(blk.periods)+1)
			}
			// Only the charted blocks are kept.
			if !charted {
				*blk = seriesBlock{}
			}
			return nil
		})
		if err != nil {
			return err
		}
		// A block past the rows a sheet has is not written, but its
		// pair's Summary rows are in the units it would show.
		err = ordered(len(blocks)-fit, 2*runtime.GOMAXPROCS(0), func(i int) []string {
			_, u := b.seriesFigures(blocks[fit+i])
			return u
		}, func(i int, u []string) error {
			units[fit+i] = u
			return nil
		})
		if err != nil {
			return err
		}
		b.keepCharted(ds)
		return b.findSummary(pairs, contents, units)
	})
	if err != nil {
		return err
	}
	b.chartedBySize()
	if left > 0 {
		more := "… and " + strconv.Itoa(left) + " more reporter–partner pairs, beyond the rows a sheet holds; they are on the Data sheets."
		if err := rows.setRow(row, []any{excelize.Cell{StyleID: b.st.note, Value: more}}); err != nil {
			return err
		}
		row += 2
	}
	if _, err := rows.finish(); err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(sheetSeries)
	if err != nil {
		return err
	}
	spans := []colSpan{{1, 1, 22}, {2, 2, 14}}
	if maxCols > 0 {
		spans = append(spans, colSpan{firstCol, firstCol + maxCols - 1, 16})
	}
	if err := setColWidths(sw, spans); err != nil {
		return err
	}
	if err := sw.SetPanes(seriesPanes(written)); err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: b.st.title, Value: "Series: every figure by indicator and period"}}); err != nil {
		return err
	}
	if err := sw.SetRow("A2", []any{excelize.Cell{StyleID: b.st.note, Value: "Each figure shows the decimals it was published with, more when it is converted into its row's unit (USD thousand into USD million). Derived figures (italics on blue) are formulas over the published cells: " +
		"a quarter or a span from its months, turnover = exports + imports, balance = exports − imports. Provisional and estimated figures are in orange."}}); err != nil {
		return err
	}
	b.setDim(sheetSeries, firstCol+maxCols-1, max(row-2, 2))
	return sw.Flush()
}

// seriesPanes returns the panes of a Series sheet of n blocks: the
// indicator and unit columns stay in view as the periods scroll by, and
// so does the header of a block that is alone. Blocks of several pairs
// each have their own periods: a header frozen above them would name the
// columns of the first.
func seriesPanes(n int) *excelize.Panes {
	if n == 1 {
		return &excelize.Panes{Freeze: true, XSplit: firstCol - 1, YSplit: 4, TopLeftCell: cell(firstCol, 5), ActivePane: "bottomRight"}
	}
	return &excelize.Panes{Freeze: true, XSplit: firstCol - 1, TopLeftCell: cell(firstCol, 1), ActivePane: "topRight"}
}

// layoutBlocks lays out the blocks of pairs, whose contents are those of
// the index b.x: their indicators, and their periods with those of the
// Summary (extra) that a pair lacks in the data but has figures for (a
// quarter from its months), found on every core. It returns the blocks
// and the periods of the widest.
func (b *builder) layoutBlocks(pairs []stats.Pair, contents map[stats.Pair]*pairContent, extra []stats.Period) ([]*seriesBlock, int, error) {
	blocks := make([]*seriesBlock, 0, len(pairs))
	maxCols := 0
	derived := func(i int) []stats.Period {
		p := pairs[i]
		pc := contents[p]
		var out []stats.Period
		var days map[stats.Period]bool // those of the block's periods
		for _, q := range extra {
			if pc.periods[q] {
				continue
			}
			if days == nil {
				days = make(map[stats.Period]bool, len(pc.periods)+len(extra))
				for per := range pc.periods {
					days[per.Days()] = true
				}
			}
			if days[q.Days()] {
				// The same days are a column already, written
				// another way (2023 and 2023-01/2023-12): one
				// figure, shown once.
				continue
			}
			for _, ind := range indicatorOrder(pc) {
				if fg, err := b.x.Figure(stats.Key{Reporter: p.Reporter, Partner: p.Partner, Indicator: ind}, q); err == nil && fg.Value.Valid {
					out = append(out, q)
					days[q.Days()] = true
					break
				}
			}
		}
		return out
	}
	err := ordered(len(pairs), 256, derived, func(i int, more []stats.Period) error {
		p := pairs[i]
		pc := contents[p]
		blk := &seriesBlock{pair: p, indicators: indicatorOrder(pc), rows: map[string]int{}, units: map[string]string{}}
		set := pc.periods
		for _, q := range more {
			set[q] = true
		}
		// One column for the days of periods written several ways in the
		// data (2024-Q1/2024-Q3 for exports, 2024-01/2024-09 for
		// imports): its figures are found by their days (see
		// stats.Index.Figure), and a column each would show them apart.
		byDays := make(map[stats.Period]stats.Period, len(set))
		for q := range set {
			if cur, ok := byDays[q.Days()]; !ok || betterSpelling(q, cur, extra) {
				byDays[q.Days()] = q
			}
		}
		for _, q := range byDays {
			blk.periods = append(blk.periods, q)
		}
		slices.SortFunc(blk.periods, stats.Compare)
		// A sheet has 16,384 columns: a pair with more periods (days over
		// decades) shows its latest ones.
		if n := excelize.MaxColumns - firstCol + 1; len(blk.periods) > n {
			blk.periods = blk.periods[len(blk.periods)-n:]
			blk.truncated = true
		}
		if len(byDays) < len(set) {
			blk.byDays = make(map[stats.Period]int, len(blk.periods))
			for j, q := range blk.periods {
				blk.byDays[q.Days()] = j
			}
		}
		maxCols = max(maxCols, len(blk.periods))
		blocks = append(blocks, blk)
		return nil
	})
	return blocks, maxCols, err
}

// betterSpelling reports whether a, of the same days as b, names their
// column better: as the Summary names them (in extra), else as a single
// period (2024 rather than 2024-01/2024-12), else first by
// [stats.Compare], so that the choice does not depend on the order the
// periods came in.
func betterSpelling(a, b stats.Period, extra []stats.Period) bool {
	if ea, eb := slices.Contains(extra, a), slices.Contains(extra, b); ea != eb {
		return ea
	}
	if a.IsInterval() != b.IsInterval() {
		return !a.IsInterval()
	}
	return stats.Compare(a, b) < 0
}

// keepCharted keeps the rows of ds of the pairs whose blocks are charted,
// for the house-style images (see writeImages).
// smallest returns the place in blocks of the smallest pair (see
// pairSize), the last on the sheet of equal ones.
func smallest(blocks []*seriesBlock) int {
	j := 0
	for i, blk := range blocks {
		if !blocks[j].size.less(blk.size) {
			j = i
		}
	}
	return j
}

// chartedBySize puts the charted blocks in the order of their pairs'
// sizes, the largest first, those of equal size in the order of the
// sheet, and keeps only their rows for the images (see keepCharted).
func (b *builder) chartedBySize() {
	slices.SortFunc(b.series.blocks, func(x, y *seriesBlock) int {
		switch {
		case y.size.less(x.size):
			return -1
		case x.size.less(y.size):
			return 1
		}
		return cmp.Compare(x.order, y.order)
	})
	pairs := map[stats.Pair]bool{}
	for _, blk := range b.series.blocks {
		pairs[blk.pair] = true
	}
	b.charted = slices.DeleteFunc(b.charted, func(o stats.Observation) bool {
		return !pairs[stats.Pair{Reporter: o.Reporter, Partner: o.Partner}]
	})
}

func (b *builder) keepCharted(ds *stats.Dataset) {
	if !b.w.Images || len(b.series.blocks) == 0 {
		return
	}
	pairs := map[stats.Pair]bool{}
	for _, blk := range b.series.blocks {
		pairs[blk.pair] = true
	}
	for i := range ds.Obs {
		o := &ds.Obs[i]
		if pairs[stats.Pair{Reporter: o.Reporter, Partner: o.Partner}] {
			b.charted = append(b.charted, *o)
		}
	}
}

// blockFigures are the figures of a block by indicator and period, each
// in its row's unit, the formulas of the derived ones, the unit of each
// indicator, and what each row leaves out (see notShown).
type blockFigures struct {
	figs     [][]stats.Figure
	formulas [][]string
	units    []string
	notShown []string
}

// blockFigures finds the figures of a block whose rows are laid out, and
// writes them in the units of their rows (see rowUnits). It only reads
// the block and the index, and is safe for concurrent use.
func (b *builder) blockFigures(blk *seriesBlock) blockFigures {
	out := blockFigures{formulas: make([][]string, len(blk.indicators)), notShown: make([]string, len(blk.indicators))}
	out.figs, out.units = b.seriesFigures(blk)
	units := make(map[string]string, len(blk.indicators))
	for i, ind := range blk.indicators {
		units[ind] = out.units[i]
	}
	for i, figs := range out.figs {
		var left []stats.Figure
		for j, fg := range figs {
			conv, ok := inUnit(fg, out.units[i])
			if !ok {
				left = append(left, fg)
				figs[j] = stats.Figure{}
				continue
			}
			if fg.Derived() {
				if out.formulas[i] == nil {
					out.formulas[i] = make([]string, len(blk.periods))
				}
				out.formulas[i][j] = b.formula(blk, conv, units)
			}
			figs[j] = conv
		}
		out.notShown[i] = notShown(left, out.units[i])
	}
	for i, ind := range blk.indicators {
		if (ind == "turnover" || ind == "balance") && out.units[i] == "" {
			out.notShown[i] = notComputed(units["exports"], units["imports"])
		}
	}
	return out
}

// notComputed says why a row of turnover or balance without a figure has
// none, when its terms' rows are in units ex and im of two currencies (or
// other bases), which no factor turns into one another; "" otherwise.
func notComputed(ex, im string) string {
	if ex == "" || im == "" {
		return ""
	}
	exBase, _ := stats.SplitUnit(ex)
	imBase, _ := stats.SplitUnit(im)
	if exBase == imBase {
		return ""
	}
	return "not computed: exports in " + ex + ", imports in " + im
}

// seriesFigures returns the figures of a block by indicator and period,
// as published or derived, and the unit of each row (see rowUnits). It
// only reads the block and the index, and is safe for concurrent use.
func (b *builder) seriesFigures(blk *seriesBlock) ([][]stats.Figure, []string) {
	figs := make([][]stats.Figure, len(blk.indicators))
	for i, ind := range blk.indicators {
		k := stats.Key{Reporter: blk.pair.Reporter, Partner: blk.pair.Partner, Indicator: ind}
		figs[i] = make([]stats.Figure, len(blk.periods))
		for j, q := range blk.periods {
			if fg, err := b.x.Figure(k, q); err == nil && fg.Value.Valid {
				figs[i][j] = fg
			}
		}
	}
	return figs, rowUnits(blk.indicators, figs)
}

// notShown says which figures of a row in unit are left out of it, in
// another currency (or base) that no factor turns into unit; "" for none.
func notShown(figs []stats.Figure, unit string) string {
	if len(figs) == 0 {
		return ""
	}
	parts := make([]string, len(figs))
	for i, fg := range figs {
		parts[i] = fg.Period.String() + " " + fg.Value.String() + " " + fg.Unit
	}
	return "not shown, not in " + unit + ": " + strings.Join(parts, ", ")
}

func (b *builder) writeSeriesBlock(rows *cellRows, blk *seriesBlock, bf blockFigures) error {
	row := blk.headerRow
	name := blk.pair.Reporter + "–" + blk.pair.Partner
	if blk.truncated {
		name += " (latest periods)"
	}
	header := []any{
		excelize.Cell{StyleID: b.st.header, Value: name},
		excelize.Cell{StyleID: b.st.header, Value: "unit"},
	}
	for _, q := range blk.periods {
		header = append(header, excelize.Cell{StyleID: b.st.header, Value: q.String()})
	}
	if err := rows.setRow(row, header); err != nil {
		return err
	}
	for i, ind := range blk.indicators {
		r := row + 1 + i
		unit := bf.units[i]
		blk.units[ind] = unit
		cells := []any{b.st.textCell(ind), b.st.textCell(unit)}
		var vals []stats.Value
		for j, fg := range bf.figs[i] {
			if blk.values != nil {
				vals = append(vals, fg.Value)
			}
			if !fg.Value.Valid {
				cells = append(cells, nil)
				continue
			}
			c, err := b.figureCell(fg)
			if err != nil {
				return err
			}
			if fg.Derived() {
				c.Formula = bf.formulas[i][j]
			}
			cells = append(cells, c)
		}
		if blk.values != nil {
			blk.values[ind] = vals
		}
		if n := bf.notShown[i]; n != "" {
			// After the last period: a cell left empty says why.
			cells = append(cells, excelize.Cell{StyleID: b.st.note, Value: n})
		}
		if err := rows.setRow(r, cells); err != nil {
			return err
		}
	}
	return nil
}

// figureCell returns the cell of a figure, its number in its style; the
// caller adds the formula of a derived figure.
func (b *builder) figureCell(fg stats.Figure) (excelize.Cell, error) {
	flagged := fg.Status == stats.Provisional || fg.Status == stats.Estimated
	id, err := b.st.num(numStyle{decimals: fg.Value.Decimals, derived: fg.Derived(), flagged: flagged})
	if err != nil {
		return excelize.Cell{}, err
	}
	return excelize.Cell{StyleID: id, Value: fg.Value.Num}, nil
}

// formula returns the formula of a derived figure, in the unit of its
// row, over the block's cells, whose rows are in units (by indicator), or
// "" when a part is not on the sheet as the same figure in that unit. It
// only reads the block and is safe for concurrent use.
func (b *builder) formula(blk *seriesBlock, fg stats.Figure, units map[string]string) string {
	refs := make([]string, len(fg.Parts))
	cols := make([]int, len(fg.Parts))
	for i, part := range fg.Parts {
		if u := units[part.Key.Indicator]; u != fg.Unit {
			return ""
		}
		if _, ok := inUnit(part, fg.Unit); !ok {
			return ""
		}
		r, ok := blk.rows[part.Key.Indicator]
		if !ok {
			return ""
		}
		q := part.Period
		if part.Obs != nil {
			q = part.Obs.Period
		}
		c, ok := blk.col(q)
		if !ok {
			return ""
		}
		// The cell shows the first published row of its column's period
		// (or of its days); the formula must point at the same row.
		if o, ok := b.x.Published(part.Key, blk.periods[c-firstCol]); part.Obs != nil && (!ok || o != part.Obs) {
			return ""
		}
		refs[i], cols[i] = cell(c, r), c
	}
	switch fg.How {
	case stats.ExportsPlusImports:
		return refs[0] + "+" + refs[1]
	case stats.ExportsMinusImports:
		return refs[0] + "-" + refs[1]
	case stats.SumOfPeriods:
		contiguous := true
		for i := 1; i < len(cols); i++ {
			contiguous = contiguous && cols[i] == cols[i-1]+1
		}
		if contiguous {
			return "SUM(" + refs[0] + ":" + refs[len(refs)-1] + ")"
		}
		return "SUM(" + strings.Join(refs, ",") + ")"
	}
	return ""
}

// periodLabel is the header of a period column on the Summary: "2024-Q3".
func periodLabel(prefix string, p stats.Period) string {
	if p.IsZero() {
		return prefix
	}
	return strings.TrimSpace(prefix + " " + p.String())
}
