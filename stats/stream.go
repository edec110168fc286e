package stats

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"maps"
	"math"
	"os"
	"slices"
	"time"

	"golang.org/x/text/transform"
)

// ErrNotYearOrder is returned by [CheckStream] for data it cannot check a
// year at a time as they are read: too many rows of an earlier year after
// a later one, rows of an earlier year that take back a listed finding of
// a rule whose list is full (or a counted one, and leave the place of the
// count unknown), or a period that spans the turn of a year;
// and by [CheckInputs] and [CheckFile] for the latter, the data that must
// be loaded whole and checked with [Check].
var ErrNotYearOrder = errors.New("the rows are not in year order")

// Checked is the outcome of [CheckStream] and [CheckInputs].
type Checked struct {
	Findings     []Finding
	Rows         int // data rows read, rejected ones included
	Observations int // rows that became observations
	Years        int // the years checked one after another
	Late         int // rows that came after rows of a later year
	Reread       int // years read again for them
}

// carry is what the check of one year hands to the checks of the years
// after it, for every series: its first figure (for the units rule), its
// first month and the months of a year whose gaps depend on whether the
// series goes on (for the completeness rule), and the years it has. A
// series' slot is its number in the check's table of series.
type carry struct {
	series []carried // by slot; the zero carried where no series is
	final  bool      // no year follows: report the gaps still open
	last   bool      // the year being checked is the last
	year   int       // the year being checked
	// order holds the slots of the series of the year checked last, in
	// the order they came, perm their order by key (see sortSeriesKeys),
	// and keys and first the checker's keys and first made of them: the
	// series of a file written period by period come in the same order
	// every year, which need not be sorted again.
	order, perm []int32
	keys        []seriesKey
	first       map[Key]int32
	// mirror holds, by series in the order of keys, the series of the
	// mirror figures of each series of exports that the mirror rule
	// looked up (see checker.mirrorSources), for as long as the order
	// holds.
	mirror []mirrorSources
	// plans are the turnover and balance rules' arrays (see
	// identityPlan, turnoverPlan, balancePlan), used again year after
	// year.
	plans [2]identityPlan
	// took holds how long each rule took on the year checked last.
	took map[string]time.Duration
	// lastYear holds, by slot, the last year of the series in it, or
	// notYet where there is none (see has): apart from the series'
	// records, which a year whose series came before need not touch.
	lastYear []int32
	// arrays are newChecker's arrays and slotsOf the slots of a year's
	// series, used again year after year.
	arrays  checkerArrays
	slotsOf []int32
	// meter measures the heap against the memory limit as the rules of
	// the years' checks run, or is nil (see checkMeter).
	meter *checkMeter
}

// setOrder keeps for the next year the numbers of a year's series in the
// order they came, idx, and their order by key, perm, with the checker's
// keys and first made by it, which no check changes.
func (c *carry) setOrder(idx, perm []int32, keys []seriesKey, first map[Key]int32) {
	c.order = append(c.order[:0], idx...)
	c.perm, c.keys, c.first = perm, keys, first
	c.mirror = nil
}

// carried is what the carry holds of one series. There is one for every
// series, so it holds little: its entry (whose key is the series'), the
// unit and place of the first figure, and a year with gaps only when
// there is one; 80 bytes, where the key and a Pos of their own took 152
// (4.7 MB a carry for the 30,000 series of the synthetic files, of which
// a check with late rows has three).
type carried struct {
	entry         *seriesEntry
	firstUnit     string
	firstPlace    place
	hasFirst      bool
	firstMonth    Period
	hasFirstMonth bool
	gap           *carriedGap // nil when none is open
	firstYear     int         // the year the series came first
}

