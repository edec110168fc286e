package ingest_test

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/tradedesk/report/stats"
	"github.com/tradedesk/report/stats/ingest"
)

// TestTotalsAndFillsRandom compares YearTotals and FillAbsent, which
// gather a row at a time in little memory, with the plain reading of
// their documentation over the whole slice, on random observations: many
// months of few series, repeated, missing or invalid, in several units and
// sources, around year 0 too.
func TestTotalsAndFillsRandom(t *testing.T) {
	cmpOpts := gocmp.Options{gocmp.Comparer(func(a, b stats.Period) bool { return a == b })}
	for seed := range uint64(500) {
		rng := rand.New(rand.NewPCG(seed, 7))
		obs := randomMonths(rng)
		if want, got := refTotals(obs), ingest.YearTotals(obs); !slices.Equal(want, got) {
			t.Fatalf("seed %d: YearTotals (-want +got):\n%s", seed, gocmp.Diff(want, got, cmpOpts))
		}
		v := stats.NewValue(0, rng.IntN(4))
		if want, got := refFill(obs, v), ingest.FillAbsent(obs, v); !slices.Equal(want, got) {
			t.Fatalf("seed %d: FillAbsent (-want +got):\n%s", seed, gocmp.Diff(want, got, cmpOpts))
		}
	}
}

func randomMonths(rng *rand.Rand) []stats.Observation {
	var obs []stats.Observation
	base := []int{2023, 0, -1, 1999}[rng.IntN(4)]
	for range rng.IntN(200) {
		o := stats.Observation{
			Reporter:  []string{"ARM", "KAZ"}[rng.IntN(2)],
			Partner:   []string{"RUS", "CHN", "WLD"}[rng.IntN(3)],
			Indicator: []string{"exports", "imports", "fdi_in_stock"}[rng.IntN(3)],
			Unit:      []string{"USD thousand", "USD million"}[rng.IntN(2)],
			Source:    []string{"A", "B"}[rng.IntN(2)],
			Period:    stats.NewPeriod(stats.Month, (base+rng.IntN(3))*12+rng.IntN(12)),
			Pos:       stats.Pos{File: "t.csv", Line: len(obs) + 2, Column: 5},
		}
		switch rng.IntN(20) {
		case 0:
			o.Period = stats.YearOf(base)
		case 1:
			o.Status = stats.Missing
		default:
			d := rng.IntN(4)
			o.Value = stats.NewValue(float64(rng.IntN(200000)-1000)/float64(int([]int{1, 10, 100, 1000}[d])), d)
		}
		obs = append(obs, o)
		// Whole years of a series, so that some have 12 months.
		if rng.IntN(10) == 0 {
			for m := range 12 {
				full := o
				full.Period = stats.MonthOf(o.Period.Year(), m+1)
				full.Value = stats.NewValue(float64(m)+0.5, 1)
				obs = append(obs, full)
			}
		}
	}
	return obs
}

type refKey struct {
	stats.Key
	unit, source string
}

func sortRef(out []stats.Observation) {
	slices.SortFunc(out, func(a, b stats.Observation) int {
		return cmp.Or(cmp.Compare(a.Reporter, b.Reporter), cmp.Compare(a.Partner, b.Partner),
			cmp.Compare(a.Indicator, b.Indicator), cmp.Compare(a.Source, b.Source), cmp.Compare(a.Unit, b.Unit), stats.Compare(a.Period, b.Period))
	})
}

// refTotals sums, for each series and year, the first valid figure of
// each month of a flow, with big.Rat.
func refTotals(obs []stats.Observation) []stats.Observation {
	type key struct {
		refKey
		year int
	}
	type acc struct {
		months [12]*stats.Observation
		n      int
	}
	voc := stats.NewVocabulary()
	sums := map[key]*acc{}
	var order []key
	for i := range obs {
		o := &obs[i]
		info, _ := voc.Lookup(o.Indicator)
		if !o.Value.Valid || o.Period.Kind() != stats.Month || o.Period.IsInterval() || !info.Flow {
			continue
		}
		var m int
		fmt.Sscanf(o.Period.String()[len(o.Period.String())-2:], "%d", &m)
		k := key{refKey{o.Key(), o.Unit, o.Source}, o.Period.Year()}
		if sums[k] == nil {
			sums[k] = &acc{}
			order = append(order, k)
		}
		if a := sums[k]; a.months[m-1] == nil {
			a.months[m-1] = o
			a.n++
		}
	}
	var out []stats.Observation
	for _, k := range order {
		a := sums[k]
		if a.n != 12 {
			continue
		}
		var sum big.Rat
		dec := 0
		for _, o := range a.months {
			r, _ := new(big.Rat).SetString(o.Value.String())
			sum.Add(&sum, r)
			dec = max(dec, o.Value.Decimals)
		}
		v, _ := stats.ParseValue(sum.FloatString(dec))
		out = append(out, stats.Observation{Reporter: k.Reporter, Partner: k.Partner, Indicator: k.Indicator,
			Period: stats.YearOf(k.year), Value: v, Unit: k.unit, Source: k.source, Note: ingest.YearTotalNote, Pos: a.months[11].Pos})
	}
	sortRef(out)
	return out
}

