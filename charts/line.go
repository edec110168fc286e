package charts

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// seriesXY adapts the present values of a series to plotter.XYer, with the
// category index as x. Missing values break the line: from and to select
// one unbroken run.
type seriesXY struct {
	s        *Series
	from, to int
}

// Len implements plotter.XYer.
func (xy seriesXY) Len() int { return xy.to - xy.from }

// XY implements plotter.XYer.
func (xy seriesXY) XY(i int) (x, y float64) {
	return float64(xy.from + i), xy.s.Values[xy.from+i]
}

// lineLayer draws one series as a line with a dot and a value label at
// each present value.
type lineLayer struct {
	st  *styles
	c   *Chart
	s   *Series
	col color.Color
	pl  *placer
}

func newLineLayer(st *styles, c *Chart, s *Series, col color.Color, pl *placer) *lineLayer {
	l := &lineLayer{st: st, c: c, s: s, col: col, pl: pl}
	pl.lines = append(pl.lines, l)
	return l
}

// points returns the canvas positions of the present values.
func (l *lineLayer) points(c draw.Canvas, p *plot.Plot) []vg.Point {
	trX, trY := p.Transforms(&c)
	var pts []vg.Point
	for i, v := range l.s.Values {
		if l.s.ok(i) {
			pts = append(pts, vg.Point{X: trX(float64(i)), Y: trY(v)})
		}
	}
	return pts
}

// segments returns the segments of the line drawn on c: between the
// canvas positions of each two present values in a row (a missing value
// breaks the line).
func (l *lineLayer) segments(c draw.Canvas, p *plot.Plot) [][2]vg.Point {
	trX, trY := p.Transforms(&c)
	var segs [][2]vg.Point
	for i := 1; i < len(l.s.Values); i++ {
		if l.s.ok(i-1) && l.s.ok(i) {
			a := vg.Point{X: trX(float64(i - 1)), Y: trY(l.s.Values[i-1])}
			b := vg.Point{X: trX(float64(i)), Y: trY(l.s.Values[i])}
			segs = append(segs, [2]vg.Point{a, b})
		}
	}
	return segs
}

// DataRange implements plot.DataRanger.
func (l *lineLayer) DataRange() (xmin, xmax, ymin, ymax float64) {
	lo, hi := 0.0, 0.0
	for i, v := range l.s.Values {
		if l.s.ok(i) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return -0.5, float64(len(l.s.Values)) - 0.5, lo, hi
}

func (l *lineLayer) radius() vg.Length { return l.st.th.LineWidth * l.st.scale * 1.5 }

// maxLineLabels is the most points of a line that are all labelled; a
// longer line has its first, last, lowest and highest points labelled.
const maxLineLabels = 6

// labelled reports which values of the series get a label.
func (l *lineLayer) labelled() []bool {
	keep := make([]bool, len(l.s.Values))
	var present []int
	for i := range l.s.Values {
		if l.s.ok(i) {
			present = append(present, i)
		}
	}
	if len(present) <= maxLineLabels {
		for _, i := range present {
			keep[i] = true
		}
		return keep
	}
	lo, hi := present[0], present[0]
	for _, i := range present {
		if l.s.Values[i] < l.s.Values[lo] {
			lo = i
		}
		if l.s.Values[i] > l.s.Values[hi] {
			hi = i
		}
	}
	for _, i := range []int{present[0], present[len(present)-1], lo, hi} {
		keep[i] = true
	}
	return keep
}

// GlyphBoxes implements plot.GlyphBoxer with the boxes of labelBoxes.
func (l *lineLayer) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	return glyphBoxes(p, l.labelBoxes(), false)
}

// labelBoxes returns the room for the label above each point.
func (l *lineLayer) labelBoxes() []labelBox {
	var boxes []labelBox
	pad := l.radius() + 5*l.st.scale
	lh := ascent(l.st.label) + descent(l.st.label)
	for i, v := range l.s.Values {
		if !l.s.ok(i) {
			continue
		}
		w := width(l.st.label, l.c.label(l.s, i))
		r := vg.Rectangle{Min: vg.Point{X: -w / 2, Y: pad}, Max: vg.Point{X: w / 2, Y: pad + lh}}
		boxes = append(boxes, labelBox{at: float64(i), v: v, r: r})
	}
	return boxes
}

// Plot implements plot.Plotter.
func (l *lineLayer) Plot(c draw.Canvas, p *plot.Plot) {
	r := l.radius()
	if !l.pl.marksDone {
		l.pl.setBounds(c)
		l.pl.markLines(c, p)
	}
	n := len(l.s.Values)
	for from := 0; from < n; {
		if !l.s.ok(from) {
			from++
			continue
		}
		to := from
		for to < n && l.s.ok(to) {
			to++
		}
		if to-from > 1 {
			ln, err := plotter.NewLine(seriesXY{s: l.s, from: from, to: to})
			if err == nil {
				ln.LineStyle = draw.LineStyle{Color: l.col, Width: l.st.th.LineWidth * l.st.scale}
				ln.Plot(c, p)
			}
		}
		from = to
	}
	pts := l.points(c, p)
	for _, pt := range pts {
		c.FillPolygon(l.st.th.Background, circle(pt, r+2*l.st.scale))
		c.FillPolygon(l.col, circle(pt, r))
	}
	pad := r + 5*l.st.scale
	keep := l.labelled()
	k := 0
	for i := range l.s.Values {
		if !l.s.ok(i) {
			continue
		}
		pt := pts[k]
		k++
		if !keep[i] {
			continue
		}
		txt := l.c.label(l.s, i)
		above := textBox(l.st.label, txt, pt.X, 0, draw.XCenter)
		above = shiftY(above, pt.Y+pad-above.Min.Y)
		below := shiftY(above, -(above.Size().Y + 2*pad))
		right := textBox(l.st.label, txt, pt.X+pad, 0, draw.XLeft)
		right = shiftY(right, pt.Y-(right.Min.Y+right.Max.Y)/2)
		cands := []vg.Rectangle{above, below, right}
		// Line labels sit on a patch of background, so that a grid
		// line, the zero line or another series' line does not cross
		// them; where a place is free whose patch cuts no line, it is
		// taken, so that the patch hides none of a line either: beside
		// the point, or off a corner of it, clear of a slope through it.
		bgPad := 2 * l.st.scale
		left := textBox(l.st.label, txt, pt.X-pad, 0, draw.XRight)
		left = shiftY(left, pt.Y-(left.Min.Y+left.Max.Y)/2)
		dx := above.Size().X/2 + pad/2
		lh := above.Size().Y
		// Farther above or below, last: for a point that a steep line
		// passes close by, such as a chart's first, with no room to its
		// left.
		clear := []vg.Rectangle{above, below, right, left,
			shiftX(above, -dx), shiftX(above, dx), shiftX(below, -dx), shiftX(below, dx),
			shiftY(above, lh/2), shiftY(below, -lh/2), shiftY(above, lh), shiftY(below, -lh)}
		j := l.pl.placeClear(bgPad, l.st.th.LineWidth*l.st.scale/2, clear...)
		if j >= 0 {
			cands = clear
		} else {
			j = l.pl.place(cands...)
		}
		if j < 0 {
			j = l.pl.placeOver(cands...)
		}
		if j >= 0 {
			drawOn(c, l.st.label, l.st.th.Background, cands[j], txt, bgPad)
		} else {
			l.pl.drop()
		}
		// A label that would cover another label is left out; the value
		// is still in the chart's CSV and alt text.
	}
}
