package stats_test

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tradedesk/report/stats"
)

// problem is an expected row-level problem: where, what kind, which hint.
type problem struct {
	line, col int
	kind      error
	hint      string
}

func TestLoadCorpus(t *testing.T) {
	tests := []struct {
		file      string
		opts      stats.LoadOptions
		wantObs   int
		wantFatal *problem
		want      []problem
	}{
		{file: "valid.csv", wantObs: 3},
		{file: "sdmx.csv", wantObs: 2},
		// SDMX's UNIT_MULT scales UNIT_MEASURE (see TestUnitMult).
		{file: "unit_mult.csv", wantObs: 4, want: []problem{
			{6, 43, stats.ErrUnitMult, `"2"`},
			{7, 51, stats.ErrUnitMult, "has a scale already"},
		}},
		{file: "missing_ok.csv", wantObs: 2},
		{file: "bom_crlf_quoted.csv", wantObs: 1, want: []problem{
			// The record on lines 2–3 has a quoted comma, doubled quotes and
			// a line break; the Cyrillic text before the bad value counts
			// in characters, and the BOM does not count.
			{4, 40, stats.ErrBadNumber, "footnote"},
		}},
		{file: "windows1251.csv", opts: stats.LoadOptions{Encoding: "windows-1251"}, wantObs: 1},
		{file: "utf16.csv", opts: stats.LoadOptions{Encoding: "utf-16"}, wantObs: 1},
		{file: "semicolon.csv", opts: stats.LoadOptions{Delimiter: ';'}, want: []problem{
			{2, 22, stats.ErrBadNumber, "decimal comma"},
		}},
		{file: "decimal_comma.csv", wantObs: 2, want: []problem{{3, 22, stats.ErrBadNumber, "decimal comma? write 19.8"}}},
		{file: "decimal_comma_unquoted.csv", wantObs: 2, want: []problem{{3, 44, stats.ErrFieldCount, "write 19.8"}}},
		{file: "thousands.csv", want: []problem{{2, 22, stats.ErrBadNumber, "write 1435 or 1.435"}}},
		{file: "thousands_space.csv", want: []problem{{2, 22, stats.ErrBadNumber, "thousands separator"}}},
		{file: "footnote.csv", wantObs: 2, want: []problem{{4, 23, stats.ErrBadNumber, "footnote mark? write 53.1"}}},
		{file: "missing_marker.csv", want: []problem{
			{2, 22, stats.ErrBadNumber, "status M"},
			{3, 22, stats.ErrBadNumber, "status M"},
			{4, 23, stats.ErrBadNumber, "status M"},
			{5, 22, stats.ErrBadNumber, "status M"},
		}},
		{file: "unknown_indicator.csv", want: []problem{{2, 9, stats.ErrUnknownIndicator, `did you mean "exports"`}}},
		{file: "bad_period.csv", want: []problem{
			{2, 17, stats.ErrBadPeriod, "2024-Q3"},
			{3, 17, stats.ErrBadPeriod, "2024-07"},
			{4, 17, stats.ErrBadPeriod, "01 to 12"},
		}},
		{file: "bad_code.csv", want: []problem{
			{2, 1, stats.ErrBadCode, "write it as KAZ"},
			{3, 5, stats.ErrBadCode, "alpha-3 code ARM"},
			{4, 5, stats.ErrBadCode, "unknown economy code"},
		}},
		// Codes are looked up again after they were seen valid or not:
		// a bad one stays bad, and one allowed by Codes is found in either
		// column.
		{file: "codes_again.csv", opts: stats.LoadOptions{Codes: []string{"QZZ"}}, wantObs: 4, want: []problem{
			{3, 5, stats.ErrBadCode, "unknown economy code"},
			{4, 1, stats.ErrBadCode, "unknown economy code"},
			{8, 5, stats.ErrBadCode, "unknown economy code"},
			{9, 5, stats.ErrBadCode, "write it as KAZ"},
		}},
		{file: "bad_status.csv", want: []problem{
			{2, 39, stats.ErrBadStatus, "use A"},
			{3, 39, stats.ErrBadStatus, "has a value"},
		}},
		{file: "missing_unit.csv", want: []problem{{2, 27, stats.ErrMissingField, "unit"}}},
		{file: "too_many_fields.csv", want: []problem{{2, 49, stats.ErrFieldCount, "10 fields, the header 9"}}},
		{file: "too_few_fields.csv", want: []problem{{2, 17, stats.ErrFieldCount, "4 fields, the header 9"}}},
		{file: "bare_quote.csv", wantObs: 1, want: []problem{{2, 48, stats.ErrQuote, "quote the whole field"}}},
		{file: "empty.csv", wantFatal: &problem{1, 0, stats.ErrEmpty, "header row"}},
		// A header alone: a check of it passed on nothing.
		{file: "header_only.csv", want: []problem{{2, 0, stats.ErrEmpty, "no data rows"}}},
		{file: "no_header.csv", wantFatal: &problem{1, 1, stats.ErrNoHeader, "header row"}},
		{file: "missing_column.csv", wantFatal: &problem{1, 0, stats.ErrMissingColumn, `"unit"`}},
		{file: "duplicate_column.csv", wantFatal: &problem{1, 53, stats.ErrDuplicateColumn, "OBS_VALUE"}},
		{file: "semicolon.csv", wantFatal: &problem{1, 1, stats.ErrDelimiter, "--delimiter ';'"}},
		{file: "windows1251.csv", wantFatal: &problem{2, 40, stats.ErrEncoding, "windows-1251"}},
		{file: "utf16.csv", wantFatal: &problem{1, 1, stats.ErrEncoding, "utf-16"}},
		{file: "unclosed_quote.csv", wantFatal: &problem{2, 44, stats.ErrQuote, "not closed"}},
		// Lines that end in a carriage return alone are one line: the
		// header, or a row with the rows after it.
		{file: "lone_cr.csv", wantFatal: &problem{1, 52, stats.ErrLineEnding, "LF or CRLF"}},
		// CR CR LF, as Python's csv module writes on Windows, is a line end.
		{file: "crcrlf.csv", wantObs: 2},
		// A quoted field before such a line end, which would otherwise
		// be text after its closing quote.
		{file: "lone_cr_quoted.csv", wantFatal: &problem{1, 64, stats.ErrLineEnding, "LF or CRLF"}},
		{file: "lone_cr_quoted_rows.csv", want: []problem{{2, 41, stats.ErrLineEnding, "LF or CRLF"}}},
		{file: "lone_cr_rows.csv", want: []problem{{2, 47, stats.ErrFieldCount, "carriage return alone"}}},
		// A control character in a unit, a source or a note is a problem
		// of its field; a tab is text.
		{file: "control.csv", wantObs: 2, want: []problem{
			{2, 36, stats.ErrControl, "character 2 of the field is a control character (U+0000)"},
			{3, 24, stats.ErrControl, "(U+0001)"},
			{4, 40, stats.ErrControl, "(U+001B)"},
		}},
		// Releases compared read a note as it is.
		{file: "control.csv", opts: stats.LoadOptions{NotesAsIs: true}, wantObs: 3, want: []problem{
			{2, 36, stats.ErrControl, "(U+0000)"},
			{3, 24, stats.ErrControl, "(U+0001)"},
		}},
		{file: "utf16le_nobom.csv", wantFatal: &problem{1, 2, stats.ErrEncoding, "--encoding utf-16le"}},
		{file: "utf16be_nobom.csv", wantFatal: &problem{1, 1, stats.ErrEncoding, "--encoding utf-16be"}},
		{file: "utf16le_nobom.csv", opts: stats.LoadOptions{Encoding: "utf-16le"}, wantObs: 1},
		{file: "valid.csv", opts: stats.LoadOptions{Delimiter: ';'}, wantFatal: &problem{1, 1, stats.ErrDelimiter, "comma-separated; use --delimiter ','"}},
	}
	for _, tc := range tests {
		name := strings.TrimSuffix(tc.file, ".csv")
		if tc.opts.Encoding != "" || tc.opts.Delimiter != 0 {
			name += "/with-options"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join("testdata", "load", tc.file)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			ds, err := stats.LoadFile(path, tc.opts)
			if tc.wantFatal != nil {
				var pe *stats.ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("LoadFile(%s) error = %v; want a *ParseError", tc.file, err)
				}
				checkProblem(t, pe, *tc.wantFatal)
				return
			}
			if err != nil {
				t.Fatalf("LoadFile(%s): %v", tc.file, err)
			}
			if len(ds.Obs) != tc.wantObs {
				t.Errorf("LoadFile(%s) kept %d observations; want %d", tc.file, len(ds.Obs), tc.wantObs)
			}
			if len(ds.Problems) != len(tc.want) {
				t.Fatalf("LoadFile(%s) found %d problems %v; want %d", tc.file, len(ds.Problems), ds.Problems, len(tc.want))
			}
			for i, p := range ds.Problems {
				checkProblem(t, p, tc.want[i])
			}
			after, _ := os.ReadFile(path)
			if !slices.Equal(before, after) {
				t.Errorf("LoadFile(%s) modified its input", tc.file)
			}
		})
	}
}

