package charts

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// barLayer draws vertical or horizontal bars, side by side or stacked,
// with a value label on every bar and the chart's total above each
// category. Labels shrink to fit their bars; where they still do not fit,
// they are left out.
type barLayer struct {
	st         *styles
	c          *Chart
	series     []Series
	cols       []color.Color
	horizontal bool
	stacked    bool
	pl         *placer

	label text.Style
	// hideLabels and hideTotals are set when the labels do not fit their
	// bars even at the smallest size: a crowded chart is read from its
	// axis, and its numbers from its CSV and alt text. The marks of
	// missing values are drawn all the same.
	hideLabels, hideTotals bool
	// frac is the share of a category's slot that its bars fill.
	frac float64
}

func newBarLayer(st *styles, c *Chart, series []Series, cols []color.Color, horizontal, stacked bool, pl *placer, area draw.Canvas) *barLayer {
	b := &barLayer{st: st, c: c, series: series, cols: cols, horizontal: horizontal, stacked: stacked, pl: pl, label: st.label}
	k := b.perSlot()
	b.frac = 0.62
	if k > 1 {
		b.frac = 0.8
	}
	n := vg.Length(len(c.Categories))
	s := st.scale
	if horizontal {
		slot := (area.Max.Y - area.Min.Y) / n
		thick := min(slot*vg.Length(b.frac)/vg.Length(k), b.maxBar())
		// A label is as tall as about 1.15 times its size.
		b.label.Font.Size = max(min(b.label.Font.Size, thick*0.85/1.15), st.th.MinLabelSize*s)
		return b
	}
	slot := st.slot(area.Max.X-area.Min.X, len(c.Categories))
	barW := min(slot*vg.Length(b.frac)/vg.Length(k), b.maxBar())
	room := barW * 0.96
	if k == 1 {
		room = slot * 0.92
	}
	widest := vg.Length(0)
	for _, ser := range series {
		for i := range c.Categories {
			widest = max(widest, width(b.label, c.label(&ser, i)))
		}
	}
	if widest > room {
		size := b.label.Font.Size * room / widest
		b.label.Font.Size = max(size, st.th.MinLabelSize*s)
		if size < st.th.MinLabelSize*s && !stacked {
			// The marks of missing values, the only labels left, keep
			// the full size, so that they are seen.
			b.hideLabels = true
			b.label = st.label
		}
	}
	b.hideTotals = c.Total != nil && !st.totalsFit(c, area.Max.X-area.Min.X)
	return b
}

// slot is the width of each of n categories of vertical bars on a plot w
// wide.
func (st *styles) slot(w vg.Length, n int) vg.Length {
	// The y tick labels take some of the width; 70 points is ample.
	return (w - 70*st.scale) / vg.Length(n)
}

// totalsFit reports whether each label of c's total fits the width of its
// category on a plot w wide. Horizontal bars have room for them beyond
// the bars' ends.
func (st *styles) totalsFit(c *Chart, w vg.Length) bool {
	if c.Kind == HorizontalBars {
		return true
	}
	slot := st.slot(w, len(c.Categories))
	for j := range c.Categories {
		if c.Total.ok(j) && width(st.total, totalText(c, j)) > slot*0.96 {
			return false
		}
	}
	return true
}

// totalShown reports whether the labels of c's total are drawn on a plot w
// wide: only over bars, and only when there is a value to label and they
// all fit.
func (st *styles) totalShown(c *Chart, w vg.Length) bool {
	return c.Total != nil && c.Kind != Lines && slices.Contains(c.Total.Missing, false) && st.totalsFit(c, w)
}

// maxBar is the widest a bar may be; horizontal bars are kept thinner,
// since their labels run along them.
func (b *barLayer) maxBar() vg.Length {
	if b.horizontal {
		return b.st.th.MaxBarWidth * b.st.scale * 0.55
	}
	return b.st.th.MaxBarWidth * b.st.scale
}

// perSlot is the number of bars side by side in a category.
func (b *barLayer) perSlot() int {
	if b.stacked {
		return 1
	}
	return len(b.series)
}

// DataRange implements plot.DataRanger.
func (b *barLayer) DataRange() (xmin, xmax, ymin, ymax float64) {
	lo, hi := valueRange(b.c)
	n := float64(len(b.c.Categories))
	if b.horizontal {
		return math.Min(0, lo), math.Max(0, hi), -0.5, n - 0.5
	}
	return -0.5, n - 0.5, math.Min(0, lo), math.Max(0, hi)
}

