package charts

import (
	"fmt"
	"math"
	"strings"

	"github.com/tradedesk/report/stats"
)

// Lang is the language of the words and the number format of a chart.
type Lang string

// The languages charts are labelled in.
const (
	English Lang = "en"
	Russian Lang = "ru"
	Kazakh  Lang = "kk"
)

// Langs returns the supported languages in a fixed order.
func Langs() []Lang { return []Lang{English, Russian, Kazakh} }

// ParseLang returns the language with the code s (en, ru or kk). It returns
// an error wrapping [ErrUnknownLang] for any other code.
func ParseLang(s string) (Lang, error) {
	switch l := Lang(strings.ToLower(strings.TrimSpace(s))); l {
	case English, Russian, Kazakh:
		return l, nil
	}
	return "", fmt.Errorf("%w %q (want en, ru or kk)", ErrUnknownLang, s)
}

// String returns the language code.
func (l Lang) String() string { return string(l) }

// narrowNBSP groups thousands in Russian and Kazakh: a thin space that does
// not break a number across lines (U+202F).
const narrowNBSP = "\u202f"

// minus is the typographic minus sign used in chart labels (U+2212).
const minus = "\u2212"

// FormatNumber formats x with exactly decimals digits after the decimal
// point in the conventions of l: 1,234.5 in English, 1 234,5 in Russian
// and Kazakh (a narrow no-break space groups thousands, a comma separates
// decimals; four-digit numbers are not grouped in Russian and Kazakh, as
// their typography has it). Negative numbers get a typographic minus sign,
// and a number that rounds to zero has none. The number is rounded to the
// nearest value with that many decimals, as strconv does, with no more
// decimals than leave stats.MaxSignificant significant digits (see
// stats.FixedDecimals). Decimals below zero count as zero. NaN and
// infinities are formatted as "–".
func FormatNumber(x float64, decimals int, l Lang) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	decimals = max(decimals, 0)
	s := stats.FormatFixed(math.Abs(x), decimals)
	neg := x < 0 && strings.Trim(s, "0.") != ""
	intPart, frac, _ := strings.Cut(s, ".")
	group, point := ",", "."
	if l == Russian || l == Kazakh {
		group, point = narrowNBSP, ","
	}
	var b strings.Builder
	if neg {
		b.WriteString(minus)
	}
	if len(intPart) > 4 || (len(intPart) == 4 && l == English) {
		for i, d := range intPart {
			if i > 0 && (len(intPart)-i)%3 == 0 {
				b.WriteString(group)
			}
			b.WriteRune(d)
		}
	} else {
		b.WriteString(intPart)
	}
	if frac != "" {
		b.WriteString(point)
		b.WriteString(frac)
	}
	return b.String()
}

// indicatorNames holds the name of each indicator of the stats vocabulary
// in each language, as it appears in legends and titles.
var indicatorNames = map[string][3]string{
	"exports":             {"Exports", "Экспорт", "Экспорт"},
	"imports":             {"Imports", "Импорт", "Импорт"},
	"turnover":            {"Turnover", "Товарооборот", "Тауар айналымы"},
	"balance":             {"Trade balance", "Сальдо торговли", "Сауда сальдосы"},
	"fdi_in_gross":        {"FDI inflow, gross", "Валовый приток прямых инвестиций", "Тікелей инвестициялардың жалпы кіріс ағыны"},
	"fdi_out_gross":       {"FDI outflow, gross", "Валовый отток прямых инвестиций", "Тікелей инвестициялардың жалпы шығыс ағыны"},
	"registered_entities": {"Registered legal entities", "Зарегистрированные юридические лица", "Тіркелген заңды тұлғалар"},
}

