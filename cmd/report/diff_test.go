package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiffReleases checks that two releases compared a year at a time,
// from files or standard input, and loaded whole (a period that spans
// years) list the same revisions, and that a release with a row that
// cannot be read, or standard input named twice, is refused.
func TestDiffReleases(t *testing.T) {
	first, err := os.ReadFile(filepath.Join("..", "..", "stats", "testdata", "diff", "kz_first.csv"))
	if err != nil {
		t.Fatal(err)
	}
	second, err := os.ReadFile(filepath.Join("..", "..", "stats", "testdata", "diff", "kz_second.csv"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := writeIn(t, dir)
	oldPath, newPath := write("old.csv", string(first)), write("new.csv", string(second))
	// A period across years: both releases are loaded whole.
	const span = "KAZ,ARM,fdi_in_gross,2005/2024,1450.2,USD million,,NBK,\n"
	oldSpan, newSpan := write("old-span.csv", string(first)+span), write("new-span.csv", string(second)+span)
	want := []string{
		"revised KAZ–ARM turnover 2020 from \"BNS RK 2020 workbook\", then \"BNS RK 2021 workbook\": 14235.08412 USD thousand → 14235.04799 USD thousand (-0.03613) [OLD:7:23, NEW:7:23]",
		"revised KAZ–KGZ turnover 2020 from \"BNS RK 2020 workbook\", then \"BNS RK 2021 workbook\": 848592.41084 USD thousand → 848592.39542 USD thousand (-0.01542) [OLD:10:23, NEW:10:23]",
		"OLD → NEW: 2 revised, 0 added, 0 removed; 5 restated within rounding",
	}
	// A pipe, which can be read once: loaded whole.
	fifo := filepath.Join(dir, "fifo")
	fifoErr := mkfifo(fifo)
	if fifoErr != nil && !errors.Is(fifoErr, errors.ErrUnsupported) {
		t.Fatal(fifoErr)
	}
	feed := func() {
		go func() {
			f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
			if err != nil {
				return
			}
			defer f.Close()
			f.WriteString(string(first) + span)
		}()
	}
	diffed := 0
	defer func() { testHookDiffed = nil }()
	testHookDiffed = func() { diffed++ }
	for _, tc := range []struct {
		name         string
		stdin        string
		old, new     string
		oldAs, newAs string
		pipe         bool
		tmpdir       string
		// byYear says the releases are compared a year at a time.
		byYear bool
	}{
		{name: "files", old: oldPath, new: newPath, byYear: true},
		{name: "old from standard input", stdin: string(first), old: "-", new: newPath, oldAs: "<stdin>", byYear: true},
		{name: "new from standard input", stdin: string(second), old: oldPath, new: "-", newAs: "<stdin>", byYear: true},
		{name: "loaded whole", old: oldSpan, new: newSpan},
		{name: "a pipe with a period across years", old: fifo, new: newSpan, pipe: true},
		{name: "no temporary directory", old: oldPath, new: newPath, tmpdir: filepath.Join(dir, "gone")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.pipe {
				if fifoErr != nil {
					t.Skip("no named pipe here")
				}
				feed()
			}
			if tc.tmpdir != "" {
				t.Setenv("TMPDIR", tc.tmpdir)
			}
			diffed = 0
			code, stdout, stderr := runCase([]string{"diff", "--no-rules", tc.old, tc.new}, []byte(tc.stdin), nil)
			if got := diffed == 1; got != tc.byYear {
				t.Errorf("compared a year at a time: %v, want %v", got, tc.byYear)
			}
			oldAs, newAs := tc.old, tc.new
			if tc.oldAs != "" {
				oldAs = tc.oldAs
			}
			if tc.newAs != "" {
				newAs = tc.newAs
			}
			// Rows are named as findings name them, and so is the summary.
			rows := strings.NewReplacer("OLD:", oldAs+":", "NEW:", newAs+":")
			summary := strings.NewReplacer("OLD", oldAs, "NEW", newAs)
			w := []string{rows.Replace(want[0]), rows.Replace(want[1]), summary.Replace(want[2])}
			if got := strings.Split(strings.TrimSpace(stdout), "\n"); code != exitFindings || strings.Join(got, "\n") != strings.Join(w, "\n") {
				t.Errorf("exit %d\n%s%s\nwant\n%s", code, stdout, stderr, strings.Join(w, "\n"))
			}
		})
	}

	bad := write("bad.csv", string(second)+"KAZ,ARM,exports,2021,53.1*,USD thousand,,BNS,\n")
	code, stdout, stderr := runCase([]string{"diff", "--no-rules", oldPath, bad}, nil, nil)
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, "invalid number \"53.1*\"") || !strings.Contains(stderr, "cannot compare "+bad+": 1 row could not be read") {
		t.Errorf("a row that cannot be read: exit %d\n%s%s", code, stdout, stderr)
	}
	code, _, stderr = runCase([]string{"diff", "--no-rules", "-", "-"}, []byte(first), nil)
	if code != exitUsage || !strings.Contains(stderr, "standard input (-) is named 2 times") {
		t.Errorf("- -: exit %d\n%s", code, stderr)
	}
	// An input that cannot be read is named alone.
	code, _, stderr = runCase([]string{"diff", "--no-rules", dir, newPath}, nil, nil)
	if code != exitUsage || !strings.Contains(stderr, "cannot read "+dir+": ") || strings.Contains(stderr, newPath) {
		t.Errorf("a directory: exit %d\n%s", code, stderr)
	}

	// check --previous compares a year at a time too, and the files it
	// read again must be those it checked.
	diffed = 0
	code, stdout, stderr = runCase([]string{"check", "--no-rules", "--previous", oldPath, newPath}, nil, nil)
	if code != exitFindings || diffed != 1 || !strings.Contains(stdout, newPath+`:7:23: error: KAZ–ARM turnover 2020 from "BNS RK 2020 workbook", then "BNS RK 2021 workbook" was 14235.08412 USD thousand in the previous release`) {
		t.Errorf("check --previous: exit %d, compared a year at a time %d times\n%s%s", code, diffed, stdout, stderr)
	}
	defer func() { testHookChecked = nil }()
	for _, tc := range []struct {
		name, previous, changed string
	}{
		{"a year at a time", oldPath, strings.Replace(string(second), "14235.04799", "14299.04799", 1)},
		{"loaded whole", oldSpan, strings.Replace(string(second), "14235.04799", "14299.04799", 1)},
		{"no longer a table", oldPath, "no longer a table\n"},
		{"no longer a table, loaded whole", oldSpan, "no longer a table\n"},
	} {
		testHookChecked = func() { write("new.csv", tc.changed) }
		code, stdout, stderr = runCase([]string{"check", "--no-rules", "--previous", tc.previous, newPath}, nil, nil)
		if code != exitUsage || !strings.Contains(stderr, "cannot compare with the previous release: "+newPath+" changed after it was checked") {
			t.Errorf("check --previous of a file that changed, %s: exit %d\n%s%s", tc.name, code, stdout, stderr)
		}
		write("new.csv", string(second))
	}
}

