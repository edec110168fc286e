package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// compressedFixture is a file of two years with a late row at its end
// (read again from the decompressed copy), a turnover error and mirror
// gaps; trade.csv.bz2 is it compressed by bzip2 -9, which Go cannot write.
const compressedFixture = "testdata/compressed/trade.csv"

// fixture returns the text of compressedFixture, the path of a copy of it
// in dir (trade.csv), and the exit status, standard output and standard
// error of check --no-rules of that copy.
func fixture(t *testing.T, dir string) (text []byte, plain string, code int, stdout, stderr string) {
	t.Helper()
	text, err := os.ReadFile(compressedFixture)
	if err != nil {
		t.Fatal(err)
	}
	plain = filepath.Join(dir, "trade.csv")
	if err := os.WriteFile(plain, text, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCase([]string{"check", "--no-rules", plain}, nil, nil)
	return text, plain, code, stdout, stderr
}

// compress returns text in format, written by the libraries report reads
// it with (zip: an archive of one file, in a folder, with the Finder's
// __MACOSX folder beside it).
func compress(t *testing.T, format string, text []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	var w io.WriteCloser
	var err error
	switch format {
	case "gzip":
		w = gzip.NewWriter(&b)
	case "zstd":
		w, err = zstd.NewWriter(&b)
	case "xz":
		w, err = xz.NewWriter(&b)
	case "bzip2":
		data, err := os.ReadFile(compressedFixture + ".bz2")
		if err != nil {
			t.Fatal(err)
		}
		return data
	case "zip":
		z := zip.NewWriter(&b)
		for _, name := range []string{"export/", "__MACOSX/export/._trade.csv", "export/trade.csv"} {
			f, err := z.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			if name == "export/trade.csv" {
				f.Write(text)
			}
		}
		if err := z.Close(); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	if err != nil {
		t.Fatal(err)
	}
	w.Write(text)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestCompressedInputs checks that a compressed file named on the command
// line is checked, compared and published as its text is, under its own
// name: the same findings, exit status and workbook, with the SHA-256 of
// the compressed file on the workbook's About sheet; and that its
// decompressed copy leaves nothing in the temporary directory.
func TestCompressedInputs(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir := t.TempDir()
	text, plain, wantCode, wantOut, wantErr := fixture(t, dir)
	if wantCode != exitFindings || !strings.Contains(wantOut, "[sign]") || !strings.Contains(wantOut, "[turnover]") {
		t.Fatalf("the plain file: exit %d, want %d, with a late row's sign finding and a turnover error:\n%s%s", wantCode, exitFindings, wantOut, wantErr)
	}
	for _, format := range []string{"gzip", "zstd", "bzip2", "xz", "zip"} {
		t.Run(format, func(t *testing.T) {
			packed := compress(t, format, text)
			name := filepath.Join(dir, "trade."+format) // any name: the format is told by the bytes
			if err := os.WriteFile(name, packed, 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := runCase([]string{"check", "--no-rules", name}, nil, nil)
			if code != wantCode || out != strings.ReplaceAll(wantOut, plain, name) || errOut != wantErr {
				t.Errorf("exit %d, want %d; stdout:\n%s\nwant\n%s\nstderr %q, want %q", code, wantCode, out, strings.ReplaceAll(wantOut, plain, name), errOut, wantErr)
			}
			// Compared with the previous release, which is the text.
			if code, out, errOut := runCase([]string{"diff", plain, name}, nil, nil); code != exitOK || !strings.Contains(out, "0 revised, 0 added, 0 removed") {
				t.Errorf("diff with the text: exit %d\n%s%s", code, out, errOut)
			}
			book := filepath.Join(dir, format+".xlsx")
			if code, out, errOut := runCase([]string{"xlsx", "--force", "--as-of", "2025-01-01", "--out", book, name}, nil, nil); code != exitOK {
				t.Fatalf("xlsx: exit %d\n%s%s", code, out, errOut)
			}
			sum := sha256.Sum256(packed)
			if about := sheetText(t, book, "About"); !strings.Contains(about, hex.EncodeToString(sum[:])) || !strings.Contains(about, fmt.Sprint(len(packed))) {
				t.Errorf("the About sheet does not give the compressed file's size %d and SHA-256 %x:\n%s", len(packed), sum, about)
			}
			if data := sheetText(t, book, "Data"); strings.Count(data, "KAZ") < 90 {
				t.Errorf("the Data sheet lacks the rows:\n%.500s", data)
			}
			if left, _ := os.ReadDir(tmp); len(left) > 0 {
				t.Errorf("left in the temporary directory: %v", left)
			}
		})
	}
}

// sheetText returns the cells of a sheet of the workbook at path, a row a
// line.
func sheetText(t *testing.T, path, sheet string) string {
	t.Helper()
	var b strings.Builder
	for _, r := range sheetRows(t, path, sheet) {
		b.WriteString(strings.Join(r, "\t") + "\n")
	}
	return b.String()
}

// TestCompressedInputErrors checks that a compressed file that cannot be
// read gives exit status 2 and a message that names it and says why,
// and that compressed standard input is refused at its first byte.
func TestCompressedInputErrors(t *testing.T) {
	text, err := os.ReadFile(compressedFixture)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", t.TempDir())
	dir := t.TempDir()
	gz := compress(t, "gzip", text)
	corrupt := bytes.Clone(gz)
	copy(corrupt[len(corrupt)/2:], "\x00\x00\x00\x00\x00\x00")
	zipOf := func(names ...string) []byte {
		var b bytes.Buffer
		z := zip.NewWriter(&b)
		for _, n := range names {
			f, _ := z.Create(n)
			f.Write(text)
		}
		z.Close()
		return b.Bytes()
	}
	tests := []struct {
		name  string
		data  []byte
		stdin bool
		want  string
	}{
		{"cut short", gz[:len(gz)/2], false, "cannot decompress $F (gzip): it ends before its compressed data do (cut short?)"},
		{"corrupt", corrupt, false, "cannot decompress $F (gzip): "},
		{"two files", zipOf("a.csv", "b.csv"), false, "$F: the zip archive holds 2 files (a.csv, b.csv): report reads an archive of one file"},
		{"no file", zipOf(), false, "$F: the zip archive holds no file"},
		{"workbook", zipOf("[Content_Types].xml", "xl/workbook.xml"), false, "$F:1:1: this is an Excel workbook, not CSV text"},
		{"standard input", gz, true, "<stdin>:1:1: the data are gzip-compressed, not CSV text: decompress them first"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			name := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".csv.gz")
			if err := os.WriteFile(name, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{{"check"}, {"charts", "--out", filepath.Join(dir, "charts")}, {"xlsx", "--out", filepath.Join(dir, "w.xlsx")}} {
				var stdin []byte
				if tc.stdin {
					args, stdin = append(args, "-"), tc.data
				} else {
					args = append(args, name)
				}
				code, out, errOut := runCase(args, stdin, nil)
				want := strings.ReplaceAll(tc.want, "$F", name)
				if code != exitUsage || !strings.Contains(errOut, want) || strings.Contains(errOut, "internal error") {
					t.Errorf("%s: exit %d, want %d with %q\n%s%s", args[0], code, exitUsage, want, out, errOut)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "w.xlsx")); err == nil {
				t.Errorf("a workbook was written")
			}
		})
	}
}

// TestCompressedMemory checks that the memory a compressed file needs to
// be loaded whole is estimated from its text, which is many times its
// size.
func TestCompressedMemory(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	for range 10000 {
		b.WriteString("KAZ,ARM,exports,2023,1.0,USD million,BNS\n")
	}
	name := filepath.Join(t.TempDir(), "big.csv.gz")
	packed := compress(t, "gzip", []byte(b.String()))
	if err := os.WriteFile(name, packed, 0o644); err != nil {
		t.Fatal(err)
	}
	e := &env{packed: &unpacked{}}
	defer e.packed.close()
	rows, err := e.estimateRows(name)
	if err != nil || rows < 9900 || rows > 10100 {
		t.Fatalf("estimateRows = %d, %v; want about 10001 (the file is %d bytes)", rows, err, len(packed))
	}
	little := func() (int64, bool) { return 1 << 20, true }
	if err := checkMemory([]string{name}, e.estimateRows, nil, little); err == nil || !strings.Contains(err.Error(), "about 7 MB of memory, and 1 MB is available") {
		t.Errorf("little memory: %v", err)
	}
}

// TestPipeInputs checks that a named pipe, which can be read once, is
// checked and compared from its copy as a file is: the same findings
// under its own name, compared a year at a time, and decompressed when
// what comes through it is compressed.
func TestPipeInputs(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	dir := t.TempDir()
	text, plain, _, wantOut, _ := fixture(t, dir)
	defer func() { testHookDiffed = nil }()
	for i, data := range [][]byte{text, compress(t, "gzip", text), compress(t, "zip", text)} {
		pipe := filepath.Join(dir, fmt.Sprintf("pipe%d", i))
		servePipe(t, pipe, data)
		code, out, errOut := runCase([]string{"check", "--no-rules", pipe}, nil, nil)
		if code != exitFindings || out != strings.ReplaceAll(wantOut, plain, pipe) {
			t.Errorf("check of pipe %d: exit %d, want %d\n%s%s\nwant\n%s", i, code, exitFindings, out, errOut, strings.ReplaceAll(wantOut, plain, pipe))
		}
		pipe += "-diff"
		servePipe(t, pipe, data)
		diffed := 0
		testHookDiffed = func() { diffed++ }
		if code, out, errOut := runCase([]string{"diff", "--no-rules", pipe, plain}, nil, nil); code != exitOK || diffed != 1 || !strings.Contains(out, "0 revised, 0 added, 0 removed") {
			t.Errorf("diff of pipe %d: exit %d, compared a year at a time %d times, want once\n%s%s", i, code, diffed, out, errOut)
		}
	}
}

// TestImportCompressed checks that import reads a compressed agency table
// as it reads its text.
func TestImportCompressed(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	dir := filepath.Join("..", "..", "stats", "ingest", "testdata", "armstat")
	text, err := os.ReadFile(filepath.Join(dir, "table.csv"))
	if err != nil {
		t.Fatal(err)
	}
	mapping := filepath.Join(dir, "map.yaml")
	wantCode, wantOut, wantErr := runCase([]string{"import", "--map", mapping, filepath.Join(dir, "table.csv")}, nil, nil)
	if wantOut == "" {
		t.Fatalf("the table gave nothing: exit %d\n%s", wantCode, wantErr)
	}
	for _, format := range []string{"gzip", "zstd"} {
		name := filepath.Join(t.TempDir(), "table.csv."+format)
		if err := os.WriteFile(name, compress(t, format, text), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runCase([]string{"import", "--map", mapping, name}, nil, nil)
		if code != wantCode || out != wantOut || errOut != strings.ReplaceAll(wantErr, filepath.Join(dir, "table.csv"), name) {
			t.Errorf("%s: exit %d, want %d; the output differs from the table's:\n%s\n%s", format, code, wantCode, out, errOut)
		}
	}
}

// TestPipeWithoutTempFile checks that a named pipe that cannot be copied
// into a temporary file is loaded whole, as it is read, and that one
// named twice is refused before it is opened.
func TestPipeWithoutTempFile(t *testing.T) {
	dir := t.TempDir()
	text, plain, _, wantOut, _ := fixture(t, dir)
	defer func(f func() (spoolFile, error)) { createTemp = f }(createTemp)
	createTemp = func() (spoolFile, error) { return nil, errors.New("no room") }
	pipe := filepath.Join(dir, "pipe")
	servePipe(t, pipe, text)
	code, out, errOut := runCase([]string{"check", "--no-rules", pipe}, nil, nil)
	if code != exitFindings || out != strings.ReplaceAll(wantOut, plain, pipe) {
		t.Errorf("exit %d, want %d\n%s%s", code, exitFindings, out, errOut)
	}
	// Named twice: refused at its name, before it is opened.
	twice := filepath.Join(dir, "twice")
	servePipe(t, twice, text)
	for _, second := range []string{twice, dir + string(filepath.Separator) + "." + string(filepath.Separator) + "twice"} {
		code, out, errOut := runCase([]string{"check", "--no-rules", twice, second}, nil, nil)
		if code != exitUsage || !strings.Contains(errOut, ": name each file once") {
			t.Errorf("%s and %s: exit %d, want %d\n%s%s", twice, second, code, exitUsage, out, errOut)
		}
	}
	// The writer waits for a reader: take its rows, so that it ends.
	f, err := os.Open(twice)
	if err == nil {
		io.Copy(io.Discard, f)
		f.Close()
	}
}

// TestGzipMembers checks that a gzip file of several members is read
// whole, as gzip -d reads it, that zeros after the last member are taken
// for padding, and that anything else after it is refused as such.
func TestGzipMembers(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	dir := t.TempDir()
	text, plain, _, wantOut, _ := fixture(t, dir)
	head, rest, _ := bytes.Cut(text, []byte("\n"))
	half := bytes.Index(rest[len(rest)/2:], []byte("\n")) + len(rest)/2 + 1
	first := append(append(bytes.Clone(head), '\n'), rest[:half]...)
	second := rest[half:]
	one := compress(t, "gzip", text)
	two := append(compress(t, "gzip", first), compress(t, "gzip", second)...)
	for _, tc := range []struct {
		name string
		data []byte
		want string // in standard error; "" for the findings of the text
	}{
		{"two members", two, ""},
		{"zero padding", append(bytes.Clone(one), make([]byte, 1000)...), ""},
		{"text after it", append(bytes.Clone(one), "more rows\n"...), "data after the compressed stream that are not another gzip member"},
		{"text after the padding", append(append(bytes.Clone(one), make([]byte, 100)...), 'x'), "data after the compressed stream and its zero padding"},
	} {
		name := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".gz")
		if err := os.WriteFile(name, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runCase([]string{"check", "--no-rules", name}, nil, nil)
		switch {
		case tc.want == "" && out != strings.ReplaceAll(wantOut, plain, name):
			t.Errorf("%s: exit %d; the findings are not the text's:\n%s%s", tc.name, code, out, errOut)
		case tc.want != "" && (code != exitUsage || !strings.Contains(errOut, tc.want)):
			t.Errorf("%s: exit %d, want %d with %q\n%s%s", tc.name, code, exitUsage, tc.want, out, errOut)
		}
	}
}

// TestCopyWithoutRoom checks that a compressed file or a named pipe whose
// copy runs out of room in the temporary directory stops with exit status
// 2 and a message that says so, where and what to do, rather than as a
// damaged file.
func TestCopyWithoutRoom(t *testing.T) {
	dir := t.TempDir()
	text, _, _, _, _ := fixture(t, dir)
	packed := filepath.Join(dir, "trade.csv.gz")
	if err := os.WriteFile(packed, compress(t, "gzip", text), 0o644); err != nil {
		t.Fatal(err)
	}
	defer func(f func() (spoolFile, error)) { createTemp = f }(createTemp)
	createTemp = func() (spoolFile, error) {
		f, err := os.CreateTemp(dir, "copy-*")
		return &fullAfter{File: f, room: 100}, err
	}
	pipe := filepath.Join(dir, "pipe")
	servePipe(t, pipe, text)
	for name, want := range map[string]string{
		packed: packed + " is gzip-compressed, and it could not be decompressed into a temporary file in ",
		pipe:   pipe + " is not a regular file, and it could not be copied into a temporary file in ",
	} {
		code, out, errOut := runCase([]string{"check", "--no-rules", name}, nil, nil)
		if code != exitUsage || !strings.Contains(errOut, want) || !strings.Contains(errOut, "no space left on device; set TMPDIR to a directory with room") {
			t.Errorf("%s: exit %d, want %d with %q\n%s%s", name, code, exitUsage, want, out, errOut)
		}
	}
}
