// Command report checks trade and foreign-direct-investment figures for
// consistency, and draws the charts and writes the workbook that publish
// them. Run it without arguments to check data/trade.csv (or the seed data
// built into it) and write the outputs into out/.
//
// Exit status: 0 when every check holds (warnings allowed unless --strict),
// 1 when a check fails, 2 for bad usage, input that cannot be read as a
// table or too little memory for a year of it, 3 for an internal error.
// Stopped by an interrupt, a hangup or a termination signal, it leaves no
// temporary file and no half-written output, and dies of the signal.
package main

import (
	"os"

	"github.com/tradedesk/report/cmd/report/internal/hugeheap"
)

func main() {
	setUp(os.Getenv)
	os.Exit(withPrivateTemp(func() int { return run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr) }))
}

// setUp readies the process for a run: its memory limited to what is
// available (limitMemory), the huge page advice taken back where that is
// tight (see hugeheap.Withdraw), and the collector tuned for the pages the
// heap is on.
func setUp(getenv func(string) string) {
	_, huge := hugeheap.Advised()
	limitMemory(getenv, memoryAndTotal)
	if memoryBound > 0 && memoryBound < hugeheap.MinRoom {
		hugeheap.Withdraw()
		huge = 0
	}
	setGC(getenv, startingHeap, checkFloor(huge > 0))
}
