package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tradedesk/report/stats"
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
		r.Seek(900, io.SeekStart) // read again, past the end of what was read
		r.Read(p[:200])
		r.Seek(2000, io.SeekStart) // skip ahead
		io.ReadAll(r)
		r.Seek(0, io.SeekStart) // read again, after the end
		r.Read(p)
	})
	want := sha256.Sum256(content)
	if size, sum, ok := log.sum(path); !ok || size != int64(len(content)) || !bytes.Equal(sum, want[:]) {
		t.Errorf("sum: %d bytes, %x, %v; want %d bytes, %x", size, sum, ok, len(content), want)
	}
	if err := log.same(path, path, first, nil); err != nil {
		t.Errorf("the first reading against itself: %v", err)
	}
	whole := func(r io.ReadSeeker) { io.ReadAll(r) }
	if err := log.same(path, path, read(whole), nil); err != nil {
		t.Errorf("the same file read again: %v", err)
	}
	// A reading that ends with an error gives it back; a parse error
	// after a first reading that parsed means the file changed.
	ioErr := errors.New("input/output error")
	if err := log.same(path, path, read(whole), ioErr); !errors.Is(err, ioErr) || errors.Is(err, errChanged) {
		t.Errorf("a reading that failed: %v", err)
	}
	if err := log.same(path, path, read(whole), &stats.ParseError{File: path, Line: 1, Err: errors.New("no header")}); !errors.Is(err, errChanged) {
		t.Errorf("a reading that did not parse: %v, want errChanged", err)
	}
	var none *readLog
	if err := none.same(path, path, first, ioErr); err != ioErr {
		t.Errorf("no log: %v, want the reading's error", err)
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
		if err := log.same(path, "shown.csv", read(whole), nil); !errors.Is(err, errChanged) || !strings.HasPrefix(err.Error(), "shown.csv changed") {
			t.Errorf("%s: %v, want the file told changed", name, err)
		}
	}
}

// TestReadLogPipe hashes an input that cannot seek, as it is read once.
func TestReadLogPipe(t *testing.T) {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	content := strings.Repeat("KAZ,ARM,exports,2023,33.3,USD million,BNS\n", 5000)
	go func() {
		pw.WriteString(content)
		pw.Close()
	}()
	log := newReadLog(sha256.New)
	r, err := log.wrap("pipe", pr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Seek(0, io.SeekCurrent); err == nil {
		t.Error("a pipe could seek")
	}
	if b, err := io.ReadAll(r); err != nil || string(b) != content {
		t.Fatalf("read %d bytes, %v", len(b), err)
	}
	want := sha256.Sum256([]byte(content))
	if size, sum, ok := log.sum("pipe"); !ok || size != int64(len(content)) || !bytes.Equal(sum, want[:]) {
		t.Errorf("sum: %d bytes, %x, %v; want %d bytes, %x", size, sum, ok, len(content), want)
	}
}
