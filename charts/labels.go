package charts

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// placer keeps the rectangles already taken on a data canvas by bars and
// labels, so that no label is drawn over another, over a bar or outside
// the data canvas (and so over the axes, or above the top gridline).
type placer struct {
	// bounds is the data canvas: the plot area between the first and the
	// last tick of the value axis, which the value axis is widened for
	// (see fitRange), so that labels fit inside it.
	bounds vg.Rectangle
	// taken holds labels, which nothing may cover.
	taken []vg.Rectangle
	// marks holds the markers of lines, which no label may cover; markers
	// may cover each other, where the data are close.
	marks []vg.Rectangle
	// lines are the line layers of the plot, whose markers are all
	// registered before the first line label is placed.
	lines     []*lineLayer
	marksDone bool
	// segs holds the segments of the lines, which a line's label avoids
	// where it can: its background would cut them (see placeClear).
	segs [][2]vg.Point
	// bars holds bars, which a label may cover only on a background of its
	// own (see placeOver), and not at their ends.
	bars []vg.Rectangle
	// dropped counts the labels left out for want of a free place.
	dropped int
}

// setBounds sets the bounds labels must stay within: the data canvas c.
func (pl *placer) setBounds(c draw.Canvas) { pl.bounds = c.Rectangle }

// slack absorbs rounding when a label just touches the edge of the canvas.
const slack = 0.5

func (pl *placer) free(r vg.Rectangle, overBars bool) bool {
	b := pl.bounds
	if r.Min.X < b.Min.X-slack || r.Max.X > b.Max.X+slack || r.Min.Y < b.Min.Y-slack || r.Max.Y > b.Max.Y+slack {
		return false
	}
	for _, t := range pl.taken {
		if overlaps(r, t) {
			return false
		}
	}
	if pl.marked(r) {
		return false
	}
	for _, t := range pl.bars {
		// A label over a bar, on a background of its own, stays off the
		// bar's ends, or the bar would seem to end at the label. Labels
		// over bars are those of lines, whose charts draw bars upright.
		if overlaps(r, t) && (!overBars || r.Min.Y < t.Max.Y && r.Max.Y > t.Max.Y || r.Min.Y < t.Min.Y && r.Max.Y > t.Min.Y) {
			return false
		}
	}
	return true
}

func (pl *placer) take(r vg.Rectangle) { pl.taken = append(pl.taken, r) }

// place takes the first free rectangle of cands and returns its index, or
// -1 when none is free.
func (pl *placer) place(cands ...vg.Rectangle) int {
	for i, r := range cands {
		if pl.free(r, false) {
			pl.take(r)
			return i
		}
	}
	return -1
}

// markLines registers the markers of every line of the plot p drawn on c,
// once: every marker is known before any label is placed, so that no
// label of one line covers a marker of the next, and no label of a bar a
// marker that the line, drawn after the bars, would print over its digits.
func (pl *placer) markLines(c draw.Canvas, p *plot.Plot) {
	if pl.marksDone {
		return
	}
	for _, l := range pl.lines {
		r := l.radius()
		for _, pt := range l.points(c, p) {
			pl.marks = append(pl.marks, vg.Rectangle{Min: vg.Point{X: pt.X - r, Y: pt.Y - r}, Max: vg.Point{X: pt.X + r, Y: pt.Y + r}})
		}
		pl.segs = append(pl.segs, l.segments(c, p)...)
	}
	pl.marksDone = true
}

// placeClear is place for a label drawn on a background of pad around it
// (see drawOn): it takes the first of cands that is free and whose
// background stays farther than half, half the width of a line's stroke,
// from every line's centre, so that it cuts no notch out of a stroke, and
// returns its index, or -1 when none is. A label at a line's low point, between
// two segments that come down to it, stands below the point rather than
// over the segments.
func (pl *placer) placeClear(pad, half vg.Length, cands ...vg.Rectangle) int {
	for i, r := range cands {
		if pl.free(r, false) && !pl.crossesLine(grown(padded(r, pad), half)) {
			pl.take(r)
			return i
		}
	}
	return -1
}

// crossesLine reports whether a segment of a line passes through r.
func (pl *placer) crossesLine(r vg.Rectangle) bool {
	for _, s := range pl.segs {
		if segmentCrosses(s[0], s[1], r) {
			return true
		}
	}
	return false
}

// segmentCrosses reports whether the segment from a to b has a point
// inside r (Liang–Barsky clipping); touching r's edge does not count.
func segmentCrosses(a, b vg.Point, r vg.Rectangle) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	// The segment is a + t(b − a); each edge keeps the ts on its side.
	for _, e := range [4][2]float64{
		{-dx, float64(a.X - r.Min.X)},
		{dx, float64(r.Max.X - a.X)},
		{-dy, float64(a.Y - r.Min.Y)},
		{dy, float64(r.Max.Y - a.Y)},
	} {
		p, q := e[0], e[1]
		if p == 0 {
			if q <= 0 {
				return false // parallel to the edge, outside it
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = max(t0, t)
		} else {
			t1 = min(t1, t)
		}
	}
	return t0 < t1
}

