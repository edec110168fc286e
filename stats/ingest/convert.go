package ingest

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tradedesk/report/internal/lazyre"
	"github.com/tradedesk/report/stats"
	"golang.org/x/text/transform"
)

// Result is what [Convert] made of a table.
type Result struct {
	// Obs are the observations, in row order and, within a row, in the
	// order of the mapping's value columns, then the months filled in
	// ([Mapping.Absent]) and the year totals ([Mapping.YearTotals]). Pos is
	// the place of the value in the agency's file.
	Obs []stats.Observation
	// Problems are the rows (or cells) that could not be mapped, in file
	// order; each is a *stats.ParseError with the line, the column and a
	// sentinel kind ([ErrUnknownName], [ErrNoValue], [stats.ErrBadNumber],
	// [stats.ErrBadPeriod], [stats.ErrBadStatus], and
	// [stats.ErrFieldCount] for a row with more or fewer fields than the
	// header, from which nothing is taken).
	Problems []*stats.ParseError
	Counts
}

// Counts is what became of the rows of a table besides its observations
// and problems.
type Counts struct {
	// Rows counts the records after the header.
	Rows int
	// Skipped counts the rows that a skip rule of the mapping matched, or
	// that are empty.
	Skipped int
	// Dropped counts, by name as printed, the rows the mapping drops by
	// mapping the name to [Drop].
	Dropped map[string]int
}

// DroppedNames returns the names in c.Dropped, sorted.
func (c *Counts) DroppedNames() []string {
	return slices.Sorted(maps.Keys(c.Dropped))
}

// ConvertFile opens the named file and converts it with [Convert].
func ConvertFile(path string, m *Mapping) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Convert(f, path, m)
}

// Convert reads an agency table from r as m says, with [Stream], and
// returns all it made of it. name is the file name used in positions. It
// does not modify m. Rows that cannot be mapped are returned as problems
// in the result, not as an error.
func Convert(r io.Reader, name string, m *Mapping) (*Result, error) {
	res := &Result{}
	h := Handler{
		Observation: func(o *stats.Observation) error {
			res.Obs = append(res.Obs, *o)
			return nil
		},
		Problem: func(p *stats.ParseError) error {
			res.Problems = append(res.Problems, p)
			return nil
		},
	}
	c, err := Stream(r, name, m, h)
	if err != nil {
		return nil, err
	}
	res.Counts = c
	return res, nil
}

// Handler takes what [Stream] makes of a table, as it is made.
type Handler struct {
	// Observation takes each observation, in the order of [Result.Obs];
	// o is not kept by Stream, and valid only during the call.
	Observation func(o *stats.Observation) error
	// Problem takes each row or cell that could not be mapped, in file
	// order, as [Result.Problems] lists them; nil leaves them out.
	Problem func(p *stats.ParseError) error
}

