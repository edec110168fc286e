package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/tradedesk/report/internal/atomicfile"
	"github.com/tradedesk/report/stats"
	"github.com/tradedesk/report/stats/ingest"
)

func init() { subcommands = append(subcommands, newImportCmd) }

func newImportCmd(e *env) *cobra.Command {
	var mapPath, out string
	cmd := &cobra.Command{
		Use:   "import --map MAP.yaml FILE [-o OUT]",
		Short: "Turn an agency table into tidy CSV through a YAML mapping",
		Long: `import reads a table as a statistics office publishes it (CSV; "-" is
standard input) and writes the tidy CSV that check, charts and xlsx read, as
the mapping file says: which column holds what, wide to long, country names
to alpha-3 codes, period labels, units and number conventions.

Every row that cannot be mapped is reported on standard error with its line
and column; the rows that can are still written. Rows that the mapping skips
or drops are counted in the closing summary.

Exit status: 0 when every row was mapped, 1 when some were not, 2 for a bad
mapping or an unreadable table, 3 for an internal error.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if mapPath == "" {
				return usageError("import: --map MAP.yaml is required")
			}
			mf, err := os.Open(mapPath)
			if err != nil {
				return &exitError{code: exitUsage, err: fmt.Errorf("cannot read %s: %w", mapPath, unwrapPath(err))}
			}
			m, err := ingest.ParseMapping(mf, mapPath)
			mf.Close()
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			var res *ingest.Result
			if args[0] == "-" {
				res, err = ingest.Convert(e.stdin, "<stdin>", m)
			} else {
				res, err = ingest.ConvertFile(args[0], m)
			}
			if err != nil {
				var pe *stats.ParseError
				if errors.As(err, &pe) || errors.Is(err, ingest.ErrMapping) {
					return &exitError{code: exitUsage, err: err}
				}
				return &exitError{code: exitUsage, err: fmt.Errorf("cannot read %s: %w", args[0], unwrapPath(err))}
			}
			var buf bytes.Buffer
			if err := stats.WriteCSV(&buf, res.Obs); err != nil {
				return &exitError{code: exitInternal, err: err}
			}
			if out == "" || out == "-" {
				if _, err := e.stdout.Write(buf.Bytes()); err != nil {
					return &exitError{code: exitUsage, err: err}
				}
			} else if err := atomicfile.WriteFile(out, buf.Bytes(), atomicfile.Options{Perm: 0o644, KeepPerm: true}); err != nil {
				return &exitError{code: exitUsage, err: fmt.Errorf("cannot write %s: %w", out, unwrapPath(err))}
			}
			for _, p := range res.Problems {
				fmt.Fprintf(e.stderr, "%s\n", p)
			}
			fmt.Fprintf(e.stderr, "imported %s from %s: %s, %s skipped, %s dropped by the mapping",
				plural(len(res.Obs), "observation"), plural(res.Rows, "row"), plural(len(res.Problems), "problem"),
				plural(res.Skipped, "row"), plural(sumDropped(res), "row"))
			if names := res.DroppedNames(); len(names) > 0 {
				fmt.Fprintf(e.stderr, " (")
				for i, n := range names {
					if i > 0 {
						fmt.Fprintf(e.stderr, ", ")
					}
					fmt.Fprintf(e.stderr, "%q %d", n, res.Dropped[n])
				}
				fmt.Fprintf(e.stderr, ")")
			}
			fmt.Fprintln(e.stderr)
			if len(res.Problems) > 0 {
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&mapPath, "map", "", "the mapping file (YAML) that says how to read the table")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write the tidy CSV here instead of standard output")
	return cmd
}

func sumDropped(r *ingest.Result) int {
	n := 0
	for _, c := range r.Dropped {
		n += c
	}
	return n
}
