package stats

import (
	"encoding/binary"
	"fmt"
	"math"
	"runtime"
	"slices"
)

// writeFigs parses in on every core into figs of the series of t, as
// CheckStream parses, and writes them a year to the files of the years
// (see writeFig). strs numbers the strings of the rows: the inputs whose
// rows go to one table of series share one, as the table finds series by
// codes made of those numbers. It returns the data rows read, rejected
// ones included, and the problems of the rows that were not read. A
// period that spans the turn of a year gives an error that wraps
// ErrNotYearOrder.
func (s *spill) writeFigs(in Input, opts LoadOptions, t *seriesTable, strs *internTable) (int, []*ParseError, error) {
	if s.figPools == nil {
		s.figPools = newPools()
	}
	// The input's rows are of a file of the spill's (see joinFile), not
	// the table's of its name: the entries of its series are then of
	// inputs laid out as it, and so are the shapes of its lines they keep
	// (see lineShape), whose fields two inputs, of one name or not, may
	// lay out differently.
	var before *fileInput
	if s.before.l != nil && s.beforeTable == t {
		before = &s.before
	}
	fi, err := figInput(in, opts, t, strs, s.figPools, before, &s.progressed)
	if err != nil {
		return 0, nil, err
	}
	s.before, s.beforeTable = fi, t
	l := fi.l
	rows := 0
	err = l.scan(func(p part) error {
		rows += p.rows
		for i := range p.figs {
			f := &p.figs[i]
			if f.Period.acrossYears() {
				return fmt.Errorf("%s: %w", f.Pos(), &spanError{f.Period})
			}
			if err := s.writeFig(f); err != nil {
				return err
			}
		}
		l.pools.putFigs(p.figs)
		return s.guard.writing(s.where)
	})
	if err != nil {
		return 0, nil, err
	}
	return rows, l.finishProblems(), nil
}

// writeFig writes f to the file of its year: the number of its series'
// entry among its table's (see seriesEntry.form), which gives its series,
// unit and file, then its period, value, decimals and place: 23 bytes a
// row of the 10M rows of the generated file.
func (s *spill) writeFig(f *fig) error {
	sy, err := s.year(f.Period.Year())
	if err != nil {
		return err
	}
	b := s.scratch[:0]
	b = binary.AppendUvarint(b, uint64(f.form))
	b = append(b, byte(f.Period.kind))
	b = binary.AppendVarint(b, int64(f.Period.start))
	b = binary.AppendVarint(b, int64(f.Period.end))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f.num))
	b = binary.AppendVarint(b, int64(f.dec))
	b = binary.AppendUvarint(b, uint64(f.line))
	b = binary.AppendUvarint(b, uint64(f.col))
	s.scratch = b
	return sy.add(b)
}

// decodeFigs appends to out the n figs that writeFig wrote in b, whose
// entries are all, by number, and returns it; errSpill when b does not
// hold exactly n of them, or one is damaged.
func decodeFigs(b []byte, n int, all []*seriesEntry, out []fig) ([]fig, error) {
	out = growFigs(out, n)
	at := 0
	bad := false
	uvarint := func() uint64 { return decodeVar(b, &at, &bad, binary.Uvarint) }
	varint := func() int64 { return decodeVar(b, &at, &bad, binary.Varint) }
	for range n {
		form := uvarint()
		if bad || form >= uint64(len(all)) || at >= len(b) {
			return out, errSpill
		}
		kind := PeriodKind(b[at])
		at++
		start, end := varint(), varint()
		if bad || kind < Year || kind > Day || start > end || start != int64(int32(start)) || end != int64(int32(end)) || len(b)-at < 8 {
			return out, errSpill
		}
		num := math.Float64frombits(binary.LittleEndian.Uint64(b[at:]))
		at += 8
		dec := varint()
		line, col := uvarint(), uvarint()
		if bad || dec != int64(int32(dec)) || line > math.MaxInt32 || col > math.MaxInt32 {
			return out, errSpill
		}
		out = append(out, fig{seriesEntry: all[form], num: num, Period: Period{kind, int32(start), int32(end)}, dec: int32(dec), line: int32(line), col: int32(col)})
	}
	if at != len(b) {
		return out, errSpill
	}
	return out, nil
}

// figReader reads the rows of years written by writeFig back as figs of
// the entries of its table, a segment at a time on every core. Its slices
// are used again year after year.
type figReader struct {
	table *seriesTable
	buf   []byte  // the year's file
	segs  [][]fig // the figs of each segment
}

func newFigReader(t *seriesTable) *figReader {
	return &figReader{table: t}
}

// read reads the rows of year y of s, and returns their figs by segment,
// in the order they were written. They are good until the next read. No
// entry is added to the reader's table meanwhile.
func (r *figReader) read(s *spill, y int) ([][]fig, error) {
	n := len(s.years[y].marks) + 1
	r.segs = slices.Grow(r.segs[:0], n)[:n]
	all := r.table.entriesByForm()
	err := s.decodeSegments(y, &r.buf, runtime.GOMAXPROCS(0), func(_, seg int, b []byte, from, to int) error {
		figs, err := decodeFigs(b, to-from, all, r.segs[seg][:0])
		r.segs[seg] = figs
		return err
	})
	return r.segs, err
}