// Stream reads an agency table from r as m says and hands each
// observation and each problem to h as its row is read, keeping neither:
// memory grows with the series of the table, not with its rows. The
// months filled in ([Mapping.Absent]) and the year totals
// ([Mapping.YearTotals]) come after the rows, as in [Result.Obs]. name is
// the file name used in positions. It does not modify m.
//
// The error is for a table that cannot be read at all: an unknown
// encoding, text the mapping reads that is not in the encoding named
// (UTF-8 when none is, and then also a table that begins with a UTF-16
// byte order mark, or a header not in UTF-8 that lacks a column the
// mapping names; it wraps stats.ErrEncoding), a quote never closed,
// a line longer than 1 MB or a quoted field longer than 4 MB, an empty
// table (stats.ErrEmpty), no row at or after the header line the mapping
// names (stats.ErrNoHeader), compressed data (stats.ErrCompressed), or a
// column that the mapping names and the header lacks (it then wraps
// [ErrMapping], at the header's line) (each a *stats.ParseError); or
// the first error of h, returned as it is. The rows handed to h before
// such an error are not the whole table.
func Stream(r io.Reader, name string, m *Mapping, h Handler) (Counts, error) {
	counts := Counts{Dropped: map[string]int{}}
	if err := m.validate(); err != nil {
		return counts, fmt.Errorf("%w: %v", ErrMapping, err)
	}
	enc, err := stats.Encoding(m.Encoding)
	if err != nil {
		return counts, fmt.Errorf("%w: %v", ErrMapping, err)
	}
	raw := bufio.NewReader(r)
	start, err := raw.Peek(stats.CompressionHead)
	if err := peekError(err); err != nil {
		return counts, fmt.Errorf("read %s: %w", name, err)
	}
	if err := stats.CompressedError(start); err != nil {
		// Read as text, it would be bad quoting or UTF-16.
		return counts, &stats.ParseError{File: name, Line: 1, Column: 1, Err: err}
	}
	r = raw
	if enc != nil {
		r = transform.NewReader(r, enc.NewDecoder())
	}
	br := bufio.NewReaderSize(r, loneCRWindow)
	// The table's start, read once: a read error Peek meets is told
	// once, and is the table's, before any line of it.
	begin, err := br.Peek(loneCRWindow)
	whole := err == io.EOF // the window holds the whole table
	if err := peekError(err); err != nil {
		return counts, fmt.Errorf("read %s: %w", name, err)
	}
	if enc == nil && (bytes.HasPrefix(begin, []byte("\xff\xfe")) || bytes.HasPrefix(begin, []byte("\xfe\xff"))) {
		// Read as UTF-8, its header would lack every column, and its
		// error would show the header as bytes.
		return counts, &stats.ParseError{File: name, Line: 1, Column: 1, Err: fmt.Errorf(
			"%w: it looks like UTF-16 (it begins with a UTF-16 byte order mark); add encoding: utf-16 to the mapping", stats.ErrEncoding)}
	}
	if bytes.HasPrefix(begin, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		begin = begin[3:]
	}
	line, col, lone, ended := loneCR(begin, whole, m.comma())
	if lone {
		return counts, &stats.ParseError{File: name, Line: line, Column: col, Err: stats.LineEndingError()}
	}
	bounded := &boundedReader{r: &crCRLF{br: br}, name: name, line: 1}
	cr := csv.NewReader(bounded)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cr.Comma = m.comma()
	header := max(m.Header, 1)
	var head []string
	for seen := false; ; seen = true {
		rec, err := cr.Read()
		if err == io.EOF && !seen {
			return counts, &stats.ParseError{File: name, Line: 1, Err: fmt.Errorf("%w: the table has no header row and no data rows", stats.ErrEmpty)}
		}
		if err == io.EOF {
			return counts, &stats.ParseError{File: name, Line: header, Err: fmt.Errorf("%w: the table has no row at line %d or after it (the mapping says header: %d)", stats.ErrNoHeader, header, header)}
		}
		if err != nil {
			return counts, csvError(name, bounded, err)
		}
		if line, _ := cr.FieldPos(0); line >= header {
			head = slices.Clone(rec)
			break
		}
	}
	// A carriage return in the header, which a table whose lines end in
	// one alone has past loneCR's window (its first line longer than
	// that): the table is then the header alone, or a header that lacks
	// the columns (the last merged with the next line's first), which is
	// told.
	// When loneCR read the header's line whole, a CR in it is quoted.
	var headCR *stats.ParseError
	if hline, _ := cr.FieldPos(0); hline > ended {
		for i, h := range head {
			if j := strings.IndexByte(h, '\r'); j >= 0 {
				line, col := fieldPos(cr, head, i)
				headCR = &stats.ParseError{File: name, Line: line, Column: col + utf8.RuneCountInString(h[:j]), Err: stats.LineEndingError()}
				break
			}
		}
	}

	p, err := m.plan(head)
	if err != nil && headCR != nil {
		return counts, headCR // its lines, one, lack the columns
	}
	if err != nil {
		if enc == nil {
			if err := headerNotUTF8(name, cr, head); err != nil {
				return counts, err
			}
		}
		// At the header's line: the error is of the mapping and this
		// table, where it named neither.
		hline, _ := cr.FieldPos(0)
		return counts, &stats.ParseError{File: name, Line: hline, Err: fmt.Errorf("%w: %v", ErrMapping, err)}
	}
	var fill *fills
	if m.Absent != "" {
		fill = newFills()
	}
	var totals *yearTotals
	if m.YearTotals {
		totals = newYearTotals()
	}
	out := &rowOut{counts: &counts}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// With any number of fields allowed, only bad quoting is left:
			// the rest of the table cannot be trusted.
			return counts, csvError(name, bounded, err)
		}
		counts.Rows++
		out.obs, out.problems, out.failed = out.obs[:0], out.problems[:0], out.failed[:0]
		p.row(out, name, cr, rec)
		if enc == nil {
			if err := p.notUTF8(name, cr, rec, out); err != nil {
				return counts, err
			}
		}
		for _, pe := range out.problems {
			if h.Problem != nil {
				if err := h.Problem(pe); err != nil {
					return counts, err
				}
			}
		}
		for i := range out.obs {
			o := &out.obs[i]
			fill.see(o)
			totals.see(o)
			if err := h.Observation(o); err != nil {
				return counts, err
			}
		}
		for _, f := range out.failed {
			if f.pair {
				fill.failPair(f.key.Reporter, f.key.Partner, f.period)
			} else {
				fill.fail(f.key, f.period)
			}
		}
	}
	if counts.Rows == 0 && headCR != nil {
		return counts, headCR
	}
	if fill != nil {
		v, _ := parsePlain(m.Absent)
		for _, o := range fill.absent(v) {
			totals.see(&o)
			if err := h.Observation(&o); err != nil {
				return counts, err
			}
		}
	}
	for _, o := range totals.totals() {
		if err := h.Observation(&o); err != nil {
			return counts, err
		}
	}
	return counts, nil
}

// comma returns the rune that separates the fields of the table.
func (m *Mapping) comma() rune {
	switch m.Delimiter {
	case ";", "|":
		return rune(m.Delimiter[0])
	case "\t", `\t`:
		return '\t'
	}
	return ','
}

// rowOut is what one row became.
type rowOut struct {
	obs      []stats.Observation
	problems []*stats.ParseError
	// failed are the series and months of cells that could not be read:
	// they are not absent, and no zero is filled in for them.
	failed []failedCell
	counts *Counts
	// scratch takes the counts of a row that gives a problem of its own
	// instead.
	scratch *Counts
	// places holds the places of the row's fields (see fieldPlaces).
	places []fieldPlace
}

// failedCell is a month of a series whose cell could not be read.
type failedCell struct {
	key    fillKey
	period stats.Period
	// pair tells that the cell's series is not known beyond its reporter
	// and partner (its indicator or unit could not be read): every series
	// of the pair has the month (see fills.failPair).
	pair bool
}

// boundedReader passes on a table's bytes, and stops with a
// *stats.ParseError at a line longer than maxLine or a quoted field
// longer than maxQuoted: encoding/csv would read a file without line
// breaks, or with a quote never closed, whole into memory. It follows the
// quotes as encoding/csv reads them without LazyQuotes: a quote opens a
// quoted field, "" inside it is a quote, and a quote that does not start a
// field is an error of the reader's own.
type boundedReader struct {
	r    io.Reader
	name string
	line int // the number of the line being read
	// lineLen is the bytes of the line so far; quotedLen those of the
	// quoted field that is open, which began on quoteLine.
	lineLen, quotedLen, quoteLine int
	quoted                        bool
	closed                        bool // the last byte closed a quoted field
	err                           error
	// hist holds the last lines handed on, whole, the first of them line
	// histLine: at least the last histKeep bytes, more than encoding/csv
	// reads ahead of the line it parses. An error of encoding/csv gives a
	// column in bytes, which column turns into characters.
	hist              []byte
	histLine, histTry int
}

