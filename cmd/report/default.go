package main

import (
	"crypto/sha256"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/tradedesk/report/stats"
)

// defaultFlags are the flags of the command run without a subcommand.
type defaultFlags struct {
	out  string
	asOf asOfFlag
}

func (f *defaultFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&f.out, "out", "o", "out", "directory to write the charts and the workbook into")
	f.asOf.register(cmd)
}

// runDefault is the main job: check data/trade.csv (or the built-in seed
// data) with its rules file and, when no check fails, write the built-in
// charts into OUT/charts and the workbook of the latest period into OUT.
// With a failing check it writes nothing and exits 1.
func runDefault(e *env, f *defaultFlags) error {
	stdinUnread(e, nil)
	asOf, err := f.asOf.resolve(e)
	if err != nil {
		return err
	}
	chartsDir := filepath.Join(f.out, "charts")
	out := typed(e.args, "out", "o") + " " + f.out
	if err := refuseFileAsDir(out, f.out); err != nil {
		return err
	}
	if err := refuseFileAsDir(out+" (charts directory "+chartsDir+")", chartsDir); err != nil {
		return err
	}
	// The workbook's About sheet gives the SHA-256 of the bytes loaded.
	e.reads = newReadLog(sha256.New)
	c, err := loadChecked(e, nil, &inputFlags{encoding: "utf-8", delimiter: ","})
	if err != nil {
		return err
	}
	if err := writeReport(e, c, false); err != nil {
		return err
	}
	if errs, _ := stats.Count(c.findings); errs > 0 {
		return &exitError{code: exitFindings, err: fmt.Errorf("no charts or workbook written: the checks found %s; run 'report charts --force' or 'report xlsx --force' to write them anyway", plural(errs, "error"))}
	}
	// A workbook that cannot be written is told before the charts are.
	if _, path, ok := defaultWorkbookPath(c.ds, f.out); ok {
		if err := refuseInputAsOutput(e, out+" (workbook "+path+")", path, nil); err != nil {
			return err
		}
	}
	if err := writeBuiltInCharts(e, c.ds, chartsDir, asOf); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	path, err := defaultWorkbook(e, c, f.out, asOf)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", path)
	return verdict(c.findings, false)
}
