package stats_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradedesk/report/stats"
)

// changing is a file that something changes once it has been read up to
// after bytes: cuts it there (as truncate does to a file being written
// again) or appends to it (as a file still being written grows).
type changing struct {
	*os.File
	after  int64
	read   int64
	change func()
}

func (c *changing) Read(p []byte) (int, error) {
	n, err := c.File.Read(p)
	c.read += int64(n)
	if c.change != nil && c.read >= c.after {
		c.change()
		c.change = nil
	}
	return n, err
}

// TestFileChangedWhileRead checks that a file cut short or appended to
// while it is loaded or checked gives an error that wraps ErrChanged,
// whatever its rows then say, where a file cut short was checked as far as
// it went and passed or failed for nothing.
func TestFileChangedWhileRead(t *testing.T) {
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	for y := 1901; y <= 2020; y++ {
		for m := 1; m <= 12; m++ {
			for _, p := range []string{"ARM", "RUS", "CHN", "TUR", "DEU", "FRA", "ITA", "JPN", "KOR", "IND", "BRA", "CAN", "USA", "GBR", "NLD"} {
				for _, ind := range []string{"exports", "imports"} {
					fmt.Fprintf(&b, "KAZ,%s,%s,%d-%02d,1.5,USD million,\"Bureau of National Statistics\"\n", p, ind, y, m)
				}
			}
		}
	}
	text := b.String()
	if len(text) < 2<<20 {
		t.Fatalf("the file is %d bytes: too small to be read in more than one piece", len(text))
	}
	for _, change := range []string{"cut", "grown"} {
		for _, how := range []string{"Load", "CheckInputs", "CheckStream"} {
			t.Run(change+"/"+how, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "t.csv")
				if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
				f, err := os.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				c := &changing{File: f, after: 64 << 10, change: func() {
					if change == "cut" {
						os.Truncate(path, int64(len(text)*2/3))
						return
					}
					g, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
					g.WriteString("KAZ,ARM,imports,2011-01,1.0,USD million,BNS\n")
					g.Close()
				}}
				switch how {
				case "Load":
					_, err = stats.Load(c, "t.csv", stats.LoadOptions{})
				case "CheckInputs":
					_, err = stats.CheckInputs([]stats.Input{{Name: "t.csv", R: c}}, stats.LoadOptions{}, &stats.Config{})
				case "CheckStream":
					_, err = stats.CheckStream(c, "t.csv", stats.LoadOptions{}, &stats.Config{})
				}
				if !errors.Is(err, stats.ErrChanged) {
					t.Errorf("%s of a file %s while it was read: %v, want an error of ErrChanged", how, change, err)
				}
			})
		}
	}
	// Unchanged, the same file checks.
	path := filepath.Join(t.TempDir(), "t.csv")
	os.WriteFile(path, []byte(text), 0o644)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := stats.CheckInputs([]stats.Input{{Name: "t.csv", R: f}}, stats.LoadOptions{}, &stats.Config{}); err != nil {
		t.Errorf("the file unchanged: %v", err)
	}
}
