package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/tradedesk/report/charts"
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

With --spec the files are checked a year at a time, as check does, then
read again for the rows of the pairs the spec draws: a file of millions of
rows takes the memory of its check, not of its rows. A file that changed
between the two readings draws nothing. The built-in charts are drawn
the same way, from the rows they can draw read again: those of periods
that begin on the first of January (years, spans of years, the year to
date), a twelfth of a file of monthly figures. When those would not fit
in the memory available, charts says so and draws nothing.

--format and --size apply to every chart; without them a spec's own formats
and size are used. PDFs carry the as-of time as their creation date.

Exit status: 0 when the charts were written, 1 when a check fails, 2 for bad
flags, an unreadable input or spec, an output that cannot be written, or
too little memory for a year of the data, 3 for an internal error.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCharts(cmd, e, &f, args)
		},
	}
	f.input.register(cmd)
	f.asOf.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.spec, "spec", "", "YAML file declaring the charts to draw instead of the built-in set")
	fl.StringVar(&f.out, "out", defaultChartsDir, "directory to write the charts into")
	fl.StringVar(&f.formats, "format", "png,svg,pdf", "formats to draw, comma-separated: png, svg, pdf")
	fl.StringVar(&f.size, "size", "article", "size preset: article (1200×675, PNG at 2×), square, social, print")
	fl.StringVar(&f.lang, "lang", "en", "language of the built-in charts: en, ru, kk")
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
	// The spec is read before the data, after the rules file, so that
	// the indicators it declares count as known and a mistake in it is
	// told before a long check.
	var spec *charts.Spec
	if f.spec != "" {
		if _, err := f.input.resolve(args); err != nil {
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
	switch {
	case ds != nil:
	case spec != nil:
		if ds, err = loadPairs(e, args, &f.input, spec.Pairs(), c.files, "no charts drawn"); err != nil {
			return err
		}
	default:
		if ds, err = loadBuiltIn(e, args, &f.input, c.files); err != nil {
			return err
		}
	}

	var outs []charts.Output
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
	} else {
		for _, c := range charts.BuiltIn(ds, lang) {
			outs = append(outs, charts.Output{Chart: c, Size: size, Formats: formats})
		}
	}
	for _, path := range chartFiles(f.out, outs) {
		if err := refuseInputAsOutput(e, "--out "+f.out+" (chart file "+path+")", path, inputPaths(args, &f.input, f.spec)); err != nil {
			return err
		}
	}
	return writeCharts(e, f.out, outs, asOf)
}

// loadBuiltIn reads the named inputs again after streamChecked for the rows
// the built-in charts read (charts.BuiltInReads): those of periods that
// begin on the first of January, a twelfth of a file of monthly figures.
// When they would not fit in the memory available it stops, and says so.
func loadBuiltIn(e *env, names []string, f *inputFlags, files []string) (*stats.Dataset, error) {
	opts, err := f.options()
	if err != nil {
		return nil, err
	}
	most, free := rowsInMemory(e)
	const what = "no charts drawn"
	ds, err := loadKept(e, names, files, opts, charts.BuiltInReads, most, what)
	if errors.Is(err, errTooMany) {
		return nil, &exitError{code: exitUsage, err: fmt.Errorf(
			"%s: the rows the built-in charts draw (of periods that begin on the first of January: years, spans of years, the year to date) would take more than the %s of memory available; charts --spec draws the pairs a spec names, reading only their rows",
			what, formatBytes(free))}
	}
	return ds, err
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
