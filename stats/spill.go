package stats

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/tradedesk/report/internal/tempfile"
)

// Input is data to check: a name for positions ("<stdin>", a path) and
// the text.
type Input struct {
	Name string
	R    io.Reader
}

// ErrTempFile is wrapped by the errors of the temporary files to which
// [CheckInputs] and [DiffInputs] write the rows of the years, such as a
// missing temporary directory or a full disk: the data can then be loaded
// whole instead.
var ErrTempFile = errors.New("a temporary file failed")

// CheckInputs checks several inputs, as [Load] of each, [Dataset.Merge]
// and [Check] would, a calendar year at a time. Inputs that can seek and
// come in year order, one after another (one file a year, say, or a
// file's years split across files), are checked as they are read, as
// [CheckStream] checks one, as if they were one file; otherwise their rows
// are written a year to temporary files (in os.TempDir, about 23 bytes a
// row, removed after) and each year is checked in turn. Memory grows with
// the series of a year, not with the rows. A period that spans the turn
// of a year gives an error that wraps [ErrNotYearOrder]: such data must
// be loaded whole; so may data whose temporary files fail
// ([ErrTempFile]). Every input is read to its end once, and inputs in
// year order perhaps again in part; inputs found not to be in year order
// as they are read are read again from their start.
func CheckInputs(in []Input, opts LoadOptions, cfg *Config) (*Checked, error) {
	if cfg == nil {
		cfg = &Config{}
	}
	bases, ok := seekable(in)
	if !ok {
		return checkSpilled(in, opts, cfg)
	}
	if len(in) > 1 && !inputsInOrder(in, bases, opts) {
		return checkSpilled(in, opts, cfg)
	}
	res, err := checkStreams(in, opts, cfg, true)
	var span *spanError
	if !errors.Is(err, ErrNotYearOrder) || errors.As(err, &span) {
		return res, err
	}
	tooNear := errors.Is(err, errTooNear)
	if err := rewind(in, bases); err != nil {
		return nil, err
	}
	res, err = checkSpilled(in, opts, cfg)
	if !tooNear || !errors.Is(err, ErrTempFile) {
		return res, err
	}
	// Late rows that relate to much of the inputs are checked faster
	// through temporary files, but without them, checked again still, and
	// not by loading the inputs whole.
	if err := rewind(in, bases); err != nil {
		return nil, err
	}
	return checkStreams(in, opts, cfg, false)
}

// seekable returns where each input stands, when every one can seek.
func seekable(in []Input) ([]int64, bool) {
	bases := make([]int64, len(in))
	for i, input := range in {
		rs, ok := input.R.(io.ReadSeeker)
		if !ok {
			return nil, false
		}
		base, err := rs.Seek(0, io.SeekCurrent)
		if err != nil {
			return nil, false
		}
		bases[i] = base
	}
	return bases, true
}

// rewind puts every input back where it stood, at bases.
func rewind(in []Input, bases []int64) error {
	for i, input := range in {
		if _, err := input.R.(io.ReadSeeker).Seek(bases[i], io.SeekStart); err != nil {
			return err
		}
	}
	return nil
}

