package stats

// checkInput turns the loader's row-level problems into findings.
func checkInput(c *checker) {
	for _, p := range c.in.problems {
		c.emit(Finding{
			Rows:    []Pos{{File: p.File, Line: p.Line, Column: p.Column}},
			Message: p.Message(),
		})
	}
}
