package stats

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math/bits"
	"unicode/utf8"
)

// maxLineBytes bounds one physical line, so that a file without line breaks
// gives an error instead of filling memory.
const maxLineBytes = 1 << 20

// maxRecordBytes bounds one record, which quoted fields may spread over
// several lines.
const maxRecordBytes = 4 << 20

// csvReader reads RFC 4180 records and remembers where each field starts,
// with the column counted in characters. The fields it returns share one
// buffer that the next call to read overwrites.
type csvReader struct {
	r     *bufio.Reader
	data  []byte // the input when r is nil: a chunk of it in memory
	delim byte
	line  int   // number of the last physical line read
	bytes int64 // bytes read so far, line endings included

	buf []byte
	src []byte // the text of the fields: buf, or the line itself
	// Field i is src[begins[i]:ends[i]]; it starts at starts[i], unless
	// the line was split by splitPlain (plain), which leaves the places of
	// its fields to start.
	begins []int
	ends   []int
	starts []fieldStart
	plain  bool
	first  bool
	ascii  bool // the last line read has only ASCII bytes
}

type fieldStart struct{ line, col int }

func newCSVReader(r io.Reader, delim byte) *csvReader {
	return &csvReader{r: bufio.NewReaderSize(r, 64<<10), delim: delim, first: true}
}

// field returns field i of the last record.
func (c *csvReader) field(i int) []byte {
	return c.src[c.begins[i]:c.ends[i]]
}

func (c *csvReader) nfields() int { return len(c.ends) }

// start returns where field i of the last record starts: in a line of
// ASCII (as splitPlain splits) a field's column is its first byte's, or
// its opening quote's.
func (c *csvReader) start(i int) fieldStart {
	if !c.plain {
		return c.starts[i]
	}
	b := c.begins[i]
	if b > 0 && c.src[b-1] == '"' {
		return fieldStart{c.line, b}
	}
	return fieldStart{c.line, b + 1}
}

// recordError is a problem with the record that starts at a position.
type recordError struct {
	line, col int
	err       error
	fatal     bool // the rest of the file cannot be read
	eof       bool // a quoted field is still open at the end of the input
}

func (e *recordError) Error() string { return e.err.Error() }

// newChunkReader returns a csvReader of data, whose first line is line
// number line.
func newChunkReader(data []byte, delim byte, line int) *csvReader {
	return &csvReader{data: data, delim: delim, line: line - 1}
}

// readLine returns the next physical line without its line ending.
func (c *csvReader) readLine() ([]byte, error) {
	if c.r == nil {
		return c.lineOf(c.cutLine())
	}
	line, err := c.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		long := append([]byte(nil), line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = c.r.ReadSlice('\n')
			long = append(long, line...)
			if len(long) > maxLineBytes {
				c.line++
				return nil, &recordError{line: c.line, col: 1, fatal: true,
					err: errorf(ErrLineTooLong, "line longer than %d bytes: is this a CSV file with line breaks?", maxLineBytes)}
			}
		}
		line = long
	}
	if len(line) == 0 && err != nil {
		return nil, err
	}
	return c.lineOf(line, nil)
}

// cutLine returns the next line of c.data with its line ending, or
// io.EOF, or an error when it is longer than maxLineBytes.
func (c *csvReader) cutLine() ([]byte, error) {
	if len(c.data) == 0 {
		return nil, io.EOF
	}
	n := lineLen(c.data)
	line := c.data[:n]
	c.data = c.data[n:]
	if len(line) > maxLineBytes {
		c.line++
		return nil, &recordError{line: c.line, col: 1, fatal: true,
			err: errorf(ErrLineTooLong, "line longer than %d bytes: is this a CSV file with line breaks?", maxLineBytes)}
	}
	return line, nil
}

// lineLen returns the bytes of the first line of data, its line ending
// included.
func lineLen(data []byte) int {
	if n := bytes.IndexByte(data, '\n') + 1; n > 0 {
		return n
	}
	return len(data)
}

// peekLine returns the next line of the chunk as readLine would, without
// its line ending, and the bytes it takes, without reading it (see
// skipLine); n is 0 at the end of the chunk, for a line longer than
// maxLineBytes (readLine's error) and for a csvReader of a stream or at
// the first line of its input.
func (c *csvReader) peekLine() (line []byte, n int) {
	if c.r != nil || c.first {
		return nil, 0
	}
	n = lineLen(c.data)
	if n > maxLineBytes {
		return nil, 0
	}
	return trimLineEnd(c.data[:n]), n
}

// trimLineEnd returns line without its line ending, "\n", "\r\n" or
// "\r\r\n" (or a lone "\r" at the end of the input).
func trimLineEnd(line []byte) []byte {
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
	}
	// CR CR LF too, as Python's csv module writes on Windows to a file
	// not opened with newline="".
	for n := len(line); n > 0 && line[n-1] == '\r'; n-- {
		line = line[:n-1]
	}
	return line
}

// skipLine reads the line of n bytes that peekLine returned, which the
// caller took as a record: the fields of the record read last are no
// longer its.
func (c *csvReader) skipLine(n int) {
	c.data = c.data[n:]
	c.line++
	c.bytes += int64(n)
}

