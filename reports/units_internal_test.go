package reports

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tradedesk/report/stats"
)

// fig is a published figure of v with decimals d in unit.
func fig(v float64, d int, unit string) stats.Figure {
	return stats.Figure{Value: stats.NewValue(v, d), Unit: unit}
}

func TestInUnit(t *testing.T) {
	turnover := stats.Figure{Value: stats.NewValue(6.5, 0), Unit: "USD million", How: stats.ExportsPlusImports,
		Parts: []stats.Figure{fig(4.0, 1, "USD million"), fig(2500, 0, "USD thousand")}}
	tests := []struct {
		name   string
		fg     stats.Figure
		unit   string
		want   stats.Figure
		wantOK bool
	}{
		{name: "same unit", fg: fig(4.0, 1, "USD million"), unit: "USD million", want: fig(4.0, 1, "USD million"), wantOK: true},
		{name: "thousand into million", fg: fig(5000, 0, "USD thousand"), unit: "USD million", want: fig(5, 3, "USD million"), wantOK: true},
		{name: "thousand with decimals into billion", fg: fig(1234.5, 1, "thousand USD"), unit: "USD billion", want: fig(0.0012345, 7, "USD billion"), wantOK: true},
		// Exact, where dividing 6200.4 by 1000 gives 6.200399999999999.
		{name: "thousand into million exactly", fg: fig(6200.4, 1, "USD thousand"), unit: "USD million", want: fig(6.2004, 4, "USD million"), wantOK: true},
		{name: "another currency", fg: fig(4.0, 1, "EUR million"), unit: "USD million", want: fig(4.0, 1, "EUR million")},
		{name: "missing", fg: stats.Figure{}, unit: "USD million", want: stats.Figure{}, wantOK: true},
		// stats writes a sum with the fewest decimals of its terms as
		// written; counted in the unit, 2500 thousand has three.
		{name: "derived over units", fg: turnover, unit: "USD million",
			want: fig(6.5, 1, "USD million"), wantOK: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := inUnit(tc.fg, tc.unit)
			if ok != tc.wantOK {
				t.Fatalf("inUnit(%v, %q) ok = %v, want %v", tc.fg.Value, tc.unit, ok, tc.wantOK)
			}
			// The figure's value and unit; the rest is fg's.
			type shown struct {
				Value stats.Value
				Unit  string
			}
			if diff := cmp.Diff(shown{tc.want.Value, tc.want.Unit}, shown{got.Value, got.Unit}); diff != "" {
				t.Errorf("inUnit(%v, %q) mismatch (-want +got):\n%s", tc.fg.Value, tc.unit, diff)
			}
		})
	}
}

func TestRowUnits(t *testing.T) {
	tests := []struct {
		name string
		inds []string
		figs [][]stats.Figure
		want []string
	}{
		{name: "one unit", inds: []string{"exports", "imports"},
			figs: [][]stats.Figure{{fig(1, 1, "USD million")}, {fig(2, 1, "USD million")}},
			want: []string{"USD million", "USD million"}},
		{name: "the largest scale of the trade rows", inds: []string{"exports", "imports", "turnover"},
			figs: [][]stats.Figure{{fig(5000, 0, "USD thousand"), fig(4.0, 1, "USD million")}, {fig(3, 0, "USD thousand")}, {{}}},
			want: []string{"USD million", "USD million", ""}},
		{name: "another indicator keeps its own", inds: []string{"exports", "fdi_in_gross", "registered_entities"},
			figs: [][]stats.Figure{{fig(5000, 0, "USD thousand")}, {fig(1.5, 1, "USD billion")}, {fig(435, 0, "count")}},
			want: []string{"USD thousand", "USD billion", "count"}},
		{name: "the base of the last figure", inds: []string{"exports"},
			figs: [][]stats.Figure{{fig(4, 1, "EUR million"), fig(5, 1, "USD billion")}},
			want: []string{"USD billion"}},
		{name: "the scale of a part", inds: []string{"turnover"},
			figs: [][]stats.Figure{{{Value: stats.NewValue(8000, 0), Unit: "USD thousand", How: stats.ExportsPlusImports,
				Parts: []stats.Figure{fig(5000, 0, "USD thousand"), fig(3.0, 1, "USD million")}}}},
			want: []string{"USD million"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, rowUnits(tc.inds, tc.figs)); diff != "" {
				t.Errorf("rowUnits mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
