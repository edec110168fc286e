package findings_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tradedesk/report/internal/golden"
	"github.com/tradedesk/report/stats"
	"github.com/tradedesk/report/stats/findings"
)

// sample returns a report with the kinds of finding the formats must carry:
// an identity with numbers and terms, a warning, a claim of a rules file, a
// claim that cannot be evaluated, an input problem, findings that repeat a
// rule and series, and text that needs escaping.
func sample() *findings.Report {
	trade := func(line, col int) stats.Pos { return stats.Pos{File: "data/trade.csv", Line: line, Column: col} }
	rulesAt := func(line, col int) stats.Pos { return stats.Pos{File: "data/rules.yaml", Line: line, Column: col} }
	fs := []stats.Finding{
		{Rule: "input", Severity: stats.Error, Rows: []stats.Pos{trade(2, 22)}, Series: "",
			Message: `field "value": invalid number "1,2e": write a decimal number with a point, such as 33.3`},
		{Rule: "turnover", Severity: stats.Error, Rows: []stats.Pos{trade(4, 23), trade(2, 22), trade(3, 22)},
			Series: "KAZ–ARM turnover 2023", Numbers: true, Expected: 53.1, Actual: 53.4, Difference: 0.3, Tolerance: 0.15, Decimals: 1,
			Message: "KAZ–ARM turnover 2023 is 53.4, but exports 33.3 + imports 19.8 = 53.1"},
		{Rule: "fdi-2023-doubled", Severity: stats.Error, Rows: []stats.Pos{trade(9, 27), trade(8, 27), rulesAt(11, 13)},
			Series: "KAZ–ARM fdi_in_gross 2023", Numbers: true, Expected: 6, Actual: 8, Difference: 2, Tolerance: 1.5, Decimals: 0,
			Message: `"In 2023 FDI from Armenia was twice as much as in 2022" fails for KAZ–ARM: 100% wrong, 50%: off`},
		{Rule: "mirror", Severity: stats.Warning, Rows: []stats.Pos{{File: "<stdin>", Line: 5, Column: 22}, {File: "<stdin>", Line: 4, Column: 22}},
			Series: "ARM–KAZ imports 2023", Numbers: true, Expected: 37.1, Actual: 20, Difference: -17.1, Tolerance: 9.275, Decimals: 1,
			Message: "mirror gap of -46%: ARM imports from KAZ 20.0,\nbut KAZ reports exports to ARM 35.0"},
		{Rule: "claim", Severity: stats.Error, Rows: []stats.Pos{rulesAt(20, 13)}, Series: "KAZ–ARM fdi_in_gross 2021",
			Message: "cannot evaluate: KAZ–ARM fdi_in_gross 2021 is not in the data (rule claim for KAZ–ARM)"},
		{Rule: "claim", Severity: stats.Error, Rows: []stats.Pos{rulesAt(20, 13)}, Series: "KAZ–ARM fdi_in_gross 2021",
			Message: "cannot evaluate: KAZ–ARM fdi_in_gross 2021 is not in the data (rule claim for KAZ–ARM)"},
		{Rule: "sources", Severity: stats.Warning, Series: "whole file", Rows: []stats.Pos{{File: "data/trade.csv"}},
			Message: "a finding about the whole file"},
	}
	stats.SortFindings(fs)
	rep := &findings.Report{Findings: fs, Inputs: []string{"data/trade.csv"}, Observations: 11, RulesFile: "data/rules.yaml", ToolVersion: "v1.2.3"}
	// A fixed list rather than stats.Rules(), so that the goldens do not
	// change when a built-in rule is added.
	for _, r := range []stats.RuleInfo{
		{ID: "input", Severity: stats.Error, Description: "parseable rows"},
		{ID: "sources", Severity: stats.Warning, Description: "sources agree"},
		{ID: "turnover", Severity: stats.Error, Description: "turnover = exports + imports"},
		{ID: "balance", Severity: stats.Error, Description: "balance = exports − imports"},
		{ID: "mirror", Severity: stats.Warning, Description: "mirror flows agree"},
	} {
		rep.Rules = append(rep.Rules, findings.Rule{ID: r.ID, Severity: r.Severity, Description: r.Description})
	}
	rep.Rules = append(rep.Rules,
		findings.Rule{ID: "fdi-2023-doubled", Severity: stats.Error, Description: "In 2023 FDI from Armenia was twice as much as in 2022", Pos: rulesAt(8, 5)},
		findings.Rule{ID: "claim", Severity: stats.Error, Pos: rulesAt(19, 5)},
		findings.Rule{ID: "turnover-2023", Severity: stats.Error, Description: "turnover = exports + imports", Pos: rulesAt(14, 5)})
	return rep
}

