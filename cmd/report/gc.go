package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// startingHeap is the heap the garbage collector lets grow before its
// first cycles; see tuneGC.
const startingHeap = 128 << 20

// defaultGC puts the collector back as tuneGC found it, for a command
// whose heap stays small whatever its input (import, which converts a row
// at a time): the floor would only let its garbage pile up.
var defaultGC = func() {}

// tuneGC sets the garbage collector's goal to at least floor bytes of heap,
// and to the usual twice the live heap (GOGC=100) above that, after every
// cycle, as the Go compiler does (cmd/compile/internal/base.AdjustStartingHeap).
//
// A run reads a file a year at a time into a heap that grows from nothing
// to 100 MB or more within a tenth of a second; with the default goal of
// 4 MB doubled at each cycle, the collector marks the rows read so far six
// times over on the way, while the rows still pour in (a fifth of the time
// of a check of 1M rows). It does nothing when GOGC or GOMEMLIMIT is set:
// whoever set them knows better. The price is that a run whose data are
// small still lets its heap grow to about floor (a check of a small file
// peaks at 145 MB, against 66 MB with GOGC=100). stop puts GOGC back as it
// was and ends the adjustments.
func tuneGC(getenv func(string) string, floor uint64) (stop func()) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	var mu sync.Mutex
	stopped := false
	sample := []metrics.Sample{
		{Name: "/gc/heap/live:bytes"},
		{Name: "/gc/scan/globals:bytes"},
		{Name: "/gc/scan/stack:bytes"},
	}
	adjust := func() {
		metrics.Read(sample)
		var v [3]uint64
		for i, s := range sample {
			if s.Value.Kind() == metrics.KindUint64 {
				v[i] = s.Value.Uint64()
			}
		}
		live, roots := v[0], v[1]+v[2]
		// The runtime's goal is live + (live + globals + stacks) ×
		// GOGC/100, and never under 4 MB × GOGC/100: GOGC is at most
		// what puts that minimum at the floor, or right after a
		// collection that found little (report collects before it
		// writes) the goal would be many times the floor.
		percent := int(100 * floor / (4 << 20))
		if live >= floor/2 {
			percent = 100
		} else if live > 0 {
			percent = max(100, min(percent, int(100*(floor-live)/(live+roots))))
		}
		debug.SetGCPercent(percent)
	}
	old := debug.SetGCPercent(100)
	adjust()
	// A finalizer runs after each cycle that finds its object unreachable:
	// one object a cycle, each arming the next.
	type sentinel struct{ _ [32]byte }
	var arm func()
	arm = func() {
		runtime.SetFinalizer(new(sentinel), func(*sentinel) {
			mu.Lock()
			defer mu.Unlock()
			if !stopped {
				adjust()
				arm()
			}
		})
	}
	arm()
	return func() {
		mu.Lock()
		defer mu.Unlock()
		stopped = true
		debug.SetGCPercent(old)
	}
}
