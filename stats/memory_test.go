package stats

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// yearsOf returns a file of the same 1,140 series (exports, imports and
// turnover of 380 pairs) by month over years years, in year order, with
// nothing for the rules to find: the findings, which grow with the rows
// up to --max-findings, are not what is measured.
func yearsOf(years int) []byte {
	codes := []string{"KAZ", "ARM", "RUS", "CHN", "USA", "DEU", "FRA", "GBR", "ITA", "JPN", "KOR", "IND", "BRA", "CAN", "AUS", "ESP", "MEX", "IDN", "NLD", "TUR"}
	var b bytes.Buffer
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	for y := range years {
		for m := 1; m <= 12; m++ {
			for i, r := range codes {
				for j, p := range codes {
					if i == j {
						continue
					}
					// What one reports exported to the other, the other
					// reports imported: the mirror rule finds nothing.
					flow := func(from, to int) float64 { return float64((from*7+to*3+m)%50) + 0.5 }
					ex, im := flow(i, j), flow(j, i)
					fmt.Fprintf(&b, "%s,%s,exports,%d-%02d,%.1f,USD million,S\n", r, p, 2000+y, m, ex)
					fmt.Fprintf(&b, "%s,%s,imports,%d-%02d,%.1f,USD million,S\n", r, p, 2000+y, m, im)
					fmt.Fprintf(&b, "%s,%s,turnover,%d-%02d,%.1f,USD million,S\n", r, p, 2000+y, m, ex+im)
				}
			}
		}
	}
	return b.Bytes()
}

// reversed returns in with its rows in reverse, after the header.
func reversed(in []byte) []byte {
	lines := strings.SplitAfter(string(in), "\n")
	head, rows := lines[0], lines[1:]
	var b strings.Builder
	b.WriteString(head)
	for i := len(rows) - 1; i >= 0; i-- {
		b.WriteString(rows[i])
	}
	return []byte(b.String())
}

// byYear returns in, whose rows are in year order, as a file a year, each
// with the header.
func byYear(in []byte) [][]byte {
	head, rest, _ := bytes.Cut(in, []byte("\n"))
	head = append(head, '\n')
	var files [][]byte
	year := ""
	for line := range bytes.Lines(rest) {
		// reporter,partner,indicator,YYYY-MM,...
		y := string(bytes.Split(line, []byte(","))[3][:4])
		if y != year {
			files, year = append(files, bytes.Clone(head)), y
		}
		files[len(files)-1] = append(files[len(files)-1], line...)
	}
	return files
}

// inputs returns files as inputs named by their number, those that
// cannot seek when pipes.
func inputs(files [][]byte, pipes bool) []Input {
	in := make([]Input, len(files))
	for i, f := range files {
		var r io.Reader = bytes.NewReader(f)
		if pipes {
			r = struct{ io.Reader }{r}
		}
		in[i] = Input{fmt.Sprintf("%d.csv", i), r}
	}
	return in
}

