package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/spf13/cobra"
	"github.com/tradedesk/report/internal/golden"
)

func init() {
	// A command that panics, to pin that a panic is an internal error.
	subcommands = append(subcommands, func(*env) *cobra.Command {
		return &cobra.Command{Use: "test-panic", Hidden: true, RunE: func(*cobra.Command, []string) error {
			var m map[string]int
			m["x"]++
			return nil
		}}
	})
}

// runCase runs the command line in-process with a fixed environment and
// returns its exit code, standard output and standard error.
func runCase(args []string, stdin []byte, vars map[string]string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	e := &env{stdin: bytes.NewReader(stdin), stdout: &stdout, stderr: &stderr,
		getenv: func(k string) string { return vars[k] }}
	code := runEnv(args, e)
	return code, stdout.String(), stderr.String()
}

// TestCases runs every case directory testdata/cases/NAME: args holds one
// argument a line ($TMP is a temporary directory), stdin (optional) the
// standard input, and the golden file out the exit code, standard output
// and standard error.
func TestCases(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "cases", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, "args"))
			if err != nil {
				t.Fatal(err)
			}
			// $TMP in an argument stands for a fresh temporary directory,
			// so that cases which write files write them outside the tree.
			tmp := t.TempDir()
			var args []string
			for _, a := range strings.Split(strings.TrimRight(string(raw), "\n"), "\n") {
				if a != "" {
					args = append(args, strings.ReplaceAll(a, "$TMP", tmp))
				}
			}
			stdin, _ := os.ReadFile(filepath.Join(dir, "stdin"))
			code, stdout, stderr := runCase(args, stdin, map[string]string{"SOURCE_DATE_EPOCH": "1728950400"})
			got := fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", code, stdout, stderr)
			got = strings.ReplaceAll(got, tmp, "$TMP")
			golden.Check(t, filepath.Join("cases", name, "out"), []byte(got))
		})
	}
}

// TestBadInputCorpus pins every file of the loader's bad-input corpus to its
// exit code, positions and hints.
func TestBadInputCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "stats", "testdata", "load", "*.csv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".csv")
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runCase([]string{"check", filepath.ToSlash(f)}, nil, nil)
			if code == exitInternal {
				t.Fatalf("internal error: %s", stderr)
			}
			got := fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", code, stdout, stderr)
			golden.Check(t, filepath.Join("badinput", name+".out"), []byte(got))
		})
	}
}

func TestPanicIsInternalError(t *testing.T) {
	code, _, stderr := runCase([]string{"test-panic"}, nil, nil)
	if code != exitInternal || !strings.Contains(stderr, "report: internal error") {
		t.Errorf("panic gave exit %d, stderr %q; want exit 3 and an internal error", code, stderr)
	}
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"check", "../../data/trade.csv"}, exitOK},
		{[]string{"check", "testdata/turnover_534.csv"}, exitFindings},
		{[]string{"check", "no-such-file.csv"}, exitUsage},
		{[]string{"check", "--no-such-flag"}, exitUsage},
		{[]string{"no-such-command"}, exitUsage},
		{[]string{"check", "--encoding", "ebcdic", "../../data/trade.csv"}, exitUsage},
		{[]string{"check", "--delimiter", "::", "../../data/trade.csv"}, exitUsage},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			if code, _, stderr := runCase(tc.args, nil, nil); code != tc.want {
				t.Errorf("exit %d; want %d (stderr %q)", code, tc.want, stderr)
			}
		})
	}
}

func TestStdin(t *testing.T) {
	in, err := os.ReadFile("testdata/turnover_534.csv")
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := runCase([]string{"check", "-"}, in, nil)
	if code != exitFindings || !strings.Contains(stdout, "<stdin>:4:") {
		t.Errorf("check - gave exit %d, stdout %q; want exit 1 and a finding at <stdin>:4", code, stdout)
	}
}

