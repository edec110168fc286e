package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestCheckRules pins the exit codes of check with rules files: the
// rounding-aware "twice as much" (2023 FDI of 8 fails, 7 and 6 hold), a
// claim on missing data, the seed data with its rules, and rules files that
// are wrong or missing.
func TestCheckRules(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"seed data with data/rules.yaml", []string{"check", "../../data/trade.csv"}, exitOK},
		{"seed data, rules named", []string{"check", "--rules", "../../data/rules.yaml", "../../data/trade.csv"}, exitOK},
		{"FDI 8 fails", []string{"check", "testdata/rules/fdi8/trade.csv"}, exitFindings},
		{"FDI 7 holds", []string{"check", "testdata/rules/fdi7/trade.csv"}, exitOK},
		{"FDI 8 without the rules file", []string{"check", "--no-rules", "testdata/rules/fdi8/trade.csv"}, exitOK},
		{"--rules and --no-rules", []string{"check", "--no-rules", "--rules", "../../data/rules.yaml", "../../data/trade.csv"}, exitUsage},
		{"FDI 8 fails with the article's rules", []string{"check", "--rules", "../../data/rules.yaml", "testdata/rules/fdi8/trade.csv"}, exitFindings},
		{"FDI 7 holds with the article's rules", []string{"check", "--rules", "../../data/rules.yaml", "testdata/rules/fdi7/trade.csv"}, exitOK},
		{"claim on missing data fails", []string{"check", "--rules", "../../data/rules.yaml", "testdata/rules/missing/trade.csv"}, exitFindings},
		{"malformed expression", []string{"check", "--rules", "testdata/rules/bad.yaml", "../../data/trade.csv"}, exitUsage},
		{"malformed YAML", []string{"check", "--rules", "testdata/rules/bad_yaml.yaml", "../../data/trade.csv"}, exitUsage},
		{"rules file missing", []string{"check", "--rules", "testdata/rules/no-such.yaml", "../../data/trade.csv"}, exitUsage},
		{"mirror re-graded to error", []string{"check", "--rules", "testdata/rules/config.yaml", "testdata/mirror_gap.csv"}, exitFindings},
		{"unknown format", []string{"check", "--format", "yaml", "../../data/trade.csv"}, exitUsage},
		{"two formats on standard output", []string{"check", "--format", "json", "--format", "text", "../../data/trade.csv"}, exitUsage},
		{"text and github on standard output", []string{"check", "--format", "text", "--format", "github", "../../data/trade.csv"}, exitOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if code, stdout, stderr := runCase(tc.args, nil, nil); code != tc.want {
				t.Errorf("%v: exit %d; want %d\nstdout:\n%s\nstderr:\n%s", tc.args, code, tc.want, stdout, stderr)
			}
		})
	}
}

