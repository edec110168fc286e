//go:build !linux

package atomicfile

import "os"

// openUnnamed reports that unnamed files are not supported here.
func openUnnamed(string, os.FileMode) (*os.File, error) { return nil, errUnsupported }

// link is never called where openUnnamed fails.
func link(*os.File, string) error { return errUnsupported }
