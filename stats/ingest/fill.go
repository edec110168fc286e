package ingest

import (
	"cmp"
	"slices"
	"strings"

	"github.com/tradedesk/report/stats"
)

// AbsentNote is the note on the observations that [FillAbsent] adds.
const AbsentNote = "no row in the table: zero"

// FillAbsent returns, for every series (reporter, partner, indicator, unit
// and source) with monthly figures, an observation of value v for each
// month between the first and the last month of the whole table that the
// series lacks: for publishers that leave out the rows of a partner in a
// month without trade, so that a missing row means zero. The new
// observations carry [AbsentNote] and the position of the series' first
// row, and are sorted by series (reporter, partner, indicator, source,
// unit) and month; obs is not modified. A table
// that spans more than [MaxFillMonths] months gets nothing filled.
func FillAbsent(obs []stats.Observation, v stats.Value) []stats.Observation {
	f := newFills()
	for i := range obs {
		f.see(&obs[i])
	}
	return f.absent(v)
}

// MaxFillMonths bounds the months [FillAbsent] fills a series over: a
// century, more than any table spans, and little enough that a stray date
// such as 0001-01 cannot make millions of rows.
const MaxFillMonths = 1200

// fillKey is one series of one source in one unit.
type fillKey struct {
	stats.Key
	unit, source string
}

// clone returns k with strings of its own: those of a row are parts of
// its whole line, which a key kept for the table's length would hold.
func (k fillKey) clone() fillKey {
	return fillKey{stats.Key{Reporter: strings.Clone(k.Reporter), Partner: strings.Clone(k.Partner), Indicator: strings.Clone(k.Indicator)},
		strings.Clone(k.unit), strings.Clone(k.source)}
}

// compareFillKeys orders series by reporter, partner, indicator, source
// and unit.
func compareFillKeys(a, b fillKey) int {
	return cmp.Or(cmp.Compare(a.Reporter, b.Reporter), cmp.Compare(a.Partner, b.Partner),
		cmp.Compare(a.Indicator, b.Indicator), cmp.Compare(a.source, b.source), cmp.Compare(a.unit, b.unit))
}

// fills gathers, a row at a time, the months each series has, to fill in
// those it lacks at the end: a bit a month, not a row.
type fills struct {
	first, last int // the first and last month of the table, by index
	any         bool
	series      map[fillKey]*filled
	// pairs holds, by reporter and partner, the months of a row whose
	// series could not be told (see failPair).
	pairs map[[2]string]*monthSet
}

// filled is what fills holds of one series.
type filled struct {
	at     stats.Pos // the series' first monthly row
	have   monthSet
	failed monthSet // months whose cell could not be read: not absent
}

func newFills() *fills { return &fills{series: map[fillKey]*filled{}} }

// get returns the series of k, made when new.
func (f *fills) get(k fillKey, at stats.Pos) *filled {
	s := f.series[k]
	if s == nil {
		s = &filled{}
		f.series[k.clone()] = s
	}
	if !s.have.any() {
		s.at = at // the first month read, after months that failed
	}
	return s
}

// see takes in an observation; f may be nil.
func (f *fills) see(o *stats.Observation) {
	if f == nil || o.Period.Kind() != stats.Month || o.Period.IsInterval() {
		return
	}
	m := o.Period.Index()
	if !f.any || m < f.first {
		f.first = m
	}
	if !f.any || m > f.last {
		f.last = m
	}
	f.any = true
	f.get(fillKey{o.Key(), o.Unit, o.Source}, o.Pos).have.add(m)
}

// fail takes in a month of a series whose cell could not be read; f may
// be nil.
func (f *fills) fail(k fillKey, p stats.Period) {
	if f == nil || p.Kind() != stats.Month || p.IsInterval() {
		return
	}
	if s := f.series[k]; s != nil {
		s.failed.add(p.Index())
		return
	}
	// A series with no month read yet: it has nothing to fill unless a
	// later row gives it one, at whose place its absent months go.
	s := &filled{}
	s.failed.add(p.Index())
	f.series[k.clone()] = s
}

// failPair takes in a month of a row of reporter and partner whose series
// could not be told (its indicator or unit could not be read): none of
// the pair's series has it absent; f may be nil.
func (f *fills) failPair(reporter, partner string, p stats.Period) {
	if f == nil || p.Kind() != stats.Month || p.IsInterval() {
		return
	}
	k := [2]string{reporter, partner}
	if f.pairs[k] == nil {
		if f.pairs == nil {
			f.pairs = map[[2]string]*monthSet{}
		}
		f.pairs[[2]string{strings.Clone(reporter), strings.Clone(partner)}] = &monthSet{}
	}
	f.pairs[k].add(p.Index())
}

// absent returns an observation of value v for each month between the
// first and the last of the table that a series lacks, sorted by series
// and month.
func (f *fills) absent(v stats.Value) []stats.Observation {
	if !f.any || f.last-f.first+1 > MaxFillMonths {
		return nil
	}
	keys := make([]fillKey, 0, len(f.series))
	for k, s := range f.series {
		if s.have.any() {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, compareFillKeys)
	var out []stats.Observation
	for _, k := range keys {
		s := f.series[k]
		pair := f.pairs[[2]string{k.Reporter, k.Partner}]
		for m := f.first; m <= f.last; m++ {
			if !s.have.has(m) && !s.failed.has(m) && (pair == nil || !pair.has(m)) {
				out = append(out, stats.Observation{Reporter: k.Reporter, Partner: k.Partner, Indicator: k.Indicator,
					Period: stats.NewPeriod(stats.Month, m), Value: v, Unit: k.unit, Source: k.source, Note: AbsentNote, Pos: s.at})
			}
		}
	}
	return out
}

// monthSet is a set of months by index, a bit each from the first word
// that holds one.
type monthSet struct {
	base  int // the index of bit 0 of words[0], a multiple of 64
	words []uint64
}

func (s *monthSet) any() bool { return len(s.words) > 0 }

func (s *monthSet) add(m int) {
	w := floorDiv(m, 64)
	switch {
	case len(s.words) == 0:
		s.base = w * 64
		s.words = []uint64{0}
	case w*64 < s.base:
		grow := s.base/64 - w
		s.words = append(make([]uint64, grow, grow+len(s.words)), s.words...)
		s.base = w * 64
	}
	for (m-s.base)/64 >= len(s.words) {
		s.words = append(s.words, 0)
	}
	s.words[(m-s.base)/64] |= 1 << uint((m-s.base)%64)
}

func (s *monthSet) has(m int) bool {
	if len(s.words) == 0 || m < s.base {
		return false
	}
	i := (m - s.base) / 64
	return i < len(s.words) && s.words[i]&(1<<uint((m-s.base)%64)) != 0
}
