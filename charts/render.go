package charts

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	imgdraw "image/draw"
	"io"
	"math"
	"strconv"
	"sync"
	"time"

	"git.sr.ht/~sbinet/gg"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/tradedesk/report/charts/internal/pdfcanvas"
	"github.com/tradedesk/report/internal/lazyre"
)

// Options control how a chart is rendered.
type Options struct {
	// Size is the page size; the zero Size means [Article].
	Size Size
	// Theme is the house style; nil means [DefaultTheme].
	Theme *Theme
	// AsOf is the creation date written into PDFs. It is required for
	// PDF, since a PDF must not carry the clock, and unused otherwise.
	AsOf time.Time
}

func (o Options) size() Size {
	if o.Size.valid() {
		return o.Size
	}
	return Article
}

func (o Options) theme() *Theme {
	if o.Theme != nil {
		return o.Theme
	}
	return DefaultTheme()
}

// Render draws c in format f to w. The same chart, format and options give
// the same bytes. It validates c as [New] does and returns New's error for
// an inconsistent chart, an error wrapping [ErrUnknownFormat] for an
// unknown format, [ErrNoAsOf] for a PDF without Options.AsOf, and the
// error of w, if any; nothing is written to w unless the drawing
// succeeded. Render does not modify c.
func Render(w io.Writer, c *Chart, f Format, o Options) error {
	// A chart changed after New, or never built by it, must not make the
	// drawing index out of range.
	c, err := New(*c)
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	z := o.size()
	th := o.theme()
	var buf bytes.Buffer
	if err := canRender(c.ID, f, o); err != nil {
		return err
	}
	switch f {
	case PNG:
		if err := drawPNG(&buf, c, th, z); err != nil {
			return fmt.Errorf("render %s as %s: %w", c.ID, f, err)
		}
	case SVG, PDF:
		var cw vg.CanvasWriterTo
		if f == SVG {
			cw = vgsvg.NewWith(vgsvg.UseWH(z.Width, z.Height))
		} else {
			pc := pdfcanvas.New(z.Width, z.Height, o.AsOf.UTC())
			pc.SetInfo(c.Title, "github.com/tradedesk/report")
			cw = pc
		}
		draw1(draw.New(cw), c, th, z, false)
		if _, err := cw.WriteTo(&buf); err != nil {
			return fmt.Errorf("render %s as %s: %w", c.ID, f, err)
		}
	}
	out := buf.Bytes()
	if f == SVG {
		out = fixSVG(out, z)
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("write %s as %s: %w", c.ID, f, err)
	}
	return nil
}

// canRender returns the error Render gives for format f with o whatever
// the chart, with the chart's id in it: an unknown format, or a PDF without
// Options.AsOf. WriteSet asks it of every output before it draws any.
func canRender(id string, f Format, o Options) error {
	switch f {
	case PNG, SVG:
		return nil
	case PDF:
		if o.AsOf.IsZero() {
			return fmt.Errorf("render %s as pdf: %w", id, ErrNoAsOf)
		}
		return nil
	}
	return fmt.Errorf("render %s: %w %q", id, ErrUnknownFormat, string(f))
}

var svgFamily = []byte("font-family:Liberation Sans;")

// fixSVG gives the SVG its size in the preset's unit (CSS pixels for the
// web presets, millimetres for print) and a font stack that falls back to
// the fonts Liberation Sans is metric-compatible with, since vgsvg names
// the family without embedding it.
func fixSVG(b []byte, z Size) []byte {
	if z.svgUnit != "" {
		w, h := z.Width.Points(), z.Height.Points()
		if z.svgUnit == "mm" {
			w, h = float64(z.Width/vg.Millimeter), float64(z.Height/vg.Millimeter)
		}
		b = svgSize().ReplaceAll(b, []byte(`width="`+fmtLen(w)+z.svgUnit+`" height="`+fmtLen(h)+z.svgUnit+`" viewBox`))
	}
	return bytes.ReplaceAll(b, svgFamily, []byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
}

var svgSize = lazyre.New(`width="[0-9.e+]+pt" height="[0-9.e+]+pt" viewBox`)

func fmtLen(x float64) string {
	return strconv.FormatFloat(math.Round(x*1000)/1000, 'f', -1, 64)
}

// pages holds the images PNGs are drawn on, for the next chart of the
// same size: an article page is 13 MB, and a new one for every chart
// keeps the garbage collector busy.
var pages sync.Pool // of *image.RGBA

// drawPNG draws c on an image of z's pixel size and writes it to w as a
// PNG (see encodePNG).
func drawPNG(w io.Writer, c *Chart, th *Theme, z Size) error {
	wpx, hpx := z.Pixels()
	img, _ := pages.Get().(*image.RGBA)
	if img == nil || img.Rect != image.Rect(0, 0, wpx, hpx) {
		img = image.NewRGBA(image.Rect(0, 0, wpx, hpx))
	}
	defer pages.Put(img)
	// vgimg would draw on a copy of the image; the context draws on img
	// itself, set up as vgimg sets up its own: y upwards, butt caps.
	ctx := gg.NewContextForRGBA(img)
	ctx.SetLineCapButt()
	ctx.InvertY()
	vc := vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(z.dpi()))
	// An opaque background is filled here at once rather than through the
	// rasteriser, pixel by pixel; the result is the same.
	filled := opaque(th.Background)
	if filled {
		imgdraw.Draw(img, img.Rect, image.NewUniform(th.Background), image.Point{}, imgdraw.Src)
	}
	pc := newPNGCanvas(vc, img, ctx, z.Height)
	defer pc.close()
	dc := draw.Canvas{Canvas: pc, Rectangle: vg.Rectangle{Max: vg.Point{X: z.Width, Y: z.Height}}}
	draw1(dc, c, th, z, filled)
	return encodePNG(w, img)
}

