// Package reports writes the quarterly workbook: an XLSX file, built with
// github.com/xuri/excelize/v2, that shows the figures of a [stats.Dataset]
// for one period and lets an editor audit every number back to its row.
//
// A [Workbook] has these sheets, in this order:
//
//   - Summary: per reporter–partner pair and indicator, the period, the same
//     period a year before, the change (absolute and %), the year to date
//     through the period and the same months a year before (empty when the
//     period is its own year to date: a year, January to July), and the
//     last full year before a period shorter than a year (empty when
//     another column shows it: the year to date a year before of a fourth
//     quarter or a December, the period a year before of January to
//     December); provisional,
//     estimated and derived figures flagged, and those published as
//     missing (a row without a value); a banner when a check failed.
//   - Series: indicators × periods for each pair, at the precision each
//     figure was published with, the indicator and unit columns frozen
//     (and the periods' header, of a single pair). A row is in one unit: figures in
//     another scale of its currency are converted into the largest one
//     of the row and of the rows charted or computed with it (5000 USD
//     thousand is 5.000 USD million), and those in another currency are
//     left out, with a note after the row (on the Summary, in its
//     flags). Derived figures (a quarter from its months,
//     turnover from exports and imports, the balance) are formulas over the
//     published cells that carry their computed values too, so that readers
//     which do not recalculate (openpyxl with data_only, gnumeric's
//     ssconvert, previews) show numbers.
//   - Data, Data (2), …: the input rows as an Excel table with filter
//     buttons, a frozen header, number formats and each row's file and line,
//     streamed so that millions of rows take bounded memory; a sheet holds
//     at most 1,048,575 rows under its header and the rest continue on the
//     next.
//   - Checks: every finding, coloured by severity, linked to its Data row.
//   - Charts: native Excel charts over the Series cells, each of one kind
//     of period (the workbook's own quarters or months, else years, a year
//     without a whole-year figure by its latest year to date), with their
//     data cached in the chart so that previews draw them, for the pairs
//     with the largest flows of the period (Workbook.MaxCharts of them),
//     the largest first; and, when asked, the house-style PNGs of package
//     charts.
//   - About: the inputs with their SHA-256, the row counts, the rules and
//     tolerances, the rules file with its SHA-256 and its own rules and
//     claims, the tool version, the as-of time and every source cited.
//
// Text from the input is never written as a formula: it is stored as a
// string, and text that a spreadsheet would take for a formula when retyped
// (it begins with =, +, -, @, a tab or a carriage return) gets the text
// number format "@" as well.
//
// Data too large to hold at once is given as its rows in file order
// (Workbook.Rows), read once for the Data sheets and what the other sheets
// count, and the rows of a group of reporter–partner pairs at a time
// (Workbook.Group), read for their Series blocks and Summary rows, each
// made from the rows of its pair alone: the memory is that of a group.
//
// The same dataset, findings, period and as-of time give the same bytes,
// held whole or given a group of pairs at a time: the parts of the archive
// are written in a fixed order and stamped with the as-of time. The
// package never reads the clock and never prints.
package reports
