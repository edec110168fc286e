package stats_test

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/tradedesk/report/internal/benchsize"
	"github.com/tradedesk/report/stats"
)

// derived is the part of a figure a test pins.
type derived struct {
	Value   string
	Unit    string
	Status  string
	How     string
	Parts   []string
	Derived bool
}

func summarize(f stats.Figure) derived {
	d := derived{Value: f.Value.String(), Unit: f.Unit, Status: f.Status.String(), How: f.How.String(), Derived: f.Derived()}
	for _, p := range f.Parts {
		d.Parts = append(d.Parts, p.Key.Indicator+" "+p.Period.String()+" "+p.Value.String())
	}
	return d
}

func TestIndexFigure(t *testing.T) {
	seed := []string{
		"KAZ ARM exports 2023 33.3",
		"KAZ ARM imports 2023 19.8",
		"KAZ ARM exports 2024-01/2024-07 9.4",
		"KAZ ARM imports 2024-01/2024-07 8.5",
		"KAZ ARM turnover 2024-01/2024-07 17.9",
		"KAZ ARM fdi_in_gross 2022 3",
		"KAZ ARM fdi_in_gross 2023 6",
		"KAZ ARM exports 2024-07 1.0",
		"KAZ ARM exports 2024-08 1.25",
		"KAZ ARM exports 2024-09 2",
		"KAZ ARM imports 2024-07 0.5",
		"KAZ ARM imports 2024-08 0.5",
		"KAZ ARM imports 2024-09 0.5",
		"KAZ ARM imports 2023-12 900|USD thousand",
		"KAZ ARM exports 2023-12 1|EUR million",
		"KAZ ARM registered_entities 2024-10-14 430|count",
		"KAZ ARM registered_entities 2024-10-15 435|count",
	}
	ds := loadRows(t, seed...)
	x := stats.NewIndex(ds, nil)
	cases := []struct {
		name    string
		key     string
		period  string
		want    derived
		wantErr error
	}{
		{name: "published", key: "exports", period: "2023",
			want: derived{Value: "33.3", Unit: "USD million", Status: "A", How: "published"}},
		{name: "published year as months", key: "exports", period: "2023-01/2023-12",
			want: derived{Value: "33.3", Unit: "USD million", Status: "A", How: "published"}},
		{name: "turnover derived", key: "turnover", period: "2023",
			want: derived{Value: "53.1", Unit: "USD million", Status: "A", How: "exports + imports", Derived: true,
				Parts: []string{"exports 2023 33.3", "imports 2023 19.8"}}},
		{name: "balance derived", key: "balance", period: "2023",
			want: derived{Value: "13.5", Unit: "USD million", Status: "A", How: "exports − imports", Derived: true,
				Parts: []string{"exports 2023 33.3", "imports 2023 19.8"}}},
		{name: "turnover published wins", key: "turnover", period: "2024-01/2024-07",
			want: derived{Value: "17.9", Unit: "USD million", Status: "A", How: "published"}},
		{name: "quarter from months, fewest decimals", key: "exports", period: "2024-Q3",
			want: derived{Value: "4", Unit: "USD million", Status: "A", How: "sum of periods", Derived: true,
				Parts: []string{"exports 2024-07 1.0", "exports 2024-08 1.25", "exports 2024-09 2"}}},
		{name: "turnover of a quarter from months", key: "turnover", period: "2024-Q3",
			want: derived{Value: "6", Unit: "USD million", Status: "A", How: "exports + imports", Derived: true,
				Parts: []string{"exports 2024-Q3 4", "imports 2024-Q3 1.5"}}},
		{name: "incomplete cover is missing", key: "exports", period: "2024-Q2",
			want: derived{Status: "A", How: "published"}},
		{name: "missing is not zero", key: "imports", period: "2022",
			want: derived{Status: "A", How: "published"}},
		{name: "stocks do not add", key: "registered_entities", period: "2024-10-14/2024-10-15",
			want: derived{Status: "A", How: "published"}},
		{name: "units converted", key: "turnover", period: "2023-12",
			wantErr: stats.ErrUnitMismatch, want: derived{Status: "A", How: "published"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k := stats.Key{Reporter: "KAZ", Partner: "ARM", Indicator: tc.key}
			got, err := x.Figure(k, mustPeriod(t, tc.period))
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Figure(%s, %s) error = %v, want %v", k, tc.period, err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, summarize(got)); diff != "" {
				t.Errorf("Figure(%s, %s) mismatch (-want +got):\n%s", k, tc.period, diff)
			}
		})
	}
}

