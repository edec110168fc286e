// Package golden compares test output against golden files kept in the
// calling package's testdata directory, and rewrites them when the tests run
// with the -update flag:
//
//	go test ./charts -update
//
// The rewritten files are reviewed in the change like code.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// Update reports whether golden files are rewritten instead of compared. It
// is set by the -update flag of the test binary.
var Update = flag.Bool("update", false, "rewrite golden files in testdata")

// Path returns the path of the golden file name, testdata/name, relative to
// the calling package's directory (the working directory of its tests).
func Path(name string) string {
	return filepath.Join("testdata", filepath.FromSlash(name))
}

// Check compares got byte for byte with the golden file testdata/name. With
// -update it writes got to that file instead, creating its directory as
// needed. A mismatch or a missing golden file fails the test t.
func Check(t testing.TB, name string, got []byte) {
	t.Helper()
	CheckFunc(t, name, got, func(want, got []byte) bool { return bytes.Equal(want, got) })
}

// CheckFunc is like [Check] but decides equality with equal, for outputs
// that may differ within a tolerance, such as PNG images. When equal reports
// false, got is written next to the golden file with the suffix ".got" so
// that the two can be compared by eye; that file is not committed.
func CheckFunc(t testing.TB, name string, got []byte, equal func(want, got []byte) bool) {
	t.Helper()
	path := Path(name)
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("golden: %v", err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("golden: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden: %v (run the tests with -update to create it)", err)
	}
	if equal(want, got) {
		return
	}
	gotPath := filepath.Join(t.TempDir(), filepath.Base(path)+".got")
	if err := os.WriteFile(gotPath, got, 0o644); err != nil {
		t.Errorf("golden: %v", err)
	}
	t.Errorf("output differs from golden file %s; got written to %s (run with -update to accept it)", path, gotPath)
}
