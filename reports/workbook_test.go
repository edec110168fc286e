package reports_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/tradedesk/report/internal/golden"
	"github.com/tradedesk/report/reports"
	"github.com/tradedesk/report/stats"
	"github.com/xuri/excelize/v2"
)

var asOf = time.Date(2024, 10, 15, 12, 0, 0, 0, time.UTC)

// goldenRules are the rules the tests run: the goldens pin the workbook,
// not the rules engine, whose rules grow.
var goldenRules = map[string]bool{"input": true, "turnover": true, "mirror": true}

// checkConfig switches off every rule but goldenRules.
func checkConfig() *stats.Config {
	cfg := &stats.Config{Rules: map[string]stats.RuleConfig{}}
	for _, r := range stats.Rules() {
		if !goldenRules[r.ID] {
			cfg.Rules[r.ID] = stats.RuleConfig{Disabled: true}
		}
	}
	return cfg
}

// workbookOf loads a fixture, checks it with the goldenRules and returns
// the workbook for period ("" for the default).
func workbookOf(t testing.TB, fixture, period string) *reports.Workbook {
	t.Helper()
	path := filepath.Join("testdata", fixture)
	ds, err := stats.LoadFile(filepath.ToSlash(path), stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	in, err := reports.HashInput(filepath.ToSlash(path), bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	cfg := checkConfig()
	w := &reports.Workbook{Data: ds, Findings: stats.Check(ds, cfg), Config: cfg, Inputs: []reports.Input{in},
		Version: "v1.0.0-test", AsOf: asOf, TmpDir: t.TempDir()}
	if period != "" {
		if w.Period, err = stats.ParsePeriod(period); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// write writes a workbook, whole or of the Data sheets, and checks the
// count WriteTo returns.
func write(t testing.TB, w io.WriterTo) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := w.WriteTo(&buf)
	if err != nil {
		t.Fatalf("WriteTo: %v", err)
	}
	if n != int64(buf.Len()) {
		t.Errorf("WriteTo returned %d, wrote %d bytes", n, buf.Len())
	}
	return buf.Bytes()
}

func open(t testing.TB, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("excelize cannot read the workbook back: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// dump renders every sheet of a workbook as text: one line per cell with
// its type, value (the cached value for formulas), formula and a style
// summary, then the merged ranges, panes, tables and hyperlinks; and the
// document properties.
func dump(t testing.TB, f *excelize.File) string {
	t.Helper()
	var b strings.Builder
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "properties: title=%q subject=%q creator=%q keywords=%q created=%s modified=%s\n",
		props.Title, props.Subject, props.Creator, props.Keywords, props.Created, props.Modified)
	for _, sh := range f.GetSheetList() {
		fmt.Fprintf(&b, "\n== %s\n", sh)
		rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			// The About sheet lists every rule the engine has; the goldens
			// keep only the rules the tests run.
			if sh == "About" && len(row) > 4 && (row[4] == "on" || row[4] == "off") {
				if goldenRules[row[0]] {
					fmt.Fprintf(&b, "About rule %s: %s, %s, %s\n", row[0], row[1], row[2], row[4])
				}
				continue
			}
			for c := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				formula, _ := f.GetCellFormula(sh, ref)
				if row[c] == "" && formula == "" {
					continue
				}
				typ, _ := f.GetCellType(sh, ref)
				fmt.Fprintf(&b, "%s!%s = %q [%s]", sh, ref, row[c], cellType(typ))
				if formula != "" {
					fmt.Fprintf(&b, " f=%q", formula)
				}
				if s := styleSummary(f, sh, ref); s != "" {
					fmt.Fprintf(&b, " {%s}", s)
				}
				if ok, link, _ := f.GetCellHyperLink(sh, ref); ok {
					fmt.Fprintf(&b, " link=%q", link)
				}
				b.WriteString("\n")
			}
		}
		merged, _ := f.GetMergeCells(sh)
		for _, m := range merged {
			fmt.Fprintf(&b, "merged %s:%s\n", m.GetStartAxis(), m.GetEndAxis())
		}
		if p, err := f.GetPanes(sh); err == nil && p.Freeze {
			fmt.Fprintf(&b, "frozen at %s\n", p.TopLeftCell)
		}
		tables, _ := f.GetTables(sh)
		for _, tb := range tables {
			fmt.Fprintf(&b, "table %s %s style %s\n", tb.Name, tb.Range, tb.StyleName)
		}
	}
	return b.String()
}

func cellType(t excelize.CellType) string {
	switch t {
	case excelize.CellTypeNumber, excelize.CellTypeUnset:
		return "number"
	case excelize.CellTypeInlineString, excelize.CellTypeSharedString:
		return "text"
	case excelize.CellTypeFormula:
		return "formula text"
	case excelize.CellTypeBool:
		return "bool"
	}
	return strconv.Itoa(int(t))
}

func styleSummary(f *excelize.File, sh, ref string) string {
	id, err := f.GetCellStyle(sh, ref)
	if err != nil || id == 0 {
		return ""
	}
	st, err := f.GetStyle(id)
	if err != nil {
		return ""
	}
	var parts []string
	if st.CustomNumFmt != nil {
		parts = append(parts, "fmt "+*st.CustomNumFmt)
	} else if st.NumFmt != 0 {
		parts = append(parts, "numfmt "+strconv.Itoa(st.NumFmt))
	}
	if st.Font != nil {
		if st.Font.Bold {
			parts = append(parts, "bold")
		}
		if st.Font.Italic {
			parts = append(parts, "italic")
		}
		if st.Font.Color != "" {
			parts = append(parts, "color "+st.Font.Color)
		}
	}
	if len(st.Fill.Color) > 0 {
		parts = append(parts, "fill "+strings.Join(st.Fill.Color, " "))
	}
	return strings.Join(parts, ", ")
}

func TestGolden(t *testing.T) {
	cases := []struct {
		name, fixture, period string
	}{
		{"seed", "seed.csv", ""},
		{"quarter", "quarter.csv", "2024-Q3"},
		{"quarter-ytd-interval", "quarter.csv", "2024-01/2024-07"},
		{"units", "units.csv", "2024-Q3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := open(t, write(t, workbookOf(t, tc.fixture, tc.period)))
			golden.Check(t, "golden/"+tc.name+".txt", []byte(dump(t, f)))
		})
	}
}

func TestDeterministic(t *testing.T) {
	// Several streamed sheets: excelize would write them in map order.
	restore := reports.SetMaxDataRows(7)
	defer restore()
	w := workbookOf(t, "quarter.csv", "2024-Q3")
	first := write(t, w)
	for i := range 5 {
		if again := write(t, w); !bytes.Equal(first, again) {
			t.Fatalf("run %d wrote different bytes (%d and %d bytes)", i+2, len(first), len(again))
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(first), int64(len(first)))
	if err != nil {
		t.Fatal(err)
	}
	if zr.File[0].Name != "[Content_Types].xml" {
		t.Errorf("first part is %s, want [Content_Types].xml", zr.File[0].Name)
	}
	for _, zf := range zr.File {
		if !zf.Modified.Equal(asOf) {
			t.Errorf("%s is stamped %v, want the as-of time %v", zf.Name, zf.Modified, asOf)
		}
	}
}

// seriesValues reads the Series sheet back as indicator → period → value
// for the block of a pair.
func seriesValues(t *testing.T, f *excelize.File, pair string) map[string]map[string]float64 {
	t.Helper()
	rows, err := f.GetRows("Series", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]float64{}
	var header []string
	for _, row := range rows {
		switch {
		case len(row) == 0:
			header = nil
		case row[0] == pair:
			header = row
		case header != nil:
			out[row[0]] = map[string]float64{}
			for j := 2; j < len(row) && j < len(header); j++ {
				if row[j] == "" {
					continue
				}
				x, err := strconv.ParseFloat(row[j], 64)
				if err != nil {
					t.Fatalf("Series %s %s = %q, not a number", row[0], header[j], row[j])
				}
				out[row[0]][header[j]] = x
			}
		}
	}
	return out
}

func TestSeedFigures(t *testing.T) {
	w := workbookOf(t, "seed.csv", "")
	if got := w.Period; !got.IsZero() {
		t.Fatalf("period %s, want the default", got)
	}
	f := open(t, write(t, w))
	got := seriesValues(t, f, "KAZ–ARM")
	want := map[string]map[string]float64{
		"exports":             {"2023": 33.3, "2024-01/2024-07": 9.4},
		"imports":             {"2023": 19.8, "2024-01/2024-07": 8.5},
		"turnover":            {"2023": 53.1, "2024-01/2024-07": 17.9},
		"balance":             {"2023": 13.5, "2024-01/2024-07": 0.9},
		"fdi_in_gross":        {"2022": 3, "2023": 6, "2005/2024": 20.6},
		"fdi_out_gross":       {"2005/2024": 56.5},
		"registered_entities": {"2024-10-15": 435},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("Series of the seed data mismatch (-want +got):\n%s", diff)
	}
	// The Summary is for January–July 2024, with 2023 beside it.
	rows, err := f.GetRows("Summary", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if h := rows[4]; h[4] != "2024-01/2024-07" || h[11] != "year 2023" {
		t.Errorf("Summary header = %q, want the period 2024-01/2024-07 and the year 2023", h)
	}
	summary := map[string][2]string{}
	for _, r := range rows[5:] {
		summary[r[2]] = [2]string{r[4], r[11]}
	}
	wantSummary := map[string][2]string{
		"exports": {"9.4", "33.3"}, "imports": {"8.5", "19.8"}, "turnover": {"17.9", "53.1"},
		"balance": {"0.9", "13.5"}, "fdi_in_gross": {"", "6"},
	}
	if diff := cmp.Diff(wantSummary, summary); diff != "" {
		t.Errorf("Summary mismatch (-want +got):\n%s", diff)
	}
}

func TestDefaultPeriod(t *testing.T) {
	const h = "reporter,partner,indicator,period,value,unit,source\n"
	row := func(ind, p string) string { return "KAZ,ARM," + ind + "," + p + ",1,USD million,BNS\n" }
	cases := []struct{ name, fixture, csv, want string }{
		{name: "seed falls back to january to july", fixture: "seed.csv", want: "2024-01/2024-07"},
		{name: "latest quarter, published or from months", fixture: "quarter.csv", want: "2024-Q3"},
		{name: "months of a later quarter than the published one",
			csv: h + row("exports", "2024-Q1") + row("exports", "2024-04") + row("exports", "2024-05") + row("exports", "2024-06"), want: "2024-Q2"},
		{name: "an incomplete quarter of months is passed over",
			csv: h + row("exports", "2024-Q1") + row("exports", "2024-04") + row("imports", "2024-05") + row("exports", "2024-06"), want: "2024-Q1"},
		{name: "stocks and spans of years are not reporting periods",
			csv: h + row("exports", "2023") + row("fdi_in_gross", "2005/2024") + "KAZ,ARM,registered_entities,2024-10-15,435,count,K\n", want: "2023"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ds *stats.Dataset
			var err error
			if tc.fixture != "" {
				ds, err = stats.LoadFile(filepath.Join("testdata", tc.fixture), stats.LoadOptions{})
			} else {
				ds, err = stats.Load(strings.NewReader(tc.csv), "t.csv", stats.LoadOptions{})
			}
			if err != nil {
				t.Fatal(err)
			}
			got, ok := reports.DefaultPeriod(ds)
			if !ok || got.String() != tc.want {
				t.Errorf("DefaultPeriod = %s, %v; want %s", got, ok, tc.want)
			}
		})
	}
}

func TestFormulaInjection(t *testing.T) {
	texts := []string{"=1+1", `=HYPERLINK("http://example.com","x")`, "+1", "-5 withdrawn", "@SUM(A1)", "\tleading tab", "\rcarriage return"}
	var in bytes.Buffer
	cw := csv.NewWriter(&in)
	cw.Write([]string{"reporter", "partner", "indicator", "period", "value", "unit", "source", "note"})
	for i, s := range texts {
		cw.Write([]string{"KAZ", "ARM", "exports", strconv.Itoa(2000 + i), "1", "USD million", s, s})
	}
	cw.Flush()
	ds, err := stats.Load(&in, "inject.csv", stats.LoadOptions{})
	if err != nil || len(ds.Obs) != len(texts) {
		t.Fatalf("load: %v, %d rows", err, len(ds.Obs))
	}
	f := open(t, write(t, &reports.Workbook{Data: ds, AsOf: asOf, TmpDir: t.TempDir()}))
	for i, want := range texts {
		for _, col := range []string{"J", "K"} { // source and note
			ref := col + strconv.Itoa(i+2)
			formula, err := f.GetCellFormula("Data", ref)
			if err != nil || formula != "" {
				t.Errorf("Data!%s has formula %q (%v), want none", ref, formula, err)
			}
			got, _ := f.GetCellValue("Data", ref)
			if got != want {
				t.Errorf("Data!%s = %q, want %q", ref, got, want)
			}
			typ, _ := f.GetCellType("Data", ref)
			if cellType(typ) != "text" {
				t.Errorf("Data!%s is %s, want text", ref, cellType(typ))
			}
		}
	}
}

func TestDataContinuesOnNextSheet(t *testing.T) {
	restore := reports.SetMaxDataRows(20)
	defer restore()
	w := workbookOf(t, "quarter.csv", "2024-Q3")
	f := open(t, write(t, w))
	want := []string{"Summary", "Series", "Data", "Data (2)", "Data (3)", "Checks", "Charts", "About"}
	if diff := cmp.Diff(want, f.GetSheetList()); diff != "" {
		t.Fatalf("sheets mismatch (-want +got):\n%s", diff)
	}
	total := 0
	for _, sh := range want[2:5] {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		if rows[0][1] != "line" {
			t.Errorf("%s has no header: %q", sh, rows[0])
		}
		total += len(rows) - 1
	}
	if total != len(w.Data.Obs) {
		t.Errorf("Data sheets hold %d rows, want %d", total, len(w.Data.Obs))
	}
	// The turnover findings are on line 49, observation 47 counting from
	// 0 (no row before it was rejected): Data (3), row 47 − 40 + 2 = 9;
	// and on line 38, observation 36: Data (2), row 36 − 20 + 2 = 18.
	rows, _ := f.GetRows("Checks")
	links := map[string]string{":49:": `HYPERLINK("#'Data (3)'!A9",`, ":38:": `HYPERLINK("#'Data (2)'!A18",`}
	found := 0
	for r, row := range rows {
		if len(row) > 1 && row[1] == "turnover" {
			link, _ := f.GetCellFormula("Checks", "I"+strconv.Itoa(r+1))
			for line, want := range links {
				if strings.Contains(link, line) {
					found++
					if !strings.HasPrefix(link, want) {
						t.Errorf("turnover finding links with %q, want %s …)", link, want)
					}
				}
			}
		}
	}
	if found != len(links) {
		t.Errorf("%d of the %d turnover findings on the Checks sheet", found, len(links))
	}
}

func TestChartCaches(t *testing.T) {
	b := write(t, workbookOf(t, "seed.csv", ""))
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	charts := 0
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/charts/chart") {
			continue
		}
		charts++
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		var x bytes.Buffer
		x.ReadFrom(rc)
		rc.Close()
		s := x.String()
		if strings.Contains(s, "<numCache><formatCode></formatCode></numCache>") {
			t.Errorf("%s has an empty number cache", zf.Name)
		}
		if refs, caches := strings.Count(s, "<f>"), strings.Count(s, "Cache>")/2; refs != caches {
			t.Errorf("%s has %d references but %d caches", zf.Name, refs, caches)
		}
	}
	if charts != 3 {
		t.Errorf("%d charts, want 3 (trade, turnover and balance, FDI)", charts)
	}
}

func TestWriteFileKeepsOldOnFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.xlsx")
	if err := os.WriteFile(path, []byte("earlier workbook"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := reports.WriteFile(path, &reports.Workbook{Data: &stats.Dataset{}, AsOf: asOf})
	if !errors.Is(err, reports.ErrNoData) {
		t.Fatalf("WriteFile error = %v, want ErrNoData", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "earlier workbook" {
		t.Errorf("the earlier file was changed: %q", b)
	}
	if err := reports.WriteFile(path, workbookOf(t, "seed.csv", "")); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the directory holds %d files, want only the workbook (no temporary files left)", len(entries))
	}
	open(t, must(os.ReadFile(path)))
}

func must[T any](x T, err error) T {
	if err != nil {
		panic(err)
	}
	return x
}

func TestFileName(t *testing.T) {
	cases := []struct{ period, want string }{
		{"2024-Q3", "report-2024-Q3.xlsx"},
		{"2024-01/2024-07", "report-2024-01--2024-07.xlsx"},
		{"2023", "report-2023.xlsx"},
	}
	for _, tc := range cases {
		t.Run(tc.period, func(t *testing.T) {
			p, _ := stats.ParsePeriod(tc.period)
			if got := reports.FileName(p); got != tc.want {
				t.Errorf("FileName(%s) = %q, want %q", tc.period, got, tc.want)
			}
		})
	}
}

func TestInputsIntact(t *testing.T) {
	w := workbookOf(t, "quarter.csv", "2024-Q3")
	before := fmt.Sprint(w.Data.Obs, w.Findings)
	write(t, w)
	if after := fmt.Sprint(w.Data.Obs, w.Findings); after != before {
		t.Error("writing the workbook changed the dataset or the findings")
	}
}

func TestImages(t *testing.T) {
	w := workbookOf(t, "seed.csv", "")
	w.Images = true
	first := write(t, w)
	if again := write(t, w); !bytes.Equal(first, again) {
		t.Fatal("a workbook with images is not the same twice")
	}
	f := open(t, first)
	cells, err := f.GetPictureCells("Charts")
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) == 0 {
		t.Fatal("no pictures on the Charts sheet")
	}
	pics, err := f.GetPictures("Charts", cells[0])
	if err != nil || len(pics) != 1 || pics[0].Extension != ".png" || pics[0].Format.AltText == "" {
		t.Errorf("picture at %s: %+v, %v; want one PNG with alt text", cells[0], pics, err)
	}
}

func TestSeriesKeepsLatestPeriodsOfAWideSeries(t *testing.T) {
	ds := &stats.Dataset{}
	const days = 16500
	for i := range days {
		p := stats.NewPeriod(stats.Day, 10000+i)
		ds.Obs = append(ds.Obs, stats.Observation{Reporter: "KAZ", Partner: "ARM", Indicator: "registered_entities",
			Period: p, Value: stats.NewValue(float64(i), 0), Unit: "count", Source: "K", Pos: stats.Pos{File: "d.csv", Line: i + 2}})
	}
	// A figure of the year for the Summary, of another pair: a stock by
	// day makes none.
	ds.Obs = append(ds.Obs, stats.Observation{Reporter: "KAZ", Partner: "CHN", Indicator: "exports",
		Period: stats.YearOf(2010), Value: stats.NewValue(1, 0), Unit: "USD million", Source: "K", Pos: stats.Pos{File: "d.csv", Line: days + 2}})
	w := &reports.Workbook{Data: ds, Period: stats.YearOf(2010), AsOf: asOf, TmpDir: t.TempDir()}
	f := open(t, write(t, w))
	rows, err := f.GetRows("Series")
	if err != nil {
		t.Fatal(err)
	}
	header := rows[3]
	last := stats.NewPeriod(stats.Day, 10000+days-1).String()
	if header[0] != "KAZ–ARM (latest periods)" || header[len(header)-1] != last || len(header) != excelize.MaxColumns {
		t.Errorf("header %q … %q (%d columns), want the pair marked, ending with %s, %d columns",
			header[0], header[len(header)-1], len(header), last, excelize.MaxColumns)
	}
}

// TestAboutCountsEveryRejectedRow checks that the About sheet counts every
// row the loader left out, past the problems it keeps (10,000, the rest
// counted in one last problem), and a row with two problems once.
func TestAboutCountsEveryRejectedRow(t *testing.T) {
	for _, tc := range []struct {
		bad            int
		problems, want string
	}{
		{12345, "10001", "12345"},
		{1, "2", "1"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
			for m := 1; m <= 12; m++ {
				fmt.Fprintf(&b, "KAZ,ARM,exports,2023-%02d,1.5,USD million,BNS\n", m)
			}
			for range tc.bad {
				// An unknown partner, and no source.
				b.WriteString("KAZ,ZZZ,exports,2023-12,1.0,USD million,\n")
			}
			ds, err := stats.Load(strings.NewReader(b.String()), "rejected.csv", stats.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if strconv.Itoa(len(ds.Problems)) != tc.problems {
				t.Fatalf("%d problems kept, want %s", len(ds.Problems), tc.problems)
			}
			about := aboutOf(t, ds)
			if about["rows read"] != strconv.Itoa(12+tc.bad) || about["observations"] != "12" || about["rows rejected"] != tc.want {
				t.Errorf("About: rows read %q, observations %q, rows rejected %q; want %d, 12, %s", about["rows read"], about["observations"], about["rows rejected"], 12+tc.bad, tc.want)
			}
		})
	}
}

// aboutOf returns the About sheet of the workbook of ds, label by label.
func aboutOf(t *testing.T, ds *stats.Dataset) map[string]string {
	t.Helper()
	var buf bytes.Buffer
	w := &reports.Workbook{Data: ds, Findings: stats.Check(ds, checkConfig()), AsOf: time.Date(2024, 10, 15, 0, 0, 0, 0, time.UTC)}
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("About")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows {
		if len(r) > 1 {
			got[r[0]] = r[1]
		}
	}
	return got
}

// TestImagesOfNothing asks for the house-style images of data by month
// and quarter, of which the built-in charts draw nothing: the caller is
// told, and the Charts sheet says so where a title would head nothing.
func TestImagesOfNothing(t *testing.T) {
	ds, err := stats.Load(strings.NewReader("reporter,partner,indicator,period,value,unit,source\n"+
		"KAZ,ARM,exports,2024-07,1.1,USD million,S\nKAZ,ARM,exports,2024-Q3,5.5,USD million,S\n"), "m.csv", stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var warned []string
	w := &reports.Workbook{Data: ds, AsOf: asOf, TmpDir: t.TempDir(), Images: true, Warn: func(s string) { warned = append(warned, s) }}
	f := open(t, write(t, w))
	const want = "no house-style chart to embed: the built-in charts draw years and the latest year to date, which the charted pairs do not have"
	if len(warned) != 1 || warned[0] != want {
		t.Errorf("warned %q, want %q", warned, want)
	}
	rows, err := f.GetRows("Charts")
	if err != nil {
		t.Fatal(err)
	}
	last := rows[len(rows)-1]
	if len(last) == 0 || last[0] != "No house-style chart to embed: the built-in charts draw years and the latest year to date, which the charted pairs do not have." {
		t.Errorf("the Charts sheet ends %q, want it to say no image is embedded", last)
	}
	if cells, _ := f.GetPictureCells("Charts"); len(cells) != 0 {
		t.Errorf("pictures at %v, want none", cells)
	}
}

// chartPart is what a chart part says of its series: the title, and for
// each series the references of its name, categories and values with the
// caches written after them.
type chartPart struct {
	Title  string `xml:"chart>title>tx>rich>p>r>t"`
	Series []struct {
		Name   string   `xml:"tx>strRef>f"`
		Cats   string   `xml:"cat>strRef>f"`
		Labels []string `xml:"cat>strRef>strCache>pt>v"`
		Vals   string   `xml:"val>numRef>f"`
		Nums   []struct {
			Idx int    `xml:"idx,attr"`
			V   string `xml:"v"`
		} `xml:"val>numRef>numCache>pt"`
	} `xml:"chart>plotArea>barChart>ser"`
}

// chartParts reads the chart parts of a workbook, in the order of their
// names.
func chartParts(t *testing.T, b []byte) []chartPart {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out []chartPart
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/charts/chart") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		var c chartPart
		err = xml.NewDecoder(rc).Decode(&c)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", zf.Name, err)
		}
		out = append(out, c)
	}
	return out
}

