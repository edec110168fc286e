package reports

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tradedesk/report/internal/atomicfile"
	"github.com/tradedesk/report/stats"
	"github.com/xuri/excelize/v2"
)

// Input is one input file as the About sheet cites it.
type Input struct {
	Name   string // the name the file was read under
	Size   int64  // its size in bytes
	SHA256 string // the SHA-256 of its bytes, in lower-case hex
}

// HashInput reads r to its end and returns the Input for name, with the
// size and SHA-256 of what it read. It returns the read error, if any.
func HashInput(name string, r io.Reader) (Input, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return Input{}, fmt.Errorf("hash %s: %w", name, err)
	}
	return Input{Name: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// RulesFile is a rules file whose rules the checks ran besides the
// built-in ones, as the About sheet cites it: the file, with its size and
// SHA-256 when SHA256 is given, and its own rules and claims.
type RulesFile struct {
	Input
	// Rules are the file's rules and claims, in file order.
	Rules []Rule
}

// Rule is a rule or claim of a rules file as the About sheet lists it.
type Rule struct {
	ID          string
	Description string
	Severity    stats.Severity
	Tolerance   stats.Tolerance
}

// Workbook is what the quarterly workbook shows. Data is required; the
// other fields have defaults. The writer does not modify Data or Findings.
type Workbook struct {
	// Data is the dataset to report on.
	Data *stats.Dataset
	// Findings are the results of the checks on Data, as [stats.Check]
	// returns them; when one of them is an error, the Summary carries a
	// banner.
	Findings []stats.Finding
	// Period is the period the workbook is for; the zero Period means
	// [DefaultPeriod] of Data.
	Period stats.Period
	// Inputs are the files Data was read from, cited with their hashes on
	// the About sheet.
	Inputs []Input
	// Config is the configuration the checks ran with, cited on the About
	// sheet; nil means the defaults.
	Config *stats.Config
	// RulesFile is the rules file the checks ran, cited on the About sheet
	// with its rules; nil when there was none.
	RulesFile *RulesFile
	// Version names the tool that wrote the workbook.
	Version string
	// AsOf is the time the workbook says it was made: the document
	// properties, the About sheet and the time stamps inside the archive.
	AsOf time.Time
	// TmpDir is where large parts are spooled while the workbook is
	// written; "" means the system's temporary directory.
	TmpDir string
	// MaxCharts bounds the pairs that get charts, those with the largest
	// flows of the period; 0 means 10.
	MaxCharts int
	// Images embeds the house-style PNG charts of package charts on the
	// Charts sheet too, below the native ones, for the same pairs; it
	// costs a second or so and a few hundred kilobytes a pair.
	Images bool
	// Warn, when not nil, is told what the workbook could not do as
	// asked, in a sentence without its period: Images when the built-in
	// charts draw nothing of the charted pairs (data by month or quarter
	// alone). The workbook says it too.
	Warn func(string)

	// Rows, when not nil, makes the workbook of data too large to hold at
	// once: Data then holds the files and the number of rows read
	// (Dataset.Files, Dataset.Rows) but no observation; Rows yields every
	// row in file order, once, for the Data sheets and what the other
	// sheets count; and Group the rows of a group of reporter–partner
	// pairs at a time, for the Series, the Summary and the charts. The
	// workbook is the same bytes as that of Data holding every row.
	Rows iter.Seq2[stats.Observation, error]
	// Group returns the rows of pairs in file order, with nil, or an error
	// that stops the writing. It is asked for every pair once, in order,
	// in groups of at most GroupRows rows (a pair with more comes alone).
	Group func(pairs []stats.Pair) (*stats.Dataset, error)
	// GroupRows bounds the rows of a group (see Group); 0 means 1,000,000.
	GroupRows int
}

// maxDataRows is the number of data rows a Data sheet holds under its
// header: Excel's 1,048,576 rows less one. Tests lower it.
var maxDataRows = excelize.TotalRows - 1

// ErrNoData is returned when a workbook is asked for a dataset with no
// observations.
var ErrNoData = errors.New("no observations to report")

// WriteTo writes the workbook as XLSX to dst and returns the number of
// bytes written. The sheets are streamed: each part of the archive is
// compressed as it is made into a spool (in memory up to 4 MB, then a
// temporary file in TmpDir), and the parts go to dst in a fixed order at
// the end, so the memory used does not grow with the rows of the Data
// sheets. It returns
// [ErrNoData] when Data (or Rows) has no observations, an error when Period is zero
// and Data has no period to default to, an error wrapping [ErrNoFigures]
// when no series has a figure of Period, published or made up of its
// parts (its rows would leave the Summary empty), and any error of dst;
// dst gets nothing when an error comes before the archive is written.
func (w *Workbook) WriteTo(dst io.Writer) (int64, error) {
	if w.Data == nil || len(w.Data.Obs) == 0 && w.Rows == nil {
		return 0, ErrNoData
	}
	if w.Rows != nil && w.Group == nil {
		return 0, errors.New("reports: a workbook of Rows needs their Group")
	}
	b, err := newBuilder(w)
	if err != nil {
		return 0, err
	}
	defer b.close()
	if err := b.build(); err != nil {
		return 0, err
	}
	return b.writeArchive(dst)
}

// writeArchive writes the built workbook to dst through a [detZip].
func (b *builder) writeArchive(dst io.Writer) (int64, error) {
	cw := &countWriter{w: dst}
	z := &detZip{dst: cw, mod: b.w.AsOf.UTC(), tmpDir: b.w.TmpDir, want: b.charts.wants, rewrite: b.charts.rewrite, root: sheetHead(b.partDims()), splice: b.partSegments()}
	b.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return z })
	// excelize hands its own buffer to the zip writer, which ignores it:
	// the archive goes straight to dst, in a fixed order.
	if _, err := b.f.WriteTo(io.Discard); err != nil {
		z.cleanup()
		return cw.n, fmt.Errorf("write workbook: %w", err)
	}
	return cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// WriteFile writes the workbook to path through a temporary file in the
