package charts

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/tradedesk/report/stats"
)

// csvHeader holds the heading of the category column in each language.
var csvHeader = [3]string{"category", "категория", "санат"}

// WriteCSV writes the data of c to w as CSV in wide form: a header row with
// the category heading and one column per series (and the total, if any),
// each named with its unit, then one row per category. Numbers are written
// with a decimal point and exactly the decimals they were published with,
// whatever the chart's language, so that any program reads them; a missing
// value is an empty cell. Text cells that a spreadsheet would take for a
// formula (starting with =, +, -, @, a tab or a carriage return) are
// prefixed with a single quote, as OWASP recommends against CSV injection.
// It returns the error of w, if any. c must have been built with [New]
// (WriteCSV panics on a series shorter than the categories).
func WriteCSV(w io.Writer, c *Chart) error {
	cw := csv.NewWriter(w)
	cols := c.Series
	if c.Total != nil {
		cols = append(cols[:len(cols):len(cols)], *c.Total)
	}
	head := []string{csvHeader[c.Lang.index()]}
	for _, s := range cols {
		name := s.Name
		if c.Unit != "" {
			name += " (" + c.Lang.UnitName(c.Unit) + ")"
		}
		head = append(head, escapeCell(name))
	}
	if err := cw.Write(head); err != nil {
		return fmt.Errorf("write csv of %s: %w", c.ID, err)
	}
	for i, cat := range c.Categories {
		row := []string{escapeCell(cat)}
		for _, s := range cols {
			cell := ""
			if s.ok(i) {
				cell = stats.FormatFixed(s.Values[i], s.Decimals[i])
			}
			row = append(row, cell)
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write csv of %s: %w", c.ID, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv of %s: %w", c.ID, err)
	}
	return nil
}

// escapeCell returns s with a single quote in front if a spreadsheet would
// read it as a formula.
func escapeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
