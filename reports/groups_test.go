package reports_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tradedesk/report/reports"
	"github.com/tradedesk/report/stats"
)

// grouped returns w made from its rows read once and its pairs groupRows
// rows at a time (see Workbook.Rows), from the same data; asked counts the
// pairs Group is asked for.
func grouped(t *testing.T, w *reports.Workbook, groupRows int, asked *[]stats.Pair) *reports.Workbook {
	t.Helper()
	ds := w.Data
	g := *w
	g.Data = &stats.Dataset{Files: ds.Files, Rows: ds.Rows}
	g.Rows = func(yield func(stats.Observation, error) bool) {
		for _, o := range ds.Obs {
			if !yield(o, nil) {
				return
			}
		}
	}
	g.GroupRows = groupRows
	g.Group = func(pairs []stats.Pair) (*stats.Dataset, error) {
		*asked = append(*asked, pairs...)
		out := &stats.Dataset{Files: ds.Files}
		for _, o := range ds.Obs {
			if slices.Contains(pairs, stats.Pair{Reporter: o.Reporter, Partner: o.Partner}) {
				out.Obs = append(out.Obs, o)
			}
		}
		return out, nil
	}
	return &g
}

// manyPairs is data of 40 pairs over three years, in months, quarters and
// years, with rows rejected, figures missing, provisional and estimated
// ones and turnovers that do not add up, and FDI.
func manyPairs(t *testing.T) *stats.Dataset {
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source,note\n")
	partners := []string{"ARM", "KGZ", "UZB", "TJK", "RUS", "CHN", "DEU", "TUR"}
	for y := 2022; y <= 2024; y++ {
		for m := 1; m <= 12; m++ {
			for i, r := range []string{"KAZ", "KGZ", "ARM", "UZB", "TJK"} {
				for j, p := range partners {
					if r == p || (i+j+m)%11 == 0 {
						continue
					}
					note := []string{"", "provisional", "estimated"}[(i+j+m+y)%3]
					fmt.Fprintf(&b, "%s,%s,exports,%d-%02d,%d.%d,USD million,Source %d,%s\n", r, p, y, m, i+j+m, m%10, i, note)
					if (i+m)%7 != 0 {
						fmt.Fprintf(&b, "%s,%s,imports,%d-%02d,%d.25,USD million,Source %d,\n", r, p, y, m, j+m, j%3)
					}
					if m%3 == 0 && j%2 == 0 {
						fmt.Fprintf(&b, "%s,%s,turnover,%d-Q%d,%d.5,USD million,Source %d,\n", r, p, y, m/3, 3*(i+j+m), i)
					}
					if m == 5 && (i+j)%5 == 0 {
						fmt.Fprintf(&b, "%s,%s,exports,%d-13,1,USD million,Source 1,\n", r, p, y) // rejected
						fmt.Fprintf(&b, "%s,%s,imports,%d-%02d,,USD million,Source 1,\n", r, p, y, m+1)
					}
				}
			}
		}
		fmt.Fprintf(&b, "KAZ,ARM,fdi_in_gross,%d,%d.5,USD million,NBK,\n", y, y-2000)
	}
	ds, err := stats.Load(strings.NewReader(b.String()), "pairs.csv", stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Problems) == 0 || len(ds.Pairs()) < 30 {
		t.Fatalf("%d problems, %d pairs", len(ds.Problems), len(ds.Pairs()))
	}
	return ds
}

// TestGroupedWorkbook checks that a workbook made a group of pairs at a
// time, its rows read once and the rows of each group again, is the bytes
// of the workbook of the same data held whole: with groups of one pair, of
// a few and of all; with the default period and a named one, images, and
// Data sheets that continue on others.
func TestGroupedWorkbook(t *testing.T) {
	restore := reports.SetMaxDataRows(1000)
	defer restore()
	many := manyPairs(t)
	cfg := checkConfig()
	cases := []struct {
		name string
		w    *reports.Workbook
	}{
		{"seed", workbookOf(t, "seed.csv", "")},
		{"quarter", workbookOf(t, "quarter.csv", "2024-Q3")},
		{"units", workbookOf(t, "units.csv", "2024-Q3")},
		{"many pairs", &reports.Workbook{Data: many, Findings: stats.Check(many, cfg), Config: cfg, AsOf: asOf, TmpDir: t.TempDir()}},
		{"many pairs, a year", &reports.Workbook{Data: many, Findings: stats.Check(many, cfg), Config: cfg, AsOf: asOf, TmpDir: t.TempDir(), Period: stats.YearOf(2023), MaxCharts: 3}},
	}
	for _, tc := range cases {
		whole := write(t, tc.w)
		pairs := tc.w.Data.Pairs()
		for _, groupRows := range []int{1, 100, 700, 0} {
			var asked []stats.Pair
			g := grouped(t, tc.w, groupRows, &asked)
			got := write(t, g)
			if !bytes.Equal(got, whole) {
				t.Errorf("%s, groups of %d rows: the workbook is not that of the data held whole", tc.name, groupRows)
			}
			if !slices.Equal(asked, pairs) {
				t.Errorf("%s, groups of %d rows: asked for the pairs %v, want each once in order", tc.name, groupRows, asked)
			}
		}
	}
	// Images of the charted pairs, from the groups they come in.
	w := &reports.Workbook{Data: many, Findings: stats.Check(many, cfg), Config: cfg, AsOf: asOf, TmpDir: t.TempDir(), MaxCharts: 2, Images: true}
	var asked []stats.Pair
	if !bytes.Equal(write(t, grouped(t, w, 100, &asked)), write(t, w)) {
		t.Error("with images: the workbook is not that of the data held whole")
	}
}

