package charts

import (
	"fmt"
	"strings"

	"gonum.org/v1/plot/vg"
)

// Size is the size of a chart. Lengths are in vg units, points of 1/72
// inch; the web presets count one point as one CSS pixel, so that an
// SVG of the article preset is 1200 pixels wide. A PNG has Width·DPI/72 by
// Height·DPI/72 pixels, rounded to the nearest pixel.
type Size struct {
	// Name is the preset's name, or empty for a custom size.
	Name string
	// Width and Height are the size of the page.
	Width, Height vg.Length
	// DPI is the resolution of PNG output in dots per inch; 144 draws a
	// web chart at twice its CSS pixel size.
	DPI int

	// svgUnit is the unit the SVG's width and height are given in: "px"
	// for the web presets, "mm" for print, and points otherwise.
	svgUnit string
}

// The size presets.
var (
	// Article is for the web: 1200×675 CSS pixels, PNG at 2× pixel
	// density, 2400×1350 pixels.
	Article = Size{Name: "article", Width: 1200, Height: 675, DPI: 144, svgUnit: "px"}
	// Square is for social media that crop to a square: 1080×1080 pixels.
	Square = Size{Name: "square", Width: 1080, Height: 1080, DPI: 72, svgUnit: "px"}
	// Social is for link previews and posts: 1600×900 pixels.
	Social = Size{Name: "social", Width: 1600, Height: 900, DPI: 72, svgUnit: "px"}
	// Print is 160×90 mm at 300 dpi (PNG 1890×1063 pixels).
	Print = Size{Name: "print", Width: 160 * vg.Millimeter, Height: 90 * vg.Millimeter, DPI: 300, svgUnit: "mm"}
)

// Sizes returns the size presets in a fixed order.
func Sizes() []Size { return []Size{Article, Square, Social, Print} }

// ParseSize returns the preset named s (article, square, social, print). It
// returns an error wrapping [ErrUnknownSize] for other names.
func ParseSize(s string) (Size, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	names := make([]string, 0, 4)
	for _, z := range Sizes() {
		if z.Name == name {
			return z, nil
		}
		names = append(names, z.Name)
	}
	return Size{}, fmt.Errorf("%w %q (want one of %s)", ErrUnknownSize, s, strings.Join(names, ", "))
}

// String returns the preset's name, or WxH in points for a custom size.
func (z Size) String() string {
	if z.Name != "" {
		return z.Name
	}
	return fmt.Sprintf("%gx%g", z.Width.Points(), z.Height.Points())
}

// Pixels returns the width and height of a PNG of size z.
func (z Size) Pixels() (w, h int) {
	dpi := float64(z.dpi())
	return int(z.Width.Dots(dpi) + 0.5), int(z.Height.Dots(dpi) + 0.5)
}

func (z Size) dpi() int {
	if z.DPI <= 0 {
		return 72
	}
	return z.DPI
}

// scale is the factor that the theme's lengths, given for a page 1200
// points wide, are multiplied by.
func (z Size) scale() vg.Length { return z.Width / 1200 }

func (z Size) valid() bool { return z.Width > 0 && z.Height > 0 }

// Format is an output format of a chart.
type Format string

// The output formats.
const (
	PNG Format = "png"
	SVG Format = "svg"
	PDF Format = "pdf"
)

// Formats returns the output formats in a fixed order.
func Formats() []Format { return []Format{PNG, SVG, PDF} }

// ParseFormat returns the format named s (png, svg, pdf). It returns an
// error wrapping [ErrUnknownFormat] for other names.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case PNG, SVG, PDF:
		return f, nil
	}
	return "", fmt.Errorf("%w %q (want png, svg or pdf)", ErrUnknownFormat, s)
}

// ParseFormats parses a comma-separated list of formats such as
// "png,svg", dropping duplicates and keeping the order given. It returns
// an error wrapping [ErrUnknownFormat] for an unknown name or an empty list.
func ParseFormats(s string) ([]Format, error) {
	var out []Format
	for part := range strings.SplitSeq(s, ",") {
		f, err := ParseFormat(part)
		if err != nil {
			return nil, err
		}
		if !containsFormat(out, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

func containsFormat(fs []Format, f Format) bool {
	for _, g := range fs {
		if g == f {
			return true
		}
	}
	return false
}

// String returns the format's name, which is also its file extension.
func (f Format) String() string { return string(f) }
