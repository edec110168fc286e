package main

import (
	"bufio"
	"compress/bzip2"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zip"
	"github.com/klauspost/compress/zstd"
	"github.com/tradedesk/report/stats"
	"github.com/ulikunitz/xz"
)

// Compressed inputs. A file named on the command line that is gzip, zstd,
// bzip2, xz or a zip archive of one file (stats.Compression tells them
// by their first bytes, whatever the file's name) is decompressed once,
// into a temporary file (see createTemp) that every reading of it reads:
// the check, which reads years again from it, and the charts, workbook and
// comparisons after it. Findings name the file as it was given. The
// decompressors are klauspost/compress's (gzip, zstd and zip, which the
// workbook's writer uses already, and which decompress gzip about twice
// as fast as the standard library), the standard library's bzip2 and
// ulikunitz/xz, the xz package most Go programs use; decompressing as the
// file is read would save the temporary file, but the check reads years
// again, at offsets of the text, and a compressed stream cannot be read
// from the middle. A named pipe (or a process substitution, report check
// <(zcat a.gz)) is copied whole into a temporary file the same way, and
// decompressed from it when it is compressed: it can then be checked a
// year at a time, and its memory estimated, as a file can.

// unpacked holds the decompressed copies of the compressed inputs of a
// run, by name; copies of an env share it.
type unpacked struct {
	files map[string]*unpackedFile // nil: the file is not compressed
}

// unpackedFile is the decompressed copy of a compressed input.
type unpackedFile struct {
	f      spoolFile
	size   int64  // of the copy
	packed int64  // the size of the compressed file
	sum    []byte // its SHA-256, of the bytes decompressed
}

// close removes the copies.
func (u *unpacked) close() {
	if u == nil {
		return
	}
	for _, f := range u.files {
		f.close()
	}
}

// unpack returns the text of the file name, to be read from its start,
// and true, when it is compressed or not a regular file (a named pipe),
// from its copy (see unpackFile); false for a regular file that is not
// compressed, or a name that is not there or is a folder (left to the
// opener to report). The first call for a name decompresses or copies it;
// a damaged file gives an error that names it.
func (e *env) unpack(name string) (*io.SectionReader, bool, error) {
	if name == "-" || e.packed == nil {
		return nil, false, nil
	}
	u, seen := e.packed.files[name]
	if !seen {
		var err error
		if u, err = unpackFile(name); err != nil {
			return nil, false, err
		}
		if e.packed.files == nil {
			e.packed.files = map[string]*unpackedFile{}
		}
		e.packed.files[name] = u
	}
	if u == nil {
		return nil, false, nil
	}
	return io.NewSectionReader(u.f, 0, u.size), true, nil
}

// unpackedSum returns the size and SHA-256 of the compressed file name,
// when it was decompressed.
func (e *env) unpackedSum(name string) (size int64, sum []byte, ok bool) {
	if e.packed == nil || e.packed.files[name] == nil {
		return 0, nil, false
	}
	u := e.packed.files[name]
	return u.packed, u.sum, true
}

