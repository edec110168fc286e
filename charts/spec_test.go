package charts_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tradedesk/report/charts"
	"github.com/tradedesk/report/stats"
)

func loadSeed(t testing.TB, name string) *stats.Dataset {
	t.Helper()
	ds, err := stats.LoadFile(filepath.Join("testdata", name), stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func parseSpecFile(t testing.TB, name string) (*charts.Spec, error) {
	t.Helper()
	path := filepath.Join("testdata", "spec", name)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return charts.ParseSpec(f, path, nil)
}

// specErrors returns the *SpecError of each problem joined in err.
func specErrors(t *testing.T, err error) []*charts.SpecError {
	t.Helper()
	var out []*charts.SpecError
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var se *charts.SpecError
		if !errors.As(e, &se) {
			t.Errorf("error %v (%T) is not a *SpecError", e, e)
			return
		}
		out = append(out, se)
	}
	walk(err)
	return out
}

func TestParseSpecErrors(t *testing.T) {
	t.Parallel()
	type problem struct {
		Line, Column int
		Field        string
	}
	tests := []struct {
		file     string
		want     []problem
		wantKind []error
	}{
		{"unknown_kind.yaml", []problem{{3, 11, "kind"}}, []error{charts.ErrUnknownKind}},
		{"bad_period.yaml", []problem{{11, 11, "periods"}}, []error{stats.ErrBadPeriod}},
		{"unknown_indicator.yaml", []problem{{8, 29, "indicators"}}, []error{stats.ErrUnknownIndicator}},
		{"unknown_field.yaml", []problem{{5, 5, "colour"}}, []error{charts.ErrInvalidSpec}},
		{"bad_yaml.yaml", []problem{{4, 0, ""}}, []error{charts.ErrInvalidSpec}},
		{"bad_code.yaml", []problem{{6, 17, "reporter"}}, []error{stats.ErrBadCode}},
		{"duplicate_id.yaml", []problem{{6, 5, "id"}}, []error{charts.ErrInvalidSpec}},
		{"too_many_series.yaml", []problem{{6, 7, "series"}}, []error{charts.ErrInvalidSpec}},
		{"line_total.yaml", []problem{{6, 12, "total"}}, []error{charts.ErrInvalidSpec}},
		{"control.yaml", []problem{{4, 12, "title"}, {6, 33, "notes"}}, []error{stats.ErrControl, stats.ErrControl}},
		{"bad_unit_decimals.yaml", []problem{{5, 11, "unit"}, {6, 15, "decimals"}, {11, 15, "decimals"}},
			[]error{charts.ErrInvalidSpec, charts.ErrInvalidSpec, charts.ErrInvalidSpec}},
		{"bad_size_format_lang.yaml", []problem{{5, 11, "size"}, {6, 20, "formats"}, {7, 11, "lang"}},
			[]error{charts.ErrUnknownSize, charts.ErrUnknownFormat, charts.ErrUnknownLang}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			spec, err := parseSpecFile(t, tc.file)
			if err == nil {
				t.Fatalf("ParseSpec(%s) = %+v, want an error", tc.file, spec)
			}
			ses := specErrors(t, err)
			var got []problem
			for i, se := range ses {
				got = append(got, problem{se.Line, se.Column, se.Field})
				if !strings.HasSuffix(se.File, tc.file) {
					t.Errorf("error %v names file %q", se, se.File)
				}
				if i < len(tc.wantKind) && !errors.Is(se, tc.wantKind[i]) {
					t.Errorf("error %v is not %v", se, tc.wantKind[i])
				}
				if !strings.Contains(se.Error(), tc.file+":") {
					t.Errorf("message %q lacks file:line", se.Error())
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseSpec(%s) problems mismatch (-want +got):\n%s\n%v", tc.file, diff, err)
			}
		})
	}
}

func TestParseSpec(t *testing.T) {
	t.Parallel()
	spec, err := parseSpecFile(t, "good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(spec.Charts) != 2 {
		t.Fatalf("got %d charts, want 2", len(spec.Charts))
	}
	c := spec.Charts[1]
	if c.Kind != charts.Bars || c.Lang != charts.Russian || c.Size != charts.Square ||
		!cmp.Equal(c.Formats, []charts.Format{charts.PNG, charts.SVG}) || c.Pos.Line != 18 {
		t.Errorf("second chart = %+v", c)
	}
	if got := c.Series[0].Periods; len(got) != 2 || got[0].String() != "2022" || got[1].String() != "2023" {
		t.Errorf("periods = %v", got)
	}

	outs, err := spec.Outputs(loadSeed(t, "seed.csv"))
	if err != nil {
		t.Fatal(err)
	}
	trade := outs[0].Chart
	if trade.Total == nil || trade.Total.Values[0] != 53.1 || trade.Series[1].Values[1] != 8.5 {
		t.Errorf("trade chart = %+v", trade)
	}
	if trade.Source != "Bureau of National Statistics of Kazakhstan" {
		t.Errorf("trade source = %q, want the data's source", trade.Source)
	}
	if diff := cmp.Diff([]string{"2023", "January–July 2024"}, trade.Categories); diff != "" {
		t.Errorf("categories mismatch (-want +got):\n%s", diff)
	}
	fdi := outs[1].Chart
	if fdi.Subtitle != "Валовый приток прямых инвестиций, млн долл. США" || fdi.Series[0].Name != "Валовый приток прямых инвестиций" || outs[1].Size != charts.Square {
		t.Errorf("fdi chart = %+v, size %v", fdi, outs[1].Size)
	}
}

// TestSpecNoData checks that a series or a total the chart cannot draw,
// for want of data or in another unit than the chart's, is a problem at
// its place in the spec, where a total was left out without a word.
func TestSpecNoData(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec, data   string
		line, column int
		field        string
		wantErr      error
	}{
		{"no_data.yaml", "seed.csv", 8, 20, "indicators", charts.ErrNoData},
		{"total_no_data.yaml", "seed.csv", 5, 12, "total", charts.ErrNoData},
		{"total_other_unit.yaml", "turnover_in_tenge.csv", 5, 12, "total", charts.ErrInvalidChart},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			spec, err := parseSpecFile(t, tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			outs, err := spec.Outputs(loadSeed(t, tc.data))
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Outputs(%s) = %d charts, error %v, want %v", tc.data, len(outs), err, tc.wantErr)
			}
			ses := specErrors(t, err)
			if len(ses) != 1 || ses[0].Line != tc.line || ses[0].Column != tc.column || ses[0].Field != tc.field {
				t.Errorf("Outputs(%s) error = %v, want one at %d:%d, field %q", tc.data, err, tc.line, tc.column, tc.field)
			}
		})
	}
}

