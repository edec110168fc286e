package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestAsOf checks the as-of time from --as-of and SOURCE_DATE_EPOCH: both
// stay within the years 0000 to 9999 in UTC, and SOURCE_DATE_EPOCH is the
// non-negative whole seconds of the reproducible-builds specification.
func TestAsOf(t *testing.T) {
	t.Parallel()
	const epochErr = `SOURCE_DATE_EPOCH=%q: want whole seconds since 1970-01-01T00:00:00Z, from 0 to 253402300799 (9999-12-31T23:59:59Z)`
	cases := []struct {
		name    string
		flag    string
		epoch   string
		want    time.Time
		wantErr string
	}{
		{name: "epoch", epoch: "1728950400", want: time.Date(2024, 10, 15, 0, 0, 0, 0, time.UTC)},
		{name: "epoch zero", epoch: "0", want: time.Unix(0, 0).UTC()},
		{name: "epoch last second of 9999", epoch: "253402300799", want: time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)},
		{name: "epoch blank is unset", epoch: " ", want: time.Time{}},
		{name: "epoch year 10000", epoch: "253402300800", wantErr: epochErr},
		{name: "epoch far future", epoch: "99999999999999", wantErr: epochErr},
		{name: "epoch past int64", epoch: "99999999999999999999", wantErr: epochErr},
		{name: "epoch negative", epoch: "-5", wantErr: epochErr},
		{name: "epoch signed", epoch: "+5", wantErr: epochErr},
		{name: "epoch fraction", epoch: "1.5", wantErr: epochErr},
		{name: "epoch not a number", epoch: "yesterday", wantErr: epochErr},
		{name: "flag wins over epoch", flag: "2024-10-15", epoch: "-5", want: time.Date(2024, 10, 15, 0, 0, 0, 0, time.UTC)},
		{name: "flag first day", flag: "0000-01-01", want: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)},
		{name: "flag last second", flag: "9999-12-31T23:59:59Z", want: time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)},
		{name: "flag offset into 10000", flag: "9999-12-31T23:59:59-05:00",
			wantErr: `--as-of "9999-12-31T23:59:59-05:00": 10000-01-01T04:59:59Z in UTC, outside 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z`},
		{name: "flag offset before 0000", flag: "0000-01-01T00:00:00+01:00",
			wantErr: `--as-of "0000-01-01T00:00:00+01:00": -0001-12-31T23:00:00Z in UTC, outside 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z`},
		{name: "flag five-digit year", flag: "99999-01-01",
			wantErr: `--as-of "99999-01-01": use RFC 3339 (2024-10-15T12:00:00Z) or a date (2024-10-15)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := &asOfFlag{value: tc.flag}
			e := &env{getenv: func(k string) string {
				if k == "SOURCE_DATE_EPOCH" {
					return tc.epoch
				}
				return ""
			}}
			got, err := f.resolve(e)
			if tc.wantErr != "" {
				wantErr := tc.wantErr
				if tc.flag == "" {
					wantErr = fmt.Sprintf(tc.wantErr, tc.epoch)
				}
				var ee *exitError
				if !errors.As(err, &ee) || ee.code != exitUsage || err.Error() != wantErr {
					t.Fatalf("resolve(--as-of %q, SOURCE_DATE_EPOCH %q) = %v, %v; want exit %d: %s", tc.flag, tc.epoch, got, err, exitUsage, wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("resolve(--as-of %q, SOURCE_DATE_EPOCH %q): %v", tc.flag, tc.epoch, err)
			}
			if tc.want.IsZero() {
				// Unset: the clock, which only has to be in range.
				if got.Before(asOfFirst) || got.After(asOfLast) {
					t.Errorf("resolve from the clock = %v, outside the bounds", got)
				}
				return
			}
			if !got.Equal(tc.want) || got.Location() != time.UTC {
				t.Errorf("resolve(--as-of %q, SOURCE_DATE_EPOCH %q) = %v; want %v", tc.flag, tc.epoch, got, tc.want)
			}
		})
	}
}

// TestAsOfOutOfRangeWritesNothing checks that a SOURCE_DATE_EPOCH out of
// range stops xlsx and charts with exit 2 before anything is written.
func TestAsOfOutOfRangeWritesNothing(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cmd   string
		epoch string
	}{
		{name: "xlsx year 10000", cmd: "xlsx", epoch: "253402300800"},
		{name: "xlsx negative", cmd: "xlsx", epoch: "-1"},
		{name: "charts far future", cmd: "charts", epoch: "99999999999999"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, _, stderr := runCase([]string{tc.cmd, "--out", out, "../../data/trade.csv"}, nil, map[string]string{"SOURCE_DATE_EPOCH": tc.epoch})
			if code != exitUsage {
				t.Errorf("%s with SOURCE_DATE_EPOCH=%s: exit %d, want %d (stderr %q)", tc.cmd, tc.epoch, code, exitUsage, stderr)
			}
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s with SOURCE_DATE_EPOCH=%s wrote %s", tc.cmd, tc.epoch, out)
			}
		})
	}
}