// refFill fills, for each series with months, every month of the
// table's span it lacks, at the place of its first monthly row.
func refFill(obs []stats.Observation, v stats.Value) []stats.Observation {
	var first, last stats.Period
	have := map[refKey]map[stats.Period]bool{}
	at := map[refKey]stats.Pos{}
	for _, o := range obs {
		if o.Period.Kind() != stats.Month || o.Period.IsInterval() {
			continue
		}
		if first.IsZero() || stats.Compare(o.Period, first) < 0 {
			first = o.Period
		}
		if last.IsZero() || stats.Compare(o.Period, last) > 0 {
			last = o.Period
		}
		k := refKey{o.Key(), o.Unit, o.Source}
		if have[k] == nil {
			have[k], at[k] = map[stats.Period]bool{}, o.Pos
		}
		have[k][o.Period] = true
	}
	if first.IsZero() {
		return nil
	}
	span, _ := stats.Span(first, last)
	var out []stats.Observation
	for k, ps := range have {
		for _, m := range span.Units() {
			if !ps[m] {
				out = append(out, stats.Observation{Reporter: k.Reporter, Partner: k.Partner, Indicator: k.Indicator,
					Period: m, Value: v, Unit: k.unit, Source: k.source, Note: ingest.AbsentNote, Pos: at[k]})
			}
		}
	}
	sortRef(out)
	return out
}

// endless is an input that never ends: head, then body again and again.
type endless struct {
	head, body []byte
	at         int
	n          int64 // bytes read
}

func (e *endless) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(e.head) > 0 {
			c := copy(p[n:], e.head)
			e.head = e.head[c:]
			n += c
			continue
		}
		c := copy(p[n:], e.body[e.at:])
		e.at = (e.at + c) % len(e.body)
		n += c
	}
	e.n += int64(n)
	return n, nil
}

// TestStreamBounded feeds tables that never end to Stream: a line without
// a break, a quoted field never closed (with line breaks, and with quotes
// doubled inside it), and rows without end through a handler that stops.
// Each must end with its error, having read a few megabytes, where
// encoding/csv alone would read until memory runs out.
func TestStreamBounded(t *testing.T) {
	m, err := ingest.ParseMapping(strings.NewReader(armstatMapping), "map.yaml")
	if err != nil {
		t.Fatal(err)
	}
	head := "country,year,month,export,import_origin,import_consignment,date\n"
	stop := errors.New("enough")
	tests := []struct {
		name      string
		in        *endless
		stopAfter int
		kind      error
		line      int
	}{
		{"line", &endless{head: []byte(head + "China,2023,1,"), body: []byte("1234567890")}, 0, stats.ErrLineTooLong, 2},
		{"quote", &endless{head: []byte(head + "China,2023,1,1,2,3,2023-01-01\n\"Chi"), body: []byte("na,\n")}, 0, stats.ErrQuote, 3},
		{"doubled quotes", &endless{head: []byte(head + "\"Chi"), body: []byte("na \"\"x\"\"\n")}, 0, stats.ErrQuote, 2},
		{"rows", &endless{head: []byte(head), body: []byte("China,2023,1,1.5,2,3,2023-01-01\n")}, 100000, stop, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			h := ingest.Handler{Observation: func(*stats.Observation) error {
				if n++; tc.stopAfter > 0 && n >= tc.stopAfter {
					return stop
				}
				return nil
			}}
			_, err := ingest.Stream(tc.in, "t.csv", m, h)
			if !errors.Is(err, tc.kind) {
				t.Fatalf("Stream: %v, want %v", err, tc.kind)
			}
			var pe *stats.ParseError
			if tc.line > 0 && (!errors.As(err, &pe) || pe.Line != tc.line || pe.File != "t.csv") {
				t.Errorf("Stream: %v, want a ParseError at t.csv line %d", err, tc.line)
			}
			if tc.in.n > 16<<20 {
				t.Errorf("read %d bytes before stopping", tc.in.n)
			}
		})
	}
}

