package stats

import (
	"cmp"
	"iter"
	"maps"
	"runtime"
	"slices"
	"sync"
	"time"
	"unsafe"
)

// Check runs the enabled built-in rules over d and returns their findings,
// sorted with [SortFindings]. It does not modify d. A nil cfg runs every
// rule with its defaults.
func Check(d *Dataset, cfg *Config) []Finding {
	if cfg == nil {
		cfg = &Config{}
	}
	// Without a carry, the check has no meter of the memory, and no error.
	findings, _ := checkWith(input{figs: [][]fig{figsOf(d.Obs)}, problems: d.Problems}, cfg, nil)
	if cfg.MaxFindings > 0 {
		l := newLimiter(cfg.MaxFindings)
		l.add(findings)
		return l.findings()
	}
	SortFindings(findings)
	return findings
}

// input is what the rules check: rows, in pieces that need not be copied
// together, and the problems of the rows that were not read. The rows
// come from one seriesTable (see figMaker), so that the rows of one series
// share their entry and series of other tables cannot share a number.
type input struct {
	figs     [][]fig
	problems []*ParseError
	// numbered tells that the carry's arrays number the series of figs
	// already (see checkerArrays.numberRows).
	numbered bool
}

// checkWith runs the enabled rules over in, handing cr (when not nil) from
// one year's check to the next; the findings are not sorted. The error is
// that of cr's meter, whose limit the check outgrew (see checkMeter).
func checkWith(in input, cfg *Config, cr *carry) ([]Finding, error) {
	return checkCut(in, cfg, cr, nil)
}

// checkCut is checkWith for findings listed up to a cut by rule (see
// checker.beyond); cut is only read.
func checkCut(in input, cfg *Config, cr *carry, cut map[string]Finding) ([]Finding, error) {
	shared := newChecker(in, cfg, cr)
	shared.carry = cr
	shared.cut = cut
	if cr != nil && cr.meter != nil {
		shared.meter = cr.meter
		cr.meter.year = cr.year
	}
	// The rules only read the shared index, so they run side by side, each
	// on its own copy of the checker that holds its findings.
	var runs []*checker
	var checks []func(*checker)
	for _, r := range builtinRules {
		rc := cfg.rule(r.ID)
		if rc.Disabled {
			continue
		}
		c := *shared
		c.cur, c.curCfg, c.findings = r.RuleInfo, rc, nil
		runs = append(runs, &c)
		checks = append(checks, r.check)
	}
	// The rules are handed out longest first, so that the last to end
	// does not run alone on one core while the others wait for it.
	ids := make([]string, len(runs))
	for i, c := range runs {
		ids[i] = c.cur.ID
	}
	var before map[string]time.Duration
	if cr != nil {
		before = cr.took
	}
	order := longestFirst(ids, before)
	took := make([]time.Duration, len(runs))
	work := make(chan int)
	workers := min(runtime.GOMAXPROCS(0), len(runs))
	help := newHelpers(workers, len(runs))
	for _, c := range runs {
		c.help = help
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range work {
				start := time.Now()
				if !runs[i].meter.measure() {
					help.ruleDone() // the check fails: no rule starts
					continue
				}
				checks[i](runs[i])
				runs[i].meter.settle(&runs[i].unmetered)
				runs[i].sortKept() // here, beside the rules still running
				took[i] = time.Since(start)
				help.ruleDone()
			}
			help.help()
		})
	}
	for _, i := range order {
		work <- i
	}
	close(work)
	wg.Wait()
	if cr != nil {
		if cr.took == nil {
			cr.took = map[string]time.Duration{}
		}
		for i, c := range runs {
			cr.took[c.cur.ID] = took[i]
		}
	}
	if err := shared.meter.err(); err != nil {
		// The findings are not listed: the check fails for want of
		// memory, which a list of them all would take more of.
		return nil, err
	}
	n := 0
	for _, c := range runs {
		n += len(c.findings)
		if c.skipped > 0 {
			n++
		}
	}
	var findings []Finding // nil when there are none
	if n > 0 {
		findings = make([]Finding, 0, n)
	}
	for _, c := range runs {
		findings = append(findings, c.findings...)
		if c.skipped > 0 {
			findings = append(findings, Finding{Rule: c.cur.ID, Severity: c.severity(), Rows: []Pos{c.skippedLast}, Omitted: c.skipped})
		}
	}
	return findings, nil
}

