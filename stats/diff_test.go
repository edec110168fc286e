package stats_test

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tradedesk/report/internal/golden"
	"github.com/tradedesk/report/stats"
)

func loadText(t testing.TB, name, text string) *stats.Dataset {
	t.Helper()
	ds, err := stats.Load(strings.NewReader(text), name, stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Problems) > 0 {
		t.Fatal(ds.Problems)
	}
	return ds
}

func TestDiff(t *testing.T) {
	const head = "reporter,partner,indicator,period,value,unit,source,note\n"
	tests := []struct {
		name     string
		old, new string
		tol      stats.Tolerance
		want     []string
	}{
		{name: "no change", old: "KAZ,ARM,exports,2023,35.0,USD million,A,\n", new: "KAZ,ARM,exports,2023,35.0,USD million,B,\n"},
		{name: "revised", old: "KAZ,ARM,imports,2020,7.8,USD million,A,\n", new: "KAZ,ARM,imports,2020,8.0,USD million,B,\n",
			want: []string{`revised KAZ–ARM imports 2020 from "A", then "B": 7.8 USD million → 8.0 USD million (+0.2)`}},
		{name: "restated within rounding", old: "KAZ,ARM,imports,2020,7829.1,USD thousand,A,\n", new: "KAZ,ARM,imports,2020,7829.06387,USD thousand,B,\n",
			want: []string{`restated KAZ–ARM imports 2020 from "A", then "B": 7829.1 USD thousand → 7829.06387 USD thousand (-0.03613)`}},
		{name: "same figure in another unit", old: "KAZ,ARM,imports,2020,7.8,USD million,A,\n", new: "KAZ,ARM,imports,2020,7800,USD thousand,B,\n",
			want: []string{`restated KAZ–ARM imports 2020 from "A", then "B": 7.8 USD million → 7800 USD thousand (+0.000)`}},
		{name: "another currency", old: "KAZ,ARM,imports,2020,7.8,USD million,A,\n", new: "KAZ,ARM,imports,2020,7.8,EUR million,B,\n",
			want: []string{`revised KAZ–ARM imports 2020 from "A", then "B": 7.8 USD million → 7.8 EUR million`}},
		{name: "added and removed", old: "KAZ,ARM,exports,2022,3,USD million,A,\n", new: "KAZ,ARM,exports,2023,6,USD million,A,\n",
			want: []string{"removed KAZ–ARM exports 2022: 3 USD million", "added KAZ–ARM exports 2023: 6 USD million"}},
		{name: "value now missing", old: "KAZ,ARM,exports,2022,3,USD million,A,\n", new: "KAZ,ARM,exports,2022,,USD million,A,\n",
			want: []string{"revised KAZ–ARM exports 2022: 3 USD million → missing"}},
		{name: "an absolute tolerance", old: "KAZ,ARM,imports,2020,7.8,USD million,A,\n", new: "KAZ,ARM,imports,2020,7.9,USD million,B,\n",
			tol: stats.Tolerance{Kind: stats.Absolute, Amount: 0.2}, want: []string{`restated KAZ–ARM imports 2020 from "A", then "B": 7.8 USD million → 7.9 USD million (+0.1)`}},
		{name: "two sources", old: "KAZ,ARM,exports,2023,33.3,USD million,Bureau,\nKAZ,ARM,exports,2023,35.0,USD million,Customs,\n",
			new: "KAZ,ARM,exports,2023,33.3,USD million,Bureau,\nKAZ,ARM,exports,2023,35.0,USD million,Customs,\n"},
		{name: "two sources, one revised", old: "KAZ,ARM,exports,2023,33.3,USD million,Bureau,\nKAZ,ARM,exports,2023,35.0,USD million,Customs,\n",
			new:  "KAZ,ARM,exports,2023,33.3,USD million,Bureau,\nKAZ,ARM,exports,2023,99.0,USD million,Customs,\n",
			want: []string{`revised KAZ–ARM exports 2023 from "Customs": 35.0 USD million → 99.0 USD million (+64.0)`}},
		{name: "two sources, one renamed", old: "KAZ,ARM,exports,2023,33.3,USD million,Bureau,\nKAZ,ARM,exports,2023,35.0,USD million,Customs,\n",
			new:  "KAZ,ARM,exports,2023,33.3,USD million,Bureau,\nKAZ,ARM,exports,2023,36.0,USD million,Customs (final),\n",
			want: []string{`revised KAZ–ARM exports 2023 from "Customs", then "Customs (final)": 35.0 USD million → 36.0 USD million (+1.0)`}},
		{name: "a source added", old: "KAZ,ARM,exports,2023,33.3,USD million,Bureau,\n",
			new:  "KAZ,ARM,exports,2023,35.0,USD million,Customs,\nKAZ,ARM,exports,2023,33.3,USD million,Bureau,\n",
			want: []string{`added KAZ–ARM exports 2023 from "Customs": 35.0 USD million`}},
		{name: "a source removed", old: "KAZ,ARM,exports,2023,35.0,USD million,Customs,\nKAZ,ARM,exports,2023,33.3,USD million,Bureau,\n",
			new: "KAZ,ARM,exports,2023,33.4,USD million,Bureau (final),\n",
			want: []string{`removed KAZ–ARM exports 2023 from "Bureau": 33.3 USD million`, `added KAZ–ARM exports 2023 from "Bureau (final)": 33.4 USD million`,
				`removed KAZ–ARM exports 2023 from "Customs": 35.0 USD million`}},
		{name: "two sources renamed", old: "KAZ,ARM,exports,2023,33.3,USD million,A,\nKAZ,ARM,exports,2023,35.0,USD million,B,\n",
			new: "KAZ,ARM,exports,2023,33.3,USD million,C,\nKAZ,ARM,exports,2023,35.0,USD million,D,\n",
			want: []string{`removed KAZ–ARM exports 2023 from "A": 33.3 USD million`, `removed KAZ–ARM exports 2023 from "B": 35.0 USD million`,
				`added KAZ–ARM exports 2023 from "C": 33.3 USD million`, `added KAZ–ARM exports 2023 from "D": 35.0 USD million`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Every order of the rows of each release gives the same, and
			// so does DiffInputs.
			for _, oldText := range rowOrders(tc.old) {
				for _, newText := range rowOrders(tc.new) {
					old, cur := loadText(t, "old.csv", head+oldText), loadText(t, "new.csv", head+newText)
					before := append([]stats.Observation(nil), old.Obs...)
					var got []string
					for _, r := range stats.Diff(old, cur, tc.tol) {
						got = append(got, r.String())
					}
					if diff := cmp.Diff(tc.want, got); diff != "" {
						t.Errorf("Diff of\n%s\nand\n%s\nmismatch (-want +got):\n%s", oldText, newText, diff)
					}
					if !cmp.Equal(before, old.Obs, cmp.AllowUnexported(stats.Period{})) {
						t.Errorf("Diff modified its input")
					}
					res, err := stats.DiffInputs([]stats.Input{{Name: "old.csv", R: strings.NewReader(head + oldText)}},
						[]stats.Input{{Name: "new.csv", R: strings.NewReader(head + newText)}}, stats.LoadOptions{}, tc.tol)
					if err != nil {
						t.Fatal(err)
					}
					got = nil
					for _, r := range res.Revisions {
						got = append(got, r.String())
					}
					if diff := cmp.Diff(tc.want, got); diff != "" {
						t.Errorf("DiffInputs of\n%s\nand\n%s\nmismatch (-want +got):\n%s", oldText, newText, diff)
					}
				}
			}
		})
	}
}

