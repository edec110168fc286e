package reports

// SetMaxDataRows makes the Data sheets hold n rows under their header, so
// that tests can split small data over several sheets; the returned
// function restores the limit.
func SetMaxDataRows(n int) (restore func()) {
	old := maxDataRows
	maxDataRows = n
	return func() { maxDataRows = old }
}

// ForBenchSizes runs a benchmark for 1k, 100k and 1M rows, the last not in
// -short mode.
var ForBenchSizes = forBenchSizes
