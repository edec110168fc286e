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
// files, until the returned function restores it.
func SetDrawBatch(n int) (restore func()) {
	old := drawBatch
	drawBatch = n
	return func() { drawBatch = old }
}
