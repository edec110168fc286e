package reports

import (
	"bytes"
	"fmt"

	"github.com/tradedesk/report/charts"
	"github.com/tradedesk/report/stats"
	"github.com/xuri/excelize/v2"
)

// imageScale shrinks the article-size PNGs (2400 × 1350 pixels, drawn at
// twice the density) to 600 × 338 on the sheet.
const imageScale = 0.25

// writeImages embeds the house-style PNG of each built-in chart of the
// charted pairs below the native charts, with its alt text, when the
// workbook asks for images.
func (b *builder) writeImages() error {
	if !b.w.Images || len(b.series.blocks) == 0 {
		return nil
	}
	sub := &stats.Dataset{Files: b.ds.Files, Obs: b.charted}
	row := 4 + len(b.series.blocks)*22 + 1
	built := charts.BuiltIn(sub, charts.English)
	if len(built) == 0 {
		// Said on the sheet and to the caller, where a title over
		// nothing would leave both to wonder.
		msg := "no house-style chart to embed: the built-in charts draw years and the latest year to date, which the charted pairs do not have"
		if b.w.Warn != nil {
			b.w.Warn(msg)
		}
		return b.setText(sheetCharts, cell(1, row), "No "+msg[len("no "):]+".")
	}
	if err := b.f.SetCellStr(sheetCharts, cell(1, row), "House-style charts as published (PNG): the same figures, drawn by report charts"); err != nil {
		return err
	}
	if err := b.f.SetCellStyle(sheetCharts, cell(1, row), cell(1, row), b.st.title); err != nil {
		return err
	}
	for i, c := range built {
		var buf bytes.Buffer
		if err := charts.Render(&buf, c, charts.PNG, charts.Options{AsOf: b.w.AsOf}); err != nil {
			return fmt.Errorf("chart %s: %w", c.ID, err)
		}
		at := cell(1+(i%2)*10, row+2+(i/2)*19)
		if err := b.f.AddPictureFromBytes(sheetCharts, at, &excelize.Picture{
			Extension: ".png", File: buf.Bytes(),
			Format: &excelize.GraphicOptions{ScaleX: imageScale, ScaleY: imageScale, AltText: charts.AltText(c)},
		}); err != nil {
			return err
		}
	}
	return nil
}