// unpackFile decompresses the file name into a temporary file when it is
// compressed, or returns nil. A file that is not a regular file (a named
// pipe, a process substitution's /dev/fd/63) is copied whole into a
// temporary file first, and that copy is returned when it is not
// compressed: it can be read again, a year at a time, and its memory
// estimated, where a pipe can be read once and had to be loaded whole.
func unpackFile(name string) (*unpackedFile, error) {
	st, err := os.Stat(name)
	if err != nil || st.IsDir() {
		return nil, nil // opened, and refused, as it is
	}
	var pipeCopy spoolFile
	if !st.Mode().IsRegular() {
		// Made before the pipe is opened: without a temporary file the
		// pipe is loaded whole, as it is read, and must not have been
		// opened (its writer would be gone).
		if pipeCopy, err = createTemp(); err != nil {
			return nil, nil
		}
	}
	f, err := os.Open(name)
	if err != nil {
		if pipeCopy != nil {
			pipeCopy.Close()
		}
		return nil, readError(name, err)
	}
	defer f.Close()
	var raw io.ReaderAt = f
	size := st.Size()
	var copied *unpackedFile
	if !st.Mode().IsRegular() {
		if copied, err = copyPipe(name, f, pipeCopy); err != nil {
			return nil, err
		}
		raw, size = copied.f, copied.size
	}
	head := make([]byte, stats.CompressionHead)
	n, err := raw.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		copied.close()
		return nil, readError(name, err)
	}
	head = head[:n]
	format := stats.Compression(head)
	if format == "" || format == "zip" && stats.IsWorkbook(head) {
		// A workbook is left to the loader, which says what to do with it.
		return copied, nil
	}
	defer copied.close()
	h := sha256.New()
	r := io.NewSectionReader(raw, 0, size)
	src, err := decompressor(format, r, h)
	if err != nil {
		return nil, damaged(name, format, err)
	}
	defer src.Close()
	tmp, err := createTemp()
	if err != nil {
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s is %s-compressed, and no temporary file to decompress it into could be made: %w", name, format, err)}
	}
	text, err := copyInto(tmp, src, fmt.Sprintf("%s is %s-compressed, and it could not be decompressed", name, format))
	if err != nil {
		if !isExit(err) {
			err = damaged(name, format, err)
		}
		return nil, err
	}
	if format != "zip" {
		// The rest of the file, after the compressed stream, is hashed too.
		if _, err := io.Copy(h, r); err != nil {
			tmp.Close()
			return nil, readError(name, err)
		}
	}
	return &unpackedFile{f: tmp, size: text, packed: size, sum: h.Sum(nil)}, nil
}

// copyPipe copies f, the file name that is not a regular file, whole into
// tmp, a temporary file, hashing it.
func copyPipe(name string, f io.Reader, tmp spoolFile) (*unpackedFile, error) {
	h := sha256.New()
	n, err := copyInto(tmp, io.TeeReader(f, h), name+" is not a regular file, and it could not be copied")
	if err != nil {
		if !isExit(err) {
			err = readError(name, err)
		}
		return nil, err
	}
	return &unpackedFile{f: tmp, size: n, packed: n, sum: h.Sum(nil)}, nil
}

// copyInto copies src into tmp, and closes tmp when the copy fails: a
// failed write is an exitError that says what could not be done, where
// (os.TempDir) and what to do; a failed read is returned as it is.
func copyInto(tmp spoolFile, src io.Reader, what string) (int64, error) {
	n, err := io.Copy(copyWriter{tmp}, src)
	if err == nil {
		return n, nil
	}
	tmp.Close()
	var werr *writeError
	if errors.As(err, &werr) {
		return 0, &exitError{code: exitUsage, err: fmt.Errorf("%s into a temporary file in %s: %w; set TMPDIR to a directory with room", what, os.TempDir(), werr.err)}
	}
	return 0, err
}

// isExit tells an exitError, which says all there is to say, from an
// error still to be explained.
func isExit(err error) bool {
	var ee *exitError
	return errors.As(err, &ee)
}

// close removes the copy, when there is one.
func (u *unpackedFile) close() {
	if u != nil {
		u.f.Close()
	}
}

// damaged is the error of a compressed file that could not be
// decompressed.
func damaged(name, format string, err error) error {
	var many *zipFiles
	if errors.As(err, &many) {
		return &exitError{code: exitUsage, err: fmt.Errorf("%s: %w", name, err)}
	}
	msg := err.Error()
	if errors.Is(err, io.ErrUnexpectedEOF) {
		msg = "it ends before its compressed data do (cut short?)"
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("cannot decompress %s (%s): %s", name, format, strings.TrimPrefix(msg, format+": "))}
}

// writeError is an error of writing the decompressed copy, told apart from
// one of reading the compressed file.
type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }

// copyWriter writes the decompressed copy, and wraps its errors in a
// writeError.
type copyWriter struct{ w io.Writer }

func (c copyWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	if err != nil {
		err = &writeError{err}
	}
	return n, err
}

