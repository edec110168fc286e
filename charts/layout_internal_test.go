package charts

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"

	"github.com/tradedesk/report/stats"
)

// kazakhTitle holds every letter of the Kazakh alphabet that Russian lacks.
const kazakhTitle = "Қазақстан мен Армения: Ә Ғ Қ Ң Ө Ұ Ү Һ І ә ғ қ ң ө ұ ү һ і"

// TestFontCoverage checks that the faces a chart is set in have a glyph for
// every letter of a Kazakh title, of the number formats and of the layout.
func TestFontCoverage(t *testing.T) {
	t.Parallel()
	st := DefaultTheme().styles(Article)
	text := kazakhTitle + " Товарооборот 1\u202f234,5 \u2212 – — → ’ «»"
	for name, f := range map[string]draw.TextStyle{"title": st.title, "subtitle": st.subtitle, "label": st.label, "total": st.total} {
		t.Run(name, func(t *testing.T) {
			face := fonts().Lookup(f.Font, f.Font.Size)
			var buf sfnt.Buffer
			for _, r := range text {
				i, err := face.Face.GlyphIndex(&buf, r)
				if err != nil || i == 0 {
					t.Errorf("font %s has no glyph for %q (%U)", face.Name(), r, r)
				}
			}
		})
	}
}

// categoryYears returns n categories, the years from 2000.
func categoryYears(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint(2000 + i)
	}
	return out
}

// sameDecimals returns n values' decimals, d each.
func sameDecimals(n, d int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = d
	}
	return out
}