// TestCompareDamagedNote compares releases of which the previous has a
// note with a control character: its figure is still compared (diff and
// check --previous find the revision), where the check of that release
// alone reports the note.
func TestCompareDamagedNote(t *testing.T) {
	dir := t.TempDir()
	write := writeIn(t, dir)
	const head = "reporter,partner,indicator,period,value,unit,source,note\n"
	prev := write("prev.csv", head+"KAZ,ARM,exports,2023,10,USD million,BNS,o\x01k\nKAZ,ARM,imports,2023,5,USD million,BNS,\n")
	cur := write("cur.csv", head+"KAZ,ARM,exports,2023,100,USD million,BNS,\nKAZ,ARM,imports,2023,5,USD million,BNS,\n")
	for _, args := range [][]string{{"diff", prev, cur}, {"check", "--no-rules", "--previous", prev, cur}} {
		code, stdout, stderr := runCase(args, nil, nil)
		if code != exitFindings || !strings.Contains(stdout, "KAZ–ARM exports 2023") || !strings.Contains(stdout, "100") {
			t.Errorf("report %s: exit %d, want %d with the revision of KAZ–ARM exports 2023\n%s%s", strings.Join(args[:1], " "), code, exitFindings, stdout, stderr)
		}
	}
	code, stdout, _ := runCase([]string{"check", "--no-rules", prev}, nil, nil)
	if code != exitFindings || !strings.Contains(stdout, `field "note": character 2 of the field is a control character (U+0001)`) {
		t.Errorf("report check of the previous release: exit %d, want %d with its note's control character\n%s", code, exitFindings, stdout)
	}
}
