package main

import (
	"github.com/spf13/cobra"
	"github.com/tradedesk/report/stats"
)

// runDefault is the main job: check the default input and, when it holds,
// write the outputs.
func runDefault(cmd *cobra.Command, e *env) error {
	ds, err := load(e, nil, &inputFlags{encoding: "utf-8", delimiter: ","})
	if err != nil {
		return err
	}
	findings := stats.Check(ds, nil)
	writeText(e.stdout, ds, findings)
	return verdict(findings, false)
}
