package golden_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tradedesk/report/internal/golden"
)

func TestCheck(t *testing.T) {
	golden.Check(t, "hello.txt", []byte("hello, golden\n"))
}

func TestPath(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "flat", in: "a.svg", want: filepath.Join("testdata", "a.svg")},
		{name: "nested", in: "charts/a.png", want: filepath.Join("testdata", "charts", "a.png")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := golden.Path(tc.in); got != tc.want {
				t.Errorf("Path(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestGoldenFileExists(t *testing.T) {
	if _, err := os.Stat(golden.Path("hello.txt")); err != nil {
		t.Fatal(err)
	}
}
