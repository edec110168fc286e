package stats

import (
	"cmp"
	"slices"
)

// Check runs the enabled built-in rules over d and returns their findings,
// sorted with [SortFindings]. It does not modify d. A nil cfg runs every
// rule with its defaults.
func Check(d *Dataset, cfg *Config) []Finding {
	if cfg == nil {
		cfg = &Config{}
	}
	c := newChecker(d, cfg)
	for _, r := range builtinRules {
		rc := cfg.rule(r.ID)
		if rc.Disabled {
			continue
		}
		c.cur = r.RuleInfo
		c.curCfg = rc
		r.check(c)
	}
	SortFindings(c.findings)
	return c.findings
}

// seriesKey is one series as one source published it.
type seriesKey struct {
	Key
	Source string
}

// cellKey is one figure: a series of a source in a period.
type cellKey struct {
	seriesKey
	Period Period
}

type checker struct {
	ds     *Dataset
	cfg    *Config
	voc    *Vocabulary
	cur    RuleInfo
	curCfg RuleConfig

	// series maps each series of each source to its observations, sorted
	// by period and then file order.
	series map[seriesKey][]*Observation
	keys   []seriesKey // sorted keys of series
	// sources maps a series to its series by source, sorted.
	sources map[Key][]seriesKey
	// cells maps a figure to its first valid observation.
	cells map[cellKey]*Observation

	findings []Finding
}

func newChecker(d *Dataset, cfg *Config) *checker {
	voc := cfg.Vocabulary
	if voc == nil {
		voc = NewVocabulary()
	}
	c := &checker{ds: d, cfg: cfg, voc: voc,
		series: map[seriesKey][]*Observation{}, cells: map[cellKey]*Observation{}}
	for i := range d.Obs {
		o := &d.Obs[i]
		sk := seriesKey{o.Key(), o.Source}
		c.series[sk] = append(c.series[sk], o)
		if o.Value.Valid {
			ck := cellKey{sk, o.Period}
			if _, dup := c.cells[ck]; !dup {
				c.cells[ck] = o
			}
		}
	}
	c.keys = make([]seriesKey, 0, len(c.series))
	for k, obs := range c.series {
		c.keys = append(c.keys, k)
		slices.SortStableFunc(obs, func(a, b *Observation) int { return Compare(a.Period, b.Period) })
	}
	slices.SortFunc(c.keys, compareSeriesKeys)
	c.sources = map[Key][]seriesKey{}
	for _, k := range c.keys {
		c.sources[k.Key] = append(c.sources[k.Key], k)
	}
	return c
}

func compareSeriesKeys(a, b seriesKey) int {
	return cmp.Or(cmp.Compare(a.Reporter, b.Reporter), cmp.Compare(a.Partner, b.Partner),
		cmp.Compare(a.Indicator, b.Indicator), cmp.Compare(a.Source, b.Source))
}

// emit records a finding of the current rule with its configured severity.
func (c *checker) emit(f Finding) {
	f.Rule = c.cur.ID
	f.Severity = c.cur.Severity
	if c.curCfg.Severity != 0 {
		f.Severity = c.curCfg.Severity
	}
	c.findings = append(c.findings, f)
}

// cell returns the valid figure of a series of a source in a period.
func (c *checker) cell(r, p, ind, src string, per Period) *Observation {
	return c.cells[cellKey{seriesKey{Key{r, p, ind}, src}, per}]
}

// label names a figure in messages: KAZ–ARM turnover 2023.
func label(o *Observation) string {
	return o.Reporter + "–" + o.Partner + " " + o.Indicator + " " + o.Period.String()
}
