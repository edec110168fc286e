// Package limitread reads the small files that steer a run (a rules file,
// a chart spec, a mapping) whole, up to a bound: one given a data file by
// mistake, or a device that never ends, is refused at once rather than
// read into memory before the first error.
package limitread

import (
	"errors"
	"fmt"
	"io"
)

// ErrTooLarge is the error of a file larger than its bound.
var ErrTooLarge = errors.New("file too large")

// MaxConfig is the bound of a file written by hand: far more than any
// rules file, spec or mapping, far less than data of millions of rows.
const MaxConfig = 16 << 20

// ReadAll reads r to its end, as io.ReadAll does, unless it holds more
// than max bytes: it then stops after max+1 and returns an error that
// wraps ErrTooLarge.
func ReadAll(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w: it holds more than %d MB, more than any file written by hand (is it a data file?)", ErrTooLarge, max>>20)
	}
	return b, nil
}
