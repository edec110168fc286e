package stats

// RuleAlone returns a function that runs the built-in rule id over the
// rows of d with cfg, in the checker made once: the time of the rule
// alone, apart from reading the rows and laying them out by series, which
// BenchmarkRule counts with it.
func RuleAlone(d *Dataset, id string, cfg *Config) func() {
	shared := newChecker(input{figs: [][]fig{figsOf(d.Obs)}}, cfg, nil)
	for _, r := range builtinRules {
		if r.ID == id {
			return func() {
				c := *shared
				c.cur, c.curCfg, c.findings = r.RuleInfo, cfg.rule(r.ID), nil
				r.check(&c)
			}
		}
	}
	panic("no rule " + id)
}
