// Package hugeheap has the kernel back the process's heap with transparent
// huge pages, as soon as the process starts: importing it is enough (see
// advise for how, and when it does nothing). [Advised] tells whether it
// did.
//
// It does so in its package initialisation rather than in main, because
// the packages initialised after it allocate a few megabytes on their own
// (excelize's tables and regular expressions, gonum/plot's fonts), which
// would otherwise land on pages of 4 KB. On a check of 1,000 rows that was
// 1,260–1,350 page faults and 37–40 ms against 1,720–1,870 and 41–47 ms
// without the advice (perf stat, 2026-12-06); measured again later that
// day, 1,455–1,459 faults against 1,645–1,659, and 36.1–37.4 ms against
// 35.6–39.4 ms, no difference in time (perf stat -r 30, twice each,
// GODEBUG=disablethp=1 for none): the advice pays on the large runs, and
// costs a small one nothing measurable. It comes before them because Go
// initialises, of the packages whose imports are initialised, the first by
// import path (the language specification, "Package initialization", since
// Go 1.21), and this package imports only the standard library. One of its
// imports, runtime/debug, sorts late, which has x/text's packages and
// others initialised before it (about 500 KB of allocations); but excelize waits for
// net/http, and gonum/plot for packages that sort later still.
// TestInitOrder in cmd/report holds it to that.
//
// The advice runs on a goroutine of its own, started by the package's
// initialisation, beside the initialisation of the packages after it,
// which runs on one core and leaves the other idle: the allocation, and the
// collection that hands the range back (3–4 ms of the 5–6 ms the advice
// takes), no longer wait in line before excelize's and gonum/plot's. Some
// of their allocations then come before the range is handed back, and
// land beside it: with GODEBUG=inittrace=1, which slows everything, the
// advice was done after gonum/plot's initialisation (180 KB) and about
// when excelize's (1.3 MB) began.
// A run got to main in 27–29 ms rather than 33–35 ms, with fewer page
// faults (1,330–1,400 against 1,450–1,490 for a check of an empty file;
// perf stat -r 30, 2026-12-06). Advised waits for the advice to be done;
// main calls it first, before it tunes the collector.
package hugeheap

import "os"

// start and n are the range advised, 0 and 0 if none, once done is
// closed.
var (
	start uintptr
	n     int
	done  = make(chan struct{})
)

func init() {
	go func() {
		start, n = advise(os.Getenv, os.ReadFile)
		close(done)
	}()
}

// Advised returns the address and length of the range of the heap the
// kernel was advised to back with huge pages, 0 and 0 if none. It waits
// until the advice, which starts as the package is initialised, is done.
func Advised() (uintptr, int) {
	<-done
	return start, n
}

// MinRoom is the least memory a run should have to keep the advice (see
// Withdraw): four times the range advised.
const MinRoom = 4 * hugeHeap

// Withdraw takes the advice back, once it is done: the pages of the range
// that the heap has not yet touched come as pages of 4 KB, and [Advised]
// then tells of none. A process whose memory is limited tight gives it
// up: a huge page counts whole against the limit of its control group as
// soon as one byte of it is written, where the runtime's soft memory limit
// counts only the spans it uses. In a group of 100 MB, report check of a
// year of 356,400 rows, with a soft limit of about 94 MB, was killed in
// 3 runs of 9 of the whole test suite with the advice, in none of 5
// without it (TestNoKillInControlGroup).
func Withdraw() {
	<-done
	if n > 0 {
		unadvise(start, n)
	}
	start, n = 0, 0
}