// longestFirst returns the places of the rules ids in the order to run
// them: by the time each took on the year checked before, longest first,
// after those not timed, which keep their order.
func longestFirst(ids []string, took map[string]time.Duration) []int {
	order := make([]int, len(ids))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ta, timedA := took[ids[a]]
		tb, timedB := took[ids[b]]
		if timedA != timedB {
			if timedA {
				return 1
			}
			return -1
		}
		return cmp.Compare(tb, ta)
	})
	return order
}

// seriesKey is one series as one source published it.
type seriesKey struct {
	Key
	Source string
}

type checker struct {
	// warmed keeps the sums of warm, so that its reads are not left out.
	warmed int32
	in     input
	cfg    *Config
	voc    *Vocabulary
	cur    RuleInfo
	curCfg RuleConfig

	keys    []seriesKey    // sorted keys of series
	entries []*seriesEntry // and their entries in the table of series
	// obs holds the rows of each numbered series, sorted by period
	// and then file order.
	obs [][]*fig
	// first maps a series to the number of its series of the first
	// source: the sources of a series are next to each other in keys.
	first map[Key]int32
	// valid holds, for each numbered series, its first valid row
	// of each period, sorted by period: figures are found by binary
	// search, which keeps the lookups in cache where a map of every
	// figure would not be.
	valid [][]*fig
	// state holds what each series' rows told as they were numbered.
	state []seriesState
	// rowIDs holds the number of each row's series in the order the
	// series came, row by row in the order of in.figs, and rank the
	// number of each such series in the order of keys: rank[rowIDs[j]]
	// is the series of row j, for rules that read the rows in file order.
	rowIDs, rank []int32
	// carry is not nil when the data are checked a year at a time; slots
	// holds the slot of each numbered series in it.
	carry *carry
	slots []int32
	// cut holds, by rule, the last finding a bounded list keeps (see
	// limiter); skipped counts the findings beyond it, the last at
	// skippedLast.
	cut         map[string]Finding
	skipped     int
	skippedLast Pos
	// ownCut is the last finding kept when the rule's own findings were
	// trimmed to Config.MaxFindings; hasOwnCut tells that there is one.
	ownCut    Finding
	hasOwnCut bool

	findings []Finding
	// seqs holds, when the findings are bounded, the order in which each
	// finding held came; emitted counts them (see keep).
	seqs    []uint64
	emitted uint64
	// nrows is the number of rows checked.
	nrows int
	// help lets the rules' workers help a rule with parts of its series
	// (see inParts); run is the rule's parts, in a checker of a part.
	help *helpers
	run  *partRun
	// part is the number of the part among run's, in a checker of a part.
	part int
	// scratch is a rule's own list of figures, used again call after call.
	scratch []*fig
	// placed and unsorted are termRows' lists of places to sort and of
	// terms as they came, used again likewise.
	placed   []uint64
	unsorted []*fig
	// gaps and places are what the completeness rule carries to the next
	// year, handed out of arrays (see carryGap).
	gaps   []carriedGap
	places []place
	// rows is a rule's own list of places, used again for findings that
	// are packed (see termRows).
	rows []Pos
	// meter measures the heap against the memory limit as the rules run,
	// or is nil (see checkMeter); unmetered is the bytes of the findings
	// the rule made that it has not added to meter's yet.
	meter     *checkMeter
	unmetered uint64
}

