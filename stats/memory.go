package stats

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// ErrMemory is wrapped by the error of a check or a comparison a year at a
// time whose rows of one year need more memory than [LoadOptions.MemoryLimit]
// allows: the rows of a year are checked together, and a year too large
// for the memory cannot be checked a year at a time.
var ErrMemory = errors.New("not enough memory")

// ErrFindingsMemory is wrapped, with [ErrMemory], by the error of a check
// whose findings, held to be listed in order at its end, need more memory
// than [LoadOptions.MemoryLimit] allows: fewer of them can be listed
// ([Config.MaxFindings]).
var ErrFindingsMemory = errors.New("the findings held to be listed need more memory")

// The live heap grows, from the rows of a year read to the end of their
// check, by about these sixteenths of itself. The first year's check makes
// the arrays by series and rows that later years use again: the wide
// synthetic file's first year (2.2 million rows, 182,000 series) held
// 179 MB when read, 255 MB once indexed and 270 MB once its rules ran; the
// 10M-row file's, 39, 53 and 57 MB. Later years grew by 4% at the most. A
// comparison of releases holds little more than the figures it read.
const (
	firstYearGrowth = 26 // 1.63 times
	yearGrowth      = 17 // 1.06 times
	compareGrowth   = 17 // 1.06 times
	noGrowth        = 16
)

// checkRowBytes is what the check of a year adds for each of its rows,
// its arrays and findings: 41 bytes a row of the wide file's first year,
// 50 of the 10M-row file's. The rows of a year read again for rows that
// came late are checked twice, without them and with them, each check
// with arrays of its own (see checkLate).
const checkRowBytes = 64

// Bytes a row takes in memory when a year is read back from the years'
// files at once, before the rows are checked or compared, for the rows
// past the most that a year read before held (their arrays are used again
// year after year): a fig of 40 bytes and the year's file, about 23 bytes
// a row (see checkSpilled); the figures of a release to compare, 142
// bytes a row once read and sorted (see figureRows), and some for the
// garbage of the year before: a comparison of the 10M-row file with its
// revision, 360,000 rows a year, held 95 MB at the most.
//
// A year of releases whose figures are found by their text (see
// DiffInputs) is read as observations, 168 bytes, and the year's file,
// and compared through maps by figure: wholeRowBytes a row, counted whole
// as the observations' arrays are used again from year to year only in
// part. A year of 356,400 rows compared with itself peaked at 377 bytes a
// row of a release so, and at 141 bytes by the figures' codes.
const (
	spillRowBytes   = 64
	compareRowBytes = 160
	wholeRowBytes   = 400
)

// yearGrowthOf returns the growth of the live heap over the check of a
// year of rows rows, in sixteenths of itself and in bytes more, when
// checked years were checked before it, the largest of most rows: a year
// uses again the arrays by series and rows that the years before made, and
// needs its own only for its rows past the most of theirs, about
// checkRowBytes each. A file whose first year had one month, 29,700 rows,
// and its second 356,400 was killed in a control group of 70 MB in 6
// runs of 8 once the second year's check was let begin, its arrays
// counted at the growth of the years after the first alone.
func yearGrowthOf(checked, rows, most int) (grow, extra uint64) {
	if checked == 0 {
		return firstYearGrowth, 0
	}
	return yearGrowth, uint64(max(rows-most, 0)) * checkRowBytes
}

// memoryGuard tells when the rows of a year read so far, checked, would
// take more than a memory limit allows. The live heap is measured from the
// heap's objects, live and not yet collected: when they leave room, so
// does the live heap; when not, a collection tells. The room is the limit
// less what the runtime holds besides the heap's objects and its free
// spans (its metadata, stacks and the space between objects in spans),
// and a sixteenth of the limit for that to grow. The runtime, given the
// limit too (debug.SetMemoryLimit), collects more often as the heap nears
// it, which keeps the garbage small.
type memoryGuard struct {
	limit uint64
	// The heap's objects; the live heap at the last collection; all the
	// runtime holds, what of it it gave back and its free spans.
	samples [5]metrics.Sample
	// measured is the heap's objects after the last collection the guard
	// made, 0 before one.
	measured uint64
	// most is the most rows of a year that reading told of (see reading).
	most int
	// elsewhere returns the memory the limit counts outside the heap (see
	// LoadOptions.MemoryElsewhere), or is nil.
	elsewhere func() int64
	// measure reads the heap's measures (read), and collect collects
	// garbage (runtime.GC): tests give their own.
	measure func() (heapMeasures, bool)
	collect func()
}