// slots returns the slot of each series of a year in the order of their
// keys, making those not there yet: first holds the series' entries in the
// order they came, idx their numbers and perm their order by key (see
// sortSeriesKeys). The slots are visited in the order the series came,
// which is mostly the order of the slots in memory.
func (c *carry) slots(first []*seriesEntry, idx, perm []int32) []int32 {
	end := len(c.series)
	for _, i := range idx {
		end = max(end, int(i)+1)
	}
	if end > len(c.series) {
		c.series = append(c.series, make([]carried, end-len(c.series))...)
	}
	for len(c.lastYear) < len(c.series) {
		c.lastYear = append(c.lastYear, notYet)
	}
	for j, i := range idx {
		if c.lastYear[i] == notYet {
			c.series[i] = carried{entry: first[j], firstYear: c.year}
		}
		c.lastYear[i] = int32(c.year)
	}
	out := reuse(&c.slotsOf, len(perm))
	for k, j := range perm {
		out[k] = idx[j]
	}
	return out
}

// notYet is the carry's last year of a slot where no series is.
const notYet = math.MinInt32

// has reports whether a series is in slot i.
func (c *carry) has(i int32) bool {
	return int(i) < len(c.lastYear) && c.lastYear[i] != notYet
}

// carriedGap is a year of a series whose months after the last one present
// are missing inside the series only if the series goes on. The series is
// the carried one that holds it.
type carriedGap struct {
	year   int
	rows   []place  // the months present
	inside []string // missing before the last month present
	after  int      // the first month after the last present
	// own tells that the gap and its rows are not in carryGap's arrays;
	// carried, that it has been carried past a check after its year's
	// (see carry.ownGaps).
	own, carried bool
}

// ownGaps gives the gaps carryGap handed out of its arrays memory of
// their own when they have been carried past two checks after their
// year's: a gap of a series that did not come again would otherwise hold
// its array, a thousand gaps, for as long as it is carried, years maybe,
// and the carry would grow with the years rather than the series. Past
// one check only, they stay where they are: the last full year of an
// extract carries a gap for each series past the next, partial year,
// which may be a single row (the synthetic 1M rows' 2005), and copying
// the 30,000 of them took as long as carryGap saves.
func (c *carry) ownGaps() {
	for i := range c.series {
		g := c.series[i].gap
		switch {
		case g == nil || g.own || g.year >= c.year:
		case !g.carried:
			g.carried = true
		default:
			c.series[i].gap = &carriedGap{year: g.year, rows: slices.Clone(g.rows), inside: g.inside, after: g.after, own: true}
		}
	}
}

// positions returns the places of g's months.
func (g *carriedGap) positions() []Pos {
	out := make([]Pos, len(g.rows))
	for i, p := range g.rows {
		out[i] = p.pos()
	}
	return out
}

// all returns the months missing when the series goes on: those inside
// and every one after the last present.
func (g *carriedGap) all() []string {
	out := slices.Clip(g.inside)
	for m := g.after; m <= 12; m++ {
		out = append(out, MonthOf(g.year, m).String())
	}
	return out
}

// spanError is a period that spans the turn of a year, which no year can
// be checked with alone.
type spanError struct{ p Period }

func (e *spanError) Error() string {
	return fmt.Sprintf("%v: %s spans more than a calendar year", ErrNotYearOrder, e.p)
}

func (e *spanError) Unwrap() error { return ErrNotYearOrder }

// CheckFile checks the named file with [CheckInputs]: a year at a time,
// reading years again when rows come out of year order. A period that
// spans the turn of a year gives an error that wraps ErrNotYearOrder; such
// a file is checked with [LoadFile] and [Check].
func CheckFile(path string, opts LoadOptions, cfg *Config) (*Checked, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return CheckInputs([]Input{{path, f}}, opts, cfg)
}

// maxLate bounds the rows that arrive after rows of a later year which
// CheckStream sets aside; more of them and the file is not in year order.
var maxLate = 1 << 16

// minReread is the fewest rows that late rows may have read again however
// short the file; see checkLate.
var minReread = 1 << 16

