package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tradedesk/report/stats"
)

func init() { subcommands = append(subcommands, newDiffCmd) }

type diffFlags struct {
	input     inputFlags
	format    string
	all       bool
	tolerance string
}

func newDiffCmd(e *env) *cobra.Command {
	var f diffFlags
	cmd := &cobra.Command{
		Use:   "diff [flags] OLD NEW",
		Short: "List the figures revised, added and removed between two releases",
		Long: `diff compares two releases of the same data (tidy CSV) figure by figure: a
figure is a reporter, partner, indicator and period as one source gives it,
compared with the same source's figure in the other release, whatever the
order of the rows. Where a figure has one source in one release only and
one in the other only (a source renamed, such as "BNS RK 2020 workbook"
then "BNS RK 2021 workbook"), those two are compared; other sources in
one release only are added or removed. A line names the source when the
figure has several, and both when it was renamed. It lists the figures
revised (the values disagree beyond rounding), added (only in NEW) and
removed (only in OLD); with --all also those restated (written differently
but equal within rounding, such as 7829.1 republished as 7829.06387).

The releases are compared a calendar year at a time, their rows written
a year to temporary files in $TMPDIR, so that releases of millions of
rows take the memory of a year; releases with a period that spans years
(such as 2005/2024) and releases for which no temporary file can be made
are loaded whole. A named pipe is copied whole into a temporary file
first, and compared from the copy as a file is. Standard input (-) is
copied to a temporary file as it is read.

Exit status: 0 when nothing was revised, added or removed, 1 when something
was, 2 when a file cannot be read or a year of the releases needs more
memory than there is, 3 for an internal error.`,
		Args: exactArgs(2, "two releases, OLD and NEW"),
		RunE: func(cmd *cobra.Command, args []string) error {
			tol, err := stats.ParseTolerance(f.tolerance)
			if err != nil {
				return usageError("--tolerance: %v", err)
			}
			if f.format != "text" && f.format != "json" {
				return usageError("--format %q: use text or json", f.format)
			}
			if !f.input.noRules {
				// The rules file next to OLD declares the indicators both
				// releases may use.
				rf, err := resolveRules(e, f.input.rules, args)
				if err != nil {
					return err
				}
				if rf != nil {
					f.input.vocabulary = rf.Vocabulary()
				}
			}
			revs, err := compareReleases(e, args[:1], args[1:], nil, &f.input, tol, true)
			if err != nil {
				return err
			}
			shown := revs[:0:0]
			counts := map[stats.RevisionKind]int{}
			for _, r := range revs {
				counts[r.Kind]++
				if r.Kind != stats.Restated || f.all {
					shown = append(shown, r)
				}
			}
			// The summary names the releases as their rows do.
			oldName, newName := releaseName(args[0]), releaseName(args[1])
			if f.format == "json" {
				err = writeDiffJSON(e.stdout, oldName, newName, shown, counts)
			} else {
				err = writeDiffText(e.stdout, oldName, newName, shown, counts)
			}
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			if counts[stats.Revised]+counts[stats.Added]+counts[stats.Removed] > 0 {
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
	f.input.register(cmd)
	cmd.Flags().StringVar(&f.format, "format", "text", "output format: text or json")
	cmd.Flags().BoolVar(&f.all, "all", false, "also list the figures restated within rounding")
	cmd.Flags().StringVar(&f.tolerance, "tolerance", "rounding", "when two values agree: rounding, an amount (0.5) or a share (1%)")
	return cmd
}

// releaseName is the name of the release in the argument arg as positions
// name it: <stdin> for standard input (-), else arg.
func releaseName(arg string) string {
	if arg == "-" {
		return "<stdin>"
	}
	return arg
}

// compareReleases compares the release in the files old with that in the
// files cur (stats.DiffInputs): a calendar year at a time, through
// temporary files, so that releases of millions of rows take the memory
// of a year's rows. Releases that must be loaded whole are compared with
// stats.Diff: a period that spans the turn of a year, temporary files
// that fail (a named pipe's copy among them), standard input that cannot
// be copied. loaded, when not nil, is cur
// loaded whole already. With strict, a release with rows that cannot be
// read is refused, its problems printed: a row left out would show as a
// figure added or removed. When e.reads holds the readings of a check of
// cur, a file of cur that changed since is an error that wraps errChanged.
func compareReleases(e *env, old, cur []string, loaded *stats.Dataset, f *inputFlags, tol stats.Tolerance, strict bool) ([]stats.Revision, error) {
	if n := count(old, "-") + count(cur, "-"); n > 1 {
		return nil, usageError("standard input (-) is named %d times: it can be read once", n)
	}
	// A damaged note does not take a figure out of the comparison: the
	// notes of releases are shown, not published (the check of the
	// current one has told of its own).
	asIs := *f
	asIs.notesAsIs = true
	f = &asIs
	opts, err := f.options()
	if err != nil {
		return nil, err
	}
	refuse := func(names []string, problems []*stats.ParseError) error {
		if !strict || len(problems) == 0 {
			return nil
		}
		for _, p := range problems {
			fmt.Fprintf(e.stderr, "%s\n", p)
		}
		return &exitError{code: exitUsage, err: fmt.Errorf("cannot compare %s: %s could not be read", strings.Join(names, ", "), plural(len(problems), "row"))}
	}
	if loaded == nil {
		res, err := diffInputs(e, old, cur, opts, tol)
		if err != nil {
			return nil, err
		}
		if res != nil {
			if err := refuse(old, res.Problems[0]); err != nil {
				return nil, err
			}
			return res.Revisions, refuse(cur, res.Problems[1])
		}
	}
	prev, err := load(e, old, f)
	if err != nil {
		return nil, err
	}
	if err := refuse(old, prev.Problems); err != nil {
		return nil, err
	}
	switch {
	case loaded == nil && e.reads != nil:
		// The files of cur were checked: they are read again as they
		// were, or not at all.
		if loaded, err = loadRead(e, cur, opts); err != nil {
			return nil, err
		}
	case loaded == nil:
		if loaded, err = load(e, cur, f); err != nil {
			return nil, err
		}
		if err := refuse(cur, loaded.Problems); err != nil {
			return nil, err
		}
	}
	return stats.Diff(prev, loaded, tol), nil
}

// loadRead loads the rows of the named files, which a check read before,
// whole (see loadAgain).
func loadRead(e *env, names []string, opts stats.LoadOptions) (*stats.Dataset, error) {
	if err := checkMemory(names, e.estimateRows, nil, e.memory); err != nil {
		return nil, err
	}
	return loadAgain(e, names, names, opts, nil, "cannot compare with the previous release")
}

// diffInputs opens the files of two releases and compares them with
// stats.DiffInputs. It returns nil, nil when they must be loaded whole
// instead (see compareReleases), and also after an error that is not a
// row's: loading them whole tells which input cannot be read.
func diffInputs(e *env, old, cur []string, opts stats.LoadOptions, tol stats.Tolerance) (*stats.Diffed, error) {
	if e.reads != nil && testHookChecked != nil {
		testHookChecked()
	}
	names := slices.Concat(old, cur)
	all, closeAll, err := openInputs(e, names)
	if errors.Is(err, errWhole) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer closeAll()
	// The inputs are read through a progress bar; opened are the readers
	// openInput returned, which the read log knows.
	opened := make([]io.Reader, len(all))
	for i, in := range all {
		opened[i] = in.R
		if names[i] != "-" {
			all[i].R = withProgress(in.R, progressBar(e, names[i]))
		}
	}
	ins := [2][]stats.Input{all[:len(old)], all[len(old):]}
	res, err := stats.DiffInputs(ins[0], ins[1], opts, tol)
	var pe *stats.ParseError
	switch {
	case errors.Is(err, errCopyFailed):
		e.spool.noCopy(e, err)
		return nil, nil
	case errors.Is(err, stats.ErrMemory):
		// Loaded whole, the releases would take more.
		return nil, memoryError(err, true)
	case errors.As(err, &pe):
		// A file of cur checked before that no longer parses changed.
		for i, in := range ins[1] {
			if in.Name == pe.File {
				if err := e.reads.same(cur[i], in.Name, opened[len(old)+i], err); errors.Is(err, errChanged) {
					return nil, &exitError{code: exitUsage, err: fmt.Errorf("cannot compare with the previous release: %w", err)}
				}
			}
		}
		return nil, readError(pe.File, err)
	case err != nil:
		return nil, nil
	}
	// The files of cur read again after their check must be those checked.
	for i, name := range cur {
		rd := opened[len(old)+i]
		if err := e.reads.same(name, ins[1][i].Name, rd, nil); err != nil {
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("cannot compare with the previous release: %w", err)}
		}
	}
	if testHookDiffed != nil {
		testHookDiffed()
	}
	return res, nil
}

// testHookDiffed, when not nil, is called when two releases were compared
// a year at a time.
var testHookDiffed func()

func writeDiffText(w io.Writer, oldName, newName string, revs []stats.Revision, counts map[stats.RevisionKind]int) error {
	for i := range revs {
		r := &revs[i]
		var at string
		switch {
		case r.Old != nil && r.New != nil:
			at = fmt.Sprintf(" [%s, %s]", r.Old.Pos, r.New.Pos)
		case r.Old != nil:
			at = fmt.Sprintf(" [%s]", r.Old.Pos)
		default:
			at = fmt.Sprintf(" [%s]", r.New.Pos)
		}
		if _, err := fmt.Fprintln(w, r.String()+at); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "%s → %s: %d revised, %d added, %d removed; %d restated within rounding\n", oldName, newName,
		counts[stats.Revised], counts[stats.Added], counts[stats.Removed], counts[stats.Restated])
	return err
}

// jsonFigure is one side of a revision in the JSON output.
type jsonFigure struct {
	Value  *float64 `json:"value"`
	Text   string   `json:"text"`
	Unit   string   `json:"unit"`
	Source string   `json:"source"`
	Note   string   `json:"note,omitempty"`
	File   string   `json:"file"`
	Line   int      `json:"line"`
}

type jsonRevision struct {
	Kind       string      `json:"kind"`
	Reporter   string      `json:"reporter"`
	Partner    string      `json:"partner"`
	Indicator  string      `json:"indicator"`
	Period     string      `json:"period"`
	Old        *jsonFigure `json:"old,omitempty"`
	New        *jsonFigure `json:"new,omitempty"`
	Difference *float64    `json:"difference,omitempty"`
}

type jsonDiff struct {
	Old       string         `json:"old"`
	New       string         `json:"new"`
	Revised   int            `json:"revised"`
	Added     int            `json:"added"`
	Removed   int            `json:"removed"`
	Restated  int            `json:"restated"`
	Revisions []jsonRevision `json:"revisions"`
}

func toJSONFigure(o *stats.Observation) *jsonFigure {
	if o == nil {
		return nil
	}
	f := &jsonFigure{Text: o.Value.String(), Unit: o.Unit, Source: o.Source, Note: o.Note, File: o.Pos.File, Line: o.Pos.Line}
	if o.Value.Valid {
		v := o.Value.Num
		f.Value = &v
	}
	return f
}

func writeDiffJSON(w io.Writer, oldName, newName string, revs []stats.Revision, counts map[stats.RevisionKind]int) error {
	out := jsonDiff{Old: oldName, New: newName, Revised: counts[stats.Revised], Added: counts[stats.Added],
		Removed: counts[stats.Removed], Restated: counts[stats.Restated], Revisions: []jsonRevision{}}
	for i := range revs {
		r := &revs[i]
		jr := jsonRevision{Kind: r.Kind.String(), Reporter: r.Key.Reporter, Partner: r.Key.Partner,
			Indicator: r.Key.Indicator, Period: r.Period.String(), Old: toJSONFigure(r.Old), New: toJSONFigure(r.New)}
		if r.HasDifference() {
			d := r.Difference
			jr.Difference = &d
		}
		out.Revisions = append(out.Revisions, jr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
