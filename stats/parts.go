package stats

import (
	"cmp"
	"container/heap"
	"slices"
	"sync"
	"sync/atomic"
)

// The rules of a check run side by side, one a core, longest first (see
// checkCut); the last to end would run alone while the other cores wait.
// A rule that checks its series one at a time cuts them into parts
// instead (inParts), which its own goroutine works through and the
// workers with no rule left to start help with (helpers). The findings of
// the parts are taken in the order of the parts, as if one goroutine had
// checked every series in turn: the same findings, listed and counted,
// in the same order, whoever checked which part.

// partsPerCore is how many parts inParts cuts a rule's series into for
// each core: enough that a worker that comes to help late finds parts
// left, few enough that each part's list of findings (see keep) is long.
const partsPerCore = 4

// helpers lets the workers of checkCut that have no rule left to start
// check parts of the rules still running.
type helpers struct {
	workers int // the workers that run rules
	mu      sync.Mutex
	wake    sync.Cond  // signalled when a run opens or a rule ends
	running int        // the rules not yet done
	runs    []*partRun // the runs whose parts are not all taken
}

func newHelpers(workers, rules int) *helpers {
	h := &helpers{workers: workers, running: rules}
	h.wake.L = &h.mu
	return h
}

// ruleDone notes that a rule is done.
func (h *helpers) ruleDone() {
	h.mu.Lock()
	h.running--
	h.mu.Unlock()
	h.wake.Broadcast()
}

// open offers the parts of r to the helpers.
func (h *helpers) open(r *partRun) {
	h.mu.Lock()
	h.runs = append(h.runs, r)
	h.mu.Unlock()
	h.wake.Broadcast()
}

// close withdraws r, whose parts are all taken.
func (h *helpers) close(r *partRun) {
	h.mu.Lock()
	if i := slices.Index(h.runs, r); i >= 0 {
		h.runs = slices.Delete(h.runs, i, i+1)
	}
	h.mu.Unlock()
}

// help checks parts of the rules still running, until every rule is done.
func (h *helpers) help() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for {
		for len(h.runs) > 0 && !h.runs[0].left() {
			h.runs = h.runs[1:]
		}
		if len(h.runs) > 0 {
			r := h.runs[0]
			h.mu.Unlock()
			r.work()
			h.mu.Lock()
			continue
		}
		if h.running == 0 {
			return
		}
		h.wake.Wait()
	}
}

// partRun is a rule's series cut into parts: parts[k] is the checker of
// part k, a copy of the rule's.
type partRun struct {
	n     int
	parts []checker
	each  func(p *checker, k, from, to int)
	next  atomic.Int32 // the next part to take
	done  sync.WaitGroup
	// cut is the first of the parts' own cuts (see checker.ownCut) and of
	// kept's, or nil: a finding after it is after the first
	// Config.MaxFindings findings of the rule, and only counted, whatever
	// part finds it.
	cut atomic.Pointer[Finding]
	// kept is a heap, its last on top, of the first Config.MaxFindings of
	// the findings the parts kept (see checker.keep), in the order the
	// rule's findings come to be listed in (see keptKey): a part lets go
	// of those it holds after the last of them each time it keeps one,
	// and when it ends, the parts that ended before it too (see end). A
	// year in which every turnover of 29,700 series was wrong held 80,000
	// findings in its eight parts, 35 MB, before the bound was shared.
	mu   sync.Mutex
	kept keptHeap
	// ended holds the bounded parts that are done, for end.
	ended []*checker
}

// keptKey is what orders a finding a part kept among the rule's: the
// finding, by compareFindings (its place, rule, series, message and rows; the
// copy shares the part's strings and rows), then the number of its part
// and the order it came in there, as the findings of one goroutine that
// checked every series in turn would be.
type keptKey struct {
	f    Finding
	part int
	seq  uint64
}

// keyOf returns the key of held finding i of part c.
func (c *checker) keyOf(i int) keptKey {
	return keptKey{c.findings[i], c.part, c.seqs[i]}
}

// after reports whether a sorts after b.
func (a *keptKey) after(b *keptKey) bool {
	if d := compareFindings(&a.f, &b.f); d != 0 {
		return d > 0
	}
	if a.part != b.part {
		return a.part > b.part
	}
	return a.seq > b.seq
}

// keptHeap is a heap of keys, the last on top (container/heap).
type keptHeap []keptKey

