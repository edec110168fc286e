package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/tradedesk/report/data"
	"github.com/tradedesk/report/stats"
)

// defaultInput is the file checked when none is named.
const defaultInput = "data/trade.csv"

// inputFlags are the flags that say how to read input files.
type inputFlags struct {
	encoding  string
	delimiter string
}

func (f *inputFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.encoding, "encoding", "utf-8", "text encoding of the input: utf-8, utf-16, utf-16le, utf-16be, windows-1251, koi8-r, iso-8859-1, windows-1252")
	cmd.Flags().StringVar(&f.delimiter, "delimiter", ",", `field delimiter: ",", ";", "\t" or "|"`)
}

func (f *inputFlags) options() (stats.LoadOptions, error) {
	var opts stats.LoadOptions
	if _, err := stats.Encoding(f.encoding); err != nil {
		return opts, usageError("--encoding: %v", err)
	}
	opts.Encoding = f.encoding
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
