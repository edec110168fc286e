package stats

import "sync"

// fig is a row as the checker holds it: what the rules read of an
// observation (never its note), in 64 bytes and three pointers where an
// Observation takes 168 bytes and seven. The strings of its series are
// those of a seriesKey that every row of the series shares, so that
// f.Reporter, f.Source and f.Key read as they do on an Observation; its
// unit and file are strings of the table, shared too; its value and place
// are read with Value and Pos. A year of rows is held as figs, and its
// observations let go as soon as they are parsed.
type fig struct {
	*seriesEntry
	num       float64 // Value.Num
	Period    Period
	dec       int32 // Value.Decimals
	line, col int32 // Pos.Line, Pos.Column
	Status    Status
	valid     bool // Value.Valid
	unit      *string
	file      *string
}

// Value returns the row's value.
func (f *fig) Value() Value { return Value{Num: f.num, Decimals: int(f.dec), Valid: f.valid} }

// Unit returns the row's unit.
func (f *fig) Unit() string { return *f.unit }

// Pos returns the row's place.
func (f *fig) Pos() Pos { return Pos{File: *f.file, Line: int(f.line), Column: int(f.col)} }

// seriesEntry is the key of a series in a seriesTable, and its number
// there, from 0: the series of a year are numbered through an array by
// it, not a map.
type seriesEntry struct {
	seriesKey
	idx int32
}

// seriesTable holds the one entry of each series of a check, which the
// rows of every input and every year share. Parsing goroutines find
// entries in it at once; each keeps its own figMaker in front of it. The
// series codes it is asked by are those of one table of strings.
type seriesTable struct {
	mu      sync.Mutex
	entries []*seriesEntry // by number
	byCode  map[uint64]*seriesEntry
	// byKey finds an entry by its strings, for rows without a code; it
	// is made when the first of them comes, as a code names one series.
	byKey map[seriesKey]*seriesEntry
	strs  map[string]*string // the units and file names of the rows
}

func newSeriesTable() *seriesTable {
	return &seriesTable{byCode: map[uint64]*seriesEntry{}, strs: map[string]*string{}}
}

// get returns the entry of the series of o, whose series code is code (0
// when it has none).
func (t *seriesTable) get(o *Observation, code uint64) *seriesEntry {
	t.mu.Lock()
	defer t.mu.Unlock()
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
		e = &seriesEntry{k, int32(len(t.entries))}
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
// and asks the table only for series it has not seen.
type figMaker struct {
	table  *seriesTable
	byCode map[uint64]*seriesEntry
	byPtr  map[seriesPtrs]*seriesEntry
	// The strings of the table by where a row's are: the loader shares
	// equal units and names, so that a row's are mostly those of the row
	// before.
	strs        map[strPtr]*string
	lastUnit    strPtr
	lastUnitStr *string
	lastFile    strPtr
	lastFileStr *string
}

func newFigMaker(t *seriesTable) *figMaker {
	return &figMaker{table: t, byCode: map[uint64]*seriesEntry{}, byPtr: map[seriesPtrs]*seriesEntry{}, strs: map[strPtr]*string{}}
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

// entry returns the entry of o's series; code is o's series code, or 0
// when it has none.
func (m *figMaker) entry(o *Observation, code uint64) *seriesEntry {
	if code != 0 {
		e, ok := m.byCode[code]
		if !ok {
			e = m.table.get(o, code)
			m.byCode[code] = e
		}
		return e
	}
	pk := seriesPtrs{ptrOf(o.Reporter), ptrOf(o.Partner), ptrOf(o.Indicator), ptrOf(o.Source)}
	e, ok := m.byPtr[pk]
	if !ok {
		e = m.table.get(o, 0)
		if len(m.byPtr) < maxInterned {
			m.byPtr[pk] = e
		}
	}
	return e
}

// figs appends to out the figs of obs, whose series codes are codes (nil
// when they have none).
func (m *figMaker) figs(out []fig, obs []Observation, codes []uint64) []fig {
	out = growFigs(out, len(obs))
	for i := range obs {
		o := &obs[i]
		var code uint64
		if codes != nil {
			code = codes[i]
		}
		if u := ptrOf(o.Unit); u != m.lastUnit || m.lastUnitStr == nil {
			m.lastUnit, m.lastUnitStr = u, m.str(o.Unit)
		}
		if f := ptrOf(o.Pos.File); f != m.lastFile || m.lastFileStr == nil {
			m.lastFile, m.lastFileStr = f, m.str(o.Pos.File)
		}
		out = append(out, fig{seriesEntry: m.entry(o, code), num: o.Value.Num, Period: o.Period, dec: int32(o.Value.Decimals),
			line: int32(o.Pos.Line), col: int32(o.Pos.Column), Status: o.Status, valid: o.Value.Valid, unit: m.lastUnitStr, file: m.lastFileStr})
	}
	return out
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