// TestDiffDifference checks that a revision's difference is the number its
// figures' digits make, without the binary noise of the subtraction, so
// that report diff --format json writes -0.03613 as the text does, where it
// wrote -0.03613000000041211, and 0 where there is none, not -0.
func TestDiffDifference(t *testing.T) {
	const head = "reporter,partner,indicator,period,value,unit,source,note\n"
	tests := []struct {
		name     string
		old, new string
		want     float64
	}{
		{"revised", "KAZ,ARM,turnover,2020,14235.08412,USD thousand,A,\n", "KAZ,ARM,turnover,2020,14235.04799,USD thousand,A,\n", -0.03613},
		{"restated", "KAZ,KGZ,imports,2020,267582.7,USD thousand,A,\n", "KAZ,KGZ,imports,2020,267582.68458,USD thousand,A,\n", -0.01542},
		{"tenths", "KAZ,ARM,exports,2020,0.1,USD million,A,\n", "KAZ,ARM,exports,2020,0.3,USD million,A,\n", 0.2},
		{"in another scale", "KAZ,ARM,imports,2020,7.8,USD million,A,\n", "KAZ,ARM,imports,2020,7800.4,USD thousand,A,\n", 0.0004},
		// In binary, 170.0 USD thousand less 0.17 USD million is a little below 0.
		{"none, in another scale", "KAZ,ARM,imports,2020,0.17,USD million,A,\n", "KAZ,ARM,imports,2020,170.0,USD thousand,A,\n", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			revs := stats.Diff(loadText(t, "old.csv", head+tc.old), loadText(t, "new.csv", head+tc.new), stats.Tolerance{})
			res, err := stats.DiffInputs([]stats.Input{{Name: "old.csv", R: strings.NewReader(head + tc.old)}},
				[]stats.Input{{Name: "new.csv", R: strings.NewReader(head + tc.new)}}, stats.LoadOptions{}, stats.Tolerance{})
			if err != nil {
				t.Fatal(err)
			}
			for name, revs := range map[string][]stats.Revision{"Diff": revs, "DiffInputs": res.Revisions} {
				if len(revs) != 1 || revs[0].Difference != tc.want || math.Signbit(revs[0].Difference) != math.Signbit(tc.want) {
					t.Errorf("%s: %v, want one revision of difference %v", name, revs, tc.want)
				}
			}
		})
	}
}