func newChecker(in input, cfg *Config, cr *carry) *checker {
	voc := cfg.Vocabulary
	if voc == nil {
		voc = NewVocabulary()
	}
	c := &checker{in: in, cfg: cfg, voc: voc}
	// The series are numbered in the order they come, with their rows
	// counted (see numberRows), unless the caller numbered them.
	n := rowsOf(in.figs)
	// A check a year at a time writes its arrays where the year before's
	// were: memory the process has written is at hand, where new memory
	// costs a fault and zeroing for every page.
	a := &checkerArrays{}
	series := 0 // the series of the years before
	if cr != nil {
		a, series = &cr.arrays, len(cr.series)
	}
	if !in.numbered {
		a.startNumbering(series, n)
		for _, seg := range in.figs {
			a.numberRows(seg)
		}
	}
	ids, first, idx, count := a.ids, a.first, a.idx, a.count
	// The series in the order of their keys: a year whose series come as
	// the year before's has their order, sorted keys and first sources of
	// the year before.
	var perm []int32
	var ordered sync.WaitGroup
	defer ordered.Wait()
	if cr != nil && slices.Equal(idx, cr.order) {
		perm = cr.perm
		c.keys, c.first = cr.keys, cr.first
	} else {
		keys := make([]seriesKey, len(first))
		codes := make([]uint64, len(first))
		for i, e := range first {
			keys[i], codes[i] = e.seriesKey, e.code
		}
		perm = sortSeriesKeys(keys, codes)
		order := func() {
			c.keys = make([]seriesKey, len(perm))
			for i, id := range perm {
				c.keys[i] = keys[id]
			}
			c.first = make(map[Key]int32, len(c.keys))
			for i := 0; i < len(c.keys); i = c.keyRun(i) {
				c.first[c.keys[i].Key] = int32(i)
			}
			if cr != nil {
				cr.setOrder(idx, perm, c.keys, c.first)
			}
		}
		if n < parallelRows {
			order()
		} else {
			// Only the rules read the keys in order and the map of
			// first sources: they are made on another core, beside the
			// arrays below, rather than before them while that core
			// waits (2.5–4.5 ms of a year of 30,000 new series).
			ordered.Go(order)
		}
	}
	if cr != nil {
		c.slots = cr.slots(first, idx, perm)
	}
	c.nrows = n
	c.rowIDs = ids
	// Each series gets its slice of one array of pointers to rows, in the
	// order of the keys, which is the order the rules read them in.
	c.entries = reuse(&a.entries, len(perm))
	c.obs = reuse(&a.obs, len(perm))
	c.state = reuse(&a.state, len(perm))
	rank := reuse(&a.rank, len(perm)) // the number of each series in key order
	ptrs := reuse(&a.ptrs, n)
	at := int32(0)
	for i, id := range perm {
		rank[id] = int32(i)
		c.state[i] = a.seen[id]
		c.entries[i] = first[id]
		c.obs[i] = ptrs[at : at : at+count[id]]
		at += count[id]
	}
	c.rank = rank
	// The rows go to their series on every core, each taking a range of
	// series (ranges, so that no two cores write the same cache lines),
	// in file order. Whether a series comes in order of period, one
	// figure a period, all valid, was told as its rows were numbered, and
	// not by reading them again a series at a time, a row a cache miss
	// away from the next.
	parts := 1
	if n >= parallelRows {
		parts = min(runtime.GOMAXPROCS(0), len(first))
	}
	var wg sync.WaitGroup
	for k := range parts {
		from, to := int32(len(first)*k/parts), int32(len(first)*(k+1)/parts)
		wg.Go(func() {
			j := 0
			for _, seg := range in.figs {
				for i := range seg {
					s := rank[ids[j]]
					j++
					if s < from || s >= to {
						continue
					}
					c.obs[s] = append(c.obs[s], &seg[i])
				}
			}
			for s := from; s < to; s++ {
				if c.state[s].unordered {
					sortByPeriod(c.obs[s])
				}
			}
		})
	}
	wg.Wait()
	// The valid figures of a series are mostly all its figures: they share
	// its slice then, and the others have their own, in one array. When
	// every series' are, the rules read the one array of slices.
	need := 0
	for s, st := range c.state {
		if st.unordered || st.invalid {
			need += len(c.obs[s])
		}
	}
	if need == 0 {
		c.valid = c.obs
		return c
	}
	c.valid = make([][]*fig, len(perm))
	valid := make([]*fig, 0, need)
	for s, st := range c.state {
		if !st.unordered && !st.invalid {
			c.valid[s] = c.obs[s]
			continue
		}
		at := len(valid)
		valid = appendValid(valid, c.obs[s])
		c.valid[s] = valid[at:len(valid):len(valid)]
	}
	return c
}

// checkerArrays are the arrays newChecker makes for a year, which the
// carry keeps for the next: every element of them is written before it is
// read (the states and series numbers are cleared).
type checkerArrays struct {
	ids, number    []int32
	first, entries []*seriesEntry
	idx, count     []int32
	seen           []seriesState // by series in the order they came
	rank           []int32
	obs            [][]*fig
	state          []seriesState
	ptrs           []*fig
}

// startNumbering begins the numbering of a year's series, in the order
// they come (see numberRows): series is the number of series of the years
// before (0 for a check of one year), rows how many rows are expected.
func (a *checkerArrays) startNumbering(series, rows int) {
	a.ids = slices.Grow(a.ids[:0], rows)
	clear(reuse(&a.number, series))
	a.first, a.idx, a.count, a.seen = a.first[:0], a.idx[:0], a.count[:0], a.seen[:0]
}

