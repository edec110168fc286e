package reports

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tradedesk/report/stats"
)

// naiveDefaultPeriod is DefaultPeriod as it was written first, with a
// pass over every row for each quarter it looks back at: the reference
// the periodFinder, which sees each row once, is checked against.
func naiveDefaultPeriod(ds *stats.Dataset) (stats.Period, bool) {
	voc := stats.NewVocabulary()
	flow := func(o *stats.Observation) bool {
		info, ok := voc.Lookup(o.Indicator)
		return o.Value.Valid && ok && info.Flow
	}
	var bestQ, best, lastMonth stats.Period
	for i := range ds.Obs {
		o := &ds.Obs[i]
		if !flow(o) {
			continue
		}
		p := o.Period
		switch {
		case p.IsInterval():
		case p.Kind() == stats.Quarter:
			if bestQ.IsZero() || stats.Compare(p, bestQ) > 0 {
				bestQ = p
			}
		case p.Kind() == stats.Month:
			if lastMonth.IsZero() || stats.Compare(p, lastMonth) > 0 {
				lastMonth = p
			}
		}
		if p.Kind() == stats.Day || (p.Kind() == stats.Year && p.IsInterval()) {
			continue
		}
		if best.IsZero() || laterPeriod(p, best) {
			best = p
		}
	}
	complete := func(q stats.Period) bool {
		months, _ := q.Cover(stats.Month)
		masks := map[stats.Key]uint8{}
		for i := range ds.Obs {
			o := &ds.Obs[i]
			if o.Period.Kind() != stats.Month || o.Period.IsInterval() || !flow(o) {
				continue
			}
			for j, m := range months {
				if o.Period == m {
					masks[o.Key()] |= 1 << j
					if masks[o.Key()] == 7 {
						return true
					}
				}
			}
		}
		return false
	}
	if !lastMonth.IsZero() {
		q := stats.QuarterOf(lastMonth.Year(), (monthOf(lastMonth)-1)/3+1)
		for range 8 {
			if !bestQ.IsZero() && stats.Compare(q, bestQ) <= 0 {
				break
			}
			if complete(q) {
				bestQ = q
				break
			}
			q = prevQuarter(q)
		}
	}
	if !bestQ.IsZero() {
		return bestQ, true
	}
	return best, !best.IsZero()
}

// TestPeriodFinder checks DefaultPeriod, which sees each row once, against
// the pass a quarter of naiveDefaultPeriod on random data: series whose
// months come in any order, with gaps, far apart in time, partly invalid,
// with quarters, years, intervals and days among them.
func TestPeriodFinder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	inds := []string{"exports", "imports", "fdi_in_gross", "registered_entities"}
	fromMonths := 0 // data whose period is a quarter of months alone
	for n := range 1000 {
		var b strings.Builder
		b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
		for range 1 + r.IntN(60) {
			pair := []string{"KAZ,ARM", "KAZ,KGZ", "ARM,KAZ"}[r.IntN(3)]
			ind := inds[r.IntN(len(inds))]
			y := 2000 + r.IntN(3)*r.IntN(4)
			var p string
			switch r.IntN(8) {
			case 0:
				p = fmt.Sprint(y)
			case 1:
				p = fmt.Sprintf("%d-Q%d", y, 1+r.IntN(4))
			case 2:
				p = fmt.Sprintf("%d-01/%d-%02d", y, y, 1+r.IntN(12))
			case 3:
				p = fmt.Sprintf("%d-%02d-%02d", y, 1+r.IntN(12), 1+r.IntN(28))
			case 4:
				p = fmt.Sprintf("%d/%d", y, y+1+r.IntN(3))
			default:
				p = fmt.Sprintf("%d-%02d", y, 1+r.IntN(12))
			}
			v := "1.5"
			if r.IntN(10) == 0 {
				v = ""
			}
			fmt.Fprintf(&b, "%s,%s,%s,%s,USD million,BNS\n", pair, ind, p, v)
			if r.IntN(4) == 0 {
				// The months of a quarter, or two of them, in one series.
				q := r.IntN(4)
				for _, m := range r.Perm(3)[:2+r.IntN(2)] {
					fmt.Fprintf(&b, "%s,%s,%d-%02d,%s,USD million,BNS\n", pair, ind, y, 3*q+m+1, v)
				}
			}
		}
		ds, err := stats.Load(strings.NewReader(b.String()), "random.csv", stats.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want, wantOK := naiveDefaultPeriod(ds)
		got, ok := DefaultPeriod(ds)
		if got != want || ok != wantOK {
			t.Fatalf("data %d: DefaultPeriod = %v, %v; the pass a quarter gives %v, %v\n%s", n, got, ok, want, wantOK, b.String())
		}
		if got.Kind() == stats.Quarter && !strings.Contains(b.String(), ","+got.String()+",") {
			fromMonths++
		}
	}
	if fromMonths < 20 {
		t.Errorf("only %d of the data had a quarter made of months alone", fromMonths)
	}
}
