package stats

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const inputsHeader = "reporter,partner,indicator,period,value,unit,source\n"

// monthlyRows returns the rows of exports, imports and turnover of the
// pairs of reporters and partners, by month from year from to year to,
// in year order; the turnover adds up.
func monthlyRows(reporters, partners []string, from, to int) []string {
	var rows []string
	for y := from; y <= to; y++ {
		for m := 1; m <= 12; m++ {
			for i, r := range reporters {
				for j, p := range partners {
					ex, im := float64((i*7+j*3+m)%20)+0.5, float64((i*3+j*5+m)%20)+1.0
					rows = append(rows,
						fmt.Sprintf("%s,%s,exports,%d-%02d,%.1f,USD million,S\n", r, p, y, m, ex),
						fmt.Sprintf("%s,%s,imports,%d-%02d,%.1f,USD million,S\n", r, p, y, m, im),
						fmt.Sprintf("%s,%s,turnover,%d-%02d,%.1f,USD million,S\n", r, p, y, m, ex+im))
				}
			}
		}
	}
	return rows
}

// yearOf returns the year of a row of monthlyRows.
func yearOf(row string) string { return strings.Split(row, ",")[3][:4] }

// checkEachWay checks the inputs, texts by name, with CheckInputs when
// they can seek and when they cannot (through the files of the years),
// and with checkStreams, unbounded, in turn whatever their order; each
// must find what Load of each, Dataset.Merge and Check find. It returns
// what CheckInputs gave for inputs that can seek. When inTurn, CheckInputs
// must check those in turn: it runs without a temporary directory.
func checkEachWay(t *testing.T, names, texts []string, cfg *Config, inTurn bool) *Checked {
	t.Helper()
	all := &Dataset{}
	for i, text := range texts {
		ds, err := Load(strings.NewReader(text), names[i], LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		all.Merge(ds)
	}
	want := Check(all, cfg)
	make := func(pipes bool) []Input {
		in := make([]Input, len(texts))
		for i, text := range texts {
			var r io.Reader = strings.NewReader(text)
			if pipes {
				r = struct{ io.Reader }{r}
			}
			in[i] = Input{names[i], r}
		}
		return in
	}
	var first *Checked
	for _, way := range []struct {
		name  string
		check func() (*Checked, error)
	}{
		{"CheckInputs", func() (*Checked, error) {
			if inTurn {
				defer setenv(t, "TMPDIR", filepath.Join(t.TempDir(), "gone"))()
			}
			return CheckInputs(make(false), LoadOptions{}, cfg)
		}},
		{"through the files of the years", func() (*Checked, error) { return CheckInputs(make(true), LoadOptions{}, cfg) }},
		{"in turn", func() (*Checked, error) { return checkStreams(make(false), LoadOptions{}, cfg, false) }},
	} {
		got, err := way.check()
		if err != nil {
			t.Fatalf("%s: %v", way.name, err)
		}
		if got.Observations != len(all.Obs) || got.Rows != all.Rows {
			t.Errorf("%s: %d observations of %d rows, want %d of %d", way.name, got.Observations, got.Rows, len(all.Obs), all.Rows)
		}
		t.Run(way.name, func(t *testing.T) { diffFindings(t, got.Findings, want) })
		if first == nil {
			first = got
		}
	}
	return first
}

// setenv sets the environment variable key to value, and returns what puts
// it back.
func setenv(t *testing.T, key, value string) func() {
	old, had := os.LookupEnv(key)
	if err := os.Setenv(key, value); err != nil {
		t.Fatal(err)
	}
	return func() {
		if had {
			os.Setenv(key, old)
		} else {
			os.Unsetenv(key)
		}
	}
}

// TestCheckInputsInTurn checks inputs that come in year order one after
// another, which CheckInputs checks as it reads them, as if they were one
// file: the findings are those of loading each, merging and checking, and
// no temporary file is needed (TMPDIR is missing).
func TestCheckInputsInTurn(t *testing.T) {
	rows := monthlyRows([]string{"KAZ", "ARM"}, []string{"RUS", "CHN", "KAZ"}, 2021, 2024)
	// The rows of 2023 begin at cut23, and its March at mar23.
	cut23, mar23 := -1, -1
	for i, r := range rows {
		if cut23 < 0 && yearOf(r) == "2023" {
			cut23 = i
		}
		if mar23 < 0 && strings.Contains(r, ",2023-03,") {
			mar23 = i
		}
	}
	join := func(rs ...[]string) string { return inputsHeader + strings.Join(concat(rs...), "") }
	// bad returns row i with the value v.
	bad := func(i int, v string) string {
		f := strings.Split(rows[i], ",")
		f[4] = v
		return strings.Join(f, ",")
	}
	mid := (cut23+len(rows))/2 + 5 // in 2024
	byYear := func() []string {
		var out []string
		year := ""
		for _, r := range rows {
			if y := yearOf(r); y != year {
				out, year = append(out, inputsHeader), y
			}
			out[len(out)-1] += r
		}
		return out
	}()
	// KAZ and ARM report what each exports to and imports from the
	// other, figures that do not mirror each other.
	mirrored := monthlyRows([]string{"KAZ", "ARM"}, []string{"ARM", "KAZ"}, 2022, 2023)
	mirrorCut := len(mirrored) * 3 / 4
	for _, tc := range []struct {
		name  string
		names []string
		texts []string
		late  int // rows that come late, checked in turn
		limit int // Config.MaxFindings
	}{
		{"a file a year", []string{"2021.csv", "2022.csv", "2023.csv", "2024.csv"}, byYear, 0, 0},
		{"a year across two files", []string{"a.csv", "b.csv"},
			[]string{join(rows[:mar23+10]), join(rows[mar23+10:])}, 0, 0},
		{"a turnover of a year across two files that does not add up, late in the second",
			[]string{"a.csv", "b.csv"},
			[]string{join(rows[:mar23+10]), join(rows[mar23+10:], []string{bad(mar23+2, "99.0")})}, 1, 0},
		{"the same, without the row it replaces",
			[]string{"a.csv", "b.csv"},
			[]string{join(rows[:mar23+2]), join(rows[mar23+3:mid], []string{bad(mar23+2, "99.0")}, rows[mid:])}, 1, 0},
		{"an export of the first file's year, late in the second",
			[]string{"a.csv", "b.csv"},
			[]string{join(rows[:cut23]), join(rows[cut23:], []string{strings.Replace(rows[3], "KAZ,RUS", "KAZ,USA", 1)})}, 1, 0},
		{"a year across two files, the second with CRLF line ends", []string{"a.csv", "b.csv"},
			[]string{join(rows[:mar23+10]), strings.ReplaceAll(join(rows[mar23+10:], []string{bad(mar23+2, "99.0")}), "\n", "\r\n")}, 1, 0},
		// The first file's last row, a turnover that the late one
		// repeats, is in the findings: its place is a.csv's.
		{"the first file without a line break at its end", []string{"a.csv", "b.csv"},
			[]string{strings.TrimSuffix(join(rows[:mar23+3]), "\n"), join(rows[mar23+3:], []string{bad(mar23+2, "99.0")})}, 1, 0},
		{"the first file with blank lines at its end", []string{"a.csv", "b.csv"},
			[]string{join(rows[:mar23+3]) + "\n\n\n", join(rows[mar23+3:], []string{bad(mar23+2, "99.0")})}, 1, 0},
		{"two inputs of one name", []string{"x.csv", "x.csv"},
			[]string{join(rows[:cut23]), join(rows[cut23:])}, 0, 0},
		// Mirror gaps on both sides of the cut, the first input's name
		// after the second's: the findings listed are the first by
		// place, those of a.csv, not the first read.
		{"mirror gaps of a year across two files, listed by place", []string{"b.csv", "a.csv"},
			[]string{join(mirrored[:mirrorCut]), join(mirrored[mirrorCut:])}, 0, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &Config{}
			if tc.limit > 0 {
				cfg.MaxFindings = tc.limit
			}
			got := checkEachWay(t, tc.names, tc.texts, cfg, true)
			if got.Late != tc.late {
				t.Errorf("%d rows late, want %d", got.Late, tc.late)
			}
			years := map[string]bool{}
			for _, text := range tc.texts {
				for _, row := range strings.SplitAfter(text, "\n")[1:] {
					if strings.TrimSpace(row) != "" {
						years[yearOf(row)] = true
					}
				}
			}
			if got.Years != len(years) {
				t.Errorf("%d years checked, want %d", got.Years, len(years))
			}
		})
	}
}

