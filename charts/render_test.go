package charts_test

import (
	"bytes"
	"errors"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot/cmpimg"

	"github.com/tradedesk/report/charts"
	"github.com/tradedesk/report/internal/golden"
)

var asOf = time.Date(2024, 10, 15, 0, 0, 0, 0, time.UTC)

func render(t testing.TB, c *charts.Chart, f charts.Format, o charts.Options) []byte {
	t.Helper()
	if o.AsOf.IsZero() {
		o.AsOf = asOf
	}
	var buf bytes.Buffer
	if err := charts.Render(&buf, c, f, o); err != nil {
		t.Fatalf("Render(%s, %s): %v", c.ID, f, err)
	}
	return buf.Bytes()
}

func TestGoldenSVG(t *testing.T) {
	t.Parallel()
	for _, c := range samples(t) {
		t.Run(c.ID, func(t *testing.T) {
			golden.Check(t, "golden/"+c.ID+".svg", render(t, c, charts.SVG, charts.Options{}))
		})
	}
}

// pngTolerance allows for rasterisation that differs by CPU architecture.
const pngTolerance = 0.02

func TestGoldenPNG(t *testing.T) {
	t.Parallel()
	for _, c := range samples(t) {
		if c.ID != "kaz-arm-trade" && c.ID != "kaz-arm-fdi-line" {
			continue
		}
		t.Run(c.ID, func(t *testing.T) {
			got := render(t, c, charts.PNG, charts.Options{})
			golden.CheckFunc(t, "golden/"+c.ID+".png", got, func(want, got []byte) bool {
				ok, err := cmpimg.EqualApprox("png", want, got, pngTolerance)
				if err != nil {
					t.Errorf("compare PNG: %v", err)
				}
				return ok
			})
		})
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	for _, c := range samples(t) {
		for _, f := range charts.Formats() {
			t.Run(c.ID+"."+string(f), func(t *testing.T) {
				a := render(t, c, f, charts.Options{})
				b := render(t, c, f, charts.Options{})
				if !bytes.Equal(a, b) {
					t.Errorf("two renderings of %s as %s differ", c.ID, f)
				}
			})
		}
	}
}

func TestPNGSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		size       charts.Size
		wantW, wan int
	}{
		{charts.Article, 2400, 1350},
		{charts.Square, 1080, 1080},
		{charts.Social, 1600, 900},
		{charts.Print, 1890, 1063},
	}
	c := samples(t)[0]
	for _, tc := range tests {
		t.Run(tc.size.Name, func(t *testing.T) {
			cfg, err := png.DecodeConfig(bytes.NewReader(render(t, c, charts.PNG, charts.Options{Size: tc.size})))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Width != tc.wantW || cfg.Height != tc.wan {
				t.Errorf("PNG at %s is %d×%d, want %d×%d", tc.size.Name, cfg.Width, cfg.Height, tc.wantW, tc.wan)
			}
			if w, h := tc.size.Pixels(); w != tc.wantW || h != tc.wan {
				t.Errorf("%s.Pixels() = %d×%d, want %d×%d", tc.size.Name, w, h, tc.wantW, tc.wan)
			}
		})
	}
}

func TestSVGSize(t *testing.T) {
	t.Parallel()
	c := samples(t)[0]
	tests := []struct {
		size charts.Size
		want string
	}{
		{charts.Article, `width="1200px" height="675px" viewBox="0 0 1200 675"`},
		{charts.Print, `width="160mm" height="90mm"`},
	}
	for _, tc := range tests {
		t.Run(tc.size.Name, func(t *testing.T) {
			if got := render(t, c, charts.SVG, charts.Options{Size: tc.size}); !bytes.Contains(got, []byte(tc.want)) {
				t.Errorf("SVG at %s lacks %s; starts %.300s", tc.size.Name, tc.want, got)
			}
		})
	}
}

// TestPDFText checks that the PDF carries its Cyrillic text as text, which
// gonum/plot's own PDF backend garbles (gonum/plot issue 347).
func TestPDFText(t *testing.T) {
	t.Parallel()
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	for _, c := range samples(t) {
		t.Run(c.ID, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), c.ID+".pdf")
			if err := os.WriteFile(path, render(t, c, charts.PDF, charts.Options{}), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(pdftotext, "-enc", "UTF-8", path, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			text := string(out)
			wants := []string{c.Title, c.Source}
			if len(c.Series) > 1 {
				wants = append(wants, c.Series[0].Name)
			}
			for _, want := range wants {
				if !strings.Contains(text, want) {
					t.Errorf("text of %s.pdf lacks %q; it is:\n%s", c.ID, want, text)
				}
			}
		})
	}
}

