package ingest_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"github.com/tradedesk/report/internal/golden"
	"github.com/tradedesk/report/stats"
	"github.com/tradedesk/report/stats/ingest"
)

func readMapping(t testing.TB, path string) *ingest.Mapping {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := ingest.ParseMapping(f, path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// render writes a result as the golden files hold it: the tidy CSV, then
// the problems and the counts.
func render(t testing.TB, res *ingest.Result) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := stats.WriteCSV(&b, res.Obs); err != nil {
		t.Fatal(err)
	}
	b.WriteString("--- problems\n")
	for _, p := range res.Problems {
		fmt.Fprintln(&b, p)
	}
	fmt.Fprintf(&b, "--- rows %d, skipped %d\n", res.Rows, res.Skipped)
	for _, n := range res.DroppedNames() {
		fmt.Fprintf(&b, "dropped %q %d\n", n, res.Dropped[n])
	}
	return b.Bytes()
}

// TestConvertCases converts every testdata/<case>/table.csv, an excerpt of
// a real agency table with a few rows added that cannot be mapped, with its
// map.yaml, and compares with testdata/<case>/want.txt.
func TestConvertCases(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*/map.yaml")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, mp := range dirs {
		dir := filepath.Dir(mp)
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := readMapping(t, mp)
			res, err := ingest.ConvertFile(filepath.Join(dir, "table.csv"), m)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, name+"/want.txt", render(t, res))
			// Every problem is a *stats.ParseError with a place.
			for _, p := range res.Problems {
				if p.Line < 1 || p.File == "" {
					t.Errorf("problem without a place: %v", p)
				}
			}
			// The tidy CSV loads as it is.
			var b bytes.Buffer
			if err := stats.WriteCSV(&b, res.Obs); err != nil {
				t.Fatal(err)
			}
			ds, err := stats.Load(&b, "out.csv", stats.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(ds.Problems) > 0 {
				t.Errorf("the converted table does not load cleanly: %v", ds.Problems)
			}
		})
	}
}

func TestConvertProblems(t *testing.T) {
	const mapping = `
source: test
reporter: KAZ
partner: {column: name}
period: {column: period, patterns: ["{month}. {year}"]}
unit: thousand USD
values:
  - {column: exports, indicator: exports}
`
	// A mapping whose source, unit and note are text of the table, which
	// the tidy CSV would carry.
	const texts = `
source: "Armstat, {release}"
reporter: ARM
partner: KAZ
period: {column: period}
unit: {column: unit}
note: {column: note}
values:
  - {column: exports, indicator: exports}
`
	const head = "period,release,unit,note,exports\n"
	tests := []struct {
		name       string
		mapping    string // the one above when empty
		table      string
		wantErr    error
		wantLine   int
		wantColumn int
		wantField  string
		wantHint   string
	}{
		{"unknown name", "", "name,period,exports\nНарния,Aug. 2024,1\n", ingest.ErrUnknownName, 2, 1, "name", ""},
		{"bad number", "", "name,period,exports\nАрмения,Aug. 2024,\"1,5\"\n", stats.ErrBadNumber, 2, 19, "exports", ""},
		{"bad period", "", "name,period,exports\nАрмения,Augus 2024,1\n", stats.ErrBadPeriod, 2, 9, "period", ""},
		{"empty partner", "", "name,period,exports\n,Aug. 2024,1\n", ingest.ErrNoValue, 2, 1, "name", ""},
		{"later line", "", "name,period,exports\nАрмения,Aug. 2024,1\nАрмения,Aug. 2024,1.2.3\n", stats.ErrBadNumber, 3, 19, "exports", ""},
		// After a quoted cell with a line break: on the field's own line.
		{"after a quoted line break", texts, head + "2023,May,USD,\"line one\nline two\",q\n", stats.ErrBadNumber, 3, 11, "exports", ""},
		// Columns count characters, as stats.ParseError's do: Cyrillic
		// before the field, on its line.
		{"after a quoted Cyrillic line break", texts, head + "2023,Май,USD,\"строка\nмир\",q\n", stats.ErrBadNumber, 3, 6, "exports", ""},
		// A control character in text the tidy CSV would carry is a
		// damaged table (a tab is text): in a source made of a template,
		// at the column it reads; in a note; in a unit.
		{"NUL in a source's template", texts, head + "2023,M\x00ay,USD,,1\n2024,May,USD,a\tb,2\n", stats.ErrControl, 2, 6, "release", "character 2 of the field is a control character (U+0000)"},
		{"control character in a note", texts, head + "2023,May,USD,,1\n2024,May,USD,\"a \x1b[0m\",2\n", stats.ErrControl, 3, 14, "note", "(U+001B)"},
		{"control character in a unit", texts, head + "2023,May,US\x7fD\x01,,1\n", stats.ErrControl, 2, 10, "unit", "character 5 of the field"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.mapping == "" {
				tc.mapping = mapping
			}
			res := convertWith(t, tc.mapping, tc.table)
			if len(res.Problems) != 1 {
				t.Fatalf("Convert: %d problems, want 1: %v", len(res.Problems), res.Problems)
			}
			var pe *stats.ParseError
			if !errors.As(res.Problems[0], &pe) {
				t.Fatalf("problem %T is not a *stats.ParseError", res.Problems[0])
			}
			if !errors.Is(pe, tc.wantErr) {
				t.Errorf("problem %v: want kind %v", pe, tc.wantErr)
			}
			got := [3]any{pe.Line, pe.Column, pe.Field}
			want := [3]any{tc.wantLine, tc.wantColumn, tc.wantField}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("problem position mismatch (-want +got):\n%s", diff)
			}
			if !strings.Contains(pe.Error(), tc.wantHint) {
				t.Errorf("problem %v does not say %q", pe, tc.wantHint)
			}
		})
	}
}

