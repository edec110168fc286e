package reports

import (
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/tradedesk/report/stats"
)

// ErrNoFigures is wrapped by the error of [CheckPeriod] and
// [CheckPeriodOf] for a period of which the data has no figures, and by
// that of [Workbook.WriteTo] for a period whose rows make no figure of it
// (two months of a quarter, a stock on a day of it).
var ErrNoFigures = errors.New("no figures")

// CheckPeriod returns nil when ds has a figure of period p: a row with a
// value (not missing) whose period lies within p, p itself or a part of it
// (a month of a quarter, 2024-07 of 2024-01/2024-07). A workbook of a
// period without one would show none of its figures. Otherwise the error
// wraps [ErrNoFigures] and says which periods of p's kind have figures (the
// years for a year or an interval of years), or, when none has, which
// years have, counting those a workbook can be made of (see
// periodChecker); and which periods with figures overlap p in part
// (2024-01/2024-07 for 2024-Q3). It does not modify ds.
func CheckPeriod(ds *stats.Dataset, p stats.Period) error {
	c := newPeriodChecker(p)
	for i := range ds.Obs {
		if c.add(&ds.Obs[i]) {
			return nil
		}
	}
	return c.err()
}

// CheckPeriodOf is [CheckPeriod] of the rows rows yields, seen one at a
// time, in memory that grows with the periods, not the rows. It stops at
// the first figure of p, and returns the first error rows yields.
func CheckPeriodOf(rows iter.Seq2[stats.Observation, error], p stats.Period) error {
	c := newPeriodChecker(p)
	for o, err := range rows {
		if err != nil {
			return err
		}
		if c.add(&o) {
			return nil
		}
	}
	return c.err()
}

// periodChecker looks for a figure of a period in rows seen one at a
// time, and notes the units of its kind, and the years, that have figures,
// and the periods with figures that overlap it in part, to say what the
// data has when it has none of the period. A unit has figures as a
// workbook of it would (see builder.errNoFiguresOf): a row published for
// its days, or the quarters or months of flows that cover it; a stock on a
// day of a quarter, or two of its months, make no figure of it, and a
// unit named for them would be refused in turn.
type periodChecker struct {
	p     stats.Period
	voc   *stats.Vocabulary
	kinds []stats.PeriodKind
	units map[stats.PeriodKind]map[int]bool // unit indexes with figures, by kind
	// parts holds, by kind and unit index, the quarters and months of
	// flows within the unit, of any series.
	parts   map[stats.PeriodKind]map[int]map[stats.Period]bool
	overlap map[stats.Period]bool
}

// maxOverlaps is the most periods overlapping the one asked in part that
// a periodChecker keeps: the error shows six.
const maxOverlaps = 1 << 10

func newPeriodChecker(p stats.Period) *periodChecker {
	kinds := []stats.PeriodKind{p.Kind()}
	if p.Kind() != stats.Year {
		kinds = append(kinds, stats.Year)
	}
	units := map[stats.PeriodKind]map[int]bool{}
	parts := map[stats.PeriodKind]map[int]map[stats.Period]bool{}
	for _, k := range kinds {
		units[k] = map[int]bool{}
		parts[k] = map[int]map[stats.Period]bool{}
	}
	return &periodChecker{p: p, voc: stats.NewVocabulary(), kinds: kinds, units: units, parts: parts, overlap: map[stats.Period]bool{}}
}

// add takes in the row o and reports whether it is a figure of the period.
func (c *periodChecker) add(o *stats.Observation) bool {
	if !o.Value.Valid {
		return false
	}
	if c.p.Contains(o.Period) {
		return true
	}
	if len(c.overlap) < maxOverlaps && c.p.Overlaps(o.Period) && !o.Period.Contains(c.p) {
		c.overlap[o.Period] = true
	}
	info, known := c.voc.Lookup(o.Indicator)
	flow := known && info.Flow
	q := o.Period
	for _, k := range c.kinds {
		u, ok := unitWithin(q, k)
		switch {
		case !ok || c.units[k][u]:
		case q.Days() == stats.NewPeriod(k, u).Days():
			c.units[k][u] = true
			delete(c.parts[k], u)
		case flow && !q.IsInterval() && (q.Kind() == stats.Quarter || q.Kind() == stats.Month):
			if c.parts[k][u] == nil {
				c.parts[k][u] = map[stats.Period]bool{}
			}
			c.parts[k][u][q] = true
			if cover, _ := stats.NewPeriod(k, u).Cover(q.Kind()); covered(cover, c.parts[k][u]) {
				c.units[k][u] = true
				delete(c.parts[k], u)
			}
		}
	}
	return false
}

