package stats

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"
	"unsafe"
)

// chunkSize is the size of the pieces the data rows are cut into so that
// every core parses some; a variable so that tests can cut small inputs
// into many pieces. 1 MB rather than 4 MB: the chunks in flight and kept
// for reuse then hold a quarter of the memory (the 1M-row benchmark file
// is checked in 290 MB instead of 360 MB, and no slower).
var chunkSize = 1 << 20

// rawChunk is a piece of the input that starts at the beginning of a line
// and ends at the end of one.
type rawChunk struct {
	seq   int
	data  []byte
	line  int   // the number of the first line of data
	start int64 // the offset of data in the input, after decoding
	last  bool  // nothing follows
	read  int64 // the bytes of input read so far
}

// chunkResult is a parsed chunk.
type chunkResult struct {
	raw      rawChunk
	obs      []Observation
	figs     []fig    // the rows as figs, instead of obs, when the loader makes them
	keys     []uint64 // the series key of each observation, when kept
	problems []*ParseError
	dropped  int
	rows     int
	err      error // a problem that stops loading
	// open is the offset in raw.data of a record that is still inside a
	// quoted field at the end of the chunk, or -1; openLine is its line.
	// A quoted field may hold line breaks, so the chunk was cut at a line
	// break inside a record: the record is parsed again with what follows.
	open, openLine int
	lastLine       int // the number of the last line parsed
}

// part is what the parsing hands over in file order: the observations of
// a chunk, with the number of data rows they came from, where in the input
// their text starts and ends, and the bytes of input read so far.
type part struct {
	obs        []Observation
	figs       []fig    // the rows as figs, when the loader makes them (then obs is nil)
	keys       []uint64 // nil, or the series key of each observation (see seriesCode)
	rows       int
	start, end int64
	line       int // the line at start
	read       int64
}

// pools recycle the buffers of chunks and the rows parsed from them, when
// the rows are checked and let go rather than kept: parsing then
// allocates little, and the garbage collector has little to do.
type pools struct {
	raw  chan []byte
	obs  slicePool[Observation] // cleared: every element zero
	figs slicePool[fig]
}

// slicePool holds slices of length 0 for reuse, up to maxPooled bytes.
type slicePool[T any] struct {
	mu   sync.Mutex
	s    [][]T
	size int // the bytes they hold
	// clear has the slices cleared as they come back, so that they do
	// not hold what their elements point to.
	clear bool
}

// maxPooled bounds the bytes of rows kept for reuse, of each kind. A check
// a year at a time lets go of a year's rows at once and parses as many for
// the next: kept, they are the memory the next year needs anyway, and the
// garbage collector neither scans them twice nor runs for them.
const maxPooled = 256 << 20

// get returns a slice of length 0 from the pool, or a new one with room
// for n. A pooled slice with room for less than half of n goes, and a new
// one is made: grown by append it would be copied once for each time it
// doubles, and the small chunks at the start of each input (see cut) leave
// small ones. The rows of 35 files a month, each starting with chunks of
// 64 KB, grew their figs by 59 MB that way, against 8 MB for the same rows
// as one file. One with room for half of n or more is reused, as it
// doubles once at most: made anew, slices a little short of the rows of
// the wide file's chunks took 8 MB more.
func (p *slicePool[T]) get(n int) []T {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := len(p.s)
	if k == 0 {
		return make([]T, 0, n)
	}
	s := p.s[k-1]
	p.s[k-1] = nil
	p.s = p.s[:k-1]
	p.size -= cap(s) * int(unsafe.Sizeof(*new(T)))
	if cap(s) < n/2 {
		return make([]T, 0, n)
	}
	return s
}

// put adds s to the pool, unless that would pass maxPooled.
func (p *slicePool[T]) put(s []T) {
	p.mu.Lock()
	defer p.mu.Unlock()
	size := cap(s) * int(unsafe.Sizeof(*new(T)))
	if cap(s) == 0 || p.size+size > maxPooled {
		return
	}
	if p.clear {
		clear(s[:cap(s)])
	}
	p.s = append(p.s, s[:0])
	p.size += size
}

