package stats

// RuleInfo describes a built-in rule.
type RuleInfo struct {
	ID          string
	Severity    Severity // the default grade
	Description string
}

// rule is a built-in consistency rule. check appends findings through the
// checker, which applies the configured severity.
type rule struct {
	RuleInfo
	check func(c *checker)
}

// builtinRules is the single ordered list of the built-in rules.
var builtinRules = []rule{
	{RuleInfo{"input", Error, "required columns, parseable values and periods, alpha-3 codes, known indicators, a unit and a source on every row"}, checkInput},
	{RuleInfo{"unique", Error, "one value per reporter, partner, indicator, period and source"}, checkUnique},
	{RuleInfo{"sources", Warning, "the same figure from two sources or releases agrees within rounding"}, checkSources},
	{RuleInfo{"units", Error, "a series keeps one currency, and the terms of every identity share a unit"}, checkUnits},
	{RuleInfo{"sign", Error, "gross flows and counts are never negative"}, checkSign},
	{RuleInfo{"turnover", Error, "turnover = exports + imports"}, checkTurnover},
	{RuleInfo{"balance", Error, "balance = exports − imports"}, checkBalance},
	{RuleInfo{"additivity", Error, "sub-periods that exactly cover a period add up to it; sub-periods that cover part of it add up to no more than it"}, checkAdditivity},
	{RuleInfo{"mirror", Warning, "A's exports to B agree with B's imports from A within a threshold, after the CIF/FOB factor"}, checkMirror},
	{RuleInfo{"groups", Error, "a partner group (WLD, EAEU, CIS, EU) equals the sum of its members when all are present, and is not less than a partial sum"}, checkGroups},
	{RuleInfo{"shares", Error, "a share (exports_share, in percent) equals 100 × the value ÷ the value with the world, within rounding"}, checkShares},
	{RuleInfo{"completeness", Warning, "a period whose parts are in the data has all of them: no year with some months missing, no year that is the sum of only some months"}, checkCompleteness},
}

// Rules returns the built-in rules in the order they run.
func Rules() []RuleInfo {
	out := make([]RuleInfo, len(builtinRules))
	for i, r := range builtinRules {
		out[i] = r.RuleInfo
	}
	return out
}
