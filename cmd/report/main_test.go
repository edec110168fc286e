package main

import (
	"io"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tradedesk/report/cmd/report/internal/hugeheap"
)

// TestMain runs the tests once the huge page advice is done, as main runs
// the command: the advice turns the collector off and on again on a
// goroutine of its own (see package hugeheap), which would otherwise race
// with the tests that tune the collector and read its settings back.
func TestMain(m *testing.M) {
	hugeheap.Advised()
	os.Exit(m.Run())
}

// TestHelpWidth checks that the prose of every command's help fits a
// terminal of 80 columns, as the rest of it is wrapped to: a line run
// past it wraps where the terminal cuts it.
func TestHelpWidth(t *testing.T) {
	root := newRootCmd(&env{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }})
	for _, c := range append(root.Commands(), root) {
		for i, line := range strings.Split(c.Long, "\n") {
			if n := utf8.RuneCountInString(line); n > 80 {
				t.Errorf("report %s --help, line %d: %d columns: %q", c.Name(), i+1, n, line)
			}
		}
	}
}