// concat returns the rows of every slice, in turn.
func concat(rs ...[]string) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r...)
	}
	return out
}

// TestCheckInputsNotInTurn checks inputs that do not come in year order
// one after another: each of every year (a file per reporter), and the
// years of one after those of the next. Those CheckInputs sees to be so
// at their edges go through the files of the years at once; the others
// are found out as they are read, and go through them after.
func TestCheckInputsNotInTurn(t *testing.T) {
	kaz := monthlyRows([]string{"KAZ"}, []string{"RUS", "CHN"}, 2021, 2023)
	arm := monthlyRows([]string{"ARM"}, []string{"RUS", "KAZ"}, 2021, 2023)
	rows := monthlyRows([]string{"KAZ", "ARM"}, []string{"RUS"}, 2021, 2023)
	third := len(rows) / 3
	for _, tc := range []struct {
		name  string
		texts []string
	}{
		{"a file per reporter", []string{inputsHeader + strings.Join(kaz, ""), inputsHeader + strings.Join(arm, "")}},
		{"the later years first", []string{inputsHeader + strings.Join(rows[third:], ""), inputsHeader + strings.Join(rows[:third], "")}},
		// The first file ends with a row of its first year: its edges
		// look in turn with the second's.
		{"the edges in turn", []string{inputsHeader + strings.Join(rows[third:2*third], "") + rows[0], inputsHeader + strings.Join(rows[2*third:], "") + strings.Join(rows[1:third], "")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkEachWay(t, []string{"a.csv", "b.csv"}, tc.texts, &Config{}, false)
			checkEachWay(t, []string{"a.csv", "b.csv"}, tc.texts, &Config{MaxFindings: 1}, false)
		})
	}
}

