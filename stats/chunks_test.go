package stats

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// withChunkSize runs f with the input cut into chunks of n bytes.
func withChunkSize(t testing.TB, n int, f func()) {
	t.Helper()
	old := chunkSize
	chunkSize = n
	defer func() { chunkSize = old }()
	f()
}

// loadChunked loads in with chunks of n bytes and returns the dataset or
// the error as text, for comparison.
func loadChunked(t testing.TB, in []byte, n int) string {
	var out string
	withChunkSize(t, n, func() {
		ds, err := Load(bytes.NewReader(in), "in.csv", LoadOptions{MaxProblems: 5})
		if err != nil {
			out = "error: " + err.Error()
			return
		}
		var b strings.Builder
		fmt.Fprintf(&b, "rows %d\n", ds.Rows)
		for _, o := range ds.Obs {
			fmt.Fprintf(&b, "%+v\n", o)
		}
		for _, p := range ds.Problems {
			fmt.Fprintf(&b, "%s\n", p)
		}
		out = b.String()
	})
	return out
}

// TestChunkBoundaries loads every fixture, and files whose quoted fields
// hold line breaks, with the input cut into chunks of many sizes: the
// dataset, the problems and the errors must not depend on where the cuts
// fall.
func TestChunkBoundaries(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "load", "*.csv"))
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string][]byte{}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(name)] = b
	}
	var multi strings.Builder
	multi.WriteString("reporter,partner,indicator,period,value,unit,source,note\n")
	for i := range 40 {
		fmt.Fprintf(&multi, "KAZ,ARM,exports,%d,%d.5,USD million,\"BNS,\nKAZ\",\"a \"\"note\"\"\n\non three lines\"\n", 1990+i, i)
		fmt.Fprintf(&multi, "KAZ,ARM,imports,%d,x%d,USD million,BNS,\n\n", 1990+i, i)
	}
	inputs["multiline"] = []byte(multi.String())
	inputs["multiline_unclosed"] = []byte(multi.String() + "KAZ,ARM,exports,2031,1,USD million,\"BNS\n" + strings.Repeat("KAZ,ARM,exports,2031,1,USD million,BNS\n", 20))
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			want := loadChunked(t, in, 4<<20)
			for _, n := range []int{1, 2, 3, 5, 8, 13, 31, 64, 100, 257} {
				if got := loadChunked(t, in, n); got != want {
					t.Fatalf("chunks of %d bytes:\n%s\nwant (one chunk):\n%s", n, got, want)
				}
			}
		})
	}
}

// TestChunkProblemsLimit checks that the limit on problems holds across
// chunks, and that the last problem counts the rest.
func TestChunkProblemsLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	for i := range 50 {
		fmt.Fprintf(&b, "KAZ,ARM,exports,2023,bad%d,USD million,BNS\n", i)
	}
	withChunkSize(t, 64, func() {
		ds, err := Load(strings.NewReader(b.String()), "p.csv", LoadOptions{MaxProblems: 7})
		if err != nil {
			t.Fatal(err)
		}
		if len(ds.Problems) != 8 || ds.Rows != 50 {
			t.Fatalf("%d problems, %d rows; want 7 and a count, 50 rows", len(ds.Problems), ds.Rows)
		}
		last := ds.Problems[7]
		if want := "and 43 more problems not listed"; !strings.Contains(last.Error(), want) || last.Line != 51 {
			t.Fatalf("last problem %q at line %d, want %q at line 51", last, last.Line, want)
		}
		for i, p := range ds.Problems[:7] {
			if p.Line != i+2 {
				t.Fatalf("problem %d at line %d, want %d", i, p.Line, i+2)
			}
		}
	})
}

