// Package findings writes the findings of a check in the formats that
// people and CI systems read: text lines, versioned JSON, JUnit XML, GitHub
// workflow commands and a Markdown summary, GitLab Code Quality and SARIF
// 2.1.0.
//
// Every writer takes a [Report] and writes to an io.Writer; none of them
// prints, reads the environment or the clock, and the same Report always
// gives the same bytes.
package findings

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tradedesk/report/stats"
)

// Report is the result of one check: the findings and what the formats say
// about the run.
type Report struct {
	// Findings are the findings, sorted with [stats.SortFindings]; the
	// writers do not modify them.
	Findings []stats.Finding
	// Inputs are the names of the data files checked, in order.
	Inputs []string
	// Observations is the number of observations checked.
	Observations int
	// Rules are the rules that ran: the enabled built-in rules, then the
	// rules of the rules file.
	Rules []Rule
	// RulesFile is the name of the rules file used, or "".
	RulesFile string
	// Strict says that warnings fail the check too.
	Strict bool
	// ToolVersion names the build of the tool that checked, or "".
	ToolVersion string
}

// Rule describes a rule that ran.
type Rule struct {
	ID          string
	Severity    stats.Severity // the default grade
	Description string
	// Pos is where a rule of a rules file is defined; the zero Pos for a
	// built-in rule.
	Pos stats.Pos
}

// Failed reports whether the check fails: an error, or a warning under
// Strict.
func (r *Report) Failed() bool {
	errs, warns := stats.Count(r.Findings)
	return errs > 0 || (r.Strict && warns > 0)
}

// fails reports whether f fails the check.
func (r *Report) fails(f *stats.Finding) bool {
	return f.Severity == stats.Error || r.Strict
}

// counts returns the number of built-in rules and of rules-file rules.
func (r *Report) counts() (builtin, file int) {
	for _, ru := range r.Rules {
		if ru.Pos == (stats.Pos{}) {
			builtin++
		} else {
			file++
		}
	}
	return builtin, file
}

// ErrUnknownFormat is returned by [Write] for a format it does not know.
var ErrUnknownFormat = errors.New("unknown format")

// Formats returns the names of the formats [Write] knows, in the order the
// documentation lists them.
func Formats() []string {
	return []string{"text", "json", "junit", "github", "gitlab", "sarif"}
}

// Write writes r to w in the named format: text, json, junit, github,
// gitlab or sarif. An unknown name gives an error wrapping
// [ErrUnknownFormat]; other errors are w's.
func Write(w io.Writer, format string, r *Report) error {
	switch format {
	case "text":
		return WriteText(w, r)
	case "json":
		return WriteJSON(w, r)
	case "junit":
		return WriteJUnit(w, r)
	case "github":
		return WriteGitHub(w, r)
	case "gitlab":
		return WriteGitLab(w, r)
	case "sarif":
		return WriteSARIF(w, r)
	}
	return fmt.Errorf("%w %q: use %s", ErrUnknownFormat, format, strings.Join(Formats(), ", "))
}

// WriteText writes each finding as a line in the GNU style that editors
// read ([stats.Finding.Text]), then a summary line:
//
//	checked 11 observations from data/trade.csv with 9 rules and 6 from data/rules.yaml: no errors, no warnings
func WriteText(w io.Writer, r *Report) error {
	// Line by line: a million findings must not become one string first.
	bw := bufio.NewWriterSize(w, 64<<10)
	// Each line is made in one buffer, reused: a world total names the
	// rows of its 245 partners, 7 KB, and a report may have thousands of
	// them.
	var line []byte
	for i := range r.Findings {
		line, _ = r.Findings[i].AppendText(slices.Grow(line[:0], r.Findings[i].TextLen()))
		bw.Write(append(line, '\n'))
	}
	bw.WriteString(Summary(r))
	bw.WriteByte('\n')
	return bw.Flush()
}

// Summary returns the one-line summary of a check that [WriteText] ends
// with, without a newline.
func Summary(r *Report) string {
	errs, warns := stats.Count(r.Findings)
	builtin, file := r.counts()
	rules := plural(builtin, "rule")
	if r.RulesFile != "" {
		rules += fmt.Sprintf(" and %d from %s", file, r.RulesFile)
	}
	return fmt.Sprintf("checked %s from %s with %s: %s, %s",
		plural(r.Observations, "observation"), strings.Join(r.Inputs, ", "), rules, plural(errs, "error"), plural(warns, "warning"))
}

func plural(n int, word string) string {
	switch n {
	case 0:
		return "no " + word + "s"
	case 1:
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// ruleList returns the rules of r, adding any rule a finding names
// that r.Rules lacks, so that every finding has its rule.
func (r *Report) ruleList() []Rule {
	out := slices.Clone(r.Rules)
	for _, f := range r.Findings {
		if !slices.ContainsFunc(out, func(x Rule) bool { return x.ID == f.Rule }) {
			out = append(out, Rule{ID: f.Rule, Severity: f.Severity})
		}
	}
	return out
}

// uniqueNames returns, for each finding, a name unique in the report: its
// rule, series and place, with #2, #3 … for repeats.
func uniqueNames(fs []stats.Finding) []string {
	seen := map[string]int{}
	out := make([]string, len(fs))
	for i := range fs {
		f := &fs[i]
		name := f.Rule
		if f.Series != "" {
			name += ": " + f.Series
		}
		if p := f.Pos(); p.File != "" {
			name += " (" + p.String() + ")"
		}
		seen[name]++
		if n := seen[name]; n > 1 {
			name += fmt.Sprintf(" #%d", n)
		}
		out[i] = name
	}
	return out
}