// terms holds the fixed words of the layout and of alt texts.
var terms = map[string][3]string{
	"source":    {"Source: ", "Источник: ", "Дереккөз: "},
	"source_lc": {"source: ", "источник: ", "дереккөз: "},
	"sources":   {"Sources: ", "Источники: ", "Дереккөздер: "},
	"note":      {"Note: ", "Примечание: ", "Ескерту: "},
	"missing":   {"no data", "нет данных", "дерек жоқ"},
	// unconverted is said of a value whose figure is in a unit the
	// chart's cannot be converted from (see Series.Unconverted).
	"unconverted": {"not drawn", "не показано", "көрсетілмеген"},
	"and":         {" and ", " и ", " және "},
	"chart":       {"Chart", "График", "Диаграмма"},
	"for":         {"for", "за", ""},
}

// units holds translations of the units of the stats vocabulary.
var units = map[string][3]string{
	"USD million":  {"USD million", "млн долл. США", "млн АҚШ доллары"},
	"USD thousand": {"USD thousand", "тыс. долл. США", "мың АҚШ доллары"},
	"USD billion":  {"USD billion", "млрд долл. США", "млрд АҚШ доллары"},
	"count":        {"number", "количество", "саны"},
}

// monthNames holds the month names in the nominative case, capitalised as
// at the start of a label.
var monthNames = [3][12]string{
	{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"},
	{"қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"},
}

func (l Lang) index() int {
	switch l {
	case Russian:
		return 1
	case Kazakh:
		return 2
	}
	return 0
}

// IndicatorName returns the name of the indicator id (exports, imports,
// turnover, balance, fdi_in_gross, fdi_out_gross, registered_entities) in
// language l. Unknown indicators are returned as they are.
func (l Lang) IndicatorName(id string) string {
	if n, ok := indicatorNames[id]; ok {
		return n[l.index()]
	}
	return id
}

// UnitName returns the unit u (USD million, USD thousand, count, …) in
// language l: in Russian and Kazakh, a currency of the region, alone or in
// thousands, millions or billions, as those languages write it ("KZT
// billion" is "млрд тенге", "млрд теңге"; "EUR" is "евро", "еуро"). Other
// units are returned as they are.
func (l Lang) UnitName(u string) string {
	if n, ok := units[u]; ok {
		return n[l.index()]
	}
	if l == English {
		return u
	}
	// A currency and a scale the language has words for, in the order
	// it writes them: "KZT billion" is "млрд тенге" and "млрд теңге".
	base, scale := stats.SplitUnit(u)
	cur, ok := currencies[base]
	if !ok {
		return u
	}
	if scale == 1 {
		return cur[l.index()] // as a table's heading gives it: "Экспорт, евро"
	}
	if sc, ok := scales[scale]; ok {
		return sc[l.index()] + " " + cur[l.index()]
	}
	return u
}

// currencies names the currencies of the units UnitName translates, by
// language, after the scale (in Russian, in the genitive plural, written
// out: a name that ended in an abbreviation's point would end a note's
// sentence with two, "120,5 млрд руб..").
var currencies = map[string][3]string{
	"USD": {"USD", "долл. США", "АҚШ доллары"},
	"KZT": {"KZT", "тенге", "теңге"},
	"EUR": {"EUR", "евро", "еуро"},
	"RUB": {"RUB", "рублей", "рубль"},
	"CNY": {"CNY", "юаней", "юань"},
	"AMD": {"AMD", "драмов", "драм"},
	"KGS": {"KGS", "сомов", "сом"},
	"UZS": {"UZS", "сумов", "сум"},
}

// scales names the scales of the units UnitName translates, by language,
// before the currency.
var scales = map[float64][3]string{
	1e3: {"thousand", "тыс.", "мың"},
	1e6: {"million", "млн", "млн"},
	1e9: {"billion", "млрд", "млрд"},
}

// MonthName returns the name of month m (1 to 12) in language l. It panics
// if m is out of range.
func (l Lang) MonthName(m int) string {
	if m < 1 || m > 12 {
		panic("charts: month out of range")
	}
	return monthNames[l.index()][m-1]
}

func (l Lang) term(key string) string {
	t, ok := terms[key]
	if !ok {
		panic("charts: unknown term " + key)
	}
	return t[l.index()]
}
