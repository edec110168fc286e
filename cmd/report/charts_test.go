package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tradedesk/report/stats"
)

// TestChartsSpecStreamed checks the charts of a spec drawn from a file
// that is checked a year at a time and read again for the rows of the
// spec's pairs: the charts are those of a file of that pair alone, every
// pair is still checked, and a file that changes between the check and
// the second reading draws nothing.
func TestChartsSpecStreamed(t *testing.T) {
	dir := t.TempDir()
	var all, kazArm strings.Builder
	header := "reporter,partner,indicator,period,value,unit,source,note\n"
	all.WriteString(header)
	kazArm.WriteString(header)
	for y := 2019; y <= 2023; y++ {
		for m := 1; m <= 12; m++ {
			for _, pair := range []string{"KAZ,ARM", "KAZ,KGZ", "RUS,ARM"} {
				for i, ind := range []string{"exports", "imports"} {
					row := fmt.Sprintf("%s,%s,%d-%02d,%d.%d,USD million,BNS,\n", pair, ind, y, m, m+i, y%10)
					all.WriteString(row)
					if pair == "KAZ,ARM" {
						kazArm.WriteString(row)
					}
				}
			}
		}
	}
	write := writeIn(t, dir)
	in := write("all.csv", all.String())
	alone := write("kaz-arm.csv", kazArm.String())
	spec := write("spec.yaml", `charts:
  - id: kaz-arm
    kind: grouped
    title: Kazakhstan's trade with Armenia
    formats: [png, svg]
    series:
      reporter: KAZ
      partner: ARM
      indicators: [exports, imports]
      periods: [2023-01, 2023-02, 2023-03]
`)
	run := func(stdin []byte, out string, args ...string) (int, string) {
		args = append([]string{"charts", "--no-rules", "--spec", spec, "--as-of", "2024-10-15", "--out", out}, args...)
		code, stdout, stderr := runCase(args, stdin, nil)
		return code, stdout + stderr
	}
	files := []string{"kaz-arm.png", "kaz-arm.svg", "kaz-arm.csv", "kaz-arm.alt.txt"}
	same := func(what, a, b string) {
		t.Helper()
		for _, name := range files {
			x, err := os.ReadFile(filepath.Join(a, name))
			if err != nil {
				t.Fatal(err)
			}
			y, err := os.ReadFile(filepath.Join(b, name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(x, y) {
				t.Errorf("%s: %s differs", what, name)
			}
		}
	}
	want := filepath.Join(dir, "alone")
	if code, msg := run(nil, want, alone); code != 0 {
		t.Fatalf("the pair alone: exit %d\n%s", code, msg)
	}
	got := filepath.Join(dir, "all")
	if code, msg := run(nil, got, in); code != 0 || !strings.Contains(msg, "wrote 4 files of 1 chart") {
		t.Fatalf("all pairs: exit %d\n%s", code, msg)
	}
	same("all pairs", want, got)
	fromStdin := filepath.Join(dir, "stdin")
	if code, msg := run([]byte(all.String()), fromStdin, "-"); code != 0 {
		t.Fatalf("standard input: exit %d\n%s", code, msg)
	}
	same("standard input", want, fromStdin)

	// An error in a pair the spec does not draw still stops the charts.
	bad := write("bad.csv", all.String()+"KAZ,KGZ,exports,2024-01,-1,USD million,BNS,\n")
	badOut := filepath.Join(dir, "bad")
	if code, msg := run(nil, badOut, bad); code != 1 || !strings.Contains(msg, "[sign]") || !strings.Contains(msg, "no charts drawn") {
		t.Errorf("an error in another pair: exit %d\n%s", code, msg)
	}
	if _, err := os.Stat(badOut); err == nil {
		t.Error("charts were drawn from data with errors")
	}

	// Two files without a temporary directory for the years: checked in
	// turn when the second goes on where the first ends, else loaded
	// whole; the same charts.
	t.Run("no temporary directory", func(t *testing.T) {
		t.Setenv("TMPDIR", filepath.Join(dir, "gone"))
		lines := strings.SplitAfter(all.String(), "\n")
		half := len(lines) / 2
		first := write("first.csv", strings.Join(lines[:half], ""))
		second := write("second.csv", header+strings.Join(lines[half:], ""))
		for _, order := range [][]string{{first, second}, {second, first}} {
			twoOut := filepath.Join(dir, "two-"+filepath.Base(order[0]))
			if code, msg := run(nil, twoOut, order...); code != 0 {
				t.Fatalf("exit %d\n%s", code, msg)
			}
			same("two files", want, twoOut)
		}
	})

	// The file is rewritten between the check and the second reading, to
	// the same size and time of change: nothing is drawn.
	st, err := os.Stat(in)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { testHookChecked = nil }()
	testHookChecked = func() {
		changed := strings.Replace(all.String(), "KAZ,ARM,exports,2023-02,2.3", "KAZ,ARM,exports,2023-02,9.3", 1)
		if changed == all.String() {
			t.Fatal("the figure to change is not in the file")
		}
		write("all.csv", changed)
		if err := os.Chtimes(in, time.Time{}, st.ModTime()); err != nil {
			t.Fatal(err)
		}
	}
	changedOut := filepath.Join(dir, "changed")
	if code, msg := run(nil, changedOut, in); code != exitUsage || !strings.Contains(msg, "no charts drawn: "+in+" changed after it was checked") {
		t.Errorf("a file changed after the check: exit %d\n%s", code, msg)
	}
	if _, err := os.Stat(changedOut); err == nil {
		t.Error("charts were drawn from rows that were not checked")
	}
}

// TestLoadPairs checks that the rows read again for charts are those of
// the pairs asked for, all of them, in file order.
func TestLoadPairs(t *testing.T) {
	in := filepath.Join(t.TempDir(), "in.csv")
	text := "reporter,partner,indicator,period,value,unit,source\n" +
		"KAZ,ARM,exports,2023,1,USD million,A\n" +
		"KAZ,KGZ,exports,2023,2,USD million,A\n" +
		"ARM,KAZ,exports,2023,3,USD million,A\n" +
		"KAZ,ARM,imports,2023,4,USD million,A\n" +
		"RUS,ARM,imports,2023,5,USD million,A\n"
	if err := os.WriteFile(in, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }, reads: newRereadLog()}
	ds, err := loadPairs(e, []string{in}, &inputFlags{encoding: "utf-8"}, []stats.Pair{{Reporter: "KAZ", Partner: "ARM"}, {Reporter: "RUS", Partner: "ARM"}}, nil, []string{in}, "no charts drawn")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range ds.Obs {
		got = append(got, fmt.Sprintf("%s %s %s %d", o.Reporter, o.Partner, o.Indicator, o.Pos.Line))
	}
	if want := "KAZ ARM exports 2|KAZ ARM imports 5|RUS ARM imports 6"; strings.Join(got, "|") != want || ds.Rows != 3 || len(ds.Files) != 1 {
		t.Errorf("rows %q (%d), files %v; want %q", got, ds.Rows, ds.Files, want)
	}
}

// TestBuiltInChartsCheckedThenLoaded checks that the built-in charts of a
// file checked a year at a time, then read again whole, are those of the
// same bytes loaded whole (standard input from a reader that is not a
// file, copied), and that a file rewritten between the two readings draws
// nothing.
func TestBuiltInChartsCheckedThenLoaded(t *testing.T) {
	// Years and months of two pairs: no period spans years, which the
	// seed data has (2005/2024) and which is checked loaded whole.
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source,note\n")
	for _, pair := range []string{"KAZ,ARM", "KAZ,KGZ"} {
		for y := 2022; y <= 2024; y++ {
			for m := 1; m <= 12; m++ {
				fmt.Fprintf(&b, "%s,exports,%d-%02d,%d.5,USD million,BNS,\n", pair, y, m, m)
				fmt.Fprintf(&b, "%s,imports,%d-%02d,%d.25,USD million,BNS,provisional\n", pair, y, m, y-2000)
			}
			fmt.Fprintf(&b, "%s,fdi_in_gross,%d,%d.0,USD million,NBK,\n", pair, y, y-2010)
			if y < 2024 {
				fmt.Fprintf(&b, "%s,exports,%d,84.0,USD million,BNS,\n", pair, y)
				fmt.Fprintf(&b, "%s,imports,%d,%d.0,USD million,BNS,\n", pair, y, 12*(y-2000)+3)
			}
		}
		fmt.Fprintf(&b, "%s,exports,2024-01/2024-07,31.5,USD million,BNS,\n", pair)
		fmt.Fprintf(&b, "%s,imports,2024-01/2024-07,169.75,USD million,BNS,\n", pair)
	}
	seed := []byte(b.String())
	dir := t.TempDir()
	in := filepath.Join(dir, "trade.csv")
	if err := os.WriteFile(in, seed, 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SOURCE_DATE_EPOCH": "1728950400"}
	run := func(stdin []byte, out string, args ...string) (int, string) {
		code, stdout, stderr := runCase(append([]string{"charts", "--out", out}, args...), stdin, env)
		return code, stdout + stderr
	}
	fromFile := filepath.Join(dir, "file")
	if code, msg := run(nil, fromFile, in); code != 0 || strings.Contains(msg, "finding") {
		t.Fatalf("exit %d\n%s", code, msg)
	}
	// A named pipe is loaded whole.
	pipe := filepath.Join(dir, "pipe")
	servePipe(t, pipe, seed)
	whole := filepath.Join(dir, "whole")
	if code, msg := run(nil, whole, pipe); code != 0 {
		t.Fatalf("a named pipe: exit %d\n%s", code, msg)
	}
	files, err := os.ReadDir(fromFile)
	if err != nil || len(files) < 30 {
		t.Fatalf("%d chart files (%v)", len(files), err)
	}
	for _, f := range files {
		a, _ := os.ReadFile(filepath.Join(fromFile, f.Name()))
		b, err := os.ReadFile(filepath.Join(whole, f.Name()))
		// The source line names the file: the pipe's name differs.
		if err != nil || !bytes.Equal(bytes.ReplaceAll(a, []byte(in), []byte(pipe)), b) && !bytes.Equal(a, b) {
			t.Errorf("%s differs between the file checked a year at a time and the file loaded whole (%v)", f.Name(), err)
		}
	}

	defer func() { testHookChecked = nil }()
	testHookChecked = rewriteAfterCheck(t, in, bytes.Replace(seed, []byte("\n"), []byte("\n\n"), 1))
	changed := filepath.Join(dir, "changed")
	if code, msg := run(nil, changed, in); code != exitUsage || !strings.Contains(msg, "no charts drawn: "+in+" changed after it was checked") {
		t.Errorf("a file changed after the check: exit %d\n%s", code, msg)
	}
	if _, err := os.Stat(changed); err == nil {
		t.Error("charts were drawn from rows that were not checked")
	}
}

// servePipe makes a named pipe at path and writes data into it once a
// reader opens it; it skips the test where there are no named pipes.
func servePipe(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := mkfifo(path); err != nil {
		t.Skipf("no named pipe: %v", err)
	}
	go func() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		f.Write(data)
		f.Close()
	}()
}

// TestBuiltInChartsInGroups checks that the built-in charts drawn a group
// of pairs at a time, in little memory or from more rows than are held
// whole, are the files of the rows held whole: with the groups' rows in
// temporary files or read from the inputs again, and from a file with
// semicolons in Windows-1251, whose groups' files are read back as written.
func TestBuiltInChartsInGroups(t *testing.T) {
	csv := sixPairs(2021, 2024, func(b *strings.Builder, p string, i, y, m int) {
		if m == 12 && y < 2024 {
			fmt.Fprintf(b, "KAZ,%s,exports,%d,%d.0,USD million,\"BNS, KAZ\",\n", p, y, 100+i)
			fmt.Fprintf(b, "KAZ,%s,imports,%d,%d.0,USD million,BNS,\n", p, y, 80+y-2000)
			fmt.Fprintf(b, "%s,KAZ,fdi_in_gross,%d,%d.0,USD million,NBK,estimated\n", p, y, y-2010+i)
		}
		if m == 7 && y >= 2023 {
			fmt.Fprintf(b, "KAZ,%s,exports,%d-01/%d-07,%d.5,USD million,\"BNS, KAZ\",\n", p, y, y, 30+i)
			fmt.Fprintf(b, "KAZ,%s,imports,%d-01/%d-07,%d.75,USD million,BNS,\n", p, y, y, 40+y-2020)
		}
	})
	dir := t.TempDir()
	in := filepath.Join(dir, "trade.csv")
	if err := os.WriteFile(in, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	other := inWindows1251(t, dir, csv)
	// listed holds what each run wrote out, by its directory.
	listed := map[string]string{}
	try := func(memory int64, out string, args ...string) (code int, stdout, stderr string) {
		var o, e bytes.Buffer
		code = runEnv(append([]string{"charts", "--no-rules", "--force", "--as-of", "2024-10-15", "--format", "svg", "--out", out}, args...),
			&env{stdout: &o, stderr: &e, getenv: func(string) string { return "" }, memory: func() (int64, bool) { return memory, true }})
		return code, o.String(), e.String()
	}
	run := func(memory int64, out string, args ...string) {
		t.Helper()
		code, stdout, stderr := try(memory, out, args...)
		if code != 0 {
			t.Fatalf("%d bytes of memory, %q: exit %d\n%s%s", memory, args, code, stdout, stderr)
		}
		listed[out] = strings.ReplaceAll(stdout, out, "OUT")
	}
	same := func(a, b string) {
		t.Helper()
		if listed[a] != listed[b] {
			t.Errorf("drawn in groups, the charts were written in another order:\n%s\nheld whole:\n%s", listed[b], listed[a])
		}
		files, err := os.ReadDir(a)
		if err != nil || len(files) < 6*5 {
			t.Fatalf("%d chart files in %s (%v)", len(files), a, err)
		}
		others, _ := os.ReadDir(b)
		if len(others) != len(files) {
			t.Fatalf("%d chart files drawn in groups, %d held whole", len(others), len(files))
		}
		for _, f := range files {
			x, _ := os.ReadFile(filepath.Join(a, f.Name()))
			y, err := os.ReadFile(filepath.Join(b, f.Name()))
			if err != nil || !bytes.Equal(x, y) {
				t.Errorf("%s drawn in groups (%s) is not the one of the rows held whole (%v)", f.Name(), b, err)
			}
		}
	}
	defer func(old func() bool) { groupsOnDisk = old }(groupsOnDisk)
	for _, tc := range []struct {
		args   []string
		onDisk bool
	}{
		{[]string{in}, true},
		{[]string{in}, false},
		{[]string{"--delimiter", ";", "--encoding", "windows-1251", other}, true},
		{[]string{"--delimiter", ";", "--encoding", "windows-1251", other}, false},
	} {
		whole := t.TempDir()
		run(1<<40, whole, tc.args...)
		// 30 kB holds 40 rows, of the 126 the charts draw: groups of 20
		// rows, a pair (21 rows) each.
		asked := false
		groupsOnDisk = func() bool { asked = true; return tc.onDisk }
		grouped := t.TempDir()
		run(30_000, grouped, tc.args...)
		if !asked {
			t.Fatalf("%q in little memory: not drawn in groups", tc.args)
		}
		same(whole, grouped)
	}

	// Where the groups' files cannot be written, the groups read the
	// file again.
	t.Setenv("TMPDIR", filepath.Join(dir, "none"))
	groupsOnDisk = func() bool { return true }
	noTemp := t.TempDir()
	run(30_000, noTemp, in)
	whole := t.TempDir()
	run(1<<40, whole, in)
	same(whole, noTemp)
	t.Setenv("TMPDIR", dir)

	// A file rewritten with a pair more after its check, before each of
	// its readings again (for the rows held and counted, then written to
	// the groups' files or read for the first group): nothing drawn.
	defer func() { testHookChecked = nil }()
	for _, onDisk := range []bool{true, false} {
		for at := 1; at <= 2; at++ {
			if err := os.WriteFile(in, []byte(csv), 0o644); err != nil {
				t.Fatal(err)
			}
			rewrite := rewriteAfterCheck(t, in, []byte(strings.Replace(csv, "\n", "\nKAZ,BLR,exports,2023,1.0,USD million,BNS,\n", 1)))
			calls := 0
			testHookChecked = func() {
				if calls++; calls == at {
					rewrite()
				}
			}
			groupsOnDisk = func() bool { return onDisk }
			out := t.TempDir()
			code, stdout, stderr := try(30_000, out, in)
			testHookChecked = nil
			if entries, _ := os.ReadDir(out); code != exitUsage || !strings.Contains(stderr, "no charts drawn: ") || !strings.Contains(stderr, "changed") || len(entries) != 0 {
				t.Errorf("rewritten before reading %d, groups' files on disk %v: exit %d, %d files drawn\n%s%s", at, onDisk, code, len(entries), stdout, stderr)
			}
		}
	}
	if err := os.WriteFile(in, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}

	// More rows than are held whole, in plenty of memory: in groups.
	defer func(old int) { maxWholeRows = old }(maxWholeRows)
	maxWholeRows = 100
	asked := false
	groupsOnDisk = func() bool { asked = true; return true }
	grouped := t.TempDir()
	run(1<<40, grouped, in)
	if !asked {
		t.Fatal("more rows than held whole: not drawn in groups")
	}
	same(whole, grouped)
}

// TestChartsSpecLang checks that --lang given overrides the language of
// every chart of a spec, as --format and --size override theirs, where it
// was ignored; without it each chart keeps its own.
func TestChartsSpecLang(t *testing.T) {
	dir := t.TempDir()
	spec := writeIn(t, dir)("spec.yaml", `charts:
  - id: own
    kind: grouped
    title: Trade
    series: {reporter: KAZ, partner: ARM, indicators: [exports, imports], periods: ["2024-01/2024-07"]}
  - id: ru
    kind: grouped
    title: Торговля
    lang: ru
    series: {reporter: KAZ, partner: ARM, indicators: [exports, imports], periods: ["2024-01/2024-07"]}
`)
	tests := []struct {
		name string
		args []string
		want map[string]string // a chart's alt text holds its category
	}{
		{"spec's own", nil, map[string]string{"own": "January–July 2024", "ru": "Январь–июль 2024"}},
		{"lang kk", []string{"--lang", "kk"}, map[string]string{"own": "Қаңтар–шілде 2024", "ru": "Қаңтар–шілде 2024"}},
		{"lang en", []string{"--lang", "en"}, map[string]string{"own": "January–July 2024", "ru": "January–July 2024"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
			args := append([]string{"charts", "--no-rules", "--spec", spec, "--format", "svg", "--out", out, "../../data/trade.csv"}, tc.args...)
			if code, stdout, stderr := runCase(args, nil, nil); code != 0 {
				t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
			}
			for id, want := range tc.want {
				alt, err := os.ReadFile(filepath.Join(out, id+".alt.txt"))
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(string(alt), want) {
					t.Errorf("%s.alt.txt = %q, want %q in it", id, alt, want)
				}
			}
		})
	}
}

// TestChartsHelpSpec checks that the spec the help of charts shows draws
// its chart from the seed data, so that the example a reader copies works.
func TestChartsHelpSpec(t *testing.T) {
	long := newChartsCmd(&env{}).Long
	_, after, ok := strings.Cut(long, "\n  charts:\n")
	if !ok {
		t.Fatal("the help shows no spec")
	}
	example, _, _ := strings.Cut("  charts:\n"+after, "\n\n")
	var yaml strings.Builder
	for line := range strings.Lines(example) {
		yaml.WriteString(strings.TrimPrefix(line, "  "))
	}
	dir := t.TempDir()
	spec := writeIn(t, dir)("spec.yaml", yaml.String())
	out := filepath.Join(dir, "out")
	if code, stdout, stderr := runCase([]string{"charts", "--no-rules", "--spec", spec, "--format", "svg", "--out", out, "../../data/trade.csv"}, nil, nil); code != 0 {
		t.Fatalf("the help's spec:\n%s\nexit %d\n%s%s", yaml.String(), code, stdout, stderr)
	}
	alt, err := os.ReadFile(filepath.Join(out, "kaz-arm-trade.alt.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "2023: Exports 33.3, Imports 19.8, Turnover 53.1"; !strings.Contains(string(alt), want) {
		t.Errorf("alt text %q, want %q in it", alt, want)
	}
}
