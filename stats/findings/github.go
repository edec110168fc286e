package findings

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tradedesk/report/stats"
)

// GitHubAnnotations is the number of errors, and separately of warnings,
// that [WriteGitHub] writes as workflow commands: GitHub shows only the
// first 10 of each per step.
const GitHubAnnotations = 10

// WriteGitHub writes the findings as GitHub Actions workflow commands,
//
//	::error file=data/trade.csv,line=4,col=23,title=turnover: KAZ–ARM turnover 2023::KAZ–ARM turnover 2023 is 53.4, but …
//
// which GitHub shows as annotations on the lines of the pull request.
// Findings that fail the check come first, then the others, and within
// each those whose row is in a data file before those in the rules file;
// the first
// [GitHubAnnotations] errors and as many warnings are annotated, and one
// ::notice line counts the rest, which the summary of [WriteMarkdown]
// lists. Property values and messages are escaped as the runner expects.
func WriteGitHub(w io.Writer, r *Report) error {
	var b strings.Builder
	order := make([]*stats.Finding, len(r.Findings))
	for i := range r.Findings {
		order[i] = &r.Findings[i]
	}
	// Most useful first: what fails the check before what does not, and
	// figures in the data before claims of the rules file.
	rank := func(f *stats.Finding) int {
		n := 0
		if !r.fails(f) {
			n += 2
		}
		if !slices.Contains(r.Inputs, f.Pos().File) {
			n++
		}
		return n
	}
	slices.SortStableFunc(order, func(a, b *stats.Finding) int { return cmp.Compare(rank(a), rank(b)) })
	var shown [stats.Error + 1]int
	var left [stats.Error + 1]int
	for _, f := range order {
		if shown[f.Severity] >= GitHubAnnotations {
			left[f.Severity]++
			continue
		}
		shown[f.Severity]++
		cmd := "warning"
		if f.Severity == stats.Error {
			cmd = "error"
		}
		b.WriteString("::" + cmd)
		var props []string
		if p := f.Pos(); p.File != "" {
			props = append(props, "file="+escapeProperty(p.File))
			if p.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", p.Line))
			}
			if p.Column > 0 {
				props = append(props, fmt.Sprintf("col=%d", p.Column))
			}
		}
		title := f.Rule
		if f.Series != "" {
			title += ": " + f.Series
		}
		props = append(props, "title="+escapeProperty(title))
		b.WriteString(" " + strings.Join(props, ","))
		b.WriteString("::" + escapeData(githubMessage(f)) + "\n")
	}
	if n := left[stats.Error] + left[stats.Warning]; n > 0 {
		fmt.Fprintf(&b, "::notice title=report check::%s\n",
			escapeData(fmt.Sprintf("%s and %s more are not annotated; the job summary lists every finding",
				plural(left[stats.Error], "error"), plural(left[stats.Warning], "warning"))))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// githubMessage is the finding's line without the place and the severity,
// which the annotation carries.
func githubMessage(f *stats.Finding) string {
	text := f.Text()
	if p := f.Pos().String(); p != "" {
		text = strings.TrimPrefix(text, p+": ")
	}
	return strings.TrimPrefix(text, f.Severity.String()+": ")
}

func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// WriteMarkdown writes the report as Markdown for a GitHub job summary
// ($GITHUB_STEP_SUMMARY): a heading with the verdict and a table of every
// finding, with its place, rule, series, message and numbers.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	errs, warns := stats.Count(r.Findings)
	verdict := "passed"
	if r.Failed() {
		verdict = "failed"
	}
	fmt.Fprintf(&b, "### report check %s: %s, %s\n\n", verdict, plural(errs, "error"), plural(warns, "warning"))
	b.WriteString(mdEscape(Summary(r)) + "\n")
	if len(r.Findings) > 0 {
		b.WriteString("\n| | Where | Rule | Series | Message | Expected | Actual | Difference | Tolerance |\n")
		b.WriteString("|---|---|---|---|---|---:|---:|---:|---:|\n")
		for i := range r.Findings {
			f := &r.Findings[i]
			icon := "⚠️"
			if f.Severity == stats.Error {
				icon = "❌"
			}
			var nums [4]string
			if f.Numbers {
				nums = [4]string{f.Format(f.Expected), f.Format(f.Actual), f.Format(f.Difference),
					strings.TrimSpace(fmt.Sprintf("%.*f", f.Decimals+1, f.Tolerance))}
			}
			fmt.Fprintf(&b, "| %s %s | `%s` | %s | %s | %s | %s | %s | %s | %s |\n", icon, f.Severity,
				mdEscape(f.Pos().String()), mdEscape(f.Rule), mdEscape(f.Series), mdEscape(f.Message),
				nums[0], nums[1], nums[2], nums[3])
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "`", "'").Replace(s)
}
