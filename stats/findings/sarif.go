package findings

import (
	"io"
	"net/url"
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
// Columns count Unicode code points, as the loader does.
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
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
	return encodeStreamed(w, log, "results", len(r.Findings), func(i int) any {
		f := &r.Findings[i]
		res := sarifResult{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity),
			Message:             sarifMessage{Text: githubMessage(f)},
			PartialFingerprints: map[string]string{SARIFFingerprint: fps[i]}}
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
