package reports_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// These tests read the workbook with real spreadsheet programs. They skip
// only when the program is not installed; CI installs gnumeric and
// python3-openpyxl.

// writeFixture writes the workbook of a fixture into a temporary directory.
func writeFixture(t *testing.T, fixture, period string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := os.WriteFile(path, write(t, workbookOf(t, fixture, period)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// gnumericNoise is what ssconvert prints about any workbook with an Excel
// table: gnumeric does not read tables (ListObjects) and says so; the cells
// convert all the same.
var gnumericNoise = regexp.MustCompile(`(?m)^Unexpected element 'tableParts' in state : \n\tworksheet\n?`)

func TestSSConvert(t *testing.T) {
	ssconvert, err := exec.LookPath("ssconvert")
	if err != nil {
		t.Skip("ssconvert (gnumeric) is not installed")
	}
	cases := []struct {
		name, fixture, period string
		series                map[string]map[string]float64
	}{
		{name: "seed", fixture: "seed.csv", series: map[string]map[string]float64{
			"exports":       {"2023": 33.3, "2024-01/2024-07": 9.4},
			"imports":       {"2023": 19.8, "2024-01/2024-07": 8.5},
			"turnover":      {"2023": 53.1, "2024-01/2024-07": 17.9},
			"balance":       {"2023": 13.5, "2024-01/2024-07": 0.9},
			"fdi_in_gross":  {"2022": 3, "2023": 6, "2005/2024": 20.6},
			"fdi_out_gross": {"2005/2024": 56.5},
		}},
		{name: "quarter", fixture: "quarter.csv", period: "2024-Q3", series: map[string]map[string]float64{
			"exports":  {"2024-Q3": 9.9, "2023-Q3": 8.4, "2024-01/2024-09": 27},
			"turnover": {"2024-Q3": 16.8, "2023-Q3": 15.3, "2024-Q2": 99.9},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			book := writeFixture(t, tc.fixture, tc.period)
			out := filepath.Join(t.TempDir(), "sheet.csv")
			cmd := exec.Command(ssconvert, "-S", book, out)
			var stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stderr, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("ssconvert: %v\n%s", err, stderr.String())
			}
			if rest := strings.TrimSpace(gnumericNoise.ReplaceAllString(stderr.String(), "")); rest != "" {
				t.Errorf("ssconvert warns:\n%s", rest)
			}
			// Sheet 1 is Series; ssconvert writes the values as displayed.
			f, err := os.Open(out + ".1")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := csv.NewReader(f).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			got := seriesFromCSV(t, rows, "KAZ–ARM", tc.series)
			if diff := cmp.Diff(tc.series, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("Series as gnumeric reads it mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// seriesFromCSV reads the cells of want's indicators and periods from the
// block of pair.
func seriesFromCSV(t *testing.T, rows [][]string, pair string, want map[string]map[string]float64) map[string]map[string]float64 {
	t.Helper()
	got := map[string]map[string]float64{}
	var header []string
	for _, r := range rows {
		switch {
		case len(r) == 0 || r[0] == "":
			header = nil
		case r[0] == pair:
			header = r
		case header != nil && want[r[0]] != nil:
			got[r[0]] = map[string]float64{}
			for j := 2; j < len(r) && j < len(header); j++ {
				if _, ok := want[r[0]][header[j]]; !ok {
					continue
				}
				x, err := strconv.ParseFloat(strings.ReplaceAll(r[j], ",", ""), 64)
				if err != nil {
					t.Errorf("%s %s = %q, not a number", r[0], header[j], r[j])
					continue
				}
				got[r[0]][header[j]] = x
			}
		}
	}
	return got
}

// openpyxlScript loads the workbook twice, with formulas and with the
// cached values (data_only), and reports every formula cell whose cached
// value is not a number (not a text, for the links of the Checks sheet)
// and any formula on a Data sheet (the input's text
// that begins with = must be read as text), the number of formula cells, the sheet names and
// the Series block of KAZ–ARM.
const openpyxlScript = `
import json, sys, openpyxl
path = sys.argv[1]
wf = openpyxl.load_workbook(path)
wv = openpyxl.load_workbook(path, data_only=True)
bad, formulas = [], 0
for ws in wf.worksheets:
    for row in ws.iter_rows():
        for c in row:
            if c.data_type == "f":
                formulas += 1
                if ws.title.startswith("Data"):
                    bad.append("%s!%s is a formula: input text must stay text" % (ws.title, c.coordinate))
                v = wv[ws.title][c.coordinate].value
                if c.value.startswith("=HYPERLINK("):
                    ok = isinstance(v, str) and v != ""
                else:
                    ok = isinstance(v, (int, float)) and not isinstance(v, bool)
                if not ok:
                    bad.append("%s!%s %s -> %r" % (ws.title, c.coordinate, c.value, v))
# Read-only mode trusts each sheet's dimension element: it must span
# the cells.
wr = openpyxl.load_workbook(path, read_only=True)
for ws in wf.worksheets:
    ro = wr[ws.title]
    if (ro.max_row, ro.max_column) != (ws.max_row, ws.max_column):
        bad.append("%s: dimension says %sx%s, cells span %sx%s" % (ws.title, ro.max_row, ro.max_column, ws.max_row, ws.max_column))
series, header = {}, None
for row in wv["Series"].iter_rows(values_only=True):
    if row[0] == "KAZ–ARM":
        header = row
    elif row[0] is None:
        header = None
    elif header:
        series[row[0]] = {header[j]: row[j] for j in range(2, len(row)) if row[j] is not None}
json.dump({"bad": bad, "formulas": formulas, "sheets": wv.sheetnames, "series": series,
           "title": wv.properties.title, "creator": wv.properties.creator}, sys.stdout)
`

// openpyxl returns the Python that has openpyxl, Debian's first, or skips
// the test.
func openpyxl(t *testing.T) string {
	t.Helper()
	python := "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		if python, err = exec.LookPath("python3"); err != nil {
			t.Skip("python3 is not installed")
		}
	}
	if err := exec.Command(python, "-c", "import openpyxl").Run(); err != nil {
		t.Skip("openpyxl is not installed")
	}
	return python
}

func TestOpenpyxl(t *testing.T) {
	python := openpyxl(t)
	cases := []struct {
		name, fixture, period string
		minFormulas           int
		series                map[string]map[string]float64
	}{
		{name: "seed", fixture: "seed.csv", minFormulas: 2, series: map[string]map[string]float64{
			"balance": {"2023": 13.5, "2024-01/2024-07": 0.9},
		}},
		{name: "quarter", fixture: "quarter.csv", period: "2024-Q3", minFormulas: 60, series: map[string]map[string]float64{
			"turnover": {"2024-Q3": 16.8, "2023-Q3": 15.3},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			book := writeFixture(t, tc.fixture, tc.period)
			cmd := exec.Command(python, "-c", openpyxlScript, book)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("openpyxl: %v\n%s", err, stderr.String())
			}
			var got struct {
				Bad      []string
				Formulas int
				Sheets   []string
				Series   map[string]map[string]float64
				Title    string
				Creator  string
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if len(got.Bad) > 0 {
				t.Errorf("formula cells without a cached number:\n%s", strings.Join(got.Bad, "\n"))
			}
			if got.Formulas < tc.minFormulas {
				t.Errorf("%d formula cells, want at least %d", got.Formulas, tc.minFormulas)
			}
			wantSheets := []string{"Summary", "Series", "Data", "Checks", "Charts", "About"}
			if diff := cmp.Diff(wantSheets, got.Sheets); diff != "" {
				t.Errorf("sheets mismatch (-want +got):\n%s", diff)
			}
			for ind, want := range tc.series {
				for p, x := range want {
					if v, ok := got.Series[ind][p]; !ok || v-x > 1e-9 || x-v > 1e-9 {
						t.Errorf("openpyxl reads Series %s %s = %v, want %v", ind, p, v, x)
					}
				}
			}
			if got.Title == "" || !strings.HasPrefix(got.Creator, "report") {
				t.Errorf("document properties: title %q, creator %q", got.Title, got.Creator)
			}
		})
	}
}

func TestLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice (LibreOffice) is not installed")
	}
	if testing.Short() {
		t.Skip("LibreOffice takes seconds to start")
	}
	book := writeFixture(t, "seed.csv", "")
	dir := t.TempDir()
	// Every sheet to its own CSV (the sheet parameter -1), values as
	// stored rather than as displayed.
	filter := "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--headless", "--convert-to", filter, "--outdir", dir, book)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "book-Series.csv"))
	if err != nil {
		t.Fatalf("LibreOffice wrote no Series sheet: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]float64{
		"exports":      {"2023": 33.3, "2024-01/2024-07": 9.4},
		"turnover":     {"2023": 53.1, "2024-01/2024-07": 17.9},
		"balance":      {"2023": 13.5, "2024-01/2024-07": 0.9},
		"fdi_in_gross": {"2022": 3, "2023": 6, "2005/2024": 20.6},
	}
	got := seriesFromCSV(t, rows, "KAZ–ARM", want)
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("Series as LibreOffice reads it mismatch (-want +got):\n%s", diff)
	}
}