// rowOrders returns the rows of text, one a line, in their order and, when
// there are two, the other way round.
func rowOrders(text string) []string {
	rows := strings.SplitAfter(text, "\n")
	if len(rows) == 3 && rows[2] == "" {
		return []string{text, rows[1] + rows[0]}
	}
	return []string{text}
}

func TestRevisionFindings(t *testing.T) {
	const head = "reporter,partner,indicator,period,value,unit,source,note\n"
	old := loadText(t, "old.csv", head+"KAZ,ARM,exports,2022,3.0,USD million,A,\nKAZ,ARM,imports,2022,2.0,USD million,A,\nKAZ,ARM,turnover,2022,5.0,USD million,A,\n")
	cur := loadText(t, "new.csv", head+"KAZ,ARM,exports,2022,3.5,USD million,A,revised with customs data\nKAZ,ARM,imports,2022,2.5,USD million,A,\nKAZ,ARM,turnover,2022,5.04,USD million,A,\n")
	var got []string
	for _, f := range stats.RevisionFindings(stats.Diff(old, cur, stats.Tolerance{})) {
		got = append(got, fmt.Sprintf("%s %s %d", f.Rule, f.Severity, f.Pos().Line))
	}
	// Exports carry a note; turnover is restated within rounding.
	if diff := cmp.Diff([]string{"revision error 3"}, got); diff != "" {
		t.Errorf("RevisionFindings mismatch (-want +got):\n%s", diff)
	}
}

// TestRevisionFindingsNumbers checks the numbers a revision finding
// gives: the old value, the new one in its unit and their difference, and
// none for a figure revised into another currency, where it said
// "expected 5.0, actual 5.0, difference 0.0" of 5.0 USD million revised to
// 7.0 EUR million.
func TestRevisionFindingsNumbers(t *testing.T) {
	const head = "reporter,partner,indicator,period,value,unit,source,note\n"
	tests := []struct {
		name     string
		old, new string
		has      bool // whether the revision has a difference, and the finding numbers
		actual   float64
		diff     float64
	}{
		{"same unit", "KAZ,ARM,exports,2020,5.0,USD million,A,\n", "KAZ,ARM,exports,2020,7.0,USD million,A,\n", true, 7, 2},
		{"another scale", "KAZ,ARM,exports,2020,5.0,USD million,A,\n", "KAZ,ARM,exports,2020,7000,USD thousand,A,\n", true, 7, 2},
		{"another currency", "KAZ,ARM,exports,2020,5.0,USD million,A,\n", "KAZ,ARM,exports,2020,7.0,EUR million,A,\n", false, 0, 0},
		{"missing", "KAZ,ARM,exports,2020,5.0,USD million,A,\n", "KAZ,ARM,exports,2020,,USD million,A,\n", false, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			revs := stats.Diff(loadText(t, "old.csv", head+tc.old), loadText(t, "new.csv", head+tc.new), stats.Tolerance{})
			if len(revs) != 1 {
				t.Fatalf("%d revisions, want 1", len(revs))
			}
			if got := revs[0].HasDifference(); got != tc.has {
				t.Errorf("HasDifference() = %v, want %v", got, tc.has)
			}
			fs := stats.RevisionFindings(revs)
			if len(fs) != 1 {
				t.Fatalf("%d findings, want 1", len(fs))
			}
			f := fs[0]
			if f.Numbers != tc.has || tc.has && (f.Expected != 5 || f.Actual != tc.actual || f.Difference != tc.diff) {
				t.Errorf("finding numbers %v: expected %v, actual %v, difference %v; want %v: 5, %v, %v", f.Numbers, f.Expected, f.Actual, f.Difference, tc.has, tc.actual, tc.diff)
			}
		})
	}
}

// TestDiffKazakhstanReleases compares the first and the second release of
// Kazakhstan's 2020 trade with Armenia and Kyrgyzstan.
func TestDiffKazakhstanReleases(t *testing.T) {
	old, err := stats.LoadFile("testdata/diff/kz_first.csv", stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cur, err := stats.LoadFile("testdata/diff/kz_second.csv", stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, r := range stats.Diff(old, cur, stats.Tolerance{}) {
		fmt.Fprintln(&b, r.String())
	}
	golden.Check(t, "diff/kz.golden", b.Bytes())
}
