package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// startingHeap is the heap the garbage collector lets grow before its
// first cycles (see tuneGC) when the heap is on pages of 4 KB. It was
// 128 MB while a row took 168 bytes and seven pointers; at 48 MB a check
// of 1M rows takes 0.45–0.49 s and 106 MB rather than 0.51–0.54 s and
// 132 MB, the cycles costing less than the fresh pages they spare, and
// the other runs take the same time in less memory. It still does: with
// GODEBUG=disablethp=1, 0.48–0.53 s against 0.55–0.59 s at 128 MB.
const startingHeap = 48 << 20

// hugeStartingHeap is the starting heap of a check (report check) when
// the heap is on huge pages (see package hugeheap), whose fresh pages cost
// little: the check of 1M rows then runs with no cycle at all, 0.21–0.23 s
// and 140 MB against 0.22–0.26 s and 113 MB at 48 MB, where two cycles
// ran while the rows of a year were being indexed, the allocating
// goroutine helping to mark. The 10M check takes the same time
// (1.01–1.04 s) in 160 MB instead of 145. The other commands keep
// startingHeap: charts and workbooks make garbage, which a floor of 128 MB
// lets pile up (the default run on the seed data took 127 MB instead of
// 90 MB, 50 charts 131 MB instead of 107 MB).
const hugeStartingHeap = 128 << 20

// checkFloor returns the starting heap of a check, for a heap on huge
// pages or not.
func checkFloor(huge bool) uint64 {
	if huge {
		return hugeStartingHeap
	}
	return startingHeap
}

// leanMemory is the memory a run made to take little of it (xlsx
// --data-only) keeps to while its live heap allows; see boundGC.
const leanMemory = 96 << 20

// defaultGC puts the collector back as tuneGC found it, for a command
// whose heap stays small whatever its input (import, which converts a row
// at a time): the floor would only let its garbage pile up.
var defaultGC = func() {}

// leanGC puts the collector back as tuneGC found it and bounds the memory
// of the rest of the run with boundGC, for a command made to run in little
// memory (xlsx --data-only), which trades a little time for it.
var leanGC = func() {}

// checkGC tunes the collector with the floor of a check, for report check.
var checkGC = func() {}

// setGC tunes the collector for a run with tuneGC, above floor, and sets
// defaultGC, leanGC and checkGC, which change that tuning (checkGC to
// forCheck). stop undoes all of it (for tests; a run ends with the
// process).
func setGC(getenv func(string) string, floor, forCheck uint64) (stop func()) {
	var mu sync.Mutex
	tuned := tuneGC(getenv, floor)
	bounded := func() {}
	untune := func() {
		mu.Lock()
		t := tuned
		tuned = func() {}
		mu.Unlock()
		t()
	}
	set := func(p *func(), f func()) {
		mu.Lock()
		*p = f
		mu.Unlock()
	}
	defaultGC = untune
	leanGC = func() {
		untune()
		set(&bounded, boundGC(getenv, leanMemory))
	}
	checkGC = func() {
		untune()
		set(&tuned, tuneGC(getenv, forCheck))
	}
	return func() {
		untune()
		mu.Lock()
		bounded()
		mu.Unlock()
		defaultGC, leanGC, checkGC = func() {}, func() {}, func() {}
	}
}

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
// small still lets its heap grow to about floor. stop puts GOGC back as it
// was and ends the adjustments.
func tuneGC(getenv func(string) string, floor uint64) (stop func()) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(100)
	return eachCycle(func() {
		live, roots := heapLive()
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
	}, func() { debug.SetGCPercent(old) })
}

// memoryBound is the soft memory limit limitMemory gave the runtime, which
// the checks and comparisons a year at a time keep to
// (stats.LoadOptions.MemoryLimit); 0 for none.
var memoryBound int64

// memorySet tells that limitMemory set the runtime's memory limit, which
// GOMEMLIMIT did not.
var memorySet bool

