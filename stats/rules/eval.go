package rules

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"

	"github.com/tradedesk/report/stats"
)

// Check runs the built-in rules with the file's configuration
// ([stats.Check] with [File.Config]) and the file's own rules
// ([File.Evaluate]), and returns all their findings sorted with
// [stats.SortFindings]. A nil File runs the built-in rules alone. It does
// not modify ds.
func (f *File) Check(ds *stats.Dataset) []stats.Finding {
	return f.CheckWith(ds, f.Config())
}

// CheckWith is [File.Check] with the built-in rules configured by cfg
// rather than by [File.Config] alone, such as a bound on the findings
// listed that the caller sets.
func (f *File) CheckWith(ds *stats.Dataset, cfg *stats.Config) []stats.Finding {
	findings := stats.Check(ds, cfg)
	if f == nil {
		return findings
	}
	findings = append(findings, f.Evaluate(ds)...)
	stats.SortFindings(findings)
	return findings
}

// Evaluate evaluates the file's rules on ds and returns their findings,
// sorted with [stats.SortFindings]; it also checks that the figures of
// each declared indicator are in its declared unit (rule "units").
//
// A rule is evaluated once for every reporter–partner pair its Where
// selects: the pairs named when both reporter and partner are named, else
// the pairs in the data that match and have at least one of the series
// the rule reads. A rule that fails gives a finding
// whose rows are the data rows it read, then the place of its assert. A
// figure given by several sources is read as the package documentation
// says: one figure when they agree within rounding, whatever the order of
// the rows. A rule that cannot be evaluated, because a figure it reads is
// not in the data, its sources disagree on it, its units do not agree or a
// divisor may be zero, gives a finding too, "cannot evaluate: …": a claim
// is never passed silently. It does not modify ds.
func (f *File) Evaluate(ds *stats.Dataset) []stats.Finding {
	if f == nil {
		return nil
	}
	voc := f.Vocabulary()
	todo, out := f.compiled(voc)
	read := map[string]bool{}
	for _, c := range todo {
		for _, s := range c.prog.series {
			read[s] = true
		}
	}
	idx := newIndex(ds, read)
	present := map[stats.Key]int{}
	for i := range ds.Obs {
		if read[ds.Obs[i].Indicator] {
			present[ds.Obs[i].Key()]++
		}
	}
	for _, c := range todo {
		r, prog := c.rule, c.prog
		pairs := r.pairs(ds, prog.series, present)
		if len(pairs) == 0 {
			msg := fmt.Sprintf("cannot evaluate: no reporter–partner pair in the data matches %s", r.Where)
			if len(prog.series) > 0 {
				msg = fmt.Sprintf("cannot evaluate: no reporter–partner pair in the data has %s (%s)",
					strings.Join(prog.series, " or "), r.Where)
			}
			out = append(out, stats.Finding{Rule: r.ID, Severity: r.Severity, Rows: []stats.Pos{r.AssertPos},
				Series: r.ID, Message: msg})
			continue
		}
		for _, p := range pairs {
			if fd, ok := r.evaluate(prog, idx, present, voc, p); ok {
				out = append(out, fd)
			}
		}
	}
	out = append(out, f.checkUnits(ds)...)
	stats.SortFindings(out)
	return out
}

// compiled is a rule with its assert compiled.
type compiled struct {
	rule *Rule
	prog *program
}

// compiled returns the rules with their programs, compiling those built
// by hand, and a finding for each whose assert does not compile.
func (f *File) compiled(voc *stats.Vocabulary) ([]compiled, []stats.Finding) {
	var todo []compiled
	var failed []stats.Finding
	for i := range f.Rules {
		r := &f.Rules[i]
		if r.Severity == 0 {
			// A Rule built by hand without a grade is an error, as in a file.
			rc := *r
			rc.Severity = stats.Error
			r = &rc
		}
		prog := r.prog
		if prog == nil {
			var perr *exprError
			if prog, perr = compile(r.Assert, voc, r.Tolerance); perr != nil {
				failed = append(failed, stats.Finding{Rule: r.ID, Severity: r.Severity, Rows: []stats.Pos{r.AssertPos},
					Series: r.ID, Message: "cannot evaluate: the assert does not compile: " + perr.msg})
				continue
			}
		}
		todo = append(todo, compiled{r, prog})
	}
	return todo, failed
}

