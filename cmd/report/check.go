package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tradedesk/report/stats"
)

func init() { subcommands = append(subcommands, newCheckCmd) }

type checkFlags struct {
	input  inputFlags
	strict bool
}

func newCheckCmd(e *env) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check [flags] [FILE...]",
		Short: "Check the figures against each other; exit 1 when a check fails",
		Long: `check loads the files (CSV; "-" is standard input; without a file,
data/trade.csv or the built-in seed data) and runs every consistency rule.
Each finding is printed as file:line:column: severity: message [rule].

Exit status: 0 when no check fails (warnings allowed unless --strict), 1 when
one does, 2 when a file cannot be read as a table, 3 for an internal error.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ds, err := load(e, args, &f.input)
			if err != nil {
				return err
			}
			findings := stats.Check(ds, nil)
			writeText(e.stdout, ds, findings)
			return verdict(findings, f.strict)
		},
	}
	f.input.register(cmd)
	cmd.Flags().BoolVar(&f.strict, "strict", false, "fail on warnings too")
	return cmd
}

// verdict maps findings to the exit code: 1 when there is an error, or a
// warning under --strict.
func verdict(findings []stats.Finding, strict bool) error {
	errs, warns := stats.Count(findings)
	if errs > 0 || (strict && warns > 0) {
		return &exitError{code: exitFindings}
	}
	return nil
}

// writeText prints the findings one a line and a closing summary.
func writeText(w io.Writer, ds *stats.Dataset, findings []stats.Finding) {
	for i := range findings {
		fmt.Fprintln(w, findings[i].Text())
	}
	errs, warns := stats.Count(findings)
	fmt.Fprintf(w, "checked %s from %s with %d rules: %s, %s\n",
		plural(len(ds.Obs), "observation"), strings.Join(ds.Files, ", "), len(stats.Rules()), plural(errs, "error"), plural(warns, "warning"))
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
