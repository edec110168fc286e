package stats

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
)

// Severity grades a finding: an error fails the check, a warning does not
// unless the caller asks for strictness.
type Severity uint8

// The severities, from the mildest.
const (
	Warning Severity = iota + 1
	Error
)

// String returns "warning" or "error".
func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "invalid"
}

// ParseSeverity reads "warning" or "error" (any case; "warn" and "err"
// too).
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "warning", "warn":
		return Warning, nil
	case "error", "err":
		return Error, nil
	}
	return 0, fmt.Errorf("invalid severity %q: use error or warning", s)
}

// Finding is one violated rule: which rule, how bad, where, and by how much.
type Finding struct {
	Rule     string
	Severity Severity
	// Rows are the rows involved; the first is the one to fix (the figure
	// the rule checks), the rest are its terms.
	Rows []Pos
	// Series names what was checked, such as "KAZ–ARM turnover 2023".
	Series string
	// Numbers tells whether Expected, Actual, Difference and Tolerance
	// carry values; input problems have none.
	Numbers bool
	// Expected is what the other figures imply, Actual what the data says,
	// Difference is Actual − Expected and Tolerance the largest difference
	// the rule allows, all in the unit of the checked figure.
	Expected, Actual, Difference, Tolerance float64
	// Decimals is the precision to print the numbers with.
	Decimals int
	// Message is a sentence a person understands.
	Message string
	// Omitted is, for the last finding of a rule that had more findings
	// than [Config.MaxFindings] lets through, the number of findings it
	// stands for; they are not listed. It is 0 for every other finding.
	Omitted int
}

// packMin is the fewest rows a finding packs: a world total's finding
// lists its 245 economies, 7.8 KB as places and about 750 bytes packed,
// and a check holds up to Config.MaxFindings of them for each rule.
const packMin = 8

// packedLine marks the second and last row of a packed finding: its File
// holds the rows after the first, packed, and its Column their number. No
// row of a file has it, and a packed finding never leaves the package:
// the checker and the limiter pack what they hold, and the limiter
// unpacks what it hands out. Only heldText and unpack read it, never Text,
// which renders any caller's finding as it is.
const packedLine = math.MinInt

// pack packs the rows of f after the first when there are at least
// packMin of them: for each, a byte that tells whether its file is that of
// the row before (0) or follows (1, with its length and bytes), then its
// line and column as differences from the row before's.
func (f *Finding) pack() {
	if len(f.Rows) < packMin {
		return
	}
	prev := f.Rows[0]
	b := make([]byte, 0, 3*len(f.Rows))
	for _, r := range f.Rows[1:] {
		if r.File == prev.File {
			b = append(b, 0)
		} else {
			b = append(b, 1)
			b = binary.AppendUvarint(b, uint64(len(r.File)))
			b = append(b, r.File...)
		}
		// Differences wrap around as the lines themselves would, and
		// unpack adds them back the same way.
		b = binary.AppendVarint(b, int64(r.Line-prev.Line))
		b = binary.AppendVarint(b, int64(r.Column-prev.Column))
		prev = r
	}
	f.Rows = []Pos{f.Rows[0], {File: string(b), Line: packedLine, Column: len(f.Rows) - 1}}
}

// packed reports whether f's rows are packed.
func (f *Finding) packed() bool { return len(f.Rows) == 2 && f.Rows[1].Line == packedLine }

// unpack undoes pack.
func (f *Finding) unpack() {
	if !f.packed() {
		return
	}
	// One copy of the packed bytes, for encoding/binary to read.
	b := []byte(f.Rows[1].File)
	rows := make([]Pos, 1, 1+f.Rows[1].Column)
	rows[0] = f.Rows[0]
	prev := rows[0]
	for len(b) > 0 {
		r := prev
		if b[0] == 1 {
			n, k := binary.Uvarint(b[1:])
			r.File = string(b[1+k : 1+k+int(n)])
			b = b[1+k+int(n):]
		} else {
			b = b[1:]
		}
		dl, k := binary.Varint(b)
		b = b[k:]
		dc, k := binary.Varint(b)
		b = b[k:]
		r.Line, r.Column = prev.Line+int(dl), prev.Column+int(dc)
		rows = append(rows, r)
		prev = r
	}
	f.Rows = rows
}

// heldText is the Text of a finding the checker or the limiter holds,
// which may be packed.
func (f *Finding) heldText() string {
	if !f.packed() {
		return f.Text()
	}
	g := *f
	g.unpack()
	return g.Text()
}