// FuzzParseSpec checks that the parser never panics, that every problem is
// a *SpecError with a line, and that a parsed spec has what a chart needs
// and no control character in its text.
func FuzzParseSpec(f *testing.F) {
	addSeeds(f, filepath.Join("testdata", "spec", "*.yaml"))
	f.Fuzz(func(t *testing.T, data []byte) {
		spec, err := charts.ParseSpec(bytes.NewReader(data), "fuzz.yaml", nil)
		if err != nil {
			for _, se := range specErrors(t, err) {
				if se.Line < 1 || se.File != "fuzz.yaml" {
					t.Errorf("problem without a position: %#v", se)
				}
			}
			return
		}
		for _, c := range spec.Charts {
			if c.ID == "" || c.Title == "" || len(c.Series) == 0 || len(c.Formats) == 0 {
				t.Errorf("parsed chart lacks a required field: %+v", c)
			}
			if _, err := charts.ParseKind(string(c.Kind)); err != nil {
				t.Errorf("parsed chart has kind %q", c.Kind)
			}
			for _, text := range append([]string{c.ID, c.Title, c.Subtitle, c.Source}, c.Notes...) {
				if stats.ControlAt(text) >= 0 {
					t.Errorf("parsed chart has a control character in %q", text)
				}
			}
			for _, s := range c.Series {
				if len(s.Indicators) == 0 || len(s.Periods) == 0 {
					t.Errorf("parsed series lacks indicators or periods: %+v", s)
				}
			}
		}
	})
}

