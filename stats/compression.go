package stats

import "bytes"

// CompressionHead is how many bytes of the start of an input
// [Compression] needs at most.
const CompressionHead = 64

// Compression returns the compressed format that data beginning with head
// (the first [CompressionHead] bytes, or all of a shorter input) are in:
// "gzip", "zstd", "bzip2", "xz" or "zip"; or "" when they are in none. The
// loader refuses such data with [ErrCompressed] rather than read them as
// text; a caller that reads files decompresses them first (cmd/report
// does). Each is told by the signature its format begins with, which no
// CSV file begins with.
func Compression(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b, 0x08}):
		return "gzip"
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return "zstd"
	case len(head) >= 10 && bytes.HasPrefix(head, []byte("BZh")) && head[3] >= '1' && head[3] <= '9' &&
		(bytes.Equal(head[4:10], []byte{0x31, 0x41, 0x59, 0x26, 0x53, 0x59}) || // a block
			bytes.Equal(head[4:10], []byte{0x17, 0x72, 0x45, 0x38, 0x50, 0x90})): // the end: no data
		return "bzip2"
	case bytes.HasPrefix(head, []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}):
		return "xz"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return "zip"
	}
	return ""
}

// IsWorkbook reports whether head, the start of a zip archive, is that of
// an Office Open XML file (an Excel workbook, most likely): its first
// member is one of the parts such files begin with.
func IsWorkbook(head []byte) bool {
	const nameAt = 30 // the name in a zip's local file header
	if len(head) < nameAt || !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return false
	}
	n := int(head[26]) | int(head[27])<<8
	name := head[nameAt:min(len(head), nameAt+n)]
	return bytes.Equal(name, []byte("[Content_Types].xml")) ||
		bytes.HasPrefix(name, []byte("_rels/")) || bytes.HasPrefix(name, []byte("docProps/")) || bytes.HasPrefix(name, []byte("xl/"))
}

// CompressedError returns the problem, which wraps [ErrCompressed], of
// data that begin with head (the first [CompressionHead] bytes) when they
// are compressed (see [Compression]) or an Excel workbook, or nil: what a
// reader of text says of them at their first byte, rather than take them
// for text that is not UTF-8.
func CompressedError(head []byte) error {
	format := Compression(head)
	switch {
	case format == "":
		return nil
	case IsWorkbook(head):
		return errorf(ErrCompressed, "this is an Excel workbook, not CSV text: save its sheet as CSV (report import turns an agency's sheet into tidy CSV)")
	}
	return errorf(ErrCompressed, "the data are %s-compressed, not CSV text: decompress them first", format)
}
