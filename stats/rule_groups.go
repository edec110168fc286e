package stats

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
)

// Group is a partner group: a code such as EAEU, CIS or EUU that stands for
// the sum of its members. A group is checked on either side: as the
// partner (Kazakhstan's exports to the EAEU) or as the reporter (the EU's
// exports to Kazakhstan).
type Group struct {
	Code string
	// Members are the economies in the group, each for the months it
	// belonged to it.
	Members []Membership
	// World marks a group whose members are every economy in the data
	// (WLD): the economies listed may be only some of them, so their sum
	// is only held to be no more than the group, unless Complete.
	World bool
	// Complete says that the data lists every member with trade: a member
	// without a figure counts as zero, and the group must equal the sum of
	// the members listed (a full table by partner, such as the BNS one).
	Complete bool
}

// Membership is one economy's time in a group: from the month From to the
// month To, both included; a zero From means always before, a zero To
// means still.
type Membership struct {
	Code     string
	From, To Period
}

// span returns the membership as an interval of months.
func (m Membership) span() Period {
	from, to := m.From, m.To
	if from.IsZero() {
		from = MonthOf(1, 1)
	}
	if to.IsZero() {
		to = MonthOf(9999, 12)
	}
	p, err := Span(from.First(), to.Last())
	if err != nil {
		return Period{}
	}
	return p
}

// always is a membership without limits in time.
func always(codes ...string) []Membership {
	out := make([]Membership, len(codes))
	for i, c := range codes {
		out[i] = Membership{Code: c}
	}
	return out
}