// histKeep is the bytes of boundedReader.hist kept: encoding/csv reads
// ahead of its line by its buffer, 4 KB.
const histKeep = 32 << 10

// The bounds of boundedReader, those of the tidy CSV's reader.
const (
	maxLine   = 1 << 20
	maxQuoted = 4 << 20
)

func (b *boundedReader) Read(p []byte) (int, error) {
	n, err := b.read(p)
	if b.histLine == 0 {
		b.histLine = 1
	}
	b.hist = append(b.hist, p[:n]...)
	if len(b.hist) > max(2*histKeep, b.histTry) {
		// Whole lines go, the oldest first, down to about histKeep bytes;
		// a line longer than that is looked into again only once it grew
		// by histKeep.
		if k := bytes.LastIndexByte(b.hist[:len(b.hist)-histKeep], '\n'); k >= 0 {
			b.histLine += bytes.Count(b.hist[:k+1], []byte{'\n'})
			b.hist = append(b.hist[:0], b.hist[k+1:]...)
		}
		b.histTry = len(b.hist) + histKeep
	}
	return n, err
}

// column returns the character column of the byte column col (both from
// 1) of line, as encoding/csv's errors give it; false when that line is
// no longer held, or is shorter.
func (b *boundedReader) column(line, col int) (int, bool) {
	if line < b.histLine || col < 1 {
		return 0, false
	}
	h := b.hist
	for range line - b.histLine {
		k := bytes.IndexByte(h, '\n')
		if k < 0 {
			return 0, false
		}
		h = h[k+1:]
	}
	if k := bytes.IndexByte(h, '\n'); k >= 0 {
		h = h[:k+1]
	}
	if col-1 > len(h) {
		return 0, false
	}
	return utf8.RuneCount(h[:col-1]) + 1, true
}

func (b *boundedReader) read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.r.Read(p)
	data := p[:n]
	// Between line breaks and quotes the bytes are only counted: the next
	// of each is found once, with bytes.IndexByte.
	nl, q := -1, -1
	for i := 0; i < n; {
		if nl < i {
			nl = indexFrom(data, i, '\n')
		}
		if q < i {
			q = indexFrom(data, i, '"')
		}
		j := min(nl, q)
		if j > i {
			b.lineLen += j - i
			b.quotedLen += j - i
			b.closed = false
			if b.bound() {
				return i, nil
			}
		}
		if j == n {
			break
		}
		closed := false
		switch {
		case data[j] == '\n':
			b.line++
			b.lineLen = -1
		case b.quoted:
			b.quoted, closed = false, true
		case !b.closed:
			b.quoted, b.quotedLen, b.quoteLine = true, 0, b.line
		default:
			b.quoted = true // "" inside a quoted field
		}
		b.closed = closed
		b.lineLen++
		b.quotedLen++
		if b.bound() {
			return j, nil
		}
		i = j + 1
	}
	return n, err
}

// bound sets b.err when the line or the quoted field is past its bound.
func (b *boundedReader) bound() bool {
	switch {
	case b.lineLen > maxLine:
		b.err = &stats.ParseError{File: b.name, Line: b.line, Err: fmt.Errorf("%w: line longer than %d bytes: is this a CSV file with line breaks?", stats.ErrLineTooLong, maxLine)}
	case b.quoted && b.quotedLen > maxQuoted:
		b.err = &stats.ParseError{File: b.name, Line: b.quoteLine, Err: fmt.Errorf("%w: quoted field runs on for more than %d bytes: a quote is not closed", stats.ErrQuote, maxQuoted)}
	default:
		return false
	}
	// The bytes before the one read are handed on; the error comes at
	// the next read.
	return true
}

// indexFrom returns the index of the first c in b at or after from, or
// len(b).
func indexFrom(b []byte, from int, c byte) int {
	if i := bytes.IndexByte(b[from:], c); i >= 0 {
		return from + i
	}
	return len(b)
}

// loneCRWindow is how much of a table's start loneCR reads.
const loneCRWindow = 64 << 10

// loneCR returns the line and the column (in characters) of the first
// carriage return alone that ends a line (as classic Mac OS wrote them) in
// b, the start of a table (all of it when whole), outside quotes; false
// when there is none. ended is the number of lines (physical ones, whose
// line feeds may be in quoted cells) that end in b, all of them when it
// is the whole table. The reader would take such lines for one, a header
// that could hold every column the mapping names and no rows, or a row of
// the fields of several. CR LF and CR CR LF (as Python's csv module
// writes on Windows) end a line; a carriage return in a quoted field is
// text.
func loneCR(b []byte, whole bool, comma rune) (line, col int, ok bool, ended int) {
	line, begin := 1, 0          // the physical line and where it begins
	quoted, start := false, true // in a quoted field; at a field's start
	for i := 0; i < len(b); i++ {
		c := b[i]
		if quoted {
			switch {
			case c == '\n':
				line, begin = line+1, i+1
			case c == '"' && i+1 < len(b) && b[i+1] == '"':
				i++
			case c == '"':
				quoted = false
			}
			continue
		}
		switch c {
		case '"':
			quoted = start
		case '\n':
			line, begin = line+1, i+1
		case '\r':
			j := i
			for j < len(b) && b[j] == '\r' {
				j++
			}
			if j < len(b) && b[j] != '\n' {
				return line, utf8.RuneCount(b[begin:i]) + 1, true, line - 1
			}
		}
		start = rune(c) == comma || c == '\n'
	}
	if whole {
		return 0, 0, false, math.MaxInt
	}
	return 0, 0, false, line - 1
}

