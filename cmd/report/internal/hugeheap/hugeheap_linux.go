package hugeheap

import (
	"bytes"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// hugeHeap is how much of the heap's address space advise has the
// kernel back with transparent huge pages: more than a check of 10M rows
// of the synthetic file takes at its peak (150 MB), and the heap of the
// widest runs stays in it for its first half gigabyte. It is address
// space, not memory: a page of it is memory only once it is written.
const hugeHeap = 512 << 20

// advise has the kernel back the heap with transparent huge pages
// (2 MB) when it does so only for memory that asks (the mode "madvise",
// Debian's and many distributions' default), as the Go runtime no longer
// asks for its heap. A page of memory costs the process a fault when it is
// first written, about 7 µs on a virtual machine whatever the page's size:
// the 100 MB that a check of 1M rows fills cost 25,000 faults of 4 KB, a
// tenth of a second of its 0.4 s, and 50 of 2 MB.
//
// It allocates hugeHeap bytes, which the runtime maps at the end of its
// heap without touching them, advises the kernel of huge pages for that
// range (madvise MADV_HUGEPAGE), and collects them: the heap then reuses
// the range first, its allocator taking the lowest free addresses, and the
// advice stays with the mapping. It hands the range back to the kernel as
// it collects it (debug.FreeOSMemory), which costs nothing for pages never
// touched: the runtime then knows that they are zero and does not clear
// again each span it makes of them after the kernel has, and its
// background scavenger does not return the free part of the range a piece
// at a time while a run's heap grows into it (512 MB of work during a
// check of 10M rows otherwise). It does nothing when GODEBUG says
// disablethp=1 (the runtime's switch against huge pages for its heap),
// when the kernel's mode is "always" (it needs no advice) or "never", and
// wherever a mapping of hugeHeap may be refused, which would end the
// process: when the kernel refuses to promise memory it does not have
// (vm.overcommit_memory 2), and see roomForHugeHeap. It returns the
// address and length of the range advised, 0 and 0 if none.
func advise(getenv func(string) string, readFile func(string) ([]byte, error)) (start uintptr, n int) {
	if godebugDisablesTHP(getenv("GODEBUG")) {
		return 0, 0
	}
	mode, err := readFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || !thpOnlyAdvised(mode) {
		return 0, 0
	}
	if commit, err := readFile("/proc/sys/vm/overcommit_memory"); err != nil || string(bytes.TrimSpace(commit)) == "2" {
		return 0, 0
	}
	if !roomForHugeHeap() {
		return 0, 0
	}
	// The allocation would start a collection cycle of its own, as it
	// passes the heap's first goal (4 MB), before the one below.
	gc := debug.SetGCPercent(-1)
	defer debug.SetGCPercent(gc)
	b := make([]byte, hugeHeap)
	if syscall.Madvise(b, syscall.MADV_HUGEPAGE) != nil {
		return 0, 0
	}
	// The caller gets the range as a number, which keeps no memory live.
	start = uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	b = nil
	debug.FreeOSMemory()
	return start, hugeHeap
}

// thpOnlyAdvised reports whether the kernel's transparent huge page mode,
// as /sys/kernel/mm/transparent_hugepage/enabled gives it ("always
// [madvise] never", the chosen one in brackets), is "madvise".
func thpOnlyAdvised(mode []byte) bool {
	return bytes.Contains(mode, []byte("[madvise]"))
}

// unadvise has the kernel back the n bytes from start with pages of 4 KB
// where it has not backed them yet (MADV_NOHUGEPAGE). An error leaves the
// advice as it was.
func unadvise(start uintptr, n int) {
	syscall.Syscall(syscall.SYS_MADVISE, start, uintptr(n), syscall.MADV_NOHUGEPAGE)
}

// roomForHugeHeap reports whether the process may map hugeHeap bytes at
// once: its address space is not limited (ulimit -v), and the machine has
// at least four times as much memory and swap, as the kernel's default
// heuristic refuses a mapping larger than them.
func roomForHugeHeap() bool {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &lim); err != nil || lim.Cur != ^uint64(0) {
		return false
	}
	var info syscall.Sysinfo_t
	if err := syscall.Sysinfo(&info); err != nil {
		return false
	}
	total := (uint64(info.Totalram) + uint64(info.Totalswap)) * uint64(max(info.Unit, 1))
	return total >= 4*hugeHeap
}

// godebugDisablesTHP reports whether a GODEBUG value sets disablethp to a
// number other than 0, as the runtime reads it: the last setting that is
// a number wins, and one that is not is ignored.
func godebugDisablesTHP(godebug string) bool {
	off := false
	for kv := range strings.SplitSeq(godebug, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok && k == "disablethp" {
			if n, err := strconv.Atoi(v); err == nil {
				off = n != 0
			}
		}
	}
	return off
}
