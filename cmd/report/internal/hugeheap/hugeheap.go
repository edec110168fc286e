// Package hugeheap has the kernel back the process's heap with transparent
// huge pages, as soon as the process starts: importing it is enough (see
// advise for how, and when it does nothing). [Advised] tells whether it
// did.
//
// It does so in its package initialisation rather than in main, because
// the packages initialised after it allocate a few megabytes on their own
// (excelize's tables and regular expressions, gonum/plot's fonts, x/text's
// languages), which would otherwise land on pages of 4 KB: about 500 page
// faults, 4–7 ms of a run of report whatever its input (measured with
// perf stat on a check of 1,000 rows: 1,260–1,350 faults and 37–40 ms
// against 1,720–1,870 and 41–47 ms). It comes before them because Go
// initialises, of the packages whose imports are initialised, the first by
// import path (the language specification, "Package initialization", since
// Go 1.21), and this package imports only the standard library: its path
// sorts before github.com/xuri/…, golang.org/x/… and gonum.org/….
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
