package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// TestCheckMemory refuses to load whole what does not fit, and streams a
// file in year order whatever the memory.
func TestCheckMemory(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "big.csv")
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	for range 10000 {
		b.WriteString("KAZ,ARM,exports,2023,1.0,USD million,BNS\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	rows, err := estimateRows(path)
	if err != nil || rows < 9900 || rows > 10100 {
		t.Fatalf("estimateRows = %d, %v; want about 10001", rows, err)
	}
	// A named pipe is not opened, which would wait for its writer and take
	// its data from the loader.
	fifo := filepath.Join(dir, "fifo")
	switch err := mkfifo(fifo); {
	case err == nil:
		done := make(chan error, 1)
		go func() { _, err := estimateRows(fifo); done <- err }()
		select {
		case err := <-done:
			if err == nil {
				t.Error("estimateRows of a named pipe: no error")
			}
		case <-time.After(10 * time.Second):
			t.Fatal("estimateRows opened a named pipe and waits for its writer")
		}
	case !errors.Is(err, errors.ErrUnsupported):
		t.Fatal(err)
	}
	little := func() (int64, bool) { return 1 << 20, true }
	plenty := func() (int64, bool) { return 1 << 40, true }
	unknown := func() (int64, bool) { return 0, false }
	if err := checkMemory([]string{path}, estimateRows, nil, plenty); err != nil {
		t.Errorf("plenty of memory: %v", err)
	}
	if err := checkMemory([]string{path}, estimateRows, nil, unknown); err != nil {
		t.Errorf("memory unknown: %v", err)
	}
	err = checkMemory([]string{path, "-"}, estimateRows, nil, little)
	if err == nil || !strings.Contains(err.Error(), "about 7 MB of memory, and 1 MB is available") {
		t.Fatalf("little memory: %v", err)
	}
	// Standard input read into a file counts, under its own name.
	stdin, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	st, err := stdin.Stat()
	if err != nil {
		t.Fatal(err)
	}
	err = checkMemory([]string{"-"}, estimateRows, io.NewSectionReader(stdin, 0, st.Size()), little)
	if err == nil || !strings.Contains(err.Error(), "loading standard input whole would take about 7 MB") {
		t.Fatalf("standard input in a file, little memory: %v", err)
	}
	// Standard input that starts inside a file counts from there: after
	// a million short lines, ten rows.
	prefixed := filepath.Join(dir, "prefixed.csv")
	ten := strings.Repeat("KAZ,ARM,exports,2023,1.0,USD million,BNS\n", 10)
	if err := os.WriteFile(prefixed, []byte(strings.Repeat("x\n", 1_000_000)+ten), 0o644); err != nil {
		t.Fatal(err)
	}
	pf, err := os.Open(prefixed)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	if n, err := estimateRowsOf(io.NewSectionReader(pf, 2_000_000, int64(len(ten)))); err != nil || n != 10 {
		t.Errorf("rows after a prefix: %d, %v; want 10", n, err)
	}

	// A period across years needs the data whole: refused. Without it, the
	// files are checked a year at a time in little memory.
	run := func(args ...string) (int, string) {
		var stdout, stderr bytes.Buffer
		code := runEnv(args, &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }, memory: little})
		return code, stdout.String() + stderr.String()
	}
	span := filepath.Join(dir, "span.csv")
	if err := os.WriteFile(span, []byte(b.String()+"KAZ,ARM,exports,2005/2024,1.0,USD million,BNS\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out := run("check", "--no-rules", span); code != exitUsage || !strings.Contains(out, "spans years") {
		t.Errorf("a span across years: exit %d\n%s", code, out)
	}
	twin := filepath.Join(dir, "twin.csv")
	if err := os.WriteFile(twin, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out := run("check", "--no-rules", path, twin); code != 1 || !strings.Contains(out, "checked 20000 observations") {
		t.Errorf("two files: exit %d\n%s", code, out)
	}
	out := t.TempDir()
	// The built-in charts read the rows of periods that begin on the first
	// of January again, the 10,000 years here, more than 1 MB holds: a
	// group of pairs at a time, the one pair alone.
	code, msg := run("charts", "--no-rules", "--force", "--out", out, path)
	if code != 0 || !strings.Contains(msg, "wrote 5 files of 1 chart") {
		t.Errorf("charts in little memory: exit %d\n%s", code, msg)
	}
}

// TestMeminfo reads MemAvailable in bytes.
func TestMeminfo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "meminfo")
	os.WriteFile(path, []byte("MemTotal:       24000000 kB\nMemFree:         1000 kB\nMemAvailable:    2048 kB\n"), 0o644)
	if n, ok := meminfo(path, "MemAvailable"); !ok || n != 2048<<10 {
		t.Errorf("meminfo = %d, %v; want %d", n, ok, 2048<<10)
	}
	if _, ok := meminfo(path, "SwapFree"); ok {
		t.Error("a missing field was found")
	}
	if _, ok := memoryAvailable(); !ok {
		t.Log("memory available unknown on this system")
	}
}

