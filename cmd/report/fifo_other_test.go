//go:build !unix

package main

import "errors"

// mkfifo reports that named pipes are not made here, where the tests that
// need one skip it (see fifo_unix_test.go).
func mkfifo(string) error { return errors.ErrUnsupported }
