package stats

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/language"
	"golang.org/x/text/transform"
)

// LoadOptions tune [Load]. The zero value reads comma-separated UTF-8 with
// the built-in indicators.
type LoadOptions struct {
	// Delimiter separates fields; 0 means a comma.
	Delimiter byte
	// Encoding names the text encoding of the input: "" or "utf-8",
	// "utf-16" (with a byte order mark), "utf-16le", "utf-16be",
	// "windows-1251", "koi8-r", "iso-8859-1" or "windows-1252".
	Encoding string
	// Vocabulary is the set of known indicators; nil means the built-in
	// ones.
	Vocabulary *Vocabulary
	// MaxProblems bounds the row-level problems kept; the rest are counted
	// in a last problem. 0 means 10000.
	MaxProblems int
	// SizeHint is the size of the input in bytes, when known; the loader
	// uses it to size the observations once instead of growing them.
	SizeHint int64
	// Codes are economy or group codes accepted besides ISO 3166-1 alpha-3
	// and [Aggregates]: the groups a rules file declares.
	Codes []string
	// Progress, when not nil, is called with the number of bytes read so
	// far, about every megabyte and once at the end. Of several inputs
	// ([CheckInputs]), the bytes of those read before count too; inputs
	// read again from their start (through temporary files, when they are
	// found out of year order) are counted again from 0.
	Progress func(read int64)
	// MemoryLimit, when above 0, is the memory in bytes the process may
	// take. A check or a comparison a year at a time ([CheckStream],
	// [CheckInputs], [DiffInputs]) whose live heap, while it reads the
	// rows of a year, or while its rules run and make the findings it
	// holds to list, outgrows most of it stops with an error that wraps
	// [ErrMemory] (and [ErrFindingsMemory] when every finding is listed,
	// [Config.MaxFindings] 0), rather than run on until the system kills
	// it. The
	// runtime should be given the limit too (debug.SetMemoryLimit), so that
	// it collects garbage before the heap reaches it, and measures the live
	// heap often as it nears it.
	MemoryLimit int64
	// MemoryElsewhere, when not nil, returns the bytes of memory the
	// process holds outside the runtime's heap that MemoryLimit counts:
	// temporary files on a file system in memory (tmpfs), such as the
	// years' files of [CheckInputs] and [DiffInputs] or a copy of standard
	// input. It is called each time the heap is measured against
	// MemoryLimit, which it is taken from, and after each megabyte or so
	// of the years' files written: when those leave the heap too little
	// room, the writing stops with an error that wraps [ErrMemory].
	MemoryElsewhere func() int64
	// NotesAsIs takes a row's note as it is, control characters and all
	// (see [ControlAt]), rather than report them as a problem of the row:
	// for releases compared with each other ([Diff], [DiffInputs]), whose
	// notes are shown, not published, and whose figures a damaged note
	// would otherwise take out of the comparison.
	NotesAsIs bool
}

// Columns of the tidy format, by their canonical names.
const (
	colReporter = iota
	colPartner
	colIndicator
	colPeriod
	colValue
	colUnit
	colStatus
	colSource
	colNote
	nColumns
)

var columnNames = [nColumns]string{"reporter", "partner", "indicator", "period", "value", "unit", "status", "source", "note"}

var requiredColumn = [nColumns]bool{true, true, true, true, true, true, false, true, false}

// columnAliases maps lower-case header names to columns: the canonical names
// and the SDMX-CSV ones.
var columnAliases = map[string]int{
	"reporter": colReporter, "ref_area": colReporter,
	"partner": colPartner, "counterpart_area": colPartner,
	"indicator": colIndicator,
	"period":    colPeriod, "time_period": colPeriod,
	"value": colValue, "obs_value": colValue,
	"unit": colUnit, "unit_measure": colUnit,
	"status": colStatus, "obs_status": colStatus,
	"source": colSource,
	"note":   colNote,
}

// Encoding returns the decoder for an encoding name of [LoadOptions], or an
// error naming the ones supported.
func Encoding(name string) (encoding.Encoding, error) {
	switch strings.ToLower(strings.ReplaceAll(name, "_", "-")) {
	case "", "utf-8", "utf8":
		return nil, nil
	case "utf-16", "utf16":
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), nil
	case "utf-16le":
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), nil
	case "utf-16be":
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM), nil
	case "windows-1251", "cp1251":
		return charmap.Windows1251, nil
	case "koi8-r":
		return charmap.KOI8R, nil
	case "iso-8859-1", "latin1":
		return charmap.ISO8859_1, nil
	case "windows-1252", "cp1252":
		return charmap.Windows1252, nil
	}
	return nil, fmt.Errorf("unknown encoding %q: use utf-8, utf-16, utf-16le, utf-16be, windows-1251, koi8-r, iso-8859-1 or windows-1252", name)
}