// TestConvertErrors checks the errors of tables that cannot be read at
// all: their kind, the line of those that are a *stats.ParseError, and
// the line to add to the mapping that an error of encoding gives.
func TestConvertErrors(t *testing.T) {
	const exports = "source: s\nreporter: KAZ\npartner: ARM\nperiod: '2024'\nunit: USD\nvalues: [{column: exports, indicator: exports}]\n"
	byName := strings.Replace(exports, "partner: ARM", "partner: {column: name}", 1)
	tests := []struct {
		name     string
		mapping  string
		table    string
		wantErr  error
		wantLine int    // of the *stats.ParseError; 0 for an error that is none
		wantHint string // in the message
	}{
		{"missing column", exports, "imports\n1\n", ingest.ErrMapping, 1, `t.csv:1: invalid mapping: values[0]: no column "exports" in the header ("imports")`},
		{"missing column below a title", exports + "header: 2\n", "Title\nimports\n1\n", ingest.ErrMapping, 2, "t.csv:2: invalid mapping"},
		{"no header", exports + "header: 5\n", "exports\n1\n", stats.ErrNoHeader, 5, ""},
		{"no header after blank lines", exports + "header: 3\n", "exports\n\n\n\n", stats.ErrNoHeader, 3, ""},
		{"empty", exports, "", stats.ErrEmpty, 1, ""},
		{"empty with a header line", exports + "header: 2\n", "", stats.ErrEmpty, 1, ""},
		{"only a byte order mark", exports, "\xef\xbb\xbf", stats.ErrEmpty, 1, ""},
		{"only blank lines", exports, "\n\r\n\n", stats.ErrEmpty, 1, ""},
		{"bad quote", exports, "exports\n\"1\n", stats.ErrQuote, 2, ""},
		// At its quote, in characters, where encoding/csv counts bytes:
		// after Cyrillic text, far into the table, after a long line, in a
		// quoted field that spans lines.
		{"bad quote after Cyrillic", byName, "name,exports\nАрмения,1\nГрузия \"x\",2\n", stats.ErrQuote, 3, "3:8: "},
		{"bad quote far into the table", byName, "name,exports\n" + strings.Repeat("Армения,1\n", 20000) + "Грузия,\"2\"x\n", stats.ErrQuote, 20002, "20002:10: "},
		{"bad quote after a long line", byName, "name,exports\n" + strings.Repeat("Армения", 20000) + ",1\nГрузия,\"2\"x\n", stats.ErrQuote, 3, "3:10: "},
		{"bad quote in a field over lines", byName, "name,exports\n\"Армения\nи Грузия\"x,1\n", stats.ErrQuote, 3, "3:9: "},
		// Lines that end in a carriage return alone are one line to the
		// reader, the header, which may hold every column the mapping
		// names.
		{"lone CR", exports, "exports\r1\r2\r", stats.ErrLineEnding, 1, "1:8: a line ends in a carriage return alone"},
		// Below a title line, and with a quoted field at a line's end,
		// which the reader would take for bad quoting; its column in
		// characters.
		{"lone CR under a title", exports + "header: 2\n", "Title\rexports\r1\r", stats.ErrLineEnding, 1, "1:6: a line ends"},
		{"lone CR after a quoted field", exports, "exports,note\r1,\"a, b\"\r", stats.ErrLineEnding, 1, "1:13: a line ends"},
		{"lone CR after Cyrillic", strings.Replace(exports, "column: exports", "column: экспорт", 1), "экспорт\r1\r", stats.ErrLineEnding, 1, "1:8: a line ends"},
		// Past the header, or a first line that is blank or longer than
		// a reader's buffer.
		{"lone CR in the rows", exports, "exports\n1\r2\n", stats.ErrLineEnding, 2, "2:2: a line ends"},
		{"lone CR after a blank line", exports, "\nexports\r1\r", stats.ErrLineEnding, 2, "2:8: a line ends"},
		{"lone CR after a long line", exports, "exports," + strings.Repeat("x", 5000) + "\r1,\r", stats.ErrLineEnding, 1, "1:5009: a line ends"},
		{"lone CR after a quoted line break", exports, "exports,note\n1,\"a\nb\"\n2,x\r3,y\n", stats.ErrLineEnding, 4, "4:4: a line ends"},
		{"lone CR past the first 64 KB", exports, "exports," + strings.Repeat("x", 70000) + "\r1,\r", stats.ErrLineEnding, 1, "a line ends"},
		{"lone CR past the first 64 KB after a blank line", exports, "\nexports," + strings.Repeat("x", 70000) + "\r1,\r", stats.ErrLineEnding, 2, "a line ends"},
		{"lone CR past the first 64 KB, the last column named", exports, strings.Repeat("x", 70000) + ",exports\r,1\r", stats.ErrLineEnding, 1, "a line ends"},
		// Compressed, as it came from a download: gzip, xz, a workbook.
		{"gzip", exports, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", stats.ErrCompressed, 1, "gzip-compressed"},
		{"xz", exports, "\xfd7zXZ\x00\x00\x04", stats.ErrCompressed, 1, "xz-compressed"},
		{"workbook", exports, "PK\x03\x04\x14\x00\x00\x00\x08\x00" + strings.Repeat("\x00", 16) + "\x13\x00\x00\x00[Content_Types].xml", stats.ErrCompressed, 1, "Excel workbook"},
		// Windows-1251 read as UTF-8: "Италия" in a source, and in a header.
		{"not UTF-8", "source: '{workbook}'\nreporter: KAZ\npartner: ARM\nperiod: '2024'\nunit: USD\nvalues: [{column: exports, indicator: exports}]\n",
			"workbook,exports\n1,2\n\xc8\xf2\xe0\xeb\xe8\xff,1\n", stats.ErrEncoding, 3, "encoding: windows-1251 to"},
		{"UTF-16", exports, utf16Table("\ufeffexports\n1\n", false), stats.ErrEncoding, 1, "encoding: utf-16 to"},
		{"UTF-16 big-endian", exports, utf16Table("\ufeffexports\n1\n", true), stats.ErrEncoding, 1, "encoding: utf-16 to"},
		{"UTF-16 without a byte order mark", exports, utf16Table("exports\n1\n", false), stats.ErrEncoding, 1, "encoding: utf-16le"},
		{"UTF-16 below a title", exports + "header: 2\n", utf16Table("\ufeffTitle\nexports\n1\n", false), stats.ErrEncoding, 1, "encoding: utf-16 to"},
		// Windows-1251 read as UTF-8: "страна" (country) in a header,
		// "Армения" as a partner, a no-break space between thousands.
		{"header not UTF-8", strings.Replace(exports, "partner: ARM", "partner: {column: страна}", 1),
			"\xf1\xf2\xf0\xe0\xed\xe0,exports\nARM,1\n", stats.ErrEncoding, 1, "encoding: windows-1251 to"},
		{"name not UTF-8", byName, "name,exports\nKAZ,1\n\xc0\xf0\xec\xe5\xed\xe8\xff,1\n", stats.ErrEncoding, 3, "encoding: windows-1251 to"},
		{"name not UTF-8 on a short row", byName, "name,exports\n\xc0\xf0\xec\xe5\xed\xe8\xff\n", stats.ErrEncoding, 2, "encoding: windows-1251 to"},
		{"number not UTF-8", exports, "exports\n1\n1\xa0234\n", stats.ErrEncoding, 3, "encoding: windows-1251 to"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ingest.ParseMapping(strings.NewReader(tc.mapping), "map.yaml")
			if err != nil {
				t.Fatal(err)
			}
			_, err = ingest.Convert(strings.NewReader(tc.table), "t.csv", m)
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("Convert: error %v, want %v", err, tc.wantErr)
			}
			var pe *stats.ParseError
			if got := errors.As(err, &pe); got != (tc.wantLine > 0) || got && (pe.File != "t.csv" || pe.Line != tc.wantLine) {
				t.Errorf("Convert: error %v, want one at t.csv line %d (0: no *stats.ParseError)", err, tc.wantLine)
			}
			if err != nil && !strings.Contains(err.Error(), tc.wantHint) {
				t.Errorf("Convert: error %v does not say %q", err, tc.wantHint)
			}
		})
	}
}

