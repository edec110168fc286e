package limitread

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestReadAll(t *testing.T) {
	tests := []struct {
		name string
		in   io.Reader
		max  int64
		want string
		err  error
	}{
		{"empty", strings.NewReader(""), 4, "", nil},
		{"at the bound", strings.NewReader("abcd"), 4, "abcd", nil},
		{"over it", strings.NewReader("abcde"), 4, "", ErrTooLarge},
		{"never ends", endless{}, 1 << 20, "", ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadAll(tc.in, tc.max)
			if !errors.Is(err, tc.err) || !bytes.Equal(got, []byte(tc.want)) || (err != nil) != (tc.err != nil) {
				t.Errorf("ReadAll = %q, %v; want %q, %v", got, err, tc.want, tc.err)
			}
		})
	}
}

// endless reads zeros for ever, as /dev/zero does.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
