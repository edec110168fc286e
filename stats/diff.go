package stats

import (
	"cmp"
	"fmt"
	"maps"
	"math/bits"
	"slices"
	"sync"
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
	// value and their units convert (see [Revision.HasDifference]; it is
	// 0 otherwise, which says nothing), rounded to the more decimals of
	// the two there (the new one's counted in that unit): -0.03613, not
	// the -0.03613000000041211 that subtracting 14235.08412 from
	// 14235.04799 gives, and 0, never -0, for none. Tolerance is what the
	// tolerance allowed.
	Difference, Tolerance float64
	// Sources is the most sources that give the figure in either
	// release. When it is more than one, or Old and New have different
	// sources, [Revision.String] names the source of Old and New.
	Sources int
}

// Diff compares two releases of the same data and returns the figures
// revised, restated, added and removed, sorted by reporter, partner,
// indicator, period and source. A figure is one reporter, partner,
// indicator and period, as each source gives it: a source's figure is
// compared with the same source's in the other release, whatever the
// order of the rows, and so two sources of one figure are two figures.
// Sources that are in one release only are matched when one is left in
// each, as a source renamed between releases ("BNS RK 2020 workbook",
// then "BNS RK 2021 workbook") is; otherwise they are removed and added.
// When a release has a figure from one source more than once, the first
// row in file order counts. Values are compared after unit conversion,
// under tol (the zero Tolerance is rounding-aware: 7829.1 and 7829.06387
// agree). Figures whose units cannot be converted (two currencies) are
// revised. Diff does not modify old or new.
func Diff(old, new *Dataset, tol Tolerance) []Revision {
	type fig struct {
		k Key
		p Period
	}
	// index holds the first row of each source of a figure; a figure of
	// one source, as most are, takes no slice.
	type sources struct {
		first *Observation
		more  []*Observation
	}
	index := func(d *Dataset) map[fig]sources {
		m := make(map[fig]sources, len(d.Obs))
		for i := range d.Obs {
			o := &d.Obs[i]
			f := fig{o.Key(), o.Period}
			s, ok := m[f]
			switch {
			case !ok:
				m[f] = sources{first: o}
			case s.first.Source != o.Source && !slices.ContainsFunc(s.more, func(x *Observation) bool { return x.Source == o.Source }):
				s.more = append(s.more, o)
				m[f] = s
			}
		}
		return m
	}
	at := func(s sources, i int) *Observation {
		if i == 0 {
			return s.first
		}
		return s.more[i-1]
	}
	om, nm := index(old), index(new)
	var out []Revision
	for f, os := range om {
		ns := nm[f]
		no, nn := 1+len(os.more), 0
		if ns.first != nil {
			nn = 1 + len(ns.more)
		}
		pairSources(no, nn, func(i, j int) bool { return at(os, i).Source == at(ns, j).Source }, func(i, j int) {
			var o, n *Observation
			if i >= 0 {
				o = at(os, i)
			}
			if j >= 0 {
				n = at(ns, j)
			}
			if ch, changed := compareOldNew(o, n, tol); changed {
				ch.Key, ch.Period, ch.Old, ch.New, ch.Sources = f.k, f.p, o, n, max(no, nn)
				out = append(out, ch)
			}
		})
	}
	for f, ns := range nm {
		if _, ok := om[f]; !ok {
			for j := range 1 + len(ns.more) {
				out = append(out, Revision{Kind: Added, Key: f.k, Period: f.p, New: at(ns, j), Sources: 1 + len(ns.more)})
			}
		}
	}
	sortRevisions(out)
	return out
}

// pairSources pairs the sources of a figure in two releases, no of the
// old one and nn of the new, each source once in its release; same(i, j)
// tells whether the old one's i-th is the new one's j-th. pair(i, j) is
// called for each source in both; for the two sources left when one of
// each release is, as a source renamed between them; and with j or i
// -1 for each other source, removed or added. A figure of one source in
// each release, as most are, is one call of pair.
func pairSources(no, nn int, same func(i, j int) bool, pair func(i, j int)) {
	if no == 1 && nn == 1 {
		pair(0, 0)
		return
	}
	inOld := func(j int) bool {
		for i := range no {
			if same(i, j) {
				return true
			}
		}
		return false
	}
	inNew := func(i int) int {
		for j := range nn {
			if same(i, j) {
				return j
			}
		}
		return -1
	}
	leftOld, leftNew, lastOld, lastNew := 0, 0, -1, -1
	for i := range no {
		if j := inNew(i); j >= 0 {
			pair(i, j)
		} else {
			leftOld, lastOld = leftOld+1, i
		}
	}
	for j := range nn {
		if !inOld(j) {
			leftNew, lastNew = leftNew+1, j
		}
	}
	if leftOld == 1 && leftNew == 1 {
		pair(lastOld, lastNew)
		return
	}
	for i := range no {
		if inNew(i) < 0 {
			pair(i, -1)
		}
	}
	for j := range nn {
		if !inOld(j) {
			pair(-1, j)
		}
	}
}

