package stats

import (
	"math"
	"sort"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/cpu"
)

// fig is a row as the checker holds it: what the rules read of an
// observation (never its note or status), in 40 bytes and one pointer
// where an Observation takes 168 bytes and seven. The pointer is to its
// seriesEntry: the strings of its series, shared by every row of the series
// in the same unit and file, so that f.Reporter, f.Source and f.Key read
// as they do on an Observation, and its unit and file. Its value and place
// are read with Value and Pos. A year of rows is held as figs, and its
// observations let go as soon as they are parsed.
type fig struct {
	*seriesEntry
	num    float64 // Value.Num
	Period Period
	// dec is Value.Decimals for a valid value (at least invalidDec), and
	// invalidDec − 1 − Value.Decimals for one that is not (below it).
	dec       int32
	line, col int32 // Pos.Line, Pos.Column
}

// invalidDec splits a fig's dec between valid values, whose decimals are
// at least invalidDec (a line of at most 1 MB holds fewer than 2²⁰ of
// them; a caller of Check may give fewer than 0), and values that are not
// valid, below it.
const invalidDec = -1 << 30

// decOf returns the dec of a fig of v: its decimals clamped to what dec
// holds, which no parsed value reaches, nor means anything past.
func decOf(v Value) int32 {
	if v.Valid {
		return int32(min(max(v.Decimals, invalidDec), math.MaxInt32))
	}
	return invalidDec - 1 - int32(min(max(v.Decimals, 0), -invalidDec-1))
}

// Value returns the row's value.
func (f *fig) Value() Value {
	if f.dec < invalidDec {
		return Value{Num: f.num, Decimals: int(invalidDec - 1 - f.dec)}
	}
	return Value{Num: f.num, Decimals: int(f.dec), Valid: true}
}

// Unit returns the row's unit.
func (f *fig) Unit() string { return *f.unit }

// Pos returns the row's place.
func (f *fig) Pos() Pos { return placeOf(f).pos() }

// place is where a row is, in half the bytes of a Pos: every series of a
// year cut short (as the last year of most files is) holds the places of
// its months until the end of the data (see carriedGap).
type place struct {
	file      *fileName
	line, col int32
}

func placeOf(f *fig) place { return place{f.file, f.line, f.col} }

func (p place) pos() Pos { return p.file.pos(p.line, p.col) }

// fileName is the file of rows, as entries and places hold it: one input,
// or inputs laid out alike that are read one after another (see
// checkStreams and spill.writeFigs) and share the entries of their series,
// whose lines are numbered on from one input into the next.
type fileName struct {
	name string
	// parts holds the inputs of a file read one after another, in the
	// order they came: their names, and the line each begins after.
	parts []filePart
}

// filePart is an input of a fileName: its rows' lines are those after
// base.
type filePart struct {
	name string
	base int32
}

// pos returns the place of line and column of f: of the input whose line
// it is, numbered within it.
func (f *fileName) pos(line, col int32) Pos {
	if len(f.parts) == 0 {
		return Pos{File: f.name, Line: int(line), Column: int(col)}
	}
	// The last part that begins before the line (the first for a line
	// no input has).
	i := max(sort.Search(len(f.parts), func(i int) bool { return f.parts[i].base >= line })-1, 0)
	return Pos{File: f.parts[i].name, Line: int(line - f.parts[i].base), Column: int(col)}
}

// single tells whether f is one input, whose lines sort as its places do.
func (f *fileName) single() bool { return len(f.parts) <= 1 }

// seriesEntry is the key of a series in a seriesTable and its number
// there, from 0 (the series of a year are numbered through an array by
// it, not a map), with a unit of the table's strings and a file (see
// fileName). A series has one entry for each unit and file its rows come
// in, all of the same number; the table's entries list the first of each.
type seriesEntry struct {
	seriesKey
	idx int32
	// form is the entry's number among all the table's entries, those
	// of a unit or file other than their series' first included, from 0:
	// the rows of the years written to temporary files name their entry
	// by it (see spill.writeFig).
	form int32
	unit *string
	file *fileName
	code uint64 // the series code it was made for, or 0
	// shape is the text of a row of the entry that splitPlain split, once
	// one came (see lineShape): the parsing goroutines share it.
	shape atomic.Pointer[lineShape]
	// next is the entry of the row that came after a row of this entry
	// last (see figMaker.next), which the parsing goroutines share too.
	next atomic.Pointer[seriesEntry]
}