// utf16Table returns s in UTF-16, little-endian or big-endian.
func utf16Table(s string, bigEndian bool) string {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			b = binary.BigEndian.AppendUint16(b, u)
		} else {
			b = binary.LittleEndian.AppendUint16(b, u)
		}
	}
	return string(b)
}

// TestConvertEncodings checks that the encoding an error of encoding
// advises reads the table.
func TestConvertEncodings(t *testing.T) {
	const mapping = "source: s\nreporter: KAZ\npartner: {column: name}\nperiod: '2024'\nunit: USD\nvalues: [{column: exports, indicator: exports}]\n"
	tests := []struct {
		name     string
		encoding string
		table    string
	}{
		{"UTF-16", "utf-16", utf16Table("\ufeffname,exports\nАрмения,1.5\n", false)},
		{"UTF-16 big-endian", "utf-16", utf16Table("\ufeffname,exports\nАрмения,1.5\n", true)},
		{"UTF-16 without a byte order mark", "utf-16le", utf16Table("name,exports\nАрмения,1.5\n", false)},
		{"Windows-1251", "windows-1251", "name,exports\n\xc0\xf0\xec\xe5\xed\xe8\xff,1.5\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ingest.ParseMapping(strings.NewReader(mapping+"encoding: "+tc.encoding+"\n"), "map.yaml")
			if err != nil {
				t.Fatal(err)
			}
			res, err := ingest.Convert(strings.NewReader(tc.table), "t.csv", m)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range res.Obs {
				got = append(got, o.Partner+" "+o.Value.String())
			}
			if diff := cmp.Diff([]string{"ARM 1.5"}, got); diff != "" || len(res.Problems) > 0 {
				t.Errorf("Convert mismatch (-want +got):\n%s\nproblems: %v", diff, res.Problems)
			}
		})
	}
}

