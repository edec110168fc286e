package ingest_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tradedesk/report/stats"
	"github.com/tradedesk/report/stats/ingest"
)

// FuzzConvert checks, with every mapping of testdata, that converting any
// table never panics, that every problem is a *stats.ParseError with a line
// and a kind, and that what converts loads back as tidy CSV.
func FuzzConvert(f *testing.F) {
	maps, _ := filepath.Glob("testdata/*/map.yaml")
	var ms []*ingest.Mapping
	for i, mp := range maps {
		ms = append(ms, readMapping(f, mp))
		b, err := os.ReadFile(filepath.Join(filepath.Dir(mp), "table.csv"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), b)
		// Rows short and long of a field, an empty table, and the table
		// in UTF-16.
		lines := bytes.SplitAfter(b, []byte("\n"))
		if len(lines) > 2 {
			row := bytes.TrimRight(lines[1], "\r\n")
			short := row[:max(bytes.LastIndexByte(row, ','), 0)]
			f.Add(uint8(i), slices.Concat(lines[0], short, []byte("\n"), row, []byte(",9\n")))
		}
		f.Add(uint8(i), []byte{})
		f.Add(uint8(i), []byte(utf16Table("\ufeff"+string(b), false)))
	}
	f.Fuzz(func(t *testing.T, which uint8, table []byte) {
		m := ms[int(which)%len(ms)]
		res, err := ingest.Convert(bytes.NewReader(table), "t.csv", m)
		if err != nil {
			var pe *stats.ParseError
			if !errors.As(err, &pe) && !errors.Is(err, ingest.ErrMapping) {
				t.Fatalf("Convert: error %v is neither a ParseError nor ErrMapping", err)
			}
			return
		}
		for _, p := range res.Problems {
			if p.Line < 1 || errors.Unwrap(p) == nil {
				t.Errorf("problem without a line or kind: %v", p)
			}
		}
		var b bytes.Buffer
		if err := stats.WriteCSV(&b, res.Obs); err != nil {
			t.Fatal(err)
		}
		ds, err := stats.Load(&b, "out.csv", stats.LoadOptions{})
		if err != nil {
			t.Fatalf("converted table does not load: %v", err)
		}
		if len(ds.Obs) != len(res.Obs) {
			t.Errorf("converted %d observations, %d load back: %v", len(res.Obs), len(ds.Obs), ds.Problems)
		}
	})
}

// FuzzParseNumber checks that number parsing never panics and that a value
// it returns formats as a number the tidy format reads back unchanged.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"4 557", "- -5", "-- 156", "1.234,5", "9e-4", "958.69914000000006", "..", "", "1\u00a0118"} {
		f.Add(s)
	}
	ns := []ingest.Numbers{
		{Thousands: " ", Negatives: "mangled"},
		{Thousands: ". ", Decimal: ",", Zero: []string{"-"}},
		{Exponent: true, Significant: 15},
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, n := range ns {
			v, err := n.ParseNumber(s)
			if err != nil {
				if !errors.Is(err, stats.ErrBadNumber) {
					t.Fatalf("ParseNumber(%q): error %v is not ErrBadNumber", s, err)
				}
				continue
			}
			if !v.Valid {
				continue
			}
			back, err := stats.ParseValue(v.String())
			if err != nil || back != v {
				t.Fatalf("ParseNumber(%q) = %v, which reads back as %v, %v", s, v, back, err)
			}
		}
	})
}

// FuzzPeriodPattern checks that a compiled pattern never panics on any
// label and that what it reads is a period that formats and parses back.
func FuzzPeriodPattern(f *testing.F) {
	for _, s := range []string{"Aug. 2024", "Jan.-Dec. 2019", "201952-Jan.-Dec. 2019", "2024-02-01", "январь-июль 2024"} {
		f.Add(s)
	}
	var pps []*ingest.PeriodPattern
	for _, p := range []string{"{month}. {year}", "{month}.-{month2}. {year}", "{*}-{month}.-{month2}. {year}", "{year}-{month}-01", "{month}-{month2} {year}", "{day}.{month}.{year}", "{year}-{year2}"} {
		pp, err := ingest.ParsePeriodPattern(p)
		if err != nil {
			f.Fatal(err)
		}
		pps = append(pps, pp)
	}
	f.Fuzz(func(t *testing.T, label string) {
		for _, pp := range pps {
			p, ok := pp.Parse(label)
			if !ok {
				continue
			}
			back, err := stats.ParsePeriod(p.String())
			if err != nil || back != p {
				t.Fatalf("%s: Parse(%q) = %v, which parses back as %v, %v", pp, label, p, back, err)
			}
		}
	})
}

// FuzzParseMapping checks that reading any YAML as a mapping never panics
// and that every error wraps ErrMapping.
func FuzzParseMapping(f *testing.F) {
	maps, _ := filepath.Glob("testdata/*/map.yaml")
	for _, mp := range maps {
		b, err := os.ReadFile(mp)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("source: s\nreporter: KAZ\nvalues: [{column: v}]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ingest.ParseMapping(bytes.NewReader(b), "map.yaml")
		if err != nil {
			if !errors.Is(err, ingest.ErrMapping) {
				t.Fatalf("ParseMapping: error %v does not wrap ErrMapping", err)
			}
			return
		}
		// A valid mapping converts a table without panicking.
		if _, err := ingest.Convert(bytes.NewReader([]byte("a,b\n1,2\n")), "t.csv", m); err != nil && !errors.Is(err, ingest.ErrMapping) {
			var pe *stats.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Convert: error %v", err)
			}
		}
	})
}