// checkSpilled checks inputs whose rows are not in year order a calendar
// year at a time, as CheckStream does one that is: the rows are parsed on
// every core into figs, as CheckStream's are, and written a year to a
// temporary file, in a compact binary form of about 23 bytes a row that
// names the series' entry by its number; then each year is read back as
// figs and checked in turn. A period that spans the turn of a year gives
// an error that wraps ErrNotYearOrder.
func checkSpilled(in []Input, opts LoadOptions, cfg *Config) (*Checked, error) {
	sp := newSpill()
	defer sp.close()
	guard, where := newMemoryGuard(opts), inputNames(in)
	sp.guard, sp.where = guard, where
	out := &Checked{}
	var problems []*ParseError
	// The rows of every input are figs of one table of series, whose
	// codes are those of one table of strings.
	t, strs := newSeriesTable(), newInternTable()
	for _, input := range in {
		rows, p, err := sp.writeFigs(input, opts, t, strs)
		if err != nil {
			return nil, err
		}
		out.Rows += rows
		problems = append(problems, p...)
	}
	if err := sp.flush(); err != nil {
		return nil, err
	}
	cr := newCarry()
	cr.meter = newCheckMeter(guard, where, cfg.MaxFindings == 0)
	found := newLimiter(cfg.MaxFindings)
	fr := newFigReader(t)
	years := slices.Sorted(maps.Keys(sp.years))
	most := 0 // the most rows of a year checked
	for i, y := range years {
		if err := guard.reading(y, where, sp.years[y].rows, spillRowBytes); err != nil {
			return nil, err
		}
		figs, err := fr.read(sp, y)
		if err != nil {
			return nil, err
		}
		grow, extra := yearGrowthOf(i, sp.years[y].rows, most)
		most = max(most, sp.years[y].rows)
		if err := guard.check(y, where, grow, extra); err != nil {
			return nil, err
		}
		cr.year, cr.last = y, i == len(years)-1
		fs, err := checkCut(input{figs: figs}, cfg, cr, found.cut)
		if err != nil {
			return nil, err
		}
		found.add(fs)
		out.Observations += sp.years[y].rows
		out.Years++
	}
	cr.final = true
	fs, err := checkWith(input{problems: problems}, cfg, cr)
	if err != nil {
		return nil, err
	}
	found.add(fs)
	out.Findings = found.findings()
	return out, nil
}

// spill is the rows of a file written a year to a file.
type spill struct {
	dir   string   // where the files of the years go; "" is os.TempDir
	names []string // of the inputs, by number
	years map[int]*spillYear
	// The year of the row written last and its file: the rows of a year
	// mostly come together.
	lastYear     int
	lastYearFile *spillYear
	*spillStrings
	// last holds the string of each field in the row before and its
	// number.
	last    [6]string
	lastID  [6]uint64
	scratch []byte
	// figPools has the chunks of every input that writeFigs parses, and
	// before is the input it read last, into beforeTable. The entries of
	// every file stay, to read the rows back by.
	figPools    *pools
	before      fileInput
	beforeTable *seriesTable
	// progressed counts the bytes writeFigs read of every input, for
	// LoadOptions.Progress.
	progressed int64
	// guard, when not nil, is asked after each chunk written whether the
	// files, when in memory, leave the heap room (see memoryGuard.writing);
	// where names the inputs for its error.
	guard *memoryGuard
	where string
}

// spillStrings numbers the strings of rows from 2 (0 is "", 1 a string
// written out, when there are too many to number). Spills that share one
// give the same text the same number.
type spillStrings struct {
	ids  map[string]uint64
	strs []string
}

func newSpill() *spill {
	return &spill{years: map[int]*spillYear{}, spillStrings: &spillStrings{ids: map[string]uint64{}}}
}

// writeInput parses in on every core and writes its rows a year to the
// files of the years. It returns the data rows read, rejected ones
// included, and the problems of the rows that were not read. A period that
// spans the turn of a year gives an error that wraps ErrNotYearOrder.
func (s *spill) writeInput(in Input, opts LoadOptions) (int, []*ParseError, error) {
	l, err := newLoader(in.R, in.Name, opts)
	if err != nil {
		return 0, nil, err
	}
	l.pools = newPools()
	file := len(s.names)
	s.names = append(s.names, in.Name)
	rows := 0
	err = l.scan(func(p part) error {
		rows += p.rows
		for i := range p.obs {
			o := &p.obs[i]
			if o.Period.acrossYears() {
				return fmt.Errorf("%s: %w", o.Pos, &spanError{o.Period})
			}
			if err := s.write(o, file); err != nil {
				return err
			}
		}
		return s.guard.writing(s.where)
	})
	if err != nil {
		return 0, nil, err
	}
	return rows, l.finishProblems(), nil
}