func checkProblem(t *testing.T, pe *stats.ParseError, want problem) {
	t.Helper()
	if pe.Line != want.line || pe.Column != want.col || !errors.Is(pe, want.kind) {
		t.Errorf("problem %v at %d:%d; want %v at %d:%d", pe, pe.Line, pe.Column, want.kind, want.line, want.col)
	}
	if !strings.Contains(pe.Error(), want.hint) {
		t.Errorf("problem %q lacks the hint %q", pe, want.hint)
	}
}

func TestLoadKeepsPrecisionAndPosition(t *testing.T) {
	in := "period,value,indicator,reporter,partner,unit,source\n" +
		"2023,33.30,exports,KAZ,ARM,USD million,BNS\n" +
		"2024-01/2024-07,,imports,KAZ,ARM,USD million,BNS\n"
	ds, err := stats.Load(strings.NewReader(in), "x.csv", stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Obs) != 2 {
		t.Fatalf("got %d observations; want 2", len(ds.Obs))
	}
	o := ds.Obs[0]
	if o.Value.Decimals != 2 || o.Value.String() != "33.30" || o.Pos != (stats.Pos{File: "x.csv", Line: 2, Column: 6}) {
		t.Errorf("first observation = %+v; want 33.30 with 2 decimals at x.csv:2:6", o)
	}
	m := ds.Obs[1]
	if m.Value.Valid || m.Status != stats.Missing || m.Period.String() != "2024-01/2024-07" {
		t.Errorf("second observation = %+v; want a missing value with status M", m)
	}
}

