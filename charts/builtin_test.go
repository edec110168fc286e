package charts_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/tradedesk/report/charts"
	"github.com/tradedesk/report/stats"
)

// summary is what a test compares of a built-in chart.
type summary struct {
	ID, Kind, Title, Subtitle, Source string
	Categories, Notes                 []string
	Series                            map[string][]float64
	Total                             []float64
}

// summarize summarizes c with the words shown when its total is drawn.
func summarize(c *charts.Chart) summary {
	s := summary{ID: c.ID, Kind: string(c.Kind), Title: c.Title, Subtitle: c.Subtitle, Source: c.Source,
		Categories: c.Categories, Notes: shownNotes(c), Series: map[string][]float64{}}
	if c.TotalSubtitle != "" {
		s.Subtitle = c.TotalSubtitle
	}
	for _, ser := range c.Series {
		s.Series[ser.Name] = ser.Values
	}
	if c.Total != nil {
		s.Total = c.Total.Values
	}
	return s
}

// shownNotes returns the notes of c shown when its total is drawn.
func shownNotes(c *charts.Chart) []string {
	if c.Total == nil {
		return c.Notes
	}
	return append(c.Notes[:len(c.Notes):len(c.Notes)], c.TotalNotes...)
}

func TestBuiltIn(t *testing.T) {
	t.Parallel()
	ds := loadSeed(t, "seed.csv")
	before := len(ds.Obs)
	got := charts.BuiltIn(ds, charts.English)
	var sums []summary
	for _, c := range got {
		sums = append(sums, summarize(c))
	}
	const bns, nbk = "Bureau of National Statistics of Kazakhstan", "National Bank of Kazakhstan"
	want := []summary{
		{
			ID: "kaz-arm-trade", Kind: "grouped", Title: "Kazakhstan–Armenia trade",
			Subtitle: "Exports and imports, with turnover, USD million", Source: bns,
			Categories: []string{"2023", "January–July 2024"},
			Series:     map[string][]float64{"Exports": {33.3, 9.4}, "Imports": {19.8, 8.5}},
			Total:      []float64{53.1, 17.9},
		},
		{
			ID: "kaz-arm-balance", Kind: "bar", Title: "Kazakhstan–Armenia trade balance",
			Subtitle: "Exports minus imports, USD million", Source: bns,
			Categories: []string{"2023", "January–July 2024"},
			Notes:      []string{"Computed as exports minus imports."},
			Series:     map[string][]float64{"Trade balance": {13.5, 0.9}},
		},
		{
			ID: "kaz-arm-fdi", Kind: "bar", Title: "Kazakhstan–Armenia direct investment",
			Subtitle: "Gross inflow from Armenia into Kazakhstan, USD million", Source: nbk,
			Categories: []string{"2022", "2023"},
			Notes: []string{
				"2005–2024 in total, from Armenia into Kazakhstan: 20.6 USD million.",
				"2005–2024 in total, from Kazakhstan into Armenia: 56.5 USD million.",
			},
			Series: map[string][]float64{"From Armenia into Kazakhstan": {3, 6}},
		},
		{
			ID: "kaz-arm-fdi-total", Kind: "hbar", Title: "Kazakhstan–Armenia direct investment, 2005–2024",
			Subtitle: "Gross inflow in total, USD million", Source: nbk,
			Categories: []string{"From Armenia into Kazakhstan", "From Kazakhstan into Armenia"},
			Series:     map[string][]float64{"Gross inflow": {20.6, 56.5}},
		},
	}
	if diff := cmp.Diff(want, sums); diff != "" {
		t.Errorf("BuiltIn mismatch (-want +got):\n%s", diff)
	}
	if len(ds.Obs) != before {
		t.Errorf("BuiltIn changed the dataset")
	}
	for _, c := range got {
		for i := range c.Series[0].Values {
			if c.ID == "kaz-arm-balance" && c.Series[0].Decimals[i] != 1 {
				t.Errorf("derived balance %d has %d decimals, want 1", i, c.Series[0].Decimals[i])
			}
		}
	}
}

