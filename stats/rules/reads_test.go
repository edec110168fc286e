package rules_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tradedesk/report/stats"
	"github.com/tradedesk/report/stats/rules"
)

// readsRules are rules of every kind of Where, reading one indicator or
// several, with totals over sub-periods, sources and a declared unit.
const readsRules = `
indicators:
  - {name: fdi_in_net, kind: flow, negative: true, unit: EUR million}
rules:
  - id: named
    where: {reporter: KAZ, partner: ARM}
    assert: exports["2023"] >= 2 * imports["2023"]
  - id: named-none
    where: {reporter: [KAZ, RUS], partner: [ARM, CHN]}
    assert: 1 < 2
  - id: reporter
    where: {reporter: KAZ}
    assert: total(turnover, "2023") > 300
  - id: partner
    where: {partner: [ARM, WLD]}
    assert: total(fdi_in_gross, "2021/2023") > 500
  - id: source
    where: {reporter: RUS, source: [B, A]}
    assert: imports["2022"] < 200
  - id: any
    assert: balance["2022"] < 300
  - id: three
    where: {reporter: ARM}
    assert: sum(exports["2021"], imports["2021"], fdi_in_net["2021"]) < 600
`

// TestReads checks, on random data, that Evaluate of the rows Reads keeps
// gives the findings of Evaluate of every row, and that it keeps only rows
// of the indicators the rules read.
func TestReads(t *testing.T) {
	f, err := rules.Parse([]byte(readsRules), "rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	keep, ok := f.Reads()
	if !ok {
		t.Fatal("Reads: not ok for rules that all read series or name their pairs")
	}
	kept, all := 0, 0
	for seed := range uint64(200) {
		ds := randomData(t, rand.New(rand.NewPCG(seed, 11)), f.Vocabulary())
		sub := &stats.Dataset{Files: ds.Files}
		for i := range ds.Obs {
			if keep(&ds.Obs[i]) {
				sub.Obs = append(sub.Obs, ds.Obs[i])
			} else if o := ds.Obs[i]; o.Indicator == "turnover" && o.Reporter == "KAZ" {
				t.Fatalf("seed %d: Reads leaves out %s %s, which rules read", seed, o.Key(), o.Period)
			}
		}
		kept += len(sub.Obs)
		all += len(ds.Obs)
		if diff := cmp.Diff(f.Evaluate(ds), f.Evaluate(sub)); diff != "" {
			t.Fatalf("seed %d: findings (-all rows +rows kept):\n%s", seed, diff)
		}
	}
	if kept == 0 || kept > all*3/4 {
		t.Fatalf("Reads kept %d rows of %d", kept, all)
	}
	for _, tc := range []struct {
		rules string
		ok    bool
	}{
		{"rules:\n  - {id: a, assert: 1 < 2}\n", false},
		{"rules:\n  - {id: a, where: {reporter: KAZ}, assert: 1 < 2}\n", false},
		{"rules:\n  - {id: a, where: {reporter: KAZ, partner: ARM}, assert: 1 < 2}\n", true},
	} {
		f, err := rules.Parse([]byte(tc.rules), "rules.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := f.Reads(); ok != tc.ok {
			t.Errorf("Reads of %q: ok %v, want %v", tc.rules, ok, tc.ok)
		}
	}
}

// randomData makes a dataset of a few pairs, indicators, sources and
// periods, with rows repeated, missing and empty.
func randomData(t *testing.T, rng *rand.Rand, voc *stats.Vocabulary) *stats.Dataset {
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	for range 20 + rng.IntN(150) {
		ind := []string{"exports", "imports", "turnover", "balance", "fdi_in_net", "fdi_in_gross"}[rng.IntN(6)]
		period := []string{"2021", "2022", "2023", "2023-01", "2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4", "2022-06"}[rng.IntN(9)]
		value := fmt.Sprintf("%d.%d", rng.IntN(500), rng.IntN(10))
		if rng.IntN(15) == 0 {
			value = ""
		}
		unit := []string{"USD million", "USD thousand", "EUR million"}[rng.IntN(3)]
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%s\n", []string{"KAZ", "RUS", "ARM"}[rng.IntN(3)], []string{"ARM", "CHN", "WLD", "KAZ"}[rng.IntN(4)],
			ind, period, value, unit, []string{"A", "B"}[rng.IntN(2)])
	}
	ds, err := stats.Load(strings.NewReader(b.String()), "data.csv", stats.LoadOptions{Vocabulary: voc})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}
