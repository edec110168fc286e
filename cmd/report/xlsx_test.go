package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tradedesk/report/stats"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// sheetRows reads the rows of a sheet of the workbook at path.
func sheetRows(t *testing.T, path, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// aboutInputs reads the input files and hashes cited on the About sheet.
func aboutInputs(t *testing.T, path string) map[string]string {
	t.Helper()
	rows := sheetRows(t, path, "About")
	out := map[string]string{}
	in := false
	for _, r := range rows {
		switch {
		case len(r) > 0 && r[0] == "input file":
			in = true
		case len(r) == 0:
			in = false
		case in && len(r) > 1:
			out[r[0]] = r[1]
		}
	}
	return out
}

// aboutRulesFile reads the rules file cited on the About sheet, its name
// and hash, then each of its rules as "id severity", in order.
func aboutRulesFile(t *testing.T, path string) []string {
	t.Helper()
	var out []string
	in := false
	for _, r := range sheetRows(t, path, "About") {
		switch {
		case len(r) > 0 && r[0] == "rules file":
			in = true
		case !in || len(r) < 2 || r[0] == "rule":
		default:
			out = append(out, r[0]+" "+r[1])
		}
	}
	return out
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestXLSX(t *testing.T) {
	seed, err := os.ReadFile("../../data/trade.csv")
	if err != nil {
		t.Fatal(err)
	}
	rulesYAML, err := os.ReadFile("../../data/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	seedRules := []string{"../../data/rules.yaml " + sha(rulesYAML), "fdi-2023-doubled error", "turnover-2023 error", "turnover-2024-jan-jul error",
		"fdi-2005-2024-covers-years error", "fdi-2023-of-total error", "article-figures error"}
	env := map[string]string{"SOURCE_DATE_EPOCH": "1728950400"}
	cases := []struct {
		name     string
		args     []string
		stdin    []byte
		wantCode int
		wantFile bool
		banner   string
		inputs   map[string]string
		// rulesFile is the rules file cited on the About sheet (see
		// aboutRulesFile).
		rulesFile []string
	}{
		{name: "seed", args: []string{"xlsx", "../../data/trade.csv"}, wantFile: true,
			banner: "All checks hold.", inputs: map[string]string{"../../data/trade.csv": sha(seed)}, rulesFile: seedRules},
		{name: "no rules", args: []string{"xlsx", "--no-rules", "../../data/trade.csv"}, wantFile: true,
			banner: "All checks hold.", inputs: map[string]string{"../../data/trade.csv": sha(seed)}},
		{name: "standard input", args: []string{"xlsx", "--period", "2023", "-"}, stdin: seed, wantFile: true,
			banner: "All checks hold.", inputs: map[string]string{"<stdin>": sha(seed)}},
		{name: "images", args: []string{"xlsx", "--images", "../../data/trade.csv"}, wantFile: true,
			banner: "All checks hold."},
		{name: "refused", args: []string{"xlsx", "testdata/turnover_534.csv"}, wantCode: exitFindings},
		{name: "forced", args: []string{"xlsx", "--force", "testdata/turnover_534.csv"}, wantFile: true,
			banner: "CHECKS FAILED: 1 error and no warnings."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "sub", "book.xlsx")
			code, stdout, stderr := runCase(append(tc.args, "--out", out), tc.stdin, env)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.wantCode, stdout, stderr)
			}
			_, err := os.Stat(out)
			if got := err == nil; got != tc.wantFile {
				t.Fatalf("file written = %v, want %v (%s)", got, tc.wantFile, stderr)
			}
			if !tc.wantFile {
				return
			}
			f, err := excelize.OpenFile(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			banner, _ := f.GetCellValue("Summary", "A2")
			if !strings.HasPrefix(banner, tc.banner) {
				t.Errorf("banner %q, want it to begin %q", banner, tc.banner)
			}
			if tc.inputs != nil {
				if got := aboutInputs(t, out); !mapsEqual(got, tc.inputs) {
					t.Errorf("About cites %v, want %v", got, tc.inputs)
				}
				if got := aboutRulesFile(t, out); !slices.Equal(got, tc.rulesFile) {
					t.Errorf("About cites the rules file %q, want %q", got, tc.rulesFile)
				}
			}
		})
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestXLSXSameBytes(t *testing.T) {
	dir := t.TempDir()
	var files [2][]byte
	for i := range files {
		out := filepath.Join(dir, "book"+string(rune('a'+i))+".xlsx")
		code, _, stderr := runCase([]string{"xlsx", "--out", out, "../../data/trade.csv"}, nil, map[string]string{"SOURCE_DATE_EPOCH": "1728950400"})
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		files[i], _ = os.ReadFile(out)
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Error("two runs with the same input and SOURCE_DATE_EPOCH wrote different bytes")
	}
}

func TestXLSXRefusalKeepsEarlierWorkbook(t *testing.T) {
	out := filepath.Join(t.TempDir(), "book.xlsx")
	if err := os.WriteFile(out, []byte("earlier"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, _ := runCase([]string{"xlsx", "--out", out, "testdata/turnover_534.csv"}, nil, nil)
	if code != exitFindings {
		t.Fatalf("exit %d, want %d", code, exitFindings)
	}
	if b, _ := os.ReadFile(out); string(b) != "earlier" {
		t.Errorf("the earlier workbook was changed")
	}
}

func TestDefaultWorkbook(t *testing.T) {
	ds, err := stats.LoadFile("../../data/trade.csv", stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	e := &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }}
	path, err := defaultWorkbook(e, &checked{ds: ds, findings: stats.Check(ds, nil)}, dir, time.Date(2024, 10, 15, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "report-2024-01--2024-07.xlsx"); path != want {
		t.Errorf("path %q, want %q", path, want)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Summary", "E5"); v != "2024-01/2024-07" {
		t.Errorf("Summary period header %q, want 2024-01/2024-07", v)
	}
}

// TestXLSXDataOnly writes the Data sheets of a file checked a year at a
// time and read again, and of one loaded whole (standard input): every row
// is in the workbook, with its file and line; the same input gives the same
// bytes; errors refuse the workbook unless --force; flags of the full
// workbook are refused.
func TestXLSXDataOnly(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "trade.csv")
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source,note\n")
	for y := 2019; y <= 2023; y++ {
		for m := 1; m <= 12; m++ {
			fmt.Fprintf(&b, "KAZ,ARM,exports,%d-%02d,%d.5,USD million,\"BNS, KAZ\",\n", y, m, m)
			fmt.Fprintf(&b, "KAZ,ARM,imports,%d-%02d,%d.25,USD million,BNS,\"a \"\"quoted\"\" note\"\n", y, m, m)
		}
	}
	csv := []byte(b.String())
	if err := os.WriteFile(in, csv, 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SOURCE_DATE_EPOCH": "1728950400"}
	run := func(stdin []byte, args ...string) (int, string) {
		code, stdout, stderr := runCase(args, stdin, env)
		return code, stdout + stderr
	}
	read := func(path string) [][]string { return sheetRows(t, path, "Data") }
	out := filepath.Join(dir, "out", "d.xlsx")
	code, msg := run(nil, "xlsx", "--data-only", "--no-rules", "--out", out, in)
	if code != 0 || !strings.Contains(msg, "wrote "+out+": 120 observations from "+in+"; no errors, no warnings") {
		t.Fatalf("exit %d\n%s", code, msg)
	}
	rows := read(out)
	if len(rows) != 121 {
		t.Fatalf("%d rows, want a header and 120", len(rows))
	}
	if got, want := strings.Join(rows[2], "|"), in+"|3|KAZ|ARM|imports|2019-01|1.25|USD million|A|BNS|a \"quoted\" note"; got != want {
		t.Errorf("row 3:\n%s\nwant\n%s", got, want)
	}
	first, _ := os.ReadFile(out)
	if code, msg := run(nil, "xlsx", "--data-only", "--no-rules", "--out", out, in); code != 0 {
		t.Fatalf("again: exit %d\n%s", code, msg)
	}
	if again, _ := os.ReadFile(out); !bytes.Equal(first, again) {
		t.Error("the same input gave other bytes")
	}

	// Standard input is loaded whole; the rows are the same.
	fromStdin := filepath.Join(dir, "stdin.xlsx")
	if code, msg := run(csv, "xlsx", "--data-only", "--no-rules", "--out", fromStdin, "-"); code != 0 {
		t.Fatalf("stdin: exit %d\n%s", code, msg)
	}
	if got := read(fromStdin); len(got) != 121 || got[2][1] != "3" || got[2][0] != "<stdin>" {
		t.Errorf("stdin: %d rows, row 3 %q", len(got), got[2])
	}

	// A negative export is an error: no workbook, unless --force.
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, append(csv, "KAZ,ARM,exports,2024-01,-1,USD million,BNS,\n"...), 0o644)
	badOut := filepath.Join(dir, "bad.xlsx")
	if code, msg := run(nil, "xlsx", "--data-only", "--no-rules", "--out", badOut, bad); code != 1 || !strings.Contains(msg, "[sign]") {
		t.Errorf("errors: exit %d\n%s", code, msg)
	}
	if _, err := os.Stat(badOut); err == nil {
		t.Error("a workbook was written from data with errors")
	}
	if code, msg := run(nil, "xlsx", "--data-only", "--no-rules", "--force", "--out", badOut, bad); code != 0 || len(read(badOut)) != 122 {
		t.Errorf("--force: exit %d\n%s", code, msg)
	}

	for _, flag := range []string{"--period=2023", "--images"} {
		if code, msg := run(nil, "xlsx", "--data-only", flag, in); code != exitUsage || !strings.Contains(msg, "--data-only") {
			t.Errorf("%s: exit %d\n%s", flag, code, msg)
		}
	}

	// The file is rewritten between the check and the writing, to the
	// same size and time of change: the rows read again are not those
	// checked, and no workbook is written.
	st, err := os.Stat(in)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { testHookChecked = nil }()
	for _, changed := range [][]byte{
		bytes.Replace(csv, []byte("2023-12,12.5"), []byte("2023-12,-2.5"), 1),
		[]byte("no longer a table\n"),
	} {
		testHookChecked = func() {
			if err := os.WriteFile(in, changed, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(in, time.Time{}, st.ModTime()); err != nil {
				t.Fatal(err)
			}
		}
		changedOut := filepath.Join(dir, "changed.xlsx")
		if code, msg := run(nil, "xlsx", "--data-only", "--no-rules", "--out", changedOut, in); code != exitUsage || !strings.Contains(msg, "no workbook written: "+in+" changed after it was checked") {
			t.Errorf("a file changed after the check: exit %d\n%s", code, msg)
		}
		if _, err := os.Stat(changedOut); err == nil {
			t.Error("a workbook was written from rows that were not checked")
		}
		if err := os.WriteFile(in, csv, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestXLSXCheckedThenLoaded checks that the workbook of a file checked a
// year at a time and then read again whole is the one of the same bytes
// loaded whole and checked (a named pipe, which can be read once): the
// same findings, and the same rows read and rejected on the About sheet.
// A file rewritten between the check and the second reading writes no
// workbook.
func TestXLSXCheckedThenLoaded(t *testing.T) {
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source,note\n")
	for y := 2022; y <= 2023; y++ {
		for m := 1; m <= 12; m++ {
			fmt.Fprintf(&b, "KAZ,ARM,exports,%d-%02d,%d.5,USD million,BNS,\n", y, m, m)
			fmt.Fprintf(&b, "KAZ,ARM,imports,%d-%02d,%d.25,USD million,BNS,provisional\n", y, m, m)
			fmt.Fprintf(&b, "KAZ,ARM,turnover,%d-%02d,%d.75,USD million,BNS,\n", y, m, 2*m+m%2)
		}
	}
	csv, in := withRejectedRow(t, &b)
	dir := filepath.Dir(in)
	env := map[string]string{"SOURCE_DATE_EPOCH": "1728950400"}
	run := func(args ...string) (int, string) {
		code, stdout, stderr := runCase(args, nil, env)
		return code, stdout + stderr
	}
	streamed := filepath.Join(dir, "streamed.xlsx")
	code, msg := run("xlsx", "--no-rules", "--force", "--out", streamed, in)
	if code != 0 || !strings.Contains(msg, "wrote "+streamed+": 2023-Q4, 72 observations") {
		t.Fatalf("exit %d\n%s", code, msg)
	}
	about := map[string]string{}
	for _, r := range sheetRows(t, streamed, "About") {
		if len(r) > 1 {
			about[r[0]] = r[1]
		}
	}
	if about["rows read"] != "73" || about["observations"] != "72" || about["rows rejected"] != "1" || about[in] != sha(csv) {
		t.Errorf("About: rows read %q, observations %q, rejected %q, %s %q", about["rows read"], about["observations"], about["rows rejected"], in, about[in])
	}
	if len(sheetRows(t, streamed, "Checks")) < 5 {
		t.Error("the Checks sheet lists no findings")
	}

	// The same bytes through a named pipe of the same name, loaded whole.
	if err := os.Remove(in); err != nil {
		t.Fatal(err)
	}
	servePipe(t, in, csv)
	whole := filepath.Join(dir, "whole.xlsx")
	if code, msg := run("xlsx", "--no-rules", "--force", "--out", whole, in); code != 0 {
		t.Fatalf("whole: exit %d\n%s", code, msg)
	}
	a, _ := os.ReadFile(streamed)
	w, _ := os.ReadFile(whole)
	if !bytes.Equal(a, w) {
		t.Error("the workbook of the file checked a year at a time is not that of the file loaded whole")
	}

	// Rewritten after the check: no workbook.
	if err := os.Remove(in); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, csv, 0o644); err != nil {
		t.Fatal(err)
	}
	defer func() { testHookChecked = nil }()
	testHookChecked = func() {
		if err := os.WriteFile(in, bytes.Replace(csv, []byte("2023-12,12.5"), []byte("2023-12,-2.5"), 1), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	changed := filepath.Join(dir, "changed.xlsx")
	if code, msg := run("xlsx", "--no-rules", "--force", "--out", changed, in); code != exitUsage || !strings.Contains(msg, "no workbook written: "+in+" changed after it was checked") {
		t.Errorf("a file changed after the check: exit %d\n%s", code, msg)
	}
	if _, err := os.Stat(changed); err == nil {
		t.Error("a workbook was written from rows that were not checked")
	}
}

// TestXLSXInLittleMemory checks that a workbook whose rows would not fit
// in the memory available is made a group of pairs at a time, and is the
// bytes of the workbook made from the rows held whole: with the default
// period and a named one. A file rewritten while it is read again writes
// nothing.
func TestXLSXInLittleMemory(t *testing.T) {
	var b strings.Builder
	b.WriteString(sixPairs(2022, 2023, func(b *strings.Builder, p string, i, y, m int) {
		if m%3 == 0 {
			fmt.Fprintf(b, "KAZ,%s,turnover,%d-Q%d,%d.0,USD million,BNS,\n", p, y, m/3, 3*m+i)
		}
		if m == 5+i {
			fmt.Fprintf(b, "KAZ,%s,turnover,%d-%02d,99.9,USD million,BNS,\n", p, y, m) // wrong
		}
	}))
	csv, in := withRejectedRow(t, &b)
	dir := filepath.Dir(in)
	run := func(memory int64, args ...string) (int, string) {
		var stdout, stderr bytes.Buffer
		e := &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" },
			memory: func() (int64, bool) { return memory, true }}
		code := runEnv(append([]string{"xlsx", "--no-rules", "--force", "--as-of", "2024-10-15"}, args...), e)
		return code, stdout.String() + stderr.String()
	}
	// The same rows with semicolons, in Windows-1251, with a source in
	// Cyrillic: the groups' files are read back as they were written.
	other := inWindows1251(t, dir, string(csv))
	// A copy of the file: each of its rows given twice.
	twin := filepath.Join(dir, "twin.csv")
	if err := os.WriteFile(twin, csv, 0o644); err != nil {
		t.Fatal(err)
	}
	defer func(old func() bool) { groupsOnDisk = old }(groupsOnDisk)
	for _, tc := range []struct {
		flags  []string
		onDisk bool
		files  []string
	}{
		{nil, true, nil}, {[]string{"--period", "2023"}, true, nil}, {[]string{"--images"}, true, nil},
		{nil, false, nil}, {[]string{"--period", "2023"}, false, nil},
		// A file and its copy: the findings link to the first one's rows.
		{nil, true, []string{in, twin}},
		{[]string{"--delimiter", ";", "--encoding", "windows-1251"}, true, []string{other}},
		{[]string{"--delimiter", ";", "--encoding", "windows-1251"}, false, []string{other}},
	} {
		groupsOnDisk = func() bool { return tc.onDisk }
		files := tc.files
		if files == nil {
			files = []string{in}
		}
		args := append(slices.Clone(tc.flags), files...)
		whole := filepath.Join(dir, "whole.xlsx")
		if code, msg := run(1<<40, append([]string{"--out", whole}, args...)...); code != 0 {
			t.Fatalf("plenty of memory: exit %d\n%s", code, msg)
		}
		// 100 kB holds 133 rows: groups of 66 rows, a pair each.
		grouped := filepath.Join(dir, "grouped.xlsx")
		if code, msg := run(100_000, append([]string{"--out", grouped}, args...)...); code != 0 || !strings.Contains(msg, "wrote "+grouped+": 2023") {
			t.Fatalf("little memory: exit %d\n%s", code, msg)
		}
		a, _ := os.ReadFile(whole)
		g, _ := os.ReadFile(grouped)
		if len(a) == 0 || !bytes.Equal(a, g) {
			t.Errorf("%q, groups' files on disk %v: the workbook made a group of pairs at a time is not that of the rows held whole", tc.flags, tc.onDisk)
		}
	}

	// Where the groups' files cannot be written, the groups read the file
	// again: the same bytes.
	t.Setenv("TMPDIR", filepath.Join(dir, "none"))
	groupsOnDisk = func() bool { return true }
	whole, grouped := filepath.Join(dir, "whole.xlsx"), filepath.Join(dir, "grouped.xlsx")
	if code, msg := run(1<<40, "--out", whole, in); code != 0 {
		t.Fatalf("plenty of memory: exit %d\n%s", code, msg)
	}
	if code, msg := run(100_000, "--out", grouped, in); code != 0 {
		t.Fatalf("no temporary files: exit %d\n%s", code, msg)
	}
	if a, g := readFile(t, whole), readFile(t, grouped); a == "" || a != g {
		t.Error("without the groups' files, the workbook made a group of pairs at a time is not that of the rows held whole")
	}
	t.Setenv("TMPDIR", dir)

	// More rows than a workbook is made of held whole, in plenty of
	// memory: in groups (which ask where their files go), the same bytes.
	defer func(old int) { maxWholeRows = old }(maxWholeRows)
	maxWholeRows = 100
	inGroups := false
	groupsOnDisk = func() bool { inGroups = true; return true }
	if code, msg := run(1<<40, "--out", grouped, in); code != 0 || !inGroups {
		t.Fatalf("more rows than held whole: exit %d, in groups %v\n%s", code, inGroups, msg)
	}
	maxWholeRows = 1 << 30
	if code, msg := run(1<<40, "--out", whole, in); code != 0 {
		t.Fatalf("held whole: exit %d\n%s", code, msg)
	}
	if readFile(t, whole) != readFile(t, grouped) {
		t.Error("more rows than held whole: the workbook made in groups is not that of the rows held whole")
	}

	defer func() { testHookChecked = nil }()
	testHookChecked = rewriteAfterCheck(t, in, bytes.Replace(csv, []byte("2023-12,12.5"), []byte("2023-12,-2.5"), 1))
	changed := filepath.Join(dir, "changed.xlsx")
	if code, msg := run(100_000, "--out", changed, in); code != exitUsage || !strings.Contains(msg, "no workbook written: "+in+" changed after it was checked") {
		t.Errorf("a file changed after the check: exit %d\n%s", code, msg)
	}
	if _, err := os.Stat(changed); err == nil {
		t.Error("a workbook was written from rows that were not checked")
	}
}

// withRejectedRow ends the table in b with a row the loader rejects and
// writes it to a file of a temporary directory; it returns its bytes and
// the file's path.
func withRejectedRow(t *testing.T, b *strings.Builder) ([]byte, string) {
	t.Helper()
	b.WriteString("KAZ,ARM,exports,2023-13,1.0,USD million,BNS,\n")
	csv := []byte(b.String())
	in := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(in, csv, 0o644); err != nil {
		t.Fatal(err)
	}
	return csv, in
}

// rewriteAfterCheck returns a testHookChecked that rewrites the file at
// path with data, to the same time of change.
func rewriteAfterCheck(t *testing.T, path string, data []byte) func() {
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, time.Time{}, st.ModTime()); err != nil {
			t.Fatal(err)
		}
	}
}

// sixPairs returns a tidy CSV of KAZ's exports to and imports from six
// partners by month, from year first to last, quoted fields and notes
// among them, each pair's rows of a month followed by what more writes
// for the pair's partner p, its number i, the year y and the month m.
func sixPairs(first, last int, more func(b *strings.Builder, p string, i, y, m int)) string {
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source,note\n")
	for y := first; y <= last; y++ {
		for m := 1; m <= 12; m++ {
			for i, p := range []string{"ARM", "KGZ", "UZB", "TJK", "RUS", "CHN"} {
				fmt.Fprintf(&b, "KAZ,%s,exports,%d-%02d,%d.5,USD million,\"BNS, KAZ\",\n", p, y, m, m+i)
				fmt.Fprintf(&b, "KAZ,%s,imports,%d-%02d,%d.25,USD million,BNS,\"provisional, \"\"see\"\" note\"\n", p, y, m, m)
				more(&b, p, i, y, m)
			}
		}
	}
	return b.String()
}

// inWindows1251 writes csv into dir as cp1251.csv with semicolons for
// commas, in Windows-1251, with BNS in Cyrillic, and returns its path.
func inWindows1251(t *testing.T, dir, csv string) string {
	t.Helper()
	text := strings.ReplaceAll(strings.ReplaceAll(csv, ",", ";"), "BNS", "БНС")
	cp1251, err := charmap.Windows1251.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "cp1251.csv")
	if err := os.WriteFile(path, []byte(cp1251), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestXLSXPeriodWithoutFigures asks for the workbook of a period of which
// the data has no figures, from rows held whole and a group of pairs at a
// time: exit 2, the periods that have figures, and no workbook.
func TestXLSXPeriodWithoutFigures(t *testing.T) {
	in := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(in, []byte(sixPairs(2022, 2023, func(*strings.Builder, string, int, int, int) {})), 0o644); err != nil {
		t.Fatal(err)
	}
	defer func(old func() bool) { groupsOnDisk = old }(groupsOnDisk)
	cases := []struct {
		name       string
		memory     int64 // 100 kB holds 133 rows of the 288: made in groups
		period     string
		wantCode   int
		wantStderr string
	}{
		{name: "held whole", memory: 1 << 40, period: "1999", wantCode: exitUsage,
			wantStderr: "report: --period: no figures of 1999 in the data; the years with figures are 2022 to 2023\n"},
		{name: "in groups", memory: 100_000, period: "1999", wantCode: exitUsage,
			wantStderr: "report: --period: no figures of 1999 in the data; the years with figures are 2022 to 2023\n"},
		{name: "in groups, a quarter", memory: 100_000, period: "2024-Q1", wantCode: exitUsage,
			wantStderr: "report: --period: no figures of 2024-Q1 in the data; the quarters with figures are 2022-Q1 to 2023-Q4\n"},
		{name: "held whole, a period with figures", memory: 1 << 40, period: "2023-Q2"},
		{name: "in groups, a period with figures", memory: 100_000, period: "2023-Q2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inGroups := false
			groupsOnDisk = func() bool { inGroups = true; return true }
			out := filepath.Join(t.TempDir(), "out.xlsx")
			var stdout, stderr bytes.Buffer
			e := &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" },
				memory: func() (int64, bool) { return tc.memory, true }}
			code := runEnv([]string{"xlsx", "--no-rules", "--as-of", "2024-10-15", "--period", tc.period, "--out", out, in}, e)
			if code != tc.wantCode || stderr.String() != tc.wantStderr {
				t.Errorf("xlsx --period %s: exit %d, stderr %q; want exit %d, stderr %q", tc.period, code, stderr.String(), tc.wantCode, tc.wantStderr)
			}
			_, err := os.Stat(out)
			if written := err == nil; written != (tc.wantCode == exitOK) {
				t.Errorf("xlsx --period %s: workbook written %v, exit %d", tc.period, written, code)
			}
			if tc.wantCode == exitOK && inGroups != (tc.memory < 1<<40) {
				t.Errorf("xlsx --period %s with %d bytes: made in groups %v", tc.period, tc.memory, inGroups)
			}
		})
	}
}

// TestWorkbookToStandardOutput runs report in a child process whose
// standard output is a pipe or a file, with --out naming standard output
// in each of its ways: the workbook is there alone, the same bytes as
// written to a file, and the line that says so is on standard error.
func TestWorkbookToStandardOutput(t *testing.T) {
	if args := os.Getenv("REPORT_STDOUT_CHILD"); args != "" {
		os.Exit(run(strings.Split(args, "\n"), os.Stdin, os.Stdout, os.Stderr))
	}
	// The child runs in dir, where a file named "-" would be written.
	data, err := filepath.Abs("../../data/trade.csv")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"SOURCE_DATE_EPOCH": "1728950400"}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	want := map[bool][]byte{} // by --data-only
	for _, dataOnly := range []bool{false, true} {
		path := filepath.Join(dir, fmt.Sprintf("want-%v.xlsx", dataOnly))
		args := []string{"xlsx", "--out", path, data}
		if dataOnly {
			args = append(args, "--data-only")
		}
		if code, _, stderr := runCase(args, nil, vars); code != 0 {
			t.Fatalf("report %s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
		want[dataOnly], _ = os.ReadFile(path)
	}
	tests := []struct {
		name     string
		out      string // $FILE is the file standard output is, when toFile
		toFile   bool
		dataOnly bool
	}{
		{name: "dev stdout to a pipe", out: "/dev/stdout"},
		{name: "dev stdout to a file", out: "/dev/stdout", toFile: true},
		{name: "dash to a pipe", out: "-"},
		{name: "dash to a file", out: "-", toFile: true},
		{name: "dev fd 1 to a file", out: "/dev/fd/1", toFile: true},
		{name: "the file itself", out: "$FILE", toFile: true},
		{name: "data only to a pipe", out: "-", dataOnly: true},
		{name: "data only dev stdout to a file", out: "/dev/stdout", toFile: true, dataOnly: true},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(dir, fmt.Sprintf("stdout-%d.xlsx", i))
			args := []string{"xlsx", "--out", strings.ReplaceAll(tc.out, "$FILE", file), data}
			if tc.dataOnly {
				args = append(args, "--data-only")
			}
			cmd := exec.Command(self, "-test.run=^TestWorkbookToStandardOutput$")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "REPORT_STDOUT_CHILD="+strings.Join(args, "\n"), "SOURCE_DATE_EPOCH="+vars["SOURCE_DATE_EPOCH"])
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr // a pipe
			if tc.toFile {
				f, err := os.Create(file)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				cmd.Stdout = f
			}
			if err := cmd.Run(); err != nil {
				t.Fatalf("report %s: %v: %s", strings.Join(args, " "), err, stderr.String())
			}
			got := stdout.Bytes()
			if tc.toFile {
				got, _ = os.ReadFile(file)
			}
			if !bytes.Equal(got, want[tc.dataOnly]) {
				t.Errorf("report %s: standard output is %d bytes, not the %d of the workbook written to a file (it ends %q)",
					strings.Join(args, " "), len(got), len(want[tc.dataOnly]), got[max(len(got)-40, 0):])
			}
			if _, err := excelize.OpenReader(bytes.NewReader(got)); err != nil {
				t.Errorf("report %s: standard output is no workbook: %v", strings.Join(args, " "), err)
			}
			if !strings.HasPrefix(stderr.String(), "wrote standard output: ") {
				t.Errorf("report %s: standard error %q, want it to say the workbook was written to standard output", strings.Join(args, " "), stderr.String())
			}
		})
	}
}

// TestForcedWorkbookToStandardOutput checks that the findings of a forced
// workbook written to standard output go to standard error, where they
// came before the workbook's first bytes; and so do those of a workbook
// refused.
func TestForcedWorkbookToStandardOutput(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("reporter,partner,indicator,period,value,unit,status,source,note\n"+
		"KAZ,ARM,exports,2023,33.3,USD million,,B,\nKAZ,ARM,imports,2023,19.8,USD million,,B,\nKAZ,ARM,turnover,2023,53.4,USD million,,B,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"SOURCE_DATE_EPOCH": "1728950400"}
	for _, args := range [][]string{
		{"xlsx", "--force", "-o", "-", bad},
		{"xlsx", "--force", "--data-only", "-o", "-", bad},
	} {
		code, stdout, stderr := runCase(args, nil, vars)
		if code != exitOK || !strings.HasPrefix(stdout, "PK") {
			t.Errorf("report %s: exit %d, standard output begins %q; want 0 and a workbook", strings.Join(args, " "), code, stdout[:min(len(stdout), 40)])
		}
		if !strings.Contains(stderr, "[turnover]") {
			t.Errorf("report %s: standard error %q lacks the finding", strings.Join(args, " "), stderr)
		}
	}
	code, stdout, stderr := runCase([]string{"xlsx", "-o", "-", bad}, nil, vars)
	if code != exitFindings || stdout != "" || !strings.Contains(stderr, "[turnover]") {
		t.Errorf("report xlsx -o - of failing data: exit %d, standard output %q, standard error %q; want 1, nothing, the finding", code, stdout, stderr)
	}
}
