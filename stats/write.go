package stats

import (
	"encoding/csv"
	"io"
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
type CSVWriter struct {
	cw     *csv.Writer
	rec    []string
	header bool // written
}

// NewCSVWriter returns a CSVWriter that writes to w.
func NewCSVWriter(w io.Writer) *CSVWriter {
	return &CSVWriter{cw: csv.NewWriter(w), rec: make([]string, nColumns)}
}

// Write writes o as a row, after the header when it is the first.
func (w *CSVWriter) Write(o *Observation) error {
	if err := w.writeHeader(); err != nil {
		return err
	}
	rec := w.rec
	rec[colReporter] = o.Reporter
	rec[colPartner] = o.Partner
	rec[colIndicator] = o.Indicator
	rec[colPeriod] = o.Period.String()
	rec[colValue] = o.Value.String()
	rec[colUnit] = o.Unit
	rec[colStatus] = ""
	if o.Status != Normal {
		rec[colStatus] = o.Status.String()
	}
	rec[colSource] = o.Source
	rec[colNote] = o.Note
	return w.cw.Write(rec)
}

// Flush writes what is buffered, and the header when no row was written.
func (w *CSVWriter) Flush() error {
	if err := w.writeHeader(); err != nil {
		return err
	}
	w.cw.Flush()
	return w.cw.Error()
}

func (w *CSVWriter) writeHeader() error {
	if w.header {
		return nil
	}
	w.header = true
	return w.cw.Write(columnNames[:])
}
