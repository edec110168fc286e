package rules

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tradedesk/report/internal/lazyre"
	"github.com/tradedesk/report/internal/limitread"
	"github.com/tradedesk/report/stats"
)

// File is a parsed rules file: declared indicators, settings of the
// built-in rules, and the user's rules. Use [Parse] or [ParseFile]; the
// zero File has no rules and changes nothing.
type File struct {
	// Name is the file name used in positions.
	Name string
	// Indicators are the indicators the file declares, in file order.
	Indicators []Indicator
	// Builtin holds the settings of built-in rules by rule id.
	Builtin map[string]stats.RuleConfig
	// MirrorFactor and MirrorThreshold configure the mirror rule (see
	// [stats.Config]); 0 keeps the default.
	MirrorFactor, MirrorThreshold float64
	// Groups are the partner groups the file declares for the groups rule,
	// in file order; one with the code of a built-in group replaces it.
	Groups []stats.Group
	// Rules are the user's rules and claims, in file order.
	Rules []Rule
}

// Indicator is an indicator a rules file declares.
type Indicator struct {
	stats.IndicatorInfo
	// Unit is the unit the indicator's figures must be in, or "" for any.
	// Only the base of the unit counts: USD thousand and USD million are
	// both USD.
	Unit string
	// Pos is where the declaration starts.
	Pos stats.Pos
}

// Rule is a user rule or claim: an assertion over the series of the
// reporter–partner pairs that Where selects.
type Rule struct {
	// ID names the rule in findings; it is unique in the file and differs
	// from every built-in rule id.
	ID string
	// Description says what the rule claims, in words: the sentence of the
	// article it checks.
	Description string
	// Severity is the grade of a finding; Error unless the file says.
	Severity stats.Severity
	// Where selects the figures the rule speaks about.
	Where Where
	// Assert is the expression, as written.
	Assert string
	// Tolerance overrides rounding-aware comparison when the file sets one.
	Tolerance stats.Tolerance
	// Pos is where the rule starts; AssertPos where its expression starts.
	Pos, AssertPos stats.Pos

	prog *program
}

// Where selects figures. An empty list selects every value in the data.
type Where struct {
	Reporter, Partner []string
	// Source, when not empty, takes figures only from these sources, in
	// this order of preference.
	Source []string
}

// ParseFile reads and parses the rules file at path, which is the name used
// in positions; see [Parse]. A file that cannot be read gives the error of
// [os.Open] or of reading it; one larger than 16 MB, an error that wraps
// [limitread.ErrTooLarge].
func ParseFile(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := limitread.ReadAll(f, limitread.MaxConfig)
	if err != nil {
		return nil, err
	}
	return Parse(b, path)
}

// maxErrors bounds the problems reported for one file.
const maxErrors = 20

// Parse parses a rules file (see the package documentation for the format);
// name is the file name used in positions. Every problem is reported as a
// *[stats.ParseError] with the line and column, wrapping one of the Err
// sentinels of this package; several are joined with errors.Join, up to
// 20. Parse compiles every assert, so that an expression which parses here
// can only fail on the data, as a finding of [File.Evaluate]. An empty file
// is valid and has no rules.
func Parse(data []byte, name string) (*File, error) {
	d := &decoder{name: name, lines: strings.Split(string(data), "\n")}
	f := d.file(data)
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	return f, nil
}

type decoder struct {
	name  string
	lines []string
	errs  []error
}

func (d *decoder) pos(n *yaml.Node) stats.Pos {
	if n == nil {
		return stats.Pos{File: d.name}
	}
	return stats.Pos{File: d.name, Line: n.Line, Column: n.Column}
}

func (d *decoder) fail(n *yaml.Node, field string, kind error, format string, args ...any) {
	if len(d.errs) >= maxErrors {
		return
	}
	p := d.pos(n)
	d.errs = append(d.errs, &stats.ParseError{File: p.File, Line: p.Line, Column: p.Column, Field: field,
		Err: &kindError{kind: kind, msg: fmt.Sprintf(format, args...)}})
}

