package main

import (
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
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	oldPath, newPath := write("old.csv", string(first)), write("new.csv", string(second))
	// A period across years: both releases are loaded whole.
	const span = "KAZ,ARM,fdi_in_gross,2005/2024,1450.2,USD million,,NBK,\n"
	oldSpan, newSpan := write("old-span.csv", string(first)+span), write("new-span.csv", string(second)+span)
	want := []string{
		"revised KAZ–ARM turnover 2020: 14235.08412 USD thousand → 14235.04799 USD thousand (-0.03613) [OLD:7:23, NEW:7:23]",
		"revised KAZ–KGZ turnover 2020: 848592.41084 USD thousand → 848592.39542 USD thousand (-0.01542) [OLD:10:23, NEW:10:23]",
		"OLD → NEW: 2 revised, 0 added, 0 removed; 5 restated within rounding",
	}
	for _, tc := range []struct {
		name         string
		stdin        string
		old, new     string
		oldAs, newAs string
	}{
		{name: "files", old: oldPath, new: newPath},
		{name: "old from standard input", stdin: string(first), old: "-", new: newPath, oldAs: "<stdin>"},
		{name: "new from standard input", stdin: string(second), old: oldPath, new: "-", newAs: "<stdin>"},
		{name: "loaded whole", old: oldSpan, new: newSpan},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCase([]string{"diff", "--no-rules", tc.old, tc.new}, []byte(tc.stdin), nil)
			oldAs, newAs := tc.old, tc.new
			if tc.oldAs != "" {
				oldAs = tc.oldAs
			}
			if tc.newAs != "" {
				newAs = tc.newAs
			}
			// Rows are named as findings name them; the summary names the
			// arguments.
			rows := strings.NewReplacer("OLD:", oldAs+":", "NEW:", newAs+":")
			summary := strings.NewReplacer("OLD", tc.old, "NEW", tc.new)
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
}