func newPools() *pools {
	// Few buffers are kept: as many as a scan holds at once, so that none
	// is let go and made again (a buffer made is memory the process has
	// not written yet), and what a peak allocated is not held to the end.
	return &pools{raw: make(chan []byte, rawInFlight(runtime.GOMAXPROCS(0))), obs: slicePool[Observation]{clear: true}}
}

// rawInFlight is the most buffers of chunks a scan with workers parsing
// goroutines holds at once: one for each token (workers + 2), the one
// being filled, the one its sink has (its token given back), and a chunk
// whose last record is still open, which waits for the next. With room
// for four, as before, a check of the 10M-row file made 35 buffers of 1
// MB rather than 6.
func rawInFlight(workers int) int { return workers + 5 }

// getRaw returns an empty buffer that holds n bytes.
func (p *pools) getRaw(n int) []byte {
	if p != nil && n <= chunkSize {
		select {
		case b := <-p.raw:
			return b[:0]
		default:
		}
	}
	if p != nil && n < chunkSize {
		n = chunkSize
	}
	return make([]byte, 0, n)
}

// putRaw recycles a chunk's buffer.
func (p *pools) putRaw(b []byte) {
	if p == nil || cap(b) != chunkSize {
		return
	}
	select {
	case p.raw <- b:
	default:
	}
}

// getObs returns an empty slice for about n observations.
func (p *pools) getObs(n int) []Observation {
	if p == nil {
		return make([]Observation, 0, n)
	}
	return p.obs.get(n)
}

// putObs recycles observations no longer held.
func (p *pools) putObs(o []Observation) {
	if p != nil {
		p.obs.put(o)
	}
}

// getFigs returns an empty slice for about n figs.
func (p *pools) getFigs(n int) []fig {
	if p == nil {
		return make([]fig, 0, n)
	}
	return p.figs.get(n)
}

// putFigs recycles figs no longer held. They are not cleared: a fig
// points only to its series' entry, which the seriesTable holds anyway.
func (p *pools) putFigs(f []fig) {
	if p != nil {
		p.figs.put(f)
	}
}

// scan parses the data rows that follow the header, on every core, and
// hands the observations (or their figs, see loader.figTable) to sink in
// file order; a sink that keeps observations copies them, as they are
// parsed into again when the loader recycles them. Row-level problems are
// kept in l.problems. It returns the first error that stops loading, or
// the first error of sink; or, for a file whose size or time of change is
// not what it was when the loader was made, an error that wraps
// ErrChanged, whatever the rows said (but sink's error, which it is
// given): a file cut short or written to while
// it was read gives rows that are not the file's, or none, and a check of
// them would pass or fail for nothing.
func (l *loader) scan(sink func(part) error) error {
	var stopped error // sink's: a reader that stops reading says why
	l.scanned = true
	err := l.scanChunks(func(p part) error {
		l.records += p.rows
		if err := sink(p); err != nil {
			stopped = err
			return err
		}
		return nil
	})
	if l.stamped && (err == nil || err != stopped) {
		if now, ok := stampOf(l.src); !ok || !now.same(l.stamp) {
			return fmt.Errorf("%w (it is %d bytes, and was %d when reading began): check it again once it is written", ErrChanged, now.size, l.stamp.size)
		}
	}
	return err
}

