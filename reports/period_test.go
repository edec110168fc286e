package reports_test

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"testing"

	"github.com/tradedesk/report/reports"
	"github.com/tradedesk/report/stats"
)

func TestCheckPeriod(t *testing.T) {
	t.Parallel()
	const h = "reporter,partner,indicator,period,value,unit,source\n"
	row := func(ind, p, v string) string { return "KAZ,ARM," + ind + "," + p + "," + v + ",USD million,BNS\n" }
	years := func(ys ...int) string {
		var b strings.Builder
		b.WriteString(h)
		for _, y := range ys {
			b.WriteString(row("exports", fmt.Sprint(y), "1"))
		}
		return b.String()
	}
	seed := h + row("exports", "2023", "33.3") + row("exports", "2024-01/2024-07", "9.4") +
		row("fdi_in_gross", "2005/2024", "20.6") + "KAZ,ARM,registered_entities,2024-10-15,435,count,K\n"
	cases := []struct {
		name, csv, period string
		wantErr           string // "" when the period has figures
	}{
		{name: "the period itself", csv: seed, period: "2023"},
		{name: "a year of its months", csv: h + row("exports", "2024-03", "1"), period: "2024"},
		{name: "a quarter of a month", csv: h + row("exports", "2024-08", "1"), period: "2024-Q3"},
		{name: "an interval within an interval", csv: seed, period: "2024-01/2024-09"},
		{name: "a span of years", csv: seed, period: "2005/2024"},
		{name: "a quarter of a stock at a date", csv: seed, period: "2024-Q4"},
		// The periods named are those a workbook can be made of: not 2024
		// of January–July, nor 2024-Q4 or 2024-10 of a stock on a day.
		{name: "no such year", csv: seed, period: "1999",
			wantErr: "no figures of 1999 in the data; the only year with figures is 2023"},
		{name: "a year within a span of years", csv: seed, period: "2010",
			wantErr: "no figures of 2010 in the data; the only year with figures is 2023"},
		{name: "a quarter of a longer period", csv: seed, period: "2024-Q3",
			wantErr: "no figures of 2024-Q3 in the data, nor of any quarter; the only year with figures is 2023; 2024-01/2024-07 has figures, but overlaps it only in part"},
		{name: "an interval of months", csv: seed, period: "1999-01/1999-06",
			wantErr: "no figures of 1999-01/1999-06 in the data, nor of any month; the only year with figures is 2023"},
		{name: "quarters of their months", csv: h + row("exports", "2024-07", "1") + row("exports", "2024-08", "1") +
			row("imports", "2024-09", "1") + row("exports", "2024-10", "1") + row("exports", "2024-11", "1") + row("exports", "2024-12", "1"), period: "2024-Q1",
			wantErr: "no figures of 2024-Q1 in the data; the quarters with figures are 2024-Q3 to 2024-Q4"},
		{name: "two months of a quarter", csv: h + row("exports", "2024-07", "1") + row("exports", "2024-08", "1") + row("exports", "2023", "1"), period: "2024-Q1",
			wantErr: "no figures of 2024-Q1 in the data, nor of any quarter; the only year with figures is 2023"},
		{name: "a stock by month", csv: h + "KAZ,ARM,registered_entities,2024-01,1,count,K\nKAZ,ARM,registered_entities,2024-02,1,count,K\nKAZ,ARM,registered_entities,2024-03,1,count,K\n", period: "2024-Q2",
			wantErr: "no figures of 2024-Q2 in the data, nor of any quarter"},
		{name: "a quarter of data by year", csv: years(2022, 2023), period: "2023-Q1",
			wantErr: "no figures of 2023-Q1 in the data, nor of any quarter; the years with figures are 2022 to 2023"},
		{name: "missing values are no figures", csv: h + row("exports", "1999", "") + row("exports", "2000", "1"), period: "1999",
			wantErr: "no figures of 1999 in the data; the only year with figures is 2000"},
		{name: "years with gaps", csv: years(2010, 2015, 2016, 2017, 2020), period: "2012",
			wantErr: "no figures of 2012 in the data; the years with figures are 2010, 2015 to 2017 and 2020"},
		{name: "many runs", csv: years(2001, 2003, 2005, 2007, 2009, 2011, 2013), period: "2012",
			wantErr: "no figures of 2012 in the data; the years with figures are 2001, 2003, 2005, …, 2009, 2011 and 2013"},
		{name: "only spans across years", csv: h + row("exports", "2005/2024", "1"), period: "1999",
			wantErr: "no figures of 1999 in the data, nor of any year"},
		{name: "no rows", csv: h, period: "2024",
			wantErr: "no figures of 2024 in the data, nor of any year"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := stats.ParsePeriod(tc.period)
			if err != nil {
				t.Fatal(err)
			}
			ds, err := stats.Load(strings.NewReader(tc.csv), "t.csv", stats.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			obs := len(ds.Obs)
			for name, err := range map[string]error{
				"CheckPeriod":   reports.CheckPeriod(ds, p),
				"CheckPeriodOf": reports.CheckPeriodOf(stats.Observations(strings.NewReader(tc.csv), "t.csv", stats.LoadOptions{}), p),
			} {
				switch {
				case tc.wantErr == "" && err != nil:
					t.Errorf("%s(%s): %v", name, p, err)
				case tc.wantErr != "" && (!errors.Is(err, reports.ErrNoFigures) || err.Error() != tc.wantErr):
					t.Errorf("%s(%s) = %v; want ErrNoFigures: %s", name, p, err, tc.wantErr)
				}
			}
			if len(ds.Obs) != obs {
				t.Errorf("CheckPeriod changed the dataset: %d rows, had %d", len(ds.Obs), obs)
			}
		})
	}
}

