package rules_test

import (
	"fmt"
	"strings"

	"github.com/tradedesk/report/stats"
	"github.com/tradedesk/report/stats/rules"
)

// A claim of an article, checked against figures that do not bear it out.
func ExampleFile_Evaluate() {
	f, err := rules.Parse([]byte(`rules:
  - id: fdi-2023-doubled
    description: In 2023 FDI from Armenia was twice as much as in 2022
    where: {reporter: KAZ, partner: ARM}
    assert: fdi_in_gross["2023"] == 2 * fdi_in_gross["2022"]
`), "rules.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	ds, err := stats.Load(strings.NewReader(`reporter,partner,indicator,period,value,unit,source
KAZ,ARM,fdi_in_gross,2022,3,USD million,National Bank of Kazakhstan
KAZ,ARM,fdi_in_gross,2023,8,USD million,National Bank of Kazakhstan
`), "trade.csv", stats.LoadOptions{Vocabulary: f.Vocabulary()})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, fd := range f.Evaluate(ds) {
		fmt.Println(fd.Text())
	}
	// Output:
	// trade.csv:3:27: error: "In 2023 FDI from Armenia was twice as much as in 2022" fails for KAZ–ARM: fdi_in_gross["2023"] is 8 (7.5 to 8.5), 2 * fdi_in_gross["2022"] is 6 (5 to 7): they cannot be equal, even allowing for rounding (expected 6, actual 8, difference 2, tolerance 1.5); rows trade.csv:2:27 rules.yaml:5:13 [fdi-2023-doubled]
}

// A malformed rules file is an error that names its line and column.
func ExampleParse() {
	_, err := rules.Parse([]byte(`rules:
  - id: fdi
    assert: fdi_in_gros["2023"] == 6
`), "rules.yaml")
	fmt.Println(err)
	// Output:
	// rules.yaml:3:13: field "assert": unknown series "fdi_in_gros": did you mean "fdi_in_gross"?
}
