package charts

import (
	"image/color"
	"math"
	"strings"
	"sync"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Theme is the house style: typeface, colours, type sizes and the page
// layout around the plot. Lengths are given for a page 1200 points wide and
// scaled in proportion to the [Size] drawn. [DefaultTheme] returns the house
// style; a caller may change a copy.
type Theme struct {
	// Font is the typeface of every text; its Size and Weight are set per
	// element. It must be in the collection returned by [FontCollection].
	Font font.Font

	// Palette colours the series in order; the default is the Okabe–Ito
	// palette, safe for colour-blind readers.
	Palette []color.Color
	// IndicatorColors gives some indicators a colour of their own, so that
	// exports look the same in every chart. A colour is used only once per
	// chart.
	IndicatorColors map[string]color.Color

	// Background fills the page.
	Background color.Color
	// Ink colours the title, value labels and category labels.
	Ink color.Color
	// Muted colours the subtitle, legend and tick labels.
	Muted color.Color
	// Faint colours the notes and the source line.
	Faint color.Color
	// Grid colours the horizontal grid lines.
	Grid color.Color
	// Baseline colours the zero line.
	Baseline color.Color

	// Type sizes of the title, the subtitle, the legend, category labels,
	// value tick labels, value labels and the notes and source line.
	TitleSize, SubtitleSize, LegendSize, CategorySize, TickSize, LabelSize, NoteSize vg.Length
	// MinLabelSize is the smallest size value labels shrink to so as to fit
	// their bars before they are staggered.
	MinLabelSize vg.Length
	// Margin is the blank border around the page.
	Margin vg.Length
	// LineWidth is the width of lines of a line chart; GridWidth that of
	// grid lines and BaselineWidth that of the zero line.
	LineWidth, GridWidth, BaselineWidth vg.Length
	// MaxBarWidth caps the width of a bar, so that two bars do not fill a
	// page.
	MaxBarWidth vg.Length
}

// Okabe–Ito colours (Okabe and Ito, 2008).
var (
	okabeBlack     = color.RGBA{0x00, 0x00, 0x00, 0xff}
	okabeOrange    = color.RGBA{0xe6, 0x9f, 0x00, 0xff}
	okabeSky       = color.RGBA{0x56, 0xb4, 0xe9, 0xff}
	okabeGreen     = color.RGBA{0x00, 0x9e, 0x73, 0xff}
	okabeYellow    = color.RGBA{0xf0, 0xe4, 0x42, 0xff}
	okabeBlue      = color.RGBA{0x00, 0x72, 0xb2, 0xff}
	okabeVermilion = color.RGBA{0xd5, 0x5e, 0x00, 0xff}
	okabePurple    = color.RGBA{0xcc, 0x79, 0xa7, 0xff}
)

// DefaultTheme returns the house style: Liberation Sans, the Okabe–Ito
// palette, dark grey ink on white, and a light horizontal grid.
func DefaultTheme() *Theme {
	return &Theme{
		Font:    font.Font{Typeface: "Liberation", Variant: "Sans"},
		Palette: []color.Color{okabeBlue, okabeOrange, okabeGreen, okabeVermilion, okabeSky, okabePurple, okabeYellow, okabeBlack},
		IndicatorColors: map[string]color.Color{
			"exports":       okabeBlue,
			"imports":       okabeOrange,
			"turnover":      okabeGreen,
			"balance":       okabeVermilion,
			"fdi_in_gross":  okabeBlue,
			"fdi_out_gross": okabePurple,
		},
		Background:    color.White,
		Ink:           color.RGBA{0x22, 0x22, 0x22, 0xff},
		Muted:         color.RGBA{0x55, 0x55, 0x55, 0xff},
		Faint:         color.RGBA{0x70, 0x70, 0x70, 0xff},
		Grid:          color.RGBA{0xdd, 0xdd, 0xdd, 0xff},
		Baseline:      color.RGBA{0x33, 0x33, 0x33, 0xff},
		TitleSize:     34,
		SubtitleSize:  23,
		LegendSize:    20,
		CategorySize:  20,
		TickSize:      18,
		LabelSize:     21,
		NoteSize:      17,
		MinLabelSize:  15,
		Margin:        40,
		LineWidth:     4,
		GridWidth:     1.5,
		BaselineWidth: 2,
		MaxBarWidth:   150,
	}
}

var (
	fontsOnce sync.Once
	fontCache *font.Cache
)

// FontCollection returns the fonts charts are set in, embedded in the
// binary: the Liberation families, which cover Latin and Cyrillic,
// including the Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ І.
func FontCollection() font.Collection { return liberation.Collection() }

func fonts() *font.Cache {
	fontsOnce.Do(func() { fontCache = font.NewCache(FontCollection()) })
	return fontCache
}

// styles holds the text styles of one drawing, scaled to its size.
type styles struct {
	th    *Theme
	scale vg.Length
	hdlr  text.Handler
	// filled tells that the page is already filled with the background.
	filled bool

	title, subtitle, legend, category, tick, label, total, note text.Style
}

func (th *Theme) styles(z Size) *styles {
	s := z.scale()
	hdlr := text.Plain{Fonts: fonts()}
	mk := func(size vg.Length, bold bool, c color.Color) text.Style {
		f := th.Font
		f.Size = size * s
		if bold {
			f.Weight = xfont.WeightBold
		}
		return text.Style{Color: c, Font: f, Handler: hdlr}
	}
	return &styles{
		th: th, scale: s, hdlr: hdlr,
		title:    mk(th.TitleSize, true, th.Ink),
		subtitle: mk(th.SubtitleSize, false, th.Muted),
		legend:   mk(th.LegendSize, false, th.Ink),
		category: mk(th.CategorySize, false, th.Ink),
		tick:     mk(th.TickSize, false, th.Muted),
		label:    mk(th.LabelSize, false, th.Ink),
		total:    mk(th.LabelSize, true, th.Ink),
		note:     mk(th.NoteSize, false, th.Faint),
	}
}

// width returns the advance width of txt set in sty.
func width(sty text.Style, txt string) vg.Length {
	f := fonts().Lookup(sty.Font, sty.Font.Size)
	return f.Width(txt)
}

// ascent and descent return the extents of sty's font.
func ascent(sty text.Style) vg.Length {
	f := fonts().Lookup(sty.Font, sty.Font.Size)
	return f.Extents().Ascent
}

func descent(sty text.Style) vg.Length {
	f := fonts().Lookup(sty.Font, sty.Font.Size)
	return f.Extents().Descent
}

// lineHeight is the distance between the baselines of two lines of sty.
func lineHeight(sty text.Style) vg.Length { return sty.Font.Size * 1.22 }

// fillText draws txt with its baseline at y, its left edge at x moved by
// align times its width (0 left, -0.5 centre, -1 right).
func fillText(c draw.Canvas, sty text.Style, x, y vg.Length, align draw.XAlignment, txt string) {
	if txt == "" {
		return
	}
	face := fonts().Lookup(sty.Font, sty.Font.Size)
	c.SetColor(sty.Color)
	c.FillString(face, vg.Point{X: x + vg.Length(align)*face.Width(txt), Y: y}, txt)
}

// wrap breaks txt into lines no wider than w, at spaces; a word longer
// than w gets a line of its own.
func wrap(sty text.Style, txt string, w vg.Length) []string {
	var lines []string
	for para := range strings.SplitSeq(txt, "\n") {
		words := strings.Fields(para)
		line := ""
		for _, word := range words {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if line != "" && width(sty, try) > w {
				lines = append(lines, line)
				line = word
				continue
			}
			line = try
		}
		if line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}

// colors returns the colour of each series of c: the indicator's own
// colour when it has one that no earlier series took, else the next
// palette colour not yet used.
func (th *Theme) colors(c *Chart) []color.Color {
	out := make([]color.Color, len(c.Series))
	used := make(map[color.Color]bool)
	for i, s := range c.Series {
		if col, ok := th.IndicatorColors[s.Indicator]; ok && !used[col] {
			out[i] = col
			used[col] = true
		}
	}
	next := 0
	for i := range out {
		if out[i] != nil {
			continue
		}
		for next < len(th.Palette) && used[th.Palette[next]] {
			next++
		}
		if next < len(th.Palette) {
			out[i] = th.Palette[next]
			used[th.Palette[next]] = true
		} else {
			out[i] = th.Palette[i%len(th.Palette)]
		}
	}
	return out
}

// layout draws the page around the plot once for every chart kind: the
// background, the title and subtitle at the top left, the legend under
// them when there is more than one series, and the notes and the source
// line at the bottom. It returns the canvas left for the plot.
func (st *styles) layout(dc draw.Canvas, c *Chart, cols []color.Color) draw.Canvas {
	th, s := st.th, st.scale
	if !st.filled {
		dc.SetColor(th.Background)
		dc.Fill(dc.Rectangle.Path())
	}

	m := th.Margin * s
	left, right := dc.Min.X+m, dc.Max.X-m
	w := right - left

	y := dc.Max.Y - m
	for i, line := range wrap(st.title, c.Title, w) {
		if i == 0 {
			y -= ascent(st.title)
		} else {
			y -= lineHeight(st.title)
		}
		fillText(dc, st.title, left, y, draw.XLeft, line)
	}
	y -= descent(st.title)
	subtitle, notes := c.Subtitle, c.Notes
	if st.totalShown(c, w) {
		if c.TotalSubtitle != "" {
			subtitle = c.TotalSubtitle
		}
		notes = append(notes[:len(notes):len(notes)], c.TotalNotes...)
	}
	if n := missingNote(c); n != "" {
		notes = append(notes[:len(notes):len(notes)], n)
	}
	if subtitle != "" {
		y -= 6 * s
		for _, line := range wrap(st.subtitle, subtitle, w) {
			y -= lineHeight(st.subtitle)
			fillText(dc, st.subtitle, left, y, draw.XLeft, line)
		}
	}
	if c.legendShown() {
		y -= 14 * s
		y = st.drawLegend(dc, c, cols, left, right, y)
	}
	top := y - 26*s

	// The footer is laid out from the bottom up: the source line last.
	yb := dc.Min.Y + m
	var foot []string
	for _, n := range notes {
		foot = append(foot, wrap(st.note, n, w)...)
	}
	if c.Source != "" {
		foot = append(foot, wrap(st.note, c.Lang.term("source")+c.Source, w)...)
	}
	yb += descent(st.note)
	for i := len(foot) - 1; i >= 0; i-- {
		fillText(dc, st.note, left, yb, draw.XLeft, foot[i])
		yb += lineHeight(st.note)
	}
	bottom := dc.Min.Y + m
	if len(foot) > 0 {
		bottom = yb + 14*s
	}
	return draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: left, Y: bottom},
		Max: vg.Point{X: right, Y: top},
	}}
}

