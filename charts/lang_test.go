package charts_test

import (
	"errors"
	"math"
	"testing"

	"github.com/tradedesk/report/charts"
)

func TestFormatNumber(t *testing.T) {
	t.Parallel()
	const nnbsp = "\u202f"
	tests := []struct {
		name     string
		x        float64
		decimals int
		lang     charts.Lang
		want     string
	}{
		{"integer", 6, 0, charts.English, "6"},
		{"published decimals", 33.3, 1, charts.English, "33.3"},
		{"trailing zero kept", 11.0, 1, charts.English, "11.0"},
		{"rounds to nearest", 2.26, 1, charts.English, "2.3"},
		{"thousands en", 1234.5, 1, charts.English, "1,234.5"},
		{"millions en", 1234567, 0, charts.English, "1,234,567"},
		{"negative en", -3.8, 1, charts.English, "\u22123.8"},
		{"negative zero", -0.04, 1, charts.English, "0.0"},
		{"decimal comma ru", 33.3, 1, charts.Russian, "33,3"},
		{"four digits ru not grouped", 1234.5, 1, charts.Russian, "1234,5"},
		{"thin space ru", 12345.5, 1, charts.Russian, "12" + nnbsp + "345,5"},
		{"thin space kk", 1234567.25, 2, charts.Kazakh, "1" + nnbsp + "234" + nnbsp + "567,25"},
		{"negative kk", -1500000, 0, charts.Kazakh, "\u22121" + nnbsp + "500" + nnbsp + "000"},
		{"NaN", math.NaN(), 1, charts.English, "–"},
		{"negative decimals", 5.4, -1, charts.English, "5"},
		{"fifteen significant digits at the most", 462597.8935, 12, charts.English, "462,597.893500000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := charts.FormatNumber(tc.x, tc.decimals, tc.lang); got != tc.want {
				t.Errorf("FormatNumber(%v, %d, %s) = %q, want %q", tc.x, tc.decimals, tc.lang, got, tc.want)
			}
		})
	}
}

func TestIndicatorName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id   string
		lang charts.Lang
		want string
	}{
		{"exports", charts.English, "Exports"},
		{"exports", charts.Russian, "Экспорт"},
		{"turnover", charts.Russian, "Товарооборот"},
		{"turnover", charts.Kazakh, "Тауар айналымы"},
		{"balance", charts.English, "Trade balance"},
		{"fdi_in_gross", charts.Kazakh, "Тікелей инвестициялардың жалпы кіріс ағыны"},
		{"registered_entities", charts.Russian, "Зарегистрированные юридические лица"},
		{"custom_indicator", charts.Russian, "custom_indicator"},
	}
	for _, tc := range tests {
		t.Run(tc.id+"/"+string(tc.lang), func(t *testing.T) {
			if got := tc.lang.IndicatorName(tc.id); got != tc.want {
				t.Errorf("%s.IndicatorName(%q) = %q, want %q", tc.lang, tc.id, got, tc.want)
			}
		})
	}
	for _, id := range []string{"exports", "imports", "turnover", "balance", "fdi_in_gross", "fdi_out_gross", "registered_entities"} {
		for _, l := range charts.Langs() {
			if l.IndicatorName(id) == id {
				t.Errorf("%s has no %s name", id, l)
			}
		}
	}
}

func TestUnitName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		unit string
		lang charts.Lang
		want string
	}{
		{"USD million", charts.Russian, "млн долл. США"},
		{"KZT billion", charts.Russian, "млрд тенге"},
		{"KZT billion", charts.Kazakh, "млрд теңге"},
		{"KZT billion", charts.English, "KZT billion"},
		{"thousand EUR", charts.Russian, "тыс. евро"},
		{"RUB mn", charts.Kazakh, "млн рубль"},
		{"RUB billion", charts.Russian, "млрд рублей"},
		{"count", charts.Russian, "количество"},
		{"KZT", charts.Russian, "тенге"},
		{"EUR", charts.Kazakh, "еуро"},
		{"EUR", charts.English, "EUR"},
		{"GBP million", charts.Russian, "GBP million"}, // a currency without words
		{"tonnes", charts.Kazakh, "tonnes"},
	}
	for _, tc := range tests {
		if got := tc.lang.UnitName(tc.unit); got != tc.want {
			t.Errorf("%s.UnitName(%q) = %q, want %q", tc.lang, tc.unit, got, tc.want)
		}
	}
}

func TestParseLang(t *testing.T) {
	t.Parallel()
	for _, l := range charts.Langs() {
		if got, err := charts.ParseLang(string(l)); err != nil || got != l {
			t.Errorf("ParseLang(%q) = %q, %v", l, got, err)
		}
	}
	if _, err := charts.ParseLang("de"); !errors.Is(err, charts.ErrUnknownLang) {
		t.Errorf("ParseLang(de) error = %v, want ErrUnknownLang", err)
	}
}

func TestParseSizeAndFormats(t *testing.T) {
	t.Parallel()
	for _, z := range charts.Sizes() {
		if got, err := charts.ParseSize(z.Name); err != nil || got != z {
			t.Errorf("ParseSize(%q) = %v, %v", z.Name, got, err)
		}
	}
	if _, err := charts.ParseSize("poster"); !errors.Is(err, charts.ErrUnknownSize) {
		t.Errorf("ParseSize(poster) error = %v, want ErrUnknownSize", err)
	}
	got, err := charts.ParseFormats("svg, png,svg")
	if err != nil || len(got) != 2 || got[0] != charts.SVG || got[1] != charts.PNG {
		t.Errorf("ParseFormats = %v, %v; want [svg png]", got, err)
	}
	if _, err := charts.ParseFormats("png,gif"); !errors.Is(err, charts.ErrUnknownFormat) {
		t.Errorf("ParseFormats(png,gif) error = %v, want ErrUnknownFormat", err)
	}
}