// TestGroupedWorkbookErrors checks that the errors of the rows and of the
// groups stop the writing, and that rows that yield nothing, or no period,
// are told.
func TestGroupedWorkbookErrors(t *testing.T) {
	ds := manyPairs(t)
	var asked []stats.Pair
	w := grouped(t, &reports.Workbook{Data: ds, AsOf: asOf, TmpDir: t.TempDir()}, 100, &asked)
	broken := errors.New("broken")
	rows := w.Rows
	w.Rows = func(yield func(stats.Observation, error) bool) {
		n := 0
		for o, err := range rows {
			if n++; n == 50 {
				yield(stats.Observation{}, broken)
				return
			}
			if !yield(o, err) {
				return
			}
		}
	}
	if _, err := w.WriteTo(&bytes.Buffer{}); !errors.Is(err, broken) {
		t.Errorf("an error of the rows: %v", err)
	}
	w = grouped(t, &reports.Workbook{Data: ds, AsOf: asOf, TmpDir: t.TempDir()}, 100, &asked)
	group := w.Group
	calls := 0
	w.Group = func(pairs []stats.Pair) (*stats.Dataset, error) {
		if calls++; calls == 3 {
			return nil, broken
		}
		return group(pairs)
	}
	if _, err := w.WriteTo(&bytes.Buffer{}); !errors.Is(err, broken) {
		t.Errorf("an error of a group: %v", err)
	}
	w = grouped(t, &reports.Workbook{Data: ds, AsOf: asOf, TmpDir: t.TempDir()}, 100, &asked)
	w.Group = func(pairs []stats.Pair) (*stats.Dataset, error) { return &stats.Dataset{}, nil }
	if _, err := w.WriteTo(&bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "the rows of") {
		t.Errorf("a group without its rows: %v", err)
	}
	w = grouped(t, &reports.Workbook{Data: ds, AsOf: asOf, TmpDir: t.TempDir()}, 100, &asked)
	w.Group = nil
	if _, err := w.WriteTo(&bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "needs their Group") {
		t.Errorf("rows without their groups: %v", err)
	}
	w = grouped(t, &reports.Workbook{Data: &stats.Dataset{}, AsOf: asOf, TmpDir: t.TempDir()}, 100, &asked)
	if _, err := w.WriteTo(&bytes.Buffer{}); !errors.Is(err, reports.ErrNoData) {
		t.Errorf("no rows: %v", err)
	}
	fdi, err := stats.Load(strings.NewReader("reporter,partner,indicator,period,value,unit,source\nKAZ,ARM,fdi_in_gross,2005/2024,1,USD million,NBK\n"), "fdi.csv", stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w = grouped(t, &reports.Workbook{Data: fdi, AsOf: asOf, TmpDir: t.TempDir()}, 100, &asked)
	if _, err := w.WriteTo(&bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "no period") {
		t.Errorf("no period: %v", err)
	}
}

// TestPairGroups checks how pairs are split into groups: consecutive pairs
// up to the most rows, a pair with more alone, the default when most is 0.
func TestPairGroups(t *testing.T) {
	a, b, c, d := stats.Pair{Reporter: "A"}, stats.Pair{Reporter: "B"}, stats.Pair{Reporter: "C"}, stats.Pair{Reporter: "D"}
	pairs := []stats.Pair{a, b, c, d}
	rows := map[stats.Pair]int{a: 3, b: 1, c: 5, d: 2}
	type group struct {
		pairs []stats.Pair
		rows  int
	}
	for _, tc := range []struct {
		most int
		want []group
	}{
		{4, []group{{[]stats.Pair{a, b}, 4}, {[]stats.Pair{c}, 5}, {[]stats.Pair{d}, 2}}},
		{1, []group{{[]stats.Pair{a}, 3}, {[]stats.Pair{b}, 1}, {[]stats.Pair{c}, 5}, {[]stats.Pair{d}, 2}}},
		{0, []group{{pairs, 11}}},
	} {
		var got []group
		for g, n := range reports.PairGroups(pairs, rows, tc.most) {
			got = append(got, group{g, n})
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("most %d: %v, want %v", tc.most, got, tc.want)
		}
	}
}
