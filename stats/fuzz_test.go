package stats_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tradedesk/report/stats"
)

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2023", "2024-Q3", "2024-07", "2024-M07", "2024-10-15", "2024-01/2024-07", "2005/2024", "2024-02-29", "0000", "9999-12-31", "2024Q3", "2024-H1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := stats.ParsePeriod(s)
		if err != nil {
			if !errors.Is(err, stats.ErrBadPeriod) {
				t.Fatalf("ParsePeriod(%q) error %v is not ErrBadPeriod", s, err)
			}
			return
		}
		q, err := stats.ParsePeriod(p.String())
		if err != nil || q != p {
			t.Fatalf("ParsePeriod(%q) = %v; ParsePeriod(%q) = %v, %v", s, p, p.String(), q, err)
		}
		if !p.Contains(p.First()) || !p.Contains(p.Last()) {
			t.Fatalf("%v does not contain its own ends", p)
		}
	})
}

func FuzzParseValue(f *testing.F) {
	for _, s := range []string{"33.3", "6", "-5", "0.00761", "", "1,435", "53.1*", "..", "1e3", "100000000000000000000000", "33.300000000000004", "18014398509481986"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := stats.ParseValue(s)
		if err != nil {
			if !errors.Is(err, stats.ErrBadNumber) {
				t.Fatalf("ParseValue(%q) error %v is not ErrBadNumber", s, err)
			}
			return
		}
		if !v.Valid {
			return
		}
		w, err := stats.ParseValue(v.String())
		if err != nil || w.Decimals != v.Decimals || (len(strings.TrimLeft(s, "-0.")) <= 15 && w.Num != v.Num) {
			t.Fatalf("ParseValue(%q) = %v; ParseValue(%q) = %v, %v", s, v, v.String(), w, err)
		}
	})
}

func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "load", "*.csv"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		ds, err := stats.Load(bytes.NewReader(in), "fuzz.csv", stats.LoadOptions{})
		if err != nil {
			var pe *stats.ParseError
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("Load error %#v is not a *ParseError with Line >= 1", err)
			}
			return
		}
		for _, p := range ds.Problems {
			if p.Line < 1 {
				t.Fatalf("problem %v has no line", p)
			}
		}
		stats.Check(ds, nil)
		var buf bytes.Buffer
		if err := stats.WriteCSV(&buf, ds.Obs); err != nil {
			t.Fatalf("WriteCSV: %v", err)
		}
		again, err := stats.Load(&buf, "again.csv", stats.LoadOptions{})
		if err == nil && len(ds.Obs) == 0 && len(again.Problems) == 1 && errors.Is(again.Problems[0], stats.ErrEmpty) {
			return // a header alone, which is a problem of its own
		}
		if err != nil || len(again.Problems) > 0 {
			t.Fatalf("written data does not load: %v %v\n%s", err, again.Problems, buf.String())
		}
		norm := func(obs []stats.Observation) []stats.Observation {
			out := make([]stats.Observation, len(obs))
			for i, o := range obs {
				o.Pos = stats.Pos{}
				o.Note = strings.ReplaceAll(o.Note, "\r\n", "\n")
				o.Source = strings.ReplaceAll(o.Source, "\r\n", "\n")
				o.Unit = strings.ReplaceAll(o.Unit, "\r\n", "\n")
				out[i] = o
			}
			return out
		}
		if diff := cmp.Diff(norm(ds.Obs), norm(again.Obs), cmp.AllowUnexported(stats.Period{})); diff != "" {
			t.Fatalf("load, write, load mismatch (-first +second):\n%s", diff)
		}
	})
}

// FuzzCSVWriter checks that CSVWriter writes the bytes of encoding/csv's
// Writer for any text in the fields and any period and value.
func FuzzCSVWriter(f *testing.F) {
	f.Add("KAZ", "ARM", "exports", "USD million", "BNS, KAZ", `a "quoted" note`, 33.3, uint8(1), uint8(0), int32(2023*12), uint8(0))
	f.Add(" X", "\\.", "a\nb", "\r", "", "é", -0.5, uint8(3), uint8('E'), int32(8000), uint8(1))
	f.Fuzz(func(t *testing.T, reporter, partner, indicator, unit, source, note string, num float64, dec, status uint8, period int32, span uint8) {
		o := stats.Observation{Reporter: reporter, Partner: partner, Indicator: indicator, Unit: unit, Source: source, Note: note,
			Value: stats.NewValue(num, int(dec%8))}
		if status%3 == 1 {
			o.Status = stats.Status(status)
		}
		if dec&0x80 != 0 {
			o.Value = stats.Value{}
		}
		if span > 0 {
			first := stats.NewPeriod(stats.Month, int(period%120000))
			o.Period, _ = stats.Span(first, stats.NewPeriod(stats.Month, first.Index()+int(span)-1))
		}
		var got, want bytes.Buffer
		w := stats.NewCSVWriter(&got)
		if err := w.Write(&o); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		cw := csv.NewWriter(&want)
		cw.Write([]string{"reporter", "partner", "indicator", "period", "value", "unit", "status", "source", "note"})
		st := ""
		if o.Status != stats.Normal {
			st = o.Status.String()
		}
		cw.Write([]string{reporter, partner, indicator, o.Period.String(), o.Value.String(), unit, st, source, note})
		cw.Flush()
		if got.String() != want.String() {
			t.Fatalf("CSVWriter wrote\n%q\nencoding/csv\n%q", got.String(), want.String())
		}
	})
}
