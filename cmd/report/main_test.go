package main

import (
	"os"
	"testing"

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