// kindError is a message of its own that wraps a sentinel kind.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

var yamlLine = lazyre.New(`^yaml: line (\d+): (.*)$`)

func (d *decoder) file(data []byte) *File {
	f := &File{Name: d.name, Builtin: map[string]stats.RuleConfig{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 0
		if m := yamlLine().FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		// The YAML parser names the line where the broken block starts,
		// counted from 0 for some errors; the first line that breaks a
		// prefix of the file is the one to fix.
		if l := problemLine(data); l > 0 {
			line = l
		}
		d.errs = append(d.errs, &stats.ParseError{File: d.name, Line: line,
			Err: &kindError{kind: ErrSyntax, msg: "invalid YAML: " + msg}})
		return nil
	}
	if len(doc.Content) == 0 {
		return f // an empty file has no rules
	}
	root := deref(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		d.fail(root, "", ErrBadValue, "a rules file is a mapping with the keys version, indicators, builtin, groups and rules")
		return nil
	}
	var builtinNode, rulesNode *yaml.Node
	d.mapping(root, "", []string{"version", "indicators", "builtin", "groups", "rules"}, func(key string, k, v *yaml.Node) {
		switch key {
		case "version":
			if v.Kind != yaml.ScalarNode || v.Value != "1" {
				d.fail(v, key, ErrBadValue, "version %q: this tool reads version 1", v.Value)
			}
		case "indicators":
			d.indicators(f, v)
		case "builtin":
			builtinNode = v
		case "groups":
			d.groups(f, v)
		case "rules":
			rulesNode = v
		}
	})
	voc := f.Vocabulary()
	if builtinNode != nil {
		d.builtin(f, builtinNode)
	}
	if rulesNode != nil {
		d.rules(f, rulesNode, voc)
	}
	return f
}

// problemLine returns a line at which a growing prefix of data stops
// parsing as YAML: the prefix up to the line before parses, the prefix up
// to it does not. It bisects, so a long file costs a few parses; it returns
// 0 when every prefix parses.
func problemLine(data []byte) int {
	var ends []int // ends[i] is the length of the prefix of lines 1..i+1
	for i, c := range data {
		if c == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	fails := func(k int) bool { // the first k lines
		var doc yaml.Node
		return yaml.Unmarshal(data[:ends[k-1]], &doc) != nil
	}
	if !fails(len(ends)) {
		return 0
	}
	lo, hi := 0, len(ends) // the first lo lines parse (or lo is 0); the first hi do not
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// deref follows aliases to the node they stand for.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

// mapping calls fn for each key of mapping node n, in file order, and
// reports keys that are not in known and keys given twice.
func (d *decoder) mapping(n *yaml.Node, field string, known []string, fn func(key string, k, v *yaml.Node)) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		d.fail(n, field, ErrBadValue, "%s: want a mapping of %s", orTop(field), strings.Join(known, ", "))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k == nil || v == nil || k.Kind != yaml.ScalarNode {
			d.fail(n.Content[i], field, ErrBadValue, "keys must be plain names")
			continue
		}
		if seen[k.Value] {
			d.fail(k, k.Value, ErrBadValue, "key %q given twice", k.Value)
			continue
		}
		seen[k.Value] = true
		if !slices.Contains(known, k.Value) {
			msg := fmt.Sprintf("unknown key %q in %s", k.Value, orTop(field))
			if c, ok := closest(k.Value, known); ok {
				msg += fmt.Sprintf(": did you mean %q?", c)
			} else {
				msg += "; known keys are " + strings.Join(known, ", ")
			}
			d.fail(k, k.Value, ErrUnknownKey, "%s", msg)
			continue
		}
		fn(k.Value, k, v)
	}
}

func orTop(field string) string {
	if field == "" {
		return "the rules file"
	}
	return field
}

func closest(s string, names []string) (string, bool) {
	voc := make([]stats.IndicatorInfo, len(names))
	for i, n := range names {
		voc[i] = stats.IndicatorInfo{Name: n}
	}
	// The vocabulary's edit distance serves any list of names; the
	// built-in indicators are never nearer than a real key.
	v := stats.NewVocabulary(voc...)
	c, ok := v.Closest(s)
	return c, ok && slices.Contains(names, c)
}

func (d *decoder) scalar(n *yaml.Node, field string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, field, ErrBadValue, "%s: want a single value", field)
		return "", false
	}
	return n.Value, true
}

