package charts_test

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tradedesk/report/charts"
)

func valid() charts.Chart {
	return charts.Chart{
		ID: "x", Kind: charts.Bars, Title: "T", Unit: "USD million",
		Categories: []string{"2022", "2023"},
		Series:     []charts.Series{{Name: "FDI", Values: []float64{3, 6}}},
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		edit    func(c *charts.Chart)
		wantErr error
	}{
		{name: "valid", edit: func(*charts.Chart) {}},
		{name: "no id", edit: func(c *charts.Chart) { c.ID = "" }, wantErr: charts.ErrInvalidChart},
		{name: "unknown kind", edit: func(c *charts.Chart) { c.Kind = "pie" }, wantErr: charts.ErrUnknownKind},
		{name: "unknown lang", edit: func(c *charts.Chart) { c.Lang = "de" }, wantErr: charts.ErrUnknownLang},
		{name: "no title", edit: func(c *charts.Chart) { c.Title = " " }, wantErr: charts.ErrInvalidChart},
		{name: "no categories", edit: func(c *charts.Chart) { c.Categories = nil }, wantErr: charts.ErrInvalidChart},
		{name: "no series", edit: func(c *charts.Chart) { c.Series = nil }, wantErr: charts.ErrInvalidChart},
		{name: "short values", edit: func(c *charts.Chart) { c.Series[0].Values = []float64{1} }, wantErr: charts.ErrInvalidChart},
		{name: "short decimals", edit: func(c *charts.Chart) { c.Series[0].Decimals = []int{1} }, wantErr: charts.ErrInvalidChart},
		{name: "negative decimals", edit: func(c *charts.Chart) { c.Series[0].Decimals = []int{-1, 0} }, wantErr: charts.ErrInvalidChart},
		{name: "NaN", edit: func(c *charts.Chart) { c.Series[0].Values = []float64{math.NaN(), 1} }, wantErr: charts.ErrInvalidChart},
		{name: "NaN marked missing", edit: func(c *charts.Chart) {
			c.Series[0].Values = []float64{math.NaN(), 1}
			c.Series[0].Missing = []bool{true, false}
		}},
		{name: "barline of one series", edit: func(c *charts.Chart) { c.Kind = charts.BarLine }, wantErr: charts.ErrInvalidChart},
		{name: "line chart with a total", edit: func(c *charts.Chart) {
			c.Kind = charts.Lines
			c.Total = &charts.Series{Name: "Turnover", Values: []float64{1, 2}}
		}, wantErr: charts.ErrInvalidChart},
		{name: "short total", edit: func(c *charts.Chart) { c.Total = &charts.Series{Values: []float64{1}} }, wantErr: charts.ErrInvalidChart},
		{name: "short units not converted", edit: func(c *charts.Chart) { c.Series[0].Unconverted = []string{"KZT million"} }, wantErr: charts.ErrInvalidChart},
		{name: "labels rounded to 0 decimals", edit: func(c *charts.Chart) { c.RoundLabels = true }},
		{name: "labels rounded to too many decimals", edit: func(c *charts.Chart) {
			c.RoundLabels, c.LabelDecimals = true, charts.MaxDecimals+1
		}, wantErr: charts.ErrInvalidChart},
		{name: "labels rounded to negative decimals", edit: func(c *charts.Chart) {
			c.RoundLabels, c.LabelDecimals = true, -1
		}, wantErr: charts.ErrInvalidChart},
		{name: "negative label decimals not used", edit: func(c *charts.Chart) { c.LabelDecimals = -1 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			def := valid()
			tc.edit(&def)
			_, err := charts.New(def)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Errorf("New() error = %v, want %v", err, tc.wantErr)
			}
		})
	}
}

// TestNewCopies checks that New neither keeps nor changes the caller's
// slices.
func TestNewCopies(t *testing.T) {
	t.Parallel()
	def := valid()
	def.Notes = []string{"n"}
	def.Series[0].Decimals = []int{0, 0}
	def.Total = &charts.Series{Name: "Total", Values: []float64{3, 6}}
	before := valid()
	before.Notes = []string{"n"}
	before.Series[0].Decimals = []int{0, 0}
	before.Total = &charts.Series{Name: "Total", Values: []float64{3, 6}}

	c, err := charts.New(def)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, def); diff != "" {
		t.Errorf("New modified its argument (-want +got):\n%s", diff)
	}
	def.Categories[0] = "changed"
	def.Series[0].Values[0] = 99
	def.Notes[0] = "changed"
	def.Total.Values[0] = 99
	if c.Categories[0] != "2022" || c.Series[0].Values[0] != 3 || c.Notes[0] != "n" || c.Total.Values[0] != 3 {
		t.Errorf("New kept the caller's slices: %+v", c)
	}
	if c.Lang != charts.English {
		t.Errorf("New left Lang %q, want en", c.Lang)
	}
}

func TestParseKind(t *testing.T) {
	t.Parallel()
	for _, k := range charts.Kinds() {
		got, err := charts.ParseKind(" " + string(k) + " ")
		if err != nil || got != k {
			t.Errorf("ParseKind(%q) = %q, %v", k, got, err)
		}
	}
	if _, err := charts.ParseKind("pie"); !errors.Is(err, charts.ErrUnknownKind) {
		t.Errorf("ParseKind(pie) error = %v, want ErrUnknownKind", err)
	}
}