// peekError returns the error of a bufio.Reader's Peek that is the
// input's: not the end of a short input, nor a window larger than the
// input's start.
func peekError(err error) error {
	if err == io.EOF || err == bufio.ErrBufferFull {
		return nil
	}
	return err
}

// crCRLF reads br with each run of carriage returns before a line feed
// cut to one: encoding/csv reads CR LF as a line end, but takes the first
// carriage return of CR CR LF (as Python's csv module writes on Windows)
// for text, and after a closing quote for bad quoting. A run longer than
// maxCRRun is given as it is, as it is read, for boundedReader to stop as
// a line too long rather than wait for its end.
type crCRLF struct {
	br      *bufio.Reader
	pending int   // carriage returns to give before what follows
	long    bool  // the run being read is longer than maxCRRun
	err     error // the error of br, given after what came before it
}

// maxCRRun is the longest run of carriage returns crCRLF cuts.
const maxCRRun = 1 << 10

func (c *crCRLF) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if c.pending > 0 {
			p[n] = '\r'
			n, c.pending = n+1, c.pending-1
			continue
		}
		if c.err != nil || n > 0 && c.br.Buffered() == 0 {
			break // what is at hand, rather than wait for more
		}
		if _, err := c.br.Peek(1); err != nil {
			c.err = err
			break
		}
		b, _ := c.br.Peek(min(c.br.Buffered(), len(p)-n))
		if i := bytes.IndexByte(b, '\r'); i != 0 {
			if i < 0 {
				i = len(b)
			}
			n += copy(p[n:], b[:i])
			c.br.Discard(i)
			c.long = false // a long run ends at the first other byte
			continue
		}
		// A run of carriage returns: one when a line feed follows, unless
		// the run is longer than maxCRRun.
		k, ended := 0, false
		for k <= maxCRRun && !ended {
			b, err := c.br.Peek(1)
			switch {
			case err != nil:
				c.err, ended = err, true
			case b[0] != '\r':
				if b[0] == '\n' && !c.long {
					k = 1
				}
				ended = true
			default:
				c.br.Discard(1)
				k++
			}
		}
		c.pending, c.long = k, !ended
	}
	if n == 0 && c.err != nil {
		return 0, c.err
	}
	return n, nil
}

// csvError returns the error of a table's reading by encoding/csv, from b:
// a bound of b's as it is, a bad quote as a *stats.ParseError at its
// column in characters (none when b no longer holds its line).
func csvError(name string, b *boundedReader, err error) error {
	var bound *stats.ParseError
	if errors.As(err, &bound) {
		return bound
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		col, _ := b.column(pe.Line, pe.Column)
		return &stats.ParseError{File: name, Line: pe.Line, Column: col, Err: fmt.Errorf("%w: %v", stats.ErrQuote, pe.Err)}
	}
	return fmt.Errorf("read %s: %w", name, err)
}

// windows1251 is the advice of an error of encoding for text in an 8-bit
// encoding.
const windows1251 = "if the table came from Excel in Russian or Kazakh it is probably Windows-1251; add encoding: windows-1251 to the mapping"

// notUTF8 returns the error of a row, rec, read as UTF-8, whose
// observations, in out, hold text that is not UTF-8, or which gave
// problems and has a field the mapping reads that is not UTF-8 (a name
// that is not is no name the mapping knows, a number no number): the
// table is in another encoding, which the mapping must name, and the tidy
// CSV made of it would not load. Text the mapping does not read (a title
// above the header, a column no field names) may be in any encoding. The
// error is at the first field of the row that is not UTF-8 and holds, or
// is held in, a string of the observations that is not; else at the first
// field not UTF-8 (that the mapping reads, for a row of problems). It
// returns nil when every string of the observations is UTF-8 and, in a row
// of problems, every field the mapping reads.
func (p *plan) notUTF8(name string, cr *csv.Reader, rec []string, out *rowOut) error {
	var bad []string
	for i := range out.obs {
		o := &out.obs[i]
		for _, s := range [...]string{o.Reporter, o.Partner, o.Indicator, o.Unit, o.Source, o.Note} {
			if !utf8.ValidString(s) {
				bad = append(bad, s)
			}
		}
	}
	at := -1
	switch {
	case len(bad) > 0:
		for i, f := range rec {
			if utf8.ValidString(f) {
				continue
			}
			if at < 0 {
				at = i
			}
			if slices.ContainsFunc(bad, func(s string) bool { return strings.Contains(f, s) || strings.Contains(s, f) }) {
				at = i
				break
			}
		}
		at = max(at, 0)
	case len(out.problems) > 0:
		i := slices.IndexFunc(p.read, func(i int) bool { return i < len(rec) && !utf8.ValidString(rec[i]) })
		if i < 0 {
			return nil
		}
		at = p.read[i]
	default:
		return nil
	}
	line, col := fieldPos(cr, rec, at) // where the field starts
	return &stats.ParseError{File: name, Line: line, Column: col, Err: fmt.Errorf("%w: %s", stats.ErrEncoding, windows1251)}
}

// fieldPlace is where a field starts: its line, and its column in
// characters, as stats.ParseError counts them.
type fieldPlace struct{ line, col int }

