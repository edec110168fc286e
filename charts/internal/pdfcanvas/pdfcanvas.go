// Copyright ©2015 The Gonum Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.
//
// This file is derived from gonum.org/v1/plot/vg/vgpdf (v0.17.0). The
// changes: fonts are embedded as UTF-8 TrueType subsets with a ToUnicode map
// instead of through the cp1252 code page, so that Cyrillic and other
// non-Latin text is drawn and can be extracted (gonum/plot issue 347); the
// creation and modification dates are fixed by the caller; resource
// catalogs are sorted so that the same drawing gives the same bytes; no
// temporary files are written; and errors are returned from WriteTo instead
// of panicking or being logged.

// Package pdfcanvas implements the vg.Canvas interface of gonum/plot on top
// of codeberg.org/go-pdf/fpdf, embedding fonts with full Unicode coverage.
package pdfcanvas

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"time"

	pdf "codeberg.org/go-pdf/fpdf"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// DPI is the nominal resolution of drawing in PDF.
const DPI = 72

// Canvas implements the vg.Canvas interface, drawing to a PDF document of a
// single page.
type Canvas struct {
	doc  *pdf.Fpdf
	w, h vg.Length

	numImages int
	stack     []context
	fonts     map[string]bool
	err       error
}

type context struct {
	fill  color.Color
	line  color.Color
	width vg.Length
}

// New returns a canvas of width w and height h whose document carries the
// creation and modification date date. It panics if date is the zero time:
// a PDF must never carry the clock.
func New(w, h vg.Length, date time.Time) *Canvas {
	if date.IsZero() {
		panic("pdfcanvas: zero creation date")
	}
	cfg := pdf.InitType{
		UnitStr: "pt",
		Size:    pdf.SizeType{Wd: w.Points(), Ht: h.Points()},
	}
	doc := pdf.NewCustom(&cfg)
	doc.SetCreationDate(date)
	doc.SetModificationDate(date)
	doc.SetCatalogSort(true)
	doc.SetAutoPageBreak(false, 0)
	c := &Canvas{
		doc:   doc,
		w:     w,
		h:     h,
		stack: make([]context, 1),
		fonts: make(map[string]bool),
	}
	c.doc.SetMargins(0, 0, 0)
	c.doc.AddPage()
	c.Push()
	c.Translate(vg.Point{X: 0, Y: c.h})
	c.Scale(1, -1)
	vg.Initialize(c)
	return c
}

// SetInfo sets the document's title and creator in its metadata.
func (c *Canvas) SetInfo(title, creator string) {
	if title != "" {
		c.doc.SetTitle(title, true)
	}
	if creator != "" {
		c.doc.SetCreator(creator, true)
		c.doc.SetProducer(creator, true)
	}
}

// DPI returns the nominal resolution of the canvas.
func (c *Canvas) DPI() float64 { return DPI }

func (c *Canvas) context() *context { return &c.stack[len(c.stack)-1] }

// Size returns the size of the page.
func (c *Canvas) Size() (w, h vg.Length) { return c.w, c.h }

// SetLineWidth implements vg.Canvas.
func (c *Canvas) SetLineWidth(w vg.Length) {
	c.context().width = w
	c.doc.SetLineWidth(c.unit(w))
}

// SetLineDash implements vg.Canvas.
func (c *Canvas) SetLineDash(dashes []vg.Length, offs vg.Length) {
	ds := make([]float64, len(dashes))
	for i, d := range dashes {
		ds[i] = c.unit(d)
	}
	c.doc.SetDashPattern(ds, c.unit(offs))
}

// SetColor implements vg.Canvas.
func (c *Canvas) SetColor(clr color.Color) {
	if clr == nil {
		clr = color.Black
	}
	c.context().line = clr
	c.context().fill = clr
	r, g, b, a := rgba(clr)
	c.doc.SetFillColor(r, g, b)
	c.doc.SetDrawColor(r, g, b)
	c.doc.SetTextColor(r, g, b)
	c.doc.SetAlpha(a, "Normal")
}

// Rotate implements vg.Canvas.
func (c *Canvas) Rotate(r float64) {
	c.doc.TransformRotate(-r*180/math.Pi, 0, 0)
}

// Translate implements vg.Canvas.
func (c *Canvas) Translate(pt vg.Point) {
	xp, yp := c.pdfPoint(pt)
	c.doc.TransformTranslate(xp, yp)
}

// Scale implements vg.Canvas.
func (c *Canvas) Scale(x float64, y float64) {
	c.doc.TransformScale(x*100, y*100, 0, 0)
}

// Push implements vg.Canvas.
func (c *Canvas) Push() {
	c.stack = append(c.stack, *c.context())
	c.doc.TransformBegin()
}

// Pop implements vg.Canvas.
func (c *Canvas) Pop() {
	c.doc.TransformEnd()
	c.stack = c.stack[:len(c.stack)-1]
}

// Stroke implements vg.Canvas.
func (c *Canvas) Stroke(p vg.Path) {
	if c.context().width > 0 {
		c.pdfPath(p, "D")
	}
}

// Fill implements vg.Canvas.
func (c *Canvas) Fill(p vg.Path) { c.pdfPath(p, "F") }

