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
