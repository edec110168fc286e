package findings

import (
	"encoding/json"
	"io"
	"math"

	"github.com/tradedesk/report/stats"
)

// JSONVersion is the version of the JSON format that [WriteJSON] writes. It
// changes when a field changes meaning or goes away; fields may be added
// within a version. The schema is docs/findings.schema.json.
const JSONVersion = 1

type jsonReport struct {
	Version      int           `json:"version"`
	ToolVersion  string        `json:"toolVersion,omitempty"`
	Inputs       []string      `json:"inputs"`
	RulesFile    string        `json:"rulesFile,omitempty"`
	Observations int           `json:"observations"`
	Summary      jsonSummary   `json:"summary"`
	Rules        []jsonRule    `json:"rules"`
	Findings     []jsonFinding `json:"findings"`
}

type jsonSummary struct {
	Errors   int  `json:"errors"`
	Warnings int  `json:"warnings"`
	Failed   bool `json:"failed"`
}

type jsonRule struct {
	ID          string        `json:"id"`
	Severity    string        `json:"severity"`
	Description string        `json:"description,omitempty"`
	Location    *jsonLocation `json:"location,omitempty"`
}

type jsonLocation struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

type jsonFinding struct {
	Rule       string         `json:"rule"`
	Severity   string         `json:"severity"`
	Series     string         `json:"series"`
	Message    string         `json:"message"`
	Location   *jsonLocation  `json:"location,omitempty"`
	Related    []jsonLocation `json:"related,omitempty"`
	Expected   *json.Number   `json:"expected,omitempty"`
	Actual     *json.Number   `json:"actual,omitempty"`
	Difference *json.Number   `json:"difference,omitempty"`
	Tolerance  *json.Number   `json:"tolerance,omitempty"`
	Omitted    int            `json:"omitted,omitempty"`
	Text       string         `json:"text"`
}

func location(p stats.Pos) *jsonLocation {
	if p.File == "" {
		return nil
	}
	return &jsonLocation{File: p.File, Line: p.Line, Column: p.Column}
}

// number formats x with the given decimals as a JSON number, or nil for a
// number JSON cannot hold.
func number(x float64, decimals int) *json.Number {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	if x == 0 {
		x = 0
	}
	n := json.Number(stats.FormatFixed(x, max(decimals, 0)))
	return &n
}

// WriteJSON writes the report as one JSON object of version [JSONVersion],
// indented, with a final newline. Numbers are written with the decimals of
// the figures they come from (the tolerance with one more), as the text
// format shows them.
func WriteJSON(w io.Writer, r *Report) error {
	errs, warns := stats.Count(r.Findings)
	out := jsonReport{Version: JSONVersion, ToolVersion: r.ToolVersion, Inputs: r.Inputs, RulesFile: r.RulesFile, Observations: r.Observations,
		Summary: jsonSummary{Errors: errs, Warnings: warns, Failed: r.Failed()},
		Rules:   []jsonRule{}, Findings: []jsonFinding{}}
	if out.Inputs == nil {
		out.Inputs = []string{}
	}
	for _, ru := range r.ruleList() {
		out.Rules = append(out.Rules, jsonRule{ID: ru.ID, Severity: ru.Severity.String(), Description: ru.Description, Location: location(ru.Pos)})
	}
	return encodeStreamed(w, out, "findings", len(r.Findings), func(i int) any { return jsonFindingOf(&r.Findings[i]) })
}

func jsonFindingOf(f *stats.Finding) jsonFinding {
	jf := jsonFinding{Rule: f.Rule, Severity: f.Severity.String(), Series: f.Series, Message: f.Message,
		Location: location(f.Pos()), Omitted: f.Omitted, Text: f.Text()}
	if len(f.Rows) > 1 {
		for _, p := range f.Rows[1:] {
			if l := location(p); l != nil {
				jf.Related = append(jf.Related, *l)
			}
		}
	}
	if f.Numbers {
		jf.Expected = number(f.Expected, f.Decimals)
		jf.Actual = number(f.Actual, f.Decimals)
		jf.Difference = number(f.Difference, f.Decimals)
		jf.Tolerance = number(f.Tolerance, f.Decimals+1)
	}
	return jf
}
