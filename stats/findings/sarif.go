package findings

import (
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"github.com/tradedesk/report/stats"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	Results    []sarifResult `json:"results"`
	ColumnKind string        `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	ShortDescription     sarifMessage `json:"shortDescription"`
	DefaultConfiguration sarifConfig  `json:"defaultConfiguration"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations,omitempty"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// SARIFResults is the most results [WriteSARIF] writes in its run: GitHub
// code scanning rejects a run with more.
const SARIFResults = 25000

// SARIFOmitted is the rule of the note that counts the findings a SARIF
// run leaves out (see [SARIFResults]).
const SARIFOmitted = "report/omitted"

// SARIFFingerprint is the key of the partial fingerprint that [WriteSARIF]
// gives every result: a hash of rule and series (see [WriteGitLab]).
const SARIFFingerprint = "ruleSeries/v1"

func sarifLevel(s stats.Severity) string {
	if s == stats.Error {
		return "error"
	}
	return "warning"
}

// fileURI turns a file name into a relative URI reference: slashes, and
// characters such as < > and spaces escaped.
func fileURI(name string) string {
	u := url.URL{Path: strings.ReplaceAll(name, `\`, "/")}
	return u.EscapedPath()
}

func sarifLoc(p stats.Pos) (sarifLocation, bool) {
	if p.File == "" {
		return sarifLocation{}, false
	}
	l := sarifLocation{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: sarifArtifact{URI: fileURI(p.File)}}}
	if p.Line > 0 {
		l.PhysicalLocation.Region = &sarifRegion{StartLine: p.Line, StartColumn: p.Column}
	}
	return l, true
}

// WriteSARIF writes the report as a SARIF 2.1.0 log, which GitHub code
// scanning and many editors read: one run of the tool "report" with every
// rule (id, description, default level), and a result per finding with its
// level, message, the place of its first row as location, its other rows
// as related locations, and a partial fingerprint [SARIFFingerprint].
// Columns count Unicode code points, as the loader does. A report of more
// than [SARIFResults] findings keeps the errors first, then the warnings
// that fail the check (--strict), then the others, each in their order,
// and ends with a note of the rule [SARIFOmitted] that counts the rest.
func WriteSARIF(w io.Writer, r *Report) error {
	rules := r.ruleList()
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: "report", Version: r.ToolVersion,
		InformationURI: "https://github.com/tradedesk/report", Rules: []sarifRule{}}},
		Results: []sarifResult{}, ColumnKind: "unicodeCodePoints"}
	index := map[string]int{}
	for i, ru := range rules {
		index[ru.ID] = i
		desc := ru.Description
		if desc == "" {
			desc = ru.ID
		}
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: ru.ID,
			ShortDescription: sarifMessage{Text: desc}, DefaultConfiguration: sarifConfig{Level: sarifLevel(ru.Severity)}})
	}
	fps := fingerprints(r.Findings)
	shown := r.sarifShown()
	n := len(shown)
	if n < len(r.Findings) {
		n++ // the note, of a rule of its own
		index[SARIFOmitted] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: SARIFOmitted,
			ShortDescription:     sarifMessage{Text: fmt.Sprintf("findings not listed: GitHub code scanning takes at most %d results", SARIFResults)},
			DefaultConfiguration: sarifConfig{Level: "note"}})
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
	return encodeStreamed(w, log, "results", n, func(i int) any {
		if i == len(shown) {
			return r.sarifNote(shown, index[SARIFOmitted])
		}
		f := &r.Findings[shown[i]]
		res := sarifResult{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity),
			Message:             sarifMessage{Text: githubMessage(f)},
			PartialFingerprints: map[string]string{SARIFFingerprint: fps[shown[i]]}}
		for j, p := range f.Rows {
			l, ok := sarifLoc(p)
			if !ok {
				continue
			}
			if j == 0 {
				res.Locations = append(res.Locations, l)
				continue
			}
			id := j
			l.ID = &id
			res.RelatedLocations = append(res.RelatedLocations, l)
		}
		return res
	})
}

// sarifShown returns the indexes of the findings WriteSARIF writes, in
// order: all of them, or the first SARIFResults-1 of the errors, then of
// the warnings that fail the check, then of the others.
func (r *Report) sarifShown() []int {
	out := make([]int, 0, min(len(r.Findings), SARIFResults))
	if len(r.Findings) <= SARIFResults {
		for i := range r.Findings {
			out = append(out, i)
		}
		return out
	}
	rank := func(f *stats.Finding) int {
		switch {
		case f.Severity == stats.Error:
			return 0
		case r.fails(f):
			return 1
		}
		return 2
	}
	for want := range 3 {
		for i := range r.Findings {
			if len(out) < SARIFResults-1 && rank(&r.Findings[i]) == want {
				out = append(out, i)
			}
		}
	}
	slices.Sort(out)
	return out
}

// sarifNote is the result of rule number ruleIndex that counts the
// findings WriteSARIF leaves out (those not in shown, each as many as it
// stands for), at the first input file, or else at the first of them.
func (r *Report) sarifNote(shown []int, ruleIndex int) sarifResult {
	n, at := 0, stats.Pos{}
	for i := range r.Findings {
		if _, ok := slices.BinarySearch(shown, i); ok {
			continue
		}
		n += max(r.Findings[i].Omitted, 1)
		if at.File == "" {
			at = stats.Pos{File: r.Findings[i].Pos().File}
		}
	}
	if len(r.Inputs) > 0 {
		at = stats.Pos{File: r.Inputs[0]}
	}
	res := sarifResult{RuleID: SARIFOmitted, RuleIndex: ruleIndex, Level: "note",
		Message: sarifMessage{Text: fmt.Sprintf("and %s not listed: GitHub code scanning takes at most %d results; the text and JSON formats list them",
			plural(n, "more finding"), SARIFResults)},
		PartialFingerprints: map[string]string{SARIFFingerprint: "omitted"}}
	if l, ok := sarifLoc(at); ok {
		res.Locations = []sarifLocation{l}
	}
	return res
}
