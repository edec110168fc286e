package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/tradedesk/report/stats"
)

// TestNoKillInControlGroup runs report check, as main runs it, in a memory
// control group too small for the GOGC headroom of its year: it must end
// by itself, with the check's findings or with exit status 2 and
// ErrMemory's message, never be killed by the kernel. The same run with
// GOMEMLIMIT=off, as report ran before it kept to the memory available,
// must be killed, or the group tests nothing here and the test is
// skipped. The check runs on the file, and on standard input, a pipe,
// copied to a TMPDIR on a tmpfs, whose pages the group counts too (see
// tempMemory); and with every finding listed (--max-findings 0): its year
// has every turnover wrong, 118,800 findings, which the check holds until
// its end. It needs root and a memory controller it may make groups in
// (version 1, or version 2 with memory in the root's subtree_control).
func TestNoKillInControlGroup(t *testing.T) {
	if path := os.Getenv("REPORT_CGROUP_CHILD"); path != "" {
		// The child: report check, as main runs it.
		setUp(os.Getenv)
		args := append(append([]string{"check", "--no-rules"}, strings.Fields(os.Getenv("REPORT_CGROUP_FLAGS"))...), path)
		os.Exit(withPrivateTemp(func() int { return run(args, os.Stdin, os.Stdout, os.Stderr) }))
	}
	if testing.Short() {
		t.Skip("runs report in a memory control group")
	}
	if raceEnabled {
		t.Skip("the race detector's runtime does not fit the groups")
	}
	if os.Geteuid() != 0 {
		t.Skip("making a control group needs root")
	}
	path := filepath.Join(t.TempDir(), "year.csv")
	writeOneYear(t, path)
	for _, tc := range []struct {
		mb    int64
		tmpfs bool   // standard input copied to a tmpfs, or the file
		flags string // of report check
	}{{64, false, ""}, {80, false, ""}, {64, true, ""}, {90, true, ""}, {100, false, "--max-findings 0"}} {
		name := fmt.Sprintf("%d MB", tc.mb)
		if tc.tmpfs {
			name += ", standard input copied to a tmpfs"
		}
		if tc.flags != "" {
			name += ", " + tc.flags
		}
		mb := tc.mb
		flags := "REPORT_CGROUP_FLAGS=" + tc.flags
		t.Run(name, func(t *testing.T) {
			var in *inGroup
			if tc.tmpfs {
				in = &inGroup{stdin: path, tmpdir: mountTmpfs(t)}
			}
			killed, _, _ := runInGroup(t, mb, path, in, flags, "GOMEMLIMIT=off")
			if !killed {
				t.Skipf("with GOMEMLIMIT=off the check was not killed in %d MB: the group tests nothing here", mb)
			}
			killed, code, stderr := runInGroup(t, mb, path, in, flags)
			switch {
			case killed:
				t.Errorf("killed in %d MB\n%s", mb, stderr)
			case code == exitUsage && !strings.Contains(stderr, stats.ErrMemory.Error()+": "):
				t.Errorf("exit status 2 in %d MB without ErrMemory's message:\n%s", mb, stderr)
			case code != 0 && code != 1 && code != exitUsage:
				t.Errorf("exit status %d in %d MB\n%s", code, mb, stderr)
			}
			t.Logf("%d MB: exit status %d %s", mb, code, firstLine(stderr))
		})
	}
}

