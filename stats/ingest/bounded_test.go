package ingest

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

// TestBoundedReaderState reads random tables of quotes, line breaks and
// commas through boundedReader, in reads of random sizes, and checks that
// the bytes pass unchanged and that its state (the line, whether a quote
// is open, the lengths it bounds) is that of a plain reading byte by byte.
func TestBoundedReaderState(t *testing.T) {
	for seed := range uint64(2000) {
		rng := rand.New(rand.NewPCG(seed, 3))
		in := make([]byte, rng.IntN(300))
		for i := range in {
			in[i] = "ab,\"\n\"x"[rng.IntN(7)]
		}
		b := &boundedReader{r: iotest.OneByteReader(bytes.NewReader(in)), line: 1}
		if rng.IntN(2) == 0 {
			b.r = bytes.NewReader(in)
		}
		got, err := io.ReadAll(b)
		if err != nil || !bytes.Equal(got, in) {
			t.Fatalf("seed %d: read %q, %v; want %q", seed, got, err, in)
		}
		// The plain reading.
		want := boundedReader{line: 1}
		for _, c := range in {
			closed := false
			switch {
			case c == '"' && want.quoted:
				want.quoted, closed = false, true
			case c == '"' && !want.closed:
				want.quoted, want.quotedLen, want.quoteLine = true, 0, want.line
			case c == '"':
				want.quoted = true
			}
			want.closed = closed
			want.quotedLen++
			want.lineLen++
			if c == '\n' {
				want.line++
				want.lineLen = 0
			}
		}
		if b.line != want.line || b.quoted != want.quoted || b.lineLen != want.lineLen || b.quoted && (b.quotedLen != want.quotedLen || b.quoteLine != want.quoteLine) {
			t.Fatalf("seed %d: %q: line %d quoted %v (line %d, %d bytes) line length %d; want line %d quoted %v (line %d, %d bytes) line length %d",
				seed, in, b.line, b.quoted, b.quoteLine, b.quotedLen, b.lineLen, want.line, want.quoted, want.quoteLine, want.quotedLen, want.lineLen)
		}
	}
}

// TestBoundedReaderHistory checks that boundedReader keeps whole lines,
// at least the last histKeep bytes, numbered as they are, and that column
// counts the characters of one of them.
func TestBoundedReaderHistory(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 7))
	var in []byte
	for len(in) < 300<<10 {
		n := rng.IntN(200)
		if rng.IntN(50) == 0 {
			n = 50 << 10 // longer than what is kept
		}
		in = append(in, bytes.Repeat([]byte("я"), n)...)
		in = append(in, '\n')
	}
	b := &boundedReader{r: bytes.NewReader(in), line: 1}
	read := 0
	for {
		p := make([]byte, 1+rng.IntN(9000))
		n, err := b.Read(p)
		read += n
		start := read - len(b.hist)
		if start < 0 || !bytes.Equal(b.hist, in[start:read]) || (start > 0 && in[start-1] != '\n') {
			t.Fatalf("after %d bytes: history of %d bytes is not whole lines of what was read", read, len(b.hist))
		}
		if len(b.hist) < min(read, histKeep) {
			t.Fatalf("after %d bytes: history of %d bytes", read, len(b.hist))
		}
		if line := 1 + bytes.Count(in[:start], []byte{'\n'}); b.histLine != line {
			t.Fatalf("after %d bytes: history from line %d, want %d", read, b.histLine, line)
		}
		if err == io.EOF {
			break
		}
	}
	last := 1 + bytes.Count(in[:len(in)-1], []byte{'\n'}) // the line of the last byte
	n := bytes.LastIndexByte(in[:len(in)-1], '\n')
	chars := (len(in) - 1 - n - 1) / 2
	if col, ok := b.column(last, 2*chars+1); !ok || col != chars+1 {
		t.Errorf("column of the last line's end: %d, %v; want %d", col, ok, chars+1)
	}
	if _, ok := b.column(1, 1); ok {
		t.Error("column of line 1, no longer held: found")
	}
}