// compareOldNew compares a figure's old row o and new row n, either nil
// when it is not in that release. The revision has no rows yet.
func compareOldNew(o, n *Observation, tol Tolerance) (Revision, bool) {
	switch {
	case n == nil:
		return Revision{Kind: Removed}, true
	case o == nil:
		return Revision{Kind: Added}, true
	}
	return compareFigures(o.Value, n.Value, o.Unit, n.Unit, tol)
}

// sortRevisions sorts revisions by reporter, partner, indicator, period
// and source (the old row's, else the new one's, then the new one's): a
// source is in one revision of a figure at most, so that the order is
// total.
func sortRevisions(revs []Revision) {
	source := func(r *Revision) string {
		if r.Old != nil {
			return r.Old.Source
		}
		return r.New.Source
	}
	newSource := func(r *Revision) string {
		if r.New != nil {
			return r.New.Source
		}
		return ""
	}
	slices.SortFunc(revs, func(a, b Revision) int {
		return cmp.Or(cmp.Compare(a.Key.Reporter, b.Key.Reporter), cmp.Compare(a.Key.Partner, b.Key.Partner),
			cmp.Compare(a.Key.Indicator, b.Key.Indicator), Compare(a.Period, b.Period),
			cmp.Compare(source(&a), source(&b)), cmp.Compare(newSource(&a), newSource(&b)))
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

// DiffInputs compares two releases, old and cur, each one input or more, as [Load] of
// each input, [Dataset.Merge] and [Diff] would, a calendar year at a time:
// the rows of each release are parsed on every core and written a year to
// temporary files (in os.TempDir, about 30 bytes a row, removed after),
// then the two releases' rows of each year are compared. Memory grows
// with the rows of a year, not with the releases; every input is read
// once. A period that spans the turn of a year gives an error that wraps
// [ErrNotYearOrder]: such releases must be loaded whole and compared with
// Diff, and so may releases whose temporary files fail ([ErrTempFile]).
// Errors that make an input unreadable are those of Load.
func DiffInputs(old, cur []Input, opts LoadOptions, tol Tolerance) (*Diffed, error) {
	out := &Diffed{}
	// The releases number their strings in one table, so that a figure
	// has one code in both (see figureCode).
	sps := [2]*spill{newSpill(), newSpill()}
	sps[1].spillStrings = sps[0].spillStrings
	guard, where := newMemoryGuard(opts), inputNames(old, cur)
	for _, sp := range sps {
		sp.guard, sp.where = guard, where
	}
	for r, inputs := range [2][]Input{old, cur} {
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
	var figs [2]figureRows
	var rows [2]yearRows
	for _, y := range years {
		// The most rows of the year of a release, for both.
		n := 0
		for _, sp := range sps {
			if sy := sp.years[y]; sy != nil {
				n = max(n, sy.rows)
			}
		}
		if err := guard.reading(y, where, 2*n, compareRowBytes); err != nil {
			return nil, err
		}
		// The two releases' rows of the year are read side by side.
		var ok [2]bool
		var errs [2]error
		var wg sync.WaitGroup
		for r, sp := range sps {
			wg.Go(func() { ok[r], errs[r] = sp.readFigures(y, &figs[r]) })
		}
		wg.Wait()
		if err := cmp.Or(errs[0], errs[1], guard.check(y, where, compareGrowth, 0)); err != nil {
			return nil, err
		}
		if coded := ok[0] && ok[1]; coded {
			revs, err := mergeFigures(sps, &figs[0], &figs[1], tol)
			if err != nil {
				return nil, fmt.Errorf("read the rows of %d back: %w", y, err)
			}
			out.Revisions = append(out.Revisions, revs...)
			continue
		}
		// A string was written out: the figures are found by text, the
		// rows read whole, and the figures read so far let go.
		figs = [2]figureRows{}
		if err := guard.check(y, where, noGrowth, 2*uint64(n)*wholeRowBytes); err != nil {
			return nil, err
		}
		for r, sp := range sps {
			rows[r].obs = rows[r].obs[:0]
			if sp.years[y] == nil {
				continue
			}
			if err := sp.read(y, &rows[r]); err != nil {
				return nil, err
			}
		}
		// The rows of the year are read over for the next: each
		// revision keeps a copy of its rows.
		for _, rev := range Diff(&Dataset{Obs: rows[0].obs}, &Dataset{Obs: rows[1].obs}, tol) {
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

// compareFigures compares one figure in two releases: its old value ov
// in unit ou and its new one nv in unit nu. The revision has no rows yet.
func compareFigures(ov, nv Value, ou, nu string, tol Tolerance) (Revision, bool) {
	var ch Revision
	switch {
	case !ov.Valid && !nv.Valid:
		return ch, false
	case ov.Valid != nv.Valid:
		ch.Kind = Revised
		return ch, true
	}
	iv, ok := convertValue(nv, nu, ou)
	if !ok {
		ch.Kind = Revised
		return ch, true
	}
	if ov == nv && ou == nu {
		return ch, false
	}
	diff, t, equal := tol.Equal(ov.Interval(), iv)
	ch.Tolerance = t
	// The noise of a difference of none rounds to -0, which would read as
	// a fall ("-0.0000"): it is 0.
	if d := roundTo(diff, differenceDecimals(ov, nv, ou, nu)); d != 0 {
		ch.Difference = d
	}
	ch.Kind = Revised
	if equal {
		ch.Kind = Restated
	}
	return ch, true
}

// String describes the change in one line, naming the source when the
// figure has several, and both when it was renamed (see
// [Revision.Sources]):
//
//	revised KAZ–ARM turnover 2020: 14235.08412 USD thousand → 14235.04799 USD thousand (-0.03613)
//	revised KAZ–ARM exports 2023 from "Customs": 35.0 USD million → 99.0 USD million (+64.0)
//	revised KAZ–ARM turnover 2020 from "BNS 2020", then "BNS 2021": 14235.08412 USD thousand → 14235.04799 USD thousand (-0.03613)
func (ch *Revision) String() string {
	what := ch.what()
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
	if ch.HasDifference() && (ch.Difference != 0 || ch.Tolerance != 0) {
		s += fmt.Sprintf(" (%+.*f)", ch.decimals(), ch.Difference)
	}
	return s
}

// what names the revision's figure, with its source when the figure has
// several (KAZ–ARM exports 2023 from "Customs"), and both its sources
// whenever the source was renamed (from "BNS", then "BNS (final)"): a
// figure that now comes from another source may be another measure.
func (ch *Revision) what() string {
	s := ch.Key.String() + " " + ch.Period.String()
	switch {
	case ch.Old != nil && ch.New != nil && ch.New.Source != ch.Old.Source:
		return fmt.Sprintf("%s from %q, then %q", s, ch.Old.Source, ch.New.Source)
	case ch.Sources < 2:
		return s
	case ch.Old == nil:
		return fmt.Sprintf("%s from %q", s, ch.New.Source)
	}
	return fmt.Sprintf("%s from %q", s, ch.Old.Source)
}

// HasDifference reports whether the revision has a [Revision.Difference]:
// whether both its figures have a value and their units convert. Of 5.0
// USD million revised to 7.0 EUR million it has none, where a difference
// of 0 would say that the figure is the same.
func (ch *Revision) HasDifference() bool {
	if ch.Old == nil || ch.New == nil || !ch.Old.Value.Valid || !ch.New.Value.Valid {
		return false
	}
	_, ok := convertValue(ch.New.Value, ch.New.Unit, ch.Old.Unit)
	return ok
}

// decimals returns the decimals of a revision's difference, in the unit of
// its old figure: the more of the two figures', the new one's counted in
// that unit (33340 USD thousand has three more in USD million).
func (ch *Revision) decimals() int {
	return differenceDecimals(ch.Old.Value, ch.New.Value, ch.Old.Unit, ch.New.Unit)
}

// differenceDecimals returns the decimals of the difference between ov,
// in unit ou, and nv, in unit nu, in unit ou (see Revision.decimals).
func differenceDecimals(ov, nv Value, ou, nu string) int {
	return max(ov.Decimals, UnitDecimals(nv.Decimals, nu, ou))
}

// RevisionFindings turns the revised figures among revs whose new row
// carries no note into findings of the rule "revision": a published figure
// changed without a word. Restated, added and removed figures are not
// findings. The findings point at the new row, then the old one, and give
// the old and new values and their difference when the revision has one
// (see [Revision.HasDifference]).
func RevisionFindings(revs []Revision) []Finding {
	var out []Finding
	for _, ch := range revs {
		if ch.Kind != Revised || ch.New.Note != "" {
			continue
		}
		f := Finding{Rule: "revision", Severity: Error, Rows: []Pos{ch.New.Pos, ch.Old.Pos},
			Series: ch.Key.String() + " " + ch.Period.String()}
		if ch.HasDifference() {
			f.Numbers = true
			f.Expected, f.Actual = ch.Old.Value.Num, ch.Old.Value.Num+ch.Difference
			f.Difference, f.Tolerance = ch.Difference, ch.Tolerance
			f.Decimals = ch.decimals()
		}
		f.Message = fmt.Sprintf("%s was %s in the previous release (%s) and is %s here, with no note saying why",
			ch.what(), describe(ch.Old), ch.Old.Pos, describe(ch.New))
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

// figureRows is the rows of a year of one release as DiffInputs compares
// them: what a comparison reads of each, 72 bytes a row where an
// Observation takes 168, and 32 more to sort them; the rows that differ
// are decoded whole again from buf. Its slices are used again year after
// year.
type figureRows struct {
	buf    []byte        // the year's file
	figs   []codedFigure // sorted by code, period, source and place (see readFigures)
	values []figureValue // by place in file order
	// What sort uses, kept from year to year: the figures' keys, an
	// array for the figures in their order, and the numbers of the
	// year's periods.
	keys    []uint64
	swap    []uint64 // radixSortBits's second array
	sorted  []codedFigure
	periods map[uint64]uint64
	sources map[uint32]uint64
	ps      []uint64 // the periods of the year, sorted
	srcs    []uint32 // and its sources
}

// codedFigure is a row by its figure: its figure code, its period packed
// (see packPeriod), its place among the rows of its year and the number
// of its source (in the padding the place leaves).
type codedFigure struct {
	code, period uint64
	row          int32
	source       uint32
}

// figureValue is a row's value and unit, and where it starts in its
// year's file.
type figureValue struct {
	value Value
	unit  string
	at    int
}

// packPeriod packs a period within one year into a number, in an order
// of its fields: equal only for the same period, as figures are told
// apart. Its kind takes bits 60–63, its start bits 20–51 and its length
// bits 0–19: a period within one year (DiffInputs refuses the others) is
// under 367 days long.
func packPeriod(p Period) uint64 {
	return uint64(p.kind)<<60 | uint64(uint32(p.start)^1<<31)<<20 | uint64(uint32(p.end-p.start)&(1<<20-1))
}

// readFigures reads the rows of year y, none when the year has no file,
// into fr, its figures sorted by code, period, source and place, so that
// the first of a source's figure is its first row in file order. It reports whether
// every row has a figure code.
func (s *spill) readFigures(y int, fr *figureRows) (bool, error) {
	fr.figs, fr.values = fr.figs[:0], fr.values[:0]
	if s.years[y] == nil {
		return true, nil
	}
	var err error
	if fr.buf, err = s.readFile(y, fr.buf); err != nil {
		return false, err
	}
	// Grown to the year's rows at once: grown by append, the arrays would
	// hold up to twice what the rows need, and the old and the new ones
	// both for a while (see compareRowBytes).
	rows := s.years[y].rows
	fr.figs, fr.values = slices.Grow(fr.figs, rows), slices.Grow(fr.values, rows)
	for at := 0; at < len(fr.buf); {
		c, src, p, v, unit, n, err := s.decodeFigure(fr.buf[at:])
		if err != nil {
			return false, fmt.Errorf("read the rows of %d back: %w", y, err)
		}
		if c == 0 {
			return false, nil
		}
		fr.figs = append(fr.figs, codedFigure{c, packPeriod(p), int32(len(fr.values)), src})
		fr.values = append(fr.values, figureValue{v, unit, at})
		at += n
	}
	fr.sort()
	return true, nil
}

// sort sorts the figures, which are in the order of their rows, by code,
// period, source and place. Each is packed into one number when that fits
// in 64 bits: the three numbers of its code's strings in the bits the
// largest of the year needs, the rank of its period among the year's, that
// of its source (no bits for a year of one source), and its place. Sorting numbers takes a fraction of the time of sorting the
// figures by their fields, which is done when they do not fit: when the
// strings of the release numbered before one of its codes' (notes among
// them) are more than some thousands.
func (fr *figureRows) sort() {
	fs := fr.figs
	if len(fs) < 2 {
		return
	}
	// A code is three numbers of 21 bits; they fit in fewer when the
	// strings are fewer.
	var high uint64
	for _, f := range fs {
		high |= f.code>>42 | f.code>>21&(1<<21-1) | f.code&(1<<21-1)
	}
	idBits := bits.Len64(high)
	// The periods and the sources of the year, numbered in their order.
	var periodBits, sourceBits int
	fr.periods, fr.ps, periodBits = rankFigures(fs, fr.periods, fr.ps, func(f *codedFigure) uint64 { return f.period })
	fr.sources, fr.srcs, sourceBits = rankFigures(fs, fr.sources, fr.srcs, func(f *codedFigure) uint32 { return f.source })
	rank, srcRank := fr.periods, fr.sources
	rowBits := bits.Len(uint(len(fs) - 1))
	if 3*idBits+periodBits+sourceBits+rowBits > packedKeyBits {
		slices.SortFunc(fs, func(a, b codedFigure) int {
			return cmp.Or(cmp.Compare(a.code, b.code), cmp.Compare(a.period, b.period),
				cmp.Compare(a.source, b.source), cmp.Compare(a.row, b.row))
		})
		return
	}
	keys := slices.Grow(fr.keys[:0], len(fs))
	last, lastSrc := fs[0].period+1, fs[0].source+1
	r, sr := uint64(0), uint64(0)
	for i, f := range fs {
		if f.period != last {
			last, r = f.period, rank[f.period]
		}
		if f.source != lastSrc {
			lastSrc, sr = f.source, srcRank[f.source]
		}
		c := (f.code>>42)<<(2*idBits) | (f.code>>21&(1<<21-1))<<idBits | f.code&(1<<21-1)
		keys = append(keys, ((c<<periodBits|r)<<sourceBits|sr)<<rowBits|uint64(i))
	}
	if len(keys) < minRadixSort {
		slices.Sort(keys)
	} else {
		// The keys are in the order of their places, the bits below
		// rowBits: a stable sort by the bits above them sorts them whole.
		keys, fr.swap = radixSortBits(keys, fr.swap, rowBits, rowBits+3*idBits+periodBits+sourceBits)
	}
	// The figures are copied in their order, which the comparison of the
	// two releases then reads one after the other.
	sorted := slices.Grow(fr.sorted[:0], len(fs))
	for _, k := range keys {
		sorted = append(sorted, fs[k&(1<<rowBits-1)])
	}
	fr.keys, fr.sorted, fr.figs = keys, fs[:0], sorted
}

// rankFigures numbers the values that field gives the figures fs from 0
// in their order, into rank and sorted, each cleared first (rank made when
// nil), and returns them and the bits a number takes. The figures of a
// value mostly come together, so that rank is looked up once a run.
func rankFigures[K cmp.Ordered](fs []codedFigure, rank map[K]uint64, sorted []K, field func(*codedFigure) K) (map[K]uint64, []K, int) {
	if rank == nil {
		rank = map[K]uint64{}
	}
	clear(rank)
	for i := range fs {
		if v := field(&fs[i]); i == 0 || v != field(&fs[i-1]) {
			rank[v] = 0
		}
	}
	sorted = slices.AppendSeq(sorted[:0], maps.Keys(rank))
	slices.Sort(sorted)
	for i, v := range sorted {
		rank[v] = uint64(i)
	}
	return rank, sorted, bits.Len(uint(len(sorted) - 1))
}

// minRadixSort is the fewest keys figureRows.sort sorts by radix: a
// counting pass costs its 2,048 buckets whatever the keys.
const minRadixSort = 1 << 10

// radixDigit is the bits of the keys radixSortBits sorts by in one pass:
// its buckets fit in the cache closest to the core.
const radixDigit = 11

// radixSortBits sorts keys stably by their bits from lo to hi (bit 0 the
// lowest), a digit of radixDigit bits at a time from the lowest, with
// swap, grown to their length, as the second array of each pass. A pass
// whose digit every key shares is skipped. It returns the keys sorted and
// the other array, either of which may be the one passed as keys.
// A year of the synthetic 10M rows (360,000 figures, keys of 28 bits
// above the place's 19) takes three passes.
func radixSortBits(keys, swap []uint64, lo, hi int) ([]uint64, []uint64) {
	if len(keys) < 2 {
		return keys, swap
	}
	swap = slices.Grow(swap[:0], len(keys))[:len(keys)]
	var count [1 << radixDigit]int
	for shift := lo; shift < hi; shift += radixDigit {
		mask := uint64(1)<<min(radixDigit, hi-shift) - 1
		clear(count[:])
		for _, k := range keys {
			count[k>>shift&mask]++
		}
		if count[keys[0]>>shift&mask] == len(keys) {
			continue
		}
		at := 0
		for d, n := range count {
			count[d] = at
			at += n
		}
		for _, k := range keys {
			d := k >> shift & mask
			swap[count[d]] = k
			count[d]++
		}
		keys, swap = swap, keys
	}
	return keys, swap
}

// packedKeyBits is the bits of the numbers figureRows.sort sorts when it
// packs a figure's code, period and place into one (fewer in tests).
var packedKeyBits = 64

// mergeFigures compares the figures of a year of the old release (read
// by sps[0]) and the new one, cur (sps[1]), each sorted by readFigures, as Diff
// does, in one pass over both: the sources of a figure are paired by
// pairSources, and the first row of a source's figure counts. The rows of
// a revision are decoded whole, each its own; the revisions are not
// sorted.
func mergeFigures(sps [2]*spill, old, cur *figureRows, tol Tolerance) ([]Revision, error) {
	var out []Revision
	// next returns the end of the run of rows of the figure at i.
	next := func(fs []codedFigure, i int) int {
		j := i + 1
		for j < len(fs) && fs[j].code == fs[i].code && fs[j].period == fs[i].period {
			j++
		}
		return j
	}
	// whole decodes the row of fr at place row.
	var err error
	whole := func(sp *spill, fr *figureRows, row int32) *Observation {
		o, _, e := sp.decode(fr.buf[fr.values[row].at:])
		err = cmp.Or(err, e)
		return &o
	}
	// firsts holds the first row of each source of a figure of several
	// sources (the rows of one are together, sorted by source), kept
	// from figure to figure.
	var firsts [2][]codedFigure
	sourcesOf := func(r int, fs []codedFigure) []codedFigure {
		firsts[r] = firsts[r][:0]
		for k, f := range fs {
			if k == 0 || f.source != fs[k-1].source {
				firsts[r] = append(firsts[r], f)
			}
		}
		return firsts[r]
	}
	of, nf := old.figs, cur.figs
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
		ie, je := i, j
		if c <= 0 {
			ie = next(of, i)
		}
		if c >= 0 {
			je = next(nf, j)
		}
		// The rows of the figure in each release, none in one of them
		// when it is not there.
		os, ns := of[i:ie], nf[j:je]
		if len(os) > 0 && os[0].source != os[len(os)-1].source {
			os = sourcesOf(0, os)
		} else {
			os = os[:min(len(os), 1)]
		}
		if len(ns) > 0 && ns[0].source != ns[len(ns)-1].source {
			ns = sourcesOf(1, ns)
		} else {
			ns = ns[:min(len(ns), 1)]
		}
		pairSources(len(os), len(ns), func(a, b int) bool { return os[a].source == ns[b].source }, func(a, b int) {
			var ch Revision
			switch {
			case b < 0:
				ch.Kind, ch.Old = Removed, whole(sps[0], old, os[a].row)
			case a < 0:
				ch.Kind, ch.New = Added, whole(sps[1], cur, ns[b].row)
			default:
				ov, nv := &old.values[os[a].row], &cur.values[ns[b].row]
				var changed bool
				if ch, changed = compareFigures(ov.value, nv.value, ov.unit, nv.unit, tol); !changed {
					return
				}
				ch.Old, ch.New = whole(sps[0], old, os[a].row), whole(sps[1], cur, ns[b].row)
			}
			o := cmp.Or(ch.Old, ch.New)
			ch.Key, ch.Period, ch.Sources = o.Key(), o.Period, max(len(os), len(ns))
			out = append(out, ch)
		})
		i, j = ie, je
	}
	return out, err
}