const armstatMapping = `
source: Armstat
reporter: ARM
partner: {column: country}
period: {column: date, patterns: ["{year}-{month}-01"]}
unit: thousand USD
numbers: {exponent: true}
values:
  - {column: export, indicator: exports}
  - {column: import_origin, indicator: imports}
`

// TestStreamLikeConvert checks that Stream hands over, in order, what
// Convert returns, with fills and totals at the end, and the same counts.
func TestStreamLikeConvert(t *testing.T) {
	m, err := ingest.ParseMapping(strings.NewReader(armstatMapping+"absent: \"0\"\nyear_totals: true\n"), "map.yaml")
	if err != nil {
		t.Fatal(err)
	}
	table := armstatTable(1728) // 2007 to 2024, each month of a partner once
	// A month of a partner is left out, and a cell cannot be read.
	table = bytes.Replace(table, []byte("\"China\",2007,3,"), []byte("\"China\",2007,3,x"), 1)
	table = bytes.Replace(table, []byte("\"Georgia\",2007,5"), []byte("\"\",2007,5"), 1)
	res, err := ingest.Convert(bytes.NewReader(table), "t.csv", m)
	if err != nil {
		t.Fatal(err)
	}
	var obs []stats.Observation
	var problems []*stats.ParseError
	c, err := ingest.Stream(bytes.NewReader(table), "t.csv", m, ingest.Handler{
		Observation: func(o *stats.Observation) error { obs = append(obs, *o); return nil },
		Problem:     func(p *stats.ParseError) error { problems = append(problems, p); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 2 || c.Rows != 1728 {
		t.Fatalf("%d problems in %d rows, want 2 in 1728: %v", len(res.Problems), c.Rows, res.Problems)
	}
	opts := gocmp.Options{gocmp.Comparer(func(a, b stats.Period) bool { return a == b }), gocmp.Comparer(func(a, b *stats.ParseError) bool { return a.Error() == b.Error() })}
	if diff := gocmp.Diff(res.Obs, obs, opts); diff != "" {
		t.Errorf("observations (-Convert +Stream):\n%s", diff)
	}
	if diff := gocmp.Diff(res.Problems, problems, opts); diff != "" {
		t.Errorf("problems (-Convert +Stream):\n%s", diff)
	}
	if diff := gocmp.Diff(res.Counts, c); diff != "" {
		t.Errorf("counts (-Convert +Stream):\n%s", diff)
	}
	var filled, totals int
	for _, o := range obs {
		switch o.Note {
		case ingest.AbsentNote:
			filled++
		case ingest.YearTotalNote:
			totals++
		}
	}
	// Georgia's May 2007 is absent (exports and imports), China's March
	// 2007 exports failed to read: not absent, and no total for the year.
	if filled != 2 || totals == 0 {
		t.Errorf("%d months filled, %d totals; want 2 filled and some totals", filled, totals)
	}
	if n := len(obs); n != len(res.Obs) {
		t.Errorf("Stream gave %d observations, Convert %d", n, len(res.Obs))
	}
}

// TestStreamHandlerError checks that the first error of a handler stops
// Stream and comes back as it is.
func TestStreamHandlerError(t *testing.T) {
	m, err := ingest.ParseMapping(strings.NewReader(armstatMapping), "map.yaml")
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("disk full")
	table := armstatTable(100)
	table = append(table, "\"Atlantis\",2023,1,1,2,3,\"2023-01-01\"\n"...)
	for _, which := range []string{"observation", "problem"} {
		calls := 0
		h := ingest.Handler{Observation: func(*stats.Observation) error { return nil }}
		fail := func() error { calls++; return stop }
		if which == "observation" {
			h.Observation = func(*stats.Observation) error { return fail() }
		} else {
			h.Problem = func(*stats.ParseError) error { return fail() }
		}
		if _, err := ingest.Stream(bytes.NewReader(table), "t.csv", m, h); err != stop || calls != 1 {
			t.Errorf("%s handler: Stream = %v after %d calls, want %v after 1", which, err, calls, stop)
		}
	}
}

func BenchmarkStream(b *testing.B) {
	m, err := ingest.ParseMapping(strings.NewReader(armstatMapping), "map.yaml")
	if err != nil {
		b.Fatal(err)
	}
	table := armstatTable(100000)
	b.SetBytes(int64(len(table)))
	b.ReportAllocs()
	for b.Loop() {
		w := stats.NewCSVWriter(io.Discard)
		if _, err := ingest.Stream(bytes.NewReader(table), "t.csv", m, ingest.Handler{Observation: w.Write}); err != nil {
			b.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
	}
}
