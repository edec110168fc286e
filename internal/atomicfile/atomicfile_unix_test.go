//go:build unix

package atomicfile

import (
	"os"
	"path/filepath"
	"strconv"
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

// TestThroughLinks writes through symbolic links: the file a link leads
// to is replaced (made when it does not exist) and the link stays; a
// descriptor of the process, named as /proc/self/fd/N or through a link
// to it as /dev/stdout is, is appended to and stays what it is.
func TestThroughLinks(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.csv")
	if err := os.WriteFile(real, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ link, to, file string }{
		{"out.csv", "real.csv", real},
		{"chain.csv", "out.csv", real},
		{"dangling.csv", "new.csv", filepath.Join(dir, "new.csv")},
	} {
		link := filepath.Join(dir, tc.link)
		if err := os.Symlink(tc.to, link); err != nil {
			t.Fatal(err)
		}
		if err := WriteFile(link, []byte("new "+tc.link), Options{Perm: 0o644}); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a link: %v, %v", tc.link, fi.Mode(), err)
		}
		if b, err := os.ReadFile(tc.file); err != nil || string(b) != "new "+tc.link {
			t.Errorf("through %s, %s holds %q, %v", tc.link, tc.file, b, err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 5 {
		t.Errorf("%d files in the directory, want the 2 written and the 3 links", len(entries))
	}

	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("no /proc/self/fd")
	}
	out, err := os.OpenFile(filepath.Join(dir, "stdout.txt"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	out.WriteString("a\n")
	fd := filepath.Join("/proc/self/fd", strconv.Itoa(int(out.Fd())))
	fdLink := filepath.Join(dir, "stdout")
	if err := os.Symlink(fd, fdLink); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{fd, fdLink} {
		if err := WriteFile(name, []byte("b\n"), Options{Perm: 0o644, KeepPerm: true}); err != nil {
			t.Fatal(err)
		}
	}
	if b, err := os.ReadFile(out.Name()); err != nil || string(b) != "a\nb\nb\n" {
		t.Errorf("the descriptor's file holds %q, %v; want a, b and b appended", b, err)
	}
	if fi, err := os.Lstat(fdLink); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link to the descriptor is no longer a link: %v, %v", fi.Mode(), err)
	}
}