// TestStdinStreamed checks that standard input is checked a year at a time
// from a temporary copy, with the findings of the same file named, and
// that the copy is gone when the command ends.
func TestStdinStreamed(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	in := "reporter,partner,indicator,period,value,unit,source\n" +
		"KAZ,ARM,exports,2023,33.3,USD million,BNS\nKAZ,ARM,imports,2023,19.8,USD million,BNS\nKAZ,ARM,turnover,2023,53.4,USD million,BNS\n" +
		"KAZ,ARM,exports,2021,10.0,USD million,BNS\nKAZ,ARM,imports,2021,5.0,USD million,BNS\nKAZ,ARM,turnover,2021,16.0,USD million,BNS\n" +
		"KAZ,ARM,exports,2022,1.0,USD million,BNS\nKAZ,ARM,exports,2023-01,3.0,USD million,BNS\n"
	path := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	wantCode, want, _ := runCase([]string{"check", path}, nil, nil)
	want = strings.ReplaceAll(want, path, "<stdin>")
	if wantCode != exitFindings || !strings.Contains(want, "<stdin>:7:") {
		t.Fatalf("check %s: exit %d\n%s", path, wantCode, want)
	}
	for _, args := range [][]string{{"check", "-"}, {"check", "--max-findings", "1", "-"}} {
		code, got, stderr := runCase(args, []byte(in), nil)
		if args[1] == "--max-findings" {
			_, want, _ = runCase([]string{"check", "--max-findings", "1", path}, nil, nil)
			want = strings.ReplaceAll(want, path, "<stdin>")
		}
		if code != wantCode || got != want {
			t.Errorf("%s: exit %d, want %d\n%s%s\nwant:\n%s", strings.Join(args, " "), code, wantCode, got, stderr, want)
		}
	}
	// Too little memory to load it whole: only a check a year at a time
	// goes through. With a period across years it must be loaded whole,
	// and the copy's size tells that it cannot.
	little := func() (int64, bool) { return 1, true }
	for _, tc := range []struct {
		in   string
		code int
	}{
		{in, exitFindings},
		{in + "KAZ,ARM,exports,2021/2023,44.3,USD million,BNS\n", exitUsage},
	} {
		var stdout, stderr bytes.Buffer
		code := runEnv([]string{"check", "-"}, &env{stdin: strings.NewReader(tc.in), stdout: &stdout, stderr: &stderr,
			getenv: func(string) string { return "" }, memory: little})
		if code == exitUsage && !strings.Contains(stderr.String(), "whole would take about") {
			t.Errorf("with little memory: %s, want a refusal to load whole", stderr.String())
		}
		if code != tc.code {
			t.Errorf("with little memory: exit %d, want %d\n%s%s", code, tc.code, stdout.String(), stderr.String())
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("left in the temporary directory: %v", left)
	}
}

// TestStdinNoCopy checks standard input when it cannot be copied to a
// temporary file (no temporary directory, a full disk): it is loaded
// whole, with every row, as when it is too odd to read (a directory) or
// named twice it gets a clear error.
func TestStdinNoCopy(t *testing.T) {
	in, err := os.ReadFile("testdata/turnover_534.csv")
	if err != nil {
		t.Fatal(err)
	}
	// Past the buffer of the copy, so that a part is copied before the
	// disk is full.
	big := string(in) + strings.Repeat("KAZ,ARM,exports,2022,1.0,USD million,,BNS,\n", 8000)
	_, want, _ := runCase([]string{"check", "-"}, []byte(big), nil)
	if !strings.Contains(want, "<stdin>:4:") || !strings.Contains(want, "checked 8011 observations from <stdin>") {
		t.Fatalf("check -:\n%s", want)
	}
	t.Run("no temporary directory", func(t *testing.T) {
		t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "gone"))
		code, got, stderr := runCase([]string{"check", "-"}, []byte(big), nil)
		if code != exitFindings || got != want {
			t.Errorf("exit %d\n%s%s\nwant:\n%s", code, got, stderr, want)
		}
		// The workbook hashes standard input as it is read.
		out := filepath.Join(t.TempDir(), "w.xlsx")
		if code, _, stderr := runCase([]string{"xlsx", "--force", "--out", out, "-"}, []byte(big), nil); code != exitOK {
			t.Fatalf("xlsx: exit %d\n%s", code, stderr)
		}
		if got, want := aboutInputs(t, out), map[string]string{"<stdin>": sha([]byte(big))}; !mapsEqual(got, want) {
			t.Errorf("About cites %v, want %v", got, want)
		}
	})
	t.Run("disk full", func(t *testing.T) {
		// The disk fills up inside the first read, after part of it
		// was copied, or later.
		for _, room := range []int64{0, 5000, 100 << 10} {
			defer func(f func() (spoolFile, error)) { createTemp = f }(createTemp)
			createTemp = func() (spoolFile, error) {
				f, err := os.CreateTemp(t.TempDir(), "copy")
				return &fullAfter{File: f, room: room}, err
			}
			code, got, stderr := runCase([]string{"check", "-"}, []byte(big), nil)
			if code != exitFindings || got != want {
				t.Errorf("room for %d bytes: exit %d\n%s%s\nwant:\n%s", room, code, got, stderr, want)
			}
		}
	})
	t.Run("a directory", func(t *testing.T) {
		dir, err := os.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer dir.Close()
		var stdout, stderr bytes.Buffer
		code := runEnv([]string{"check", "-"}, &env{stdin: dir, stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }})
		if code != exitUsage || !strings.Contains(stderr.String(), "cannot read <stdin>: is a directory") {
			t.Errorf("exit %d, %s", code, stderr.String())
		}
	})
	t.Run("named twice", func(t *testing.T) {
		code, _, stderr := runCase([]string{"check", "-", "-"}, in, nil)
		if code != exitUsage || !strings.Contains(stderr, "named 2 times") {
			t.Errorf("exit %d, %s", code, stderr)
		}
		code, _, stderr = runCase([]string{"check", "--previous", "-", "-"}, in, nil)
		if code != exitUsage || !strings.Contains(stderr, "can be read once") {
			t.Errorf("--previous - -: exit %d, %s", code, stderr)
		}
	})
}