// TestConvertNotUTF8 checks that a table in Windows-1251 read as UTF-8
// stops at the first field that is not, at its line and column, and that
// the mapping's encoding reads it.
func TestConvertNotUTF8(t *testing.T) {
	const mapping = "source: '{workbook}'\nreporter: KAZ\npartner: ARM\nperiod: '2024'\nunit: USD\nvalues: [{column: exports, indicator: exports}]\n"
	table := "workbook,exports\nok,2\n\"\xc8\xf2\xe0\xeb\xe8\xff\",1\n"
	m, err := ingest.ParseMapping(strings.NewReader(mapping), "map.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = ingest.Convert(strings.NewReader(table), "t.csv", m)
	var pe *stats.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, stats.ErrEncoding) || pe.Line != 3 || pe.Column != 1 || !strings.Contains(err.Error(), "encoding: windows-1251") {
		t.Fatalf("Convert: error %v, want ErrEncoding at t.csv:3:1 that names the encoding", err)
	}
	m, err = ingest.ParseMapping(strings.NewReader(mapping+"encoding: windows-1251\n"), "map.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := ingest.Convert(strings.NewReader(table), "t.csv", m)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Obs) != 2 || res.Obs[1].Source != "Италия" {
		t.Fatalf("converted %d rows, the second's source %q; want 2 rows and Италия", len(res.Obs), res.Obs[len(res.Obs)-1].Source)
	}
	// Text the mapping does not read may be in any encoding: a title above
	// the header, a column no field names.
	m, err = ingest.ParseMapping(strings.NewReader("header: 2\n"+mapping), "map.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err = ingest.Convert(strings.NewReader("Title \xc8\xf2\xe0\n"+"workbook,exports,comment\nok,2,caf\xe9\n"), "t.csv", m)
	if err != nil || len(res.Obs) != 1 {
		t.Fatalf("a title and a comment not in UTF-8, not read: error %v, %d rows; want none and 1", err, len(res.Obs))
	}
	// The error is at the field read, not at one before it that is not
	// read.
	m, err = ingest.ParseMapping(strings.NewReader(mapping), "map.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = ingest.Convert(strings.NewReader("comment,workbook,exports\ncaf\xe9,\xc8\xf2\xe0,1\n"), "t.csv", m)
	if !errors.As(err, &pe) || !errors.Is(err, stats.ErrEncoding) || pe.Line != 2 || pe.Column != 6 {
		t.Fatalf("Convert: error %v, want ErrEncoding at t.csv:2:6, the field of the source", err)
	}
}

// TestParseMappingUnknownKeys checks that a key a mapping does not know is
// told at its line with the keys known there, where the message named the
// Go type that holds them ("field skipp not found in type ingest.Mapping"),
// or, inside a field given as a mapping, dropped it without a word.
func TestParseMappingUnknownKeys(t *testing.T) {
	const mapping = "source: s\nreporter: KAZ\nunit: USD\npartner: {colum: name}\nperiod: '2024'\n" +
		"values: [{column: v, indicatr: exports}]\nnumbers: {decimals: ','}\nskipp: []\n"
	_, err := ingest.ParseMapping(strings.NewReader(mapping), "map.yaml")
	if !errors.Is(err, ingest.ErrMapping) {
		t.Fatalf("ParseMapping: error %v, want ErrMapping", err)
	}
	want := `map.yaml:4: invalid mapping: unknown key "colum" in a field (reporter, partner, period, …); known keys are value, column, columns, template, map, patterns
map.yaml:6: invalid mapping: unknown key "indicatr" in values; known keys are column, indicator, period, partner, unit, empty
map.yaml:7: invalid mapping: unknown key "decimals" in numbers; known keys are thousands, decimal, missing, zero, empty, exponent, significant, negatives
map.yaml:8: invalid mapping: unknown key "skipp" in the mapping; known keys are source, header, delimiter, encoding, reporter, partner, indicator, period, unit, status, note, values, numbers, skip, absent, year_totals, names`
	if err.Error() != want {
		t.Errorf("ParseMapping:\n got %v\nwant %s", err, want)
	}
}

func TestParseMappingErrors(t *testing.T) {
	tests := []struct {
		name    string
		mapping string
	}{
		{"empty", ""},
		{"unknown key", "source: s\nreporter: KAZ\nunit: USD\nvalus: []\n"},
		{"no values", "source: s\nreporter: KAZ\nunit: USD\npartner: ARM\n"},
		{"no indicator", "source: s\nreporter: KAZ\nunit: USD\npartner: ARM\nperiod: '2024'\nvalues: [{column: v}]\n"},
		{"no unit", "source: s\nreporter: KAZ\npartner: ARM\nperiod: '2024'\nvalues: [{column: v, indicator: exports}]\n"},
		{"bad pattern", "source: s\nreporter: KAZ\nunit: USD\npartner: ARM\nperiod: {column: p, patterns: ['{month}']}\nvalues: [{column: v, indicator: exports}]\n"},
		{"bad slot", "source: s\nreporter: KAZ\nunit: USD\npartner: ARM\nperiod: {column: p, patterns: ['{yr}']}\nvalues: [{column: v, indicator: exports}]\n"},
		{"bad empty", "source: s\nreporter: KAZ\nunit: USD\npartner: ARM\nperiod: '2024'\nnumbers: {empty: none}\nvalues: [{column: v, indicator: exports}]\n"},
		{"same marks", "source: s\nreporter: KAZ\nunit: USD\npartner: ARM\nperiod: '2024'\nnumbers: {decimal: ',', thousands: ','}\nvalues: [{column: v, indicator: exports}]\n"},
		{"bad regexp", "source: s\nreporter: KAZ\nunit: USD\npartner: ARM\nperiod: '2024'\nskip: [{column: a, matches: '('}]\nvalues: [{column: v, indicator: exports}]\n"},
		{"bad period", "source: s\nreporter: KAZ\nunit: USD\npartner: ARM\nvalues: [{column: v, indicator: exports, period: 'FY24'}]\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ingest.ParseMapping(strings.NewReader(tc.mapping), "map.yaml")
			if !errors.Is(err, ingest.ErrMapping) {
				t.Errorf("ParseMapping: error %v, want ErrMapping", err)
			}
		})
	}
}

// TestConvertFieldCount checks that a row with more or fewer fields than
// the header is a problem at its line and column, gives no observation,
// is not counted as dropped, and leaves no month to be filled in as
// absent; while a row left empty, or a note under the table that a skip
// rule matches, is still skipped.
func TestConvertFieldCount(t *testing.T) {
	const mapping = `
source: test
reporter: KAZ
partner: {column: country}
period: {column: month}
unit: thousand USD
absent: "0"
values:
  - {column: exports, indicator: exports}
  - {column: imports, indicator: imports}
skip:
  - {column: country, matches: "^Source:"}
names: {Europe: "-"}
`
	const head = "country,month,exports,imports\n"
	const jan, mar = "Armenia,2023-01,1.5,2.5\n", "Armenia,2023-03,3.5,4.5\n"
	// The rows of jan and mar, and no zero for February, which a row
	// reported as a problem gave.
	wantJanMar := []string{
		"KAZ,ARM,exports,2023-01,1.5,USD thousand,,test,",
		"KAZ,ARM,imports,2023-01,2.5,USD thousand,,test,",
		"KAZ,ARM,exports,2023-03,3.5,USD thousand,,test,",
		"KAZ,ARM,imports,2023-03,4.5,USD thousand,,test,",
	}
	// A table without a row for February: it is filled in as absent.
	wantFilled := append(slices.Clone(wantJanMar),
		"KAZ,ARM,exports,2023-02,0,USD thousand,,test,"+ingest.AbsentNote,
		"KAZ,ARM,imports,2023-02,0,USD thousand,,test,"+ingest.AbsentNote)
	type problem struct {
		Line, Column int
	}
	tests := []struct {
		name        string
		table       string
		want        []string
		wantErr     []problem // each of kind stats.ErrFieldCount
		wantSkipped int
		wantDropped int
	}{
		{"short", head + jan + "Armenia,2023-02,1.5\n" + mar, wantJanMar, []problem{{3, 17}}, 0, 0},
		{"short by two", head + jan + "Armenia,2023-02\n" + mar, wantJanMar, []problem{{3, 9}}, 0, 0},
		{"short quoted", head + jan + "\"Armenia\",\"2023-02\",\"1.5\"\n" + mar, wantJanMar, []problem{{3, 21}}, 0, 0},
		{"long", head + jan + "Armenia,2023-02,1.5,2.5,9\n" + mar, wantJanMar, []problem{{3, 25}}, 0, 0},
		{"long with empty fields", head + jan + "Armenia,2023-02,1.5,2.5,,,\n" + mar, wantJanMar, []problem{{3, 25}}, 0, 0},
		{"a million fields more", head + jan + "Armenia,2023-02,1.5,2" + strings.Repeat(",", 1000000) + "\n" + mar, wantJanMar, []problem{{3, 23}}, 0, 0},
		{"short and long", head + "Armenia,2023-01,1.5\n" + "Armenia,2023-02,1.5,2.5,9\n" + mar, wantJanMar[2:], []problem{{2, 17}, {3, 25}}, 0, 0},
		{"empty row", head + jan + ",\n" + mar, wantFilled, nil, 1, 0},
		{"note under the table", head + jan + mar + "Source: Armstat\n", wantFilled, nil, 1, 0},
		{"note not skipped", head + jan + mar + "Data are preliminary\n", wantFilled, []problem{{4, 1}}, 0, 0},
		{"dropped", head + jan + "Europe,2023-02,1,2\n" + mar, wantFilled, nil, 0, 1},
		{"dropped but short", head + jan + "Europe,2023-02,1\n" + mar, wantFilled, []problem{{3, 16}}, 0, 0},
	}
	m, err := ingest.ParseMapping(strings.NewReader(mapping), "map.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := ingest.Convert(strings.NewReader(tc.table), "t.csv", m)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := stats.WriteCSV(&b, res.Obs); err != nil {
				t.Fatal(err)
			}
			got := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")[1:]
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Convert observations mismatch (-want +got):\n%s", diff)
			}
			var gotErr []problem
			for _, p := range res.Problems {
				if !errors.Is(p, stats.ErrFieldCount) || p.File != "t.csv" || p.Field != "" {
					t.Errorf("problem %v: want a wrong number of fields in t.csv, of no field", p)
				}
				gotErr = append(gotErr, problem{p.Line, p.Column})
			}
			if diff := cmp.Diff(tc.wantErr, gotErr); diff != "" {
				t.Errorf("Convert problems mismatch (-want +got):\n%s", diff)
			}
			if res.Skipped != tc.wantSkipped || res.Dropped["Europe"] != tc.wantDropped {
				t.Errorf("Convert skipped %d rows and dropped %d, want %d and %d", res.Skipped, res.Dropped["Europe"], tc.wantSkipped, tc.wantDropped)
			}
		})
	}
}

