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
	cw := csv.NewWriter(w)
	if err := cw.Write(columnNames[:]); err != nil {
		return err
	}
	rec := make([]string, nColumns)
	for i := range obs {
		o := &obs[i]
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
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
