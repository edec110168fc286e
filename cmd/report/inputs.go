package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

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
	// maxFindings bounds the findings listed of each built-in rule.
	maxFindings int

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
	cmd.Flags().IntVar(&f.maxFindings, "max-findings", 10000, "list at most this many findings of each built-in rule and count the others (0: list all)")
}

// checked is input loaded and checked: the data, the rules file (nil when
// there is none) and the findings. ds is nil when the input was checked as
// it was read (see streamChecked).
type checked struct {
	ds           *stats.Dataset
	files        []string
	observations int
	rules        *rules.File
	findings     []stats.Finding
}

// loadChecked reads the rules file, loads the named files with the
// indicators it declares, and runs the built-in rules and the file's own.
// Every command that reads data goes through it, so that they all check the
// same way.
func loadChecked(e *env, names []string, f *inputFlags) (*checked, error) {
	rf, err := f.resolve(names)
	if err != nil {
		return nil, err
	}
	ds, err := load(e, names, f)
	if err != nil {
		return nil, err
	}
	return &checked{ds: ds, files: ds.Files, observations: len(ds.Obs), rules: rf, findings: runChecks(ds, rf, f.config(rf))}, nil
}

// resolve reads the rules file (see resolveRules) and takes the indicators
// and groups it declares into the flags, for loading.
func (f *inputFlags) resolve(names []string) (*rules.File, error) {
	if f.noRules && f.rules != "" {
		return nil, usageError("--rules and --no-rules: give one of them")
	}
	if f.maxFindings < 0 {
		return nil, usageError("--max-findings %d: give a number of findings, or 0 to list them all", f.maxFindings)
	}
	if f.noRules {
		return nil, nil
	}
	rf, err := resolveRules(f.rules, names)
	if err != nil || rf == nil {
		return nil, err
	}
	f.vocabulary = rf.Vocabulary()
	f.codes = nil
	for _, g := range rf.Groups {
		f.codes = append(f.codes, g.Code)
	}
	return rf, nil
}

// streamChecked checks the named files a year at a time
// (stats.CheckInputs), so that files of millions of rows need memory for
// the series of one year, not for every row. Standard input ("-") is first
// copied to a temporary file (see spoolStdin). It returns nil, nil when
// that does not apply: the default data, standard input named twice, a
// rules file with rules or claims of its own or indicators with declared
// units (they need the whole data), or a period that spans the turn of a
// year; the caller then loads the data whole with loadChecked, which reads
// standard input from the copy.
func streamChecked(e *env, names []string, f *inputFlags) (*checked, error) {
	if len(names) == 0 {
		return nil, nil
	}
	stdin := 0
	for _, name := range names {
		if name == "-" {
			stdin++
			continue
		}
		if st, err := os.Stat(name); err != nil || !st.Mode().IsRegular() {
			return nil, nil
		}
	}
	if stdin > 1 {
		return nil, nil
	}
	rf, err := f.resolve(names)
	if err != nil {
		return nil, err
	}
	if rf != nil && len(rf.Rules) > 0 {
		return nil, nil
	}
	if rf != nil {
		for _, in := range rf.Indicators {
			if in.Unit != "" {
				return nil, nil
			}
		}
	}
	opts, err := f.options()
	if err != nil {
		return nil, err
	}
	if len(names) == 1 && stdin == 0 {
		opts.Progress = progressBar(e, names[0])
	}
	var inputs []stats.Input
	shown := make([]string, len(names))
	for i, name := range names {
		r, display, closer, err := openInput(e, name)
		if err != nil {
			return nil, err
		}
		defer closer()
		inputs = append(inputs, stats.Input{Name: display, R: r})
		shown[i] = display
	}
	names = shown
	res, err := stats.CheckInputs(inputs, opts, f.config(rf))
	if errors.Is(err, stats.ErrNotYearOrder) {
		return nil, nil
	}
	if err != nil {
		return nil, readError(strings.Join(names, ", "), err)
	}
	return &checked{files: names, observations: res.Observations, rules: rf, findings: explainOmitted(res.Findings)}, nil
}

