package stats_test

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/tradedesk/report/stats"
)

func ExampleLoad() {
	in := `reporter,partner,indicator,period,value,unit,source
KAZ,ARM,exports,2023,33.3,USD million,Bureau of National Statistics of Kazakhstan
KAZ,ARM,imports,2024-01/2024-07,"8,5",USD million,Bureau of National Statistics of Kazakhstan
`
	ds, err := stats.Load(strings.NewReader(in), "trade.csv", stats.LoadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range ds.Obs {
		fmt.Println(o.Indicator, o.Period, o.Value, o.Unit, "±", o.Value.HalfWidth())
	}
	for _, p := range ds.Problems {
		fmt.Println(p)
	}
	// Output:
	// exports 2023 33.3 USD million ± 0.05
	// trade.csv:3:33: field "value": invalid number "8,5": decimal comma? write 8.5
}

func ExampleCheck() {
	in := `reporter,partner,indicator,period,value,unit,source
KAZ,ARM,exports,2023,33.3,USD million,BNS
KAZ,ARM,imports,2023,19.8,USD million,BNS
KAZ,ARM,turnover,2023,53.4,USD million,BNS
KAZ,ARM,exports,2024-01/2024-07,9.4,USD million,BNS
KAZ,ARM,exports,2024,9.0,USD million,BNS
`
	ds, _ := stats.Load(strings.NewReader(in), "trade.csv", stats.LoadOptions{})
	for _, f := range stats.Check(ds, nil) {
		fmt.Println(f.Text())
	}
	// Output:
	// trade.csv:4:23: error: KAZ–ARM turnover 2023 is 53.4, but exports 33.3 + imports 19.8 = 53.1 (expected 53.1, actual 53.4, difference 0.3, tolerance 0.15); rows trade.csv:2:22 trade.csv:3:22 [turnover]
	// trade.csv:6:22: error: KAZ–ARM exports 2024 is 9.0, less than 2024-01/2024-07 9.4 inside it (expected 9.0, actual 9.4, difference 0.4, tolerance 0.10); rows trade.csv:5:33 [additivity]
}

func ExampleParsePeriod() {
	p, _ := stats.ParsePeriod("2024-01/2024-07")
	year, _ := stats.ParsePeriod("2024")
	fmt.Println(p, p.Kind(), p.Len(), "months")
	fmt.Println(year.Contains(p), p.Contains(year))
	fmt.Println("a year before:", p.Shift(-1))
	q, _ := stats.ParsePeriod("2024-Q3")
	months, _ := q.Cover(stats.Month)
	fmt.Println(q, "=", months)
	_, err := stats.ParsePeriod("2024Q3")
	fmt.Println(err)
	// Output:
	// 2024-01/2024-07 month 7 months
	// true false
	// a year before: 2023-01/2023-07
	// 2024-Q3 = [2024-07 2024-08 2024-09]
	// invalid period "2024Q3": write quarters as 2024-Q3
}

func ExampleValue_Interval() {
	six, _ := stats.ParseValue("6")
	three, _ := stats.ParseValue("3")
	seven, _ := stats.ParseValue("7")
	eight, _ := stats.ParseValue("8")
	twice := stats.Exact(2).Mul(three.Interval())
	fmt.Println("6 = 2 × 3:", six.Interval().Meets(twice))
	fmt.Println("7 = 2 × 3:", seven.Interval().Meets(twice))
	fmt.Println("8 = 2 × 3:", eight.Interval().Meets(twice))
	// Output:
	// 6 = 2 × 3: true
	// 7 = 2 × 3: true
	// 8 = 2 × 3: false
}

func ExampleCheckInputs() {
	// Two parts of one customs extract, checked a year at a time: the
	// second adds a month to 2023 after rows of 2024, and the exports
	// then miss the rest of 2023.
	first := `reporter,partner,indicator,period,value,unit,source
KAZ,ARM,exports,2023-01,3.1,USD million,BNS
KAZ,ARM,imports,2023-01,1.2,USD million,BNS
KAZ,ARM,turnover,2023-01,4.3,USD million,BNS
KAZ,ARM,exports,2024-01,-2.0,USD million,BNS
`
	second := `reporter,partner,indicator,period,value,unit,source
KAZ,ARM,turnover,2023-02,9.9,USD million,BNS
KAZ,ARM,exports,2023-02,3.0,USD million,BNS
KAZ,ARM,imports,2023-02,1.1,USD million,BNS
`
	res, err := stats.CheckInputs([]stats.Input{
		{Name: "part1.csv", R: strings.NewReader(first)},
		{Name: "part2.csv", R: strings.NewReader(second)},
	}, stats.LoadOptions{}, &stats.Config{MaxFindings: 100})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Observations, "observations in", res.Years, "years")
	for _, f := range res.Findings {
		fmt.Println(f.Text())
	}
	// Output:
	// 7 observations in 2 years
	// part1.csv:2:25: warning: KAZ–ARM exports 2023 has 2 months in the data, and 2023-03, 2023-04, 2023-05 and 7 more missing inside the series: no figure, or no trade?; rows part2.csv:3:25 [completeness]
	// part1.csv:5:25: error: KAZ–ARM exports 2024-01 is -2.0, but exports cannot be negative (expected 0.0, actual -2.0, difference -2.0, tolerance 0.00) [sign]
	// part2.csv:2:26: error: KAZ–ARM turnover 2023-02 is 9.9, but exports 3.0 + imports 1.1 = 4.1 (expected 4.1, actual 9.9, difference 5.8, tolerance 0.15); rows part2.csv:3:25 part2.csv:4:25 [turnover]
}

