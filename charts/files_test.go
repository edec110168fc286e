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
		{"cyrillic", "товарооборот", "tovarooborot-"},
		{"kazakh", "Қазақстан–Армения 2023", "qazaqstan-armeniya-2023-"},
		{"signs", "объём", "obem-"},
		{"armenian", "Հայաստան", "chart-"},
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
// whole; a chart of a later batch that cannot be drawn, whatever the chart,
// stops the set before anything is written; and a set of no charts makes
// its directory.
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
	var held []int
	restore := charts.SetDrawBatch(2, func(n int) { held = append(held, n) })
	defer restore()
	batched := t.TempDir()
	got, err := charts.WriteSet(batched, outs, charts.Options{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	// The charts held drawn before their files are written: two at a time.
	wantHeld := make([]int, len(outs)/2, (len(outs)+1)/2)
	for i := range wantHeld {
		wantHeld[i] = 2
	}
	if len(outs)%2 == 1 {
		wantHeld = append(wantHeld, 1)
	}
	if !slices.Equal(held, wantHeld) {
		t.Errorf("held %v charts drawn before writing them, want %v", held, wantHeld)
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
	// the as-of time. That is found before anything is drawn.
	outs[2].Formats = []charts.Format{charts.PDF}
	failed := filepath.Join(t.TempDir(), "charts")
	written, err := charts.WriteSet(failed, outs, charts.Options{})
	if !errors.Is(err, charts.ErrNoAsOf) || len(written) != 0 {
		t.Errorf("a chart of the second batch cannot be drawn: wrote %v, error %v", written, err)
	}
	if _, err := os.Stat(failed); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a set that cannot be drawn made its directory: %v", err)
	}
	outs[2].Formats = []charts.Format{"gif"}
	if written, err := charts.WriteSet(failed, outs, charts.Options{AsOf: asOf}); !errors.Is(err, charts.ErrUnknownFormat) || len(written) != 0 {
		t.Errorf("a chart of the second batch in an unknown format: wrote %v, error %v", written, err)
	}

	// A set of no charts makes its directory, as any other does.
	empty := filepath.Join(t.TempDir(), "a", "b")
	if written, err := charts.WriteSet(empty, nil, charts.Options{}); err != nil || len(written) != 0 {
		t.Errorf("no charts: wrote %v, error %v", written, err)
	}
	if st, err := os.Stat(empty); err != nil || !st.IsDir() {
		t.Errorf("no charts: the directory was not made: %v", err)
	}
	if _, err := charts.WriteSet(filepath.Join(want[0], "sub"), nil, charts.Options{}); err == nil {
		t.Error("no charts into a directory under a file: no error")
	}
}
