package findings

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/tradedesk/report/stats"
)

// writeJUnitWhole writes the suite of WriteJUnit as it was written before
// it streamed: the whole document built, then encoded at once. The
// streamed output must be the same bytes.
func writeJUnitWhole(w io.Writer, r *Report) error {
	type suiteT struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Skipped  int         `xml:"skipped,attr"`
		Cases    []junitCase `xml:"testcase"`
	}
	type suitesT struct {
		XMLName  xml.Name `xml:"testsuites"`
		Name     string   `xml:"name,attr"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Errors   int      `xml:"errors,attr"`
		Skipped  int      `xml:"skipped,attr"`
		Suites   []suiteT `xml:"testsuite"`
	}
	js := newJUnitSuite(r)
	suite := suiteT{Name: js.name, Tests: js.tests, Failures: js.failures, Skipped: js.skipped, Cases: slices.Collect(js.cases())}
	out := suitesT{Name: "report check", Tests: suite.Tests, Failures: suite.Failures, Skipped: suite.Skipped, Suites: []suiteT{suite}}
	io.WriteString(w, xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// TestJUnitStreamed compares the streamed JUnit report with the whole one
// on random reports: no rules, rules that all pass, findings of every
// severity with text that XML must escape, strict or not.
func TestJUnitStreamed(t *testing.T) {
	texts := []string{"KAZ–ARM turnover 2023", `a < b & "c" > 'd'`, "line\nbreak\ttab", "café ✓", "]]>", ""}
	rules := []string{"turnover", "additivity", "mirror", "custom-1"}
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 7))
		pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
		r := &Report{Strict: rng.IntN(2) == 0}
		for range rng.IntN(3) {
			r.Inputs = append(r.Inputs, pick(texts)+".csv")
		}
		for _, id := range rules[:rng.IntN(len(rules)+1)] {
			r.Rules = append(r.Rules, Rule{ID: id, Severity: stats.Severity(rng.IntN(2)), Description: pick(texts)})
		}
		n := rng.IntN(40)
		if seed == 0 {
			// Nothing at all: no rule ran and nothing was found.
			r.Inputs, r.Rules, n = nil, nil, 0
		}
		for range n {
			f := stats.Finding{Rule: pick(rules), Severity: stats.Severity(rng.IntN(2)), Series: pick(texts), Message: pick(texts)}
			for range rng.IntN(3) {
				f.Rows = append(f.Rows, stats.Pos{File: pick(texts) + ".csv", Line: rng.IntN(100), Column: rng.IntN(9)})
			}
			r.Findings = append(r.Findings, f)
		}
		stats.SortFindings(r.Findings)
		var want, got bytes.Buffer
		if err := writeJUnitWhole(&want, r); err != nil {
			t.Fatal(err)
		}
		if err := WriteJUnit(&got, r); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("seed %d: streamed JUnit differs:\n%s", seed, diffLines(want.String(), got.String()))
		}
	}
}

// diffLines shows the first line where a and b differ.
func diffLines(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range max(len(al), len(bl)) {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, x, y)
		}
	}
	return "same lines"
}