// TestInputsInOrder checks what inputsInOrder tells of inputs by the years
// of their first and last rows, and that it leaves each where it stood.
func TestInputsInOrder(t *testing.T) {
	rows := monthlyRows([]string{"KAZ"}, []string{"RUS"}, 2021, 2023)
	third := len(rows) / 3
	text := func(rs []string) string { return inputsHeader + strings.Join(rs, "") }
	first, second, last := text(rows[:third]), text(rows[third:2*third]), text(rows[2*third:])
	quoted := "reporter,partner,indicator,period,value,unit,source,note\nKAZ,RUS,exports,2023-01,1.0,USD million,S,\"a note\nover two lines, 2021-01\"\n"
	for _, tc := range []struct {
		name  string
		texts []string
		want  bool
	}{
		{"one", []string{last}, true},
		{"in turn", []string{first, second, last}, true},
		{"a year across two", []string{text(rows[:third+5]), text(rows[third+5:])}, true},
		{"the last first", []string{last, first}, false},
		{"the middle out of turn", []string{first, last, second}, false},
		{"CRLF", []string{strings.ReplaceAll(last, "\n", "\r\n"), strings.ReplaceAll(first, "\n", "\r\n")}, false},
		{"no rows", []string{inputsHeader, first}, true},
		{"a header alone, no line break", []string{strings.TrimSuffix(inputsHeader, "\n"), first}, true},
		{"a last row that is not one", []string{quoted, first}, true},
		{"UTF-16", []string{"\xff\xfer\x00\n\x00", first}, true},
		{"a last line longer than what is read", []string{last + "KAZ,RUS,exports,2023-01,1.0,USD million," + strings.Repeat("S", peekSize) + "\n", first}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var in []Input
			var bases []int64
			var readers []*countedReader
			for i, text := range tc.texts {
				// Each input read from its second byte, as if something
				// before had been read.
				r := &countedReader{Reader: strings.NewReader("#" + text)}
				r.Seek(1, io.SeekStart)
				readers = append(readers, r)
				in = append(in, Input{fmt.Sprintf("%d.csv", i), r})
				bases = append(bases, 1)
			}
			if got := inputsInOrder(in, bases, LoadOptions{}); got != tc.want {
				t.Errorf("inputsInOrder = %v, want %v", got, tc.want)
			}
			for i, r := range readers {
				if at, _ := r.Seek(0, io.SeekCurrent); at != 1 || r.n > 0 {
					t.Errorf("input %d left at %d after %d bytes read in turn, want 1 after none", i, at, r.n)
				}
			}
		})
	}
}

// countedReader counts the bytes read from it in turn (Read), not those
// read where they are (ReadAt).
type countedReader struct {
	*strings.Reader
	n int
}

func (r *countedReader) Read(p []byte) (int, error) {
	n, err := r.Reader.Read(p)
	r.n += n
	return n, err
}

// TestInputsInOrderSeekOnly checks that inputs that can seek but not be
// read where they are tell inputsInOrder nothing: they are tried in turn.
func TestInputsInOrderSeekOnly(t *testing.T) {
	rows := monthlyRows([]string{"KAZ"}, []string{"RUS"}, 2021, 2022)
	late, early := inputsHeader+strings.Join(rows[len(rows)/2:], ""), inputsHeader+strings.Join(rows[:len(rows)/2], "")
	in := []Input{{"a.csv", struct{ io.ReadSeeker }{strings.NewReader(late)}}, {"b.csv", struct{ io.ReadSeeker }{strings.NewReader(early)}}}
	if !inputsInOrder(in, []int64{0, 0}, LoadOptions{}) {
		t.Error("inputs that cannot be read where they are were told out of turn")
	}
	in[0].R, in[1].R = strings.NewReader(late), strings.NewReader(early)
	if inputsInOrder(in, []int64{0, 0}, LoadOptions{}) {
		t.Error("the later year first was told in turn")
	}
}

