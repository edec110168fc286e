package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tradedesk/report/internal/lazyre"
	"github.com/tradedesk/report/internal/limitread"
	"github.com/tradedesk/report/stats"
)

// ErrMapping is the kind of every error in a mapping file; test for it with
// errors.Is.
var ErrMapping = errors.New("invalid mapping")

// ErrUnknownName is the kind of the problem of a row whose reporter or
// partner name has no alpha-3 code; add the name to the mapping's names.
var ErrUnknownName = errors.New("unknown economy name")

// ErrNoValue is the kind of the problem of a row that lacks a field every
// observation needs (an indicator, a period, a unit or a source).
var ErrNoValue = errors.New("empty field")

// Mapping says how to read one kind of agency table. Its YAML form is
// described field by field below; [ParseMapping] reads it.
type Mapping struct {
	// Source names the publisher, usually a constant; a template such as
	// "BNS RK, {workbook} workbook" tells releases apart.
	Source Field `yaml:"source"`
	// Header is the 1-based line of the header row; 0 means 1. Lines above
	// it are not data.
	Header int `yaml:"header"`
	// Delimiter separates fields: "," (the default), ";", "\t" or "|".
	Delimiter string `yaml:"delimiter"`
	// Encoding is a name [stats.Encoding] knows; "" is UTF-8. A UTF-8 byte
	// order mark is always removed; a table that begins with a UTF-16 one
	// needs "utf-16".
	Encoding string `yaml:"encoding"`
	// Reporter and Partner are alpha-3 codes, or names that [Names]
	// resolves to them.
	Reporter Field `yaml:"reporter"`
	Partner  Field `yaml:"partner"`
	// Indicator applies to every value column that does not name its own.
	Indicator Field `yaml:"indicator"`
	// Period applies to every value column that does not name its own;
	// its Patterns read the agency's period labels.
	Period Field `yaml:"period"`
	// Unit is written as published ("thousand USD", "Millions of US
	// dollars") and normalised with [NormalizeUnit].
	Unit Field `yaml:"unit"`
	// Status is an SDMX observation status (A, P, E); optional.
	Status Field `yaml:"status"`
	// Note is free text carried to every observation; optional.
	Note Field `yaml:"note"`
	// Values are the columns that hold numbers: one observation per row
	// and value column (wide to long).
	Values []ValueColumn `yaml:"values"`
	// Numbers are the number conventions of the publisher.
	Numbers Numbers `yaml:"numbers"`
	// Skip lists rules for rows that are not data (titles, notes, repeated
	// headers); a row that matches any rule is skipped and counted.
	Skip []Match `yaml:"skip"`
	// Absent, when set to a number ("0.000000"), is the value of a month
	// that a series lacks between the first and last month of the table:
	// for publishers that omit the rows without trade (see [FillAbsent]).
	Absent string `yaml:"absent"`
	// YearTotals, when true, adds a year figure for every series with all
	// 12 months (see [YearTotals]).
	YearTotals bool `yaml:"year_totals"`
	// Names maps names as printed to alpha-3 codes, before the built-in
	// names; "-" drops the rows of that name (a group without a code), and
	// they are counted in [Result.Dropped].
	Names map[string]string `yaml:"names"`
}

// Field is where one part of an observation comes from: a constant, a
// column, the first non-empty of several columns, or a template with
// {column} references. Map then translates the text (exact match, after
// trimming spaces). In YAML a plain string is a constant, or a template
// when it holds "{"; a mapping has the keys value, column, columns,
// template, map and, for periods, patterns.
type Field struct {
	Const    string            `yaml:"value"`
	Column   string            `yaml:"column"`
	Columns  []string          `yaml:"columns"`
	Template string            `yaml:"template"`
	Map      map[string]string `yaml:"map"`
	// Patterns read period labels; see [ParsePeriodPattern]. Without
	// patterns a period is read with [stats.ParsePeriod].
	Patterns []string `yaml:"patterns"`
}

// textError returns the problem of a control character (see
// stats.ControlAt) in the text the field gives of itself: its constant,
// its template's words, the values of its map. The text it takes from a
// table's cells is the table's to answer for.
func (f *Field) textError() error {
	texts := []string{f.Const, f.Template}
	for _, k := range slices.Sorted(maps.Keys(f.Map)) {
		texts = append(texts, f.Map[k])
	}
	for _, t := range texts {
		if i := stats.ControlAt(t); i >= 0 {
			return stats.ControlError(t, i)
		}
	}
	return nil
}

// UnmarshalYAML reads a Field from a scalar or a mapping.
func (f *Field) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		if strings.Contains(n.Value, "{") {
			f.Template = n.Value
		} else {
			f.Const = n.Value
		}
		return nil
	}
	type plain Field
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	// A node decodes its own part without the decoder's KnownFields: a
	// key misspelt here ({colum: name}) would be dropped without a word,
	// and the field read as not given.
	if n.Kind == yaml.MappingNode {
		known := yamlKeys(Field{})
		var unknown []string
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; !slices.Contains(known, k.Value) {
				unknown = append(unknown, fmt.Sprintf("line %d: field %s not found in type ingest.Field", k.Line, k.Value))
			}
		}
		if len(unknown) > 0 {
			return &yaml.TypeError{Errors: unknown}
		}
	}
	*f = Field(p)
	return nil
}