// same directory, renamed into place only when it is complete: a failed
// write leaves an earlier file at path as it was. It creates the directory
// when needed.
func WriteFile(path string, w *Workbook) error {
	c := *w
	c.TmpDir = cmp.Or(c.TmpDir, filepath.Dir(path))
	return writeFile(path, &c)
}

// WriteDataFile writes a workbook of the Data sheets alone to path as
// [WriteFile] does, its rows spooled beside path unless w says where.
func WriteDataFile(path string, w *DataWorkbook) error {
	c := *w
	c.TmpDir = cmp.Or(c.TmpDir, filepath.Dir(path))
	return writeFile(path, &c)
}

// writeFile writes w to path through a temporary file in the same
// directory, renamed into place when it is complete.
func writeFile(path string, w io.WriterTo) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	t, err := atomicfile.Create(path, atomicfile.Options{Perm: 0o644})
	if err != nil {
		return err
	}
	defer t.Cleanup()
	if _, err := w.WriteTo(t); err != nil {
		return err
	}
	return t.Commit()
}

// FileName returns the file name of the workbook for period p:
// report-2024-Q3.xlsx; an interval's slash becomes a double hyphen, as ISO
// 8601 allows (report-2024-01--2024-07.xlsx).
func FileName(p stats.Period) string {
	return "report-" + strings.ReplaceAll(p.String(), "/", "--") + ".xlsx"
}

// DefaultPeriod returns the period a workbook is for when none is given:
// the latest quarter of the data, published, or with all three of its
// months published in one series (looking back at most eight quarters from
// the latest month). When the data has no quarter it falls back to the flow period
// (a year, quarter, month, or an interval of months or quarters) that ends
// latest, the longer one first when two end together; intervals of years
// (2005/2024) are cumulative totals rather than reporting periods and are
// left out, as are stocks counted at a date. On the seed data, which has
// the years 2022 and 2023 and January–July 2024, that is 2024-01/2024-07.
// It returns false when the data has no such period.
func DefaultPeriod(ds *stats.Dataset) (stats.Period, bool) {
	f := newPeriodFinder()
	for i := range ds.Obs {
		f.add(&ds.Obs[i])
	}
	return f.period()
}

// DefaultPeriodOf is [DefaultPeriod] of the rows rows yields, seen one at
// a time, in memory that grows with the series, not the rows; it returns
// the first error rows yields.
func DefaultPeriodOf(rows iter.Seq2[stats.Observation, error]) (stats.Period, bool, error) {
	f := newPeriodFinder()
	for o, err := range rows {
		if err != nil {
			return stats.Period{}, false, err
		}
		f.add(&o)
	}
	p, ok := f.period()
	return p, ok, nil
}

// periodFinder finds [DefaultPeriod] of rows seen one at a time, in
// memory that grows with the series, not the rows.
type periodFinder struct {
	voc                    *stats.Vocabulary
	bestQ, best, lastMonth stats.Period
	seen                   map[stats.Period]bool
	// months holds, by series, the months of its flows (see add) up to 31
	// before its latest: a quarter complete in one series is looked for at
	// most 23 months before the latest month of all.
	months map[stats.Key]*monthWindow
}