// TestSpecDeclaredIndicator checks that a spec may draw an indicator of the
// vocabulary it is parsed with, such as one a rules file declares, named by
// its description, and that it is unknown without that vocabulary.
func TestSpecDeclaredIndicator(t *testing.T) {
	t.Parallel()
	path := filepath.Join("testdata", "spec", "declared.yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := charts.ParseSpec(bytes.NewReader(raw), path, nil); !errors.Is(err, stats.ErrUnknownIndicator) {
		t.Errorf("ParseSpec without the declaration: error %v, want %v", err, stats.ErrUnknownIndicator)
	}
	vocab := stats.NewVocabulary(stats.IndicatorInfo{Name: "fdi_in_net", Flow: true, Negative: true, Description: "net FDI inflow from the partner"})
	spec, err := charts.ParseSpec(bytes.NewReader(raw), path, vocab)
	if err != nil {
		t.Fatalf("ParseSpec: %v", err)
	}
	ds, err := stats.LoadFile(filepath.Join("testdata", "declared.csv"), stats.LoadOptions{Vocabulary: vocab})
	if err != nil {
		t.Fatal(err)
	}
	outs, err := spec.Outputs(ds)
	if err != nil {
		t.Fatalf("Outputs: %v", err)
	}
	var names []string
	for _, s := range outs[0].Chart.Series {
		names = append(names, s.Name)
	}
	if diff := cmp.Diff([]string{"FDI inflow, gross", "Net FDI inflow from the partner"}, names); diff != "" {
		t.Errorf("series names mismatch (-want +got):\n%s", diff)
	}
}

// TestSpecPairs checks that Pairs names every pair the charts draw, once
// and in order, and that the rows of those pairs alone draw the same
// charts as the whole data, which is what lets a command keep only them.
func TestSpecPairs(t *testing.T) {
	t.Parallel()
	spec, err := parseSpecFile(t, "pairs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pairs := spec.Pairs()
	want := []stats.Pair{{Reporter: "KAZ", Partner: "ARM"}, {Reporter: "KAZ", Partner: "AUS"}, {Reporter: "KAZ", Partner: "AUT"}}
	if diff := cmp.Diff(want, pairs); diff != "" {
		t.Fatalf("Pairs() mismatch (-want +got):\n%s", diff)
	}
	all := loadSeed(t, filepath.Join("bench", "trade50.csv"))
	some, _ := splitPairs(all, pairs)
	if len(some.Obs) != 60 {
		t.Fatalf("the three pairs have %d rows, want 60", len(some.Obs))
	}
	got, err := spec.Outputs(some)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d charts, want 3", len(got))
	}
	if n := len(got[0].Chart.Series); n != 2 {
		t.Fatalf("the first chart has %d series, want 2", n)
	}
}

// TestSpecOutputsOtherPairs checks that the rows of other pairs than a
// spec's change none of its charts, wherever they are among the rows:
// Outputs indexes the rows of its pairs alone, compared one by one for a
// few pairs and through a set for more.
func TestSpecOutputsOtherPairs(t *testing.T) {
	t.Parallel()
	all := loadSeed(t, filepath.Join("bench", "trade50.csv"))
	for _, name := range []string{"pairs.yaml", "../bench/spec50.yaml"} {
		spec, err := parseSpecFile(t, name)
		if err != nil {
			t.Fatal(err)
		}
		some, others := splitPairs(all, spec.Pairs())
		want, err := spec.Outputs(some)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			obs  []stats.Observation
		}{
			{"in file order", all.Obs},
			{"the pairs' rows first", slices.Concat(some.Obs, others.Obs)},
			{"the pairs' rows last", slices.Concat(others.Obs, some.Obs)},
		} {
			ds := &stats.Dataset{Obs: c.obs, Files: all.Files}
			before := slices.Clone(ds.Obs)
			got, err := spec.Outputs(ds)
			if err != nil {
				t.Fatalf("%s, %s: %v", name, c.name, err)
			}
			if !slices.Equal(ds.Obs, before) {
				t.Errorf("%s, %s: Outputs modified the rows", name, c.name)
			}
			if len(got) != len(want) {
				t.Fatalf("%s, %s: %d charts, want %d", name, c.name, len(got), len(want))
			}
			for i := range got {
				var a, b bytes.Buffer
				if err := charts.Render(&a, want[i].Chart, charts.SVG, charts.Options{}); err != nil {
					t.Fatal(err)
				}
				if err := charts.Render(&b, got[i].Chart, charts.SVG, charts.Options{}); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a.Bytes(), b.Bytes()) {
					t.Errorf("%s, %s: chart %s differs from that of the pairs' rows alone", name, c.name, got[i].Chart.ID)
				}
			}
		}
	}
}