func (d *decoder) boolean(n *yaml.Node, field string) (bool, bool) {
	s, ok := d.scalar(n, field)
	if !ok {
		return false, false
	}
	switch strings.ToLower(s) {
	case "true", "yes", "on":
		return true, true
	case "false", "no", "off":
		return false, true
	}
	d.fail(n, field, ErrBadValue, "%s: %q is not true or false", field, s)
	return false, false
}

// list reads a scalar or a sequence of scalars.
func (d *decoder) list(n *yaml.Node, field string) []string {
	if n.Kind == yaml.ScalarNode {
		return []string{n.Value}
	}
	if n.Kind != yaml.SequenceNode {
		d.fail(n, field, ErrBadValue, "%s: want a value or a list of values", field)
		return nil
	}
	var out []string
	for _, c := range n.Content {
		c = deref(c)
		if s, ok := d.scalar(c, field); ok {
			out = append(out, s)
		}
	}
	return out
}

var nameRE = lazyre.New(`^[a-z][a-z0-9_]*$`)

func (d *decoder) indicators(f *File, n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, "indicators", ErrBadValue, "indicators: want a list of {name, kind, negative, unit, description}")
		return
	}
	seen := map[string]bool{}
	for _, c := range n.Content {
		c = deref(c)
		in := Indicator{Pos: d.pos(c)}
		in.Flow = true
		var nameNode *yaml.Node
		d.mapping(c, "indicators", []string{"name", "kind", "negative", "unit", "description"}, func(key string, k, v *yaml.Node) {
			s, ok := d.scalar(v, key)
			if !ok {
				return
			}
			switch key {
			case "name":
				nameNode = v
				if !nameRE().MatchString(s) {
					d.fail(v, key, ErrBadValue, "indicator name %q: use lower-case letters, digits and _, starting with a letter", s)
					return
				}
				in.Name = s
			case "kind":
				switch s {
				case "flow":
					in.Flow = true
				case "stock":
					in.Flow = false
				default:
					d.fail(v, key, ErrBadValue, "kind %q: use flow (adds up over time) or stock (counted at a date)", s)
				}
			case "negative":
				in.Negative, _ = d.boolean(v, key)
			case "unit":
				in.Unit = s
			case "description":
				in.Description = s
			}
		})
		if c.Kind != yaml.MappingNode {
			continue
		}
		if nameNode == nil {
			d.fail(c, "indicators", ErrMissingKey, "an indicator needs a name")
			continue
		}
		if seen[in.Name] {
			d.fail(nameNode, "name", ErrBadValue, "indicator %q declared twice", in.Name)
			continue
		}
		seen[in.Name] = true
		if in.Name != "" {
			f.Indicators = append(f.Indicators, in)
		}
	}
}

