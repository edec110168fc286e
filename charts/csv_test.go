package charts_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tradedesk/report/charts"
)

func TestWriteCSV(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		def  charts.Chart
		want string
	}{
		{
			name: "trade with total",
			def:  *samples(t)[0],
			want: "category,Exports (USD million),Imports (USD million),Turnover (USD million)\n" +
				"2023,33.3,19.8,53.1\n" +
				"January–July 2024,9.4,8.5,17.9\n",
		},
		{
			name: "missing and decimals",
			def:  *samples(t)[4],
			want: "санат,Армения → Қазақстан (млн АҚШ доллары),Қазақстан → Армения (млн АҚШ доллары)\n" +
				"2020,1.2,2.5\n2021,,4.1\n2022,3,3.8\n2023,6,1\n",
		},
		{
			name: "formula injection escaped",
			def: charts.Chart{
				ID: "inj", Kind: charts.Bars, Title: "T", Unit: "USD million",
				Categories: []string{"=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tTab", "\rCR", "plain"},
				Series:     []charts.Series{{Name: "=cmd|' /C calc'!A0", Values: []float64{1, 2, -3, 4, 5, 6, 7}}},
			},
			want: "category,'=cmd|' /C calc'!A0 (USD million)\n" +
				"\"'=HYPERLINK(\"\"http://x\"\")\",1\n" +
				"'+1,2\n" +
				"'-2,-3\n" +
				"'@SUM(A1),4\n" +
				"'\tTab,5\n" +
				"\"'\rCR\",6\n" +
				"plain,7\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := charts.New(tc.def)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := charts.WriteCSV(&buf, c); err != nil {
				t.Fatal(err)
			}
			got := buf.String()
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("WriteCSV mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAltText(t *testing.T) {
	t.Parallel()
	cs := samples(t)
	tests := []struct {
		name string
		c    *charts.Chart
		want string
	}{
		{
			name: "grouped with total",
			c:    cs[0],
			want: "Grouped bar chart: Kazakhstan’s trade with Armenia, USD million (source: Bureau of National Statistics of Kazakhstan). " +
				"2023: Exports 33.3, Imports 19.8, Turnover 53.1; January–July 2024: Exports 9.4, Imports 8.5, Turnover 17.9.",
		},
		{
			name: "kazakh with a missing value",
			c:    cs[4],
			want: "Сызықтық график: Қазақстанға Армениядан келген тікелей инвестициялар, млн АҚШ доллары (дереккөз: Қазақстан Ұлттық Банкі). " +
				"2020: Армения → Қазақстан 1,2, Қазақстан → Армения 2,5; 2021: Армения → Қазақстан дерек жоқ, Қазақстан → Армения 4,1; " +
				"2022: Армения → Қазақстан 3, Қазақстан → Армения 3,8; 2023: Армения → Қазақстан 6, Қазақстан → Армения 1.",
		},
	}
	// A figure in another currency is there, and not drawn.
	for _, l := range []charts.Lang{charts.English, charts.Russian} {
		tests = append(tests, struct {
			name string
			c    *charts.Chart
			want string
		}{"a figure in another currency, " + string(l), charts.BuiltIn(loadSeed(t, "mixed_currencies.csv"), l)[0], map[charts.Lang]string{
			charts.English: "Grouped bar chart: Kazakhstan–Armenia trade, USD million (source: BNS). " +
				"2022: Exports 41.2, Imports not drawn (KZT million), Turnover no data; 2023: Exports 33.3, Imports 19.8, Turnover 53.1.",
			charts.Russian: "Сгруппированная столбчатая диаграмма: Казахстан — Армения: торговля, млн долл. США (источник: BNS). " +
				"2022: Экспорт 41,2, Импорт не показано (млн тенге), Товарооборот нет данных; 2023: Экспорт 33,3, Импорт 19,8, Товарооборот 53,1.",
		}[l]})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, charts.AltText(tc.c)); diff != "" {
				t.Errorf("AltText mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
