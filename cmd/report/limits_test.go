package main

import (
	"os"
	"strings"
	"testing"
)

// TestConfigTooLarge gives a device that never ends as the rules file,
// the chart spec and the mapping: each is refused at once, exit 2, with
// the hint that it may be data, instead of being read into memory.
func TestConfigTooLarge(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	for _, args := range [][]string{
		{"check", "--rules", "/dev/zero", "-"},
		{"charts", "--spec", "/dev/zero", "--out", t.TempDir(), "-"},
		{"import", "--map", "/dev/zero", "-"},
	} {
		code, _, stderr := runCase(args, []byte("reporter,partner,indicator,period,value,unit,source\n"), nil)
		if code != 2 || !strings.Contains(stderr, "/dev/zero") || !strings.Contains(stderr, "more than 16 MB") || !strings.Contains(stderr, "is it a data file?") {
			t.Errorf("%s: exit %d, stderr %q; want 2 and the file's name, its bound and the hint", args, code, stderr)
		}
	}
}