// FillString implements vg.Canvas. The font is embedded as a UTF-8
// TrueType subset the first time it is used.
func (c *Canvas) FillString(fnt font.Face, pt vg.Point, str string) {
	if fnt.Font.Size == 0 || c.err != nil {
		return
	}
	name := fnt.Name()
	if !c.fonts[name] {
		raw := new(bytes.Buffer)
		if _, err := fnt.Face.WriteSourceTo(nil, raw); err != nil {
			c.err = fmt.Errorf("pdfcanvas: font %q: %w", name, err)
			return
		}
		c.doc.AddUTF8FontFromBytes(name, "", raw.Bytes())
		c.fonts[name] = true
	}
	c.doc.SetFont(name, "", c.unit(fnt.Font.Size))

	c.Push()
	defer c.Pop()
	c.Translate(pt)
	// fpdf puts the origin at the top left corner.
	c.Scale(1, -1)
	left, top, right, bottom := c.sbounds(name, str)
	margin := c.doc.GetCellMargin()
	c.doc.MoveTo(-left-margin, top)
	c.doc.CellFormat(right-left, bottom-top, str, "", 0, "BL", false, 0, "")
}

func (c *Canvas) sbounds(name, txt string) (left, top, right, bottom float64) {
	_, h := c.doc.GetFontSize()
	d := c.doc.GetFontDesc(name, "")
	if d.Ascent == 0 {
		top = 0.81 * h
	} else {
		top = -float64(d.Ascent) * h / float64(d.Ascent-d.Descent)
	}
	return 0, top, c.doc.GetStringWidth(txt), top + h
}

// DrawImage implements vg.Canvas.
func (c *Canvas) DrawImage(rect vg.Rectangle, img image.Image) {
	if c.err != nil {
		return
	}
	opts := pdf.ImageOptions{ImageType: "png", ReadDpi: true}
	c.numImages++
	name := fmt.Sprintf("image_%03d.png", c.numImages)
	buf := new(bytes.Buffer)
	if err := png.Encode(buf, img); err != nil {
		c.err = fmt.Errorf("pdfcanvas: encode image: %w", err)
		return
	}
	c.doc.RegisterImageOptionsReader(name, opts, buf)
	xp, yp := c.pdfPoint(rect.Min)
	wp, hp := c.pdfPoint(rect.Size())
	c.doc.ImageOptions(name, xp, yp, wp, hp, false, opts, 0, "")
}

func (c *Canvas) pdfPath(path vg.Path, style string) {
	var xp, yp float64
	for _, comp := range path {
		switch comp.Type {
		case vg.MoveComp:
			xp, yp = c.pdfPoint(comp.Pos)
			c.doc.MoveTo(xp, yp)
		case vg.LineComp:
			c.doc.LineTo(c.pdfPoint(comp.Pos))
		case vg.ArcComp:
			c.arc(comp, style)
		case vg.CurveComp:
			px, py := c.pdfPoint(comp.Pos)
			switch len(comp.Control) {
			case 1:
				cx, cy := c.pdfPoint(comp.Control[0])
				c.doc.CurveTo(cx, cy, px, py)
			case 2:
				cx, cy := c.pdfPoint(comp.Control[0])
				dx, dy := c.pdfPoint(comp.Control[1])
				c.doc.CurveBezierCubicTo(cx, cy, dx, dy, px, py)
			default:
				c.err = errors.New("pdfcanvas: invalid number of control points")
			}
		case vg.CloseComp:
			c.doc.LineTo(xp, yp)
			c.doc.ClosePath()
		default:
			c.err = fmt.Errorf("pdfcanvas: unknown path component type %d", comp.Type)
		}
	}
	c.doc.DrawPath(style)
}

func (c *Canvas) arc(comp vg.PathComp, style string) {
	x0 := comp.Pos.X + comp.Radius*vg.Length(math.Cos(comp.Start))
	y0 := comp.Pos.Y + comp.Radius*vg.Length(math.Sin(comp.Start))
	c.doc.LineTo(c.unit(x0), c.unit(y0))
	r := c.unit(comp.Radius)
	const deg = 180 / math.Pi
	angle := comp.Angle * deg
	beg := comp.Start * deg
	end := beg + angle
	c.doc.Arc(c.unit(comp.Pos.X), c.unit(comp.Pos.Y), r, r, angle, beg, end, style)
	x1 := comp.Pos.X + comp.Radius*vg.Length(math.Cos(comp.Start+comp.Angle))
	y1 := comp.Pos.Y + comp.Radius*vg.Length(math.Sin(comp.Start+comp.Angle))
	c.doc.MoveTo(c.unit(x1), c.unit(y1))
}

func (c *Canvas) pdfPoint(pt vg.Point) (float64, float64) {
	return c.unit(pt.X), c.unit(pt.Y)
}

func (c *Canvas) unit(l vg.Length) float64 { return l.Dots(DPI) }

type writerCounter struct {
	io.Writer
	n int64
}

// Write implements io.Writer, counting the bytes written.
func (w *writerCounter) Write(p []byte) (int, error) {
	n, err := w.Writer.Write(p)
	w.n += int64(n)
	return n, err
}

// WriteTo writes the document to w. It returns the first error met while
// drawing, if any, before writing anything. After WriteTo the canvas is
// closed and may no longer be used.
func (c *Canvas) WriteTo(w io.Writer) (int64, error) {
	if c.err != nil {
		return 0, c.err
	}
	if err := c.doc.Error(); err != nil {
		return 0, fmt.Errorf("pdfcanvas: %w", err)
	}
	c.Pop()
	c.doc.Close()
	var buf bytes.Buffer
	if err := c.doc.Output(&buf); err != nil {
		return 0, fmt.Errorf("pdfcanvas: %w", err)
	}
	wc := writerCounter{Writer: w}
	b := bufio.NewWriter(&wc)
	if _, err := buf.WriteTo(b); err != nil {
		return wc.n, err
	}
	err := b.Flush()
	return wc.n, err
}

func rgba(c color.Color) (int, int, int, float64) {
	r, g, b, a := c.RGBA()
	return int(r >> 8), int(g >> 8), int(b >> 8), float64(a) / math.MaxUint16
}