// Reads returns a filter of the observations [File.Evaluate] reads: the
// figures of the indicators each rule reads, of the reporters and
// partners its Where names, and those of the indicators declared with a
// unit. Evaluate of the observations keep keeps, in the order of the
// data, gives the findings Evaluate of the whole dataset gives: a few
// claims on a file of millions of rows need not hold the file. ok is false
// when Evaluate reads every pair of the data: a rule that reads no series
// and does not name both sides of its pairs.
func (f *File) Reads() (keep func(*stats.Observation) bool, ok bool) {
	if f == nil {
		return func(*stats.Observation) bool { return false }, true
	}
	type selection struct{ reporters, partners map[string]bool } // nil: any
	by := map[string][]selection{}                               // by indicator
	set := func(codes []string) map[string]bool {
		if len(codes) == 0 {
			return nil
		}
		m := make(map[string]bool, len(codes))
		for _, c := range codes {
			m[c] = true
		}
		return m
	}
	todo, _ := f.compiled(f.Vocabulary())
	for _, c := range todo {
		w := c.rule.Where
		if len(c.prog.series) == 0 && (len(w.Reporter) == 0 || len(w.Partner) == 0) {
			return nil, false
		}
		sel := selection{set(w.Reporter), set(w.Partner)}
		for _, s := range c.prog.series {
			by[s] = append(by[s], sel)
		}
	}
	for i := range f.Indicators {
		if f.Indicators[i].Unit != "" {
			by[f.Indicators[i].Name] = append(by[f.Indicators[i].Name], selection{})
		}
	}
	return func(o *stats.Observation) bool {
		for _, sel := range by[o.Indicator] {
			if (sel.reporters == nil || sel.reporters[o.Reporter]) && (sel.partners == nil || sel.partners[o.Partner]) {
				return true
			}
		}
		return false
	}, true
}

// String formats the selection as where: reporter KAZ, partner ARM.
func (w Where) String() string {
	var parts []string
	for _, x := range []struct {
		name string
		vals []string
	}{{"reporter", w.Reporter}, {"partner", w.Partner}, {"source", w.Source}} {
		if len(x.vals) > 0 {
			parts = append(parts, x.name+" "+strings.Join(x.vals, " or "))
		}
	}
	if len(parts) == 0 {
		return "where: any"
	}
	return "where: " + strings.Join(parts, ", ")
}

// pairs returns the pairs r is evaluated for: those its Where names, when
// it names both sides; else those of the data that match and have at least
// one of the series the rule reads, so that a rule for every pair is not
// held against pairs the data says nothing about.
func (r *Rule) pairs(ds *stats.Dataset, series []string, present map[stats.Key]int) []stats.Pair {
	w := r.Where
	if len(w.Reporter) > 0 && len(w.Partner) > 0 {
		var out []stats.Pair
		for _, a := range w.Reporter {
			for _, b := range w.Partner {
				if p := (stats.Pair{Reporter: a, Partner: b}); !slices.Contains(out, p) {
					out = append(out, p)
				}
			}
		}
		return out
	}
	var out []stats.Pair
	for _, p := range ds.Pairs() {
		if (len(w.Reporter) > 0 && !slices.Contains(w.Reporter, p.Reporter)) ||
			(len(w.Partner) > 0 && !slices.Contains(w.Partner, p.Partner)) {
			continue
		}
		if slices.ContainsFunc(series, func(s string) bool {
			return present[stats.Key{Reporter: p.Reporter, Partner: p.Partner, Indicator: s}] > 0
		}) || len(series) == 0 {
			out = append(out, p)
		}
	}
	return out
}

