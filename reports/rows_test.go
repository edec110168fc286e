package reports

import (
	"archive/zip"
	"bytes"
	"hash/crc32"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/flate"
	"github.com/tradedesk/report/stats"
	"github.com/xuri/excelize/v2"
)

func TestCRC32Combine(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name string
		a, b int
	}{{"empty second", 10, 0}, {"empty first", 0, 10}, {"short", 3, 5}, {"long", 1000, 100000}} {
		t.Run(tc.name, func(t *testing.T) {
			buf := make([]byte, tc.a+tc.b)
			for i := range buf {
				buf[i] = byte(r.Uint32())
			}
			want := crc32.ChecksumIEEE(buf)
			got := crc32Combine(crc32.ChecksumIEEE(buf[:tc.a]), crc32.ChecksumIEEE(buf[tc.a:]), int64(tc.b))
			if got != want {
				t.Errorf("crc32Combine = %08x, want %08x", got, want)
			}
		})
	}
}

// TestDeflater checks that a part compressed in blocks, with a segment
// spliced into it, inflates to the bytes written, whatever the sizes of
// the writes, and that the compressed bytes do not depend on them.
func TestDeflater(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	text := func(n int) []byte {
		words := []string{"<row r=\"", "\">", "<c r=\"A", "\" t=\"inlineStr\"><is><t>", "KAZ", "exports", "</t></is></c>", "</row>"}
		var b []byte
		for len(b) < n {
			b = append(b, words[r.IntN(len(words))]...)
			if r.IntN(10) == 0 {
				b = append(b, byte(r.Uint32()))
			}
		}
		return b[:n]
	}
	for _, tc := range []struct {
		name            string
		head, seg, tail int
		write           int // bytes per Write
		withoutSplicing bool
	}{
		{"small", 100, 0, 50, 7, true},
		{"one block", blockSize, 0, 0, 4096, true},
		{"many blocks", 5*blockSize + 12345, 0, 0, 65536, true},
		{"many blocks, other writes", 5*blockSize + 12345, 0, 0, 1000, true},
		{"spliced", 3*blockSize + 1, 2*blockSize + 7, 100, 50000, false},
		{"empty segment", 10, 0, 10, 3, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			head, body, tail := text(tc.head), text(tc.seg), text(tc.tail)
			seg := &segment{}
			sd := newDeflater(&seg.sp)
			writeIn(t, sd, body, tc.write)
			if err := sd.Flush(); err != nil {
				t.Fatal(err)
			}
			seg.crc, seg.size = crc32.ChecksumIEEE(body), int64(len(body))
			defer seg.close()
			var out bytes.Buffer
			d := newDeflater(&out)
			writeIn(t, d, head, tc.write)
			want := head
			if !tc.withoutSplicing {
				if err := d.splice(seg); err != nil {
					t.Fatal(err)
				}
				want = append(append([]byte{}, head...), body...)
			}
			writeIn(t, d, tail, tc.write)
			want = append(want, tail...)
			if err := d.Close(); err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(flate.NewReader(bytes.NewReader(out.Bytes())))
			if err != nil {
				t.Fatalf("inflate: %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("inflated %d bytes, want %d equal to those written", len(got), len(want))
			}
			if tc.withoutSplicing {
				var again bytes.Buffer
				d := newDeflater(&again)
				writeIn(t, d, head, 1<<20-1)
				writeIn(t, d, tail, 1<<20-1)
				if err := d.Close(); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(again.Bytes(), out.Bytes()) {
					t.Errorf("the compressed bytes depend on the sizes of the writes")
				}
			}
		})
	}
}

func writeIn(t *testing.T, w io.Writer, b []byte, n int) {
	t.Helper()
	for len(b) > 0 {
		k := min(n, len(b))
		if _, err := w.Write(b[:k]); err != nil {
			t.Fatal(err)
		}
		b = b[k:]
	}
}