// decompressor returns the decompressed contents of f, a file in format,
// and hashes the compressed bytes it reads into h (all of a zip
// archive's).
func decompressor(format string, f *io.SectionReader, h hash.Hash) (io.ReadCloser, error) {
	if format == "zip" {
		if _, err := io.Copy(h, io.NewSectionReader(f, 0, f.Size())); err != nil {
			return nil, err
		}
		return zipMember(f, f.Size())
	}
	// The bytes read are hashed as they are decompressed; a bufio.Reader
	// keeps gzip from reading more than its stream (it reads bytes one at
	// a time from an io.ByteReader).
	r := bufio.NewReaderSize(io.TeeReader(f, h), 256<<10)
	var out io.Reader
	var err error
	closer := func() error { return nil }
	switch format {
	case "gzip":
		var z *gzip.Reader
		if z, err = gzip.NewReader(r); err == nil {
			z.Multistream(false)
			out, closer = &gzipMembers{r: r, z: z}, z.Close
		}
	case "zstd":
		var z *zstd.Decoder
		if z, err = zstd.NewReader(r, zstd.WithDecoderMaxWindow(1<<28)); err == nil {
			out, closer = z, func() error { z.Close(); return nil }
		}
	case "bzip2":
		out = bzip2.NewReader(r)
	case "xz":
		out, err = xz.NewReader(r)
	default:
		err = fmt.Errorf("unknown format %s", format)
	}
	if err != nil {
		return nil, err
	}
	return readCloser{out, closer}, nil
}

// gzipMembers reads the members of a gzip file one after another, as
// gzip -d does, and takes zeros after the last for the padding some tape
// and block tools add (gzip -d ignores them); anything else after it is
// an error that says so, where the decompressor said "invalid header".
type gzipMembers struct {
	r *bufio.Reader
	z *gzip.Reader
}

func (g *gzipMembers) Read(p []byte) (int, error) {
	for {
		n, err := g.z.Read(p)
		if err != io.EOF {
			return n, err
		}
		if n > 0 {
			return n, nil // the end of a member, and maybe not of the file
		}
		next, err := g.r.Peek(1)
		switch {
		case err == io.EOF:
			return 0, io.EOF
		case err != nil:
			return 0, err
		case next[0] == 0:
			return 0, zerosToEnd(g.r)
		}
		if err := g.z.Reset(g.r); err != nil {
			return 0, fmt.Errorf("data after the compressed stream that are not another gzip member (%v)", err)
		}
		g.z.Multistream(false)
	}
}

// zerosToEnd reads r to its end, and returns io.EOF when it is all zeros.
func zerosToEnd(r *bufio.Reader) error {
	for {
		b, err := r.ReadByte()
		switch {
		case err != nil:
			return err
		case b != 0:
			return errors.New("data after the compressed stream and its zero padding")
		}
	}
}

// readCloser is a decompressor and what closes it.
type readCloser struct {
	io.Reader
	close func() error
}

func (r readCloser) Close() error { return r.close() }

// zipMember opens the one file of a zip archive (folders and the
// __MACOSX folder of the Finder's archives aside), or returns an error
// that names those it holds.
func zipMember(f io.ReaderAt, size int64) (io.ReadCloser, error) {
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return nil, err
	}
	var files []*zip.File
	var names []string
	for _, zf := range zr.File {
		base := path.Base(zf.Name)
		if zf.FileInfo().IsDir() || strings.HasPrefix(zf.Name, "__MACOSX/") || base == ".DS_Store" {
			continue
		}
		files = append(files, zf)
		names = append(names, zf.Name)
	}
	if len(files) != 1 {
		return nil, &zipFiles{names}
	}
	return files[0].Open()
}

// zipFiles is a zip archive of more files than one, or of none.
type zipFiles struct{ names []string }

func (z *zipFiles) Error() string {
	names := z.names
	if len(names) > 5 {
		names = append(names[:5:5], "…")
	}
	what := "no file"
	if len(z.names) > 0 {
		what = fmt.Sprintf("%d files (%s)", len(z.names), strings.Join(names, ", "))
	}
	return fmt.Sprintf("the zip archive holds %s: report reads an archive of one file; unzip it and name its files", what)
}