// TestIndexFigureCovers checks which cover a sum of periods is made of: the
// coarsest complete one, also of a kind coarser than the period's own (the
// quarters of an interval of months), and covers of more parts than a year
// has months. The quarters and months of
// 2021 disagree, so that the value tells which were summed.
func TestIndexFigureCovers(t *testing.T) {
	var rows []string
	for q := 1; q <= 4; q++ {
		rows = append(rows, fmt.Sprintf("KAZ ARM exports 2021-Q%d %d", q, q))
	}
	for m := 1; m <= 12; m++ {
		rows = append(rows, fmt.Sprintf("KAZ ARM exports 2021-%02d 1", m))
	}
	for y := 2001; y <= 2020; y++ {
		rows = append(rows, fmt.Sprintf("KAZ ARM exports %d 1.5", y))
	}
	for m := 1; m <= 11; m++ {
		rows = append(rows, fmt.Sprintf("KAZ ARM imports 2022-%02d 2", m))
	}
	x := stats.NewIndex(loadRows(t, rows...), nil)
	cases := []struct {
		name, indicator, period string
		value                   string
		parts                   int
		firstPart               string
	}{
		{"a year from its quarters before its months", "exports", "2021", "10", 4, "exports 2021-Q1 1"},
		{"months from their quarters", "exports", "2021-01/2021-06", "3", 2, "exports 2021-Q1 1"},
		{"months that are a quarter, as published", "exports", "2021-01/2021-03", "1", 0, ""},
		{"months from months, quarters not on their boundaries", "exports", "2021-02/2021-06", "5", 5, "exports 2021-02 1"},
		{"twenty years", "exports", "2001/2020", "30.0", 20, "exports 2001 1.5"},
		{"nineteen of them", "exports", "2002/2020", "28.5", 19, "exports 2002 1.5"},
		{"a year short of a month", "imports", "2022", "", 0, ""},
		{"a cover that runs past the data", "exports", "2001/2021", "", 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := x.Figure(stats.Key{Reporter: "KAZ", Partner: "ARM", Indicator: tc.indicator}, mustPeriod(t, tc.period))
			if err != nil {
				t.Fatal(err)
			}
			d := summarize(got)
			if d.Value != tc.value || len(d.Parts) != tc.parts {
				t.Fatalf("Figure(%s %s) = %s of %d parts, want %s of %d", tc.indicator, tc.period, d.Value, len(d.Parts), tc.value, tc.parts)
			}
			if tc.parts > 0 && d.Parts[0] != tc.firstPart {
				t.Errorf("Figure(%s %s) first part %q, want %q", tc.indicator, tc.period, d.Parts[0], tc.firstPart)
			}
		})
	}
}

// TestIndexFigureSumsAsPublished checks Figure's sums of periods on random
// data against the same steps taken through the exported API: the row
// Published for p, else the first kind, from p's own to months, whose
// Cover is published whole. The data are months, quarters and years of
// 2020–2022 with a random third missing, at one or two decimals.
func TestIndexFigureSumsAsPublished(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	var periods []stats.Period
	for y := 2020; y <= 2022; y++ {
		periods = append(periods, stats.YearOf(y))
		for q := 1; q <= 4; q++ {
			periods = append(periods, stats.QuarterOf(y, q))
		}
		for m := 1; m <= 12; m++ {
			periods = append(periods, stats.MonthOf(y, m))
		}
	}
	asked := slices.Clone(periods)
	for _, s := range []string{"2020/2022", "2021/2022", "2020-01/2020-06", "2021-04/2022-03", "2020-Q2/2020-Q4"} {
		asked = append(asked, mustPeriod(t, s))
	}
	for trial := range 200 {
		var rows []string
		for _, p := range periods {
			if rng.IntN(3) == 0 {
				continue
			}
			dec := 1 + rng.IntN(2)
			rows = append(rows, fmt.Sprintf("KAZ ARM exports %s %.*f", p, dec, float64(rng.IntN(10000))/100))
		}
		if len(rows) == 0 {
			continue
		}
		x := stats.NewIndex(loadRows(t, rows...), nil)
		k := stats.Key{Reporter: "KAZ", Partner: "ARM", Indicator: "exports"}
		for _, p := range asked {
			got, err := x.Figure(k, p)
			if err != nil {
				t.Fatal(err)
			}
			want := sumAsPublished(x, k, p)
			if got.Value != want {
				t.Fatalf("trial %d: Figure(%s) = %v (%s), want %v\nrows: %v", trial, p, got.Value, got.How, want, rows)
			}
		}
	}
}