// TestLoadColumnsCountCharacters checks that positions count characters,
// not bytes, after quoted fields of Cyrillic and Kazakh text, on one line
// and across the lines of a field with a line break.
func TestLoadColumnsCountCharacters(t *testing.T) {
	const header = "note,reporter,partner,indicator,period,value,unit,source\n"
	tests := []struct {
		name, row string
		line, col int
	}{
		{"ASCII", `"as quoted, 2024",KAZ,ARM,exports,2023,33.3,USD million,BNS`, 2, 40},
		{"Cyrillic", `"Қазақстан, 2024",KAZ,ARM,exports,2023,33.3,USD million,BNS`, 2, 40},
		{"Cyrillic after a line break", "\"as quoted\nҚазақстан, 2024\",KAZ,ARM,exports,2023,33.3,USD million,BNS", 3, 39},
		{"Cyrillic before a line break", "\"Қазақстан\nas quoted, 2024\",KAZ,ARM,exports,2023,33.3,USD million,BNS", 3, 39},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := stats.Load(strings.NewReader(header+tt.row+"\n"), "x.csv", stats.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(ds.Obs) != 1 {
				t.Fatalf("%d observations, problems %v", len(ds.Obs), ds.Problems)
			}
			if p := ds.Obs[0].Pos; p.Line != tt.line || p.Column != tt.col {
				t.Errorf("value at %d:%d, want %d:%d", p.Line, p.Column, tt.line, tt.col)
			}
		})
	}
}