// opaque reports whether c is a colour that hides what is under it.
func opaque(c color.Color) bool {
	if c == nil {
		return false
	}
	_, _, _, a := c.RGBA()
	return a == 0xffff
}

// draw1 draws one chart on dc: the page layout of the theme, then the plot
// of the chart's kind in the space left. filled tells that dc is already
// filled with the theme's background.
// It returns the label placer, whose rectangles tests check for overlaps.
func draw1(dc draw.Canvas, c *Chart, th *Theme, z Size, filled bool) *placer {
	st := th.styles(z)
	st.filled = filled
	cols := th.colors(c)
	area := st.layout(dc, c, cols)
	p, pl := st.newPlot(c, cols, area)
	p.Draw(area)
	return pl
}

// newPlot returns a plot of c styled by the theme, with the axes, grid,
// bars, lines and labels of its kind.
func (st *styles) newPlot(c *Chart, cols []color.Color, area draw.Canvas) (*plot.Plot, *placer) {
	th, s := st.th, st.scale
	p := plot.New()
	p.BackgroundColor = nil
	p.TextHandler = st.hdlr
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.LineStyle.Width = 0
		a.Tick.Length = 0
		a.Tick.LineStyle.Width = 0
		a.Padding = 0
		a.Label.TextStyle = st.tick
	}
	p.X.Tick.Label = st.category
	p.Y.Tick.Label = st.tick
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter

	pl := &placer{}
	horizontal := c.Kind == HorizontalBars
	bars, line := c.bars()
	lo, hi := valueRange(c)

	n := len(c.Categories)
	cats := make([]string, n)
	var widths []vg.Length // of the category labels, when vertical
	catMin, catMax := -0.5, float64(n)-0.5
	if horizontal {
		// The first category is at the top.
		for i, name := range c.Categories {
			cats[n-1-i] = name
		}
		p.NominalY(cats...)
		p.Y.Tick.Label = st.category
		p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
		p.HideX()
		p.Y.Padding = 12 * s
		p.X.Padding = 0
		p.Y.Min, p.Y.Max = catMin, catMax
		p.X.Min, p.X.Max = lo, hi
	} else {
		slot := (area.Max.X - area.Min.X) / vg.Length(n)
		widths = make([]vg.Length, n)
		for i, name := range c.Categories {
			lines := wrap(st.category, name, slot*0.92)
			cats[i] = joinLines(lines)
			for _, l := range lines {
				widths[i] = max(widths[i], width(st.category, l))
			}
		}
		p.NominalX(cats...)
		p.X.Padding = 12 * s
		p.Y.Padding = 10 * s
		ticks := niceTicks(lo, hi, c.Lang)
		p.Y.Tick.Marker = plot.ConstantTicks(ticks)
		p.X.Min, p.X.Max = catMin, catMax
		p.Y.Min, p.Y.Max = ticks[0].Value, ticks[len(ticks)-1].Value
	}
	// The data canvas before any layer asks for room: the space between
	// the first and the last tick that the labels must fit in.
	bare := p.DataCanvas(area)
	length := bare.Max.Y - bare.Min.Y
	if horizontal {
		length = bare.Max.X - bare.Min.X
	}

	var layers []plot.Plotter
	var boxes []labelBox
	if len(bars) > 0 {
		bl := newBarLayer(st, c, bars, cols[:len(bars)], horizontal, c.Kind == Stacked, pl, area)
		layers = append(layers, bl)
		boxes = append(boxes, bl.labelBoxes()...)
	}
	if c.Kind == Lines {
		for i := range c.Series {
			ll := newLineLayer(st, c, &c.Series[i], cols[i], pl)
			layers = append(layers, ll)
			boxes = append(boxes, ll.labelBoxes()...)
		}
	} else if line != nil {
		ll := newLineLayer(st, c, line, cols[len(cols)-1], pl)
		layers = append(layers, ll)
		boxes = append(boxes, ll.labelBoxes()...)
	}

	var vmin, vmax float64
	if horizontal {
		// The value axis of horizontal bars is hidden: its range need not
		// end at round numbers.
		vmin, vmax = fitRange(lo, hi, length, boxes, true, headroom*s, func(lo, hi float64) (float64, float64) { return lo, hi })
	} else {
		var ticks []plot.Tick
		vmin, vmax = fitRange(lo, hi, length, boxes, false, headroom*s, func(lo, hi float64) (float64, float64) {
			ticks = niceTicks(lo, hi, c.Lang)
			return ticks[0].Value, ticks[len(ticks)-1].Value
		})
		p.Y.Tick.Marker = plot.ConstantTicks(ticks)
		grid := plotter.NewGrid()
		grid.Vertical.Color = nil
		grid.Horizontal.Color = th.Grid
		grid.Horizontal.Width = th.GridWidth * s
		p.Add(grid)
	}
	p.Add(&zeroLine{horizontal: horizontal, style: draw.LineStyle{Color: th.Baseline, Width: th.BaselineWidth * s}})
	p.Add(layers...)
	// The plotters widen the range to their data; the range is the one
	// fitted to the labels.
	if horizontal {
		p.X.Min, p.X.Max = vmin, vmax
		return p, pl
	}
	p.Y.Min, p.Y.Max = vmin, vmax
	// Labels wider than their categories would print over each other:
	// every k-th is shown, from the first. The categories stand as far
	// apart as the data canvas allows, which the value axis's tick labels
	// and the labels at the ends of a line narrow, by more than the room
	// st.slot keeps for them ("СентябрьНоябрь" on a monthly balance in
	// tens of millions); leaving labels out only widens it.
	d := p.DataCanvas(area)
	if k := categoryStep(widths, (d.Max.X-d.Min.X)/vg.Length(n), 8*s); k > 1 {
		ticks := make([]plot.Tick, n)
		for i := range ticks {
			ticks[i].Value = float64(i)
			if i%k == 0 {
				ticks[i].Label = cats[i]
			}
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
	}
	return p, pl
}