// sumAsPublished is Figure's value for a flow by its first two steps, taken
// through Published and Period.Cover.
func sumAsPublished(x *stats.Index, k stats.Key, p stats.Period) stats.Value {
	if o, ok := x.Published(k, p); ok {
		return o.Value
	}
	for kind := stats.Year; kind <= stats.Month; kind++ {
		// Coarser periods cover an interval on their boundaries, one of
		// them the same days; of p's kind or finer, it takes two.
		cover, ok := p.Cover(kind)
		if !ok || (len(cover) < 2 && kind >= p.Kind()) {
			continue
		}
		sum, dec, whole := 0.0, math.MaxInt, true
		for _, q := range cover {
			o, ok := x.Published(k, q)
			if !ok {
				whole = false
				break
			}
			sum += o.Value.Num
			dec = min(dec, o.Value.Decimals)
		}
		if whole {
			v, _ := strconv.ParseFloat(strconv.FormatFloat(sum, 'g', 12, 64), 64)
			return stats.NewValue(v, dec)
		}
	}
	return stats.Value{}
}

func TestIndexFigureConvertsUnits(t *testing.T) {
	ds := loadRows(t,
		"KAZ ARM exports 2023 1.5",
		"KAZ ARM imports 2023 500|USD thousand",
	)
	x := stats.NewIndex(ds, nil)
	got, err := x.Figure(stats.Key{Reporter: "KAZ", Partner: "ARM", Indicator: "turnover"}, mustPeriod(t, "2023"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Unit != "USD million" || got.Value.Num != 2 {
		t.Errorf("turnover = %v %s, want 2 USD million", got.Value.Num, got.Unit)
	}

	// A first term in the smaller scale: the sum is in the larger, where
	// the other term's decimals are written; in thousands it would claim
	// thousands that 15.1 USD million does not know.
	x = stats.NewIndex(loadRows(t,
		"KAZ ARM exports 2022 41200|USD thousand",
		"KAZ ARM imports 2022 15.1",
	), nil)
	got, err = x.Figure(stats.Key{Reporter: "KAZ", Partner: "ARM", Indicator: "turnover"}, mustPeriod(t, "2022"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Unit != "USD million" || got.Value.String() != "56.3" {
		t.Errorf("turnover = %v %s, want 56.3 USD million", got.Value, got.Unit)
	}
}

func TestIndexStatusOfDerived(t *testing.T) {
	in := "reporter,partner,indicator,period,value,unit,status,source\n" +
		"KAZ,ARM,exports,2024-07,1,USD million,P,BNS\n" +
		"KAZ,ARM,exports,2024-08,1,USD million,E,BNS\n" +
		"KAZ,ARM,exports,2024-09,1,USD million,,BNS\n" +
		"KAZ,ARM,imports,2024-Q3,1,USD million,P,BNS\n" +
		"KAZ,ARM,exports,2024-Q2,1,USD million,,BNS\n" +
		"KAZ,ARM,imports,2024-Q2,1,USD million,,BNS\n"
	ds, err := stats.Load(strings.NewReader(in), "t.csv", stats.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	x := stats.NewIndex(ds, nil)
	cases := []struct {
		name, indicator, period string
		want                    stats.Status
	}{
		{"estimated wins over provisional", "exports", "2024-Q3", stats.Estimated},
		{"turnover inherits", "turnover", "2024-Q3", stats.Estimated},
		{"all normal", "turnover", "2024-Q2", stats.Normal},
		{"published keeps its own", "imports", "2024-Q3", stats.Provisional},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := x.Figure(stats.Key{Reporter: "KAZ", Partner: "ARM", Indicator: tc.indicator}, mustPeriod(t, tc.period))
			if err != nil {
				t.Fatal(err)
			}
			if f.Status != tc.want {
				t.Errorf("status = %s, want %s", f.Status, tc.want)
			}
		})
	}
}

func fig(v stats.Value, unit string) stats.Figure {
	return stats.Figure{Value: v, Unit: unit}
}

func TestChangeAndGrowth(t *testing.T) {
	m := "USD million"
	cases := []struct {
		name           string
		cur, prev      stats.Figure
		wantChange     stats.Value
		wantGrowth     stats.Value
		wantErr        error
		wantGrowthNote string
	}{
		{name: "doubled", cur: fig(stats.NewValue(6, 0), m), prev: fig(stats.NewValue(3, 0), m),
			wantChange: stats.NewValue(3, 0), wantGrowth: stats.NewValue(100, 1)},
		{name: "fell", cur: fig(stats.NewValue(9.4, 1), m), prev: fig(stats.NewValue(10, 0), m),
			wantChange: stats.NewValue(-0.6, 0), wantGrowth: stats.NewValue(-6, 1)},
		{name: "missing current", cur: fig(stats.Value{}, m), prev: fig(stats.NewValue(3, 0), m)},
		{name: "missing previous", cur: fig(stats.NewValue(3, 0), m), prev: fig(stats.Value{}, m)},
		{name: "zero base has no growth", cur: fig(stats.NewValue(3, 0), m), prev: fig(stats.NewValue(0, 0), m),
			wantChange: stats.NewValue(3, 0)},
		{name: "negative base has no growth", cur: fig(stats.NewValue(3, 0), m), prev: fig(stats.NewValue(-2, 0), m),
			wantChange: stats.NewValue(5, 0)},
		{name: "thousands into millions", cur: fig(stats.NewValue(2, 0), m), prev: fig(stats.NewValue(1000, 0), "USD thousand"),
			wantChange: stats.NewValue(1, 0), wantGrowth: stats.NewValue(100, 1)},
		{name: "two currencies", cur: fig(stats.NewValue(2, 0), m), prev: fig(stats.NewValue(1, 0), "EUR million"),
			wantErr: stats.ErrUnitMismatch},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ch, err := stats.Change(tc.cur, tc.prev)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Change error = %v, want %v", err, tc.wantErr)
			}
			gr, err := stats.Growth(tc.cur, tc.prev)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Growth error = %v, want %v", err, tc.wantErr)
			}
			opt := cmpopts.EquateApprox(0, 1e-9)
			if diff := cmp.Diff(tc.wantChange, ch, opt); diff != "" {
				t.Errorf("Change mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantGrowth, gr, opt); diff != "" {
				t.Errorf("Growth mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestYearToDate(t *testing.T) {
	cases := []struct {
		name, period, want string
		ok                 bool
	}{
		{"quarter", "2024-Q3", "2024-01/2024-09", true},
		{"first quarter", "2024-Q1", "2024-01/2024-03", true},
		{"month", "2024-07", "2024-01/2024-07", true},
		{"january", "2024-01", "2024-01", true},
		{"january to july", "2024-01/2024-07", "2024-01/2024-07", true},
		{"year", "2023", "2023-01/2023-12", true},
		{"months across a year end", "2023-07/2024-06", "2024-01/2024-06", true},
		{"span of years", "2005/2024", "", false},
		{"day", "2024-10-15", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := stats.YearToDate(mustPeriod(t, tc.period))
			if ok != tc.ok || got.String() != tc.want {
				t.Errorf("YearToDate(%s) = %s, %v; want %s, %v", tc.period, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestNewIndexKeepsDataset(t *testing.T) {
	ds := loadRows(t, "KAZ ARM exports 2024-02 1", "KAZ ARM exports 2024-01 2", "KAZ ARM exports 2024-03 3")
	before := fmt.Sprint(ds.Obs)
	x := stats.NewIndex(ds, nil)
	if _, err := x.Figure(stats.Key{Reporter: "KAZ", Partner: "ARM", Indicator: "exports"}, mustPeriod(t, "2024-Q1")); err != nil {
		t.Fatal(err)
	}
	if after := fmt.Sprint(ds.Obs); after != before {
		t.Errorf("NewIndex modified the dataset:\n%s\n%s", before, after)
	}
}

// TestNewIndexOf checks that an index of some rows of a dataset derives
// what an index of a dataset of those rows alone derives, and nothing of
// the others.
func TestNewIndexOf(t *testing.T) {
	ds := loadRows(t,
		"KAZ RUS exports 2024-01 9", "KAZ ARM exports 2024-01 1", "KAZ ARM imports 2024-01 2",
		"KAZ RUS imports 2024-01 9", "KAZ ARM exports 2024-02 3", "KAZ ARM imports 2024-02 4")
	arm := func(o *stats.Observation) bool { return o.Partner == "ARM" }
	alone := &stats.Dataset{Files: ds.Files}
	for _, o := range ds.Obs {
		if arm(&o) {
			alone.Obs = append(alone.Obs, o)
		}
	}
	before := fmt.Sprint(ds.Obs)
	some, whole := stats.NewIndexOf(ds, nil, arm), stats.NewIndex(alone, nil)
	if after := fmt.Sprint(ds.Obs); after != before {
		t.Errorf("NewIndexOf modified the dataset")
	}
	for _, ind := range []string{"exports", "imports", "turnover", "balance"} {
		for _, p := range []string{"2024-01", "2024-02", "2024-01/2024-02"} {
			k := stats.Key{Reporter: "KAZ", Partner: "ARM", Indicator: ind}
			got, err1 := some.Figure(k, mustPeriod(t, p))
			want, err2 := whole.Figure(k, mustPeriod(t, p))
			if (err1 == nil) != (err2 == nil) || err1 == nil && got.Value != want.Value {
				t.Errorf("%s %s: %v (%v), want %v (%v)", ind, p, got.Value, err1, want.Value, err2)
			}
		}
	}
	if f, _ := some.Figure(stats.Key{Reporter: "KAZ", Partner: "RUS", Indicator: "turnover"}, mustPeriod(t, "2024-01")); f.Value.Valid {
		t.Errorf("KAZ–RUS turnover %v from rows left out", f.Value)
	}
	if f, _ := whole.Figure(stats.Key{Reporter: "KAZ", Partner: "ARM", Indicator: "turnover"}, mustPeriod(t, "2024-01/2024-02")); !f.Value.Valid || f.Value.Num != 10 {
		t.Errorf("KAZ–ARM turnover of January–February = %v, want 10", f.Value)
	}
}

func ExampleIndex_Figure() {
	in := `reporter,partner,indicator,period,value,unit,source
KAZ,ARM,exports,2024-07,1.2,USD million,BNS
KAZ,ARM,exports,2024-08,1.3,USD million,BNS
KAZ,ARM,exports,2024-09,1.5,USD million,BNS
KAZ,ARM,imports,2024-Q3,2.0,USD million,BNS
`
	ds, _ := stats.Load(strings.NewReader(in), "trade.csv", stats.LoadOptions{})
	x := stats.NewIndex(ds, nil)
	q3, _ := stats.ParsePeriod("2024-Q3")
	for _, ind := range []string{"exports", "imports", "turnover", "balance"} {
		f, _ := x.Figure(stats.Key{Reporter: "KAZ", Partner: "ARM", Indicator: ind}, q3)
		fmt.Printf("%-8s %s %s (%s)\n", ind, f.Value, f.Unit, f.How)
	}
	// Output:
	// exports  4.0 USD million (sum of periods)
	// imports  2.0 USD million (published)
	// turnover 6.0 USD million (exports + imports)
	// balance  2.0 USD million (exports − imports)
}

func ExampleGrowth() {
	m := "USD million"
	y2022 := stats.Figure{Value: stats.NewValue(3, 0), Unit: m}
	y2023 := stats.Figure{Value: stats.NewValue(6, 0), Unit: m}
	ch, _ := stats.Change(y2023, y2022)
	g, _ := stats.Growth(y2023, y2022)
	fmt.Println(ch, m, g, "%")
	// Output: 3 USD million 100.0 %
}

func ExampleYearToDate() {
	q3, _ := stats.ParsePeriod("2024-Q3")
	ytd, _ := stats.YearToDate(q3)
	fmt.Println(ytd, ytd.Shift(-1))
	// Output: 2024-01/2024-09 2023-01/2023-09
}

// exportsImports returns n rows of KAZ's exports to and imports from its
// partners by month from 2000-01, two rows a partner and month, with as
// many partners (at least one) as give each the months asked for; and
// the keys of the pairs, without an indicator.
func exportsImports(n, months int) (*stats.Dataset, []stats.Key) {
	pairs := max(1, n/(2*months))
	keys := make([]stats.Key, pairs)
	for p := range keys {
		keys[p] = stats.Key{Reporter: "KAZ", Partner: fmt.Sprintf("P%04d", p)}
	}
	ds := &stats.Dataset{Obs: make([]stats.Observation, 0, n)}
	for i := range n {
		p, m := (i/2)%pairs, (i/2)/pairs
		ds.Obs = append(ds.Obs, stats.Observation{
			Reporter: "KAZ", Partner: keys[p].Partner, Indicator: [2]string{"exports", "imports"}[i%2],
			Period: stats.MonthOf(2000+m/12, m%12+1), Value: stats.NewValue(float64(i%100)/10, 1), Unit: "USD million",
		})
	}
	return ds, keys
}

func BenchmarkIndexFigure(b *testing.B) {
	benchsize.Run(b, func(b *testing.B, n int) {
		ds, keys := exportsImports(n, 36)
		q := stats.QuarterOf(2000, 3)
		b.ReportAllocs()
		for b.Loop() {
			x := stats.NewIndex(ds, nil)
			for _, k := range keys {
				k.Indicator = "turnover"
				if _, err := x.Figure(k, q); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkIndexFigureDerived looks up, on an index built once, the
// figures the Series sheet and the charts derive: a year and a quarter
// from the months of exports, and a year's turnover from exports and
// imports, each summed from months.
func BenchmarkIndexFigureDerived(b *testing.B) {
	benchsize.Run(b, func(b *testing.B, n int) {
		ds, keys := exportsImports(n, 12)
		x := stats.NewIndex(ds, nil)
		year, quarter := stats.YearOf(2000), stats.QuarterOf(2000, 3)
		b.ReportAllocs()
		for b.Loop() {
			for _, k := range keys {
				for _, q := range [...]struct {
					ind string
					p   stats.Period
				}{{"exports", year}, {"exports", quarter}, {"turnover", year}} {
					k.Indicator = q.ind
					f, err := x.Figure(k, q.p)
					if err != nil || !f.Value.Valid {
						b.Fatal(k, q.p, f, err)
					}
				}
			}
		}
	})
}

// TestDerivedExact checks that a derived balance and its change from the
// year before are exact to the digits of their terms, more than twelve, in
// their own unit or another of the same currency: a spreadsheet's formula
// over the terms computes them so.
func TestDerivedExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	// Figures of twelve digits, whose sums and differences (in USD million
	// those of thousands have 15) float64 holds exactly.
	decimal := func() (string, *big.Rat) {
		s := fmt.Sprintf("%d.%0*d", rng.Int64N(1e7), 5, rng.IntN(1e5))
		r, _ := new(big.Rat).SetString(s)
		return s, r
	}
	thousand := big.NewRat(1, 1000)
	for trial := range 500 {
		var rows []string
		var ex, im [2]*big.Rat
		for i, y := range []int{2022, 2023} {
			var s string
			s, ex[i] = decimal()
			rows = append(rows, fmt.Sprintf("KAZ ARM exports %d %s", y, s))
			s, im[i] = decimal()
			unit := "USD million"
			if trial%2 == 1 {
				unit = "USD thousand" // converted into the exports' unit
				im[i].Mul(im[i], thousand)
			}
			rows = append(rows, fmt.Sprintf("KAZ ARM imports %d %s|%s", y, s, unit))
		}
		x := stats.NewIndex(loadRows(t, rows...), nil)
		k := stats.Key{Reporter: "KAZ", Partner: "ARM", Indicator: "balance"}
		var bal [2]stats.Figure
		for i, y := range []string{"2022", "2023"} {
			f, err := x.Figure(k, mustPeriod(t, y))
			if err != nil {
				t.Fatal(err)
			}
			want, _ := new(big.Rat).Sub(ex[i], im[i]).Float64()
			if f.Value.Num != want {
				t.Fatalf("trial %d: balance %s = %v, want %v\nrows: %v", trial, y, f.Value.Num, want, rows)
			}
			bal[i] = f
		}
		change, err := stats.Change(bal[1], bal[0])
		if err != nil {
			t.Fatal(err)
		}
		exact := new(big.Rat).Sub(new(big.Rat).Sub(ex[1], im[1]), new(big.Rat).Sub(ex[0], im[0]))
		if want, _ := exact.Float64(); change.Num != want {
			t.Fatalf("trial %d: change %v, want %v\nrows: %v", trial, change.Num, want, rows)
		}
	}
	// Decimals are counted in the unit of the sum: 5000 USD thousand is
	// 5.000 USD million, which does not cut 3.0 to a whole number.
	x := stats.NewIndex(loadRows(t, "KAZ ARM exports 2023 3.0", "KAZ ARM imports 2023 5000|USD thousand"), nil)
	f, err := x.Figure(stats.Key{Reporter: "KAZ", Partner: "ARM", Indicator: "balance"}, mustPeriod(t, "2023"))
	if err != nil || f.Value.String() != "-2.0" || f.Unit != "USD million" {
		t.Errorf("balance of 3.0 USD million and 5000 USD thousand: %v %s, %v; want -2.0 USD million", f.Value, f.Unit, err)
	}
}
