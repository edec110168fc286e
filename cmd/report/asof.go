package main

import (
	"fmt"
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

// resolve returns the as-of time: the flag, else SOURCE_DATE_EPOCH, else the
// clock, in UTC and to the second, so that the same inputs give the same
// bytes.
func (f *asOfFlag) resolve(e *env) (time.Time, error) {
	if v := strings.TrimSpace(f.value); v != "" {
		for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
			if t, err := time.Parse(layout, v); err == nil {
				return t.UTC(), nil
			}
		}
		return time.Time{}, usageError("--as-of %q: use RFC 3339 (2024-10-15T12:00:00Z) or a date (2024-10-15)", v)
	}
	if v := strings.TrimSpace(e.getenv("SOURCE_DATE_EPOCH")); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return time.Time{}, usageError("SOURCE_DATE_EPOCH=%q: %v", v, fmt.Errorf("want seconds since 1970-01-01"))
		}
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Now().UTC().Truncate(time.Second), nil
}
