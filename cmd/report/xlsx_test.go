package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tradedesk/report/stats"
	"github.com/xuri/excelize/v2"
)

// aboutInputs reads the input files and hashes cited on the About sheet.
func aboutInputs(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	rows, err := f.GetRows("About")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	in := false
	for _, r := range rows {
		switch {
		case len(r) > 0 && r[0] == "input file":
			in = true
		case len(r) == 0:
			in = false
		case in && len(r) > 1:
			out[r[0]] = r[1]
		}
	}
	return out
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestXLSX(t *testing.T) {
	seed, err := os.ReadFile("../../data/trade.csv")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SOURCE_DATE_EPOCH": "1728950400"}
	cases := []struct {
		name     string
		args     []string
		stdin    []byte
		wantCode int
		wantFile bool
		banner   string
		inputs   map[string]string
	}{
		{name: "seed", args: []string{"xlsx", "../../data/trade.csv"}, wantFile: true,
			banner: "All checks hold.", inputs: map[string]string{"../../data/trade.csv": sha(seed)}},
		{name: "standard input", args: []string{"xlsx", "--period", "2023", "-"}, stdin: seed, wantFile: true,
			banner: "All checks hold.", inputs: map[string]string{"<stdin>": sha(seed)}},
		{name: "images", args: []string{"xlsx", "--images", "../../data/trade.csv"}, wantFile: true,
			banner: "All checks hold."},
		{name: "refused", args: []string{"xlsx", "testdata/turnover_534.csv"}, wantCode: exitFindings},
		{name: "forced", args: []string{"xlsx", "--force", "testdata/turnover_534.csv"}, wantFile: true,
			banner: "CHECKS FAILED: 1 error and no warnings."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "sub", "book.xlsx")
			code, stdout, stderr := runCase(append(tc.args, "--out", out), tc.stdin, env)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.wantCode, stdout, stderr)
			}
			_, err := os.Stat(out)
			if got := err == nil; got != tc.wantFile {
				t.Fatalf("file written = %v, want %v (%s)", got, tc.wantFile, stderr)
			}
			if !tc.wantFile {
				return
			}
			f, err := excelize.OpenFile(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			banner, _ := f.GetCellValue("Summary", "A2")
			if !strings.HasPrefix(banner, tc.banner) {
				t.Errorf("banner %q, want it to begin %q", banner, tc.banner)
			}
			if tc.inputs != nil {
				if got := aboutInputs(t, out); !mapsEqual(got, tc.inputs) {
					t.Errorf("About cites %v, want %v", got, tc.inputs)
				}
			}
		})
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestXLSXSameBytes(t *testing.T) {
	dir := t.TempDir()
	var files [2][]byte
	for i := range files {
		out := filepath.Join(dir, "book"+string(rune('a'+i))+".xlsx")
		code, _, stderr := runCase([]string{"xlsx", "--out", out, "../../data/trade.csv"}, nil, map[string]string{"SOURCE_DATE_EPOCH": "1728950400"})
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		files[i], _ = os.ReadFile(out)
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Error("two runs with the same input and SOURCE_DATE_EPOCH wrote different bytes")
	}
}

func TestXLSXRefusalKeepsEarlierWorkbook(t *testing.T) {
	out := filepath.Join(t.TempDir(), "book.xlsx")
	if err := os.WriteFile(out, []byte("earlier"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, _ := runCase([]string{"xlsx", "--out", out, "testdata/turnover_534.csv"}, nil, nil)
	if code != exitFindings {
		t.Fatalf("exit %d, want %d", code, exitFindings)
	}
	if b, _ := os.ReadFile(out); string(b) != "earlier" {
		t.Errorf("the earlier workbook was changed")
	}
}

func TestDefaultWorkbook(t *testing.T) {
	ds, err := stats.LoadFile("../../data/trade.csv", stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	e := &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }}
	path, err := defaultWorkbook(e, &checked{ds: ds, findings: stats.Check(ds, nil)}, dir, time.Date(2024, 10, 15, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "report-2024-01--2024-07.xlsx"); path != want {
		t.Errorf("path %q, want %q", path, want)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Summary", "E5"); v != "2024-01/2024-07" {
		t.Errorf("Summary period header %q, want 2024-01/2024-07", v)
	}
}
