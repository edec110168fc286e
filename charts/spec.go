package charts

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tradedesk/report/internal/lazyre"
	"github.com/tradedesk/report/internal/limitread"
	"github.com/tradedesk/report/stats"
)

// Spec is a parsed chart specification file (the --spec file of the report
// command): charts declared by the user, each with the series of data it
// draws. Build the charts with [Spec.Outputs].
//
// The file is YAML:
//
//	charts:
//	  - id: kaz-arm-trade
//	    kind: grouped            # bar, hbar, grouped, stacked, line, barline
//	    title: Kazakhstan’s trade with Armenia
//	    subtitle: Exports and imports, USD million
//	    notes: [January–July 2024 against the full year 2023.]
//	    source: Bureau of National Statistics of Kazakhstan
//	    size: article            # article, square, social, print
//	    formats: [png, svg, pdf]
//	    lang: en                 # en, ru, kk
//	    total: turnover          # labelled above each category
//	    unit: USD million        # the unit drawn in; see ChartSpec.Unit
//	    decimals: 1              # labels rounded to at most 1 decimal
//	    series:
//	      - reporter: KAZ
//	        partner: ARM
//	        indicators: [exports, imports]
//	        periods: ["2023", "2024-01/2024-07"]
//
// The top level may also be the list of charts itself, and series may be a
// single mapping instead of a list.
//
// A figure not published for a period asked is derived from published
// ones where the data allow (a quarter from its months, a turnover from
// exports and imports; see [stats.Index.Figure]), and a note says so.
type Spec struct {
	// File is the name of the file, used in error messages.
	File string
	// Charts are the declared charts in file order.
	Charts []ChartSpec

	// vocab holds the indicators the spec was checked against, whose
	// descriptions name the indicators charts has no name for.
	vocab *stats.Vocabulary
}

// Pos is a place in a spec file: 1-based line and column.
type Pos struct {
	Line, Column int // 1-based; 0 when unknown
}

// ChartSpec is one declared chart.
type ChartSpec struct {
	Pos      Pos      // where the chart's entry begins
	ID       string   // names the chart and its files (see [FileName])
	Kind     Kind     // the kind of drawing
	Title    string   // the headline
	Subtitle string   // under the title; empty means the unit
	Notes    []string // above the source line
	// Source overrides the sources of the data drawn, which are the
	// default.
	Source  string
	Size    Size     // the page size; Article unless given
	Formats []Format // the formats to draw; PNG unless given
	Lang    Lang     // the language of labels and numbers; English unless given
	// Total is an indicator of the first series' reporter and partner
	// labelled above each category, such as turnover; empty for none.
	Total    string
	TotalPos Pos // where Total is given
	// Unit is the unit the figures are drawn in, into which those of
	// another scale of its currency are converted (Armstat's USD
	// thousand drawn in USD million); a figure of another currency is a
	// problem. Empty means the unit of the latest figure of the first
	// series' first indicator, at the largest scale of its currency among
	// the figures drawn, or a larger one where they reach ten thousand of
	// it, as in the built-in charts (see [BuiltIn]).
	Unit    string
	UnitPos Pos // where Unit is given
	// RoundLabels and LabelDecimals are the chart's (see Chart): the
	// labels of figures published with more decimals are rounded to
	// LabelDecimals (the key decimals), the CSV of the chart keeps them.
	// Without the key, labels that would write more than six digits are
	// rounded to four significant ones, with a note, as in the built-in
	// charts; a spec that wants every figure as published says
	// decimals: 12.
	RoundLabels   bool
	LabelDecimals int
	Series        []SeriesSpec // the data drawn, at least one
}

// SeriesSpec selects data: the indicators of one reporter–partner pair
// over some periods. Each indicator becomes one series of the chart, and
// the periods, in the order given, its categories.
type SeriesSpec struct {
	Pos          Pos            // where the series' entry begins
	Reporter     string         // ISO 3166-1 alpha-3 code of the reporter
	Partner      string         // ISO 3166-1 alpha-3 code of the partner
	Indicators   []string       // known indicators, one series each
	IndicatorPos []Pos          // where each indicator is given
	Periods      []stats.Period // the categories, in order
	PeriodPos    []Pos          // where each period is given
}