// TestFormatFiles writes every format to a file in one run, reads each
// back with a parser, and checks that a second run gives the same bytes.
func TestFormatFiles(t *testing.T) {
	formats := map[string]string{"text": "txt", "json": "json", "junit": "xml", "github": "github", "gitlab": "gitlab.json", "sarif": "sarif"}
	runOnce := func(dir string) map[string][]byte {
		args := []string{"check"}
		for f, ext := range formats {
			args = append(args, "--format", f+"="+filepath.Join(dir, "findings."+ext))
		}
		args = append(args, "testdata/rules/fdi8/trade.csv")
		code, stdout, stderr := runCase(args, nil, nil)
		if code != exitFindings || stdout != "" || stderr != "" {
			t.Fatalf("exit %d, stdout %q, stderr %q; want exit 1 and nothing printed", code, stdout, stderr)
		}
		out := map[string][]byte{}
		for f, ext := range formats {
			b, err := os.ReadFile(filepath.Join(dir, "findings."+ext))
			if err != nil {
				t.Fatal(err)
			}
			out[f] = b
		}
		return out
	}
	first, second := runOnce(t.TempDir()), runOnce(t.TempDir())
	for f := range formats {
		if !bytes.Equal(first[f], second[f]) {
			t.Errorf("%s differs between two runs", f)
		}
	}
	var js struct {
		Summary struct{ Errors int }
	}
	if err := json.Unmarshal(first["json"], &js); err != nil || js.Summary.Errors != 1 {
		t.Errorf("json: %v, %d errors; want 1", err, js.Summary.Errors)
	}
	var ju struct {
		Failures int `xml:"failures,attr"`
	}
	if err := xml.Unmarshal(first["junit"], &ju); err != nil || ju.Failures != 1 {
		t.Errorf("junit: %v, %d failures; want 1", err, ju.Failures)
	}
	if !json.Valid(first["gitlab"]) {
		t.Errorf("gitlab is not JSON")
	}
	for f, schema := range map[string]string{
		"json":  filepath.Join("..", "..", "docs", "findings.schema.json"),
		"sarif": filepath.Join("..", "..", "stats", "findings", "testdata", "sarif-schema-2.1.0.json"),
	} {
		if err := validateJSON(schema, first[f]); err != nil {
			t.Errorf("%s does not match %s: %v", f, schema, err)
		}
	}
	if !strings.HasPrefix(string(first["github"]), "::error file=testdata/rules/fdi8/trade.csv,line=9,") {
		t.Errorf("github: %q; want an error annotation on line 9", first["github"])
	}
}

