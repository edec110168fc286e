package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// pipeLimit returns the size widenPipe can get: pipeSize, or less for a
// user other than root where the system allows less.
func pipeLimit(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/sys/fs/pipe-max-size")
	if err != nil || os.Geteuid() == 0 {
		return pipeSize
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return pipeSize
	}
	return min(n, pipeSize)
}

func pipeSizeOf(t *testing.T, f *os.File) int {
	t.Helper()
	n, err := unix.FcntlInt(f.Fd(), unix.F_GETPIPE_SZ, 0)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestWidenPipe(t *testing.T) {
	want := pipeLimit(t)
	newPipe := func(t *testing.T) (*os.File, *os.File) {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close(); w.Close() })
		return r, w
	}
	t.Run("read end", func(t *testing.T) {
		r, w := newPipe(t)
		before := pipeSizeOf(t, w)
		if got := widenPipe(r); got != max(want, before) {
			t.Errorf("widenPipe = %d, want %d (it was %d)", got, max(want, before), before)
		}
		if got := pipeSizeOf(t, w); got != max(want, before) {
			t.Errorf("the pipe holds %d bytes after, want %d", got, max(want, before))
		}
	})
	t.Run("wide already", func(t *testing.T) {
		r, w := newPipe(t)
		if _, err := unix.FcntlInt(w.Fd(), unix.F_SETPIPE_SZ, want); err != nil {
			t.Fatal(err)
		}
		if got := widenPipe(r); got != want || pipeSizeOf(t, w) != want {
			t.Errorf("widenPipe = %d and the pipe holds %d, want %d", got, pipeSizeOf(t, w), want)
		}
	})
	t.Run("regular file", func(t *testing.T) {
		f, err := os.Create(filepath.Join(t.TempDir(), "in.csv"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := widenPipe(f); got != 0 {
			t.Errorf("widenPipe of a file = %d, want 0", got)
		}
	})
	t.Run("closed", func(t *testing.T) {
		r, _ := newPipe(t)
		r.Close()
		if got := widenPipe(r); got != 0 {
			t.Errorf("widenPipe of a closed pipe = %d, want 0", got)
		}
	})
}

// TestCheckPipe checks standard input that is a pipe, as from zcat: the
// findings are those of the file, and the pipe was widened.
func TestCheckPipe(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	const path = "testdata/turnover_534.csv"
	in, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Past the kernel's default pipe of 64 KB, in more years than one.
	var b bytes.Buffer
	b.Write(in)
	for y := 1990; y < 2020; y++ {
		for m := 1; m <= 12; m++ {
			for _, p := range []string{"ARM", "GEO", "AZE", "UZB", "KGZ", "TJK"} {
				b.WriteString("KAZ," + p + ",exports," + strconv.Itoa(y) + "-" + strconv.Itoa(100 + m)[1:] + ",1.5,USD million,,BNS,\n")
			}
		}
	}
	file := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var wantOut, wantErr bytes.Buffer
	wantCode := run([]string{"check", file}, nil, &wantOut, &wantErr)
	want := strings.ReplaceAll(wantOut.String(), file, "<stdin>")
	if wantCode != exitFindings || !strings.Contains(want, "<stdin>:4:") {
		t.Fatalf("check %s: exit %d\n%s%s", file, wantCode, want, wantErr.String())
	}

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	wrote := make(chan error, 1)
	go func() {
		_, err := w.Write(b.Bytes())
		wrote <- err
		w.Close()
	}()
	var stdout, stderr bytes.Buffer
	code := run([]string{"check", "-"}, r, &stdout, &stderr)
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	if code != wantCode || stdout.String() != want {
		t.Errorf("check - from a pipe: exit %d, want %d\n%s%s\nwant:\n%s", code, wantCode, stdout.String(), stderr.String(), want)
	}
	if got, limit := pipeSizeOf(t, r), pipeLimit(t); got < limit {
		t.Errorf("the pipe holds %d bytes, want %d", got, limit)
	}
}
