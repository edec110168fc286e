package ingest

import (
	"bufio"
	"io"
)

// NewCRCRLF returns crCRLF over r, for the tests of package ingest_test.
func NewCRCRLF(r io.Reader) io.Reader {
	return &crCRLF{br: bufio.NewReaderSize(r, loneCRWindow)}
}