// peakHeap returns how much the heap of objects grew at most while f
// ran, with the collector run often so that the heap stays near what is
// live.
func peakHeap(f func()) uint64 {
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	peak := base
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(200 * time.Microsecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	f()
	close(done)
	wg.Wait()
	return peak - base
}

// TestMemoryGrowsWithSeries checks that the memory of a check grows with
// its series, not its rows: 32 years of the same series, four times the
// rows of 8, take much less than four times the memory, whether the file
// comes in year order (CheckStream) or in reverse, through the files of
// the years, or as a file a year (CheckInputs), in turn or through the
// files of the years. Below 8 years the chunks in flight, which are as
// many whatever the rows, are not all needed yet (with chunks of 1 MB: 2
// years took 8 MB, 8 years 13 MB, 16 and 32 years 15–19 MB). Here they
// are of 64 KB: 8 years take about 4 MB and 32 years about 5.5 MB (1.1–1.6
// times, in runs beside other tests), and a check that kept every row it
// read took 2.7 times as much. A file a year takes 4.5–6 MB for 8 years
// and 6–8.5 MB for 32 (1.3–1.5 times); when each input had entries of
// its own, kept to the end, 32 took 19 MB (2.3–2.5 times).
func TestMemoryGrowsWithSeries(t *testing.T) {
	if testing.Short() {
		t.Skip("checks some 550,000 rows")
	}
	small, large := yearsOf(8), yearsOf(32)
	// Each case makes a check of a file, to run once; the inputs are made
	// before the check, so that they are not what is measured.
	for _, tc := range []struct {
		name  string
		files [2][]byte
		check func(in []byte) func() (*Checked, error)
	}{
		{"in year order", [2][]byte{small, large}, func(in []byte) func() (*Checked, error) {
			return func() (*Checked, error) { return CheckStream(bytes.NewReader(in), "x.csv", LoadOptions{}, &Config{}) }
		}},
		{"in reverse", [2][]byte{reversed(small), reversed(large)}, func(in []byte) func() (*Checked, error) {
			// A reader that cannot seek goes through the files of the
			// years at once.
			r := struct{ io.Reader }{bytes.NewReader(in)}
			return func() (*Checked, error) { return CheckInputs([]Input{{"x.csv", r}}, LoadOptions{}, &Config{}) }
		}},
		{"a file a year, in turn", [2][]byte{small, large}, func(in []byte) func() (*Checked, error) {
			// Each input's series have entries of their own, let go
			// once the input is read.
			ins := inputs(byYear(in), false)
			return func() (*Checked, error) { return CheckInputs(ins, LoadOptions{}, &Config{}) }
		}},
		{"a file a year, through the files of the years", [2][]byte{small, large}, func(in []byte) func() (*Checked, error) {
			ins := inputs(byYear(in), true)
			return func() (*Checked, error) { return CheckInputs(ins, LoadOptions{}, &Config{}) }
		}},
	} {
		var peaks [2]uint64
		for i, in := range tc.files {
			var res *Checked
			var err error
			// Chunks of 64 KB: those in flight, which do not grow with
			// the rows either, take less of what is measured.
			// The least of three: a collector that falls behind, as it
			// does when other tests take the cores, only adds.
			for run := range 3 {
				withChunkSize(t, 64<<10, func() {
					check := tc.check(in)
					if p := peakHeap(func() { res, err = check() }); run == 0 || p < peaks[i] {
						peaks[i] = p
					}
				})
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
			}
			if want := bytes.Count(in, []byte("\n")) - 1; res.Observations != want {
				t.Fatalf("%s: %d observations, want %d", tc.name, res.Observations, want)
			}
		}
		ratio := float64(peaks[1]) / float64(peaks[0])
		t.Logf("%s: the heap grew by %d KB at most for 8 years, by %d KB for 32 (%.2f times)", tc.name, peaks[0]>>10, peaks[1]>>10, ratio)
		if ratio > 2 {
			t.Errorf("%s: 32 years of the same series take %.2f times the memory of 8 (%d against %d KB): it grows with the rows", tc.name, ratio, peaks[1]>>10, peaks[0]>>10)
		}
	}
}

// TestMemoryLimit checks that a check or a comparison a year at a time
// whose year needs more than LoadOptions.MemoryLimit stops with an error
// that wraps ErrMemory and names the year, in year order (CheckStream),
// through the files of the years (CheckInputs of a pipe), comparing
// releases (DiffInputs) by their figures' codes and by their text, and
// reading a year again for a row that came late, and on a year of one
// chunk, and that a limit with room changes nothing. The limit of 1 MB is
// less than any test process holds.
func TestMemoryLimit(t *testing.T) {
	file := yearsOf(3) // about 1.8 MB: two chunks, the guard reads at the second
	want, err := CheckStream(bytes.NewReader(file), "y.csv", LoadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	runs := []struct {
		name string
		run  func(opts LoadOptions) error
	}{
		{"in year order", func(opts LoadOptions) error {
			got, err := CheckStream(bytes.NewReader(file), "y.csv", opts, nil)
			if err == nil && (got.Observations != want.Observations || len(got.Findings) != len(want.Findings)) {
				t.Errorf("in year order: %d observations, %d findings; want %d, %d", got.Observations, len(got.Findings), want.Observations, len(want.Findings))
			}
			return err
		}},
		{"one chunk", func(opts LoadOptions) error {
			// No chunk of the year comes after its first: only the
			// measure before its check can stop it.
			one := []byte("reporter,partner,indicator,period,value,unit,source\n" +
				"KAZ,ARM,exports,2000-01,1.5,USD million,S\n" +
				"KAZ,ARM,exports,2000-02,1.5,USD million,S\n")
			got, err := CheckStream(bytes.NewReader(one), "one.csv", opts, nil)
			if err == nil && got.Observations != 2 {
				t.Errorf("one chunk: %d observations, want 2", got.Observations)
			}
			return err
		}},
		{"through the files of the years", func(opts LoadOptions) error {
			got, err := CheckInputs(inputs([][]byte{file}, true), opts, nil)
			if err == nil && got.Observations != want.Observations {
				t.Errorf("through the files of the years: %d observations, want %d", got.Observations, want.Observations)
			}
			return err
		}},
		{"releases compared", func(opts LoadOptions) error {
			got, err := DiffInputs(inputs([][]byte{file}, false), inputs([][]byte{file}, false), opts, Tolerance{})
			if err == nil && len(got.Revisions) != 0 {
				t.Errorf("releases compared: %d revisions, want 0", len(got.Revisions))
			}
			return err
		}},
		{"releases compared by their text", func(opts LoadOptions) error {
			defer func(n int) { maxSpillStrings = n }(maxSpillStrings)
			maxSpillStrings = 0
			got, err := DiffInputs(inputs([][]byte{file}, false), inputs([][]byte{file}, false), opts, Tolerance{})
			if err == nil && len(got.Revisions) != 0 {
				t.Errorf("releases compared by their text: %d revisions, want 0", len(got.Revisions))
			}
			return err
		}},
		{"a row that came late", func(opts LoadOptions) error {
			got, err := CheckStream(bytes.NewReader(lateRow), "late.csv", opts, nil)
			if err == nil && got.Late != 1 {
				t.Errorf("a row that came late: %d late rows, want 1", got.Late)
			}
			return err
		}},
	}
	for _, r := range runs {
		if err := r.run(LoadOptions{MemoryLimit: 1 << 40}); err != nil {
			t.Errorf("%s, a limit of 1 TB: %v", r.name, err)
		}
		err := r.run(LoadOptions{MemoryLimit: 1 << 20})
		if !errors.Is(err, ErrMemory) || !strings.Contains(err.Error(), "the rows of ") || !strings.Contains(err.Error(), "of the 1 MB the process may take") {
			t.Errorf("%s, a limit of 1 MB: %v; want an error that wraps ErrMemory and names the year", r.name, err)
		}
	}
}

// lateRow is a file of one chunk whose last row came late.
var lateRow = []byte("reporter,partner,indicator,period,value,unit,source\n" +
	"KAZ,ARM,exports,1999-11,1.5,USD million,S\n" +
	"KAZ,ARM,exports,2000-01,1.5,USD million,S\n" +
	"KAZ,ARM,exports,1999-12,1.5,USD million,S\n")

// callers returns the names of the functions among the callers of the
// caller of callers' caller, innermost first.
func callers() []string {
	pc := make([]uintptr, 32)
	frames := runtime.CallersFrames(pc[:runtime.Callers(3, pc)])
	var names []string
	for f, more := frames.Next(); more; f, more = frames.Next() {
		names = append(names, f.Function)
	}
	return names
}

// calledFrom reports whether a function whose name holds fn is among the
// callers of the caller of calledFrom.
func calledFrom(fn string) bool {
	return slices.ContainsFunc(callers(), func(name string) bool { return strings.Contains(name, fn) })
}

// TestMemoryLimitLate checks that the year read again for a row that came
// late is measured too: memory held elsewhere (LoadOptions.MemoryElsewhere)
// that takes the limit only when that year is measured, after the
// measures of the years before and their checks, stops the check there.
func TestMemoryLimitLate(t *testing.T) {
	late := func() int64 {
		if calledFrom("checkLate") {
			return 1 << 41
		}
		return 0
	}
	_, err := CheckStream(bytes.NewReader(lateRow), "late.csv", LoadOptions{MemoryLimit: 1 << 40, MemoryElsewhere: late}, nil)
	if !errors.Is(err, ErrMemory) || !strings.Contains(err.Error(), "the rows of 1999 need") {
		t.Errorf("%v; want an error that wraps ErrMemory for the rows of 1999 read again", err)
	}
}

// TestMemoryElsewhere checks that memory held outside the heap that the
// limit counts (LoadOptions.MemoryElsewhere: temporary files on a tmpfs)
// is taken from the limit: the writing of the years' files stops with an
// error that wraps ErrMemory after the chunk whose files leave the heap no
// room, not at its end, and the checks of a year count it too; nothing
// held elsewhere changes nothing.
func TestMemoryElsewhere(t *testing.T) {
	file := yearsOf(3)
	want, err := CheckStream(bytes.NewReader(file), "y.csv", LoadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const limit = 1 << 40
	for _, tc := range []struct {
		name string
		run  func(opts LoadOptions) (observations int, err error)
		// what the error of a limit all but taken must say
		message string
	}{
		{"in year order", func(opts LoadOptions) (int, error) {
			got, err := CheckStream(bytes.NewReader(file), "y.csv", opts, nil)
			if err != nil {
				return 0, err
			}
			return got.Observations, nil
		}, "MB by temporary files in memory"},
		{"through the files of the years", func(opts LoadOptions) (int, error) {
			got, err := CheckInputs(inputs([][]byte{file}, true), opts, nil)
			if err != nil {
				return 0, err
			}
			return got.Observations, nil
		}, "the temporary files written so far hold"},
		{"releases compared", func(opts LoadOptions) (int, error) {
			got, err := DiffInputs(inputs([][]byte{file}, false), inputs([][]byte{file}, false), opts, Tolerance{})
			if err != nil {
				return 0, err
			}
			if len(got.Revisions) != 0 {
				return 0, fmt.Errorf("%d revisions, want 0", len(got.Revisions))
			}
			return want.Observations, nil
		}, "the temporary files written so far hold"},
	} {
		withChunkSize(t, 64<<10, func() {
			n, err := tc.run(LoadOptions{MemoryLimit: limit, MemoryElsewhere: func() int64 { return 0 }})
			if err != nil || n != want.Observations {
				t.Errorf("%s, nothing held elsewhere: %d observations, %v; want %d", tc.name, n, err, want.Observations)
			}
			// Each call finds another sixteenth of the limit held: the
			// sixteenth call leaves no room.
			calls := 0
			grows := func() int64 { calls++; return int64(calls) * (limit / 16) }
			_, err = tc.run(LoadOptions{MemoryLimit: limit, MemoryElsewhere: grows})
			if !errors.Is(err, ErrMemory) || !strings.Contains(err.Error(), tc.message) {
				t.Errorf("%s, the limit taken a sixteenth a chunk: %v; want an error that wraps ErrMemory and says %q", tc.name, err, tc.message)
			}
			if calls > 16 {
				t.Errorf("%s: stopped after %d measures, want at the 16th at the most", tc.name, calls)
			}
		})
	}
}

// wrongTurnovers returns a file of one year, 2000, in which each of the
// 380 pairs of 20 economies has its twelve turnovers wrong: 4,560
// findings of the turnover rule.
func wrongTurnovers() []byte {
	codes := []string{"KAZ", "ARM", "RUS", "CHN", "USA", "DEU", "FRA", "GBR", "ITA", "JPN", "KOR", "IND", "BRA", "CAN", "AUS", "ESP", "MEX", "IDN", "NLD", "TUR"}
	var b bytes.Buffer
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	for m := 1; m <= 12; m++ {
		for _, r := range codes {
			for _, p := range codes {
				if r == p {
					continue
				}
				fmt.Fprintf(&b, "%s,%s,exports,2000-%02d,1.5,USD million,S\n", r, p, m)
				fmt.Fprintf(&b, "%s,%s,imports,2000-%02d,1.5,USD million,S\n", r, p, m)
				fmt.Fprintf(&b, "%s,%s,turnover,2000-%02d,9.0,USD million,S\n", r, p, m)
			}
		}
	}
	return b.Bytes()
}

// measuredBy reports whether its caller was called, through the memory
// guard, by checkMeter.measure, where a rule or a part of one begins,
// called from a function whose name holds fn.
func measuredBy(fn string) bool {
	return strings.Contains(callerOf("(*checkMeter).measure"), fn)
}

// callerOf returns the name of the function that called the first
// function among the callers of callerOf's caller whose name ends with
// fn, or "".
func callerOf(fn string) string {
	names := callers()
	for i, name := range names[:max(len(names)-1, 0)] {
		if strings.HasSuffix(name, fn) {
			return names[i+1]
		}
	}
	return ""
}

// TestCheckMeter checks that a check whose heap has no room left while
// its rules run stops with an error that wraps ErrMemory and names the
// year, measured where it begins a rule or a part of one, or as its
// findings add up: when every finding is listed (Config.MaxFindings 0)
// the error wraps ErrFindingsMemory too. The memory held elsewhere
// (LoadOptions.MemoryElsewhere) takes the limit only when the meter
// measures from the place of the case, so that the guard's measures of
// the year before its check find room; the findings are measured every
// 64 KB of them here. With room, the check lists every finding.
func TestCheckMeter(t *testing.T) {
	defer func(n uint64, rows int) { findingsSteps, parallelRows = n, rows }(findingsSteps, parallelRows)
	const limit = 1 << 40
	findingsSteps = limit / (64 << 10)
	parallelRows = 1           // rules in parts
	const turnovers = 12 * 380 // about 1.6 MB of findings
	file := wrongTurnovers()
	runs := []struct {
		name string
		run  func(opts LoadOptions, cfg *Config) (*Checked, error)
	}{
		{"in year order", func(opts LoadOptions, cfg *Config) (*Checked, error) {
			return CheckStream(bytes.NewReader(file), "t.csv", opts, cfg)
		}},
		{"through the files of the years", func(opts LoadOptions, cfg *Config) (*Checked, error) {
			return CheckInputs(inputs([][]byte{file}, true), opts, cfg)
		}},
	}
	for _, r := range runs {
		got, err := r.run(LoadOptions{MemoryLimit: limit, MemoryElsewhere: func() int64 { return 0 }}, &Config{})
		if err != nil {
			t.Fatalf("%s, with room: %v", r.name, err)
		}
		n := 0
		for _, f := range got.Findings {
			if f.Rule == "turnover" {
				n++
			}
		}
		if n != turnovers {
			t.Fatalf("%s, with room: %d findings of the turnover rule, want %d", r.name, n, turnovers)
		}
	}
	for _, tc := range []struct {
		name string
		at   func() bool // where the memory held elsewhere takes the limit
		max  int         // Config.MaxFindings
		says string
	}{
		{"findings added", func() bool { return calledFrom("(*checkMeter).add") }, 0, "the check of 2000 needs more than"},
		{"a rule begun", func() bool { return measuredBy("checkCut") }, 100, "the check of 2000 needs more than"},
		{"a part begun", func() bool { return measuredBy("(*partRun).work") }, 100, "the check of 2000 needs more than"},
		{"a part begun, every finding listed", func() bool { return measuredBy("(*partRun).work") }, 0, "the check of 2000 needs more than"},
	} {
		for _, r := range runs {
			measured := 0
			at := func() int64 {
				if tc.at() {
					measured++
					return limit
				}
				return 0
			}
			_, err := r.run(LoadOptions{MemoryLimit: limit, MemoryElsewhere: at}, &Config{MaxFindings: tc.max})
			if !errors.Is(err, ErrMemory) || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("%s, %s: %v; want an error that wraps ErrMemory and says %q", tc.name, r.name, err, tc.says)
			}
			if measured == 0 {
				t.Errorf("%s, %s: not measured there", tc.name, r.name)
			}
		}
	}
	// The years read again for a row that came late, in year order: the
	// memory held elsewhere takes the limit once the guard has measured
	// the year read again, on the goroutine of checkLate, and the rules
	// of its checks, on goroutines of their own, measure.
	withLate := append(slices.Clip(file), "KAZ,ARM,exports,1999-12,1.5,USD million,S\n"...)
	var readAgain atomic.Bool
	at := func() int64 {
		switch {
		case calledFrom("checkLate"):
			readAgain.Store(true)
		case readAgain.Load() && calledFrom("checkMeter"):
			return limit
		}
		return 0
	}
	for _, max := range []int{0, 100} {
		readAgain.Store(false)
		if _, err := CheckStream(bytes.NewReader(withLate), "t.csv", LoadOptions{MemoryLimit: limit, MemoryElsewhere: func() int64 { return 0 }}, &Config{MaxFindings: max}); err != nil {
			t.Fatalf("a row that came late, max %d, with room: %v", max, err)
		}
		_, err := CheckStream(bytes.NewReader(withLate), "t.csv", LoadOptions{MemoryLimit: limit, MemoryElsewhere: at}, &Config{MaxFindings: max})
		if !errors.Is(err, ErrMemory) || !strings.Contains(err.Error(), "the check of 1999 needs more than") {
			t.Errorf("a row that came late, max %d: %v; want an error that wraps ErrMemory for the check of 1999", max, err)
		}
	}
}

// TestCheckMeterBlames checks what the meter's error blames: the
// findings to list (ErrFindingsMemory) when the heap would fit but for
// the findings made counted again, and the check otherwise; and only
// ErrMemory for a check that does not list every finding.
func TestCheckMeterBlames(t *testing.T) {
	const mb = 1 << 20
	for _, tc := range []struct {
		live     uint64
		all      bool
		findings bool // the error wraps ErrFindingsMemory
		says     string
	}{
		// What the process would take: the need, and what the room
		// leaves of the limit besides.
		{50 * mb, true, true, "the findings of 2020 and the years before, about 20 MB made so far, held to be listed, would need about 1034 MB of the 1024 MB"},
		{70 * mb, true, false, "the check of 2020 needs more than the 1024 MB the process may take, 70 MB of it held already"},
		{70 * mb, false, false, "the check of 2020 needs more than"},
	} {
		g := newMemoryGuard(LoadOptions{MemoryLimit: 1024 * mb})
		g.measure = func() (heapMeasures, bool) {
			return heapMeasures{objects: tc.live, live: tc.live, room: 60 * mb}, true
		}
		g.collect = func() {}
		m := newCheckMeter(g, "", tc.all)
		m.year = 2020
		m.made.Store(20 * mb)
		if m.measure() {
			t.Fatalf("live %d MB, every finding %v: the check goes on, want it stopped", tc.live/mb, tc.all)
		}
		err := m.err()
		if !errors.Is(err, ErrMemory) || errors.Is(err, ErrFindingsMemory) != tc.findings || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("live %d MB, every finding %v: %v; want ErrFindingsMemory %v and %q", tc.live/mb, tc.all, err, tc.findings, tc.says)
		}
	}
}

// TestYearGrowth checks what the guard takes a year's check to add: the
// first year's arrays as a share of the heap, and after it the arrays of
// the rows past the most of a year checked before.
func TestYearGrowth(t *testing.T) {
	for _, tc := range []struct {
		checked, rows, most int
		grow, extra         uint64
	}{
		{0, 1000, 0, firstYearGrowth, 0},
		{1, 1000, 1000, yearGrowth, 0},
		{2, 500, 1000, yearGrowth, 0},
		{1, 356400, 29700, yearGrowth, (356400 - 29700) * checkRowBytes},
	} {
		grow, extra := yearGrowthOf(tc.checked, tc.rows, tc.most)
		if grow != tc.grow || extra != tc.extra {
			t.Errorf("yearGrowthOf(%d, %d, %d) = %d, %d; want %d, %d", tc.checked, tc.rows, tc.most, grow, extra, tc.grow, tc.extra)
		}
	}
}

// TestGuardCountsObjectsSince checks that the guard takes the objects
// made since its last collection as live, where the collection that ran
// last left a live heap the year being read has since outgrown: a heap
// whose objects only fit as garbage is collected to tell, and found over,
// though the objects grew by less than a sixteenth of the limit, which
// alone had the guard collect before.
func TestGuardCountsObjectsSince(t *testing.T) {
	const mb = 1 << 20
	g := newMemoryGuard(LoadOptions{MemoryLimit: 1024 * mb})
	var heap heapMeasures // what the runtime would tell
	var after uint64      // the heap a collection leaves, all of it live
	collected := 0
	g.measure = func() (heapMeasures, bool) { return heap, true }
	g.collect = func() {
		collected++
		heap.objects, heap.live = after, after
	}
	for _, step := range []struct {
		objects, live, after uint64 // before a collection, and after
		over                 bool
		collected            int // the collections so far
	}{
		// The first measure past the room collects: 100 MB live, which
		// grown by 1.63 times is 162.5 MB, in the room of 170 MB.
		{120 * mb, 60 * mb, 100 * mb, false, 1},
		// 8 MB more objects, the live heap still at 100 MB as the last
		// collection left it: 108 MB would be 175.5 MB once checked.
		{108 * mb, 100 * mb, 108 * mb, true, 2},
	} {
		heap, after = heapMeasures{objects: step.objects, live: step.live, room: 170 * mb}, step.after
		_, _, over := g.over(firstYearGrowth, 0)
		if over != step.over || collected != step.collected {
			t.Errorf("objects %d MB, live %d MB: over %v after %d collections; want %v after %d",
				step.objects/mb, step.live/mb, over, collected, step.over, step.collected)
		}
	}
}

// TestCheckMeterSettles checks that the parts of a rule add to the meter
// the bytes of the findings they made since their last batch as they end:
// the findings of forty series, fewer than a batch, are all counted.
func TestCheckMeterSettles(t *testing.T) {
	defer func(n int) { parallelRows = n }(parallelRows)
	parallelRows = 1
	g := newMemoryGuard(LoadOptions{MemoryLimit: 1 << 40})
	g.measure = func() (heapMeasures, bool) { return heapMeasures{room: 1 << 40}, true }
	g.collect = func() {}
	m := newCheckMeter(g, "", true)
	const series = 40
	c := &checker{cfg: &Config{}, nrows: series, cur: RuleInfo{ID: "test", Severity: Warning}, meter: m}
	h := newHelpers(2, 1)
	c.help = h
	var helped sync.WaitGroup
	helped.Go(h.help)
	var want atomic.Uint64
	c.inParts(series, func(p *checker, _, from, to int) {
		for i := from; i < to; i++ {
			f := Finding{Rows: []Pos{{File: "in.csv", Line: i + 1, Column: 1}}, Message: fmt.Sprint("series ", i)}
			want.Add(findingBytes(&f))
			p.emit(f)
		}
	})
	h.ruleDone()
	helped.Wait()
	if len(c.findings) != series {
		t.Fatalf("%d findings, want %d", len(c.findings), series)
	}
	if got := m.made.Load(); got != want.Load() || got >= m.batch {
		t.Errorf("the meter counted %d bytes of findings, want %d (under a batch, %d)", got, want.Load(), m.batch)
	}
}