// scanChunks is scan, but for the file's change.
func (l *loader) scanChunks(sink func(part) error) error {
	src := l.cr.r
	base := l.cr.line + 1
	read := l.cr.bytes
	l.lastLine = l.cr.line
	workers := runtime.GOMAXPROCS(0)
	// Tokens bound the chunks in flight, so that memory does not grow when
	// the sink is slower than the parsing.
	tokens := make(chan struct{}, rawInFlight(workers)-3)
	work := make(chan rawChunk)
	results := make(chan chunkResult, workers+2)
	done := make(chan struct{})
	cutDone := make(chan struct{})
	var cutErr error
	var wg sync.WaitGroup
	go func() {
		defer close(cutDone)
		defer close(work)
		cutErr = cut(src, base, read, l.progress, l.pools, func(c rawChunk) bool {
			select {
			case tokens <- struct{}{}:
			case <-done:
				return false
			}
			select {
			case work <- c:
				return true
			case <-done:
				return false
			}
		})
	}()
	for range workers {
		w := l.worker()
		w.known = l.shared.takeKnown()
		wg.Go(func() {
			defer func() { l.shared.leaveKnown(w.known) }()
			for c := range work {
				select {
				case results <- w.parseChunk(c):
				case <-done:
					return
				}
			}
		})
	}
	go func() { wg.Wait(); close(results) }()
	// On the way out every goroutine has ended, also when the sink stopped
	// early: none reads the input, or its buffers, after scan returns.
	defer func() {
		close(done)
		for range results {
		}
		<-cutDone
	}()

	pending := map[int]chunkResult{}
	next := 0
	var carry *chunkResult // an open record waiting for the next chunk
	for res := range results {
		pending[res.raw.seq] = res
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-tokens
			if carry != nil {
				// The chunk was cut inside a quoted field of the one
				// before: parse the rest of that record and this chunk
				// again, as one.
				data := append(carry.raw.data[carry.open:len(carry.raw.data):len(carry.raw.data)], r.raw.data...)
				l.pools.putRaw(carry.raw.data)
				l.pools.putRaw(r.raw.data)
				r = l.worker().parseChunk(rawChunk{seq: r.raw.seq, data: data, line: carry.openLine, start: carry.raw.start + int64(carry.open), last: r.raw.last, read: r.raw.read})
				carry = nil
			}
			if r.err != nil {
				return r.err
			}
			l.keep(r.problems, r.dropped)
			l.lastLine = max(l.lastLine, r.lastLine)
			read = r.raw.read
			end := r.raw.start + int64(len(r.raw.data))
			if r.open >= 0 {
				end = r.raw.start + int64(r.open)
			}
			p := part{obs: r.obs, keys: r.keys, figs: r.figs, rows: r.rows, start: r.raw.start, end: end, line: r.raw.line, read: read}
			err := sink(p)
			// The sink keeps no observation of the part: they are
			// parsed into again (when the loader recycles them).
			l.pools.putObs(r.obs)
			if err != nil {
				return err
			}
			if r.open >= 0 {
				c := r
				carry = &c
			} else {
				l.pools.putRaw(r.raw.data)
			}
		}
	}
	if cutErr != nil {
		return fmt.Errorf("read %s: %w", l.name, cutErr)
	}
	if l.progress != nil {
		l.progress(read)
	}
	return nil
}

// cut reads src to its end in chunks of about chunkSize bytes that end at
// a line break, numbers their first lines from line and hands them to
// send, in order, until send returns false.
func cut(src io.Reader, line int, read int64, progress func(int64), pl *pools, send func(rawChunk) bool) error {
	var rest []byte // the start of a line that the next chunk begins with
	reported := read
	// The chunks start small and double, so that a small input is not
	// given a large buffer and the second core starts early.
	size := min(chunkSize, 64<<10)
	for seq := 0; ; seq++ {
		want := max(size, 2*len(rest))
		buf := pl.getRaw(want)
		buf = append(buf, rest...)
		size = min(2*size, chunkSize)
		n, err := io.ReadFull(src, buf[len(buf):min(cap(buf), want)])
		buf = buf[:len(buf)+n]
		eof := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !eof {
			return err
		}
		read += int64(n)
		start := read - int64(len(buf))
		end := len(buf)
		if !eof {
			end = bytes.LastIndexByte(buf, '\n') + 1
			if end == 0 && len(buf) <= maxLineBytes {
				// One line fills the chunk: read on until it ends, or
				// until it is too long for the parser to take.
				rest = append(rest[:0], buf...)
				pl.putRaw(buf)
				seq--
				continue
			}
			if end == 0 {
				end = len(buf)
			}
		}
		data := buf[:end]
		// The rest is copied out before the chunk goes: its buffer is
		// recycled once it is parsed.
		rest = append(rest[:0], buf[end:]...)
		if progress != nil && read-reported >= 1<<20 {
			reported = read
			progress(read)
		}
		if len(data) > 0 || eof {
			if !send(rawChunk{seq: seq, data: data, line: line, start: start, last: eof, read: read}) {
				return nil
			}
		}
		if eof {
			return nil
		}
		line += bytes.Count(data, []byte{'\n'})
	}
}

