package main

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/tradedesk/report/data"
	"github.com/tradedesk/report/internal/tempfile"
	"github.com/tradedesk/report/reports"
	"github.com/tradedesk/report/stats"
	"github.com/tradedesk/report/stats/rules"
)

func init() { subcommands = append(subcommands, newXLSXCmd) }

type xlsxFlags struct {
	input    inputFlags
	asOf     asOfFlag
	period   string
	out      string
	force    bool
	images   bool
	dataOnly bool
}

func newXLSXCmd(e *env) *cobra.Command {
	var f xlsxFlags
	cmd := &cobra.Command{
		Use:   "xlsx [flags] [FILE...]",
		Short: "Write the workbook of a period: summary, series, data, checks, charts and sources",
		Long: `xlsx loads the files, runs the checks (as check does) and writes the
workbook (XLSX) of a period: the Summary (the period, a year before, the
change, the year to date), the Series with the derived figures as formulas,
the input rows on the Data sheets, the Checks, native Charts, and About (the
input files with their SHA-256, the rules, the rules file with its SHA-256
and its own rules, the sources, the tool version and the as-of time).

--images embeds the house-style PNG charts as well. They draw years and
the latest year to date: data by month or quarter alone has none to draw,
which standard error and the Charts sheet then say.

--period is a year (2023), a quarter (2024-Q3), a month (2024-07) or an
interval (2024-01/2024-07); without it, the latest quarter in the data, or
when the data has none, the latest year, month or interval of months. A
period of which the data has no figure (none of its rows with a value lies
within it), or whose rows make none of it (two months of a quarter, a stock
on a day of it), is refused, with the periods that have figures.
--out defaults to out/report-<period>.xlsx (an interval's slash written as
--). The workbook is written to a temporary file and renamed into place, so
a failed run leaves an earlier workbook as it was. --out - (or /dev/stdout,
or the file standard output is) writes the workbook to standard output, and
the line that says what was written to standard error.

The files are checked a year at a time when they allow it (see check),
then read again: whole (about 650 MB for a million rows) up to 2 million
rows and when that fits in the memory available; otherwise every row
once, for the Data sheets and what the other sheets count, then the rows
of a group of reporter–partner pairs at a time (at most 125,000 rows, or
half what the memory holds), for the Series and the Summary: the same
workbook, in the memory of a group (10 million rows: 33 s and 380 MB
rather than 42 s and 6 GB). The groups' rows are written once to temporary
files (about the size of the input; see check for where they go), or,
where those would be in the memory the process is limited to, read from
the files again for each group. Data whose checks find errors are refused in the
time and memory of the check. A file that changed since it was checked
writes nothing.

--data-only writes a workbook of the Data sheets alone (the input rows, each
with its file and line, a sheet for every 1,048,575 rows) to --out, by
default out/<name of the first file>.xlsx. The files are checked first, a
year at a time when they allow it (see check), then read again as the rows
are written, so that the memory does not grow with them.

It writes nothing from data whose checks find errors: it prints the findings
and exits 1, unless --force, which writes the workbook with a banner saying
that the checks failed.

Exit status: 0 when the workbook was written, 1 when a check fails, 2 for
bad flags, an unreadable input, an output that cannot be written or too
little memory for a year of the data, 3 for an internal error.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			stdinUnread(e, args)
			return runXLSX(e, &f, args)
		},
	}
	f.input.register(cmd)
	f.asOf.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.period, "period", "", "period of the workbook: 2024-Q3, 2023, 2024-07 or 2024-01/2024-07 (default: the latest quarter in the data)")
	fl.StringVarP(&f.out, "out", "o", "", "file to write (default out/report-<period>.xlsx)")
	fl.BoolVar(&f.force, "force", false, "write the workbook even when a check fails, with a banner saying so")
	fl.BoolVar(&f.images, "images", false, "embed the house-style PNG charts too, below the native ones")
	fl.BoolVar(&f.dataOnly, "data-only", false, "write the Data sheets alone, reading the rows from the files again as they are written: a workbook of millions of rows in little memory")
	return cmd
}

func runXLSX(e *env, f *xlsxFlags, args []string) error {
	if err := refuseInputAsOutput(e, typed(e.args, "out", "o")+" "+f.out, f.out, inputPaths(args, &f.input)); err != nil {
		return err
	}
	if f.dataOnly {
		return runDataXLSX(e, f, args)
	}
	var period stats.Period
	if f.period != "" {
		p, err := stats.ParsePeriod(strings.TrimSpace(f.period))
		if err != nil {
			return usageError("--period: %v", err)
		}
		period = p
	}
	asOf, err := f.asOf.resolve(e)
	if err != nil {
		return err
	}
	// The About sheet gives the SHA-256 of the bytes checked: the files
	// are checked a year at a time, then read again, and the readings
	// compared.
	e.reads = newReadLog(sha256.New)
	c, err := streamChecked(e, args, &f.input, false)
	if c == nil && err == nil {
		c, err = loadChecked(e, args, &f.input)
	}
	if err != nil {
		return err
	}
	if err := refuseErrors(e.findingsFor(f.out), c, f.force, "no workbook written"); err != nil {
		return err
	}
	errs, warns := stats.Count(c.findings)
	if errs > 0 {
		// Forced: the findings are printed, and the workbook carries a banner.
		if err := writeReport(e.findingsFor(f.out), c, false); err != nil {
			return err
		}
	}
	w := &reports.Workbook{Findings: c.findings, Period: period, Config: c.rules.Config(), Version: toolVersion(), AsOf: asOf, Images: f.images,
		Warn: func(msg string) { fmt.Fprintf(e.stderr, "report: --images: %s\n", msg) }}
	// failed is the error of reading the files again while the workbook
	// is written (a file changed since its check), which the writing
	// returns wrapped.
	var failed error
	if c.ds == nil {
		most, _ := rowsInMemory(e)
		if c.rows <= wholeRows(most) {
			if c.ds, err = loadWhole(e, args, &f.input, "no workbook written"); err != nil {
				return err
			}
		} else {
			done, err := groupRows(e, args, &f.input, c, w, most, &failed)
			if err != nil {
				return err
			}
			defer done()
		}
	}
	if c.ds != nil {
		w.Data = c.ds
		if w.Period.IsZero() {
			p, ok := reports.DefaultPeriod(c.ds)
			if !ok {
				return usageError("no period to report on: the data has no flows by year, quarter or month; give one with --period")
			}
			w.Period = p
		} else if err := reports.CheckPeriod(c.ds, w.Period); err != nil {
			return usageError("--period: %v", err)
		}
	}
	if w.Inputs, err = hashInputs(e, w.Data.Files); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if w.RulesFile, err = rulesFileOf(e, c.rules); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	out := f.out
	if out == "" {
		out = filepath.Join("out", reports.FileName(w.Period))
	}
	status, name, err := writeWorkbook(e, out, w, func() error { return reports.WriteFile(out, w) })
	switch {
	case err == nil:
	case failed != nil:
		return failed
	case errors.Is(err, reports.ErrNoFigures) && f.period != "":
		// The period has rows, none of which makes a figure of it.
		return usageError("--period: %v", errors.Unwrap(err))
	case errors.Is(err, reports.ErrNoFigures):
		return usageError("no workbook written: %v", errors.Unwrap(err))
	default:
		return &exitError{code: exitUsage, err: err}
	}
	fmt.Fprintf(status, "wrote %s: %s, %s from %s; %s, %s\n", name, w.Period, plural(c.observations, "observation"),
		strings.Join(w.Data.Files, ", "), plural(errs, "error"), plural(warns, "warning"))
	return nil
}

// writeWorkbook writes the workbook w to out with save (reports.WriteFile
// or WriteDataFile: through a temporary file renamed into place), or to
// standard output when out names it (see env.isStdout). It returns where
// the line that says what was written goes, and the name to give out
// there: standard output and out after a file; standard error and
// "standard output" after the workbook itself, which a line on standard
// output would follow into the pipe, or overwrite at the start of the file
// the shell opened. The parts of a workbook go to standard output only
// once they are all made (see reports.Workbook.WriteTo), so that a run
// that fails before then writes nothing there. The error says what could
// not be written.
func writeWorkbook(e *env, out string, w io.WriterTo, save func() error) (status io.Writer, name string, err error) {
	if !e.isStdout(out) {
		if err := save(); err != nil {
			return nil, out, fmt.Errorf("write %s: %w", out, unwrapPath(err))
		}
		return e.stdout, out, nil
	}
	name = "standard output"
	_, err = w.WriteTo(e.stdout)
	if f, ok := e.stdout.(interface{ Flush() error }); ok && err == nil {
		// Told now, where the flush at the end of the run is not.
		err = f.Flush()
	}
	if err != nil {
		return nil, name, fmt.Errorf("write %s: %w", name, unwrapPath(err))
	}
	return e.stderr, name, nil
}

// maxWholeRows is the most rows a workbook, or the built-in charts (see
// builtInData), are made of held whole: beyond it the workbook's groups of
// pairs are faster, in a fraction of the memory. The
// synthetic 10M rows took 42–62 s and 6.1 GB held whole; in groups of at
// most 1M, 500k, 250k and 125k rows, 38.2, 32.8, 30.6 and 29.6 s, and
// 1.89, 1.11, 0.76 and 0.53 GB. Its 1M rows take 3.6–3.8 s and 635 MB
// held whole, 4.8 s and 550 MB in groups: every row is read four times.
// Tests lower it.
var maxWholeRows = 2_000_000

// maxGroupRows is the most rows of a group of pairs (see groupRows).
const maxGroupRows = 125_000

// wholeRows returns the most rows held whole when the memory holds most
// rows (0 when not known): most, and at most maxWholeRows.
func wholeRows(most int) int { return min(cmp.Or(most, maxWholeRows), maxWholeRows) }

// groupSize returns the most rows of a group of pairs when the memory
// holds most rows (0 when not known): half of most, and at most
// maxGroupRows.
func groupSize(most int) int {
	if most > 0 {
		return max(min(most/2, maxGroupRows), 1)
	}
	return maxGroupRows
}

// rowsInMemory returns the most rows that data loaded whole may have, at
// bytesPerRow, in the memory available, and that memory; 0, 0 when it is
// not known.
func rowsInMemory(e *env) (rows int, free int64) {
	if e.memory == nil {
		return 0, 0
	}
	free, ok := e.memory()
	if !ok {
		return 0, 0
	}
	return int(max(free/bytesPerRow, 1)), free
}

// groupRows makes w a workbook of the named files, checked as c says,
// made a group of pairs at a time (see reports.Workbook.Rows) of at most
// half of most rows (the rows the memory holds, 0 when not known) and
// maxGroupRows: every row read again once, for the Data sheets and
// what the other sheets count, then the rows of each group of pairs, for
// the Series and the Summary (see groupFiles). Without --period, the
// default period is found by reading the rows once more; with it, they
// are read until a figure of the period is found. An error of those
// readings is kept in *failed. done removes the files of the groups.
func groupRows(e *env, names []string, f *inputFlags, c *checked, w *reports.Workbook, most int, failed *error) (done func(), err error) {
	opts, err := f.options()
	if err != nil {
		return nil, err
	}
	const what = "no workbook written"
	// rows reads the rows again; count, when not nil, counts them by pair.
	// The workbook reads them: their error is kept in *failed.
	rows := func(count map[stats.Pair]int) iter.Seq2[stats.Observation, error] {
		return func(yield func(stats.Observation, error) bool) {
			for o, err := range readAgain(e, names, opts, nil, count, what) {
				if err != nil {
					*failed = err
				}
				if !yield(o, err) || err != nil {
					return
				}
			}
		}
	}
	if w.Period.IsZero() {
		p, ok, err := reports.DefaultPeriodOf(rows(nil))
		switch {
		case err != nil:
			return nil, err
		case !ok:
			return nil, usageError("no period to report on: the data has no flows by year, quarter or month; give one with --period")
		}
		w.Period = p
	} else if err := reports.CheckPeriodOf(rows(nil), w.Period); errors.Is(err, reports.ErrNoFigures) {
		return nil, usageError("--period: %v", err)
	} else if err != nil {
		return nil, err
	}
	counts := map[stats.Pair]int{}
	w.Data = &stats.Dataset{Files: c.files, Rows: c.rows}
	w.Rows = rows(counts)
	w.GroupRows = groupSize(most)
	var files *groupFiles
	written := false // the groups' files were written, or could not be
	w.Group = func(pairs []stats.Pair) (ds *stats.Dataset, err error) {
		defer func() {
			if err != nil {
				*failed = err
			}
		}()
		if !written && groupsOnDisk() {
			written = true
			if files, err = groupFilesOr(rows(nil), counts, w.GroupRows, opts, what); err != nil {
				return nil, err
			}
		}
		if files != nil {
			return files.load(pairs)
		}
		return loadPairs(e, names, f, pairs, nil, c.files, what)
	}
	return func() {
		if files != nil {
			files.close()
		}
	}, nil
}

// groupsOnDisk tells whether the rows of groups of pairs are written to
// temporary files, to be read a group at a time: where those are not kept
// in the memory the process is limited to (a tmpfs under a control
// group's limit), which the workbook is made in groups to spare. Otherwise
// each group reads the files again for its rows. Tests set it.
var groupsOnDisk = func() bool { return tempMemoryOfRun() == nil }

// groupFiles holds the rows of a workbook's reporter–partner pairs in
// temporary files, as tidy CSV, a file for each group of pairs the
// workbook asks for: a group reads its file alone, where reading the
// inputs again would parse every row for each group.
type groupFiles struct {
	opts  stats.LoadOptions
	files []*tempfile.File
	of    map[stats.Pair]int // the file of each pair
}

// errGroupFiles says that the temporary files of the groups of pairs could
// not be written: the groups then read the inputs again for their rows.
var errGroupFiles = errors.New("the rows of the groups of pairs could not be written to temporary files")

// writeGroupFiles writes the rows rows yields to a file for each group of
// pairs the workbook will ask for (reports.PairGroups of counts, the rows
// of each pair, and most rows a group). The error of a temporary file
// wraps errGroupFiles; a row of a pair counts does not have, errChanged,
// for the inputs changed after they were counted; an error of rows is
// returned as it is.
func writeGroupFiles(rows iter.Seq2[stats.Observation, error], counts map[stats.Pair]int, most int, opts stats.LoadOptions) (*groupFiles, error) {
	// The files are tidy CSV as stats.CSVWriter writes it: commas and
	// UTF-8, whatever the inputs'.
	opts.Delimiter, opts.Encoding = 0, ""
	g := &groupFiles{opts: opts, of: map[stats.Pair]int{}}
	done := false
	defer func() {
		if !done {
			g.close()
		}
	}()
	pairs := slices.SortedFunc(maps.Keys(counts), stats.ComparePairs)
	for group := range reports.PairGroups(pairs, counts, most) {
		f, err := tempfile.Create("", "report-pairs-*.csv")
		if err != nil {
			return nil, fmt.Errorf("%w: %w", errGroupFiles, err)
		}
		for _, p := range group {
			g.of[p] = len(g.files)
		}
		g.files = append(g.files, f)
	}
	writers := make([]*stats.CSVWriter, len(g.files))
	for i, f := range g.files {
		writers[i] = stats.NewCSVWriter(f)
	}
	for o, err := range rows {
		if err != nil {
			return nil, err
		}
		k, ok := g.of[stats.Pair{Reporter: o.Reporter, Partner: o.Partner}]
		if !ok {
			return nil, fmt.Errorf("%w: read again, it has a pair it did not have: %s–%s", errChanged, o.Reporter, o.Partner)
		}
		if err := writers[k].Write(&o); err != nil {
			return nil, fmt.Errorf("%w: %w", errGroupFiles, err)
		}
	}
	for _, w := range writers {
		if err := w.Flush(); err != nil {
			return nil, fmt.Errorf("%w: %w", errGroupFiles, err)
		}
	}
	done = true
	return g, nil
}

// groupFilesOr returns the files of writeGroupFiles of rows, or nil where
// they could not be written (errGroupFiles), for the groups to read the
// inputs again; errChanged is an exitError that says what is not done.
func groupFilesOr(rows iter.Seq2[stats.Observation, error], counts map[stats.Pair]int, most int, opts stats.LoadOptions, what string) (*groupFiles, error) {
	g, err := writeGroupFiles(rows, counts, most, opts)
	switch {
	case errors.Is(err, errGroupFiles):
		return nil, nil
	case errors.Is(err, errChanged) && !errors.As(err, new(*exitError)):
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s: %w", what, err)}
	}
	return g, err
}

// load returns the rows of pairs, in the order they were written.
func (g *groupFiles) load(pairs []stats.Pair) (*stats.Dataset, error) {
	want := make(map[stats.Pair]bool, len(pairs))
	var files []int
	for _, p := range pairs {
		want[p] = true
		if k, ok := g.of[p]; ok && !slices.Contains(files, k) {
			files = append(files, k)
		}
	}
	out := &stats.Dataset{}
	for _, k := range files {
		f := g.files[k]
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		ds, err := stats.Load(f, f.Name(), g.opts)
		if err != nil {
			return nil, err
		}
		if len(ds.Problems) > 0 {
			return nil, fmt.Errorf("the rows of a group of pairs read back: %v", ds.Problems[0])
		}
		for _, o := range ds.Obs {
			if want[stats.Pair{Reporter: o.Reporter, Partner: o.Partner}] {
				out.Obs = append(out.Obs, o)
			}
		}
	}
	return out, nil
}

// close removes the files.
func (g *groupFiles) close() {
	for _, f := range g.files {
		f.Close()
	}
}

// defaultWorkbook writes the workbook of the default period into outDir
// as report-<period>.xlsx and returns its path: what the default run does.
// The default period is that of [reports.DefaultPeriod]: the latest quarter
// in the data, published or made up of its months; when the data has no
// quarter (the seed data has the years 2022 and 2023, January–July 2024 and
// 2005/2024), the flow period that ends latest, the longer one first,
// leaving out spans of years and stocks at a date — on the seed data,
// 2024-01/2024-07. The findings are those of ds; when one is an error the
// workbook carries the banner. The input files are hashed for the About
// sheet by reading them again (the built-in seed data from the binary).
func defaultWorkbook(e *env, c *checked, outDir string, asOf time.Time) (path string, err error) {
	ds, findings := c.ds, c.findings
	period, path, ok := defaultWorkbookPath(ds, outDir)
	if !ok {
		return "", fmt.Errorf("no workbook written: the data has no flows by year, quarter or month")
	}
	inputs, err := hashInputs(e, ds.Files)
	if err != nil {
		return "", err
	}
	rf, err := rulesFileOf(e, c.rules)
	if err != nil {
		return "", err
	}
	w := &reports.Workbook{Data: ds, Findings: findings, Period: period, Inputs: inputs, Config: c.rules.Config(), RulesFile: rf, Version: toolVersion(), AsOf: asOf}
	if err := reports.WriteFile(path, w); err != nil {
		return "", fmt.Errorf("write %s: %w", path, unwrapPath(err))
	}
	return path, nil
}

// defaultWorkbookPath returns the period of the workbook the default run
// writes of ds into outDir, and its path; false when ds has no flows to
// make one of.
func defaultWorkbookPath(ds *stats.Dataset, outDir string) (stats.Period, string, bool) {
	period, ok := reports.DefaultPeriod(ds)
	if !ok {
		return stats.Period{}, "", false
	}
	return period, filepath.Join(outDir, reports.FileName(period)), true
}

// hashInputs returns the inputs of ds with their SHA-256: standard input
// from its copy or as it was read (see stdinInput), the built-in seed data
// and rules from the binary, and files as the read log hashed them, else by
// reading them again.
func hashInputs(e *env, files []string) ([]reports.Input, error) {
	var out []reports.Input
	for _, name := range files {
		var in reports.Input
		var err error
		if size, sum, ok := e.unpackedSum(name); ok {
			// The compressed file, as it was read.
			out = append(out, reports.Input{Name: name, Size: size, SHA256: hex.EncodeToString(sum)})
			continue
		}
		if size, sum, ok := e.reads.sum(name); ok {
			out = append(out, reports.Input{Name: name, Size: size, SHA256: hex.EncodeToString(sum)})
			continue
		}
		switch {
		case name == "<stdin>":
			in, err = stdinInput(e)
		case name == data.TradeName+" (built in)":
			in, err = reports.HashInput(name, bytes.NewReader(data.TradeCSV))
		case name == data.RulesName+" (built in)":
			in, err = reports.HashInput(name, bytes.NewReader(data.RulesYAML))
		default:
			in, err = hashFile(name)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

// rulesFileOf returns the rules file rf as the About sheet cites it, with
// the SHA-256 of the bytes parsed (see loadRules) and its own rules; nil
// when there is none.
func rulesFileOf(e *env, rf *rules.File) (*reports.RulesFile, error) {
	if rf == nil {
		return nil, nil
	}
	in, err := hashInputs(e, []string{rf.Name})
	if err != nil {
		return nil, err
	}
	out := &reports.RulesFile{Input: in[0]}
	for _, r := range rf.Rules {
		out.Rules = append(out.Rules, reports.Rule{ID: r.ID, Description: r.Description, Severity: r.Severity, Tolerance: r.Tolerance})
	}
	return out, nil
}

// stdinInput returns the size and SHA-256 of standard input, once it has
// been loaded with stdinWhole: from its copy, or from what was hashed as
// it was read when there is no copy.
func stdinInput(e *env) (reports.Input, error) {
	const name = "<stdin>"
	if size, sum, ok := e.reads.sum("-"); ok {
		// Standard input itself, a file, hashed as it was loaded.
		return reports.Input{Name: name, Size: size, SHA256: hex.EncodeToString(sum)}, nil
	}
	if e.spool == nil {
		return reports.Input{}, errors.New("hash <stdin>: it was not read")
	}
	if h := e.spool.hash; h != nil {
		return reports.Input{Name: name, Size: h.n, SHA256: hex.EncodeToString(h.h.Sum(nil))}, nil
	}
	_, whole, err := stdinWhole(e)
	if err != nil {
		return reports.Input{}, err
	}
	if whole == nil {
		return reports.Input{}, errors.New("hash <stdin>: it was read before it could be hashed")
	}
	return reports.HashInput(name, whole)
}

func hashFile(name string) (reports.Input, error) {
	f, err := os.Open(name)
	if err != nil {
		return reports.Input{}, fmt.Errorf("hash %s: %w", name, unwrapPath(err))
	}
	defer f.Close()
	return reports.HashInput(name, f)
}

// runDataXLSX writes the Data sheets alone (xlsx --data-only): it checks
// the files, then writes their rows as they are read again, or from the
// data in memory when the check had to load them whole.
func runDataXLSX(e *env, f *xlsxFlags, args []string) error {
	switch {
	case f.period != "":
		return usageError("--period and --data-only: the Data sheets hold every row, of every period")
	case f.images:
		return usageError("--images and --data-only: the Data sheets have no charts")
	}
	asOf, err := f.asOf.resolve(e)
	if err != nil {
		return err
	}
	leanGC()
	// The rows are read again to be written: a file that changed in
	// between is told by its hash (see readLog).
	e.reads = newRereadLog()
	c, err := streamChecked(e, args, &f.input, false)
	if c == nil && err == nil {
		// Loaded whole, the rows are written from memory: the readings
		// that gave up are not the ones checked.
		e.reads = nil
		c, err = loadChecked(e, args, &f.input)
	}
	if err != nil {
		return err
	}
	if err := refuseErrors(e.findingsFor(f.out), c, f.force, "no workbook written"); err != nil {
		return err
	}
	errs, warns := stats.Count(c.findings)
	if errs > 0 {
		if err := writeReport(e.findingsFor(f.out), c, false); err != nil {
			return err
		}
	}
	out := f.out
	if out == "" {
		name := "data"
		if len(args) > 0 && args[0] != "-" {
			name = strings.TrimSuffix(filepath.Base(args[0]), filepath.Ext(args[0]))
		}
		out = filepath.Join("out", name+".xlsx")
	}
	opts, err := f.input.options()
	if err != nil {
		return err
	}
	// changed is an input that changed since it was checked.
	var changed error
	rows := func(yield func(stats.Observation, error) bool) {
		if c.ds != nil {
			for _, o := range c.ds.Obs {
				if !yield(o, nil) {
					return
				}
			}
			return
		}
		for o, err := range reread(e, args, opts) {
			if errors.Is(err, errChanged) {
				changed = err
			}
			if !yield(o, err) || err != nil {
				return
			}
		}
	}
	w := &reports.DataWorkbook{Rows: rows, Version: toolVersion(), AsOf: asOf}
	status, name, err := writeWorkbook(e, out, w, func() error { return reports.WriteDataFile(out, w) })
	if err != nil {
		if changed != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("no workbook written: %w", changed)}
		}
		return &exitError{code: exitUsage, err: err}
	}
	fmt.Fprintf(status, "wrote %s: %s from %s; %s, %s\n", name, plural(c.observations, "observation"),
		strings.Join(c.files, ", "), plural(errs, "error"), plural(warns, "warning"))
	return nil
}