func (d *decoder) builtin(f *File, n *yaml.Node) {
	known := map[string]bool{}
	var ids []string
	for _, r := range stats.Rules() {
		known[r.ID] = true
		ids = append(ids, r.ID)
	}
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		d.fail(n, "builtin", ErrBadValue, "builtin: want a mapping from rule id (%s) to off or settings", strings.Join(ids, ", "))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			d.fail(k, "builtin", ErrBadValue, "keys must be rule ids")
			continue
		}
		id := k.Value
		if !known[id] {
			msg := fmt.Sprintf("unknown built-in rule %q", id)
			if c, ok := closest(id, ids); ok {
				msg += fmt.Sprintf(": did you mean %q?", c)
			} else {
				msg += "; the built-in rules are " + strings.Join(ids, ", ")
			}
			d.fail(k, "builtin", ErrUnknownRule, "%s", msg)
			continue
		}
		if _, dup := f.Builtin[id]; dup {
			d.fail(k, id, ErrBadValue, "rule %q configured twice", id)
			continue
		}
		var rc stats.RuleConfig
		if v.Kind == yaml.ScalarNode {
			on, ok := d.boolean(v, id)
			if ok {
				rc.Disabled = !on
			}
			f.Builtin[id] = rc
			continue
		}
		keys := []string{"enabled", "severity", "tolerance"}
		if id == "mirror" {
			keys = append(keys, "factor", "threshold")
		}
		d.mapping(v, id, keys, func(key string, k, v *yaml.Node) {
			s, ok := d.scalar(v, key)
			if !ok {
				return
			}
			switch key {
			case "enabled":
				on, _ := d.boolean(v, key)
				rc.Disabled = !on
			case "severity":
				sev, err := stats.ParseSeverity(s)
				if err != nil {
					d.fail(v, key, ErrBadValue, "%v", err)
				}
				rc.Severity = sev
			case "tolerance":
				t, err := stats.ParseTolerance(s)
				if err != nil {
					d.fail(v, key, ErrBadValue, "%v", err)
				}
				rc.Tolerance = t
			case "factor":
				x, err := strconv.ParseFloat(s, 64)
				if err != nil || !(x > 0) || x > 100 {
					d.fail(v, key, ErrBadValue, "mirror factor %q: want a positive number such as 1.06", s)
				}
				f.MirrorFactor = x
			case "threshold":
				t, err := stats.ParseTolerance(s)
				if err != nil || t.Kind == stats.Rounding || !(t.Amount > 0) {
					d.fail(v, key, ErrBadValue, "mirror threshold %q: want a share such as 25%% or 0.25", s)
				}
				f.MirrorThreshold = t.Amount
			}
		})
		f.Builtin[id] = rc
	}
}

func (d *decoder) groups(f *File, n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, "groups", ErrBadValue, "groups: want a list of {code, members, world}")
		return
	}
	seen := map[string]bool{}
	for _, c := range n.Content {
		c = deref(c)
		var g stats.Group
		var codeNode *yaml.Node
		d.mapping(c, "groups", []string{"code", "members", "world", "complete"}, func(key string, k, v *yaml.Node) {
			switch key {
			case "code":
				s, ok := d.scalar(v, key)
				if !ok {
					return
				}
				codeNode = v
				if !groupCode().MatchString(s) {
					d.fail(v, key, ErrBadValue, "group code %q: use 2 to 12 capital letters, digits or underscores, such as CA5 or EU27; the built-in ones are %s", s, strings.Join(aggregateCodes(), ", "))
				}
				g.Code = s
			case "world":
				g.World, _ = d.boolean(v, key)
			case "complete":
				g.Complete, _ = d.boolean(v, key)
			case "members":
				g.Members = d.members(v)
			}
		})
		if c.Kind != yaml.MappingNode {
			continue
		}
		switch {
		case codeNode == nil:
			d.fail(c, "groups", ErrMissingKey, "a group needs a code")
		case seen[g.Code]:
			d.fail(codeNode, "code", ErrBadValue, "group %q declared twice", g.Code)
		default:
			seen[g.Code] = true
			f.Groups = append(f.Groups, g)
		}
	}
}

// groupCode is what a declared group may be called; the data may then use
// it as a reporter or partner code.
var groupCode = lazyre.New(`^[A-Z][A-Z0-9_]{1,11}$`)