// TestConvertLineEnds checks tables whose carriage returns are not lines
// ending in one alone: CR CR LF, as Python's csv module writes on
// Windows, and a carriage return in a quoted cell of the header or a row.
func TestConvertLineEnds(t *testing.T) {
	const mapping = "source: s\nreporter: KAZ\npartner: ARM\nperiod: '2024'\nunit: USD\nvalues: [{column: exports, indicator: exports}]\n"
	m, err := ingest.ParseMapping(strings.NewReader(mapping), "map.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, table := range map[string]string{
		"CR CR LF":                        "exports,note\r\r\n1,\r\r\n",
		"CR CR LF after a quoted field":   "exports,note\r\r\n1,\"a, b\"\r\r\n",
		"CR CR CR LF after quoted fields": "\"exports\",\"note\"\r\r\r\n\"1\",\"a\"\r\r\r\n",
		"CR in a quoted header":           "exports,\"remark\rline 2\"\n1,x\n",
		"CR in a quoted cell":             "exports,note\n1,\"a\rb\"\n",
		"CRs in a quoted cell at its end": "exports,note\n1,\"a\r\r\"\n",
	} {
		res, err := ingest.Convert(strings.NewReader(table), "t.csv", m)
		if err != nil || len(res.Problems) > 0 || len(res.Obs) != 1 || res.Obs[0].Value.Num != 1 {
			t.Errorf("%s: Convert = %+v, %v; want one observation of 1", name, res, err)
		}
	}
	// A header alone, whose quoted cell holds a carriage return.
	res, err := ingest.Convert(strings.NewReader("exports,\"a\rb\"\n"), "t.csv", m)
	if err != nil || len(res.Problems) > 0 || len(res.Obs) != 0 {
		t.Errorf("a header alone with a quoted CR: Convert = %+v, %v; want no observation", res, err)
	}
}