// TestLabelsDoNotOverlap draws charts whose labels crowd each other, and
// charts with room for every label, and checks that no two labels (or a
// label and a line marker) overlap, that no label covers a bar unless
// drawn on a background of its own, and then not its end, and that all
// labels stay within the plot area: the data canvas, whose top is the
// last tick of the value axis, so that no label stands on or above the top
// gridline. Where there is room, every label must be drawn, so that the
// checks are not met by leaving labels out.
func TestLabelsDoNotOverlap(t *testing.T) {
	t.Parallel()
	vals := func(n int, f func(i int) float64) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	roomy := map[string]bool{"fdi": true, "trade-total": true, "balance-negative": true, "hbars-few": true, "lines-few": true, "stacked-total": true, "stacked-missing": true, "barline-few": true}
	tests := []Chart{
		{
			ID: "fdi", Kind: Bars, Title: "FDI", Unit: "USD million",
			Categories: []string{"2022", "2023"},
			Series:     []Series{{Name: "From Armenia into Kazakhstan", Values: []float64{3, 6}}},
		},
		{
			ID: "trade-total", Kind: Grouped, Title: "Trade", Unit: "USD million",
			Categories: []string{"2023", "January–July 2024"},
			Series: []Series{
				{Name: "Exports", Indicator: "exports", Values: []float64{33.3, 9.4}, Decimals: []int{1, 1}},
				{Name: "Imports", Indicator: "imports", Values: []float64{19.8, 8.5}, Decimals: []int{1, 1}},
			},
			Total: &Series{Name: "Turnover", Values: []float64{53.1, 17.9}, Decimals: []int{1, 1}},
		},
		{
			ID: "balance-negative", Kind: Bars, Title: "Balance", Unit: "USD million",
			Categories: categoryYears(4),
			Series:     []Series{{Name: "Balance", Values: []float64{-40, 13.5, -2, 0.9}, Decimals: sameDecimals(4, 1)}},
		},
		{
			ID: "hbars-few", Kind: HorizontalBars, Title: "Totals", Unit: "USD million",
			Categories: []string{"From Armenia into Kazakhstan", "From Kazakhstan into Armenia"},
			Series:     []Series{{Name: "Gross inflow", Values: []float64{20.6, 56.5}, Decimals: sameDecimals(2, 1)}},
		},
		{
			ID: "lines-few", Kind: Lines, Title: "Lines", Unit: "USD million",
			Categories: categoryYears(4),
			Series:     []Series{{Name: "A", Values: []float64{1, 4, 2, 5}}, {Name: "B", Values: []float64{3, 0.5, 4.5, 2}, Decimals: sameDecimals(4, 1)}},
		},
		{
			ID: "stacked-total", Kind: Stacked, Title: "Stacked", Unit: "USD million",
			Categories: categoryYears(3),
			Series:     []Series{{Name: "A", Values: []float64{10, 20, 30}}, {Name: "B", Values: []float64{5, 5, 5}}},
			Total:      &Series{Name: "Sum", Values: []float64{15, 25, 35}},
		},
		{
			ID: "stacked-missing", Kind: Stacked, Title: "Stacked", Unit: "USD million",
			Categories: categoryYears(3),
			Series:     []Series{{Name: "A", Values: []float64{10, 20, 30}}, {Name: "B", Values: []float64{5, 5, 5}, Missing: []bool{false, true, false}}},
			Total:      &Series{Name: "Sum", Values: []float64{15, 25, 35}, Missing: []bool{false, true, false}},
		},
		{
			ID: "barline-few", Kind: BarLine, Title: "Bars and a line", Unit: "USD million",
			Categories: categoryYears(3),
			Series:     []Series{{Name: "Exports", Values: []float64{30, 35, 40}}, {Name: "Balance", Values: []float64{10, 12, 20}}},
		},
		{
			ID: "crowded-grouped", Kind: Grouped, Title: "Crowded", Unit: "USD million",
			Categories: categoryYears(12),
			Series: []Series{
				{Name: "Exports", Indicator: "exports", Values: vals(12, func(i int) float64 { return 12345.678 + float64(i) }), Decimals: sameDecimals(12, 3)},
				{Name: "Imports", Indicator: "imports", Values: vals(12, func(i int) float64 { return 12340.5 - float64(i) }), Decimals: sameDecimals(12, 1)},
				{Name: "Balance", Indicator: "balance", Values: vals(12, func(i int) float64 { return 5.178 + float64(i) }), Decimals: sameDecimals(12, 3)},
			},
			Total: &Series{Name: "Turnover", Values: vals(12, func(i int) float64 { return 24686.178 }), Decimals: sameDecimals(12, 3)},
		},
		{
			ID: "negative-bars", Kind: Bars, Title: "Balance", Unit: "USD million",
			Categories: categoryYears(6),
			Series:     []Series{{Name: "Balance", Values: vals(6, func(i int) float64 { return float64(i*i) - 12.5 }), Decimals: sameDecimals(6, 1)}},
		},
		{
			ID: "close-lines", Kind: Lines, Title: "Close lines", Unit: "USD million",
			Categories: categoryYears(10),
			Series: []Series{
				{Name: "A", Values: vals(10, func(i int) float64 { return 10 + float64(i%3) }), Decimals: sameDecimals(10, 1)},
				{Name: "B", Values: vals(10, func(i int) float64 { return 10.2 + float64(i%3) }), Decimals: sameDecimals(10, 1)},
			},
		},
		{
			ID: "barline", Kind: BarLine, Title: "Bars and a line", Unit: "USD million",
			Categories: categoryYears(5),
			Series: []Series{
				{Name: "Exports", Values: vals(5, func(i int) float64 { return 30 + float64(i) }), Decimals: sameDecimals(5, 1)},
				{Name: "Imports", Values: vals(5, func(i int) float64 { return 20 - float64(i) }), Decimals: sameDecimals(5, 1)},
				{Name: "Balance", Values: vals(5, func(i int) float64 { return 10 + 2*float64(i) }), Decimals: sameDecimals(5, 1)},
			},
		},
		{
			// Armenia's exports to and imports from Kazakhstan: the line
			// of imports rises through the label of the exports of 2022,
			// whose dot printed over a digit ("18 682,●30821").
			ID: "barline-crossing", Kind: BarLine, Title: "Exports and imports", Unit: "USD thousand",
			Categories: categoryYears(6),
			Series: []Series{
				{Name: "Exports", Values: []float64{5401.6300354, 6606.7078862, 11012.3792315, 18682.430821, 79845.754634, 54122.359729}, Decimals: []int{7, 7, 7, 6, 6, 6}},
				{Name: "Imports", Values: []float64{2922.58782, 5725.8869, 7795.59333, 23593.20106, 30283.93737, 29999.35428}, Decimals: sameDecimals(6, 5)},
			},
		},
		{
			ID: "hbars", Kind: HorizontalBars, Title: "Horizontal", Unit: "USD million",
			Categories: categoryYears(15),
			Series:     []Series{{Name: "FDI", Values: vals(15, func(i int) float64 { return float64(i) * 3.25 }), Decimals: sameDecimals(15, 2)}},
		},
	}
	for _, def := range tests {
		t.Run(def.ID, func(t *testing.T) {
			c, err := New(def)
			if err != nil {
				t.Fatal(err)
			}
			for _, z := range Sizes() {
				rec := &recorder.Canvas{}
				dc := draw.NewCanvas(rec, z.Width, z.Height)
				pl := draw1(dc, c, DefaultTheme(), z, false)
				if roomy[def.ID] && pl.dropped > 0 {
					t.Errorf("%s: %d labels left out of a chart with room for all", z.Name, pl.dropped)
				}
				if roomy[def.ID] && len(pl.taken) == 0 {
					t.Errorf("%s: no label drawn", z.Name)
				}
				for i, a := range pl.taken {
					if !within(a, pl.bounds) {
						t.Errorf("%s: label %d %v outside the plot %v", z.Name, i, a, pl.bounds)
					}
					for j, b := range pl.taken[i+1:] {
						if overlaps(a, b) {
							t.Errorf("%s: labels %d and %d overlap: %v and %v", z.Name, i, i+1+j, a, b)
						}
					}
					for j, m := range pl.marks {
						if overlaps(a, m) {
							t.Errorf("%s: label %d covers line marker %d: %v and %v", z.Name, i, j, a, m)
						}
					}
					// A label over an upright bar would make it seem to
					// end at the label.
					for j, b := range pl.bars {
						if def.Kind != HorizontalBars && overlaps(a, b) && (a.Min.Y < b.Max.Y && a.Max.Y > b.Max.Y || a.Min.Y < b.Min.Y && a.Max.Y > b.Min.Y) {
							t.Errorf("%s: label %d covers the end of bar %d: %v and %v", z.Name, i, j, a, b)
						}
					}
				}
			}
		})
	}
}

