package charts

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"unicode"

	"github.com/tradedesk/report/internal/atomicfile"
)

// maxNameLen bounds the length of a file name made from a chart id.
const maxNameLen = 80

// FileName returns the base of the file names of the chart with the given
// id: lower-case ASCII letters, digits, '-', '_' and '.', Cyrillic letters
// spelt in Latin ones (see latin), and any other run of characters
// replaced by a single '-', no leading or trailing '.'
// or '-', at most 80 bytes, and "chart" if nothing is left. When that
// changes the id, or the name is a device name on Windows (con, nul, …),
// a short hash of the id is appended so that two ids never share a name.
// The result is never empty, never "." or "..", contains no
// path separator, and so always names a file inside the output directory.
func FileName(id string) string {
	var b strings.Builder
	dash := false
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_', r == '.':
			b.WriteRune(r)
			dash = false
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + ('a' - 'A'))
			dash = false
		case hasLatin(r):
			b.WriteString(latin[unicode.ToLower(r)])
			dash = false
		default:
			if !dash {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	name := strings.Trim(b.String(), ".-")
	for strings.Contains(name, "..") {
		name = strings.ReplaceAll(name, "..", ".")
	}
	if len(name) > maxNameLen {
		name = strings.Trim(name[:maxNameLen], ".-")
	}
	if name == "" {
		name = "chart"
	}
	if name != id || reserved(name) {
		sum := sha256.Sum256([]byte(id))
		name += "-" + hex.EncodeToString(sum[:4])
	}
	return name
}

// latin spells the letters of Russian and Kazakh in Latin ones, for file
// names that say what a chart of an id such as "Экспорт 2023" is
// (eksport-2023-…) where they kept its digits alone. The hard and soft
// signs have none, and are left out.
var latin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z",
	'и': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
	'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	'ә': "a", 'ғ': "g", 'қ': "q", 'ң': "n", 'ө': "o", 'ұ': "u", 'ү': "u", 'һ': "h", 'і': "i",
}

// hasLatin reports whether r is a letter latin spells.
func hasLatin(r rune) bool {
	_, ok := latin[unicode.ToLower(r)]
	return ok
}

// reserved reports whether name, or its part before the first dot, is a
// device name that Windows does not allow as a file name.
func reserved(name string) bool {
	base, _, _ := strings.Cut(name, ".")
	switch base {
	case "con", "prn", "aux", "nul":
		return true
	}
	if len(base) == 4 && (strings.HasPrefix(base, "com") || strings.HasPrefix(base, "lpt")) && base[3] >= '0' && base[3] <= '9' {
		return true
	}
	return false
}

// Output is one chart to write with the size and formats to draw it in.
type Output struct {
	// Chart is the chart to write.
	Chart *Chart
	// Size is the page size; the zero Size means the Size of the
	// [Options] passed to [WriteSet], or else [Article].
	Size Size
	// Formats are the formats to draw; none means PNG.
	Formats []Format
}