// numberRows numbers the series of seg's rows, after the rows numbered
// before: the series number of each row in ids, and by series its entry
// in first, its number in the table of series in idx and its rows in
// count, and what its rows tell in seen (see seriesState). number holds,
// by entry, the series number + 1, or 0: as long as the series of the
// years before, and grown for new ones. Each series gets its slice of
// rows at once from count, where growing a slice per series would copy
// and discard as much again as the rows' pointers. CheckStream numbers a
// year's rows as their chunks come, while the next chunks are parsed,
// rather than all at once when the year ends: the rows are then read
// while they are in the processor's caches, where newChecker would read
// them again from memory.
func (a *checkerArrays) numberRows(seg []fig) {
	if len(a.ids)+len(seg) > cap(a.ids) {
		// Doubled rather than grown by append, whose steps of a quarter
		// would leave four times a year's ids behind when the rows come a
		// chunk at a time; so are the arrays by series below.
		a.ids = slices.Grow(a.ids, max(len(seg), cap(a.ids)))
	}
	ids, number, first, idx, count, seen := a.ids, a.number, a.first, a.idx, a.count, a.seen
	// The rows' entries are read a batch at a time before the rows are
	// numbered: each is a cache miss away from the last, and a loop that
	// only reads them has the processor wait for many at once (see warm)
	// rather than for one in each row's chain of loads.
	var batch [64]int32
	for at := 0; at < len(seg); at += len(batch) {
		rows := seg[at:min(at+len(batch), len(seg))]
		for i := range rows {
			batch[i] = rows[i].seriesEntry.idx
		}
		for i := range rows {
			o := &rows[i]
			ei := batch[i]
			if int(ei) >= len(number) {
				number = append(number, make([]int32, max(int(ei)+1-len(number), len(number)))...)
			}
			id := number[ei] - 1
			if id < 0 {
				id = int32(len(first))
				number[ei] = id + 1
				if len(first) == cap(first) {
					n := max(len(first), 256)
					first, idx, count, seen = slices.Grow(first, n), slices.Grow(idx, n), slices.Grow(count, n), slices.Grow(seen, n)
				}
				first = append(first, o.seriesEntry)
				idx = append(idx, ei)
				count = append(count, 0)
				seen = append(seen, seriesState{})
			}
			seen[id].see(o, count[id] == 0)
			count[id]++
			ids = append(ids, id)
		}
	}
	a.ids, a.number, a.first, a.idx, a.count, a.seen = ids, number, first, idx, count, seen
}

// reuse returns *s with length n, made anew (and kept in *s) when it holds
// fewer.
func reuse[T any](s *[]T, n int) []T {
	if cap(*s) < n {
		*s = make([]T, n)
	}
	*s = (*s)[:n]
	return *s
}

// parallelRows is the fewest rows newChecker spreads over the cores, and
// a rule (see inParts); tests lower it.
var parallelRows = 1 << 15

// keyRun returns the end of the run of series of the same key as series
// number i: its sources.
func (c *checker) keyRun(i int) int {
	j := i + 1
	for j < len(c.keys) && c.keys[j].Key == c.keys[i].Key {
		j++
	}
	return j
}

// sourcesOf returns the numbers of the series of k, one a source, as from
// ≤ id < to; from == to when there is none.
func (c *checker) sourcesOf(k Key) (from, to int32) {
	i, ok := c.first[k]
	if !ok {
		return 0, 0
	}
	return i, int32(c.keyRun(int(i)))
}

// seriesState is what the rows of a series told as they were numbered, in
// file order: the rules then need not read every row of a series again,
// each a cache miss away from the next, to learn it.
type seriesState struct {
	last Period // the period of the last row
	unit string // the unit of the first row
	// The kinds of single period of the valid figures, as bits 1<<kind.
	kinds uint16
	// The months of the valid figures of single months, as bits 1<<m
	// (m from 1 to 12): the rows of a check a year at a time are of one
	// year.
	months uint16
	// unordered: a row came with a period not after the one before (the
	// rows need sorting, and a period may have more than one figure);
	// invalid: a figure is not valid; intervals: a valid figure is of an
	// interval; units: a row has a unit other than the first row's;
	// negative: a valid figure is below zero.
	unordered, invalid, intervals, units, negative bool
}

// see takes in the next row of the series, o; first says it is the first.
func (st *seriesState) see(o *fig, first bool) {
	if first {
		st.unit = o.Unit()
	} else {
		st.unordered = st.unordered || Compare(st.last, o.Period) >= 0
		st.units = st.units || o.Unit() != st.unit
	}
	st.last = o.Period
	switch {
	case !o.Value().Valid:
		st.invalid = true
		return
	case o.Period.IsInterval():
		st.intervals = true
	default:
		st.kinds |= 1 << o.Period.Kind()
		if o.Period.Kind() == Month {
			st.months |= 1 << monthNumber(o.Period)
		}
	}
	st.negative = st.negative || o.num < 0
}