// fieldPlaces appends to out the place of each field of rec, the record cr
// read last, in one pass: cr counts columns in bytes, and the characters
// past ASCII of the fields before a field on its line (the part on its
// line of one that began on a line before) are the difference, as the
// quotes and delimiters are ASCII.
func fieldPlaces(cr *csv.Reader, rec []string, out []fieldPlace) []fieldPlace {
	extra := 0 // bytes past characters on the line, before the field
	for i := range rec {
		line, col := cr.FieldPos(i)
		if i > 0 {
			part := rec[i-1]
			if line != out[len(out)-1].line {
				extra = 0 // the field before began on a line before
				part = part[strings.LastIndexByte(part, '\n')+1:]
			}
			extra += len(part) - utf8.RuneCountInString(part)
		}
		out = append(out, fieldPlace{line, col - extra})
	}
	return out
}

// fieldPos returns the place of field i of rec, the record cr read last
// (see fieldPlaces), for a problem of the record as a whole.
func fieldPos(cr *csv.Reader, rec []string, i int) (line, col int) {
	at := fieldPlaces(cr, rec[:i+1], nil)[i]
	return at.line, at.col
}

// headerNotUTF8 returns the error of a header, head, read as UTF-8, that
// lacks a column the mapping names and is not UTF-8 text, at its first
// field that is not: a field with a zero byte in it is UTF-16 without a
// byte order mark. It returns nil when every field is UTF-8 and has no
// zero byte.
func headerNotUTF8(name string, cr *csv.Reader, head []string) error {
	at := slices.IndexFunc(head, func(h string) bool { return strings.IndexByte(h, 0) >= 0 })
	advice := "it looks like UTF-16 without a byte order mark; add encoding: utf-16le (or utf-16be) to the mapping"
	if at < 0 {
		at = slices.IndexFunc(head, func(h string) bool { return !utf8.ValidString(h) })
		advice = windows1251
	}
	if at < 0 {
		return nil
	}
	line, col := fieldPos(cr, head, at)
	return &stats.ParseError{File: name, Line: line, Column: col, Err: fmt.Errorf("%w: %s", stats.ErrEncoding, advice)}
}

// plan is a mapping bound to the columns of one table.
type plan struct {
	m *Mapping
	// known are the indicators a row may name: the built-in ones and
	// those the mapping itself names.
	known  map[string]bool
	col    map[string]int
	head   []string
	names  *Names
	values []valuePlan
	pats   []*PeriodPattern
	skipRE []*regexp.Regexp // the compiled Matches of each skip rule, or nil
	// read are the columns whose text the fields and the value columns
	// read, by index, in order.
	read []int

	// A table repeats a few hundred names, codes, units and periods over
	// many rows: what each becomes is worked out once, for up to
	// maxCached of each (a table of a distinct name a row works them
	// out every time, in bounded memory).
	codes   map[string]codeOf
	valid   map[string]bool // by alpha-3 code
	units   map[string]string
	periods map[string]periodOf
}

// maxCached bounds each of the plan's caches.
const maxCached = 1 << 16

type codeOf struct {
	code string
	ok   bool
}

type periodOf struct {
	p   stats.Period
	err error
}

type valuePlan struct {
	ValueColumn
	idx    int
	period stats.Period
	unit   string
}

var refRE = lazyre.New(`\{([^{}]+)\}`)

func (m *Mapping) plan(head []string) (*plan, error) {
	p := &plan{m: m, col: map[string]int{}, head: head, names: NewNames(m.Names), known: map[string]bool{},
		codes: map[string]codeOf{}, valid: map[string]bool{}, units: map[string]string{}, periods: map[string]periodOf{}}
	for _, n := range stats.NewVocabulary().Names() {
		p.known[n] = true
	}
	for _, v := range m.Values {
		p.known[v.Indicator] = true
	}
	for _, v := range m.Indicator.Map {
		p.known[v] = true
	}
	if m.Indicator.Const != "" {
		p.known[m.Indicator.Const] = true
	}
	for i, h := range head {
		h = strings.TrimSpace(h)
		if _, dup := p.col[h]; !dup {
			p.col[h] = i
		}
	}
	need := func(where, c string) error {
		if _, ok := p.col[c]; !ok {
			return fmt.Errorf("%s: no column %q in the header (%s)", where, c, strings.Join(quoted(head), ", "))
		}
		return nil
	}
	for _, f := range []struct {
		name string
		f    *Field
	}{{"source", &m.Source}, {"reporter", &m.Reporter}, {"partner", &m.Partner}, {"indicator", &m.Indicator},
		{"period", &m.Period}, {"unit", &m.Unit}, {"status", &m.Status}, {"note", &m.Note}} {
		var cols []string
		if f.f.Column != "" {
			cols = append(cols, f.f.Column)
		}
		cols = append(cols, f.f.Columns...)
		for _, ref := range refRE().FindAllStringSubmatch(f.f.Template, -1) {
			cols = append(cols, ref[1])
		}
		for _, c := range cols {
			if err := need(f.name, c); err != nil {
				return nil, err
			}
			p.read = append(p.read, p.col[c])
		}
	}
	for i, s := range m.Skip {
		var re *regexp.Regexp
		if s.Matches != "" {
			re = regexp.MustCompile(s.Matches) // validate compiled it
		}
		p.skipRE = append(p.skipRE, re)
		for _, c := range []string{s.Column, s.EqualsColumn, s.NotEqualsColumn} {
			if c == "" {
				continue
			}
			if err := need(fmt.Sprintf("skip[%d]", i), c); err != nil {
				return nil, err
			}
		}
	}
	for _, pat := range m.Period.Patterns {
		pp, err := compilePattern(pat)
		if err != nil {
			return nil, err
		}
		p.pats = append(p.pats, pp)
	}
	for i, v := range m.Values {
		if err := need(fmt.Sprintf("values[%d]", i), v.Column); err != nil {
			return nil, err
		}
		vp := valuePlan{ValueColumn: v, idx: p.col[v.Column]}
		p.read = append(p.read, vp.idx)
		if v.Period != "" {
			per, err := p.period(v.Period)
			if err != nil {
				return nil, fmt.Errorf("values[%d] (%s): period: %v", i, v.Column, err)
			}
			vp.period = per
		}
		if v.Unit != "" {
			vp.unit = NormalizeUnit(v.Unit)
		}
		p.values = append(p.values, vp)
	}
	slices.Sort(p.read)
	p.read = slices.Compact(p.read)
	return p, nil
}

