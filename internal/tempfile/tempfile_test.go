package tempfile

import (
	"io"
	"os"
	"runtime"
	"testing"
)

// TestCreate checks that a temporary file holds what is written to it
// while it is open, and that nothing of it is left in its directory: at
// once where the system allows it, after Close elsewhere.
func TestCreate(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(dir, "x-*.csv")
	if err != nil {
		t.Fatal(err)
	}
	left := func() []os.DirEntry {
		t.Helper()
		es, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		return es
	}
	if runtime.GOOS != "windows" && len(left()) > 0 {
		t.Errorf("while open, the directory holds %v", left())
	}
	if _, err := f.WriteString("reporter,partner\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if b, err := io.ReadAll(f); err != nil || string(b) != "reporter,partner\n" {
		t.Errorf("read back %q, %v", b, err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if es := left(); len(es) > 0 {
		t.Errorf("after Close, the directory holds %v", es)
	}
}

func TestCreateNoDirectory(t *testing.T) {
	if _, err := Create(t.TempDir()+"/gone", "x-*"); err == nil {
		t.Error("Create in a missing directory gave no error")
	}
}

// TestCloseRemoves checks Close of a file whose name could not be removed
// when it was created, as on Windows.
func TestCloseRemoves(t *testing.T) {
	dir := t.TempDir()
	osf, err := os.CreateTemp(dir, "x-*")
	if err != nil {
		t.Fatal(err)
	}
	f := &File{File: osf, path: osf.Name()}
	if err := f.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := os.Stat(osf.Name()); !os.IsNotExist(err) {
		t.Errorf("after Close: %v, want the file gone", err)
	}
}
