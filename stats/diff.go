package stats

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
)

// RevisionKind says how a figure changed between two releases.
type RevisionKind uint8

// The kinds of change, in the order [Diff] reports them within a figure.
const (
	// Revised: the figure is in both releases and the values disagree
	// beyond the tolerance (or one of them is missing).
	Revised RevisionKind = iota + 1
	// Restated: the values differ as written but agree within the
	// tolerance, such as 7829.1 republished as 7829.06387.
	Restated
	// Added: the figure is only in the new release.
	Added
	// Removed: the figure is only in the old release.
	Removed
)

// String returns "revised", "restated", "added" or "removed".
func (k RevisionKind) String() string {
	switch k {
	case Revised:
		return "revised"
	case Restated:
		return "restated"
	case Added:
		return "added"
	case Removed:
		return "removed"
	}
	return "invalid"
}

// MarshalText implements encoding.TextMarshaler with [RevisionKind.String].
func (k RevisionKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Revision is one figure that differs between two releases.
type Revision struct {
	Kind   RevisionKind
	Key    Key
	Period Period
	// Old and New are the figure in each release; nil when it is not
	// there. They point into the datasets given to [Diff].
	Old, New *Observation
	// Difference is New − Old in the old figure's unit, when both have a
	// value and their units convert; Tolerance is what the tolerance
	// allowed.
	Difference, Tolerance float64
}

// Diff compares two releases of the same data and returns the figures
// revised, restated, added and removed, sorted by reporter, partner,
// indicator and period. A figure is one reporter, partner, indicator and
// period; sources are not compared, since two releases are usually named
// apart. When a release has a figure more than once, the first row in file
// order counts. Values are compared after unit conversion, under tol (the
// zero Tolerance is rounding-aware: 7829.1 and 7829.06387 agree). Figures
// whose units cannot be converted (two currencies) are revised. Diff does
// not modify old or new.
func Diff(old, new *Dataset, tol Tolerance) []Revision {
	type fig struct {
		k Key
		p Period
	}
	index := func(d *Dataset) map[fig]*Observation {
		m := make(map[fig]*Observation, len(d.Obs))
		for i := range d.Obs {
			o := &d.Obs[i]
			f := fig{o.Key(), o.Period}
			if _, ok := m[f]; !ok {
				m[f] = o
			}
		}
		return m
	}
	om, nm := index(old), index(new)
	var out []Revision
	for f, o := range om {
		n, ok := nm[f]
		if !ok {
			out = append(out, Revision{Kind: Removed, Key: f.k, Period: f.p, Old: o})
			continue
		}
		if ch, changed := compareFigures(o, n, tol); changed {
			ch.Key, ch.Period = f.k, f.p
			out = append(out, ch)
		}
	}
	for f, n := range nm {
		if _, ok := om[f]; !ok {
			out = append(out, Revision{Kind: Added, Key: f.k, Period: f.p, New: n})
		}
	}
	sortRevisions(out)
	return out
}

// sortRevisions sorts revisions by reporter, partner, indicator and
// period: one figure each, so that the order is total.
func sortRevisions(revs []Revision) {
	slices.SortFunc(revs, func(a, b Revision) int {
		return cmp.Or(cmp.Compare(a.Key.Reporter, b.Key.Reporter), cmp.Compare(a.Key.Partner, b.Key.Partner),
			cmp.Compare(a.Key.Indicator, b.Key.Indicator), Compare(a.Period, b.Period))
	})
}

// Diffed is the outcome of [DiffInputs].
type Diffed struct {
	// Revisions are those [Diff] gives; their Old and New are copies of
	// the rows, which point into no dataset.
	Revisions []Revision
	// Rows counts the data rows read of the old and the new release,
	// rejected ones included, and Problems holds the problems of the rows
	// of each that were not read, and so not compared: a caller that
	// publishes the revisions should refuse them, since a row left out
	// shows as a figure added or removed.
	Rows     [2]int
	Problems [2][]*ParseError
}

// DiffInputs compares two releases, each one input or more, as [Load] of
// each input, [Dataset.Merge] and [Diff] would, a calendar year at a time:
// the rows of each release are parsed on every core and written a year to
// temporary files (in os.TempDir, about 30 bytes a row, removed after),
// then the two releases' rows of each year are compared. Memory grows
// with the rows of a year, not with the releases; every input is read
// once. A period that spans the turn of a year gives an error that wraps
// [ErrNotYearOrder]: such releases must be loaded whole and compared with
// Diff. Errors that make an input unreadable are those of Load.
func DiffInputs(old, new []Input, opts LoadOptions, tol Tolerance) (*Diffed, error) {
	out := &Diffed{}
	// The releases number their strings in one table, so that a figure
	// has one code in both (see figureCode).
	sps := [2]*spill{newSpill(), newSpill()}
	sps[1].spillStrings = sps[0].spillStrings
	for r, inputs := range [2][]Input{old, new} {
		sp := sps[r]
		defer sp.close()
		for _, in := range inputs {
			rows, problems, err := sp.writeInput(in, opts)
			if err != nil {
				return nil, err
			}
			out.Rows[r] += rows
			out.Problems[r] = append(out.Problems[r], problems...)
		}
		if err := sp.flush(); err != nil {
			return nil, err
		}
	}
	years := append(slices.Collect(maps.Keys(sps[0].years)), slices.Collect(maps.Keys(sps[1].years))...)
	slices.Sort(years)
	years = slices.Compact(years)
	var rows [2]yearRows
	var figs [2][]codedFigure
	for _, y := range years {
		for r, sp := range sps {
			rows[r].obs = rows[r].obs[:0]
			if sp.years[y] == nil {
				continue
			}
			if err := sp.read(y, &rows[r], true); err != nil {
				return nil, err
			}
		}
		var revs []Revision
		var coded [2]bool
		figs[0], coded[0] = codedFigures(&rows[0], figs[0])
		figs[1], coded[1] = codedFigures(&rows[1], figs[1])
		if coded[0] && coded[1] {
			revs = mergeFigures(rows[0].obs, rows[1].obs, figs[0], figs[1], tol)
		} else {
			// A string was written out: the figures are found by text.
			revs = Diff(&Dataset{Obs: rows[0].obs}, &Dataset{Obs: rows[1].obs}, tol)
		}
		// The rows of the year are read over for the next: each
		// revision keeps a copy of its rows.
		for _, rev := range revs {
			if rev.Old != nil {
				o := *rev.Old
				rev.Old = &o
			}
			if rev.New != nil {
				n := *rev.New
				rev.New = &n
			}
			out.Revisions = append(out.Revisions, rev)
		}
	}
	sortRevisions(out.Revisions)
	return out, nil
}

// compareFigures compares one figure in two releases.
func compareFigures(o, n *Observation, tol Tolerance) (Revision, bool) {
	ch := Revision{Old: o, New: n}
	switch {
	case !o.Value.Valid && !n.Value.Valid:
		return ch, false
	case o.Value.Valid != n.Value.Valid:
		ch.Kind = Revised
		return ch, true
	}
	nv, ok := convert(n, o.Unit)
	if !ok {
		ch.Kind = Revised
		return ch, true
	}
	if o.Value == n.Value && o.Unit == n.Unit {
		return ch, false
	}
	diff, t, equal := tol.Equal(o.Value.Interval(), nv)
	ch.Difference, ch.Tolerance = diff, t
	ch.Kind = Revised
	if equal {
		ch.Kind = Restated
	}
	return ch, true
}

// String describes the change in one line:
//
//	revised KAZ–ARM turnover 2020: 14235.08412 → 14235.04799 USD thousand (-0.03613)
func (ch *Revision) String() string {
	what := ch.Key.String() + " " + ch.Period.String()
	val := func(o *Observation) string {
		if !o.Value.Valid {
			return "missing"
		}
		return o.Value.String() + " " + o.Unit
	}
	switch ch.Kind {
	case Added:
		return fmt.Sprintf("added %s: %s", what, val(ch.New))
	case Removed:
		return fmt.Sprintf("removed %s: %s", what, val(ch.Old))
	}
	s := fmt.Sprintf("%s %s: %s → %s", ch.Kind, what, val(ch.Old), val(ch.New))
	if ch.Old.Value.Valid && ch.New.Value.Valid && (ch.Difference != 0 || ch.Tolerance != 0) {
		dec := max(ch.Old.Value.Decimals, ch.New.Value.Decimals)
		s += fmt.Sprintf(" (%+.*f)", dec, ch.Difference)
	}
	return s
}

// RevisionFindings turns the revised figures among revs whose new row
// carries no note into findings of the rule "revision": a published figure
// changed without a word. Restated, added and removed figures are not
// findings. The findings point at the new row, then the old one.
func RevisionFindings(revs []Revision) []Finding {
	var out []Finding
	for _, ch := range revs {
		if ch.Kind != Revised || ch.New.Note != "" {
			continue
		}
		f := Finding{Rule: "revision", Severity: Error, Rows: []Pos{ch.New.Pos, ch.Old.Pos},
			Series: ch.Key.String() + " " + ch.Period.String()}
		if ch.Old.Value.Valid && ch.New.Value.Valid {
			f.Numbers = true
			f.Expected, f.Actual = ch.Old.Value.Num, ch.Old.Value.Num+ch.Difference
			f.Difference, f.Tolerance = ch.Difference, ch.Tolerance
			f.Decimals = max(ch.Old.Value.Decimals, ch.New.Value.Decimals)
		}
		f.Message = fmt.Sprintf("%s was %s in the previous release (%s) and is %s here, with no note saying why",
			f.Series, describe(ch.Old), ch.Old.Pos, describe(ch.New))
		out = append(out, f)
	}
	SortFindings(out)
	return out
}

func describe(o *Observation) string {
	if !o.Value.Valid {
		return "missing"
	}
	return o.Value.String() + " " + o.Unit
}

// codedFigure is a row read back by its figure: its figure code, its
// period packed (see packPeriod) and its place among the rows of its
// year.
type codedFigure struct {
	code, period uint64
	row          int32
}

// packPeriod packs a period within one year into a number, in an order
// of its fields: equal only for the same period, as figures are told
// apart. Its kind takes the top 4 bits, its start the next 32 and its
// length, under 2^20 units within a year, the rest.
func packPeriod(p Period) uint64 {
	return uint64(p.kind)<<60 | uint64(uint32(p.start)^1<<31)<<20 | uint64(uint32(p.end-p.start)&(1<<20-1))
}

// codedFigures returns the figures of rows sorted by code, period and
// place, in buf, and whether every row has a figure code: the first of a
// figure is then its first row in file order.
func codedFigures(rows *yearRows, buf []codedFigure) ([]codedFigure, bool) {
	buf = buf[:0]
	for i := range rows.obs {
		code := rows.figs[i]
		if code == 0 {
			return buf, false
		}
		buf = append(buf, codedFigure{code, packPeriod(rows.obs[i].Period), int32(i)})
	}
	slices.SortFunc(buf, func(a, b codedFigure) int {
		if a.code != b.code {
			return cmp.Compare(a.code, b.code)
		}
		if a.period != b.period {
			return cmp.Compare(a.period, b.period)
		}
		return cmp.Compare(a.row, b.row)
	})
	return buf, true
}

// mergeFigures compares the figures of two releases' rows of one year,
// sorted by codedFigures, as Diff does, in one pass over both: the first
// row of a figure in each release counts. The revisions are not sorted.
func mergeFigures(old, new []Observation, of, nf []codedFigure, tol Tolerance) []Revision {
	var out []Revision
	same := func(a, b codedFigure) bool { return a.code == b.code && a.period == b.period }
	// next returns the end of the run of rows of the figure at i.
	next := func(fs []codedFigure, i int) int {
		j := i + 1
		for j < len(fs) && same(fs[j], fs[i]) {
			j++
		}
		return j
	}
	i, j := 0, 0
	for i < len(of) || j < len(nf) {
		c := 0
		switch {
		case i == len(of):
			c = 1
		case j == len(nf):
			c = -1
		default:
			c = cmp.Or(cmp.Compare(of[i].code, nf[j].code), cmp.Compare(of[i].period, nf[j].period))
		}
		switch {
		case c < 0:
			o := &old[of[i].row]
			out = append(out, Revision{Kind: Removed, Key: o.Key(), Period: o.Period, Old: o})
			i = next(of, i)
		case c > 0:
			n := &new[nf[j].row]
			out = append(out, Revision{Kind: Added, Key: n.Key(), Period: n.Period, New: n})
			j = next(nf, j)
		default:
			o, n := &old[of[i].row], &new[nf[j].row]
			if ch, changed := compareFigures(o, n, tol); changed {
				ch.Key, ch.Period = o.Key(), o.Period
				out = append(out, ch)
			}
			i, j = next(of, i), next(nf, j)
		}
	}
	return out
}
