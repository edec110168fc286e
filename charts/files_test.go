package charts_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tradedesk/report/charts"
)

func TestFileName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, id, want string
	}{
		{"plain", "kaz-arm-trade", "kaz-arm-trade"},
		{"upper case", "KAZ-ARM-trade", "kaz-arm-trade-"},
		{"parent", "../../etc/passwd", ""},
		{"absolute", "/etc/passwd", ""},
		{"dots only", "..", "chart-"},
		{"backslash", `..\..\windows`, ""},
		{"cyrillic", "товарооборот", "chart-"},
		{"spaces", "trade 2023 / 2024", "trade-2023-2024-"},
		{"nul byte", "a\x00b", "a-b-"},
		{"windows device", "con", "con-"},
		{"windows device with extension", "com1.trade", "com1.trade-"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := charts.FileName(tc.id)
			if tc.want != "" && !strings.HasPrefix(got, tc.want) {
				t.Errorf("FileName(%q) = %q, want prefix %q", tc.id, got, tc.want)
			}
			checkLocal(t, tc.id, got)
		})
	}
	if charts.FileName("A") == charts.FileName("a") {
		t.Errorf("FileName gives ids A and a the same name")
	}
}

func checkLocal(t *testing.T, id, name string) {
	t.Helper()
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) || !filepath.IsLocal(name) || strings.HasPrefix(name, ".") {
		t.Errorf("FileName(%q) = %q is not a plain local file name", id, name)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			t.Errorf("FileName(%q) = %q contains %q", id, name, r)
		}
	}
}

func FuzzFileName(f *testing.F) {
	for _, s := range []string{"kaz-arm-trade", "../x", "/abs", "..", "товарооборот", "a\x00b", strings.Repeat("x", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		name := charts.FileName(id)
		checkLocal(t, id, name)
		if len(name) > 100 {
			t.Errorf("FileName(%q) is %d bytes long", id, len(name))
		}
	})
}

