package stats

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestLimitFindings lists the first findings of each rule in sorted
// order, whatever order they come in, and counts the others at the place of
// the last finding of all.
func TestLimitFindings(t *testing.T) {
	var fs []Finding
	for _, line := range []int{9, 3, 7, 1, 5, 2, 8} {
		fs = append(fs, Finding{Rule: "mirror", Severity: Warning, Rows: []Pos{{File: "a.csv", Line: line}}, Message: "gap"})
	}
	fs = append(fs, Finding{Rule: "turnover", Severity: Error, Rows: []Pos{{File: "a.csv", Line: 4}}, Message: "sum"})
	got := Check(&Dataset{}, nil) // no findings, no limit
	if len(got) != 0 {
		t.Fatalf("Check of nothing: %v", got)
	}
	for _, max := range []int{1, 2, 3} {
		l := newLimiter(max)
		l.add(fs[:4])
		l.add(fs[4:])
		got := l.findings()
		var lines []string
		for _, f := range got {
			lines = append(lines, fmt.Sprintf("%d %s %s %d", f.Pos().Line, f.Rule, f.Severity, f.Omitted))
		}
		var want []string
		for _, line := range []int{1, 2, 3}[:max] {
			want = append(want, fmt.Sprintf("%d mirror warning 0", line))
		}
		want = append(want, "4 turnover error 0")
		slices.Sort(want)
		want = append(want, fmt.Sprintf("9 mirror warning %d", 7-max))
		if !slices.Equal(lines, want) {
			t.Errorf("max %d: %q, want %q", max, lines, want)
		}
		if e, w := Count(got); e != 1 || w != 7 {
			t.Errorf("max %d: Count = %d errors, %d warnings; want 1, 7", max, e, w)
		}
	}
}

// TestLimiterRemove takes findings back from a full list: a counted one
// goes from the count; a listed one whose place a counted one should take
// is refused; once nothing is counted, a listed one frees a place that a
// later finding takes.
func TestLimiterRemove(t *testing.T) {
	at := func(line int) Finding {
		return Finding{Rule: "mirror", Severity: Warning, Rows: []Pos{{File: "a.csv", Line: line}}, Message: "gap"}
	}
	text := func(line int) string { f := at(line); return f.Text() }
	gone := func(lines ...int) map[string]gone {
		m := map[string]gone{}
		for _, line := range lines {
			m[text(line)] = gone{"mirror", m[text(line)].n + 1, Pos{File: "a.csv", Line: line}}
		}
		return m
	}
	l := newLimiter(2)
	l.add([]Finding{at(1), at(2), at(3), at(4)}) // listed 1, 2; counted 3, 4
	if err := l.removeAll(gone(2, 3)); err == nil || !strings.Contains(err.Error(), "listed mirror finding") {
		t.Errorf("a listed finding whose place a counted one should take was taken back (%v)", err)
	}
	// The counted ones go first, whatever the order of the map.
	l = newLimiter(2)
	l.add([]Finding{at(1), at(2), at(3), at(4)})
	if err := l.removeAll(gone(2, 3, 4)); err != nil {
		t.Fatalf("lines 2, 3 and 4 not taken back: %v", err)
	}
	l.add([]Finding{at(5)})
	var lines []int
	for _, f := range l.findings() {
		lines = append(lines, f.Pos().Line)
		if f.Omitted > 0 {
			t.Errorf("%d counted, want none", f.Omitted)
		}
	}
	if !slices.Equal(lines, []int{1, 5}) {
		t.Errorf("listed at lines %v, want [1 5]", lines)
	}
	// A text twice takes two equal findings, and no more.
	l = newLimiter(5)
	l.add([]Finding{at(1), at(1), at(1), at(2)})
	if err := l.removeAll(gone(1, 1)); err != nil {
		t.Fatalf("line 1 twice not taken back: %v", err)
	}
	lines = nil
	for _, f := range l.findings() {
		lines = append(lines, f.Pos().Line)
	}
	if !slices.Equal(lines, []int{1, 2}) {
		t.Errorf("after taking line 1 back twice, listed at lines %v, want [1 2]", lines)
	}
}

