package charts

import (
	"strings"
)

// kindNames names each chart kind in each language, for alt texts.
var kindNames = map[Kind][3]string{
	Bars:           {"Bar chart", "Столбчатая диаграмма", "Бағаналы диаграмма"},
	HorizontalBars: {"Horizontal bar chart", "Горизонтальная столбчатая диаграмма", "Көлденең бағаналы диаграмма"},
	Grouped:        {"Grouped bar chart", "Сгруппированная столбчатая диаграмма", "Топтастырылған бағаналы диаграмма"},
	Stacked:        {"Stacked bar chart", "Столбчатая диаграмма с накоплением", "Жинақталған бағаналы диаграмма"},
	Lines:          {"Line chart", "Линейный график", "Сызықтық график"},
	BarLine:        {"Bar and line chart", "Комбинированная диаграмма", "Аралас диаграмма"},
}

// maxAltCategories is the number of categories an alt text lists in full;
// beyond it only the first and the last are given.
const maxAltCategories = 6

// AltText returns a description of c for screen readers, in the chart's
// language: one sentence saying what kind of chart it is, its title, unit
// and source, and one giving its numbers as the labels give them (at
// their published precision, unless the chart rounds its labels),
// category by category (the first and last only, when there are more than
// six categories). Missing values are named as missing, and those left
// out for their unit as not drawn, with it. c must have been
// built with [New] (AltText panics on a series shorter than the
// categories).
func AltText(c *Chart) string {
	l := c.Lang
	var b strings.Builder
	b.WriteString(kindNames[c.Kind][l.index()])
	b.WriteString(": ")
	b.WriteString(strings.TrimRight(c.Title, "."))
	if c.Unit != "" {
		b.WriteString(", ")
		b.WriteString(l.UnitName(c.Unit))
	}
	if c.Source != "" {
		b.WriteString(" (")
		b.WriteString(l.term("source_lc"))
		b.WriteString(strings.TrimRight(c.Source, "."))
		b.WriteString(")")
	}
	b.WriteString(". ")

	cats := make([]int, 0, len(c.Categories))
	for i := range c.Categories {
		cats = append(cats, i)
	}
	if len(cats) > maxAltCategories {
		cats = []int{0, len(c.Categories) - 1}
	}
	cols := c.Series
	if c.Total != nil {
		cols = append(cols[:len(cols):len(cols)], *c.Total)
	}
	for n, i := range cats {
		if n > 0 {
			b.WriteString("; ")
		}
		b.WriteString(c.Categories[i])
		b.WriteString(": ")
		for k, s := range cols {
			if k > 0 {
				b.WriteString(", ")
			}
			if len(cols) > 1 || s.Name != "" {
				b.WriteString(s.Name)
				b.WriteString(" ")
			}
			switch {
			case s.ok(i):
				b.WriteString(c.label(&s, i))
			case s.unconverted(i):
				// A figure there is, in another currency: "no data"
				// would say there is none.
				b.WriteString(l.term("unconverted"))
				b.WriteString(" (")
				b.WriteString(l.UnitName(s.Unconverted[i]))
				b.WriteString(")")
			default:
				b.WriteString(l.term("missing"))
			}
		}
	}
	b.WriteString(".")
	return b.String()
}