// padded returns r grown by the background drawOn draws around a label.
func padded(r vg.Rectangle, pad vg.Length) vg.Rectangle {
	return vg.Rectangle{Min: vg.Point{X: r.Min.X - pad, Y: r.Min.Y - pad/2}, Max: vg.Point{X: r.Max.X + pad, Y: r.Max.Y + pad/2}}
}

// grown returns r with d more on every side.
func grown(r vg.Rectangle, d vg.Length) vg.Rectangle {
	return vg.Rectangle{Min: vg.Point{X: r.Min.X - d, Y: r.Min.Y - d}, Max: vg.Point{X: r.Max.X + d, Y: r.Max.Y + d}}
}

// marked reports whether r covers a marker of a line.
func (pl *placer) marked(r vg.Rectangle) bool {
	for _, m := range pl.marks {
		if overlaps(r, m) {
			return true
		}
	}
	return false
}

// drop records that a label was left out.
func (pl *placer) drop() { pl.dropped++ }

// placeOver is like place but lets the label cover bars; the caller draws
// it on a background of its own.
func (pl *placer) placeOver(cands ...vg.Rectangle) int {
	for i, r := range cands {
		if pl.free(r, true) {
			pl.take(r)
			return i
		}
	}
	return -1
}

// drawOn draws txt in r on a rectangle of the background colour, so that
// it reads where it covers a bar.
func drawOn(c draw.Canvas, sty text.Style, bg color.Color, r vg.Rectangle, txt string, pad vg.Length) {
	b := padded(r, pad)
	c.FillPolygon(bg, rect(b.Min.X, b.Min.Y, b.Max.X, b.Max.Y))
	drawIn(c, sty, r, txt)
}

// withClamped returns cands followed by those of them that stick out of
// the bounds sideways, moved inside; a label over the first or last bar
// may then stand off-centre rather than cover an axis.
func (pl *placer) withClamped(cands []vg.Rectangle) []vg.Rectangle {
	out := cands
	for _, r := range cands {
		var dx vg.Length
		switch {
		case r.Min.X < pl.bounds.Min.X:
			dx = pl.bounds.Min.X - r.Min.X
		case r.Max.X > pl.bounds.Max.X:
			dx = pl.bounds.Max.X - r.Max.X
		default:
			continue
		}
		r.Min.X += dx
		r.Max.X += dx
		out = append(out, r)
	}
	return out
}

func overlaps(a, b vg.Rectangle) bool {
	return a.Min.X < b.Max.X && b.Min.X < a.Max.X && a.Min.Y < b.Max.Y && b.Min.Y < a.Max.Y
}

// textBox returns the rectangle txt covers when set in sty with its
// horizontal centre at x and its baseline at y.
func textBox(sty text.Style, txt string, x, y vg.Length, align draw.XAlignment) vg.Rectangle {
	w := width(sty, txt)
	x0 := x + vg.Length(align)*w
	return vg.Rectangle{
		Min: vg.Point{X: x0, Y: y - descent(sty)},
		Max: vg.Point{X: x0 + w, Y: y + ascent(sty)},
	}
}

// shiftY returns r moved up by dy.
func shiftY(r vg.Rectangle, dy vg.Length) vg.Rectangle {
	r.Min.Y += dy
	r.Max.Y += dy
	return r
}

// shiftX returns r moved right by dx.
func shiftX(r vg.Rectangle, dx vg.Length) vg.Rectangle {
	r.Min.X += dx
	r.Max.X += dx
	return r
}

// drawIn draws txt so that it fills r, which came from textBox.
func drawIn(c draw.Canvas, sty text.Style, r vg.Rectangle, txt string) {
	fillText(c, sty, r.Min.X, r.Min.Y+descent(sty), draw.XLeft, txt)
}

// zeroLine draws the value axis' zero as a dark line across the data
// canvas, on top of the bars.
type zeroLine struct {
	horizontal bool
	style      draw.LineStyle
}

// Plot implements plot.Plotter.
func (z *zeroLine) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	if z.horizontal {
		if p.X.Min > 0 || p.X.Max < 0 {
			return
		}
		x := trX(0)
		c.StrokeLine2(z.style, x, c.Min.Y, x, c.Max.Y)
		return
	}
	if p.Y.Min > 0 || p.Y.Max < 0 {
		return
	}
	y := trY(0)
	c.StrokeLine2(z.style, c.Min.X, y, c.Max.X, y)
}
