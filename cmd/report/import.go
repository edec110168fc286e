package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/tradedesk/report/internal/atomicfile"
	"github.com/tradedesk/report/internal/tempfile"
	"github.com/tradedesk/report/stats"
	"github.com/tradedesk/report/stats/ingest"
)

func init() { subcommands = append(subcommands, newImportCmd) }

func newImportCmd(e *env) *cobra.Command {
	var mapPath, out, alias string
	cmd := &cobra.Command{
		Use:   "import --map MAP.yaml FILE [-o OUT]",
		Short: "Turn an agency table into tidy CSV through a YAML mapping",
		Long: `import reads a table as a statistics office publishes it (CSV; "-" is
standard input) and writes the tidy CSV that check, charts and xlsx read, as
the mapping file says: which column holds what, wide to long, country names
to alpha-3 codes, period labels, units and number conventions.

Every row that cannot be mapped is reported on standard error with its line
and column; the rows that can are still written. A row with more or fewer
fields than the header is one of them: nothing of it is written. Rows that
the mapping skips or drops are counted in the closing summary.

Exit status: 0 when every row was mapped, 1 when some were not, 2 for a bad
mapping or an unreadable table, 3 for an internal error.`,
		Args: exactArgs(1, "one table, FILE (- for standard input)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if mapPath == "" {
				return usageError("import: --map MAP.yaml is required")
			}
			flag := typed(e.args, "output", "o")
			if cmd.Flags().Changed("out") {
				if cmd.Flags().Changed("output") && !samePath(out, alias) {
					return usageError("import: --out %s and --output %s name two files: name one", alias, out)
				}
				out, flag = alias, "--out"
			}
			if err := refuseInputAsOutput(e, flag+" "+out, out, []string{args[0], mapPath}); err != nil {
				return err
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
			in, name := e.stdin, "<stdin>"
			var bar func(int64)
			if args[0] != "-" {
				// A compressed table is read from its decompressed copy
				// (see unpack), as check reads a compressed file.
				text, ok, err := e.unpack(args[0])
				if err != nil {
					return err
				}
				var r io.Reader = text
				if !ok {
					f, err := os.Open(args[0])
					if err != nil {
						return &exitError{code: exitUsage, err: fmt.Errorf("cannot read %s: %w", args[0], unwrapPath(err))}
					}
					defer f.Close()
					r = f
				}
				bar = progressBar(e, args[0])
				in, name = withProgress(r, bar), args[0]
			}
			return importTable(e, in, name, m, out, bar != nil)
		},
	}
	cmd.Flags().StringVar(&mapPath, "map", "", "the mapping file (YAML) that says how to read the table")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write the tidy CSV here instead of standard output (--out is the same)")
	// --out, as the other commands name the file they write.
	cmd.Flags().StringVar(&alias, "out", "", "")
	cmd.Flags().MarkHidden("out")
	return cmd
}

// importTable converts the table read from in, which is named name, as m
// says, and writes the tidy CSV to out (standard output when "" or "-").
// The rows are written as they are read, to a file that takes out's place
// only when the whole table was read; for standard output, to a temporary
// file copied there at the end: a table that cannot be read gives no rows
// to a pipe. Problems are reported on standard error as they are met,
// over the progress bar when there is one (bar).
func importTable(e *env, in io.Reader, name string, m *ingest.Mapping, out string, bar bool) error {
	defaultGC()
	toStdout := out == "" || out == "-"
	var dst io.Writer
	var commit func() error
	switch {
	case toStdout:
		f, err := tempfile.Create("", "report-import-*.csv")
		if err != nil {
			// No temporary file: the rows wait in memory, as they
			// did before tables were converted a row at a time.
			var buf bytes.Buffer
			dst = &buf
			commit = func() error {
				_, err := e.stdout.Write(buf.Bytes())
				return err
			}
			break
		}
		defer f.Close()
		dst = f.File
		commit = func() error {
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				return err
			}
			_, err := io.Copy(e.stdout, f)
			return err
		}
	default:
		f, err := atomicfile.Create(out, atomicfile.Options{Perm: 0o644, KeepPerm: true})
		if err != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("cannot write %s: %w", out, unwrapPath(err))}
		}
		defer f.Cleanup()
		dst, commit = f.File, f.Commit
	}
	bw := bufio.NewWriterSize(dst, 64<<10)
	cw := stats.NewCSVWriter(bw)
	var obs, problems int
	var writeErr error
	h := ingest.Handler{
		Observation: func(o *stats.Observation) error {
			obs++
			if err := cw.Write(o); err != nil {
				writeErr = err
				return err
			}
			return nil
		},
		Problem: func(p *stats.ParseError) error {
			problems++
			if bar {
				fmt.Fprint(e.stderr, "\r\033[K")
			}
			fmt.Fprintf(e.stderr, "%s\n", p)
			return nil
		},
	}
	counts, err := ingest.Stream(in, name, m, h)
	switch {
	case writeErr != nil:
	case err != nil:
		var pe *stats.ParseError
		if errors.As(err, &pe) || errors.Is(err, ingest.ErrMapping) {
			return &exitError{code: exitUsage, err: err}
		}
		return &exitError{code: exitUsage, err: fmt.Errorf("cannot read %s: %w", name, unwrapPath(err))}
	default:
		if writeErr = cw.Flush(); writeErr == nil {
			writeErr = bw.Flush()
		}
	}
	if writeErr == nil {
		writeErr = commit()
	}
	if writeErr != nil {
		if toStdout {
			return &exitError{code: exitUsage, err: writeErr}
		}
		return &exitError{code: exitUsage, err: fmt.Errorf("cannot write %s: %w", out, unwrapPath(writeErr))}
	}
	fmt.Fprintf(e.stderr, "imported %s from %s: %s, %s skipped, %s dropped by the mapping",
		plural(obs, "observation"), plural(counts.Rows, "row"), plural(problems, "problem"),
		plural(counts.Skipped, "row"), plural(sumDropped(counts), "row"))
	if names := counts.DroppedNames(); len(names) > 0 {
		fmt.Fprintf(e.stderr, " (")
		for i, n := range names {
			if i > 0 {
				fmt.Fprintf(e.stderr, ", ")
			}
			fmt.Fprintf(e.stderr, "%q %d", n, counts.Dropped[n])
		}
		fmt.Fprintf(e.stderr, ")")
	}
	fmt.Fprintln(e.stderr)
	if problems > 0 {
		return &exitError{code: exitFindings}
	}
	return nil
}

func sumDropped(c ingest.Counts) int {
	n := 0
	for _, d := range c.Dropped {
		n += d
	}
	return n
}

// samePath reports whether a and b name one file: the same path cleaned,
// or one file that exists under both.
func samePath(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}
