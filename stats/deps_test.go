package stats_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies keeps the domain free of the output packages: stats and
// every package below it (rules, findings, ingest) must not depend on
// charts, reports, gonum/plot or excelize.
func TestDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"gonum.org/v1/plot", "github.com/xuri/excelize", "github.com/tradedesk/report/charts", "github.com/tradedesk/report/reports"} {
			if strings.HasPrefix(dep, banned) {
				t.Errorf("stats depends on %s", dep)
			}
		}
	}
}
