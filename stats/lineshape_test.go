package stats

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestLineShape makes shapes of random lines and matches random lines
// against them: a line that matches must split, as the reader splits it,
// into the fields of the shape's line where the series is read (reporter,
// partner, indicator, unit, source) and into the fields match gives for
// the period, the value and the status, all plain ASCII, the value's
// column being its first byte's.
func TestLineShape(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	// Pieces of fields, the first of them plain ASCII, the others not
	// or not always.
	pieces := []string{"KAZ", "ARM", "", "12.5", "2023-01", "E", `"x,y"`, `"BNS"`, `""`, " ", "x;y", `"B, é"`, "é", `a"b`, `"a""b"`}
	piece := func() string {
		if rng.IntN(8) == 0 {
			return pieces[rng.IntN(len(pieces))]
		}
		return pieces[rng.IntN(11)]
	}
	layouts := []struct {
		header string
		col    [nColumns]int
	}{
		{"reporter,partner,indicator,period,value,unit,source,note",
			[nColumns]int{colReporter: 0, colPartner: 1, colIndicator: 2, colPeriod: 3, colValue: 4, colUnit: 5, colStatus: -1, colSource: 6, colNote: 7}},
		{"value,status,period,source,reporter,note,partner,unit,indicator",
			[nColumns]int{colReporter: 4, colPartner: 6, colIndicator: 8, colPeriod: 2, colValue: 0, colUnit: 7, colStatus: 1, colSource: 3, colNote: 5}},
	}
	matched := 0
	for range 20000 {
		lay := layouts[rng.IntN(len(layouts))]
		delim := []byte{',', ';'}[rng.IntN(2)]
		n := strings.Count(lay.header, ",") + 1
		fields := make([]string, n)
		for i := range fields {
			fields[i] = piece()
		}
		shapeLine := strings.Join(fields, string(delim))
		r := newChunkReader([]byte(shapeLine), delim, 1)
		if r.read() != nil || !r.plain || r.nfields() != n {
			continue
		}
		s := makeShape(r.src, r.begins, r.ends, &lay.col, 0, delim)
		want := make([]string, n) // the fields of the shape's line
		for i := range want {
			want[i] = string(r.field(i))
		}
		// The line matched: the shape's with some fields changed, those
		// of the series seldom, one field too many or too few now and
		// then.
		key := map[int]bool{}
		for _, c := range []int{colReporter, colPartner, colIndicator, colUnit, colSource} {
			key[lay.col[c]] = true
		}
		for i := range fields {
			if key[i] && rng.IntN(30) == 0 || !key[i] && rng.IntN(2) == 0 {
				fields[i] = piece()
			}
		}
		switch rng.IntN(10) {
		case 0:
			fields = append(fields, "x")
		case 1:
			fields = fields[:n-1]
		}
		line := []byte(strings.Join(fields, string(delim)))
		var f [nShapeRoles]span
		if !s.match(line, delim, &f) {
			continue
		}
		matched++
		r = newChunkReader(line, delim, 1)
		if err := r.read(); err != nil {
			t.Fatalf("%q matches the shape of %q, but does not read: %v", line, shapeLine, err)
		}
		if r.nfields() != n || !r.plain || !isASCII(line) {
			t.Fatalf("%q matches the shape of %q, but has %d fields (want %d), plain %v", line, shapeLine, r.nfields(), n, r.plain)
		}
		for _, c := range []int{colReporter, colPartner, colIndicator, colUnit, colSource} {
			if got := string(r.field(lay.col[c])); got != want[lay.col[c]] {
				t.Fatalf("%q matches the shape of %q, but its %s is %q, want %q", line, shapeLine, columnNames[c], got, want[lay.col[c]])
			}
		}
		for role, c := range map[shapeRole]int{shapePeriod: colPeriod, shapeValue: colValue, shapeStatus: colStatus} {
			i := lay.col[c]
			if i < 0 {
				continue
			}
			if got := string(line[f[role].begin:f[role].end]); got != string(r.field(i)) {
				t.Fatalf("%q: match gives its %s as %q, the reader %q", line, columnNames[c], got, r.field(i))
			}
		}
		if got, want := f[shapeValue].begin+1, r.start(lay.col[colValue]).col; got != want {
			t.Fatalf("%q: the value at column %d, the reader says %d", line, got, want)
		}
	}
	t.Logf("%d lines matched their shape", matched)
	if matched < 1000 {
		t.Errorf("%d lines matched their shape: the test reads too few", matched)
	}
}

