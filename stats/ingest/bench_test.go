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
