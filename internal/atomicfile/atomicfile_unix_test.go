//go:build unix

package atomicfile

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestSpecialFile writes to a target that is not a regular file, as it is:
// /dev/null stays a device, and a named pipe gets the data.
func TestSpecialFile(t *testing.T) {
	f, err := Create(os.DevNull, Options{Perm: 0o644, KeepPerm: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("findings"); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("%s after Commit: %v, %v", os.DevNull, fi.Mode(), err)
	}

	fifo := filepath.Join(t.TempDir(), "findings.pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	got := make(chan string)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- string(b)
	}()
	f, err = Create(fifo, Options{Perm: 0o644})
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("a finding\n")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "a finding\n" {
		t.Errorf("the pipe's reader got %q", s)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("%s after Commit: %v, %v", fifo, fi.Mode(), err)
	}
}
