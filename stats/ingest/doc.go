// Package ingest turns the tables that statistics offices publish into
// [stats.Observation] values, through a declarative [Mapping] written in
// YAML: which column holds what, constant reporters, partners and
// indicators, one value column per indicator or period (wide to long),
// country names in English or Russian mapped to ISO 3166-1 alpha-3 codes,
// period labels parsed by pattern, units with their scale, the number
// conventions of the publisher, and the header and note rows to skip.
//
// A mapping for Kazakhstan's Bureau of National Statistics table of trade
// by partner reads:
//
//	source: "BNS RK, {workbook} workbook"
//	reporter: KAZ
//	partner: {column: name_ru}
//	period: {column: period}
//	unit: thousand USD
//	values:
//	  - {column: exports, indicator: exports}
//	  - {column: imports, indicator: imports}
//	numbers: {empty: "0.00000"}
//	names: {"Страны вне ЕАЭС": "-"}
//
// # Nothing is lost
//
// Every data row either becomes observations, is skipped by a rule of the
// mapping (counted in [Result.Skipped]), is dropped because the mapping maps
// its name to "-" (counted by name in [Result.Dropped]), or is reported as a
// *[stats.ParseError] with its line and column in [Result.Problems]. No row
// is left out silently.
//
// # Rows that do not line up with the header
//
// The cells of a row are read by their place under the header. A row with
// more fields than the header, or fewer, is a [stats.ErrFieldCount]
// problem, placed as [stats.Load] places it (at the first field past the
// header's, or at the last field of a short row), and gives no
// observation: a cell lost in the middle of a row, or a comma in a name
// that is not quoted, puts the cells after it under the wrong headers, and
// a cell missing at the end would become a missing figure, or a zero where
// the mapping says numbers: {empty: "0"}. Such a row is not counted as
// dropped, whatever its name, and no month of it is filled in as absent
// ([Mapping.Absent]): its months, as far as its cells tell them, are those
// of every series of its reporter and partner.
//
// A spreadsheet may leave out the empty cells at the end of a row when it
// saves a table as CSV. Such a row cannot be told from one that lost a
// cell in the middle, so it is a problem too: save the table again with
// every row as wide as the header (most tools write the empty cells), or
// add the separators of the empty cells. Rows that are skipped stay
// skipped whatever their number of fields: an empty row (only empty or
// "NA" cells), and a row that a skip rule matches, such as a note under
// the table in its first cell alone; to a skip rule, a cell past the end
// of a short row is empty.
//
// # Wrong rows and absent months
//
// No month of a row that has a problem is filled in as absent: the table
// has a row of it, wrong, not none. The months of a row whose series
// cannot be told (its source, indicator or unit cannot be read) are
// those of every series of its reporter and partner.
//
// # Line endings and damaged text
//
// Lines end in LF, CR LF or CR CR LF (as Python's csv module writes on
// Windows). A table whose lines end in a carriage return alone (as
// classic Mac OS wrote them) is refused with [stats.ErrLineEnding] at the
// first, looked for in its first 64 KB outside quotes: the reader would
// take it for one line. A control character (see [stats.ControlAt]) in
// the text a row's observations carry (source, note, unit, indicator) is
// a [stats.ErrControl] problem at its cell, and one in the mapping's own
// text an invalid mapping.
//
// # Tables of millions of rows
//
// [Stream] hands each observation over as its row is read, and keeps none:
// what it holds grows with the series of a table, not with its rows (a bit
// a month of each series for the months filled in, a running exact sum a
// year of a series for the year totals). [Convert] is Stream gathering
// everything in a [Result]. A line longer than 1 MB or a quoted field
// longer than 4 MB ends the reading with a *[stats.ParseError], as in the
// reader of tidy CSV, rather than be read whole into memory.
//
// # Values
//
// Numbers keep the decimals they were published with, so that the rules of
// package stats can tell rounding from error. Thousands separators (space,
// no-break space, or a character the mapping names), a decimal comma,
// markers for zero ("-") and missing ("..", "x", "NA"), and the mangled
// negatives of UNCTAD's tables ("- -5", "-- 156") are read as the mapping
// says; anything else is an [stats.ErrBadNumber] problem.
package ingest