// SpecError is a problem at a place in a spec file.
type SpecError struct {
	File   string // the name given to ParseSpec
	Line   int    // 1-based
	Column int    // 1-based; 0 when the problem is with the whole line
	// Field is the key the problem is under, where there is one.
	Field string
	Err   error // wraps a sentinel; see Unwrap
}

// Error renders the problem as file:line:column: field "name": message.
func (e *SpecError) Error() string {
	pos := e.File
	if e.Line > 0 {
		pos += ":" + strconv.Itoa(e.Line)
		if e.Column > 0 {
			pos += ":" + strconv.Itoa(e.Column)
		}
	}
	if e.Field != "" {
		return fmt.Sprintf("%s: field %q: %v", pos, e.Field, e.Err)
	}
	return fmt.Sprintf("%s: %v", pos, e.Err)
}

// Unwrap returns the underlying error, which wraps a sentinel such as
// [ErrUnknownKind], [ErrInvalidSpec], stats.ErrBadPeriod or
// stats.ErrUnknownIndicator.
func (e *SpecError) Unwrap() error { return e.Err }

// maxSpecProblems bounds the problems reported for one file.
const maxSpecProblems = 50

// ParseSpec reads a spec file from r; name is used in error messages. It
// checks every chart: no control character in its text (see
// stats.ControlAt), known kind, size, formats and language, at most
// [MaxSeries] series, and, against
// vocab (nil means the built-in indicators of stats), known indicators,
// valid periods and economy codes. It reports every problem it finds, up to
// 50, each as a *[SpecError] with the line and column, joined with
// errors.Join; it never returns a partial Spec.
func ParseSpec(r io.Reader, name string, vocab *stats.Vocabulary) (*Spec, error) {
	if vocab == nil {
		vocab = stats.NewVocabulary()
	}
	data, err := limitread.ReadAll(r, limitread.MaxConfig)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	p := &specParser{file: name, vocab: vocab}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, p.yamlError(err, data)
	}
	spec := &Spec{File: name, vocab: vocab}
	if len(doc.Content) == 0 {
		return nil, &SpecError{File: name, Line: 1, Err: fmt.Errorf("%w: no charts", ErrInvalidSpec)}
	}
	root := doc.Content[0]
	list := root
	if root.Kind == yaml.MappingNode {
		list = nil
		p.fields(root, "", map[string]func(*yaml.Node){
			"charts": func(n *yaml.Node) { list = n },
		})
		if list == nil && len(p.errs) == 0 {
			p.fail(root, "charts", fmt.Errorf("%w: missing", ErrInvalidSpec))
		}
	}
	if list != nil {
		if list.Kind != yaml.SequenceNode {
			p.fail(list, "charts", fmt.Errorf("%w: want a list of charts", ErrInvalidSpec))
		} else {
			ids := map[string]int{}
			for _, n := range list.Content {
				c := p.chart(n)
				if c.ID != "" {
					if line, dup := ids[c.ID]; dup {
						p.fail(n, "id", fmt.Errorf("%w: duplicate id %q (first at line %d)", ErrInvalidSpec, c.ID, line))
					}
					ids[c.ID] = n.Line
				}
				spec.Charts = append(spec.Charts, c)
			}
		}
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return spec, nil
}

type specParser struct {
	file  string
	vocab *stats.Vocabulary
	errs  []error
}

func (p *specParser) fail(n *yaml.Node, field string, err error) {
	if len(p.errs) >= maxSpecProblems {
		return
	}
	p.errs = append(p.errs, &SpecError{File: p.file, Line: max(n.Line, 1), Column: n.Column, Field: field, Err: err})
}

var yamlLine = lazyre.New(`line (\d+)`)

