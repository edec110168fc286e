package ingest

import (
	"cmp"
	"slices"

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
// row, and are sorted by series and month; obs is not modified. A table
// that spans more than [MaxFillMonths] months gets nothing filled.
func FillAbsent(obs []stats.Observation, v stats.Value) []stats.Observation {
	return fillAbsent(obs, v, nil)
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

// fillAbsent is FillAbsent, leaving out the months of failed: those with a
// row that could not be read, which are not absent.
func fillAbsent(obs []stats.Observation, v stats.Value, failed map[fillKey]map[stats.Period]bool) []stats.Observation {
	type key = fillKey
	var first, last stats.Period
	have := map[key]map[stats.Period]bool{}
	at := map[key]stats.Pos{}
	for i := range obs {
		o := &obs[i]
		if o.Period.Kind() != stats.Month || o.Period.IsInterval() {
			continue
		}
		if first.IsZero() || stats.Compare(o.Period, first) < 0 {
			first = o.Period
		}
		if last.IsZero() || stats.Compare(o.Period, last) > 0 {
			last = o.Period
		}
		k := key{o.Key(), o.Unit, o.Source}
		if have[k] == nil {
			have[k] = map[stats.Period]bool{}
			at[k] = o.Pos
		}
		have[k][o.Period] = true
	}
	if first.IsZero() {
		return nil
	}
	span, _ := stats.Span(first, last)
	if span.Len() > MaxFillMonths {
		return nil
	}
	months := span.Units()
	var out []stats.Observation
	for k, ps := range have {
		for _, m := range months {
			if !ps[m] && !failed[k][m] {
				out = append(out, stats.Observation{Reporter: k.Reporter, Partner: k.Partner, Indicator: k.Indicator,
					Period: m, Value: v, Unit: k.unit, Source: k.source, Note: AbsentNote, Pos: at[k]})
			}
		}
	}
	slices.SortFunc(out, func(a, b stats.Observation) int {
		return cmp.Or(cmp.Compare(a.Reporter, b.Reporter), cmp.Compare(a.Partner, b.Partner),
			cmp.Compare(a.Indicator, b.Indicator), cmp.Compare(a.Source, b.Source), stats.Compare(a.Period, b.Period))
	})
	return out
}
