package ingest

import (
	"math/big"
	"slices"
	"strings"

	"github.com/tradedesk/report/stats"
)

// YearTotalNote is the note on the year figures that [YearTotals] adds.
const YearTotalNote = "sum of the 12 months, computed on import"

// YearTotals returns, for every series (reporter, partner, indicator,
// unit and source) of flows that has a valid value for each of the 12
// months of a year, the year as the sum of the months, so that monthly
// tables can be compared with annual ones (the mirror rule compares
// figures of the same period). The sum is exact at the largest number of
// decimals of the months; the new observation carries [YearTotalNote] and
// the position of the December row, and the least final status of the
// months (see [stats.LessFinal]): a year with a provisional month is
// provisional. Years with a month missing get no total. The result is sorted by reporter, partner, indicator, source,
// unit and period; obs is not modified.
func YearTotals(obs []stats.Observation) []stats.Observation {
	t := newYearTotals()
	for i := range obs {
		t.see(&obs[i])
	}
	return t.totals()
}

// yearTotals adds up, a row at a time, the months of each series' years:
// it holds a running sum a year of a series, not its rows.
type yearTotals struct {
	voc  *stats.Vocabulary
	flow map[string]bool // by indicator
	sums map[yearKey]*yearSum
}

// yearKey is a year of a series.
type yearKey struct {
	fillKey
	year int
}

// yearSum is the sum of the months of a year read so far.
type yearSum struct {
	units    big.Int // the sum × 10^decimals
	decimals int
	months   uint16 // bit m-1 for month m
	dec      stats.Pos
	status   stats.Status // the least final of the months'
}

func newYearTotals() *yearTotals {
	return &yearTotals{voc: stats.NewVocabulary(), flow: map[string]bool{}, sums: map[yearKey]*yearSum{}}
}

// see takes in an observation; t may be nil. The first valid figure of a
// month counts.
func (t *yearTotals) see(o *stats.Observation) {
	if t == nil || !o.Value.Valid || o.Period.Kind() != stats.Month || o.Period.IsInterval() {
		return
	}
	flow, ok := t.flow[o.Indicator]
	if !ok {
		info, known := t.voc.Lookup(o.Indicator)
		flow = known && info.Flow
		t.flow[strings.Clone(o.Indicator)] = flow
	}
	if !flow {
		return
	}
	i := o.Period.Index()
	y, m := floorDiv(i, 12), i-floorDiv(i, 12)*12 // m from 0
	k := yearKey{fillKey{o.Key(), o.Unit, o.Source}, y}
	s := t.sums[k]
	if s == nil {
		s = &yearSum{}
		t.sums[yearKey{k.fillKey.clone(), k.year}] = s
	}
	if s.months&(1<<m) != 0 {
		return
	}
	s.months |= 1 << m
	s.status = stats.LessFinal(s.status, o.Status)
	if m == 11 {
		s.dec = o.Pos
	}
	// Add in integers of the finest decimals so far, so that the total
	// has no binary rounding error.
	if d := o.Value.Decimals; d > s.decimals {
		s.units.Mul(&s.units, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d-s.decimals)), nil))
		s.decimals = d
	}
	s.units.Add(&s.units, scaled(o.Value, s.decimals))
}

// totals returns the year of every series with all 12 months, sorted by
// series and year.
func (t *yearTotals) totals() []stats.Observation {
	if t == nil {
		return nil
	}
	keys := make([]yearKey, 0, len(t.sums))
	for k, s := range t.sums {
		if s.months == 1<<12-1 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b yearKey) int {
		if c := compareFillKeys(a.fillKey, b.fillKey); c != 0 {
			return c
		}
		return a.year - b.year
	})
	var out []stats.Observation
	for _, k := range keys {
		s := t.sums[k]
		v, _ := stats.ParseValue(unscale(&s.units, s.decimals))
		out = append(out, stats.Observation{Reporter: k.Reporter, Partner: k.Partner, Indicator: k.Indicator,
			Period: stats.YearOf(k.year), Value: v, Unit: k.unit, Status: s.status, Source: k.source, Note: YearTotalNote, Pos: s.dec})
	}
	return out
}

// floorDiv returns a/b rounded down.
func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// scaled returns v × 10^dec as an integer; v has at most dec decimals.
func scaled(v stats.Value, dec int) *big.Int {
	s := v.String() + strings.Repeat("0", dec-v.Decimals)
	if v.Decimals == 0 && dec > 0 {
		s = v.String() + strings.Repeat("0", dec)
	}
	n, _ := new(big.Int).SetString(strings.Replace(s, ".", "", 1), 10)
	return n
}

// unscale writes n × 10^−dec as a decimal with dec decimals.
func unscale(n *big.Int, dec int) string {
	neg := n.Sign() < 0
	d := new(big.Int).Abs(n).String()
	if len(d) <= dec {
		d = strings.Repeat("0", dec-len(d)+1) + d
	}
	if dec > 0 {
		d = d[:len(d)-dec] + "." + d[len(d)-dec:]
	}
	if neg {
		d = "-" + d
	}
	return d
}
