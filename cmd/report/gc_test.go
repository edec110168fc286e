package main

import (
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

	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		stop := tuneGC(func(k string) string {
			if k == v {
				return "50"
			}
			return ""
		}, floor)
		if p := gcPercent(); p != before {
			t.Errorf("%s set: GOGC %d, want %d untouched", v, p, before)
		}
		stop()
	}
}
