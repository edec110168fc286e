package reports

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// cellRows writes rows of cells into a segment, as excelize's
// StreamWriter.SetRow writes them (see rowEncoder, which does the same for
// the Data sheets' fixed columns): the Series sheet's blocks, a figure a
// cell, are most of a workbook's cells after the Data rows, and through
// the StreamWriter they cost a temporary file of their XML, read back and
// compressed on one core when the archive is written.
type cellRows struct {
	segWriter
	cols [][]byte // the letters of each column, from 1, as they are needed
}

func newCellRows(tmpDir string) *cellRows {
	return &cellRows{segWriter: newSegWriter(tmpDir), cols: [][]byte{nil}}
}

// newRows returns the writer of the rows of a streamed sheet that come
// after those its StreamWriter writes: their segment is spliced in before
// </sheetData> (see detZip) once finished, and closed with the builder.
func (b *builder) newRows(sheet string) *cellRows {
	rows := newCellRows(b.w.TmpDir)
	b.segments[sheet] = rows.seg
	return rows
}

// col returns the letters of column c.
func (w *cellRows) col(c int) ([]byte, error) {
	for len(w.cols) <= c {
		name, err := excelize.ColumnNumberToName(len(w.cols))
		if err != nil {
			return nil, err
		}
		w.cols = append(w.cols, []byte(name))
	}
	return w.cols[c], nil
}

// setRow writes the cells of row r, from column 1, as StreamWriter.SetRow
// does: a nil cell is left out; a string is an inline string; an
// excelize.Cell gives its style and a string or float64 value, and a
// float64 its formula. Rows must come in order. Other values are an
// error, as the workbook writes none.
func (w *cellRows) setRow(r int, cells []any) error {
	var num [20]byte
	row := strconv.AppendInt(num[:0], int64(r), 10)
	b := append(w.buf, `<row r="`...)
	b = append(b, row...)
	b = append(b, `">`...)
	for i, v := range cells {
		if v == nil {
			continue
		}
		col, err := w.col(i + 1)
		if err != nil {
			return err
		}
		style, formula := 0, ""
		if c, ok := v.(excelize.Cell); ok {
			style, formula, v = c.StyleID, c.Formula, c.Value
		}
		b = append(b, `<c r="`...)
		b = append(b, col...)
		b = append(b, row...)
		b = append(b, '"')
		switch v := v.(type) {
		case string:
			if formula != "" {
				return fmt.Errorf("reports: a formula cell with text, %q", v)
			}
			b = appendTextCell(b, style, v)
		case float64:
			if style != 0 {
				b = append(b, ` s="`...)
				b = strconv.AppendInt(b, int64(style), 10)
				b = append(b, '"')
			}
			text := math.IsNaN(v) || math.IsInf(v, 0)
			if text {
				b = append(b, ` t="inlineStr"`...)
			}
			b = append(b, '>')
			if formula != "" {
				b = append(b, `<f>`...)
				b = appendEscaped(b, formula)
				b = append(b, `</f>`...)
			}
			if text {
				b = append(b, `<is><t>`...)
				b = append(b, fmt.Sprint(v)...)
				b = append(b, `</t></is></c>`...)
				continue
			}
			b = append(b, `<v>`...)
			b = appendFloat15(b, v)
			b = append(b, `</v></c>`...)
		default:
			return fmt.Errorf("reports: a cell of %T", v)
		}
	}
	b = append(b, `</row>`...)
	w.buf = b
	if len(b) >= flushAt {
		return w.flush()
	}
	return nil
}

// appendEscaped appends s escaped as encoding/xml.EscapeText escapes it.
func appendEscaped(b []byte, s string) []byte {
	if !needsEscape(s) {
		return append(b, s...)
	}
	var esc bytes.Buffer
	_ = xml.EscapeText(&esc, []byte(s))
	return append(b, esc.Bytes()...)
}

// colSpan is the width of the columns first to last of a sheet.
type colSpan struct {
	first, last int
	width       float64
}

// setColWidths sets the widths of a streamed sheet's columns, spans in
// ascending order of columns. excelize's StreamWriter lists the columns
// of each call before those of the calls made before it, and Office reads
// <col> elements out of ascending order as damage and offers to repair
// the workbook: the spans are set from the last.
func setColWidths(sw *excelize.StreamWriter, spans []colSpan) error {
	for i := len(spans) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(spans[i].first, spans[i].last, spans[i].width); err != nil {
			return err
		}
	}
	return nil
}
