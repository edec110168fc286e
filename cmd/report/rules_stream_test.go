package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestRulesStreamed checks a file of several years with a rules file of
// claims (pairs named, one side named, none), a declared unit and built-in
// settings: checked a year at a time and evaluated on the rows the rules
// read, it gives the findings of the data loaded whole. A file changed
// between the check and the second reading is not evaluated.
func TestRulesStreamed(t *testing.T) {
	dir := t.TempDir()
	var data strings.Builder
	data.WriteString("reporter,partner,indicator,period,value,unit,source,note\n")
	for y := 2019; y <= 2023; y++ {
		for m := 1; m <= 12; m++ {
			for i, pair := range []string{"KAZ,ARM", "KAZ,KGZ", "RUS,ARM", "ARM,KAZ"} {
				ex, im := 10+i+m, 5+i*y%7
				fmt.Fprintf(&data, "%s,exports,%d-%02d,%d.0,USD million,BNS,\n", pair, y, m, ex)
				fmt.Fprintf(&data, "%s,imports,%d-%02d,%d.0,USD million,BNS,\n", pair, y, m, im)
				fmt.Fprintf(&data, "%s,turnover,%d-%02d,%d.0,USD million,BNS,\n", pair, y, m, ex+im+(m/12))
			}
		}
		fmt.Fprintf(&data, "KAZ,ARM,fdi_in_net,%d,%d.5,EUR million,NBK,\n", y, y-2000)
	}
	in := filepath.Join(dir, "trade.csv")
	if err := os.WriteFile(in, []byte(data.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	rulesPath := filepath.Join(dir, "claims.yaml")
	if err := os.WriteFile(rulesPath, []byte(`
indicators:
  - {name: fdi_in_net, kind: flow, negative: true, unit: USD million}
builtin:
  mirror: {threshold: 10%}
rules:
  - id: doubled
    where: {reporter: KAZ, partner: ARM}
    assert: total(exports, "2023") == 2 * total(imports, "2023")
  - id: kaz-grew
    where: {reporter: KAZ}
    assert: total(exports, "2023") > total(exports, "2022")
  - id: into-armenia
    where: {partner: ARM}
    assert: exports["2023-12"] < 20
  - id: everywhere
    assert: total(turnover, "2021") <= 1000
`), 0o644); err != nil {
		t.Fatal(err)
	}
	e := &env{stdin: bytes.NewReader(nil), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }}
	f := &inputFlags{rules: rulesPath, maxFindings: 10000}
	streamed, err := streamChecked(e, []string{in}, f, true)
	if err != nil || streamed == nil {
		t.Fatalf("streamChecked = %v, %v: the rules read some pairs, and the file can be read again", streamed, err)
	}
	if streamed.ds != nil {
		t.Error("streamChecked kept the data whole")
	}
	e.reads = nil
	whole, err := loadChecked(e, []string{in}, &inputFlags{rules: rulesPath, maxFindings: 10000})
	if err != nil {
		t.Fatal(err)
	}
	rulesFound := 0
	for _, fd := range whole.findings {
		switch fd.Rule {
		case "doubled", "kaz-grew", "into-armenia", "everywhere", "units":
			rulesFound++
		}
	}
	if rulesFound < 4 {
		t.Fatalf("the whole data give %d findings of the rules file; the test needs some", rulesFound)
	}
	if diff := cmp.Diff(whole.findings, streamed.findings); diff != "" {
		t.Errorf("findings (-loaded whole +streamed):\n%s", diff)
	}

	// A file rewritten between the readings, to the same size and time of
	// change, is not evaluated.
	st, err := os.Stat(in)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { testHookChecked = nil }()
	testHookChecked = func() {
		changed := strings.Replace(data.String(), "KAZ,ARM,exports,2023-12,22.0", "KAZ,ARM,exports,2023-12,29.0", 1)
		if changed == data.String() {
			t.Fatal("the figure to change is not in the file")
		}
		if err := os.WriteFile(in, []byte(changed), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(in, time.Time{}, st.ModTime()); err != nil {
			t.Fatal(err)
		}
	}
	code, _, stderr := runCase([]string{"check", "--rules", rulesPath, in}, nil, nil)
	if code != exitUsage || !strings.Contains(stderr, "the rules of "+rulesPath+" not evaluated: "+in+" changed after it was checked") {
		t.Errorf("a file changed after the check: exit %d\n%s", code, stderr)
	}
}