func ExampleObservations() {
	in := `reporter,partner,indicator,period,value,unit,source
KAZ,ARM,exports,2023,33.3,USD million,BNS
KAZ,ARM,imports,2023,x,USD million,BNS
KAZ,ARM,imports,2024-Q1,4.25,USD million,BNS
`
	for o, err := range stats.Observations(strings.NewReader(in), "trade.csv", stats.LoadOptions{}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(o.Pos, o.Indicator, o.Period, o.Value)
	}
	// Output:
	// trade.csv:2:22 exports 2023 33.3
	// trade.csv:4:25 imports 2024-Q1 4.25
}

func ExampleCheckFile() {
	// A customs extract in year order, checked a year at a time.
	res, err := stats.CheckFile("testdata/example/customs.csv", stats.LoadOptions{}, &stats.Config{MaxFindings: 100})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Observations, "observations in", res.Years, "years")
	for _, f := range res.Findings {
		fmt.Println(f.Text())
	}

	// A period across years (2005/2024) needs the whole file: Load it,
	// then Check.
	_, err = stats.CheckFile("../data/trade.csv", stats.LoadOptions{}, nil)
	fmt.Println(errors.Is(err, stats.ErrNotYearOrder))
	// Output:
	// 6 observations in 2 years
	// testdata/example/customs.csv:7:26: error: KAZ–ARM turnover 2024-Q1 is 14.5, but exports 9.1 + imports 4.4 = 13.5 (expected 13.5, actual 14.5, difference 1.0, tolerance 0.15); rows testdata/example/customs.csv:5:25 testdata/example/customs.csv:6:25 [turnover]
	// true
}