// WriteSet writes every output into dir, creating dir if needed: for a
// chart with id ID, FileName(ID) with the extension of each format (a
// format given twice is drawn once), the chart's data as FileName(ID).csv
// (see [WriteCSV]) and its alt text as FileName(ID).alt.txt (see
// [AltText]). The charts are drawn a batch of 256 at a time, every chart
// of a batch before any file of it is written, so that the files drawn
// are held a batch at a time, however many charts the set has: a set of
// at most 256 charts is drawn whole before anything is written. What
// stops a chart being drawn whatever the chart (an unknown format, a PDF
// without Options.AsOf) is found before anything is drawn; a chart that
// cannot be drawn otherwise leaves the outputs of its batch and of those
// after it as they were. Every file is written to a temporary file in dir
// and renamed into place, whole or not at all, through an [os.Root] at
// dir, so no file can be written outside it. It returns the paths
// written, in the order written, also when writing fails part way. An
// output without a chart, an inconsistent chart (see [New]) and two
// charts whose ids give the same file name are errors, wrapping
// [ErrInvalidChart], found before anything is drawn. WriteSet does not
// modify outs.
func WriteSet(dir string, outs []Output, o Options) ([]string, error) {
	seen := make(map[string]string, len(outs))
	charts := make([]*Chart, len(outs))
	for i, out := range outs {
		if out.Chart == nil {
			return nil, fmt.Errorf("%w: output %d has no chart", ErrInvalidChart, i+1)
		}
		c, err := New(*out.Chart)
		if err != nil {
			return nil, err
		}
		charts[i] = c
		name := FileName(c.ID)
		if prev, dup := seen[name]; dup {
			return nil, fmt.Errorf("%w: charts %q and %q would both be written as %s", ErrInvalidChart, prev, c.ID, name)
		}
		seen[name] = c.ID
		if !filepath.IsLocal(name) {
			// FileName guarantees this; checked again because a
			// mistake here would write outside dir.
			panic("charts: file name escapes the output directory: " + name)
		}
	}
	// What would stop a chart being drawn whatever the chart (see
	// canRender), and the names of the files, are checked before
	// anything is drawn: a set drawn in batches stops before its first.
	files := make(map[string]bool, 5*len(outs))
	for i, out := range outs {
		name := FileName(charts[i].ID)
		for _, f := range drawnFormats(out.Formats) {
			if err := canRender(charts[i].ID, f, o); err != nil {
				return nil, err
			}
		}
		for _, ext := range append(drawnFormats(out.Formats), "csv", "alt.txt") {
			f := name + "." + string(ext)
			if files[f] {
				return nil, fmt.Errorf("%w: two outputs would both be written as %s", ErrInvalidChart, f)
			}
			files[f] = true
		}
	}
	if len(outs) == 0 {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("write charts: %w", err)
		}
		return nil, nil
	}

	type file struct {
		name string
		data []byte
	}
	// Charts are drawn side by side, one per core; their files are kept in
	// the order of outs, so the listing does not depend on the scheduling.
	draw := func(i int) ([]file, error) {
		out, c := outs[i], charts[i]
		name := FileName(c.ID)
		ro := o
		if out.Size.valid() {
			ro.Size = out.Size
		}
		var fs []file
		for _, f := range drawnFormats(out.Formats) {
			var buf bytes.Buffer
			if err := Render(&buf, c, f, ro); err != nil {
				return nil, err
			}
			fs = append(fs, file{name + "." + string(f), buf.Bytes()})
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, c); err != nil {
			return nil, err
		}
		fs = append(fs, file{name + ".csv", buf.Bytes()})
		fs = append(fs, file{name + ".alt.txt", []byte(AltText(c) + "\n")})
		return fs, nil
	}
	var written []string
	for from := 0; from < len(outs); from += drawBatch {
		to := min(from+drawBatch, len(outs))
		// Everything of the batch is drawn before anything of it is
		// written, so that a chart that cannot be drawn leaves the
		// outputs of the batch as they were.
		perChart := make([][]file, to-from)
		errs := make([]error, to-from)
		next := make(chan int)
		var wg sync.WaitGroup
		for range min(runtime.GOMAXPROCS(0), to-from) {
			wg.Go(func() {
				for i := range next {
					perChart[i-from], errs[i-from] = draw(i)
				}
			})
		}
		for i := from; i < to; i++ {
			next <- i
		}
		close(next)
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return written, err // the first, in the order of outs
			}
		}
		drawnBatch(to - from)
		if from == 0 {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, fmt.Errorf("write charts: %w", err)
			}
		}
		for _, fs := range perChart {
			for _, f := range fs {
				// Each file is whole or absent, even if the process is
				// killed (internal/atomicfile); the names are local
				// (see FileName), so none is written outside dir.
				path := filepath.Join(dir, f.name)
				if err := atomicfile.WriteFile(path, f.data, atomicfile.Options{Perm: 0o644, KeepPerm: true}); err != nil {
					if pe, ok := errors.AsType[*os.PathError](err); ok {
						err = pe.Err
					}
					return written, fmt.Errorf("write %s: %w", path, err)
				}
				written = append(written, path)
			}
		}
	}
	return written, nil
}

// drawBatch is how many charts WriteSet draws before it writes their
// files: 256 charts in PNG, SVG and PDF at the article size are about
// 100 MB. Tests set it.
var drawBatch = 256

// drawnBatch is told how many charts WriteSet holds drawn before it writes
// their files: tests see the batches by it.
var drawnBatch = func(charts int) {}

// drawnFormats returns formats without repeats, in order, or PNG alone
// when there are none.
func drawnFormats(formats []Format) []Format {
	var out []Format
	for _, f := range formats {
		if !containsFormat(out, f) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		out = []Format{PNG}
	}
	return out
}