// pos returns the position of category j on the category axis.
func (b *barLayer) pos(j int) float64 {
	if b.horizontal {
		return float64(len(b.c.Categories) - 1 - j)
	}
	return float64(j)
}

// ends returns the largest and smallest value end of category j's bars.
func (b *barLayer) ends(j int) (top, bottom float64) {
	var pos, neg float64
	for _, s := range b.series {
		if !s.ok(j) {
			continue
		}
		v := s.Values[j]
		if b.stacked {
			if v >= 0 {
				pos += v
			} else {
				neg += v
			}
			continue
		}
		pos, neg = math.Max(pos, v), math.Min(neg, v)
	}
	return pos, neg
}

// missingAt reports whether a value of category j is missing.
func (b *barLayer) missingAt(j int) bool {
	for _, s := range b.series {
		if !s.ok(j) {
			return true
		}
	}
	return false
}

func (b *barLayer) hasTotal(j int) bool {
	return b.c.Total != nil && b.c.Total.ok(j) && !b.hideTotals
}

func (b *barLayer) totalText(j int) string { return totalText(b.c, j) }

// totalText is the label of c's total at category j.
func totalText(c *Chart, j int) string {
	return c.Total.Name + ": " + c.label(c.Total, j)
}

// GlyphBoxes implements plot.GlyphBoxer with the boxes of labelBoxes.
func (b *barLayer) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	return glyphBoxes(p, b.labelBoxes(), b.horizontal)
}

// labelBoxes returns the room the labels need beyond the ends of the bars.
// Boxes of vertical bars have no width: their labels stay within their
// categories' slots, so the plot need not narrow.
func (b *barLayer) labelBoxes() []labelBox {
	s := b.st.scale
	pad := 6 * s
	var boxes []labelBox
	for j := range b.c.Categories {
		lh := ascent(b.label) + descent(b.label)
		if (b.stacked || b.hideLabels) && !b.missingAt(j) {
			lh = 0
		}
		top, bottom := b.ends(j)
		w := vg.Length(0)
		for _, ser := range b.series {
			w = max(w, width(b.label, b.c.label(&ser, j)))
		}
		extra := vg.Length(0)
		if b.hasTotal(j) {
			extra += ascent(b.st.total) + descent(b.st.total) + pad
			w = max(w, width(b.st.total, b.totalText(j)))
		}
		if lh+extra == 0 {
			continue
		}
		at := b.pos(j)
		if b.horizontal {
			h := max(lh, ascent(b.st.total)+descent(b.st.total))
			boxes = append(boxes, labelBox{at: at, v: top,
				r: vg.Rectangle{Min: vg.Point{X: pad, Y: -h / 2}, Max: vg.Point{X: pad + w + extra, Y: h / 2}}})
			if bottom < 0 {
				boxes = append(boxes, labelBox{at: at, v: bottom,
					r: vg.Rectangle{Min: vg.Point{X: -pad - w, Y: -h / 2}, Max: vg.Point{X: -pad, Y: h / 2}}})
			}
			continue
		}
		boxes = append(boxes, labelBox{at: at, v: top,
			r: vg.Rectangle{Min: vg.Point{Y: pad}, Max: vg.Point{Y: pad + lh + extra}}})
		if bottom < 0 && lh > 0 {
			boxes = append(boxes, labelBox{at: at, v: bottom,
				r: vg.Rectangle{Min: vg.Point{Y: -pad - lh}, Max: vg.Point{Y: -pad}}})
		}
	}
	return boxes
}

// bar is one drawn bar: its rectangle and the end its label goes beyond.
type bar struct {
	r        vg.Rectangle
	ser, cat int
	neg      bool
	missing  bool
	center   vg.Length // the bar's middle across the category axis
	end      vg.Length // the bar's value end along the value axis
}

