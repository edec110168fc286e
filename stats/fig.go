package stats

import "sync"

// fig is a row as the checker holds it: what the rules read of an
// observation (never its note), in 96 bytes and four pointers where an
// Observation takes 168 bytes and seven. The strings of its series are
// those of a seriesKey that every row of the series shares, so that
// f.Reporter, f.Source and f.Key read as they do on an Observation; a
// year of rows is held as figs, and its observations let go as soon as
// they are parsed.
type fig struct {
	*seriesEntry
	Period Period
	Status Status
	Value  Value
	Unit   string
	Pos    Pos
}

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
	mu     sync.Mutex
	byKey  map[seriesKey]*seriesEntry
	byCode map[uint64]*seriesEntry
}

func newSeriesTable() *seriesTable {
	return &seriesTable{byKey: map[seriesKey]*seriesEntry{}, byCode: map[uint64]*seriesEntry{}}
}

// get returns the entry of the series of o, whose series code is code (0
// when it has none).
func (t *seriesTable) get(o *Observation, code uint64) *seriesEntry {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e, ok := t.byCode[code]; ok && code != 0 {
		return e
	}
	k := seriesKey{o.Key(), o.Source}
	e, ok := t.byKey[k]
	if !ok {
		e = &seriesEntry{k, int32(len(t.byKey))}
		t.byKey[k] = e
	}
	if code != 0 {
		t.byCode[code] = e
	}
	return e
}

// figMaker makes figs of observations for one goroutine: it finds a row's
// series by its series code (see seriesCode) or by where its strings are,
// and asks the table only for series it has not seen.
type figMaker struct {
	table  *seriesTable
	byCode map[uint64]*seriesEntry
	byPtr  map[seriesPtrs]*seriesEntry
}

func newFigMaker(t *seriesTable) *figMaker {
	return &figMaker{table: t, byCode: map[uint64]*seriesEntry{}, byPtr: map[seriesPtrs]*seriesEntry{}}
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
		out = append(out, fig{seriesEntry: m.entry(o, code), Period: o.Period, Status: o.Status, Value: o.Value, Unit: o.Unit, Pos: o.Pos})
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