// CheckStream reads tidy CSV from r, as [Load] does, and checks it with
// the built-in rules a calendar year at a time, as the rows arrive: memory
// grows with the rows of one year and the series of the file (what each
// carries to the next years, its key), not with the length of the file.
// The findings are those [Check] gives for the whole file, sorted.
//
// The rows must come in year order (the months, quarters and years of a
// year may be in any order among themselves, and years may be missing), as
// in files written period by period; periods must not span the turn of a
// year. Rows of an earlier year may come late (up to 65,536 of them), such
// as a series appended at the end of the file, when r can seek from where
// it stands (a file can, a pipe cannot): every year that has late rows, or
// rows of their series, is then read again from r and checked with them.
// When they take back a listed finding of a rule with more than
// [Config.MaxFindings], the finding that would take its place was only
// counted: CheckStream then returns an error that wraps [ErrNotYearOrder]
// too; so it does when they take back the last counted finding of such a
// rule and the place of its count, the last of all findings, is then not
// known; and when they relate to more than an eighth of the
// rows (those of their years that name one of their economies), which
// temporary files check faster. CheckStream moves r's position. Otherwise it
// stops with an error that wraps [ErrNotYearOrder]: [CheckInputs] then
// checks the input a year at a time through temporary files, unless a
// period spans years, when it must be loaded whole and checked with
// [Check]. Errors that make the input unreadable are those of [Load].
func CheckStream(r io.Reader, name string, opts LoadOptions, cfg *Config) (*Checked, error) {
	return checkStream(r, name, opts, cfg, true)
}

// checkStream is CheckStream; unbounded, late rows are checked again
// however many rows they relate to.
func checkStream(r io.Reader, name string, opts LoadOptions, cfg *Config, bounded bool) (*Checked, error) {
	return checkStreams([]Input{{name, r}}, opts, cfg, bounded)
}

// streamInput is an input of checkStreams: its loader, and where to read
// it again from.
type streamInput struct {
	fileInput
	again rereader
}

// fileInput is an input read into a table of series as part of a file
// (see joinFile): its loader, and the number of series in the table
// before the file's rows came, after which those of the file are the
// first of their series.
type fileInput struct {
	l      *loader
	series int
}

// figInput returns the loader of in, an input read after before (nil for
// the first) into t, whose rows it parses into figs of t: the strings of
// its rows are of strs, its chunks of pools, the bytes it reads counted
// on from *done for opts.Progress (see progressAfter), and its file that
// of before when laid out alike (see joinFile). checkStreams and
// spill.writeFigs read every input so.
func figInput(in Input, opts LoadOptions, t *seriesTable, strs *internTable, pools *pools, before *fileInput, done *int64) (fileInput, error) {
	l, err := newLoader(in.R, in.Name, opts)
	if err != nil {
		return fileInput{}, err
	}
	l.pools, l.wantKeys, l.figTable, l.shared = pools, true, t, strs
	l.progress = progressAfter(opts.Progress, done)
	return fileInput{l, joinFile(t, before, l)}, nil
}

// joinFile gives the figs of l, an input read into t after the input
// before (nil for the first), a file: that of the input before when l is
// laid out as it is (see sameLayout), with its lines numbered on from
// there, so that the rows of both share the entries of their series, and
// the shapes of their lines, and follow one another through them as the
// rows of one file do; else a file of its own, and the file before, which
// no row reads again, lets go of what its entries keep for parsing lines
// (see seriesTable.dropFile). The inputs of a file have their own names
// in its places (see fileName). It returns the series of t before the
// file's rows came.
func joinFile(t *seriesTable, before *fileInput, l *loader) int {
	if before != nil && sameLayout(before.l, l) {
		// Lines of the inputs after must fit in a fig's 32 bits too.
		if base := int64(before.l.base) + int64(before.l.lastLine); base < math.MaxInt32/2 {
			l.file, l.base = before.l.file, int32(base)
			l.file.parts = append(l.file.parts, filePart{l.name, l.base})
			return before.series
		}
	}
	if before != nil {
		t.dropFile(before.l.file, before.series)
	}
	l.file = &fileName{parts: []filePart{{l.name, 0}}}
	return t.series()
}

// progressAfter returns what an input reports the bytes it read with: p,
// given the bytes of the inputs read before it, *done, which it counts
// its own into as it reads them; nil when p is.
func progressAfter(p func(int64), done *int64) func(int64) {
	if p == nil {
		return nil
	}
	before := *done
	return func(read int64) {
		*done = before + read
		p(before + read)
	}
}