// splitPairs returns the rows of ds of the pairs given, and the others,
// in file order.
func splitPairs(ds *stats.Dataset, pairs []stats.Pair) (some, others *stats.Dataset) {
	some, others = &stats.Dataset{Files: ds.Files}, &stats.Dataset{Files: ds.Files}
	for _, o := range ds.Obs {
		if slices.Contains(pairs, stats.Pair{Reporter: o.Reporter, Partner: o.Partner}) {
			some.Obs = append(some.Obs, o)
		} else {
			others.Obs = append(others.Obs, o)
		}
	}
	return some, others
}

// TestSpecUnits checks that a declared chart draws figures published in
// several scales of one currency together, in the largest scale, with the
// decimals they have there, where the first figure's unit refused the
// others.
func TestSpecUnits(t *testing.T) {
	t.Parallel()
	spec, err := parseSpecFile(t, "mixed_scales.yaml")
	if err != nil {
		t.Fatal(err)
	}
	outs, err := spec.Outputs(loadSeed(t, "mixed_scales.csv"))
	if err != nil {
		t.Fatalf("Outputs: %v", err)
	}
	c := outs[0].Chart
	s := c.Series[0]
	if c.Unit != "USD million" || !slices.Equal(s.Values, []float64{41.2, 33.3}) || !slices.Equal(s.Decimals, []int{3, 1}) {
		t.Errorf("exports drawn as %v (decimals %v) in %s, want [41.2 33.3] (decimals [3 1]) in USD million", s.Values, s.Decimals, c.Unit)
	}
	// 2022's turnover is not published: exports (USD thousand) plus
	// imports (USD million), to the tenth of a million the imports have.
	if c.Total == nil || !slices.Equal(c.Total.Values, []float64{56.3, 53.1}) || !slices.Equal(c.Total.Decimals, []int{1, 1}) {
		t.Errorf("total %+v, want 56.3 computed for 2022 and 53.1 for 2023, at one decimal", c.Total)
	}
	// Said where the total's labels are drawn.
	if want := "Computed as exports plus imports: Turnover, 2022."; !slices.Contains(c.TotalNotes, want) || slices.Contains(c.Notes, want) {
		t.Errorf("notes %q and the total's %q, want the total's to hold %q", c.Notes, c.TotalNotes, want)
	}
}

