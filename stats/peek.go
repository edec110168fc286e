package stats

import (
	"bytes"
	"io"
	"slices"
)

// peekSize is how much of the start and of the end of each input
// inputsInOrder reads.
const peekSize = 16 << 10

// inputsInOrder tells whether inputs, each from its base, may come in year
// order one after another, as checkStreams checks them: it is false when
// an input's first row is of a year before the last row of the input
// before it, which would make nearly every row of the later input late
// (one file per reporter, each of every year, say). Those are checked
// through temporary files from the start, rather than after one input was
// checked in vain. Rows that cannot be read at the edges tell nothing, and
// the inputs are tried in year order. The edges are read where they are
// (io.ReaderAt), so that no input moves, nor reads what a reader around a
// file (one that hashes what is read, say) would have to read in between;
// an input that cannot be read so tells nothing either.
func inputsInOrder(in []Input, bases []int64, opts LoadOptions) bool {
	opts.Progress = nil
	prevLast, prevOK := 0, false
	for i, input := range in {
		first, last, ok := edgeYears(input.R, bases[i], input.Name, opts)
		if ok && prevOK && first < prevLast {
			return false
		}
		prevLast, prevOK = last, ok
	}
	return true
}

// edgeYears returns the years of the first and the last row of r from
// base, read from its first and last peekSize bytes, and whether both
// could be read.
func edgeYears(r io.Reader, base int64, name string, opts LoadOptions) (first, last int, ok bool) {
	ra, isAt := r.(io.ReaderAt)
	size, sized := sizeOf(r)
	if !isAt || !sized || size <= base {
		return 0, 0, false
	}
	readAt := func(from, to int64) ([]byte, bool) {
		b := make([]byte, to-from)
		n, err := ra.ReadAt(b, from)
		return b[:n], n == len(b) || err == io.EOF
	}
	head, okHead := readAt(base, min(size, base+peekSize))
	if !okHead || bytes.IndexByte(head, 0) >= 0 {
		// UTF-16, whose lines end in two bytes: left to the reading.
		return 0, 0, false
	}
	header, rest, cut := bytes.Cut(head, []byte("\n"))
	row, _, whole := bytes.Cut(rest, []byte("\n"))
	if !cut || !whole {
		return 0, 0, false
	}
	tail, okTail := readAt(max(base, size-peekSize), size)
	if !okTail {
		return 0, 0, false
	}
	tail = bytes.TrimRight(tail, "\r\n")
	t := bytes.LastIndexByte(tail, '\n')
	if t < 0 {
		return 0, 0, false
	}
	// The header read as the input's would be, and the rows split by it:
	// only their periods are read.
	l, err := newLoader(bytes.NewReader(slices.Concat(header, []byte("\n"))), name, opts)
	if err != nil {
		return 0, 0, false
	}
	first, okFirst := l.periodYear(row)
	last, okLast := l.periodYear(tail[t+1:])
	return first, last, okFirst && okLast
}

// sizeOf returns the size of r: that of a bytes or strings reader, or of
// a regular file (see stampOf).
func sizeOf(r io.Reader) (int64, bool) {
	if s, ok := r.(interface{ Size() int64 }); ok {
		return s.Size(), true
	}
	st, ok := stampOf(r)
	return st.size, ok
}

// periodYear returns the year of the period of line, a row under l's
// header (without its line break), and whether it has one that is of one
// year.
func (l *loader) periodYear(line []byte) (int, bool) {
	c := l.col[colPeriod]
	cr := newChunkReader(slices.Concat(line, []byte("\n")), l.delim, 2)
	if c < 0 || cr.read() != nil || c >= cr.nfields() {
		return 0, false
	}
	p, ok := parsePeriodBytes(cr.field(c))
	if !ok || p.acrossYears() {
		return 0, false
	}
	return p.Year(), true
}