// formKey is an entry by its series number, unit and file.
type formKey struct {
	idx  int32
	unit *string
	file *fileName
}

// seriesTable holds the one entry of each series of a check, which the
// rows of every input and every year share. Parsing goroutines find
// entries in it at once; each keeps its own figMaker in front of it. The
// series codes it is asked by are those of one table of strings.
type seriesTable struct {
	mu       sync.Mutex
	entries  []*seriesEntry // the first of each series, by number
	all      []*seriesEntry // every entry, by form, unless unkept
	numbered int32          // the entries numbered so far
	// unkept tells that no one reads the entries by form (see
	// entriesByForm), and all is not kept.
	unkept bool
	byCode map[uint64]*seriesEntry
	// byKey finds an entry by its strings, for rows without a code; it
	// is made when the first of them comes, as a code names one series.
	byKey map[seriesKey]*seriesEntry
	// forms holds the entries of a series in a unit or file other than
	// those of its first; made when the first of them comes.
	forms map[formKey]*seriesEntry
	strs  map[string]*string   // the units of the rows
	files map[string]*fileName // the files of the rows, by name
}

func newSeriesTable() *seriesTable {
	return &seriesTable{byCode: map[uint64]*seriesEntry{}, strs: map[string]*string{}, files: map[string]*fileName{}}
}

// get returns the entry of the series of o, whose series code is code (0
// when it has none), in the unit and file given, the unit a string of
// the table.
func (t *seriesTable) get(o *Observation, code uint64, unit *string, file *fileName) *seriesEntry {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.form(t.first(o, code, unit, file), unit, file)
}

// formOf returns the entry of series number idx in unit and file.
func (t *seriesTable) formOf(idx int32, unit *string, file *fileName) *seriesEntry {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.form(t.entries[idx], unit, file)
}

// form returns the entry of the series of e in unit and file; t.mu is
// held.
func (t *seriesTable) form(e *seriesEntry, unit *string, file *fileName) *seriesEntry {
	if e.unit == unit && e.file == file {
		return e
	}
	k := formKey{e.idx, unit, file}
	if f, ok := t.forms[k]; ok {
		return f
	}
	if t.forms == nil {
		t.forms = map[formKey]*seriesEntry{}
	}
	f := t.add(&seriesEntry{seriesKey: e.seriesKey, idx: e.idx, unit: unit, file: file, code: e.code})
	t.forms[k] = f
	return f
}

// first returns the first entry of the series of o, making it in unit
// and file when the series is new.
func (t *seriesTable) first(o *Observation, code uint64, unit *string, file *fileName) *seriesEntry {
	if code != 0 {
		if e, ok := t.byCode[code]; ok {
			return e
		}
	}
	k := seriesKey{o.Key(), o.Source}
	if code == 0 && t.byKey == nil {
		t.byKey = make(map[seriesKey]*seriesEntry, len(t.entries))
		for _, e := range t.entries {
			t.byKey[e.seriesKey] = e
		}
	}
	var e *seriesEntry
	if t.byKey != nil {
		e = t.byKey[k]
	}
	if e == nil {
		e = t.add(&seriesEntry{seriesKey: k, idx: int32(len(t.entries)), unit: unit, file: file, code: code})
		t.entries = append(t.entries, e)
		if t.byKey != nil {
			t.byKey[k] = e
		}
	}
	if code != 0 {
		t.byCode[code] = e
	}
	return e
}

// entriesByForm returns every entry of the table, by form (see
// seriesEntry.form).
func (t *seriesTable) entriesByForm() []*seriesEntry {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.all
}

// add numbers a new entry among all the table's and returns it; t.mu is
// held.
func (t *seriesTable) add(e *seriesEntry) *seriesEntry {
	e.form = t.numbered
	t.numbered++
	if !t.unkept {
		t.all = append(t.all, e)
	}
	return e
}