// covered reports whether every period of cover is in parts.
func covered(cover []stats.Period, parts map[stats.Period]bool) bool {
	for _, q := range cover {
		if !parts[q] {
			return false
		}
	}
	return true
}

// err returns the error of a period without figures.
func (c *periodChecker) err() error {
	msg := fmt.Sprintf("of %s in the data", c.p)
	for i, k := range c.kinds {
		units := slices.Sorted(maps.Keys(c.units[k]))
		if len(units) == 0 {
			if i == 0 {
				msg += fmt.Sprintf(", nor of any %s", k)
			}
			continue
		}
		if len(units) == 1 {
			msg += fmt.Sprintf("; the only %s with figures is %s", k, stats.NewPeriod(k, units[0]))
		} else {
			msg += fmt.Sprintf("; the %ss with figures are %s", k, unitRuns(k, units))
		}
		break
	}
	if len(c.overlap) > 0 {
		var ps []string
		for _, q := range slices.SortedFunc(maps.Keys(c.overlap), stats.Compare) {
			ps = append(ps, q.String())
		}
		if len(ps) == 1 {
			msg += fmt.Sprintf("; %s has figures, but overlaps it only in part", ps[0])
		} else {
			msg += fmt.Sprintf("; %s have figures, but overlap it only in part", joinList(ps))
		}
	}
	return fmt.Errorf("%w %s", ErrNoFigures, msg)
}

// unitWithin returns the index of the unit of kind k (a year, quarter,
// month or day) that q lies within, and false when there is none: q is of
// a coarser kind than k, or spans two units of k (2023-12/2024-01 lies
// within no year).
func unitWithin(q stats.Period, k stats.PeriodKind) (int, bool) {
	if q.Kind() < k {
		return 0, false
	}
	first, last := unitOf(q.First(), k), unitOf(q.Last(), k)
	return first, first == last
}

// unitOf returns the index of the unit of kind k that the single period q,
// of kind k or finer, lies within.
func unitOf(q stats.Period, k stats.PeriodKind) int {
	if q.Kind() == k {
		return q.Index()
	}
	y, m := q.Year(), 1
	switch q.Kind() {
	case stats.Quarter:
		m = (q.Index()-y*4)*3 + 1
	case stats.Month:
		m = q.Index() - y*12 + 1
	case stats.Day:
		// Days count from 1970-01-01.
		m = int(time.Unix(int64(q.Index())*86400, 0).UTC().Month())
	}
	switch k {
	case stats.Quarter:
		return stats.QuarterOf(y, (m-1)/3+1).Index()
	case stats.Month:
		return stats.MonthOf(y, m).Index()
	}
	return y
}

// unitRuns writes the sorted unit indexes of kind k as runs of consecutive
// units, "2010, 2015 to 2017 and 2020" (see joinList).
func unitRuns(k stats.PeriodKind, idx []int) string {
	var runs []string
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && idx[j+1] == idx[j]+1 {
			j++
		}
		run := stats.NewPeriod(k, idx[i]).String()
		if j > i {
			run += " to " + stats.NewPeriod(k, idx[j]).String()
		}
		runs = append(runs, run)
		i = j + 1
	}
	return joinList(runs)
}

// joinList joins items as "a, b and c"; of more than six, the first three
// and the last three, with "…" between.
func joinList(items []string) string {
	if len(items) > 6 {
		items = slices.Concat(items[:3], []string{"…"}, items[len(items)-3:])
	}
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