// TestBarLabelsStayByTheirBars checks that the label of a bar whose place
// a line's marker takes is left out rather than moved above the marker,
// where it would read as the line's value, and that the line's label is
// drawn.
func TestBarLabelsStayByTheirBars(t *testing.T) {
	t.Parallel()
	c, err := New(Chart{
		ID: "barline", Kind: BarLine, Title: "Exports and imports", Unit: "USD thousand",
		Categories: categoryYears(3),
		Series: []Series{
			{Name: "Exports", Values: []float64{11012.3792315, 18682.430821, 79845.754634}, Decimals: []int{7, 6, 6}},
			{Name: "Imports", Values: []float64{7795.59333, 23593.20106, 30283.93737}, Decimals: sameDecimals(3, 5)},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, z := range Sizes() {
		rec := &recorder.Canvas{}
		pl := draw1(draw.NewCanvas(rec, z.Width, z.Height), c, DefaultTheme(), z, false)
		bar, mark := pl.bars[1], pl.marks[1]
		for _, a := range rec.Actions {
			fs, ok := a.(*recorder.FillString)
			if !ok {
				continue
			}
			if fs.String == "18,682.430821" && fs.Point.Y > mark.Max.Y && bar.Max.Y < mark.Min.Y {
				t.Errorf("%s: the label of the bar ending at %.1f is drawn at %.1f, above the marker at %.1f", z.Name, bar.Max.Y, fs.Point.Y, mark.Min.Y)
			}
		}
		if got := countDrawn(drawnStrings(c, z), "23,593.20106"); got != 1 {
			t.Errorf("%s: the line's label drawn %d times, want 1", z.Name, got)
		}
	}
}

// TestHorizontalSeriesOrder checks that the series of a category of
// horizontal bars stand from top to bottom in the order of the legend, as
// the categories do, where the first series was at the bottom.
func TestHorizontalSeriesOrder(t *testing.T) {
	t.Parallel()
	c, err := New(Chart{
		ID: "hbar", Kind: HorizontalBars, Title: "Exports, 2024", Unit: "USD thousand",
		Categories: categoryYears(2),
		Series: []Series{
			{Name: "Russia", Values: []float64{3161991.8, 3000000}, Decimals: sameDecimals(2, 1)},
			{Name: "China", Values: []float64{1097509.4, 1000000}, Decimals: sameDecimals(2, 1)},
			{Name: "Kazakhstan", Values: []float64{54122.4, 50000}, Decimals: sameDecimals(2, 1)},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, z := range Sizes() {
		pl := draw1(draw.NewCanvas(&recorder.Canvas{}, z.Width, z.Height), c, DefaultTheme(), z, false)
		// Bars come category by category, series by series; y grows
		// upwards.
		if len(pl.bars) != 6 {
			t.Fatalf("%s: %d bars, want 6", z.Name, len(pl.bars))
		}
		for i := 1; i < len(pl.bars); i++ {
			if a, b := pl.bars[i-1], pl.bars[i]; b.Max.Y > a.Min.Y {
				t.Errorf("%s: bar %d (top %.1f) is not below bar %d (bottom %.1f)", z.Name, i, b.Max.Y, i-1, a.Min.Y)
			}
		}
	}
}

func within(r, b vg.Rectangle) bool {
	return r.Min.X >= b.Min.X-slack && r.Max.X <= b.Max.X+slack && r.Min.Y >= b.Min.Y-slack && r.Max.Y <= b.Max.Y+slack
}

func TestNiceTicks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		lo, hi   float64
		lang     Lang
		want     []string
		wantLast float64
	}{
		{"trade", 0, 33.3, English, []string{"0", "10", "20", "30", "40"}, 40},
		{"fdi", 0, 6, English, []string{"0", "2", "4", "6"}, 6},
		{"balance", -3.8, 13.5, English, []string{"\u22125", "0", "5", "10", "15"}, 15},
		{"thousands ru", 0, 12345, Russian, []string{"0", "2500", "5000", "7500", "10\u202f000", "12\u202f500"}, 12500},
		{"small", 0, 0.9, English, []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}, 1},
		{"all zero", 0, 0, English, []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}, 1},
		{"denormal span", 0, 5e-324, English, []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}, 1},
		// Steps of 2.5 × 10ⁿ below 10 need a decimal more than their
		// first digit's.
		{"quarters", 0, 1.1, English, []string{"0.00", "0.25", "0.50", "0.75", "1.00", "1.25"}, 1.25},
		{"tiny quarters", 0, 0.00012, English, []string{"0.000000", "0.000025", "0.000050", "0.000075", "0.000100", "0.000125"}, 0.000125},
		{"two and a half", 0, 12, English, []string{"0.0", "2.5", "5.0", "7.5", "10.0", "12.5"}, 12.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ticks := niceTicks(tc.lo, tc.hi, tc.lang)
			var got []string
			for _, tk := range ticks {
				got = append(got, tk.Label)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) || ticks[len(ticks)-1].Value != tc.wantLast {
				t.Errorf("niceTicks(%v, %v) = %q ending at %v, want %q ending at %v", tc.lo, tc.hi, got, ticks[len(ticks)-1].Value, tc.want, tc.wantLast)
			}
		})
	}
	// Every label reads as its tick's value.
	rng := rand.New(rand.NewPCG(5, 5))
	for range 20000 {
		scale := math.Pow(10, float64(rng.IntN(16)-8))
		lo, hi := (rng.Float64()-0.3)*scale, (rng.Float64()+0.2)*scale*float64(1+rng.IntN(9))
		for _, tk := range niceTicks(min(lo, hi), max(lo, hi), English) {
			text := strings.ReplaceAll(strings.ReplaceAll(tk.Label, ",", ""), "\u2212", "-")
			v, err := strconv.ParseFloat(text, 64)
			if err != nil || math.Abs(v-tk.Value) > 1e-9*math.Max(math.Abs(tk.Value), scale) {
				t.Fatalf("niceTicks(%v, %v): tick %v labelled %q", lo, hi, tk.Value, tk.Label)
			}
		}
	}
	for _, r := range [][2]float64{{-1e15, 1e15}, {1e15 - 1, 1e15}, {-5e-324, 0}, {1e-300, 2e-300}} {
		if n := len(niceTicks(r[0], r[1], English)); n < 2 || n > maxTicks {
			t.Errorf("niceTicks(%v, %v) gives %d ticks", r[0], r[1], n)
		}
	}
}

