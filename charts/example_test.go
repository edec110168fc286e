package charts_test

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/tradedesk/report/charts"
	"github.com/tradedesk/report/stats"
)

// A grouped bar chart of exports beside imports, with the turnover labelled
// above each pair, drawn as a PNG for an article.
func ExampleRender() {
	c, err := charts.New(charts.Chart{
		ID:         "kaz-arm-trade",
		Kind:       charts.Grouped,
		Title:      "Kazakhstan’s trade with Armenia",
		Subtitle:   "Exports and imports, USD million",
		Unit:       "USD million",
		Source:     "Bureau of National Statistics of Kazakhstan",
		Categories: []string{"2023", "January–July 2024"},
		Series: []charts.Series{
			{Name: "Exports", Indicator: "exports", Values: []float64{33.3, 9.4}, Decimals: []int{1, 1}},
			{Name: "Imports", Indicator: "imports", Values: []float64{19.8, 8.5}, Decimals: []int{1, 1}},
		},
		Total: &charts.Series{Name: "Turnover", Values: []float64{53.1, 17.9}, Decimals: []int{1, 1}},
	})
	if err != nil {
		log.Fatal(err)
	}
	var png bytes.Buffer
	if err := charts.Render(&png, c, charts.PNG, charts.Options{Size: charts.Article}); err != nil {
		log.Fatal(err)
	}
	// png holds 2400×1350 pixels.
}

// The built-in charts of a dataset, in Russian, written with their data
// and alt texts into out/charts.
func ExampleWriteSet() {
	ds, err := stats.LoadFile("trade.csv", stats.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	var outs []charts.Output
	for _, c := range charts.BuiltIn(ds, charts.Russian) {
		outs = append(outs, charts.Output{Chart: c, Formats: charts.Formats()})
	}
	asOf := time.Date(2024, 10, 15, 0, 0, 0, 0, time.UTC)
	files, err := charts.WriteSet("out/charts", outs, charts.Options{AsOf: asOf})
	if err != nil {
		log.Fatal(err)
	}
	_ = files
}

// Charts declared in a YAML file; a problem comes back with its file and
// line, such as charts.yaml:3:11: field "kind": unknown chart kind "pie".
func ExampleParseSpec() {
	f, err := os.Open("charts.yaml")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	spec, err := charts.ParseSpec(f, "charts.yaml", nil)
	if err != nil {
		log.Fatal(err)
	}
	ds, err := stats.LoadFile("trade.csv", stats.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	outs, err := spec.Outputs(ds)
	if err != nil {
		log.Fatal(err)
	}
	_, _ = charts.WriteSet("out/charts", outs, charts.Options{AsOf: time.Unix(0, 0)})
}

// The charts of a spec drawn from a file of millions of rows: only the
// rows of the pairs the spec draws are kept.
func ExampleSpec_Pairs() {
	f, err := os.Open("charts.yaml")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	spec, err := charts.ParseSpec(f, "charts.yaml", nil)
	if err != nil {
		log.Fatal(err)
	}
	pairs := spec.Pairs()
	data, err := os.Open("customs.csv")
	if err != nil {
		log.Fatal(err)
	}
	defer data.Close()
	ds := &stats.Dataset{Files: []string{"customs.csv"}}
	for o, err := range stats.Observations(data, "customs.csv", stats.LoadOptions{}) {
		if err != nil {
			log.Fatal(err)
		}
		if slices.Contains(pairs, stats.Pair{Reporter: o.Reporter, Partner: o.Partner}) {
			ds.Obs = append(ds.Obs, o)
		}
	}
	outs, err := spec.Outputs(ds)
	if err != nil {
		log.Fatal(err)
	}
	_, _ = charts.WriteSet("out/charts", outs, charts.Options{AsOf: time.Unix(0, 0)})
}

// The data of a chart as CSV and its description for screen readers.
func ExampleWriteCSV() {
	c, err := charts.New(charts.Chart{
		ID: "fdi", Kind: charts.Bars, Title: "FDI from Armenia", Unit: "USD million",
		Categories: []string{"2022", "2023"},
		Series:     []charts.Series{{Name: "FDI inflow", Values: []float64{3, 6}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	var csv strings.Builder
	if err := charts.WriteCSV(&csv, c); err != nil {
		log.Fatal(err)
	}
	alt := charts.AltText(c)
	_ = alt
}

// Numbers are formatted at the precision they were published with.
func ExampleFormatNumber() {
	_ = charts.FormatNumber(33.3, 1, charts.English)    // 33.3
	_ = charts.FormatNumber(12345.5, 1, charts.Russian) // 12 345,5 with a narrow no-break space
	_ = charts.FormatNumber(6, 0, charts.Kazakh)        // 6
}

// The built-in charts of a file of millions of rows need only the rows of
// periods that begin on the first of January: here the year, the year to
// date and the January month, not the other months or the quarter.
func ExampleBuiltInReads() {
	data := `reporter,partner,indicator,period,value,unit,source
KAZ,ARM,exports,2023,33.3,USD million,BNS
KAZ,ARM,exports,2024-01/2024-07,9.4,USD million,BNS
KAZ,ARM,exports,2024-01,1.2,USD million,BNS
KAZ,ARM,exports,2024-02,1.3,USD million,BNS
KAZ,ARM,exports,2024-Q3,4.1,USD million,BNS
`
	ds, err := stats.Load(strings.NewReader(data), "trade.csv", stats.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range ds.Obs {
		if charts.BuiltInReads(&o) {
			fmt.Println(o.Period)
		}
	}
	// Output:
	// 2023
	// 2024-01/2024-07
	// 2024-01
}
