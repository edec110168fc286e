package stats_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/tradedesk/report/stats"
)

const ruleHeader = "reporter,partner,indicator,period,value,unit,source\n"

// load reads rows written as "reporter partner indicator period value
// [unit [source]]" separated by spaces; unit defaults to USD million, source to BNS.
func loadRows(t *testing.T, rows ...string) *stats.Dataset {
	t.Helper()
	var b strings.Builder
	b.WriteString(ruleHeader)
	for _, r := range rows {
		parts := strings.Split(r, "|")
		f := append(strings.Fields(parts[0]), parts[1:]...)
		for len(f) < 7 {
			switch len(f) {
			case 5:
				f = append(f, "USD million")
			case 6:
				f = append(f, "BNS")
			default:
				t.Fatalf("bad test row %q", r)
			}
		}
		b.WriteString(strings.Join(f, ",") + "\n")
	}
	ds, err := stats.Load(strings.NewReader(b.String()), "t.csv", stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Problems) > 0 {
		t.Fatalf("test rows have problems: %v", ds.Problems)
	}
	return ds
}

// result is the part of a finding a test pins.
type result struct {
	Rule     string
	Severity stats.Severity
	Line     int
	Lines    []int
	Expected float64
	Actual   float64
	Tol      float64
}

func results(fs []stats.Finding) []result {
	var out []result
	for _, f := range fs {
		r := result{Rule: f.Rule, Severity: f.Severity, Line: f.Pos().Line, Expected: f.Expected, Actual: f.Actual, Tol: f.Tolerance}
		for _, p := range f.Rows[1:] {
			r.Lines = append(r.Lines, p.Line)
		}
		out = append(out, r)
	}
	return out
}

func months(year int, vals ...string) []string {
	var out []string
	for i, v := range vals {
		out = append(out, fmt.Sprintf("KAZ ARM exports %d-%02d %s", year, i+1, v))
	}
	return out
}

var twelve = []string{"1.1", "2.2", "3.3", "4.4", "5.5", "6.6", "7.7", "8.8", "9.9", "10.1", "11.2", "12.3"} // sum 83.1

// twelveTens are twelve months of 10.0.
var twelveTens = []string{"10.0", "10.0", "10.0", "10.0", "10.0", "10.0", "10.0", "10.0", "10.0", "10.0", "10.0", "10.0"}

