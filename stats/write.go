package stats

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// WriteCSV writes observations as tidy CSV with the canonical header
// (reporter, partner, indicator, period, value, unit, status, source, note),
// values at the decimals they were written with, so that [Load] reads back
// the same observations. Status is written only when it is not Normal. It
// does not modify obs.
func WriteCSV(w io.Writer, obs []Observation) error {
	cw := NewCSVWriter(w)
	for i := range obs {
		if err := cw.Write(&obs[i]); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// CSVWriter writes observations one at a time as [WriteCSV] writes them
// all: the header, then a row each. It buffers what it writes; Flush
// writes the header of a file without rows, and must be called at the end.
//
// The rows are the bytes encoding/csv's Writer writes (a field is quoted
// when it holds a comma, a quote or a line break, starts with a space, or
// is \.), made without a string for each period and value.
type CSVWriter struct {
	w      io.Writer
	buf    []byte
	header bool // written
	err    error
}

// csvBuffer is the bytes a CSVWriter gathers before it writes them.
const csvBuffer = 64 << 10

// NewCSVWriter returns a CSVWriter that writes to w.
func NewCSVWriter(w io.Writer) *CSVWriter {
	return &CSVWriter{w: w, buf: make([]byte, 0, csvBuffer+1024)}
}

// Write writes o as a row, after the header when it is the first.
func (w *CSVWriter) Write(o *Observation) error {
	if w.err != nil {
		return w.err
	}
	w.writeHeader()
	b := w.buf
	b = appendCSVField(b, o.Reporter)
	b = append(b, ',')
	b = appendCSVField(b, o.Partner)
	b = append(b, ',')
	b = appendCSVField(b, o.Indicator)
	b = append(b, ',')
	b = o.Period.appendText(b)
	b = append(b, ',')
	b = o.Value.appendText(b)
	b = append(b, ',')
	b = appendCSVField(b, o.Unit)
	b = append(b, ',')
	if o.Status != Normal {
		b = appendCSVField(b, o.Status.String())
	}
	b = append(b, ',')
	b = appendCSVField(b, o.Source)
	b = append(b, ',')
	b = appendCSVField(b, o.Note)
	b = append(b, '\n')
	w.buf = b
	if len(b) >= csvBuffer {
		return w.flush()
	}
	return nil
}

// Flush writes what is buffered, and the header when no row was written.
func (w *CSVWriter) Flush() error {
	if w.err != nil {
		return w.err
	}
	w.writeHeader()
	return w.flush()
}

func (w *CSVWriter) flush() error {
	if _, err := w.w.Write(w.buf); err != nil {
		w.err = err
		return err
	}
	w.buf = w.buf[:0]
	return nil
}

func (w *CSVWriter) writeHeader() {
	if w.header {
		return
	}
	w.header = true
	for i, name := range columnNames {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.buf = appendCSVField(w.buf, name)
	}
	w.buf = append(w.buf, '\n')
}

// appendCSVField appends s as a field of a CSV record, quoted when
// encoding/csv's Writer would quote it.
func appendCSVField(b []byte, s string) []byte {
	if !csvNeedsQuotes(s) {
		return append(b, s...)
	}
	b = append(b, '"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		b = append(b, s[:i+1]...)
		b = append(b, '"')
		s = s[i+1:]
	}
	b = append(b, s...)
	return append(b, '"')
}

// csvNeedsQuotes is encoding/csv's fieldNeedsQuotes for a comma.
func csvNeedsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}