// dropFile forgets the entries of file other than the first of their
// series, once its rows are all read, and lets go of what every entry of
// file keeps for parsing its lines (their shapes, the entry of the row
// that came next): a file is no longer read once an input laid out
// otherwise comes after it (see joinFile), and the entries of the series
// of one file after another would otherwise pile up. The first entries of
// file are those numbered from, the series the table had before file's
// rows came: the others, of earlier files, are not read.
func (t *seriesTable) dropFile(file *fileName, from int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	forget := func(e *seriesEntry) {
		e.shape.Store(nil)
		e.next.Store(nil)
	}
	for k, e := range t.forms {
		if k.file == file {
			forget(e)
			delete(t.forms, k)
		}
	}
	for _, e := range t.entries[from:] {
		if e.file == file {
			forget(e)
		}
	}
}

// series returns the number of series in the table.
func (t *seriesTable) series() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.entries)
}

// fileOf returns the table's file of one input named name.
func (t *seriesTable) fileOf(name string) *fileName {
	t.mu.Lock()
	defer t.mu.Unlock()
	if f, ok := t.files[name]; ok {
		return f
	}
	f := &fileName{name: name}
	t.files[name] = f
	return f
}

// str returns the table's string equal to s.
func (t *seriesTable) str(s string) *string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if p, ok := t.strs[s]; ok {
		return p
	}
	p := &s
	t.strs[s] = p
	return p
}

// figMaker makes figs of observations for one goroutine: it finds a row's
// series by its series code (see seriesCode) or by where its strings are,
// and asks the table only for series, units and files it has not seen.
//
// The fields it reads and writes at every row, prev above all, have cache
// lines of their own. The parsers' figMakers are made one after the
// other: unpadded, 96 bytes each, the prev of one shared a line with the
// head of the next, which the other parser reads at every row (the check
// that its figMaker is not nil), so that each row of both parsers waited
// for the line to come back from the other core. Whether they shared
// one depended on where in its block of memory the first fell, which
// varied from run to run: the check of the 10M-row file took 1.13–1.43 s,
// against 1.08–1.12 s padded.
type figMaker struct {
	table  *seriesTable
	byCode map[uint64]*seriesEntry // the last entry of each series seen
	byPtr  map[seriesPtrs]*seriesEntry
	forms  map[formKey]*seriesEntry
	// The strings of the table by where a row's are: the loader shares
	// equal units and names, so that a row's are mostly those of the row
	// before.
	strs        map[strPtr]*string
	_           cpu.CacheLinePad
	lastUnit    strPtr
	lastUnitStr *string
	lastFile    strPtr
	lastFileStr *fileName
	// base is added to the lines of the rows: the lines before the
	// input's in its file (see fileName).
	base int32
	// prev is the entry of the row before, whose next entry is most
	// likely the row's: the rows of an extract come in the same order of
	// series period after period, so that most rows are found without
	// hashing. The entries keep what came after them for every parsing
	// goroutine: one that learnt it for itself alone went on meeting rows
	// the other had found, and read 90,000 rows of the first year of the
	// 1M-row file the slow way, three for each of its 30,000 series.
	prev *seriesEntry
	_    cpu.CacheLinePad
	// file, when not nil, is the file of every row, whatever the name
	// it gives (see checkStreams and spill.writeFigs).
	file *fileName
}

// startChunk tells m that the next row begins a chunk, which need not
// follow the chunk m read before: its row before is not the row's.
func (m *figMaker) startChunk() { m.prev = nil }

func newFigMaker(t *seriesTable) *figMaker {
	return &figMaker{table: t, byCode: map[uint64]*seriesEntry{}, byPtr: map[seriesPtrs]*seriesEntry{}, forms: map[formKey]*seriesEntry{}, strs: map[strPtr]*string{}}
}

// str returns the table's string equal to s.
func (m *figMaker) str(s string) *string {
	k := ptrOf(s)
	if p, ok := m.strs[k]; ok {
		return p
	}
	p := m.table.str(s)
	if len(m.strs) < maxInterned {
		m.strs[k] = p
	}
	return p
}