func TestRules(t *testing.T) {
	tests := []struct {
		name string
		rows []string
		cfg  *stats.Config
		want []result
	}{
		{name: "turnover holds", rows: []string{
			"KAZ ARM exports 2023 33.3", "KAZ ARM imports 2023 19.8", "KAZ ARM turnover 2023 53.1",
		}},
		{name: "turnover holds at the edge of rounding", rows: []string{
			"KAZ ARM exports 2023 33.3", "KAZ ARM imports 2023 19.8", "KAZ ARM turnover 2023 53.2",
		}},
		{name: "turnover fails", rows: []string{
			"KAZ ARM exports 2023 33.3", "KAZ ARM imports 2023 19.8", "KAZ ARM turnover 2023 53.4",
		}, want: []result{{"turnover", stats.Error, 4, []int{2, 3}, 53.1, 53.4, 0.15}}},
		{name: "turnover in thousands against exports in millions", rows: []string{
			"KAZ ARM exports 2023 33.3", "KAZ ARM imports 2023 19.8", "KAZ ARM turnover 2023 53100|USD thousand",
		}},
		{name: "turnover with an absolute tolerance", rows: []string{
			"KAZ ARM exports 2023 33.3", "KAZ ARM imports 2023 19.8", "KAZ ARM turnover 2023 53.4",
		}, cfg: &stats.Config{Rules: map[string]stats.RuleConfig{"turnover": {Tolerance: stats.Tolerance{Kind: stats.Absolute, Amount: 0.5}}}}},
		{name: "turnover switched off", rows: []string{
			"KAZ ARM exports 2023 33.3", "KAZ ARM imports 2023 19.8", "KAZ ARM turnover 2023 60",
		}, cfg: &stats.Config{Rules: map[string]stats.RuleConfig{"turnover": {Disabled: true}}}},
		{name: "turnover re-graded", rows: []string{
			"KAZ ARM exports 2023 33.3", "KAZ ARM imports 2023 19.8", "KAZ ARM turnover 2023 60.0",
		}, cfg: &stats.Config{Rules: map[string]stats.RuleConfig{"turnover": {Severity: stats.Warning}}},
			want: []result{{"turnover", stats.Warning, 4, []int{2, 3}, 53.1, 60, 0.15}}},
		{name: "turnover less than exports alone", rows: []string{
			"KAZ ARM exports 2023 60.0", "KAZ ARM turnover 2023 53.1",
		}, want: []result{{"turnover", stats.Error, 3, []int{2}, 60, 53.1, 0.1}}},
		{name: "turnover not less than exports alone", rows: []string{
			"KAZ ARM exports 2023 30.0", "KAZ ARM turnover 2023 53.1",
		}},
		{name: "a month's turnover less than its exports, imports of another month", rows: []string{
			"KAZ ARM exports 2023-01 10.0", "KAZ ARM imports 2023-02 1.0", "KAZ ARM turnover 2023-01 5.0", "KAZ ARM exports 2023-02 1.0", "KAZ ARM turnover 2023-02 2.0",
		}, want: []result{{"turnover", stats.Error, 4, []int{2}, 10, 5, 0.1}}},
		{name: "turnover of a quarter against exports by month", rows: []string{
			"KAZ ARM exports 2024-07 1.5", "KAZ ARM exports 2024-08 1.5", "KAZ ARM exports 2024-09 1.5",
			"KAZ ARM imports 2024-Q3 2.5", "KAZ ARM turnover 2024-Q3 99.5",
		}, want: []result{{"turnover", stats.Error, 6, []int{2, 3, 4, 5}, 7, 99.5, 0.25}}},
		{name: "turnover of a quarter holds with exports by month", rows: []string{
			"KAZ ARM exports 2024-07 1.5", "KAZ ARM exports 2024-08 1.5", "KAZ ARM exports 2024-09 1.5",
			"KAZ ARM imports 2024-Q3 2.5", "KAZ ARM turnover 2024-Q3 7.0",
		}},
		{name: "turnover of a year against exports by half-year", rows: []string{
			"KAZ ARM exports 2024-01/2024-06 6.0", "KAZ ARM exports 2024-07/2024-12 1.0", "KAZ ARM imports 2024 2.0", "KAZ ARM turnover 2024 50.0",
		}, want: []result{{"turnover", stats.Error, 5, []int{2, 3, 4}, 9, 50, 0.2}}},
		{name: "turnover of a year holds with exports by half-year", rows: []string{
			"KAZ ARM exports 2024-01/2024-06 6.0", "KAZ ARM exports 2024-07/2024-12 1.0", "KAZ ARM imports 2024 2.0", "KAZ ARM turnover 2024 9.0",
		}},
		{name: "balance of January–July against exports by year to date and month", rows: []string{
			"KAZ ARM exports 2024-01/2024-06 6.0", "KAZ ARM exports 2024-07 1.0", "KAZ ARM imports 2024-01/2024-07 2.0", "KAZ ARM balance 2024-01/2024-07 -5.0",
		}, want: []result{{"balance", stats.Error, 5, []int{2, 3, 4}, 5, -5, 0.2}}},
		{name: "balance of a quarter against imports by month", rows: []string{
			"KAZ ARM imports 2024-07 1.5", "KAZ ARM imports 2024-08 1.5", "KAZ ARM imports 2024-09 1.5",
			"KAZ ARM exports 2024-Q3 2.5", "KAZ ARM balance 2024-Q3 -50.0",
		}, want: []result{{"balance", stats.Error, 6, []int{5, 2, 3, 4}, -2, -50, 0.25}}},
		{name: "balance against a term of the same days written another way", rows: []string{
			"KAZ ARM balance 2024 50.0", "KAZ ARM exports 2024-01/2024-12 10.0", "KAZ ARM imports 2024 10.0",
		}, want: []result{{"balance", stats.Error, 2, []int{3, 4}, 0, 50, 0.15}}},
		{name: "balance of exports alone is not bounded", rows: []string{
			"KAZ ARM exports 2023 60.0", "KAZ ARM balance 2023 -53.1",
		}},
		{name: "balance holds", rows: []string{
			"KAZ ARM exports 2023 35.0", "KAZ ARM imports 2023 68.7", "KAZ ARM balance 2023 -33.7",
		}},
		{name: "balance fails", rows: []string{
			"KAZ ARM exports 2023 35.0", "KAZ ARM imports 2023 68.7", "KAZ ARM balance 2023 33.7",
		}, want: []result{{"balance", stats.Error, 4, []int{2, 3}, -33.7, 33.7, 0.15}}},
		{name: "twelve months 0.3 off the year hold", rows: append(months(2023, twelve...), "KAZ ARM exports 2023 83.4")},
		{name: "twelve months 1.0 off the year fail", rows: append(months(2023, twelve...), "KAZ ARM exports 2023 84.1"),
			want: []result{{"additivity", stats.Error, 14, []int{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, 83.1, 84.1, 0.65}}},
		{name: "months add up to a quarter", rows: append(months(2023, "1.1", "2.2", "3.3"), "KAZ ARM exports 2023-Q1 6.6")},
		{name: "months do not add up to a quarter", rows: append(months(2023, "1.1", "2.2", "3.3"), "KAZ ARM exports 2023-Q1 7.6"),
			want: []result{{"additivity", stats.Error, 5, []int{2, 3, 4}, 6.6, 7.6, 0.2}}},
		{name: "months add up to January–July", rows: append(months(2024, "1.0", "1.0", "1.0", "1.0", "1.0", "1.0", "1.0"), "KAZ ARM exports 2024-01/2024-07 7.0")},
		{name: "January–July not more than the year", rows: []string{
			"KAZ ARM exports 2024-01/2024-07 9.4", "KAZ ARM exports 2024 20.0",
		}},
		{name: "January–July more than the year", rows: []string{
			"KAZ ARM exports 2024-01/2024-07 9.4", "KAZ ARM exports 2024 9.0",
		}, want: []result{{"additivity", stats.Error, 3, []int{2}, 9.0, 9.4, 0.1}}},
		{name: "2005/2024 not less than the years inside", rows: []string{
			"KAZ ARM fdi_in_gross 2022 3", "KAZ ARM fdi_in_gross 2023 6", "KAZ ARM exports 2005/2024 20.6",
		}},
		{name: "2005/2024 less than the years inside", rows: []string{
			"KAZ ARM exports 2022 3", "KAZ ARM exports 2023 6", "KAZ ARM exports 2005/2024 7",
		}, want: []result{{"additivity", stats.Error, 4, []int{2, 3}, 7, 9, 1.5}}},
		{name: "partial bound picks the heaviest disjoint parts", rows: []string{
			"KAZ ARM exports 2024-01/2024-07 5.0", "KAZ ARM exports 2024-Q3 4.0", "KAZ ARM exports 2024-08 3.0", "KAZ ARM exports 2024 7.5",
		}, want: []result{{"additivity", stats.Error, 5, []int{2, 4}, 7.5, 8, 0.15}}},
		{name: "January–July more than the year its quarters add up to", rows: []string{
			"KAZ ARM exports 2023-Q1 10.0", "KAZ ARM exports 2023-Q2 10.0", "KAZ ARM exports 2023-Q3 10.0", "KAZ ARM exports 2023-Q4 10.0",
			"KAZ ARM exports 2023 40.0", "KAZ ARM exports 2023-01/2023-07 50.0",
		}, want: []result{{"additivity", stats.Error, 6, []int{7, 5}, 40, 60, 0.15}}},
		{name: "quarters do not add up to January–September", rows: []string{
			"KAZ ARM exports 2024-Q1 1.0", "KAZ ARM exports 2024-Q2 1.0", "KAZ ARM exports 2024-Q3 1.0", "KAZ ARM exports 2024-01/2024-09 5.0",
		}, want: []result{{"additivity", stats.Error, 5, []int{2, 3, 4}, 3, 5, 0.2}}},
		{name: "quarters add up to January–September", rows: []string{
			"KAZ ARM exports 2024-Q1 1.0", "KAZ ARM exports 2024-Q2 1.0", "KAZ ARM exports 2024-Q3 1.0", "KAZ ARM exports 2024-01/2024-09 3.0",
		}},
		{name: "a quarter and its months written as an interval differ", rows: []string{
			"KAZ ARM exports 2024-Q1 3.0", "KAZ ARM exports 2024-01/2024-03 5.0",
		}, want: []result{{"additivity", stats.Error, 3, []int{2}, 3, 5, 0.1}}},
		{name: "a quarter and its days written as an interval agree", rows: []string{
			"KAZ ARM exports 2024-Q1 3.0", "KAZ ARM exports 2024-01-01/2024-03-31 3.0",
		}},
		{name: "two intervals of the same days differ", rows: []string{
			"KAZ ARM balance 2024-Q1/2024-Q3 -5.0", "KAZ ARM balance 2024-01/2024-09 5.0", "KAZ ARM balance 2024-01-01/2024-09-30 -5.0",
		}, want: []result{{"additivity", stats.Error, 3, []int{2}, -5, 5, 0.1}}},
		{name: "a wrong year to date is told once, not against its year", rows: append(append(months(2024, twelveTens...),
			"KAZ ARM exports 2024 120.0"), "KAZ ARM exports 2024-01/2024-07 90.0"),
			want: []result{{"additivity", stats.Error, 15, []int{2, 3, 4, 5, 6, 7, 8}, 70, 90, 0.4}}},
		{name: "a wrong year is told, not the interval of its days", rows: append(append(months(2024, twelveTens...),
			"KAZ ARM exports 2024 100.0"), "KAZ ARM exports 2024-01/2024-12 120.0"),
			want: []result{{"additivity", stats.Error, 14, []int{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, 120, 100, 0.65}}},
		{name: "months do not add up to their days", rows: append(months(2024, "1.0", "1.0", "1.0"), "KAZ ARM exports 2024-01-01/2024-03-31 5.0"),
			want: []result{{"additivity", stats.Error, 5, []int{2, 3, 4}, 3, 5, 0.2}}},
		{name: "years add up to their interval", rows: []string{
			"KAZ ARM exports 2022 3", "KAZ ARM exports 2023 6", "KAZ ARM exports 2022/2023 10",
		}},
		{name: "half-years add up to their year", rows: []string{
			"KAZ ARM imports 2024-01/2024-06 6.0", "KAZ ARM imports 2024-07/2024-12 1.0", "KAZ ARM imports 2024 7.1",
		}},
		{name: "half-years do not add up to their year", rows: []string{
			"KAZ ARM imports 2024-01/2024-06 6.0", "KAZ ARM imports 2024-07/2024-12 1.0", "KAZ ARM imports 2024 20.0",
		}, want: []result{{"additivity", stats.Error, 4, []int{2, 3}, 7, 20, 0.15}}},
		{name: "a year to date and the next month do not add up to the next year to date", rows: []string{
			"KAZ ARM exports 2024-01/2024-06 6.0", "KAZ ARM exports 2024-07 1.0", "KAZ ARM exports 2024-01/2024-07 20.0",
		}, want: []result{{"additivity", stats.Error, 4, []int{2, 3}, 7, 20, 0.15}}},
		{name: "quarters and a month do not add up to January–July", rows: []string{
			"KAZ ARM exports 2024-Q1 3.0", "KAZ ARM exports 2024-Q2 3.0", "KAZ ARM exports 2024-07 1.0", "KAZ ARM exports 2024-01/2024-07 20.0",
		}, want: []result{{"additivity", stats.Error, 5, []int{2, 3, 4}, 7, 20, 0.2}}},
		{name: "an interval and the years after it do not add up to the longer interval", rows: []string{
			"KAZ ARM fdi_in_gross 2005/2022 10.0", "KAZ ARM fdi_in_gross 2023 6.0", "KAZ ARM fdi_in_gross 2024 1.0", "KAZ ARM fdi_in_gross 2005/2024 20.6",
		}, want: []result{{"additivity", stats.Error, 5, []int{2, 3, 4}, 17, 20.6, 0.2}}},
		{name: "a wrong half-year is told against its months, not against its year", rows: append(append(months(2024, twelveTens...),
			"KAZ ARM exports 2024-01/2024-06 60.0", "KAZ ARM exports 2024-07/2024-12 70.0"), "KAZ ARM exports 2024 120.0"),
			want: []result{{"additivity", stats.Error, 15, []int{8, 9, 10, 11, 12, 13}, 60, 70, 0.35}}},
		{name: "a wrong half-year is told before the year it lies in", rows: []string{
			"KAZ ARM exports 2024-Q1 3.0", "KAZ ARM exports 2024-Q2 3.0", "KAZ ARM exports 2024 12.0",
			"KAZ ARM exports 2024-01/2024-06 9.0", "KAZ ARM exports 2024-07/2024-12 6.0",
		}, want: []result{{"additivity", stats.Error, 5, []int{2, 3}, 6, 9, 0.15}}},
		{name: "negative FDI is allowed", rows: []string{"KAZ ARM fdi_in_gross 2023 -5"}},
		{name: "negative exports are not", rows: []string{"KAZ ARM exports 2023 -5"},
			want: []result{{"sign", stats.Error, 2, nil, 0, -5, 0}}},
		{name: "a figure given twice by one source", rows: []string{"KAZ ARM exports 2023 33.3", "KAZ ARM exports 2023 35.0"},
			want: []result{{"unique", stats.Error, 3, []int{2}, 0, 0, 0}}},
		{name: "two sources agree within rounding", rows: []string{"KAZ ARM exports 2023 33.3|USD million|A", "KAZ ARM exports 2023 33300|USD thousand|B"}},
		{name: "two sources disagree", rows: []string{"KAZ ARM exports 2023 33.3|USD million|article", "KAZ ARM exports 2023 34991.4|USD thousand|BNS final"},
			want: []result{{"sources", stats.Warning, 2, []int{3}, 34991.4, 33300, 50.05}}},
		{name: "a series changes currency", rows: []string{"KAZ ARM exports 2022 30|USD million", "KAZ ARM exports 2023 30|EUR million"},
			want: []result{{"units", stats.Error, 3, []int{2}, 0, 0, 0}}},
		{name: "the terms of turnover in another currency", rows: []string{"KAZ ARM exports 2023 30|EUR million", "KAZ ARM imports 2023 20", "KAZ ARM turnover 2023 50"},
			want: []result{{"units", stats.Error, 4, []int{2}, 0, 0, 0}}},
		{name: "the terms of turnover in another scale", rows: []string{"KAZ ARM exports 2023 30000|USD thousand", "KAZ ARM imports 2023 20", "KAZ ARM turnover 2023 50"}},
		{name: "mirror within threshold", rows: []string{"KAZ ARM exports 2023 35.0", "ARM KAZ imports 2023 36.7"}},
		{name: "mirror gap within rounding", rows: []string{"KAZ UZB exports 2023 0.1", "UZB KAZ imports 2023 0.2"}},
		{name: "mirror of no exports against imports", rows: []string{"KAZ ARM exports 2023 0.0", "ARM KAZ imports 2023 140.0"},
			want: []result{{"mirror", stats.Warning, 3, []int{2}, 0, 140, 0}}},
		{name: "mirror of no exports and no imports", rows: []string{"KAZ ARM exports 2023 0.0", "ARM KAZ imports 2023 0.0"}},
		{name: "mirror gap", rows: []string{"ARM KAZ exports 2023 79.8", "KAZ ARM imports 2023 68.7"},
			cfg:  &stats.Config{MirrorThreshold: 0.1},
			want: []result{{"mirror", stats.Warning, 3, []int{2}, 79.8 * 1.06, 68.7, 0.1 * 79.8 * 1.06}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ds := loadRows(t, tc.rows...)
			obs := append([]stats.Observation(nil), ds.Obs...)
			got := results(stats.Check(ds, tc.cfg))
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("Check mismatch (-want +got):\n%s", diff)
			}
			if !cmp.Equal(obs, ds.Obs, cmp.AllowUnexported(stats.Period{})) {
				t.Errorf("Check modified the dataset")
			}
		})
	}
}

func TestFindingText(t *testing.T) {
	ds := loadRows(t, "KAZ ARM exports 2023 33.3", "KAZ ARM imports 2023 19.8", "KAZ ARM turnover 2023 53.4")
	fs := stats.Check(ds, nil)
	if len(fs) != 1 {
		t.Fatalf("got %d findings; want 1", len(fs))
	}
	want := "t.csv:4:23: error: KAZ–ARM turnover 2023 is 53.4, but exports 33.3 + imports 19.8 = 53.1 " +
		"(expected 53.1, actual 53.4, difference 0.3, tolerance 0.15); rows t.csv:2:22 t.csv:3:22 [turnover]"
	if got := fs[0].Text(); got != want {
		t.Errorf("Text() =\n%s\nwant\n%s", got, want)
	}
	if got, err := fs[0].AppendText([]byte("> ")); err != nil || string(got) != "> "+want {
		t.Errorf("AppendText(\"> \") = %q, %v; want %q", got, err, "> "+want)
	}
	if math.Abs(fs[0].Difference-0.3) > 1e-9 {
		t.Errorf("Difference = %v; want 0.3", fs[0].Difference)
	}
}

// TestCoverText checks the messages of figures that cover a period
// without being the single periods of one kind: each part is named with
// its period, and with its value in its own unit when it has another.
func TestCoverText(t *testing.T) {
	tests := []struct {
		name string
		rows []string
		want string
	}{
		{name: "additivity", rows: []string{
			"KAZ ARM imports 2024-01/2024-06 6000|USD thousand", "KAZ ARM imports 2024-07/2024-12 1.0", "KAZ ARM imports 2024 20.0",
		}, want: "t.csv:4:22: error: KAZ–ARM imports 2024 is 20.0, but the periods that cover it add up to 7.000: " +
			"2024-01/2024-06 6000 USD thousand + 2024-07/2024-12 1.0 (expected 7.000, actual 20.000, difference 13.000, tolerance 0.1005); " +
			"rows t.csv:2:33 t.csv:3:33 [additivity]"},
		{name: "turnover", rows: []string{
			"KAZ ARM exports 2024-01/2024-06 6.0", "KAZ ARM exports 2024-07 1.0", "KAZ ARM imports 2024-01/2024-07 2.0", "KAZ ARM turnover 2024-01/2024-07 50.0",
		}, want: "t.csv:5:34: error: KAZ–ARM turnover 2024-01/2024-07 is 50.0, but exports 7.0 (2024-01/2024-06 + 2024-07) + imports 2.0 = 9.0 " +
			"(expected 9.0, actual 50.0, difference 41.0, tolerance 0.20); rows t.csv:2:33 t.csv:3:25 t.csv:4:33 [turnover]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := stats.Check(loadRows(t, tc.rows...), nil)
			if len(fs) != 1 {
				t.Fatalf("got %d findings; want 1", len(fs))
			}
			if got := fs[0].Text(); got != tc.want {
				t.Errorf("Text() =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestRulesListed(t *testing.T) {
	var ids []string
	for _, r := range stats.Rules() {
		ids = append(ids, r.ID)
		if r.Description == "" || (r.Severity != stats.Error && r.Severity != stats.Warning) {
			t.Errorf("rule %s lacks a description or severity", r.ID)
		}
	}
	for _, want := range []string{"input", "unique", "units", "sign", "turnover", "balance", "additivity", "mirror", "sources"} {
		if !strings.Contains(" "+strings.Join(ids, " ")+" ", " "+want+" ") {
			t.Errorf("Rules() lacks %s", want)
		}
	}
}

// TestFindingsInTheirUnit checks that a finding over figures in several
// units of one currency gives its numbers to the decimals they have in
// the finding's unit, and names the unit of a figure written in another.
func TestFindingsInTheirUnit(t *testing.T) {
	ds := loadRows(t,
		"KAZ ARM exports 2023-01 1234|USD thousand", "KAZ ARM exports 2023-02 1111|USD thousand", "KAZ ARM exports 2023-03 1000|USD thousand",
		"KAZ ARM exports 2023-Q1 3.0", "KAZ ARM exports 2023-Q2 1.0", "KAZ ARM exports 2023-04 1450|USD thousand",
		"KAZ BLR exports 2023 1234|USD thousand", "KAZ RUS exports 2023 1111|USD thousand", "KAZ ARM exports 2023 3.0",
		"KAZ KGZ exports 2023 1", "KAZ EAEU exports 2023 9",
		"KAZ UZB exports 2023 33.3|USD million|A", "KAZ UZB exports 2023 33390|USD thousand|B")
	want := map[int][]string{ // by line, what the message says
		5:  {"add up to 3.345 (expected 3.345, actual 3.000, difference -0.345"},
		6:  {"less than 2023-04 1450 USD thousand inside it (expected 1.000, actual 1.450, difference 0.450"},
		10: {"2023-04 1450 USD thousand = 4.795"},
		12: {"add up to 6.345"},
		14: {"expected 33.300, actual 33.390, difference 0.090"},
	}
	got := map[int]bool{}
	for _, f := range stats.Check(ds, &stats.Config{}) {
		ws, ok := want[f.Rows[0].Line]
		if !ok {
			continue
		}
		text := f.Text()
		for _, w := range ws {
			if strings.Contains(text, w) {
				got[f.Rows[0].Line] = true
			}
		}
	}
	for line, ws := range want {
		if !got[line] {
			t.Errorf("no finding at line %d says %q", line, ws)
		}
	}
}
