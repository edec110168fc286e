package stats

import (
	"cmp"
	"iter"
	"maps"
	"runtime"
	"slices"
	"sync"
	"unsafe"
)

// Check runs the enabled built-in rules over d and returns their findings,
// sorted with [SortFindings]. It does not modify d. A nil cfg runs every
// rule with its defaults.
func Check(d *Dataset, cfg *Config) []Finding {
	if cfg == nil {
		cfg = &Config{}
	}
	findings := checkWith(input{obs: [][]Observation{d.Obs}, problems: d.Problems}, cfg, nil)
	if cfg.MaxFindings > 0 {
		l := newLimiter(cfg.MaxFindings)
		l.add(findings)
		return l.findings()
	}
	SortFindings(findings)
	return findings
}

// input is what the rules check: observations, in pieces that need not be
// copied together, and the problems of the rows that were not read.
type input struct {
	obs [][]Observation
	// keys, when not nil, holds for each piece of obs nil or the series
	// key of each observation (see seriesCode), which finds a row's series
	// by a number.
	keys     [][]uint64
	problems []*ParseError
}

// checkWith runs the enabled rules over in, handing cr (when not nil) from
// one year's check to the next; the findings are not sorted.
func checkWith(in input, cfg *Config, cr *carry) []Finding {
	return checkCut(in, cfg, cr, nil)
}

// checkCut is checkWith for findings listed up to a cut by rule (see
// checker.beyond); cut is only read.
func checkCut(in input, cfg *Config, cr *carry, cut map[string]Finding) []Finding {
	shared := newChecker(in, cfg)
	shared.carry = cr
	shared.cut = cut
	if cr != nil {
		shared.slots = cr.slots(shared.keys)
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
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(runs)) {
		wg.Go(func() {
			for i := range work {
				checks[i](runs[i])
			}
		})
	}
	for i := range runs {
		work <- i
	}
	close(work)
	wg.Wait()
	var findings []Finding
	for _, c := range runs {
		findings = append(findings, c.findings...)
		if c.skipped > 0 {
			findings = append(findings, Finding{Rule: c.cur.ID, Severity: c.severity(), Rows: []Pos{c.skippedLast}, Omitted: c.skipped})
		}
	}
	return findings
}

// seriesKey is one series as one source published it.
type seriesKey struct {
	Key
	Source string
}

type checker struct {
	in     input
	cfg    *Config
	voc    *Vocabulary
	cur    RuleInfo
	curCfg RuleConfig

	keys []seriesKey // sorted keys of series
	// obs holds the observations of each numbered series, sorted by period
	// and then file order.
	obs [][]*Observation
	// first maps a series to the number of its series of the first
	// source: the sources of a series are next to each other in keys.
	first map[Key]int32
	// valid holds, for each numbered series, its first valid observation
	// of each period, sorted by period: figures are found by binary
	// search, which keeps the lookups in cache where a map of every
	// figure would not be.
	valid [][]*Observation
	// state holds what each series' rows told as they were numbered.
	state []seriesState
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
	// scratch is a rule's own list of figures, used again call after call.
	scratch []*Observation
}

