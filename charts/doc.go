// Package charts draws house-style charts of trade and investment figures
// for articles, on top of gonum.org/v1/plot.
//
// A [Chart] is a small data model of its own: categories (usually periods)
// along one axis, one or more [Series] of values, each value carrying the
// number of decimals it was published with, and the words around the
// drawing: title, subtitle (which carries the unit), notes and source. The
// rendering core does not depend on package stats; [BuiltIn] and
// [Spec.Charts] build charts from a stats.Dataset.
//
// [Render] draws a chart in one of the [Format]s (PNG at twice the pixel
// density of the [Size], SVG or PDF) to an io.Writer. The [Theme] holds the
// house style and the page layout that gonum/plot lacks: a left-aligned bold
// title, the subtitle, a legend when there is more than one series, the plot,
// and notes and the source line at the bottom. The palette is Okabe–Ito, safe
// for colour-blind readers.
//
// Every chart can also be written as its data in CSV ([WriteCSV]) and
// described in a sentence or two for screen readers ([AltText]).
// [WriteSet] writes all of these for a set of charts into a directory, each
// file written to a temporary name and renamed into place.
//
// Text is set in Liberation Sans, embedded in the binary; it covers Latin
// and Cyrillic including the Kazakh letters. PDFs embed it as a Unicode
// TrueType subset, so that Cyrillic text is both drawn and extractable.
//
// The same chart, [Format], [Size] and as-of time give the same bytes.
// Nothing in this package reads the clock, the environment or the locale.
package charts
