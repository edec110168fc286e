package ingest

import (
	"cmp"
	"math/big"
	"slices"
	"strconv"
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
// the position of the December row. Years with a month missing get no
// total. The result is sorted by reporter, partner, indicator, source and
// period; obs is not modified.
func YearTotals(obs []stats.Observation) []stats.Observation {
	type key struct {
		stats.Key
		unit, source string
		year         int
	}
	type acc struct {
		months   [12]*stats.Observation
		n        int
		decimals int
	}
	voc := stats.NewVocabulary()
	sums := map[key]*acc{}
	for i := range obs {
		o := &obs[i]
		if !o.Value.Valid || o.Period.Kind() != stats.Month || o.Period.IsInterval() {
			continue
		}
		if info, ok := voc.Lookup(o.Indicator); !ok || !info.Flow {
			continue
		}
		first := o.Period.First()
		m := monthOf(first)
		k := key{o.Key(), o.Unit, o.Source, first.Year()}
		a := sums[k]
		if a == nil {
			a = &acc{}
			sums[k] = a
		}
		if a.months[m-1] == nil {
			a.months[m-1] = o
			a.n++
			a.decimals = max(a.decimals, o.Value.Decimals)
		}
	}
	var out []stats.Observation
	for k, a := range sums {
		if a.n != 12 {
			continue
		}
		// Add in integers of the finest decimals, so that the total has no
		// binary rounding error.
		var units big.Int
		for _, o := range a.months {
			units.Add(&units, scaled(o.Value, a.decimals))
		}
		v, _ := stats.ParseValue(unscale(&units, a.decimals))
		dec := a.months[11]
		out = append(out, stats.Observation{Reporter: k.Reporter, Partner: k.Partner, Indicator: k.Indicator,
			Period: stats.YearOf(k.year), Value: v, Unit: k.unit, Source: k.source, Note: YearTotalNote, Pos: dec.Pos})
	}
	slices.SortFunc(out, func(a, b stats.Observation) int {
		return cmp.Or(cmp.Compare(a.Reporter, b.Reporter), cmp.Compare(a.Partner, b.Partner),
			cmp.Compare(a.Indicator, b.Indicator), cmp.Compare(a.Source, b.Source), stats.Compare(a.Period, b.Period))
	})
	return out
}

// monthOf returns the month (1–12) of a single month.
func monthOf(p stats.Period) int {
	s := p.String() // 2024-07
	m, _ := strconv.Atoi(s[len(s)-2:])
	return m
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
