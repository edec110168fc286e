// Package lazyre compiles a regular expression the first time it is
// needed rather than as its package is initialised, as the Go tree's own
// internal/lazyregexp does: report initialises every package it links
// whatever the command, and an expression compiled at initialisation is
// paid for by every run, most of which never use it (a check of an empty
// file spent about 1 ms of its start compiling the expressions of rules
// files, chart specifications, imports and workbooks).
package lazyre

import (
	"regexp"
	"sync"
)

// New returns a function that returns expr compiled, compiling it on the
// first call; it panics then if expr does not compile, as
// regexp.MustCompile does. It is safe for concurrent use.
func New(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
