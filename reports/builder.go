package reports

import (
	"errors"
	"strconv"
	"strings"

	"github.com/tradedesk/report/stats"
	"github.com/xuri/excelize/v2"
)

// The sheet names.
const (
	sheetSummary = "Summary"
	sheetSeries  = "Series"
	sheetData    = "Data"
	sheetChecks  = "Checks"
	sheetCharts  = "Charts"
	sheetAbout   = "About"
)

// builder holds what the sheets share while a workbook is built.
type builder struct {
	w      *Workbook
	f      *excelize.File
	ds     *stats.Dataset
	x      *stats.Index
	period stats.Period
	errors int
	warns  int

	// dims holds the used range of each streamed sheet, by sheet name.
	dims map[string]string
	// segments holds the rows of each Data sheet, compressed, by sheet
	// name, to be spliced into the sheet's part.
	segments map[string]*segment
	// The rows of the Data sheets, encoded on another goroutine.
	dataEncs   []*rowEncoder
	dataDone   chan error
	dataWaited bool
	dataErr    error

	// voc is the vocabulary of the checks, for the index of each group of
	// pairs (see eachGroup), which x is while the Series is written.
	voc *stats.Vocabulary
	// pairs are the reporter–partner pairs of the data, sorted.
	pairs []stats.Pair
	// summary holds the figures of the Summary's rows, found as the
	// Series is written (see findSummary).
	summary []pairFigures
	// within holds the periods with figures that lie within the
	// workbook's period, to say what the data has when the Summary has
	// no figure of the period (see errNoFiguresOf).
	within map[stats.Period]bool
	// charted holds the rows of the pairs with charts, when the workbook
	// embeds their images (see keepCharted).
	charted []stats.Observation
	// observations and sources count the observations, and by source.
	observations int
	sources      map[string]int
	// rowsOf holds, of data read from Workbook.Rows, the rows of each
	// pair; rowOf the row of each finding's place, from 0 (see survey).
	rowsOf map[stats.Pair]int
	rowOf  map[placeKey]int

	st     styles
	data   dataLayout
	series seriesLayout
	charts chartCache
}

// errNoPeriod is the error of a workbook without a period and of data
// that has none to default to.
var errNoPeriod = errors.New("no period to report on: the data has no flows by year, quarter or month; name one")

func newBuilder(w *Workbook) (*builder, error) {
	var voc *stats.Vocabulary
	if w.Config != nil {
		voc = w.Config.Vocabulary
	}
	b := &builder{w: w, f: excelize.NewFile(), ds: w.Data, voc: voc, period: w.Period, dims: map[string]string{}, segments: map[string]*segment{}}
	b.errors, b.warns = stats.Count(w.Findings)
	if w.Rows != nil {
		// The rest is known once the rows have been read (see survey).
		return b, nil
	}
	if b.period.IsZero() {
		var ok bool
		if b.period, ok = DefaultPeriod(w.Data); !ok {
			return nil, errNoPeriod
		}
	}
	b.pairs = w.Data.Pairs()
	b.data = newDataLayout(w.Data)
	b.observations = len(w.Data.Obs)
	b.sources = map[string]int{}
	for i := range w.Data.Obs {
		b.sources[w.Data.Obs[i].Source]++
	}
	return b, nil
}

func (b *builder) build() error {
	f := b.f
	if err := b.st.init(f); err != nil {
		return err
	}
	if b.w.Rows != nil {
		if err := b.survey(); err != nil {
			return err
		}
	}
	// The sheets exist in their final order before any is written.
	if err := f.SetSheetName("Sheet1", sheetSummary); err != nil {
		return err
	}
	names := []string{sheetSeries}
	names = append(names, b.data.sheets...)
	names = append(names, sheetChecks, sheetCharts, sheetAbout)
	for _, n := range names {
		if _, err := f.NewSheet(n); err != nil {
			return err
		}
	}
	if err := b.startData(); err != nil {
		return err
	}
	steps := []func() error{b.writeSeries, b.writeSummary, b.writeData, b.writeChecks, b.writeCharts, b.writeImages, b.writeAbout, b.props}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	// Summary, the renamed first sheet, stays the active one. Calling
	// SetActiveSheet here would make excelize read every streamed sheet
	// back into memory.
	return nil
}