// spillYear is the file of the rows of a year.
type spillYear struct {
	f *tempfile.File
	w *bufio.Writer
	// rows and size count the rows and bytes written; marks holds where
	// every spillSegment-th row begins, so that the rows can be decoded
	// a segment a core.
	rows, size int
	marks      []spillMark
}

// spillMark is where a row begins in a year's file: its place among the
// rows and its offset.
type spillMark struct{ row, at int }

// spillSegment is the rows of a segment that a core decodes.
var spillSegment = 1 << 15

// maxSpillStrings bounds the strings a spill numbers; others, such as
// millions of distinct notes, are written out.
var maxSpillStrings = 1 << 20

// write writes o, a row of input number file, to the file of its year:
// the numbers of its strings (or a string itself past maxSpillStrings),
// its period, value, status and place.
func (s *spill) write(o *Observation, file int) error {
	sy, err := s.year(o.Period.Year())
	if err != nil {
		return err
	}
	b := s.scratch[:0]
	for i, str := range [6]string{o.Reporter, o.Partner, o.Indicator, o.Unit, o.Source, o.Note} {
		b = s.appendString(b, i, str)
	}
	b = append(b, byte(o.Period.kind))
	b = binary.AppendVarint(b, int64(o.Period.start))
	b = binary.AppendVarint(b, int64(o.Period.end))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(o.Value.Num))
	b = binary.AppendVarint(b, int64(o.Value.Decimals))
	valid := byte(0)
	if o.Value.Valid {
		valid = 1
	}
	b = append(b, valid, byte(o.Status))
	b = binary.AppendUvarint(b, uint64(file))
	b = binary.AppendUvarint(b, uint64(o.Pos.Line))
	b = binary.AppendUvarint(b, uint64(o.Pos.Column))
	s.scratch = b
	return sy.add(b)
}

// year returns the file of year y, made when it is the year's first row.
func (s *spill) year(y int) (*spillYear, error) {
	if s.lastYearFile != nil && s.lastYear == y {
		return s.lastYearFile, nil
	}
	sy, ok := s.years[y]
	if !ok {
		f, err := tempfile.Create(s.dir, "report-year-"+strconv.Itoa(y)+"-*")
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrTempFile, err)
		}
		sy = &spillYear{f: f, w: bufio.NewWriterSize(f, 32<<10)}
		s.years[y] = sy
	}
	s.lastYearFile, s.lastYear = sy, y
	return sy, nil
}

// add writes the row b, encoded, to the year's file.
func (sy *spillYear) add(b []byte) error {
	if sy.rows > 0 && sy.rows%spillSegment == 0 {
		sy.marks = append(sy.marks, spillMark{sy.rows, sy.size})
	}
	if _, err := sy.w.Write(b); err != nil {
		return fmt.Errorf("%w: %w", ErrTempFile, err)
	}
	sy.rows++
	sy.size += len(b)
	return nil
}

func (s *spill) appendString(b []byte, field int, str string) []byte {
	if str == "" {
		return append(b, 0)
	}
	if str == s.last[field] {
		return binary.AppendUvarint(b, s.lastID[field])
	}
	id, ok := s.ids[str]
	if !ok && len(s.strs) < maxSpillStrings {
		id = uint64(len(s.strs) + 2)
		s.ids[str] = id
		s.strs = append(s.strs, str)
		ok = true
	}
	if !ok {
		b = append(b, 1)
		b = binary.AppendUvarint(b, uint64(len(str)))
		return append(b, str...)
	}
	s.last[field], s.lastID[field] = str, id
	return binary.AppendUvarint(b, id)
}

// flush ends the writing of every year.
func (s *spill) flush() error {
	for _, sy := range s.years {
		if err := sy.w.Flush(); err != nil {
			return fmt.Errorf("%w: %w", ErrTempFile, err)
		}
	}
	return nil
}

func (s *spill) close() {
	for _, sy := range s.years {
		sy.f.Close()
	}
}

// yearRows is the rows of a year read back; its slices are used again
// year after year.
type yearRows struct {
	obs []Observation
	// buf holds the year's file: about 30 bytes a row, a fifth of its
	// observations. No observation refers to it.
	buf []byte
}

