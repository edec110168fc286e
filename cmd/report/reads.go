package main

import (
	"bytes"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"

	"github.com/tradedesk/report/stats"
)

// readLog hashes the input files of a command as they are read, so that
// what a workbook says of them is what was read and checked: the SHA-256
// on its About sheet is that of the bytes loaded, not of a second reading,
// and rows read a second time (to be written by xlsx --data-only, drawn by
// charts --spec, compared with the previous release by check --previous)
// are compared with those read by the check. A file rewritten in between, even
// to the same size and time of change, is told by its hash.
type readLog struct {
	newHash func() hash.Hash
	// first holds the first reading of each file, by name.
	first map[string]*hashedFile
}

func newReadLog(newHash func() hash.Hash) *readLog {
	return &readLog{newHash: newHash, first: map[string]*hashedFile{}}
}

// wrap returns f, which is named name, read through a hash from where it
// stands; the first reading of a name is kept, to be compared with later
// ones (see same) or to give its hash (see sum).
func (l *readLog) wrap(name string, f *os.File) (io.ReadSeeker, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	at := int64(0)
	if st.Mode().IsRegular() {
		if at, err = f.Seek(0, io.SeekCurrent); err != nil {
			return nil, err
		}
	}
	// A pipe (report xlsx <(cat f.csv)) is hashed from where it stands;
	// it cannot seek, and it is read once.
	h := &hashedFile{File: f, h: l.newHash(), start: at, pos: at, at: at}
	if _, ok := l.first[name]; !ok {
		l.first[name] = h
	}
	return h, nil
}

// sum returns the size and hash of the first reading of name, when there
// was one.
func (l *readLog) sum(name string) (size int64, sum []byte, ok bool) {
	if l == nil || l.first[name] == nil {
		return 0, nil, false
	}
	h := l.first[name]
	return h.at - h.start, h.h.Sum(nil), true
}

// same tells whether r, a later reading of name (shown as display) that
// ended with err (nil at the end of the file), read the bytes of the
// first. It returns err, or an error that wraps errChanged when the bytes
// differ or when the first reading parsed and this one did not.
func (l *readLog) same(name, display string, r io.Reader, err error) error {
	again, ok := r.(*hashedFile)
	if l == nil || !ok || l.first[name] == nil || again == l.first[name] {
		return err
	}
	first := l.first[name]
	var pe *stats.ParseError
	switch {
	case errors.As(err, &pe):
		return fmt.Errorf("%s %w: read again, %v", display, errChanged, err)
	case err != nil:
		return fmt.Errorf("read %s again: %w", display, err)
	case again.at-again.start != first.at-first.start || !bytes.Equal(again.h.Sum(nil), first.h.Sum(nil)):
		return fmt.Errorf("%s %w: the rows read again are not those checked; run the command again", display, errChanged)
	}
	return nil
}

// errChanged is an input that changed between two readings.
var errChanged = errors.New("changed after it was checked")

// hashedFile is a file read through a hash of its bytes from where reading
// began, in order: reading again a part already read (a check reading a
// year again) leaves the hash as it is, and bytes skipped by seeking ahead
// are read from the file into the hash.
type hashedFile struct {
	*os.File
	h     hash.Hash
	start int64 // where reading began
	pos   int64 // where reading is
	at    int64 // the end of what was hashed
}

func (f *hashedFile) Read(p []byte) (int, error) {
	if f.pos > f.at {
		if _, err := io.Copy(f.h, io.NewSectionReader(f.File, f.at, f.pos-f.at)); err != nil {
			return 0, err
		}
		f.at = f.pos
	}
	n, err := f.File.Read(p)
	if end := f.pos + int64(n); end > f.at {
		f.h.Write(p[f.at-f.pos : n])
		f.at = end
	}
	f.pos += int64(n)
	return n, err
}

func (f *hashedFile) Seek(off int64, whence int) (int64, error) {
	pos, err := f.File.Seek(off, whence)
	if err == nil {
		f.pos = pos
	}
	return pos, err
}
