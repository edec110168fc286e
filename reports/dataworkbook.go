package reports

import (
	"io"
	"iter"
	"time"

	"github.com/tradedesk/report/stats"
	"github.com/xuri/excelize/v2"
)

// DataWorkbook is a workbook of the Data sheets alone, written from a
// sequence of observations that need not be in memory: a caller can read
// them from a file as the workbook is written, in memory that does not
// grow with the rows. The sheets are those of a [Workbook] (Data,
// Data (2), …, each an Excel table with a frozen header, its column
// widths fitted to the rows, number formats, and each row's file and line).
type DataWorkbook struct {
	// Rows yields the observations in the order of the rows, each with
	// nil, or an error that stops the writing; it is ranged over once.
	Rows iter.Seq2[stats.Observation, error]
	// Version names the tool that wrote the workbook.
	Version string
	// AsOf is the time the workbook says it was made.
	AsOf time.Time
	// TmpDir is where the compressed rows and large parts are spooled;
	// "" means the system's temporary directory.
	TmpDir string
}

// WriteTo writes the workbook as XLSX to dst and returns the number of
// bytes written. The rows are compressed as they come, into memory up to
// 4 MB and then a temporary file in TmpDir, so that the memory used does
// not grow with them. It returns [ErrNoData] when Rows yields no
// observation, the first error Rows yields, and any error of dst. The
// same rows, version and as-of time give the same bytes.
func (w *DataWorkbook) WriteTo(dst io.Writer) (int64, error) {
	b := &builder{
		w: &Workbook{Version: w.Version, AsOf: w.AsOf, TmpDir: w.TmpDir},
		f: excelize.NewFile(), dims: map[string]string{}, segments: map[string]*segment{},
	}
	defer b.close()
	if err := b.st.init(b.f); err != nil {
		return 0, err
	}
	if err := b.f.SetSheetName("Sheet1", sheetData); err != nil {
		return 0, err
	}
	newEncoder := func() *rowEncoder {
		enc := newRowEncoder(b.st.text, map[numStyle][]byte{}, w.TmpDir)
		enc.newStyle = b.st.num
		b.dataEncs = append(b.dataEncs, enc)
		return enc
	}
	enc, sheet, total := newEncoder(), 0, 0
	for o, err := range w.Rows {
		if err != nil {
			return 0, err
		}
		if enc.rows == maxDataRows {
			if err := b.finishDataSheet(dataSheetName(sheet), sheet, enc); err != nil {
				return 0, err
			}
			sheet++
			if _, err := b.f.NewSheet(dataSheetName(sheet)); err != nil {
				return 0, err
			}
			enc = newEncoder()
		}
		if err := enc.add(&o); err != nil {
			return 0, err
		}
		total++
	}
	if total == 0 {
		return 0, ErrNoData
	}
	if err := b.finishDataSheet(dataSheetName(sheet), sheet, enc); err != nil {
		return 0, err
	}
	if err := b.dataProps(total); err != nil {
		return 0, err
	}
	return b.writeArchive(dst)
}

// dataProps sets the document properties of a [DataWorkbook] of n rows.
func (b *builder) dataProps(n int) error {
	asOf := b.w.AsOf.UTC().Format("2006-01-02T15:04:05Z")
	creator := "report"
	if b.w.Version != "" {
		creator += " " + b.w.Version
	}
	return b.f.SetDocProps(&excelize.DocProperties{
		Title:          "Trade and FDI data",
		Subject:        "Bilateral trade and foreign direct investment: " + plural(n, "observation"),
		Creator:        creator,
		LastModifiedBy: creator,
		Keywords:       "trade; exports; imports; FDI; data",
		Category:       "statistics",
		Created:        asOf,
		Modified:       asOf,
		Language:       "en",
	})
}