func TestBuiltInYTD(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lang charts.Lang
		want summary
	}{
		{charts.English, summary{
			ID: "kaz-arm-ytd", Kind: "grouped", Title: "Kazakhstan–Armenia trade, January–July 2024",
			Subtitle: "Against the same months a year before, USD million", Source: "Bureau of National Statistics of Kazakhstan",
			Categories: []string{"Exports", "Imports", "Turnover"},
			Notes:      []string{"Turnover computed as exports plus imports."},
			Series:     map[string][]float64{"January–July 2023": {20.1, 11, 31.1}, "January–July 2024": {9.4, 8.5, 17.9}},
		}},
		{charts.Russian, summary{
			ID: "kaz-arm-ytd", Kind: "grouped", Title: "Казахстан — Армения: торговля, январь–июль 2024",
			Subtitle: "В сравнении с теми же месяцами годом ранее, млн долл. США", Source: "Bureau of National Statistics of Kazakhstan",
			Categories: []string{"Экспорт", "Импорт", "Товарооборот"},
			Notes:      []string{"Товарооборот рассчитан как сумма экспорта и импорта."},
			Series:     map[string][]float64{"Январь–июль 2023": {20.1, 11, 31.1}, "Январь–июль 2024": {9.4, 8.5, 17.9}},
		}},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			var got *charts.Chart
			for _, c := range charts.BuiltIn(loadSeed(t, "ytd.csv"), tc.lang) {
				if c.ID == "kaz-arm-ytd" {
					got = c
				}
			}
			if got == nil {
				t.Fatal("no year-to-date chart")
			}
			if diff := cmp.Diff(tc.want, summarize(got)); diff != "" {
				t.Errorf("year-to-date chart mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBuiltInLatestYTD checks the charts of a pair with several
// year-to-date intervals a year: a year drawn whole leaves its intervals
// out, a year without one is drawn by the interval that ends last, and the
// year-to-date chart compares that interval, where January–March, the
// shortest, was taken as the latest and the trade chart ran from
// January–September down to January–March.
func TestBuiltInLatestYTD(t *testing.T) {
	t.Parallel()
	const bns = "Bureau of National Statistics of Kazakhstan"
	cats := []string{"2022", "2023", "January–September 2024"}
	tests := []struct {
		id   string
		want summary
	}{
		{"kaz-arm-trade", summary{
			ID: "kaz-arm-trade", Kind: "grouped", Title: "Kazakhstan–Armenia trade",
			Subtitle: "Exports and imports, with turnover, USD million", Source: bns,
			Categories: cats,
			Notes:      []string{"Turnover computed as exports plus imports."},
			Series:     map[string][]float64{"Exports": {43, 44, 30.3}, "Imports": {33, 34, 24.3}},
			Total:      []float64{76, 78, 54.6},
		}},
		{"kaz-arm-balance", summary{
			ID: "kaz-arm-balance", Kind: "bar", Title: "Kazakhstan–Armenia trade balance",
			Subtitle: "Exports minus imports, USD million", Source: bns,
			Categories: cats,
			Notes:      []string{"Computed as exports minus imports."},
			Series:     map[string][]float64{"Trade balance": {10, 10, 6}},
		}},
		{"kaz-arm-ytd", summary{
			ID: "kaz-arm-ytd", Kind: "grouped", Title: "Kazakhstan–Armenia trade, January–September 2024",
			Subtitle: "Against the same months a year before, USD million", Source: bns,
			Categories: []string{"Exports", "Imports", "Turnover"},
			Notes:      []string{"Turnover computed as exports plus imports."},
			Series:     map[string][]float64{"January–September 2023": {33, 25, 58}, "January–September 2024": {30.3, 24.3, 54.6}},
		}},
	}
	got := map[string]summary{}
	for _, c := range charts.BuiltIn(loadSeed(t, "ytd_several.csv"), charts.English) {
		got[c.ID] = summarize(c)
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, got[tc.id], cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("BuiltIn(ytd_several.csv) %s mismatch (-want +got):\n%s", tc.id, diff)
			}
		})
	}
}

// TestBuiltInYTDFallsBack checks that the year-to-date chart compares the
// latest interval the year before has too, when it lacks the one that
// ends last: January–March, where January–June 2024 has no January–June
// 2023 (the chart was left out).
func TestBuiltInYTDFallsBack(t *testing.T) {
	t.Parallel()
	want := summary{
		ID: "kaz-chn-ytd", Kind: "grouped", Title: "Kazakhstan–China trade, January–March 2024",
		Subtitle: "Against the same months a year before, USD million", Source: "B",
		Categories: []string{"Exports", "Imports", "Turnover"},
		Notes:      []string{"Turnover computed as exports plus imports."},
		Series:     map[string][]float64{"January–March 2023": {20, 15, 35}, "January–March 2024": {22, 16, 38}},
	}
	for _, c := range charts.BuiltIn(loadSeed(t, "ytd_fallback.csv"), charts.English) {
		if c.ID == want.ID {
			if diff := cmp.Diff(want, summarize(c), cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("BuiltIn(ytd_fallback.csv) %s mismatch (-want +got):\n%s", c.ID, diff)
			}
			return
		}
	}
	t.Errorf("BuiltIn(ytd_fallback.csv) drew no %s", want.ID)
}

func TestPeriodLabel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		period string
		lang   charts.Lang
		want   string
	}{
		{"2023", charts.English, "2023"},
		{"2005/2024", charts.Russian, "2005–2024"},
		{"2024-01/2024-07", charts.English, "January–July 2024"},
		{"2024-01/2024-07", charts.Russian, "Январь–июль 2024"},
		{"2024-01/2024-07", charts.Kazakh, "Қаңтар–шілде 2024"},
		{"2024-Q3", charts.English, "Q3 2024"},
		{"2024-Q3", charts.Russian, "III кв. 2024"},
		{"2024-07", charts.Kazakh, "Шілде 2024"},
		{"2024-10-15", charts.English, "15 October 2024"},
		{"2024-10-15", charts.Russian, "15.10.2024"},
		{"2023-11/2024-02", charts.English, "November 2023 – February 2024"},
	}
	for _, tc := range tests {
		t.Run(tc.period+"/"+string(tc.lang), func(t *testing.T) {
			p, err := stats.ParsePeriod(tc.period)
			if err != nil {
				t.Fatal(err)
			}
			if got := charts.PeriodLabel(p, tc.lang); got != tc.want {
				t.Errorf("PeriodLabel(%s, %s) = %q, want %q", tc.period, tc.lang, got, tc.want)
			}
		})
	}
}