// TestCheckInputsInTurnErrors checks the errors of inputs checked in turn:
// they name the input, and one that cannot be read stops the check.
func TestCheckInputsInTurnErrors(t *testing.T) {
	rows := monthlyRows([]string{"KAZ"}, []string{"RUS"}, 2021, 2022)
	good := inputsHeader + strings.Join(rows, "")
	for _, tc := range []struct {
		name, second, want string
		is                 error
	}{
		{"a column missing", "reporter,partner,indicator,value,unit,source\nKAZ,RUS,exports,1.0,USD million,S\n", "b.csv", ErrMissingColumn},
		{"a period across years", inputsHeader + "KAZ,RUS,exports,2022-12/2023-01,1.0,USD million,S\n", "b.csv:2:", ErrNotYearOrder},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CheckInputs([]Input{{"a.csv", strings.NewReader(good)}, {"b.csv", strings.NewReader(tc.second)}}, LoadOptions{}, nil)
			if !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %v naming %s", err, tc.is, tc.want)
			}
		})
	}
}

// TestFileNamePos checks the places of the lines of a file of several
// inputs: each line is its input's, numbered within it.
func TestFileNamePos(t *testing.T) {
	// a.csv has lines 1–10, b.csv none (a header alone would have one),
	// c.csv 1–5, and another a.csv 1–3.
	f := &fileName{parts: []filePart{{"a.csv", 0}, {"b.csv", 10}, {"c.csv", 10}, {"a.csv", 15}}}
	for _, tc := range []struct {
		line int32
		want Pos
	}{
		{1, Pos{File: "a.csv", Line: 1, Column: 7}},
		{10, Pos{File: "a.csv", Line: 10, Column: 7}},
		{11, Pos{File: "c.csv", Line: 1, Column: 7}},
		{15, Pos{File: "c.csv", Line: 5, Column: 7}},
		{16, Pos{File: "a.csv", Line: 1, Column: 7}},
		{99, Pos{File: "a.csv", Line: 84, Column: 7}},
		// A line no input has (a caller's row of line 0 or less) is the
		// first input's.
		{0, Pos{File: "a.csv", Line: 0, Column: 7}},
		{-3, Pos{File: "a.csv", Line: -3, Column: 7}},
	} {
		if got := f.pos(tc.line, 7); got != tc.want {
			t.Errorf("pos(%d) = %v, want %v", tc.line, got, tc.want)
		}
	}
	if got := (&fileName{name: "x.csv"}).pos(4, 2); got != (Pos{File: "x.csv", Line: 4, Column: 2}) {
		t.Errorf("one input: pos(4) = %v", got)
	}
	if f.single() || !(&fileName{parts: f.parts[:1]}).single() {
		t.Error("single() is wrong")
	}
}

// TestOneInput checks when termRows may sort rows by line and column:
// rows of one input at lines of it, whose order is then their places'.
func TestOneInput(t *testing.T) {
	one, other := &fileName{name: "b.csv"}, &fileName{name: "a.csv"}
	joined := &fileName{parts: []filePart{{"b.csv", 0}, {"a.csv", 10}}}
	row := func(f *fileName, line, col int32) *fig {
		return &fig{seriesEntry: &seriesEntry{file: f}, line: line, col: col}
	}
	for _, tc := range []struct {
		name string
		rows []*fig
		want bool
	}{
		{"one input", []*fig{row(one, 9, 3), row(one, 2, 5), row(one, 2, 4)}, true},
		{"two inputs", []*fig{row(one, 9, 3), row(other, 2, 5)}, false},
		// b.csv's line 12 is a.csv's line 2, which sorts first.
		{"inputs joined", []*fig{row(joined, 12, 3), row(joined, 5, 5)}, false},
		{"a line of none", []*fig{row(one, 9, 3), row(one, -1, 0)}, false},
		{"none", nil, false},
	} {
		if got := oneInput(tc.rows); got != tc.want {
			t.Errorf("%s: oneInput = %v, want %v", tc.name, got, tc.want)
		}
		if !tc.want || len(tc.rows) == 0 {
			continue
		}
		byPos := slices.Clone(tc.rows)
		slices.SortFunc(byPos, func(a, b *fig) int { return comparePos(a.Pos(), b.Pos()) })
		byLine := slices.Clone(tc.rows)
		slices.SortFunc(byLine, func(a, b *fig) int { return cmp.Or(cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col)) })
		if !slices.Equal(byPos, byLine) {
			t.Errorf("%s: by line and column the rows sort otherwise than by place", tc.name)
		}
	}
}

