package reports

import (
	"strconv"
	"strings"

	"github.com/tradedesk/report/stats"
	"github.com/xuri/excelize/v2"
)

// checkColumns are the headers of the Checks sheet.
var checkColumns = []string{"severity", "rule", "series", "message", "expected", "actual", "difference", "tolerance", "row", "other rows"}

func (b *builder) writeChecks() error {
	f := b.f
	const sh = sheetChecks
	widths := []float64{10, 12, 30, 90, 12, 12, 12, 12, 24, 40}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, col, col, w); err != nil {
			return err
		}
	}
	title := "Checks: every finding"
	if len(b.w.Findings) == 0 {
		title = "Checks: every rule holds"
	}
	if err := f.SetCellStr(sh, "A1", title); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "A1", "A1", b.st.title); err != nil {
		return err
	}
	if err := f.SetCellStr(sh, "A2", "Errors in red, warnings in yellow. Expected is what the other figures imply, actual what the data says; "+
		"difference = actual − expected; tolerance is the largest difference the rule allows. The row links to the figure on the Data sheet."); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "A2", "A2", b.st.note); err != nil {
		return err
	}
	const hr = 4
	for i, h := range checkColumns {
		if err := f.SetCellStr(sh, cell(i+1, hr), h); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sh, cell(1, hr), cell(len(checkColumns), hr), b.st.header); err != nil {
		return err
	}
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: hr, TopLeftCell: cell(1, hr+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i := range b.w.Findings {
		fd := &b.w.Findings[i]
		r := hr + 1 + i
		style := b.st.warnRow
		if fd.Severity == stats.Error {
			style = b.st.errRow
		}
		if err := f.SetCellStyle(sh, cell(1, r), cell(len(checkColumns), r), style); err != nil {
			return err
		}
		texts := map[int]string{1: fd.Severity.String(), 2: fd.Rule, 3: fd.Series, 4: fd.Message}
		for c := 1; c <= 4; c++ {
			if err := b.setText(sh, cell(c, r), texts[c]); err != nil {
				return err
			}
		}
		if fd.Numbers {
			for j, x := range []float64{fd.Expected, fd.Actual, fd.Difference, fd.Tolerance} {
				dec := fd.Decimals
				if j == 3 {
					dec++ // a tolerance of 0.65 needs its second decimal
				}
				if err := f.SetCellFloat(sh, cell(5+j, r), x, dec, 64); err != nil {
					return err
				}
			}
		}
		pos := fd.Pos()
		if err := b.setText(sh, cell(9, r), pos.String()); err != nil {
			return err
		}
		if dsh, drow, ok := b.data.locate(b.ds, pos); ok {
			if err := f.SetCellHyperLink(sh, cell(9, r), quoteSheet(dsh)+"!A"+strconv.Itoa(drow), "Location",
				excelize.HyperlinkOpts{Tooltip: strPtr("Go to the row on the " + dsh + " sheet")}); err != nil {
				return err
			}
		}
		if len(fd.Rows) > 1 {
			var others []string
			for _, p := range fd.Rows[1:] {
				others = append(others, p.String())
			}
			if err := b.setText(sh, cell(10, r), strings.Join(others, ", ")); err != nil {
				return err
			}
		}
	}
	return nil
}

func strPtr(s string) *string { return &s }