// maxScanLines bounds the spec files whose syntax errors are located by
// parsing growing prefixes.
const maxScanLines = 5000

// yamlError turns a YAML syntax error into a SpecError at its line. The
// YAML parser reports the line where the construct around the problem
// began, which can be far above it; the first line at which a prefix of
// the file stops parsing is closer to what the user has to fix.
func (p *specParser) yamlError(err error, data []byte) error {
	line := 1
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine().FindStringSubmatch(msg); m != nil {
		if n, convErr := strconv.Atoi(m[1]); convErr == nil && n > 0 {
			line = n
		}
		msg = strings.TrimPrefix(strings.TrimPrefix(msg, m[0]), ": ")
	}
	if n := firstBadLine(data); n > line {
		line = n
	}
	return &SpecError{File: p.file, Line: line, Err: fmt.Errorf("%w: %s", ErrInvalidSpec, msg)}
}

// firstBadLine returns the smallest k such that the first k lines of data
// do not parse as YAML, or 0.
func firstBadLine(data []byte) int {
	lines := strings.SplitAfter(string(data), "\n")
	if len(lines) > maxScanLines {
		return 0
	}
	var b strings.Builder
	for k, l := range lines {
		b.WriteString(l)
		var n yaml.Node
		if yaml.Unmarshal([]byte(b.String()), &n) != nil {
			return k + 1
		}
	}
	return 0
}

// fields calls the handler of each key of mapping n, and reports keys
// without one and keys given twice.
func (p *specParser) fields(n *yaml.Node, where string, handlers map[string]func(*yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.fail(n, where, fmt.Errorf("%w: want a mapping", ErrInvalidSpec))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		h, ok := handlers[k.Value]
		if !ok {
			known := make([]string, 0, len(handlers))
			for name := range handlers {
				known = append(known, name)
			}
			slices.Sort(known)
			p.fail(k, k.Value, fmt.Errorf("%w: unknown field (want one of %s)", ErrInvalidSpec, strings.Join(known, ", ")))
			continue
		}
		if seen[k.Value] {
			p.fail(k, k.Value, fmt.Errorf("%w: given twice", ErrInvalidSpec))
			continue
		}
		seen[k.Value] = true
		h(v)
	}
}

// str returns the text of scalar n, reporting any other node and a
// control character in it: escaped in quotes, YAML lets one through, and
// an SVG that holds it is not well-formed XML.
func (p *specParser) str(n *yaml.Node, field string) string {
	if n.Kind != yaml.ScalarNode {
		p.fail(n, field, fmt.Errorf("%w: want text", ErrInvalidSpec))
		return ""
	}
	if i := stats.ControlAt(n.Value); i >= 0 {
		p.fail(n, field, fmt.Errorf("%w: %w", ErrInvalidSpec, stats.ControlError(n.Value, i)))
	}
	return n.Value
}

// strs returns the texts of a list of scalars, or of a single scalar
// (split at commas when split is set), with their positions.
func (p *specParser) strs(n *yaml.Node, field string, split bool) ([]string, []Pos) {
	var out []string
	var pos []Pos
	switch n.Kind {
	case yaml.ScalarNode:
		v := p.str(n, field)
		if !split {
			return []string{v}, []Pos{{n.Line, n.Column}}
		}
		for part := range strings.SplitSeq(v, ",") {
			out = append(out, strings.TrimSpace(part))
			pos = append(pos, Pos{n.Line, n.Column})
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if s := p.str(c, field); c.Kind == yaml.ScalarNode {
				out = append(out, s)
				pos = append(pos, Pos{c.Line, c.Column})
			}
		}
	default:
		p.fail(n, field, fmt.Errorf("%w: want a list", ErrInvalidSpec))
	}
	return out, pos
}