// TestJoinFile checks which inputs joinFile makes one file: those laid out
// alike, one after the other, while their lines fit.
func TestJoinFile(t *testing.T) {
	table := newSeriesTable()
	loader := func(name, header string) *loader {
		l, err := newLoader(strings.NewReader(header+"\n"), name, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	other := "reporter,partner,indicator,value,period,unit,source"
	a, b, c, d := loader("a.csv", strings.TrimSuffix(inputsHeader, "\n")), loader("b.csv", strings.TrimSuffix(inputsHeader, "\n")), loader("c.csv", other), loader("d.csv", other)
	joinFile(table, nil, a)
	a.lastLine = 40
	joinFile(table, &fileInput{a, 0}, b)
	if b.file != a.file || b.base != 40 || len(a.file.parts) != 2 {
		t.Errorf("b: file %p base %d, want a's (%p) after its 40 lines, with two parts", b.file, b.base, a.file)
	}
	b.lastLine = 2
	joinFile(table, &fileInput{b, 0}, c)
	if c.file == b.file || c.base != 0 {
		t.Errorf("c, laid out otherwise: file %p base %d, want a file of its own", c.file, c.base)
	}
	c.lastLine = 1 << 30
	joinFile(table, &fileInput{c, 0}, d)
	if d.file == c.file || d.base != 0 {
		t.Errorf("d, after 2^30 lines: file %p base %d, want a file of its own", d.file, d.base)
	}
	if p := a.file.pos(41, 1); p.File != "b.csv" || p.Line != 1 {
		t.Errorf("line 41 of a's file is %v, want b.csv:1", p)
	}
}

// TestCheckInputsProgress checks what LoadOptions.Progress is told of
// several inputs: the bytes read of each input on from those before it,
// never fewer than before within a reading, all of them at the end; in
// turn, and through the years' files.
func TestCheckInputsProgress(t *testing.T) {
	rows := monthlyRows([]string{"KAZ", "ARM"}, []string{"RUS", "CHN"}, 2021, 2023)
	third := len(rows) / 3
	texts := []string{inputsHeader + strings.Join(rows[:third], ""), inputsHeader + strings.Join(rows[third:2*third], ""), inputsHeader + strings.Join(rows[2*third:], "")}
	total := int64(len(texts[0]) + len(texts[1]) + len(texts[2]))
	for _, pipes := range []bool{false, true} {
		var seen []int64
		opts := LoadOptions{Progress: func(read int64) { seen = append(seen, read) }}
		in := inputs([][]byte{[]byte(texts[0]), []byte(texts[1]), []byte(texts[2])}, pipes)
		withChunkSize(t, 1024, func() {
			if _, err := CheckInputs(in, opts, nil); err != nil {
				t.Fatal(err)
			}
		})
		if !slices.IsSorted(seen) || len(seen) == 0 || seen[len(seen)-1] != total {
			t.Errorf("pipes %v: told %v, want counts that grow to %d", pipes, seen, total)
		}
		for _, end := range []int64{int64(len(texts[0])), int64(len(texts[0]) + len(texts[1]))} {
			if !slices.Contains(seen, end) {
				t.Errorf("pipes %v: told %v, without the end of an input at %d", pipes, seen, end)
			}
		}
	}
}

// TestInternTableSpare checks the tables of codes a table of strings keeps
// for the next loader's goroutines: as many as there are cores, handed
// out once each.
func TestInternTableSpare(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	tbl := newInternTable()
	if tbl.takeKnown() != nil {
		t.Fatal("a new table has a spare table of codes")
	}
	a, b, c := new([26 * 26 * 26]interned), new([26 * 26 * 26]interned), new([26 * 26 * 26]interned)
	tbl.leaveKnown(nil)
	for _, k := range []*[26 * 26 * 26]interned{a, b, c} {
		tbl.leaveKnown(k)
	}
	got := []*[26 * 26 * 26]interned{tbl.takeKnown(), tbl.takeKnown(), tbl.takeKnown()}
	if got[0] != b || got[1] != a || got[2] != nil {
		t.Errorf("taken %p %p %p, want %p %p and none (two cores)", got[0], got[1], got[2], b, a)
	}
}
