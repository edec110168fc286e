//go:build linux

package main

import (
	"regexp"
	"strconv"
	"testing"
)

func TestMeasure(t *testing.T) {
	line, err := measure(8)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`^fresh memory, 8 MB: 4 KB pages ([0-9.]+) ms/MB, huge pages ([0-9.]+) ms/MB$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("measure(8) = %q", line)
	}
	for _, s := range m[1:] {
		// Writing 8 MB takes more than nothing and less than a second.
		if v, err := strconv.ParseFloat(s, 64); err != nil || v < 0 || v*8 >= 1000 {
			t.Errorf("measure(8) = %q: %s ms/MB is not a time", line, s)
		}
	}
	if len(kept) != 2 || len(kept[0]) != 8<<20 || len(kept[1]) != 8<<20 {
		t.Errorf("the mappings were not kept: %d", len(kept))
	}
	for i, b := range kept {
		if b[0] != 1 || b[len(b)-4096] != 1 {
			t.Errorf("mapping %d was not written", i)
		}
	}
}