// TestLongLines reads a line of a long note, and one past the limit, whole
// and a year at a time, whose parsers read lines from a buffer and from
// chunks of the file in memory.
func TestLongLines(t *testing.T) {
	const header = "reporter,partner,indicator,period,value,unit,source,note\n"
	row := func(note int) string {
		return "KAZ,ARM,exports,2023,1,USD million,BNS," + strings.Repeat("x", note) + "\n"
	}
	read := map[string]func(in string) error{
		"Load": func(in string) error {
			_, err := stats.Load(strings.NewReader(in), "long.csv", stats.LoadOptions{})
			return err
		},
		"CheckStream": func(in string) error {
			_, err := stats.CheckStream(strings.NewReader(in), "long.csv", stats.LoadOptions{}, nil)
			return err
		},
	}
	for name, read := range read {
		// 100 kB is past the reader's buffer, and under the limit.
		if err := read(header + row(100<<10) + row(3)); err != nil {
			t.Errorf("%s of a 100 kB line: %v", name, err)
		}
		err := read(header + row(3) + row(2<<20) + row(3))
		var pe *stats.ParseError
		if !errors.As(err, &pe) || !errors.Is(err, stats.ErrLineTooLong) || pe.Line != 3 {
			t.Errorf("%s of a 2 MiB line = %v; want ErrLineTooLong at line 3", name, err)
		}
	}
}

// TestPosString formats a place as file:line:column, leaving out what is
// zero.
func TestPosString(t *testing.T) {
	for _, tc := range []struct {
		p    stats.Pos
		want string
	}{
		{stats.Pos{File: "trade.csv", Line: 4, Column: 23}, "trade.csv:4:23"},
		{stats.Pos{File: "trade.csv", Line: 1234567}, "trade.csv:1234567"},
		{stats.Pos{File: "trade.csv"}, "trade.csv"},
		{stats.Pos{Line: 2, Column: 1}, ":2:1"},
		{stats.Pos{}, ""},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%#v: %q, want %q", tc.p, got, tc.want)
		}
	}
}

