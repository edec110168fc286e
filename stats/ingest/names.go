package ingest

import (
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/tradedesk/report/internal/regions"
	"github.com/tradedesk/report/stats"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// Drop is the code a name is mapped to when its rows are to be left out on
// purpose, such as a regional group that has no code.
const Drop = "-"

// Names resolves economy names as statistics offices print them, in English
// or Russian, to ISO 3166-1 alpha-3 codes (or the group codes of
// [stats.Aggregates]). It knows the English and Russian names of the CLDR
// (through golang.org/x/text/language/display), a built-in list of official
// and historical variants ("Russian Federation", "Korea, Republic of",
// "FYR of Macedonia", "Молдова, Республика"), and the overrides it was made
// with, which come first. The zero Names is not usable; use [NewNames].
type Names struct {
	exact map[string]string // overrides by trimmed name
	norm  map[string]string // overrides by normalised name
}

// NewNames returns a resolver with the overrides name → code; a code of
// [Drop] marks names whose rows are dropped. It does not keep the map.
func NewNames(overrides map[string]string) *Names {
	n := &Names{exact: map[string]string{}, norm: map[string]string{}}
	for k, v := range overrides {
		n.exact[strings.TrimSpace(k)] = v
		n.norm[normalizeName(k)] = v
	}
	return n
}

// Code returns the code of name, and false when the name is unknown. A
// valid code (KAZ, WLD) is its own code; a name the overrides map to
// [Drop] returns Drop and true.
func (n *Names) Code(name string) (string, bool) {
	t := strings.TrimSpace(name)
	if c, ok := n.exact[t]; ok {
		return c, true
	}
	if stats.ValidCode(t) {
		return t, true
	}
	builtin := builtinNames()
	keys := nameKeys(t)
	for _, k := range keys {
		if c, ok := n.norm[k]; ok {
			return c, true
		}
		if c, ok := builtin[k]; ok {
			return c, true
		}
	}
	// Last, without the word for islands, which agencies abbreviate in
	// many ways ("о-ва", "Острова", "Islands"); only when that leaves a
	// single economy.
	weak := weakNames()
	for _, k := range keys {
		if c := weak[stripIslands(k)]; c != "" {
			return c, true
		}
	}
	return "", false
}

// islandWords are the words for island and islands that stripIslands
// removes from a normalised name.
var islandWords = map[string]bool{"о": true, "в": true, "ва": true, "остров": true, "острова": true, "island": true, "islands": true, "is": true}

func stripIslands(k string) string {
	var kept []string
	for _, w := range strings.Fields(k) {
		if !islandWords[w] {
			kept = append(kept, w)
		}
	}
	return strings.Join(kept, " ")
}

// weakNames indexes the built-in names without their island words; a key
// that two economies share maps to "".
var weakNames = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for k, c := range builtinNames() {
		w := stripIslands(k)
		if prev, ok := m[w]; ok && prev != c {
			m[w] = ""
			continue
		}
		m[w] = c
	}
	return m
})

// nameKeys are the normalised forms under which a name is looked up: as
// written, without parenthesised remarks ("Гуам (США)", "Ireland (Eire)"),
// and with an inverted "Korea, Republic of" put back in order.
func nameKeys(s string) []string {
	keys := []string{normalizeName(s)}
	if i := strings.IndexAny(s, "(["); i > 0 {
		keys = append(keys, normalizeName(s[:i]))
	}
	if a, b, ok := strings.Cut(s, ","); ok && !strings.Contains(b, ",") {
		keys = append(keys, normalizeName(b+" "+a))
	}
	return keys
}

// normalizeName lowercases, folds ё to е and & to "and", and turns
// punctuation into single spaces.
func normalizeName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if unicode.Is(unicode.Mn, r) {
			// São Tomé is Sao Tome; й folds to и, on both sides alike.
			continue
		}
		switch {
		case r == 'ё':
			r = 'е'
		case r == '&':
			b.WriteString(" and")
			space = true
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	// "St. Kitts & Nevis" is "Saint Kitts and Nevis".
	words := strings.Fields(b.String())
	for i, w := range words {
		if w == "st" {
			words[i] = "saint"
		}
	}
	// "Saint Vincent and the Grenadines" is "St. Vincent & Grenadines".
	words = slices.DeleteFunc(words, func(w string) bool { return w == "the" })
	return strings.Join(words, " ")
}