// IsZero reports whether the field is not given.
func (f *Field) IsZero() bool {
	return f.Const == "" && f.Column == "" && len(f.Columns) == 0 && f.Template == ""
}

// ValueColumn is one column of numbers. Indicator, Period, Partner and Unit,
// when set, override the mapping's fields for this column: a table with one
// column per year names the year here.
type ValueColumn struct {
	Column    string `yaml:"column"`
	Indicator string `yaml:"indicator"`
	Period    string `yaml:"period"`
	Partner   string `yaml:"partner"`
	Unit      string `yaml:"unit"`
	// Empty overrides Numbers.Empty for this column.
	Empty string `yaml:"empty"`
}

// Numbers are a publisher's conventions for writing numbers.
type Numbers struct {
	// Thousands holds the characters used to group thousands; a space
	// stands for the no-break spaces too. Groups must have three digits.
	Thousands string `yaml:"thousands"`
	// Decimal is the decimal mark, "." (the default) or ",".
	Decimal string `yaml:"decimal"`
	// Missing are the markers of a missing figure; nil means "..", "...",
	// "x", "NA", "n/a" and ":".
	Missing []string `yaml:"missing"`
	// Zero are the markers of a zero, such as "-".
	Zero []string `yaml:"zero"`
	// Empty says what an empty cell is: "missing" (the default; the
	// observation is written with status M), "skip" (no observation), or
	// a number such as "0.00000" (a zero with the precision the publisher
	// implies).
	Empty string `yaml:"empty"`
	// Exponent, when true, accepts numbers in scientific notation as some
	// tools write small values ("9e-4"); the value keeps the decimals the
	// notation implies (0.0009, four decimals).
	Exponent bool `yaml:"exponent"`
	// Significant, when above 0, rounds numbers written with more
	// significant digits than that and drops the trailing zeros: the
	// binary noise of a spreadsheet or of R ("958.69914000000006" with 15
	// is 958.69914).
	Significant int `yaml:"significant"`
	// Negatives is "mangled" when a minus sign may be doubled or
	// separated from the digits, as in UNCTAD's "- -5" and "-- 156".
	Negatives string `yaml:"negatives"`
}

// Match selects rows by the text of a column. Every condition given must
// hold.
type Match struct {
	Column string `yaml:"column"`
	// Equals is the exact text (after trimming spaces).
	Equals *string `yaml:"equals"`
	// In lists texts, any of which matches.
	In []string `yaml:"in"`
	// NotIn lists texts, none of which may match.
	NotIn []string `yaml:"not_in"`
	// Matches is a regular expression (RE2 syntax).
	Matches string `yaml:"matches"`
	// Empty, when set, requires the column to be empty (true) or not.
	Empty *bool `yaml:"empty"`
	// EqualsColumn and NotEqualsColumn compare with another column of the
	// same row.
	EqualsColumn    string `yaml:"equals_column"`
	NotEqualsColumn string `yaml:"not_equals_column"`
}

// ParseMapping reads a mapping in YAML from r; name is used in errors.
// Unknown keys are errors. Every error wraps [ErrMapping].
func ParseMapping(r io.Reader, name string) (*Mapping, error) {
	data, err := limitread.ReadAll(r, limitread.MaxConfig)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrMapping, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var m Mapping
	if err := dec.Decode(&m); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: %w: the file is empty", name, ErrMapping)
		}
		if err := unknownKeys(err, name); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w: %v", name, ErrMapping, err)
	}
	if err := m.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrMapping, err)
	}
	return &m, nil
}

// mappingKeys are the keys of each part of a mapping, by the Go type that
// holds it, with the part's name, to say which keys an unknown one could
// have been.
var mappingKeys = map[string]struct {
	part string
	of   any
}{
	"Mapping":     {"the mapping", Mapping{}},
	"ValueColumn": {"values", ValueColumn{}},
	"Numbers":     {"numbers", Numbers{}},
	"Match":       {"skip", Match{}},
	"Field":       {"a field (reporter, partner, period, …)", Field{}},
}

var unknownKeyRE = lazyre.New(`^line (\d+): field (.+) not found in type ingest\.(\w+)$`)

// unknownKeys returns the errors of the keys unknown to a mapping when err
// is the decoder's error of them alone, each wrapping [ErrMapping] at its
// line of file name, with the keys its part knows, where "line 9: field
// skipp not found in type ingest.Mapping" named a Go type, which a
// mapping's writer never sees; else nil.
func unknownKeys(err error, name string) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) || len(te.Errors) == 0 {
		return nil
	}
	var errs []error
	for _, e := range te.Errors {
		m := unknownKeyRE().FindStringSubmatch(e)
		if m == nil {
			return nil
		}
		keys, ok := mappingKeys[m[3]]
		if !ok {
			return nil
		}
		errs = append(errs, fmt.Errorf("%s:%s: %w: unknown key %q in %s; known keys are %s", name, m[1], ErrMapping, m[2], keys.part, strings.Join(yamlKeys(keys.of), ", ")))
	}
	return errors.Join(errs...)
}