// validateJSON validates data against the JSON schema in the file schema.
func validateJSON(schema string, data []byte) error {
	raw, err := os.ReadFile(schema)
	if err != nil {
		return err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(filepath.Base(schema), doc); err != nil {
		return err
	}
	s, err := c.Compile(filepath.Base(schema))
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return s.Validate(inst)
}

// TestGitHubActions checks that under GitHub Actions the text is followed by
// annotations and the summary is appended to $GITHUB_STEP_SUMMARY.
func TestGitHubActions(t *testing.T) {
	summary := filepath.Join(t.TempDir(), "summary.md")
	if err := os.WriteFile(summary, []byte("earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary}
	code, stdout, _ := runCase([]string{"check", "testdata/rules/fdi8/trade.csv"}, nil, env)
	if code != exitFindings {
		t.Fatalf("exit %d; want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "testdata/rules/fdi8/trade.csv:9:27: error:") ||
		!strings.HasPrefix(lines[1], "checked ") || !strings.HasPrefix(lines[2], "::error file=testdata/rules/fdi8/trade.csv,line=9,col=27,") {
		t.Errorf("stdout:\n%s\nwant a finding, the summary and an annotation", stdout)
	}
	md, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(md), "earlier step\n### report check failed: 1 error") || !strings.Contains(string(md), "| fdi-2023-doubled |") {
		t.Errorf("step summary:\n%s\nwant the earlier content, then the table", md)
	}
	// With a format named, the text is not added.
	_, stdout, _ = runCase([]string{"check", "--format", "json", "testdata/rules/fdi8/trade.csv"}, nil, env)
	if !json.Valid([]byte(stdout)) {
		t.Errorf("--format json under GitHub Actions gave %q; want JSON alone", stdout)
	}
}

// TestFailedWriteKeepsOutput checks that an output that cannot be written
// leaves the previous file as it was.
func TestFailedWriteKeepsOutput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "findings.json")
	if err := os.WriteFile(path, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, _ := runCase([]string{"check", "--format", "json=" + path, "--format", "sarif=" + filepath.Join(dir, "no-such-dir", "x.sarif"), "../../data/trade.csv"}, nil, nil)
	if code != exitUsage {
		t.Errorf("exit %d; want 2", code)
	}
	// The formats are written in order, so json is already replaced whole;
	// what matters is that no file is ever left half-written.
	b, err := os.ReadFile(path)
	if err != nil || !(string(b) == "previous" || json.Valid(b)) {
		t.Errorf("findings.json is %q (%v); want the previous content or whole JSON", b, err)
	}
}

// TestFailedStandardOutput checks that findings that cannot be written to
// standard output (a full disk, a closed pipe) give exit 2 and say so, in
// every format, however far the writing got.
func TestFailedStandardOutput(t *testing.T) {
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "KAZ,ARM,exports,%d-%02d,-1.0,USD million,BNS\n", 1990+i/12, 1+i%12)
	}
	path := filepath.Join(t.TempDir(), "negative.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json", "sarif", "gitlab", "junit"} {
		var stderr bytes.Buffer
		out := &failAfter{n: 100 << 10}
		code := runEnv([]string{"check", "--no-rules", "--format", format, path}, &env{stdout: out, stderr: &stderr, getenv: func(string) string { return "" }})
		if code != exitUsage || !strings.Contains(stderr.String(), "write standard output: no space left on device") {
			t.Errorf("%s: exit %d, %q; want exit 2 and the write error", format, code, stderr.String())
		}
		if out.written == 0 {
			t.Errorf("%s: nothing written before the error", format)
		}
	}
}

// failAfter is a writer that takes n bytes and then fails as a full disk
// does.
type failAfter struct {
	n, written int
}

func (f *failAfter) Write(p []byte) (int, error) {
	if f.written+len(p) > f.n {
		m := f.n - f.written
		f.written = f.n
		return m, syscall.ENOSPC
	}
	f.written += len(p)
	return len(p), nil
}

// TestFormatFileKeepsPermissions checks that a report file written again
// keeps the permissions it was given, and a new one is readable by all.
func TestFormatFileKeepsPermissions(t *testing.T) {
	dir := t.TempDir()
	private := filepath.Join(dir, "private.json")
	if err := os.WriteFile(private, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(dir, "new.sarif")
	if code, _, stderr := runCase([]string{"check", "--format", "json=" + private, "--format", "sarif=" + fresh, "../../data/trade.csv"}, nil, nil); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for path, want := range map[string]os.FileMode{private: 0o600, fresh: 0o644} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm() &^ 0o022; got != want&^0o022 {
			t.Errorf("%s: mode %v, want %v", filepath.Base(path), st.Mode().Perm(), want)
		}
	}
}

// TestCheckYearFiles checks a file a year, named in turn, which are read
// one after another as one file: each finding names the file and line of
// each of its rows.
func TestCheckYearFiles(t *testing.T) {
	dir := t.TempDir()
	header := "reporter,partner,indicator,period,value,unit,source\n"
	var names []string
	for _, y := range []int{2022, 2023} {
		var b strings.Builder
		b.WriteString(header)
		for m := 1; m <= 12; m++ {
			turnover := "3.5"
			if y == 2023 && m == 2 {
				turnover = "9.5" // line 7 of 2023.csv
			}
			fmt.Fprintf(&b, "KAZ,ARM,exports,%d-%02d,1.5,USD million,S\nKAZ,ARM,imports,%d-%02d,2.0,USD million,S\nKAZ,ARM,turnover,%d-%02d,%s,USD million,S\n", y, m, y, m, y, m, turnover)
		}
		path := filepath.Join(dir, fmt.Sprintf("%d.csv", y))
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, path)
	}
	code, stdout, stderr := runCase(append([]string{"check", "--no-rules"}, names...), nil, nil)
	if code != exitFindings {
		t.Fatalf("exit %d, want %d\n%s%s", code, exitFindings, stdout, stderr)
	}
	want := names[1] + ":7:26: error: KAZ–ARM turnover 2023-02 is 9.5, but exports 1.5 + imports 2.0 = 3.5 (expected 3.5, actual 9.5, difference 6.0, tolerance 0.15); rows " + names[1] + ":5:25 " + names[1] + ":6:25 [turnover]"
	if !strings.Contains(stdout, want) || strings.Count(stdout, ": error:") != 1 {
		t.Errorf("want one error, %q…, got:\n%s", want, stdout)
	}
	if !strings.Contains(stdout, "checked 72 observations from "+names[0]+", "+names[1]) {
		t.Errorf("the summary does not name both files:\n%s", stdout)
	}
}

