package main

import (
	"bytes"
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReadLog reads a file through the log as a check does, in pieces,
// reading parts again and skipping ahead, and checks that the hash is that
// of the file, and that a second reading tells a file rewritten to the
// same size and time of change.
func TestReadLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.csv")
	content := []byte(strings.Repeat("KAZ,ARM,exports,2023,33.3,USD million,BNS\n", 100))
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	log := newReadLog(sha256.New)
	read := func(steps func(r io.ReadSeeker)) io.Reader {
		t.Helper()
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		r, err := log.wrap(path, f)
		if err != nil {
			t.Fatal(err)
		}
		steps(r)
		return r
	}
	p := make([]byte, 1000)
	first := read(func(r io.ReadSeeker) {
		r.Read(p)
		r.Seek(100, io.SeekStart) // read again
		r.Read(p[:50])
		r.Seek(2000, io.SeekStart) // skip ahead
		io.ReadAll(r)
		r.Seek(0, io.SeekStart) // read again, after the end
		r.Read(p)
	})
	want := sha256.Sum256(content)
	if size, sum, ok := log.sum(path); !ok || size != int64(len(content)) || !bytes.Equal(sum, want[:]) {
		t.Errorf("sum: %d bytes, %x, %v; want %d bytes, %x", size, sum, ok, len(content), want)
	}
	if err := log.same(path, first); err != nil {
		t.Errorf("the first reading against itself: %v", err)
	}
	whole := func(r io.ReadSeeker) { io.ReadAll(r) }
	if err := log.same(path, read(whole)); err != nil {
		t.Errorf("the same file read again: %v", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, change := range map[string][]byte{
		"same size": bytes.Replace(content, []byte("33.3"), []byte("33.9"), 1),
		"longer":    append(bytes.Clone(content), "KAZ,ARM,imports,2023,19.8,USD million,BNS\n"...),
		"cut short": content[:len(content)-10],
	} {
		if err := os.WriteFile(path, change, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, time.Time{}, st.ModTime()); err != nil {
			t.Fatal(err)
		}
		if err := log.same(path, read(whole)); err == nil || !strings.Contains(err.Error(), "changed after it was checked") {
			t.Errorf("%s: %v, want the file told changed", name, err)
		}
	}
}