// read reads the rows of year y into rows, in the order they were
// written, decoding its segments on every core.
func (s *spill) read(y int, rows *yearRows) error {
	n := s.years[y].rows
	rows.obs = slices.Grow(rows.obs[:0], n)[:n]
	return s.decodeSegments(y, &rows.buf, runtime.GOMAXPROCS(0), func(_, _ int, b []byte, from, to int) error {
		return s.decodeRows(b, rows.obs[from:to])
	})
}

// decodeSegments reads the file of year y into buf, grown when it is too
// small, and calls decode for each of its segments on up to cores
// goroutines: with the number of the goroutine (below cores), the
// segment's number, its bytes, and the rows it holds as a range of the
// year's.
func (s *spill) decodeSegments(y int, buf *[]byte, cores int, decode func(core, seg int, b []byte, from, to int) error) error {
	var err error
	if *buf, err = s.readFile(y, *buf); err != nil {
		return err
	}
	sy := s.years[y]
	if len(*buf) != sy.size {
		return fmt.Errorf("read the rows of %d back: %w", y, errSpill)
	}
	b := *buf
	segs := append([]spillMark{{0, 0}}, sy.marks...)
	segs = append(segs, spillMark{sy.rows, len(b)})
	errs := make([]error, len(segs)-1)
	var next atomic.Int64
	var wg sync.WaitGroup
	for core := range min(cores, len(segs)-1) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(segs)-1 {
					return
				}
				errs[i] = decode(core, i, b[segs[i].at:segs[i+1].at], segs[i].row, segs[i+1].row)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("read the rows of %d back: %w", y, err)
		}
	}
	return nil
}

// decodeRows decodes the rows of b, which are exactly len(obs), into
// obs. It only reads s.
func (s *spill) decodeRows(b []byte, obs []Observation) error {
	for i := range obs {
		o, n, err := s.decode(b)
		if err != nil {
			return err
		}
		obs[i] = o
		b = b[n:]
	}
	if len(b) > 0 {
		return errSpill
	}
	return nil
}

// readFile reads the file of year y whole into buf, grown when it is too
// small, and returns it.
func (s *spill) readFile(y int, buf []byte) ([]byte, error) {
	sy := s.years[y]
	size, err := sy.f.Seek(0, io.SeekEnd)
	if err == nil {
		_, err = sy.f.Seek(0, io.SeekStart)
	}
	if err != nil {
		return buf, fmt.Errorf("%w: %w", ErrTempFile, err)
	}
	buf = slices.Grow(buf[:0], int(size))[:size]
	if _, err := io.ReadFull(sy.f, buf); err != nil {
		return buf, fmt.Errorf("%w: read the rows of %d back: %w", ErrTempFile, y, err)
	}
	return buf, nil
}

// errSpill is a row read back that is not as it was written: the
// temporary file failed.
var errSpill = fmt.Errorf("%w: a row read back is damaged", ErrTempFile)

// figureCode packs the numbers of a row's reporter, partner and indicator
// in a spill's strings, each below 1<<21 (see maxSpillStrings), into one
// key of its figures, or returns 0 when one of them has none.
func figureCode(r, p, i uint64) uint64 {
	if r < 2 || p < 2 || i < 2 || max(r, p, i) >= 1<<21 {
		return 0
	}
	return r<<42 | p<<21 | i
}

// spilledRow is a row written by write as read back, before its strings
// are looked up.
type spilledRow struct {
	ids           [6]uint64 // the numbers of its strings: 0 for "", 1 when written out
	text          [6][]byte // the strings written out
	kind          byte
	start, end    int64
	num           uint64
	dec           int64
	valid, status byte
	file          int // the number of its input
	line, col     uint64
}