// entry returns the entry of o's series in unit and file, of the table;
// code is o's series code, or 0 when it has none.
func (m *figMaker) entry(o *Observation, code uint64, unit *string, file *fileName) *seriesEntry {
	p := m.prev
	if p != nil {
		if e := p.next.Load(); e != nil && code != 0 && e.code == code && e.unit == unit && e.file == file {
			m.prev = e
			return e
		}
	}
	e := m.find(o, code, unit, file)
	if p != nil && p.next.Load() != e {
		p.next.Store(e)
	}
	m.prev = e
	return e
}

// find is entry for a row that does not follow the row before as it did.
func (m *figMaker) find(o *Observation, code uint64, unit *string, file *fileName) *seriesEntry {
	var e *seriesEntry
	var ok bool
	var pk seriesPtrs
	if code != 0 {
		e, ok = m.byCode[code]
	} else {
		pk = seriesPtrs{ptrOf(o.Reporter), ptrOf(o.Partner), ptrOf(o.Indicator), ptrOf(o.Source)}
		e, ok = m.byPtr[pk]
	}
	switch {
	case !ok:
		e = m.table.get(o, code, unit, file)
	case e.unit == unit && e.file == file:
		return e
	default:
		// The series in another unit or file than its row before.
		k := formKey{e.idx, unit, file}
		f, ok := m.forms[k]
		if !ok {
			f = m.table.formOf(e.idx, unit, file)
			if len(m.forms) < maxInterned {
				m.forms[k] = f
			}
		}
		e = f
	}
	if code != 0 {
		m.byCode[code] = e
	} else if len(m.byPtr) < maxInterned {
		m.byPtr[pk] = e
	}
	return e
}

// figs appends to out the figs of obs, whose series codes are codes (nil
// when they have none).
func (m *figMaker) figs(out []fig, obs []Observation, codes []uint64) []fig {
	out = growFigs(out, len(obs))
	for i := range obs {
		var code uint64
		if codes != nil {
			code = codes[i]
		}
		out = append(out, m.fig(&obs[i], code))
	}
	return out
}

// fig returns the fig of o, whose series code is code (0 when it has
// none).
func (m *figMaker) fig(o *Observation, code uint64) fig {
	if u := ptrOf(o.Unit); u != m.lastUnit || m.lastUnitStr == nil {
		m.lastUnit, m.lastUnitStr = u, m.str(o.Unit)
	}
	if f := ptrOf(o.Pos.File); f != m.lastFile || m.lastFileStr == nil {
		m.lastFile, m.lastFileStr = f, m.file
		if m.file == nil {
			m.lastFileStr = m.table.fileOf(o.Pos.File)
		}
	}
	return newFig(m.entry(o, code, m.lastUnitStr, m.lastFileStr), o.Value, o.Period, o.Pos.Line+int(m.base), o.Pos.Column)
}

// newFig returns the fig of a row of e's series.
func newFig(e *seriesEntry, v Value, p Period, line, col int) fig {
	return fig{seriesEntry: e, num: v.Num, Period: p, dec: decOf(v), line: int32(line), col: int32(col)}
}

// next returns the entry of the series that came after the series of the
// row before the last time that series came, when it is of the file named
// name, or nil: the rows of an extract come in the same order of series
// period after period. A figMaker serves one loader, so that the file is
// that of the row before; the test is cheap, and keeps a fig's file right
// if that ever changes.
func (m *figMaker) next(name string) *seriesEntry {
	p := m.prev
	if p == nil || m.lastFile != ptrOf(name) {
		return nil
	}
	if e := p.next.Load(); e != nil && e.file == m.lastFileStr {
		return e
	}
	return nil
}

// appendNext appends to out the fig of a row of the series next returned,
// e, and notes that it came.
func (m *figMaker) appendNext(out []fig, e *seriesEntry, v Value, p Period, line, col int) []fig {
	m.prev = e
	return append(out, newFig(e, v, p, line+int(m.base), col))
}

// growFigs returns s with room for n more.
func growFigs(s []fig, n int) []fig {
	if cap(s)-len(s) >= n {
		return s
	}
	return append(make([]fig, 0, len(s)+n), s...)
}

// figsOf returns the figs of obs, with keys from a table of their own.
func figsOf(obs []Observation) []fig {
	return newFigMaker(newSeriesTable()).figs(nil, obs, nil)
}