// newMemoryGuard returns the guard of the memory limit of opts, or nil for
// none.
func newMemoryGuard(opts LoadOptions) *memoryGuard {
	if opts.MemoryLimit <= 0 {
		return nil
	}
	g := &memoryGuard{limit: uint64(opts.MemoryLimit), elsewhere: opts.MemoryElsewhere, collect: runtime.GC}
	g.measure = g.read
	for i, name := range [...]string{"/memory/classes/heap/objects:bytes", "/gc/heap/live:bytes",
		"/memory/classes/total:bytes", "/memory/classes/heap/released:bytes", "/memory/classes/heap/free:bytes"} {
		g.samples[i].Name = name
	}
	return g
}

// check returns an error that wraps ErrMemory when the live heap, grown
// by grow sixteenths of itself, and extra bytes more would take more than
// the guard's room, for the rows of year; where is the place the reading
// stands at, or "". It collects garbage to measure the live heap when the
// heap's objects alone are too many, once for each sixteenth of the limit
// they grow by. A nil guard allows everything.
func (g *memoryGuard) check(year int, where string, grow, extra uint64) error {
	if g == nil {
		return nil
	}
	m, need, over := g.over(grow, extra)
	if !over {
		return nil
	}
	err := fmt.Errorf("%w: the rows of %d need about %s of the %s the process may take, %s: the rows of a year are read together",
		ErrMemory, year, megabytesUp(need+g.limit-m.room), megabytes(g.limit), m.held())
	return placed(where, err)
}

// writing returns an error that wraps ErrMemory when the temporary files
// written so far take memory the limit counts (LoadOptions.MemoryElsewhere)
// and leave the live heap too little room; where is the place the reading
// stands at, or "". A guard without such memory allows everything.
func (g *memoryGuard) writing(where string) error {
	if g == nil || g.elsewhere == nil {
		return nil
	}
	m, _, over := g.over(noGrowth, 0)
	if !over {
		return nil
	}
	err := fmt.Errorf("%w: the temporary files written so far hold %s in memory of the %s the process may take, and the heap holds %s",
		ErrMemory, megabytes(m.elsewhere), megabytes(g.limit), megabytes(m.live))
	if m.elsewhere == 0 {
		err = fmt.Errorf("%w: the heap holds %s of the %s the process may take while the rows are written to temporary files",
			ErrMemory, megabytes(m.live), megabytes(g.limit))
	}
	return placed(where, err)
}

// over tells whether the live heap, grown by grow sixteenths of itself,
// and extra bytes more would take more than the guard's room, with the
// measures it read and that need (see check).
func (g *memoryGuard) over(grow, extra uint64) (m heapMeasures, need uint64, over bool) {
	return g.overSince(&g.measured, grow, extra)
}

// overSince is over for a measurer of its own, whose last collection
// left the heap's objects at *measured (0 before one): a collection it
// made does not stand for another's, made at another time.
func (g *memoryGuard) overSince(measured *uint64, grow, extra uint64) (m heapMeasures, need uint64, over bool) {
	needOf := func(n uint64) uint64 { return n/16*grow + extra }
	m, ok := g.measure()
	if !ok || needOf(m.objects) <= m.room {
		return m, 0, false
	}
	// The live heap is what the last collection left, and at most the
	// objects made since the measurer's own: a year being read grows by
	// its rows between collections, which leave the live heap they found
	// behind. Either past the room is measured by a collection, as are
	// objects grown by a sixteenth of the limit since the measurer's last.
	// The wide file of 1M rows read its first year from 108 to 120 MB of
	// objects between collections, the live heap left at 108 MB: its check
	// was let begin in a control group of 220 MB, and killed.
	since := m.objects - min(m.objects, *measured)
	if *measured == 0 || since > g.limit/16 || needOf(m.live+since) > m.room {
		g.collect()
		if m, ok = g.measure(); !ok {
			return m, 0, false
		}
		*measured = m.objects
	}
	need = needOf(m.live)
	return m, need, need > m.room
}

// placed returns err at where, when where is not "".
func placed(where string, err error) error {
	if where == "" {
		return err
	}
	return fmt.Errorf("%s: %w", where, err)
}

