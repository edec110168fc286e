package main

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/tradedesk/report/stats"
)

// fakeFS is a set of directories and what tempFileSystem tells of each:
// whether it keeps its files in memory and the bytes in use; a directory
// not in it cannot be read.
type fakeFS map[string]fakeDir

// fakeDir is what tempFileSystem tells of a directory of a fakeFS.
type fakeDir struct {
	inMemory bool
	used     int64
}

func (f fakeFS) stat(dir string) (bool, int64, bool) {
	d, ok := f[dir]
	return d.inMemory, d.used, ok
}

// TestTempParent checks where the run's temporary directory is made: in
// /var/tmp rather than a /tmp in memory, where TMPDIR is not set and
// /var/tmp is on a disk; otherwise where os.TempDir says.
func TestTempParent(t *testing.T) {
	tmpfs, disk := fakeDir{inMemory: true}, fakeDir{}
	for _, tc := range []struct {
		name   string
		tmpdir *string
		fs     fakeFS
		want   string
	}{
		{"/tmp on a disk", nil, fakeFS{"/tmp": disk, "/var/tmp": disk}, ""},
		{"/tmp in memory", nil, fakeFS{"/tmp": tmpfs, "/var/tmp": disk}, "/var/tmp"},
		{"/tmp in memory, TMPDIR empty", new(""), fakeFS{"/tmp": tmpfs, "/var/tmp": disk}, "/var/tmp"},
		{"/tmp in memory, TMPDIR set", new("/scratch"), fakeFS{"/tmp": tmpfs, "/var/tmp": disk}, ""},
		{"both in memory", nil, fakeFS{"/tmp": tmpfs, "/var/tmp": tmpfs}, ""},
		{"no /var/tmp", nil, fakeFS{"/tmp": tmpfs}, ""},
		{"/tmp not readable", nil, fakeFS{"/var/tmp": disk}, ""},
	} {
		lookup := func(name string) (string, bool) {
			if name != "TMPDIR" || tc.tmpdir == nil {
				return "", false
			}
			return *tc.tmpdir, true
		}
		if got := tempParent(lookup, tc.fs.stat); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestTempMemory checks the memory a run's temporary files hold in a
// directory in memory: what its file system holds past what it held at
// the start, never less than nothing, with the runtime's memory limit
// lowered by it, and back up as it falls; a lower limit set by another
// (boundGC) stays. On a disk, on a file system that does not tell what it
// holds, or with no memory limit, nothing is counted.
func TestTempMemory(t *testing.T) {
	defer func(b int64, set bool) { memoryBound, memorySet = b, set }(memoryBound, memorySet)
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	defer tempHeld.Store(0)
	const mb = 1 << 20
	fs := fakeFS{"/run/t": {true, 30 * mb}, "/disk": {false, 30 * mb}}
	memoryBound, memorySet = 0, false
	if tempMemory("/run/t", fs.stat) != nil {
		t.Error("counted without a memory limit")
	}
	memoryBound, memorySet = 400*mb, true
	debug.SetMemoryLimit(memoryBound)
	if tempMemory("/disk", fs.stat) != nil {
		t.Error("counted on a disk")
	}
	if tempMemory("/nowhere", fs.stat) != nil {
		t.Error("counted in a directory that cannot be read")
	}
	fs["/ramfs"] = fakeDir{true, -1}
	if tempMemory("/ramfs", fs.stat) != nil {
		t.Error("counted in a file system that does not tell what it holds")
	}
	held := tempMemory("/run/t", fs.stat)
	if held == nil {
		t.Fatal("nothing counted in memory")
	}
	for _, step := range []struct {
		used, held, limit int64
	}{
		{30 * mb, 0, 400 * mb},
		{130 * mb, 100 * mb, 300 * mb},
		{10 * mb, 0, 400 * mb}, // another process's files gone
		{430 * mb, 400 * mb, 100 * mb},
		{80 * mb, 50 * mb, 350 * mb},
	} {
		fs["/run/t"] = fakeDir{true, step.used}
		if got := held(); got != step.held {
			t.Errorf("%d MB in use: %d MB held, want %d", step.used/mb, got/mb, step.held/mb)
		}
		if got := debug.SetMemoryLimit(-1); got != step.limit {
			t.Errorf("%d MB in use: a limit of %d MB, want %d", step.used/mb, got/mb, step.limit/mb)
		}
	}
	// A lower limit, as xlsx --data-only sets, stays.
	debug.SetMemoryLimit(96 * mb)
	fs["/run/t"] = fakeDir{true, 100 * mb}
	if got := held(); got != 70*mb {
		t.Errorf("held %d MB, want 70", got/mb)
	}
	if got := debug.SetMemoryLimit(-1); got != 96*mb {
		t.Errorf("a limit of %d MB, want the 96 MB set before", got/mb)
	}
}

// TestMemoryErrorAdvice checks the advice of a year too large for the
// memory: to point TMPDIR at a disk first when the run's temporary files
// held memory, for a check and for a comparison, and not otherwise; and
// to list fewer findings when they took the memory.
func TestMemoryErrorAdvice(t *testing.T) {
	defer tempHeld.Store(0)
	const tmpdir = "set TMPDIR to a directory on a disk"
	for _, tc := range []struct {
		held     int64
		compare  bool
		findings bool // the findings to list took the memory
		want     []string
	}{
		{0, false, false, []string{"; run on a machine with more memory, or on parts of the data"}},
		{0, true, false, []string{"; run on a machine with more memory, or compare parts of the releases"}},
		{1 << 20, false, false, []string{"; " + tmpdir, "; or run on a machine with more memory, or on parts of the data"}},
		{1 << 20, true, false, []string{"; " + tmpdir, "; or run on a machine with more memory, or compare parts"}},
		{0, false, true, []string{"; list fewer findings of each rule with --max-findings"}},
	} {
		tempHeld.Store(tc.held)
		cause := fmt.Errorf("%w: the rows of 2020", stats.ErrMemory)
		if tc.findings {
			cause = fmt.Errorf("%w: %w", stats.ErrMemory, stats.ErrFindingsMemory)
		}
		err := memoryError(cause, tc.compare)
		msg := err.Error()
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != exitUsage || !errors.Is(err, stats.ErrMemory) {
			t.Errorf("held %d, compare %v: %v is not a usage error that wraps ErrMemory", tc.held, tc.compare, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("held %d, compare %v: %q lacks %q", tc.held, tc.compare, msg, w)
			}
		}
		if tc.held == 0 && strings.Contains(msg, tmpdir) {
			t.Errorf("nothing held: %q advises TMPDIR", msg)
		}
	}
}