// TestRowsAsExcelize checks that the rows of a Data sheet are the XML that
// excelize's StreamWriter writes for the same cells: texts that need
// escaping, white space at their ends, formula-like text, numbers that
// need more than 15 digits, and missing values and notes.
func TestRowsAsExcelize(t *testing.T) {
	texts := []string{
		"plain", "", " lead", "trail\t", "a\nb", "a\r\nb", "<&>\"'", "=1+2", "-3", "@x", "\tx",
		"_x0041_", "_x005F_x0041_", "_x00G1_", "under_score", "Ünïcödé – ✓", "bad\x01ctl", "\xff\xfe",
		strings.Repeat("é", excelize.TotalCellChars+5), strings.Repeat("😀", excelize.TotalCellChars/2+3),
	}
	values := []float64{0, 1, -1, 0.1, 34.3, 1234567.891, 1e21, 123456789012345678, 0.1234567890123456789,
		-98765.4321e-10, math.MaxFloat64, math.Inf(1), math.NaN(), 1.0 / 3}
	var obs []stats.Observation
	for i, s := range texts {
		v := values[i%len(values)]
		o := stats.Observation{
			Reporter: "KAZ", Partner: "P" + s, Indicator: s, Period: stats.MonthOf(2024, i%12+1),
			Unit: s, Source: s, Note: s, Status: stats.Status(i % 4),
			Value: stats.NewValue(v, i%5), Pos: stats.Pos{File: s + ".csv", Line: i + 2},
		}
		if i%7 == 3 {
			o.Value = stats.Value{}
		}
		obs = append(obs, o)
	}
	for i, v := range values {
		obs = append(obs, stats.Observation{Reporter: "R", Value: stats.NewValue(v, 2), Pos: stats.Pos{File: "f", Line: 100 + i}})
	}

	f := excelize.NewFile()
	defer f.Close()
	var st styles
	if err := st.init(f); err != nil {
		t.Fatal(err)
	}
	// What the StreamWriter writes for these cells.
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	row := make([]any, len(dataColumns))
	for i := range obs {
		o := &obs[i]
		row[dcFile-1] = st.textCell(o.Pos.File)
		row[dcLine-1] = o.Pos.Line
		row[dcReporter-1] = st.textCell(o.Reporter)
		row[dcPartner-1] = st.textCell(o.Partner)
		row[dcIndicator-1] = st.textCell(o.Indicator)
		row[dcPeriod-1] = st.textCell(o.Period.String())
		row[dcValue-1] = nil
		if o.Value.Valid {
			id, err := st.num(numStyle{decimals: o.Value.Decimals, flagged: o.Status == stats.Provisional || o.Status == stats.Estimated})
			if err != nil {
				t.Fatal(err)
			}
			row[dcValue-1] = excelize.Cell{StyleID: id, Value: o.Value.Num}
		}
		row[dcUnit-1] = st.textCell(o.Unit)
		row[dcStatus-1] = st.textCell(o.Status.String())
		row[dcSource-1] = st.textCell(o.Source)
		row[dcNote-1] = nil
		if o.Note != "" {
			row[dcNote-1] = st.textCell(o.Note)
		}
		if err := sw.SetRow(cell(1, i+2), row); err != nil {
			t.Fatal(err)
		}
	}
	want := streamedRows(t, f, sw)

	nums := map[numStyle][]byte{}
	for i := range obs {
		id, err := st.num(valueStyle(&obs[i]))
		if err != nil {
			t.Fatal(err)
		}
		nums[valueStyle(&obs[i])] = []byte(` s="` + strconv.Itoa(id) + `"`)
	}
	enc := newRowEncoder(st.text, nums, t.TempDir())
	if err := enc.addAll(obs); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(splitRows(want), splitRows(segmentText(t, &enc.segWriter))); diff != "" {
		t.Errorf("rows mismatch (-excelize +rowEncoder):\n%s", diff)
	}
}

// segmentText finishes w and returns the text its segment holds, checked
// against the segment's CRC-32 and size.
func segmentText(t *testing.T, w *segWriter) string {
	t.Helper()
	seg, err := w.finish()
	if err != nil {
		t.Fatal(err)
	}
	defer seg.close()
	r, err := seg.sp.reader()
	if err != nil {
		t.Fatal(err)
	}
	comp, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(flate.NewReader(io.MultiReader(bytes.NewReader(comp), bytes.NewReader([]byte{3, 0}))))
	if err != nil {
		t.Fatalf("inflate the rows: %v", err)
	}
	if crc32.ChecksumIEEE(got) != seg.crc || int64(len(got)) != seg.size {
		t.Errorf("segment says crc %08x size %d, holds crc %08x size %d", seg.crc, seg.size, crc32.ChecksumIEEE(got), len(got))
	}
	return string(got)
}

// sheetRows returns the content of the sheetData of the first worksheet
// of an XLSX archive, as written.
// streamedRows flushes sw, a StreamWriter of Sheet1 of f, and returns the
// rows it wrote (see sheetRows).
func streamedRows(t *testing.T, f *excelize.File, sw *excelize.StreamWriter) string {
	t.Helper()
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var wb bytes.Buffer
	if _, err := f.WriteTo(&wb); err != nil {
		t.Fatal(err)
	}
	return sheetRows(t, wb.Bytes())
}

func sheetRows(t *testing.T, xlsx []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i, j := strings.Index(s, "<sheetData>"), strings.Index(s, "</sheetData>")
	if i < 0 || j < 0 {
		t.Fatalf("no sheetData in %.200s", s)
	}
	return s[i+len("<sheetData>") : j]
}

func splitRows(s string) []string {
	return strings.SplitAfter(s, "</row>")
}