// TestCgroupRoom reads the memory control groups leave the process, from
// trees of files laid out as Linux's: version 2 and version 1, a group
// below a limited one, a container that sees its group as the root, and
// groups without a limit.
func TestCgroupRoom(t *testing.T) {
	const mb = 1 << 20
	v1Unlimited := "9223372036854771712"
	cases := []struct {
		name   string
		cgroup string            // /proc/self/cgroup
		files  map[string]string // under sys/fs/cgroup
		want   int64             // the room in MB, or -1 for no limit
		limit  int64             // the least limit in MB
	}{
		{
			name:   "version 2, the group limited",
			cgroup: "0::/ci/job\n",
			files: map[string]string{
				"ci/job/memory.max":     "1073741824\n",
				"ci/job/memory.current": "629145600\n", // 600 MB
				// 300 MB of page cache, of which 50 MB tmpfs and 20 MB mapped: 230 MB can be given back.
				"ci/job/memory.stat": "anon 300000000\nfile 314572800\nshmem 52428800\nfile_mapped 20971520\n",
			},
			want:  1024 - (600 - 230),
			limit: 1024,
		},
		{
			name:   "version 2, the group above limited, the group not",
			cgroup: "0::/ci/job\n",
			files: map[string]string{
				"ci/job/memory.max":     "max\n",
				"ci/job/memory.current": "104857600\n",
				"ci/memory.max":         "524288000\n", // 500 MB
				"ci/memory.current":     "209715200\n", // 200 MB, another job's too
				"ci/memory.stat":        "file 0\n",
			},
			want:  300,
			limit: 500,
		},
		{
			name:   "version 2, a container's own group as the root",
			cgroup: "0::/\n",
			files: map[string]string{
				"memory.max":     "268435456\n", // 256 MB
				"memory.current": "67108864\n",  // 64 MB
			},
			want:  192,
			limit: 256,
		},
		{
			name:   "version 2, a path the container does not show",
			cgroup: "0::/system.slice/docker-1.scope\n",
			files: map[string]string{
				"memory.max":     "268435456\n",
				"memory.current": "67108864\n",
			},
			want:  192,
			limit: 256,
		},
		{
			name:   "version 2, memory.high below memory.max",
			cgroup: "0::/\n",
			files: map[string]string{
				"memory.max":     "536870912\n", // 512 MB
				"memory.high":    "268435456\n", // 256 MB
				"memory.current": "67108864\n",
			},
			want:  192,
			limit: 256,
		},
		{
			name:   "paths that climb out of the mount",
			cgroup: "0::/../cgroup-other/job\n4:memory:/../../memory2\n",
			files: map[string]string{
				"memory.max":                   "268435456\n",
				"memory.current":               "67108864\n",
				"memory/memory.limit_in_bytes": "419430400\n",
				"memory/memory.usage_in_bytes": "104857600\n",
			},
			want:  192,
			limit: 256,
		},
		{
			name:   "version 2, no limit",
			cgroup: "0::/\n",
			files:  map[string]string{"memory.max": "max\n", "memory.current": "67108864\n"},
			want:   -1,
		},
		{
			name:   "version 1, the memory controller's group limited",
			cgroup: "12:pids:/\n4:memory:/rt\n3:cpu,cpuacct:/\n0::/\n",
			files: map[string]string{
				"memory/memory.limit_in_bytes":    v1Unlimited + "\n",
				"memory/memory.usage_in_bytes":    "2147483648\n",
				"memory/rt/memory.limit_in_bytes": "419430400\n", // 400 MB
				"memory/rt/memory.usage_in_bytes": "104857600\n", // 100 MB
				"memory/rt/memory.stat":           "cache 1000\nrss 1000\ntotal_cache 62914560\ntotal_shmem 0\ntotal_mapped_file 10485760\n",
			},
			want:  400 - (100 - 50),
			limit: 400,
		},
		{
			name:   "version 1, no limit",
			cgroup: "4:memory:/\n",
			files: map[string]string{
				"memory/memory.limit_in_bytes": v1Unlimited + "\n",
				"memory/memory.usage_in_bytes": "2147483648\n",
			},
			want: -1,
		},
		{
			name:   "used past the limit",
			cgroup: "0::/\n",
			files:  map[string]string{"memory.max": "104857600\n", "memory.current": "209715200\n"},
			want:   0,
			limit:  100,
		},
		{
			name:   "no memory files",
			cgroup: "0::/\n4:memory:/\n",
			files:  map[string]string{},
			want:   -1,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			write := func(path, text string) {
				p := filepath.Join(root, filepath.FromSlash(path))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write("proc/self/cgroup", c.cgroup)
			for path, text := range c.files {
				write("sys/fs/cgroup/"+path, text)
			}
			room, limit, ok := cgroupRoom(root)
			switch {
			case c.want < 0 && ok:
				t.Errorf("room %d MB, want no limit", room/mb)
			case c.want >= 0 && (!ok || room != c.want*mb || limit != c.limit*mb):
				t.Errorf("room %d MB, limit %d MB (%v), want %d MB, %d MB", room/mb, limit/mb, ok, c.want, c.limit)
			}
			// The system's memory available bounds it too.
			write("proc/meminfo", "MemTotal: 24000000 kB\nMemAvailable: 204800 kB\n") // 200 MB
			free, total, ok := memoryAvailableIn(root)
			want, wantTotal := int64(200), int64(24000000>>10)
			if c.want >= 0 {
				want, wantTotal = min(want, c.want), min(wantTotal, c.limit)
			}
			if !ok || free != want*mb || total>>20 != wantTotal {
				t.Errorf("memoryAvailableIn = %d MB of %d MB (%v), want %d MB of %d MB", free/mb, total/mb, ok, want, wantTotal)
			}
		})
	}
}