// openInput opens a named input to be read from its start: a file, or
// for "-" standard input through its copy (spoolStdin). It returns the
// name findings give it and a function that closes it.
func openInput(e *env, name string) (io.ReadSeeker, string, func(), error) {
	if name == "-" {
		r, err := spoolStdin(e)
		if err != nil {
			return nil, "", nil, err
		}
		return r, "<stdin>", func() {}, nil
	}
	file, err := os.Open(name)
	if err != nil {
		return nil, "", nil, readError(name, err)
	}
	return file, name, func() { file.Close() }, nil
}

// spoolStdin returns standard input as a file that can be read again, at
// its start: standard input itself when it is a regular file (report
// check - < big.csv), otherwise a copy in a temporary file (os.TempDir),
// made once and removed when the command ends. Later reads of e.stdin read
// the copy, so that data that must be loaded whole after a check a year
// at a time can be.
func spoolStdin(e *env) (io.ReadSeeker, error) {
	if e.spool == nil {
		if f, ok := e.stdin.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
				if base, err := f.Seek(0, io.SeekCurrent); err == nil {
					e.spool = &spooled{r: f, base: base}
				}
			}
		}
	}
	if e.spool == nil {
		tmp, err := os.CreateTemp("", "report-stdin-*.csv")
		if err != nil {
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("cannot copy standard input to a temporary file (TMPDIR chooses where): %w", unwrapPath(err))}
		}
		e.spool = &spooled{r: tmp, path: tmp.Name()}
		if _, err := io.Copy(tmp, e.stdin); err != nil {
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("cannot copy standard input to %s (TMPDIR chooses where): %w", tmp.Name(), unwrapPath(err))}
		}
	}
	if _, err := e.spool.r.Seek(e.spool.base, io.SeekStart); err != nil {
		return nil, readError("<stdin>", err)
	}
	e.stdin = e.spool.r
	return e.spool.r, nil
}

// spooled is standard input in a file: where it starts, and the path of a
// temporary copy to remove ("" when it is standard input itself).
type spooled struct {
	r    *os.File
	base int64
	path string
}

// close closes and removes a temporary copy.
func (s *spooled) close() {
	if s != nil && s.path != "" {
		s.r.Close()
		os.Remove(s.path)
	}
}

// config returns the configuration of the built-in rules: the rules
// file's (rf may be nil) and the flags'.
func (f *inputFlags) config(rf *rules.File) *stats.Config {
	cfg := rf.Config()
	cfg.MaxFindings = max(f.maxFindings, 0)
	return cfg
}

// explainOmitted says, in a finding that counts findings not listed, how
// to list them.
func explainOmitted(fs []stats.Finding) []stats.Finding {
	for i := range fs {
		if fs[i].Omitted > 0 {
			fs[i].Message += "; --max-findings 0 lists them all"
		}
	}
	return fs
}

// readError makes an error of loading a file a usage-class error (exit 2)
// that names the file once.
func readError(name string, err error) error {
	var pe *stats.ParseError
	if errors.As(err, &pe) {
		return &exitError{code: exitUsage, err: err}
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("cannot read %s: %w", name, unwrapPath(err))}
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
	stdin := ""
	if e.spool != nil {
		// Standard input was read into a file: its size is known.
		stdin = e.spool.r.Name()
	}
	if err := checkMemory(names, stdin, e.memory); err != nil {
		return nil, err
	}
	all := &stats.Dataset{}
	for _, name := range names {
		var ds *stats.Dataset
		var err error
		if name == "-" {
			var r io.Reader = e.stdin
			if e.spool != nil {
				// Read once already: from the start of its copy.
				if r, err = spoolStdin(e); err != nil {
					return nil, err
				}
			}
			ds, err = stats.Load(r, "<stdin>", opts)
		} else {
			o := opts
			o.Progress = progressBar(e, name)
			ds, err = stats.LoadFile(name, o)
		}
		if err != nil {
			return nil, readError(name, err)
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
	if err := writeReport(e, c, false); err != nil {
		return err
	}
	return &exitError{code: exitFindings, err: fmt.Errorf("%s: the checks found %s (--force writes anyway)", what, plural(errs, "error"))}
}
