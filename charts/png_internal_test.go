package charts

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/adler32"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/rand/v2"
	"testing"
)

// pngTestImage returns a w×h image on white with bands of repeated rows,
// long and short, and rows that differ from the row above in a few pixels
// or, when noisy, in every pixel.
func pngTestImage(w, h int, noisy bool) *image.RGBA {
	rng := rand.New(rand.NewPCG(1, 2))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y := range h {
		switch {
		case noisy:
			for x := range w {
				img.SetRGBA(x, y, color.RGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 0xff})
			}
		case y%23 == 5 || y%29 == 0:
			for x := range w {
				img.SetRGBA(x, y, color.RGBA{0xdd, 0xdd, 0xdd, 0xff})
			}
		case y%41 == 3:
			img.SetRGBA(rng.IntN(w), y, color.RGBA{0x00, 0x72, 0xb2, 0xff})
		}
	}
	return img
}

// idat returns the zlib stream of a PNG's IDAT chunks.
func idat(t *testing.T, b []byte) []byte {
	t.Helper()
	var out []byte
	b = b[8:]
	for len(b) >= 12 {
		n := int(binary.BigEndian.Uint32(b))
		if string(b[4:8]) == "IDAT" {
			out = append(out, b[8:8+n]...)
		}
		b = b[12+n:]
	}
	return out
}

func TestEncodePNG(t *testing.T) {
	t.Parallel()
	translucent := pngTestImage(40, 60, false)
	translucent.SetRGBA(3, 50, color.RGBA{0x40, 0x40, 0x40, 0x80})
	firstTranslucent := pngTestImage(40, 60, false)
	firstTranslucent.SetRGBA(0, 0, color.RGBA{0, 0, 0, 0})
	white := image.NewRGBA(image.Rect(0, 0, 50, 400))
	for i := range white.Pix {
		white.Pix[i] = 0xff
	}
	cases := []struct {
		name string
		img  *image.RGBA
		std  bool // written by image/png
	}{
		{name: "chart-like", img: pngTestImage(203, 300, false)},
		{name: "odd width", img: pngTestImage(37, 120, false)},
		{name: "one pixel", img: pngTestImage(1, 1, false)},
		{name: "one column", img: pngTestImage(1, 90, false)},
		{name: "noise", img: pngTestImage(64, 64, true)},
		{name: "all repeated", img: white},
		{name: "transparent", img: image.NewRGBA(image.Rect(0, 0, 50, 400)), std: true},
		{name: "sub-image", img: pngTestImage(120, 200, false).SubImage(image.Rect(13, 17, 101, 190)).(*image.RGBA)},
		{name: "translucent", img: translucent, std: true},
		{name: "translucent first pixel", img: firstTranslucent, std: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got bytes.Buffer
			if err := encodePNG(&got, tc.img); err != nil {
				t.Fatalf("encodePNG: %v", err)
			}
			if tc.std {
				var want bytes.Buffer
				if err := stdPNG.Encode(&want, tc.img); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), want.Bytes()) {
					t.Errorf("encodePNG of a translucent image differs from image/png's")
				}
				return
			}
			// The zlib reader checks the Adler-32 checksum at the end.
			zr, err := zlib.NewReader(bytes.NewReader(idat(t, got.Bytes())))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.ReadAll(zr); err != nil {
				t.Fatalf("read the zlib stream: %v", err)
			}
			dec, err := png.Decode(bytes.NewReader(got.Bytes()))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			b := tc.img.Bounds()
			if dec.Bounds().Size() != b.Size() {
				t.Fatalf("decoded size %v, want %v", dec.Bounds().Size(), b.Size())
			}
			for y := range b.Dy() {
				for x := range b.Dx() {
					want := tc.img.RGBAAt(b.Min.X+x, b.Min.Y+y)
					if got := color.RGBAModel.Convert(dec.At(x, y)); got != want {
						t.Fatalf("pixel (%d, %d) = %v, want %v", x, y, got, want)
					}
				}
			}
			var again bytes.Buffer
			if err := encodePNG(&again, tc.img); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), again.Bytes()) {
				t.Errorf("two encodings of one image differ")
			}
		})
	}
}

func TestAdler(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	var data []byte
	sum := adler{a: 1}
	for i := range 300 {
		n := 1 + rng.IntN(20000)
		if i%3 == 0 {
			// A repeated row: the filter byte Up and zeros.
			row := make([]byte, n)
			row[0] = 2
			data = append(data, row...)
			sum.writeZeroRow(n)
			continue
		}
		row := make([]byte, n)
		for j := range row {
			if rng.IntN(10) == 0 {
				row[j] = byte(rng.IntN(256))
			}
		}
		data = append(data, row...)
		sum.write(row)
	}
	if got, want := sum.sum(), adler32.Checksum(data); got != want {
		t.Errorf("adler sum = %#x, want %#x", got, want)
	}
}