// worker returns a loader that parses chunks for l: the same header and
// settings, its own tables of shared strings and codes.
func (l *loader) worker() *loader {
	w := *l
	w.cr = nil
	w.intern = map[string]interned{}
	w.codes = map[string]error{}
	w.known = nil
	w.ds = nil
	w.problems, w.dropped = nil, 0
	w.fm = nil
	if l.figTable != nil {
		w.fm = newFigMaker(l.figTable)
		w.fm.file, w.fm.base = l.file, l.base
	}
	return &w
}

// parseChunk parses the rows of one chunk.
func (l *loader) parseChunk(c rawChunk) chunkResult {
	res := chunkResult{raw: c, open: -1}
	l.cr = newChunkReader(c.data, l.delim, c.line)
	l.ds = &Dataset{}
	rows := 16
	if l.perRow > 0 {
		rows += int(float64(len(c.data)) / l.perRow * 1.05)
	}
	switch {
	case l.fm != nil:
		l.fm.startChunk()
		l.figs = l.pools.getFigs(rows)
	case l.perRow > 0:
		l.ds.Obs = l.pools.getObs(rows)
	}
	if l.wantKeys && l.fm == nil {
		// Checked and let go: the checker groups the rows by these keys.
		l.keys = make([]uint64, 0, cap(l.ds.Obs))
	}
	l.problems, l.dropped = nil, 0
	for {
		if l.fm != nil && l.lineOfNext() {
			l.ds.Rows++
			continue
		}
		start, startLine := l.cr.bytes, l.cr.line+1
		if err := l.cr.read(); err != nil {
			if err == io.EOF {
				break
			}
			re, ok := err.(*recordError)
			if !ok {
				res.err = fmt.Errorf("read %s: %w", l.name, err)
				return res
			}
			if re.eof && !c.last {
				res.open, res.openLine = int(start), startLine
				break
			}
			if re.fatal {
				res.err = l.fail(re.line, re.col, re.err)
				return res
			}
			l.ds.Rows++
			l.problem(re.line, re.col, "", re.err)
			continue
		}
		l.ds.Rows++
		l.row()
	}
	if l.ds.Rows > 0 {
		l.perRow = float64(len(c.data)) / float64(l.ds.Rows)
	}
	res.obs, res.rows, res.lastLine, res.keys = l.ds.Obs, l.ds.Rows, l.cr.line, l.keys
	if l.fm != nil {
		if int64(res.lastLine)+int64(l.base) > math.MaxInt32 {
			// A fig keeps its line in 32 bits, counted on from the
			// inputs before in its file.
			res.err = fmt.Errorf("read %s: more than %d lines: split the file (by years, for instance)", l.name, math.MaxInt32)
			return res
		}
		res.figs, l.figs = l.figs, nil
	}
	res.problems, res.dropped = l.problems, l.dropped
	return res
}

// keep adds the problems of a chunk to the loader's, up to the limit.
func (l *loader) keep(ps []*ParseError, dropped int) {
	for _, p := range ps {
		if len(l.problems) >= l.maxProblems {
			l.dropped++
			continue
		}
		l.problems = append(l.problems, p)
	}
	l.dropped += dropped
}
