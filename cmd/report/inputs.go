package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"hash/maphash"
	"io"
	"iter"
	"os"
	"runtime"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tradedesk/report/data"
	"github.com/tradedesk/report/internal/tempfile"
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
	// notesAsIs reads the rows' notes as they are (stats.LoadOptions):
	// those of releases compared.
	notesAsIs bool
	// resolved tells that resolve has read the rules file, rf.
	resolved bool
	rf       *rules.File
}

func (f *inputFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.encoding, "encoding", "utf-8", "text encoding of the input: utf-8, utf-16, utf-16le, utf-16be, windows-1251, koi8-r, iso-8859-1, windows-1252")
	cmd.Flags().StringVar(&f.delimiter, "delimiter", ",", `field delimiter: ",", ";", "\t" or "|"`)
	cmd.Flags().StringVar(&f.rules, "rules", "", "rules and claims file (YAML); default rules.yaml next to the first file, when it exists")
	cmd.Flags().BoolVar(&f.noRules, "no-rules", false, "run the built-in rules alone, without a rules file")
	cmd.Flags().IntVar(&f.maxFindings, "max-findings", defaultMaxFindings, "list at most this many findings of each built-in rule and count the others (0: list all)")
}

// checked is input loaded and checked: the data, the rules file (nil when
// there is none) and the findings. ds is nil when the input was checked as
// it was read (see streamChecked).
type checked struct {
	ds           *stats.Dataset
	files        []string
	observations int
	// rows is the number of data rows read, rejected ones included.
	rows     int
	rules    *rules.File
	findings []stats.Finding
}

// loadChecked reads the rules file, loads the named files with the
// indicators it declares, and runs the built-in rules and the file's own.
// Every command that reads data goes through it, so that they all check the
// same way.
func loadChecked(e *env, names []string, f *inputFlags) (*checked, error) {
	rf, err := f.resolve(e, names)
	if err != nil {
		return nil, err
	}
	ds, err := load(e, names, f)
	if err != nil {
		return nil, err
	}
	return &checked{ds: ds, files: ds.Files, observations: len(ds.Obs), rows: ds.Rows, rules: rf, findings: runChecks(ds, rf, f.config(rf))}, nil
}

// resolve reads the rules file (see resolveRules) and takes the indicators
// and groups it declares into the flags, for loading. The file is read
// once: a command may need its indicators before it loads the data.
func (f *inputFlags) resolve(e *env, names []string) (*rules.File, error) {
	if f.resolved {
		return f.rf, nil
	}
	rf, err := f.resolveOnce(e, names)
	if err == nil {
		f.resolved, f.rf = true, rf
	}
	return rf, err
}

