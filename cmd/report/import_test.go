package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestImportWholeOrNothing checks that import, which writes rows as it
// reads them, gives the tidy CSV only of a table read whole: a table that
// turns out unreadable near its end leaves the output file as it was and
// writes nothing to standard output, and a good one gives the same bytes
// to a file and to standard output, from a file and from standard input.
func TestImportWholeOrNothing(t *testing.T) {
	dir := t.TempDir()
	mapping := filepath.Join(dir, "map.yaml")
	if err := os.WriteFile(mapping, []byte(`
source: Armstat
reporter: ARM
partner: {column: country}
period: {column: date, patterns: ["{year}-{month}-01"]}
unit: thousand USD
values:
  - {column: export, indicator: exports}
  - {column: import, indicator: imports}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("country,export,import,date\n")
	for i := range 20000 {
		b.WriteString([]string{"China", "Georgia", "Iran"}[i%3])
		b.WriteString(",1.5,2,2023-01-01\n")
	}
	good := b.String()
	bad := good + "China,1.5,\"2,2023-01-01\n" // a quote never closed
	table := filepath.Join(dir, "table.csv")
	out := filepath.Join(dir, "tidy.csv")
	const old = "the release before\n"
	for _, tc := range []struct {
		name  string
		table string
		code  int
	}{{"bad", bad, 2}, {"good", good, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(table, []byte(tc.table), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(out, []byte(old), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := runCase([]string{"import", "--map", mapping, "-o", out, table}, nil, nil)
			if code != tc.code {
				t.Fatalf("import -o: exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			written, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if tc.code != 0 {
				if string(written) != old {
					t.Errorf("import -o of an unreadable table changed the output: %d bytes", len(written))
				}
				if !strings.Contains(stderr, "table.csv:20002") || !strings.Contains(stderr, "bad quoting") {
					t.Errorf("stderr does not name the place of the bad quote:\n%s", stderr)
				}
			} else if n := strings.Count(string(written), "\n"); n != 40001 {
				t.Errorf("import -o wrote %d lines, want 40001", n)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 3 {
				t.Errorf("the directory holds %d files, want map.yaml, table.csv and tidy.csv", len(entries))
			}
			for _, args := range [][]string{{"import", "--map", mapping, table}, {"import", "--map", mapping, "-"}} {
				code, stdout, _ := runCase(args, []byte(tc.table), nil)
				if code != tc.code {
					t.Errorf("%s: exit %d, want %d", args, code, tc.code)
				}
				if want := map[bool]string{true: "", false: string(written)}[tc.code != 0]; stdout != want {
					t.Errorf("%s: %d bytes on standard output, want %d", args, len(stdout), len(want))
				}
			}
		})
	}
}

// TestImportNoTempDir converts to standard output where no temporary file
// can be made: the rows wait in memory instead.
func TestImportNoTempDir(t *testing.T) {
	dir := t.TempDir()
	write := writeIn(t, dir)
	mapping := write("map.yaml", tinyMapping)
	table := write("table.csv", "p,d,v\nArmenia,2023-01,1.5\nGeorgia,2023-01,2\n")
	t.Setenv("TMPDIR", filepath.Join(dir, "missing"))
	code, stdout, stderr := runCase([]string{"import", "--map", mapping, table}, nil, nil)
	want := "reporter,partner,indicator,period,value,unit,status,source,note\nKAZ,ARM,exports,2023-01,1.5,USD million,,A,\nKAZ,GEO,exports,2023-01,2,USD million,,A,\n"
	if code != 0 || stdout != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want 0 and %q", code, stdout, stderr, want)
	}
}

// tinyMapping maps a table of partner (p), month (d) and exports (v) for
// KAZ, as the import tests give it.
const tinyMapping = "source: A\nreporter: KAZ\npartner: {column: p}\nperiod: {column: d}\nunit: USD million\nvalues:\n  - {column: v, indicator: exports}\n"

// TestImportRefuses checks what import makes of tables it cannot take as
// they are: the problems on standard error, each once with its place, the
// rows written and the exit status.
func TestImportRefuses(t *testing.T) {
	dir := t.TempDir()
	write := writeIn(t, dir)
	mapping := write("map.yaml", "source: test\nreporter: KAZ\npartner: {column: country}\nperiod: {column: year}\nunit: thousand USD\n"+
		"values:\n  - {column: exports, indicator: exports}\n  - {column: imports, indicator: imports}\n")
	const head = "country,year,exports,imports\n"
	const tidyHead = "reporter,partner,indicator,period,value,unit,status,source,note\n"
	tests := []struct {
		name       string
		table      string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"short and long rows", head + "Armenia,2023,1.5\nRussia,2023,1.5,2.5,9\nGeorgia,2023,1,2\n", 1,
			tidyHead + "KAZ,GEO,exports,2023,1,USD thousand,,test,\nKAZ,GEO,imports,2023,2,USD thousand,,test,\n",
			"$T:2:14: wrong number of fields: the row has 3 fields, the header 4: it ends before column \"imports\"\n" +
				"$T:3:21: wrong number of fields: the row has 5 fields, the header 4: a field with \",\" in it must be quoted\n" +
				"imported 2 observations from 3 rows: 2 problems, no rows skipped, no rows dropped by the mapping\n"},
		{"a million empty fields more", head + "Armenia,2023,1.5,2" + strings.Repeat(",", 1000000) + "\n", 1, tidyHead,
			"$T:2:20: wrong number of fields: the row has 1000004 fields, the header 4: the fields after the last column are empty: remove them\n" +
				"imported no observations from 1 row: 1 problem, no rows skipped, no rows dropped by the mapping\n"},
		{"empty", "", 2, "", "report: $T:1: empty input: the table has no header row and no data rows\n"},
		{"only a byte order mark", "\xef\xbb\xbf", 2, "", "report: $T:1: empty input: the table has no header row and no data rows\n"},
		// UTF-16, little-endian, as Excel saves "Unicode Text".
		{"UTF-16", "\xff\xfe" + strings.Join(strings.Split(head+"Armenia,2023,1.5,2.5\n", ""), "\x00") + "\x00", 2, "",
			"report: $T:1:1: not UTF-8 text: it looks like UTF-16 (it begins with a UTF-16 byte order mark); add encoding: utf-16 to the mapping\n"},
		// "Армения" in Windows-1251.
		{"a name not in UTF-8", head + "Armenia,2023,1.5,2.5\n\xc0\xf0\xec\xe5\xed\xe8\xff,2023,1,2\n", 2, "",
			"report: $T:3:1: not UTF-8 text: if the table came from Excel in Russian or Kazakh it is probably Windows-1251; add encoding: windows-1251 to the mapping\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			table := write("table.csv", tc.table)
			code, stdout, stderr := runCase([]string{"import", "--map", mapping, table}, nil, nil)
			want := []any{tc.wantCode, tc.wantStdout, strings.ReplaceAll(tc.wantStderr, "$T", table)}
			if diff := cmp.Diff(want, []any{code, stdout, stderr}); diff != "" {
				t.Errorf("import: exit, stdout and stderr mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
