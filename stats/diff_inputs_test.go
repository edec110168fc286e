package stats

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// revisionLines formats revisions with everything they hold, the rows
// they point at included.
func revisionLines(revs []Revision) []string {
	var out []string
	for _, r := range revs {
		line := fmt.Sprintf("%s | %v %v", r.String(), r.Difference, r.Tolerance)
		for _, o := range []*Observation{r.Old, r.New} {
			if o != nil {
				line += fmt.Sprintf(" | %s %+v %s %s %q %c", o.Pos, o.Value, o.Unit, o.Source, o.Note, rune(o.Status+'0'))
			}
		}
		out = append(out, line)
	}
	return out
}

// edited returns in with some of its one-line rows revised, dropped or
// repeated and rows of another release added, drawn from rng.
func edited(rng *rand.Rand, in, other []byte) []byte {
	lines := strings.SplitAfter(string(in), "\n")
	var b strings.Builder
	b.WriteString(lines[0])
	for _, l := range lines[1:] {
		switch rng.IntN(12) {
		case 0:
			continue
		case 1:
			l = strings.Replace(l, "1", "7", 1)
		case 2:
			l = strings.Replace(l, ".", "", 1)
		case 3:
			b.WriteString(strings.Replace(l, "2", "3", 1))
		}
		b.WriteString(l)
	}
	more := strings.SplitAfter(string(other), "\n")
	for _, l := range more[1:] {
		if rng.IntN(4) == 0 {
			b.WriteString(l)
		}
	}
	return []byte(b.String())
}

// TestDiffInputsRandom checks that DiffInputs gives what Diff gives of the
// releases loaded whole, on random releases: revised, dropped, repeated
// and added rows, several files a release, rows out of year order, rows
// that do not parse.
func TestDiffInputsRandom(t *testing.T) {
	seeds := uint64(200)
	if testing.Short() {
		seeds = 30
	}
	compared, revisions := 0, 0
	maxStrings := maxSpillStrings
	defer func() { maxSpillStrings, packedKeyBits = maxStrings, 64 }()
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(seed, 11))
		o := randomOpts{late: rng.IntN(2) == 0, problems: rng.IntN(3) == 0, crlf: rng.IntN(4) == 0}
		old := randomCSV(rng, o)
		cur := edited(rng, old, randomCSV(rng, o))
		if rng.IntN(2) == 0 {
			cur = shuffled(cur, seed)
		}
		// The new release comes as two files: the header and its first
		// rows, then the header and the rest.
		lines := strings.SplitAfter(string(cur), "\n")
		cut := 1 + rng.IntN(len(lines))
		second := lines[0] + strings.Join(lines[min(cut, len(lines)):], "")
		first := strings.Join(lines[:min(cut, len(lines))], "")
		load := func(name, text string) *Dataset {
			ds, err := Load(strings.NewReader(text), name, LoadOptions{})
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			return ds
		}
		oldDS := load("old.csv", string(old))
		newDS := load("new1.csv", first)
		newDS.Merge(load("new2.csv", second))
		tol := Tolerance{}
		if seed%5 == 0 {
			tol = Tolerance{Kind: Absolute, Amount: 0.5}
		}
		// Some strings written out: the figures are found by their text.
		maxSpillStrings = maxStrings
		if seed%4 == 0 {
			maxSpillStrings = int(seed % 7)
		}
		// Figures sorted by their fields, not by numbers packed.
		packedKeyBits = 64
		if seed%3 == 1 {
			packedKeyBits = 0
		}
		want := revisionLines(Diff(oldDS, newDS, tol))
		got, err := DiffInputs([]Input{{"old.csv", bytes.NewReader(old)}},
			[]Input{{"new1.csv", strings.NewReader(first)}, {"new2.csv", strings.NewReader(second)}}, LoadOptions{}, tol)
		if errors.Is(err, ErrNotYearOrder) {
			continue
		}
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if diff := cmp.Diff(want, revisionLines(got.Revisions)); diff != "" {
			t.Fatalf("seed %d: DiffInputs differs from Diff (-Diff +DiffInputs):\n%s", seed, diff)
		}
		if got.Rows != [2]int{oldDS.Rows, newDS.Rows} || len(got.Problems[0]) != len(oldDS.Problems) || len(got.Problems[1]) != len(newDS.Problems) {
			t.Fatalf("seed %d: rows %v and %d+%d problems, want %d %d and %d+%d", seed, got.Rows, len(got.Problems[0]), len(got.Problems[1]),
				oldDS.Rows, newDS.Rows, len(oldDS.Problems), len(newDS.Problems))
		}
		compared++
		revisions += len(want)
	}
	t.Logf("%d of %d seeds compared, with %d revisions", compared, seeds, revisions)
	if compared < int(seeds)*3/4 || revisions < int(seeds) {
		t.Errorf("%d of %d seeds compared, with %d revisions: the test checks too little", compared, seeds, revisions)
	}
}