// TestPeekLine checks that peekLine gives the line that read would read,
// and none where read would not read one: a line longer than
// maxLineBytes, the end of the chunk.
func TestPeekLine(t *testing.T) {
	long := strings.Repeat("x", maxLineBytes+1) + "\n"
	for _, c := range []struct {
		in, line string
		n        int
	}{
		{"a,b\nc,d\n", "a,b", 4},
		{"a,b\r\nc,d\n", "a,b", 5},
		{"a,b\r\r\n", "a,b", 6}, // CR CR LF, as Python writes on Windows
		{"a,b", "a,b", 3},
		{"\n", "", 1},
		{"", "", 0},
		{long, "", 0},
		{long[2:], long[2 : len(long)-1], maxLineBytes},
	} {
		r := newChunkReader([]byte(c.in), ',', 1)
		line, n := r.peekLine()
		if string(line) != c.line || n != c.n {
			t.Errorf("peekLine of %.20q… = %.20q…, %d; want %.20q…, %d", c.in, line, n, c.line, c.n)
		}
		if n == 0 {
			continue
		}
		r.skipLine(n)
		if r.line != 1 || r.bytes != int64(n) || string(r.data) != c.in[n:] {
			t.Errorf("after skipLine(%d) of %.20q…: line %d, %d bytes read, %.20q… left", n, c.in, r.line, r.bytes, r.data)
		}
	}
}

// TestMakeShapeTooLarge checks that a row whose text does not fit in a
// lineShape, or that has more parts than it holds, gets noShape, which no
// line matches.
func TestMakeShapeTooLarge(t *testing.T) {
	col := [nColumns]int{colReporter: 0, colPartner: 1, colIndicator: 2, colPeriod: 3, colValue: 4, colUnit: 5, colStatus: -1, colSource: 6, colNote: 7}
	for name, line := range map[string]string{
		"long source": "KAZ,ARM,exports,2023-01,1.5,USD million," + strings.Repeat("s", maxShapeText) + ",n",
		"text fits":   "KAZ,ARM,exports,2023-01,1.5,USD million," + strings.Repeat("s", maxShapeText-33) + ",n",
		"many notes":  "KAZ,ARM,exports,2023-01,1.5,USD million,BNS" + strings.Repeat(",n", maxShapeParts),
	} {
		r := newChunkReader([]byte(line), ',', 1)
		if err := r.read(); err != nil || !r.plain {
			t.Fatalf("%s: %v", name, err)
		}
		s := makeShape(r.src, r.begins, r.ends, &col, 0, ',')
		var f [nShapeRoles]span
		matched := s.match([]byte(line), ',', &f)
		if fits := name == "text fits"; matched != fits || (s == noShape) == fits {
			t.Errorf("%s: a shape of %d parts matches its own line: %v, want %v", name, s.nparts, matched, fits)
		}
	}
}

// TestLineOfNextTaken checks that the rows of series that come in the
// same order month after month are read by the shape of their line from
// the fourth month on (the second month's rows give each series but the
// first of the month its shape, as the row before predicts it; the
// third's the first): a change that left every line to the reader would
// give the same findings, and only the time would tell.
func TestLineOfNextTaken(t *testing.T) {
	l := monthLoader(t)
	w := l.worker()
	if res := w.parseChunk(rawChunk{data: []byte(monthRows(1) + monthRows(2) + monthRows(3)), line: 2, last: true}); res.err != nil || len(res.figs) != 9 {
		t.Fatalf("January to March: %d figs, %v", len(res.figs), res.err)
	}
	w.cr = newChunkReader([]byte(monthRows(4)), ',', 11)
	for i, ind := range []string{"exports", "imports", "turnover"} {
		if !w.lineOfNext() {
			t.Fatalf("the %s row of April is not read by the shape of its line", ind)
		}
		f := &w.figs[i]
		want := Pos{File: "a.csv", Line: 11 + i, Column: len("KAZ,ARM,"+ind+",2023-04,") + 1}
		if f.Indicator != ind || f.Period.String() != "2023-04" || f.Pos() != want {
			t.Errorf("the %s row of April: %s %v at %v, want %v", ind, f.Indicator, f.Period, f.Pos(), want)
		}
	}
	if w.lineOfNext() {
		t.Error("a line read past the end of the chunk")
	}
}

