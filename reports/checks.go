package reports

import (
	"math"
	"strconv"
	"strings"

	"github.com/tradedesk/report/stats"
	"github.com/xuri/excelize/v2"
)

// checkColumns are the headers of the Checks sheet.
var checkColumns = []string{"severity", "rule", "series", "message", "expected", "actual", "difference", "tolerance", "row", "other rows"}

// checksHeaderRow is the row of the Checks sheet's column headers.
const checksHeaderRow = 4

// writeChecks streams the findings into the Checks sheet, one a row,
// coloured by severity. The row of each finding links to its Data row with
// a HYPERLINK formula that carries its text as the cached value: a sheet
// holds at most 65,530 hyperlinks of the other kind, and a large file's
// findings run past that; and streaming keeps the memory bounded.
func (b *builder) writeChecks() error {
	sw, err := b.f.NewStreamWriter(sheetChecks)
	if err != nil {
		return err
	}
	var spans []colSpan
	for i, w := range []float64{10, 12, 30, 90, 12, 12, 12, 12, 28, 40} {
		spans = append(spans, colSpan{i + 1, i + 1, w})
	}
	if err := setColWidths(sw, spans); err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: checksHeaderRow, TopLeftCell: cell(1, checksHeaderRow+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	title := "Checks: every finding"
	if len(b.w.Findings) == 0 {
		title = "Checks: every rule holds"
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: b.st.title, Value: title}}); err != nil {
		return err
	}
	note := "Errors in red, warnings in yellow. Expected is what the other figures imply, actual what the data says; " +
		"difference = actual − expected; tolerance is the largest difference the rule allows. The row links to the figure on the Data sheet."
	if err := sw.SetRow("A2", []any{excelize.Cell{StyleID: b.st.note, Value: note}}); err != nil {
		return err
	}
	header := make([]any, len(checkColumns))
	for i, h := range checkColumns {
		header[i] = excelize.Cell{StyleID: b.st.header, Value: h}
	}
	if err := sw.SetRow(cell(1, checksHeaderRow), header); err != nil {
		return err
	}
	maxRows := excelize.TotalRows - checksHeaderRow - 1
	row := make([]any, len(checkColumns))
	for i := range b.w.Findings {
		fd := &b.w.Findings[i]
		r := checksHeaderRow + 1 + i
		if i == maxRows {
			more := "… and " + strconv.Itoa(len(b.w.Findings)-i) + " more findings: run report check for all of them."
			if err := sw.SetRow(cell(1, r), []any{more}); err != nil {
				return err
			}
			break
		}
		style, text, link := b.st.warnRow, b.st.wrnText, b.st.wrnLink
		if fd.Severity == stats.Error {
			style, text, link = b.st.errRow, b.st.errText, b.st.errLink
		}
		txt := func(s string) excelize.Cell {
			if formulaLike(s) {
				return excelize.Cell{StyleID: text, Value: s}
			}
			return excelize.Cell{StyleID: style, Value: s}
		}
		for j := range row {
			row[j] = excelize.Cell{StyleID: style}
		}
		row[0] = txt(fd.Severity.String())
		row[1] = txt(fd.Rule)
		row[2] = txt(fd.Series)
		row[3] = txt(fd.Message)
		if fd.Numbers {
			for j, x := range []float64{fd.Expected, fd.Actual, fd.Difference, fd.Tolerance} {
				dec := fd.Decimals
				if j == 3 {
					dec++ // a tolerance of 0.65 needs its second decimal
				}
				row[4+j] = excelize.Cell{StyleID: style, Value: round(x, dec)}
			}
		}
		pos := fd.Pos().String()
		row[8] = txt(pos)
		if dsh, drow, ok := b.locate(fd.Pos()); ok {
			target := "#" + quoteSheet(dsh) + "!A" + strconv.Itoa(drow)
			row[8] = excelize.Cell{StyleID: link, Formula: "HYPERLINK(" + formulaString(target) + "," + formulaString(pos) + ")", Value: pos}
		}
		if len(fd.Rows) > 1 {
			others := make([]string, 0, len(fd.Rows)-1)
			for _, p := range fd.Rows[1:] {
				others = append(others, p.String())
			}
			row[9] = txt(strings.Join(others, ", "))
		}
		if err := sw.SetRow(cell(1, r), row); err != nil {
			return err
		}
	}
	last := checksHeaderRow + min(len(b.w.Findings), maxRows+1)
	b.setDim(sheetChecks, len(checkColumns), last)
	return sw.Flush()
}

// formulaString writes s as a string literal of a formula: in double
// quotes, with every double quote doubled, so that no text can end the
// literal and become part of the formula.
func formulaString(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// round rounds x to the given decimals, for numbers shown as the finding
// prints them.
func round(x float64, decimals int) float64 {
	p := math.Pow(10, float64(min(max(decimals, 0), 15)))
	return math.Round(x*p) / p
}