// reading is check before rows of year are read at once, each taking
// rowBytes: the rows past the most of a year read before need memory of
// their own, the others the arrays that year left to be used again.
func (g *memoryGuard) reading(year int, where string, rows int, rowBytes uint64) error {
	if g == nil {
		return nil
	}
	more := uint64(max(rows-g.most, 0))
	g.most = max(g.most, rows)
	return g.check(year, where, noGrowth, more*rowBytes)
}

// inputNames returns the names of in, for the place of an error.
func inputNames(in ...[]Input) string {
	var names []string
	for _, ins := range in {
		for _, input := range ins {
			names = append(names, input.Name)
		}
	}
	return strings.Join(names, ", ")
}

// held says what m found held: "… of it held already", and "and … by
// temporary files in memory" when there are any.
func (m heapMeasures) held() string {
	if m.elsewhere > 0 {
		return fmt.Sprintf("%s of it held already and %s by temporary files in memory", megabytes(m.live), megabytes(m.elsewhere))
	}
	return fmt.Sprintf("%s of it held already", megabytes(m.live))
}

// heapMeasures is what memoryGuard.read reads: the heap's objects, the
// live heap at the last collection, the room the limit leaves the heap's
// objects, and the memory held elsewhere that the limit counts.
type heapMeasures struct{ objects, live, room, elsewhere uint64 }

// read returns the guard's measures of the heap, and false when the
// runtime does not tell them.
func (g *memoryGuard) read() (heapMeasures, bool) {
	metrics.Read(g.samples[:])
	var v [len(g.samples)]uint64
	for i, s := range g.samples {
		if s.Value.Kind() != metrics.KindUint64 {
			return heapMeasures{}, false
		}
		v[i] = s.Value.Uint64()
	}
	objects, live, total, released, free := v[0], v[1], v[2], v[3], v[4]
	besides := total - min(released+free+objects, total)
	var elsewhere uint64
	if g.elsewhere != nil {
		elsewhere = uint64(max(g.elsewhere(), 0))
	}
	room := g.limit - min(besides+elsewhere+g.limit/16, g.limit)
	return heapMeasures{objects, live, room, elsewhere}, true
}

// megabytes formats a size in MB.
func megabytes(n uint64) string { return fmt.Sprintf("%d MB", n>>20) }

// megabytesUp formats a size in MB, a part of one counted whole: what is
// needed.
func megabytesUp(n uint64) string { return megabytes(n + 1<<20 - 1) }

// checkMeter measures the heap against a memory guard as the rules of a
// check run, which the guard's measure of a year's rows before its check
// foresees only in part: the wide file of 1M rows grew its first year's
// live heap by 1.88 times in its check, where the guard counts 1.63 (its
// findings, up to Config.MaxFindings of each of its twelve rules, weigh
// more on a year of 115 MB than on the larger ones the growth was measured
// on), and it was killed in a control group of 230 MB in 2 runs of 4. The
// rules measure as each of them and each part of one begins (see
// measure), and as the findings they make add up to a step more (see add):
// the findings a check lists are held until its end, to be listed in
// order, and a year in which every turnover of 29,700 series was wrong,
// its 118,800 findings all listed (Config.MaxFindings 0), took the live
// heap from 45 MB to 91 MB during its check, and 142 MB at its end; it
// was killed in a control group of 100 MB. When every finding is listed,
// the findings made so far are taken to need as much again before they
// are: their arrays grow by doubling, the list of the years' findings
// takes a copy of each year's, and the list is sorted and written at the
// end. Once the heap leaves no room, the rules start no part and make no
// finding more, and the check fails (see err).
type checkMeter struct {
	guard *memoryGuard
	where string
	// all tells that every finding is listed.
	all bool
	// year is the year being checked, set before its rules run.
	year int
	// step is the bytes of findings made between two measures, batch
	// what a rule adds to made at once (see add).
	step, batch uint64
	// made is the bytes of the findings made so far, about; at, what made
	// is at the next measure.
	made, at atomic.Uint64
	// failed tells that the heap left no room: failure, under mu, says so.
	failed  atomic.Bool
	mu      sync.Mutex
	failure error
	// measured is the heap's objects after the meter's last collection
	// (see memoryGuard.overSince), under mu.
	measured uint64
}