// Pos returns the place of the first row involved, or the zero Pos.
func (f *Finding) Pos() Pos {
	if len(f.Rows) == 0 {
		return Pos{}
	}
	return f.Rows[0]
}

// Format formats x at the finding's precision (see [FormatFixed]).
func (f *Finding) Format(x float64) string {
	return FormatFixed(x, f.Decimals)
}

// Text renders the finding as one line in the GNU style that editors and CI
// read: file:line:col: severity: message [rule].
func (f *Finding) Text() string {
	b, _ := f.AppendText(make([]byte, 0, f.TextLen()))
	return string(b)
}

// TextLen returns about how many bytes the line [Finding.Text] returns
// takes: room to make it in at once, which fits rows of one file on lines
// under a million and at columns under a hundred, as most are.
func (f *Finding) TextLen() int {
	n := len(f.Message) + len(f.Rule) + 64
	if len(f.Rows) > 0 {
		n += len(f.Rows) * (len(f.Rows[0].File) + 12)
	}
	return n
}

// AppendText appends the line [Finding.Text] returns to b, and never fails
// (it is an [encoding.TextAppender]): a report of many findings is written
// without a string for each.
func (f *Finding) AppendText(b []byte) ([]byte, error) {
	b = f.Pos().appendText(b)
	b = append(b, ": "...)
	b = append(b, f.Severity.String()...)
	b = append(b, ": "...)
	b = append(b, f.Message...)
	if f.Numbers {
		b = append(b, " (expected "...)
		b = AppendFixed(b, f.Expected, f.Decimals)
		b = append(b, ", actual "...)
		b = AppendFixed(b, f.Actual, f.Decimals)
		b = append(b, ", difference "...)
		b = AppendFixed(b, f.Difference, f.Decimals)
		b = append(b, ", tolerance "...)
		b = appendTol(b, f.Tolerance, f.Decimals)
		b = append(b, ')')
	}
	if len(f.Rows) > 1 {
		b = append(b, "; rows"...)
		for _, r := range f.Rows[1:] {
			b = append(b, ' ')
			b = r.appendText(b)
		}
	}
	b = append(b, " ["...)
	b = append(b, f.Rule...)
	b = append(b, ']')
	return b, nil
}

// appendTol appends a tolerance with enough digits to show it: 0.65, not
// 0.7.
func appendTol(b []byte, t float64, decimals int) []byte {
	return AppendFixed(b, t, decimals+1)
}

// SortFindings orders findings by file, line, column, rule, series,
// message and then the places of their other rows, so that reports are
// deterministic whatever order the rules found them in; findings equal in
// all of these keep their order.
func SortFindings(fs []Finding) {
	if slices.IsSortedFunc(fs, func(a, b Finding) int { return compareFindings(&a, &b) }) {
		return
	}
	// Sort numbers, not the findings: a finding is some 150 bytes, and a
	// stable sort of a million of them spends its time moving memory. The
	// files are ranked once, so that most comparisons are of integers.
	files := map[string]int32{}
	for i := range fs {
		files[fs[i].Pos().File] = 0
	}
	names := slices.Sorted(maps.Keys(files))
	for i, n := range names {
		files[n] = int32(i)
	}
	type key struct{ file, line, col, i int32 }
	keys := make([]key, len(fs))
	for i := range fs {
		p := fs[i].Pos()
		keys[i] = key{files[p.File], int32(p.Line), int32(p.Column), int32(i)}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.file != b.file || a.line != b.line || a.col != b.col {
			return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col))
		}
		// One place: the findings themselves, which are looked at
		// only here.
		if c := compareFindings(&fs[a.i], &fs[b.i]); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	// fs[j] takes fs[keys[j].i], in place, a cycle of the permutation at
	// a time: a copy of fs would double the memory of millions of
	// findings. A place done has its key's index set to -1.
	for i := range keys {
		if keys[i].i < 0 {
			continue
		}
		first := fs[i]
		for j := i; ; {
			k := int(keys[j].i)
			keys[j].i = -1
			if k == i {
				fs[j] = first
				break
			}
			fs[j] = fs[k]
			j = k
		}
	}
}

// comparePos orders places by file name, line and column.
func comparePos(a, b Pos) int {
	if a.File != b.File {
		return strings.Compare(a.File, b.File)
	}
	if a.Line != b.Line {
		return cmp.Compare(a.Line, b.Line)
	}
	return cmp.Compare(a.Column, b.Column)
}

