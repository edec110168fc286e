package stats

import (
	"cmp"
	"math"
	"slices"
	"strconv"
)

// checkMirror compares A's exports to B with B's imports from A for the same
// period, when both reporters are in the data. Imports are valued CIF and
// exports FOB, so imports are expected to be MirrorFactor × exports; a
// relative gap above MirrorThreshold is reported (see aboveThreshold) when
// no rounding of the two figures explains it (see mirrorRounded), and so
// are imports against exports of 0.
func checkMirror(c *checker) {
	factor, threshold := c.cfg.Mirror()
	// Bounded, the findings of a year are gathered before any is made, and
	// made in the order of their rows: once the list is full, the rest are
	// counted without a message (see checker.beyond). In the order of the
	// series they would come scattered over the year, and about three in
	// four of them be made before the list knew its last: random figures
	// have a gap in one row in fourteen. The gaps are found in parts of
	// the series on every core (see inParts), and taken part after part.
	parts := make([]mirrorPart, c.parts(len(c.keys)))
	sources := c.mirrorSources()
	c.inParts(len(c.keys), func(c *checker, k, from, to int) {
		parts[k] = c.mirrorHits(from, to, factor, threshold, sources)
	})
	found := 0
	for _, p := range parts {
		found += len(p.hits)
	}
	hits := make([]mirrorHit, 0, found)
	keys := make([]uint64, 0, found) // by hit: the line of m, then the hit's number
	oneFile := true
	for _, p := range parts {
		oneFile = oneFile && p.oneFile && (len(hits) == 0 || len(p.hits) == 0 || p.hits[0].m.file == hits[0].m.file)
		for _, h := range p.hits {
			keys = append(keys, uint64(h.m.line)<<32|uint64(len(hits)))
			hits = append(hits, h)
		}
	}
	if len(hits) == 0 {
		return
	}
	// The hits in the order of the places of their m, then as they were
	// found. Those of one file, as most are, sort by their line alone (the
	// line of m tells its column), eight bytes a hit.
	order := make([]int32, len(hits))
	if oneFile {
		slices.Sort(keys)
		for i, k := range keys {
			order[i] = int32(uint32(k))
		}
	} else {
		for i := range order {
			order[i] = int32(i)
		}
		slices.SortFunc(order, func(a, b int32) int {
			return cmp.Or(comparePos(hits[a].m.Pos(), hits[b].m.Pos()), cmp.Compare(a, b))
		})
	}
	finding := func(i int32) Finding {
		h := hits[i]
		want, got, gap, _ := mirrorGap(h.m, h.x, factor)
		return mirrorFinding(h.m, h.x, want, got, gap, threshold, factor)
	}
	// The first that fit in the list are made at once, the rest one by
	// one, most of them only counted; those of a row are put in order by
	// their messages.
	n := min(len(order), max(c.cfg.MaxFindings-len(c.findings), 0))
	first := make([]Finding, n)
	for i, h := range order[:n] {
		first[i] = finding(h)
	}
	for i := 0; i < n; {
		j := i + 1
		for j < n && hits[order[j]].m == hits[order[i]].m {
			j++
		}
		if j-i > 1 {
			slices.SortStableFunc(first[i:j], func(a, b Finding) int { return compareFindings(&a, &b) })
		}
		i = j
	}
	c.emitAscending(first)
	rest := order[n:]
	for i, h := range rest {
		if c.beyond(hits[h].m.Pos()) {
			// The hits come in the order of their places, and the list's
			// last place only moves back as it fills: those after this
			// one are beyond it too, and only counted, the last of them
			// last, without a place made and compared for each (272,000
			// of the wide 1M rows; no time measurably saved on them, see
			// docs/performance.md).
			if len(rest) > i+1 {
				c.countN(len(rest)-i-1, hits[rest[len(rest)-1]].m.Pos())
			}
			return
		}
		c.emit(finding(h))
	}
}

// mirrorPart is what mirrorHits found in a part of the series.
type mirrorPart struct {
	hits []mirrorHit
	// oneFile tells that the hits' m are all of one file, on lines that
	// sort by number.
	oneFile bool
}

// mirrorSources are the numbers of the series of a mirror figure, as from
// ≤ id < to (see checker.sourcesOf), once known.
type mirrorSources struct {
	from, to int32
	known    bool
}

