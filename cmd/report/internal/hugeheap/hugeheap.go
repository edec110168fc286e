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
// imports, runtime/debug, sorts late, which has x/text's packages (about
// 700 KB of allocations) initialised before it; but excelize waits for
// net/http, and gonum/plot for packages that sort later still.
// TestInitOrder in cmd/report holds it to that.
package hugeheap

import "os"

// start and n are the range advised, 0 and 0 if none.
var start uintptr
var n int

func init() {
	start, n = advise(os.Getenv, os.ReadFile)
}

// Advised returns the address and length of the range of the heap the
// kernel was advised to back with huge pages, 0 and 0 if none.
func Advised() (uintptr, int) { return start, n }