// setDim records the used range A1:(cols, rows) of a streamed sheet.
func (b *builder) setDim(sheet string, cols, rows int) {
	b.dims[sheet] = "A1:" + cell(max(cols, 1), max(rows, 1))
}

// partDims returns the used ranges by the name of the sheets' parts.
func (b *builder) partDims() map[string]string {
	out := map[string]string{}
	for id, name := range b.f.GetSheetMap() {
		if d, ok := b.dims[name]; ok {
			out["xl/worksheets/sheet"+strconv.Itoa(id)+".xml"] = d
		}
	}
	return out
}

// partSegments returns the function that gives detZip the segment of
// rows of a part, by the part's name.
func (b *builder) partSegments() func(name string) *segment {
	out := map[string]*segment{}
	for id, name := range b.f.GetSheetMap() {
		if s, ok := b.segments[name]; ok {
			out["xl/worksheets/sheet"+strconv.Itoa(id)+".xml"] = s
		}
	}
	return func(name string) *segment { return out[name] }
}

// close removes the temporary files of the segments and closes the file.
func (b *builder) close() {
	b.waitData()
	for _, e := range b.dataEncs {
		e.seg.close()
	}
	for _, seg := range b.segments {
		seg.close()
	}
	b.f.Close()
}

func (b *builder) props() error {
	f := b.f
	asOf := b.w.AsOf.UTC().Format("2006-01-02T15:04:05Z")
	var names []string
	for i, p := range b.pairs {
		if i == 5 {
			names = append(names, "…")
			break
		}
		names = append(names, p.Reporter+"–"+p.Partner)
	}
	creator := "report"
	if b.w.Version != "" {
		creator += " " + b.w.Version
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:          "Trade and FDI report " + b.period.String(),
		Subject:        "Bilateral trade and foreign direct investment, " + strings.Join(names, ", ") + ", " + b.period.String(),
		Creator:        creator,
		LastModifiedBy: creator,
		Keywords:       "trade; exports; imports; turnover; balance; FDI; " + b.period.String(),
		Description:    "Figures checked for consistency; see the Checks and About sheets.",
		Category:       "statistics",
		Created:        asOf,
		Modified:       asOf,
		Language:       "en",
	}); err != nil {
		return err
	}
	yes := true
	return f.SetCalcProps(&excelize.CalcPropsOptions{FullCalcOnLoad: &yes})
}

// styles are the cell styles of the workbook, made once in a fixed order so
// that their numbers do not depend on the data.
type styles struct {
	f       *excelize.File
	title   int
	note    int
	header  int
	banner  int
	ok      int
	text    int // the text number format, for text a spreadsheet would take for a formula
	link    int
	errRow  int
	warnRow int
	errText int // errRow with the text number format
	wrnText int // warnRow with the text number format
	errLink int // errRow with a link's font
	wrnLink int // warnRow with a link's font
	pct     int
	pctDer  int
	nums    map[numStyle]int
}

// numStyle is the look of a number: its decimals, whether it is derived,
// and whether it is provisional or estimated.
type numStyle struct {
	decimals int
	derived  bool
	flagged  bool
}