// figureKey names one figure: an indicator of a pair in a period.
type figureKey struct {
	stats.Key
	period stats.Period
}

// index holds the observations of some indicators by figure, in file
// order: by their periods as written, and, made when a figure is first not
// found so, by their days (see stats.Period.Days), which few rules need:
// those of intervals alone, which are few, for a single period (a single
// period covers no other's days), and those of all for an interval.
type index struct {
	ds         *stats.Dataset
	indicators map[string]bool
	byPeriod   map[figureKey][]*stats.Observation
	// byDays holds, by their days, the observations of intervals (0) and
	// of all periods (1).
	byDays [2]map[figureKey][]*stats.Observation
}

func newIndex(ds *stats.Dataset, indicators map[string]bool) *index {
	return &index{ds: ds, indicators: indicators, byPeriod: indexBy(ds, indicators, false, func(p stats.Period) stats.Period { return p })}
}

// indexBy indexes the observations of indicators in ds (of intervals
// alone, when intervals) by their keys and what period(p) makes of their
// periods.
func indexBy(ds *stats.Dataset, indicators map[string]bool, intervals bool, period func(stats.Period) stats.Period) map[figureKey][]*stats.Observation {
	idx := map[figureKey][]*stats.Observation{}
	for i := range ds.Obs {
		o := &ds.Obs[i]
		if !indicators[o.Indicator] || intervals && !o.Period.IsInterval() {
			continue
		}
		k := figureKey{o.Key(), period(o.Period)}
		idx[k] = append(idx[k], o)
	}
	return idx
}

// sameDays returns the observations of k's indicator and pair whose
// periods cover the days of k's (2024-01/2024-12 for 2024).
func (x *index) sameDays(k figureKey) []*stats.Observation {
	all := 0
	if k.period.IsInterval() {
		all = 1
	}
	if x.byDays[all] == nil {
		x.byDays[all] = indexBy(x.ds, x.indicators, all == 0, stats.Period.Days)
	}
	return x.byDays[all][figureKey{k.Key, k.period.Days()}]
}

// evaluation is one rule on one pair.
type evaluation struct {
	idx    *index
	counts map[stats.Key]int // observations per series
	voc    *stats.Vocabulary
	rule   *Rule
	pair   stats.Pair
	first  string // the first figure read, for the finding's series
	rows   []stats.Pos
}

// at returns the figure of indicator name in the period written p. It is
// read from the rule's sources in the order they are named, from the
// first that has a valid value, or from every source when the rule names
// none; rows that agree within rounding are one figure, and rows that
// disagree cannot be evaluated (see oneFigure): the order of the rows
// never decides.
func (ev *evaluation) at(name, p string) (quantity, error) {
	per, err := stats.ParsePeriod(p)
	if err != nil {
		return quantity{}, evalErrorf("%s[%q]: %v", name, p, err)
	}
	k := figureKey{stats.Key{Reporter: ev.pair.Reporter, Partner: ev.pair.Partner, Indicator: name}, per}
	lbl := k.Key.String() + " " + per.String()
	if ev.first == "" {
		ev.first = lbl
	}
	obs := ev.idx.byPeriod[k]
	if len(obs) == 0 {
		// The same days written another way: 2024-01/2024-12 for 2024.
		obs = ev.idx.sameDays(k)
	}
	sources := ev.rule.Where.Source
	if len(sources) == 0 {
		sources = []string{""}
	}
	seen := false
	var valid []*stats.Observation
	for _, src := range sources {
		for _, o := range obs {
			if src != "" && o.Source != src {
				continue
			}
			seen = true
			if o.Value.Valid {
				valid = append(valid, o)
			}
		}
		if len(valid) > 0 {
			q, err := oneFigure(lbl, valid)
			if err != nil {
				return quantity{}, err
			}
			ev.rows = append(ev.rows, q.rows...)
			return q, nil
		}
	}
	switch {
	case seen:
		return quantity{}, evalErrorf("%s is missing in the data (an empty value)", lbl)
	case len(ev.rule.Where.Source) > 0 && len(obs) > 0:
		return quantity{}, evalErrorf("%s is not in the data from %s", lbl, strings.Join(quoteAll(ev.rule.Where.Source), " or "))
	}
	return quantity{}, evalErrorf("%s is not in the data", lbl)
}