func aggregateCodes() []string {
	var out []string
	for c := range stats.Aggregates {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// members reads a group's members: codes, or {code, from, to} with months
// (2015-01) or years (2015: from January, to December).
func (d *decoder) members(n *yaml.Node) []stats.Membership {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, "members", ErrBadValue, "members: want a list of codes or {code, from, to}")
		return nil
	}
	var out []stats.Membership
	for _, c := range n.Content {
		c = deref(c)
		var m stats.Membership
		if c.Kind == yaml.ScalarNode {
			m.Code = c.Value
			if !stats.ValidCode(m.Code) {
				d.fail(c, "members", ErrBadValue, "member %q: use an ISO 3166-1 alpha-3 code such as KAZ", m.Code)
			}
			out = append(out, m)
			continue
		}
		d.mapping(c, "members", []string{"code", "from", "to"}, func(key string, k, v *yaml.Node) {
			s, ok := d.scalar(v, key)
			if !ok {
				return
			}
			switch key {
			case "code":
				if !stats.ValidCode(s) {
					d.fail(v, key, ErrBadValue, "member %q: use an ISO 3166-1 alpha-3 code such as KAZ", s)
				}
				m.Code = s
			case "from", "to":
				p, err := stats.ParsePeriod(s)
				switch {
				case err != nil:
					d.fail(v, key, ErrBadValue, "%v", err)
					return
				case p.Kind() == stats.Year && !p.IsInterval():
					if key == "from" {
						p = stats.MonthOf(p.Year(), 1)
					} else {
						p = stats.MonthOf(p.Year(), 12)
					}
				case p.Kind() != stats.Month || p.IsInterval():
					d.fail(v, key, ErrBadValue, "%s %q: write a month such as 2015-01, or a year", key, s)
					return
				}
				if key == "from" {
					m.From = p
				} else {
					m.To = p
				}
			}
		})
		if m.Code == "" {
			d.fail(c, "members", ErrMissingKey, "a member needs a code")
			continue
		}
		if !m.From.IsZero() && !m.To.IsZero() && stats.Compare(m.To, m.From) < 0 {
			d.fail(c, "members", ErrBadValue, "member %s: to %s is before from %s", m.Code, m.To, m.From)
			continue
		}
		out = append(out, m)
	}
	return out
}

var idRE = lazyre.New(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

func (d *decoder) rules(f *File, n *yaml.Node, voc *stats.Vocabulary) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, "rules", ErrBadValue, "rules: want a list of {id, description, severity, where, assert, tolerance}")
		return
	}
	builtin := map[string]bool{}
	for _, r := range stats.Rules() {
		builtin[r.ID] = true
	}
	seen := map[string]stats.Pos{}
	for _, c := range n.Content {
		c = deref(c)
		r := Rule{Pos: d.pos(c), Severity: stats.Error}
		var idNode, assertNode *yaml.Node
		before := len(d.errs)
		d.mapping(c, "rules", []string{"id", "description", "severity", "where", "assert", "tolerance"}, func(key string, k, v *yaml.Node) {
			if key == "where" {
				d.where(&r.Where, v)
				return
			}
			s, ok := d.scalar(v, key)
			if !ok {
				return
			}
			switch key {
			case "id":
				idNode = v
				r.ID = s
			case "description":
				r.Description = s
			case "severity":
				sev, err := stats.ParseSeverity(s)
				if err != nil {
					d.fail(v, key, ErrBadValue, "%v", err)
				}
				r.Severity = sev
			case "assert":
				assertNode = v
				r.Assert = s
				r.AssertPos = d.pos(v)
			case "tolerance":
				t, err := stats.ParseTolerance(s)
				if err != nil {
					d.fail(v, key, ErrBadValue, "%v", err)
				}
				r.Tolerance = t
			}
		})
		if c.Kind != yaml.MappingNode || len(d.errs) > before {
			// A misspelt key explains a missing one.
			continue
		}
		switch {
		case idNode == nil:
			d.fail(c, "rules", ErrMissingKey, "a rule needs an id")
		case !idRE().MatchString(r.ID):
			d.fail(idNode, "id", ErrBadValue, "rule id %q: use letters, digits, '.', '_' and '-'", r.ID)
		case builtin[r.ID]:
			d.fail(idNode, "id", ErrDuplicateID, "rule id %q is a built-in rule's; configure built-in rules under builtin", r.ID)
		case seen[r.ID] != (stats.Pos{}):
			d.fail(idNode, "id", ErrDuplicateID, "rule id %q is used before, at %s", r.ID, seen[r.ID])
		default:
			seen[r.ID] = d.pos(idNode)
		}
		if assertNode == nil {
			d.fail(c, "rules", ErrMissingKey, "rule %q needs an assert", r.ID)
			continue
		}
		prog, perr := compile(r.Assert, voc, r.Tolerance)
		if perr != nil {
			line, col := d.exprPos(assertNode, r.Assert, perr.offset)
			d.errs = append(d.errs, &stats.ParseError{File: d.name, Line: line, Column: col, Field: "assert",
				Err: &kindError{kind: perr.kind, msg: perr.msg}})
			continue
		}
		r.prog = prog
		f.Rules = append(f.Rules, r)
	}
}