func TestBuiltInStatusNotes(t *testing.T) {
	t.Parallel()
	got := map[string][]string{}
	for _, c := range charts.BuiltIn(loadSeed(t, "provisional.csv"), charts.English) {
		got[c.ID] = shownNotes(c)
	}
	want := map[string][]string{
		"kaz-arm-trade":   {"Provisional figures: January–July 2024.", "Estimated figures: January–July 2024.", "Turnover computed as exports plus imports."},
		"kaz-arm-balance": {"Estimated figures: January–July 2024.", "Computed as exports minus imports."},
		"kaz-arm-ytd":     {"Provisional figures: January–July 2024.", "Estimated figures: January–July 2024.", "Turnover computed as exports plus imports."},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("notes mismatch (-want +got):\n%s", diff)
	}
}

// TestBuiltInFDIBothDirections checks that FDI reported by year in both
// directions is drawn as two series named by their direction, with a
// legend, in each language.
func TestBuiltInFDIBothDirections(t *testing.T) {
	t.Parallel()
	const nbk = "National Bank of Kazakhstan"
	for _, tc := range []struct {
		lang charts.Lang
		want summary
	}{
		{charts.English, summary{
			ID: "kaz-arm-fdi", Kind: "grouped", Title: "Kazakhstan–Armenia direct investment",
			Subtitle: "Gross inflow in each direction, USD million", Source: nbk,
			Categories: []string{"2021", "2022", "2023"},
			Notes: []string{
				"2005–2024 in total, from Armenia into Kazakhstan: 20.6 USD million.",
				"2005–2024 in total, from Kazakhstan into Armenia: 56.5 USD million.",
			},
			Series: map[string][]float64{"From Armenia into Kazakhstan": {1.2, 3, 6}, "From Kazakhstan into Armenia": {4.1, 3.8, 1}},
		}},
		{charts.Russian, summary{
			ID: "kaz-arm-fdi", Kind: "grouped", Title: "Казахстан — Армения: прямые инвестиции",
			Subtitle: "Валовый приток в каждом направлении, млн долл. США", Source: nbk,
			Categories: []string{"2021", "2022", "2023"},
			Notes: []string{
				"Всего за 2005–2024, из Армении в Казахстан: 20,6 млн долл. США.",
				"Всего за 2005–2024, из Казахстана в Армению: 56,5 млн долл. США.",
			},
			Series: map[string][]float64{"Из Армении в Казахстан": {1.2, 3, 6}, "Из Казахстана в Армению": {4.1, 3.8, 1}},
		}},
		{charts.Kazakh, summary{
			ID: "kaz-arm-fdi", Kind: "grouped", Title: "Қазақстан — Армения: тікелей инвестициялар",
			Subtitle: "Әр бағыттағы жалпы кіріс ағыны, млн АҚШ доллары", Source: nbk,
			Categories: []string{"2021", "2022", "2023"},
			Notes: []string{
				"2005–2024 барлығы, Армениядан Қазақстанға: 20,6 млн АҚШ доллары.",
				"2005–2024 барлығы, Қазақстаннан Арменияға: 56,5 млн АҚШ доллары.",
			},
			Series: map[string][]float64{"Армениядан Қазақстанға": {1.2, 3, 6}, "Қазақстаннан Арменияға": {4.1, 3.8, 1}},
		}},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			var got *charts.Chart
			for _, c := range charts.BuiltIn(loadSeed(t, "fdi_both.csv"), tc.lang) {
				if c.ID == "kaz-arm-fdi" {
					got = c
				}
			}
			if got == nil {
				t.Fatal("no FDI chart")
			}
			if diff := cmp.Diff(tc.want, summarize(got)); diff != "" {
				t.Errorf("FDI chart mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBuiltInFDISubtitle checks that the subtitle of an FDI chart of one
// direction names it in words, in each language.
func TestBuiltInFDISubtitle(t *testing.T) {
	t.Parallel()
	want := map[charts.Lang]string{
		charts.English: "Gross inflow from Armenia into Kazakhstan, USD million",
		charts.Russian: "Валовый приток из Армении в Казахстан, млн долл. США",
		charts.Kazakh:  "Армениядан Қазақстанға жалпы кіріс ағыны, млн АҚШ доллары",
	}
	ds := loadSeed(t, "seed.csv")
	for _, l := range charts.Langs() {
		for _, c := range charts.BuiltIn(ds, l) {
			if c.ID == "kaz-arm-fdi" && c.Subtitle != want[l] {
				t.Errorf("%s: FDI subtitle %q, want %q", l, c.Subtitle, want[l])
			}
		}
	}
}

// TestBuiltInComputedNotes checks the notes on figures computed from
// others: all of them, some of them, none, in each language.
func TestBuiltInComputedNotes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		lang charts.Lang
		want map[string][]string
	}{
		{"fdi_both.csv", charts.English, map[string][]string{
			"kaz-arm-trade":   {"Turnover computed as exports plus imports."},
			"kaz-arm-balance": {"Computed as exports minus imports."},
		}},
		{"fdi_both.csv", charts.Russian, map[string][]string{
			"kaz-arm-trade":   {"Товарооборот рассчитан как сумма экспорта и импорта."},
			"kaz-arm-balance": {"Рассчитано как экспорт минус импорт."},
		}},
		{"fdi_both.csv", charts.Kazakh, map[string][]string{
			"kaz-arm-trade":   {"Тауар айналымы экспорт пен импорттың қосындысы ретінде есептелген."},
			"kaz-arm-balance": {"Экспорттан импортты шегеру арқылы есептелген."},
		}},
		{"computed_some.csv", charts.English, map[string][]string{
			"kaz-arm-trade":   {"Turnover for January–July 2024 computed as exports plus imports."},
			"kaz-arm-balance": {"Computed as exports minus imports for January–July 2024."},
		}},
		{"computed_some.csv", charts.Kazakh, map[string][]string{
			"kaz-arm-trade":   {"Қаңтар–шілде 2024 тауар айналымы экспорт пен импорттың қосындысы ретінде есептелген."},
			"kaz-arm-balance": {"Қаңтар–шілде 2024 үшін экспорттан импортты шегеру арқылы есептелген."},
		}},
		{"computed_some.csv", charts.Russian, map[string][]string{
			"kaz-arm-trade":   {"Товарооборот за январь–июль 2024 рассчитан как сумма экспорта и импорта."},
			"kaz-arm-balance": {"За январь–июль 2024 рассчитано как экспорт минус импорт."},
		}},
		{"seed.csv", charts.English, map[string][]string{
			"kaz-arm-balance": {"Computed as exports minus imports."},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file+"/"+string(tc.lang), func(t *testing.T) {
			got := map[string][]string{}
			for _, c := range charts.BuiltIn(loadSeed(t, tc.file), tc.lang) {
				for _, n := range shownNotes(c) {
					if strings.Contains(n, "omputed") || strings.Contains(n, "ассчита") || strings.Contains(n, "есептелген") {
						got[c.ID] = append(got[c.ID], n)
					}
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("computed notes mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestChartsOfManyDecimals checks that a value published with more
// decimals than a chart labels (MaxDecimals), 45 of them, is drawn by the
// built-in charts and those of a spec at that many, rather than making a
// chart that New refuses.
func TestChartsOfManyDecimals(t *testing.T) {
	t.Parallel()
	ds := loadSeed(t, "many_decimals.csv")
	check := func(from string, c *charts.Chart) {
		for _, s := range append(append([]charts.Series(nil), c.Series...), derefTotal(c)...) {
			for i, d := range s.Decimals {
				if d > charts.MaxDecimals {
					t.Errorf("%s %s: %s value %d has %d decimals, over %d", from, c.ID, s.Name, i+1, d, charts.MaxDecimals)
				}
			}
		}
		if _, err := charts.New(*c); err != nil {
			t.Errorf("%s %s: %v", from, c.ID, err)
		}
	}
	built := charts.BuiltIn(ds, charts.English)
	if len(built) == 0 {
		t.Fatal("no built-in chart")
	}
	found := false
	for _, c := range built {
		check("built-in", c)
		for _, s := range c.Series {
			if s.Indicator == "exports" && len(s.Decimals) > 0 && s.Decimals[0] == charts.MaxDecimals {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("no built-in chart has the exports of 2023 at %d decimals", charts.MaxDecimals)
	}
	spec, err := parseSpecFile(t, "good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	outs, err := spec.Outputs(ds)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		check("spec", o.Chart)
	}
}

func derefTotal(c *charts.Chart) []charts.Series {
	if c.Total == nil {
		return nil
	}
	return []charts.Series{*c.Total}
}

// TestBuiltInReads checks that the built-in charts of the rows
// BuiltInReads keeps are those of every row, on data that has each kind
// of period the charts could read another way: a year published only as
// its days, or as its months; year-to-date intervals of months, of
// quarters and of days; January and the first quarter alone; spans of
// years; and the months, quarters and days the charts never draw.
func TestBuiltInReads(t *testing.T) {
	t.Parallel()
	text := `reporter,partner,indicator,period,value,unit,source,note
KAZ,ARM,exports,2022-01-01/2022-12-31,30.1,USD million,BNS,
KAZ,ARM,imports,2022-01/2022-12,20.2,USD million,BNS,
KAZ,ARM,exports,2023,33.3,USD million,BNS,
KAZ,ARM,imports,2023,19.8,USD million,BNS,provisional
KAZ,ARM,exports,2024-01,1.2,USD million,BNS,
KAZ,ARM,exports,2024-02,1.3,USD million,BNS,
KAZ,ARM,exports,2024-Q1,3.9,USD million,BNS,
KAZ,ARM,imports,2024-Q1,2.1,USD million,BNS,
KAZ,ARM,exports,2024-Q1/2024-Q2,8.8,USD million,BNS,
KAZ,ARM,imports,2024-Q1/2024-Q2,4.4,USD million,BNS,
KAZ,ARM,turnover,2023-Q1/2023-Q2,12.5,USD million,BNS,estimated
KAZ,ARM,exports,2024-01/2024-07,9.4,USD million,BNS,
KAZ,ARM,imports,2024-01-01/2024-07-31,8.5,USD million,BNS,
KAZ,ARM,exports,2023-01/2023-07,10.0,USD million,BNS,
KAZ,ARM,imports,2023-07,2.2,USD million,BNS,
KAZ,ARM,exports,2023-03-15,0.1,USD million,BNS,
KAZ,ARM,fdi_in_gross,2021,5.5,USD million,NBK,
KAZ,ARM,fdi_in_gross,2022,6.5,USD million,NBK,
KAZ,ARM,fdi_in_gross,2005/2024,150.0,USD million,NBK,
ARM,KAZ,fdi_in_gross,2005/2024,90.0,USD million,NBK,
ARM,KAZ,fdi_in_gross,2022-Q3,1.0,USD million,NBK,
KAZ,KGZ,exports,2024-03,4.0,USD million,BNS,
`
	ds, err := stats.Load(strings.NewReader(text), "periods.csv", stats.LoadOptions{})
	if err != nil || len(ds.Problems) > 0 {
		t.Fatalf("load: %v %v", err, ds.Problems)
	}
	kept := keepRows(ds, charts.BuiltInReads)
	if len(kept.Obs) == len(ds.Obs) || len(kept.Obs) < 15 {
		t.Fatalf("kept %d of %d rows", len(kept.Obs), len(ds.Obs))
	}
	never := map[string]bool{"2024-02": true, "2023-07": true, "2023-03-15": true, "2022-Q3": true, "2024-03": true}
	for _, o := range ds.Obs {
		want := !never[o.Period.String()]
		if got := charts.BuiltInReads(&o); got != want {
			t.Errorf("BuiltInReads(%s) = %v, want %v", o.Period, got, want)
		}
	}
	all := charts.BuiltIn(ds, charts.English)
	if len(all) < 4 {
		t.Fatalf("%d charts: the data should draw trade, balance, year to date and FDI", len(all))
	}
	if got := charts.BuiltIn(kept, charts.English); !reflect.DeepEqual(got, all) {
		t.Error("the built-in charts of the rows BuiltInReads keeps are not those of every row")
	}
}

// TestBuiltInUnits checks that the built-in charts draw a pair whose
// figures come in several scales of one currency whole, converted into the
// largest scale with the decimals they have there (41200 USD thousand is
// 41.200 USD million), derived figures included; and that a figure in
// another currency is left out with a note naming it, rather than taking
// the trade chart with it or being drawn on the same axis.
func TestBuiltInUnits(t *testing.T) {
	t.Parallel()
	type drawn struct {
		Unit     string
		Series   map[string][]float64
		Decimals map[string][]int
		Missing  map[string][]bool
		Total    []float64
		Notes    []string
	}
	tests := []struct {
		file string
		want map[string]drawn
	}{
		{"mixed_scales.csv", map[string]drawn{
			"kaz-arm-trade": {Unit: "USD million",
				Series:   map[string][]float64{"Exports": {41.2, 33.3, 9.4}, "Imports": {15.1, 19.8, 8.5}},
				Decimals: map[string][]int{"Exports": {3, 1, 3}, "Imports": {1, 1, 1}},
				Missing:  map[string][]bool{"Exports": {false, false, false}, "Imports": {false, false, false}},
				Total:    []float64{56.3, 53.1, 17.9},
				Notes:    []string{"Turnover for 2022, January–July 2024 computed as exports plus imports."}},
			"kaz-arm-balance": {Unit: "USD million",
				Series:   map[string][]float64{"Trade balance": {26.1, 13.5, 0.9}},
				Decimals: map[string][]int{"Trade balance": {1, 1, 1}},
				Missing:  map[string][]bool{"Trade balance": {false, false, false}},
				Notes:    []string{"Computed as exports minus imports."}},
			"kaz-arm-ytd": {Unit: "USD million",
				Series:   map[string][]float64{"January–July 2023": {18.2, 10.5, 28.7}, "January–July 2024": {9.4, 8.5, 17.9}},
				Decimals: map[string][]int{"January–July 2023": {1, 1, 1}, "January–July 2024": {3, 1, 1}},
				Missing:  map[string][]bool{"January–July 2023": {false, false, false}, "January–July 2024": {false, false, false}},
				Notes:    []string{"Turnover computed as exports plus imports."}},
			"kaz-arm-fdi": {Unit: "USD million",
				Series:   map[string][]float64{"From Armenia into Kazakhstan": {3, 6}, "From Kazakhstan into Armenia": {0, 7.1}},
				Decimals: map[string][]int{"From Armenia into Kazakhstan": {3, 1}, "From Kazakhstan into Armenia": {0, 1}},
				Missing:  map[string][]bool{"From Armenia into Kazakhstan": {false, false}, "From Kazakhstan into Armenia": {true, false}}},
		}},
		{"mixed_currencies.csv", map[string]drawn{
			"kaz-arm-trade": {Unit: "USD million",
				Series:   map[string][]float64{"Exports": {41.2, 33.3}, "Imports": {0, 19.8}},
				Decimals: map[string][]int{"Exports": {1, 1}, "Imports": {0, 1}},
				Missing:  map[string][]bool{"Exports": {false, false}, "Imports": {true, false}},
				Total:    []float64{0, 53.1},
				Notes: []string{
					"Figures published in another unit, not drawn: Imports, 2022 (KZT million).",
					"Turnover computed as exports plus imports.",
					"Figures published in another unit, not drawn: Turnover, 2023 (KZT billion).",
					"Not computed, a term published in another unit: Turnover, 2022 (imports, KZT million).",
				}},
			"kaz-arm-balance": {Unit: "USD million",
				Series:   map[string][]float64{"Trade balance": {0, 13.5}},
				Decimals: map[string][]int{"Trade balance": {0, 1}},
				Missing:  map[string][]bool{"Trade balance": {true, false}},
				Notes: []string{
					"Computed as exports minus imports.",
					"Not computed, a term published in another unit: Trade balance, 2022 (imports, KZT million).",
				}},
		}},
		// The balance is drawn in the unit of the exports and imports it
		// is computed from, as the trade chart is: one published in
		// another currency does not take the years without it along.
		{"balance_in_tenge.csv", map[string]drawn{
			"kaz-arm-trade": {Unit: "USD million",
				Series:   map[string][]float64{"Exports": {41.2, 33.3}, "Imports": {15.1, 19.8}},
				Decimals: map[string][]int{"Exports": {1, 1}, "Imports": {1, 1}},
				Missing:  map[string][]bool{"Exports": {false, false}, "Imports": {false, false}},
				Total:    []float64{56.3, 53.1},
				Notes:    []string{"Turnover computed as exports plus imports."}},
			"kaz-arm-balance": {Unit: "USD million",
				Series:   map[string][]float64{"Trade balance": {26.1, 13.5}},
				Decimals: map[string][]int{"Trade balance": {1, 1}},
				Missing:  map[string][]bool{"Trade balance": {false, false}},
				Notes: []string{
					"Computed as exports minus imports.",
					"Figures published in another unit, not drawn: Trade balance, 2023 (KZT billion).",
				}},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			got := map[string]drawn{}
			for _, c := range charts.BuiltIn(loadSeed(t, tc.file), charts.English) {
				d := drawn{Unit: c.Unit, Series: map[string][]float64{}, Decimals: map[string][]int{}, Missing: map[string][]bool{}, Notes: shownNotes(c)}
				for _, s := range c.Series {
					d.Series[s.Name], d.Decimals[s.Name], d.Missing[s.Name] = s.Values, s.Decimals, s.Missing
				}
				if c.Total != nil {
					d.Total = c.Total.Values
				}
				got[c.ID] = d
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("BuiltIn(%s) mismatch (-want +got):\n%s", tc.file, diff)
			}
		})
	}
}

// TestBuiltInFDITotalsInAnotherCurrency checks that the FDI chart's notes
// state a multi-year total published in another currency than the chart's
// in its own, and one in another scale in the chart's, where the first was
// left out without a word; and that no chart of the totals side by side
// is drawn from the two.
func TestBuiltInFDITotalsInAnotherCurrency(t *testing.T) {
	t.Parallel()
	got := map[string][]string{}
	for _, c := range charts.BuiltIn(loadSeed(t, "fdi_total_tenge.csv"), charts.English) {
		got[c.ID] = c.Notes
	}
	want := map[string][]string{"kaz-arm-fdi": {
		"2005–2024 in total, from Armenia into Kazakhstan: 9.5 KZT billion.",
		"2005–2024 in total, from Kazakhstan into Armenia: 56.500 USD million.",
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("BuiltIn notes mismatch (-want +got):\n%s", diff)
	}
}

// TestBuiltInNotesEndOnce checks that a note that ends with a unit ends
// with one point, in every language: the FDI chart's note on a total in
// roubles read "120,5 млрд руб.." in Russian.
func TestBuiltInNotesEndOnce(t *testing.T) {
	t.Parallel()
	const text = `reporter,partner,indicator,period,value,unit,source
KAZ,ARM,fdi_in_gross,2022,3.0,USD million,NBK
KAZ,ARM,fdi_in_gross,2023,6.0,USD million,NBK
KAZ,ARM,fdi_out_gross,2005/2024,120.5,RUB billion,NBK
`
	ds, err := stats.Load(strings.NewReader(text), "roubles.csv", stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang charts.Lang
		want string // the note on the total
	}{
		{charts.English, "2005–2024 in total, from Kazakhstan into Armenia: 120.5 RUB billion."},
		{charts.Russian, "Всего за 2005–2024, из Казахстана в Армению: 120,5 млрд рублей."},
		{charts.Kazakh, "2005–2024 барлығы, Қазақстаннан Арменияға: 120,5 млрд рубль."},
	}
	for _, tc := range tests {
		t.Run(string(tc.lang), func(t *testing.T) {
			t.Parallel()
			var notes []string
			for _, c := range charts.BuiltIn(ds, tc.lang) {
				notes = append(notes, c.Notes...)
			}
			if !slices.Contains(notes, tc.want) {
				t.Errorf("notes %q, want one %q", notes, tc.want)
			}
			for _, n := range notes {
				if strings.HasSuffix(n, "..") {
					t.Errorf("note %q ends with two points", n)
				}
			}
		})
	}
}

// TestBuiltInOneFlow checks that the trade chart of a pair with figures of
// one flow alone (Comext publishes the EU's exports) draws that flow, named
// in the subtitle, where it named both, and marked the other "–" with a
// note of "no data" for every period.
func TestBuiltInOneFlow(t *testing.T) {
	t.Parallel()
	got := map[string]summary{}
	for _, l := range []charts.Lang{charts.English, charts.Russian} {
		for _, c := range charts.BuiltIn(loadSeed(t, "exports_only.csv"), l) {
			if strings.HasSuffix(c.ID, "-trade") {
				s := summarize(c)
				s.Source = ""
				got[c.ID+"/"+string(l)] = s
			}
		}
	}
	want := map[string]summary{
		// Comext's euros, drawn in billions (see TestBuiltInReadable).
		"eu27-kaz-trade/en": {ID: "eu27-kaz-trade", Kind: "bar", Title: "EU-27–Kazakhstan trade", Subtitle: "Exports, EUR billion",
			Categories: []string{"2022", "2023"}, Series: map[string][]float64{"Exports": {10.336914226, 12.105183547}},
			Notes: []string{"Labels rounded; the chart's data file gives the figures as published."}},
		"eu27-kaz-trade/ru": {ID: "eu27-kaz-trade", Kind: "bar", Title: "ЕС-27 — Казахстан: торговля", Subtitle: "Экспорт, млрд евро",
			Categories: []string{"2022", "2023"}, Series: map[string][]float64{"Экспорт": {10.336914226, 12.105183547}},
			Notes: []string{"Подписи округлены; в файле данных диаграммы цифры даны как опубликованы."}},
		"kaz-arm-trade/en": {ID: "kaz-arm-trade", Kind: "bar", Title: "Kazakhstan–Armenia trade", Subtitle: "Exports, USD million",
			Categories: []string{"2023"}, Series: map[string][]float64{"Exports": {33.3}}, Total: []float64{53.1}},
		"kaz-arm-trade/ru": {ID: "kaz-arm-trade", Kind: "bar", Title: "Казахстан — Армения: торговля", Subtitle: "Экспорт, млн долл. США",
			Categories: []string{"2023"}, Series: map[string][]float64{"Экспорт": {33.3}}, Total: []float64{53.1}},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("charts of one flow mismatch (-want +got):\n%s", diff)
	}
}

// TestBuiltInTurnoverInAnotherCurrency checks that a trade chart that can
// draw no turnover says that one is published in another currency, where
// the figure was left out without a word.
func TestBuiltInTurnoverInAnotherCurrency(t *testing.T) {
	t.Parallel()
	for _, c := range charts.BuiltIn(loadSeed(t, "turnover_only_tenge.csv"), charts.English) {
		if c.ID != "kaz-arm-trade" {
			continue
		}
		want := "Figures published in another unit, not drawn: Turnover, 2023 (KZT billion)."
		if c.Total != nil || !slices.Contains(c.Notes, want) {
			t.Errorf("trade chart: total %v, notes %q; want no total and the note %q", c.Total, c.Notes, want)
		}
		return
	}
	t.Error("no trade chart")
}

// TestBuiltInReadable checks that the built-in charts of Armstat's
// figures, in USD thousand to five decimals and up to 5,254,941.5161 of
// them, are drawn in USD million with labels rounded to four significant
// digits (5,255) and a note saying so, where the axis read 6,000,000 and
// no label fit its bar; that the chart's CSV gives the figures as published, in
// its unit; and that figures of a few digits are labelled as published
// (see TestBuiltInOneFlow for euros).
func TestBuiltInReadable(t *testing.T) {
	t.Parallel()
	var trade *charts.Chart
	for _, c := range charts.BuiltIn(loadSeed(t, "armstat_large.csv"), charts.English) {
		if c.ID == "arm-are-trade" {
			trade = c
		}
	}
	if trade == nil {
		t.Fatal("no chart arm-are-trade")
	}
	if trade.Unit != "USD million" || !trade.RoundLabels || trade.LabelDecimals != 0 {
		t.Errorf("drawn in %q, labels rounded %v to %d decimals, want USD million, rounded to 0", trade.Unit, trade.RoundLabels, trade.LabelDecimals)
	}
	if want := "Labels rounded; the chart's data file gives the figures as published."; !slices.Contains(trade.Notes, want) {
		t.Errorf("notes %q, want %q", trade.Notes, want)
	}
	if alt, want := charts.AltText(trade), "2024: Exports 5,255, Imports 82, Turnover 5,337."; !strings.HasSuffix(alt, want) {
		t.Errorf("alt text %q, want it to end %q", alt, want)
	}
	var csv strings.Builder
	if err := charts.WriteCSV(&csv, trade); err != nil {
		t.Fatal(err)
	}
	if want := "2024,5254.9415161,82.35980208,5337.3013182\n"; !strings.HasSuffix(csv.String(), want) {
		t.Errorf("CSV\n%s\nwant it to end with the figures as published, in USD million:\n%s", csv.String(), want)
	}
	// BNS's whole thousands, drawn in millions, are labelled 313.1, not
	// 313.100 as the decimals of the thousands have it.
	ds, err := stats.Load(strings.NewReader(`reporter,partner,indicator,period,value,unit,source
KAZ,TUR,exports,2023,313100,USD thousand,BNS
KAZ,TUR,imports,2023,58100,USD thousand,BNS
`), "bns.csv", stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range charts.BuiltIn(ds, charts.English) {
		if alt, want := charts.AltText(c), "2023: Exports 313.1, Imports 58.1, Turnover 371.2."; c.ID == "kaz-tur-trade" && (!strings.HasSuffix(alt, want) || c.Unit != "USD million") {
			t.Errorf("alt text %q in %s, want it to end %q in USD million", alt, c.Unit, want)
		}
	}
	for _, c := range charts.BuiltIn(loadSeed(t, "seed.csv"), charts.English) {
		if c.RoundLabels || strings.Contains(c.Unit, "billion") || slices.ContainsFunc(c.Notes, func(n string) bool { return strings.HasPrefix(n, "Labels rounded") }) {
			t.Errorf("seed chart %s in %s, labels rounded %v, notes %q, want them as published in USD million", c.ID, c.Unit, c.RoundLabels, c.Notes)
		}
	}
}

// TestLabelsFourSignificantDigits checks that rounded labels keep four
// significant digits of the chart's largest figure: none of a figure
// below 1 is taken for an integer digit (0.01235, where 0.0123 kept three
// and thousands of dollars drawn in billions were all labelled 0.0000),
// a largest figure that rounds up to a power of ten gains no digit
// (999.960 is labelled 1,000, not 1,000.0); and a figure that rounds to
// zero is labelled as less than the last digit kept (12 EUR thousand on a
// chart of EUR million to the unit is <1, where it read 0, as if none),
// and a negative one as more than its negative (>−0.01).
func TestLabelsFourSignificantDigits(t *testing.T) {
	t.Parallel()
	ds := loadSeed(t, "label_digits.csv")
	builtIn, russian := map[string]*charts.Chart{}, map[string]*charts.Chart{}
	for _, c := range charts.BuiltIn(ds, charts.English) {
		builtIn[c.ID] = c
	}
	for _, c := range charts.BuiltIn(ds, charts.Russian) {
		russian[c.ID] = c
	}
	spec, err := parseSpecFile(t, "billions_of_thousands.yaml")
	if err != nil {
		t.Fatal(err)
	}
	outs, err := spec.Outputs(ds)
	if err != nil {
		t.Fatal(err)
	}
	rounded := []string{"Labels rounded; the chart's data file gives the figures as published.",
		"Подписи округлены; в файле данных диаграммы цифры даны как опубликованы."}
	tests := []struct {
		name        string
		chart       *charts.Chart
		wantAlt     string // the end of the alt text
		wantRounded bool
	}{
		{name: "largest rounds up to 1,000", chart: builtIn["ita-kaz-trade"],
			wantAlt: "2021: Exports 1,000; 2022: Exports 500; 2023: Exports <1.", wantRounded: true},
		{name: "a figure that rounds to zero, in Russian", chart: russian["ita-kaz-trade"],
			wantAlt: "2021: Экспорт 1000; 2022: Экспорт 500; 2023: Экспорт <1.", wantRounded: true},
		{name: "a negative figure that rounds to zero", chart: builtIn["kaz-pol-balance"],
			wantAlt: "2022: Trade balance 10.00; 2023: Trade balance >\u22120.01.", wantRounded: true},
		{name: "a negative figure that rounds to zero, in Russian", chart: russian["kaz-pol-balance"],
			wantAlt: "2022: Сальдо торговли 10,00; 2023: Сальдо торговли >\u22120,01.", wantRounded: true},
		{name: "largest below 1", chart: builtIn["kaz-irl-trade"],
			wantAlt: "2022: Exports 0.01235, Imports 0.0310, Turnover 0.0433; 2023: Exports 0.0051, Imports 0.0005, Turnover 0.0056.", wantRounded: true},
		{name: "thousands in billions", chart: outs[0].Chart,
			wantAlt: "2022: Exports 0.0000042; 2023: Exports 0.0000310."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.chart == nil {
				t.Fatal("no chart")
			}
			if alt := charts.AltText(tc.chart); !strings.HasSuffix(alt, tc.wantAlt) {
				t.Errorf("alt text %q, want it to end %q", alt, tc.wantAlt)
			}
			if got := slices.ContainsFunc(tc.chart.Notes, func(n string) bool { return slices.Contains(rounded, n) }); got != tc.wantRounded {
				t.Errorf("notes %q, want the note on rounded labels %v", tc.chart.Notes, tc.wantRounded)
			}
		})
	}
}

// TestBuiltInRoundedWhereRescaled checks that only the charts drawn in a
// unit larger than their figures' have their labels rounded for it: a
// pair's FDI published in USD million, to six digits, is labelled as
// published (12.3456), where it was rounded to 12.35 with a note because
// the pair's trade, published in USD thousand, was drawn in USD million.
func TestBuiltInRoundedWhereRescaled(t *testing.T) {
	t.Parallel()
	rounded := "Labels rounded; the chart's data file gives the figures as published."
	tests := []struct {
		id          string
		wantAlt     string // the end of the alt text
		wantRounded bool
	}{
		{id: "kaz-arm-trade", wantAlt: "2023: Exports 33.30, Imports 19.81, Turnover 53.11.", wantRounded: true},
		{id: "kaz-arm-fdi", wantAlt: "2022: From Armenia into Kazakhstan 3.1234; 2023: From Armenia into Kazakhstan 12.3456."},
	}
	got := map[string]*charts.Chart{}
	for _, c := range charts.BuiltIn(loadSeed(t, "rescaled_trade.csv"), charts.English) {
		got[c.ID] = c
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			c := got[tc.id]
			if c == nil {
				t.Fatal("no chart")
			}
			if alt := charts.AltText(c); !strings.HasSuffix(alt, tc.wantAlt) || c.Unit != "USD million" {
				t.Errorf("alt text %q in %s, want it to end %q in USD million", alt, c.Unit, tc.wantAlt)
			}
			if r := slices.Contains(c.Notes, rounded); r != tc.wantRounded {
				t.Errorf("notes %q, want the note on rounded labels %v", c.Notes, tc.wantRounded)
			}
		})
	}
}