// TestLimitMemory gives the runtime the memory available as its soft limit,
// and the checks a year at a time the same (memoryBound), unless
// GOMEMLIMIT is set, whose limit they keep to then; and checks that a year
// that does not fit is refused with exit status 2 and what to do.
func TestLimitMemory(t *testing.T) {
	defer func(limit int64) {
		debug.SetMemoryLimit(limit)
		memoryBound = 0
	}(debug.SetMemoryLimit(-1))
	none := func(string) string { return "" }
	limitMemory(none, func() (int64, int64, bool) { return 0, 0, false })
	if memoryBound != 0 {
		t.Errorf("memory unknown: bound %d", memoryBound)
	}
	limitMemory(none, func() (int64, int64, bool) { return 16 << 30, 24 << 30, true })
	if got := debug.SetMemoryLimit(-1); memoryBound < 15<<30 || memoryBound > 17<<30 || got != memoryBound {
		t.Errorf("16 GB available: bound %d, runtime's limit %d", memoryBound, got)
	}
	const mb = 1 << 20
	for _, c := range []struct{ held, free, total, want int64 }{
		{10 * mb, 1600 * mb, 24000 * mb, 1510 * mb}, // what is held, and fifteen sixteenths of the rest
		{10 * mb, 1 * mb, 24000 * mb, minMemoryBound},
		{10 * mb, 1 * mb, 48 * mb, 45 * mb}, // less than the least at all
		{100 * mb, 1 * mb, 24000 * mb, 100*mb + 1*mb - 1*mb/16},
	} {
		if got := boundOf(c.held, c.free, c.total); got != c.want {
			t.Errorf("boundOf(%d, %d, %d MB) = %d MB, want %d MB", c.held/mb, c.free/mb, c.total/mb, got/mb, c.want/mb)
		}
	}
	debug.SetMemoryLimit(12 << 30) // as GOMEMLIMIT=12GiB sets it
	limitMemory(func(k string) string {
		if k == "GOMEMLIMIT" {
			return "12GiB"
		}
		return ""
	}, func() (int64, int64, bool) { return 16 << 30, 24 << 30, true })
	if got := debug.SetMemoryLimit(-1); memoryBound != 12<<30 || got != 12<<30 {
		t.Errorf("GOMEMLIMIT=12GiB: bound %d, runtime's limit %d", memoryBound, got)
	}

	// Three years of 13,680 rows, in year order: the check's guard reads
	// the heap from the second chunk on, and 1 MB is less than any
	// process holds.
	codes := []string{"KAZ", "ARM", "RUS", "CHN", "USA", "DEU", "FRA", "GBR", "ITA", "JPN", "KOR", "IND", "BRA", "CAN", "AUS", "ESP", "MEX", "IDN", "NLD", "TUR"}
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	for y := range 3 {
		for m := 1; m <= 12; m++ {
			for i, r := range codes {
				for j, p := range codes {
					if i != j {
						fmt.Fprintf(&b, "%s,%s,exports,%d-%02d,%d.5,USD million,National Statistics Office\n", r, p, 2020+y, m, i*j)
					}
				}
			}
		}
	}
	path := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	memoryBound = 1 << 20
	var stdout, stderr bytes.Buffer
	code := runEnv([]string{"check", "--no-rules", path}, &env{stdout: &stdout, stderr: &stderr, getenv: none})
	if msg := stderr.String(); code != exitUsage || !strings.Contains(msg, "not enough memory: the rows of 2020 need about") ||
		!strings.Contains(msg, "run on a machine with more memory, or on parts of the data in separate runs") {
		t.Errorf("a year larger than the memory: exit %d\n%s%s", code, stdout.String(), msg)
	}
}