// resolveOnce reads the rules file and takes in what it declares.
func (f *inputFlags) resolveOnce(e *env, names []string) (*rules.File, error) {
	if f.noRules && f.rules != "" {
		return nil, usageError("--rules and --no-rules: give one of them")
	}
	if f.maxFindings < 0 {
		return nil, usageError("--max-findings %d: give a number of findings, or 0 to list them all", f.maxFindings)
	}
	if f.noRules {
		return nil, nil
	}
	rf, err := resolveRules(e, f.rules, names)
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
// rules file with a rule that reads every pair of the data (see
// rules.File.Reads), or a period that spans the turn of a year; the caller
// then loads the data whole with loadChecked, which reads standard input
// from the copy. The rules of a rules file, and its indicators with
// declared units, are evaluated on the rows they read, read again after
// the check. reportOnly tells that the caller only writes the findings
// next (see collectRows).
func streamChecked(e *env, names []string, f *inputFlags, reportOnly bool) (*checked, error) {
	if len(names) == 0 {
		return nil, nil
	}
	stdin := count(names, "-")
	if stdin > 1 {
		return nil, nil
	}
	if err := namedOnce(e, names); err != nil {
		return nil, err
	}
	rf, err := f.resolve(e, names)
	if err != nil {
		return nil, err
	}
	keep, ok := rf.Reads()
	if !ok {
		return nil, nil
	}
	if !readsAny(rf) {
		keep = nil
	} else if e.reads == nil {
		// The rows the rules read are read again: they must be those
		// checked.
		e.reads = newRereadLog()
	}
	opts, err := f.options()
	if err != nil {
		return nil, err
	}
	if stdin == 0 {
		opts.Progress = progressBar(e, names...)
	}
	// The names findings give the inputs: "-" is <stdin>. The caller's
	// names stay as they are, to be opened again.
	inputs, closeAll, err := openInputs(e, names)
	if errors.Is(err, errWhole) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer closeAll()
	files := make([]string, len(inputs))
	for i, in := range inputs {
		files[i] = in.Name
	}
	res, err := stats.CheckInputs(inputs, opts, f.config(rf))
	if errors.Is(err, errCopyFailed) {
		// Standard input is loaded whole, from what was read and the rest.
		e.spool.noCopy(e, err)
		return nil, nil
	}
	if errors.Is(err, stats.ErrNotYearOrder) || errors.Is(err, stats.ErrTempFile) {
		// Loaded whole instead: a period spans years, or no temporary
		// file for the years could be made or written.
		return nil, nil
	}
	if errors.Is(err, stats.ErrMemory) {
		return nil, memoryError(err, false)
	}
	if err != nil {
		return nil, readError(strings.Join(files, ", "), err)
	}
	if collectRows(reportOnly && keep == nil, len(res.Findings)) {
		go runtime.GC()
	}
	found := res.Findings
	if keep != nil {
		// As rules.File.CheckWith merges them.
		found, err = evaluateAgain(e, names, files, f, rf, keep, found)
		if err != nil {
			return nil, err
		}
	}
	return &checked{files: files, observations: res.Observations, rows: res.Rows, rules: rf, findings: explainOmitted(found)}, nil
}

// fewFindings is the most findings whose report collectRows lets be
// written without collecting the rows checked first: their lines are
// made in place in the text report, and a few hundred bytes of garbage
// each in the others.
const fewFindings = 20000

// collectRows tells whether to collect the rows of the years checked,
// which are gone, while what comes after the check runs: reading the data
// again (a rules file's rules, charts, a workbook) or writing a long
// report (some formats run to hundreds of megabytes) would otherwise pile
// its garbage on the check's peak before the collector runs again. The
// cycle runs beside it, on the core the check no longer uses: waiting for
// it took 10–20 ms of a check of 1M rows and 0.1–0.15 s of the wide
// file's, whose live heap is larger, and the peak is the same (a short
// report is written before the cycle ends, a long one reuses the rows'
// memory after). reportOnly tells that only the report of found findings
// comes after: when they are few, the cycle would only take the core the
// report could use, and its memory bandwidth. The 10,102 findings of the
// check of the synthetic 1M rows took 2.5–3.0 ms from the end of the check
// to the end of the process, against 5.3–7.3 ms with the cycle beside
// them (twelve runs of each, alternating).
func collectRows(reportOnly bool, found int) bool {
	return !reportOnly || found > fewFindings
}

// readsAny tells whether rf has rules, or indicators with declared units,
// that read rows of the data.
func readsAny(rf *rules.File) bool {
	if rf == nil {
		return false
	}
	for _, in := range rf.Indicators {
		if in.Unit != "" {
			return true
		}
	}
	return len(rf.Rules) > 0
}

// evaluateAgain reads the named inputs again after streamChecked checked
// them, keeping the rows the rules of rf read (keep), evaluates the rules
// on them and returns the findings of the check, found, with theirs,
// sorted.
func evaluateAgain(e *env, names, files []string, f *inputFlags, rf *rules.File, keep func(*stats.Observation) bool, found []stats.Finding) ([]stats.Finding, error) {
	opts, err := f.options()
	if err != nil {
		return nil, err
	}
	ds, err := loadAgain(e, names, files, opts, keep, "the rules of "+rf.Name+" not evaluated")
	if err != nil {
		return nil, err
	}
	found = append(found, rf.Evaluate(ds)...)
	stats.SortFindings(found)
	return found, nil
}

// newRereadLog returns the log of the readings of inputs that are checked
// a year at a time and then read again for their rows (see reread): a
// fast hash with a seed of its own, which tells a file that changed in
// between even to the same size and time of change.
func newRereadLog() *readLog {
	seed := maphash.MakeSeed()
	return newReadLog(func() hash.Hash {
		var h maphash.Hash
		h.SetSeed(seed)
		return &h
	})
}

// testHookChecked, when not nil, is called between a check and the second
// reading of its files: by reread, and by diffInputs for check
// --previous (twice when the comparison then loads them whole).
var testHookChecked func()

// reread yields the rows of the named inputs read again after
// streamChecked checked them without keeping them, in file order, as
// [stats.Observations] reads them with opts. An input that cannot be
// read ends the rows with an error that names it (see readError); one
// whose bytes are not those checked (see readLog.same), with an error
// that wraps errChanged. The rows already yielded must then not be
// published.
func reread(e *env, names []string, opts stats.LoadOptions) iter.Seq2[stats.Observation, error] {
	return func(yield func(stats.Observation, error) bool) {
		if testHookChecked != nil {
			testHookChecked()
		}
		for _, name := range names {
			r, display, closer, err := openInput(e, name)
			if err != nil {
				yield(stats.Observation{}, err)
				return
			}
			var readErr error
			for o, err := range stats.Observations(r, display, opts) {
				if err != nil {
					readErr = err
					break
				}
				if !yield(o, nil) {
					closer()
					return
				}
			}
			closer()
			if err := e.reads.same(name, display, r, readErr); err != nil {
				if !errors.Is(err, errChanged) {
					err = readError(display, err)
				}
				yield(stats.Observation{}, err)
				return
			}
		}
	}
}

// loadPairs reads the named inputs again after streamChecked and keeps
// the rows of the given reporter–partner pairs alone (see loadAgain), and
// of those the rows for which keep is true when it is not nil: what charts
// of a few pairs need from a file of millions of rows.
func loadPairs(e *env, names []string, f *inputFlags, pairs []stats.Pair, keep func(*stats.Observation) bool, files []string, what string) (*stats.Dataset, error) {
	opts, err := f.options()
	if err != nil {
		return nil, err
	}
	want := make(map[stats.Pair]bool, len(pairs))
	for _, p := range pairs {
		want[p] = true
	}
	return loadAgain(e, names, files, opts, func(o *stats.Observation) bool {
		return want[stats.Pair{Reporter: o.Reporter, Partner: o.Partner}] && (keep == nil || keep(o))
	}, what)
}

// loadWhole loads the named inputs whole after streamChecked checked them,
// as load does, with the rows it leaves out and the
// rows it read: each is read again from its start (standard input from its
// copy), and one whose bytes are not those checked gives an error that
// wraps errChanged after what.
func loadWhole(e *env, names []string, f *inputFlags, what string) (*stats.Dataset, error) {
	opts, err := f.options()
	if err != nil {
		return nil, err
	}
	if testHookChecked != nil {
		testHookChecked()
	}
	all := &stats.Dataset{}
	for _, name := range names {
		r, display, closer, err := openInput(e, name)
		if err != nil {
			return nil, err
		}
		o := opts
		if name != "-" {
			o.Progress = progressBar(e, name)
		}
		ds, err := stats.Load(r, display, o)
		err = e.reads.same(name, display, r, err)
		closer()
		switch {
		case errors.Is(err, errChanged):
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s: %w", what, err)}
		case err != nil:
			return nil, readError(display, err)
		}
		all.Merge(ds)
	}
	return all, nil
}

// loadAgain reads the named inputs again after a check that did not keep
// their rows (see readAgain), into a dataset of the files checked, keeping
// the rows for which keep is true, or all when keep is nil; rows that
// cannot be read are left out, as the check reported them. An input whose
// bytes are not those checked gives an error that wraps errChanged after
// what, which says what is not done. Rows beyond what the memory
// available holds at bytesPerRow (see rowsInMemory) stop the reading with
// an exit-2 error, rather than have the system kill the process: a rules
// file whose rule reads turnover of every pair keeps a third of the rows.
func loadAgain(e *env, names, files []string, opts stats.LoadOptions, keep func(*stats.Observation) bool, what string) (*stats.Dataset, error) {
	ds := &stats.Dataset{Files: files}
	most, free := rowsInMemory(e)
	for o, err := range readAgain(e, names, opts, keep, nil, what) {
		if err != nil {
			return nil, err
		}
		if most > 0 && len(ds.Obs) == most {
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s: the rows to read again into memory are more than the %d that the %s available hold; run on a machine with more memory, or on parts of the data in separate runs (a file per reporter, say)", what, most, formatBytes(free))}
		}
		ds.Obs = append(ds.Obs, o)
	}
	ds.Rows = len(ds.Obs)
	return ds, nil
}

// readAgain yields the rows of the named inputs read again after their
// check (see reread) for which keep is true, or all when keep is nil, and
// counts them by reporter–partner pair in count when it is not nil. An
// input that cannot be read ends them with reread's error, which names
// it; one whose bytes are not those checked, with an exitError that wraps
// errChanged after what, which says what is not done.
func readAgain(e *env, names []string, opts stats.LoadOptions, keep func(*stats.Observation) bool, count map[stats.Pair]int, what string) iter.Seq2[stats.Observation, error] {
	return func(yield func(stats.Observation, error) bool) {
		for o, err := range reread(e, names, opts) {
			if errors.Is(err, errChanged) {
				err = &exitError{code: exitUsage, err: fmt.Errorf("%s: %w", what, err)}
			}
			if err != nil {
				yield(o, err)
				return
			}
			if keep != nil && !keep(&o) {
				continue
			}
			if count != nil {
				count[stats.Pair{Reporter: o.Reporter, Partner: o.Partner}]++
			}
			if !yield(o, nil) {
				return
			}
		}
	}
}

// errWhole says that inputs must be loaded whole: one is not a regular
// file, or standard input could not be copied.
var errWhole = errors.New("the inputs must be loaded whole")

// openInputs opens the named inputs to be read a year at a time and
// again, each with openInput, as inputs named as findings name them. It
// returns errWhole when one is not there or is a folder (for the loader
// to report), or standard input could not be copied. A named pipe is
// read from its copy (see unpack). closeAll closes them.
func openInputs(e *env, names []string) (ins []stats.Input, closeAll func(), err error) {
	for _, name := range names {
		if name == "-" {
			continue
		}
		if _, ok, err := e.unpack(name); err != nil {
			return nil, nil, err
		} else if ok {
			continue
		}
		if st, err := os.Stat(name); err != nil || !st.Mode().IsRegular() {
			return nil, nil, errWhole
		}
	}
	var closers []func()
	closeAll = func() {
		for _, c := range closers {
			c()
		}
	}
	for _, name := range names {
		r, display, closer, err := openInput(e, name)
		if err != nil {
			closeAll()
			if errors.Is(err, errNoSpool) {
				err = errWhole
			}
			return nil, nil, err
		}
		closers = append(closers, closer)
		ins = append(ins, stats.Input{Name: display, R: r})
	}
	return ins, closeAll, nil
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
		if f, ok := r.(*os.File); ok && e.reads != nil {
			// Standard input itself, a file that can change.
			if r, err = e.reads.wrap(name, f); err != nil {
				return nil, "", nil, readError("<stdin>", err)
			}
		}
		return r, "<stdin>", func() {}, nil
	}
	if r, ok, err := e.unpack(name); err != nil || ok {
		return r, name, func() {}, err
	}
	file, err := os.Open(name)
	if err != nil {
		return nil, "", nil, readError(name, err)
	}
	var r io.ReadSeeker = file
	if e.reads != nil {
		if r, err = e.reads.wrap(name, file); err != nil {
			file.Close()
			return nil, "", nil, readError(name, err)
		}
	}
	return r, name, func() { file.Close() }, nil
}