// compareFindings is the order of SortFindings. It compares field after
// field and stops at the first that differs, as cmp.Or, which works out
// all its arguments first, would not: the message is compared only
// between findings of one place, rule and series.
func compareFindings(a, b *Finding) int {
	if c := comparePos(a.Pos(), b.Pos()); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Rule, b.Rule); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Series, b.Series); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Message, b.Message); c != 0 {
		return c
	}
	return compareRows(a, b)
}

// compareRows compares the rows of findings alike in all else, as those
// of two inputs of one name can be (a turnover of two sources, at the
// same line of each): by their rows, one by one, so that their order
// does not depend on the order the rules found them in. Packed rows are
// compared unpacked; such findings are rare enough that the copy does
// not matter.
func compareRows(a, b *Finding) int {
	rows := func(f *Finding) []Pos {
		if !f.packed() {
			return f.Rows
		}
		u := *f
		u.unpack()
		return u.Rows
	}
	return slices.CompareFunc(rows(a), rows(b), comparePos)
}

// Count returns the number of errors and warnings in fs, counting those
// that a finding stands for without listing them (see [Finding.Omitted]).
func Count(fs []Finding) (errors, warnings int) {
	for _, f := range fs {
		n := 1
		if f.Omitted > 0 {
			n = f.Omitted
		}
		if f.Severity == Error {
			errors += n
		} else {
			warnings += n
		}
	}
	return errors, warnings
}

// limiter keeps the first max findings of each rule in the order of
// SortFindings, and counts the others, with memory for held(max) of each
// rule.
type limiter struct {
	max      int
	kept     map[string][]Finding
	omitted  map[string]int
	severity map[string]Severity
	order    []string // rules, in the order they were first seen
	last     Pos      // the last place of a finding, where the counts go
	// lastCounted is, by rule, the last place of a finding only counted,
	// which last goes back to when findings at last are taken back (see
	// removeAll); after a take-back that left it unknown, a place it is not
	// after.
	lastCounted map[string]Pos
	// cut is, for a rule trimmed to max, the last finding it kept: one
	// that sorts after it is only counted.
	cut map[string]Finding
}

// held is how many findings the limiter holds of a rule when at most m
// are listed: a quarter more, so that a trim, which sorts them, comes once
// every m/4 findings at most, while findings that list hundreds of rows (a
// world total and its economies) do not hold twice the memory of the
// list.
func held(m int) int { return m + max(m/4, 1) }

func newLimiter(max int) *limiter {
	return &limiter{max: max, kept: map[string][]Finding{}, omitted: map[string]int{}, severity: map[string]Severity{}, cut: map[string]Finding{}, lastCounted: map[string]Pos{}}
}

// add takes findings in. They come as the checks hand them out, in runs of
// a rule (see checkCut).
func (l *limiter) add(fs []Finding) {
	for rest := fs; len(rest) > 0; {
		n := 1
		for n < len(rest) && rest[n].Rule == rest[0].Rule {
			n++
		}
		if !l.adopt(rest[:n:n]) {
			l.addEach(rest[:n])
		}
		rest = rest[n:]
	}
	// Trim what is over the bound now, not when it grows further, and
	// cut a list a rule's checker filled and counted past: the cut then
	// tells the checks of the years to come which findings to count
	// without making them.
	for _, rule := range l.order {
		if _, cut := l.cut[rule]; l.max > 0 && (len(l.kept[rule]) > l.max || len(l.kept[rule]) == l.max && l.omitted[rule] > 0 && !cut) {
			l.trim(rule)
		}
	}
}

// addEach takes findings in one by one.
func (l *limiter) addEach(fs []Finding) {
	// When every finding is kept, each rule's list grows once, not by
	// append: a list of millions would take many copies.
	var grow map[string]int
	if l.max == 0 {
		grow = map[string]int{}
		for i := range fs {
			grow[fs[i].Rule]++
		}
	}
	for _, f := range fs {
		l.noteLast(f.Pos())
		if f.Omitted > 0 {
			l.omitted[f.Rule] += f.Omitted
			l.noteCounted(f.Rule, f.Pos())
			l.note(f.Rule, f.Severity)
			continue
		}
		if cut, ok := l.cut[f.Rule]; ok && compareFindings(&f, &cut) >= 0 {
			l.omitted[f.Rule]++
			l.noteCounted(f.Rule, f.Pos())
			continue
		}
		k, ok := l.kept[f.Rule]
		if !ok {
			l.order = append(l.order, f.Rule)
		}
		if n := grow[f.Rule]; n > 1 {
			k = slices.Grow(k, n)
			delete(grow, f.Rule)
		}
		l.kept[f.Rule] = append(k, f)
		l.severity[f.Rule] = max(l.severity[f.Rule], f.Severity)
		if l.max > 0 && len(l.kept[f.Rule]) >= held(l.max) {
			l.trim(f.Rule)
		}
	}
}