// mirrorSources returns where the mirror rule keeps the series of the
// mirror figures of each series, by series: the carry's, which the years
// of one order of series share, or an array of its own. A file written
// period by period has its series in one order every year, and the
// rule then looks each up by its key once, not once a year (the map's
// lookups and the keys' comparisons were 2% of the 10M check's time).
func (c *checker) mirrorSources() []mirrorSources {
	if c.carry == nil {
		return make([]mirrorSources, len(c.keys))
	}
	if len(c.carry.mirror) != len(c.keys) {
		c.carry.mirror = make([]mirrorSources, len(c.keys))
	}
	return c.carry.mirror
}

// mirrorHits finds the gaps between the mirror figures of the exports of
// series from to to, beyond the threshold at the CIF/FOB factor. Where the
// findings are not bounded they are made at once, not found. sources are
// those of mirrorSources, of which it fills those of series from to to.
func (c *checker) mirrorHits(from, to int, factor, threshold float64, sources []mirrorSources) mirrorPart {
	p := mirrorPart{oneFile: true}
	var file *fileName // the file of the hits' m, while they have one
	for id := from; id < to; id++ {
		sk := &c.keys[id]
		if sk.Indicator != "exports" {
			continue
		}
		ms := &sources[id]
		if !ms.known {
			ms.from, ms.to = c.sourcesOf(Key{sk.Partner, sk.Reporter, "imports"})
			ms.known = true
		}
		lo, hi := ms.from, ms.to
		if lo == hi {
			continue
		}
		w := warm(c.valid[id])
		for mid := lo; mid < hi; mid++ {
			w += warm(c.valid[mid])
		}
		c.warmed += w
		for k, x := range c.valid[id] {
			for mid := lo; mid < hi; mid++ {
				m := c.cellNear(mid, x.Period, k)
				if m == nil {
					continue
				}
				mi, ok := convert(m, x.Unit())
				if !ok {
					continue
				}
				want, got, gap := gapOf(mi, x, factor)
				if !aboveThreshold(gap, threshold) || mirrorRounded(mi, x, factor, threshold) {
					continue
				}
				if c.beyond(m.Pos()) {
					continue
				}
				if !c.packs() {
					c.emit(mirrorFinding(m, x, want, got, gap, threshold, factor))
					continue
				}
				if len(p.hits) == 0 {
					file = m.file
				}
				p.oneFile = p.oneFile && m.file == file && m.file.single() && m.line >= 0
				if len(p.hits) == cap(p.hits) {
					// Doubled, where append grows a large slice by a
					// quarter and leaves four times its size behind:
					// the 282,000 gaps of a customs office's 1M rows
					// took 20 MB so, and take 16.
					p.hits = slices.Grow(p.hits, max(len(p.hits), 256))
				}
				p.hits = append(p.hits, mirrorHit{m, x})
			}
		}
	}
	return p
}

// aboveThreshold reports whether gap is above threshold by more than the
// error of floating point, a millionth of a millionth: a gap of exactly
// the threshold in the figures' decimals is not above it, though it
// computes a hair off it either way (15.9 against 20.0 × 1.06 is −25%,
// and −0.2500000000000001 in float64; 10.6 against 8.0 × 1.06, +25%, is
// 0.2499999999999999).
func aboveThreshold(gap, threshold float64) bool {
	g := math.Abs(gap)
	return g-threshold > 1e-12*(1+g) || math.IsInf(g, 1)
}

// mirrorHit is a gap checkMirror found between B's imports m from A and
// A's exports x to B.
type mirrorHit struct{ m, x *fig }

// mirrorGap returns what B's imports m from A should be by A's exports x
// to B (want), what they are in x's unit (got), and the gap between them
// as a share of want: infinite when A reports no exports and B imports,
// the largest gap there is; false when m's unit cannot be converted.
func mirrorGap(m, x *fig, factor float64) (want, got, gap float64, ok bool) {
	mi, ok := convert(m, x.Unit())
	if !ok {
		return 0, 0, 0, false
	}
	want, got, gap = gapOf(mi, x, factor)
	return want, got, gap, true
}

// gapOf is mirrorGap of imports mi, already in x's unit.
func gapOf(mi Interval, x *fig, factor float64) (want, got, gap float64) {
	want = x.Value().Num * factor
	got = mi.Mid()
	switch {
	case want != 0:
		return want, got, (got - want) / want
	case got == 0:
		return 0, 0, 0
	}
	return 0, got, math.Inf(int(math.Copysign(1, got)))
}