// errNoSpool says that standard input could not be copied to a temporary
// file: it is then read as it comes, and loaded whole.
var errNoSpool = errors.New("standard input is not in a file")

// spoolStdin returns standard input as something that can be read again,
// at its start: standard input itself when it is a regular file (report
// check - < big.csv), from where it stood when the command began;
// otherwise a teed, which copies it to a temporary file (os.TempDir) as it
// is read, so that a check can begin at once and read years again later.
// Every call rewinds what the first returned. When the copy cannot be made
// (no temporary directory, a full disk), it returns errNoSpool, and
// e.stdin reads what was copied and then the rest of standard input, as if
// nothing had been read.
func spoolStdin(e *env) (io.ReadSeeker, error) {
	s := e.spool
	if s.r == nil && !s.failed {
		s.open(e)
	}
	if s.failed {
		return nil, errNoSpool
	}
	if _, err := s.r.Seek(s.base, io.SeekStart); err != nil {
		return nil, s.noCopy(e, err)
	}
	return s.r, nil
}

// open makes standard input something that can be read again (see
// spoolStdin), or sets s.failed.
func (s *spooled) open(e *env) {
	if f, ok := e.stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			if base, err := f.Seek(0, io.SeekCurrent); err == nil {
				s.r, s.file, s.base = f, f, base
				return
			}
		}
	}
	tmp, err := createTemp()
	if err != nil {
		s.failed = true
		return
	}
	src := e.stdin
	if src == nil {
		src = strings.NewReader("")
	}
	s.tee = &teed{src: src, f: tmp}
	s.r, s.file = s.tee, tmp
}

