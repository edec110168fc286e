package findings

import (
	"encoding/xml"
	"io"
	"strings"

	"github.com/tradedesk/report/stats"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes the report as JUnit XML, the test report that GitLab,
// Jenkins and the GitHub test-report actions read. Every rule that ran
// without a finding is a passing test case named by its id; every finding
// is a test case of its own, named by rule, series and place (with #2, #3
// for repeats, since GitLab keeps only the first case of a name), with
// classname report.RULE and the file and line of its first row. A finding
// that fails the check is a failure whose text is the finding's line; a
// warning that does not (without Strict) is a skipped case whose message
// is the warning, so that it shows without failing the build.
func WriteJUnit(w io.Writer, r *Report) error {
	suite := junitSuite{Name: "report check"}
	if len(r.Inputs) > 0 {
		suite.Name += ": " + strings.Join(r.Inputs, ", ")
	}
	failed := map[string]bool{}
	for _, f := range r.Findings {
		failed[f.Rule] = true
	}
	for _, ru := range r.ruleList() {
		if !failed[ru.ID] {
			c := junitCase{Name: ru.ID, Classname: "report." + ru.ID}
			if ru.Description != "" {
				c.Name += ": " + ru.Description
			}
			suite.Cases = append(suite.Cases, c)
		}
	}
	names := uniqueNames(r.Findings)
	for i := range r.Findings {
		f := &r.Findings[i]
		p := f.Pos()
		c := junitCase{Name: names[i], Classname: "report." + f.Rule, File: p.File, Line: p.Line}
		if r.fails(f) {
			c.Failure = &junitFailure{Message: f.Message, Type: f.Severity.String(), Text: f.Text()}
			suite.Failures++
		} else {
			c.Skipped = &junitSkipped{Message: stats.Warning.String() + ": " + f.Message}
			suite.Skipped++
		}
		suite.Cases = append(suite.Cases, c)
	}
	suite.Tests = len(suite.Cases)
	out := junitSuites{Name: "report check", Tests: suite.Tests, Failures: suite.Failures, Skipped: suite.Skipped,
		Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