// TestLoadPeriodRuns reads periods in runs, alone, alternating, of every
// kind and length (the loader reuses the period of the row before when
// its text is the same): each row has the period its text gives.
func TestLoadPeriodRuns(t *testing.T) {
	texts := []string{"2023", "2023-01", "2023-01", "2023-01", "2023-02", "2023-01", "2023-Q1", "2023-M01",
		"2023-01-15", "2023-01-15/2023-12-31", "2023-01-15/2023-12-31", "2005/2024", "2005/2023", "2023-1",
		"2023", "2023-01-15/2023-12-31X", "2023-01-15/2023-12-31", "2024"}
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	for _, p := range texts {
		b.WriteString("KAZ,ARM,exports," + p + ",1.5,USD million,BNS\n")
	}
	ds, err := stats.Load(strings.NewReader(b.String()), "runs.csv", stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, p := range texts {
		if _, err := stats.ParsePeriod(p); err == nil {
			want = append(want, p)
		}
	}
	if len(ds.Obs) != len(want) || len(ds.Problems) != len(texts)-len(want) {
		t.Fatalf("%d rows and %d problems, want %d and %d", len(ds.Obs), len(ds.Problems), len(want), len(texts)-len(want))
	}
	for i, o := range ds.Obs {
		if p, _ := stats.ParsePeriod(want[i]); o.Period != p {
			t.Errorf("line %d: period %s, want %s (%s)", o.Pos.Line, o.Period, p, want[i])
		}
	}
}

// TestLoadDelimiter checks that a delimiter that cannot separate fields is
// an error, and that the others read a row with quoted fields alike.
func TestLoadDelimiter(t *testing.T) {
	for _, tc := range []struct {
		delim byte
		ok    bool
	}{{0, true}, {',', true}, {';', true}, {'\t', true}, {'|', true}, {'"', false}, {'\n', false}, {'\r', false}, {0xd0, false}} {
		d := string([]byte{tc.delim})
		if tc.delim == 0 {
			d = ","
		}
		header := strings.Join([]string{"reporter", "partner", "indicator", "period", "value", "unit", "source"}, d)
		row := strings.Join([]string{"KAZ", "ARM", "exports", "2023", `"1.5"`, "USD million", `"BNS, Astana"`}, d)
		ds, err := stats.Load(strings.NewReader(header+"\n"+row+"\n"), "d.csv", stats.LoadOptions{Delimiter: tc.delim})
		if !tc.ok {
			if !errors.Is(err, stats.ErrDelimiter) {
				t.Errorf("delimiter %q: %v, want an error that wraps ErrDelimiter", tc.delim, err)
			}
			continue
		}
		if err != nil || len(ds.Obs) != 1 || ds.Obs[0].Source != "BNS, Astana" || ds.Obs[0].Pos.Column != 22 {
			t.Errorf("delimiter %q: %v, %+v", tc.delim, err, ds)
		}
	}
}

// TestLoadCRCRLF checks that lines ending in CR CR LF keep no carriage
// return in their last field, on the row-by-row path and the chunks'.
func TestLoadCRCRLF(t *testing.T) {
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source\r\r\n")
	for m := 1; m <= 12; m++ {
		fmt.Fprintf(&b, "KAZ,ARM,exports,2022-%02d,1.5,USD million,BNS\r\r\nKAZ,ARM,imports,2022-%02d,2.0,USD million,BNS\r\r\n", m, m)
	}
	for _, hint := range []int64{0, int64(b.Len())} {
		ds, err := stats.Load(strings.NewReader(b.String()), "t.csv", stats.LoadOptions{SizeHint: hint})
		if err != nil {
			t.Fatal(err)
		}
		if len(ds.Obs) != 24 || len(ds.Problems) != 0 {
			t.Fatalf("size hint %d: %d observations, problems %v; want 24 and none", hint, len(ds.Obs), ds.Problems)
		}
		for _, o := range ds.Obs {
			if o.Source != "BNS" {
				t.Fatalf("size hint %d: source %q, want BNS", hint, o.Source)
			}
		}
	}
	c, err := stats.CheckStream(strings.NewReader(b.String()), "t.csv", stats.LoadOptions{}, &stats.Config{})
	if err != nil || c.Observations != 24 {
		t.Fatalf("CheckStream: %v, %v", c, err)
	}
	for _, f := range c.Findings {
		if strings.Contains(f.Text(), "\r") {
			t.Errorf("a finding has a carriage return: %q", f.Text())
		}
	}
}

// TestLoneCRColumn checks that lines ending in a carriage return alone
// are told at the first such return outside quotes, in characters, also
// when the reader first stops at one after a quoted field.
func TestLoneCRColumn(t *testing.T) {
	const head = "reporter,partner,indicator,period,value,unit,source"
	tests := []struct {
		name string
		in   string
		want problem
	}{
		{"after the header", head + "\rKAZ,ARM,exports,2023,1,USD million,\"BNS\"\rKAZ,ARM,imports,2023,1,USD million,BNS\r", problem{1, 52, stats.ErrLineEnding, "LF or CRLF"}},
		{"a quoted return before it", "reporter,partner,indicator,period,value,unit,\"sou\rrce\",note\rKAZ,ARM,exports,2023,1,USD million,\"BNS\"\rKAZ,ARM,imports,2023,1,USD million,BNS\r", problem{1, 60, stats.ErrLineEnding, "LF or CRLF"}},
		{"Cyrillic before it", "reporter,partner,indicator,period,value,unit,источник\rKAZ,ARM,exports,2023,1,USD million,\"BNS\"\rKAZ,ARM,imports,2023,1,USD million,BNS\r", problem{1, 54, stats.ErrLineEnding, "LF or CRLF"}},
		{"in the rows", head + "\nKAZ,ARM,exports,2023,1,USD million,BNS\rKAZ,ARM,imports,2023,1,USD million,\"BNS\"\rKAZ,ARM,turnover,2023,2,USD million,BNS\r", problem{2, 39, stats.ErrLineEnding, "LF or CRLF"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := stats.Load(strings.NewReader(tc.in), "x.csv", stats.LoadOptions{})
			var pe *stats.ParseError
			if !errors.As(err, &pe) {
				if ds != nil && len(ds.Problems) > 0 {
					pe = ds.Problems[0]
				} else {
					t.Fatalf("Load: %v; want a *ParseError", err)
				}
			}
			checkProblem(t, pe, tc.want)
		})
	}
}

// TestUnitMult checks that SDMX's UNIT_MULT scales the unit of its row,
// read whole or a year at a time (where rows are read by the shape of
// their line, which the multiplier is part of): 1.5 USD with 6 is 1.5 USD
// million and 2500 USD with 3 is 2500 USD thousand, whose sum the
// turnover 4.0 USD with 6 is, where all three were read in USD and the
// turnover found wrong; the one turnover given with 3, 4.0 USD thousand,
// is wrong, and found so both ways.
func TestUnitMult(t *testing.T) {
	var b strings.Builder
	b.WriteString("REF_AREA,COUNTERPART_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,SOURCE\n")
	lines := 1
	wrong := 0
	for y := 2020; y <= 2022; y++ {
		for m := 1; m <= 12; m++ {
			for _, p := range []string{"ARM", "KGZ", "UZB"} {
				turnover := "4.0,USD,6"
				if y == 2022 && m == 12 && p == "KGZ" {
					turnover, wrong = "4.0,USD,3", lines+3
				}
				fmt.Fprintf(&b, "KAZ,%s,exports,%d-%02d,1.5,USD,6,S\nKAZ,%s,imports,%d-%02d,2500,USD,3,S\nKAZ,%s,turnover,%d-%02d,%s,S\n", p, y, m, p, y, m, p, y, m, turnover)
				lines += 3
			}
		}
	}
	ds, err := stats.Load(strings.NewReader(b.String()), "mult.csv", stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	units := map[string]int{}
	for _, o := range ds.Obs {
		units[o.Indicator+" "+o.Unit]++
	}
	want := map[string]int{"exports USD million": 108, "imports USD thousand": 108, "turnover USD million": 107, "turnover USD thousand": 1}
	if !maps.Equal(units, want) {
		t.Errorf("rows by indicator and unit %v, want %v", units, want)
	}
	cfg := &stats.Config{}
	cfg.Rules = map[string]stats.RuleConfig{"completeness": {Disabled: true}, "units": {Disabled: true}}
	turnover := func(fs []stats.Finding) []int {
		var lines []int
		for _, f := range fs {
			if f.Rule == "turnover" {
				lines = append(lines, f.Pos().Line)
			}
		}
		return lines
	}
	if got := turnover(stats.Check(ds, cfg)); !slices.Equal(got, []int{wrong}) {
		t.Errorf("turnover findings of the rows loaded at lines %v, want %d alone", got, wrong)
	}
	checked, err := stats.CheckStream(strings.NewReader(b.String()), "mult.csv", stats.LoadOptions{}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := turnover(checked.Findings); !slices.Equal(got, []int{wrong}) {
		t.Errorf("turnover findings of the rows checked a year at a time at lines %v, want %d alone", got, wrong)
	}
}