// sortSeriesKeys returns the places of keys in the order of
// compareSeriesKeys. It ranks the few distinct codes, indicators and
// sources once and sorts the keys by their ranks (see radixSort), which
// is many times faster than comparing four strings at every step. codes,
// when not nil, are the keys' series codes (see seriesCode; 0 for a key
// without one): the strings are then ranked by their numbers in the
// codes, without hashing a string a key.
func sortSeriesKeys(keys []seriesKey, codes []uint64) []int32 {
	perm := make([]int32, len(keys))
	ranks, ok := ranksByCode(keys, codes)
	if !ok {
		ranks, ok = ranksByString(keys)
	}
	if !ok {
		for i := range perm {
			perm[i] = int32(i)
		}
		slices.SortFunc(perm, func(a, b int32) int { return compareSeriesKeys(keys[a], keys[b]) })
		return perm
	}
	radixSort(ranks, perm)
	return perm
}

// radixSort puts in perm the places of ranks (as ranksByCode packs them,
// 16 bits a field) in ascending order: a counting sort by each field, the
// source first and the reporter last, each keeping the order of the one
// before. It takes time linear in the keys whatever their fields hold (a
// file with a source for each reporter has a space of ranks far larger
// than its keys), a few times faster than comparing them.
func radixSort(ranks []uint64, perm []int32) {
	for i := range perm {
		perm[i] = int32(i)
	}
	var n [4]int // each field's ranks
	for _, r := range ranks {
		for f := range n {
			n[f] = max(n[f], field(r, f)+1)
		}
	}
	from, to := perm, make([]int32, len(perm))
	var start []int32
	for f := 3; f >= 0; f-- {
		if n[f] <= 1 {
			continue // one rank: the order stays
		}
		start = reuse(&start, n[f]+1) // where each rank's keys start
		clear(start)
		for _, i := range from {
			start[field(ranks[i], f)+1]++
		}
		for d := 1; d < len(start); d++ {
			start[d] += start[d-1]
		}
		for _, i := range from {
			d := field(ranks[i], f)
			to[start[d]] = i
			start[d]++
		}
		from, to = to, from
	}
	if len(perm) > 0 && &from[0] != &perm[0] {
		copy(perm, from)
	}
}

// fieldShift is where field f (0 the reporter, 1 the partner, 2 the
// indicator, 3 the source) of a series code or a key's rank lies: 16 bits
// each, the reporter's highest.
func fieldShift(f int) int { return 48 - 16*f }

// field returns field f of a series code or a key's rank.
func field(r uint64, f int) int { return int(r >> fieldShift(f) & 0xffff) }

// keyField returns the reporter, partner, indicator or source of k, by
// its place in compareSeriesKeys's order (0 to 3).
func keyField(k *seriesKey, f int) string {
	switch f {
	case 0:
		return k.Reporter
	case 1:
		return k.Partner
	case 2:
		return k.Indicator
	}
	return k.Source
}

// ranksByCode returns the rank of each key, its reporter's, partner's,
// indicator's and source's ranks among the keys' in 16 bits each, from
// the numbers of the strings in the keys' series codes, as seriesCode
// packs them; false when a key has no code. A number is one string (the
// loader's table of strings gives it), which the first key with it
// spells.
func ranksByCode(keys []seriesKey, codes []uint64) ([]uint64, bool) {
	if len(codes) != len(keys) || len(keys) == 0 {
		return nil, false
	}
	var top [4]int
	for _, c := range codes {
		if c == 0 {
			return nil, false
		}
		for f := range top {
			top[f] = max(top[f], field(c, f))
		}
	}
	ranks := make([]uint64, len(keys))
	for f := range top {
		// by[n] is 1 + the first key with number n, 0 if none.
		by := make([]int32, top[f]+1)
		var nums []int
		for i, c := range codes {
			n := field(c, f)
			if by[n] == 0 {
				by[n] = int32(i) + 1
				nums = append(nums, n)
			}
		}
		slices.SortFunc(nums, func(a, b int) int {
			return cmp.Compare(keyField(&keys[by[a]-1], f), keyField(&keys[by[b]-1], f))
		})
		// Each number gets its rank in by, once read: numbers of one
		// string (were there such) one rank.
		rank, r, last := by, int32(-1), ""
		for j, n := range nums {
			if s := keyField(&keys[by[n]-1], f); j == 0 || s != last {
				r, last = r+1, s
			}
			rank[n] = r
		}
		for i, c := range codes {
			ranks[i] |= uint64(rank[field(c, f)]) << fieldShift(f)
		}
	}
	return ranks, true
}

