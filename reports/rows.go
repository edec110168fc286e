package reports

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tradedesk/report/stats"
	"github.com/xuri/excelize/v2"
)

// The rows of a Data sheet are not written through excelize's
// StreamWriter, which costs about 3 µs a row of eleven cells (a cell
// reference, a boxed value, an escaped copy of each text and a temporary
// file that is read back) and cannot start compressing before the archive
// is written. A rowEncoder writes the <row> elements that the
// StreamWriter would write, with the same cell types, styles and escaping,
// straight into a compressed segment; the sheet around them (its columns,
// frozen pane, header and table) is still made by excelize, and detZip
// splices the segment in before </sheetData>.

// segment is a run of a part compressed ahead of time: raw deflate blocks
// that each end with a sync flush, so that it can stand between other
// blocks of the part's stream, with the CRC-32 and size of what it holds.
type segment struct {
	sp   spool
	crc  uint32
	size int64
}

func (s *segment) close() { s.sp.close() }

// segWriter collects the XML of rows and hands it to a compressor a run
// of flushAt bytes at a time, into a segment.
type segWriter struct {
	seg *segment
	fw  *deflater
	buf []byte
}

func newSegWriter(tmpDir string) segWriter {
	seg := &segment{sp: spool{tmpDir: tmpDir}}
	return segWriter{seg: seg, fw: newDeflater(&seg.sp), buf: make([]byte, 0, flushAt+4096)}
}

// rowEncoder writes the rows of one Data sheet into a segment.
type rowEncoder struct {
	segWriter
	textStyle int   // the style of formula-like text
	rows      int   // the rows written so far
	widths    []int // the width each column needs, in characters
	// texts holds the cell of each text seen, after its reference: a file
	// has few distinct codes, units, sources and periods and many rows.
	texts   map[string][]byte
	periods map[stats.Period][]byte
	nums    map[numStyle][]byte // ` s="12"` by style
	// newStyle, when not nil, makes the styles nums lacks; otherwise
	// nums must hold all that the rows need.
	newStyle func(numStyle) (int, error)
}

// flushAt is how many bytes of rows an encoder collects before it hands
// them to the compressor.
const flushAt = 64 << 10

// newRowEncoder returns an encoder that gives formula-like text the style
// text and values the style attribute nums holds for their
// [valueStyle], which must hold every one the rows need.
func newRowEncoder(text int, nums map[numStyle][]byte, tmpDir string) *rowEncoder {
	e := &rowEncoder{
		segWriter: newSegWriter(tmpDir), textStyle: text,
		texts: map[string][]byte{}, periods: map[stats.Period][]byte{}, nums: nums,
	}
	e.widths = make([]int, len(dataColumns))
	for i, h := range dataColumns {
		e.widths[i] = len(h) + 3 // room for the filter button
	}
	e.widths[dcLine-1] = max(e.widths[dcLine-1], 9)
	e.widths[dcPeriod-1] = max(e.widths[dcPeriod-1], 16)
	e.widths[dcValue-1] = max(e.widths[dcValue-1], 12)
	return e
}

// addAll writes the observations as the next rows, and on an error
// removes the segment.
func (e *rowEncoder) addAll(obs []stats.Observation) error {
	for i := range obs {
		if err := e.add(&obs[i]); err != nil {
			e.seg.close()
			return err
		}
	}
	return nil
}

func (e *rowEncoder) fit(col, n int) {
	if n > e.widths[col-1] {
		e.widths[col-1] = n
	}
}

