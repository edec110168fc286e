package main

import (
	"fmt"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/tradedesk/report/charts"
	"github.com/tradedesk/report/reports"
	"github.com/tradedesk/report/stats"
)

func init() { subcommands = append(subcommands, newChartsCmd) }

type chartsFlags struct {
	input   inputFlags
	asOf    asOfFlag
	spec    string
	out     string
	formats string
	size    string
	lang    string
	force   bool
}

// defaultChartsDir is where the charts go when --out is not given.
var defaultChartsDir = filepath.Join("out", "charts")

func newChartsCmd(e *env) *cobra.Command {
	var f chartsFlags
	cmd := &cobra.Command{
		Use:   "charts [flags] [FILE...]",
		Short: "Draw the charts of the figures: PNG, SVG and PDF with their data and alt text",
		Long: `charts loads the files, runs the checks (as check does), and draws the
built-in charts of every reporter–partner pair (trade by period with the
turnover, the balance, the year to date against a year before, FDI by year
and in total), or the charts declared in --spec, whose indicators may be
any the rules file declares. Each chart is written as
ID.png/.svg/.pdf, its data as ID.csv and its description as ID.alt.txt.

It draws nothing from data whose checks find errors, prints the findings and
exits 1, unless --force: an article must not show a wrong number.

Labels give the figures as published; money that reaches ten thousand of
its unit is drawn in a larger one (USD thousand in USD million), and labels
that would write more than six digits are rounded to four significant
ones, with a note. The CSV gives every figure as published.

A spec is YAML; each chart needs id, kind, title and series:

  charts:
    - id: kaz-arm-trade
      kind: grouped           # bar, hbar, grouped, stacked, line, barline
      title: Kazakhstan's trade with Armenia
      total: turnover         # labelled above each category (not for line)
      unit: USD million       # the unit drawn in; the data's by default
      decimals: 1             # labels rounded to 1 decimal; 12: as published
      series:
        - reporter: KAZ
          partner: ARM
          indicators: [exports, imports]
          periods: ["2023", "2024-01/2024-07"]

and may have subtitle, notes (a list), source, size, formats and lang.

With --spec the files are checked a year at a time, as check does, then
read again for the rows of the pairs the spec draws: a file of millions of
rows takes the memory of its check, not of its rows. A file that changed
between the two readings draws nothing. The built-in charts are drawn
the same way, from the rows they can draw read again: those of periods
that begin on the first of January (years, spans of years, the year to
date), a twelfth of a file of monthly figures; beyond 2 million of them,
or when they would not fit in the memory available, a group of
reporter–partner pairs at a time, each pair's charts from its own rows.

--format, --size and --lang apply to every chart; without them a spec's own
formats, size and language are used. --lang sets the language of the words
the charts make (series, periods, units, numbers, notes on the figures),
not of a spec's own title, subtitle and notes. PDFs carry the as-of time
as their creation date.

Exit status: 0 when the charts were written, 1 when a check fails, 2 for bad
flags, an unreadable input or spec, an output that cannot be written, or
too little memory for a year of the data, 3 for an internal error.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			stdinUnread(e, args)
			return runCharts(cmd, e, &f, args)
		},
	}
	f.input.register(cmd)
	f.asOf.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.spec, "spec", "", "YAML file declaring the charts to draw instead of the built-in set")
	fl.StringVarP(&f.out, "out", "o", defaultChartsDir, "directory to write the charts into")
	fl.StringVar(&f.formats, "format", "png,svg,pdf", "formats to draw, comma-separated: png, svg, pdf")
	fl.StringVar(&f.size, "size", "article", "size preset: article (1200×675, PNG at 2×), square, social, print")
	fl.StringVar(&f.lang, "lang", "en", "language of the charts: en, ru, kk (with --spec, overrides each chart's lang)")
	fl.BoolVar(&f.force, "force", false, "draw the charts even when a check fails")
	return cmd
}

func runCharts(cmd *cobra.Command, e *env, f *chartsFlags, args []string) error {
	formats, err := charts.ParseFormats(f.formats)
	if err != nil {
		return usageError("--format: %v", err)
	}
	size, err := charts.ParseSize(f.size)
	if err != nil {
		return usageError("--size: %v", err)
	}
	lang, err := charts.ParseLang(f.lang)
	if err != nil {
		return usageError("--lang: %v", err)
	}
	asOf, err := f.asOf.resolve(e)
	if err != nil {
		return err
	}
	out := typed(e.args, "out", "o") + " " + f.out
	if err := refuseFileAsDir(out, f.out); err != nil {
		return err
	}
	// The spec is read before the data, after the rules file, so that
	// the indicators it declares count as known and a mistake in it is
	// told before a long check.
	var spec *charts.Spec
	if f.spec != "" {
		if _, err := f.input.resolve(e, args); err != nil {
			return err
		}
		file, err := os.Open(f.spec)
		if err != nil {
			return usageError("cannot read spec %s: %v", f.spec, unwrapPath(err))
		}
		spec, err = charts.ParseSpec(file, f.spec, f.input.vocabulary)
		file.Close()
		if err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		// As --format and --size do, --lang given overrides the spec;
		// ignored, it would leave the charts in a language not asked for.
		if cmd.Flags().Changed("lang") {
			for i := range spec.Charts {
				spec.Charts[i].Lang = lang
			}
		}
	}
	// The files are checked a year at a time. The charts of a spec draw a
	// few pairs: the files are read again for the rows of those pairs
	// alone, so that a file of millions of rows is never held whole. The
	// built-in charts draw every pair, from the data read again whole.
	e.reads = newRereadLog()
	c, err := streamChecked(e, args, &f.input, false)
	if c == nil && err == nil {
		e.reads = nil
		c, err = loadChecked(e, args, &f.input)
	}
	if err != nil {
		return err
	}
	if err := refuseErrors(e, c, f.force, "no charts drawn"); err != nil {
		return err
	}
	ds := c.ds
	var outs []charts.Output
	switch {
	case spec == nil:
		// The built-in charts draw each pair from its own rows: of data
		// too large to hold, a group of pairs at a time.
		sets := builtInData(e, args, &f.input, c.files)
		if ds != nil {
			sets = func(yield func(*stats.Dataset, error) bool) { yield(ds, nil) }
		}
		for ds, err := range sets {
			if err != nil {
				return err
			}
			for _, c := range charts.BuiltIn(ds, lang) {
				outs = append(outs, charts.Output{Chart: c, Size: size, Formats: formats})
			}
		}
	case ds == nil:
		if ds, err = loadPairs(e, args, &f.input, spec.Pairs(), nil, c.files, "no charts drawn"); err != nil {
			return err
		}
	}

	if spec != nil {
		outs, err = spec.Outputs(ds)
		if err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		for i := range outs {
			if cmd.Flags().Changed("format") {
				outs[i].Formats = formats
			}
			if cmd.Flags().Changed("size") {
				outs[i].Size = size
			}
		}
	}
	for _, path := range chartFiles(f.out, outs) {
		if err := refuseInputAsOutput(e, out+" (chart file "+path+")", path, inputPaths(args, &f.input, f.spec)); err != nil {
			return err
		}
	}
	return writeCharts(e, f.out, outs, asOf)
}

// builtInData yields the rows the built-in charts draw (see
// charts.BuiltInReads: those of periods that begin on the first of
// January, a twelfth of a file of monthly figures), read again after
// streamChecked: whole when they are at most maxWholeRows and fit in the
// memory available (see rowsInMemory), as the workbook's rows are, else a
// group of reporter–partner pairs at a time, as the workbook is made (see
// groupRows), each pair with all those rows. Held whole, the 10M-row
// synthetic file's 833,000 rows of January take 4.0 s and 560–572 MB; in
// groups, 4.7–5.0 s and 216–243 MB: the groups are for what does not fit.
// The charts of a pair are drawn from its rows alone, and a group's pairs
// follow those of the group before in the order of stats.ComparePairs,
// so that the charts of the groups are those of the rows held whole, in
// the same order. The reading that holds the rows counts them by pair;
// a group's rows are read from a temporary file of them, written in one
// more reading, or where that file would take the memory the process is
// limited to (see groupsOnDisk) or cannot be written, from the inputs
// again.
func builtInData(e *env, names []string, f *inputFlags, files []string) iter.Seq2[*stats.Dataset, error] {
	return func(yield func(*stats.Dataset, error) bool) {
		const what = "no charts drawn"
		opts, err := f.options()
		if err != nil {
			yield(nil, err)
			return
		}
		// kept reads the rows the charts draw again, and counts them by
		// pair in count when it is not nil.
		kept := func(count map[stats.Pair]int) iter.Seq2[stats.Observation, error] {
			return readAgain(e, names, opts, charts.BuiltInReads, count, what)
		}
		// One reading holds the rows while they are few enough, and
		// counts them by pair for the groups when they are not.
		most, _ := rowsInMemory(e)
		limit := wholeRows(most)
		whole := &stats.Dataset{Files: files}
		counts := map[stats.Pair]int{}
		for o, err := range kept(counts) {
			switch {
			case err != nil:
				yield(nil, err)
				return
			case whole == nil:
			case len(whole.Obs) == limit:
				whole = nil // in groups: let go of them
			default:
				whole.Obs = append(whole.Obs, o)
			}
		}
		if whole != nil {
			whole.Rows = len(whole.Obs)
			yield(whole, nil)
			return
		}
		size := groupSize(most)
		var groups *groupFiles
		if groupsOnDisk() {
			var err error
			if groups, err = groupFilesOr(kept(nil), counts, size, opts, what); err != nil {
				yield(nil, err)
				return
			}
			if groups != nil {
				defer groups.close()
			}
		}
		pairs := slices.SortedFunc(maps.Keys(counts), stats.ComparePairs)
		for group := range reports.PairGroups(pairs, counts, size) {
			var ds *stats.Dataset
			if groups != nil {
				ds, err = groups.load(group)
			} else {
				ds, err = loadPairs(e, names, f, group, charts.BuiltInReads, files, what)
			}
			if !yield(ds, err) || err != nil {
				return
			}
		}
	}
}

// chartFiles lists the files charts.WriteSet writes into dir for outs.
func chartFiles(dir string, outs []charts.Output) []string {
	var paths []string
	for _, o := range outs {
		name := filepath.Join(dir, charts.FileName(o.Chart.ID))
		formats := o.Formats
		if len(formats) == 0 {
			formats = []charts.Format{charts.PNG}
		}
		for _, f := range formats {
			paths = append(paths, name+"."+string(f))
		}
		paths = append(paths, name+".csv", name+".alt.txt")
	}
	return paths
}

// writeCharts writes the charts into dir and lists the files written.
func writeCharts(e *env, dir string, outs []charts.Output, asOf time.Time) error {
	files, err := charts.WriteSet(dir, outs, charts.Options{AsOf: asOf})
	for _, name := range files {
		fmt.Fprintln(e.stdout, "wrote", name)
	}
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	fmt.Fprintf(e.stdout, "wrote %s of %s into %s\n", plural(len(files), "file"), plural(len(outs), "chart"), dir)
	return nil
}

// writeBuiltInCharts writes the built-in charts of ds in every format at
// the article size into dir: what the default run does with the charts.
func writeBuiltInCharts(e *env, ds *stats.Dataset, dir string, asOf time.Time) error {
	var outs []charts.Output
	for _, c := range charts.BuiltIn(ds, charts.English) {
		outs = append(outs, charts.Output{Chart: c, Size: charts.Article, Formats: charts.Formats()})
	}
	return writeCharts(e, dir, outs, asOf)
}
