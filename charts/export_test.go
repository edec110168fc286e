package charts

import (
	"image"

	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// VgimgImage draws c at size z on a canvas of vgimg of its own, as Render
// drew PNGs before it drew them on a pngCanvas, for tests to compare with.
func VgimgImage(c *Chart, z Size) image.Image {
	vc := vgimg.NewWith(vgimg.UseWH(z.Width, z.Height), vgimg.UseDPI(z.dpi()))
	draw1(draw.New(vc), c, DefaultTheme(), z, false)
	return vc.Image()
}

// SetDrawBatch sets how many charts WriteSet draws before it writes their
// files, and has it tell held how many it holds drawn each time, until the
// returned function restores both.
func SetDrawBatch(n int, held func(charts int)) (restore func()) {
	oldN, oldHeld := drawBatch, drawnBatch
	drawBatch, drawnBatch = n, held
	return func() { drawBatch, drawnBatch = oldN, oldHeld }
}
