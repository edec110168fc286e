package main

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"testing"
)

// TestInitOrder checks that package hugeheap advises the heap before the
// packages that allocate most at their initialisation: it runs this test
// binary again, testing nothing, with the runtime's trace of package
// initialisations.
func TestInitOrder(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	// init github.com/xuri/excelize/v2 @18 ms, 5.1 ms clock, 1355208 bytes, 21452 allocs
	re := regexp.MustCompile(`(?m)^init (\S+) @.*, (\d+) bytes, \d+ allocs$`)
	var order []string
	before := 0 // the bytes allocated by the packages before hugeheap
	for _, m := range re.FindAllStringSubmatch(string(out), -1) {
		order = append(order, m[1])
		if !slices.Contains(order, hugeheapPath) {
			n, _ := strconv.Atoi(m[2])
			before += n
		}
	}
	at := slices.Index(order, hugeheapPath)
	if at < 0 {
		t.Fatalf("no initialisation of %s among %d traced:\n%s", hugeheapPath, len(order), out)
	}
	for _, pkg := range []string{"github.com/xuri/excelize/v2", "gonum.org/v1/plot"} {
		if i := slices.Index(order, pkg); i < at {
			t.Errorf("%s is initialised at %d, before %s at %d", pkg, i, hugeheapPath, at)
		}
	}
	t.Logf("%s is initialised %d of %d, after %d bytes", hugeheapPath, at+1, len(order), before)
	if before > 1<<20 {
		t.Errorf("the packages initialised before %s allocate %d bytes, want under 1 MB", hugeheapPath, before)
	}
}

const hugeheapPath = "github.com/tradedesk/report/cmd/report/internal/hugeheap"