// LoadFile opens the named file and loads it with [Load]; the file's path is
// the name used in positions.
func LoadFile(path string, opts LoadOptions) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && opts.SizeHint == 0 && st.Mode().IsRegular() {
		opts.SizeHint = st.Size()
	}
	return Load(f, path, opts)
}

// Load reads tidy CSV (see the package documentation and DESIGN.md) from r;
// name is the file name used in positions.
//
// Problems that make the file unreadable as a table (empty input, no
// header, a required column missing, text that is not UTF-8, a quote that
// is never closed) return a *[ParseError] and no dataset. Problems with
// single rows (a bad number, period, code or indicator, a wrong number of
// fields) do not stop loading: the row is left out and the problem is kept
// in [Dataset.Problems], every one of them, in file order.
func Load(r io.Reader, name string, opts LoadOptions) (*Dataset, error) {
	l, err := newLoader(r, name, opts)
	if err != nil {
		return nil, err
	}
	ds := &Dataset{Files: []string{name}}
	if opts.SizeHint > 0 {
		// The rows of each chunk are copied into ds.Obs at once: the
		// chunks' slices can be reused.
		l.pools = newPools()
	}
	var parts [][]Observation
	n := 0
	err = l.scan(func(p part) error {
		ds.Rows += p.rows
		if opts.SizeHint <= 0 {
			parts = append(parts, p.obs)
			n += len(p.obs)
			return nil
		}
		if ds.Obs == nil && p.read > 0 {
			// Size the observations for the whole file from the bytes per
			// row of the first chunk, with a margin, so that a large file
			// is not copied on every doubling of the slice.
			ds.Obs = make([]Observation, 0, int(float64(opts.SizeHint)/float64(p.read)*float64(len(p.obs))*1.05)+1024)
		}
		ds.Obs = append(ds.Obs, p.obs...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if parts != nil {
		ds.Obs = make([]Observation, 0, n)
		for _, p := range parts {
			ds.Obs = append(ds.Obs, p...)
		}
	}
	ds.Problems = l.finishProblems()
	return ds, nil
}

// newLoader reads the header of r and returns a loader for its rows.
func newLoader(r io.Reader, name string, opts LoadOptions) (*loader, error) {
	enc, err := Encoding(opts.Encoding)
	if err != nil {
		return nil, err
	}
	src := r
	if enc != nil {
		r = transform.NewReader(r, enc.NewDecoder())
	}
	delim := opts.Delimiter
	if delim == 0 {
		delim = ','
	}
	// As encoding/csv's: a quote, a line break or a byte of a character
	// past ASCII cannot separate fields.
	if delim == '"' || delim == '\r' || delim == '\n' || delim >= utf8.RuneSelf {
		return nil, errorf(ErrDelimiter, "%q cannot separate fields: use a comma, a semicolon, a tab or a bar", delim)
	}
	voc := opts.Vocabulary
	if voc == nil {
		voc = NewVocabulary()
	}
	maxProblems := opts.MaxProblems
	if maxProblems <= 0 {
		maxProblems = 10000
	}
	stamp, stamped := stampOf(src)
	l := &loader{
		name: name, voc: voc, cr: newCSVReader(r, delim), delim: delim, src: src, stamp: stamp, stamped: stamped,
		intern: map[string]interned{}, shared: newInternTable(), codes: map[string]error{},
		maxProblems: maxProblems, progress: opts.Progress, extraCodes: opts.Codes, encoding: opts.Encoding,
		notesAsIs: opts.NotesAsIs,
	}
	if err := l.readHeader(); err != nil {
		return nil, err
	}
	return l, nil
}

// finishProblems returns the problems kept, with a last one that counts
// those left out.
func (l *loader) finishProblems() []*ParseError {
	ps := l.problems
	if l.scanned && l.records == 0 {
		// A header alone: a check of it would pass on nothing, as a CI
		// job whose export came out empty would.
		ps = append(ps, &ParseError{File: l.name, Line: l.lastLine + 1,
			Err: errorf(ErrEmpty, "the file has a header and no data rows: there is nothing to check")})
	}
	if l.dropped > 0 {
		ps = append(ps, &ParseError{File: l.name, Line: l.lastLine,
			Err: fmt.Errorf("and %d more problems not listed", l.dropped)})
	}
	return ps
}

type loader struct {
	// notesAsIs is LoadOptions.NotesAsIs.
	notesAsIs   bool
	name        string
	src         io.Reader // what the rows are read from, before decoding
	stamp       fileStamp // src's, when it is a file (stamped)
	stamped     bool
	voc         *Vocabulary
	cr          *csvReader
	delim       byte
	col         [nColumns]int // index of each column in the record, -1 when absent
	mult        int           // 1 + the index of SDMX's UNIT_MULT column (see unitMult), 0 when absent
	multLast    [3]string     // the last unit and multiplier texts of unitOfRow, and its unit
	names       []string
	intern      map[string]interned // a cache of shared, without locks
	shared      *internTable
	codes       map[string]error
	known       *[26 * 26 * 26]interned // valid codes of three letters, by their letters
	ds          *Dataset                // the rows of the chunk being parsed
	maxProblems int
	problems    []*ParseError
	dropped     int
	progress    func(int64)
	extraCodes  []string
	encoding    string
	pools       *pools           // nil when the rows are kept
	last        [nColumns]string // the valid string of each column in the row before
	lastID      [nColumns]uint32 // and its number in the shared table
	keys        []uint64         // when not nil, the series key of each row kept (see seriesCode)
	wantKeys    bool             // give each chunk's rows their keys
	// figTable, when not nil, has each row made a fig of the series in
	// it as it is parsed (by fm, the worker's own, into figs), and no
	// observation kept.
	figTable *seriesTable
	// file, when not nil, is the file of the figs, rather than the
	// table's of the input's name, and base the lines before the input's
	// in it (see fileName, checkStreams and spill.writeFigs).
	file       *fileName
	base       int32
	fm         *figMaker
	figs       []fig
	recent     [4]interned // the last different known indicators
	nextRecent int
	// The last valid period read, and its text (when it fits): rows come
	// in runs of a period, whose text is compared faster than parsed.
	period     Period
	periodText [24]byte
	periodLen  int
	perRow     float64 // bytes per row of the last chunk parsed
	lastLine   int     // the last line of the input, for the count of problems left out
	// scanned tells that the data rows were read (see scan), and records
	// counts them, rejected ones included.
	scanned bool
	records int
}

func (l *loader) fail(line, col int, err error) *ParseError {
	return &ParseError{File: l.name, Line: line, Column: col, Err: err}
}

func (l *loader) readHeader() error {
	if l.cr.r != nil {
		// Compressed data would be refused as text that is not UTF-8, or
		// as a header without the columns.
		head, _ := l.cr.r.Peek(CompressionHead)
		if err := CompressedError(head); err != nil {
			return l.fail(1, 1, err)
		}
	}
	err := l.cr.read()
	if err == io.EOF {
		return l.fail(1, 0, errorf(ErrEmpty, "the file is empty: it needs a header row (%s) and data rows", strings.Join(columnNames[:], ",")))
	}
	var re *recordError
	if errors.As(err, &re) {
		return l.fail(re.line, re.col, re.err)
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", l.name, err)
	}
	for i := range l.col {
		l.col[i] = -1
	}
	known := 0
	for i := 0; i < l.cr.nfields(); i++ {
		h := strings.TrimSpace(string(l.cr.field(i)))
		l.names = append(l.names, h)
		c, ok := columnAliases[strings.ToLower(h)]
		if strings.EqualFold(h, unitMultColumn) {
			if l.mult > 0 {
				st := l.cr.start(i)
				return l.fail(st.line, st.col, errorf(ErrDuplicateColumn, "columns %q and %q are both the unit's multiplier: keep one", l.names[l.mult-1], h))
			}
			l.mult = i + 1
		}
		if !ok {
			continue
		}
		known++
		st := l.cr.start(i)
		if l.col[c] >= 0 {
			return l.fail(st.line, st.col, errorf(ErrDuplicateColumn, "columns %q and %q both mean %q: keep one", l.names[l.col[c]], h, columnNames[c]))
		}
		l.col[c] = i
	}
	if err := l.headerText(); err != nil {
		return err
	}
	if l.cr.nfields() == 1 {
		h := l.names[0]
		for _, d := range []struct {
			c    byte
			name string
		}{{',', "comma"}, {';', "semicolon"}, {'\t', "tab"}, {'|', "vertical bar"}} {
			if d.c != l.delim && strings.Count(h, string(d.c)) >= 3 {
				return l.fail(1, 1, errorf(ErrDelimiter, "the header is one field with %d %ss in it: the file looks %s-separated; use --delimiter '%s'",
					strings.Count(h, string(d.c)), d.name, d.name, delimFlag(d.c)))
			}
		}
	}
	if known == 0 {
		return l.fail(l.cr.line, 1, errorf(ErrNoHeader, "the first line has none of the column names (%s): the file needs a header row", strings.Join(columnNames[:], ",")))
	}
	var missing []string
	for c := range nColumns {
		if requiredColumn[c] && l.col[c] < 0 {
			missing = append(missing, columnNames[c])
		}
	}
	if len(missing) > 0 {
		return l.fail(l.cr.line, 0, errorf(ErrMissingColumn, "required column %s missing; the header has %s",
			strings.Join(quoteAll(missing), ", "), strings.Join(quoteAll(l.names), ", ")))
	}
	return nil
}

// headerText returns the problem of a header whose text tells that the
// file is not read as it was written: its lines end in a carriage return
// alone (as classic Mac OS wrote them), which makes the whole file one
// line, its header, of fields with line breaks in them; or it is UTF-16
// without a byte order mark, whose ASCII characters each come with a NUL.
func (l *loader) headerText() error {
	for i := range l.cr.nfields() {
		f := l.cr.field(i)
		st := l.cr.start(i)
		if j := bytes.IndexByte(f, '\r'); j >= 0 {
			return l.fail(st.line, st.col+utf8.RuneCount(f[:j]), LineEndingError())
		}
		if j := bytes.IndexByte(f, 0); j >= 0 {
			enc := "utf-16le" // r\0e\0…: the low byte first
			if j%2 == 0 {
				enc = "utf-16be" // \0r\0e…
			}
			return l.fail(st.line, st.col+j, errorf(ErrEncoding, "the text is not UTF-8: it looks like UTF-16 without a byte order mark; use --encoding %s", enc))
		}
	}
	return nil
}

func delimFlag(c byte) string {
	if c == '\t' {
		return `\t`
	}
	return string(c)
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

func (l *loader) problem(line, col int, field string, err error) {
	if len(l.problems) >= l.maxProblems {
		l.dropped++
		return
	}
	l.problems = append(l.problems, &ParseError{File: l.name, Line: line, Column: col, Field: field, Err: err})
}

// recentIndicator returns the known indicator f among the last few
// different ones.
func (l *loader) recentIndicator(f []byte) (interned, bool) {
	for _, e := range l.recent {
		if e.s != "" && string(f) == e.s {
			return e, true
		}
	}
	return interned{}, false
}

// strCol is str for column c, which remembers the string of the row before.
func (l *loader) strCol(c int, b []byte) string {
	if string(b) == l.last[c] {
		return l.last[c]
	}
	e := l.strID(b)
	l.last[c], l.lastID[c] = e.s, e.id
	return e.s
}

func (l *loader) str(b []byte) string { return l.strID(b).s }

// textOf returns the problem of field c's text b, a unit or a source: a
// control character (see ControlAt). A text that is column c's last is
// not read again: rows come in runs of a unit and a source.
func (l *loader) textOf(c int, b []byte) error {
	if string(b) == l.last[c] {
		return nil
	}
	if i := ControlAt(b); i >= 0 {
		return ControlError(b, i)
	}
	return nil
}

// strID returns the shared string equal to b, with its number.
func (l *loader) strID(b []byte) interned {
	if e, ok := l.intern[string(b)]; ok {
		return e
	}
	e := l.shared.get(b)
	if len(l.intern) < maxInterned {
		l.intern[e.s] = e
	}
	return e
}

// interned is a shared string and its number in the table, from 1; 0 when
// the table was full and the string is not shared.
type interned struct {
	s  string
	id uint32
}

// internTable is the strings that the loaders of one input share (of
// every input of a check through the files of the years, see
// spill.writeFigs), so that equal codes are one string: comparing them, as
// the checks do all the time, then ends at the pointer. Past maxInterned
// strings, the new ones are not shared, and rows that have one have no
// series code.
type internTable struct {
	mu sync.Mutex
	m  map[string]interned
	// spare holds the tables of codes (see loader.known) that the parsing
	// goroutines of a loader left, for those of the next loader of the
	// table to start from: their strings are the table's. An input read
	// after another (a file a year, a month) would otherwise fill a table
	// of 280 KB afresh on each goroutine.
	spare []*[26 * 26 * 26]interned
}

// takeKnown returns a table of codes that the goroutines of a loader
// before left, or nil.
func (t *internTable) takeKnown() *[26 * 26 * 26]interned {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(t.spare)
	if n == 0 {
		return nil
	}
	k := t.spare[n-1]
	t.spare = t.spare[:n-1]
	return k
}

// leaveKnown keeps k, a table of codes of t's strings, for the goroutines
// of the next loader.
func (t *internTable) leaveKnown(k *[26 * 26 * 26]interned) {
	if k == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.spare) < runtime.GOMAXPROCS(0) {
		t.spare = append(t.spare, k)
	}
}

func newInternTable() *internTable {
	return &internTable{m: map[string]interned{}}
}

func (t *internTable) get(b []byte) interned {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e, ok := t.m[string(b)]; ok {
		return e
	}
	// A file with millions of distinct notes must not grow the table
	// without bound; codes, units and sources come first and stay shared.
	if len(t.m) >= maxInterned {
		return interned{s: string(b)}
	}
	e := interned{string(b), uint32(len(t.m) + 1)}
	t.m[e.s] = e
	return e
}

// seriesCode packs the numbers of a row's reporter, partner, indicator and
// source into one key of its series, or 0 when one of them has none.
func seriesCode(r, p, i, src uint32) uint64 {
	if r == 0 || p == 0 || i == 0 || src == 0 || max(r, p, i, src) >= 1<<16 {
		return 0
	}
	return uint64(r)<<fieldShift(0) | uint64(p)<<fieldShift(1) | uint64(i)<<fieldShift(2) | uint64(src)<<fieldShift(3)
}

// maxInterned bounds the strings the loader shares between rows.
const maxInterned = 1 << 16

// row validates the current record and appends it as an observation when
// it has no problem.
func (l *loader) row() {
	if l.fm != nil && l.rowOfNext() {
		return
	}
	cr := l.cr
	if n := cr.nfields(); n != len(l.names) {
		if n > len(l.names) {
			st := cr.start(len(l.names))
			l.problem(st.line, st.col, "", errorf(ErrFieldCount, "the row has %d fields, the header %d%s", n, len(l.names), l.splitHint()))
		} else {
			st := cr.start(n - 1)
			l.problem(st.line, st.col, "", errorf(ErrFieldCount, "the row has %d fields, the header %d", n, len(l.names)))
		}
		return
	}
	ok := true
	bad := func(c int, err error) {
		st := cr.start(l.col[c])
		l.problem(st.line, st.col, l.names[l.col[c]], err)
		ok = false
	}
	get := l.field
	// A row kept is made in its place, not copied there: most rows are
	// good. One made a fig of at once is made on the stack.
	var made Observation
	o := &made
	if l.fm == nil {
		l.ds.Obs = append(l.ds.Obs, Observation{})
		o = &l.ds.Obs[len(l.ds.Obs)-1]
	}
	// Findings about the figure point at its value (see valuePlace).
	o.Pos.File = l.name
	o.Pos.Line, o.Pos.Column = l.valuePlace()
	for _, c := range []int{colReporter, colPartner} {
		f := get(c)
		if len(f) == 0 {
			bad(c, errorf(ErrMissingField, "empty: every row needs a %s code", columnNames[c]))
			continue
		}
		if string(f) == l.last[c] {
			// The code of the row before, valid: rows come in runs of a
			// reporter, a partner, a unit, a source.
			if c == colReporter {
				o.Reporter = l.last[c]
			} else {
				o.Partner = l.last[c]
			}
			continue
		}
		e, ok3 := l.knownCode(f)
		if !ok3 {
			e = l.strID(f)
			if err := l.checkCode(e.s); err != nil {
				bad(c, err)
				continue
			}
			l.rememberCode(f, e)
		}
		code := e.s
		l.last[c], l.lastID[c] = code, e.id
		if c == colReporter {
			o.Reporter = code
		} else {
			o.Partner = code
		}
	}
	if f := get(colIndicator); len(f) == 0 {
		bad(colIndicator, errorf(ErrMissingField, "empty: every row needs an indicator"))
	} else if e, ok := l.recentIndicator(f); ok {
		// Rows cycle through a few indicators: exports, imports, turnover.
		o.Indicator = e.s
		l.last[colIndicator], l.lastID[colIndicator] = e.s, e.id
	} else if _, known := l.voc.Lookup(string(f)); !known {
		msg := fmt.Sprintf("unknown indicator %q", f)
		if c, near := l.voc.Closest(string(f)); near {
			msg += fmt.Sprintf(": did you mean %q?", c)
		} else {
			msg += fmt.Sprintf(": known are %s; declare others in the rules file", strings.Join(l.voc.Names(), ", "))
		}
		bad(colIndicator, errorf(ErrUnknownIndicator, "%s", msg))
	} else {
		e := l.strID(f)
		o.Indicator = e.s
		l.last[colIndicator], l.lastID[colIndicator] = e.s, e.id
		l.recent[l.nextRecent%len(l.recent)] = e
		l.nextRecent++
	}
	if f := get(colPeriod); len(f) == 0 {
		bad(colPeriod, errorf(ErrMissingField, "empty: every row needs a period"))
	} else if p, pok := l.periodOf(f); pok {
		o.Period = p
	} else {
		_, err := ParsePeriod(string(f))
		bad(colPeriod, err)
	}
	if v, vok := parseValueBytes(get(colValue)); vok {
		o.Value = v
	} else {
		_, err := ParseValue(string(get(colValue)))
		bad(colValue, err)
	}
	if f := get(colUnit); len(f) == 0 {
		bad(colUnit, errorf(ErrMissingField, "empty: every value needs a unit, such as \"USD million\" or \"count\""))
	} else if err := l.textOf(colUnit, f); err != nil {
		bad(colUnit, err)
	} else {
		o.Unit = l.strCol(colUnit, f)
		if l.mult > 0 {
			if u, err := unitMult(o.Unit, l.cr.field(l.mult-1)); err != nil {
				st := cr.start(l.mult - 1)
				l.problem(st.line, st.col, l.names[l.mult-1], err)
				ok = false
			} else if u != o.Unit {
				o.Unit = l.str([]byte(u))
			}
		}
	}
	if st, err := ParseStatus(string(get(colStatus))); err != nil {
		bad(colStatus, err)
	} else {
		o.Status = st
		if st == Missing && o.Value.Valid {
			bad(colStatus, errorf(ErrBadStatus, "status M (missing) on a row that has a value %s", o.Value))
		}
		if !o.Value.Valid && l.col[colValue] >= 0 && st != Missing && ok {
			o.Status = Missing
		}
	}
	if f := get(colSource); len(f) == 0 {
		bad(colSource, errorf(ErrMissingField, "empty: every figure needs its source"))
	} else if err := l.textOf(colSource, f); err != nil {
		bad(colSource, err)
	} else {
		o.Source = l.strCol(colSource, f)
	}
	if f := get(colNote); !l.notesAsIs && ControlAt(f) >= 0 {
		bad(colNote, ControlError(f, ControlAt(f)))
	} else if len(f) > 0 && l.fm == nil {
		// Notes repeat ("provisional", "as quoted by …"): share short ones.
		if len(f) <= 64 {
			o.Note = l.str(f)
		} else {
			o.Note = string(f)
		}
	}
	switch {
	case !ok && l.fm == nil:
		*o = Observation{}
		l.ds.Obs = l.ds.Obs[:len(l.ds.Obs)-1]
	case !ok:
	case l.fm != nil:
		// A fig reads no note: the note of the row is not kept.
		l.figs = append(l.figs, l.fm.fig(o, l.seriesCode()))
	case l.keys != nil:
		l.keys = append(l.keys, l.seriesCode())
	}
}

// rowOfNext appends the fig of the current record, and reports whether it
// did, when the record is of the series that came after the series of
// the row before the last time that series came (see figMaker.next), and
// has no problem: the rows of an extract come in the same order of series
// period after period, and such a row's codes, indicator, unit and source
// are compared with the series' own rather than looked up. Any other
// record is left to row, which finds the same series for it.
func (l *loader) rowOfNext() bool {
	e := l.fm.next(l.name)
	if e == nil || l.cr.nfields() != len(l.names) {
		return false
	}
	get := l.field
	if string(get(colReporter)) != e.Reporter || string(get(colPartner)) != e.Partner ||
		string(get(colIndicator)) != e.Indicator || string(get(colSource)) != e.Source ||
		l.unitOfRow() != *e.unit || !l.notesAsIs && ControlAt(get(colNote)) >= 0 {
		return false
	}
	per, v, ok := l.goodFig(get(colPeriod), get(colValue), get(colStatus))
	if !ok {
		return false
	}
	line, col := l.valuePlace()
	l.figs = l.fm.appendNext(l.figs, e, v, per, line, col)
	l.noteShape(e)
	return true
}

// goodFig parses the period, value and status of a row whose other fields
// are those of a series, and reports whether they make a fig without a
// problem.
func (l *loader) goodFig(period, value, status []byte) (Period, Value, bool) {
	per, ok := l.periodOf(period)
	if !ok {
		return Period{}, Value{}, false
	}
	v, ok := parseValueBytes(value)
	if !ok {
		return Period{}, Value{}, false
	}
	if st, err := ParseStatus(string(status)); err != nil || st == Missing && v.Valid {
		return Period{}, Value{}, false
	}
	return per, v, true
}

// lineOfNext reads the next line of the chunk as a row of the series that
// figMaker.next names, and reports whether it did, when the line has the
// shape of that series' rows (see lineShape) and its period, value and
// status make a fig without a problem: such a line is neither split into
// fields nor its strings compared one by one. Any other line is left to
// read and row, which take it as they would have.
func (l *loader) lineOfNext() bool {
	e := l.fm.next(l.name)
	if e == nil {
		return false
	}
	s := e.shape.Load()
	if s == nil {
		return false
	}
	line, n := l.cr.peekLine()
	if len(line) == 0 {
		return false // a blank line, which read skips, or none
	}
	var f [nShapeRoles]span
	if !s.match(line, l.delim, &f) {
		return false
	}
	field := func(r shapeRole) []byte { return line[f[r].begin:f[r].end] }
	per, v, ok := l.goodFig(field(shapePeriod), field(shapeValue), field(shapeStatus))
	if !ok {
		return false
	}
	l.cr.skipLine(n)
	col := 0 // as valuePlace has it
	if l.col[colValue] >= 0 {
		col = f[shapeValue].begin + 1 // the line is ASCII
	}
	l.figs = l.fm.appendNext(l.figs, e, v, per, l.cr.line, col)
	return true
}

// noteShape gives e, the series of the record read last, that record's
// shape when it has none and splitPlain split the record from a chunk,
// which lineOfNext reads. rowOfNext calls it, not row: a series whose
// rows do not come in an order of series has no use for a shape.
func (l *loader) noteShape(e *seriesEntry) {
	if !l.cr.plain || l.cr.r != nil || e.shape.Load() != nil {
		return
	}
	e.shape.CompareAndSwap(nil, makeShape(l.cr.src, l.cr.begins, l.cr.ends, &l.col, l.mult, l.delim))
}

// unitOfRow returns the unit of the current record as a row of it has
// it: the unit field's text, scaled by the UNIT_MULT field's when the file
// has one (see unitMult), or "" when that is a problem (row tells it).
// The scaled unit of the last pair of texts is kept: a file of millions
// of rows has a handful of them, and rowOfNext compares every row's.
func (l *loader) unitOfRow() string {
	u := l.field(colUnit)
	if l.mult == 0 {
		return string(u)
	}
	m := l.cr.field(l.mult - 1)
	if string(u) != l.multLast[0] || string(m) != l.multLast[1] {
		scaled, err := unitMult(string(u), m)
		if err != nil {
			return ""
		}
		l.multLast = [3]string{string(u), string(m), scaled}
	}
	return l.multLast[2]
}

// unitMultColumn is the name of SDMX's column of the unit's multiplier:
// 6 for figures in millions of UNIT_MEASURE.
const unitMultColumn = "UNIT_MULT"

// unitMult returns unit with the scale that the multiplier f of SDMX's
// UNIT_MULT column gives it: "USD million" for USD and 6; unit itself for
// 0 or an empty multiplier. A multiplier without a word (2, 4; see
// ScaledUnit) or on a unit that has a scale already ("USD million" and 6)
// is an error: a figure read in the unit alone would be wrong a
// thousandfold.
func unitMult(unit string, f []byte) (string, error) {
	m := strings.TrimSpace(string(f))
	if m == "" || m == "0" {
		return unit, nil
	}
	n, err := strconv.Atoi(m)
	scaled, ok := ScaledUnit(unit, math.Pow10(n))
	if err != nil || n < 0 || !ok {
		return "", errorf(ErrUnitMult, "unit multiplier %q: report reads 0, 3, 6 and 9 (units, thousands, millions, billions); convert the figures with report import", m)
	}
	if _, scale := SplitUnit(unit); scale != 1 {
		return "", errorf(ErrUnitMult, "unit multiplier %s on %q, whose name has a scale already: give one of them", m, unit)
	}
	return scaled, nil
}

// field returns the field of column c (colReporter…) of the current
// record, or nil when the file has no such column.
func (l *loader) field(c int) []byte {
	if l.col[c] < 0 {
		return nil
	}
	return l.cr.field(l.col[c])
}

// valuePlace returns the line and column of the current record's value,
// where findings about its figure point, as an editor's cursor should
// land: on its own line when a quoted field before it has a line break.
// Without a value column it is the record's first line, column 0.
func (l *loader) valuePlace() (line, col int) {
	if l.col[colValue] < 0 {
		return l.cr.start(0).line, 0
	}
	st := l.cr.start(l.col[colValue])
	return st.line, st.col
}

// periodOf parses the period f, and reports whether it is one: a period
// written as the one before (rows come in runs of a period) is not parsed
// again.
func (l *loader) periodOf(f []byte) (Period, bool) {
	if l.periodLen > 0 && string(f) == string(l.periodText[:l.periodLen]) {
		return l.period, true
	}
	p, ok := parsePeriodBytes(f)
	if ok && len(f) <= len(l.periodText) {
		l.period, l.periodLen = p, copy(l.periodText[:], f)
	}
	return p, ok
}

// seriesCode returns the series code of the row read last (see
// seriesCode).
func (l *loader) seriesCode() uint64 {
	return seriesCode(l.lastID[colReporter], l.lastID[colPartner], l.lastID[colIndicator], l.lastID[colSource])
}

// splitHint explains the usual reason for a row with too many fields: a
// number written with a comma, or lines that end in a carriage return
// alone, which make one record of several rows.
func (l *loader) splitHint() string {
	for i := range l.cr.nfields() {
		if bytes.IndexByte(l.cr.field(i), '\r') >= 0 {
			return ": lines end in a carriage return alone (as classic Mac OS wrote them), which is not a line break here; save the file with LF or CRLF line endings"
		}
	}
	vc := l.col[colValue]
	if vc < 0 || vc+1 >= l.cr.nfields() {
		return ""
	}
	a, b := l.cr.field(vc), l.cr.field(vc+1)
	if len(a) > 0 && len(b) > 0 && isDigits(b) && (isDigits(a) || (a[0] == '-' && isDigits(a[1:]))) {
		if len(b) == 3 {
			return fmt.Sprintf(": the value %s,%s is split at a comma; write %s%s (thousands separator) or %s.%s (decimal comma), or quote it", a, b, a, b, a, b)
		}
		return fmt.Sprintf(": the value %s,%s is split at a decimal comma; write %s.%s", a, b, a, b)
	}
	return ": a field with a comma in it must be quoted"
}

func isDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// codeIndex returns the place of a code of three capital letters in
// loader.known.
func codeIndex(f []byte) (int, bool) {
	if len(f) != 3 || f[0]-'A' >= 26 || f[1]-'A' >= 26 || f[2]-'A' >= 26 {
		return 0, false
	}
	return (int(f[0]-'A')*26+int(f[1]-'A'))*26 + int(f[2]-'A'), true
}

// knownCode returns the shared string of f when it is a valid code of
// three letters seen before.
func (l *loader) knownCode(f []byte) (interned, bool) {
	i, ok := codeIndex(f)
	if !ok || l.known == nil || l.known[i].s == "" {
		return interned{}, false
	}
	return l.known[i], true
}

// rememberCode notes that f is a valid code, shared as e: rows name their
// economies in turn, and a code found by its letters needs neither a map
// nor a check.
func (l *loader) rememberCode(f []byte, e interned) {
	if i, ok := codeIndex(f); ok {
		if l.known == nil {
			l.known = new([26 * 26 * 26]interned)
		}
		l.known[i] = e
	}
}

func (l *loader) checkCode(code string) error {
	if err, ok := l.codes[code]; ok {
		return err
	}
	var err error
	if !ValidCode(code) && !slices.Contains(l.extraCodes, code) {
		err = codeError(code)
	}
	l.codes[code] = err
	return err
}

func codeError(code string) error {
	up := strings.ToUpper(strings.TrimSpace(code))
	if up != code && ValidCode(up) {
		return errorf(ErrBadCode, "economy code %q: write it as %s", code, up)
	}
	if len(up) == 2 {
		if r, err := language.ParseRegion(up); err == nil && r.IsCountry() {
			return errorf(ErrBadCode, "economy code %q is alpha-2: write the alpha-3 code %s", code, r.ISO3())
		}
	}
	return errorf(ErrBadCode, "unknown economy code %q: use an ISO 3166-1 alpha-3 code such as KAZ, or WLD for the world", code)
}