// noCopy turns an error of reading standard input through its copy into
// errNoSpool when the copy failed, after which e.stdin reads standard input
// whole again, or into a read error.
func (s *spooled) noCopy(e *env, err error) error {
	if !errors.Is(err, errCopyFailed) {
		return readError("<stdin>", err)
	}
	t := s.tee
	s.failed = true
	e.stdin = io.MultiReader(io.NewSectionReader(t.f, 0, t.written), bytes.NewReader(t.pending), t.src)
	return errNoSpool
}

// stdinWhole returns standard input to be read from its start, and the
// part of a file that holds all of it (so that its size is known), or nil
// when it could not be copied; standard input is then hashed as it is read
// (see stdinInput).
func stdinWhole(e *env) (io.Reader, *io.SectionReader, error) {
	s := e.spool
	r, err := spoolStdin(e)
	if err == nil {
		// A teed copies the rest of standard input to find its end.
		var end int64
		if end, err = r.Seek(0, io.SeekEnd); err == nil {
			if _, err = r.Seek(s.base, io.SeekStart); err == nil {
				return r, io.NewSectionReader(s.file, s.base, end-s.base), nil
			}
		}
		err = s.noCopy(e, err)
	}
	if !errors.Is(err, errNoSpool) {
		return nil, nil, err
	}
	if s.hash == nil {
		s.hash = &hashingReader{r: e.stdin, h: sha256.New()}
	}
	return s.hash, nil, nil
}

