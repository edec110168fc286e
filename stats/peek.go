package stats

import (
	"bytes"
	"io"
	"slices"
)

// peekSize is how much of the start and of the end of each input
// inputsInOrder reads.
const peekSize = 64 << 10

// inputsInOrder tells whether inputs that can seek may come in year order
// one after another, as checkStreams checks them: it is false when an
// input's first row is of a year before the last row of the input before
// it, which would make nearly every row of the later input late (one file
// per reporter, each of every year, say). Those are checked through
// temporary files from the start, rather than after one input was checked
// in vain. Rows that cannot be read at the edges tell nothing, and the
// inputs are tried in year order. Every input is put back at its base.
func inputsInOrder(in []Input, bases []int64, opts LoadOptions) (bool, error) {
	if len(in) < 2 {
		return true, nil
	}
	opts.Progress = nil
	ordered := true
	prevLast, prevOK := 0, false
	for i, input := range in {
		rs := input.R.(io.ReadSeeker)
		first, last, ok := edgeYears(rs, bases[i], input.Name, opts)
		if _, err := rs.Seek(bases[i], io.SeekStart); err != nil {
			return false, err
		}
		if ok && prevOK && first < prevLast {
			ordered = false
		}
		prevLast, prevOK = last, ok
	}
	return ordered, nil
}

// edgeYears returns the years of the first and the last row of rs from
// base, read from its first and last peekSize bytes, and whether both
// could be read.
func edgeYears(rs io.ReadSeeker, base int64, name string, opts LoadOptions) (first, last int, ok bool) {
	if _, err := rs.Seek(base, io.SeekStart); err != nil {
		return 0, 0, false
	}
	head := make([]byte, peekSize)
	n, _ := io.ReadFull(rs, head)
	head = head[:n]
	if bytes.IndexByte(head, 0) >= 0 {
		// UTF-16, whose lines end in two bytes: left to the reading.
		return 0, 0, false
	}
	h := bytes.IndexByte(head, '\n')
	if h < 0 {
		return 0, 0, false
	}
	header, rest := head[:h+1], head[h+1:]
	r := bytes.IndexByte(rest, '\n')
	if r < 0 {
		return 0, 0, false
	}
	end, err := rs.Seek(0, io.SeekEnd)
	if err != nil {
		return 0, 0, false
	}
	from := max(base, end-peekSize)
	if _, err := rs.Seek(from, io.SeekStart); err != nil {
		return 0, 0, false
	}
	tail := make([]byte, end-from)
	if _, err := io.ReadFull(rs, tail); err != nil {
		return 0, 0, false
	}
	tail = bytes.TrimRight(tail, "\r\n")
	t := bytes.LastIndexByte(tail, '\n')
	if t < 0 {
		return 0, 0, false
	}
	first, okFirst := rowYear(header, rest[:r+1], name, opts)
	last, okLast := rowYear(header, tail[t+1:], name, opts)
	return first, last, okFirst && okLast
}

// rowYear returns the year of the one row of line, read under header, and
// whether it is a row with a period.
func rowYear(header, line []byte, name string, opts LoadOptions) (int, bool) {
	text := append(append(slices.Clip(header), line...), '\n')
	ds, err := Load(bytes.NewReader(text), name, opts)
	if err != nil || len(ds.Obs) != 1 {
		return 0, false
	}
	return ds.Obs[0].Period.Year(), true
}