// ranksByString returns the rank of each key as ranksByCode does, from
// the keys' strings; false when a field has more than 2¹⁶ distinct
// strings.
func ranksByString(keys []seriesKey) ([]uint64, bool) {
	var fields [4]map[string]uint64
	for f := range fields {
		fields[f] = map[string]uint64{}
	}
	for _, k := range keys {
		for f, m := range fields {
			m[keyField(&k, f)] = 0
		}
	}
	for _, m := range fields {
		if len(m) >= 1<<16 {
			return nil, false
		}
		for i, s := range slices.Sorted(maps.Keys(m)) {
			m[s] = uint64(i)
		}
	}
	ranks := make([]uint64, len(keys))
	for i, k := range keys {
		for f, m := range fields {
			ranks[i] |= m[keyField(&k, f)] << fieldShift(f)
		}
	}
	return ranks, true
}

// strPtr is where a string's bytes are, and how many.
type strPtr struct {
	p *byte
	n int
}

func ptrOf(s string) strPtr { return strPtr{unsafe.StringData(s), len(s)} }

// seriesPtrs is a series key by where its strings are.
type seriesPtrs struct {
	reporter, partner, indicator, source strPtr
}

// compareSeriesKeys orders series keys by reporter, partner, indicator
// and source; it stops at the first that differs (see compareFindings).
func compareSeriesKeys(a, b seriesKey) int {
	if c := cmp.Compare(a.Reporter, b.Reporter); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Partner, b.Partner); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Indicator, b.Indicator); c != 0 {
		return c
	}
	return cmp.Compare(a.Source, b.Source)
}

// emit records a finding of the current rule with its configured severity.
func (c *checker) emit(f Finding) {
	if c.beyond(f.Pos()) || !c.meter.add(&c.unmetered, &f) {
		return
	}
	f.Rule = c.cur.ID
	f.Severity = c.severity()
	if c.packs() {
		f.pack()
		c.keep(f, c.cfg.MaxFindings)
		return
	}
	c.findings = append(c.findings, f)
}

// emitAscending emits fs as emit would one after the other, when they are
// in the order of SortFindings and stable in the order they were found,
// and fit in the list (Config.MaxFindings) with those the check holds.
// Emitted one by one, each would climb the heap of those held to its top;
// in reverse they are a heap as they are.
func (c *checker) emitAscending(fs []Finding) {
	m := c.cfg.MaxFindings
	if !c.packs() || len(c.findings) > 0 || len(fs) > m {
		for _, f := range fs {
			c.emit(f)
		}
		return
	}
	held := fs[:0]
	for _, f := range fs {
		if c.beyond(f.Pos()) || !c.meter.add(&c.unmetered, &f) {
			continue
		}
		f.Rule, f.Severity = c.cur.ID, c.severity()
		f.pack()
		held = append(held, f)
	}
	n := len(held)
	c.findings, c.seqs = make([]Finding, n), make([]uint64, n)
	for i := range held {
		c.findings[n-1-i], c.seqs[n-1-i] = held[i], c.emitted
		c.emitted++
	}
	if n == m {
		c.ownCut, c.hasOwnCut = c.findings[0], true
	}
}

// packs reports whether the findings of the check are held packed (see
// Finding.pack): when they are bounded, and so held with those of other
// years, up to Config.MaxFindings of each rule, until the limiter hands
// them out.
func (c *checker) packs() bool { return c.cfg.MaxFindings > 0 }

// keep holds f when it is among the first m findings of the rule in the
// order of SortFindings, and counts the one it displaces or itself: a rule
// with millions of findings in one year holds m of them, and builds no
// message for one that sorts after the last of them (see beyond); a part
// of a rule lets go of those after the rule's first m (see letGo). They
// are held in a heap whose top is the last, with the order they came in
// (seqs), which decides between findings that compare equal as a stable
// sort would; sortKept puts them in order.
func (c *checker) keep(f Finding, m int) {
	seq := c.emitted
	c.emitted++
	if len(c.findings) < m {
		c.findings, c.seqs = append(c.findings, f), append(c.seqs, seq)
		for i := len(c.findings) - 1; i > 0; {
			up := (i - 1) / 2
			if !c.keptAfter(i, up) {
				break
			}
			c.swapKept(i, up)
			i = up
		}
	} else {
		// Equal to the top, f came later: the top stays.
		if compareFindings(&f, &c.findings[0]) >= 0 {
			c.count(f.Pos())
			return
		}
		c.count(c.findings[0].Pos())
		c.findings[0], c.seqs[0] = f, seq
		c.siftDown(0, len(c.findings))
	}
	if len(c.findings) == m {
		c.ownCut, c.hasOwnCut = c.findings[0], true
		if c.run != nil {
			c.run.noteCut(c.ownCut)
		}
	}
	if c.run != nil {
		c.letGo(keptKey{f, c.part, seq}, m)
	}
}