// TestConvertDamagedText checks a control character in the text a row's
// observations would carry: a problem of the row, told once, whose months
// are not filled in as absent; and none in text the observations do not
// carry (a unit and an indicator each value column gives of its own). No
// month of a row whose series cannot be told (its indicator or unit
// damaged or unknown) is filled in as absent. A control character in the
// mapping's own text is the mapping's error.
func TestConvertDamagedText(t *testing.T) {
	const mapping = `
source: s
reporter: KAZ
partner: ARM
period: {column: month}
unit: {column: unit}
indicator: {column: flow}
note: {column: note}
absent: "0"
values:
  - {column: exports}
  - {column: imports, indicator: imports, unit: USD}
`
	m, err := ingest.ParseMapping(strings.NewReader(mapping), "map.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const table = "month,unit,flow,note,exports,imports\n" +
		"2024-01,USD,exports,,1,2\n" +
		"2024-02,USD,exports,bad\x01,3,4\n" + // both values: one problem
		"2024-03, U\x02SD,exports,,5,6\n" + // exports only
		"2024-04,USD,exp\x03,,7,8\n" + // exports only
		"2024-05,USD,exprts,,9,10\n" + // an unknown indicator: exports only
		"2024-06,USD,exports,,11,12\n"
	res, err := ingest.Convert(strings.NewReader(table), "t.csv", m)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range res.Problems {
		got = append(got, fmt.Sprintf("%d:%d %s", p.Line, p.Column, p.Err))
	}
	want := []string{
		"3:21 character 4 of the field is a control character (U+0001), which is not text: the file may be damaged; remove it",
		"4:9 character 3 of the field is a control character (U+0002), which is not text: the file may be damaged; remove it",
		"5:13 character 4 of the field is a control character (U+0003), which is not text: the file may be damaged; remove it",
		`6:13 unknown indicator: "exprts": map it to an indicator in the mapping's indicator map`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s", diff)
	}
	var b bytes.Buffer
	if err := stats.WriteCSV(&b, res.Obs); err != nil {
		t.Fatal(err)
	}
	wantObs := []string{
		"KAZ,ARM,exports,2024-01,1,USD,,s,",
		"KAZ,ARM,imports,2024-01,2,USD,,s,",
		"KAZ,ARM,imports,2024-03,6,USD,,s,",
		"KAZ,ARM,imports,2024-04,8,USD,,s,",
		"KAZ,ARM,imports,2024-05,10,USD,,s,", // its own indicator
		"KAZ,ARM,exports,2024-06,11,USD,,s,",
		"KAZ,ARM,imports,2024-06,12,USD,,s,",
	}
	if diff := cmp.Diff(wantObs, strings.Split(strings.TrimSpace(b.String()), "\n")[1:]); diff != "" {
		t.Errorf("observations mismatch (-want +got):\n%s", diff)
	}
	for _, bad := range []string{`source: "s\x01"`, `source: "s\x01 {month}"`, "unit: {column: unit, map: {x: \"U\\x7fSD\\uffff\"}}"} {
		text := strings.Replace(mapping, "source: s", bad, 1)
		if strings.HasPrefix(bad, "unit") {
			text = strings.Replace(mapping, "unit: {column: unit}", bad, 1)
		}
		_, err := ingest.ParseMapping(strings.NewReader(text), "map.yaml")
		if !errors.Is(err, ingest.ErrMapping) || !strings.Contains(err.Error(), "not text") {
			t.Errorf("mapping with %s: error %v, want an invalid mapping of its control character", bad, err)
		}
	}
}

// TestCRCRLF reads text through crCRLF, a byte at a time and whole: runs
// of carriage returns before a line feed are one, the others as they are;
// and an error of the reader is given after the text before it, even
// when the reader gives it once.
func TestCRCRLF(t *testing.T) {
	for in, want := range map[string]string{
		"":                 "",
		"a\r\nb":           "a\r\nb",
		"a\r\r\nb\r\r\r\n": "a\r\nb\r\n",
		"a\rb\r\rc":        "a\rb\r\rc",
		"a\r\r":            "a\r\r",
		strings.Repeat("\r", 1000) + "x\n" + strings.Repeat("\r", 1000) + "\n": strings.Repeat("\r", 1000) + "x\n\r\n",
		strings.Repeat("\r", 1024) + "\n":                                      "\r\n",
		strings.Repeat("\r", 1025) + "\na\r\r\n":                               strings.Repeat("\r", 1025) + "\na\r\n",
		"\"a" + strings.Repeat("\r", 1024) + "\n\"":                            "\"a\r\n\"",
		// Runs past maxCRRun, as they are: a line too long.
		strings.Repeat("\r", 5000) + "x\n" + strings.Repeat("\r", 70000) + "\n": strings.Repeat("\r", 5000) + "x\n" + strings.Repeat("\r", 70000) + "\n",
	} {
		for _, oneByte := range []bool{false, true} {
			var r io.Reader = strings.NewReader(in)
			if oneByte {
				r = iotest.OneByteReader(r)
			}
			got, err := io.ReadAll(ingest.NewCRCRLF(r))
			if err != nil || string(got) != want {
				t.Errorf("%.20q (a byte at a time: %v): %.20q, %v; want %.20q", in, oneByte, got, err, want)
			}
		}
	}
}

// TestConvertNoZeroForWrongRows checks that no month of a row that has a
// problem is filled in as absent, whatever the problem, for any of the
// row's value columns: the table has the row, wrong, not no row.
func TestConvertNoZeroForWrongRows(t *testing.T) {
	const byColumn = `
source: {column: src}
reporter: KAZ
partner: {column: partner}
indicator: {column: flow}
unit: {column: unit}
note: {column: note}
status: {column: st}
absent: "0"
numbers: {empty: skip}
values:
  - {column: jan, period: 2024-01}
  - {column: feb, period: 2024-02}
  - {column: mar, period: 2024-03}
`
	const head = "partner,flow,unit,note,st,src,jan,feb,mar\n"
	const good = "ARM,exports,USD,,,S,1,2,3\n"
	tests := []struct {
		name     string
		row      string
		problems []string
	}{
		{"unknown indicator", "GEO,exprts,USD,,,S,7,8,9\n", []string{`unknown indicator: "exprts"`}},
		{"no indicator", "GEO,,USD,,,S,7,8,9\n", []string{"no indicator"}},
		{"damaged indicator", "GEO,exp\x01,USD,,,S,7,8,9\n", []string{"(U+0001)"}},
		{"damaged note and unit", "GEO,exports,U\x02SD,bad\x01,,S,7,8,9\n", []string{"(U+0002)", "(U+0001)"}},
		{"damaged source", "GEO,exports,USD,,,S\x01,7,8,9\n", []string{"(U+0001)"}},
		{"no source", "GEO,exports,USD,,,,7,8,9\n", []string{"no source"}},
		{"bad status", "GEO,exports,USD,,Q,S,7,8,9\n", []string{"invalid status"}},
		{"no unit", "GEO,exports,,,,S,7,8,9\n", []string{"no unit on this row"}},
		{"bad status and no indicator", "GEO,,USD,,Q,S,7,8,9\n", []string{"invalid status"}},
		{"damaged unit and a bad number", "GEO,exports,U\x02SD,,,S,q,,\n", []string{"(U+0002)", "invalid number"}},
		{"no unit and a bad number", "GEO,exports,,,,S,q,,\n", []string{"no unit on this row", "invalid number"}},
		{"one cell read twice", "GEO,exports,USD,,,S\x01,7,8,9\n", []string{"(U+0001)"}},
	}
	m, err := ingest.ParseMapping(strings.NewReader(byColumn), "map.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// GEO's exports come with January alone first: its other
			// months are the wrong row's, not absent.
			table := head + good + "GEO,exports,USD,,,S,4,,\n" + tc.row
			res, err := ingest.Convert(strings.NewReader(table), "t.csv", m)
			if err != nil {
				t.Fatal(err)
			}
			problemsSay(t, res.Problems, tc.problems)
			for _, o := range res.Obs {
				if o.Note == ingest.AbsentNote {
					t.Errorf("%s %s filled in as absent", o.Key(), o.Period)
				}
			}
		})
	}
}

