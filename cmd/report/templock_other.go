//go:build !unix

package main

// lockTemp marks a run's temporary directory where file locks are known
// (see templock_unix.go); elsewhere it does nothing.
func lockTemp(dir string) (release func()) { return func() {} }

// sweepStale removes the directories of killed runs where file locks are
// known (see templock_unix.go); elsewhere it does nothing.
func sweepStale(parent, own string) {}
