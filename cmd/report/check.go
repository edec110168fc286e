package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tradedesk/report/data"
	"github.com/tradedesk/report/internal/atomicfile"
	"github.com/tradedesk/report/internal/limitread"
	"github.com/tradedesk/report/stats"
	"github.com/tradedesk/report/stats/findings"
	"github.com/tradedesk/report/stats/rules"
)

func init() { subcommands = append(subcommands, newCheckCmd) }

type checkFlags struct {
	input    inputFlags
	strict   bool
	formats  []string
	previous string
}

func newCheckCmd(e *env) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check [flags] [FILE...]",
		Short: "Check the figures against each other; exit 1 when a check fails",
		Long: `check loads the files (CSV, or CSV compressed with gzip, zstd, bzip2 or xz,
or a zip archive of one CSV file, which are decompressed first into a
temporary file; "-" is standard input, not decompressed; without a file,
data/trade.csv or the built-in seed data) and runs every consistency rule,
then the rules and claims of the rules file: --rules FILE, else rules.yaml
next to the first file when it exists (--no-rules: none).

Files are checked a calendar year at a time, in memory that grows with the
series of a year rather than with the rows: several files are read in
turn as one when each goes on from the year the one before ends with (a
file a year); rows not in year order are first written a year to a
temporary file; standard input is copied to one in $TMPDIR as it is read,
to read years again (in /var/tmp rather than a /tmp in memory, when TMPDIR
is not set; in a TMPDIR in memory, they count against the memory
available). The findings are those of loading them whole, which is
done for a rules file with rules of its own, or a period that spans years.
The check keeps to the memory available (the system's, or a container's
limit): a year whose rows would not fit stops it with exit status 2, and
so do findings to list that would not (--max-findings 0 with most rows
wrong).
--previous compares the files with the previous release a year at a time
too, through temporary files. At most --max-findings findings of each
built-in rule are listed, the first in file order; a last one counts the
others.

Each finding is printed as file:line:column: severity: message [rule].
--format NAME[=PATH] writes the findings as text, json, junit, github, gitlab
or sarif, to PATH (replaced whole, never left half-written) or to standard
output (no PATH, -, /dev/stdout); repeat it for several formats. Under
GitHub Actions (GITHUB_ACTIONS=true) without --format, the text is followed
by workflow commands that annotate the lines, and the full table goes to
$GITHUB_STEP_SUMMARY.

Exit status: 0 when no check fails (warnings allowed unless --strict), 1 when
one does, 2 when a file cannot be read, the rules file is wrong or the
memory is too little, 3 for an internal error.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			stdinUnread(e, args)
			checkGC()
			outs, err := parseFormats(e, f.formats)
			if err != nil {
				return err
			}
			for _, o := range outs {
				if err := refuseInputAsOutput(e, "--format "+o.format+"="+o.path, o.path, inputPaths(args, &f.input, f.previous)); err != nil {
					return err
				}
			}
			if f.previous == "-" && slices.Contains(args, "-") {
				return usageError("standard input (-) is given as --previous and as data: it can be read once")
			}
			if f.previous != "" {
				// The files are read again to be compared with the
				// previous release: the bytes must be those checked.
				e.reads = newRereadLog()
			}
			c, err := streamChecked(e, args, &f.input, f.previous == "")
			if c == nil && err == nil {
				e.reads = nil
				c, err = loadChecked(e, args, &f.input)
			}
			if err != nil {
				return err
			}
			if f.previous != "" {
				// The data are read again, to be compared with the
				// previous release a year at a time, unless they were
				// loaded whole.
				revs, err := compareReleases(e, []string{f.previous}, args, c.ds, &f.input, stats.Tolerance{}, false)
				if err != nil {
					return err
				}
				c.findings = append(c.findings, stats.RevisionFindings(revs)...)
				stats.SortFindings(c.findings)
			}
			rep := newReport(c.files, c.observations, c.rules, c.findings, f.strict)
			if err := writeOutputs(e, outs, rep); err != nil {
				return err
			}
			return verdict(c.findings, f.strict)
		},
	}
	f.input.register(cmd)
	cmd.Flags().BoolVar(&f.strict, "strict", false, "fail on warnings too")
	cmd.Flags().StringVar(&f.previous, "previous", "", "the previous release (CSV): a figure it published that this one revises without a note is an error")
	cmd.Flags().StringArrayVar(&f.formats, "format", nil, "output format NAME[=PATH]: "+strings.Join(findings.Formats(), ", ")+"; repeatable; default text to standard output")
	return cmd
}

// resolveRules reads the rules file: the named one, else rules.yaml next to
// the first data file when it exists, else (checking the built-in seed data)
// the built-in seed rules. It returns nil when there is none. A rules file
// that cannot be read or is wrong is a usage-class error (exit 2).
func resolveRules(e *env, flag string, names []string) (*rules.File, error) {
	if flag != "" {
		return loadRules(e, flag)
	}
	if len(names) == 0 {
		if _, err := os.Stat(defaultInput); err != nil {
			rf, err := rules.Parse(data.RulesYAML, data.RulesName+" (built in)")
			if err != nil {
				return nil, &exitError{code: exitInternal, err: err}
			}
			return rf, nil
		}
		names = []string{defaultInput}
	}
	if names[0] == "-" {
		// Standard input has no folder to find one in: a rules.yaml here
		// is said not to be read, or a CI job piping its data would pass
		// without checking the claims it holds.
		if _, err := os.Stat("rules.yaml"); err == nil && e != nil && e.stderr != nil {
			fmt.Fprintln(e.stderr, "report: rules.yaml is not read for standard input (it is read next to a file named); give --rules rules.yaml to check its rules and claims, or --no-rules")
		}
		return nil, nil
	}
	path := filepath.Join(filepath.Dir(names[0]), "rules.yaml")
	if _, err := os.Stat(path); err != nil {
		return nil, nil
	}
	return loadRules(e, path)
}

// loadRules reads and parses the rules file at path, through the read log
// when there is one, so that a workbook gives the hash of the bytes that
// were parsed (see readLog). Every error is a usage-class error (exit 2)
// that names the file, line and column.
func loadRules(e *env, path string) (*rules.File, error) {
	rf, err := readRules(e, path)
	if err != nil {
		var pe *stats.ParseError
		if errors.As(err, &pe) {
			return nil, &exitError{code: exitUsage, err: err}
		}
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("cannot read rules file %s: %w", path, unwrapPath(err))}
	}
	return rf, nil
}

// readRules reads the rules file at path, through e.reads when it is set,
// and parses it; its errors are those of [rules.ParseFile].
func readRules(e *env, path string) (*rules.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if e.reads != nil {
		if r, err = e.reads.wrap(path, f); err != nil {
			return nil, err
		}
	}
	b, err := limitread.ReadAll(r, limitread.MaxConfig)
	if err != nil {
		return nil, err
	}
	return rules.Parse(b, path)
}

// runChecks runs the built-in rules with cfg, and the rules file's own
// rules; rf may be nil.
func runChecks(ds *stats.Dataset, rf *rules.File, cfg *stats.Config) []stats.Finding {
	return explainOmitted(rf.CheckWith(ds, cfg))
}

// newReport describes a check for the output formats.
func newReport(files []string, observations int, rf *rules.File, fs []stats.Finding, strict bool) *findings.Report {
	rep := &findings.Report{Findings: fs, Inputs: files, Observations: observations, Strict: strict, ToolVersion: toolVersion()}
	cfg := rf.Config()
	for _, ri := range stats.Rules() {
		rc := cfg.Rules[ri.ID]
		if rc.Disabled {
			continue
		}
		sev := ri.Severity
		if rc.Severity != 0 {
			sev = rc.Severity
		}
		rep.Rules = append(rep.Rules, findings.Rule{ID: ri.ID, Severity: sev, Description: ri.Description})
	}
	if rf != nil {
		rep.RulesFile = rf.Name
		for _, r := range rf.Rules {
			rep.Rules = append(rep.Rules, findings.Rule{ID: r.ID, Severity: r.Severity, Description: r.Description, Pos: r.Pos})
		}
	}
	return rep
}

// writeReport writes the findings of c as the default run shows them: text
// on standard output, followed under GitHub Actions by workflow commands
// and a job summary.
func writeReport(e *env, c *checked, strict bool) error {
	outs, err := parseFormats(e, nil)
	if err != nil {
		return err
	}
	return writeOutputs(e, outs, newReport(c.files, c.observations, c.rules, c.findings, strict))
}

// output is one --format: a format and the path to write it to, "" for
// standard output.
type output struct {
	format, path string
}

// parseFormats reads the --format flags. Without any, the output is text
// on standard output, followed by GitHub workflow commands under GitHub
// Actions.
func parseFormats(e *env, flags []string) ([]output, error) {
	if len(flags) == 0 {
		outs := []output{{format: "text"}}
		if e.getenv("GITHUB_ACTIONS") == "true" {
			outs = append(outs, output{format: "github"})
		}
		return outs, nil
	}
	var outs []output
	stdout := ""
	for _, fl := range flags {
		name, path, _ := strings.Cut(fl, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		if err := findings.Write(io.Discard, name, &findings.Report{}); errors.Is(err, findings.ErrUnknownFormat) {
			return nil, usageError("--format %q: use %s, optionally with =PATH", fl, strings.Join(findings.Formats(), ", "))
		}
		if path == "" || e.isStdout(path) {
			// /dev/stdout too: written through its path, the format
			// would go out before what is buffered for standard
			// output, or under it. Text and workflow commands mix
			// well in a GitHub log; other formats on one stream would
			// not parse.
			mixable := (stdout == "text" && name == "github") || (stdout == "github" && name == "text")
			if stdout != "" && !mixable {
				return nil, usageError("--format: %s and %s both go to standard output; give one of them a path, as in --format %s=findings.%s", stdout, name, name, name)
			}
			if stdout == "" {
				stdout = name
			}
			path = ""
		}
		outs = append(outs, output{format: name, path: path})
	}
	return outs, nil
}

// writeOutputs writes the report in every format asked for. A file is
// written whole to a temporary file and renamed into place, so that a
// failed run leaves the previous one as it was. When the github format is
// written and GITHUB_STEP_SUMMARY names a file, the Markdown summary is
// appended to it.
func writeOutputs(e *env, outs []output, rep *findings.Report) error {
	github := false
	for _, o := range outs {
		github = github || o.format == "github"
		if o.path == "" {
			if err := writeFormat(e.stdout, o.format, rep, "standard output"); err != nil {
				return err
			}
			continue
		}
		// A file is written whole or not at all: through a temporary
		// file renamed into place.
		t, err := atomicfile.Create(o.path, atomicfile.Options{Perm: 0o644, KeepPerm: true})
		if err != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("write %s: %w", o.path, unwrapPath(err))}
		}
		err = writeFormat(t, o.format, rep, o.path)
		if err == nil {
			if err = t.Commit(); err != nil {
				err = &exitError{code: exitUsage, err: fmt.Errorf("write %s: %w", o.path, unwrapPath(err))}
			}
		}
		t.Cleanup()
		if err != nil {
			return err
		}
	}
	if path := e.getenv("GITHUB_STEP_SUMMARY"); github && path != "" {
		var buf bytes.Buffer
		if err := findings.WriteMarkdown(&buf, rep); err != nil {
			return &exitError{code: exitInternal, err: err}
		}
		// The summary file is shared by the steps of a job: append.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("GITHUB_STEP_SUMMARY: %w", err)}
		}
		_, werr := f.Write(buf.Bytes())
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("GITHUB_STEP_SUMMARY: %w", werr)}
		}
	}
	return nil
}

// writeFormat writes the report in a format to w as it is made: some
// formats of many findings run to hundreds of megabytes, which are not
// held in memory. An error of w is a usage-class error that names name;
// any other is internal.
func writeFormat(w io.Writer, format string, rep *findings.Report, name string) error {
	ew := &errWriter{w: w}
	bw := bufio.NewWriterSize(ew, 64<<10)
	err := findings.Write(bw, format, rep)
	if err == nil {
		err = bw.Flush()
	}
	switch {
	case ew.err != nil:
		return &exitError{code: exitUsage, err: fmt.Errorf("write %s: %w", name, unwrapPath(ew.err))}
	case err != nil:
		return &exitError{code: exitInternal, err: err}
	}
	return nil
}

// errWriter keeps the first error of w.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	if err != nil && e.err == nil {
		e.err = err
	}
	return n, err
}

// verdict maps findings to the exit code: 1 when there is an error, or a
// warning under --strict.
func verdict(fs []stats.Finding, strict bool) error {
	errs, warns := stats.Count(fs)
	if errs > 0 || (strict && warns > 0) {
		return &exitError{code: exitFindings}
	}
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if n == 0 {
		return "no " + word + "s"
	}
	return fmt.Sprintf("%d %ss", n, word)
}