// onceError gives text, then err once, then io.EOF: a reader whose error
// a bufio.Reader's Peek would clear.
type onceError struct {
	text string
	err  error
}

func (r *onceError) Read(p []byte) (int, error) {
	if r.text != "" {
		n := copy(p, r.text)
		r.text = r.text[n:]
		return n, nil
	}
	if r.err != nil {
		err := r.err
		r.err = nil
		return 0, err
	}
	return 0, io.EOF
}

// TestConvertReadError checks that an error of the table's reader stops
// Convert, with the rows before it, however short or long the table and
// however its lines end.
func TestConvertReadError(t *testing.T) {
	const mapping = "source: s\nreporter: KAZ\npartner: ARM\nperiod: {column: p}\nunit: USD\nvalues: [{column: v, indicator: exports}]\n"
	m, err := ingest.ParseMapping(strings.NewReader(mapping), "map.yaml")
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	for _, n := range []int{1, 1000, 5000} {
		for _, end := range []string{"\n", "\r\n", "\r\r\n"} {
			var b strings.Builder
			b.WriteString("p,v" + end)
			for i := range n {
				fmt.Fprintf(&b, "%d,%d%s", 1900+i%100, i, end)
			}
			text := b.String()
			if end != "\n" {
				text = strings.TrimSuffix(text, "\n") // a carriage return last
			}
			_, err := ingest.Convert(&onceError{text, boom}, "t.csv", m)
			if !errors.Is(err, boom) {
				t.Errorf("%d rows ending %q: error %v, want %v", n, end, err, boom)
			}
		}
		got, err := io.ReadAll(ingest.NewCRCRLF(&onceError{"a\r", boom}))
		if !errors.Is(err, boom) || string(got) != "a\r" {
			t.Errorf("crCRLF of a reader that fails: %q, %v; want %q, %v", got, err, "a\r", boom)
		}
	}
}

