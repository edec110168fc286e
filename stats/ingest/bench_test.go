package ingest_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/tradedesk/report/stats/ingest"
)

// armstatTable returns n rows shaped like Armstat's table: English names,
// monthly dates, three value columns.
func armstatTable(n int) []byte {
	names := []string{"Kazakhstan", "Russian Federation", "China", "Georgia", "Iran", "United States", "Korea, Republic of", "FYR of Macedonia"}
	var b bytes.Buffer
	b.WriteString("\"country\",\"year\",\"month\",\"export\",\"import_origin\",\"import_consignment\",\"date\"\n")
	for i := range n {
		y, m := 2007+i/(12*len(names))%18, 1+i/len(names)%12
		fmt.Fprintf(&b, "%q,%d,%d,%d.%05d,%d,9e-4,\"%d-%02d-01\"\n", names[i%len(names)], y, m, i, i%100000, i%977, y, m)
	}
	return b.Bytes()
}

func BenchmarkConvert(b *testing.B) {
	m, err := ingest.ParseMapping(strings.NewReader(armstatMapping), "map.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for _, size := range []struct {
		name string
		rows int
	}{{"1k", 1000}, {"100k", 100000}} {
		b.Run(size.name, func(b *testing.B) {
			table := armstatTable(size.rows)
			b.ReportAllocs()
			for b.Loop() {
				res, err := ingest.Convert(bytes.NewReader(table), "t.csv", m)
				if err != nil || len(res.Problems) > 0 {
					b.Fatal(err, res.Problems[:1])
				}
			}
		})
	}
}

// BenchmarkConvertWide converts a wide table, a row an economy and a
// column a year (64 of them), its names in Cyrillic: what a bureau's
// yearbook publishes. The places of a row's fields are found once a row;
// found a field at a time, walking back over those before it, they made
// report import of 20,000 such rows take 0.48–0.75 s against 0.36–0.42 s
// (perf stat -r 3, three rounds in turn).
func BenchmarkConvertWide(b *testing.B) {
	var mapping, table strings.Builder
	mapping.WriteString("source: S\nreporter: KAZ\npartner: {column: name}\nunit: USD\nnames: {Россия: RUS, Армения: ARM}\nvalues:\n")
	table.WriteString("name")
	for y := 1960; y < 2024; y++ {
		fmt.Fprintf(&mapping, "  - {column: y%d, indicator: exports, period: '%d'}\n", y, y)
		fmt.Fprintf(&table, ",y%d", y)
	}
	table.WriteString("\n")
	for i := range 5000 {
		table.WriteString([]string{"Россия", "Армения"}[i%2])
		for y := 1960; y < 2024; y++ {
			fmt.Fprintf(&table, ",%d.%d", i%97+y%7, i%10)
		}
		table.WriteString("\n")
	}
	m, err := ingest.ParseMapping(strings.NewReader(mapping.String()), "map.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := ingest.Convert(strings.NewReader(table.String()), "t.csv", m)
		if err != nil || len(res.Problems) > 0 || len(res.Obs) != 5000*64 {
			b.Fatal(err, len(res.Obs))
		}
	}
}