// TestTeedFailed checks that a copy of standard input that fails stays
// failed: standard input is not read further, and what was read is all
// given back with the rest.
func TestTeedFailed(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "copy")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data := strings.Repeat("0123456789", 100)
	src := strings.NewReader(data)
	// The second read fills the disk half-way through.
	tee := &teed{src: src, f: &fullAfter{File: f, room: 450}}
	p := make([]byte, 300)
	if n, err := tee.Read(p); n != 300 || err != nil {
		t.Fatalf("first read: %d, %v; want 300 bytes", n, err)
	}
	if _, err := tee.Read(p); !errors.Is(err, errCopyFailed) {
		t.Fatalf("second read: %v, want errCopyFailed", err)
	}
	if tee.written != 450 || len(tee.pending) != 150 {
		t.Errorf("%d bytes written and %d pending, want 450 and 150", tee.written, len(tee.pending))
	}
	if _, err := tee.Read(p); !errors.Is(err, errCopyFailed) || src.Len() != 400 {
		t.Errorf("third read: %v with %d bytes left of 1000; want errCopyFailed, 400", err, src.Len())
	}
	if _, err := tee.Seek(0, io.SeekStart); !errors.Is(err, errCopyFailed) || src.Len() != 400 {
		t.Errorf("seek: %v with %d bytes left; want errCopyFailed, 400", err, src.Len())
	}
	e := &env{spool: &spooled{tee: tee}}
	if err := e.spool.noCopy(e, tee.failed); !errors.Is(err, errNoSpool) {
		t.Fatalf("noCopy: %v", err)
	}
	if got, err := io.ReadAll(e.stdin); err != nil || string(got) != data {
		t.Errorf("read again: %d bytes, %v; want the %d bytes of standard input", len(got), err, len(data))
	}
}

// TestTeedStartsAtOnce checks that standard input copied as it is read
// can be read at once: a seek to its start before anything was read
// copies nothing, and the reading goes on as a copy.
func TestTeedStartsAtOnce(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	data := strings.Repeat("0123456789", 1000)
	src := strings.NewReader(data)
	e := &env{stdin: src, spool: &spooled{}}
	defer e.spool.close()
	r, err := spoolStdin(e)
	if err != nil {
		t.Fatal(err)
	}
	if src.Len() != len(data) {
		t.Fatalf("%d bytes of standard input read before the first read, want none", len(data)-src.Len())
	}
	p := make([]byte, 100)
	if n, err := r.Read(p); n != 100 || err != nil || string(p) != data[:100] || src.Len() != len(data)-100 {
		t.Fatalf("first read: %d bytes %q, %v; %d left", n, p[:n], err, src.Len())
	}
	// A second reading copies the rest and starts again.
	r, err = spoolStdin(e)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(r); err != nil || string(got) != data || src.Len() != 0 {
		t.Errorf("read again: %d bytes, %v; want all %d", len(got), err, len(data))
	}
}

// fullAfter is a file on a disk with room for room more bytes.
type fullAfter struct {
	*os.File
	room int64
}

func (f *fullAfter) Write(p []byte) (int, error) {
	if int64(len(p)) <= f.room {
		n, err := f.File.Write(p)
		f.room -= int64(n)
		return n, err
	}
	n, _ := f.File.Write(p[:f.room])
	f.room -= int64(n)
	return n, syscall.ENOSPC
}