func (h keptHeap) Len() int           { return len(h) }
func (h keptHeap) Less(i, j int) bool { return h[i].after(&h[j]) }
func (h keptHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *keptHeap) Push(x any)        { *h = append(*h, x.(keptKey)) }
func (h *keptHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// share adds key, of a finding a part of max findings at the most keeps,
// to r.kept, and returns the last of r.kept when it holds max of them.
func (r *partRun) share(key keptKey, max int) (last keptKey, full bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	was := len(r.kept) == max
	switch {
	case len(r.kept) < max:
		r.kept = append(r.kept, key)
		heap.Fix(&r.kept, len(r.kept)-1)
	case r.kept[0].after(&key):
		was = false // the top changes
		r.kept[0] = key
		heap.Fix(&r.kept, 0)
	}
	if len(r.kept) < max {
		return keptKey{}, false
	}
	if !was {
		r.noteCut(r.kept[0].f)
	}
	return r.kept[0], true
}

// left reports whether r has parts not yet taken.
func (r *partRun) left() bool { return int(r.next.Load()) < len(r.parts) }

// work takes the next part of r and checks it; false when none was left.
func (r *partRun) work() bool {
	k := int(r.next.Add(1)) - 1
	if k >= len(r.parts) {
		return false
	}
	defer r.done.Done()
	p := &r.parts[k]
	parts := len(r.parts)
	if p.meter.measure() {
		r.each(p, k, r.n*k/parts, r.n*(k+1)/parts)
		p.meter.settle(&p.unmetered)
	}
	if p.seqs != nil {
		r.end(p)
	}
	return true
}

// end notes that part p, bounded, is done. It and the parts that ended
// before it let go of the findings they hold after the last of r.kept:
// what the other parts kept since each kept its last. A part that ended
// no longer sees the cut move, and would otherwise hold what it held
// then: Config.MaxFindings findings each, where each part's findings come
// before the part's before. So the parts that ended hold that many
// together once one ends, and the parts of a rule hold at the most that
// many and that many more for each part running.
func (r *partRun) end(p *checker) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ended = append(r.ended, p)
	max := p.cfg.MaxFindings
	if len(r.kept) < max || max == 0 {
		return
	}
	last := r.kept[0]
	for _, q := range r.ended {
		q.dropAfter(&last)
	}
}

// noteCut notes the own cut of a part, f.
func (r *partRun) noteCut(f Finding) {
	for {
		old := r.cut.Load()
		if old != nil && compareFindings(&f, old) >= 0 || r.cut.CompareAndSwap(old, &f) {
			return
		}
	}
}

// beyond reports whether a finding at p is after the cut of a part.
func (r *partRun) beyond(p Pos) bool {
	cut := r.cut.Load()
	return cut != nil && comparePos(p, cut.Pos()) > 0
}

// parts returns the number of parts inParts cuts n series into, the first
// numbered 0: one for a check of fewer than parallelRows rows, or whose
// rules run on one core.
func (c *checker) parts(n int) int {
	if c.help == nil || c.help.workers < 2 || c.run != nil || c.nrows < parallelRows {
		return 1
	}
	return max(min(partsPerCore*c.help.workers, n), 1)
}

// inParts calls each for the series from 0 to n, in parts (see parts):
// each part a copy of c, k its number, from and to its range. c then
// takes the parts' findings, part after part.
func (c *checker) inParts(n int, each func(p *checker, k, from, to int)) {
	parts := c.parts(n)
	if parts == 1 {
		each(c, 0, 0, n)
		return
	}
	r := &partRun{n: n, parts: make([]checker, parts), each: each}
	for k := range r.parts {
		p := &r.parts[k]
		*p = *c
		p.findings, p.seqs, p.emitted, p.skipped, p.skippedLast = nil, nil, 0, 0, Pos{}
		p.unmetered = 0
		p.scratch, p.rows, p.warmed, p.run = nil, nil, 0, r
		p.gaps, p.places = nil, nil
		p.part = k
	}
	r.done.Add(parts)
	c.help.open(r)
	for r.work() {
	}
	c.help.close(r)
	r.done.Wait()
	for k := range r.parts {
		c.take(&r.parts[k])
	}
}

// take takes the findings of part p as they came.
func (c *checker) take(p *checker) {
	c.warmed += p.warmed
	if p.skipped > 0 {
		c.countN(p.skipped, p.skippedLast)
	}
	if p.seqs == nil {
		c.findings = append(c.findings, p.findings...)
		return
	}
	// A bounded part holds its findings in a heap: in the order they came
	// again, by their seqs.
	order := make([]int, len(p.findings))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(p.seqs[a], p.seqs[b]) })
	for _, i := range order {
		c.keep(p.findings[i], c.cfg.MaxFindings)
	}
}