// letGo shares the key of the finding c, a part, kept last with the other
// parts (see partRun.kept), and lets go of, counting them, the findings c
// holds that sort after the first m of the rule's so far.
func (c *checker) letGo(key keptKey, m int) {
	if last, full := c.run.share(key, m); full {
		c.dropAfter(&last)
	}
}

// dropAfter lets go of the findings c holds in its heap that sort after
// last, counting them.
func (c *checker) dropAfter(last *keptKey) {
	for n := len(c.findings); n > 0; n-- {
		if top := c.keyOf(0); !top.after(last) {
			return
		}
		c.count(c.findings[0].Pos())
		c.swapKept(0, n-1)
		c.findings[n-1] = Finding{} // its message and rows, let go
		c.findings, c.seqs = c.findings[:n-1], c.seqs[:n-1]
		c.siftDown(0, n-1)
	}
}

// keptAfter reports whether held finding i sorts after held finding j.
func (c *checker) keptAfter(i, j int) bool {
	if d := compareFindings(&c.findings[i], &c.findings[j]); d != 0 {
		return d > 0
	}
	return c.seqs[i] > c.seqs[j]
}

func (c *checker) swapKept(i, j int) {
	c.findings[i], c.findings[j] = c.findings[j], c.findings[i]
	c.seqs[i], c.seqs[j] = c.seqs[j], c.seqs[i]
}

// siftDown moves held finding i down the heap of the first n.
func (c *checker) siftDown(i, n int) {
	for {
		last := i
		for _, k := range [2]int{2*i + 1, 2*i + 2} {
			if k < n && c.keptAfter(k, last) {
				last = k
			}
		}
		if last == i {
			return
		}
		c.swapKept(i, last)
		i = last
	}
}

// sortKept sorts the findings held by keep, in place: a heap sort, or a
// reversal of a heap in reverse order.
func (c *checker) sortKept() {
	if c.seqs == nil {
		return // not bounded, or nothing held
	}
	// A heap made at once of findings in order (see emitAscending) is in
	// the reverse order already: reversed, in time linear in its length
	// rather than the heap sort's n log n comparisons (3 ms for the
	// 10,000 mirror findings of the first year of the synthetic 1M rows).
	descending := true
	for i := 1; i < len(c.findings) && descending; i++ {
		descending = c.keptAfter(i-1, i)
	}
	if descending {
		slices.Reverse(c.findings)
		c.seqs = nil
		return
	}
	for n := len(c.findings) - 1; n > 0; n-- {
		c.swapKept(0, n)
		c.siftDown(0, n)
	}
	c.seqs = nil
}

// count counts a finding at p that is not listed.
func (c *checker) count(p Pos) { c.countN(1, p) }

// countN counts n findings not listed, the last at p.
func (c *checker) countN(n int, p Pos) {
	c.skipped += n
	if cmp.Or(cmp.Compare(p.File, c.skippedLast.File), cmp.Compare(p.Line, c.skippedLast.Line)) > 0 {
		c.skippedLast = p
	}
}

func (c *checker) severity() Severity {
	if c.curCfg.Severity != 0 {
		return c.curCfg.Severity
	}
	return c.cur.Severity
}

// beyond reports whether a finding of the current rule at p would only be
// counted: the findings listed are bounded (Config.MaxFindings) and those
// of earlier years, or of this check, already fill the list with findings
// before p. It counts
// the finding then, so that a rule with a million of them does not format
// a million messages.
func (c *checker) beyond(p Pos) bool {
	if c.meter.stopped() {
		return true // the check fails, its findings untold
	}
	after := func(cut *Finding) bool { return comparePos(p, cut.Pos()) > 0 }
	if cut, ok := c.cut[c.cur.ID]; ok && after(&cut) || c.hasOwnCut && after(&c.ownCut) || c.run != nil && c.run.beyond(p) {
		c.count(p)
		return true
	}
	return false
}

// cell returns the valid figure of a series of a source in a period, or
// nil.
func (c *checker) cell(r, p, ind, src string, per Period) *fig {
	return c.cellOf(c.seriesID(Key{r, p, ind}, src), per)
}