// hashingReader hashes and counts what is read through it.
type hashingReader struct {
	r io.Reader
	h hash.Hash
	n int64
}

func (r *hashingReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.h.Write(p[:n])
	r.n += int64(n)
	return n, err
}

// spoolFile is the temporary file a copy of standard input is written to.
type spoolFile interface {
	io.ReadWriteSeeker
	io.ReaderAt
	io.Closer
	Name() string
}

// createTemp creates the file of the copy of standard input, of a named
// pipe or of a compressed file's text (see unpack), which leaves nothing
// behind even when the command is interrupted or killed (see tempfile).
var createTemp = func() (spoolFile, error) {
	f, err := tempfile.Create("", "report-input-*.csv")
	if err != nil {
		return nil, err
	}
	return f, nil
}

// spooled is standard input as a file, shared by the copies of an env.
type spooled struct {
	r      io.ReadSeeker // standard input itself, a regular file, or tee
	file   io.ReaderAt   // the file r reads
	base   int64         // where standard input starts in file
	tee    *teed         // standard input copied as it is read
	failed bool          // the copy could not be made
	// hash is standard input as it was read whole without a copy.
	hash *hashingReader
}

// close closes a temporary copy, which removes it.
func (s *spooled) close() {
	if s == nil || s.tee == nil {
		return
	}
	s.tee.f.Close()
}