// oneFigure returns the figure labelled lbl that the valid rows obs give,
// whatever their order. Rows whose values agree within rounding (their
// intervals share a point, after unit conversion) are one figure: the
// interval they all allow, at the most decimals among them, with the rows
// in order of source. Rows that disagree are an error that names them in
// order of source and value: a source that gives the figure more than
// once with values that disagree, else the sources, with the advice to
// name one. It does not modify obs.
func oneFigure(lbl string, obs []*stats.Observation) (quantity, error) {
	if len(obs) > 1 {
		obs = slices.Clone(obs)
		slices.SortStableFunc(obs, func(a, b *stats.Observation) int {
			return cmp.Or(strings.Compare(a.Source, b.Source), cmp.Compare(a.Value.Num, b.Value.Num),
				strings.Compare(a.Unit, b.Unit), cmp.Compare(a.Value.Decimals, b.Value.Decimals))
		})
	}
	if q, ok := meet(obs); ok {
		return q, nil
	}
	units := slices.ContainsFunc(obs, func(o *stats.Observation) bool { return o.Unit != obs[0].Unit })
	text := func(o *stats.Observation) string {
		if units {
			return o.Value.String() + " " + o.Unit
		}
		return o.Value.String()
	}
	// A source that disagrees with itself is told of first: naming it in
	// where would not help.
	for i := 0; i < len(obs); {
		j := i + 1
		for j < len(obs) && obs[j].Source == obs[i].Source {
			j++
		}
		if _, ok := meet(obs[i:j]); !ok {
			var vals []string
			for _, o := range obs[i:j] {
				vals = append(vals, text(o))
			}
			return quantity{}, evalErrorf("%s is given more than once by %q, as %s, which disagree", lbl, obs[i].Source, joinAnd(vals))
		}
		i = j
	}
	var srcs []string
	for _, o := range obs {
		if s := fmt.Sprintf("%s (%s)", o.Source, text(o)); !slices.Contains(srcs, s) {
			srcs = append(srcs, s)
		}
	}
	return quantity{}, evalErrorf("%s has sources that disagree, %s: name one with where: {source: …}", lbl, joinAnd(srcs))
}

// meet returns the interval that the values of obs all allow, after unit
// conversion into the first one's unit, and whether they share one.
// Intervals on a line that meet two by two all share a point, so meeting
// the intersection of those before is meeting each of them.
func meet(obs []*stats.Observation) (quantity, bool) {
	var q quantity
	for i, o := range obs {
		x := quantity{iv: o.Value.Interval(), unit: o.Unit, decimals: o.Value.Decimals, rows: []stats.Pos{o.Pos}}
		if i == 0 {
			q = x
			continue
		}
		_, x, _, err := unify(q, x)
		if err != nil || !q.iv.Meets(x.iv) {
			return quantity{}, false
		}
		q.iv = stats.Interval{Lo: max(q.iv.Lo, x.iv.Lo), Hi: min(q.iv.Hi, x.iv.Hi)}
		if q.iv.Lo > q.iv.Hi { // they meet within the binary rounding
			q.iv.Lo, q.iv.Hi = q.iv.Mid(), q.iv.Mid()
		}
		q.decimals = max(q.decimals, x.decimals)
		q.rows = append(q.rows, o.Pos)
	}
	return q, true
}

// joinAnd joins ss as "a, b and c".
func joinAnd(ss []string) string {
	if len(ss) < 2 {
		return strings.Join(ss, "")
	}
	return strings.Join(ss[:len(ss)-1], ", ") + " and " + ss[len(ss)-1]
}