// TestNamedTwice checks that one file named twice, under one name or two
// (a link, a path through its folder), is refused with exit status 2,
// where each of its rows was checked twice and found given twice; and
// that two files alike are checked as two.
func TestNamedTwice(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "trade.csv")
	text := "reporter,partner,indicator,period,value,unit,source\nKAZ,ARM,exports,2023,33.3,USD million,BNS\n"
	if err := os.WriteFile(data, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	twin := filepath.Join(dir, "twin.csv")
	if err := os.WriteFile(twin, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.csv")
	linked := os.Symlink(data, link) == nil
	tests := []struct {
		name, second, want string
	}{
		{"one name", data, data + " is named twice"},
		{"through its folder", dir + string(filepath.Separator) + "." + string(filepath.Separator) + "trade.csv", data + " and " + dir + string(filepath.Separator) + "." + string(filepath.Separator) + "trade.csv are one file"},
		{"a link", link, data + " and " + link + " are one file"},
	}
	for _, tc := range tests {
		if tc.second == link && !linked {
			continue
		}
		for _, cmd := range [][]string{{"check"}, {"xlsx", "--out", filepath.Join(dir, "w.xlsx")}, {"charts", "--out", filepath.Join(dir, "charts")}} {
			code, out, errOut := runCase(append(cmd, "--no-rules", data, tc.second), nil, nil)
			if code != exitUsage || !strings.Contains(errOut, tc.want+": name each file once") {
				t.Errorf("%s, %s: exit %d, want %d with %q\n%s%s", tc.name, cmd[0], code, exitUsage, tc.want, out, errOut)
			}
		}
	}
	// Standard input that is the file named.
	in, err := os.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var stdout, stderr bytes.Buffer
	code := runEnv([]string{"check", "--no-rules", "-", data}, &env{stdin: in, stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }})
	if want := "standard input (-) and " + data + " are one file: name each file once"; code != exitUsage || !strings.Contains(stderr.String(), want) {
		t.Errorf("- and the file on standard input: exit %d, want %d with %q\n%s%s", code, exitUsage, want, &stdout, &stderr)
	}
	code, out, errOut := runCase([]string{"check", "--no-rules", data, twin}, nil, nil)
	if code != exitFindings || !strings.Contains(out, "given twice") {
		t.Errorf("two files alike: exit %d, want %d with the rows given twice\n%s%s", code, exitFindings, out, errOut)
	}
}

// TestStdinUnread checks that a command given a file as standard input and
// no file named says that it does not read it, where `report check <
// trade.csv` checked the built-in seed data and passed without a word;
// and that it says nothing when a file is named or standard input is not a
// file.
func TestStdinUnread(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wrong.csv")
	if err := os.WriteFile(path, []byte("reporter,partner,indicator,period,value,unit,source\nKAZ,ARM,exports,2023,1,USD million,S\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const said = "standard input is a file, and not read"
	for _, tc := range []struct {
		name  string
		args  []string
		file  bool // standard input is the file, else a reader
		wants bool
	}{
		{"no file named", []string{"check", "--no-rules"}, true, true},
		{"the file named", []string{"check", "--no-rules", path}, true, false},
		{"standard input named", []string{"check", "--no-rules", "-"}, true, false},
		{"not a file", []string{"check", "--no-rules"}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdin io.Reader = strings.NewReader("")
			if tc.file {
				f, err := os.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				stdin = f
			}
			var stdout, stderr bytes.Buffer
			run(tc.args, stdin, &stdout, &stderr)
			if got := strings.Contains(stderr.String(), said); got != tc.wants {
				t.Errorf("report %s: standard error %q; said that standard input is not read: %v, want %v", strings.Join(tc.args, " "), stderr.String(), got, tc.wants)
			}
		})
	}
}