// sibling returns the number of the series of the same reporter, partner
// and source as series number i, of indicator ind, or -1. The series of a
// pair are next to each other in the sorted keys, so that a few string
// comparisons, mostly of the very same strings, find it without hashing.
func (c *checker) sibling(i int, ind string) int32 {
	k := c.keys[i]
	samePair := func(j int) bool { return c.keys[j].Reporter == k.Reporter && c.keys[j].Partner == k.Partner }
	for j := i; j >= 0 && samePair(j); j-- {
		if c.keys[j].Indicator == ind && c.keys[j].Source == k.Source {
			return int32(j)
		}
	}
	for j := i + 1; j < len(c.keys) && samePair(j); j++ {
		if c.keys[j].Indicator == ind && c.keys[j].Source == k.Source {
			return int32(j)
		}
	}
	return -1
}

// seriesID returns the number of a series, or -1 when it is not in the
// data.
func (c *checker) seriesID(k Key, src string) int32 {
	from, to := c.sourcesOf(k)
	for id := from; id < to; id++ {
		if c.keys[id].Source == src {
			return id
		}
	}
	return -1
}

// cellOf returns the valid figure of series number id in a period, or nil.
func (c *checker) cellOf(id int32, per Period) *fig {
	return c.cellNear(id, per, -1)
}

// cellNear is cellOf that looks first at place i of the series' valid
// figures: a rule that walks one series and looks up the same period in
// another (exports beside turnover, A's exports beside B's imports) mostly
// finds it at the same place, without a search.
func (c *checker) cellNear(id int32, per Period, i int) *fig {
	if id < 0 {
		return nil
	}
	obs := c.valid[id]
	if i >= 0 && i < len(obs) && obs[i].Period == per {
		return obs[i]
	}
	lo, hi := 0, len(obs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if Compare(obs[m].Period, per) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(obs) && obs[lo].Period == per {
		return obs[lo]
	}
	return nil
}

// label names a figure in messages: KAZ–ARM turnover 2023.
func label(o *fig) string {
	var buf [64]byte
	return string(appendLabel(buf[:0], o))
}

// appendLabel appends the label of o to b.
func appendLabel(b []byte, o *fig) []byte {
	b = append(b, o.Reporter...)
	b = append(b, "–"...)
	b = append(b, o.Partner...)
	b = append(b, ' ')
	b = append(b, o.Indicator...)
	b = append(b, ' ')
	return o.Period.appendText(b)
}

// flowSeries yields, for every series of a flow indicator numbered from
// from to to, its number, its indicator and its valid observations (see
// [checker.valid]).
func (c *checker) flowSeries(from, to int) iter.Seq2[int, flowSeries] {
	return func(yield func(int, flowSeries) bool) {
		for id := from; id < to; id++ {
			sk := &c.keys[id]
			info, ok := c.voc.Lookup(sk.Indicator)
			if !ok || !info.Flow {
				continue
			}
			st := &c.state[id]
			fs := flowSeries{info: info, obs: c.valid[id], intervals: st.intervals}
			for k := range fs.singles {
				fs.singles[k] = st.kinds&(1<<k) != 0
			}
			if !yield(id, fs) {
				return
			}
		}
	}
}

// flowSeries is a flow series as the time rules see it: which kinds of
// single period it has, and whether it has intervals.
type flowSeries struct {
	info      IndicatorInfo
	obs       []*fig
	singles   [Day + 1]bool
	intervals bool
}

// oneKind reports whether the valid figures of fs are all single periods
// of one kind (or there are none), as most series' are: all months, or all
// years.
func (fs *flowSeries) oneKind() bool {
	kinds := 0
	for _, has := range fs.singles {
		if has {
			kinds++
		}
	}
	return !fs.intervals && kinds <= 1
}

// sortByPeriod sorts the rows of a series by period, rows of the same
// period in the order they came. The rows of a file written newest first
// come in the reverse order, which a reversal mends in one pass; a stable
// sort of them took insertion sort's longest path.
func sortByPeriod(rows []*fig) {
	descending := true
	for i := 1; i < len(rows) && descending; i++ {
		descending = Compare(rows[i].Period, rows[i-1].Period) < 0
	}
	if descending {
		slices.Reverse(rows)
		return
	}
	slices.SortStableFunc(rows, func(a, b *fig) int { return Compare(a.Period, b.Period) })
}

// oneAPeriod reports whether the series' rows came in order of period,
// all valid: it has one figure a period, the first valid one of it.
func (st *seriesState) oneAPeriod() bool { return !st.unordered && !st.invalid }