// total returns the figure of indicator name in the period written p, or,
// when the data lacks it, the sum of the figures of the coarsest kind of
// period (years, quarters, months, days) that are all in the data and
// exactly cover it: the months of 2024-01/2024-07, the years of 2005/2024.
// The coarsest cover has the fewest terms, so the least rounding.
// Only a flow adds up over time.
func (ev *evaluation) total(name, p string) (quantity, error) {
	q, err := ev.at(name, p)
	if err == nil {
		return q, nil
	}
	per, perr := stats.ParsePeriod(p)
	if perr != nil {
		return quantity{}, err
	}
	if info, ok := ev.voc.Lookup(name); !ok || !info.Flow {
		return quantity{}, err
	}
	rows := len(ev.rows)
	n := ev.counts[stats.Key{Reporter: ev.pair.Reporter, Partner: ev.pair.Partner, Indicator: name}]
	for k := stats.Year; k <= stats.Day; k++ {
		// A cover with more periods than the series has figures cannot be
		// complete; testing that first keeps 0001/9999 from listing
		// millions of days. Coarser periods cover an interval that begins
		// and ends on their boundaries, one of them the same days as it.
		coarser := k < per.Kind()
		if !coarser && per.Len()*minUnits[per.Kind()][k] > n {
			continue
		}
		cover, ok := per.Cover(k)
		if !ok || (len(cover) < 2 && !coarser) || len(cover) > n {
			continue
		}
		sum, complete := exact(0), true
		for _, c := range cover {
			x, xerr := ev.at(name, c.String())
			if xerr == nil {
				sum, xerr = add(sum, x)
			}
			if xerr != nil {
				complete = false
				break
			}
		}
		if complete {
			return sum, nil
		}
		ev.rows = ev.rows[:rows] // forget the figures of an incomplete cover
	}
	return quantity{}, evalErrorf("%s, nor every sub-period of it", err.Error())
}

