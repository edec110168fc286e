package main

import (
	"runtime/debug"
	"sync/atomic"
)

// tempParent returns the directory withPrivateTemp makes the run's
// temporary directory in: "" for os.TempDir, but /var/tmp where TMPDIR is
// not set and /tmp keeps its files in memory (a tmpfs, as on Fedora, Arch
// and Debian 13, or a Kubernetes emptyDir of medium Memory) while /var/tmp
// is on a disk. The years' files of a large check or comparison and the
// copy of standard input take hundreds of megabytes, which a tmpfs holds
// in memory, counted against the process's control group, and cannot give
// back under pressure as the page cache of a disk's files can; this is
// what file-hierarchy(7) advises: /tmp for small temporary files, /var/tmp
// for larger ones. A TMPDIR that is set is used as it is. fs tells of a
// directory whether its file system keeps its files in memory (see
// tempFileSystem).
func tempParent(lookup func(string) (string, bool), fs func(string) (inMemory bool, used int64, ok bool)) string {
	if dir, ok := lookup("TMPDIR"); ok && dir != "" {
		return ""
	}
	if inMemory, _, ok := fs("/tmp"); !ok || !inMemory {
		return ""
	}
	if inMemory, _, ok := fs("/var/tmp"); !ok || inMemory {
		return ""
	}
	return "/var/tmp"
}

// runTempMemory holds tempMemory's function for the run's temporary
// directory, made by withPrivateTemp, or nil.
var runTempMemory atomic.Pointer[func() int64]

// tempMemoryOfRun returns the function runTempMemory holds, or nil.
func tempMemoryOfRun() func() int64 {
	if f := runTempMemory.Load(); f != nil {
		return *f
	}
	return nil
}

// tempHeld is what tempMemory's function found the run's temporary files
// to hold in memory when it was called last: the memory limit less it is
// the runtime's (see memoryCeiling).
var tempHeld atomic.Int64

// tempMemory returns, where a memory limit is in force (memoryBound) and
// the temporary directory dir keeps its files in memory, the function of
// stats.LoadOptions.MemoryElsewhere: the bytes its file system holds past
// what it held when tempMemory was called, the run's temporary files (and
// any other process's, which the limit may count too). Each call sets the
// runtime's memory limit, when limitMemory set it, to the process's limit
// less what they hold (see memoryCeiling), so that the collector keeps the
// heap and the files within the limit together; a GOMEMLIMIT is left as
// it is, and only the checks' measures count the files. It returns nil
// otherwise, and for a file system that does not tell what it holds (a
// ramfs, see tempFileSystem).
func tempMemory(dir string, fs func(string) (inMemory bool, used int64, ok bool)) func() int64 {
	if memoryBound <= 0 {
		return nil
	}
	inMemory, base, ok := fs(dir)
	if !ok || !inMemory || base < 0 {
		return nil
	}
	return func() int64 {
		_, used, ok := fs(dir)
		if !ok || used < 0 {
			return tempHeld.Load()
		}
		held := max(used-base, 0)
		if old := tempHeld.Swap(held); old != held && memorySet {
			lowerLimit(ceilingOf(old), ceilingOf(held))
		}
		return held
	}
}

// lowerLimit sets the runtime's memory limit to ceiling where it is above
// it, or where it is still was, the ceiling before (which raises it when
// the files shrink): a lower limit, set for a run made to take little
// memory (see boundGC), stays.
func lowerLimit(was, ceiling int64) {
	if cur := debug.SetMemoryLimit(-1); cur > ceiling || cur == was {
		debug.SetMemoryLimit(ceiling)
	}
}

// memoryCeiling returns the memory limit the runtime is given: that of
// ceilingOf what the run's temporary files hold in memory.
func memoryCeiling() int64 { return ceilingOf(tempHeld.Load()) }

// ceilingOf returns the limit of the process (memoryBound) less held, the
// bytes its temporary files hold in memory, and never under a quarter of
// it, where the collector would run without a pause while the checks stop
// at their next measure (see stats.ErrMemory).
func ceilingOf(held int64) int64 { return max(memoryBound-held, memoryBound/4) }
