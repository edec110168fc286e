package charts

import "errors"

// Sentinel errors. Callers test the kind of an error with errors.Is.
var (
	// ErrInvalidChart reports a chart whose definition is inconsistent,
	// such as a series with fewer values than categories.
	ErrInvalidChart = errors.New("invalid chart")
	// ErrUnknownKind reports a chart kind that is not one of [Kinds].
	ErrUnknownKind = errors.New("unknown chart kind")
	// ErrUnknownSize reports a size preset that is not one of [Sizes].
	ErrUnknownSize = errors.New("unknown size")
	// ErrUnknownFormat reports an output format other than png, svg and pdf.
	ErrUnknownFormat = errors.New("unknown format")
	// ErrUnknownLang reports a language other than en, ru and kk.
	ErrUnknownLang = errors.New("unknown language")
	// ErrNoAsOf reports a PDF requested without an as-of time: a PDF
	// carries a creation date, and it must never be the clock.
	ErrNoAsOf = errors.New("no as-of time for the PDF creation date")
	// ErrInvalidSpec reports a spec file that is not well formed: bad
	// YAML, an unknown or missing field, a value of the wrong type, a
	// duplicate id.
	ErrInvalidSpec = errors.New("invalid chart spec")
	// ErrNoData reports a declared series for which the data hold no
	// value at all.
	ErrNoData = errors.New("no data")
)