// TestLimiterCutsAtOnce trims a rule's list as soon as a batch of findings
// (a year's) overfills it, so that the next batches know the cut: a list
// of findings of hundreds of rows each is not held twice over.
func TestLimiterCutsAtOnce(t *testing.T) {
	at := func(line int) Finding {
		return Finding{Rule: "groups", Severity: Error, Rows: []Pos{{File: "a.csv", Line: line}}, Message: "sum"}
	}
	l := newLimiter(8)
	var batch []Finding
	for _, line := range []int{90, 10, 80, 20, 70, 30, 60, 40, 50} {
		batch = append(batch, at(line))
	}
	l.add(batch)
	if cut, ok := l.cut["groups"]; !ok || len(l.kept["groups"]) != 8 || cut.Pos().Line != 80 {
		t.Fatalf("after 9 findings of 8: %d kept, cut %v", len(l.kept["groups"]), cut.Rows)
	}
	l.add([]Finding{at(100), at(5)})
	var lines []int
	for _, f := range l.findings() {
		lines = append(lines, f.Pos().Line)
		if f.Omitted > 0 && f.Omitted != 3 {
			t.Errorf("%d counted, want 3", f.Omitted)
		}
	}
	if want := []int{5, 10, 20, 30, 40, 50, 60, 70, 100}; !slices.Equal(lines, want) {
		t.Errorf("listed at lines %v, want %v (the count at 100)", lines, want)
	}
	// A rule's checker that listed as many as the bound and counted the
	// rest fills the list: it is cut too.
	l = newLimiter(2)
	l.add([]Finding{at(20), at(10), {Rule: "groups", Severity: Error, Rows: []Pos{{File: "a.csv", Line: 30}}, Omitted: 4}})
	if cut, ok := l.cut["groups"]; !ok || cut.Pos().Line != 20 {
		t.Errorf("a full list from a checker is not cut at line 20: %v", cut.Rows)
	}
}

// TestLimiterAdoptsRuns checks that a run of a rule's findings taken in as
// the rule's list, without a copy (adopt), leaves the limiter as taking
// them in one by one does: the same findings listed and counted, over
// batches as the years hand them out, in runs of a rule, some ending with
// a count, some with a listed finding after the count, some longer than
// the limiter holds.
func TestLimiterAdoptsRuns(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	rules := []string{"mirror", "turnover", "groups"}
	for round := range 300 {
		max := rng.IntN(12) // 0 lists all
		var batches [][]Finding
		for range 1 + rng.IntN(4) {
			var b []Finding
			for _, rule := range rules {
				if rng.IntN(4) == 0 {
					continue
				}
				for range rng.IntN(25) {
					b = append(b, Finding{Rule: rule, Severity: Severity(rng.IntN(2)), Rows: []Pos{{File: "a.csv", Line: 1 + rng.IntN(200)}}, Message: rule})
				}
				if rng.IntN(3) == 0 {
					b = append(b, Finding{Rule: rule, Severity: Warning, Rows: []Pos{{File: "a.csv", Line: 1 + rng.IntN(200)}}, Omitted: 1 + rng.IntN(5)})
					if rng.IntN(4) == 0 {
						b = append(b, Finding{Rule: rule, Severity: Error, Rows: []Pos{{File: "a.csv", Line: 1 + rng.IntN(200)}}, Message: rule})
					}
				}
			}
			batches = append(batches, b)
		}
		adopting, each := newLimiter(max), newLimiter(max)
		for _, b := range batches {
			adopting.add(slices.Clone(b))
			for _, f := range b {
				each.addEach([]Finding{f})
			}
			each.add(nil) // the trims at the end of a batch
		}
		got, want := adopting.findings(), each.findings()
		if !slices.EqualFunc(got, want, func(a, b Finding) bool {
			return a.Text() == b.Text() && a.Omitted == b.Omitted && a.Severity == b.Severity
		}) {
			t.Fatalf("round %d, max %d: adopting runs listed\n%v\none by one\n%v", round, max, got, want)
		}
	}
}

