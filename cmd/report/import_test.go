package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