// TestKazakhTitleGlyphs renders a chart with a Kazakh title and checks that
// the font of every string drawn has a glyph for each of its letters.
func TestKazakhTitleGlyphs(t *testing.T) {
	t.Parallel()
	c, err := New(Chart{
		ID: "kk", Kind: Grouped, Lang: Kazakh, Title: kazakhTitle,
		Subtitle: "Экспорт және импорт, млн АҚШ доллары", Unit: "USD million",
		Source:     "Қазақстан Республикасы Ұлттық статистика бюросы",
		Categories: []string{"2023", "Қаңтар–шілде 2024"},
		Series: []Series{
			{Name: "Экспорт", Indicator: "exports", Values: []float64{33.3, 9.4}, Decimals: []int{1, 1}},
			{Name: "Импорт", Indicator: "imports", Values: []float64{19.8, 8.5}, Decimals: []int{1, 1}},
		},
		Total: &Series{Name: "Тауар айналымы", Values: []float64{53.1, 17.9}, Decimals: []int{1, 1}},
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder.Canvas{}
	draw1(draw.NewCanvas(rec, Article.Width, Article.Height), c, DefaultTheme(), Article, false)
	var drawn strings.Builder
	var buf sfnt.Buffer
	for _, a := range rec.Actions {
		fs, ok := a.(*recorder.FillString)
		if !ok {
			continue
		}
		drawn.WriteString(fs.String + "\n")
		face := fonts().Lookup(fs.Font, fs.Size)
		for _, r := range fs.String {
			if i, err := face.Face.GlyphIndex(&buf, r); err != nil || i == 0 {
				t.Errorf("%q is drawn in %s, which has no glyph for %q", fs.String, face.Name(), r)
			}
		}
	}
	for _, want := range []string{kazakhTitle, "Тауар айналымы: 53,1", "Қаңтар–шілде 2024"} {
		if !strings.Contains(drawn.String(), want) {
			t.Errorf("%q was not drawn; drawn:\n%s", want, drawn.String())
		}
	}
}

// TestGroupNames checks that every partner group the data may name has a
// name in each language, where a Russian title read "Казахстан — CIS".
func TestGroupNames(t *testing.T) {
	t.Parallel()
	for code := range stats.Aggregates {
		for _, l := range []Lang{English, Russian, Kazakh} {
			name := CountryName(code, l)
			if name == code && l != English || name == "" {
				t.Errorf("CountryName(%s, %s) = %q, want a name", code, l, name)
			}
			if l != English && strings.ContainsAny(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
				t.Errorf("CountryName(%s, %s) = %q, in Latin letters", code, l, name)
			}
		}
	}
	if got := CountryName("CIS", Russian); got != "СНГ" {
		t.Errorf("CountryName(CIS, ru) = %q, want СНГ", got)
	}
}

func TestDirectionWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from, into string
		lang       Lang
		want       string
	}{
		{"ARM", "KAZ", English, "from Armenia into Kazakhstan"},
		{"USA", "KAZ", English, "from the United States into Kazakhstan"},
		{"KAZ", "NLD", English, "from Kazakhstan into the Netherlands"},
		{"ARM", "KAZ", Russian, "из Армении в Казахстан"},
		{"KAZ", "ARM", Russian, "из Казахстана в Армению"},
		{"CHN", "RUS", Russian, "из Китая в Россию"},
		{"KAZ", "FRA", Russian, "из Казахстана во Францию"},
		{"POL", "UKR", Russian, "из Польши в Украину"},
		{"UKR", "KAZ", Russian, "из Украины в Казахстан"},
		{"USA", "KAZ", Russian, "Соединенные Штаты → Казахстан"},
		{"ARE", "KAZ", Russian, "ОАЭ → Казахстан"},
		{"ARM", "KAZ", Kazakh, "Армениядан Қазақстанға"},
		{"KAZ", "ARM", Kazakh, "Қазақстаннан Арменияға"},
		{"RUS", "CHN", Kazakh, "Ресейден Қытайға"},
		{"USA", "KAZ", Kazakh, "Америка Құрама Штаттарынан Қазақстанға"},
		{"KAZ", "USA", Kazakh, "Қазақстаннан Америка Құрама Штаттарына"},
		{"KAZ", "NLD", Kazakh, "Қазақстан → Нидерланд"},
		{"WLD", "KAZ", English, "World → Kazakhstan"},
		// Partner groups, by their names; an abbreviation declines by
		// its letters' names, which the rules here do not know.
		{"CIS", "KAZ", English, "from the CIS into Kazakhstan"},
		{"KAZ", "EA20", English, "from Kazakhstan into the euro area"},
		{"EAEU", "KAZ", Russian, "ЕАЭС → Казахстан"},
		{"KAZ", "EUU", Russian, "Казахстан → ЕС"},
		{"CIS", "KAZ", Kazakh, "ТМД → Қазақстан"},
		{"KAZ", "EU27", Kazakh, "Қазақстан → ЕО-27"},
	}
	for _, tc := range tests {
		t.Run(tc.from+"-"+tc.into+"/"+string(tc.lang), func(t *testing.T) {
			if got := directionWords(tc.from, tc.into, tc.lang); got != tc.want {
				t.Errorf("directionWords(%s, %s, %s) = %q, want %q", tc.from, tc.into, tc.lang, got, tc.want)
			}
		})
	}
}

