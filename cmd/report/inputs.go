package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/tradedesk/report/data"
	"github.com/tradedesk/report/stats"
	"github.com/tradedesk/report/stats/rules"
)

// defaultInput is the file checked when none is named.
const defaultInput = "data/trade.csv"

// inputFlags are the flags that say how to read input files and which
// rules file checks them.
type inputFlags struct {
	encoding  string
	delimiter string
	rules     string
	noRules   bool

	// vocabulary holds the indicators the rules file declares, codes the
	// groups it declares.
	vocabulary *stats.Vocabulary
	codes      []string
}

func (f *inputFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.encoding, "encoding", "utf-8", "text encoding of the input: utf-8, utf-16, utf-16le, utf-16be, windows-1251, koi8-r, iso-8859-1, windows-1252")
	cmd.Flags().StringVar(&f.delimiter, "delimiter", ",", `field delimiter: ",", ";", "\t" or "|"`)
	cmd.Flags().StringVar(&f.rules, "rules", "", "rules and claims file (YAML); default rules.yaml next to the first file, when it exists")
	cmd.Flags().BoolVar(&f.noRules, "no-rules", false, "run the built-in rules alone, without a rules file")
}

// checked is input loaded and checked: the data, the rules file (nil when
// there is none) and the findings.
type checked struct {
	ds       *stats.Dataset
	rules    *rules.File
	findings []stats.Finding
}

// loadChecked reads the rules file, loads the named files with the
// indicators it declares, and runs the built-in rules and the file's own.
// Every command that reads data goes through it, so that they all check the
// same way.
func loadChecked(e *env, names []string, f *inputFlags) (*checked, error) {
	if f.noRules && f.rules != "" {
		return nil, usageError("--rules and --no-rules: give one of them")
	}
	var rf *rules.File
	if !f.noRules {
		var err error
		if rf, err = resolveRules(f.rules, names); err != nil {
			return nil, err
		}
		if rf != nil {
			f.vocabulary = rf.Vocabulary()
			for _, g := range rf.Groups {
				f.codes = append(f.codes, g.Code)
			}
		}
	}
	ds, err := load(e, names, f)
	if err != nil {
		return nil, err
	}
	return &checked{ds: ds, rules: rf, findings: runChecks(ds, rf)}, nil
}

func (f *inputFlags) options() (stats.LoadOptions, error) {
	var opts stats.LoadOptions
	if _, err := stats.Encoding(f.encoding); err != nil {
		return opts, usageError("--encoding: %v", err)
	}
	opts.Encoding = f.encoding
	opts.Vocabulary = f.vocabulary
	opts.Codes = f.codes
	switch f.delimiter {
	case ",", "":
		opts.Delimiter = ','
	case ";", "|":
		opts.Delimiter = f.delimiter[0]
	case `\t`, "\t", "tab":
		opts.Delimiter = '\t'
	default:
		return opts, usageError(`--delimiter %q: use ",", ";", "\t" or "|"`, f.delimiter)
	}
	return opts, nil
}

// load reads the named files ("-" is standard input) into one dataset. With
// no names it reads data/trade.csv, or the embedded seed data when that file
// does not exist. Unreadable input is a usage-class error (exit 2).
func load(e *env, names []string, f *inputFlags) (*stats.Dataset, error) {
	opts, err := f.options()
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		if _, err := os.Stat(defaultInput); err != nil {
			ds, err := stats.Load(bytes.NewReader(data.TradeCSV), data.TradeName+" (built in)", opts)
			if err != nil {
				return nil, &exitError{code: exitInternal, err: err}
			}
			return ds, nil
		}
		names = []string{defaultInput}
	}
	all := &stats.Dataset{}
	for _, name := range names {
		var ds *stats.Dataset
		var err error
		if name == "-" {
			ds, err = stats.Load(e.stdin, "<stdin>", opts)
		} else {
			o := opts
			o.Progress = progressBar(e, name)
			ds, err = stats.LoadFile(name, o)
		}
		if err != nil {
			var pe *stats.ParseError
			if errors.As(err, &pe) {
				return nil, &exitError{code: exitUsage, err: err}
			}
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("cannot read %s: %w", name, unwrapPath(err))}
		}
		all.Merge(ds)
	}
	return all, nil
}

// unwrapPath drops the repeated file name from an *os.PathError.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// refuseErrors prints the findings and returns exit 1 when the checks found
// an error and force is not set: an output must not publish a wrong number.
func refuseErrors(e *env, c *checked, force bool, what string) error {
	errs, _ := stats.Count(c.findings)
	if errs == 0 || force {
		return nil
	}
	if err := writeReport(e, c.ds, c.rules, c.findings, false); err != nil {
		return err
	}
	return &exitError{code: exitFindings, err: fmt.Errorf("%s: the checks found %s (--force writes anyway)", what, plural(errs, "error"))}
}
