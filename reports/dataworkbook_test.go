package reports_test

import (
	"bytes"
	"errors"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tradedesk/report/reports"
	"github.com/tradedesk/report/stats"
	"github.com/xuri/excelize/v2"
)

// rowsOf yields the observations one by one, as a reader of a file would.
func rowsOf(obs []stats.Observation) iter.Seq2[stats.Observation, error] {
	return func(yield func(stats.Observation, error) bool) {
		for _, o := range obs {
			if !yield(o, nil) {
				return
			}
		}
	}
}

// dataDump is the dump of a workbook's Data sheets alone.
func dataDump(t *testing.T, b []byte) string {
	t.Helper()
	d := dump(t, open(t, b))
	var keep []string
	in := false
	for _, line := range strings.SplitAfter(d, "\n") {
		if strings.HasPrefix(line, "\n== ") || strings.HasPrefix(line, "== ") {
			in = strings.HasPrefix(strings.TrimPrefix(line, "\n"), "== Data")
		}
		if in {
			keep = append(keep, line)
		}
	}
	return strings.TrimSpace(strings.Join(keep, ""))
}

// TestDataWorkbook checks that the Data sheets written from a sequence of
// rows are those of the whole workbook: cells, types, styles, widths
// aside, pane and table; over one sheet and split over several.
func TestDataWorkbook(t *testing.T) {
	for _, tc := range []struct {
		name    string
		maxRows int
	}{{"one sheet", 0}, {"three sheets", 20}} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.maxRows > 0 {
				defer reports.SetMaxDataRows(tc.maxRows)()
			}
			w := workbookOf(t, "quarter.csv", "2024-Q3")
			want := dataDump(t, write(t, w))
			dw := &reports.DataWorkbook{Rows: rowsOf(w.Data.Obs), Version: "v1.0.0-test", AsOf: asOf, TmpDir: t.TempDir()}
			b := write(t, dw)
			got := dataDump(t, b)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Data sheets mismatch (-Workbook +DataWorkbook):\n%s", diff)
			}
			if again := write(t, dw); !bytes.Equal(again, b) {
				t.Error("the same rows wrote different bytes")
			}
		})
	}
}

func TestDataWorkbookErrors(t *testing.T) {
	errRead := errors.New("read error")
	obs := workbookOf(t, "quarter.csv", "2024-Q3").Data.Obs
	for _, tc := range []struct {
		name    string
		rows    iter.Seq2[stats.Observation, error]
		wantErr error
	}{
		{"no rows", rowsOf(nil), reports.ErrNoData},
		{"error after some rows", func(yield func(stats.Observation, error) bool) {
			for _, o := range obs[:5] {
				if !yield(o, nil) {
					return
				}
			}
			yield(stats.Observation{}, errRead)
		}, errRead},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var buf bytes.Buffer
			_, err := (&reports.DataWorkbook{Rows: tc.rows, AsOf: asOf, TmpDir: dir}).WriteTo(&buf)
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("WriteTo error = %v, want %v", err, tc.wantErr)
			}
			if left, _ := os.ReadDir(dir); len(left) > 0 {
				t.Errorf("temporary files left behind: %v", left)
			}
		})
	}
}

// TestDataWorkbookOpenpyxl reads a DataWorkbook back with openpyxl, which
// checks the parts against their schemas more strictly than excelize.
func TestDataWorkbookOpenpyxl(t *testing.T) {
	python := openpyxl(t)
	w := workbookOf(t, "quarter.csv", "2024-Q3")
	book := filepath.Join(t.TempDir(), "data.xlsx")
	if err := os.WriteFile(book, write(t, &reports.DataWorkbook{Rows: rowsOf(w.Data.Obs), AsOf: asOf}), 0o644); err != nil {
		t.Fatal(err)
	}
	const script = `
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
ws = wb["Data"]
rows = list(ws.iter_rows(values_only=True))
print(len(rows) - 1, rows[0][1], rows[1][1], rows[1][6])
`
	out, err := exec.Command(python, "-c", script, book).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	f := strings.Fields(string(out))
	o := w.Data.Obs[0]
	if len(f) != 4 || f[0] != strconv.Itoa(len(w.Data.Obs)) || f[1] != "line" || f[2] != strconv.Itoa(o.Pos.Line) {
		t.Fatalf("openpyxl reads %q, want %d rows, the header line and line %d", out, len(w.Data.Obs), o.Pos.Line)
	}
	if v, err := strconv.ParseFloat(f[3], 64); err != nil || v != o.Value.Num {
		t.Errorf("openpyxl reads value %q, want %v", f[3], o.Value.Num)
	}
}

// TestLongNoteMarked writes a note longer than a cell holds: the Data
// sheet shows its start, cut to the cell's 32,767 UTF-16 units with "…"
// last, so that a reader sees it goes on in the input.
func TestLongNoteMarked(t *testing.T) {
	cases := []struct {
		name, note, want string
	}{
		{name: "fits", note: strings.Repeat("a", excelize.TotalCellChars), want: strings.Repeat("a", excelize.TotalCellChars)},
		{name: "one over", note: strings.Repeat("a", excelize.TotalCellChars+1), want: strings.Repeat("a", excelize.TotalCellChars-1) + "…"},
		{name: "two bytes a character", note: strings.Repeat("é", excelize.TotalCellChars+5), want: strings.Repeat("é", excelize.TotalCellChars-1) + "…"},
		// 16,383 surrogate pairs and the mark.
		{name: "surrogate pairs", note: strings.Repeat("😀", excelize.TotalCellChars/2+3), want: strings.Repeat("😀", excelize.TotalCellChars/2) + "…"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ds := &stats.Dataset{Obs: []stats.Observation{{Reporter: "KAZ", Partner: "ARM", Indicator: "exports",
				Period: stats.YearOf(2023), Value: stats.NewValue(1.5, 1), Unit: "USD million", Source: "BNS",
				Note: tc.note, Pos: stats.Pos{File: "n.csv", Line: 2}}}}
			w := &reports.Workbook{Data: ds, AsOf: asOf, TmpDir: t.TempDir()}
			f := open(t, write(t, w))
			got, err := f.GetCellValue("Data", "K2")
			if err != nil {
				t.Fatal(err)
			}
			tail := func(s string) string { r := []rune(s); return string(r[max(len(r)-3, 0):]) }
			if got != tc.want {
				t.Errorf("note of %d bytes: cell holds %d bytes ending %q, want %d bytes ending %q",
					len(tc.note), len(got), tail(got), len(tc.want), tail(tc.want))
			}
		})
	}
}