// limitMemory gives the runtime a soft memory limit of what the process
// may take, from the memory avail tells is available at the start (the
// system's, or a control group's, see memoryAvailable) and what the
// runtime holds already, less a sixteenth for what is not the runtime's.
// The collector then works harder as the heap nears it rather than let
// garbage take the memory: a check of the wide 10M-row file peaks at about
// 530 MB with GOGC's twice the live heap, which a control group of 400 MB
// killed halfway, while its live heap stays under 300 MB. What the limit
// cannot save is a year whose rows do not fit: the checks stop then with
// an error (see stats.ErrMemory) rather than be killed. When GOMEMLIMIT
// is set, its limit is left as it is, and the checks keep to it
// (GOMEMLIMIT=off turns both off); when the memory available is not known,
// nothing is limited.
func limitMemory(getenv func(string) string, avail func() (free, total int64, ok bool)) {
	if getenv("GOMEMLIMIT") != "" {
		memoryBound = debug.SetMemoryLimit(-1)
		return
	}
	free, total, ok := avail()
	if !ok {
		return
	}
	v := readMetrics("/memory/classes/total:bytes", "/memory/classes/heap/released:bytes")
	memoryBound = boundOf(int64(v[0]-min(v[1], v[0])), free, total)
	memorySet = true
	debug.SetMemoryLimit(memoryBound)
}

// boundOf returns the memory limit of a process that holds held bytes
// (the runtime's) and has free bytes more available of total.
func boundOf(held, free, total int64) int64 {
	return max(held+free-free/16, min(minMemoryBound, total-total/16))
}

// minMemoryBound is the least limit limitMemory sets, where there is that
// much memory at all (total). What is available is read once, at the
// start, and may be less than the process will find (another process's
// peak, memory the kernel would reclaim but does not count as available,
// such as ZFS's cache): below this bound every run would fail or crawl,
// where a check of a few thousand rows takes 20 MB.
const minMemoryBound = 64 << 20

// boundGC keeps the memory of the process to about bound bytes with the
// runtime's soft memory limit, as long as the live heap leaves room for
// it: after every cycle, the limit is the larger of bound and one and a
// half times the live heap (with the stacks and globals the collector
// scans). GOGC's goal of twice the live heap still applies below it.
//
// A fixed limit would do for the synthetic file of 1M rows, whose check
// peaks at 80 MB live (its run then takes 120 MB instead of 175 MB, and
// 8% more time), but a file of many more series, whose live heap is over
// the limit, would have the collector run without a pause, taking half of
// the processor (the wide file of 1M rows: 3.8 s instead of 2.1 s). Half
// the live heap of headroom at the least bounds the collector's work to
// about twice what GOGC=100 costs. Like tuneGC, it does nothing when GOGC
// or GOMEMLIMIT is set. stop puts the limit back as it was.
func boundGC(getenv func(string) string, bound uint64) (stop func()) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	// Never above the limit of the memory the process may take.
	most := func() uint64 {
		if memoryBound > 0 {
			return uint64(memoryCeiling())
		}
		return math.MaxInt64
	}
	old := debug.SetMemoryLimit(int64(min(bound, most())))
	return eachCycle(func() {
		live, roots := heapLive()
		limit := max(bound, live+(live+roots)/2)
		debug.SetMemoryLimit(int64(min(limit, most())))
	}, func() { debug.SetMemoryLimit(old) })
}

// heapLive returns the heap marked live by the last cycle, and the
// globals and stacks the collector scans.
func heapLive() (live, roots uint64) {
	v := readMetrics("/gc/heap/live:bytes", "/gc/scan/globals:bytes", "/gc/scan/stack:bytes")
	return v[0], v[1] + v[2]
}

// readMetrics returns the runtime's metrics of the names given, each 0
// where the runtime does not tell it.
func readMetrics(names ...string) []uint64 {
	sample := make([]metrics.Sample, len(names))
	for i, name := range names {
		sample[i].Name = name
	}
	metrics.Read(sample)
	v := make([]uint64, len(names))
	for i, s := range sample {
		if s.Value.Kind() == metrics.KindUint64 {
			v[i] = s.Value.Uint64()
		}
	}
	return v
}

// eachCycle calls adjust now and after every garbage collection cycle,
// until stop, which calls undo once. A finalizer runs after each cycle that
// finds its object unreachable: one object a cycle, each arming the next.
func eachCycle(adjust, undo func()) (stop func()) {
	var mu sync.Mutex
	stopped := false
	adjust()
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
		if !stopped {
			stopped = true
			undo()
		}
	}
}
