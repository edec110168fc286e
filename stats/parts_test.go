package stats

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// TestInParts checks that a rule's parts run once each, on the rule's
// goroutine and on a helper's, and that the rule takes their findings as
// one goroutine would have made them: all of them in order, or, bounded,
// the first by place, the others counted.
func TestInParts(t *testing.T) {
	defer func(n int) { parallelRows = n }(parallelRows)
	parallelRows = 1
	const series, perSeries = 40, 5
	for _, max := range []int{0, 7} {
		t.Run(fmt.Sprintf("max %d", max), func(t *testing.T) {
			file := "in.csv"
			c := &checker{cfg: &Config{MaxFindings: max}, nrows: series * perSeries, cur: RuleInfo{ID: "test", Severity: Warning}}
			h := newHelpers(2, 1)
			c.help = h
			var helped sync.WaitGroup
			helped.Go(h.help)
			var ran [series]atomic.Int32
			// Series i finds perSeries findings, on lines that go down
			// from series to series: the first by place are the last
			// series'.
			c.inParts(series, func(p *checker, _, from, to int) {
				for i := from; i < to; i++ {
					ran[i].Add(1)
					for j := range perSeries {
						line := (series-i)*perSeries + j
						if !p.beyond(Pos{File: file, Line: line}) {
							p.emit(Finding{Rows: []Pos{{File: file, Line: line, Column: 1}}, Message: fmt.Sprint(i, j)})
						}
					}
				}
			})
			h.ruleDone()
			helped.Wait()
			for i := range ran {
				if n := ran[i].Load(); n != 1 {
					t.Fatalf("series %d checked %d times", i, n)
				}
			}
			c.sortKept()
			var lines []int
			for _, f := range c.findings {
				lines = append(lines, f.Rows[0].Line)
			}
			if max == 0 {
				want := []int{}
				for i := range series {
					for j := range perSeries {
						want = append(want, (series-i)*perSeries+j)
					}
				}
				if !slices.Equal(lines, want) || c.skipped != 0 {
					t.Fatalf("lines %v, %d counted; want %v, none", lines, c.skipped, want)
				}
				return
			}
			want := []int{perSeries, perSeries + 1, perSeries + 2, perSeries + 3, perSeries + 4, 2 * perSeries, 2*perSeries + 1}
			if !slices.Equal(lines, want) || c.skipped != series*perSeries-max || c.skippedLast.Line != series*perSeries+perSeries-1 {
				t.Fatalf("lines %v, %d counted up to line %d; want %v, %d up to %d", lines, c.skipped, c.skippedLast.Line, want, series*perSeries-max, series*perSeries+perSeries-1)
			}
		})
	}
}