// adopt takes in a run of findings of one rule as the rule's list, without
// a copy, and reports whether it did: when the limiter holds none of the
// rule yet and has no cut for it, and the run is the findings to list
// followed by those that count others (Omitted), fewer than it holds
// (held), as a rule's checker hands out a year's. A year's findings of a
// rule are thousands of some 150 bytes each, which a copy made a finding
// at a time grew by doubling: on one core, while the next year's rows
// waited to be numbered (2 ms of a check of 1M rows, up to 12 ms when
// fresh memory came slowly). fs must have no room past its end, which
// an append to the list would write to.
func (l *limiter) adopt(fs []Finding) bool {
	rule := fs[0].Rule
	k, listed := l.kept[rule]
	if _, cut := l.cut[rule]; cut || len(k) > 0 || cap(fs) != len(fs) {
		return false
	}
	n := 0 // the findings to list
	for n < len(fs) && fs[n].Omitted == 0 {
		n++
	}
	if l.max > 0 && n >= held(l.max) || slices.ContainsFunc(fs[n:], func(f Finding) bool { return f.Omitted == 0 }) {
		return false
	}
	for i := range fs {
		l.noteLast(fs[i].Pos())
	}
	if n > 0 {
		if !listed {
			l.order = append(l.order, rule)
		}
		l.kept[rule] = fs[:n:n]
		sev := l.severity[rule]
		for i := range fs[:n] {
			sev = max(sev, fs[i].Severity)
		}
		l.severity[rule] = sev
	}
	for _, f := range fs[n:] {
		l.omitted[rule] += f.Omitted
		l.noteCounted(f.Rule, f.Pos())
		l.note(rule, f.Severity)
	}
	return true
}

// noteLast notes p, the place of a finding, as the last place when it is.
func (l *limiter) noteLast(p Pos) { notePlace(&l.last, p) }

// noteCounted notes p, the place of a finding of rule only counted, as
// the last such place of the rule when it is.
func (l *limiter) noteCounted(rule string, p Pos) {
	last := l.lastCounted[rule]
	notePlace(&last, p)
	l.lastCounted[rule] = last
}

// notePlace sets *last to p's file and line when they come after it.
func notePlace(last *Pos, p Pos) {
	if placeAfter(p, *last) {
		*last = Pos{File: p.File, Line: p.Line}
	}
}

// placeAfter reports whether p's file and line come after q's.
func placeAfter(p, q Pos) bool {
	return cmp.Or(cmp.Compare(p.File, q.File), cmp.Compare(p.Line, q.Line)) > 0
}

func (l *limiter) note(rule string, s Severity) {
	if _, ok := l.kept[rule]; !ok {
		l.kept[rule] = nil
		l.order = append(l.order, rule)
	}
	l.severity[rule] = max(l.severity[rule], s)
}

// removeAll takes out findings that are no longer true, g.n of each text
// (see Finding.Text): from those kept, or else from those counted. Those
// counted go first: a kept finding leaves a place that one of the findings
// still counted should take, and the list stays wrong when any is. Each
// rule's kept findings are rendered once, however many go. When findings
// at the last place go, the last place is again that of the findings
// left: the last kept, or the last counted. It is not known when a
// finding only counted goes from the last counted place of its rule while
// others of the rule are still counted, whose places are not held, and
// they may come after every other finding left. It returns an error that
// says which finding left the findings wrong, or nil.
func (l *limiter) removeAll(gone map[string]gone) error {
	byRule := map[string]map[string]int{}
	lastGone := false // a finding at the last place goes
	for t, g := range gone {
		if byRule[g.rule] == nil {
			byRule[g.rule] = map[string]int{}
		}
		byRule[g.rule][t] += g.n
		lastGone = lastGone || !placeAfter(l.last, g.pos)
	}
	var err error
	// The rules whose last counted place went while others are counted:
	// those others are at that place or before it.
	unknown := map[string]Pos{}
	for _, r := range slices.Sorted(maps.Keys(byRule)) {
		texts := byRule[r]
		k := l.kept[r]
		out := k[:0]
		took := false
		for _, f := range k {
			if t := f.heldText(); texts[t] > 0 {
				texts[t]--
				took = true
				continue
			}
			out = append(out, f)
		}
		if took {
			clear(k[len(out):])
			l.kept[r] = out
		}
		lastCountedGone := false
		for t, n := range texts {
			if n == 0 {
				continue
			}
			l.omitted[r] = max(l.omitted[r]-n, 0)
			if last, ok := l.lastCounted[r]; ok && !placeAfter(last, gone[t].pos) {
				lastCountedGone = true
			}
		}
		if lastCountedGone {
			if l.omitted[r] > 0 {
				unknown[r] = l.lastCounted[r]
			}
			delete(l.lastCounted, r)
		}
		switch {
		case !took:
		case l.omitted[r] > 0:
			if err == nil {
				err = fmt.Errorf("a listed %s finding is taken back, and the next was only counted (at most %d of a rule are listed)", r, l.max)
			}
		default:
			// Nothing is counted: the list is no longer full.
			delete(l.cut, r)
		}
	}
	if lastGone {
		l.last = Pos{}
		for _, p := range l.lastCounted {
			l.noteLast(p)
		}
		for _, k := range l.kept {
			for i := range k {
				l.noteLast(k[i].Pos())
			}
		}
		for _, r := range slices.Sorted(maps.Keys(unknown)) {
			if placeAfter(unknown[r], l.last) && err == nil {
				err = fmt.Errorf("a %s finding that was only counted is taken back from the last place of a finding, and the places of the others of its rule counted are not known", r)
			}
		}
	}
	maps.Copy(l.lastCounted, unknown)
	return err
}

