// Package regions names regions, as ISO 3166-1 and UN M.49 code them, in
// English, Russian and Kazakh, as CLDR names them: the names of
// golang.org/x/text/language/display, in a table generated from it
// (gen.go; go generate ./internal/regions after a change of x/text's
// version, which TestNames checks).
//
// report does not link display itself: the package initialises its
// tables of every language as the process starts, whatever the command
// (1.3–1.9 ms by GODEBUG=inittrace=1, and its pages), where the charts
// and the imports need three languages of one table. A check of an empty
// file took 31.9 ms with this table against 33.1 ms with display (medians
// of 61 runs, alternating), and the binary is 2.3 MB smaller.
package regions

import (
	"slices"
	"strings"

	"golang.org/x/text/language"
)

//go:generate go run gen.go

// The languages of the names, in the order of the table.
const (
	English = iota
	Russian
	Kazakh
)

// entry is a region's code and its names in English, Russian and Kazakh.
type entry struct {
	code string
	name [3]string
}

// Name returns the name of r in language lang (English, Russian or
// Kazakh; English for any other), or "" when CLDR has none.
func Name(r language.Region, lang int) string {
	if lang < English || lang > Kazakh {
		lang = English
	}
	code := r.String()
	i, ok := slices.BinarySearchFunc(names[:], code, func(e entry, code string) int { return strings.Compare(e.code, code) })
	if !ok {
		return ""
	}
	return names[i].name[lang]
}
