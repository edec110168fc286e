package reports

import (
	"cmp"
	"fmt"
	"iter"
	"maps"
	"slices"

	"github.com/tradedesk/report/stats"
)

// A workbook of data too large to hold at once (Workbook.Rows) is made in
// two readings. The first reads every row once, in file order (survey):
// the Data sheets are encoded as the rows come, and what the other sheets
// count of every row is counted: the rows of each pair, the default
// period, the sources, the Data row of each finding. The second reads the
// rows of a group of pairs at a time (Workbook.Group, eachGroup), in the
// order of the pairs, for their Series blocks and Summary figures: every
// one is made from the rows of its pair alone, as stats.Index derives a
// figure from the rows of its series, and turnover and the balance from
// the exports and imports of its pair. The styles are made in the same
// order as for data held whole, so the bytes are the same.

// defaultGroupRows is the most rows of a group of pairs when
// Workbook.GroupRows is 0.
const defaultGroupRows = 1_000_000

// placeKey is a row's place, by which a finding finds its Data row.
type placeKey struct {
	file string
	line int
}

// survey reads Workbook.Rows: it encodes the Data sheets, and counts the
// rows of each pair, the observations of each source and the Data row of
// each finding's place; it finds the default period when the workbook
// names none.
func (b *builder) survey() error {
	w := b.w
	b.rowsOf, b.rowOf, b.sources = map[stats.Pair]int{}, map[placeKey]int{}, map[string]int{}
	for _, fd := range w.Findings {
		p := fd.Pos()
		b.rowOf[placeKey{p.File, p.Line}] = -1
	}
	var finder *periodFinder
	if b.period.IsZero() {
		finder = newPeriodFinder()
	}
	nums := map[numStyle][]byte{}
	var enc *rowEncoder
	n := 0
	for o, err := range w.Rows {
		if err != nil {
			return err
		}
		if enc == nil || enc.rows == maxDataRows {
			enc = newRowEncoder(b.st.text, nums, w.TmpDir)
			enc.newStyle = b.st.num
			b.dataEncs = append(b.dataEncs, enc)
		}
		if err := enc.add(&o); err != nil {
			return err
		}
		b.rowsOf[stats.Pair{Reporter: o.Reporter, Partner: o.Partner}]++
		b.sources[o.Source]++
		if finder != nil {
			finder.add(&o)
		}
		if len(b.rowOf) > 0 {
			if k := (placeKey{o.Pos.File, o.Pos.Line}); b.rowOf[k] < 0 {
				b.rowOf[k] = n
			}
		}
		n++
	}
	if n == 0 {
		return ErrNoData
	}
	b.observations = n
	for i := range b.dataEncs {
		b.data.sheets = append(b.data.sheets, dataSheetName(i))
	}
	b.pairs = slices.SortedFunc(maps.Keys(b.rowsOf), stats.ComparePairs)
	if finder != nil {
		var ok bool
		if b.period, ok = finder.period(); !ok {
			return errNoPeriod
		}
	}
	return nil
}

// locate returns the Data sheet and row of the observation read from pos,
// and false when no observation came from that line (a rejected row).
func (b *builder) locate(pos stats.Pos) (string, int, bool) {
	if b.rowOf == nil {
		return b.data.locate(b.ds, pos)
	}
	k, ok := b.rowOf[placeKey{pos.File, pos.Line}]
	if !ok || k < 0 {
		return "", 0, false
	}
	return b.data.sheets[k/maxDataRows], k%maxDataRows + 2, true
}

// eachGroup calls f with the rows of a group of pairs and the pairs, in
// order, group after group: of data held whole, every pair as one group;
// of data read from Workbook.Rows, the pairs of at most GroupRows rows
// (but for a pair that has more), whose rows Workbook.Group gives.
func (b *builder) eachGroup(f func(ds *stats.Dataset, pairs []stats.Pair) error) error {
	if b.w.Rows == nil {
		return f(b.ds, b.pairs)
	}
	for pairs, rows := range PairGroups(b.pairs, b.rowsOf, b.w.GroupRows) {
		ds, err := b.w.Group(pairs)
		if err != nil {
			return err
		}
		if len(ds.Obs) != rows {
			return fmt.Errorf("reports: the rows of %d pairs are %d, and were %d", len(pairs), len(ds.Obs), rows)
		}
		if err := f(ds, pairs); err != nil {
			return err
		}
	}
	return nil
}

// PairGroups yields the groups of pairs a workbook of Workbook.Rows asks
// Workbook.Group for, in order, with their rows: consecutive pairs of the
// sorted pairs, whose rows (rows holds each pair's) add up to at most
// most (0 for 1,000,000), a pair with more alone. A caller that keeps the
// rows of the pairs a group at a time can keep them as the workbook will
// ask for them.
func PairGroups(pairs []stats.Pair, rows map[stats.Pair]int, most int) iter.Seq2[[]stats.Pair, int] {
	most = cmp.Or(most, defaultGroupRows)
	return func(yield func([]stats.Pair, int) bool) {
		for from := 0; from < len(pairs); {
			to, n := from, 0
			for to < len(pairs) && (to == from || n+rows[pairs[to]] <= most) {
				n += rows[pairs[to]]
				to++
			}
			if !yield(pairs[from:to], n) {
				return
			}
			from = to
		}
	}
}
