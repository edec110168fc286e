package stats

import "unicode/utf8"

// ControlAt returns the index in s of its first control character, or -1:
// a byte below U+0020 other than a tab, a line feed or a carriage return.
// No published figure's unit, source or note holds one; a field that does
// comes from a damaged file or from bytes that are not text, and a
// workbook cannot hold it (XML 1.0 has no such characters: the writer
// would put U+FFFD in its place).
func ControlAt[T string | []byte](s T) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' && c != '\n' && c != '\r' {
			return i
		}
	}
	return -1
}

// ControlError returns the problem, which wraps [ErrControl], of the field
// text s whose first control character is at index i (see [ControlAt]).
func ControlError[T string | []byte](s T, i int) error {
	return errorf(ErrControl, "character %d of the field is a control character (U+%04X), which is not text: the file may be damaged; remove it",
		utf8.RuneCount([]byte(s[:i]))+1, s[i])
}

// LineEndingError returns the problem, which wraps [ErrLineEnding], of a
// line that ends in a carriage return alone.
func LineEndingError() error {
	return errorf(ErrLineEnding, "a line ends in a carriage return alone (as classic Mac OS wrote them), which is not a line break here: save the file with LF or CRLF line endings")
}
