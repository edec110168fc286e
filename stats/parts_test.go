package stats

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
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

// boundedRule returns the checker of a rule whose findings are bounded to
// max.
func boundedRule(max int) *checker {
	return &checker{cfg: &Config{MaxFindings: max}, cur: RuleInfo{ID: "test", Severity: Warning}}
}

// twoParts returns a run of two parts of a rule bounded to max, to be
// worked by hand, and its parts.
func twoParts(max int) (r *partRun, a, b *checker) {
	r = &partRun{parts: make([]checker, 2)}
	for k := range r.parts {
		r.parts[k] = *boundedRule(max)
		r.parts[k].run, r.parts[k].part = r, k
	}
	return r, &r.parts[0], &r.parts[1]
}

// TestPartsShareTheirBound checks that the parts of a bounded rule hold
// about Config.MaxFindings findings together, not that many each: a part
// lets go of the findings it holds that sort after the first max of all
// the parts' (partRun.kept), counting them, and the rule still takes the
// findings one goroutine would have kept.
func TestPartsShareTheirBound(t *testing.T) {
	const max = 4
	_, a, b := twoParts(max)
	emit := func(p *checker, lines ...int) {
		for _, line := range lines {
			p.emit(Finding{Rows: []Pos{{File: "in.csv", Line: line, Column: 1}}, Message: fmt.Sprint(line)})
		}
	}
	held := func(p *checker) []int {
		var lines []int
		for _, f := range p.findings {
			lines = append(lines, f.Rows[0].Line)
		}
		slices.Sort(lines)
		return lines
	}
	emit(a, 100, 101, 102, 103)
	emit(b, 1, 2, 3, 4) // before a's: the first four of the rule's so far
	if got := held(b); !slices.Equal(got, []int{1, 2, 3, 4}) {
		t.Fatalf("b holds %v, want [1 2 3 4]", got)
	}
	emit(a, 0) // a keeps 0 and lets go of what sorts after 3
	if got := held(a); !slices.Equal(got, []int{0}) || a.skipped != 4 || a.skippedLast.Line != 103 {
		t.Fatalf("a holds %v, %d counted up to line %d; want [0], 4 up to line 103", held(a), a.skipped, a.skippedLast.Line)
	}
	emit(b, 5, 50) // after the rule's first four: counted
	if got := held(b); !slices.Equal(got, []int{1, 2, 3, 4}) || b.skipped != 2 {
		t.Fatalf("b holds %v, %d counted; want [1 2 3 4], 2", got, b.skipped)
	}
	// The rule takes what one goroutine would have kept of 100–103, 0,
	// then 1–5 and 50: 0–3, the seven others counted.
	c := boundedRule(max)
	c.take(a)
	c.take(b)
	c.sortKept()
	if got := held(c); !slices.Equal(got, []int{0, 1, 2, 3}) || c.skipped != 7 || c.skippedLast.Line != 103 {
		t.Fatalf("the rule holds %v, %d counted up to line %d; want [0 1 2 3], 7 up to line 103", got, c.skipped, c.skippedLast.Line)
	}
}

// TestPartsAsOneGoroutine checks, on random findings with places, series
// and messages that tie, that a rule checked in parts on several workers
// keeps, lists and counts the findings one goroutine checking every
// series in turn would, whatever the schedule.
func TestPartsAsOneGoroutine(t *testing.T) {
	defer func(n int) { parallelRows = n }(parallelRows)
	parallelRows = 1
	type found struct {
		line   int
		series string
		msg    string
	}
	// Each finding is tagged (Expected, which the order ignores), so that
	// of findings that tie the one kept shows.
	summary := func(c *checker) string {
		c.sortKept()
		var b strings.Builder
		for _, f := range c.findings {
			fmt.Fprintf(&b, "%d %s %s #%g; ", f.Rows[0].Line, f.Series, f.Message, f.Expected)
		}
		fmt.Fprintf(&b, "counted %d up to line %d", c.skipped, c.skippedLast.Line)
		return b.String()
	}
	for seed := range 300 {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		n := 8 + rng.IntN(60)
		bySeries := make([][]found, n)
		for i := range bySeries {
			for range rng.IntN(9) {
				bySeries[i] = append(bySeries[i], found{1 + rng.IntN(60), fmt.Sprint("s", rng.IntN(3)), fmt.Sprint("m", rng.IntN(3))})
			}
		}
		max := []int{1, 3, 7, 15, 40}[rng.IntN(5)]
		each := func(p *checker, _, from, to int) {
			for i := from; i < to; i++ {
				for j, f := range bySeries[i] {
					p.emit(Finding{Rows: []Pos{{File: "in.csv", Line: f.line, Column: 1}}, Series: f.series, Message: f.msg, Expected: float64(i*100 + j)})
				}
			}
		}
		newChecker := func() *checker {
			return &checker{cfg: &Config{MaxFindings: max}, nrows: n, cur: RuleInfo{ID: "test", Severity: Warning}}
		}
		one := newChecker()
		one.inParts(n, each)
		want := summary(one)
		workers := 2 + rng.IntN(3)
		c := newChecker()
		h := newHelpers(workers, 1)
		c.help = h
		var helped sync.WaitGroup
		for range workers - 1 {
			helped.Go(h.help)
		}
		c.inParts(n, each)
		h.ruleDone()
		helped.Wait()
		if got := summary(c); got != want {
			t.Fatalf("seed %d, %d series, max %d, %d workers:\n in parts %s\n as one   %s", seed, n, max, workers, got, want)
		}
	}
}