// monthRows returns the exports, imports and turnover of KAZ with ARM in
// month m of 2023, a row each, in the columns of monthLoader.
func monthRows(m int) string {
	var b strings.Builder
	for _, ind := range []string{"exports", "imports", "turnover"} {
		fmt.Fprintf(&b, "KAZ,ARM,%s,2023-%02d,1.5,USD million,\"BNS, KAZ\",p\n", ind, m)
	}
	return b.String()
}

// monthLoader returns a loader of the rows of monthRows, set up as a
// check a year at a time sets it up, whose workers share one table of
// series.
func monthLoader(t *testing.T) *loader {
	t.Helper()
	const header = "reporter,partner,indicator,period,value,unit,source,note\n"
	l, err := newLoader(strings.NewReader(header), "a.csv", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l.pools, l.wantKeys, l.figTable = newPools(), true, newSeriesTable()
	return l
}

// TestNextShared checks that what series came after each is the parsing
// goroutines' together: a goroutine reads by the shape of their lines
// the rows whose order another learnt, and a chunk's first row, which
// need not follow the goroutine's chunk before, teaches none the jump.
func TestNextShared(t *testing.T) {
	l := monthLoader(t)
	a, b := l.worker(), l.worker()
	if res := a.parseChunk(rawChunk{data: []byte(monthRows(1) + monthRows(2)), line: 2, last: true}); res.err != nil || len(res.figs) != 6 {
		t.Fatalf("January and February: %d figs, %v", len(res.figs), res.err)
	}
	entry := map[string]*seriesEntry{}
	for _, e := range l.figTable.entries {
		entry[e.Indicator] = e
	}
	if got := entry["turnover"].next.Load(); got != entry["exports"] {
		t.Fatalf("after February, turnover is followed by %v, want exports", got)
	}
	// The other goroutine takes March's exports row alone, then reads
	// the rest of March by what the first learnt.
	march := strings.SplitAfter(monthRows(3), "\n")
	if res := b.parseChunk(rawChunk{data: []byte(march[0]), line: 8, last: true}); res.err != nil || len(res.figs) != 1 {
		t.Fatalf("March's exports: %d figs, %v", len(res.figs), res.err)
	}
	b.cr = newChunkReader([]byte(march[1]+march[2]), ',', 9)
	for _, ind := range []string{"imports", "turnover"} {
		if !b.lineOfNext() {
			t.Fatalf("the %s row of March is not read by the shape of its line by the goroutine that did not read February", ind)
		}
		if f := &b.figs[len(b.figs)-1]; f.Indicator != ind {
			t.Errorf("read %s, want %s", f.Indicator, ind)
		}
	}
	// A chunk that begins with April's imports, after the first
	// goroutine's chunk that ended with February's turnover.
	april := strings.SplitAfter(monthRows(4), "\n")
	if res := a.parseChunk(rawChunk{data: []byte(april[1] + april[2]), line: 12, last: true}); res.err != nil || len(res.figs) != 2 {
		t.Fatalf("April's imports and turnover: %d figs, %v", len(res.figs), res.err)
	}
	if got := entry["turnover"].next.Load(); got != entry["exports"] {
		t.Errorf("after a chunk that began with imports, turnover is followed by %s, want exports", got.Indicator)
	}
}

// fieldEndBytewise is plainFieldEnd as lineShape.match first did it, a
// byte at a time: TestMatchWords holds the word-at-a-time scan to it.
func fieldEndBytewise(line []byte, pos int, delim byte) int {
	for ; pos < len(line) && line[pos] != delim; pos++ {
		if b := line[pos]; b == '"' || b >= 0x80 {
			return -1
		}
	}
	return pos
}

// TestMatchWords matches random lines, with fields short and long (past
// the eight bytes plainFieldEnd reads at once), against shapes of random
// lines. The end plainFieldEnd finds for a field starting at any byte of
// a line must be the one a scan a byte at a time finds, which is all that
// the scan eight bytes at a time changed in match; and each varying field
// a match gives must end there.
func TestMatchWords(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"KAZ", "ARM", "", "12.5", "2023-01", "provisional", "12345678.25", "2024-01-15/2024-02-15",
		"Bureau of National Statistics", `"Bureau, KAZ"`, `"x,y"`, "é", "abcdefgé", "abcdefghijé", `abcdefgh"`, "abcdefghij;", "a;b", "\x80",
		"\x00", "abcdefgh\x1f", "a\tb", "abcdefghijk\tl", "\x7f"}
	col := [nColumns]int{colReporter: 0, colPartner: 1, colIndicator: 2, colPeriod: 3, colValue: 4, colUnit: 5, colStatus: 6, colSource: 7, colNote: 8}
	matched, differ := 0, 0
	for range 50000 {
		delim := []byte{',', ';', '\t'}[rng.IntN(3)]
		fields := make([]string, 9)
		for i := range fields {
			fields[i] = pieces[rng.IntN(10)]
		}
		r := newChunkReader([]byte(strings.Join(fields, string(delim))), delim, 1)
		if r.read() != nil || !r.plain || r.nfields() != len(fields) {
			continue
		}
		s := makeShape(r.src, r.begins, r.ends, &col, 0, delim)
		for i := range fields {
			if rng.IntN(3) == 0 {
				fields[i] = pieces[rng.IntN(len(pieces))]
			}
		}
		line := []byte(strings.Join(fields, string(delim)))
		if rng.IntN(10) == 0 {
			line = line[:rng.IntN(len(line)+1)]
		}
		for pos := range len(line) + 1 {
			if got, want := plainFieldEnd(line, pos, delim), fieldEndBytewise(line, pos, delim); got != want {
				t.Fatalf("%q from %d: plainFieldEnd = %d, a byte at a time %d", line, pos, got, want)
			}
		}
		var f [nShapeRoles]span
		if !s.match(line, delim, &f) {
			differ++
			continue
		}
		matched++
		for role, sp := range f {
			if sp != (span{}) && sp.end != fieldEndBytewise(line, sp.begin, delim) {
				t.Fatalf("%q against the shape of %q: field %d is %v, which a byte at a time ends at %d", line, r.src, role, sp, fieldEndBytewise(line, sp.begin, delim))
			}
		}
		if note := f[shapeOther]; ControlAt(line[note.begin:note.end]) >= 0 {
			t.Fatalf("%q matches the shape of %q, with a control character in its note", line, r.src)
		}
	}
	t.Logf("%d lines matched, %d did not", matched, differ)
	if matched < 1000 || differ < 1000 {
		t.Errorf("%d lines matched and %d did not: the test reads too few of one", matched, differ)
	}
}

// BenchmarkLineShapeMatch matches lines of the synthetic files against
// the shape of their series.
func BenchmarkLineShapeMatch(b *testing.B) {
	col := [nColumns]int{colReporter: 0, colPartner: 1, colIndicator: 2, colPeriod: 3, colValue: 4, colUnit: 5, colStatus: -1, colSource: 6, colNote: 7}
	r := newChunkReader([]byte(`KAZ,ARM,exports,1995-01,34.3,USD million,"Bureau of National Statistics, KAZ",provisional`), ',', 1)
	if err := r.read(); err != nil {
		b.Fatal(err)
	}
	s := makeShape(r.src, r.begins, r.ends, &col, 0, ',')
	lines := [][]byte{
		[]byte(`KAZ,ARM,exports,1995-02,134.25,USD million,"Bureau of National Statistics, KAZ",`),
		[]byte(`KAZ,ARM,exports,1995-03,7,USD million,"Bureau of National Statistics, KAZ",provisional`),
	}
	var f [nShapeRoles]span
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if !s.match(lines[i&1], ',', &f) {
			b.Fatal("no match")
		}
	}
}
