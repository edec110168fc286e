package findings_test

import (
	"os"

	"github.com/tradedesk/report/stats"
	"github.com/tradedesk/report/stats/findings"
)

func ExampleWrite() {
	r := &findings.Report{
		Findings: []stats.Finding{{Rule: "turnover", Severity: stats.Error,
			Rows:   []stats.Pos{{File: "trade.csv", Line: 4, Column: 23}},
			Series: "KAZ–ARM turnover 2023", Message: "KAZ–ARM turnover 2023 is 53.4, but exports 33.3 + imports 19.8 = 53.1"}},
		Inputs: []string{"trade.csv"}, Observations: 3,
		Rules: []findings.Rule{{ID: "turnover", Severity: stats.Error}},
	}
	for _, format := range []string{"text", "github"} {
		if err := findings.Write(os.Stdout, format, r); err != nil {
			panic(err)
		}
	}
	// Output:
	// trade.csv:4:23: error: KAZ–ARM turnover 2023 is 53.4, but exports 33.3 + imports 19.8 = 53.1 [turnover]
	// checked 3 observations from trade.csv with 1 rule: 1 error, no warnings
	// ::error file=trade.csv,line=4,col=23,title=turnover%3A KAZ–ARM turnover 2023::KAZ–ARM turnover 2023 is 53.4, but exports 33.3 + imports 19.8 = 53.1 [turnover]
}