// mirrorRounded reports whether the gap between imports mi, in x's unit,
// and exports x is within threshold for some figures their written
// decimals allow: 0.1 exported and 0.2 imported may be 0.15 each, a gap of
// −6% at the factor 1.06, not the +89% of the figures as written. Only a gap that no rounding
// explains is reported, as every rule judges rounded figures.
func mirrorRounded(mi Interval, x *fig, factor, threshold float64) bool {
	xi := x.Value().Interval()
	lo, hi := xi.Lo*factor, xi.Hi*factor
	switch {
	case mi.Hi >= lo && mi.Lo <= hi:
		return true // the two meet
	case mi.Lo > hi: // the imports above: least at the least imports, the most exports
		return hi > 0 && !aboveThreshold((mi.Lo-hi)/hi, threshold)
	}
	// The imports below: least at the most imports, the least exports.
	return lo > 0 && !aboveThreshold((mi.Hi-lo)/lo, threshold)
}

// mirrorFinding makes the finding of a gap between m and x. Its label
// and message are made as one string, which they share: a check of the
// synthetic 1M rows makes 10,000 findings in its first year, before any
// other is known, and they took 0.75 µs each in six allocations, against
// 0.4 µs in two (BenchmarkMirrorFinding).
func mirrorFinding(m, x *fig, want, got, gap, threshold, factor float64) Finding {
	dec := max(x.Value().Decimals, decimalsIn(m, x.Unit()))
	var buf [384]byte
	b := appendLabel(buf[:0], m)
	k := len(b)
	s := string(appendMirrorMessage(b, gap, threshold, m, x, factor))
	return Finding{Rows: []Pos{m.Pos(), x.Pos()}, Series: s[:k], Numbers: true,
		Expected: want, Actual: got, Difference: got - want, Tolerance: threshold * want, Decimals: dec,
		Message: s[k:]}
}

// appendMirrorMessage appends to b the message that B's imports m from A
// are off A's exports x to B by gap, a share of x × factor. It is what
//
//	fmt.Sprintf("mirror gap of %+.0f%%: %s imports from %s %s %s (%q), but %s reports exports to %s %s %s (%q), × %.2f CIF/FOB",
//		gap*100, m.Reporter, m.Partner, m.Value(), m.Unit(), m.Source, x.Reporter, x.Partner, x.Value(), x.Unit(), x.Source, factor)
//
// writes, without fmt's conversions to interfaces: random figures have a
// mirror gap in one row in fourteen, and every message of a year is made
// until the first --max-findings of them are known.
func appendMirrorMessage(b []byte, gap, threshold float64, m, x *fig, factor float64) []byte {
	if math.IsInf(gap, 0) {
		b = append(b, "mirror gap (no exports against imports): "...)
	} else {
		b = append(b, "mirror gap of "...)
		var num [24]byte
		pct := strconv.AppendFloat(num[:0], gap*100, 'f', 0, 64)
		// A gap written to fewer decimals than it takes to exceed the
		// threshold would read as within it (−25.47% as −25%, 25.04% as
		// 25.0%, at 25%).
		for dec := 1; dec <= 4 && math.Abs(roundTo(gap*100, dec-1)) <= threshold*100; dec++ {
			pct = strconv.AppendFloat(num[:0], gap*100, 'f', dec, 64)
		}
		if pct[0] != '-' {
			b = append(b, '+') // as fmt's flag + does
		}
		b = append(b, pct...)
		b = append(b, "%: "...)
	}
	b = append(b, m.Reporter...)
	b = append(b, " imports from "...)
	b = append(b, m.Partner...)
	b = appendFigure(b, m)
	b = append(b, ", but "...)
	b = append(b, x.Reporter...)
	b = append(b, " reports exports to "...)
	b = append(b, x.Partner...)
	b = appendFigure(b, x)
	b = append(b, ", × "...)
	b = strconv.AppendFloat(b, factor, 'f', 2, 64)
	return append(b, " CIF/FOB"...)
}

// appendFigure appends " VALUE UNIT (SOURCE)" of o to b, the source
// quoted as %q quotes it.
func appendFigure(b []byte, o *fig) []byte {
	b = append(b, ' ')
	b = o.Value().appendText(b)
	b = append(b, ' ')
	b = append(b, o.Unit()...)
	b = append(b, " ("...)
	b = appendQuoted(b, o.Source)
	return append(b, ')')
}

// appendQuoted appends s quoted as strconv.AppendQuote quotes it, at once
// when it is printable ASCII without a quote or backslash, as sources are.
func appendQuoted(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' || c == '"' || c == '\\' {
			return strconv.AppendQuote(b, s)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
