package stats

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
)

// checkMirror compares A's exports to B with B's imports from A for the same
// period, when both reporters are in the data. Imports are valued CIF and
// exports FOB, so imports are expected to be MirrorFactor × exports; a
// relative gap above MirrorThreshold is reported.
func checkMirror(c *checker) {
	factor, threshold := 1.06, 0.25
	if c.cfg.MirrorFactor > 0 {
		factor = c.cfg.MirrorFactor
	}
	if c.cfg.MirrorThreshold > 0 {
		threshold = c.cfg.MirrorThreshold
	}
	// Bounded, the findings of a year are gathered before any is made, and
	// made in the order of their rows: once the list is full, the rest are
	// counted without a message (see checker.beyond). In the order of the
	// series they would come scattered over the year, and about three in
	// four of them be made before the list knew its last: random figures
	// have a gap in one row in fourteen.
	var hits []mirrorHit
	for id, sk := range c.keys {
		if sk.Indicator != "exports" {
			continue
		}
		from, to := c.sourcesOf(Key{sk.Partner, sk.Reporter, "imports"})
		if from == to {
			continue
		}
		w := warm(c.valid[id])
		for mid := from; mid < to; mid++ {
			w += warm(c.valid[mid])
		}
		c.warmed += w
		for k, x := range c.valid[id] {
			for mid := from; mid < to; mid++ {
				m := c.cellNear(mid, x.Period, k)
				if m == nil {
					continue
				}
				miv, ok := convert(m, x.Unit())
				if !ok {
					continue
				}
				want := x.Value().Num * factor
				got := miv.Mid()
				if want == 0 {
					continue
				}
				gap := (got - want) / want
				if math.Abs(gap) <= threshold {
					continue
				}
				if c.beyond(m.Pos()) {
					continue
				}
				h := mirrorHit{m: m, x: x, want: want, got: got, gap: gap, at: placeOf(m), seq: len(hits)}
				if c.packs() {
					hits = append(hits, h)
					continue
				}
				c.emit(c.mirrorFinding(h, threshold, factor))
			}
		}
	}
	if len(hits) == 0 {
		return
	}
	sortHits(hits)
	// The first that fit in the list are made at once, the rest one by
	// one, most of them only counted; those of a row are put in order by
	// their messages.
	n := min(len(hits), max(c.cfg.MaxFindings-len(c.findings), 0))
	first := make([]Finding, n)
	for i, h := range hits[:n] {
		first[i] = c.mirrorFinding(h, threshold, factor)
	}
	for i := 0; i < n; {
		j := i + 1
		for j < n && hits[j].m == hits[i].m {
			j++
		}
		if j-i > 1 {
			slices.SortStableFunc(first[i:j], func(a, b Finding) int { return compareFindings(&a, &b) })
		}
		i = j
	}
	c.emitAscending(first)
	for _, h := range hits[n:] {
		if !c.beyond(h.m.Pos()) {
			c.emit(c.mirrorFinding(h, threshold, factor))
		}
	}
}

// mirrorHit is a gap checkMirror found between B's imports m from A and
// A's exports x to B, the seq-th it found: it wanted m to be want and got
// got. It holds the place of m, which sorting reads without going to the
// rows, scattered over the year.
type mirrorHit struct {
	m, x           *fig
	want, got, gap float64
	at             place
	seq            int
}

// sortHits sorts mirror hits by the place of their m, as comparePos
// orders places, then as they were found (seq). Hits of one file, as most
// are, are sorted by their line and number alone, eight bytes: the line of
// m tells its column.
func sortHits(hits []mirrorHit) {
	keys := make([]uint64, len(hits))
	for i := range hits {
		if hits[i].at.file != hits[0].at.file || hits[i].at.line < 0 {
			slices.SortFunc(hits, func(a, b mirrorHit) int { return compareHits(&a, &b) })
			return
		}
		keys[i] = uint64(hits[i].at.line)<<32 | uint64(uint32(hits[i].seq))
	}
	slices.Sort(keys)
	sorted := make([]mirrorHit, len(hits))
	for i, k := range keys {
		sorted[i] = hits[uint32(k)]
	}
	copy(hits, sorted)
}

// compareHits orders mirror hits by the place of their m, as comparePos
// does, then as they were found.
func compareHits(a, b *mirrorHit) int {
	if a.at.file != b.at.file {
		if c := strings.Compare(*a.at.file, *b.at.file); c != 0 {
			return c
		}
	}
	return cmp.Or(cmp.Compare(a.at.line, b.at.line), cmp.Compare(a.at.col, b.at.col), cmp.Compare(a.seq, b.seq))
}

// mirrorFinding makes the finding of h.
func (c *checker) mirrorFinding(h mirrorHit, threshold, factor float64) Finding {
	m, x := h.m, h.x
	dec := max(x.Value().Decimals, m.Value().Decimals)
	return Finding{Rows: []Pos{m.Pos(), x.Pos()}, Series: label(m), Numbers: true,
		Expected: h.want, Actual: h.got, Difference: h.got - h.want, Tolerance: threshold * h.want, Decimals: dec,
		Message: mirrorMessage(h.gap, m, x, factor)}
}

// mirrorMessage says that B's imports m from A are off A's exports x to B
// by gap, a share of x × factor. It is what
//
//	fmt.Sprintf("mirror gap of %+.0f%%: %s imports from %s %s %s (%q), but %s reports exports to %s %s %s (%q), × %.2f CIF/FOB",
//		gap*100, m.Reporter, m.Partner, m.Value(), m.Unit(), m.Source, x.Reporter, x.Partner, x.Value(), x.Unit(), x.Source, factor)
//
// writes, without fmt's conversions to interfaces: random figures have a
// mirror gap in one row in fourteen, and every message of a year is made
// until the first --max-findings of them are known.
func mirrorMessage(gap float64, m, x *fig, factor float64) string {
	b := make([]byte, 0, 160+len(m.Source)+len(x.Source))
	b = append(b, "mirror gap of "...)
	var num [24]byte
	pct := strconv.AppendFloat(num[:0], gap*100, 'f', 0, 64)
	if pct[0] != '-' {
		b = append(b, '+') // as fmt's flag + does
	}
	b = append(b, pct...)
	b = append(b, "%: "...)
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
	b = append(b, " CIF/FOB"...)
	return string(b)
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