// TestConvertWrongRowsTold checks what is told of wrong rows: a bad period
// of the row leaves the months of columns of periods of their own
// unfilled; a damaged note of a row whose cells give no figure is no
// problem; a damaged cell read as two fields is one problem.
func TestConvertWrongRowsTold(t *testing.T) {
	tests := []struct {
		name, mapping, table string
		problems             []string
		absent               []string // the months filled in as absent
		has                  string   // an observation made, as "indicator period value"
	}{
		{"bad period", `
source: S
reporter: KAZ
partner: ARM
period: {column: period}
unit: USD
absent: "0"
numbers: {empty: skip}
values: [{column: monthly, indicator: exports}, {column: jan, indicator: imports, period: 2020-01}, {column: feb, indicator: imports, period: 2020-02}]
`, "period,monthly,jan,feb\n2020-01,1,10,\n2020-03,3,,\n2020-13,2,,77\n", []string{"2020-13"}, []string{"exports 2020-02", "imports 2020-03"}, "imports 2020-02 77"},
		{"a damaged note and no figure", `
source: S
reporter: KAZ
partner: ARM
period: {column: period}
unit: USD
note: {column: note}
numbers: {empty: skip}
values: [{column: v, indicator: exports}]
`, "period,note,v\n2020-01,ok,1\n2020-02,bad\x01,\n", nil, nil, ""},
		{"a short row, its figure empty", `
source: S
reporter: KAZ
partner: {column: p}
period: {column: per}
indicator: exports
unit: USD
absent: "0"
numbers: {empty: skip}
values: [{column: v}]
`, "p,per,v\nARM,2020-01,1\nARM,2020-02\nARM,2020-03,3\n", []string{"the row has 2 fields"}, nil, ""},
		{"a cell lost in the middle", `
source: S
reporter: KAZ
partner: {column: p}
period: {column: per}
indicator: exports
unit: {column: u}
absent: "0"
values: [{column: v}]
`, "p,per,u,v\nARM,2020-01,USD,1\nARM,2020-02,2\nARM,2020-03,USD,3\n", []string{"the row has 3 fields"}, nil, ""},
		{"problems in the order of their columns", `
source: S
reporter: KAZ
partner: ARM
period: {column: p}
unit: USD
note: {column: n}
values: [{column: a, indicator: exports}, {column: b, indicator: imports}]
`, "p,n,a,b\n2020-01,ok,1,1\n2020-02,b\x01d,q,2\n", []string{"(U+0001)", "invalid number"}, nil, ""},
		{"a damaged cell read twice", `
source: S
reporter: KAZ
partner: ARM
period: {column: period}
unit: {column: desc, map: {"thousand\\x01USD": USD}}
note: {column: desc}
values: [{column: v, indicator: exports}]
`, "period,desc,v\n2020-01,thousand\x01USD,1\n", []string{"(U+0001)"}, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := convertWith(t, tc.mapping, tc.table)
			problemsSay(t, res.Problems, tc.problems)
			var absent []string
			for _, o := range res.Obs {
				if o.Note == ingest.AbsentNote {
					absent = append(absent, o.Indicator+" "+o.Period.String())
				}
			}
			if !slices.Equal(absent, tc.absent) {
				t.Errorf("filled in as absent %q, want %q", absent, tc.absent)
			}
			if tc.has != "" && !slices.ContainsFunc(res.Obs, func(o stats.Observation) bool {
				return fmt.Sprintf("%s %s %s", o.Indicator, o.Period, o.Value) == tc.has
			}) {
				t.Errorf("no observation %s", tc.has)
			}
		})
	}
}

// problemsSay checks that there are as many problems as want, each saying
// its text of want.
func problemsSay(t *testing.T, problems []*stats.ParseError, want []string) {
	t.Helper()
	if len(problems) != len(want) {
		t.Fatalf("problems %v, want %d", problems, len(want))
	}
	for i, p := range problems {
		if !strings.Contains(p.Error(), want[i]) {
			t.Errorf("problem %v, want it to say %q", p, want[i])
		}
	}
}

// convertWith converts table, named t.csv, with the mapping of text
// mapping.
func convertWith(t *testing.T, mapping, table string) *ingest.Result {
	t.Helper()
	m, err := ingest.ParseMapping(strings.NewReader(mapping), "map.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := ingest.Convert(strings.NewReader(table), "t.csv", m)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