// Plot implements plot.Plotter.
func (b *barLayer) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	// tr maps (category position, value) to canvas coordinates along the
	// category and value axes.
	catAt, valAt := trX, trY
	if b.horizontal {
		catAt, valAt = trY, trX
	}
	b.pl.setBounds(c)
	b.pl.markLines(c, p)
	k := b.perSlot()
	slot := vg.Length(math.Abs(float64(catAt(1) - catAt(0))))
	if len(b.c.Categories) == 1 {
		slot = vg.Length(math.Abs(float64(catAt(0.5) - catAt(-0.5))))
	}
	barW := min(slot*vg.Length(b.frac)/vg.Length(k), b.maxBar())
	gap := vg.Length(0)
	if k > 1 {
		gap = barW * 0.08
	}

	var bars []bar
	for j := range b.c.Categories {
		mid := catAt(b.pos(j))
		var pos, neg float64
		for i, ser := range b.series {
			center := mid
			if !b.stacked {
				off := float64(i) - float64(k-1)/2
				if b.horizontal {
					// The first series at the top, as it leads the
					// legend, and as the first category is at the top.
					off = -off
				}
				center = mid + vg.Length(off)*barW
			}
			if !ser.ok(j) {
				bars = append(bars, bar{ser: i, cat: j, missing: true, center: center, end: valAt(0)})
				continue
			}
			v := ser.Values[j]
			from := 0.0
			if b.stacked {
				if v >= 0 {
					from, pos = pos, pos+v
				} else {
					from, neg = neg, neg+v
				}
			}
			v0, v1 := valAt(from), valAt(from+v)
			half := (barW - gap) / 2
			var r vg.Rectangle
			if b.horizontal {
				r = vg.Rectangle{Min: vg.Point{X: min(v0, v1), Y: center - half}, Max: vg.Point{X: max(v0, v1), Y: center + half}}
			} else {
				r = vg.Rectangle{Min: vg.Point{X: center - half, Y: min(v0, v1)}, Max: vg.Point{X: center + half, Y: max(v0, v1)}}
			}
			c.FillPolygon(b.cols[i], rect(r.Min.X, r.Min.Y, r.Max.X, r.Max.Y))
			b.pl.bars = append(b.pl.bars, r)
			bars = append(bars, bar{r: r, ser: i, cat: j, neg: v < 0, center: center, end: v1})
		}
	}
	switch {
	case b.stacked:
		b.stackLabels(c, bars)
		b.endLabels(c, b.stackMarks(bars, valAt))
	case b.hideLabels:
		// Missing is not zero: a missing value keeps its mark where the
		// values' labels are left out, or it would read as a zero.
		b.endLabels(c, slices.DeleteFunc(bars, func(br bar) bool { return !br.missing }))
	default:
		b.endLabels(c, bars)
	}
	b.totals(c, p, valAt, catAt)
}

// endLabels labels every bar beyond its value end.
func (b *barLayer) endLabels(c draw.Canvas, bars []bar) {
	pad := 6 * b.st.scale
	lh := ascent(b.label) + descent(b.label)
	for _, br := range bars {
		txt := b.c.label(&b.series[br.ser], br.cat)
		var r vg.Rectangle
		step := lh
		switch {
		case b.horizontal && br.neg:
			r = textBox(b.label, txt, br.end-pad, 0, draw.XRight)
		case b.horizontal:
			r = textBox(b.label, txt, br.end+pad, 0, draw.XLeft)
		case br.neg:
			r = textBox(b.label, txt, br.center, 0, draw.XCenter)
			r = shiftY(r, br.end-pad-r.Max.Y)
			step = -lh
		default:
			r = textBox(b.label, txt, br.center, 0, draw.XCenter)
			r = shiftY(r, br.end+pad-r.Min.Y)
		}
		if b.horizontal {
			r = shiftY(r, br.center-(r.Min.Y+r.Max.Y)/2)
			step = 0
		}
		cands := []vg.Rectangle{r}
		for t := 1; t <= 3 && step != 0; t++ {
			cands = append(cands, shiftY(r, vg.Length(t)*step))
		}
		// A label moved past a line's marker would stand by the marker
		// and read as the line's value: it moves no further than the
		// first place that covers one.
		for i, r := range cands {
			if b.pl.marked(r) {
				cands = cands[:i]
				break
			}
		}
		cands = b.pl.withClamped(cands)
		if i := b.pl.place(cands...); i >= 0 {
			drawIn(c, b.label, cands[i], txt)
		} else {
			b.pl.drop()
		}
		// A label with no free place is left out rather than drawn over
		// another; its value is in the chart's CSV and alt text.
	}
}

