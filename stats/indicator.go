package stats

import (
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// IndicatorInfo describes an indicator: whether it is a flow, which adds up
// over time (exports in a year are the sum of the months), or a stock,
// counted at a date; and whether its values can be negative.
type IndicatorInfo struct {
	Name        string
	Flow        bool
	Negative    bool // values below zero are legitimate (a balance, a disinvestment)
	Description string
}

// Indicators returns the built-in vocabulary of DESIGN.md, sorted by name.
//
// Gross FDI inflows may be negative: a partner can withdraw more than it
// invests in a year (UNCTAD's bilateral tables show such years).
func Indicators() []IndicatorInfo {
	return []IndicatorInfo{
		{"balance", true, true, "exports minus imports"},
		{"exports", true, false, "exports from the reporter to the partner"},
		{"fdi_in_gross", true, true, "gross FDI inflow from the partner into the reporter"},
		{"fdi_out_gross", true, true, "gross FDI inflow from the reporter into the partner"},
		{"imports", true, false, "imports of the reporter from the partner"},
		{"registered_entities", false, false, "legal entities with the partner's participation registered in the reporter, counted at a date"},
		{"turnover", true, false, "exports plus imports"},
	}
}

// Vocabulary is a set of known indicators: the built-in ones plus any that
// a rules file declares. The zero Vocabulary is not usable; use
// [NewVocabulary].
type Vocabulary struct {
	m map[string]IndicatorInfo
}

// NewVocabulary returns the built-in indicators together with extra ones;
// an extra indicator with a built-in name replaces it.
func NewVocabulary(extra ...IndicatorInfo) *Vocabulary {
	v := &Vocabulary{m: map[string]IndicatorInfo{}}
	for _, in := range Indicators() {
		v.m[in.Name] = in
	}
	for _, in := range extra {
		v.m[in.Name] = in
	}
	return v
}

// Lookup returns the description of indicator name, and whether it is known.
func (v *Vocabulary) Lookup(name string) (IndicatorInfo, bool) {
	in, ok := v.m[name]
	return in, ok
}

// Names returns the known indicator names, sorted.
func (v *Vocabulary) Names() []string {
	out := make([]string, 0, len(v.m))
	for n := range v.m {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Closest returns the known name nearest to name by edit distance, and false
// when none is near enough to be a likely typo.
func (v *Vocabulary) Closest(name string) (string, bool) {
	best, bestD := "", 1<<30
	low := strings.ToLower(name)
	for _, n := range v.Names() {
		d := editDistance(low, n)
		if strings.HasPrefix(n, low) || strings.HasPrefix(low, n) {
			d = min(d, 2)
		}
		if d < bestD {
			best, bestD = n, d
		}
	}
	return best, bestD <= max(2, len(name)/3)
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Aggregates are the codes accepted besides ISO 3166-1 alpha-3 economies:
// the world and the usual partner groups.
var Aggregates = map[string]string{
	"WLD":  "World",
	"EUU":  "European Union",
	"EU27": "European Union (27 members from February 2020)",
	"EU28": "European Union (28 members, 2013 to January 2020)",
	"EAEU": "Eurasian Economic Union",
	"CIS":  "Commonwealth of Independent States",
	"EA20": "Euro area (20 members)",
	"XKX":  "Kosovo",
}

// ValidCode reports whether code is an ISO 3166-1 alpha-3 code of an economy
// (current or historical, as golang.org/x/text/language knows them) or one of
// [Aggregates].
func ValidCode(code string) bool {
	if _, ok := Aggregates[code]; ok {
		return true
	}
	if len(code) != 3 || strings.ToUpper(code) != code {
		return false
	}
	r, err := language.ParseRegion(code)
	return err == nil && r.IsCountry() && r.ISO3() == code
}