// monthWindow is the months of a series from last−31 to last, month
// last−i as bit i.
type monthWindow struct {
	last int
	bits uint32
}

func newPeriodFinder() *periodFinder {
	return &periodFinder{voc: stats.NewVocabulary(), seen: map[stats.Period]bool{}, months: map[stats.Key]*monthWindow{}}
}

// add takes in the row o.
func (f *periodFinder) add(o *stats.Observation) {
	if info, ok := f.voc.Lookup(o.Indicator); !o.Value.Valid || !ok || !info.Flow {
		return
	}
	p := o.Period
	switch {
	case p.IsInterval():
	case p.Kind() == stats.Quarter:
		if f.bestQ.IsZero() || stats.Compare(p, f.bestQ) > 0 {
			f.bestQ = p
		}
	case p.Kind() == stats.Month:
		if f.lastMonth.IsZero() || stats.Compare(p, f.lastMonth) > 0 {
			f.lastMonth = p
		}
		f.month(o.Key(), p.Index())
	}
	if p.Kind() == stats.Day || (p.Kind() == stats.Year && p.IsInterval()) {
		return
	}
	// Most rows repeat a period already weighed: its last day is worked
	// out once.
	if p == f.best || f.seen[p] {
		return
	}
	if len(f.seen) < 1<<16 {
		f.seen[p] = true
	}
	if f.best.IsZero() || laterPeriod(p, f.best) {
		f.best = p
	}
}

// month notes month m (its index) of series k.
func (f *periodFinder) month(k stats.Key, m int) {
	w := f.months[k]
	switch {
	case w == nil:
		f.months[k] = &monthWindow{last: m, bits: 1}
	case m > w.last:
		if d := m - w.last; d < 32 {
			w.bits = w.bits<<d | 1
		} else {
			w.bits = 1
		}
		w.last = m
	case w.last-m < 32:
		w.bits |= 1 << (w.last - m)
	}
}

// period returns the default period of the rows taken in: the latest
// quarter, published or with its three months in one series (looking
// back at most eight quarters from the latest month), else the flow
// period that ends latest; false when there is none.
func (f *periodFinder) period() (stats.Period, bool) {
	bestQ := f.bestQ
	if !f.lastMonth.IsZero() {
		q := stats.QuarterOf(f.lastMonth.Year(), (monthOf(f.lastMonth)-1)/3+1)
		for range 8 {
			if !bestQ.IsZero() && stats.Compare(q, bestQ) <= 0 {
				break
			}
			if f.complete(q) {
				bestQ = q
				break
			}
			q = prevQuarter(q)
		}
	}
	if !bestQ.IsZero() {
		return bestQ, true
	}
	return f.best, !f.best.IsZero()
}

// complete reports whether some series has a figure for each month of
// quarter q.
func (f *periodFinder) complete(q stats.Period) bool {
	months, _ := q.Cover(stats.Month)
	for _, w := range f.months {
		all := true
		for _, m := range months {
			d := w.last - m.Index()
			if d < 0 || d >= 32 || w.bits&(1<<d) == 0 {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// prevQuarter returns the quarter before q.
func prevQuarter(q stats.Period) stats.Period {
	y, n := q.Year(), atoi(q.String()[6:7])
	if n == 1 {
		return stats.QuarterOf(y-1, 4)
	}
	return stats.QuarterOf(y, n-1)
}

// laterPeriod reports whether p ends after q, or ends with it and is longer.
func laterPeriod(p, q stats.Period) bool {
	pe, qe := endDay(p), endDay(q)
	if pe != qe {
		return pe > qe
	}
	return stats.Compare(p, q) < 0
}

// endDay returns a number that orders periods by their last day; a
// year, quarter or month counts as ending on day 31 of its last month,
// which orders it correctly against every day.
func endDay(p stats.Period) int {
	s := p.Last().String()
	y := atoi(s[:4])
	switch p.Kind() {
	case stats.Year:
		return (y*12+12)*32 + 31
	case stats.Quarter:
		return (y*12+atoi(s[6:7])*3)*32 + 31
	case stats.Month:
		return (y*12+atoi(s[5:7]))*32 + 31
	}
	return (y*12+atoi(s[5:7]))*32 + atoi(s[8:10])
}

// monthOf returns the month (1–12) of a single month period.
func monthOf(p stats.Period) int { return atoi(p.String()[5:7]) }

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