// categoryStep returns the least k such that, of labels widths wide
// centred on categories slot apart, every k-th from the first stands at
// least gap clear of the next one shown.
func categoryStep(widths []vg.Length, slot, gap vg.Length) int {
	for k := 1; k < len(widths); k++ {
		clear := true
		for i := 0; i+k < len(widths) && clear; i += k {
			clear = (widths[i]+widths[i+k])/2+gap <= vg.Length(k)*slot
		}
		if clear {
			return k
		}
	}
	return max(1, len(widths))
}

// labelBox is the room a label needs around a value: r is relative to the
// point of value v at position at along the category axis.
type labelBox struct {
	at, v float64
	r     vg.Rectangle
}

// glyphBoxes converts label boxes into the glyph boxes of a plot, with the
// value axis horizontal when horizontal is set.
func glyphBoxes(p *plot.Plot, boxes []labelBox, horizontal bool) []plot.GlyphBox {
	out := make([]plot.GlyphBox, 0, len(boxes))
	for _, b := range boxes {
		g := plot.GlyphBox{X: p.X.Norm(b.at), Y: p.Y.Norm(b.v), Rectangle: b.r}
		if horizontal {
			g.X, g.Y = p.X.Norm(b.v), p.Y.Norm(b.at)
		}
		out = append(out, g)
	}
	return out
}

// maxFitRounds bounds the widening of the value axis in fitRange.
const maxFitRounds = 8

// headroom is the clear space, in points of a page 1200 points wide, that
// fitRange leaves between a label and the end of the value axis.
const headroom = 8