// Rows written one at a time, as they are made, in the tidy CSV that
// [Load] reads back.
func ExampleCSVWriter() {
	w := stats.NewCSVWriter(os.Stdout)
	for m := 1; m <= 2; m++ {
		o := stats.Observation{Reporter: "KAZ", Partner: "ARM", Indicator: "exports", Period: stats.MonthOf(2023, m),
			Value: stats.NewValue(float64(m)*1.5, 2), Unit: "USD million", Source: "BNS", Status: stats.Provisional}
		if err := w.Write(&o); err != nil {
			fmt.Println(err)
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// reporter,partner,indicator,period,value,unit,status,source,note
	// KAZ,ARM,exports,2023-01,1.50,USD million,P,BNS,
	// KAZ,ARM,exports,2023-02,3.00,USD million,P,BNS,
}

// A check a year at a time keeps to the memory it is given: a year whose
// rows would take more stops it with an error that wraps ErrMemory,
// rather than the system killing the process halfway. A program gives the
// runtime the same limit (debug.SetMemoryLimit), so that garbage is
// collected before it comes to that; report gives both the memory
// available when it starts.
func ExampleCheckStream_memoryLimit() {
	// Three years of monthly exports and imports of 20 economies with
	// each other, about 2 MB.
	codes := []string{"KAZ", "ARM", "RUS", "CHN", "USA", "DEU", "FRA", "GBR", "ITA", "JPN", "KOR", "IND", "BRA", "CAN", "AUS", "ESP", "MEX", "IDN", "NLD", "TUR"}
	var b strings.Builder
	b.WriteString("reporter,partner,indicator,period,value,unit,source\n")
	for y := 2021; y <= 2023; y++ {
		for m := 1; m <= 12; m++ {
			for i, r := range codes {
				for j, p := range codes {
					for _, ind := range []string{"exports", "imports"} {
						if i != j {
							fmt.Fprintf(&b, "%s,%s,%s,%d-%02d,%d.5,USD million,National Statistics Office of %s\n", r, p, ind, y, m, i+j, r)
						}
					}
				}
			}
		}
	}
	// A megabyte: less than any process holds.
	_, err := stats.CheckStream(strings.NewReader(b.String()), "flows.csv", stats.LoadOptions{MemoryLimit: 1 << 20}, nil)
	fmt.Println(errors.Is(err, stats.ErrMemory))
	// With room, the same rows are checked.
	res, err := stats.CheckStream(strings.NewReader(b.String()), "flows.csv", stats.LoadOptions{MemoryLimit: 1 << 40}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Observations, "observations in", res.Years, "years")
	// Output:
	// true
	// 27360 observations in 3 years
}

// A number of 45 decimals is held as the nearest float64, whose sum with
// another shows 15 significant digits at the most: the digits past them
// are those of the binary fraction, not of the figures. (A figure written
// with more significant digits than 15 is refused by ParseValue, unless
// it is a float64 as a program prints it.)
func ExampleFormatFixed() {
	v := stats.NewValue(462597.8935, 45)
	fmt.Println(stats.FormatFixed(v.Num+1.5, v.Decimals))
	fmt.Println(stats.FormatFixed(33.3+19.8, 1))
	// Output:
	// 462599.393500000
	// 53.1
}

// Pairs sorted by reporter, then partner, as Dataset.Pairs lists them.
func ExampleComparePairs() {
	pairs := []stats.Pair{{Reporter: "KAZ", Partner: "RUS"}, {Reporter: "ARM", Partner: "KAZ"}, {Reporter: "KAZ", Partner: "ARM"}}
	slices.SortFunc(pairs, stats.ComparePairs)
	fmt.Println(pairs)
	// Output: [{ARM KAZ} {KAZ ARM} {KAZ RUS}]
}

// Periods that cover the same days, however written, have equal Days.
func ExamplePeriod_Days() {
	a, _ := stats.ParsePeriod("2024-Q1")
	b, _ := stats.ParsePeriod("2024-01/2024-03")
	fmt.Println(a.Days(), a.Days() == b.Days())
	// Output: 2024-01-01/2024-03-31 true
}

func ExampleScaledUnit() {
	u, _ := stats.ScaledUnit("USD", 1e6)
	fmt.Println(u)
	_, ok := stats.ScaledUnit("USD", 1e2)
	fmt.Println(ok)
	// Output:
	// USD million
	// false
}
