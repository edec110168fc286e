package stats

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// shuffled returns the rows of a CSV with one-line records in an order
// drawn from seed, the header first.
func shuffled(in []byte, seed uint64) []byte {
	lines := strings.SplitAfter(strings.TrimSuffix(string(in), "\n"), "\n")
	for i := range lines {
		lines[i] = strings.TrimSuffix(lines[i], "\n") + "\n"
	}
	rows := lines[1:]
	rand.New(rand.NewPCG(seed, 9)).Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	return []byte(lines[0] + strings.Join(rows, ""))
}

// spillFile checks the file at path through temporary files of its years.
func spillFile(path string, cfg *Config) (*Checked, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return checkSpilled([]Input{{path, f}}, LoadOptions{}, cfg)
}

// TestCheckFileUnordered checks files whose rows are in no order: through
// the years written to temporary files, the findings are those of Load and
// Check, with every string numbered and with too many strings to number.
func TestCheckFileUnordered(t *testing.T) {
	dir := t.TempDir()
	// The years' files go to a directory of this test's own, so that what
	// other tests write at the same time cannot be taken for a leftover.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	inputs := map[string][]byte{}
	for seed := range uint64(3) {
		inputs[fmt.Sprintf("messy%d", seed)] = shuffled(messy(seed), seed)
	}
	for seed := range uint64(30) {
		rng := rand.New(rand.NewPCG(seed, 5))
		in := randomCSV(rng, randomOpts{late: true, problems: seed%2 == 0})
		inputs[fmt.Sprintf("random%d", seed)] = shuffled(in, seed)
	}
	for _, few := range []bool{false, true} {
		if few {
			old := maxSpillStrings
			maxSpillStrings = 5
			defer func() { maxSpillStrings = old }()
		}
		for name, in := range inputs {
			path := filepath.Join(dir, name+".csv")
			if err := os.WriteFile(path, in, 0o644); err != nil {
				t.Fatal(err)
			}
			ds, err := LoadFile(path, LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := spillFile(path, &Config{})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got.Observations != len(ds.Obs) || got.Rows != ds.Rows {
				t.Errorf("%s: %d observations of %d rows, want %d of %d", name, got.Observations, got.Rows, len(ds.Obs), ds.Rows)
			}
			diffFindings(t, got.Findings, Check(ds, nil))
			limited := &Config{MaxFindings: 2}
			got, err = spillFile(path, limited)
			if err != nil {
				t.Fatal(err)
			}
			diffFindings(t, got.Findings, Check(ds, limited))
			if t.Failed() {
				t.Fatalf("%s (few strings: %v)", name, few)
			}
		}
	}
	// CheckFile takes a few late rows as CheckStream does, and writes the
	// years out when there are more.
	path := filepath.Join(dir, "messy0.csv")
	ds, err := LoadFile(path, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := Check(ds, nil)
	for _, late := range []int{1 << 16, 10} {
		old := maxLate
		maxLate = late
		got, err := CheckFile(path, LoadOptions{}, nil)
		maxLate = old
		if err != nil {
			t.Fatal(err)
		}
		if spilled := late == 10; spilled != (got.Late == 0) {
			t.Errorf("at most %d late rows: %d late rows", late, got.Late)
		}
		diffFindings(t, got.Findings, want)
	}

	// A period across the turn of a year cannot be checked a year at a
	// time, in order or not.
	path = filepath.Join(dir, "span.csv")
	os.WriteFile(path, []byte("reporter,partner,indicator,period,value,unit,source\nKAZ,ARM,exports,2023,1,USD million,BNS\nKAZ,ARM,exports,2022,1,USD million,BNS\nKAZ,ARM,exports,2005/2024,1,USD million,BNS\n"), 0o644)
	if _, err := CheckFile(path, LoadOptions{}, nil); !errors.Is(err, ErrNotYearOrder) || !strings.Contains(err.Error(), "span.csv:4:") {
		t.Fatalf("a span across years: %v", err)
	}
	if entries, err := os.ReadDir(tmp); err != nil || len(entries) > 0 {
		t.Errorf("temporary files were left behind: %v %v", entries, err)
	}
}

// TestSpillRoundTrip writes observations of every kind of field and reads
// them back unchanged; and reads back what DiffInputs compares of each,
// with a figure code that is the same for the rows of a figure (reporter,
// partner and indicator) and for no other, and a source number likewise.
func TestSpillRoundTrip(t *testing.T) {
	ds, err := Load(bytes.NewReader(messy(7)), "x.csv", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Years of many segments, decoded side by side.
	defer func(n int) { spillSegment = n }(spillSegment)
	spillSegment = 7
	sp := newSpill()
	sp.dir, sp.names = t.TempDir(), []string{"x.csv"}
	defer sp.close()
	want := map[int][]Observation{}
	for i := range ds.Obs {
		o := &ds.Obs[i]
		o.Note = strings.Repeat("é", i%5)
		if err := sp.write(o, 0); err != nil {
			t.Fatal(err)
		}
		want[o.Period.Year()] = append(want[o.Period.Year()], *o)
	}
	flushSegments(t, sp)
	// One buffer serves every year, as in checkSpilled (see also
	// TestSpillWrittenOut): the rows are compared as each year is read.
	figures := map[uint64]Key{}
	sources := map[uint32]string{}
	var buf []byte
	for _, y := range slices.Sorted(maps.Keys(want)) {
		rows := yearRows{buf: buf}
		if err := sp.read(y, &rows); err != nil {
			t.Fatal(err)
		}
		buf = rows.buf
		w := want[y]
		if !slices.Equal(rows.obs, w) {
			t.Fatalf("%d: %d rows back, want %d, or they differ", y, len(rows.obs), len(w))
		}
		at := 0
		for i := range w {
			code, src, p, v, unit, n, err := sp.decodeFigure(buf[at:])
			if err != nil || p != w[i].Period || v != w[i].Value || unit != w[i].Unit {
				t.Fatalf("%d row %d: %v %v %q, %v; want %v %v %q", y, i, p, v, unit, err, w[i].Period, w[i].Value, w[i].Unit)
			}
			if k, ok := figures[code]; code == 0 || ok && k != w[i].Key() {
				t.Fatalf("%d row %d: figure code %x of %v, which is %v's", y, i, code, w[i].Key(), k)
			}
			figures[code] = w[i].Key()
			if s, ok := sources[src]; ok && s != w[i].Source {
				t.Fatalf("%d row %d: source number %d of %q, which is %q's", y, i, src, w[i].Source, s)
			}
			sources[src] = w[i].Source
			at += n
		}
		if at != len(buf) {
			t.Fatalf("%d: %d bytes decoded of %d", y, at, len(buf))
		}
	}
	keys := map[Key]bool{}
	for _, o := range ds.Obs {
		keys[o.Key()] = true
	}
	if len(figures) != len(keys) {
		t.Errorf("%d figure codes for %d figures", len(figures), len(keys))
	}
	// Strings past the numbered ones are written out: their rows have no
	// figure code, and are still read back.
	defer func(n int) { maxSpillStrings = n }(maxSpillStrings)
	maxSpillStrings = len(sp.strs)
	o := ds.Obs[0]
	o.Partner, o.Period = "new partner", YearOf(1900)
	if err := sp.write(&o, 0); err != nil {
		t.Fatal(err)
	}
	if err := sp.flush(); err != nil {
		t.Fatal(err)
	}
	rows := yearRows{buf: buf}
	err = sp.read(1900, &rows)
	if got := rows.obs; err != nil || len(got) != 1 || got[0] != o {
		t.Fatalf("a row with a string written out: %+v, %v", got, err)
	}
	if c, _, _, _, _, _, err := sp.decodeFigure(rows.buf); err != nil || c != 0 {
		t.Fatalf("a row with a string written out: figure code %d, %v", c, err)
	}
}

// TestSpillWrittenOut reads back years whose strings are all written out,
// through one buffer, and compares the rows once all are read: a string
// that held on to the buffer would have changed.
func TestSpillWrittenOut(t *testing.T) {
	defer func(n int) { maxSpillStrings = n }(maxSpillStrings)
	maxSpillStrings = 0
	sp := newSpill()
	sp.dir, sp.names = t.TempDir(), []string{"x.csv"}
	defer sp.close()
	want := map[int][]Observation{}
	for i := range 300 {
		y := 2020 + i%3
		o := Observation{Reporter: "KAZ", Partner: fmt.Sprintf("P%02d", i%7), Indicator: "exports", Period: MonthOf(y, 1+i%12),
			Value: NewValue(float64(i), 1), Unit: "USD million", Source: "BNS", Note: fmt.Sprintf("note %d of year %d", i, y),
			Pos: Pos{File: "x.csv", Line: i + 2, Column: 20}}
		if err := sp.write(&o, 0); err != nil {
			t.Fatal(err)
		}
		want[y] = append(want[y], o)
	}
	if err := sp.flush(); err != nil {
		t.Fatal(err)
	}
	got := map[int][]Observation{}
	var buf []byte
	for y := 2020; y <= 2022; y++ {
		rows := yearRows{buf: buf}
		if err := sp.read(y, &rows); err != nil {
			t.Fatal(err)
		}
		got[y], buf = rows.obs, rows.buf
	}
	for y, w := range want {
		if !slices.Equal(got[y], w) {
			t.Errorf("%d: the rows read back differ from those written", y)
		}
	}
}

// TestCheckInputs checks several inputs, one of them a stream that cannot
// seek, as loading each, merging and checking does.
func TestCheckInputs(t *testing.T) {
	for seed := range uint64(5) {
		rng := rand.New(rand.NewPCG(seed, 11))
		in := randomCSV(rng, randomOpts{late: seed%2 == 0, problems: true})
		lines := strings.SplitAfter(string(in), "\n")
		head, rows := lines[0], lines[1:]
		// Three parts, each with the header; records are one line each.
		cut1, cut2 := len(rows)/3, 2*len(rows)/3
		parts := []string{head + strings.Join(rows[:cut1], ""), head + strings.Join(rows[cut1:cut2], ""), head + strings.Join(rows[cut2:], "")}
		all := &Dataset{}
		var inputs []Input
		for i, p := range parts {
			name := fmt.Sprintf("part%d.csv", i)
			ds, err := Load(strings.NewReader(p), name, LoadOptions{MaxProblems: 3})
			if err != nil {
				t.Fatal(err)
			}
			all.Merge(ds)
			var r io.Reader = strings.NewReader(p)
			if i == 1 {
				r = io.MultiReader(r) // cannot seek
			}
			inputs = append(inputs, Input{name, r})
		}
		for _, cfg := range []*Config{{}, {MaxFindings: 2}} {
			for i := range inputs {
				if s, ok := inputs[i].R.(io.Seeker); ok {
					s.Seek(0, io.SeekStart)
				} else {
					inputs[i].R = io.MultiReader(strings.NewReader(parts[i]))
				}
			}
			got, err := CheckInputs(inputs, LoadOptions{MaxProblems: 3}, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got.Observations != len(all.Obs) || got.Rows != all.Rows {
				t.Errorf("seed %d: %d observations of %d rows, want %d of %d", seed, got.Observations, got.Rows, len(all.Obs), all.Rows)
			}
			diffFindings(t, got.Findings, Check(all, cfg))
		}
	}
}

// TestFigReaderMoreCores reads a year back as figs after GOMAXPROCS went
// up since the rows were written, as the runtime does when a container's
// processor limit rises: the figs are those parsed, in their order.
func TestFigReaderMoreCores(t *testing.T) {
	defer func(n int) { spillSegment = n }(spillSegment)
	spillSegment = 10
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	for _, p := range []string{"ARM", "RUS", "CHN", "DEU"} {
		for m := 1; m <= 12; m++ {
			for _, ind := range []string{"exports", "imports"} {
				fmt.Fprintf(&b, "KAZ,%s,%s,2020-%02d,%d.5,USD million,S\n", p, ind, m, m)
			}
		}
	}
	ds, err := Load(strings.NewReader(b.String()), "x.csv", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	sp := newSpill()
	sp.dir = t.TempDir()
	defer sp.close()
	table := newSeriesTable()
	if _, _, err := sp.writeFigs(Input{"x.csv", strings.NewReader(b.String())}, LoadOptions{}, table, newInternTable()); err != nil {
		t.Fatal(err)
	}
	if err := sp.flush(); err != nil {
		t.Fatal(err)
	}
	fr := newFigReader(table)
	runtime.GOMAXPROCS(4)
	segs, got := readFigsBack(t, fr, sp, 2020)
	if segs != 10 || !slices.Equal(got, ds.Obs) {
		t.Errorf("%d segments of %d rows; the rows read back differ from those parsed: %v", segs, len(got), got)
	}
}

// obsOfFig returns the observation that f holds: all but its status and
// note, which a fig does not keep.
func obsOfFig(f *fig) Observation {
	return Observation{Reporter: f.Reporter, Partner: f.Partner, Indicator: f.Indicator, Period: f.Period, Value: f.Value(),
		Unit: f.Unit(), Source: f.Source, Pos: f.Pos()}
}

// TestSpillFigsRoundTrip writes the figs of rows of every kind (values not
// valid, intervals, days, units and files other than a series' first) and
// reads them back as they were parsed, a year at a time, from segments
// decoded side by side.
func TestSpillFigsRoundTrip(t *testing.T) {
	defer func(n int) { spillSegment = n }(spillSegment)
	spillSegment = 7
	sp := newSpill()
	sp.dir = t.TempDir()
	defer sp.close()
	table, strs := newSeriesTable(), newInternTable()
	want := map[int][]Observation{}
	for i, in := range [][]byte{messy(7), messy(8)} {
		name := fmt.Sprintf("m%d.csv", i)
		ds, err := Load(bytes.NewReader(in), name, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range ds.Obs {
			o.Status, o.Note = 0, ""
			want[o.Period.Year()] = append(want[o.Period.Year()], o)
		}
		rows, _, err := sp.writeFigs(Input{name, bytes.NewReader(in)}, LoadOptions{}, table, strs)
		if err != nil || rows != ds.Rows {
			t.Fatalf("%s: %d rows, want %d; %v", name, rows, ds.Rows, err)
		}
	}
	flushSegments(t, sp)
	fr := newFigReader(table)
	for _, y := range slices.Sorted(maps.Keys(want)) {
		_, got := readFigsBack(t, fr, sp, y)
		if !slices.Equal(got, want[y]) {
			t.Errorf("%d: %d rows back, want %d, or they differ", y, len(got), len(want[y]))
		}
	}
}

// FuzzSpillDecodeFigs reads arbitrary bytes as a year's figs written out:
// an error, never a panic, and the figs decoded name entries of the table.
func FuzzSpillDecodeFigs(f *testing.F) {
	sp := newSpill()
	sp.dir = f.TempDir()
	table := newSeriesTable()
	if _, _, err := sp.writeFigs(Input{"x.csv", bytes.NewReader(messy(2)[:3000])}, LoadOptions{}, table, newInternTable()); err != nil {
		f.Fatal(err)
	}
	sp.flush()
	for _, sy := range sp.years {
		b, _ := os.ReadFile(sy.f.Name())
		f.Add(b, uint16(sy.rows))
	}
	sp.close()
	all := table.entriesByForm()
	f.Fuzz(func(t *testing.T, in []byte, n uint16) {
		figs, err := decodeFigs(in, int(n), all, nil)
		if err != nil {
			return
		}
		if len(figs) != int(n) {
			t.Fatalf("%d figs decoded, want %d", len(figs), n)
		}
		for i := range figs {
			if e := figs[i].seriesEntry; e == nil || all[e.form] != e || figs[i].Period.IsZero() {
				t.Fatalf("fig %d: %+v", i, figs[i])
			}
		}
	})
}

// flushSegments ends the writing of sp's years, and fails t unless a year
// has three segments or more, to be decoded side by side.
func flushSegments(t *testing.T, sp *spill) {
	t.Helper()
	if err := sp.flush(); err != nil {
		t.Fatal(err)
	}
	segments := 0
	for _, sy := range sp.years {
		segments = max(segments, len(sy.marks)+1)
	}
	if segments < 3 {
		t.Fatalf("at most %d segments in a year: the test decodes too few side by side", segments)
	}
}

// readFigsBack reads year y of sp back with fr, and returns its segments
// and the observations its figs hold (see obsOfFig).
func readFigsBack(t *testing.T, fr *figReader, sp *spill, y int) (int, []Observation) {
	t.Helper()
	segs, err := fr.read(sp, y)
	if err != nil {
		t.Fatal(err)
	}
	var got []Observation
	for _, seg := range segs {
		for i := range seg {
			got = append(got, obsOfFig(&seg[i]))
		}
	}
	return len(segs), got
}

// TestCheckInputsOneName checks two inputs of one name whose columns are
// in different orders, as loading each, merging and checking does: the
// rows of the second are not read by the layout of the first's lines.
func TestCheckInputsOneName(t *testing.T) {
	var a, b strings.Builder
	a.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	for y := 2001; y <= 2004; y++ {
		fmt.Fprintf(&a, "KAZ,RUS,exports,%d,%d.5,USD,S\nKAZ,RUS,imports,%d,1.0,USD,S\n", y, y, y)
	}
	// Read by the layout of the first input's lines, the second's rows
	// would be of 1999 and 1998.
	b.WriteString("reporter,partner,indicator,value,period,unit,source\n")
	b.WriteString("KAZ,RUS,exports,1999,2010,USD,S\nKAZ,RUS,imports,1998,2010,USD,S\n")
	inputs := []string{a.String(), b.String()}
	all := &Dataset{}
	for _, in := range inputs {
		ds, err := Load(strings.NewReader(in), "x.csv", LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		all.Merge(ds)
	}
	years := map[int]bool{}
	for _, o := range all.Obs {
		years[o.Period.Year()] = true
	}
	for _, check := range []func([]Input, LoadOptions, *Config) (*Checked, error){
		checkSpilled,
		func(in []Input, opts LoadOptions, cfg *Config) (*Checked, error) {
			return checkStreams(in, opts, cfg, true)
		},
	} {
		got, err := check([]Input{{"x.csv", strings.NewReader(inputs[0])}, {"x.csv", strings.NewReader(inputs[1])}}, LoadOptions{}, &Config{})
		if err != nil {
			t.Fatal(err)
		}
		// Read in turn by the first's layout, a row of the second would
		// be of 1999, and come late.
		if got.Observations != len(all.Obs) || got.Years != len(years) || got.Late != 0 {
			t.Errorf("%d observations in %d years, %d late, want %d in %d, none late", got.Observations, got.Years, got.Late, len(all.Obs), len(years))
		}
		diffFindings(t, got.Findings, Check(all, nil))
	}
}