// TestStdinFileAtOffset checks standard input that is a regular file read
// past a part before the command began ({ read -r first; report check -; }
// < file): every read of it, again and whole, starts where it stood.
func TestStdinFileAtOffset(t *testing.T) {
	in, err := os.ReadFile("testdata/turnover_534.csv")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.csv")
	// A period across years makes the check load the data whole, after
	// it began a year at a time.
	body := string(in) + "KAZ,ARM,exports,2021/2023,44.3,USD million,,BNS,\n"
	if err := os.WriteFile(plain, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	// A regular file is read again in place, never copied.
	defer func(f func() (spoolFile, error)) { createTemp = f }(createTemp)
	createTemp = func() (spoolFile, error) {
		t.Error("standard input, a regular file, was copied")
		return nil, errors.New("no copy")
	}
	const prefix = "a line read by another program\n"
	prefixed := filepath.Join(dir, "prefixed.csv")
	vars := map[string]string{"SOURCE_DATE_EPOCH": "1728950400"}
	// stdin runs the command with standard input a file that holds a
	// line and then body, read past the line.
	stdin := func(t *testing.T, body string, args ...string) (int, string) {
		if err := os.WriteFile(prefixed, []byte(prefix+body), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(prefixed)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.Seek(int64(len(prefix)), io.SeekStart); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		code := runEnv(args, &env{stdin: f, stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return vars[k] }})
		return code, stdout.String() + stderr.String()
	}
	for _, args := range [][]string{{"check"}, {"check", "--max-findings", "1"}} {
		wantCode, want, stderr := runCase(append(args, plain), nil, nil)
		want = strings.ReplaceAll(want+stderr, plain, "<stdin>")
		if code, got := stdin(t, body, append(args, "-")...); code != wantCode || got != want {
			t.Errorf("%s -: exit %d, want %d\n%s\nwant:\n%s", strings.Join(args, " "), code, wantCode, got, want)
		}
	}
	// The workbook hashes standard input from where it stood.
	out := filepath.Join(dir, "w.xlsx")
	if code, msg := stdin(t, body, "xlsx", "--force", "--out", out, "-"); code != 0 {
		t.Fatalf("xlsx -: exit %d\n%s", code, msg)
	}
	if got, want := aboutInputs(t, out), map[string]string{"<stdin>": sha([]byte(body))}; !mapsEqual(got, want) {
		t.Errorf("About cites %v, want %v", got, want)
	}
	// The Data sheets are checked a year at a time, then read again from
	// where standard input stood, and a file that changed in between is
	// told. The years 2023 and 2024 alone can be checked a year at a time.
	lines := strings.SplitAfter(string(in), "\n")
	in = []byte(strings.Join(lines[:7], ""))
	dataOut := filepath.Join(dir, "d.xlsx")
	if code, msg := stdin(t, string(in), "xlsx", "--data-only", "--no-rules", "--force", "--out", dataOut, "-"); code != 0 {
		t.Fatalf("xlsx --data-only -: exit %d\n%s", code, msg)
	}
	rows := sheetRows(t, dataOut, "Data")
	if lines := bytes.Count(in, []byte("\n")); len(rows) != lines || len(rows[1]) < 3 || rows[1][0] != "<stdin>" || rows[1][1] != "2" || rows[1][2] != "KAZ" {
		t.Errorf("Data sheet: %d rows, want %d; the first %q", len(rows), lines, rows[1])
	}
	defer func() { testHookChecked = nil }()
	testHookChecked = func() {
		if err := os.WriteFile(prefixed, []byte(prefix+strings.Replace(string(in), "KAZ", "KGZ", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if code, msg := stdin(t, string(in), "xlsx", "--data-only", "--no-rules", "--force", "--out", filepath.Join(dir, "changed.xlsx"), "-"); code != exitUsage || !strings.Contains(msg, "no workbook written: <stdin> changed after it was checked") {
		t.Errorf("standard input changed after the check: exit %d\n%s", code, msg)
	}
}

// TestProgressOnlyOnTerminal pins that CI logs and pipes get no progress
// bar: standard error that is a buffer, a regular file or /dev/null (a
// character device) is not a terminal.
func TestProgressOnlyOnTerminal(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(big, make([]byte, 33<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	logFile, err := os.Create(filepath.Join(t.TempDir(), "stderr.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	for name, stderr := range map[string]io.Writer{"buffer": &bytes.Buffer{}, "file": logFile, os.DevNull: null} {
		if progressBar(&env{stderr: stderr}, big) != nil || progressBar(&env{stderr: stderr}, big, big) != nil {
			t.Errorf("progress bar drawn on a %s", name)
		}
	}
}

// TestDrawProgress draws a file read twice: the second reading says so,
// and each ends by clearing the line.
func TestDrawProgress(t *testing.T) {
	var b strings.Builder
	draw := drawProgress(&b, "big.csv", 40<<20)
	for _, n := range []int64{10 << 20, 40 << 20, 1 << 20, 40 << 20} {
		draw(n)
	}
	want := "\rreading big.csv [#######                       ]  25%" +
		"\rreading big.csv [##############################] 100%\r\033[K" +
		"\rreading big.csv again [                              ]   2%" +
		"\rreading big.csv again [##############################] 100%\r\033[K"
	if got := b.String(); got != want {
		t.Errorf("drawn\n%q\nwant\n%q", got, want)
	}
}

// TestWithProgress checks the reader that draws a release's progress: it
// reports the bytes read about every megabyte, never fewer than before,
// and all of them at the end; with no bar it is the reader itself.
func TestWithProgress(t *testing.T) {
	const size = 3<<20 + 12345
	src := bytes.NewReader(make([]byte, size))
	if withProgress(src, nil) != io.Reader(src) {
		t.Fatal("a reader without a bar is wrapped")
	}
	var calls []int64
	r := withProgress(src, func(n int64) { calls = append(calls, n) })
	if n, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{r}, make([]byte, 64<<10)); err != nil || n != size {
		t.Fatalf("copied %d bytes, %v", n, err)
	}
	if len(calls) < 4 || len(calls) > 6 || calls[len(calls)-1] != size {
		t.Fatalf("progress %v, want about one a megabyte and %d last", calls, size)
	}
	for i := 1; i < len(calls); i++ {
		if calls[i] < calls[i-1] {
			t.Fatalf("progress went back: %v", calls)
		}
	}
}

// TestOutFlags checks that every command that writes a file or a folder
// takes it as -o, --out and --out=, and import also as --output (its own
// name for it).
func TestOutFlags(t *testing.T) {
	kz := filepath.Join("..", "..", "stats", "ingest", "testdata", "kz")
	tests := []struct {
		args []string // before the output flag
		file string   // what is written, under the output path
		data []string // after it
		code int
	}{
		{nil, filepath.Join("charts", "kaz-arm-balance.png"), nil, exitOK},
		{[]string{"charts"}, "kaz-arm-balance.png", []string{"../../data/trade.csv"}, exitOK},
		{[]string{"xlsx"}, "", []string{"../../data/trade.csv"}, exitOK},
		// The table has rows that cannot be mapped; the others are written.
		{[]string{"import", "--map", filepath.Join(kz, "map.yaml")}, "", []string{filepath.Join(kz, "table.csv")}, exitFindings},
	}
	for _, tc := range tests {
		forms := [][]string{{"-o", "X"}, {"--out", "X"}, {"--out=X"}}
		if len(tc.args) > 0 && tc.args[0] == "import" {
			forms = append(forms, []string{"--output", "X"})
		}
		for _, form := range forms {
			name := strings.Join(append(slices.Clone(tc.args[:min(len(tc.args), 1)]), form[0]), " ")
			t.Run(name, func(t *testing.T) {
				out := filepath.Join(t.TempDir(), "out")
				args := slices.Clone(tc.args)
				for _, a := range form {
					args = append(args, strings.Replace(a, "X", out, 1))
				}
				args = append(args, tc.data...)
				code, stdout, stderr := runCase(args, nil, map[string]string{"SOURCE_DATE_EPOCH": "1728950400"})
				if code != tc.code {
					t.Fatalf("%q: exit %d, want %d\n%s%s", args, code, tc.code, stdout, stderr)
				}
				if _, err := os.Stat(filepath.Join(out, tc.file)); err != nil {
					t.Errorf("%q wrote no %s: %v", args, filepath.Join(out, tc.file), err)
				}
			})
		}
	}
	// import's two names of one flag, naming two files.
	dir := t.TempDir()
	args := []string{"import", "--map", filepath.Join(kz, "map.yaml"), "--out", filepath.Join(dir, "a.csv"), "--output", filepath.Join(dir, "b.csv"), filepath.Join(kz, "table.csv")}
	if code, _, stderr := runCase(args, nil, nil); code != exitUsage || !strings.Contains(stderr, "name two files") {
		t.Errorf("%q: exit %d, want %d saying it names two files\n%s", args, code, exitUsage, stderr)
	}
	// And one file by two names.
	args[6] = filepath.Join(dir, ".", "a.csv")
	if code, _, stderr := runCase(args, nil, nil); code != exitFindings {
		t.Errorf("%q: exit %d, want %d\n%s", args, code, exitFindings, stderr)
	}
}

// TestTyped checks that a flag is named as the command line spelled it.
func TestTyped(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "--out"},
		{[]string{"charts", "-o", "x"}, "-o"},
		{[]string{"charts", "-ox"}, "-o"},
		{[]string{"charts", "-o=x"}, "-o"},
		{[]string{"charts", "--out", "x"}, "--out"},
		{[]string{"charts", "--out=x"}, "--out"},
		{[]string{"charts", "-o", "x", "--out", "y"}, "--out"}, // the last counts
		{[]string{"charts", "--out", "-o"}, "--out"},           // a value, not a flag
		{[]string{"charts", "--", "-o"}, "--out"},              // a file name
		{[]string{"charts", "--output", "x"}, "--out"},         // another flag
		{[]string{"charts", "--outx"}, "--out"},
	}
	for _, tc := range tests {
		if got := typed(tc.args, "out", "o"); got != tc.want {
			t.Errorf("typed(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
	if got := typed([]string{"import", "-o", "x"}, "output", "o"); got != "-o" {
		t.Errorf("import -o: %q", got)
	}
	if got := typed([]string{"import", "--output", "x"}, "output", "o"); got != "--output" {
		t.Errorf("import --output: %q", got)
	}
}

// TestOutFlagNamed checks that a refusal of the output names the flag as
// it was typed.
func TestOutFlagNamed(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"charts", "-o", file, "../../data/trade.csv"}, "-o " + file + ": it is a file"},
		{[]string{"charts", "--out", file, "../../data/trade.csv"}, "--out " + file + ": it is a file"},
		{[]string{"-o", file}, "-o " + file + ": it is a file"},
		{[]string{"xlsx", "-o", filepath.Dir(file), "../../data/trade.csv"}, "-o " + filepath.Dir(file) + ": it is a directory"},
		{[]string{"import", "--map", "m.yaml", "--output", filepath.Dir(file), "t.csv"}, "--output " + filepath.Dir(file) + ": it is a directory"},
	} {
		code, stdout, stderr := runCase(tc.args, nil, nil)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, want %d saying %q\n%s%s", tc.args, code, exitUsage, tc.want, stdout, stderr)
		}
	}
}

// TestStandardInputRulesNotRead checks that a check of standard input in
// a folder that holds a rules.yaml says that the file is not read, where
// a CI job piping its data passed without its claims; and that a named
// file, --rules or --no-rules says nothing of it.
func TestStandardInputRulesNotRead(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "data", "trade.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rules, err := os.ReadFile(filepath.Join("..", "..", "data", "rules.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	for name, b := range map[string][]byte{"trade.csv": data, "rules.yaml": rules} {
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const says = "rules.yaml is not read for standard input"
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"check", "-"}, true},
		{[]string{"check", "trade.csv"}, false},
		{[]string{"check", "--rules", "rules.yaml", "-"}, false},
		{[]string{"check", "--no-rules", "-"}, false},
	} {
		code, _, stderr := runCase(tc.args, data, nil)
		if code != exitOK || strings.Contains(stderr, says) != tc.want {
			t.Errorf("report %s: exit %d, standard error %q; want 0, and saying %q %v", strings.Join(tc.args, " "), code, stderr, says, tc.want)
		}
	}
}

// TestArgCount checks that a command given too few or too many arguments
// says what it takes, what it got and where its help is, with exit status
// 2, rather than cobra's count of them.
func TestArgCount(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"diff", "old.csv"}, "diff takes two releases, OLD and NEW; got 1 (old.csv)\nRun 'report diff --help' for usage."},
		{[]string{"diff"}, "diff takes two releases, OLD and NEW; got none"},
		{[]string{"diff", "a", "b", "c"}, "got 3 (a b c)"},
		{[]string{"import", "--map", "m.yaml"}, "import takes one table, FILE (- for standard input); got none\nRun 'report import --help' for usage."},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, _, stderr := runCase(tc.args, nil, nil)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, exitUsage, tc.want)
			}
		})
	}
}