// TestChunkEqualsObservations compares a large synthetic file loaded in
// one piece and in many.
func TestChunkEqualsObservations(t *testing.T) {
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	for i := range 5000 {
		fmt.Fprintf(&b, "KAZ,ARM,exports,%04d-%02d,%d.%d,USD million,\"BNS, KAZ\"\n", 1990+i/12, i%12+1, i, i%10)
	}
	in := []byte(b.String())
	var whole, pieces *Dataset
	withChunkSize(t, 4<<20, func() { whole, _ = Load(bytes.NewReader(in), "x.csv", LoadOptions{}) })
	withChunkSize(t, 1000, func() { pieces, _ = Load(bytes.NewReader(in), "x.csv", LoadOptions{}) })
	if len(whole.Obs) != 5000 || !reflect.DeepEqual(whole, pieces) {
		t.Fatalf("datasets differ: %d and %d observations", len(whole.Obs), len(pieces.Obs))
	}
}

// TestObservationSize pins the bytes of an Observation: a check holds a
// year of them, 360,000 for the 10M-row benchmark file, and a field added
// or moved carelessly grows every one.
func TestObservationSize(t *testing.T) {
	if n := unsafe.Sizeof(Observation{}); n > 168 {
		t.Errorf("an Observation takes %d bytes, want at most 168", n)
	}
}

// TestFigsLineBound refuses rows past line 2,147,483,647 when the loader
// makes figs, which keep their line in 32 bits, rather than number them
// wrong.
func TestFigsLineBound(t *testing.T) {
	const header = "reporter,partner,indicator,period,value,unit,source\n"
	const row = "KAZ,ARM,exports,2023,1.5,USD million,BNS\n"
	for _, tc := range []struct {
		line int
		bad  bool
	}{{math.MaxInt32 - 1, false}, {math.MaxInt32, true}} {
		l, err := newLoader(strings.NewReader(header), "big.csv", LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		l.pools, l.wantKeys, l.figTable = newPools(), true, newSeriesTable()
		res := l.worker().parseChunk(rawChunk{data: []byte(row + row), line: tc.line, last: true})
		if got := res.err != nil && strings.Contains(res.err.Error(), "more than 2147483647 lines"); got != tc.bad {
			t.Errorf("rows from line %d: error %v, want one: %v", tc.line, res.err, tc.bad)
		}
		if !tc.bad && (len(res.figs) != 2 || res.figs[1].Pos().Line != math.MaxInt32) {
			t.Errorf("rows from line %d: %d figs, the last at line %d", tc.line, len(res.figs), res.figs[len(res.figs)-1].Pos().Line)
		}
	}
}

// TestRawPoolHoldsInFlight cuts an input into many chunks and holds as
// many of them as a scan does at most, then gives them all back at once,
// as a scan does when its sink was held up by the check of a year: the
// pool must hand the same buffers round, never making more than are held
// at once.
func TestRawPoolHoldsInFlight(t *testing.T) {
	var in bytes.Buffer
	for i := range 20000 {
		fmt.Fprintf(&in, "KAZ,ARM,exports,%d,%d.5,USD million,BNS\n", 1990+i%30, i)
	}
	for _, workers := range []int{1, 2, 8} {
		t.Run(fmt.Sprint(workers), func(t *testing.T) {
			withChunkSize(t, 4096, func() {
				pl := &pools{raw: make(chan []byte, rawInFlight(workers))}
				var held [][]byte
				made := map[*byte]bool{}
				chunks := 0
				err := cut(bytes.NewReader(in.Bytes()), 2, 0, nil, pl, func(c rawChunk) bool {
					chunks++
					made[unsafe.SliceData(c.data)] = true
					held = append(held, c.data)
					if len(held) == rawInFlight(workers)-1 { // and one being filled
						for _, b := range held {
							pl.putRaw(b)
						}
						held = held[:0]
					}
					return true
				})
				if err != nil {
					t.Fatal(err)
				}
				if chunks < 100 {
					t.Fatalf("%d chunks; the test wants many", chunks)
				}
				if len(made) > rawInFlight(workers) {
					t.Errorf("%d buffers made for %d chunks, holding at most %d", len(made), chunks, rawInFlight(workers))
				}
			})
		})
	}
}