func TestWriteSet(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "out", "charts")
	cs := samples(t)
	outs := []charts.Output{
		{Chart: cs[0], Formats: charts.Formats()},
		{Chart: cs[1], Size: charts.Square},
	}
	files, err := charts.WriteSet(dir, outs, charts.Options{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	want := []string{
		"kaz-arm-trade.png", "kaz-arm-trade.svg", "kaz-arm-trade.pdf", "kaz-arm-trade.csv", "kaz-arm-trade.alt.txt",
		"kaz-arm-fdi.png", "kaz-arm-fdi.csv", "kaz-arm-fdi.alt.txt",
	}
	if !slices.Equal(names, want) {
		t.Errorf("WriteSet wrote %v, want %v", names, want)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(want) {
		var got []string
		for _, e := range entries {
			got = append(got, e.Name())
		}
		t.Errorf("directory holds %v, want only %v (no temporary files)", got, want)
	}
	alt, err := os.ReadFile(filepath.Join(dir, "kaz-arm-trade.alt.txt"))
	if err != nil || !strings.HasPrefix(string(alt), "Grouped bar chart: ") {
		t.Errorf("alt text = %q, %v", alt, err)
	}
}

func TestWriteSetDuplicateNames(t *testing.T) {
	t.Parallel()
	a, b := *samples(t)[0], *samples(t)[0]
	a.ID, b.ID = "x/y", "x?y"
	ca, _ := charts.New(a)
	cb, _ := charts.New(b)
	if charts.FileName(a.ID) == charts.FileName(b.ID) {
		dir := t.TempDir()
		_, err := charts.WriteSet(dir, []charts.Output{{Chart: ca}, {Chart: cb}}, charts.Options{})
		if !errors.Is(err, charts.ErrInvalidChart) {
			t.Errorf("WriteSet of two charts named alike: error %v, want ErrInvalidChart", err)
		}
	}
	same, _ := charts.New(a)
	_, err := charts.WriteSet(t.TempDir(), []charts.Output{{Chart: ca}, {Chart: same}}, charts.Options{})
	if !errors.Is(err, charts.ErrInvalidChart) {
		t.Errorf("WriteSet of one id twice: error %v, want ErrInvalidChart", err)
	}
}

// TestWriteSetKeepsOldOnFailure checks that a failed run leaves the files
// of an earlier run as they were.
func TestWriteSetKeepsOldOnFailure(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := samples(t)[0]
	if _, err := charts.WriteSet(dir, []charts.Output{{Chart: c, Formats: []charts.Format{charts.SVG}}}, charts.Options{}); err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(filepath.Join(dir, "kaz-arm-trade.svg"))
	// A PDF without an as-of time fails after the new SVG was drawn.
	def := *c
	def.Title = "A new title"
	changed, err := charts.New(def)
	if err != nil {
		t.Fatal(err)
	}
	_, err = charts.WriteSet(dir, []charts.Output{{Chart: changed, Formats: []charts.Format{charts.SVG, charts.PDF}}}, charts.Options{})
	if !errors.Is(err, charts.ErrNoAsOf) {
		t.Fatalf("WriteSet error = %v, want ErrNoAsOf", err)
	}
	now, _ := os.ReadFile(filepath.Join(dir, "kaz-arm-trade.svg"))
	if string(old) != string(now) {
		t.Errorf("the SVG changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "kaz-arm-trade.pdf")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a PDF was written: %v", err)
	}
}

// TestWriteSetInBatches checks a set drawn and written a batch of charts
// at a time: the same files, listed in the same order, as the set drawn
// whole; and that a chart that cannot be drawn leaves its batch and those
// after it unwritten, the batches before it written.
func TestWriteSetInBatches(t *testing.T) {
	asOf := time.Date(2024, 10, 15, 0, 0, 0, 0, time.UTC)
	var outs []charts.Output
	for _, c := range samples(t) {
		outs = append(outs, charts.Output{Chart: c, Formats: []charts.Format{charts.SVG, charts.PNG}})
	}
	if len(outs) < 3 {
		t.Fatalf("%d sample charts, want 3 or more", len(outs))
	}
	whole := t.TempDir()
	want, err := charts.WriteSet(whole, outs, charts.Options{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	restore := charts.SetDrawBatch(2)
	defer restore()
	batched := t.TempDir()
	got, err := charts.WriteSet(batched, outs, charts.Options{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("in batches wrote %d files, whole %d", len(got), len(want))
	}
	for i := range want {
		a, _ := os.ReadFile(want[i])
		b, err := os.ReadFile(got[i])
		if filepath.Base(got[i]) != filepath.Base(want[i]) || err != nil || !bytes.Equal(a, b) {
			t.Errorf("file %d: %s in batches, %s whole (%v)", i, got[i], want[i], err)
		}
	}

	// The third chart, in the second batch, cannot be drawn: a PDF needs
	// the as-of time.
	outs[2].Formats = []charts.Format{charts.PDF}
	failed := t.TempDir()
	written, err := charts.WriteSet(failed, outs, charts.Options{})
	if !errors.Is(err, charts.ErrNoAsOf) {
		t.Fatalf("error %v, want ErrNoAsOf", err)
	}
	if len(written) != 2*4 {
		t.Errorf("wrote %v, want the files of the first batch's two charts", written)
	}
	entries, _ := os.ReadDir(failed)
	if len(entries) != len(written) {
		t.Errorf("%d files in the directory, %d listed", len(entries), len(written))
	}
	for _, w := range written {
		if !strings.HasPrefix(filepath.Base(w), charts.FileName(outs[0].Chart.ID)+".") && !strings.HasPrefix(filepath.Base(w), charts.FileName(outs[1].Chart.ID)+".") {
			t.Errorf("wrote %s, of a chart not in the first batch", w)
		}
	}
	// The second chart cannot be drawn: nothing of its batch is written.
	outs[2].Formats, outs[1].Formats = nil, []charts.Format{charts.PDF}
	failed = t.TempDir()
	if written, err := charts.WriteSet(failed, outs, charts.Options{}); !errors.Is(err, charts.ErrNoAsOf) || len(written) != 0 {
		t.Errorf("the first batch cannot be drawn: wrote %v, error %v", written, err)
	}
}
