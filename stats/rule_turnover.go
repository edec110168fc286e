package stats

// checkTurnover: turnover = exports + imports, per reporter, partner,
// source and period.
func checkTurnover(c *checker) {
	c.identities("turnover", []string{"exports", "imports"}, []float64{1, 1}, c.identityPlan(turnoverPlan), true)
}