// TestPartsKeepTheFirstOfTies checks that of findings that tie, in place,
// series and message, the parts keep the one of the first part, as one
// goroutine would have, whichever came first and whatever the order each
// came in within its part: part 1's, which came first, gives way to
// part 0's second finding.
func TestPartsKeepTheFirstOfTies(t *testing.T) {
	const max = 1
	r, a, b := twoParts(max)
	emit := func(p *checker, series string, tag float64) {
		p.emit(Finding{Rows: []Pos{{File: "in.csv", Line: 5, Column: 1}}, Series: series, Message: "m", Expected: tag})
	}
	emit(b, "s", 1) // the rule's first so far
	emit(a, "t", 2) // after it: let go of
	emit(a, "s", 3) // ties with b's, of the part before: first
	r.end(b)        // b lets go of what sorts after the rule's first
	if len(a.findings) != 1 || a.findings[0].Expected != 3 || len(b.findings) != 0 {
		t.Fatalf("a holds %v, b %v; want a its third finding, b none", a.findings, b.findings)
	}
	c := boundedRule(max)
	c.take(a)
	c.take(b)
	if len(c.findings) != 1 || c.findings[0].Expected != 3 || c.skipped != 2 {
		t.Fatalf("the rule holds %v, %d counted; want part 0's tie, 2 counted", c.findings, c.skipped)
	}
}

// TestPartsThatEndedLetGo checks that the parts that ended let go of what
// sorts after the findings that the parts after them kept: parts worked in
// turn whose findings each come before the part's before hold the first
// max of the rule's together, not max each, and the rule still takes what
// one goroutine would have kept.
func TestPartsThatEndedLetGo(t *testing.T) {
	const parts, perPart, max = 4, 5, 3
	r := &partRun{n: parts, parts: make([]checker, parts)}
	for k := range r.parts {
		r.parts[k] = *boundedRule(max)
		r.parts[k].run, r.parts[k].part = r, k
	}
	r.each = func(p *checker, k, _, _ int) {
		for j := range perPart {
			line := (parts-k)*10 + j
			p.emit(Finding{Rows: []Pos{{File: "in.csv", Line: line, Column: 1}}, Message: fmt.Sprint(line)})
		}
	}
	r.done.Add(parts)
	for k := 0; r.work(); k++ {
		held := 0
		for i := range r.parts[:k+1] {
			held += len(r.parts[i].findings)
		}
		if held > max {
			t.Fatalf("after part %d the parts hold %d findings, want at most %d", k, held, max)
		}
	}
	c := boundedRule(max)
	for k := range r.parts {
		c.take(&r.parts[k])
	}
	c.sortKept()
	var lines []int
	for _, f := range c.findings {
		lines = append(lines, f.Rows[0].Line)
	}
	if want := []int{10, 11, 12}; !slices.Equal(lines, want) || c.skipped != parts*perPart-max || c.skippedLast.Line != parts*10+perPart-1 {
		t.Fatalf("the rule holds lines %v, %d counted up to line %d; want %v, %d up to line %d",
			lines, c.skipped, c.skippedLast.Line, want, parts*perPart-max, parts*10+perPart-1)
	}
}