// fitRange returns the range of the value axis, from at or below lo to at
// or above hi, in which every label box fits inside a data canvas length
// long along the value axis (horizontal when horizontal is set), with
// clear space to spare, so that the label of the tallest bar stands below
// the top of the plot rather than on or above the last gridline. ends turns a wanted range into the
// one drawn (round ticks, say), which must contain it. A box longer than
// the canvas is ignored, since no range makes it fit; its label is left out
// when drawn.
//
// A label reaching up from value v fits when
//
//	(v − vmin) / (vmax − vmin) · length + up ≤ length,
//
// that is when vmax ≥ vmin + (v − vmin) · length / (length − up); labels
// reaching down from v fit by the mirror condition on vmin.
func fitRange(lo, hi float64, length vg.Length, boxes []labelBox, horizontal bool, clear vg.Length, ends func(lo, hi float64) (float64, float64)) (vmin, vmax float64) {
	lo, hi = math.Min(0, lo), math.Max(0, hi)
	if !(hi > lo) {
		hi = lo + 1
	}
	want := func(b labelBox) (up, down vg.Length) {
		if horizontal {
			up, down = b.r.Max.X, -b.r.Min.X
		} else {
			up, down = b.r.Max.Y, -b.r.Min.Y
		}
		if up > 0 {
			up += clear
		}
		if down > 0 {
			down += clear
		}
		return max(up, 0), max(down, 0)
	}
	for range maxFitRounds {
		vmin, vmax = ends(lo, hi)
		span := vmax - vmin
		if !(span > 0) || length <= 0 {
			return vmin, vmax
		}
		nlo, nhi := lo, hi
		for _, b := range boxes {
			up, down := want(b)
			at := vg.Length((b.v-vmin)/span) * length
			if up > 0 && up < length && at+up > length+slack {
				nhi = math.Max(nhi, vmin+(b.v-vmin)*float64(length/(length-up)))
			}
			if down > 0 && down < length && at-down < -slack {
				nlo = math.Min(nlo, vmax-(vmax-b.v)*float64(length/(length-down)))
			}
		}
		if nlo == lo && nhi == hi {
			return vmin, vmax
		}
		lo, hi = nlo, nhi
	}
	return vmin, vmax
}

func joinLines(lines []string) string {
	out := ""
	for i, l := range lines {
		if i > 0 {
			out += "\n"
		}
		out += l
	}
	return out
}

// valueRange returns the smallest and largest value drawn, counting stacks
// as their sums and always including zero.
func valueRange(c *Chart) (lo, hi float64) {
	bars, _ := c.bars()
	for i := range c.Categories {
		if c.Kind == Stacked {
			var pos, neg float64
			for _, s := range bars {
				if !s.ok(i) {
					continue
				}
				if s.Values[i] >= 0 {
					pos += s.Values[i]
				} else {
					neg += s.Values[i]
				}
			}
			lo, hi = math.Min(lo, neg), math.Max(hi, pos)
			continue
		}
		for _, s := range c.Series {
			if s.ok(i) {
				lo, hi = math.Min(lo, s.Values[i]), math.Max(hi, s.Values[i])
			}
		}
	}
	return lo, hi
}

// maxTicks bounds the ticks of an axis whatever rounding does.
const maxTicks = 20

// niceTicks returns about five evenly spaced ticks at round numbers from
// at or below lo to at or above hi, labelled in language l with as many
// decimals as the step needs.
func niceTicks(lo, hi float64, l Lang) []plot.Tick {
	// A span too small for a tick step of its own (all values equal, or
	// denormal differences) gets a unit range.
	if !(hi-lo > 1e-9*math.Max(1, math.Max(math.Abs(lo), math.Abs(hi)))) {
		hi = lo + math.Max(1, math.Abs(lo)*0.1)
	}
	raw := (hi - lo) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	var step float64
	quarter := false // a step of 2.5 × mag, whose labels need a decimal more
	switch r := raw / mag; {
	case r <= 1:
		step = mag
	case r <= 2:
		step = 2 * mag
	case r <= 2.5:
		step, quarter = 2.5*mag, true
	case r <= 5:
		step = 5 * mag
	default:
		step = 10 * mag
	}
	dec := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	if quarter && mag < 10 {
		dec++ // 2.5, 0.25, 0.025: a digit past the step's first
	}
	first := math.Floor(lo/step+1e-9) * step
	last := math.Ceil(hi/step-1e-9) * step
	var ticks []plot.Tick
	for i := 0; i < maxTicks; i++ {
		v := first + float64(i)*step
		if v > last+step/2 {
			break
		}
		v = math.Round(v/step) * step
		if v == 0 {
			v = 0 // no negative zero
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: FormatNumber(v, dec, l)})
	}
	return ticks
}