// drawnStrings returns the strings drawn on a page of size z for c.
func drawnStrings(c *Chart, z Size) []string {
	rec := &recorder.Canvas{}
	draw1(draw.NewCanvas(rec, z.Width, z.Height), c, DefaultTheme(), z, false)
	var out []string
	for _, a := range rec.Actions {
		if fs, ok := a.(*recorder.FillString); ok {
			out = append(out, fs.String)
		}
	}
	return out
}

// countDrawn returns how many of drawn are s.
func countDrawn(drawn []string, s string) int {
	n := 0
	for _, d := range drawn {
		if d == s {
			n++
		}
	}
	return n
}

// TestTotalWordsAndMissingMarks checks that a chart whose categories are
// too narrow for the labels of its total shows neither them nor the words
// about them, where the subtitle said "with turnover" and a note told how
// the turnover was computed over a chart without it; and that a missing
// value is marked "–" when the values' labels are left out, where it was
// left as blank as a zero.
func TestTotalWordsAndMissingMarks(t *testing.T) {
	t.Parallel()
	words := Chart{
		Kind: Grouped, Title: "Trade", Unit: "USD million",
		Subtitle: "Exports and imports", TotalSubtitle: "Exports and imports, with turnover",
		TotalNotes: []string{"Turnover computed as exports plus imports."},
	}
	tests := []struct {
		name      string
		exports   []float64
		missing   []bool
		imports   []float64
		wantShown bool // the total's labels and words
		wantDash  int  // the marks of missing values
	}{
		{"roomy", []float64{33.3, 0}, []bool{false, true}, []float64{19.8, 8.5}, true, 1},
		{"crowded", []float64{5115.4, 1551.8, 0, 5428.6, 5156.8, 6505.9, 16914.0, 13203.6},
			[]bool{false, false, true, false, false, false, false, false},
			[]float64{9020.2, 5212.1, 10420.4, 0, 9732.5, 1408.3, 11572.6, 4532.2}, false, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := len(tc.exports)
			def := words
			def.ID, def.Categories = tc.name, categoryYears(n)
			def.Series = []Series{
				{Name: "Exports", Indicator: "exports", Values: tc.exports, Decimals: sameDecimals(n, 1), Missing: tc.missing},
				{Name: "Imports", Indicator: "imports", Values: tc.imports, Decimals: sameDecimals(n, 1)},
			}
			total := Series{Name: "Turnover", Values: make([]float64, n), Decimals: sameDecimals(n, 1), Missing: tc.missing}
			for i := range total.Values {
				total.Values[i] = tc.exports[i] + tc.imports[i]
			}
			def.Total = &total
			c, err := New(def)
			if err != nil {
				t.Fatal(err)
			}
			for _, z := range Sizes() {
				drawn := drawnStrings(c, z)
				labels := 0
				for _, s := range drawn {
					if strings.HasPrefix(s, "Turnover: ") {
						labels++
					}
				}
				dashes := countDrawn(drawn, "–")
				shown := map[string]bool{}
				for _, want := range []string{words.Subtitle, words.TotalSubtitle, words.TotalNotes[0]} {
					shown[want] = slices.Contains(drawn, want)
				}
				want := map[string]bool{words.Subtitle: !tc.wantShown, words.TotalSubtitle: tc.wantShown, words.TotalNotes[0]: tc.wantShown}
				if diff := cmp.Diff(want, shown); diff != "" {
					t.Errorf("%s: words shown mismatch (-want +got):\n%s", z.Name, diff)
				}
				if (labels > 0) != tc.wantShown {
					t.Errorf("%s: %d labels of the total drawn, want them drawn: %v", z.Name, labels, tc.wantShown)
				}
				if dashes != tc.wantDash {
					t.Errorf("%s: %d marks of missing values drawn, want %d", z.Name, dashes, tc.wantDash)
				}
			}
		})
	}
}