// TestSpecDerived checks that a declared chart draws the figures the data
// make of published ones, as the workbook does, each named in a note on
// how: quarters from monthly figures, a balance from exports and imports;
// where a chart of quarters from monthly data had no data.
func TestSpecDerived(t *testing.T) {
	t.Parallel()
	const yaml = `charts:
  - id: quarters
    kind: grouped
    title: By quarter
    series:
      - reporter: KAZ
        partner: ARM
        indicators: [exports, balance]
        periods: ["2024-Q1", "2024-Q2", "2024-01"]
`
	spec, err := charts.ParseSpec(strings.NewReader(yaml), "q.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := stats.Load(strings.NewReader(`reporter,partner,indicator,period,value,unit,source
KAZ,ARM,exports,2024-01,1.1,USD million,BNS
KAZ,ARM,exports,2024-02,2.2,USD million,BNS
KAZ,ARM,exports,2024-03,3.3,USD million,BNS
KAZ,ARM,imports,2024-01,0.5,USD million,BNS
KAZ,ARM,exports,2024-Q2,7.0,USD million,Customs
`), "m.csv", stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	outs, err := spec.Outputs(ds)
	if err != nil {
		t.Fatalf("Outputs: %v", err)
	}
	c := outs[0].Chart
	got := map[string][]float64{}
	for _, s := range c.Series {
		got[s.Name] = s.Values
	}
	want := map[string][]float64{"Exports": {6.6, 7, 1.1}, "Trade balance": {0, 0, 0.6}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("values mismatch (-want +got):\n%s", diff)
	}
	wantNotes := []string{
		"Computed as the sum of months: Exports, Q1 2024.",
		"Computed as exports minus imports: Trade balance, January 2024.",
	}
	if diff := cmp.Diff(wantNotes, c.Notes); diff != "" {
		t.Errorf("notes mismatch (-want +got):\n%s", diff)
	}
	if c.Source != "BNS; Customs" {
		t.Errorf("source %q, want both", c.Source)
	}
	if m := c.Series[1].Missing; !slices.Equal(m, []bool{true, true, false}) {
		t.Errorf("balance missing %v, want the quarters' (no imports)", m)
	}
}

// TestSpecUnitAndDecimals checks that a chart declared with a unit and
// label decimals draws Armstat's figures, published in USD thousand to
// five decimals, in USD million labelled to the tenth (94.4), where its
// labels read 94,366.77489 or did not fit at all; that a figure published
// with fewer decimals keeps them; that the CSV keeps every figure as
// published; that without the keys the chart is drawn as a built-in one
// is, and with decimals: 12 as published; and that a declared unit of
// another currency is a problem at the series that cannot be drawn in it.
func TestSpecUnitAndDecimals(t *testing.T) {
	t.Parallel()
	ds, err := stats.Load(strings.NewReader(`reporter,partner,indicator,period,value,unit,source
ARM,CHN,exports,2024-01,94366.77489,USD thousand,Armstat
ARM,CHN,exports,2024-02,171966.4445,USD thousand,Armstat
ARM,CHN,exports,2024-03,6,USD million,Armstat
`), "arm.csv", stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const head = `charts:
  - id: china
    kind: line
    title: Exports to China
`
	const series = `    series:
      reporter: ARM
      partner: CHN
      indicators: [exports]
      periods: [2024-01, 2024-02, 2024-03]
`
	// chart returns the chart of the spec of head, more and series.
	chart := func(t *testing.T, more string) *charts.Chart {
		spec, err := charts.ParseSpec(strings.NewReader(head+more+series), "arm.yaml", nil)
		if err != nil {
			t.Fatal(err)
		}
		outs, err := spec.Outputs(ds)
		if err != nil {
			t.Fatalf("Outputs: %v", err)
		}
		return outs[0].Chart
	}
	t.Run("USD million to the tenth", func(t *testing.T) {
		c := chart(t, "    unit: USD million\n    decimals: 1\n")
		if c.Unit != "USD million" || !slices.Equal(c.Series[0].Values, []float64{94.36677489, 171.9664445, 6}) {
			t.Errorf("drawn %v in %s, want [94.36677489 171.9664445 6] in USD million", c.Series[0].Values, c.Unit)
		}
		want := "January 2024: Exports 94.4; February 2024: Exports 172.0; March 2024: Exports 6."
		if alt := charts.AltText(c); !strings.HasSuffix(alt, want) {
			t.Errorf("alt text %q, want its numbers rounded to the tenth where published with more, and 6 as published: %q", alt, want)
		}
		var csv strings.Builder
		if err := charts.WriteCSV(&csv, c); err != nil {
			t.Fatal(err)
		}
		if want := "January 2024,94.36677489\nFebruary 2024,171.9664445\nMarch 2024,6\n"; !strings.HasSuffix(csv.String(), want) {
			t.Errorf("CSV\n%s\nwant it to end with the figures as published:\n%s", csv.String(), want)
		}
	})
	t.Run("without the keys, as the built-in charts", func(t *testing.T) {
		c := chart(t, "")
		if alt := charts.AltText(c); c.Unit != "USD million" || !strings.Contains(alt, "January 2024: Exports 94.4;") {
			t.Errorf("alt text %q in %s, want the figures in USD million to four significant digits", alt, c.Unit)
		}
		if want := "Labels rounded; the chart's data file gives the figures as published."; !slices.Contains(c.Notes, want) {
			t.Errorf("notes %q, want %q", c.Notes, want)
		}
	})
	t.Run("as published", func(t *testing.T) {
		c := chart(t, "    decimals: 12\n")
		if alt := charts.AltText(c); !strings.Contains(alt, "January 2024: Exports 94.36677489;") || len(c.Notes) > 0 {
			t.Errorf("alt text %q, notes %q, want the figures as published and no note", alt, c.Notes)
		}
	})
	t.Run("a unit of another currency", func(t *testing.T) {
		spec, err := charts.ParseSpec(strings.NewReader(head+"    unit: KZT million\n"+series), "arm.yaml", nil)
		if err != nil {
			t.Fatal(err)
		}
		outs, err := spec.Outputs(ds)
		if !errors.Is(err, charts.ErrInvalidChart) || !strings.Contains(err.Error(), "cannot be drawn in the chart's unit, KZT million") {
			t.Fatalf("Outputs = %d charts, error %v, want one naming the chart's unit", len(outs), err)
		}
		if ses := specErrors(t, err); len(ses) != 1 || ses[0].Line != 9 || ses[0].Field != "indicators" {
			t.Errorf("error %v, want one at line 9 under indicators", err)
		}
	})
}
