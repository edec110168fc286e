package findings

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"

	"github.com/tradedesk/report/stats"
)

type gitlabIssue struct {
	Description string         `json:"description"`
	CheckName   string         `json:"check_name"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
}

// fingerprints returns a fingerprint for each finding: the SHA-256 of its
// rule and series, and of its place among the findings of the same rule
// and series. It does not depend on line numbers, so that a finding keeps
// its fingerprint when rows are added above it and a merge request shows
// only the findings it introduces or fixes.
func fingerprints(fs []stats.Finding) []string {
	seen := map[string]int{}
	out := make([]string, len(fs))
	for i := range fs {
		key := fs[i].Rule + "\x00" + fs[i].Series
		seen[key]++
		h := sha256.Sum256([]byte(key + "\x00" + strconv.Itoa(seen[key])))
		out[i] = hex.EncodeToString(h[:])
	}
	return out
}

// WriteGitLab writes the findings as a GitLab Code Quality report: a JSON
// array of issues with a description, the rule as check_name, a severity
// (major for errors, minor for warnings), the file and line of the first
// row, and a fingerprint: the SHA-256 of the rule, the series and the
// finding's place among those of the same rule and series. The fingerprint
// does not depend on line numbers, so a finding keeps it when rows are
// added above it, and the merge request widget shows only the findings a
// change introduces or fixes.
func WriteGitLab(w io.Writer, r *Report) error {
	fps := fingerprints(r.Findings)
	return encodeStreamed(w, []gitlabIssue{}, "", len(r.Findings), func(i int) any {
		f := &r.Findings[i]
		p := f.Pos()
		if p.File == "" && len(r.Inputs) > 0 {
			p.File = r.Inputs[0]
		}
		sev := "minor"
		if f.Severity == stats.Error {
			sev = "major"
		}
		return gitlabIssue{Description: githubMessage(f), CheckName: f.Rule, Fingerprint: fps[i], Severity: sev,
			Location: gitlabLocation{Path: p.File, Lines: gitlabLines{Begin: max(p.Line, 1)}}}
	})
}