func (p *specParser) chart(n *yaml.Node) ChartSpec {
	c := ChartSpec{Pos: Pos{n.Line, n.Column}, Size: Article, Formats: []Format{PNG}, Lang: English}
	var seriesNode, kindNode *yaml.Node
	p.fields(n, "charts", map[string]func(*yaml.Node){
		"id":       func(v *yaml.Node) { c.ID = p.str(v, "id") },
		"kind":     func(v *yaml.Node) { kindNode = v },
		"title":    func(v *yaml.Node) { c.Title = p.str(v, "title") },
		"subtitle": func(v *yaml.Node) { c.Subtitle = p.str(v, "subtitle") },
		"notes":    func(v *yaml.Node) { c.Notes, _ = p.strs(v, "notes", false) },
		"source":   func(v *yaml.Node) { c.Source = p.str(v, "source") },
		"total": func(v *yaml.Node) {
			c.Total, c.TotalPos = p.str(v, "total"), Pos{v.Line, v.Column}
			if c.Total != "" {
				p.indicator(v, c.Total, "total")
			}
		},
		"size": func(v *yaml.Node) {
			z, err := ParseSize(p.str(v, "size"))
			if err != nil && v.Kind == yaml.ScalarNode {
				p.fail(v, "size", err)
			}
			c.Size = z
		},
		"formats": func(v *yaml.Node) {
			names, pos := p.strs(v, "formats", true)
			c.Formats = nil
			for i, s := range names {
				f, err := ParseFormat(s)
				if err != nil {
					p.failAt(pos[i], "formats", err)
					continue
				}
				if !slices.Contains(c.Formats, f) {
					c.Formats = append(c.Formats, f)
				}
			}
		},
		"lang": func(v *yaml.Node) {
			l, err := ParseLang(p.str(v, "lang"))
			if err != nil && v.Kind == yaml.ScalarNode {
				p.fail(v, "lang", err)
			}
			c.Lang = l
		},
		"unit": func(v *yaml.Node) {
			c.Unit, c.UnitPos = strings.TrimSpace(p.str(v, "unit")), Pos{v.Line, v.Column}
			if c.Unit == "" && v.Kind == yaml.ScalarNode {
				p.fail(v, "unit", fmt.Errorf("%w: empty; leave the key out for the unit of the data", ErrInvalidSpec))
			}
		},
		"decimals": func(v *yaml.Node) {
			c.RoundLabels = true
			d, err := strconv.Atoi(p.str(v, "decimals"))
			if v.Kind == yaml.ScalarNode && (err != nil || d < 0 || d > MaxDecimals) {
				p.fail(v, "decimals", fmt.Errorf("%w: %q, want a whole number from 0 to %d", ErrInvalidSpec, v.Value, MaxDecimals))
			}
			c.LabelDecimals = d
		},
		"series": func(v *yaml.Node) { seriesNode = v },
	})
	if n.Kind != yaml.MappingNode {
		return c
	}
	if c.ID == "" {
		p.fail(n, "id", fmt.Errorf("%w: missing", ErrInvalidSpec))
	}
	if c.Title == "" {
		p.fail(n, "title", fmt.Errorf("%w: missing", ErrInvalidSpec))
	}
	if kindNode == nil {
		p.fail(n, "kind", fmt.Errorf("%w: missing", ErrInvalidSpec))
	} else if k, err := ParseKind(p.str(kindNode, "kind")); err != nil {
		if kindNode.Kind == yaml.ScalarNode {
			p.fail(kindNode, "kind", err)
		}
	} else {
		c.Kind = k
	}
	if c.Kind == Lines && c.Total != "" {
		// A line chart has no bars to label, and a total asked for and
		// not drawn would leave the reader to think the data lack it.
		p.failAt(c.TotalPos, "total", fmt.Errorf("%w: a line chart labels no total above its categories; draw %s as a line by adding it to a series' indicators", ErrInvalidSpec, c.Total))
	}
	switch {
	case seriesNode == nil:
		p.fail(n, "series", fmt.Errorf("%w: missing", ErrInvalidSpec))
	case seriesNode.Kind == yaml.MappingNode:
		c.Series = append(c.Series, p.series(seriesNode))
	case seriesNode.Kind == yaml.SequenceNode && len(seriesNode.Content) > 0:
		for _, s := range seriesNode.Content {
			c.Series = append(c.Series, p.series(s))
		}
	default:
		p.fail(seriesNode, "series", fmt.Errorf("%w: want a series or a list of them", ErrInvalidSpec))
	}
	drawn := 0
	for _, ss := range c.Series {
		drawn += len(ss.Indicators)
	}
	if drawn > MaxSeries {
		// Beyond the palette, colours repeat, and the legend cannot tell
		// the series apart.
		p.fail(seriesNode, "series", fmt.Errorf("%w: chart %s draws %d series, more than the %d a chart can tell apart", ErrInvalidSpec, c.ID, drawn, MaxSeries))
	}
	return c
}

