package rules_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradedesk/report/stats"
	"github.com/tradedesk/report/stats/rules"
)

// FuzzParse checks that the parser never panics, that every error is a
// *stats.ParseError naming the file, and that a file that parses can be
// evaluated on data without panicking.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	more, _ := filepath.Glob(filepath.Join("testdata", "parse", "*.yaml"))
	for _, name := range append(files, more...) {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("rules:\n  - id: x\n    assert: sum([exports[\"2023\"]], -1) / 0 >= growth(1, 2)\n"))
	ds, err := stats.LoadFile(filepath.Join("testdata", "seed.csv"), stats.LoadOptions{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := rules.Parse(data, "fuzz.yaml")
		if err != nil {
			for _, e := range flatten(err) {
				var pe *stats.ParseError
				if !errors.As(e, &pe) {
					t.Fatalf("error %T %v is not a *stats.ParseError", e, e)
				}
				if pe.File != "fuzz.yaml" || pe.Line < 0 || pe.Column < 0 {
					t.Fatalf("error %v has a bad position %s:%d:%d", e, pe.File, pe.Line, pe.Column)
				}
				if !strings.HasPrefix(e.Error(), "fuzz.yaml") {
					t.Fatalf("error %q does not start with the file name", e)
				}
			}
			return
		}
		for _, fd := range file.Check(ds) {
			if fd.Rule == "" || fd.Message == "" {
				t.Fatalf("finding without rule or message: %+v", fd)
			}
		}
	})
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