func quoted(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// code resolves a name, remembering the answer.
func (p *plan) code(name string) (string, bool) {
	if c, ok := p.codes[name]; ok {
		return c.code, c.ok
	}
	c, ok := p.names.Code(name)
	if len(p.codes) < maxCached {
		// The cells of a row are parts of its whole line: what is kept
		// has strings of its own.
		c = strings.Clone(c)
		p.codes[strings.Clone(name)] = codeOf{c, ok}
	}
	return c, ok
}

// validCode is stats.ValidCode, remembering the answer.
func (p *plan) validCode(c string) bool {
	if ok, seen := p.valid[c]; seen {
		return ok
	}
	ok := stats.ValidCode(c)
	if len(p.valid) < maxCached {
		p.valid[strings.Clone(c)] = ok
	}
	return ok
}

// unit is NormalizeUnit, remembering the answer.
func (p *plan) unit(u string) string {
	if n, ok := p.units[u]; ok {
		return n
	}
	n := NormalizeUnit(u)
	if len(p.units) < maxCached {
		n = strings.Clone(n)
		p.units[strings.Clone(u)] = n
	}
	return n
}

// cachedPeriod is period, remembering the answer.
func (p *plan) cachedPeriod(label string) (stats.Period, error) {
	if r, ok := p.periods[label]; ok {
		return r.p, r.err
	}
	q, err := p.period(label)
	if len(p.periods) < maxCached {
		p.periods[strings.Clone(label)] = periodOf{q, err}
	}
	return q, err
}

// period reads a label with the mapping's patterns, else as ISO 8601.
func (p *plan) period(label string) (stats.Period, error) {
	t := strings.TrimSpace(label)
	for _, pp := range p.pats {
		if q, ok := pp.Parse(t); ok {
			return q, nil
		}
	}
	q, err := stats.ParsePeriod(t)
	if err == nil {
		return q, nil
	}
	if len(p.pats) == 0 {
		return stats.Period{}, err
	}
	return stats.Period{}, fmt.Errorf("%w: %q matches none of the patterns %s", stats.ErrBadPeriod, label, strings.Join(p.m.Period.Patterns, ", "))
}

// cell returns the trimmed text of column c in rec, "" when the row is
// short.
func (p *plan) cell(rec []string, c string) string {
	i, ok := p.col[c]
	if !ok || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// text evaluates f on a row; col is the index of the column read, or -1.
func (p *plan) text(f *Field, rec []string) (string, int) {
	var s string
	col := -1
	switch {
	case f.Column != "":
		s, col = p.cell(rec, f.Column), p.col[f.Column]
	case len(f.Columns) > 0:
		for _, c := range f.Columns {
			if v := p.cell(rec, c); v != "" {
				s, col = v, p.col[c]
				break
			}
		}
	case f.Template != "":
		s = refRE().ReplaceAllStringFunc(f.Template, func(ref string) string {
			return p.cell(rec, ref[1:len(ref)-1])
		})
	default:
		s = f.Const
	}
	if v, ok := f.Map[s]; ok {
		s = v
	}
	return s, col
}

// control returns the problem of text s of field f of rec, read at column
// col (see text), and the column it is in, when it has a control character
// (see stats.ControlAt): the tidy CSV would carry it into every
// observation of the row, and the check refuse them. The column of a
// template's text is the first column it reads that has one.
func (p *plan) control(f *Field, rec []string, s string, col int) (int, error) {
	i := stats.ControlAt(s)
	if i < 0 {
		return col, nil
	}
	// The character is counted in the cell as the table has it, spaces
	// around it and all.
	cols := []int{col}
	if col < 0 && f.Template != "" {
		cols = cols[:0]
		for _, ref := range refRE().FindAllStringSubmatch(f.Template, -1) {
			if c, ok := p.col[ref[1]]; ok {
				cols = append(cols, c)
			}
		}
	}
	for _, c := range cols {
		if c < 0 || c >= len(rec) {
			continue
		}
		// The cell's text is read without the spaces around it (see
		// cell), which may be control characters too: its first
		// character is counted in the cell.
		raw := rec[c]
		lead := len(raw) - len(strings.TrimLeftFunc(raw, unicode.IsSpace))
		if j := stats.ControlAt(strings.TrimSpace(raw)); j >= 0 {
			return c, stats.ControlError(raw, lead+j)
		}
	}
	return col, stats.ControlError(s, i)
}

func (s *Match) matches(p *plan, re *regexp.Regexp, rec []string) bool {
	v := p.cell(rec, s.Column)
	if s.Equals != nil && v != strings.TrimSpace(*s.Equals) {
		return false
	}
	if s.In != nil && !slices.Contains(s.In, v) {
		return false
	}
	if s.NotIn != nil && slices.Contains(s.NotIn, v) {
		return false
	}
	if re != nil && !re.MatchString(v) {
		return false
	}
	if s.Empty != nil && (v == "") != *s.Empty {
		return false
	}
	if s.EqualsColumn != "" && v != p.cell(rec, s.EqualsColumn) {
		return false
	}
	if s.NotEqualsColumn != "" && v == p.cell(rec, s.NotEqualsColumn) {
		return false
	}
	return true
}

// row maps one record into observations or problems.
func (p *plan) row(res *rowOut, name string, cr *csv.Reader, rec []string) {
	line, _ := cr.FieldPos(0)
	// The places of the fields, found once a row when one is needed.
	res.places = res.places[:0]
	place := func(col int) fieldPlace {
		if col < 0 || col >= len(rec) {
			return fieldPlace{line, 0}
		}
		if len(res.places) == 0 {
			res.places = fieldPlaces(cr, rec, res.places)
		}
		return res.places[col]
	}
	pos := func(col int) int { return place(col).col }
	problem := func(col int, err error) {
		field := ""
		if col >= 0 && col < len(p.head) {
			field = p.head[col]
		}
		// At the field's own line: a quoted cell before it may hold line
		// breaks.
		at := place(col)
		res.problems = append(res.problems, &stats.ParseError{File: name, Line: at.line, Column: at.col, Field: field, Err: err})
	}
	if !slices.ContainsFunc(rec, func(s string) bool { return strings.TrimSpace(s) != "" && s != "NA" }) {
		res.counts.Skipped++
		return
	}
	for i := range p.m.Skip {
		if p.m.Skip[i].matches(p, p.skipRE[i], rec) {
			res.counts.Skipped++
			return
		}
	}
	if len(rec) == len(p.head) {
		p.fields(res, name, line, pos, problem, rec, false)
		// In the order of their columns, as the file has them, whatever
		// order the fields were read in.
		slices.SortStableFunc(res.problems, func(a, b *stats.ParseError) int {
			return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
		})
		return
	}
	// A row that does not line up with the header may have lost a cell
	// anywhere, and its cells may stand under the wrong headers: nothing
	// is taken from it, and it is not counted as dropped either. It is
	// still read, for the months it would have given (see fields, whose
	// failRow marks them for every series of the row's pair), so that no
	// zero is filled in for a month the table has a row of.
	if res.scratch == nil {
		res.scratch = &Counts{Dropped: map[string]int{}}
	}
	counts := res.counts
	res.counts = res.scratch
	p.fields(res, name, line, pos, func(int, error) {}, rec, true)
	res.counts = counts
	clear(res.scratch.Dropped)
	res.obs = res.obs[:0]
	// A row is placed as the tidy CSV's reader places it: at the first
	// field past the header's, or at the last field of a short row. The
	// problem is the row's, of no column.
	var at int
	var hint string
	switch {
	case len(rec) > len(p.head):
		at = len(p.head)
		hint = fmt.Sprintf("a field with %q in it must be quoted", string(p.m.comma()))
		if !slices.ContainsFunc(rec[at:], func(s string) bool { return strings.TrimSpace(s) != "" }) {
			hint = "the fields after the last column are empty: remove them"
		}
	default:
		at = len(rec) - 1
		hint = fmt.Sprintf("it ends before column %q", p.head[len(rec)])
	}
	res.problems = append(res.problems[:0], &stats.ParseError{File: name, Line: line, Column: pos(at),
		Err: fmt.Errorf("%w: the row has %d fields, the header %d: %s", stats.ErrFieldCount, len(rec), len(p.head), hint)})
}

// fields maps the cells of one record, which is not skipped, into
// observations, handing each problem to problem with the index of its
// column (or -1); line is the record's and pos gives the column of a
// field. misaligned tells that the record does not line up with the
// header (see row).
func (p *plan) fields(res *rowOut, name string, line int, pos func(int) int, problem func(int, error), rec []string, misaligned bool) {
	code := func(f *Field, what string) (string, bool) {
		s, col := p.text(f, rec)
		if s == "" {
			problem(col, fmt.Errorf("%w: no %s on this row", ErrNoValue, what))
			return "", false
		}
		c, ok := p.code(s)
		if !ok {
			problem(col, fmt.Errorf("%w: %s %q has no alpha-3 code: add it to the mapping's names (or map it to \"-\" to drop its rows)", ErrUnknownName, what, s))
			return "", false
		}
		if c == Drop {
			if _, ok := res.counts.Dropped[s]; !ok {
				s = strings.Clone(s)
			}
			res.counts.Dropped[s]++
			return "", false
		}
		if !p.validCode(c) {
			problem(col, fmt.Errorf("%w: %s %q maps to %q, which is not an alpha-3 code", ErrUnknownName, what, s, c))
			return "", false
		}
		return c, true
	}
	reporter, ok := code(&p.m.Reporter, "reporter")
	if !ok {
		return
	}
	var partner string
	if !p.m.Partner.IsZero() {
		if partner, ok = code(&p.m.Partner, "partner"); !ok {
			return
		}
	}
	// The row's own text and period, their problems told where a value
	// column needs them.
	source, srcCol := p.text(&p.m.Source, rec)
	srcCol, srcErr := p.control(&p.m.Source, rec, source, srcCol)
	note, noteCol := p.text(&p.m.Note, rec)
	noteCol, noteErr := p.control(&p.m.Note, rec, note, noteCol)
	unit, unitCol := "", -1
	var unitErr error
	if !p.m.Unit.IsZero() {
		unit, unitCol = p.text(&p.m.Unit, rec)
		switch unitCol, unitErr = p.control(&p.m.Unit, rec, unit, unitCol); {
		case unitErr != nil:
		case unit == "":
			unitErr = fmt.Errorf("%w: no unit on this row", ErrNoValue)
		default:
			unit = p.unit(unit)
		}
	}
	indicator := ""
	indCol, indErrCol := -1, -1
	var indErr error
	if !p.m.Indicator.IsZero() {
		indicator, indCol = p.text(&p.m.Indicator, rec)
		indErrCol, indErr = p.control(&p.m.Indicator, rec, indicator, indCol)
	}
	var period stats.Period
	var periodErr error
	perCol := -1
	if !p.m.Period.IsZero() {
		var label string
		label, perCol = p.text(&p.m.Period, rec)
		if label == "" {
			periodErr = fmt.Errorf("%w: no period on this row", ErrNoValue)
		} else {
			period, periodErr = p.cachedPeriod(label)
		}
	}
	// rowUnitBad tells that value column v's unit is the row's, which
	// cannot be read (or is empty); rowIndicatorBad, that its indicator
	// is, which cannot be read or is unknown.
	rowUnitBad := func(v *valuePlan) bool { return v.Unit == "" && unitErr != nil }
	rowIndicatorBad := func(v *valuePlan) bool {
		return v.Indicator == "" && (indErr != nil || indicator == "" || !p.known[indicator])
	}
	// failRow tells the fill that the table has this row's months, for
	// every value column: of the series each gives, or, when that cannot
	// be told (its source, indicator or unit cannot be read), of every
	// series of its reporter and partner. No zero is filled in for a
	// month whose row is only wrong.
	failRow := func(pair bool) {
		for i := range p.values {
			v := &p.values[i]
			k := fillKey{Key: stats.Key{Reporter: reporter, Partner: partner}}
			if v.Partner != "" {
				c, ok := p.names.Code(v.Partner)
				if !ok {
					continue
				}
				k.Partner = c
			}
			per := period
			if !v.period.IsZero() {
				per = v.period
			} else if periodErr != nil {
				continue
			}
			pair := pair || rowUnitBad(v) || rowIndicatorBad(v)
			if !pair {
				k.Indicator, k.unit, k.source = cmp.Or(v.Indicator, indicator), cmp.Or(v.unit, unit), source
			}
			res.failed = append(res.failed, failedCell{k, per, pair})
		}
	}
	if misaligned {
		// Its cells may stand under the wrong headers: its months are
		// those of every series of its pair, as far as they can be read.
		defer failRow(true)
	}
	if source == "" {
		problem(srcCol, fmt.Errorf("%w: no source on this row", ErrNoValue))
		failRow(true)
		return
	}
	if srcErr != nil {
		problem(srcCol, srcErr)
		failRow(true)
		return
	}
	var status stats.Status
	if !p.m.Status.IsZero() {
		s, col := p.text(&p.m.Status, rec)
		st, err := stats.ParseStatus(s)
		if err != nil {
			problem(col, err)
			failRow(false)
			return
		}
		status = st
	}
	// A control character in the row's note, unit or indicator is a
	// problem of the observations that carry it, told once a row.
	// Two fields of one cell (a note and a unit, say) tell its problem
	// once.
	var damaged []error
	var damagedCols []int
	damage := func(col int, err error) {
		if slices.Contains(damaged, err) || col >= 0 && slices.Contains(damagedCols, col) {
			return
		}
		damaged, damagedCols = append(damaged, err), append(damagedCols, col)
		problem(col, err)
	}
	for _, v := range p.values {
		o := stats.Observation{Reporter: reporter, Partner: partner, Indicator: indicator, Period: period,
			Unit: unit, Status: status, Source: source, Note: note,
			Pos: stats.Pos{File: name, Line: line, Column: pos(v.idx)}}
		if v.Partner != "" {
			c, ok := p.names.Code(v.Partner)
			if !ok || !p.validCode(c) {
				problem(v.idx, fmt.Errorf("%w: partner %q of column %q has no alpha-3 code", ErrUnknownName, v.Partner, v.Column))
				continue
			}
			o.Partner = c
		}
		if v.Indicator != "" {
			o.Indicator = v.Indicator
		} else if indErr != nil {
			damage(indErrCol, indErr)
			continue // failed with the row's other columns at its end
		} else if o.Indicator == "" {
			damage(indCol, fmt.Errorf("%w: no indicator on this row", ErrNoValue))
			continue
		} else if !p.known[o.Indicator] {
			damage(indCol, fmt.Errorf("%w: %q: map it to an indicator in the mapping's indicator map", stats.ErrUnknownIndicator, o.Indicator))
			continue
		}
		if v.Unit != "" {
			o.Unit = v.unit
		}
		if !v.period.IsZero() {
			o.Period = v.period
		} else if periodErr != nil {
			// The columns of periods of their own are still read, and
			// failed with the others at the row's end.
			damage(perCol, periodErr)
			continue
		}
		damagedUnit := rowUnitBad(&v)
		cell := ""
		if v.idx < len(rec) {
			cell = rec[v.idx]
		}
		val, kind, err := p.m.Numbers.parse(cell, v.Empty)
		if err != nil {
			problem(v.idx, err)
			if damagedUnit {
				damage(unitCol, unitErr) // its months the pair's, at the row's end
			}
			res.failed = append(res.failed, failedCell{fillKey{o.Key(), o.Unit, o.Source}, o.Period, false})
			continue
		}
		switch kind {
		case cellSkip:
			continue
		case cellMissing:
			o.Status = stats.Missing
		default:
			o.Value = val
		}
		// The text the observation carries, damaged (or no unit).
		if damagedUnit {
			damage(unitCol, unitErr)
		}
		if noteErr != nil {
			damage(noteCol, noteErr)
		}
		if damagedUnit || noteErr != nil {
			continue // failed with the row's other columns at its end
		}
		res.obs = append(res.obs, o)
	}
	if len(damaged) > 0 {
		failRow(false)
	}
}