func newChecker(in input, cfg *Config) *checker {
	voc := cfg.Vocabulary
	if voc == nil {
		voc = NewVocabulary()
	}
	c := &checker{in: in, cfg: cfg, voc: voc}
	// Number the series in the order they come and count their rows, then
	// give each its slice at once: growing a slice per series would copy
	// and discard as much again as the rows' pointers.
	g := newGrouper(in)
	ids := make([]int32, 0, g.n)
	for s, seg := range in.obs {
		var codes []uint64
		if s < len(in.keys) {
			codes = in.keys[s]
		}
		for i := range seg {
			var code uint64
			if codes != nil {
				code = codes[i]
			}
			ids = append(ids, g.series(&seg[i], code))
		}
	}
	ptrs := make([]*Observation, g.n)
	bySeries := make([][]*Observation, len(g.first))
	at := 0
	for id, k := range g.count {
		bySeries[id] = ptrs[at : at : at+int(k)]
		at += int(k)
	}
	state := make([]seriesState, len(g.first))
	// The rows go to their series on every core, each taking a range of
	// series (ranges, so that no two cores write the same cache lines),
	// while the series are sorted by key. Each core reads the rows of its
	// series in file order: whether a series comes in order of period,
	// one figure a period, all valid, is told here, and not by reading
	// them again a series at a time, a row a cache miss away from the
	// next.
	parts := 1
	if g.n >= parallelRows {
		parts = min(runtime.GOMAXPROCS(0), len(g.first))
	}
	var perm []int32
	var wg sync.WaitGroup
	wg.Go(func() { perm = g.sorted() })
	for k := range parts {
		from, to := int32(len(g.first)*k/parts), int32(len(g.first)*(k+1)/parts)
		wg.Go(func() {
			j := 0
			for _, seg := range in.obs {
				for i := range seg {
					id := ids[j]
					j++
					if id < from || id >= to {
						continue
					}
					o := &seg[i]
					state[id].see(o, len(bySeries[id]) == 0)
					bySeries[id] = append(bySeries[id], o)
				}
			}
			for id := from; id < to; id++ {
				if state[id].unordered {
					slices.SortStableFunc(bySeries[id], func(a, b *Observation) int { return Compare(a.Period, b.Period) })
				}
			}
		})
	}
	wg.Wait()
	if perm == nil {
		keys := make([]seriesKey, len(g.first))
		for i, o := range g.first {
			keys[i] = seriesKey{o.Key(), o.Source}
		}
		perm = sortSeriesKeys(keys)
	}
	c.keys = make([]seriesKey, len(perm))
	c.first = make(map[Key]int32, len(c.keys))
	c.obs = make([][]*Observation, len(c.keys))
	c.valid = make([][]*Observation, len(c.keys))
	c.state = make([]seriesState, len(c.keys))
	// The valid figures of a series are mostly all its figures: they share
	// its slice then, and the others have their own, in one array.
	need := 0
	for id, st := range state {
		if st.unordered || st.invalid {
			need += int(g.count[id])
		}
	}
	valid := make([]*Observation, 0, need)
	for i, id := range perm {
		c.keys[i] = seriesKey{g.first[id].Key(), g.first[id].Source}
		c.obs[i] = bySeries[id]
		c.state[i] = state[id]
		if st := state[id]; !st.unordered && !st.invalid {
			c.valid[i] = c.obs[i]
			continue
		}
		at := len(valid)
		valid = appendValid(valid, c.obs[i])
		c.valid[i] = valid[at:len(valid):len(valid)]
	}
	for i := 0; i < len(c.keys); i = c.keyRun(i) {
		c.first[c.keys[i].Key] = int32(i)
	}
	return c
}

// parallelRows is the fewest rows newChecker spreads over the cores; tests
// lower it.
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

// grouper numbers the series of rows in the order they come.
type grouper struct {
	n     int            // rows
	first []*Observation // the first row of each series, which names it
	count []int32        // rows of each series
	byKey map[seriesKey]int32
	// The loader shares equal strings, so that the rows of a series mostly
	// have the very same four strings: a map keyed by where they are finds
	// the series without hashing and comparing their text, and the map by
	// text decides when that one has not seen the strings yet.
	byPtr map[seriesPtrs]int32
	// With series codes (see seriesCode), the four numbers of a code are
	// made dense, dense[f][number] = place + 1, and a row's series is
	// found in cells, by its place in each, without hashing.
	dense [4][]int32
	dims  [4]int
	cells []int32 // series number + 1, or 0
	// nd is the fields the cells are by: all four, or the first three when
	// the sources would make too many places (a national office's name in
	// each reporter's source). With three, a cell holds one of the series
	// that share it, and codes tells whether it is the row's.
	nd    int
	codes []uint64 // each series' code, or 0
	// coded says every row has a code: a code whose cell is empty, or not
	// in byCode when another series has the cell, is a new series, and
	// the maps by the strings are not needed.
	coded  bool
	byCode map[uint64]int32
}

// maxCells bounds the table of series by their codes' places.
const maxCells = 1 << 22

func newGrouper(in input) *grouper {
	g := &grouper{byKey: map[seriesKey]int32{}, byPtr: map[seriesPtrs]int32{}}
	for _, seg := range in.obs {
		g.n += len(seg)
	}
	if len(in.keys) == 0 {
		return g
	}
	// The tables go up to the largest number of each field: a small input
	// does not pay for 65,536 places a year.
	var top [4]uint16
	for _, codes := range in.keys {
		for _, code := range codes {
			for f := range 4 {
				top[f] = max(top[f], uint16(code>>(48-16*f)))
			}
		}
	}
	for f := range g.dense {
		g.dense[f] = make([]int32, int(top[f])+1)
	}
	coded := true
	for _, codes := range in.keys {
		coded = coded && codes != nil
		for _, code := range codes {
			if code == 0 {
				coded = false
				continue
			}
			for f := range 4 {
				d := g.dense[f]
				if id := uint16(code >> (48 - 16*f)); d[id] == 0 {
					g.dims[f]++
					d[id] = int32(g.dims[f])
				}
			}
		}
	}
	g.coded = coded && len(in.keys) == len(in.obs)
	size := 1
	for f, d := range g.dims {
		if size*max(d, 1) > maxCells {
			break
		}
		size *= max(d, 1)
		g.nd = f + 1
	}
	if g.nd < 3 {
		g.dense = [4][]int32{}
		g.nd = 0
	} else {
		g.cells = make([]int32, size)
	}
	if g.coded && g.nd < 4 {
		g.byCode = map[uint64]int32{}
	}
	return g
}

