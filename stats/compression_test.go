package stats_test

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"

	"github.com/tradedesk/report/stats"
)

// zipOf returns a zip archive of files with the given names, in order.
func zipOf(t *testing.T, names ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, n := range names {
		f, err := w.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("reporter,partner,indicator,period,value,unit,source\n"))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gzipOf(t *testing.T, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(text))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestCompression checks that each compressed format is told by its first
// bytes, as written by the programs that make them (bzip2, xz and zstd's
// starts are those of `printf a | bzip2`, `xz` and `zstd`, and of bzip2
// of nothing), and that text, even text that begins as one of them, is
// not.
func TestCompression(t *testing.T) {
	tests := []struct {
		name     string
		head     []byte
		want     string
		workbook bool
	}{
		{"gzip", gzipOf(t, "reporter,partner\n"), "gzip", false},
		{"zstd", []byte("\x28\xb5\x2f\xfd\x04\x58\x09\x00"), "zstd", false},
		{"bzip2", []byte("BZh91AY&SY\x19\x93"), "bzip2", false},
		{"bzip2 of nothing", []byte("BZh9\x17\x72\x45\x38\x50\x90\x00\x00\x00\x00"), "bzip2", false},
		{"xz", []byte("\xfd7zXZ\x00\x00\x04"), "xz", false},
		{"zip", zipOf(t, "trade.csv"), "zip", false},
		{"empty zip", zipOf(t), "zip", false},
		{"workbook", zipOf(t, "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"), "zip", true},
		{"workbook without content types first", zipOf(t, "xl/workbook.xml"), "zip", true},
		{"text", []byte("reporter,partner,indicator,period,value\n"), "", false},
		{"text that starts as bzip2", []byte("BZh9,KAZ,exports\n"), "", false},
		{"text that starts as zip", []byte("PK,KAZ\n"), "", false},
		{"UTF-16", []byte("\xff\xfer\x00e\x00"), "", false},
		{"gzip cut to two bytes", []byte{0x1f, 0x8b}, "", false},
		{"empty", nil, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			head := tc.head[:min(len(tc.head), stats.CompressionHead)]
			if got := stats.Compression(head); got != tc.want {
				t.Errorf("Compression = %q, want %q", got, tc.want)
			}
			if got := stats.IsWorkbook(head); got != tc.workbook {
				t.Errorf("IsWorkbook = %v, want %v", got, tc.workbook)
			}
		})
	}
}

// TestLoadCompressed checks that compressed data are refused at their
// first byte with ErrCompressed, which names the format or the workbook,
// rather than as text that is not UTF-8 or a header without columns.
func TestLoadCompressed(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"gzip", gzipOf(t, "reporter,partner,indicator,period,value,unit,source\n"), "t.csv:1:1: the data are gzip-compressed, not CSV text: decompress them first"},
		{"zip", zipOf(t, "trade.csv"), "t.csv:1:1: the data are zip-compressed, not CSV text: decompress them first"},
		{"workbook", zipOf(t, "[Content_Types].xml"), "t.csv:1:1: this is an Excel workbook, not CSV text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, load := range []func() error{
				func() error { _, err := stats.Load(bytes.NewReader(tc.data), "t.csv", stats.LoadOptions{}); return err },
				func() error {
					_, err := stats.CheckStream(bytes.NewReader(tc.data), "t.csv", stats.LoadOptions{}, &stats.Config{})
					return err
				},
			} {
				err := load()
				var pe *stats.ParseError
				if !errors.Is(err, stats.ErrCompressed) || !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), tc.want) {
					t.Errorf("got %v, want a ParseError of ErrCompressed %q…", err, tc.want)
				}
			}
		})
	}
}