// TestDiffInputsSpan checks that a period across the turn of a year stops
// DiffInputs with ErrNotYearOrder.
func TestDiffInputsSpan(t *testing.T) {
	const head = "reporter,partner,indicator,period,value,unit,source,note\n"
	old := head + "KAZ,ARM,exports,2023,3,USD million,A,\n"
	cur := head + "KAZ,ARM,exports,2023,3,USD million,A,\nKAZ,ARM,exports,2005/2024,30,USD million,A,\n"
	_, err := DiffInputs([]Input{{"old.csv", strings.NewReader(old)}}, []Input{{"new.csv", strings.NewReader(cur)}}, LoadOptions{}, Tolerance{})
	if !errors.Is(err, ErrNotYearOrder) || !strings.Contains(err.Error(), "new.csv:3:") {
		t.Errorf("err = %v, want ErrNotYearOrder at new.csv:3", err)
	}
}

// TestTempFileErrors checks that CheckInputs and DiffInputs tell when
// their temporary files fail, so that a caller can load the data whole.
func TestTempFileErrors(t *testing.T) {
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "gone"))
	const text = "reporter,partner,indicator,period,value,unit,source,note\nKAZ,ARM,exports,2023,3,USD million,A,\n"
	in := func() []Input { return []Input{{"a.csv", strings.NewReader(text)}, {"b.csv", strings.NewReader(text)}} }
	// Inputs that cannot seek are checked through the temporary files.
	pipes := []Input{{"a.csv", struct{ io.Reader }{strings.NewReader(text)}}, {"b.csv", struct{ io.Reader }{strings.NewReader(text)}}}
	if _, err := CheckInputs(pipes, LoadOptions{}, nil); !errors.Is(err, ErrTempFile) {
		t.Errorf("CheckInputs: %v, want ErrTempFile", err)
	}
	if _, err := DiffInputs(in()[:1], in()[1:], LoadOptions{}, Tolerance{}); !errors.Is(err, ErrTempFile) {
		t.Errorf("DiffInputs: %v, want ErrTempFile", err)
	}
	if !errors.Is(errSpill, ErrTempFile) {
		t.Error("a damaged row read back is not an error of the temporary files")
	}
}