// minUnits[a][b] is the least number of periods of kind b in one of kind
// a: a year has at least 365 days, a month 28.
var minUnits = [stats.Day + 1][stats.Day + 1]int{
	stats.Year:    {stats.Year: 1, stats.Quarter: 4, stats.Month: 12, stats.Day: 365},
	stats.Quarter: {stats.Quarter: 1, stats.Month: 3, stats.Day: 90},
	stats.Month:   {stats.Month: 1, stats.Day: 28},
	stats.Day:     {stats.Day: 1},
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

func (ev *evaluation) env(voc *stats.Vocabulary) map[string]any {
	env := map[string]any{}
	for _, n := range voc.Names() {
		env[n] = &series{ev: ev, name: n}
	}
	return env
}

// evaluate runs r, compiled as prog, on pair p and returns its finding, if
// any.
func (r *Rule) evaluate(prog *program, idx *index, counts map[stats.Key]int, voc *stats.Vocabulary, p stats.Pair) (stats.Finding, bool) {
	ev := &evaluation{idx: idx, counts: counts, voc: voc, rule: r, pair: p}
	env := ev.env(voc)
	pairName := p.Reporter + "–" + p.Partner
	finding := func() stats.Finding {
		series := ev.first
		if series == "" {
			series = pairName + " " + r.ID
		}
		return stats.Finding{Rule: r.ID, Severity: r.Severity, Series: series}
	}
	cannot := func(err error) (stats.Finding, bool) {
		f := finding()
		f.Rows = []stats.Pos{r.AssertPos}
		var ee *evalError
		msg := err.Error()
		if errors.As(err, &ee) {
			msg = ee.msg
		}
		f.Message = fmt.Sprintf("cannot evaluate: %s (%s for %s)", msg, r.name(), pairName)
		return f, true
	}
	if prog.lhs != nil {
		lhs, lerr := run(prog.lhs, env)
		rhs, rerr := run(prog.rhs, env)
		if err := cmpOr(lerr, rerr); err != nil {
			return cannot(err)
		}
		c, err := compare(prog.op, lhs, rhs, r.Tolerance)
		if err != nil {
			return cannot(err)
		}
		if c.ok {
			return stats.Finding{}, false
		}
		f := finding()
		f.Rows = append(dedup(joinRows(lhs, rhs)), r.AssertPos)
		f.Numbers = true
		f.Expected, f.Actual = rhs.iv.Mid(), lhs.iv.Mid()
		f.Difference, f.Tolerance = c.diff, c.tolerance
		f.Decimals = max(lhs.printDecimals(), rhs.printDecimals())
		within := "even allowing for rounding"
		if r.Tolerance.Kind != stats.Rounding {
			within = "beyond the tolerance " + r.Tolerance.String()
		}
		right := prog.rhsText + " is " + rhs.rangeText()
		if len(rhs.rows) == 0 && rhs.iv.Lo == rhs.iv.Hi {
			right = "against " + rhs.rangeText()
		}
		f.Message = fmt.Sprintf("%s fails for %s: %s is %s, %s: %s, %s",
			r.name(), pairName, prog.lhsText, lhs.rangeText(), right, relation[prog.op], within)
		return f, true
	}
	out, err := expr.Run(prog.full, env)
	if err != nil {
		return cannot(err)
	}
	if ok, _ := out.(bool); ok {
		return stats.Finding{}, false
	}
	f := finding()
	f.Rows = append(dedup(ev.rows), r.AssertPos)
	f.Message = fmt.Sprintf("%s fails for %s: %s is false", r.name(), pairName, r.Assert)
	return f, true
}

// relation says why a comparison fails.
var relation = map[string]string{
	"==": "they cannot be equal", "!=": "they cannot differ", "<": "the left cannot be less",
	"<=": "the left is more", ">": "the left cannot be more", ">=": "the left is less",
}

// name is how messages refer to the rule: its description, else its id.
func (r *Rule) name() string {
	if r.Description != "" {
		return strconv.Quote(r.Description)
	}
	return "rule " + r.ID
}

func cmpOr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func run(p *vm.Program, env map[string]any) (quantity, error) {
	out, err := expr.Run(p, env)
	if err != nil {
		return quantity{}, err
	}
	return toQuantity(out)
}

func dedup(ps []stats.Pos) []stats.Pos {
	var out []stats.Pos
	for _, p := range ps {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// checkUnits reports figures of declared indicators that are not in the
// declared unit's base, as findings of the built-in units rule (with its
// configured severity, and not when it is switched off).
func (f *File) checkUnits(ds *stats.Dataset) []stats.Finding {
	rc := f.Builtin["units"]
	if rc.Disabled {
		return nil
	}
	sev := stats.Error
	for _, ri := range stats.Rules() {
		if ri.ID == "units" {
			sev = ri.Severity
		}
	}
	if rc.Severity != 0 {
		sev = rc.Severity
	}
	declared := map[string]*Indicator{}
	for i := range f.Indicators {
		if f.Indicators[i].Unit != "" {
			declared[f.Indicators[i].Name] = &f.Indicators[i]
		}
	}
	if len(declared) == 0 {
		return nil
	}
	var out []stats.Finding
	for i := range ds.Obs {
		o := &ds.Obs[i]
		in, ok := declared[o.Indicator]
		if !ok {
			continue
		}
		want, _ := stats.SplitUnit(in.Unit)
		got, _ := stats.SplitUnit(o.Unit)
		if want == got {
			continue
		}
		out = append(out, stats.Finding{Rule: "units", Severity: sev, Rows: []stats.Pos{o.Pos, in.Pos},
			Series: o.Key().String() + " " + o.Period.String(),
			Message: fmt.Sprintf("%s %s is in %s, but the rules file declares %s in %s",
				o.Key(), o.Period, o.Unit, o.Indicator, in.Unit)})
	}
	return out
}
