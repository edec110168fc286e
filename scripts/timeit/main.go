//go:build unix

// Command timeit runs a command and prints, on standard error, a line of
// what it cost: its wall time to the millisecond, its user and system CPU
// time and its peak memory, as scripts/compare.sh reads them:
//
//	LABEL... 0.142 s 0.20 u 0.03 s 110644 KB
//
// Usage:
//
//	timeit LABEL... -- COMMAND [ARG...]
//
// The command's standard output is discarded, its standard error kept. Its
// exit status is not timeit's: a check that finds errors exits with 1.
//
// GNU time, which compare.sh used before, gives the wall time in
// hundredths of a second: a step of 7% of a check of 1M rows. The wall
// time here runs from the start of the command to its end, as GNU time's
// does, without the start of a timing process or of a shell around it.
package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	line, err := run(os.Args[1:], os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "timeit:", err)
		os.Exit(2)
	}
	fmt.Fprintln(os.Stderr, line)
}

// run runs the command after "--" in args and returns the line of its
// costs, the labels before "--" first.
func run(args []string, stderr io.Writer) (string, error) {
	at := slices.Index(args, "--")
	if at < 0 || at == len(args)-1 {
		return "", fmt.Errorf("usage: timeit LABEL... -- COMMAND [ARG...]")
	}
	cmd := exec.Command(args[at+1], args[at+2:]...)
	cmd.Stderr = stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if _, exited := err.(*exec.ExitError); err != nil && !exited {
		return "", err
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return "", fmt.Errorf("no resource usage of %s", args[at+1])
	}
	cpu := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	// Linux gives the peak resident memory in kilobytes.
	return fmt.Sprintf("%s %.3f s %.2f u %.2f s %d KB", strings.Join(args[:at], " "), wall.Seconds(), cpu(ru.Utime), cpu(ru.Stime), ru.Maxrss), nil
}