// lineOf counts line, read with err, and returns it without its line
// ending (see validate).
func (c *csvReader) lineOf(line []byte, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	c.line++
	c.bytes += int64(len(line))
	line = trimLineEnd(line)
	if c.first {
		c.first = false
		line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
	}
	return line, nil
}

// validate returns an error when line, read last, is not UTF-8, and tells
// c.ascii whether it is ASCII: one pass over it, which split and read use
// again.
func (c *csvReader) validate(line []byte) error {
	if c.ascii = isASCII(line); !c.ascii && !utf8.Valid(line) {
		col := 1 + utf8.RuneCount(line[:firstInvalid(line)])
		return &recordError{line: c.line, col: col, fatal: true, err: encodingHint(line)}
	}
	return nil
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func encodingHint(line []byte) error {
	if bytes.IndexByte(line, 0) >= 0 {
		return errorf(ErrEncoding, "the text is not UTF-8: it looks like UTF-16; use --encoding utf-16")
	}
	return errorf(ErrEncoding, "the text is not UTF-8: if it came from Excel in Russian or Kazakh it is probably Windows-1251; use --encoding windows-1251")
}

// split splits a line without quotes into its fields, which stay in the
// line: most rows of most files are such lines.
func (c *csvReader) split(line []byte) {
	c.src = line
	ascii := c.ascii
	col, i := 1, 0
	for {
		c.starts = append(c.starts, fieldStart{c.line, col})
		end := i
		for end < len(line) && line[end] != c.delim {
			end++
		}
		c.begins = append(c.begins, i)
		c.ends = append(c.ends, end)
		col += width(line[i:end], ascii)
		if end == len(line) {
			return
		}
		i = end + 1
		col++
	}
}

// splitPlain splits a line of ASCII into its fields, eight bytes at a
// time, and reports whether it could: most lines of most files are ASCII,
// their fields plain or quoted whole on the line without a quote inside
// ("Bureau of National Statistics, KAZ"), and such a field is read where it
// stands, between its quotes, rather than copied. It leaves to read a line
// with a byte past ASCII outside a quoted field, a doubled quote, a field
// quoted over more than one line or a quote out of place: c.ends then
// holds the ends of the plain fields before the first quote or byte past
// ASCII, and c.begins is empty. It leaves c.starts empty: see start.
func (c *csvReader) splitPlain(line []byte) bool {
	const ones, high = 0x0101010101010101, 0x8080808080808080
	delims, quotes := uint64(c.delim)*ones, uint64('"')*ones
	start := 0  // where the field being read starts
	plain := -1 // the plain fields before the first quoted one, once there is one
	i := 0
	for {
		var stop int // the quote or byte past ASCII the scan stops at
		if i+8 <= len(line) {
			w := binary.LittleEndian.Uint64(line[i:])
			d := zeroBytes(w ^ delims)
			q := zeroBytes(w^quotes) | w&high
			if q == 0 {
				for ; d != 0; d &= d - 1 {
					start = c.plainField(start, i+bits.TrailingZeros64(d)/8)
				}
				i += 8
				continue
			}
			at := bits.TrailingZeros64(q) / 8
			for d &= 1<<(8*at) - 1; d != 0; d &= d - 1 {
				start = c.plainField(start, i+bits.TrailingZeros64(d)/8)
			}
			stop = i + at
		} else {
			for i < len(line) && line[i] < 0x80 && line[i] != '"' {
				if line[i] == c.delim {
					start = c.plainField(start, i)
				}
				i++
			}
			if i == len(line) {
				break
			}
			stop = i
		}
		// A quote that opens the field, closed on the line by one that
		// ends it, with ASCII between them.
		if plain < 0 {
			plain = len(c.ends)
		}
		if line[stop] != '"' || stop != start {
			return c.notPlain(plain)
		}
		j := bytes.IndexByte(line[stop+1:], '"')
		if j < 0 {
			return c.notPlain(plain)
		}
		end := stop + 1 + j // the closing quote
		if end+1 < len(line) && line[end+1] != c.delim || !isASCII(line[stop+1:end]) {
			return c.notPlain(plain)
		}
		c.begins = append(c.begins, stop+1)
		c.ends = append(c.ends, end)
		if end+1 == len(line) {
			c.src, c.ascii, c.plain = line, true, true
			return true
		}
		start, i = end+2, end+2
	}
	c.plainField(start, len(line))
	c.src, c.ascii, c.plain = line, true, true
	return true
}

// plainField adds the field of the line being split that starts at start
// and ends at end, and returns where the next starts.
func (c *csvReader) plainField(start, end int) int {
	c.begins = append(c.begins, start)
	c.ends = append(c.ends, end)
	return end + 1
}

// notPlain leaves a line that splitPlain does not split to read, with
// c.ends at the first plain fields of the line, before the first quote
// or byte past ASCII.
func (c *csvReader) notPlain(plain int) bool {
	c.ends = c.ends[:plain]
	c.begins = c.begins[:0]
	return false
}

// zeroBytes returns the high bit of each byte of x that is zero, and no
// other bit.
func zeroBytes(x uint64) uint64 {
	const low7 = 0x7f7f7f7f7f7f7f7f
	return ^((x&low7 + low7) | x) & ^uint64(low7)
}

// width returns the columns b takes: its characters, which in a line of
// ASCII (ascii) are its bytes.
func width(b []byte, ascii bool) int {
	if ascii {
		return len(b)
	}
	return utf8.RuneCount(b)
}

// isASCII reports whether b has only ASCII bytes, eight at a time.
func isASCII(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, x := range b {
		if x >= 0x80 {
			return false
		}
	}
	return true
}

// read reads the next record. Blank lines are skipped. It returns io.EOF
// after the last record, or a *recordError.
func (c *csvReader) read() error {
	var line []byte
	var err error
	for {
		line, err = c.readLine()
		if err != nil {
			return err
		}
		if len(line) > 0 {
			break
		}
	}
	c.buf = c.buf[:0]
	c.begins = c.begins[:0]
	c.ends = c.ends[:0]
	c.starts = c.starts[:0]
	c.plain = false
	if c.splitPlain(line) {
		return nil
	}
	if err := c.validate(line); err != nil {
		return err
	}
	if bytes.IndexByte(line, '"') < 0 {
		c.ends = c.ends[:0]
		c.split(line)
		return nil
	}
	// The fields are copied to buf, one after another.
	defer func() {
		c.src = c.buf
		begin := 0
		for _, end := range c.ends {
			c.begins = append(c.begins, begin)
			begin = end
		}
	}()
	// The fields that splitPlain ended before the first quote are plain
	// ASCII: they are copied as they are, and the fields are read on from
	// the next.
	i := 0
	for k, end := range c.ends {
		c.starts = append(c.starts, fieldStart{c.line, i + 1})
		c.buf = append(c.buf, line[i:end]...)
		c.ends[k] = len(c.buf)
		i = end + 1
	}
	col := i + 1
	ascii := c.ascii
	for {
		// At the start of a field.
		c.starts = append(c.starts, fieldStart{c.line, col})
		if i < len(line) && line[i] == '"' {
			startLine, startCol := c.line, col
			i++
			col++
			for {
				j := bytes.IndexByte(line[i:], '"')
				if j < 0 {
					c.buf = append(c.buf, line[i:]...)
					c.buf = append(c.buf, '\n')
					if len(c.buf) > maxRecordBytes {
						return &recordError{line: startLine, col: startCol, fatal: true,
							err: errorf(ErrQuote, "quoted field runs on for more than %d bytes: a quote is not closed", maxRecordBytes)}
					}
					line, err = c.readLine()
					if err == io.EOF {
						return &recordError{line: startLine, col: startCol, fatal: true, eof: true,
							err: errorf(ErrQuote, "quoted field is not closed before the end of the file")}
					}
					if err == nil {
						err = c.validate(line)
					}
					if err != nil {
						return err
					}
					i, col, ascii = 0, 1, c.ascii
					continue
				}
				c.buf = append(c.buf, line[i:i+j]...)
				col += width(line[i:i+j], ascii)
				i += j + 1
				col++
				if i < len(line) && line[i] == '"' {
					c.buf = append(c.buf, '"')
					i++
					col++
					continue
				}
				break
			}
			c.ends = append(c.ends, len(c.buf))
			if i == len(line) {
				return nil
			}
			if line[i] == '\r' {
				// A line that ends in a carriage return alone, which
				// joined the next to it (see trimLineEnd): told at the
				// first such return of the record's line, which may be
				// before this field.
				at := col
				if c.starts[0].line == c.line {
					if k := unquotedCR(line[:i]); k >= 0 {
						at = 1 + utf8.RuneCount(line[:k])
					}
				}
				return &recordError{line: c.line, col: at, err: LineEndingError()}
			}
			if line[i] != c.delim {
				return &recordError{line: c.line, col: col,
					err: errorf(ErrQuote, "text after the closing quote of a field: double a quote inside a quoted field (\"\")")}
			}
			i++
			col++
			continue
		}
		// An unquoted field, mostly a few bytes long: one loop to its end
		// costs less than two calls of bytes.IndexByte.
		end := i
		for end < len(line) && line[end] != c.delim && line[end] != '"' {
			end++
		}
		f := line[i:end]
		if end < len(line) && line[end] == '"' {
			return &recordError{line: c.line, col: col + width(f, ascii),
				err: errorf(ErrQuote, "quote inside an unquoted field: quote the whole field and double the quote (\"\")")}
		}
		c.buf = append(c.buf, f...)
		c.ends = append(c.ends, len(c.buf))
		col += width(f, ascii)
		if end == len(line) {
			return nil
		}
		i = end + 1
		col++
	}
}

// unquotedCR returns the index of the first carriage return of b outside
// quotes, b being the start of a record; -1 when there is none.
func unquotedCR(b []byte) int {
	quoted := false
	for k, c := range b {
		switch {
		case c == '"':
			quoted = !quoted // "" inside quotes is two turns
		case c == '\r' && !quoted:
			return k
		}
	}
	return -1
}