// TestStackedMissing checks that a stack with a missing part is marked –
// above it, once however many parts it lacks, and that a note names the
// parts, where the stack was only shorter and read as a fall.
func TestStackedMissing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		lang      Lang
		exports   []bool // missing
		imports   []bool // missing
		wantDash  int
		wantNote  string
		wantNotes int
	}{
		{"none", English, []bool{false, false, false}, []bool{false, false, false}, 0, "", 0},
		{"one", English, []bool{false, false, false}, []bool{false, true, false}, 1, "No data (–): Imports, 2001.", 1},
		{"both of a stack", Russian, []bool{false, true, false}, []bool{false, true, true}, 2, "Нет данных (–): Exports, 2001; Imports, 2001; Imports, 2002.", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(Chart{
				ID: "stacked", Kind: Stacked, Lang: tc.lang, Title: "Trade", Unit: "USD million",
				Categories: categoryYears(3),
				Series: []Series{
					{Name: "Exports", Indicator: "exports", Values: []float64{30, 33.3, 35}, Decimals: sameDecimals(3, 1), Missing: tc.exports},
					{Name: "Imports", Indicator: "imports", Values: []float64{20, 21, 22}, Decimals: sameDecimals(3, 1), Missing: tc.imports},
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, z := range Sizes() {
				drawn := drawnStrings(c, z)
				dashes, notes := countDrawn(drawn, "–"), countDrawn(drawn, tc.wantNote)
				if dashes != tc.wantDash || notes != tc.wantNotes {
					t.Errorf("%s: %d marks and %d notes %q drawn, want %d and %d; drawn: %q", z.Name, dashes, notes, tc.wantNote, tc.wantDash, tc.wantNotes, drawn)
				}
			}
		})
	}
}

// TestMissingBarsNoted checks that a chart of bars that marks a missing
// value – notes what the mark means, as a stacked one does, and that a
// chart of lines, whose gap speaks for itself, does not.
func TestMissingBarsNoted(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		kind Kind
		want int
	}{{Grouped, 1}, {Bars, 1}, {HorizontalBars, 1}, {Lines, 0}} {
		series := []Series{{Name: "Exports", Indicator: "exports", Values: []float64{30, 0, 35}, Decimals: sameDecimals(3, 1), Missing: []bool{false, true, false}}}
		if tc.kind == Grouped {
			series = append(series, Series{Name: "Imports", Indicator: "imports", Values: []float64{20, 21, 22}, Decimals: sameDecimals(3, 1)})
		}
		c, err := New(Chart{ID: "missing", Kind: tc.kind, Title: "Trade", Unit: "USD million", Categories: categoryYears(3), Series: series})
		if err != nil {
			t.Fatal(err)
		}
		const note = "No data (–): Exports, 2001."
		if got := countDrawn(drawnStrings(c, Article), note); got != tc.want {
			t.Errorf("%s: the note %q drawn %d times, want %d", tc.kind, note, got, tc.want)
		}
	}
}

