package charts_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

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

func summarize(c *charts.Chart) summary {
	s := summary{ID: c.ID, Kind: string(c.Kind), Title: c.Title, Subtitle: c.Subtitle, Source: c.Source,
		Categories: c.Categories, Notes: c.Notes, Series: map[string][]float64{}}
	for _, ser := range c.Series {
		s.Series[ser.Name] = ser.Values
	}
	if c.Total != nil {
		s.Total = c.Total.Values
	}
	return s
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
			Series:     map[string][]float64{"Trade balance": {13.5, 0.9}},
		},
		{
			ID: "kaz-arm-fdi", Kind: "bar", Title: "Kazakhstan–Armenia direct investment",
			Subtitle: "Gross inflow by year (Armenia → Kazakhstan), USD million", Source: nbk,
			Categories: []string{"2022", "2023"},
			Notes: []string{
				"2005–2024 in total, Armenia → Kazakhstan: 20.6 USD million.",
				"2005–2024 in total, Kazakhstan → Armenia: 56.5 USD million.",
			},
			Series: map[string][]float64{"Armenia → Kazakhstan": {3, 6}},
		},
		{
			ID: "kaz-arm-fdi-total", Kind: "hbar", Title: "Kazakhstan–Armenia direct investment, 2005–2024",
			Subtitle: "Gross inflow in total, USD million", Source: nbk,
			Categories: []string{"Armenia → Kazakhstan", "Kazakhstan → Armenia"},
			Series:     map[string][]float64{"FDI inflow, gross": {20.6, 56.5}},
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
			Series:     map[string][]float64{"January–July 2023": {20.1, 11, 31.1}, "January–July 2024": {9.4, 8.5, 17.9}},
		}},
		{charts.Russian, summary{
			ID: "kaz-arm-ytd", Kind: "grouped", Title: "Казахстан — Армения: торговля, январь–июль 2024",
			Subtitle: "В сравнении с теми же месяцами годом ранее, млн долл. США", Source: "Bureau of National Statistics of Kazakhstan",
			Categories: []string{"Экспорт", "Импорт", "Товарооборот"},
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
		got[c.ID] = c.Notes
	}
	want := map[string][]string{
		"kaz-arm-trade":   {"Provisional figures: January–July 2024.", "Estimated figures: January–July 2024."},
		"kaz-arm-balance": {"Estimated figures: January–July 2024."},
		"kaz-arm-ytd":     {"Provisional figures: January–July 2024.", "Estimated figures: January–July 2024."},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("notes mismatch (-want +got):\n%s", diff)
	}
}
