package stats

import (
	"bytes"
	"io"
	"io/fs"
	"slices"
)

// peekSize is how much of the start and of the end of each input
// inputsInOrder reads.
const peekSize = 64 << 10

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
	first, okFirst := rowYear(header, row, name, opts)
	last, okLast := rowYear(header, tail[t+1:], name, opts)
	return first, last, okFirst && okLast
}

// sizeOf returns the size of r: that of a bytes or strings reader, or of
// a regular file.
func sizeOf(r io.Reader) (int64, bool) {
	switch s := r.(type) {
	case interface{ Size() int64 }:
		return s.Size(), true
	case interface{ Stat() (fs.FileInfo, error) }:
		st, err := s.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return 0, false
		}
		return st.Size(), true
	}
	return 0, false
}

// rowYear returns the year of the one row of line, read under header
// (both without their line breaks), and whether it is a row with a
// period.
func rowYear(header, line []byte, name string, opts LoadOptions) (int, bool) {
	text := slices.Concat(header, []byte("\n"), line, []byte("\n"))
	ds, err := Load(bytes.NewReader(text), name, opts)
	if err != nil || len(ds.Obs) != 1 {
		return 0, false
	}
	return ds.Obs[0].Period.Year(), true
}
