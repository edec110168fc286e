package charts_test

import (
	"testing"

	"github.com/tradedesk/report/charts"
)

// samples returns charts of the seed figures, one per kind and language
// that the tests draw.
func samples(t testing.TB) []*charts.Chart {
	t.Helper()
	defs := []charts.Chart{
		{
			ID: "kaz-arm-trade", Kind: charts.Grouped,
			Title:      "Kazakhstan’s trade with Armenia",
			Subtitle:   "Exports and imports, USD million",
			Unit:       "USD million",
			Source:     "Bureau of National Statistics of Kazakhstan",
			Notes:      []string{"January–July 2024 against the full year 2023."},
			Categories: []string{"2023", "January–July 2024"},
			Series: []charts.Series{
				{Name: "Exports", Indicator: "exports", Values: []float64{33.3, 9.4}, Decimals: []int{1, 1}},
				{Name: "Imports", Indicator: "imports", Values: []float64{19.8, 8.5}, Decimals: []int{1, 1}},
			},
			Total: &charts.Series{Name: "Turnover", Indicator: "turnover", Values: []float64{53.1, 17.9}, Decimals: []int{1, 1}},
		},
		{
			ID: "kaz-arm-fdi", Kind: charts.Bars,
			Title:      "FDI from Armenia into Kazakhstan doubled in 2023",
			Subtitle:   "Gross inflow, USD million",
			Unit:       "USD million",
			Source:     "National Bank of Kazakhstan",
			Notes:      []string{"2005–2024 in total: 20.6 from Armenia into Kazakhstan, 56.5 from Kazakhstan into Armenia."},
			Categories: []string{"2022", "2023"},
			Series: []charts.Series{
				{Name: "FDI inflow, gross", Indicator: "fdi_in_gross", Values: []float64{3, 6}, Decimals: []int{0, 0}},
			},
		},
		{
			ID: "kaz-arm-fdi-total", Kind: charts.HorizontalBars,
			Title:      "Kazakhstan invested more in Armenia than the other way round",
			Subtitle:   "Gross FDI inflow 2005–2024, USD million",
			Unit:       "USD million",
			Source:     "National Bank of Kazakhstan",
			Categories: []string{"Kazakhstan into Armenia", "Armenia into Kazakhstan"},
			Series: []charts.Series{
				{Name: "FDI 2005–2024", Values: []float64{56.5, 20.6}, Decimals: []int{1, 1}},
			},
		},
		{
			ID: "kaz-arm-trade-stacked", Kind: charts.Stacked,
			Title:      "Товарооборот Казахстана и Армении",
			Subtitle:   "Экспорт и импорт, млн долл. США",
			Unit:       "USD million",
			Lang:       charts.Russian,
			Source:     "Бюро национальной статистики Казахстана",
			Categories: []string{"2023", "январь–июль 2024"},
			Series: []charts.Series{
				{Name: "Экспорт", Indicator: "exports", Values: []float64{33.3, 9.4}, Decimals: []int{1, 1}},
				{Name: "Импорт", Indicator: "imports", Values: []float64{19.8, 8.5}, Decimals: []int{1, 1}},
			},
			Total: &charts.Series{Name: "Товарооборот", Values: []float64{53.1, 17.9}, Decimals: []int{1, 1}},
		},
		{
			ID: "kaz-arm-fdi-line", Kind: charts.Lines,
			Title:      "Қазақстанға Армениядан келген тікелей инвестициялар",
			Subtitle:   "Жалпы кіріс ағыны, млн АҚШ доллары",
			Unit:       "USD million",
			Lang:       charts.Kazakh,
			Source:     "Қазақстан Ұлттық Банкі",
			Categories: []string{"2020", "2021", "2022", "2023"},
			Series: []charts.Series{
				{Name: "Армения → Қазақстан", Indicator: "fdi_in_gross", Values: []float64{1.2, 0, 3, 6}, Decimals: []int{1, 0, 0, 0}, Missing: []bool{false, true, false, false}},
				{Name: "Қазақстан → Армения", Indicator: "fdi_out_gross", Values: []float64{2.5, 4.1, 3.8, 1}, Decimals: []int{1, 1, 1, 0}},
			},
		},
		{
			ID: "kaz-arm-barline", Kind: charts.BarLine,
			Title:      "Trade with Armenia and the balance",
			Subtitle:   "USD million",
			Unit:       "USD million",
			Source:     "Bureau of National Statistics of Kazakhstan",
			Categories: []string{"2021", "2022", "2023"},
			Series: []charts.Series{
				{Name: "Exports", Indicator: "exports", Values: []float64{21.4, 28.9, 33.3}, Decimals: []int{1, 1, 1}},
				{Name: "Imports", Indicator: "imports", Values: []float64{25.2, 17.6, 19.8}, Decimals: []int{1, 1, 1}},
				{Name: "Balance", Indicator: "balance", Values: []float64{-3.8, 11.3, 13.5}, Decimals: []int{1, 1, 1}},
			},
		},
	}
	out := make([]*charts.Chart, len(defs))
	for i, d := range defs {
		c, err := charts.New(d)
		if err != nil {
			t.Fatalf("New(%s): %v", d.ID, err)
		}
		out[i] = c
	}
	return out
}
