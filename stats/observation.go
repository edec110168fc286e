package stats

import (
	"cmp"
	"maps"
	"slices"
)

// Observation is one row of input: the Value of an Indicator that Reporter
// reports against Partner for Period.
type Observation struct {
	Reporter  string // ISO 3166-1 alpha-3 code, or a group code such as WLD
	Partner   string // likewise
	Indicator string // exports, imports, turnover, … (see [Indicators])
	Period    Period
	Status    Status // of the value; here, next to Period, it takes no room of its own
	Value     Value
	Unit      string // USD million, count, …
	Source    string // who published the figure
	Note      string
	Pos       Pos // file, line and the column of the value the row came from
}

// Key returns the series the observation belongs to.
func (o *Observation) Key() Key {
	return Key{Reporter: o.Reporter, Partner: o.Partner, Indicator: o.Indicator}
}

// Key names a series: one indicator of one reporter–partner pair.
type Key struct {
	Reporter, Partner, Indicator string
}

// String formats the key as KAZ–ARM exports.
func (k Key) String() string { return k.Reporter + "–" + k.Partner + " " + k.Indicator }

// Pair is a reporter and a partner.
type Pair struct {
	Reporter, Partner string
}

// ComparePairs orders pairs by reporter, then partner, as [Dataset.Pairs]
// lists them.
func ComparePairs(a, b Pair) int {
	return cmp.Or(cmp.Compare(a.Reporter, b.Reporter), cmp.Compare(a.Partner, b.Partner))
}

// Status is the SDMX observation status of a value.
type Status byte

// The observation statuses of SDMX that the tool distinguishes. The zero
// Status is Normal.
const (
	Normal      Status = 0
	Provisional Status = 'P'
	Estimated   Status = 'E'
	Missing     Status = 'M'
)

// String returns the SDMX code: "A" for Normal, else "P", "E" or "M".
func (s Status) String() string {
	if s == Normal {
		return "A"
	}
	return string(rune(s))
}

// ParseStatus reads an SDMX status code; "" and "A" are Normal. The error
// wraps [ErrBadStatus].
func ParseStatus(s string) (Status, error) {
	switch s {
	case "", "A":
		return Normal, nil
	case "P", "E", "M":
		return Status(s[0]), nil
	}
	return 0, errorf(ErrBadStatus, "invalid status %q: use A (normal), P (provisional), E (estimated) or M (missing)", s)
}

// Dataset is the observations of one or more input files, in the order they
// were read, with the row-level problems the loader found.
type Dataset struct {
	Obs      []Observation
	Files    []string      // the names of the files read, in order
	Problems []*ParseError // row-level input problems, in file order
	Rows     int           // data rows read, including rejected ones
}

// Merge appends the observations, files and problems of other to d. When d
// has no observations yet it takes other's slice instead of copying it, so
// other must not be used afterwards.
func (d *Dataset) Merge(other *Dataset) {
	if len(d.Obs) == 0 {
		d.Obs = other.Obs
	} else {
		d.Obs = append(d.Obs, other.Obs...)
	}
	d.Files = append(d.Files, other.Files...)
	d.Problems = append(d.Problems, other.Problems...)
	d.Rows += other.Rows
}

// Pairs returns the reporter–partner pairs in the data, sorted.
func (d *Dataset) Pairs() []Pair {
	seen := map[Pair]bool{}
	for i := range d.Obs {
		seen[Pair{d.Obs[i].Reporter, d.Obs[i].Partner}] = true
	}
	return slices.SortedFunc(maps.Keys(seen), ComparePairs)
}

// Sources returns the distinct sources in the data, sorted.
func (d *Dataset) Sources() []string {
	seen := map[string]bool{}
	for i := range d.Obs {
		seen[d.Obs[i].Source] = true
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// Series returns the observations of key k, sorted by period (see
// [Compare]) and then by source. The result points into d.Obs. It scans
// every row: for many series, build an [Index] once instead.
func (d *Dataset) Series(k Key) []*Observation {
	var out []*Observation
	for i := range d.Obs {
		o := &d.Obs[i]
		if o.Reporter == k.Reporter && o.Partner == k.Partner && o.Indicator == k.Indicator {
			out = append(out, o)
		}
	}
	slices.SortStableFunc(out, func(a, b *Observation) int {
		return cmp.Or(Compare(a.Period, b.Period), cmp.Compare(a.Source, b.Source))
	})
	return out
}

// Lookup returns the first valid observation of key k for period p, in file
// order, and whether there is one. It scans every row: for many lookups,
// build an [Index] once and use [Index.Published].
func (d *Dataset) Lookup(k Key, p Period) (*Observation, bool) {
	for i := range d.Obs {
		o := &d.Obs[i]
		if o.Period == p && o.Value.Valid && o.Reporter == k.Reporter && o.Partner == k.Partner && o.Indicator == k.Indicator {
			return o, true
		}
	}
	return nil, false
}
