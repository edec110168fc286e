package stats

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel kinds of input problem. A [ParseError] wraps one of them; test
// the kind with errors.Is.
var (
	ErrBadNumber        = errors.New("invalid number")
	ErrBadPeriod        = errors.New("invalid period")
	ErrMissingField     = errors.New("missing field")
	ErrUnknownIndicator = errors.New("unknown indicator")
	ErrBadCode          = errors.New("invalid economy code")
	ErrBadStatus        = errors.New("invalid status")
	ErrFieldCount       = errors.New("wrong number of fields")
	ErrQuote            = errors.New("bad quoting")
	ErrEncoding         = errors.New("not UTF-8 text")
	ErrNoHeader         = errors.New("no header row")
	ErrMissingColumn    = errors.New("required column missing")
	ErrDuplicateColumn  = errors.New("duplicate column")
	ErrEmpty            = errors.New("empty input")
	ErrDelimiter        = errors.New("wrong delimiter")
	ErrLineTooLong      = errors.New("line too long")
	ErrCompressed       = errors.New("compressed data")
	ErrLineEnding       = errors.New("line ending")
	ErrControl          = errors.New("control character")
	ErrUnitMult         = errors.New("invalid unit multiplier")
)

// ParseError is a problem at a place in an input file. Line and Column are
// 1-based; Column counts characters (not bytes) from the start of the line,
// after any byte order mark, so that an editor's cursor lands on it. Field
// is the header of the column, where there is one.
type ParseError struct {
	File   string
	Line   int
	Column int
	Field  string
	Err    error
}

// Error renders the problem as file:line:column: field "name": message.
func (e *ParseError) Error() string {
	pos := Pos{File: e.File, Line: e.Line, Column: e.Column}.String()
	if e.Field != "" {
		return fmt.Sprintf("%s: field %q: %v", pos, e.Field, e.Err)
	}
	return fmt.Sprintf("%s: %v", pos, e.Err)
}

// Unwrap returns the underlying error, which wraps one of the sentinels.
func (e *ParseError) Unwrap() error { return e.Err }

// Message returns the problem without its position.
func (e *ParseError) Message() string {
	if e.Field != "" {
		return fmt.Sprintf("field %q: %v", e.Field, e.Err)
	}
	return e.Err.Error()
}

// textError is a text that is not what its field needs, with a hint on how
// to write it: invalid number "33,3": decimal comma? write 33.3.
type textError struct {
	kind       error // the sentinel, whose text names the problem
	text, hint string
}

func (e *textError) Error() string {
	msg := fmt.Sprintf("%v %q", e.kind, e.text)
	if e.hint != "" {
		msg += ": " + e.hint
	}
	return msg
}

func (e *textError) Unwrap() error { return e.kind }

// hinted is an error of a sentinel kind with a message of its own.
type hinted struct {
	kind error
	msg  string
}

func (h *hinted) Error() string { return h.msg }
func (h *hinted) Unwrap() error { return h.kind }

func errorf(kind error, format string, args ...any) error {
	return &hinted{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// Pos is a place in an input file. Line and Column are 1-based; a zero
// Column means the whole line, a zero Line the whole file.
type Pos struct {
	File   string
	Line   int
	Column int
}

// String formats p as file:line:column, leaving out what is zero.
func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return string(p.appendText(make([]byte, 0, len(p.File)+16)))
}

// appendText appends p as String formats it.
func (p Pos) appendText(b []byte) []byte {
	b = append(b, p.File...)
	if p.Line == 0 {
		return b
	}
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(p.Line), 10)
	if p.Column != 0 {
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(p.Column), 10)
	}
	return b
}