var extensions = map[string]string{"text": "txt", "json": "json", "junit": "xml", "github": "github.txt", "gitlab": "gitlab.json", "sarif": "sarif"}

func write(t *testing.T, format string, r *findings.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := findings.Write(&b, format, r); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return b.Bytes()
}

// TestGolden pins every format, and that writing twice gives the same
// bytes.
func TestGolden(t *testing.T) {
	for _, format := range findings.Formats() {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			r := sample()
			before := slices.Clone(r.Findings)
			got := write(t, format, r)
			if again := write(t, format, sample()); !bytes.Equal(got, again) {
				t.Errorf("Write(%s) gave different bytes on a second run", format)
			}
			if diff := cmp.Diff(before, r.Findings); diff != "" {
				t.Errorf("Write(%s) modified the findings (-before +after):\n%s", format, diff)
			}
			golden.Check(t, "sample."+extensions[format], got)
		})
	}
	var md bytes.Buffer
	if err := findings.WriteMarkdown(&md, sample()); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "sample.md", md.Bytes())
}

// TestEmpty pins the formats for a check without findings.
func TestEmpty(t *testing.T) {
	r := &findings.Report{Inputs: []string{"trade.csv"}, Observations: 3,
		Rules: []findings.Rule{{ID: "turnover", Severity: stats.Error, Description: "turnover = exports + imports"}}}
	for _, format := range findings.Formats() {
		t.Run(format, func(t *testing.T) {
			golden.Check(t, "empty."+extensions[format], write(t, format, r))
		})
	}
}

