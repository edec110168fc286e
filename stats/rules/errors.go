package rules

import "errors"

// Kinds of problem in a rules file. The errors [Parse] returns are
// *[stats.ParseError] values that wrap one of these; test the kind with
// errors.Is and get the place with errors.As.
var (
	// ErrSyntax is YAML that does not parse.
	ErrSyntax = errors.New("invalid YAML")
	// ErrUnknownKey is a key the format does not have, usually a typo.
	ErrUnknownKey = errors.New("unknown key")
	// ErrBadValue is a value of the wrong kind or out of range: a severity
	// that is neither error nor warning, an invalid tolerance, period or
	// economy code.
	ErrBadValue = errors.New("invalid value")
	// ErrMissingKey is a required key that is absent, such as a rule's id
	// or assert.
	ErrMissingKey = errors.New("missing key")
	// ErrDuplicateID is a rule id used twice, or one that is a built-in
	// rule's.
	ErrDuplicateID = errors.New("duplicate rule id")
	// ErrUnknownRule is a built-in rule id that does not exist.
	ErrUnknownRule = errors.New("unknown built-in rule")
	// ErrUnknownSeries is a name in an expression that is no known
	// indicator.
	ErrUnknownSeries = errors.New("unknown series")
	// ErrExpression is an assert that does not compile: a syntax error, an
	// unknown function, an invalid period, a result that is not true or
	// false.
	ErrExpression = errors.New("invalid expression")
)
