package rules_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tradedesk/report/internal/golden"
	"github.com/tradedesk/report/stats"
	"github.com/tradedesk/report/stats/rules"
)

// loadCSV loads a small fixture written in the test.
func loadCSV(t *testing.T, csv string, voc *stats.Vocabulary) *stats.Dataset {
	t.Helper()
	ds, err := stats.Load(strings.NewReader(csv), "data.csv", stats.LoadOptions{Vocabulary: voc})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Problems) > 0 {
		t.Fatalf("fixture has problems: %v", ds.Problems)
	}
	return ds
}

func loadSeed(t *testing.T) *stats.Dataset {
	t.Helper()
	ds, err := stats.LoadFile(filepath.Join("testdata", "seed.csv"), stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

const fdiHeader = "reporter,partner,indicator,period,value,unit,status,source,note\n" +
	"KAZ,ARM,fdi_in_gross,2022,3,USD million,,NBK,\n"

const doubled = `rules:
  - id: fdi-2023-doubled
    description: In 2023 FDI from Armenia was twice as much as in 2022
    where: {reporter: KAZ, partner: ARM}
    assert: fdi_in_gross["2023"] == 2 * fdi_in_gross["2022"]
`

// TestDoubled pins the rounding-aware reading of "twice as much": 2022 is 3
// (2.5 to 3.5), so twice it is 5 to 7, which 6 and 7 (6.5 to 7.5) meet and
// 8 (7.5 to 8.5) does not.
func TestDoubled(t *testing.T) {
	tests := []struct {
		name      string
		fdi2023   string
		tolerance string
		wantFail  bool
	}{
		{name: "6 holds", fdi2023: "6"},
		{name: "7 holds, since 7 may be 6.5 and 3 may be 3.5", fdi2023: "7"},
		{name: "8 fails", fdi2023: "8", wantFail: true},
		{name: "5 holds", fdi2023: "5"},
		{name: "4 fails", fdi2023: "4", wantFail: true},
		{name: "6.0 holds", fdi2023: "6.0"},
		{name: "7.6 fails", fdi2023: "7.6", wantFail: true},
		{name: "absolute tolerance 0.5: 7 fails", fdi2023: "7", tolerance: "0.5", wantFail: true},
		{name: "absolute tolerance 1: 7 holds", fdi2023: "7", tolerance: "1"},
		{name: "relative tolerance 10%: 6.5 holds", fdi2023: "6.5", tolerance: "10%"},
		{name: "relative tolerance 10%: 7 fails", fdi2023: "7", tolerance: "10%", wantFail: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := doubled
			if tc.tolerance != "" {
				src += "    tolerance: " + tc.tolerance + "\n"
			}
			f, err := rules.Parse([]byte(src), "rules.yaml")
			if err != nil {
				t.Fatal(err)
			}
			ds := loadCSV(t, fdiHeader+"KAZ,ARM,fdi_in_gross,2023,"+tc.fdi2023+",USD million,,NBK,\n", nil)
			got := f.Evaluate(ds)
			if (len(got) > 0) != tc.wantFail {
				t.Fatalf("Evaluate with 2023 = %s gave %d findings %v; want failure %v", tc.fdi2023, len(got), got, tc.wantFail)
			}
			if !tc.wantFail {
				return
			}
			fd := got[0]
			want := stats.Finding{Rule: "fdi-2023-doubled", Severity: stats.Error, Series: "KAZ–ARM fdi_in_gross 2023",
				Rows:    []stats.Pos{{File: "data.csv", Line: 3, Column: 27}, {File: "data.csv", Line: 2, Column: 27}, {File: "rules.yaml", Line: 5, Column: 13}},
				Numbers: true, Expected: 6, Actual: fd.Actual, Difference: fd.Actual - 6, Tolerance: fd.Tolerance, Decimals: fd.Decimals}
			if diff := cmp.Diff(want, fd, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Message" }, cmp.Ignore())); diff != "" {
				t.Errorf("finding mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCannotEvaluate pins that a claim whose data is missing is a finding,
// never a silent pass.
func TestCannotEvaluate(t *testing.T) {
	tests := []struct {
		name   string
		assert string
		where  string
	}{
		{name: "year not in the data", assert: `fdi_in_gross["2021"] == 3`},
		{name: "series not in the data", assert: `fdi_out_gross["2023"] == 3`},
		{name: "pair not in the data", assert: `fdi_in_gross["2023"] == 6`, where: "{reporter: KAZ, partner: AZE}"},
		{name: "no pair matches", assert: `fdi_in_gross["2023"] == 6`, where: "{partner: AZE}"},
		{name: "source not in the data", assert: `fdi_in_gross["2023"] == 6`, where: "{source: IMF}"},
		{name: "units differ", assert: `registered_entities["2024-10-15"] > exports["2023"]`},
		{name: "divisor may be zero", assert: `share(fdi_in_gross["2023"], fdi_in_gross["2022"] - 3) > 1`},
		{name: "missing value", assert: `imports["2024"] == 1`},
		{name: "sources disagree", assert: `imports["2023"] == 19.8`},
		{name: "a source disagrees with itself", assert: `fdi_in_gross["2020"] == 1`, where: "{source: NBK}"},
	}
	csv := "reporter,partner,indicator,period,value,unit,status,source,note\n" +
		"KAZ,ARM,fdi_in_gross,2022,3,USD million,,NBK,\n" +
		"KAZ,ARM,fdi_in_gross,2023,6,USD million,,NBK,\n" +
		"KAZ,ARM,exports,2023,33.3,USD million,,BNS,\n" +
		"KAZ,ARM,imports,2024,,USD million,M,BNS,\n" +
		"KAZ,ARM,registered_entities,2024-10-15,435,count,,Kazinform,\n" +
		"KAZ,ARM,imports,2023,19.8,USD million,,BNS,\n" +
		"KAZ,ARM,imports,2023,21400,USD thousand,,Customs,\n" +
		"KAZ,ARM,fdi_in_gross,2020,1,USD million,,NBK,\n" +
		"KAZ,ARM,fdi_in_gross,2020,3,USD million,,NBK,\n"
	var all strings.Builder
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := "rules:\n  - id: claim\n    assert: " + tc.assert + "\n"
			if tc.where != "" {
				src += "    where: " + tc.where + "\n"
			}
			f, err := rules.Parse([]byte(src), "rules.yaml")
			if err != nil {
				t.Fatal(err)
			}
			got := f.Evaluate(loadCSV(t, csv, nil))
			if len(got) != 1 {
				t.Fatalf("Evaluate gave %d findings %v; want 1", len(got), got)
			}
			fd := got[0]
			wantRows := []stats.Pos{{File: "rules.yaml", Line: 3, Column: 13}}
			if fd.Rule != "claim" || fd.Severity != stats.Error || fd.Numbers || !cmp.Equal(wantRows, fd.Rows) {
				t.Errorf("finding %+v; want rule claim, an error without numbers at %v", fd, wantRows)
			}
			all.WriteString(tc.name + ": " + fd.Text() + "\n")
		})
	}
	golden.Check(t, "cannot_evaluate.txt", []byte(all.String()))
}

// TestSourcesOfAFigure pins how a rule reads a figure that several rows
// give, in every order of the rows: sources that agree within rounding are
// one figure, the interval they share; sources that disagree cannot be
// evaluated unless the rule names one (or several, in order of
// preference).
func TestSourcesOfAFigure(t *testing.T) {
	const (
		holds = iota
		fails
		cannot
	)
	tests := []struct {
		name   string
		rows   []string // after KAZ,ARM,fdi_in_gross,
		where  string
		assert string
		want   int
	}{
		{name: "sources that disagree", rows: []string{"2023,6,USD million,,S,", "2023,9,USD million,,T,"}, want: cannot},
		{name: "sources that disagree, one named", rows: []string{"2023,6,USD million,,S,", "2023,9,USD million,,T,"},
			where: "{source: T}", want: fails},
		{name: "sources that disagree, the other named", rows: []string{"2023,6,USD million,,S,", "2023,9,USD million,,T,"},
			where: "{source: S}", want: holds},
		{name: "sources in order of preference", rows: []string{"2023,6,USD million,,S,", "2023,9,USD million,,T,"},
			where: "{source: [T, S]}", want: fails},
		{name: "a preferred source without the figure", rows: []string{"2023,6,USD million,,S,", "2023,9,USD million,,T,"},
			where: "{source: [IMF, S]}", want: holds},
		{name: "sources that agree within rounding", rows: []string{"2023,6,USD million,,S,", "2023,6.2,USD million,,T,"}, want: holds},
		{name: "sources that agree are the interval they share", rows: []string{"2023,6,USD million,,S,", "2023,6.2,USD million,,T,"},
			assert: `fdi_in_gross["2023"] == 6.3`, want: fails},
		{name: "sources that agree in units of one base", rows: []string{"2023,6,USD million,,S,", "2023,6100,USD thousand,,T,"}, want: holds},
		{name: "an empty value beside a source's value", rows: []string{"2023,,USD million,M,S,", "2023,6,USD million,,T,"}, want: holds},
		{name: "a source that gives it twice", rows: []string{"2023,6,USD million,,S,", "2023,9,USD million,,S,", "2023,6,USD million,,T,"},
			want: cannot},
		{name: "three sources, two that agree", rows: []string{"2023,6,USD million,,S,", "2023,6.0,USD million,,T,", "2023,8,USD million,,U,"},
			want: cannot},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert := tc.assert
			if assert == "" {
				assert = `fdi_in_gross["2023"] == 2 * fdi_in_gross["2022"]`
			}
			src := "rules:\n  - id: claim\n    assert: '" + assert + "'\n"
			if tc.where != "" {
				src += "    where: " + tc.where + "\n"
			}
			f, err := rules.Parse([]byte(src), "rules.yaml")
			if err != nil {
				t.Fatal(err)
			}
			rows := append([]string{"2022,3,USD million,,S,", "2022,3,USD million,,T,"}, tc.rows...)
			var first []string
			for _, order := range permutations(len(rows)) {
				csv := "reporter,partner,indicator,period,value,unit,status,source,note\n"
				for _, i := range order {
					csv += "KAZ,ARM,fdi_in_gross," + rows[i] + "\n"
				}
				got := f.Evaluate(loadCSV(t, csv, nil))
				verdict := holds
				if len(got) > 0 {
					verdict = fails
					if !got[0].Numbers {
						verdict = cannot
					}
				}
				if len(got) > 1 || verdict != tc.want {
					t.Fatalf("rows in the order %v: findings %v; want %d findings of kind %d", order, got, min(tc.want, 1), tc.want)
				}
				var msgs []string
				for _, fd := range got {
					msgs = append(msgs, fd.Message)
				}
				if first == nil {
					first = msgs
				} else if diff := cmp.Diff(first, msgs); diff != "" {
					t.Fatalf("rows in the order %v: messages differ from those of the first order (-first +got):\n%s", order, diff)
				}
			}
		})
	}
}

// permutations returns every order of 0 … n−1.
func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for at := range n {
			q := slices.Insert(slices.Clone(p), at, n-1)
			out = append(out, q)
		}
	}
	return out
}