// TestRulesReadAgainInLittleMemory checks that the rows a rules file's
// rules read again after the check, when they are more than the memory
// available holds (a rule over every pair keeps a third of the rows),
// stop the command with exit status 2 and a message, where they were
// loaded until the system killed the process; and that with room they
// are evaluated.
func TestRulesReadAgainInLittleMemory(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "trade.csv")
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	for _, p := range []string{"ARM", "RUS", "CHN", "TUR", "DEU", "FRA"} {
		for m := 1; m <= 12; m++ {
			fmt.Fprintf(&b, "KAZ,%s,exports,2023-%02d,1.5,USD million,BNS\nKAZ,%s,imports,2023-%02d,2.0,USD million,BNS\nKAZ,%s,turnover,2023-%02d,3.5,USD million,BNS\n", p, m, p, m, p, m)
		}
	}
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	rulesFile := filepath.Join(dir, "every-pair.yaml")
	rule := "version: 1\nrules:\n  - id: all-turnover\n    description: every turnover is positive\n    assert: turnover[\"2023-01\"] >= 0\n"
	if err := os.WriteFile(rulesFile, []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		rows     int64 // the rows the memory holds
		code     int
		stderr   string
		readsAll bool
	}{
		{72 - 1, exitUsage, "the rules of " + rulesFile + " not evaluated: the rows to read again into memory are more than the 71 that", false},
		{72, exitOK, "", true},
	} {
		var stdout, stderr bytes.Buffer
		code := runEnv([]string{"check", "--rules", rulesFile, data}, &env{stdout: &stdout, stderr: &stderr,
			getenv: func(string) string { return "" }, memory: func() (int64, bool) { return tc.rows * bytesPerRow, true }})
		if code != tc.code || !strings.Contains(stderr.String(), tc.stderr) {
			t.Errorf("memory for %d rows: exit %d, want %d with %q\n%s%s", tc.rows, code, tc.code, tc.stderr, &stdout, &stderr)
		}
		if got := strings.Contains(stdout.String(), "and 1 from "+rulesFile); got != tc.readsAll {
			t.Errorf("memory for %d rows: the rule evaluated %v, want %v\n%s", tc.rows, got, tc.readsAll, &stdout)
		}
	}
}
