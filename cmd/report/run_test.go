package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
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

// TestProgressOnlyOnTerminal pins that CI logs and pipes get no progress
// bar: standard error that is a buffer, a pipe or a regular file is not a
// terminal.
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
	for name, stderr := range map[string]io.Writer{"buffer": &bytes.Buffer{}, "file": logFile} {
		if progressBar(&env{stderr: stderr}, big) != nil {
			t.Errorf("progress bar drawn on a %s", name)
		}
	}
}
