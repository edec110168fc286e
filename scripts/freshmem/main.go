//go:build linux

// Command freshmem prints what memory new to a process costs on this
// machine at this moment: the time to write one byte to each 4 KB page of
// a fresh mapping, on pages of 4 KB and on transparent huge pages, in
// milliseconds a megabyte.
//
//	fresh memory, 128 MB: 4 KB pages 0.40 ms/MB, huge pages 0.09 ms/MB
//
// Usage:
//
//	freshmem [MB]
//
// A check of 1M rows writes about 100 MB new to it, so this cost moves
// its time more than anything it does. On a virtual machine whose kernel
// hands free memory back to the host (virtio-balloon free page reporting,
// /sys/module/page_reporting), a page the host took back costs a fault
// in the host as well: huge pages then cost several times what pages of
// 4 KB do, where memory freed a moment before, not yet handed back, costs
// a tenth (see docs/performance.md, "Fresh memory"). scripts/compare.sh
// prints a line of it before and after its runs.
//
// The two mappings are held until both are written, so that the second
// is not given the pages of the first.
package main

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"
)

func main() {
	mb := 128
	if len(os.Args) > 1 {
		n, err := strconv.Atoi(os.Args[1])
		if err != nil || n <= 0 || len(os.Args) > 2 {
			fmt.Fprintln(os.Stderr, "usage: freshmem [MB]")
			os.Exit(2)
		}
		mb = n
	}
	line, err := measure(mb)
	if err != nil {
		fmt.Fprintln(os.Stderr, "freshmem:", err)
		os.Exit(1)
	}
	fmt.Println(line)
}

// madvHugepage is MADV_HUGEPAGE, which package syscall does not name.
const madvHugepage = 14

// measure writes mb megabytes of fresh memory on pages of 4 KB, then as
// many on huge pages, and returns the line main prints.
func measure(mb int) (string, error) {
	small, err := touch(mb, false)
	if err != nil {
		return "", err
	}
	huge, err := touch(mb, true)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("fresh memory, %d MB: 4 KB pages %.2f ms/MB, huge pages %.2f ms/MB", mb, small, huge), nil
}

// kept holds the mappings written, to the end of the process.
var kept [][]byte

// touch maps mb megabytes, with the advice to back them with huge pages
// or not, writes a byte to each page of 4 KB, and returns the time it
// took in milliseconds a megabyte.
func touch(mb int, huge bool) (float64, error) {
	n := mb << 20
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return 0, fmt.Errorf("map %d MB: %w", mb, err)
	}
	kept = append(kept, b)
	advice := syscall.MADV_NOHUGEPAGE
	if huge {
		advice = madvHugepage
	}
	if err := syscall.Madvise(b, advice); err != nil {
		return 0, fmt.Errorf("advise: %w", err)
	}
	start := time.Now()
	for i := 0; i < n; i += 4096 {
		b[i] = 1
	}
	return float64(time.Since(start).Microseconds()) / 1000 / float64(mb), nil
}
