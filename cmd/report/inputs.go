package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
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
		if errors.Is(err, errNoSpool) {
			return nil, nil
		}
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
// name findings give it and a function that closes it. For standard input
// that could not be copied it returns errNoSpool.
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

// errNoSpool says that standard input could not be copied to a temporary
// file: it is then read as it comes, and loaded whole.
var errNoSpool = errors.New("standard input is not in a file")

// spoolStdin returns standard input as a file that can be read again, at
// its start: standard input itself when it is a regular file (report
// check - < big.csv), otherwise a copy in a temporary file (os.TempDir),
// made once. Later reads of e.stdin read the file, so that data that must
// be loaded whole after a check a year at a time can be. When the copy
// cannot be made (no temporary directory, a full disk), it returns
// errNoSpool, and e.stdin reads what was copied and then the rest of
// standard input, as if nothing had been read.
func spoolStdin(e *env) (io.ReadSeeker, error) {
	s := e.spool
	if s.f == nil && !s.failed {
		if err := s.fill(e); err != nil {
			return nil, err
		}
	}
	if s.failed {
		return nil, errNoSpool
	}
	if _, err := s.f.Seek(s.base, io.SeekStart); err != nil {
		return nil, readError("-", err)
	}
	e.stdin = s.f
	return s.f, nil
}

// spooled is standard input in a file, shared by the copies of an env.
type spooled struct {
	f      *os.File // standard input or its copy; nil until made
	base   int64    // where standard input starts in f
	failed bool     // the copy could not be made
	tmp    *os.File // the temporary copy, to close when the command ends
	path   string   // its name, when it could not be removed at once
}

// fill makes s from e.stdin.
func (s *spooled) fill(e *env) error {
	if f, ok := e.stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			if base, err := f.Seek(0, io.SeekCurrent); err == nil {
				s.f, s.base = f, base
				return nil
			}
		}
	}
	var src io.Reader = e.stdin
	if src == nil {
		src = strings.NewReader("")
	}
	tmp, err := createTemp()
	if err != nil {
		s.failed = true
		return nil
	}
	s.tmp = tmp
	// Removed at once where the system allows it (the data stay while the
	// file is open), so that nothing is left behind even when the command
	// is interrupted or killed; elsewhere when the command ends.
	if os.Remove(tmp.Name()) != nil {
		s.path = tmp.Name()
	}
	buf := make([]byte, 256<<10)
	var written int64
	for {
		n, rerr := src.Read(buf)
		if n > 0 {
			m, werr := tmp.Write(buf[:n])
			written += int64(m)
			if werr != nil {
				// Read on from what was copied, what was not, and the rest.
				s.failed = true
				e.stdin = io.MultiReader(io.NewSectionReader(tmp, 0, written), bytes.NewReader(slices.Clone(buf[m:n])), src)
				return nil
			}
		}
		if rerr == io.EOF {
			s.f = tmp
			return nil
		}
		if rerr != nil {
			return readError("-", rerr)
		}
	}
}

// createTemp creates the file of the copy of standard input.
var createTemp = func() (*os.File, error) { return os.CreateTemp("", "report-stdin-*.csv") }

// close closes and removes a temporary copy.
func (s *spooled) close() {
	if s == nil || s.tmp == nil {
		return
	}
	s.tmp.Close()
	if s.path != "" {
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
	var stdin *os.File
	switch n := count(names, "-"); {
	case n > 1:
		return nil, usageError("standard input (-) is named %d times: it can be read once", n)
	case n == 1:
		// In a file, its size is known.
		if f, err := spoolStdin(e); err == nil {
			stdin = f.(*os.File)
		} else if !errors.Is(err, errNoSpool) {
			return nil, err
		}
	}
	if err := checkMemory(names, stdin, e.memory); err != nil {
		return nil, err
	}
	all := &stats.Dataset{}
	for _, name := range names {
		var ds *stats.Dataset
		var err error
		if name == "-" {
			// From the start of its file (see spoolStdin), or as it comes.
			var r io.Reader = e.stdin
			if stdin != nil {
				r = stdin
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

// count returns how many of names are name.
func count(names []string, name string) int {
	n := 0
	for _, s := range names {
		if s == name {
			n++
		}
	}
	return n
}
