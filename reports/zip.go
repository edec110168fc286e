package reports

import (
	"archive/zip"
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/tradedesk/report/internal/tempfile"
	"github.com/xuri/excelize/v2"
)

// spoolLimit is how many compressed bytes of one part stay in memory before
// the part moves to a temporary file.
const spoolLimit = 4 << 20

// detZip is the excelize.ZipWriter that makes workbooks byte-identical run
// after run and keeps the memory bounded.
//
// excelize creates the parts of streamed sheets in the order of a Go map,
// so two runs can order them differently; it also collects the whole
// archive in a bytes.Buffer. detZip compresses each part as excelize writes
// it into a spool (memory, then a temporary file for large parts), and on
// Close writes the parts to dst in a fixed order ([Content_Types].xml
// first, then by name), all stamped with the same modification time.
// rewrite, when not nil, may change the uncompressed bytes of the parts it
// asks for (want) before they are compressed.
type detZip struct {
	dst     io.Writer
	mod     time.Time
	tmpDir  string
	want    func(name string) bool
	rewrite func(name string, b []byte) ([]byte, error)
	// root, when not nil, may replace the head of a part (the bytes from
	// its start through the end of the root's start tag, and for a
	// worksheet through its dimension element), for parts too large to
	// hold in memory.
	root func(name string, head []byte) []byte
	// splice, when not nil, returns the segment to splice into a part
	// before its </sheetData>, or nil.
	splice func(name string) *segment

	parts []*part
	cur   *part
	err   error
}

var _ excelize.ZipWriter = (*detZip)(nil)

type part struct {
	name string
	crc  uint32
	size int64
	fw   *deflater
	sp   spool
	raw  *bytes.Buffer // the uncompressed part, for the parts to rewrite or splice
	seg  *segment      // the rows to splice in
	// head collects the start of the part until its root start tag is
	// complete, when root is set.
	head []byte
	root func(name string, head []byte) []byte
}

func (p *part) Write(b []byte) (int, error) {
	if p.raw != nil {
		return p.raw.Write(b)
	}
	if p.root != nil {
		p.head = append(p.head, b...)
		end := headEnd(p.name, p.head)
		if end < 0 {
			return len(b), nil
		}
		h := p.root(p.name, p.head[:end])
		rest := p.head[end:]
		p.root, p.head = nil, nil
		if _, err := p.write(h); err != nil {
			return 0, err
		}
		if _, err := p.write(rest); err != nil {
			return 0, err
		}
		return len(b), nil
	}
	return p.write(b)
}

// headEnd returns the length of the head of a part that root may
// replace, or -1 when head does not reach its end yet: through the root
// start tag, and in a worksheet through the dimension element that follows
// it, when there is one.
func headEnd(name string, head []byte) int {
	end := rootEnd(head)
	if end < 0 || !strings.HasPrefix(name, "xl/worksheets/sheet") {
		return end
	}
	rest := head[end:]
	d := bytes.Index(rest, []byte("<dimension"))
	next := -1
	for _, tag := range []string{"<sheetViews", "<sheetFormatPr", "<cols", "<sheetData"} {
		if i := bytes.Index(rest, []byte(tag)); i >= 0 && (next < 0 || i < next) {
			next = i
		}
	}
	switch {
	case d >= 0 && (next < 0 || d < next):
		if i := bytes.Index(rest[d:], []byte("</dimension>")); i >= 0 {
			return end + d + i + len("</dimension>")
		}
		if i := bytes.Index(rest[d:], []byte("/>")); i >= 0 {
			return end + d + i + len("/>")
		}
		return -1
	case next >= 0:
		return end
	}
	return -1
}

// rootEnd returns the length of the head of an XML document through the
// end of its root element's start tag, or -1 when head does not reach it.
func rootEnd(head []byte) int {
	i := 0
	for {
		j := bytes.IndexByte(head[i:], '<')
		if j < 0 || i+j+1 >= len(head) {
			return -1
		}
		i += j
		if c := head[i+1]; c != '?' && c != '!' {
			k := bytes.IndexByte(head[i:], '>')
			if k < 0 {
				return -1
			}
			return i + k + 1
		}
		i++
	}
}

func (p *part) write(b []byte) (int, error) {
	p.crc = crc32.Update(p.crc, crc32.IEEETable, b)
	p.size += int64(len(b))
	return p.fw.Write(b)
}

func (z *detZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	p := &part{name: name, sp: spool{tmpDir: z.tmpDir}, root: z.root}
	p.fw = newDeflater(&p.sp)
	if z.splice != nil {
		p.seg = z.splice(name)
	}
	if p.seg != nil || z.want != nil && z.want(name) {
		p.raw = &bytes.Buffer{}
	}
	z.parts = append(z.parts, p)
	z.cur = p
	return p, nil
}

