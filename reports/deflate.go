package reports

import (
	"bytes"
	"io"
	"runtime"
	"sync"

	"github.com/klauspost/compress/flate"
)

// deflateLevel is the compression level of the parts of the archive. The
// Data sheets are hundreds of megabytes of repetitive XML: klauspost's
// fast levels compress them several times faster than the standard
// library's default, for a file a few percent larger.
const deflateLevel = 3

// blockSize is how many uncompressed bytes of a part are compressed as one
// block. The blocks of a large part are compressed side by side, one
// goroutine each, at most inFlight of them at a time.
const blockSize = 1 << 20

// dictSize is the deflate window: each block is compressed with the last
// dictSize bytes of the block before it as its dictionary, so that
// splitting a part costs almost nothing in size.
const dictSize = 32 << 10

// deflater compresses a part as one raw deflate stream, in blocks of
// blockSize bytes that are compressed concurrently and written to dst in
// order. Every block but the last ends with a sync flush (an empty stored
// block), so that the blocks put end to end form one valid stream, as
// pigz and pgzip do; the output depends only on the bytes written, not on
// how they were split into calls to Write or on the scheduling.
type deflater struct {
	dst      io.Writer
	buf      []byte     // the block being filled
	dict     []byte     // the tail of the block before buf
	pending  []chan blk // blocks being compressed, in order
	inFlight int        // how many blocks may be compressed at once
	err      error
}

type blk struct {
	out *bytes.Buffer
	err error
}

var (
	blockPool  = sync.Pool{New: func() any { b := make([]byte, 0, blockSize); return &b }}
	outPool    = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	writerPool = sync.Pool{New: func() any {
		w, err := flate.NewWriter(io.Discard, deflateLevel)
		if err != nil {
			panic("reports: " + err.Error())
		}
		return w
	}}
)

func newDeflater(dst io.Writer) *deflater {
	return &deflater{dst: dst, inFlight: runtime.GOMAXPROCS(0) + 1}
}

func (d *deflater) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 && d.err == nil {
		if d.buf == nil {
			d.buf = (*blockPool.Get().(*[]byte))[:0]
		}
		k := min(len(b), blockSize-len(d.buf))
		d.buf = append(d.buf, b[:k]...)
		b = b[k:]
		if len(d.buf) == blockSize {
			d.submit()
		}
	}
	if d.err != nil {
		return 0, d.err
	}
	return n, nil
}

// submit starts compressing the full block in buf.
func (d *deflater) submit() {
	if len(d.pending) >= d.inFlight {
		d.drain(1)
	}
	in, dict := d.buf, d.dict
	d.buf = nil
	d.dict = tail(dict, in)
	c := make(chan blk, 1)
	d.pending = append(d.pending, c)
	go func() {
		out := outPool.Get().(*bytes.Buffer)
		out.Reset()
		err := compressBlock(out, in, dict, false)
		blockPool.Put(&in)
		c <- blk{out, err}
	}()
}

// drain writes the oldest n compressed blocks to dst.
func (d *deflater) drain(n int) {
	for _, c := range d.pending[:n] {
		r := <-c
		if d.err == nil {
			d.err = r.err
		}
		if d.err == nil {
			_, d.err = d.dst.Write(r.out.Bytes())
		}
		outPool.Put(r.out)
	}
	d.pending = d.pending[n:]
}

// Flush compresses what was written so far and writes it to dst, ending
// with a sync flush: the stream goes on after it.
func (d *deflater) Flush() error {
	if len(d.buf) > 0 {
		d.submit()
	}
	d.drain(len(d.pending))
	return d.err
}

// splice writes the compressed blocks of seg to dst after what was written
// so far; what is written next is compressed without looking back into
// the bytes before seg.
func (d *deflater) splice(seg *segment) error {
	if err := d.Flush(); err != nil {
		return err
	}
	r, err := seg.sp.reader()
	if err != nil {
		return err
	}
	d.dict = nil
	_, d.err = io.Copy(d.dst, r)
	return d.err
}

// Close compresses the rest, ends the stream and writes it all to dst.
func (d *deflater) Close() error {
	d.drain(len(d.pending))
	if d.err != nil {
		return d.err
	}
	out := outPool.Get().(*bytes.Buffer)
	out.Reset()
	defer outPool.Put(out)
	if err := compressBlock(out, d.buf, d.dict, true); err != nil {
		return err
	}
	if buf := d.buf; buf != nil {
		// The pool gets a slice of its own: a pointer to d.buf would be
		// read by the next deflater as this one clears it.
		d.buf = nil
		blockPool.Put(&buf)
	}
	_, err := d.dst.Write(out.Bytes())
	return err
}

// compressBlock appends to out the deflate blocks of in, compressed with
// dict as the window before it; last ends the stream, otherwise the
// blocks end with a sync flush.
func compressBlock(out *bytes.Buffer, in, dict []byte, last bool) error {
	w := writerPool.Get().(*flate.Writer)
	defer writerPool.Put(w)
	w.ResetDict(out, dict)
	if _, err := w.Write(in); err != nil {
		return err
	}
	if last {
		return w.Close()
	}
	return w.Flush()
}

// tail returns the last dictSize bytes of the stream that ends with
// dict followed by in.
func tail(dict, in []byte) []byte {
	out := make([]byte, 0, dictSize)
	if len(in) < dictSize {
		dict = dict[max(0, len(dict)-(dictSize-len(in))):]
		out = append(out, dict...)
		return append(out, in...)
	}
	return append(out, in[len(in)-dictSize:]...)
}
