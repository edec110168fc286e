package stats_test

import (
	"strings"
	"testing"

	"github.com/tradedesk/report/stats"
)

// TestFindingsAcrossUnits checks that a finding that compares figures in
// different units prints each number to the decimals it has in the unit
// shown: 313100 USD thousand is 313.100 USD million, not 313.
func TestFindingsAcrossUnits(t *testing.T) {
	tests := []struct {
		name, csv, rule, want string
	}{
		{
			"mirror, imports in thousands",
			"RUS,USA,exports,2024-01,33,USD million,A\nUSA,RUS,imports,2024-01,313100,USD thousand,B\n",
			"mirror", "(expected 34.980, actual 313.100, difference 278.120, tolerance 8.7450)",
		},
		{
			"mirror, exports in thousands",
			"RUS,USA,exports,2024-01,33000,USD thousand,A\nUSA,RUS,imports,2024-01,313.1,USD million,B\n",
			"mirror", "(expected 34980, actual 313100, difference 278120, tolerance 8745.0)",
		},
		{
			"mirror, one unit",
			"RUS,USA,exports,2024-01,33,USD million,A\nUSA,RUS,imports,2024-01,313.1,USD million,B\n",
			"mirror", "(expected 35.0, actual 313.1, difference 278.1, tolerance 8.75)",
		},
		{
			"turnover, a term in thousands",
			"KAZ,ARM,exports,2023,33.3,USD million,S\nKAZ,ARM,imports,2023,19850,USD thousand,S\nKAZ,ARM,turnover,2023,60.2,USD million,S\n",
			"turnover", "but exports 33.3 + imports 19850 USD thousand = 53.150 (expected 53.150, actual 60.200, difference 7.050, tolerance 0.1005)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := stats.Load(strings.NewReader("reporter,partner,indicator,period,value,unit,source\n"+tc.csv), "t.csv", stats.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range stats.Check(ds, &stats.Config{}) {
				if f.Rule == tc.rule {
					got = append(got, f.Text())
				}
			}
			if len(got) != 1 || !strings.Contains(got[0], tc.want) {
				t.Errorf("%s findings %q, want one with %q", tc.rule, got, tc.want)
			}
		})
	}
}