// limitTo returns the findings of Check(ds, cfg), which bounds the lists as
// it goes, after checking that they are those of all the findings, want,
// bounded afterwards.
func limitTo(t *testing.T, ds *Dataset, want []Finding, cfg *Config) []Finding {
	t.Helper()
	l := newLimiter(cfg.MaxFindings)
	l.add(slices.Clone(want))
	bounded := l.findings()
	diffFindings(t, Check(ds, cfg), bounded)
	return bounded
}

// TestCheckerTrim checks that a rule with many findings in one check keeps
// fewer than held(bound) of them while it runs, and that the lists are
// those of bounding all the findings afterwards.
func TestCheckerTrim(t *testing.T) {
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	for i := range 200 {
		// Turnover that is not exports + imports, every month of 2023
		// for 17 pairs, in an order that is not that of the findings.
		p := []string{"ARM", "RUS", "CHN", "TUR", "DEU", "FRA", "ITA", "USA", "GBR", "JPN", "KOR", "IND", "BRA", "CAN", "AUS", "ESP", "MEX"}[i%17]
		m := 12 - i/17%12
		fmt.Fprintf(&b, "KAZ,%s,exports,2023-%02d,1.0,USD million,BNS\nKAZ,%s,imports,2023-%02d,1.0,USD million,BNS\nKAZ,%s,turnover,2023-%02d,5.0,USD million,BNS\n", p, m, p, m, p, m)
	}
	ds, err := Load(strings.NewReader(b.String()), "t.csv", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	all := Check(ds, nil)
	for _, max := range []int{1, 2, 5, 50} {
		cfg := &Config{MaxFindings: max}
		got := limitTo(t, ds, all, cfg)
		if n := len(got); n == 0 {
			t.Fatalf("max %d: no findings", max)
		}
		c := newChecker(input{figs: [][]fig{figsOf(ds.Obs)}}, cfg, nil)
		c.cur, c.curCfg = RuleInfo{ID: "turnover"}, cfg.rule("turnover")
		checkTurnover(c)
		if len(c.findings) > max || c.skipped == 0 {
			t.Errorf("max %d: %d findings held, %d counted; want at most %d held", max, len(c.findings), c.skipped, max)
		}
	}
}

// TestLateRowsTakeBackFromFullList has a late row take back a listed
// finding of a rule whose checker listed as many as the bound in one year
// and counted the rest: the one to take its place was only counted, so
// CheckStream must not answer with a list one short, and CheckInputs goes
// through the files of the years to list it.
func TestLateRowsTakeBackFromFullList(t *testing.T) {
	head := "reporter,partner,indicator,period,value,unit,source,note\n"
	// Three years with only their first quarter (completeness findings),
	// then, after a row of 2021, the missing quarters of KAZ–ARM's 2020.
	rows := func(third string) string {
		return head +
			"KAZ,ARM,exports,2020,10,USD million,S,\nKAZ,ARM,exports,2020-Q1,1,USD million,S,\n" +
			"KAZ,RUS,exports,2020,10,USD million,S,\nKAZ,RUS,exports,2020-Q1,1,USD million,S,\n" +
			third +
			"KAZ,ARM,exports,2021,5,USD million,S,\n" +
			"KAZ,ARM,exports,2020-Q2,1,USD million,S,\nKAZ,ARM,exports,2020-Q3,1,USD million,S,\nKAZ,ARM,exports,2020-Q4,7,USD million,S,\n"
	}
	for _, tc := range []struct{ name, in string }{
		{"three findings of one year", rows("KAZ,CHN,exports,2020,10,USD million,S,\nKAZ,CHN,exports,2020-Q1,1,USD million,S,\n")},
		{"the third a year later", rows("KAZ,CHN,exports,2021,10,USD million,S,\nKAZ,CHN,exports,2021-Q1,1,USD million,S,\n")},
	} {
		ds, err := Load(strings.NewReader(tc.in), "in.csv", LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		cfg := &Config{MaxFindings: 2}
		want := limitTo(t, ds, Check(ds, nil), cfg)
		if len(want) != 2 || want[0].Rule != "completeness" {
			t.Fatalf("%s: the test needs two completeness findings listed, got %d", tc.name, len(want))
		}
		got, err := CheckStream(strings.NewReader(tc.in), "in.csv", LoadOptions{}, cfg)
		switch {
		case errors.Is(err, ErrNotYearOrder):
		case err != nil:
			t.Fatalf("%s: %v", tc.name, err)
		default:
			diffFindings(t, got.Findings, want)
		}
		got, err = CheckInputs([]Input{{"in.csv", strings.NewReader(tc.in)}}, LoadOptions{}, cfg)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		diffFindings(t, got.Findings, want)
	}
}

// TestKeepFirst checks that keeping the first findings of a list whose
// first part is sorted, by merging, gives what sorting the whole list
// gives, with the others handed to drop, equal findings included.
func TestKeepFirst(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	finding := func() Finding {
		// Few distinct places and messages, so that many are equal.
		return Finding{Rule: "mirror", Rows: []Pos{{File: fmt.Sprintf("f%d.csv", rng.IntN(2)), Line: 2 + rng.IntN(30), Column: 20}},
			Message: fmt.Sprint(rng.IntN(3)), Omitted: rng.IntN(1000)} // Omitted tells equal findings apart
	}
	for round := range 300 {
		max := 1 + rng.IntN(20)
		fs := make([]Finding, max+rng.IntN(3*max))
		for i := range fs {
			fs[i] = finding()
		}
		if round%2 == 0 {
			// A list trimmed before, grown since.
			SortFindings(fs[:max])
		}
		want := slices.Clone(fs)
		SortFindings(want)
		var dropped []Finding
		got := keepFirst(slices.Clone(fs), max, round%2 == 0, func(f *Finding) { dropped = append(dropped, *f) })
		if !slices.EqualFunc(got, want[:max], findingsEqual) {
			t.Fatalf("round %d, max %d of %d: kept\n%v\nwant\n%v", round, max, len(fs), got, want[:max])
		}
		SortFindings(dropped)
		if !slices.EqualFunc(dropped, want[max:], findingsEqual) {
			t.Fatalf("round %d: dropped\n%v\nwant\n%v", round, dropped, want[max:])
		}
	}
}

func findingsEqual(a, b Finding) bool {
	return compareFindings(&a, &b) == 0 && a.Omitted == b.Omitted
}

// TestPackRows packs and unpacks the rows of random findings: files that
// change and come back, lines and columns that go back and forth, up to
// the ends of int. A packed finding has two rows and the same Text; one
// of fewer than packMin rows stays as it is; and the limiter hands
// findings out unpacked.
func TestPackRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	files := []string{"a.csv", "b.csv", "", "données 2024.csv", strings.Repeat("x", 300)}
	ints := []int{0, 1, 2, 3, 127, 128, 1 << 20, math.MaxInt32, math.MaxInt, math.MinInt + 1, -5}
	for i := range 2000 {
		n := 1 + rng.IntN(3*packMin)
		rows := make([]Pos, n)
		line := rng.IntN(1000)
		for j := range rows {
			line += rng.IntN(7) - 2
			rows[j] = Pos{File: files[rng.IntN(len(files))], Line: line, Column: rng.IntN(40)}
			if rng.IntN(10) == 0 {
				rows[j].Line, rows[j].Column = ints[rng.IntN(len(ints))], ints[rng.IntN(len(ints))]
			}
		}
		f := Finding{Rule: "groups", Rows: slices.Clone(rows), Message: "m", Numbers: true, Expected: 1}
		text := f.Text()
		f.pack()
		if f.packed() != (n >= packMin) || f.packed() && len(f.Rows) != 2 || !f.packed() && !slices.Equal(f.Rows, rows) {
			t.Fatalf("case %d: %d rows packed to %d (packed %v)", i, n, len(f.Rows), f.packed())
		}
		if got := f.heldText(); got != text {
			t.Fatalf("case %d: packed, the text is\n%s\nwant\n%s", i, got, text)
		}
		l := newLimiter(10)
		l.add([]Finding{f})
		out := l.findings()
		if len(out) != 1 || !slices.Equal(out[0].Rows, rows) {
			t.Fatalf("case %d: rows out of the limiter\n%v\nwant\n%v", i, out[0].Rows, rows)
		}
	}
}

// TestTextAsGiven renders a caller's finding whose second row looks like
// the mark of a packed one as it is: only the checker's and the
// limiter's own findings are ever unpacked.
func TestTextAsGiven(t *testing.T) {
	for _, tc := range []struct {
		second Pos
		want   string
	}{
		{Pos{File: "b", Line: math.MinInt}, "b:-9223372036854775808"},
		{Pos{File: "\x01\xff", Line: math.MinInt, Column: 3}, "\x01\xff:-9223372036854775808:3"},
		{Pos{Line: math.MinInt, Column: -5}, ":-9223372036854775808:-5"},
	} {
		f := Finding{Rule: "x", Severity: Error, Rows: []Pos{{File: "a", Line: 1}, tc.second}, Message: "m"}
		if got, want := f.Text(), "a:1: error: m; rows "+tc.want+" [x]"; got != want {
			t.Errorf("Text is %q, want %q", got, want)
		}
	}
}

// TestLimiterRemoveLast takes back findings: the counts go to the last
// place of the findings left, kept or counted, as they would had the
// findings never come; and when a counted one goes from the last place
// while others of its rule, whose places are not held, are still counted
// and may come after every finding left, removeAll says so.
func TestLimiterRemoveLast(t *testing.T) {
	at := func(rule string, line int) Finding {
		return Finding{Rule: rule, Severity: Warning, Rows: []Pos{{File: "a.csv", Line: line}}, Message: "m"}
	}
	gone1 := func(f Finding) map[string]gone { return map[string]gone{f.Text(): {f.Rule, 1, f.Pos()}} }
	countsAt := func(l *limiter) []int {
		var lines []int
		for _, f := range l.findings() {
			if f.Omitted > 0 {
				lines = append(lines, f.Pos().Line)
			}
		}
		return lines
	}
	for _, c := range []struct {
		name  string
		add   []Finding
		take  Finding
		want  []int // the lines of the counts
		wrong string
	}{
		{"a listed one of another rule", []Finding{at("mirror", 3), at("mirror", 5), at("turnover", 9)}, at("turnover", 9), []int{5}, ""},
		{"the only counted one of its rule", []Finding{at("mirror", 3), at("mirror", 5), at("turnover", 4), at("turnover", 9)}, at("turnover", 9), []int{5}, ""},
		{"the only counted one", []Finding{at("mirror", 3), at("mirror", 7), at("turnover", 4)}, at("mirror", 7), nil, ""},
		{"a counted one before the last", []Finding{at("mirror", 3), at("mirror", 5), at("mirror", 7)}, at("mirror", 5), []int{7}, ""},
		{"the last counted one of others", []Finding{at("mirror", 3), at("mirror", 5), at("mirror", 7)}, at("mirror", 7), nil, "places of the others of its rule counted"},
		{"the last counted one of others, before the last", []Finding{at("mirror", 3), at("mirror", 5), at("mirror", 7), at("turnover", 9)}, at("mirror", 7), []int{9}, ""},
		{"the last counted one of others, after every kept one", []Finding{at("mirror", 3), at("mirror", 5), at("mirror", 7), at("turnover", 4)}, at("mirror", 7), nil, "places of the others of its rule counted"},
		{"the last counted one of another rule", []Finding{at("mirror", 3), at("mirror", 5), at("mirror", 7), at("turnover", 9), at("turnover", 8)}, at("turnover", 9), []int{8}, ""},
		{"counted past the cut", []Finding{at("mirror", 3), at("mirror", 5), at("mirror", 7), at("turnover", 9)}, at("turnover", 9), []int{7}, ""},
		{"counted by a rule's checker, after listed ones", []Finding{at("mirror", 3), at("turnover", 4), {Rule: "mirror", Severity: Warning, Rows: []Pos{{File: "a.csv", Line: 8}}, Omitted: 4}, at("turnover", 9)}, at("turnover", 9), []int{8}, ""},
		{"counted by a rule's checker", []Finding{at("mirror", 3), {Rule: "mirror", Severity: Warning, Rows: []Pos{{File: "a.csv", Line: 8}}, Omitted: 4}, at("turnover", 9)}, at("turnover", 9), []int{8}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := newLimiter(1)
			l.add(c.add)
			err := l.removeAll(gone1(c.take))
			if c.wrong != "" {
				if err == nil || !strings.Contains(err.Error(), c.wrong) {
					t.Fatalf("removeAll: %v, want an error that says %q", err, c.wrong)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			// As if the finding taken back had never come.
			var rest []Finding
			for _, f := range c.add {
				if f.Text() != c.take.Text() {
					rest = append(rest, f)
				}
			}
			never := newLimiter(1)
			never.add(rest)
			if got, want := countsAt(l), countsAt(never); !slices.Equal(got, want) || !slices.Equal(got, c.want) {
				t.Errorf("counts at lines %v; never come, %v; want %v", got, want, c.want)
			}
		})
	}
}

// TestRemoveAllUnseenRule takes back a finding of a rule the limiter has
// not seen (counted by a rule's checker, say) and then lists one of it:
// the rule is not lost from the list.
func TestRemoveAllUnseenRule(t *testing.T) {
	for _, max := range []int{0, 10} {
		l := newLimiter(max)
		l.add([]Finding{{Rule: "turnover", Severity: Error, Rows: []Pos{{File: "f", Line: 2}}, Message: "a"}})
		g := Finding{Rule: "mirror", Severity: Warning, Rows: []Pos{{File: "f", Line: 5}}, Message: "g"}
		if err := l.removeAll(map[string]gone{g.Text(): {rule: "mirror", n: 1, pos: g.Pos()}}); err != nil {
			t.Errorf("max %d: taking back a finding not listed failed: %v", max, err)
		}
		l.add([]Finding{{Rule: "mirror", Severity: Warning, Rows: []Pos{{File: "f", Line: 7}}, Message: "new"}})
		if fs := l.findings(); len(fs) != 2 {
			t.Errorf("max %d: %d findings, want the turnover one and the mirror one listed after", max, len(fs))
		}
	}
}

// TestSortFindings checks SortFindings against a stable sort by
// compareFindings, on lists with many equal places and equal findings.
func TestSortFindings(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for round := range 300 {
		fs := make([]Finding, rng.IntN(200))
		for i := range fs {
			fs[i] = Finding{Rule: []string{"mirror", "groups"}[rng.IntN(2)],
				Rows:    []Pos{{File: fmt.Sprintf("f%d.csv", rng.IntN(3)), Line: 2 + rng.IntN(40), Column: 1 + rng.IntN(2)}},
				Message: fmt.Sprint(rng.IntN(3)), Omitted: i} // Omitted tells equal findings apart
		}
		want := slices.Clone(fs)
		slices.SortStableFunc(want, func(a, b Finding) int { return compareFindings(&a, &b) })
		SortFindings(fs)
		if !slices.EqualFunc(fs, want, findingsEqual) {
			t.Fatalf("round %d: sorted\n%v\nwant\n%v", round, fs, want)
		}
	}
}

// TestComparePosFar checks that places far apart compare by sign, without
// the overflow of a difference.
func TestComparePosFar(t *testing.T) {
	lo, hi := Pos{File: "a.csv", Line: math.MinInt, Column: 1}, Pos{File: "a.csv", Line: 1 << 32, Column: 1}
	if comparePos(lo, hi) >= 0 || comparePos(hi, lo) <= 0 {
		t.Errorf("comparePos(%v, %v) = %d", lo, hi, comparePos(lo, hi))
	}
	lo, hi = Pos{File: "a.csv", Line: 2, Column: math.MinInt}, Pos{File: "a.csv", Line: 2, Column: math.MaxInt}
	if comparePos(lo, hi) >= 0 || comparePos(hi, lo) <= 0 {
		t.Errorf("comparePos(%v, %v) = %d", lo, hi, comparePos(lo, hi))
	}
}

// TestNoFindingsNil checks that a check without findings gives nil, not an
// empty list.
func TestNoFindingsNil(t *testing.T) {
	for _, max := range []int{0, 10} {
		if fs := newLimiter(max).findings(); fs != nil {
			t.Errorf("limiter(%d).findings() = %#v; want nil", max, fs)
		}
	}
	if fs, err := checkWith(input{}, &Config{MaxFindings: 10}, nil); fs != nil || err != nil {
		t.Errorf("checkWith(no rows) = %#v, %v; want nil, nil", fs, err)
	}
}

// TestSortKept checks that the findings a checker holds come out in the
// order of SortFindings, equal ones in the order they came: held one by
// one (a heap in no particular order) or at once by emitAscending (a
// heap in reverse order, which sortKept reverses).
func TestSortKept(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	for round := range 400 {
		m := 1 + rng.IntN(40)
		fs := make([]Finding, rng.IntN(3*m))
		for i := range fs {
			// Few places and messages, so that many are equal; Omitted
			// tells equal ones apart and the order they came in.
			fs[i] = Finding{Rule: "mirror", Rows: []Pos{{File: "a.csv", Line: 2 + rng.IntN(20), Column: 20}}, Message: fmt.Sprint(rng.IntN(2)), Omitted: i}
		}
		atOnce := round%2 == 0
		if atOnce {
			SortFindings(fs)
		}
		want := slices.Clone(fs)
		SortFindings(want)
		want = want[:min(m, len(want))]
		c := &checker{cfg: &Config{MaxFindings: m}, cur: RuleInfo{ID: "mirror", Severity: Warning}}
		if atOnce && len(fs) <= m {
			c.emitAscending(slices.Clone(fs))
		} else {
			for _, f := range fs {
				c.emit(f)
			}
		}
		c.sortKept()
		if !slices.EqualFunc(c.findings, want, findingsEqual) {
			t.Fatalf("round %d, at most %d of %d, at once %v: got\n%v\nwant\n%v", round, m, len(fs), atOnce, c.findings, want)
		}
	}
}

// BenchmarkLimiterAdd takes in a year's findings as the check of the
// synthetic 1M rows hands out its first: 10,000 mirror findings in order,
// a count of the others, and a few of another rule.
func BenchmarkLimiterAdd(b *testing.B) {
	var year []Finding
	for line := range 10000 {
		year = append(year, Finding{Rule: "mirror", Severity: Warning, Rows: []Pos{{File: "trade.csv", Line: 2 + 3*line, Column: 25}}, Message: "mirror gap"})
	}
	year = append(year, Finding{Rule: "mirror", Severity: Warning, Rows: []Pos{{File: "trade.csv", Line: 999648}}, Omitted: 62489})
	for line := range 38 {
		year = append(year, Finding{Rule: "turnover", Severity: Error, Rows: []Pos{{File: "trade.csv", Line: 4 + 9000*line, Column: 26}}, Message: "turnover"})
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		fs := slices.Clone(year) // the checks hand out a new slice each year
		b.StartTimer()
		newLimiter(10000).add(fs)
	}
}

// TestCompareRows checks that findings alike in all but their rows sort by
// their rows, packed or not (see Finding.pack): the rows of a world
// total's finding are packed while a check holds them.
func TestCompareRows(t *testing.T) {
	rows := func(last int) []Pos {
		var out []Pos
		for i := range packMin + 2 {
			out = append(out, Pos{File: "in.csv", Line: 10 + i, Column: 1})
		}
		out[len(out)-1].Line = last
		return out
	}
	for _, packA := range []bool{false, true} {
		for _, packB := range []bool{false, true} {
			a := Finding{Rule: "groups", Rows: rows(50), Series: "s", Message: "m"}
			b := Finding{Rule: "groups", Rows: rows(40), Series: "s", Message: "m"}
			if packA {
				a.pack()
			}
			if packB {
				b.pack()
			}
			if a.packed() != packA || b.packed() != packB {
				t.Fatalf("packed %v, %v: pack did not pack %d rows", a.packed(), b.packed(), packMin+2)
			}
			if got := compareFindings(&a, &b); got <= 0 {
				t.Errorf("packed %v, %v: compareFindings = %d, want the finding whose last row is at line 40 first", packA, packB, got)
			}
			if got := compareFindings(&b, &a); got >= 0 {
				t.Errorf("packed %v, %v: reversed, compareFindings = %d", packB, packA, got)
			}
			if got := compareFindings(&a, &a); got != 0 {
				t.Errorf("packed %v: a finding against itself: %d", packA, got)
			}
		}
	}
}