func (d *decoder) where(w *Where, n *yaml.Node) {
	d.mapping(n, "where", []string{"reporter", "partner", "source"}, func(key string, k, v *yaml.Node) {
		vals := d.list(v, key)
		switch key {
		case "reporter", "partner":
			for _, code := range vals {
				if !stats.ValidCode(code) {
					d.fail(v, key, ErrBadValue, "%s %q: use an ISO 3166-1 alpha-3 code such as KAZ, or WLD for the world", key, code)
				}
			}
			if key == "reporter" {
				w.Reporter = vals
			} else {
				w.Partner = vals
			}
		case "source":
			w.Source = vals
		}
	})
}

// exprPos turns a rune offset into the expression into a line and column of
// the file. A literal block scalar keeps its lines; other scalars fold
// their lines into one with a space between, so the offset is walked
// through the source lines that make up the value. Escapes in a quoted
// scalar may shift the column a little.
func (d *decoder) exprPos(n *yaml.Node, src string, offset int) (line, col int) {
	r := []rune(src)
	offset = min(max(offset, 0), len(r))
	if n.Style&yaml.LiteralStyle != 0 {
		lineIdx, colIdx := 0, 0
		for _, c := range r[:offset] {
			if c == '\n' {
				lineIdx++
				colIdx = 0
			} else {
				colIdx++
			}
		}
		// The content starts on the line after the indicator, at the
		// indentation of its first line.
		return n.Line + 1 + lineIdx, d.indent(n.Line+1) + 1 + colIdx
	}
	line, start := n.Line, n.Column
	switch {
	case n.Style&yaml.FoldedStyle != 0:
		line++
		start = d.indent(line) + 1
	case n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		start++
	}
	for ; line <= len(d.lines); line++ {
		text := []rune(strings.TrimRight(d.lines[line-1], " \t\r"))
		if line != n.Line || n.Style&yaml.FoldedStyle != 0 {
			start = d.indent(line) + 1
		}
		seg := max(len(text)-(start-1), 0)
		if offset <= seg {
			return line, start + offset
		}
		offset -= seg + 1 // the line break folds into one space
	}
	return n.Line, n.Column
}

// indent returns the number of leading spaces of line (1-based), or 0.
func (d *decoder) indent(line int) int {
	if line < 1 || line > len(d.lines) {
		return 0
	}
	l := d.lines[line-1]
	return len(l) - len(strings.TrimLeft(l, " "))
}

// Vocabulary returns the built-in indicators together with the ones the
// file declares.
func (f *File) Vocabulary() *stats.Vocabulary {
	extra := make([]stats.IndicatorInfo, len(f.Indicators))
	for i, in := range f.Indicators {
		extra[i] = in.IndicatorInfo
	}
	return stats.NewVocabulary(extra...)
}

// Config returns the configuration of the built-in rules that the file
// sets, for [stats.Check]. A nil File gives the defaults.
func (f *File) Config() *stats.Config {
	if f == nil {
		return &stats.Config{}
	}
	cfg := &stats.Config{Rules: map[string]stats.RuleConfig{}, Vocabulary: f.Vocabulary(),
		MirrorFactor: f.MirrorFactor, MirrorThreshold: f.MirrorThreshold, Groups: f.Groups}
	for id, rc := range f.Builtin {
		cfg.Rules[id] = rc
	}
	return cfg
}