// TestExpressions evaluates asserts on the seed figures.
func TestExpressions(t *testing.T) {
	tests := []struct {
		assert string
		holds  bool
	}{
		{`turnover["2023"] == exports["2023"] + imports["2023"]`, true},
		{`turnover["2023"] == exports["2023"] + imports["2023"] + 0.2`, false},
		{`turnover["2023"] - imports["2023"] == exports["2023"]`, true},
		{`-imports["2023"] == exports["2023"] - turnover["2023"]`, true},
		{`sum(exports["2023"], imports["2023"]) == turnover["2023"]`, true},
		{`sum([exports["2023"], imports["2023"]]) == 53.4`, false},
		{`sum(exports["2023"], imports["2023"], fdi_in_gross["2023"]) > turnover["2023"]`, true},
		{`sum(exports["2023"], imports["2023"], turnover["2023"]) < turnover["2023"]`, false},
		{`share(exports["2023"], turnover["2023"]) > 0.6`, true},
		{`share(exports["2023"], turnover["2023"]) >= 2 / 3`, false},
		{`growth(fdi_in_gross["2023"], fdi_in_gross["2022"]) >= 1`, true},
		{`growth(fdi_in_gross["2023"], fdi_in_gross["2022"]) > 1.7`, false},
		{`fdi_in_gross["2005/2024"] >= fdi_in_gross["2022"] + fdi_in_gross["2023"]`, true},
		{`fdi_in_gross["2005/2024"] < fdi_in_gross["2022"] + fdi_in_gross["2023"]`, false},
		{`fdi_in_gross["2023"] != 2 * fdi_in_gross["2022"]`, false},
		{`fdi_in_gross["2023"] != 9`, true},
		{`abs(imports["2023"] - exports["2023"]) <= 13.5`, true},
		{`exports["2023"] > imports["2023"] && turnover["2023"] <= 53.15`, true},
		{`exports["2023"] < imports["2023"] || !(turnover["2023"] == 53.1)`, false},
		{`registered_entities["2024-10-15"] == 435`, true},
		{`(exports["2023"] + imports["2023"]) * 2 == turnover["2023"] * 2`, true},
	}
	ds := loadSeed(t)
	for _, tc := range tests {
		t.Run(tc.assert, func(t *testing.T) {
			t.Parallel()
			f, err := rules.Parse([]byte("rules:\n  - id: x\n    assert: '"+tc.assert+"'\n"), "rules.yaml")
			if err != nil {
				t.Fatal(err)
			}
			got := f.Evaluate(ds)
			if (len(got) == 0) != tc.holds {
				t.Errorf("%s: findings %v; want holds %v", tc.assert, got, tc.holds)
			}
		})
	}
}

