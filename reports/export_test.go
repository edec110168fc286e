package reports

// SetMaxDataRows makes the Data sheets hold n rows under their header, so
// that tests can split small data over several sheets; the returned
// function restores the limit.
func SetMaxDataRows(n int) (restore func()) {
	old := maxDataRows
	maxDataRows = n
	return func() { maxDataRows = old }
}
