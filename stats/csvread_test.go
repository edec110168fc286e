package stats

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCSVReader reads the same bytes with csvReader and encoding/csv, which
// must agree on every record, on where each field starts (for ASCII, where
// columns in characters and in bytes are the same), and on the record where
// the quoting goes wrong.
func FuzzCSVReader(f *testing.F) {
	f.Add([]byte("a,b\r\r\nc,d\r\r"), byte(','))
	for _, s := range []string{
		"reporter,partner,indicator,period,value\nKAZ,ARM,exports,2023,334.7\n",
		"a,\"b, c\",d\n\"x\"\"y\",,\"\"\n",
		"a,b\r\n\r\nc,\"d\ne\"\r\nf,g",
		"a,b\"c\nd,e\n",
		"a,\"b\"c,d\n",
		"a,\"b\n",
		";;\n\"\";x\n",
	} {
		f.Add([]byte(s), byte(','))
		f.Add([]byte(s), byte(';'))
	}
	f.Fuzz(func(t *testing.T, in []byte, delim byte) {
		if delim != ',' && delim != ';' && delim != '\t' && delim != '|' {
			return
		}
		// Where the two differ by design: a byte-order mark is dropped,
		// and text that is not UTF-8 is an error, here alone.
		if bytes.HasPrefix(in, []byte("\xef\xbb\xbf")) || !utf8.Valid(in) || bytes.ContainsRune(in, utf8.RuneError) {
			return
		}
		// A reader of a file, and one of a chunk of it in memory.
		for _, ours := range []*csvReader{newCSVReader(bytes.NewReader(in), delim), newChunkReader(in, delim, 1)} {
			agree(t, in, delim, ours)
		}
	})
}

// TestCSVReaderWords reads random records whose delimiters, quotes, quoted
// fields and bytes past ASCII fall at every place in and across the
// eight-byte words that plain lines are split by, with both readers,
// against encoding/csv.
func TestCSVReaderWords(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"a", "b", ",", ",", ";", "\"\"", "\"x,y\"", "é", "Ж", " ", "12.5", "\"Bureau of Statistics, é\"", ",\"q\",", ";\"p;\";"}
	for range 5000 {
		var b strings.Builder
		for range 1 + rng.IntN(4) {
			for range rng.IntN(30) {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			b.WriteString([]string{"\n", "\r\n", "\n\n"}[rng.IntN(3)])
		}
		in := []byte(b.String())
		for _, delim := range []byte{',', ';'} {
			for _, ours := range []*csvReader{newCSVReader(bytes.NewReader(in), delim), newChunkReader(in, delim, 1)} {
				agree(t, in, delim, ours)
			}
		}
	}
}

// agree reads in with ours and encoding/csv, and fails t where they
// disagree. encoding/csv reads in as crOnce leaves it: csvReader ends a
// line at CR CR LF, by design.
func agree(t *testing.T, in []byte, delim byte, ours *csvReader) {
	t.Helper()
	std := csv.NewReader(bytes.NewReader(crOnce(in)))
	std.Comma = rune(delim)
	std.FieldsPerRecord = -1
	ascii := isASCII(in)
	for n := 1; ; n++ {
		want, werr := std.Read()
		err := ours.read()
		if werr == io.EOF {
			if err != io.EOF {
				t.Fatalf("record %d: encoding/csv ends, csvReader gives %v", n, err)
			}
			return
		}
		if werr != nil {
			if err == nil {
				t.Fatalf("record %d: encoding/csv fails (%v), csvReader reads %q", n, werr, fields(ours))
			}
			return
		}
		if err != nil {
			var re *recordError
			if !errors.As(err, &re) {
				t.Fatalf("record %d: csvReader fails with %v", n, err)
			}
			t.Fatalf("record %d: csvReader fails (%v), encoding/csv reads %q", n, err, want)
		}
		if got := fields(ours); !slices.Equal(got, want) {
			t.Fatalf("record %d: csvReader reads %q, encoding/csv %q", n, got, want)
		}
		if !ascii {
			continue
		}
		for i := range want {
			line, col := std.FieldPos(i)
			if s := ours.start(i); s.line != line || s.col != col {
				t.Fatalf("record %d field %d: csvReader starts it at %d:%d, encoding/csv at %d:%d", n, i, s.line, s.col, line, col)
			}
		}
	}
}

// fields returns the fields of c's last record.
func fields(c *csvReader) []string {
	var fs []string
	for i := range c.nfields() {
		fs = append(fs, string(c.field(i)))
	}
	return fs
}

// BenchmarkCSVReader reads 1M lines like those of the generated benchmark
// file, half of them with a quoted field that holds the delimiter.
func BenchmarkCSVReader(b *testing.B) {
	var in bytes.Buffer
	in.WriteString("reporter,partner,indicator,period,value,unit,source,note\n")
	for i := range 1_000_000 {
		if i%2 == 0 {
			fmt.Fprintf(&in, "KAZ,ARM,exports,%d-%02d,%d.%d,USD million,\"Bureau of National Statistics, KAZ\",provisional\n", 1995+i/36000%30, i%12+1, i%997, i%10)
		} else {
			fmt.Fprintf(&in, "ARM,KAZ,imports,%d-%02d,%d.%d,USD million,UN Comtrade,\n", 1995+i/36000%30, i%12+1, i%991, i%10)
		}
	}
	data := in.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		c := newCSVReader(bytes.NewReader(data), ',')
		for {
			err := c.read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// crOnce returns in with every run of carriage returns before a line feed,
// or at the end, cut to one: what csvReader takes for a line end (see
// trimLineEnd), as encoding/csv takes "\r\n".
func crOnce(in []byte) []byte {
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); i++ {
		if in[i] == '\r' {
			j := i
			for j < len(in) && in[j] == '\r' {
				j++
			}
			if j == len(in) || in[j] == '\n' {
				out = append(out, '\r')
				i = j - 1
				continue
			}
		}
		out = append(out, in[i])
	}
	return out
}