// colNames are the letters of the Data columns.
var colNames = [...]string{"", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"}

// add writes observation o as the next row.
func (e *rowEncoder) add(o *stats.Observation) error {
	e.rows++
	r := e.rows + 1 // under the header
	e.fit(dcFile, utf8.RuneCountInString(o.Pos.File))
	e.fit(dcReporter, len(o.Reporter))
	e.fit(dcPartner, len(o.Partner))
	e.fit(dcIndicator, len(o.Indicator))
	e.fit(dcUnit, utf8.RuneCountInString(o.Unit))
	e.fit(dcSource, utf8.RuneCountInString(o.Source))
	e.fit(dcNote, utf8.RuneCountInString(o.Note))

	var num [20]byte
	row := strconv.AppendInt(num[:0], int64(r), 10)
	b := append(e.buf, `<row r="`...)
	b = append(b, row...)
	b = append(b, `">`...)
	b = e.text(b, dcFile, row, o.Pos.File)
	b = e.ref(b, dcLine, row)
	b = append(b, `><v>`...)
	b = strconv.AppendInt(b, int64(o.Pos.Line), 10)
	b = append(b, `</v></c>`...)
	b = e.text(b, dcReporter, row, o.Reporter)
	b = e.text(b, dcPartner, row, o.Partner)
	b = e.text(b, dcIndicator, row, o.Indicator)
	pv, ok := e.periods[o.Period]
	if !ok {
		pv = e.textCell(o.Period.String())
		if len(e.periods) < 1<<16 {
			e.periods[o.Period] = pv
		}
	}
	b = e.ref(b, dcPeriod, row)
	b = append(b, pv...)
	if o.Value.Valid {
		k := valueStyle(o)
		s, ok := e.nums[k]
		if !ok {
			if e.newStyle == nil {
				panic("reports: no style for a value")
			}
			id, err := e.newStyle(k)
			if err != nil {
				return err
			}
			s = []byte(` s="` + strconv.Itoa(id) + `"`)
			e.nums[k] = s
		}
		b = e.ref(b, dcValue, row)
		b = appendNumber(b, s, o.Value.Num)
	}
	b = e.text(b, dcUnit, row, o.Unit)
	b = e.text(b, dcStatus, row, o.Status.String())
	b = e.text(b, dcSource, row, o.Source)
	if o.Note != "" {
		b = e.text(b, dcNote, row, o.Note)
	}
	b = append(b, `</row>`...)
	e.buf = b
	if len(b) >= flushAt {
		return e.flush()
	}
	return nil
}

// ref appends the start of the cell at col and row, up to its attributes.
func (e *rowEncoder) ref(b []byte, col int, row []byte) []byte {
	b = append(b, `<c r="`...)
	b = append(b, colNames[col]...)
	b = append(b, row...)
	return append(b, '"')
}

// text appends the cell at col and row that holds s as text.
func (e *rowEncoder) text(b []byte, col int, row []byte, s string) []byte {
	b = e.ref(b, col, row)
	if c, ok := e.texts[s]; ok {
		return append(b, c...)
	}
	c := e.textCell(s)
	if len(e.texts) < 1<<16 {
		e.texts[s] = c
	}
	return append(b, c...)
}

// textCell returns the rest of a cell that holds s as an inline string,
// after its reference, as [styles.textCell] would store it.
func (e *rowEncoder) textCell(s string) []byte {
	s = cellText(s)
	style := 0
	if formulaLike(s) {
		style = e.textStyle
	}
	return appendTextCell(nil, style, s)
}

// appendTextCell appends the rest of a cell that holds s as an inline
// string, after its reference: its style (none when 0), type and text.
func appendTextCell(b []byte, style int, s string) []byte {
	if style != 0 {
		b = append(b, ` s="`...)
		b = strconv.AppendInt(b, int64(style), 10)
		b = append(b, '"')
	}
	b = append(b, ` t="inlineStr"><is><t`...)
	return append(appendInlineText(b, s), `</t></is></c>`...)
}

// appendInlineText appends the attributes and content of the <t> element
// of an inline string, escaped as excelize escapes it: cut to the
// 32,767 UTF-16 units a cell can hold, xml:space="preserve" when it
// begins or ends with white space, XML special and invalid characters
// escaped (line feeds kept as they are), and text that reads as an
// escaped character (_x0041_) escaped in turn (_x005F_x0041_).
func appendInlineText(b []byte, s string) []byte {
	if len(s) > excelize.TotalCellChars {
		s = truncateUTF16(s, excelize.TotalCellChars)
	}
	if s != "" && (strings.IndexByte("\t\n\r ", s[0]) >= 0 || strings.IndexByte("\t\n\r ", s[len(s)-1]) >= 0) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	if !needsEscape(s) {
		return append(b, s...)
	}
	var esc bytes.Buffer
	_ = xml.EscapeText(&esc, []byte(s))
	t := bytes.ReplaceAll(esc.Bytes(), []byte("&#xA;"), []byte("\n"))
	for i := 0; i < len(t); i++ {
		if t[i] == '_' && escapedChar(t[i+1:]) {
			b = append(b, "_x005F"...)
		}
		b = append(b, t[i])
	}
	return b
}

// needsEscape reports whether s has a byte that appendInlineText has to
// look at more closely.
func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20, c >= 0x80, c == '&', c == '<', c == '>', c == '"', c == '\'', c == '_':
			return true
		}
	}
	return false
}

