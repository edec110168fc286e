package main

import (
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// gcPercent returns GOGC as the runtime has it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestTuneGC checks that the collector's goal starts at the floor, falls
// back to GOGC=100 once the live heap is over half of it, and is left
// alone when GOGC or GOMEMLIMIT is set.
func TestTuneGC(t *testing.T) {
	before := gcPercent()
	const floor = 64 << 20

	runtime.GC() // so that the live heap measured is this test's, little
	stop := tuneGC(func(string) string { return "" }, floor)
	if p := gcPercent(); p <= 100 {
		stop()
		t.Fatalf("GOGC %d with a floor of 64 MB and little live, want more than 100", p)
	}
	// Right after a collection that finds little live, as report makes
	// before it writes, the goal is the floor, not many times it.
	goal := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	var g uint64
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		metrics.Read(goal)
		if g = goal[0].Value.Uint64(); g <= floor+floor/8 {
			break
		}
	}
	if g > floor+floor/8 {
		t.Errorf("goal %d MB after a collection with little live, want about the floor, %d MB", g>>20, floor>>20)
	}
	// 48 MB live, over half the floor: the usual goal after the next
	// cycle, once the finalizer has run.
	live := make([]byte, 48<<20)
	for i := range live {
		live[i] = 1
	}
	deadline := time.Now().Add(10 * time.Second)
	for gcPercent() != 100 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	p := gcPercent()
	runtime.KeepAlive(live)
	stop()
	if p != 100 {
		t.Errorf("GOGC %d with 48 MB live and a floor of 64 MB, want 100", p)
	}
	if p := gcPercent(); p != before {
		t.Errorf("after stop, GOGC %d, want %d as before", p, before)
	}

	leftAlone(t, func(getenv func(string) string) func() { return tuneGC(getenv, floor) })
}

// leftAlone checks that start, given GOGC and then GOMEMLIMIT set, changes
// neither GOGC nor the memory limit.
func leftAlone(t *testing.T, start func(getenv func(string) string) (stop func())) {
	t.Helper()
	percent, limit := gcPercent(), memoryLimit()
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		stop := start(func(k string) string {
			if k == v {
				return "50"
			}
			return ""
		})
		if p, l := gcPercent(), memoryLimit(); p != percent || l != limit {
			t.Errorf("%s set: GOGC %d and limit %d, want %d and %d untouched", v, p, l, percent, limit)
		}
		stop()
	}
}

// memoryLimit returns the runtime's soft memory limit.
func memoryLimit() int64 { return debug.SetMemoryLimit(-1) }

// TestBoundGC checks that the memory limit starts at the bound, rises to
// one and a half times the live heap once that is over two thirds of it,
// is put back by stop, and is left alone when GOGC or GOMEMLIMIT is set.
func TestBoundGC(t *testing.T) {
	before := memoryLimit()
	const bound = 64 << 20
	runtime.GC()
	stop := boundGC(func(string) string { return "" }, bound)
	if l := memoryLimit(); l != bound {
		stop()
		t.Fatalf("limit %d MB with little live, want the bound, %d MB", l>>20, bound>>20)
	}
	live := make([]byte, 96<<20)
	for i := range live {
		live[i] = 1
	}
	deadline := time.Now().Add(10 * time.Second)
	for memoryLimit() < 144<<20 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	l := memoryLimit()
	runtime.KeepAlive(live)
	stop()
	if l < 144<<20 || l > 160<<20 {
		t.Errorf("limit %d MB with 96 MB live and a bound of 64 MB, want 144 to 160 MB", l>>20)
	}
	if l := memoryLimit(); l != before {
		t.Errorf("after stop, limit %d, want %d as before", l, before)
	}
	leftAlone(t, func(getenv func(string) string) func() { return boundGC(getenv, bound) })
}

// TestSetGC checks the collector each command runs with: the check's floor
// of tuneGC for a check, the lower floor for the others (diff), GOGC as it
// was for import, and the bound of boundGC for xlsx --data-only.
func TestSetGC(t *testing.T) {
	percent, limit := gcPercent(), memoryLimit()
	dir := t.TempDir()
	write := writeIn(t, dir)
	mapping := write("map.yaml", tinyMapping)
	table := write("table.csv", "p,d,v\nArmenia,2023-01,1.5\n")
	data := write("trade.csv", "reporter,partner,indicator,period,value,unit,source\nKAZ,ARM,exports,2023,1.5,USD million,A\n")
	for _, tc := range []struct {
		args    []string
		percent func(int) bool
		limit   func(int64) bool
	}{
		{[]string{"check", "--no-rules", data}, func(p int) bool { return p > 100*hugeStartingHeap/(4<<20)/2 }, func(l int64) bool { return l == limit }},
		{[]string{"diff", data, data}, func(p int) bool { return p > 100 && p <= 100*startingHeap/(4<<20) }, func(l int64) bool { return l == limit }},
		{[]string{"import", "--map", mapping, "-o", filepath.Join(dir, "tidy.csv"), table}, func(p int) bool { return p == percent }, func(l int64) bool { return l == limit }},
		{[]string{"xlsx", "--data-only", "--no-rules", "--out", filepath.Join(dir, "data.xlsx"), data}, func(p int) bool { return p == percent }, func(l int64) bool { return l >= leanMemory && l < limit }},
	} {
		stop := setGC(func(string) string { return "" }, startingHeap, hugeStartingHeap)
		code, _, stderr := runCase(tc.args, nil, nil)
		// A check collects beside its report: the tuning is read after
		// that cycle, as the next cycles of the run would see it.
		runtime.GC()
		p, l := gcPercent(), memoryLimit()
		stop()
		if code != 0 {
			t.Fatalf("%v: exit %d, stderr:\n%s", tc.args, code, stderr)
		}
		if !tc.percent(p) || !tc.limit(l) {
			t.Errorf("%s: GOGC %d, limit %d MB, after %v", tc.args[0], p, l>>20, tc.args)
		}
		if p, l := gcPercent(), memoryLimit(); p != percent || l != limit {
			t.Errorf("%s: after stop, GOGC %d and limit %d, want %d and %d", tc.args[0], p, l, percent, limit)
		}
	}
}

func TestCollectRows(t *testing.T) {
	for _, c := range []struct {
		reportOnly bool
		found      int
		want       bool
	}{
		{false, 0, true}, // charts, a workbook or a rules file read the data again
		{false, fewFindings + 1, true},
		{true, 0, false},
		{true, fewFindings, false},
		{true, fewFindings + 1, true}, // a long report's garbage
	} {
		if got := collectRows(c.reportOnly, c.found); got != c.want {
			t.Errorf("collectRows(%v, %d) = %v, want %v", c.reportOnly, c.found, got, c.want)
		}
	}
}
