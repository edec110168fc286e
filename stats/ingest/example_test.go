package ingest_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/tradedesk/report/stats"
	"github.com/tradedesk/report/stats/ingest"
)

// A table of UNCTAD's kind: names at the level of their group, one column
// per year, spaces between thousands and doubled minus signs.
func ExampleConvert() {
	const mapping = `
source: UNCTAD
reporter: KAZ
indicator: fdi_in_gross
partner: {columns: [group, economy]}
unit: Millions of US dollars
values:
  - {column: "2008", period: "2008"}
  - {column: "2009", period: "2009"}
numbers: {thousands: " ", negatives: mangled}
skip:
  - {column: group, matches: "^Source:"}
names: {"Unspecified": "-"}
`
	const table = `group,economy,2008,2009
World,,21 301,21 437
,Austria,137,- -156
,Narnia,1,2
Unspecified,,3,4
Source: UNCTAD,,,
`
	m, err := ingest.ParseMapping(strings.NewReader(mapping), "map.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := ingest.Convert(strings.NewReader(table), "KAZ.csv", m)
	if err != nil {
		fmt.Println(err)
		return
	}
	stats.WriteCSV(os.Stdout, res.Obs)
	for _, p := range res.Problems {
		fmt.Println(p)
	}
	fmt.Println("skipped", res.Skipped, "dropped", res.Dropped)
	// Output:
	// reporter,partner,indicator,period,value,unit,status,source,note
	// KAZ,WLD,fdi_in_gross,2008,21301,USD million,,UNCTAD,
	// KAZ,WLD,fdi_in_gross,2009,21437,USD million,,UNCTAD,
	// KAZ,AUT,fdi_in_gross,2008,137,USD million,,UNCTAD,
	// KAZ,AUT,fdi_in_gross,2009,-156,USD million,,UNCTAD,
	// KAZ.csv:4:2: field "economy": unknown economy name: partner "Narnia" has no alpha-3 code: add it to the mapping's names (or map it to "-" to drop its rows)
	// skipped 1 dropped map[Unspecified:1]
}

func ExampleParsePeriodPattern() {
	pp, _ := ingest.ParsePeriodPattern("{month}.-{month2}. {year}")
	for _, label := range []string{"Jan.-Dec. 2019", "Jan.-Aug. 2024"} {
		p, ok := pp.Parse(label)
		fmt.Println(label, "→", p, ok)
	}
	// Output:
	// Jan.-Dec. 2019 → 2019 true
	// Jan.-Aug. 2024 → 2024-01/2024-08 true
}

func ExampleNames_Code() {
	n := ingest.NewNames(map[string]string{"Страны вне ЕАЭС": ingest.Drop})
	for _, name := range []string{"Korea, Republic of", "Соединенное Королевство", "Страны вне ЕАЭС"} {
		code, ok := n.Code(name)
		fmt.Println(name, code, ok)
	}
	// Output:
	// Korea, Republic of KOR true
	// Соединенное Королевство GBR true
	// Страны вне ЕАЭС - true
}

// A monthly table converted row by row to tidy CSV, as `report import`
// does for tables of millions of rows: nothing is kept but the months of
// each series, for the months filled in and the year totals that come
// last.
func ExampleStream() {
	const mapping = `
source: Armstat
reporter: ARM
partner: {column: country}
period: {column: month, patterns: ["{year}-{month}"]}
unit: thousand USD
values:
  - {column: export, indicator: exports}
absent: "0"
`
	const table = `country,month,export
Kazakhstan,2024-01,12.5
Kazakhstan,2024-03,7.25
Georgia,2024-02,1
`
	m, err := ingest.ParseMapping(strings.NewReader(mapping), "map.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	w := stats.NewCSVWriter(os.Stdout)
	c, err := ingest.Stream(strings.NewReader(table), "ARM.csv", m, ingest.Handler{Observation: w.Write})
	if err != nil {
		fmt.Println(err)
		return
	}
	w.Flush()
	fmt.Println(c.Rows, "rows")
	// Output:
	// reporter,partner,indicator,period,value,unit,status,source,note
	// ARM,KAZ,exports,2024-01,12.5,USD thousand,,Armstat,
	// ARM,KAZ,exports,2024-03,7.25,USD thousand,,Armstat,
	// ARM,GEO,exports,2024-02,1,USD thousand,,Armstat,
	// ARM,GEO,exports,2024-01,0,USD thousand,,Armstat,no row in the table: zero
	// ARM,GEO,exports,2024-03,0,USD thousand,,Armstat,no row in the table: zero
	// ARM,KAZ,exports,2024-02,0,USD thousand,,Armstat,no row in the table: zero
	// 3 rows
}