// TestUnconvertedNotNoData checks that a value a built-in chart leaves out
// because its figure is in another currency is named by the note that
// says so alone, where the note on missing values also called it "no
// data"; a value missing for want of a figure is noted as before.
func TestUnconvertedNotNoData(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file, id string
		lang     Lang
		want     []string // the notes on values not drawn, sorted
	}{
		{"mixed_currencies.csv", "kaz-arm-trade", English, []string{
			"Figures published in another unit, not drawn: Imports, 2022 (KZT million).",
			"Figures published in another unit, not drawn: Turnover, 2023 (KZT billion).",
		}},
		{"mixed_currencies.csv", "kaz-arm-trade", Russian, []string{
			"Опубликованные в другой единице данные не показаны: Импорт, 2022 (млн тенге).",
			"Опубликованные в другой единице данные не показаны: Товарооборот, 2023 (млрд тенге).",
		}},
		{"mixed_currencies.csv", "kaz-arm-trade", Kazakh, []string{
			"Басқа бірлікте жарияланған деректер көрсетілмеген: Импорт, 2022 (млн теңге).",
			"Басқа бірлікте жарияланған деректер көрсетілмеген: Тауар айналымы, 2023 (млрд теңге).",
		}},
		{"mixed_scales.csv", "kaz-arm-fdi", English, []string{"No data (–): From Kazakhstan into Armenia, 2022."}},
	}
	for _, tc := range tests {
		t.Run(tc.file+"/"+tc.id+"/"+string(tc.lang), func(t *testing.T) {
			ds, err := stats.LoadFile(filepath.Join("testdata", tc.file), stats.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(BuiltIn(ds, tc.lang), func(c *Chart) bool { return c.ID == tc.id })
			if i < 0 {
				t.Fatalf("BuiltIn(%s) has no chart %s", tc.file, tc.id)
			}
			c := BuiltIn(ds, tc.lang)[i]
			noData, _, _ := strings.Cut(missingNotes[tc.lang.index()], "%s")
			notDrawn, _, _ := strings.Cut(unlikeNotes[tc.lang.index()], "%s")
			var got []string
			for _, s := range drawnStrings(c, Article) {
				if strings.HasPrefix(s, noData) || strings.HasPrefix(s, notDrawn) {
					got = append(got, s)
				}
			}
			// The footer is drawn from the bottom up.
			slices.Sort(got)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("notes on the values not drawn (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCategoryLabelsDoNotOverlap draws charts of many categories, each
// size, and checks that no two category labels drawn overlap, where 24
// months printed over each other; the first is always drawn, and where
// there is room, all are.
func TestCategoryLabelsDoNotOverlap(t *testing.T) {
	t.Parallel()
	months := func(l Lang, years ...int) []string {
		var out []string
		for _, y := range years {
			for m := 1; m <= 12; m++ {
				out = append(out, l.MonthName(m)+" "+strconv.Itoa(y))
			}
		}
		return out
	}
	// A monthly balance whose tick labels (−20 000 000) and labels at the
	// ends of the line narrow the plot beyond the room kept for them.
	wide := []float64{
		-11963921.3, -10083079.0, -10443469.3, 4384125.4, -5922392.8, 1542950.3, -1493224.5, -3606589.3, -13081521.8, -6496884.8, 8121400.2, 6127578.5,
		12330350.4, 4974834.9, 14215282.4, 8882927.4, 11954532.5, -598935.1, -13071327.6, -13526565.6, 4542875.9, 9958798.8, 2097466.2, 5401895.7,
	}
	tests := []struct {
		name     string
		kind     Kind
		lang     Lang
		cats     []string
		values   []float64 // zeros when nil
		roomy    bool
		wantMost int // the most labels left out
	}{
		{"24 months", Lines, English, months(English, 2023, 2024), nil, false, 16},
		{"12 months", Grouped, English, months(English, 2023), nil, false, 6},
		{"years and year to date", Grouped, English, append(categoryYears(7), "January–September 2024"), nil, true, 0},
		{"15 years", Bars, English, categoryYears(15), nil, true, 0},
		{"24 months in Russian, wide tick labels", Lines, Russian, months(Russian, 2023, 2024), wide, false, 18},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := len(tc.cats)
			values := tc.values
			if values == nil {
				values = make([]float64, n)
			}
			c, err := New(Chart{
				ID: "cats", Kind: tc.kind, Lang: tc.lang, Title: "Exports", Unit: "USD million", Categories: tc.cats,
				Series: []Series{{Name: "Exports", Indicator: "exports", Values: values, Decimals: sameDecimals(n, 1)}},
			})
			if err != nil {
				t.Fatal(err)
			}
			// The words category labels wrap into, a line each here.
			words := map[string]bool{}
			for _, cat := range tc.cats {
				for _, w := range strings.Fields(cat) {
					words[w] = true
				}
			}
			for _, z := range Sizes() {
				rec := &recorder.Canvas{}
				draw1(draw.NewCanvas(rec, z.Width, z.Height), c, DefaultTheme(), z, false)
				var boxes []vg.Rectangle
				shown := map[string]bool{}
				for _, a := range rec.Actions {
					fs, ok := a.(*recorder.FillString)
					if !ok {
						continue
					}
					if !words[fs.String] && !slices.Contains(tc.cats, fs.String) {
						continue
					}
					for _, cat := range tc.cats {
						// A label is drawn whole or from its first line.
						if cat == fs.String || strings.HasPrefix(cat, fs.String+" ") {
							shown[cat] = true
						}
					}
					face := fonts().Lookup(fs.Font, fs.Size)
					ext := face.Extents()
					boxes = append(boxes, vg.Rectangle{
						Min: vg.Point{X: fs.Point.X, Y: fs.Point.Y - ext.Descent},
						Max: vg.Point{X: fs.Point.X + face.Width(fs.String), Y: fs.Point.Y + ext.Ascent},
					})
				}
				for i, a := range boxes {
					for j, b := range boxes[i+1:] {
						// The lines of one label share its centre.
						same := math.Abs(float64(a.Min.X+a.Max.X-b.Min.X-b.Max.X)) < 0.01
						if !same && overlaps(a, b) {
							t.Errorf("%s: category labels %d and %d overlap: %v and %v", z.Name, i, i+1+j, a, b)
							continue
						}
						// Labels side by side stand apart by the gap the
						// layout keeps, where 1.6 points read as one word
						// ("СентябрьНоябрь").
						side := a.Max.Y > b.Min.Y && b.Max.Y > a.Min.Y
						if gap := max(b.Min.X-a.Max.X, a.Min.X-b.Max.X); !same && side && gap < 8*z.scale() {
							t.Errorf("%s: category labels %d and %d stand %.1f apart, want at least %.1f: %v and %v", z.Name, i, i+1+j, gap, 8*z.scale(), a, b)
						}
					}
				}
				if !shown[tc.cats[0]] {
					t.Errorf("%s: the first category, %q, is not labelled", z.Name, tc.cats[0])
				}
				if left := n - len(shown); tc.roomy && left > 0 || left > tc.wantMost {
					t.Errorf("%s: %d of %d categories not labelled, want at most %d", z.Name, left, n, tc.wantMost)
				}
			}
		})
	}
}

// TestLowerFirst checks that a label lower-cased to stand inside a
// sentence keeps the capitals of a numeral or an abbreviation: "III кв.
// 2024" read "iII кв. 2024".
func TestLowerFirst(t *testing.T) {
	for _, tc := range []struct {
		in   string
		l    Lang
		want string
	}{
		{"Январь–июль 2024", Russian, "январь–июль 2024"},
		{"III кв. 2024", Russian, "III кв. 2024"},
		{"I кв. 2024", Russian, "I кв. 2024"},
		{"ЕС-27", Russian, "ЕС-27"},
		{"Қаңтар 2024", Kazakh, "қаңтар 2024"},
		{"January 2024", English, "January 2024"},
	} {
		if got := lowerFirst(tc.in, tc.l); got != tc.want {
			t.Errorf("lowerFirst(%q, %s) = %q, want %q", tc.in, tc.l, got, tc.want)
		}
	}
}

// TestLineLabelsClearOfLines checks that a line's labels stand where
// their background cuts no line when such a place is free: Armstat's
// exports to China fall from 277.3 to 44.9 and rise again, and the label
// of 44.9, above its point, hid the segments that come down to it.
func TestLineLabelsClearOfLines(t *testing.T) {
	t.Parallel()
	c, err := New(Chart{
		ID: "v", Kind: Lines, Title: "Exports to China", Unit: "USD million",
		Categories: categoryYears(5),
		Series: []Series{
			{Name: "Exports", Indicator: "exports", Values: []float64{94.4, 172.0, 277.3, 44.9, 67.0}, Decimals: sameDecimals(5, 1)},
			{Name: "Imports", Indicator: "imports", Values: []float64{104.8, 120.8, 109.9, 111.2, 120.4}, Decimals: sameDecimals(5, 1)},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, z := range Sizes() {
		rec := &recorder.Canvas{}
		pl := draw1(draw.NewCanvas(rec, z.Width, z.Height), c, DefaultTheme(), z, false)
		if pl.dropped > 0 {
			t.Errorf("%s: %d labels left out", z.Name, pl.dropped)
		}
		pad := 2 * DefaultTheme().styles(z).scale
		for i, r := range pl.taken {
			if pl.crossesLine(padded(r, pad)) {
				t.Errorf("%s: the background of label %d %v cuts a line", z.Name, i, r)
			}
		}
	}
}

func TestSegmentCrosses(t *testing.T) {
	t.Parallel()
	r := vg.Rectangle{Min: vg.Point{X: 0, Y: 0}, Max: vg.Point{X: 10, Y: 10}}
	pt := func(x, y vg.Length) vg.Point { return vg.Point{X: x, Y: y} }
	tests := []struct {
		name string
		a, b vg.Point
		want bool
	}{
		{"through", pt(-5, 5), pt(15, 5), true},
		{"inside", pt(2, 2), pt(3, 3), true},
		{"into", pt(-5, -5), pt(5, 5), true},
		{"diagonal past a corner", pt(-5, 24), pt(24, -5), true},
		{"diagonal clear of a corner", pt(-5, 26), pt(26, -5), false},
		{"left", pt(-5, -5), pt(-1, 20), false},
		{"above", pt(-5, 11), pt(15, 11), false},
		{"along an edge", pt(-5, 10), pt(15, 10), false},
		{"vertical through", pt(5, -5), pt(5, 15), true},
		{"a point outside", pt(20, 20), pt(20, 20), false},
	}
	for _, tc := range tests {
		if got := segmentCrosses(tc.a, tc.b, r); got != tc.want {
			t.Errorf("%s: segmentCrosses(%v, %v) = %v, want %v", tc.name, tc.a, tc.b, got, tc.want)
		}
	}
}

// TestLineLabelsClearOfLineWidth checks that the background of a line's
// label keeps clear of the lines as they are drawn, as wide as their
// stroke, and not only of their centres, which cut notches out of lines
// beside labels; and that a label stands farther above its point where
// nearer places all cut a line: Armstat's 104.8 (imports from China in
// January 2024), at the left of the plot, under the exports line rising
// steeply from beside it, stood over it. In the square size that line
// rises too steeply for any place above, and the label keeps its place.
func TestLineLabelsClearOfLineWidth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		sizes  []Size
		series []Series
	}{
		{name: "Armstat 2024", sizes: []Size{Article, Social, Print}, series: []Series{
			{Name: "Exports", Indicator: "exports", Values: []float64{94.4, 172.0, 277.3, 44.9, 66.5, 59.3, 63.5, 62.2, 68.0, 80.6, 60.1, 49.3}, Decimals: sameDecimals(12, 1)},
			{Name: "Imports", Indicator: "imports", Values: []float64{104.8, 120.8, 109.9, 111.4, 121.0, 125.6, 172.1, 161.6, 140.0, 180.3, 235.8, 143.7}, Decimals: sameDecimals(12, 1)},
		}},
		{name: "five years", sizes: Sizes(), series: []Series{
			{Name: "Exports", Indicator: "exports", Values: []float64{94.4, 172.0, 277.3, 44.9, 67.0}, Decimals: sameDecimals(5, 1)},
			{Name: "Imports", Indicator: "imports", Values: []float64{104.8, 120.8, 109.9, 111.2, 120.4}, Decimals: sameDecimals(5, 1)},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(Chart{ID: "v", Kind: Lines, Title: "Trade with China", Unit: "USD million",
				Categories: categoryYears(len(tc.series[0].Values)), Series: tc.series})
			if err != nil {
				t.Fatal(err)
			}
			for _, z := range tc.sizes {
				rec := &recorder.Canvas{}
				pl := draw1(draw.NewCanvas(rec, z.Width, z.Height), c, DefaultTheme(), z, false)
				st := DefaultTheme().styles(z)
				pad, half := 2*st.scale, st.th.LineWidth*st.scale/2
				for i, r := range pl.taken {
					if pl.crossesLine(grown(padded(r, pad), half)) {
						t.Errorf("%s: the background of label %d %v covers part of a line's stroke", z.Name, i, r)
					}
				}
			}
		})
	}
}