// stackLabels labels the segments of stacked bars inside them where the
// label fits, in black or white, whichever reads better on the colour.
func (b *barLayer) stackLabels(c draw.Canvas, bars []bar) {
	for _, br := range bars {
		if br.missing {
			continue
		}
		txt := b.c.label(&b.series[br.ser], br.cat)
		mid := (br.r.Min.Y + br.r.Max.Y) / 2
		r := textBox(b.label, txt, (br.r.Min.X+br.r.Max.X)/2, 0, draw.XCenter)
		r = shiftY(r, mid-(r.Min.Y+r.Max.Y)/2)
		if r.Size().X > br.r.Size().X-4*b.st.scale || r.Size().Y > br.r.Size().Y-2*b.st.scale {
			continue
		}
		sty := b.label
		sty.Color = contrastInk(b.cols[br.ser])
		drawIn(c, sty, r, txt)
	}
}

// stackMarks returns a bar standing for each stack with a missing part,
// ending at the stack's top, for endLabels to mark it "–" there: a stack
// without a part is only shorter, and would read as a fall (see
// missingNote for which part).
func (b *barLayer) stackMarks(bars []bar, valAt func(float64) vg.Length) []bar {
	var marks []bar
	for _, br := range bars {
		if !br.missing || len(marks) > 0 && marks[len(marks)-1].cat == br.cat {
			continue
		}
		top, _ := b.ends(br.cat)
		br.end = valAt(top)
		marks = append(marks, br)
	}
	return marks
}

// missingNotes says which values of a chart of bars are missing, each
// marked –, in c's language.
var missingNotes = [3]string{"No data (–): %s.", "Нет данных (–): %s.", "Дерек жоқ (–): %s."}

// missingNote returns the note naming the missing values of c, a chart of
// bars that marks them – (the parts of a stack, or bars), each as its
// series and category; "" when none is, or c draws lines, whose gaps
// speak for themselves. A – alone would not say that it is no figure. A
// value whose figure is in a unit not converted is left out: the chart's
// notes say that there is one (see Series.Unconverted).
func missingNote(c *Chart) string {
	switch c.Kind {
	case Stacked, Grouped, Bars, HorizontalBars:
	default:
		return ""
	}
	var parts []string
	for j, cat := range c.Categories {
		for _, s := range c.Series {
			if !s.ok(j) && !s.unconverted(j) {
				parts = append(parts, s.Name+", "+cat)
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf(missingNotes[c.Lang.index()], strings.Join(parts, "; "))
}

// totals labels each category's total beyond the longest bar's label.
func (b *barLayer) totals(c draw.Canvas, p *plot.Plot, valAt, catAt func(float64) vg.Length) {
	if b.c.Total == nil {
		return
	}
	pad := 6 * b.st.scale
	lh := ascent(b.st.total) + descent(b.st.total)
	for j := range b.c.Categories {
		if !b.hasTotal(j) {
			continue
		}
		top, _ := b.ends(j)
		txt := b.totalText(j)
		mid := catAt(b.pos(j))
		var r vg.Rectangle
		if b.horizontal {
			r = textBox(b.st.total, txt, valAt(top)+pad, 0, draw.XLeft)
			r = shiftY(r, mid-(r.Min.Y+r.Max.Y)/2)
		} else {
			r = textBox(b.st.total, txt, mid, 0, draw.XCenter)
			r = shiftY(r, valAt(top)+pad-r.Min.Y)
		}
		cands := []vg.Rectangle{r}
		for t := 1; t <= 4; t++ {
			if b.horizontal {
				r.Min.X += lh
				r.Max.X += lh
				cands = append(cands, r)
			} else {
				cands = append(cands, shiftY(cands[0], vg.Length(t)*(lh/2+pad/2)))
			}
		}
		cands = b.pl.withClamped(cands)
		if i := b.pl.place(cands...); i >= 0 {
			drawIn(c, b.st.total, cands[i], txt)
		} else {
			b.pl.drop()
		}
	}
}

// contrastInk returns black or white, whichever contrasts more with bg.
func contrastInk(bg color.Color) color.Color {
	r, g, bl, _ := bg.RGBA()
	lum := 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(bl)
	if lum > 0.18 {
		return color.Black
	}
	return color.White
}

func lin(c uint32) float64 {
	v := float64(c) / 0xffff
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}