// series returns the number of the series of o, whose series code is code
// (0 when it has none).
func (g *grouper) series(o *Observation, code uint64) int32 {
	cell := -1
	if code != 0 && g.cells != nil {
		cell = 0
		for f := range g.nd {
			cell = cell*g.dims[f] + int(g.dense[f][uint16(code>>(48-16*f))]) - 1
		}
		if id := g.cells[cell]; id != 0 && (g.nd == 4 || g.codes[id-1] == code) {
			g.count[id-1]++
			return id - 1
		}
	}
	var id int32
	switch {
	case g.coded && cell >= 0 && g.cells[cell] == 0:
		// No series has the cell: every series is in its cell unless
		// another had it first, and none leaves it.
		id = g.add(o, code)
	case g.coded:
		var ok bool
		if id, ok = g.byCode[code]; !ok {
			id = g.add(o, code)
			g.byCode[code] = id
		}
	default:
		pk := seriesPtrs{ptrOf(o.Reporter), ptrOf(o.Partner), ptrOf(o.Indicator), ptrOf(o.Source)}
		var ok bool
		if id, ok = g.byPtr[pk]; !ok {
			sk := seriesKey{o.Key(), o.Source}
			if id, ok = g.byKey[sk]; !ok {
				id = g.add(o, code)
				g.byKey[sk] = id
			}
			g.byPtr[pk] = id
		}
	}
	if cell >= 0 && g.cells[cell] == 0 {
		g.cells[cell] = id + 1
	}
	g.count[id]++
	return id
}

// seriesState is what the rows of a series told as they were numbered, in
// file order: the rules then need not read every row of a series again,
// each a cache miss away from the next, to learn it.
type seriesState struct {
	last Period // the period of the last row
	unit string // the unit of the first row
	// The kinds of single period of the valid figures, as bits 1<<kind.
	kinds uint16
	// unordered: a row came with a period not after the one before (the
	// rows need sorting, and a period may have more than one figure);
	// invalid: a figure is not valid; intervals: a valid figure is of an
	// interval; units: a row has a unit other than the first row's.
	unordered, invalid, intervals, units bool
}

// see takes in the next row of the series, o; first says it is the first.
func (st *seriesState) see(o *Observation, first bool) {
	if first {
		st.unit = o.Unit
	} else {
		st.unordered = st.unordered || Compare(st.last, o.Period) >= 0
		st.units = st.units || o.Unit != st.unit
	}
	st.last = o.Period
	switch {
	case !o.Value.Valid:
		st.invalid = true
	case o.Period.IsInterval():
		st.intervals = true
	default:
		st.kinds |= 1 << o.Period.Kind()
	}
}

// add numbers a new series, whose first row is o.
func (g *grouper) add(o *Observation, code uint64) int32 {
	id := int32(len(g.first))
	g.first = append(g.first, o)
	g.count = append(g.count, 0)
	g.codes = append(g.codes, code)
	return id
}

// sorted returns the numbers of the series in the order of
// compareSeriesKeys when every series has a code whose numbers have
// places, and nil otherwise. It ranks the few strings of each field by
// their places, without a map of strings: a year of 30,000 series is
// sorted in a millisecond or two.
func (g *grouper) sorted() []int32 {
	if !g.coded || g.dense[0] == nil {
		return nil
	}
	field := func(code uint64, f int) int32 { return g.dense[f][uint16(code>>(48-16*f))] - 1 }
	var names [4][]string
	for f := range names {
		names[f] = make([]string, g.dims[f])
	}
	for id, o := range g.first {
		code := g.codes[id]
		for f, s := range [4]string{o.Reporter, o.Partner, o.Indicator, o.Source} {
			names[f][field(code, f)] = s
		}
	}
	var rank [4][]uint64
	for f, ns := range names {
		byName := make([]int32, len(ns))
		for i := range byName {
			byName[i] = int32(i)
		}
		slices.SortFunc(byName, func(a, b int32) int { return cmp.Compare(ns[a], ns[b]) })
		rank[f] = make([]uint64, len(ns))
		for r, place := range byName {
			rank[f][place] = uint64(r)
		}
	}
	type ranked struct {
		rank uint64
		id   int32
	}
	rs := make([]ranked, len(g.first))
	for id, code := range g.codes {
		var r uint64
		for f := range 4 {
			r = r<<16 | rank[f][field(code, f)]
		}
		rs[id] = ranked{r, int32(id)}
	}
	slices.SortFunc(rs, func(a, b ranked) int { return cmp.Compare(a.rank, b.rank) })
	perm := make([]int32, len(rs))
	for i := range rs {
		perm[i] = rs[i].id
	}
	return perm
}

