package reports

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

// TestCellRowsAsExcelize checks that cellRows writes the XML that
// excelize's StreamWriter writes for the same rows: texts that need
// escaping or keep white space, with and without a style; numbers of
// every kind, NaN and infinities among them, with and without a formula;
// cells left out; and rows past column Z and after gaps.
func TestCellRowsAsExcelize(t *testing.T) {
	texts := []string{
		"plain", "", " lead", "trail\t", "a\nb", "<&>\"'", "=1+2", "_x0041_", "Ünïcödé – ✓", "bad\x01ctl", "\xff\xfe",
		strings.Repeat("é", excelize.TotalCellChars+5),
	}
	values := []float64{0, -1, 0.1, 1234567.891, 1e21, 123456789012345678, 0.1234567890123456789, math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN()}
	formulas := []string{"", "C5+D5", "SUM(C5:AB5)", "(C5-D5)/D5", `HYPERLINK("#'Data'!A1","x<y & z")`}
	var rows [][]any
	for i := range 40 {
		var row []any
		for j := range 3 + i%30 {
			switch k := i*7 + j; k % 5 {
			case 0:
				row = append(row, texts[k%len(texts)])
			case 1:
				row = append(row, excelize.Cell{StyleID: k % 4, Value: texts[k%len(texts)]})
			case 2:
				row = append(row, nil)
			default:
				row = append(row, excelize.Cell{StyleID: k % 3, Value: values[k%len(values)], Formula: formulas[k%len(formulas)]})
			}
		}
		rows = append(rows, row)
	}

	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	w := newCellRows(t.TempDir())
	for i, row := range rows {
		r := 2 + i + i/10 // with gaps
		if err := sw.SetRow(cell(1, r), row); err != nil {
			t.Fatal(err)
		}
		if err := w.setRow(r, row); err != nil {
			t.Fatal(err)
		}
	}
	want := streamedRows(t, f, sw)
	if diff := cmp.Diff(splitRows(want), splitRows(segmentText(t, &w.segWriter))); diff != "" {
		t.Errorf("rows mismatch (-excelize +cellRows):\n%s", diff)
	}
}

// TestCellRowsRefuses checks that cells the workbook never writes are an
// error rather than a cell unlike excelize's.
func TestCellRowsRefuses(t *testing.T) {
	for _, v := range []any{1, true, excelize.Cell{StyleID: 2}, excelize.Cell{Value: "x", Formula: "A1"}} {
		w := newCellRows(t.TempDir())
		if err := w.setRow(1, []any{v}); err == nil {
			t.Errorf("setRow(%#v): no error", v)
		}
		w.seg.close()
	}
}