// TestWriteTextLongLines checks the text format with lines longer than
// the room left in the writer's buffer, short lines between them, and
// lines longer than the whole buffer (64 KB): each is its finding's Text.
// The lines are made in one buffer: a report of a thousand world totals,
// each naming its partners' rows, is written in a few allocations, not
// one or more a line.
func TestWriteTextLongLines(t *testing.T) {
	var fs []stats.Finding
	for i, n := range []int{1, 245, 2, 3000, 245, 1, 9000, 2, 245, 245, 245, 1} {
		rows := make([]stats.Pos, n)
		for j := range rows {
			rows[j] = stats.Pos{File: "customs.csv", Line: 2 + i*10000 + j, Column: 25}
		}
		fs = append(fs, stats.Finding{Rule: "groups", Severity: stats.Error, Rows: rows, Series: fmt.Sprintf("R%02d–WLD exports 1995-06", i),
			Message: fmt.Sprintf("R%02d–WLD exports 1995-06 is 32.6, less than the %d economies in the data add up to: 6194.7", i, n-1)})
	}
	r := &findings.Report{Findings: fs, Inputs: []string{"customs.csv"}, Observations: 1000000}
	var want strings.Builder
	for i := range fs {
		want.WriteString(fs[i].Text() + "\n")
	}
	want.WriteString(findings.Summary(r) + "\n")
	if got := string(write(t, "text", r)); got != want.String() {
		t.Errorf("text of %d findings: %d bytes, want %d, first difference at byte %d", len(fs), len(got), want.Len(), firstDiff(got, want.String()))
	}

	rows := make([]stats.Pos, 246)
	for j := range rows {
		rows[j] = stats.Pos{File: "customs.csv", Line: 1000000 + j, Column: 25}
	}
	many := &findings.Report{Inputs: []string{"customs.csv"}}
	for range 1000 {
		many.Findings = append(many.Findings, stats.Finding{Rule: "groups", Severity: stats.Error, Rows: rows, Message: "RUS–WLD exports 1995-06 is 32.6"})
	}
	if raceEnabled {
		// Its sync.Pool drops fmt's printers at random.
		t.Log("allocations not counted under the race detector")
		return
	}
	allocs := testing.AllocsPerRun(3, func() {
		if err := findings.WriteText(io.Discard, many); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 20 {
		t.Errorf("WriteText of 1,000 lines of 7 KB: %.0f allocations, want at most 20", allocs)
	}
}

// firstDiff returns the index of the first byte where a and b differ.
func firstDiff(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

func compileSchema(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	name := filepath.Base(path)
	if err := c.AddResource(name, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(name)
	if err != nil {
		t.Fatalf("compile %s: %v", path, err)
	}
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	return s.Validate(inst)
}

// TestJSONSchema validates the JSON output against the documented schema,
// docs/findings.schema.json, and checks that the schema rejects what it
// must.
func TestJSONSchema(t *testing.T) {
	s := compileSchema(t, filepath.Join("..", "..", "docs", "findings.schema.json"))
	for _, r := range []*findings.Report{sample(), {}} {
		if err := validate(t, s, write(t, "json", r)); err != nil {
			t.Errorf("JSON output does not match the schema: %v", err)
		}
	}
	bad := []string{
		`{"version": 2, "inputs": [], "observations": 0, "summary": {"errors": 0, "warnings": 0, "failed": false}, "rules": [], "findings": []}`,
		`{"version": 1, "inputs": [], "observations": 0, "summary": {"errors": 0, "warnings": 0, "failed": false}, "rules": [], "findings": [{"rule": "x", "severity": "fatal", "series": "", "message": "m", "text": "t"}]}`,
		`{"version": 1, "inputs": [], "observations": 0, "summary": {"errors": 0, "warnings": 0, "failed": false}, "rules": [], "findings": [{"rule": "x", "severity": "error", "series": "", "message": "m", "text": "t", "expected": 1}]}`,
	}
	for _, b := range bad {
		if err := validate(t, s, []byte(b)); err == nil {
			t.Errorf("schema accepts %s", b)
		}
	}
	var got struct {
		Findings []struct {
			Rule     string   `json:"rule"`
			Expected *float64 `json:"expected"`
			Location *struct {
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"location"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(write(t, "json", sample()), &got); err != nil {
		t.Fatal(err)
	}
	for i, f := range sample().Findings {
		g := got.Findings[i]
		if g.Rule != f.Rule || g.Location == nil || g.Location.File != f.Pos().File || g.Location.Line != f.Pos().Line {
			t.Errorf("finding %d: rule %s at %+v; want %s at %s", i, g.Rule, g.Location, f.Rule, f.Pos())
		}
		if f.Numbers != (g.Expected != nil) {
			t.Errorf("finding %d: expected %v; want numbers %v", i, g.Expected, f.Numbers)
		}
	}
}

// TestSARIFSchema validates the SARIF output against the SARIF 2.1.0 JSON
// schema (testdata/sarif-schema-2.1.0.json, from the OASIS standard).
func TestSARIFSchema(t *testing.T) {
	s := compileSchema(t, filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	for _, r := range []*findings.Report{sample(), {}} {
		if err := validate(t, s, write(t, "sarif", r)); err != nil {
			t.Errorf("SARIF output does not match the 2.1.0 schema: %v", err)
		}
	}
	run := readSARIF(t, write(t, "sarif", sample()))
	seen := map[string]bool{}
	for _, res := range run.Results {
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result of %s points at rule %d, %s", res.RuleID, res.RuleIndex, run.Tool.Driver.Rules[res.RuleIndex].ID)
		}
		fp := res.PartialFingerprints[findings.SARIFFingerprint]
		if fp == "" || seen[fp] {
			t.Errorf("result of %s has fingerprint %q, empty or repeated", res.RuleID, fp)
		}
		seen[fp] = true
	}
}

// sarifRun is the part of a SARIF log's run that the tests read.
type sarifRun struct {
	Tool struct {
		Driver struct {
			Rules []struct {
				ID string `json:"id"`
			} `json:"rules"`
		} `json:"driver"`
	} `json:"tool"`
	Results []struct {
		RuleID              string `json:"ruleId"`
		RuleIndex           int    `json:"ruleIndex"`
		Level               string `json:"level"`
		Message             struct{ Text string }
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		Locations           []struct {
			PhysicalLocation struct {
				ArtifactLocation struct{ URI string }
				Region           *struct{ StartLine int }
			}
		}
	} `json:"results"`
}

// readSARIF decodes the one run of a SARIF log.
func readSARIF(t *testing.T, b []byte) sarifRun {
	t.Helper()
	var log struct{ Runs []sarifRun }
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	return log.Runs[0]
}

// TestSARIFLimit checks reports of more findings than GitHub code
// scanning takes: the errors are kept, then the warnings that fail the
// check (--strict), the others fill the rest, all in file order, and a
// note of a rule of its own counts what was left out, with the findings a
// left-out finding stands for.
func TestSARIFLimit(t *testing.T) {
	schema := compileSchema(t, filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	limit := findings.SARIFResults
	for _, tc := range []struct {
		name     string
		warnings int // first, then the errors
		errors   int
		omitted  int // the last finding stands for as many
		strict   bool
		note     string
	}{
		{name: "errors last", warnings: limit, errors: 10, note: "and 11 more findings not listed"},
		{name: "strict", warnings: limit + 50, errors: 50, strict: true, note: "and 101 more findings not listed"},
		{name: "a count left out", warnings: limit + 100, omitted: 5000, note: "and 5100 more findings not listed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := make([]stats.Finding, tc.warnings+tc.errors)
			for i := range fs {
				fs[i] = stats.Finding{Rule: "mirror", Severity: stats.Warning, Series: fmt.Sprint("s", i), Message: "gap",
					Rows: []stats.Pos{{File: "customs.csv", Line: 2 + i, Column: 24}}}
				if i >= tc.warnings {
					fs[i].Rule, fs[i].Severity = "turnover", stats.Error
				}
			}
			fs[len(fs)-1].Omitted = tc.omitted
			out := write(t, "sarif", &findings.Report{Findings: fs, Inputs: []string{"customs.csv"}, Strict: tc.strict})
			if err := validate(t, schema, out); err != nil {
				t.Errorf("SARIF output does not match the 2.1.0 schema: %v", err)
			}
			run := readSARIF(t, out)
			res := run.Results
			if len(res) != limit {
				t.Fatalf("%d results, want %d", len(res), limit)
			}
			errs, line := 0, 0
			for _, r := range res[:len(res)-1] {
				if r.Level == "error" {
					errs++
				}
				if l := r.Locations[0].PhysicalLocation.Region.StartLine; l <= line {
					t.Fatalf("result at line %d after line %d", l, line)
				} else {
					line = l
				}
			}
			note := res[len(res)-1]
			if errs != tc.errors || note.Level != "note" || note.RuleID != findings.SARIFOmitted ||
				run.Tool.Driver.Rules[note.RuleIndex].ID != findings.SARIFOmitted ||
				!strings.HasPrefix(note.Message.Text, tc.note) || note.Locations[0].PhysicalLocation.ArtifactLocation.URI != "customs.csv" {
				t.Errorf("%d errors kept, want %d; last result %+v, want %q", errs, tc.errors, note, tc.note)
			}
		})
	}
}

// TestJUnit reads the JUnit output as a test reporter does.
type junitReport struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			File      string `xml:"file,attr"`
			Line      int    `xml:"line,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnit(t *testing.T) {
	tests := []struct {
		name                      string
		strict                    bool
		wantFailures, wantSkipped int
		wantTests                 int
	}{
		{name: "warnings skipped", wantFailures: 5, wantSkipped: 2, wantTests: 7 + 2},
		{name: "strict: warnings fail", strict: true, wantFailures: 7, wantSkipped: 0, wantTests: 7 + 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := sample()
			r.Strict = tc.strict
			var got junitReport
			if err := xml.Unmarshal(write(t, "junit", r), &got); err != nil {
				t.Fatalf("JUnit output is not XML: %v", err)
			}
			s := got.Suites[0]
			if got.Tests != tc.wantTests || s.Tests != tc.wantTests || s.Failures != tc.wantFailures || got.Failures != tc.wantFailures || s.Skipped != tc.wantSkipped {
				t.Errorf("tests %d/%d, failures %d/%d, skipped %d; want %d, %d, %d", got.Tests, s.Tests, got.Failures, s.Failures, s.Skipped, tc.wantTests, tc.wantFailures, tc.wantSkipped)
			}
			names := map[string]bool{}
			failures, skipped := 0, 0
			for _, c := range s.Cases {
				if names[c.Name] {
					t.Errorf("test case name %q repeats", c.Name)
				}
				names[c.Name] = true
				if !strings.HasPrefix(c.Classname, "report.") {
					t.Errorf("test case %q has classname %q", c.Name, c.Classname)
				}
				if c.Failure != nil {
					failures++
					if c.Failure.Message == "" || c.Failure.Text == "" || c.File == "" {
						t.Errorf("failure %q without message, text or file: %+v", c.Name, c)
					}
				}
				if c.Skipped != nil {
					skipped++
				}
			}
			if failures != tc.wantFailures || skipped != tc.wantSkipped {
				t.Errorf("%d failed and %d skipped cases; want %d and %d", failures, skipped, tc.wantFailures, tc.wantSkipped)
			}
		})
	}
}

// githubLine is a workflow command: ::command key=value,…::message.
var githubLine = regexp.MustCompile(`^::(error|warning|notice) ([^:]*)::(.*)$`)

func unescapeGitHub(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}

type annotation struct {
	command, file, title, message string
	line, col                     int
}

func parseGitHub(t *testing.T, out []byte) []annotation {
	t.Helper()
	var got []annotation
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := githubLine.FindStringSubmatch(sc.Text())
		if m == nil {
			t.Fatalf("not a workflow command: %q", sc.Text())
		}
		a := annotation{command: m[1], message: unescapeGitHub(m[3])}
		for _, kv := range strings.Split(m[2], ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				t.Fatalf("property %q without a value in %q", kv, sc.Text())
			}
			v = unescapeGitHub(v)
			switch k {
			case "file":
				a.file = v
			case "line":
				a.line, _ = strconv.Atoi(v)
			case "col":
				a.col, _ = strconv.Atoi(v)
			case "title":
				a.title = v
			default:
				t.Fatalf("unknown property %q", k)
			}
		}
		got = append(got, a)
	}
	return got
}

// TestGitHub parses the workflow commands back.
func TestGitHub(t *testing.T) {
	r := sample()
	got := parseGitHub(t, write(t, "github", r))
	if len(got) != len(r.Findings) {
		t.Fatalf("%d annotations; want %d", len(got), len(r.Findings))
	}
	// Failing findings come first.
	// Failing findings come first, those in the data before those in the
	// rules file.
	var want []annotation
	for _, failing := range []bool{true, false} {
		for _, inData := range []bool{true, false} {
			for _, f := range r.Findings {
				p := f.Pos()
				if (f.Severity == stats.Error) != failing || (p.File == "data/trade.csv") != inData {
					continue
				}
				title := f.Rule
				if f.Series != "" {
					title += ": " + f.Series
				}
				want = append(want, annotation{command: f.Severity.String(), file: p.File, line: p.Line, col: p.Column,
					title: title, message: strings.TrimPrefix(f.Text(), p.String()+": "+f.Severity.String()+": ")})
			}
		}
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(annotation{})); diff != "" {
		t.Errorf("annotations mismatch (-want +got):\n%s", diff)
	}
}

// TestGitHubLimit checks that at most 10 errors and 10 warnings are
// annotated and the rest counted.
func TestGitHubLimit(t *testing.T) {
	r := &findings.Report{}
	for i := range 25 {
		sev := stats.Error
		if i%2 == 1 {
			sev = stats.Warning
		}
		r.Findings = append(r.Findings, stats.Finding{Rule: "turnover", Severity: sev, Series: fmt.Sprint("s", i),
			Rows: []stats.Pos{{File: "t.csv", Line: i + 2, Column: 1}}, Message: "m"})
	}
	count := map[string]int{}
	got := parseGitHub(t, write(t, "github", r))
	for _, a := range got {
		count[a.command]++
	}
	if want := map[string]int{"error": 10, "warning": 10, "notice": 1}; !cmp.Equal(want, count) {
		t.Errorf("commands %v; want %v", count, want)
	}
	if last := got[len(got)-1]; !strings.Contains(last.message, "3 errors and 2 warnings more") {
		t.Errorf("last line %q; want it to count 3 errors and 2 warnings more", last.message)
	}
}

// TestGitLab reads the Code Quality report back and checks that
// fingerprints are unique and do not depend on line numbers.
func TestGitLab(t *testing.T) {
	type issue struct {
		Description string `json:"description"`
		CheckName   string `json:"check_name"`
		Fingerprint string `json:"fingerprint"`
		Severity    string `json:"severity"`
		Location    struct {
			Path  string `json:"path"`
			Lines struct {
				Begin int `json:"begin"`
			} `json:"lines"`
		} `json:"location"`
	}
	read := func(r *findings.Report) []issue {
		var got []issue
		if err := json.Unmarshal(write(t, "gitlab", r), &got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	r := sample()
	got := read(r)
	seen := map[string]bool{}
	for i, g := range got {
		if seen[g.Fingerprint] || g.Fingerprint == "" {
			t.Errorf("issue %d: fingerprint %q empty or repeated", i, g.Fingerprint)
		}
		seen[g.Fingerprint] = true
		if g.CheckName != r.Findings[i].Rule || g.Location.Path == "" || g.Location.Lines.Begin < 1 ||
			!slices.Contains([]string{"major", "minor"}, g.Severity) || g.Description == "" {
			t.Errorf("issue %d: %+v", i, g)
		}
	}
	shifted := sample()
	for i := range shifted.Findings {
		for j := range shifted.Findings[i].Rows {
			shifted.Findings[i].Rows[j].Line += 3
		}
	}
	for i, g := range read(shifted) {
		if g.Fingerprint != got[i].Fingerprint {
			t.Errorf("issue %d: fingerprint changed when the lines moved", i)
		}
	}
}

func TestUnknownFormat(t *testing.T) {
	err := findings.Write(&bytes.Buffer{}, "yaml", sample())
	if !errors.Is(err, findings.ErrUnknownFormat) {
		t.Errorf("Write(yaml) error %v; want ErrUnknownFormat", err)
	}
}
