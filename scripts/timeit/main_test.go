//go:build unix

package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestRun times a command that sleeps, fails and writes to standard error:
// the line has its labels, a wall time to the millisecond no shorter than
// the sleep, CPU times and a peak memory; the failure is the command's,
// not timeit's; and its standard error is passed on.
func TestRun(t *testing.T) {
	var stderr bytes.Buffer
	line, err := run([]string{"check-1M", "report", "--", "sh", "-c", "sleep 0.05; echo oops >&2; exit 1"}, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	var job, tool string
	var wall, user, sys float64
	var kb int
	if _, err := fmt.Sscanf(line, "%s %s %f s %f u %f s %d KB", &job, &tool, &wall, &user, &sys, &kb); err != nil {
		t.Fatalf("line %q: %v", line, err)
	}
	if job != "check-1M" || tool != "report" || wall < 0.05 || wall > 5 || kb <= 0 {
		t.Errorf("line %q", line)
	}
	if !strings.Contains(strings.Fields(line)[2], ".") || len(strings.Split(strings.Fields(line)[2], ".")[1]) != 3 {
		t.Errorf("wall time %q, want milliseconds", strings.Fields(line)[2])
	}
	if stderr.String() != "oops\n" {
		t.Errorf("standard error %q, want the command's", stderr.String())
	}
	for _, args := range [][]string{{"job"}, {"job", "--"}, {"job", "--", "/no/such/command"}} {
		if _, err := run(args, &stderr); err == nil {
			t.Errorf("run(%q) gave no error", args)
		}
	}
}