// newCheckMeter returns the meter of a check under guard, whose errors
// name where, which lists every finding when all is true; nil, which
// measures nothing, for no guard.
func newCheckMeter(guard *memoryGuard, where string, all bool) *checkMeter {
	if guard == nil {
		return nil
	}
	step := max(guard.limit/findingsSteps, 1<<10)
	m := &checkMeter{guard: guard, where: where, all: all, step: step, batch: min(step/8, 64<<10)}
	m.at.Store(m.step)
	return m
}

// findingsSteps is how many steps of the memory limit the findings of a
// check are measured at (see checkMeter); tests raise it.
var findingsSteps uint64 = 64

// findingBytes is about what a finding held takes: the struct, its
// rows' places and its strings, the file names of its places shared.
func findingBytes(f *Finding) uint64 {
	return uint64(unsafe.Sizeof(*f)) + uint64(len(f.Rows))*uint64(unsafe.Sizeof(Pos{})) + uint64(len(f.Message)+len(f.Series))
}

// add adds the finding f, about to be held, and reports whether it may be:
// false once the heap has left no room. A rule adds the bytes of its
// findings to *pending, its own, and those to made a batch at a time, so
// that the rules on the other cores do not wait for the cache line of made
// at each finding.
func (m *checkMeter) add(pending *uint64, f *Finding) bool {
	if m == nil {
		return true
	}
	if m.stopped() {
		return false
	}
	if *pending += findingBytes(f); *pending < m.batch {
		return true
	}
	return m.settle(pending)
}

// settle adds the bytes of findings a rule or a part of one holds in
// *pending to made, as it ends (what it made since its last batch) or
// when they make a batch, and measures the heap when made passes a step;
// it reports whether the check may go on.
func (m *checkMeter) settle(pending *uint64) bool {
	if m == nil {
		return true
	}
	n := m.made.Add(*pending)
	*pending = 0
	if n < m.at.Load() {
		return !m.stopped()
	}
	return m.measureIf(true)
}

// measure measures the heap, as a rule or a part of one begins, and
// reports whether the check may go on: false once the heap has left no
// room.
func (m *checkMeter) measure() bool { return m.measureIf(false) }

// measureIf is measure, which, when stepped, only measures when made is
// still past a step under the lock: another rule whose findings passed
// it at once measured already.
func (m *checkMeter) measureIf(stepped bool) bool {
	if m == nil {
		return true
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failure != nil {
		return false
	}
	n := m.made.Load()
	if stepped && n < m.at.Load() {
		return true
	}
	m.at.Store(n + m.step)
	var extra uint64
	if m.all {
		extra = n
	}
	meas, need, over := m.guard.overSince(&m.measured, noGrowth, extra)
	if !over {
		return true
	}
	limit := megabytes(m.guard.limit)
	var err error = fmt.Errorf("%w: the check of %d needs more than the %s the process may take, %s: the rows of a year are checked together",
		ErrMemory, m.year, limit, meas.held())
	if need-extra <= meas.room {
		// Over only with the findings yet to be listed: theirs is the room
		// taken.
		err = &findingsMemoryError{fmt.Sprintf("%v: the findings of %d and the years before, about %s made so far, held to be listed, would need about %s of the %s the process may take, %s",
			ErrMemory, m.year, megabytesUp(n), megabytesUp(need+m.guard.limit-meas.room), limit, meas.held())}
	}
	m.failure = placed(m.where, err)
	m.failed.Store(true)
	return false
}

// late returns the meter of the checks of the years read again for rows
// that came late (see checkLate), which list every finding of theirs, of
// the same guard: nil for none.
func (m *checkMeter) late() *checkMeter {
	if m == nil {
		return nil
	}
	return newCheckMeter(m.guard, m.where, true)
}

// stopped reports whether the heap has left no room: the rules need not
// go on.
func (m *checkMeter) stopped() bool { return m != nil && m.failed.Load() }

// err returns the error of a check whose rules the heap left no room
// for, or nil.
func (m *checkMeter) err() error {
	if !m.stopped() {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.failure
}

// findingsMemoryError is the error of a checkMeter of every finding: it
// wraps ErrMemory and ErrFindingsMemory, and says only the first.
type findingsMemoryError struct{ msg string }

func (e *findingsMemoryError) Error() string { return e.msg }

// Is tells that the error is ErrMemory and ErrFindingsMemory.
func (e *findingsMemoryError) Is(target error) bool {
	return target == ErrMemory || target == ErrFindingsMemory
}
