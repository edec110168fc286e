package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
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
	if err := checkMemory([]string{path}, nil, plenty); err != nil {
		t.Errorf("plenty of memory: %v", err)
	}
	if err := checkMemory([]string{path}, nil, unknown); err != nil {
		t.Errorf("memory unknown: %v", err)
	}
	err = checkMemory([]string{path, "-"}, nil, little)
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
	err = checkMemory([]string{"-"}, io.NewSectionReader(stdin, 0, st.Size()), little)
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
	if code, out := run("check", "--no-rules", path, path); code != 1 || !strings.Contains(out, "checked 20000 observations") {
		t.Errorf("two files: exit %d\n%s", code, out)
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