// TestFailureMessages pins the findings of failing rules, messages
// included.
func TestFailureMessages(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "failing.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := rules.Parse(src, "failing.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, fd := range f.Check(loadSeed(t)) {
		b.WriteString(fd.Text() + "\n")
	}
	golden.Check(t, "failing.txt", []byte(b.String()))
}

// TestParseErrors pins the kind and place of problems in rules files.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		file       string
		wantErr    error
		line, col  int
		wantErrors int
	}{
		{"bad_yaml", rules.ErrSyntax, 4, 0, 1},
		{"unknown_series", rules.ErrUnknownSeries, 3, 13, 1},
		{"syntax", rules.ErrExpression, 3, 39, 1},
		{"unknown_builtin", rules.ErrUnknownRule, 3, 3, 1},
		{"unknown_key", rules.ErrUnknownKey, 3, 5, 1},
		{"bad_period", rules.ErrExpression, 3, 26, 1},
		{"not_bool", rules.ErrExpression, 3, 13, 1},
		{"duplicate_id", rules.ErrDuplicateID, 4, 9, 1},
		{"builtin_id", rules.ErrDuplicateID, 2, 9, 1},
		{"bad_severity", rules.ErrBadValue, 3, 15, 1},
		{"block", rules.ErrExpression, 5, 9, 1},
		{"bad_code", rules.ErrBadValue, 3, 23, 1},
		{"bare_series", rules.ErrExpression, 3, 41, 1},
		{"unquoted_period", rules.ErrExpression, 3, 26, 1},
		// expr's operators and operands that are no figures.
		{"power", rules.ErrExpression, 3, 34, 1},
		{"modulo", rules.ErrExpression, 3, 34, 1},
		{"nil_operand", rules.ErrExpression, 3, 36, 1},
		{"text_operand", rules.ErrExpression, 3, 37, 1},
		{"list_operand", rules.ErrExpression, 3, 37, 1},
		{"comparison_operand", rules.ErrExpression, 3, 35, 1},
		{"folded", rules.ErrUnknownSeries, 5, 7, 1},
		{"plain_multiline", rules.ErrUnknownSeries, 4, 7, 1},
		{"quoted", rules.ErrUnknownSeries, 3, 42, 1},
		{"bad_group", rules.ErrBadValue, 2, 11, 1},
		{"bad_member", rules.ErrBadValue, 3, 43, 1},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			name := filepath.Join("testdata", "parse", tc.file+".yaml")
			f, err := rules.ParseFile(name)
			if err == nil {
				t.Fatalf("ParseFile(%s) = %v, nil; want an error", name, f)
			}
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("ParseFile(%s) error %v; want it to wrap %v", name, err, tc.wantErr)
			}
			var pe *stats.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseFile(%s) error %T; want a *stats.ParseError", name, err)
			}
			if pe.File != name || pe.Line != tc.line || pe.Column != tc.col {
				t.Errorf("ParseFile(%s) error at %s:%d:%d; want %s:%d:%d", name, pe.File, pe.Line, pe.Column, name, tc.line, tc.col)
			}
			if n := countErrors(err); n != tc.wantErrors {
				t.Errorf("ParseFile(%s) gave %d errors (%v); want %d", name, n, err, tc.wantErrors)
			}
		})
	}
}

