// Package stats is the domain of the trade report tool: observations of
// bilateral trade and foreign direct investment, the periods they refer to,
// loading them from tidy CSV, and the consistency checks that every figure
// must pass before it is published.
//
// # Vocabulary
//
// An [Observation] is one row of input: a [Value] of an Indicator
// (exports, imports, turnover, balance, fdi_in_gross, fdi_out_gross,
// registered_entities, or one declared by the user) that a Reporter economy
// reports against a Partner economy for a [Period], in a Unit, published by
// a Source. Reporter and Partner are ISO 3166-1 alpha-3 codes (KAZ, ARM), or
// WLD for the world. Indicators are seen from the reporter's side: exports
// go to the partner, imports come from it.
//
// # Periods
//
// Periods are written as in ISO 8601: a year 2024, a quarter 2024-Q3, a
// month 2024-07, a day 2024-10-15, or an interval of two periods of the same
// kind, 2024-01/2024-07 (January to July) or 2005/2024 (the years 2005 to
// 2024, both included). A half-year has no form of its own: it is the
// interval of its months, 2024-01/2024-06, or of its quarters,
// 2024-Q1/2024-Q2. See [ParsePeriod].
//
// # Values, precision and rounding
//
// A [Value] keeps the number of decimals it was written with: 6 stands for
// anything in [5.5, 6.5], 33.3 for anything in [33.25, 33.35]. Rules compare
// the intervals these values stand for ([Interval]), so that 33.3 + 19.8 =
// 53.1 and 6 = 2 × 3 hold while 33.3 + 19.8 = 53.4 does not. A rule may be
// given an absolute or a relative [Tolerance] instead. Derived figures are
// formatted with the fewest decimals of their terms; the numbers of a
// finding, with the most decimals of the figures it compares, each counted
// in the unit the finding shows them in (313100 USD thousand is 313.100
// USD million), so that none is shown rounded. Numbers are formatted with
// strconv, never with the locale.
//
// # Missing values
//
// An empty value is missing: [Value.Valid] is false and the row's status is
// usually M. Missing is never zero: a rule that needs a missing term is not
// evaluated, and sums over periods are only formed when every term is
// present.
//
// # Units
//
// Every observation has a Unit (USD million, USD thousand, count). Values
// are only added or compared when their units agree; the units rule reports
// identities whose terms do not.
//
// # Order
//
// [Load] keeps rows in file order. [Check] returns findings sorted by file,
// line, column, rule, series, message and the places of their other rows,
// so the same input always gives the same report.
//
// # Parsing
//
// The loader reads CSV with a small byte-level reader of its own rather than
// encoding/csv: error positions must count columns in characters (a
// Cyrillic name or a byte order mark must not shift them), and the reader
// must not allocate a string per field on files of millions of rows.
package stats
