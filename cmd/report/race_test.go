//go:build race

package main

// raceEnabled tells that the tests run under the race detector, whose
// runtime takes several times the memory: a run in a control group sized
// for report's own is killed.
const raceEnabled = true
