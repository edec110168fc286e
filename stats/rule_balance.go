package stats

// checkBalance: balance = exports − imports, per reporter, partner, source
// and period.
func checkBalance(c *checker) {
	c.identities("balance", []string{"exports", "imports"}, []float64{1, -1}, c.identityPlan(balancePlan), false)
}