func countErrors(err error) int {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return len(j.Unwrap())
	}
	return 1
}

// TestParseValid pins how a valid file maps onto the configuration of the
// built-in rules and the vocabulary.
func TestParseValid(t *testing.T) {
	f, err := rules.ParseFile(filepath.Join("testdata", "parse", "valid.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := f.Config()
	wantRules := map[string]stats.RuleConfig{
		"sources":    {Disabled: true},
		"additivity": {Severity: stats.Warning, Tolerance: stats.Tolerance{Kind: stats.Absolute, Amount: 0.1}},
		"mirror":     {},
	}
	if diff := cmp.Diff(wantRules, cfg.Rules); diff != "" {
		t.Errorf("Config().Rules mismatch (-want +got):\n%s", diff)
	}
	if cfg.MirrorFactor != 1.1 || cfg.MirrorThreshold != 0.3 {
		t.Errorf("mirror factor %v, threshold %v; want 1.1, 0.3", cfg.MirrorFactor, cfg.MirrorThreshold)
	}
	wantGroups := []stats.Group{
		{Code: "EAEU", Members: []stats.Membership{{Code: "BLR"}, {Code: "KAZ"}, {Code: "RUS"},
			{Code: "ARM", From: stats.MonthOf(2015, 1)}, {Code: "KGZ", From: stats.MonthOf(2015, 1)}}},
		{Code: "CIS", Members: []stats.Membership{{Code: "ARM"}, {Code: "GEO", To: stats.MonthOf(2009, 8)}}},
	}
	if diff := cmp.Diff(wantGroups, cfg.Groups, cmp.AllowUnexported(stats.Period{})); diff != "" {
		t.Errorf("Config().Groups mismatch (-want +got):\n%s", diff)
	}
	net, ok := cfg.Vocabulary.Lookup("fdi_in_net")
	wantNet := stats.IndicatorInfo{Name: "fdi_in_net", Flow: true, Negative: true, Description: "net FDI inflow from the partner"}
	if !ok || net != wantNet {
		t.Errorf("vocabulary has fdi_in_net %v, %+v; want %+v", ok, net, wantNet)
	}
	if p, _ := cfg.Vocabulary.Lookup("projects"); p.Flow {
		t.Errorf("projects is a flow; want a stock")
	}
	var ids []string
	for _, r := range f.Rules {
		ids = append(ids, r.ID)
	}
	if want := []string{"fdi-2023-doubled", "net-below-gross"}; !slices.Equal(ids, want) {
		t.Errorf("rules %v; want %v", ids, want)
	}
	r := f.Rules[1]
	wantWhere := rules.Where{Reporter: []string{"KAZ"}, Partner: []string{"ARM", "AZE"}, Source: []string{"NBK"}}
	if diff := cmp.Diff(wantWhere, r.Where); diff != "" {
		t.Errorf("where mismatch (-want +got):\n%s", diff)
	}
	if r.Severity != stats.Warning || r.Tolerance != (stats.Tolerance{Kind: stats.Relative, Amount: 0.01}) {
		t.Errorf("severity %v, tolerance %v; want warning, 1%%", r.Severity, r.Tolerance)
	}
}

// TestDeclaredIndicator checks that a declared indicator loads, can be used
// in a rule, and is held to its unit.
func TestDeclaredIndicator(t *testing.T) {
	f, err := rules.Parse([]byte(`indicators:
  - {name: fdi_in_net, negative: true, unit: USD million}
rules:
  - id: net
    assert: fdi_in_net["2023"] <= fdi_in_gross["2023"]
`), "rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ds := loadCSV(t, "reporter,partner,indicator,period,value,unit,status,source,note\n"+
		"KAZ,ARM,fdi_in_gross,2023,6,USD million,,NBK,\n"+
		"KAZ,ARM,fdi_in_net,2023,-2,EUR million,,NBK,\n", f.Vocabulary())
	got := f.Check(ds)
	var rulesHit []string
	for _, fd := range got {
		rulesHit = append(rulesHit, fd.Rule)
	}
	// The figure is in the wrong unit, and the rule cannot compare it.
	if want := []string{"units", "net"}; !slices.Equal(rulesHit, want) {
		t.Errorf("Check gave findings of %v (%v); want %v", rulesHit, got, want)
	}
}

// TestEvaluateKeepsData checks that evaluating does not modify the data.
func TestEvaluateKeepsData(t *testing.T) {
	ds := loadSeed(t)
	before := slices.Clone(ds.Obs)
	f, err := rules.Parse([]byte(doubled+"  - id: t\n    assert: turnover[\"2023\"] == 1\n"), "rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f.Check(ds)
	if diff := cmp.Diff(before, ds.Obs, cmp.AllowUnexported(stats.Period{})); diff != "" {
		t.Errorf("Check modified the data (-before +after):\n%s", diff)
	}
}

// TestNilFile checks that a nil File runs the built-in rules alone.
func TestNilFile(t *testing.T) {
	var f *rules.File
	ds := loadSeed(t)
	if diff := cmp.Diff(stats.Check(ds, nil), f.Check(ds)); diff != "" {
		t.Errorf("nil File Check mismatch (-want +got):\n%s", diff)
	}
}

// TestDocumentedExamples parses the rules files that the documentation
// shows: the package documentation's and docs/ci.md's.
func TestDocumentedExamples(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var pkg []string
	in := false
	for _, l := range strings.Split(string(doc), "\n") {
		switch {
		case strings.HasPrefix(l, "//\tversion: 1"):
			in = true
		case in && !strings.HasPrefix(l, "//\t"):
			in = false
		}
		if in {
			pkg = append(pkg, strings.TrimPrefix(l, "//\t"))
		}
	}
	ci, err := os.ReadFile(filepath.Join("..", "..", "docs", "ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, block, _ := strings.Cut(string(ci), "```yaml\nversion: 1\n")
	block, _, _ = strings.Cut(block, "```")
	for name, src := range map[string]string{"doc.go": strings.Join(pkg, "\n"), "docs/ci.md": "version: 1\n" + block} {
		if !strings.Contains(src, "assert:") {
			t.Errorf("%s: no rules file found", name)
			continue
		}
		if _, err := rules.Parse([]byte(src), name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestEveryPair checks that a rule without reporter and partner runs for
// every pair that has its series, and leaves the others alone.
func TestEveryPair(t *testing.T) {
	f, err := rules.Parse([]byte("rules:\n  - id: t\n    assert: turnover[\"2023\"] == exports[\"2023\"] + imports[\"2023\"]\n"), "rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ds := loadCSV(t, "reporter,partner,indicator,period,value,unit,status,source,note\n"+
		"KAZ,ARM,exports,2023,33.3,USD million,,BNS,\n"+
		"KAZ,ARM,imports,2023,19.8,USD million,,BNS,\n"+
		"KAZ,ARM,turnover,2023,53.4,USD million,,BNS,\n"+
		"KAZ,AZE,exports,2023,10,USD million,,BNS,\n"+
		"KAZ,GEO,fdi_in_gross,2023,1,USD million,,NBK,\n", nil)
	var got []string
	for _, fd := range f.Evaluate(ds) {
		got = append(got, fd.Series)
	}
	// ARM fails, AZE lacks imports and turnover, GEO has none of the series.
	want := []string{"KAZ–ARM turnover 2023", "KAZ–AZE turnover 2023"}
	if !slices.Equal(got, want) {
		t.Errorf("findings for %v; want %v", got, want)
	}
}

// TestTotal checks total(): the figure when the data has it, else the sum
// of the sub-periods that cover it, else a finding.
func TestTotal(t *testing.T) {
	csv := "reporter,partner,indicator,period,value,unit,status,source,note\n" +
		"KAZ,ARM,exports,2024-Q1,4.0,USD million,,BNS,\n" +
		"KAZ,ARM,exports,2024-04,1.2,USD million,,BNS,\n" +
		"KAZ,ARM,exports,2024-05,1.3,USD million,,BNS,\n" +
		"KAZ,ARM,exports,2024-06,1.4,USD million,,BNS,\n" +
		"KAZ,ARM,exports,2024-07,1.5,USD million,,BNS,\n" +
		"KAZ,ARM,exports,2024-01,1.1,USD million,,BNS,\n" +
		"KAZ,ARM,exports,2024-02,1.4,USD million,,BNS,\n" +
		"KAZ,ARM,exports,2024-03,1.5,USD million,,BNS,\n" +
		"KAZ,ARM,registered_entities,2024-01-01,400,count,,Kazinform,\n"
	tests := []struct {
		assert string
		holds  bool
	}{
		{`total(exports, "2024-Q1") == 4.0`, true},
		{`total(exports, "2024-01/2024-07") == 9.4`, true},
		{`total(exports, "2024-01/2024-07") == 9.8`, false},
		{`total(exports, "2024-Q2") == 3.9`, true},
		{`total(exports, "2024-Q2") == 4.4`, false},
		{`total(exports, "2024") > 0`, false},
		// A figure of the same days written another way.
		{`exports["2024-01/2024-03"] == 4.0`, true},
		{`exports["2024-01-01/2024-01-31"] == 1.1`, true},
		// Days covered by coarser periods: their months, their quarter.
		{`total(exports, "2024-01-01/2024-02-29") == 2.5`, true},
		{`total(exports, "2024-01-01/2024-03-31") == 4.0`, true},
		{`total(exports, "2024-01-02/2024-03-31") > 0`, false},
		{`total(registered_entities, "2024-01-01/2024-01-02") > 0`, false},
		{`total(exports, "0001/9999") > 0`, false},
	}
	ds := loadCSV(t, csv, nil)
	for _, tc := range tests {
		t.Run(tc.assert, func(t *testing.T) {
			f, err := rules.Parse([]byte("rules:\n  - id: x\n    assert: '"+tc.assert+"'\n"), "rules.yaml")
			if err != nil {
				t.Fatal(err)
			}
			got := f.Evaluate(ds)
			if (len(got) == 0) != tc.holds {
				t.Errorf("%s: findings %v; want holds %v", tc.assert, got, tc.holds)
			}
		})
	}
	if _, err := rules.Parse([]byte("rules:\n  - id: x\n    assert: 'total(exports, \"2024Q1\") > 0'\n"), "rules.yaml"); !errors.Is(err, rules.ErrExpression) {
		t.Errorf("total with a bad period: error %v; want ErrExpression", err)
	}
}

// TestHandBuiltRule checks that a Rule made without Parse is compiled and
// graded as an error.
func TestHandBuiltRule(t *testing.T) {
	f := &rules.File{Rules: []rules.Rule{
		{ID: "ok", Assert: `turnover["2023"] == exports["2023"] + imports["2023"]`},
		{ID: "fails", Assert: `turnover["2023"] == 1`},
		{ID: "broken", Assert: `turnover["2023"] ==`},
	}}
	var got []string
	for _, fd := range f.Evaluate(loadSeed(t)) {
		if fd.Severity != stats.Error {
			t.Errorf("finding of %s is %v; want an error", fd.Rule, fd.Severity)
		}
		got = append(got, fd.Rule)
	}
	slices.Sort(got)
	if want := []string{"broken", "fails"}; !slices.Equal(got, want) {
		t.Errorf("findings of %v; want %v", got, want)
	}
}