// TestCheckPeriodOfStops checks that CheckPeriodOf reads no further than
// the first figure of the period, and returns the error of the rows.
func TestCheckPeriodOfStops(t *testing.T) {
	t.Parallel()
	p, _ := stats.ParsePeriod("2024")
	obs := func(periods ...string) []stats.Observation {
		var out []stats.Observation
		for _, s := range periods {
			q, err := stats.ParsePeriod(s)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, stats.Observation{Reporter: "KAZ", Partner: "ARM", Indicator: "exports", Period: q, Value: stats.Value{Num: 1, Valid: true}, Unit: "USD million"})
		}
		return out
	}
	boom := errors.New("boom")
	cases := []struct {
		name     string
		rows     []stats.Observation
		err      error // yielded after the rows
		wantRead int
		wantErr  error
	}{
		{name: "stops at the first figure", rows: obs("2023", "2024-02", "2024-03", "2025"), wantRead: 2},
		{name: "the error of the rows", rows: obs("2023"), err: boom, wantRead: 2, wantErr: boom},
		{name: "a figure before the error", rows: obs("2024"), err: boom, wantRead: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			read := 0
			var rows iter.Seq2[stats.Observation, error] = func(yield func(stats.Observation, error) bool) {
				for _, o := range tc.rows {
					read++
					if !yield(o, nil) {
						return
					}
				}
				if tc.err != nil {
					read++
					yield(stats.Observation{}, tc.err)
				}
			}
			err := reports.CheckPeriodOf(rows, p)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) || read != tc.wantRead {
				t.Errorf("CheckPeriodOf read %d rows, returned %v; want %d rows and %v", read, err, tc.wantRead, tc.wantErr)
			}
		})
	}
}

// TestWorkbookOfPeriodWithoutFigures writes workbooks of periods that
// CheckPeriod passes, for rows within them: one whose rows make no figure
// of it, which would leave the Summary empty, is refused with the periods
// that have figures.
func TestWorkbookOfPeriodWithoutFigures(t *testing.T) {
	t.Parallel()
	const csv = "reporter,partner,indicator,period,value,unit,source\n" +
		"KAZ,ARM,exports,2024-07,1.1,USD million,S\n" +
		"KAZ,ARM,exports,2024-08,2.2,USD million,S\n" +
		"KAZ,ARM,exports,2024-Q3,5.5,USD million,S\n" +
		"KAZ,ARM,registered_entities,2024-10-15,435,count,S\n"
	ds, err := stats.Load(strings.NewReader(csv), "m.csv", stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		period  string
		wantErr string // "" when the workbook is written
	}{
		{period: "2024-Q3"},
		{period: "2024-07"},
		{period: "2024",
			wantErr: "no figures of 2024 in the data, published or made up of its parts; within it, only 2024-Q3, 2024-07, 2024-08 and 2024-10-15 have figures"},
		{period: "2024-Q4",
			wantErr: "no figures of 2024-Q4 in the data, published or made up of its parts; within it, only 2024-10-15 has figures"},
	}
	for _, tc := range cases {
		t.Run(tc.period, func(t *testing.T) {
			p, err := stats.ParsePeriod(tc.period)
			if err != nil {
				t.Fatal(err)
			}
			if err := reports.CheckPeriod(ds, p); err != nil {
				t.Fatalf("CheckPeriod(%s) = %v, want nil: the rows lie within it", tc.period, err)
			}
			w := &reports.Workbook{Data: ds, Period: p, AsOf: asOf, TmpDir: t.TempDir()}
			_, err = w.WriteTo(io.Discard)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("WriteTo of %s: %v, want a workbook", tc.period, err)
			case tc.wantErr != "" && !errors.Is(err, reports.ErrNoFigures):
				t.Errorf("WriteTo of %s: %v, want an error wrapping ErrNoFigures", tc.period, err)
			case tc.wantErr != "" && err.Error() != tc.wantErr:
				t.Errorf("WriteTo of %s:\n got %s\nwant %s", tc.period, err, tc.wantErr)
			}
		})
	}
}