// decodeRow decodes the row written by write at the start of b into r, and
// returns its length in bytes: errSpill when it is damaged.
func (s *spill) decodeRow(b []byte, r *spilledRow) (int, error) {
	at := 0
	bad := false
	uvarint := func() uint64 { return decodeVar(b, &at, &bad, binary.Uvarint) }
	varint := func() int64 { return decodeVar(b, &at, &bad, binary.Varint) }
	byteAt := func() byte {
		if at >= len(b) {
			bad = true
			return 0
		}
		at++
		return b[at-1]
	}
	for i := range r.ids {
		id := uvarint()
		switch {
		case bad:
			return 0, errSpill
		case id == 1:
			n := uvarint()
			if bad || n > maxRecordBytes || n > uint64(len(b)-at) {
				return 0, errSpill
			}
			r.text[i] = b[at : at+int(n)]
			at += int(n)
		case id >= 2 && id-2 >= uint64(len(s.strs)):
			return 0, errSpill
		}
		r.ids[i] = id
	}
	r.kind = byteAt()
	r.start, r.end = varint(), varint()
	if bad || len(b)-at < 8 {
		return 0, errSpill
	}
	r.num = binary.LittleEndian.Uint64(b[at:])
	at += 8
	r.dec = varint()
	r.valid, r.status = byteAt(), byteAt()
	file := uvarint()
	r.line, r.col = uvarint(), uvarint()
	if bad || file >= uint64(len(s.names)) {
		return 0, errSpill
	}
	r.file = int(file)
	return at, nil
}

// str returns the i-th string of r.
func (s *spill) str(r *spilledRow, i int) string {
	switch id := r.ids[i]; {
	case id == 1:
		return string(r.text[i])
	case id >= 2:
		return s.strs[id-2]
	}
	return ""
}

// decode decodes the row written by write at the start of b, and returns
// it with its length in bytes.
func (s *spill) decode(b []byte) (Observation, int, error) {
	var r spilledRow
	n, err := s.decodeRow(b, &r)
	if err != nil {
		return Observation{}, 0, err
	}
	var o Observation
	var strs [6]string
	for i := range r.ids {
		strs[i] = s.str(&r, i)
	}
	o.Reporter, o.Partner, o.Indicator, o.Unit, o.Source, o.Note = strs[0], strs[1], strs[2], strs[3], strs[4], strs[5]
	o.Period = Period{PeriodKind(r.kind), int32(r.start), int32(r.end)}
	o.Value = r.value()
	o.Status = Status(r.status)
	o.Pos = Pos{File: s.names[r.file], Line: int(r.line), Column: int(r.col)}
	return o, n, nil
}

// decodeFigure decodes what DiffInputs compares of the row written by
// write at the start of b: its figure code (see figureCode), the number
// of its source, period, value and unit; and its length in bytes. The
// code is 0 when the source too was written out.
func (s *spill) decodeFigure(b []byte) (code uint64, source uint32, p Period, v Value, unit string, n int, err error) {
	var r spilledRow
	if n, err = s.decodeRow(b, &r); err != nil {
		return 0, 0, Period{}, Value{}, "", 0, err
	}
	p = Period{PeriodKind(r.kind), int32(r.start), int32(r.end)}
	if code = r.figureCode(); r.ids[4] == 1 {
		code = 0
	}
	return code, uint32(r.ids[4]), p, r.value(), s.str(&r, 3), n, nil
}

// figureCode returns the figure code of r's reporter, partner and
// indicator, 0 when one was written out or is "".
func (r *spilledRow) figureCode() uint64 {
	return figureCode(r.ids[0], r.ids[1], r.ids[2])
}

// value returns r's value.
func (r *spilledRow) value() Value {
	return Value{Num: math.Float64frombits(r.num), Decimals: int(r.dec), Valid: r.valid == 1}
}

// decodeVar decodes a varint with decode at b[*at:] and moves *at past it,
// or sets *bad.
func decodeVar[T uint64 | int64](b []byte, at *int, bad *bool, decode func([]byte) (T, int)) T {
	v, n := decode(b[*at:])
	if n <= 0 {
		*bad = true
		return 0
	}
	*at += n
	return v
}
