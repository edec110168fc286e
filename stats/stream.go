package stats

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrNotYearOrder is returned by [CheckStream] for data it cannot check a
// year at a time: a row of an earlier year after a later one, or a period
// that spans the turn of a year. Load such a file whole and [Check] it.
var ErrNotYearOrder = errors.New("the rows are not in year order")

// Checked is the outcome of [CheckStream].
type Checked struct {
	Findings     []Finding
	Rows         int // data rows read, rejected ones included
	Observations int // rows that became observations
	Years        int // the years checked one after another
}

// carry is what the check of one year hands to the checks of the years
// after it: the first figure of every series (for the units rule), the
// first month of every series and the months of a year whose gaps depend on
// whether the series goes on (for the completeness rule).
type carry struct {
	first      map[seriesKey]Observation
	firstMonth map[seriesKey]Period
	gaps       map[seriesKey]carriedGap
	final      bool // no year follows: report the gaps still open
}

// carriedGap is a year of a series whose months after the last one present
// are missing inside the series only if the series goes on.
type carriedGap struct {
	key    Key
	year   int
	rows   []Pos    // the months present
	inside []string // missing before the last month present
	all    []string // inside and the months after the last present
}

// CheckFile checks the named file with [CheckStream].
func CheckFile(path string, opts LoadOptions, cfg *Config) (*Checked, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return CheckStream(f, path, opts, cfg)
}

// CheckStream reads tidy CSV from r, as [Load] does, and checks it with
// the built-in rules a calendar year at a time, as the rows arrive: memory
// grows with the number of series in a year, not with the length of the
// file. The findings are those [Check] gives for the whole file, sorted.
//
// The rows must come in year order (the months, quarters and years of a
// year may be in any order among themselves, and years may be missing), as
// in files written period by period; periods must not span the turn of a
// year. Otherwise CheckStream stops with an error that wraps
// [ErrNotYearOrder], and the file must be loaded whole and checked with
// [Check]. Errors that make the file unreadable are those of [Load].
func CheckStream(r io.Reader, name string, opts LoadOptions, cfg *Config) (*Checked, error) {
	if cfg == nil {
		cfg = &Config{}
	}
	l, err := newLoader(r, name, opts)
	if err != nil {
		return nil, err
	}
	cr := &carry{first: map[seriesKey]Observation{}, firstMonth: map[seriesKey]Period{}, gaps: map[seriesKey]carriedGap{}}
	out := &Checked{}
	files := []string{name}
	var block []Observation
	year, started := 0, false
	flush := func() {
		if len(block) == 0 {
			return
		}
		out.Findings = append(out.Findings, checkWith(&Dataset{Obs: block, Files: files}, cfg, cr)...)
		out.Observations += len(block)
		out.Years++
		block = block[:0]
	}
	err = l.scan(func(p part) error {
		out.Rows += p.rows
		for i := range p.obs {
			o := &p.obs[i]
			first, last := o.Period.Year(), o.Period.Last().Year()
			switch {
			case first != last:
				return fmt.Errorf("%s: %w: %s spans more than a calendar year", o.Pos, ErrNotYearOrder, o.Period)
			case started && first < year:
				return fmt.Errorf("%s: %w: %s comes after rows of %d", o.Pos, ErrNotYearOrder, o.Period, year)
			case !started || first > year:
				flush()
				year, started = first, true
			}
			block = append(block, *o)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	flush()
	cr.final = true
	out.Findings = append(out.Findings, checkWith(&Dataset{Files: files, Problems: l.finishProblems()}, cfg, cr)...)
	SortFindings(out.Findings)
	return out, nil
}
