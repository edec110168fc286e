//go:build race

package findings_test

// raceEnabled tells that the tests run under the race detector, whose
// sync.Pool drops what is put in it at random: fmt's printers are then
// made afresh now and then, and allocations are not counted.
const raceEnabled = true