// refCells returns the cells of a chart's reference, a range or a union
// of ranges in parentheses, all on the Series sheet.
func refCells(t *testing.T, ref string) []string {
	t.Helper()
	var cells []string
	for _, area := range strings.Split(strings.Trim(ref, "()"), ",") {
		sheet, rng, ok := strings.Cut(area, "!")
		if !ok || sheet != "'Series'" {
			t.Fatalf("reference %q: area %q is not on the Series sheet", ref, area)
		}
		first, last, _ := strings.Cut(strings.ReplaceAll(rng, "$", ""), ":")
		if last == "" {
			last = first
		}
		c1, r1, err := excelize.CellNameToCoordinates(first)
		if err != nil {
			t.Fatal(err)
		}
		c2, r2, err := excelize.CellNameToCoordinates(last)
		if err != nil {
			t.Fatal(err)
		}
		for r := r1; r <= r2; r++ {
			for c := c1; c <= c2; c++ {
				name, _ := excelize.CoordinatesToCellName(c, r)
				cells = append(cells, name)
			}
		}
	}
	return cells
}

// months returns the labels of the months of the intervals given.
func months(t *testing.T, intervals ...string) []string {
	t.Helper()
	var out []string
	for _, s := range intervals {
		p, err := stats.ParsePeriod(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range p.Units() {
			out = append(out, q.String())
		}
	}
	return out
}

func TestChartPeriods(t *testing.T) {
	cases := []struct {
		name, fixture, period string
		// want are the categories of each chart, by title.
		want map[string][]string
	}{
		{name: "years", fixture: "seed.csv", want: map[string][]string{
			"KAZ–ARM: exports and imports, USD million":                      {"2023", "2024-01/2024-07"},
			"KAZ–ARM: turnover and balance, USD million":                     {"2023", "2024-01/2024-07"},
			"KAZ–ARM: foreign direct investment, gross inflows, USD million": {"2022", "2023"},
		}},
		// Months, quarters of them and a quarter published: a quarterly
		// workbook charts quarters, years (by year to date) beside none.
		{name: "quarter", fixture: "quarter.csv", period: "2024-Q3", want: map[string][]string{
			"KAZ–ARM: exports and imports, USD million":                      {"2023-Q3", "2024-Q2", "2024-Q3"},
			"KAZ–ARM: turnover and balance, USD million":                     {"2023-Q3", "2024-Q2", "2024-Q3"},
			"KAZ–ARM: foreign direct investment, gross inflows, USD million": {"2022", "2023"},
			"KAZ–RUS: exports and imports, USD million":                      {"2023-Q3", "2024-Q3"},
			"KAZ–RUS: turnover and balance, USD million":                     {"2023-Q3", "2024-Q3"},
			"ARM–KAZ: imports, USD million":                                  {"2024-01"}, // imports alone
		}},
		{name: "month", fixture: "quarter.csv", period: "2024-07", want: map[string][]string{
			"KAZ–ARM: exports and imports, USD million":                      months(t, "2023-01/2023-09", "2024-01/2024-10"),
			"KAZ–ARM: turnover and balance, USD million":                     months(t, "2023-01/2023-09", "2024-01/2024-09"),
			"KAZ–ARM: foreign direct investment, gross inflows, USD million": {"2022", "2023"},
			"KAZ–RUS: exports and imports, USD million":                      {"2023-Q3", "2024-Q3"},
			"KAZ–RUS: turnover and balance, USD million":                     {"2023-Q3", "2024-Q3"},
			"ARM–KAZ: imports, USD million":                                  {"2024-01"}, // imports alone
		}},
		{name: "year to date", fixture: "quarter.csv", period: "2024-01/2024-07", want: map[string][]string{
			"KAZ–ARM: exports and imports, USD million":                      {"2023-01/2023-07", "2024-01/2024-07"},
			"KAZ–ARM: turnover and balance, USD million":                     {"2023-01/2023-07", "2024-01/2024-07"},
			"KAZ–ARM: foreign direct investment, gross inflows, USD million": {"2022", "2023"},
			"KAZ–RUS: exports and imports, USD million":                      {"2023-Q3", "2024-Q3"},
			"KAZ–RUS: turnover and balance, USD million":                     {"2023-Q3", "2024-Q3"},
			"ARM–KAZ: imports, USD million":                                  {"2024-01"}, // imports alone
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := chartCategories(t, write(t, workbookOf(t, tc.fixture, tc.period)))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("chart categories mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// chartCategories returns the categories of each chart of a workbook by
// its title, and checks that every series has them and that its
// references point at the Series cells whose headers and figures the
// caches hold.
func chartCategories(t *testing.T, b []byte) map[string][]string {
	t.Helper()
	f := open(t, b)
	got := map[string][]string{}
	for _, c := range chartParts(t, b) {
		for _, s := range c.Series {
			if _, ok := got[c.Title]; !ok {
				got[c.Title] = s.Labels
			}
			if !slices.Equal(got[c.Title], s.Labels) {
				t.Errorf("%s: series have categories %q and %q", c.Title, got[c.Title], s.Labels)
			}
			for _, ref := range []string{s.Name, s.Cats, s.Vals} {
				if len(ref) > 255 {
					t.Errorf("%s: reference of %d characters, more than Excel's 255: %s", c.Title, len(ref), ref)
				}
			}
			var headers []string
			for _, cell := range refCells(t, s.Cats) {
				v, _ := f.GetCellValue("Series", cell)
				headers = append(headers, v)
			}
			if diff := cmp.Diff(s.Labels, headers); diff != "" {
				t.Errorf("%s: cached categories and the cells of %s mismatch (-cache +cells):\n%s", c.Title, s.Cats, diff)
			}
			cells := refCells(t, s.Vals)
			if len(cells) != len(s.Labels) {
				t.Errorf("%s: %d values for %d categories (%s)", c.Title, len(cells), len(s.Labels), s.Vals)
				continue
			}
			for _, pt := range s.Nums {
				v, _ := f.GetCellValue("Series", cells[pt.Idx], excelize.Options{RawCellValue: true})
				x, _ := strconv.ParseFloat(v, 64)
				y, _ := strconv.ParseFloat(pt.V, 64)
				if x != y || v == "" {
					t.Errorf("%s: Series!%s = %q, cached %s", c.Title, cells[pt.Idx], v, pt.V)
				}
			}
		}
	}
	return got
}

// TestChartOfManyYearsKeepsTheLatest checks that a chart of years apart on
// the Series (a month published between each two) keeps the latest years
// that its references name in 255 characters.
func TestChartOfManyYearsKeepsTheLatest(t *testing.T) {
	ds := &stats.Dataset{}
	for y := 1990; y <= 2024; y++ {
		for _, p := range []stats.Period{stats.YearOf(y), stats.MonthOf(y, 1)} {
			ds.Obs = append(ds.Obs, stats.Observation{Reporter: "KAZ", Partner: "ARM", Indicator: "exports",
				Period: p, Value: stats.NewValue(float64(y-1989), 0), Unit: "USD million", Source: "K", Pos: stats.Pos{File: "d.csv", Line: len(ds.Obs) + 2}})
		}
	}
	w := &reports.Workbook{Data: ds, Period: stats.YearOf(2024), AsOf: asOf, TmpDir: t.TempDir()}
	got := chartCategories(t, write(t, w))["KAZ–ARM: exports, USD million"]
	var want []string
	for y := 2024 - len(got) + 1; y <= 2024; y++ {
		want = append(want, strconv.Itoa(y))
	}
	if diff := cmp.Diff(want, got); diff != "" || len(got) < 10 {
		t.Errorf("categories of %d years mismatch (-want +got):\n%s", len(got), diff)
	}
}

// TestAboutListsTheRulesFile checks that the About sheet cites the rules
// file the checks ran, with its hash when given, and lists its rules
// under the built-in ones.
func TestAboutListsTheRulesFile(t *testing.T) {
	claim := reports.Rule{ID: "turnover-2023", Description: "In 2023 turnover was $53.1M", Severity: stats.Error}
	loose := reports.Rule{ID: "fdi-doubled", Description: "FDI doubled", Severity: stats.Warning, Tolerance: stats.Tolerance{Kind: stats.Relative, Amount: 0.05}}
	sum := strings.Repeat("ab", 32)
	cases := []struct {
		name      string
		rulesFile *reports.RulesFile
		want      [][]string
	}{
		{name: "none"},
		{name: "hashed", rulesFile: &reports.RulesFile{Input: reports.Input{Name: "data/rules.yaml", Size: 1234, SHA256: sum}, Rules: []reports.Rule{claim, loose}},
			want: [][]string{
				{"rules file", "SHA-256", "bytes"},
				{"data/rules.yaml", sum, "1234"},
				{"rule", "severity", "tolerance", "description"},
				{"turnover-2023", "error", "rounding", "In 2023 turnover was $53.1M"},
				{"fdi-doubled", "warning", "5%", "FDI doubled"},
			}},
		{name: "not hashed, settings alone", rulesFile: &reports.RulesFile{Input: reports.Input{Name: "rules.yaml"}},
			want: [][]string{
				{"rules file", "SHA-256", "bytes"},
				{"rules.yaml", "not given"},
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := workbookOf(t, "seed.csv", "")
			w.RulesFile = tc.rulesFile
			rows, err := open(t, write(t, w)).GetRows("About")
			if err != nil {
				t.Fatal(err)
			}
			var got [][]string
			for i, r := range rows {
				if len(r) > 0 && r[0] == "rules file" {
					got = rows[i:]
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("About from its rules file mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSeriesOfAYearShowsTheYearOnce checks that the Series of a year's
// workbook has no column of its months beside the year, whose figures
// would be the year's again.
func TestSeriesOfAYearShowsTheYearOnce(t *testing.T) {
	cases := []struct {
		name, fixture, period string
		want                  map[string]map[string]float64
	}{
		{name: "year", fixture: "seed.csv", period: "2023", want: map[string]map[string]float64{
			"exports":      {"2023": 33.3, "2024-01/2024-07": 9.4},
			"fdi_in_gross": {"2005/2024": 20.6, "2022": 3, "2023": 6},
		}},
		{name: "year to date", fixture: "seed.csv", period: "2024-01/2024-07", want: map[string]map[string]float64{
			"exports":      {"2023": 33.3, "2024-01/2024-07": 9.4},
			"fdi_in_gross": {"2005/2024": 20.6, "2022": 3, "2023": 6},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := seriesValues(t, open(t, write(t, workbookOf(t, tc.fixture, tc.period))), "KAZ–ARM")
			for ind := range got {
				if tc.want[ind] == nil {
					delete(got, ind)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Series mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAboutGivesTheMirrorSettings checks that the About sheet gives the
// mirror rule's factor and threshold the check used: its defaults where
// the rules file set none, where an unset factor read 0.
func TestAboutGivesTheMirrorSettings(t *testing.T) {
	for _, tc := range []struct {
		cfg  *stats.Config
		want string
	}{
		{nil, "1.06, 25%"},
		{&stats.Config{MirrorThreshold: 0.1}, "1.06, 10%"},
		{&stats.Config{MirrorFactor: 1.1, MirrorThreshold: 0.3}, "1.1, 30%"},
	} {
		w := workbookOf(t, "seed.csv", "")
		w.Config = tc.cfg
		rows, err := open(t, write(t, w)).GetRows("About")
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, r := range rows {
			if len(r) > 1 && r[0] == "mirror factor and threshold" {
				got = r[1]
			}
		}
		if got != tc.want {
			t.Errorf("About with %+v: mirror factor and threshold %q, want %q", tc.cfg, got, tc.want)
		}
	}
}

// rowUnits reads the unit of every row of a sheet whose first columns are
// reporter, partner, indicator and unit (the Summary), or of every row of
// every block of the Series, as "KAZ–CHN exports" → unit.
func rowUnits(t *testing.T, f *excelize.File, sheet string) map[string]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	if sheet == "Summary" {
		for _, r := range rows[5:] {
			if len(r) > 3 {
				out[r[0]+"–"+r[1]+" "+r[2]] = r[3]
			}
		}
		return out
	}
	pair := ""
	for _, r := range rows[3:] {
		switch {
		case len(r) == 0:
			pair = ""
		case pair == "" && len(r) > 1 && r[1] == "unit":
			pair = r[0]
		case pair != "" && len(r) > 1:
			out[pair+" "+r[0]] = r[1]
		}
	}
	return out
}

// TestSummaryUnitsAreTheSeries checks that every row of the Summary is in
// the unit of its row on the Series, the largest scale of all the row's
// figures and not of the Summary's alone: KAZ–KGZ has exports of 2020 in
// USD million and the rest in USD thousand.
func TestSummaryUnitsAreTheSeries(t *testing.T) {
	cases := []struct {
		name, fixture, period string
		// want are some of the Summary's units, by pair and indicator.
		want map[string]string
	}{
		{name: "seed", fixture: "seed.csv"},
		{name: "quarter", fixture: "quarter.csv", period: "2024-Q3"},
		{name: "units", fixture: "units.csv", period: "2024-Q3", want: map[string]string{
			"KAZ–KGZ exports": "USD million", "KAZ–KGZ imports": "USD million",
			"KAZ–KGZ turnover": "USD million", "KAZ–KGZ balance": "USD million",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := open(t, write(t, workbookOf(t, tc.fixture, tc.period)))
			summary, series := rowUnits(t, f, "Summary"), rowUnits(t, f, "Series")
			if len(summary) == 0 {
				t.Fatal("no Summary rows")
			}
			for row, u := range summary {
				if series[row] != u {
					t.Errorf("%s: Summary in %q, Series in %q", row, u, series[row])
				}
			}
			for row, u := range tc.want {
				if summary[row] != u {
					t.Errorf("%s: Summary in %q, want %q", row, summary[row], u)
				}
			}
		})
	}
}

// TestChartUnits checks that a chart draws the indicators of one unit,
// the one its title names and their rows on the Series are in: KAZ–DEU
// has exports in EUR million and imports in USD million, which get a
// chart each.
func TestChartUnits(t *testing.T) {
	b := write(t, workbookOf(t, "units.csv", "2024-Q3"))
	f := open(t, b)
	got := map[string][]string{}
	for _, c := range chartParts(t, b) {
		got[c.Title] = []string{}
		for _, s := range c.Series {
			name := refCells(t, s.Name)[0]
			ind, _ := f.GetCellValue("Series", name)
			unit, _ := f.GetCellValue("Series", strings.Replace(name, "A", "B", 1))
			if !strings.HasSuffix(c.Title, ", "+unit) {
				t.Errorf("%s: draws %s, in %s", c.Title, ind, unit)
			}
			got[c.Title] = append(got[c.Title], ind)
		}
	}
	want := map[string][]string{
		"KAZ–CHN: exports and imports, USD million":  {"exports", "imports"},
		"KAZ–CHN: turnover and balance, USD million": {"turnover", "balance"},
		"KAZ–DEU: exports, EUR million":              {"exports"},
		"KAZ–DEU: imports, USD million":              {"imports"},
		"KAZ–KGZ: exports and imports, USD million":  {"exports", "imports"},
		"KAZ–KGZ: turnover and balance, USD million": {"turnover", "balance"},
		"KAZ–TUR: exports and imports, USD million":  {"exports", "imports"},
		"KAZ–TUR: turnover and balance, USD million": {"turnover", "balance"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("charts' series mismatch (-want +got):\n%s", diff)
	}
	note, _ := f.GetCellValue("Charts", "A2")
	if !strings.Contains(note, "charts of their own, a chart a currency") {
		t.Errorf("Charts!A2 = %q, want it to say why a pair's indicators are on charts apart", note)
	}
}

// TestEachPeriodOnce checks that the Summary and the Series show the
// figure of each span of days once, whatever periods of the workbook are
// the same days written another way: the last full year of a fourth
// quarter or a December is the year to date a year before, and that of
// January to December the period a year before; the Summary's column of
// the one shown already stays empty.
func TestEachPeriodOnce(t *testing.T) {
	cases := []struct {
		period string
		// summary is the Summary's header of the columns of figures
		// (the period, a year before, the year to date and a year
		// before, the last full year) that have one.
		summary []string
	}{
		{"2024", []string{"2024", "2023"}},
		{"2024-01/2024-12", []string{"2024-01/2024-12", "2023-01/2023-12"}},
		{"2024-Q4", []string{"2024-Q4", "2023-Q4", "year to date 2024-01/2024-12", "year to date 2023-01/2023-12"}},
		{"2024-12", []string{"2024-12", "2023-12", "year to date 2024-01/2024-12", "year to date 2023-01/2023-12"}},
		{"2024-Q3", []string{"2024-Q3", "2023-Q3", "year to date 2024-01/2024-09", "year to date 2023-01/2023-09", "year 2023"}},
	}
	for _, tc := range cases {
		t.Run(tc.period, func(t *testing.T) {
			t.Parallel()
			f := open(t, write(t, workbookOf(t, "monthly.csv", tc.period)))
			rows, err := f.GetRows("Summary")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range []int{5, 6, 9, 10, 12} { // E, F, I, J, L
				if c-1 < len(rows[5]) && rows[5][c-1] != "" {
					got = append(got, rows[4][c-1])
				}
			}
			if diff := cmp.Diff(tc.summary, got); diff != "" {
				t.Errorf("Summary columns with figures mismatch (-want +got):\n%s", diff)
			}
			// A table's headers are unique, or pandas renames them.
			seen := map[string]bool{}
			for _, h := range rows[4] {
				if seen[h] {
					t.Errorf("Summary header %q twice in %q", h, rows[4])
				}
				seen[h] = true
			}
			days := map[stats.Period]string{}
			for col := range seriesValues(t, f, "KAZ–ARM")["exports"] {
				p, err := stats.ParsePeriod(col)
				if err != nil {
					t.Fatalf("Series column %q: %v", col, err)
				}
				if other, ok := days[p.Days()]; ok {
					t.Errorf("Series shows the days of %s twice, as %s and %s", p, other, col)
				}
				days[p.Days()] = col
			}
		})
	}
}

// TestSeriesOfTwoSpellings checks that the Series shows in one column the
// figures of days the data write two ways (2024-Q1/2024-Q3 for exports,
// 2024-01/2024-09 for imports), named as the Summary names them, with the
// turnover's formula over that column, where each spelling had a column
// of its own, half empty.
func TestSeriesOfTwoSpellings(t *testing.T) {
	t.Parallel()
	f := open(t, write(t, workbookOf(t, "two_spellings.csv", "2024-01/2024-09")))
	got := seriesValues(t, f, "KAZ–ARM")
	want := map[string]map[string]float64{
		"exports":  {"2023-01/2023-09": 25, "2024-01/2024-09": 30},
		"imports":  {"2023-01/2023-09": 18, "2024-01/2024-09": 20},
		"turnover": {"2023-01/2023-09": 43, "2024-01/2024-09": 50},
		"balance":  {"2023-01/2023-09": 7, "2024-01/2024-09": 10},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Series mismatch (-want +got):\n%s", diff)
	}
	rows, err := f.GetRows("Series")
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		if len(row) > 0 && row[0] == "turnover" {
			formula, err := f.GetCellFormula("Series", fmt.Sprintf("D%d", r+1))
			if err != nil || formula != fmt.Sprintf("D%d+D%d", r-1, r) {
				t.Errorf("turnover 2024-01/2024-09: formula %q (%v), want the exports and imports above it", formula, err)
			}
		}
	}
}

// TestColumnsAscend checks that every worksheet lists its column widths
// in ascending order of columns, without overlaps: Office reads <col>
// elements out of order as damage and offers to repair the workbook.
func TestColumnsAscend(t *testing.T) {
	w := workbookOf(t, "quarter.csv", "2024-Q3")
	for _, tc := range []struct {
		name string
		book io.WriterTo
	}{
		{"workbook", w},
		{"data only", &reports.DataWorkbook{Rows: rowsOf(w.Data.Obs), Version: "v1.0.0-test", AsOf: asOf, TmpDir: t.TempDir()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := write(t, tc.book)
			zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatal(err)
			}
			sheets := 0
			for _, zf := range zr.File {
				if !strings.HasPrefix(zf.Name, "xl/worksheets/sheet") {
					continue
				}
				sheets++
				rc, err := zf.Open()
				if err != nil {
					t.Fatal(err)
				}
				var ws struct {
					Cols []struct {
						Min int `xml:"min,attr"`
						Max int `xml:"max,attr"`
					} `xml:"cols>col"`
				}
				err = xml.NewDecoder(rc).Decode(&ws)
				rc.Close()
				if err != nil {
					t.Fatalf("%s: %v", zf.Name, err)
				}
				last := 0
				for _, c := range ws.Cols {
					if c.Min <= last || c.Max < c.Min {
						t.Errorf("%s: <col min=%d max=%d> after a column up to %d; want columns in ascending order", zf.Name, c.Min, c.Max, last)
						break
					}
					last = c.Max
				}
			}
			if sheets == 0 {
				t.Fatal("no worksheet in the workbook")
			}
		})
	}
}

// TestSummaryFlagsMissingFigures checks that a figure published as
// missing (a row without a value, status M) is flagged on the Summary,
// which otherwise shows an empty cell alike for a figure not in the data;
// a missing row beside a value of another source is not.
func TestSummaryFlagsMissingFigures(t *testing.T) {
	f := open(t, write(t, workbookOf(t, "missing.csv", "2024-Q3")))
	rows, err := f.GetRows("Summary")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, row := range rows[5:] {
		if len(row) < 3 {
			continue
		}
		flags := ""
		if len(row) >= 13 {
			flags = row[12]
		}
		got[row[0]+"–"+row[1]+" "+row[2]] = flags
	}
	want := map[string]string{
		"KAZ–ARM exports":  "2024-Q3 missing",
		"KAZ–ARM imports":  "",
		"KAZ–ARM turnover": "2023-Q3 derived: exports + imports",
		"KAZ–ARM balance":  "2023-Q3 derived: exports − imports",
		"KAZ–RUS exports":  "",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Summary flags mismatch (-want +got):\n%s", diff)
	}
}

// TestSeriesSaysWhyTurnoverIsNotComputed checks that the turnover and
// balance rows of a pair whose exports and imports are in two currencies
// say why they are empty: KAZ–DEU has exports in EUR million and imports
// in USD million.
func TestSeriesSaysWhyTurnoverIsNotComputed(t *testing.T) {
	f := open(t, write(t, workbookOf(t, "units.csv", "2024-Q3")))
	rows, err := f.GetRows("Series")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	pair := ""
	for _, row := range rows {
		switch {
		case len(row) > 1 && row[1] == "unit":
			pair = row[0]
		case len(row) > 0 && pair != "":
			got[pair+" "+row[0]] = row[len(row)-1]
		}
	}
	const why = "not computed: exports in EUR million, imports in USD million"
	for _, row := range []string{"KAZ–DEU turnover", "KAZ–DEU balance"} {
		if got[row] != why {
			t.Errorf("%s ends in %q, want %q", row, got[row], why)
		}
	}
	// Rows with figures in one currency, if not every period's, need no
	// such note.
	for _, row := range []string{"KAZ–CHN turnover", "KAZ–TUR turnover", "KAZ–TUR balance"} {
		if strings.HasPrefix(got[row], "not computed") {
			t.Errorf("%s ends in %q, want figures", row, got[row])
		}
	}
}

// TestChartsOfTheLargestPairs checks that the Charts sheet draws the pairs
// with the largest flows of the period, the largest first, where it drew
// the first pairs of the Series (Armstat's Aruba and Afghanistan): FRA's
// 200000 USD thousand is larger than CHN's 100 USD million, and a pair
// without figures of the period comes after those with some.
func TestChartsOfTheLargestPairs(t *testing.T) {
	ds := &stats.Dataset{}
	add := func(partner string, p stats.Period, v float64, unit string) {
		for _, ind := range []string{"exports", "imports"} {
			ds.Obs = append(ds.Obs, stats.Observation{Reporter: "KAZ", Partner: partner, Indicator: ind, Period: p,
				Value: stats.NewValue(v, 0), Unit: unit, Source: "S", Pos: stats.Pos{File: "d.csv", Line: len(ds.Obs) + 2}})
		}
	}
	y := stats.YearOf(2024)
	add("ARM", y, 10, "USD million")
	add("AUT", y, 50, "USD million")
	add("AZE", stats.YearOf(2023), 900, "USD million") // none of 2024
	add("BEL", y, 5, "USD million")
	add("CHN", y, 100, "USD million")
	add("DEU", y, 30, "USD million")
	add("FRA", y, 200000, "USD thousand")
	w := &reports.Workbook{Data: ds, Period: y, AsOf: asOf, TmpDir: t.TempDir(), MaxCharts: 3}
	var got []string
	for _, c := range chartParts(t, write(t, w)) {
		if strings.Contains(c.Title, "exports and imports") {
			got = append(got, c.Title)
		}
	}
	want := []string{
		"KAZ–FRA: exports and imports, USD thousand",
		"KAZ–CHN: exports and imports, USD million",
		"KAZ–AUT: exports and imports, USD million",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("charts of trade mismatch (-want +got):\n%s", diff)
	}
}
