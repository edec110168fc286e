package stats

import "unicode/utf8"

// ControlAt returns the index in s of its first control character, or -1:
// a byte below U+0020 other than a tab, a line feed or a carriage return,
// or one of the noncharacters U+FFFE and U+FFFF. No published figure's
// unit, source or note holds one; a field that does comes from a damaged
// file or from bytes that are not text, and neither a workbook nor an SVG
// chart can hold it (XML 1.0 has no such characters: a workbook's writer
// puts U+FFFD in its place, and an SVG is not well-formed with one).
func ControlAt[T string | []byte](s T) int {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < ' ' && c != '\t' && c != '\n' && c != '\r':
			return i
		case c == 0xef && i+2 < len(s) && s[i+1] == 0xbf && s[i+2]&0xfe == 0xbe:
			return i // EF BF BE and EF BF BF: U+FFFE and U+FFFF
		}
	}
	return -1
}

// ControlError returns the problem, which wraps [ErrControl], of the field
// text s whose first control character is at index i (see [ControlAt]).
func ControlError[T string | []byte](s T, i int) error {
	r, _ := utf8.DecodeRune([]byte(s[i:]))
	what := "a control character"
	if r >= 0xfffe {
		what = "a noncharacter"
	}
	return errorf(ErrControl, "character %d of the field is %s (U+%04X), which is not text: the file may be damaged; remove it",
		utf8.RuneCount([]byte(s[:i]))+1, what, r)
}

// LineEndingError returns the problem, which wraps [ErrLineEnding], of a
// line that ends in a carriage return alone.
func LineEndingError() error {
	return errorf(ErrLineEnding, "a line ends in a carriage return alone (as classic Mac OS wrote them), which is not a line break here: save the file with LF or CRLF line endings")
}