var builtinNames = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	// Current codes first: a withdrawn code (DY Dahomey, FX Metropolitan
	// France, PZ Panama Canal Zone) shares its display name with the
	// current one, which must win.
	for _, current := range []bool{true, false} {
		for a := 'A'; a <= 'Z'; a++ {
			for b := 'A'; b <= 'Z'; b++ {
				r, err := language.ParseRegion(string([]rune{a, b}))
				if err != nil || !r.IsCountry() || (r.Canonicalize() == r) != current {
					continue
				}
				code := r.ISO3()
				if !stats.ValidCode(code) {
					continue
				}
				for _, name := range []string{regions.Name(r, regions.English), regions.Name(r, regions.Russian)} {
					// "Myanmar (Burma)" is also "Myanmar".
					short, _, _ := strings.Cut(name, " (")
					for _, k := range []string{normalizeName(name), normalizeName(short)} {
						if k != "" && m[k] == "" {
							m[k] = code
						}
					}
				}
			}
		}
	}
	for code, name := range stats.Aggregates {
		m[normalizeName(name)] = code
	}
	for name, code := range variantNames {
		m[normalizeName(name)] = code
	}
	return m
})

// variantNames are official, short and historical names that the CLDR
// display names do not give, as agencies print them.
var variantNames = map[string]string{
	// English
	"World": "WLD", "Russian Federation": "RUS", "USA": "USA", "United States of America": "USA",
	"Korea, Republic of": "KOR", "Republic of Korea": "KOR", "Korea, DPR of": "PRK",
	"Democratic People's Republic of Korea": "PRK", "Iran": "IRN", "Islamic Republic of Iran": "IRN",
	"Iran, Islamic Republic of": "IRN", "Laos": "LAO", "Lao People's Democratic Republic": "LAO",
	"FYR of Macedonia": "MKD", "Macedonia": "MKD", "The former Yugoslav Republic of Macedonia": "MKD",
	"Czech Rep.": "CZE", "Czech Republic": "CZE", "Moldova, Republic of": "MDA", "Republic of Moldova": "MDA",
	"Viet Nam": "VNM", "Syria": "SYR", "Syrian Arab Republic": "SYR", "Libyan Arab Jamahiriya": "LBY",
	"Tanzania, United Republic of": "TZA", "United Republic of Tanzania": "TZA", "Swaziland": "SWZ",
	"Cape Verde": "CPV", "Cote d' Ivoire": "CIV", "Cote d'Ivoire": "CIV", "Ivory Coast": "CIV",
	"Congo, Democratic Republic of the": "COD", "Democratic Republic of the Congo": "COD", "Congo": "COG",
	"Bosnia Herzegovina": "BIH", "Bosnia and Herzegovina": "BIH", "Brunei Darussalam": "BRN",
	"Hong Kong": "HKG", "Hong Kong, China": "HKG", "Macao": "MAC", "Macao, China": "MAC", "Taiwan Province of China": "TWN",
	"Micronesia, Federated States of": "FSM", "Palestinian Territory, Occupied": "PSE", "State of Palestine": "PSE",
	"Vatican City State": "VAT", "Holy See": "VAT", "Venezuela": "VEN", "Bolivia": "BOL",
	"Virgin Islands, British": "VGB", "British Virgin Islands": "VGB", "United States Virgin Islands": "VIR",
	"US Virgin Islands": "VIR", "Faeroe Islands": "FRO", "Folkland Islands (Malvinas)": "FLK",
	"Falkland Islands (Malvinas)": "FLK", "Saint-Barth?lemy": "BLM", "Saint-Barthélemy": "BLM",
	"Saint-Martin (French part)": "MAF", "French Southern Terrirories": "ATF", "French Southern Territories": "ATF",
	"Svalbard and Jan Mayen Islands": "SJM", "Wallis and Futuna Islands": "WLF", "American Saoma": "ASM",
	"Saoma": "WSM", "Samoa": "WSM", "Monako": "MCO", "Pitcairn": "PCN", "Reunion": "REU", "Curacao": "CUW",
	"Aland Islands": "ALA", "Cocos (Keeling) Islands": "CCK", "Saint Helena": "SHN", "Timor-Leste": "TLS",
	"Netherlands Antilles": "ANT", "Serbia and Montenegro": "SCG", "United Kingdom": "GBR", "Turkey": "TUR",
	"Czechia": "CZE", "Ireland (Eire)": "IRL", "Kyrgyz Republic": "KGZ", "North Macedonia": "MKD",
	"Bonaire, Sint Eustatius and Saba": "BES", "United States Minor Outlying Islands": "UMI", "Slovak Republic": "SVK",
	// Russian
	"Россия": "RUS", "Российская Федерация": "RUS", "Соединенные Штаты Америки": "USA", "США": "USA",
	"Соединенное Королевство": "GBR", "Великобритания": "GBR", "Молдова, Республика": "MDA",
	"Корея, Народно-Демократическая Республика": "PRK", "Республика Корея": "KOR", "Тайвань (Китай)": "TWN",
	"Иран, Исламская Республика": "IRN", "Ирак, Республика Ирак": "IRQ", "Сирийская Арабская Республика": "SYR",
	"Лаосская Народно-Демократическая Республика": "LAO", "Танзания, Объединенная Республика": "TZA",
	"Микронезия, Федеративные Штаты": "FSM", "Палестина, Государство": "PSE", "Ватикан, Государство-Город": "VAT",
	"Македония": "MKD", "Черногория (Монтенегро)": "MNE", "Чешская Республика": "CZE", "Республика Латвия": "LVA",
	"Самоа, Независимое Государство": "WSM", "Свазиленд": "SWZ", "Кот-Д'Ивуар": "CIV", "Кабо-Верде": "CPV",
	"Демократическая Республика Конго": "COD", "Конго": "COG", "Бруней-Даруссалам": "BRN", "Гонконг": "HKG",
	"Макао": "MAC", "Виргинские Острова (Брит.)": "VGB", "Виргинские Острова (США)": "VIR", "Виргинские Острова, США": "VIR",
	"Каймановы Острова (Брит.)": "CYM", "Ангилья (Брит.)": "AIA", "Гибралтар (Брит.)": "GIB", "Гуам (США)": "GUM",
	"Острова Кука (Н.Зел.)": "COK", "Коморские Острова": "COM", "Кокосовые (Килинг) Острова": "CCK",
	"Малые Тихоокеан. Отдаленные остроа США": "UMI", "Малые Тихоокеан. отдален. острова США": "UMI",
	"Малые Тихоокеан.отдален.ост-ва С.Ш.": "UMI", "Южн.Джорджия И Южн.Сандвич.Острова": "SGS",
	"Фолклендские Острова (Мальвинские)": "FLK", "Французские Южные Территории": "ATF", "Остров Мэн": "IMN",
	"Остров Рождества": "CXR", "Сейшелы": "SYC", "Аландские Острова": "ALA", "Бермуды": "BMU",
	"Британская Территория В Индийском Океане": "IOT", "Центрально-Африканская Республика": "CAF",
	"Кыргызстан": "KGZ", "Киргизия": "KGZ", "Беларусь": "BLR", "Белоруссия": "BLR", "Тимор-Лесте": "TLS",
	"Сальвадор": "SLV", "Мьянма": "MMR", "Ливия": "LBY", "Вьетнам": "VNM", "Уоллис И Футуна": "WLF",
	"Сен-Бартелеми": "BLM", "Южная Африка": "ZAF", "Всего": "WLD", "Весь мир": "WLD", "Мир": "WLD",
	"Страны СНГ": "CIS", "СНГ": "CIS", "Страны ЕАЭС": "EAEU", "ЕАЭС": "EAEU", "Страны ЕС": "EUU", "Объединенные Арабские Эмираты": "ARE", "ОАЭ": "ARE", "Питкерн": "PCN",
}