// MaxSeries is the most series a declared chart may draw: one for each
// colour of the default palette.
const MaxSeries = 8

func (p *specParser) failAt(pos Pos, field string, err error) {
	p.fail(&yaml.Node{Line: pos.Line, Column: pos.Column}, field, err)
}

func (p *specParser) indicator(n *yaml.Node, name, field string) {
	if _, ok := p.vocab.Lookup(name); ok {
		return
	}
	msg := fmt.Sprintf("%q", name)
	if near, ok := p.vocab.Closest(name); ok {
		msg += fmt.Sprintf(" (did you mean %q?)", near)
	}
	p.fail(n, field, fmt.Errorf("%w %s", stats.ErrUnknownIndicator, msg))
}

func (p *specParser) series(n *yaml.Node) SeriesSpec {
	s := SeriesSpec{Pos: Pos{n.Line, n.Column}}
	var indNode, perNode *yaml.Node
	code := func(v *yaml.Node, field string) string {
		c := p.str(v, field)
		if v.Kind == yaml.ScalarNode && !stats.ValidCode(c) {
			p.fail(v, field, fmt.Errorf("%w %q: want an ISO 3166-1 alpha-3 code such as KAZ", stats.ErrBadCode, c))
		}
		return c
	}
	p.fields(n, "series", map[string]func(*yaml.Node){
		"reporter":   func(v *yaml.Node) { s.Reporter = code(v, "reporter") },
		"partner":    func(v *yaml.Node) { s.Partner = code(v, "partner") },
		"indicators": func(v *yaml.Node) { indNode = v },
		"periods":    func(v *yaml.Node) { perNode = v },
	})
	if n.Kind != yaml.MappingNode {
		return s
	}
	for _, f := range []struct {
		name string
		ok   bool
	}{{"reporter", s.Reporter != ""}, {"partner", s.Partner != ""}, {"indicators", indNode != nil}, {"periods", perNode != nil}} {
		if !f.ok {
			p.fail(n, f.name, fmt.Errorf("%w: missing", ErrInvalidSpec))
		}
	}
	if indNode != nil {
		names, pos := p.strs(indNode, "indicators", true)
		for i, name := range names {
			p.indicator(&yaml.Node{Line: pos[i].Line, Column: pos[i].Column}, name, "indicators")
		}
		s.Indicators, s.IndicatorPos = names, pos
		if len(names) == 0 && indNode.Kind == yaml.SequenceNode {
			p.fail(indNode, "indicators", fmt.Errorf("%w: empty", ErrInvalidSpec))
		}
	}
	if perNode != nil {
		texts, pos := p.strs(perNode, "periods", false)
		for i, t := range texts {
			per, err := stats.ParsePeriod(t)
			if err != nil {
				p.failAt(pos[i], "periods", err)
				continue
			}
			s.Periods = append(s.Periods, per)
			s.PeriodPos = append(s.PeriodPos, pos[i])
		}
		if len(texts) == 0 && perNode.Kind == yaml.SequenceNode {
			p.fail(perNode, "periods", fmt.Errorf("%w: empty", ErrInvalidSpec))
		}
	}
	return s
}
