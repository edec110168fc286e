package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
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
// its first lines, as estimate (estimateRows, or env.estimateRows) counts
// them. stdin holds standard input ("-"), or is nil when it is not in a
// file. It returns nil when the memory available is not known.
func checkMemory(names []string, estimate func(name string) (int64, error), stdin *io.SectionReader, avail func() (int64, bool)) error {
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
			rows, err = estimate(name)
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

// estimateRows estimates the rows of the named input as estimateRows
// does, from its decompressed text when it is compressed (see unpack).
func (e *env) estimateRows(name string) (int64, error) {
	if r, ok, err := e.unpack(name); err != nil || ok {
		if err != nil {
			return 0, err
		}
		return estimateRowsOf(r)
	}
	return estimateRows(name)
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
// system has available (Linux's MemAvailable), or less when a control
// group limits the process. It returns false where that is not known.
func memoryAvailable() (int64, bool) {
	free, _, ok := memoryAvailableIn("/")
	return free, ok
}

// memoryAndTotal returns what memoryAvailable does, and the memory there
// is at all: the system's (MemTotal), or a control group's limit.
func memoryAndTotal() (free, total int64, ok bool) { return memoryAvailableIn("/") }

// memoryAvailableIn is memoryAndTotal with /proc and /sys under root.
func memoryAvailableIn(root string) (free, total int64, ok bool) {
	path := filepath.Join(root, "proc/meminfo")
	free, ok = meminfo(path, "MemAvailable")
	if !ok {
		return 0, 0, false
	}
	if total, ok = meminfo(path, "MemTotal"); !ok {
		total = free
	}
	if room, limit, ok := cgroupRoom(root); ok {
		free, total = min(free, room), min(total, limit)
	}
	return free, total, true
}

// cgroupRoom returns the memory the control groups of the process leave
// it, and their least limit, and false when none limits it: the room is
// the least, over its group and the groups above it, of a group's limit
// less what its processes use and cannot give back. Page cache can be given back (the kernel reclaims it
// before it kills a process), but not shared memory and tmpfs files, which
// it counts with it, nor files mapped into processes, such as their
// programs, which they go on reading. Both versions of control groups are
// read: version 2 (memory.max, memory.high, memory.current, memory.stat's
// file, shmem and file_mapped) and version 1's memory controller
// (memory.limit_in_bytes, memory.usage_in_bytes, memory.stat's
// total_cache, total_shmem and total_mapped_file). A group's path is that of
// /proc/self/cgroup, under the mount at /sys/fs/cgroup (version 2) or
// /sys/fs/cgroup/memory (version 1); where that is not found, as in a
// container that sees its own group as the root, the mount's own files
// are read.
func cgroupRoom(root string) (room, limit int64, found bool) {
	list, err := os.ReadFile(filepath.Join(root, "proc/self/cgroup"))
	if err != nil {
		return 0, 0, false
	}
	for line := range strings.SplitSeq(strings.TrimSpace(string(list)), "\n") {
		// hierarchy-ID:controller-list:cgroup-path
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		var g cgroupFiles
		switch {
		case parts[0] == "0" && parts[1] == "":
			g = cgroupFiles{mount: "sys/fs/cgroup", limits: []string{"memory.max", "memory.high"}, usage: "memory.current", cache: "file", kept: []string{"shmem", "file_mapped"}}
		case slices.Contains(strings.Split(parts[1], ","), "memory"):
			g = cgroupFiles{mount: "sys/fs/cgroup/memory", limits: []string{"memory.limit_in_bytes"}, usage: "memory.usage_in_bytes", cache: "total_cache", kept: []string{"total_shmem", "total_mapped_file"}}
		default:
			continue
		}
		mount := filepath.Join(root, g.mount)
		dir := filepath.Join(mount, filepath.FromSlash(parts[2]))
		if _, err := os.Stat(dir); err != nil || !strings.HasPrefix(dir, mount+string(filepath.Separator)) {
			dir = mount // a path that is not there, or not under the mount (..)
		}
		for {
			if r, l, ok := g.room(dir); ok {
				if !found || r < room {
					room = r
				}
				if !found || l < limit {
					limit = l
				}
				found = true
			}
			if len(dir) <= len(mount) {
				break
			}
			dir = filepath.Dir(dir)
		}
	}
	return max(room, 0), limit, found
}

// cgroupFiles names the files of a version of control groups that
// cgroupRoom reads.
type cgroupFiles struct {
	mount string // under the root
	// limits are the files of the group's limits, the least of which
	// counts: version 2's memory.high throttles the group past it, as
	// memory.max kills.
	limits []string
	usage  string
	// Fields of memory.stat: the page cache, and what of it cannot be
	// given back.
	cache string
	kept  []string
}

// noLimit is where a limit is taken for none: version 1 writes "no limit"
// as the largest count of pages, 2⁶³ less a page.
const noLimit = 1 << 62

// room returns what the group in dir leaves its processes, and its
// limit, and false when it sets no limit or its files cannot be read.
func (g cgroupFiles) room(dir string) (room, limit int64, ok bool) {
	read := func(name string) (int64, bool) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return 0, false
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		return n, err == nil // "max" is no limit
	}
	limit = noLimit
	for _, name := range g.limits {
		if n, ok := read(name); ok {
			limit = min(limit, n)
		}
	}
	if limit >= noLimit {
		return 0, 0, false
	}
	usage, ok := read(g.usage)
	if !ok {
		return 0, 0, false
	}
	var cache, kept int64
	if b, err := os.ReadFile(filepath.Join(dir, "memory.stat")); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			name, value, _ := strings.Cut(line, " ")
			n, err := strconv.ParseInt(value, 10, 64)
			switch {
			case err != nil:
			case name == g.cache:
				cache = n
			case slices.Contains(g.kept, name):
				kept += n
			}
		}
	}
	return limit - (usage - max(cache-kept, 0)), limit, true
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
