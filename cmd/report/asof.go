package main

import (
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// asOfFlag is the --as-of flag: the time the outputs say they were made.
type asOfFlag struct{ value string }

func (f *asOfFlag) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.value, "as-of", "", "time stamped into the outputs (RFC 3339 or YYYY-MM-DD); default $SOURCE_DATE_EPOCH, else now")
}

// Bounds of the as-of time, in UTC: the years that the outputs can write
// with four digits (dcterms:created in a workbook, /CreationDate in a PDF),
// as --as-of writes them.
var (
	asOfFirst = time.Date(0, time.January, 1, 0, 0, 0, 0, time.UTC)
	asOfLast  = time.Date(9999, time.December, 31, 23, 59, 59, 0, time.UTC)
)

// resolve returns the as-of time: the flag, else SOURCE_DATE_EPOCH, else the
// clock, in UTC and to the second, so that the same inputs give the same
// bytes. A time outside asOfFirst to asOfLast in UTC is a usage error.
func (f *asOfFlag) resolve(e *env) (time.Time, error) {
	if v := strings.TrimSpace(f.value); v != "" {
		for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
			if t, err := time.Parse(layout, v); err == nil {
				// An offset can carry a time of year 0000 or 9999 over the
				// edge once it is in UTC.
				if t = t.UTC(); t.Before(asOfFirst) || t.After(asOfLast) {
					return time.Time{}, usageError("--as-of %q: %s in UTC, outside %s to %s", v, t.Format(time.RFC3339), asOfFirst.Format(time.RFC3339), asOfLast.Format(time.RFC3339))
				}
				return t, nil
			}
		}
		return time.Time{}, usageError("--as-of %q: use RFC 3339 (2024-10-15T12:00:00Z) or a date (2024-10-15)", v)
	}
	if v := strings.TrimSpace(e.getenv("SOURCE_DATE_EPOCH")); v != "" {
		t, ok := parseSourceDateEpoch(v)
		if !ok {
			return time.Time{}, usageError("SOURCE_DATE_EPOCH=%q: want whole seconds since 1970-01-01T00:00:00Z, from 0 to %d (%s)", v, asOfLast.Unix(), asOfLast.Format(time.RFC3339))
		}
		return t, nil
	}
	return time.Now().UTC().Truncate(time.Second), nil
}

// parseSourceDateEpoch reads a SOURCE_DATE_EPOCH value as the
// reproducible-builds specification defines it, the decimal digits of a
// non-negative count of seconds since 1970-01-01T00:00:00Z as date +%s
// prints it (no sign, no fraction), and reports false for anything else
// or for a time past asOfLast.
func parseSourceDateEpoch(v string) (time.Time, bool) {
	if strings.TrimLeft(v, "0123456789") != "" {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n > asOfLast.Unix() {
		return time.Time{}, false
	}
	return time.Unix(n, 0).UTC(), true
}
