package stats

import (
	"encoding/binary"
	"math/bits"
)

// lineShape is the text of a row of one series with the fields that
// change from row to row cut out, which leaves its reporter, partner,
// indicator, unit and source and the delimiters, as they were written,
// quotes and all.
// A line that has the same text around fields of plain ASCII is a row of
// the same series, and is read by matching it against the shape rather
// than by splitting it into fields and comparing each (loader.lineOfNext):
// an extract writes the same series the same way period after period.
//
// It is made of a line that splitPlain split (ASCII, its quoted fields
// quoted whole without a quote inside), so that a line that matches it
// splits into the same fields as that line's, but for the varying ones:
// fields of plain ASCII without a quote, which split wherever they stand
// as plain fields. So the fields of the series are those of the line the
// shape was made of, and the series is that line's.
//
// A shape is one block of 128 bytes without pointers, as every series of a
// file that comes in order gets one, read at every row: its parts, each a
// run of its text or a varying field, and the runs one after another. A
// row whose text does not fit has no shape, and is read as any other.
type lineShape struct {
	parts  [maxShapeParts]int16 // a run's length, or below zero a varying field whose role is −1 − the part
	nparts uint8
	text   [maxShapeText]byte
}

const (
	maxShapeParts = 16
	maxShapeText  = 128 - 2*maxShapeParts - 1
)

// shapeRole is the part of a row a varying field of a lineShape gives.
type shapeRole uint8

const (
	shapePeriod shapeRole = iota
	shapeValue
	shapeStatus
	shapeOther // a note, or a column report does not read
	nShapeRoles
)

// span is a field of a line, line[begin:end].
type span struct{ begin, end int }

// makeShape returns the shape of line, split by splitPlain into fields
// begins[i]:ends[i] (inside their quotes), whose columns are col (see
// loader.col) and mult (see loader.mult), or noShape when it does not fit
// in a lineShape.
func makeShape(line []byte, begins, ends []int, col *[nColumns]int, mult int, delim byte) *lineShape {
	// The column of each role but shapeOther, or -1.
	role := [...]int{shapePeriod: col[colPeriod], shapeValue: col[colValue], shapeStatus: col[colStatus]}
	key := func(i int) bool {
		for _, c := range [...]int{colReporter, colPartner, colIndicator, colUnit, colSource} {
			if col[c] == i {
				return true
			}
		}
		// The unit's multiplier is part of its unit (see unitMult).
		return mult == i+1
	}
	var s lineShape
	text, run := 0, 0 // the bytes of text, and of the run being made
	add := func(part int16) bool {
		if int(s.nparts) == len(s.parts) {
			return false
		}
		s.parts[s.nparts] = part
		s.nparts++
		return true
	}
	for i := range ends {
		b, e := begins[i], ends[i]
		if b > 0 && line[b-1] == '"' {
			b, e = b-1, e+1 // with its quotes
		}
		if !key(i) {
			if run > 0 && !add(int16(run)) {
				return noShape
			}
			run = 0
			r := shapeOther
			for k, c := range role {
				if c == i {
					r = shapeRole(k)
				}
			}
			if !add(-1 - int16(r)) {
				return noShape
			}
			b = e // the delimiter that follows, if any, is text
		}
		if i+1 < len(ends) {
			e++
		}
		if text+e-b > len(s.text) {
			return noShape
		}
		text += copy(s.text[text:], line[b:e])
		run += e - b
	}
	if run > 0 && !add(int16(run)) {
		return noShape
	}
	return &s
}

// noShape is the shape of a series whose rows do not fit in one: no line
// matches it.
var noShape = &lineShape{}

// match reports whether line is of the shape, and puts the varying fields
// it has of each role in f (a role it does not have is left as it is):
// the text between them must be the shape's, and each must be plain ASCII
// without a quote, and a field of shapeOther without a control character
// (see ControlAt).
func (s *lineShape) match(line []byte, delim byte, f *[nShapeRoles]span) bool {
	if s.nparts == 0 {
		return false
	}
	text := s.text[:]
	pos := 0
	for _, part := range s.parts[:s.nparts] {
		if part >= 0 {
			run := text[:part]
			text = text[part:]
			if len(line)-pos < len(run) || string(line[pos:pos+len(run)]) != string(run) {
				return false
			}
			pos += len(run)
			continue
		}
		begin := pos
		pos = plainFieldEnd(line, pos, delim)
		if pos < 0 {
			return false
		}
		if part == -1-int16(shapeOther) && pos > begin && ControlAt(line[begin:pos]) >= 0 {
			// A note or a column report does not read, whose control
			// character row reports (but for a tab): the others are
			// parsed, and would not parse with one.
			return false
		}
		f[-1-part] = span{begin, pos}
	}
	return pos == len(line)
}

// Masks of the bytes of a word: the low bit and the high bit of each.
const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// plainFieldEnd returns where the field of line that starts at pos ends:
// at the next delim, or at the end of the line; or -1 when a quote or a
// byte past ASCII comes first. It reads eight bytes at a time: a word's
// bytes equal to delim or to a quote are those that XOR makes zero, of
// which the lowest is found exactly (a zero byte can only mark a byte
// above it falsely), and those past ASCII have their high bit set.
// BenchmarkLineShapeMatch: 28.8–29.3 ns a line against 35.0–36.5 ns a byte
// at a time (four rounds in turn); on 4,096 lines of the synthetic file in
// turn, each against its own shape, whose fields' lengths vary as a file's
// do, 27.5–28.3 ns against 28.9–29.5 ns. The runs of text between the
// fields are compared by the runtime, which did better than words
// compared here.
func plainFieldEnd(line []byte, pos int, delim byte) int {
	d := lowBits * uint64(delim)
	const q = lowBits * '"'
	for ; pos+8 <= len(line); pos += 8 {
		w := binary.LittleEndian.Uint64(line[pos:])
		x, y := w^d, w^q
		stop := ((x-lowBits)&^x | (y-lowBits)&^y | w) & highBits
		if stop != 0 {
			pos += bits.TrailingZeros64(stop) / 8
			if line[pos] != delim {
				return -1
			}
			return pos
		}
	}
	for ; pos < len(line) && line[pos] != delim; pos++ {
		if b := line[pos]; b == '"' || b >= 0x80 {
			return -1
		}
	}
	return pos
}
