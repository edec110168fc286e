package charts

import (
	"strings"
	"unicode"
)

// directionWords returns the words that name a flow from the economy with code
// from into the economy with code into, in language l, as they stand inside
// a sentence: "from Armenia into Kazakhstan", "из Армении в Казахстан",
// "Армениядан Қазақстанға". Russian and Kazakh put the names in the cases
// the phrase needs; a name whose case forms cannot be derived safely (a
// name of several words in Russian, an abbreviation, an unusual ending), and
// the world (WLD), give the neutral "Armenia → Kazakhstan" instead.
func directionWords(from, into string, l Lang) string {
	f, t := CountryName(from, l), CountryName(into, l)
	arrow := f + " → " + t
	if strings.EqualFold(from, "WLD") || strings.EqualFold(into, "WLD") {
		return arrow
	}
	switch l {
	case Russian:
		gen, _, ok1 := ruCases(f)
		_, acc, ok2 := ruCases(t)
		if ok1 && ok2 {
			return "из " + gen + " " + ruInto(acc) + " " + acc
		}
	case Kazakh:
		abl, ok1 := kkCase(f, true)
		dat, ok2 := kkCase(t, false)
		if ok1 && ok2 {
			return abl + " " + dat
		}
	default:
		return "from " + enArticle(f) + " into " + enArticle(t)
	}
	return arrow
}

// enArticle puts "the" before the English names that take it.
func enArticle(name string) string {
	switch {
	case strings.HasPrefix(name, "United "), strings.HasSuffix(name, " Islands"), strings.HasSuffix(name, " Republic"),
		strings.HasSuffix(name, " Emirates"):
		return "the " + name
	}
	switch name {
	case "Netherlands", "Philippines", "Bahamas", "Maldives", "Seychelles", "Comoros", "Gambia",
		"EU", "EU-27", "EU-28", "EAEU", "CIS":
		return "the " + name
	case "Euro area":
		return "the euro area"
	}
	return name
}

// ruIrregular holds the genitive of the names whose stem changes.
var ruIrregular = map[string]string{"Египет": "Египта"}

// ruCases returns the genitive and the accusative of a Russian name of one
// word that declines as a common noun of its ending does: Армения (Армении,
// Армению), Казахстан (Казахстана, Казахстан), Китай (Китая, Китай),
// Украина (Украины, Украину), Польша (Польши, Польшу). It reports false for
// any other name.
func ruCases(name string) (gen, acc string, ok bool) {
	if g, ok := ruIrregular[name]; ok {
		return g, name, true
	}
	r := []rune(name)
	if len(r) < 3 || strings.ContainsAny(name, " -") || !isUpperCyrillic(r[0]) {
		return "", "", false
	}
	last, prev := r[len(r)-1], r[len(r)-2]
	stem := string(r[:len(r)-1])
	switch {
	case prev == 'и' && last == 'я':
		return stem + "и", stem + "ю", true
	case last == 'а' && strings.ContainsRune("гкхжшчщ", prev):
		return stem + "и", stem + "у", true
	case last == 'а':
		return stem + "ы", stem + "у", true
	case last == 'й':
		return stem + "я", name, true
	case strings.ContainsRune("бвгджзклмнпрстфхцчшщ", last):
		return name + "а", name, true
	}
	return "", "", false
}

func isUpperCyrillic(r rune) bool { return r >= 'А' && r <= 'Я' || r == 'Ё' }

// ruInto returns the preposition "в" before acc, or "во" where the name
// begins with в or ф and a consonant (во Францию).
func ruInto(acc string) string {
	r := []rune(strings.ToLower(acc))
	if len(r) > 1 && (r[0] == 'в' || r[0] == 'ф') && !strings.ContainsRune("аеёиоуыэюя", r[1]) {
		return "во"
	}
	return "в"
}

// kkCase returns a Kazakh name in the ablative (from) or the dative case
// (into), by the rules of vowel harmony and of the name's last sound:
// Армения (Армениядан, Арменияға), Қазақстан (Қазақстаннан, Қазақстанға),
// Ресей (Ресейден, Ресейге), Америка Құрама Штаттары (…Штаттарынан,
// …Штаттарына). It reports false for names whose ending the rules here do
// not cover.
func kkCase(name string, ablative bool) (string, bool) {
	words := strings.Fields(name)
	if len(words) == 0 || isAbbreviation(words[len(words)-1]) {
		return "", false
	}
	w := []rune(strings.ToLower(words[len(words)-1]))
	if len(w) < 2 {
		return "", false
	}
	front, ok := kkFront(w)
	if !ok {
		return "", false
	}
	pick := func(back, fr string) string {
		if front {
			return name + fr
		}
		return name + back
	}
	last := w[len(w)-1]
	// A name of several words ending in ы or і ends in a possessive
	// (Құрама Штаттары), which takes н before the case ending.
	if len(words) > 1 && (last == 'ы' || last == 'і') {
		if ablative {
			return pick("нан", "нен"), true
		}
		return pick("на", "не"), true
	}
	switch {
	case strings.ContainsRune("аәеиоөұүыіэюяулрйзж", last):
		if ablative {
			return pick("дан", "ден"), true
		}
		return pick("ға", "ге"), true
	case strings.ContainsRune("мнң", last):
		if ablative {
			return pick("нан", "нен"), true
		}
		return pick("ға", "ге"), true
	case strings.ContainsRune("кқпстфхцчшщ", last):
		if ablative {
			return pick("тан", "тен"), true
		}
		return pick("қа", "ке"), true
	}
	return "", false
}

// isAbbreviation reports whether w is written in capitals alone (ТМД,
// ЕО-27), whose case endings follow its letters' names, not its last
// sound.
func isAbbreviation(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters > 1
}

// kkFront reports whether the last vowel of w is a front vowel; ok is
// false when w has no vowel or its last vowel does not tell (у, ю, ё).
func kkFront(w []rune) (front, ok bool) {
	for i := len(w) - 1; i >= 0; i-- {
		switch r := w[i]; {
		case strings.ContainsRune("аоұыя", r):
			return false, true
		case strings.ContainsRune("әеөүіэи", r):
			return true, true
		case strings.ContainsRune("уюё", r):
			return false, false
		}
	}
	return false, false
}