// eu27 are the members of the European Union from February 2020; EU27
// is this fixed set for every period, as Eurostat's EU27_2020 is.
var eu27 = []string{"AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "GRC",
	"HRV", "HUN", "IRL", "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "SWE"}

// DefaultGroups returns the built-in groups:
//
//   - WLD, the world: every economy.
//   - EAEU, the Eurasian Economic Union: BLR, KAZ and RUS, ARM from
//     January 2015, KGZ from August 2015.
//   - CIS, the Commonwealth of Independent States as the statistics of its
//     members count it: ARM, AZE, BLR, KAZ, KGZ, MDA, RUS, TJK, TKM, UKR,
//     UZB, and GEO until August 2009.
//   - EU27, the 27 members of the EU from February 2020, for every period.
//   - EU28, those and the United Kingdom, for every period.
//   - EUU, the European Union as it stood: the 27 (Croatia from July 2013)
//     and the United Kingdom until January 2020.
//   - EA20, the 20 members of the euro area in 2023, for every period.
func DefaultGroups() []Group {
	var euu []Membership
	for _, c := range eu27 {
		m := Membership{Code: c}
		switch c {
		case "HRV":
			m.From = MonthOf(2013, 7)
		case "BGR", "ROU":
			m.From = MonthOf(2007, 1)
		case "CYP", "CZE", "EST", "HUN", "LTU", "LVA", "MLT", "POL", "SVK", "SVN":
			m.From = MonthOf(2004, 5)
		case "AUT", "FIN", "SWE":
			m.From = MonthOf(1995, 1)
		}
		euu = append(euu, m)
	}
	euu = append(euu, Membership{Code: "GBR", To: MonthOf(2020, 1)})
	return []Group{
		{Code: "WLD", World: true},
		{Code: "EAEU", Members: []Membership{{Code: "BLR"}, {Code: "KAZ"}, {Code: "RUS"},
			{Code: "ARM", From: MonthOf(2015, 1)}, {Code: "KGZ", From: MonthOf(2015, 8)}}},
		{Code: "CIS", Members: append(always("ARM", "AZE", "BLR", "KAZ", "KGZ", "MDA", "RUS", "TJK", "TKM", "UKR", "UZB"),
			Membership{Code: "GEO", To: MonthOf(2009, 8)})},
		{Code: "EU27", Members: always(eu27...)},
		{Code: "EU28", Members: always(append(slices.Clone(eu27), "GBR")...)},
		{Code: "EUU", Members: euu},
		{Code: "EA20", Members: always("AUT", "BEL", "CYP", "DEU", "EST", "ESP", "FIN", "FRA", "GRC", "HRV",
			"IRL", "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "PRT", "SVK", "SVN")},
	}
}

// groups returns the groups of the configuration by code: the defaults,
// replaced or extended by Config.Groups.
func (c *checker) groups() map[string]*Group {
	out := map[string]*Group{}
	for _, g := range DefaultGroups() {
		out[g.Code] = &g
	}
	for i := range c.cfg.Groups {
		out[c.cfg.Groups[i].Code] = &c.cfg.Groups[i]
	}
	return out
}

// checkGroups checks every figure of a group against the figures of its
// members from the same source for the same period.
//
// When every economy that belonged to the group for the whole period is in
// the data, the group must equal their sum, within the rule's tolerance;
// members for part of the period (the United Kingdom in the EU in 2020)
// may be counted or not. When some are missing, the members present must
// add up to no more than the group, for indicators that cannot be
// negative; for WLD this is the only test. A failed equality names a
// figure of a non-member that accounts for the difference, when there is
// one.
func checkGroups(c *checker) {
	groups := c.groups()
	// The series of the economies (not groups) on the partner side of
	// each reporter, indicator and source of a world total, and on the
	// reporter side of each partner: the members of WLD, with their
	// series found once for every period of the total rather than once a
	// period. Each side is listed when the first world total on it comes:
	// most files have none. Only the series of the totals' reporters,
	// indicators and sources are listed: a world total on the reporter
	// side is most often a statistics office of its own, whose source no
	// economy shares, and listing every series of the reporter side took
	// 21.6 MB of a customs office's 1M rows, for lists none of its totals
	// read. The series are checked in parts on every core (see inParts),
	// the first to meet a world total lists its side.
	type side struct{ fixed, ind, src string }
	var partners, reporters map[side][]int32
	var listedPartners, listedReporters sync.Once
	// sideOf returns the code of sk on the side asPartner tells, and the
	// rest of its key.
	sideOf := func(sk *seriesKey, asPartner bool) (code string, k side) {
		if asPartner {
			return sk.Partner, side{sk.Reporter, sk.Indicator, sk.Source}
		}
		return sk.Reporter, side{sk.Partner, sk.Indicator, sk.Source}
	}
	list := func(asPartner bool) map[side][]int32 {
		out := map[side][]int32{}
		for i := range c.keys {
			code, k := sideOf(&c.keys[i], asPartner)
			if g, ok := groups[code]; ok && g.World && g.Code != k.fixed {
				out[k] = nil
			}
		}
		for id := range c.keys {
			code, k := sideOf(&c.keys[id], asPartner)
			if isAggregate(code, groups) {
				continue
			}
			if l, ok := out[k]; ok {
				out[k] = append(l, int32(id))
			}
		}
		return out
	}
	c.inParts(len(c.keys), func(c *checker, _, from, to int) {
		for id := from; id < to; id++ {
			sk := &c.keys[id]
			for _, asPartner := range []bool{true, false} {
				code, k := sideOf(sk, asPartner)
				g, ok := groups[code]
				if !ok || g.Code == k.fixed {
					continue
				}
				info, known := c.voc.Lookup(sk.Indicator)
				nonNegative := known && !info.Negative
				var world []string
				var worldIDs []int32
				if g.World {
					if asPartner {
						listedPartners.Do(func() { partners = list(true) })
						worldIDs = partners[k]
					} else {
						listedReporters.Do(func() { reporters = list(false) })
						worldIDs = reporters[k]
					}
					world = make([]string, len(worldIDs))
					for i, m := range worldIDs {
						world[i] = c.keys[m].Partner
						if !asPartner {
							world[i] = c.keys[m].Reporter
						}
					}
				}
				for _, o := range c.valid[id] {
					c.checkGroup(g, o, asPartner, world, worldIDs, nonNegative, groups)
				}
			}
		}
	})
}

// isAggregate reports whether code is a group rather than an economy;
// XKX (Kosovo), among the Aggregates for want of an ISO code, is an
// economy.
func isAggregate(code string, groups map[string]*Group) bool {
	_, ok := groups[code]
	return ok
}

// member figure of the counterpart of o: the same series with the group
// replaced by economy m.
func (c *checker) memberCell(o *fig, asPartner bool, m string) *fig {
	if asPartner {
		return c.cell(o.Reporter, m, o.Indicator, o.Source, o.Period)
	}
	return c.cell(m, o.Partner, o.Indicator, o.Source, o.Period)
}

// checkGroup checks the figure o of group g against its members' figures:
// for WLD, the economies in world, whose series are worldIDs.
func (c *checker) checkGroup(g *Group, o *fig, asPartner bool, world []string, worldIDs []int32, nonNegative bool, groups map[string]*Group) {
	other := o.Reporter
	if !asPartner {
		other = o.Partner
	}
	var full, part []string
	if g.World {
		full = world
	} else {
		for _, m := range g.Members {
			sp := m.span()
			switch {
			case m.Code == other || sp.IsZero():
			case sp.Contains(o.Period):
				full = append(full, m.Code)
			case sp.Overlaps(o.Period):
				part = append(part, m.Code)
			}
		}
	}
	sum, sumPart := Exact(0), Exact(0)
	dec := o.Value().Decimals
	// The members' figures; their rows are made only for a finding that
	// is listed.
	terms := c.scratch[:0]
	defer func() { c.scratch = terms[:0] }()
	var missing []string
	present := 0
	for i, m := range full {
		var x *fig
		if g.World {
			x = c.cellOf(worldIDs[i], o.Period)
		} else {
			x = c.memberCell(o, asPartner, m)
		}
		if x == nil {
			missing = append(missing, m)
			continue
		}
		iv, ok := convert(x, o.Unit())
		if !ok {
			return // the units rule speaks of currencies
		}
		sum = sum.Add(iv)
		dec = max(dec, decimalsIn(x, o.Unit()))
		terms = append(terms, x)
		present++
	}
	for _, m := range part {
		if x := c.memberCell(o, asPartner, m); x != nil {
			if iv, ok := convert(x, o.Unit()); ok {
				sumPart = sumPart.Add(iv)
				terms = append(terms, x)
			}
		}
	}
	if present == 0 {
		return
	}
	if (len(missing) > 0 || g.World) && !g.Complete {
		if !nonNegative {
			return
		}
		diff, tol, ok := c.curCfg.Tolerance.AtMost(sum, o.Value().Interval())
		if ok || c.beyond(o.Pos()) {
			return
		}
		f := Finding{Rows: c.termRows(o, terms, nil), Series: label(o), Numbers: true,
			Expected: o.Value().Num, Actual: sum.Mid(), Difference: diff, Tolerance: tol, Decimals: dec}
		f.Message = fmt.Sprintf("%s is %s, less than the %d %s in the data add up to: %s",
			label(o), o.Value(), present, membersWord(g, present), f.Format(sum.Mid()))
		c.emit(f)
		return
	}
	diff, tol, ok := c.curCfg.Tolerance.Equal(sum, o.Value().Interval())
	if ok {
		return
	}
	if len(part) > 0 {
		if _, _, ok := c.curCfg.Tolerance.Equal(sum.Add(sumPart), o.Value().Interval()); ok {
			return
		}
	}
	if c.beyond(o.Pos()) {
		return
	}
	f := Finding{Series: label(o), Numbers: true,
		Expected: sum.Mid(), Actual: o.Value().Num, Difference: diff, Tolerance: tol, Decimals: dec}
	f.Message = fmt.Sprintf("%s is %s, but its %d %s add up to %s", label(o), o.Value(), present, membersWord(g, present), f.Format(sum.Mid()))
	x := c.explainGap(g, o, asPartner, full, part, o.Value().Num-sum.Mid(), tol, groups)
	f.Rows = c.termRows(o, terms, x)
	if x != nil {
		f.Message += fmt.Sprintf("; the difference is %s %s, and %s is not a member then: the group counts it", label(x), x.Value(), x.Reporter)
		if asPartner {
			f.Message = strings.Replace(f.Message, " and "+x.Reporter+" is", " and "+x.Partner+" is", 1)
		}
	}
	c.emit(f)
}

// termRows returns the rows of a finding on o: o's, then its terms' in
// file order, and x's when x is not nil. A finding of the world's 245
// economies that the checker packs (see Finding.pack) is packed here, from
// places listed in a slice the checker uses again: they are not made for
// each finding only to be let go.
func (c *checker) termRows(o *fig, terms []*fig, x *fig) []Pos {
	// The terms are rows of other series, at other places: sorting the
	// pointers moves less than sorting the places, and needs no stable
	// sort. Rows of one input, as the terms mostly are, sort by line and
	// column without their Pos made at every comparison (a world total's
	// 245 partners took 2,000 comparisons, 3.5% of the check of the wide
	// 1M-row file).
	if oneInput(terms) && len(terms) <= 1<<termBits {
		// By line, column and place in terms packed in a number taken
		// once a term, sorted as numbers: a comparison then reads no row,
		// each a cache miss away, and calls no function (a world total's
		// 245 partners took 10 µs with a comparison of rows, 3.6% of the
		// check of the wide 1M rows, whose 4,150 world totals all fail).
		// A line of at most maxLineBytes has its columns in 21 bits.
		byPlace := c.placed[:0]
		for i, t := range terms {
			byPlace = append(byPlace, uint64(t.line)<<(21+termBits)|uint64(t.col)<<termBits|uint64(i))
		}
		slices.Sort(byPlace)
		unsorted := append(c.unsorted[:0], terms...)
		for i, k := range byPlace {
			terms[i] = unsorted[k&(1<<termBits-1)]
		}
		clear(unsorted)
		c.placed, c.unsorted = byPlace, unsorted[:0]
	} else if oneInput(terms) {
		slices.SortFunc(terms, func(a, b *fig) int { return cmp.Or(cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col)) })
	} else {
		slices.SortFunc(terms, func(a, b *fig) int { return comparePos(a.Pos(), b.Pos()) })
	}
	rows := append(c.rows[:0], o.Pos())
	for _, t := range terms {
		rows = append(rows, t.Pos())
	}
	if x != nil {
		rows = append(rows, x.Pos())
	}
	c.rows = rows
	f := Finding{Rows: rows}
	if c.packs() {
		f.pack()
	}
	if !f.packed() {
		return slices.Clone(rows)
	}
	return f.Rows
}

// termBits is the bits of a term's place in a finding's terms that
// termRows sorts them by, with their lines and columns, in one number.
const termBits = 11

// oneInput reports whether the rows are all of one input, at lines of it,
// so that their order by line and column is their places' order.
func oneInput(rows []*fig) bool {
	if len(rows) == 0 || !rows[0].file.single() {
		return false
	}
	for _, r := range rows {
		if r.file != rows[0].file || r.line < 0 {
			return false
		}
	}
	return true
}

func membersWord(g *Group, n int) string {
	w := "members"
	if g.World {
		w = "economies"
	}
	if n == 1 {
		w = strings.TrimSuffix(w, "s")
	}
	return w
}

// explainGap looks for a figure of an economy outside the group that
// accounts for the gap between a group and the sum of its members: a group
// that still counts a country that has left.
func (c *checker) explainGap(g *Group, o *fig, asPartner bool, full, part []string, gap, tol float64, groups map[string]*Group) *fig {
	if g.World || gap == 0 {
		return nil
	}
	var cands []string
	for _, m := range g.Members {
		if !slices.Contains(full, m.Code) && !slices.Contains(part, m.Code) {
			cands = append(cands, m.Code)
		}
	}
	for _, m := range cands {
		x := c.memberCell(o, asPartner, m)
		if x == nil || isAggregate(m, groups) {
			continue
		}
		iv, ok := convert(x, o.Unit())
		if !ok {
			continue
		}
		if math.Abs(iv.Mid()-gap) <= tol+iv.Radius()+noise(resolution(tol+iv.Radius(), iv), gap) {
			return x
		}
	}
	return nil
}