func (l *limiter) trim(rule string) {
	l.omitted[rule] += len(l.kept[rule]) - l.max
	// A list with a cut was trimmed before: its first max are sorted.
	_, trimmed := l.cut[rule]
	k := keepFirst(l.kept[rule], l.max, trimmed, func(f *Finding) { l.noteCounted(f.Rule, f.Pos()) })
	l.kept[rule] = k
	l.cut[rule] = k[l.max-1]
}

// keepFirst returns the first max findings of fs (max ≤ len(fs)) in
// sorted order, handing each of the others to drop, when it is not nil,
// before letting go of it. When sorted, fs[:max] is sorted already (the
// list was trimmed before and has grown since): only the rest is sorted,
// and merged into it.
func keepFirst(fs []Finding, max int, sorted bool, drop func(*Finding)) []Finding {
	if !sorted {
		SortFindings(fs)
		if drop != nil {
			for i := max; i < len(fs); i++ {
				drop(&fs[i])
			}
		}
		clear(fs[max:])
		return fs[:max]
	}
	a, b := fs[:max], fs[max:]
	SortFindings(b)
	// The first max of the two are a[:i] and b[:j], i+j = max; on equal
	// findings those of a come first, as a stable sort of fs would put
	// them.
	i, j := 0, 0
	for i+j < max {
		if j < len(b) && compareFindings(&b[j], &a[i]) < 0 {
			j++
		} else {
			i++
		}
	}
	if drop != nil {
		for k := i; k < max; k++ {
			drop(&a[k])
		}
		for k := j; k < len(b); k++ {
			drop(&b[k])
		}
	}
	// Merge from the back into a, whose places i..max-1 are free: the
	// findings of b that are kept are held in b until they are moved.
	for p, x, y := max-1, i-1, j-1; y >= 0; p-- {
		if x >= 0 && compareFindings(&a[x], &b[y]) > 0 {
			a[p] = a[x]
			x--
		} else {
			a[p] = b[y]
			y--
		}
	}
	clear(b)
	return a
}

// findings returns the findings kept, sorted; a rule with too many has a
// finding at the place of the last finding of all that counts the others.
// It is the limiter's last call: it lets go of what it held.
func (l *limiter) findings() []Finding {
	n := 0
	for _, rule := range l.order {
		if l.max > 0 && len(l.kept[rule]) > l.max {
			l.trim(rule)
		}
		n += len(l.kept[rule])
		if l.omitted[rule] > 0 {
			n++
		}
	}
	// Made once: a finding is some 150 bytes, and --max-findings 0 can
	// hand out millions. nil when there are none.
	var out []Finding
	if n > 0 {
		out = make([]Finding, 0, n)
	}
	for _, rule := range l.order {
		for _, f := range l.kept[rule] {
			f.unpack()
			out = append(out, f)
		}
		// The list is handed out, and let go of here.
		l.kept[rule] = nil
		if n := l.omitted[rule]; n > 0 {
			out = append(out, Finding{Rule: rule, Severity: l.severity[rule], Rows: []Pos{l.last}, Omitted: n,
				Message: fmt.Sprintf("and %d more %s findings not listed (at most %d of a rule are)", n, rule, l.max)})
		}
	}
	SortFindings(out)
	return out
}