// drawLegend draws one swatch and name per series in rows from the top left,
// and returns the baseline of the last row less its descent.
func (st *styles) drawLegend(dc draw.Canvas, c *Chart, cols []color.Color, left, right, y vg.Length) vg.Length {
	s := st.scale
	sw := st.legend.Font.Size * 0.85
	gap, itemGap := 8*s, 28*s
	_, line := c.bars()
	x := left
	y -= ascent(st.legend)
	for i, ser := range c.Series {
		iw := sw + gap + width(st.legend, ser.Name)
		if x > left && x+iw > right {
			x = left
			y -= lineHeight(st.legend)
		}
		mid := y + ascent(st.legend)*0.36
		if line != nil && i == len(c.Series)-1 || c.Kind == Lines {
			ls := draw.LineStyle{Color: cols[i], Width: st.th.LineWidth * s}
			dc.StrokeLine2(ls, x, mid, x+sw*1.4, mid)
			dc.FillPolygon(cols[i], circle(vg.Point{X: x + sw*0.7, Y: mid}, st.th.LineWidth*s*1.3))
			x += sw * 0.4
		} else {
			dc.FillPolygon(cols[i], rect(x, mid-sw/2, x+sw, mid+sw/2))
		}
		fillText(dc, st.legend, x+sw+gap, y, draw.XLeft, ser.Name)
		x += iw + itemGap
	}
	return y - descent(st.legend)
}

func rect(x0, y0, x1, y1 vg.Length) []vg.Point {
	return []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
}

func circle(c vg.Point, r vg.Length) []vg.Point {
	const n = 32
	pts := make([]vg.Point, n)
	for i := range pts {
		sin, cos := math.Sincos(2 * math.Pi * float64(i) / n)
		pts[i] = vg.Point{X: c.X + r*vg.Length(cos), Y: c.Y + r*vg.Length(sin)}
	}
	return pts
}
