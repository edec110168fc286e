package stats_test

import (
	"fmt"
	"strings"

	"github.com/tradedesk/report/stats"
)

// Two releases of Kazakhstan's 2020 trade with Armenia: imports republished
// with more decimals (within rounding), turnover revised, 2021 added.
func ExampleDiff() {
	const head = "reporter,partner,indicator,period,value,unit,source\n"
	old, _ := stats.Load(strings.NewReader(head+
		"KAZ,ARM,imports,2020,7829.1,USD thousand,BNS 2020\n"+
		"KAZ,ARM,turnover,2020,14235.08412,USD thousand,BNS 2020\n"), "first.csv", stats.LoadOptions{})
	cur, _ := stats.Load(strings.NewReader(head+
		"KAZ,ARM,imports,2020,7829.06387,USD thousand,BNS 2021\n"+
		"KAZ,ARM,turnover,2020,14235.04799,USD thousand,BNS 2021\n"+
		"KAZ,ARM,imports,2021,10484.6,USD thousand,BNS 2021\n"), "second.csv", stats.LoadOptions{})
	revs := stats.Diff(old, cur, stats.Tolerance{})
	for _, r := range revs {
		fmt.Println(r.String())
	}
	for _, f := range stats.RevisionFindings(revs) {
		fmt.Println(f.Rule, f.Pos())
	}
	// Output:
	// restated KAZ–ARM imports 2020 from "BNS 2020", then "BNS 2021": 7829.1 USD thousand → 7829.06387 USD thousand (-0.03613)
	// added KAZ–ARM imports 2021: 10484.6 USD thousand
	// revised KAZ–ARM turnover 2020 from "BNS 2020", then "BNS 2021": 14235.08412 USD thousand → 14235.04799 USD thousand (-0.03613)
	// revision second.csv:3:23
}

// The same two releases compared a year at a time, as releases of
// millions of rows are: the rows go to temporary files, a year of them in
// memory at a time. The new release comes as two files.
func ExampleDiffInputs() {
	const head = "reporter,partner,indicator,period,value,unit,source\n"
	old := []stats.Input{{Name: "first.csv", R: strings.NewReader(head +
		"KAZ,ARM,imports,2020,7829.1,USD thousand,BNS 2020\n" +
		"KAZ,ARM,turnover,2020,14235.08412,USD thousand,BNS 2020\n")}}
	cur := []stats.Input{
		{Name: "2020.csv", R: strings.NewReader(head +
			"KAZ,ARM,imports,2020,7829.06387,USD thousand,BNS 2021\n" +
			"KAZ,ARM,turnover,2020,14235.04799,USD thousand,BNS 2021\n")},
		{Name: "2021.csv", R: strings.NewReader(head +
			"KAZ,ARM,imports,2021,10484.6,USD thousand,BNS 2021\n")},
	}
	res, err := stats.DiffInputs(old, cur, stats.LoadOptions{}, stats.Tolerance{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Revisions {
		fmt.Println(r.String(), r.New.Pos)
	}
	fmt.Println(res.Rows, len(res.Problems[0])+len(res.Problems[1]))
	// Output:
	// restated KAZ–ARM imports 2020 from "BNS 2020", then "BNS 2021": 7829.1 USD thousand → 7829.06387 USD thousand (-0.03613) 2020.csv:2:22
	// added KAZ–ARM imports 2021: 10484.6 USD thousand 2021.csv:2:22
	// revised KAZ–ARM turnover 2020 from "BNS 2020", then "BNS 2021": 14235.08412 USD thousand → 14235.04799 USD thousand (-0.03613) 2020.csv:3:23
	// [2 3] 0
}

// The Bureau's EU group of 2021 still counts the United Kingdom.
func ExampleCheck_groups() {
	const head = "reporter,partner,indicator,period,value,unit,source\n"
	var b strings.Builder
	b.WriteString(head)
	b.WriteString("KAZ,EAEU,exports,2023,10.0,USD million,BNS\n")
	for _, r := range []string{"ARM,1.1", "BLR,2.2", "KGZ,3.3", "RUS,3.0"} {
		b.WriteString("KAZ," + strings.Replace(r, ",", ",exports,2023,", 1) + ",USD million,BNS\n")
	}
	ds, _ := stats.Load(strings.NewReader(b.String()), "t.csv", stats.LoadOptions{})
	for _, f := range stats.Check(ds, nil) {
		fmt.Println(f.Rule, f.Message)
	}
	// Output:
	// groups KAZ–EAEU exports 2023 is 10.0, but its 4 members add up to 9.6
}