// yamlKeys returns the YAML keys of the fields of the struct v, in order.
func yamlKeys(v any) []string {
	t := reflect.TypeOf(v)
	var keys []string
	for i := range t.NumField() {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	return keys
}

// validate checks what can be checked without the table. It does not
// modify m, so that one Mapping can convert tables side by side.
func (m *Mapping) validate() error {
	if len(m.Values) == 0 {
		return errors.New("values: name at least one column of numbers")
	}
	if m.Source.IsZero() {
		return errors.New("source: required: name the publisher")
	}
	if m.Reporter.IsZero() {
		return errors.New("reporter: required")
	}
	if m.Unit.IsZero() {
		for i, v := range m.Values {
			if v.Unit == "" {
				return fmt.Errorf("values[%d] (%s): unit: give one here or for the whole table", i, v.Column)
			}
		}
	}
	for i, v := range m.Values {
		if v.Column == "" {
			return fmt.Errorf("values[%d]: column: required", i)
		}
		if v.Indicator == "" && m.Indicator.IsZero() {
			return fmt.Errorf("values[%d] (%s): indicator: give one here or for the whole table", i, v.Column)
		}
		if v.Period == "" && m.Period.IsZero() {
			return fmt.Errorf("values[%d] (%s): period: give one here or for the whole table", i, v.Column)
		}
		if v.Partner == "" && m.Partner.IsZero() {
			return fmt.Errorf("values[%d] (%s): partner: give one here or for the whole table", i, v.Column)
		}
		if v.Period != "" {
			if _, err := m.Period.period(v.Period); err != nil {
				return fmt.Errorf("values[%d] (%s): period: %v", i, v.Column, err)
			}
		}
		if err := checkEmpty(v.Empty); err != nil {
			return fmt.Errorf("values[%d] (%s): empty: %v", i, v.Column, err)
		}
	}
	for _, f := range []struct {
		name string
		f    *Field
	}{{"source", &m.Source}, {"note", &m.Note}, {"unit", &m.Unit}, {"indicator", &m.Indicator}} {
		if err := f.f.textError(); err != nil {
			return fmt.Errorf("%s: %v", f.name, err)
		}
	}
	for i, v := range m.Values {
		for _, t := range []struct{ name, text string }{{"indicator", v.Indicator}, {"unit", v.Unit}} {
			if j := stats.ControlAt(t.text); j >= 0 {
				return fmt.Errorf("values[%d] (%s): %s: %v", i, v.Column, t.name, stats.ControlError(t.text, j))
			}
		}
	}
	if m.Absent != "" {
		if _, ok := parsePlain(m.Absent); !ok {
			return fmt.Errorf("absent: %q: use a number such as 0", m.Absent)
		}
	}
	if err := checkEmpty(m.Numbers.Empty); err != nil {
		return fmt.Errorf("numbers: empty: %v", err)
	}
	switch m.Numbers.Decimal {
	case "", ".", ",":
	default:
		return fmt.Errorf("numbers: decimal %q: use \".\" or \",\"", m.Numbers.Decimal)
	}
	dm := m.Numbers.Decimal
	if dm == "" {
		dm = "."
	}
	if strings.Contains(m.Numbers.Thousands, dm) {
		return fmt.Errorf("numbers: %q cannot be both the decimal mark and a thousands separator", dm)
	}
	switch m.Numbers.Negatives {
	case "", "mangled":
	default:
		return fmt.Errorf("numbers: negatives %q: use mangled or leave it out", m.Numbers.Negatives)
	}
	for _, p := range m.Period.Patterns {
		if _, err := compilePattern(p); err != nil {
			return fmt.Errorf("period: pattern %q: %v", p, err)
		}
	}
	for i, s := range m.Skip {
		if s.Column == "" {
			return fmt.Errorf("skip[%d]: column: required", i)
		}
		if s.Matches != "" {
			if _, err := regexp.Compile(s.Matches); err != nil {
				return fmt.Errorf("skip[%d]: matches: %v", i, err)
			}
		}
	}
	switch m.Delimiter {
	case "", ",", ";", "|", "\t", `\t`:
	default:
		return fmt.Errorf("delimiter %q: use \",\", \";\", \"\\t\" or \"|\"", m.Delimiter)
	}
	return nil
}

func checkEmpty(s string) error {
	switch s {
	case "", "missing", "skip":
		return nil
	}
	if _, ok := parsePlain(s); !ok {
		return fmt.Errorf("%q: use missing, skip or a number such as 0", s)
	}
	return nil
}