// escapedChar reports whether b begins with xHHHH_, which after an
// underscore reads as an escaped character.
func escapedChar(b []byte) bool {
	if len(b) < 6 || b[0] != 'x' || b[5] != '_' {
		return false
	}
	for _, c := range b[1:5] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// cellText returns s as a cell holds it: text longer than the 32,767
// UTF-16 units of a cell (a note pasted whole from a report) is cut, and
// ends in "…", so that a reader sees that it goes on in the input, where
// a cell cut silently would read as all of it.
func cellText(s string) string {
	// A UTF-16 unit takes at least a byte of UTF-8.
	if len(s) <= excelize.TotalCellChars || len(truncateUTF16(s, excelize.TotalCellChars)) == len(s) {
		return s
	}
	return truncateUTF16(s, excelize.TotalCellChars-1) + "…"
}

// truncateUTF16 cuts s to at most n UTF-16 code units, at a character
// boundary.
func truncateUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		k := utf16.RuneLen(r)
		if k < 0 {
			k = 1
		}
		if units+k > n {
			return s[:i]
		}
		units += k
	}
	return s
}

// appendNumber appends the rest of a number cell with style attribute s:
// the value as excelize writes a float64, in plain decimal notation cut to
// Excel's 15 significant digits; NaN and infinities, which a cell cannot
// hold as numbers, as text.
func appendNumber(b, s []byte, v float64) []byte {
	b = append(b, s...)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		b = append(b, ` t="inlineStr"><is><t>`...)
		b = append(b, fmt.Sprint(v)...)
		return append(b, `</t></is></c>`...)
	}
	b = append(b, `><v>`...)
	b = appendFloat15(b, v)
	return append(b, `</v></c>`...)
}

// appendFloat15 appends v as strconv.FormatFloat(v, 'f', -1, 64) does,
// with the digits past the 15th significant one cut (after the decimal
// point) or zeroed (before it), as excelize does.
func appendFloat15(b []byte, v float64) []byte {
	start := len(b)
	b = strconv.AppendFloat(b, v, 'f', -1, 64)
	if math.Abs(v) == math.MaxFloat64 {
		return b
	}
	const maxPrec = 15
	str := b[start:]
	decimal := bytes.IndexByte(str, '.')
	significant := 0
	for idx, c := range str {
		if c < '0' || c > '9' || significant == 0 && c == '0' {
			continue
		}
		significant++
		if significant <= maxPrec {
			continue
		}
		if decimal >= 0 && idx > decimal {
			return bytes.TrimSuffix(b[:start+idx], []byte("."))
		}
		if decimal < 0 {
			decimal = len(str)
		}
		for ; idx < decimal; idx++ {
			str[idx] = '0'
		}
		return b[:start+decimal]
	}
	return b
}

// flush hands the rows collected so far to the compressor.
func (w *segWriter) flush() error {
	w.seg.crc = crc32.Update(w.seg.crc, crc32.IEEETable, w.buf)
	w.seg.size += int64(len(w.buf))
	_, err := w.fw.Write(w.buf)
	w.buf = w.buf[:0]
	return err
}

// finish compresses the last rows and returns the segment.
func (w *segWriter) finish() (*segment, error) {
	if err := w.flush(); err != nil {
		w.seg.close()
		return nil, err
	}
	if err := w.fw.Flush(); err != nil {
		w.seg.close()
		return nil, err
	}
	return w.seg, nil
}

// crc32Combine returns the CRC-32 (IEEE) of the concatenation of two byte
// strings from the CRC-32 of each and the length of the second, as zlib's
// crc32_combine does: appending len2 zero bytes to the first is a linear
// map over GF(2), applied by repeated squaring of the one-zero-bit
// operator.
func crc32Combine(crc1, crc2 uint32, len2 int64) uint32 {
	if len2 <= 0 {
		return crc1 ^ crc2
	}
	var even, odd [32]uint32
	odd[0] = 0xedb88320 // the reversed polynomial
	row := uint32(1)
	for n := 1; n < 32; n++ {
		odd[n] = row
		row <<= 1
	}
	gf2Square(&even, &odd) // two zero bits
	gf2Square(&odd, &even) // four zero bits
	for {
		gf2Square(&even, &odd)
		if len2&1 != 0 {
			crc1 = gf2Times(&even, crc1)
		}
		len2 >>= 1
		if len2 == 0 {
			break
		}
		gf2Square(&odd, &even)
		if len2&1 != 0 {
			crc1 = gf2Times(&odd, crc1)
		}
		len2 >>= 1
		if len2 == 0 {
			break
		}
	}
	return crc1 ^ crc2
}

func gf2Times(mat *[32]uint32, vec uint32) uint32 {
	var sum uint32
	for i := 0; vec != 0; i, vec = i+1, vec>>1 {
		if vec&1 != 0 {
			sum ^= mat[i]
		}
	}
	return sum
}

func gf2Square(square, mat *[32]uint32) {
	for n := range 32 {
		square[n] = gf2Times(mat, mat[n])
	}
}

var _ io.Writer = (*deflater)(nil)