// sortSeriesKeys returns the places of keys in the order of
// compareSeriesKeys. It ranks the few distinct codes, indicators and
// sources once and sorts the keys by their ranks, which is many times
// faster than comparing four strings at every step.
func sortSeriesKeys(keys []seriesKey) []int32 {
	perm := make([]int32, len(keys))
	for i := range perm {
		perm[i] = int32(i)
	}
	var fields [4]map[string]uint64
	for f := range fields {
		fields[f] = map[string]uint64{}
	}
	for _, k := range keys {
		fields[0][k.Reporter] = 0
		fields[1][k.Partner] = 0
		fields[2][k.Indicator] = 0
		fields[3][k.Source] = 0
	}
	for _, m := range fields {
		if len(m) >= 1<<16 {
			slices.SortFunc(perm, func(a, b int32) int { return compareSeriesKeys(keys[a], keys[b]) })
			return perm
		}
		for i, s := range slices.Sorted(maps.Keys(m)) {
			m[s] = uint64(i)
		}
	}
	type ranked struct {
		rank uint64
		i    int32
	}
	rs := make([]ranked, len(keys))
	for i, k := range keys {
		rs[i] = ranked{fields[0][k.Reporter]<<48 | fields[1][k.Partner]<<32 | fields[2][k.Indicator]<<16 | fields[3][k.Source], int32(i)}
	}
	slices.SortFunc(rs, func(a, b ranked) int { return cmp.Compare(a.rank, b.rank) })
	for i := range rs {
		perm[i] = rs[i].i
	}
	return perm
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

func compareSeriesKeys(a, b seriesKey) int {
	return cmp.Or(cmp.Compare(a.Reporter, b.Reporter), cmp.Compare(a.Partner, b.Partner),
		cmp.Compare(a.Indicator, b.Indicator), cmp.Compare(a.Source, b.Source))
}

// emit records a finding of the current rule with its configured severity.
func (c *checker) emit(f Finding) {
	if c.beyond(f.Pos()) {
		return
	}
	f.Rule = c.cur.ID
	f.Severity = c.severity()
	c.findings = append(c.findings, f)
	if m := c.cfg.MaxFindings; m > 0 && len(c.findings) >= held(m) {
		c.trim(m)
	}
}

// held is how many findings a rule holds while it checks when at most m
// are listed: a quarter more, so that a trim, which sorts them, comes
// once every m/4 findings at most, while findings that list hundreds of
// rows (a world total and its economies) do not hold twice the memory of
// the list.
func held(m int) int { return m + max(m/4, 1) }

// trim keeps the first max findings of the rule in sorted order, and
// counts the others: a rule with millions of findings in one year holds
// fewer than held(max) of them, and builds no message for one that sorts
// after the last kept (see beyond).
func (c *checker) trim(max int) {
	c.findings = keepFirst(c.findings, max, c.hasOwnCut, func(f *Finding) { c.count(f.Pos()) })
	c.ownCut, c.hasOwnCut = c.findings[max-1], true
}

// count counts a finding at p that is not listed.
func (c *checker) count(p Pos) {
	c.skipped++
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
	after := func(cut *Finding) bool {
		cp := cut.Pos()
		return cmp.Or(cmp.Compare(p.File, cp.File), cmp.Compare(p.Line, cp.Line), cmp.Compare(p.Column, cp.Column)) > 0
	}
	if cut, ok := c.cut[c.cur.ID]; ok && after(&cut) || c.hasOwnCut && after(&c.ownCut) {
		c.count(p)
		return true
	}
	return false
}

// cell returns the valid figure of a series of a source in a period, or
// nil.
func (c *checker) cell(r, p, ind, src string, per Period) *Observation {
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
func (c *checker) cellOf(id int32, per Period) *Observation {
	return c.cellNear(id, per, -1)
}

// cellNear is cellOf that looks first at place i of the series' valid
// figures: a rule that walks one series and looks up the same period in
// another (exports beside turnover, A's exports beside B's imports) mostly
// finds it at the same place, without a search.
func (c *checker) cellNear(id int32, per Period, i int) *Observation {
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
func label(o *Observation) string {
	return o.Reporter + "–" + o.Partner + " " + o.Indicator + " " + o.Period.String()
}

// flowSeries yields, for every series of a flow indicator, its number, its
// indicator and its valid observations (see [checker.valid]).
func (c *checker) flowSeries() iter.Seq2[int, flowSeries] {
	return func(yield func(int, flowSeries) bool) {
		for id, sk := range c.keys {
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
	obs       []*Observation
	singles   [Day + 1]bool
	intervals bool
}
