package findings

import (
	"encoding/xml"
	"io"
	"iter"
	"strconv"
	"strings"

	"github.com/tradedesk/report/stats"
)

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
	js := newJUnitSuite(r)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	// The counts go first, in the attributes; the cases are then encoded
	// one at a time, never held whole as XML.
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	counts := func(name string) []xml.Attr {
		return []xml.Attr{
			{Name: xml.Name{Local: "name"}, Value: name},
			{Name: xml.Name{Local: "tests"}, Value: strconv.Itoa(js.tests)},
			{Name: xml.Name{Local: "failures"}, Value: strconv.Itoa(js.failures)},
			{Name: xml.Name{Local: "errors"}, Value: "0"},
			{Name: xml.Name{Local: "skipped"}, Value: strconv.Itoa(js.skipped)},
		}
	}
	suites := xml.StartElement{Name: xml.Name{Local: "testsuites"}, Attr: counts("report check")}
	suite := xml.StartElement{Name: xml.Name{Local: "testsuite"}, Attr: counts(js.name)}
	testcase := xml.StartElement{Name: xml.Name{Local: "testcase"}}
	if err := enc.EncodeToken(suites); err != nil {
		return err
	}
	if err := enc.EncodeToken(suite); err != nil {
		return err
	}
	for c := range js.cases() {
		if err := enc.EncodeElement(c, testcase); err != nil {
			return err
		}
	}
	if err := enc.EncodeToken(suite.End()); err != nil {
		return err
	}
	if err := enc.EncodeToken(suites.End()); err != nil {
		return err
	}
	if err := enc.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitSuite is the one test suite of a report: its name, its counts, and
// its cases, made one at a time.
type junitSuite struct {
	r                        *Report
	name                     string
	tests, failures, skipped int
	passed                   []junitCase // the rules without a finding
}

func newJUnitSuite(r *Report) *junitSuite {
	js := &junitSuite{r: r, name: "report check"}
	if len(r.Inputs) > 0 {
		js.name += ": " + strings.Join(r.Inputs, ", ")
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
			js.passed = append(js.passed, c)
		}
	}
	for i := range r.Findings {
		if r.fails(&r.Findings[i]) {
			js.failures++
		} else {
			js.skipped++
		}
	}
	js.tests = len(js.passed) + len(r.Findings)
	return js
}

// cases yields the passing rules, then a case for each finding.
func (js *junitSuite) cases() iter.Seq[junitCase] {
	return func(yield func(junitCase) bool) {
		for _, c := range js.passed {
			if !yield(c) {
				return
			}
		}
		names := uniqueNames(js.r.Findings)
		for i := range js.r.Findings {
			f := &js.r.Findings[i]
			p := f.Pos()
			c := junitCase{Name: names[i], Classname: "report." + f.Rule, File: p.File, Line: p.Line}
			if js.r.fails(f) {
				c.Failure = &junitFailure{Message: f.Message, Type: f.Severity.String(), Text: f.Text()}
			} else {
				c.Skipped = &junitSkipped{Message: stats.Warning.String() + ": " + f.Message}
			}
			if !yield(c) {
				return
			}
		}
	}
}