func TestPDFDate(t *testing.T) {
	t.Parallel()
	c := samples(t)[0]
	got := render(t, c, charts.PDF, charts.Options{AsOf: time.Date(2024, 10, 15, 12, 30, 0, 0, time.UTC)})
	for _, want := range []string{"/CreationDate (D:20241015123000", "/ModDate (D:20241015123000"} {
		if !bytes.Contains(got, []byte(want)) {
			t.Errorf("PDF lacks %q", want)
		}
	}
	err := charts.Render(&bytes.Buffer{}, c, charts.PDF, charts.Options{})
	if !errors.Is(err, charts.ErrNoAsOf) {
		t.Errorf("Render PDF without as-of: error %v, want ErrNoAsOf", err)
	}
}

func TestRenderUnknownFormat(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	err := charts.Render(&buf, samples(t)[0], charts.Format("gif"), charts.Options{})
	if !errors.Is(err, charts.ErrUnknownFormat) {
		t.Errorf("Render gif: error %v, want ErrUnknownFormat", err)
	}
	if buf.Len() != 0 {
		t.Errorf("Render gif wrote %d bytes", buf.Len())
	}
}

func BenchmarkRender(b *testing.B) {
	c := samples(b)[0]
	for _, f := range charts.Formats() {
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			var buf bytes.Buffer
			o := charts.Options{Size: charts.Article, AsOf: asOf}
			for b.Loop() {
				buf.Reset()
				if err := charts.Render(&buf, c, f, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestPNGMatchesVgimg checks that the faster drawing of PNGs (text, filled
// polygons and the page set straight onto the image, and the encoder) gives
// the same pixels as drawing through vgimg.
func TestPNGMatchesVgimg(t *testing.T) {
	t.Parallel()
	for _, c := range samples(t) {
		for _, z := range []charts.Size{charts.Article, charts.Square, charts.Print} {
			t.Run(c.ID+"/"+z.Name, func(t *testing.T) {
				got, err := png.Decode(bytes.NewReader(render(t, c, charts.PNG, charts.Options{Size: z})))
				if err != nil {
					t.Fatalf("decode: %v", err)
				}
				want := charts.VgimgImage(c, z)
				if got.Bounds() != want.Bounds() {
					t.Fatalf("bounds %v, want %v", got.Bounds(), want.Bounds())
				}
				n := 0
				b := want.Bounds()
				for y := b.Min.Y; y < b.Max.Y; y++ {
					for x := b.Min.X; x < b.Max.X; x++ {
						if color.RGBAModel.Convert(got.At(x, y)) != color.RGBAModel.Convert(want.At(x, y)) {
							if n == 0 {
								t.Errorf("pixel (%d, %d) = %v, want %v", x, y, got.At(x, y), want.At(x, y))
							}
							n++
						}
					}
				}
				if n > 0 {
					t.Errorf("%d of %d pixels differ from vgimg's drawing", n, b.Dx()*b.Dy())
				}
			})
		}
	}
}

// TestPNGBackground checks the page's background in a corner of the PNG,
// for the house style's white, another opaque colour and a transparent
// one, which is drawn over vgimg's white.
func TestPNGBackground(t *testing.T) {
	c := samples(t)[0]
	tests := []struct {
		bg, want color.Color
	}{
		{color.White, color.NRGBA{255, 255, 255, 255}},
		{color.NRGBA{250, 245, 230, 255}, color.NRGBA{250, 245, 230, 255}},
		{color.Transparent, color.NRGBA{255, 255, 255, 255}},
	}
	for _, tc := range tests {
		th := charts.DefaultTheme()
		th.Background = tc.bg
		// Drawn twice: the second page comes from the pool, with the
		// first one's pixels.
		for range 2 {
			img, err := png.Decode(bytes.NewReader(render(t, c, charts.PNG, charts.Options{Theme: th})))
			if err != nil {
				t.Fatal(err)
			}
			if got := color.NRGBAModel.Convert(img.At(0, 0)); got != tc.want {
				t.Errorf("background %v: corner %v; want %v", tc.bg, got, tc.want)
			}
		}
	}
}
