package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRefuseInputAsOutput names an input file, or a link to it, as the
// output of every command that writes files: each refuses with exit 2,
// and the input is left as it was.
func TestRefuseInputAsOutput(t *testing.T) {
	dir := t.TempDir()
	write := writeIn(t, dir)
	const data = "reporter,partner,indicator,period,value,unit,source\nKAZ,ARM,exports,2023-01,1.5,USD million,BNS\nKAZ,ARM,imports,2023-01,1.0,USD million,BNS\n"
	in := write("trade.csv", data)
	rulesFile := write("rules.yaml", "rules: []\n")
	mapping := write("map.yaml", tinyMapping)
	table := write("table.csv", "p,d,v\nArmenia,2023-01,1.5\n")
	spec := write("spec.yaml", "charts:\n  - id: trade\n    kind: grouped\n    title: Trade\n    series: {reporter: KAZ, partner: ARM, indicators: [exports, imports], periods: [2023-01]}\n")
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(in, link); err != nil {
		t.Fatal(err)
	}
	inputs := map[string]string{in: data, rulesFile: "rules: []\n"}
	tests := []struct {
		name string
		args []string
	}{
		{"xlsx", []string{"xlsx", "--force", "--out", in, in}},
		{"xlsx data only, by a link", []string{"xlsx", "--data-only", "--force", "--out", link, in}},
		{"xlsx over the rules file next to the data", []string{"xlsx", "--out", rulesFile, in}},
		{"check report", []string{"check", "--format", "json=" + link, in}},
		{"check report over the previous release", []string{"check", "--previous", in, "--format", "sarif=" + in, in}},
		{"import over its table", []string{"import", "--map", mapping, "-o", table, table}},
		{"import over its mapping", []string{"import", "--map", mapping, "-o", mapping, table}},
		{"charts over the data", []string{"charts", "--force", "--no-rules", "--spec", spec, "--out", dir, in}},
	}
	inputs[mapping], inputs[table] = readFile(t, mapping), readFile(t, table)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCase(tc.args, nil, nil)
			if code != exitUsage || !strings.Contains(stderr, "an input of this run, and would be replaced") || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and the refusal alone", code, stdout, stderr)
			}
			for path, want := range inputs {
				if got := readFile(t, path); got != want {
					t.Errorf("%s changed", path)
				}
			}
		})
	}
}

// TestRefuseDefaultInputAsOutput names the default data file, and the
// rules file next to it, as outputs of commands given no file.
func TestRefuseDefaultInputAsOutput(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := writeIn(t, filepath.Join(dir, "data"))
	const data = "reporter,partner,indicator,period,value,unit,source\nKAZ,ARM,exports,2023,1.5,USD million,BNS\n"
	write("trade.csv", data)
	write("rules.yaml", "rules: []\n")
	t.Chdir(dir)
	for _, args := range [][]string{
		{"check", "--format", "text=data/trade.csv"},
		{"xlsx", "--out", "data/rules.yaml"},
	} {
		code, _, stderr := runCase(args, nil, nil)
		if code != exitUsage || !strings.Contains(stderr, "an input of this run") {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and the refusal", args, code, stderr)
		}
	}
	if got := readFile(t, filepath.Join("data", "trade.csv")); got != data {
		t.Errorf("data/trade.csv changed: %q", got)
	}
	if got := readFile(t, filepath.Join("data", "rules.yaml")); got != "rules: []\n" {
		t.Errorf("data/rules.yaml changed: %q", got)
	}
}

