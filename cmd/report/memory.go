package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// bytesPerRow is the memory a row takes when a file is loaded whole and
// checked, at its peak: the observation, its place in the checker's index
// and the garbage collector's headroom (720 MB for the 1M rows of the
// synthetic benchmark file).
const bytesPerRow = 750

// checkMemory refuses to load files whole that would not fit in the
// memory available, rather than let the system kill the process halfway:
// the estimate counts the rows from the size of each file and the length of
// its first lines. stdin holds standard input ("-"), or is nil when it is
// not in a file. It returns nil when the memory available is not known.
func checkMemory(names []string, stdin *io.SectionReader, avail func() (int64, bool)) error {
	if avail == nil {
		return nil
	}
	free, ok := avail()
	if !ok {
		return nil
	}
	var need int64
	for _, name := range names {
		var rows int64
		var err error
		switch {
		case name != "-":
			rows, err = estimateRows(name)
		case stdin != nil:
			rows, err = estimateRowsOf(stdin)
		default:
			continue
		}
		if err != nil {
			continue // the loader says what is wrong with the file
		}
		need += rows * bytesPerRow
	}
	if need <= free {
		return nil
	}
	shown := make([]string, len(names))
	for i, name := range names {
		shown[i] = name
		if name == "-" {
			shown[i] = "standard input"
		}
	}
	return &exitError{code: exitUsage, err: fmt.Errorf(
		"loading %s whole would take about %s of memory, and %s is available: report reads files a year at a time, but not with a rule that reads every pair of the data (no series, and not both sides of its where), with a period that spans years (such as 2005/2024), or when no temporary file can be made in $TMPDIR",
		strings.Join(shown, ", "), formatBytes(need), formatBytes(free))}
}

// estimateRows estimates the rows of a file from its size and its first
// 64 kB.
func estimateRows(name string) (int64, error) {
	// A named pipe is not opened: opening it takes its writer, and the
	// data would be gone when the loader opens it again.
	if st, err := os.Stat(name); err != nil || !st.Mode().IsRegular() {
		return 0, fmt.Errorf("not a regular file")
	}
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return 0, fmt.Errorf("not a regular file")
	}
	return estimateRowsOf(io.NewSectionReader(f, 0, st.Size()))
}

// estimateRowsOf estimates the rows of the data in r from its size and its
// first 64 kB.
func estimateRowsOf(r *io.SectionReader) (int64, error) {
	head := make([]byte, 64<<10)
	n, err := r.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return 0, err
	}
	lines := bytes.Count(head[:n], []byte{'\n'})
	if lines == 0 {
		return 0, fmt.Errorf("no line")
	}
	return r.Size() * int64(lines) / int64(n), nil
}

// memoryAvailable returns the memory the process may still use: what the
// system has available (Linux's MemAvailable), or less when a control group
// limits the process. It returns false where that is not known.
func memoryAvailable() (int64, bool) {
	free, ok := meminfo("/proc/meminfo", "MemAvailable")
	if !ok {
		return 0, false
	}
	if max, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		limit, err1 := strconv.ParseInt(strings.TrimSpace(string(max)), 10, 64)
		cur, err2 := os.ReadFile("/sys/fs/cgroup/memory.current")
		used, err3 := strconv.ParseInt(strings.TrimSpace(string(cur)), 10, 64)
		if err1 == nil && err2 == nil && err3 == nil {
			free = min(free, limit-used)
		}
	}
	return free, true
}

// meminfo reads a field of /proc/meminfo, in bytes.
func meminfo(path, field string) (int64, bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return 0, false
		}
		return kb << 10, true
	}
	return 0, false
}

// formatBytes formats a size in MB or GB.
func formatBytes(n int64) string {
	if n >= 1<<30 {
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%d MB", n>>20)
}