// FuzzDiffInputs checks that DiffInputs gives what Diff gives of two
// releases loaded whole, whatever the releases.
func FuzzDiffInputs(f *testing.F) {
	const head = "reporter,partner,indicator,period,value,unit,source,note\n"
	f.Add([]byte(head+"KAZ,ARM,exports,2023,1.5,USD million,A,\n"), []byte(head+"KAZ,ARM,exports,2023,1.6,USD million,B,\nKAZ,ARM,exports,2023,9,USD million,B,\n"))
	f.Add([]byte(head+"KAZ,ARM,imports,2020-Q1,7829.1,USD thousand,A,\nKAZ,ARM,imports,2020-01-05,1,USD thousand,A,\n"), []byte(head+"KAZ,ARM,imports,2020-Q1,7.8,USD million,A,x\nKAZ,ARM,imports,2020-01/2020-03,,USD thousand,A,\n"))
	rng := rand.New(rand.NewPCG(3, 4))
	for range 4 {
		old := randomCSV(rng, randomOpts{late: true, problems: true})
		f.Add(old, edited(rng, old, randomCSV(rng, randomOpts{})))
	}
	f.Fuzz(func(t *testing.T, old, cur []byte) {
		a, err := Load(bytes.NewReader(old), "old.csv", LoadOptions{})
		if err != nil {
			return
		}
		b, err := Load(bytes.NewReader(cur), "new.csv", LoadOptions{})
		if err != nil {
			return
		}
		want := revisionLines(Diff(a, b, Tolerance{}))
		got, err := DiffInputs([]Input{{"old.csv", bytes.NewReader(old)}}, []Input{{"new.csv", bytes.NewReader(cur)}}, LoadOptions{}, Tolerance{})
		if errors.Is(err, ErrNotYearOrder) {
			return
		}
		if err != nil {
			t.Fatalf("DiffInputs: %v, but Load reads both", err)
		}
		if diff := cmp.Diff(want, revisionLines(got.Revisions)); diff != "" {
			t.Fatalf("DiffInputs differs from Diff (-Diff +DiffInputs):\n%s", diff)
		}
	})
}

// TestFigureRowsSort sorts random figures, with codes of few strings and
// of many, periods of one kind and of several, one source and several,
// repeated figures, and
// enough of them to be sorted by radix, and compares their order with a
// sort by their fields, packed and not. Every other case sorts with the
// figureRows of the one two before, as a year's do after the year before.
func TestFigureRowsSort(t *testing.T) {
	defer func() { packedKeyBits = 64 }()
	rng := rand.New(rand.NewPCG(3, 4))
	years := [2]*figureRows{{}, {}}
	for n := range 300 {
		ids := uint64(2 + rng.IntN(1<<(1+n%21)))
		periods := 1 + rng.IntN(20)
		sources := 1 + rng.IntN(4)
		fr := &figureRows{}
		if n%2 == 1 {
			fr = years[n/2%2]
			fr.figs = fr.figs[:0]
		}
		rows := rng.IntN(400)
		if n%4 < 2 {
			rows = minRadixSort + rng.IntN(4*minRadixSort) // sorted by radix
		}
		for i := range rows {
			id := func() uint64 { return 2 + rng.Uint64N(ids) }
			p := MonthOf(2020, 1+rng.IntN(12))
			if periods > 12 {
				p = Period{Day, int32(rng.IntN(periods)), int32(rng.IntN(periods))}
				p.end = max(p.start, p.end)
			}
			fr.figs = append(fr.figs, codedFigure{figureCode(id(), id(), id()), packPeriod(p), int32(i), uint32(rng.IntN(sources))})
			if i > 0 && rng.IntN(10) == 0 {
				f := fr.figs[rng.IntN(i)]
				f.row = int32(i)
				fr.figs[i] = f
			}
		}
		figs := fr.figs
		want := slices.Clone(figs)
		slices.SortStableFunc(want, func(a, b codedFigure) int {
			switch {
			case a.code != b.code:
				return compareUint(a.code, b.code)
			case a.period != b.period:
				return compareUint(a.period, b.period)
			default:
				return compareUint(uint64(a.source), uint64(b.source))
			}
		})
		for _, bits := range []int{64, 0} {
			packedKeyBits = bits
			fr.figs = slices.Clone(figs)
			fr.sort()
			if !slices.Equal(fr.figs, want) {
				t.Fatalf("case %d (%d strings, %d rows), keys of %d bits: sorted wrongly", n, ids, len(want), bits)
			}
		}
	}
}

func compareUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
