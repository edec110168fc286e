package main

import (
	"encoding/json"
	"fmt"
	"io"

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
figure is a reporter, partner, indicator and period, whatever the source. It
lists the figures revised (the values disagree beyond rounding), added (only
in NEW) and removed (only in OLD); with --all also those restated (written
differently but equal within rounding, such as 7829.1 republished as
7829.06387).

Exit status: 0 when nothing was revised, added or removed, 1 when something
was, 2 when a file cannot be read, 3 for an internal error.`,
		Args: cobra.ExactArgs(2),
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
				rf, err := resolveRules(f.input.rules, args)
				if err != nil {
					return err
				}
				if rf != nil {
					f.input.vocabulary = rf.Vocabulary()
				}
			}
			old, err := loadWhole(e, args[0], &f.input)
			if err != nil {
				return err
			}
			cur, err := loadWhole(e, args[1], &f.input)
			if err != nil {
				return err
			}
			revs := stats.Diff(old, cur, tol)
			shown := revs[:0:0]
			counts := map[stats.RevisionKind]int{}
			for _, r := range revs {
				counts[r.Kind]++
				if r.Kind != stats.Restated || f.all {
					shown = append(shown, r)
				}
			}
			if f.format == "json" {
				err = writeDiffJSON(e.stdout, args[0], args[1], shown, counts)
			} else {
				err = writeDiffText(e.stdout, args[0], args[1], shown, counts)
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

// loadWhole loads one release and fails when a row of it cannot be read: a
// row left out would show as a figure added or removed.
func loadWhole(e *env, name string, f *inputFlags) (*stats.Dataset, error) {
	ds, err := load(e, []string{name}, f)
	if err != nil {
		return nil, err
	}
	if len(ds.Problems) > 0 {
		for _, p := range ds.Problems {
			fmt.Fprintf(e.stderr, "%s\n", p)
		}
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("cannot compare %s: %s could not be read", name, plural(len(ds.Problems), "row"))}
	}
	return ds, nil
}

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
		if r.Old != nil && r.New != nil && r.Old.Value.Valid && r.New.Value.Valid {
			d := r.Difference
			jr.Difference = &d
		}
		out.Revisions = append(out.Revisions, jr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