// TestRefuseStdinAsOutput gives import its table on standard input, from
// the file named as its output.
func TestRefuseStdinAsOutput(t *testing.T) {
	dir := t.TempDir()
	write := writeIn(t, dir)
	mapping := write("map.yaml", tinyMapping)
	const text = "p,d,v\nArmenia,2023-01,1.5\n"
	table := write("table.csv", text)
	in, err := os.Open(table)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var stdout, stderr strings.Builder
	e := &env{stdin: in, stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	code := runEnv([]string{"import", "--map", mapping, "-o", table, "-"}, e)
	if code != exitUsage || !strings.Contains(stderr.String(), "it is standard input, an input of this run") {
		t.Errorf("exit %d, stderr %q; want exit 2 and the refusal", code, stderr.String())
	}
	if got := readFile(t, table); got != text {
		t.Errorf("the table changed: %q", got)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// writeIn returns a function that writes a file of the given name and
// text into dir and returns its path.
func writeIn(t testing.TB, dir string) func(name, text string) string {
	return func(name, text string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
}

// TestOutputNotOfItsKind names a directory where a command writes a file,
// and a file where it writes into a directory: each says so, with exit 2,
// and those told before any work write nothing.
func TestOutputNotOfItsKind(t *testing.T) {
	const data = "../../data/trade.csv"
	tests := []struct {
		name       string
		args       []string // $DIR is a directory holding what mkdirs and files make
		mkdirs     []string
		files      []string
		wantStderr string
		wantOut    bool     // something is written before the error
		absent     []string // under $DIR, what must not be there after
	}{
		{name: "check format onto a directory", args: []string{"check", "--format", "json=$DIR/d", data}, mkdirs: []string{"d"},
			wantStderr: "report: --format json=$DIR/d: it is a directory, which a file cannot replace\n"},
		{name: "xlsx onto a directory", args: []string{"xlsx", "--out", "$DIR/d", data}, mkdirs: []string{"d"},
			wantStderr: "report: --out $DIR/d: it is a directory, which a file cannot replace\n"},
		{name: "xlsx data only onto a directory", args: []string{"xlsx", "--data-only", "--out", "$DIR/d", data}, mkdirs: []string{"d"},
			wantStderr: "report: --out $DIR/d: it is a directory, which a file cannot replace\n"},
		{name: "import onto a directory", args: []string{"import", "--map", "$DIR/map.yaml", "-o", "$DIR/d", "$DIR/table.csv"}, mkdirs: []string{"d"},
			wantStderr: "report: -o $DIR/d: it is a directory, which a file cannot replace\n"},
		{name: "charts into a file", args: []string{"charts", "--out", "$DIR/f", data}, files: []string{"f"},
			wantStderr: "report: --out $DIR/f: it is a file, not a directory to write into\n"},
		{name: "a chart onto a directory", args: []string{"charts", "--out", "$DIR/c", data}, mkdirs: []string{"c/kaz-arm-trade.png"},
			wantStderr: "report: --out $DIR/c (chart file $DIR/c/kaz-arm-trade.png): it is a directory, which a file cannot replace\n"},
		{name: "default run into a file", args: []string{"--out", "$DIR/f"}, files: []string{"f"},
			wantStderr: "report: --out $DIR/f: it is a file, not a directory to write into\n"},
		{name: "default run's charts into a file", args: []string{"--out", "$DIR/o"}, files: []string{"o/charts"},
			wantStderr: "report: --out $DIR/o (charts directory $DIR/o/charts): it is a file, not a directory to write into\n"},
		// Told once the data give the workbook's period, before the charts.
		{name: "default run's workbook onto a directory", args: []string{"--out", "$DIR/o"}, mkdirs: []string{"o/report-2024-01--2024-07.xlsx"},
			wantStderr: "report: --out $DIR/o (workbook $DIR/o/report-2024-01--2024-07.xlsx): it is a directory, which a file cannot replace\n", wantOut: true,
			absent: []string{"o/charts"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write := writeIn(t, dir)
			write("map.yaml", tinyMapping)
			write("table.csv", "p,d,v\nArmenia,2023-01,1.5\n")
			for _, d := range tc.mkdirs {
				if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			for _, f := range tc.files {
				if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil {
					t.Fatal(err)
				}
				write(f, "")
			}
			var args []string
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "$DIR", dir))
			}
			code, stdout, stderr := runCase(args, nil, map[string]string{"SOURCE_DATE_EPOCH": "1728950400"})
			stderr = strings.ReplaceAll(stderr, dir, "$DIR")
			if code != exitUsage || stderr != tc.wantStderr || (stdout != "") != tc.wantOut {
				t.Errorf("report %s: exit %d, stdout %q, stderr %q; want exit %d, stderr %q", strings.Join(tc.args, " "), code, stdout, stderr, exitUsage, tc.wantStderr)
			}
			for _, a := range tc.absent {
				if _, err := os.Stat(filepath.Join(dir, a)); err == nil {
					t.Errorf("report %s wrote %s", strings.Join(tc.args, " "), a)
				}
			}
		})
	}
}