// errCopyFailed is returned by a teed whose copy could not be written.
var errCopyFailed = errors.New("standard input could not be copied to a temporary file")

// teed reads src and copies what it reads to f, until it is sought: it
// then copies the rest of src and reads f. Everything read from src is in
// f or, when a write failed, in pending.
type teed struct {
	src     io.Reader
	f       spoolFile
	written int64
	pending []byte // read from src but not written, when the copy failed
	failed  error  // the copy failed: every read and seek returns it
	sought  bool
}

func (t *teed) Read(p []byte) (int, error) {
	switch {
	case t.failed != nil:
		return 0, t.failed
	case t.sought:
		return t.f.Read(p)
	}
	n, err := t.src.Read(p)
	if n > 0 {
		m, werr := t.f.Write(p[:n])
		t.written += int64(m)
		if werr == nil && m < n {
			werr = io.ErrShortWrite
		}
		if werr != nil {
			t.pending = slices.Clone(p[m:n])
			t.failed = fmt.Errorf("%w: %v", errCopyFailed, werr)
			return 0, t.failed
		}
	}
	return n, err
}

// Seek asks where the reading is, or goes to the start, before anything
// was read, without reading; any other seek copies the rest of src first.
func (t *teed) Seek(off int64, whence int) (int64, error) {
	if t.failed != nil {
		return 0, t.failed
	}
	if !t.sought {
		if off == 0 && (whence == io.SeekCurrent || whence == io.SeekStart && t.written == 0) {
			return t.written, nil
		}
		buf := make([]byte, 256<<10)
		for {
			_, err := t.Read(buf)
			if err == io.EOF {
				break
			}
			if err != nil {
				return 0, err
			}
		}
		t.sought = true
	}
	return t.f.Seek(off, whence)
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

// defaultMaxFindings is how many findings of each built-in rule are
// listed unless --max-findings says otherwise.
const defaultMaxFindings = 10000

// memoryError makes an error of a year too large for the memory, which
// wraps stats.ErrMemory, a usage-class error (exit 2) that says what can
// be done: for a check, one whose findings to list take the memory
// (stats.ErrFindingsMemory), or a comparison of releases (compare).
func memoryError(err error, compare bool) error {
	advice := "run on a machine with more memory, or on parts of the data in separate runs (a file per reporter, say): a check of a part leaves out the rules across parts (mirror flows, world totals)"
	switch {
	case compare:
		advice = "run on a machine with more memory, or compare parts of the releases in separate runs (a file per reporter, say)"
	case errors.Is(err, stats.ErrFindingsMemory):
		advice = fmt.Sprintf("list fewer findings of each rule with --max-findings (it lists %d unless told otherwise, and 0 lists them all), or run on a machine with more memory", defaultMaxFindings)
	}
	if tempHeld.Load() > 0 {
		advice = "set TMPDIR to a directory on a disk, as the temporary files are on a file system in memory (tmpfs) that the limit counts; or " + advice
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("%w; %s", err, advice)}
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
	opts.MemoryLimit = memoryBound
	opts.MemoryElsewhere = tempMemoryOfRun()
	opts.Vocabulary = f.vocabulary
	opts.Codes = f.codes
	opts.NotesAsIs = f.notesAsIs
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
	var stdin io.Reader
	var stdinFile *io.SectionReader
	if err := namedOnce(e, names); err != nil {
		return nil, err
	}
	switch n := count(names, "-"); {
	case n > 1:
		return nil, usageError("standard input (-) is named %d times: it can be read once", n)
	case n == 1:
		if stdin, stdinFile, err = stdinWhole(e); err != nil {
			return nil, err
		}
		if f, ok := stdin.(*os.File); ok && e.reads != nil {
			// Standard input itself, a file that can change.
			if stdin, err = e.reads.wrap("-", f); err != nil {
				return nil, readError("<stdin>", err)
			}
		}
	}
	if err := checkMemory(names, e.estimateRows, stdinFile, e.memory); err != nil {
		return nil, err
	}
	all := &stats.Dataset{}
	for _, name := range names {
		var ds *stats.Dataset
		var err error
		if name == "-" {
			ds, err = stats.Load(stdin, "<stdin>", opts)
		} else {
			o := opts
			o.Progress = progressBar(e, name)
			ds, err = loadFile(e, name, o)
		}
		if err != nil {
			return nil, readError(name, err)
		}
		all.Merge(ds)
	}
	return all, nil
}

// loadFile loads the named file, through e.reads when it is set.
func loadFile(e *env, name string, opts stats.LoadOptions) (*stats.Dataset, error) {
	if r, ok, err := e.unpack(name); err != nil {
		return nil, err
	} else if ok {
		opts.SizeHint = r.Size()
		return stats.Load(r, name, opts)
	}
	if e.reads == nil {
		return stats.LoadFile(name, opts)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		opts.SizeHint = st.Size()
	}
	r, err := e.reads.wrap(name, f)
	if err != nil {
		return nil, err
	}
	return stats.Load(r, name, opts)
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

// namedOnce returns a usage error when two of names are one file (a.csv
// and ./a.csv, a link and its target, a named pipe twice, - and
// /dev/stdin), whose rows would all be checked twice and found given twice
// each, or which would wait for a second writer.
func namedOnce(e *env, names []string) error {
	var seen []os.FileInfo
	var seenNames []string
	for _, name := range names {
		var st os.FileInfo
		var err error
		shown := name
		if name == "-" {
			f, ok := e.stdin.(*os.File)
			if !ok {
				continue
			}
			st, err = f.Stat()
			shown = "standard input (-)"
		} else {
			st, err = os.Stat(name)
		}
		if err != nil || st.IsDir() {
			continue // reported when it is read
		}
		for i, s := range seen {
			if os.SameFile(s, st) {
				if seenNames[i] == shown {
					return usageError("%s is named twice: name each file once", shown)
				}
				return usageError("%s and %s are one file: name each file once", seenNames[i], shown)
			}
		}
		seen, seenNames = append(seen, st), append(seenNames, shown)
	}
	return nil
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

// stdinUnread tells, on standard error, that standard input is not read
// when a command names no file and standard input is a file: `report check
// < trade.csv` checks data/trade.csv, or the built-in seed data, and a CI
// job that meant its file would pass on figures it never read. A pipe or
// a terminal is not told of: CI runners and shells give commands those.
func stdinUnread(e *env, names []string) {
	if len(names) > 0 || e.stderr == nil {
		return
	}
	f, ok := e.stdin.(*os.File)
	if !ok {
		return
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return
	}
	read := defaultInput
	if _, err := os.Stat(defaultInput); err != nil {
		read = "the built-in seed data"
	}
	fmt.Fprintf(e.stderr, "report: standard input is a file, and not read: with no file named, %s is checked; name - to check standard input\n", read)
}