// sameLayout tells whether the lines of b's input are laid out as a's
// are: the same columns in the same order, delimiter and encoding, so that
// the shape of a line of one (see lineShape) reads a line of the other.
func sameLayout(a, b *loader) bool {
	return a.delim == b.delim && a.encoding == b.encoding && a.col == b.col && slices.Equal(a.names, b.names)
}

// rereaderOf returns where r stands, to read years again from: a file
// can, a pipe cannot.
func rereaderOf(r io.Reader) rereader {
	if rs, ok := r.(io.ReadSeeker); ok {
		if base, err := rs.Seek(0, io.SeekCurrent); err == nil {
			again := rereader{r: rs, base: base}
			again.stamp, again.stamped = stampOf(r)
			return again
		}
	}
	return rereader{}
}

// checkStreams checks inputs as CheckStream checks one, one after
// another as if they were one file: the rows of each come in year order,
// and no input's rows come before the year the one before it ended with
// but for late rows (which are read again from their inputs, as
// CheckStream reads them). A year may go on from the end of one input
// into the next. The rows of every input are figs of one table of series
// and strings; with several inputs, inputs laid out alike one after
// another are one file (see joinFile), as in spill.writeFigs, and two
// inputs laid out otherwise, of one name or not, share no entry.
func checkStreams(in []Input, opts LoadOptions, cfg *Config, bounded bool) (*Checked, error) {
	if cfg == nil {
		cfg = &Config{}
	}
	pools, table, strs := newPools(), newSeriesTable(), newInternTable()
	table.unkept = true
	ins := make([]streamInput, 0, len(in))
	var problems []*ParseError
	var done int64 // the bytes read of the inputs, for opts.Progress
	cr := newCarry()
	out := &Checked{}
	found := newLimiter(cfg.MaxFindings)
	guard := newMemoryGuard(opts)
	cr.meter = newCheckMeter(guard, inputNames(in), cfg.MaxFindings == 0)
	// The rows of the year being read, as runs of the chunks' figs, which
	// are not copied; the chunks' observations were let go as they were
	// parsed.
	var block [][]fig
	// arrays are the chunks' slices of figs that block's runs are in,
	// and current the one of the part being read, whose rest goes to the
	// next year: the others go back to the pool once the year is checked.
	var arrays [][]fig
	var current []fig
	var spans []blockSpan
	var late []fig
	// mostRows is the most rows of a year checked, for the guard.
	mostRows := 0
	// measure is the guard's check of the year being read, before its
	// check (see yearGrowthOf).
	measure := func(year int, where string) error {
		grow, extra := yearGrowthOf(out.Years, rowsOf(block), mostRows)
		return guard.check(year, where, grow, extra)
	}
	// A year is checked when the first row of the next one comes, while
	// the chunks in flight are parsed: the rules run on every core, so
	// that reading the next year alongside would gain no time and hold a
	// second year in memory.
	flush := func() error {
		if len(block) == 0 {
			return nil
		}
		// The guard measured the year as each of its chunks came, before
		// the chunk was added, which leaves out its last chunk (all of a
		// year of one chunk): once more, whole, before its check.
		if err := measure(spans[len(spans)-1].year, in[spans[len(spans)-1].in].Name); err != nil {
			return err
		}
		rows := rowsOf(block)
		mostRows = max(mostRows, rows)
		cr.year = block[0][0].Period.Year()
		fs, err := checkCut(input{figs: block, numbered: true}, cfg, cr, found.cut)
		if err != nil {
			return err
		}
		found.add(fs)
		out.Observations += rows
		out.Years++
		block = nil
		for _, a := range arrays {
			if !sameArray(a, current) {
				pools.putFigs(a)
			}
		}
		arrays = arrays[:0]
		return nil
	}
	// add adds a run of a part's rows to the year, and numbers their
	// series (see checkerArrays.numberRows): here, as the parts come while
	// the next are parsed, rather than in newChecker, on one core while
	// the others wait.
	add := func(p part, from, to int) {
		if len(block) == 0 {
			cr.arrays.startNumbering(len(cr.series), 0)
		}
		cr.arrays.numberRows(p.figs[from:to])
		block = append(block, p.figs[from:to])
		if n := len(arrays); n == 0 || !sameArray(arrays[n-1], p.figs) {
			arrays = append(arrays, p.figs)
		}
	}
	for k, input := range in {
		again := rereaderOf(input.R)
		var before *fileInput
		if k > 0 {
			before = &ins[k-1].fileInput
		}
		fi, err := figInput(input, opts, table, strs, pools, before, &done)
		if err != nil {
			return nil, err
		}
		l := fi.l
		ins = append(ins, streamInput{fileInput: fi, again: again})
		err = l.scan(func(p part) error {
			if n := len(spans); n > 0 {
				// Before the year read so far is checked, which this
				// chunk may begin the next of.
				if err := measure(spans[n-1].year, input.Name); err != nil {
					return err
				}
			}
			current = p.figs
			out.Rows += p.rows
			run := 0 // the start of the run of rows of the year being read
			// The year of the period of the row before: rows come in runs
			// of a period, whose last day takes a calendar to work out.
			var period Period
			first := 0
			for i := range p.figs {
				o := &p.figs[i]
				if i == 0 || o.Period != period {
					period, first = o.Period, o.Period.Year()
					if o.Period.acrossYears() {
						return fmt.Errorf("%s: %w", o.Pos(), &spanError{o.Period})
					}
				}
				n := len(spans)
				switch {
				case n > 0 && first < spans[n-1].year:
					if len(late) == maxLate {
						return fmt.Errorf("%s: %w: %s comes after rows of %d, and so do %d rows before it", o.Pos(), ErrNotYearOrder, o.Period, spans[n-1].year, maxLate)
					}
					if run < i {
						add(p, run, i)
					}
					run = i + 1
					late = append(late, *o)
					continue
				case n == 0 || first > spans[n-1].year || spans[n-1].in != k:
					// A new year, or the year going on in the next input.
					if run < i {
						add(p, run, i)
					}
					run = i
					if n == 0 || first > spans[n-1].year {
						if err := flush(); err != nil {
							return err
						}
					}
					spans = append(spans, blockSpan{in: k, year: first, start: p.start, line: p.line, first: int(o.line - l.base)})
					n++
				}
				spans[n-1].last, spans[n-1].end = int(o.line-l.base), p.end
			}
			if run < len(p.figs) {
				add(p, run, len(p.figs))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		problems = append(problems, l.finishProblems()...)
	}
	current = nil
	cr.last = true
	if err := flush(); err != nil {
		return nil, err
	}
	cr.final = true
	fs, err := checkWith(input{problems: problems}, cfg, cr)
	if err != nil {
		return nil, err
	}
	found.add(fs)
	if len(late) > 0 {
		bound := math.MaxInt
		if bounded {
			bound = max(out.Rows/8, minReread)
		}
		d, err := checkLate(ins, table, late, spans, cfg, cr, bound, guard, inputNames(in))
		if err != nil {
			return nil, err
		}
		if err := found.removeAll(d.gone); err != nil {
			return nil, fmt.Errorf("%w: rows of an earlier year that came late: %w", ErrNotYearOrder, err)
		}
		found.add(d.come)
		out.Observations += len(late)
		out.Late, out.Reread = len(late), d.reread
	}
	out.Findings = found.findings()
	return out, nil
}

// sameArray reports whether a and b are slices of one array, as the figs
// of one chunk are: both start at its first element.
func sameArray(a, b []fig) bool {
	return cap(a) > 0 && cap(b) > 0 && &a[:1][0] == &b[:1][0]
}

func newCarry() *carry {
	return &carry{}
}

// rereader reads the input again: r at base is where reading began. r is
// nil when the input cannot be read again.
type rereader struct {
	r    io.ReadSeeker
	base int64
	// The size and time of change of a file when it was first read, to
	// tell that it has not changed since.
	stamp   fileStamp
	stamped bool
}

// fileStamp is the size and time of change of a file.
type fileStamp struct {
	size int64
	mod  time.Time
}

// ErrChanged is wrapped by the error of loading or checking a file whose
// size or time of change changed while it was read (see loader.scan).
var ErrChanged = errors.New("the file changed while it was read")

// same reports whether s and t are one file's stamp: the file did not
// change in between, as far as its size and time of change tell.
func (s fileStamp) same(t fileStamp) bool { return s.size == t.size && s.mod.Equal(t.mod) }

// stampOf returns the stamp of r when it is a file.
func stampOf(r io.Reader) (fileStamp, bool) {
	f, ok := r.(interface{ Stat() (fs.FileInfo, error) })
	if !ok {
		return fileStamp{}, false
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return fileStamp{}, false
	}
	return fileStamp{st.Size(), st.ModTime()}, true
}

// blockSpan is where the rows of a year are in an input, by its number
// among checkStreams's: between the offsets start and end (start is at
// line), on lines first to last. A year that goes on from one input into
// the next has a span in each.
type blockSpan struct {
	in                int
	year              int
	start, end        int64
	line, first, last int
}

// findingsDiff is what rows that came late change in the findings: some
// go, some come.
type findingsDiff struct {
	gone   map[string]gone // by Text
	come   []Finding
	reread int // years read again
}

// gone is a finding that is no longer true, and how many times.
type gone struct {
	rule string
	n    int
	pos  Pos // the place of the finding, which its text gives too
}

// checkLate checks the rows that came after rows of a later year. Their
// series are the late series. Every year that has late rows, or rows of a
// late series, is read again from the inputs (of ins) its spans are in,
// their rows of table's series, and checked twice: without the late
// rows, carrying across years what the late series' rows in year order
// give the rules that look across years (as the check in year order did),
// and with them, carrying what all their rows give. Every other series
// starts afresh in each of those checks, the same in both, so the
// difference between them is what the late rows change.
//
// Each row read again costs two checks with every finding listed, some
// ten times what writing the whole file to temporary files costs a row:
// when the rows read again pass bound (an eighth of the inputs' rows, and
// minReread), checkLate gives up with an error that wraps ErrNotYearOrder
// and errTooNear, and CheckInputs checks the inputs through temporary files
// instead (or, when they fail, with no bound). A wide
// file of 3M rows with 50,000 rows of its first year at its end took 25 s
// and 2.3 GB this way, and 6 s and 520 MB through temporary files. Each
// year read again is checked against guard first, where naming the inputs.
func checkLate(ins []streamInput, table *seriesTable, late []fig, spans []blockSpan, cfg *Config, seen *carry, bound int, guard *memoryGuard, where string) (findingsDiff, error) {
	d := findingsDiff{gone: map[string]gone{}}
	for _, in := range ins {
		if in.again.r == nil {
			o := late[0]
			return d, fmt.Errorf("%s: %w: %s comes after rows of a later year, and the input cannot be read again", o.Pos(), ErrNotYearOrder, o.Period)
		}
	}
	lateSeries := map[seriesKey]bool{}
	years := map[int]bool{}
	// Every rule relates rows that share their reporter or their partner
	// with each other (a pair's indicators, mirror figures, a group and
	// its members, a share and the total), so only the rows that name an
	// economy of a late row can have findings that the late rows change.
	// The others are left out of both checks.
	near := map[string]bool{}
	for i := range late {
		o := &late[i]
		sk := o.seriesKey
		years[o.Period.Year()] = true
		near[o.Reporter], near[o.Partner] = true, true
		if lateSeries[sk] {
			continue
		}
		lateSeries[sk] = true
		if seen.has(o.idx) {
			from, to := seen.series[o.idx].firstYear, int(seen.lastYear[o.idx])
			for _, s := range spans {
				if s.year >= from && s.year <= to {
					years[s.year] = true
				}
			}
		}
	}
	slices.SortStableFunc(late, func(a, b fig) int { return cmp.Compare(a.Period.Year(), b.Period.Year()) })
	lateRows, reread := len(late), 0
	// Whether each series is near, by its number, told once a series.
	nearSeries := make([]int8, table.series())
	// The two checks are compared whole: a bound would leave out of one
	// what it keeps in the other.
	full := *cfg
	full.MaxFindings = 0
	cfg = &full
	before, after := newCarry(), newCarry()
	// Both checks list every finding of theirs, held until they are
	// compared, and are measured as such.
	meter := seen.meter.late()
	before.meter, after.meter = meter, meter
	// The findings without the late rows are held as their texts alone,
	// counted, while those with them are made: the two lists of a year
	// whose economies are nearly all near are each as large as the year's
	// findings.
	diff := func(without, with input, y int) error {
		before.year, after.year = y, y
		fs, err := checkWith(without, cfg, before)
		if err != nil {
			return err
		}
		count := map[string]gone{}
		for _, f := range fs {
			t := f.heldText()
			count[t] = gone{f.Rule, count[t].n + 1, f.Pos()}
		}
		if fs, err = checkWith(with, cfg, after); err != nil {
			return err
		}
		for _, f := range fs {
			if t := f.heldText(); count[t].n > 0 {
				g := count[t]
				g.n--
				count[t] = g
			} else {
				d.come = append(d.come, f)
			}
		}
		for t, g := range count {
			if g.n > 0 {
				d.gone[t] = gone{g.rule, d.gone[t].n + g.n, g.pos}
			}
		}
		return nil
	}
	last := 0 // the last year read again
	for _, y := range slices.Sorted(maps.Keys(years)) {
		var block []fig
		i, found := slices.BinarySearchFunc(spans, y, func(s blockSpan, y int) int { return cmp.Compare(s.year, y) })
		for ; i < len(spans) && spans[i].year == y; i++ {
			in := ins[spans[i].in]
			n := len(block)
			var err error
			block, err = in.l.reread(in.again, spans[i], near, nearSeries, bound-reread, block)
			if errors.Is(err, errTooNear) {
				return d, fmt.Errorf("%w: the %d rows that came late relate to more than %d rows of their years (%w)", ErrNotYearOrder, lateRows, bound, err)
			}
			if err != nil {
				return d, err
			}
			reread += len(block) - n
		}
		if found {
			d.reread++
		}
		if err := guard.check(y, where, noGrowth, uint64(len(block)+len(late))*2*checkRowBytes); err != nil {
			return d, err
		}
		n := 0
		for n < len(late) && late[n].Period.Year() == y {
			n++
		}
		if err := diff(input{figs: [][]fig{block}}, input{figs: [][]fig{block, late[:n]}}, y); err != nil {
			return d, err
		}
		last = y
		before.keep(lateSeries)
		after.keep(lateSeries)
		late = late[n:]
	}
	before.final, after.final = true, true
	return d, diff(input{}, input{}, last)
}

// keep drops what the carry holds for series other than those given.
func (c *carry) keep(series map[seriesKey]bool) {
	for i := range c.series {
		if cs := &c.series[i]; c.has(int32(i)) && !series[cs.entry.seriesKey] {
			*cs = carried{}
			c.lastYear[i] = notYet
		}
	}
}

// errTooNear stops reread at more rows than it may keep.
var errTooNear = errors.New("too many to check again")

// reread reads the rows of one year again from rs, those whose reporter
// or partner is in near, and appends their figs to block; past limit of
// them, it stops with errTooNear. nearSeries tells, by series number,
// whether a series is near (1) or not (-1), once it was asked (0 before):
// the rows are parsed into figs as the first reading parsed them, through
// the shapes of their series' lines, rather than split into fields and
// the economies of every row looked up by their strings (the year of the
// one late row of the 10M-row file took 20–61 ms so, and takes 18–27 ms).
func (l *loader) reread(rs rereader, s blockSpan, near map[string]bool, nearSeries []int8, limit int, block []fig) ([]fig, error) {
	var src io.Reader = rs.r
	if enc, _ := Encoding(l.encoding); enc != nil {
		// The offsets count decoded bytes: decode from the start.
		if _, err := rs.r.Seek(rs.base, io.SeekStart); err != nil {
			return nil, fmt.Errorf("read %s again: %w", l.name, err)
		}
		src = transform.NewReader(rs.r, enc.NewDecoder())
		if _, err := io.CopyN(io.Discard, src, s.start); err != nil {
			return nil, fmt.Errorf("read %s again: %w", l.name, err)
		}
	} else if _, err := rs.r.Seek(rs.base+s.start, io.SeekStart); err != nil {
		return nil, fmt.Errorf("read %s again: %w", l.name, err)
	}
	// The year is parsed as the first reading parsed it, a chunk at a
	// time on every core, and only the rows near the late ones are kept.
	counted := &countingReader{r: io.LimitReader(src, s.end-s.start)}
	w := l.worker()
	w.cr = newCSVReader(counted, l.delim)
	w.cr.line, w.cr.bytes = s.line-1, s.start
	// The chunks' buffers and the figs' arrays are those the first reading
	// left in its pools, done with: made anew, they were memory the
	// process had not written yet.
	rp := l.pools
	if rp == nil {
		rp = newPools()
	}
	w.pools, w.wantKeys, w.progress, w.maxProblems = rp, false, nil, 0
	isNear := func(e *seriesEntry) bool {
		if int(e.idx) >= len(nearSeries) {
			return near[e.Reporter] || near[e.Partner]
		}
		if nearSeries[e.idx] == 0 {
			nearSeries[e.idx] = -1
			if near[e.Reporter] || near[e.Partner] {
				nearSeries[e.idx] = 1
			}
		}
		return nearSeries[e.idx] > 0
	}
	kept := 0
	first, last := int64(s.first)+int64(l.base), int64(s.last)+int64(l.base) // as the figs number lines
	err := w.scan(func(p part) error {
		for i := range p.figs {
			f := &p.figs[i]
			if int64(f.line) >= first && int64(f.line) <= last && f.Period.Year() == s.year && isNear(f.seriesEntry) {
				if kept == limit {
					return errTooNear
				}
				kept++
				block = append(block, *f)
			}
		}
		rp.putFigs(p.figs)
		return nil
	})
	if rs.stamped {
		// Read since it changed, the rows would not be the ones checked.
		if now, ok := stampOf(rs.r); !ok || !now.same(rs.stamp) {
			return nil, fmt.Errorf("read %s again: it changed while it was checked", l.name)
		}
	}
	if counted.eof && counted.n < s.end-s.start {
		// Before any error of the rows: a file cut short is the cause.
		return nil, fmt.Errorf("read %s again: %w: it is shorter than when it was first read", l.name, io.ErrUnexpectedEOF)
	}
	return block, err
}

// countingReader counts the bytes read through it, and tells whether it
// has read to the end.
type countingReader struct {
	r   io.Reader
	n   int64
	eof bool
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.eof = c.eof || err == io.EOF
	return n, err
}

// errStop ends a scan whose consumer has seen enough.
var errStop = errors.New("stop")

// Observations reads tidy CSV from r, as [Load] does, and yields its
// observations in file order without keeping them: the rows are parsed on
// every core, a chunk at a time, and memory does not grow with them. Rows
// with a problem are left out, as Load leaves them out of the dataset (a
// check reports them). An error that makes the input unreadable is yielded
// last, with the zero Observation. The rows come a chunk at a time (the
// first after 64 kB or the end of the input), and a loop that stops early
// returns once the read in progress has ended.
func Observations(r io.Reader, name string, opts LoadOptions) iter.Seq2[Observation, error] {
	return func(yield func(Observation, error) bool) {
		l, err := newLoader(r, name, opts)
		if err != nil {
			yield(Observation{}, err)
			return
		}
		l.pools = newPools()
		err = l.scan(func(p part) error {
			for i := range p.obs {
				if !yield(p.obs[i], nil) {
					return errStop
				}
			}
			return nil
		})
		if err != nil && err != errStop {
			yield(Observation{}, err)
		}
	}
}

// rowsOf returns the rows of the runs of block.
func rowsOf(block [][]fig) int {
	n := 0
	for _, run := range block {
		n += len(run)
	}
	return n
}