func (s *styles) init(f *excelize.File) error {
	s.f = f
	s.nums = map[numStyle]int{}
	var err error
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	border := []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}
	s.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	s.note = mk(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "555555"}})
	s.header = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	s.banner = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"C00000"}}})
	s.ok = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "006100"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"C6EFCE"}}})
	s.text = mk(&excelize.Style{NumFmt: 49})
	s.link = mk(&excelize.Style{Font: &excelize.Font{Color: "0563C1", Underline: "single"}})
	s.errRow = mk(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}},
		Font: &excelize.Font{Color: "9C0006"}})
	s.warnRow = mk(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFEB9C"}},
		Font: &excelize.Font{Color: "9C5700"}})
	s.errText = mk(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}},
		Font: &excelize.Font{Color: "9C0006"}, NumFmt: 49})
	s.wrnText = mk(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFEB9C"}},
		Font: &excelize.Font{Color: "9C5700"}, NumFmt: 49})
	s.errLink = mk(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}},
		Font: &excelize.Font{Color: "0563C1", Underline: "single"}})
	s.wrnLink = mk(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFEB9C"}},
		Font: &excelize.Font{Color: "0563C1", Underline: "single"}})
	pct := "0.0%"
	s.pct = mk(&excelize.Style{CustomNumFmt: &pct})
	s.pctDer = mk(&excelize.Style{CustomNumFmt: &pct, Font: &excelize.Font{Italic: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	// The usual precisions, so that their numbers are fixed too.
	for d := 0; d <= 3; d++ {
		for _, der := range []bool{false, true} {
			for _, fl := range []bool{false, true} {
				if _, err := s.num(numStyle{d, der, fl}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// num returns the style of a number: thousands separated, at its
// decimals; derived figures in italics on blue, provisional or estimated
// ones in orange.
func (s *styles) num(k numStyle) (int, error) {
	k.decimals = min(max(k.decimals, 0), 15)
	if id, ok := s.nums[k]; ok {
		return id, nil
	}
	format := "#,##0"
	if k.decimals > 0 {
		format += "." + strings.Repeat("0", k.decimals)
	}
	st := &excelize.Style{CustomNumFmt: &format}
	if k.derived {
		st.Font = &excelize.Font{Italic: true}
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}
	}
	if k.flagged {
		if st.Font == nil {
			st.Font = &excelize.Font{}
		}
		st.Font.Color = "C65911"
	}
	id, err := s.f.NewStyle(st)
	if err != nil {
		return 0, err
	}
	s.nums[k] = id
	return id, nil
}

// formulaLike reports whether a spreadsheet would take text typed into a
// cell for a formula: it begins with =, +, -, @, a tab or a carriage
// return.
func formulaLike(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

// textCell returns s as a cell value that is always text: text that looks
// like a formula gets the text number format, so that it stays text even
// when an editor retypes it. Text too long for a cell is cut with a mark
// (see cellText).
func (s *styles) textCell(text string) any {
	text = cellText(text)
	if formulaLike(text) {
		return excelize.Cell{StyleID: s.text, Value: text}
	}
	return text
}

// setText writes text into a cell of a sheet in normal mode, always as a
// string.
func (b *builder) setText(sheet, cell, text string) error {
	text = cellText(text)
	if err := b.f.SetCellStr(sheet, cell, text); err != nil {
		return err
	}
	if formulaLike(text) {
		return b.f.SetCellStyle(sheet, cell, cell, b.st.text)
	}
	return nil
}

// cell names the cell at column col and row row, both 1-based.
func cell(col, row int) string {
	c, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		panic("reports: " + err.Error())
	}
	return c
}

// absRef returns the absolute reference 'Sheet'!$A$1:$B$1 of a range.
func absRef(sheet string, c1, r1, c2, r2 int) string {
	a, _ := excelize.CoordinatesToCellName(c1, r1, true)
	z, _ := excelize.CoordinatesToCellName(c2, r2, true)
	if a == z {
		return quoteSheet(sheet) + "!" + a
	}
	return quoteSheet(sheet) + "!" + a + ":" + z
}

func quoteSheet(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// statusWord names a status in flags: provisional, estimated, missing.
func statusWord(s stats.Status) string {
	switch s {
	case stats.Provisional:
		return "provisional"
	case stats.Estimated:
		return "estimated"
	case stats.Missing:
		return "missing"
	}
	return ""
}

// howText explains how a figure was derived: "sum of 2024-07…2024-09",
// "exports + imports".
func howText(fg stats.Figure) string {
	switch fg.How {
	case stats.SumOfPeriods:
		return "sum of " + strconv.Itoa(len(fg.Parts)) + " " + fg.Parts[0].Period.Kind().String() + "s " +
			fg.Parts[0].Period.String() + "…" + fg.Parts[len(fg.Parts)-1].Period.String()
	case stats.ExportsPlusImports, stats.ExportsMinusImports:
		return fg.How.String()
	}
	return ""
}
