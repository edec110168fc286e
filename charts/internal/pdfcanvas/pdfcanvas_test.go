package pdfcanvas_test

import (
	"bytes"
	"testing"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/tradedesk/report/charts/internal/pdfcanvas"
)

func TestNewPanicsWithoutDate(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Errorf("New with a zero date did not panic")
		}
	}()
	pdfcanvas.New(100, 100, time.Time{})
}

func TestWriteTo(t *testing.T) {
	t.Parallel()
	date := time.Date(2024, 10, 15, 0, 0, 0, 0, time.UTC)
	draw := func() []byte {
		c := pdfcanvas.New(200*vg.Millimeter, 100*vg.Millimeter, date)
		c.SetInfo("Товарооборот", "test")
		var p vg.Path
		p.Move(vg.Point{X: 10, Y: 10})
		p.Line(vg.Point{X: 100, Y: 50})
		c.SetLineWidth(1)
		c.Stroke(p)
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b := draw(), draw()
	if !bytes.Equal(a, b) {
		t.Errorf("two drawings differ")
	}
	if !bytes.HasPrefix(a, []byte("%PDF-")) || !bytes.Contains(a, []byte("D:20241015000000")) {
		t.Errorf("output is not a PDF dated 2024-10-15: %.200q", a)
	}
}