// finish compresses the rest of the current part.
func (z *detZip) finish() error {
	p := z.cur
	if p == nil {
		return nil
	}
	z.cur = nil
	if p.seg != nil {
		if err := p.splice(); err != nil {
			return err
		}
	} else if p.raw != nil {
		b, err := z.rewrite(p.name, p.raw.Bytes())
		if err != nil {
			return err
		}
		p.raw = nil
		if _, err := p.Write(b); err != nil {
			return err
		}
	}
	if p.root != nil && len(p.head) > 0 {
		// No root start tag: the part goes out as it came.
		if _, err := p.write(p.head); err != nil {
			return err
		}
	}
	err := p.fw.Close()
	p.fw = nil // a compressor holds about a megabyte
	return err
}

// splice writes the part, which excelize made with the header row alone,
// with the rows of its segment before </sheetData>.
func (p *part) splice() error {
	raw := p.raw.Bytes()
	p.raw = nil
	i := bytes.LastIndex(raw, []byte("</sheetData>"))
	if i < 0 {
		return fmt.Errorf("reports: %s has no sheetData to splice rows into", p.name)
	}
	if _, err := p.Write(raw[:i]); err != nil {
		return err
	}
	if p.root != nil {
		return fmt.Errorf("reports: %s has no sheetData in its head", p.name)
	}
	if err := p.fw.splice(p.seg); err != nil {
		return err
	}
	p.crc = crc32Combine(p.crc, p.seg.crc, p.seg.size)
	p.size += p.seg.size
	_, err := p.Write(raw[i:])
	return err
}

func (z *detZip) AddFS(fs.FS) error {
	return errors.New("reports: AddFS is not supported")
}

func (z *detZip) Close() error {
	defer z.cleanup()
	if err := z.finish(); err != nil {
		return err
	}
	slices.SortFunc(z.parts, func(a, b *part) int {
		return cmp.Or(-cmp.Compare(boolInt(a.name == "[Content_Types].xml"), boolInt(b.name == "[Content_Types].xml")),
			cmp.Compare(a.name, b.name))
	})
	zw := zip.NewWriter(z.dst)
	for _, p := range z.parts {
		fh := &zip.FileHeader{
			Name: p.name, Method: zip.Deflate,
			CRC32: p.crc, UncompressedSize64: uint64(p.size), CompressedSize64: uint64(p.sp.size()),
		}
		stamp(fh, z.mod)
		w, err := zw.CreateRaw(fh)
		if err != nil {
			return err
		}
		r, err := p.sp.reader()
		if err != nil {
			return err
		}
		if _, err := io.Copy(w, r); err != nil {
			return err
		}
	}
	return zw.Close()
}

func (z *detZip) cleanup() {
	for _, p := range z.parts {
		p.sp.close()
	}
}

// stamp sets the modification time of a part as zip.Writer.CreateHeader
// would (CreateRaw leaves it to the caller): the MS-DOS date and time, and
// the extended timestamp that Info-ZIP writes, in UTC.
func stamp(fh *zip.FileHeader, t time.Time) {
	t = t.UTC()
	if t.Year() < 1980 {
		t = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	fh.ModifiedDate = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	fh.ModifiedTime = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	var extra [9]byte
	binary.LittleEndian.PutUint16(extra[0:], 0x5455) // extended timestamp
	binary.LittleEndian.PutUint16(extra[2:], 5)
	extra[4] = 1 // modification time only
	binary.LittleEndian.PutUint32(extra[5:], uint32(t.Unix()))
	fh.Extra = append(fh.Extra, extra[:]...)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// spool holds bytes in memory up to spoolLimit and beyond in a temporary
// file, which leaves nothing behind even when the command is killed (see
// tempfile).
type spool struct {
	tmpDir string
	buf    bytes.Buffer
	f      *tempfile.File
	n      int64
}

func (s *spool) Write(b []byte) (int, error) {
	s.n += int64(len(b))
	if s.f == nil && s.buf.Len()+len(b) > spoolLimit {
		f, err := tempfile.Create(s.tmpDir, "report-xlsx-")
		if err != nil {
			return 0, err
		}
		s.f = f
		if _, err := s.buf.WriteTo(f); err != nil {
			return 0, err
		}
		// The buffer's memory goes back: a workbook has a spool for each
		// Data sheet and large part.
		s.buf = bytes.Buffer{}
	}
	if s.f != nil {
		return s.f.Write(b)
	}
	return s.buf.Write(b)
}

func (s *spool) size() int64 { return s.n }

func (s *spool) reader() (io.Reader, error) {
	if s.f == nil {
		return bytes.NewReader(s.buf.Bytes()), nil
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return s.f, nil
}

func (s *spool) close() {
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
	s.buf = bytes.Buffer{}
}