// writeOneYear writes the twelve months of 2020 of 29,700 series (exports,
// imports and turnover between 100 economies) to path: 356,400 rows, whose
// check holds about 40 MB once they are read and 57 MB at its end, and
// twice that with GOGC's headroom.
func writeOneYear(t *testing.T, path string) {
	var codes []string
	for a := 'A'; a <= 'Z' && len(codes) < 100; a++ {
		for b := 'A'; b <= 'Z' && len(codes) < 100; b++ {
			for c := 'A'; c <= 'Z' && len(codes) < 100; c++ {
				code := string([]rune{a, b, c})
				if _, agg := stats.Aggregates[code]; !agg && stats.ValidCode(code) {
					codes = append(codes, code)
				}
			}
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	var line []byte
	for m := 1; m <= 12; m++ {
		for i, r := range codes {
			for j, p := range codes {
				if i == j {
					continue
				}
				for k, ind := range []string{"exports", "imports", "turnover"} {
					v := i + j
					if k == 2 {
						v *= 2
					}
					line = fmt.Appendf(line[:0], "%s,%s,%s,2020-%02d,%d.5,USD million,S\n", r, p, ind, m, v)
					w.Write(line)
				}
			}
		}
	}
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		t.Fatal(err)
	}
}

// inGroup is how runInGroup runs the child other than on a file: on
// standard input, a pipe it copies the file stdin to, with TMPDIR set to
// tmpdir.
type inGroup struct{ stdin, tmpdir string }

// mountTmpfs mounts a tmpfs for the test, removed at its end, or skips it.
func mountTmpfs(t *testing.T) string {
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=256m"); err != nil {
		t.Skipf("cannot mount a tmpfs: %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// runInGroup runs the test's child, report check of path (or as in tells),
// in a memory control group of mb megabytes made for it, with the
// environment's settings env more, and tells whether the kernel killed it,
// else its exit status, and what it wrote to standard error. The test is
// skipped where no group can be made.
func runInGroup(t *testing.T, mb int64, path string, in *inGroup, env ...string) (killed bool, code int, stderr string) {
	dir, limitFile := makeGroup(t)
	defer os.Remove(dir)
	if err := os.WriteFile(filepath.Join(dir, limitFile), []byte(strconv.FormatInt(mb<<20, 10)), 0o644); err != nil {
		t.Skipf("cannot limit %s: %v", dir, err)
	}
	// The shell joins the group, then becomes the child: nothing of the
	// child runs outside it.
	cmd := exec.Command("sh", "-c", `echo $$ > "$1/cgroup.procs" && exec "$0" -test.run='^TestNoKillInControlGroup$'`, os.Args[0], dir)
	// A child the kernel kills leaves its temporary directory: in the
	// test's.
	cmd.Env = append(append(os.Environ(), "REPORT_CGROUP_CHILD="+path, "TMPDIR="+t.TempDir()), env...)
	if in != nil {
		f, err := os.Open(in.stdin)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		// Not the file itself, which a check reads in place: a pipe.
		cmd.Stdin = struct{ io.Reader }{f}
		cmd.Env = append(cmd.Env, "REPORT_CGROUP_CHILD=-", "TMPDIR="+in.tmpdir)
	}
	var errb strings.Builder
	cmd.Stderr = &errb
	err := cmd.Run()
	if ee, ok := errors.AsType[*exec.ExitError](err); ok {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			// What the group held, for the failure's message.
			for _, name := range []string{"memory.max_usage_in_bytes", "memory.peak", "memory.stat"} {
				if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
					errb.WriteString(name + ": " + strings.Join(strings.Fields(string(b)), " ") + "\n")
				}
			}
			return ws.Signal() == syscall.SIGKILL, -1, errb.String()
		}
		return false, ee.ExitCode(), errb.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return false, 0, errb.String()
}

// makeGroup makes a memory control group for the test and returns its
// directory and the name of its file of the limit, or skips the test.
func makeGroup(t *testing.T) (dir, limitFile string) {
	name := fmt.Sprintf("report-test-%d", os.Getpid())
	if _, err := os.Stat("/sys/fs/cgroup/memory/memory.limit_in_bytes"); err == nil {
		dir, limitFile = filepath.Join("/sys/fs/cgroup/memory", name), "memory.limit_in_bytes"
	} else if ctl, err := os.ReadFile("/sys/fs/cgroup/cgroup.subtree_control"); err == nil && strings.Contains(string(ctl), "memory") {
		dir, limitFile = filepath.Join("/sys/fs/cgroup", name), "memory.max"
	} else {
		t.Skip("no memory controller to make a group in")
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !os.IsExist(err) {
		t.Skipf("cannot make a control group: %v", err)
	}
	return dir, limitFile
}

// firstLine returns the first line of s.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
